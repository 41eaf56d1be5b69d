//! `/api/v1/inspection/...`: inspection rounds, feedback, the unit's targets, the
//! progress notice and statistics over JSON, through the same use cases as the pages
//! (`zeren_app::inspection`): plans, talk outlines, the team with its 回避 declarations,
//! talks and their answers, surveys with their one-time codes. Survey answering has no
//! API: it is the public `/survey` page only, so that no bearer token ever accompanies
//! an answer.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use zeren_app::inspection::round::{FindingInput, MemberInput, RoundInput};
use zeren_app::inspection::survey::{SurveyInput, SurveyQuestionInput};
use zeren_app::inspection::talk::TalkInput;

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
        .route("/inspection/plans", post(plan_create))
        .route("/inspection/outlines", post(outline_create))
        .route("/inspection/rounds/{id}/team", post(team_add))
        .route("/inspection/rounds/{id}/talks", post(talk_schedule))
        .route("/inspection/talks/{id}", get(talk))
        .route("/inspection/talks/{id}/answers", post(talk_answer))
        .route("/inspection/rounds/{id}/surveys", post(survey_create))
        .route("/inspection/surveys/{id}/codes", post(survey_codes))
        .route("/inspection/surveys/{id}/close", post(survey_close))
}

#[derive(Deserialize, Default)]
struct PlanBody {
    org_id: Option<i64>,
    #[serde(default)]
    year: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    content: String,
}

async fn plan_create(State(st): State<AppState>, u: ApiUser, Body(b): Body<PlanBody>) -> Response {
    created(
        st.app
            .inspection_plan_create(&u.actor, b.org_id, b.year, &b.title, &b.content)
            .await,
    )
}

#[derive(Deserialize, Default)]
struct OutlineQuestion {
    /// the question's kind (see the outline page), `other` when left out
    kind: Option<String>,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize, Default)]
struct OutlineBody {
    org_id: Option<i64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    questions: Vec<OutlineQuestion>,
}

async fn outline_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<OutlineBody>,
) -> Response {
    let qs: Vec<(String, String)> = b
        .questions
        .into_iter()
        .map(|q| (q.kind.unwrap_or_else(|| "other".into()), q.text))
        .collect();
    created(
        st.app
            .inspection_outline_create(&u.actor, b.org_id, &b.title, &qs)
            .await,
    )
}

#[derive(Deserialize, Default)]
struct MemberBody {
    person_id: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    declaration: String,
}

async fn team_add(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<MemberBody>,
) -> Response {
    created(
        st.app
            .inspection_team_add(
                &u.actor,
                id,
                MemberInput {
                    person_id: b.person_id,
                    name: b.name,
                    role: b.role,
                    declaration: b.declaration,
                },
            )
            .await,
    )
}

#[derive(Deserialize, Default)]
struct TalkBody {
    #[serde(default)]
    target_id: i64,
    #[serde(default)]
    outline_id: i64,
    person_id: Option<i64>,
    #[serde(default)]
    person_name: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    talker: String,
    #[serde(default)]
    scheduled_on: String,
}

/// The round in the path is the page's; the target names the round the talk is of.
async fn talk_schedule(
    State(st): State<AppState>,
    u: ApiUser,
    Path(_round): Path<i64>,
    Body(b): Body<TalkBody>,
) -> Response {
    created(
        st.app
            .inspection_talk_schedule(
                &u.actor,
                TalkInput {
                    target_id: b.target_id,
                    outline_id: b.outline_id,
                    person_id: b.person_id,
                    person_name: b.person_name,
                    post: b.post,
                    talker: b.talker,
                    scheduled_on: b.scheduled_on,
                },
            )
            .await,
    )
}

async fn talk(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.inspection_talk(&u.actor, id).await)
}

#[derive(Deserialize, Default)]
struct TalkAnswer {
    #[serde(default)]
    question_id: i64,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize, Default)]
struct TalkAnswersBody {
    /// the day the talk was held, when it is recorded now
    held_on: Option<String>,
    #[serde(default)]
    answers: Vec<TalkAnswer>,
}

async fn talk_answer(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<TalkAnswersBody>,
) -> Response {
    if let Some(day) = b.held_on.as_deref().filter(|d| !d.trim().is_empty()) {
        if let Err(e) = st.app.inspection_talk_held(&u.actor, id, day).await {
            return error_response(&e);
        }
    }
    let answers: Vec<(i64, String)> = b
        .answers
        .into_iter()
        .map(|a| (a.question_id, a.text))
        .collect();
    ok(st
        .app
        .inspection_talk_answer(&u.actor, id, &answers)
        .await
        .map(|saved| serde_json::json!({ "saved": saved })))
}

#[derive(Deserialize, Default)]
struct SurveyQuestionBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    scale_max: i64,
}

#[derive(Deserialize, Default)]
struct SurveyBody {
    #[serde(default)]
    target_id: i64,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    title: String,
    min_respondents: Option<i64>,
    #[serde(default)]
    questions: Vec<SurveyQuestionBody>,
}

/// The round in the path is the page's; the target names the round the survey is of.
async fn survey_create(
    State(st): State<AppState>,
    u: ApiUser,
    Path(_round): Path<i64>,
    Body(b): Body<SurveyBody>,
) -> Response {
    let questions = b
        .questions
        .into_iter()
        .map(|q| SurveyQuestionInput {
            kind: q.kind,
            text: q.text,
            options: q.options,
            scale_max: q.scale_max,
        })
        .collect();
    created(
        st.app
            .inspection_survey_create(
                &u.actor,
                SurveyInput {
                    target_id: b.target_id,
                    purpose: b.purpose,
                    title: b.title,
                    min_respondents: b.min_respondents,
                    questions,
                },
            )
            .await,
    )
}

#[derive(Deserialize, Default)]
struct CodesBody {
    #[serde(default)]
    n: i64,
}

/// New one-time codes, shown this once (only their hashes are kept).
async fn survey_codes(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<CodesBody>,
) -> Response {
    ok(st
        .app
        .inspection_survey_codes(&u.actor, id, b.n)
        .await
        .map(|codes| serde_json::json!({ "codes": codes })))
}

async fn survey_close(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    crate::api::done(st.app.inspection_survey_close(&u.actor, id).await)
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
    p["/inspection/plans"] = json!({"post": op("巡察规划 {org_id?, year, title, content}", "201")});
    p["/inspection/outlines"] =
        json!({"post": op("谈话提纲 {org_id?, title, questions: [{kind, text}]}", "201")});
    p["/inspection/rounds/{id}/team"] = json!({"post": op("巡察组成员 {person_id?, name, role=leader|deputy|member, declaration 回避声明}：与被巡察单位有关系的须回避", "201")});
    p["/inspection/rounds/{id}/talks"] = json!({"post": op("安排谈话 {target_id, outline_id, person_id?, person_name, post, talker, scheduled_on}", "201")});
    p["/inspection/talks/{id}"] =
        json!({"get": op("谈话：对象、提纲问题、按记录起草的参考、已记录的回答", "200")});
    p["/inspection/talks/{id}/answers"] = json!({"post": op("记录谈话 {held_on?, answers: [{question_id, text}]}，返回 {saved}", "200")});
    p["/inspection/rounds/{id}/surveys"] = json!({"post": op("问卷 {target_id, purpose, title, min_respondents?, questions: [{kind=choice|scale|text, text, options, scale_max}]}", "201")});
    p["/inspection/surveys/{id}/codes"] = json!({"post": op("生成一次性答题码 {n}，返回 {codes}：只此一次显示，系统只保存其摘要", "200")});
    p["/inspection/surveys/{id}/close"] = json!({"post": op("结束问卷", "200")});
}
