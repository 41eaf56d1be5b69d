//! Pages and the JSON API over real HTTP: rendering, validation, and the two main
//! flows (problem closing with evidence and sign-off, task decomposition and review).
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

/// How askama writes text into HTML.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

fn field_names(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no `fields` in {v}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn healthz_login_page_and_unauthenticated_access() {
    let t = spawn_app().await;
    let r = Resp::read(t.api.get(t.url("/healthz")).send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text(), "ok");

    let r = Resp::read(t.api.get(t.url("/login")).send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/html"));
    let html = r.text();
    for s in [
        "lang=\"zh-CN\"",
        "全面从严治党主体责任管理系统",
        "用户名",
        "密码",
        "登录",
    ] {
        assert!(html.contains(s), "login page lacks {s}");
    }
    assert!(csrf_of(&html).is_some(), "login form carries a token");

    // no session: pages send to the login page (remembering where to come back),
    // the API answers 401 in JSON
    let r = Resp::read(
        t.api
            .get(t.url("/problems?state=open"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/login?next=%2Fproblems"),
        "{}",
        r.location()
    );
    let r = Resp::read(t.api.get(t.url("/api/v1/problems")).send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["error"].is_string());
    let r = t.get("not-a-token", "/api/v1/problems").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_main_page_renders_for_the_commission() {
    let t = spawn_app().await;
    let token = t.login_api("commission").await;
    let s = t.login_page("commission").await;
    let task = &t.get_ok(&token, "/api/v1/tasks?per_page=1").await["items"][0];
    let problem = &t.get_ok(&token, "/api/v1/problems?per_page=1").await["items"][0];
    let person = &t.get_ok(&token, "/api/v1/people?per_page=1").await["items"][0];
    let root = t.home_org(&token).await;
    let pages: Vec<(String, Vec<String>)> = vec![
        (
            "/".into(),
            vec!["<h1>工作台</h1>".into(), "待我审核".into()],
        ),
        (
            "/tasks".into(),
            vec!["<h1>责任清单 / 任务清单</h1>".into(), "导出 Excel".into()],
        ),
        (
            "/problems".into(),
            vec!["<h1>问题清单 / 整改台账</h1>".into(), "整改时限".into()],
        ),
        (
            "/dashboard".into(),
            vec![
                format!(
                    "{} · 统计分析</h1>",
                    html_escape(root["name"].as_str().unwrap())
                ),
                "任务完成率".into(),
                "下级组织".into(),
            ],
        ),
        ("/orgs".into(), vec!["<h1>组织机构</h1>".into()]),
        (
            "/people".into(),
            vec!["<h1>人员</h1>".into(), "政治面貌".into()],
        ),
        (
            format!("/tasks/{}", task["id"]),
            vec![
                format!("<h1>{}", html_escape(task["title"].as_str().unwrap())),
                "分解落实情况".into(),
                "进展与佐证".into(),
            ],
        ),
        (
            format!("/problems/{}", problem["id"]),
            vec![
                format!("<h1>{}", html_escape(problem["title"].as_str().unwrap())),
                "整改措施（".into(),
                "时间线".into(),
            ],
        ),
        (
            format!("/people/{}", person["id"]),
            vec![format!(
                "<h1>{}</h1>",
                html_escape(person["name"].as_str().unwrap())
            )],
        ),
        (
            format!("/orgs/{}", root["id"]),
            vec![format!(
                "<h1>{}",
                html_escape(root["name"].as_str().unwrap())
            )],
        ),
        ("/problems/new".into(), vec!["<h1>登记问题</h1>".into()]),
        ("/tasks/new".into(), vec!["<h1>新建任务</h1>".into()]),
    ];
    for (path, needles) in pages {
        let r = s.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.header("content-type").starts_with("text/html"), "{path}");
        let html = r.text();
        assert!(html.contains("lang=\"zh-CN\""), "{path}");
        assert_eq!(csrf_of(&html).as_deref(), Some(s.csrf.as_str()), "{path}");
        for n in needles {
            assert!(html.contains(&n), "{path} lacks {n}");
        }
    }
    // an id that does not exist is a page saying so, not an error
    let r = s.get("/problems/999999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("记录不存在"));
}

#[tokio::test]
async fn openapi_document_describes_the_problem_api() {
    let t = spawn_app().await;
    let r = Resp::read(
        t.api
            .get(t.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert!(v["openapi"].as_str().unwrap_or("").starts_with("3."));
    let paths = v["paths"].as_object().expect("paths");
    for p in [
        "/session",
        "/problems",
        "/problems/{id}",
        "/problems/{id}/measures",
        "/problems/{id}/transition",
        "/measures/{id}/complete",
        "/tasks",
        "/tasks/{id}/decompose",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    assert!(paths["/problems"]["post"].is_object());
}

#[tokio::test]
async fn api_login_with_a_bad_password_is_401_json() {
    let t = spawn_app().await;
    let wrong = t.try_login_api("unit1", "Wrong-Pass-2026!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.header("content-type").starts_with("application/json"));
    let body = wrong.json();
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(body.get("token").is_none());
    // an unknown account answers exactly the same
    let nobody = t.try_login_api("no-such-user", "Wrong-Pass-2026!").await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
    assert_eq!(nobody.json(), body);
    // and the right password works, giving a usable token; logout ends it
    let token = t.login_api("unit1").await;
    assert_eq!(
        t.get(&token, "/api/v1/problems").await.status,
        StatusCode::OK
    );
    let r = Resp::read(
        t.api
            .delete(t.url("/api/v1/session"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        t.get(&token, "/api/v1/problems").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn api_lists_are_paged() {
    let t = spawn_app().await;
    let token = t.login_api("commission").await;
    let p1 = t.get_ok(&token, "/api/v1/problems?per_page=5").await;
    let items = p1["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    let total = p1["total"].as_i64().expect("total");
    assert!(total > 5, "the demo has more than 5 problems");
    let p2 = t.get_ok(&token, "/api/v1/problems?per_page=5&page=2").await;
    let ids1: Vec<&Value> = items.iter().map(|i| &i["id"]).collect();
    for i in p2["items"].as_array().unwrap() {
        assert!(!ids1.contains(&&i["id"]), "page 2 repeats page 1");
    }
    assert_eq!(p2["total"].as_i64(), Some(total));
    let (all, _) = t.all_items(&token, "/api/v1/problems").await;
    assert_eq!(all.len() as i64, total, "paging reaches every row once");
    // filters narrow the total
    let closed = t.total(&token, "/api/v1/problems?state=closed").await;
    let open = t.total(&token, "/api/v1/problems?state=open").await;
    let pending = t
        .total(&token, "/api/v1/problems?state=pending_review")
        .await;
    assert_eq!(closed + open + pending, total);
    let tasks = t.get_ok(&token, "/api/v1/tasks?per_page=5").await;
    assert_eq!(tasks["items"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn api_problem_create_reports_every_bad_field_and_writes_nothing() {
    let t = spawn_app().await;
    let token = t.login_api("unit1").await;
    let org = t.home_org(&token).await["id"].as_i64().unwrap();
    let before = t.total(&token, "/api/v1/problems").await;

    let r = t
        .post(
            &token,
            "/api/v1/problems",
            &json!({
                "org_id": org,
                "source": "rumour",
                "title": "   ",
                "found_on": "2026-13-45",
                "deadline": "next week",
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let v = r.json();
    assert!(v["error"].is_string());
    let fields = field_names(&v);
    for f in ["title", "source", "found_on", "deadline"] {
        assert!(fields.contains(&f.to_string()), "{f} not named in {v}");
    }

    // a deadline before the day the problem was found
    let mut body = problem_body(org, "时限早于发现日期");
    body["deadline"] = json!(days_from_today(-1));
    let r = t.post(&token, "/api/v1/problems", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&r.json()), vec!["deadline"]);

    // found in the future
    let mut body = problem_body(org, "发现日期在未来");
    body["found_on"] = json!(days_from_today(2));
    body["deadline"] = json!(days_from_today(30));
    let r = t.post(&token, "/api/v1/problems", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&r.json()), vec!["found_on"]);

    assert_eq!(t.total(&token, "/api/v1/problems").await, before);
    let id = t.create_problem(&token, org, "集成测试：合法的问题").await;
    assert_eq!(t.total(&token, "/api/v1/problems").await, before + 1);
    let d = t.get_ok(&token, &format!("/api/v1/problems/{id}")).await;
    assert_eq!(d["problem"]["state"], "open");
    assert_eq!(d["problem"]["org_id"].as_i64(), Some(org));
    assert_eq!(d["problem"]["title"], "集成测试：合法的问题");
}

#[tokio::test]
async fn api_problem_create_names_fields_left_out_altogether() {
    let t = spawn_app().await;
    let token = t.login_api("unit1").await;
    let org = t.home_org(&token).await["id"].as_i64().unwrap();
    let before = t.total(&token, "/api/v1/problems").await;
    let r = t
        .post(&token, "/api/v1/problems", &json!({ "org_id": org }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.header("content-type").starts_with("application/json"),
        "a JSON error, not: {}",
        r.text()
    );
    let v = r.json();
    assert!(v["error"].is_string());
    let fields = field_names(&v);
    for f in ["title", "source", "found_on", "deadline"] {
        assert!(fields.contains(&f.to_string()), "{f} not named in {v}");
    }
    assert_eq!(t.total(&token, "/api/v1/problems").await, before);
}

#[tokio::test]
async fn api_problem_closes_only_with_evidence_and_another_reviewer() {
    let t = spawn_app().await;
    let unit1 = t.login_api("unit1").await;
    let commission = t.login_api("commission").await;
    let org = t.home_org(&unit1).await["id"].as_i64().unwrap();
    let pid = t.create_problem(&unit1, org, "集成测试：销号流程").await;
    let transition = |action: &'static str| json!({ "action": action });
    let path = format!("/api/v1/problems/{pid}/transition");

    // no measures yet: nothing to close
    let r = t.post(&unit1, &path, &transition("request_close")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    let m1 = t.add_measure(&unit1, pid, "整改措施一：修订制度").await;
    let m2 = t.add_measure(&unit1, pid, "整改措施二：专题学习").await;

    // completing needs evidence, and the evidence must be what its name says
    let r = t
        .post(
            &unit1,
            &format!("/api/v1/measures/{m1}/complete"),
            &json!({"note": "无佐证"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(field_names(&r.json()), vec!["files"]);
    let r = t
        .post(
            &unit1,
            &format!("/api/v1/measures/{m1}/complete"),
            &json!({"files": [{"filename": "伪装.pdf", "content_base64": "TVqQAAMAAAAEAAAA"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    let r = t.complete_measure(&unit1, m1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // one measure still lacks its evidence: closing is refused
    let r = t.post(&unit1, &path, &transition("request_close")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.json()["error"].is_string());
    let r = t.complete_measure(&unit1, m2).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let d = t.get_ok(&unit1, &format!("/api/v1/problems/{pid}")).await;
    let measures = d["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 2);
    for m in measures {
        assert_eq!(m["state"], "done");
        assert_eq!(m["evidence"].as_array().unwrap().len(), 1);
        assert_eq!(m["evidence"][0]["filename"], "整改佐证.pdf");
    }
    assert!(d["closing_blocker"].is_null());

    let r = t.post(&unit1, &path, &transition("request_close")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let state = |v: Value| v["problem"]["state"].as_str().unwrap().to_string();
    assert_eq!(
        state(t.get_ok(&unit1, &format!("/api/v1/problems/{pid}")).await),
        "pending_review"
    );

    // unit1 may review its own org's problems, but not its own request
    let r = t.post(&unit1, &path, &transition("approve_close")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(
        state(t.get_ok(&unit1, &format!("/api/v1/problems/{pid}")).await),
        "pending_review"
    );
    // rejecting needs a reason
    let r = t
        .post(&commission, &path, &transition("reject_close"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

    let r = t
        .post(&commission, &path, &transition("approve_close"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = t
        .get_ok(&commission, &format!("/api/v1/problems/{pid}"))
        .await;
    assert_eq!(d["problem"]["state"], "closed");
    let actions: Vec<&str> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    for a in [
        "登记问题",
        "新增整改措施",
        "完成整改措施",
        "申请销号",
        "审核销号",
    ] {
        assert!(actions.contains(&a), "history lacks {a}: {actions:?}");
    }
    // closed is closed: no new measures
    let r = t
        .post(
            &unit1,
            &format!("/api/v1/problems/{pid}/measures"),
            &json!({"content": "迟到的措施", "deadline": days_from_today(5)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // the evidence downloads as it was uploaded, as an attachment
    let eid = d["measures"][0]["evidence"][0]["id"].as_i64().unwrap();
    let s = t.login_page("unit1").await;
    let r = s.get(&format!("/evidence/{eid}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, PDF);
    assert_eq!(r.header("content-type"), "application/pdf");
    assert!(r.header("content-disposition").starts_with("attachment"));
}

#[tokio::test]
async fn api_task_is_decomposed_reported_and_reviewed() {
    let t = spawn_app().await;
    let commission = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let root = t.home_org(&commission).await;
    let u1 = t.home_org(&unit1).await;
    let other = t.other_unit(&commission, &u1).await.org;

    let r = t
        .post(
            &commission,
            "/api/v1/tasks",
            &json!({
                "org_id": root["id"],
                "category": "集成测试",
                "title": "集成测试：年度专项任务",
                "content": "落实主体责任专项工作",
                "deadline": days_from_today(60),
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let parent = r.json()["id"].as_i64().unwrap();

    // validation: no target, a deadline past the parent's
    let dpath = format!("/api/v1/tasks/{parent}/decompose");
    let r = t.post(&commission, &dpath, &json!({"org_ids": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post(
            &commission,
            &dpath,
            &json!({"org_ids": [u1["id"]], "deadline": days_from_today(90)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&r.json()), vec!["deadline"]);

    let r = t
        .post(
            &commission,
            &dpath,
            &json!({"org_ids": [u1["id"], other["id"]], "deadline": days_from_today(45), "note": "按月报告"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let ids: Vec<i64> = r.json()["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    // issuing twice to the same org is refused
    let r = t
        .post(&commission, &dpath, &json!({"org_ids": [u1["id"]]}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let pd = t
        .get_ok(&commission, &format!("/api/v1/tasks/{parent}"))
        .await;
    assert_eq!(pd["children"].as_array().unwrap().len(), 2);
    assert_eq!(pd["task"]["state"], "in_progress");
    let mine = pd["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["org_id"] == u1["id"])
        .expect("a child task for unit1")["id"]
        .as_i64()
        .unwrap();
    // unit1 sees its own child task, not the commission's parent
    assert_eq!(
        t.get(&unit1, &format!("/api/v1/tasks/{parent}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let cd = t.get_ok(&unit1, &format!("/api/v1/tasks/{mine}")).await;
    assert_eq!(
        cd["task"]["deadline"].as_str(),
        Some(days_from_today(45).as_str())
    );

    let rpath = format!("/api/v1/tasks/{mine}/reports");
    let r = t
        .post(&unit1, &rpath, &json!({"body": "已召开专题会议部署"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // submitting needs evidence
    let r = t
        .post(&unit1, &rpath, &json!({"body": "申请审核", "submit": true}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(field_names(&r.json()), vec!["files"]);
    let r = t
        .post(
            &unit1,
            &rpath,
            &json!({"body": "已完成，附会议纪要", "submit": true, "files": [pdf_file("会议纪要.pdf")]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let state = |v: &Value| v["task"]["state"].as_str().unwrap().to_string();
    assert_eq!(
        state(&t.get_ok(&unit1, &format!("/api/v1/tasks/{mine}")).await),
        "pending_review"
    );

    // the issuing org reviews, not the unit itself
    let vpath = format!("/api/v1/tasks/{mine}/review");
    let r = t.post(&unit1, &vpath, &json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // returning needs a reason
    let r = t
        .post(&commission, &vpath, &json!({"approve": false}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(field_names(&r.json()), vec!["reason"]);
    let r = t
        .post(
            &commission,
            &vpath,
            &json!({"approve": false, "reason": "请补充整改台账"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        state(&t.get_ok(&unit1, &format!("/api/v1/tasks/{mine}")).await),
        "returned"
    );
    let r = t
        .post(
            &unit1,
            &rpath,
            &json!({"body": "已补充台账", "submit": true, "files": [pdf_file("整改台账.pdf")]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t.post(&commission, &vpath, &json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let cd = t.get_ok(&unit1, &format!("/api/v1/tasks/{mine}")).await;
    assert_eq!(state(&cd), "done");
    assert_eq!(cd["reports"].as_array().unwrap().len(), 3);
    // the parent rolls its children up
    let pd = t
        .get_ok(&commission, &format!("/api/v1/tasks/{parent}"))
        .await;
    assert_eq!(pd["rollup"]["total"], 2);
    assert_eq!(pd["rollup"]["done"], 1);
    // a done task is not reviewed again
    let r = t.post(&commission, &vpath, &json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}
