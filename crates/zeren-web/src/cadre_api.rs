//! `/api/v1/personal-matters`, `/api/v1/risk-points` and `/api/v1/promotion-checks`:
//! the cadre-supervision records over JSON, through the same use cases as the pages
//! (`zeren_app::personal_matters`, `risk_points`, `promotion`), which decide who sees
//! what and audit every personal-matters reading.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use zeren_app::personal_matters::{CheckInput, DrawInput, TargetedInput};
use zeren_app::risk_points::NewRiskInput;
use zeren_app::Paging;

use crate::api::{created, done, error_response, ok, org_path, Body};
use crate::pages::cadre::{as_of, FilerQuery};
use crate::pages::risk_points::RiskQuery;
use crate::session::ApiUser;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/personal-matters", get(filers).post(filer_add))
        .route("/personal-matters/generate", post(generate))
        .route("/personal-matters/figures", get(figures))
        .route("/personal-matters/batches", get(batches).post(draw))
        .route("/personal-matters/batches/targeted", post(targeted))
        .route("/personal-matters/batches/{id}", get(batch))
        .route(
            "/personal-matters/checks/{id}",
            get(check).post(check_record),
        )
        .route("/personal-matters/{id}", get(filer))
        .route("/personal-matters/{id}/submit", post(submit))
        .route("/risk-points", get(risks).post(risk_create))
        .route("/risk-points/heat", get(heat))
        .route("/risk-points/export.xlsx", get(risk_export))
        .route("/risk-points/{id}", get(risk))
        .route("/risk-points/{id}/controls", post(risk_control))
        .route("/risk-points/{id}/review", post(risk_review))
        .route("/promotion-checks", get(promotions).post(promotion_create))
        .route("/promotion-checks/{id}", get(promotion))
        .route("/promotion-checks/{id}/conclude", post(promotion_conclude))
}

async fn filers(State(st): State<AppState>, u: ApiUser, Query(q): Query<FilerQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .pm_filers(
            &u.actor,
            q.filter(path),
            Paging::new(q.page, q.per_page),
            as_of(&q.as_of),
        )
        .await
        .map(|p| json!(p)))
}

#[derive(Deserialize)]
struct FilerBody {
    year: Option<i64>,
    person_id: Option<i64>,
    #[serde(default)]
    basis: String,
}

async fn filer_add(State(st): State<AppState>, u: ApiUser, Body(b): Body<FilerBody>) -> Response {
    created(
        st.app
            .pm_add_filer(
                &u.actor,
                b.year.unwrap_or_else(this_year),
                b.person_id,
                &b.basis,
            )
            .await,
    )
}

#[derive(Deserialize)]
struct YearBody {
    year: Option<i64>,
}

async fn generate(State(st): State<AppState>, u: ApiUser, Body(b): Body<YearBody>) -> Response {
    ok(st
        .app
        .pm_generate_filers(&u.actor, b.year.unwrap_or_else(this_year))
        .await
        .map(|n| json!({ "added": n })))
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
    pub as_of: Option<String>,
}

/// Bodies name the year; without one, the current year (the use case checks access
/// before anything else, so a caller without the role gets 403 whatever it sends).
fn this_year() -> i64 {
    chrono::Datelike::year(&zeren_app::clock::today()) as i64
}

fn year_of(y: &Option<String>) -> Option<i64> {
    y.as_deref().and_then(|y| y.trim().parse().ok())
}

async fn figures(State(st): State<AppState>, u: ApiUser, Query(q): Query<YearQuery>) -> Response {
    let year = year_of(&q.year)
        .unwrap_or_else(|| chrono::Datelike::year(&zeren_app::clock::today()) as i64);
    ok(st.app.pm_figures(&u.actor, year).await)
}

async fn filer(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Response {
    let mut r = ok(st.app.pm_filer(&u.actor, id, as_of(&q.as_of)).await);
    no_store(&mut r);
    r
}

fn no_store(r: &mut Response) {
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
}

#[derive(Deserialize)]
struct SubmitBody {
    #[serde(default)]
    submitted_on: String,
    declared: Option<String>,
}

async fn submit(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<SubmitBody>,
) -> Response {
    done(
        st.app
            .pm_submit(&u.actor, id, &b.submitted_on, b.declared.as_deref())
            .await,
    )
}

async fn batches(State(st): State<AppState>, u: ApiUser, Query(q): Query<YearQuery>) -> Response {
    ok(st.app.pm_batches(&u.actor, year_of(&q.year)).await)
}

#[derive(Deserialize)]
struct DrawBody {
    year: Option<i64>,
    org_id: Option<i64>,
    percent: Option<i64>,
    seed: Option<String>,
    #[serde(default)]
    note: String,
}

async fn draw(State(st): State<AppState>, u: ApiUser, Body(b): Body<DrawBody>) -> Response {
    created(
        st.app
            .pm_draw(
                &u.actor,
                DrawInput {
                    year: b.year.unwrap_or_else(this_year),
                    org_id: b.org_id,
                    percent: b.percent,
                    seed: b.seed,
                    note: b.note,
                },
            )
            .await,
    )
}

#[derive(Deserialize)]
struct TargetedBody {
    year: Option<i64>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    person_ids: Vec<i64>,
    #[serde(default)]
    note: String,
}

async fn targeted(State(st): State<AppState>, u: ApiUser, Body(b): Body<TargetedBody>) -> Response {
    created(
        st.app
            .pm_targeted(
                &u.actor,
                TargetedInput {
                    year: b.year.unwrap_or_else(this_year),
                    reason: b.reason,
                    person_ids: b.person_ids,
                    note: b.note,
                },
            )
            .await,
    )
}

async fn batch(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.pm_batch(&u.actor, id).await)
}

async fn check(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    let mut r = ok(st.app.pm_check(&u.actor, id).await);
    no_store(&mut r);
    r
}

#[derive(Deserialize)]
struct CheckBody {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    checked_on: String,
    finding: Option<String>,
    #[serde(default)]
    handling: String,
}

async fn check_record(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<CheckBody>,
) -> Response {
    done(
        st.app
            .pm_record_check(
                &u.actor,
                id,
                CheckInput {
                    outcome: b.outcome,
                    checked_on: b.checked_on,
                    finding: b.finding,
                    handling: b.handling,
                },
            )
            .await,
    )
}

// ---- risk points ----

async fn risks(State(st): State<AppState>, u: ApiUser, Query(q): Query<RiskQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .risk_list(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

async fn heat(State(st): State<AppState>, u: ApiUser, Query(q): Query<RiskQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st.app.risk_heat(&u.actor, &q.filter(path)).await)
}

async fn risk_export(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<RiskQuery>,
) -> Response {
    match crate::pages::risk_points::risk_sheet(&st, &u.actor, &q).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_response(&e),
    }
}

async fn risk(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.risk_get(&u.actor, id).await)
}

#[derive(Deserialize)]
struct ControlBody {
    #[serde(default)]
    measure: String,
    owner_person_id: Option<i64>,
}

#[derive(Deserialize)]
struct RiskBody {
    org_id: Option<i64>,
    #[serde(default)]
    department: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    description: String,
    review_months: Option<i64>,
    next_review_on: Option<String>,
    #[serde(default)]
    controls: Vec<ControlBody>,
}

async fn risk_create(State(st): State<AppState>, u: ApiUser, Body(b): Body<RiskBody>) -> Response {
    let input = NewRiskInput {
        org_id: b.org_id,
        department: b.department,
        post: b.post,
        category: b.category,
        level: b.level,
        description: b.description,
        review_months: b.review_months,
        next_review_on: b.next_review_on,
        controls: b
            .controls
            .into_iter()
            .map(|c| (c.measure, c.owner_person_id))
            .collect(),
    };
    created(st.app.risk_create(&u.actor, input).await)
}

async fn risk_control(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ControlBody>,
) -> Response {
    created(
        st.app
            .risk_add_control(&u.actor, id, &b.measure, b.owner_person_id)
            .await,
    )
}

#[derive(Deserialize)]
struct ReviewBody {
    #[serde(default)]
    reviewed_on: String,
    #[serde(default)]
    note: String,
}

async fn risk_review(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ReviewBody>,
) -> Response {
    done(
        st.app
            .risk_review(&u.actor, id, &b.reviewed_on, &b.note)
            .await,
    )
}

// ---- 凡提四必 ----

async fn promotions(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st.app.promotion_list(&u.actor).await)
}

#[derive(Deserialize)]
struct PromotionBody {
    person_id: Option<i64>,
    #[serde(default)]
    proposed_post: String,
}

async fn promotion_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<PromotionBody>,
) -> Response {
    created(
        st.app
            .promotion_create(&u.actor, b.person_id, &b.proposed_post)
            .await,
    )
}

async fn promotion(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.promotion_get(&u.actor, id).await)
}

#[derive(Deserialize)]
struct ConcludeBody {
    #[serde(default)]
    check: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    on: String,
}

async fn promotion_conclude(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ConcludeBody>,
) -> Response {
    done(
        st.app
            .promotion_conclude(&u.actor, id, &b.check, &b.verdict, &b.note, &b.on)
            .await,
    )
}

/// OpenAPI paths of these routes.
pub fn openapi_paths(v: &mut serde_json::Value) {
    let err = json!({"$ref": "#/components/responses/Error"});
    let op = |summary: &str, ok: &str| json!({"summary": summary, "responses": {ok: {"description": "成功"}, "401": err, "403": err, "404": err, "422": err}});
    let p = &mut v["paths"];
    p["/personal-matters"] = json!({
        "get": op("个人有关事项报告对象名单（year, org, status=submitted|unsubmitted|late, q, as_of, page, per_page）：仅组织部门，每次查看记入审计日志", "200"),
        "post": op("列入年度报告对象名单 {year, person_id, basis}", "201")
    });
    p["/personal-matters/generate"] =
        json!({"post": op("按职级（副处级以上）生成年度报告对象名单 {year}", "200")});
    p["/personal-matters/figures"] =
        json!({"get": op("年度报告与查核统计：报告人数、逾期、如实报告率（按单位）", "200")});
    p["/personal-matters/{id}"] = json!({"get": op("报告对象详情：报告日期与状态（1月31日为截止日）、报告事项摘要（加密保存）、查核记录", "200")});
    p["/personal-matters/{id}/submit"] =
        json!({"post": op("登记报告 {submitted_on, declared}：1月31日后为逾期报告", "200")});
    p["/personal-matters/batches"] = json!({
        "get": op("查核批次（year）", "200"),
        "post": op("随机抽查 {year, org_id, percent（默认10）, seed（64位十六进制，留空自动生成）, note}：ChaCha20 按种子抽取，可复现", "201")
    });
    p["/personal-matters/batches/targeted"] = json!({"post": op("重点查核 {year, reason=promotion|petition|inspection|other, person_ids, note}", "201")});
    p["/personal-matters/batches/{id}"] =
        json!({"get": op("查核批次详情与按种子复核抽取结果（redraw_matches）", "200")});
    p["/personal-matters/checks/{id}"] = json!({
        "get": op("查核记录（含查核发现，加密保存）", "200"),
        "post": op("登记查核结果 {outcome=truthful|omitted|concealed, checked_on, finding, handling}", "200")
    });
    p["/risk-points"] = json!({
        "get": op("廉政风险点（org, category, level, q, due_by, page, per_page）", "200"),
        "post": op("登记廉政风险点 {org_id, department, post, category, level, description, review_months, next_review_on, controls:[{measure, owner_person_id}]}", "201")
    });
    p["/risk-points/heat"] = json!({"get": op("风险热力表：类别×等级的数量（筛选同列表）", "200")});
    p["/risk-points/export.xlsx"] = json!({"get": op("导出廉政风险点台账（Excel）", "200")});
    p["/risk-points/{id}"] = json!({"get": op("风险点详情、防控措施与时间线", "200")});
    p["/risk-points/{id}/controls"] =
        json!({"post": op("增加防控措施 {measure, owner_person_id}", "201")});
    p["/risk-points/{id}/review"] =
        json!({"post": op("登记复核 {reviewed_on, note}，下次复核按周期顺延", "200")});
    p["/promotion-checks"] = json!({
        "get": op("凡提四必记录：组织部门与纪检监察角色，本人范围内（不含本人）", "200"),
        "post": op("发起凡提四必 {person_id, proposed_post}（组织部门）", "201")
    });
    p["/promotion-checks/{id}"] = json!({"get": op("凡提四必详情：四项结论；组织部门可见个人事项查核结果，纪检监察可见信访件与四种形态的件数（不含举报人与内容）", "200")});
    p["/promotion-checks/{id}/conclude"] = json!({"post": op("填写一项结论 {check=file|personal_matters|discipline|petitions, verdict=clear|concern|block, note, on}", "200")});
}
