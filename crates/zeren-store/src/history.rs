//! Per-record history (时间线): who did what to a record, when. Insert-only.
use serde::Serialize;
use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub object_kind: String,
    pub object_id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub detail: String,
}

/// One history line to add.
pub struct Entry<'a> {
    pub kind: &'a str,
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

pub async fn add(c: &mut Conn, e: Entry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO history (object_kind, object_id, at, actor_id, actor_name, action, detail) VALUES ($1,$2,$3,$4,$5,$6,$7)",
    )
    .bind(e.kind)
    .bind(e.id)
    .bind(e.at)
    .bind(e.actor_id)
    .bind(e.actor_name)
    .bind(e.action)
    .bind(e.detail)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn of(c: &mut Conn, kind: &str, id: i64) -> Result<Vec<HistoryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, object_kind, object_id, at, actor_id, actor_name, action, detail FROM history WHERE object_kind = $1 AND object_id = $2 ORDER BY id",
    )
    .bind(kind)
    .bind(id)
    .fetch_all(c)
    .await?)
}
