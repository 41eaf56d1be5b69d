//! Duty reports (述职报告) and appraisal meetings (述职评议): reports, the meetings
//! that appraise them, participants' scores, questions and answers, and the 整改清单
//! whose items are problems of the ledger.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ReportRow {
    pub id: i64,
    pub year: i64,
    pub kind: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub person_id: i64,
    pub person_name: String,
    pub body: String,
    pub submitted_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str =
    "SELECT r.id, r.year, r.kind, r.org_id, o.name AS org_name, r.org_path, r.person_id,
 p.name AS person_name, r.body, r.submitted_on, r.created_at, r.updated_at
 FROM duty_reports r JOIN orgs o ON o.id = r.org_id JOIN people p ON p.id = r.person_id WHERE 1=1";

pub struct NewReport<'a> {
    pub year: i64,
    pub kind: &'a str,
    pub org_id: i64,
    pub org_path: &'a str,
    pub person_id: i64,
    pub body: &'a str,
    pub submitted_on: Option<&'a str>,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert(c: &mut Conn, r: NewReport<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO duty_reports (year, kind, org_id, org_path, person_id, body, submitted_on, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id",
    )
    .bind(r.year)
    .bind(r.kind)
    .bind(r.org_id)
    .bind(r.org_path)
    .bind(r.person_id)
    .bind(r.body)
    .bind(r.submitted_on)
    .bind(r.created_by)
    .bind(r.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// The id of a person's report of a year and kind, if written.
pub async fn id_for(c: &mut Conn, year: i64, kind: &str, person_id: i64) -> Result<Option<i64>> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM duty_reports WHERE year = $1 AND kind = $2 AND person_id = $3",
    )
    .bind(year)
    .bind(kind)
    .bind(person_id)
    .fetch_optional(c)
    .await?;
    Ok(r.map(|x| x.0))
}

pub async fn update_body(
    c: &mut Conn,
    id: i64,
    body: &str,
    submitted_on: Option<&str>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE duty_reports SET body = $1, submitted_on = COALESCE(submitted_on, $2), updated_at = $3 WHERE id = $4",
    )
    .bind(body)
    .bind(submitted_on)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub year: Option<i64>,
    pub kind: Option<String>,
    pub org_path: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &ReportFilter, s: &mut Sql) {
    scope.filter(s, "r.org_path", Some("r.person_id"));
    if let Some(p) = &f.org_path {
        s.push(" AND r.org_path >= ")
            .bind(p.as_str())
            .push(" AND r.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(y) = f.year {
        s.push(" AND r.year = ").bind(y);
    }
    if let Some(k) = &f.kind {
        s.push(" AND r.kind = ").bind(k.as_str());
    }
}

pub async fn list(c: &mut Conn, scope: &Scope, f: &ReportFilter) -> Result<(Vec<ReportRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM duty_reports r WHERE 1=1");
    list_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY r.year DESC, r.org_path, r.id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    Ok((s.query_as().fetch_all(&mut *c).await?, total))
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<ReportRow> {
    let mut s = Sql::new(SELECT);
    s.push(" AND r.id = ").bind(id);
    scope.filter(&mut s, "r.org_path", Some("r.person_id"));
    found(s.query_as().fetch_optional(c).await?)
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AppraisalRow {
    pub id: i64,
    pub year: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub title: String,
    pub held_on: String,
    pub scoring: String,
    pub reports: i64,
    pub created_at: i64,
}

const APPRAISAL: &str =
    "SELECT a.id, a.year, a.org_id, o.name AS org_name, a.org_path, a.title, a.held_on, a.scoring,
 (SELECT COUNT(*) FROM appraisal_reports x WHERE x.appraisal_id = a.id) AS reports, a.created_at
 FROM appraisals a JOIN orgs o ON o.id = a.org_id WHERE 1=1";

#[allow(clippy::too_many_arguments)]
pub async fn insert_appraisal(
    c: &mut Conn,
    year: i64,
    org_id: i64,
    org_path: &str,
    title: &str,
    held_on: &str,
    scoring: &str,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO appraisals (year, org_id, org_path, title, held_on, scoring, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(year)
    .bind(org_id)
    .bind(org_path)
    .bind(title)
    .bind(held_on)
    .bind(scoring)
    .bind(created_by)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn add_report(
    c: &mut Conn,
    appraisal_id: i64,
    report_id: i64,
    org_path: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO appraisal_reports (appraisal_id, report_id, org_path) VALUES ($1,$2,$3)
         ON CONFLICT (appraisal_id, report_id) DO NOTHING",
    )
    .bind(appraisal_id)
    .bind(report_id)
    .bind(org_path)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn appraisals(
    c: &mut Conn,
    scope: &Scope,
    year: Option<i64>,
) -> Result<Vec<AppraisalRow>> {
    let mut s = Sql::new(APPRAISAL);
    scope.filter(&mut s, "a.org_path", None);
    if let Some(y) = year {
        s.push(" AND a.year = ").bind(y);
    }
    s.push(" ORDER BY a.held_on DESC, a.id DESC LIMIT 500");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn appraisal_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<AppraisalRow> {
    let mut s = Sql::new(APPRAISAL);
    s.push(" AND a.id = ").bind(id);
    scope.filter(&mut s, "a.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

/// The reports a meeting appraises.
pub async fn reports_of(c: &mut Conn, appraisal_id: i64) -> Result<Vec<ReportRow>> {
    let mut s = Sql::new(SELECT);
    s.push(" AND r.id IN (SELECT report_id FROM appraisal_reports WHERE appraisal_id = ")
        .bind(appraisal_id)
        .push(") ORDER BY r.org_path, r.id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn in_appraisal(c: &mut Conn, appraisal_id: i64, report_id: i64) -> Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT report_id FROM appraisal_reports WHERE appraisal_id = $1 AND report_id = $2",
    )
    .bind(appraisal_id)
    .bind(report_id)
    .fetch_optional(c)
    .await?;
    Ok(r.is_some())
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ScoreRow {
    pub report_id: i64,
    pub rater: String,
    pub grade: Option<String>,
    pub points: Option<i64>,
}

/// Records (or replaces) one participant's score of one report.
pub async fn set_score(
    c: &mut Conn,
    appraisal_id: i64,
    report_id: i64,
    rater: &str,
    grade: Option<&str>,
    points: Option<i64>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO appraisal_scores (appraisal_id, report_id, rater, grade, points, at) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (appraisal_id, report_id, rater) DO UPDATE SET grade = excluded.grade, points = excluded.points, at = excluded.at",
    )
    .bind(appraisal_id)
    .bind(report_id)
    .bind(rater)
    .bind(grade)
    .bind(points)
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn scores_of(c: &mut Conn, appraisal_id: i64) -> Result<Vec<ScoreRow>> {
    Ok(sqlx::query_as(
        "SELECT report_id, rater, grade, points FROM appraisal_scores WHERE appraisal_id = $1 ORDER BY report_id, rater",
    )
    .bind(appraisal_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct QuestionRow {
    pub id: i64,
    pub report_id: i64,
    pub asker: String,
    pub question: String,
    pub answer: String,
}

pub async fn insert_question(
    c: &mut Conn,
    appraisal_id: i64,
    report_id: i64,
    asker: &str,
    question: &str,
    answer: &str,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO appraisal_questions (appraisal_id, report_id, asker, question, answer, at)
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(appraisal_id)
    .bind(report_id)
    .bind(asker)
    .bind(question)
    .bind(answer)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn questions_of(c: &mut Conn, appraisal_id: i64) -> Result<Vec<QuestionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, report_id, asker, question, answer FROM appraisal_questions WHERE appraisal_id = $1 ORDER BY report_id, id",
    )
    .bind(appraisal_id)
    .fetch_all(c)
    .await?)
}

pub async fn insert_item(
    c: &mut Conn,
    appraisal_id: i64,
    report_id: i64,
    problem_id: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO appraisal_items (appraisal_id, report_id, problem_id) VALUES ($1,$2,$3)",
    )
    .bind(appraisal_id)
    .bind(report_id)
    .bind(problem_id)
    .execute(c)
    .await?;
    Ok(())
}

/// The 整改清单 of a meeting: (report id, problem id, title, state, deadline).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ItemRow {
    pub report_id: i64,
    pub problem_id: i64,
    pub title: String,
    pub state: String,
    pub deadline: String,
}

pub async fn items_of(c: &mut Conn, appraisal_id: i64) -> Result<Vec<ItemRow>> {
    Ok(sqlx::query_as(
        "SELECT i.report_id, i.problem_id, p.title, p.state, p.deadline FROM appraisal_items i
           JOIN problems p ON p.id = i.problem_id WHERE i.appraisal_id = $1 ORDER BY i.report_id, p.id",
    )
    .bind(appraisal_id)
    .fetch_all(c)
    .await?)
}
