//! 合规检查 end to end: activities recorded for a fresh branch give the grid and the
//! verdicts the rules say (API and page), scope holds, a local rule is audited and
//! changes the result, and `zeren compliance` prints the citations.
use serde_json::Value;

use crate::harness::*;

/// A branch founded in 2024 under `parent`, with explicit id (above the demo's).
async fn fresh_branch(t: &TestApp, parent: &Value) -> i64 {
    let id = t
        .count("SELECT COALESCE(MAX(id), 0) + 1000 FROM orgs")
        .await;
    let path = format!("{}{id}/", parent["path"].as_str().unwrap());
    let depth = parent["depth"].as_i64().unwrap() + 1;
    // 2024-03-01 09:00 China Standard Time
    let founded = 1_709_254_800i64;
    sqlx::query(&format!(
        "INSERT INTO orgs (id, parent_id, name, kind, path, depth, sort_order, created_at) \
         VALUES ({id}, {}, '合规测试党支部', 'branch', '{path}', {depth}, 99, {founded})",
        parent["id"].as_i64().unwrap()
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    id
}

async fn held(t: &TestApp, org: i64, kind: &str, day: &str, expected: i64, present: i64) {
    let path: (String,) = sqlx::query_as(&format!("SELECT path FROM orgs WHERE id = {org}"))
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    sqlx::query(&format!(
        "INSERT INTO activities (org_id, org_path, kind, title, state, held_on, expected_count, present_count, created_at, updated_at) \
         VALUES ({org}, '{}', '{kind}', '测试', 'held', '{day}', {expected}, {present}, 0, 0)",
        path.0
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
}

fn rule<'a>(v: &'a Value, org: i64, key: &str) -> &'a Value {
    let o = v["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["org_id"].as_i64() == Some(org))
        .unwrap_or_else(|| panic!("org {org} in {v}"));
    o["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("rule {key} in {o}"))
}

fn verdicts(r: &Value) -> Vec<String> {
    r["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["verdict"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn recorded_meetings_make_the_grid_and_verdicts() {
    let t = spawn_app().await;
    let commission = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let unit_org = t.home_org(&unit1).await;
    let b = fresh_branch(&t, &unit_org).await;
    // 主题党日 on every month's last day of 2025 but April
    for (m, last) in [
        (1, 31),
        (2, 28),
        (3, 31),
        (5, 31),
        (6, 30),
        (7, 31),
        (8, 31),
        (9, 30),
        (10, 31),
        (11, 30),
        (12, 31),
    ] {
        held(&t, b, "theme_day", &format!("2025-{m:02}-{last}"), 5, 5).await;
    }
    // 党员大会: Q1 on its last day, the next on 1 April (Q2), none in Q3/Q4
    held(&t, b, "branch_general_meeting", "2025-03-31", 5, 5).await;
    held(&t, b, "branch_general_meeting", "2025-04-01", 5, 5).await;
    // a cancelled meeting counts for nothing
    sqlx::query("UPDATE activities SET state = 'cancelled' WHERE held_on = '2025-04-01'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    held(&t, b, "branch_general_meeting", "2025-07-01", 5, 5).await;

    let v = t
        .get_ok(&unit1, &format!("/api/v1/compliance?org={b}&year=2025"))
        .await;
    let theme = rule(&v, b, "theme_day_monthly");
    assert_eq!(theme["verdict"], "missing");
    assert_eq!(
        (theme["expected"].as_i64(), theme["held"].as_i64()),
        (Some(12), Some(11))
    );
    let months = verdicts(theme);
    assert_eq!(months.len(), 12);
    assert_eq!(months[3], "missing");
    assert!(
        months.iter().enumerate().all(|(i, m)| i == 3 || m == "ok"),
        "{months:?}"
    );
    assert!(theme["citation"].as_str().unwrap().contains("支部工作条例"));
    let general = rule(&v, b, "branch_general_meeting_quarterly");
    assert_eq!(verdicts(general), vec!["ok", "missing", "ok", "missing"]);
    // nobody in the branch: too few full members, no secretary
    assert_eq!(
        rule(&v, b, "branch_min_full_members")["verdict"],
        "violation"
    );
    assert_eq!(
        rule(&v, b, "branch_committee_required")["verdict"],
        "violation"
    );
    assert_eq!(rule(&v, b, "committee_term")["verdict"], "missing");
    // founded 1 March 2024: the whole of 2025 is expected, 2024 from March on
    let v24 = t
        .get_ok(
            &commission,
            &format!("/api/v1/compliance?org={b}&year=2024"),
        )
        .await;
    let m24 = rule(&v24, b, "theme_day_monthly");
    assert_eq!(m24["periods"][0]["first_month"], 3);
    assert_eq!(m24["expected"], 10);

    // the page: the grid with a red cell linked to the month's records
    let page = t.login_page("unit1").await;
    let html = page
        .get(&format!("/compliance?org={b}&year=2025"))
        .await
        .text();
    assert!(html.contains("cell-missing"), "{html}");
    assert!(html.contains("kind=theme_day"), "{html}");
    assert!(html.contains("第十六条"));
    // the unit sees the branch among its flagged orgs, and in 支部建设
    let html = page
        .get(&format!(
            "/compliance?org={}&year=2025&flagged=1",
            unit_org["id"]
        ))
        .await
        .text();
    assert!(html.contains("合规测试党支部"), "{html}");
    let html = page
        .get(&format!("/branches?org={}&sort=flags", unit_org["id"]))
        .await
        .text();
    assert!(html.contains("合规测试党支部"), "{html}");
    assert!(html.contains(&format!("/people?org={b}")));
    // exported with citations
    let x = page
        .get(&format!("/compliance/export.xlsx?org={b}&year=2025"))
        .await;
    assert_eq!(x.status, 200);
    let (rows, strings) = xlsx_rows_and_strings(&x.bytes);
    assert!(rows > 10, "{rows}");
    assert!(strings
        .iter()
        .any(|s| s.contains("《中国共产党支部工作条例（试行）》")));
}

#[tokio::test]
async fn compliance_stays_in_scope() {
    let t = spawn_app().await;
    let commission = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let unit_org = t.home_org(&unit1).await;
    let root = t.home_org(&commission).await;
    let other = t.other_unit(&commission, &unit_org).await;
    for org in [&root["id"], &other.org["id"]] {
        let r = t
            .get(&unit1, &format!("/api/v1/compliance?org={org}&year=2025"))
            .await;
        assert_eq!(r.status, 404, "{org}");
    }
    // without an org: only unit1's subtree
    let v = t.get_ok(&unit1, "/api/v1/compliance?year=2025").await;
    let path = unit_org["path"].as_str().unwrap();
    let orgs = v["orgs"].as_array().unwrap();
    assert!(!orgs.is_empty());
    assert!(orgs
        .iter()
        .all(|o| o["path"].as_str().unwrap().starts_with(path)));
    // the commission sees the other unit; the page refuses unit1 too
    let r = t
        .get(
            &commission,
            &format!("/api/v1/compliance?org={}&year=2025", other.org["id"]),
        )
        .await;
    assert_eq!(r.status, 200);
    let page = t.login_page("unit1").await;
    let r = page
        .get(&format!("/compliance?org={}", other.org["id"]))
        .await;
    assert_eq!(r.status, 404);
    let r = page
        .get(&format!("/compliance/export.xlsx?org={}", other.org["id"]))
        .await;
    assert_eq!(r.status, 404);
    let bad = t.get(&unit1, "/api/v1/compliance?year=abc").await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn a_local_rule_is_audited_and_changes_the_result() {
    let t = spawn_app().await;
    let commission = t.login_api("commission").await;
    let root = t.home_org(&commission).await;
    let b = fresh_branch(&t, &root).await;
    let url = format!("/api/v1/compliance?org={b}&year=2025");
    let before = t.get_ok(&commission, &url).await;
    let n_before = before["orgs"][0]["rules"].as_array().unwrap().len();

    let page = t.login_page("commission").await;
    let html = page.get("/rules").await.text();
    assert!(html.contains("可按本地规定调整"), "{html}");
    let root_id = root["id"].to_string();
    let form = |title: &'static str, times: &'static str| {
        vec![
            ("org_id", root_id.clone()),
            ("title", title.to_string()),
            ("citation", "委党委〔2025〕7号 第三条".to_string()),
            ("activity", "party_lecture".to_string()),
            ("period", "month".to_string()),
            ("times", times.to_string()),
            ("applies_to", "branch".to_string()),
            ("effective_from", "2025-01-01".to_string()),
        ]
    };
    // invalid: refused with the field's message, nothing written
    let mut bad: Vec<(&str, String)> = form("支部每月讲党课", "0");
    bad.push(("csrf", page.csrf.clone()));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = page.post_form("/rules/local", &bad).await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("次数应为"));
    assert_eq!(t.count("SELECT COUNT(*) FROM local_rules").await, 0);

    let mut good: Vec<(&str, String)> = form("支部每月讲党课", "1");
    good.push(("csrf", page.csrf.clone()));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = page.post_form("/rules/local", &good).await;
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'rule_create'")
            .await,
        1
    );
    let after = t.get_ok(&commission, &url).await;
    let rules = after["orgs"][0]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), n_before + 1);
    let local = rules.iter().find(|r| r["local"] == true).unwrap();
    assert_eq!(local["verdict"], "missing");
    assert_eq!(local["expected"], 12);
    assert_eq!(local["citation"], "委党委〔2025〕7号 第三条");
    // a unit office sees it (it applies to its branches) but cannot retire it
    let id = t.count("SELECT MAX(id) FROM local_rules").await;
    let unit_page = t.login_page("unit1").await;
    assert!(unit_page
        .get("/rules")
        .await
        .text()
        .contains("支部每月讲党课"));
    let r = unit_page
        .post_form(
            &format!("/rules/local/{id}/retire"),
            &[("csrf", unit_page.csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, 403);
    // retired by the commission: audited, and gone from the result
    let r = page
        .post_form(
            &format!("/rules/local/{id}/retire"),
            &[("csrf", page.csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'rule_retire'")
            .await,
        1
    );
    let again = t.get_ok(&commission, &url).await;
    assert_eq!(
        again["orgs"][0]["rules"].as_array().unwrap().len(),
        n_before
    );

    // a setting: 党课 twice a quarter for the whole tree, audited
    let r = page
        .post_form(
            "/rules/settings",
            &[
                ("csrf", page.csrf.as_str()),
                ("rule_key", "party_lecture_quarterly"),
                ("period", "quarter"),
                ("figure", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'rule_setting'")
            .await,
        1
    );
    let set = t.get_ok(&commission, &url).await;
    assert_eq!(rule(&set, b, "party_lecture_quarterly")["expected"], 8);
    // a figure fixed by the regulation cannot be set
    let r = page
        .post_form(
            "/rules/settings",
            &[
                ("csrf", page.csrf.as_str()),
                ("rule_key", "theme_day_monthly"),
                ("figure", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM rule_settings").await,
        1,
        "only the adjustable rule was set"
    );
}

#[test]
fn cli_prints_every_rule_with_its_citation() {
    let dir = TempDir::new("compliance");
    let bin = env!("CARGO_BIN_EXE_zeren");
    let data = dir.path().display().to_string();
    let out = std::process::Command::new(bin)
        .args(["demo", "--data", &data, "--demo-password", PASSWORD])
        .env_remove("ZEREN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let year = chrono::Datelike::year(&zeren_app::clock::today()).to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["compliance", "--data", &data, "--year", &year];
        args.extend_from_slice(extra);
        std::process::Command::new(bin)
            .args(&args)
            .env_remove("ZEREN_DATABASE_URL")
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() > 100, "{text}");
    assert!(
        text.contains("《中国共产党支部工作条例（试行）》第十二条"),
        "{text}"
    );
    assert!(text.contains("《关于党的基层组织任期的意见》"), "{text}");
    assert!(text.lines().all(|l| l.split('\t').count() == 8), "{text}");
    // too few full members somewhere in the demo
    assert!(text.contains("违反"), "{text}");

    let out = run(&["--json", "--org", "WJW02"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items
        .iter()
        .all(|i| i["citation"].as_str().unwrap().starts_with('《')));
    assert!(items
        .iter()
        .all(|i| ["ok", "missing", "violation", "not_yet_due", "no_data"]
            .contains(&i["verdict"].as_str().unwrap())));
    assert!(items.len() < text.lines().count());

    let bad = run(&["--org", "NO-SUCH-ORG"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NO-SUCH-ORG"));
}
