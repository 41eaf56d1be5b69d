//! Inspection tours (巡察): plans, rounds, target units, teams, outlines, talks,
//! findings, the systems rectification established, and anonymous surveys.
//!
//! Reads are scoped in SQL twice over: the inspection office sees rounds whose
//! inspecting org lies in its `Inspection` subtrees (`rounds_scope`), an inspected unit
//! sees its own targets once fed back (`Scope` on the target's org path). Survey
//! submissions write only `inspection_survey_responses`/`_answers` (random ids, no
//! time) and delete the code they used; see `submit_response`.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PlanRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub year: i64,
    pub title: String,
    pub content: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RoundRow {
    pub id: i64,
    pub plan_id: Option<i64>,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub number: i64,
    pub kind: String,
    pub onsite_from: Option<String>,
    pub onsite_to: Option<String>,
    pub report_months: i64,
    pub state: String,
    pub note: String,
    pub targets: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RoundRow {
    /// `2026-3`: the code the command line takes.
    pub fn code(&self) -> String {
        format!("{}-{}", self.year, self.number)
    }
}

const ROUND_SELECT: &str = "SELECT r.id, r.plan_id, r.org_id, o.name AS org_name, r.org_path, r.year, r.number,
 r.kind, r.onsite_from, r.onsite_to, r.report_months, r.state, r.note,
 (SELECT COUNT(*) FROM inspection_targets t WHERE t.round_id = r.id) AS targets, r.created_at, r.updated_at
 FROM inspection_rounds r JOIN orgs o ON o.id = r.org_id WHERE 1=1";

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TargetRow {
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub feedback_on: Option<String>,
    pub report_due: Option<String>,
    pub report_submitted_on: Option<String>,
    pub organisation: String,
    pub next_steps: String,
    pub round_org_id: i64,
    pub round_org_name: String,
    pub round_org_path: String,
    pub round_year: i64,
    pub round_number: i64,
    pub round_state: String,
    pub findings: i64,
}

const TARGET_SELECT: &str = "SELECT t.id, t.round_id, t.org_id, o.name AS org_name, t.org_path, t.feedback_on,
 t.report_due, t.report_submitted_on, t.organisation, t.next_steps, r.org_id AS round_org_id,
 ro.name AS round_org_name, r.org_path AS round_org_path, r.year AS round_year, r.number AS round_number,
 r.state AS round_state,
 (SELECT COUNT(*) FROM inspection_findings f WHERE f.target_id = t.id) AS findings
 FROM inspection_targets t JOIN inspection_rounds r ON r.id = t.round_id
 JOIN orgs o ON o.id = t.org_id JOIN orgs ro ON ro.id = r.org_id WHERE 1=1";

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TeamRow {
    pub id: i64,
    pub round_id: i64,
    pub person_id: Option<i64>,
    pub name: String,
    pub role: String,
    pub declaration: String,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct OutlineRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub title: String,
    pub questions: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct QuestionRow {
    pub id: i64,
    pub outline_id: i64,
    pub pos: i64,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TalkRow {
    pub id: i64,
    pub round_id: i64,
    pub target_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub outline_id: i64,
    pub person_id: Option<i64>,
    pub person_name: String,
    pub post: String,
    pub talker: String,
    pub scheduled_on: String,
    pub held_on: Option<String>,
    pub answers: i64,
}

const TALK_SELECT: &str = "SELECT k.id, k.round_id, k.target_id, k.org_path, o.name AS org_name, k.outline_id,
 k.person_id, k.person_name, k.post, k.talker, k.scheduled_on, k.held_on,
 (SELECT COUNT(*) FROM inspection_answers a WHERE a.talk_id = k.id) AS answers
 FROM inspection_talks k JOIN inspection_targets t ON t.id = k.target_id JOIN orgs o ON o.id = t.org_id
 JOIN inspection_rounds r ON r.id = k.round_id WHERE 1=1";

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AnswerRow {
    pub id: i64,
    pub talk_id: i64,
    pub question_id: i64,
    pub answer: String,
    pub marked: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct FindingRow {
    pub id: i64,
    pub round_id: i64,
    pub target_id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub evidence: String,
    pub answer_id: Option<i64>,
    pub problem_id: Option<i64>,
    pub long_term: i64,
    pub created_at: i64,
}

const FINDING_COLS: &str =
    "f.id, f.round_id, f.target_id, f.org_id, f.org_path, f.category, f.title,
 f.description, f.evidence, f.answer_id, f.problem_id, f.long_term, f.created_at";

/// One fed-back problem with what the notice needs of it.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct FedBackRow {
    pub finding_id: i64,
    pub target_id: i64,
    pub category: String,
    pub long_term: i64,
    pub problem_id: i64,
    pub title: String,
    pub description: String,
    pub state: String,
    pub deadline: String,
    pub measures: i64,
    pub measures_done: i64,
    pub systems: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct SystemRow {
    pub id: i64,
    pub measure_id: i64,
    pub problem_id: i64,
    pub name: String,
    pub issued_on: String,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct SurveyRow {
    pub id: i64,
    pub round_id: i64,
    pub target_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub purpose: String,
    pub title: String,
    pub min_respondents: i64,
    pub codes_issued: i64,
    pub state: String,
    pub responses: i64,
}

const SURVEY_SELECT: &str = "SELECT s.id, s.round_id, s.target_id, s.org_path, o.name AS org_name, s.purpose,
 s.title, s.min_respondents, s.codes_issued, s.state,
 (SELECT COUNT(*) FROM inspection_survey_responses x WHERE x.survey_id = s.id) AS responses
 FROM inspection_surveys s JOIN inspection_targets t ON t.id = s.target_id JOIN orgs o ON o.id = t.org_id
 JOIN inspection_rounds r ON r.id = s.round_id WHERE 1=1";

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct SurveyQuestionRow {
    pub id: i64,
    pub survey_id: i64,
    pub pos: i64,
    pub kind: String,
    pub text: String,
    pub options: String,
    pub scale_max: i64,
}

// ---------------------------------------------------------------- plans and rounds

#[allow(clippy::too_many_arguments)]
pub async fn insert_plan(
    c: &mut Conn,
    org_id: i64,
    org_path: &str,
    year: i64,
    title: &str,
    content: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_plans (org_id, org_path, year, title, content, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id",
    )
    .bind(org_id)
    .bind(org_path)
    .bind(year)
    .bind(title)
    .bind(content)
    .bind(by)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn plans(c: &mut Conn, office: &Scope) -> Result<Vec<PlanRow>> {
    let mut s = Sql::new(
        "SELECT id, org_id, org_path, year, title, content, created_at FROM inspection_plans p WHERE 1=1",
    );
    office.filter(&mut s, "p.org_path", None);
    s.push(" ORDER BY year DESC, id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn plan_of(c: &mut Conn, org_id: i64, year: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT id FROM inspection_plans WHERE org_id = $1 AND year = $2",
    )
    .bind(org_id)
    .bind(year)
    .fetch_optional(c)
    .await?
    .map(|r| r.0))
}

pub struct NewRound<'a> {
    pub plan_id: Option<i64>,
    pub org_id: i64,
    pub org_path: &'a str,
    pub year: i64,
    pub number: i64,
    pub kind: &'a str,
    pub onsite_from: Option<&'a str>,
    pub onsite_to: Option<&'a str>,
    pub report_months: i64,
    pub state: &'a str,
    pub note: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_round(c: &mut Conn, r: NewRound<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_rounds (plan_id, org_id, org_path, year, number, kind, onsite_from, onsite_to,
           report_months, state, note, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$13) RETURNING id",
    )
    .bind(r.plan_id)
    .bind(r.org_id)
    .bind(r.org_path)
    .bind(r.year)
    .bind(r.number)
    .bind(r.kind)
    .bind(r.onsite_from)
    .bind(r.onsite_to)
    .bind(r.report_months)
    .bind(r.state)
    .bind(r.note)
    .bind(r.created_by)
    .bind(r.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// The next free round number of an org's year.
pub async fn next_number(c: &mut Conn, org_id: i64, year: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM inspection_rounds WHERE org_id = $1 AND year = $2")
            .bind(org_id)
            .bind(year)
            .fetch_one(&mut *c)
            .await?;
    let (m,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(number) FROM inspection_rounds WHERE org_id = $1 AND year = $2")
            .bind(org_id)
            .bind(year)
            .fetch_one(c)
            .await?;
    Ok(m.unwrap_or(0).max(n) + 1)
}

/// Rounds whose inspecting org lies in `office` (the actor's `Inspection` subtrees).
pub async fn rounds(c: &mut Conn, office: &Scope, year: Option<i64>) -> Result<Vec<RoundRow>> {
    let mut s = Sql::new(ROUND_SELECT);
    office.filter(&mut s, "r.org_path", None);
    if let Some(y) = year {
        s.push(" AND r.year = ").bind(y);
    }
    s.push(" ORDER BY r.year DESC, r.number DESC, r.id DESC");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn round_in(c: &mut Conn, office: &Scope, id: i64) -> Result<RoundRow> {
    let mut s = Sql::new(ROUND_SELECT);
    s.push(" AND r.id = ").bind(id);
    office.filter(&mut s, "r.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

/// A round by id, for a caller that has checked access another way (a unit reading
/// its own target's round).
pub async fn round_by_id(c: &mut Conn, id: i64) -> Result<RoundRow> {
    let mut s = Sql::new(ROUND_SELECT);
    s.push(" AND r.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

/// A round by its code `YEAR-N` (the topmost inspecting org first), or, when no code
/// is given, the latest round with feedback given (a notice needs one), else the latest.
pub async fn round_by_code(c: &mut Conn, code: Option<(i64, i64)>) -> Result<Option<RoundRow>> {
    let mut s = Sql::new(ROUND_SELECT);
    if let Some((y, n)) = code {
        s.push(" AND r.year = ")
            .bind(y)
            .push(" AND r.number = ")
            .bind(n);
        s.push(" ORDER BY LENGTH(r.org_path), r.id LIMIT 1");
    } else {
        s.push(
            " ORDER BY CASE WHEN EXISTS (SELECT 1 FROM inspection_targets t WHERE t.round_id = r.id \
               AND t.feedback_on IS NOT NULL) THEN 0 ELSE 1 END, r.year DESC, r.number DESC, r.id DESC LIMIT 1",
        );
    }
    Ok(s.query_as().fetch_optional(c).await?)
}

pub async fn set_round_state(c: &mut Conn, id: i64, from: &str, to: &str, at: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE inspection_rounds SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
    )
    .bind(to)
    .bind(at)
    .bind(id)
    .bind(from)
    .execute(c)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(crate::StoreError::Conflict);
    }
    Ok(())
}

/// Locks the round's row for the rest of the transaction (PostgreSQL; SQLite writers
/// are serialised already), so two feedbacks or closings cannot interleave.
pub async fn lock_round(c: &mut Conn, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE inspection_rounds SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- targets and team

pub async fn insert_target(
    c: &mut Conn,
    round_id: i64,
    org_id: i64,
    org_path: &str,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_targets (round_id, org_id, org_path, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$4) RETURNING id",
    )
    .bind(round_id)
    .bind(org_id)
    .bind(org_path)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn targets_of(c: &mut Conn, round_id: i64) -> Result<Vec<TargetRow>> {
    let mut s = Sql::new(TARGET_SELECT);
    s.push(" AND t.round_id = ").bind(round_id);
    s.push(" ORDER BY t.org_path, t.id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn target(c: &mut Conn, id: i64) -> Result<TargetRow> {
    let mut s = Sql::new(TARGET_SELECT);
    s.push(" AND t.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

/// Targets the inspected unit sees: in its scope, fed back.
pub async fn fed_back_targets(c: &mut Conn, scope: &Scope) -> Result<Vec<TargetRow>> {
    let mut s = Sql::new(TARGET_SELECT);
    s.push(" AND t.feedback_on IS NOT NULL");
    scope.filter(&mut s, "t.org_path", None);
    s.push(" ORDER BY t.feedback_on DESC, t.id DESC");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn set_feedback(
    c: &mut Conn,
    target_id: i64,
    feedback_on: &str,
    report_due: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE inspection_targets SET feedback_on = $1, report_due = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(feedback_on)
    .bind(report_due)
    .bind(at)
    .bind(target_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn set_target_text(
    c: &mut Conn,
    target_id: i64,
    organisation: &str,
    next_steps: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE inspection_targets SET organisation = $1, next_steps = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(organisation)
    .bind(next_steps)
    .bind(at)
    .bind(target_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn set_report_submitted(c: &mut Conn, target_id: i64, on: &str, at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE inspection_targets SET report_submitted_on = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(on)
    .bind(at)
    .bind(target_id)
    .execute(c)
    .await?;
    Ok(())
}

/// Targets fed back whose report is not in and falls due by `due_by`, anywhere.
pub async fn reports_due(c: &mut Conn, due_by: &str) -> Result<Vec<TargetRow>> {
    let mut s = Sql::new(TARGET_SELECT);
    s.push(" AND t.report_submitted_on IS NULL AND t.report_due IS NOT NULL AND t.report_due <= ")
        .bind(due_by);
    s.push(" ORDER BY t.report_due, t.id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn insert_member(
    c: &mut Conn,
    round_id: i64,
    person_id: Option<i64>,
    name: &str,
    role: &str,
    declaration: &str,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_team (round_id, person_id, name, role, declaration, created_at)
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(round_id)
    .bind(person_id)
    .bind(name)
    .bind(role)
    .bind(declaration)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn team_of(c: &mut Conn, round_id: i64) -> Result<Vec<TeamRow>> {
    Ok(sqlx::query_as(
        "SELECT id, round_id, person_id, name, role, declaration FROM inspection_team
          WHERE round_id = $1 ORDER BY CASE role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, id",
    )
    .bind(round_id)
    .fetch_all(c)
    .await?)
}

// ---------------------------------------------------------------- outlines and talks

pub async fn insert_outline(
    c: &mut Conn,
    org_id: i64,
    org_path: &str,
    title: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_outlines (org_id, org_path, title, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5) RETURNING id",
    )
    .bind(org_id)
    .bind(org_path)
    .bind(title)
    .bind(by)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn insert_question(
    c: &mut Conn,
    outline_id: i64,
    pos: i64,
    kind: &str,
    text: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_questions (outline_id, pos, kind, text) VALUES ($1,$2,$3,$4) RETURNING id",
    )
    .bind(outline_id)
    .bind(pos)
    .bind(kind)
    .bind(text)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn outlines(c: &mut Conn, office: &Scope) -> Result<Vec<OutlineRow>> {
    let mut s = Sql::new(
        "SELECT u.id, u.org_id, u.org_path, u.title,
          (SELECT COUNT(*) FROM inspection_questions q WHERE q.outline_id = u.id) AS questions
          FROM inspection_outlines u WHERE 1=1",
    );
    office.filter(&mut s, "u.org_path", None);
    s.push(" ORDER BY u.id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn outline(c: &mut Conn, id: i64) -> Result<OutlineRow> {
    found(
        sqlx::query_as(
            "SELECT u.id, u.org_id, u.org_path, u.title,
              (SELECT COUNT(*) FROM inspection_questions q WHERE q.outline_id = u.id) AS questions
              FROM inspection_outlines u WHERE u.id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await?,
    )
}

pub async fn questions(c: &mut Conn, outline_id: i64) -> Result<Vec<QuestionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, outline_id, pos, kind, text FROM inspection_questions WHERE outline_id = $1 ORDER BY pos",
    )
    .bind(outline_id)
    .fetch_all(c)
    .await?)
}

pub struct NewTalk<'a> {
    pub round_id: i64,
    pub target_id: i64,
    pub org_path: &'a str,
    pub outline_id: i64,
    pub person_id: Option<i64>,
    pub person_name: &'a str,
    pub post: &'a str,
    pub talker: &'a str,
    pub scheduled_on: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_talk(c: &mut Conn, t: NewTalk<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_talks (round_id, target_id, org_path, outline_id, person_id, person_name, post,
           talker, scheduled_on, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id",
    )
    .bind(t.round_id)
    .bind(t.target_id)
    .bind(t.org_path)
    .bind(t.outline_id)
    .bind(t.person_id)
    .bind(t.person_name)
    .bind(t.post)
    .bind(t.talker)
    .bind(t.scheduled_on)
    .bind(t.created_by)
    .bind(t.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn talks_of(c: &mut Conn, round_id: i64) -> Result<Vec<TalkRow>> {
    let mut s = Sql::new(TALK_SELECT);
    s.push(" AND k.round_id = ").bind(round_id);
    s.push(" ORDER BY k.scheduled_on, k.id");
    Ok(s.query_as().fetch_all(c).await?)
}

/// A talk the office reads (round in `office`) or the person talked with.
pub async fn talk_for(
    c: &mut Conn,
    office: &Scope,
    person_id: Option<i64>,
    id: i64,
) -> Result<TalkRow> {
    let mut s = Sql::new(TALK_SELECT);
    s.push(" AND k.id = ").bind(id);
    s.push(" AND (1=1");
    office.filter(&mut s, "r.org_path", None);
    s.push(" OR k.person_id = ").bind(person_id.unwrap_or(-1));
    s.push(")");
    found(s.query_as().fetch_optional(c).await?)
}

/// Talks a person answers for (their own, any round).
pub async fn talks_of_person(c: &mut Conn, person_id: i64) -> Result<Vec<TalkRow>> {
    let mut s = Sql::new(TALK_SELECT);
    s.push(" AND k.person_id = ").bind(person_id);
    s.push(" ORDER BY k.scheduled_on DESC, k.id DESC");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn answers_of(c: &mut Conn, talk_id: i64) -> Result<Vec<AnswerRow>> {
    Ok(sqlx::query_as(
        "SELECT id, talk_id, question_id, answer, marked FROM inspection_answers WHERE talk_id = $1 ORDER BY question_id",
    )
    .bind(talk_id)
    .fetch_all(c)
    .await?)
}

pub async fn answer(c: &mut Conn, id: i64) -> Result<AnswerRow> {
    found(
        sqlx::query_as(
            "SELECT id, talk_id, question_id, answer, marked FROM inspection_answers WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await?,
    )
}

/// Writes (or rewrites) the answer to one question; returns its id.
pub async fn upsert_answer(
    c: &mut Conn,
    talk_id: i64,
    question_id: i64,
    text: &str,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_answers (talk_id, question_id, answer, updated_at) VALUES ($1,$2,$3,$4)
         ON CONFLICT (talk_id, question_id) DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(talk_id)
    .bind(question_id)
    .bind(text)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn set_marked(c: &mut Conn, answer_id: i64, marked: bool) -> Result<()> {
    sqlx::query("UPDATE inspection_answers SET marked = $1 WHERE id = $2")
        .bind(marked as i64)
        .bind(answer_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_held(c: &mut Conn, talk_id: i64, on: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE inspection_talks SET held_on = $1, updated_at = $2 WHERE id = $3")
        .bind(on)
        .bind(at)
        .bind(talk_id)
        .execute(c)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- findings

pub struct NewFinding<'a> {
    pub round_id: i64,
    pub target_id: i64,
    pub org_id: i64,
    pub org_path: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub evidence: &'a str,
    pub answer_id: Option<i64>,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_finding(c: &mut Conn, f: NewFinding<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_findings (round_id, target_id, org_id, org_path, category, title, description,
           evidence, answer_id, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id",
    )
    .bind(f.round_id)
    .bind(f.target_id)
    .bind(f.org_id)
    .bind(f.org_path)
    .bind(f.category)
    .bind(f.title)
    .bind(f.description)
    .bind(f.evidence)
    .bind(f.answer_id)
    .bind(f.created_by)
    .bind(f.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn findings_of_target(c: &mut Conn, target_id: i64) -> Result<Vec<FindingRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {FINDING_COLS} FROM inspection_findings f WHERE f.target_id = $1 ORDER BY f.id"
    ))
    .bind(target_id)
    .fetch_all(c)
    .await?)
}

pub async fn finding(c: &mut Conn, id: i64) -> Result<FindingRow> {
    found(
        sqlx::query_as(&format!(
            "SELECT {FINDING_COLS} FROM inspection_findings f WHERE f.id = $1"
        ))
        .bind(id)
        .fetch_optional(c)
        .await?,
    )
}

/// Links a finding to its problem, only if it has none: the one place a finding
/// becomes a problem. Returns whether it linked (false: it had one already).
pub async fn link_problem(c: &mut Conn, finding_id: i64, problem_id: i64, at: i64) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE inspection_findings SET problem_id = $1, updated_at = $2 WHERE id = $3 AND problem_id IS NULL",
    )
    .bind(problem_id)
    .bind(at)
    .bind(finding_id)
    .execute(c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn set_long_term(c: &mut Conn, finding_id: i64, on: bool, at: i64) -> Result<()> {
    sqlx::query("UPDATE inspection_findings SET long_term = $1, updated_at = $2 WHERE id = $3")
        .bind(on as i64)
        .bind(at)
        .bind(finding_id)
        .execute(c)
        .await?;
    Ok(())
}

/// The finding behind a problem, if the problem came from an inspection.
pub async fn finding_of_problem(c: &mut Conn, problem_id: i64) -> Result<Option<FindingRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {FINDING_COLS} FROM inspection_findings f WHERE f.problem_id = $1"
    ))
    .bind(problem_id)
    .fetch_optional(c)
    .await?)
}

/// The fed-back problems of a round (or one target), with their measures and systems
/// counted from the ledger, in finding order.
pub async fn fed_back(
    c: &mut Conn,
    round_id: i64,
    target_id: Option<i64>,
) -> Result<Vec<FedBackRow>> {
    let mut s = Sql::new(
        "SELECT f.id AS finding_id, f.target_id, f.category, f.long_term, p.id AS problem_id, p.title,
           p.description, p.state, p.deadline,
           (SELECT COUNT(*) FROM measures m WHERE m.problem_id = p.id) AS measures,
           (SELECT COUNT(*) FROM measures m WHERE m.problem_id = p.id AND m.state = 'done') AS measures_done,
           (SELECT COUNT(*) FROM rectification_systems y WHERE y.problem_id = p.id) AS systems
         FROM inspection_findings f JOIN problems p ON p.id = f.problem_id
         WHERE f.round_id = ",
    );
    s.bind(round_id);
    if let Some(t) = target_id {
        s.push(" AND f.target_id = ").bind(t);
    }
    s.push(" ORDER BY f.target_id, f.id");
    Ok(s.query_as().fetch_all(c).await?)
}

// ---------------------------------------------------------------- systems (制度)

#[allow(clippy::too_many_arguments)]
pub async fn insert_system(
    c: &mut Conn,
    measure_id: i64,
    problem_id: i64,
    org_path: &str,
    name: &str,
    issued_on: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO rectification_systems (measure_id, problem_id, org_path, name, issued_on, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(measure_id)
    .bind(problem_id)
    .bind(org_path)
    .bind(name)
    .bind(issued_on)
    .bind(by)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn systems_of_problem(c: &mut Conn, problem_id: i64) -> Result<Vec<SystemRow>> {
    Ok(sqlx::query_as(
        "SELECT id, measure_id, problem_id, name, issued_on FROM rectification_systems
          WHERE problem_id = $1 ORDER BY issued_on, id",
    )
    .bind(problem_id)
    .fetch_all(c)
    .await?)
}

// ---------------------------------------------------------------- statistics

/// Accountability records (问责) about the round's fed-back problems or their
/// measures: (persons, organisations). A record naming a person counts as a person,
/// one naming none as an organisation.
pub async fn accountability_of_round(c: &mut Conn, round_id: i64) -> Result<(i64, i64)> {
    let (p, o): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(CASE WHEN a.person_id IS NOT NULL THEN 1 END), COUNT(CASE WHEN a.person_id IS NULL THEN 1 END)
           FROM accountability a
          WHERE (a.item_type = 'problem' AND a.item_id IN
                  (SELECT f.problem_id FROM inspection_findings f WHERE f.round_id = $1 AND f.problem_id IS NOT NULL))
             OR (a.item_type = 'measure' AND a.item_id IN
                  (SELECT m.id FROM measures m JOIN inspection_findings f ON f.problem_id = m.problem_id
                    WHERE f.round_id = $1))",
    )
    .bind(round_id)
    .fetch_one(c)
    .await?;
    Ok((p, o))
}

// ---------------------------------------------------------------- surveys

pub struct NewSurvey<'a> {
    pub round_id: i64,
    pub target_id: i64,
    pub org_path: &'a str,
    pub purpose: &'a str,
    pub title: &'a str,
    pub min_respondents: i64,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_survey(c: &mut Conn, s: NewSurvey<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_surveys (round_id, target_id, org_path, purpose, title, min_respondents, state,
           created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,'open',$7,$8,$8) RETURNING id",
    )
    .bind(s.round_id)
    .bind(s.target_id)
    .bind(s.org_path)
    .bind(s.purpose)
    .bind(s.title)
    .bind(s.min_respondents)
    .bind(s.created_by)
    .bind(s.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn insert_survey_question(
    c: &mut Conn,
    survey_id: i64,
    pos: i64,
    kind: &str,
    text: &str,
    options: &str,
    scale_max: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inspection_survey_questions (survey_id, pos, kind, text, options, scale_max)
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(survey_id)
    .bind(pos)
    .bind(kind)
    .bind(text)
    .bind(options)
    .bind(scale_max)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn surveys_of(c: &mut Conn, round_id: i64) -> Result<Vec<SurveyRow>> {
    let mut s = Sql::new(SURVEY_SELECT);
    s.push(" AND s.round_id = ").bind(round_id);
    s.push(" ORDER BY s.id");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn survey_in(c: &mut Conn, office: &Scope, id: i64) -> Result<SurveyRow> {
    let mut s = Sql::new(SURVEY_SELECT);
    s.push(" AND s.id = ").bind(id);
    office.filter(&mut s, "r.org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn survey(c: &mut Conn, id: i64) -> Result<SurveyRow> {
    let mut s = Sql::new(SURVEY_SELECT);
    s.push(" AND s.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn survey_questions(c: &mut Conn, survey_id: i64) -> Result<Vec<SurveyQuestionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, survey_id, pos, kind, text, options, scale_max FROM inspection_survey_questions
          WHERE survey_id = $1 ORDER BY pos",
    )
    .bind(survey_id)
    .fetch_all(c)
    .await?)
}

/// Stores code hashes (unused codes) and adds them to the issued count.
pub async fn insert_codes(c: &mut Conn, survey_id: i64, hashes: &[String], at: i64) -> Result<()> {
    for h in hashes {
        sqlx::query("INSERT INTO inspection_survey_codes (survey_id, code_hash) VALUES ($1,$2)")
            .bind(survey_id)
            .bind(h.as_str())
            .execute(&mut *c)
            .await?;
    }
    sqlx::query(
        "UPDATE inspection_surveys SET codes_issued = codes_issued + $1, updated_at = $2 WHERE id = $3",
    )
    .bind(hashes.len() as i64)
    .bind(at)
    .bind(survey_id)
    .execute(c)
    .await?;
    Ok(())
}

/// The open survey an unused code belongs to, if any.
pub async fn survey_of_code(c: &mut Conn, hash: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT k.survey_id FROM inspection_survey_codes k JOIN inspection_surveys s ON s.id = k.survey_id
          WHERE k.code_hash = $1 AND s.state = 'open'",
    )
    .bind(hash)
    .fetch_optional(c)
    .await?
    .map(|r| r.0))
}

pub async fn unused_codes(c: &mut Conn, survey_id: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM inspection_survey_codes WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_one(c)
            .await?;
    Ok(n)
}

/// One answer of a response: (question id, choice index, score, text).
pub type SurveyAnswer = (i64, Option<i64>, Option<i64>, Option<String>);

/// Uses a code and stores a response, in the caller's transaction: the code's row is
/// deleted (false when it was not there: used already or never issued, and nothing is
/// written), then one response row with the random `response_id` and its answers.
/// Nothing else is written: no time, no code, no person, no history, no audit event.
pub async fn submit_response(
    c: &mut Conn,
    survey_id: i64,
    code_hash: &str,
    response_id: &str,
    answers: &[SurveyAnswer],
) -> Result<bool> {
    let n =
        sqlx::query("DELETE FROM inspection_survey_codes WHERE survey_id = $1 AND code_hash = $2")
            .bind(survey_id)
            .bind(code_hash)
            .execute(&mut *c)
            .await?
            .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO inspection_survey_responses (id, survey_id) VALUES ($1,$2)")
        .bind(response_id)
        .bind(survey_id)
        .execute(&mut *c)
        .await?;
    for (q, choice, score, text) in answers {
        sqlx::query(
            "INSERT INTO inspection_survey_answers (response_id, question_id, choice, score, text)
             VALUES ($1,$2,$3,$4,$5)",
        )
        .bind(response_id)
        .bind(*q)
        .bind(*choice)
        .bind(*score)
        .bind(text.as_deref())
        .execute(&mut *c)
        .await?;
    }
    Ok(true)
}

/// (question id, choice, score, n): counts of choice and scale answers.
pub async fn survey_counts(
    c: &mut Conn,
    survey_id: i64,
) -> Result<Vec<(i64, Option<i64>, Option<i64>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT a.question_id, a.choice, a.score, COUNT(*) FROM inspection_survey_answers a
           JOIN inspection_survey_questions q ON q.id = a.question_id
          WHERE q.survey_id = $1 AND a.text IS NULL
          GROUP BY a.question_id, a.choice, a.score",
    )
    .bind(survey_id)
    .fetch_all(c)
    .await?)
}

/// Free-text answers of a question, in an order that says nothing about arrival:
/// by the text itself.
pub async fn survey_texts(c: &mut Conn, question_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT text FROM inspection_survey_answers WHERE question_id = $1 AND text IS NOT NULL AND text <> ''
          ORDER BY text",
    )
    .bind(question_id)
    .fetch_all(c)
    .await?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

pub async fn set_survey_state(c: &mut Conn, id: i64, state: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE inspection_surveys SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(state)
        .bind(at)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Surveys holding responses.
pub async fn surveys_with_responses(c: &mut Conn) -> Result<Vec<i64>> {
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT DISTINCT survey_id FROM inspection_survey_responses ORDER BY survey_id",
    )
    .fetch_all(c)
    .await?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

/// One stored answer: (response id, question id, choice, score, text).
type StoredAnswer = (String, i64, Option<i64>, Option<i64>, Option<String>);

/// Rewrites every response of a survey under fresh random ids (`new_id` per old
/// response), inserting them in the order of the new ids, in the caller's
/// transaction: afterwards no row carries the transaction, the position or the id it
/// was first written with. Returns the number of responses rewritten.
pub async fn rewrite_responses(
    c: &mut Conn,
    survey_id: i64,
    mut new_id: impl FnMut() -> String,
) -> Result<usize> {
    let answers: Vec<StoredAnswer> = sqlx::query_as(
        "SELECT a.response_id, a.question_id, a.choice, a.score, a.text
           FROM inspection_survey_answers a JOIN inspection_survey_responses x ON x.id = a.response_id
          WHERE x.survey_id = $1",
    )
    .bind(survey_id)
    .fetch_all(&mut *c)
    .await?;
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM inspection_survey_responses WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_all(&mut *c)
            .await?;
    let mut renamed: Vec<(String, String)> =
        ids.into_iter().map(|(old,)| (new_id(), old)).collect();
    renamed.sort();
    sqlx::query(
        "DELETE FROM inspection_survey_answers WHERE response_id IN
           (SELECT id FROM inspection_survey_responses WHERE survey_id = $1)",
    )
    .bind(survey_id)
    .execute(&mut *c)
    .await?;
    sqlx::query("DELETE FROM inspection_survey_responses WHERE survey_id = $1")
        .bind(survey_id)
        .execute(&mut *c)
        .await?;
    for (new, old) in &renamed {
        sqlx::query("INSERT INTO inspection_survey_responses (id, survey_id) VALUES ($1,$2)")
            .bind(new.as_str())
            .bind(survey_id)
            .execute(&mut *c)
            .await?;
        for (_, q, ch, sc, tx) in answers.iter().filter(|a| &a.0 == old) {
            sqlx::query(
                "INSERT INTO inspection_survey_answers (response_id, question_id, choice, score, text)
                 VALUES ($1,$2,$3,$4,$5)",
            )
            .bind(new.as_str())
            .bind(*q)
            .bind(*ch)
            .bind(*sc)
            .bind(tx.as_deref())
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(renamed.len())
}
