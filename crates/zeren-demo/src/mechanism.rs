//! 清单+提示+督导+问责 in the small demo: supervision notices (one answered with
//! evidence, one long overdue and unanswered), accountability records linked to them,
//! and tasks due soon so every warning colour shows. The reminder engine runs when
//! `serve` starts, so the inbox and the 督导 queue fill within seconds of login.
use chrono::{NaiveDate, TimeDelta};
use zeren_app::accountability::NewAccountability;
use zeren_app::notice::NewNotice;
use zeren_app::{clock, Actor, App};
use zeren_store::Sql;

use crate::docs::Docs;
use crate::small::{ymd, Unit};
use crate::DemoError;

fn items_of(rows: &[zeren_store::supervision::NoticeItemRow], n: usize) -> Vec<(String, i64)> {
    rows.iter()
        .take(n)
        .map(|r| (r.item_type.clone(), r.item_id))
        .collect()
}

pub async fn load(
    app: &App,
    commission: &Actor,
    unit1: &Actor,
    units: &[Unit],
    today: NaiveDate,
    docs: &Docs,
) -> Result<(), DemoError> {
    let day = |n: i64| ymd(today + TimeDelta::days(n));
    // 1. unit1 is pressed on its late items and answers with evidence
    let u1 = &units[0];
    let late = app.notice_candidates(commission, u1.org.id).await?;
    if !late.is_empty() {
        let id = app
            .issue_notice(
                commission,
                NewNotice {
                    org_id: u1.org.id,
                    title: "关于加快推进逾期整改事项的督办通知".into(),
                    body: "经查，你单位下列事项已超过完成时限。请于答复期限前书面报告整改进展、未按期完成的原因和下一步措施，并附佐证材料。".into(),
                    answer_due: day(7),
                    items: items_of(&late, 3),
                },
            )
            .await?;
        app.answer_notice(
            unit1,
            id,
            "已召开党委会专题研究，逐项明确责任人和完成时限：第一项已于本周完成并上传佐证，其余两项将在两周内完成。对未按期完成的原因进行了分析，已约谈相关责任部门负责人。",
            std::slice::from_ref(&docs.rectification),
        )
        .await?;
    }

    // 2. the second unit was pressed three weeks ago and has not answered
    let mut unanswered = None;
    if let Some(u2) = units.get(1) {
        let late = app.notice_candidates(commission, u2.org.id).await?;
        if !late.is_empty() {
            let id = app
                .issue_notice(
                    commission,
                    NewNotice {
                        org_id: u2.org.id,
                        title: "关于主体责任清单逾期事项的督办通知".into(),
                        body: "你单位下列主体责任清单事项已逾期，请党委书记亲自过问，限期完成并书面答复。".into(),
                        answer_due: day(0),
                        items: items_of(&late, 4),
                    },
                )
                .await?;
            // issued 21 days ago with 14 days to answer: now a week overdue
            let issued = clock::now() - 21 * 86_400;
            let mut s = Sql::new("UPDATE supervision_notices SET issued_at = ");
            s.bind(issued)
                .push(", answer_due = ")
                .bind(day(-7))
                .push(", remind_on = '0000-00-00' WHERE id = ")
                .bind(id);
            let mut c = app.store.conn().await?;
            s.query()
                .execute(&mut *c)
                .await
                .map_err(zeren_store::StoreError::from)?;
            unanswered = Some((id, u2));
        }
    }

    // 3. accountability that follows from them
    if let Some((notice, u2)) = unanswered {
        app.record_accountability(
            commission,
            NewAccountability {
                person_id: Some(u2.secretary),
                org_id: None,
                action: "interview".into(),
                reason: "督办事项逾期未答复，主体责任清单多项任务逾期，压力传导不到位。".into(),
                decided_by: "委党委".into(),
                decided_on: day(-2),
                notice_id: Some(notice),
                item: None,
            },
        )
        .await?;
        app.record_accountability(
            commission,
            NewAccountability {
                person_id: None,
                org_id: Some(u2.org.id),
                action: "circular".into(),
                reason: "年度主体责任清单推进迟缓，在全委系统内通报批评。".into(),
                decided_by: "委党委".into(),
                decided_on: day(-1),
                notice_id: Some(notice),
                item: None,
            },
        )
        .await?;
    }
    if let Some(u3) = units.get(2) {
        app.record_accountability(
            commission,
            NewAccountability {
                person_id: Some(u3.team.first().copied().unwrap_or(u3.secretary)),
                org_id: None,
                action: "self_exam".into(),
                reason: "分管领域整改措施未按期完成，责令作出书面检查。".into(),
                decided_by: "委党委".into(),
                decided_on: day(-10),
                notice_id: None,
                item: None,
            },
        )
        .await?;
    }

    // 4. the unit's office brought a few year-end tasks forward: due in a week or two,
    // so the blue "due soon" colour shows whatever day the demo is loaded
    let mut c = app.store.conn().await?;
    let mut s = Sql::new(
        "SELECT id FROM tasks WHERE state IN ('not_started', 'in_progress') AND org_id = ",
    );
    s.bind(u1.org.id)
        .push(" AND deadline > ")
        .bind(day(0))
        .push(" ORDER BY deadline DESC, id LIMIT 3");
    let ids: Vec<(i64,)> = s
        .query_as()
        .fetch_all(&mut *c)
        .await
        .map_err(zeren_store::StoreError::from)?;
    for ((id,), k) in ids.into_iter().zip([8, 10, 12]) {
        let mut s = Sql::new("UPDATE tasks SET deadline = ");
        s.bind(day(k)).push(" WHERE id = ").bind(id);
        s.query()
            .execute(&mut *c)
            .await
            .map_err(zeren_store::StoreError::from)?;
    }
    Ok(())
}
