//! Row counts per (kind, org subtree, state), maintained in the same transaction as
//! the rows, so that list totals and dashboards never count hundreds of thousands of
//! rows. A counter row for org X holds the number of rows anywhere in X's subtree:
//! a subtree total is one indexed lookup, and a write updates one row per ancestor
//! (the tree is a handful of levels deep).
use std::collections::HashMap;

use crate::{Conn, Result, Scope, Sql};

/// `/1/5/9/` → [`/1/`, `/1/5/`, `/1/5/9/`] with the last id of each.
fn prefixes(path: &str) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let mut acc = String::from("/");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        acc.push_str(seg);
        acc.push('/');
        if let Ok(id) = seg.parse() {
            out.push((id, acc.clone()));
        }
    }
    out
}

pub async fn bump(c: &mut Conn, kind: &str, org_path: &str, state: &str, delta: i64) -> Result<()> {
    for (org_id, path) in prefixes(org_path) {
        sqlx::query(
            "INSERT INTO counters (org_id, org_path, kind, state, n) VALUES ($1,$2,$3,$4,$5)
             ON CONFLICT (kind, org_path, state) DO UPDATE SET n = counters.n + excluded.n",
        )
        .bind(org_id)
        .bind(&path)
        .bind(kind)
        .bind(state)
        .bind(delta)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Moves one row's count from one state to another.
pub async fn shift(c: &mut Conn, kind: &str, org_path: &str, from: &str, to: &str) -> Result<()> {
    if from != to {
        bump(c, kind, org_path, from, -1).await?;
        bump(c, kind, org_path, to, 1).await?;
    }
    Ok(())
}

/// The subtree roots to sum: the scope's subtrees, each narrowed to `filter` when the
/// filter lies inside it (or kept whole when it lies inside the filter).
fn effective_paths(scope: &Scope, filter: Option<&str>) -> Vec<String> {
    let Scope::Subtrees(paths) = scope else {
        return Vec::new();
    };
    match filter {
        None => paths.clone(),
        Some(f) => paths
            .iter()
            .filter_map(|p| {
                if f.starts_with(p.as_str()) {
                    Some(f.to_string())
                } else if p.starts_with(f) {
                    Some(p.clone())
                } else {
                    None
                }
            })
            .collect(),
    }
}

/// Number of rows of `kind` in `scope` (optionally narrowed to the subtree at
/// `org_path`) in `states` (all states when empty).
pub async fn sum(
    c: &mut Conn,
    kind: &str,
    scope: &Scope,
    org_path: Option<&str>,
    states: &[&str],
) -> Result<i64> {
    let mut paths = effective_paths(scope, org_path);
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return Ok(0);
    }
    let mut s = Sql::new("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM counters WHERE kind = ");
    s.bind(kind).push(" AND org_path IN (");
    for (i, p) in paths.iter().enumerate() {
        if i > 0 {
            s.push(",");
        }
        s.bind(p.as_str());
    }
    s.push(")");
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

/// Recomputes all counters of `kind` from the rows of `table` (after a bulk load, a
/// move of a subtree, or to repair): exact counts per org from one GROUP BY, rolled up
/// to every ancestor here rather than by a range join in SQL.
pub async fn rebuild(c: &mut Conn, kind: &str, table: &str) -> Result<()> {
    let exact: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT org_path, state, COUNT(*) FROM {table} GROUP BY org_path, state"
    ))
    .fetch_all(&mut *c)
    .await?;
    let mut agg: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for (path, state, n) in exact {
        for (id, p) in prefixes(&path) {
            agg.entry((p, state.clone())).or_insert((id, 0)).1 += n;
        }
    }
    sqlx::query("DELETE FROM counters WHERE kind = $1")
        .bind(kind)
        .execute(&mut *c)
        .await?;
    let rows: Vec<_> = agg.into_iter().collect();
    for chunk in rows.chunks(500) {
        let mut s = Sql::new("INSERT INTO counters (org_id, org_path, kind, state, n) VALUES ");
        for (i, ((path, state), (id, n))) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(*id)
                .push(",")
                .bind(path.as_str())
                .push(",")
                .bind(kind)
                .push(",")
                .bind(state.as_str())
                .push(",")
                .bind(*n)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

/// Rebuilds both kinds when counters are missing but rows exist (a database from
/// before subtree counters, or one restored without them).
pub async fn ensure(c: &mut Conn) -> Result<()> {
    let have: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM counters LIMIT 1")
        .fetch_optional(&mut *c)
        .await?;
    if have.is_some() {
        return Ok(());
    }
    rebuild(c, "task", "tasks").await?;
    rebuild(c, "problem", "problems").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_walk_down_the_tree() {
        assert_eq!(
            prefixes("/1/5/9/"),
            vec![
                (1, "/1/".to_string()),
                (5, "/1/5/".to_string()),
                (9, "/1/5/9/".to_string())
            ]
        );
    }

    #[test]
    fn filters_narrow_or_keep_scopes() {
        let s = Scope::Subtrees(vec!["/1/5/".into()]);
        assert_eq!(effective_paths(&s, None), vec!["/1/5/"]);
        assert_eq!(effective_paths(&s, Some("/1/5/9/")), vec!["/1/5/9/"]);
        assert_eq!(effective_paths(&s, Some("/1/")), vec!["/1/5/"]);
        assert!(effective_paths(&s, Some("/1/6/")).is_empty());
    }
}
