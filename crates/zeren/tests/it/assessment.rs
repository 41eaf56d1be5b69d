//! Assessment (考核): every computed indicator against counts made here with plain SQL
//! over the records (not through the tallies or the assessment code), the score
//! arithmetic redone by hand, deductions, bonuses and the one-vote veto, the sign →
//! appeal → answer → publish flow with its refusals, a published round that recomputes
//! to the same numbers after the records change, the refusal of formalism indicators,
//! and `zeren assess compute`.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::{json, Value};
use zeren_app::assessment::{OrgScore, RoundInput};
use zeren_app::{Actor, AppError};
use zeren_core::assessment::{Grade, Metric};

use crate::harness::*;

async fn actor(t: &TestApp, user: &str) -> Actor {
    let mut c = t.app.store.conn().await.unwrap();
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(user)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    t.app.actor_of(&mut c, id, "test").await.unwrap()
}

fn year() -> i64 {
    i64::from(chrono::Datelike::year(&zeren_app::clock::today()))
}

/// The round of this year (the demo's, or one opened here over every sub-committee of
/// the root in two groups) with the commission's copy of the shipped system.
async fn this_years_round(t: &TestApp, com: &Actor) -> i64 {
    let y = year();
    if let Some(r) = t
        .app
        .assessment_rounds(com)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.year == y && r.state == "scoring")
    {
        return r.id;
    }
    let sys = t
        .app
        .assessment_system_copy(com, "party-building")
        .await
        .unwrap();
    let units: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM orgs WHERE parent_id = (SELECT id FROM orgs WHERE parent_id IS NULL) ORDER BY id",
    )
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    let targets = units
        .iter()
        .enumerate()
        .map(|(i, (id,))| (*id, if i < 6 { "医院" } else { "其他单位" }.to_string()))
        .collect();
    t.app
        .assessment_round_create(
            com,
            RoundInput {
                year: y,
                title: format!("{y}年度党建工作考核"),
                system_id: sys,
                as_of: zeren_app::clock::today_str(),
                appeal_until: days_from_today(10),
                targets,
            },
        )
        .await
        .unwrap()
}

/// Counts of one subtree made with plain SQL over the records.
async fn hand_counts(t: &TestApp, path: &str, y: i64, as_of: &str) -> BTreeMap<Metric, i64> {
    let from = format!("{y}-01-01");
    let to = format!("{y}-12-31");
    let next = format!("{}-01-01", y + 1);
    let before = if as_of < next.as_str() {
        as_of.to_string()
    } else {
        next
    };
    let sub = format!("org_path LIKE '{path}%'");
    let mut m = BTreeMap::new();
    let q = |sql: String| async move { t.count(&sql).await };
    m.insert(
        Metric::TasksDue,
        q(format!(
            "SELECT COUNT(*) FROM tasks WHERE {sub} AND deadline BETWEEN '{from}' AND '{to}'"
        ))
        .await,
    );
    m.insert(
        Metric::TasksDone,
        q(format!("SELECT COUNT(*) FROM tasks WHERE {sub} AND deadline BETWEEN '{from}' AND '{to}' AND state = 'done'")).await,
    );
    // done on time: completed on or before the deadline day, China Standard Time; a
    // done task without a completion time counts as on time
    let tasks: Vec<(String, String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT deadline, state, completed_at FROM tasks WHERE {sub} AND deadline BETWEEN '{from}' AND '{to}'"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    let on_time = tasks
        .iter()
        .filter(|(deadline, state, at)| {
            state == "done"
                && at.is_none_or(|at| {
                    cst_day(at) <= NaiveDate::parse_from_str(deadline, "%Y-%m-%d").unwrap()
                })
        })
        .count();
    m.insert(Metric::TasksDoneOnTime, on_time as i64);
    m.insert(
        Metric::ProblemsFound,
        q(format!(
            "SELECT COUNT(*) FROM problems WHERE {sub} AND found_on BETWEEN '{from}' AND '{to}'"
        ))
        .await,
    );
    m.insert(
        Metric::ProblemsClosed,
        q(format!("SELECT COUNT(*) FROM problems WHERE {sub} AND found_on BETWEEN '{from}' AND '{to}' AND state = 'closed'")).await,
    );
    m.insert(
        Metric::Measures,
        q(format!("SELECT COUNT(*) FROM measures m JOIN problems p ON p.id = m.problem_id WHERE p.{sub} AND p.found_on BETWEEN '{from}' AND '{to}'")).await,
    );
    m.insert(
        Metric::MeasuresDone,
        q(format!("SELECT COUNT(*) FROM measures m JOIN problems p ON p.id = m.problem_id WHERE p.{sub} AND p.found_on BETWEEN '{from}' AND '{to}' AND m.state = 'done'")).await,
    );
    m.insert(
        Metric::ProblemsOverdue,
        q(format!("SELECT COUNT(*) FROM problems WHERE {sub} AND state <> 'closed' AND deadline >= '{from}' AND deadline < '{before}'")).await,
    );
    m.insert(
        Metric::AccountabilityActions,
        q(format!("SELECT COUNT(*) FROM accountability WHERE {sub} AND decided_on BETWEEN '{from}' AND '{to}'")).await,
    );
    m.insert(
        Metric::Branches,
        q(format!("SELECT COUNT(*) FROM orgs WHERE path LIKE '{path}%' AND kind = 'branch' AND closed_at IS NULL")).await,
    );
    // notices: answered on or before the due day, China Standard Time
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT answer_due, answered_at FROM supervision_notices WHERE {sub} AND answer_due BETWEEN '{from}' AND '{to}'"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    m.insert(Metric::Notices, rows.len() as i64);
    let on_time = rows
        .iter()
        .filter(|(due, at)| match at {
            Some(at) => cst_day(*at) <= NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
            None => false,
        })
        .count();
    m.insert(Metric::NoticesAnsweredOnTime, on_time as i64);
    m
}

/// The day of a unix time in China Standard Time.
fn cst_day(at: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(at + 8 * 3600, 0)
        .unwrap()
        .date_naive()
}

/// points × n / d in hundredths, half up (the rule of the shipped system, by hand).
fn rate(points: i64, n: i64, d: i64) -> i64 {
    if d == 0 {
        points * 100
    } else {
        (2 * points * 100 * n + d) / (2 * d)
    }
}

#[tokio::test]
async fn computed_indicators_match_hand_counts() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let id = this_years_round(&t, &com).await;
    let r = t.app.assessment_round(&com, id).await.unwrap();
    assert!(r.runs && !r.frozen);
    assert!(r.orgs.len() >= 10, "every unit of the demo is assessed");
    let mut nonzero: BTreeMap<Metric, i64> = BTreeMap::new();
    let read = r.system.metrics();
    assert!(read.contains(&Metric::TasksDoneOnTime) && !read.contains(&Metric::TasksDone));
    for o in &r.orgs {
        let hand = hand_counts(&t, &o.org_path, r.round.year, &r.round.as_of).await;
        for (m, n) in &hand {
            // a round reads only the counts its system scores
            let want = read.contains(m).then_some(n);
            assert_eq!(o.inputs.get(m), want, "{} {}", o.org_name, m.as_str());
            *nonzero.entry(*m).or_default() += n;
        }
        // the records behind a count are as many as it counts (a point is traceable)
        for m in [
            Metric::TasksDue,
            Metric::TasksDoneOnTime,
            Metric::Notices,
            Metric::NoticesAnsweredOnTime,
            Metric::ProblemsOverdue,
        ] {
            let (_, rows) = t
                .app
                .assessment_records(&com, id, o.org_id, m.as_str())
                .await
                .unwrap();
            assert_eq!(
                rows.len() as i64,
                hand[&m].min(500),
                "{} {}",
                o.org_name,
                m.as_str()
            );
        }
        let kept = o.inputs[&Metric::RulesKept];
        let decided = o.inputs[&Metric::RulesDecided];
        assert!(
            kept <= decided && decided > 0,
            "{}: {kept}/{decided}",
            o.org_name
        );
        assert!(o.inputs[&Metric::BranchesHealthy] <= o.inputs[&Metric::Branches]);
        // the computed lines by hand from the hand counts
        let line = |k: &str| o.card.lines.iter().find(|l| l.key == k).unwrap().score;
        assert_eq!(
            line("1.1"),
            rate(20, hand[&Metric::TasksDoneOnTime], hand[&Metric::TasksDue])
        );
        assert_eq!(
            line("1.2"),
            rate(
                10,
                hand[&Metric::NoticesAnsweredOnTime],
                hand[&Metric::Notices]
            )
        );
        assert_eq!(
            line("2.1"),
            rate(
                15,
                hand[&Metric::ProblemsClosed],
                hand[&Metric::ProblemsFound]
            )
        );
        assert_eq!(
            line("2.2"),
            rate(5, hand[&Metric::MeasuresDone], hand[&Metric::Measures])
        );
        assert_eq!(
            line("2.3"),
            (1000 - 100 * hand[&Metric::ProblemsOverdue]).max(0)
        );
        assert_eq!(line("3.1"), rate(15, kept, decided));
        assert_eq!(
            line("d.accountability"),
            (200 * hand[&Metric::AccountabilityActions]).min(1000)
        );
        // parents are the sum of their children, the total the sum of the parts
        assert_eq!(line("1"), line("1.1") + line("1.2"));
        assert_eq!(line("2"), line("2.1") + line("2.2") + line("2.3"));
        assert_eq!(
            o.card.total,
            (o.card.indicators - o.card.deducted + o.card.added).max(0)
        );
    }
    // the demo has tasks done late, so on-time completion is not mere completion
    assert!(
        nonzero[&Metric::TasksDoneOnTime] < nonzero[&Metric::TasksDone],
        "on time {} of done {}",
        nonzero[&Metric::TasksDoneOnTime],
        nonzero[&Metric::TasksDone]
    );
    // the demo gives every kind of record something to count
    for m in [
        Metric::TasksDoneOnTime,
        Metric::TasksDue,
        Metric::TasksDone,
        Metric::ProblemsFound,
        Metric::ProblemsClosed,
        Metric::ProblemsOverdue,
        Metric::Branches,
    ] {
        assert!(nonzero.get(&m).copied().unwrap_or(0) > 0, "{}", m.as_str());
    }
    // branch health against the compliance check of each branch (secretary, term,
    // contact), which the compliance tests check against records
    let today = zeren_app::clock::today();
    let as_of = NaiveDate::parse_from_str(&r.round.as_of, "%Y-%m-%d").unwrap();
    if as_of == today {
        for o in r.orgs.iter().take(3) {
            let c = t
                .app
                .compliance(&com, Some(o.org_id), r.round.year as i32, as_of)
                .await
                .unwrap();
            let healthy = c
                .orgs
                .iter()
                .filter(|b| b.kind == "branch")
                .filter(|b| {
                    b.health.has_secretary
                        && b.health.days_to_term_end.is_none_or(|d| d >= 0)
                        && b.health.lost_contact == 0
                })
                .count() as i64;
            assert_eq!(
                o.inputs[&Metric::BranchesHealthy],
                healthy,
                "{}",
                o.org_name
            );
        }
    }
    // ranks: equal totals share a rank; a better total never ranks lower
    for a in &r.orgs {
        let better = r
            .orgs
            .iter()
            .filter(|b| b.card.total > a.card.total)
            .count() as i64;
        assert_eq!(a.round_rank, better + 1);
        let better_in_group = r
            .orgs
            .iter()
            .filter(|b| b.group == a.group && b.card.total > a.card.total)
            .count() as i64;
        assert_eq!(a.group_rank, better_in_group + 1);
    }
    // computing again gives the same numbers
    let again = t.app.assessment_round(&com, id).await.unwrap();
    let totals = |v: &[OrgScore]| {
        v.iter()
            .map(|o| (o.org_id, o.card.total))
            .collect::<Vec<_>>()
    };
    assert_eq!(totals(&r.orgs), totals(&again.orgs));
}

/// A live round is computed once while nothing is committed, and afresh after any
/// commit — also one made outside the application (another process, plain SQL).
#[tokio::test]
async fn a_live_round_is_reused_until_something_is_committed() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let id = this_years_round(&t, &com).await;
    let first = t.app.assessment_round(&com, id).await.unwrap();
    let (computed, reused) = t.app.live_round_counts();
    let again = t.app.assessment_round(&com, id).await.unwrap();
    // on PostgreSQL any write of the cluster counts as a change, and the test
    // server's cluster is shared with other tests: reuse is asserted on SQLite only
    let sqlite = t.db == Db::Sqlite;
    if sqlite {
        assert_eq!(t.app.live_round_counts(), (computed, reused + 1));
    }
    let totals = |v: &[OrgScore]| {
        v.iter()
            .map(|o| (o.org_id, o.card.total, o.round_rank))
            .collect::<Vec<_>>()
    };
    assert_eq!(totals(&first.orgs), totals(&again.orgs));
    let o = &first.orgs[0];
    let y = first.round.year;
    sqlx::query(
        "INSERT INTO accountability (org_id, org_path, action, reason, decided_by, decided_on, created_at) \
         VALUES ($1, $2, 'criticism', '缓存测试', '委党委', $3, 0)",
    )
    .bind(o.org_id)
    .bind(&o.org_path)
    .bind(format!("{y}-02-01"))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let before = t.app.live_round_counts();
    let after = t.app.assessment_round(&com, id).await.unwrap();
    assert_eq!(t.app.live_round_counts(), (before.0 + 1, before.1));
    let m = |r: &zeren_app::assessment::RoundScores| {
        r.orgs.iter().find(|x| x.org_id == o.org_id).unwrap().inputs[&Metric::AccountabilityActions]
    };
    assert_eq!(m(&after), m(&first) + 1, "the new record is counted");
}

#[tokio::test]
async fn deductions_bonuses_and_the_veto() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let id = this_years_round(&t, &com).await;
    let r = t.app.assessment_round(&com, id).await.unwrap();
    let o = &r.orgs[0];
    let before = o.card.clone();
    // three accountability actions this year: 2 points each (cap 10)
    let y = r.round.year;
    for i in 0..3 {
        sqlx::query(
            "INSERT INTO accountability (org_id, org_path, action, reason, decided_by, decided_on, created_at) \
             VALUES ($1, $2, 'criticism', $3, '委党委', $4, 0)",
        )
        .bind(o.org_id)
        .bind(&o.org_path)
        .bind(format!("测试问责{i}"))
        .bind(format!("{y}-03-0{}", i + 1))
        .execute(t.app.store.pool())
        .await
        .unwrap();
    }
    let hand = t
        .count(&format!(
            "SELECT COUNT(*) FROM accountability WHERE org_path LIKE '{}%' AND decided_on BETWEEN '{y}-01-01' AND '{y}-12-31'",
            o.org_path
        ))
        .await;
    let ent = |k: &'static str, v: &'static str| {
        let (app, com) = (&t.app, &com);
        let org = o.org_id;
        async move {
            app.assessment_score(com, id, org, k, v, "现场查阅会议记录", "按评分标准评定")
                .await
        }
    };
    ent("4", "12.5").await.unwrap();
    ent("d.other", "3").await.unwrap();
    ent("b.practice", "2").await.unwrap();
    ent("v.case", "0").await.unwrap();
    // out of range, a computed item, an unknown one: refused, naming the field
    for (k, v, field) in [
        ("4", "15.01", "value"),
        ("b.practice", "4", "value"),
        ("1.1", "20", "item_key"),
        ("v.case", "2", "value"),
    ] {
        match ent(k, v).await {
            Err(AppError::Invalid(e)) => assert!(e.for_field(field).is_some(), "{k} {v}: {e:?}"),
            other => panic!("{k} {v}: {other:?}"),
        }
    }
    let r = t.app.assessment_round(&com, id).await.unwrap();
    let c = &r.orgs.iter().find(|x| x.org_id == o.org_id).unwrap().card;
    let line = |k: &str| c.lines.iter().find(|l| l.key == k).unwrap().clone();
    assert_eq!(line("4").score, 1250);
    assert_eq!(line("d.accountability").score, (200 * hand).min(1000));
    assert!(hand >= 3);
    assert_eq!(c.deducted, (200 * hand).min(1000) + 300);
    assert_eq!(c.added, 200);
    assert_eq!(
        c.indicators,
        before.indicators - before.lines.iter().find(|l| l.key == "4").unwrap().score + 1250
    );
    assert_eq!(c.total, (c.indicators - c.deducted + c.added).max(0));
    assert!(!c.vetoed);
    let grade = if c.total >= 9000 {
        Grade::Good
    } else if c.total >= 8000 {
        Grade::FairlyGood
    } else if c.total >= 6000 {
        Grade::Average
    } else {
        Grade::Poor
    };
    assert_eq!(c.grade, grade);
    // the veto: whatever the total, 差
    ent("v.case", "1").await.unwrap();
    let r = t.app.assessment_round(&com, id).await.unwrap();
    let c2 = &r.orgs.iter().find(|x| x.org_id == o.org_id).unwrap().card;
    assert!(c2.vetoed);
    assert_eq!(
        c2.total, c.total,
        "a veto leaves the total and decides the grade"
    );
    assert_eq!(c2.grade, Grade::Poor);
}

#[tokio::test]
async fn sign_appeal_answer_publish() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let unit1 = actor(&t, "unit1").await;
    let branch1 = actor(&t, "branch1").await;
    let id = this_years_round(&t, &com).await;
    let org1 = unit1.roles[0].1.org_id;
    // the assessed org sees only its own card
    let mine = t.app.assessment_round(&unit1, id).await.unwrap();
    assert!(!mine.runs);
    assert_eq!(mine.orgs.len(), 1);
    assert_eq!(mine.orgs[0].org_id, org1);
    // appeal before signing: refused
    assert!(matches!(
        t.app
            .assessment_appeal(&unit1, id, org1, "4", "评分偏低")
            .await,
        Err(AppError::Conflict(_))
    ));
    // a branch inside the unit is not the assessed org: it may not sign (and, not
    // reading the unit, does not see it at all)
    assert!(matches!(
        t.app.assessment_sign(&branch1, id, org1).await,
        Err(AppError::NotFound)
    ));
    // nor may the commission sign for it
    assert!(matches!(
        t.app.assessment_sign(&com, id, org1).await,
        Err(AppError::Forbidden(_))
    ));
    t.app.assessment_sign(&unit1, id, org1).await.unwrap();
    assert!(matches!(
        t.app.assessment_sign(&unit1, id, org1).await,
        Err(AppError::Conflict(_))
    ));
    // the assessed org may not score itself
    assert!(matches!(
        t.app
            .assessment_score(&unit1, id, org1, "4", "15", "自评", "自评")
            .await,
        Err(AppError::Forbidden(_))
    ));
    t.app
        .assessment_score(&com, id, org1, "4", "9", "述职评议", "材料不全")
        .await
        .unwrap();
    let a = t
        .app
        .assessment_appeal(&unit1, id, org1, "4", "述职材料已于会后补交，附会议纪要")
        .await
        .unwrap();
    let a2 = t
        .app
        .assessment_appeal(&unit1, id, org1, "2.3", "逾期问题已整改")
        .await
        .unwrap();
    // the unit may not answer its own appeal
    assert!(matches!(
        t.app
            .assessment_answer(&unit1, a, "upheld", "自己采纳", Some("15"))
            .await,
        Err(AppError::Forbidden(_))
    ));
    // a computed item cannot be given a new value: its records are corrected instead
    match t
        .app
        .assessment_answer(&com, a2, "upheld", "请更正整改记录", Some("10"))
        .await
    {
        Err(AppError::Invalid(e)) => assert!(e.for_field("value").is_some()),
        other => panic!("{other:?}"),
    }
    t.app
        .assessment_answer(&com, a2, "rejected", "截至考核截止日仍未销号，维持", None)
        .await
        .unwrap();
    t.app
        .assessment_answer(&com, a, "upheld", "补交材料属实，改为 13 分", Some("13"))
        .await
        .unwrap();
    assert!(matches!(
        t.app
            .assessment_answer(&com, a, "rejected", "再答一次", None)
            .await,
        Err(AppError::Conflict(_))
    ));
    let r = t.app.assessment_round(&unit1, id).await.unwrap();
    let line4 = r.orgs[0].card.lines.iter().find(|l| l.key == "4").unwrap();
    assert_eq!(line4.score, 1300);
    let appeals = t.app.assessment_appeals(&unit1, id).await.unwrap();
    assert_eq!(appeals.iter().filter(|x| x.outcome.is_some()).count(), 2);
    // publishing: refused while the window is open, and while items are unscored
    assert!(matches!(
        t.app.assessment_publish(&com, id).await,
        Err(AppError::Conflict(_))
    ));
    t.app
        .assessment_set_window(&com, id, &days_from_today(-1))
        .await
        .unwrap();
    // an appeal still waiting (the demo's): refused
    if t.app
        .assessment_round(&com, id)
        .await
        .unwrap()
        .round
        .appeals_open
        > 0
    {
        match t.app.assessment_publish(&com, id).await {
            Err(AppError::Conflict(m)) => assert!(m.contains("申诉未答复"), "{m}"),
            Ok(()) => panic!("published with an appeal open"),
            Err(e) => panic!("{e:?}"),
        }
        answer_open(&t, &com, id).await;
    }
    // an item nobody scored: refused
    let all = t.app.assessment_round(&com, id).await.unwrap();
    if all
        .orgs
        .iter()
        .any(|o| o.card.lines.iter().any(|l| l.pending))
    {
        match t.app.assessment_publish(&com, id).await {
            Err(AppError::Conflict(m)) => assert!(m.contains("未评分"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    score_everything(&t, &com, id).await;
    assert!(matches!(
        t.app.assessment_publish(&unit1, id).await,
        Err(AppError::Forbidden(_))
    ));
    t.app.assessment_publish(&com, id).await.unwrap();
    // after publication: no appeal, no score, no second publication
    assert!(matches!(
        t.app
            .assessment_appeal(&unit1, id, org1, "4", "再申诉")
            .await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        t.app
            .assessment_score(&com, id, org1, "4", "15", "x", "x")
            .await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        t.app.assessment_publish(&com, id).await,
        Err(AppError::Conflict(_))
    ));
    let n = t
        .count(&format!(
            "SELECT COUNT(*) FROM assessment_results WHERE round_id = {id}"
        ))
        .await;
    assert_eq!(n as usize, all.orgs.len());
    // every step left an audit event
    for action in [
        "assessment_sign",
        "assessment_score",
        "assessment_appeal",
        "assessment_answer",
        "assessment_publish",
    ] {
        assert!(
            t.count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action}"
        );
    }
}

/// Answers every appeal of the round still waiting (the demo leaves one open).
async fn answer_open(t: &TestApp, com: &Actor, id: i64) {
    for a in t.app.assessment_appeals(com, id).await.unwrap() {
        if a.outcome.is_none() {
            t.app
                .assessment_answer(com, a.id, "rejected", "经核实，维持原评分", None)
                .await
                .unwrap();
        }
    }
}

/// Enters every manual item of every org of the round that is still pending.
async fn score_everything(t: &TestApp, com: &Actor, id: i64) {
    let r = t.app.assessment_round(com, id).await.unwrap();
    for o in &r.orgs {
        for l in o.card.lines.iter().filter(|l| l.pending) {
            let v = match l.kind.as_str() {
                "veto" => "0",
                "indicator" => "12",
                _ => "1",
            };
            t.app
                .assessment_score(com, id, o.org_id, &l.key, v, "考核组现场查阅", "按标准评定")
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn a_published_round_recomputes_to_the_same_numbers() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let id = this_years_round(&t, &com).await;
    score_everything(&t, &com, id).await;
    answer_open(&t, &com, id).await;
    t.app
        .assessment_set_window(&com, id, &days_from_today(-1))
        .await
        .unwrap();
    t.app.assessment_publish(&com, id).await.unwrap();
    let published = t.app.assessment_round(&com, id).await.unwrap();
    assert!(published.frozen);
    // the records change afterwards: problems closed, new accountability, tasks done
    let first = &published.orgs[0];
    sqlx::query(&format!(
        "UPDATE problems SET state = 'closed' WHERE org_path LIKE '{}%'",
        first.org_path
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE tasks SET state = 'done' WHERE org_path LIKE '{}%'",
        first.org_path
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let again = t.app.assessment_round(&com, id).await.unwrap();
    let key = |v: &[OrgScore]| {
        v.iter()
            .map(|o| {
                (
                    o.org_id,
                    o.card.total,
                    o.card.grade,
                    o.round_rank,
                    o.group_rank,
                    serde_json::to_string(&o.card).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&published.orgs), key(&again.orgs));
    // the CLI's computation of the year is the same
    let cli = t
        .app
        .assessment_compute_year(published.round.year)
        .await
        .unwrap()
        .unwrap();
    if cli.round.id == id {
        assert_eq!(key(&published.orgs), key(&cli.orgs));
    }
    // … while a round still being scored would have seen the change
    let live = zeren_app::assessment::gather(
        &t.app,
        &published.round.org_path,
        std::slice::from_ref(&first.org_path),
        published.round.year,
        NaiveDate::parse_from_str(&published.round.as_of, "%Y-%m-%d").unwrap(),
        &published.system.metrics(),
    )
    .await
    .unwrap();
    assert_eq!(
        live[0][&Metric::ProblemsClosed],
        live[0][&Metric::ProblemsFound]
    );
}

#[tokio::test]
async fn formalism_indicators_are_refused() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let sys = t
        .app
        .assessment_system_copy(&com, "party-building")
        .await
        .unwrap();
    let (row, _) = t.app.assessment_system(&com, sys).await.unwrap();
    let versions = t.count("SELECT COUNT(*) FROM assessment_systems").await;
    let cases = [
        (
            row.source.replace(
                "title = \"党建工作经验被上级推广\"",
                "title = \"学习强国积分排名\"",
            ),
            "积分",
        ),
        (
            row.source.replace(
                "title = \"述职评议和现场考核\"",
                "title = \"党员每日登录学习平台情况\"",
            ),
            "登录",
        ),
        (
            row.source.replace(
                "metric = \"accountability_actions\"",
                "metric = \"study_minutes\"",
            ),
            "minutes",
        ),
        (
            row.source.replace(
                "title = \"党建工作经验被上级推广\"",
                "title = \"公众号文章点赞转发数\"",
            ),
            "点赞",
        ),
    ];
    for (src, term) in &cases {
        assert_ne!(src, &row.source, "the case changes the system");
        match t.app.assessment_system_edit(&com, sys, src).await {
            Err(AppError::Invalid(e)) => {
                let s = e.summary();
                assert!(s.contains(term), "{term}: {s}");
                assert!(s.contains("为基层减负"), "cites the rule: {s}");
            }
            other => panic!("{term}: {other:?}"),
        }
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM assessment_systems").await,
        versions,
        "nothing saved"
    );
    // an honest edit is kept as a new version, the old one stays
    let edited = row
        .source
        .replace("grades = { good = 90,", "grades = { good = 92,");
    let v2 = t
        .app
        .assessment_system_edit(&com, sys, &edited)
        .await
        .unwrap();
    let (r2, s2) = t.app.assessment_system(&com, v2).await.unwrap();
    assert_eq!(r2.version, row.version + 1);
    assert_eq!(s2.thresholds.good, 9200);
    assert_eq!(
        t.app.assessment_system(&com, sys).await.unwrap().0.source,
        row.source
    );
    // unit offices do not edit systems
    let unit1 = actor(&t, "unit1").await;
    assert!(matches!(
        t.app.assessment_system_copy(&unit1, "party-building").await,
        Err(AppError::Forbidden(_))
    ));
}

#[tokio::test]
async fn the_cli_prints_total_grade_and_rank() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let id = this_years_round(&t, &com).await;
    let r = t.app.assessment_round(&com, id).await.unwrap();
    let bin = env!("CARGO_BIN_EXE_zeren");
    let y = r.round.year.to_string();
    let out = std::process::Command::new(bin)
        .args([
            "assess",
            "compute",
            "--data",
            &t.data_dir.display().to_string(),
            "--database",
            &t.db_url,
            "--year",
            &y,
            "--json",
        ])
        .env_remove("ZEREN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = v.as_array().unwrap();
    assert_eq!(lines.len(), r.orgs.len());
    for o in &r.orgs {
        let l = lines
            .iter()
            .find(|l| l["org_id"].as_i64() == Some(o.org_id))
            .unwrap();
        assert_eq!(l["total_centi"].as_i64(), Some(o.card.total));
        assert_eq!(l["grade"].as_str(), Some(o.card.grade.label()));
        assert_eq!(l["rank"].as_i64(), Some(o.round_rank));
    }
    // a year without a round: a provisional computation, said on stderr
    let out = std::process::Command::new(bin)
        .args([
            "assess",
            "compute",
            "--data",
            &t.data_dir.display().to_string(),
            "--database",
            &t.db_url,
            "--year",
            "2019",
        ])
        .env_remove("ZEREN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未组织考核"));
    let _ = (json!({}), StatusCode::OK);
}

#[test]
fn every_shipped_system_parses() {
    assert_eq!(
        zeren_app::assessment::library().len(),
        zeren_app::assessment::LIBRARY.len()
    );
    for (s, _) in zeren_app::assessment::library() {
        assert_eq!(s.full_points(), 10000, "{} is out of 100", s.key);
    }
}

#[tokio::test]
async fn the_demo_has_a_published_round_and_one_in_progress() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let unit1 = actor(&t, "unit1").await;
    let y = year();
    let rounds = t.app.assessment_rounds(&com).await.unwrap();
    let last = rounds
        .iter()
        .find(|r| r.year == y - 1)
        .expect("last year's round");
    let this = rounds
        .iter()
        .find(|r| r.year == y)
        .expect("this year's round");
    assert_eq!(last.state, "published");
    assert_eq!(this.state, "scoring");
    assert!(this.appeals_open >= 1, "an appeal waits for an answer");
    // every unit of the demo is in both; last year's results are frozen, one per unit
    let units = t
        .count(
            "SELECT COUNT(*) FROM orgs WHERE kind IN ('committee', 'general_branch') \
             AND closed_at IS NULL AND parent_id = (SELECT id FROM orgs WHERE parent_id IS NULL)",
        )
        .await;
    assert_eq!(last.targets, units);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM assessment_results WHERE round_id = {}",
            last.id
        ))
        .await,
        units
    );
    let frozen = t.app.assessment_round(&com, last.id).await.unwrap();
    assert!(frozen.frozen);
    // unit1's appeal was upheld: 述职评议 raised to 13
    let org1 = unit1.roles[0].1.org_id;
    let card = t.app.assessment_card(&unit1, last.id, org1).await.unwrap();
    assert!(card.own);
    assert_eq!(
        card.org
            .card
            .lines
            .iter()
            .find(|l| l.key == "4")
            .unwrap()
            .score,
        1300
    );
    assert_eq!(card.appeals.len(), 1);
    assert_eq!(card.appeals[0].outcome.as_deref(), Some("upheld"));
    // this year's card compares with last year's published total
    let now = t.app.assessment_card(&unit1, this.id, org1).await.unwrap();
    let (total, _, rank) = now.last_year.clone().expect("last year's result");
    let o = frozen.orgs.iter().find(|o| o.org_id == org1).unwrap();
    assert_eq!((total, rank), (o.card.total, o.round_rank));
    // two versions of the system, the old one kept
    let versions: Vec<i64> = t
        .app
        .assessment_systems(&com)
        .await
        .unwrap()
        .iter()
        .map(|s| s.version)
        .collect();
    assert!(
        versions.contains(&1) && versions.contains(&2),
        "{versions:?}"
    );
}

#[tokio::test]
async fn pages_api_and_documents() {
    let t = spawn_app().await;
    let com_tok = t.login_api("commission").await;
    let u1_tok = t.login_api("unit1").await;
    let rounds = t.get_ok(&com_tok, "/api/v1/assessment/rounds").await;
    let this = rounds["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"].as_i64() == Some(year()))
        .unwrap()
        .clone();
    let id = this["id"].as_i64().unwrap();
    let org1 = t.home_org(&u1_tok).await["id"].as_i64().unwrap();
    // the card's counts and the records lists they link to agree
    let card = t
        .get_ok(
            &u1_tok,
            &format!("/api/v1/assessment/rounds/{id}/orgs/{org1}"),
        )
        .await;
    for (metric, n) in card["org"]["inputs"].as_object().unwrap() {
        if matches!(
            metric.as_str(),
            "rules_decided"
                | "rules_kept"
                | "branches"
                | "branches_healthy"
                | "notices_answered_on_time"
        ) {
            continue;
        }
        let n = n.as_i64().unwrap();
        let list = t
            .get_ok(
                &u1_tok,
                &format!("/api/v1/assessment/rounds/{id}/orgs/{org1}/records?metric={metric}"),
            )
            .await;
        let items = list["items"].as_array().unwrap().len() as i64;
        // problem-based lists show the problems behind measures
        if metric == "measures" || metric == "measures_done" {
            continue;
        }
        assert_eq!(items, n.min(500), "{metric}");
    }
    // unit1 sees its own card only: another unit's is not found, the ranking is its own
    let other = t
        .count(&format!(
            "SELECT MIN(org_id) FROM assessment_targets WHERE round_id = {id} AND org_id <> {org1}"
        ))
        .await;
    let r = t
        .get(
            &u1_tok,
            &format!("/api/v1/assessment/rounds/{id}/orgs/{other}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mine = t
        .get_ok(&u1_tok, &format!("/api/v1/assessment/rounds/{id}"))
        .await;
    assert_eq!(mine["orgs"].as_array().unwrap().len(), 1);
    // sign and appeal through the API; the commission answers
    let r = t
        .post(
            &u1_tok,
            &format!("/api/v1/assessment/rounds/{id}/orgs/{org1}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t
        .post(
            &u1_tok,
            &format!("/api/v1/assessment/rounds/{id}/orgs/{org1}/appeals"),
            &json!({"item_key": "2.1", "reason": ""}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("reason"));
    let r = t
        .post(
            &u1_tok,
            &format!("/api/v1/assessment/rounds/{id}/orgs/{org1}/appeals"),
            &json!({"item_key": "2.1", "reason": "销号审批已完成"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let aid = r.json()["id"].as_i64().unwrap();
    let r = t
        .post(
            &u1_tok,
            &format!("/api/v1/assessment/appeals/{aid}/answer"),
            &json!({"outcome": "upheld", "answer": "自己答复"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post(
            &com_tok,
            &format!("/api/v1/assessment/appeals/{aid}/answer"),
            &json!({"outcome": "rejected", "answer": "销号以审批通过为准，维持"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // a formalism indicator through the API: 422 naming the indicator and the rule
    let sys = t.get_ok(&com_tok, "/api/v1/assessment/systems").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let src = t
        .get_ok(&com_tok, &format!("/api/v1/assessment/systems/{sys}"))
        .await["row"]["source"]
        .as_str()
        .unwrap()
        .replace(
            "title = \"党建工作经验被上级推广\"",
            "title = \"学习平台打卡天数\"",
        );
    let r = t
        .post(
            &com_tok,
            &format!("/api/v1/assessment/systems/{sys}"),
            &json!({"source": src}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("打卡") && r.text().contains("bonus[1]"),
        "{}",
        r.text()
    );
    // pages: the ranking with its chart for the commission, the card for unit1
    let s = t.login_page("commission").await;
    let html = s.get("/assessment").await.text();
    assert!(
        html.contains("组织考核") && html.contains(UNIT1_ORG),
        "the new-round form lists the units"
    );
    let html = s.get(&format!("/assessment/rounds/{id}")).await.text();
    assert!(html.contains("<svg") && html.contains("排名"));
    let s1 = t.login_page("unit1").await;
    let r = s1.get(&format!("/assessment/rounds/{id}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = s1
        .get(&format!("/assessment/rounds/{id}/orgs/{org1}"))
        .await
        .text();
    assert!(html.contains("得分明细") && html.contains("records?metric=tasks_due"));
    // Excel: one row per assessed org; SVG; Word
    let r = s.get(&format!("/assessment/rounds/{id}/export.xlsx")).await;
    assert_eq!(r.status, StatusCode::OK);
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(
        rows as i64,
        this["targets"].as_i64().unwrap(),
        "one row per org"
    );
    assert!(strings.iter().any(|s| s == UNIT1_ORG));
    let r = t
        .get(
            &com_tok,
            &format!("/api/v1/assessment/rounds/{id}/chart.svg"),
        )
        .await;
    assert!(r.header("content-type").starts_with("image/svg+xml"));
    let r = s1
        .get(&format!("/assessment/rounds/{id}/orgs/{org1}/card.docx"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.bytes.starts_with(b"PK"), "a .docx is a zip");
    convert_with_libreoffice(&r.bytes, &[UNIT1_ORG, "考核结果通知单", "得分明细"]);
}

/// Converts a .docx to PDF with LibreOffice when it is installed (required when
/// `ZEREN_TEST_LIBREOFFICE=1`) and checks the text holds `must`.
fn convert_with_libreoffice(docx: &[u8], must: &[&str]) {
    use std::process::Command;
    let on_path = |n: &str| {
        std::env::var_os("PATH").and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(n))
                .find(|p| p.is_file())
        })
    };
    let required = std::env::var("ZEREN_TEST_LIBREOFFICE").is_ok_and(|v| v == "1");
    let Some(soffice) = on_path("soffice") else {
        assert!(
            !required,
            "ZEREN_TEST_LIBREOFFICE=1 but soffice is not on PATH"
        );
        return;
    };
    let dir = TempDir::new("assess-docx");
    let file = dir.path().join("card.docx");
    std::fs::write(&file, docx).unwrap();
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("card.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(pdftotext) = on_path("pdftotext") {
        let text = Command::new(pdftotext).arg(&pdf).arg("-").output().unwrap();
        let text: String = String::from_utf8_lossy(&text.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for m in must {
            assert!(text.contains(m), "the card lacks {m}: {text}");
        }
    }
}
