//! Accountability records (问责): an action against a person or an org, with who
//! decided it and when, linked to the notice or item that caused it.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AccountabilityRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub action: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_on: String,
    pub notice_id: Option<i64>,
    pub notice_code: Option<String>,
    pub item_type: Option<String>,
    pub item_id: Option<i64>,
    pub created_at: i64,
}

pub struct NewRecord<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub person_id: Option<i64>,
    pub action: &'a str,
    pub reason: &'a str,
    pub decided_by: &'a str,
    pub decided_on: &'a str,
    pub notice_id: Option<i64>,
    pub item_type: Option<&'a str>,
    pub item_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

pub async fn insert(c: &mut Conn, r: NewRecord<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO accountability (org_id, org_path, person_id, action, reason, decided_by, decided_on, notice_id, item_type, item_id, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id",
    )
    .bind(r.org_id)
    .bind(r.org_path)
    .bind(r.person_id)
    .bind(r.action)
    .bind(r.reason)
    .bind(r.decided_by)
    .bind(r.decided_on)
    .bind(r.notice_id)
    .bind(r.item_type)
    .bind(r.item_id)
    .bind(r.created_by)
    .bind(r.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT a.id, a.org_id, o.name AS org_name, a.org_path, a.person_id, p.name AS person_name,
 a.action, a.reason, a.decided_by, a.decided_on, a.notice_id, n.code AS notice_code, a.item_type, a.item_id, a.created_at
 FROM accountability a JOIN orgs o ON o.id = a.org_id LEFT JOIN people p ON p.id = a.person_id
 LEFT JOIN supervision_notices n ON n.id = a.notice_id WHERE 1=1";

#[derive(Debug, Clone, Default)]
pub struct AccountabilityFilter {
    /// Only records of orgs in this subtree.
    pub org_path: Option<String>,
    pub person_id: Option<i64>,
    pub action: Option<String>,
    pub notice_id: Option<i64>,
    /// Only decisions of this calendar year.
    pub year: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &AccountabilityFilter, s: &mut Sql) {
    scope.filter(s, "a.org_path", Some("a.person_id"));
    if let Some(p) = &f.org_path {
        s.push(" AND a.org_path >= ")
            .bind(p.as_str())
            .push(" AND a.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(pid) = f.person_id {
        s.push(" AND a.person_id = ").bind(pid);
    }
    if let Some(a) = &f.action {
        s.push(" AND a.action = ").bind(a.as_str());
    }
    if let Some(n) = f.notice_id {
        s.push(" AND a.notice_id = ").bind(n);
    }
    if let Some(y) = f.year {
        s.push(" AND a.decided_on >= ")
            .bind(format!("{y:04}-01-01"))
            .push(" AND a.decided_on < ")
            .bind(format!("{:04}-01-01", y + 1));
    }
}

pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    f: &AccountabilityFilter,
) -> Result<(Vec<AccountabilityRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM accountability a WHERE 1=1");
    list_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY a.decided_on DESC, a.id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    Ok((rows, total))
}

/// The whole list as filtered, in the list's order, for an export read in chunks.
pub fn export_sql(scope: &Scope, f: &AccountabilityFilter) -> Sql {
    let mut s = Sql::new(SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY a.decided_on DESC, a.id DESC");
    s
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<AccountabilityRow> {
    let mut s = Sql::new(SELECT);
    s.push(" AND a.id = ").bind(id);
    scope.filter(&mut s, "a.org_path", Some("a.person_id"));
    found(s.query_as().fetch_optional(c).await?)
}

/// One (org, action) cell of the yearly counts.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ActionCount {
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub action: String,
    pub n: i64,
}

/// Records decided in `year` in the scope, counted per org and action.
pub async fn counts(c: &mut Conn, scope: &Scope, year: i32) -> Result<Vec<ActionCount>> {
    let mut s = Sql::new(
        "SELECT a.org_id, o.name AS org_name, o.path AS org_path, a.action, COUNT(*) AS n
           FROM accountability a JOIN orgs o ON o.id = a.org_id WHERE a.decided_on >= ",
    );
    s.bind(format!("{year:04}-01-01"))
        .push(" AND a.decided_on < ")
        .bind(format!("{:04}-01-01", year + 1));
    scope.filter(&mut s, "a.org_path", Some("a.person_id"));
    s.push(" GROUP BY a.org_id, o.name, o.path, a.action ORDER BY o.path, a.action");
    Ok(s.query_as().fetch_all(c).await?)
}
