//! 廉政风险点 pages: the heat table by category and level (each cell links to the
//! list it counts), the list with its filters and the due-for-review view, a point's
//! controls and reviews, registration, and the Excel ledger. `zeren_app::risk_points`
//! decides who sees and writes what.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::risk_points::{Heat, NewRiskInput, RiskDetail};
use zeren_app::rows::{OrgRow, PersonRow, RiskFilter, RiskPointRow};
use zeren_app::{clock, AppError, Paging};
use zeren_core::risk::{Category, Level};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, Pager};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risk-points", get(list).post(create))
        .route("/risk-points/new", get(new_page))
        .route("/risk-points/export.xlsx", get(export))
        .route("/risk-points/{id}", get(detail))
        .route("/risk-points/{id}/controls", post(add_control))
        .route("/risk-points/{id}/review", post(review))
}

pub struct L;
impl L {
    pub fn category(&self, k: &str) -> &'static str {
        Category::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn level(&self, k: &str) -> &'static str {
        Level::parse(k).map(|x| x.label()).unwrap_or("")
    }
    pub fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct RiskQuery {
    pub org: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub q: Option<String>,
    /// `1`: only points due for review within 30 days (or overdue).
    pub due: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl RiskQuery {
    pub fn filter(&self, org_path: Option<String>) -> RiskFilter {
        RiskFilter {
            org_path,
            category: nonempty(&self.category).filter(|s| Category::parse(s).is_some()),
            level: nonempty(&self.level).filter(|s| Level::parse(s).is_some()),
            q: nonempty(&self.q),
            due_by: (self.due.as_deref() == Some("1"))
                .then(|| (clock::today() + chrono::Duration::days(30)).to_string()),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/risk-points",
            &[
                ("org", g(&self.org)),
                ("category", g(&self.category)),
                ("level", g(&self.level)),
                ("q", g(&self.q)),
                ("due", g(&self.due)),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "risk_points.html")]
struct ListPage {
    ctx: PageCtx,
    l: L,
    rows: Vec<RiskPointRow>,
    pager: Pager,
    q: RiskQuery,
    orgs: Vec<OrgRow>,
    heat: Heat,
    categories: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    may_write: bool,
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
    fn cell(&self, cat: &str, lv: &str) -> i64 {
        self.heat
            .cells
            .iter()
            .find(|c| c.category == cat && c.level == lv)
            .map(|c| c.n)
            .unwrap_or(0)
    }
    fn row_total(&self, cat: &str) -> i64 {
        self.heat
            .cells
            .iter()
            .filter(|c| c.category == cat)
            .map(|c| c.n)
            .sum()
    }
    fn col_total(&self, lv: &str) -> i64 {
        self.heat
            .cells
            .iter()
            .filter(|c| c.level == lv)
            .map(|c| c.n)
            .sum()
    }
    /// The list's link for one cell: the current filters with this category and level.
    fn cell_href(&self, cat: &str, lv: &str) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/risk-points",
            &[
                ("org", g(&self.q.org)),
                ("category", cat.to_string()),
                ("level", lv.to_string()),
                ("q", g(&self.q.q)),
                ("due", g(&self.q.due)),
            ],
        )
    }
    fn export_query(&self) -> String {
        let base = self.q.base();
        match base.split_once('?') {
            Some((_, q)) if !q.is_empty() => format!("?{q}"),
            _ => String::new(),
        }
    }
    fn overdue(&self, d: &str) -> bool {
        d < self.today.as_str()
    }
}

pub async fn list(State(st): State<AppState>, u: PageUser, Query(q): Query<RiskQuery>) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let f = q.filter(org_path);
    let heat = match st.app.risk_heat(&u.actor, &f).await {
        Ok(h) => h,
        Err(e) => return error_page(&u, &e),
    };
    let page = match st.app.risk_list(&u.actor, f, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let pager = Pager::new(&q.base(), page.total, page.page, page.per_page);
    let ctx = PageCtx::new(
        &u,
        "risk_points",
        vec![("廉政风险防控", None), ("廉政风险点", None)],
    );
    render(
        &ListPage {
            ctx,
            l: L,
            rows: page.items,
            pager,
            q,
            orgs,
            heat,
            categories: Category::options(),
            levels: Level::options(),
            may_write: zeren_app::App::may_write_risk_points(&u.actor),
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    pub org: Option<String>,
}

#[derive(Template)]
#[template(path = "risk_point_new.html")]
struct NewPage {
    ctx: PageCtx,
    orgs: Vec<OrgRow>,
    org: Option<OrgRow>,
    people: Vec<PersonRow>,
    categories: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
}

impl NewPage {
    fn is_org(&self, id: &i64) -> bool {
        self.org.as_ref().is_some_and(|o| o.id == *id)
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

pub async fn new_page(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<NewQuery>,
) -> Response {
    if !zeren_app::App::may_write_risk_points(&u.actor) {
        return error_page(
            &u,
            &AppError::Forbidden("只有党办和纪检监察人员可以登记廉政风险点".into()),
        );
    }
    let mut org = None;
    let mut people = Vec::new();
    if let Some(id) = opt_id(&q.org) {
        if let Ok(o) = st.app.org_get(&u.actor, id).await {
            people = st
                .app
                .people_of_org(&u.actor, o.id)
                .await
                .unwrap_or_default();
            org = Some(o);
        }
    }
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let ctx = PageCtx::new(
        &u,
        "risk_points",
        vec![("廉政风险点", Some("/risk-points".into())), ("登记", None)],
    );
    render(
        &NewPage {
            ctx,
            orgs,
            org,
            people,
            categories: Category::options(),
            levels: Level::options(),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct RiskForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub department: Option<String>,
    pub post: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub description: Option<String>,
    pub review_months: Option<String>,
    pub next_review_on: Option<String>,
    #[serde(default)]
    pub measure: Vec<String>,
    #[serde(default)]
    pub owner: Vec<String>,
    pub reviewed_on: Option<String>,
    pub note: Option<String>,
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

pub async fn create(State(st): State<AppState>, u: PageUser, Form(f): Form<RiskForm>) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let controls = f
        .measure
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                m.clone(),
                f.owner.get(i).and_then(|o| o.trim().parse().ok()),
            )
        })
        .collect();
    let input = NewRiskInput {
        org_id: opt_id(&f.org_id),
        department: f.department.clone().unwrap_or_default(),
        post: f.post.clone().unwrap_or_default(),
        category: f.category.clone().unwrap_or_default(),
        level: f.level.clone().unwrap_or_default(),
        description: f.description.clone().unwrap_or_default(),
        review_months: nonempty(&f.review_months).and_then(|m| m.parse().ok()),
        next_review_on: nonempty(&f.next_review_on),
        controls,
    };
    match st.app.risk_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/risk-points/{id}"), "廉政风险点已登记"),
        Err(e) => {
            let back = match opt_id(&f.org_id) {
                Some(o) => format!("/risk-points/new?org={o}"),
                None => "/risk-points/new".into(),
            };
            flash_err(e, &back, &u)
        }
    }
}

#[derive(Template)]
#[template(path = "risk_point.html")]
struct DetailPage {
    ctx: PageCtx,
    l: L,
    d: RiskDetail,
    people: Vec<PersonRow>,
    may_write: bool,
    today: String,
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.risk_get(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let may_write = zeren_app::App::may_write_risk_points(&u.actor);
    let people = if may_write {
        st.app
            .people_of_org(&u.actor, d.point.org_id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let title = format!("{}·{}", d.point.department, d.point.post);
    let ctx = PageCtx::new(
        &u,
        "risk_points",
        vec![
            ("廉政风险点", Some("/risk-points".into())),
            (title.as_str(), None),
        ],
    );
    render(
        &DetailPage {
            ctx,
            l: L,
            d,
            people,
            may_write,
            today: clock::today_str(),
        },
        u.flash.is_some(),
    )
}

pub async fn add_control(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RiskForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let measure = f.measure.first().cloned().unwrap_or_default();
    let owner = f.owner.first().and_then(|o| o.trim().parse().ok());
    match st.app.risk_add_control(&u.actor, id, &measure, owner).await {
        Ok(_) => redirect_with_flash(&format!("/risk-points/{id}"), "防控措施已增加"),
        Err(e) => flash_err(e, &format!("/risk-points/{id}"), &u),
    }
}

pub async fn review(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RiskForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st
        .app
        .risk_review(
            &u.actor,
            id,
            f.reviewed_on.as_deref().unwrap_or(""),
            f.note.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(()) => redirect_with_flash(&format!("/risk-points/{id}"), "复核已登记"),
        Err(e) => flash_err(e, &format!("/risk-points/{id}"), &u),
    }
}

pub async fn risk_sheet(
    st: &AppState,
    actor: &zeren_app::Actor,
    q: &RiskQuery,
) -> Result<zeren_app::export::Exported, AppError> {
    let path = match opt_id(&q.org) {
        Some(id) => Some(st.app.org_get(actor, id).await?.path),
        None => None,
    };
    let w = |label: &str, v: &Option<String>, show: &dyn Fn(&str) -> String| {
        crate::export::word(label, v, show)
    };
    let filters = vec![
        w("类别", &q.category, &|s| {
            Category::parse(s).map(|x| x.label()).unwrap_or("").into()
        }),
        w("等级", &q.level, &|s| {
            Level::parse(s).map(|x| x.label()).unwrap_or("").into()
        }),
        w("关键词", &q.q, &|s| s.to_string()),
    ];
    let scope = crate::export::scope_line(st, actor, &q.org, filters).await;
    st.app
        .export_risk_points(actor, q.filter(path), scope)
        .await
}

pub async fn export(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<RiskQuery>,
) -> Response {
    match risk_sheet(&st, &u.actor, &q).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_page(&u, &e),
    }
}
