//! 考核 pages: rounds (and, for the commission party office, indicator systems and a
//! new round), a round's ranking with its chart, appeals and publication, an org's
//! score card with the records behind every computed point, receipt, scoring and
//! appeal forms, the records list, and the Excel / Word downloads.
//! `zeren_app::assessment` decides who sees and does what.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::assessment::{self as assess, OrgCard, OrgScore, RoundInput, RoundScores};
use zeren_app::rows::HistoryRow;
use zeren_app::{clock, App, AppError};
use zeren_core::assessment::{fmt_points, Line, Metric, System};

use crate::ctx::{error_page, render, PageCtx};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessment", get(index))
        .route("/assessment/systems", post(system_copy))
        .route("/assessment/systems/{id}", get(system).post(system_edit))
        .route("/assessment/rounds", post(round_create))
        .route("/assessment/rounds/{id}", get(round))
        .route("/assessment/rounds/{id}/window", post(window))
        .route("/assessment/rounds/{id}/publish", post(publish))
        .route("/assessment/rounds/{id}/export.xlsx", get(export))
        .route("/assessment/rounds/{id}/orgs/{org}", get(card))
        .route("/assessment/rounds/{id}/orgs/{org}/sign", post(sign))
        .route("/assessment/rounds/{id}/orgs/{org}/scores", post(score))
        .route("/assessment/rounds/{id}/orgs/{org}/appeals", post(appeal))
        .route("/assessment/rounds/{id}/orgs/{org}/records", get(records))
        .route(
            "/assessment/rounds/{id}/orgs/{org}/card.docx",
            get(card_docx),
        )
        .route("/assessment/appeals/{id}/answer", post(answer))
}

/// Points as templates hand them over: by value or by (nested) reference.
pub trait Pts {
    fn get(&self) -> i64;
}
impl Pts for i64 {
    fn get(&self) -> i64 {
        *self
    }
}
impl<T: Pts + ?Sized> Pts for &T {
    fn get(&self) -> i64 {
        (**self).get()
    }
}

/// Display helpers for templates.
pub struct L;
impl L {
    pub fn pts(&self, v: impl Pts) -> String {
        fmt_points(v.get())
    }
    pub fn yes(&self, b: &bool) -> bool {
        *b
    }
    pub fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    pub fn state(&self, s: &str) -> &'static str {
        match s {
            "published" => "已发布",
            _ => "评分中",
        }
    }
    pub fn grade(&self, s: &str) -> &'static str {
        zeren_core::assessment::Grade::parse(s)
            .map(|g| g.label())
            .unwrap_or("")
    }
    pub fn indent(&self, d: &usize) -> String {
        "　".repeat(*d)
    }
    pub fn kind(&self, k: &str) -> &'static str {
        match k {
            "deduction" => "扣分",
            "bonus" => "加分",
            "veto" => "否决",
            _ => "",
        }
    }
    pub fn how(&self, h: &str) -> &'static str {
        match h {
            "computed" => "记录计算",
            "manual" => "评分",
            _ => "合计",
        }
    }
    pub fn outcome(&self, o: &Option<String>) -> &'static str {
        match o.as_deref() {
            Some("upheld") => "采纳",
            Some("rejected") => "维持原评分",
            _ => "待答复",
        }
    }
    pub fn metric(&self, m: &Metric) -> &'static str {
        m.label()
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

// ---- index ----

pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub group: &'static str,
}

pub const GROUPS: [&str; 4] = ["医院", "公共卫生机构", "机关及直属单位", "其他"];

fn default_group(name: &str) -> &'static str {
    if name.contains("医院") || name.contains("卫生院") {
        GROUPS[0]
    } else if name.contains("疾病")
        || name.contains("急救")
        || name.contains("血")
        || name.contains("监督")
    {
        GROUPS[1]
    } else if name.contains("机关") {
        GROUPS[2]
    } else {
        GROUPS[3]
    }
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct IndexPage {
    ctx: PageCtx,
    l: L,
    rounds: Vec<zeren_app::assessment::RoundRow>,
    may_assess: bool,
    systems: Vec<zeren_app::assessment::SystemRow>,
    library: Vec<(String, String, i64)>,
    candidates: Vec<Candidate>,
    groups: Vec<&'static str>,
    year: i32,
    today: String,
    appeal_default: String,
}

pub async fn index(State(st): State<AppState>, u: PageUser) -> Response {
    let rounds = match st.app.assessment_rounds(&u.actor).await {
        Ok(r) => r,
        Err(e) => return error_page(&u, &e),
    };
    let may = App::may_assess(&u.actor);
    let (mut systems, mut candidates) = (Vec::new(), Vec::new());
    if may {
        systems = st
            .app
            .assessment_systems(&u.actor)
            .await
            .unwrap_or_default();
        for (id, _, name, code) in st
            .app
            .assessment_candidates(&u.actor)
            .await
            .unwrap_or_default()
        {
            candidates.push(Candidate {
                group: default_group(&name),
                id,
                name,
                code,
            });
        }
    }
    let library = assess::library()
        .into_iter()
        .map(|(s, _)| (s.key, s.title, s.version))
        .collect();
    let today = clock::today();
    let ctx = PageCtx::new(&u, "assessment", vec![("考核", None)]);
    render(
        &IndexPage {
            ctx,
            l: L,
            rounds,
            may_assess: may,
            systems,
            library,
            candidates,
            groups: GROUPS.to_vec(),
            year: chrono::Datelike::year(&today),
            today: today.to_string(),
            appeal_default: (today + chrono::Duration::days(10)).to_string(),
        },
        u.flash.is_some(),
    )
}

impl IndexPage {
    fn picked(&self, c: &Candidate, g: &str) -> bool {
        c.group == g
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    pub csrf: Option<String>,
    pub library_key: Option<String>,
    pub source: Option<String>,
    pub appeal_until: Option<String>,
}

pub async fn system_copy(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st
        .app
        .assessment_system_copy(&u.actor, f.library_key.as_deref().unwrap_or(""))
        .await
    {
        Ok(id) => redirect_with_flash(
            &format!("/assessment/systems/{id}"),
            "已复制考核细则，可按本年度实际修改",
        ),
        Err(e) => flash_err(e, "/assessment", &u),
    }
}

#[derive(Template)]
#[template(path = "assessment_system.html")]
struct SystemPage {
    ctx: PageCtx,
    l: L,
    row: zeren_app::assessment::SystemRow,
    sys: System,
    formalism: &'static str,
}

pub async fn system(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let (row, sys) = match st.app.assessment_system(&u.actor, id).await {
        Ok(x) => x,
        Err(e) => return error_page(&u, &e),
    };
    let ctx = PageCtx::new(
        &u,
        "assessment",
        vec![("考核", Some("/assessment".into())), ("考核细则", None)],
    );
    render(
        &SystemPage {
            ctx,
            l: L,
            row,
            sys,
            formalism: zeren_core::assessment::FORMALISM_EXPLANATION,
        },
        u.flash.is_some(),
    )
}

pub async fn system_edit(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st
        .app
        .assessment_system_edit(&u.actor, id, f.source.as_deref().unwrap_or(""))
        .await
    {
        Ok(n) => redirect_with_flash(&format!("/assessment/systems/{n}"), "已保存为新版本"),
        Err(e) => flash_err(e, &format!("/assessment/systems/{id}"), &u),
    }
}

#[derive(Deserialize, Default)]
pub struct RoundForm {
    pub csrf: Option<String>,
    pub year: Option<String>,
    pub title: Option<String>,
    pub system_id: Option<String>,
    pub as_of: Option<String>,
    pub appeal_until: Option<String>,
    /// `{org id}|{group}` per chosen org; empty: not assessed
    #[serde(default)]
    pub target: Vec<String>,
}

pub async fn round_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<RoundForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let targets = f
        .target
        .iter()
        .filter_map(|t| {
            let (id, g) = t.split_once('|')?;
            Some((id.trim().parse().ok()?, g.to_string()))
        })
        .collect();
    let input = RoundInput {
        year: f
            .year
            .as_deref()
            .and_then(|y| y.trim().parse().ok())
            .unwrap_or(0),
        title: f.title.clone().unwrap_or_default(),
        system_id: f
            .system_id
            .as_deref()
            .and_then(|y| y.trim().parse().ok())
            .unwrap_or(0),
        as_of: f.as_of.clone().unwrap_or_default(),
        appeal_until: f.appeal_until.clone().unwrap_or_default(),
        targets,
    };
    match st.app.assessment_round_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(
            &format!("/assessment/rounds/{id}"),
            "考核已组织，被考核单位可以签收",
        ),
        Err(e) => flash_err(e, "/assessment", &u),
    }
}

// ---- a round ----

#[derive(Template)]
#[template(path = "assessment_round.html")]
struct RoundPage {
    ctx: PageCtx,
    l: L,
    r: RoundScores,
    ranked: Vec<OrgScore>,
    appeals: Vec<zeren_app::assessment::AppealRow>,
    history: Vec<HistoryRow>,
    last: std::collections::HashMap<i64, (i64, String, i64)>,
    chart: String,
    tops: Vec<(String, String)>,
}

impl RoundPage {
    fn top_score(&self, o: &OrgScore, key: &str) -> String {
        o.card
            .lines
            .iter()
            .find(|l| l.key == key)
            .map(|l| fmt_points(l.score))
            .unwrap_or_default()
    }
    fn last_total(&self, id: &i64) -> String {
        self.last
            .get(id)
            .map(|(t, _, _)| fmt_points(*t))
            .unwrap_or_else(|| "—".into())
    }
    fn change(&self, o: &OrgScore) -> String {
        match self.last.get(&o.org_id) {
            Some((t, _, _)) => {
                let d = o.card.total - t;
                format!("{}{}", if d >= 0 { "+" } else { "−" }, fmt_points(d.abs()))
            }
            None => String::new(),
        }
    }
    fn item_title(&self, key: &str) -> String {
        self.r.system.title_of(key).unwrap_or(key).to_string()
    }
    fn pending(&self) -> usize {
        self.r
            .orgs
            .iter()
            .map(|o| o.card.lines.iter().filter(|l| l.pending).count())
            .sum()
    }
}

pub async fn round(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let r = match st.app.assessment_round(&u.actor, id).await {
        Ok(r) => r,
        Err(e) => return error_page(&u, &e),
    };
    if !r.runs {
        // an assessed org goes to its own card
        if let Some(o) = r.orgs.first() {
            return axum::response::IntoResponse::into_response(axum::response::Redirect::to(
                &format!("/assessment/rounds/{id}/orgs/{}", o.org_id),
            ));
        }
    }
    let appeals = st
        .app
        .assessment_appeals(&u.actor, id)
        .await
        .unwrap_or_default();
    let history = st
        .app
        .assessment_history(&u.actor, id)
        .await
        .unwrap_or_default();
    let last = st
        .app
        .assessment_last_year(&u.actor, &r.round)
        .await
        .unwrap_or_default();
    let mut ranked = r.orgs.clone();
    ranked.sort_by(|a, b| {
        a.round_rank
            .cmp(&b.round_rank)
            .then(a.org_path.cmp(&b.org_path))
    });
    let chart = assess::round_svg(&r.system, &r.orgs);
    let tops = r
        .system
        .indicators
        .iter()
        .filter(|i| i.parent.is_none())
        .map(|i| (i.key.clone(), i.title.clone()))
        .collect();
    let ctx = PageCtx::new(
        &u,
        "assessment",
        vec![
            ("考核", Some("/assessment".into())),
            (r.round.title.as_str(), None),
        ],
    );
    render(
        &RoundPage {
            ctx,
            l: L,
            r,
            ranked,
            appeals,
            history,
            last,
            chart,
            tops,
        },
        u.flash.is_some(),
    )
}

pub async fn window(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/assessment/rounds/{id}");
    match st
        .app
        .assessment_set_window(&u.actor, id, f.appeal_until.as_deref().unwrap_or(""))
        .await
    {
        Ok(()) => redirect_with_flash(&back, "申诉期已调整"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn publish(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/assessment/rounds/{id}");
    match st.app.assessment_publish(&u.actor, id).await {
        Ok(()) => redirect_with_flash(&back, "考核结果已发布"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn export(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.assessment_xlsx(&u.actor, id).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_page(&u, &e),
    }
}

// ---- an org's card ----

#[derive(Template)]
#[template(path = "assessment_card.html")]
struct CardPage {
    ctx: PageCtx,
    l: L,
    c: OrgCard,
    chart: String,
    manual: Vec<Line>,
    items: Vec<(String, String)>,
    window_open: bool,
}

impl CardPage {
    fn href(&self, m: &Metric) -> String {
        self.c
            .links
            .iter()
            .find(|l| l.metric == *m)
            .and_then(|l| l.href.clone())
            .unwrap_or_default()
    }
    fn item_title(&self, key: &str) -> String {
        self.c.system.title_of(key).unwrap_or(key).to_string()
    }
    fn is_veto(&self, l: &Line) -> bool {
        l.kind == "veto"
    }
    fn scoring(&self) -> bool {
        self.c.round.state == "scoring"
    }
}

pub async fn card(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    let c = match st.app.assessment_card(&u.actor, id, org).await {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    let chart = assess::org_svg(&c.system, &c.org, c.last_year.as_ref().map(|l| l.0));
    let manual = c
        .org
        .card
        .lines
        .iter()
        .filter(|l| l.how == "manual")
        .cloned()
        .collect();
    let items = c
        .org
        .card
        .lines
        .iter()
        .filter(|l| l.how != "sum")
        .map(|l| (l.key.clone(), l.title.clone()))
        .collect();
    let window_open = clock::today_str() <= c.round.appeal_until;
    let title = c.org.org_name.clone();
    let round_href = format!("/assessment/rounds/{id}");
    let ctx = PageCtx::new(
        &u,
        "assessment",
        vec![
            ("考核", Some("/assessment".into())),
            (c.round.title.as_str(), Some(round_href)),
            (title.as_str(), None),
        ],
    );
    render(
        &CardPage {
            ctx,
            l: L,
            c,
            chart,
            manual,
            items,
            window_open,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct ItemForm {
    pub csrf: Option<String>,
    pub item_key: Option<String>,
    pub value: Option<String>,
    pub evidence: Option<String>,
    pub comment: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<String>,
    pub answer: Option<String>,
    pub back: Option<String>,
}

pub async fn sign(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, org)): Path<(i64, i64)>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/assessment/rounds/{id}/orgs/{org}");
    match st.app.assessment_sign(&u.actor, id, org).await {
        Ok(()) => redirect_with_flash(&back, "已签收"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn score(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, org)): Path<(i64, i64)>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/assessment/rounds/{id}/orgs/{org}");
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    match st
        .app
        .assessment_score(
            &u.actor,
            id,
            org,
            &g(&f.item_key),
            &g(&f.value),
            &g(&f.evidence),
            &g(&f.comment),
        )
        .await
    {
        Ok(()) => redirect_with_flash(&back, "已评分"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn appeal(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, org)): Path<(i64, i64)>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = format!("/assessment/rounds/{id}/orgs/{org}");
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    match st
        .app
        .assessment_appeal(&u.actor, id, org, &g(&f.item_key), &g(&f.reason))
        .await
    {
        Ok(_) => redirect_with_flash(&back, "申诉已提交，等待答复"),
        Err(e) => flash_err(e, &back, &u),
    }
}

pub async fn answer(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    // back to the page the form was on (a path of this site only)
    let back = f
        .back
        .clone()
        .filter(|b| b.starts_with("/assessment/") && !b.contains("//"))
        .unwrap_or_else(|| "/assessment".into());
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    let v = g(&f.value);
    match st
        .app
        .assessment_answer(
            &u.actor,
            id,
            &g(&f.outcome),
            &g(&f.answer),
            (!v.trim().is_empty()).then_some(v.as_str()),
        )
        .await
    {
        Ok(()) => redirect_with_flash(&back, "申诉已答复"),
        Err(e) => flash_err(e, &back, &u),
    }
}

#[derive(Template)]
#[template(path = "assessment_records.html")]
struct RecordsPage {
    ctx: PageCtx,
    label: &'static str,
    org_name: String,
    rows: Vec<zeren_app::assessment::RecordRow>,
    back: String,
}

impl RecordsPage {
    fn href(&self, kind: &str, id: &i64) -> String {
        match kind {
            "task" => format!("/tasks/{id}"),
            "problem" => format!("/problems/{id}"),
            "notice" => format!("/notices/{id}"),
            _ => "/accountability".to_string(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct RecordsQuery {
    pub metric: Option<String>,
}

pub async fn records(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, org)): Path<(i64, i64)>,
    Query(q): Query<RecordsQuery>,
) -> Response {
    let (m, rows) = match st
        .app
        .assessment_records(&u.actor, id, org, q.metric.as_deref().unwrap_or(""))
        .await
    {
        Ok(x) => x,
        Err(e) => return error_page(&u, &e),
    };
    let org_name = st
        .app
        .org_get(&u.actor, org)
        .await
        .map(|o| o.name)
        .unwrap_or_default();
    let back = format!("/assessment/rounds/{id}/orgs/{org}");
    let ctx = PageCtx::new(
        &u,
        "assessment",
        vec![
            ("考核", Some("/assessment".into())),
            ("得分明细", Some(back.clone())),
            (m.label(), None),
        ],
    );
    render(
        &RecordsPage {
            ctx,
            label: m.label(),
            org_name,
            rows,
            back,
        },
        u.flash.is_some(),
    )
}

pub async fn card_docx(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    match st.app.assessment_card_docx(&u.actor, id, org).await {
        Ok((name, bytes)) => crate::export::download_as(
            &name,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            bytes,
        ),
        Err(e) => error_page(&u, &e),
    }
}
