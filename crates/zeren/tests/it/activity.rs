//! 组织生活记录: a branch secretary records a meeting in one POST, bad input is refused
//! field by field with nothing written, records stay in scope, a committee's 第一议题
//! and an appraisal's grades are kept, and the API and the Excel export agree.
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

/// Person ids of the form's attendance checklist (`name="due_ID"`).
fn due_ids(html: &str) -> Vec<i64> {
    let key = "name=\"due_";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(id) = digits.parse() {
            out.push(id);
        }
    }
    out
}

/// The value of `<input type="hidden" name="NAME" value="…">` or a selected option.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).map(|i| i + key.len()).expect(name);
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

fn selected_value(html: &str, select: &str) -> Option<String> {
    let start = html.find(&format!("name=\"{select}\""))?;
    let end = start + html[start..].find("</select>")?;
    let part = &html[start..end];
    let i = part.find(" selected")?;
    let before = &part[..i];
    let v = before.rfind("value=\"")? + 7;
    Some(before[v..v + before[v..].find('"')?].to_string())
}

async fn count_activities(t: &TestApp) -> (i64, i64, i64) {
    (
        t.count("SELECT COUNT(*) FROM activities").await,
        t.count("SELECT COUNT(*) FROM activity_people").await,
        t.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'activity_%'")
            .await,
    )
}

/// A held meeting through the API with counts only; its id.
async fn api_activity(t: &TestApp, token: &str, org_id: i64, kind: &str, title: &str) -> i64 {
    let r = t
        .post(
            token,
            "/api/v1/activities",
            &json!({"org_id": org_id, "kind": kind, "title": title, "held_on": days_from_today(-1),
                    "expected_count": 6, "present_count": 5, "leave_count": 1,
                    "topic": "集成测试议题", "content": "集成测试内容", "decisions": "集成测试决议"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "create activity: {}",
        r.text()
    );
    r.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn branch1_records_a_committee_meeting_in_one_post() {
    let t = spawn_app().await;
    let s = t.login_page("branch1").await;
    let r = s.get("/activities/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert_eq!(
        selected_value(&html, "kind").as_deref(),
        Some("branch_committee"),
        "a branch's form opens on 支部委员会"
    );
    assert!(
        html.contains(&format!("value=\"{}\"", days_from_today(0))),
        "today"
    );
    let people = due_ids(&html);
    assert!(
        people.len() >= 3,
        "the branch's members are listed: {people:?}"
    );
    // everyone ticked present
    for id in &people {
        assert!(html.contains(&format!("name=\"present_{id}\" value=\"1\" checked")));
    }
    let host = selected_value(&html, "host_id").expect("the secretary hosts by default");
    let recorder = selected_value(&html, "recorder_id").expect("a recorder by default");
    assert_ne!(host, recorder);
    let org_id = hidden(&html, "org_id");

    // the secretary unticks one on leave and one absent, and posts once
    let leave = people[1];
    let absent = people[2];
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), s.csrf.clone()),
        ("org_id".into(), org_id.clone()),
        ("kind".into(), "branch_committee".into()),
        ("state".into(), "held".into()),
        ("held_on".into(), days_from_today(0)),
        ("start_time".into(), "14:30".into()),
        ("end_time".into(), "16:00".into()),
        ("place".into(), "党员活动室".into()),
        ("host_id".into(), host.clone()),
        ("recorder_id".into(), recorder.clone()),
        ("observers".into(), "院党委联系领导".into()),
        ("topic".into(), "研究发展党员工作".into()),
        ("content".into(), "集成测试：讨论确定入党积极分子".into()),
        ("decisions".into(), "同意列为发展对象".into()),
    ];
    for id in &people {
        form.push((format!("due_{id}"), "1".into()));
        if *id == leave {
            form.push((format!("away_{id}"), "leave".into()));
        } else if *id == absent {
            form.push((format!("away_{id}"), "absent".into()));
        } else {
            form.push((format!("present_{id}"), "1".into()));
            form.push((format!("away_{id}"), "leave".into()));
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let before = count_activities(&t).await;
    let r = s.post_form("/activities/new", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r.location();
    let id: i64 = loc
        .strip_prefix("/activities/")
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the record: {loc}"));
    let after = count_activities(&t).await;
    assert_eq!(after.0, before.0 + 1);
    assert_eq!(after.1, before.1 + people.len() as i64);
    assert_eq!(after.2, before.2 + 1, "one audit event");

    let n = people.len() as i64;
    let tok = t.login_api("branch1").await;
    let d = t.get_ok(&tok, &format!("/api/v1/activities/{id}")).await;
    let a = &d["activity"];
    assert_eq!(a["kind"], "branch_committee");
    assert_eq!(a["state"], "held");
    assert_eq!(a["expected_count"], n);
    assert_eq!(a["present_count"], n - 2);
    assert_eq!(a["leave_count"], 1);
    assert_eq!(a["start_time"], "14:30");
    assert_eq!(a["host_id"].as_i64(), host.parse::<i64>().ok());
    let att: Vec<(i64, String)> = d["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["person_id"].as_i64().unwrap(),
                p["attendance"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(att.contains(&(leave, "leave".into())));
    assert!(att.contains(&(absent, "absent".into())));
    assert_eq!(d["history"].as_array().unwrap().len(), 1);

    // the ledger shows it, with its counts, at the top
    let html = s.get("/activities").await.text();
    assert_eq!(linked_ids(&html, "/activities/").first(), Some(&id));
    let row_start = html.find(&format!("href=\"/activities/{id}\"")).unwrap();
    let row = &html[row_start..row_start + html[row_start..].find("</tr>").unwrap()];
    assert!(
        row.contains(&format!("<td class=\"num\">{n}</td>"))
            && row.contains(&format!("<td class=\"num\">{}</td>", n - 2))
            && row.contains("<td class=\"num\">1</td>"),
        "counts in the row: {row}"
    );
    // the minutes name who was there and who was not
    let page = s.get(&loc).await.text();
    assert!(page.contains("会议记录"));
    assert!(page.contains("同意列为发展对象"));
    assert!(page.contains("请假人员"));
    let leave_name = d["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == leave)
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(page.contains(&leave_name));

    // edit: one more present, then cancel with a reason
    let mut pairs2 = pairs.clone();
    let p_leave = format!("present_{leave}");
    pairs2.push((p_leave.as_str(), "1"));
    let r = s
        .post_form(&format!("/activities/{id}/edit"), &pairs2)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let d = t.get_ok(&tok, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["activity"]["present_count"], n - 1);
    assert_eq!(d["activity"]["leave_count"], 0);
    let r = s
        .post_form(
            &format!("/activities/{id}/cancel"),
            &[("csrf", &s.csrf), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("set-cookie").contains("zeren_flash"));
    let d = t.get_ok(&tok, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["activity"]["state"], "held", "no reason, no cancel");
    let r = s
        .post_form(
            &format!("/activities/{id}/cancel"),
            &[("csrf", &s.csrf), ("reason", "重复登记")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let d = t.get_ok(&tok, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["activity"]["state"], "cancelled");
    assert_eq!(d["activity"]["cancel_reason"], "重复登记");
    let actions: Vec<String> = sqlx::query_as::<_, (String,)>(
        "SELECT action FROM audit_events WHERE object_kind = 'activity' ORDER BY id",
    )
    .fetch_all(t.app.store.pool())
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.0)
    .collect();
    assert_eq!(
        actions,
        ["activity_create", "activity_update", "activity_cancel"]
    );
}

#[tokio::test]
async fn bad_input_gives_field_errors_and_writes_nothing() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let u1_home = t.home_org(&u1).await;
    let other = t.other_unit(&com, &u1_home).await;
    let outsider = other.person_ids[0];
    let tok = t.login_api("branch1").await;
    let branch = t.home_org(&tok).await;
    let org_id = branch["id"].as_i64().unwrap();
    let before = count_activities(&t).await;

    let r = t
        .post(
            &tok,
            "/api/v1/activities",
            &json!({"org_id": org_id, "kind": "meeting", "held_on": days_from_today(3),
                    "expected_count": 5, "present_count": 4, "leave_count": 2,
                    "host_id": outsider, "start_time": "25:00"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let fields: Vec<String> = r.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    for f in ["kind", "held_on", "present_count", "host_id", "start_time"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }

    // the same through the form: shown again with the messages, status 400
    let s = t.login_page("branch1").await;
    let html = s.get("/activities/new").await.text();
    let people = due_ids(&html);
    let outsider_s = outsider.to_string();
    let future = days_from_today(2);
    let org_s = org_id.to_string();
    let r = s
        .post_form(
            "/activities/new",
            &[
                ("csrf", &s.csrf),
                ("org_id", &org_s),
                ("kind", "branch_committee"),
                ("held_on", &future),
                ("expected_count", "3"),
                ("present_count", "3"),
                ("leave_count", "1"),
                ("host_id", &outsider_s),
                ("content", "不应保存的内容"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("召开日期不能晚于今天"), "future date");
    assert!(html.contains("实到人数与请假人数之和不能超过应到人数"));
    assert!(html.contains("主持人须从本人管理范围内的人员中选择"));
    assert!(
        html.contains("不应保存的内容"),
        "the form keeps what was typed"
    );
    // an unknown kind, and a name from outside the branch on the list
    let due_out = format!("due_{outsider}");
    let present_out = format!("present_{outsider}");
    let due_own = format!("due_{}", people[0]);
    let r = s
        .post_form(
            "/activities/new",
            &[
                ("csrf", &s.csrf),
                ("org_id", &org_s),
                ("kind", "party_meeting"),
                ("held_on", &days_from_today(0)),
                (due_own.as_str(), "1"),
                (due_out.as_str(), "1"),
                (present_out.as_str(), "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let html = r.text();
    assert!(html.contains("请选择会议/活动类型"));
    assert!(html.contains("参会人员须从本组织的党员中选择"));
    // a record of another unit's org is refused as if the org did not exist
    let r = t
        .post(
            &tok,
            "/api/v1/activities",
            &json!({"org_id": other.org["id"], "kind": "branch_committee", "held_on": days_from_today(0),
                    "expected_count": 3, "present_count": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("党组织不存在"));
    assert_eq!(count_activities(&t).await, before, "nothing was written");
}

#[tokio::test]
async fn unit1_cannot_see_another_units_activity() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let other = t.other_unit(&com, &home).await;
    let other_id = other.org["id"].as_i64().unwrap();
    let id = api_activity(&t, &com, other_id, "theme_day", "集成测试他单位主题党日").await;
    // positive control
    assert_eq!(
        t.get(&com, &format!("/api/v1/activities/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let (items, _) = t
        .all_items(&com, &format!("/api/v1/activities?org={other_id}"))
        .await;
    assert!(items.iter().any(|i| i["id"] == id));

    let r = t.get(&u1, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (items, total) = t.all_items(&u1, "/api/v1/activities").await;
    assert!(total > 0, "unit1 has its own records");
    assert!(!items.iter().any(|i| i["id"] == id));
    assert_eq!(
        t.get(&u1, &format!("/api/v1/activities?org={other_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let s1 = t.login_page("unit1").await;
    for p in [
        format!("/activities/{id}"),
        format!("/activities/{id}/edit"),
        format!("/activities?org={other_id}"),
        format!("/activities/export.xlsx?org={other_id}"),
        format!("/activities/new?org={other_id}"),
    ] {
        assert_eq!(s1.get(&p).await.status, StatusCode::NOT_FOUND, "{p}");
    }
    let html = s1.get("/activities?per_page=500&q=集成测试").await.text();
    assert!(!html.contains("集成测试他单位主题党日"));
    let r = s1.get("/activities/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows as i64, total);
    assert!(!strings.iter().any(|s| s.contains("集成测试他单位主题党日")));
    // nor change it
    let r = s1
        .post_form(
            &format!("/activities/{id}/cancel"),
            &[("csrf", &s1.csrf), ("reason", "越权取消")],
        )
        .await;
    assert!(r.status.is_redirection() || r.status.is_client_error());
    let r = s1
        .post_form(
            &format!("/activities/{id}/edit"),
            &[
                ("csrf", &s1.csrf),
                ("kind", "theme_day"),
                ("held_on", &days_from_today(0)),
                ("expected_count", "1"),
                ("present_count", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let d = t.get_ok(&com, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["activity"]["state"], "held");
    assert_eq!(d["activity"]["expected_count"], 6);
    // the commission's export of the other unit names it
    let sc = t.login_page("commission").await;
    let r = sc
        .get(&format!(
            "/activities/export.xlsx?org={other_id}&q=集成测试"
        ))
        .await;
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows, 1);
    assert!(strings.iter().any(|s| s == "集成测试议题"));
}

#[tokio::test]
async fn a_committee_meeting_with_a_first_topic_item_sets_first_topic() {
    let t = spawn_app().await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let org_id = home["id"].as_i64().unwrap();
    let s = t.login_page("unit1").await;
    let r = s
        .get(&format!(
            "/activities/new?org={org_id}&kind=committee_meeting"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("name=\"agenda_1\""),
        "agenda lines for 党委会"
    );
    assert!(html.contains("name=\"first_1\""));
    let people = due_ids(&html);
    assert!(!people.is_empty(), "the committee's team is listed");
    let org_s = org_id.to_string();
    let today = days_from_today(0);
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), s.csrf.clone()),
        ("org_id".into(), org_s.clone()),
        ("kind".into(), "committee_meeting".into()),
        ("held_on".into(), today.clone()),
        (
            "agenda_1".into(),
            "传达学习习近平总书记最新重要讲话精神".into(),
        ),
        ("first_1".into(), "1".into()),
        ("agenda_2".into(), "研究年度党建工作要点".into()),
        ("agenda_3".into(), "".into()),
    ];
    for id in &people {
        form.push((format!("due_{id}"), "1".into()));
        form.push((format!("present_{id}"), "1".into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.post_form("/activities/new", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: i64 = r
        .location()
        .trim_start_matches("/activities/")
        .parse()
        .unwrap();
    let d = t.get_ok(&u1, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["activity"]["first_topic"], 1);
    assert_eq!(d["activity"]["present_count"], people.len() as i64);
    let agenda = d["agenda"].as_array().unwrap();
    assert_eq!(agenda.len(), 2);
    assert_eq!(agenda[0]["first_topic"], 1);
    assert_eq!(agenda[1]["first_topic"], 0);
    assert!(d["activity"]["title"]
        .as_str()
        .unwrap()
        .starts_with("党委会"));
    let page = s.get(&format!("/activities/{id}")).await.text();
    assert!(page.contains("第一议题"));

    // without a 第一议题 item the flag stays off
    let r = t
        .post(
            &u1,
            "/api/v1/activities",
            &json!({"org_id": org_id, "kind": "committee_meeting", "held_on": today,
                    "expected_count": 7, "present_count": 7,
                    "agenda": [{"title": "研究干部选拔任用"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id2 = r.json()["id"].as_i64().unwrap();
    let d = t.get_ok(&u1, &format!("/api/v1/activities/{id2}")).await;
    assert_eq!(d["activity"]["first_topic"], 0);
    // the list shows which one had it
    let html = s
        .get(&format!("/activities?kind=committee_meeting&org={org_id}"))
        .await
        .text();
    let row = |id: i64| {
        let i = html.find(&format!("href=\"/activities/{id}\"")).unwrap();
        let start = html[..i].rfind("<tr>").unwrap();
        html[start..i].to_string()
    };
    assert!(row(id).contains("第一议题"));
    assert!(!row(id2).contains("第一议题"));
}

#[tokio::test]
async fn member_appraisal_grades_and_training_hours_are_stored() {
    let t = spawn_app().await;
    let s = t.login_page("branch1").await;
    let html = s.get("/activities/new?kind=member_appraisal").await.text();
    assert!(html.contains("评议等次"));
    let people = due_ids(&html);
    let org_id = hidden(&html, "org_id");
    let grades = ["excellent", "qualified", "basic", "unqualified"];
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), s.csrf.clone()),
        ("org_id".into(), org_id.clone()),
        ("kind".into(), "member_appraisal".into()),
        ("held_on".into(), days_from_today(0)),
    ];
    for (i, id) in people.iter().enumerate() {
        form.push((format!("due_{id}"), "1".into()));
        form.push((format!("present_{id}"), "1".into()));
        form.push((format!("grade_{id}"), grades[i % 4].into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.post_form("/activities/new", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: i64 = r
        .location()
        .trim_start_matches("/activities/")
        .parse()
        .unwrap();
    let tok = t.login_api("branch1").await;
    let d = t.get_ok(&tok, &format!("/api/v1/activities/{id}")).await;
    for (i, id) in people.iter().enumerate() {
        let p = d["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["person_id"] == *id)
            .unwrap();
        assert_eq!(p["grade"], grades[i % 4]);
    }
    let page = s.get(&format!("/activities/{id}")).await.text();
    for label in ["优秀", "合格", "基本合格"] {
        assert!(page.contains(label), "{label}");
    }
    // an unknown grade is refused
    let key = format!("grade_{}", people[0]);
    let bad: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.clone(), if *k == key { "A+".into() } else { v.clone() }))
        .collect();
    let before = t.count("SELECT COUNT(*) FROM activities").await;
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.post_form("/activities/new", &pairs).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("评议等次应为"));
    assert_eq!(t.count("SELECT COUNT(*) FROM activities").await, before);

    // training: hours per participant
    let r = t
        .post(
            &tok,
            "/api/v1/activities",
            &json!({"org_id": org_id.parse::<i64>().unwrap(), "kind": "training", "held_on": days_from_today(0),
                    "attendees": [{"person_id": people[0], "attendance": "present", "hours": 1.5},
                                  {"person_id": people[1], "attendance": "leave"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let d = t.get_ok(&tok, &format!("/api/v1/activities/{id}")).await;
    let p0 = d["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == people[0])
        .unwrap()
        .clone();
    assert_eq!(p0["minutes"], 90);
    assert_eq!(d["activity"]["expected_count"], 2);
    assert_eq!(d["activity"]["present_count"], 1);
    assert_eq!(d["activity"]["leave_count"], 1);
}

#[tokio::test]
async fn api_creates_and_lists_with_filters() {
    let t = spawn_app().await;
    let tok = t.login_api("branch1").await;
    let branch = t.home_org(&tok).await;
    let org_id = branch["id"].as_i64().unwrap();
    let (people, _) = t
        .all_items(&tok, &format!("/api/v1/people?org={org_id}"))
        .await;
    let ids: Vec<i64> = people.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert!(ids.len() >= 2);
    let attendees: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"person_id": id, "attendance": if i == 0 { "leave" } else { "present" }}))
        .collect();
    let held = days_from_today(0);
    let r = t
        .post(
            &tok,
            "/api/v1/activities",
            &json!({"org_id": org_id, "kind": "party_lecture", "held_on": held, "topic": "集成测试党课",
                    "host_id": ids[1], "attendees": attendees,
                    "expected_count": 99, "present_count": 99}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let year = &held[..4];
    let month = held[5..7].trim_start_matches('0');
    let v = t
        .get_ok(
            &tok,
            &format!("/api/v1/activities?kind=party_lecture&year={year}&month={month}"),
        )
        .await;
    let items = v["items"].as_array().unwrap();
    let it = items.iter().find(|i| i["id"] == id).expect("listed");
    assert_eq!(
        it["expected_count"],
        ids.len() as i64,
        "counts from the names"
    );
    assert_eq!(it["present_count"], ids.len() as i64 - 1);
    assert_eq!(it["leave_count"], 1);
    assert!(it["host_name"].is_string());
    assert_eq!(it["org_name"], branch["name"]);
    for i in items {
        assert_eq!(i["kind"], "party_lecture");
        assert!(i["held_on"].as_str().unwrap().starts_with(&held[..7]));
    }
    // another kind or year does not hold it
    let v = t
        .get_ok(&tok, "/api/v1/activities?kind=theme_day&per_page=500")
        .await;
    assert!(!v["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    let last = year.parse::<i32>().unwrap() - 1;
    let v = t
        .get_ok(
            &tok,
            &format!("/api/v1/activities?year={last}&per_page=500"),
        )
        .await;
    assert!(!v["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    // newest first
    let v = t.get_ok(&tok, "/api/v1/activities?per_page=50").await;
    let days: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["held_on"].as_str().map(str::to_string))
        .collect();
    let mut sorted = days.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, sorted);
    // a plan lies ahead; a planned record needs its planned day
    let r = t
        .post(
            &tok,
            "/api/v1/activities",
            &json!({"org_id": org_id, "kind": "theme_day", "state": "planned", "planned_on": days_from_today(10)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = t
        .post(
            &tok,
            "/api/v1/activities",
            &json!({"org_id": org_id, "kind": "theme_day", "state": "planned"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // the OpenAPI document names the routes
    let doc = t.get_ok(&tok, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/activities"]["post"].is_object());
    assert!(doc["paths"]["/activities/{id}"]["get"].is_object());
}

#[tokio::test]
async fn export_opens_as_xlsx_with_the_headers() {
    let t = spawn_app().await;
    let tok = t.login_api("branch1").await;
    let s = t.login_page("branch1").await;
    let r = s.get("/activities/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows as i64, t.total(&tok, "/api/v1/activities").await);
    assert!(rows > 0, "the demo gives the branch a year of meetings");
    for h in [
        "所在党组织",
        "会议类型",
        "主持人",
        "记录人",
        "实际时间",
        "地点",
        "应到人数",
        "实到人数",
        "请假人数",
        "列席人员",
        "议题",
        "内容",
        "决议",
    ] {
        assert!(strings.iter().any(|s| s == h), "header {h}");
    }
    assert!(strings.iter().any(|s| s == "支部委员会"));
    // filtered like the list
    let year = &days_from_today(0)[..4];
    let r = s
        .get(&format!(
            "/activities/export.xlsx?kind=branch_committee&year={year}"
        ))
        .await;
    let (rows, _) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(
        rows as i64,
        t.total(
            &tok,
            &format!("/api/v1/activities?kind=branch_committee&year={year}")
        )
        .await
    );
}

#[tokio::test]
async fn research_links_problems_and_attachments_upload_with_the_form() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let u1 = t.login_api("unit1").await;
    let home = t.home_org(&u1).await;
    let org_id = home["id"].as_i64().unwrap();
    let other = t.other_unit(&com, &home).await;
    let own_problem = t
        .create_problem(&u1, org_id, "集成测试：调研前已登记的问题")
        .await;
    let foreign_problem = other.problem_ids[0];
    let s = t.login_page("unit1").await;
    let html = s
        .get(&format!("/activities/new?org={org_id}&kind=research"))
        .await
        .text();
    assert!(
        html.contains("name=\"new_problems\""),
        "调研 extras on the form"
    );
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let people = due_ids(&html);
    let problems_before = t.count("SELECT COUNT(*) FROM problems").await;

    // a problem of another unit cannot be linked
    let mut mp = reqwest::multipart::Form::new()
        .text("csrf", s.csrf.clone())
        .text("org_id", org_id.to_string())
        .text("kind", "research")
        .text("held_on", days_from_today(0))
        .text("topic", "集成测试调研：门诊服务")
        .text("opinions", "患者反映挂号难")
        .text("outcomes", "开通预约挂号")
        .text("new_problems", "门诊候诊时间过长\n\n预约渠道少")
        .text("problem_deadline", days_from_today(30));
    for id in &people {
        mp = mp
            .text(format!("due_{id}"), "1")
            .text(format!("present_{id}"), "1");
    }
    let post =
        |mp: reqwest::multipart::Form| s.client.post(t.url("/activities/new")).multipart(mp).send();
    let bad = mp.text("problem_ids", format!("{own_problem} {foreign_problem}"));
    let r = Resp::read(post(bad).await.unwrap()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r
        .text()
        .contains(&format!("问题 #{foreign_problem} 不存在")));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM problems").await,
        problems_before
    );

    let mut mp = reqwest::multipart::Form::new()
        .text("csrf", s.csrf.clone())
        .text("org_id", org_id.to_string())
        .text("kind", "research")
        .text("held_on", days_from_today(0))
        .text("topic", "集成测试调研：门诊服务")
        .text("opinions", "患者反映挂号难")
        .text("outcomes", "开通预约挂号")
        .text("new_problems", "门诊候诊时间过长\n\n预约渠道少")
        .text("problem_deadline", days_from_today(30))
        .text("problem_ids", own_problem.to_string())
        .part(
            "files",
            reqwest::multipart::Part::bytes(PDF.to_vec())
                .file_name("调研报告.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    for id in &people {
        mp = mp
            .text(format!("due_{id}"), "1")
            .text(format!("present_{id}"), "1");
    }
    let r = Resp::read(post(mp).await.unwrap()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: i64 = r
        .location()
        .trim_start_matches("/activities/")
        .parse()
        .unwrap();
    assert_eq!(
        t.count("SELECT COUNT(*) FROM problems").await,
        problems_before + 2,
        "two new problems entered the ledger"
    );
    let d = t.get_ok(&u1, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(d["activity"]["opinions"], "患者反映挂号难");
    assert_eq!(d["activity"]["outcomes"], "开通预约挂号");
    let linked: Vec<&str> = d["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(linked.len(), 3, "{linked:?}");
    assert!(linked.contains(&"门诊候诊时间过长"));
    assert!(linked.contains(&"集成测试：调研前已登记的问题"));
    let (found, _) = t
        .all_items(&u1, "/api/v1/problems?source=research&q=门诊候诊")
        .await;
    assert_eq!(
        found.len(),
        1,
        "the new problem is in the ledger as a 调研 finding"
    );
    // the attachment downloads within scope only
    let ev = d["evidence"].as_array().unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["filename"], "调研报告.pdf");
    let eid = ev[0]["id"].as_i64().unwrap();
    let r = s.get(&format!("/evidence/{eid}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, PDF);
    let other_s = t.login_page("branch1").await;
    let page = s.get(&format!("/activities/{id}")).await.text();
    assert!(page.contains("调研报告.pdf"));
    assert!(page.contains("门诊候诊时间过长"));
    // branch1 (a branch of unit1) does not see the unit's own record
    assert_eq!(
        other_s.get(&format!("/activities/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other_s.get(&format!("/evidence/{eid}")).await.status,
        StatusCode::NOT_FOUND
    );
}
