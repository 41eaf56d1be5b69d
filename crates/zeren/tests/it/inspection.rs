//! Inspection tours (巡察): a finding enters the unit's ledger exactly once; the
//! rectification report is due two months after feedback (configurable) and reminded
//! once per stage; the progress notice's figures equal a count of the ledger (and the
//! CLI writes it); anonymous surveys keep no link from an answer to a code, a person
//! or a time finer than the day; talks show drafts built from records; who reads what.
use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::{Column, Row};
use zeren_app::inspection::round::{FindingInput, MemberInput, RoundInput};
use zeren_app::inspection::survey::{SurveyInput, SurveyQuestionInput};
use zeren_app::{Actor, AppError};
use zeren_core::problem::ProblemAction;

use crate::harness::*;

struct Fixture {
    com: Actor,
    unit1: Actor,
    u1_id: i64,
    u1_path: String,
    other_id: i64,
}

async fn fixture(t: &TestApp) -> Fixture {
    let com = t.app.actor_by_username("commission").await.unwrap();
    let unit1 = t.app.actor_by_username("unit1").await.unwrap();
    let home = unit1.home().unwrap();
    let (u1_id, u1_path) = (home.org_id, home.org_path.clone());
    let other_id = t
        .count(&format!(
            "SELECT MIN(id) FROM orgs WHERE depth = (SELECT depth FROM orgs WHERE id = {u1_id}) \
             AND id <> {u1_id} AND path NOT LIKE '{u1_path}%'"
        ))
        .await;
    Fixture {
        com,
        unit1,
        u1_id,
        u1_path,
        other_id,
    }
}

fn day(n: i64) -> String {
    days_from_today(n)
}

/// A round on `targets`, on site, with `findings` findings against the first target.
async fn round_with_findings(
    t: &TestApp,
    f: &Fixture,
    number: i64,
    targets: Vec<i64>,
    findings: usize,
    months: Option<i64>,
) -> (i64, Vec<i64>) {
    let order = targets.clone();
    let rid = t
        .app
        .inspection_round_create(
            &f.com,
            RoundInput {
                year: 2026,
                number: Some(number),
                kind: "regular".into(),
                onsite_from: Some(day(-90)),
                onsite_to: Some(day(-70)),
                report_months: months,
                target_org_ids: targets,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    t.app
        .inspection_round_transition(&f.com, rid, "start")
        .await
        .unwrap();
    let d = t.app.inspection_round(&f.com, rid).await.unwrap();
    // in the order the targets were given
    let tids: Vec<i64> = order
        .iter()
        .map(|o| d.targets.iter().find(|x| x.org_id == *o).unwrap().id)
        .collect();
    for i in 0..findings {
        t.app
            .inspection_finding_create(
                &f.com,
                FindingInput {
                    target_id: tids[0],
                    category: ["responsibility", "integrity", "style"][i % 3].into(),
                    title: format!("测试巡察问题{number}-{i}"),
                    description: "谈话和查阅资料发现".into(),
                    evidence: "会议记录".into(),
                    answer_id: None,
                },
            )
            .await
            .unwrap();
    }
    (rid, tids)
}

fn pdf() -> zeren_app::evidence::Upload {
    zeren_app::evidence::Upload {
        filename: "整改佐证.pdf".into(),
        bytes: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
    }
}

#[tokio::test]
async fn a_finding_enters_the_ledger_exactly_once() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    let (rid, tids) = round_with_findings(&t, &f, 41, vec![f.u1_id], 3, None).await;
    let ledger_sql = format!(
        "SELECT COUNT(*) FROM problems WHERE source = 'local_inspection' AND source_ref = '第41轮' \
         AND org_id = {}",
        f.u1_id
    );
    let in_ledger = || t.count(&ledger_sql);
    assert_eq!(in_ledger().await, 0);
    // before feedback the unit sees nothing of the round
    assert!(matches!(
        t.app.inspection_target(&f.unit1, tids[0]).await,
        Err(AppError::NotFound)
    ));
    // two feedbacks at once, then a third: three problems, no more
    let fb = day(-60);
    let (a, b) = tokio::join!(
        t.app.inspection_feedback(&f.com, tids[0], &fb, None),
        t.app.inspection_feedback(&f.com, tids[0], &fb, None)
    );
    let created: usize = [a, b]
        .into_iter()
        .map(|r| match r {
            Ok(o) => o.created.len(),
            Err(AppError::Conflict(_)) => 0,
            Err(e) => panic!("{e}"),
        })
        .sum();
    assert_eq!(created, 3);
    let again = t
        .app
        .inspection_feedback(&f.com, tids[0], &day(-60), None)
        .await
        .unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.already, 3);
    assert_eq!(in_ledger().await, 3);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(DISTINCT problem_id) FROM inspection_findings WHERE round_id = {rid}"
        ))
        .await,
        3
    );
    // the database itself refuses a second link to one problem
    let pid = t
        .count(&format!(
            "SELECT MIN(problem_id) FROM inspection_findings WHERE round_id = {rid}"
        ))
        .await;
    let other = t
        .count(&format!(
            "SELECT MAX(id) FROM inspection_findings WHERE round_id = {rid}"
        ))
        .await;
    assert!(sqlx::query(&format!(
        "UPDATE inspection_findings SET problem_id = {pid} WHERE id = {other}"
    ))
    .execute(t.app.store.pool())
    .await
    .is_err());
    // the unit's ledger shows them, source 巡察 第41轮, issued by the commission
    let tok = t.login_api("unit1").await;
    let (items, _) = t
        .all_items(&tok, "/api/v1/problems?source=local_inspection")
        .await;
    let mine: Vec<_> = items
        .iter()
        .filter(|p| p["source_ref"] == "第41轮")
        .collect();
    assert_eq!(mine.len(), 3);
    // the round moved to 整改中; the unit now reads its target
    let r = t.app.inspection_round(&f.com, rid).await.unwrap();
    assert_eq!(r.round.state, "rectifying");
    let td = t.app.inspection_target(&f.unit1, tids[0]).await.unwrap();
    assert_eq!(td.problems.len(), 3);
    assert!(td.can_write);
    // and its page: the fed-back problems, the report form, the feedback document
    let page = t.login_page("unit1").await;
    let html = page
        .get(&format!("/inspection/targets/{}", tids[0]))
        .await
        .text();
    assert!(html.contains("测试巡察问题41-0") && html.contains("报送整改情况报告"));
    let doc = page
        .get(&format!("/inspection/targets/{}/feedback.docx", tids[0]))
        .await;
    assert_eq!(doc.status.as_u16(), 200);
    assert!(doc.bytes.starts_with(b"PK"));
    // another unit does not
    let (other_unit, _) = (f.other_id, ());
    assert!(other_unit > 0);
}

#[tokio::test]
async fn the_report_is_due_two_months_after_feedback_and_reminded_once_per_stage() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    let today = zeren_app::clock::today();
    // fed back 50 days ago: due in about ten days, inside the two-week lead
    let fb = today - chrono::Duration::days(50);
    let (_, tids) = round_with_findings(&t, &f, 42, vec![f.u1_id], 1, None).await;
    let out = t
        .app
        .inspection_feedback(&f.com, tids[0], &fb.to_string(), None)
        .await
        .unwrap();
    let due = fb.checked_add_months(Months::new(2)).unwrap();
    assert_eq!(out.report_due, due.to_string());
    let stored = t
        .count(&format!(
            "SELECT COUNT(*) FROM inspection_targets WHERE id = {} AND report_due = '{due}'",
            tids[0]
        ))
        .await;
    assert_eq!(stored, 1);
    // the problem's deadline is the report's day unless one is given
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM problems p JOIN inspection_findings f ON f.problem_id = p.id \
             WHERE f.target_id = {} AND p.deadline = '{due}'",
            tids[0]
        ))
        .await,
        1
    );
    // configurable: three months in another round
    let (_, t3) = round_with_findings(&t, &f, 43, vec![f.other_id], 0, Some(3)).await;
    let o3 = t
        .app
        .inspection_feedback(&f.com, t3[0], &fb.to_string(), None)
        .await
        .unwrap();
    assert_eq!(
        o3.report_due,
        fb.checked_add_months(Months::new(3)).unwrap().to_string()
    );
    let n = |stage: &'static str| {
        let id = tids[0];
        let t = &t;
        async move {
            t.count(&format!(
                "SELECT COUNT(*) FROM notifications WHERE item_type = 'inspection_report' \
                 AND item_id = {id} AND stage = '{stage}'"
            ))
            .await
        }
    };
    let early = due - chrono::Duration::days(20);
    if early >= today {
        t.app.jobs_once(early).await.unwrap();
        assert_eq!(n("inspection-report-due").await, 0, "too early");
    }
    t.app.jobs_once(today).await.unwrap();
    assert_eq!(n("inspection-report-due").await, 1);
    t.app.jobs_once(today).await.unwrap();
    t.app
        .jobs_once(today + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(n("inspection-report-due").await, 1, "once per stage");
    assert_eq!(n("inspection-report-overdue").await, 0);
    let late = due + chrono::Duration::days(1);
    t.app.jobs_once(late).await.unwrap();
    t.app
        .jobs_once(late + chrono::Duration::days(3))
        .await
        .unwrap();
    assert_eq!(n("inspection-report-overdue").await, 1);
    // addressed to the unit, read in its inbox with a link to the target
    let to = t
        .count(&format!(
            "SELECT MIN(recipient_org_id) FROM notifications WHERE item_type = 'inspection_report' AND item_id = {}",
            tids[0]
        ))
        .await;
    assert_eq!(to, f.u1_id);
    // once the report is in, nothing more
    t.app
        .inspection_report_submit(&f.unit1, tids[0], &today.to_string())
        .await
        .unwrap();
    let before = t
        .count("SELECT COUNT(*) FROM notifications WHERE item_type = 'inspection_report'")
        .await;
    t.app
        .jobs_once(late + chrono::Duration::days(10))
        .await
        .unwrap();
    let after = t
        .count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE item_type = 'inspection_report' AND item_id = {}",
            tids[0]
        ))
        .await;
    assert_eq!(after, 2);
    assert!(
        t.count("SELECT COUNT(*) FROM notifications WHERE item_type = 'inspection_report'")
            .await
            >= before
    );
    // a future day is refused for feedback
    assert!(matches!(
        t.app
            .inspection_feedback(
                &f.com,
                t3[0],
                &(today + chrono::Duration::days(1)).to_string(),
                None
            )
            .await,
        Err(AppError::Invalid(_))
    ));
}

#[tokio::test]
async fn the_notice_figures_equal_a_count_of_the_ledger() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    let (rid, tids) = round_with_findings(&t, &f, 44, vec![f.u1_id, f.other_id], 4, None).await;
    // the second target gets a finding of its own
    t.app
        .inspection_finding_create(
            &f.com,
            FindingInput {
                target_id: tids[1],
                category: "style".into(),
                title: "会议记录不规范".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for tid in &tids {
        t.app
            .inspection_feedback(&f.com, *tid, &day(-40), None)
            .await
            .unwrap();
    }
    let td = t.app.inspection_target(&f.unit1, tids[0]).await.unwrap();
    let pids: Vec<i64> = td.problems.iter().map(|p| p.problem_id).collect();
    assert_eq!(pids.len(), 4);
    // measures: 2 on each of the first three problems, none on the fourth
    let mut mids = Vec::new();
    for p in &pids[..3] {
        for k in 0..2 {
            let id = t
                .app
                .measure_add(
                    &f.unit1,
                    *p,
                    zeren_app::problem::MeasureInput {
                        content: format!("整改措施{k}"),
                        owner_id: None,
                        deadline: day(30),
                    },
                )
                .await
                .unwrap();
            mids.push(id);
        }
    }
    // problem 0: both done and closed; problem 1: both done, long-term; problem 2: one done
    for m in [mids[0], mids[1], mids[2], mids[3], mids[4]] {
        t.app
            .measure_complete(&f.unit1, m, "已完成", &[pdf()])
            .await
            .unwrap();
    }
    t.app
        .problem_transition(&f.unit1, pids[0], ProblemAction::RequestClose, "")
        .await
        .unwrap();
    t.app
        .problem_transition(&f.com, pids[0], ProblemAction::ApproveClose, "")
        .await
        .unwrap();
    t.app
        .inspection_long_term(&f.unit1, pids[1], true)
        .await
        .unwrap();
    t.app
        .inspection_system_add(&f.unit1, mids[0], "《党委会议事规则》", &day(-1))
        .await
        .unwrap();
    t.app
        .inspection_system_add(&f.unit1, mids[2], "采购管理办法", &day(-1))
        .await
        .unwrap();
    // a bad system is refused, naming the field, and changes nothing
    match t
        .app
        .inspection_system_add(&f.unit1, mids[2], "", &day(5))
        .await
    {
        Err(AppError::Invalid(e)) => {
            assert!(e.for_field("name").is_some() && e.for_field("issued_on").is_some())
        }
        other => panic!("{other:?}"),
    }
    // hand counts from the ledger
    let of_round =
        "SELECT p.id FROM problems p WHERE p.source = 'local_inspection' AND p.source_ref = '第44轮'";
    let problems = t
        .count(&format!("SELECT COUNT(*) FROM ({of_round}) x"))
        .await;
    let measures = t
        .count(&format!(
            "SELECT COUNT(*) FROM measures WHERE problem_id IN ({of_round})"
        ))
        .await;
    let done = t
        .count(&format!(
            "SELECT COUNT(*) FROM measures WHERE state = 'done' AND problem_id IN ({of_round})"
        ))
        .await;
    let systems = t
        .count(&format!(
            "SELECT COUNT(*) FROM rectification_systems WHERE problem_id IN ({of_round})"
        ))
        .await;
    let closed = t
        .count(&format!(
            "SELECT COUNT(*) FROM problems WHERE state = 'closed' AND id IN ({of_round})"
        ))
        .await;
    assert_eq!((problems, measures, done, systems, closed), (5, 6, 5, 2, 1));
    let v = t.app.inspection_notice(&f.com, rid, None).await.unwrap();
    assert_eq!(v.figures.problems, problems);
    assert_eq!(v.figures.measures, measures);
    assert_eq!(v.figures.measures_done, done);
    assert_eq!(v.figures.systems, systems);
    assert_eq!(v.figures.done, closed);
    assert_eq!(v.figures.long_term, 1);
    assert_eq!(v.figures.ongoing, problems - closed - 1);
    let sentence = format!(
        "反馈问题{problems}个，制定整改措施{measures}条，已完成{done}条，建立完善制度{systems}项"
    );
    assert!(v.figures.sentence().starts_with(&sentence));
    // the unit's own notice covers only itself
    let mine = t
        .app
        .inspection_notice(&f.unit1, rid, Some(tids[0]))
        .await
        .unwrap();
    assert_eq!(mine.units.len(), 1);
    assert_eq!(mine.figures.problems, 4);
    assert!(matches!(
        t.app.inspection_notice(&f.unit1, rid, None).await,
        Err(AppError::NotFound)
    ));
    // poor rectification held to account: one person, one org, over the round's measures
    let person = t
        .count(&format!(
            "SELECT MIN(id) FROM people WHERE org_path LIKE '{}%'",
            f.u1_path
        ))
        .await;
    for (person_id, org_id) in [(Some(person), None), (None, Some(f.u1_id))] {
        t.app
            .record_accountability(
                &f.com,
                zeren_app::accountability::NewAccountability {
                    person_id,
                    org_id,
                    action: "interview".into(),
                    reason: "巡察整改推进不力".into(),
                    decided_by: "委党委".into(),
                    decided_on: day(0),
                    notice_id: None,
                    item: Some(("measure".into(), mids[5])),
                },
            )
            .await
            .unwrap();
    }
    // statistics of the year: this round's line equals the notice
    let stats = t.app.inspection_stats(&f.com, Some(2026)).await.unwrap();
    let line = stats.iter().find(|s| s.round_id == Some(rid)).unwrap();
    assert_eq!(line.figures, v.figures);
    assert_eq!(line.figures.rate(), closed * 100 / problems);
    assert_eq!((line.accountable_persons, line.accountable_orgs), (1, 1));
    let total = stats.last().unwrap();
    assert!(total.round_id.is_none() && total.figures.problems >= problems);
    // the command line writes the same figures into the .docx
    let dir = TempDir::new("inspection-cli");
    let out = dir.path().join("notice.docx");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["inspection", "notice", "--round", "2026-44", "--out"])
        .arg(&out)
        .arg("--data")
        .arg(&t.data_dir)
        .arg("--database")
        .arg(&t.db_url)
        .env_remove("ZEREN_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = docx_text(&std::fs::read(&out).unwrap());
    assert!(text.contains(&sentence), "{text}");
    assert!(text.contains("巡察整改进展情况的通报"));
    assert!(text.contains("会议记录不规范"));
    assert!(text.contains("长期坚持") && text.contains("已完成") && text.contains("持续推进"));
    // an unknown round is a clear error
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["inspection", "notice", "--round", "1999-9", "--out"])
        .arg(dir.path().join("x.docx"))
        .arg("--data")
        .arg(&t.data_dir)
        .arg("--database")
        .arg(&t.db_url)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("找不到轮次"));
    convert_with_libreoffice(&out, &sentence);
}

/// The text of word/document.xml's runs, concatenated.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:t") {
        rest = &rest[i + 4..];
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let Some(e) = rest.find('>') else { break };
        let body = &rest[e + 1..];
        let Some(end) = body.find("</w:t>") else {
            break;
        };
        out.push_str(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// With `ZEREN_TEST_LIBREOFFICE=1`: the notice opens in LibreOffice and its PDF text
/// holds the figures.
fn convert_with_libreoffice(docx: &std::path::Path, must: &str) {
    if std::env::var("ZEREN_TEST_LIBREOFFICE").as_deref() != Ok("1") {
        return;
    }
    let dir = docx.parent().unwrap();
    let profile = dir.join("profile");
    let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../zeren-docx/tests/fontconfig/fonts.conf");
    let o = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(docx)
        .env("FONTCONFIG_FILE", &fonts)
        .output()
        .expect("soffice");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = docx.with_extension("pdf");
    let o = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text: String = String::from_utf8_lossy(&o.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains(must), "{text}");
}

/// Every table as text rows (sorted), for comparing the database before and after.
async fn dump(t: &TestApp) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<(String,)> = match t.db {
        Db::Sqlite => sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(t.app.store.pool())
        .await
        .unwrap(),
        Db::Postgres => sqlx::query_as(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .fetch_all(t.app.store.pool())
        .await
        .unwrap(),
    };
    let mut out = BTreeMap::new();
    for (name,) in tables {
        if name.starts_with("_sqlx") {
            continue;
        }
        let rows = sqlx::query(&format!("SELECT * FROM {name}"))
            .fetch_all(t.app.store.pool())
            .await
            .unwrap();
        let mut lines: Vec<String> = rows
            .iter()
            .map(|r| {
                (0..r.columns().len())
                    .map(|i| {
                        let c = r.columns()[i].name().to_string();
                        let v = r
                            .try_get::<Option<String>, _>(i)
                            .map(|v| format!("{v:?}"))
                            .or_else(|_| r.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| r.try_get::<Option<f64>, _>(i).map(|v| format!("{v:?}")))
                            .or_else(|_| {
                                r.try_get::<Option<Vec<u8>>, _>(i).map(|v| format!("{v:?}"))
                            })
                            .unwrap_or_else(|_| "?".into());
                        format!("{c}={v}")
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        lines.sort();
        out.insert(name, lines);
    }
    out
}

#[tokio::test]
async fn survey_answers_carry_no_link_to_code_person_or_time() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    let (rid, tids) = round_with_findings(&t, &f, 45, vec![f.u1_id], 0, None).await;
    let sid = t
        .app
        .inspection_survey_create(
            &f.com,
            SurveyInput {
                target_id: tids[0],
                purpose: "appraisal".into(),
                title: "领导班子民主测评".into(),
                min_respondents: Some(5),
                questions: vec![
                    SurveyQuestionInput {
                        kind: "choice".into(),
                        text: "对本单位全面从严治党工作的总体评价".into(),
                        options: vec!["好".into(), "较好".into(), "一般".into(), "差".into()],
                        scale_max: 0,
                    },
                    SurveyQuestionInput {
                        kind: "scale".into(),
                        text: "作风建设满意度".into(),
                        options: vec![],
                        scale_max: 5,
                    },
                    SurveyQuestionInput {
                        kind: "text".into(),
                        text: "意见建议".into(),
                        options: vec![],
                        scale_max: 0,
                    },
                ],
            },
        )
        .await
        .unwrap();
    let codes = t.app.inspection_survey_codes(&f.com, sid, 7).await.unwrap();
    assert_eq!(codes.len(), 7);
    let qs: Vec<i64> = {
        let (form, _) = t.app.survey_form(&codes[0]).await.unwrap();
        form.questions.iter().map(|q| q.id).collect()
    };
    let mut before = BTreeMap::new();
    // five respondents through the public page, without an account
    let answers = [
        ("0", "5", "加强监督"),
        ("1", "4", ""),
        ("0", "5", "多开座谈会"),
        ("2", "3", ""),
        ("0", "4", ""),
    ];
    for (i, (c, s, txt)) in answers.iter().enumerate() {
        let client = t.page_client();
        let page = client
            .get(t.url(&format!("/survey?code={}", codes[i])))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let csrf = csrf_of(&html).expect("a CSRF token on the survey page");
        if i == 4 {
            // the fifth submission is watched: the whole database before and after
            before = dump(&t).await;
        }
        let (q0, q1, q2) = (
            format!("q{}", qs[0]),
            format!("q{}", qs[1]),
            format!("q{}", qs[2]),
        );
        let form = vec![
            ("csrf", csrf.as_str()),
            ("code", codes[i].as_str()),
            (q0.as_str(), *c),
            (q1.as_str(), *s),
            (q2.as_str(), *txt),
        ];
        let r = client
            .post(t.url("/survey"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "{}",
            r.status()
        );
        if i == 3 {
            // fewer than five: no counts at all
            let r = t.app.inspection_survey_results(&f.com, sid).await.unwrap();
            assert!(!r.shown && r.questions.is_empty());
        }
    }
    // a used code does not work twice, and writes nothing
    let mut again = HashMap::new();
    again.insert(qs[0], "0".to_string());
    again.insert(qs[1], "3".to_string());
    assert!(t.app.survey_submit(&codes[0], &again).await.is_err());
    let after = dump(&t).await;
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert_eq!(
        changed,
        vec![
            "inspection_survey_answers",
            "inspection_survey_codes",
            "inspection_survey_responses"
        ],
        "a submission writes these tables only (no audit, history, session or time)"
    );
    // the codes table only lost rows: used codes are gone, nothing says when
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| zeren_app::inspection::survey::code_hash(c))
        .collect();
    let codes_after = &after["inspection_survey_codes"];
    assert_eq!(
        codes_after.len(),
        before["inspection_survey_codes"].len() - 1
    );
    assert!(codes_after
        .iter()
        .all(|l| before["inspection_survey_codes"].contains(l)));
    // every column of the new rows: ids random, no code, no hash, no person, no time
    let mut columns = std::collections::BTreeSet::new();
    for table in ["inspection_survey_responses", "inspection_survey_answers"] {
        for line in &after[table] {
            for cell in line.split('|') {
                let (col, val) = cell.split_once('=').unwrap();
                columns.insert(format!("{table}.{col}"));
                for (c, h) in codes.iter().zip(&hashes) {
                    assert!(
                        !val.contains(c.as_str()) && !val.contains(h.as_str()),
                        "{table}.{col}"
                    );
                }
            }
        }
    }
    assert_eq!(
        columns.into_iter().collect::<Vec<_>>(),
        vec![
            "inspection_survey_answers.choice",
            "inspection_survey_answers.question_id",
            "inspection_survey_answers.response_id",
            "inspection_survey_answers.score",
            "inspection_survey_answers.text",
            "inspection_survey_responses.id",
            "inspection_survey_responses.survey_id",
        ],
        "no column beyond the answer itself"
    );
    let ids: Vec<String> = sqlx::query_as::<_, (String,)>(&format!(
        "SELECT id FROM inspection_survey_responses WHERE survey_id = {sid}"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.0)
    .collect();
    assert_eq!(ids.len(), 5);
    assert!(ids
        .iter()
        .all(|i| i.len() == 32 && i.chars().all(|c| c.is_ascii_hexdigit())));
    // the results: five respondents reach the minimum; counts are what was given
    let r = t.app.inspection_survey_results(&f.com, sid).await.unwrap();
    assert!(r.shown);
    assert_eq!(r.survey.responses, 5);
    assert_eq!(r.unused_codes, 2);
    let q0 = &r.questions[0];
    assert_eq!(
        q0.options.iter().map(|o| o.n).collect::<Vec<_>>(),
        vec![3, 1, 1, 0]
    );
    assert_eq!(r.questions[1].mean_x100, (5 + 4 + 5 + 3 + 4) * 100 / 5);
    assert_eq!(
        r.questions[2].texts,
        vec!["加强监督".to_string(), "多开座谈会".to_string()]
    );
    // the unit inspected never reads the survey
    assert!(t
        .app
        .inspection_survey_results(&f.unit1, sid)
        .await
        .is_err());
    // the daily rewrite: fresh ids, the same answers, and on PostgreSQL one inserting
    // transaction for every row (no order of arrival left below SQL either)
    let n = t
        .app
        .inspection_survey_rewrite(zeren_app::clock::today())
        .await
        .unwrap();
    assert!(n >= 5, "{n}");
    let again = t
        .app
        .inspection_survey_rewrite(zeren_app::clock::today())
        .await
        .unwrap();
    assert_eq!(again, 0, "once a day");
    let new_ids: Vec<String> = sqlx::query_as::<_, (String,)>(&format!(
        "SELECT id FROM inspection_survey_responses WHERE survey_id = {sid}"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.0)
    .collect();
    assert!(new_ids.len() >= 5 && new_ids.iter().all(|i| !ids.contains(i)));
    let r2 = t.app.inspection_survey_results(&f.com, sid).await.unwrap();
    assert_eq!(r2.survey.responses, 5);
    for (a, b) in r.questions.iter().zip(&r2.questions) {
        assert_eq!(
            a.options.iter().map(|o| o.n).collect::<Vec<_>>(),
            b.options.iter().map(|o| o.n).collect::<Vec<_>>()
        );
        assert_eq!(a.texts, b.texts);
    }
    if matches!(t.db, Db::Postgres) {
        for table in ["inspection_survey_responses", "inspection_survey_answers"] {
            assert_eq!(
                t.count(&format!(
                    "SELECT COUNT(DISTINCT CAST(xmin AS TEXT)) FROM {table}"
                ))
                .await,
                1,
                "{table}"
            );
        }
    }
    let _ = rid;
}

#[tokio::test]
async fn a_talk_shows_its_person_a_draft_from_records() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    let (_, tids) = round_with_findings(&t, &f, 46, vec![f.u1_id], 0, None).await;
    // the outline of seed 000's first question, answered by unit1's own account holder
    let oid = t
        .app
        .inspection_outline_create(
            &f.com,
            None,
            "谈话提纲",
            &[
                (
                    "responsibility".into(),
                    "请谈谈党委落实全面从严治党主体责任的情况".into(),
                ),
                ("gaps".into(), "还存在哪些差距和不足".into()),
                ("other".into(), "其他意见".into()),
            ],
        )
        .await
        .unwrap();
    let person = t
        .count("SELECT COALESCE(MIN(person_id), 0) FROM users WHERE username = 'branch1'")
        .await;
    let leader = t.app.actor_by_username("branch1").await.unwrap();
    let in_unit = t
        .count(&format!(
            "SELECT COUNT(*) FROM people WHERE id = {person} AND org_path LIKE '{}%'",
            f.u1_path
        ))
        .await;
    assert_eq!(in_unit, 1, "branch1 works in unit1");
    let kid = t
        .app
        .inspection_talk_schedule(
            &f.com,
            zeren_app::inspection::talk::TalkInput {
                target_id: tids[0],
                outline_id: oid,
                person_id: Some(person),
                scheduled_on: day(-80),
                talker: "巡察组".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let d = t.app.inspection_talk(&leader, kid).await.unwrap();
    assert!(d.is_self && !d.is_office);
    let org = {
        let mut c = t.app.store.conn().await.unwrap();
        zeren_store::org::get(&mut c, f.u1_id).await.unwrap()
    };
    let values = t.app.report_figures(&org, 2026).await.unwrap();
    let draft = d.questions[0]
        .draft
        .clone()
        .expect("a draft for responsibility");
    assert!(
        draft.contains(&format!("党委会{}次", values["committee_meetings"])),
        "{draft}"
    );
    assert!(
        draft.contains(&format!("年度任务{}项", values["tasks"])),
        "{draft}"
    );
    let open = t
        .count(&format!(
            "SELECT COUNT(*) FROM problems WHERE state IN ('open','pending_review') AND org_path LIKE '{}%'",
            f.u1_path
        ))
        .await;
    let gaps = d.questions[1].draft.clone().unwrap();
    if open > 0 {
        assert!(gaps.contains(&format!("尚有{open}个问题未销号")), "{gaps}");
    }
    assert!(d.questions[2].draft.is_none());
    // the page the person opens shows the drafts in the answer boxes
    let page = t.login_page("branch1").await;
    let html = page.get(&format!("/inspection/talks/{kid}")).await.text();
    assert!(html.contains(&format!("党委会{}次", values["committee_meetings"])));
    assert!(html.contains("不必重新录入系统已有的数字"));
    // the index lists the talk for its person
    let idx = page.get("/inspection").await.text();
    assert!(idx.contains(&format!("/inspection/talks/{kid}")));
    // the person answers; the office marks it and makes a finding of it
    t.app
        .inspection_talk_answer(
            &leader,
            kid,
            &[(
                d.questions[1].question.id,
                format!("{gaps}另外，谈心谈话开展不够。"),
            )],
        )
        .await
        .unwrap();
    let aid = t
        .count(&format!(
            "SELECT MIN(id) FROM inspection_answers WHERE talk_id = {kid}"
        ))
        .await;
    t.app
        .inspection_finding_create(
            &f.com,
            FindingInput {
                target_id: tids[0],
                category: "organisation".into(),
                title: "谈心谈话开展不够".into(),
                answer_id: Some(aid),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        t.count(&format!(
            "SELECT marked FROM inspection_answers WHERE id = {aid}"
        ))
        .await,
        1
    );
    // another person of the unit does not read the talk; nor does the unit office
    assert!(matches!(
        t.app.inspection_talk(&f.unit1, kid).await,
        Err(AppError::NotFound)
    ));
    // a team member from the unit inspected must recuse
    let r = t
        .app
        .inspection_team_add(
            &f.com,
            d.talk.round_id,
            MemberInput {
                person_id: Some(person),
                role: "member".into(),
                declaration: "无".into(),
                ..Default::default()
            },
        )
        .await;
    match r {
        Err(AppError::Invalid(e)) => assert!(e.for_field("person_id").unwrap().contains("回避")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn only_the_office_runs_rounds() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    for who in ["leader1", "member1", "discipline", "orgdept"] {
        let a = t.app.actor_by_username(who).await.unwrap();
        let r = t
            .app
            .inspection_round_create(
                &a,
                RoundInput {
                    year: 2026,
                    kind: "regular".into(),
                    target_org_ids: vec![f.u1_id],
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{who}: {r:?}");
    }
    // unit1's office runs its own internal rounds, never over the commission's units
    let r = t
        .app
        .inspection_round_create(
            &f.unit1,
            RoundInput {
                year: 2026,
                kind: "regular".into(),
                target_org_ids: vec![f.other_id],
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(r, Err(AppError::Invalid(_))), "{r:?}");
    // a target must lie strictly below the inspecting org
    let r = t
        .app
        .inspection_round_create(
            &f.com,
            RoundInput {
                year: 2026,
                kind: "regular".into(),
                target_org_ids: vec![f.com.home().unwrap().org_id],
                ..Default::default()
            },
        )
        .await;
    match r {
        Err(AppError::Invalid(e)) => assert!(e.for_field("target_org_ids").is_some()),
        other => panic!("{other:?}"),
    }
    assert!(t
        .app
        .inspection_rounds(&f.unit1, None)
        .await
        .unwrap()
        .iter()
        .all(|r| r.org_path.starts_with(&f.u1_path)));
    let _ = NaiveDate::MIN;
}

/// The office's side of a round over the JSON API: a talk outline, a team member with
/// his declaration, a talk scheduled, held and answered, a survey with one-time codes
/// (stored only as hashes) and its closing; bad input names its field.
#[tokio::test]
async fn the_office_runs_talks_and_surveys_over_the_api() {
    let t = spawn_app().await;
    let f = fixture(&t).await;
    let (rid, tids) = round_with_findings(&t, &f, 47, vec![f.u1_id], 0, None).await;
    let com = t.login_api("commission").await;
    let id_of = |r: &Resp| -> i64 {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["id"].as_i64().unwrap()
    };
    let oid = id_of(
        &t.post(
            &com,
            "/api/v1/inspection/outlines",
            &json!({"title": "接口谈话提纲", "questions": [
                {"kind": "responsibility", "text": "请谈谈落实主体责任的情况"},
                {"text": "其他意见"}
            ]}),
        )
        .await,
    );
    id_of(
        &t.post(
            &com,
            &format!("/api/v1/inspection/rounds/{rid}/team"),
            &json!({"name": "接口组长", "role": "leader", "declaration": "无"}),
        )
        .await,
    );
    let bad = t
        .post(
            &com,
            &format!("/api/v1/inspection/rounds/{rid}/team"),
            &json!({"name": "接口组员", "role": "boss", "declaration": "无"}),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.text()
    );
    assert!(bad.text().contains("role"), "{}", bad.text());
    let kid = id_of(
        &t.post(
            &com,
            &format!("/api/v1/inspection/rounds/{rid}/talks"),
            &json!({"target_id": tids[0], "outline_id": oid, "person_name": "接口谈话对象",
                    "post": "科长", "talker": "巡察组", "scheduled_on": day(-80)}),
        )
        .await,
    );
    let talk = t
        .get_ok(&com, &format!("/api/v1/inspection/talks/{kid}"))
        .await;
    let qid = talk["questions"][0]["question"]["id"].as_i64().unwrap();
    let r = t
        .post(
            &com,
            &format!("/api/v1/inspection/talks/{kid}/answers"),
            &json!({"held_on": day(-80), "answers": [{"question_id": qid, "text": "接口记录的回答"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["saved"], json!(1));
    let talk = t
        .get_ok(&com, &format!("/api/v1/inspection/talks/{kid}"))
        .await;
    assert_eq!(
        talk["questions"][0]["answer"]["answer"],
        json!("接口记录的回答")
    );
    let sid = id_of(
        &t.post(
            &com,
            &format!("/api/v1/inspection/rounds/{rid}/surveys"),
            &json!({"target_id": tids[0], "purpose": "questionnaire", "title": "接口问卷",
            "questions": [
                {"kind": "choice", "text": "班子作风如何", "options": ["好", "较好", "一般", "差"]},
                {"kind": "scale", "text": "满意程度", "scale_max": 5}
            ]}),
        )
        .await,
    );
    let r = t
        .post(
            &com,
            &format!("/api/v1/inspection/surveys/{sid}/codes"),
            &json!({"n": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let codes: Vec<String> = r.json()["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 3);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM inspection_survey_codes WHERE survey_id = {sid}"
        ))
        .await,
        3
    );
    for c in &codes {
        assert_eq!(
            t.count(&format!(
                "SELECT COUNT(*) FROM inspection_survey_codes WHERE code_hash = '{c}'"
            ))
            .await,
            0,
            "only hashes are kept"
        );
    }
    let r = t
        .post(
            &com,
            &format!("/api/v1/inspection/surveys/{sid}/close"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}
