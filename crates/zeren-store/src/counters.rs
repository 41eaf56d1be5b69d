//! Row counts per (kind, org, state), maintained in the same transaction as the rows.
use crate::{Conn, Result, Scope, Sql};

pub async fn bump(
    c: &mut Conn,
    kind: &str,
    org_id: i64,
    org_path: &str,
    state: &str,
    delta: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO counters (org_id, org_path, kind, state, n) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT (kind, org_path, state) DO UPDATE SET n = counters.n + excluded.n",
    )
    .bind(org_id)
    .bind(org_path)
    .bind(kind)
    .bind(state)
    .bind(delta)
    .execute(c)
    .await?;
    Ok(())
}

/// Moves one row's count from one state to another.
pub async fn shift(
    c: &mut Conn,
    kind: &str,
    org_id: i64,
    org_path: &str,
    from: &str,
    to: &str,
) -> Result<()> {
    if from != to {
        bump(c, kind, org_id, org_path, from, -1).await?;
        bump(c, kind, org_id, org_path, to, 1).await?;
    }
    Ok(())
}

/// Sum of counts in `scope` (optionally narrowed to the subtree `org_path`) for
/// `states` (all states when empty).
pub async fn sum(
    c: &mut Conn,
    kind: &str,
    scope: &Scope,
    org_path: Option<&str>,
    states: &[&str],
) -> Result<i64> {
    let mut s = Sql::new("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM counters WHERE kind = ");
    s.bind(kind);
    scope.filter(&mut s, "org_path", None);
    if let Some(p) = org_path {
        s.push(" AND org_path >= ")
            .bind(p)
            .push(" AND org_path < ")
            .bind(crate::sql::upper(p));
    }
    if !states.is_empty() {
        s.push(" AND state IN (");
        for (i, st) in states.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*st);
        }
        s.push(")");
    }
    let (n,): (i64,) = s.query_as().fetch_one(c).await?;
    Ok(n)
}

/// Recomputes all counters of `kind` from the rows (after a bulk load, or to repair).
pub async fn rebuild(c: &mut Conn, kind: &str, table: &str) -> Result<()> {
    sqlx::query("DELETE FROM counters WHERE kind = $1")
        .bind(kind)
        .execute(&mut *c)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO counters (org_id, org_path, kind, state, n)
         SELECT org_id, org_path, $1, state, COUNT(*) FROM {table} GROUP BY org_id, org_path, state"
    ))
    .bind(kind)
    .execute(c)
    .await?;
    Ok(())
}
