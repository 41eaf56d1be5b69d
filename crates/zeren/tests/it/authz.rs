//! Scope: a unit sees and touches only its own subtree, on every list, detail, export
//! and write route; administrators see no business data; members see what they
//! answer for. Each check has a positive control (the commission sees the same
//! records) so that an empty page cannot pass for a scoped one.
use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

fn ids_of(items: &[Value]) -> HashSet<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn assert_disjoint(what: &str, seen: &HashSet<i64>, foreign: &[i64]) {
    let leaked: Vec<&i64> = foreign.iter().filter(|i| seen.contains(i)).collect();
    assert!(
        leaked.is_empty(),
        "unit1 sees {what} of another unit: {leaked:?}"
    );
}

#[tokio::test]
async fn unit1_lists_hold_only_its_own_subtree() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    assert_eq!(home["name"], UNIT1_ORG);
    let u1_id = home["id"].as_i64().unwrap();
    let u1_path = home["path"].as_str().unwrap().to_string();
    let other = t.other_unit(&com, &home).await;
    let other_name = other.org["name"].as_str().unwrap().to_string();
    assert!(!other.problem_ids.is_empty(), "the other unit has problems");
    assert!(!other.task_ids.is_empty(), "the other unit has tasks");
    assert!(!other.person_ids.is_empty(), "the other unit has people");
    assert!(!UNIT1_ORG.contains(&other_name) && !other_name.contains(UNIT1_ORG));
    let other_id = other.org["id"].as_i64().unwrap();
    let (acts, _) = t
        .all_items(&com, &format!("/api/v1/activities?org={other_id}"))
        .await;
    let other_activities: Vec<i64> = ids_of(&acts).into_iter().collect();
    assert!(
        !other_activities.is_empty(),
        "the other unit has activities"
    );

    // API lists: nothing of the other unit, and exactly what the commission sees
    // under unit1's org
    for (kind, foreign) in [
        ("problems", &other.problem_ids),
        ("tasks", &other.task_ids),
        ("people", &other.person_ids),
        ("activities", &other_activities),
    ] {
        let (items, total) = t.all_items(&u1, &format!("/api/v1/{kind}")).await;
        assert_disjoint(kind, &ids_of(&items), foreign);
        let all = t.total(&com, &format!("/api/v1/{kind}")).await;
        let under_u1 = t.total(&com, &format!("/api/v1/{kind}?org={u1_id}")).await;
        assert!(total > 0, "unit1 has {kind}");
        assert!(
            total < all,
            "unit1 sees fewer {kind} ({total}) than the commission ({all})"
        );
        assert_eq!(
            total, under_u1,
            "unit1's {kind} are exactly those under its org"
        );
        // filtering by another unit's org is not a way around the scope
        let r = t
            .get(&u1, &format!("/api/v1/{kind}?org={}", other.org["id"]))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{kind}?org=other");
    }
    let orgs = t.get_ok(&u1, "/api/v1/orgs?levels=6").await;
    let org_items = orgs["items"].as_array().unwrap();
    assert!(!org_items.is_empty());
    for o in org_items {
        assert!(
            o["path"].as_str().unwrap().starts_with(&u1_path),
            "unit1's org tree holds {}",
            o["name"]
        );
    }
    assert_disjoint("orgs", &ids_of(org_items), &other.org_ids);
    let com_orgs = t.get_ok(&com, "/api/v1/orgs?levels=6").await["total"]
        .as_i64()
        .unwrap();
    assert!(orgs["total"].as_i64().unwrap() < com_orgs);

    // pages
    let s1 = t.login_page("unit1").await;
    let sc = t.login_page("commission").await;
    for (list, detail, foreign) in [
        ("/problems", "/problems/", &other.problem_ids),
        ("/tasks", "/tasks/", &other.task_ids),
        ("/people", "/people/", &other.person_ids),
        ("/activities", "/activities/", &other_activities),
    ] {
        let r = s1.get(&format!("{list}?per_page=500")).await;
        assert_eq!(r.status, StatusCode::OK, "{list}");
        let html = r.text();
        let seen: HashSet<i64> = linked_ids(&html, detail).into_iter().collect();
        assert!(!seen.is_empty(), "unit1's {list} page lists rows");
        assert_disjoint(list, &seen, foreign);
        assert!(!html.contains(&other_name), "{list} names {other_name}");
        // positive control: the same page shows those rows to the commission
        let html = sc
            .get(&format!("{list}?org={other_id}&per_page=500"))
            .await
            .text();
        let seen: HashSet<i64> = linked_ids(&html, detail).into_iter().collect();
        assert!(foreign.iter().any(|i| seen.contains(i)), "control {list}");
        assert!(html.contains(&other_name));
        // unit1 cannot filter its way there
        let r = s1.get(&format!("{list}?org={other_id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{list}?org=other");
    }
    // the inbox and the supervision queue (after one engine cycle): nothing of the
    // other unit, while the commission's queue holds more
    t.app
        .reminder_cycle(zeren_app::clock::today())
        .await
        .expect("reminder cycle");
    for kind in ["notifications", "supervision"] {
        let (items, total) = t.all_items(&u1, &format!("/api/v1/{kind}")).await;
        assert!(total > 0, "unit1 has {kind}");
        for i in &items {
            assert_ne!(i["org_name"].as_str(), Some(other_name.as_str()), "{kind}");
        }
        if kind == "supervision" {
            assert!(total < t.total(&com, "/api/v1/supervision").await);
        }
    }
    for list in ["/inbox?per_page=500", "/supervision?per_page=500"] {
        let r = s1.get(list).await;
        assert_eq!(r.status, StatusCode::OK, "{list}");
        assert!(!r.text().contains(&other_name), "{list} names {other_name}");
    }

    let html = s1.get("/orgs").await.text();
    assert_disjoint(
        "/orgs",
        &linked_ids(&html, "/orgs/").into_iter().collect(),
        &other.org_ids,
    );
    assert!(!html.contains(&other_name));
    assert!(sc.get("/orgs").await.text().contains(&other_name));

    let r = s1.get("/dashboard").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains(UNIT1_ORG));
    assert!(!html.contains(&other_name));
    assert_eq!(
        s1.get(&format!("/dashboard?org={u1_id}")).await.status,
        StatusCode::OK
    );

    // exports: as many rows as the API total, none naming the other unit
    for (path, kind) in [
        ("/problems/export.xlsx", "problems"),
        ("/tasks/export.xlsx", "tasks"),
        ("/activities/export.xlsx", "activities"),
    ] {
        let r = s1.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(
            r.header("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
        let total = t.total(&u1, &format!("/api/v1/{kind}")).await;
        assert_eq!(rows as i64, total, "{path} rows");
        assert!(
            strings.iter().any(|s| s == "编号"),
            "{path} has its header row"
        );
        assert!(
            !strings.iter().any(|s| s.contains(&other_name)),
            "{path} names {other_name}"
        );
        let foreign: Vec<String> = match kind {
            "problems" => &other.problem_ids,
            "activities" => &other_activities,
            _ => &other.task_ids,
        }
        .iter()
        .map(|i| i.to_string())
        .collect();
        assert!(
            !strings.iter().any(|s| foreign.contains(s)),
            "{path} holds an id of another unit"
        );
        // positive control: the commission's export of the other unit names it
        let r = sc.get(&format!("{path}?org={other_id}")).await;
        let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
        assert!(rows > 0);
        assert!(
            strings.iter().any(|s| s.contains(&other_name)),
            "control {path}"
        );
        // and unit1 cannot export the other unit by filter
        assert_eq!(
            s1.get(&format!("{path}?org={other_id}")).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn unit1_gets_404_for_every_record_of_another_unit() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let other = t.other_unit(&com, &home).await;
    let other_id = other.org["id"].as_i64().unwrap();

    // evidence on a problem of the other unit
    let pid = t
        .create_problem(&com, other_id, "集成测试：他单位问题")
        .await;
    let mid = t.add_measure(&com, pid, "他单位的措施").await;
    assert_eq!(t.complete_measure(&com, mid).await.status, StatusCode::OK);
    let d = t.get_ok(&com, &format!("/api/v1/problems/{pid}")).await;
    let eid = d["measures"][0]["evidence"][0]["id"].as_i64().unwrap();

    let s1 = t.login_page("unit1").await;
    let sc = t.login_page("commission").await;
    let sample = |v: &Vec<i64>| -> Vec<i64> { v.iter().take(4).copied().collect() };
    let mut pages: Vec<String> = Vec::new();
    let mut apis: Vec<String> = Vec::new();
    for id in sample(&other.problem_ids).into_iter().chain([pid]) {
        pages.push(format!("/problems/{id}"));
        apis.push(format!("/api/v1/problems/{id}"));
    }
    for id in sample(&other.task_ids) {
        pages.push(format!("/tasks/{id}"));
        apis.push(format!("/api/v1/tasks/{id}"));
    }
    for id in sample(&other.person_ids) {
        pages.push(format!("/people/{id}"));
        apis.push(format!("/api/v1/people/{id}"));
    }
    let (acts, _) = t
        .all_items(&com, &format!("/api/v1/activities?org={other_id}"))
        .await;
    assert!(!acts.is_empty(), "the other unit has activities");
    for a in acts.iter().take(4) {
        pages.push(format!("/activities/{}", a["id"]));
        apis.push(format!("/api/v1/activities/{}", a["id"]));
    }
    for id in sample(&other.org_ids) {
        pages.push(format!("/orgs/{id}"));
        apis.push(format!("/api/v1/orgs/{id}"));
        pages.push(format!("/dashboard?org={id}"));
        apis.push(format!("/api/v1/dashboard?org={id}"));
    }
    pages.push(format!("/evidence/{eid}"));
    for p in &pages {
        let r = s1.get(p).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "unit1 GET {p}");
        assert!(
            !r.text().contains(other.org["name"].as_str().unwrap()),
            "{p}"
        );
        // control: the commission reads it
        assert_eq!(sc.get(p).await.status, StatusCode::OK, "commission GET {p}");
    }
    for p in &apis {
        let r = t.get(&u1, p).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "unit1 GET {p}: {}",
            r.text()
        );
        assert!(r.json()["error"].is_string());
        assert_eq!(
            t.get(&com, p).await.status,
            StatusCode::OK,
            "commission GET {p}"
        );
    }
    // the commission's root dashboard is above unit1's scope
    let root = t.home_org(&com).await;
    assert_eq!(
        s1.get(&format!("/dashboard?org={}", root["id"]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unit1_cannot_write_outside_its_subtree() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let other = t.other_unit(&com, &home).await;
    let other_id = other.org["id"].as_i64().unwrap();
    let pid = t
        .create_problem(&com, other_id, "集成测试：他单位问题")
        .await;
    let mid = t.add_measure(&com, pid, "他单位的措施").await;
    let task = other.task_ids[0];

    let measures = "SELECT COUNT(*) FROM measures";
    let problems = "SELECT COUNT(*) FROM problems";
    let reports = "SELECT COUNT(*) FROM task_reports";
    let evidence = "SELECT COUNT(*) FROM evidence";
    let before = (
        t.count(measures).await,
        t.count(problems).await,
        t.count(reports).await,
        t.count(evidence).await,
    );

    let r = t
        .post(
            &u1,
            &format!("/api/v1/problems/{pid}/measures"),
            &json!({"content": "越权措施", "deadline": days_from_today(5)}),
        )
        .await;
    assert!(
        matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "measure on another unit's problem: {}",
        r.status
    );
    let r = t.complete_measure(&u1, mid).await;
    assert!(matches!(
        r.status,
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    ));
    let r = t
        .post(
            &u1,
            &format!("/api/v1/problems/{pid}/transition"),
            &json!({"action": "request_close"}),
        )
        .await;
    assert!(matches!(
        r.status,
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    ));
    let r = t
        .post(&u1, "/api/v1/problems", &problem_body(other_id, "越权登记"))
        .await;
    // an org outside the scope reads as nonexistent: the same answer as an unknown id
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "problem in another unit: {}",
        r.status
    );
    assert!(r.text().contains("责任单位不存在"), "{}", r.text());
    let r = t
        .post(
            &u1,
            &format!("/api/v1/tasks/{task}/reports"),
            &json!({"body": "越权报告", "submit": true, "files": [pdf_file("x.pdf")]}),
        )
        .await;
    assert!(matches!(
        r.status,
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    ));
    let r = t
        .post(
            &u1,
            &format!("/api/v1/tasks/{task}/review"),
            &json!({"approve": true}),
        )
        .await;
    assert!(matches!(
        r.status,
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    ));

    // the same through the pages, with a valid CSRF token
    let s1 = t.login_page("unit1").await;
    let r = s1
        .post_form(
            &format!("/problems/{pid}/measures"),
            &[
                ("csrf", &s1.csrf),
                ("content", "越权措施"),
                ("deadline", &days_from_today(5)),
            ],
        )
        .await;
    assert!(
        !r.status.is_success(),
        "page write to another unit answered {}",
        r.status
    );
    let r = s1
        .post_form(
            &format!("/problems/{pid}/transition"),
            &[("csrf", &s1.csrf), ("action", "request_close")],
        )
        .await;
    assert!(!r.status.is_success());

    let after = (
        t.count(measures).await,
        t.count(problems).await,
        t.count(reports).await,
        t.count(evidence).await,
    );
    assert_eq!(before, after, "nothing was written");
    let d = t.get_ok(&com, &format!("/api/v1/problems/{pid}")).await;
    assert_eq!(d["problem"]["state"], "open");
    assert_eq!(d["measures"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn administrators_see_no_business_data() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let some_problem = t.get_ok(&com, "/api/v1/problems?per_page=1").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let some_task = t.get_ok(&com, "/api/v1/tasks?per_page=1").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    // notifications and the supervision queue exist (the engine has run), and none of
    // them reaches an administrator
    t.app
        .reminder_cycle(zeren_app::clock::today())
        .await
        .expect("reminder cycle");
    assert!(t.total(&com, "/api/v1/notifications").await > 0);
    assert!(t.total(&com, "/api/v1/supervision").await > 0);
    for admin in ["secadmin", "auditor", "sysadmin"] {
        let tok = t.login_api(admin).await;
        for kind in [
            "problems",
            "tasks",
            "people",
            "notifications",
            "supervision",
            "activities",
        ] {
            let v = t.get_ok(&tok, &format!("/api/v1/{kind}")).await;
            assert_eq!(v["total"], 0, "{admin} {kind}");
            assert!(v["items"].as_array().unwrap().is_empty());
        }
        assert_eq!(
            t.get_ok(&tok, "/api/v1/orgs").await["total"],
            0,
            "{admin} orgs"
        );
        for p in [
            format!("/api/v1/problems/{some_problem}"),
            format!("/api/v1/tasks/{some_task}"),
            "/api/v1/dashboard".to_string(),
        ] {
            let r = t.get(&tok, &p).await;
            assert!(
                matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{admin} GET {p}: {}",
                r.status
            );
        }
        let s = t.login_page(admin).await;
        // no business workbench: sent to their own page
        let r = s.get("/").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{admin} /");
        assert!(r.location().starts_with("/admin/"));
        for (list, detail) in [
            ("/problems", "/problems/"),
            ("/tasks", "/tasks/"),
            ("/people", "/people/"),
            ("/inbox", "/tasks/"),
            ("/supervision", "/tasks/"),
            ("/activities", "/activities/"),
        ] {
            let r = s.get(list).await;
            assert!(
                !r.status.is_success() || linked_ids(&r.text(), detail).is_empty(),
                "{admin} sees rows on {list}"
            );
        }
        for p in [
            format!("/problems/{some_problem}"),
            format!("/tasks/{some_task}"),
            "/dashboard".to_string(),
        ] {
            let r = s.get(&p).await;
            assert!(
                matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{admin} GET {p}: {}",
                r.status
            );
        }
        for path in [
            "/problems/export.xlsx",
            "/tasks/export.xlsx",
            "/activities/export.xlsx",
        ] {
            let r = s.get(path).await;
            if r.status.is_success() {
                assert_eq!(xlsx_rows_and_strings(&r.bytes).0, 0, "{admin} {path}");
            }
        }
        // and no business writes
        let r = t
            .post(&tok, "/api/v1/problems", &problem_body(1, "管理员登记"))
            .await;
        assert!(r.status.is_client_error(), "{admin} creates a problem");
        let r = t
            .post(
                &tok,
                "/api/v1/activities",
                &json!({"org_id": 1, "kind": "theme_day", "held_on": days_from_today(0), "expected_count": 1, "present_count": 1}),
            )
            .await;
        assert!(r.status.is_client_error(), "{admin} records an activity");
    }
}

#[tokio::test]
async fn the_three_administrators_stay_apart() {
    let t = spawn_app().await;
    let expect = [
        ("/admin/audit", "auditor", "<h1>审计日志</h1>"),
        ("/admin/users", "secadmin", "<h1>账号与角色</h1>"),
        ("/admin/system", "sysadmin", "<h1>系统状态</h1>"),
    ];
    let users = ["auditor", "secadmin", "sysadmin", "commission", "unit1"];
    let mut sessions = Vec::new();
    for u in users {
        sessions.push((u, t.login_page(u).await, t.login_api(u).await));
    }
    for (path, owner, heading) in expect {
        for (u, s, _) in &sessions {
            let r = s.get(path).await;
            if *u == owner {
                assert_eq!(r.status, StatusCode::OK, "{u} {path}");
                assert!(r.text().contains(heading), "{u} {path}");
            } else {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{u} {path}");
                assert!(!r.text().contains(heading), "{u} {path}");
            }
        }
    }
    for (u, _, tok) in &sessions {
        let r = t.get(tok, "/api/v1/audit").await;
        if *u == "auditor" {
            assert_eq!(r.status, StatusCode::OK);
            assert!(r.json()["total"].as_i64().unwrap() > 0);
        } else {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{u} /api/v1/audit");
        }
    }
    // the security administrator's account writes are refused to everyone else
    for (u, s, _) in &sessions {
        if *u == "secadmin" {
            continue;
        }
        let before = t.count("SELECT COUNT(*) FROM users").await;
        let r = s
            .post_form(
                "/admin/users",
                &[
                    ("csrf", &s.csrf),
                    ("username", "intruder"),
                    ("display_name", "越权账号"),
                    ("password", "Intruder-Pass-2026!"),
                ],
            )
            .await;
        assert!(!r.status.is_success(), "{u} POST /admin/users");
        assert_eq!(t.count("SELECT COUNT(*) FROM users").await, before, "{u}");
    }
}

#[tokio::test]
async fn a_member_sees_only_what_they_answer_for() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let m = t.login_api("member1").await;
    let (pid,): (i64,) = sqlx::query_as("SELECT person_id FROM users WHERE username = 'member1'")
        .fetch_one(t.app.store.pool())
        .await
        .expect("member1 is linked to a person");
    let (problems, p_total) = t.all_items(&m, "/api/v1/problems").await;
    let (tasks, t_total) = t.all_items(&m, "/api/v1/tasks").await;
    let own_problems = t
        .count(&format!(
            "SELECT COUNT(*) FROM problems WHERE person_id = {pid}"
        ))
        .await;
    let own_tasks = t
        .count(&format!(
            "SELECT COUNT(*) FROM tasks WHERE person_id = {pid}"
        ))
        .await;
    assert!(
        own_problems + own_tasks > 0,
        "the demo gives member1 something to answer for"
    );
    assert_eq!(p_total, own_problems);
    assert_eq!(t_total, own_tasks);
    let name = t.get_ok(&com, &format!("/api/v1/people/{pid}")).await["person"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    for p in &problems {
        assert_eq!(p["person_name"].as_str(), Some(name.as_str()));
        assert_eq!(
            t.get(&m, &format!("/api/v1/problems/{}", p["id"]))
                .await
                .status,
            StatusCode::OK
        );
    }
    for x in &tasks {
        assert_eq!(x["person_name"].as_str(), Some(name.as_str()));
    }
    assert!(p_total < t.total(&com, "/api/v1/problems").await);
    // someone else's problem and task are not found
    let (all, _) = t.all_items(&com, "/api/v1/problems").await;
    let theirs = all
        .iter()
        .find(|p| p["person_name"].as_str() != Some(name.as_str()))
        .expect("problems of others");
    let r = t
        .get(&m, &format!("/api/v1/problems/{}", theirs["id"]))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let s = t.login_page("member1").await;
    assert_eq!(
        s.get(&format!("/problems/{}", theirs["id"])).await.status,
        StatusCode::NOT_FOUND
    );
    let html = s.get("/problems?per_page=500").await.text();
    let seen: HashSet<i64> = linked_ids(&html, "/problems/").into_iter().collect();
    assert_eq!(seen, ids_of(&problems), "the member's problem page");
    // the roster: only themselves at most
    let people = t.get_ok(&m, "/api/v1/people").await;
    assert!(people["total"].as_i64().unwrap() <= 1);
    for p in people["items"].as_array().unwrap() {
        assert_eq!(p["id"].as_i64(), Some(pid));
    }
}

/// 督办单 and 问责 lists and details: a notice to another unit and a record against it
/// are invisible to unit1, to a member and to the administrators, while the
/// commission (the positive control) sees both.
#[tokio::test]
async fn notices_and_accountability_stay_in_scope() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let other = t.other_unit(&com, &home).await;
    let other_id = other.org["id"].as_i64().unwrap();
    let r = t
        .post(
            &com,
            "/api/v1/tasks",
            &json!({"org_id": other_id, "title": "授权测试：他单位逾期任务", "deadline": days_from_today(-2)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let task = r.json()["id"].as_i64().unwrap();
    let r = t
        .post(
            &com,
            "/api/v1/notices",
            &json!({"org_id": other_id, "title": "授权测试督办", "body": "请答复", "answer_due": days_from_today(5),
                    "items": [{"item_type": "task", "item_id": task}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let notice = r.json()["id"].as_i64().unwrap();
    let r = t
        .post(
            &com,
            "/api/v1/accountability",
            &json!({"org_id": other_id, "action": "interview", "reason": "授权测试约谈", "decided_by": "委党委",
                    "decided_on": days_from_today(0), "notice_id": notice}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let record = r.json()["id"].as_i64().unwrap();
    // positive control
    let (n, _) = t.all_items(&com, "/api/v1/notices").await;
    assert!(ids_of(&n).contains(&notice));
    let (a, _) = t.all_items(&com, "/api/v1/accountability").await;
    assert!(ids_of(&a).contains(&record));
    let sc = t.login_page("commission").await;
    assert!(linked_ids(&sc.get("/notices").await.text(), "/notices/").contains(&notice));

    let m = t.login_api("member1").await;
    for (who, tok) in [("unit1", &u1), ("member1", &m)] {
        let (n, _) = t.all_items(tok, "/api/v1/notices").await;
        assert_disjoint("notices", &ids_of(&n), &[notice]);
        let (a, _) = t.all_items(tok, "/api/v1/accountability").await;
        assert_disjoint("accountability", &ids_of(&a), &[record]);
        assert_eq!(
            t.get(tok, &format!("/api/v1/notices/{notice}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
        assert_eq!(
            t.get(tok, &format!("/api/v1/notices?org={other_id}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{who} filters by another unit"
        );
    }
    let s1 = t.login_page("unit1").await;
    for list in ["/notices?per_page=500", "/accountability?per_page=500"] {
        let r = s1.get(list).await;
        assert_eq!(r.status, StatusCode::OK, "{list}");
        let html = r.text();
        assert!(!linked_ids(&html, "/notices/").contains(&notice), "{list}");
        assert!(!html.contains("授权测试"), "{list}");
    }
    for p in [
        format!("/notices/{notice}"),
        format!("/notices/{notice}/print"),
    ] {
        assert_eq!(s1.get(&p).await.status, StatusCode::NOT_FOUND, "{p}");
    }

    for admin in ["secadmin", "auditor", "sysadmin"] {
        let tok = t.login_api(admin).await;
        for kind in ["notices", "accountability"] {
            let v = t.get_ok(&tok, &format!("/api/v1/{kind}")).await;
            assert_eq!(v["total"], 0, "{admin} {kind}");
        }
        let r = t.get(&tok, &format!("/api/v1/notices/{notice}")).await;
        assert!(
            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{admin}: {}",
            r.status
        );
        let s = t.login_page(admin).await;
        for list in ["/notices", "/accountability"] {
            let r = s.get(list).await;
            assert!(
                !r.status.is_success()
                    || (linked_ids(&r.text(), "/notices/").is_empty()
                        && !r.text().contains("授权测试")),
                "{admin} sees rows on {list}"
            );
        }
        let r = s.get(&format!("/notices/{notice}")).await;
        assert!(matches!(
            r.status,
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ));
        // and no notice or record of theirs
        let r = t
            .post(
                &tok,
                "/api/v1/accountability",
                &json!({"org_id": other_id, "action": "interview", "reason": "管理员", "decided_by": "x", "decided_on": days_from_today(0)}),
            )
            .await;
        assert!(r.status.is_client_error(), "{admin} records accountability");
    }
}
