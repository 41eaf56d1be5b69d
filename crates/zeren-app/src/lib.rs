//! Zeren's use cases. Every read and write of business data goes through `App`:
//! authorization (scope and permission), validation, the transaction, the record's
//! history and the audit event live here, so the pages, the JSON API and the CLI
//! cannot drift apart.

pub mod accountability;
pub mod activity;
pub mod actor;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod cadre_work;
pub mod channel;
pub mod clock;
pub mod compliance;
pub mod crypto;
pub mod dashboard;
pub mod delivery;
pub mod documents;
pub mod duty_report;
pub mod error;
pub mod evidence;
pub mod export;
pub mod four_forms;
pub mod import;
pub mod inbox;
pub mod inspection;
pub mod letter;
pub mod notice;
pub mod org;
pub mod person;
pub mod personal_matters;
pub mod petition;
pub mod plan;
pub mod pressure;
pub mod problem;
pub mod promotion;
pub mod reader;
pub mod recurring;
pub mod reminder;
pub mod report;
pub mod risk_points;
pub mod roster;
pub mod rules;
pub mod task;
pub mod totp;
pub mod user;

use std::path::PathBuf;

/// Work that holds several pool connections at once (compliance over a tree, the
/// annual report's counts) runs one at a time: two such calls each holding part of
/// the pool while waiting for the rest could otherwise starve each other.
pub(crate) static WIDE_READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

pub use actor::Actor;
pub use error::{AppError, AppResult};
pub use zeren_store::{Scope, Store};

#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Where the SQLite file (by default) and the evidence files live.
    pub data_dir: PathBuf,
    /// Largest evidence file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// A session unused for this long is over.
    pub session_idle_secs: i64,
    /// Failed logins within `lockout_window_secs` that lock an account.
    pub lockout_failures: i64,
    pub lockout_window_secs: i64,
    /// Reminder ladder, warning colours and delivery channels.
    pub reminders: reminder::ReminderConfig,
    /// Largest spreadsheet an import accepts, in bytes.
    pub import_max_bytes: usize,
    /// Most data rows an import accepts.
    pub import_max_rows: usize,
    /// The clock of the authentication rules (tests move it).
    pub clock: clock::Clock,
    /// The audit log's checkpoint file, kept outside the database.
    pub audit_checkpoint_file: PathBuf,
    /// Events between two checkpoints the jobs loop writes (besides one a day).
    pub audit_checkpoint_every: i64,
    /// Password rules, session lifetimes and two-factor settings.
    pub security: auth::SecurityPolicy,
    /// The data-key file (SM4 keys of confidential fields); `None`: `data_dir/zeren.keys`.
    /// `ZEREN_DATA_KEYS` in the environment takes precedence (see `crypto`).
    pub key_file: Option<PathBuf>,
}

impl AppConfig {
    pub fn new(data_dir: PathBuf) -> Self {
        let audit_checkpoint_file = data_dir.join("audit-checkpoints.txt");
        AppConfig {
            data_dir,
            max_upload_bytes: 20 * 1024 * 1024,
            session_idle_secs: 30 * 60,
            lockout_failures: 5,
            lockout_window_secs: 15 * 60,
            reminders: reminder::ReminderConfig::default(),
            import_max_bytes: 30 * 1024 * 1024,
            import_max_rows: 200_000,
            clock: clock::Clock::default(),
            audit_checkpoint_file,
            audit_checkpoint_every: 1000,
            security: auth::SecurityPolicy::default(),
            key_file: None,
        }
    }
}

#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub cfg: AppConfig,
    /// The keys of confidential fields; swapped whole by `App::rotate_keys`.
    keys: std::sync::Arc<std::sync::RwLock<std::sync::Arc<crypto::Keyring>>>,
    /// Assessment rounds being scored, as last computed (see `assessment::LiveRounds`).
    live_rounds: std::sync::Arc<assessment::LiveRounds>,
}

/// One page of a list and the total number of matching rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// Paging input, clamped to sane bounds.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Self {
        Paging {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page: per_page.unwrap_or(50).clamp(1, 500),
        }
    }
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

impl App {
    pub async fn open(database_url: &str, cfg: AppConfig) -> AppResult<App> {
        let store = Store::open(database_url, 8).await?;
        std::fs::create_dir_all(cfg.data_dir.join("files")).map_err(|e| {
            AppError::Io(format!("无法创建数据目录 {}：{e}", cfg.data_dir.display()))
        })?;
        let keys = crypto::load_for(&store, &cfg.key_path()).await?;
        let app = App {
            store,
            cfg,
            keys: std::sync::Arc::new(std::sync::RwLock::new(std::sync::Arc::new(keys))),
            live_rounds: Default::default(),
        };
        let sealed = app.seal_plain_totp_secrets().await?;
        if sealed > 0 {
            tracing::info!("已将 {sealed} 个明文保存的动态口令密钥改为加密保存");
        }
        Ok(app)
    }

    /// The crypto provider for confidential fields.
    pub fn crypto(&self) -> std::sync::Arc<crypto::Keyring> {
        match self.keys.read() {
            Ok(k) => k.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub(crate) fn set_keys(&self, k: crypto::Keyring) {
        let mut w = match self.keys.write() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        *w = std::sync::Arc::new(k);
    }
}

impl AppConfig {
    /// Where the data keys live.
    pub fn key_path(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("zeren.keys"))
    }
}

/// The record types pages and the API show. Re-exported so that `zeren-web` depends
/// on the application layer only and never reaches the store's functions.
pub mod rows {
    pub use zeren_store::accountability::{AccountabilityFilter, AccountabilityRow, ActionCount};
    pub use zeren_store::activity::{
        ActivityFilter, ActivityListRow, ActivityRow, AgendaRow, AttendeeRow, CandidateRow,
        LinkedProblemRow,
    };
    pub use zeren_store::audit::{AuditFilter, AuditRow};
    pub use zeren_store::cadre::{BatchRow, CheckRow, FilerFilter, FilerRow, PromotionRow};
    pub use zeren_store::cadre_work::{CadreFilter, CadreRow};
    pub use zeren_store::discipline::{
        CalendarDayRow, FormCount, FourFormsFilter, FourFormsRow, PetitionFilter, PetitionRow,
    };
    pub use zeren_store::duty_report::{
        AppraisalRow, ItemRow, QuestionRow, ReportFilter as DutyReportFilter,
        ReportRow as DutyReportRow, ScoreRow,
    };
    pub use zeren_store::evidence::EvidenceRow;
    pub use zeren_store::history::HistoryRow;
    pub use zeren_store::inspection::{
        OutlineRow as InspectionOutlineRow, PlanRow as InspectionPlanRow,
        RoundRow as InspectionRoundRow, SurveyQuestionRow as InspectionSurveyQuestionRow,
        TalkRow as InspectionTalkRow, TargetRow as InspectionTargetRow,
    };
    pub use zeren_store::letter::{
        CoverageRow, DutyRow, LetterFilter, LetterRow, SignatureRow, TemplateRow,
    };
    pub use zeren_store::org::OrgRow;
    pub use zeren_store::person::{PersonListRow, PersonRow, PositionRow};
    pub use zeren_store::plan::PlanRow;
    pub use zeren_store::problem::{MeasureRow, ProblemFilter, ProblemListRow, ProblemRow};
    pub use zeren_store::risk::{ControlRow, RiskFilter, RiskPointRow};
    pub use zeren_store::roster::{DuesPaymentRow, RosterListRow, RosterRow, TransferRow};
    pub use zeren_store::supervision::{
        Direction, NoticeFilter, NoticeItemRow, NoticeListRow, NoticeRow,
    };
    pub use zeren_store::task::{ReportRow, Sort, TaskFilter, TaskListRow, TaskRow};
    pub use zeren_store::user::{RoleRow, UserRow};
}

/// Which database engine is in use (for status pages).
pub mod store_backend {
    pub use zeren_store::Backend;
}

pub use zeren_store::redact as redact_url;

impl App {
    /// True when no org exists yet (a fresh database).
    pub async fn is_empty(&self) -> AppResult<bool> {
        let mut c = self.store.conn().await?;
        Ok(zeren_store::org::root(&mut c).await?.is_none())
    }
}
