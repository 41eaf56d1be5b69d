//! Discipline-inspection records: petitions (信访举报), the four forms (四种形态), the
//! working-day calendar and clearances.
//!
//! Petitions are read through a `Scope` (the discipline role's subtrees) *and* an
//! excluded person: the account of the person reported never sees a petition about
//! them, whatever roles it holds. Every list, detail, count and search here takes
//! both. The informant's sealed identity is not part of `PetitionRow`; it is read
//! by `informant_sealed` alone, which only the cleared use case calls.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

/// Who reads: the subtrees of their discipline role, and the person they are (whose
/// own petitions and records they never see).
#[derive(Debug, Clone)]
pub struct Reader {
    pub scope: Scope,
    pub person_id: Option<i64>,
}

impl Reader {
    fn filter(&self, s: &mut Sql, path_col: &str, person_col: &str) {
        // no person-scope for discipline records: a plain member sees none
        match &self.scope {
            Scope::Subtrees(_) => self.scope.filter(s, path_col, None),
            _ => {
                s.push(" AND 1 = 0");
            }
        }
        if let Some(pid) = self.person_id {
            s.push(&format!(" AND ({person_col} IS NULL OR {person_col} <> "))
                .bind(pid)
                .push(")");
        }
    }
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PetitionRow {
    pub id: i64,
    pub code: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub reported_person_id: Option<i64>,
    pub reported_name: Option<String>,
    pub received_on: String,
    pub channel: String,
    pub signed: i64,
    pub summary: String,
    pub content: String,
    pub level: String,
    pub category: String,
    pub repeat_of: Option<i64>,
    pub repeat_code: Option<String>,
    pub state: String,
    pub disposal: Option<String>,
    pub disposed_on: Option<String>,
    pub outcome: Option<String>,
    pub cleared: i64,
    pub conclusion: String,
    pub concluded_on: Option<String>,
    pub accept_notice_due: Option<String>,
    pub accept_notified_on: Option<String>,
    pub result_notice_due: Option<String>,
    pub result_notified_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT p.id, p.code, p.org_id, o.name AS org_name, p.org_path, p.reported_person_id,
 pe.name AS reported_name, p.received_on, p.channel, p.signed, p.summary, p.content, p.level, p.category,
 p.repeat_of, r.code AS repeat_code, p.state, p.disposal, p.disposed_on, p.outcome, p.cleared, p.conclusion,
 p.concluded_on, p.accept_notice_due, p.accept_notified_on, p.result_notice_due, p.result_notified_on,
 p.created_at, p.updated_at
 FROM petitions p JOIN orgs o ON o.id = p.org_id LEFT JOIN people pe ON pe.id = p.reported_person_id
 LEFT JOIN petitions r ON r.id = p.repeat_of WHERE 1=1";

pub struct NewPetition<'a> {
    pub code: &'a str,
    pub org_id: i64,
    pub org_path: &'a str,
    pub reported_person_id: Option<i64>,
    pub received_on: &'a str,
    pub channel: &'a str,
    pub signed: bool,
    pub informant_name: Option<&'a str>,
    pub informant_contact: Option<&'a str>,
    pub summary: &'a str,
    pub content: &'a str,
    pub level: &'a str,
    pub category: &'a str,
    pub repeat_of: Option<i64>,
    pub state: &'a str,
    pub accept_notice_due: Option<&'a str>,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert(c: &mut Conn, p: NewPetition<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO petitions (code, org_id, org_path, reported_person_id, received_on, channel, signed,
           informant_name, informant_contact, summary, content, level, category, repeat_of, state,
           accept_notice_due, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18) RETURNING id",
    )
    .bind(p.code)
    .bind(p.org_id)
    .bind(p.org_path)
    .bind(p.reported_person_id)
    .bind(p.received_on)
    .bind(p.channel)
    .bind(p.signed as i64)
    .bind(p.informant_name)
    .bind(p.informant_contact)
    .bind(p.summary)
    .bind(p.content)
    .bind(p.level)
    .bind(p.category)
    .bind(p.repeat_of)
    .bind(p.state)
    .bind(p.accept_notice_due)
    .bind(p.created_by)
    .bind(p.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// The next code of a year: `XF2026-0007`. Called inside the write transaction, so
/// two intakes cannot take the same number (the column is UNIQUE besides).
pub async fn next_code(c: &mut Conn, year: i32) -> Result<String> {
    let prefix = format!("XF{year:04}-");
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM petitions WHERE code >= $1 AND code < $2")
            .bind(prefix.as_str())
            .bind(format!("XF{year:04}."))
            .fetch_one(c)
            .await?;
    Ok(format!("{prefix}{:04}", n + 1))
}

#[derive(Debug, Clone, Default)]
pub struct PetitionFilter {
    pub org_path: Option<String>,
    pub state: Option<String>,
    pub channel: Option<String>,
    pub category: Option<String>,
    pub disposal: Option<String>,
    /// Received in this calendar year.
    pub year: Option<i32>,
    /// Words in the code, summary or content.
    pub q: Option<String>,
    pub reported_person_id: Option<i64>,
    /// Only those repeating this one (重件).
    pub repeat_of: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(r: &Reader, f: &PetitionFilter, s: &mut Sql) {
    r.filter(s, "p.org_path", "p.reported_person_id");
    if let Some(p) = &f.org_path {
        s.push(" AND p.org_path >= ")
            .bind(p.as_str())
            .push(" AND p.org_path < ")
            .bind(crate::sql::upper(p));
    }
    for (col, v) in [
        ("p.state", &f.state),
        ("p.channel", &f.channel),
        ("p.category", &f.category),
        ("p.disposal", &f.disposal),
    ] {
        if let Some(v) = v {
            s.push(&format!(" AND {col} = ")).bind(v.as_str());
        }
    }
    if let Some(y) = f.year {
        s.push(" AND p.received_on >= ")
            .bind(format!("{y:04}-01-01"))
            .push(" AND p.received_on < ")
            .bind(format!("{:04}-01-01", y + 1));
    }
    if let Some(q) = &f.q {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        s.push(" AND (p.code LIKE ")
            .bind(like.clone())
            .push(" OR p.summary LIKE ")
            .bind(like.clone())
            .push(" OR p.content LIKE ")
            .bind(like)
            .push(")");
    }
    if let Some(pid) = f.reported_person_id {
        s.push(" AND p.reported_person_id = ").bind(pid);
    }
    if let Some(id) = f.repeat_of {
        s.push(" AND p.repeat_of = ").bind(id);
    }
}

pub async fn list(c: &mut Conn, r: &Reader, f: &PetitionFilter) -> Result<(Vec<PetitionRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM petitions p WHERE 1=1");
    list_where(r, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(SELECT);
    list_where(r, f, &mut s);
    s.push(" ORDER BY p.received_on DESC, p.id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    Ok((rows, total))
}

pub async fn get_in(c: &mut Conn, r: &Reader, id: i64) -> Result<PetitionRow> {
    let mut s = Sql::new(SELECT);
    s.push(" AND p.id = ").bind(id);
    r.filter(&mut s, "p.org_path", "p.reported_person_id");
    found(s.query_as().fetch_optional(c).await?)
}

/// The sealed informant name and contact of a petition the reader may see.
pub async fn informant_sealed(
    c: &mut Conn,
    r: &Reader,
    id: i64,
) -> Result<(Option<String>, Option<String>)> {
    let mut s =
        Sql::new("SELECT p.informant_name, p.informant_contact FROM petitions p WHERE p.id = ");
    s.bind(id);
    r.filter(&mut s, "p.org_path", "p.reported_person_id");
    found(s.query_as().fetch_optional(c).await?)
}

/// Counts per state in the reader's view.
pub async fn count_by_state(c: &mut Conn, r: &Reader) -> Result<Vec<(String, i64)>> {
    let mut s = Sql::new("SELECT p.state, COUNT(*) FROM petitions p WHERE 1=1");
    r.filter(&mut s, "p.org_path", "p.reported_person_id");
    s.push(" GROUP BY p.state ORDER BY p.state");
    Ok(s.query_as().fetch_all(c).await?)
}

/// Real-name petitions whose acceptance or result notice is due by `day` and not
/// given, in the reader's view: (id, code, which, due).
pub async fn notices_due(
    c: &mut Conn,
    r: &Reader,
    day: &str,
) -> Result<Vec<(i64, String, String, String)>> {
    let mut s = Sql::new(
        "SELECT p.id, p.code, 'accept' AS which, p.accept_notice_due AS due FROM petitions p
          WHERE p.accept_notice_due IS NOT NULL AND p.accept_notified_on IS NULL AND p.accept_notice_due <= ",
    );
    s.bind(day);
    r.filter(&mut s, "p.org_path", "p.reported_person_id");
    s.push(
        " UNION ALL SELECT p.id, p.code, 'result' AS which, p.result_notice_due AS due FROM petitions p
          WHERE p.result_notice_due IS NOT NULL AND p.result_notified_on IS NULL AND p.result_notice_due <= ",
    )
    .bind(day);
    r.filter(&mut s, "p.org_path", "p.reported_person_id");
    s.push(" ORDER BY 4, 1");
    Ok(s.query_as().fetch_all(c).await?)
}

pub async fn set_disposal(
    c: &mut Conn,
    id: i64,
    disposal: &str,
    on: &str,
    state: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE petitions SET disposal = $1, disposed_on = $2, state = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(disposal)
    .bind(on)
    .bind(state)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Records the conclusion. A petition closed out (予以了结) has no outcome.
#[allow(clippy::too_many_arguments)]
pub async fn set_conclusion(
    c: &mut Conn,
    id: i64,
    outcome: Option<&str>,
    cleared: bool,
    conclusion: &str,
    on: &str,
    result_notice_due: Option<&str>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE petitions SET outcome = $1, cleared = $2, conclusion = $3, concluded_on = $4,
           result_notice_due = $5, state = 'concluded', updated_at = $6 WHERE id = $7",
    )
    .bind(outcome)
    .bind(cleared as i64)
    .bind(conclusion)
    .bind(on)
    .bind(result_notice_due)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Records that the informant was told (`which`: `accept` | `result`).
pub async fn set_notified(c: &mut Conn, id: i64, which: &str, on: &str, at: i64) -> Result<()> {
    let col = if which == "accept" {
        "accept_notified_on"
    } else {
        "result_notified_on"
    };
    sqlx::query(&format!(
        "UPDATE petitions SET {col} = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(on)
    .bind(at)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Received and cleared (澄清正名) petitions of a year in a subtree, for figures.
pub async fn year_figures(c: &mut Conn, r: &Reader, year: i32) -> Result<(i64, i64)> {
    let mut s = Sql::new("SELECT COUNT(*), COUNT(CASE WHEN p.cleared = 1 THEN 1 END) FROM petitions p WHERE p.received_on >= ");
    s.bind(format!("{year:04}-01-01"))
        .push(" AND p.received_on < ")
        .bind(format!("{:04}-01-01", year + 1));
    r.filter(&mut s, "p.org_path", "p.reported_person_id");
    Ok(s.query_as().fetch_one(c).await?)
}

// ---- sealed columns (key rotation) ----

/// Every non-null value of a sealed column: (id, value). `table` and `column` come
/// from `zeren_app::crypto::CONFIDENTIAL`, a fixed list, never from input.
pub async fn sealed_values(c: &mut Conn, table: &str, column: &str) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY id"
    ))
    .fetch_all(c)
    .await?)
}

/// How many values a sealed column holds, and one of them (to check the keys).
pub async fn sealed_sample(
    c: &mut Conn,
    table: &str,
    column: &str,
) -> Result<(i64, Option<String>)> {
    // sealed values only: a column sealed in a later version may still hold text
    // written before (sealed at start, see `user::plain_totp_secrets`)
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM {table} WHERE {column} LIKE 'sm4gcm$%'"
    ))
    .fetch_one(&mut *c)
    .await?;
    let one: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT {column} FROM {table} WHERE {column} LIKE 'sm4gcm$%' ORDER BY id DESC LIMIT 1"
    ))
    .fetch_optional(&mut *c)
    .await?;
    Ok((n, one.map(|(v,)| v)))
}

pub async fn set_sealed(c: &mut Conn, table: &str, column: &str, id: i64, v: &str) -> Result<()> {
    sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
        .bind(v)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

// ---- calendar ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct CalendarDayRow {
    pub day: String,
    pub kind: String,
    pub name: String,
}

pub async fn calendar_days(c: &mut Conn) -> Result<Vec<CalendarDayRow>> {
    Ok(
        sqlx::query_as("SELECT day, kind, name FROM calendar_days ORDER BY day")
            .fetch_all(c)
            .await?,
    )
}

pub async fn set_calendar_day(c: &mut Conn, day: &str, kind: &str, name: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )
    .bind(day)
    .bind(kind)
    .bind(name)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn remove_calendar_day(c: &mut Conn, day: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day)
        .execute(c)
        .await?
        .rows_affected())
}

// ---- clearances ----

pub async fn has_clearance(c: &mut Conn, user_id: i64, kind: &str) -> Result<bool> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM clearances WHERE user_id = $1 AND kind = $2")
            .bind(user_id)
            .bind(kind)
            .fetch_one(c)
            .await?;
    Ok(n > 0)
}

pub async fn grant_clearance(
    c: &mut Conn,
    user_id: i64,
    kind: &str,
    granted_by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let n = sqlx::query(
        "INSERT INTO clearances (user_id, kind, granted_by, granted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, kind) DO NOTHING",
    )
    .bind(user_id)
    .bind(kind)
    .bind(granted_by)
    .bind(at)
    .execute(c)
    .await?
    .rows_affected();
    Ok(n > 0)
}

pub async fn revoke_clearance(c: &mut Conn, user_id: i64, kind: &str) -> Result<bool> {
    let n = sqlx::query("DELETE FROM clearances WHERE user_id = $1 AND kind = $2")
        .bind(user_id)
        .bind(kind)
        .execute(c)
        .await?
        .rows_affected();
    Ok(n > 0)
}

// ---- four forms ----

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct FourFormsRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub person_id: i64,
    pub person_name: String,
    pub form: i64,
    pub action: String,
    pub decided_on: String,
    pub decided_by: String,
    pub reason: String,
    pub petition_id: Option<i64>,
    pub petition_code: Option<String>,
    pub problem_id: Option<i64>,
    pub created_at: i64,
}

const FF_SELECT: &str = "SELECT f.id, f.org_id, o.name AS org_name, f.org_path, f.person_id, pe.name AS person_name,
 f.form, f.action, f.decided_on, f.decided_by, f.reason, f.petition_id, pt.code AS petition_code, f.problem_id, f.created_at
 FROM four_forms_actions f JOIN orgs o ON o.id = f.org_id JOIN people pe ON pe.id = f.person_id
 LEFT JOIN petitions pt ON pt.id = f.petition_id WHERE 1=1";

pub struct NewFourForms<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub person_id: i64,
    pub form: i64,
    pub action: &'a str,
    pub decided_on: &'a str,
    pub decided_by: &'a str,
    pub reason: &'a str,
    pub petition_id: Option<i64>,
    pub problem_id: Option<i64>,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_four_forms(c: &mut Conn, r: NewFourForms<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO four_forms_actions (org_id, org_path, person_id, form, action, decided_on, decided_by,
           reason, petition_id, problem_id, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id",
    )
    .bind(r.org_id)
    .bind(r.org_path)
    .bind(r.person_id)
    .bind(r.form)
    .bind(r.action)
    .bind(r.decided_on)
    .bind(r.decided_by)
    .bind(r.reason)
    .bind(r.petition_id)
    .bind(r.problem_id)
    .bind(r.created_by)
    .bind(r.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, Default)]
pub struct FourFormsFilter {
    pub org_path: Option<String>,
    pub form: Option<i64>,
    pub person_id: Option<i64>,
    pub petition_id: Option<i64>,
    pub year: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

fn ff_where(r: &Reader, f: &FourFormsFilter, s: &mut Sql) {
    r.filter(s, "f.org_path", "f.person_id");
    if let Some(p) = &f.org_path {
        s.push(" AND f.org_path >= ")
            .bind(p.as_str())
            .push(" AND f.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(v) = f.form {
        s.push(" AND f.form = ").bind(v);
    }
    if let Some(v) = f.person_id {
        s.push(" AND f.person_id = ").bind(v);
    }
    if let Some(v) = f.petition_id {
        s.push(" AND f.petition_id = ").bind(v);
    }
    if let Some(y) = f.year {
        s.push(" AND f.decided_on >= ")
            .bind(format!("{y:04}-01-01"))
            .push(" AND f.decided_on < ")
            .bind(format!("{:04}-01-01", y + 1));
    }
}

pub async fn list_four_forms(
    c: &mut Conn,
    r: &Reader,
    f: &FourFormsFilter,
) -> Result<(Vec<FourFormsRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM four_forms_actions f WHERE 1=1");
    ff_where(r, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(FF_SELECT);
    ff_where(r, f, &mut s);
    s.push(" ORDER BY f.decided_on DESC, f.id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    Ok((s.query_as().fetch_all(&mut *c).await?, total))
}

/// One (org, form) cell of the yearly statistics, per recorded org.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct FormCount {
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub form: i64,
    pub n: i64,
}

pub async fn four_forms_counts(c: &mut Conn, r: &Reader, year: i32) -> Result<Vec<FormCount>> {
    let mut s = Sql::new(
        "SELECT f.org_id, o.name AS org_name, o.path AS org_path, f.form, COUNT(*) AS n
           FROM four_forms_actions f JOIN orgs o ON o.id = f.org_id WHERE f.decided_on >= ",
    );
    s.bind(format!("{year:04}-01-01"))
        .push(" AND f.decided_on < ")
        .bind(format!("{:04}-01-01", year + 1));
    r.filter(&mut s, "f.org_path", "f.person_id");
    s.push(" GROUP BY f.org_id, o.name, o.path, f.form ORDER BY o.path, f.form");
    Ok(s.query_as().fetch_all(c).await?)
}
