//! `/api/v1/petitions` and `/api/v1/four-forms`: the discipline records over JSON,
//! the same use cases as the pages. The informant's identity has its own route
//! (`GET /petitions/{id}/informant`), which only a cleared discipline account gets an
//! answer from, and each answer is an audit event.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;
use zeren_app::four_forms::NewFourFormsInput;
use zeren_app::petition::NewPetitionInput;
use zeren_app::{clock, Paging};

use crate::api::{created, done, error_response, ok, org_path, Body};
use crate::pages::petitions::{FourFormsQuery, PetitionQuery};
use crate::session::ApiUser;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions", get(list).post(create))
        .route("/petitions/counts", get(counts))
        .route("/petitions/{id}", get(detail))
        .route("/petitions/{id}/informant", get(informant))
        .route("/petitions/{id}/dispose", post(dispose))
        .route("/petitions/{id}/conclude", post(conclude))
        .route("/petitions/{id}/notify", post(notify))
        .route("/four-forms", get(four_forms).post(four_forms_create))
        .route("/four-forms/stats", get(four_forms_stats))
}

async fn list(State(st): State<AppState>, u: ApiUser, Query(q): Query<PetitionQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .petition_list(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

async fn counts(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st.app.petition_counts(&u.actor).await.map(|c| {
        let total: i64 = c.iter().map(|(_, n)| n).sum();
        json!({
            "total": total,
            "by_state": c.into_iter().map(|(s, n)| json!({"state": s, "n": n})).collect::<Vec<_>>(),
        })
    }))
}

async fn detail(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.petition_get(&u.actor, id).await)
}

async fn informant(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    let mut r = ok(st.app.petition_informant(&u.actor, id).await);
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(Deserialize)]
struct PetitionBody {
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    signed: bool,
    informant_name: Option<String>,
    informant_contact: Option<String>,
    reported_person_id: Option<i64>,
    org_id: Option<i64>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    category: String,
    /// Code (`XF2026-0003`) or id of the petition this one repeats.
    repeat_of: Option<serde_json::Value>,
}

async fn create(State(st): State<AppState>, u: ApiUser, Body(b): Body<PetitionBody>) -> Response {
    let input = NewPetitionInput {
        received_on: b.received_on,
        channel: b.channel,
        signed: b.signed,
        informant_name: b.informant_name,
        informant_contact: b.informant_contact,
        reported_person_id: b.reported_person_id,
        org_id: b.org_id,
        summary: b.summary,
        content: b.content,
        level: b.level,
        category: b.category,
        repeat_of: b.repeat_of.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }),
    };
    created(st.app.petition_create(&u.actor, input).await)
}

#[derive(Deserialize)]
struct DisposeBody {
    #[serde(default)]
    disposal: String,
    #[serde(default)]
    disposed_on: String,
    #[serde(default)]
    note: String,
}

async fn dispose(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<DisposeBody>,
) -> Response {
    done(
        st.app
            .petition_dispose(&u.actor, id, &b.disposal, &b.disposed_on, &b.note)
            .await,
    )
}

#[derive(Deserialize)]
struct ConcludeBody {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    cleared: bool,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    concluded_on: String,
}

async fn conclude(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ConcludeBody>,
) -> Response {
    done(
        st.app
            .petition_conclude(
                &u.actor,
                id,
                &b.outcome,
                b.cleared,
                &b.conclusion,
                &b.concluded_on,
            )
            .await,
    )
}

#[derive(Deserialize)]
struct NotifyBody {
    #[serde(default)]
    which: String,
    #[serde(default)]
    notified_on: String,
}

async fn notify(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<NotifyBody>,
) -> Response {
    done(
        st.app
            .petition_notify(&u.actor, id, &b.which, &b.notified_on)
            .await,
    )
}

async fn four_forms(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<FourFormsQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .four_forms_list(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// Per org and form, and the totals per form, of a year.
async fn four_forms_stats(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(|| clock::today().year());
    ok(st.app.four_forms_counts(&u.actor, year).await.map(|c| {
        let (_, totals) = crate::pages::petitions::pivot(&c);
        json!({ "year": year, "items": c, "by_form": totals })
    }))
}

#[derive(Deserialize)]
struct FourFormsBody {
    person_id: Option<i64>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    decided_by: String,
    #[serde(default)]
    reason: String,
    petition_id: Option<i64>,
    problem_id: Option<i64>,
}

async fn four_forms_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<FourFormsBody>,
) -> Response {
    created(
        st.app
            .four_forms_record(
                &u.actor,
                NewFourFormsInput {
                    person_id: b.person_id,
                    action: b.action,
                    decided_on: b.decided_on,
                    decided_by: b.decided_by,
                    reason: b.reason,
                    petition_id: b.petition_id,
                    problem_id: b.problem_id,
                },
            )
            .await,
    )
}
