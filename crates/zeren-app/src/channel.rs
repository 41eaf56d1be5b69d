//! Where reminders reach a user (in-app always; email and the deployment webhook by
//! choice) and a plan's own reminder ladder.
use serde::Serialize;
use zeren_core::reminder::Policy;
use zeren_core::Permission;
use zeren_store::user::{self, ChannelsRow};
use zeren_store::{history, plan};

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::{clock, Actor, App, AppError, AppResult};

/// A user's channels as a form shows and takes them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Channels {
    pub email: String,
    pub by_email: bool,
    pub by_webhook: bool,
}

/// A plan as the reminder settings list it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanReminders {
    pub plan_id: i64,
    pub title: String,
    /// The plan's own lead days, empty when it follows the default.
    pub days: String,
    pub can_edit: bool,
}

/// Checks an address the way a mail relay will: one `@`, a dot in the domain, no
/// spaces. (Full RFC 5322 parsing is the relay's job; this catches typing errors.)
fn check_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
        && s.len() <= 254
}

impl App {
    pub async fn my_channels(&self, actor: &Actor) -> AppResult<Channels> {
        let mut c = self.store.conn().await?;
        let r = user::channels(&mut c, actor.user_id).await?;
        Ok(Channels {
            email: r.email.unwrap_or_default(),
            by_email: r.notify_email != 0,
            by_webhook: r.notify_webhook != 0,
        })
    }

    pub async fn set_my_channels(&self, actor: &Actor, ch: &Channels) -> AppResult<()> {
        let email = ch.email.trim();
        if !email.is_empty() && !check_email(email) {
            return Err(invalid(
                "email",
                "邮箱地址格式不正确，例如 zhangsan@wjw.gov.cn",
            ));
        }
        if ch.by_email && email.is_empty() {
            return Err(invalid("email", "选择邮件提醒时请填写邮箱地址"));
        }
        let mut tx = self.store.begin_write().await?;
        user::set_channels(
            tx.conn(),
            actor.user_id,
            &ChannelsRow {
                email: (!email.is_empty()).then(|| email.to_string()),
                notify_email: i64::from(ch.by_email),
                notify_webhook: i64::from(ch.by_webhook),
            },
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ChannelsSet, "user", actor.user_id, "").detail(format!(
                "邮件{}，推送{}",
                if ch.by_email { "开" } else { "关" },
                if ch.by_webhook { "开" } else { "关" }
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The plans the actor can see, with their lead days.
    pub async fn plan_reminders(&self, actor: &Actor) -> AppResult<Vec<PlanReminders>> {
        let plans = self.plans(actor).await?;
        let mut c = self.store.conn().await?;
        let mut out = Vec::with_capacity(plans.len());
        for p in plans {
            let org = zeren_store::org::get(&mut c, p.org_id).await?;
            out.push(PlanReminders {
                plan_id: p.id,
                title: p.title,
                days: plan::remind_days(&mut c, p.id).await?.unwrap_or_default(),
                can_edit: actor.can_at(Permission::WriteScope, &org.path),
            });
        }
        Ok(out)
    }

    /// Sets a plan's lead days ("7,3,1"); empty text returns it to the default.
    pub async fn set_plan_reminders(
        &self,
        actor: &Actor,
        plan_id: i64,
        days: &str,
    ) -> AppResult<()> {
        let parsed = if days.trim().is_empty() {
            None
        } else {
            let v = Policy::parse_lead_days(days).map_err(|e| invalid("days", e))?;
            if v.is_empty() {
                return Err(invalid(
                    "days",
                    "请至少填写一个提前天数，或留空使用系统默认",
                ));
            }
            Some(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            )
        };
        let mut tx = self.store.begin_write().await?;
        let p = plan::get(tx.conn(), plan_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let org = zeren_store::org::get(tx.conn(), p.org_id).await?;
        if !actor.can_at(Permission::ReadScope, &org.path) {
            return Err(AppError::NotFound);
        }
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只有制定计划的党组织办公室可以修改提示规则",
        )?;
        plan::set_remind_days(tx.conn(), plan_id, parsed.as_deref()).await?;
        let shown = parsed.clone().unwrap_or_else(|| "系统默认".into());
        history::add(
            tx.conn(),
            history::Entry {
                kind: "plan",
                id: plan_id,
                at: clock::now(),
                actor_id: Some(actor.user_id),
                actor_name: &actor.display_name,
                action: "修改提示规则",
                detail: &format!("提前天数：{shown}"),
            },
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PlanRemindersSet, "plan", plan_id, &org.path).detail(shown),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::check_email;

    #[test]
    fn email_addresses_are_checked_for_typing_errors() {
        assert!(check_email("zhangsan@wjw.gov.cn"));
        assert!(!check_email("zhangsan"));
        assert!(!check_email("zhang san@wjw.gov.cn"));
        assert!(!check_email("a@b"));
        assert!(!check_email("a@@b.cn"));
        assert!(!check_email("@b.cn"));
    }
}
