//! Organisational life for every scale: each branch's 三会一课, 主题党日, 组织生活会 and
//! 民主评议 of this year up to today, and each committee's 党委会 (with 第一议题),
//! 中心组学习 and 民主生活会. Most orgs keep the rules; a fixed share breaks one, chosen
//! by org id so the same seed always breaks the same rules in the same places:
//!
//! | org id mod 10 | what is missing |
//! |---|---|
//! | 1 | three months of 支部委员会 |
//! | 2 | every 党课 |
//! | 3 | two months of 主题党日 |
//! | 4 | 组织生活会 and 民主评议党员 |
//!
//! Committees count in their own order (the k-th committee), so even a small tree has
//! each flaw:
//!
//! | k mod 10 | what is wrong |
//! |---|---|
//! | 5 | 民主生活会 held with under two thirds present |
//! | 6 | 理论学习中心组学习 only twice in the first half of the year |
//! | 7 | the second quarter's 支部党员大会 |
//! | 9 | the year's 党员集中培训 |
//!
//! Branches with Party groups count in their own order too: every fifth of them (the
//! first, the sixth …) skips March's and June's 党小组会.
//!
//! Rows are written straight into the table in large statements, like the bulk
//! generator's, so a province's million records load in seconds.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rand::rngs::SmallRng;
use rand::Rng;
use zeren_app::{clock, App};
use zeren_store::{Sql, StoreError};

use crate::DemoError;

/// Rows per INSERT statement (17 parameters a row: ~270, see `bulk::rows_per_statement`).
const ROWS_PER_STATEMENT: usize = 16;
/// Rows per transaction.
const BATCH: usize = 20_000;

struct Org {
    id: i64,
    path: String,
    kind: String,
    created: NaiveDate,
}

struct Row {
    org_id: i64,
    org_path: String,
    kind: &'static str,
    title: String,
    held_on: String,
    place: &'static str,
    expected: i64,
    present: i64,
    leave: i64,
    topic: &'static str,
    content: &'static str,
    first_topic: bool,
    /// 调研: opinions collected and outcomes converted; 办实事: matters done (one per line).
    opinions: Option<&'static str>,
    outcomes: Option<&'static str>,
    matters: Option<&'static str>,
}

const RESEARCH_OPINIONS: &str =
    "门诊挂号排队时间长\n检查预约等候久\n停车难\n出院结算手续繁琐\n基层检验项目少";
const RESEARCH_OUTCOMES: &str = "制定《优化门诊服务流程十项措施》\n推行检查集中预约\n开通床旁结算";
const VOLUNTEER_MATTERS: &str = "社区义诊\n上门为行动不便老人测血压血糖";

const PLACES: [&str; 4] = ["党员活动室", "会议室", "科室示教室", "院部三楼会议室"];

const THEME_TOPICS: [&str; 6] = [
    "重温入党誓词，学习党章",
    "学习贯彻党的二十届三中全会精神",
    "医德医风专题学习与警示教育",
    "志愿服务进社区义诊",
    "学习《医疗机构工作人员廉洁从业九项准则》",
    "围绕群众就医难点开展“我为群众办实事”",
];
const LECTURE_TOPICS: [&str; 4] = [
    "书记讲党课：以高质量党建引领公立医院高质量发展",
    "弘扬伟大建党精神，践行医者初心",
    "全面从严治党主体责任的内涵与落实",
    "加强作风建设，守住廉洁底线",
];

/// Generates the year's records for every org in the database. Returns how many.
pub async fn generate(app: &App, rng: &mut SmallRng, today: NaiveDate) -> Result<usize, DemoError> {
    backdate_founding(app, today).await?;
    let mut c = app.store.conn().await?;
    let orgs: Vec<(i64, String, String, i64)> = Sql::new(
        "SELECT id, path, kind, created_at FROM orgs WHERE closed_at IS NULL AND kind <> 'group' ORDER BY id",
    )
    .query_as()
    .fetch_all(&mut *c)
    .await
    .map_err(StoreError::from)?;
    let sizes: HashMap<i64, i64> = Sql::new("SELECT org_id, COUNT(*) FROM people GROUP BY org_id")
        .query_as::<(i64, i64)>()
        .fetch_all(&mut *c)
        .await
        .map_err(StoreError::from)?
        .into_iter()
        .collect();
    let with_groups: HashMap<i64, i64> = Sql::new(
        "SELECT parent_id, COUNT(*) FROM orgs WHERE kind = 'group' AND parent_id IS NOT NULL GROUP BY parent_id",
    )
    .query_as::<(i64, i64)>()
    .fetch_all(&mut *c)
    .await
    .map_err(StoreError::from)?
    .into_iter()
    .collect();
    drop(c);

    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let mut rows: Vec<Row> = Vec::with_capacity(BATCH + 64);
    let mut made = 0usize;
    let mut committees = 0i64;
    let mut grouped = 0i64;
    for (id, path, kind, created_at) in orgs {
        let created = clock::date_of(created_at).unwrap_or(year_start);
        let org = Org {
            id,
            path,
            kind,
            created,
        };
        let size = sizes.get(&org.id).copied().unwrap_or(0).max(3);
        match org.kind.as_str() {
            "branch" | "general_branch" => {
                let groups = with_groups.contains_key(&org.id).then(|| {
                    grouped += 1;
                    grouped - 1
                });
                branch_year(rng, &org, size, groups, today, &mut rows)
            }
            "committee" | "commission" => {
                committee_year(rng, &org, committees % 10, today, &mut rows);
                committees += 1;
            }
            _ => {}
        }
        if rows.len() >= BATCH {
            made += flush(app, &mut rows).await?;
        }
    }
    made += flush(app, &mut rows).await?;
    Ok(made)
}

/// The demo's orgs were all "created" when it loaded; real ones were founded years
/// ago. Every org gets a founding day six years back, except one branch in seventeen,
/// founded four months ago (rules expect its meetings only from then on).
async fn backdate_founding(app: &App, today: NaiveDate) -> Result<(), DemoError> {
    let at = |d: NaiveDate| {
        d.and_hms_opt(9, 0, 0)
            .map(|t| t.and_utc().timestamp() - 8 * 3600)
            .unwrap_or(0)
    };
    let old = NaiveDate::from_ymd_opt(today.year() - 6, 3, 1).unwrap_or(today);
    let recent = today - chrono::TimeDelta::days(120);
    let mut tx = app.store.begin_write().await?;
    let mut s =
        Sql::new("UPDATE orgs SET created_at = CASE WHEN kind = 'branch' AND id % 17 = 6 THEN ");
    s.bind(at(recent)).push(" ELSE ").bind(at(old)).push(" END");
    s.query()
        .execute(tx.conn())
        .await
        .map_err(StoreError::from)?;
    tx.commit().await?;
    Ok(())
}

/// A day in month `m` of `today`'s year, not after today nor before the org existed.
fn day_in(rng: &mut SmallRng, today: NaiveDate, m: u32, org: &Org) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(today.year(), m, 1)?;
    let start = first.max(org.created);
    let last = NaiveDate::from_ymd_opt(today.year(), m, 28)?.min(today);
    if start > last {
        return None;
    }
    let span = (last - start).num_days();
    Some(start + chrono::TimeDelta::days(rng.gen_range(0..=span)))
}

fn attendance(rng: &mut SmallRng, expected: i64) -> (i64, i64) {
    let leave = rng.gen_range(0..=2).min(expected - 1);
    let absent = i64::from(rng.gen_bool(0.15)).min(expected - leave - 1);
    (expected - leave - absent, leave)
}

#[allow(clippy::too_many_arguments)]
fn push(
    rows: &mut Vec<Row>,
    rng: &mut SmallRng,
    org: &Org,
    kind: &'static str,
    title: String,
    day: NaiveDate,
    expected: i64,
    topic: &'static str,
    content: &'static str,
) {
    let (present, leave) = attendance(rng, expected);
    rows.push(Row {
        org_id: org.id,
        org_path: org.path.clone(),
        kind,
        title,
        held_on: day.format("%Y-%m-%d").to_string(),
        place: PLACES[rng.gen_range(0..PLACES.len())],
        expected,
        present,
        leave,
        topic,
        content,
        first_topic: false,
        opinions: None,
        outcomes: None,
        matters: None,
    });
}

fn branch_year(
    rng: &mut SmallRng,
    org: &Org,
    size: i64,
    // the branch's order among branches with groups, if it has any
    groups: Option<i64>,
    today: NaiveDate,
    rows: &mut Vec<Row>,
) {
    let flaw = org.id % 10;
    let committee = (size / 3).clamp(3, 7);
    // the three months of 支委会 a flawed branch skipped
    let skipped: [u32; 3] = [2, 5, 8];
    for m in 1..=today.month() {
        if flaw != 1 || !skipped.contains(&m) {
            if let Some(d) = day_in(rng, today, m, org) {
                push(
                    rows,
                    rng,
                    org,
                    "branch_committee",
                    format!("{m}月支部委员会"),
                    d,
                    committee,
                    "研究本月党建和业务工作",
                    "传达上级部署，研究党员教育管理、发展党员和本月重点工作。",
                );
            }
        }
        if flaw != 3 || !(m == 4 || m == 7) {
            if let Some(d) = day_in(rng, today, m, org) {
                let t = THEME_TOPICS[(m as usize + org.id as usize) % THEME_TOPICS.len()];
                push(
                    rows,
                    rng,
                    org,
                    "theme_day",
                    format!("{m}月主题党日"),
                    d,
                    size,
                    t,
                    "集体学习、交流研讨，党员逐一发言，形成问题清单和落实措施。",
                );
            }
        }
        if groups.is_some_and(|k| k % 5 != 0 || !(m == 3 || m == 6)) {
            if let Some(d) = day_in(rng, today, m, org) {
                push(
                    rows,
                    rng,
                    org,
                    "group_meeting",
                    format!("{m}月党小组会"),
                    d,
                    (size / 2).max(3),
                    "学习交流",
                    "组织党员学习，交流思想和工作情况。",
                );
            }
        }
        // 志愿服务/办实事 in June and December, 党员到社区报到 in May
        if m == 6 || m == 12 {
            if let Some(d) = day_in(rng, today, m, org) {
                let before = rows.len();
                push(
                    rows,
                    rng,
                    org,
                    "volunteer",
                    format!("{m}月“我为群众办实事”志愿服务"),
                    d,
                    size,
                    "进社区义诊",
                    "组织党员到社区开展义诊和健康宣教。",
                );
                if let Some(r) = rows.get_mut(before) {
                    r.matters = Some(VOLUNTEER_MATTERS);
                }
            }
        }
        if m == 5 {
            if let Some(d) = day_in(rng, today, m, org) {
                push(
                    rows,
                    rng,
                    org,
                    "member_report",
                    "在职党员到社区报到".to_string(),
                    d,
                    size,
                    "到居住地社区报到",
                    "党员到居住地社区报到，认领志愿服务岗位。",
                );
            }
        }
        // quarterly, in each quarter's middle month
        if m % 3 == 2 {
            let q = ["一", "二", "三", "四"][(m as usize - 1) / 3];
            if flaw != 7 || m != 5 {
                if let Some(d) = day_in(rng, today, m, org) {
                    push(
                        rows,
                        rng,
                        org,
                        "branch_general_meeting",
                        format!("第{q}季度支部党员大会"),
                        d,
                        size,
                        "听取支委会工作报告",
                        "通报支部工作，讨论发展党员和党员教育管理事项。",
                    );
                }
            }
            if flaw != 2 {
                if let Some(d) = day_in(rng, today, m, org) {
                    let t = LECTURE_TOPICS[(m as usize / 3) % LECTURE_TOPICS.len()];
                    push(
                        rows,
                        rng,
                        org,
                        "party_lecture",
                        format!("第{q}季度党课"),
                        d,
                        size,
                        t,
                        "支部书记讲党课，党员交流学习体会。",
                    );
                }
            }
        }
    }
    // one training a year, in June (or this month, early in the year)
    if flaw != 9 {
        if let Some(d) = day_in(rng, today, today.month().min(6), org) {
            push(
                rows,
                rng,
                org,
                "training",
                format!("{}年党员集中培训", today.year()),
                d,
                size,
                "党员教育集中培训",
                "集中学习党的创新理论和党纪党规，开展专题辅导和交流研讨。",
            );
        }
    }
    // 组织生活会 and 民主评议 early in the year, for last year
    if flaw != 4 {
        if let Some(d) = day_in(rng, today, 2, org) {
            push(
                rows,
                rng,
                org,
                "org_life",
                format!("{}年度组织生活会", today.year() - 1),
                d,
                size,
                "对照检查，开展批评和自我批评",
                "支部班子和党员逐一对照检查，相互批评，形成整改清单。",
            );
            push(
                rows,
                rng,
                org,
                "member_appraisal",
                format!("{}年度民主评议党员", today.year() - 1),
                d,
                size,
                "民主评议党员",
                "党员自评、互评和支部综合评定。",
            );
        }
    }
}

fn committee_year(rng: &mut SmallRng, org: &Org, flaw: i64, today: NaiveDate, rows: &mut Vec<Row>) {
    for m in 1..=today.month() {
        for k in 0..2 {
            if let Some(d) = day_in(rng, today, m, org) {
                let before = rows.len();
                push(
                    rows,
                    rng,
                    org,
                    "committee_meeting",
                    format!("{m}月第{}次党委会", k + 1),
                    d,
                    9,
                    "第一议题：学习习近平总书记重要讲话和指示批示精神",
                    "第一议题学习；研究“三重一大”事项和党建重点工作。",
                );
                if let Some(r) = rows.get_mut(before) {
                    r.first_topic = k == 0 || rng.gen_bool(0.5);
                }
            }
        }
        if flaw != 6 || m > 6 || m == 2 || m == 5 {
            if let Some(d) = day_in(rng, today, m, org) {
                push(
                    rows,
                    rng,
                    org,
                    "central_group_study",
                    format!("{m}月理论学习中心组学习"),
                    d,
                    9,
                    "集中学习研讨",
                    "围绕专题集中学习，班子成员交流发言。",
                );
            }
        }
    }
    // 调研 in spring and autumn, a 廉政谈话 and a 警示教育 a year
    for m in [3, 9] {
        if let Some(d) = day_in(rng, today, m, org) {
            let before = rows.len();
            push(
                rows,
                rng,
                org,
                "research",
                format!("{m}月班子成员基层调研"),
                d,
                6,
                "改善就医感受、提升患者体验",
                "班子成员分组深入科室和社区卫生服务中心，召开座谈会，听取意见建议。",
            );
            if let Some(r) = rows.get_mut(before) {
                r.opinions = Some(RESEARCH_OPINIONS);
                r.outcomes = Some(RESEARCH_OUTCOMES);
            }
        }
    }
    if let Some(d) = day_in(rng, today, 2, org) {
        push(
            rows,
            rng,
            org,
            "integrity_talk",
            "新任职干部廉政谈话".to_string(),
            d,
            6,
            "廉洁从业提醒",
            "党委书记与新任职中层干部逐一开展廉政谈话，提出廉洁从业要求。",
        );
    }
    if let Some(d) = day_in(rng, today, 4, org) {
        push(
            rows,
            rng,
            org,
            "warning_education",
            "警示教育大会".to_string(),
            d,
            9,
            "观看警示教育片，通报典型案例",
            "组织观看警示教育片，通报医药领域腐败典型案例，以案促改。",
        );
    }
    if let Some(d) = day_in(rng, today, 1, org) {
        let before = rows.len();
        push(
            rows,
            rng,
            org,
            "democratic_life",
            format!("{}年度民主生活会", today.year() - 1),
            d,
            9,
            "对照检查，开展批评和自我批评",
            "班子成员逐一对照检查发言，开展批评和自我批评，制定整改措施。",
        );
        if flaw == 5 {
            if let Some(r) = rows.get_mut(before) {
                // five of nine: under the two thirds the rule requires
                r.present = 5;
                r.leave = 4;
            }
        }
    }
}

async fn flush(app: &App, rows: &mut Vec<Row>) -> Result<usize, DemoError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let now = clock::now();
    let mut tx = app.store.begin_write().await?;
    for part in rows.chunks(ROWS_PER_STATEMENT) {
        let mut s = Sql::new(
            "INSERT INTO activities (org_id, org_path, kind, title, state, held_on, place, expected_count, present_count, leave_count, topic, content, first_topic, opinions, outcomes, matters, created_at, updated_at) VALUES ",
        );
        for (i, r) in part.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(r.org_id)
                .push(",")
                .bind(r.org_path.as_str())
                .push(",")
                .bind(r.kind)
                .push(",")
                .bind(r.title.as_str())
                .push(",'held',")
                .bind(r.held_on.as_str())
                .push(",")
                .bind(r.place)
                .push(",")
                .bind(r.expected)
                .push(",")
                .bind(r.present)
                .push(",")
                .bind(r.leave)
                .push(",")
                .bind(r.topic)
                .push(",")
                .bind(r.content)
                .push(",")
                .bind(i64::from(r.first_topic))
                .push(",")
                .bind(r.opinions.map(str::to_string))
                .push(",")
                .bind(r.outcomes.map(str::to_string))
                .push(",")
                .bind(r.matters.map(str::to_string))
                .push(",")
                .bind(now)
                .push(",")
                .bind(now)
                .push(")");
        }
        s.query()
            .execute(tx.conn())
            .await
            .map_err(StoreError::from)?;
    }
    tx.commit().await?;
    let n = rows.len();
    rows.clear();
    Ok(n)
}
