//! Recurring duties and year roll-over on the task pages: the cadence form (周期) and
//! links on a task's detail, the event registration of an after-event duty, and the
//! "复制到下一年度" action of a plan.
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::recurring::{
    cadence_label, cadence_options, parse_cadence_input, PlanRollInfo, TaskLinks,
};
use zeren_core::cadence::Cadence;

use crate::ctx::action_failed;
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

/// What a task's detail page shows about recurrence and roll-over.
#[derive(Default)]
pub struct RecurringView {
    pub links: TaskLinks,
    /// The copy of this task in next year's plan.
    pub next_year: Option<i64>,
    /// "每季度", empty when the task does not recur.
    pub label: String,
    /// The issuing office may set the cadence.
    pub can_set: bool,
    /// (value, label, selected)
    pub options: Vec<(String, String, bool)>,
    /// Days of an after-event cadence (also the form's current value).
    pub event_days: Option<u32>,
    /// The responsible org may register an event.
    pub can_event: bool,
}

impl RecurringView {
    pub async fn load(st: &AppState, u: &PageUser, id: i64, can_decompose: bool) -> RecurringView {
        let links = st.app.task_links(&u.actor, id).await.unwrap_or_default();
        let next_year = st.app.task_next_year(&u.actor, id).await.unwrap_or(None);
        let can_set = links.occurrence_of.is_none()
            && st
                .app
                .task_can_set_cadence(&u.actor, id)
                .await
                .unwrap_or(false);
        let current = links.cadence.as_deref().and_then(Cadence::parse);
        let event_days = match current {
            Some(Cadence::AfterEvent(n)) => Some(n),
            _ => None,
        };
        let cur = current.map(|c| c.as_str()).unwrap_or_default();
        let mut options: Vec<(String, String, bool)> = cadence_options()
            .into_iter()
            .map(|(v, l)| {
                let sel = v == cur;
                (v, l, sel)
            })
            .collect();
        options.push((
            "after_event".into(),
            "事件后N天内".into(),
            event_days.is_some(),
        ));
        RecurringView {
            label: cadence_label(links.cadence.as_deref()),
            can_event: event_days.is_some() && can_decompose,
            links,
            next_year,
            can_set,
            options,
            event_days,
        }
    }
}

#[derive(Deserialize)]
pub struct CadenceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cadence: String,
    days: Option<String>,
}

pub async fn set_cadence(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CadenceForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/tasks/{id}");
    let cadence = match parse_cadence_input(&f.cadence, f.days.as_deref()) {
        Ok(c) => c,
        Err(e) => return action_failed(&back, &zeren_app::AppError::Invalid(e)),
    };
    match st.app.task_set_cadence(&u.actor, id, cadence).await {
        Ok(0) => redirect_with_flash(&back, "周期已保存"),
        Ok(n) => redirect_with_flash(&back, &format!("周期已保存，已生成 {n} 项周期任务")),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct EventForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    event_day: String,
}

pub async fn register_event(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<EventForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/tasks/{id}");
    match st.app.task_register_event(&u.actor, id, &f.event_day).await {
        Ok(Some(oid)) => {
            redirect_with_flash(&format!("/tasks/{oid}"), "事件已登记，已生成待办任务")
        }
        Ok(None) => redirect_with_flash(&back, "该日期的事件已登记过"),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct RollForm {
    #[serde(default)]
    csrf: String,
    year: i32,
}

pub async fn plan_roll(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RollForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.roll_plan(&u.actor, id, f.year).await {
        Ok(pid) => redirect_with_flash(
            &format!("/tasks?plan={pid}"),
            &format!("已复制到{}年度，任务状态已重置、期限顺延", f.year),
        ),
        Err(e) => action_failed(&format!("/tasks?plan={id}"), &e),
    }
}

/// The roll-over panel of the tasks page, when the list is filtered to one plan.
pub async fn roll_info(st: &AppState, u: &PageUser, plan: Option<i64>) -> Option<PlanRollInfo> {
    st.app.plan_roll_info(&u.actor, plan?).await.ok()
}
