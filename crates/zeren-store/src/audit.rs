//! The audit log: append-only and hash-chained. This module offers no update and no
//! delete; the schema's triggers refuse them too.
use serde::Serialize;
use sqlx::FromRow;

use crate::{Conn, Result, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub scope: String,
    pub result: String,
    pub source: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

const COLS: &str = "id, at, actor_id, actor_name, action, object_kind, object_id, scope, result, source, detail, prev_hash, hash";

/// Hash of the newest event, the link the next event chains to.
pub async fn last_hash(c: &mut Conn) -> Result<Option<String>> {
    let r: Option<(String,)> =
        sqlx::query_as("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")
            .fetch_optional(c)
            .await?;
    Ok(r.map(|x| x.0))
}

pub async fn append(c: &mut Conn, r: &AuditRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO audit_events (at, actor_id, actor_name, action, object_kind, object_id, scope, result, source, detail, prev_hash, hash)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id",
    )
    .bind(r.at)
    .bind(r.actor_id)
    .bind(&r.actor_name)
    .bind(&r.action)
    .bind(&r.object_kind)
    .bind(&r.object_id)
    .bind(&r.scope)
    .bind(&r.result)
    .bind(&r.source)
    .bind(&r.detail)
    .bind(&r.prev_hash)
    .bind(&r.hash)
    .fetch_one(c)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub result: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

pub async fn list(c: &mut Conn, f: &AuditFilter) -> Result<(Vec<AuditRow>, i64)> {
    let mut w = Sql::new(" WHERE 1=1");
    if let Some(a) = &f.actor {
        w.push(" AND actor_name = ").bind(a.as_str());
    }
    if let Some(a) = &f.action {
        w.push(" AND action = ").bind(a.as_str());
    }
    if let Some(a) = &f.result {
        w.push(" AND result = ").bind(a.as_str());
    }
    let mut s = Sql {
        text: format!("SELECT {COLS} FROM audit_events{}", w.text),
        args: w.args.clone(),
    };
    s.push(" ORDER BY id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    let cs = Sql {
        text: format!("SELECT COUNT(*) FROM audit_events{}", w.text),
        args: w.args,
    };
    let (n,): (i64,) = cs.query_as().fetch_one(c).await?;
    Ok((rows, n))
}

/// All events in id order, in pages, for chain verification.
pub async fn page_from(c: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<AuditRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2"
    ))
    .bind(after_id)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// Serialises appenders on PostgreSQL for the rest of the transaction (SQLite
/// transactions are already serialised by the store's writer lock).
pub async fn lock_chain(c: &mut Conn) -> Result<()> {
    if c.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(72100531)")
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Number of events.
pub async fn count(c: &mut Conn) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events")
        .fetch_one(c)
        .await?;
    Ok(n)
}

/// The position in the chain of the event with this id (the number of events up to
/// it) and its hash (`None` if no event has that id).
pub async fn position(c: &mut Conn, id: i64) -> Result<(i64, Option<String>)> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE id <= $1")
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    let h: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_events WHERE id = $1")
        .bind(id)
        .fetch_optional(c)
        .await?;
    Ok((n, h.map(|x| x.0)))
}
