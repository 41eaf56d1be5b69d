//! People: Party members and cadres, and their positions.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub org_id: i64,
    pub org_path: String,
    pub gender: Option<String>,
    pub party_status: String,
    pub joined_on: Option<String>,
    pub cadre_rank: Option<String>,
    pub title: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PersonListRow {
    pub id: i64,
    pub name: String,
    pub org_id: i64,
    pub org_name: String,
    pub gender: Option<String>,
    pub party_status: String,
    pub joined_on: Option<String>,
    pub cadre_rank: Option<String>,
    pub title: Option<String>,
    pub positions: Option<String>,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PositionRow {
    pub id: i64,
    pub person_id: i64,
    pub org_id: i64,
    pub kind: String,
    pub portfolio: Option<String>,
}

const COLS: &str =
    "id, name, org_id, org_path, gender, party_status, joined_on, cadre_rank, title, created_at";

pub async fn insert(c: &mut Conn, p: &PersonRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO people (name, org_id, org_path, gender, party_status, joined_on, cadre_rank, title, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(&p.name)
    .bind(p.org_id)
    .bind(&p.org_path)
    .bind(&p.gender)
    .bind(&p.party_status)
    .bind(&p.joined_on)
    .bind(&p.cadre_rank)
    .bind(&p.title)
    .bind(p.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn insert_raw(c: &mut Conn, rows: &[PersonRow]) -> Result<()> {
    for chunk in rows.chunks(400) {
        let mut s = Sql::new(&format!("INSERT INTO people ({COLS}) VALUES "));
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(r.id)
                .push(",")
                .bind(r.name.as_str())
                .push(",")
                .bind(r.org_id)
                .push(",")
                .bind(r.org_path.as_str())
                .push(",")
                .bind(r.gender.clone())
                .push(",")
                .bind(r.party_status.as_str())
                .push(",")
                .bind(r.joined_on.clone())
                .push(",")
                .bind(r.cadre_rank.clone())
                .push(",")
                .bind(r.title.clone())
                .push(",")
                .bind(r.created_at)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn insert_position(c: &mut Conn, p: &PositionRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO positions (person_id, org_id, kind, portfolio) VALUES ($1,$2,$3,$4) RETURNING id",
    )
    .bind(p.person_id)
    .bind(p.org_id)
    .bind(&p.kind)
    .bind(&p.portfolio)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn get(c: &mut Conn, id: i64) -> Result<PersonRow> {
    found(
        sqlx::query_as(&format!("SELECT {COLS} FROM people WHERE id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<PersonRow> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM people WHERE id = "));
    s.bind(id);
    scope.filter(&mut s, "org_path", Some("id"));
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn positions_of(c: &mut Conn, person_id: i64) -> Result<Vec<PositionRow>> {
    Ok(sqlx::query_as("SELECT id, person_id, org_id, kind, portfolio FROM positions WHERE person_id = $1 ORDER BY id")
        .bind(person_id)
        .fetch_all(c)
        .await?)
}

pub struct PersonFilter {
    pub org_path: Option<String>,
    pub q: Option<String>,
    pub party_status: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &PersonFilter, s: &mut Sql) {
    people_where(
        scope,
        f.org_path.as_deref(),
        f.q.as_deref(),
        f.party_status.as_deref(),
        s,
    );
}

/// The filters every list of people shares (the people page and the roster): scope,
/// org subtree, name, party status, on the alias `p`.
pub(crate) fn people_where(
    scope: &Scope,
    org_path: Option<&str>,
    q: Option<&str>,
    party_status: Option<&str>,
    s: &mut Sql,
) {
    scope.filter(s, "p.org_path", Some("p.id"));
    if let Some(path) = org_path {
        s.push(" AND p.org_path >= ")
            .bind(path)
            .push(" AND p.org_path < ")
            .bind(crate::sql::upper(path));
    }
    if let Some(q) = q {
        s.push(" AND p.name LIKE ")
            .bind(format!("%{}%", crate::org::escape_like(q)))
            .push(" ESCAPE '\\'");
    }
    if let Some(st) = party_status {
        s.push(" AND p.party_status = ").bind(st);
    }
}

pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    f: &PersonFilter,
) -> Result<(Vec<PersonListRow>, i64)> {
    let mut s = Sql::new(
        "SELECT p.id, p.name, p.org_id, o.name AS org_name, p.gender, p.party_status, p.joined_on, p.cadre_rank, p.title,
         (SELECT MIN(kind) FROM positions x WHERE x.person_id = p.id) AS positions
         FROM people p JOIN orgs o ON o.id = p.org_id WHERE 1=1",
    );
    list_where(scope, f, &mut s);
    s.push(" ORDER BY p.org_path, p.id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    let mut cs = Sql::new("SELECT COUNT(*) FROM people p WHERE 1=1");
    list_where(scope, f, &mut cs);
    let (n,): (i64,) = cs.query_as().fetch_one(c).await?;
    Ok((rows, n))
}

/// People of one org (not its subtree), for pickers of responsible persons.
pub async fn of_org(c: &mut Conn, org_id: i64, limit: i64) -> Result<Vec<PersonRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM people WHERE org_id = $1 ORDER BY id LIMIT $2"
    ))
    .bind(org_id)
    .bind(limit)
    .fetch_all(c)
    .await?)
}
