//! Record once, use everywhere: a meeting entered once shows in the dashboard's
//! 组织生活 figures (the ones the annual report quotes) without being typed again.
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

fn first_topic_figure(html: &str) -> i64 {
    let at = html
        .find("第一议题学习")
        .expect("the dashboard names 第一议题学习");
    let rest = &html[at..];
    let num = rest.find("stat-num\">").expect("a figure follows") + "stat-num\">".len();
    rest[num..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_committee_meeting_recorded_once_counts_on_the_dashboard() {
    let t = spawn_app().await;
    let year = zeren_app::clock::today().format("%Y").to_string();
    let from_rows = t
        .count(&format!(
            "SELECT COUNT(*) FROM activities WHERE kind = 'committee_meeting' AND first_topic = 1 \
             AND state = 'held' AND held_on >= '{year}-01-01' AND held_on <= '{year}-12-31'"
        ))
        .await;
    assert!(from_rows > 0, "the demo's committees study the 第一议题");
    let page = t.login_page("commission").await;
    let before = first_topic_figure(&page.get("/dashboard").await.text());
    assert_eq!(before, from_rows, "the figure is the records' count");

    // unit1's office records one 党委会 with a 第一议题 item
    let unit1 = t.login_api("unit1").await;
    let org = t.home_org(&unit1).await["id"].as_i64().unwrap();
    let r = t
        .post(
            &unit1,
            "/api/v1/activities",
            &json!({"org_id": org, "kind": "committee_meeting", "title": "党委会（集成测试）",
                    "held_on": days_from_today(0), "expected_count": 9, "present_count": 8, "leave_count": 1,
                    "agenda": [{"title": "学习习近平总书记重要讲话精神", "first_topic": true},
                               {"title": "研究“三重一大”事项"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let after = first_topic_figure(&page.get("/dashboard").await.text());
    assert_eq!(
        after,
        before + 1,
        "counted for the commission without retyping"
    );
    // and for the unit itself
    let unit_page = t.login_page("unit1").await.get("/dashboard").await.text();
    assert!(first_topic_figure(&unit_page) >= 1);
}
