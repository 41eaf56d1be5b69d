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

/// The assessment routes in the OpenAPI document.
pub fn openapi_paths(v: &mut serde_json::Value) {
    let err = json!({"$ref": "#/components/responses/Error"});
    let op = |summary: &str, ok: &str| json!({"summary": summary, "responses": {ok: {"description": "成功"}, "401": err, "403": err, "404": err, "409": err, "422": err}});
    let p = &mut v["paths"];
    p["/assessment/library"] =
        json!({"get": op("内置考核细则（key, title, version, source）：委党办", "200")});
    p["/assessment/systems"] = json!({
        "get": op("本单位的考核细则，各版本", "200"),
        "post": op("复制内置细则到本单位 {library_key}", "201")
    });
    p["/assessment/systems/{id}"] = json!({
        "get": op("考核细则（原文与解析后的指标树）", "200"),
        "post": op("修改细则 {source}（TOML），保存为新版本；统计登录、学习时长、点赞转发、打卡积分的指标被拒绝（422，写明指标和依据）", "201")
    });
    p["/assessment/rounds"] = json!({
        "get": op("考核轮次（本人组织的或本单位被考核的）", "200"),
        "post": op("组织考核 {year, title, system_id, as_of, appeal_until, targets:[{org_id, group}]}", "201")
    });
    p["/assessment/rounds/{id}"] = json!({"get": op("考核得分：每个单位的记录数、评分、得分明细、总分、等次、名次（被考核单位只见本单位）；已发布的按冻结数据重新计算", "200")});
    p["/assessment/rounds/{id}/window"] =
        json!({"post": op("调整申诉截止日期 {appeal_until}", "200")});
    p["/assessment/rounds/{id}/publish"] = json!({"post": op("发布（申诉期已过、申诉已答复、评分项已评分）：冻结记录数、评分和得分", "200")});
    p["/assessment/rounds/{id}/appeals"] = json!({"get": op("申诉及答复", "200")});
    p["/assessment/rounds/{id}/export.xlsx"] = json!({"get": op("排名 Excel", "200")});
    p["/assessment/rounds/{id}/chart.svg"] = json!({"get": op("得分排名图（SVG）", "200")});
    p["/assessment/rounds/{id}/orgs/{org}"] = json!({"get": op("单位得分卡：明细、每项所依据的记录链接、上年度结果、评分记录、申诉", "200")});
    p["/assessment/rounds/{id}/orgs/{org}/sign"] = json!({"post": op("被考核单位签收", "200")});
    p["/assessment/rounds/{id}/orgs/{org}/scores"] = json!({"post": op("评分 {item_key, value, evidence, comment}（否决项 value 为 1 或 0）", "200")});
    p["/assessment/rounds/{id}/orgs/{org}/appeals"] =
        json!({"post": op("被考核单位申诉 {item_key, reason}（签收后、申诉期内）", "201")});
    p["/assessment/rounds/{id}/orgs/{org}/records"] =
        json!({"get": op("某项记录数所依据的记录（metric，最多500条）", "200")});
    p["/assessment/rounds/{id}/orgs/{org}/card.docx"] =
        json!({"get": op("考核结果通知单（Word，GB/T 9704）", "200")});
    p["/assessment/rounds/{id}/orgs/{org}/chart.svg"] =
        json!({"get": op("单位各项得分与上年度对比图（SVG）", "200")});
    p["/assessment/appeals/{id}/answer"] = json!({"post": op("答复申诉 {outcome=upheld|rejected, answer, value}（采纳评分项时可给新分值）", "200")});
}
