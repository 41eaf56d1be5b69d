//! Supervision notices (督办单): an upper org presses a lower one on late items, and
//! the lower org answers. A notice is visible from both ends: to the lower org's
//! subtree (`org_path`) and to the issuing org's subtree (`issuing_org_path`).
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql, StoreError};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct NoticeRow {
    pub id: i64,
    pub code: String,
    pub issuing_org_id: i64,
    pub issuing_org_path: String,
    pub org_id: i64,
    pub org_path: String,
    pub title: String,
    pub body: String,
    pub answer_due: String,
    pub state: String,
    pub issued_by: Option<i64>,
    pub issued_at: i64,
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
}

/// A notice as lists show it, with the names a reader needs.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct NoticeListRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub issuing_org_id: i64,
    pub issuing_org_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub answer_due: String,
    pub state: String,
    pub issued_at: i64,
    pub answered_at: Option<i64>,
    pub items: i64,
}

/// An item a notice presses on, with its current state.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct NoticeItemRow {
    /// `task` or `measure`.
    pub item_type: String,
    pub item_id: i64,
    pub title: String,
    pub org_name: String,
    pub deadline: String,
    pub state: String,
    /// The page that shows the item: the task itself, or a measure's problem.
    pub link_id: i64,
}

pub const COLS: &str = "id, code, issuing_org_id, issuing_org_path, org_id, org_path, title, body, answer_due, state, issued_by, issued_at, answer, answered_by, answered_at";

pub struct NewNotice<'a> {
    pub code: &'a str,
    pub issuing_org_id: i64,
    pub issuing_org_path: &'a str,
    pub org_id: i64,
    pub org_path: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub answer_due: &'a str,
    pub issued_by: Option<i64>,
    pub issued_at: i64,
    pub items: &'a [(String, i64)],
}

/// Inserts an open notice and its items. `remind_on` '0000-00-00' makes the reminder
/// engine look at it on its next cycle. A code taken meanwhile by another writer
/// answers `Conflict` rather than a database error.
pub async fn insert(c: &mut Conn, n: NewNotice<'_>) -> Result<i64> {
    let r: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO supervision_notices (code, issuing_org_id, issuing_org_path, org_id, org_path, title, body, answer_due, state, issued_by, issued_at, remind_on)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'open',$9,$10,'0000-00-00') RETURNING id",
    )
    .bind(n.code)
    .bind(n.issuing_org_id)
    .bind(n.issuing_org_path)
    .bind(n.org_id)
    .bind(n.org_path)
    .bind(n.title)
    .bind(n.body)
    .bind(n.answer_due)
    .bind(n.issued_by)
    .bind(n.issued_at)
    .fetch_one(&mut *c)
    .await;
    let (id,) = match r {
        Ok(v) => v,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(StoreError::Conflict)
        }
        Err(e) => return Err(e.into()),
    };
    for (kind, item_id) in n.items {
        sqlx::query(
            "INSERT INTO supervision_notice_items (notice_id, item_type, item_id) VALUES ($1,$2,$3)",
        )
        .bind(id)
        .bind(kind.as_str())
        .bind(*item_id)
        .execute(&mut *c)
        .await?;
    }
    Ok(id)
}

/// The next free code `{prefix}督〔{year}〕{n}号` of an issuing org: numbered per org and
/// year, and skipping any number another org with the same prefix already took.
pub async fn next_code(
    c: &mut Conn,
    issuing_org_id: i64,
    prefix: &str,
    year: i32,
) -> Result<String> {
    let pattern = format!("{}督〔{year}〕%", crate::org::escape_like(prefix));
    let (mut n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM supervision_notices WHERE issuing_org_id = $1 AND code LIKE $2 ESCAPE '\\'",
    )
    .bind(issuing_org_id)
    .bind(&pattern)
    .fetch_one(&mut *c)
    .await?;
    loop {
        n += 1;
        let code = format!("{prefix}督〔{year}〕{n}号");
        let (taken,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM supervision_notices WHERE code = $1")
                .bind(&code)
                .fetch_one(&mut *c)
                .await?;
        if taken == 0 {
            return Ok(code);
        }
    }
}

/// Restricts to notices whose lower org or issuing org lies in the scope.
fn push_scope(s: &mut Sql, scope: &Scope) {
    s.push(" AND ((1=1");
    scope.filter(s, "n.org_path", None);
    s.push(") OR (1=1");
    scope.filter(s, "n.issuing_org_path", None);
    s.push("))");
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<NoticeRow> {
    let cols = COLS
        .split(", ")
        .map(|c| format!("n.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = Sql::new(&format!(
        "SELECT {cols} FROM supervision_notices n WHERE n.id = "
    ));
    s.bind(id);
    push_scope(&mut s, scope);
    found(s.query_as().fetch_optional(c).await?)
}

/// Which way a notice goes, seen from the actor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    #[default]
    All,
    /// Issued by an org above the actor's scope (to be answered).
    Incoming,
    /// Issued by an org inside the actor's scope.
    Issued,
}

#[derive(Debug, Clone, Default)]
pub struct NoticeFilter {
    pub direction: Direction,
    pub state: Option<String>,
    /// Only notices to an org in this subtree.
    pub org_path: Option<String>,
    /// Only notices answer-due before this day and still open.
    pub overdue_on: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &NoticeFilter, s: &mut Sql) {
    push_scope(s, scope);
    match f.direction {
        Direction::All => {}
        Direction::Issued => {
            s.push(" AND (1=1");
            scope.filter(s, "n.issuing_org_path", None);
            s.push(")");
        }
        Direction::Incoming => {
            s.push(" AND NOT (1=1");
            scope.filter(s, "n.issuing_org_path", None);
            s.push(")");
        }
    }
    if let Some(st) = &f.state {
        s.push(" AND n.state = ").bind(st.as_str());
    }
    if let Some(p) = &f.org_path {
        s.push(" AND n.org_path >= ")
            .bind(p.as_str())
            .push(" AND n.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(d) = &f.overdue_on {
        s.push(" AND n.state = 'open' AND n.answer_due < ")
            .bind(d.as_str());
    }
}

const LIST_SELECT: &str = "SELECT n.id, n.code, n.title, n.issuing_org_id, io.name AS issuing_org_name, n.org_id, o.name AS org_name,
 n.answer_due, n.state, n.issued_at, n.answered_at,
 (SELECT COUNT(*) FROM supervision_notice_items i WHERE i.notice_id = n.id) AS items
 FROM supervision_notices n JOIN orgs o ON o.id = n.org_id JOIN orgs io ON io.id = n.issuing_org_id WHERE 1=1";

pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    f: &NoticeFilter,
) -> Result<(Vec<NoticeListRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM supervision_notices n WHERE 1=1");
    list_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(LIST_SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY n.id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    Ok((rows, total))
}

/// The whole list as filtered, newest first, for an export read in chunks.
pub fn export_sql(scope: &Scope, f: &NoticeFilter) -> Sql {
    let mut s = Sql::new(LIST_SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY n.id DESC");
    s
}

pub async fn list_row(c: &mut Conn, id: i64) -> Result<NoticeListRow> {
    let mut s = Sql::new(LIST_SELECT);
    s.push(" AND n.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

/// The items of a notice, tasks first, each with its current state.
pub async fn items(c: &mut Conn, notice_id: i64) -> Result<Vec<NoticeItemRow>> {
    Ok(sqlx::query_as(
        "SELECT 'task' AS item_type, t.id AS item_id, t.title, o.name AS org_name, t.deadline, t.state, t.id AS link_id
           FROM supervision_notice_items i JOIN tasks t ON t.id = i.item_id JOIN orgs o ON o.id = t.org_id
          WHERE i.notice_id = $1 AND i.item_type = 'task'
         UNION ALL
         SELECT 'measure' AS item_type, m.id AS item_id, m.content AS title, o.name AS org_name, m.deadline, m.state, p.id AS link_id
           FROM supervision_notice_items i JOIN measures m ON m.id = i.item_id
           JOIN problems p ON p.id = m.problem_id JOIN orgs o ON o.id = p.org_id
          WHERE i.notice_id = $2 AND i.item_type = 'measure'
         ORDER BY 1 DESC, 2",
    )
    .bind(notice_id)
    .bind(notice_id)
    .fetch_all(c)
    .await?)
}

/// Notices that name an item (for the item's own page).
pub async fn of_item(c: &mut Conn, item_type: &str, item_id: i64) -> Result<Vec<NoticeListRow>> {
    let mut s = Sql::new(LIST_SELECT);
    s.push(" AND n.id IN (SELECT notice_id FROM supervision_notice_items WHERE item_type = ")
        .bind(item_type)
        .push(" AND item_id = ")
        .bind(item_id)
        .push(") ORDER BY n.id DESC");
    Ok(s.query_as().fetch_all(c).await?)
}

/// Records the answer, only while the notice is open: a second answer, or one racing
/// another, finds no open row and is refused as a conflict.
pub async fn answer(c: &mut Conn, id: i64, text: &str, by: Option<i64>, at: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE supervision_notices SET state = 'answered', answer = $1, answered_by = $2, answered_at = $3
         WHERE id = $4 AND state = 'open'",
    )
    .bind(text)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Open tasks and measures of a subtree whose deadline has passed: the candidates for
/// a notice. (kind, id, title, deadline, state, org name, link id), oldest first.
pub async fn overdue_items(
    c: &mut Conn,
    scope: &Scope,
    org_path: &str,
    today: &str,
    limit: i64,
) -> Result<Vec<NoticeItemRow>> {
    let upper = crate::sql::upper(org_path);
    let mut s = Sql::new(
        "SELECT 'task' AS item_type, t.id AS item_id, t.title, o.name AS org_name, t.deadline, t.state, t.id AS link_id
           FROM tasks t JOIN orgs o ON o.id = t.org_id
          WHERE t.state IN ('not_started','in_progress','pending_review','returned') AND t.deadline < ",
    );
    s.bind(today)
        .push(" AND t.org_path >= ")
        .bind(org_path)
        .push(" AND t.org_path < ")
        .bind(upper.clone());
    scope.filter(&mut s, "t.org_path", Some("t.person_id"));
    s.push(
        " UNION ALL
         SELECT 'measure' AS item_type, m.id AS item_id, m.content AS title, o.name AS org_name, m.deadline, m.state, p.id AS link_id
           FROM measures m JOIN problems p ON p.id = m.problem_id JOIN orgs o ON o.id = p.org_id
          WHERE m.state = 'todo' AND m.deadline < ",
    );
    s.bind(today)
        .push(" AND m.org_path >= ")
        .bind(org_path)
        .push(" AND m.org_path < ")
        .bind(upper);
    scope.filter(&mut s, "m.org_path", Some("p.person_id"));
    s.push(" ORDER BY 5, 1 DESC, 2 LIMIT ").bind(limit);
    Ok(s.query_as().fetch_all(c).await?)
}

/// (answered, total) notices to orgs in a subtree issued in `[from, to)` (unix
/// seconds): the answer rate pressure-transmission figures use.
pub async fn answer_counts(c: &mut Conn, org_path: &str, from: i64, to: i64) -> Result<(i64, i64)> {
    let (answered, total): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN state = 'answered' THEN 1 ELSE 0 END), 0) AS BIGINT), COUNT(*)
           FROM supervision_notices WHERE org_path >= $1 AND org_path < $2 AND issued_at >= $3 AND issued_at < $4",
    )
    .bind(org_path)
    .bind(crate::sql::upper(org_path))
    .bind(from)
    .bind(to)
    .fetch_one(c)
    .await?;
    Ok((answered, total))
}
