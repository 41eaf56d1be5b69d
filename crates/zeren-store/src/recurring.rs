//! Recurring duties and year roll-over: the cadence of a duty, its occurrences (one
//! child task per period and org, made idempotent by the unique index
//! `tasks_occurrence(occurrence_of, org_id, period)`), and copies of a plan into the
//! next year that keep the link to last year's plan and tasks.
use serde::Serialize;
use sqlx::FromRow;

use crate::plan::PlanRow;
use crate::task::TaskRow;
use crate::{counters, Conn, Result};

/// The recurrence columns of a task (migration 0004).
#[derive(Debug, Clone, Default, FromRow, Serialize, PartialEq)]
pub struct TaskLinks {
    pub cadence: Option<String>,
    pub occurrence_of: Option<i64>,
    pub period: Option<String>,
    pub previous_task_id: Option<i64>,
}

pub async fn links(c: &mut Conn, task_id: i64) -> Result<TaskLinks> {
    Ok(sqlx::query_as(
        "SELECT cadence, occurrence_of, period, previous_task_id FROM tasks WHERE id = $1",
    )
    .bind(task_id)
    .fetch_optional(c)
    .await?
    .unwrap_or_default())
}

pub async fn set_cadence(
    c: &mut Conn,
    task_id: i64,
    cadence: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE tasks SET cadence = $1, updated_at = $2 WHERE id = $3")
        .bind(cadence)
        .bind(now)
        .bind(task_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Gives decomposed copies of a recurring duty the duty's cadence, one level per pass,
/// so that a duty handed down to every unit recurs for every unit. Occurrences are
/// never duties themselves. Returns the number of tasks changed.
///
/// "Not an occurrence" is spelt `COALESCE(occurrence_of, 0) = 0` throughout: written
/// `occurrence_of IS NULL`, SQLite's planner reads it through the unique index
/// `tasks_occurrence`, where every ordinary task matches (a million-row walk), instead
/// of the small partial index `tasks_cadence`.
pub async fn propagate_cadence(c: &mut Conn) -> Result<u64> {
    let mut total = 0;
    // the tree is a handful of levels deep; the bound only guards against a cycle
    for _ in 0..16 {
        let n = sqlx::query(
            "UPDATE tasks SET cadence = (SELECT p.cadence FROM tasks p WHERE p.id = tasks.parent_id)
             WHERE cadence IS NULL AND COALESCE(occurrence_of, 0) = 0
               AND parent_id IN (SELECT id FROM tasks WHERE cadence IS NOT NULL AND COALESCE(occurrence_of, 0) = 0)",
        )
        .execute(&mut *c)
        .await?
        .rows_affected();
        total += n;
        if n == 0 {
            break;
        }
    }
    Ok(total)
}

/// Recurring duties of `year` (the plan's year, or the deadline's for a task outside a
/// plan) in open orgs that still lack some of the year's occurrences, as (task id,
/// cadence). A cycle where every occurrence exists reads the duties and one index
/// count each, and writes nothing.
///
/// `only` narrows to one task; otherwise duties after id `after`, at most `limit`,
/// in id order (the engine walks them in batches).
pub async fn duties_lacking(
    c: &mut Conn,
    year: i32,
    only: Option<i64>,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let mut s = crate::Sql::new(
        "SELECT t.id, t.cadence FROM tasks t
         JOIN orgs o ON o.id = t.org_id
         LEFT JOIN plans p ON p.id = t.plan_id
         WHERE t.cadence IS NOT NULL AND COALESCE(t.occurrence_of, 0) = 0 AND o.closed_at IS NULL
           AND (p.year = ",
    );
    s.bind(i64::from(year))
        .push(" OR (p.id IS NULL AND t.deadline >= ")
        .bind(format!("{year}-01-01"))
        .push(" AND t.deadline <= ")
        .bind(format!("{year}-12-31"))
        .push("))
           AND (SELECT COUNT(*) FROM tasks k WHERE k.occurrence_of = t.id AND k.org_id = t.org_id AND k.period LIKE ")
        .bind(format!("{year}%"))
        .push(
            ") < CASE t.cadence WHEN 'monthly' THEN 12 WHEN 'quarterly' THEN 4
                 WHEN 'half_yearly' THEN 2 WHEN 'yearly' THEN 1 ELSE 0 END",
        );
    if let Some(id) = only {
        s.push(" AND t.id = ").bind(id);
    }
    s.push(" AND t.id > ")
        .bind(after)
        .push(" ORDER BY t.id LIMIT ")
        .bind(limit);
    Ok(s.query_as().fetch_all(c).await?)
}

/// One occurrence of `duty`: a child task of the duty for the duty's org. Inserts
/// nothing when that (duty, org, period) exists already; counters move only for a row
/// actually written. Returns the new id, if any.
pub async fn insert_occurrence(
    c: &mut Conn,
    duty: &TaskRow,
    period: &str,
    title: &str,
    deadline: &str,
    now: i64,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO tasks (plan_id, parent_id, org_id, org_path, issuing_org_id, category, subject, title, content, leader_id, person_id, deadline, state, created_at, updated_at, occurrence_of, period)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,'not_started',$13,$14,$15,$16)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(duty.plan_id)
    .bind(duty.id)
    .bind(duty.org_id)
    .bind(&duty.org_path)
    .bind(duty.issuing_org_id)
    .bind(&duty.category)
    .bind(&duty.subject)
    .bind(title)
    .bind(&duty.content)
    .bind(duty.leader_id)
    .bind(duty.person_id)
    .bind(deadline)
    .bind(now)
    .bind(now)
    .bind(duty.id)
    .bind(period)
    .fetch_optional(&mut *c)
    .await?;
    if let Some((id,)) = row {
        counters::bump(c, "task", &duty.org_path, "not_started", 1).await?;
        return Ok(Some(id));
    }
    Ok(None)
}

/// The plan rolled from `plan_id` into `year`, if there is one.
pub async fn rolled_from(c: &mut Conn, plan_id: i64, year: i64) -> Result<Option<i64>> {
    let r: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM plans WHERE previous_plan_id = $1 AND year = $2")
            .bind(plan_id)
            .bind(year)
            .fetch_optional(c)
            .await?;
    Ok(r.map(|x| x.0))
}

pub async fn previous_plan(c: &mut Conn, plan_id: i64) -> Result<Option<i64>> {
    let r: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT previous_plan_id FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(c)
            .await?;
    Ok(r.and_then(|x| x.0))
}

pub async fn insert_plan_copy(c: &mut Conn, p: &PlanRow, previous_plan_id: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (year, title, org_id, template_key, created_by, created_at, previous_plan_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(p.year)
    .bind(&p.title)
    .bind(p.org_id)
    .bind(&p.template_key)
    .bind(p.created_by)
    .bind(p.created_at)
    .bind(previous_plan_id)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// The copy of `task_id` in the following year's plan, if it was rolled over.
pub async fn next_task(c: &mut Conn, task_id: i64) -> Result<Option<i64>> {
    let r: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM tasks WHERE previous_task_id = $1 ORDER BY id LIMIT 1")
            .bind(task_id)
            .fetch_optional(c)
            .await?;
    Ok(r.map(|x| x.0))
}

/// Who and when, for the timeline lines of a roll-over.
pub struct RollBy<'a> {
    pub now: i64,
    pub actor_id: i64,
    pub actor_name: &'a str,
    /// The timeline line's start, e.g. "由2026年度任务 #" (the original's id follows).
    pub detail_prefix: &'a str,
}

/// Copies the tasks of plan `from` (all but occurrences) into plan `to` in a few
/// set-wise statements: states reset to not started, deadlines moved by `years` whole
/// years (29 February becomes 28 February in a common year), cadence kept, each copy
/// linked to its original through `previous_task_id` and placed under the copy of its
/// original's parent. Writes each copy's timeline line. Counters are left to the
/// caller, who gets the number of copies per org path.
pub async fn roll_tasks(
    c: &mut Conn,
    from: i64,
    to: i64,
    years: i64,
    by: &RollBy<'_>,
) -> Result<Vec<(String, i64)>> {
    // the new year of a deadline, and whether it is a leap year
    let y = "(CAST(SUBSTR(o.deadline, 1, 4) AS INTEGER) + $2)";
    let leap = format!("(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)");
    sqlx::query(&format!(
        "INSERT INTO tasks (plan_id, parent_id, org_id, org_path, issuing_org_id, category, subject, title, content, leader_id, person_id, deadline, state, created_at, updated_at, cadence, previous_task_id)
         SELECT $1, NULL, o.org_id, o.org_path, o.issuing_org_id, o.category, o.subject, o.title, o.content, o.leader_id, o.person_id,
           CAST({y} AS TEXT) || CASE WHEN SUBSTR(o.deadline, 6, 5) = '02-29' AND NOT {leap} THEN '-02-28' ELSE SUBSTR(o.deadline, 5) END,
           'not_started', $3, $3, o.cadence, o.id
         FROM tasks o WHERE o.plan_id = $4 AND COALESCE(o.occurrence_of, 0) = 0 ORDER BY o.id"
    ))
    .bind(to)
    .bind(years)
    .bind(by.now)
    .bind(from)
    .execute(&mut *c)
    .await?;
    // the tree: a copy's parent is the copy of its original's parent
    sqlx::query(
        "UPDATE tasks SET parent_id = (
           SELECT n.id FROM tasks n WHERE n.plan_id = $1 AND n.previous_task_id = (
             SELECT o.parent_id FROM tasks o WHERE o.id = tasks.previous_task_id))
         WHERE plan_id = $1",
    )
    .bind(to)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO history (object_kind, object_id, at, actor_id, actor_name, action, detail)
         SELECT 'task', id, $2, $3, $4, '年度结转', $5 || CAST(previous_task_id AS TEXT) || ' 结转'
         FROM tasks WHERE plan_id = $1 ORDER BY id",
    )
    .bind(to)
    .bind(by.now)
    .bind(by.actor_id)
    .bind(by.actor_name)
    .bind(by.detail_prefix)
    .execute(&mut *c)
    .await?;
    Ok(
        sqlx::query_as("SELECT org_path, COUNT(*) FROM tasks WHERE plan_id = $1 GROUP BY org_path")
            .bind(to)
            .fetch_all(c)
            .await?,
    )
}
