//! Settings, layered: built-in defaults < TOML file < environment < command line.
//! The database URL may hold a password: it is only ever printed redacted.
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    session_idle_minutes: Option<i64>,
    lockout_failures: Option<i64>,
    lockout_window_minutes: Option<i64>,
    max_upload_mb: Option<usize>,
    /// Largest spreadsheet an import accepts (MB) and its most data rows.
    import_max_mb: Option<usize>,
    import_max_rows: Option<usize>,
    secure_cookies: Option<bool>,
    /// The data-key file (SM4 keys of confidential fields); default DATA/zeren.keys.
    key_file: Option<PathBuf>,
    reminders: Option<RemindersFile>,
    smtp: Option<SmtpFile>,
    security: Option<SecurityFile>,
    audit: Option<AuditFile>,
}

/// `[security]`: password rules, session lifetime, two-factor login.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecurityFile {
    password_min_length: Option<usize>,
    password_min_classes: Option<usize>,
    password_history: Option<usize>,
    /// 0: passwords never expire.
    password_max_age_days: Option<i64>,
    session_max_hours: Option<i64>,
    /// Two-factor login for administrators and the discipline role (default true).
    totp_required: Option<bool>,
}

/// `[audit]`: where checkpoints of the audit chain are written, and how often.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditFile {
    checkpoint_file: Option<PathBuf>,
    checkpoint_every: Option<i64>,
}

/// `[reminders]`: the ladder, the warning colours, the job interval and the webhook.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemindersFile {
    lead_days: Option<Vec<u16>>,
    leader_after_days: Option<u16>,
    supervise_after_days: Option<u16>,
    warning_blue_days: Option<i64>,
    warning_yellow_days: Option<i64>,
    interval_minutes: Option<u64>,
    webhook_url: Option<String>,
}

/// `[smtp]`: the mail relay for reminder emails (no section: no email).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: String,
    port: Option<u16>,
    security: Option<String>,
    username: Option<String>,
    password: Option<String>,
    from: String,
}

pub struct Settings {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub session_idle_minutes: i64,
    pub lockout_failures: i64,
    pub lockout_window_minutes: i64,
    pub max_upload_mb: usize,
    pub import_max_mb: usize,
    pub import_max_rows: usize,
    pub secure_cookies: bool,
    /// The data-key file; `None`: DATA/zeren.keys (or `ZEREN_DATA_KEYS`).
    pub key_file: Option<PathBuf>,
    pub reminders: zeren_app::reminder::ReminderConfig,
    /// Minutes between two runs of the reminder engine inside `serve`.
    pub jobs_interval_minutes: u64,
    pub security: zeren_app::auth::SecurityPolicy,
    pub audit_checkpoint_file: Option<PathBuf>,
    pub audit_checkpoint_every: i64,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &zeren_app::redact_url(&self.database_url))
            .field("reminders", &self.reminders)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// `data` and `database` come from flags or the environment (clap resolves those
    /// two layers); the file fills what they leave open.
    pub fn resolve(
        config: Option<&Path>,
        data: Option<PathBuf>,
        database: Option<String>,
    ) -> Result<Settings> {
        let file: File = match config {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("无法读取配置文件 {}", p.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("配置文件 {} 格式有误", p.display()))?
            }
            None => File::default(),
        };
        let data_dir = data
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = database
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("zeren.db").display()));
        let r = file.reminders.unwrap_or_default();
        let mut reminders = zeren_app::reminder::ReminderConfig::default();
        if let Some(lead) = r.lead_days {
            if lead.iter().any(|&d| d == 0 || d > 366) {
                anyhow::bail!("配置项 reminders.lead_days 应为1到366之间的天数");
            }
            reminders.policy.lead_days = lead;
        }
        if let Some(n) = r.leader_after_days {
            reminders.policy.leader_after = n;
        }
        if let Some(n) = r.supervise_after_days {
            reminders.policy.supervise_after = n;
        }
        if let Some(n) = r.warning_blue_days {
            reminders.warning.blue = n.max(0);
        }
        if let Some(n) = r.warning_yellow_days {
            reminders.warning.yellow = n.max(0);
        }
        if reminders.warning.yellow > reminders.warning.blue {
            anyhow::bail!("配置项 reminders.warning_yellow_days 不能大于 warning_blue_days");
        }
        reminders.webhook_url = std::env::var("ZEREN_WEBHOOK_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .or(r.webhook_url);
        if let Some(u) = &reminders.webhook_url {
            if url::Url::parse(u)
                .map(|x| !x.scheme().starts_with("http"))
                .unwrap_or(true)
            {
                anyhow::bail!("配置项 reminders.webhook_url 不是有效的 http(s) 地址");
            }
        }
        if let Some(m) = file.smtp {
            let security = m.security.unwrap_or_else(|| "none".into());
            if !["none", "starttls", "tls"].contains(&security.as_str()) {
                anyhow::bail!("配置项 smtp.security 应为 none、starttls 或 tls");
            }
            reminders.smtp = Some(zeren_app::delivery::SmtpConfig {
                port: m.port.unwrap_or(if security == "tls" { 465 } else { 25 }),
                host: m.host,
                security,
                username: m.username,
                password: std::env::var("ZEREN_SMTP_PASSWORD")
                    .ok()
                    .filter(|p| !p.is_empty())
                    .or(m.password),
                from: m.from,
            });
        }
        let sf = file.security.unwrap_or_default();
        let mut security = zeren_app::auth::SecurityPolicy::default();
        if let Some(n) = sf.password_min_length {
            if n < 8 {
                anyhow::bail!("配置项 security.password_min_length 不能小于8（等级保护三级要求）");
            }
            security.password.min_len = n;
        }
        if let Some(n) = sf.password_min_classes {
            if !(1..=4).contains(&n) {
                anyhow::bail!("配置项 security.password_min_classes 应为1到4");
            }
            security.password.min_classes = n;
        }
        if let Some(n) = sf.password_history {
            security.password.history = n.min(24);
        }
        if let Some(n) = sf.password_max_age_days {
            security.password.max_age_days = n.max(0);
        }
        if let Some(h) = sf.session_max_hours {
            security.session_max_secs = h.clamp(1, 24 * 7) * 3600;
        }
        if let Some(b) = sf.totp_required {
            security.totp_required = b;
        }
        let af = file.audit.unwrap_or_default();
        let s = Settings {
            listen: file.listen.unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            database_url,
            session_idle_minutes: file.session_idle_minutes.unwrap_or(30).max(1),
            lockout_failures: file.lockout_failures.unwrap_or(5).max(1),
            lockout_window_minutes: file.lockout_window_minutes.unwrap_or(15).max(1),
            max_upload_mb: file.max_upload_mb.unwrap_or(20).clamp(1, 1024),
            import_max_mb: file.import_max_mb.unwrap_or(30).clamp(1, 1024),
            import_max_rows: file.import_max_rows.unwrap_or(200_000).clamp(1, 10_000_000),
            secure_cookies: file.secure_cookies.unwrap_or(false),
            key_file: file.key_file,
            reminders,
            jobs_interval_minutes: r.interval_minutes.unwrap_or(10).clamp(1, 24 * 60),
            security,
            audit_checkpoint_file: af.checkpoint_file,
            audit_checkpoint_every: af.checkpoint_every.unwrap_or(1000).max(1),
        };
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_and_secrets_do_not_print() {
        let dir = std::env::temp_dir().join(format!("zeren-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("zeren.toml");
        std::fs::write(&p, "listen = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://z:secret@db/zeren\"\nsession_idle_minutes = 10\n").unwrap();
        let s = Settings::resolve(Some(&p), Some(dir.clone()), None).unwrap();
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.session_idle_minutes, 10);
        assert!(!format!("{s:?}").contains("secret"));
        let s = Settings::resolve(Some(&p), None, Some("sqlite:///x.db".into())).unwrap();
        assert_eq!(s.database_url, "sqlite:///x.db");
        std::fs::write(
            &p,
            "[reminders]\nlead_days = [5, 1]\nwebhook_url = \"http://robot.local/hook\"\n[smtp]\nhost = \"mail.local\"\nfrom = \"zeren@x.org\"\npassword = \"mailsecret\"\n",
        )
        .unwrap();
        let s = Settings::resolve(Some(&p), None, None).unwrap();
        assert_eq!(s.reminders.policy.lead_days, vec![5, 1]);
        assert_eq!(s.reminders.smtp.as_ref().map(|m| m.port), Some(25));
        assert!(!format!("{s:?}").contains("mailsecret"));
        std::fs::write(&p, "[reminders]\nlead_days = [0]\n").unwrap();
        assert!(Settings::resolve(Some(&p), None, None).is_err());
        std::fs::write(&p, "lissen = 1\n").unwrap();
        assert!(
            Settings::resolve(Some(&p), None, None).is_err(),
            "unknown keys are refused"
        );
    }
}
