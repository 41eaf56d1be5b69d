//! The HTTP shell: pages (askama, no JavaScript needed), the JSON API, sessions, CSRF
//! and security headers. Handlers parse input, call `zeren_app::App`, and render; they
//! hold no business rules and never touch the store.

// Handlers answer errors with a ready `Response`; boxing it would only add noise.
#![allow(clippy::result_large_err)]

mod api;
mod assessment_api;
mod cadre_api;
mod ctx;
mod discipline_api;
mod documents;
mod export;
mod form;
mod inspection_api;
mod letters_api;
mod notice_api;
mod openapi;
mod pages;
mod security;
mod session;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use zeren_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    /// Mark session cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
}

pub fn router(app: App, secure_cookies: bool) -> Router {
    let max_body = app.cfg.max_upload_bytes * 5 + 64 * 1024;
    let state = AppState {
        app: Arc::new(app),
        secure_cookies,
    };
    Router::new()
        .route("/healthz", get(pages::home::healthz))
        .route("/static/zeren.css", get(pages::home::css))
        .route(
            "/login",
            get(pages::auth::login_page).post(pages::auth::login_submit),
        )
        .route("/logout", post(pages::auth::logout))
        .route(
            "/login/totp",
            get(pages::login_steps::totp_page).post(pages::login_steps::totp_submit),
        )
        .route(
            "/login/enrol",
            get(pages::login_steps::enrol_page).post(pages::login_steps::enrol_submit),
        )
        .route(
            "/login/password",
            get(pages::login_steps::password_page).post(pages::login_steps::password_submit),
        )
        .route(
            "/account/password",
            get(pages::login_steps::account_password_page)
                .post(pages::login_steps::account_password_submit),
        )
        .route("/", get(pages::home::workbench))
        .route("/dashboard", get(pages::home::dashboard))
        .route("/inbox", get(pages::inbox::list))
        .route("/inbox/read-all", post(pages::inbox::mark_all))
        .route("/inbox/{id}/read", post(pages::inbox::mark_one))
        .route("/supervision", get(pages::supervision::list))
        .route("/tasks", get(pages::tasks::list))
        .route("/tasks/export.xlsx", get(export::tasks))
        .route(
            "/tasks/new",
            get(pages::tasks::new_page).post(pages::tasks::create),
        )
        .route("/tasks/{id}", get(pages::tasks::detail))
        .route("/tasks/{id}/report", post(pages::tasks::report))
        .route("/tasks/{id}/review", post(pages::tasks::review))
        .route("/tasks/{id}/decompose", post(pages::tasks::decompose))
        .route("/plans", post(pages::tasks::plan_create))
        .route("/plans/{id}/roll", post(pages::recurring::plan_roll))
        .route("/tasks/{id}/cadence", post(pages::recurring::set_cadence))
        .route("/tasks/{id}/event", post(pages::recurring::register_event))
        .route("/problems", get(pages::problems::list))
        .route("/problems/export.xlsx", get(export::problems))
        .route("/problems/ledger.docx", get(documents::ledger))
        .route(
            "/problems/new",
            get(pages::problems::new_page).post(pages::problems::create),
        )
        .route("/problems/{id}", get(pages::problems::detail))
        .route("/problems/{id}/closure.docx", get(documents::closure))
        .route(
            "/problems/{id}/measures",
            post(pages::problems::add_measure),
        )
        .route(
            "/problems/{id}/transition",
            post(pages::problems::transition),
        )
        .route(
            "/measures/{id}/complete",
            post(pages::problems::complete_measure),
        )
        .route("/evidence/{id}", get(pages::problems::evidence))
        .route("/activities", get(pages::activities::list))
        .route("/activities/export.xlsx", get(export::activities))
        .route(
            "/activities/new",
            get(pages::activities::new_page).post(pages::activities::create),
        )
        .route("/activities/{id}", get(pages::activities::detail))
        .route(
            "/activities/{id}/edit",
            get(pages::activities::edit_page).post(pages::activities::update),
        )
        .route("/activities/{id}/cancel", post(pages::activities::cancel))
        .route("/notices", get(pages::notices::list))
        .route("/notices/export.xlsx", get(export::notices))
        .route(
            "/notices/new",
            get(pages::notices::new_page).post(pages::notices::create),
        )
        .route("/notices/{id}", get(pages::notices::detail))
        .route("/notices/{id}/answer", post(pages::notices::answer))
        .route("/notices/{id}/print", get(pages::notices::print))
        .route("/notices/{id}/notice.docx", get(documents::notice))
        .route("/reports/annual", get(pages::report::show))
        .route("/reports/annual.docx", get(pages::report::docx))
        .route("/reports/annual/edit", post(pages::report::save))
        .route("/reports/annual/reset", post(pages::report::reset))
        .route(
            "/accountability",
            get(pages::accountability::list).post(pages::accountability::create),
        )
        .route("/accountability/export.xlsx", get(export::accountability))
        .route("/orgs", get(pages::orgs::tree).post(pages::orgs::create))
        .route("/orgs/export.xlsx", get(export::orgs))
        .route("/orgs/{id}", get(pages::orgs::detail))
        .route("/orgs/{id}/rename", post(pages::orgs::rename))
        .route("/orgs/{id}/move", post(pages::orgs::move_org))
        .route("/orgs/{id}/close", post(pages::orgs::close))
        .route(
            "/people",
            get(pages::people::list).post(pages::people::create),
        )
        .route("/people/new", get(pages::people::new_page))
        .route("/people/export.xlsx", get(pages::roster::export_page))
        .route("/people/{id}", get(pages::people::detail))
        .route("/people/{id}/stage", post(pages::roster::stage))
        .route("/people/{id}/dates", post(pages::roster::dates))
        .route("/people/{id}/contact", post(pages::roster::contact))
        .route("/people/{id}/transfers", post(pages::roster::transfer))
        .route("/people/{id}/dues", post(pages::roster::dues_basis))
        .route(
            "/dues",
            get(pages::roster::dues_page).post(pages::roster::dues_record),
        )
        .route(
            "/admin/users",
            get(pages::admin::users).post(pages::admin::user_create),
        )
        .route("/admin/users/{id}/roles", post(pages::admin::role_add))
        .route(
            "/admin/users/{id}/roles/{role_id}/delete",
            post(pages::admin::role_remove),
        )
        .route(
            "/admin/users/{id}/password",
            post(pages::admin::password_reset),
        )
        .route("/admin/users/{id}/disable", post(pages::admin::disable))
        .route(
            "/admin/users/{id}/totp-reset",
            post(pages::admin::totp_reset),
        )
        .route("/settings", get(pages::settings::page))
        .route("/settings/channels", post(pages::settings::channels))
        .route("/settings/plans/{id}", post(pages::settings::plan))
        .route("/compliance", get(pages::compliance::page))
        .route("/compliance/export.xlsx", get(pages::compliance::export))
        .route("/branches", get(pages::branches::list))
        .route("/rules", get(pages::rules::list))
        .route("/rules/settings", post(pages::rules::setting))
        .route("/rules/local", post(pages::rules::local_add))
        .route("/rules/local/{id}/retire", post(pages::rules::local_retire))
        .route(
            "/import",
            get(pages::import::form).post(pages::import::submit),
        )
        .route("/import/template/{kind}", get(pages::import::template))
        .route(
            "/reader",
            get(pages::reader::form).post(pages::reader::submit),
        )
        .route("/admin/audit", get(pages::admin::audit))
        .route("/admin/system", get(pages::admin::system))
        .merge(pages::petitions::routes())
        .merge(pages::cadre::routes())
        .merge(pages::risk_points::routes())
        .merge(pages::letters::routes())
        .merge(pages::duty_reports::routes())
        .merge(pages::cadre_work::routes())
        .merge(pages::assessment::routes())
        .merge(pages::inspection::routes())
        .nest("/api/v1", api::routes())
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves until the future is dropped or the process ends.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    secure_cookies: bool,
) -> std::io::Result<()> {
    let r = router(app, secure_cookies);
    axum::serve(
        listener,
        r.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

/// Ctrl-C, or SIGTERM from systemd: stop accepting, finish requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
