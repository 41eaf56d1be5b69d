//! Compliance (合规检查) figures for a whole scope in a handful of set-based queries:
//! the orgs, held activities per org × kind × month of a year, roster counts per org
//! and committee positions per org. Nothing here runs per branch: the province's
//! 24,000 branches are four queries. Also the local rules and rule settings users
//! add to the library.
use sqlx::FromRow;

use crate::{Conn, Result, Scope, Sql};

/// An org the rules may apply to (and groups, whose members count for their branch).
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct OrgBase {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub code: Option<String>,
    pub path: String,
    pub depth: i64,
    pub term_start: Option<String>,
    pub term_end: Option<String>,
    pub created_at: i64,
}

/// Open orgs of the scope, in tree order.
pub async fn orgs(c: &mut Conn, scope: &Scope) -> Result<Vec<OrgBase>> {
    let mut s = Sql::new(
        "SELECT id, parent_id, name, kind, code, path, depth, term_start, term_end, created_at FROM orgs WHERE closed_at IS NULL",
    );
    scope.filter(&mut s, "path", None);
    s.push(" ORDER BY path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Held activities of one org and kind in each month of a year (`m[0]` is January).
#[derive(Debug, Clone, PartialEq)]
pub struct HeldMonths {
    pub org_path: String,
    pub kind: String,
    pub m: [i64; 12],
}

impl HeldMonths {
    /// One org's tally as `tally::held_months_packed` joins it: `kind:n1,…,n12;…`.
    fn parse_org(org_path: &str, items: &str) -> Result<Vec<HeldMonths>> {
        let mut out: Vec<HeldMonths> = Vec::new();
        for item in items.split(';').filter(|s| !s.is_empty()) {
            let (kind, counts) = item.split_once(':').ok_or_else(|| bad_item(item))?;
            let mut m = [0i64; 12];
            let mut n = 0;
            for (slot, v) in m.iter_mut().zip(counts.split(',')) {
                *slot = v.trim().parse().map_err(|_| bad_item(item))?;
                n += 1;
            }
            if n != 12 {
                return Err(bad_item(item));
            }
            out.push(HeldMonths {
                org_path: org_path.to_string(),
                kind: kind.to_string(),
                m,
            });
        }
        Ok(out)
    }
}

fn bad_item(item: &str) -> crate::StoreError {
    crate::StoreError::Db(sqlx::Error::Decode(
        format!("活动统计无法解析：{item}").into(),
    ))
}

/// Held activities in `year`, one value per org and kind with the twelve months, from
/// the year tallies the triggers keep (`tally`): a province's year is 870,000
/// records but only some 177,000 tally rows, read as one packed row per org.
pub async fn held_months(c: &mut Conn, scope: &Scope, year: i32) -> Result<Vec<HeldMonths>> {
    let rows = crate::tally::held_months_packed(c, scope, year).await?;
    let mut out = Vec::with_capacity(rows.len() * 5);
    for (path, items) in &rows {
        out.extend(HeldMonths::parse_org(path, items)?);
    }
    Ok(out)
}

#[cfg(test)]
mod held_tests {
    use super::*;

    #[test]
    fn items_count_per_kind_and_month() {
        let h = HeldMonths::parse_org(
            "/1/",
            "theme_day:2,1,0,0,0,0,0,0,0,0,0,0;branch_committee:0,0,0,0,0,0,0,0,0,0,0,1",
        )
        .unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].kind, "theme_day");
        assert_eq!(h[0].m[0], 2);
        assert_eq!(h[0].m[1], 1);
        assert_eq!(h[1].m[11], 1);
        assert!(HeldMonths::parse_org("/1/", "theme_day:1,2").is_err());
        assert!(HeldMonths::parse_org("/1/", "theme_day:1,2,3,4,5,6,7,8,9,10,11,x").is_err());
        assert!(HeldMonths::parse_org("/1/", "x").is_err());
    }
}

/// Held activities of one org, kind and month.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct HeldCount {
    pub org_path: String,
    pub kind: String,
    pub month: i64,
    pub n: i64,
    /// Held with at least numerator/denominator of those due present.
    pub quorate: i64,
}

/// Held activities of the given kinds with `held_on` in `[from, to]` per org, kind and
/// month, with how many had the attendance ratio: for attendance rules (few kinds,
/// few rows).
pub async fn held(
    c: &mut Conn,
    scope: &Scope,
    from: &str,
    to: &str,
    numerator: i64,
    denominator: i64,
    kinds: &[&str],
) -> Result<Vec<HeldCount>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    const MONTH: &str = "CAST(SUBSTR(held_on, 6, 2) AS INTEGER)";
    let mut s = Sql::new(&format!(
        "SELECT org_path, kind, {MONTH} AS month, COUNT(*) AS n, SUM(CASE WHEN present_count * "
    ));
    s.bind(denominator)
        .push(" >= expected_count * ")
        .bind(numerator)
        .push(" THEN 1 ELSE 0 END) AS quorate FROM activities WHERE state = 'held' AND held_on >= ")
        .bind(from)
        .push(" AND held_on <= ")
        .bind(to)
        .push(" AND kind IN (");
    for (i, k) in kinds.iter().enumerate() {
        if i > 0 {
            s.push(",");
        }
        s.bind(*k);
    }
    s.push(")");
    scope.filter(&mut s, "org_path", None);
    s.push(&format!(" GROUP BY org_path, kind, {MONTH}"));
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Roster figures of one org (its own people, not its subtree).
#[derive(Debug, Clone, FromRow, PartialEq, Default)]
pub struct RosterCount {
    pub org_path: String,
    /// Full and probationary members.
    pub members: i64,
    pub full_members: i64,
    /// Members marked lost (失联).
    pub lost: i64,
    /// … whose last contact is on or before the cut-off day (or unknown).
    pub lost_long: i64,
    pub pocket: i64,
}

/// Members per org (those who left by transfer do not count).
pub async fn roster(c: &mut Conn, scope: &Scope, lost_before: &str) -> Result<Vec<RosterCount>> {
    let mut s = Sql::new(
        "SELECT org_path, COUNT(*) AS members, \
         SUM(CASE WHEN party_status = 'full' THEN 1 ELSE 0 END) AS full_members, \
         SUM(CASE WHEN contact_state = 'lost' THEN 1 ELSE 0 END) AS lost, \
         SUM(CASE WHEN contact_state = 'lost' AND (last_contact_on IS NULL OR last_contact_on <= ",
    );
    s.bind(lost_before).push(
        ") THEN 1 ELSE 0 END) AS lost_long, \
         SUM(CASE WHEN pocket <> 0 THEN 1 ELSE 0 END) AS pocket \
         FROM people WHERE party_status IN ('full', 'probationary') AND left_on IS NULL",
    );
    scope.filter(&mut s, "org_path", None);
    s.push(" GROUP BY org_path");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// Positions held in one org.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct CommitteeCount {
    pub org_id: i64,
    pub secretaries: i64,
    /// Distinct people holding a position (the committee, secretary included).
    pub size: i64,
}

pub async fn committees(c: &mut Conn, scope: &Scope) -> Result<Vec<CommitteeCount>> {
    let mut s = Sql::new(
        "SELECT p.org_id AS org_id, SUM(CASE WHEN p.kind = 'secretary' THEN 1 ELSE 0 END) AS secretaries, \
         COUNT(DISTINCT p.person_id) AS size FROM positions p JOIN orgs o ON o.id = p.org_id \
         WHERE o.closed_at IS NULL",
    );
    scope.filter(&mut s, "o.path", None);
    s.push(" GROUP BY p.org_id");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

/// A local rule (地方/本单位规定).
#[derive(Debug, Clone, FromRow, PartialEq, serde::Serialize)]
pub struct LocalRuleRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub key: String,
    pub title: String,
    pub citation: String,
    pub check_kind: String,
    pub spec: String,
    pub effective_from: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

const LOCAL_COLS: &str = "r.id, r.org_id, r.org_path, o.name AS org_name, r.key, r.title, r.citation, r.check_kind, r.spec, r.effective_from, r.created_by, r.created_at, r.retired_at";

/// Local rules (few; callers pick those whose org is above or inside their scope).
pub async fn local_rules(c: &mut Conn, include_retired: bool) -> Result<Vec<LocalRuleRow>> {
    let mut s = Sql::new(&format!(
        "SELECT {LOCAL_COLS} FROM local_rules r JOIN orgs o ON o.id = r.org_id"
    ));
    if !include_retired {
        s.push(" WHERE r.retired_at IS NULL");
    }
    s.push(" ORDER BY r.id");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

pub async fn local_rule(c: &mut Conn, id: i64) -> Result<LocalRuleRow> {
    let mut s = Sql::new(&format!(
        "SELECT {LOCAL_COLS} FROM local_rules r JOIN orgs o ON o.id = r.org_id WHERE r.id = "
    ));
    s.bind(id);
    Ok(s.query_as().fetch_one(&mut *c).await?)
}

pub struct NewLocalRule<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub key: &'a str,
    pub title: &'a str,
    pub citation: &'a str,
    pub check_kind: &'a str,
    pub spec: &'a str,
    pub effective_from: &'a str,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

pub async fn insert_local_rule(c: &mut Conn, r: NewLocalRule<'_>) -> Result<i64> {
    let mut s = Sql::new(
        "INSERT INTO local_rules (org_id, org_path, key, title, citation, check_kind, spec, effective_from, created_by, created_at) VALUES (",
    );
    s.bind(r.org_id)
        .push(",")
        .bind(r.org_path)
        .push(",")
        .bind(r.key)
        .push(",")
        .bind(r.title)
        .push(",")
        .bind(r.citation)
        .push(",")
        .bind(r.check_kind)
        .push(",")
        .bind(r.spec)
        .push(",")
        .bind(r.effective_from)
        .push(",")
        .bind(r.created_by)
        .push(",")
        .bind(r.created_at)
        .push(") RETURNING id");
    let (id,): (i64,) = s.query_as().fetch_one(&mut *c).await?;
    Ok(id)
}

/// Sets the key once the id is known (`local-{id}`), with its spec.
pub async fn set_local_rule_key(c: &mut Conn, id: i64, key: &str, spec: &str) -> Result<()> {
    let mut s = Sql::new("UPDATE local_rules SET key = ");
    s.bind(key)
        .push(", spec = ")
        .bind(spec)
        .push(" WHERE id = ")
        .bind(id);
    s.query().execute(&mut *c).await?;
    Ok(())
}

pub async fn retire_local_rule(c: &mut Conn, id: i64, by: Option<i64>, at: i64) -> Result<bool> {
    let mut s = Sql::new("UPDATE local_rules SET retired_at = ");
    s.bind(at)
        .push(", retired_by = ")
        .bind(by)
        .push(" WHERE retired_at IS NULL AND id = ")
        .bind(id);
    Ok(s.query().execute(&mut *c).await?.rows_affected() == 1)
}

/// A setting of a library rule for an org's subtree.
#[derive(Debug, Clone, FromRow, PartialEq, serde::Serialize)]
pub struct SettingRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub rule_key: String,
    pub figure: Option<i64>,
    pub period: Option<String>,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

pub async fn settings(c: &mut Conn) -> Result<Vec<SettingRow>> {
    Ok(Sql::new(
        "SELECT s.id, s.org_id, s.org_path, o.name AS org_name, s.rule_key, s.figure, s.period, s.updated_by, s.updated_at \
         FROM rule_settings s JOIN orgs o ON o.id = s.org_id ORDER BY s.org_path, s.rule_key",
    )
    .query_as()
    .fetch_all(&mut *c)
    .await?)
}

pub struct NewSetting<'a> {
    pub org_id: i64,
    pub org_path: &'a str,
    pub rule_key: &'a str,
    pub figure: Option<i64>,
    pub period: Option<&'a str>,
    pub updated_by: Option<i64>,
    pub updated_at: i64,
}

/// Inserts or replaces the setting of (org, rule).
pub async fn put_setting(c: &mut Conn, n: NewSetting<'_>) -> Result<()> {
    let mut s = Sql::new("DELETE FROM rule_settings WHERE org_id = ");
    s.bind(n.org_id).push(" AND rule_key = ").bind(n.rule_key);
    s.query().execute(&mut *c).await?;
    let mut s = Sql::new(
        "INSERT INTO rule_settings (org_id, org_path, rule_key, figure, period, updated_by, updated_at) VALUES (",
    );
    s.bind(n.org_id)
        .push(",")
        .bind(n.org_path)
        .push(",")
        .bind(n.rule_key)
        .push(",")
        .bind(n.figure)
        .push(",")
        .bind(n.period.map(str::to_string))
        .push(",")
        .bind(n.updated_by)
        .push(",")
        .bind(n.updated_at)
        .push(")");
    s.query().execute(&mut *c).await?;
    Ok(())
}

/// The open org with this code (the CLI's `--org`).
pub async fn org_by_code(c: &mut Conn, code: &str) -> Result<Option<(i64, String)>> {
    let mut s = Sql::new("SELECT id, path FROM orgs WHERE closed_at IS NULL AND code = ");
    s.bind(code).push(" ORDER BY id LIMIT 1");
    Ok(s.query_as().fetch_optional(&mut *c).await?)
}
