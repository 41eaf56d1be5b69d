//! 问责 page: the records of the actor's scope with filters, the yearly counts per org
//! and action, and the form that records a new decision.
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use chrono::Datelike;
use serde::Deserialize;
use zeren_app::accountability::{action_label, NewAccountability, ACTIONS};
use zeren_app::rows::{AccountabilityFilter, AccountabilityRow, ActionCount, OrgRow, PersonRow};
use zeren_app::{clock, App, Paging};
use zeren_core::ValidationErrors;

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, Pager};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct AccountabilityQuery {
    pub org: Option<String>,
    pub person: Option<String>,
    pub action: Option<String>,
    pub year: Option<String>,
    /// Prefills the form's linked notice.
    pub notice: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl AccountabilityQuery {
    pub fn filter(&self, org_path: Option<String>) -> AccountabilityFilter {
        AccountabilityFilter {
            org_path,
            person_id: opt_id(&self.person),
            action: nonempty(&self.action).filter(|a| ACTIONS.iter().any(|(k, _)| k == a)),
            year: self.year(),
            ..Default::default()
        }
    }
    pub fn year(&self) -> Option<i32> {
        nonempty(&self.year).and_then(|y| y.parse().ok())
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/accountability",
            &[
                ("org", g(&self.org)),
                ("person", g(&self.person)),
                ("action", g(&self.action)),
                ("year", g(&self.year)),
            ],
        )
    }
}

#[derive(Deserialize, Default)]
pub struct RecordForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub person_id: Option<String>,
    pub action: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    pub notice_id: Option<String>,
    pub item_type: Option<String>,
    pub item_id: Option<String>,
}

/// One org's row of the yearly counts: a number per action, in `ACTIONS` order.
pub struct CountRow {
    pub org_name: String,
    pub cells: Vec<i64>,
    pub total: i64,
}

fn pivot(counts: &[ActionCount]) -> Vec<CountRow> {
    let mut out: Vec<(i64, CountRow)> = Vec::new();
    for c in counts {
        let i = match out.iter().position(|(id, _)| *id == c.org_id) {
            Some(i) => i,
            None => {
                out.push((
                    c.org_id,
                    CountRow {
                        org_name: c.org_name.clone(),
                        cells: vec![0; ACTIONS.len()],
                        total: 0,
                    },
                ));
                out.len() - 1
            }
        };
        if let Some(a) = ACTIONS.iter().position(|(k, _)| *k == c.action) {
            out[i].1.cells[a] += c.n;
        }
        out[i].1.total += c.n;
    }
    out.into_iter().map(|(_, r)| r).collect()
}

#[derive(Template)]
#[template(path = "accountability.html")]
struct Page {
    ctx: PageCtx,
    rows: Vec<AccountabilityRow>,
    pager: Pager,
    q: AccountabilityQuery,
    orgs: Vec<OrgRow>,
    actions: Vec<(&'static str, &'static str)>,
    year: i32,
    counts: Vec<CountRow>,
    can_record: bool,
    /// The form: the org picked (people to choose from), values and errors.
    form_org: Option<OrgRow>,
    people: Vec<PersonRow>,
    f: RecordForm,
    errors: ValidationErrors,
    today: String,
}

impl Page {
    /// The export of this list as filtered.
    fn export_href(&self) -> String {
        self.q
            .base()
            .replacen("/accountability", "/accountability/export.xlsx", 1)
    }
    fn al(&self, a: &str) -> &'static str {
        action_label(a)
    }
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn is_form_org(&self, id: &i64) -> bool {
        self.form_org.as_ref().is_some_and(|o| o.id == *id)
    }
    fn item_link(&self, r: &AccountabilityRow) -> String {
        match (r.item_type.as_deref(), r.item_id) {
            (Some("task"), Some(id)) => format!("/tasks/{id}"),
            _ => String::new(),
        }
    }
}

async fn page(
    st: &AppState,
    u: &PageUser,
    q: AccountabilityQuery,
    f: RecordForm,
    errors: ValidationErrors,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(st, u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(u, &e),
    };
    let list = match st
        .app
        .accountability_list(&u.actor, q.filter(org_path), paging)
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(u, &e),
    };
    let year = q.year().unwrap_or_else(|| clock::today().year());
    let counts = match st.app.accountability_counts(&u.actor, year).await {
        Ok(c) => pivot(&c),
        Err(e) => return error_page(u, &e),
    };
    let orgs = filter_orgs(st, u, &q.org).await;
    let can_record = App::may_record_accountability(&u.actor);
    // the form's org: the one posted, else the list filter's
    let form_org_id = opt_id(&f.org_id).or_else(|| opt_id(&q.org));
    let mut form_org = None;
    let mut people = Vec::new();
    if can_record {
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
    }
    let f = RecordForm {
        notice_id: f.notice_id.or_else(|| q.notice.clone()),
        ..f
    };
    let pager = Pager::new(&q.base(), list.total, list.page, list.per_page);
    let ctx = PageCtx::new(u, "accountability", vec![("问责", None)]);
    let bad = !errors.is_empty();
    let mut r = render(
        &Page {
            ctx,
            rows: list.items,
            pager,
            q,
            orgs,
            actions: ACTIONS.to_vec(),
            year,
            counts,
            can_record,
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

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<AccountabilityQuery>,
) -> Response {
    page(&st, &u, q, RecordForm::default(), ValidationErrors::new()).await
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<RecordForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let item = match (nonempty(&f.item_type), opt_id(&f.item_id)) {
        (Some(k), Some(id)) => Some((k, id)),
        (Some(k), None) if nonempty(&f.item_id).is_some() => Some((k, 0)),
        _ => None,
    };
    let input = NewAccountability {
        person_id: opt_id(&f.person_id),
        org_id: opt_id(&f.org_id),
        action: f.action.clone().unwrap_or_default(),
        reason: f.reason.clone().unwrap_or_default(),
        decided_by: f.decided_by.clone().unwrap_or_default(),
        decided_on: f.decided_on.clone().unwrap_or_default(),
        notice_id: opt_id(&f.notice_id),
        item,
    };
    match st.app.record_accountability(&u.actor, input).await {
        Ok(_) => redirect_with_flash("/accountability", "问责记录已登记"),
        Err(zeren_app::AppError::Invalid(errors)) => {
            let q = AccountabilityQuery::default();
            page(&st, &u, q, f, errors).await
        }
        Err(e) => error_page(&u, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pivot_per_org_in_action_order() {
        let c = |org: i64, action: &str, n: i64| ActionCount {
            org_id: org,
            org_name: format!("org{org}"),
            org_path: format!("/{org}/"),
            action: action.into(),
            n,
        };
        let rows = pivot(&[
            c(1, "interview", 2),
            c(1, "admonish", 1),
            c(2, "circular", 3),
        ]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells, vec![2, 0, 0, 1, 0, 0]);
        assert_eq!(rows[0].total, 3);
        assert_eq!(rows[1].cells[1], 3);
    }
}
