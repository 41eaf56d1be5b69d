//! 支部建设 (branch health): every branch of the scope in one table — members, full
//! members, committee present or required, term end and days to re-election, dues
//! arrears, lost contact, pocket members and the compliance rate — each figure linked
//! to the records behind it. The figures come from the compliance pass.
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zeren_app::compliance::{OrgCompliance, Want};
use zeren_app::rows::OrgRow;
use zeren_app::{clock, AppError, Paging};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{opt_id, query_string, Pager};
use crate::pages::compliance::sort_orgs;
use crate::session::PageUser;
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct BranchQuery {
    pub org: Option<String>,
    /// flags (default) | rate | name | term
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl BranchQuery {
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/branches",
            &[("org", g(&self.org)), ("sort", g(&self.sort))],
        )
    }
}

#[derive(Template)]
#[template(path = "branches.html")]
struct Page {
    ctx: PageCtx,
    q: BranchQuery,
    org: OrgRow,
    year: i32,
    rows: Vec<OrgCompliance>,
    pager: Pager,
}

impl Page {
    fn rate(&self, r: &Option<f64>) -> String {
        r.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "—".into())
    }
    fn sort_href(&self, sort: &str) -> String {
        let mut q = self.q.clone();
        q.sort = Some(sort.to_string());
        q.page = None;
        q.base()
    }
    fn committee(&self, o: &OrgCompliance) -> String {
        let h = &o.health;
        if h.committee_required {
            format!("{} 人（应设委员会）", h.committee_size)
        } else if h.has_secretary {
            format!("{} 人（设书记）", h.committee_size)
        } else {
            format!("{} 人", h.committee_size)
        }
    }
    fn committee_bad(&self, o: &OrgCompliance) -> bool {
        o.rules
            .iter()
            .any(|r| r.check == "committee_required" && r.verdict.is_flag())
    }
    fn term_class(&self, o: &OrgCompliance) -> &'static str {
        match o.health.days_to_term_end {
            Some(d) if d < 0 => "cell-missing",
            Some(d) if d <= zeren_core::rule::TERM_NOTICE_DAYS => "cell-due",
            _ => "",
        }
    }
    fn days(&self, o: &OrgCompliance) -> String {
        match o.health.days_to_term_end {
            Some(d) if d < 0 => format!("超期 {} 天", -d),
            Some(d) => format!("{d} 天"),
            None => "未登记".into(),
        }
    }
    fn dues_bad(&self, o: &OrgCompliance) -> bool {
        o.rules
            .iter()
            .any(|r| r.check == "dues_unpaid_months" && r.verdict.is_flag())
    }
    fn size_bad(&self, o: &OrgCompliance) -> bool {
        o.rules
            .iter()
            .any(|r| r.check == "member_count" && r.verdict.is_flag())
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<BranchQuery>,
) -> Response {
    let id = match opt_id(&q.org).or_else(|| u.actor.home().map(|r| r.org_id)) {
        Some(id) => id,
        None => return error_page(&u, &AppError::NotFound),
    };
    let org = match st.app.org_get(&u.actor, id).await {
        Ok(o) => o,
        Err(e) => return error_page(&u, &e),
    };
    let today = clock::today();
    let year = chrono::Datelike::year(&today);
    let c = match st
        .app
        .compliance_with(&u.actor, Some(org.id), year, today, Want { periods: false })
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    let mut rows: Vec<OrgCompliance> = c
        .orgs
        .into_iter()
        .filter(|o| matches!(o.kind, "branch" | "general_branch"))
        .collect();
    match q.sort.as_deref() {
        Some("term") => {
            rows.sort_by_key(|o| (o.health.days_to_term_end.unwrap_or(i64::MIN), o.org_id))
        }
        s => sort_orgs(&mut rows, s),
    }
    let paging = Paging::new(q.page, q.per_page);
    let total = rows.len() as i64;
    let rows: Vec<OrgCompliance> = rows
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.per_page as usize)
        .collect();
    let pager = Pager::new(&q.base(), total, paging.page, paging.per_page);
    let ctx = PageCtx::new(&u, "branches", vec![("支部建设", None)]);
    render(
        &Page {
            ctx,
            q,
            org,
            year,
            rows,
            pager,
        },
        u.flash.is_some(),
    )
}
