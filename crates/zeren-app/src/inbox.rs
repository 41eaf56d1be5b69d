//! 消息提醒 and 督导 as an actor sees them: the inbox of notifications addressed to
//! the person or to the offices they hold, and the supervision queue of the orgs in
//! their read scope. The engine (`reminder`) writes notifications; this reads them.
use serde::Serialize;
use zeren_core::reminder::{Stage, Warning};
use zeren_core::{MeasureState, Permission, Role, TaskState};
use zeren_store::notification::{self, NotificationRow, QueueFilter, QueueRow, Recipient};

use crate::audit::{self, AuditAction, Event};
use crate::{clock, error, Actor, App, AppError, AppResult, Page, Paging};

/// Roles whose holder reads what is addressed to their org (its office's inbox).
const OFFICE_ROLES: [Role; 3] = [
    Role::CommissionOffice,
    Role::UnitOffice,
    Role::BranchSecretary,
];

/// Item kinds a notification or queue row can be about.
pub const ITEM_TYPES: [(&str, &str); 3] = [
    ("task", "任务"),
    ("measure", "整改措施"),
    ("notice", "督办单"),
];

/// A notification with what a page or API client needs to show it.
#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    #[serde(flatten)]
    pub row: NotificationRow,
    /// Where the item is shown.
    pub href: String,
    pub item_label: &'static str,
    pub stage_label: String,
    /// 提示 (a reminder) or 督导 (an escalation).
    pub kind_label: &'static str,
    pub unread: bool,
}

/// A row of the supervision queue with its lateness and warning colour today.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    #[serde(flatten)]
    pub row: QueueRow,
    pub href: String,
    pub item_label: &'static str,
    pub state_label: &'static str,
    /// Days past the deadline today (0 when not late).
    pub days_late: i64,
    pub open: bool,
    /// "blue", "yellow", "red" or null.
    pub warning: Option<&'static str>,
}

/// Filters of the 督导 page.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    pub item_type: Option<String>,
    pub open_only: bool,
    pub without_notice: bool,
}

/// Open items of a scope by warning colour (tasks and problems together).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct WarningCounts {
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
}

/// The warning's name in the API ("blue", "yellow", "red").
pub fn warning_name(w: Warning) -> &'static str {
    match w {
        Warning::Blue => "blue",
        Warning::Yellow => "yellow",
        Warning::Red => "red",
    }
}

pub fn item_label(item_type: &str) -> &'static str {
    if item_type == "rule" {
        // a compliance flag: about an org and one of the rules it is checked against
        return "制度规定";
    }
    ITEM_TYPES
        .iter()
        .find(|(k, _)| *k == item_type)
        .map(|(_, l)| *l)
        .unwrap_or("事项")
}

fn href(item_type: &str, item_id: i64, problems: &[(i64, i64)]) -> String {
    match item_type {
        "letter" => format!("/letters/{item_id}"),
        "task" => format!("/tasks/{item_id}"),
        "measure" => match problems.iter().find(|(m, _)| *m == item_id) {
            Some((_, p)) => format!("/problems/{p}"),
            None => "/problems".to_string(),
        },
        "rule" => format!("/compliance?org={item_id}"),
        "risk_review" => format!("/risk-points/{item_id}"),
        "inspection_report" => format!("/inspection/targets/{item_id}"),
        _ => format!("/notices/{item_id}"),
    }
}

/// A queue row's item is still open unless it is done, answered or closed.
fn queue_open(state: &str) -> bool {
    !matches!(state, "done" | "answered" | "closed" | "")
}

fn state_label(item_type: &str, state: &str) -> &'static str {
    match item_type {
        "task" => TaskState::parse(state).map(|s| s.label()).unwrap_or(""),
        "measure" => MeasureState::parse(state).map(|s| s.label()).unwrap_or(""),
        _ => match state {
            "open" => "待答复",
            "answered" => "已答复",
            "closed" => "已办结",
            _ => "",
        },
    }
}

impl Actor {
    /// Whose notifications the actor reads: their own as a person, and those of the
    /// orgs whose office they hold. Administrators read none.
    pub fn recipient(&self) -> Recipient {
        if !self.has(Permission::ReadScope) && !self.has(Permission::OwnItems) {
            return Recipient::default();
        }
        let mut org_ids: Vec<i64> = self
            .roles
            .iter()
            .filter(|(r, _)| OFFICE_ROLES.contains(r))
            .map(|(_, row)| row.org_id)
            .collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        Recipient {
            person_id: self.person_id,
            org_ids,
        }
    }
}

impl App {
    /// The actor's notifications, newest first.
    pub async fn inbox(
        &self,
        actor: &Actor,
        unread_only: bool,
        paging: Paging,
    ) -> AppResult<Page<InboxItem>> {
        let who = actor.recipient();
        let mut c = self.store.conn().await?;
        let (rows, total) =
            notification::inbox(&mut c, &who, unread_only, paging.per_page, paging.offset())
                .await?;
        let measures: Vec<i64> = rows
            .iter()
            .filter(|r| r.item_type == "measure")
            .map(|r| r.item_id)
            .collect();
        let problems = notification::measure_problems(&mut c, &measures).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let stage = Stage::parse(&row.stage);
                InboxItem {
                    href: href(&row.item_type, row.item_id, &problems),
                    item_label: item_label(&row.item_type),
                    stage_label: stage.map(Stage::label).unwrap_or_else(|| {
                        crate::reminder::rule_stage_label(&row.stage).to_string()
                    }),
                    kind_label: if stage.is_some_and(Stage::is_escalation) {
                        "督导"
                    } else {
                        "提示"
                    },
                    unread: row.read_at.is_none(),
                    row,
                }
            })
            .collect();
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Unread notifications of the actor (the header badge): one indexed count.
    pub async fn unread_count(&self, actor: &Actor) -> AppResult<i64> {
        let who = actor.recipient();
        if who.person_id.is_none() && who.org_ids.is_empty() {
            return Ok(0);
        }
        let mut c = self.store.conn().await?;
        Ok(notification::unread(&mut c, &who).await?)
    }

    /// Marks one notification (`id`) or all of the actor's notifications read; how many
    /// changed. A notification the actor may not read is not found.
    pub async fn mark_read(&self, actor: &Actor, id: Option<i64>) -> AppResult<u64> {
        let who = actor.recipient();
        let mut tx = self.store.begin_write().await?;
        if let Some(id) = id {
            if notification::get_for(tx.conn(), &who, id).await?.is_none() {
                return Err(AppError::NotFound);
            }
        }
        let n = notification::mark_read(tx.conn(), &who, id, clock::now()).await?;
        if n > 0 {
            let object = id.map(|i| i.to_string()).unwrap_or_else(|| "all".into());
            audit::by_actor(
                tx.conn(),
                actor,
                Event::ok(AuditAction::NotificationRead, "notification", object, "")
                    .detail(format!("{n}")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// The supervision queue (督导) of the orgs in the actor's read scope.
    pub async fn supervision_queue(
        &self,
        actor: &Actor,
        q: QueueQuery,
        paging: Paging,
    ) -> AppResult<Page<QueueItem>> {
        if let Some(t) = &q.item_type {
            if !ITEM_TYPES.iter().any(|(k, _)| k == t) {
                return Err(error::invalid(
                    "item_type",
                    "事项类型应为 task、measure 或 notice",
                ));
            }
        }
        let paths = actor.paths_for(Permission::ReadScope);
        let mut c = self.store.conn().await?;
        let f = QueueFilter {
            item_type: q.item_type,
            open_only: q.open_only,
            without_notice: q.without_notice,
            limit: paging.per_page,
            offset: paging.offset(),
        };
        let (rows, total) = notification::queue(&mut c, &paths, &f).await?;
        let measures: Vec<i64> = rows
            .iter()
            .filter(|r| r.item_type == "measure")
            .map(|r| r.item_id)
            .collect();
        let problems = notification::measure_problems(&mut c, &measures).await?;
        let today = clock::today();
        let wd = self.cfg.reminders.warning;
        let items = rows
            .into_iter()
            .map(|row| {
                let open = queue_open(&row.state);
                let days_late = chrono::NaiveDate::parse_from_str(&row.deadline, "%Y-%m-%d")
                    .map(|d| (today - d).num_days().max(0))
                    .unwrap_or(0);
                QueueItem {
                    href: href(&row.item_type, row.item_id, &problems),
                    item_label: item_label(&row.item_type),
                    state_label: state_label(&row.item_type, &row.state),
                    days_late,
                    open,
                    warning: wd.colour_str(&row.deadline, today, open).map(warning_name),
                    row,
                }
            })
            .collect();
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Open tasks and problems under `org_path` by warning colour today, for the
    /// dashboard. The path must be in the actor's read scope.
    pub async fn warning_counts(&self, actor: &Actor, org_path: &str) -> AppResult<WarningCounts> {
        if !actor.read_scope().contains_path(org_path) {
            return Err(AppError::NotFound);
        }
        let wd = self.cfg.reminders.warning;
        let today = clock::today();
        let day = |n: i64| {
            (today + chrono::TimeDelta::days(n))
                .format("%Y-%m-%d")
                .to_string()
        };
        let (t, y, b) = (day(0), day(wd.yellow), day(wd.blue.max(wd.yellow)));
        let mut c = self.store.conn().await?;
        let mut out = WarningCounts::default();
        for kind in ["task", "problem"] {
            let (r, yl, bl) =
                notification::warning_counts(&mut c, kind, org_path, &t, &y, &b).await?;
            out.red += r;
            out.yellow += yl;
            out.blue += bl;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zeren_store::user::RoleRow;

    fn actor(roles: &[(Role, i64)], person: Option<i64>) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            display_name: "u".into(),
            person_id: person,
            roles: roles
                .iter()
                .map(|(r, org)| {
                    (
                        *r,
                        RoleRow {
                            id: 1,
                            user_id: 1,
                            role: r.as_str().into(),
                            org_id: *org,
                            org_name: "o".into(),
                            org_path: format!("/{org}/"),
                        },
                    )
                })
                .collect(),
            source: String::new(),
        }
    }

    #[test]
    fn offices_read_their_org_and_admins_read_nothing() {
        let a = actor(&[(Role::UnitOffice, 5), (Role::TeamMember, 1)], Some(9));
        let r = a.recipient();
        assert_eq!(r.person_id, Some(9));
        assert_eq!(r.org_ids, vec![5]);
        let m = actor(&[(Role::Member, 7)], Some(3));
        assert!(m.recipient().org_ids.is_empty());
        let s = actor(&[(Role::SysAdmin, 1)], Some(3));
        let r = s.recipient();
        assert!(r.person_id.is_none() && r.org_ids.is_empty());
    }

    #[test]
    fn measures_link_to_their_problem() {
        assert_eq!(href("task", 4, &[]), "/tasks/4");
        assert_eq!(href("measure", 4, &[(4, 11)]), "/problems/11");
        assert_eq!(href("notice", 2, &[]), "/notices/2");
        assert!(queue_open("not_started") && !queue_open("done") && !queue_open("answered"));
    }
}
