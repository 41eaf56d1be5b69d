//! Annual plans: the header a responsibility list hangs from.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PlanRow {
    pub id: i64,
    pub year: i64,
    pub title: String,
    pub org_id: i64,
    pub template_key: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

const COLS: &str = "id, year, title, org_id, template_key, created_by, created_at";

pub async fn insert(c: &mut Conn, p: &PlanRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO plans (year, title, org_id, template_key, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(p.year)
    .bind(&p.title)
    .bind(p.org_id)
    .bind(&p.template_key)
    .bind(p.created_by)
    .bind(p.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn get(c: &mut Conn, id: i64) -> Result<PlanRow> {
    found(
        sqlx::query_as(&format!("SELECT {COLS} FROM plans WHERE id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// Plans issued by orgs on the path from the root to `path` or inside it.
pub async fn visible(c: &mut Conn, paths: &[String]) -> Result<Vec<PlanRow>> {
    let mut out: Vec<PlanRow> = Vec::new();
    for p in paths {
        let rows: Vec<PlanRow> = sqlx::query_as(&format!(
            "SELECT {COLS} FROM plans WHERE org_id IN (SELECT id FROM orgs WHERE path >= $1 AND path < $2)
             OR org_id IN (SELECT id FROM orgs WHERE $1 LIKE path || '%') ORDER BY year DESC, id DESC"
        ))
        .bind(p)
        .bind(crate::sql::upper(p))
        .fetch_all(&mut *c)
        .await?;
        for r in rows {
            if !out.iter().any(|x| x.id == r.id) {
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// A plan's own reminder lead days ("7,3,1"), or None for the deployment default.
pub async fn remind_days(c: &mut Conn, id: i64) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT remind_days FROM plans WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?;
    Ok(row.and_then(|r| r.0))
}

/// Sets a plan's lead days and makes the engine look at its open tasks again, so the
/// new ladder applies from the next cycle.
pub async fn set_remind_days(c: &mut Conn, id: i64, days: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE plans SET remind_days = $1 WHERE id = $2")
        .bind(days)
        .bind(id)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE tasks SET remind_on = '0000-00-00' WHERE plan_id = $1 AND state IN ('not_started', 'in_progress', 'returned')")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
