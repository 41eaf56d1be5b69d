//! What the Excel import needs beyond the per-record functions: many rows in one
//! statement (history, audit events), ids reserved up front so rows can be written
//! in batches and still be named, and the look-ups that resolve a sheet's names.
//! Everything runs inside the caller's write transaction.
use std::io::Write;

use sqlx::FromRow;

use crate::audit::AuditRow;
use crate::history::Entry;
use crate::org::OrgRow;
use crate::problem::ProblemRow;
use crate::{Conn, Result, Sql, Val};

/// Reserves `n` ids of `table` (a fixed name from the caller, never user text), in
/// ascending order. SQLite: the write transaction holds the database lock, so the
/// ids after the largest are free until it commits. PostgreSQL: taken from the
/// identity sequence, so concurrent inserts never collide with them.
pub async fn reserve_ids(c: &mut Conn, table: &str, n: usize) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if c.backend_name() == "PostgreSQL" {
        let rows: Vec<(i64,)> = sqlx::query_as(&format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
        ))
        .bind(n as i64)
        .fetch_all(&mut *c)
        .await?;
        let mut ids: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
        ids.sort_unstable();
        return Ok(ids);
    }
    let (max,): (i64,) = sqlx::query_as(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
        .fetch_one(&mut *c)
        .await?;
    Ok((1..=n as i64).map(|i| max + i).collect())
}

/// Writes many rows, a few thousand per INSERT, each chunk bound as one JSON array
/// of rows that the database unpacks (`json_each` in SQLite, `jsonb_array_elements`
/// in PostgreSQL). Binding every value instead made sqlx the bottleneck: it converts
/// each value through the `Any` driver, and on SQLite looks every named parameter up
/// with `sqlite3_bind_parameter_name`, a scan of the statement's parameter list.
/// A column's type is that of its values (`Val::I`/`Null`: integer, else text).
/// `table` and `cols` are fixed names from the caller.
pub async fn insert_rows(
    c: &mut Conn,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let ints: Vec<bool> = first
        .iter()
        .map(|v| matches!(v, Val::I(_) | Val::Null))
        .collect();
    let pg = c.backend_name() == "PostgreSQL";
    let fields: Vec<String> = ints
        .iter()
        .enumerate()
        .map(|(k, int)| match (pg, int) {
            (false, _) => format!("json_extract(v, '$[{k}]')"),
            (true, true) => format!("CAST(e ->> {k} AS BIGINT)"),
            (true, false) => format!("e ->> {k}"),
        })
        .collect();
    let sql = if pg {
        format!(
            "INSERT INTO {table} ({}) SELECT {} FROM jsonb_array_elements(CAST($1 AS JSONB)) WITH ORDINALITY AS t(e, n) ORDER BY n",
            cols.join(", "),
            fields.join(", ")
        )
    } else {
        // each row's array is parsed once into JSONB (SQLite ≥ 3.45, bundled by sqlx)
        // and materialised, so reading its columns does not re-parse the row's text
        // once per column: 16 ms instead of 52 ms per 5,000 problem rows
        format!(
            "WITH r AS MATERIALIZED (SELECT jsonb(value) AS v FROM json_each($1)) \
             INSERT INTO {table} ({}) SELECT {} FROM r",
            cols.join(", "),
            fields.join(", ")
        )
    };
    for chunk in rows.chunks(5000) {
        // written straight into one buffer: a string per value was a third of the
        // time spent building it
        let mut json: Vec<u8> = Vec::with_capacity(chunk.len() * 24 * cols.len());
        json.push(b'[');
        for (i, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), cols.len());
            if i > 0 {
                json.push(b',');
            }
            json.push(b'[');
            for (j, v) in row.iter().enumerate() {
                if j > 0 {
                    json.push(b',');
                }
                match v {
                    Val::I(n) => {
                        let _ = write!(json, "{n}");
                    }
                    Val::T(t) => {
                        // writing a string into a Vec cannot fail
                        let _ = serde_json::to_writer(&mut json, t);
                    }
                    Val::Null | Val::NullText => json.extend_from_slice(b"null"),
                }
            }
            json.push(b']');
        }
        json.push(b']');
        // serde_json and integers write UTF-8 only
        let json = String::from_utf8(json).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query(&sql).bind(json).execute(&mut *c).await?;
    }
    Ok(())
}

/// Appends history lines, many per statement.
pub async fn add_history(c: &mut Conn, rows: &[Entry<'_>]) -> Result<()> {
    let rows = rows
        .iter()
        .map(|e| {
            vec![
                Val::from(e.kind),
                Val::from(e.id),
                Val::from(e.at),
                Val::from(e.actor_id),
                Val::from(e.actor_name),
                Val::from(e.action),
                Val::from(e.detail),
            ]
        })
        .collect();
    insert_rows(
        c,
        "history",
        &[
            "object_kind",
            "object_id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "detail",
        ],
        rows,
    )
    .await
}

/// Appends audit events whose ids (from `reserve_ids`) and chained hashes the caller
/// has set, in id order. The caller holds the chain lock (`audit::lock_chain`).
pub async fn append_audit(c: &mut Conn, rows: Vec<AuditRow>) -> Result<()> {
    let rows = rows
        .into_iter()
        .map(|r| {
            vec![
                Val::from(r.id),
                Val::from(r.at),
                Val::from(r.actor_id),
                Val::from(r.actor_name),
                Val::from(r.action),
                Val::from(r.object_kind),
                Val::from(r.object_id),
                Val::from(r.scope),
                Val::from(r.result),
                Val::from(r.source),
                Val::from(r.detail),
                Val::from(r.prev_hash),
                Val::from(r.hash),
            ]
        })
        .collect();
    insert_rows(
        c,
        "audit_events",
        &[
            "id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "object_kind",
            "object_id",
            "scope",
            "result",
            "source",
            "detail",
            "prev_hash",
            "hash",
        ],
        rows,
    )
    .await
}

/// New problems with ids from `reserve_ids` (their counters are the caller's).
pub async fn insert_problems(c: &mut Conn, rows: Vec<ProblemRow>) -> Result<()> {
    let rows = rows
        .into_iter()
        .map(|p| {
            vec![
                Val::from(p.id),
                Val::from(p.org_id),
                Val::from(p.org_path),
                Val::from(p.issuing_org_id),
                Val::from(p.source),
                Val::from(p.source_ref),
                Val::from(p.title),
                Val::from(p.description),
                Val::from(p.category),
                Val::from(p.leader_id),
                Val::from(p.department),
                Val::from(p.person_id),
                Val::from(p.found_on),
                Val::from(p.deadline),
                Val::from(p.state),
                Val::from(p.recurrence_of),
                Val::from(p.closed_at),
                Val::from(p.created_at),
                Val::from(p.updated_at),
            ]
        })
        .collect();
    let cols: Vec<&str> = crate::problem::COLS.split(", ").collect();
    insert_rows(c, "problems", &cols, rows).await
}

/// A measure to add: (id from `reserve_ids`, problem, org path, content, owner,
/// deadline, created at); it starts `todo`, its reminder memory unset.
pub type NewMeasureRow = (i64, i64, String, String, Option<i64>, String, i64);

pub async fn insert_measures(c: &mut Conn, rows: Vec<NewMeasureRow>) -> Result<()> {
    let rows = rows
        .into_iter()
        .map(|(id, problem_id, path, content, owner, deadline, at)| {
            vec![
                Val::from(id),
                Val::from(problem_id),
                Val::from(path),
                Val::from(content),
                Val::from(owner),
                Val::from(deadline),
                Val::from("todo"),
                Val::from(at),
            ]
        })
        .collect();
    insert_rows(
        c,
        "measures",
        &[
            "id",
            "problem_id",
            "org_path",
            "content",
            "owner_id",
            "deadline",
            "state",
            "created_at",
        ],
        rows,
    )
    .await
}

const ORG_COLS: &str = "id, parent_id, name, kind, code, path, depth, sort_order, term_start, term_end, closed_at, created_at";

/// Every org a sheet may name: the subtrees at `paths` and the ancestors of their
/// roots (so a full path written from the top resolves), in path order.
pub async fn orgs_under(c: &mut Conn, paths: &[String]) -> Result<Vec<OrgRow>> {
    let mut out: Vec<OrgRow> = Vec::new();
    for p in paths {
        let rows: Vec<OrgRow> = sqlx::query_as(&format!(
            "SELECT {ORG_COLS} FROM orgs WHERE path >= $1 AND path < $2"
        ))
        .bind(p.as_str())
        .bind(crate::sql::upper(p))
        .fetch_all(&mut *c)
        .await?;
        out.extend(rows);
        for a in crate::org::ancestors(c, p).await? {
            out.push(a);
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

/// A person as a sheet names them.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
    pub org_id: i64,
    pub org_path: String,
    pub left_on: Option<String>,
}

/// Everyone called one of `names`, anywhere (the caller keeps those related to the
/// row's org).
pub async fn people_named(c: &mut Conn, names: &[String]) -> Result<Vec<PersonRef>> {
    let mut out = Vec::new();
    for chunk in names.chunks(500) {
        let mut s =
            Sql::new("SELECT id, name, org_id, org_path, left_on FROM people WHERE name IN (");
        for (i, n) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(n.as_str());
        }
        s.push(")");
        let rows: Vec<PersonRef> = s.query_as().fetch_all(&mut *c).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Rows of `table` by id, for the records a sheet's codes name. `cols` and `table` are
/// fixed strings from the caller.
pub async fn by_ids<T>(c: &mut Conn, table: &str, cols: &str, ids: &[i64]) -> Result<Vec<T>>
where
    T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut s = Sql::new(&format!("SELECT {cols} FROM {table} WHERE id IN ("));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(")");
        let rows: Vec<T> = s.query_as().fetch_all(&mut *c).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// (problem id, content) of the measures of these problems.
pub async fn measure_contents(c: &mut Conn, problem_ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in problem_ids.chunks(500) {
        let mut s = Sql::new("SELECT problem_id, content FROM measures WHERE problem_id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(") ORDER BY id");
        let rows: Vec<(i64, String)> = s.query_as().fetch_all(&mut *c).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Names already taken by people of an org: (org id, name, person id).
pub async fn names_in_orgs(c: &mut Conn, org_ids: &[i64]) -> Result<Vec<(i64, String, i64)>> {
    let mut out = Vec::new();
    for chunk in org_ids.chunks(500) {
        let mut s = Sql::new("SELECT org_id, name, id FROM people WHERE org_id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(")");
        let rows: Vec<(i64, String, i64)> = s.query_as().fetch_all(&mut *c).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Updates the org fields an import may change (name, code, term).
pub async fn update_org(c: &mut Conn, o: &OrgRow) -> Result<()> {
    sqlx::query(
        "UPDATE orgs SET name = $1, code = $2, term_start = $3, term_end = $4 WHERE id = $5",
    )
    .bind(&o.name)
    .bind(&o.code)
    .bind(&o.term_start)
    .bind(&o.term_end)
    .bind(o.id)
    .execute(c)
    .await?;
    Ok(())
}

/// A person's roster fields as an import writes them (the dues base stays as it is:
/// it is confidential and set on its own form).
#[derive(Debug, Clone, Default, PartialEq, FromRow)]
pub struct PersonSheetRow {
    pub id: i64,
    pub name: String,
    pub org_id: i64,
    pub org_path: String,
    pub gender: Option<String>,
    pub party_status: String,
    pub joined_on: Option<String>,
    pub cadre_rank: Option<String>,
    pub title: Option<String>,
    pub born_on: Option<String>,
    pub applied_on: Option<String>,
    pub activist_on: Option<String>,
    pub candidate_on: Option<String>,
    pub full_on: Option<String>,
    pub contact_state: String,
    pub last_contact_on: Option<String>,
    pub pocket: i64,
    pub dues_kind: String,
}

pub const PERSON_SHEET_COLS: &str = "id, name, org_id, org_path, gender, party_status, joined_on, cadre_rank, title, born_on, applied_on, activist_on, candidate_on, full_on, contact_state, last_contact_on, pocket, dues_kind";

/// Writes the fields of `PersonSheetRow` to an existing person.
pub async fn update_person(c: &mut Conn, p: &PersonSheetRow) -> Result<()> {
    sqlx::query(
        "UPDATE people SET name = $1, gender = $2, party_status = $3, joined_on = $4, cadre_rank = $5, title = $6, \
         born_on = $7, applied_on = $8, activist_on = $9, candidate_on = $10, full_on = $11, contact_state = $12, \
         last_contact_on = $13, pocket = $14, dues_kind = $15 WHERE id = $16",
    )
    .bind(&p.name)
    .bind(&p.gender)
    .bind(&p.party_status)
    .bind(&p.joined_on)
    .bind(&p.cadre_rank)
    .bind(&p.title)
    .bind(&p.born_on)
    .bind(&p.applied_on)
    .bind(&p.activist_on)
    .bind(&p.candidate_on)
    .bind(&p.full_on)
    .bind(&p.contact_state)
    .bind(&p.last_contact_on)
    .bind(p.pocket)
    .bind(&p.dues_kind)
    .bind(p.id)
    .execute(c)
    .await?;
    Ok(())
}

/// (person id, kind, portfolio) of the positions of these people in their own org.
pub async fn positions_of(
    c: &mut Conn,
    person_ids: &[i64],
) -> Result<Vec<(i64, i64, String, Option<String>)>> {
    let mut out = Vec::new();
    for chunk in person_ids.chunks(500) {
        let mut s =
            Sql::new("SELECT id, person_id, kind, portfolio FROM positions WHERE person_id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(") ORDER BY id");
        let rows: Vec<(i64, i64, String, Option<String>)> = s.query_as().fetch_all(&mut *c).await?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn update_position(
    c: &mut Conn,
    id: i64,
    kind: &str,
    portfolio: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE positions SET kind = $1, portfolio = $2 WHERE id = $3")
        .bind(kind)
        .bind(portfolio)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
