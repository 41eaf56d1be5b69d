//! Pressure transmission (压力传导) figures: tasks due in a period, aggregated in SQL
//! per org (one row per org with tasks due, rolled up to levels and subtrees by the
//! caller) and, for the few late tasks, per level, child of the scope root and days
//! late. The subtree is a range on `org_path`; the level is read off the path itself
//! (one '/' per level), so no join is needed. At a million tasks the root's figures
//! read the covering index `tasks_pressure` once (about 0.25 s on SQLite).
use sqlx::FromRow;

use crate::{Conn, Result, Sql};

/// Counts for the tasks of one org (not its subtree). Grouping by `org_path` reads
/// the covering index `tasks_pressure` in order, with no sort; the caller rolls the
/// rows (one per org with tasks due) up to levels and subtrees.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct OrgCounts {
    pub org_path: String,
    pub due: i64,
    pub on_time: i64,
    pub overdue: i64,
}

/// Number of late tasks (done late, or open past the deadline) per days late.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct LateBucket {
    pub slashes: i64,
    pub child: i64,
    pub days: i64,
    pub n: i64,
}

/// Notices (督办单) issued to orgs in the cell in the period, and how many answered.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct NoticeCounts {
    pub slashes: i64,
    pub child: i64,
    pub issued: i64,
    pub answered: i64,
}

/// What one query covers.
pub struct Slice<'a> {
    pub root_path: &'a str,
    /// Paths of the root's direct children, in display order.
    pub children: &'a [String],
    /// Deadlines in `[from, to]` (dates `YYYY-MM-DD`).
    pub from: &'a str,
    pub to: &'a str,
    /// Today, for "open and past the deadline".
    pub today: &'a str,
    /// Today as days since 1970-01-01.
    pub today_day: i64,
    /// Notices issued in `[from_ts, to_ts)` (unix seconds).
    pub from_ts: i64,
    pub to_ts: i64,
}

const OPEN: &str = "('not_started','in_progress','pending_review','returned')";

fn slashes(col: &str) -> String {
    format!("(LENGTH({col}) - LENGTH(REPLACE({col}, '/', '')))")
}

/// `CASE WHEN path in child 0 THEN 0 WHEN … ELSE -1 END`.
fn child_case(s: &mut Sql, col: &str, children: &[String]) {
    if children.is_empty() {
        s.push("-1");
        return;
    }
    s.push("CASE");
    for (i, p) in children.iter().enumerate() {
        s.push(&format!(" WHEN {col} >= "))
            .bind(p.as_str())
            .push(&format!(" AND {col} < "))
            .bind(crate::sql::upper(p))
            .push(&format!(" THEN {i}"));
    }
    s.push(" ELSE -1 END");
}

/// The deadline as days since 1970-01-01: the one expression the engines spell
/// differently.
fn deadline_day(c: &Conn) -> &'static str {
    if c.backend_name() == "SQLite" {
        "CAST(julianday(t.deadline) - 2440587.5 AS BIGINT)"
    } else {
        "CAST(CAST(t.deadline AS DATE) - DATE '1970-01-01' AS BIGINT)"
    }
}

/// The day (China Standard Time) a task was completed, as days since 1970-01-01.
const DONE_DAY: &str = "((t.completed_at + 28800) / 86400)";

fn task_where(s: &mut Sql, q: &Slice) {
    s.push(" FROM tasks t WHERE t.org_path >= ")
        .bind(q.root_path)
        .push(" AND t.org_path < ")
        .bind(crate::sql::upper(q.root_path))
        .push(" AND t.deadline >= ")
        .bind(q.from)
        .push(" AND t.deadline <= ")
        .bind(q.to);
}

pub async fn by_org(c: &mut Conn, q: &Slice<'_>) -> Result<Vec<OrgCounts>> {
    let dday = deadline_day(c);
    let mut s = Sql::new(&format!(
        "SELECT t.org_path, COUNT(*) AS due,
         CAST(COALESCE(SUM(CASE WHEN t.state = 'done' AND (t.completed_at IS NULL OR {DONE_DAY} <= {dday}) THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_time,
         CAST(COALESCE(SUM(CASE WHEN t.state IN {OPEN} AND t.deadline < "
    ));
    s.bind(q.today)
        .push(" THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue");
    task_where(&mut s, q);
    s.push(" GROUP BY t.org_path");
    Ok(s.query_as().fetch_all(c).await?)
}

/// Late tasks are few: they are bucketed by level, child and days late in SQL.
pub async fn late_buckets(c: &mut Conn, q: &Slice<'_>) -> Result<Vec<LateBucket>> {
    let dday = deadline_day(c);
    let mut s = Sql::new(&format!(
        "SELECT CAST({} AS BIGINT) AS slashes, CAST(",
        slashes("t.org_path")
    ));
    child_case(&mut s, "t.org_path", q.children);
    s.push(&format!(
        " AS BIGINT) AS child, CAST(CASE WHEN t.state = 'done' THEN {DONE_DAY} ELSE "
    ))
    .bind(q.today_day)
    .push(&format!(" END - {dday} AS BIGINT) AS days, COUNT(*) AS n"));
    task_where(&mut s, q);
    s.push(&format!(
        " AND ((t.state = 'done' AND t.completed_at IS NOT NULL AND {DONE_DAY} > {dday}) OR (t.state IN {OPEN} AND t.deadline < "
    ))
    .bind(q.today)
    .push(")) GROUP BY 1, 2, 3");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn notices(c: &mut Conn, q: &Slice<'_>) -> Result<Vec<NoticeCounts>> {
    let mut s = Sql::new(&format!(
        "SELECT CAST({} AS BIGINT) AS slashes, CAST(",
        slashes("n.org_path")
    ));
    child_case(&mut s, "n.org_path", q.children);
    s.push(
        " AS BIGINT) AS child, COUNT(*) AS issued,
         CAST(COALESCE(SUM(CASE WHEN n.answered_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS answered
         FROM supervision_notices n WHERE n.org_path >= ",
    )
    .bind(q.root_path)
    .push(" AND n.org_path < ")
    .bind(crate::sql::upper(q.root_path))
    .push(" AND n.issued_at >= ")
    .bind(q.from_ts)
    .push(" AND n.issued_at < ")
    .bind(q.to_ts)
    .push(" GROUP BY 1, 2");
    Ok(s.query_as().fetch_all(c).await?)
}
