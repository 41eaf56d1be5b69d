//! Petitions (信访举报) and the four forms (四种形态): every confidentiality rule.
//!
//! Demo accounts (see `zeren-demo/src/discipline.rs`): `discipline` holds the
//! discipline role over the whole tree and the informant clearance; `discipline1`
//! holds the role over 市第一人民医院 without the clearance, and is itself the person
//! reported in one of that unit's petitions (反映其在设备采购中打招呼).
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

const ABOUT_D1: &str = "设备采购中打招呼";

fn ids(v: &[Value]) -> Vec<i64> {
    v.iter().map(|x| x["id"].as_i64().unwrap()).collect()
}

/// The demo petition about `discipline1`'s own person, as the cleared account sees it.
async fn petition_about_d1(t: &TestApp, disc: &str) -> Value {
    let (items, _) = t
        .all_items(disc, &format!("/api/v1/petitions?q={ABOUT_D1}"))
        .await;
    assert_eq!(items.len(), 1, "one demo petition about discipline1");
    items[0].clone()
}

/// A real-name petition in unit1's org, registered by `discipline` through the API.
async fn real_name_petition(
    t: &TestApp,
    disc: &str,
    org_id: i64,
    name: &str,
    received_on: &str,
) -> i64 {
    let r = t
        .post(
            disc,
            "/api/v1/petitions",
            &json!({
                "received_on": received_on,
                "channel": "letter",
                "signed": true,
                "informant_name": name,
                "informant_contact": "13700000077",
                "org_id": org_id,
                "summary": "集成测试：反映违规报销",
                "content": "集成测试登记的实名举报。",
                "level": "staff",
                "category": "integrity",
            }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "create petition: {}",
        r.text()
    );
    r.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_reported_person_and_the_unit_never_see_the_petition() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let d1 = t.login_api("discipline1").await;
    let about = petition_about_d1(&t, &disc).await;
    let id = about["id"].as_i64().unwrap();
    let code = about["code"].as_str().unwrap().to_string();
    let org_id = about["org_id"].as_i64().unwrap();

    // positive control: discipline1 sees the unit's other petitions
    let (all_u1, _) = t
        .all_items(&disc, &format!("/api/v1/petitions?org={org_id}"))
        .await;
    let (seen, total) = t.all_items(&d1, "/api/v1/petitions").await;
    assert!(all_u1.len() >= 3, "the unit has several demo petitions");
    assert!(
        !seen.is_empty(),
        "discipline1 sees its unit's other petitions"
    );
    assert_eq!(
        total as usize,
        all_u1.len() - 1,
        "discipline1 sees all of its unit's petitions but the one about itself"
    );
    assert!(!ids(&seen).contains(&id), "list");
    // search, filters, counts
    for q in [
        format!("/api/v1/petitions?q={code}"),
        format!("/api/v1/petitions?q={ABOUT_D1}"),
        format!("/api/v1/petitions?org={org_id}&category=integrity"),
    ] {
        let (items, _) = t.all_items(&d1, &q).await;
        assert!(!ids(&items).contains(&id), "{q}");
    }
    let counts = t.get_ok(&d1, "/api/v1/petitions/counts").await;
    assert_eq!(counts["total"].as_i64(), Some(total), "counts");
    // detail, informant, actions: not found, as if it did not exist
    for path in [
        format!("/api/v1/petitions/{id}"),
        format!("/api/v1/petitions/{id}/informant"),
    ] {
        let r = t.get(&d1, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text());
    }
    for (path, body) in [
        (
            format!("/api/v1/petitions/{id}/dispose"),
            json!({"disposal": "closed_out", "disposed_on": days_from_today(0)}),
        ),
        (
            format!("/api/v1/petitions/{id}/notify"),
            json!({"which": "accept", "notified_on": days_from_today(0)}),
        ),
    ] {
        let r = t.post(&d1, &path, &body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text());
    }
    // the four-forms action about itself is not shown to it either
    let (mine, _) = t
        .all_items(&disc, &format!("/api/v1/four-forms?petition={id}"))
        .await;
    assert!(!mine.is_empty(), "the demo links an action to the petition");
    let (ff, _) = t.all_items(&d1, "/api/v1/four-forms").await;
    assert!(
        ids(&ff).iter().all(|i| !ids(&mine).contains(i)),
        "four forms"
    );
    // pages
    let s = t.login_page("discipline1").await;
    let list = s.get("/petitions?per_page=500").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        !list.text().contains(&code) && !list.text().contains(ABOUT_D1),
        "list page"
    );
    let page = s.get(&format!("/petitions/{id}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "detail page");
    let r = s
        .post_form(
            &format!("/petitions/{id}/informant"),
            &[("csrf", s.csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "informant page");
    // exports and the annual report hold no petition
    for path in [
        "/api/v1/problems/export.xlsx",
        "/api/v1/tasks/export.xlsx",
        "/api/v1/activities/export.xlsx",
        "/api/v1/petitions/export.xlsx",
    ] {
        let r = t.get(&d1, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let (_, strings) = xlsx_rows_and_strings(&r.bytes);
        assert!(
            strings
                .iter()
                .all(|s| !s.contains(ABOUT_D1) && !s.contains(&code)),
            "{path}"
        );
    }

    // positive control: the cleared account's export holds it
    let r = t.get(&disc, "/api/v1/petitions/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert!(rows >= all_u1.len(), "the whole tree's petitions");
    assert!(
        strings.iter().any(|s| s.contains(&code)),
        "the export holds the petition"
    );
    // and the page's export link answers the same for discipline1
    let s = t.login_page("discipline1").await;
    let r = s.get("/petitions/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows as i64, total);
    assert!(strings
        .iter()
        .all(|s| !s.contains(&code) && !s.contains(ABOUT_D1)));

    // anyone scoped to the unit without the discipline role: nothing at all
    for user in ["unit1", "leader1", "branch1", "commission"] {
        let tok = t.login_api(user).await;
        for path in [
            "/api/v1/petitions",
            "/api/v1/petitions/counts",
            "/api/v1/four-forms",
            "/api/v1/four-forms/stats",
            "/api/v1/petitions/export.xlsx",
        ] {
            let r = t.get(&tok, path).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{user} {path}: {}",
                r.text()
            );
        }
        for path in [
            format!("/api/v1/petitions/{id}"),
            format!("/api/v1/petitions/{id}/informant"),
        ] {
            let r = t.get(&tok, &path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{user} {path}");
        }
        let r = t
            .post(
                &tok,
                "/api/v1/petitions",
                &json!({"received_on": days_from_today(0), "channel": "letter", "signed": false, "org_id": org_id,
                        "summary": "x", "content": "x", "level": "staff", "category": "work"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user} creates a petition");
    }
    let s = t.login_page("unit1").await;
    let home = s.get("/tasks").await;
    assert!(
        !home.text().contains("href=\"/petitions\""),
        "no menu entry for unit1"
    );
    assert_eq!(s.get("/petitions").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.get(&format!("/petitions/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let s = t.login_page("discipline").await;
    let list = s.get("/petitions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text().contains("href=\"/petitions\""),
        "menu entry for discipline"
    );
    // the demo's real-name petition whose acceptance notice was never given is late
    assert!(
        list.text().contains("实名举报告知期限") && list.text().contains("逾期"),
        "notices due"
    );
}

#[tokio::test]
async fn an_uncleared_discipline_account_sees_the_petition_but_not_the_informant() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let d1 = t.login_api("discipline1").await;
    let org = t.home_org(&d1).await;
    let name = "钱多多测试";
    let id = real_name_petition(
        &t,
        &disc,
        org["id"].as_i64().unwrap(),
        name,
        &days_from_today(-3),
    )
    .await;

    let v = t.get_ok(&d1, &format!("/api/v1/petitions/{id}")).await;
    assert_eq!(v["petition"]["id"].as_i64(), Some(id));
    assert_eq!(v["may_reveal"], json!(false));
    let text = v.to_string();
    assert!(
        !text.contains(name) && !text.contains("13700000077"),
        "no informant in the detail"
    );
    let before = t
        .count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'informant_read' AND object_id = '{id}' AND result <> 'ok'"))
        .await;
    let r = t
        .get(&d1, &format!("/api/v1/petitions/{id}/informant"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(!r.text().contains(name));
    let after = t
        .count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'informant_read' AND object_id = '{id}' AND result <> 'ok'"))
        .await;
    assert_eq!(after, before + 1, "the refused attempt is audited");
    let s = t.login_page("discipline1").await;
    let page = s.get(&format!("/petitions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains(name));
    assert!(
        !page.text().contains("查看举报人身份</button>"),
        "no reveal button"
    );
    let r = s
        .post_form(
            &format!("/petitions/{id}/informant"),
            &[("csrf", s.csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.text().contains(name));
}

#[tokio::test]
async fn a_cleared_account_reads_the_informant_and_the_reading_is_audited() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let unit1 = t.login_api("unit1").await;
    let org = t.home_org(&unit1).await;
    let name = "孙小明测试";
    let id = real_name_petition(
        &t,
        &disc,
        org["id"].as_i64().unwrap(),
        name,
        &days_from_today(-1),
    )
    .await;

    // at rest: sealed, not the name
    let (sealed, contact): (String, String) =
        sqlx::query_as("SELECT informant_name, informant_contact FROM petitions WHERE id = $1")
            .bind(id)
            .fetch_one(t.app.store.pool())
            .await
            .unwrap();
    assert!(sealed.starts_with("sm4gcm$"), "{sealed}");
    assert!(!sealed.contains(name) && !contact.contains("13700000077"));
    let needle = name.as_bytes();
    for f in ["zeren.db", "zeren.db-wal"] {
        let bytes = std::fs::read(t.data_dir.join(f)).unwrap_or_default();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the name is nowhere in {f}"
        );
    }
    // nor in the history or the audit log
    let leaks = t
        .count(&format!(
            "SELECT COUNT(*) FROM history WHERE detail LIKE '%{name}%'"
        ))
        .await
        + t.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%{name}%'"
        ))
        .await;
    assert_eq!(leaks, 0);

    let before = reads(&t, id).await;
    let detail = t.get_ok(&disc, &format!("/api/v1/petitions/{id}")).await;
    assert_eq!(detail["may_reveal"], json!(true));
    assert!(
        !detail.to_string().contains(name),
        "the detail itself never carries the name"
    );
    assert_eq!(
        reads(&t, id).await,
        before,
        "reading the detail opens nothing"
    );
    let v = t
        .get_ok(&disc, &format!("/api/v1/petitions/{id}/informant"))
        .await;
    assert_eq!(v["name"], json!(name));
    assert_eq!(v["contact"], json!("13700000077"));
    assert_eq!(reads(&t, id).await, before + 1, "each reading is audited");
    let s = t.login_page("discipline").await;
    let page = s.get(&format!("/petitions/{id}")).await;
    assert!(page.text().contains("查看举报人身份"), "the reveal button");
    assert!(!page.text().contains(name));
    let r = s
        .post_form(
            &format!("/petitions/{id}/informant"),
            &[("csrf", s.csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains(name));
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(reads(&t, id).await, before + 2);
    // without the form's token, nothing is opened
    let r = s
        .post_form(&format!("/petitions/{id}/informant"), &[("csrf", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(reads(&t, id).await, before + 2);
    // the ledger export names no informant either
    let r = t.get(&disc, "/api/v1/petitions/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let (_, strings) = xlsx_rows_and_strings(&r.bytes);
    assert!(strings.iter().any(|s| s.contains("集成测试：反映违规报销")));
    assert!(strings
        .iter()
        .all(|s| !s.contains(name) && !s.contains("13700000077")));
    assert_eq!(reads(&t, id).await, before + 2, "an export opens nothing");
}

/// Successful readings of a petition's informant in the audit log.
async fn reads(t: &TestApp, id: i64) -> i64 {
    t.count(&format!(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'informant_read' AND object_id = '{id}' AND result = 'ok'"
    ))
    .await
}

async fn sealed_name(t: &TestApp, id: i64) -> String {
    let (v,): (String,) = sqlx::query_as("SELECT informant_name FROM petitions WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    v
}

/// A Wednesday at least 60 days ago.
fn a_past_wednesday() -> NaiveDate {
    let mut d = zeren_app::clock::today() - Duration::days(60);
    while d.weekday() != Weekday::Wed {
        d -= Duration::days(1);
    }
    d
}

#[tokio::test]
async fn notice_deadlines_count_working_days_across_a_holiday() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let unit1 = t.login_api("unit1").await;
    let org_id = t.home_org(&unit1).await["id"].as_i64().unwrap();
    // the injected date: a Wednesday, then a week off (Thursday to Wednesday) and the
    // Saturday after it worked, as around National Day
    let r = a_past_wednesday();
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    sqlx::query("DELETE FROM calendar_days WHERE day > $1 AND day <= $2")
        .bind(ymd(r))
        .bind(ymd(r + Duration::days(90)))
        .execute(t.app.store.pool())
        .await
        .unwrap();
    for i in 1..=7 {
        sqlx::query(
            "INSERT INTO calendar_days (day, kind, name) VALUES ($1, 'holiday', '测试假期')",
        )
        .bind(ymd(r + Duration::days(i)))
        .execute(t.app.store.pool())
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO calendar_days (day, kind, name) VALUES ($1, 'workday', '测试调休')")
        .bind(ymd(r + Duration::days(10)))
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let id = real_name_petition(&t, &disc, org_id, "周测试", &ymd(r)).await;
    let v = t.get_ok(&disc, &format!("/api/v1/petitions/{id}")).await;
    // Thu, Fri, the worked Saturday (3), Mon–Fri twice (13), Mon and Tue (15)
    assert_eq!(
        v["petition"]["accept_notice_due"],
        json!(ymd(r + Duration::days(27)))
    );
    assert_eq!(v["petition"]["state"], json!("received"));
    // disposal and outcome; the result notice falls due 15 working days after the
    // conclusion (a Monday with no holiday after it: three weeks)
    let mut monday = r + Duration::days(35);
    while monday.weekday() != Weekday::Mon {
        monday += Duration::days(1);
    }
    let post = |path: String, body: Value| {
        let t = &t;
        let disc = disc.clone();
        async move { t.post(&disc, &path, &body).await }
    };
    let r1 = post(format!("/api/v1/petitions/{id}/conclude"), json!({"outcome": "untrue", "cleared": true, "conclusion": "不属实", "concluded_on": ymd(monday)})).await;
    assert_eq!(
        r1.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no outcome before a disposal: {}",
        r1.text()
    );
    let r1 = post(
        format!("/api/v1/petitions/{id}/dispose"),
        json!({"disposal": "shelved", "disposed_on": ymd(r + Duration::days(8))}),
    )
    .await;
    assert_eq!(r1.status, StatusCode::OK, "{}", r1.text());
    let r1 = post(format!("/api/v1/petitions/{id}/conclude"), json!({"outcome": "untrue", "cleared": true, "conclusion": "不属实", "concluded_on": ymd(monday)})).await;
    assert_eq!(
        r1.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "暂存待查 yields no outcome: {}",
        r1.text()
    );
    let r1 = post(
        format!("/api/v1/petitions/{id}/dispose"),
        json!({"disposal": "preliminary_check", "disposed_on": ymd(r + Duration::days(9))}),
    )
    .await;
    assert_eq!(r1.status, StatusCode::OK, "{}", r1.text());
    let r1 = post(format!("/api/v1/petitions/{id}/conclude"), json!({"outcome": "true", "cleared": true, "conclusion": "属实", "concluded_on": ymd(monday)})).await;
    assert_eq!(
        r1.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no 澄清正名 when true: {}",
        r1.text()
    );
    let r1 = post(format!("/api/v1/petitions/{id}/conclude"), json!({"outcome": "untrue", "cleared": true, "conclusion": "经核实不属实，予以澄清正名", "concluded_on": ymd(monday)})).await;
    assert_eq!(r1.status, StatusCode::OK, "{}", r1.text());
    let v = t.get_ok(&disc, &format!("/api/v1/petitions/{id}")).await;
    assert_eq!(v["petition"]["state"], json!("concluded"));
    assert_eq!(v["petition"]["cleared"], json!(1));
    assert_eq!(
        v["petition"]["result_notice_due"],
        json!(ymd(monday + Duration::days(21)))
    );
    let r1 = post(
        format!("/api/v1/petitions/{id}/dispose"),
        json!({"disposal": "referred", "disposed_on": ymd(monday)}),
    )
    .await;
    assert_eq!(
        r1.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a concluded petition is not disposed again"
    );
    // every step is on the timeline
    let actions: Vec<String> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions, ["受理登记", "处置", "处置", "办结"]);

    // an anonymous petition owes no notice
    let r1 = t
        .post(
            &disc,
            "/api/v1/petitions",
            &json!({"received_on": ymd(r), "channel": "phone", "signed": false, "org_id": org_id,
                    "summary": "匿名测试", "content": "匿名", "level": "other", "category": "mass"}),
        )
        .await;
    assert_eq!(r1.status, StatusCode::CREATED);
    let v = t
        .get_ok(&disc, &format!("/api/v1/petitions/{}", r1.json()["id"]))
        .await;
    assert_eq!(v["petition"]["accept_notice_due"], Value::Null);
    // an anonymous one with a name is refused: the clerk must choose 实名
    let r1 = t
        .post(
            &disc,
            "/api/v1/petitions",
            &json!({"received_on": ymd(r), "channel": "phone", "signed": false, "informant_name": "某某", "org_id": org_id,
                    "summary": "x", "content": "x", "level": "other", "category": "mass"}),
        )
        .await;
    assert_eq!(r1.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn key_rotation_keeps_informants_readable() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let unit1 = t.login_api("unit1").await;
    let org_id = t.home_org(&unit1).await["id"].as_i64().unwrap();
    let id = real_name_petition(&t, &disc, org_id, "吴轮换测试", &days_from_today(-2)).await;
    let before = sealed_name(&t, id).await;
    let old_key = before.split('$').nth(1).unwrap().to_string();
    // every sealed column, the petitions' and the others' (personal matters …)
    let mut sealed_count = 0;
    for (table, column) in zeren_app::crypto::CONFIDENTIAL {
        sealed_count += t
            .count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL"
            ))
            .await;
    }
    assert!(
        sealed_count >= 4,
        "the demo's real-name petitions and this one"
    );

    let r = t.app.rotate_keys().await.expect("rotate");
    assert_eq!(
        r.values as i64, sealed_count,
        "every sealed value re-encrypted"
    );
    assert_ne!(r.new_key, old_key);
    let after = sealed_name(&t, id).await;
    assert_ne!(after, before);
    assert!(
        after.starts_with(&format!("sm4gcm${}$", r.new_key)),
        "{after}"
    );
    let stale = t
        .count(&format!("SELECT COUNT(*) FROM petitions WHERE informant_name LIKE 'sm4gcm${old_key}$%' OR informant_contact LIKE 'sm4gcm${old_key}$%'"))
        .await;
    assert_eq!(stale, 0, "nothing is left under the old key");
    // the key file holds the new key only, private
    let keys = std::fs::read_to_string(t.data_dir.join("zeren.keys")).unwrap();
    let ids: Vec<&str> = keys
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(ids, [r.new_key.as_str()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.data_dir.join("zeren.keys"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // still readable through the running server, and by a fresh process
    let v = t
        .get_ok(&disc, &format!("/api/v1/petitions/{id}/informant"))
        .await;
    assert_eq!(v["name"], json!("吴轮换测试"));
    // the TOTP secrets were re-encrypted too: a two-factor account still logs in
    let stale_totp = t
        .count(&format!(
            "SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE 'sm4gcm${}$%'",
            r.new_key
        ))
        .await;
    assert_eq!(stale_totp, 0);
    t.login_api("secadmin").await;
    let again = zeren_app::App::open(&t.db_url, zeren_app::AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    use zeren_app::crypto::CryptoProvider;
    assert_eq!(
        again
            .crypto()
            .open("petitions.informant_name", &after)
            .unwrap(),
        "吴轮换测试"
    );
    assert!(
        again
            .crypto()
            .open("petitions.informant_name", &before)
            .is_err(),
        "the old key is gone"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'key_rotate'")
            .await,
        1
    );
}

#[tokio::test]
async fn four_forms_are_recorded_and_counted_per_org_and_form() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let unit1 = t.login_api("unit1").await;
    let org = t.home_org(&unit1).await;
    let org_id = org["id"].as_i64().unwrap();
    let people = t
        .get_ok(&unit1, &format!("/api/v1/people?org={org_id}"))
        .await;
    let person = people["items"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let year = zeren_app::clock::today().year();
    let stats = t
        .get_ok(&disc, &format!("/api/v1/four-forms/stats?year={year}"))
        .await;
    let by_form = |v: &Value| -> Vec<i64> {
        v["by_form"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect()
    };
    let before = by_form(&stats);
    assert!(
        before.iter().sum::<i64>() > 0,
        "the demo has four-forms records this year"
    );

    let body = |action: &str| json!({"person_id": person, "action": action, "decided_on": days_from_today(0), "decided_by": "驻委纪检监察组", "reason": "集成测试"});
    for a in ["serious_warning", "reminder_talk", "reminder_talk"] {
        let r = t.post(&disc, "/api/v1/four-forms", &body(a)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{a}: {}", r.text());
    }
    let r = t
        .post(&disc, "/api/v1/four-forms", &body("beheading"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post(&unit1, "/api/v1/four-forms", &body("reminder_talk"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let after = by_form(
        &t.get_ok(&disc, &format!("/api/v1/four-forms/stats?year={year}"))
            .await,
    );
    assert_eq!(after[0], before[0] + 2, "form 1");
    assert_eq!(after[1], before[1] + 1, "form 2");
    assert_eq!(after[2..], before[2..]);
    let (items, _) = t
        .all_items(&disc, &format!("/api/v1/four-forms?person={person}&form=1"))
        .await;
    assert!(items.len() >= 2);
    // the page shows the statistics table
    let s = t.login_page("discipline").await;
    let page = s.get(&format!("/four-forms?year={year}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("第二种形态") && page.text().contains("严重警告"));
}

#[tokio::test]
async fn only_the_security_administrator_grants_the_clearance_and_only_to_discipline() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let d1 = t.login_api("discipline1").await;
    let sec = t.login_api("secadmin").await;
    let org_id = t.home_org(&d1).await["id"].as_i64().unwrap();
    let id = real_name_petition(&t, &disc, org_id, "郑授权测试", &days_from_today(-1)).await;
    let uid = |name: &'static str| {
        let t = &t;
        async move {
            let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
                .bind(name)
                .fetch_one(t.app.store.pool())
                .await
                .unwrap();
            id
        }
    };
    let d1_id = uid("discipline1").await;
    let unit1_id = uid("unit1").await;
    let grant = |g: bool| json!({ "granted": g });
    // nobody but the security administrator
    for tok in [&disc, &d1] {
        let r = t
            .post(
                tok,
                &format!("/api/v1/users/{d1_id}/clearance"),
                &grant(true),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    }
    // not to an account without the discipline role
    let r = t
        .post(
            &sec,
            &format!("/api/v1/users/{unit1_id}/clearance"),
            &grant(true),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    // granted: discipline1 may now read the informant; revoked: no more
    let r = t
        .post(
            &sec,
            &format!("/api/v1/users/{d1_id}/clearance"),
            &grant(true),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = t
        .get_ok(&d1, &format!("/api/v1/petitions/{id}/informant"))
        .await;
    assert_eq!(v["name"], json!("郑授权测试"));
    let r = t
        .post(
            &sec,
            &format!("/api/v1/users/{d1_id}/clearance"),
            &grant(false),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .get(&d1, &format!("/api/v1/petitions/{id}/informant"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('clearance_grant', 'clearance_revoke') AND actor_name = 'secadmin'").await,
        2
    );
    // the security administrator itself reads no petition
    assert_eq!(
        t.get(&sec, "/api/v1/petitions").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get(&sec, &format!("/api/v1/petitions/{id}/informant"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_working_day_calendar_is_kept_on_its_page() {
    let t = spawn_app().await;
    let s = t.login_page("discipline").await;
    let page = s.get("/calendar?year=2026").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("国庆节"), "the demo's 2026 calendar");
    let r = s
        .post_form(
            "/calendar",
            &[
                ("csrf", s.csrf.as_str()),
                ("day", "2030-05-06"),
                ("kind", "holiday"),
                ("name", "测试假日"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        t.count("SELECT COUNT(*) FROM calendar_days WHERE day = '2030-05-06' AND kind = 'holiday'")
            .await,
        1
    );
    let r = s
        .post_form(
            "/calendar",
            &[
                ("csrf", s.csrf.as_str()),
                ("day", "2030-05-06"),
                ("kind", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM calendar_days WHERE day = '2030-05-06'")
            .await,
        0
    );
    let u = t.login_page("unit1").await;
    assert_eq!(u.get("/calendar").await.status, StatusCode::FORBIDDEN);
    let r = u
        .post_form(
            "/calendar",
            &[
                ("csrf", u.csrf.as_str()),
                ("day", "2030-05-07"),
                ("kind", "holiday"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn zeren_keys_rotate_re_encrypts_and_prints_no_key() {
    let t = spawn_app().await;
    let disc = t.login_api("discipline").await;
    let unit1 = t.login_api("unit1").await;
    let org_id = t.home_org(&unit1).await["id"].as_i64().unwrap();
    let id = real_name_petition(&t, &disc, org_id, "冯命令行测试", &days_from_today(-1)).await;
    let before = sealed_name(&t, id).await;
    let old_file = std::fs::read_to_string(t.data_dir.join("zeren.keys")).unwrap();
    let old_hex: Vec<String> = old_file
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':').map(|(_, h)| h.trim().to_string()))
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["keys", "rotate", "--data"])
        .arg(&t.data_dir)
        .arg("--database")
        .arg(&t.db_url)
        .env_remove("ZEREN_CONFIG")
        .env_remove("ZEREN_DATA_KEYS")
        .output()
        .expect("run zeren keys rotate");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("已轮换数据密钥"), "{text}");
    let new_file = std::fs::read_to_string(t.data_dir.join("zeren.keys")).unwrap();
    for h in old_hex.iter().chain(
        new_file
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(':').map(|(_, h)| h.trim().to_string()))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        assert!(!text.contains(h.as_str()), "a key was printed: {text}");
    }
    let after = sealed_name(&t, id).await;
    assert_ne!(after, before);
    // a process started after the rotation reads it with the new file
    let again = zeren_app::App::open(&t.db_url, zeren_app::AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    use zeren_app::crypto::CryptoProvider;
    assert_eq!(
        again
            .crypto()
            .open("petitions.informant_name", &after)
            .unwrap(),
        "冯命令行测试"
    );
}

#[tokio::test]
async fn a_missing_key_file_is_refused_when_sealed_data_exists() {
    let t = spawn_app().await;
    let keys = t.data_dir.join("zeren.keys");
    let away = t.data_dir.join("zeren.keys.away");
    std::fs::rename(&keys, &away).unwrap();
    let err = zeren_app::App::open(&t.db_url, zeren_app::AppConfig::new(t.data_dir.clone()))
        .await
        .err()
        .expect("no app without the key of its sealed data")
        .to_string();
    assert!(err.contains("找不到数据密钥文件"), "{err}");
    assert!(!keys.exists(), "no new key was generated");
    std::fs::rename(&away, &keys).unwrap();
    zeren_app::App::open(&t.db_url, zeren_app::AppConfig::new(t.data_dir.clone()))
        .await
        .expect("opens with its key file");
}
