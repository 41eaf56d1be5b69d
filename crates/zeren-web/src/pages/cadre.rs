//! 个人有关事项报告 and 凡提四必 pages (干部监督): the year's filers with their status
//! against 31 January, a filer's report, verification batches (random draws with
//! their seed, targeted checks), a check's outcome, the truthful-reporting rate; and
//! the promotion candidates' four checks. `zeren_app::personal_matters` and
//! `zeren_app::promotion` decide who sees what and audit every reading.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use zeren_app::personal_matters::{
    BatchDetail, CheckDetail, CheckInput, DrawInput, Figures, Filer, FilerDetail, TargetedInput,
};
use zeren_app::promotion::PromotionDetail;
use zeren_app::rows::{BatchRow, FilerFilter, OrgRow, PersonRow, PromotionRow};
use zeren_app::{clock, AppError, Paging};
use zeren_core::cadre::{CheckReason, CheckVerdict, FourCheck, Outcome, DEFAULT_DRAW_PERCENT};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, Pager};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/personal-matters", get(list).post(add_filer))
        .route("/personal-matters/generate", post(generate))
        .route("/personal-matters/batches", get(batches).post(draw))
        .route("/personal-matters/batches/targeted", post(targeted))
        .route("/personal-matters/batches/{id}", get(batch))
        .route(
            "/personal-matters/checks/{id}",
            get(check).post(check_record),
        )
        .route("/personal-matters/{id}", get(filer))
        .route("/personal-matters/{id}/submit", post(submit))
        .route("/promotion-checks", get(promotions).post(promotion_create))
        .route("/promotion-checks/{id}", get(promotion))
        .route("/promotion-checks/{id}/conclude", post(promotion_conclude))
}

/// The day statuses are seen on: `as_of` (YYYY-MM-DD) when given, else today.
pub fn as_of(v: &Option<String>) -> NaiveDate {
    v.as_deref()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(clock::today)
}

fn this_year() -> i64 {
    clock::today().year() as i64
}

/// Labels for the templates.
pub struct L;
impl L {
    pub fn reason(&self, k: &str) -> &'static str {
        CheckReason::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn outcome(&self, k: &Option<String>) -> &'static str {
        k.as_deref()
            .and_then(Outcome::parse)
            .map(|x| x.label())
            .unwrap_or("待查核")
    }
    pub fn verdict(&self, k: &Option<String>) -> &'static str {
        k.as_deref()
            .and_then(CheckVerdict::parse)
            .map(|x| x.label())
            .unwrap_or("尚未填写")
    }
    pub fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
}

/// Validation errors as one flash line, for forms that answer by redirect.
fn after(r: Result<String, AppError>, back: &str, u: &PageUser) -> Response {
    match r {
        Ok(msg) => redirect_with_flash(back, &msg),
        Err(AppError::Invalid(v)) => {
            let msgs: Vec<String> = v.errors.iter().map(|e| e.message.clone()).collect();
            redirect_with_flash(back, &format!("错误：{}", msgs.join("；")))
        }
        Err(e) => error_page(u, &e),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FilerQuery {
    pub year: Option<String>,
    pub org: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub as_of: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl FilerQuery {
    pub fn year(&self) -> i64 {
        nonempty(&self.year)
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(this_year)
    }
    pub fn filter(&self, org_path: Option<String>) -> FilerFilter {
        FilerFilter {
            year: Some(self.year()),
            org_path,
            status: nonempty(&self.status)
                .filter(|s| ["submitted", "unsubmitted", "late"].contains(&s.as_str())),
            q: nonempty(&self.q),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/personal-matters",
            &[
                ("year", self.year().to_string()),
                ("org", g(&self.org)),
                ("status", g(&self.status)),
                ("q", g(&self.q)),
                ("as_of", g(&self.as_of)),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "personal_matters.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Filer>,
    pager: Pager,
    q: FilerQuery,
    year: i64,
    orgs: Vec<OrgRow>,
    people: Vec<PersonRow>,
    figures: Figures,
}

impl ListPage {
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn rate(&self, r: &Option<f64>) -> String {
        r.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "—".into())
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<FilerQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let page = match st
        .app
        .pm_filers(&u.actor, q.filter(org_path), paging, as_of(&q.as_of))
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let year = q.year();
    let figures = match st.app.pm_figures(&u.actor, year).await {
        Ok(f) => f,
        Err(e) => return error_page(&u, &e),
    };
    let people = match opt_id(&q.org) {
        Some(id) => st.app.people_of_org(&u.actor, id).await.unwrap_or_default(),
        None => Vec::new(),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let pager = Pager::new(&q.base(), page.total, page.page, page.per_page);
    let ctx = PageCtx::new(
        &u,
        "personal_matters",
        vec![("干部监督", None), ("个人有关事项报告", None)],
    );
    render(
        &ListPage {
            ctx,
            rows: page.items,
            pager,
            q,
            year,
            orgs,
            people,
            figures,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct FilerForm {
    pub csrf: Option<String>,
    pub year: Option<String>,
    pub person_id: Option<String>,
    pub basis: Option<String>,
    pub submitted_on: Option<String>,
    pub declared: Option<String>,
}

fn form_year(y: &Option<String>) -> i64 {
    nonempty(y)
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(this_year)
}

pub async fn add_filer(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<FilerForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let year = form_year(&f.year);
    let r = st
        .app
        .pm_add_filer(
            &u.actor,
            year,
            opt_id(&f.person_id),
            f.basis.as_deref().unwrap_or(""),
        )
        .await
        .map(|_| "已列入报告对象名单".to_string());
    after(r, &format!("/personal-matters?year={year}"), &u)
}

pub async fn generate(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<FilerForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let year = form_year(&f.year);
    let r = st
        .app
        .pm_generate_filers(&u.actor, year)
        .await
        .map(|n| format!("已按职级生成 {year} 年报告对象名单，新增 {n} 人"));
    after(r, &format!("/personal-matters?year={year}"), &u)
}

#[derive(Template)]
#[template(path = "pm_filer.html")]
struct FilerPage {
    ctx: PageCtx,
    l: L,
    d: FilerDetail,
    today: String,
}

pub async fn filer(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<FilerQuery>,
) -> Response {
    let d = match st.app.pm_filer(&u.actor, id, as_of(&q.as_of)).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let title = format!("{} {} 年", d.filer.row.person_name, d.filer.row.year);
    let ctx = PageCtx::new(
        &u,
        "personal_matters",
        vec![
            ("个人有关事项报告", Some("/personal-matters".into())),
            (title.as_str(), None),
        ],
    );
    let mut r = render(
        &FilerPage {
            ctx,
            l: L,
            d,
            today: clock::today_str(),
        },
        u.flash.is_some(),
    );
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

pub async fn submit(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<FilerForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .pm_submit(
            &u.actor,
            id,
            f.submitted_on.as_deref().unwrap_or(""),
            nonempty(&f.declared).as_deref(),
        )
        .await
        .map(|_| "报告已登记".to_string());
    after(r, &format!("/personal-matters/{id}"), &u)
}

#[derive(Template)]
#[template(path = "pm_batches.html")]
struct BatchesPage {
    ctx: PageCtx,
    l: L,
    rows: Vec<BatchRow>,
    year: i64,
    orgs: Vec<OrgRow>,
    default_percent: i64,
    reasons: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
}

pub async fn batches(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = form_year(&q.year);
    let rows = match st.app.pm_batches(&u.actor, Some(year)).await {
        Ok(r) => r,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &None).await;
    let ctx = PageCtx::new(
        &u,
        "personal_matters",
        vec![
            ("个人有关事项报告", Some("/personal-matters".into())),
            ("查核", None),
        ],
    );
    render(
        &BatchesPage {
            ctx,
            l: L,
            rows,
            year,
            orgs,
            default_percent: DEFAULT_DRAW_PERCENT,
            reasons: CheckReason::options()
                .into_iter()
                .filter(|(k, _)| *k != "random")
                .collect(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct DrawForm {
    pub csrf: Option<String>,
    pub year: Option<String>,
    pub org_id: Option<String>,
    pub percent: Option<String>,
    pub seed: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
    /// Person ids separated by commas or spaces.
    pub person_ids: Option<String>,
}

pub async fn draw(State(st): State<AppState>, u: PageUser, Form(f): Form<DrawForm>) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let year = form_year(&f.year);
    let input = DrawInput {
        year,
        org_id: opt_id(&f.org_id),
        percent: nonempty(&f.percent).and_then(|p| p.trim_end_matches('%').parse().ok()),
        seed: nonempty(&f.seed),
        note: f.note.clone().unwrap_or_default(),
    };
    match st.app.pm_draw(&u.actor, input).await {
        Ok(id) => redirect_with_flash(
            &format!("/personal-matters/batches/{id}"),
            "已按种子随机抽取",
        ),
        Err(e) => after(
            Err(e),
            &format!("/personal-matters/batches?year={year}"),
            &u,
        ),
    }
}

pub async fn targeted(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<DrawForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let year = form_year(&f.year);
    let person_ids = f
        .person_ids
        .as_deref()
        .unwrap_or("")
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let input = TargetedInput {
        year,
        reason: f.reason.clone().unwrap_or_default(),
        person_ids,
        note: f.note.clone().unwrap_or_default(),
    };
    match st.app.pm_targeted(&u.actor, input).await {
        Ok(id) => redirect_with_flash(
            &format!("/personal-matters/batches/{id}"),
            "已确定重点查核对象",
        ),
        Err(e) => after(
            Err(e),
            &format!("/personal-matters/batches?year={year}"),
            &u,
        ),
    }
}

#[derive(Template)]
#[template(path = "pm_batch.html")]
struct BatchPage {
    ctx: PageCtx,
    l: L,
    d: BatchDetail,
}

pub async fn batch(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.pm_batch(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let ctx = PageCtx::new(
        &u,
        "personal_matters",
        vec![
            ("个人有关事项报告", Some("/personal-matters".into())),
            ("查核", Some("/personal-matters/batches".into())),
            ("批次", None),
        ],
    );
    render(&BatchPage { ctx, l: L, d }, u.flash.is_some())
}

#[derive(Template)]
#[template(path = "pm_check.html")]
struct CheckPage {
    ctx: PageCtx,
    l: L,
    d: CheckDetail,
    outcomes: Vec<(&'static str, &'static str)>,
    today: String,
}

pub async fn check(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.pm_check(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let ctx = PageCtx::new(
        &u,
        "personal_matters",
        vec![
            ("个人有关事项报告", Some("/personal-matters".into())),
            (
                "查核",
                Some(format!("/personal-matters/batches/{}", d.check.batch_id)),
            ),
            (d.check.person_name.as_str(), None),
        ],
    );
    let mut r = render(
        &CheckPage {
            ctx,
            l: L,
            d,
            outcomes: Outcome::options(),
            today: clock::today_str(),
        },
        u.flash.is_some(),
    );
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(Deserialize, Default)]
pub struct CheckForm {
    pub csrf: Option<String>,
    pub outcome: Option<String>,
    pub checked_on: Option<String>,
    pub finding: Option<String>,
    pub handling: Option<String>,
}

pub async fn check_record(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CheckForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .pm_record_check(
            &u.actor,
            id,
            CheckInput {
                outcome: f.outcome.unwrap_or_default(),
                checked_on: f.checked_on.unwrap_or_default(),
                finding: nonempty(&f.finding),
                handling: f.handling.unwrap_or_default(),
            },
        )
        .await
        .map(|_| "查核结果已登记".to_string());
    after(r, &format!("/personal-matters/checks/{id}"), &u)
}

// ---- 凡提四必 ----

#[derive(Template)]
#[template(path = "promotions.html")]
struct PromotionsPage {
    ctx: PageCtx,
    rows: Vec<PromotionRow>,
    may_create: bool,
    orgs: Vec<OrgRow>,
    org: Option<String>,
    people: Vec<PersonRow>,
}

impl PromotionsPage {
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn done(&self, r: &PromotionRow) -> usize {
        [
            &r.file_verdict,
            &r.pm_verdict,
            &r.discipline_verdict,
            &r.petitions_verdict,
        ]
        .iter()
        .filter(|v| v.is_some())
        .count()
    }
}

#[derive(Deserialize, Default)]
pub struct OrgQuery {
    pub org: Option<String>,
}

pub async fn promotions(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<OrgQuery>,
) -> Response {
    let rows = match st.app.promotion_list(&u.actor).await {
        Ok(r) => r,
        Err(e) => return error_page(&u, &e),
    };
    let may_create = zeren_app::App::may_handle_personal_matters(&u.actor);
    let people = match opt_id(&q.org) {
        Some(id) if may_create => st.app.people_of_org(&u.actor, id).await.unwrap_or_default(),
        _ => Vec::new(),
    };
    let orgs = if may_create {
        filter_orgs(&st, &u, &q.org).await
    } else {
        Vec::new()
    };
    let ctx = PageCtx::new(
        &u,
        "promotion_checks",
        vec![("干部监督", None), ("凡提四必", None)],
    );
    render(
        &PromotionsPage {
            ctx,
            rows,
            may_create,
            orgs,
            org: q.org,
            people,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct PromotionForm {
    pub csrf: Option<String>,
    pub person_id: Option<String>,
    pub proposed_post: Option<String>,
    pub check: Option<String>,
    pub verdict: Option<String>,
    pub note: Option<String>,
    pub on: Option<String>,
}

pub async fn promotion_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<PromotionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st
        .app
        .promotion_create(
            &u.actor,
            opt_id(&f.person_id),
            f.proposed_post.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(id) => redirect_with_flash(&format!("/promotion-checks/{id}"), "已发起凡提四必"),
        Err(e) => after(Err(e), "/promotion-checks", &u),
    }
}

/// (key, label, verdict, note, by, on) of one of the four checks.
type CheckLine = (
    &'static str,
    &'static str,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

#[derive(Template)]
#[template(path = "promotion.html")]
struct PromotionPage {
    ctx: PageCtx,
    l: L,
    d: PromotionDetail,
    /// (key, label, verdict, note, by, on) of the four checks.
    checks: Vec<CheckLine>,
    verdicts: Vec<(&'static str, &'static str)>,
    today: String,
}

impl PromotionPage {
    fn may(&self, k: &str) -> bool {
        self.d.may_conclude.contains(&k)
    }
}

pub async fn promotion(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.promotion_get(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let c = &d.check;
    let checks = FourCheck::ALL
        .iter()
        .map(|k| {
            let (v, n, b, o) = match k {
                FourCheck::File => (&c.file_verdict, &c.file_note, &c.file_by, &c.file_on),
                FourCheck::PersonalMatters => (&c.pm_verdict, &c.pm_note, &c.pm_by, &c.pm_on),
                FourCheck::Discipline => (
                    &c.discipline_verdict,
                    &c.discipline_note,
                    &c.discipline_by,
                    &c.discipline_on,
                ),
                FourCheck::Petitions => (
                    &c.petitions_verdict,
                    &c.petitions_note,
                    &c.petitions_by,
                    &c.petitions_on,
                ),
            };
            (
                k.as_str(),
                k.label(),
                v.clone(),
                n.clone(),
                b.clone(),
                o.clone(),
            )
        })
        .collect();
    let title = format!("{} 拟任 {}", c.person_name, c.proposed_post);
    let ctx = PageCtx::new(
        &u,
        "promotion_checks",
        vec![
            ("凡提四必", Some("/promotion-checks".into())),
            (title.as_str(), None),
        ],
    );
    render(
        &PromotionPage {
            ctx,
            l: L,
            d,
            checks,
            verdicts: CheckVerdict::options(),
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

pub async fn promotion_conclude(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<PromotionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .promotion_conclude(
            &u.actor,
            id,
            f.check.as_deref().unwrap_or(""),
            f.verdict.as_deref().unwrap_or(""),
            f.note.as_deref().unwrap_or(""),
            f.on.as_deref().unwrap_or(""),
        )
        .await
        .map(|_| "结论已填写".to_string());
    after(r, &format!("/promotion-checks/{id}"), &u)
}
