//! 合规检查: for a branch, its year as a grid of months × required activities (held,
//! missing, not yet due) and its other rules with verdicts and citations; for a
//! superior, every org below it with its red flags, sortable, paged, exportable. The
//! JSON API (`GET /api/v1/compliance`) answers the same computation.
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;
use zeren_app::audit::{AuditAction, Event};
use zeren_app::compliance::{Compliance, OrgCompliance, RuleResult, Want};
use zeren_app::rows::OrgRow;
use zeren_app::{clock, AppError};
use zeren_core::rule::Outcome;

use crate::api::{error_response, ok};
use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, Pager};
use crate::session::{ApiUser, PageUser};
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct ComplianceQuery {
    pub org: Option<String>,
    pub year: Option<String>,
    /// flags (default) | rate | name
    pub sort: Option<String>,
    /// "1": only orgs with a flag
    pub flagged: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl ComplianceQuery {
    pub fn year(&self) -> Result<i32, AppError> {
        match nonempty(&self.year) {
            None => Ok(clock::today().year()),
            Some(y) => y
                .parse()
                .map_err(|_| zeren_app::error::invalid("year", "年度应为四位数字")),
        }
    }
    fn base(&self, path: &str) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            path,
            &[
                ("org", g(&self.org)),
                ("year", g(&self.year)),
                ("sort", g(&self.sort)),
                ("flagged", g(&self.flagged)),
            ],
        )
    }
}

/// One cell of the month grid.
pub struct Cell {
    pub colspan: u32,
    /// ok | missing | due | na
    pub class: &'static str,
    pub text: String,
    pub title: String,
    pub href: String,
}

/// One required activity across the year.
pub struct GridRow {
    pub rule: RuleResult,
    pub cells: Vec<Cell>,
}

/// The grid rows of a branch: one per frequency or attendance rule.
pub fn grid(o: &OrgCompliance, year: i32) -> Vec<GridRow> {
    let mut out = Vec::new();
    for r in o
        .rules
        .iter()
        .filter(|r| matches!(r.check, "activity_frequency" | "attendance_ratio"))
    {
        let mut cells = Vec::new();
        let mut m = 1u32;
        while m <= 12 {
            match r.periods.iter().find(|p| p.span.first_month == m) {
                Some(p) => {
                    let (class, text) = match p.verdict {
                        Outcome::Ok => ("ok", format!("✓ {}", p.held)),
                        Outcome::Missing => ("missing", format!("✗ {}/{}", p.held, p.expected)),
                        Outcome::Violation => ("missing", format!("✗ {}", p.held)),
                        _ => ("due", format!("{}/{}", p.held, p.expected)),
                    };
                    // ids and ASCII keys only: nothing to encode
                    let month = if p.span.months == 1 {
                        format!("&month={m}")
                    } else {
                        String::new()
                    };
                    let href = format!(
                        "/activities?org={}&kind={}&year={year}{month}",
                        o.org_id,
                        r.activity.unwrap_or("")
                    );
                    cells.push(Cell {
                        colspan: p.span.months,
                        class,
                        text,
                        title: format!(
                            "{} {}：应 {} 次，已 {} 次（{}）",
                            r.title,
                            p.span.label,
                            p.expected,
                            p.held,
                            p.verdict.label()
                        ),
                        href,
                    });
                    m += p.span.months;
                }
                None => {
                    cells.push(Cell {
                        colspan: 1,
                        class: "na",
                        text: "—".into(),
                        title: "成立或规定生效之前，不作要求".into(),
                        href: String::new(),
                    });
                    m += 1;
                }
            }
        }
        out.push(GridRow {
            rule: r.clone(),
            cells,
        });
    }
    out
}

fn verdict_class(v: &Outcome) -> &'static str {
    match v {
        Outcome::Ok => "ok",
        Outcome::Missing | Outcome::Violation => "missing",
        Outcome::NotYetDue => "due",
        Outcome::NoData => "na",
    }
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct Page {
    ctx: PageCtx,
    q: ComplianceQuery,
    org: OrgRow,
    year: i32,
    today: String,
    /// A branch: its grid and other rules.
    branch: Option<OrgCompliance>,
    grid: Vec<GridRow>,
    months: Vec<u32>,
    /// A superior: its own verdicts, and the orgs below on this page.
    own: Option<OrgCompliance>,
    rows: Vec<OrgCompliance>,
    pager: Pager,
    flagged_orgs: i64,
    total_orgs: i64,
    export_href: String,
}

impl Page {
    fn vc(&self, v: &Outcome) -> &'static str {
        verdict_class(v)
    }
    fn rate(&self, r: &Option<f64>) -> String {
        r.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "—".into())
    }
    fn flagged<'a>(&self, o: &'a OrgCompliance) -> Vec<&'a RuleResult> {
        o.rules.iter().filter(|r| r.verdict.is_flag()).collect()
    }
    fn state_rules<'a>(&self, o: &'a OrgCompliance) -> Vec<&'a RuleResult> {
        o.rules
            .iter()
            .filter(|r| !matches!(r.check, "activity_frequency" | "attendance_ratio"))
            .collect()
    }
    fn sort_href(&self, sort: &str) -> String {
        let mut q = self.q.clone();
        q.sort = Some(sort.to_string());
        q.base("/compliance")
    }
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref().unwrap_or("flags") == x
    }
}

/// Sorts orgs below a superior: most flags first (then lowest rate), lowest rate
/// first, or tree order.
pub fn sort_orgs(orgs: &mut [OrgCompliance], sort: Option<&str>) {
    let rate = |o: &OrgCompliance| o.rate.unwrap_or(101.0);
    match sort {
        Some("rate") => orgs.sort_by(|a, b| {
            rate(a)
                .total_cmp(&rate(b))
                .then(b.flags.cmp(&a.flags))
                .then(a.path.cmp(&b.path))
        }),
        Some("name") => orgs.sort_by(|a, b| a.path.cmp(&b.path)),
        _ => orgs.sort_by(|a, b| {
            b.flags
                .cmp(&a.flags)
                .then(rate(a).total_cmp(&rate(b)))
                .then(a.path.cmp(&b.path))
        }),
    }
}

async fn target(st: &AppState, u: &PageUser, org: &Option<String>) -> Result<OrgRow, AppError> {
    let id = opt_id(org)
        .or_else(|| u.actor.home().map(|r| r.org_id))
        .ok_or(AppError::NotFound)?;
    st.app.org_get(&u.actor, id).await
}

pub async fn page(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ComplianceQuery>,
) -> Response {
    let year = match q.year() {
        Ok(y) => y,
        Err(e) => return error_page(&u, &e),
    };
    let org = match target(&st, &u, &q.org).await {
        Ok(o) => o,
        Err(e) => return error_page(&u, &e),
    };
    let today = clock::today();
    let is_branch = org.kind == "branch";
    let c = match st
        .app
        .compliance_with(
            &u.actor,
            Some(org.id),
            year,
            today,
            Want { periods: is_branch },
        )
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    let Compliance { orgs, .. } = c;
    let mut own = None;
    let mut below = Vec::new();
    for o in orgs {
        if o.org_id == org.id {
            own = Some(o);
        } else {
            below.push(o);
        }
    }
    let (branch, grid_rows) = match (is_branch, own.take()) {
        (true, Some(b)) => {
            let g = grid(&b, year);
            (Some(b), g)
        }
        (_, o) => {
            own = o;
            (None, Vec::new())
        }
    };
    let total_orgs = below.len() as i64;
    let flagged_orgs = below.iter().filter(|o| o.flags > 0).count() as i64;
    if q.flagged.as_deref() == Some("1") {
        below.retain(|o| o.flags > 0);
    }
    sort_orgs(&mut below, q.sort.as_deref());
    let paging = zeren_app::Paging::new(q.page, q.per_page);
    let total = below.len() as i64;
    let rows: Vec<OrgCompliance> = below
        .into_iter()
        .skip(paging.offset() as usize)
        .take(paging.per_page as usize)
        .collect();
    let pager = Pager::new(&q.base("/compliance"), total, paging.page, paging.per_page);
    let export_href = q.base("/compliance/export.xlsx");
    let ctx = PageCtx::new(&u, "compliance", vec![("合规检查", None)]);
    render(
        &Page {
            ctx,
            q,
            org,
            year,
            today: today.to_string(),
            branch,
            grid: grid_rows,
            months: (1..=12).collect(),
            own,
            rows,
            pager,
            flagged_orgs,
            total_orgs,
            export_href,
        },
        u.flash.is_some(),
    )
}

/// Every org × rule of the chosen subtree as an Excel sheet.
pub async fn export(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ComplianceQuery>,
) -> Response {
    let year = match q.year() {
        Ok(y) => y,
        Err(e) => return error_page(&u, &e),
    };
    let org = match target(&st, &u, &q.org).await {
        Ok(o) => o,
        Err(e) => return error_page(&u, &e),
    };
    let mut c = match st
        .app
        .compliance(&u.actor, Some(org.id), year, clock::today())
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    sort_orgs(&mut c.orgs, q.sort.as_deref());
    use zeren_app::export::{Cell, Col, SheetSpec, SheetWriter, Tone};
    let name = format!("{year}年度合规检查");
    let flagged = q.flagged.as_deref() == Some("1");
    let filters = if flagged {
        vec!["只看有问题的".to_string()]
    } else {
        Vec::new()
    };
    let spec = SheetSpec {
        name: name.clone(),
        title: name.clone(),
        scope: zeren_app::export::scope_line(
            &org.name,
            &filters,
            chrono::Local::now().naive_local(),
        ),
        columns: vec![
            Col::new("单位", 24.0),
            Col::new("类型", 8.0),
            Col::new("规定", 30.0),
            Col::new("应开展/要求", 10.0),
            Col::new("已开展/实际", 10.0),
            Col::new("结论", 9.0),
            Col::new("说明", 40.0),
            Col::new("依据", 36.0),
        ],
    };
    let written = (|| -> Result<zeren_app::export::Exported, AppError> {
        let mut w = SheetWriter::new(&spec)?;
        for o in &c.orgs {
            if flagged && o.flags == 0 {
                continue;
            }
            for r in &o.rules {
                let tone = match r.verdict {
                    Outcome::Ok => Tone::Good,
                    Outcome::NotYetDue | Outcome::NoData => Tone::Plain,
                    Outcome::Missing => Tone::Warn,
                    Outcome::Violation => Tone::Bad,
                };
                w.push(&[
                    Cell::text(o.name.clone()),
                    Cell::text(o.kind_label),
                    Cell::text(r.title.clone()),
                    Cell::Int(r.expected),
                    Cell::Int(r.held),
                    Cell::State(r.verdict_label.to_string(), tone),
                    Cell::Long(r.detail.clone()),
                    Cell::text(r.citation.clone()),
                ])?;
            }
        }
        let rows = w.rows();
        Ok(zeren_app::export::Exported {
            file: w.finish()?,
            rows,
            filename: format!("{name}-{}.xlsx", org.name),
        })
    })();
    let e = match written {
        Ok(e) => e,
        Err(e) => return error_page(&u, &e),
    };
    let _ = st
        .app
        .audit_alone(
            u.actor.audit_id(),
            &u.actor.username,
            &u.actor.source,
            Event::ok(AuditAction::Export, "compliance", org.id, &org.path)
                .detail(format!("{year} 年度 {} 行", e.rows)),
        )
        .await;
    crate::export::stream(e)
}

#[derive(Deserialize)]
pub struct ApiQuery {
    pub org: Option<String>,
    pub year: Option<String>,
}

/// `GET /api/v1/compliance?org=&year=`: every org of the subtree (default: the
/// actor's scope), every rule; with `org`, each frequency rule's periods too.
pub async fn api(State(st): State<AppState>, u: ApiUser, Query(q): Query<ApiQuery>) -> Response {
    let org = opt_id(&q.org);
    if org.is_none() && q.org.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        return error_response(&zeren_app::error::invalid("org", "org 应为组织编号"));
    }
    let year = match nonempty(&q.year) {
        None => clock::today().year(),
        Some(y) => match y.parse() {
            Ok(y) => y,
            Err(_) => {
                return error_response(&zeren_app::error::invalid("year", "年度应为四位数字"))
            }
        },
    };
    ok(st
        .app
        .compliance_with(
            &u.actor,
            org,
            year,
            clock::today(),
            Want {
                periods: org.is_some(),
            },
        )
        .await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: i64, flags: i64, rate: Option<f64>) -> OrgCompliance {
        OrgCompliance {
            org_id: id,
            parent_id: None,
            name: format!("o{id}"),
            code: None,
            kind: "branch",
            kind_label: "党支部",
            path: format!("/1/{id}/"),
            depth: 2,
            founded: "2020-01-01".into(),
            rules: Vec::new(),
            flags,
            rate,
            health: Default::default(),
        }
    }

    #[test]
    fn most_flags_first_then_lowest_rate() {
        let mut v = vec![
            org(2, 1, Some(90.0)),
            org(3, 3, Some(50.0)),
            org(4, 1, Some(80.0)),
            org(5, 0, None),
        ];
        sort_orgs(&mut v, None);
        let ids: Vec<i64> = v.iter().map(|o| o.org_id).collect();
        assert_eq!(ids, vec![3, 4, 2, 5]);
        sort_orgs(&mut v, Some("rate"));
        let ids: Vec<i64> = v.iter().map(|o| o.org_id).collect();
        assert_eq!(ids, vec![3, 4, 2, 5]);
        sort_orgs(&mut v, Some("name"));
        let ids: Vec<i64> = v.iter().map(|o| o.org_id).collect();
        assert_eq!(ids, vec![2, 3, 4, 5]);
    }
}
