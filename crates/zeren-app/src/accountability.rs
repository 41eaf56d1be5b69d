//! Accountability (问责): records of actions taken against a person or an org for a
//! failed duty, linked to the notice or item that caused them; listed per org subtree
//! and per person, and counted per org and action for the year-end assessment.
use zeren_core::validate;
use zeren_core::{Permission, Role, ValidationErrors};
use zeren_store::accountability::{
    self, AccountabilityFilter, AccountabilityRow, ActionCount, NewRecord,
};

use crate::audit::{self, AuditAction, Event};
use crate::notice::item_kind_label;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// The actions, stored by key, shown by label.
pub const ACTIONS: [(&str, &str); 6] = [
    ("interview", "约谈"),
    ("circular", "通报批评"),
    ("self_exam", "责令检查"),
    ("admonish", "诫勉"),
    ("org_handling", "组织处理"),
    ("discipline_referral", "移送纪检"),
];

pub fn action_label(key: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or("其他")
}

#[derive(Debug, Clone, Default)]
pub struct NewAccountability {
    /// The person held to account (their org is the record's org), or …
    pub person_id: Option<i64>,
    /// … the org held to account when no person is named.
    pub org_id: Option<i64>,
    pub action: String,
    pub reason: String,
    /// Who decided (e.g. 委党委, 纪检监察组).
    pub decided_by: String,
    pub decided_on: String,
    pub notice_id: Option<i64>,
    /// (`task` | `measure`, id)
    pub item: Option<(String, i64)>,
}

/// Whether the actor holds an office role over the org at `path`.
fn office_at(actor: &Actor, path: &str) -> bool {
    actor.roles.iter().any(|(r, row)| {
        matches!(r, Role::CommissionOffice | Role::UnitOffice)
            && r.permits(Permission::WriteScope)
            && path.starts_with(row.org_path.as_str())
    })
}

impl App {
    pub fn may_record_accountability(actor: &Actor) -> bool {
        actor
            .roles
            .iter()
            .any(|(r, _)| matches!(r, Role::CommissionOffice | Role::UnitOffice))
    }

    pub async fn accountability_list(
        &self,
        actor: &Actor,
        f: AccountabilityFilter,
        paging: Paging,
    ) -> AppResult<Page<AccountabilityRow>> {
        let mut c = self.store.conn().await?;
        let f = AccountabilityFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = accountability::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Records of one org's subtree (org detail pages).
    pub async fn accountability_of_org(
        &self,
        actor: &Actor,
        org_id: i64,
        limit: i64,
    ) -> AppResult<Vec<AccountabilityRow>> {
        let org = self.org_get(actor, org_id).await?;
        let f = AccountabilityFilter {
            org_path: Some(org.path),
            ..Default::default()
        };
        Ok(self
            .accountability_list(actor, f, Paging::new(Some(1), Some(limit)))
            .await?
            .items)
    }

    /// Records naming one person (person detail pages).
    pub async fn accountability_of_person(
        &self,
        actor: &Actor,
        person_id: i64,
        limit: i64,
    ) -> AppResult<Vec<AccountabilityRow>> {
        let f = AccountabilityFilter {
            person_id: Some(person_id),
            ..Default::default()
        };
        Ok(self
            .accountability_list(actor, f, Paging::new(Some(1), Some(limit)))
            .await?
            .items)
    }

    /// Records decided in `year` in the actor's scope, per org and action.
    pub async fn accountability_counts(
        &self,
        actor: &Actor,
        year: i32,
    ) -> AppResult<Vec<ActionCount>> {
        let mut c = self.store.conn().await?;
        Ok(accountability::counts(&mut c, &actor.read_scope(), year).await?)
    }

    pub async fn record_accountability(
        &self,
        actor: &Actor,
        input: NewAccountability,
    ) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        if !ACTIONS.iter().any(|(k, _)| *k == input.action) {
            errs.add("action", "请选择问责方式");
        }
        let reason = validate::text(&mut errs, "reason", "问责事由", &input.reason, 2000);
        let decided_by = validate::text(&mut errs, "decided_by", "决定机关", &input.decided_by, 60);
        let decided_on = validate::date(&mut errs, "decided_on", "决定日期", &input.decided_on);
        if let Some(d) = decided_on {
            if d > clock::today() {
                errs.add("decided_on", "决定日期不能晚于今天");
            }
        }
        let mut tx = self.store.begin_write().await?;
        let scope = actor.read_scope();
        // the target: a person (and their org), or an org
        let target = match (input.person_id, input.org_id) {
            (Some(pid), _) => match zeren_store::person::get_in(tx.conn(), &scope, pid).await {
                Ok(p) => Some((p.org_id, p.org_path, Some(p.id))),
                Err(_) => {
                    errs.add("person_id", "被问责人不存在");
                    None
                }
            },
            (None, Some(oid)) => match zeren_store::org::get_in(tx.conn(), &scope, oid).await {
                Ok(o) => Some((o.id, o.path, None)),
                Err(_) => {
                    errs.add("org_id", "被问责单位不存在");
                    None
                }
            },
            (None, None) => {
                errs.add("person_id", "请选择被问责人或被问责单位");
                None
            }
        };
        if let Some((_, path, _)) = &target {
            if !office_at(actor, path) {
                return Err(AppError::Forbidden("只有本级或上级党办可以登记问责".into()));
            }
        }
        // the links must be visible and concern the same line of the tree
        let related = |p: &str| match &target {
            Some((_, t, _)) => p.starts_with(t.as_str()) || t.starts_with(p),
            None => true,
        };
        let mut notice_code = None;
        if let Some(nid) = input.notice_id {
            match zeren_store::supervision::get_in(tx.conn(), &scope, nid).await {
                Ok(n) if related(&n.org_path) => notice_code = Some(n.code),
                Ok(_) => errs.add("notice_id", "督办单与被问责对象无关"),
                Err(_) => errs.add("notice_id", "督办单不存在"),
            }
        }
        let mut item = None;
        if let Some((kind, iid)) = &input.item {
            let path = match kind.as_str() {
                "task" => zeren_store::task::get_in(tx.conn(), &scope, *iid)
                    .await
                    .ok()
                    .map(|t| t.org_path),
                "measure" => match zeren_store::problem::measure(tx.conn(), *iid).await {
                    Ok(m) => zeren_store::problem::get_in(tx.conn(), &scope, m.problem_id)
                        .await
                        .ok()
                        .map(|_| m.org_path),
                    Err(_) => None,
                },
                _ => None,
            };
            match path {
                Some(p) if related(&p) => item = Some((kind.clone(), *iid)),
                Some(_) => errs.add(
                    "item_id",
                    format!("{}#{iid} 与被问责对象无关", item_kind_label(kind)),
                ),
                None => errs.add("item_id", format!("{}#{iid} 不存在", item_kind_label(kind))),
            }
        }
        errs.into_result()?;
        let (Some((org_id, org_path, person_id)), Some(decided_on)) = (target, decided_on) else {
            return Err(crate::error::invalid(
                "person_id",
                "请选择被问责人或被问责单位",
            ));
        };
        let decided_on = decided_on.to_string();
        let id = accountability::insert(
            tx.conn(),
            NewRecord {
                org_id,
                org_path: &org_path,
                person_id,
                action: &input.action,
                reason: &reason,
                decided_by: &decided_by,
                decided_on: &decided_on,
                notice_id: input.notice_id,
                item_type: item.as_ref().map(|(k, _)| k.as_str()),
                item_id: item.as_ref().map(|(_, i)| *i),
                created_by: Some(actor.user_id),
                created_at: clock::now(),
            },
        )
        .await?;
        let label = action_label(&input.action);
        let detail = format!("{label}：{reason}（{decided_by} {decided_on}）");
        hist(tx.conn(), actor, "accountability", id, "登记问责", &detail).await?;
        if let Some(nid) = input.notice_id {
            hist(tx.conn(), actor, "notice", nid, "问责", &detail).await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AccountabilityRecord,
                "accountability",
                id,
                &org_path,
            )
            .detail(format!(
                "{} {}{}",
                input.action,
                person_id.map(|p| format!("person#{p}")).unwrap_or_default(),
                notice_code.map(|c| format!(" {c}")).unwrap_or_default()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
