//! The member roster (党员名册): development dates and stage, contact and pocket state,
//! transfers of the membership relation (组织关系转接), and dues (党费) payments with
//! arrears computed set-wise in SQL.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

/// A person's roster fields.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Default)]
pub struct RosterRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub party_status: String,
    pub born_on: Option<String>,
    pub applied_on: Option<String>,
    pub activist_on: Option<String>,
    pub candidate_on: Option<String>,
    /// Admission as a probationary member (接收为预备党员).
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
    pub left_on: Option<String>,
    pub contact_state: String,
    pub last_contact_on: Option<String>,
    pub pocket: i64,
    pub dues_kind: String,
    pub dues_base_cents: Option<i64>,
}

const COLS: &str = "p.id, p.org_id, p.org_path, p.party_status, p.born_on, p.applied_on, p.activist_on, \
    p.candidate_on, p.joined_on, p.full_on, p.left_on, p.contact_state, p.last_contact_on, p.pocket, \
    p.dues_kind, p.dues_base_cents";

/// Who owes dues and counts in a roster: members (full or probationary) still here
/// whose relation is held here (a pocket member's relation, and dues, are elsewhere).
pub const DUES_MEMBER: &str =
    "p.party_status IN ('full', 'probationary') AND p.left_on IS NULL AND p.pocket = 0";

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<RosterRow> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM people p WHERE p.id = "));
    s.bind(id);
    scope.filter(&mut s, "p.org_path", Some("p.id"));
    found(s.query_as().fetch_optional(c).await?)
}

/// The date column of a stage; the caller passes a `Stage` key, never user text.
fn stage_column(status: &str) -> Option<&'static str> {
    Some(match status {
        "applicant" => "applied_on",
        "activist" => "activist_on",
        "candidate" => "candidate_on",
        "probationary" => "joined_on",
        "full" => "full_on",
        _ => return None,
    })
}

/// Moves a person to `status`, entered on `on`.
pub async fn set_stage(
    c: &mut Conn,
    id: i64,
    status: &str,
    on: &str,
    born_on: Option<&str>,
) -> Result<()> {
    let col = stage_column(status).ok_or(crate::StoreError::NotFound)?;
    sqlx::query(&format!(
        "UPDATE people SET party_status = $1, {col} = $2, born_on = COALESCE($3, born_on) WHERE id = $4"
    ))
    .bind(status)
    .bind(on)
    .bind(born_on)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// Sets the key dates as recorded (a correction of the register, or data taken over).
pub async fn set_dates(c: &mut Conn, r: &RosterRow) -> Result<()> {
    sqlx::query(
        "UPDATE people SET born_on = $1, applied_on = $2, activist_on = $3, candidate_on = $4, \
         joined_on = $5, full_on = $6 WHERE id = $7",
    )
    .bind(&r.born_on)
    .bind(&r.applied_on)
    .bind(&r.activist_on)
    .bind(&r.candidate_on)
    .bind(&r.joined_on)
    .bind(&r.full_on)
    .bind(r.id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn set_contact(
    c: &mut Conn,
    id: i64,
    contact_state: &str,
    last_contact_on: Option<&str>,
    pocket: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE people SET contact_state = $1, last_contact_on = $2, pocket = $3 WHERE id = $4",
    )
    .bind(contact_state)
    .bind(last_contact_on)
    .bind(i64::from(pocket))
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn set_dues_basis(c: &mut Conn, id: i64, kind: &str, base: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE people SET dues_kind = $1, dues_base_cents = $2 WHERE id = $3")
        .bind(kind)
        .bind(base)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Marks a person as transferred out (`Some(day)`) or back in (`None`, which also ends
/// pocket status: the relation is now held here).
pub async fn set_left(c: &mut Conn, id: i64, left_on: Option<&str>) -> Result<()> {
    if left_on.is_some() {
        sqlx::query("UPDATE people SET left_on = $1 WHERE id = $2")
            .bind(left_on)
            .bind(id)
            .execute(c)
            .await?;
    } else {
        sqlx::query("UPDATE people SET left_on = NULL, pocket = 0 WHERE id = $1")
            .bind(id)
            .execute(c)
            .await?;
    }
    Ok(())
}

/// The open org a transfer names, by its code or its exact name, when exactly one
/// org answers to it: (id, path, name).
pub async fn org_named(c: &mut Conn, name: &str) -> Result<Option<(i64, String, String)>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, path, name FROM orgs WHERE closed_at IS NULL AND (code = $1 OR name = $1) LIMIT 2",
    )
    .bind(name.trim())
    .fetch_all(c)
    .await?;
    Ok(match rows.len() {
        1 => rows.into_iter().next(),
        _ => None,
    })
}

/// Moves a member to another org of the system: the person's org and path change, and
/// the party posts held in the org they leave end (a branch's committee is its own).
pub async fn move_member(
    c: &mut Conn,
    id: i64,
    from_org: i64,
    to_org: i64,
    to_path: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE people SET org_id = $1, org_path = $2, left_on = NULL, pocket = 0 WHERE id = $3",
    )
    .bind(to_org)
    .bind(to_path)
    .bind(id)
    .execute(&mut *c)
    .await?;
    sqlx::query("DELETE FROM positions WHERE person_id = $1 AND org_id = $2")
        .bind(id)
        .bind(from_org)
        .execute(&mut *c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct TransferRow {
    pub id: i64,
    pub person_id: i64,
    pub org_id: i64,
    pub org_path: String,
    /// in | out
    pub direction: String,
    pub other_org: String,
    pub on_date: String,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

pub async fn insert_transfer(c: &mut Conn, t: &TransferRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO member_transfers (person_id, org_id, org_path, direction, other_org, on_date, note, created_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(t.person_id)
    .bind(t.org_id)
    .bind(&t.org_path)
    .bind(&t.direction)
    .bind(&t.other_org)
    .bind(&t.on_date)
    .bind(&t.note)
    .bind(t.created_by)
    .bind(t.created_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn transfers_of(c: &mut Conn, person_id: i64) -> Result<Vec<TransferRow>> {
    Ok(sqlx::query_as(
        "SELECT id, person_id, org_id, org_path, direction, other_org, on_date, note, created_by, created_at \
         FROM member_transfers WHERE person_id = $1 ORDER BY on_date DESC, id DESC",
    )
    .bind(person_id)
    .fetch_all(c)
    .await?)
}

/// `(YYYY*12 + MM - 1)` of a `YYYY-MM…` text column, in SQL both engines accept.
fn month_idx(col: &str) -> String {
    format!(
        "(CAST(SUBSTR({col}, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR({col}, 6, 2) AS INTEGER) - 1)"
    )
}

/// Months in arrears of the person `p` at month index `now`, as SQL (see
/// `zeren_core::dues::arrears_months`, which this mirrors). `lp` is the person's last
/// paid month. Only integers computed here are spliced in.
fn arrears_sql(lp: &str, now: i64) -> String {
    let jan = now - now.rem_euclid(12);
    let lpi = month_idx(lp);
    let ji = month_idx("p.joined_on");
    format!(
        "CAST(CASE WHEN {lp} IS NOT NULL THEN (CASE WHEN {lpi} + 1 < {now} THEN {now} - {lpi} - 1 ELSE 0 END) \
         WHEN p.joined_on IS NOT NULL AND {ji} > {jan} THEN (CASE WHEN {ji} < {now} THEN {now} - {ji} ELSE 0 END) \
         ELSE {now} - {jan} END AS BIGINT)"
    )
}

/// The last paid month, kept on the member by triggers (migration 0017).
const LAST_PAID: &str = "p.dues_last_month";

fn now_index(today: &str) -> i64 {
    zeren_core::dues::month_index(today).unwrap_or(0)
}

/// Per org (the person's own org, not its subtree): members in arrears (at least one
/// month) and members six months or more in arrears (连续六个月不交纳党费), for every
/// org of the scope that has any. One query over the scope.
pub async fn dues_arrears_by_org(
    c: &mut Conn,
    scope: &Scope,
    today: &str,
) -> Result<Vec<(i64, i64, i64)>> {
    let now = now_index(today);
    let mut s = Sql::new(&format!(
        "SELECT q.org_id, SUM(CASE WHEN q.a >= 1 THEN 1 ELSE 0 END) AS n1, \
         SUM(CASE WHEN q.a >= 6 THEN 1 ELSE 0 END) AS n6 FROM \
         (SELECT p.org_id AS org_id, {} AS a FROM people p WHERE {DUES_MEMBER}",
        arrears_sql(LAST_PAID, now)
    ));
    scope.filter(&mut s, "p.org_path", None);
    s.push(
        ") q GROUP BY q.org_id HAVING SUM(CASE WHEN q.a >= 1 THEN 1 ELSE 0 END) > 0 ORDER BY q.org_id",
    );
    let rows: Vec<(i64, i64, i64)> = s.query_as().fetch_all(c).await?;
    Ok(rows)
}

/// A person's months in arrears (0 for non-members and those who left).
pub async fn arrears_of(c: &mut Conn, id: i64, today: &str) -> Result<i64> {
    let now = now_index(today);
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(CASE WHEN {DUES_MEMBER} THEN {} ELSE 0 END AS BIGINT) FROM people p WHERE p.id = $1",
        arrears_sql(LAST_PAID, now)
    ))
    .bind(id)
    .fetch_one(c)
    .await?;
    Ok(n)
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RosterListRow {
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
    pub contact_state: String,
    pub last_contact_on: Option<String>,
    pub pocket: i64,
    pub left_on: Option<String>,
    /// Months of dues unpaid (members only).
    pub arrears_months: i64,
}

#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    pub org_path: Option<String>,
    pub q: Option<String>,
    pub party_status: Option<String>,
    /// Only those marked lost (失联).
    pub lost: bool,
    pub pocket: bool,
    /// Only members with dues in arrears.
    pub arrears: bool,
    /// Those transferred out instead of the current roster.
    pub left: bool,
    pub today: String,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &RosterFilter, s: &mut Sql) {
    crate::person::people_where(
        scope,
        f.org_path.as_deref(),
        f.q.as_deref(),
        f.party_status.as_deref(),
        s,
    );
    s.push(if f.left {
        " AND p.left_on IS NOT NULL"
    } else {
        " AND p.left_on IS NULL"
    });
    if f.lost {
        s.push(" AND p.contact_state = 'lost'");
    }
    if f.pocket {
        s.push(" AND p.pocket <> 0");
    }
    if f.arrears {
        s.push(&format!(
            " AND {DUES_MEMBER} AND {} >= 1",
            arrears_sql(LAST_PAID, now_index(&f.today))
        ));
    }
}

pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    f: &RosterFilter,
) -> Result<(Vec<RosterListRow>, i64)> {
    let mut s = Sql::new(&format!(
        "SELECT p.id, p.name, p.org_id, o.name AS org_name, p.gender, p.party_status, p.joined_on, \
         p.cadre_rank, p.title, (SELECT MIN(kind) FROM positions x WHERE x.person_id = p.id) AS positions, \
         p.contact_state, p.last_contact_on, p.pocket, p.left_on, \
         CAST(CASE WHEN {DUES_MEMBER} THEN {} ELSE 0 END AS BIGINT) AS arrears_months \
         FROM people p JOIN orgs o ON o.id = p.org_id WHERE 1=1",
        arrears_sql(LAST_PAID, now_index(&f.today))
    ));
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

/// A person as the roster sheet (人员及党员名册) writes them: every column the people
/// import reads, so a sheet goes out and comes back in unchanged. Base pay is not
/// among them (the org's office alone sees it, on the member's page).
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct RosterExportRow {
    pub id: i64,
    pub name: String,
    pub gender: Option<String>,
    pub org_path: String,
    pub party_status: String,
    pub born_on: Option<String>,
    pub applied_on: Option<String>,
    pub activist_on: Option<String>,
    pub candidate_on: Option<String>,
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
    pub title: Option<String>,
    pub cadre_rank: Option<String>,
    /// The first party post held in the person's own org, and its portfolio.
    pub position: Option<String>,
    pub portfolio: Option<String>,
    pub contact_state: String,
    pub last_contact_on: Option<String>,
    pub pocket: i64,
    pub dues_kind: String,
}

/// The roster as filtered, in its order, for reading in one pass (`Sql::chunks`).
pub fn export_sql(scope: &Scope, f: &RosterFilter) -> Sql {
    let mut s = Sql::new(
        "SELECT p.id, p.name, p.gender, p.org_path, p.party_status, p.born_on, p.applied_on, \
         p.activist_on, p.candidate_on, p.joined_on, p.full_on, p.title, p.cadre_rank, \
         (SELECT x.kind FROM positions x WHERE x.person_id = p.id AND x.org_id = p.org_id ORDER BY x.id LIMIT 1) AS position, \
         (SELECT x.portfolio FROM positions x WHERE x.person_id = p.id AND x.org_id = p.org_id ORDER BY x.id LIMIT 1) AS portfolio, \
         p.contact_state, p.last_contact_on, p.pocket, p.dues_kind FROM people p WHERE 1=1",
    );
    list_where(scope, f, &mut s);
    s.push(" ORDER BY p.org_path, p.id");
    s
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct DuesPaymentRow {
    pub id: i64,
    pub person_id: i64,
    pub org_path: String,
    pub month: String,
    pub amount_cents: i64,
    pub paid_on: String,
    pub recorded_by: Option<i64>,
    pub created_at: i64,
}

/// Records a payment unless that month is already paid; whether a row was written.
pub async fn insert_payment(c: &mut Conn, p: &DuesPaymentRow) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO dues_payments (person_id, org_path, month, amount_cents, paid_on, recorded_by, created_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (person_id, month) DO NOTHING",
    )
    .bind(p.person_id)
    .bind(&p.org_path)
    .bind(&p.month)
    .bind(p.amount_cents)
    .bind(&p.paid_on)
    .bind(p.recorded_by)
    .bind(p.created_at)
    .execute(c)
    .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn payments_of(c: &mut Conn, person_id: i64, limit: i64) -> Result<Vec<DuesPaymentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, person_id, org_path, month, amount_cents, paid_on, recorded_by, created_at \
         FROM dues_payments WHERE person_id = $1 ORDER BY month DESC LIMIT $2",
    )
    .bind(person_id)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// One member on a branch's dues sheet for a month.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct DuesSheetRow {
    pub id: i64,
    pub name: String,
    pub org_path: String,
    pub party_status: String,
    pub dues_kind: String,
    pub dues_base_cents: Option<i64>,
    /// Already paid for the month: amount and day.
    pub paid_cents: Option<i64>,
    pub paid_on: Option<String>,
}

/// The members who owe dues to the org at `path` (its whole subtree when
/// `whole_subtree`, else its own people), with the month's payment if any.
pub async fn dues_sheet(
    c: &mut Conn,
    org_id: i64,
    path: &str,
    whole_subtree: bool,
    month: &str,
    limit: i64,
) -> Result<Vec<DuesSheetRow>> {
    let mut s = Sql::new(
        "SELECT p.id, p.name, p.org_path, p.party_status, p.dues_kind, p.dues_base_cents, \
         d.amount_cents AS paid_cents, d.paid_on FROM people p \
         LEFT JOIN dues_payments d ON d.person_id = p.id AND d.month = ",
    );
    s.bind(month).push(&format!(" WHERE {DUES_MEMBER} AND "));
    if whole_subtree {
        s.push("p.org_path >= ")
            .bind(path)
            .push(" AND p.org_path < ")
            .bind(crate::sql::upper(path));
    } else {
        s.push("p.org_id = ").bind(org_id);
    }
    s.push(" ORDER BY p.org_path, p.id LIMIT ").bind(limit);
    Ok(s.query_as().fetch_all(c).await?)
}
