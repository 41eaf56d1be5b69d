//! 制度规定: the rules library with its citations and effective dates, the settings
//! of its uncertain or local figures (editable by the party offices: "可按本地规定
//! 调整"), and local rules added and retired with their own citation. Every change is
//! audited in the application layer.
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::rows::OrgRow;
use zeren_app::rules::{LibraryRule, NewRule, RulesView};
use zeren_app::{clock, App, AppError};
use zeren_core::activity::ActivityKind;
use zeren_core::rule::Period;
use zeren_core::{OrgKind, ValidationErrors};

use crate::ctx::{error_page, render, PageCtx};
use crate::form::opt_id;
use crate::pages::tasks::filter_orgs;
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct LocalForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub title: Option<String>,
    pub citation: Option<String>,
    pub activity: Option<String>,
    pub period: Option<String>,
    pub times: Option<String>,
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub effective_from: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SettingForm {
    pub csrf: Option<String>,
    pub rule_key: Option<String>,
    pub figure: Option<String>,
    pub period: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

#[derive(Template)]
#[template(path = "rules.html")]
struct Page {
    ctx: PageCtx,
    view: RulesView,
    can_edit: bool,
    orgs: Vec<OrgRow>,
    activities: Vec<(&'static str, &'static str)>,
    periods: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    f: LocalForm,
    errors: ValidationErrors,
    today: String,
}

impl Page {
    fn kinds_of(&self, r: &LibraryRule) -> String {
        r.rule
            .applies_to
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("、")
    }
    fn setting_text(&self, r: &LibraryRule) -> String {
        r.settings
            .iter()
            .map(|s| {
                let shown = r
                    .rule
                    .check
                    .adjusted(s.figure, s.period.as_deref().and_then(Period::parse))
                    .describe();
                format!("{}：{shown}", s.org_name)
            })
            .collect::<Vec<_>>()
            .join("；")
    }
    fn has_period(&self, r: &LibraryRule) -> bool {
        r.rule.check.period().is_some()
    }
    fn figure(&self, r: &LibraryRule) -> String {
        r.rule
            .check
            .figure()
            .map(|f| f.to_string())
            .unwrap_or_default()
    }
    fn is_period(&self, r: &LibraryRule, p: &str) -> bool {
        r.rule.check.period().map(|x| x.as_str()) == Some(p)
    }
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn checked(&self, k: &str) -> bool {
        self.f.applies_to.iter().any(|a| a == k)
    }
    fn when(&self, at: &Option<i64>) -> String {
        at.map(clock::fmt_instant).unwrap_or_default()
    }
    fn created(&self, at: &i64) -> String {
        clock::fmt_instant(*at)
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

async fn page(st: &AppState, u: &PageUser, f: LocalForm, errors: ValidationErrors) -> Response {
    let view = match st.app.rules_view(&u.actor).await {
        Ok(v) => v,
        Err(e) => return error_page(u, &e),
    };
    let can_edit = App::may_edit_rules(&u.actor);
    let orgs = if can_edit {
        filter_orgs(st, u, &None).await
    } else {
        Vec::new()
    };
    let bad = !errors.is_empty();
    let ctx = PageCtx::new(u, "rules", vec![("制度规定", None)]);
    let mut r = render(
        &Page {
            ctx,
            view,
            can_edit,
            orgs,
            activities: ActivityKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
            periods: Period::ALL
                .iter()
                .map(|p| (p.as_str(), p.label()))
                .collect(),
            kinds: [OrgKind::Committee, OrgKind::GeneralBranch, OrgKind::Branch]
                .iter()
                .map(|k| (k.as_str(), k.label()))
                .collect(),
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

pub async fn list(State(st): State<AppState>, u: PageUser) -> Response {
    page(&st, &u, LocalForm::default(), ValidationErrors::new()).await
}

pub async fn local_add(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<LocalForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    let input = NewRule {
        org_id: opt_id(&f.org_id),
        title: g(&f.title),
        citation: g(&f.citation),
        activity: g(&f.activity),
        period: g(&f.period),
        times: g(&f.times),
        applies_to: f.applies_to.clone(),
        effective_from: g(&f.effective_from),
    };
    match st.app.local_rule_add(&u.actor, input).await {
        Ok(_) => redirect_with_flash("/rules#local", "本单位规定已添加，合规检查即按其核对"),
        Err(AppError::Invalid(errors)) => page(&st, &u, f, errors).await,
        Err(e) => error_page(&u, &e),
    }
}

pub async fn local_retire(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    match st.app.local_rule_retire(&u.actor, id).await {
        Ok(()) => redirect_with_flash("/rules#local", "该规定已废止"),
        Err(AppError::Invalid(v)) => redirect_with_flash(
            "/rules#local",
            &format!(
                "错误：{}",
                v.errors.first().map(|e| e.message.as_str()).unwrap_or("")
            ),
        ),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn setting(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<SettingForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let key = f.rule_key.clone().unwrap_or_default();
    match st
        .app
        .rule_setting_set(
            &u.actor,
            None,
            &key,
            f.figure.as_deref().unwrap_or(""),
            f.period.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(()) => redirect_with_flash("/rules", "设置已保存，合规检查即按新设置核对"),
        Err(AppError::Invalid(v)) => redirect_with_flash(
            "/rules",
            &format!(
                "错误：{}",
                v.errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        ),
        Err(e) => error_page(&u, &e),
    }
}
