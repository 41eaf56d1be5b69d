//! Assessment (考核) demo: the commission's copy of the shipped indicator system in two
//! versions, last year's round published (unit1 signed, appealed one item and had it
//! raised), and this year's round in progress (half the units scored by hand, another
//! unit signed with an appeal waiting for an answer, unit1 not yet signed).
//!
//! Units are `zeren_store::assessment::units` (the 党委 and 党总支 that hold no other), so at
//! city and province scale the round covers every hospital and institution. Scorers'
//! entries for all units but unit1 are written in one transaction with one history
//! line and one audit event (thousands of units at province scale); unit1's go
//! through the use cases like a user's.
use chrono::{Datelike, NaiveDate};
use zeren_app::assessment::RoundInput;
use zeren_app::audit::{self, AuditAction, Event};
use zeren_app::{clock, App, AppError};
use zeren_store::assessment as store;

use crate::DemoError;

fn group_of(name: &str) -> &'static str {
    if name.contains("医院") || name.contains("卫生院") {
        "医院"
    } else if name.contains("疾病")
        || name.contains("急救")
        || name.contains("血")
        || name.contains("监督")
    {
        "公共卫生机构"
    } else {
        "机关及直属单位"
    }
}

/// A scorer's value for a manual item of unit `i`: spread, deterministic.
fn value_for(kind: &str, max: i64, i: usize) -> i64 {
    let i = i64::try_from(i).unwrap_or(0);
    match kind {
        "indicator" => max - (i * 137 % 5) * max / 10,
        "deduction" => [0, 0, 100, 0, 300][usize::try_from(i % 5).unwrap_or(0)].min(max),
        "bonus" => [0, 100, 0, 0, 200][usize::try_from(i % 5).unwrap_or(0)].min(max),
        // a veto for one unit in forty
        _ => i64::from(i % 40 == 17),
    }
}

/// Writes every manual item of every unit but `except` in one transaction.
async fn bulk_entries(
    app: &App,
    commission: &zeren_app::Actor,
    round_id: i64,
    sys: &zeren_core::assessment::System,
    units: &[(i64, String, String, Option<String>)],
    share: usize,
    except: i64,
) -> Result<usize, DemoError> {
    let items: Vec<(String, &str, i64)> = sys
        .indicators
        .iter()
        .filter(|i| i.method == Some(zeren_core::assessment::Method::Manual))
        .map(|i| (i.key.clone(), "indicator", i.points))
        .chain(
            sys.deductions
                .iter()
                .filter(|a| a.metric.is_none())
                .map(|a| (a.key.clone(), "deduction", a.cap)),
        )
        .chain(
            sys.bonuses
                .iter()
                .filter(|a| a.metric.is_none())
                .map(|a| (a.key.clone(), "bonus", a.cap)),
        )
        .chain(
            sys.vetoes
                .iter()
                .filter(|v| v.metric.is_none())
                .map(|v| (v.key.clone(), "veto", 1)),
        )
        .collect();
    let now = clock::now();
    let mut tx = app.store.begin_write().await?;
    let mut n = 0;
    for (i, u) in units.iter().enumerate() {
        if u.0 == except || i % 100 >= share {
            continue;
        }
        for (key, kind, max) in &items {
            store::put_entry(
                tx.conn(),
                store::NewEntry {
                    round_id,
                    org_id: u.0,
                    item_key: key,
                    value: value_for(kind, *max, i),
                    evidence: "考核组现场查阅会议记录、台账",
                    comment: "按评分标准评定（演示数据）",
                    by: commission.audit_id(),
                    at: now,
                },
            )
            .await?;
            n += 1;
        }
    }
    zeren_store::history::add(
        tx.conn(),
        zeren_store::history::Entry {
            kind: "assessment_round",
            id: round_id,
            at: now,
            actor_id: commission.audit_id(),
            actor_name: &commission.display_name,
            action: "评分",
            detail: &format!("考核组批量录入评分 {n} 项（演示数据）"),
        },
    )
    .await?;
    let root = commission
        .roles
        .first()
        .map(|(_, r)| r.org_path.clone())
        .unwrap_or_default();
    audit::by_actor(
        tx.conn(),
        commission,
        Event::ok(
            AuditAction::AssessmentScore,
            "assessment_round",
            round_id,
            &root,
        )
        .detail(format!("demo entries {n}")),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

pub async fn load(app: &App, today: NaiveDate) -> Result<(), DemoError> {
    let commission = app.actor_by_username("commission").await?;
    let unit1 = app.actor_by_username("unit1").await?;
    let unit1_org = unit1
        .roles
        .first()
        .map(|(_, r)| r.org_id)
        .ok_or_else(|| AppError::Io("演示数据缺少 unit1 的角色".into()))?;
    let units = app.assessment_units().await?;
    if units.is_empty() {
        return Ok(());
    }
    let year = i64::from(today.year());
    let v1 = app
        .assessment_system_copy(&commission, "party-building")
        .await?;
    let (row, _) = app.assessment_system(&commission, v1).await?;
    let edited = row.source.replace(
        "经验推广加分；发生严重违纪违法案件一票否决。",
        "经验推广加分；发生严重违纪违法案件一票否决。本年度起“述职评议”须附会议纪要。",
    );
    let v2 = app.assessment_system_edit(&commission, v1, &edited).await?;
    let targets = |units: &[(i64, String, String, Option<String>)]| {
        units
            .iter()
            .map(|u| (u.0, group_of(&u.2).to_string()))
            .collect::<Vec<_>>()
    };
    let later = |d: i64| (today + chrono::Duration::days(d)).to_string();

    // last year: scored, appealed, answered, published
    let last = app
        .assessment_round_create(
            &commission,
            RoundInput {
                year: year - 1,
                title: format!("{}年度党建工作和全面从严治党主体责任考核", year - 1),
                system_id: v1,
                as_of: format!("{}-12-31", year - 1),
                appeal_until: later(1),
                targets: targets(&units),
            },
        )
        .await?;
    let (_, sys1) = app.assessment_system(&commission, v1).await?;
    bulk_entries(app, &commission, last, &sys1, &units, 100, unit1_org).await?;
    for (key, v) in [
        ("4", "10"),
        ("d.other", "0"),
        ("b.practice", "1"),
        ("v.case", "0"),
    ] {
        app.assessment_score(
            &commission,
            last,
            unit1_org,
            key,
            v,
            "述职评议记录",
            "按评分标准评定",
        )
        .await?;
    }
    app.assessment_sign(&unit1, last, unit1_org).await?;
    let appeal = app
        .assessment_appeal(
            &unit1,
            last,
            unit1_org,
            "4",
            "述职材料中已附党委会会议纪要（第12期），评分时未计入，请复核。",
        )
        .await?;
    app.assessment_answer(
        &commission,
        appeal,
        "upheld",
        "经复核，会议纪要属实，述职评议改为 13 分。",
        Some("13"),
    )
    .await?;
    app.assessment_set_window(&commission, last, &later(-1))
        .await?;
    app.assessment_publish(&commission, last).await?;

    // this year: in progress
    let this = app
        .assessment_round_create(
            &commission,
            RoundInput {
                year,
                title: format!("{year}年度党建工作和全面从严治党主体责任考核"),
                system_id: v2,
                as_of: today.to_string(),
                appeal_until: later(14),
                targets: targets(&units),
            },
        )
        .await?;
    let (_, sys2) = app.assessment_system(&commission, v2).await?;
    bulk_entries(app, &commission, this, &sys2, &units, 50, unit1_org).await?;
    // another unit has signed and appealed (no account of its own in the demo: the
    // rows are written as its office would through the page)
    if let Some(other) = units.iter().find(|u| u.0 != unit1_org) {
        let now = clock::now();
        let mut tx = app.store.begin_write().await?;
        store::sign(tx.conn(), this, other.0, None, now).await?;
        store::insert_appeal(
            tx.conn(),
            store::NewAppeal {
                round_id: this,
                org_id: other.0,
                org_path: &other.1,
                item_key: "2.3",
                reason: "所列逾期问题中有2个已于考核截止日前完成整改，销号审批尚在流程中。",
                by: None,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
