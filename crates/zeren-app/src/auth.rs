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
use crate::crypto::{self, CryptoProvider};
use crate::{Actor, App, AppError, AppResult};

/// The column of an enrolled account's TOTP secret, the associated data of its sealed
/// value (a secret copied into another column does not open there).
pub const TOTP_FIELD: &str = "users.totp_secret";
/// The secret offered to a session during enrolment, sealed the same way.
const TOTP_PENDING_FIELD: &str = "sessions.totp_pending";

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

/// Password rules. The defaults meet GB/T 22239-2019 level 3 (8.1.4.1 a: complexity
/// and periodic change): at least 10 characters of 3 of the 4 classes, none of the
/// last 5 passwords again, a change every 90 days.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordPolicy {
    /// Fewest characters.
    pub min_len: usize,
    /// Fewest of the four classes (upper case, lower case, digit, symbol).
    pub min_classes: usize,
    /// Earlier passwords a new one may not repeat (the current one always counts).
    pub history: usize,
    /// Days after which a password must be changed at login; 0: never.
    pub max_age_days: i64,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_len: 10,
            min_classes: 3,
            history: 5,
            max_age_days: 90,
        }
    }
}

impl PasswordPolicy {
    /// The first rule `pw` breaks, in words for the user.
    pub fn check(&self, pw: &str, username: &str) -> Result<(), String> {
        if pw.chars().count() < self.min_len {
            return Err(format!("密码至少{}位", self.min_len));
        }
        let classes = [
            pw.chars().any(|c| c.is_ascii_lowercase()),
            pw.chars().any(|c| c.is_ascii_uppercase()),
            pw.chars().any(|c| c.is_ascii_digit()),
            pw.chars().any(|c| !c.is_ascii_alphanumeric()),
        ];
        if classes.iter().filter(|x| **x).count() < self.min_classes {
            return Err(format!(
                "密码须包含大写字母、小写字母、数字、符号中的至少{}类",
                self.min_classes
            ));
        }
        let user = username.trim().to_lowercase();
        if user.len() >= 3 && pw.to_lowercase().contains(&user) {
            return Err("密码不能包含用户名".into());
        }
        Ok(())
    }

    /// Whether a password set at `changed_at` must be changed now (0: set by the
    /// security administrator, to be changed at first login).
    pub fn expired(&self, changed_at: i64, now: i64) -> bool {
        changed_at == 0 || (self.max_age_days > 0 && now - changed_at > self.max_age_days * 86_400)
    }
}

/// Authentication settings: passwords, session lifetimes, the second factor.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityPolicy {
    pub password: PasswordPolicy,
    /// A session ends this long after login however busy it is (besides the idle
    /// timeout, `AppConfig::session_idle_secs`).
    pub session_max_secs: i64,
    /// A login waiting for its second factor, enrolment or password change is
    /// dropped after this long.
    pub pending_secs: i64,
    /// Whether the roles that need two-factor login (administrators, discipline, 组织部门)
    /// must use it. Off only for a trial without authenticator apps.
    pub totp_required: bool,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        SecurityPolicy {
            password: PasswordPolicy::default(),
            session_max_secs: 12 * 3600,
            pending_secs: 5 * 60,
            totp_required: true,
        }
    }
}

/// Rules a new password must meet (the default policy; accounts use the deployment's).
pub fn check_password_strength(pw: &str) -> Result<(), String> {
    PasswordPolicy::default().check(pw, "")
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

/// The step a login still has to take before its session opens anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStage {
    /// Logged in.
    Done,
    /// Enter the TOTP code.
    Totp,
    /// Enrol an authenticator (first login of an account that needs two factors).
    Enrol,
    /// Change the password (expired, or set by the security administrator).
    Password,
}

impl LoginStage {
    pub fn as_str(self) -> &'static str {
        match self {
            LoginStage::Done => "ok",
            LoginStage::Totp => "totp",
            LoginStage::Enrol => "enrol",
            LoginStage::Password => "password",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            LoginStage::Done,
            LoginStage::Totp,
            LoginStage::Enrol,
            LoginStage::Password,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    /// Where the pages send a session in this stage.
    pub fn page(self) -> &'static str {
        match self {
            LoginStage::Done => "/",
            LoginStage::Totp => "/login/totp",
            LoginStage::Enrol => "/login/enrol",
            LoginStage::Password => "/login/password",
        }
    }
}

pub struct LoggedIn {
    pub token: String,
    pub csrf: String,
    pub user_id: i64,
    pub stage: LoginStage,
}

/// What an enrolling user types into an authenticator app.
pub struct Enrolment {
    /// The secret in base32, grouped by four for typing.
    pub secret: String,
    pub uri: String,
}

/// Issuer shown in authenticator apps.
const ISSUER: &str = "Zeren";

impl App {
    /// Whether an account must log in with a second factor: it holds a role that
    /// needs one (administrators, discipline, 组织部门), or it enrolled of its own accord.
    async fn needs_totp(&self, c: &mut zeren_store::Conn, user_id: i64) -> AppResult<bool> {
        if !self.cfg.security.totp_required {
            return Ok(false);
        }
        Ok(user::roles(c, user_id)
            .await?
            .iter()
            .filter_map(|r| Role::parse(&r.role))
            .any(Role::requires_two_factor))
    }

    /// Records a failed login step: the attempt (it counts towards lockout) and the
    /// audit event.
    async fn login_failed(
        &self,
        username: &str,
        user_id: Option<i64>,
        locked: bool,
        source: &str,
        why: &str,
    ) -> AppResult<AppError> {
        let mut tx = self.store.begin_write().await?;
        user::record_attempt(tx.conn(), username, self.cfg.clock.now(), false, source).await?;
        let action = if locked {
            AuditAction::LoginLocked
        } else {
            AuditAction::LoginFailed
        };
        audit::record(
            tx.conn(),
            user_id,
            username,
            source,
            Event::ok(action, "user", username, "").detail(why).failed(),
        )
        .await?;
        tx.commit().await?;
        Ok(AppError::BadCredentials)
    }

    /// Checks the password (and lockout) and returns the account.
    async fn check_password(
        &self,
        username: &str,
        password: &str,
        source: &str,
    ) -> AppResult<zeren_store::user::UserRow> {
        let now = self.cfg.clock.now();
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
        match u {
            Some(u) if ok && !locked => Ok(u),
            u => Err(self
                .login_failed(username, u.map(|u| u.id), locked, source, "密码错误")
                .await?),
        }
    }

    /// Logs in from the login page. A locked account answers exactly like a wrong
    /// password, so lockout does not reveal which accounts exist. When the account
    /// needs a second factor, enrolment or a new password, the session opened is in
    /// that stage and opens nothing else; the attempt counts as a success (resetting
    /// the failure count) only when the last stage is passed, so the second factor
    /// cannot be guessed by re-entering the password between guesses.
    pub async fn login(&self, username: &str, password: &str, source: &str) -> AppResult<LoggedIn> {
        let username = username.trim();
        let u = self.check_password(username, password, source).await?;
        let mut c = self.store.conn().await?;
        let sec = user::security(&mut c, u.id).await?;
        let stage = if sec.totp_secret.is_some() {
            LoginStage::Totp
        } else if self.needs_totp(&mut c, u.id).await? {
            LoginStage::Enrol
        } else if self
            .cfg
            .security
            .password
            .expired(sec.password_changed_at, self.cfg.clock.now())
        {
            LoginStage::Password
        } else {
            LoginStage::Done
        };
        drop(c);
        self.open_session(u.id, username, source, stage).await
    }

    /// Logs in through the API: the TOTP code, when the account has one, comes with
    /// the password, and a wrong or missing code answers like a wrong password. An
    /// account that still has to enrol or change its password is sent to the pages.
    pub async fn login_api(
        &self,
        username: &str,
        password: &str,
        totp: Option<&str>,
        source: &str,
    ) -> AppResult<LoggedIn> {
        let username = username.trim();
        let u = self.check_password(username, password, source).await?;
        let now = self.cfg.clock.now();
        let mut c = self.store.conn().await?;
        let sec = user::security(&mut c, u.id).await?;
        let needs = self.needs_totp(&mut c, u.id).await?;
        drop(c);
        if let Some(secret) = &sec.totp_secret {
            let step = self
                .totp_key(secret)
                .and_then(|k| crate::totp::verify(&k, totp.unwrap_or(""), now, sec.totp_last_step));
            let taken = match step {
                Some(s) => {
                    let mut tx = self.store.begin_write().await?;
                    let t = user::take_totp_step(tx.conn(), u.id, s).await?;
                    tx.commit().await?;
                    t
                }
                None => false,
            };
            if !taken {
                return Err(self
                    .login_failed(username, Some(u.id), false, source, "动态口令错误")
                    .await?);
            }
        } else if needs {
            return Err(AppError::Forbidden(
                "该账号须使用动态口令登录，请先在网页登录并绑定动态口令".into(),
            ));
        }
        if self
            .cfg
            .security
            .password
            .expired(sec.password_changed_at, now)
        {
            return Err(AppError::Forbidden(
                "密码已过期或由管理员重置，请先在网页登录并修改密码".into(),
            ));
        }
        self.open_session(u.id, username, source, LoginStage::Done)
            .await
    }

    async fn open_session(
        &self,
        user_id: i64,
        username: &str,
        source: &str,
        stage: LoginStage,
    ) -> AppResult<LoggedIn> {
        let now = self.cfg.clock.now();
        let token = random_token();
        let csrf = random_token();
        let mut tx = self.store.begin_write().await?;
        user::insert_session(
            tx.conn(),
            &SessionRow {
                token_hash: token_hash(&token),
                user_id,
                csrf: csrf.clone(),
                created_at: now,
                last_seen_at: now,
                stage: stage.as_str().into(),
            },
        )
        .await?;
        if stage == LoginStage::Done {
            user::record_attempt(tx.conn(), username, now, true, source).await?;
            audit::record(
                tx.conn(),
                Some(user_id),
                username,
                source,
                Event::ok(AuditAction::LoginOk, "user", user_id, ""),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(LoggedIn {
            token,
            csrf,
            user_id,
            stage,
        })
    }

    /// A session in a login stage: its account and stage. Expired or unknown
    /// sessions are `Unauthenticated`.
    pub async fn pending(
        &self,
        token: &str,
    ) -> AppResult<(zeren_store::user::UserRow, LoginStage, String)> {
        let now = self.cfg.clock.now();
        let mut c = self.store.conn().await?;
        let s = user::session(&mut c, &token_hash(token))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let stage = LoginStage::parse(&s.stage).ok_or(AppError::Unauthenticated)?;
        if stage == LoginStage::Done || now - s.created_at > self.cfg.security.pending_secs {
            return Err(AppError::Unauthenticated);
        }
        let u = user::get(&mut c, s.user_id).await?;
        if u.disabled != 0 {
            return Err(AppError::Unauthenticated);
        }
        Ok((u, stage, s.csrf))
    }

    /// Moves a session on after a passed stage: to the password change if the
    /// password has expired, else logged in (attempt and audit recorded).
    async fn stage_passed(
        &self,
        tx: &mut zeren_store::WriteTx,
        token: &str,
        u: &zeren_store::user::UserRow,
        source: &str,
    ) -> AppResult<LoginStage> {
        let now = self.cfg.clock.now();
        let sec = user::security(tx.conn(), u.id).await?;
        let next = if self
            .cfg
            .security
            .password
            .expired(sec.password_changed_at, now)
        {
            LoginStage::Password
        } else {
            LoginStage::Done
        };
        user::set_session_stage(tx.conn(), &token_hash(token), next.as_str()).await?;
        if next == LoginStage::Done {
            user::record_attempt(tx.conn(), &u.username, now, true, source).await?;
            audit::record(
                tx.conn(),
                Some(u.id),
                &u.username,
                source,
                Event::ok(AuditAction::LoginOk, "user", u.id, ""),
            )
            .await?;
        }
        Ok(next)
    }

    /// The second step of a login: the TOTP code. A wrong code counts as a failed
    /// login (lockout); a locked account's pending session is ended.
    pub async fn login_totp(&self, token: &str, code: &str, source: &str) -> AppResult<LoginStage> {
        let (u, stage, _) = self.pending(token).await?;
        if stage != LoginStage::Totp {
            return Err(AppError::Forbidden("当前登录步骤不是动态口令验证".into()));
        }
        let now = self.cfg.clock.now();
        let mut c = self.store.conn().await?;
        let failures =
            user::recent_failures(&mut c, &u.username, now - self.cfg.lockout_window_secs).await?;
        let sec = user::security(&mut c, u.id).await?;
        drop(c);
        let locked = failures >= self.cfg.lockout_failures;
        let step = sec
            .totp_secret
            .as_deref()
            .and_then(|s| self.totp_key(s))
            .and_then(|k| crate::totp::verify(&k, code, now, sec.totp_last_step));
        let mut tx = self.store.begin_write().await?;
        let taken = match step {
            Some(s) if !locked => user::take_totp_step(tx.conn(), u.id, s).await?,
            _ => false,
        };
        if !taken {
            if locked {
                user::delete_session(tx.conn(), &token_hash(token)).await?;
            }
            tx.commit().await?;
            let e = self
                .login_failed(&u.username, Some(u.id), locked, source, "动态口令错误")
                .await?;
            return Err(if locked { AppError::Unauthenticated } else { e });
        }
        let next = self.stage_passed(&mut tx, token, &u, source).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The secret offered to a session that must enrol (the same one until it
    /// enrols or the session ends).
    pub async fn totp_enrolment(&self, token: &str) -> AppResult<Enrolment> {
        let (u, stage, _) = self.pending(token).await?;
        if stage != LoginStage::Enrol {
            return Err(AppError::Forbidden("当前登录步骤不是绑定动态口令".into()));
        }
        let th = token_hash(token);
        let mut tx = self.store.begin_write().await?;
        let secret = match self.pending_secret(tx.conn(), &th).await? {
            Some(s) => s,
            None => {
                let s = crate::totp::base32(&crate::totp::new_secret());
                let sealed = self.crypto().seal(TOTP_PENDING_FIELD, &s)?;
                user::set_session_totp_pending(tx.conn(), &th, &sealed).await?;
                s
            }
        };
        tx.commit().await?;
        let key = crate::totp::base32_decode(&secret).unwrap_or_default();
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).to_string())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Enrolment {
            secret: grouped,
            uri: crate::totp::otpauth_uri(ISSUER, &u.username, &key),
        })
    }

    /// Finishes enrolment with a code from the new authenticator.
    pub async fn totp_enrol(&self, token: &str, code: &str, source: &str) -> AppResult<LoginStage> {
        let (u, stage, _) = self.pending(token).await?;
        if stage != LoginStage::Enrol {
            return Err(AppError::Forbidden("当前登录步骤不是绑定动态口令".into()));
        }
        let now = self.cfg.clock.now();
        let th = token_hash(token);
        let mut tx = self.store.begin_write().await?;
        let secret = self
            .pending_secret(tx.conn(), &th)
            .await?
            .ok_or_else(|| crate::error::invalid("code", "请先获取密钥"))?;
        let step = crate::totp::base32_decode(&secret)
            .and_then(|k| crate::totp::verify(&k, code, now, 0))
            .ok_or_else(|| crate::error::invalid("code", "动态口令不正确，请核对手机时间后重试"))?;
        let sealed = self.crypto().seal(TOTP_FIELD, &secret)?;
        user::set_totp(tx.conn(), u.id, Some(&sealed), step).await?;
        audit::record(
            tx.conn(),
            Some(u.id),
            &u.username,
            source,
            Event::ok(AuditAction::TotpEnrol, "user", u.id, ""),
        )
        .await?;
        let next = self.stage_passed(&mut tx, token, &u, source).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Checks a new password against the policy and the account's history, for
    /// `user_id` (whose current hash counts as history).
    async fn check_new_password(
        &self,
        c: &mut zeren_store::Conn,
        u: &zeren_store::user::UserRow,
        new: &str,
    ) -> AppResult<()> {
        let p = &self.cfg.security.password;
        p.check(new, &u.username)
            .map_err(|m| crate::error::invalid("password", m))?;
        if p.history > 0 {
            let mut old = vec![u.password_hash.clone()];
            old.extend(user::password_history(c, u.id, p.history as i64 - 1).await?);
            if old.iter().any(|h| verify_password(new, h)) {
                return Err(crate::error::invalid(
                    "password",
                    format!("新密码不能与最近{}次使用过的密码相同", p.history),
                ));
            }
        }
        Ok(())
    }

    /// Sets a new password: keeps the old hash in the history, and the age.
    pub(crate) async fn store_password(
        &self,
        c: &mut zeren_store::Conn,
        u: &zeren_store::user::UserRow,
        new: &str,
        changed_at: i64,
    ) -> AppResult<()> {
        let hash = hash_password(new)?;
        user::push_password_history(c, u.id, &u.password_hash, self.cfg.clock.now()).await?;
        user::set_password_at(c, u.id, &hash, changed_at).await?;
        Ok(())
    }

    /// A user changes their own password (logged in, or at the password stage of a
    /// login). Other sessions of the account end.
    pub async fn change_password(
        &self,
        token: &str,
        old: &str,
        new: &str,
        source: &str,
    ) -> AppResult<LoginStage> {
        let now = self.cfg.clock.now();
        let th = token_hash(token);
        let mut c = self.store.conn().await?;
        let s = user::session(&mut c, &th)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let stage = LoginStage::parse(&s.stage).ok_or(AppError::Unauthenticated)?;
        if !matches!(stage, LoginStage::Done | LoginStage::Password) {
            return Err(AppError::Unauthenticated);
        }
        let u = user::get(&mut c, s.user_id).await?;
        drop(c);
        if stage == LoginStage::Password {
            self.pending(token).await?;
        } else {
            self.authenticate(token, source).await?;
        }
        if !verify_password(old, &u.password_hash) {
            return Err(crate::error::invalid("old_password", "原密码不正确"));
        }
        let mut c = self.store.conn().await?;
        self.check_new_password(&mut c, &u, new).await?;
        drop(c);
        let mut tx = self.store.begin_write().await?;
        self.store_password(tx.conn(), &u, new, now).await?;
        user::delete_other_sessions(tx.conn(), u.id, &th).await?;
        audit::record(
            tx.conn(),
            Some(u.id),
            &u.username,
            source,
            Event::ok(AuditAction::PasswordChange, "user", u.id, ""),
        )
        .await?;
        let next = if stage == LoginStage::Password {
            self.stage_passed(&mut tx, token, &u, source).await?
        } else {
            LoginStage::Done
        };
        tx.commit().await?;
        Ok(next)
    }

    /// Resolves a session token to its actor and CSRF token, extending the session.
    /// An idle session, or one older than the absolute lifetime, is deleted and
    /// refused.
    pub async fn authenticate(&self, token: &str, source: &str) -> AppResult<(Actor, String)> {
        let now = self.cfg.clock.now();
        let th = token_hash(token);
        let mut c = self.store.conn().await?;
        let s = user::session(&mut c, &th)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        // a login still in a stage (second factor, enrolment, password change) opens
        // nothing; the stage's own pages use `pending`
        if s.stage != LoginStage::Done.as_str() {
            return Err(AppError::Unauthenticated);
        }
        if now - s.last_seen_at > self.cfg.session_idle_secs
            || now - s.created_at > self.cfg.security.session_max_secs
        {
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

impl App {
    /// The key of a stored TOTP secret: sealed, or plain base32 as versions before
    /// sealing stored it (sealed at the next start by `seal_plain_totp_secrets`).
    /// A value that does not open is logged and matches no code.
    fn totp_key(&self, stored: &str) -> Option<Vec<u8>> {
        let plain = if crypto::is_sealed(stored) {
            match self.crypto().open(TOTP_FIELD, stored) {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!("动态口令密钥无法解密（数据密钥是否与数据库相符？）：{e}");
                    return None;
                }
            }
        } else {
            stored.to_string()
        };
        crate::totp::base32_decode(&plain)
    }

    /// The secret offered to a session that is enrolling; one sealed under a key
    /// since retired counts as none (a new one is offered).
    async fn pending_secret(
        &self,
        c: &mut zeren_store::Conn,
        token_hash: &str,
    ) -> AppResult<Option<String>> {
        Ok(match user::session_totp_pending(c, token_hash).await? {
            Some(v) if crypto::is_sealed(&v) => self.crypto().open(TOTP_PENDING_FIELD, &v).ok(),
            other => other,
        })
    }

    /// Seals the TOTP secrets an earlier version stored as plain base32, in one
    /// transaction; run at start. Returns how many were sealed.
    pub async fn seal_plain_totp_secrets(&self) -> AppResult<usize> {
        let mut c = self.store.conn().await?;
        if user::plain_totp_secrets(&mut c).await?.is_empty() {
            return Ok(0);
        }
        drop(c);
        let mut tx = self.store.begin_write().await?;
        let plain = user::plain_totp_secrets(tx.conn()).await?;
        let keys = self.crypto();
        for (id, secret) in &plain {
            let sealed = keys.seal(TOTP_FIELD, secret)?;
            zeren_store::discipline::set_sealed(tx.conn(), "users", "totp_secret", *id, &sealed)
                .await?;
        }
        tx.commit().await?;
        Ok(plain.len())
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

    #[test]
    fn password_policy_is_configurable_and_says_what_is_wrong() {
        let p = PasswordPolicy::default();
        assert_eq!(p.check("Ab1-", "x").unwrap_err(), "密码至少10位");
        assert_eq!(
            p.check("abcdefghijk1", "x").unwrap_err(),
            "密码须包含大写字母、小写字母、数字、符号中的至少3类"
        );
        assert_eq!(
            p.check("Unit1-Pass-2026", "unit1").unwrap_err(),
            "密码不能包含用户名"
        );
        assert!(p.check("Abcdefgh12", "unit1").is_ok());
        let strict = PasswordPolicy {
            min_len: 12,
            min_classes: 4,
            ..p.clone()
        };
        assert!(strict.check("Abcdefgh12", "u").is_err());
        assert!(strict.check("Abcdefgh12-x", "u").is_ok());
        // level 3 floor: at least 8 characters of 3 classes by default
        assert!(p.min_len >= 8 && p.min_classes >= 3 && p.history >= 5);
        // age
        let now = 100 * 86_400;
        assert!(p.expired(0, now), "reset by the administrator");
        assert!(!p.expired(now - 90 * 86_400, now));
        assert!(p.expired(now - 91 * 86_400, now));
        let never = PasswordPolicy {
            max_age_days: 0,
            ..p
        };
        assert!(!never.expired(1, now));
    }
}
