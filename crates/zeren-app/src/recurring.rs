//! Recurring duties (周期性任务) and year roll-over (年度结转).
//!
//! A duty carries a cadence; the engine (`generate_occurrences`, run by every job
//! cycle) turns it into one child task per period for the duty's responsible org, so
//! "每季度专题研究一次党风廉政建设" handed down to every unit becomes four tracked items
//! per unit. The unique index (occurrence_of, org_id, period) decides what exists, so
//! running it again, after a crash, or on two servers creates nothing twice.
//!
//! Roll-over copies a plan and its task tree into a later year with states reset and
//! deadlines moved by whole years, keeping the link to last year's plan and tasks.
use chrono::{Datelike, NaiveDate};
use zeren_core::cadence::{self, Cadence};
use zeren_core::{Permission, TaskState, ValidationErrors};
use zeren_store::history;
use zeren_store::recurring as store;
pub use zeren_store::recurring::TaskLinks;
use zeren_store::task::{self as task_store, TaskRow};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult};

/// Duties per engine transaction.
const BATCH: i64 = 200;

/// Who the timeline names for what the engine does.
const ENGINE: &str = "系统（周期任务）";

/// The cadence choices a form offers: (value, label), "" for none.
pub fn cadence_options() -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "不重复".to_string())];
    v.extend(Cadence::CALENDAR.iter().map(|c| (c.as_str(), c.label())));
    v
}

/// The label of a stored cadence ("每季度"), empty when none or unknown.
pub fn cadence_label(s: Option<&str>) -> String {
    s.and_then(Cadence::parse)
        .map(Cadence::label)
        .unwrap_or_default()
}

/// Parses what a form or the API sends: "", "none" → no cadence; "after_event" with
/// `days`, or "after_event:N"; or a calendar cadence.
pub fn parse_cadence_input(
    value: &str,
    days: Option<&str>,
) -> Result<Option<Cadence>, ValidationErrors> {
    let v = value.trim();
    if v.is_empty() || v == "none" {
        return Ok(None);
    }
    let text = match (v, days.map(str::trim).filter(|d| !d.is_empty())) {
        ("after_event", Some(d)) => format!("after_event:{d}"),
        ("after_event", None) => {
            return Err(ValidationErrors::single(
                "days",
                "请填写事件发生后几天内完成",
            ))
        }
        _ => v.to_string(),
    };
    match Cadence::parse(&text) {
        Some(c) => Ok(Some(c)),
        None if text.starts_with("after_event") => Err(ValidationErrors::single(
            "days",
            format!("天数应为1至{}之间的整数", cadence::MAX_EVENT_DAYS),
        )),
        None => Err(ValidationErrors::single("cadence", "周期无效")),
    }
}

/// Creates the occurrences `duty` lacks in `year`; returns the ids created.
async fn occurrences_for(
    c: &mut Conn,
    duty: &TaskRow,
    cad: Cadence,
    year: i32,
    actor_name: &str,
    actor_id: Option<i64>,
) -> AppResult<Vec<i64>> {
    let now = clock::now();
    let mut ids = Vec::new();
    for o in cadence::occurrences(cad, year) {
        let title = occurrence_title(&duty.title, &o.suffix);
        if let Some(id) =
            store::insert_occurrence(c, duty, &o.period, &title, &o.deadline.to_string(), now)
                .await?
        {
            history::add(
                c,
                history::Entry {
                    kind: "task",
                    id,
                    at: now,
                    actor_id,
                    actor_name,
                    action: "生成周期任务",
                    detail: &format!("{}：#{} {}", cad.label(), duty.id, duty.title),
                },
            )
            .await?;
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The duty's title with the period's suffix, within the 100-character title limit.
fn occurrence_title(title: &str, suffix: &str) -> String {
    let keep = 100usize.saturating_sub(suffix.chars().count());
    let mut t: String = title.chars().take(keep).collect();
    t.push_str(suffix);
    t
}

/// The year a duty belongs to: its plan's, else its deadline's.
async fn duty_year(c: &mut Conn, t: &TaskRow) -> AppResult<i32> {
    if let Some(p) = t.plan_id {
        return Ok(zeren_store::plan::get(c, p).await?.year as i32);
    }
    Ok(NaiveDate::parse_from_str(&t.deadline, "%Y-%m-%d")
        .map(|d| d.year())
        .unwrap_or_else(|_| clock::today().year()))
}

impl App {
    /// One engine pass over the recurring duties of `year`: hands each duty's cadence
    /// down to its decomposed copies, then creates every missing occurrence. Returns
    /// the number of occurrences created (0 when everything exists already).
    pub async fn generate_occurrences(&self, year: i32) -> AppResult<usize> {
        let mut tx = self.store.begin_write().await?;
        store::propagate_cadence(tx.conn()).await?;
        tx.commit().await?;
        let mut created = 0;
        let mut after = 0;
        // one transaction per batch of duties: a new year over a large plan neither
        // holds the writer for long nor redoes finished batches after a crash
        loop {
            let mut tx = self.store.begin_write().await?;
            let duties = store::duties_lacking(tx.conn(), year, None, after, BATCH).await?;
            let Some(last) = duties.last().map(|d| d.0) else {
                break;
            };
            let mut batch = 0;
            let mut first = None;
            let mut scope = String::new();
            for (id, cad) in &duties {
                let Some(cad) = Cadence::parse(cad).filter(|c| c.is_calendar()) else {
                    continue;
                };
                let duty = task_store::get(tx.conn(), *id).await?;
                let n = occurrences_for(tx.conn(), &duty, cad, year, ENGINE, None)
                    .await?
                    .len();
                if n > 0 && first.is_none() {
                    first = Some(*id);
                    scope = duty.org_path.clone();
                }
                batch += n;
            }
            if let Some(first) = first {
                audit::record(
                    tx.conn(),
                    None,
                    "system",
                    "engine",
                    Event::ok(AuditAction::TaskOccurrences, "task", first, &scope).detail(format!(
                        "{year}年周期任务 {batch} 项（任务 #{first}–#{last}）"
                    )),
                )
                .await?;
            }
            tx.commit().await?;
            created += batch;
            after = last;
        }
        Ok(created)
    }

    /// The recurrence columns of a task the actor can see.
    pub async fn task_links(&self, actor: &Actor, id: i64) -> AppResult<TaskLinks> {
        let mut c = self.store.conn().await?;
        task_store::get_in(&mut c, &actor.read_scope(), id).await?;
        Ok(store::links(&mut c, id).await?)
    }

    /// The copy of task `id` in the next year's plan, if the actor can see it.
    pub async fn task_next_year(&self, actor: &Actor, id: i64) -> AppResult<Option<i64>> {
        let mut c = self.store.conn().await?;
        let scope = actor.read_scope();
        task_store::get_in(&mut c, &scope, id).await?;
        match store::next_task(&mut c, id).await? {
            Some(n) if task_store::get_in(&mut c, &scope, n).await.is_ok() => Ok(Some(n)),
            _ => Ok(None),
        }
    }

    /// Whether the actor may set the cadence of `t`: the office that issued it.
    async fn may_set_cadence(&self, c: &mut Conn, actor: &Actor, t: &TaskRow) -> AppResult<bool> {
        let issuing = zeren_store::org::get(c, t.issuing_org_id).await?;
        Ok(actor.can_at(Permission::WriteScope, &issuing.path))
    }

    pub async fn task_can_set_cadence(&self, actor: &Actor, id: i64) -> AppResult<bool> {
        let mut c = self.store.conn().await?;
        let t = task_store::get_in(&mut c, &actor.read_scope(), id).await?;
        self.may_set_cadence(&mut c, actor, &t).await
    }

    /// Sets (or clears) the cadence of a duty; its decomposed copies follow, and the
    /// year's occurrences are created at once. Returns the number created.
    pub async fn task_set_cadence(
        &self,
        actor: &Actor,
        id: i64,
        cadence: Option<Cadence>,
    ) -> AppResult<usize> {
        let mut tx = self.store.begin_write().await?;
        let t = task_store::get_in(tx.conn(), &actor.read_scope(), id).await?;
        if !self.may_set_cadence(tx.conn(), actor, &t).await? {
            return Err(AppError::Forbidden("只有下达任务的单位可以设置周期".into()));
        }
        let links = store::links(tx.conn(), id).await?;
        if links.occurrence_of.is_some() {
            return Err(AppError::Conflict(
                "周期任务的单次任务不能再设置周期".into(),
            ));
        }
        let value = cadence.map(Cadence::as_str);
        if links.cadence == value {
            return Ok(0);
        }
        store::set_cadence(tx.conn(), id, value.as_deref(), clock::now()).await?;
        let label = cadence
            .map(Cadence::label)
            .unwrap_or_else(|| "不重复".into());
        hist(tx.conn(), actor, "task", id, "设置周期", &label).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::TaskCadence, "task", id, &t.org_path).detail(label),
        )
        .await?;
        // the duty and its decomposed copies (not its occurrences) recur alike
        let mut tree = Vec::new();
        let mut todo = vec![t.id];
        while let Some(did) = todo.pop() {
            tree.push(did);
            for child in task_store::children(tx.conn(), did).await? {
                if store::links(tx.conn(), child.id)
                    .await?
                    .occurrence_of
                    .is_none()
                {
                    todo.push(child.id);
                }
            }
        }
        let now = clock::now();
        for did in &tree[1..] {
            store::set_cadence(tx.conn(), *did, value.as_deref(), now).await?;
        }
        let mut created = 0;
        if let Some(cad) = cadence.filter(|c| c.is_calendar()) {
            let year = duty_year(tx.conn(), &t).await?;
            for did in &tree {
                for (lid, _) in store::duties_lacking(tx.conn(), year, Some(*did), 0, 1).await? {
                    let duty = task_store::get(tx.conn(), lid).await?;
                    created += occurrences_for(
                        tx.conn(),
                        &duty,
                        cad,
                        year,
                        &actor.display_name,
                        Some(actor.user_id),
                    )
                    .await?
                    .len();
                }
            }
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Registers an event for an after-event duty ("事件后N天内"): one occurrence due N
    /// days after `event_day`, for the duty's org. Registering the same day twice
    /// creates nothing. Returns the new occurrence's id, if created.
    pub async fn task_register_event(
        &self,
        actor: &Actor,
        id: i64,
        event_day: &str,
    ) -> AppResult<Option<i64>> {
        let mut errs = ValidationErrors::new();
        let day = zeren_core::validate::date(&mut errs, "event_day", "事件日期", event_day);
        errs.into_result()?;
        let day = day.ok_or_else(|| crate::error::invalid("event_day", "事件日期无效"))?;
        let mut tx = self.store.begin_write().await?;
        let t = task_store::get_in(tx.conn(), &actor.read_scope(), id).await?;
        if !actor.can_at(Permission::WriteScope, &t.org_path) {
            return Err(AppError::Forbidden("只有责任单位可以登记事件".into()));
        }
        let links = store::links(tx.conn(), id).await?;
        let Some(Cadence::AfterEvent(days)) = links.cadence.as_deref().and_then(Cadence::parse)
        else {
            return Err(AppError::Conflict("该任务不是“事件后N天内”周期任务".into()));
        };
        let o = cadence::event_occurrence(days, day)
            .ok_or_else(|| crate::error::invalid("event_day", "事件日期无效"))?;
        let now = clock::now();
        let title = occurrence_title(&t.title, &o.suffix);
        let created = store::insert_occurrence(
            tx.conn(),
            &t,
            &o.period,
            &title,
            &o.deadline.to_string(),
            now,
        )
        .await?;
        if let Some(oid) = created {
            hist(
                tx.conn(),
                actor,
                "task",
                oid,
                "生成周期任务",
                &format!("事件 {day}"),
            )
            .await?;
            hist(tx.conn(), actor, "task", id, "登记事件", &day.to_string()).await?;
            audit::by_actor(
                tx.conn(),
                actor,
                Event::ok(AuditAction::TaskOccurrences, "task", id, &t.org_path)
                    .detail(format!("事件 {day}")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Copies plan `plan_id` and its task tree into `new_year`: states reset, deadlines
    /// moved by whole years, cadences kept, each copy linked to its original. Refused
    /// when the plan was already rolled into that year. Returns the new plan's id.
    pub async fn roll_plan(&self, actor: &Actor, plan_id: i64, new_year: i32) -> AppResult<i64> {
        let mut tx = self.store.begin_write().await?;
        let plan = zeren_store::plan::get(tx.conn(), plan_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let org = zeren_store::org::get(tx.conn(), plan.org_id).await?;
        if !actor.read_scope().contains_path(&org.path) {
            return Err(AppError::NotFound);
        }
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只有制定年度安排的单位可以结转到下一年度",
        )?;
        let years = new_year as i64 - plan.year;
        if years < 1 || !(2000..=2100).contains(&new_year) {
            return Err(crate::error::invalid(
                "year",
                format!("结转年度应晚于{}年且不晚于2100年", plan.year),
            ));
        }
        if let Some(existing) = store::rolled_from(tx.conn(), plan_id, new_year as i64).await? {
            return Err(AppError::Conflict(format!(
                "该年度安排已结转到{new_year}年度（安排 #{existing}），不能重复结转"
            )));
        }
        let now = clock::now();
        let old_prefix = format!("{}年", plan.year);
        let title = match plan.title.strip_prefix(&old_prefix) {
            Some(rest) => format!("{new_year}年{rest}"),
            None => format!("{new_year}年度 {}", plan.title),
        };
        let new_plan = zeren_store::plan::PlanRow {
            id: 0,
            year: new_year as i64,
            title: title.clone(),
            org_id: plan.org_id,
            template_key: plan.template_key.clone(),
            created_by: Some(actor.user_id),
            created_at: now,
        };
        let new_plan_id = store::insert_plan_copy(tx.conn(), &new_plan, plan_id).await?;
        let prefix = format!("由{}年度任务 #", plan.year);
        let per_org = store::roll_tasks(
            tx.conn(),
            plan_id,
            new_plan_id,
            years,
            &store::RollBy {
                now,
                actor_id: actor.user_id,
                actor_name: &actor.display_name,
                detail_prefix: &prefix,
            },
        )
        .await?;
        let mut copied = 0;
        for (path, n) in &per_org {
            zeren_store::counters::bump(
                tx.conn(),
                "task",
                path,
                TaskState::NotStarted.as_str(),
                *n,
            )
            .await?;
            copied += n;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PlanRoll, "plan", new_plan_id, &org.path)
                .detail(format!("由安排 #{plan_id} 结转，{copied} 项任务")),
        )
        .await?;
        tx.commit().await?;
        Ok(new_plan_id)
    }

    /// The plan a plan was rolled from, and whether the actor may roll `plan_id`
    /// (for the tasks page).
    pub async fn plan_roll_info(&self, actor: &Actor, plan_id: i64) -> AppResult<PlanRollInfo> {
        let mut c = self.store.conn().await?;
        let plan = zeren_store::plan::get(&mut c, plan_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let org = zeren_store::org::get(&mut c, plan.org_id).await?;
        // visible as the plans list shows them: issued inside the scope or above it
        let visible = match actor.read_scope() {
            zeren_store::Scope::Subtrees(paths) => paths
                .iter()
                .any(|p| org.path.starts_with(p.as_str()) || p.starts_with(org.path.as_str())),
            _ => false,
        };
        if !visible {
            return Err(AppError::NotFound);
        }
        let next_year = plan.year + 1;
        Ok(PlanRollInfo {
            can_roll: actor.can_at(Permission::WriteScope, &org.path),
            rolled_into: store::rolled_from(&mut c, plan_id, next_year).await?,
            previous: store::previous_plan(&mut c, plan_id).await?,
            next_year,
            plan,
        })
    }
}

/// What the tasks page shows about a plan's roll-over.
#[derive(Debug, Clone)]
pub struct PlanRollInfo {
    pub plan: zeren_store::plan::PlanRow,
    pub can_roll: bool,
    pub next_year: i64,
    /// The plan already rolled into the next year.
    pub rolled_into: Option<i64>,
    pub previous: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadence_input_parses() {
        assert_eq!(parse_cadence_input("", None).unwrap(), None);
        assert_eq!(parse_cadence_input("none", None).unwrap(), None);
        assert_eq!(
            parse_cadence_input("quarterly", None).unwrap(),
            Some(Cadence::Quarterly)
        );
        assert_eq!(
            parse_cadence_input("after_event", Some("15")).unwrap(),
            Some(Cadence::AfterEvent(15))
        );
        assert_eq!(
            parse_cadence_input("after_event:7", None).unwrap(),
            Some(Cadence::AfterEvent(7))
        );
        assert!(parse_cadence_input("after_event", None).is_err());
        assert!(parse_cadence_input("after_event", Some("0")).is_err());
        assert!(parse_cadence_input("weekly", None).is_err());
    }

    #[test]
    fn occurrence_titles_stay_within_the_limit() {
        assert_eq!(
            occurrence_title("专题研究", "（第一季度）"),
            "专题研究（第一季度）"
        );
        let long = "字".repeat(100);
        assert_eq!(occurrence_title(&long, "（3月）").chars().count(), 100);
    }
}
