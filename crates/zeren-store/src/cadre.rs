//! Cadre supervision by the organisation department: personal-matters reports
//! (个人有关事项报告: the year's filers, verification batches and their checks) and
//! the four checks before a promotion (凡提四必).
//!
//! Every read takes a `Scope` (the organisation department's subtrees) and filters in
//! SQL. Sealed columns (`pm_filers.declared`, `pm_checks.finding`) are not part of the
//! rows; they are read by `filer_declared` and `check_finding` alone, which only the
//! audited use cases call.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

fn subtree(s: &mut Sql, col: &str, path: &Option<String>) {
    if let Some(p) = path {
        s.push(&format!(" AND {col} >= "))
            .bind(p.as_str())
            .push(&format!(" AND {col} < "))
            .bind(crate::sql::upper(p));
    }
}

// ---- filers ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct FilerRow {
    pub id: i64,
    pub year: i64,
    pub person_id: i64,
    pub person_name: String,
    pub cadre_rank: Option<String>,
    pub title: Option<String>,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub basis: String,
    pub submitted_on: Option<String>,
    pub late: i64,
    /// Whether a (sealed) declaration is on file.
    pub has_declared: i64,
    pub updated_at: i64,
}

const FILER_SELECT: &str =
    "SELECT f.id, f.year, f.person_id, pe.name AS person_name, pe.cadre_rank, pe.title,
 f.org_id, o.name AS org_name, f.org_path, f.basis, f.submitted_on, f.late,
 CASE WHEN f.declared IS NULL THEN 0 ELSE 1 END AS has_declared, f.updated_at
 FROM pm_filers f JOIN people pe ON pe.id = f.person_id JOIN orgs o ON o.id = f.org_id WHERE 1=1";

pub struct NewFiler<'a> {
    pub year: i64,
    pub person_id: i64,
    pub org_id: i64,
    pub org_path: &'a str,
    pub basis: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

/// Adds a filer to a year's list; `None` when the person is already on it.
pub async fn insert_filer(c: &mut Conn, f: NewFiler<'_>) -> Result<Option<i64>> {
    let r: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO pm_filers (year, person_id, org_id, org_path, basis, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$7) ON CONFLICT (year, person_id) DO NOTHING RETURNING id",
    )
    .bind(f.year)
    .bind(f.person_id)
    .bind(f.org_id)
    .bind(f.org_path)
    .bind(f.basis)
    .bind(f.created_by)
    .bind(f.at)
    .fetch_optional(c)
    .await?;
    Ok(r.map(|(id,)| id))
}

#[derive(Debug, Clone, Default)]
pub struct FilerFilter {
    pub year: Option<i64>,
    pub org_path: Option<String>,
    /// `submitted`, `unsubmitted` or `late`.
    pub status: Option<String>,
    /// Words in the person's name.
    pub q: Option<String>,
    pub person_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

fn filer_where(scope: &Scope, f: &FilerFilter, s: &mut Sql) {
    scope.filter(s, "f.org_path", None);
    subtree(s, "f.org_path", &f.org_path);
    if let Some(y) = f.year {
        s.push(" AND f.year = ").bind(y);
    }
    match f.status.as_deref() {
        Some("submitted") => {
            s.push(" AND f.submitted_on IS NOT NULL");
        }
        Some("unsubmitted") => {
            s.push(" AND f.submitted_on IS NULL");
        }
        Some("late") => {
            s.push(" AND f.late = 1");
        }
        _ => {}
    }
    if let Some(pid) = f.person_id {
        s.push(" AND f.person_id = ").bind(pid);
    }
    if let Some(q) = &f.q {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        s.push(" AND f.person_id IN (SELECT id FROM people WHERE name LIKE ")
            .bind(like)
            .push(")");
    }
}

pub async fn list_filers(
    c: &mut Conn,
    scope: &Scope,
    f: &FilerFilter,
) -> Result<(Vec<FilerRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM pm_filers f WHERE 1=1");
    filer_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(FILER_SELECT);
    filer_where(scope, f, &mut s);
    s.push(" ORDER BY f.year DESC, f.org_path, f.person_id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    Ok((s.query_as().fetch_all(&mut *c).await?, total))
}

pub async fn get_filer(c: &mut Conn, scope: &Scope, id: i64) -> Result<FilerRow> {
    let mut s = Sql::new(FILER_SELECT);
    s.push(" AND f.id = ").bind(id);
    scope.filter(&mut s, "f.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

/// The sealed declaration of a filer in scope.
pub async fn filer_declared(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<String>> {
    let mut s = Sql::new("SELECT f.declared FROM pm_filers f WHERE f.id = ");
    s.bind(id);
    scope.filter(&mut s, "f.org_path", None);
    let r: (Option<String>,) = found(s.query_as().fetch_optional(c).await?)?;
    Ok(r.0)
}

pub async fn set_submitted(
    c: &mut Conn,
    id: i64,
    on: &str,
    late: bool,
    declared: Option<&str>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE pm_filers SET submitted_on = $1, late = $2, declared = COALESCE($3, declared), updated_at = $4 WHERE id = $5",
    )
    .bind(on)
    .bind(late as i64)
    .bind(declared)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Submission figures of a year in scope: (filers, submitted, late).
pub async fn filing_figures(c: &mut Conn, scope: &Scope, year: i64) -> Result<(i64, i64, i64)> {
    let mut s = Sql::new(
        "SELECT COUNT(*), COUNT(f.submitted_on), COUNT(CASE WHEN f.late = 1 THEN 1 END) FROM pm_filers f WHERE f.year = ",
    );
    s.bind(year);
    scope.filter(&mut s, "f.org_path", None);
    Ok(s.query_as().fetch_one(c).await?)
}

/// The population of a random draw: the year's filers in the subtree who have
/// reported, as (filer id, person id, org path), ordered by filer id — the order the
/// draw's documented algorithm indexes.
pub async fn draw_population(
    c: &mut Conn,
    scope: &Scope,
    year: i64,
    org_path: &str,
) -> Result<Vec<(i64, i64, String)>> {
    let mut s = Sql::new(
        "SELECT f.id, f.person_id, f.org_path FROM pm_filers f WHERE f.submitted_on IS NOT NULL AND f.year = ",
    );
    s.bind(year);
    subtree(&mut s, "f.org_path", &Some(org_path.to_string()));
    scope.filter(&mut s, "f.org_path", None);
    s.push(" ORDER BY f.id");
    Ok(s.query_as().fetch_all(c).await?)
}

/// Candidates for a year's list: people in scope with a cadre rank, as (id, org id,
/// org path, rank); the caller keeps those whose rank makes them file.
pub async fn ranked_people(c: &mut Conn, scope: &Scope) -> Result<Vec<(i64, i64, String, String)>> {
    let mut s = Sql::new(
        "SELECT id, org_id, org_path, cadre_rank FROM people WHERE cadre_rank IS NOT NULL",
    );
    scope.filter(&mut s, "org_path", None);
    s.push(" ORDER BY id");
    Ok(s.query_as().fetch_all(c).await?)
}

// ---- batches and checks ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct BatchRow {
    pub id: i64,
    pub year: i64,
    pub reason: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub seed: Option<String>,
    pub percent: Option<i64>,
    pub population: i64,
    pub drawn_on: String,
    pub note: String,
    pub checks: i64,
    pub done: i64,
    pub created_at: i64,
}

const BATCH_SELECT: &str =
    "SELECT b.id, b.year, b.reason, b.org_id, o.name AS org_name, b.org_path, b.seed, b.percent,
 b.population, b.drawn_on, b.note,
 (SELECT COUNT(*) FROM pm_checks k WHERE k.batch_id = b.id) AS checks,
 (SELECT COUNT(*) FROM pm_checks k WHERE k.batch_id = b.id AND k.outcome IS NOT NULL) AS done,
 b.created_at FROM pm_batches b JOIN orgs o ON o.id = b.org_id WHERE 1=1";

pub struct NewBatch<'a> {
    pub year: i64,
    pub reason: &'a str,
    pub org_id: i64,
    pub org_path: &'a str,
    pub seed: Option<&'a str>,
    pub percent: Option<i64>,
    pub population: i64,
    pub drawn_on: &'a str,
    pub note: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_batch(c: &mut Conn, b: NewBatch<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pm_batches (year, reason, org_id, org_path, seed, percent, population, drawn_on, note, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id",
    )
    .bind(b.year)
    .bind(b.reason)
    .bind(b.org_id)
    .bind(b.org_path)
    .bind(b.seed)
    .bind(b.percent)
    .bind(b.population)
    .bind(b.drawn_on)
    .bind(b.note)
    .bind(b.created_by)
    .bind(b.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn list_batches(c: &mut Conn, scope: &Scope, year: Option<i64>) -> Result<Vec<BatchRow>> {
    let mut s = Sql::new(BATCH_SELECT);
    scope.filter(&mut s, "b.org_path", None);
    if let Some(y) = year {
        s.push(" AND b.year = ").bind(y);
    }
    s.push(" ORDER BY b.id DESC LIMIT 500");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn get_batch(c: &mut Conn, scope: &Scope, id: i64) -> Result<BatchRow> {
    let mut s = Sql::new(BATCH_SELECT);
    s.push(" AND b.id = ").bind(id);
    scope.filter(&mut s, "b.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn insert_check(
    c: &mut Conn,
    batch_id: i64,
    filer_id: i64,
    person_id: i64,
    org_path: &str,
    pos: i64,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pm_checks (batch_id, filer_id, person_id, org_path, pos, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(batch_id)
    .bind(filer_id)
    .bind(person_id)
    .bind(org_path)
    .bind(pos)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct CheckRow {
    pub id: i64,
    pub batch_id: i64,
    pub year: i64,
    pub reason: String,
    pub filer_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub org_name: String,
    pub org_path: String,
    pub pos: i64,
    pub outcome: Option<String>,
    pub checked_on: Option<String>,
    pub handling: String,
    pub has_finding: i64,
    pub updated_at: i64,
}

const CHECK_SELECT: &str =
    "SELECT k.id, k.batch_id, b.year, b.reason, k.filer_id, k.person_id, pe.name AS person_name,
 o.name AS org_name, k.org_path, k.pos, k.outcome, k.checked_on, k.handling,
 CASE WHEN k.finding IS NULL THEN 0 ELSE 1 END AS has_finding, k.updated_at
 FROM pm_checks k JOIN pm_batches b ON b.id = k.batch_id JOIN people pe ON pe.id = k.person_id
 JOIN orgs o ON o.id = pe.org_id WHERE 1=1";

pub async fn checks_of_batch(c: &mut Conn, scope: &Scope, batch_id: i64) -> Result<Vec<CheckRow>> {
    let mut s = Sql::new(CHECK_SELECT);
    s.push(" AND k.batch_id = ").bind(batch_id);
    scope.filter(&mut s, "k.org_path", None);
    s.push(" ORDER BY k.pos, k.id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn checks_of_person(
    c: &mut Conn,
    scope: &Scope,
    person_id: i64,
) -> Result<Vec<CheckRow>> {
    let mut s = Sql::new(CHECK_SELECT);
    s.push(" AND k.person_id = ").bind(person_id);
    scope.filter(&mut s, "k.org_path", None);
    s.push(" ORDER BY b.year DESC, k.id DESC");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn get_check(c: &mut Conn, scope: &Scope, id: i64) -> Result<CheckRow> {
    let mut s = Sql::new(CHECK_SELECT);
    s.push(" AND k.id = ").bind(id);
    scope.filter(&mut s, "k.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn check_finding(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<String>> {
    let mut s = Sql::new("SELECT k.finding FROM pm_checks k WHERE k.id = ");
    s.bind(id);
    scope.filter(&mut s, "k.org_path", None);
    let r: (Option<String>,) = found(s.query_as().fetch_optional(c).await?)?;
    Ok(r.0)
}

pub async fn set_check_outcome(
    c: &mut Conn,
    id: i64,
    outcome: &str,
    on: &str,
    finding: Option<&str>,
    handling: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE pm_checks SET outcome = $1, checked_on = $2, finding = $3, handling = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(outcome)
    .bind(on)
    .bind(finding)
    .bind(handling)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// One org's verification results of a year (the person's org at the time of reading).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RateRow {
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub checked: i64,
    pub truthful: i64,
    pub omitted: i64,
    pub concealed: i64,
}

/// Checks with an outcome in batches of `year`, per filer's org, in scope.
pub async fn rates(c: &mut Conn, scope: &Scope, year: i64) -> Result<Vec<RateRow>> {
    let mut s = Sql::new(
        "SELECT f.org_id, o.name AS org_name, o.path AS org_path, COUNT(*) AS checked,
           COUNT(CASE WHEN k.outcome = 'truthful' THEN 1 END) AS truthful,
           COUNT(CASE WHEN k.outcome = 'omitted' THEN 1 END) AS omitted,
           COUNT(CASE WHEN k.outcome = 'concealed' THEN 1 END) AS concealed
         FROM pm_checks k JOIN pm_batches b ON b.id = k.batch_id JOIN pm_filers f ON f.id = k.filer_id
         JOIN orgs o ON o.id = f.org_id WHERE k.outcome IS NOT NULL AND b.year = ",
    );
    s.bind(year);
    scope.filter(&mut s, "k.org_path", None);
    s.push(" GROUP BY f.org_id, o.name, o.path ORDER BY o.path");
    Ok(s.query_as().fetch_all(c).await?)
}

// ---- 凡提四必 ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PromotionRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub cadre_rank: Option<String>,
    pub title: Option<String>,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub proposed_post: String,
    pub file_verdict: Option<String>,
    pub file_note: String,
    pub file_by: Option<String>,
    pub file_on: Option<String>,
    pub pm_verdict: Option<String>,
    pub pm_note: String,
    pub pm_by: Option<String>,
    pub pm_on: Option<String>,
    pub discipline_verdict: Option<String>,
    pub discipline_note: String,
    pub discipline_by: Option<String>,
    pub discipline_on: Option<String>,
    pub petitions_verdict: Option<String>,
    pub petitions_note: String,
    pub petitions_by: Option<String>,
    pub petitions_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const PROMO_SELECT: &str = "SELECT c.id, c.person_id, pe.name AS person_name, pe.cadre_rank, pe.title, c.org_id,
 o.name AS org_name, c.org_path, c.proposed_post,
 c.file_verdict, c.file_note, c.file_by, c.file_on, c.pm_verdict, c.pm_note, c.pm_by, c.pm_on,
 c.discipline_verdict, c.discipline_note, c.discipline_by, c.discipline_on,
 c.petitions_verdict, c.petitions_note, c.petitions_by, c.petitions_on, c.created_at, c.updated_at
 FROM promotion_checks c JOIN people pe ON pe.id = c.person_id JOIN orgs o ON o.id = c.org_id WHERE 1=1";

#[allow(clippy::too_many_arguments)]
pub async fn insert_promotion(
    c: &mut Conn,
    person_id: i64,
    org_id: i64,
    org_path: &str,
    proposed_post: &str,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO promotion_checks (person_id, org_id, org_path, proposed_post, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id",
    )
    .bind(person_id)
    .bind(org_id)
    .bind(org_path)
    .bind(proposed_post)
    .bind(created_by)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Promotion checks in scope; `exclude_person` leaves out the reader's own.
pub async fn list_promotions(
    c: &mut Conn,
    scope: &Scope,
    exclude_person: Option<i64>,
) -> Result<Vec<PromotionRow>> {
    let mut s = Sql::new(PROMO_SELECT);
    scope.filter(&mut s, "c.org_path", None);
    if let Some(pid) = exclude_person {
        s.push(" AND c.person_id <> ").bind(pid);
    }
    s.push(" ORDER BY c.id DESC LIMIT 500");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn get_promotion(
    c: &mut Conn,
    scope: &Scope,
    exclude_person: Option<i64>,
    id: i64,
) -> Result<PromotionRow> {
    let mut s = Sql::new(PROMO_SELECT);
    s.push(" AND c.id = ").bind(id);
    scope.filter(&mut s, "c.org_path", None);
    if let Some(pid) = exclude_person {
        s.push(" AND c.person_id <> ").bind(pid);
    }
    found(s.query_as().fetch_optional(c).await?)
}

/// Records one check's conclusion. `check` is a `FourCheck` key (`file`,
/// `personal_matters` → `pm`, `discipline`, `petitions`), never input text.
#[allow(clippy::too_many_arguments)]
pub async fn set_promotion_verdict(
    c: &mut Conn,
    id: i64,
    check: &str,
    verdict: &str,
    note: &str,
    by: &str,
    on: &str,
    at: i64,
) -> Result<()> {
    let col = match check {
        "file" => "file",
        "personal_matters" => "pm",
        "discipline" => "discipline",
        "petitions" => "petitions",
        _ => return Err(crate::StoreError::NotFound),
    };
    sqlx::query(&format!(
        "UPDATE promotion_checks SET {col}_verdict = $1, {col}_note = $2, {col}_by = $3, {col}_on = $4, updated_at = $5 WHERE id = $6"
    ))
    .bind(verdict)
    .bind(note)
    .bind(by)
    .bind(on)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}
