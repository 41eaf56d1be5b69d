//! The four forms (四种形态): actions the discipline-inspection group takes against a
//! person, each of one form (1–4), linked to the petition or problem behind it, and
//! counted per org and form per year.
//!
//! They sit beside accountability (问责, `accountability`), not inside it: 问责 is the
//! Party office holding an org or a person to account for a failed *duty* (约谈,
//! 通报批评 …), decided by the committee and visible to the scope; the four forms are
//! the discipline body's graded handling of a person's *conduct*, read only by the
//! discipline role and never by the person concerned. The two overlap in one word
//! (诫勉), which each records in its own ledger.
use zeren_core::four_forms::{self, ACTIONS};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::discipline::{
    self as store, FormCount, FourFormsFilter, FourFormsRow, NewFourForms,
};

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::petition::reader;
use crate::task::hist;
use crate::{clock, Actor, App, AppResult, Page, Paging};

#[derive(Debug, Clone, Default)]
pub struct NewFourFormsInput {
    pub person_id: Option<i64>,
    pub action: String,
    pub decided_on: String,
    pub decided_by: String,
    pub reason: String,
    /// The petition (by id) or problem behind the action.
    pub petition_id: Option<i64>,
    pub problem_id: Option<i64>,
}

pub fn action_label(key: &str) -> &'static str {
    four_forms::action(key).map(|a| a.label).unwrap_or("其他")
}

impl App {
    pub async fn four_forms_list(
        &self,
        actor: &Actor,
        f: FourFormsFilter,
        paging: Paging,
    ) -> AppResult<Page<FourFormsRow>> {
        actor.require(
            Permission::DisciplineRecords,
            "四种形态仅纪检监察人员可以查看",
        )?;
        let mut c = self.store.conn().await?;
        let f = FourFormsFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = store::list_four_forms(&mut c, &reader(actor), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Actions decided in `year` in the actor's view, per org and form.
    pub async fn four_forms_counts(&self, actor: &Actor, year: i32) -> AppResult<Vec<FormCount>> {
        actor.require(
            Permission::DisciplineRecords,
            "四种形态仅纪检监察人员可以查看",
        )?;
        let mut c = self.store.conn().await?;
        Ok(store::four_forms_counts(&mut c, &reader(actor), year).await?)
    }

    pub async fn four_forms_record(
        &self,
        actor: &Actor,
        input: NewFourFormsInput,
    ) -> AppResult<i64> {
        actor.require(
            Permission::DisciplineRecords,
            "只有纪检监察人员可以登记四种形态",
        )?;
        let mut errs = ValidationErrors::new();
        let action = four_forms::action(&input.action);
        if action.is_none() {
            errs.add("action", "请选择处理方式");
        }
        let decided_on = validate::date(&mut errs, "decided_on", "决定日期", &input.decided_on);
        if decided_on.is_some_and(|d| d > clock::today()) {
            errs.add("decided_on", "决定日期不能晚于今天");
        }
        let decided_by = validate::text(&mut errs, "decided_by", "决定机关", &input.decided_by, 60);
        let reason = validate::text(&mut errs, "reason", "事由", &input.reason, 2000);
        let mut tx = self.store.begin_write().await?;
        let r = reader(actor);
        let person = match input.person_id {
            Some(pid) => {
                match zeren_store::person::get_in(tx.conn(), &actor.read_scope(), pid).await {
                    Ok(p) if actor.can_at(Permission::DisciplineRecords, &p.org_path) => Some(p),
                    Ok(_) | Err(_) => {
                        errs.add("person_id", "当事人不存在或不在本人纪检监察范围内");
                        None
                    }
                }
            }
            None => {
                errs.add("person_id", "请选择当事人");
                None
            }
        };
        if person
            .as_ref()
            .is_some_and(|p| Some(p.id) == actor.person_id)
        {
            errs.add("person_id", "不能登记涉及本人的处理（应当回避）");
        }
        let mut petition_code = None;
        if let Some(pid) = input.petition_id {
            match store::get_in(tx.conn(), &r, pid).await {
                Ok(p) => petition_code = Some(p.code),
                Err(_) => errs.add("petition_id", "关联的信访件不存在"),
            }
        }
        if let Some(pid) = input.problem_id {
            if zeren_store::problem::get_in(tx.conn(), &actor.read_scope(), pid)
                .await
                .is_err()
            {
                errs.add("problem_id", "关联的问题不存在");
            }
        }
        errs.into_result()?;
        let (Some(action), Some(decided_on), Some(person)) = (action, decided_on, person) else {
            return Err(invalid("person_id", "请选择当事人"));
        };
        let id = store::insert_four_forms(
            tx.conn(),
            NewFourForms {
                org_id: person.org_id,
                org_path: &person.org_path,
                person_id: person.id,
                form: action.form as i64,
                action: action.key,
                decided_on: &decided_on.to_string(),
                decided_by: &decided_by,
                reason: &reason,
                petition_id: input.petition_id,
                problem_id: input.problem_id,
                created_by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?;
        let detail = format!(
            "{}·{}：{reason}（{decided_by} {decided_on}）",
            four_forms::form_label(action.form as i64),
            action.label
        );
        hist(tx.conn(), actor, "four_forms", id, "登记", &detail).await?;
        if let Some(pid) = input.petition_id {
            hist(
                tx.conn(),
                actor,
                "petition",
                pid,
                "四种形态处理",
                &format!(
                    "{}·{}",
                    four_forms::form_label(action.form as i64),
                    action.label
                ),
            )
            .await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::FourFormsRecord,
                "four_forms",
                id,
                &person.org_path,
            )
            .detail(format!(
                "form{} {} person#{}{}",
                action.form,
                action.key,
                person.id,
                petition_code.map(|c| format!(" {c}")).unwrap_or_default()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// (key, label, form) of every action, for forms.
pub fn action_options() -> Vec<(&'static str, &'static str, u8)> {
    ACTIONS.iter().map(|a| (a.key, a.label, a.form)).collect()
}
