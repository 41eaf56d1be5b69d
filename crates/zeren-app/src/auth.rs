//! Passwords (Argon2id), login with lockout, sessions with idle expiry.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeren_core::Role;
use zeren_store::user::{self, SessionRow};

use crate::audit::{self, AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult};

pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Io(format!("密码哈希失败：{e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Rules a new password must meet.
pub fn check_password_strength(pw: &str) -> Result<(), &'static str> {
    if pw.chars().count() < 10 {
        return Err("密码至少10位");
    }
    let classes = [
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("密码须包含大写字母、小写字母、数字、符号中的至少三类");
    }
    Ok(())
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A hash to verify against when the user does not exist, so that a wrong username
/// costs the same time as a wrong password.
fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2V4Hc8a3lxx9ajmJnrDpHtaR1D4aPw8N6dm6yV2e9GQ"
}

pub struct LoggedIn {
    pub token: String,
    pub csrf: String,
    pub user_id: i64,
}

impl App {
    /// Checks the password and opens a session. A locked account answers exactly like
    /// a wrong password, so lockout does not reveal which accounts exist.
    pub async fn login(&self, username: &str, password: &str, source: &str) -> AppResult<LoggedIn> {
        let now = clock::now();
        let username = username.trim();
        let mut c = self.store.conn().await?;
        let u = user::by_username(&mut c, username).await?;
        let failures =
            user::recent_failures(&mut c, username, now - self.cfg.lockout_window_secs).await?;
        drop(c);
        let locked = failures >= self.cfg.lockout_failures;
        let ok = match &u {
            Some(u) => verify_password(password, &u.password_hash) && u.disabled == 0,
            None => {
                let _ = verify_password(password, dummy_hash());
                false
            }
        };
        let mut tx = self.store.begin_write().await?;
        if locked || !ok {
            user::record_attempt(tx.conn(), username, now, false, source).await?;
            let action = if locked {
                AuditAction::LoginLocked
            } else {
                AuditAction::LoginFailed
            };
            audit::record(
                tx.conn(),
                u.as_ref().map(|u| u.id),
                username,
                source,
                Event::ok(action, "user", username, "").failed(),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::BadCredentials);
        }
        let u = u.ok_or(AppError::BadCredentials)?;
        user::record_attempt(tx.conn(), username, now, true, source).await?;
        let token = random_token();
        let csrf = random_token();
        user::insert_session(
            tx.conn(),
            &SessionRow {
                token_hash: token_hash(&token),
                user_id: u.id,
                csrf: csrf.clone(),
                created_at: now,
                last_seen_at: now,
            },
        )
        .await?;
        audit::record(
            tx.conn(),
            Some(u.id),
            username,
            source,
            Event::ok(AuditAction::LoginOk, "user", u.id, ""),
        )
        .await?;
        tx.commit().await?;
        Ok(LoggedIn {
            token,
            csrf,
            user_id: u.id,
        })
    }

    /// Resolves a session token to its actor and CSRF token, extending the session.
    /// An idle session is deleted and refused.
    pub async fn authenticate(&self, token: &str, source: &str) -> AppResult<(Actor, String)> {
        let now = clock::now();
        let th = token_hash(token);
        let mut c = self.store.conn().await?;
        let s = user::session(&mut c, &th)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if now - s.last_seen_at > self.cfg.session_idle_secs {
            drop(c);
            let mut tx = self.store.begin_write().await?;
            user::delete_session(tx.conn(), &th).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        let actor = self.actor_of(&mut c, s.user_id, source).await?;
        drop(c);
        // Touch at most once a minute: a read-heavy session should not turn every page
        // view into a write.
        if now - s.last_seen_at >= 60 {
            let mut tx = self.store.begin_write().await?;
            user::touch_session(tx.conn(), &th, now).await?;
            tx.commit().await?;
        }
        Ok((actor, s.csrf))
    }

    pub async fn actor_of(
        &self,
        c: &mut zeren_store::Conn,
        user_id: i64,
        source: &str,
    ) -> AppResult<Actor> {
        let u = user::get(c, user_id).await?;
        if u.disabled != 0 {
            return Err(AppError::Unauthenticated);
        }
        let roles = user::roles(c, user_id)
            .await?
            .into_iter()
            .filter_map(|r| Role::parse(&r.role).map(|role| (role, r)))
            .collect();
        Ok(Actor {
            user_id: u.id,
            username: u.username,
            display_name: u.display_name,
            person_id: u.person_id,
            roles,
            source: source.to_string(),
        })
    }

    pub async fn logout(&self, token: &str, actor: &Actor) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        user::delete_session(tx.conn(), &token_hash(token)).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::Logout, "user", actor.user_id, ""),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// The actor for a username, without a password: for the operator's own CLI tools
    /// (benchmarks), which already hold the database.
    pub async fn actor_by_username(&self, username: &str) -> AppResult<Actor> {
        let mut c = self.store.conn().await?;
        let u = user::by_username(&mut c, username)
            .await?
            .ok_or(AppError::NotFound)?;
        self.actor_of(&mut c, u.id, "cli").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("Zeren-2026!").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Zeren-2026!", &h));
        assert!(!verify_password("zeren-2026!", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(dummy_hash()).is_ok());
    }

    #[test]
    fn weak_passwords_refused() {
        assert!(check_password_strength("short1A!").is_err());
        assert!(check_password_strength("alllowercaseletters").is_err());
        assert!(check_password_strength("Zeren-2026-demo").is_ok());
    }
}
