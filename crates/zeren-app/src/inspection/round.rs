//! Plans, rounds, targets and teams; findings and feedback into the ledger; what the
//! inspected unit writes (how it organised the work, long-term marks, systems, the
//! report's submission); statistics per round and year.
use serde::Serialize;
use zeren_core::inspection::{
    self as rules, FindingCategory, NoticeFigures, RoundAction, RoundKind, RoundState,
};
use zeren_core::{validate, Permission, ProblemSource, ProblemState, ValidationErrors};
use zeren_store::history::{self, HistoryRow};
use zeren_store::inspection::{
    self as store, FindingRow, NewFinding, NewRound, RoundRow, SystemRow, TalkRow, TargetRow,
    TeamRow,
};
use zeren_store::problem::ProblemRow;
use zeren_store::Scope;

use super::{office_scope, require_office_at};
use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult};

#[derive(Debug, Clone, Default)]
pub struct RoundInput {
    /// The inspecting org (default: the actor's first inspection org).
    pub org_id: Option<i64>,
    pub year: i64,
    /// None: the next free number of the org's year.
    pub number: Option<i64>,
    pub kind: String,
    pub onsite_from: Option<String>,
    pub onsite_to: Option<String>,
    /// Months from feedback to the report; None: two.
    pub report_months: Option<i64>,
    pub note: String,
    pub target_org_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub person_id: Option<i64>,
    pub name: String,
    /// leader, deputy or member
    pub role: String,
    /// 回避声明: relations with the target units, or "无".
    pub declaration: String,
}

#[derive(Debug, Clone, Default)]
pub struct FindingInput {
    pub target_id: i64,
    pub category: String,
    pub title: String,
    pub description: String,
    pub evidence: String,
    /// The talk answer it came from, if any.
    pub answer_id: Option<i64>,
}

/// A round as the office sees it.
#[derive(Debug, Clone, Serialize)]
pub struct RoundDetail {
    pub round: RoundRow,
    pub targets: Vec<TargetRow>,
    pub team: Vec<TeamRow>,
    pub talks: Vec<TalkRow>,
    pub surveys: Vec<zeren_store::inspection::SurveyRow>,
    /// Findings per target, in the order of `targets`.
    pub findings: Vec<Vec<FindingRow>>,
    pub figures: NoticeFigures,
    pub history: Vec<HistoryRow>,
}

/// One target as the inspected unit (or the office) sees it after feedback.
#[derive(Debug, Clone, Serialize)]
pub struct TargetDetail {
    pub target: TargetRow,
    pub problems: Vec<super::notice::NoticeItem>,
    pub figures: NoticeFigures,
    /// The unit may write its parts (organisation, long-term marks, systems, report).
    pub can_write: bool,
    pub is_office: bool,
    pub history: Vec<HistoryRow>,
}

/// What a feedback did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeedbackOutcome {
    /// Problems created now, in finding order.
    pub created: Vec<i64>,
    /// Findings that had their problem already.
    pub already: usize,
    pub report_due: String,
}

/// One line of the statistics table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoundStats {
    pub round_id: Option<i64>,
    pub label: String,
    pub year: i64,
    pub targets: i64,
    pub figures: NoticeFigures,
    /// 问责: persons and organisations held accountable over poor rectification.
    pub accountable_persons: i64,
    pub accountable_orgs: i64,
}

fn report_months(v: Option<i64>) -> i64 {
    v.unwrap_or(rules::DEFAULT_REPORT_MONTHS as i64)
}

impl App {
    /// 巡察规划: one per inspecting org and year.
    pub async fn inspection_plan_create(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        year: i64,
        title: &str,
        content: &str,
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let title = validate::text(&mut errs, "title", "规划名称", title, 100);
        if content.chars().count() > 8000 {
            errs.add("content", "规划内容不能超过8000字");
        }
        if !(2000..=2100).contains(&year) {
            errs.add("year", "年度应在2000到2100之间");
        }
        let mut tx = self.store.begin_write().await?;
        let org = self.office_org(tx.conn(), actor, org_id).await?;
        if store::plan_of(tx.conn(), org.id, year).await?.is_some() {
            errs.add("year", format!("{year}年度的巡察规划已经存在"));
        }
        errs.into_result()?;
        let now = clock::now();
        let id = store::insert_plan(
            tx.conn(),
            org.id,
            &org.path,
            year,
            &title,
            content.trim(),
            actor.audit_id(),
            now,
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "inspection_plan",
            id,
            "制定巡察规划",
            &title,
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionRound,
                "inspection_plan",
                id,
                &org.path,
            )
            .detail(format!("plan {year}")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn inspection_plans(&self, actor: &Actor) -> AppResult<Vec<store::PlanRow>> {
        let mut c = self.store.conn().await?;
        Ok(store::plans(&mut c, &office_scope(actor)).await?)
    }

    /// The org a new plan, round or outline belongs to: the one given, or the actor's
    /// first inspection org; the actor must hold `Inspection` there.
    pub(crate) async fn office_org(
        &self,
        c: &mut zeren_store::Conn,
        actor: &Actor,
        org_id: Option<i64>,
    ) -> AppResult<zeren_store::org::OrgRow> {
        let id = match org_id {
            Some(id) => id,
            None => actor
                .roles
                .iter()
                .find(|(r, _)| r.permits(Permission::Inspection))
                .map(|(_, row)| row.org_id)
                .ok_or_else(|| {
                    AppError::Forbidden("只有巡察工作机构（党委办公室）可以办理巡察事项".into())
                })?,
        };
        let org = zeren_store::org::get_in(c, &actor.read_scope(), id)
            .await
            .map_err(|_| invalid("org_id", "巡察组织单位不存在"))?;
        require_office_at(actor, &org.path)?;
        Ok(org)
    }

    /// Creates a round with its target units (strictly below the inspecting org).
    pub async fn inspection_round_create(
        &self,
        actor: &Actor,
        input: RoundInput,
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let kind = RoundKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "请选择巡察方式");
        }
        if !(2000..=2100).contains(&input.year) {
            errs.add("year", "年度应在2000到2100之间");
        }
        let from = validate::opt_date(
            &mut errs,
            "onsite_from",
            "进驻日期",
            input.onsite_from.as_deref(),
        );
        let to = validate::opt_date(
            &mut errs,
            "onsite_to",
            "撤离日期",
            input.onsite_to.as_deref(),
        );
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errs.add("onsite_to", "撤离日期不能早于进驻日期");
            }
        }
        let months = report_months(input.report_months);
        if !(1..=12).contains(&months) {
            errs.add("report_months", "整改报告时限应为 1 到 12 个月");
        }
        if let Some(n) = input.number {
            if !(1..=99).contains(&n) {
                errs.add("number", "轮次应为 1 到 99");
            }
        }
        if input.note.chars().count() > 2000 {
            errs.add("note", "说明不能超过2000字");
        }
        let mut targets = input.target_org_ids.clone();
        targets.sort_unstable();
        targets.dedup();
        if targets.is_empty() {
            errs.add("target_org_ids", "请选择被巡察单位");
        }
        let mut tx = self.store.begin_write().await?;
        let org = self.office_org(tx.conn(), actor, input.org_id).await?;
        let mut target_orgs = Vec::new();
        for id in &targets {
            match zeren_store::org::get_in(tx.conn(), &actor.read_scope(), *id).await {
                Ok(o) if o.path.starts_with(org.path.as_str()) && o.path != org.path => {
                    target_orgs.push(o)
                }
                _ => errs.add(
                    "target_org_ids",
                    format!("被巡察单位 #{id} 须为{}的下级组织", org.name),
                ),
            }
        }
        let number = match input.number {
            Some(n) => n,
            None => store::next_number(tx.conn(), org.id, input.year).await?,
        };
        if store::rounds(
            tx.conn(),
            &Scope::Subtrees(vec![org.path.clone()]),
            Some(input.year),
        )
        .await?
        .iter()
        .any(|r| r.org_id == org.id && r.number == number)
        {
            errs.add("number", format!("{}年第{number}轮已经存在", input.year));
        }
        errs.into_result()?;
        let Some(kind) = kind else {
            return Err(invalid("kind", "请选择巡察方式"));
        };
        let now = clock::now();
        let plan_id = store::plan_of(tx.conn(), org.id, input.year).await?;
        let from_s = from.map(|d| d.to_string());
        let to_s = to.map(|d| d.to_string());
        let id = store::insert_round(
            tx.conn(),
            NewRound {
                plan_id,
                org_id: org.id,
                org_path: &org.path,
                year: input.year,
                number,
                kind: kind.as_str(),
                onsite_from: from_s.as_deref(),
                onsite_to: to_s.as_deref(),
                report_months: months,
                state: RoundState::Planned.as_str(),
                note: input.note.trim(),
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        for o in &target_orgs {
            store::insert_target(tx.conn(), id, o.id, &o.path, now).await?;
        }
        let names: Vec<&str> = target_orgs.iter().map(|o| o.name.as_str()).collect();
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            id,
            "安排巡察",
            &format!(
                "{}年第{number}轮{}：{}",
                input.year,
                kind.label(),
                names.join("、")
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionRound,
                "inspection_round",
                id,
                &org.path,
            )
            .detail(format!(
                "{}-{number} targets {}",
                input.year,
                target_orgs.len()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a team member with their declaration. A member who belongs to a target
    /// unit, or whose declaration names one, must recuse (回避) and is refused.
    pub async fn inspection_team_add(
        &self,
        actor: &Actor,
        round_id: i64,
        input: MemberInput,
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let mut name = input.name.trim().to_string();
        let role = input.role.trim();
        if !["leader", "deputy", "member"].contains(&role) {
            errs.add("role", "请选择组长、副组长或组员");
        }
        let declaration = validate::text(
            &mut errs,
            "declaration",
            "回避声明",
            &input.declaration,
            500,
        );
        let mut tx = self.store.begin_write().await?;
        let round = store::round_in(tx.conn(), &office_scope(actor), round_id).await?;
        require_office_at(actor, &round.org_path)?;
        if !RoundState::parse(&round.state).is_some_and(|s| s.on_site()) {
            return Err(AppError::Conflict(
                "本轮巡察已反馈，不能再调整巡察组".into(),
            ));
        }
        let targets = store::targets_of(tx.conn(), round_id).await?;
        if let Some(pid) = input.person_id {
            match zeren_store::person::get_in(tx.conn(), &actor.read_scope(), pid).await {
                Ok(p) => {
                    if name.is_empty() {
                        name = p.name.clone();
                    }
                    if let Some(t) = targets.iter().find(|t| p.org_path.starts_with(&t.org_path)) {
                        errs.add(
                            "person_id",
                            format!("{}为被巡察单位{}的人员，应当回避", p.name, t.org_name),
                        );
                    }
                }
                Err(_) => errs.add("person_id", "人员不存在或不在本人范围内"),
            }
        }
        if name.is_empty() {
            errs.add("name", "姓名不能为空");
        }
        if let Some(t) = targets
            .iter()
            .find(|t| declaration.contains(t.org_name.as_str()))
        {
            errs.add(
                "declaration",
                format!("声明与被巡察单位{}存在利害关系，应当回避", t.org_name),
            );
        }
        if role == "leader"
            && store::team_of(tx.conn(), round_id)
                .await?
                .iter()
                .any(|m| m.role == "leader")
        {
            errs.add("role", "本轮巡察组已有组长");
        }
        errs.into_result()?;
        let id = store::insert_member(
            tx.conn(),
            round_id,
            input.person_id,
            &name,
            role,
            &declaration,
            clock::now(),
        )
        .await?;
        let label = match role {
            "leader" => "组长",
            "deputy" => "副组长",
            _ => "组员",
        };
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round_id,
            "巡察组成员",
            &format!("{name}（{label}）；回避声明：{declaration}"),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionRound,
                "inspection_round",
                round_id,
                &round.org_path,
            )
            .detail(format!("team+{id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// 进驻 (start) or 结束本轮 (close; every target fed back and reported first).
    pub async fn inspection_round_transition(
        &self,
        actor: &Actor,
        round_id: i64,
        action: &str,
    ) -> AppResult<()> {
        super::require_office_any(actor)?;
        let action = match action {
            "start" => RoundAction::Start,
            "close" => RoundAction::Close,
            _ => return Err(invalid("action", "未知的操作")),
        };
        let mut tx = self.store.begin_write().await?;
        let round = store::round_in(tx.conn(), &office_scope(actor), round_id).await?;
        require_office_at(actor, &round.org_path)?;
        let state = RoundState::parse(&round.state).unwrap_or(RoundState::Planned);
        let Some(next) = state.after(action) else {
            return Err(AppError::Conflict(format!(
                "本轮巡察当前为“{}”，不能执行此操作",
                state.label()
            )));
        };
        if action == RoundAction::Close {
            let targets = store::targets_of(tx.conn(), round_id).await?;
            if let Some(t) = targets.iter().find(|t| t.report_submitted_on.is_none()) {
                return Err(AppError::Conflict(format!(
                    "{}尚未报送整改情况报告，不能结束本轮",
                    t.org_name
                )));
            }
        }
        let now = clock::now();
        store::set_round_state(tx.conn(), round_id, state.as_str(), next.as_str(), now).await?;
        let line = match action {
            RoundAction::Start => "巡察组进驻",
            _ => "结束本轮巡察",
        };
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round_id,
            line,
            next.label(),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionRound,
                "inspection_round",
                round_id,
                &round.org_path,
            )
            .detail(format!("{} → {}", state.as_str(), next.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rounds of the actor's inspection offices (newest first).
    pub async fn inspection_rounds(
        &self,
        actor: &Actor,
        year: Option<i64>,
    ) -> AppResult<Vec<RoundRow>> {
        let mut c = self.store.conn().await?;
        Ok(store::rounds(&mut c, &office_scope(actor), year).await?)
    }

    pub async fn inspection_round(&self, actor: &Actor, id: i64) -> AppResult<RoundDetail> {
        let mut c = self.store.conn().await?;
        let round = store::round_in(&mut c, &office_scope(actor), id).await?;
        let targets = store::targets_of(&mut c, id).await?;
        let mut findings = Vec::new();
        for t in &targets {
            findings.push(store::findings_of_target(&mut c, t.id).await?);
        }
        let rows = store::fed_back(&mut c, id, None).await?;
        let figures = super::notice::figures_of(&rows);
        Ok(RoundDetail {
            team: store::team_of(&mut c, id).await?,
            talks: store::talks_of(&mut c, id).await?,
            surveys: store::surveys_of(&mut c, id).await?,
            history: history::of(&mut c, "inspection_round", id).await?,
            round,
            targets,
            findings,
            figures,
        })
    }

    /// Records a finding against a target unit (while the round is not closed).
    pub async fn inspection_finding_create(
        &self,
        actor: &Actor,
        input: FindingInput,
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let title = validate::text(&mut errs, "title", "问题概述", &input.title, 200);
        if FindingCategory::parse(&input.category).is_none() {
            errs.add("category", "请选择问题类别");
        }
        if input.description.chars().count() > 4000 {
            errs.add("description", "问题详情不能超过4000字");
        }
        if input.evidence.chars().count() > 4000 {
            errs.add("evidence", "事实依据不能超过4000字");
        }
        let mut tx = self.store.begin_write().await?;
        let target = store::target(tx.conn(), input.target_id)
            .await
            .map_err(|_| invalid("target_id", "被巡察单位不存在"))?;
        let round = store::round_in(tx.conn(), &office_scope(actor), target.round_id)
            .await
            .map_err(|_| invalid("target_id", "被巡察单位不存在"))?;
        require_office_at(actor, &round.org_path)?;
        if round.state == RoundState::Closed.as_str() {
            return Err(AppError::Conflict("本轮巡察已结束，不能再登记问题".into()));
        }
        if let Some(a) = input.answer_id {
            let ok = match store::answer(tx.conn(), a).await {
                Ok(ans) => store::talks_of(tx.conn(), round.id)
                    .await?
                    .iter()
                    .any(|k| k.id == ans.talk_id && k.target_id == target.id),
                Err(_) => false,
            };
            if !ok {
                errs.add("answer_id", "所引谈话记录不属于该被巡察单位");
            }
        }
        errs.into_result()?;
        let category = input.category.trim().to_string();
        let id = store::insert_finding(
            tx.conn(),
            NewFinding {
                round_id: round.id,
                target_id: target.id,
                org_id: target.org_id,
                org_path: &target.org_path,
                category: &category,
                title: &title,
                description: input.description.trim(),
                evidence: input.evidence.trim(),
                answer_id: input.answer_id,
                created_by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?;
        if let Some(a) = input.answer_id {
            store::set_marked(tx.conn(), a, true).await?;
        }
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round.id,
            "登记巡察发现问题",
            &format!("{}：{title}", target.org_name),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionFinding,
                "inspection_finding",
                id,
                &round.org_path,
            )
            .detail(format!("target#{}", target.id)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// 反馈: gives the target unit its feedback on `feedback_on`. Every finding without
    /// a problem becomes one problem of the unit's ledger (source 巡察, 第N轮), with the
    /// report's due day as deadline unless one is given; findings fed back before are
    /// left alone, so feeding back again creates nothing. When the last target is fed
    /// back the round moves to 整改中.
    pub async fn inspection_feedback(
        &self,
        actor: &Actor,
        target_id: i64,
        feedback_on: &str,
        deadline: Option<&str>,
    ) -> AppResult<FeedbackOutcome> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let day = validate::date(&mut errs, "feedback_on", "反馈日期", feedback_on);
        if day.is_some_and(|d| d > clock::today()) {
            errs.add("feedback_on", "反馈日期不能晚于今天");
        }
        let deadline = validate::opt_date(&mut errs, "deadline", "整改时限", deadline);
        errs.into_result()?;
        let Some(day) = day else {
            return Err(invalid("feedback_on", "请填写反馈日期"));
        };
        let mut tx = self.store.begin_write().await?;
        let target = store::target(tx.conn(), target_id).await?;
        let round = store::round_in(tx.conn(), &office_scope(actor), target.round_id).await?;
        require_office_at(actor, &round.org_path)?;
        let now = clock::now();
        // serialise feedbacks of one round (PostgreSQL row lock)
        store::lock_round(tx.conn(), round.id, now).await?;
        let state = RoundState::parse(&round.state).unwrap_or(RoundState::Planned);
        if !matches!(state, RoundState::OnSite | RoundState::Rectifying) {
            return Err(AppError::Conflict(format!(
                "本轮巡察当前为“{}”，不能反馈",
                state.label()
            )));
        }
        // the target as it is now, inside the lock
        let target = store::target(tx.conn(), target_id).await?;
        let (fb_day, due) = match (&target.feedback_on, &target.report_due) {
            (Some(f), Some(d)) => (f.clone(), d.clone()),
            _ => {
                let due = rules::report_due(day, round.report_months.clamp(1, 12) as u32);
                store::set_feedback(
                    tx.conn(),
                    target.id,
                    &day.to_string(),
                    &due.to_string(),
                    now,
                )
                .await?;
                (day.to_string(), due.to_string())
            }
        };
        if let Some(d) = deadline {
            if d.to_string() < fb_day {
                return Err(invalid("deadline", "整改时限不能早于反馈日期"));
            }
        }
        let deadline = deadline
            .map(|d| d.to_string())
            .unwrap_or_else(|| due.clone());
        let findings = store::findings_of_target(tx.conn(), target.id).await?;
        let mut created = Vec::new();
        let mut already = 0;
        let source_ref = rules::source_ref(round.number);
        for f in &findings {
            if f.problem_id.is_some() {
                already += 1;
                continue;
            }
            let description = if f.evidence.is_empty() {
                f.description.clone()
            } else if f.description.is_empty() {
                format!("事实依据：{}", f.evidence)
            } else {
                format!("{}\n事实依据：{}", f.description, f.evidence)
            };
            let row = ProblemRow {
                id: 0,
                org_id: target.org_id,
                org_path: target.org_path.clone(),
                issuing_org_id: round.org_id,
                source: ProblemSource::LocalInspection.as_str().into(),
                source_ref: Some(source_ref.clone()),
                title: f.title.clone(),
                description: description.chars().take(4000).collect(),
                category: FindingCategory::parse(&f.category)
                    .map(|c| c.label())
                    .unwrap_or("")
                    .into(),
                leader_id: None,
                department: None,
                person_id: None,
                found_on: fb_day.clone(),
                deadline: deadline.clone(),
                state: ProblemState::Open.as_str().into(),
                recurrence_of: None,
                closed_at: None,
                created_at: now,
                updated_at: now,
            };
            let pid = zeren_store::problem::insert(tx.conn(), &row).await?;
            if !store::link_problem(tx.conn(), f.id, pid, now).await? {
                return Err(AppError::Conflict(
                    "反馈正在由他人办理，请刷新后重试".into(),
                ));
            }
            hist(
                tx.conn(),
                actor,
                "problem",
                pid,
                "登记问题",
                &format!("巡察{source_ref}反馈：{}", row.title),
            )
            .await?;
            audit::by_actor(
                tx.conn(),
                actor,
                Event::ok(AuditAction::ProblemCreate, "problem", pid, &target.org_path)
                    .detail(format!("inspection_finding#{}", f.id)),
            )
            .await?;
            created.push(pid);
        }
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round.id,
            "反馈",
            &format!(
                "向{}反馈巡察意见，{}个问题转入整改台账，整改情况报告应于{due}前报送",
                target.org_name,
                created.len()
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionFeedback,
                "inspection_target",
                target.id,
                &target.org_path,
            )
            .detail(format!("round#{} problems+{}", round.id, created.len())),
        )
        .await?;
        if state == RoundState::OnSite {
            let all = store::targets_of(tx.conn(), round.id).await?;
            if all.iter().all(|t| t.feedback_on.is_some()) {
                store::set_round_state(
                    tx.conn(),
                    round.id,
                    state.as_str(),
                    RoundState::Rectifying.as_str(),
                    now,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(FeedbackOutcome {
            created,
            already,
            report_due: due,
        })
    }

    /// A target, for the office of its round or the unit (once fed back).
    pub(crate) async fn inspection_target_read(
        &self,
        c: &mut zeren_store::Conn,
        actor: &Actor,
        target_id: i64,
    ) -> AppResult<(TargetRow, bool)> {
        let t = store::target(c, target_id).await?;
        let office = office_scope(actor).contains_path(&t.round_org_path)
            && actor.can_at(Permission::Inspection, &t.round_org_path);
        if office {
            return Ok((t, true));
        }
        if t.feedback_on.is_some() && actor.read_scope().contains_path(&t.org_path) {
            return Ok((t, false));
        }
        Err(AppError::NotFound)
    }

    /// Targets fed back that the actor's unit reads (整改 side).
    pub async fn inspection_my_targets(&self, actor: &Actor) -> AppResult<Vec<TargetRow>> {
        let mut c = self.store.conn().await?;
        Ok(store::fed_back_targets(&mut c, &actor.read_scope()).await?)
    }

    pub async fn inspection_target(
        &self,
        actor: &Actor,
        target_id: i64,
    ) -> AppResult<TargetDetail> {
        let mut c = self.store.conn().await?;
        let (target, is_office) = self
            .inspection_target_read(&mut c, actor, target_id)
            .await?;
        let problems = super::notice::items_of(&mut c, target.round_id, Some(target.id)).await?;
        let figures = super::notice::figures_of_items(&problems);
        let history = history::of(&mut c, "inspection_target", target.id).await?;
        Ok(TargetDetail {
            can_write: target.feedback_on.is_some()
                && actor.can_at(Permission::WriteScope, &target.org_path),
            is_office,
            target,
            problems,
            figures,
            history,
        })
    }

    /// The unit writes how it organised the rectification and its next steps (the
    /// report's 一 and 三).
    pub async fn inspection_target_text(
        &self,
        actor: &Actor,
        target_id: i64,
        organisation: &str,
        next_steps: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        if organisation.chars().count() > 8000 {
            errs.add("organisation", "整改工作组织情况不能超过8000字");
        }
        if next_steps.chars().count() > 4000 {
            errs.add("next_steps", "下一步工作打算不能超过4000字");
        }
        errs.into_result()?;
        let mut tx = self.store.begin_write().await?;
        let (t, _) = self
            .inspection_target_read(tx.conn(), actor, target_id)
            .await?;
        self.require_unit_write(actor, &t)?;
        store::set_target_text(
            tx.conn(),
            t.id,
            organisation.trim(),
            next_steps.trim(),
            clock::now(),
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "inspection_target",
            t.id,
            "填写整改工作情况",
            "",
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionReport,
                "inspection_target",
                t.id,
                &t.org_path,
            )
            .detail("text"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    fn require_unit_write(&self, actor: &Actor, t: &TargetRow) -> AppResult<()> {
        if t.feedback_on.is_none() {
            return Err(AppError::NotFound);
        }
        actor.require_at(
            Permission::WriteScope,
            &t.org_path,
            "只有被巡察单位可以填写整改情况",
        )
    }

    /// Marks a fed-back problem as long-term work (长期坚持), or clears the mark.
    pub async fn inspection_long_term(
        &self,
        actor: &Actor,
        problem_id: i64,
        on: bool,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let p = zeren_store::problem::get_in(tx.conn(), &actor.read_scope(), problem_id).await?;
        let f = store::finding_of_problem(tx.conn(), p.id)
            .await?
            .ok_or_else(|| invalid("problem_id", "该问题不是巡察反馈问题"))?;
        let t = store::target(tx.conn(), f.target_id).await?;
        self.require_unit_write(actor, &t)?;
        store::set_long_term(tx.conn(), f.id, on, clock::now()).await?;
        hist(
            tx.conn(),
            actor,
            "problem",
            p.id,
            if on {
                "标记长期坚持"
            } else {
                "取消长期坚持"
            },
            "",
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::InspectionReport, "problem", p.id, &p.org_path)
                .detail(format!("long_term={on}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 建立完善制度: records a system a measure of a fed-back problem established or
    /// revised, with the day it was issued (not after today).
    pub async fn inspection_system_add(
        &self,
        actor: &Actor,
        measure_id: i64,
        name: &str,
        issued_on: &str,
    ) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let name = validate::text(&mut errs, "name", "制度名称", name, 100);
        let day = validate::date(&mut errs, "issued_on", "印发日期", issued_on);
        if day.is_some_and(|d| d > clock::today()) {
            errs.add("issued_on", "印发日期不能晚于今天");
        }
        let mut tx = self.store.begin_write().await?;
        let m = zeren_store::problem::measure(tx.conn(), measure_id).await?;
        let p = zeren_store::problem::get_in(tx.conn(), &actor.read_scope(), m.problem_id).await?;
        let f = store::finding_of_problem(tx.conn(), p.id).await?;
        let Some(f) = f else {
            return Err(invalid("measure_id", "该措施不属于巡察反馈问题"));
        };
        let t = store::target(tx.conn(), f.target_id).await?;
        self.require_unit_write(actor, &t)?;
        if store::systems_of_problem(tx.conn(), p.id)
            .await?
            .iter()
            .any(|s| s.measure_id == measure_id && s.name == name)
        {
            errs.add("name", "该措施已登记同名制度");
        }
        errs.into_result()?;
        let Some(day) = day else {
            return Err(invalid("issued_on", "请填写印发日期"));
        };
        let id = store::insert_system(
            tx.conn(),
            measure_id,
            p.id,
            &p.org_path,
            &name,
            &day.to_string(),
            actor.audit_id(),
            clock::now(),
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "problem",
            p.id,
            "建立完善制度",
            &format!("《{}》（{day}印发）", name.trim_matches(['《', '》'])),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionReport,
                "rectification_system",
                id,
                &p.org_path,
            )
            .detail(format!("measure#{measure_id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn inspection_systems(
        &self,
        actor: &Actor,
        problem_id: i64,
    ) -> AppResult<Vec<SystemRow>> {
        let mut c = self.store.conn().await?;
        let p = zeren_store::problem::get_in(&mut c, &actor.read_scope(), problem_id).await?;
        Ok(store::systems_of_problem(&mut c, p.id).await?)
    }

    /// The unit submits its rectification report (整改情况报告) on a day: the reminder
    /// stops.
    pub async fn inspection_report_submit(
        &self,
        actor: &Actor,
        target_id: i64,
        on: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let day = validate::date(&mut errs, "submitted_on", "报送日期", on);
        if day.is_some_and(|d| d > clock::today()) {
            errs.add("submitted_on", "报送日期不能晚于今天");
        }
        let mut tx = self.store.begin_write().await?;
        let (t, _) = self
            .inspection_target_read(tx.conn(), actor, target_id)
            .await?;
        self.require_unit_write(actor, &t)?;
        errs.into_result()?;
        let Some(day) = day else {
            return Err(invalid("submitted_on", "请填写报送日期"));
        };
        if t.report_submitted_on.is_some() {
            return Err(AppError::Conflict("整改情况报告已经报送".into()));
        }
        if t.feedback_on
            .as_deref()
            .is_some_and(|f| day.to_string().as_str() < f)
        {
            return Err(invalid("submitted_on", "报送日期不能早于反馈日期"));
        }
        store::set_report_submitted(tx.conn(), t.id, &day.to_string(), clock::now()).await?;
        let late = t
            .report_due
            .as_deref()
            .is_some_and(|d| day.to_string().as_str() > d);
        hist(
            tx.conn(),
            actor,
            "inspection_target",
            t.id,
            "报送整改情况报告",
            &format!("{day}{}", if late { "（逾期）" } else { "" }),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionReport,
                "inspection_target",
                t.id,
                &t.org_path,
            )
            .detail(format!("submitted {day}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 巡察整改统计: one line per round of the year (or every year), then the total.
    pub async fn inspection_stats(
        &self,
        actor: &Actor,
        year: Option<i64>,
    ) -> AppResult<Vec<RoundStats>> {
        let mut c = self.store.conn().await?;
        let rounds = store::rounds(&mut c, &office_scope(actor), year).await?;
        let mut out = Vec::new();
        let mut total = RoundStats {
            label: match year {
                Some(y) => format!("{y}年合计"),
                None => "合计".into(),
            },
            year: year.unwrap_or(0),
            ..Default::default()
        };
        for r in rounds.iter().rev() {
            let rows = store::fed_back(&mut c, r.id, None).await?;
            let figures = super::notice::figures_of(&rows);
            let (persons, orgs) = store::accountability_of_round(&mut c, r.id).await?;
            let s = RoundStats {
                round_id: Some(r.id),
                label: format!("{}年第{}轮（{}）", r.year, r.number, r.org_name),
                year: r.year,
                targets: r.targets,
                figures,
                accountable_persons: persons,
                accountable_orgs: orgs,
            };
            total.targets += s.targets;
            total.figures.add(&s.figures);
            total.accountable_persons += persons;
            total.accountable_orgs += orgs;
            out.push(s);
        }
        out.push(total);
        Ok(out)
    }
}
