//! Inspection tours (巡察): a yearly plan and its rounds (target units, team with
//! conflict-of-interest declarations, days on site, feedback, the rectification report
//! due two months after feedback), interview outlines and talks with drafts built from
//! the records Zeren holds, anonymous surveys, findings and their feedback into the
//! unit's problem ledger, the rectification report and the public progress notice.
//!
//! Who: the inspection office is whoever holds `Permission::Inspection` at the round's
//! inspecting org (the party offices); a round's targets lie strictly below that org.
//! An inspected unit reads, through `ReadScope`, only its own targets once fed back:
//! the feedback, its ledger (the ordinary problems, source 巡察 第N轮), its report
//! and notice. Talks and surveys are the office's alone; a person talked with reads
//! and answers their own talk.
//!
//! Findings become problems exactly once: `feedback` locks the round, creates one
//! problem per finding without one and links it (`inspection_findings.problem_id`
//! is UNIQUE and only set where NULL), so feeding back again creates nothing.
//!
//! 建立完善制度 is recorded on a rectification measure as a named system with its
//! issue day (`rectification_systems`); the notice counts those rows. A problem reads
//! 已完成 when closed (销号), 长期坚持 when the unit marked it long-term and every measure
//! is done, otherwise 持续推进 (`zeren_core::inspection::notice_state`).
pub mod notice;
mod remind;
pub mod round;
pub mod survey;
pub mod talk;

use zeren_core::Permission;
use zeren_store::Scope;

use crate::{Actor, AppError, AppResult};

/// Where the actor runs inspections: its `Inspection` subtrees.
pub fn office_scope(actor: &Actor) -> Scope {
    let paths = actor.paths_for(Permission::Inspection);
    if paths.is_empty() {
        Scope::Nothing
    } else {
        Scope::Subtrees(paths)
    }
}

/// Whether the actor works in an inspection office anywhere (menu, buttons).
pub fn is_office(actor: &Actor) -> bool {
    actor.has(Permission::Inspection)
}

pub(crate) fn require_office_at(actor: &Actor, path: &str) -> AppResult<()> {
    if actor.can_at(Permission::Inspection, path) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "只有巡察工作机构（党委办公室）可以办理巡察事项".into(),
        ))
    }
}

/// Office-only actions answer 403 to anyone without `Inspection` anywhere, before
/// looking at the input.
pub(crate) fn require_office_any(actor: &Actor) -> AppResult<()> {
    if is_office(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "只有巡察工作机构（党委办公室）可以办理巡察事项".into(),
        ))
    }
}

/// `2026-3` → (2026, 3).
pub fn parse_code(code: &str) -> Option<(i64, i64)> {
    let (y, n) = code.trim().split_once('-')?;
    Some((y.trim().parse().ok()?, n.trim().parse().ok()?))
}
