//! 责任书 pages: the coverage table (who has signed, per unit, kind and level) and the
//! list with its filters; a letter with its duties (read from the responsibility list,
//! with any difference since issuing), signatures, the signer's own confirmation, a
//! scanned signed page, and the printable Word letter; templates and issuing.
//! `zeren_app::letter` decides who sees and writes what.
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::letter::{IssueInput, LetterDetail, SignInput, StatusLine, TemplateInput};
use zeren_app::rows::{LetterRow, TemplateRow};
use zeren_app::{clock, AppError, Paging};
use zeren_core::letter::{Kind, Level, SignState};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{opt_id, query_string, MultipartForm, Pager};
use crate::letters_api::{this_year, LetterQuery};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/letters", get(list).post(issue))
        .route("/letters/new", get(new_page))
        .route("/letters/templates", post(template_create))
        .route("/letters/{id}", get(detail))
        .route("/letters/{id}/confirm", post(confirm))
        .route("/letters/{id}/scan", post(scan))
        .route("/letters/{id}/duties", post(refresh))
        .route("/letters/{id}/letter.docx", get(docx))
}

pub struct L;
impl L {
    pub fn kind(&self, k: &str) -> &'static str {
        Kind::parse(k).map(Kind::label).unwrap_or("")
    }
    pub fn level(&self, k: &str) -> &'static str {
        Level::parse(k).map(Level::label).unwrap_or("")
    }
    pub fn state(&self, r: &LetterRow) -> &'static str {
        zeren_core::letter::sign_state(r.issuer_signed_on.is_some(), r.signer_signed_on.is_some())
            .label()
    }
    pub fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
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

#[derive(Template)]
#[template(path = "letters.html")]
struct ListPage {
    ctx: PageCtx,
    l: L,
    year: i32,
    coverage: Vec<StatusLine>,
    rows: Vec<LetterRow>,
    pager: Pager,
    q: LetterQuery,
    templates: Vec<TemplateRow>,
    kinds: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    may_issue: bool,
    today: String,
}

impl ListPage {
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn overdue(&self, r: &LetterRow) -> bool {
        r.signed == 0 && r.sign_by.as_str() < self.today.as_str()
    }
    /// The list of a coverage line's letters in `state` ("partial", "none").
    fn state_href(&self, s: &StatusLine, state: &str) -> String {
        query_string(
            "/letters",
            &[
                ("year", self.year.to_string()),
                ("kind", s.kind.clone()),
                ("level", s.level.clone()),
                ("state", state.into()),
                ("org", s.org_id.to_string()),
            ],
        )
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<LetterQuery>,
) -> Response {
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or_else(this_year);
    let q = LetterQuery {
        year: Some(year.to_string()),
        ..q
    };
    let path = match crate::pages::tasks::org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let page = match st
        .app
        .letters(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let coverage = st
        .app
        .letter_coverage(&u.actor, year)
        .await
        .unwrap_or_default();
    let templates = st
        .app
        .letter_templates(&u.actor, year)
        .await
        .unwrap_or_default();
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    let base = query_string(
        "/letters",
        &[
            ("year", year.to_string()),
            ("kind", g(&q.kind)),
            ("level", g(&q.level)),
            ("state", g(&q.state)),
            ("org", g(&q.org)),
        ],
    );
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let ctx = PageCtx::new(&u, "letters", vec![("责任书", None)]);
    render(
        &ListPage {
            ctx,
            l: L,
            year,
            coverage,
            rows: page.items,
            pager,
            q,
            templates,
            kinds: Kind::options(),
            levels: Level::options(),
            may_issue: zeren_app::App::may_issue_letters(&u.actor),
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct TemplateForm {
    pub csrf: Option<String>,
    pub kind: Option<String>,
    pub year: Option<String>,
}

pub async fn template_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<TemplateForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let year = f
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or_else(this_year);
    let input = TemplateInput {
        org_id: u.actor.home().map(|h| h.org_id),
        year,
        kind: f.kind.clone().unwrap_or_default(),
        ..Default::default()
    };
    match st.app.letter_template_create(&u.actor, input).await {
        Ok(_) => redirect_with_flash(&format!("/letters?year={year}"), "责任书模板已制定"),
        Err(e) => flash_err(e, &format!("/letters?year={year}"), &u),
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    pub template: Option<String>,
    pub level: Option<String>,
    pub issuer: Option<String>,
}

#[derive(Template)]
#[template(path = "letter_new.html")]
struct NewPage {
    ctx: PageCtx,
    q: NewQuery,
    templates: Vec<TemplateRow>,
    levels: Vec<(&'static str, &'static str)>,
    issuers: Vec<(i64, String, i64, String)>,
    signers: Vec<(i64, String, i64, String)>,
    sign_by: String,
}

impl NewPage {
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

pub async fn new_page(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<NewQuery>,
) -> Response {
    if !zeren_app::App::may_issue_letters(&u.actor) {
        return error_page(&u, &AppError::Forbidden("只有党办可以下发责任书".into()));
    }
    let templates = st
        .app
        .letter_templates(&u.actor, this_year())
        .await
        .unwrap_or_default();
    let (mut issuers, mut signers) = (Vec::new(), Vec::new());
    if let (Some(t), Some(level)) = (opt_id(&q.template), q.level.clone()) {
        issuers = st
            .app
            .letter_issuer_options(&u.actor, t, &level)
            .await
            .unwrap_or_default();
        signers = st
            .app
            .letter_signer_options(&u.actor, t, &level, opt_id(&q.issuer))
            .await
            .unwrap_or_default();
    }
    let ctx = PageCtx::new(
        &u,
        "letters",
        vec![("责任书", Some("/letters".into())), ("下发责任书", None)],
    );
    render(
        &NewPage {
            ctx,
            q,
            templates,
            levels: Level::options(),
            issuers,
            signers,
            sign_by: (clock::today() + chrono::Duration::days(14)).to_string(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct IssueForm {
    pub csrf: Option<String>,
    pub template_id: Option<String>,
    pub level: Option<String>,
    pub issuer_person_id: Option<String>,
    #[serde(default)]
    pub signer: Vec<String>,
    pub sign_by: Option<String>,
}

pub async fn issue(State(st): State<AppState>, u: PageUser, Form(f): Form<IssueForm>) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = query_string(
        "/letters/new",
        &[
            ("template", f.template_id.clone().unwrap_or_default()),
            ("level", f.level.clone().unwrap_or_default()),
            ("issuer", f.issuer_person_id.clone().unwrap_or_default()),
        ],
    );
    let input = IssueInput {
        template_id: opt_id(&f.template_id).unwrap_or(0),
        level: f.level.clone().unwrap_or_default(),
        issuer_person_id: opt_id(&f.issuer_person_id),
        signer_person_ids: f
            .signer
            .iter()
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        sign_by: f.sign_by.clone().unwrap_or_default(),
    };
    match st.app.letters_issue(&u.actor, input).await {
        Ok(ids) => redirect_with_flash("/letters", &format!("已下发责任书 {} 份", ids.len())),
        Err(e) => flash_err(e, &back, &u),
    }
}

#[derive(Template)]
#[template(path = "letter.html")]
struct DetailPage {
    ctx: PageCtx,
    l: L,
    d: LetterDetail,
    today: String,
}

impl DetailPage {
    fn signed(&self) -> bool {
        self.d.state == SignState::Signed.as_str()
    }
    fn party_label(&self, p: &str) -> &'static str {
        zeren_core::letter::Party::parse(p)
            .map(|x| x.label())
            .unwrap_or("")
    }
    fn method_label(&self, p: &str) -> &'static str {
        zeren_core::letter::Method::parse(p)
            .map(|x| x.label())
            .unwrap_or("")
    }
    fn first_line<'a>(&self, s: &'a str) -> &'a str {
        s.lines().next().unwrap_or("")
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.letter_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let title = format!("{}·{}", d.kind_label, d.letter.signer_name);
    let ctx = PageCtx::new(
        &u,
        "letters",
        vec![("责任书", Some("/letters".into())), (title.as_str(), None)],
    );
    render(
        &DetailPage {
            ctx,
            l: L,
            d,
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    pub csrf: Option<String>,
    pub party: Option<String>,
}

pub async fn confirm(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ConfirmForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = SignInput {
        party: f.party.clone().unwrap_or_default(),
        method: "confirm".into(),
        ..Default::default()
    };
    match st.app.letter_sign(&u.actor, id, input).await {
        Ok(()) => redirect_with_flash(&format!("/letters/{id}"), "已确认签署"),
        Err(e) => flash_err(e, &format!("/letters/{id}"), &u),
    }
}

pub async fn scan(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let back = format!("/letters/{id}");
    let form = match MultipartForm::read(mp).await {
        Ok(f) => f,
        Err(m) => return redirect_with_flash(&back, &format!("错误：{m}")),
    };
    if let Err(r) = u.check_csrf(form.get("csrf")) {
        return r;
    }
    let input = SignInput {
        party: form.get("party").to_string(),
        method: "scan".into(),
        signed_on: Some(form.get("signed_on").to_string()),
        files: form.files,
    };
    match st.app.letter_sign(&u.actor, id, input).await {
        Ok(()) => redirect_with_flash(&back, "签字扫描件已上传，签署已登记"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn refresh(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ConfirmForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st.app.letter_refresh_duties(&u.actor, id).await {
        Ok(n) => redirect_with_flash(
            &format!("/letters/{id}"),
            &format!("已按责任清单更新，共 {n} 项任务"),
        ),
        Err(e) => flash_err(e, &format!("/letters/{id}"), &u),
    }
}

pub async fn docx(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match crate::letters_api::docx_response(&st, &u.actor, id).await {
        Ok(r) => r,
        Err(e) => error_page(&u, &e),
    }
}
