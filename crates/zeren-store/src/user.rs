//! Accounts, their scoped roles, sessions and login attempts.
use serde::Serialize;
use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub person_id: Option<i64>,
    pub disabled: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct RoleRow {
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
}

#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// `ok`, or the step a login still has to take: `totp`, `enrol`, `password`.
    pub stage: String,
}

const COLS: &str = "id, username, display_name, password_hash, person_id, disabled, created_at";

pub async fn insert(
    c: &mut Conn,
    username: &str,
    display_name: &str,
    password_hash: &str,
    person_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, display_name, password_hash, person_id, disabled, created_at, password_changed_at)
         VALUES ($1,$2,$3,$4,0,$5,$5) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(person_id)
    .bind(now)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn by_username(c: &mut Conn, username: &str) -> Result<Option<UserRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLS} FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn get(c: &mut Conn, id: i64) -> Result<UserRow> {
    crate::found(
        sqlx::query_as(&format!("SELECT {COLS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn list(c: &mut Conn, offset: i64, limit: i64) -> Result<(Vec<UserRow>, i64)> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLS} FROM users ORDER BY id LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *c)
    .await?;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(c)
        .await?;
    Ok((rows, n))
}

pub async fn set_password(c: &mut Conn, id: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_disabled(c: &mut Conn, id: i64, disabled: bool) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(disabled as i64)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn roles(c: &mut Conn, user_id: i64) -> Result<Vec<RoleRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.user_id, r.role, r.org_id, o.path AS org_path, o.name AS org_name
         FROM user_roles r JOIN orgs o ON o.id = r.org_id WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn add_role(c: &mut Conn, user_id: i64, role: &str, org_id: i64) -> Result<()> {
    sqlx::query("INSERT INTO user_roles (user_id, role, org_id) VALUES ($1,$2,$3)")
        .bind(user_id)
        .bind(role)
        .bind(org_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn remove_role(c: &mut Conn, role_id: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM user_roles WHERE id = $1")
        .bind(role_id)
        .execute(c)
        .await?
        .rows_affected())
}

// --- sessions ---

pub async fn insert_session(c: &mut Conn, s: &SessionRow) -> Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, stage) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(&s.token_hash)
        .bind(s.user_id)
        .bind(&s.csrf)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(&s.stage)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn session(c: &mut Conn, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as("SELECT token_hash, user_id, csrf, created_at, last_seen_at, stage FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(c)
        .await?)
}

pub async fn touch_session(c: &mut Conn, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_session(c: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_sessions_of(c: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn purge_sessions(c: &mut Conn, idle_before: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1")
        .bind(idle_before)
        .execute(c)
        .await?
        .rows_affected())
}

// --- login attempts ---

pub async fn record_attempt(
    c: &mut Conn,
    username: &str,
    at: i64,
    success: bool,
    source: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO login_attempts (username, at, success, source) VALUES ($1,$2,$3,$4)")
        .bind(username)
        .bind(at)
        .bind(success as i64)
        .bind(source)
        .execute(c)
        .await?;
    Ok(())
}

/// Failures since the last success, within the window starting at `since`.
pub async fn recent_failures(c: &mut Conn, username: &str, since: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND at >= $2 AND success = 0
         AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE username = $1 AND success = 1), 0)",
    )
    .bind(username)
    .bind(since)
    .fetch_one(c)
    .await?;
    Ok(n)
}

/// A user's reminder channels.
#[derive(Debug, Clone, FromRow, Serialize, PartialEq)]
pub struct ChannelsRow {
    pub email: Option<String>,
    pub notify_email: i64,
    pub notify_webhook: i64,
}

pub async fn channels(c: &mut Conn, user_id: i64) -> Result<ChannelsRow> {
    crate::found(
        sqlx::query_as("SELECT email, notify_email, notify_webhook FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn set_channels(c: &mut Conn, user_id: i64, ch: &ChannelsRow) -> Result<()> {
    sqlx::query(
        "UPDATE users SET email = $1, notify_email = $2, notify_webhook = $3 WHERE id = $4",
    )
    .bind(&ch.email)
    .bind(ch.notify_email)
    .bind(ch.notify_webhook)
    .bind(user_id)
    .execute(c)
    .await?;
    Ok(())
}

// --- password age and history, second factor, session stages ---

/// What the authentication rules need of an account besides its password hash.
#[derive(Debug, Clone, FromRow, PartialEq)]
pub struct UserSecurity {
    pub password_changed_at: i64,
    /// Base32 TOTP secret; `None` until the account enrols.
    pub totp_secret: Option<String>,
    /// The last TOTP step accepted (a code is good once).
    pub totp_last_step: i64,
}

pub async fn security(c: &mut Conn, user_id: i64) -> Result<UserSecurity> {
    crate::found(
        sqlx::query_as(
            "SELECT password_changed_at, totp_secret, totp_last_step FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(c)
        .await?,
    )
}

/// Sets the password hash and its age (`changed_at` 0: must be changed at next login).
pub async fn set_password_at(c: &mut Conn, id: i64, hash: &str, changed_at: i64) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(changed_at)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn push_password_history(c: &mut Conn, user_id: i64, hash: &str, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, changed_at) VALUES ($1,$2,$3)",
    )
    .bind(user_id)
    .bind(hash)
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

/// The `n` most recent earlier password hashes of an account, newest first.
pub async fn password_history(c: &mut Conn, user_id: i64, n: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(n)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// TOTP secrets stored as plain base32 (before they were sealed): (user id, secret).
pub async fn plain_totp_secrets(c: &mut Conn) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL \
         AND totp_secret NOT LIKE 'sm4gcm$%' ORDER BY id",
    )
    .fetch_all(c)
    .await?)
}

pub async fn set_totp(
    c: &mut Conn,
    user_id: i64,
    secret: Option<&str>,
    last_step: i64,
) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
        .bind(secret)
        .bind(last_step)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Takes a TOTP step for an account if it is later than the last one taken; false
/// when another login used this step (or a later one) first.
pub async fn take_totp_step(c: &mut Conn, user_id: i64, step: i64) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user_id)
            .execute(c)
            .await?
            .rows_affected()
            == 1,
    )
}

pub async fn set_session_stage(c: &mut Conn, token_hash: &str, stage: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET stage = $1, totp_pending = NULL WHERE token_hash = $2")
        .bind(stage)
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// The secret offered to a session enrolling its second factor.
pub async fn session_totp_pending(c: &mut Conn, token_hash: &str) -> Result<Option<String>> {
    let r: Option<(Option<String>,)> =
        sqlx::query_as("SELECT totp_pending FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(c)
            .await?;
    Ok(r.and_then(|x| x.0))
}

pub async fn set_session_totp_pending(c: &mut Conn, token_hash: &str, secret: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET totp_pending = $1 WHERE token_hash = $2")
        .bind(secret)
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// Ends every session of an account but one (after a password change).
pub async fn delete_other_sessions(c: &mut Conn, user_id: i64, keep: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(c)
        .await?;
    Ok(())
}

/// Takes the account's row lock for the rest of the transaction (PostgreSQL; SQLite
/// write transactions are serialised already), so two role changes of one account
/// cannot both pass the 三员分立 check.
pub async fn lock(c: &mut Conn, user_id: i64) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = disabled WHERE id = $1")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}
