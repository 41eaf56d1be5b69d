//! Tasks of responsibility lists, their decomposition and progress reports.
use serde::Serialize;
use sqlx::FromRow;

use crate::{counters, found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TaskRow {
    pub id: i64,
    pub plan_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub org_id: i64,
    pub org_path: String,
    pub issuing_org_id: i64,
    pub category: String,
    pub subject: String,
    pub title: String,
    pub content: String,
    pub leader_id: Option<i64>,
    pub person_id: Option<i64>,
    pub deadline: String,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
}

/// A task as lists show it: with the names a reader needs.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TaskListRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub org_id: i64,
    pub org_name: String,
    pub issuing_org_id: i64,
    pub issuing_org_name: String,
    pub category: String,
    pub subject: String,
    pub title: String,
    pub leader_name: Option<String>,
    pub person_name: Option<String>,
    pub deadline: String,
    pub state: String,
    pub children: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ReportRow {
    pub id: i64,
    pub task_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
}

pub const COLS: &str = "id, plan_id, parent_id, org_id, org_path, issuing_org_id, category, subject, title, content, leader_id, person_id, deadline, state, created_at, updated_at, completed_at";

pub async fn insert(c: &mut Conn, t: &TaskRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO tasks (plan_id, parent_id, org_id, org_path, issuing_org_id, category, subject, title, content, leader_id, person_id, deadline, state, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING id",
    )
    .bind(t.plan_id)
    .bind(t.parent_id)
    .bind(t.org_id)
    .bind(&t.org_path)
    .bind(t.issuing_org_id)
    .bind(&t.category)
    .bind(&t.subject)
    .bind(&t.title)
    .bind(&t.content)
    .bind(t.leader_id)
    .bind(t.person_id)
    .bind(&t.deadline)
    .bind(&t.state)
    .bind(t.created_at)
    .bind(t.updated_at)
    .fetch_one(&mut *c)
    .await?;
    counters::bump(c, "task", &t.org_path, &t.state, 1).await?;
    Ok(id)
}

/// Bulk insert with explicit ids; counters are rebuilt by the caller afterwards.
pub async fn insert_raw(c: &mut Conn, rows: &[TaskRow]) -> Result<()> {
    for chunk in rows.chunks(200) {
        let mut s = Sql::new(&format!("INSERT INTO tasks ({COLS}) VALUES "));
        for (i, t) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(t.id)
                .push(",")
                .bind(t.plan_id)
                .push(",")
                .bind(t.parent_id)
                .push(",")
                .bind(t.org_id)
                .push(",")
                .bind(t.org_path.as_str())
                .push(",")
                .bind(t.issuing_org_id)
                .push(",")
                .bind(t.category.as_str())
                .push(",")
                .bind(t.subject.as_str())
                .push(",")
                .bind(t.title.as_str())
                .push(",")
                .bind(t.content.as_str())
                .push(",")
                .bind(t.leader_id)
                .push(",")
                .bind(t.person_id)
                .push(",")
                .bind(t.deadline.as_str())
                .push(",")
                .bind(t.state.as_str())
                .push(",")
                .bind(t.created_at)
                .push(",")
                .bind(t.updated_at)
                .push(",")
                .bind(t.completed_at)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn get(c: &mut Conn, id: i64) -> Result<TaskRow> {
    found(
        sqlx::query_as(&format!("SELECT {COLS} FROM tasks WHERE id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// A task only if `scope` may see it. Tasks issued by an org in scope are visible
/// too, so the issuing office can follow what it handed down.
pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<TaskRow> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM tasks WHERE id = "));
    s.bind(id);
    scope.filter(&mut s, "org_path", Some("person_id"));
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn set_state(c: &mut Conn, t: &TaskRow, state: &str, now: i64) -> Result<()> {
    let done_at = (state == "done").then_some(now);
    let n = sqlx::query("UPDATE tasks SET state = $1, updated_at = $2, completed_at = $3 WHERE id = $4 AND state = $5")
        .bind(state)
        .bind(now)
        .bind(done_at)
        .bind(t.id)
        .bind(&t.state)
        .execute(&mut *c)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(crate::StoreError::Conflict);
    }
    counters::shift(c, "task", &t.org_path, &t.state, state).await
}

pub async fn update_fields(c: &mut Conn, t: &TaskRow, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE tasks SET category=$1, title=$2, content=$3, leader_id=$4, person_id=$5, deadline=$6, updated_at=$7, remind_on='0000-00-00' WHERE id=$8",
    )
    .bind(&t.category)
    .bind(&t.title)
    .bind(&t.content)
    .bind(t.leader_id)
    .bind(t.person_id)
    .bind(&t.deadline)
    .bind(now)
    .bind(t.id)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub org_path: Option<String>,
    pub states: Vec<String>,
    pub overdue_on: Option<String>,
    pub due_before: Option<String>,
    pub q: Option<String>,
    /// Only rows issued by an org inside this subtree (a reviewer's queue).
    pub issued_under: Option<String>,
    pub person_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub top_level: bool,
    pub sort: Sort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    DeadlineAsc,
    DeadlineDesc,
    Newest,
}

impl Sort {
    pub fn parse(s: &str) -> Sort {
        match s {
            "deadline_desc" => Sort::DeadlineDesc,
            "newest" => Sort::Newest,
            _ => Sort::DeadlineAsc,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::DeadlineAsc => "deadline",
            Sort::DeadlineDesc => "deadline_desc",
            Sort::Newest => "newest",
        }
    }
    pub fn order_by(self, alias: &str) -> String {
        match self {
            Sort::DeadlineAsc => format!(" ORDER BY {alias}.deadline, {alias}.id"),
            Sort::DeadlineDesc => format!(" ORDER BY {alias}.deadline DESC, {alias}.id DESC"),
            Sort::Newest => format!(" ORDER BY {alias}.id DESC"),
        }
    }
}

/// Appends the state list as `AND col IN (...)`.
pub fn push_states(s: &mut Sql, col: &str, states: &[String]) {
    if states.is_empty() {
        return;
    }
    s.push(&format!(" AND {col} IN ("));
    for (i, st) in states.iter().enumerate() {
        if i > 0 {
            s.push(",");
        }
        s.bind(st.as_str());
    }
    s.push(")");
}

fn list_where(scope: &Scope, f: &TaskFilter, s: &mut Sql) {
    scope.filter(s, "t.org_path", Some("t.person_id"));
    push_states(s, "t.state", &f.states);
    if let Some(p) = &f.org_path {
        s.push(" AND t.org_path >= ")
            .bind(p.as_str())
            .push(" AND t.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(d) = &f.overdue_on {
        s.push(" AND t.deadline < ")
            .bind(d.as_str())
            .push(" AND t.state IN ('not_started','in_progress','pending_review','returned')");
    }
    if let Some(d) = &f.due_before {
        s.push(" AND t.deadline <= ").bind(d.as_str());
    }
    if let Some(path) = &f.issued_under {
        s.push(" AND t.issuing_org_id IN (SELECT id FROM orgs WHERE path >= ")
            .bind(path.as_str())
            .push(" AND path < ")
            .bind(crate::sql::upper(path))
            .push(")");
    }
    if let Some(q) = &f.q {
        s.push(" AND t.title LIKE ")
            .bind(format!("%{}%", crate::org::escape_like(q)))
            .push(" ESCAPE '\\'");
    }
    if let Some(p) = f.person_id {
        s.push(" AND (t.person_id = ")
            .bind(p)
            .push(" OR t.leader_id = ")
            .bind(p)
            .push(")");
    }
    if let Some(p) = f.plan_id {
        s.push(" AND t.plan_id = ").bind(p);
    }
    if let Some(p) = f.parent_id {
        s.push(" AND t.parent_id = ").bind(p);
    }
    if f.top_level {
        s.push(" AND t.parent_id IS NULL");
    }
}

const LIST_SELECT: &str = "SELECT t.id, t.parent_id, t.org_id, o.name AS org_name, t.issuing_org_id, io.name AS issuing_org_name,
 t.category, t.subject, t.title, l.name AS leader_name, pp.name AS person_name, t.deadline, t.state,
 (SELECT COUNT(*) FROM tasks k WHERE k.parent_id = t.id) AS children
 FROM tasks t JOIN orgs o ON o.id = t.org_id JOIN orgs io ON io.id = t.issuing_org_id
 LEFT JOIN people l ON l.id = t.leader_id LEFT JOIN people pp ON pp.id = t.person_id WHERE 1=1";

pub async fn list(c: &mut Conn, scope: &Scope, f: &TaskFilter) -> Result<(Vec<TaskListRow>, i64)> {
    let total = count(c, scope, f).await?;
    let mut s = list_sql(c, scope, f, total);
    s.push(" LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    Ok((rows, total))
}

/// The list's query in its order, without a page: `total` rows match.
fn list_sql(c: &Conn, scope: &Scope, f: &TaskFilter, total: i64) -> Sql {
    let by_deadline = f.sort != Sort::Newest;
    let select = match crate::sql::wide_index(c, "tasks", total, &f.states, by_deadline) {
        Some(ix) => LIST_SELECT.replacen(
            "FROM tasks t ",
            &format!("FROM tasks t INDEXED BY {ix} "),
            1,
        ),
        None => LIST_SELECT.to_string(),
    };
    let mut s = Sql::new(&select);
    list_where(scope, f, &mut s);
    s.push(&f.sort.order_by("t"));
    s
}

/// The whole list as filtered, in its order, for reading in one pass
/// (`Sql::for_each_chunk`).
pub async fn export_sql(c: &mut Conn, scope: &Scope, f: &TaskFilter) -> Result<Sql> {
    let total = count(c, scope, f).await?;
    Ok(list_sql(c, scope, f, total))
}

/// The number of matching rows; served from counters when the filter is only scope,
/// subtree and state.
pub async fn count(c: &mut Conn, scope: &Scope, f: &TaskFilter) -> Result<i64> {
    let simple = f.overdue_on.is_none()
        && f.due_before.is_none()
        && f.q.is_none()
        && f.issued_under.is_none()
        && f.person_id.is_none()
        && f.plan_id.is_none()
        && f.parent_id.is_none()
        && !f.top_level
        && matches!(scope, Scope::Subtrees(_));
    if simple {
        let states: Vec<&str> = f.states.iter().map(String::as_str).collect();
        return counters::sum(c, "task", scope, f.org_path.as_deref(), &states).await;
    }
    let mut s = Sql::new("SELECT COUNT(*) FROM tasks t WHERE 1=1");
    list_where(scope, f, &mut s);
    let (n,): (i64,) = s.query_as().fetch_one(c).await?;
    Ok(n)
}

pub async fn list_row(c: &mut Conn, id: i64) -> Result<TaskListRow> {
    let mut s = Sql::new(LIST_SELECT);
    s.push(" AND t.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn children(c: &mut Conn, parent_id: i64) -> Result<Vec<TaskListRow>> {
    let mut s = Sql::new(LIST_SELECT);
    s.push(" AND t.parent_id = ")
        .bind(parent_id)
        .push(" ORDER BY o.path, t.id");
    Ok(s.query_as().fetch_all(c).await?)
}

/// Roll-up of the whole decomposition below `id` (children and their descendants
/// are found through the parent chain, one level at a time).
pub async fn rollup(c: &mut Conn, id: i64, today: &str) -> Result<zeren_core::task::Rollup> {
    let (total, done, pending, overdue): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN state = 'pending_review' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN state <> 'done' AND deadline < $2 THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM tasks WHERE parent_id = $1",
    )
    .bind(id)
    .bind(today)
    .fetch_one(c)
    .await?;
    Ok(zeren_core::task::Rollup {
        total,
        done,
        pending_review: pending,
        overdue,
    })
}

pub async fn insert_report(
    c: &mut Conn,
    task_id: i64,
    author_id: Option<i64>,
    body: &str,
    now: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO task_reports (task_id, author_id, body, created_at) VALUES ($1,$2,$3,$4) RETURNING id",
    )
    .bind(task_id)
    .bind(author_id)
    .bind(body)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn reports(c: &mut Conn, task_id: i64) -> Result<Vec<ReportRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.task_id, r.author_id, u.display_name AS author_name, r.body, r.created_at
         FROM task_reports r LEFT JOIN users u ON u.id = r.author_id WHERE r.task_id = $1 ORDER BY r.id",
    )
    .bind(task_id)
    .fetch_all(c)
    .await?)
}

/// Completion figures for the direct children of `parent_path`'s org, one row per
/// child org: (org id, name, path, total, done, overdue).
pub async fn by_child_org(
    c: &mut Conn,
    parent_org_id: i64,
    today: &str,
) -> Result<Vec<(i64, String, String, i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.name, o.path,
           (SELECT CAST(COALESCE(SUM(n),0) AS BIGINT) FROM counters k WHERE k.kind='task' AND k.org_path = o.path),
           (SELECT CAST(COALESCE(SUM(n),0) AS BIGINT) FROM counters k WHERE k.kind='task' AND k.state='done' AND k.org_path = o.path),
           (SELECT COUNT(*) FROM tasks t WHERE t.state IN ('not_started','in_progress','pending_review','returned') AND t.deadline < $2 AND t.org_path >= o.path AND t.org_path < (SUBSTR(o.path, 1, LENGTH(o.path) - 1) || '0'))
         FROM orgs o WHERE o.parent_id = $1 AND o.closed_at IS NULL ORDER BY o.sort_order, o.id",
    )
    .bind(parent_org_id)
    .bind(today)
    .fetch_all(c)
    .await?)
}

pub async fn task_of_report(c: &mut Conn, report_id: i64) -> Result<Option<(i64,)>> {
    Ok(
        sqlx::query_as("SELECT task_id FROM task_reports WHERE id = $1")
            .bind(report_id)
            .fetch_optional(c)
            .await?,
    )
}
