//! `/api/v1/assessment/...`: indicator systems, rounds, receipts, scores, appeals,
//! publication and results (JSON, Excel, Word, SVG), through the same use cases as the
//! pages (`zeren_app::assessment`), which decide who may do what.
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use zeren_app::assessment::{self as assess, RoundInput};

use crate::api::{created, done, error_response, ok, Body};
use crate::session::ApiUser;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessment/library", get(library))
        .route("/assessment/systems", get(systems).post(system_copy))
        .route("/assessment/systems/{id}", get(system).post(system_edit))
        .route("/assessment/rounds", get(rounds).post(round_create))
        .route("/assessment/rounds/{id}", get(round))
        .route("/assessment/rounds/{id}/window", post(window))
        .route("/assessment/rounds/{id}/publish", post(publish))
        .route("/assessment/rounds/{id}/appeals", get(appeals))
        .route("/assessment/rounds/{id}/export.xlsx", get(export))
        .route("/assessment/rounds/{id}/chart.svg", get(round_chart))
        .route("/assessment/rounds/{id}/orgs/{org}", get(card))
        .route("/assessment/rounds/{id}/orgs/{org}/sign", post(sign))
        .route("/assessment/rounds/{id}/orgs/{org}/scores", post(score))
        .route("/assessment/rounds/{id}/orgs/{org}/appeals", post(appeal))
        .route("/assessment/rounds/{id}/orgs/{org}/records", get(records))
        .route(
            "/assessment/rounds/{id}/orgs/{org}/card.docx",
            get(card_docx),
        )
        .route(
            "/assessment/rounds/{id}/orgs/{org}/chart.svg",
            get(org_chart),
        )
        .route("/assessment/appeals/{id}/answer", post(answer))
}

async fn library(u: ApiUser) -> Response {
    if !zeren_app::App::may_assess(&u.actor) {
        return error_response(&zeren_app::AppError::Forbidden(
            "只有委党办可以管理考核细则".into(),
        ));
    }
    let items: Vec<_> = assess::library()
        .into_iter()
        .map(
            |(s, src)| json!({"key": s.key, "title": s.title, "version": s.version, "source": src}),
        )
        .collect();
    ok(Ok(json!({ "items": items })))
}

async fn systems(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st
        .app
        .assessment_systems(&u.actor)
        .await
        .map(|items| json!({ "items": items })))
}

#[derive(Deserialize)]
pub struct CopyBody {
    #[serde(default)]
    pub library_key: String,
}

async fn system_copy(State(st): State<AppState>, u: ApiUser, Body(b): Body<CopyBody>) -> Response {
    created(
        st.app
            .assessment_system_copy(&u.actor, &b.library_key)
            .await,
    )
}

async fn system(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st
        .app
        .assessment_system(&u.actor, id)
        .await
        .map(|(row, sys)| json!({ "row": row, "system": sys })))
}

#[derive(Deserialize)]
pub struct EditBody {
    #[serde(default)]
    pub source: String,
}

async fn system_edit(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<EditBody>,
) -> Response {
    created(st.app.assessment_system_edit(&u.actor, id, &b.source).await)
}

async fn rounds(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st
        .app
        .assessment_rounds(&u.actor)
        .await
        .map(|items| json!({ "items": items })))
}

#[derive(Deserialize)]
pub struct TargetBody {
    pub org_id: i64,
    #[serde(default)]
    pub group: String,
}

#[derive(Deserialize)]
pub struct RoundBody {
    pub year: Option<i64>,
    #[serde(default)]
    pub title: String,
    pub system_id: Option<i64>,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub appeal_until: String,
    #[serde(default)]
    pub targets: Vec<TargetBody>,
}

async fn round_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<RoundBody>,
) -> Response {
    created(
        st.app
            .assessment_round_create(
                &u.actor,
                RoundInput {
                    year: b.year.unwrap_or(0),
                    title: b.title,
                    system_id: b.system_id.unwrap_or(0),
                    as_of: b.as_of,
                    appeal_until: b.appeal_until,
                    targets: b.targets.into_iter().map(|t| (t.org_id, t.group)).collect(),
                },
            )
            .await,
    )
}

async fn round(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.assessment_round(&u.actor, id).await)
}

#[derive(Deserialize)]
pub struct WindowBody {
    #[serde(default)]
    pub appeal_until: String,
}

async fn window(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<WindowBody>,
) -> Response {
    done(
        st.app
            .assessment_set_window(&u.actor, id, &b.appeal_until)
            .await,
    )
}

async fn publish(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    done(st.app.assessment_publish(&u.actor, id).await)
}

async fn appeals(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st
        .app
        .assessment_appeals(&u.actor, id)
        .await
        .map(|items| json!({ "items": items })))
}

async fn export(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    match st.app.assessment_xlsx(&u.actor, id).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_response(&e),
    }
}

pub(crate) fn svg(s: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], s).into_response()
}

async fn round_chart(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    match st.app.assessment_round(&u.actor, id).await {
        Ok(r) => svg(assess::round_svg(&r.system, &r.orgs)),
        Err(e) => error_response(&e),
    }
}

async fn card(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    ok(st.app.assessment_card(&u.actor, id, org).await)
}

async fn org_chart(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    match st.app.assessment_card(&u.actor, id, org).await {
        Ok(c) => svg(assess::org_svg(&c.system, &c.org, c.last_year.map(|l| l.0))),
        Err(e) => error_response(&e),
    }
}

async fn card_docx(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    match st.app.assessment_card_docx(&u.actor, id, org).await {
        Ok((name, bytes)) => crate::export::download_as(
            &name,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            bytes,
        ),
        Err(e) => error_response(&e),
    }
}

async fn sign(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    done(st.app.assessment_sign(&u.actor, id, org).await)
}

#[derive(Deserialize)]
pub struct ScoreBody {
    #[serde(default)]
    pub item_key: String,
    #[serde(default)]
    pub value: serde_json::Value,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub comment: String,
}

/// A value sent as a number or as text.
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => if *b { "1" } else { "0" }.into(),
        _ => String::new(),
    }
}

async fn score(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
    Body(b): Body<ScoreBody>,
) -> Response {
    done(
        st.app
            .assessment_score(
                &u.actor,
                id,
                org,
                &b.item_key,
                &value_text(&b.value),
                &b.evidence,
                &b.comment,
            )
            .await,
    )
}

#[derive(Deserialize)]
pub struct AppealBody {
    #[serde(default)]
    pub item_key: String,
    #[serde(default)]
    pub reason: String,
}

async fn appeal(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
    Body(b): Body<AppealBody>,
) -> Response {
    created(
        st.app
            .assessment_appeal(&u.actor, id, org, &b.item_key, &b.reason)
            .await,
    )
}

#[derive(Deserialize, Default)]
pub struct RecordsQuery {
    pub metric: Option<String>,
}

async fn records(
    State(st): State<AppState>,
    u: ApiUser,
    Path((id, org)): Path<(i64, i64)>,
    Query(q): Query<RecordsQuery>,
) -> Response {
    ok(st
        .app
        .assessment_records(&u.actor, id, org, q.metric.as_deref().unwrap_or(""))
        .await
        .map(|(m, items)| json!({ "metric": m, "label": m.label(), "items": items })))
}

#[derive(Deserialize)]
pub struct AnswerBody {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub value: serde_json::Value,
}

async fn answer(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<AnswerBody>,
) -> Response {
    let v = value_text(&b.value);
    done(
        st.app
            .assessment_answer(
                &u.actor,
                id,
                &b.outcome,
                &b.answer,
                (!v.trim().is_empty()).then_some(v.as_str()),
            )
            .await,
    )
}
