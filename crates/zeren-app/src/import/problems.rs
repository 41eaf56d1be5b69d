//! 问题整改台账: one row per problem; the 整改措施 cell holds its measures, one per
//! line. A new problem starts 整改中 (on the books) like one entered in the form;
//! 整改进度 and 佐证材料 are kept as a note in its history only — closing needs
//! evidence uploaded in the system and a reviewer's sign-off, which no sheet can
//! give. Re-importing adds measures whose text is new and never removes any.
use std::collections::{HashMap, HashSet};

use zeren_core::sheet;
use zeren_core::{Permission, ProblemSource, ProblemState};
use zeren_store::import::NewMeasureRow;
use zeren_store::problem::ProblemRow;
use zeren_store::Conn;

use super::refs::{norm, OrgIndex, PeopleIndex};
use super::{Ctx, DataRow};
use crate::audit::AuditAction;
use crate::problem::ProblemInput;
use crate::AppResult;

/// The source a cell names: a label or key, or a text containing one label
/// (`市委巡察反馈` → 巡察).
pub fn match_source(text: &str) -> Option<ProblemSource> {
    let t = norm(text);
    if let Some(s) = ProblemSource::ALL
        .into_iter()
        .find(|s| s.label() == t || s.as_str() == t)
    {
        return Some(s);
    }
    let mut hits: Vec<ProblemSource> = ProblemSource::ALL
        .into_iter()
        .filter(|s| t.contains(s.label()) || (t.chars().count() >= 2 && s.label().starts_with(&t)))
        .collect();
    hits.sort_by_key(|s| std::cmp::Reverse(s.label().chars().count()));
    match hits.as_slice() {
        [one] => Some(*one),
        [first, rest @ ..] if rest.iter().all(|r| first.label().contains(r.label())) => {
            Some(*first)
        }
        _ => None,
    }
}

/// Labels of the sources, for messages and the template's drop-down.
pub fn source_labels() -> Vec<&'static str> {
    ProblemSource::ALL.iter().map(|s| s.label()).collect()
}

struct Planned {
    existing: Option<ProblemRow>,
    row: ProblemRow,
    /// Measures to add.
    measures: Vec<String>,
    /// Labels of the fields an update changes.
    changed: Vec<&'static str>,
    /// 整改进度 / 佐证材料 as typed, kept in the history line.
    note: String,
}

const PROBLEM_COLS: &str = "id, org_id, org_path, issuing_org_id, source, source_ref, title, description, category, leader_id, department, person_id, found_on, deadline, state, recurrence_of, closed_at, created_at, updated_at";

pub(crate) async fn run(
    ctx: &mut Ctx<'_>,
    c: &mut Conn,
    rows: &[DataRow],
    write: bool,
) -> AppResult<()> {
    let orgs = OrgIndex::load(c, &ctx.who.scope_paths()).await?;
    let people = PeopleIndex::load(c, &ctx.column_texts(rows, &["leader", "person"])).await?;
    // the records the codes name, if the importer may change them
    let mut seen = HashMap::new();
    let mut codes: Vec<Option<i64>> = Vec::with_capacity(rows.len());
    for r in rows {
        codes.push(ctx.code(r, &mut seen).ok().flatten());
    }
    let ids: Vec<i64> = codes.iter().flatten().copied().collect();
    let existing: HashMap<i64, ProblemRow> =
        zeren_store::import::by_ids::<ProblemRow>(c, "problems", PROBLEM_COLS, &ids)
            .await?
            .into_iter()
            .filter(|p| ctx.writable(&p.org_path, Permission::WriteScope))
            .map(|p| (p.id, p))
            .collect();
    let mut have: HashMap<i64, HashSet<String>> = HashMap::new();
    for (pid, content) in zeren_store::import::measure_contents(c, &ids).await? {
        have.entry(pid).or_default().insert(norm(&content));
    }
    let mut plans = Vec::new();
    for (r, code) in rows.iter().zip(codes) {
        let old = match code {
            Some(id) => match existing.get(&id) {
                Some(p) => Some(p.clone()),
                None => {
                    ctx.unknown_code(r, id);
                    continue;
                }
            },
            None => None,
        };
        if let Some(p) = check(ctx, r, old, &orgs, &people, &have) {
            plans.push(p);
        }
    }
    for p in &plans {
        ctx.rep.measures += p.measures.len();
        match &p.existing {
            None => ctx.rep.inserted += 1,
            Some(_) if p.changed.is_empty() && p.measures.is_empty() => ctx.rep.unchanged += 1,
            Some(_) => ctx.rep.updated += 1,
        }
    }
    if !write || !ctx.rep.ok() {
        return Ok(());
    }
    write_all(ctx, c, plans).await
}

fn check(
    ctx: &mut Ctx<'_>,
    r: &DataRow,
    old: Option<ProblemRow>,
    orgs: &OrgIndex,
    people: &PeopleIndex,
    have: &HashMap<i64, HashSet<String>>,
) -> Option<Planned> {
    let before = ctx.rep.error_count;
    let org = ctx.org(r, "org", orgs, Permission::WriteScope, "登记问题");
    if let (Some(i), Some(o)) = (org, &old) {
        if orgs.get(i).id != o.org_id {
            let was = orgs
                .by_id(o.org_id)
                .map(|j| orgs.get(j).name.clone())
                .unwrap_or_default();
            ctx.err(
                r,
                Some("org"),
                format!("该问题属于“{was}”，不能通过导入改到其他组织"),
                format!("请保留原党组织“{was}”，或删去编号作为新问题导入"),
            );
        }
    }
    let source = match ctx.required(r, "source") {
        Some(t) => match match_source(&t) {
            Some(s) => Some(s),
            None => {
                ctx.err(
                    r,
                    Some("source"),
                    format!("问题来源“{t}”不在可选范围内"),
                    format!("请填写：{}", source_labels().join("、")),
                );
                None
            }
        },
        None => None,
    };
    // 问题概述 is the title; a ledger with only 问题描述 gets its title from there
    let title_cell = ctx.text(r, "title");
    let desc_cell = ctx.text(r, "description");
    let (title, description) = match (&title_cell, &desc_cell) {
        (Some(t), d) => (t.clone(), d.clone().unwrap_or_default()),
        (None, Some(d)) if d.chars().count() <= 200 => (d.clone(), String::new()),
        (None, Some(d)) => {
            let head: String = d.chars().take(100).collect();
            (format!("{head}…"), d.clone())
        }
        (None, None) => match &old {
            Some(o) if !ctx.cols.has("title") && !ctx.cols.has("description") => {
                (o.title.clone(), o.description.clone())
            }
            _ => {
                ctx.err(
                    r,
                    Some(if ctx.cols.has("description") {
                        "description"
                    } else {
                        "title"
                    }),
                    "问题概述和问题描述都为空",
                    "请填写问题描述（或问题概述）",
                );
                (String::new(), String::new())
            }
        },
    };
    let description = match (&old, ctx.cols.has("description"), title_cell.is_some()) {
        // a sheet with 问题概述 but no 问题描述 column keeps the description
        (Some(o), false, true) => o.description.clone(),
        _ => description,
    };
    let (leader, person) = match org {
        Some(i) => (
            ctx.person(r, "leader", people, orgs, i),
            ctx.person(r, "person", people, orgs, i),
        ),
        None => (Ok(None), Ok(None)),
    };
    let leader_id = if ctx.cols.has("leader") {
        leader.ok().flatten()
    } else {
        old.as_ref().and_then(|o| o.leader_id)
    };
    let person_id = if ctx.cols.has("person") {
        person.ok().flatten()
    } else {
        old.as_ref().and_then(|o| o.person_id)
    };
    let keep = |ctx: &Ctx<'_>, key: &str, old_v: Option<String>| -> Option<String> {
        if ctx.cols.has(key) {
            ctx.text(r, key)
        } else {
            old_v
        }
    };
    let department = keep(
        ctx,
        "department",
        old.as_ref().and_then(|o| o.department.clone()),
    );
    let source_ref = keep(
        ctx,
        "source_ref",
        old.as_ref().and_then(|o| o.source_ref.clone()),
    );
    let category =
        keep(ctx, "category", old.as_ref().map(|o| o.category.clone())).unwrap_or_default();
    let deadline = if ctx.text(r, "deadline").is_some() {
        ctx.date(r, "deadline", true)
    } else {
        ctx.required(r, "deadline");
        None
    };
    let found = ctx.date(r, "found_on", false);
    let found_on = match (found, &old, deadline) {
        (Some(f), _, _) => Some(f),
        (None, Some(o), _) => chrono::NaiveDate::parse_from_str(&o.found_on, "%Y-%m-%d").ok(),
        // not given: the day it is entered, or the deadline when that is earlier
        (None, None, Some(d)) => Some(d.min(ctx.today)),
        (None, None, None) => Some(ctx.today),
    };
    let mut measures: Vec<String> = ctx
        .text(r, "measures")
        .map(|t| sheet::split_items(&t))
        .unwrap_or_default();
    for m in &measures {
        if m.chars().count() > 1000 {
            ctx.err(
                r,
                Some("measures"),
                format!(
                    "整改措施“{}…”超过1000字",
                    m.chars().take(20).collect::<String>()
                ),
                "请把过长的措施拆成几条，每条一行",
            );
        }
    }
    let mut dup = HashSet::new();
    measures.retain(|m| dup.insert(norm(m)));
    if let Some(o) = &old {
        let known = have.get(&o.id);
        measures.retain(|m| !known.is_some_and(|k| k.contains(&norm(m))));
        if !measures.is_empty() && o.state != ProblemState::Open.as_str() {
            let state = ProblemState::parse(&o.state)
                .map(|s| s.label())
                .unwrap_or("");
            ctx.err(
                r,
                Some("measures"),
                format!("问题已{state}，不能新增整改措施：{}", measures.join("；")),
                "已销号的问题须先重新打开；或删去这些措施",
            );
        }
    }
    // the same checks as the form
    let input = ProblemInput {
        org_id: org.map(|i| orgs.get(i).id).unwrap_or(0),
        issuing_org_id: None,
        source: source
            .map(|s| s.as_str())
            .unwrap_or("self_check")
            .to_string(),
        source_ref: source_ref.clone(),
        title: title.clone(),
        description: description.clone(),
        category: category.clone(),
        leader_id,
        department: department.clone(),
        person_id,
        found_on: found_on.map(|d| d.to_string()).unwrap_or_default(),
        deadline: deadline.map(|d| d.to_string()).unwrap_or_default(),
        recurrence_of: None,
    };
    let title_key = if title_cell.is_some() || !ctx.cols.has("description") {
        "title"
    } else {
        "description"
    };
    if deadline.is_some() && !title.is_empty() {
        if let Err(errs) = crate::problem::validate_problem(&input) {
            ctx.field_errors(
                r,
                errs,
                &[
                    ("title", title_key),
                    ("source", "source"),
                    ("description", "description"),
                    ("source_ref", "source_ref"),
                    ("department", "department"),
                    ("found_on", "found_on"),
                    ("deadline", "deadline"),
                ],
            );
        }
    }
    if ctx.rep.error_count > before {
        return None;
    }
    let (org, deadline) = (org?, deadline?);
    let o = orgs.get(org);
    let mut note = Vec::new();
    if let Some(p) = ctx.text(r, "progress") {
        note.push(format!("台账整改进度：{p}"));
    }
    if let Some(e) = ctx.text(r, "evidence") {
        note.push(format!("台账佐证材料：{e}"));
    }
    let row = ProblemRow {
        id: old.as_ref().map(|p| p.id).unwrap_or(0),
        org_id: o.id,
        org_path: o.path.clone(),
        issuing_org_id: old
            .as_ref()
            .map(|p| p.issuing_org_id)
            .or_else(|| ctx.who.issuing_for(&o.path))
            .unwrap_or(o.id),
        source: source?.as_str().to_string(),
        source_ref,
        title: title.trim().to_string(),
        description: description.trim().to_string(),
        category: category.trim().to_string(),
        leader_id,
        department,
        person_id,
        found_on: found_on?.to_string(),
        deadline: deadline.to_string(),
        state: old
            .as_ref()
            .map(|p| p.state.clone())
            .unwrap_or_else(|| ProblemState::Open.as_str().into()),
        recurrence_of: old.as_ref().and_then(|p| p.recurrence_of),
        closed_at: old.as_ref().and_then(|p| p.closed_at),
        created_at: old.as_ref().map(|p| p.created_at).unwrap_or(ctx.now),
        updated_at: ctx.now,
    };
    let changed = match &old {
        Some(o) => changes(o, &row),
        None => Vec::new(),
    };
    Some(Planned {
        existing: old,
        row,
        measures,
        changed,
        note: note.join("；"),
    })
}

fn changes(o: &ProblemRow, n: &ProblemRow) -> Vec<&'static str> {
    let mut v = Vec::new();
    if o.title != n.title {
        v.push("问题概述");
    }
    if o.description != n.description {
        v.push("问题描述");
    }
    if o.source != n.source {
        v.push("问题来源");
    }
    if o.source_ref != n.source_ref {
        v.push("来源批次");
    }
    if o.category != n.category {
        v.push("问题类别");
    }
    if o.leader_id != n.leader_id {
        v.push("责任领导");
    }
    if o.department != n.department {
        v.push("责任部门");
    }
    if o.person_id != n.person_id {
        v.push("责任人");
    }
    if o.found_on != n.found_on {
        v.push("发现日期");
    }
    if o.deadline != n.deadline {
        v.push("完成时限");
    }
    v
}

async fn write_all(ctx: &mut Ctx<'_>, c: &mut Conn, plans: Vec<Planned>) -> AppResult<()> {
    let new_count = plans.iter().filter(|p| p.existing.is_none()).count();
    let measure_count: usize = plans.iter().map(|p| p.measures.len()).sum();
    let mut pids = zeren_store::import::reserve_ids(c, "problems", new_count)
        .await?
        .into_iter();
    let mut mids = zeren_store::import::reserve_ids(c, "measures", measure_count)
        .await?
        .into_iter();
    let mut inserts: Vec<ProblemRow> = Vec::with_capacity(new_count);
    let mut measures: Vec<NewMeasureRow> = Vec::with_capacity(measure_count);
    let mut per_org: HashMap<String, i64> = HashMap::new();
    for mut p in plans {
        let is_new = p.existing.is_none();
        if is_new {
            p.row.id = pids.next().unwrap_or_default();
        }
        let id = p.row.id;
        let path = p.row.org_path.clone();
        let mids_of: Vec<i64> = p
            .measures
            .iter()
            .map(|_| mids.next().unwrap_or_default())
            .collect();
        let listed = p
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| format!("{}.{m}", i + 1))
            .collect::<Vec<_>>()
            .join("；");
        if is_new {
            // one act: the problem with its measures is one history line and one event
            // (a form records them one by one), so a ledger of 100,000 rows stays quick
            let mut detail = format!("{}（Excel 导入）", p.row.title);
            if !listed.is_empty() {
                detail.push_str(&format!("；整改措施：{listed}"));
            }
            if !p.note.is_empty() {
                detail.push('；');
                detail.push_str(&p.note);
            }
            ctx.batch.hist("problem", id, "登记问题", detail);
            let event = match (mids_of.first(), mids_of.last()) {
                (Some(a), Some(b)) => format!(
                    "Excel 导入，含整改措施 {} 条（措施 #{a}–#{b}）",
                    mids_of.len()
                ),
                _ => "Excel 导入".to_string(),
            };
            ctx.batch
                .audit(AuditAction::ProblemCreate, "problem", id, &path, event);
            *per_org.entry(path.clone()).or_default() += 1;
        } else {
            if !p.changed.is_empty() {
                zeren_store::problem::update_fields(c, &p.row, ctx.now).await?;
                let mut detail = format!("修改：{}", p.changed.join("、"));
                if !p.note.is_empty() {
                    detail.push('；');
                    detail.push_str(&p.note);
                }
                ctx.batch.hist("problem", id, "导入更新", detail.clone());
                ctx.batch
                    .audit(AuditAction::ProblemUpdate, "problem", id, &path, detail);
            }
            if !listed.is_empty() {
                ctx.batch.hist(
                    "problem",
                    id,
                    "新增整改措施",
                    format!("{listed}（Excel 导入）"),
                );
                for mid in &mids_of {
                    ctx.batch.audit(
                        AuditAction::MeasureCreate,
                        "measure",
                        *mid,
                        &path,
                        "Excel 导入".into(),
                    );
                }
            }
        }
        for (content, mid) in p.measures.into_iter().zip(mids_of) {
            measures.push((
                mid,
                id,
                path.clone(),
                content,
                p.row.person_id,
                p.row.deadline.clone(),
                ctx.now,
            ));
        }
        if is_new {
            inserts.push(p.row);
        }
    }
    zeren_store::import::insert_problems(c, inserts).await?;
    zeren_store::import::insert_measures(c, measures).await?;
    for (path, n) in per_org {
        zeren_store::counters::bump(c, "problem", &path, ProblemState::Open.as_str(), n).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_match_labels_and_phrases() {
        assert_eq!(match_source("巡察"), Some(ProblemSource::LocalInspection));
        assert_eq!(
            match_source(" 巡 视 "),
            Some(ProblemSource::CentralInspection)
        );
        assert_eq!(
            match_source("市委第三轮巡察反馈"),
            Some(ProblemSource::LocalInspection)
        );
        assert_eq!(
            match_source("主题教育"),
            Some(ProblemSource::SelfExamination)
        );
        assert_eq!(
            match_source("民主生活会查摆"),
            Some(ProblemSource::DemocraticLife)
        );
        assert_eq!(match_source("audit"), Some(ProblemSource::Audit));
        assert_eq!(match_source("自查自纠"), Some(ProblemSource::SelfCheck));
        assert_eq!(match_source("群众反映"), None);
        assert_eq!(match_source("巡视巡察"), None);
    }
}
