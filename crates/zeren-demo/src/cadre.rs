//! Demo cadre-supervision records (issue 6): the organisation department's
//! personal-matters year (filers generated from cadre rank, reports — a few late, a
//! few missing — one random verification batch with a fixed, printed seed and its
//! outcomes, one targeted check before a promotion), integrity risk points across
//! categories and levels in several units, and one promotion candidate's four checks.
//! Everything goes through the use cases (`orgdept`, `discipline`, `commission`), so
//! history, audit events and sealing are as in real use.
use chrono::{Datelike, NaiveDate};
use zeren_app::personal_matters::{CheckInput, DrawInput, TargetedInput};
use zeren_app::risk_points::NewRiskInput;
use zeren_app::rows::FilerFilter;
use zeren_app::{App, AppError, Paging};

use crate::DemoError;

/// The seed of the demo's random verification batch: anyone can draw again with it.
pub const DEMO_SEED: &str = "5a4552454e2d64656d6f2d706572736f6e616c2d6d6174746572732d32303236";

/// (unit index, department, post, category, level, description, controls)
type Risk = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const RISKS: &[Risk] = &[
    (
        0,
        "设备科",
        "设备采购岗",
        "procurement",
        "high",
        "大型医用设备采购中指定品牌、拆分采购规避招标，收受供应商回扣",
        &[
            "采购需求集体论证，参数公开征求意见",
            "50万元以上项目一律公开招标，纪检全程监督",
        ],
    ),
    (
        0,
        "药剂科",
        "药品遴选岗",
        "medical",
        "high",
        "新药引进中接受药企利益输送，带金销售",
        &["药事委员会集体决策，回避制度", "重点监控药品用量月度公示"],
    ),
    (
        0,
        "财务科",
        "出纳岗",
        "resources",
        "medium",
        "资金支付未经审批或大额现金往来",
        &["支付双人复核", "每月银行对账"],
    ),
    (
        0,
        "基建办",
        "工程管理岗",
        "construction",
        "high",
        "工程变更签证虚增工程量",
        &["变更签证三方会签", "结算审计全覆盖"],
    ),
    (
        0,
        "人事科",
        "招聘岗",
        "personnel",
        "medium",
        "公开招聘中因人设岗、泄露试题",
        &["招聘方案党委会审定", "面试考官随机抽取"],
    ),
    (
        0,
        "科研处",
        "经费管理岗",
        "research",
        "medium",
        "科研经费虚列劳务费、套取报销",
        &["劳务费银行卡直发", "结题经费专项审计"],
    ),
    (
        0,
        "医务处",
        "医疗质量岗",
        "medical",
        "low",
        "医疗纠纷处理中违规调解赔偿",
        &["纠纷赔偿集体研究"],
    ),
    (
        1,
        "总务科",
        "后勤采购岗",
        "procurement",
        "medium",
        "后勤物资询价不充分、长期固定供应商",
        &["三家以上询价比价", "供应商年度评价轮换"],
    ),
    (
        1,
        "财务科",
        "会计岗",
        "resources",
        "low",
        "票据审核不严，虚假报销",
        &["报销审核清单化"],
    ),
    (
        1,
        "人事科",
        "职称评审岗",
        "personnel",
        "high",
        "职称评审中打招呼、论文造假不查",
        &["评审专家库随机抽取", "评审结果公示"],
    ),
    (
        2,
        "办公室",
        "行政审批岗",
        "approval",
        "medium",
        "审批事项超时限、吃拿卡要",
        &["审批流程网上留痕", "群众评价回访"],
    ),
    (
        2,
        "信息科",
        "信息化项目岗",
        "procurement",
        "low",
        "信息化项目需求虚高",
        &["第三方评审需求"],
    ),
];

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, DemoError> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| AppError::Io(format!("日期无效：{y}-{m}-{d}")).into())
}

pub async fn load(app: &App, today: NaiveDate) -> Result<(), DemoError> {
    let orgdept = app.actor_by_username("orgdept").await?;
    let discipline = app.actor_by_username("discipline").await?;
    let commission = app.actor_by_username("commission").await?;
    // the year whose 31 January deadline has passed and whose reports can be dated
    let year = if today.month() >= 3 {
        today.year()
    } else {
        today.year() - 1
    };
    let clock_today = zeren_app::clock::today();
    app.pm_generate_filers(&orgdept, year as i64).await?;
    let (filers, _) = {
        let p = app
            .pm_filers(
                &orgdept,
                FilerFilter {
                    year: Some(year as i64),
                    ..Default::default()
                },
                Paging::new(Some(1), Some(500)),
                clock_today,
            )
            .await?;
        (p.items, p.total)
    };
    // reports: most in January, every ninth late (in February), the last two missing
    let n = filers.len();
    for (i, f) in filers.iter().enumerate() {
        if i + 2 >= n && n > 4 {
            continue;
        }
        let on = if i % 9 == 4 {
            day(year, 2, 3 + (i % 5) as u32)?
        } else {
            day(year, 1, 5 + (i % 26) as u32)?
        };
        let declared = format!(
            "房产{}处；配偶从业情况已报告；{}",
            1 + i % 3,
            if i % 4 == 0 {
                "本人持有股票1只"
            } else {
                "无投资"
            }
        );
        app.pm_submit(&orgdept, f.row.id, &on.to_string(), Some(&declared))
            .await?;
    }
    // one random batch over the whole tree at the default 10%, with a fixed seed
    let batch = app
        .pm_draw(
            &orgdept,
            DrawInput {
                year: year as i64,
                org_id: None,
                percent: None,
                seed: Some(DEMO_SEED.into()),
                note: "年度随机抽查（演示）".into(),
            },
        )
        .await?;
    let d = app.pm_batch(&orgdept, batch).await?;
    let checked_on = day(year, 6, 15)?.min(clock_today);
    for (i, k) in d.checks.iter().enumerate() {
        if i == d.checks.len().saturating_sub(1) && d.checks.len() > 2 {
            continue; // one still open
        }
        let (outcome, finding, handling) = match i {
            1 => (
                "omitted",
                Some("漏报配偶名下车位一处"),
                "批评教育，责令补报",
            ),
            _ => ("truthful", None, ""),
        };
        app.pm_record_check(
            &orgdept,
            k.id,
            CheckInput {
                outcome: outcome.into(),
                checked_on: checked_on.to_string(),
                finding: finding.map(str::to_string),
                handling: handling.into(),
            },
        )
        .await?;
    }
    // a promotion candidate: a submitted filer of unit level, checked before promotion
    let Some(cand) = filers
        .iter()
        .filter(|f| f.row.submitted_on.is_some() || filers.len() < 3)
        .find(|f| !d.checks.iter().any(|k| k.person_id == f.row.person_id))
        .or_else(|| filers.first())
    else {
        return Ok(());
    };
    let tb = app
        .pm_targeted(
            &orgdept,
            TargetedInput {
                year: year as i64,
                reason: "promotion".into(),
                person_ids: vec![cand.row.person_id],
                note: "拟提拔人选个人有关事项重点查核".into(),
            },
        )
        .await?;
    if let Some(k) = app.pm_batch(&orgdept, tb).await?.checks.first() {
        app.pm_record_check(
            &orgdept,
            k.id,
            CheckInput {
                outcome: "truthful".into(),
                checked_on: checked_on.to_string(),
                finding: None,
                handling: String::new(),
            },
        )
        .await?;
    }
    let pc = app
        .promotion_create(&orgdept, Some(cand.row.person_id), "副院长")
        .await?;
    let on = clock_today.to_string();
    app.promotion_conclude(
        &orgdept,
        pc,
        "file",
        "clear",
        "干部档案“三龄二历一身份”审核无误",
        &on,
    )
    .await?;
    app.promotion_conclude(
        &orgdept,
        pc,
        "personal_matters",
        "clear",
        "重点查核结果为如实报告",
        &on,
    )
    .await?;
    app.promotion_conclude(
        &discipline,
        pc,
        "discipline",
        "clear",
        "未发现影响使用的问题",
        &on,
    )
    .await?;

    // risk points in the first three units
    let root = commission
        .home()
        .map(|r| r.org_id)
        .ok_or_else(|| AppError::Io("演示数据缺少委党委".into()))?;
    let units: Vec<_> = app
        .org_tree(&commission, Some(root), 1)
        .await?
        .into_iter()
        .filter(|o| o.id != root)
        .take(3)
        .collect();
    for (u, dept, post, cat, level, desc, controls) in RISKS {
        let Some(unit) = units.get(*u) else { continue };
        let owners = app.people_of_org(&commission, unit.id).await?;
        let controls = controls
            .iter()
            .enumerate()
            .map(|(i, m)| (m.to_string(), owners.get(i).map(|p| p.id)))
            .collect();
        app.risk_create(
            &commission,
            NewRiskInput {
                org_id: Some(unit.id),
                department: dept.to_string(),
                post: post.to_string(),
                category: cat.to_string(),
                level: level.to_string(),
                description: desc.to_string(),
                review_months: None,
                // one high risk already due, to show the review list
                next_review_on: (*u == 0 && *dept == "基建办")
                    .then(|| (clock_today - chrono::Duration::days(3)).to_string()),
                controls,
            },
        )
        .await?;
    }
    Ok(())
}
