//! Supervision notices (督办单) and accountability (问责): an upper office presses a
//! lower org on late items, the lower org answers with evidence, nobody else sees
//! it; accountability records show per person, per org and in the yearly counts.
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

/// A task in `org_id` whose deadline passed yesterday, created by the commission.
async fn overdue_task(t: &TestApp, com: &str, org_id: i64, title: &str) -> i64 {
    let r = t
        .post(
            com,
            "/api/v1/tasks",
            &json!({"org_id": org_id, "title": title, "content": "集成测试：逾期任务", "deadline": days_from_today(-1)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "create task: {}", r.text());
    r.json()["id"].as_i64().unwrap()
}

fn notice_body(org_id: i64, items: Value) -> Value {
    json!({
        "org_id": org_id,
        "title": "关于加快落实逾期任务的督办",
        "body": "请于答复期限前完成整改并书面答复。",
        "answer_due": days_from_today(7),
        "items": items,
    })
}

/// Field names of a 422 answer.
fn fields(r: &Resp) -> Vec<String> {
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "expected field errors: {}",
        r.text()
    );
    r.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

/// An office account for `org_id`, made by the security administrator; its token.
async fn office_account(t: &TestApp, username: &str, org_id: i64) -> String {
    let sec = t.app.actor_by_username("secadmin").await.expect("secadmin");
    let uid = t
        .app
        .user_create(&sec, username, "他单位党办", PASSWORD, None)
        .await
        .expect("create user");
    t.app
        .user_add_role(&sec, uid, "unit_office", org_id)
        .await
        .expect("grant unit_office");
    t.login_api(username).await
}

fn is_notice_code(code: &str, year: &str) -> bool {
    code.contains(&format!("督〔{year}〕")) && code.ends_with('号')
}

#[tokio::test]
async fn commission_issues_unit1_answers_with_evidence_others_see_nothing() {
    let t = spawn_app().await;
    // the demo holds notices of its own: count from here
    let answers0 = t
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'notice_answer'")
        .await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let u1_id = home["id"].as_i64().unwrap();
    let task = overdue_task(&t, &com, u1_id, "集成测试：逾期未报的专题研究").await;
    let year = &days_from_today(0)[..4];

    // the issue form offers the unit's overdue task, and issuing goes through the form
    let sc = t.login_page("commission").await;
    let form = sc.get(&format!("/notices/new?org={u1_id}")).await;
    assert_eq!(form.status, StatusCode::OK);
    let html = form.text();
    assert!(
        html.contains(&format!("value=\"task:{task}\"")),
        "the overdue task is offered as a checkbox"
    );
    let due = days_from_today(5);
    let item = format!("task:{task}");
    let org = u1_id.to_string();
    let r = sc
        .post_form(
            "/notices/new",
            &[
                ("csrf", sc.csrf.as_str()),
                ("org_id", org.as_str()),
                ("title", "关于第二季度专题研究逾期的督办"),
                ("body", "该任务已逾期，请立即落实并答复。"),
                ("answer_due", due.as_str()),
                ("item", item.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "issue: {}", r.text());
    let id: i64 = r
        .location()
        .trim_start_matches("/notices/")
        .parse()
        .expect("redirect to the notice");

    let d = t.get_ok(&com, &format!("/api/v1/notices/{id}")).await;
    let code = d["notice"]["code"].as_str().unwrap().to_string();
    assert!(is_notice_code(&code, year), "code {code}");
    assert_eq!(d["notice"]["state"], "open");
    assert_eq!(d["notice"]["org_id"], u1_id);
    assert_eq!(d["items"][0]["item_id"], task);
    assert_eq!(d["items"][0]["item_type"], "task");
    assert_eq!(d["can_answer"], false, "the issuer does not answer");
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM supervision_notices WHERE id = {id} AND remind_on = '0000-00-00'"
        ))
        .await,
        1,
        "the reminder engine looks at a new notice at once"
    );
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'notice_issue' AND object_id = '{id}'"
        ))
        .await,
        1
    );
    // the task's own timeline names the notice
    let td = t.get_ok(&com, &format!("/api/v1/tasks/{task}")).await;
    assert!(td["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["detail"].as_str().unwrap_or("").contains(&code)));

    // numbering goes on per issuing org and year
    let task2 = overdue_task(&t, &com, u1_id, "集成测试：第二项逾期任务").await;
    let r = t
        .post(
            &com,
            "/api/v1/notices",
            &notice_body(u1_id, json!([{"item_type": "task", "item_id": task2}])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id2 = r.json()["id"].as_i64().unwrap();
    let code2 = t.get_ok(&com, &format!("/api/v1/notices/{id2}")).await["notice"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(is_notice_code(&code2, year));
    assert_ne!(code, code2);

    // unit1 sees it as incoming and answers with evidence through the page
    let incoming = t
        .get_ok(&u1, "/api/v1/notices?dir=incoming&state=open")
        .await;
    assert!(incoming["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == id));
    let issued = t.get_ok(&com, "/api/v1/notices?dir=issued").await;
    assert!(issued["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == id));
    let s1 = t.login_page("unit1").await;
    let list = s1.get("/notices").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(linked_ids(&list.text(), "/notices/").contains(&id));
    let page = s1.get(&format!("/notices/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .text()
        .contains(&format!("action=\"/notices/{id}/answer\"")));
    let mp = reqwest::multipart::Form::new()
        .text("csrf", s1.csrf.clone())
        .text("answer", "已召开专题会议研究落实，详见会议纪要。")
        .part(
            "files",
            reqwest::multipart::Part::bytes(PDF.to_vec())
                .file_name("会议纪要.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let r = s1
        .client
        .post(t.url(&format!("/notices/{id}/answer")))
        .multipart(mp)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = t.get_ok(&u1, &format!("/api/v1/notices/{id}")).await;
    assert_eq!(d["notice"]["state"], "answered", "{d}");
    assert_eq!(d["evidence"].as_array().unwrap().len(), 1);
    assert_eq!(d["answered_late"], false);
    let eid = d["evidence"][0]["id"].as_i64().unwrap();
    assert_eq!(
        sc.get(&format!("/evidence/{eid}")).await.status,
        StatusCode::OK,
        "the issuer downloads the evidence"
    );
    // answered once only
    let r = t
        .post(
            &u1,
            &format!("/api/v1/notices/{id}/answer"),
            &json!({"answer": "再次答复"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    // the second notice answers over the API, text only
    let r = t
        .post(
            &u1,
            &format!("/api/v1/notices/{id2}/answer"),
            &json!({"answer": "已整改完毕"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'notice_answer'")
            .await,
        answers0 + 2
    );

    // another unit's office: nothing to see, nothing to answer
    let other = t.other_unit(&com, &home).await;
    let other_id = other.org["id"].as_i64().unwrap();
    let o = office_account(&t, "other_office", other_id).await;
    assert_eq!(
        t.get(&o, &format!("/api/v1/notices/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let (items, _) = t.all_items(&o, "/api/v1/notices").await;
    assert!(!items.iter().any(|n| n["id"] == id || n["id"] == id2));
    let r = t
        .post(
            &o,
            &format!("/api/v1/notices/{id}/answer"),
            &json!({"answer": "越权答复"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let so = t.login_page("other_office").await;
    for p in [format!("/notices/{id}"), format!("/notices/{id}/print")] {
        assert_eq!(so.get(&p).await.status, StatusCode::NOT_FOUND, "{p}");
    }
    let html = so.get("/notices").await.text();
    assert!(!linked_ids(&html, "/notices/").contains(&id));
    assert!(!html.contains(&code));
    // a member sees no notices either
    let m = t.login_api("member1").await;
    assert_eq!(t.get_ok(&m, "/api/v1/notices").await["total"], 0);
}

#[tokio::test]
async fn bad_notices_are_refused_field_by_field_and_write_nothing() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let u1_id = home["id"].as_i64().unwrap();
    let task = overdue_task(&t, &com, u1_id, "集成测试：逾期任务").await;
    let other = t.other_unit(&com, &home).await;
    let other_id = other.org["id"].as_i64().unwrap();
    let foreign_task = overdue_task(&t, &com, other_id, "集成测试：他单位逾期任务").await;
    let before = t.count("SELECT COUNT(*) FROM supervision_notices").await;
    let audits = t
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'notice_issue'")
        .await;

    // no items, an answer date in the past, no title: every field at once
    let mut b = notice_body(u1_id, json!([]));
    b["answer_due"] = json!(days_from_today(-1));
    b["title"] = json!("");
    let f = fields(&t.post(&com, "/api/v1/notices", &b).await);
    for want in ["items", "answer_due", "title"] {
        assert!(f.iter().any(|x| x == want), "{want} in {f:?}");
    }
    // an item outside the target's subtree
    let f = fields(
        &t.post(
            &com,
            "/api/v1/notices",
            &notice_body(
                u1_id,
                json!([{"item_type": "task", "item_id": task}, {"item_type": "task", "item_id": foreign_task}]),
            ),
        )
        .await,
    );
    assert_eq!(f, vec!["items".to_string()]);
    // an item that does not exist, or of an unknown kind
    let f = fields(
        &t.post(
            &com,
            "/api/v1/notices",
            &notice_body(u1_id, json!([{"item_type": "problem", "item_id": task}])),
        )
        .await,
    );
    assert_eq!(f, vec!["items".to_string()]);
    // a unit cannot press its parent, nor itself
    let root = t.home_org(&com).await;
    let root_task = overdue_task(
        &t,
        &com,
        root["id"].as_i64().unwrap(),
        "集成测试：委本级任务",
    )
    .await;
    let f = fields(
        &t.post(
            &u1,
            "/api/v1/notices",
            &notice_body(
                root["id"].as_i64().unwrap(),
                json!([{"item_type": "task", "item_id": root_task}]),
            ),
        )
        .await,
    );
    assert!(f.contains(&"org_id".to_string()), "{f:?}");
    let f = fields(
        &t.post(
            &u1,
            "/api/v1/notices",
            &notice_body(u1_id, json!([{"item_type": "task", "item_id": task}])),
        )
        .await,
    );
    assert!(f.contains(&"org_id".to_string()), "{f:?}");
    // a branch secretary is no office
    let b1 = t.login_api("branch1").await;
    let r = t
        .post(
            &b1,
            "/api/v1/notices",
            &notice_body(u1_id, json!([{"item_type": "task", "item_id": task}])),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    // the page form answers 400 with the reasons beside the fields
    let sc = t.login_page("commission").await;
    let org = u1_id.to_string();
    let past = days_from_today(-3);
    let r = sc
        .post_form(
            "/notices/new",
            &[
                ("csrf", sc.csrf.as_str()),
                ("org_id", org.as_str()),
                ("title", "督办"),
                ("body", "请答复"),
                ("answer_due", past.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("答复期限不能早于今天"));
    assert!(html.contains("请至少选择一项督办事项"));

    assert_eq!(
        t.count("SELECT COUNT(*) FROM supervision_notices").await,
        before
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'notice_issue'")
            .await,
        audits
    );
}

#[tokio::test]
async fn the_notice_prints_as_a_document() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let u1_id = home["id"].as_i64().unwrap();
    let task = overdue_task(&t, &com, u1_id, "集成测试：打印用逾期任务").await;
    let r = t
        .post(
            &com,
            "/api/v1/notices",
            &notice_body(u1_id, json!([{"item_type": "task", "item_id": task}])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let code = t.get_ok(&com, &format!("/api/v1/notices/{id}")).await["notice"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    for user in ["commission", "unit1"] {
        let s = t.login_page(user).await;
        let r = s.get(&format!("/notices/{id}/print")).await;
        assert_eq!(r.status, StatusCode::OK, "{user}");
        let html = r.text();
        for want in [
            "督办通知单",
            code.as_str(),
            "集成测试：打印用逾期任务",
            UNIT1_ORG,
            "答复情况",
            "class=\"doc\"",
        ] {
            assert!(html.contains(want), "{user}: print page lacks {want}");
        }
        assert!(
            !html.contains("class=\"sidebar\""),
            "no page frame on paper"
        );
    }
    let css = t
        .api
        .get(t.url("/static/zeren.css"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(css.contains("仿宋") && css.contains(".doc"));
}

#[tokio::test]
async fn accountability_shows_per_person_per_org_and_in_the_yearly_counts() {
    let t = spawn_app().await;
    let records0 = t
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'accountability_record'")
        .await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let u1_id = home["id"].as_i64().unwrap();
    let task = overdue_task(&t, &com, u1_id, "集成测试：问责关联任务").await;
    let r = t
        .post(
            &com,
            "/api/v1/notices",
            &notice_body(u1_id, json!([{"item_type": "task", "item_id": task}])),
        )
        .await;
    let notice = r.json()["id"].as_i64().unwrap();
    let person = t
        .get_ok(&com, &format!("/api/v1/people?org={u1_id}&per_page=1"))
        .await["items"][0]
        .clone();
    let pid = person["id"].as_i64().unwrap();
    let person_org = person["org_id"].as_i64().unwrap();
    let year: i32 = days_from_today(0)[..4].parse().unwrap();
    let before = t
        .app
        .accountability_counts(&t.app.actor_by_username("commission").await.unwrap(), year)
        .await
        .unwrap()
        .iter()
        .filter(|c| c.org_id == person_org && c.action == "admonish")
        .map(|c| c.n)
        .sum::<i64>();

    // bad input names its fields and writes nothing
    let n0 = t.count("SELECT COUNT(*) FROM accountability").await;
    let f = fields(
        &t.post(
            &com,
            "/api/v1/accountability",
            &json!({"person_id": pid, "action": "scold", "reason": "", "decided_by": "委党委", "decided_on": days_from_today(3)}),
        )
        .await,
    );
    for want in ["action", "reason", "decided_on"] {
        assert!(f.iter().any(|x| x == want), "{want} in {f:?}");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM accountability").await, n0);

    let r = t
        .post(
            &com,
            "/api/v1/accountability",
            &json!({
                "person_id": pid, "action": "admonish", "reason": "督办事项逾期未落实",
                "decided_by": "委党委", "decided_on": days_from_today(0),
                "notice_id": notice, "item_type": "task", "item_id": task
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let rid = r.json()["id"].as_i64().unwrap();
    // an org-level record through the page form
    let sc = t.login_page("commission").await;
    let org = u1_id.to_string();
    let today = days_from_today(0);
    let r = sc
        .post_form(
            "/accountability",
            &[
                ("csrf", sc.csrf.as_str()),
                ("org_id", org.as_str()),
                ("action", "circular"),
                ("reason", "压力传导不到位"),
                ("decided_by", "委党委"),
                ("decided_on", today.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let per_person = t
        .get_ok(&com, &format!("/api/v1/accountability?person={pid}"))
        .await;
    assert_eq!(ids(&per_person), vec![rid]);
    assert_eq!(per_person["items"][0]["notice_id"], notice);
    let per_org = t
        .get_ok(&u1, &format!("/api/v1/accountability?org={u1_id}"))
        .await;
    assert!(ids(&per_org).contains(&rid));
    assert!(per_org["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["action"] == "circular" && i["person_id"].is_null()));
    let after = t
        .app
        .accountability_counts(&t.app.actor_by_username("commission").await.unwrap(), year)
        .await
        .unwrap();
    let n = |org: i64, action: &str| -> i64 {
        after
            .iter()
            .filter(|c| c.org_id == org && c.action == action)
            .map(|c| c.n)
            .sum()
    };
    assert_eq!(n(person_org, "admonish"), before + 1);
    assert!(n(u1_id, "circular") >= 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'accountability_record'")
            .await,
        records0 + 2
    );

    // pages: the list, the notice, the person and the org show it
    let html = sc.get("/accountability").await.text();
    assert!(html.contains("督办事项逾期未落实") && html.contains("诫勉"));
    assert!(html.contains("年度问责统计"));
    let html = sc.get(&format!("/notices/{notice}")).await.text();
    assert!(html.contains("督办事项逾期未落实"));
    let html = sc.get(&format!("/people/{pid}")).await.text();
    assert!(html.contains("督办事项逾期未落实") && html.contains("诫勉"));
    let html = sc.get(&format!("/orgs/{u1_id}")).await.text();
    assert!(html.contains("压力传导不到位") && html.contains("通报批评"));

    // another unit sees none of it, and cannot hold unit1's people to account
    let other = t.other_unit(&com, &home).await;
    let o = office_account(&t, "other_office2", other.org["id"].as_i64().unwrap()).await;
    let (items, _) = t.all_items(&o, "/api/v1/accountability").await;
    assert!(!items.iter().any(|i| i["id"] == rid));
    let r = t
        .post(
            &o,
            "/api/v1/accountability",
            &json!({"person_id": pid, "action": "interview", "reason": "越权", "decided_by": "他单位", "decided_on": days_from_today(0)}),
        )
        .await;
    assert_eq!(fields(&r), vec!["person_id".to_string()]);
    // a unit cannot record against the commission above it
    let root = t.home_org(&com).await;
    let r = t
        .post(
            &u1,
            "/api/v1/accountability",
            &json!({"org_id": root["id"], "action": "interview", "reason": "越级", "decided_by": "单位党委", "decided_on": days_from_today(0)}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(t.count("SELECT COUNT(*) FROM accountability").await, n0 + 2);
}

#[tokio::test]
async fn a_pressed_item_shows_its_notices_on_its_page() {
    let t = spawn_app().await;
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT i.item_type, i.item_id, n.code FROM supervision_notice_items i \
         JOIN supervision_notices n ON n.id = i.notice_id ORDER BY n.id, i.item_id",
    )
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    assert!(!rows.is_empty(), "the demo presses on some items");
    let page = t.login_page("commission").await;
    for (kind, id, code) in rows.iter().take(4) {
        let path = if kind == "task" {
            format!("/tasks/{id}")
        } else {
            let (pid,): (i64,) = sqlx::query_as("SELECT problem_id FROM measures WHERE id = $1")
                .bind(id)
                .fetch_one(t.app.store.pool())
                .await
                .unwrap();
            format!("/problems/{pid}")
        };
        let html = page.get(&path).await.text();
        assert!(
            html.contains("督办情况") && html.contains(code.as_str()),
            "{path} names {code}"
        );
    }
}
