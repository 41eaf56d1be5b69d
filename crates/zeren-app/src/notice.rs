//! Supervision notices (督办单): an upper org's office presses a lower org on late
//! tasks and measures, with a date by which the lower org must answer; the lower org's
//! office answers with text and evidence. The reminder engine reminds and escalates
//! open notices (see `reminder`); this module issues, shows and answers them.
use chrono::Datelike;
use zeren_core::validate;
use zeren_core::{Permission, Role, ValidationErrors};
use zeren_store::evidence::{self, EvidenceRow};
use zeren_store::history::{self, HistoryRow};
use zeren_store::supervision::{self, NoticeFilter, NoticeItemRow, NoticeListRow, NoticeRow};
use zeren_store::user::RoleRow;
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::evidence::Upload;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// The kinds of item a notice can press on.
pub const ITEM_KINDS: [&str; 2] = ["task", "measure"];

pub fn item_kind_label(k: &str) -> &'static str {
    match k {
        "task" => "任务",
        "measure" => "整改措施",
        _ => "事项",
    }
}

pub fn notice_state_label(s: &str) -> &'static str {
    match s {
        "open" => "待答复",
        "answered" => "已答复",
        _ => "未知",
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewNotice {
    /// The lower org that must answer.
    pub org_id: i64,
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`, today or later.
    pub answer_due: String,
    /// (`task` | `measure`, id)
    pub items: Vec<(String, i64)>,
}

pub struct NoticeDetail {
    pub notice: NoticeListRow,
    pub row: NoticeRow,
    pub issuing_org_name: String,
    pub org_name: String,
    pub issued_by_name: Option<String>,
    pub answered_by_name: Option<String>,
    pub items: Vec<NoticeItemRow>,
    pub evidence: Vec<EvidenceRow>,
    pub history: Vec<HistoryRow>,
    /// The actor is the lower org's office and the notice is open.
    pub can_answer: bool,
    /// Answered after the answer date (shown, never hidden).
    pub answered_late: bool,
}

/// An office role (委党办 / 单位党办) of the actor whose org is strictly above the org
/// at `path`: the deepest one, so a notice is issued by the nearest office above.
fn office_above<'a>(actor: &'a Actor, path: &str) -> Option<&'a RoleRow> {
    actor
        .roles
        .iter()
        .filter(|(r, row)| {
            matches!(r, Role::CommissionOffice | Role::UnitOffice)
                && r.permits(Permission::WriteScope)
                && path.starts_with(row.org_path.as_str())
                && path != row.org_path
        })
        .map(|(_, row)| row)
        .max_by_key(|row| row.org_path.len())
}

/// Whether the actor writes for the lower org of a notice: a role permitted to write at
/// the lower org whose own org lies below the issuing org (so the issuer cannot
/// answer its own notice).
fn answers_for(actor: &Actor, n: &NoticeRow) -> bool {
    actor.roles.iter().any(|(r, row)| {
        r.permits(Permission::WriteScope)
            && n.org_path.starts_with(row.org_path.as_str())
            && !n.issuing_org_path.starts_with(row.org_path.as_str())
    })
}

impl App {
    pub async fn notices(
        &self,
        actor: &Actor,
        f: NoticeFilter,
        paging: Paging,
    ) -> AppResult<Page<NoticeListRow>> {
        let mut c = self.store.conn().await?;
        let f = NoticeFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = supervision::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Whether the actor may issue notices at all (holds an office role with an org
    /// below it).
    pub fn may_issue_notices(actor: &Actor) -> bool {
        actor
            .roles
            .iter()
            .any(|(r, _)| matches!(r, Role::CommissionOffice | Role::UnitOffice))
    }

    /// Orgs the actor may issue a notice to: visible orgs strictly below one of its
    /// offices, `levels` levels deep.
    pub async fn notice_targets(
        &self,
        actor: &Actor,
        levels: i64,
    ) -> AppResult<Vec<zeren_store::org::OrgRow>> {
        Ok(self
            .org_tree(actor, None, levels)
            .await?
            .into_iter()
            .filter(|o| o.closed_at.is_none() && office_above(actor, &o.path).is_some())
            .collect())
    }

    /// Overdue open tasks and measures under `org_id`, visible to the actor: what a
    /// notice to that org would typically press on.
    pub async fn notice_candidates(
        &self,
        actor: &Actor,
        org_id: i64,
    ) -> AppResult<Vec<NoticeItemRow>> {
        let mut c = self.store.conn().await?;
        let scope = actor.read_scope();
        let org = zeren_store::org::get_in(&mut c, &scope, org_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(supervision::overdue_items(&mut c, &scope, &org.path, &clock::today_str(), 300).await?)
    }

    pub async fn notice_detail(&self, actor: &Actor, id: i64) -> AppResult<NoticeDetail> {
        let mut c = self.store.conn().await?;
        let row = supervision::get_in(&mut c, &actor.read_scope(), id).await?;
        let notice = supervision::list_row(&mut c, id).await?;
        let items = supervision::items(&mut c, id).await?;
        let evidence = evidence::of(&mut c, "notice", id).await?;
        let history = history::of(&mut c, "notice", id).await?;
        let issued_by_name = user_name(&mut c, row.issued_by).await?;
        let answered_by_name = user_name(&mut c, row.answered_by).await?;
        let answered_late = match row.answered_at {
            Some(at) => clock::fmt_instant(at).get(..10).unwrap_or("") > row.answer_due.as_str(),
            None => false,
        };
        Ok(NoticeDetail {
            can_answer: row.state == "open" && answers_for(actor, &row),
            issuing_org_name: notice.issuing_org_name.clone(),
            org_name: notice.org_name.clone(),
            issued_by_name,
            answered_by_name,
            items,
            evidence,
            history,
            answered_late,
            notice,
            row,
        })
    }

    /// Issues a notice from the nearest office above `input.org_id`. Every bad field is
    /// reported at once and nothing is written unless all are good.
    pub async fn issue_notice(&self, actor: &Actor, input: NewNotice) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let title = validate::text(&mut errs, "title", "督办事项", &input.title, 100);
        let body = validate::text(&mut errs, "body", "督办要求", &input.body, 4000);
        let due = validate::date(&mut errs, "answer_due", "答复期限", &input.answer_due);
        let today = clock::today();
        if let Some(d) = due {
            if d < today {
                errs.add("answer_due", "答复期限不能早于今天");
            }
        }
        if input.items.is_empty() {
            errs.add("items", "请至少选择一项督办事项（逾期任务或整改措施）");
        }
        let mut tx = self.store.begin_write().await?;
        let scope = actor.read_scope();
        let org = match zeren_store::org::get_in(tx.conn(), &scope, input.org_id).await {
            Ok(o) if o.closed_at.is_none() => Some(o),
            _ => {
                errs.add("org_id", "被督办单位不存在");
                None
            }
        };
        let issuing = match &org {
            Some(o) => match office_above(actor, &o.path) {
                Some(r) => Some(r.clone()),
                None => {
                    errs.add("org_id", "只能由上级组织的党办向下级组织下发督办单");
                    None
                }
            },
            None => None,
        };
        // each item: a task or measure the actor can see, inside the target's subtree
        let mut items: Vec<(String, i64)> = Vec::new();
        for (kind, id) in &input.items {
            if items.iter().any(|(k, i)| k == kind && i == id) {
                continue;
            }
            let path = match kind.as_str() {
                "task" => zeren_store::task::get_in(tx.conn(), &scope, *id)
                    .await
                    .ok()
                    .map(|t| t.org_path),
                "measure" => match zeren_store::problem::measure(tx.conn(), *id).await {
                    Ok(m) => zeren_store::problem::get_in(tx.conn(), &scope, m.problem_id)
                        .await
                        .ok()
                        .map(|_| m.org_path),
                    Err(_) => None,
                },
                _ => {
                    errs.add("items", format!("未知的事项类型“{kind}”"));
                    continue;
                }
            };
            match (path, &org) {
                (Some(p), Some(o)) if p.starts_with(o.path.as_str()) => {
                    items.push((kind.clone(), *id))
                }
                (Some(_), Some(o)) => errs.add(
                    "items",
                    format!("{}#{id} 不属于“{}”及其下级", item_kind_label(kind), o.name),
                ),
                (None, _) => errs.add("items", format!("{}#{id} 不存在", item_kind_label(kind))),
                (Some(_), None) => {}
            }
        }
        errs.into_result()?;
        let (Some(org), Some(issuing), Some(due)) = (org, issuing, due) else {
            return Err(invalid("org_id", "被督办单位不存在"));
        };
        let issuing_org = zeren_store::org::get(tx.conn(), issuing.org_id).await?;
        let prefix = issuing_org
            .code
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| format!("Z{}", issuing_org.id));
        let code =
            supervision::next_code(tx.conn(), issuing_org.id, prefix.trim(), today.year()).await?;
        let now = clock::now();
        let due = due.to_string();
        let id = supervision::insert(
            tx.conn(),
            supervision::NewNotice {
                code: &code,
                issuing_org_id: issuing_org.id,
                issuing_org_path: &issuing_org.path,
                org_id: org.id,
                org_path: &org.path,
                title: &title,
                body: &body,
                answer_due: &due,
                issued_by: Some(actor.user_id),
                issued_at: now,
                items: &items,
            },
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "notice",
            id,
            "下发督办单",
            &format!("{code} → {}，{} 项，{due} 前答复", org.name, items.len()),
        )
        .await?;
        // the pressed items show the notice in their own timelines
        for (kind, item_id) in &items {
            let (hk, hid) = match kind.as_str() {
                "task" => ("task", *item_id),
                _ => (
                    "problem",
                    zeren_store::problem::measure(tx.conn(), *item_id)
                        .await?
                        .problem_id,
                ),
            };
            hist(
                tx.conn(),
                actor,
                hk,
                hid,
                "列入督办",
                &format!("{code}《{title}》"),
            )
            .await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::NoticeIssue, "notice", id, &org.path)
                .detail(format!("{code} {} 项", items.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The lower org's office answers an open notice, with optional evidence files.
    pub async fn answer_notice(
        &self,
        actor: &Actor,
        id: i64,
        answer: &str,
        files: &[Upload],
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let answer = validate::text(&mut errs, "answer", "答复内容", answer, 4000);
        errs.into_result()?;
        self.check_uploads("files", files)?;
        let mut tx = self.store.begin_write().await?;
        let n = supervision::get_in(tx.conn(), &actor.read_scope(), id).await?;
        if !answers_for(actor, &n) {
            return Err(AppError::Forbidden("只有被督办单位可以答复督办单".into()));
        }
        if n.state != "open" {
            return Err(AppError::Conflict("该督办单已答复".into()));
        }
        let now = clock::now();
        supervision::answer(tx.conn(), id, &answer, Some(actor.user_id), now).await?;
        self.attach_all(tx.conn(), actor, "notice", id, &n.org_path, files)
            .await?;
        let late = clock::today_str() > n.answer_due;
        let what = if late {
            "逾期答复督办单"
        } else {
            "答复督办单"
        };
        hist(tx.conn(), actor, "notice", id, what, &answer).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::NoticeAnswer, "notice", id, &n.org_path).detail(format!(
                "{}{}",
                n.code,
                if late { " 逾期" } else { "" }
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notices that name an item, if the actor can see them.
    pub async fn notices_of_item(
        &self,
        actor: &Actor,
        item_type: &str,
        item_id: i64,
    ) -> AppResult<Vec<NoticeListRow>> {
        let mut c = self.store.conn().await?;
        let scope = actor.read_scope();
        let mut out = Vec::new();
        for n in supervision::of_item(&mut c, item_type, item_id).await? {
            if supervision::get_in(&mut c, &scope, n.id).await.is_ok() {
                out.push(n);
            }
        }
        Ok(out)
    }
}

async fn user_name(c: &mut Conn, id: Option<i64>) -> AppResult<Option<String>> {
    Ok(match id {
        Some(id) => zeren_store::user::get(c, id)
            .await
            .ok()
            .map(|u| u.display_name),
        None => None,
    })
}
