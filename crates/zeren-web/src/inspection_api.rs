//! `/api/v1/inspection/...`: inspection rounds, feedback, the unit's targets, the
//! progress notice and statistics over JSON, through the same use cases as the pages
//! (`zeren_app::inspection`). Survey answering has no API: it is the public `/survey`
//! page only, so that no bearer token ever accompanies an answer.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use zeren_app::inspection::round::{FindingInput, RoundInput};

use crate::api::{created, error_response, ok, Body};
use crate::session::ApiUser;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspection/rounds", get(rounds).post(round_create))
        .route("/inspection/rounds/{id}", get(round))
        .route("/inspection/rounds/{id}/transition", post(transition))
        .route("/inspection/rounds/{id}/findings", post(finding_create))
        .route("/inspection/rounds/{id}/notice", get(notice))
        .route("/inspection/targets", get(my_targets))
        .route("/inspection/targets/{id}", get(target))
        .route("/inspection/targets/{id}/feedback", post(feedback))
        .route("/inspection/stats", get(stats))
        .route("/inspection/surveys/{id}/results", get(survey_results))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i64>,
}

async fn rounds(State(st): State<AppState>, u: ApiUser, Query(q): Query<YearQuery>) -> Response {
    ok(st.app.inspection_rounds(&u.actor, q.year).await)
}

#[derive(Deserialize, Default)]
struct RoundBody {
    org_id: Option<i64>,
    #[serde(default)]
    year: i64,
    number: Option<i64>,
    #[serde(default)]
    kind: String,
    onsite_from: Option<String>,
    onsite_to: Option<String>,
    report_months: Option<i64>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    target_org_ids: Vec<i64>,
}

async fn round_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<RoundBody>,
) -> Response {
    created(
        st.app
            .inspection_round_create(
                &u.actor,
                RoundInput {
                    org_id: b.org_id,
                    year: b.year,
                    number: b.number,
                    kind: b.kind,
                    onsite_from: b.onsite_from,
                    onsite_to: b.onsite_to,
                    report_months: b.report_months,
                    note: b.note,
                    target_org_ids: b.target_org_ids,
                },
            )
            .await,
    )
}

async fn round(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.inspection_round(&u.actor, id).await)
}

#[derive(Deserialize, Default)]
struct ActionBody {
    #[serde(default)]
    action: String,
}

async fn transition(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ActionBody>,
) -> Response {
    crate::api::done(
        st.app
            .inspection_round_transition(&u.actor, id, &b.action)
            .await,
    )
}

#[derive(Deserialize, Default)]
struct FindingBody {
    #[serde(default)]
    target_id: i64,
    #[serde(default)]
    category: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    evidence: String,
    answer_id: Option<i64>,
}

async fn finding_create(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<FindingBody>,
) -> Response {
    // the round in the path must be the target's
    match st.app.inspection_round(&u.actor, id).await {
        Ok(r) if r.targets.iter().any(|t| t.id == b.target_id) => {}
        Ok(_) => {
            return error_response(&zeren_app::error::invalid(
                "target_id",
                "被巡察单位不属于该轮次",
            ))
        }
        Err(e) => return error_response(&e),
    }
    created(
        st.app
            .inspection_finding_create(
                &u.actor,
                FindingInput {
                    target_id: b.target_id,
                    category: b.category,
                    title: b.title,
                    description: b.description,
                    evidence: b.evidence,
                    answer_id: b.answer_id,
                },
            )
            .await,
    )
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    target: Option<i64>,
}

async fn notice(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    ok(st.app.inspection_notice(&u.actor, id, q.target).await)
}

async fn my_targets(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st.app.inspection_my_targets(&u.actor).await)
}

async fn target(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.inspection_target(&u.actor, id).await)
}

#[derive(Deserialize, Default)]
struct FeedbackBody {
    #[serde(default)]
    feedback_on: String,
    deadline: Option<String>,
}

async fn feedback(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<FeedbackBody>,
) -> Response {
    ok(st
        .app
        .inspection_feedback(&u.actor, id, &b.feedback_on, b.deadline.as_deref())
        .await)
}

async fn stats(State(st): State<AppState>, u: ApiUser, Query(q): Query<YearQuery>) -> Response {
    ok(st.app.inspection_stats(&u.actor, q.year).await)
}

async fn survey_results(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.inspection_survey_results(&u.actor, id).await)
}
