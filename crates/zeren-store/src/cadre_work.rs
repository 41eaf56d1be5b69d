//! Cadre records (干部工作): appointments, part-time posts in social organisations,
//! training and 容错纠错, each linked to a person and scoped by org path; and the
//! year's counts the annual report states.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

/// The four tables, by the record kind pages and the API name them.
pub const KINDS: &[&str] = &["appointment", "part_time", "training", "tolerance"];

/// One record of any kind, as the list shows it: `what` is the kind's own key
/// (promotion, approved, …), `detail` its words, `on` its date.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct CadreRow {
    pub record: String,
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub what: Option<String>,
    pub title: String,
    pub detail: String,
    pub on_day: Option<String>,
    pub amount: i64,
    pub created_at: i64,
}

fn select_of(kind: &str) -> &'static str {
    match kind {
        "appointment" => "SELECT 'appointment' AS record, r.id, r.person_id, p.name AS person_name, r.org_id, o.name AS org_name, r.org_path,
            r.kind AS what, r.post AS title, r.from_rank || ' → ' || r.to_rank AS detail, r.appointed_on AS on_day, 0 AS amount, r.created_at
            FROM cadre_appointments r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id WHERE 1=1",
        "part_time" => "SELECT 'part_time' AS record, r.id, r.person_id, p.name AS person_name, r.org_id, o.name AS org_name, r.org_path,
            r.decision AS what, r.society AS title, r.post AS detail, r.decided_on AS on_day, r.paid AS amount, r.created_at
            FROM cadre_part_time r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id WHERE 1=1",
        "training" => "SELECT 'training' AS record, r.id, r.person_id, p.name AS person_name, r.org_id, o.name AS org_name, r.org_path,
            NULL AS what, r.class_name AS title, r.organizer AS detail, r.started_on AS on_day, r.hours AS amount, r.created_at
            FROM cadre_trainings r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id WHERE 1=1",
        _ => "SELECT 'tolerance' AS record, r.id, r.person_id, p.name AS person_name, r.org_id, o.name AS org_name, r.org_path,
            r.kind AS what, r.matter AS title, r.post AS detail, r.decided_on AS on_day, 0 AS amount, r.created_at
            FROM cadre_tolerance r JOIN people p ON p.id = r.person_id JOIN orgs o ON o.id = r.org_id WHERE 1=1",
    }
}

fn day_col(kind: &str) -> &'static str {
    match kind {
        "appointment" => "r.appointed_on",
        "part_time" => "r.decided_on",
        "training" => "r.started_on",
        _ => "r.decided_on",
    }
}

#[derive(Debug, Clone, Default)]
pub struct CadreFilter {
    /// appointment, part_time, training, tolerance
    pub kind: String,
    pub org_path: Option<String>,
    pub year: Option<i32>,
    pub person_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &CadreFilter, s: &mut Sql) {
    scope.filter(s, "r.org_path", Some("r.person_id"));
    if let Some(p) = &f.org_path {
        s.push(" AND r.org_path >= ")
            .bind(p.as_str())
            .push(" AND r.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(y) = f.year {
        let col = day_col(&f.kind);
        s.push(&format!(" AND {col} >= "))
            .bind(format!("{y:04}-01-01"))
            .push(&format!(" AND {col} <= "))
            .bind(format!("{y:04}-12-31"));
    }
    if let Some(p) = f.person_id {
        s.push(" AND r.person_id = ").bind(p);
    }
}

fn table_of(kind: &str) -> &'static str {
    match kind {
        "appointment" => "cadre_appointments",
        "part_time" => "cadre_part_time",
        "training" => "cadre_trainings",
        _ => "cadre_tolerance",
    }
}

pub async fn list(c: &mut Conn, scope: &Scope, f: &CadreFilter) -> Result<(Vec<CadreRow>, i64)> {
    let mut s = Sql::new(&format!(
        "SELECT COUNT(*) FROM {} r WHERE 1=1",
        table_of(&f.kind)
    ));
    list_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(select_of(&f.kind));
    list_where(scope, f, &mut s);
    s.push(&format!(
        " ORDER BY {} DESC, r.id DESC LIMIT ",
        day_col(&f.kind)
    ))
    .bind(f.limit)
    .push(" OFFSET ")
    .bind(f.offset);
    Ok((s.query_as().fetch_all(&mut *c).await?, total))
}

pub async fn get_in(c: &mut Conn, scope: &Scope, kind: &str, id: i64) -> Result<CadreRow> {
    let mut s = Sql::new(select_of(kind));
    s.push(" AND r.id = ").bind(id);
    scope.filter(&mut s, "r.org_path", Some("r.person_id"));
    found(s.query_as().fetch_optional(c).await?)
}

/// Who and where a record is.
pub struct Owner<'a> {
    pub person_id: i64,
    pub org_id: i64,
    pub org_path: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_appointment(
    c: &mut Conn,
    o: &Owner<'_>,
    kind: &str,
    post: &str,
    from_rank: &str,
    to_rank: &str,
    appointed_on: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO cadre_appointments (person_id, org_id, org_path, kind, post, from_rank, to_rank, appointed_on, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
    )
    .bind(o.person_id)
    .bind(o.org_id)
    .bind(o.org_path)
    .bind(kind)
    .bind(post)
    .bind(from_rank)
    .bind(to_rank)
    .bind(appointed_on)
    .bind(o.created_by)
    .bind(o.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_part_time(
    c: &mut Conn,
    o: &Owner<'_>,
    society: &str,
    post: &str,
    applied_on: &str,
    decision: Option<&str>,
    decided_on: Option<&str>,
    paid: bool,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO cadre_part_time (person_id, org_id, org_path, society, post, applied_on, decision, decided_on, paid, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id",
    )
    .bind(o.person_id)
    .bind(o.org_id)
    .bind(o.org_path)
    .bind(society)
    .bind(post)
    .bind(applied_on)
    .bind(decision)
    .bind(decided_on)
    .bind(paid as i64)
    .bind(o.created_by)
    .bind(o.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn decide_part_time(c: &mut Conn, id: i64, decision: &str, on: &str) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE cadre_part_time SET decision = $1, decided_on = $2 WHERE id = $3 AND decision IS NULL",
    )
    .bind(decision)
    .bind(on)
    .bind(id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn insert_training(
    c: &mut Conn,
    o: &Owner<'_>,
    class_name: &str,
    organizer: &str,
    started_on: &str,
    hours: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO cadre_trainings (person_id, org_id, org_path, class_name, organizer, started_on, hours, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(o.person_id)
    .bind(o.org_id)
    .bind(o.org_path)
    .bind(class_name)
    .bind(organizer)
    .bind(started_on)
    .bind(hours)
    .bind(o.created_by)
    .bind(o.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn insert_tolerance(
    c: &mut Conn,
    o: &Owner<'_>,
    kind: &str,
    matter: &str,
    post: &str,
    decided_on: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO cadre_tolerance (person_id, org_id, org_path, kind, matter, post, decided_on, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(o.person_id)
    .bind(o.org_id)
    .bind(o.org_path)
    .bind(kind)
    .bind(matter)
    .bind(post)
    .bind(decided_on)
    .bind(o.created_by)
    .bind(o.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// The year's cadre figures of a subtree, by `zeren_core::cadre_work::FIGURE_KEYS`:
/// people promoted or further used, people promoted in rank, people whose part-time
/// post was decided, training person-times, classes (distinct class and start day)
/// and hours, people under 容错纠错.
pub async fn figures(c: &mut Conn, path: &str, year: i32) -> Result<Vec<(&'static str, i64)>> {
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    let up = crate::sql::upper(path);
    let one = |sql: &str| -> Sql {
        let mut s = Sql::new(sql);
        s.push(" AND org_path >= ")
            .bind(path)
            .push(" AND org_path < ")
            .bind(up.as_str());
        s
    };
    let mut s = one("SELECT COUNT(DISTINCT person_id), 0 FROM cadre_appointments WHERE kind IN ('promotion', 'further_use')");
    s.push(" AND appointed_on >= ")
        .bind(from.as_str())
        .push(" AND appointed_on <= ")
        .bind(to.as_str());
    let (promoted, _): (i64, i64) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = one(
        "SELECT COUNT(DISTINCT person_id), 0 FROM cadre_appointments WHERE kind = 'rank_promotion'",
    );
    s.push(" AND appointed_on >= ")
        .bind(from.as_str())
        .push(" AND appointed_on <= ")
        .bind(to.as_str());
    let (rank, _): (i64, i64) = s.query_as().fetch_one(&mut *c).await?;
    let mut s =
        one("SELECT COUNT(DISTINCT person_id), 0 FROM cadre_part_time WHERE decision IS NOT NULL");
    s.push(" AND decided_on >= ")
        .bind(from.as_str())
        .push(" AND decided_on <= ")
        .bind(to.as_str());
    let (part_time, _): (i64, i64) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = one(
        "SELECT COUNT(*), CAST(COALESCE(SUM(hours), 0) AS BIGINT) FROM cadre_trainings WHERE 1=1",
    );
    s.push(" AND started_on >= ")
        .bind(from.as_str())
        .push(" AND started_on <= ")
        .bind(to.as_str());
    let (people, hours): (i64, i64) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = one("SELECT COUNT(*), 0 FROM (SELECT DISTINCT class_name, started_on FROM cadre_trainings WHERE 1=1");
    s.push(" AND started_on >= ")
        .bind(from.as_str())
        .push(" AND started_on <= ")
        .bind(to.as_str());
    s.push(") x");
    let (classes, _): (i64, i64) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = one("SELECT COUNT(DISTINCT person_id), 0 FROM cadre_tolerance WHERE 1=1");
    s.push(" AND decided_on >= ")
        .bind(from.as_str())
        .push(" AND decided_on <= ")
        .bind(to.as_str());
    let (tolerance, _): (i64, i64) = s.query_as().fetch_one(&mut *c).await?;
    Ok(vec![
        ("cadre_promoted", promoted),
        ("cadre_rank_promoted", rank),
        ("cadre_part_time_approved", part_time),
        ("cadre_training_people", people),
        ("cadre_training_classes", classes),
        ("cadre_training_hours", hours),
        ("cadre_tolerance", tolerance),
    ])
}
