//! Responsibility letters (责任书): templates, letters, their duties (links to tasks
//! of the responsibility list, never copies) and signatures. Read through a `Scope`
//! in SQL like every business record.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TemplateRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub year: i64,
    pub kind: String,
    pub title: String,
    pub categories: String,
    pub clauses: String,
    pub created_at: i64,
}

const TEMPLATE_COLS: &str =
    "id, org_id, org_path, year, kind, title, categories, clauses, created_at";

impl TemplateRow {
    /// The categories, one per line in the column.
    pub fn category_list(&self) -> Vec<String> {
        self.categories
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

pub struct NewTemplate<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub year: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub categories: &'a str,
    pub clauses: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_template(c: &mut Conn, t: NewTemplate<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO letter_templates (org_id, org_path, year, kind, title, categories, clauses, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(t.org_id)
    .bind(t.org_path)
    .bind(t.year)
    .bind(t.kind)
    .bind(t.title)
    .bind(t.categories)
    .bind(t.clauses)
    .bind(t.created_by)
    .bind(t.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn template(c: &mut Conn, id: i64) -> Result<TemplateRow> {
    found(
        sqlx::query_as(&format!(
            "SELECT {TEMPLATE_COLS} FROM letter_templates WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(c)
        .await?,
    )
}

pub async fn template_of(
    c: &mut Conn,
    org_id: i64,
    year: i64,
    kind: &str,
) -> Result<Option<TemplateRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLS} FROM letter_templates WHERE org_id = $1 AND year = $2 AND kind = $3"
    ))
    .bind(org_id)
    .bind(year)
    .bind(kind)
    .fetch_optional(c)
    .await?)
}

/// Templates of a year issued by orgs on the path from the root to one of `paths`, or
/// inside them.
pub async fn templates_visible(
    c: &mut Conn,
    paths: &[String],
    year: i64,
) -> Result<Vec<TemplateRow>> {
    let mut out: Vec<TemplateRow> = Vec::new();
    for p in paths {
        let rows: Vec<TemplateRow> = sqlx::query_as(&format!(
            "SELECT {TEMPLATE_COLS} FROM letter_templates WHERE year = $1
               AND ((org_path >= $2 AND org_path < $3) OR $2 LIKE org_path || '%')
             ORDER BY org_path, kind"
        ))
        .bind(year)
        .bind(p.as_str())
        .bind(crate::sql::upper(p))
        .fetch_all(&mut *c)
        .await?;
        for r in rows {
            if !out.iter().any(|x| x.id == r.id) {
                out.push(r);
            }
        }
    }
    Ok(out)
}

/// The categories of an org's responsibility list for a year, in first-seen order.
pub async fn list_categories(c: &mut Conn, org_id: i64, year: i64) -> Result<Vec<String>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, MIN(id) FROM tasks WHERE org_id = $1
            AND plan_id IN (SELECT id FROM plans WHERE year = $2)
          GROUP BY category ORDER BY MIN(id)",
    )
    .bind(org_id)
    .bind(year)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// A task of the list as a letter shows it: read from `tasks` each time.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct DutyRow {
    pub task_id: i64,
    pub category: String,
    pub subject: String,
    pub title: String,
    pub content: String,
    pub deadline: String,
    pub state: String,
    pub leader_id: Option<i64>,
}

const DUTY_COLS: &str =
    "t.id AS task_id, t.category, t.subject, t.title, t.content, t.deadline, t.state, t.leader_id";

/// The tasks of `org_id`'s list for `year` in `categories`; with `led_by`, only those
/// the person leads and `team_member` duties nobody leads. In list order (task id).
pub async fn select_duties(
    c: &mut Conn,
    org_id: i64,
    year: i64,
    categories: &[String],
    led_by: Option<i64>,
) -> Result<Vec<DutyRow>> {
    let mut s = Sql::new(&format!(
        "SELECT {DUTY_COLS} FROM tasks t WHERE t.org_id = "
    ));
    s.bind(org_id)
        .push(" AND t.plan_id IN (SELECT id FROM plans WHERE year = ")
        .bind(year)
        .push(")");
    if categories.is_empty() {
        s.push(" AND 1 = 0");
    } else {
        s.push(" AND t.category IN (");
        for (i, cat) in categories.iter().enumerate() {
            if i > 0 {
                s.push(", ");
            }
            s.bind(cat.as_str());
        }
        s.push(")");
    }
    if let Some(p) = led_by {
        s.push(" AND (t.leader_id = ")
            .bind(p)
            .push(" OR (t.subject = 'team_member' AND t.leader_id IS NULL))");
    }
    s.push(" ORDER BY t.id");
    Ok(s.query_as().fetch_all(c).await?)
}

/// A letter's duties as the list holds them now.
pub async fn duties_of(c: &mut Conn, letter_id: i64) -> Result<Vec<DutyRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DUTY_COLS} FROM letter_duties d JOIN tasks t ON t.id = d.task_id
          WHERE d.letter_id = $1 ORDER BY d.pos, t.id"
    ))
    .bind(letter_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_duties(c: &mut Conn, letter_id: i64, task_ids: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM letter_duties WHERE letter_id = $1")
        .bind(letter_id)
        .execute(&mut *c)
        .await?;
    for (i, t) in task_ids.iter().enumerate() {
        sqlx::query("INSERT INTO letter_duties (letter_id, task_id, pos) VALUES ($1,$2,$3)")
            .bind(letter_id)
            .bind(*t)
            .bind(i as i64 + 1)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct LetterRow {
    pub id: i64,
    pub template_id: i64,
    pub year: i64,
    pub kind: String,
    pub level: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub issuer_org_id: i64,
    pub issuer_org_name: String,
    pub issuer_person_id: i64,
    pub issuer_name: String,
    pub signer_person_id: i64,
    pub signer_name: String,
    pub signer_post: String,
    pub issued_on: String,
    pub sign_by: String,
    pub signed: i64,
    pub issuer_signed_on: Option<String>,
    pub signer_signed_on: Option<String>,
    pub duties: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str = "SELECT l.id, l.template_id, l.year, l.kind, l.level, l.org_id, o.name AS org_name, l.org_path,
 l.issuer_org_id, io.name AS issuer_org_name, l.issuer_person_id, ip.name AS issuer_name,
 l.signer_person_id, sp.name AS signer_name, l.signer_post, l.issued_on, l.sign_by, l.signed,
 (SELECT g.signed_on FROM letter_signatures g WHERE g.letter_id = l.id AND g.party = 'issuer') AS issuer_signed_on,
 (SELECT g.signed_on FROM letter_signatures g WHERE g.letter_id = l.id AND g.party = 'signer') AS signer_signed_on,
 (SELECT COUNT(*) FROM letter_duties d WHERE d.letter_id = l.id) AS duties, l.created_at, l.updated_at
 FROM letters l JOIN orgs o ON o.id = l.org_id JOIN orgs io ON io.id = l.issuer_org_id
 JOIN people ip ON ip.id = l.issuer_person_id JOIN people sp ON sp.id = l.signer_person_id WHERE 1=1";

pub struct NewLetter<'a> {
    pub template_id: i64,
    pub year: i64,
    pub kind: &'a str,
    pub level: &'a str,
    pub org_id: i64,
    pub org_path: &'a str,
    pub issuer_org_id: i64,
    pub issuer_person_id: i64,
    pub signer_person_id: i64,
    pub signer_post: &'a str,
    pub issued_on: &'a str,
    pub sign_by: &'a str,
    pub created_by: Option<i64>,
    pub at: i64,
}

pub async fn insert(c: &mut Conn, l: NewLetter<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO letters (template_id, year, kind, level, org_id, org_path, issuer_org_id, issuer_person_id,
           signer_person_id, signer_post, issued_on, sign_by, signed, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,0,$13,$14,$14) RETURNING id",
    )
    .bind(l.template_id)
    .bind(l.year)
    .bind(l.kind)
    .bind(l.level)
    .bind(l.org_id)
    .bind(l.org_path)
    .bind(l.issuer_org_id)
    .bind(l.issuer_person_id)
    .bind(l.signer_person_id)
    .bind(l.signer_post)
    .bind(l.issued_on)
    .bind(l.sign_by)
    .bind(l.created_by)
    .bind(l.at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Whether a letter of this year, kind and level was already issued to the person.
pub async fn exists_for(
    c: &mut Conn,
    year: i64,
    kind: &str,
    level: &str,
    signer: i64,
) -> Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM letters WHERE year = $1 AND kind = $2 AND level = $3 AND signer_person_id = $4",
    )
    .bind(year)
    .bind(kind)
    .bind(level)
    .bind(signer)
    .fetch_optional(c)
    .await?;
    Ok(r.is_some())
}

#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    pub year: Option<i64>,
    pub kind: Option<String>,
    pub level: Option<String>,
    /// "signed", "unsigned" (not signed by both), "partial" (by one party only),
    /// "none" (by neither)
    pub state: Option<String>,
    pub org_path: Option<String>,
    /// letters where this person is a party
    pub person_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &LetterFilter, s: &mut Sql) {
    scope.filter(s, "l.org_path", Some("l.signer_person_id"));
    if let Some(p) = &f.org_path {
        s.push(" AND l.org_path >= ")
            .bind(p.as_str())
            .push(" AND l.org_path < ")
            .bind(crate::sql::upper(p));
    }
    if let Some(y) = f.year {
        s.push(" AND l.year = ").bind(y);
    }
    if let Some(v) = &f.kind {
        s.push(" AND l.kind = ").bind(v.as_str());
    }
    if let Some(v) = &f.level {
        s.push(" AND l.level = ").bind(v.as_str());
    }
    match f.state.as_deref() {
        Some("signed") => {
            s.push(" AND l.signed = 1");
        }
        Some("unsigned") => {
            s.push(" AND l.signed = 0");
        }
        Some("partial") => {
            s.push(" AND l.signed = 0 AND EXISTS (SELECT 1 FROM letter_signatures g WHERE g.letter_id = l.id)");
        }
        Some("none") => {
            s.push(" AND NOT EXISTS (SELECT 1 FROM letter_signatures g WHERE g.letter_id = l.id)");
        }
        _ => {}
    }
    if let Some(p) = f.person_id {
        s.push(" AND (l.signer_person_id = ")
            .bind(p)
            .push(" OR l.issuer_person_id = ")
            .bind(p)
            .push(")");
    }
}

pub async fn list(c: &mut Conn, scope: &Scope, f: &LetterFilter) -> Result<(Vec<LetterRow>, i64)> {
    let mut s = Sql::new("SELECT COUNT(*) FROM letters l WHERE 1=1");
    list_where(scope, f, &mut s);
    let (total,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    let mut s = Sql::new(SELECT);
    list_where(scope, f, &mut s);
    s.push(" ORDER BY l.year DESC, l.kind, l.level, l.org_path, l.id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    Ok((s.query_as().fetch_all(&mut *c).await?, total))
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<LetterRow> {
    let mut s = Sql::new(SELECT);
    s.push(" AND l.id = ").bind(id);
    scope.filter(&mut s, "l.org_path", Some("l.signer_person_id"));
    found(s.query_as().fetch_optional(c).await?)
}

/// A letter by id, unscoped: for a party's own confirmation (the caller checks that
/// the actor is that party).
pub async fn get(c: &mut Conn, id: i64) -> Result<LetterRow> {
    let mut s = Sql::new(SELECT);
    s.push(" AND l.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

pub async fn replace_sign_by(c: &mut Conn, id: i64, sign_by: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE letters SET sign_by = $1, updated_at = $2 WHERE id = $3")
        .bind(sign_by)
        .bind(at)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct SignatureRow {
    pub id: i64,
    pub letter_id: i64,
    pub party: String,
    pub person_id: i64,
    pub person_name: String,
    pub method: String,
    pub evidence_id: Option<i64>,
    pub user_id: Option<i64>,
    pub signed_on: String,
    pub at: i64,
}

pub async fn signatures_of(c: &mut Conn, letter_id: i64) -> Result<Vec<SignatureRow>> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.letter_id, g.party, g.person_id, p.name AS person_name, g.method, g.evidence_id,
                g.user_id, g.signed_on, g.at
           FROM letter_signatures g JOIN people p ON p.id = g.person_id
          WHERE g.letter_id = $1 ORDER BY g.party",
    )
    .bind(letter_id)
    .fetch_all(c)
    .await?)
}

pub struct NewSignature<'a> {
    pub letter_id: i64,
    pub party: &'a str,
    pub person_id: i64,
    pub method: &'a str,
    pub evidence_id: Option<i64>,
    pub user_id: Option<i64>,
    pub signed_on: &'a str,
    pub at: i64,
}

/// Records a signature; `false` when the party had already signed (nothing written).
pub async fn insert_signature(c: &mut Conn, g: NewSignature<'_>) -> Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO letter_signatures (letter_id, party, person_id, method, evidence_id, user_id, signed_on, at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (letter_id, party) DO NOTHING RETURNING id",
    )
    .bind(g.letter_id)
    .bind(g.party)
    .bind(g.person_id)
    .bind(g.method)
    .bind(g.evidence_id)
    .bind(g.user_id)
    .bind(g.signed_on)
    .bind(g.at)
    .fetch_optional(&mut *c)
    .await?;
    if r.is_none() {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE letters SET updated_at = $1,
           signed = CASE WHEN (SELECT COUNT(*) FROM letter_signatures g WHERE g.letter_id = letters.id) >= 2 THEN 1 ELSE 0 END
         WHERE id = $2",
    )
    .bind(g.at)
    .bind(g.letter_id)
    .execute(c)
    .await?;
    Ok(true)
}

/// One line of the coverage table: letters of one org (the unit they belong to),
/// kind and level.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct CoverageRow {
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub kind: String,
    pub level: String,
    pub issued: i64,
    pub signed: i64,
    /// one party has signed
    pub partial: i64,
}

/// Coverage per unit, kind and level: a department letter counts with the unit whose
/// team member issued it, the others with the signer's org.
pub async fn coverage(c: &mut Conn, scope: &Scope, year: i64) -> Result<Vec<CoverageRow>> {
    let mut s = Sql::new(
        "SELECT o.id AS org_id, o.name AS org_name, o.path AS org_path, x.kind, x.level,
                COUNT(*) AS issued, CAST(SUM(x.signed) AS BIGINT) AS signed, CAST(SUM(x.partial) AS BIGINT) AS partial
           FROM (SELECT CASE WHEN l.level = 'department' THEN l.issuer_org_id ELSE l.org_id END AS unit_id,
                        l.kind, l.level, l.signed,
                        CASE WHEN l.signed = 0 AND EXISTS (SELECT 1 FROM letter_signatures g WHERE g.letter_id = l.id)
                             THEN 1 ELSE 0 END AS partial
                   FROM letters l WHERE l.year = ",
    );
    s.bind(year);
    scope.filter(&mut s, "l.org_path", None);
    s.push(
        ") x JOIN orgs o ON o.id = x.unit_id
          GROUP BY o.id, o.name, o.path, x.kind, x.level
          ORDER BY o.path, x.kind, x.level",
    );
    Ok(s.query_as().fetch_all(c).await?)
}

/// Letters not yet signed by both parties whose deadline is on or before `due_by`,
/// with which party has signed: what the reminder job reads.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct OpenLetter {
    pub id: i64,
    pub kind: String,
    pub level: String,
    pub org_id: i64,
    pub org_path: String,
    pub issuer_org_id: i64,
    pub issuer_org_path: String,
    pub issuer_person_id: i64,
    pub signer_person_id: i64,
    pub signer_name: String,
    pub sign_by: String,
    pub issuer_signed: i64,
    pub signer_signed: i64,
}

pub async fn open_due(c: &mut Conn, due_by: &str) -> Result<Vec<OpenLetter>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.kind, l.level, l.org_id, l.org_path, l.issuer_org_id, io.path AS issuer_org_path,
                l.issuer_person_id, l.signer_person_id, sp.name AS signer_name, l.sign_by,
                (SELECT COUNT(*) FROM letter_signatures g WHERE g.letter_id = l.id AND g.party = 'issuer') AS issuer_signed,
                (SELECT COUNT(*) FROM letter_signatures g WHERE g.letter_id = l.id AND g.party = 'signer') AS signer_signed
           FROM letters l JOIN orgs io ON io.id = l.issuer_org_id JOIN people sp ON sp.id = l.signer_person_id
          WHERE l.signed = 0 AND l.sign_by <= $1 ORDER BY l.id",
    )
    .bind(due_by)
    .fetch_all(c)
    .await?)
}

/// A person's positions with their org: (kind, org id, org path, org name, parent id).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct PostRow {
    pub kind: String,
    pub portfolio: Option<String>,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub parent_id: Option<i64>,
}

pub async fn posts_of(c: &mut Conn, person_id: i64) -> Result<Vec<PostRow>> {
    Ok(sqlx::query_as(
        "SELECT x.kind, x.portfolio, o.id AS org_id, o.path AS org_path, o.name AS org_name, o.parent_id
           FROM positions x JOIN orgs o ON o.id = x.org_id WHERE x.person_id = $1 ORDER BY x.id",
    )
    .bind(person_id)
    .fetch_all(c)
    .await?)
}

/// People holding one of `kinds` at orgs inside `path` (children only when `children_of`
/// is given): candidates for the next level's letters.
pub async fn holders(
    c: &mut Conn,
    path: &str,
    kinds: &[&str],
    children_of: Option<i64>,
) -> Result<Vec<(i64, String, i64, String)>> {
    let mut s = Sql::new(
        "SELECT DISTINCT p.id, p.name, o.id, o.path FROM positions x JOIN people p ON p.id = x.person_id
           JOIN orgs o ON o.id = x.org_id WHERE o.closed_at IS NULL AND o.path >= ",
    );
    s.bind(path)
        .push(" AND o.path < ")
        .bind(crate::sql::upper(path));
    s.push(" AND x.kind IN (");
    for (i, k) in kinds.iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.bind(*k);
    }
    s.push(")");
    if let Some(p) = children_of {
        s.push(" AND o.parent_id = ").bind(p);
    }
    s.push(" ORDER BY o.path, p.id");
    Ok(s.query_as().fetch_all(c).await?)
}
