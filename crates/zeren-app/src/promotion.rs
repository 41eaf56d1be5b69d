//! 凡提四必: before a cadre is promoted, four checks — the personnel file reviewed
//! (档案必审), the personal-matters report verified (个人有关事项报告必查), the
//! discipline body's opinion heard (纪检监察机关意见必听), petitions with concrete
//! leads checked (线索具体的信访举报必查) — gathered in one record with each
//! conclusion, who gave it and when.
//!
//! Who sees what:
//! - the record is read by the organisation department and the discipline role in
//!   their subtrees; never by the candidate's own account;
//! - the organisation department opens it and records the file and personal-matters
//!   conclusions; the discipline role records its opinion and the petitions check;
//! - what the system holds is pulled in only for a viewer who may see it: the
//!   candidate's verification results for the organisation department; for the
//!   discipline role, *counts* of four-forms actions and of petitions about the
//!   candidate (through the discipline `Reader`, so the same rules as the petition
//!   list apply). No informant, no content of a petition ever appears here.
use serde::Serialize;
use zeren_core::cadre::{CheckVerdict, FourCheck};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::cadre::{self as store, CheckRow, PromotionRow};
use zeren_store::discipline::{self as disc, FourFormsFilter, PetitionFilter};
use zeren_store::history::{self, HistoryRow};
use zeren_store::Scope;

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::personal_matters::pm_scope;
use crate::petition::reader;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult};

/// The subtrees where the actor holds either role.
fn promo_scope(actor: &Actor) -> Scope {
    let mut paths = actor.paths_for(Permission::PersonalMatters);
    paths.extend(actor.paths_for(Permission::DisciplineRecords));
    paths.sort();
    let mut out: Vec<String> = Vec::new();
    for p in paths {
        if !out.iter().any(|o| p.starts_with(o.as_str())) {
            out.push(p);
        }
    }
    if out.is_empty() {
        Scope::Nothing
    } else {
        Scope::Subtrees(out)
    }
}

fn may_read(actor: &Actor) -> bool {
    actor.has(Permission::PersonalMatters) || actor.has(Permission::DisciplineRecords)
}

/// What the discipline records hold about the candidate: counts only.
#[derive(Debug, Clone, Serialize)]
pub struct DisciplineCounts {
    pub petitions: i64,
    pub petitions_open: i64,
    pub four_forms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PromotionDetail {
    pub check: PromotionRow,
    /// The candidate's verification results (organisation department only).
    pub pm_checks: Option<Vec<CheckRow>>,
    /// Counts from the discipline records (discipline role only).
    pub discipline: Option<DisciplineCounts>,
    pub history: Vec<HistoryRow>,
    /// Which checks this viewer may conclude.
    pub may_conclude: Vec<&'static str>,
}

fn may_conclude(actor: &Actor, check: FourCheck, path: &str) -> bool {
    if check.by_discipline() {
        actor.can_at(Permission::DisciplineRecords, path)
    } else {
        actor.can_at(Permission::PersonalMatters, path)
    }
}

impl App {
    /// Whether the actor works with 凡提四必 records (menu).
    pub fn may_handle_promotions(actor: &Actor) -> bool {
        may_read(actor)
    }

    pub async fn promotion_list(&self, actor: &Actor) -> AppResult<Vec<PromotionRow>> {
        if !may_read(actor) {
            return Err(AppError::Forbidden(
                "凡提四必仅组织部门和纪检监察人员可以查看".into(),
            ));
        }
        let scope = promo_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let rows = store::list_promotions(tx.conn(), &scope, actor.person_id).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PromotionCheckRead, "promotion_check", "", "")
                .detail(format!("凡提四必 {} 条", rows.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    pub async fn promotion_get(&self, actor: &Actor, id: i64) -> AppResult<PromotionDetail> {
        if !may_read(actor) {
            return Err(AppError::NotFound);
        }
        let scope = promo_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let check = store::get_promotion(tx.conn(), &scope, actor.person_id, id).await?;
        let pm_checks = if actor.can_at(Permission::PersonalMatters, &check.org_path) {
            Some(store::checks_of_person(tx.conn(), &pm_scope(actor), check.person_id).await?)
        } else {
            None
        };
        let discipline = if actor.can_at(Permission::DisciplineRecords, &check.org_path) {
            let r = reader(actor);
            let pf = |state: Option<&str>| PetitionFilter {
                reported_person_id: Some(check.person_id),
                state: state.map(str::to_string),
                limit: 0,
                ..Default::default()
            };
            let (_, petitions) = disc::list(tx.conn(), &r, &pf(None)).await?;
            let (_, concluded) = disc::list(tx.conn(), &r, &pf(Some("concluded"))).await?;
            let (_, four_forms) = disc::list_four_forms(
                tx.conn(),
                &r,
                &FourFormsFilter {
                    person_id: Some(check.person_id),
                    limit: 0,
                    ..Default::default()
                },
            )
            .await?;
            Some(DisciplineCounts {
                petitions,
                petitions_open: petitions - concluded,
                four_forms,
            })
        } else {
            None
        };
        let history = history::of(tx.conn(), "promotion_check", id).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PromotionCheckRead,
                "promotion_check",
                id,
                &check.org_path,
            )
            .detail(format!("person#{}", check.person_id)),
        )
        .await?;
        tx.commit().await?;
        let may = FourCheck::ALL
            .iter()
            .filter(|c| may_conclude(actor, **c, &check.org_path))
            .map(|c| c.as_str())
            .collect();
        Ok(PromotionDetail {
            check,
            pm_checks,
            discipline,
            history,
            may_conclude: may,
        })
    }

    /// Opens a candidate's record (organisation department).
    pub async fn promotion_create(
        &self,
        actor: &Actor,
        person_id: Option<i64>,
        proposed_post: &str,
    ) -> AppResult<i64> {
        actor.require(Permission::PersonalMatters, "只有组织部门可以发起凡提四必")?;
        let mut errs = ValidationErrors::new();
        let post = validate::text(&mut errs, "proposed_post", "拟任职务", proposed_post, 100);
        let mut tx = self.store.begin_write().await?;
        let person = match person_id {
            Some(pid) => zeren_store::person::get_in(tx.conn(), &pm_scope(actor), pid)
                .await
                .ok(),
            None => None,
        };
        if person.is_none() {
            errs.add("person_id", "请选择本组织部门范围内的人员");
        }
        if person
            .as_ref()
            .is_some_and(|p| Some(p.id) == actor.person_id)
        {
            errs.add("person_id", "不能为本人发起（应当回避）");
        }
        errs.into_result()?;
        let Some(p) = person else {
            return Err(invalid("person_id", "请选择人员"));
        };
        let id = store::insert_promotion(
            tx.conn(),
            p.id,
            p.org_id,
            &p.org_path,
            &post,
            actor.audit_id(),
            clock::now(),
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "promotion_check",
            id,
            "发起",
            &format!("{} 拟任 {post}", p.name),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PromotionCheckCreate,
                "promotion_check",
                id,
                &p.org_path,
            )
            .detail(format!("person#{}", p.id)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records one check's conclusion; the file and personal-matters checks by the
    /// organisation department, the other two by the discipline role.
    pub async fn promotion_conclude(
        &self,
        actor: &Actor,
        id: i64,
        check: &str,
        verdict: &str,
        note: &str,
        on: &str,
    ) -> AppResult<()> {
        if !may_read(actor) {
            return Err(AppError::NotFound);
        }
        let mut errs = ValidationErrors::new();
        let c = FourCheck::parse(check);
        if c.is_none() {
            errs.add("check", "请选择要填写的事项");
        }
        let v = CheckVerdict::parse(verdict);
        if v.is_none() {
            errs.add("verdict", "请选择结论");
        }
        let note =
            validate::opt_text(&mut errs, "note", "意见", Some(note), 1000).unwrap_or_default();
        if v.is_some_and(|v| v != CheckVerdict::Clear) && note.is_empty() {
            errs.add("note", "存在问题或影响使用时须写明意见");
        }
        let day = validate::date(&mut errs, "on", "日期", on);
        if day.is_some_and(|d| d > clock::today()) {
            errs.add("on", "日期不能晚于今天");
        }
        let mut tx = self.store.begin_write().await?;
        let row = store::get_promotion(tx.conn(), &promo_scope(actor), actor.person_id, id).await?;
        if let Some(c) = c {
            if !may_conclude(actor, c, &row.org_path) {
                return Err(AppError::Forbidden(if c.by_discipline() {
                    "该事项由纪检监察机关填写".into()
                } else {
                    "该事项由组织部门填写".into()
                }));
            }
        }
        errs.into_result()?;
        let (Some(c), Some(v), Some(day)) = (c, v, day) else {
            return Err(invalid("check", "请选择要填写的事项"));
        };
        store::set_promotion_verdict(
            tx.conn(),
            id,
            c.as_str(),
            v.as_str(),
            &note,
            &actor.display_name,
            &day.to_string(),
            clock::now(),
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "promotion_check",
            id,
            c.label(),
            &format!(
                "{day} {}{}",
                v.label(),
                if note.is_empty() {
                    String::new()
                } else {
                    format!("：{note}")
                }
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PromotionCheckVerdict,
                "promotion_check",
                id,
                &row.org_path,
            )
            .detail(format!("{} {}", c.as_str(), v.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
