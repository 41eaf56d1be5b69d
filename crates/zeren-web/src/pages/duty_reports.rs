//! 述职评议 pages: the year's duty reports (述职报告, figures filled from the records)
//! and appraisal meetings (述职评议会): scores by participant and their aggregate,
//! questions and answers, and the 整改清单 that goes into the problem ledger.
//! `zeren_app::duty_report` decides who sees and writes what.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::duty_report::{
    AppraisalDetail, AppraisalInput, DutyReportDetail, DutyReportInput, RectifyItem,
};
use zeren_app::rows::{AppraisalRow, DutyReportRow};
use zeren_app::{clock, AppError, Paging};
use zeren_core::duty_report::{Grade, Kind, Scoring};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{opt_id, query_string, Pager};
use crate::letters_api::{this_year, ReportQuery};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/duty-reports", get(list).post(create))
        .route("/duty-reports/{id}", get(detail).post(save))
        .route("/duty-reports/{id}/report.docx", get(report_docx))
        .route("/appraisals", post(appraisal_create))
        .route("/appraisals/{id}", get(appraisal))
        .route("/appraisals/{id}/scores", post(scores))
        .route("/appraisals/{id}/questions", post(question))
        .route("/appraisals/{id}/rectification", post(rectify))
}

fn flash_err(e: AppError, back: &str, u: &PageUser) -> Response {
    match e {
        AppError::Invalid(v) => {
            let msgs: Vec<String> = v.errors.iter().map(|e| e.message.clone()).collect();
            redirect_with_flash(back, &format!("错误：{}", msgs.join("；")))
        }
        e => error_page(u, &e),
    }
}

pub struct L;
impl L {
    pub fn kind(&self, k: &str) -> &'static str {
        Kind::parse(k).map(Kind::label).unwrap_or("")
    }
    pub fn grade(&self, k: &Option<String>) -> &'static str {
        k.as_deref()
            .and_then(Grade::parse)
            .map(Grade::label)
            .unwrap_or("")
    }
    pub fn hundredths(&self, v: &i64) -> String {
        format!("{}.{:02}", v / 100, v % 100)
    }
    pub fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
}

#[derive(Template)]
#[template(path = "duty_reports.html")]
struct ListPage {
    ctx: PageCtx,
    l: L,
    year: i32,
    rows: Vec<DutyReportRow>,
    pager: Pager,
    appraisals: Vec<AppraisalRow>,
    reporters: Vec<(i64, String, i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    scorings: Vec<(&'static str, &'static str)>,
    may_write: bool,
    home_org: i64,
    today: String,
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or_else(this_year);
    let q = ReportQuery {
        year: Some(year.to_string()),
        ..q
    };
    let path = match crate::pages::tasks::org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let page = match st
        .app
        .duty_reports(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let appraisals = st
        .app
        .appraisals(&u.actor, Some(year))
        .await
        .unwrap_or_default();
    let may_write = u.actor.has(zeren_core::Permission::WriteScope);
    let reporters = if may_write {
        st.app.duty_reporters(&u.actor).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let base = query_string("/duty-reports", &[("year", year.to_string())]);
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let ctx = PageCtx::new(&u, "duty_reports", vec![("述职评议", None)]);
    render(
        &ListPage {
            ctx,
            l: L,
            year,
            rows: page.items,
            pager,
            appraisals,
            reporters,
            kinds: Kind::options(),
            scorings: Scoring::options(),
            may_write,
            home_org: u.actor.home().map(|h| h.org_id).unwrap_or(0),
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    pub csrf: Option<String>,
    pub year: Option<String>,
    pub kind: Option<String>,
    pub person_id: Option<String>,
    pub body: Option<String>,
    pub submit: Option<String>,
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<ReportForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = DutyReportInput {
        year: f
            .year
            .as_deref()
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(this_year),
        kind: f.kind.clone().unwrap_or_default(),
        person_id: opt_id(&f.person_id).unwrap_or(0),
        body: None,
        submit: false,
    };
    match st.app.duty_report_save(&u.actor, input).await {
        Ok(id) => redirect_with_flash(
            &format!("/duty-reports/{id}"),
            "述职报告已起草，数据取自记录",
        ),
        Err(e) => flash_err(e, "/duty-reports", &u),
    }
}

#[derive(Template)]
#[template(path = "duty_report.html")]
struct DetailPage {
    ctx: PageCtx,
    l: L,
    d: DutyReportDetail,
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.duty_report_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let title = format!("{}·{}", d.report.person_name, d.kind_label);
    let ctx = PageCtx::new(
        &u,
        "duty_reports",
        vec![
            ("述职评议", Some("/duty-reports".into())),
            (title.as_str(), None),
        ],
    );
    render(&DetailPage { ctx, l: L, d }, u.flash.is_some())
}

/// GET /duty-reports/{id}/report.docx: the report in the official document format.
pub async fn report_docx(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.duty_report_docx(&u.actor, id).await {
        Ok(d) => crate::documents::docx(d),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn save(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ReportForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/duty-reports/{id}");
    let d = match st.app.duty_report_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let input = DutyReportInput {
        year: d.report.year as i32,
        kind: d.report.kind.clone(),
        person_id: d.report.person_id,
        // the form always sends the text: an empty one is refused, not kept
        body: Some(f.body.clone().unwrap_or_default()),
        submit: f.submit.as_deref() == Some("1"),
    };
    match st.app.duty_report_save(&u.actor, input).await {
        Ok(_) => redirect_with_flash(&back, "述职报告已保存"),
        Err(e) => flash_err(e, &back, &u),
    }
}

#[derive(Deserialize, Default)]
pub struct AppraisalForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub year: Option<String>,
    pub title: Option<String>,
    pub held_on: Option<String>,
    pub scoring: Option<String>,
    #[serde(default)]
    pub report: Vec<String>,
    pub report_id: Option<String>,
    /// one "评议人 等次/分数" a line
    pub lines: Option<String>,
    pub asker: Option<String>,
    pub question: Option<String>,
    pub answer: Option<String>,
}

pub async fn appraisal_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<AppraisalForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = AppraisalInput {
        org_id: opt_id(&f.org_id),
        year: f
            .year
            .as_deref()
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(this_year),
        title: f.title.clone().unwrap_or_default(),
        held_on: f.held_on.clone().unwrap_or_default(),
        scoring: f.scoring.clone().unwrap_or_default(),
        report_ids: f
            .report
            .iter()
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
    };
    match st.app.appraisal_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/appraisals/{id}"), "述职评议会已登记"),
        Err(e) => flash_err(e, "/duty-reports", &u),
    }
}

#[derive(Template)]
#[template(path = "appraisal.html")]
struct AppraisalPage {
    ctx: PageCtx,
    l: L,
    d: AppraisalDetail,
    deadline: String,
}

pub async fn appraisal(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.appraisal_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let title = d.appraisal.title.clone();
    let ctx = PageCtx::new(
        &u,
        "duty_reports",
        vec![
            ("述职评议", Some("/duty-reports".into())),
            (title.as_str(), None),
        ],
    );
    render(
        &AppraisalPage {
            ctx,
            l: L,
            d,
            deadline: (clock::today() + chrono::Duration::days(60)).to_string(),
        },
        u.flash.is_some(),
    )
}

/// "张三 好" / "张三，92" lines → (participant, value).
fn score_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.replace(['，', ',', '\t', '：', ':'], " ");
            match l.trim().rsplit_once(' ') {
                Some((who, v)) => (who.trim().to_string(), v.trim().to_string()),
                None => (String::new(), l.trim().to_string()),
            }
        })
        .collect()
}

pub async fn scores(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AppraisalForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/appraisals/{id}");
    let rows = score_lines(f.lines.as_deref().unwrap_or(""));
    match st
        .app
        .appraisal_score(&u.actor, id, opt_id(&f.report_id).unwrap_or(0), &rows)
        .await
    {
        Ok(n) => redirect_with_flash(&back, &format!("已记录 {n} 人的评议结果")),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn question(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AppraisalForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/appraisals/{id}");
    match st
        .app
        .appraisal_question(
            &u.actor,
            id,
            opt_id(&f.report_id).unwrap_or(0),
            f.asker.as_deref().unwrap_or(""),
            f.question.as_deref().unwrap_or(""),
            f.answer.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(_) => redirect_with_flash(&back, "提问和回答已记录"),
        Err(e) => flash_err(e, &back, &u),
    }
}

/// "问题概述｜整改时限" lines (｜ or |) → items.
fn item_lines(text: &str) -> Vec<RectifyItem> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let l = l.replace('｜', "|");
            let (title, deadline) = l.rsplit_once('|').unwrap_or((l.as_str(), ""));
            RectifyItem {
                title: title.trim().to_string(),
                description: String::new(),
                deadline: deadline.trim().to_string(),
            }
        })
        .collect()
}

pub async fn rectify(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AppraisalForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/appraisals/{id}");
    let items = item_lines(f.lines.as_deref().unwrap_or(""));
    match st
        .app
        .appraisal_rectify(&u.actor, id, opt_id(&f.report_id).unwrap_or(0), &items)
        .await
    {
        Ok(ids) => redirect_with_flash(&back, &format!("整改清单 {} 项已列入问题台账", ids.len())),
        Err(e) => flash_err(e, &back, &u),
    }
}
