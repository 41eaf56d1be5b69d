//! Recurring duties (occurrences per period and org, made once), year roll-over (a
//! copied tree with reset states and links, refused the second time) and pressure
//! transmission (per-level figures that add up to direct SQL counts, and scope).
use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

async fn sql_i64(t: &TestApp, sql: &str) -> i64 {
    let mut c = t.app.store.conn().await.expect("conn");
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut *c).await.expect(sql);
    n
}

async fn create_task(t: &TestApp, token: &str, org_id: i64, title: &str) -> i64 {
    let r = t
        .post(
            token,
            "/api/v1/tasks",
            &json!({"org_id": org_id, "category": "主体责任", "title": title,
                    "content": "每季度专题研究一次党风廉政建设", "deadline": "2026-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "create task: {}", r.text());
    r.json()["id"].as_i64().unwrap()
}

/// (title, deadline, org_id) of the occurrences of a duty, by period.
async fn occurrences(t: &TestApp, duty: i64) -> Vec<(String, String, String, i64)> {
    let mut c = t.app.store.conn().await.unwrap();
    sqlx::query_as(
        "SELECT period, title, deadline, org_id FROM tasks WHERE occurrence_of = $1 ORDER BY period",
    )
    .bind(duty)
    .fetch_all(&mut *c)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_quarterly_duty_becomes_four_items_per_unit_once() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let unit1 = t.home_org(&u1).await;
    let unit1_id = unit1["id"].as_i64().unwrap();
    let before_total = t.total(&com, "/api/v1/tasks").await;

    // a duty of unit1, issued by the commission: quarterly → four items for unit1
    let duty = create_task(&t, &com, unit1_id, "专题研究党风廉政建设").await;
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{duty}/cadence"),
            &json!({"cadence": "quarterly"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["created"], 4);
    let occ = occurrences(&t, duty).await;
    let got: Vec<(&str, &str, &str)> = occ
        .iter()
        .map(|(p, ti, d, _)| (p.as_str(), ti.as_str(), d.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-Q1", "专题研究党风廉政建设（第一季度）", "2026-03-31"),
            ("2026-Q2", "专题研究党风廉政建设（第二季度）", "2026-06-30"),
            ("2026-Q3", "专题研究党风廉政建设（第三季度）", "2026-09-30"),
            ("2026-Q4", "专题研究党风廉政建设（第四季度）", "2026-12-31"),
        ]
    );
    assert!(occ.iter().all(|o| o.3 == unit1_id), "for the duty's org");
    // they are tracked items of the unit: its list shows them, and the counters
    // (which serve list totals) moved by exactly the rows written
    let detail = t.get_ok(&u1, &format!("/api/v1/tasks/{duty}")).await;
    assert_eq!(detail["children"].as_array().unwrap().len(), 4);
    assert_eq!(t.total(&com, "/api/v1/tasks").await, before_total + 5);

    // the engine: the first pass may create others' occurrences, never these again;
    // a second pass creates nothing at all
    t.app.generate_occurrences(2026).await.unwrap();
    assert_eq!(t.app.generate_occurrences(2026).await.unwrap(), 0);
    assert_eq!(occurrences(&t, duty).await.len(), 4);
    let total = t.total(&com, "/api/v1/tasks").await;
    let rows = sql_i64(&t, "SELECT COUNT(*) FROM tasks").await;
    assert_eq!(total, rows, "counters agree with the rows after generation");

    // the unit cannot change what the commission issued
    let r = t
        .post(
            &u1,
            &format!("/api/v1/tasks/{duty}/cadence"),
            &json!({"cadence": "monthly"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{duty}/cadence"),
            &json!({"cadence": "weekly"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // an occurrence does not recur itself
    let occ_id = sql_i64(
        &t,
        &format!("SELECT MIN(id) FROM tasks WHERE occurrence_of = {duty}"),
    )
    .await;
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{occ_id}/cadence"),
            &json!({"cadence": "monthly"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    // setting the cadence is audited
    assert!(
        sql_i64(&t, &format!("SELECT COUNT(*) FROM audit_events WHERE action = 'task_cadence' AND object_id = '{duty}'")).await
            >= 1
    );
}

#[tokio::test]
async fn a_duty_handed_down_recurs_for_every_unit() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let root = t.home_org(&com).await;
    let root_id = root["id"].as_i64().unwrap();
    let units: Vec<i64> = t
        .get_ok(&com, &format!("/api/v1/orgs?root={root_id}&levels=1"))
        .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["parent_id"].as_i64() == Some(root_id) && o["closed_at"].is_null())
        .map(|o| o["id"].as_i64().unwrap())
        .take(3)
        .collect();
    assert_eq!(units.len(), 3, "the demo has units");

    let duty = create_task(&t, &com, root_id, "半年专题报告").await;
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{duty}/decompose"),
            &json!({"org_ids": &units[..2]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let copies: Vec<i64> = r.json()["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{duty}/cadence"),
            &json!({"cadence": "half_yearly"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // two half-years for the commission and for each of the two units
    assert_eq!(r.json()["created"], 6);
    for c in &copies {
        let occ = occurrences(&t, *c).await;
        assert_eq!(occ.len(), 2, "unit copy {c}");
        assert_eq!(occ[0].0, "2026-H1");
        assert_eq!(occ[1].2, "2026-12-31");
    }
    // handed down later to a third unit: the engine's next pass catches up
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{duty}/decompose"),
            &json!({"org_ids": [units[2]]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let third = r.json()["ids"][0].as_i64().unwrap();
    assert!(t.app.generate_occurrences(2026).await.unwrap() >= 2);
    let occ = occurrences(&t, third).await;
    assert_eq!(occ.len(), 2);
    assert!(occ.iter().all(|o| o.3 == units[2]));
    assert_eq!(t.app.generate_occurrences(2026).await.unwrap(), 0);
    // the detail page shows the cadence form to the issuing office
    let page = t.login_page("commission").await;
    let html = page.get(&format!("/tasks/{duty}")).await.text();
    assert!(html.contains("每半年"), "cadence label on the detail page");
    assert!(html.contains(&format!("action=\"/tasks/{duty}/cadence\"")));
}

/// (id, parent id, deadline, cadence) of last year's task.
type Original = (i64, Option<i64>, String, Option<String>);

#[derive(sqlx::FromRow, Debug)]
struct Copied {
    id: i64,
    parent_id: Option<i64>,
    previous_task_id: Option<i64>,
    deadline: String,
    state: String,
    completed_at: Option<i64>,
    remind_on: String,
    cadence: Option<String>,
}

#[tokio::test]
async fn roll_over_copies_the_tree_reset_and_linked_once() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let plan = sql_i64(&t, "SELECT MIN(id) FROM plans WHERE year = 2026").await;
    let year = sql_i64(&t, &format!("SELECT year FROM plans WHERE id = {plan}")).await;
    // give one duty a cadence, and one task a leap-day deadline, to see both carried
    let duty = sql_i64(
        &t,
        &format!("SELECT MIN(id) FROM tasks WHERE plan_id = {plan} AND parent_id IS NULL"),
    )
    .await;
    let r = t
        .post(
            &com,
            &format!("/api/v1/tasks/{duty}/cadence"),
            &json!({"cadence": "quarterly"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let old_count = sql_i64(
        &t,
        &format!("SELECT COUNT(*) FROM tasks WHERE plan_id = {plan} AND occurrence_of IS NULL"),
    )
    .await;
    assert!(old_count > 10, "the demo plan has a tree of tasks");
    let done_before = sql_i64(
        &t,
        &format!("SELECT COUNT(*) FROM tasks WHERE plan_id = {plan} AND state = 'done'"),
    )
    .await;
    assert!(done_before > 0, "some of last year's work is done");
    let total_before = t.total(&com, "/api/v1/tasks").await;

    // unit1 cannot roll the commission's plan (not even see it as a target)
    let r = t
        .post(
            &u1,
            &format!("/api/v1/plans/{plan}/roll"),
            &json!({"year": year + 1}),
        )
        .await;
    assert!(
        r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
        "{} {}",
        r.status,
        r.text()
    );

    let r = t
        .post(
            &com,
            &format!("/api/v1/plans/{plan}/roll"),
            &json!({"year": year + 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let new_plan = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        sql_i64(
            &t,
            &format!("SELECT previous_plan_id FROM plans WHERE id = {new_plan}")
        )
        .await,
        plan
    );
    assert_eq!(
        sql_i64(&t, &format!("SELECT year FROM plans WHERE id = {new_plan}")).await,
        year + 1
    );

    let mut c = t.app.store.conn().await.unwrap();
    let copies: Vec<Copied> = sqlx::query_as(
        "SELECT id, parent_id, previous_task_id, deadline, state, completed_at, remind_on, cadence FROM tasks WHERE plan_id = $1",
    )
    .bind(new_plan)
    .fetch_all(&mut *c)
    .await
    .unwrap();
    let old: Vec<Original> = sqlx::query_as(
        "SELECT id, parent_id, deadline, cadence FROM tasks WHERE plan_id = $1 AND occurrence_of IS NULL",
    )
    .bind(plan)
    .fetch_all(&mut *c)
    .await
    .unwrap();
    drop(c);
    assert_eq!(
        copies.len() as i64,
        old_count,
        "every task but the occurrences"
    );
    let old_by_id: HashMap<i64, &Original> = old.iter().map(|o| (o.0, o)).collect();
    let prev_of: HashMap<i64, i64> = copies
        .iter()
        .map(|c| (c.id, c.previous_task_id.expect("linked to last year")))
        .collect();
    for cp in &copies {
        let o = old_by_id[&prev_of[&cp.id]];
        assert_eq!(cp.state, "not_started");
        assert_eq!(cp.completed_at, None);
        assert_eq!(cp.remind_on, "0000-00-00");
        assert_eq!(cp.cadence, o.3, "cadence kept");
        let od = chrono::NaiveDate::parse_from_str(&o.2, "%Y-%m-%d").unwrap();
        let expect = zeren_core::cadence::shift_years(od, 1).unwrap().to_string();
        assert_eq!(cp.deadline, expect, "deadline moved one year");
        // the tree: my parent is the copy of my original's parent
        assert_eq!(
            cp.parent_id.map(|p| prev_of[&p]),
            o.1,
            "task {} keeps its place",
            cp.id
        );
    }
    // counters moved with the rows
    assert_eq!(
        t.total(&com, "/api/v1/tasks").await,
        total_before + old_count
    );

    // a second roll into the same year is refused, and changes nothing
    let r = t
        .post(
            &com,
            &format!("/api/v1/plans/{plan}/roll"),
            &json!({"year": year + 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(
        t.total(&com, "/api/v1/tasks").await,
        total_before + old_count
    );

    // a leap day moves to 28 February in a common year (a 2027 task due on
    // 2028-02-29, rolled on into 2028, is due 2029-02-28)
    let leap_task = copies[0].id;
    {
        let mut c = t.app.store.conn().await.unwrap();
        sqlx::query("UPDATE tasks SET deadline = '2028-02-29' WHERE id = $1")
            .bind(leap_task)
            .execute(&mut *c)
            .await
            .unwrap();
    }
    let r = t
        .post(
            &com,
            &format!("/api/v1/plans/{new_plan}/roll"),
            &json!({"year": year + 2}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        sql_i64(
            &t,
            &format!("SELECT COUNT(*) FROM tasks WHERE previous_task_id = {leap_task} AND deadline = '2029-02-28'")
        )
        .await,
        1
    );

    // the pages: the copied task links to last year's, the plan to last year's plan
    let page = t.login_page("commission").await;
    let any_copy = copies[0].id;
    let html = page.get(&format!("/tasks/{any_copy}")).await.text();
    assert!(
        html.contains(&format!("href=\"/tasks/{}\"", prev_of[&any_copy])),
        "上年度 link"
    );
    assert!(html.contains("上年度"));
    let html = page.get(&format!("/tasks?plan={new_plan}")).await.text();
    assert!(
        html.contains(&format!("href=\"/tasks?plan={plan}\"")),
        "上年度安排 link"
    );
    let html = page.get(&format!("/tasks?plan={plan}")).await.text();
    assert!(
        html.contains(&format!("href=\"/tasks?plan={new_plan}\"")),
        "rolled into link"
    );
    assert!(
        !html.contains(&format!("action=\"/plans/{plan}/roll\"")),
        "no second roll button"
    );
}

#[derive(sqlx::FromRow)]
struct Due {
    org_path: String,
    deadline: String,
    state: String,
    completed_at: Option<i64>,
}

fn cst_day(ts: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(ts + 8 * 3600, 0)
        .unwrap()
        .date_naive()
}

#[tokio::test]
async fn pressure_figures_add_up_to_the_records_and_are_scoped() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let root = t.home_org(&com).await;
    let root_path = root["path"].as_str().unwrap().to_string();
    let root_depth = root["depth"].as_i64().unwrap();
    let today = zeren_app::clock::today();
    let (from, to) = ("2026-01-01", "2026-12-31");
    let v = t
        .get_ok(&com, &format!("/api/v1/pressure?from={from}&to={to}"))
        .await;

    // the same figures straight from the rows
    let mut c = t.app.store.conn().await.unwrap();
    let rows: Vec<Due> = sqlx::query_as(
        "SELECT org_path, deadline, state, completed_at FROM tasks WHERE deadline >= $1 AND deadline <= $2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *c)
    .await
    .unwrap();
    drop(c);
    let mut want: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for r in rows.iter().filter(|r| r.org_path.starts_with(&root_path)) {
        let level = r.org_path.matches('/').count() as i64 - 1 - root_depth;
        let e = want.entry(level).or_default();
        e.0 += 1;
        let deadline = chrono::NaiveDate::parse_from_str(&r.deadline, "%Y-%m-%d").unwrap();
        if r.state == "done" && r.completed_at.is_none_or(|ts| cst_day(ts) <= deadline) {
            e.1 += 1;
        }
        if r.state != "done" && deadline < today {
            e.2 += 1;
        }
    }
    let levels = v["levels"].as_array().unwrap();
    assert!(
        levels.len() >= 3,
        "the demo has at least three levels: {levels:?}"
    );
    assert_eq!(levels[0]["label"], "本级");
    assert_eq!(levels[1]["label"], "下一级");
    let mut seen_due = 0;
    for l in levels {
        let level = l["level"].as_i64().unwrap();
        let (due, on_time, overdue) = want.get(&level).copied().unwrap_or_default();
        assert_eq!(l["due"].as_i64().unwrap(), due, "due at level {level}");
        assert_eq!(
            l["on_time"].as_i64().unwrap(),
            on_time,
            "on time at level {level}"
        );
        assert_eq!(
            l["overdue"].as_i64().unwrap(),
            overdue,
            "overdue at level {level}"
        );
        seen_due += due;
    }
    let sql_due = sql_i64(
        &t,
        &format!("SELECT COUNT(*) FROM tasks WHERE deadline >= '{from}' AND deadline <= '{to}'"),
    )
    .await;
    assert_eq!(seen_due, sql_due, "levels cover every task due");
    assert_eq!(v["total"]["due"].as_i64().unwrap(), sql_due);
    // the org rows (the root itself and each child's subtree) add up to the total
    let by_org: i64 = v["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["due"].as_i64().unwrap())
        .sum();
    assert_eq!(by_org, sql_due);
    let notices = sql_i64(&t, "SELECT COUNT(*) FROM supervision_notices").await;
    if notices == 0 {
        assert!(
            v["total"]["notice_answer_rate"].is_null(),
            "no notice: no rate"
        );
    }
    let late_total: i64 = levels.iter().map(|l| l["late"].as_i64().unwrap()).sum();
    if late_total > 0 {
        assert!(v["total"]["median_days_late"].as_f64().unwrap() > 0.0);
    }

    // scope: unit1 sees its own subtree by default, and another unit is not found
    let home = t.home_org(&u1).await;
    let mine = t.get_ok(&u1, "/api/v1/pressure").await;
    assert_eq!(mine["org"]["id"], home["id"]);
    let other = t.other_unit(&com, &home).await;
    let r = t
        .get(&u1, &format!("/api/v1/pressure?org={}", other.org["id"]))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .get(&u1, &format!("/api/v1/pressure?org={}", root["id"]))
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "not the commission above it either"
    );
    let r = t.get(&com, "/api/v1/pressure?from=2026-13-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let doc = t.get_ok(&com, "/api/v1/openapi.json").await;
    for path in ["/pressure", "/tasks/{id}/cadence", "/plans/{id}/roll"] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }

    // the dashboard draws it: an inline SVG heat table and bar chart, no script
    let page = t.login_page("commission").await;
    let html = page.get(&format!("/dashboard?from={from}&to={to}")).await;
    assert_eq!(html.status, StatusCode::OK);
    let html = html.text();
    assert!(html.contains("压力传导"));
    assert_eq!(html.matches("<svg").count(), 2, "heat table and bar chart");
    assert!(html.contains("按期完成率") && html.contains("督办单答复率"));
    assert!(!html.contains("<script"));
}

/// Times the pressure figures over a large data set (e.g. the `province` demo):
/// `ZEREN_BENCH_DATA=/path/to/data cargo test -p zeren --test it -- --ignored
/// recurring::pressure_at_scale --nocapture`. Measured, not asserted.
#[tokio::test]
#[ignore]
async fn pressure_at_scale() {
    let Ok(dir) = std::env::var("ZEREN_BENCH_DATA") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let url = format!("sqlite://{}", dir.join("zeren.db").display());
    let app = zeren_app::App::open(&url, zeren_app::AppConfig::new(dir))
        .await
        .unwrap();
    let actor = app.actor_by_username("commission").await.unwrap();
    let root = actor.home().unwrap().org_id;
    let mut c = app.store.conn().await.unwrap();
    let (unit,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM orgs WHERE depth = 3")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    drop(c);
    for (what, org) in [("root", root), ("unit", unit)] {
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let p = app.pressure(&actor, Some(org), None, None).await.unwrap();
            eprintln!(
                "pressure {what}: {:.0} ms, {} due, {} levels, {} orgs",
                t.elapsed().as_secs_f64() * 1000.0,
                p.total.due,
                p.levels.len(),
                p.orgs.len()
            );
        }
    }
    if std::env::var("ZEREN_BENCH_ROLL").is_ok() {
        // rolls the latest plan into the following year (changes the data set)
        let mut c = app.store.conn().await.unwrap();
        let (plan, year): (i64, i64) =
            sqlx::query_as("SELECT id, year FROM plans ORDER BY year DESC, id DESC LIMIT 1")
                .fetch_one(&mut *c)
                .await
                .unwrap();
        drop(c);
        let t = std::time::Instant::now();
        let new_plan = app.roll_plan(&actor, plan, year as i32 + 1).await.unwrap();
        eprintln!(
            "roll_plan #{plan} → #{new_plan}: {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let t = std::time::Instant::now();
    let n = app.generate_occurrences(2026).await.unwrap();
    eprintln!(
        "generate_occurrences: {n} created in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
