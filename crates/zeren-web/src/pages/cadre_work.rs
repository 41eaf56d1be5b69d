//! 干部工作 pages: the year's cadre figures of an org's subtree (the annual report's
//! own), the records of each kind, and the organisation department's forms for
//! appointments, part-time posts (and their approval), training and 容错纠错.
//! `zeren_app::cadre_work` decides who sees and writes what.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::cadre_work::CadreFigure;
use zeren_app::rows::{CadreRow, OrgRow, PersonRow};
use zeren_app::{clock, AppError, Paging};
use zeren_core::cadre_work::{AppointmentKind, Decision, ToleranceKind};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{opt_id, query_string, Pager};
use crate::letters_api::{cadre_input, this_year, CadreBodyParts, CadreQuery};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cadre-work", get(list).post(create))
        .route("/cadre-work/part-time/{id}/decide", post(decide))
}

const TABS: [(&str, &str); 4] = [
    ("appointment", "干部任用"),
    ("part_time", "社会团体兼职"),
    ("training", "干部培训"),
    ("tolerance", "容错纠错"),
];

#[derive(Template)]
#[template(path = "cadre_work.html")]
struct ListPage {
    ctx: PageCtx,
    kind: String,
    year: i32,
    org: String,
    figures: Vec<CadreFigure>,
    rows: Vec<CadreRow>,
    pager: Pager,
    tabs: Vec<(&'static str, &'static str)>,
    appointment_kinds: Vec<(&'static str, &'static str)>,
    tolerance_kinds: Vec<(&'static str, &'static str)>,
    may_write: bool,
    today: String,
    /// The filter's choice of units, and the people of the chosen one (the
    /// registration form picks from them).
    orgs: Vec<OrgRow>,
    people: Vec<PersonRow>,
}

impl ListPage {
    fn sel_org(&self, id: &i64) -> bool {
        self.org == id.to_string()
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn tab_href(&self, k: &str) -> String {
        query_string(
            "/cadre-work",
            &[
                ("kind", k.into()),
                ("year", self.year.to_string()),
                ("org", self.org.clone()),
            ],
        )
    }
    fn what(&self, r: &CadreRow) -> &'static str {
        let w = r.what.as_deref().unwrap_or("");
        AppointmentKind::parse(w)
            .map(|x| x.label())
            .or_else(|| Decision::parse(w).map(|x| x.label()))
            .or_else(|| ToleranceKind::parse(w).map(|x| x.label()))
            .unwrap_or(if r.record == "part_time" {
                "待审批"
            } else {
                ""
            })
    }
    fn pending(&self, r: &CadreRow) -> bool {
        r.record == "part_time" && r.what.is_none()
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<CadreQuery>,
) -> Response {
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or_else(this_year);
    let q = CadreQuery {
        year: Some(year.to_string()),
        ..q
    };
    let path = match crate::pages::tasks::org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let f = q.filter(path);
    let kind = f.kind.clone();
    let page = match st
        .app
        .cadre_records(&u.actor, f, Paging::new(q.page, q.per_page))
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let org_id = opt_id(&q.org).or_else(|| {
        // the top of the actor's scope
        u.actor
            .paths_for(zeren_core::Permission::ReadScope)
            .into_iter()
            .min_by_key(|p| p.len())
            .and_then(|p| {
                p.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .and_then(|s| s.parse().ok())
            })
    });
    let figures = match org_id {
        Some(o) => st
            .app
            .cadre_figures(&u.actor, o, year)
            .await
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let org = q.org.clone().unwrap_or_default();
    let base = query_string(
        "/cadre-work",
        &[
            ("kind", kind.clone()),
            ("year", year.to_string()),
            ("org", org.clone()),
        ],
    );
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let orgs = crate::pages::tasks::filter_orgs(&st, &u, &q.org).await;
    let people = match opt_id(&q.org) {
        Some(id) => st.app.people_of_org(&u.actor, id).await.unwrap_or_default(),
        None => Vec::new(),
    };
    let ctx = PageCtx::new(&u, "cadre_work", vec![("干部工作", None)]);
    render(
        &ListPage {
            ctx,
            kind,
            year,
            org,
            figures,
            rows: page.items,
            pager,
            tabs: TABS.to_vec(),
            appointment_kinds: AppointmentKind::options(),
            tolerance_kinds: ToleranceKind::options(),
            may_write: zeren_app::App::may_write_cadre_work(&u.actor),
            today: clock::today_str(),
            orgs,
            people,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct CadreForm {
    pub csrf: Option<String>,
    /// The unit the person was picked from (kept for the way back).
    pub org: Option<String>,
    pub record: Option<String>,
    pub person_id: Option<String>,
    pub kind: Option<String>,
    pub post: Option<String>,
    pub from_rank: Option<String>,
    pub to_rank: Option<String>,
    pub appointed_on: Option<String>,
    pub society: Option<String>,
    pub applied_on: Option<String>,
    pub decision: Option<String>,
    pub decided_on: Option<String>,
    pub class_name: Option<String>,
    pub organizer: Option<String>,
    pub started_on: Option<String>,
    pub hours: Option<String>,
    pub matter: Option<String>,
}

pub async fn create(State(st): State<AppState>, u: PageUser, Form(f): Form<CadreForm>) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    if !zeren_app::App::may_write_cadre_work(&u.actor) {
        return error_page(
            &u,
            &AppError::Forbidden("干部工作记录由组织部门登记".into()),
        );
    }
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    let record = g(&f.record);
    // back to the same tab and unit, so the next person of the unit is one pick away
    let back = query_string(
        "/cadre-work",
        &[("kind", record.clone()), ("org", g(&f.org))],
    );
    let input = cadre_input(CadreBodyParts {
        record: record.clone(),
        person_id: opt_id(&f.person_id),
        kind: g(&f.kind),
        post: g(&f.post),
        from_rank: f.from_rank.clone(),
        to_rank: g(&f.to_rank),
        appointed_on: g(&f.appointed_on),
        society: g(&f.society),
        applied_on: g(&f.applied_on),
        decision: f.decision.clone().filter(|s| !s.is_empty()),
        decided_on: f.decided_on.clone().filter(|s| !s.is_empty()),
        paid: false,
        class_name: g(&f.class_name),
        organizer: f.organizer.clone(),
        started_on: g(&f.started_on),
        hours: f.hours.as_deref().and_then(|h| h.trim().parse().ok()),
        matter: g(&f.matter),
    });
    let r = match input {
        Ok(i) => st.app.cadre_record_create(&u.actor, i).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => redirect_with_flash(&back, "干部工作记录已登记"),
        Err(AppError::Invalid(v)) => {
            let msgs: Vec<String> = v.errors.iter().map(|e| e.message.clone()).collect();
            redirect_with_flash(&back, &format!("错误：{}", msgs.join("；")))
        }
        Err(e) => error_page(&u, &e),
    }
}

pub async fn decide(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CadreForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let back = "/cadre-work?kind=part_time";
    match st
        .app
        .cadre_part_time_decide(
            &u.actor,
            id,
            f.decision.as_deref().unwrap_or(""),
            f.decided_on.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(()) => redirect_with_flash(back, "审批结果已登记"),
        Err(AppError::Invalid(v)) => {
            let msgs: Vec<String> = v.errors.iter().map(|e| e.message.clone()).collect();
            redirect_with_flash(back, &format!("错误：{}", msgs.join("；")))
        }
        Err(e) => error_page(&u, &e),
    }
}
