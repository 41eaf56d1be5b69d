//! 人员: the roster of the scope.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::person::{
    party_status_label, position_label, PersonDetail, PersonInput, PARTY_STATUSES, POSITION_KINDS,
};
use zeren_app::roster::{MemberDetail, RosterQuery, TransferInput};
use zeren_app::rows::{OrgRow, RosterListRow};
use zeren_app::Paging;
use zeren_core::{Permission, ValidationErrors};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, Pager};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    org: Option<String>,
    q: Option<String>,
    status: Option<String>,
    /// "1": only members marked lost (失联)
    lost: Option<String>,
    /// "1": only pocket members (口袋党员)
    pocket: Option<String>,
    /// "1": only members with dues in arrears
    arrears: Option<String>,
    /// "1": those transferred out instead of the current roster
    left: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub(crate) fn flag(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1") | Some("true") | Some("on"))
}

#[derive(Template)]
#[template(path = "people.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<RosterListRow>,
    pager: Pager,
    q: PeopleQuery,
    orgs: Vec<OrgRow>,
    statuses: Vec<(&'static str, &'static str)>,
    can_write: bool,
    export_href: String,
}

impl ListPage {
    fn ps(&self, s: &str) -> &'static str {
        party_status_label(s)
    }
    fn pos(&self, s: &Option<String>) -> &'static str {
        s.as_deref().map(position_label).unwrap_or("")
    }
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn on(&self, v: &Option<String>) -> bool {
        flag(v)
    }
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<PeopleQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let status = q
        .status
        .clone()
        .filter(|s| PARTY_STATUSES.iter().any(|(k, _)| k == s));
    let rq = RosterQuery {
        org_path,
        q: nonempty(&q.q),
        status,
        lost: flag(&q.lost),
        pocket: flag(&q.pocket),
        arrears: flag(&q.arrears),
        left: flag(&q.left),
    };
    let page = match st.app.roster(&u.actor, rq, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    let base = query_string(
        "/people",
        &[
            ("org", g(&q.org)),
            ("q", g(&q.q)),
            ("status", g(&q.status)),
            ("lost", g(&q.lost)),
            ("pocket", g(&q.pocket)),
            ("arrears", g(&q.arrears)),
            ("left", g(&q.left)),
        ],
    );
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let export_href = base.replacen("/people", "/people/export.xlsx", 1);
    let ctx = PageCtx::new(&u, "people", vec![("人员", None)]);
    let can_write = u.actor.has(Permission::ManageOrgs);
    render(
        &ListPage {
            ctx,
            rows: page.items,
            pager,
            q,
            orgs,
            statuses: PARTY_STATUSES.to_vec(),
            can_write,
            export_href,
        },
        u.flash.is_some(),
    )
}

#[derive(Template)]
#[template(path = "person_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: PersonDetail,
    /// 问责 records naming this person.
    records: Vec<zeren_app::rows::AccountabilityRow>,
    /// The roster: stage, pipeline, contact, transfers, dues.
    m: MemberDetail,
    today: String,
}

impl DetailPage {
    fn ps(&self, s: &str) -> &'static str {
        party_status_label(s)
    }
    fn pos(&self, s: &str) -> &'static str {
        position_label(s)
    }
    fn dir(&self, s: &str) -> &'static str {
        zeren_app::roster::direction_label(s)
    }
    fn dues_kind(&self, s: &str) -> &'static str {
        zeren_app::roster::dues_kind_label(s)
    }
    fn dues_kinds(&self) -> Vec<(&'static str, &'static str)> {
        zeren_app::roster::dues_kinds()
    }
    fn yuan(&self, c: &i64) -> String {
        zeren_core::dues::yuan(*c)
    }
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
    fn base_yuan(&self) -> String {
        self.m
            .roster
            .dues_base_cents
            .map(zeren_core::dues::yuan)
            .unwrap_or_default()
    }
    fn at(&self, ts: &i64) -> String {
        zeren_app::clock::fmt_instant(*ts)
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let m = match st.app.member(&u.actor, id).await {
        Ok(m) => m,
        Err(e) => return error_page(&u, &e),
    };
    match st.app.person(&u.actor, id).await {
        Ok(d) => {
            let name = d.person.name.clone();
            let records = st
                .app
                .accountability_of_person(&u.actor, id, 100)
                .await
                .unwrap_or_default();
            render(
                &DetailPage {
                    ctx: PageCtx::new(
                        &u,
                        "people",
                        vec![("人员", Some("/people".into())), (&name, None)],
                    ),
                    d,
                    records,
                    m,
                    today: zeren_app::clock::today_str(),
                },
                u.flash.is_some(),
            )
        }
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "person_new.html")]
struct NewPage {
    ctx: PageCtx,
    orgs: Vec<OrgRow>,
    statuses: Vec<(&'static str, &'static str)>,
    positions: Vec<(&'static str, &'static str)>,
    errors: ValidationErrors,
}

impl NewPage {
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

pub async fn new_page(State(st): State<AppState>, u: PageUser) -> Response {
    let orgs = st.app.org_tree(&u.actor, None, 3).await.unwrap_or_default();
    let ctx = PageCtx::new(
        &u,
        "people",
        vec![("人员", Some("/people".into())), ("登记人员", None)],
    );
    render(
        &NewPage {
            ctx,
            orgs,
            statuses: PARTY_STATUSES.to_vec(),
            positions: POSITION_KINDS.to_vec(),
            errors: ValidationErrors::new(),
        },
        false,
    )
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    csrf: String,
    org_id: Option<String>,
    name: String,
    gender: Option<String>,
    party_status: String,
    joined_on: Option<String>,
    cadre_rank: Option<String>,
    title: Option<String>,
    position: Option<String>,
    portfolio: Option<String>,
    /// 转入: where the membership relation comes from (empty: a new registration).
    transfer_from: Option<String>,
    transfer_on: Option<String>,
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<PersonForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let input = PersonInput {
        org_id: opt_id(&f.org_id).unwrap_or(0),
        name: f.name,
        gender: f.gender,
        party_status: f.party_status,
        joined_on: nonempty(&f.joined_on),
        cadre_rank: f.cadre_rank,
        title: f.title,
        position: nonempty(&f.position),
        portfolio: f.portfolio,
    };
    let created = match nonempty(&f.transfer_from) {
        Some(from) => {
            let t = TransferInput {
                direction: "in".into(),
                other_org: from,
                on_date: f.transfer_on.clone().unwrap_or_default(),
                note: None,
            };
            st.app.member_create_transferred(&u.actor, input, t).await
        }
        None => st.app.person_create(&u.actor, input).await,
    };
    match created {
        Ok(id) => redirect_with_flash(&format!("/people/{id}"), "人员已登记"),
        Err(zeren_app::AppError::Invalid(errors)) => {
            let orgs = st.app.org_tree(&u.actor, None, 3).await.unwrap_or_default();
            let ctx = PageCtx::new(
                &u,
                "people",
                vec![("人员", Some("/people".into())), ("登记人员", None)],
            );
            let mut r = render(
                &NewPage {
                    ctx,
                    orgs,
                    statuses: PARTY_STATUSES.to_vec(),
                    positions: POSITION_KINDS.to_vec(),
                    errors,
                },
                false,
            );
            *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            r
        }
        Err(e) => error_page(&u, &e),
    }
}
