//! 信访举报 and 四种形态 pages (纪检监督): the petition list with filters and paging,
//! intake, the detail with disposal, outcome and notices, the informant's identity
//! for cleared accounts (a POST, audited), and the four-forms ledger with its
//! yearly statistics. Everything goes through `zeren_app::petition` and
//! `zeren_app::four_forms`, which decide who sees what.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use chrono::Datelike;
use serde::Deserialize;
use zeren_app::four_forms::{action_label, action_options, NewFourFormsInput};
use zeren_app::petition::{
    options, Informant, NewPetitionInput, NoticeDue, PetitionDetail, PetitionOptions,
};
use zeren_app::rows::{
    FormCount, FourFormsFilter, FourFormsRow, OrgRow, PersonRow, PetitionFilter, PetitionRow,
};
use zeren_app::{clock, Paging};
use zeren_core::four_forms::form_label;
use zeren_core::petition::{Category, Channel, Disposal, Level, Outcome, State as PState};
use zeren_core::ValidationErrors;

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, Pager};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions", get(list).post(create))
        .route("/petitions/new", get(new_page))
        .route("/petitions/export.xlsx", get(export))
        .route("/petitions/{id}", get(detail))
        .route("/petitions/{id}/dispose", post(dispose))
        .route("/petitions/{id}/conclude", post(conclude))
        .route("/petitions/{id}/notify", post(notify))
        .route("/petitions/{id}/informant", post(informant))
        .route("/four-forms", get(four_forms).post(four_forms_create))
        .route("/calendar", get(calendar).post(calendar_set))
}

/// Labels for the templates.
pub struct L;
impl L {
    pub fn channel(&self, k: &str) -> &'static str {
        Channel::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn level(&self, k: &str) -> &'static str {
        Level::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn category(&self, k: &str) -> &'static str {
        Category::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn state(&self, k: &str) -> &'static str {
        PState::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn disposal(&self, k: &Option<String>) -> &'static str {
        k.as_deref()
            .and_then(Disposal::parse)
            .map(|x| x.label())
            .unwrap_or("")
    }
    pub fn outcome(&self, k: &Option<String>) -> &'static str {
        k.as_deref()
            .and_then(Outcome::parse)
            .map(|x| x.label())
            .unwrap_or("")
    }
    pub fn action(&self, k: &str) -> &'static str {
        action_label(k)
    }
    pub fn form(&self, f: &i64) -> &'static str {
        form_label(*f)
    }
    pub fn which(&self, k: &str) -> &'static str {
        if k == "accept" {
            "告知受理"
        } else {
            "告知办理结果"
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct PetitionQuery {
    pub org: Option<String>,
    pub state: Option<String>,
    pub channel: Option<String>,
    pub category: Option<String>,
    pub disposal: Option<String>,
    pub year: Option<String>,
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PetitionQuery {
    pub fn filter(&self, org_path: Option<String>) -> PetitionFilter {
        PetitionFilter {
            org_path,
            state: nonempty(&self.state).filter(|s| PState::parse(s).is_some()),
            channel: nonempty(&self.channel).filter(|s| Channel::parse(s).is_some()),
            category: nonempty(&self.category).filter(|s| Category::parse(s).is_some()),
            disposal: nonempty(&self.disposal).filter(|s| Disposal::parse(s).is_some()),
            year: nonempty(&self.year).and_then(|y| y.parse().ok()),
            q: nonempty(&self.q),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/petitions",
            &[
                ("org", g(&self.org)),
                ("state", g(&self.state)),
                ("channel", g(&self.channel)),
                ("category", g(&self.category)),
                ("disposal", g(&self.disposal)),
                ("year", g(&self.year)),
                ("q", g(&self.q)),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "petitions.html")]
struct ListPage {
    ctx: PageCtx,
    l: L,
    rows: Vec<PetitionRow>,
    pager: Pager,
    q: PetitionQuery,
    orgs: Vec<OrgRow>,
    o: PetitionOptions,
    counts: Vec<(String, i64)>,
    due: Vec<NoticeDue>,
    today: String,
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
    fn overdue(&self, due: &str) -> bool {
        due < self.today.as_str()
    }
    /// The list's filters as a query string for the export link.
    fn export_query(&self) -> String {
        let base = self.q.base();
        match base.split_once('?') {
            Some((_, q)) if !q.is_empty() => format!("?{q}"),
            _ => String::new(),
        }
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<PetitionQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let list = match st
        .app
        .petition_list(&u.actor, q.filter(org_path), paging)
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let counts = match st.app.petition_counts(&u.actor).await {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    // notices falling due within the coming week, and those already late
    let soon = clock::today() + chrono::Duration::days(7);
    let due = match st.app.petition_notices_due(&u.actor, soon).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let pager = Pager::new(&q.base(), list.total, list.page, list.per_page);
    let ctx = PageCtx::new(
        &u,
        "petitions",
        vec![("纪检监督", None), ("信访举报", None)],
    );
    render(
        &ListPage {
            ctx,
            l: L,
            rows: list.items,
            pager,
            q,
            orgs,
            o: options(),
            counts,
            due,
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default, Clone)]
pub struct IntakeForm {
    pub csrf: Option<String>,
    pub org: Option<String>,
    pub org_id: Option<String>,
    pub reported_person_id: Option<String>,
    pub received_on: Option<String>,
    pub channel: Option<String>,
    pub signed: Option<String>,
    pub informant_name: Option<String>,
    pub informant_contact: Option<String>,
    pub summary: Option<String>,
    pub content: Option<String>,
    pub level: Option<String>,
    pub category: Option<String>,
    pub repeat_of: Option<String>,
}

#[derive(Template)]
#[template(path = "petition_new.html")]
struct NewPage {
    ctx: PageCtx,
    orgs: Vec<OrgRow>,
    org: Option<OrgRow>,
    people: Vec<PersonRow>,
    o: PetitionOptions,
    f: IntakeForm,
    errors: ValidationErrors,
    today: String,
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
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn is_org(&self, id: &i64) -> bool {
        self.org.as_ref().is_some_and(|o| o.id == *id)
    }
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
}

async fn intake_page(
    st: &AppState,
    u: &PageUser,
    f: IntakeForm,
    errors: ValidationErrors,
) -> Response {
    if !zeren_app::App::may_handle_discipline(&u.actor) {
        return error_page(
            u,
            &zeren_app::AppError::Forbidden("信访举报仅纪检监察人员可以登记".into()),
        );
    }
    let org_id = opt_id(&f.org_id).or_else(|| opt_id(&f.org));
    let mut org = None;
    let mut people = Vec::new();
    if let Some(id) = org_id {
        if let Ok(o) = st.app.org_get(&u.actor, id).await {
            people = st
                .app
                .people_of_org(&u.actor, o.id)
                .await
                .unwrap_or_default();
            org = Some(o);
        }
    }
    let orgs = filter_orgs(st, u, &org_id.map(|i| i.to_string())).await;
    let bad = !errors.is_empty();
    let ctx = PageCtx::new(
        u,
        "petitions",
        vec![("信访举报", Some("/petitions".into())), ("受理登记", None)],
    );
    let mut r = render(
        &NewPage {
            ctx,
            orgs,
            org,
            people,
            o: options(),
            f,
            errors,
            today: clock::today_str(),
        },
        false,
    );
    if bad {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    r
}

pub async fn new_page(
    State(st): State<AppState>,
    u: PageUser,
    Query(f): Query<IntakeForm>,
) -> Response {
    intake_page(&st, &u, f, ValidationErrors::new()).await
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<IntakeForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = NewPetitionInput {
        received_on: f.received_on.clone().unwrap_or_default(),
        channel: f.channel.clone().unwrap_or_default(),
        signed: f.signed.as_deref() == Some("1"),
        informant_name: nonempty(&f.informant_name),
        informant_contact: nonempty(&f.informant_contact),
        reported_person_id: opt_id(&f.reported_person_id),
        org_id: opt_id(&f.org_id),
        summary: f.summary.clone().unwrap_or_default(),
        content: f.content.clone().unwrap_or_default(),
        level: f.level.clone().unwrap_or_default(),
        category: f.category.clone().unwrap_or_default(),
        repeat_of: nonempty(&f.repeat_of),
    };
    match st.app.petition_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/petitions/{id}"), "信访件已受理登记"),
        Err(zeren_app::AppError::Invalid(errors)) => {
            // never echo the informant back into a page on error? It is the clerk's own
            // entry on their own screen: keep it, so nothing has to be typed twice
            intake_page(&st, &u, f, errors).await
        }
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "petition_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    l: L,
    d: PetitionDetail,
    o: PetitionOptions,
    informant: Option<Informant>,
    errors: ValidationErrors,
    today: String,
}

impl DetailPage {
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    fn open(&self) -> bool {
        self.d.petition.state != "concluded"
    }
    fn may_conclude(&self) -> bool {
        self.d.petition.state == "disposing"
            && self
                .d
                .petition
                .disposal
                .as_deref()
                .and_then(Disposal::parse)
                .is_some_and(|d| d.yields_outcome())
    }
    fn late(&self, due: &Option<String>, done: &Option<String>) -> bool {
        done.is_none() && due.as_deref().is_some_and(|d| d < self.today.as_str())
    }
}

async fn detail_page(
    st: &AppState,
    u: &PageUser,
    id: i64,
    informant: Option<Informant>,
    errors: ValidationErrors,
) -> Response {
    let d = match st.app.petition_get(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(u, &e),
    };
    let ctx = PageCtx::new(
        u,
        "petitions",
        vec![
            ("信访举报", Some("/petitions".into())),
            (d.petition.code.as_str(), None),
        ],
    );
    let bad = !errors.is_empty();
    let mut r = render(
        &DetailPage {
            ctx,
            l: L,
            d,
            o: options(),
            informant,
            errors,
            today: clock::today_str(),
        },
        u.flash.is_some() && !bad,
    );
    if bad {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    r
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    detail_page(&st, &u, id, None, ValidationErrors::new()).await
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    pub csrf: Option<String>,
    pub disposal: Option<String>,
    pub disposed_on: Option<String>,
    pub note: Option<String>,
    pub outcome: Option<String>,
    pub cleared: Option<String>,
    pub conclusion: Option<String>,
    pub concluded_on: Option<String>,
    pub which: Option<String>,
    pub notified_on: Option<String>,
}

async fn after(
    st: &AppState,
    u: &PageUser,
    id: i64,
    r: Result<(), zeren_app::AppError>,
    msg: &str,
) -> Response {
    match r {
        Ok(()) => redirect_with_flash(&format!("/petitions/{id}"), msg),
        Err(zeren_app::AppError::Invalid(errors)) => detail_page(st, u, id, None, errors).await,
        Err(e) => error_page(u, &e),
    }
}

pub async fn dispose(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .petition_dispose(
            &u.actor,
            id,
            f.disposal.as_deref().unwrap_or(""),
            f.disposed_on.as_deref().unwrap_or(""),
            f.note.as_deref().unwrap_or(""),
        )
        .await;
    after(&st, &u, id, r, "处置已登记").await
}

pub async fn conclude(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .petition_conclude(
            &u.actor,
            id,
            f.outcome.as_deref().unwrap_or(""),
            f.cleared.as_deref() == Some("1"),
            f.conclusion.as_deref().unwrap_or(""),
            f.concluded_on.as_deref().unwrap_or(""),
        )
        .await;
    after(&st, &u, id, r, "已办结").await
}

pub async fn notify(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .petition_notify(
            &u.actor,
            id,
            f.which.as_deref().unwrap_or(""),
            f.notified_on.as_deref().unwrap_or(""),
        )
        .await;
    after(&st, &u, id, r, "告知情况已登记").await
}

/// Shows the informant's identity on the detail page: a POST (with the form's CSRF
/// token), so that no link, prefetch or history entry opens it; audited by the app.
pub async fn informant(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st.app.petition_informant(&u.actor, id).await {
        Ok(i) => {
            let mut r = detail_page(&st, &u, id, Some(i), ValidationErrors::new()).await;
            r.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            r
        }
        Err(e) => error_page(&u, &e),
    }
}

// ---- 四种形态 ----

#[derive(Deserialize, Default, Clone)]
pub struct FourFormsQuery {
    pub org: Option<String>,
    pub form: Option<String>,
    pub year: Option<String>,
    pub person: Option<String>,
    pub petition: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl FourFormsQuery {
    pub fn filter(&self, org_path: Option<String>) -> FourFormsFilter {
        FourFormsFilter {
            org_path,
            form: nonempty(&self.form)
                .and_then(|f| f.parse().ok())
                .filter(|f| (1..=4).contains(f)),
            person_id: opt_id(&self.person),
            petition_id: opt_id(&self.petition),
            year: nonempty(&self.year).and_then(|y| y.parse().ok()),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/four-forms",
            &[
                ("org", g(&self.org)),
                ("form", g(&self.form)),
                ("year", g(&self.year)),
                ("person", g(&self.person)),
            ],
        )
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FourFormsForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub person_id: Option<String>,
    pub action: Option<String>,
    pub decided_on: Option<String>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub petition_id: Option<String>,
    pub problem_id: Option<String>,
}

/// One org's row of the statistics: a number per form.
pub struct FormRow {
    pub org_name: String,
    pub cells: [i64; 4],
    pub total: i64,
}

pub fn pivot(counts: &[FormCount]) -> (Vec<FormRow>, [i64; 4]) {
    let mut out: Vec<(i64, FormRow)> = Vec::new();
    let mut totals = [0; 4];
    for c in counts {
        let i = match out.iter().position(|(id, _)| *id == c.org_id) {
            Some(i) => i,
            None => {
                out.push((
                    c.org_id,
                    FormRow {
                        org_name: c.org_name.clone(),
                        cells: [0; 4],
                        total: 0,
                    },
                ));
                out.len() - 1
            }
        };
        if (1..=4).contains(&c.form) {
            out[i].1.cells[(c.form - 1) as usize] += c.n;
            totals[(c.form - 1) as usize] += c.n;
        }
        out[i].1.total += c.n;
    }
    (out.into_iter().map(|(_, r)| r).collect(), totals)
}

#[derive(Template)]
#[template(path = "four_forms.html")]
struct FourFormsPage {
    ctx: PageCtx,
    l: L,
    rows: Vec<FourFormsRow>,
    pager: Pager,
    q: FourFormsQuery,
    orgs: Vec<OrgRow>,
    year: i32,
    stats: Vec<FormRow>,
    totals: [i64; 4],
    actions: Vec<(&'static str, &'static str, u8)>,
    form_org: Option<OrgRow>,
    people: Vec<PersonRow>,
    f: FourFormsForm,
    errors: ValidationErrors,
    today: String,
}

impl FourFormsPage {
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
    fn is_form_org(&self, id: &i64) -> bool {
        self.form_org.as_ref().is_some_and(|o| o.id == *id)
    }
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn form_name(&self, f: &u8) -> &'static str {
        form_label(*f as i64)
    }
}

async fn four_forms_page(
    st: &AppState,
    u: &PageUser,
    q: FourFormsQuery,
    f: FourFormsForm,
    errors: ValidationErrors,
) -> Response {
    let org_path = match org_path_of(st, u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(u, &e),
    };
    let list = match st
        .app
        .four_forms_list(
            &u.actor,
            q.filter(org_path),
            Paging::new(q.page, q.per_page),
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(u, &e),
    };
    let year = nonempty(&q.year)
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| clock::today().year());
    let (stats, totals) = match st.app.four_forms_counts(&u.actor, year).await {
        Ok(c) => pivot(&c),
        Err(e) => return error_page(u, &e),
    };
    let orgs = filter_orgs(st, u, &q.org).await;
    let form_org_id = opt_id(&f.org_id).or_else(|| opt_id(&q.org));
    let mut form_org = None;
    let mut people = Vec::new();
    if let Some(id) = form_org_id {
        if let Ok(o) = st.app.org_get(&u.actor, id).await {
            people = st
                .app
                .people_of_org(&u.actor, o.id)
                .await
                .unwrap_or_default();
            form_org = Some(o);
        }
    }
    let f = FourFormsForm {
        petition_id: f.petition_id.or_else(|| q.petition.clone()),
        ..f
    };
    let pager = Pager::new(&q.base(), list.total, list.page, list.per_page);
    let ctx = PageCtx::new(
        u,
        "four_forms",
        vec![("纪检监督", None), ("四种形态", None)],
    );
    let bad = !errors.is_empty();
    let mut r = render(
        &FourFormsPage {
            ctx,
            l: L,
            rows: list.items,
            pager,
            q,
            orgs,
            year,
            stats,
            totals,
            actions: action_options(),
            form_org,
            people,
            f,
            errors,
            today: clock::today_str(),
        },
        u.flash.is_some() && !bad,
    );
    if bad {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    r
}

pub async fn four_forms(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<FourFormsQuery>,
) -> Response {
    four_forms_page(
        &st,
        &u,
        q,
        FourFormsForm::default(),
        ValidationErrors::new(),
    )
    .await
}

pub async fn four_forms_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<FourFormsForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = NewFourFormsInput {
        person_id: opt_id(&f.person_id),
        action: f.action.clone().unwrap_or_default(),
        decided_on: f.decided_on.clone().unwrap_or_default(),
        decided_by: f.decided_by.clone().unwrap_or_default(),
        reason: f.reason.clone().unwrap_or_default(),
        petition_id: opt_id(&f.petition_id),
        problem_id: opt_id(&f.problem_id),
    };
    match st.app.four_forms_record(&u.actor, input).await {
        Ok(_) => redirect_with_flash("/four-forms", "四种形态处理已登记"),
        Err(zeren_app::AppError::Invalid(errors)) => {
            four_forms_page(&st, &u, FourFormsQuery::default(), f, errors).await
        }
        Err(e) => error_page(&u, &e),
    }
}

// ---- 工作日历 ----

#[derive(Deserialize, Default, Clone)]
pub struct CalendarForm {
    pub csrf: Option<String>,
    pub year: Option<String>,
    pub day: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    ctx: PageCtx,
    year: i32,
    days: Vec<zeren_app::rows::CalendarDayRow>,
    f: CalendarForm,
    errors: ValidationErrors,
}

impl CalendarPage {
    fn kind_label(&self, k: &str) -> &'static str {
        zeren_core::workday::DayKind::parse(k)
            .map(|k| k.label())
            .unwrap_or("")
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
}

fn may_keep_calendar(u: &PageUser) -> bool {
    u.actor.has(zeren_core::Permission::DisciplineRecords)
        || u.actor.has(zeren_core::Permission::OperateSystem)
}

async fn calendar_page(
    st: &AppState,
    u: &PageUser,
    f: CalendarForm,
    errors: ValidationErrors,
) -> Response {
    if !may_keep_calendar(u) {
        return error_page(
            u,
            &zeren_app::AppError::Forbidden("只有纪检监察人员或系统管理员可以设置工作日历".into()),
        );
    }
    let year = nonempty(&f.year)
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| clock::today().year());
    let days = match st.app.calendar_days().await {
        Ok(d) => d
            .into_iter()
            .filter(|d| d.day.starts_with(&format!("{year:04}-")))
            .collect(),
        Err(e) => return error_page(u, &e),
    };
    let ctx = PageCtx::new(u, "calendar", vec![("工作日历", None)]);
    let bad = !errors.is_empty();
    let mut r = render(
        &CalendarPage {
            ctx,
            year,
            days,
            f,
            errors,
        },
        u.flash.is_some() && !bad,
    );
    if bad {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    r
}

pub async fn calendar(
    State(st): State<AppState>,
    u: PageUser,
    Query(f): Query<CalendarForm>,
) -> Response {
    calendar_page(&st, &u, f, ValidationErrors::new()).await
}

pub async fn calendar_set(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<CalendarForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let r = st
        .app
        .calendar_set(
            &u.actor,
            f.day.as_deref().unwrap_or(""),
            f.kind.as_deref().unwrap_or(""),
            f.name.as_deref().unwrap_or(""),
        )
        .await;
    match r {
        Ok(()) => {
            let year = f
                .day
                .as_deref()
                .unwrap_or("")
                .get(..4)
                .unwrap_or("")
                .to_string();
            redirect_with_flash(&format!("/calendar?year={year}"), "工作日历已更新")
        }
        Err(zeren_app::AppError::Invalid(errors)) => calendar_page(&st, &u, f, errors).await,
        Err(e) => error_page(&u, &e),
    }
}

// ---- 导出 ----

/// The sheet of the list as filtered.
pub async fn petitions_sheet(
    st: &AppState,
    actor: &zeren_app::Actor,
    q: &PetitionQuery,
) -> Result<zeren_app::export::Exported, zeren_app::AppError> {
    let path = match opt_id(&q.org) {
        Some(id) => Some(st.app.org_get(actor, id).await?.path),
        None => None,
    };
    let w = |label: &str, v: &Option<String>, show: &dyn Fn(&str) -> String| {
        crate::export::word(label, v, show)
    };
    let filters = vec![
        w("状态", &q.state, &|s| {
            PState::parse(s).map(|x| x.label()).unwrap_or("").into()
        }),
        w("来源", &q.channel, &|s| {
            Channel::parse(s).map(|x| x.label()).unwrap_or("").into()
        }),
        w("类别", &q.category, &|s| {
            Category::parse(s).map(|x| x.label()).unwrap_or("").into()
        }),
        w("处置方式", &q.disposal, &|s| {
            Disposal::parse(s).map(|x| x.label()).unwrap_or("").into()
        }),
        w("年度", &q.year, &|s| s.to_string()),
        w("关键词", &q.q, &|s| s.to_string()),
    ];
    let scope = crate::export::scope_line(st, actor, &q.org, filters).await;
    st.app.export_petitions(actor, q.filter(path), scope).await
}

pub async fn export(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<PetitionQuery>,
) -> Response {
    match petitions_sheet(&st, &u.actor, &q).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_page(&u, &e),
    }
}
