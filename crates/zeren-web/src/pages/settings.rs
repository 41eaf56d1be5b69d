//! 提醒设置: how reminders reach me, and each plan's own ladder.
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::channel::{Channels, PlanReminders};

use crate::ctx::{action_failed, error_page, render, PageCtx};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    ctx: PageCtx,
    channels: Channels,
    plans: Vec<PlanReminders>,
    default_days: String,
    leader_after: u16,
    supervise_after: u16,
    blue: i64,
    yellow: i64,
    email_on: bool,
    webhook_on: bool,
}

pub async fn page(State(st): State<AppState>, u: PageUser) -> Response {
    let channels = match st.app.my_channels(&u.actor).await {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    let plans = st.app.plan_reminders(&u.actor).await.unwrap_or_default();
    let r = &st.app.cfg.reminders;
    render(
        &SettingsPage {
            ctx: PageCtx::new(&u, "settings", vec![("提醒设置", None)]),
            channels,
            plans,
            default_days: r
                .policy
                .lead_days
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
            leader_after: r.policy.leader_after,
            supervise_after: r.policy.supervise_after,
            blue: r.warning.blue,
            yellow: r.warning.yellow,
            email_on: r.smtp.is_some(),
            webhook_on: r.webhook_url.is_some(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize)]
pub struct ChannelsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    by_email: Option<String>,
    by_webhook: Option<String>,
}

pub async fn channels(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<ChannelsForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let ch = Channels {
        email: f.email,
        by_email: f.by_email.is_some(),
        by_webhook: f.by_webhook.is_some(),
    };
    match st.app.set_my_channels(&u.actor, &ch).await {
        Ok(()) => redirect_with_flash("/settings", "提醒方式已保存"),
        Err(e) => action_failed("/settings", &e),
    }
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    days: String,
}

pub async fn plan(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<PlanForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.set_plan_reminders(&u.actor, id, &f.days).await {
        Ok(()) => redirect_with_flash("/settings", "提示规则已保存，下一轮提醒起生效"),
        Err(e) => action_failed("/settings", &e),
    }
}
