//! Persistence for Zeren: one store API over SQLite and PostgreSQL.
//!
//! The backend is chosen at run time from the database URL (sqlx's `Any` driver), and
//! all SQL here is written once in the dialect both engines share: `$N` placeholders,
//! BIGINT ids, TEXT dates, unix-second instants. Where the engines differ (schema
//! DDL, pragmas, sequences) the difference stays inside this crate.

pub mod accountability;
pub mod activity;
pub mod assessment;
pub mod audit;
pub mod cadre;
pub mod cadre_work;
pub mod compliance;
pub mod counters;
pub mod discipline;
pub mod duty_report;
pub mod evidence;
pub mod history;
pub mod import;
pub mod inspection;
pub mod letter;
pub mod notification;
pub mod org;
pub mod person;
pub mod plan;
pub mod pressure;
pub mod problem;
pub mod recurring;
pub mod report;
pub mod risk;
pub mod roster;
pub mod sql;
pub mod supervision;
pub mod tally;
pub mod task;
pub mod user;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Transaction};
use tokio_mutex::Mutex;

pub use sql::{Scope, Sql, Val};

/// Re-exported so callers can name connection types without depending on sqlx.
pub type Conn = AnyConnection;
pub type Tx = Transaction<'static, sqlx::Any>;

mod tokio_mutex {
    pub use tokio::sync::Mutex;
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库地址无效：{0}")]
    BadUrl(String),
    #[error("数据库错误：{0}")]
    Db(#[from] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("记录不存在")]
    NotFound,
    #[error("记录已被他人修改，请刷新后重试")]
    Conflict,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Parses and checks a database URL. Only `sqlite:` and `postgres:`/`postgresql:` are
/// accepted, and a URL that does not parse is refused rather than guessed at.
pub fn backend_of(url: &str) -> Result<Backend> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        if rest.trim_start_matches('/').is_empty() && !rest.contains(":memory:") {
            return Err(StoreError::BadUrl(
                "SQLite 地址缺少文件路径，例如 sqlite:///var/lib/zeren/zeren.db".into(),
            ));
        }
        return Ok(Backend::Sqlite);
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let parsed = url::Url::parse(url).map_err(|e| {
            StoreError::BadUrl(format!(
                "PostgreSQL 地址无法解析（{e}），格式应为 postgres://用户@主机:端口/数据库"
            ))
        })?;
        if parsed.host_str().unwrap_or("").is_empty() {
            return Err(StoreError::BadUrl("PostgreSQL 地址缺少主机名".into()));
        }
        if parsed.path().trim_start_matches('/').is_empty() {
            return Err(StoreError::BadUrl("PostgreSQL 地址缺少数据库名".into()));
        }
        return Ok(Backend::Postgres);
    }
    Err(StoreError::BadUrl(format!(
        "不支持的数据库地址“{}”：应以 sqlite: 或 postgres:// 开头",
        redact(url)
    )))
}

/// A URL safe to print: the password, if any, replaced by `***`.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.split('?').next().unwrap_or("").to_string(),
    }
}

/// Copies committed WAL pages into the SQLite database file, off the request path.
///
/// SQLite's automatic checkpoint runs inside the COMMIT of whichever connection
/// pushes the WAL past 1,000 pages, so the user whose save crossed the line waited for
/// the copy — after a 100,000-row import, 1.4 s of a 7.4 s import went to copying and
/// syncing pages the commit had already made durable in the WAL. Connections therefore
/// run with `wal_autocheckpoint=0`, and this task does a PASSIVE checkpoint (it never
/// blocks readers or the writer) at most once a second after commits, and every 30 s
/// regardless (writes made outside `WriteTx`). A commit is durable once the WAL is
/// synced (`synchronous=FULL`), so a crash before a checkpoint loses nothing: the next
/// open replays the WAL. The task ends when the pool is closed.
async fn checkpointer(pool: AnyPool, wal_written: std::sync::Weak<tokio::sync::Notify>) {
    let mut quiet_seconds = 0u32;
    loop {
        // the store holds the only strong reference: once every clone of it is
        // dropped, the task ends within a second
        let Some(signal) = wal_written.upgrade() else {
            return;
        };
        let woke = tokio::time::timeout(Duration::from_secs(1), signal.notified())
            .await
            .is_ok();
        drop(signal);
        quiet_seconds = if woke { 0 } else { quiet_seconds + 1 };
        if !woke && !quiet_seconds.is_multiple_of(30) {
            continue;
        }
        if pool.is_closed() {
            return;
        }
        if let Err(e) = pool.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
            if pool.is_closed() {
                return;
            }
            tracing::warn!("WAL checkpoint failed: {e}");
        }
        // commits during the next second are copied by the next round
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time; taking this lock before `BEGIN` queues writers
    /// in the application instead of failing them with SQLITE_BUSY when a deferred
    /// transaction tries to upgrade. PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// SQLite: wakes the checkpointer after a commit (see `checkpointer`).
    wal_written: Option<Arc<tokio::sync::Notify>>,
    /// SQLite: a connection of its own that never writes, asked for `PRAGMA
    /// data_version` (see `data_version`), and how many times it was (re)opened.
    watcher: Option<Arc<Mutex<Watcher>>>,
}

/// The data-version connection and its epoch (times opened).
type Watcher = (u64, Option<sqlx::AnyConnection>);

pub struct WriteTx {
    pub tx: Tx,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
    wal_written: Option<Arc<tokio::sync::Notify>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        if let Some(n) = &self.wal_written {
            n.notify_one();
        }
        Ok(())
    }
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl Store {
    /// Connects, applies pragmas (SQLite) and runs the embedded migrations.
    pub async fn open(url: &str, max_connections: u32) -> Result<Store> {
        let backend = backend_of(url)?;
        sqlx::any::install_default_drivers();
        let opts = AnyConnectOptions::from_str(&with_create_mode(url, backend))
            .map_err(|e| StoreError::BadUrl(e.to_string()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL sync makes every
                        // answered commit survive a crash; foreign keys are off by default.
                        // Reads map the file (up to SQLite's own 2 GB ceiling; a province
                        // is 1.7 GB) instead of copying each page out of the OS cache: a
                        // 100,000-row export spent a third of its system time in pread.
                        conn.execute(
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                             PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; \
                             PRAGMA temp_store=MEMORY; PRAGMA mmap_size=2147418112; \
                             PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=0;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        let sqlite = backend == Backend::Sqlite;
        let wal_written = sqlite.then(|| Arc::new(tokio::sync::Notify::new()));
        if let Some(n) = &wal_written {
            tokio::spawn(checkpointer(pool.clone(), Arc::downgrade(n)));
        }
        let store = Store {
            pool,
            backend,
            write_lock: sqlite.then(|| Arc::new(Mutex::new(()))),
            wal_written,
            watcher: sqlite.then(|| Arc::new(Mutex::new((0, None)))),
        };
        store.migrate().await?;
        let mut c = store.pool.acquire().await?;
        counters::ensure(&mut c).await?;
        drop(c);
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Starts a write transaction. Everything a use case writes goes through one, so a
    /// failure or a crash leaves nothing half-written.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        // BEGIN IMMEDIATE takes SQLite's write lock up front, so a second process on the
        // same file (another server, `zeren jobs run-once`) waits out the busy timeout
        // instead of failing when a read-then-write transaction tries to upgrade.
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx {
            tx,
            _guard: guard,
            wal_written: self.wal_written.clone(),
        })
    }

    /// A token that changes whenever something is committed to the database, by this
    /// process or another (`zeren import`, a second server): caches of figures derived
    /// from many records keep it and compare. SQLite: `PRAGMA data_version` on a
    /// connection of its own that never writes, so every commit is another
    /// connection's and moves it. PostgreSQL: the current snapshot (`xmin:xmax:xip`),
    /// which changes when any transaction of the cluster that took a transaction id
    /// ends — every commit that wrote, also in other databases of the cluster, so it
    /// errs towards "changed", never towards stale. (The WAL position would also move
    /// with checkpoints and vacuum; `xmax` alone would miss a transaction that began
    /// before the last one to end.)
    pub async fn data_version(&self) -> Result<String> {
        let Some(watcher) = &self.watcher else {
            let (v,): (String,) = sqlx::query_as("SELECT CAST(txid_current_snapshot() AS TEXT)")
                .fetch_one(&self.pool)
                .await?;
            return Ok(v);
        };
        let mut guard = watcher.lock().await;
        let (epoch, slot) = &mut *guard;
        if slot.is_none() {
            // a reopened connection counts from its own start: the epoch keeps its
            // values apart from the old one's
            *slot = Some(self.pool.acquire().await?.detach());
            *epoch += 1;
        }
        let Some(conn) = slot.as_mut() else {
            return Err(StoreError::NotFound);
        };
        match sqlx::query_as::<_, (i64,)>("PRAGMA data_version")
            .fetch_one(conn)
            .await
        {
            Ok((v,)) => Ok(format!("{epoch}:{v}")),
            Err(e) => {
                *slot = None;
                Err(e.into())
            }
        }
    }

    pub async fn ping(&self) -> Result<()> {
        let mut c = self.pool.acquire().await?;
        c.ping().await?;
        Ok(())
    }

    /// Updates the planner's statistics; worth running after a bulk load.
    pub async fn analyze(&self) -> Result<()> {
        self.pool.execute("ANALYZE").await?;
        Ok(())
    }

    /// After rows were inserted with explicit ids, moves PostgreSQL's identity
    /// sequences past them (SQLite needs nothing: it uses max(rowid)+1).
    pub async fn sync_sequences(&self) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        for t in [
            "orgs",
            "people",
            "positions",
            "users",
            "user_roles",
            "login_attempts",
            "plans",
            "tasks",
            "task_reports",
            "problems",
            "measures",
            "evidence",
            "history",
            "audit_events",
            "notifications",
            "deliveries",
            "supervision_notices",
            "accountability",
            "activities",
            "member_transfers",
            "dues_payments",
        ] {
            let q = format!(
                "SELECT setval(pg_get_serial_sequence('{t}','id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
            );
            self.pool.execute(q.as_str()).await?;
        }
        Ok(())
    }

    /// Consistent copy of a SQLite database while it is in use.
    pub async fn backup_to(&self, path: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::BadUrl(
                "PostgreSQL 请使用 pg_dump 备份（见 README）".into(),
            ));
        }
        let mut c = self.pool.acquire().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string())
            .execute(&mut *c)
            .await?;
        Ok(())
    }

    /// `PRAGMA integrity_check` (SQLite) — returns "ok" when the file is sound.
    pub async fn integrity_check(&self) -> Result<String> {
        if self.backend != Backend::Sqlite {
            return Ok("ok".into());
        }
        let mut c = self.pool.acquire().await?;
        let (r,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&mut *c)
            .await?;
        Ok(r)
    }

    pub async fn close(&self) {
        if let Some(w) = &self.watcher {
            if let Some(c) = w.lock().await.1.take() {
                let _ = sqlx::Connection::close(c).await;
            }
        }
        self.pool.close().await;
    }
}

fn with_create_mode(url: &str, backend: Backend) -> String {
    if backend == Backend::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
        if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        }
    } else {
        url.to_string()
    }
}

/// Maps "no row" to `StoreError::NotFound`.
pub(crate) fn found<T>(r: Option<T>) -> Result<T> {
    r.ok_or(StoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_not_guessed() {
        assert_eq!(backend_of("sqlite:///tmp/z.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("sqlite::memory:").unwrap(), Backend::Sqlite);
        assert_eq!(
            backend_of("postgres://u@localhost/zeren").unwrap(),
            Backend::Postgres
        );
        assert!(
            backend_of("postgres://localhost").is_err(),
            "no database name"
        );
        assert!(backend_of("mysql://x@y/z").is_err());
        assert!(backend_of("/tmp/zeren.db").is_err());
        assert!(backend_of("sqlite:").is_err());
    }

    #[test]
    fn passwords_never_print() {
        let r = redact("postgres://zeren:s3cret@db/zeren");
        assert!(!r.contains("s3cret"));
        assert!(r.contains("***"));
    }
}
