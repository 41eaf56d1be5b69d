//! 组织生活记录 (meetings and activities): one row per record, with the counts
//! (应到、实到、请假) rather than a list of names. A 党委会's 议题 cell becomes its
//! agenda, one item per line; a line mentioning 第一议题 is the first-topic item the
//! rules count. Checked by the same rules as the recording form.
use std::collections::HashMap;

use zeren_core::activity::ActivityKind;
use zeren_core::{sheet, Permission};
use zeren_store::activity::ActivityRow;
use zeren_store::Conn;

use super::refs::{norm, OrgIndex, PeopleIndex};
use super::{Ctx, DataRow};
use crate::activity::{check_fields, kind_label, ActivityInput, AgendaInput};
use crate::audit::AuditAction;
use crate::AppResult;

/// The kind a cell names: a label or key, or a common variant (`三会一课-党课`,
/// `中心组学习`, `党委会议`).
pub fn match_kind(text: &str) -> Option<ActivityKind> {
    let t = norm(text);
    if let Some(k) = ActivityKind::ALL
        .into_iter()
        .find(|k| norm(k.label()) == t || k.as_str() == t)
    {
        return Some(k);
    }
    const VARIANTS: [(&str, ActivityKind); 12] = [
        ("党员大会", ActivityKind::BranchGeneralMeeting),
        ("支委会", ActivityKind::BranchCommittee),
        ("支部委员会会议", ActivityKind::BranchCommittee),
        ("小组会", ActivityKind::GroupMeeting),
        ("中心组学习", ActivityKind::CentralGroupStudy),
        ("理论学习中心组", ActivityKind::CentralGroupStudy),
        ("党委会议", ActivityKind::CommitteeMeeting),
        ("党委（扩大）会议", ActivityKind::CommitteeMeeting),
        ("志愿服务", ActivityKind::Volunteer),
        ("办实事", ActivityKind::Volunteer),
        ("民主评议", ActivityKind::MemberAppraisal),
        ("主题党日活动", ActivityKind::ThemeDay),
    ];
    if let Some((_, k)) = VARIANTS.iter().find(|(v, _)| norm(v) == t) {
        return Some(*k);
    }
    // `三会一课：党课` and the like: the one label the text ends with
    let hits: Vec<ActivityKind> = ActivityKind::ALL
        .into_iter()
        .filter(|k| t.ends_with(&norm(k.label())))
        .collect();
    match hits.as_slice() {
        [k] => Some(*k),
        _ => None,
    }
}

pub fn kind_labels() -> Vec<&'static str> {
    ActivityKind::ALL.iter().map(|k| k.label()).collect()
}

const ACTIVITY_COLS: &str = "id, org_id, org_path, kind, title, state, planned_on, held_on, start_time, end_time, place, host_id, recorder_id, expected_count, present_count, leave_count, observers, topic, content, decisions, first_topic, opinions, outcomes, matters, cancel_reason, created_by, created_at, updated_at";

struct Planned {
    existing: Option<ActivityRow>,
    row: ActivityRow,
    agenda: Option<Vec<zeren_store::activity::AgendaRow>>,
    changed: bool,
}

pub(crate) async fn run(
    ctx: &mut Ctx<'_>,
    c: &mut Conn,
    rows: &[DataRow],
    write: bool,
) -> AppResult<()> {
    let orgs = OrgIndex::load(c, &ctx.who.scope_paths()).await?;
    let people = PeopleIndex::load(c, &ctx.column_texts(rows, &["host", "recorder"])).await?;
    let mut seen = HashMap::new();
    let codes: Vec<Option<i64>> = rows
        .iter()
        .map(|r| ctx.code(r, &mut seen).ok().flatten())
        .collect();
    let ids: Vec<i64> = codes.iter().flatten().copied().collect();
    let existing: HashMap<i64, ActivityRow> =
        zeren_store::import::by_ids::<ActivityRow>(c, "activities", ACTIVITY_COLS, &ids)
            .await?
            .into_iter()
            .filter(|a| ctx.writable(&a.org_path, Permission::WriteScope))
            .map(|a| (a.id, a))
            .collect();
    let mut plans = Vec::new();
    for (r, code) in rows.iter().zip(codes) {
        let old = match code {
            Some(id) => match existing.get(&id) {
                Some(a) => Some(a.clone()),
                None => {
                    ctx.unknown_code(r, id);
                    continue;
                }
            },
            None => None,
        };
        // a record kept with its list of names derives its counts from that list
        let listed = match &old {
            Some(a) => zeren_store::activity::people(c, a.id).await?.len(),
            None => 0,
        };
        if let Some(p) = check(ctx, r, old, listed > 0, &orgs, &people) {
            plans.push(p);
        }
    }
    for p in &plans {
        match &p.existing {
            None => ctx.rep.inserted += 1,
            Some(_) if !p.changed => ctx.rep.unchanged += 1,
            Some(_) => ctx.rep.updated += 1,
        }
    }
    if !write || !ctx.rep.ok() {
        return Ok(());
    }
    for p in plans {
        let detail = format!(
            "{} {} 应到{} 实到{} 请假{}",
            kind_label(&p.row.kind),
            p.row
                .held_on
                .as_deref()
                .or(p.row.planned_on.as_deref())
                .unwrap_or(""),
            p.row.expected_count,
            p.row.present_count,
            p.row.leave_count
        );
        match &p.existing {
            None => {
                let id = zeren_store::activity::insert(c, &p.row).await?;
                if let Some(a) = &p.agenda {
                    zeren_store::activity::set_agenda(c, id, a).await?;
                }
                ctx.batch
                    .hist("activity", id, "登记", format!("{detail}（Excel 导入）"));
                ctx.batch.audit(
                    AuditAction::ActivityCreate,
                    "activity",
                    id,
                    &p.row.org_path,
                    format!("{detail}（Excel 导入）"),
                );
            }
            Some(_) if !p.changed => {}
            Some(old) => {
                zeren_store::activity::update(c, &p.row, old.updated_at).await?;
                if let Some(a) = &p.agenda {
                    zeren_store::activity::set_agenda(c, old.id, a).await?;
                }
                ctx.batch.hist(
                    "activity",
                    old.id,
                    "修改",
                    format!("{detail}（Excel 导入）"),
                );
                ctx.batch.audit(
                    AuditAction::ActivityUpdate,
                    "activity",
                    old.id,
                    &old.org_path,
                    format!("{detail}（Excel 导入）"),
                );
            }
        }
    }
    Ok(())
}

fn check(
    ctx: &mut Ctx<'_>,
    r: &DataRow,
    old: Option<ActivityRow>,
    listed: bool,
    orgs: &OrgIndex,
    people: &PeopleIndex,
) -> Option<Planned> {
    let before = ctx.rep.error_count;
    let org = ctx.org(r, "org", orgs, Permission::WriteScope, "登记组织生活");
    if let (Some(i), Some(o)) = (org, &old) {
        if orgs.get(i).id != o.org_id {
            ctx.err(
                r,
                Some("org"),
                "组织生活记录的党组织不能通过导入更改",
                "请保留原党组织，或删去编号作为新记录导入",
            );
        }
    }
    if let Some(o) = &old {
        if o.state == "cancelled" {
            ctx.err(
                r,
                Some(sheet::CODE),
                "该记录已取消，不能修改",
                "请删去这一行，或删去编号作为新记录导入",
            );
        }
    }
    let kind = match ctx.required(r, "kind") {
        Some(t) => match match_kind(&t) {
            Some(k) => Some(k),
            None => {
                ctx.err(
                    r,
                    Some("kind"),
                    format!("会议类型“{t}”不在可选范围内"),
                    format!("请填写：{}", kind_labels().join("、")),
                );
                None
            }
        },
        None => None,
    };
    let state = match ctx.text(r, "state").as_deref().map(norm).as_deref() {
        None | Some("已召开") | Some("已开") | Some("已完成") | Some("held") => "held",
        Some("计划召开") | Some("计划") | Some("未召开") | Some("planned") => "planned",
        Some(other) => {
            ctx.err(
                r,
                Some("state"),
                format!("状态“{other}”无法识别"),
                "请填写“已召开”或“计划召开”；取消记录请在系统中操作",
            );
            "held"
        }
    };
    let held = ctx.date(r, "held_on", false);
    let (start_time, end_time) = ctx
        .text(r, "held_on")
        .map(|t| sheet::parse_time_range(&t))
        .unwrap_or((None, None));
    let planned = ctx.date(r, "planned_on", false);
    let (host, recorder) = match org {
        Some(i) => (
            ctx.person(r, "host", people, orgs, i),
            ctx.person(r, "recorder", people, orgs, i),
        ),
        None => (Ok(None), Ok(None)),
    };
    let host_id = if ctx.cols.has("host") {
        host.ok().flatten()
    } else {
        old.as_ref().and_then(|a| a.host_id)
    };
    let recorder_id = if ctx.cols.has("recorder") {
        recorder.ok().flatten()
    } else {
        old.as_ref().and_then(|a| a.recorder_id)
    };
    let counts = (
        ctx.count(r, "expected"),
        ctx.count(r, "present"),
        ctx.count(r, "leave"),
    );
    let text_or_old = |ctx: &Ctx<'_>, key: &str, old_v: Option<String>| -> Option<String> {
        if ctx.cols.has(key) {
            ctx.text(r, key)
        } else {
            old_v
        }
    };
    let topic = text_or_old(ctx, "topic", old.as_ref().and_then(|a| a.topic.clone()));
    let agenda: Vec<AgendaInput> = match (kind, &topic) {
        (Some(ActivityKind::CommitteeMeeting), Some(t)) if ctx.cols.has("topic") => {
            sheet::split_items(t)
                .into_iter()
                .map(|line| AgendaInput {
                    first_topic: line.contains("第一议题"),
                    title: line,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let present = counts.1.or(old.as_ref().map(|a| a.present_count));
    let expected = counts
        .0
        .or(old.as_ref().map(|a| a.expected_count))
        // 应到 not given: those present and on leave were due
        .or(present.map(|p| p + counts.2.unwrap_or(0)));
    let leave = counts.2.or(old.as_ref().map(|a| a.leave_count)).or(Some(0));
    let input = ActivityInput {
        org_id: org.map(|i| orgs.get(i).id).unwrap_or(0),
        kind: kind.map(|k| k.as_str()).unwrap_or("").to_string(),
        state: state.to_string(),
        title: text_or_old(ctx, "title", old.as_ref().map(|a| a.title.clone())),
        planned_on: planned.map(|d| d.to_string()).or_else(|| {
            (!ctx.cols.has("planned_on"))
                .then(|| old.as_ref().and_then(|a| a.planned_on.clone()))
                .flatten()
        }),
        held_on: held.map(|d| d.to_string()),
        start_time,
        end_time,
        place: text_or_old(ctx, "place", old.as_ref().and_then(|a| a.place.clone())),
        host_id,
        recorder_id,
        expected_count: expected,
        present_count: present,
        leave_count: leave,
        observers: text_or_old(
            ctx,
            "observers",
            old.as_ref().and_then(|a| a.observers.clone()),
        ),
        topic: topic.clone(),
        content: text_or_old(ctx, "content", old.as_ref().and_then(|a| a.content.clone())),
        decisions: text_or_old(
            ctx,
            "decisions",
            old.as_ref().and_then(|a| a.decisions.clone()),
        ),
        agenda,
        opinions: old.as_ref().and_then(|a| a.opinions.clone()),
        outcomes: old.as_ref().and_then(|a| a.outcomes.clone()),
        matters: old.as_ref().and_then(|a| a.matters.clone()),
        ..Default::default()
    };
    if kind.is_some() && ctx.rep.error_count == before {
        let (ck, errs) = check_fields(&input, ctx.today);
        if !errs.is_empty() {
            ctx.field_errors(
                r,
                errs,
                &[
                    ("kind", "kind"),
                    ("state", "state"),
                    ("held_on", "held_on"),
                    ("planned_on", "planned_on"),
                    ("start_time", "held_on"),
                    ("end_time", "held_on"),
                    ("title", "title"),
                    ("place", "place"),
                    ("observers", "observers"),
                    ("topic", "topic"),
                    ("content", "content"),
                    ("decisions", "decisions"),
                    ("expected_count", "expected"),
                    ("present_count", "present"),
                    ("leave_count", "leave"),
                    ("agenda", "topic"),
                ],
            );
            return None;
        }
        if let Some(o) = old.as_ref().filter(|_| listed) {
            if (
                ck.row.expected_count,
                ck.row.present_count,
                ck.row.leave_count,
            ) != (o.expected_count, o.present_count, o.leave_count)
            {
                ctx.err(
                    r,
                    Some("present"),
                    format!(
                        "该记录按参会名单登记（应到{} 实到{} 请假{}），人数不能通过导入更改",
                        o.expected_count, o.present_count, o.leave_count
                    ),
                    "请保留原人数；如需更正请在系统中修改参会名单",
                );
                return None;
            }
        }
        let o = orgs.get(org?);
        let row = ActivityRow {
            id: old.as_ref().map(|a| a.id).unwrap_or(0),
            org_id: o.id,
            org_path: o.path.clone(),
            created_by: old
                .as_ref()
                .map(|a| a.created_by)
                .unwrap_or(ctx.who.user_id()),
            created_at: old.as_ref().map(|a| a.created_at).unwrap_or(ctx.now),
            updated_at: match &old {
                Some(a) => ctx.now.max(a.updated_at + 1),
                None => ctx.now,
            },
            cancel_reason: None,
            ..ck.row.clone()
        };
        let agenda = (kind == Some(ActivityKind::CommitteeMeeting) && ctx.cols.has("topic"))
            .then(|| ck.agenda.clone());
        let changed = match &old {
            None => true,
            Some(a) => {
                let same = ActivityRow {
                    updated_at: a.updated_at,
                    ..row.clone()
                };
                same != *a
            }
        };
        return Some(Planned {
            existing: old,
            row,
            agenda,
            changed,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_match_labels_and_variants() {
        assert_eq!(match_kind("党课"), Some(ActivityKind::PartyLecture));
        assert_eq!(
            match_kind("支部委员会"),
            Some(ActivityKind::BranchCommittee)
        );
        assert_eq!(match_kind("支委会"), Some(ActivityKind::BranchCommittee));
        assert_eq!(
            match_kind("三会一课：党课"),
            Some(ActivityKind::PartyLecture)
        );
        assert_eq!(match_kind("theme_day"), Some(ActivityKind::ThemeDay));
        assert_eq!(match_kind("党委会"), Some(ActivityKind::CommitteeMeeting));
        assert_eq!(match_kind("座谈会"), None);
    }
}
