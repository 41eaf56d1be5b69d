//! The audit log: typed events, hash-chained, appended in the same transaction as the
//! change they describe (so an event exists exactly when its change does).
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeren_core::Permission;
use zeren_store::audit::{AuditFilter, AuditRow};
use zeren_store::Conn;

use crate::{clock, Actor, App, AppResult, Page, Paging};

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

pub fn chain_hash(prev: &str, r: &AuditRow) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &r.at.to_string(),
        &r.actor_id.map(|x| x.to_string()).unwrap_or_default(),
        &r.actor_name,
        &r.action,
        &r.object_kind,
        &r.object_id,
        &r.scope,
        &r.result,
        &r.source,
        &r.detail,
    ] {
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

/// Result of walking the chain.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChainReport {
    pub events: i64,
    pub first_bad: Option<i64>,
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

    /// Recomputes every hash; the first event whose hash or link does not match is
    /// where the log was tampered with.
    pub async fn audit_verify(&self) -> AppResult<ChainReport> {
        let mut c = self.store.conn().await?;
        let mut prev = String::new();
        let mut after = 0;
        let mut n = 0;
        loop {
            let rows = zeren_store::audit::page_from(&mut c, after, 5000).await?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                n += 1;
                if r.prev_hash != prev || chain_hash(&prev, &r) != r.hash {
                    return Ok(ChainReport {
                        events: n,
                        first_bad: Some(r.id),
                    });
                }
                prev = r.hash.clone();
                after = r.id;
            }
        }
        Ok(ChainReport {
            events: n,
            first_bad: None,
        })
    }
}
