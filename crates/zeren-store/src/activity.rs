//! Activity records (组织生活记录): meetings and activities, who attended, a committee
//! meeting's agenda, and the problems a 调研 found.
use serde::Serialize;
use sqlx::FromRow;

use crate::{found, Conn, Result, Scope, Sql};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq, Default)]
pub struct ActivityRow {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub title: String,
    pub state: String,
    pub planned_on: Option<String>,
    pub held_on: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    pub host_id: Option<i64>,
    pub recorder_id: Option<i64>,
    pub expected_count: i64,
    pub present_count: i64,
    pub leave_count: i64,
    pub observers: Option<String>,
    pub topic: Option<String>,
    pub content: Option<String>,
    pub decisions: Option<String>,
    pub first_topic: i64,
    pub opinions: Option<String>,
    pub outcomes: Option<String>,
    pub matters: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A row of the ledger, with the names a reader needs (and everything the export
/// writes, so the export reads the list it shows).
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ActivityListRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub kind: String,
    pub title: String,
    pub state: String,
    pub planned_on: Option<String>,
    pub held_on: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    pub host_name: Option<String>,
    pub recorder_name: Option<String>,
    pub expected_count: i64,
    pub present_count: i64,
    pub leave_count: i64,
    pub observers: Option<String>,
    pub topic: Option<String>,
    pub content: Option<String>,
    pub decisions: Option<String>,
    pub first_topic: i64,
}

/// One person on an activity's list.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AttendeeRow {
    pub person_id: i64,
    pub name: String,
    /// present | leave | absent
    pub attendance: String,
    /// 民主评议党员: excellent | qualified | basic | unqualified
    pub grade: Option<String>,
    /// 培训 / 志愿服务: time spent, in minutes
    pub minutes: Option<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct AgendaRow {
    pub seq: i64,
    pub title: String,
    pub first_topic: i64,
}

/// A problem the activity found, as the ledger shows it.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct LinkedProblemRow {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub deadline: String,
}

/// A person who may be on an activity's list.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct CandidateRow {
    pub id: i64,
    pub name: String,
    pub org_path: String,
    pub party_status: String,
    /// The position held in the activity's org (secretary, organizer, …), if any.
    pub position: Option<String>,
}

const COLS: &str = "id, org_id, org_path, kind, title, state, planned_on, held_on, start_time, end_time, place, host_id, recorder_id, expected_count, present_count, leave_count, observers, topic, content, decisions, first_topic, opinions, outcomes, matters, cancel_reason, created_by, created_at, updated_at";

pub async fn insert(c: &mut Conn, a: &ActivityRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO activities (org_id, org_path, kind, title, state, planned_on, held_on, start_time, end_time, place, host_id, recorder_id, expected_count, present_count, leave_count, observers, topic, content, decisions, first_topic, opinions, outcomes, matters, created_by, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26) RETURNING id",
    )
    .bind(a.org_id)
    .bind(&a.org_path)
    .bind(&a.kind)
    .bind(&a.title)
    .bind(&a.state)
    .bind(&a.planned_on)
    .bind(&a.held_on)
    .bind(&a.start_time)
    .bind(&a.end_time)
    .bind(&a.place)
    .bind(a.host_id)
    .bind(a.recorder_id)
    .bind(a.expected_count)
    .bind(a.present_count)
    .bind(a.leave_count)
    .bind(&a.observers)
    .bind(&a.topic)
    .bind(&a.content)
    .bind(&a.decisions)
    .bind(a.first_topic)
    .bind(&a.opinions)
    .bind(&a.outcomes)
    .bind(&a.matters)
    .bind(a.created_by)
    .bind(a.created_at)
    .bind(a.updated_at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Rewrites the fields a record's owner may edit; org, kind's history and creation
/// stay. `expect_updated_at` guards against two editors overwriting each other.
pub async fn update(c: &mut Conn, a: &ActivityRow, expect_updated_at: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE activities SET kind=$1, title=$2, state=$3, planned_on=$4, held_on=$5, start_time=$6, end_time=$7, place=$8, host_id=$9, recorder_id=$10, expected_count=$11, present_count=$12, leave_count=$13, observers=$14, topic=$15, content=$16, decisions=$17, first_topic=$18, opinions=$19, outcomes=$20, matters=$21, updated_at=$22
         WHERE id=$23 AND updated_at=$24",
    )
    .bind(&a.kind)
    .bind(&a.title)
    .bind(&a.state)
    .bind(&a.planned_on)
    .bind(&a.held_on)
    .bind(&a.start_time)
    .bind(&a.end_time)
    .bind(&a.place)
    .bind(a.host_id)
    .bind(a.recorder_id)
    .bind(a.expected_count)
    .bind(a.present_count)
    .bind(a.leave_count)
    .bind(&a.observers)
    .bind(&a.topic)
    .bind(&a.content)
    .bind(&a.decisions)
    .bind(a.first_topic)
    .bind(&a.opinions)
    .bind(&a.outcomes)
    .bind(&a.matters)
    .bind(a.updated_at)
    .bind(a.id)
    .bind(expect_updated_at)
    .execute(c)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(crate::StoreError::Conflict);
    }
    Ok(())
}

pub async fn cancel(c: &mut Conn, id: i64, from_state: &str, reason: &str, now: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE activities SET state='cancelled', cancel_reason=$1, updated_at=$2 WHERE id=$3 AND state=$4",
    )
    .bind(reason)
    .bind(now)
    .bind(id)
    .bind(from_state)
    .execute(c)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(crate::StoreError::Conflict);
    }
    Ok(())
}

pub async fn get_in(c: &mut Conn, scope: &Scope, id: i64) -> Result<ActivityRow> {
    let mut s = Sql::new(&format!("SELECT {COLS} FROM activities WHERE id = "));
    s.bind(id);
    // a member's scope holds no activities: records belong to orgs, not to one person
    scope.filter(&mut s, "org_path", None);
    found(s.query_as().fetch_optional(c).await?)
}

/// Replaces the list of people of an activity.
pub async fn set_people(c: &mut Conn, activity_id: i64, people: &[AttendeeRow]) -> Result<()> {
    sqlx::query("DELETE FROM activity_people WHERE activity_id = $1")
        .bind(activity_id)
        .execute(&mut *c)
        .await?;
    for chunk in people.chunks(40) {
        let mut s = Sql::new(
            "INSERT INTO activity_people (activity_id, person_id, attendance, grade, minutes, note) VALUES ",
        );
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.push("(")
                .bind(activity_id)
                .push(",")
                .bind(p.person_id)
                .push(",")
                .bind(p.attendance.as_str())
                .push(",")
                .bind(p.grade.clone())
                .push(",")
                .bind(p.minutes)
                .push(",")
                .bind(p.note.clone())
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

pub async fn set_agenda(c: &mut Conn, activity_id: i64, items: &[AgendaRow]) -> Result<()> {
    sqlx::query("DELETE FROM activity_agenda WHERE activity_id = $1")
        .bind(activity_id)
        .execute(&mut *c)
        .await?;
    for a in items {
        sqlx::query(
            "INSERT INTO activity_agenda (activity_id, seq, title, first_topic) VALUES ($1,$2,$3,$4)",
        )
        .bind(activity_id)
        .bind(a.seq)
        .bind(&a.title)
        .bind(a.first_topic)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

pub async fn set_problems(c: &mut Conn, activity_id: i64, problem_ids: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM activity_problems WHERE activity_id = $1")
        .bind(activity_id)
        .execute(&mut *c)
        .await?;
    for pid in problem_ids {
        sqlx::query("INSERT INTO activity_problems (activity_id, problem_id) VALUES ($1,$2)")
            .bind(activity_id)
            .bind(*pid)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn people(c: &mut Conn, activity_id: i64) -> Result<Vec<AttendeeRow>> {
    Ok(sqlx::query_as(
        "SELECT ap.person_id, p.name, ap.attendance, ap.grade, ap.minutes, ap.note
         FROM activity_people ap JOIN people p ON p.id = ap.person_id
         WHERE ap.activity_id = $1 ORDER BY p.org_path, p.id",
    )
    .bind(activity_id)
    .fetch_all(c)
    .await?)
}

pub async fn agenda(c: &mut Conn, activity_id: i64) -> Result<Vec<AgendaRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, title, first_topic FROM activity_agenda WHERE activity_id = $1 ORDER BY seq",
    )
    .bind(activity_id)
    .fetch_all(c)
    .await?)
}

pub async fn problems(c: &mut Conn, activity_id: i64) -> Result<Vec<LinkedProblemRow>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.title, p.state, p.deadline FROM activity_problems ap JOIN problems p ON p.id = ap.problem_id
         WHERE ap.activity_id = $1 ORDER BY p.id",
    )
    .bind(activity_id)
    .fetch_all(c)
    .await?)
}

/// Who is due at an activity of the org at `path`: everyone in its subtree (a branch
/// and its groups), or, for a committee whose subtree is a whole hospital, the people
/// holding a position in it (the team that meets). At most `limit`.
pub async fn candidates(
    c: &mut Conn,
    org_id: i64,
    path: &str,
    whole_subtree: bool,
    limit: i64,
) -> Result<Vec<CandidateRow>> {
    let mut s = Sql::new(
        "SELECT p.id, p.name, p.org_path, p.party_status,
         (SELECT MIN(x.kind) FROM positions x WHERE x.person_id = p.id AND x.org_id = ",
    );
    s.bind(org_id).push(") AS position FROM people p WHERE ");
    if whole_subtree {
        s.push("p.org_path >= ")
            .bind(path)
            .push(" AND p.org_path < ")
            .bind(crate::sql::upper(path));
    } else {
        s.push("p.id IN (SELECT x.person_id FROM positions x WHERE x.org_id = ")
            .bind(org_id)
            .push(")");
    }
    s.push(" ORDER BY p.org_path, p.id LIMIT ").bind(limit);
    Ok(s.query_as().fetch_all(c).await?)
}

/// Of `ids`, those who belong to the org at `path`: in its subtree or holding a
/// position in it.
pub async fn members_of(c: &mut Conn, org_id: i64, path: &str, ids: &[i64]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let mut s = Sql::new("SELECT p.id FROM people p WHERE p.id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(") AND ((p.org_path >= ")
            .bind(path)
            .push(" AND p.org_path < ")
            .bind(crate::sql::upper(path))
            .push(") OR p.id IN (SELECT x.person_id FROM positions x WHERE x.org_id = ")
            .bind(org_id)
            .push("))");
        let rows: Vec<(i64,)> = s.query_as().fetch_all(&mut *c).await?;
        out.extend(rows.into_iter().map(|r| r.0));
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Only this org's subtree (inside the scope).
    pub org_path: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    /// Held on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Held before this day.
    pub to: Option<String>,
    pub q: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

fn list_where(scope: &Scope, f: &ActivityFilter, s: &mut Sql) {
    scope.filter(s, "a.org_path", None);
    if let Some(path) = &f.org_path {
        s.push(" AND a.org_path >= ")
            .bind(path.as_str())
            .push(" AND a.org_path < ")
            .bind(crate::sql::upper(path));
    }
    if let Some(k) = &f.kind {
        s.push(" AND a.kind = ").bind(k.as_str());
    }
    if let Some(st) = &f.state {
        s.push(" AND a.state = ").bind(st.as_str());
    }
    if let Some(d) = &f.from {
        s.push(" AND a.held_on >= ").bind(d.as_str());
    }
    if let Some(d) = &f.to {
        s.push(" AND a.held_on < ").bind(d.as_str());
    }
    if let Some(q) = &f.q {
        let like = format!("%{}%", crate::org::escape_like(q));
        s.push(" AND (a.title LIKE ")
            .bind(like.clone())
            .push(" ESCAPE '\\' OR a.topic LIKE ")
            .bind(like)
            .push(" ESCAPE '\\')");
    }
}

/// Matches above which a list reads in day order from an index (see `list`).
const WIDE: i64 = 2000;

const LIST_SELECT: &str = "SELECT a.id, a.org_id, o.name AS org_name, a.kind, a.title, a.state, a.planned_on, a.held_on, a.start_time, a.end_time, a.place,
 h.name AS host_name, r.name AS recorder_name, a.expected_count, a.present_count, a.leave_count, a.observers, a.topic, a.content, a.decisions, a.first_topic
 FROM activities a JOIN orgs o ON o.id = a.org_id
 LEFT JOIN people h ON h.id = a.host_id LEFT JOIN people r ON r.id = a.recorder_id WHERE 1=1";

/// A page of the ledger, newest held first (planned ones, with no day yet, last), and
/// the number of matching rows.
pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    f: &ActivityFilter,
) -> Result<(Vec<ActivityListRow>, i64)> {
    let total = count(c, scope, f).await?;
    let mut s = list_sql(c, scope, f, total);
    s.push(" LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    Ok((rows, total))
}

async fn count(c: &mut Conn, scope: &Scope, f: &ActivityFilter) -> Result<i64> {
    let mut cs = Sql::new("SELECT COUNT(*) FROM activities a WHERE 1=1");
    list_where(scope, f, &mut cs);
    let (total,): (i64,) = cs.query_as().fetch_one(&mut *c).await?;
    Ok(total)
}

/// The list's query in its order, without a page: `total` rows match.
fn list_sql(c: &Conn, scope: &Scope, f: &ActivityFilter, total: i64) -> Sql {
    // A wide list on SQLite reads the day index backwards instead of sorting every
    // match (65 ms → 1 ms at 50k rows); at most ~50·table/total rows are read for a
    // page. With a kind, SQLite already reads (kind, held_on) in order. PostgreSQL's
    // planner makes this choice by itself.
    let select = if c.backend_name() == "SQLite" && total > WIDE && f.kind.is_none() {
        LIST_SELECT.replacen(
            "FROM activities a ",
            "FROM activities a INDEXED BY activities_day ",
            1,
        )
    } else {
        LIST_SELECT.to_string()
    };
    let mut s = Sql::new(&select);
    list_where(scope, f, &mut s);
    // DESC NULLS LAST is SQLite's own order for DESC, and the PostgreSQL index is built
    // in it, so both engines agree and both can read the order from an index
    s.push(" ORDER BY a.held_on DESC NULLS LAST, a.id DESC");
    s
}

/// The whole list as filtered, in its order, for reading in one pass
/// (`Sql::for_each_chunk`).
pub async fn export_sql(c: &mut Conn, scope: &Scope, f: &ActivityFilter) -> Result<Sql> {
    let total = count(c, scope, f).await?;
    Ok(list_sql(c, scope, f, total))
}

pub async fn list_row(c: &mut Conn, id: i64) -> Result<ActivityListRow> {
    let mut s = Sql::new(LIST_SELECT);
    s.push(" AND a.id = ").bind(id);
    found(s.query_as().fetch_optional(c).await?)
}

/// Held records of one year in a subtree, per kind: (kind, records, with a 第一议题).
/// The dashboard's 组织生活 figures; the same rows the compliance grid counts.
pub async fn year_counts(c: &mut Conn, path: &str, year: i32) -> Result<Vec<(String, i64, i64)>> {
    let mut rows: Vec<(String, i64, i64)> = crate::tally::activity_sums(c, path, year)
        .await?
        .into_iter()
        .map(|k| (k.kind, k.held, k.first_topic))
        .collect();
    rows.sort();
    Ok(rows)
}
