//! The annual report: every figure it states is the count of the demo's records
//! (counted here by hand, in SQL written independently of the report's), figures
//! follow new records without retyping, the narrative is edited with figures as
//! tokens, the scope is the reader's, and the Word file is an official document.
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

fn year() -> String {
    zeren_app::clock::today().format("%Y").to_string()
}

fn figure(r: &Value, key: &str) -> i64 {
    r["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("figure {key}"))["value"]
        .as_i64()
        .expect("value")
}

#[tokio::test]
async fn the_commission_report_states_the_hand_counted_records() {
    let t = spawn_app().await;
    let y = year();
    let token = t.login_api("commission").await;
    let r = t
        .get_ok(&token, &format!("/api/v1/reports/annual?year={y}"))
        .await;
    assert!(r["title"]
        .as_str()
        .unwrap()
        .contains("年度履行全面从严治党主体责任情况的报告"));

    // hand counts over the whole (demo) database, which is the commission's subtree
    let held = |kinds: &str| {
        format!(
            "SELECT COUNT(*) FROM activities WHERE state = 'held' AND kind IN ({kinds}) \
             AND substr(held_on, 1, 4) = '{y}'"
        )
    };
    let checks: Vec<(&str, String)> = vec![
        ("committee_meetings", held("'committee_meeting'")),
        (
            "first_topic",
            format!(
                "SELECT COUNT(*) FROM activities WHERE state = 'held' AND kind = 'committee_meeting' \
                 AND first_topic = 1 AND substr(held_on, 1, 4) = '{y}'"
            ),
        ),
        ("central_group", held("'central_group_study'")),
        (
            "three_one",
            held("'branch_general_meeting','branch_committee','group_meeting','party_lecture'"),
        ),
        ("theme_days", held("'theme_day'")),
        ("org_life", held("'org_life'")),
        ("research", held("'research'")),
        ("warning_education", held("'warning_education'")),
        (
            "problems",
            format!("SELECT COUNT(*) FROM problems WHERE substr(found_on, 1, 4) = '{y}'"),
        ),
        (
            "problems_closed",
            format!(
                "SELECT COUNT(*) FROM problems WHERE state = 'closed' AND substr(found_on, 1, 4) = '{y}'"
            ),
        ),
        (
            "self_problems",
            format!(
                "SELECT COUNT(*) FROM problems WHERE source IN ('self_examination', 'democratic_life', 'self_check') \
                 AND substr(found_on, 1, 4) = '{y}'"
            ),
        ),
        (
            "measures_done",
            format!(
                "SELECT COUNT(*) FROM measures WHERE state = 'done' AND problem_id IN \
                 (SELECT id FROM problems WHERE substr(found_on, 1, 4) = '{y}')"
            ),
        ),
        (
            "tasks",
            format!("SELECT COUNT(*) FROM tasks WHERE substr(deadline, 1, 4) = '{y}'"),
        ),
        (
            "tasks_done",
            format!(
                "SELECT COUNT(*) FROM tasks WHERE state = 'done' AND substr(deadline, 1, 4) = '{y}'"
            ),
        ),
        (
            "accountability",
            format!("SELECT COUNT(*) FROM accountability WHERE substr(decided_on, 1, 4) = '{y}'"),
        ),
        (
            "new_members",
            format!("SELECT COUNT(*) FROM people WHERE substr(joined_on, 1, 4) = '{y}'"),
        ),
    ];
    let mut nonzero = 0;
    for (key, sql) in &checks {
        let n = t.count(sql).await;
        assert_eq!(figure(&r, key), n, "{key}: {sql}");
        if n > 0 {
            nonzero += 1;
        }
    }
    // the demo gives most figures something to count, so equality is not 0 = 0
    assert!(nonzero >= checks.len() - 3, "{nonzero} of {}", checks.len());
    // the sentence states the figure
    let text = r["achievements"].to_string();
    assert!(
        text.contains(&format!(
            "全年召开党委会{}次",
            figure(&r, "committee_meetings")
        )),
        "{text}"
    );
}

#[tokio::test]
async fn a_meeting_recorded_once_moves_the_report_and_scope_is_the_readers() {
    let t = spawn_app().await;
    let y = year();
    let commission = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let home = t.home_org(&unit1).await;
    let org = home["id"].as_i64().unwrap();
    let path = format!("/api/v1/reports/annual?year={y}&org={org}");
    let before = t.get_ok(&unit1, &path).await;
    let whole = t
        .get_ok(&commission, &format!("/api/v1/reports/annual?year={y}"))
        .await;
    assert!(figure(&before, "three_one") < figure(&whole, "three_one"));
    let r = t
        .post(
            &unit1,
            "/api/v1/activities",
            &json!({"org_id": org, "kind": "committee_meeting", "title": "党委会（报告测试）",
                    "held_on": days_from_today(0), "expected_count": 9, "present_count": 9, "leave_count": 0,
                    "agenda": [{"title": "学习习近平总书记重要讲话精神", "first_topic": true}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let after = t.get_ok(&unit1, &path).await;
    assert_eq!(
        figure(&after, "first_topic"),
        figure(&before, "first_topic") + 1
    );
    assert_eq!(
        figure(&after, "committee_meetings"),
        figure(&before, "committee_meetings") + 1
    );
    // the commission's report counts it too
    let whole_after = t
        .get_ok(&commission, &format!("/api/v1/reports/annual?year={y}"))
        .await;
    assert_eq!(
        figure(&whole_after, "first_topic"),
        figure(&whole, "first_topic") + 1
    );

    // unit1 cannot read another unit's report, nor the commission's
    let other = t.other_unit(&commission, &home).await.org["id"]
        .as_i64()
        .unwrap();
    for p in [
        format!("/api/v1/reports/annual?year={y}&org={other}"),
        format!("/api/v1/reports/annual?year={y}&org=1"),
    ] {
        let r = t.get(&unit1, &p).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}: {}", r.text());
    }
    // a year out of range is refused with its reason
    let r = t.get(&unit1, "/api/v1/reports/annual?year=1900").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("年度"));
}

#[tokio::test]
async fn the_narrative_is_edited_with_live_figures_and_written_as_word() {
    let t = spawn_app().await;
    let y = year();
    let page = t.login_page("commission").await;
    let html = page.get(&format!("/reports/annual?year={y}")).await.text();
    assert!(
        html.contains("年度履行全面从严治党主体责任情况的报告"),
        "{html}"
    );
    // figures are links to the records they count
    assert!(
        html.contains("class=\"figure\" href=\"/activities?org="),
        "{html}"
    );
    let org = html
        .split("name=\"org\"><option value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("org selector")
        .to_string();
    let csrf = csrf_of(
        &page
            .get(&format!("/reports/annual?year={y}&org={org}&edit=1"))
            .await
            .text(),
    )
    .expect("csrf");

    // a token that names no figure is refused, and nothing is saved
    let r = page
        .post_form(
            "/reports/annual/edit",
            &[
                ("csrf", &csrf),
                ("org", &org),
                ("year", &y),
                ("level", "2"),
                ("heading", "（一）政治建设"),
                ("body", "全年召开党委会〔党委会数量〕次。"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("〔党委会数量〕 不是可用的数据项"),
        "{}",
        r.text()
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 0);

    // a valid edit is saved; the figure stays live
    let r = page
        .post_form(
            "/reports/annual/edit",
            &[
                ("csrf", &csrf),
                ("org", &org),
                ("year", &y),
                ("level", "2"),
                ("heading", "（一）政治建设"),
                ("body", "本年度召开党委会〔党委会次数〕次，第一议题〔第一议题学习次数〕次。\n\n第二段。"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'report_edit'")
            .await,
        1
    );
    let token = t.login_api("commission").await;
    let api = t
        .get_ok(
            &token,
            &format!("/api/v1/reports/annual?year={y}&org={org}"),
        )
        .await;
    let n = figure(&api, "committee_meetings");
    assert_eq!(api["achievements"].as_array().unwrap().len(), 1);
    let text = api["achievements"].to_string();
    assert!(text.contains(&format!("本年度召开党委会{n}次")), "{text}");

    // the Word file: the edited words with the live numbers, in a real .docx
    let r = page
        .get(&format!("/reports/annual.docx?year={y}&org={org}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("wordprocessingml"));
    let xml = docx_text(&r.bytes);
    assert!(xml.contains("履行全面从严治党主体责任情况的报告"), "{xml}");
    assert!(xml.contains(&format!("本年度召开党委会{n}次")), "{xml}");
    assert!(xml.contains("二、存在的问题") && xml.contains("三、下一步工作措施"));
    if let Some(pdf) = libreoffice_pdf(&r.bytes, "docx") {
        assert!(pdf.len() > 1000);
    }

    // reset goes back to the default wording
    let r = page
        .post_form(
            "/reports/annual/reset",
            &[("csrf", &csrf), ("org", &org), ("year", &y)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.count("SELECT COUNT(*) FROM report_drafts").await, 0);
}

/// The text of a .docx's body (runs joined).
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("docx is a zip");
    let mut f = zip.by_name("word/document.xml").expect("document.xml");
    let mut xml = String::new();
    f.read_to_string(&mut xml).expect("utf-8");
    // drop the markup, keep the text of the runs
    let mut out = String::new();
    let mut in_tag = false;
    for ch in xml.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Converts a document with LibreOffice when it is installed (required when
/// `ZEREN_TEST_LIBREOFFICE=1`), returning the PDF.
pub fn libreoffice_pdf(bytes: &[u8], ext: &str) -> Option<Vec<u8>> {
    let required = std::env::var("ZEREN_TEST_LIBREOFFICE").as_deref() == Ok("1");
    let bin = ["libreoffice", "soffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(bin) = bin else {
        assert!(
            !required,
            "ZEREN_TEST_LIBREOFFICE=1 but LibreOffice is not installed"
        );
        eprintln!("LibreOffice not installed: conversion check skipped");
        return None;
    };
    let dir = TempDir::new("lo");
    let file = dir.path().join(format!("doc.{ext}"));
    std::fs::write(&file, bytes).expect("write");
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        dir.path().display()
    );
    let out = std::process::Command::new(bin)
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .expect("run LibreOffice");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(dir.path().join("doc.pdf")).expect("LibreOffice wrote a PDF");
    assert!(pdf.starts_with(b"%PDF"));
    Some(pdf)
}
