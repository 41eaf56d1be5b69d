//! The audit log: typed events, hash-chained, appended in the same transaction as the
//! change they describe (so an event exists exactly when its change does).
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeren_core::Permission;
use zeren_store::audit::{AuditFilter, AuditRow};
use zeren_store::Conn;

use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// Every kind of audited event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    LoginOk,
    LoginFailed,
    LoginLocked,
    Logout,
    OrgCreate,
    OrgRename,
    OrgMove,
    OrgClose,
    PersonCreate,
    UserCreate,
    UserRoleAdd,
    UserRoleRemove,
    UserPasswordReset,
    UserDisable,
    UserEnable,
    PlanCreate,
    TaskCreate,
    TaskDecompose,
    TaskReport,
    TaskSubmit,
    TaskApprove,
    TaskReturn,
    TaskCadence,
    TaskOccurrences,
    PlanRoll,
    ProblemCreate,
    ProblemUpdate,
    ProblemRequestClose,
    ProblemApproveClose,
    ProblemRejectClose,
    ProblemReopen,
    MeasureCreate,
    MeasureComplete,
    MeasureReopen,
    EvidenceUpload,
    EvidenceDownload,
    Export,
    AccessDenied,
    /// 信访举报 registered (informant identity sealed, never in the detail).
    PetitionCreate,
    /// A petition disposed of (谈话函询 …) or concluded with its outcome.
    PetitionDispose,
    PetitionConclude,
    /// A real-name informant told of acceptance or result.
    PetitionNotify,
    /// A cleared account read an informant's identity.
    InformantRead,
    /// A four-forms (四种形态) action recorded.
    FourFormsRecord,
    /// A clearance (e.g. to informant identity) granted to or revoked from an account.
    ClearanceGrant,
    ClearanceRevoke,
    /// The data keys rotated and every confidential field re-encrypted.
    KeyRotate,
    /// A day of the working-day calendar set or removed.
    CalendarSet,
    ChannelsSet,
    PlanRemindersSet,
    NoticeIssue,
    NoticeAnswer,
    AccountabilityRecord,
    /// Responsibility letters (责任书): a template, letters issued, a signature, the
    /// duties re-drawn from the list.
    LetterTemplate,
    LetterIssue,
    LetterSign,
    LetterDuties,
    /// Duty reports (述职) and appraisal meetings (述职评议): a report saved, a meeting
    /// opened, scores, a question and answer, the 整改清单 put into the ledger.
    DutyReportSave,
    AppraisalCreate,
    AppraisalScore,
    AppraisalQuestion,
    AppraisalRectify,
    /// Cadre records (干部工作): a record added, a part-time post decided.
    CadreRecord,
    CadreDecide,
    NotificationRead,
    ActivityCreate,
    ActivityUpdate,
    ActivityCancel,
    RuleCreate,
    RuleRetire,
    RuleSetting,
    MemberStage,
    MemberDates,
    MemberContact,
    MemberTransfer,
    MemberDuesBasis,
    DuesRecord,
    /// An Excel import (its summary; each record also gets its own event).
    Import,
    TaskUpdate,
    PersonUpdate,
    OrgUpdate,
    /// The annual report's narrative saved or reset.
    ReportEdit,
    /// Reports uploaded to 报告审读 (names and sizes; nothing is stored).
    ReportRead,
    /// A user changed their own password.
    PasswordChange,
    /// A user enrolled an authenticator (TOTP).
    TotpEnrol,
    /// The security administrator cleared an account's authenticator.
    TotpReset,
    /// Personal-matters records (个人有关事项报告) read: lists, details, figures.
    PersonalMattersRead,
    /// A filer added to a year's list (or the list generated from cadre ranks).
    PersonalMattersFiler,
    /// A report recorded as submitted.
    PersonalMattersSubmit,
    /// A verification batch drawn (random, with its seed) or opened (targeted).
    PersonalMattersDraw,
    /// A verification's outcome (如实报告 / 漏报 / 瞒报) and handling recorded.
    PersonalMattersCheck,
    /// An integrity risk point (廉政风险点) registered, a control added, a review.
    RiskPointCreate,
    RiskPointControl,
    RiskPointReview,
    /// 凡提四必: a candidate's record opened, read, or one check's conclusion.
    PromotionCheckCreate,
    PromotionCheckRead,
    PromotionCheckVerdict,
    /// Assessment (考核): a system copied or edited (a new version), a round opened or
    /// its appeal window changed, a receipt signed, a score entered, an appeal filed or
    /// answered, a round published.
    AssessmentSystem,
    AssessmentRound,
    AssessmentSign,
    AssessmentScore,
    AssessmentAppeal,
    AssessmentAnswer,
    AssessmentPublish,
    /// Inspection tours (巡察): a plan, round, team member or state change; a finding;
    /// a feedback (findings into the ledger); a talk or outline; a survey (created,
    /// codes issued, results read — never a submission); the unit's report side.
    InspectionRound,
    InspectionFinding,
    InspectionFeedback,
    InspectionTalk,
    InspectionSurvey,
    InspectionReport,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::LoginOk => "login_ok",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginLocked => "login_locked",
            AuditAction::Logout => "logout",
            AuditAction::ChannelsSet => "channels_set",
            AuditAction::PlanRemindersSet => "plan_reminders_set",
            AuditAction::OrgCreate => "org_create",
            AuditAction::OrgRename => "org_rename",
            AuditAction::OrgMove => "org_move",
            AuditAction::OrgClose => "org_close",
            AuditAction::PersonCreate => "person_create",
            AuditAction::UserCreate => "user_create",
            AuditAction::UserRoleAdd => "user_role_add",
            AuditAction::UserRoleRemove => "user_role_remove",
            AuditAction::UserPasswordReset => "user_password_reset",
            AuditAction::UserDisable => "user_disable",
            AuditAction::UserEnable => "user_enable",
            AuditAction::PlanCreate => "plan_create",
            AuditAction::TaskCreate => "task_create",
            AuditAction::TaskDecompose => "task_decompose",
            AuditAction::TaskReport => "task_report",
            AuditAction::TaskSubmit => "task_submit",
            AuditAction::TaskApprove => "task_approve",
            AuditAction::TaskReturn => "task_return",
            AuditAction::TaskCadence => "task_cadence",
            AuditAction::TaskOccurrences => "task_occurrences",
            AuditAction::PlanRoll => "plan_roll",
            AuditAction::ProblemCreate => "problem_create",
            AuditAction::ProblemUpdate => "problem_update",
            AuditAction::ProblemRequestClose => "problem_request_close",
            AuditAction::ProblemApproveClose => "problem_approve_close",
            AuditAction::ProblemRejectClose => "problem_reject_close",
            AuditAction::ProblemReopen => "problem_reopen",
            AuditAction::MeasureCreate => "measure_create",
            AuditAction::MeasureComplete => "measure_complete",
            AuditAction::MeasureReopen => "measure_reopen",
            AuditAction::EvidenceUpload => "evidence_upload",
            AuditAction::EvidenceDownload => "evidence_download",
            AuditAction::Export => "export",
            AuditAction::AccessDenied => "access_denied",
            AuditAction::PetitionCreate => "petition_create",
            AuditAction::PetitionDispose => "petition_dispose",
            AuditAction::PetitionConclude => "petition_conclude",
            AuditAction::PetitionNotify => "petition_notify",
            AuditAction::InformantRead => "informant_read",
            AuditAction::FourFormsRecord => "four_forms_record",
            AuditAction::ClearanceGrant => "clearance_grant",
            AuditAction::ClearanceRevoke => "clearance_revoke",
            AuditAction::KeyRotate => "key_rotate",
            AuditAction::CalendarSet => "calendar_set",
            AuditAction::NoticeIssue => "notice_issue",
            AuditAction::NoticeAnswer => "notice_answer",
            AuditAction::AccountabilityRecord => "accountability_record",
            AuditAction::LetterTemplate => "letter_template",
            AuditAction::LetterIssue => "letter_issue",
            AuditAction::LetterSign => "letter_sign",
            AuditAction::LetterDuties => "letter_duties",
            AuditAction::DutyReportSave => "duty_report_save",
            AuditAction::AppraisalCreate => "appraisal_create",
            AuditAction::AppraisalScore => "appraisal_score",
            AuditAction::AppraisalQuestion => "appraisal_question",
            AuditAction::AppraisalRectify => "appraisal_rectify",
            AuditAction::CadreRecord => "cadre_record",
            AuditAction::CadreDecide => "cadre_decide",
            AuditAction::NotificationRead => "notification_read",
            AuditAction::ActivityCreate => "activity_create",
            AuditAction::ActivityUpdate => "activity_update",
            AuditAction::ActivityCancel => "activity_cancel",
            AuditAction::RuleCreate => "rule_create",
            AuditAction::RuleRetire => "rule_retire",
            AuditAction::RuleSetting => "rule_setting",
            AuditAction::MemberStage => "member_stage",
            AuditAction::MemberDates => "member_dates",
            AuditAction::MemberContact => "member_contact",
            AuditAction::MemberTransfer => "member_transfer",
            AuditAction::MemberDuesBasis => "member_dues_basis",
            AuditAction::DuesRecord => "dues_record",
            AuditAction::Import => "import",
            AuditAction::TaskUpdate => "task_update",
            AuditAction::PersonUpdate => "person_update",
            AuditAction::OrgUpdate => "org_update",
            AuditAction::ReportEdit => "report_edit",
            AuditAction::ReportRead => "report_read",
            AuditAction::PasswordChange => "password_change",
            AuditAction::TotpEnrol => "totp_enrol",
            AuditAction::TotpReset => "totp_reset",
            AuditAction::PersonalMattersRead => "personal_matters_read",
            AuditAction::PersonalMattersFiler => "personal_matters_filer",
            AuditAction::PersonalMattersSubmit => "personal_matters_submit",
            AuditAction::PersonalMattersDraw => "personal_matters_draw",
            AuditAction::PersonalMattersCheck => "personal_matters_check",
            AuditAction::RiskPointCreate => "risk_point_create",
            AuditAction::RiskPointControl => "risk_point_control",
            AuditAction::RiskPointReview => "risk_point_review",
            AuditAction::PromotionCheckCreate => "promotion_check_create",
            AuditAction::PromotionCheckRead => "promotion_check_read",
            AuditAction::PromotionCheckVerdict => "promotion_check_verdict",
            AuditAction::AssessmentSystem => "assessment_system",
            AuditAction::AssessmentRound => "assessment_round",
            AuditAction::AssessmentSign => "assessment_sign",
            AuditAction::AssessmentScore => "assessment_score",
            AuditAction::AssessmentAppeal => "assessment_appeal",
            AuditAction::AssessmentAnswer => "assessment_answer",
            AuditAction::AssessmentPublish => "assessment_publish",
            AuditAction::InspectionRound => "inspection_round",
            AuditAction::InspectionFinding => "inspection_finding",
            AuditAction::InspectionFeedback => "inspection_feedback",
            AuditAction::InspectionTalk => "inspection_talk",
            AuditAction::InspectionSurvey => "inspection_survey",
            AuditAction::InspectionReport => "inspection_report",
        }
    }
}

/// One event to append.
pub struct Event<'a> {
    pub action: AuditAction,
    pub object_kind: &'a str,
    pub object_id: String,
    pub scope: &'a str,
    pub ok: bool,
    pub detail: String,
}

impl<'a> Event<'a> {
    pub fn ok(
        action: AuditAction,
        object_kind: &'a str,
        object_id: impl ToString,
        scope: &'a str,
    ) -> Self {
        Event {
            action,
            object_kind,
            object_id: object_id.to_string(),
            scope,
            ok: true,
            detail: String::new(),
        }
    }
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = d.into();
        self
    }
    pub fn failed(mut self) -> Self {
        self.ok = false;
        self
    }
}

/// The fields of an event in the order they are hashed; each is followed by the unit
/// separator 0x1F.
fn hashed_fields<'a>(prev: &'a str, r: &'a AuditRow, at: &'a str, actor: &'a str) -> [&'a str; 11] {
    [
        prev,
        at,
        actor,
        &r.actor_name,
        &r.action,
        &r.object_kind,
        &r.object_id,
        &r.scope,
        &r.result,
        &r.source,
        &r.detail,
    ]
}

/// Tag hashed before the fields of every SM3 event, so that an SM3 link can never be
/// mistaken for (or forged from) a link of another format.
const SM3_TAG: &[u8] = b"zeren-audit/sm3/v1\x1f";

/// The link of an event: SM3 (GB/T 32905-2016) over the previous event's hash and
/// the event's fields, as lower-case hex. This is the chain since migration 0015.
pub fn chain_hash(prev: &str, r: &AuditRow) -> String {
    use sm3::{Digest, Sm3};
    let (at, actor) = (
        r.at.to_string(),
        r.actor_id.map(|x| x.to_string()).unwrap_or_default(),
    );
    let mut h = Sm3::new();
    h.update(SM3_TAG);
    for part in hashed_fields(prev, r, &at, &actor) {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// The link events had before the chain moved to SM3 (SHA-256 over the same fields,
/// no tag). Those events are kept as they were written and still verified: a log is
/// evidence, and re-hashing it at an upgrade would mean rewriting it. The first SM3
/// event links to the last SHA-256 one, and no SHA-256 event may follow an SM3 one.
pub fn legacy_sha256_hash(prev: &str, r: &AuditRow) -> String {
    let (at, actor) = (
        r.at.to_string(),
        r.actor_id.map(|x| x.to_string()).unwrap_or_default(),
    );
    let mut h = Sha256::new();
    for part in hashed_fields(prev, r, &at, &actor) {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends an event inside the caller's transaction.
pub async fn record(
    c: &mut Conn,
    actor_id: Option<i64>,
    actor_name: &str,
    source: &str,
    ev: Event<'_>,
) -> AppResult<()> {
    zeren_store::audit::lock_chain(c).await?;
    let prev = zeren_store::audit::last_hash(c).await?.unwrap_or_default();
    let mut row = AuditRow {
        id: 0,
        at: clock::now(),
        actor_id,
        actor_name: actor_name.to_string(),
        action: ev.action.as_str().to_string(),
        object_kind: ev.object_kind.to_string(),
        object_id: ev.object_id,
        scope: ev.scope.to_string(),
        result: if ev.ok { "ok" } else { "failed" }.to_string(),
        source: source.to_string(),
        detail: ev.detail,
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    row.hash = chain_hash(&prev, &row);
    zeren_store::audit::append(c, &row).await?;
    Ok(())
}

pub async fn by_actor(c: &mut Conn, actor: &Actor, ev: Event<'_>) -> AppResult<()> {
    record(c, Some(actor.user_id), &actor.username, &actor.source, ev).await
}

/// A checkpoint: the chain's position and hash at some moment, written to a file
/// outside the database that the audit administrator keeps. An attacker who can
/// write the database can rewrite the chain from any point and recompute every hash
/// after it (the chain has no key), or cut its tail; neither agrees with a checkpoint
/// written before.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Checkpoint {
    /// The event's position in the chain, from 1.
    pub seq: i64,
    /// Its id in `audit_events`.
    pub id: i64,
    /// Its hash.
    pub hash: String,
}

/// The first line of a checkpoint file.
pub const CHECKPOINT_HEADER: &str =
    "# Zeren 审计日志检查点（只追加；每行：序号 事件编号 SM3哈希 时间）";

impl Checkpoint {
    /// One line of the checkpoint file: `seq id hash time`.
    pub fn line(&self, at: i64) -> String {
        format!(
            "{} {} {} {}",
            self.seq,
            self.id,
            self.hash,
            clock::fmt_instant(at)
        )
    }

    /// Reads a checkpoint file. Lines starting with `#` and blank lines are skipped;
    /// any other line must start with `seq id hash`.
    pub fn parse_file(text: &str) -> Result<Vec<Checkpoint>, String> {
        let mut out: Vec<Checkpoint> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split_whitespace();
            let bad = || format!("检查点文件第 {} 行格式有误：{line}", n + 1);
            let seq = f
                .next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?;
            let id = f
                .next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?;
            let hash = f
                .next()
                .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or_else(bad)?;
            if seq < 1 || out.last().is_some_and(|l| l.seq >= seq) {
                return Err(format!("检查点文件第 {} 行的序号不是递增的", n + 1));
            }
            out.push(Checkpoint {
                seq,
                id,
                hash: hash.to_ascii_lowercase(),
            });
        }
        Ok(out)
    }
}

/// Result of walking the chain.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ChainReport {
    /// Events walked (all of them when the chain is intact).
    pub events: i64,
    /// The id of the first event found bad (altered, inserted, or the first event
    /// after a deleted one); `None` when intact, or when only the tail is missing.
    pub first_bad: Option<i64>,
    /// What is wrong, in words; `None` when the chain is intact.
    pub problem: Option<String>,
    /// The last event walked that was good.
    pub last: Option<Checkpoint>,
    /// Events still linked by SHA-256 (written before the chain moved to SM3).
    pub legacy: i64,
    /// Checkpoints the chain was compared with.
    pub checkpoints: usize,
}

impl ChainReport {
    pub fn intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// Walks the chain one event at a time. Kept apart from the database so that the
/// rules are plain to read and test.
struct Walker<'a> {
    report: ChainReport,
    prev_hash: String,
    prev_id: i64,
    sm3_seen: bool,
    /// The last few thousand links, to tell an inserted event (the next real event
    /// links to one seen before) from a deleted one (it links to nothing seen).
    recent: std::collections::VecDeque<(String, i64)>,
    checkpoints: &'a [Checkpoint],
    next_cp: usize,
}

const RECENT: usize = 4096;

impl<'a> Walker<'a> {
    fn new(checkpoints: &'a [Checkpoint]) -> Self {
        Walker {
            report: ChainReport {
                checkpoints: checkpoints.len(),
                ..Default::default()
            },
            prev_hash: String::new(),
            prev_id: 0,
            sm3_seen: false,
            recent: std::collections::VecDeque::new(),
            checkpoints,
            next_cp: 0,
        }
    }

    /// Starts after a checkpoint already checked against the database.
    fn resume(checkpoints: &'a [Checkpoint], from: &Checkpoint) -> Self {
        let mut w = Walker::new(checkpoints);
        w.report.events = from.seq;
        w.report.last = Some(from.clone());
        w.prev_hash = from.hash.clone();
        w.prev_id = from.id;
        // SHA-256 events all come before the first SM3 one; resuming from an SM3
        // checkpoint, nothing after may be SHA-256
        w.sm3_seen = true;
        w.next_cp = checkpoints.partition_point(|c| c.seq <= from.seq);
        w
    }

    fn fail(&mut self, id: Option<i64>, why: String) -> bool {
        self.report.first_bad = id;
        self.report.problem = Some(why);
        false
    }

    /// Checks one event; false stops the walk (the report says why).
    fn step(&mut self, r: &AuditRow) -> bool {
        let seq = self.report.events + 1;
        if chain_hash(&r.prev_hash, r) == r.hash {
            self.sm3_seen = true;
        } else if !self.sm3_seen && legacy_sha256_hash(&r.prev_hash, r) == r.hash {
            self.report.legacy += 1;
        } else {
            return self.fail(
                Some(r.id),
                format!(
                    "第 {seq} 条事件（编号 {}）的内容与其哈希不符：该事件被改动或伪造",
                    r.id
                ),
            );
        }
        if r.prev_hash != self.prev_hash {
            if let Some(pos) = self.recent.iter().position(|(h, _)| *h == r.prev_hash) {
                // it links to an earlier event: what lies between was inserted
                let after = self.recent[pos].1;
                let first = self
                    .recent
                    .get(pos + 1)
                    .map(|x| x.1)
                    .unwrap_or(self.prev_id);
                return self.fail(
                    Some(first),
                    format!(
                        "编号 {first} 至 {} 的事件是插入的：编号 {} 的事件本应紧接编号 {after} 的事件",
                        self.prev_id, r.id
                    ),
                );
            }
            let why = if self.prev_id == 0 {
                format!(
                    "第 1 条事件（编号 {}）不是日志的开头：此前的事件被删除",
                    r.id
                )
            } else {
                format!(
                    "编号 {} 的事件与前一事件（编号 {}）不相连：其间的事件被删除，或前一事件被改动",
                    r.id, self.prev_id
                )
            };
            return self.fail(Some(r.id), why);
        }
        while let Some(cp) = self.checkpoints.get(self.next_cp).filter(|c| c.seq == seq) {
            if cp.id != r.id || cp.hash != r.hash {
                return self.fail(
                    Some(r.id),
                    format!(
                        "第 {seq} 条事件（编号 {}）与检查点不符（检查点记载编号 {}）：此前的日志被改写",
                        r.id, cp.id
                    ),
                );
            }
            self.next_cp += 1;
        }
        self.report.events = seq;
        self.prev_hash = r.hash.clone();
        self.prev_id = r.id;
        self.report.last = Some(Checkpoint {
            seq,
            id: r.id,
            hash: r.hash.clone(),
        });
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back((r.hash.clone(), r.id));
        true
    }

    /// After the last event: checkpoints beyond it mean the tail was cut off.
    fn finish(mut self) -> ChainReport {
        if self.report.problem.is_none() {
            if let Some(cp) = self.checkpoints.get(self.next_cp) {
                let n = self.report.events;
                self.report.problem = Some(format!(
                    "审计日志被截断：检查点记载第 {} 条事件（编号 {}），数据库只有 {n} 条；第 {} 条事件起（编号 {} 之后）缺失",
                    cp.seq,
                    cp.id,
                    n + 1,
                    self.prev_id
                ));
            }
        }
        self.report
    }
}

impl App {
    /// Appends an event in its own transaction (login attempts, denials, downloads).
    pub async fn audit_alone(
        &self,
        actor_id: Option<i64>,
        actor_name: &str,
        source: &str,
        ev: Event<'_>,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        record(tx.conn(), actor_id, actor_name, source, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn audit_list(
        &self,
        actor: &Actor,
        f: AuditFilter,
        paging: Paging,
    ) -> AppResult<Page<AuditRow>> {
        actor.require(Permission::ReadAudit, "只有审计管理员可以查看审计日志")?;
        let mut c = self.store.conn().await?;
        let f = AuditFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = zeren_store::audit::list(&mut c, &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Recomputes every hash and link, and compares the chain with the checkpoint
    /// file configured (if it exists); the first event that does not match is where
    /// the log was tampered with.
    pub async fn audit_verify(&self) -> AppResult<ChainReport> {
        let cps = self.audit_checkpoints(&self.cfg.audit_checkpoint_file)?;
        self.audit_verify_with(&cps).await
    }

    /// The checkpoints of a file; none when the file does not exist yet.
    pub fn audit_checkpoints(&self, path: &std::path::Path) -> AppResult<Vec<Checkpoint>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Checkpoint::parse_file(&text)
                .map_err(|m| AppError::Io(format!("{}：{m}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(AppError::Io(format!(
                "无法读取检查点文件 {}：{e}",
                path.display()
            ))),
        }
    }

    /// Walks the whole chain against `checkpoints`.
    pub async fn audit_verify_with(&self, checkpoints: &[Checkpoint]) -> AppResult<ChainReport> {
        let mut c = self.store.conn().await?;
        self.walk(&mut c, Walker::new(checkpoints), 0).await
    }

    async fn walk(
        &self,
        c: &mut zeren_store::Conn,
        mut w: Walker<'_>,
        mut after: i64,
    ) -> AppResult<ChainReport> {
        loop {
            let rows = zeren_store::audit::page_from(c, after, 5000).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                if !w.step(r) {
                    return Ok(w.report);
                }
                after = r.id;
            }
        }
        Ok(w.finish())
    }

    /// Writes a checkpoint of the chain's current end to `path` (appending; the file
    /// is created with its header). The chain is verified first — from the file's last
    /// checkpoint on, which is checked against the database — so a tampered log is
    /// never sealed. Returns the checkpoint written, or `None` when the file already
    /// ends at the chain's last event.
    pub async fn audit_checkpoint(&self, path: &std::path::Path) -> AppResult<Option<Checkpoint>> {
        let cps = self.audit_checkpoints(path)?;
        let mut c = self.store.conn().await?;
        let report = match cps.last() {
            Some(last) => {
                let (n, hash) = zeren_store::audit::position(&mut c, last.id).await?;
                if n != last.seq || hash.as_deref() != Some(last.hash.as_str()) {
                    // let the full walk name the event
                    self.walk(&mut c, Walker::new(&cps), 0).await?
                } else {
                    self.walk(&mut c, Walker::resume(&cps, last), last.id)
                        .await?
                }
            }
            None => self.walk(&mut c, Walker::new(&cps), 0).await?,
        };
        drop(c);
        if let Some(why) = &report.problem {
            return Err(AppError::Conflict(format!(
                "审计日志校验未通过，未写检查点：{why}"
            )));
        }
        let Some(end) = report.last else {
            return Ok(None);
        };
        if cps.last().is_some_and(|l| l.seq == end.seq) {
            return Ok(None);
        }
        let mut text = String::new();
        if cps.is_empty()
            && std::fs::metadata(path)
                .map(|m| m.len() == 0)
                .unwrap_or(true)
        {
            text.push_str(CHECKPOINT_HEADER);
            text.push('\n');
        }
        text.push_str(&end.line(self.cfg.clock.now()));
        text.push('\n');
        append_synced(path, &text)
            .map_err(|e| AppError::Io(format!("无法写入检查点文件 {}：{e}", path.display())))?;
        Ok(Some(end))
    }

    /// The jobs loop's checkpoint: written when `audit_checkpoint_every` events have
    /// been appended since the file's last checkpoint, or a day has passed since it
    /// was written and any event came since.
    pub async fn audit_checkpoint_due(&self) -> AppResult<Option<Checkpoint>> {
        let path = &self.cfg.audit_checkpoint_file;
        let cps = self.audit_checkpoints(path)?;
        let mut c = self.store.conn().await?;
        let total = zeren_store::audit::count(&mut c).await?;
        drop(c);
        let since = total - cps.last().map(|l| l.seq).unwrap_or(0);
        if since <= 0 {
            return Ok(None);
        }
        let age = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .map(|d| d.as_secs() as i64);
        let daily = age.is_none_or(|a| a >= 24 * 3600);
        if since >= self.cfg.audit_checkpoint_every || daily {
            return self.audit_checkpoint(path).await;
        }
        Ok(None)
    }
}

/// Appends to a file and flushes it to disk before returning.
fn append_synced(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, prev: &str, detail: &str, legacy: bool) -> AuditRow {
        let mut r = AuditRow {
            id,
            at: 1_700_000_000 + id,
            actor_id: Some(1),
            actor_name: "unit1".into(),
            action: "login_ok".into(),
            object_kind: "user".into(),
            object_id: "1".into(),
            scope: String::new(),
            result: "ok".into(),
            source: "127.0.0.1".into(),
            detail: detail.into(),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        r.hash = if legacy {
            legacy_sha256_hash(prev, &r)
        } else {
            chain_hash(prev, &r)
        };
        r
    }

    /// `n` events, the first `legacy` of them linked by SHA-256.
    fn chain(n: i64, legacy: i64) -> Vec<AuditRow> {
        let mut out: Vec<AuditRow> = Vec::new();
        for id in 1..=n {
            let prev = out.last().map(|r| r.hash.clone()).unwrap_or_default();
            out.push(row(id, &prev, &format!("e{id}"), id <= legacy));
        }
        out
    }

    fn walk(rows: &[AuditRow], cps: &[Checkpoint]) -> ChainReport {
        let mut w = Walker::new(cps);
        for r in rows {
            if !w.step(r) {
                return w.report;
            }
        }
        w.finish()
    }

    #[test]
    fn sm3_links_match_the_standard_and_differ_from_sha256() {
        use sm3::{Digest, Sm3};
        // GB/T 32905-2016 Appendix A example 1: SM3("abc")
        assert_eq!(
            hex::encode(Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        let r = row(1, "", "x", false);
        assert_eq!(r.hash.len(), 64);
        assert_ne!(r.hash, legacy_sha256_hash("", &r));
    }

    #[test]
    fn an_intact_chain_verifies_with_sha256_events_before_sm3_ones() {
        let rows = chain(10, 4);
        let r = walk(&rows, &[]);
        assert!(r.intact(), "{r:?}");
        assert_eq!((r.events, r.legacy), (10, 4));
        assert_eq!(r.last.as_ref().map(|c| c.id), Some(10));
    }

    #[test]
    fn a_sha256_event_after_an_sm3_one_is_refused() {
        let mut rows = chain(5, 0);
        let prev = rows[3].hash.clone();
        rows[4] = row(5, &prev, "e5", true);
        assert_eq!(walk(&rows, &[]).first_bad, Some(5));
    }

    #[test]
    fn altered_deleted_and_inserted_events_are_named() {
        let rows = chain(8, 0);
        let mut altered = rows.clone();
        altered[2].detail = "tampered".into();
        let r = walk(&altered, &[]);
        assert_eq!((r.first_bad, r.events), (Some(3), 2));

        let mut deleted = rows.clone();
        deleted.remove(4);
        let r = walk(&deleted, &[]);
        assert_eq!(r.first_bad, Some(6), "the event after the gap");
        assert!(r.problem.unwrap().contains("删除"));

        // a forged event with a correct link after event 3; 4… follow unchanged
        let mut inserted = rows.clone();
        let forged = row(100, &rows[2].hash, "forged", false);
        inserted.insert(3, forged);
        let r = walk(&inserted, &[]);
        assert_eq!(r.first_bad, Some(100), "{r:?}");
        assert!(r.problem.unwrap().contains("插入"));

        let mut headless = rows.clone();
        headless.remove(0);
        assert_eq!(walk(&headless, &[]).first_bad, Some(2));
    }

    #[test]
    fn checkpoints_catch_a_cut_tail_and_a_recomputed_chain() {
        let rows = chain(8, 0);
        let cp = Checkpoint {
            seq: 8,
            id: 8,
            hash: rows[7].hash.clone(),
        };
        assert!(walk(&rows, std::slice::from_ref(&cp)).intact());
        let cut = &rows[..5];
        assert!(
            walk(cut, &[]).intact(),
            "without a checkpoint a cut tail looks whole"
        );
        let r = walk(cut, std::slice::from_ref(&cp));
        assert!(!r.intact());
        assert!(r.problem.unwrap().contains("截断"));
        // an attacker edits event 3 and recomputes every link after it
        let mut rewritten = rows[..2].to_vec();
        for id in 3..=8 {
            let prev = rewritten.last().map(|r| r.hash.clone()).unwrap_or_default();
            let d = if id == 3 {
                "rewritten".to_string()
            } else {
                format!("e{id}")
            };
            rewritten.push(row(id, &prev, &d, false));
        }
        assert!(walk(&rewritten, &[]).intact());
        let r = walk(&rewritten, &[cp]);
        assert_eq!(r.first_bad, Some(8));
        assert!(r.problem.unwrap().contains("检查点"));
    }

    #[test]
    fn checkpoint_files_parse_and_refuse_garbage() {
        let h = "a".repeat(64);
        let text = format!("{CHECKPOINT_HEADER}\n\n3 5 {h} 2026-01-01 08:00\n7 9 {h}\n");
        let cps = Checkpoint::parse_file(&text).unwrap();
        assert_eq!(cps.len(), 2);
        assert_eq!((cps[1].seq, cps[1].id), (7, 9));
        assert!(Checkpoint::parse_file("3 5 nothex").is_err());
        assert!(Checkpoint::parse_file(&format!("7 9 {h}\n3 5 {h}\n")).is_err());
        let line = cps[0].line(1_767_225_600);
        assert!(line.starts_with(&format!("3 5 {h} ")));
        assert_eq!(Checkpoint::parse_file(&line).unwrap()[0], cps[0]);
    }
}
