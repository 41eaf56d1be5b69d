//! The annual report's figures for one org's subtree and year, each one set-based
//! query over the records (no per-branch loops), and its stored narrative.
use std::collections::HashMap;

use crate::{Conn, Result, Scope, Sql};

fn subtree(path: &str) -> Scope {
    Scope::Subtrees(vec![path.to_string()])
}

fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// Held activities per kind in the year, with 第一议题, people present and the lines of
/// opinions, outcomes and matters (from the year tallies).
pub async fn activity_counts(
    c: &mut Conn,
    path: &str,
    year: i32,
) -> Result<HashMap<String, crate::tally::KindSums>> {
    let rows = crate::tally::activity_sums(c, path, year).await?;
    Ok(rows.into_iter().map(|k| (k.kind.clone(), k)).collect())
}

/// Problems found in the year per source, with their measures (from the year tallies).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceCount {
    pub problems: i64,
    pub closed: i64,
    pub measures: i64,
    pub measures_done: i64,
}

pub async fn problem_counts(
    c: &mut Conn,
    path: &str,
    year: i32,
) -> Result<HashMap<String, SourceCount>> {
    let rows = crate::tally::problem_sums(c, path, year).await?;
    Ok(rows
        .into_iter()
        .map(|(src, problems, closed, measures, measures_done)| {
            (
                src,
                SourceCount {
                    problems,
                    closed,
                    measures,
                    measures_done,
                },
            )
        })
        .collect())
}

/// Tasks due in the year: (all, done).
pub async fn task_counts(c: &mut Conn, path: &str, year: i32) -> Result<(i64, i64)> {
    crate::tally::task_sums(c, path, year).await
}

/// 督办单 issued by the subtree's orgs in the year: (issued, answered). `from_ts` and
/// `to_ts` bound the year in the stored timestamps.
pub async fn notice_counts(
    c: &mut Conn,
    path: &str,
    from_ts: i64,
    to_ts: i64,
) -> Result<(i64, i64)> {
    let mut s = Sql::new(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN state = 'answered' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM supervision_notices WHERE issued_at >= ",
    );
    s.bind(from_ts).push(" AND issued_at < ").bind(to_ts);
    subtree(path).filter(&mut s, "issuing_org_path", None);
    Ok(s.query_as().fetch_one(&mut *c).await?)
}

/// One count over a table of the subtree with a day column in the year.
async fn count_in_year(
    c: &mut Conn,
    table: &str,
    day_col: &str,
    path: &str,
    year: i32,
    extra: &str,
) -> Result<i64> {
    let (from, to) = year_bounds(year);
    // table, column and extra condition are this module's constants
    let mut s = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE {day_col} >= "));
    s.bind(from)
        .push(&format!(" AND {day_col} <= "))
        .bind(to)
        .push(extra);
    let path_col = if table == "orgs" { "path" } else { "org_path" };
    subtree(path).filter(&mut s, path_col, None);
    let (n,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    Ok(n)
}

/// Accountability actions decided in the year.
pub async fn accountability_count(c: &mut Conn, path: &str, year: i32) -> Result<i64> {
    count_in_year(c, "accountability", "decided_on", path, year, "").await
}

/// Members admitted as probationary in the year.
pub async fn new_member_count(c: &mut Conn, path: &str, year: i32) -> Result<i64> {
    count_in_year(c, "people", "joined_on", path, year, "").await
}

/// Orgs whose current term began in the year (re-elected), the report's own org
/// included.
pub async fn reelection_count(c: &mut Conn, path: &str, year: i32) -> Result<i64> {
    count_in_year(
        c,
        "orgs",
        "term_start",
        path,
        year,
        " AND closed_at IS NULL",
    )
    .await
}

/// A problem of the org itself that is still open: for 存在问题.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct OpenProblem {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub source: String,
}

/// The org's own open problems found in the year, self-examinations first. The org
/// is named by its path, whose rows the list indexes hold together (there is no
/// index on `org_id`: a province root's read was a scan of a million problems).
pub async fn open_problems(
    c: &mut Conn,
    org_path: &str,
    year: i32,
    limit: i64,
) -> Result<Vec<OpenProblem>> {
    let (from, to) = year_bounds(year);
    let mut s = Sql::new("SELECT id, title, description, source FROM problems WHERE org_path = ");
    s.bind(org_path)
        .push(" AND state <> 'closed' AND found_on >= ")
        .bind(from)
        .push(" AND found_on <= ")
        .bind(to)
        .push(
            " ORDER BY CASE WHEN source IN ('self_examination', 'democratic_life', 'self_check') THEN 0 ELSE 1 END, found_on, id LIMIT ",
        )
        .bind(limit);
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// An open measure of the org's own problems: for 下一步工作措施.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct OpenMeasure {
    pub id: i64,
    pub problem_id: i64,
    pub content: String,
    pub deadline: String,
}

pub async fn open_measures(c: &mut Conn, org_path: &str, limit: i64) -> Result<Vec<OpenMeasure>> {
    let mut s = Sql::new(
        "SELECT m.id, m.problem_id, m.content, m.deadline FROM problems p JOIN measures m ON p.id = m.problem_id \
         WHERE p.org_path = ",
    );
    s.bind(org_path)
        .push(" AND m.state = 'todo' AND p.state <> 'closed' ORDER BY m.deadline, m.id LIMIT ")
        .bind(limit);
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// The stored narrative of an org's report for a year (JSON), if edited.
pub async fn draft(c: &mut Conn, org_id: i64, year: i32) -> Result<Option<(String, i64)>> {
    Ok(
        sqlx::query_as(
            "SELECT body, updated_at FROM report_drafts WHERE org_id = $1 AND year = $2",
        )
        .bind(org_id)
        .bind(year)
        .fetch_optional(c)
        .await?,
    )
}

pub async fn save_draft(
    c: &mut Conn,
    org_id: i64,
    year: i32,
    body: &str,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO report_drafts (org_id, year, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (org_id, year) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(org_id)
    .bind(year)
    .bind(body)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete_draft(c: &mut Conn, org_id: i64, year: i32) -> Result<bool> {
    let r = sqlx::query("DELETE FROM report_drafts WHERE org_id = $1 AND year = $2")
        .bind(org_id)
        .bind(year)
        .execute(c)
        .await?;
    Ok(r.rows_affected() > 0)
}
