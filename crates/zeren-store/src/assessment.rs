//! Assessment (考核): indicator-system versions, rounds, assessed orgs, scorers'
//! entries, appeals and frozen results; and the record counts a round reads, each one
//! set-based query over a whole scope grouped by org path (a province round is a
//! handful of queries, never one per org or per indicator).
use serde::Serialize;
use sqlx::FromRow;

use crate::{Conn, Result, Scope, Sql};

// ---- record counts, per org path of the scope ----

/// Tasks due in `year`, those done and those done on time, per org (from the year
/// tallies).
pub async fn tasks(c: &mut Conn, scope: &Scope, year: i32) -> Result<Vec<(String, i64, i64, i64)>> {
    let mut s =
        Sql::new("SELECT org_path, tasks, done, done_on_time FROM task_tally WHERE year = ");
    s.bind(i64::from(year))
        .push(" AND (tasks <> 0 OR done <> 0)");
    scope.filter(&mut s, "org_path", None);
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Problems found in `year`, closed, their measures and those done, per org (tallies).
pub async fn problems(
    c: &mut Conn,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(String, i64, i64, i64, i64)>> {
    let mut s = Sql::new(
        "SELECT org_path, CAST(SUM(problems) AS BIGINT), CAST(SUM(closed) AS BIGINT), \
         CAST(SUM(measures) AS BIGINT), CAST(SUM(measures_done) AS BIGINT) FROM problem_tally WHERE year = ",
    );
    s.bind(i64::from(year));
    scope.filter(&mut s, "org_path", None);
    s.push(" GROUP BY org_path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Problems not closed whose deadline is in `[from, before)`, per org: a range of the
/// `problems_state_deadline` index.
pub async fn problems_overdue(
    c: &mut Conn,
    scope: &Scope,
    from: &str,
    before: &str,
) -> Result<Vec<(String, i64)>> {
    let mut s = Sql::new(
        "SELECT org_path, COUNT(*) FROM problems WHERE state IN ('open', 'pending_review') AND deadline >= ",
    );
    s.bind(from).push(" AND deadline < ").bind(before);
    scope.filter(&mut s, "org_path", None);
    s.push(" GROUP BY org_path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Supervision notices due for an answer in `[from, to]`: (org path, due day,
/// answered at). One row per notice; notices are few.
pub async fn notices(
    c: &mut Conn,
    scope: &Scope,
    from: &str,
    to: &str,
) -> Result<Vec<(String, String, Option<i64>)>> {
    let mut s = Sql::new(
        "SELECT org_path, answer_due, answered_at FROM supervision_notices WHERE answer_due >= ",
    );
    s.bind(from).push(" AND answer_due <= ").bind(to);
    scope.filter(&mut s, "org_path", None);
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Accountability actions decided in `[from, to]`, per org.
pub async fn accountability(
    c: &mut Conn,
    scope: &Scope,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64)>> {
    let mut s = Sql::new("SELECT org_path, COUNT(*) FROM accountability WHERE decided_on >= ");
    s.bind(from).push(" AND decided_on <= ").bind(to);
    scope.filter(&mut s, "org_path", None);
    s.push(" GROUP BY org_path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

// ---- systems ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct SystemRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub key: String,
    pub version: i64,
    pub title: String,
    pub source: String,
    pub copied_from: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

const SYSTEM_COLS: &str =
    "id, org_id, org_path, key, version, title, source, copied_from, created_by, created_at";

pub struct NewSystem<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub key: &'a str,
    pub version: i64,
    pub title: &'a str,
    pub source: &'a str,
    pub copied_from: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_system(c: &mut Conn, n: NewSystem<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessment_systems (org_id, org_path, key, version, title, source, copied_from, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(n.org_id)
    .bind(n.org_path)
    .bind(n.key)
    .bind(n.version)
    .bind(n.title)
    .bind(n.source)
    .bind(n.copied_from)
    .bind(n.created_by)
    .bind(n.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Systems of the scope, every version, newest first within a key.
pub async fn systems(c: &mut Conn, scope: &Scope) -> Result<Vec<SystemRow>> {
    let mut s = Sql::new(&format!(
        "SELECT {SYSTEM_COLS} FROM assessment_systems WHERE 1=1"
    ));
    scope.filter(&mut s, "org_path", None);
    s.push(" ORDER BY org_path, key, version DESC");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

pub async fn system(c: &mut Conn, id: i64) -> Result<SystemRow> {
    let mut s = Sql::new(&format!(
        "SELECT {SYSTEM_COLS} FROM assessment_systems WHERE id = "
    ));
    s.bind(id);
    Ok(s.query_as().fetch_one(&mut *c).await?)
}

/// The newest version number of an org's system `key` (0 when none).
pub async fn last_version(c: &mut Conn, org_id: i64, key: &str) -> Result<i64> {
    let (v,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM assessment_systems WHERE org_id = $1 AND key = $2",
    )
    .bind(org_id)
    .bind(key)
    .fetch_one(c)
    .await?;
    Ok(v)
}

// ---- rounds ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RoundRow {
    pub id: i64,
    pub year: i64,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub title: String,
    pub system_id: i64,
    pub as_of: String,
    pub appeal_until: String,
    pub state: String,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub targets: i64,
    pub signed: i64,
    pub appeals_open: i64,
}

const ROUND_SELECT: &str = "SELECT r.id, r.year, r.org_id, r.org_path, o.name AS org_name, r.title, r.system_id, r.as_of,
 r.appeal_until, r.state, r.created_at, r.published_at,
 (SELECT COUNT(*) FROM assessment_targets t WHERE t.round_id = r.id) AS targets,
 (SELECT COUNT(*) FROM assessment_targets t WHERE t.round_id = r.id AND t.signed_at IS NOT NULL) AS signed,
 (SELECT COUNT(*) FROM assessment_appeals a WHERE a.round_id = r.id AND a.outcome IS NULL) AS appeals_open
 FROM assessment_rounds r JOIN orgs o ON o.id = r.org_id WHERE 1=1";

pub struct NewRound<'a> {
    pub year: i64,
    pub org_id: i64,
    pub org_path: &'a str,
    pub title: &'a str,
    pub system_id: i64,
    pub as_of: &'a str,
    pub appeal_until: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_round(c: &mut Conn, n: NewRound<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessment_rounds (year, org_id, org_path, title, system_id, as_of, appeal_until, state, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,'scoring',$8,$9) RETURNING id",
    )
    .bind(n.year)
    .bind(n.org_id)
    .bind(n.org_path)
    .bind(n.title)
    .bind(n.system_id)
    .bind(n.as_of)
    .bind(n.appeal_until)
    .bind(n.created_by)
    .bind(n.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Rounds visible from `scope`: run by an org of the scope, or assessing one (an
/// assessed unit sees the rounds it is in).
pub async fn rounds(c: &mut Conn, scope: &Scope) -> Result<Vec<RoundRow>> {
    let mut s = Sql::new(ROUND_SELECT);
    s.push(" AND (1=1");
    scope.filter(&mut s, "r.org_path", None);
    s.push(" OR EXISTS (SELECT 1 FROM assessment_targets t WHERE t.round_id = r.id");
    scope.filter(&mut s, "t.org_path", None);
    s.push(")) ORDER BY r.year DESC, r.id DESC");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

pub async fn round(c: &mut Conn, id: i64) -> Result<RoundRow> {
    let mut s = Sql::new(ROUND_SELECT);
    s.push(" AND r.id = ").bind(id);
    Ok(s.query_as().fetch_one(&mut *c).await?)
}

/// The round of `year` run by the org at `path`.
pub async fn round_of_year(c: &mut Conn, org_path: &str, year: i64) -> Result<Option<RoundRow>> {
    let mut s = Sql::new(ROUND_SELECT);
    s.push(" AND r.org_path = ")
        .bind(org_path)
        .push(" AND r.year = ")
        .bind(year);
    Ok(s.query_as().fetch_optional(&mut *c).await?)
}

/// Rounds of `year`, oldest first (the CLI picks the one run highest in the tree).
pub async fn rounds_of_year(c: &mut Conn, year: i64) -> Result<Vec<RoundRow>> {
    let mut s = Sql::new(ROUND_SELECT);
    s.push(" AND r.year = ")
        .bind(year)
        .push(" ORDER BY r.org_path, r.id");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

pub async fn set_round_state(
    c: &mut Conn,
    id: i64,
    from: &str,
    to: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE assessment_rounds SET state = $1, published_by = $2, published_at = $3 WHERE id = $4 AND state = $5",
    )
    .bind(to)
    .bind(by)
    .bind(at)
    .bind(id)
    .bind(from)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- targets ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TargetRow {
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub org_code: Option<String>,
    pub grp: String,
    pub signed_at: Option<i64>,
    pub signed_by: Option<i64>,
}

const TARGET_SELECT: &str = "SELECT t.id, t.round_id, t.org_id, t.org_path, o.name AS org_name, o.code AS org_code, t.grp,
 t.signed_at, t.signed_by FROM assessment_targets t JOIN orgs o ON o.id = t.org_id WHERE t.round_id = ";

pub async fn insert_target(
    c: &mut Conn,
    round_id: i64,
    org_id: i64,
    org_path: &str,
    grp: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO assessment_targets (round_id, org_id, org_path, grp) VALUES ($1,$2,$3,$4)",
    )
    .bind(round_id)
    .bind(org_id)
    .bind(org_path)
    .bind(grp)
    .execute(c)
    .await?;
    Ok(())
}

/// The assessed orgs of a round (all of them, or those in `scope`), in tree order.
pub async fn targets(c: &mut Conn, round_id: i64, scope: Option<&Scope>) -> Result<Vec<TargetRow>> {
    let mut s = Sql::new(TARGET_SELECT);
    s.bind(round_id);
    if let Some(scope) = scope {
        scope.filter(&mut s, "t.org_path", None);
    }
    s.push(" ORDER BY t.org_path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

pub async fn sign(
    c: &mut Conn,
    round_id: i64,
    org_id: i64,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE assessment_targets SET signed_at = $1, signed_by = $2 WHERE round_id = $3 AND org_id = $4 AND signed_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(round_id)
    .bind(org_id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- entries ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct EntryRow {
    pub org_id: i64,
    pub item_key: String,
    pub value: i64,
    pub evidence: String,
    pub comment: String,
    pub scored_by: Option<i64>,
    pub scored_at: i64,
}

pub async fn entries(c: &mut Conn, round_id: i64) -> Result<Vec<EntryRow>> {
    Ok(sqlx::query_as(
        "SELECT org_id, item_key, value, evidence, comment, scored_by, scored_at FROM assessment_entries
         WHERE round_id = $1 ORDER BY org_id, item_key",
    )
    .bind(round_id)
    .fetch_all(c)
    .await?)
}

pub struct NewEntry<'a> {
    pub round_id: i64,
    pub org_id: i64,
    pub item_key: &'a str,
    pub value: i64,
    pub evidence: &'a str,
    pub comment: &'a str,
    pub by: Option<i64>,
    pub at: i64,
}

pub async fn put_entry(c: &mut Conn, n: NewEntry<'_>) -> Result<()> {
    sqlx::query(
        "DELETE FROM assessment_entries WHERE round_id = $1 AND org_id = $2 AND item_key = $3",
    )
    .bind(n.round_id)
    .bind(n.org_id)
    .bind(n.item_key)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO assessment_entries (round_id, org_id, item_key, value, evidence, comment, scored_by, scored_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
    )
    .bind(n.round_id)
    .bind(n.org_id)
    .bind(n.item_key)
    .bind(n.value)
    .bind(n.evidence)
    .bind(n.comment)
    .bind(n.by)
    .bind(n.at)
    .execute(c)
    .await?;
    Ok(())
}

// ---- appeals ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AppealRow {
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub item_key: String,
    pub reason: String,
    pub filed_by: Option<i64>,
    pub filed_at: i64,
    pub outcome: Option<String>,
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
}

const APPEAL_SELECT: &str =
    "SELECT a.id, a.round_id, a.org_id, a.org_path, o.name AS org_name, a.item_key, a.reason,
 a.filed_by, a.filed_at, a.outcome, a.answer, a.answered_by, a.answered_at
 FROM assessment_appeals a JOIN orgs o ON o.id = a.org_id WHERE 1=1";

pub struct NewAppeal<'a> {
    pub round_id: i64,
    pub org_id: i64,
    pub org_path: &'a str,
    pub item_key: &'a str,
    pub reason: &'a str,
    pub by: Option<i64>,
    pub at: i64,
}

pub async fn insert_appeal(c: &mut Conn, n: NewAppeal<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessment_appeals (round_id, org_id, org_path, item_key, reason, filed_by, filed_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(n.round_id)
    .bind(n.org_id)
    .bind(n.org_path)
    .bind(n.item_key)
    .bind(n.reason)
    .bind(n.by)
    .bind(n.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Appeals of a round (those of orgs in `scope` when given).
pub async fn appeals(c: &mut Conn, round_id: i64, scope: Option<&Scope>) -> Result<Vec<AppealRow>> {
    let mut s = Sql::new(APPEAL_SELECT);
    s.push(" AND a.round_id = ").bind(round_id);
    if let Some(scope) = scope {
        scope.filter(&mut s, "a.org_path", None);
    }
    s.push(" ORDER BY a.id");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

pub async fn appeal(c: &mut Conn, id: i64) -> Result<AppealRow> {
    let mut s = Sql::new(APPEAL_SELECT);
    s.push(" AND a.id = ").bind(id);
    Ok(s.query_as().fetch_one(&mut *c).await?)
}

pub async fn answer_appeal(
    c: &mut Conn,
    id: i64,
    outcome: &str,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE assessment_appeals SET outcome = $1, answer = $2, answered_by = $3, answered_at = $4
         WHERE id = $5 AND outcome IS NULL",
    )
    .bind(outcome)
    .bind(answer)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- results ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ResultRow {
    pub round_id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub grp: String,
    pub total: i64,
    pub grade: String,
    pub vetoed: i64,
    pub group_rank: i64,
    pub round_rank: i64,
    pub inputs: String,
    pub manual: String,
    pub card: String,
}

pub async fn insert_result(c: &mut Conn, r: &ResultRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO assessment_results (round_id, org_id, org_path, grp, total, grade, vetoed, group_rank, round_rank, inputs, manual, card)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
    )
    .bind(r.round_id)
    .bind(r.org_id)
    .bind(&r.org_path)
    .bind(&r.grp)
    .bind(r.total)
    .bind(&r.grade)
    .bind(r.vetoed)
    .bind(r.group_rank)
    .bind(r.round_rank)
    .bind(&r.inputs)
    .bind(&r.manual)
    .bind(&r.card)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn results(c: &mut Conn, round_id: i64) -> Result<Vec<ResultRow>> {
    Ok(sqlx::query_as(
        "SELECT round_id, org_id, org_path, grp, total, grade, vetoed, group_rank, round_rank, inputs, manual, card
         FROM assessment_results WHERE round_id = $1 ORDER BY org_path",
    )
    .bind(round_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_window(c: &mut Conn, round_id: i64, appeal_until: &str) -> Result<()> {
    sqlx::query("UPDATE assessment_rounds SET appeal_until = $1 WHERE id = $2")
        .bind(appeal_until)
        .bind(round_id)
        .execute(c)
        .await?;
    Ok(())
}

/// One record behind a count (the card's links).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RecordRow {
    /// task, problem, notice, accountability
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub org_name: String,
    pub day: String,
    pub state: String,
}

/// The records behind one metric of one assessed org (its subtree), at most `limit`,
/// with the same conditions as the counts above. Metric keys are
/// `zeren_core::assessment::Metric::as_str`; those read from the compliance check
/// have no list here.
#[allow(clippy::too_many_arguments)]
pub async fn records(
    c: &mut Conn,
    path: &str,
    metric: &str,
    from: &str,
    to: &str,
    overdue_before: &str,
    limit: i64,
) -> Result<Vec<RecordRow>> {
    let mut s = match metric {
        "tasks_due" | "tasks_done" | "tasks_done_on_time" => {
            let mut s = Sql::new(
                "SELECT 'task' AS kind, r.id, r.title, o.name AS org_name, r.deadline AS day, r.state FROM tasks r \
                 JOIN orgs o ON o.id = r.org_id WHERE r.deadline >= ",
            );
            s.bind(from).push(" AND r.deadline <= ").bind(to);
            if metric != "tasks_due" {
                s.push(" AND r.state = 'done'");
            }
            if metric == "tasks_done_on_time" {
                s.push(&format!(
                    " AND (r.completed_at IS NULL OR {} <= {})",
                    cst_day("r.completed_at"),
                    text_day(c, "r.deadline")
                ));
            }
            s
        }
        "problems_found" | "problems_closed" | "measures" | "measures_done" => {
            let mut s = Sql::new(
                "SELECT 'problem' AS kind, r.id, r.title, o.name AS org_name, r.found_on AS day, r.state FROM problems r \
                 JOIN orgs o ON o.id = r.org_id WHERE r.found_on >= ",
            );
            s.bind(from).push(" AND r.found_on <= ").bind(to);
            if metric == "problems_closed" {
                s.push(" AND r.state = 'closed'");
            }
            s
        }
        "problems_overdue" => {
            let mut s = Sql::new(
                "SELECT 'problem' AS kind, r.id, r.title, o.name AS org_name, r.deadline AS day, r.state FROM problems r \
                 JOIN orgs o ON o.id = r.org_id WHERE r.state IN ('open', 'pending_review') AND r.deadline >= ",
            );
            s.bind(from).push(" AND r.deadline < ").bind(overdue_before);
            s
        }
        "notices" | "notices_answered_on_time" => {
            let mut s = Sql::new(
                "SELECT 'notice' AS kind, r.id, r.title, o.name AS org_name, r.answer_due AS day, r.state FROM supervision_notices r \
                 JOIN orgs o ON o.id = r.org_id WHERE r.answer_due >= ",
            );
            s.bind(from).push(" AND r.answer_due <= ").bind(to);
            if metric == "notices_answered_on_time" {
                s.push(&format!(
                    " AND r.answered_at IS NOT NULL AND {} <= {}",
                    cst_day("r.answered_at"),
                    text_day(c, "r.answer_due")
                ));
            }
            s
        }
        "accountability_actions" => {
            let mut s = Sql::new(
                "SELECT 'accountability' AS kind, r.id, r.reason AS title, o.name AS org_name, r.decided_on AS day, r.action AS state \
                 FROM accountability r JOIN orgs o ON o.id = r.org_id WHERE r.decided_on >= ",
            );
            s.bind(from).push(" AND r.decided_on <= ").bind(to);
            s
        }
        _ => return Ok(Vec::new()),
    };
    Scope::Subtrees(vec![path.to_string()]).filter(&mut s, "r.org_path", None);
    s.push(" ORDER BY day, r.id LIMIT ").bind(limit);
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// A unix time's day in China Standard Time, as days since 1970-01-01.
fn cst_day(col: &str) -> String {
    format!("(({col} + 28800) / 86400)")
}

/// A `YYYY-MM-DD` text column as days since 1970-01-01 (the engines spell it apart).
fn text_day(c: &Conn, col: &str) -> String {
    if c.backend_name() == "SQLite" {
        format!("CAST(julianday({col}) - 2440587.5 AS BIGINT)")
    } else {
        format!("CAST(CAST({col} AS DATE) - DATE '1970-01-01' AS BIGINT)")
    }
}

/// The units an assessment usually covers: open 党委 and 党总支 (committee,
/// general_branch) under `path` that hold no other open one (a district's committee
/// is not assessed beside the hospitals and health centres under it). (id, path,
/// name, code), in tree order.
pub async fn units(c: &mut Conn, path: &str) -> Result<Vec<(i64, String, String, Option<String>)>> {
    let mut s = Sql::new(
        "SELECT o.id, o.path, o.name, o.code FROM orgs o WHERE o.kind IN ('committee', 'general_branch') \
         AND o.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM orgs x WHERE x.kind IN ('committee', 'general_branch') \
         AND x.closed_at IS NULL \
         AND x.path > o.path AND x.path < substr(o.path, 1, length(o.path) - 1) || '0')",
    );
    Scope::Subtrees(vec![path.to_string()]).filter(&mut s, "o.path", None);
    s.push(" ORDER BY o.path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}
