//! The JSON API under `/api/v1`: the same use cases as the pages, with bearer tokens.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use zeren_app::evidence::Upload;
use zeren_app::problem::{MeasureInput, ProblemInput};
use zeren_app::task::TaskInput;
use zeren_app::{AppError, Paging};
use zeren_core::Permission;

use crate::pages::problems::{parse_action, ProblemQuery};
use crate::pages::tasks::TaskQuery;
use crate::session::{source_of_addr, ApiUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::document))
        .route("/session", post(login).delete(logout))
        .route("/problems", get(problems).post(problem_create))
        .route("/problems/{id}", get(problem))
        .route("/problems/{id}/measures", post(measure_add))
        .route("/problems/{id}/transition", post(problem_transition))
        .route("/measures/{id}/complete", post(measure_complete))
        .route("/tasks", get(tasks).post(task_create))
        .route("/tasks/{id}", get(task))
        .route("/tasks/{id}/decompose", post(task_decompose))
        .route("/tasks/{id}/reports", post(task_report))
        .route("/tasks/{id}/review", post(task_review))
        .route("/orgs", get(orgs))
        .route("/orgs/export.xlsx", get(crate::export::api_orgs))
        .route("/orgs/{id}", get(org))
        .route("/people", get(crate::pages::roster::api_people))
        .route("/people/export.xlsx", get(crate::pages::roster::api_export))
        .route("/people/{id}/roster", get(crate::pages::roster::api_member))
        .route("/people/{id}/stage", post(crate::pages::roster::api_stage))
        .route(
            "/people/{id}/transfers",
            post(crate::pages::roster::api_transfer),
        )
        .route(
            "/dues",
            get(crate::pages::roster::api_dues_sheet).post(crate::pages::roster::api_dues),
        )
        .route("/people/{id}", get(person))
        .route("/dashboard", get(dashboard))
        .route("/pressure", get(pressure))
        .route("/tasks/{id}/cadence", post(task_cadence))
        .route("/plans/{id}/roll", post(plan_roll))
        .route("/audit", get(audit))
        .route(
            "/notices",
            get(crate::notice_api::notices).post(crate::notice_api::notice_create),
        )
        .route("/notices/export.xlsx", get(crate::export::api_notices))
        .route("/notices/{id}", get(crate::notice_api::notice))
        .route(
            "/notices/{id}/answer",
            post(crate::notice_api::notice_answer),
        )
        .route(
            "/accountability",
            get(crate::notice_api::accountability).post(crate::notice_api::accountability_create),
        )
        .route(
            "/accountability/export.xlsx",
            get(crate::export::api_accountability),
        )
        .route("/notifications", get(notifications))
        .route("/notifications/read-all", post(notifications_read_all))
        .route("/notifications/{id}/read", post(notification_read))
        .route("/supervision", get(supervision))
        .route(
            "/activities",
            get(crate::pages::activities::api_list).post(crate::pages::activities::api_create),
        )
        .route(
            "/activities/{id}",
            get(crate::pages::activities::api_detail),
        )
        .route("/compliance", get(crate::pages::compliance::api))
        .route("/reports/annual", get(crate::pages::report::api))
        .route("/problems/export.xlsx", get(crate::export::api_problems))
        .route("/tasks/export.xlsx", get(crate::export::api_tasks))
        .route(
            "/activities/export.xlsx",
            get(crate::export::api_activities),
        )
        .route("/import/{kind}", post(crate::pages::import::api))
        .route("/reader", post(crate::pages::reader::api))
        .merge(crate::discipline_api::routes())
        .merge(crate::letters_api::routes())
        .merge(crate::cadre_api::routes())
        .merge(crate::assessment_api::routes())
        .merge(crate::inspection_api::routes())
}

/// `Json<T>` whose rejection (malformed JSON, a missing or mistyped field) answers in
/// the API's error format instead of axum's plain text.
pub struct Body<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(rej) => {
                let msg = rej.body_text();
                Err((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(json!({ "error": format!("请求体无效：{msg}"), "fields": [{"field": "body", "message": msg}] })),
                )
                    .into_response())
            }
        }
    }
}

pub fn error_response(e: &AppError) -> Response {
    let (status, fields) = match e {
        AppError::Invalid(v) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::to_value(&v.errors).unwrap_or(Value::Null),
        ),
        AppError::NotFound => (StatusCode::NOT_FOUND, Value::Null),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, Value::Null),
        AppError::Unauthenticated | AppError::BadCredentials => {
            (StatusCode::UNAUTHORIZED, Value::Null)
        }
        AppError::Conflict(_) => (StatusCode::CONFLICT, Value::Null),
        AppError::Store(_) | AppError::Io(_) => {
            tracing::error!("api request failed: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, Value::Null)
        }
    };
    let mut body = json!({ "error": e.to_string() });
    if !fields.is_null() {
        body["fields"] = fields;
    }
    (status, Json(body)).into_response()
}

pub(crate) fn ok<T: serde::Serialize>(v: Result<T, AppError>) -> Response {
    match v {
        Ok(v) => Json(v).into_response(),
        Err(e) => error_response(&e),
    }
}

pub(crate) fn created(v: Result<i64, AppError>) -> Response {
    match v {
        Ok(id) => (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
        Err(e) => error_response(&e),
    }
}

pub(crate) fn done(v: Result<(), AppError>) -> Response {
    match v {
        Ok(()) => Json(json!({ "ok": true })).into_response(),
        Err(e) => error_response(&e),
    }
}

#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
    /// The TOTP code, for accounts with two-factor login.
    #[serde(default)]
    totp: Option<String>,
}

async fn login(
    State(st): State<AppState>,
    addr: axum::extract::ConnectInfo<std::net::SocketAddr>,
    Body(b): Body<LoginBody>,
) -> Response {
    match st
        .app
        .login_api(
            &b.username,
            &b.password,
            b.totp.as_deref(),
            &source_of_addr(&addr),
        )
        .await
    {
        Ok(li) => Json(json!({ "token": li.token })).into_response(),
        Err(e) => error_response(&e),
    }
}

async fn logout(
    State(st): State<AppState>,
    u: ApiUser,
    headers: axum::http::HeaderMap,
) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    done(st.app.logout(token, &u.actor).await)
}

pub(crate) async fn org_path(
    st: &AppState,
    u: &ApiUser,
    org: &Option<String>,
) -> Result<Option<String>, AppError> {
    match crate::form::opt_id(org) {
        Some(id) => Ok(Some(st.app.org_get(&u.actor, id).await?.path)),
        None if org.as_deref().is_some_and(|s| !s.is_empty()) => {
            Err(zeren_app::error::invalid("org", "org 应为组织编号"))
        }
        None => Ok(None),
    }
}

async fn problems(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ProblemQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let warn = st.app.cfg.reminders.warning;
    ok(st
        .app
        .problems(
            &u.actor,
            q.filter(path, review),
            Paging::new(q.page, q.per_page),
        )
        .await
        .map(|p| {
            let items = with_warning(&p.items, |r| {
                warn.colour_str(&r.deadline, zeren_app::clock::today(), r.state != "closed")
            });
            json!({ "items": items, "total": p.total, "page": p.page, "per_page": p.per_page })
        }))
}

async fn problem(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.problem_detail(&u.actor, id).await.map(|d| {
        let measures: Vec<Value> = d
            .measures
            .iter()
            .map(|(m, ev)| {
                let mut v = serde_json::to_value(m).unwrap_or(Value::Null);
                v["evidence"] = serde_json::to_value(ev).unwrap_or(Value::Null);
                v
            })
            .collect();
        json!({
            "problem": d.row,
            "org_name": d.problem.org_name,
            "issuing_org_name": d.issuing_org_name,
            "measures": measures,
            "history": d.history,
            "can_write": d.can_write,
            "can_review": d.can_review,
            "closing_blocker": d.closing_blocker,
        })
    }))
}

#[derive(Deserialize, Default)]
pub struct ProblemBody {
    #[serde(default)]
    org_id: i64,
    issuing_org_id: Option<i64>,
    #[serde(default)]
    source: String,
    source_ref: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    leader_id: Option<i64>,
    department: Option<String>,
    person_id: Option<i64>,
    #[serde(default)]
    found_on: String,
    #[serde(default)]
    deadline: String,
    recurrence_of: Option<i64>,
}

async fn problem_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<ProblemBody>,
) -> Response {
    let input = ProblemInput {
        org_id: b.org_id,
        issuing_org_id: b.issuing_org_id,
        source: b.source,
        source_ref: b.source_ref,
        title: b.title,
        description: b.description,
        category: b.category,
        leader_id: b.leader_id,
        department: b.department,
        person_id: b.person_id,
        found_on: b.found_on,
        deadline: b.deadline,
        recurrence_of: b.recurrence_of,
    };
    created(st.app.problem_create(&u.actor, input).await)
}

#[derive(Deserialize)]
pub struct MeasureBody {
    #[serde(default)]
    content: String,
    owner_id: Option<i64>,
    #[serde(default)]
    deadline: String,
}

async fn measure_add(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<MeasureBody>,
) -> Response {
    created(
        st.app
            .measure_add(
                &u.actor,
                id,
                MeasureInput {
                    content: b.content,
                    owner_id: b.owner_id,
                    deadline: b.deadline,
                },
            )
            .await,
    )
}

#[derive(Deserialize)]
pub struct FileBody {
    filename: String,
    content_base64: String,
}

pub(crate) fn decode_files(files: Vec<FileBody>) -> Result<Vec<Upload>, AppError> {
    let mut out = Vec::new();
    for (i, f) in files.into_iter().enumerate() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(f.content_base64.as_bytes())
            .map_err(|_| {
                zeren_app::error::invalid(
                    &format!("files[{i}].content_base64"),
                    "不是有效的 Base64 编码",
                )
            })?;
        out.push(Upload {
            filename: f.filename,
            bytes,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct CompleteBody {
    #[serde(default)]
    note: String,
    #[serde(default)]
    files: Vec<FileBody>,
}

async fn measure_complete(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<CompleteBody>,
) -> Response {
    let files = match decode_files(b.files) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    done(st.app.measure_complete(&u.actor, id, &b.note, &files).await)
}

#[derive(Deserialize)]
pub struct TransitionBody {
    action: String,
    #[serde(default)]
    reason: String,
}

async fn problem_transition(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<TransitionBody>,
) -> Response {
    let Some(action) = parse_action(&b.action) else {
        return error_response(&zeren_app::error::invalid(
            "action",
            "action 应为 request_close、approve_close、reject_close 或 reopen",
        ));
    };
    done(
        st.app
            .problem_transition(&u.actor, id, action, &b.reason)
            .await,
    )
}

async fn tasks(State(st): State<AppState>, u: ApiUser, Query(q): Query<TaskQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let person = q.mine.as_ref().and(u.actor.person_id);
    let warn = st.app.cfg.reminders.warning;
    ok(st
        .app
        .tasks(
            &u.actor,
            q.filter(path, review, person),
            Paging::new(q.page, q.per_page),
        )
        .await
        .map(|p| {
            let items = with_warning(&p.items, |r| {
                warn.colour_str(&r.deadline, zeren_app::clock::today(), r.state != "done")
            });
            json!({ "items": items, "total": p.total, "page": p.page, "per_page": p.per_page })
        }))
}

async fn task(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.task_detail(&u.actor, id).await.map(|d| {
        let reports: Vec<Value> = d
            .reports
            .iter()
            .map(|(r, ev)| {
                let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
                v["evidence"] = serde_json::to_value(ev).unwrap_or(Value::Null);
                v
            })
            .collect();
        json!({
            "task": d.row,
            "org_name": d.task.org_name,
            "issuing_org_name": d.task.issuing_org_name,
            "children": d.children,
            "rollup": d.rollup,
            "reports": reports,
            "history": d.history,
            "can_write": d.can_write,
            "can_review": d.can_review,
        })
    }))
}

#[derive(Deserialize)]
pub struct TaskBody {
    #[serde(default)]
    org_id: i64,
    #[serde(default)]
    category: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
    leader_id: Option<i64>,
    person_id: Option<i64>,
    #[serde(default)]
    deadline: String,
}

async fn task_create(State(st): State<AppState>, u: ApiUser, Body(b): Body<TaskBody>) -> Response {
    let input = TaskInput {
        org_id: b.org_id,
        category: b.category,
        subject: b.subject,
        title: b.title,
        content: b.content,
        leader_id: b.leader_id,
        person_id: b.person_id,
        deadline: b.deadline,
    };
    created(st.app.task_create(&u.actor, input).await)
}

#[derive(Deserialize)]
pub struct DecomposeBody {
    org_ids: Vec<i64>,
    deadline: Option<String>,
    #[serde(default)]
    note: String,
}

async fn task_decompose(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<DecomposeBody>,
) -> Response {
    ok(st
        .app
        .task_decompose(&u.actor, id, &b.org_ids, b.deadline.as_deref(), &b.note)
        .await
        .map(|ids| json!({ "ids": ids })))
}

#[derive(Deserialize)]
pub struct ReportBody {
    body: String,
    #[serde(default)]
    submit: bool,
    #[serde(default)]
    files: Vec<FileBody>,
}

async fn task_report(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ReportBody>,
) -> Response {
    let files = match decode_files(b.files) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    done(
        st.app
            .task_report(&u.actor, id, &b.body, &files, b.submit)
            .await,
    )
}

#[derive(Deserialize)]
pub struct ReviewBody {
    approve: bool,
    #[serde(default)]
    reason: String,
}

async fn task_review(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ReviewBody>,
) -> Response {
    done(st.app.task_review(&u.actor, id, b.approve, &b.reason).await)
}

#[derive(Deserialize)]
pub struct OrgsQuery {
    root: Option<i64>,
    levels: Option<i64>,
}

async fn orgs(State(st): State<AppState>, u: ApiUser, Query(q): Query<OrgsQuery>) -> Response {
    ok(st
        .app
        .org_tree(&u.actor, q.root, q.levels.unwrap_or(2).clamp(0, 6))
        .await
        .map(|items| json!({ "total": items.len(), "items": items })))
}

async fn org(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.org_get(&u.actor, id).await)
}

async fn person(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st
        .app
        .person(&u.actor, id)
        .await
        .map(|d| json!({ "person": d.person, "org_name": d.org_name, "positions": d.positions })))
}

#[derive(Deserialize)]
pub struct DashQuery {
    org: Option<i64>,
}

async fn dashboard(State(st): State<AppState>, u: ApiUser, Query(q): Query<DashQuery>) -> Response {
    ok(st.app.dashboard(&u.actor, q.org).await)
}

#[derive(Deserialize)]
pub struct AuditQuery {
    page: Option<i64>,
    per_page: Option<i64>,
}

async fn audit(State(st): State<AppState>, u: ApiUser, Query(q): Query<AuditQuery>) -> Response {
    ok(st
        .app
        .audit_list(
            &u.actor,
            Default::default(),
            Paging::new(q.page, q.per_page),
        )
        .await
        .map(|p| json!({ "items": p.items, "total": p.total })))
}

/// List rows with their warning colour ("blue", "yellow", "red" or null) added.
fn with_warning<T: serde::Serialize>(
    rows: &[T],
    colour: impl Fn(&T) -> Option<zeren_core::reminder::Warning>,
) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert(
                    "warning".into(),
                    json!(colour(r).map(zeren_app::inbox::warning_name)),
                );
            }
            v
        })
        .collect()
}

async fn notifications(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<crate::pages::inbox::InboxQuery>,
) -> Response {
    ok(st
        .app
        .inbox(&u.actor, q.unread_only(), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

async fn notification_read(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
) -> Response {
    ok(st
        .app
        .mark_read(&u.actor, Some(id))
        .await
        .map(|n| json!({ "ok": true, "marked": n })))
}

async fn notifications_read_all(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st
        .app
        .mark_read(&u.actor, None)
        .await
        .map(|n| json!({ "ok": true, "marked": n })))
}

async fn supervision(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<crate::pages::supervision::SupervisionQuery>,
) -> Response {
    ok(st
        .app
        .supervision_queue(&u.actor, q.query(), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

#[derive(Deserialize)]
pub struct PressureQuery {
    org: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// 压力传导 figures by level and by org for a scope and period.
async fn pressure(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<PressureQuery>,
) -> Response {
    let org = crate::form::opt_id(&q.org);
    if org.is_none() && q.org.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return error_response(&zeren_app::error::invalid("org", "org 应为组织编号"));
    }
    ok(st
        .app
        .pressure(&u.actor, org, q.from.as_deref(), q.to.as_deref())
        .await)
}

#[derive(Deserialize)]
pub struct CadenceBody {
    /// monthly, quarterly, half_yearly, yearly, after_event:N, or "" / "none".
    #[serde(default)]
    cadence: String,
}

async fn task_cadence(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<CadenceBody>,
) -> Response {
    let cadence = match zeren_app::recurring::parse_cadence_input(&b.cadence, None) {
        Ok(c) => c,
        Err(e) => return error_response(&AppError::Invalid(e)),
    };
    ok(st
        .app
        .task_set_cadence(&u.actor, id, cadence)
        .await
        .map(|n| json!({ "ok": true, "created": n })))
}

#[derive(Deserialize)]
pub struct RollBody {
    year: i32,
}

async fn plan_roll(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<RollBody>,
) -> Response {
    created(st.app.roll_plan(&u.actor, id, b.year).await)
}
