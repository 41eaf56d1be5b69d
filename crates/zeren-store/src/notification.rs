//! Reminders and escalations as stored: the items due for a look, the notifications
//! (unique by key), the inbox, and the email/webhook delivery queue.
use serde::Serialize;
use sqlx::FromRow;

use crate::{Conn, Result, Sql};

/// Open states of a task, as the `tasks_remind` partial index spells them (SQLite uses
/// a partial index only when the query repeats its condition).
const TASK_OPEN: &str = "t.state IN ('not_started', 'in_progress', 'returned')";

/// An item the engine must look at: a task, a measure or a supervision notice.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct DueItem {
    pub item_type: String,
    pub id: i64,
    pub title: String,
    pub deadline: String,
    pub remind_on: String,
    pub org_id: i64,
    pub org_path: String,
    pub issuing_org_id: i64,
    pub issuing_org_path: String,
    pub person_id: Option<i64>,
    pub leader_id: Option<i64>,
    pub remind_days: Option<String>,
}

/// Items whose `remind_on` has come, oldest first, in the index's order, so that two
/// engines on one database take row locks in the same order and cannot deadlock.
pub async fn due(c: &mut Conn, item_type: &str, today: &str, limit: i64) -> Result<Vec<DueItem>> {
    let sql = match item_type {
        "task" => format!(
            "SELECT 'task' AS item_type, t.id, t.title, t.deadline, t.remind_on, t.org_id, t.org_path, \
             t.issuing_org_id, io.path AS issuing_org_path, t.person_id, t.leader_id, p.remind_days \
             FROM tasks t LEFT JOIN plans p ON p.id = t.plan_id JOIN orgs io ON io.id = t.issuing_org_id \
             WHERE t.remind_on <= $1 AND {TASK_OPEN} ORDER BY t.remind_on, t.id LIMIT $2"
        ),
        "measure" => "SELECT 'measure' AS item_type, m.id, m.content AS title, m.deadline, m.remind_on, \
             pr.org_id, m.org_path, pr.issuing_org_id, io.path AS issuing_org_path, \
             m.owner_id AS person_id, pr.leader_id, CAST(NULL AS TEXT) AS remind_days \
             FROM measures m JOIN problems pr ON pr.id = m.problem_id JOIN orgs io ON io.id = pr.issuing_org_id \
             WHERE m.remind_on <= $1 AND m.state = 'todo' ORDER BY m.remind_on, m.id LIMIT $2"
            .to_string(),
        _ => "SELECT 'notice' AS item_type, n.id, n.title, n.answer_due AS deadline, n.remind_on, \
             n.org_id, n.org_path, n.issuing_org_id, n.issuing_org_path, CAST(NULL AS BIGINT) AS person_id, \
             CAST(NULL AS BIGINT) AS leader_id, CAST(NULL AS TEXT) AS remind_days \
             FROM supervision_notices n \
             WHERE n.remind_on <= $1 AND n.state = 'open' ORDER BY n.remind_on, n.id LIMIT $2"
            .to_string(),
    };
    Ok(sqlx::query_as(&sql)
        .bind(today)
        .bind(limit)
        .fetch_all(c)
        .await?)
}

/// Moves an item's next look to `day` (`9999-12-31`: never).
pub async fn set_remind_on(c: &mut Conn, item_type: &str, id: i64, day: &str) -> Result<()> {
    let table = match item_type {
        "task" => "tasks",
        "measure" => "measures",
        _ => "supervision_notices",
    };
    sqlx::query(&format!("UPDATE {table} SET remind_on = $1 WHERE id = $2"))
        .bind(day)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub key: &'a str,
    pub item_type: &'a str,
    pub item_id: i64,
    pub stage: &'a str,
    pub org_id: i64,
    pub org_path: &'a str,
    pub recipient_person_id: Option<i64>,
    pub recipient_org_id: Option<i64>,
    pub recipient_org_path: Option<&'a str>,
    pub title: &'a str,
    pub deadline: &'a str,
    pub day: &'a str,
    pub created_at: i64,
}

/// Inserts a notification unless its key exists; the id when this call created it.
/// `ON CONFLICT DO NOTHING` is what makes two engines racing on one key produce one row.
pub async fn insert(c: &mut Conn, n: &NewNotification<'_>) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO notifications (key, item_type, item_id, stage, org_id, org_path, recipient_person_id, \
         recipient_org_id, recipient_org_path, title, deadline, day, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (key) DO NOTHING RETURNING id",
    )
    .bind(n.key)
    .bind(n.item_type)
    .bind(n.item_id)
    .bind(n.stage)
    .bind(n.org_id)
    .bind(n.org_path)
    .bind(n.recipient_person_id)
    .bind(n.recipient_org_id)
    .bind(n.recipient_org_path)
    .bind(n.title)
    .bind(n.deadline)
    .bind(n.day)
    .bind(n.created_at)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|r| r.0))
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct NotificationRow {
    pub id: i64,
    pub item_type: String,
    pub item_id: i64,
    pub stage: String,
    pub org_id: i64,
    pub org_name: String,
    pub recipient_person_id: Option<i64>,
    pub recipient_org_id: Option<i64>,
    pub title: String,
    pub deadline: String,
    pub day: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

const ROW_COLS: &str = "n.id, n.item_type, n.item_id, n.stage, n.org_id, o.name AS org_name, \
    n.recipient_person_id, n.recipient_org_id, n.title, n.deadline, n.day, n.created_at, n.read_at";

/// Whose inbox: a person's own notifications plus those addressed to the orgs whose
/// office they hold.
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    pub person_id: Option<i64>,
    pub org_ids: Vec<i64>,
}

impl Recipient {
    fn filter(&self, s: &mut Sql) -> bool {
        if self.person_id.is_none() && self.org_ids.is_empty() {
            return false;
        }
        s.push(" AND (");
        let mut first = true;
        if let Some(p) = self.person_id {
            s.push("n.recipient_person_id = ").bind(p);
            first = false;
        }
        for o in &self.org_ids {
            if !first {
                s.push(" OR ");
            }
            s.push("n.recipient_org_id = ").bind(*o);
            first = false;
        }
        s.push(")");
        true
    }
}

pub async fn inbox(
    c: &mut Conn,
    who: &Recipient,
    unread_only: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<NotificationRow>, i64)> {
    let mut s = Sql::new(&format!(
        "SELECT {ROW_COLS} FROM notifications n JOIN orgs o ON o.id = n.org_id WHERE 1 = 1"
    ));
    let mut cnt = Sql::new("SELECT COUNT(*) FROM notifications n WHERE 1 = 1");
    if !who.filter(&mut s) || !who.filter(&mut cnt) {
        return Ok((Vec::new(), 0));
    }
    if unread_only {
        s.push(" AND n.read_at IS NULL");
        cnt.push(" AND n.read_at IS NULL");
    }
    s.push(" ORDER BY n.id DESC LIMIT ")
        .bind(limit)
        .push(" OFFSET ")
        .bind(offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    let (total,): (i64,) = cnt.query_as().fetch_one(&mut *c).await?;
    Ok((rows, total))
}

pub async fn unread(c: &mut Conn, who: &Recipient) -> Result<i64> {
    let mut s = Sql::new("SELECT COUNT(*) FROM notifications n WHERE n.read_at IS NULL");
    if !who.filter(&mut s) {
        return Ok(0);
    }
    let (n,): (i64,) = s.query_as().fetch_one(c).await?;
    Ok(n)
}

/// Marks read what `who` may read: one notification, or all of them (`id` None).
pub async fn mark_read(c: &mut Conn, who: &Recipient, id: Option<i64>, now: i64) -> Result<u64> {
    let mut s = Sql::new("UPDATE notifications SET read_at = ");
    s.bind(now)
        .push(" WHERE id IN (SELECT n.id FROM notifications n WHERE n.read_at IS NULL");
    if let Some(id) = id {
        s.push(" AND n.id = ").bind(id);
    }
    if !who.filter(&mut s) {
        return Ok(0);
    }
    s.push(")");
    Ok(s.query().execute(c).await?.rows_affected())
}

/// An item in a supervision queue (督导): the `supervise` notification and the item's
/// state now.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct QueueRow {
    pub id: i64,
    pub item_type: String,
    pub item_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    pub deadline: String,
    pub day: String,
    pub state: String,
    pub notices: i64,
}

#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub item_type: Option<String>,
    /// Only items still open.
    pub open_only: bool,
    /// Only items that no supervision notice covers yet.
    pub without_notice: bool,
    pub limit: i64,
    pub offset: i64,
}

/// The supervision queue of the orgs under `queue_paths` (the queue of an org holds the
/// items it issued that reached the `supervise` stage).
pub async fn queue(
    c: &mut Conn,
    queue_paths: &[String],
    f: &QueueFilter,
) -> Result<(Vec<QueueRow>, i64)> {
    if queue_paths.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let state = "COALESCE(CASE n.item_type WHEN 'task' THEN (SELECT t.state FROM tasks t WHERE t.id = n.item_id) \
         WHEN 'measure' THEN (SELECT m.state FROM measures m WHERE m.id = n.item_id) \
         ELSE (SELECT s.state FROM supervision_notices s WHERE s.id = n.item_id) END, '')";
    let notices = "(SELECT COUNT(*) FROM supervision_notice_items i WHERE i.item_type = n.item_type AND i.item_id = n.item_id)";
    let build = |select: &str| {
        let mut s = Sql::new(&format!(
            "SELECT {select} FROM notifications n JOIN orgs o ON o.id = n.org_id WHERE n.stage = 'supervise' AND ("
        ));
        for (i, p) in queue_paths.iter().enumerate() {
            if i > 0 {
                s.push(" OR ");
            }
            s.push("(n.recipient_org_path >= ")
                .bind(p.as_str())
                .push(" AND n.recipient_org_path < ")
                .bind(crate::sql::upper(p))
                .push(")");
        }
        s.push(")");
        if let Some(t) = &f.item_type {
            s.push(" AND n.item_type = ").bind(t.as_str());
        }
        if f.open_only {
            s.push(&format!(
                " AND {state} NOT IN ('done', 'answered', 'closed')"
            ));
        }
        if f.without_notice {
            s.push(&format!(" AND {notices} = 0"));
        }
        s
    };
    let mut s = build(&format!(
        "n.id, n.item_type, n.item_id, n.org_id, o.name AS org_name, n.title, n.deadline, n.day, {state} AS state, {notices} AS notices"
    ));
    s.push(" ORDER BY n.deadline, n.id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = s.query_as().fetch_all(&mut *c).await?;
    let (total,): (i64,) = build("COUNT(*)").query_as().fetch_one(&mut *c).await?;
    Ok((rows, total))
}

// --- email and webhook deliveries ---

pub async fn enqueue_delivery(
    c: &mut Conn,
    notification_id: i64,
    channel: &str,
    target: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO deliveries (notification_id, channel, target, state, attempts, next_at) \
         VALUES ($1, $2, $3, 'pending', 0, $4) ON CONFLICT (notification_id, channel, target) DO NOTHING",
    )
    .bind(notification_id)
    .bind(channel)
    .bind(target)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct DeliveryRow {
    pub id: i64,
    pub notification_id: i64,
    pub channel: String,
    pub target: String,
    pub state: String,
    pub attempts: i64,
    pub next_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
    pub title: String,
    pub stage: String,
    pub item_type: String,
    pub item_id: i64,
    pub deadline: String,
    pub org_name: String,
}

/// Pending deliveries whose time has come.
pub async fn deliveries_due(c: &mut Conn, now: i64, limit: i64) -> Result<Vec<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.notification_id, d.channel, d.target, d.state, d.attempts, d.next_at, d.last_error, d.sent_at, \
         n.title, n.stage, n.item_type, n.item_id, n.deadline, o.name AS org_name \
         FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN orgs o ON o.id = n.org_id \
         WHERE d.next_at <= $1 AND d.state = 'pending' ORDER BY d.next_at, d.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// Takes a delivery for one attempt: pushes `next_at` to `lease_until` so no other
/// engine picks it up meanwhile. False when another engine took it first.
pub async fn claim_delivery(c: &mut Conn, d: &DeliveryRow, lease_until: i64) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE deliveries SET next_at = $1, attempts = attempts + 1 \
         WHERE id = $2 AND state = 'pending' AND next_at = $3 AND attempts = $4",
    )
    .bind(lease_until)
    .bind(d.id)
    .bind(d.next_at)
    .bind(d.attempts)
    .execute(c)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records an attempt's outcome: sent, retry at `retry_at`, or given up (`retry_at`
/// None with an error).
pub async fn finish_delivery(
    c: &mut Conn,
    id: i64,
    now: i64,
    error: Option<&str>,
    retry_at: Option<i64>,
) -> Result<()> {
    let (state, next_at) = match (error, retry_at) {
        (None, _) => ("sent", now),
        (Some(_), Some(t)) => ("pending", t),
        (Some(_), None) => ("failed", now),
    };
    sqlx::query(
        "UPDATE deliveries SET state = $1, next_at = $2, last_error = $3, sent_at = $4 WHERE id = $5",
    )
    .bind(state)
    .bind(next_at)
    .bind(error)
    .bind(error.is_none().then_some(now))
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn deliveries_of(c: &mut Conn, notification_id: i64) -> Result<Vec<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.notification_id, d.channel, d.target, d.state, d.attempts, d.next_at, d.last_error, d.sent_at, \
         n.title, n.stage, n.item_type, n.item_id, n.deadline, o.name AS org_name \
         FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN orgs o ON o.id = n.org_id \
         WHERE d.notification_id = $1 ORDER BY d.id",
    )
    .bind(notification_id)
    .fetch_all(c)
    .await?)
}

/// Email targets of a notification's recipients: users linked to the person, or
/// holding an office role on the org, with an address and email switched on.
pub async fn email_targets(
    c: &mut Conn,
    person_id: Option<i64>,
    org_id: Option<i64>,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT u.email FROM users u WHERE u.disabled = 0 AND u.notify_email = 1 \
         AND u.email IS NOT NULL AND u.email <> '' AND (u.person_id = $1 OR u.id IN \
         (SELECT r.user_id FROM user_roles r WHERE r.org_id = $2 \
          AND r.role IN ('commission_office', 'unit_office', 'branch_secretary'))) ORDER BY u.email",
    )
    .bind(person_id.unwrap_or(-1))
    .bind(org_id.unwrap_or(-1))
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Whether a person's notifications go to the deployment webhook: unless every account
/// of theirs switched it off. Org-addressed notifications always do.
pub async fn webhook_wanted(c: &mut Conn, person_id: Option<i64>) -> Result<bool> {
    let Some(pid) = person_id else {
        return Ok(true);
    };
    let (off, all): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN notify_webhook = 0 THEN 1 ELSE 0 END), 0), COUNT(*) FROM users WHERE person_id = $1",
    )
    .bind(pid)
    .fetch_one(c)
    .await?;
    Ok(all == 0 || off < all)
}

// --- inbox and warning helpers for the pages (zeren-app `inbox`) ---

/// One notification, if `who` may read it.
pub async fn get_for(c: &mut Conn, who: &Recipient, id: i64) -> Result<Option<NotificationRow>> {
    let mut s = Sql::new(&format!(
        "SELECT {ROW_COLS} FROM notifications n JOIN orgs o ON o.id = n.org_id WHERE n.id = "
    ));
    s.bind(id);
    if !who.filter(&mut s) {
        return Ok(None);
    }
    Ok(s.query_as().fetch_optional(c).await?)
}

/// The problem of each measure in `ids`, as (measure id, problem id), so that a
/// notification about a measure can link to the page that shows it.
pub async fn measure_problems(c: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut s = Sql::new("SELECT id, problem_id FROM measures WHERE id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.bind(*id);
    }
    s.push(")");
    Ok(s.query_as().fetch_all(c).await?)
}

/// Open items of one kind ("task" or "problem") under `path` by warning colour:
/// (red: deadline before `today`, yellow: up to `yellow_until`, blue: up to
/// `blue_until`). Reads the (state, org_path, deadline) index only.
pub async fn warning_counts(
    c: &mut Conn,
    kind: &str,
    path: &str,
    today: &str,
    yellow_until: &str,
    blue_until: &str,
) -> Result<(i64, i64, i64)> {
    let (table, open) = match kind {
        "task" => (
            "tasks",
            "('not_started', 'in_progress', 'pending_review', 'returned')",
        ),
        _ => ("problems", "('open', 'pending_review')"),
    };
    let mut s = Sql::new("SELECT CAST(COALESCE(SUM(CASE WHEN deadline < ");
    s.bind(today)
        .push(" THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN deadline >= ")
        .bind(today)
        .push(" AND deadline <= ")
        .bind(yellow_until)
        .push(" THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN deadline > ")
        .bind(yellow_until)
        .push(&format!(
            " THEN 1 ELSE 0 END), 0) AS BIGINT) FROM {table} WHERE state IN {open} AND org_path >= "
        ))
        .bind(path)
        .push(" AND org_path < ")
        .bind(crate::sql::upper(path))
        .push(" AND deadline <= ")
        .bind(blue_until);
    Ok(s.query_as().fetch_one(c).await?)
}

/// Whether the job `name` already ran for `day`.
pub async fn job_ran(c: &mut Conn, name: &str, day: &str) -> Result<bool> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT name FROM job_runs WHERE name = $1 AND day = $2")
            .bind(name)
            .bind(day)
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}

/// Claims the job `name` for `day` inside the caller's transaction: false when another
/// run holds or held it.
pub async fn claim_job(c: &mut Conn, name: &str, day: &str, now: i64) -> Result<bool> {
    let row: Option<(String,)> = sqlx::query_as(
        "INSERT INTO job_runs (name, day, created_at) VALUES ($1, $2, $3) ON CONFLICT (name, day) DO NOTHING RETURNING name",
    )
    .bind(name)
    .bind(day)
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(row.is_some())
}
