//! Integrity risk points (廉政风险点) and their controls. Read through a `Scope` in SQL,
//! like every business record; the heat table counts with the list's own filter, so
//! a cell's number is the length of the list it links to.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RiskPointRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub department: String,
    pub post: String,
    pub category: String,
    pub level: String,
    pub description: String,
    pub review_months: i64,
    pub last_reviewed_on: Option<String>,
    pub next_review_on: String,
    pub controls: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT r.id, r.org_id, o.name AS org_name, r.org_path, r.department, r.post, r.category,
 r.level, r.description, r.review_months, r.last_reviewed_on, r.next_review_on,
 (SELECT COUNT(*) FROM risk_controls k WHERE k.risk_point_id = r.id) AS controls, r.created_at, r.updated_at
 FROM risk_points r JOIN orgs o ON o.id = r.org_id WHERE 1=1";

pub struct NewRiskPoint<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub department: &'a str,
    pub post: &'a str,
    pub category: &'a str,
    pub level: &'a str,
    pub description: &'a str,
    pub review_months: i64,
    pub next_review_on: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert(c: &mut Conn, r: NewRiskPoint<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO risk_points (org_id, org_path, department, post, category, level, description,
           review_months, next_review_on, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id",
    )
    .bind(r.org_id)
    .bind(r.org_path)
    .bind(r.department)
    .bind(r.post)
    .bind(r.category)
    .bind(r.level)
    .bind(r.description)
    .bind(r.review_months)
    .bind(r.next_review_on)
    .bind(r.created_by)
    .bind(r.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn insert_control(
    c: &mut Conn,
    risk_point_id: i64,
    measure: &str,
    owner_person_id: Option<i64>,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO risk_controls (risk_point_id, measure, owner_person_id, created_at)
         VALUES ($1,$2,$3,$4) RETURNING id",
    )
    .bind(risk_point_id)
    .bind(measure)
    .bind(owner_person_id)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, Default)]
pub struct RiskFilter {
    pub org_path: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    /// Department or post contains these words.
    pub q: Option<String>,
    /// Next review on or before this day (due for review).
    pub due_by: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &RiskFilter, s: &mut Sql) {
    scope.filter(s, "r.org_path", None);
    if let Some(p) = &f.org_path {
        s.push(" AND r.org_path >= ")
            .bind(p.as_str())
            .push(" AND r.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(v) = &f.category {
        s.push(" AND r.category = ").bind(v.as_str());
    }
    if let Some(v) = &f.level {
        s.push(" AND r.level = ").bind(v.as_str());
    }
    if let Some(d) = &f.due_by {
        s.push(" AND r.next_review_on <= ").bind(d.as_str());
    }
    if let Some(q) = &f.q {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        s.push(" AND (r.department LIKE ")
            .bind(like.clone())
            .push(" OR r.post LIKE ")
            .bind(like.clone())
            .push(" OR r.description LIKE ")
            .bind(like)
            .push(")");
    }
}

pub async fn list(c: &mut Conn, scope: &Scope, f: &RiskFilter) -> Result<(Vec<RiskPointRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM risk_points r WHERE 1=1");
    list_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY r.org_path, r.department, r.post, r.id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    Ok((s.query_as().fetch_all(&mut *c).await?, total))
}

/// (category, level, n) over the list's filter (category and level ignored: the
/// table is every cell).
pub async fn heat(
    c: &mut Conn,
    scope: &Scope,
    f: &RiskFilter,
) -> Result<Vec<(String, String, i64)>> {
    let f = RiskFilter {
        category: None,
        level: None,
        ..f.clone()
    };
    let mut s = Sql::new("SELECT r.category, r.level, COUNT(*) FROM risk_points r WHERE 1=1");
    list_where(scope, &f, &mut s);
    s.push(" GROUP BY r.category, r.level");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<RiskPointRow> {
    let mut s = Sql::new(SELECT);
    s.push(" AND r.id = ").bind(id);
    scope.filter(&mut s, "r.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ControlRow {
    pub id: i64,
    pub risk_point_id: i64,
    pub measure: String,
    pub owner_person_id: Option<i64>,
    pub owner_name: Option<String>,
    pub created_at: i64,
}

/// The controls of a risk point the caller has already read in scope.
pub async fn controls_of(c: &mut Conn, risk_point_id: i64) -> Result<Vec<ControlRow>> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.risk_point_id, k.measure, k.owner_person_id, pe.name AS owner_name, k.created_at
           FROM risk_controls k LEFT JOIN people pe ON pe.id = k.owner_person_id
          WHERE k.risk_point_id = $1 ORDER BY k.id",
    )
    .bind(risk_point_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_reviewed(c: &mut Conn, id: i64, on: &str, next: &str, at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE risk_points SET last_reviewed_on = $1, next_review_on = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(on)
    .bind(next)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}
