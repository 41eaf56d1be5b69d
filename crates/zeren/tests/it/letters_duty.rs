//! Duty reports (述职) and appraisal (述职评议): a report's figures are the annual
//! report's, filled from the records, never typed; participants' scores aggregate as
//! worked out here by hand; questions and answers are kept; the 整改清单 becomes
//! problems of the ledger with their own deadlines, and the year tallies stay true.
use chrono::Duration;
use zeren_app::duty_report::{AppraisalInput, DutyReportInput, RectifyItem};
use zeren_app::AppError;

use crate::harness::*;
use crate::letters::{actor, year};

async fn secretary_of(t: &TestApp, unit_name: &str) -> (i64, i64) {
    let (p, o): (i64, i64) = sqlx::query_as(&format!(
        "SELECT x.person_id, x.org_id FROM positions x JOIN orgs o ON o.id = x.org_id \
         WHERE x.kind = 'secretary' AND o.name = '{unit_name}' ORDER BY x.person_id LIMIT 1"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    (p, o)
}

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.errors.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Grades as the rule says, computed here without the application's code: values
/// 好 4 … 差 1, the mean in hundredths rounded half up, approval (好+较好)/n in percent.
fn by_hand(grades: &[&str]) -> (i64, i64, &'static str) {
    let v: Vec<f64> = grades
        .iter()
        .map(|g| match *g {
            "好" => 4.0,
            "较好" => 3.0,
            "一般" => 2.0,
            _ => 1.0,
        })
        .collect();
    let n = v.len() as f64;
    let mean = (v.iter().sum::<f64>() / n * 100.0 + 0.5).floor() as i64;
    let good = grades
        .iter()
        .filter(|g| **g == "好" || **g == "较好")
        .count() as f64;
    let approval = (good / n * 100.0 + 0.5).floor() as i64;
    let overall = match mean {
        m if m >= 350 => "好",
        m if m >= 250 => "较好",
        m if m >= 150 => "一般",
        _ => "差",
    };
    (mean, approval, overall)
}

#[tokio::test]
async fn a_duty_report_is_appraised_and_its_rectification_list_enters_the_ledger() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let y = year();
    let (sec1, unit1) = secretary_of(&t, "市第一人民医院党委").await;
    let root = t.count("SELECT id FROM orgs WHERE parent_id IS NULL").await;
    let (sec2, _) = {
        let (name,): (String,) = sqlx::query_as(&format!(
            "SELECT name FROM orgs WHERE parent_id = {root} AND id <> {unit1} ORDER BY id LIMIT 1"
        ))
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
        secretary_of(&t, &name).await
    };
    for (p, k) in [(sec1, "party_building"), (sec2, "party_building")] {
        sqlx::query(&format!(
            "DELETE FROM duty_reports WHERE person_id = {p} AND kind = '{k}' AND year = {y} AND id NOT IN (SELECT report_id FROM appraisal_reports)"
        ))
        .execute(t.app.store.pool())
        .await
        .unwrap();
    }
    // a typed number in a token's place is refused
    let e = t
        .app
        .duty_report_save(
            &com,
            DutyReportInput {
                year: y,
                kind: "party_building".into(),
                person_id: sec1,
                body: Some("全年召开党委会〔党委会开了几次〕次。".into()),
                submit: false,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["body"]);
    let save = |p: i64| DutyReportInput {
        year: y,
        kind: "party_building".into(),
        person_id: p,
        body: None,
        submit: true,
    };
    let r1 = t.app.duty_report_save(&com, save(sec1)).await.unwrap();
    let r2 = t.app.duty_report_save(&com, save(sec2)).await.unwrap();
    // the figures are the annual report's for the reporter's org
    let d = t.app.duty_report_detail(&com, r1).await.unwrap();
    assert_eq!(d.report.org_id, unit1);
    let annual = t.app.annual_report(&com, Some(unit1), y).await.unwrap();
    for (k, words) in [
        ("tasks", "年度任务"),
        ("committee_meetings", "召开党委会"),
        ("problems", "全年各类问题"),
    ] {
        let want = format!("{words}{}", annual.value(k));
        assert!(d.filled.contains(&want), "{want} in {}", d.filled);
    }
    assert!(!d.filled.contains('〔'), "every token filled");
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM duty_reports WHERE id = {r1} AND submitted_on IS NOT NULL"
        ))
        .await,
        1
    );

    // the meeting
    let held = (zeren_app::clock::today() - Duration::days(1)).to_string();
    let held = if held.starts_with(&y.to_string()) {
        held
    } else {
        zeren_app::clock::today().to_string()
    };
    let e = t
        .app
        .appraisal_create(
            &com,
            AppraisalInput {
                org_id: Some(root),
                year: y,
                title: "".into(),
                held_on: "2999-01-01".into(),
                scoring: "stars".into(),
                report_ids: vec![],
            },
        )
        .await
        .unwrap_err();
    let f = fields(e);
    for want in ["title", "held_on", "scoring", "report_ids"] {
        assert!(f.contains(&want.to_string()), "{want} in {f:?}");
    }
    let a = t
        .app
        .appraisal_create(
            &com,
            AppraisalInput {
                org_id: Some(root),
                year: y,
                title: format!("{y}年度基层党组织书记抓党建述职评议会"),
                held_on: held.clone(),
                scoring: "grade".into(),
                report_ids: vec![r1, r2],
            },
        )
        .await
        .unwrap();
    let g1 = ["好", "好", "较好", "一般", "好", "差", "较好"];
    let rows: Vec<(String, String)> = g1
        .iter()
        .enumerate()
        .map(|(i, g)| (format!("评议人{}", i + 1), g.to_string()))
        .collect();
    assert_eq!(t.app.appraisal_score(&com, a, r1, &rows).await.unwrap(), 7);
    // a bad grade: the row is named, nothing written
    let bad = vec![("评议人8".to_string(), "优秀".to_string())];
    assert_eq!(
        fields(t.app.appraisal_score(&com, a, r1, &bad).await.unwrap_err()),
        vec!["scores"]
    );
    // a participant scoring again replaces their score
    let g2 = ["一般", "一般", "较好"];
    let rows2: Vec<(String, String)> = g2
        .iter()
        .enumerate()
        .map(|(i, g)| (format!("评议人{}", i + 1), g.to_string()))
        .collect();
    t.app.appraisal_score(&com, a, r2, &rows2).await.unwrap();
    t.app
        .appraisal_score(&com, a, r2, &[("评议人3".into(), "差".into())])
        .await
        .unwrap();
    t.app
        .appraisal_question(
            &com,
            a,
            r1,
            "评议人2",
            "基层支部“三会一课”质量如何保证？",
            "建立支部活动质量评价机制，逐月抽查会议记录。",
        )
        .await
        .unwrap();
    let detail = t.app.appraisal_detail(&com, a).await.unwrap();
    let one = detail.reports.iter().find(|r| r.report.id == r1).unwrap();
    let (mean, approval, overall) = by_hand(&g1);
    assert_eq!(one.result.n, 7);
    assert_eq!(one.result.counts, [3, 2, 1, 1]);
    assert_eq!(one.result.mean_hundredths, mean);
    assert_eq!(one.result.approval_pct, approval);
    assert_eq!(one.result.overall_label, overall);
    assert_eq!(one.questions.len(), 1);
    let two = detail.reports.iter().find(|r| r.report.id == r2).unwrap();
    let (mean, approval, overall) = by_hand(&["一般", "一般", "差"]);
    assert_eq!(
        (
            two.result.n,
            two.result.mean_hundredths,
            two.result.approval_pct
        ),
        (3, mean, approval)
    );
    assert_eq!(two.result.overall_label, overall);
    // points: a second meeting
    let b = t
        .app
        .appraisal_create(
            &com,
            AppraisalInput {
                org_id: Some(root),
                year: y,
                title: "述职述廉测评".into(),
                held_on: held.clone(),
                scoring: "points".into(),
                report_ids: vec![r1],
            },
        )
        .await
        .unwrap();
    let pts = [
        ("甲".to_string(), "92".to_string()),
        ("乙".into(), "85".into()),
        ("丙".into(), "78".into()),
    ];
    t.app.appraisal_score(&com, b, r1, &pts).await.unwrap();
    assert_eq!(
        fields(
            t.app
                .appraisal_score(&com, b, r1, &[("丁".into(), "101".into())])
                .await
                .unwrap_err()
        ),
        vec!["scores"]
    );
    let bd = t.app.appraisal_detail(&com, b).await.unwrap();
    // (92+85+78)/3 = 85.00 → 较好
    assert_eq!(bd.reports[0].result.mean_hundredths, 8500);
    assert_eq!(bd.reports[0].result.overall_label, "较好");
    assert_eq!(
        (
            bd.reports[0].result.min_points,
            bd.reports[0].result.max_points
        ),
        (Some(78), Some(92))
    );

    // the 整改清单 into the ledger
    let problems_before = t.count("SELECT COUNT(*) FROM problems").await;
    let e = t
        .app
        .appraisal_rectify(
            &com,
            a,
            r1,
            &[
                RectifyItem {
                    title: "好的一项".into(),
                    description: String::new(),
                    deadline: days_from_today(30),
                },
                RectifyItem {
                    title: "".into(),
                    description: String::new(),
                    deadline: "2000-01-01".into(),
                },
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["items", "items"]);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM problems").await,
        problems_before,
        "nothing written"
    );
    let items = vec![
        RectifyItem {
            title: "支部书记抓党建述职问题整改不到位".into(),
            description: "评议指出：个别支部“三会一课”记录不全".into(),
            deadline: days_from_today(60),
        },
        RectifyItem {
            title: "党建与业务融合不够".into(),
            description: String::new(),
            deadline: days_from_today(90),
        },
    ];
    let pids = t.app.appraisal_rectify(&com, a, r1, &items).await.unwrap();
    assert_eq!(pids.len(), 2);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM problems").await,
        problems_before + 2
    );
    for (pid, it) in pids.iter().zip(&items) {
        let (org, source, sref, leader, deadline, found, state): (i64, String, String, i64, String, String, String) =
            sqlx::query_as(&format!(
                "SELECT org_id, source, source_ref, leader_id, deadline, found_on, state FROM problems WHERE id = {pid}"
            ))
            .fetch_one(t.app.store.pool())
            .await
            .unwrap();
        assert_eq!((org, leader), (unit1, sec1));
        assert_eq!(source, "assessment");
        assert_eq!(sref, format!("述职评议#{a}"));
        assert_eq!(deadline, it.deadline);
        assert_eq!(found, held);
        assert_eq!(state, "open");
    }
    // the ledger shows them like any problem, and the tallies still agree
    let p = t.app.problem_detail(&com, pids[0]).await.unwrap();
    assert_eq!(p.row.title, items[0].title);
    let mut c = t.app.store.conn().await.unwrap();
    assert!(zeren_store::tally::drift(&mut c).await.unwrap().is_empty());
    drop(c);
    let detail = t.app.appraisal_detail(&com, a).await.unwrap();
    let one = detail.reports.iter().find(|r| r.report.id == r1).unwrap();
    assert_eq!(
        one.items.iter().map(|i| i.problem_id).collect::<Vec<_>>(),
        pids
    );
    // another unit's office may not run the commission's meeting
    let u1 = actor(&t, "unit1").await;
    assert!(t.app.appraisal_score(&u1, a, r1, &rows).await.is_err());
}
