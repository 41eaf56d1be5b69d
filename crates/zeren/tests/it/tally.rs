//! Year tallies (migration 0016) and the dues' last paid month (0017) are kept by
//! triggers: whatever writes the records — the forms and API, an import, the demo
//! loader, a plain SQL statement, an org moving — the tallies must equal a recount
//! (`zeren_store::tally::drift`), and the check must notice when they do not.
use crate::harness::*;

async fn drift(t: &TestApp) -> Vec<String> {
    let mut c = t.app.store.conn().await.expect("conn");
    zeren_store::tally::drift(&mut c).await.expect("drift")
}

async fn exec(t: &TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(t.app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn branch(t: &TestApp, skip: i64) -> (i64, String) {
    sqlx::query_as(&format!(
        "SELECT id, path FROM orgs WHERE kind = 'branch' ORDER BY id LIMIT 1 OFFSET {skip}"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .expect("a branch")
}

#[tokio::test]
async fn the_demo_loads_with_tallies_that_match_its_records() {
    let t = spawn_app().await;
    assert_eq!(drift(&t).await, Vec::<String>::new());
    // the check can fail: tally rows off by one are reported with their keys
    exec(
        &t,
        "UPDATE problem_tally SET closed = closed + 1 WHERE org_path = (SELECT MIN(org_path) FROM problem_tally)",
    )
    .await;
    let d = drift(&t).await;
    assert!(!d.is_empty());
    assert!(d.iter().all(|l| l.starts_with("problem_tally ")), "{d:?}");
}

#[tokio::test]
async fn every_kind_of_write_keeps_the_tallies() {
    let t = spawn_app().await;
    let (org_id, path) = branch(&t, 0).await;
    let (_, other_path) = branch(&t, 1).await;
    let y = zeren_app::clock::today().format("%Y").to_string();
    let last = (y.parse::<i32>().unwrap() - 1).to_string();

    // activities: held, planned, cancelled, moved to another month and year, deleted
    exec(&t, &format!(
        "INSERT INTO activities (org_id, org_path, kind, title, state, held_on, first_topic, present_count, opinions, matters, created_at, updated_at) VALUES \
         ({org_id}, '{path}', 'research', '调研一', 'held', '{y}-03-31', 0, 7, '停车难' || char(10) || '挂号难', NULL, 0, 0), \
         ({org_id}, '{path}', 'volunteer', '办实事', 'held', '{y}-04-01', 0, 5, NULL, '义诊' || char(10) || '测血压' || char(10) || '送药', 0, 0), \
         ({org_id}, '{path}', 'theme_day', '主题党日', 'planned', NULL, 0, 0, NULL, NULL, 0, 0), \
         ({org_id}, '{path}', 'branch_committee', '支委会', 'held', '{y}-01-15', 1, 4, NULL, NULL, 0, 0)"
    ).replace("char(10)", if t.db_url.starts_with("postgres") { "chr(10)" } else { "char(10)" }))
    .await;
    assert_eq!(drift(&t).await, Vec::<String>::new());
    exec(
        &t,
        &format!(
            "UPDATE activities SET state = 'held', held_on = '{y}-02-28' WHERE title = '主题党日'"
        ),
    )
    .await;
    exec(
        &t,
        "UPDATE activities SET state = 'cancelled' WHERE title = '支委会'",
    )
    .await;
    exec(
        &t,
        &format!("UPDATE activities SET held_on = '{last}-12-31' WHERE title = '调研一'"),
    )
    .await;
    exec(
        &t,
        "UPDATE activities SET opinions = NULL, present_count = 9 WHERE title = '调研一'",
    )
    .await;
    exec(
        &t,
        "UPDATE activities SET title = '办实事（改）' WHERE title = '办实事'",
    )
    .await;
    assert_eq!(drift(&t).await, Vec::<String>::new());

    // problems and measures: through the API, then closed, re-dated, re-sourced
    let token = t.login_api("commission").await;
    let pid = t.create_problem(&token, org_id, "停车难问题整改").await;
    let m1 = t.add_measure(&token, pid, "增设车位").await;
    t.add_measure(&token, pid, "错峰停车").await;
    let r = t.complete_measure(&token, m1).await;
    assert!(r.status.is_success(), "{}", r.text());
    assert_eq!(drift(&t).await, Vec::<String>::new());
    exec(
        &t,
        &format!(
            "UPDATE problems SET found_on = '{last}-06-30', source = 'inspection' WHERE id = {pid}"
        ),
    )
    .await;
    exec(
        &t,
        &format!("UPDATE problems SET state = 'closed' WHERE id = {pid}"),
    )
    .await;
    exec(
        &t,
        &format!("UPDATE measures SET state = 'done' WHERE problem_id = {pid}"),
    )
    .await;
    assert_eq!(drift(&t).await, Vec::<String>::new());
    exec(
        &t,
        &format!("UPDATE measures SET state = 'todo' WHERE id = {m1}"),
    )
    .await;
    exec(
        &t,
        &format!("UPDATE problems SET state = 'open' WHERE id = {pid}"),
    )
    .await;
    assert_eq!(drift(&t).await, Vec::<String>::new());

    // tasks: done, re-dated into next year
    exec(
        &t,
        "UPDATE tasks SET state = 'done' WHERE id IN (SELECT id FROM tasks ORDER BY id LIMIT 3)",
    )
    .await;
    exec(&t, &format!("UPDATE tasks SET deadline = '{}-01-10' WHERE id IN (SELECT id FROM tasks ORDER BY id DESC LIMIT 2)", y.parse::<i32>().unwrap() + 1)).await;
    assert_eq!(drift(&t).await, Vec::<String>::new());
    // … completed late (2100-01-01), then with no completion time (on time again)
    let on_time = "SELECT CAST(SUM(done_on_time) AS BIGINT) FROM task_tally";
    let before = t.count(on_time).await;
    let late = "UPDATE tasks SET completed_at = 4102444800 WHERE id IN (SELECT id FROM tasks WHERE state = 'done' ORDER BY id LIMIT 3)";
    exec(&t, late).await;
    assert_eq!(drift(&t).await, Vec::<String>::new());
    assert!(
        t.count(on_time).await < before,
        "late completions are not on time"
    );
    exec(
        &t,
        "UPDATE tasks SET completed_at = NULL WHERE completed_at = 4102444800",
    )
    .await;
    assert_eq!(drift(&t).await, Vec::<String>::new());

    // an org's records moving to another subtree (as org::move_subtree rewrites paths)
    for table in ["activities", "problems", "measures", "tasks"] {
        exec(
            &t,
            &format!("UPDATE {table} SET org_path = '{other_path}' WHERE org_path = '{path}'"),
        )
        .await;
    }
    assert_eq!(drift(&t).await, Vec::<String>::new());

    // deletes (no use case deletes these records; the triggers still keep count)
    exec(&t, "DELETE FROM activity_people WHERE activity_id IN (SELECT id FROM activities WHERE title = '办实事（改）')").await;
    exec(&t, "DELETE FROM activities WHERE title = '办实事（改）'").await;
    assert_eq!(drift(&t).await, Vec::<String>::new());
}

#[tokio::test]
async fn the_last_paid_month_follows_payments() {
    let t = spawn_app().await;
    let (pid, org_path): (i64, String) = sqlx::query_as(
        "SELECT id, org_path FROM people WHERE party_status = 'full' AND left_on IS NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let last = || async {
        let (m,): (Option<String>,) = sqlx::query_as(&format!(
            "SELECT dues_last_month FROM people WHERE id = {pid}"
        ))
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
        m
    };
    let max = || async {
        let (m,): (Option<String>,) = sqlx::query_as(&format!(
            "SELECT MAX(month) FROM dues_payments WHERE person_id = {pid}"
        ))
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
        m
    };
    assert_eq!(last().await, max().await);
    exec(
        &t,
        &format!("DELETE FROM dues_payments WHERE person_id = {pid}"),
    )
    .await;
    assert_eq!(last().await, None);
    exec(&t, &format!(
        "INSERT INTO dues_payments (person_id, org_path, month, amount_cents, paid_on, created_at) VALUES \
         ({pid}, '{org_path}', '2031-05', 100, '2031-05-10', 0), ({pid}, '{org_path}', '2031-03', 100, '2031-03-10', 0)"
    ))
    .await;
    assert_eq!(last().await.as_deref(), Some("2031-05"));
    exec(&t, &format!("UPDATE dues_payments SET month = '2031-01' WHERE person_id = {pid} AND month = '2031-05'")).await;
    assert_eq!(last().await.as_deref(), Some("2031-03"));
    exec(
        &t,
        &format!("DELETE FROM dues_payments WHERE person_id = {pid} AND month = '2031-03'"),
    )
    .await;
    assert_eq!(last().await.as_deref(), Some("2031-01"));
}
