//! `/api/v1/letters`, `/api/v1/duty-reports`, `/api/v1/appraisals` and
//! `/api/v1/cadre-work` (issue 10): responsibility letters, duty reports with their
//! appraisal, and cadre records over JSON, through the same use cases as the pages
//! (`zeren_app::letter`, `duty_report`, `cadre_work`), which decide who sees and
//! writes what.
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use zeren_app::cadre_work::CadreInput;
use zeren_app::duty_report::{AppraisalInput, DutyReportInput, RectifyItem};
use zeren_app::letter::{IssueInput, SignInput, TemplateInput};
use zeren_app::rows::{CadreFilter, DutyReportFilter, LetterFilter};
use zeren_app::Paging;

use crate::api::{created, decode_files, done, error_response, ok, org_path, Body, FileBody};
use crate::form::nonempty;
use crate::session::ApiUser;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/letters", get(letters).post(issue))
        .route("/letters/coverage", get(coverage))
        .route("/letters/templates", get(templates).post(template_create))
        .route("/letters/{id}", get(letter))
        .route("/letters/{id}/sign", post(sign))
        .route("/letters/{id}/duties", post(refresh))
        .route("/letters/{id}/letter.docx", get(docx))
        .route("/duty-reports", get(reports).post(report_save))
        .route("/duty-reports/{id}", get(report))
        .route("/duty-reports/{id}/report.docx", get(report_docx))
        .route("/appraisals", get(appraisals).post(appraisal_create))
        .route("/appraisals/{id}", get(appraisal))
        .route("/appraisals/{id}/scores", post(scores))
        .route("/appraisals/{id}/questions", post(question))
        .route("/appraisals/{id}/rectification", post(rectify))
        .route("/cadre-work", get(cadre_list).post(cadre_create))
        .route("/cadre-work/figures", get(cadre_figures))
        .route("/cadre-work/part-time/{id}/decide", post(cadre_decide))
}

pub(crate) fn this_year() -> i32 {
    chrono::Datelike::year(&zeren_app::clock::today())
}

fn year_of(y: &Option<String>) -> Option<i32> {
    y.as_deref().and_then(|y| y.trim().parse().ok())
}

#[derive(Deserialize, Default, Clone)]
pub struct LetterQuery {
    pub year: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
    /// signed / unsigned / partial / none
    pub state: Option<String>,
    pub org: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl LetterQuery {
    pub fn filter(&self, org_path: Option<String>) -> LetterFilter {
        LetterFilter {
            year: year_of(&self.year).map(i64::from),
            kind: nonempty(&self.kind),
            level: nonempty(&self.level),
            state: nonempty(&self.state),
            org_path,
            ..Default::default()
        }
    }
}

async fn letters(State(st): State<AppState>, u: ApiUser, Query(q): Query<LetterQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .letters(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await)
}

#[derive(Deserialize)]
struct IssueBody {
    template_id: Option<i64>,
    #[serde(default)]
    level: String,
    issuer_person_id: Option<i64>,
    #[serde(default)]
    signer_person_ids: Vec<i64>,
    #[serde(default)]
    sign_by: String,
}

async fn issue(State(st): State<AppState>, u: ApiUser, Body(b): Body<IssueBody>) -> Response {
    let r = st
        .app
        .letters_issue(
            &u.actor,
            IssueInput {
                template_id: b.template_id.unwrap_or(0),
                level: b.level,
                issuer_person_id: b.issuer_person_id,
                signer_person_ids: b.signer_person_ids,
                sign_by: b.sign_by,
            },
        )
        .await;
    match r {
        Ok(ids) => (
            axum::http::StatusCode::CREATED,
            axum::Json(json!({ "ids": ids })),
        )
            .into_response(),
        Err(e) => error_response(&e),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
}

async fn coverage(State(st): State<AppState>, u: ApiUser, Query(q): Query<YearQuery>) -> Response {
    ok(st
        .app
        .letter_coverage(&u.actor, year_of(&q.year).unwrap_or_else(this_year))
        .await)
}

async fn templates(State(st): State<AppState>, u: ApiUser, Query(q): Query<YearQuery>) -> Response {
    ok(st
        .app
        .letter_templates(&u.actor, year_of(&q.year).unwrap_or_else(this_year))
        .await)
}

#[derive(Deserialize)]
struct TemplateBody {
    org_id: Option<i64>,
    year: Option<i32>,
    #[serde(default)]
    kind: String,
    title: Option<String>,
    categories: Option<Vec<String>>,
    clauses: Option<String>,
}

async fn template_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<TemplateBody>,
) -> Response {
    created(
        st.app
            .letter_template_create(
                &u.actor,
                TemplateInput {
                    org_id: b.org_id,
                    year: b.year.unwrap_or_else(this_year),
                    kind: b.kind,
                    title: b.title,
                    categories: b.categories,
                    clauses: b.clauses,
                },
            )
            .await,
    )
}

async fn letter(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.letter_detail(&u.actor, id).await)
}

#[derive(Deserialize)]
struct SignBody {
    #[serde(default)]
    party: String,
    #[serde(default)]
    method: String,
    signed_on: Option<String>,
    #[serde(default)]
    files: Vec<FileBody>,
}

async fn sign(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<SignBody>,
) -> Response {
    let files = match decode_files(b.files) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    done(
        st.app
            .letter_sign(
                &u.actor,
                id,
                SignInput {
                    party: b.party,
                    method: b.method,
                    signed_on: b.signed_on,
                    files,
                },
            )
            .await,
    )
}

async fn refresh(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st
        .app
        .letter_refresh_duties(&u.actor, id)
        .await
        .map(|n| json!({ "duties": n })))
}

/// The letter as Word, for the API and the page alike.
pub(crate) async fn docx_response(
    st: &AppState,
    actor: &zeren_app::Actor,
    id: i64,
) -> Result<Response, zeren_app::AppError> {
    let (name, bytes) = st.app.letter_docx(actor, id).await?;
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"letter-{id}.docx\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn docx(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    match docx_response(&st, &u.actor, id).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

async fn report_docx(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    match st.app.duty_report_docx(&u.actor, id).await {
        Ok(d) => crate::documents::docx(d),
        Err(e) => error_response(&e),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ReportQuery {
    pub year: Option<String>,
    pub kind: Option<String>,
    pub org: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl ReportQuery {
    pub fn filter(&self, org_path: Option<String>) -> DutyReportFilter {
        DutyReportFilter {
            year: year_of(&self.year).map(i64::from),
            kind: nonempty(&self.kind),
            org_path,
            ..Default::default()
        }
    }
}

async fn reports(State(st): State<AppState>, u: ApiUser, Query(q): Query<ReportQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .duty_reports(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await)
}

#[derive(Deserialize)]
struct ReportBody {
    year: Option<i32>,
    #[serde(default)]
    kind: String,
    person_id: Option<i64>,
    body: Option<String>,
    #[serde(default)]
    submit: bool,
}

async fn report_save(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<ReportBody>,
) -> Response {
    created(
        st.app
            .duty_report_save(
                &u.actor,
                DutyReportInput {
                    year: b.year.unwrap_or_else(this_year),
                    kind: b.kind,
                    person_id: b.person_id.unwrap_or(0),
                    body: b.body,
                    submit: b.submit,
                },
            )
            .await,
    )
}

async fn report(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.duty_report_detail(&u.actor, id).await)
}

async fn appraisals(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<YearQuery>,
) -> Response {
    ok(st.app.appraisals(&u.actor, year_of(&q.year)).await)
}

#[derive(Deserialize)]
struct AppraisalBody {
    org_id: Option<i64>,
    year: Option<i32>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    scoring: String,
    #[serde(default)]
    report_ids: Vec<i64>,
}

async fn appraisal_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<AppraisalBody>,
) -> Response {
    created(
        st.app
            .appraisal_create(
                &u.actor,
                AppraisalInput {
                    org_id: b.org_id,
                    year: b.year.unwrap_or_else(this_year),
                    title: b.title,
                    held_on: b.held_on,
                    scoring: b.scoring,
                    report_ids: b.report_ids,
                },
            )
            .await,
    )
}

async fn appraisal(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.appraisal_detail(&u.actor, id).await)
}

#[derive(Deserialize)]
struct ScoreLine {
    #[serde(default)]
    rater: String,
    /// a grade (好/较好/一般/差 or good/fair/average/poor) or points
    #[serde(default)]
    value: serde_json::Value,
}

#[derive(Deserialize)]
struct ScoresBody {
    report_id: Option<i64>,
    #[serde(default)]
    scores: Vec<ScoreLine>,
}

async fn scores(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ScoresBody>,
) -> Response {
    let rows: Vec<(String, String)> = b
        .scores
        .into_iter()
        .map(|s| {
            let v = match s.value {
                serde_json::Value::String(v) => v,
                other => other.to_string(),
            };
            (s.rater, v)
        })
        .collect();
    ok(st
        .app
        .appraisal_score(&u.actor, id, b.report_id.unwrap_or(0), &rows)
        .await
        .map(|n| json!({ "scored": n })))
}

#[derive(Deserialize)]
struct QuestionBody {
    report_id: Option<i64>,
    #[serde(default)]
    asker: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
}

async fn question(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<QuestionBody>,
) -> Response {
    created(
        st.app
            .appraisal_question(
                &u.actor,
                id,
                b.report_id.unwrap_or(0),
                &b.asker,
                &b.question,
                &b.answer,
            )
            .await,
    )
}

#[derive(Deserialize)]
struct ItemBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    deadline: String,
}

#[derive(Deserialize)]
struct RectifyBody {
    report_id: Option<i64>,
    #[serde(default)]
    items: Vec<ItemBody>,
}

async fn rectify(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<RectifyBody>,
) -> Response {
    let items: Vec<RectifyItem> = b
        .items
        .into_iter()
        .map(|i| RectifyItem {
            title: i.title,
            description: i.description,
            deadline: i.deadline,
        })
        .collect();
    match st
        .app
        .appraisal_rectify(&u.actor, id, b.report_id.unwrap_or(0), &items)
        .await
    {
        Ok(ids) => (
            axum::http::StatusCode::CREATED,
            axum::Json(json!({ "problem_ids": ids })),
        )
            .into_response(),
        Err(e) => error_response(&e),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct CadreQuery {
    /// appointment, part_time, training, tolerance
    pub kind: Option<String>,
    pub year: Option<String>,
    pub org: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl CadreQuery {
    pub fn filter(&self, org_path: Option<String>) -> CadreFilter {
        CadreFilter {
            kind: nonempty(&self.kind).unwrap_or_else(|| "appointment".into()),
            year: year_of(&self.year),
            org_path,
            ..Default::default()
        }
    }
}

async fn cadre_list(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<CadreQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .cadre_records(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await)
}

#[derive(Deserialize)]
struct CadreBody {
    #[serde(default)]
    record: String,
    person_id: Option<i64>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    post: String,
    from_rank: Option<String>,
    #[serde(default)]
    to_rank: String,
    #[serde(default)]
    appointed_on: String,
    #[serde(default)]
    society: String,
    #[serde(default)]
    applied_on: String,
    decision: Option<String>,
    decided_on: Option<String>,
    #[serde(default)]
    paid: bool,
    #[serde(default)]
    class_name: String,
    organizer: Option<String>,
    #[serde(default)]
    started_on: String,
    hours: Option<i64>,
    #[serde(default)]
    matter: String,
}

/// The record a body describes (`record`: appointment, part_time, training, tolerance).
pub(crate) fn cadre_input(b: CadreBodyParts) -> Result<CadreInput, zeren_app::AppError> {
    let person_id = b.person_id.unwrap_or(0);
    Ok(match b.record.as_str() {
        "appointment" => CadreInput::Appointment {
            person_id,
            kind: b.kind,
            post: b.post,
            from_rank: b.from_rank,
            to_rank: b.to_rank,
            appointed_on: b.appointed_on,
        },
        "part_time" => CadreInput::PartTime {
            person_id,
            society: b.society,
            post: b.post,
            applied_on: b.applied_on,
            decision: b.decision,
            decided_on: b.decided_on,
            paid: b.paid,
        },
        "training" => CadreInput::Training {
            person_id,
            class_name: b.class_name,
            organizer: b.organizer,
            started_on: b.started_on,
            hours: b.hours.unwrap_or(0),
        },
        "tolerance" => CadreInput::Tolerance {
            person_id,
            kind: b.kind,
            matter: b.matter,
            post: Some(b.post),
            decided_on: b.decided_on.unwrap_or_default(),
        },
        _ => {
            return Err(zeren_app::error::invalid(
                "record",
                "记录类别应为 appointment、part_time、training 或 tolerance",
            ))
        }
    })
}

/// The fields of a cadre record, from a JSON body or a form.
#[derive(Default)]
pub(crate) struct CadreBodyParts {
    pub record: String,
    pub person_id: Option<i64>,
    pub kind: String,
    pub post: String,
    pub from_rank: Option<String>,
    pub to_rank: String,
    pub appointed_on: String,
    pub society: String,
    pub applied_on: String,
    pub decision: Option<String>,
    pub decided_on: Option<String>,
    pub paid: bool,
    pub class_name: String,
    pub organizer: Option<String>,
    pub started_on: String,
    pub hours: Option<i64>,
    pub matter: String,
}

async fn cadre_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<CadreBody>,
) -> Response {
    if !zeren_app::App::may_write_cadre_work(&u.actor) {
        return error_response(&zeren_app::AppError::Forbidden(
            "干部工作记录由组织部门登记".into(),
        ));
    }
    let input = match cadre_input(CadreBodyParts {
        record: b.record,
        person_id: b.person_id,
        kind: b.kind,
        post: b.post,
        from_rank: b.from_rank,
        to_rank: b.to_rank,
        appointed_on: b.appointed_on,
        society: b.society,
        applied_on: b.applied_on,
        decision: b.decision,
        decided_on: b.decided_on,
        paid: b.paid,
        class_name: b.class_name,
        organizer: b.organizer,
        started_on: b.started_on,
        hours: b.hours,
        matter: b.matter,
    }) {
        Ok(i) => i,
        Err(e) => return error_response(&e),
    };
    created(st.app.cadre_record_create(&u.actor, input).await)
}

#[derive(Deserialize, Default)]
struct FiguresQuery {
    org: Option<String>,
    year: Option<String>,
}

async fn cadre_figures(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<FiguresQuery>,
) -> Response {
    let org = match crate::form::opt_id(&q.org) {
        Some(id) => id,
        None => match u.actor.home() {
            Some(h) => h.org_id,
            None => return error_response(&zeren_app::AppError::NotFound),
        },
    };
    ok(st
        .app
        .cadre_figures(&u.actor, org, year_of(&q.year).unwrap_or_else(this_year))
        .await)
}

#[derive(Deserialize)]
struct DecideBody {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    decided_on: String,
}

async fn cadre_decide(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<DecideBody>,
) -> Response {
    done(
        st.app
            .cadre_part_time_decide(&u.actor, id, &b.decision, &b.decided_on)
            .await,
    )
}

/// The routes above in the OpenAPI document.
pub fn openapi_paths(v: &mut serde_json::Value) {
    let err = json!({"$ref": "#/components/responses/Error"});
    let op = |summary: &str, ok: &str| json!({"summary": summary, "responses": {ok: {"description": "成功"}, "401": err, "403": err, "404": err, "409": err, "422": err}});
    let p = &mut v["paths"];
    p["/letters"] = json!({
        "get": op("责任书（分页）：year、kind（party_building 党建目标、integrity 党风廉政建设、conduct 行风建设）、level（unit 委党委—单位书记、team 书记—班子成员、department 班子成员—科室负责人）、state（signed 双方已签、unsigned 未完成签订、partial 一方已签、none 双方均未签）、org", "200"),
        "post": op("下发责任书 {template_id, level, issuer_person_id, signer_person_ids, sign_by}：甲乙双方按职务核对，任务取自乙方的年度责任清单；返回 ids", "201")
    });
    p["/letters/coverage"] = json!({"get": op("签订情况：每个单位、种类、层级的下发、双方已签订、一方已签、未签订份数（year）", "200")});
    p["/letters/templates"] = json!({
        "get": op("本年度可用的责任书模板（year）", "200"),
        "post": op("制定模板 {org_id, year, kind, categories?, title?, clauses?}：categories 为责任清单的任务类别，缺省按种类选取", "201")
    });
    p["/letters/{id}"] = json!({"get": op("责任书：任务（读自责任清单）、与清单的差异（drift）、签署、佐证、时间线", "200")});
    p["/letters/{id}/sign"] = json!({"post": op("签署 {party: issuer|signer|both, method: confirm|scan, signed_on, files}：confirm 须签订人本人账号；scan 由党办上传签字页", "200")});
    p["/letters/{id}/duties"] = json!({"post": op("按责任清单重新选取任务（双方签订前）", "200")});
    p["/letters/{id}/letter.docx"] =
        json!({"get": op("责任书 Word（GB/T 9704），含甲乙双方签字栏", "200")});
    p["/duty-reports"] = json!({
        "get": op("述职报告（分页）：year、kind（party_building 抓基层党建述职、integrity 述职述廉）、org", "200"),
        "post": op("起草或修改述职报告 {year, kind, person_id, body?, submit}：正文中的数字用〔数据项〕，取自记录", "201")
    });
    p["/duty-reports/{id}"] =
        json!({"get": op("述职报告：正文（数据已按记录填入）、可用数据项、时间线", "200")});
    p["/appraisals"] = json!({
        "get": op("述职评议会（year）", "200"),
        "post": op("召开述职评议会 {org_id, year, title, held_on, scoring: grade|points, report_ids}", "201")
    });
    p["/appraisals/{id}"] = json!({"get": op("评议会：每份述职报告的评议结果、汇总（好/较好/一般/差人数、平均、好评率、综合评价）、提问回答、整改清单", "200")});
    p["/appraisals/{id}/scores"] = json!({"post": op("记录评议结果 {report_id, scores: [{rater, value}]}：value 为等次或 0–100 分；同一评议人再次评议时替换", "200")});
    p["/appraisals/{id}/questions"] =
        json!({"post": op("记录提问和回答 {report_id, asker, question, answer}", "201")});
    p["/appraisals/{id}/rectification"] = json!({"post": op("整改清单列入问题台账 {report_id, items: [{title, description, deadline}]}：每项为一个问题（来源 考核），返回 problem_ids", "201")});
    p["/cadre-work"] = json!({
        "get": op("干部工作记录（分页）：kind（appointment 任用、part_time 社会团体兼职、training 培训、tolerance 容错纠错）、year、org", "200"),
        "post": op("登记干部工作记录 {record, person_id, …}：组织部门", "201")
    });
    p["/cadre-work/figures"] =
        json!({"get": op("年度干部工作数据（年度报告引用）：org、year", "200")});
    p["/cadre-work/part-time/{id}/decide"] =
        json!({"post": op("审批社会团体兼职 {decision: approved|refused, decided_on}", "200")});
}
