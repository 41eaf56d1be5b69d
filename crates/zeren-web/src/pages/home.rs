//! Health check, stylesheet, workbench and dashboard.
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zeren_app::dashboard::{Dashboard, Workbench};
use zeren_core::{Permission, ProblemState, TaskState};

use crate::ctx::{due_class, error_page, render, PageCtx};
use crate::session::PageUser;
use crate::AppState;

pub async fn healthz(State(st): State<AppState>) -> Response {
    match st.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unreachable: {e}"),
        )
            .into_response(),
    }
}

pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/zeren.css"),
    )
        .into_response()
}

pub fn task_state_label(s: &str) -> &'static str {
    TaskState::parse(s).map(|x| x.label()).unwrap_or("")
}
pub fn problem_state_label(s: &str) -> &'static str {
    ProblemState::parse(s).map(|x| x.label()).unwrap_or("")
}
pub fn source_label(s: &str) -> &'static str {
    zeren_core::ProblemSource::parse(s)
        .map(|x| x.label())
        .unwrap_or("")
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    ctx: PageCtx,
    w: Workbench,
}

impl WorkbenchPage {
    fn due(&self, d: &str, open: bool) -> &'static str {
        due_class(d, open)
    }
    fn tl(&self, s: &str) -> &'static str {
        task_state_label(s)
    }
    fn pl(&self, s: &str) -> &'static str {
        problem_state_label(s)
    }
}

pub async fn workbench(State(st): State<AppState>, u: PageUser) -> Response {
    if !u.actor.has(Permission::ReadScope) && !u.actor.has(Permission::OwnItems) {
        // administrators have no business workbench
        let to = if u.actor.has(Permission::ManageAccounts) {
            "/admin/users"
        } else if u.actor.has(Permission::ReadAudit) {
            "/admin/audit"
        } else {
            "/admin/system"
        };
        return axum::response::Redirect::to(to).into_response();
    }
    match st.app.workbench(&u.actor).await {
        Ok(w) => {
            let ctx = PageCtx::new(&u, "home", vec![("工作台", None)]);
            render(&WorkbenchPage { ctx, w }, u.flash.is_some())
        }
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    d: Dashboard,
    pressure: crate::pages::pressure::PressureView,
    warn: zeren_app::inbox::WarningCounts,
    warn_yellow_days: i64,
    warn_blue_days: i64,
}

impl DashboardPage {
    fn pct_class(&self, p: i64) -> String {
        format!("pct-{}", (p / 5) * 5)
    }
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn dashboard(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<OrgQuery>,
) -> Response {
    let org = crate::form::opt_id(&q.org);
    match st.app.dashboard(&u.actor, org).await {
        Ok(d) => {
            let pressure = match crate::pages::pressure::load(
                &st,
                &u,
                d.org.id,
                q.from.as_deref(),
                q.to.as_deref(),
            )
            .await
            {
                Ok(p) => p,
                Err(e) => return error_page(&u, &e),
            };
            let warn = match st.app.warning_counts(&u.actor, &d.org.path).await {
                Ok(w) => w,
                Err(e) => return error_page(&u, &e),
            };
            let ctx = PageCtx::new(
                &u,
                "dashboard",
                vec![
                    ("统计分析", Some("/dashboard".into())),
                    (&d.org.name.clone(), None),
                ],
            );
            let page = DashboardPage {
                ctx,
                d,
                pressure,
                warn,
                warn_yellow_days: u.warning.yellow,
                warn_blue_days: u.warning.blue,
            };
            render(&page, u.flash.is_some())
        }
        Err(e) => error_page(&u, &e),
    }
}
