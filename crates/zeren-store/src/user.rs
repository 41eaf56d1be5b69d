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
        "INSERT INTO users (username, display_name, password_hash, person_id, disabled, created_at)
         VALUES ($1,$2,$3,$4,0,$5) RETURNING id",
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
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at) VALUES ($1,$2,$3,$4,$5)")
        .bind(&s.token_hash)
        .bind(s.user_id)
        .bind(&s.csrf)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn session(c: &mut Conn, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as("SELECT token_hash, user_id, csrf, created_at, last_seen_at FROM sessions WHERE token_hash = $1")
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
