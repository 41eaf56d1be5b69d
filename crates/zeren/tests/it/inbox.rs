//! 消息提醒, 督导 and warning colours through the pages and the API: the engine runs
//! once on the small demo (which has overdue items), then each account reads only
//! what is addressed to it or to the offices it holds, the header badge counts the
//! same unread notifications as the API, and overdue items show red.
use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::*;

async fn run_engine(t: &TestApp) -> usize {
    let report = t
        .app
        .reminder_cycle(zeren_app::clock::today())
        .await
        .expect("reminder cycle");
    report.created.len()
}

fn ids(items: &[Value]) -> HashSet<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

async fn db_ids(t: &TestApp, sql: &str) -> HashSet<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(sql)
        .fetch_all(t.app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|r| r.0).collect()
}

/// The number in the header badge, 0 when the page shows none.
fn badge(html: &str) -> i64 {
    let key = "id=\"unread-count\"";
    let Some(i) = html.find(key) else {
        return 0;
    };
    let rest = &html[i..];
    let start = rest.find('>').expect("badge closes its tag") + 1;
    let digits: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().expect("badge holds a number")
}

/// Ids of the notifications a page offers to mark read.
fn read_form_ids(html: &str) -> Vec<i64> {
    let key = "action=\"/inbox/";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && rest[digits.len()..].starts_with("/read\"") {
            out.push(digits.parse().unwrap());
        }
    }
    out
}

#[tokio::test]
async fn each_account_reads_only_its_own_notifications_and_queue() {
    let t = spawn_app().await;
    assert!(run_engine(&t).await > 0, "the demo has items due or late");
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let root = t.home_org(&com).await;
    let u1_id = home["id"].as_i64().unwrap();
    let u1_path = home["path"].as_str().unwrap().to_string();
    let root_id = root["id"].as_i64().unwrap();
    let other = t.other_unit(&com, &home).await;
    let other_name = other.org["name"].as_str().unwrap().to_string();
    let other_path = other.org["path"].as_str().unwrap().to_string();

    // the inbox: exactly what is addressed to the account's office (neither demo
    // office account is linked to a person)
    for (tok, org) in [(&u1, u1_id), (&com, root_id)] {
        let (items, total) = t.all_items(tok, "/api/v1/notifications").await;
        let want = db_ids(
            &t,
            &format!("SELECT id FROM notifications WHERE recipient_org_id = {org}"),
        )
        .await;
        assert!(!want.is_empty(), "the engine wrote to org {org}");
        assert_eq!(ids(&items), want, "inbox of org {org}");
        assert_eq!(total as usize, want.len());
        for i in &items {
            assert_eq!(i["recipient_org_id"].as_i64(), Some(org));
            let href = i["href"].as_str().unwrap();
            match i["item_type"].as_str().unwrap() {
                "task" => assert_eq!(href, format!("/tasks/{}", i["item_id"])),
                "measure" => assert!(href.starts_with("/problems/"), "{href}"),
                _ => assert!(href.starts_with("/notices/"), "{href}"),
            }
        }
    }
    // a person's own reminders reach their account
    let (pid,): (i64,) = sqlx::query_as("SELECT person_id FROM users WHERE username = 'member1'")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    let m = t.login_api("member1").await;
    let (items, _) = t.all_items(&m, "/api/v1/notifications").await;
    let want = db_ids(
        &t,
        &format!("SELECT id FROM notifications WHERE recipient_person_id = {pid}"),
    )
    .await;
    assert_eq!(ids(&items), want, "member1's inbox");

    // unit1's notifications never name another unit, and it cannot read theirs
    let (u1_items, _) = t.all_items(&u1, "/api/v1/notifications").await;
    for i in &u1_items {
        assert_ne!(i["org_name"].as_str(), Some(other_name.as_str()));
    }
    let foreign = db_ids(
        &t,
        &format!(
            "SELECT id FROM notifications WHERE recipient_org_path LIKE '{other_path}%' \
             OR org_path LIKE '{other_path}%'"
        ),
    )
    .await;
    assert!(!foreign.is_empty(), "the other unit has notifications");
    assert!(ids(&u1_items).is_disjoint(&foreign));
    let some_foreign = *foreign.iter().next().unwrap();
    let r = t
        .post(
            &u1,
            &format!("/api/v1/notifications/{some_foreign}/read"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE id = {some_foreign} AND read_at IS NOT NULL"
        ))
        .await,
        0
    );

    // the supervision queue: unit1's holds only rows of its subtree's offices, and is
    // what the commission sees of that subtree
    let (q1, q1_total) = t.all_items(&u1, "/api/v1/supervision").await;
    let want = db_ids(
        &t,
        &format!(
            "SELECT id FROM notifications WHERE stage = 'supervise' AND recipient_org_path LIKE '{u1_path}%'"
        ),
    )
    .await;
    assert_eq!(ids(&q1), want, "unit1's queue");
    assert_eq!(q1_total as usize, want.len());
    let (qc, qc_total) = t.all_items(&com, "/api/v1/supervision").await;
    let all = t
        .count("SELECT COUNT(*) FROM notifications WHERE stage = 'supervise'")
        .await;
    assert!(all > 0, "the demo has items late enough for supervision");
    assert_eq!(qc_total, all, "the commission's queue is the whole tree's");
    assert!(ids(&q1).is_subset(&ids(&qc)));
    assert!(q1_total < qc_total);
    for r in &qc {
        assert!(r["days_late"].as_i64().unwrap() >= 7, "{r}");
        if r["open"].as_bool().unwrap() {
            assert_eq!(r["warning"], "red", "{r}");
        } else {
            assert!(r["warning"].is_null());
        }
    }
    for r in &q1 {
        assert_ne!(r["org_name"].as_str(), Some(other_name.as_str()));
    }
    // filters narrow the queue
    let tasks_only = t.total(&com, "/api/v1/supervision?item_type=task").await;
    let open_only = t.total(&com, "/api/v1/supervision?open=1").await;
    assert!(tasks_only <= qc_total && open_only <= qc_total);
    let (rows, _) = t
        .all_items(&com, "/api/v1/supervision?item_type=measure")
        .await;
    assert!(rows.iter().all(|r| r["item_type"] == "measure"));
    let r = t.get(&com, "/api/v1/supervision?item_type=bogus").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // the same through the pages
    let s1 = t.login_page("unit1").await;
    let sc = t.login_page("commission").await;
    let html = s1.get("/inbox?per_page=500").await.text();
    let seen: HashSet<i64> = read_form_ids(&html).into_iter().collect();
    assert_eq!(seen, ids(&u1_items), "unit1's inbox page");
    assert!(!html.contains(&other_name));
    let r = s1.get("/supervision?per_page=500").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<h1>督导"));
    assert!(
        !html.contains(&other_name),
        "unit1's 督导 page names {other_name}"
    );
    let html = sc.get("/supervision?per_page=500").await.text();
    assert!(html.contains("warn-red"), "late open items show red");
    if qc.iter().any(|r| r["org_name"] == other_name.as_str()) {
        assert!(
            html.contains(&other_name),
            "control: the commission sees it"
        );
    }
    // menu entries
    let html = s1.get("/").await.text();
    assert!(html.contains("href=\"/inbox\"") && html.contains("href=\"/supervision\""));
    let sm = t.login_page("member1").await;
    let html = sm.get("/").await.text();
    assert!(html.contains("href=\"/inbox\""));
    assert!(
        !html.contains("href=\"/supervision\""),
        "督导 needs read scope"
    );

    // administrators read no notifications and no queue
    for admin in ["secadmin", "auditor", "sysadmin"] {
        let tok = t.login_api(admin).await;
        for p in ["/api/v1/notifications", "/api/v1/supervision"] {
            let v = t.get_ok(&tok, p).await;
            assert_eq!(v["total"], 0, "{admin} {p}");
        }
        let s = t.login_page(admin).await;
        let html = s.get("/supervision").await.text();
        assert!(!html.contains("warn-red"), "{admin} /supervision");
        assert!(read_form_ids(&s.get("/inbox").await.text()).is_empty());
    }
}

#[tokio::test]
async fn the_header_badge_counts_unread_and_marking_read_lowers_it() {
    let t = spawn_app().await;
    run_engine(&t).await;
    let u1 = t.login_api("unit1").await;
    let s = t.login_page("unit1").await;
    let unread = |tok: String| {
        let t = &t;
        async move { t.total(&tok, "/api/v1/notifications?unread=1").await }
    };
    let n = unread(u1.clone()).await;
    assert!(n >= 3, "unit1 has unread notifications ({n})");
    // every page shows it, not just the workbench
    for p in ["/", "/tasks", "/problems", "/inbox", "/supervision"] {
        let html = s.get(p).await.text();
        assert_eq!(badge(&html), n, "badge on {p}");
        assert!(html.contains("href=\"/inbox\" title=\"消息提醒\""), "{p}");
    }

    // mark one read through the page form
    let html = s.get("/inbox?unread=1").await.text();
    let first = read_form_ids(&html)[0];
    let r = s
        .post_form(
            &format!("/inbox/{first}/read"),
            &[("csrf", &s.csrf), ("unread", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/inbox?unread=1");
    assert_eq!(unread(u1.clone()).await, n - 1);
    assert_eq!(badge(&s.get("/tasks").await.text()), n - 1);
    assert!(!read_form_ids(&s.get("/inbox?unread=1").await.text()).contains(&first));
    // and it is audited
    assert!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'notification_read'")
            .await
            >= 1
    );

    // without the form's token nothing changes
    let html = s.get("/inbox?unread=1").await.text();
    let second = read_form_ids(&html)[0];
    let r = s
        .post_form(&format!("/inbox/{second}/read"), &[("csrf", "forged")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(unread(u1.clone()).await, n - 1);

    // one through the API
    let r = t
        .post(
            &u1,
            &format!("/api/v1/notifications/{second}/read"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["marked"], 1);
    assert_eq!(unread(u1.clone()).await, n - 2);
    assert_eq!(badge(&s.get("/").await.text()), n - 2);

    // the rest through the page's "mark all"
    let r = s.post_form("/inbox/read-all", &[("csrf", &s.csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(unread(u1.clone()).await, 0);
    let html = s.get("/tasks").await.text();
    assert_eq!(badge(&html), 0);
    assert!(!html.contains("id=\"unread-count\""));
    // all still listed, as read
    let (items, _) = t.all_items(&u1, "/api/v1/notifications").await;
    assert!(items.len() as i64 >= n);
    assert!(items.iter().all(|i| i["unread"] == false));

    // the commission's unread notifications were not touched by unit1
    let com = t.login_api("commission").await;
    assert!(unread(com).await > 0);
}

#[tokio::test]
async fn warning_colours_show_in_lists_details_and_the_dashboard() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let s = t.login_page("commission").await;

    // overdue items are red in the lists, the API and their detail pages
    let (late, total) = t.all_items(&com, "/api/v1/tasks?overdue=1").await;
    assert!(total > 0, "the demo has overdue tasks");
    assert!(late.iter().all(|x| x["warning"] == "red"), "API tasks");
    let html = s.get("/tasks?overdue=1").await.text();
    assert!(html.contains("class=\"warn warn-red\""), "task list");
    assert!(
        html.contains(">逾期</span>"),
        "the colour carries a text label"
    );
    let html = s.get(&format!("/tasks/{}", late[0]["id"])).await.text();
    assert!(html.contains("warn-red"), "task detail");
    let (late_p, _) = t.all_items(&com, "/api/v1/problems?overdue=1").await;
    assert!(!late_p.is_empty(), "the demo has overdue problems");
    assert!(late_p.iter().all(|x| x["warning"] == "red"), "API problems");
    assert!(s
        .get("/problems?overdue=1")
        .await
        .text()
        .contains("warn-red"));
    // done tasks and closed problems have none
    let (done, _) = t.all_items(&com, "/api/v1/tasks?state=done").await;
    assert!(!done.is_empty());
    assert!(done.iter().all(|x| x["warning"].is_null()));
    let (closed, _) = t.all_items(&com, "/api/v1/problems?state=closed").await;
    assert!(closed.iter().all(|x| x["warning"].is_null()));

    // a problem due in 3 days is yellow, its measure due in 10 days blue
    let home = t.home_org(&com).await;
    let mut body = problem_body(home["id"].as_i64().unwrap(), "集成测试：预警颜色");
    body["deadline"] = days_from_today(3).into();
    let r = t.post(&com, "/api/v1/problems", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let pid = r.json()["id"].as_i64().unwrap();
    let r = t
        .post(
            &com,
            &format!("/api/v1/problems/{pid}/measures"),
            &serde_json::json!({"content": "限期整改", "deadline": days_from_today(10)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let listed = t
        .get_ok(
            &com,
            "/api/v1/problems?q=%E9%A2%84%E8%AD%A6%E9%A2%9C%E8%89%B2",
        )
        .await;
    assert_eq!(listed["items"][0]["id"].as_i64(), Some(pid));
    assert_eq!(listed["items"][0]["warning"], "yellow");
    let html = s.get(&format!("/problems/{pid}")).await.text();
    assert!(html.contains("warn-yellow"), "problem deadline");
    assert!(html.contains("warn-blue"), "measure deadline");

    // the workbench's overdue rows and the dashboard's counts
    assert!(s.get("/").await.text().contains("warn-red"), "workbench");
    let html = s.get("/dashboard").await.text();
    assert!(html.contains("warn-counts"), "dashboard");
    let open_late = t
        .count(&format!(
            "SELECT COUNT(*) FROM tasks WHERE state <> 'done' AND deadline < '{}'",
            days_from_today(0)
        ))
        .await
        + t.count(&format!(
            "SELECT COUNT(*) FROM problems WHERE state <> 'closed' AND deadline < '{}'",
            days_from_today(0)
        ))
        .await;
    assert!(
        html.contains(&format!(
            "<span class=\"warn warn-red\">逾期</span> <strong class=\"stat-num\">{open_late}</strong>"
        )),
        "the dashboard counts {open_late} red items"
    );
}
