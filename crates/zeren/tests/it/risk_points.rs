//! Integrity risk points (廉政风险点): the heat table's cells equal the lists they
//! link to, reads are scoped, registration with controls, reviews and the Excel
//! ledger. Demo: twelve points in three units, every level and most categories.
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

#[tokio::test]
async fn the_heat_table_counts_what_the_list_shows() {
    let t = spawn_app().await;
    for who in ["commission", "unit1"] {
        let tok = t.login_api(who).await;
        let heat = t.get_ok(&tok, "/api/v1/risk-points/heat").await;
        let total = t.total(&tok, "/api/v1/risk-points").await;
        assert_eq!(heat["total"].as_i64(), Some(total), "{who}");
        let cells = heat["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 8 * 3, "every category × level");
        let mut nonzero = 0;
        for c in cells {
            let (cat, lv) = (
                c["category"].as_str().unwrap(),
                c["level"].as_str().unwrap(),
            );
            let n = t
                .total(
                    &tok,
                    &format!("/api/v1/risk-points?category={cat}&level={lv}"),
                )
                .await;
            assert_eq!(c["n"].as_i64(), Some(n), "{who} {cat}×{lv}");
            nonzero += (n > 0) as i32;
        }
        if who == "commission" {
            assert!(nonzero >= 6, "the demo spreads over categories and levels");
            for lv in ["high", "medium", "low"] {
                assert!(
                    t.total(&tok, &format!("/api/v1/risk-points?level={lv}"))
                        .await
                        > 0,
                    "{lv}"
                );
            }
        }
    }
    // scoped: unit1 sees only its own subtree, fewer than the commission
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let all = t.total(&com, "/api/v1/risk-points").await;
    let (mine, _) = t.all_items(&u1, "/api/v1/risk-points").await;
    let u1_path = t.home_org(&u1).await["path"].as_str().unwrap().to_string();
    assert!(!mine.is_empty() && (mine.len() as i64) < all);
    assert!(mine
        .iter()
        .all(|r| r["org_path"].as_str().unwrap().starts_with(&u1_path)));
    let outside = t
        .count(&format!(
            "SELECT MIN(id) FROM risk_points WHERE org_path NOT LIKE '{u1_path}%'"
        ))
        .await;
    assert_eq!(
        t.get(&u1, &format!("/api/v1/risk-points/{outside}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // the page's cells link to the filtered list and show the same numbers
    let s = t.login_page("commission").await;
    let html = s.get("/risk-points").await.text();
    assert!(html.contains("风险热力表"));
    assert!(
        html.contains("/risk-points?org=&amp;category=procurement&amp;level=high")
            || html.contains("category=procurement&amp;level=high"),
        "cell link"
    );
    // a member reads no risk points
    let m = t.login_api("member1").await;
    assert_eq!(
        t.get(&m, "/api/v1/risk-points").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_point_is_registered_reviewed_and_exported() {
    let t = spawn_app().await;
    let u1 = t.login_api("unit1").await;
    let org = t.home_org(&u1).await;
    let org_id = org["id"].as_i64().unwrap();
    let owner = t
        .count(&format!(
            "SELECT MIN(id) FROM people WHERE org_id = {org_id}"
        ))
        .await;
    let before = t
        .total(&u1, "/api/v1/risk-points?category=research&level=high")
        .await;
    let r = t
        .post(&u1, "/api/v1/risk-points", &json!({
            "org_id": org_id, "department": "科研处", "post": "集成测试岗", "category": "research",
            "level": "high", "description": "测试：课题经费转拨关联公司",
            "controls": [{"measure": "外拨经费合同审查", "owner_person_id": owner}, {"measure": "", "owner_person_id": null}],
        }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let d = t.get_ok(&u1, &format!("/api/v1/risk-points/{id}")).await;
    assert_eq!(
        d["point"]["review_months"].as_i64(),
        Some(3),
        "high: quarterly"
    );
    assert_eq!(
        d["controls"].as_array().unwrap().len(),
        1,
        "blank controls are dropped"
    );
    assert!(d["controls"][0]["owner_name"].is_string());
    assert_eq!(
        t.total(&u1, "/api/v1/risk-points?category=research&level=high")
            .await,
        before + 1
    );
    let heat = t.get_ok(&u1, "/api/v1/risk-points/heat").await;
    let cell = heat["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "research" && c["level"] == "high")
        .unwrap()
        .clone();
    assert_eq!(cell["n"].as_i64(), Some(before + 1));
    // a review moves the next one by the cycle
    let r = t
        .post(
            &u1,
            &format!("/api/v1/risk-points/{id}/review"),
            &json!({"reviewed_on": "2026-08-31", "note": "措施有效"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = t.get_ok(&u1, &format!("/api/v1/risk-points/{id}")).await;
    assert_eq!(d["point"]["next_review_on"], "2026-11-30");
    assert_eq!(d["point"]["last_reviewed_on"], "2026-08-31");
    assert!(d["history"].as_array().unwrap().len() >= 2);
    // validation names the fields
    let r = t
        .post(&u1, "/api/v1/risk-points", &json!({"org_id": org_id}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    for f in ["department", "post", "category", "level", "description"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    // leaders read but do not register
    let leader = t.login_api("leader1").await;
    assert_eq!(
        t.get(&leader, &format!("/api/v1/risk-points/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let r = t
        .post(&leader, "/api/v1/risk-points", &json!({"org_id": org_id}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // due for review: the demo's overdue point is in the commission's list
    let com = t.login_api("commission").await;
    let due = t.total(&com, "/api/v1/risk-points?due=1").await;
    assert!(due >= 1);
    let s = t.login_page("commission").await;
    assert!(s.get("/risk-points?due=1").await.text().contains("逾期"));
    // the Excel ledger holds the list
    let r = t.get(&u1, "/api/v1/risk-points/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let total = t.total(&u1, "/api/v1/risk-points").await;
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert!(rows as i64 >= total, "{rows} rows for {total} points");
    assert!(strings.iter().any(|s| s.contains("集成测试岗")));
}

async fn review_reminders(t: &TestApp, id: i64) -> i64 {
    t.count(&format!(
        "SELECT COUNT(*) FROM notifications WHERE item_type = 'risk_review' AND item_id = {id}"
    ))
    .await
}

async fn set_next_review(t: &TestApp, id: i64, day: &str) {
    sqlx::query(&format!(
        "UPDATE risk_points SET next_review_on = '{day}' WHERE id = {id}"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
}

/// Periodic review through the reminder engine: a point due for review within two
/// weeks is told to its org once, told again once overdue, and not at all once
/// reviewed (the review moves the day); the inbox links to the point.
#[tokio::test]
async fn a_review_falling_due_is_reminded_once_per_stage() {
    let t = spawn_app().await;
    let (id, org_id): (i64, i64) =
        sqlx::query_as("SELECT id, org_id FROM risk_points ORDER BY id LIMIT 1")
            .fetch_one(t.app.store.pool())
            .await
            .unwrap();
    // nothing else is due: only this point's reminders are counted below
    sqlx::query("UPDATE risk_points SET next_review_on = '2999-01-01'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let today = zeren_app::clock::today();
    let day = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let on = |n: i64| today + chrono::Duration::days(n);

    set_next_review(&t, id, &day(30)).await;
    t.app.jobs_once(today).await.unwrap();
    assert_eq!(review_reminders(&t, id).await, 0, "a month away: not yet");

    set_next_review(&t, id, &day(10)).await;
    t.app.jobs_once(on(1)).await.unwrap();
    assert_eq!(review_reminders(&t, id).await, 1, "within two weeks: due");
    t.app.jobs_once(on(2)).await.unwrap();
    assert_eq!(review_reminders(&t, id).await, 1, "told once per stage");
    t.app.jobs_once(on(11)).await.unwrap();
    assert_eq!(
        review_reminders(&t, id).await,
        2,
        "past the day: overdue, told again"
    );
    let (recipient, stage): (Option<i64>, String) = sqlx::query_as(&format!(
        "SELECT recipient_org_id, stage FROM notifications WHERE item_type = 'risk_review' \
         AND item_id = {id} ORDER BY id DESC LIMIT 1"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    assert_eq!(recipient, Some(org_id));
    assert_eq!(stage, "risk-review-overdue");

    // reviewed: the next review is months away, nothing more
    set_next_review(&t, id, &day(180)).await;
    t.app.jobs_once(on(12)).await.unwrap();
    assert_eq!(review_reminders(&t, id).await, 2);
}
