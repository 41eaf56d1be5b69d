//! The problem and rectification ledger: record problems, add measures, complete them
//! with evidence, and close (销号) only with a reviewer's sign-off.
use zeren_core::problem::{closing_blocker, MeasureStatus, ProblemAction};
use zeren_core::validate;
use zeren_core::{Permission, ProblemSource, ProblemState, ValidationErrors};
use zeren_store::evidence::{self, EvidenceRow};
use zeren_store::history::{self, HistoryRow};
use zeren_store::problem::{
    self, MeasureRow, NewMeasure, ProblemFilter, ProblemListRow, ProblemRow,
};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::evidence::Upload;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

#[derive(Debug, Clone, Default)]
pub struct ProblemInput {
    pub org_id: i64,
    pub issuing_org_id: Option<i64>,
    pub source: String,
    pub source_ref: Option<String>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub leader_id: Option<i64>,
    pub department: Option<String>,
    pub person_id: Option<i64>,
    pub found_on: String,
    pub deadline: String,
    pub recurrence_of: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct MeasureInput {
    pub content: String,
    pub owner_id: Option<i64>,
    pub deadline: String,
}

pub struct ProblemDetail {
    pub problem: ProblemListRow,
    pub row: ProblemRow,
    pub issuing_org_name: String,
    pub recurrence_of: Option<ProblemListRow>,
    pub measures: Vec<(MeasureRow, Vec<EvidenceRow>)>,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
    pub can_review: bool,
    /// Why closing cannot be requested now (None: it can).
    pub closing_blocker: Option<&'static str>,
}

pub(crate) fn validate_problem(
    input: &ProblemInput,
) -> Result<(String, String, String, String), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let title = validate::text(&mut errs, "title", "问题概述", &input.title, 200);
    if ProblemSource::parse(&input.source).is_none() {
        errs.add("source", "请选择问题来源");
    }
    if input.description.chars().count() > 4000 {
        errs.add("description", "问题详情不能超过4000字");
    }
    let _ = validate::opt_text(
        &mut errs,
        "source_ref",
        "来源批次",
        input.source_ref.as_deref(),
        60,
    );
    let _ = validate::opt_text(
        &mut errs,
        "department",
        "责任部门",
        input.department.as_deref(),
        60,
    );
    let found = validate::date(&mut errs, "found_on", "发现日期", &input.found_on);
    let deadline = validate::date(&mut errs, "deadline", "整改时限", &input.deadline);
    if let (Some(f), Some(d)) = (found, deadline) {
        if d < f {
            errs.add("deadline", "整改时限不能早于发现日期");
        }
    }
    if let Some(f) = found {
        if f > clock::today() {
            errs.add("found_on", "发现日期不能晚于今天");
        }
    }
    errs.into_result()?;
    Ok((
        title,
        input.source.clone(),
        found.map(|d| d.to_string()).unwrap_or_default(),
        deadline.map(|d| d.to_string()).unwrap_or_default(),
    ))
}

impl App {
    pub async fn problems(
        &self,
        actor: &Actor,
        f: ProblemFilter,
        paging: Paging,
    ) -> AppResult<Page<ProblemListRow>> {
        let mut c = self.store.conn().await?;
        let f = ProblemFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = problem::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    fn may_write_problem(actor: &Actor, p: &ProblemRow) -> bool {
        actor.can_at(Permission::WriteScope, &p.org_path)
            || (actor.has(Permission::OwnItems)
                && actor.person_id.is_some()
                && (p.person_id == actor.person_id || p.leader_id == actor.person_id))
    }

    async fn may_review_problem(
        &self,
        c: &mut Conn,
        actor: &Actor,
        p: &ProblemRow,
    ) -> AppResult<bool> {
        let issuing = zeren_store::org::get(c, p.issuing_org_id).await?;
        Ok(actor.can_at(Permission::Review, &issuing.path))
    }

    pub async fn problem_detail(&self, actor: &Actor, id: i64) -> AppResult<ProblemDetail> {
        let mut c = self.store.conn().await?;
        let scope = actor.read_scope();
        let row = problem::get_in(&mut c, &scope, id).await?;
        let list_row = problem::list_row(&mut c, id).await?;
        let issuing_org_name = zeren_store::org::get(&mut c, row.issuing_org_id)
            .await?
            .name;
        let recurrence_of = match row.recurrence_of {
            Some(r) if problem::get_in(&mut c, &scope, r).await.is_ok() => {
                Some(problem::list_row(&mut c, r).await?)
            }
            _ => None,
        };
        let ms = problem::measures(&mut c, id).await?;
        let ids: Vec<i64> = ms.iter().map(|m| m.id).collect();
        let all_ev = evidence::of_many(&mut c, "measure", &ids).await?;
        let statuses: Vec<MeasureStatus> = ms
            .iter()
            .map(|m| MeasureStatus {
                done: m.state == "done",
                evidence_count: m.evidence_count,
            })
            .collect();
        let measures = ms
            .into_iter()
            .map(|m| {
                let ev = all_ev
                    .iter()
                    .filter(|e| e.object_id == m.id)
                    .cloned()
                    .collect();
                (m, ev)
            })
            .collect();
        let history = history::of(&mut c, "problem", id).await?;
        let can_review = self.may_review_problem(&mut c, actor, &row).await?;
        Ok(ProblemDetail {
            can_write: Self::may_write_problem(actor, &row),
            closing_blocker: closing_blocker(&statuses),
            can_review,
            problem: list_row,
            issuing_org_name,
            recurrence_of,
            measures,
            history,
            row,
        })
    }

    /// Records a problem against `org_id`. The issuing org (who signs off the closing)
    /// is the org itself or one above it; by default the org the actor works for.
    pub async fn problem_create(&self, actor: &Actor, input: ProblemInput) -> AppResult<i64> {
        let (title, source, found_on, deadline) = validate_problem(&input)?;
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
            "只能为本级及下级组织登记问题",
        )?;
        let issuing_id = match input.issuing_org_id {
            Some(i) => i,
            None => actor
                .roles
                .iter()
                .filter(|(r, row)| {
                    r.permits(Permission::WriteScope) && org.path.starts_with(row.org_path.as_str())
                })
                .map(|(_, row)| row.org_id)
                .next()
                .unwrap_or(org.id),
        };
        let issuing = zeren_store::org::get(tx.conn(), issuing_id)
            .await
            .map_err(|_| crate::error::invalid("issuing_org_id", "交办单位不存在"))?;
        if !org.path.starts_with(issuing.path.as_str()) {
            return Err(crate::error::invalid(
                "issuing_org_id",
                "交办单位须为责任单位本级或其上级",
            ));
        }
        let scope = actor.read_scope();
        if let Some(r) = input.recurrence_of {
            if problem::get_in(tx.conn(), &scope, r).await.is_err() {
                return Err(crate::error::invalid("recurrence_of", "所指的原问题不存在"));
            }
        }
        self.check_problem_people(tx.conn(), &org.path, &input)
            .await?;
        let now = clock::now();
        let row = ProblemRow {
            id: 0,
            org_id: org.id,
            org_path: org.path.clone(),
            issuing_org_id: issuing.id,
            source,
            source_ref: input
                .source_ref
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            title,
            description: input.description.trim().to_string(),
            category: input.category.trim().to_string(),
            leader_id: input.leader_id,
            department: input
                .department
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            person_id: input.person_id,
            found_on,
            deadline,
            state: ProblemState::Open.as_str().into(),
            recurrence_of: input.recurrence_of,
            closed_at: None,
            created_at: now,
            updated_at: now,
        };
        let id = problem::insert(tx.conn(), &row).await?;
        hist(tx.conn(), actor, "problem", id, "登记问题", &row.title).await?;
        if let Some(r) = row.recurrence_of {
            hist(
                tx.conn(),
                actor,
                "problem",
                r,
                "问题复发",
                &format!("复发为问题 #{id}"),
            )
            .await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ProblemCreate, "problem", id, &org.path),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn check_problem_people(
        &self,
        c: &mut Conn,
        org_path: &str,
        input: &ProblemInput,
    ) -> AppResult<()> {
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

    pub async fn measure_add(
        &self,
        actor: &Actor,
        problem_id: i64,
        input: MeasureInput,
    ) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let content = validate::text(&mut errs, "content", "整改措施", &input.content, 1000);
        let deadline = validate::date(&mut errs, "deadline", "措施时限", &input.deadline);
        errs.into_result()?;
        let mut tx = self.store.begin_write().await?;
        let p = problem::get_in(tx.conn(), &actor.read_scope(), problem_id).await?;
        if !Self::may_write_problem(actor, &p) {
            return Err(AppError::Forbidden("只有责任单位可以制定整改措施".into()));
        }
        if p.state != ProblemState::Open.as_str() {
            return Err(AppError::Conflict("问题不在整改中，不能新增措施".into()));
        }
        if let Some(o) = input.owner_id {
            match zeren_store::person::get(tx.conn(), o).await {
                Ok(x)
                    if x.org_path.starts_with(p.org_path.as_str())
                        || p.org_path.starts_with(x.org_path.as_str()) => {}
                _ => {
                    return Err(crate::error::invalid(
                        "owner_id",
                        "措施责任人不属于责任单位",
                    ))
                }
            }
        }
        let deadline = deadline.map(|d| d.to_string()).unwrap_or_default();
        let id = problem::insert_measure(
            tx.conn(),
            NewMeasure {
                problem_id,
                org_path: &p.org_path,
                content: &content,
                owner_id: input.owner_id,
                deadline: &deadline,
                now: clock::now(),
            },
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "problem",
            problem_id,
            "新增整改措施",
            &content,
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::MeasureCreate, "measure", id, &p.org_path),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a measure done; evidence is required (uploaded now or earlier).
    pub async fn measure_complete(
        &self,
        actor: &Actor,
        measure_id: i64,
        note: &str,
        files: &[Upload],
    ) -> AppResult<()> {
        self.check_uploads("files", files)?;
        let mut tx = self.store.begin_write().await?;
        let m = problem::measure(tx.conn(), measure_id).await?;
        let p = problem::get_in(tx.conn(), &actor.read_scope(), m.problem_id).await?;
        let owner = actor.person_id.is_some() && m.owner_id == actor.person_id;
        if !(Self::may_write_problem(actor, &p) || owner) {
            return Err(AppError::Forbidden(
                "只有责任单位或措施责任人可以完成措施".into(),
            ));
        }
        if p.state != ProblemState::Open.as_str() {
            return Err(AppError::Conflict("问题不在整改中".into()));
        }
        if m.state == "done" && files.is_empty() {
            return Err(AppError::Conflict("该措施已完成".into()));
        }
        self.attach_all(tx.conn(), actor, "measure", m.id, &p.org_path, files)
            .await?;
        if evidence::count_of(tx.conn(), "measure", m.id).await? == 0 {
            return Err(crate::error::invalid("files", "完成整改措施须上传佐证材料"));
        }
        problem::set_measure_state(tx.conn(), m.id, "done", clock::now()).await?;
        let detail = if note.trim().is_empty() {
            m.content.clone()
        } else {
            format!("{}：{}", m.content, note.trim())
        };
        hist(tx.conn(), actor, "problem", p.id, "完成整改措施", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::MeasureComplete, "measure", m.id, &p.org_path),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves the problem along its open-and-close cycle.
    pub async fn problem_transition(
        &self,
        actor: &Actor,
        id: i64,
        action: ProblemAction,
        reason: &str,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let p = problem::get_in(tx.conn(), &actor.read_scope(), id).await?;
        let state = ProblemState::parse(&p.state).ok_or(AppError::NotFound)?;
        let reason = reason.trim();
        let (label, audit_action) = match action {
            ProblemAction::RequestClose => ("申请销号", AuditAction::ProblemRequestClose),
            ProblemAction::ApproveClose => ("审核销号", AuditAction::ProblemApproveClose),
            ProblemAction::RejectClose => ("退回整改", AuditAction::ProblemRejectClose),
            ProblemAction::Reopen => ("重新打开", AuditAction::ProblemReopen),
        };
        match action {
            ProblemAction::RequestClose => {
                if !Self::may_write_problem(actor, &p) {
                    return Err(AppError::Forbidden("只有责任单位可以申请销号".into()));
                }
                let ms = problem::measures(tx.conn(), id).await?;
                let st: Vec<MeasureStatus> = ms
                    .iter()
                    .map(|m| MeasureStatus {
                        done: m.state == "done",
                        evidence_count: m.evidence_count,
                    })
                    .collect();
                if let Some(b) = closing_blocker(&st) {
                    return Err(AppError::Conflict(b.into()));
                }
            }
            ProblemAction::ApproveClose | ProblemAction::RejectClose | ProblemAction::Reopen => {
                if !self.may_review_problem(tx.conn(), actor, &p).await? {
                    return Err(AppError::Forbidden(
                        "只有交办单位或其上级可以审核销号".into(),
                    ));
                }
                if action != ProblemAction::ApproveClose && reason.is_empty() {
                    return Err(crate::error::invalid(
                        "reason",
                        format!("{label}须说明理由"),
                    ));
                }
                if action == ProblemAction::ApproveClose {
                    // the one who asked for closing does not sign it off
                    let hs = history::of(tx.conn(), "problem", id).await?;
                    if hs
                        .iter()
                        .rev()
                        .find(|h| h.action == "申请销号")
                        .and_then(|h| h.actor_id)
                        == Some(actor.user_id)
                    {
                        return Err(AppError::Forbidden("申请人不能审核自己的销号申请".into()));
                    }
                }
            }
        }
        let next = state.after(action).ok_or_else(|| {
            AppError::Conflict(format!("问题当前状态为“{}”，不能{label}", state.label()))
        })?;
        problem::set_state(tx.conn(), &p, next.as_str(), clock::now()).await?;
        hist(tx.conn(), actor, "problem", id, label, reason).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(audit_action, "problem", id, &p.org_path).detail(reason),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub fn source_options() -> Vec<(&'static str, &'static str)> {
    ProblemSource::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect()
}
