//! The problem and rectification ledger: problems and their measures.
use serde::Serialize;
use sqlx::FromRow;

use crate::task::{push_states, Sort};
use crate::{counters, found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ProblemRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub issuing_org_id: i64,
    pub source: String,
    pub source_ref: Option<String>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub leader_id: Option<i64>,
    pub department: Option<String>,
    pub person_id: Option<i64>,
    pub found_on: String,
    pub deadline: String,
    pub state: String,
    pub recurrence_of: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ProblemListRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub source: String,
    pub source_ref: Option<String>,
    pub title: String,
    pub category: String,
    pub leader_name: Option<String>,
    pub department: Option<String>,
    pub person_name: Option<String>,
    pub found_on: String,
    pub deadline: String,
    pub state: String,
    pub measures_total: i64,
    pub measures_done: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct MeasureRow {
    pub id: i64,
    pub problem_id: i64,
    pub org_path: String,
    pub content: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub deadline: String,
    pub state: String,
    pub done_at: Option<i64>,
    pub created_at: i64,
    pub evidence_count: i64,
}

pub const COLS: &str = "id, org_id, org_path, issuing_org_id, source, source_ref, title, description, category, leader_id, department, person_id, found_on, deadline, state, recurrence_of, closed_at, created_at, updated_at";

pub async fn insert(c: &mut Conn, p: &ProblemRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO problems (org_id, org_path, issuing_org_id, source, source_ref, title, description, category, leader_id, department, person_id, found_on, deadline, state, recurrence_of, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id",
    )
    .bind(p.org_id)
    .bind(&p.org_path)
    .bind(p.issuing_org_id)
    .bind(&p.source)
    .bind(&p.source_ref)
    .bind(&p.title)
    .bind(&p.description)
    .bind(&p.category)
    .bind(p.leader_id)
    .bind(&p.department)
    .bind(p.person_id)
    .bind(&p.found_on)
    .bind(&p.deadline)
    .bind(&p.state)
    .bind(p.recurrence_of)
    .bind(p.created_at)
    .bind(p.updated_at)
    .fetch_one(&mut *c)
    .await?;
    counters::bump(c, "problem", &p.org_path, &p.state, 1).await?;
    Ok(id)
}

pub async fn insert_raw(c: &mut Conn, rows: &[ProblemRow]) -> Result<()> {
    for chunk in rows.chunks(150) {
        let mut s = Sql::new(&format!("INSERT INTO problems ({COLS}) VALUES "));
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(p.id)
                .push(",")
                .bind(p.org_id)
                .push(",")
                .bind(p.org_path.as_str())
                .push(",")
                .bind(p.issuing_org_id)
                .push(",")
                .bind(p.source.as_str())
                .push(",")
                .bind(p.source_ref.clone())
                .push(",")
                .bind(p.title.as_str())
                .push(",")
                .bind(p.description.as_str())
                .push(",")
                .bind(p.category.as_str())
                .push(",")
                .bind(p.leader_id)
                .push(",")
                .bind(p.department.clone())
                .push(",")
                .bind(p.person_id)
                .push(",")
                .bind(p.found_on.as_str())
                .push(",")
                .bind(p.deadline.as_str())
                .push(",")
                .bind(p.state.as_str())
                .push(",")
                .bind(p.recurrence_of)
                .push(",")
                .bind(p.closed_at)
                .push(",")
                .bind(p.created_at)
                .push(",")
                .bind(p.updated_at)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn get(c: &mut Conn, id: i64) -> Result<ProblemRow> {
    found(
        sqlx::query_as(&format!("SELECT {COLS} FROM problems WHERE id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<ProblemRow> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM problems WHERE id = "));
    s.bind(id);
    scope.filter(&mut s, "org_path", Some("person_id"));
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn set_state(c: &mut Conn, p: &ProblemRow, state: &str, now: i64) -> Result<()> {
    let closed_at = (state == "closed").then_some(now);
    let n = sqlx::query("UPDATE problems SET state = $1, updated_at = $2, closed_at = $3 WHERE id = $4 AND state = $5")
        .bind(state)
        .bind(now)
        .bind(closed_at)
        .bind(p.id)
        .bind(&p.state)
        .execute(&mut *c)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(crate::StoreError::Conflict);
    }
    counters::shift(c, "problem", &p.org_path, &p.state, state).await
}

pub async fn update_fields(c: &mut Conn, p: &ProblemRow, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE problems SET source=$1, source_ref=$2, title=$3, description=$4, category=$5, leader_id=$6, department=$7, person_id=$8, found_on=$9, deadline=$10, recurrence_of=$11, updated_at=$12 WHERE id=$13",
    )
    .bind(&p.source)
    .bind(&p.source_ref)
    .bind(&p.title)
    .bind(&p.description)
    .bind(&p.category)
    .bind(p.leader_id)
    .bind(&p.department)
    .bind(p.person_id)
    .bind(&p.found_on)
    .bind(&p.deadline)
    .bind(p.recurrence_of)
    .bind(now)
    .bind(p.id)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    pub org_path: Option<String>,
    pub states: Vec<String>,
    pub source: Option<String>,
    pub overdue_on: Option<String>,
    pub q: Option<String>,
    /// Only rows issued by an org inside this subtree (a reviewer's queue).
    pub issued_under: Option<String>,
    pub person_id: Option<i64>,
    pub sort: Sort,
    pub offset: i64,
    pub limit: i64,
}

pub const OPEN_STATES: &str = "('open','pending_review')";

fn list_where(scope: &Scope, f: &ProblemFilter, s: &mut Sql) {
    scope.filter(s, "p.org_path", Some("p.person_id"));
    push_states(s, "p.state", &f.states);
    if let Some(path) = &f.org_path {
        s.push(" AND p.org_path >= ")
            .bind(path.as_str())
            .push(" AND p.org_path < ")
            .bind(crate::sql::upper(path));
    }
    if let Some(src) = &f.source {
        s.push(" AND p.source = ").bind(src.as_str());
    }
    if let Some(d) = &f.overdue_on {
        s.push(" AND p.deadline < ")
            .bind(d.as_str())
            .push(&format!(" AND p.state IN {OPEN_STATES}"));
    }
    if let Some(path) = &f.issued_under {
        s.push(" AND p.issuing_org_id IN (SELECT id FROM orgs WHERE path >= ")
            .bind(path.as_str())
            .push(" AND path < ")
            .bind(crate::sql::upper(path))
            .push(")");
    }
    if let Some(q) = &f.q {
        let like = format!("%{}%", crate::org::escape_like(q));
        s.push(" AND (p.title LIKE ")
            .bind(like.clone())
            .push(" ESCAPE '\\' OR p.description LIKE ")
            .bind(like)
            .push(" ESCAPE '\\')");
    }
    if let Some(pid) = f.person_id {
        s.push(" AND (p.person_id = ")
            .bind(pid)
            .push(" OR p.leader_id = ")
            .bind(pid)
            .push(")");
    }
}

const LIST_SELECT: &str =
    "SELECT p.id, p.org_id, o.name AS org_name, p.source, p.source_ref, p.title, p.category,
 l.name AS leader_name, p.department, pp.name AS person_name, p.found_on, p.deadline, p.state,
 (SELECT COUNT(*) FROM measures m WHERE m.problem_id = p.id) AS measures_total,
 (SELECT COUNT(*) FROM measures m WHERE m.problem_id = p.id AND m.state = 'done') AS measures_done
 FROM problems p JOIN orgs o ON o.id = p.org_id
 LEFT JOIN people l ON l.id = p.leader_id LEFT JOIN people pp ON pp.id = p.person_id WHERE 1=1";

pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    f: &ProblemFilter,
) -> Result<(Vec<ProblemListRow>, i64)> {
    let total = count(c, scope, f).await?;
    let mut s = list_sql(c, scope, f, total, LIST_SELECT);
    s.push(" LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    Ok((rows, total))
}

/// The list's query in its order, without a page: `total` rows match.
fn list_sql(c: &Conn, scope: &Scope, f: &ProblemFilter, total: i64, select: &str) -> Sql {
    let by_deadline = f.sort != Sort::Newest;
    let select = match crate::sql::wide_index(c, "problems", total, &f.states, by_deadline) {
        Some(ix) => select.replacen(
            "FROM problems p ",
            &format!("FROM problems p INDEXED BY {ix} "),
            1,
        ),
        None => select.to_string(),
    };
    let mut s = Sql::new(&select);
    list_where(scope, f, &mut s);
    s.push(&f.sort.order_by("p"));
    s
}

/// A problem as the export writes it: the list's columns with the description and
/// org path, without the measure counts (the export reads the measures themselves).
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct ProblemExportRow {
    pub id: i64,
    pub org_path: String,
    pub source: String,
    pub source_ref: Option<String>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub leader_name: Option<String>,
    pub department: Option<String>,
    pub person_name: Option<String>,
    pub found_on: String,
    pub deadline: String,
    pub state: String,
    /// The measures in order, each `1` (done) or `0` then its content, joined by
    /// U+001F (the ASCII unit separator, which typed or pasted text does not hold):
    /// one value per problem instead of a row per measure (`measures`).
    pub measures: Option<String>,
}

impl ProblemExportRow {
    /// The measures: (content, done), in order.
    pub fn measures(&self) -> Vec<(&str, bool)> {
        self.measures
            .as_deref()
            .map(|m| {
                m.split(MEASURE_SEP)
                    .map(|x| match x.strip_prefix('1') {
                        Some(content) => (content, true),
                        None => (x.strip_prefix('0').unwrap_or(x), false),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The separator of `ProblemExportRow::measures`.
pub const MEASURE_SEP: char = '\u{1f}';

/// `agg` is the dialect's ordered string aggregate (`group_concat(…, char(31) ORDER
/// BY id)` in SQLite ≥ 3.44, `string_agg(…, chr(31) ORDER BY id)` in PostgreSQL).
fn export_select(agg: &str) -> String {
    format!(
        "SELECT p.id, p.org_path, p.source, p.source_ref, p.title, p.description, p.category,
 l.name AS leader_name, p.department, pp.name AS person_name, p.found_on, p.deadline, p.state,
 (SELECT {agg} FROM measures m WHERE m.problem_id = p.id) AS measures
 FROM problems p LEFT JOIN people l ON l.id = p.leader_id LEFT JOIN people pp ON pp.id = p.person_id WHERE 1=1"
    )
}

/// The whole list as filtered, in its order, for reading in one pass
/// (`Sql::chunks`) as `ProblemExportRow`s.
pub async fn export_sql(c: &mut Conn, scope: &Scope, f: &ProblemFilter) -> Result<Sql> {
    let total = count(c, scope, f).await?;
    let agg = if c.backend_name() == "PostgreSQL" {
        "string_agg(CASE WHEN m.state = 'done' THEN '1' ELSE '0' END || m.content, chr(31) ORDER BY m.id)"
    } else {
        "group_concat(CASE WHEN m.state = 'done' THEN '1' ELSE '0' END || m.content, char(31) ORDER BY m.id)"
    };
    Ok(list_sql(c, scope, f, total, &export_select(agg)))
}

pub async fn count(c: &mut Conn, scope: &Scope, f: &ProblemFilter) -> Result<i64> {
    let simple = f.source.is_none()
        && f.overdue_on.is_none()
        && f.q.is_none()
        && f.issued_under.is_none()
        && f.person_id.is_none()
        && matches!(scope, Scope::Subtrees(_));
    if simple {
        let states: Vec<&str> = f.states.iter().map(String::as_str).collect();
        return counters::sum(c, "problem", scope, f.org_path.as_deref(), &states).await;
    }
    let mut s = Sql::new("SELECT COUNT(*) FROM problems p WHERE 1=1");
    list_where(scope, f, &mut s);
    let (n,): (i64,) = s.query_as().fetch_one(c).await?;
    Ok(n)
}

pub async fn list_row(c: &mut Conn, id: i64) -> Result<ProblemListRow> {
    let mut s = Sql::new(LIST_SELECT);
    s.push(" AND p.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

// --- measures ---

pub struct NewMeasure<'a> {
    pub problem_id: i64,
    pub org_path: &'a str,
    pub content: &'a str,
    pub owner_id: Option<i64>,
    pub deadline: &'a str,
    pub now: i64,
}

pub async fn insert_measure(c: &mut Conn, m: NewMeasure<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO measures (problem_id, org_path, content, owner_id, deadline, state, created_at) VALUES ($1,$2,$3,$4,$5,'todo',$6) RETURNING id",
    )
    .bind(m.problem_id)
    .bind(m.org_path)
    .bind(m.content)
    .bind(m.owner_id)
    .bind(m.deadline)
    .bind(m.now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Raw measure rows for bulk loading: (id, problem_id, org_path, content, owner_id, deadline, state, done_at, created_at).
pub type RawMeasure = (
    i64,
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    Option<i64>,
    i64,
);

pub async fn insert_measures_raw(c: &mut Conn, rows: &[RawMeasure]) -> Result<()> {
    for chunk in rows.chunks(300) {
        let mut s = Sql::new("INSERT INTO measures (id, problem_id, org_path, content, owner_id, deadline, state, done_at, created_at) VALUES ");
        for (i, m) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(m.0)
                .push(",")
                .bind(m.1)
                .push(",")
                .bind(m.2.as_str())
                .push(",")
                .bind(m.3.as_str())
                .push(",")
                .bind(m.4)
                .push(",")
                .bind(m.5.as_str())
                .push(",")
                .bind(m.6.as_str())
                .push(",")
                .bind(m.7)
                .push(",")
                .bind(m.8)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

const MEASURE_SELECT: &str = "SELECT m.id, m.problem_id, m.org_path, m.content, m.owner_id, pe.name AS owner_name, m.deadline, m.state, m.done_at, m.created_at,
 (SELECT COUNT(*) FROM evidence e WHERE e.object_kind = 'measure' AND e.object_id = m.id) AS evidence_count
 FROM measures m LEFT JOIN people pe ON pe.id = m.owner_id";

pub async fn measures(c: &mut Conn, problem_id: i64) -> Result<Vec<MeasureRow>> {
    Ok(sqlx::query_as(&format!(
        "{MEASURE_SELECT} WHERE m.problem_id = $1 ORDER BY m.id"
    ))
    .bind(problem_id)
    .fetch_all(c)
    .await?)
}

pub async fn measure(c: &mut Conn, id: i64) -> Result<MeasureRow> {
    found(
        sqlx::query_as(&format!("{MEASURE_SELECT} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn set_measure_state(c: &mut Conn, id: i64, state: &str, now: i64) -> Result<()> {
    let done_at = (state == "done").then_some(now);
    sqlx::query("UPDATE measures SET state = $1, done_at = $2 WHERE id = $3")
        .bind(state)
        .bind(done_at)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// (org id, name, total, closed, overdue) for the direct children of an org.
pub async fn by_child_org(
    c: &mut Conn,
    parent_org_id: i64,
    today: &str,
) -> Result<Vec<(i64, String, String, i64, i64, i64)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT o.id, o.name, o.path,
           (SELECT CAST(COALESCE(SUM(n),0) AS BIGINT) FROM counters k WHERE k.kind='problem' AND k.org_path = o.path),
           (SELECT CAST(COALESCE(SUM(n),0) AS BIGINT) FROM counters k WHERE k.kind='problem' AND k.state='closed' AND k.org_path = o.path),
           (SELECT COUNT(*) FROM problems p WHERE p.state IN {OPEN_STATES} AND p.deadline < $2 AND p.org_path >= o.path AND p.org_path < (SUBSTR(o.path, 1, LENGTH(o.path) - 1) || '0'))
         FROM orgs o WHERE o.parent_id = $1 AND o.closed_at IS NULL ORDER BY o.sort_order, o.id"
    ))
    .bind(parent_org_id)
    .bind(today)
    .fetch_all(c)
    .await?)
}
