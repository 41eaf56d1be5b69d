//! 责任清单: one row per task. A new task starts 未开始 like one created in the
//! form, issued by the importer's org above the responsible org; state comes only
//! from reporting and review, never from a sheet.
use std::collections::HashMap;

use zeren_core::{Permission, TaskState};
use zeren_store::task::TaskRow;
use zeren_store::Conn;

use super::refs::{norm, OrgIndex, PeopleIndex};
use super::{Ctx, DataRow};
use crate::audit::AuditAction;
use crate::task::TaskInput;
use crate::AppResult;

/// Responsibility subjects: key and the words a sheet may use.
const SUBJECTS: [(&str, &[&str]); 4] = [
    (
        "committee",
        &[
            "党委主体责任",
            "党委（党组）",
            "党委",
            "党组",
            "党总支",
            "党支部",
            "主体责任",
        ],
    ),
    ("secretary", &["书记第一责任人", "第一责任人", "书记"]),
    ("team_member", &["班子成员一岗双责", "一岗双责", "班子成员"]),
    (
        "discipline",
        &["纪检监督责任", "监督责任", "纪检机构", "纪委", "纪检"],
    ),
];

pub fn subject_labels() -> Vec<&'static str> {
    SUBJECTS.iter().map(|(_, w)| w[0]).collect()
}

fn match_subject(t: &str) -> Option<&'static str> {
    let t = norm(t);
    SUBJECTS
        .iter()
        .find(|(k, words)| *k == t || words.iter().any(|w| norm(w) == t))
        .map(|(k, _)| *k)
}

const TASK_COLS: &str = "id, plan_id, parent_id, org_id, org_path, issuing_org_id, category, subject, title, content, leader_id, person_id, deadline, state, created_at, updated_at, completed_at";

struct Planned {
    existing: Option<TaskRow>,
    row: TaskRow,
    changed: Vec<&'static str>,
}

pub(crate) async fn run(
    ctx: &mut Ctx<'_>,
    c: &mut Conn,
    rows: &[DataRow],
    write: bool,
) -> AppResult<()> {
    let orgs = OrgIndex::load(c, &ctx.who.scope_paths()).await?;
    let people = PeopleIndex::load(c, &ctx.column_texts(rows, &["leader", "person"])).await?;
    let mut seen = HashMap::new();
    let codes: Vec<Option<i64>> = rows
        .iter()
        .map(|r| ctx.code(r, &mut seen).ok().flatten())
        .collect();
    let ids: Vec<i64> = codes.iter().flatten().copied().collect();
    let existing: HashMap<i64, TaskRow> =
        zeren_store::import::by_ids::<TaskRow>(c, "tasks", TASK_COLS, &ids)
            .await?
            .into_iter()
            .filter(|t| ctx.writable(&t.org_path, Permission::WriteScope))
            .map(|t| (t.id, t))
            .collect();
    let mut plans = Vec::new();
    for (r, code) in rows.iter().zip(codes) {
        let old = match code {
            Some(id) => match existing.get(&id) {
                Some(t) => Some(t.clone()),
                None => {
                    ctx.unknown_code(r, id);
                    continue;
                }
            },
            None => None,
        };
        if let Some(p) = check(ctx, r, old, &orgs, &people) {
            plans.push(p);
        }
    }
    for p in &plans {
        match &p.existing {
            None => ctx.rep.inserted += 1,
            Some(_) if p.changed.is_empty() => ctx.rep.unchanged += 1,
            Some(_) => ctx.rep.updated += 1,
        }
    }
    if !write || !ctx.rep.ok() {
        return Ok(());
    }
    for p in plans {
        match p.existing {
            None => {
                let id = zeren_store::task::insert(c, &p.row).await?;
                ctx.batch.hist(
                    "task",
                    id,
                    "创建任务",
                    format!("{}（Excel 导入）", p.row.title),
                );
                ctx.batch.audit(
                    AuditAction::TaskCreate,
                    "task",
                    id,
                    &p.row.org_path,
                    "Excel 导入".into(),
                );
            }
            Some(_) if p.changed.is_empty() => {}
            Some(old) => {
                zeren_store::task::update_fields(c, &p.row, ctx.now).await?;
                let detail = format!("修改：{}", p.changed.join("、"));
                ctx.batch.hist("task", old.id, "导入更新", detail.clone());
                ctx.batch.audit(
                    AuditAction::TaskUpdate,
                    "task",
                    old.id,
                    &old.org_path,
                    detail,
                );
            }
        }
    }
    Ok(())
}

fn check(
    ctx: &mut Ctx<'_>,
    r: &DataRow,
    old: Option<TaskRow>,
    orgs: &OrgIndex,
    people: &PeopleIndex,
) -> Option<Planned> {
    let before = ctx.rep.error_count;
    let org = ctx.org(r, "org", orgs, Permission::WriteScope, "下达任务");
    if let (Some(i), Some(o)) = (org, &old) {
        if orgs.get(i).id != o.org_id {
            ctx.err(
                r,
                Some("org"),
                "任务的责任单位不能通过导入更改",
                "请保留原责任单位；改由其他单位承担请在系统中分解下达",
            );
        }
    }
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
        old.as_ref().and_then(|t| t.leader_id)
    };
    let person_id = if ctx.cols.has("person") {
        person.ok().flatten()
    } else {
        old.as_ref().and_then(|t| t.person_id)
    };
    let subject = match ctx.text(r, "subject") {
        None => old
            .as_ref()
            .map(|t| t.subject.clone())
            .unwrap_or_else(|| "committee".into()),
        Some(t) => match match_subject(&t) {
            Some(k) => k.to_string(),
            None => {
                ctx.err(
                    r,
                    Some("subject"),
                    format!("责任主体“{t}”不在可选范围内"),
                    format!("请填写：{}", subject_labels().join("、")),
                );
                String::new()
            }
        },
    };
    let title = ctx.required(r, "title").unwrap_or_default();
    let content = if ctx.cols.has("content") {
        ctx.text(r, "content").unwrap_or_default()
    } else {
        old.as_ref().map(|t| t.content.clone()).unwrap_or_default()
    };
    let category = if ctx.cols.has("category") {
        ctx.text(r, "category").unwrap_or_default()
    } else {
        old.as_ref().map(|t| t.category.clone()).unwrap_or_default()
    };
    let deadline = if ctx.text(r, "deadline").is_some() {
        ctx.date(r, "deadline", true)
    } else {
        ctx.required(r, "deadline");
        None
    };
    let input = TaskInput {
        org_id: 0,
        category: category.clone(),
        subject: subject.clone(),
        title: title.clone(),
        content: content.clone(),
        leader_id,
        person_id,
        deadline: deadline.map(|d| d.to_string()).unwrap_or_default(),
    };
    if deadline.is_some() && !title.is_empty() {
        if let Err(errs) = crate::task::validate_task(&input) {
            ctx.field_errors(
                r,
                errs,
                &[
                    ("title", "title"),
                    ("deadline", "deadline"),
                    ("content", "content"),
                    ("category", "category"),
                ],
            );
        }
    }
    if ctx.rep.error_count > before {
        return None;
    }
    let o = orgs.get(org?);
    let row = TaskRow {
        id: old.as_ref().map(|t| t.id).unwrap_or(0),
        plan_id: old.as_ref().and_then(|t| t.plan_id),
        parent_id: old.as_ref().and_then(|t| t.parent_id),
        org_id: o.id,
        org_path: o.path.clone(),
        issuing_org_id: old
            .as_ref()
            .map(|t| t.issuing_org_id)
            .or_else(|| ctx.who.issuing_for(&o.path))
            .unwrap_or(o.id),
        category: category.trim().to_string(),
        subject,
        title: title.trim().to_string(),
        content: content.trim().to_string(),
        leader_id,
        person_id,
        deadline: deadline?.to_string(),
        state: old
            .as_ref()
            .map(|t| t.state.clone())
            .unwrap_or_else(|| TaskState::NotStarted.as_str().into()),
        created_at: old.as_ref().map(|t| t.created_at).unwrap_or(ctx.now),
        updated_at: ctx.now,
        completed_at: old.as_ref().and_then(|t| t.completed_at),
    };
    let changed = match &old {
        None => Vec::new(),
        Some(o) => {
            let mut v = Vec::new();
            if o.category != row.category {
                v.push("类别");
            }
            if o.title != row.title {
                v.push("任务");
            }
            if o.content != row.content {
                v.push("任务内容");
            }
            if o.leader_id != row.leader_id {
                v.push("责任领导");
            }
            if o.person_id != row.person_id {
                v.push("责任人");
            }
            if o.deadline != row.deadline {
                v.push("完成期限");
            }
            v
        }
    };
    Some(Planned {
        existing: old,
        row,
        changed,
    })
}
