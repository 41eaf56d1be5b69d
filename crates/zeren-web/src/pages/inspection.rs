//! 巡察 pages: the office's rounds (plan, targets, team with 回避 declarations, talks,
//! surveys, findings, feedback), the inspected unit's rectification view (feedback,
//! ledger, long-term marks, systems, report), a person's own talk with drafts, the
//! publishable progress notice, statistics, and the public survey page that a
//! respondent opens with a one-time code and no account.
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::documents::Document;
use zeren_app::inspection::notice::NoticeView;
use zeren_app::inspection::round::{
    FindingInput, MemberInput, RoundDetail, RoundInput, RoundStats, TargetDetail,
};
use zeren_app::inspection::survey::{SurveyForm, SurveyInput, SurveyQuestionInput, SurveyResults};
use zeren_app::inspection::talk::{TalkDetail, TalkInput};
use zeren_app::{clock, AppError};
use zeren_core::inspection::{FindingCategory, QuestionKind, RoundKind, RoundState};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::opt_id;
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspection", get(index).post(round_create))
        .route("/inspection/plans", post(plan_create))
        .route("/inspection/outlines", post(outline_create))
        .route("/inspection/rounds/{id}", get(round_page))
        .route("/inspection/rounds/{id}/transition", post(round_transition))
        .route("/inspection/rounds/{id}/team", post(team_add))
        .route("/inspection/rounds/{id}/findings", post(finding_create))
        .route("/inspection/rounds/{id}/talks", post(talk_schedule))
        .route("/inspection/rounds/{id}/surveys", post(survey_create))
        .route("/inspection/rounds/{id}/notice", get(notice_page))
        .route("/inspection/rounds/{id}/notice.docx", get(notice_docx))
        .route("/inspection/targets/{id}", get(target_page))
        .route("/inspection/targets/{id}/feedback", post(feedback))
        .route("/inspection/targets/{id}/text", post(target_text))
        .route("/inspection/targets/{id}/report", post(report_submit))
        .route("/inspection/targets/{id}/feedback.docx", get(feedback_docx))
        .route("/inspection/targets/{id}/report.docx", get(report_docx))
        .route("/inspection/targets/{id}/notice", get(target_notice_page))
        .route(
            "/inspection/targets/{id}/notice.docx",
            get(target_notice_docx),
        )
        .route("/inspection/problems/{id}/long-term", post(long_term))
        .route("/inspection/measures/{id}/systems", post(system_add))
        .route("/inspection/talks/{id}", get(talk_page).post(talk_answer))
        .route("/inspection/surveys/{id}", get(survey_results))
        .route("/inspection/surveys/{id}/codes", post(survey_codes))
        .route("/inspection/surveys/{id}/close", post(survey_close))
        .route("/survey", get(survey_page).post(survey_submit))
}

pub struct L;
impl L {
    pub fn round_state(&self, k: &str) -> &'static str {
        RoundState::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn kind(&self, k: &str) -> &'static str {
        RoundKind::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn category(&self, k: &str) -> &'static str {
        FindingCategory::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn role(&self, k: &str) -> &'static str {
        match k {
            "leader" => "组长",
            "deputy" => "副组长",
            _ => "组员",
        }
    }
    pub fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    pub fn lines(&self, s: &str) -> Vec<String> {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}

fn flash_err(e: AppError, back: &str, u: &PageUser) -> Response {
    match e {
        AppError::Invalid(v) => {
            let msgs: Vec<String> = v.errors.iter().map(|e| e.message.clone()).collect();
            redirect_with_flash(back, &format!("错误：{}", msgs.join("；")))
        }
        AppError::Conflict(m) => redirect_with_flash(back, &format!("错误：{m}")),
        e => error_page(u, &e),
    }
}

fn word(d: Document) -> Response {
    let enc =
        percent_encoding::utf8_percent_encode(&d.filename, percent_encoding::NON_ALPHANUMERIC);
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"inspection.docx\"; filename*=UTF-8''{enc}"),
            ),
        ],
        d.bytes,
    )
        .into_response()
}

fn g(f: &HashMap<String, String>, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

fn csrf_ok(u: &PageUser, f: &HashMap<String, String>) -> Result<(), Response> {
    u.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))
}

// ---------------------------------------------------------------- index

#[derive(Template)]
#[template(path = "inspection.html")]
struct IndexPage {
    ctx: PageCtx,
    l: L,
    is_office: bool,
    rounds: Vec<zeren_app::rows::InspectionRoundRow>,
    plans: Vec<zeren_app::rows::InspectionPlanRow>,
    outlines: Vec<zeren_app::rows::InspectionOutlineRow>,
    stats: Vec<RoundStats>,
    targets: Vec<zeren_app::rows::InspectionTargetRow>,
    talks: Vec<zeren_app::rows::InspectionTalkRow>,
    units: Vec<zeren_app::rows::OrgRow>,
    kinds: Vec<(&'static str, &'static str)>,
    qkinds: Vec<(&'static str, &'static str)>,
    year: i64,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<i64>,
}

pub async fn index(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(|| {
        use chrono::Datelike;
        clock::today().year() as i64
    });
    let is_office = zeren_app::inspection::is_office(&u.actor);
    let a = &u.actor;
    let (rounds, plans, outlines, stats) = if is_office {
        let r = st.app.inspection_rounds(a, None).await;
        let p = st.app.inspection_plans(a).await;
        let o = st.app.inspection_outlines(a).await;
        let s = st.app.inspection_stats(a, Some(year)).await;
        match (r, p, o, s) {
            (Ok(r), Ok(p), Ok(o), Ok(s)) => (r, p, o, s),
            (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
                return error_page(&u, &e)
            }
        }
    } else {
        Default::default()
    };
    let targets = st.app.inspection_my_targets(a).await.unwrap_or_default();
    let talks = st.app.inspection_my_talks(a).await.unwrap_or_default();
    let units = match a.home() {
        Some(h) if is_office => st
            .app
            .org_tree(a, Some(h.org_id), 2)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o.id != h.org_id)
            .collect(),
        _ => Vec::new(),
    };
    let ctx = PageCtx::new(&u, "inspection", vec![("巡察整改", None)]);
    render(
        &IndexPage {
            ctx,
            l: L,
            is_office,
            rounds,
            plans,
            outlines,
            stats,
            targets,
            talks,
            units,
            kinds: RoundKind::options(),
            qkinds: QuestionKind::options(),
            year,
        },
        u.flash.is_some(),
    )
}

pub async fn plan_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let year = g(&f, "year").trim().parse().unwrap_or(0);
    match st
        .app
        .inspection_plan_create(&u.actor, None, year, &g(&f, "title"), &g(&f, "content"))
        .await
    {
        Ok(_) => redirect_with_flash("/inspection", "巡察规划已保存"),
        Err(e) => flash_err(e, "/inspection", &u),
    }
}

pub async fn outline_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let m: HashMap<String, String> = f.iter().cloned().collect();
    if let Err(r) = csrf_ok(&u, &m) {
        return r;
    }
    let kinds: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "kind")
        .map(|(_, v)| v.clone())
        .collect();
    let texts: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "question")
        .map(|(_, v)| v.clone())
        .collect();
    let qs: Vec<(String, String)> = texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| (kinds.get(i).cloned().unwrap_or_else(|| "other".into()), t))
        .collect();
    match st
        .app
        .inspection_outline_create(&u.actor, None, &g(&m, "title"), &qs)
        .await
    {
        Ok(_) => redirect_with_flash("/inspection", "谈话提纲已保存"),
        Err(e) => flash_err(e, "/inspection", &u),
    }
}

pub async fn round_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let m: HashMap<String, String> = f.iter().cloned().collect();
    if let Err(r) = csrf_ok(&u, &m) {
        return r;
    }
    let targets = f
        .iter()
        .filter(|(k, _)| k == "target")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let nonempty = |k: &str| Some(g(&m, k)).filter(|s| !s.trim().is_empty());
    let input = RoundInput {
        org_id: None,
        year: g(&m, "year").trim().parse().unwrap_or(0),
        number: nonempty("number").and_then(|s| s.trim().parse().ok()),
        kind: g(&m, "kind"),
        onsite_from: nonempty("onsite_from"),
        onsite_to: nonempty("onsite_to"),
        report_months: nonempty("report_months").and_then(|s| s.trim().parse().ok()),
        note: g(&m, "note"),
        target_org_ids: targets,
    };
    match st.app.inspection_round_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/inspection/rounds/{id}"), "巡察轮次已创建"),
        Err(e) => flash_err(e, "/inspection", &u),
    }
}

// ---------------------------------------------------------------- a round

#[derive(Template)]
#[template(path = "inspection_round.html")]
struct RoundPage {
    ctx: PageCtx,
    l: L,
    d: RoundDetail,
    outlines: Vec<zeren_app::rows::InspectionOutlineRow>,
    categories: Vec<(&'static str, &'static str)>,
    today: String,
}

pub async fn round_page(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.inspection_round(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let outlines = st
        .app
        .inspection_outlines(&u.actor)
        .await
        .unwrap_or_default();
    let ctx = PageCtx::new(
        &u,
        "inspection",
        vec![("巡察整改", Some("/inspection".into())), ("轮次", None)],
    );
    render(
        &RoundPage {
            ctx,
            l: L,
            d,
            outlines,
            categories: FindingCategory::options(),
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

pub async fn round_transition(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/rounds/{id}");
    match st
        .app
        .inspection_round_transition(&u.actor, id, &g(&f, "action"))
        .await
    {
        Ok(()) => redirect_with_flash(&back, "已更新"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn team_add(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/rounds/{id}");
    let input = MemberInput {
        person_id: opt_id(&f.get("person_id").cloned()),
        name: g(&f, "name"),
        role: g(&f, "role"),
        declaration: g(&f, "declaration"),
    };
    match st.app.inspection_team_add(&u.actor, id, input).await {
        Ok(_) => redirect_with_flash(&back, "巡察组成员已登记"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn finding_create(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/rounds/{id}");
    let input = FindingInput {
        target_id: opt_id(&f.get("target_id").cloned()).unwrap_or(0),
        category: g(&f, "category"),
        title: g(&f, "title"),
        description: g(&f, "description"),
        evidence: g(&f, "evidence"),
        answer_id: opt_id(&f.get("answer_id").cloned()),
    };
    match st.app.inspection_finding_create(&u.actor, input).await {
        Ok(_) => redirect_with_flash(&back, "巡察发现问题已登记"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn talk_schedule(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/rounds/{id}");
    let input = TalkInput {
        target_id: opt_id(&f.get("target_id").cloned()).unwrap_or(0),
        outline_id: opt_id(&f.get("outline_id").cloned()).unwrap_or(0),
        person_id: opt_id(&f.get("person_id").cloned()),
        person_name: g(&f, "person_name"),
        post: g(&f, "post"),
        talker: g(&f, "talker"),
        scheduled_on: g(&f, "scheduled_on"),
    };
    match st.app.inspection_talk_schedule(&u.actor, input).await {
        Ok(_) => redirect_with_flash(&back, "谈话已安排"),
        Err(e) => flash_err(e, &back, &u),
    }
}

/// Questions typed one a line: `单选|题干|选项1/选项2/…`, `评分|题干|5`, `文字|题干`.
fn parse_questions(text: &str) -> Vec<SurveyQuestionInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split('|').map(str::trim).collect();
            let kind = match parts.first().copied() {
                Some("单选") | Some("choice") => "choice",
                Some("评分") | Some("scale") => "scale",
                Some("文字") | Some("text") => "text",
                _ => "",
            };
            SurveyQuestionInput {
                kind: kind.into(),
                text: parts.get(1).copied().unwrap_or("").into(),
                options: parts
                    .get(2)
                    .map(|o| o.split('/').map(|x| x.trim().to_string()).collect())
                    .unwrap_or_default(),
                scale_max: parts.get(2).and_then(|x| x.parse().ok()).unwrap_or(0),
            }
        })
        .collect()
}

pub async fn survey_create(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/rounds/{id}");
    let input = SurveyInput {
        target_id: opt_id(&f.get("target_id").cloned()).unwrap_or(0),
        purpose: g(&f, "purpose"),
        title: g(&f, "title"),
        min_respondents: g(&f, "min_respondents").trim().parse().ok(),
        questions: parse_questions(&g(&f, "questions")),
    };
    match st.app.inspection_survey_create(&u.actor, input).await {
        Ok(sid) => redirect_with_flash(
            &format!("/inspection/surveys/{sid}"),
            "问卷已创建，请生成答题码",
        ),
        Err(e) => flash_err(e, &back, &u),
    }
}

// ---------------------------------------------------------------- notice

#[derive(Template)]
#[template(path = "inspection_notice.html")]
struct NoticePage {
    ctx: PageCtx,
    v: NoticeView,
    docx: String,
}

impl NoticePage {
    fn title_lines(&self) -> Vec<String> {
        self.v.title.lines().map(str::to_string).collect()
    }
    fn cn(&self, n: &usize) -> String {
        zeren_app::inspection::notice::cn(*n as u32 + 1)
    }
}

async fn show_notice(st: &AppState, u: &PageUser, rid: i64, tid: Option<i64>) -> Response {
    let v = match st.app.inspection_notice(&u.actor, rid, tid).await {
        Ok(v) => v,
        Err(e) => return error_page(u, &e),
    };
    let docx = match tid {
        Some(t) => format!("/inspection/targets/{t}/notice.docx"),
        None => format!("/inspection/rounds/{rid}/notice.docx"),
    };
    let ctx = PageCtx::new(
        u,
        "inspection",
        vec![
            ("巡察整改", Some("/inspection".into())),
            ("整改进展情况通报", None),
        ],
    );
    render(&NoticePage { ctx, v, docx }, u.flash.is_some())
}

pub async fn notice_page(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    show_notice(&st, &u, id, None).await
}

pub async fn notice_docx(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.inspection_notice_docx(&u.actor, id, None).await {
        Ok(d) => word(d),
        Err(e) => error_page(&u, &e),
    }
}

async fn round_of_target(st: &AppState, u: &PageUser, tid: i64) -> Result<i64, Response> {
    st.app
        .inspection_target(&u.actor, tid)
        .await
        .map(|d| d.target.round_id)
        .map_err(|e| error_page(u, &e))
}

pub async fn target_notice_page(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
) -> Response {
    match round_of_target(&st, &u, id).await {
        Ok(rid) => show_notice(&st, &u, rid, Some(id)).await,
        Err(r) => r,
    }
}

pub async fn target_notice_docx(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
) -> Response {
    let rid = match round_of_target(&st, &u, id).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    match st.app.inspection_notice_docx(&u.actor, rid, Some(id)).await {
        Ok(d) => word(d),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn feedback_docx(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
) -> Response {
    match st.app.inspection_feedback_docx(&u.actor, id).await {
        Ok(d) => word(d),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn report_docx(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.inspection_report_docx(&u.actor, id).await {
        Ok(d) => word(d),
        Err(e) => error_page(&u, &e),
    }
}

// ---------------------------------------------------------------- a target

#[derive(Template)]
#[template(path = "inspection_target.html")]
struct TargetPage {
    ctx: PageCtx,
    l: L,
    d: TargetDetail,
    today: String,
}

pub async fn target_page(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.inspection_target(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let ctx = PageCtx::new(
        &u,
        "inspection",
        vec![
            ("巡察整改", Some("/inspection".into())),
            ("被巡察单位", None),
        ],
    );
    render(
        &TargetPage {
            ctx,
            l: L,
            d,
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

pub async fn feedback(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/targets/{id}");
    let deadline = Some(g(&f, "deadline")).filter(|s| !s.trim().is_empty());
    match st
        .app
        .inspection_feedback(&u.actor, id, &g(&f, "feedback_on"), deadline.as_deref())
        .await
    {
        Ok(o) => redirect_with_flash(
            &back,
            &format!(
                "已反馈：{}个问题转入整改台账，整改情况报告应于{}前报送",
                o.created.len(),
                o.report_due
            ),
        ),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn target_text(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/targets/{id}");
    match st
        .app
        .inspection_target_text(&u.actor, id, &g(&f, "organisation"), &g(&f, "next_steps"))
        .await
    {
        Ok(()) => redirect_with_flash(&back, "已保存"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn report_submit(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/targets/{id}");
    match st
        .app
        .inspection_report_submit(&u.actor, id, &g(&f, "submitted_on"))
        .await
    {
        Ok(()) => redirect_with_flash(&back, "整改情况报告已报送"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn long_term(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = f
        .get("back")
        .filter(|b| b.starts_with("/inspection/targets/"))
        .cloned()
        .unwrap_or_else(|| "/inspection".into());
    match st
        .app
        .inspection_long_term(&u.actor, id, g(&f, "on") == "1")
        .await
    {
        Ok(()) => redirect_with_flash(&back, "已更新"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn system_add(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = f
        .get("back")
        .filter(|b| b.starts_with("/inspection/targets/"))
        .cloned()
        .unwrap_or_else(|| "/inspection".into());
    match st
        .app
        .inspection_system_add(&u.actor, id, &g(&f, "name"), &g(&f, "issued_on"))
        .await
    {
        Ok(_) => redirect_with_flash(&back, "制度已登记"),
        Err(e) => flash_err(e, &back, &u),
    }
}

// ---------------------------------------------------------------- talks

#[derive(Template)]
#[template(path = "inspection_talk.html")]
struct TalkPage {
    ctx: PageCtx,
    d: TalkDetail,
}

pub async fn talk_page(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.inspection_talk(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let ctx = PageCtx::new(
        &u,
        "inspection",
        vec![("巡察整改", Some("/inspection".into())), ("谈话", None)],
    );
    render(&TalkPage { ctx, d }, u.flash.is_some())
}

pub async fn talk_answer(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/talks/{id}");
    let answers: Vec<(i64, String)> = f
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix('q')?.parse().ok()?, v.clone())))
        .collect();
    if g(&f, "held_on").trim().is_empty() {
        // answers only
    } else if let Err(e) = st
        .app
        .inspection_talk_held(&u.actor, id, &g(&f, "held_on"))
        .await
    {
        return flash_err(e, &back, &u);
    }
    if let Some(a) = opt_id(&f.get("mark").cloned()) {
        return match st.app.inspection_answer_mark(&u.actor, a, true).await {
            Ok(()) => redirect_with_flash(&back, "已标记为问题线索"),
            Err(e) => flash_err(e, &back, &u),
        };
    }
    match st.app.inspection_talk_answer(&u.actor, id, &answers).await {
        Ok(n) => redirect_with_flash(&back, &format!("已保存{n}个问题的回答")),
        Err(e) => flash_err(e, &back, &u),
    }
}

// ---------------------------------------------------------------- surveys (office)

#[derive(Template)]
#[template(path = "inspection_survey.html")]
struct SurveyPage {
    ctx: PageCtx,
    r: SurveyResults,
    codes: Vec<String>,
}

async fn show_survey(st: &AppState, u: &PageUser, id: i64, codes: Vec<String>) -> Response {
    let r = match st.app.inspection_survey_results(&u.actor, id).await {
        Ok(r) => r,
        Err(e) => return error_page(u, &e),
    };
    let ctx = PageCtx::new(
        u,
        "inspection",
        vec![("巡察整改", Some("/inspection".into())), ("问卷", None)],
    );
    render(&SurveyPage { ctx, r, codes }, u.flash.is_some())
}

pub async fn survey_results(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
) -> Response {
    show_survey(&st, &u, id, Vec::new()).await
}

/// Issues codes and shows them on this one page, to print and cut into slips.
pub async fn survey_codes(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let n = g(&f, "n").trim().parse().unwrap_or(0);
    match st.app.inspection_survey_codes(&u.actor, id, n).await {
        Ok(codes) => show_survey(&st, &u, id, codes).await,
        Err(e) => flash_err(e, &format!("/inspection/surveys/{id}"), &u),
    }
}

pub async fn survey_close(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = csrf_ok(&u, &f) {
        return r;
    }
    let back = format!("/inspection/surveys/{id}");
    match st.app.inspection_survey_close(&u.actor, id).await {
        Ok(()) => redirect_with_flash(&back, "问卷已结束"),
        Err(e) => flash_err(e, &back, &u),
    }
}

// ---------------------------------------------------------------- the public survey

/// No session here: the form carries a double-submit token (a random cookie on
/// `/survey` the form must echo), like the login form. Nothing of the request — the
/// address, the time, the cookie — reaches the database.
const SURVEY_CSRF: &str = "zeren_survey_csrf";

#[derive(Template)]
#[template(path = "survey.html")]
struct PublicSurvey {
    csrf: String,
    code: String,
    form: Option<SurveyForm>,
    error: Option<String>,
    done: bool,
}

impl PublicSurvey {
    fn options(&self, q: &zeren_app::rows::InspectionSurveyQuestionRow) -> Vec<(usize, String)> {
        q.options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .enumerate()
            .collect()
    }
    fn scores(&self, q: &zeren_app::rows::InspectionSurveyQuestionRow) -> Vec<i64> {
        (1..=q.scale_max).rev().collect()
    }
}

fn public(jar: CookieJar, page: PublicSurvey, status: StatusCode) -> Response {
    let cookie = Cookie::build((SURVEY_CSRF, page.csrf.clone()))
        .path("/survey")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    let mut r = crate::ctx::render(&page, false);
    *r.status_mut() = status;
    (jar.add(cookie), r).into_response()
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    pub code: Option<String>,
}

pub async fn survey_page(
    State(st): State<AppState>,
    jar: CookieJar,
    Query(q): Query<CodeQuery>,
) -> Response {
    let token = zeren_app::auth::random_token();
    let code = q.code.unwrap_or_default();
    if code.trim().is_empty() {
        return public(
            jar,
            PublicSurvey {
                csrf: token,
                code: String::new(),
                form: None,
                error: None,
                done: false,
            },
            StatusCode::OK,
        );
    }
    match st.app.survey_form(&code).await {
        Ok((form, code)) => public(
            jar,
            PublicSurvey {
                csrf: token,
                code,
                form: Some(form),
                error: None,
                done: false,
            },
            StatusCode::OK,
        ),
        Err(e) => public(
            jar,
            PublicSurvey {
                csrf: token,
                code: String::new(),
                form: None,
                error: Some(match e {
                    AppError::Invalid(v) => v.summary(),
                    _ => "答题码无效或已使用".into(),
                }),
                done: false,
            },
            StatusCode::OK,
        ),
    }
}

pub async fn survey_submit(
    State(st): State<AppState>,
    jar: CookieJar,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let token = g(&f, "csrf");
    let cookie = jar.get(SURVEY_CSRF).map(|c| c.value().to_string());
    if token.is_empty() || cookie.as_deref() != Some(token.as_str()) {
        return (
            StatusCode::FORBIDDEN,
            axum::response::Html(
                "<h1>表单已失效</h1><p>安全校验未通过，请返回并刷新页面后重试。</p>",
            ),
        )
            .into_response();
    }
    let answers: HashMap<i64, String> = f
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix('q')?.parse().ok()?, v.clone())))
        .collect();
    let code = g(&f, "code");
    let fresh = zeren_app::auth::random_token();
    match st.app.survey_submit(&code, &answers).await {
        Ok(()) => public(
            jar,
            PublicSurvey {
                csrf: fresh,
                code: String::new(),
                form: None,
                error: None,
                done: true,
            },
            StatusCode::OK,
        ),
        Err(e) => {
            let msg = match e {
                AppError::Invalid(v) => v.summary(),
                _ => "提交失败，请稍后重试".into(),
            };
            let form = st.app.survey_form(&code).await.ok();
            public(
                jar,
                PublicSurvey {
                    csrf: fresh,
                    code: form.as_ref().map(|(_, c)| c.clone()).unwrap_or_default(),
                    form: form.map(|(f, _)| f),
                    error: Some(msg),
                    done: false,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}
