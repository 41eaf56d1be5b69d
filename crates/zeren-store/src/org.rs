//! The organisation tree.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct OrgRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub code: Option<String>,
    pub path: String,
    pub depth: i64,
    pub sort_order: i64,
    pub term_start: Option<String>,
    pub term_end: Option<String>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
}

const COLS: &str = "id, parent_id, name, kind, code, path, depth, sort_order, term_start, term_end, closed_at, created_at";

pub struct NewOrg<'a> {
    pub parent: Option<&'a OrgRow>,
    pub name: &'a str,
    pub kind: &'a str,
    pub code: Option<&'a str>,
    pub sort_order: i64,
    pub term_start: Option<String>,
    pub term_end: Option<String>,
    pub now: i64,
}

/// Inserts an org; its path is derived from the parent's and the new id, in the same
/// transaction, so a path always names real ancestors.
pub async fn insert(c: &mut Conn, o: NewOrg<'_>) -> Result<OrgRow> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO orgs (parent_id, name, kind, code, path, depth, sort_order, term_start, term_end, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(o.parent.map(|p| p.id))
    .bind(o.name)
    .bind(o.kind)
    .bind(o.code)
    // placeholder path, unique per insert until replaced below
    .bind(format!("/pending-{}-{}/", o.now, rand_suffix()))
    .bind(o.parent.map(|p| p.depth + 1).unwrap_or(1))
    .bind(o.sort_order)
    .bind(o.term_start)
    .bind(o.term_end)
    .bind(o.now)
    .fetch_one(&mut *c)
    .await?;
    let path = match o.parent {
        Some(p) => format!("{}{id}/", p.path),
        None => format!("/{id}/"),
    };
    sqlx::query("UPDATE orgs SET path = $1 WHERE id = $2")
        .bind(&path)
        .bind(id)
        .execute(&mut *c)
        .await?;
    get(c, id).await
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Bulk insert with caller-chosen ids and paths (demo generation).
pub async fn insert_raw(c: &mut Conn, rows: &[OrgRow]) -> Result<()> {
    for chunk in rows.chunks(500) {
        let mut s = Sql::new(&format!("INSERT INTO orgs ({COLS}) VALUES "));
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(r.id)
                .push(",")
                .bind(r.parent_id)
                .push(",")
                .bind(r.name.as_str())
                .push(",")
                .bind(r.kind.as_str())
                .push(",")
                .bind(r.code.clone())
                .push(",")
                .bind(r.path.as_str())
                .push(",")
                .bind(r.depth)
                .push(",")
                .bind(r.sort_order)
                .push(",")
                .bind(r.term_start.clone())
                .push(",")
                .bind(r.term_end.clone())
                .push(",")
                .bind(r.closed_at)
                .push(",")
                .bind(r.created_at)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn get(c: &mut Conn, id: i64) -> Result<OrgRow> {
    found(
        sqlx::query_as(&format!("SELECT {COLS} FROM orgs WHERE id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// An org, only if it lies within `scope`.
pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<OrgRow> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM orgs WHERE id = "));
    s.bind(id);
    scope.filter(&mut s, "path", None);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn root(c: &mut Conn) -> Result<Option<OrgRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1"
    ))
    .fetch_optional(c)
    .await?)
}

pub async fn children(c: &mut Conn, parent_id: i64) -> Result<Vec<OrgRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM orgs WHERE parent_id = $1 ORDER BY sort_order, id"
    ))
    .bind(parent_id)
    .fetch_all(c)
    .await?)
}

/// The subtree under `path` down to `max_depth` (absolute depth), in tree order. Read
/// one level at a time through the (depth, path) index, so a shallow picker over a
/// large tree does not scan the whole subtree.
/// Open orgs in the scope (and under `under` when given), parents before children:
/// the 党组织 sheet, which an import reads top down.
pub fn export_sql(scope: &Scope, under: Option<&str>) -> Sql {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM orgs WHERE closed_at IS NULL"));
    scope.filter(&mut s, "path", None);
    if let Some(p) = under {
        s.push(" AND path >= ")
            .bind(p)
            .push(" AND path < ")
            .bind(crate::sql::upper(p));
    }
    s.push(" ORDER BY path");
    s
}

pub async fn subtree(c: &mut Conn, path: &str, max_depth: i64, limit: i64) -> Result<Vec<OrgRow>> {
    let top = path.matches('/').count() as i64 - 1;
    let mut out: Vec<OrgRow> = Vec::new();
    for d in top..=max_depth {
        let rows: Vec<OrgRow> = sqlx::query_as(&format!(
            "SELECT {COLS} FROM orgs WHERE depth = $1 AND path >= $2 AND path < $3 ORDER BY path LIMIT $4"
        ))
        .bind(d)
        .bind(path)
        .bind(crate::sql::upper(path))
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        if rows.is_empty() {
            break;
        }
        out.extend(rows);
        if out.len() as i64 >= limit {
            break;
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.truncate(limit.max(0) as usize);
    Ok(out)
}

/// Orgs in scope whose name contains `q` (for pickers), at most `limit`.
pub async fn search(c: &mut Conn, scope: &Scope, q: &str, limit: i64) -> Result<Vec<OrgRow>> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM orgs WHERE closed_at IS NULL"));
    if !q.is_empty() {
        s.push(" AND name LIKE ")
            .bind(format!("%{}%", escape_like(q)))
            .push(" ESCAPE '\\'");
    }
    scope.filter(&mut s, "path", None);
    s.push(" ORDER BY path LIMIT ").bind(limit);
    Ok(s.query_as().fetch_all(c).await?)
}

pub fn escape_like(q: &str) -> String {
    q.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn ancestors(c: &mut Conn, path: &str) -> Result<Vec<OrgRow>> {
    let ids: Vec<i64> = path.split('/').filter_map(|s| s.parse().ok()).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get(c, id).await?);
    }
    Ok(out)
}

pub async fn rename(c: &mut Conn, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE orgs SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_closed(c: &mut Conn, id: i64, at: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE orgs SET closed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Tables that carry a copy of their org's path, rewritten when a subtree moves
/// (the counters are rebuilt instead: the ancestors' totals change too).
/// Every stored copy of an org path, as (table, column): a move rewrites them all.
const PATH_COLUMNS: &[(&str, &str)] = &[
    ("people", "org_path"),
    ("tasks", "org_path"),
    ("problems", "org_path"),
    ("letter_templates", "org_path"),
    ("letters", "org_path"),
    ("duty_reports", "org_path"),
    ("appraisals", "org_path"),
    ("appraisal_reports", "org_path"),
    ("cadre_appointments", "org_path"),
    ("cadre_part_time", "org_path"),
    ("cadre_trainings", "org_path"),
    ("cadre_tolerance", "org_path"),
    ("measures", "org_path"),
    ("evidence", "org_path"),
    ("notifications", "org_path"),
    ("notifications", "recipient_org_path"),
    ("supervision_notices", "org_path"),
    ("supervision_notices", "issuing_org_path"),
    ("accountability", "org_path"),
    ("activities", "org_path"),
    ("member_transfers", "org_path"),
    ("dues_payments", "org_path"),
    ("local_rules", "org_path"),
    ("rule_settings", "org_path"),
    ("petitions", "org_path"),
    ("four_forms_actions", "org_path"),
    ("pm_filers", "org_path"),
    ("pm_batches", "org_path"),
    ("pm_checks", "org_path"),
    ("risk_points", "org_path"),
    ("promotion_checks", "org_path"),
    ("inspection_plans", "org_path"),
    ("inspection_rounds", "org_path"),
    ("inspection_targets", "org_path"),
    ("inspection_outlines", "org_path"),
    ("inspection_talks", "org_path"),
    ("inspection_findings", "org_path"),
    ("inspection_surveys", "org_path"),
    ("rectification_systems", "org_path"),
];

/// Moves the subtree rooted at `org` under `new_parent`, rewriting every stored path
/// in one statement per table. The caller checks for cycles and runs this inside a
/// transaction.
pub async fn move_subtree(c: &mut Conn, org: &OrgRow, new_parent: &OrgRow) -> Result<()> {
    let old = org.path.clone();
    let new = format!("{}{}/", new_parent.path, org.id);
    let depth_delta = new_parent.depth + 1 - org.depth;
    let up = crate::sql::upper(&old);
    let old_len = old.chars().count() as i64;
    sqlx::query(
        "UPDATE orgs SET path = $1 || SUBSTR(path, CAST($2 AS INTEGER)), depth = depth + $3 WHERE path >= $4 AND path < $5",
    )
    .bind(&new)
    .bind(old_len + 1)
    .bind(depth_delta)
    .bind(&old)
    .bind(&up)
    .execute(&mut *c)
    .await?;
    sqlx::query("UPDATE orgs SET parent_id = $1 WHERE id = $2")
        .bind(new_parent.id)
        .bind(org.id)
        .execute(&mut *c)
        .await?;
    for &(t, col) in PATH_COLUMNS {
        sqlx::query(&format!(
            "UPDATE {t} SET {col} = $1 || SUBSTR({col}, CAST($2 AS INTEGER)) WHERE {col} >= $3 AND {col} < $4"
        ))
        .bind(&new)
        .bind(old_len + 1)
        .bind(&old)
        .bind(&up)
        .execute(&mut *c)
        .await?;
    }
    crate::counters::rebuild(c, "task", "tasks").await?;
    crate::counters::rebuild(c, "problem", "problems").await?;
    Ok(())
}

/// Number of open orgs by kind under `path` (the path's own org included).
pub async fn count_by_kind(c: &mut Conn, path: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT kind, COUNT(*) FROM orgs WHERE path >= $1 AND path < $2 AND closed_at IS NULL GROUP BY kind",
    )
    .bind(path)
    .bind(crate::sql::upper(path))
    .fetch_all(c)
    .await?)
}
