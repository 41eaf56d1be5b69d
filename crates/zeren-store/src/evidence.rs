//! Evidence files: content-addressed blobs (stored on disk by the app) and their
//! attachment to records.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct EvidenceRow {
    pub id: i64,
    pub object_kind: String,
    pub object_id: i64,
    pub org_path: String,
    pub sha256: String,
    pub filename: String,
    pub size: i64,
    pub mime: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: i64,
}

pub async fn upsert_file(
    c: &mut Conn,
    sha256: &str,
    size: i64,
    mime: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO files (sha256, size, mime, created_at) VALUES ($1,$2,$3,$4) ON CONFLICT (sha256) DO NOTHING")
        .bind(sha256)
        .bind(size)
        .bind(mime)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

pub struct NewEvidence<'a> {
    pub object_kind: &'a str,
    pub object_id: i64,
    pub org_path: &'a str,
    pub sha256: &'a str,
    pub filename: &'a str,
    pub uploaded_by: Option<i64>,
    pub now: i64,
}

pub async fn attach(c: &mut Conn, e: NewEvidence<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO evidence (object_kind, object_id, org_path, sha256, filename, uploaded_by, uploaded_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(e.object_kind)
    .bind(e.object_id)
    .bind(e.org_path)
    .bind(e.sha256)
    .bind(e.filename)
    .bind(e.uploaded_by)
    .bind(e.now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT e.id, e.object_kind, e.object_id, e.org_path, e.sha256, e.filename, f.size, f.mime, e.uploaded_by, e.uploaded_at FROM evidence e JOIN files f ON f.sha256 = e.sha256";

pub async fn of(c: &mut Conn, object_kind: &str, object_id: i64) -> Result<Vec<EvidenceRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE e.object_kind = $1 AND e.object_id = $2 ORDER BY e.id"
    ))
    .bind(object_kind)
    .bind(object_id)
    .fetch_all(c)
    .await?)
}

/// Evidence of several objects of one kind (e.g. all measures of a problem).
pub async fn of_many(c: &mut Conn, object_kind: &str, ids: &[i64]) -> Result<Vec<EvidenceRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut s = Sql::new(SELECT);
    s.push(" WHERE e.object_kind = ")
        .bind(object_kind)
        .push(" AND e.object_id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(",");
        }
        s.bind(*id);
    }
    s.push(") ORDER BY e.id");
    Ok(s.query_as().fetch_all(c).await?)
}

/// One attachment, only within scope. Members see the evidence of items they answer for
/// through the owning record, so here they need a subtree scope or get nothing.
pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<EvidenceRow> {
    let mut s = Sql::new(SELECT);
    s.push(" WHERE e.id = ").bind(id);
    scope.filter(&mut s, "e.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn get(c: &mut Conn, id: i64) -> Result<EvidenceRow> {
    let mut s = Sql::new(SELECT);
    s.push(" WHERE e.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn count_of(c: &mut Conn, object_kind: &str, object_id: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM evidence WHERE object_kind = $1 AND object_id = $2")
            .bind(object_kind)
            .bind(object_id)
            .fetch_one(c)
            .await?;
    Ok(n)
}
