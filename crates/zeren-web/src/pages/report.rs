//! 年度报告: the annual report of an org, figures live from its records, each linked to
//! the list it counts; the narrative edited in place (figures stay tokens); Word
//! download in the official format.
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::report::AnnualReport;
use zeren_app::rows::OrgRow;
use zeren_app::{clock, AppError};
use zeren_core::report::{self, Piece, Records, Section, FIGURES};
use zeren_core::Permission;

use crate::ctx::{error_page, render, PageCtx};
use crate::form::opt_id;
use crate::pages::tasks::filter_orgs;
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    pub org: Option<String>,
    pub year: Option<String>,
    pub edit: Option<String>,
}

impl ReportQuery {
    fn year(&self) -> i32 {
        self.year
            .as_deref()
            .and_then(|y| y.trim().parse().ok())
            .unwrap_or_else(|| chrono::Datelike::year(&clock::today()))
    }
}

/// A piece of a shown paragraph: text, or a figure linked to its records.
pub struct Bit {
    pub text: String,
    pub href: Option<String>,
    pub title: &'static str,
}

pub struct SectionView {
    pub level: u8,
    pub heading: String,
    pub paragraphs: Vec<Vec<Bit>>,
    /// The paragraphs as edited, blank-line separated, for the edit form.
    pub source: String,
}

pub struct FigureRow {
    pub name: &'static str,
    pub token: String,
    pub value: i64,
    pub unit: &'static str,
    pub href: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    ctx: PageCtx,
    r: AnnualReport,
    title: String,
    sections: Vec<SectionView>,
    figures: Vec<FigureRow>,
    orgs: Vec<OrgRow>,
    years: Vec<i32>,
    year: i32,
    editing: bool,
    can_edit: bool,
    error: String,
    edited: String,
}

/// The list a figure counts, filtered to the org (and the year where the list can).
fn records_href(records: Records, org_id: i64, year: i32) -> String {
    match records {
        Records::Activities { kinds, .. } => {
            let kind = match kinds {
                [one] => format!("&kind={one}"),
                _ => String::new(),
            };
            format!("/activities?org={org_id}&year={year}{kind}")
        }
        Records::Problems { sources } => {
            let source = match sources {
                [one] => format!("&source={one}"),
                _ => String::new(),
            };
            format!("/problems?org={org_id}{source}")
        }
        Records::Tasks => format!("/tasks?org={org_id}"),
        Records::Notices => "/notices".to_string(),
        Records::Accountability => "/accountability".to_string(),
        Records::NewMembers => format!("/people?org={org_id}"),
        Records::Reelections => format!("/branches?org={org_id}"),
        Records::CadreWork => format!("/cadre-work?org={org_id}&year={year}"),
    }
}

fn sections_view(r: &AnnualReport) -> Vec<SectionView> {
    let values: std::collections::HashMap<&str, i64> =
        r.values.iter().map(|(k, v)| (*k, *v)).collect();
    r.achievements
        .iter()
        .map(|s| SectionView {
            level: s.level,
            heading: s.heading.clone(),
            paragraphs: s
                .paragraphs
                .iter()
                .map(|p| {
                    report::fill(p, &values)
                        .into_iter()
                        .map(|piece| match piece {
                            Piece::Text(t) | Piece::Unknown(t) => Bit {
                                text: t,
                                href: None,
                                title: "",
                            },
                            Piece::Figure { key, value } => {
                                let def = report::figure(key);
                                Bit {
                                    text: value.to_string(),
                                    href: def.map(|d| records_href(d.records, r.org.id, r.year)),
                                    title: def.map(|d| d.name).unwrap_or(""),
                                }
                            }
                        })
                        .collect()
                })
                .collect(),
            source: s.paragraphs.join("\n\n"),
        })
        .collect()
}

async fn page(st: &AppState, u: &PageUser, q: ReportQuery, error: String) -> Response {
    let year = q.year();
    let r = match st.app.annual_report(&u.actor, opt_id(&q.org), year).await {
        Ok(r) => r,
        Err(e) => return error_page(u, &e),
    };
    let figures = FIGURES
        .iter()
        .map(|f| FigureRow {
            name: f.name,
            token: format!("〔{}〕", f.name),
            value: r.value(f.key),
            unit: f.unit,
            href: records_href(f.records, r.org.id, year),
        })
        .collect();
    let org_key = Some(r.org.id.to_string());
    let orgs = filter_orgs(st, u, &org_key).await;
    let this_year = chrono::Datelike::year(&clock::today());
    let can_edit = u.actor.can_at(Permission::WriteScope, &r.org.path);
    let editing = can_edit && (q.edit.is_some() || !error.is_empty());
    let edited = r.edited_at.map(clock::fmt_instant).unwrap_or_default();
    let ctx = PageCtx::new(u, "report", vec![("年度报告", None)]);
    render(
        &Page {
            ctx,
            title: r.title(),
            sections: sections_view(&r),
            figures,
            orgs,
            years: (this_year - 4..=this_year).rev().collect(),
            year,
            editing,
            can_edit,
            error,
            edited,
            r,
        },
        u.flash.is_some(),
    )
}

pub async fn show(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    page(&st, &u, q, String::new()).await
}

pub async fn docx(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let r = match st
        .app
        .annual_report(&u.actor, opt_id(&q.org), q.year())
        .await
    {
        Ok(r) => r,
        Err(e) => return error_page(&u, &e),
    };
    match zeren_app::report::annual_docx(&r) {
        Ok(bytes) => crate::export::download_as(
            &format!("{}.docx", r.title()),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            bytes,
        ),
        Err(e) => error_page(&u, &e),
    }
}

/// A figure as the API gives it: value, its name in a narrative, and its records.
#[derive(serde::Serialize)]
struct FigureJson {
    key: &'static str,
    name: &'static str,
    value: i64,
    unit: &'static str,
    records: String,
}

#[derive(serde::Serialize)]
struct ReportJson {
    title: String,
    org_id: i64,
    org_name: String,
    year: i32,
    figures: Vec<FigureJson>,
    /// 一、工作成效 with the figures filled in.
    achievements: Vec<(String, Vec<String>)>,
    problems: Vec<zeren_app::report::OpenProblemRow>,
    measures: Vec<zeren_app::report::OpenMeasureRow>,
}

/// `GET /api/v1/reports/annual?org=&year=`: the report's figures (each with the list
/// it counts), its narrative filled, and the open problems and measures it lists.
pub async fn api(
    State(st): State<AppState>,
    u: crate::session::ApiUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let year = q.year();
    let r = match st.app.annual_report(&u.actor, opt_id(&q.org), year).await {
        Ok(r) => r,
        Err(e) => return crate::api::error_response(&e),
    };
    let values: std::collections::HashMap<&str, i64> =
        r.values.iter().map(|(k, v)| (*k, *v)).collect();
    let body = ReportJson {
        title: r.title(),
        org_id: r.org.id,
        org_name: r.org.name.clone(),
        year,
        figures: FIGURES
            .iter()
            .map(|f| FigureJson {
                key: f.key,
                name: f.name,
                value: r.value(f.key),
                unit: f.unit,
                records: records_href(f.records, r.org.id, year),
            })
            .collect(),
        achievements: r
            .achievements
            .iter()
            .map(|s| {
                (
                    s.heading.clone(),
                    s.paragraphs
                        .iter()
                        .map(|p| zeren_app::report::filled_text(p, &values))
                        .collect(),
                )
            })
            .collect(),
        problems: r.problems.clone(),
        measures: r.measures.clone(),
    };
    crate::api::ok(Ok::<_, AppError>(body))
}

#[derive(Deserialize, Default)]
pub struct EditForm {
    pub csrf: Option<String>,
    pub org: Option<String>,
    pub year: Option<String>,
    #[serde(default)]
    pub level: Vec<String>,
    #[serde(default)]
    pub heading: Vec<String>,
    #[serde(default)]
    pub body: Vec<String>,
}

/// The sections a form posts: a heading and its paragraphs (blank-line separated);
/// a section left wholly empty is dropped.
fn sections_of(f: &EditForm) -> Vec<Section> {
    f.heading
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let body = f.body.get(i).map(String::as_str).unwrap_or("");
            let paragraphs: Vec<String> = body
                .replace("\r\n", "\n")
                .split("\n\n")
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            if h.trim().is_empty() && paragraphs.is_empty() {
                return None;
            }
            let level = f
                .level
                .get(i)
                .and_then(|l| l.parse().ok())
                .unwrap_or(2u8)
                .clamp(1, 2);
            Some(Section {
                level,
                heading: h.trim().to_string(),
                paragraphs,
            })
        })
        .collect()
}

pub async fn save(State(st): State<AppState>, u: PageUser, Form(f): Form<EditForm>) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let q = ReportQuery {
        org: f.org.clone(),
        year: f.year.clone(),
        edit: None,
    };
    let Some(org_id) = opt_id(&f.org) else {
        return error_page(&u, &AppError::NotFound);
    };
    let year = q.year();
    match st
        .app
        .save_report(&u.actor, org_id, year, sections_of(&f))
        .await
    {
        Ok(()) => redirect_with_flash(
            &format!("/reports/annual?org={org_id}&year={year}"),
            "报告正文已保存，数据随记录实时更新",
        ),
        Err(AppError::Invalid(e)) => {
            let msg = e
                .errors
                .iter()
                .map(|x| x.message.clone())
                .collect::<Vec<_>>()
                .join("；");
            page(&st, &u, q, msg).await
        }
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    pub csrf: Option<String>,
    pub org: Option<String>,
    pub year: Option<String>,
}

pub async fn reset(State(st): State<AppState>, u: PageUser, Form(f): Form<ResetForm>) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let Some(org_id) = opt_id(&f.org) else {
        return error_page(&u, &AppError::NotFound);
    };
    let year = ReportQuery {
        year: f.year.clone(),
        ..Default::default()
    }
    .year();
    match st.app.reset_report(&u.actor, org_id, year).await {
        Ok(()) => redirect_with_flash(
            &format!("/reports/annual?org={org_id}&year={year}"),
            "报告正文已恢复为默认写法",
        ),
        Err(e) => error_page(&u, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_sections_split_paragraphs_and_drop_empty_ones() {
        let f = EditForm {
            level: vec!["2".into(), "2".into(), "9".into()],
            heading: vec!["（一）政治建设".into(), " ".into(), "（二）".into()],
            body: vec![
                "第一段〔党委会次数〕\r\n\r\n第二段".into(),
                "".into(),
                "x".into(),
            ],
            ..Default::default()
        };
        let s = sections_of(&f);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].paragraphs, vec!["第一段〔党委会次数〕", "第二段"]);
        assert_eq!(s[1].level, 2);
    }

    #[test]
    fn figures_link_to_the_records_they_count() {
        let f = report::figure("first_topic").map(|f| f.records);
        assert_eq!(
            f.map(|r| records_href(r, 7, 2026)).as_deref(),
            Some("/activities?org=7&year=2026&kind=committee_meeting")
        );
        let f = report::figure("problems").map(|f| f.records);
        assert_eq!(
            f.map(|r| records_href(r, 7, 2026)).as_deref(),
            Some("/problems?org=7")
        );
    }
}
