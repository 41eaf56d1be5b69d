//! Year tallies (年度汇总): per org, year and kind, the counts that the compliance check
//! and the annual report read. Triggers (migration 0016) keep them in the statement
//! that writes each record, so a subtree's year is a range of a few thousand tally
//! rows instead of a scan of a million records. This module reads them, and
//! recounts them from the records to prove they agree (`drift`).
use std::collections::HashMap;

use crate::{Conn, Result, Scope, Sql};

/// The twelve month columns, `m1, …, m12`.
const MONTHS: [&str; 12] = [
    "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12",
];

/// String aggregation is the one part the two dialects spell differently.
fn string_agg(c: &Conn) -> &'static str {
    if c.backend_name() == "PostgreSQL" {
        "string_agg"
    } else {
        "group_concat"
    }
}

/// Held activities per org of `scope` in `year`: for each org, `kind:n1,…,n12` items
/// joined by `;`. One row per org, because handing rows to sqlx's `Any` driver costs
/// more than the database's work (27,000 rows of two values instead of 177,000 of 14).
pub async fn held_months_packed(
    c: &mut Conn,
    scope: &Scope,
    year: i32,
) -> Result<Vec<(String, String)>> {
    // one format() per row costs half of 25 concatenations; both engines spell it so
    let mut s = Sql::new(&format!(
        "SELECT org_path, {}(format('%s:{}', kind, {}), ';') FROM activity_tally WHERE year = ",
        string_agg(c),
        ["%s"; 12].join(","),
        MONTHS.join(", ")
    ));
    s.bind(i64::from(year)).push(" AND held <> 0");
    scope.filter(&mut s, "org_path", None);
    s.push(" GROUP BY org_path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Held activities of a subtree in `year`, per kind.
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct KindSums {
    pub kind: String,
    pub held: i64,
    /// … with a 第一议题 item
    pub first_topic: i64,
    /// people present, summed over the records
    pub present: i64,
    /// lines of 调研's opinions collected and outcomes converted, of 办实事's matters
    pub opinions: i64,
    pub outcomes: i64,
    pub matters: i64,
}

pub async fn activity_sums(c: &mut Conn, path: &str, year: i32) -> Result<Vec<KindSums>> {
    let mut s = Sql::new(
        "SELECT kind, CAST(SUM(held) AS BIGINT) AS held, CAST(SUM(first_topic) AS BIGINT) AS first_topic, \
         CAST(SUM(present) AS BIGINT) AS present, CAST(SUM(opinions) AS BIGINT) AS opinions, \
         CAST(SUM(outcomes) AS BIGINT) AS outcomes, CAST(SUM(matters) AS BIGINT) AS matters \
         FROM activity_tally WHERE year = ",
    );
    s.bind(i64::from(year));
    Scope::Subtrees(vec![path.to_string()]).filter(&mut s, "org_path", None);
    s.push(" GROUP BY kind HAVING SUM(held) <> 0");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Problems of a subtree found in `year` per source: (found, closed, their measures,
/// measures done).
pub async fn problem_sums(
    c: &mut Conn,
    path: &str,
    year: i32,
) -> Result<Vec<(String, i64, i64, i64, i64)>> {
    let mut s = Sql::new(
        "SELECT source, CAST(SUM(problems) AS BIGINT), CAST(SUM(closed) AS BIGINT), \
         CAST(SUM(measures) AS BIGINT), CAST(SUM(measures_done) AS BIGINT) FROM problem_tally WHERE year = ",
    );
    s.bind(i64::from(year));
    Scope::Subtrees(vec![path.to_string()]).filter(&mut s, "org_path", None);
    s.push(" GROUP BY source HAVING SUM(problems) <> 0 OR SUM(measures) <> 0");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Tasks of a subtree due in `year`: (all, done).
pub async fn task_sums(c: &mut Conn, path: &str, year: i32) -> Result<(i64, i64)> {
    let mut s = Sql::new(
        "SELECT CAST(COALESCE(SUM(tasks), 0) AS BIGINT), CAST(COALESCE(SUM(done), 0) AS BIGINT) \
         FROM task_tally WHERE year = ",
    );
    s.bind(i64::from(year));
    Scope::Subtrees(vec![path.to_string()]).filter(&mut s, "org_path", None);
    Ok(s.query_as().fetch_one(&mut *c).await?)
}

/// Where the tallies disagree with a recount of the records, as readable lines
/// (empty when they agree). A check for tests and `zeren check`, not for requests: it
/// reads every record.
pub async fn drift(c: &mut Conn) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let months: Vec<String> = (1..=12)
        .map(|i| {
            format!(
                "CAST(SUM(CASE WHEN substr(held_on, 6, 2) = '{i:02}' THEN 1 ELSE 0 END) AS BIGINT)"
            )
        })
        .collect();
    let recount = format!(
        "SELECT CAST(substr(held_on, 1, 4) AS BIGINT) AS y, org_path, kind, COUNT(*), \
         CAST(SUM(first_topic) AS BIGINT), CAST(SUM(present_count) AS BIGINT), {}, {}, {}, {} FROM activities \
         WHERE state = 'held' AND held_on IS NOT NULL GROUP BY 1, 2, 3",
        lines_sum(c, "opinions"),
        lines_sum(c, "outcomes"),
        lines_sum(c, "matters"),
        months.join(", ")
    );
    let tallied = format!(
        "SELECT CAST(year AS BIGINT), org_path, kind, held, first_topic, present, opinions, outcomes, matters, {} \
         FROM activity_tally WHERE held <> 0 OR first_topic <> 0 OR present <> 0 OR opinions <> 0 \
         OR outcomes <> 0 OR matters <> 0 OR {}",
        MONTHS.join(", "),
        MONTHS
            .iter()
            .map(|m| format!("{m} <> 0"))
            .collect::<Vec<_>>()
            .join(" OR ")
    );
    compare(c, "activity_tally", &recount, &tallied, 3, &mut out).await?;
    let recount = "SELECT CAST(substr(p.found_on, 1, 4) AS BIGINT), p.org_path, p.source, COUNT(*), \
         CAST(SUM(CASE WHEN p.state = 'closed' THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(COALESCE(m.n, 0)) AS BIGINT), \
         CAST(SUM(COALESCE(m.done, 0)) AS BIGINT) \
         FROM problems p LEFT JOIN (SELECT problem_id, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS BIGINT) AS done FROM measures GROUP BY problem_id) m \
         ON m.problem_id = p.id GROUP BY 1, 2, 3";
    let tallied = "SELECT CAST(year AS BIGINT), org_path, source, problems, closed, measures, measures_done FROM problem_tally \
         WHERE problems <> 0 OR closed <> 0 OR measures <> 0 OR measures_done <> 0";
    compare(c, "problem_tally", recount, tallied, 3, &mut out).await?;
    let deadline_day = if c.backend_name() == "SQLite" {
        "CAST(julianday(deadline) - 2440587.5 AS BIGINT)"
    } else {
        "CAST(CAST(deadline AS DATE) - DATE '1970-01-01' AS BIGINT)"
    };
    let recount = format!(
        "SELECT CAST(substr(deadline, 1, 4) AS BIGINT), org_path, COUNT(*), \
         CAST(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN state = 'done' AND (completed_at IS NULL \
         OR (completed_at + 28800) / 86400 <= {deadline_day}) THEN 1 ELSE 0 END) AS BIGINT) \
         FROM tasks GROUP BY 1, 2"
    );
    let tallied =
        "SELECT CAST(year AS BIGINT), org_path, tasks, done, done_on_time FROM task_tally \
         WHERE tasks <> 0 OR done <> 0 OR done_on_time <> 0";
    compare(c, "task_tally", &recount, tallied, 2, &mut out).await?;
    Ok(out)
}

/// The sum of a text column's lines as the triggers count them (one item per line).
fn lines_sum(c: &Conn, col: &str) -> String {
    let nl = if c.backend_name() == "PostgreSQL" {
        "chr(10)"
    } else {
        "char(10)"
    };
    format!(
        "CAST(SUM(CASE WHEN {col} IS NULL OR {col} = '' THEN 0 \
         ELSE length({col}) - length(replace({col}, {nl}, '')) + 1 END) AS BIGINT)"
    )
}

/// Compares two queries returning key columns then counts; every column is read as
/// text so one comparison serves all three tallies.
async fn compare(
    c: &mut Conn,
    name: &str,
    recount: &str,
    tallied: &str,
    keys: usize,
    out: &mut Vec<String>,
) -> Result<()> {
    let read = |rows: Vec<sqlx::any::AnyRow>| -> Result<HashMap<String, String>> {
        use sqlx::Row;
        let mut map = HashMap::new();
        for r in rows {
            let mut key = Vec::new();
            let mut vals = Vec::new();
            for i in 0..r.len() {
                let v = match r.try_get::<i64, _>(i) {
                    Ok(n) => n.to_string(),
                    Err(_) => r.try_get::<String, _>(i)?,
                };
                if i < keys {
                    key.push(v);
                } else {
                    vals.push(v);
                }
            }
            map.insert(key.join(" "), vals.join(","));
        }
        Ok(map)
    };
    let want = read(sqlx::query(recount).fetch_all(&mut *c).await?)?;
    let have = read(sqlx::query(tallied).fetch_all(&mut *c).await?)?;
    let mut keys: Vec<&String> = want.keys().chain(have.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let (w, h) = (want.get(k), have.get(k));
        if w != h {
            out.push(format!(
                "{name} {k}: 记录 {} / 汇总 {}",
                w.map(String::as_str).unwrap_or("无"),
                h.map(String::as_str).unwrap_or("无")
            ));
        }
    }
    Ok(())
}
