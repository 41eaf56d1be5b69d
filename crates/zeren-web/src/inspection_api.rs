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

/// The inspection paths of the OpenAPI document.
pub fn openapi_paths(v: &mut serde_json::Value) {
    use serde_json::json;
    let err = json!({"$ref": "#/components/responses/Error"});
    let op = |summary: &str, ok: &str| json!({"summary": summary, "responses": {ok: {"description": "成功"}, "401": err, "403": err, "404": err, "422": err}});
    let p = &mut v["paths"];
    p["/inspection/rounds"] = json!({
        "get": op("巡察轮次（year）：本人巡察工作机构组织的轮次", "200"),
        "post": op("安排巡察轮次 {org_id, year, number, kind=regular|special|mobile|revisit, onsite_from, onsite_to, report_months（默认2）, note, target_org_ids}：被巡察单位须为组织单位的下级", "201")
    });
    p["/inspection/rounds/{id}"] = json!({"get": op("轮次详情：被巡察单位、巡察组（含回避声明）、谈话、问卷、发现问题、整改数字、时间线", "200")});
    p["/inspection/rounds/{id}/transition"] = json!({"post": op("{action=start|close}：进驻；结束本轮（各单位已报送整改情况报告）", "200")});
    p["/inspection/rounds/{id}/findings"] = json!({"post": op("登记发现问题 {target_id, category, title, description, evidence, answer_id}", "201")});
    p["/inspection/rounds/{id}/notice"] = json!({"get": op("巡察整改进展情况通报（target 可选：一个被巡察单位）：反馈问题、整改措施、已完成、建立完善制度均由整改台账统计", "200")});
    p["/inspection/targets"] = json!({"get": op("本单位已反馈的巡察（整改一侧）", "200")});
    p["/inspection/targets/{id}"] = json!({"get": op("被巡察单位：反馈问题及其整改措施、状态（已完成/长期坚持/持续推进）", "200")});
    p["/inspection/targets/{id}/feedback"] = json!({"post": op("反馈 {feedback_on, deadline}：每个发现问题转为该单位整改台账中的一个问题（来源：巡察 第N轮），重复反馈不重复登记；整改情况报告时限为反馈后两个月（可按轮次设置）", "200")});
    p["/inspection/stats"] = json!({"get": op("巡察整改统计（year）：按轮次和年度的反馈问题、整改完成率、整改措施、建立完善制度、问责人数和组织数", "200")});
    p["/inspection/surveys/{id}/results"] = json!({"get": op("问卷统计：回收不足最少人数时不显示任何统计；答卷与答题码、人员、时间均无关联", "200")});
}
