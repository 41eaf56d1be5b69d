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
    secure_cookies: Option<bool>,
}

pub struct Settings {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub session_idle_minutes: i64,
    pub lockout_failures: i64,
    pub lockout_window_minutes: i64,
    pub max_upload_mb: usize,
    pub secure_cookies: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &zeren_app::redact_url(&self.database_url))
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
        let s = Settings {
            listen: file.listen.unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            database_url,
            session_idle_minutes: file.session_idle_minutes.unwrap_or(30).max(1),
            lockout_failures: file.lockout_failures.unwrap_or(5).max(1),
            lockout_window_minutes: file.lockout_window_minutes.unwrap_or(15).max(1),
            max_upload_mb: file.max_upload_mb.unwrap_or(20).clamp(1, 1024),
            secure_cookies: file.secure_cookies.unwrap_or(false),
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
        std::fs::write(&p, "lissen = 1\n").unwrap();
        assert!(
            Settings::resolve(Some(&p), None, None).is_err(),
            "unknown keys are refused"
        );
    }
}
