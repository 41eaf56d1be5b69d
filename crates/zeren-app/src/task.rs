//! Responsibility-list use cases: create, decompose downwards, report progress with
//! evidence, submit, and review by the issuing org.
use zeren_core::task::{Rollup, TaskAction};
use zeren_core::validate;
use zeren_core::{Permission, TaskState, ValidationErrors};
use zeren_store::evidence::{self, EvidenceRow};
use zeren_store::history::{self, HistoryRow};
use zeren_store::task::{self, ReportRow, TaskFilter, TaskListRow, TaskRow};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::evidence::Upload;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub org_id: i64,
    pub category: String,
    pub subject: String,
    pub title: String,
    pub content: String,
    pub leader_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deadline: String,
}

pub struct TaskDetail {
    pub task: TaskListRow,
    pub row: TaskRow,
    pub content: String,
    pub plan_title: Option<String>,
    pub parent: Option<TaskListRow>,
    pub children: Vec<TaskListRow>,
    pub rollup: Rollup,
    pub reports: Vec<(ReportRow, Vec<EvidenceRow>)>,
    pub evidence: Vec<EvidenceRow>,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
    pub can_review: bool,
    pub can_decompose: bool,
}

pub fn validate_task(input: &TaskInput) -> Result<(String, String), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let title = validate::text(&mut errs, "title", "任务名称", &input.title, 100);
    let deadline = validate::date(&mut errs, "deadline", "完成期限", &input.deadline);
    if input.content.chars().count() > 2000 {
        errs.add("content", "任务内容不能超过2000字");
    }
    if input.category.chars().count() > 40 {
        errs.add("category", "类别不能超过40字");
    }
    errs.into_result()?;
    Ok((title, deadline.map(|d| d.to_string()).unwrap_or_default()))
}

pub(crate) async fn hist(
    c: &mut Conn,
    actor: &Actor,
    kind: &str,
    id: i64,
    action: &str,
    detail: &str,
) -> AppResult<()> {
    history::add(
        c,
        history::Entry {
            kind,
            id,
            at: clock::now(),
            actor_id: Some(actor.user_id),
            actor_name: &actor.display_name,
            action,
            detail,
        },
    )
    .await?;
    Ok(())
}

impl App {
    pub async fn tasks(
        &self,
        actor: &Actor,
        f: TaskFilter,
        paging: Paging,
    ) -> AppResult<Page<TaskListRow>> {
        let mut c = self.store.conn().await?;
        let f = TaskFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = task::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    async fn task_for(&self, c: &mut Conn, actor: &Actor, id: i64) -> AppResult<TaskRow> {
        Ok(task::get_in(c, &actor.read_scope(), id).await?)
    }

    fn may_write_task(actor: &Actor, t: &TaskRow) -> bool {
        actor.can_at(Permission::WriteScope, &t.org_path)
            || (actor.has(Permission::OwnItems)
                && actor.person_id.is_some()
                && (t.person_id == actor.person_id || t.leader_id == actor.person_id))
    }

    async fn may_review_task(&self, c: &mut Conn, actor: &Actor, t: &TaskRow) -> AppResult<bool> {
        let issuing = zeren_store::org::get(c, t.issuing_org_id).await?;
        Ok(actor.can_at(Permission::Review, &issuing.path))
    }

    pub async fn task_detail(&self, actor: &Actor, id: i64) -> AppResult<TaskDetail> {
        let mut c = self.store.conn().await?;
        let row = self.task_for(&mut c, actor, id).await?;
        let list_row = task::list_row(&mut c, id).await?;
        let scope = actor.read_scope();
        let parent = match row.parent_id {
            Some(pid) if task::get_in(&mut c, &scope, pid).await.is_ok() => {
                Some(task::list_row(&mut c, pid).await?)
            }
            _ => None,
        };
        let children = task::children(&mut c, id).await?;
        let rollup = task::rollup(&mut c, id, &clock::today_str()).await?;
        let mut reports = Vec::new();
        for r in task::reports(&mut c, id).await? {
            let ev = evidence::of(&mut c, "task_report", r.id).await?;
            reports.push((r, ev));
        }
        let evidence = evidence::of(&mut c, "task", id).await?;
        let history = history::of(&mut c, "task", id).await?;
        let plan_title = match row.plan_id {
            Some(p) => Some(zeren_store::plan::get(&mut c, p).await?.title),
            None => None,
        };
        let can_review = self.may_review_task(&mut c, actor, &row).await?;
        Ok(TaskDetail {
            can_write: Self::may_write_task(actor, &row),
            can_decompose: actor.can_at(Permission::WriteScope, &row.org_path),
            can_review,
            content: row.content.clone(),
            task: list_row,
            row,
            plan_title,
            parent,
            children,
            rollup,
            reports,
            evidence,
            history,
        })
    }

    /// A new task for `input.org_id`, issued by the actor's org above it (or itself).
    pub async fn task_create(&self, actor: &Actor, input: TaskInput) -> AppResult<i64> {
        let (title, deadline) = validate_task(&input)?;
        let mut tx = self.store.begin_write().await?;
        let org = zeren_store::org::get(tx.conn(), input.org_id)
            .await
            .map_err(|_| crate::error::invalid("org_id", "责任单位不存在"))?;
        if !actor.read_scope().contains_path(&org.path) {
            // out of scope reads as nonexistent, so org ids of other units cannot be probed
            return Err(crate::error::invalid("org_id", "责任单位不存在"));
        }
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只能向本级及下级组织下达任务",
        )?;
        // the issuing org: the actor's own org that contains the responsible org
        let issuing = actor
            .roles
            .iter()
            .filter(|(r, row)| {
                r.permits(Permission::WriteScope) && org.path.starts_with(row.org_path.as_str())
            })
            .map(|(_, row)| row.org_id)
            .next()
            .unwrap_or(org.id);
        self.check_people(tx.conn(), &org.path, &input).await?;
        let now = clock::now();
        let row = TaskRow {
            id: 0,
            plan_id: None,
            parent_id: None,
            org_id: org.id,
            org_path: org.path.clone(),
            issuing_org_id: issuing,
            category: input.category.trim().to_string(),
            subject: subject_or_default(&input.subject),
            title,
            content: input.content.trim().to_string(),
            leader_id: input.leader_id,
            person_id: input.person_id,
            deadline,
            state: TaskState::NotStarted.as_str().into(),
            created_at: now,
            updated_at: now,
            completed_at: None,
        };
        let id = task::insert(tx.conn(), &row).await?;
        hist(tx.conn(), actor, "task", id, "创建任务", &row.title).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::TaskCreate, "task", id, &org.path),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Responsible people must belong to the responsible org's subtree.
    async fn check_people(&self, c: &mut Conn, org_path: &str, input: &TaskInput) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        for (field, label, pid) in [
            ("leader_id", "责任领导", input.leader_id),
            ("person_id", "责任人", input.person_id),
        ] {
            if let Some(pid) = pid {
                match zeren_store::person::get(c, pid).await {
                    Ok(p)
                        if p.org_path.starts_with(org_path)
                            || org_path.starts_with(p.org_path.as_str()) => {}
                    _ => errs.add(field, format!("{label}不属于责任单位")),
                }
            }
        }
        Ok(errs.into_result()?)
    }

    /// Issues task `id` to each org in `org_ids` (分解下达): each gets its own child
    /// task, with the same content and a deadline no later than the parent's.
    pub async fn task_decompose(
        &self,
        actor: &Actor,
        id: i64,
        org_ids: &[i64],
        deadline: Option<&str>,
        note: &str,
    ) -> AppResult<Vec<i64>> {
        if org_ids.is_empty() {
            return Err(crate::error::invalid("org_ids", "请至少选择一个下级组织"));
        }
        let mut tx = self.store.begin_write().await?;
        let parent = self.task_for(tx.conn(), actor, id).await?;
        actor.require_at(
            Permission::WriteScope,
            &parent.org_path,
            "只有任务的责任单位可以分解下达",
        )?;
        if parent.state == TaskState::Done.as_str() {
            return Err(AppError::Conflict("任务已完成，不能再分解".into()));
        }
        let mut errs = ValidationErrors::new();
        let dl = match deadline.map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => validate::date(&mut errs, "deadline", "完成期限", d).map(|d| d.to_string()),
            None => Some(parent.deadline.clone()),
        };
        if let Some(d) = &dl {
            if d > &parent.deadline {
                errs.add(
                    "deadline",
                    format!("下级期限不能晚于上级任务期限 {}", parent.deadline),
                );
            }
        }
        let existing: Vec<i64> = task::children(tx.conn(), id)
            .await?
            .iter()
            .map(|c| c.org_id)
            .collect();
        let mut targets = Vec::new();
        for oid in org_ids {
            match zeren_store::org::get(tx.conn(), *oid).await {
                Ok(o)
                    if o.path.starts_with(parent.org_path.as_str())
                        && o.id != parent.org_id
                        && o.closed_at.is_none() =>
                {
                    if existing.contains(oid) {
                        errs.add("org_ids", format!("已向“{}”下达过该任务", o.name));
                    } else {
                        targets.push(o);
                    }
                }
                _ => errs.add(
                    "org_ids",
                    format!("组织 {oid} 不是该任务责任单位的下级组织"),
                ),
            }
        }
        errs.into_result()?;
        let deadline = dl.unwrap_or_else(|| parent.deadline.clone());
        let now = clock::now();
        let mut ids = Vec::new();
        for o in &targets {
            let mut content = parent.content.clone();
            if !note.trim().is_empty() {
                content.push_str(&format!("\n分解要求：{}", note.trim()));
            }
            let child = TaskRow {
                id: 0,
                plan_id: parent.plan_id,
                parent_id: Some(parent.id),
                org_id: o.id,
                org_path: o.path.clone(),
                issuing_org_id: parent.org_id,
                category: parent.category.clone(),
                subject: parent.subject.clone(),
                title: parent.title.clone(),
                content,
                leader_id: None,
                person_id: None,
                deadline: deadline.clone(),
                state: TaskState::NotStarted.as_str().into(),
                created_at: now,
                updated_at: now,
                completed_at: None,
            };
            let cid = task::insert(tx.conn(), &child).await?;
            hist(
                tx.conn(),
                actor,
                "task",
                cid,
                "接收下达任务",
                &format!("由任务 #{} 分解", parent.id),
            )
            .await?;
            ids.push(cid);
        }
        if parent.state == TaskState::NotStarted.as_str() {
            task::set_state(tx.conn(), &parent, TaskState::InProgress.as_str(), now).await?;
        }
        let names: Vec<&str> = targets.iter().map(|o| o.name.as_str()).collect();
        hist(
            tx.conn(),
            actor,
            "task",
            parent.id,
            "分解下达",
            &names.join("、"),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::TaskDecompose,
                "task",
                parent.id,
                &parent.org_path,
            )
            .detail(format!("{} 个下级", ids.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Records progress (with optional evidence). `submit` also asks the issuing org
    /// to review; submitting needs evidence on the task.
    pub async fn task_report(
        &self,
        actor: &Actor,
        id: i64,
        body: &str,
        files: &[Upload],
        submit: bool,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let body = validate::text(&mut errs, "body", "进展情况", body, 2000);
        errs.into_result()?;
        self.check_uploads("files", files)?;
        let mut tx = self.store.begin_write().await?;
        let t = self.task_for(tx.conn(), actor, id).await?;
        if !Self::may_write_task(actor, &t) {
            return Err(AppError::Forbidden(
                "只有责任单位或责任人可以报告进展".into(),
            ));
        }
        let state = TaskState::parse(&t.state).ok_or(AppError::NotFound)?;
        let action = if submit {
            TaskAction::Submit
        } else {
            TaskAction::Report
        };
        let next = state.after(action).ok_or_else(|| {
            AppError::Conflict(format!(
                "任务当前状态为“{}”，不能{}",
                state.label(),
                if submit {
                    "提交审核"
                } else {
                    "报告进展"
                }
            ))
        })?;
        let now = clock::now();
        let rid = task::insert_report(tx.conn(), id, Some(actor.user_id), &body, now).await?;
        self.attach_all(tx.conn(), actor, "task_report", rid, &t.org_path, files)
            .await?;
        if submit {
            let n: i64 = evidence_count_of_task(tx.conn(), id).await?;
            if n == 0 {
                return Err(crate::error::invalid("files", "提交审核须附佐证材料"));
            }
        }
        task::set_state(tx.conn(), &t, next.as_str(), now).await?;
        hist(
            tx.conn(),
            actor,
            "task",
            id,
            if submit {
                "提交审核"
            } else {
                "报告进展"
            },
            &body,
        )
        .await?;
        let a = if submit {
            AuditAction::TaskSubmit
        } else {
            AuditAction::TaskReport
        };
        audit::by_actor(tx.conn(), actor, Event::ok(a, "task", id, &t.org_path)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The issuing org approves, or returns with a reason.
    pub async fn task_review(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let t = self.task_for(tx.conn(), actor, id).await?;
        if !self.may_review_task(tx.conn(), actor, &t).await? {
            return Err(AppError::Forbidden("只有下达任务的组织可以审核".into()));
        }
        let reason = reason.trim();
        if !approve && reason.is_empty() {
            return Err(crate::error::invalid("reason", "退回须说明理由"));
        }
        let state = TaskState::parse(&t.state).ok_or(AppError::NotFound)?;
        let next = state
            .after(if approve {
                TaskAction::Approve
            } else {
                TaskAction::Return
            })
            .ok_or_else(|| {
                AppError::Conflict(format!("任务当前状态为“{}”，不能审核", state.label()))
            })?;
        let now = clock::now();
        task::set_state(tx.conn(), &t, next.as_str(), now).await?;
        hist(
            tx.conn(),
            actor,
            "task",
            id,
            if approve { "审核通过" } else { "退回" },
            reason,
        )
        .await?;
        let a = if approve {
            AuditAction::TaskApprove
        } else {
            AuditAction::TaskReturn
        };
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(a, "task", id, &t.org_path).detail(reason),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn subject_or_default(s: &str) -> String {
    match s {
        "committee" | "secretary" | "team_member" | "discipline" => s.to_string(),
        _ => "committee".to_string(),
    }
}

async fn evidence_count_of_task(c: &mut Conn, id: i64) -> AppResult<i64> {
    let mut n = evidence::count_of(c, "task", id).await?;
    for r in task::reports(c, id).await? {
        n += evidence::count_of(c, "task_report", r.id).await?;
    }
    Ok(n)
}
