//! 党员名册: a branch records a month's dues in one POST, arrears follow from the
//! payments, development steps are checked against the rules (with the article), a
//! transfer out leaves the roster count, scope holds, and base pay stays with the
//! org's office.
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

/// The previous calendar month, `YYYY-MM` (China Standard Time is close enough: the
/// tests never run on a month's first hours in a way that matters to these checks).
fn last_month() -> String {
    let today = days_from_today(0);
    let idx = zeren_core::dues::month_index(&today).unwrap();
    zeren_core::dues::month_of_index(idx - 1)
}

async fn sheet(t: &TestApp, token: &str, org: i64, month: &str) -> Vec<Value> {
    t.get_ok(token, &format!("/api/v1/dues?org={org}&month={month}"))
        .await["rows"]
        .as_array()
        .expect("rows")
        .clone()
}

async fn roster_of(t: &TestApp, token: &str, id: i64) -> Value {
    t.get_ok(token, &format!("/api/v1/people/{id}/roster"))
        .await
}

/// The demo records dues bases and this year's payments; these tests start from a
/// roster with neither.
async fn without_demo_dues(t: &TestApp) {
    for sql in [
        "DELETE FROM dues_payments",
        "UPDATE people SET dues_base_cents = NULL",
    ] {
        sqlx::query(sql).execute(t.app.store.pool()).await.unwrap();
    }
}

#[tokio::test]
async fn branch1_records_a_months_dues_for_its_branch_in_one_post() {
    let t = spawn_app().await;
    without_demo_dues(&t).await;
    let token = t.login_api("branch1").await;
    let branch = t.home_org(&token).await["id"].as_i64().unwrap();
    let month = last_month();
    let rows = sheet(&t, &token, branch, &month).await;
    assert!(rows.len() >= 2, "a branch has members owing dues: {rows:?}");
    assert!(rows.iter().all(|r| r["paid_cents"].is_null()));
    assert!(
        rows.iter().all(|r| r["base_cents"].is_null()),
        "a branch secretary does not see base pay"
    );

    // the page lists every member with a tick box, in one form
    let s = t.login_page("branch1").await;
    let page = s.get(&format!("/dues?org={branch}&month={month}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r["person_id"].as_i64().unwrap())
        .collect();
    for id in &ids {
        assert!(
            html.contains(&format!("name=\"paid_{id}\"")),
            "tick box for {id}"
        );
    }
    // one POST: every member but the last ticked, 15 元 each
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), s.csrf.clone()),
        ("org_id".into(), branch.to_string()),
        ("month".into(), month.clone()),
        ("paid_on".into(), days_from_today(0)),
    ];
    for id in &ids[..ids.len() - 1] {
        form.push((format!("paid_{id}"), "1".into()));
        form.push((format!("amount_{id}"), "15".into()));
    }
    let fr: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = s.post_form("/dues", &fr).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let paid = t
        .count(&format!(
            "SELECT COUNT(*) FROM dues_payments WHERE month = '{month}' AND amount_cents = 1500"
        ))
        .await;
    assert_eq!(paid, ids.len() as i64 - 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'dues_record'")
            .await,
        1,
        "one audit event for the batch"
    );
    // posting again writes nothing twice
    let r = s.post_form("/dues", &fr).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM dues_payments WHERE month = '{month}'"
        ))
        .await,
        paid
    );
    let rows = sheet(&t, &token, branch, &month).await;
    let unpaid: Vec<&Value> = rows.iter().filter(|r| r["paid_cents"].is_null()).collect();
    assert_eq!(unpaid.len(), 1);
    assert_eq!(unpaid[0]["person_id"].as_i64(), ids.last().copied());

    // an amount nobody can compute (no base pay) is refused, nothing written
    let last = *ids.last().unwrap();
    let r = t
        .post(
            &token,
            "/api/v1/dues",
            &json!({"org_id": branch, "month": month, "items": [{"person_id": last}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    // a future month is refused
    let next = zeren_core::dues::month_of_index(
        zeren_core::dues::month_index(&days_from_today(0)).unwrap() + 1,
    );
    let r = t
        .post(
            &token,
            "/api/v1/dues",
            &json!({"org_id": branch, "month": next, "items": [{"person_id": last, "amount_cents": 100}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn arrears_follow_from_the_payments() {
    let t = spawn_app().await;
    without_demo_dues(&t).await;
    let token = t.login_api("branch1").await;
    let branch = t.home_org(&token).await["id"].as_i64().unwrap();
    let month = last_month();
    let rows = sheet(&t, &token, branch, &month).await;
    let a = rows[0]["person_id"].as_i64().unwrap();
    let b = rows[1]["person_id"].as_i64().unwrap();
    // a paid last month; b last paid January 2025
    for (p, m) in [(a, month.as_str()), (b, "2025-01")] {
        let r = t
            .post(
                &token,
                "/api/v1/dues",
                &json!({"org_id": branch, "month": m, "items": [{"person_id": p, "amount_cents": 2000}]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["recorded"], 1);
    }
    let today = days_from_today(0);
    assert_eq!(roster_of(&t, &token, a).await["arrears_months"], 0);
    let expect_b = zeren_core::dues::arrears_months(None, Some("2025-01"), &today);
    assert!(expect_b >= 6);
    assert_eq!(roster_of(&t, &token, b).await["arrears_months"], expect_b);

    let (items, _) = t
        .all_items(&token, &format!("/api/v1/people?org={branch}&arrears=1"))
        .await;
    let ids: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&b) && !ids.contains(&a), "{ids:?}");

    // the set-wise figure for branch health
    let mut c = t.app.store.conn().await.unwrap();
    let scope = zeren_store::Scope::Subtrees(vec!["/".into()]);
    let by_org = zeren_store::roster::dues_arrears_by_org(&mut c, &scope, &today)
        .await
        .unwrap();
    let org_of_b = items.iter().find(|i| i["id"] == b).unwrap()["org_id"]
        .as_i64()
        .unwrap();
    let (_, n1, n6) = by_org
        .iter()
        .find(|(o, _, _)| *o == org_of_b)
        .copied()
        .expect("b's org has arrears");
    assert!(n6 >= 1 && n1 >= n6);
    // a (paid up) is not counted: the org's figure equals the listed members in arrears
    let listed_in_org = items.iter().filter(|i| i["org_id"] == org_of_b).count() as i64;
    assert_eq!(n1, listed_in_org);
}

#[tokio::test]
async fn a_candidate_promoted_too_early_is_refused_with_the_article() {
    let t = spawn_app().await;
    let token = t.login_api("branch1").await;
    let branch = t.home_org(&token).await["id"].as_i64().unwrap();
    // the unit's office registers a young colleague in the branch
    let s = t.login_page("unit1").await;
    let r = s
        .post_form(
            "/people",
            &[
                ("csrf", &s.csrf),
                ("org_id", &branch.to_string()),
                ("name", "测试申请人"),
                ("party_status", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: i64 = r.location().trim_start_matches("/people/").parse().unwrap();
    let step = |to: &str, on: &str| {
        let mut b = json!({"to": to, "on": on});
        if to == "applicant" {
            b["born_on"] = json!("2007-03-01");
        }
        b
    };
    // under eighteen on the day of application
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{id}/stage"),
            &step("applicant", "2025-02-28"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("第五条"), "{}", r.text());
    for (to, on) in [("applicant", "2025-03-01"), ("activist", "2025-03-10")] {
        let r = t
            .post(&token, &format!("/api/v1/people/{id}/stage"), &step(to, on))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.text());
    }
    // 发展对象 after less than a year as 积极分子
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{id}/stage"),
            &step("candidate", "2026-03-09"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let body = r.json();
    let msg = body["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("第十二条"), "article cited: {msg}");
    assert!(msg.contains("2026-03-10"), "earliest day named: {msg}");
    let v = roster_of(&t, &token, id).await;
    assert_eq!(v["roster"]["party_status"], "activist", "nothing written");
    // a stage cannot be skipped
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{id}/stage"),
            &step("probationary", "2026-04-01"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // on the anniversary it is accepted
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{id}/stage"),
            &step("candidate", "2026-03-10"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = roster_of(&t, &token, id).await;
    assert_eq!(v["roster"]["candidate_on"], "2026-03-10");
    assert_eq!(v["pipeline"][2]["reached"], true);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'member_stage' AND object_id = '{id}'"
        ))
        .await,
        3
    );
    // the person page shows the pipeline and the next step's form
    let html = t
        .login_page("branch1")
        .await
        .get(&format!("/people/{id}"))
        .await
        .text();
    assert!(html.contains("发展对象") && html.contains("action=\"/people/"));
}

#[tokio::test]
async fn a_transfer_out_leaves_the_branch_roster_count() {
    let t = spawn_app().await;
    let token = t.login_api("branch1").await;
    let branch = t.home_org(&token).await["id"].as_i64().unwrap();
    let list = format!("/api/v1/people?org={branch}");
    let before = t.total(&token, &list).await;
    let members_before = t.total(&token, &format!("{list}&status=full")).await;
    let rows = sheet(&t, &token, branch, &last_month()).await;
    let p = rows
        .iter()
        .find(|r| r["party_status"] == "full")
        .expect("a full member")["person_id"]
        .as_i64()
        .unwrap();
    let body = json!({"direction": "out", "other_org": "外省某医院党支部", "on_date": days_from_today(-1), "note": "工作调动"});
    let r = t
        .post(&token, &format!("/api/v1/people/{p}/transfers"), &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(t.total(&token, &list).await, before - 1);
    assert_eq!(
        t.total(&token, &format!("{list}&status=full")).await,
        members_before - 1
    );
    let (left, _) = t.all_items(&token, &format!("{list}&left=1")).await;
    assert!(left.iter().any(|i| i["id"] == p));
    assert!(
        !sheet(&t, &token, branch, &last_month())
            .await
            .iter()
            .any(|r| r["person_id"] == p),
        "no dues owed here after the transfer"
    );
    // twice out is refused; back in restores the count
    let r = t
        .post(&token, &format!("/api/v1/people/{p}/transfers"), &body)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{p}/transfers"),
            &json!({"direction": "in", "other_org": "外省某医院党支部", "on_date": days_from_today(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(t.total(&token, &list).await, before);
    let v = roster_of(&t, &token, p).await;
    assert_eq!(v["transfers"].as_array().unwrap().len(), 2);
    // a bad body is refused field by field
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{p}/transfers"),
            &json!({"direction": "sideways", "other_org": "", "on_date": "2026-13-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"].as_array().unwrap().len() >= 3);
}

#[tokio::test]
async fn unit1_cannot_see_another_units_people_or_dues() {
    let t = spawn_app().await;
    without_demo_dues(&t).await;
    let all = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let unit1_org = t.home_org(&unit1).await;
    let unit1_path = unit1_org["path"].as_str().unwrap().to_string();
    let (people, _) = t.all_items(&all, "/api/v1/people").await;
    // someone of another unit: an org outside unit1's subtree
    let mut other = None;
    for p in &people {
        let org = t
            .get_ok(&all, &format!("/api/v1/orgs/{}", p["org_id"]))
            .await;
        let path = org["path"].as_str().unwrap_or("").to_string();
        if path.matches('/').count() > 3 && !path.starts_with(&unit1_path) {
            other = Some((p["id"].as_i64().unwrap(), p["org_id"].as_i64().unwrap()));
            break;
        }
    }
    let (pid, org) = other.expect("a person of another unit");
    assert_eq!(
        t.get(&unit1, &format!("/api/v1/people/{pid}/roster"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .post(
            &unit1,
            &format!("/api/v1/people/{pid}/transfers"),
            &json!({"direction": "out", "other_org": "某地", "on_date": days_from_today(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .post(
            &unit1,
            &format!("/api/v1/people/{pid}/stage"),
            &json!({"to": "full", "on": days_from_today(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get(&unit1, &format!("/api/v1/dues?org={org}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = t
        .post(
            &unit1,
            "/api/v1/dues",
            &json!({"org_id": org, "month": last_month(), "items": [{"person_id": pid, "amount_cents": 100}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(t.count("SELECT COUNT(*) FROM dues_payments").await, 0);
    let (mine, _) = t.all_items(&unit1, "/api/v1/people").await;
    assert!(!mine.iter().any(|p| p["id"] == pid));
    let s = t.login_page("unit1").await;
    assert_eq!(
        s.get(&format!("/people/{pid}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.get(&format!("/dues?org={org}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn base_pay_is_not_shown_to_a_plain_member() {
    let t = spawn_app().await;
    let member = t.login_api("member1").await;
    let (me, _) = t.all_items(&member, "/api/v1/people").await;
    assert_eq!(me.len(), 1, "a member sees only themselves");
    let pid = me[0]["id"].as_i64().unwrap();
    // the unit's office records the base pay on the person page
    let office = t.login_page("unit1").await;
    let r = office
        .post_form(
            &format!("/people/{pid}/dues"),
            &[
                ("csrf", &office.csrf),
                ("dues_kind", "salaried"),
                ("dues_base", "12345.67"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = office.get(&format!("/people/{pid}")).await.text();
    assert!(html.contains("12345.67"), "the office sees the base");
    assert!(html.contains("246.91"), "2% of 12345.67");
    // the member sees the amount, never the base
    let s = t.login_page("member1").await;
    let html = s.get(&format!("/people/{pid}")).await.text();
    assert!(html.contains("246.91"), "the member sees the amount due");
    assert!(
        !html.contains("12345.67"),
        "base pay hidden from the member"
    );
    let v = roster_of(&t, &member, pid).await;
    assert!(v["roster"]["dues_base_cents"].is_null(), "{v}");
    assert_eq!(v["monthly_cents"], 24691);
    // nor does the branch secretary, who records payments
    let branch = t.login_api("branch1").await;
    let v = t
        .get(&branch, &format!("/api/v1/people/{pid}/roster"))
        .await;
    if v.status == StatusCode::OK {
        assert!(v.json()["roster"]["dues_base_cents"].is_null());
    }
    // the base is not written to the audit log or the timeline
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%12345%'")
            .await,
        0
    );
    // a member cannot set it
    let r = s
        .post_form(
            &format!("/people/{pid}/dues"),
            &[
                ("csrf", &s.csrf),
                ("dues_kind", "salaried"),
                ("dues_base", "1"),
            ],
        )
        .await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(
        t.count(&format!(
            "SELECT COUNT(*) FROM people WHERE id = {pid} AND dues_base_cents = 1234567"
        ))
        .await
            == 1
    );
}

/// 系统内转接: a transfer out to a branch the office also manages moves the member
/// there in one act (the new branch counts them, nobody registers a 转入); to a branch
/// outside the sender's scope it stays a plain transfer out.
#[tokio::test]
async fn a_transfer_inside_the_system_moves_the_member_in_one_act() {
    let t = spawn_app().await;
    let token = t.login_api("unit1").await;
    let home = t.home_org(&token).await;
    let home_path = home["path"].as_str().unwrap().to_string();
    let branches: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT o.id, o.name, o.path FROM orgs o WHERE o.kind = 'branch' AND o.closed_at IS NULL \
         AND o.path LIKE '{home_path}%' AND EXISTS (SELECT 1 FROM people p WHERE p.org_id = o.id \
         AND p.party_status = 'full' AND p.left_on IS NULL AND p.pocket = 0) ORDER BY o.id LIMIT 2"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    assert_eq!(branches.len(), 2, "two branches of unit1 with members");
    let ((from, _, from_path), (to, to_name, to_path)) = (&branches[0], &branches[1]);
    let (p,): (i64,) = sqlx::query_as(&format!(
        "SELECT id FROM people WHERE org_id = {from} AND party_status = 'full' AND left_on IS NULL AND pocket = 0 ORDER BY id LIMIT 1"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let count = |org: i64| format!("/api/v1/people?org={org}");
    let (n_from, n_to) = (
        t.total(&token, &count(*from)).await,
        t.total(&token, &count(*to)).await,
    );
    let r = t
        .post(
            &token,
            &format!("/api/v1/people/{p}/transfers"),
            &json!({"direction": "out", "other_org": to_name, "on_date": days_from_today(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(t.total(&token, &count(*from)).await, n_from - 1);
    assert_eq!(
        t.total(&token, &count(*to)).await,
        n_to + 1,
        "counted at once in the new branch"
    );
    let (left, _) = t
        .all_items(&token, &format!("{}&left=1", count(*from)))
        .await;
    assert!(!left.iter().any(|i| i["id"] == p), "moved, not gone");
    let v = roster_of(&t, &token, p).await;
    assert_eq!(v["roster"]["org_path"], to_path.as_str());
    let dirs: Vec<&str> = v["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["direction"].as_str().unwrap())
        .collect();
    assert!(dirs.contains(&"out") && dirs.contains(&"in"), "{dirs:?}");
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM positions WHERE person_id = {p} AND org_id = {from}"
        ))
        .await,
        0,
        "posts in the branch left behind end"
    );
    assert!(from_path.starts_with(&home_path));

    // a branch secretary cannot move someone into a branch it does not manage: the
    // transfer stays a plain transfer out (the receiving side registers the 转入)
    let b1 = t.login_api("branch1").await;
    let b1_org = t.home_org(&b1).await["id"].as_i64().unwrap();
    let (q,): (i64,) = sqlx::query_as(&format!(
        "SELECT id FROM people WHERE org_id = {b1_org} AND party_status = 'full' AND left_on IS NULL AND pocket = 0 ORDER BY id LIMIT 1"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let r = t
        .post(
            &b1,
            &format!("/api/v1/people/{q}/transfers"),
            &json!({"direction": "out", "other_org": to_name, "on_date": days_from_today(0)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (left, _) = t.all_items(&b1, &format!("{}&left=1", count(b1_org))).await;
    assert!(left.iter().any(|i| i["id"] == q));
}
