//! 党员名册 actions on the person page (development stage, dates, contact, transfers,
//! dues basis), 党费收缴 (a month's payments for a whole branch in one form) and the
//! roster API.
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use serde_json::json;
use zeren_app::person::party_status_label;
use zeren_app::roster::{
    ContactInput, DatesInput, DuesBatch, DuesItem, DuesSheet, PromoteInput, RosterQuery,
    TransferInput,
};
use zeren_app::{AppError, Paging};
use zeren_core::dues;

use crate::api::{created, error_response, ok, Body};
use crate::ctx::{action_failed, error_page, render, PageCtx};
use crate::form::{nonempty, opt_id};
use crate::pages::people::flag;
use crate::session::{redirect_with_flash, ApiUser, PageUser};
use crate::AppState;

fn back(id: i64) -> String {
    format!("/people/{id}#roster")
}

fn done(id: i64, r: Result<(), AppError>, msg: &str) -> Response {
    match r {
        Ok(()) => redirect_with_flash(&back(id), msg),
        Err(e) => action_failed(&back(id), &e),
    }
}

#[derive(Deserialize)]
pub struct StageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    on: String,
    born_on: Option<String>,
}

pub async fn stage(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<StageForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let input = PromoteInput {
        to: f.to,
        on: f.on,
        born_on: nonempty(&f.born_on),
    };
    done(
        id,
        st.app.member_promote(&u.actor, id, input).await,
        "发展阶段已更新",
    )
}

#[derive(Deserialize)]
pub struct DatesForm {
    #[serde(default)]
    csrf: String,
    born_on: Option<String>,
    applied_on: Option<String>,
    activist_on: Option<String>,
    candidate_on: Option<String>,
    joined_on: Option<String>,
    full_on: Option<String>,
}

pub async fn dates(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DatesForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let input = DatesInput {
        born_on: nonempty(&f.born_on),
        applied_on: nonempty(&f.applied_on),
        activist_on: nonempty(&f.activist_on),
        candidate_on: nonempty(&f.candidate_on),
        joined_on: nonempty(&f.joined_on),
        full_on: nonempty(&f.full_on),
    };
    done(
        id,
        st.app.member_dates(&u.actor, id, input).await,
        "发展日期已保存",
    )
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    contact_state: String,
    last_contact_on: Option<String>,
    pocket: Option<String>,
}

pub async fn contact(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ContactForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let input = ContactInput {
        contact_state: f.contact_state,
        last_contact_on: nonempty(&f.last_contact_on),
        pocket: flag(&f.pocket),
    };
    done(
        id,
        st.app.member_contact(&u.actor, id, input).await,
        "联系状态已保存",
    )
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    other_org: String,
    #[serde(default)]
    on_date: String,
    note: Option<String>,
}

pub async fn transfer(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<TransferForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let input = TransferInput {
        direction: f.direction,
        other_org: f.other_org,
        on_date: f.on_date,
        note: nonempty(&f.note),
    };
    done(
        id,
        st.app
            .member_transfer(&u.actor, id, input)
            .await
            .map(|_| ()),
        "组织关系转接已登记",
    )
}

#[derive(Deserialize)]
pub struct DuesBasisForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    dues_kind: String,
    dues_base: Option<String>,
}

pub async fn dues_basis(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DuesBasisForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    done(
        id,
        st.app
            .member_dues_basis(&u.actor, id, &f.dues_kind, f.dues_base.as_deref())
            .await,
        "党费计算方式已保存",
    )
}

#[derive(Deserialize, Default)]
pub struct DuesQuery {
    org: Option<String>,
    month: Option<String>,
}

#[derive(Template)]
#[template(path = "dues.html")]
struct DuesPage {
    ctx: PageCtx,
    sheet: DuesSheet,
    orgs: Vec<zeren_app::rows::OrgRow>,
    today: String,
    unpaid: usize,
}

impl DuesPage {
    fn ps(&self, s: &str) -> &'static str {
        party_status_label(s)
    }
    fn yuan(&self, c: &i64) -> String {
        dues::yuan(*c)
    }
    fn due(&self, c: &Option<i64>) -> String {
        c.map(dues::yuan).unwrap_or_default()
    }
    fn kind(&self, s: &str) -> &'static str {
        zeren_app::roster::dues_kind_label(s)
    }
    fn indent(&self, o: &zeren_app::rows::OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

fn this_month() -> String {
    zeren_app::clock::today_str()[..7].to_string()
}

pub async fn dues_page(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<DuesQuery>,
) -> Response {
    let org_id = opt_id(&q.org)
        .or_else(|| u.actor.home().map(|h| h.org_id))
        .unwrap_or(0);
    let month = nonempty(&q.month).unwrap_or_else(this_month);
    let sheet = match st.app.dues_sheet(&u.actor, org_id, &month).await {
        Ok(s) => s,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = st.app.org_tree(&u.actor, None, 3).await.unwrap_or_default();
    let unpaid = sheet.rows.iter().filter(|r| r.paid_cents.is_none()).count();
    let ctx = PageCtx::new(
        &u,
        "people",
        vec![("人员", Some("/people".into())), ("党费收缴", None)],
    );
    render(
        &DuesPage {
            ctx,
            sheet,
            orgs,
            today: zeren_app::clock::today_str(),
            unpaid,
        },
        u.flash.is_some(),
    )
}

/// The sheet as posted: `paid_ID` ticks and `amount_ID` in 元.
pub async fn dues_record(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    if let Err(r) = u.check_csrf(&get("csrf")) {
        return r;
    }
    let org_id: i64 = get("org_id").parse().unwrap_or(0);
    let month = get("month");
    let back = format!("/dues?org={org_id}&month={month}");
    let mut items = Vec::new();
    for (k, v) in &f {
        let Some(id) = k.strip_prefix("paid_").and_then(|s| s.parse::<i64>().ok()) else {
            continue;
        };
        if !flag(&Some(v.clone())) {
            continue;
        }
        let amount = f
            .get(&format!("amount_{id}"))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            // an unreadable amount is passed as invalid for the use case to refuse
            .map(|s| dues::parse_yuan(s).unwrap_or(-1));
        items.push(DuesItem {
            person_id: id,
            amount_cents: amount,
        });
    }
    items.sort_by_key(|i| i.person_id);
    let batch = DuesBatch {
        org_id,
        month,
        paid_on: Some(get("paid_on")),
        items,
    };
    match st.app.dues_record(&u.actor, batch).await {
        Ok(n) => redirect_with_flash(&back, &format!("已登记 {n} 名党员的党费")),
        Err(AppError::NotFound) => error_page(&u, &AppError::NotFound),
        Err(e) => action_failed(&back, &e),
    }
}

// ---- API ----

#[derive(Deserialize)]
pub struct ApiPeopleQuery {
    org: Option<String>,
    q: Option<String>,
    status: Option<String>,
    lost: Option<String>,
    pocket: Option<String>,
    arrears: Option<String>,
    left: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// The roster's filters from the list's query parameters, checked.
async fn roster_query(
    st: &AppState,
    actor: &zeren_app::Actor,
    q: &ApiPeopleQuery,
) -> Result<RosterQuery, AppError> {
    if crate::form::opt_id(&q.org).is_none() && q.org.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err(zeren_app::error::invalid("org", "org 应为组织编号"));
    }
    let path = crate::export::org_path(st, actor, &q.org).await?;
    let status = nonempty(&q.status);
    if let Some(s) = &status {
        if !zeren_app::person::PARTY_STATUSES
            .iter()
            .any(|(k, _)| k == s)
        {
            return Err(zeren_app::error::invalid("status", "政治面貌无效"));
        }
    }
    Ok(RosterQuery {
        org_path: path,
        q: nonempty(&q.q),
        status,
        lost: flag(&q.lost),
        pocket: flag(&q.pocket),
        arrears: flag(&q.arrears),
        left: flag(&q.left),
    })
}

/// 人员及党员名册 as a sheet, exactly as the list is filtered, in the people import's
/// columns (so it comes back in as the same records).
async fn roster_sheet(
    st: &AppState,
    actor: &zeren_app::Actor,
    q: &ApiPeopleQuery,
) -> Result<zeren_app::export::Exported, AppError> {
    let rq = roster_query(st, actor, q).await?;
    let filters = vec![
        crate::export::word("政治面貌", &q.status, |s| {
            party_status_label(s).to_string()
        }),
        crate::export::word("筛选", &q.lost, |_| "失联".to_string()),
        crate::export::word("筛选", &q.pocket, |_| "口袋党员".to_string()),
        crate::export::word("筛选", &q.arrears, |_| "欠缴党费".to_string()),
        crate::export::word("筛选", &q.left, |_| "已转出".to_string()),
        crate::export::word("姓名", &q.q, str::to_string),
    ];
    let scope = crate::export::scope_line(st, actor, &q.org, filters).await;
    st.app.export_people(actor, rq, scope).await
}

/// GET /people/export.xlsx
pub async fn export_page(
    State(st): State<AppState>,
    u: crate::session::PageUser,
    Query(q): Query<ApiPeopleQuery>,
) -> Response {
    match roster_sheet(&st, &u.actor, &q).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => crate::ctx::error_page(&u, &e),
    }
}

/// GET /api/v1/people/export.xlsx
pub async fn api_export(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ApiPeopleQuery>,
) -> Response {
    match roster_sheet(&st, &u.actor, &q).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_response(&e),
    }
}

/// GET /api/v1/people: the roster, with the list's filters.
pub async fn api_people(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ApiPeopleQuery>,
) -> Response {
    let rq = match roster_query(&st, &u.actor, &q).await {
        Ok(rq) => rq,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .roster(&u.actor, rq, Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

#[derive(Deserialize)]
pub struct TransferBody {
    direction: String,
    other_org: String,
    on_date: String,
    note: Option<String>,
}

/// POST /api/v1/people/{id}/transfers
pub async fn api_transfer(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<TransferBody>,
) -> Response {
    let input = TransferInput {
        direction: b.direction,
        other_org: b.other_org,
        on_date: b.on_date,
        note: b.note,
    };
    created(st.app.member_transfer(&u.actor, id, input).await)
}

#[derive(Deserialize)]
pub struct StageBody {
    to: String,
    on: String,
    born_on: Option<String>,
}

/// POST /api/v1/people/{id}/stage: one development step.
pub async fn api_stage(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<StageBody>,
) -> Response {
    let input = PromoteInput {
        to: b.to,
        on: b.on,
        born_on: b.born_on,
    };
    ok(st
        .app
        .member_promote(&u.actor, id, input)
        .await
        .map(|_| json!({ "ok": true })))
}

/// GET /api/v1/people/{id}/roster: stage, pipeline, transfers, dues.
pub async fn api_member(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.member(&u.actor, id).await.map(|m| {
        json!({
            "roster": m.roster,
            "pipeline": m.pipeline,
            "transfers": m.transfers,
            "payments": m.payments,
            "monthly_cents": m.monthly_cents,
            "arrears_months": m.arrears_months,
            "lost_long": m.lost_long,
        })
    }))
}

#[derive(Deserialize)]
pub struct ApiDuesQuery {
    org: Option<i64>,
    month: Option<String>,
}

/// GET /api/v1/dues?org=&month=: the month's sheet.
pub async fn api_dues_sheet(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ApiDuesQuery>,
) -> Response {
    let org = q
        .org
        .or_else(|| u.actor.home().map(|h| h.org_id))
        .unwrap_or(0);
    let month = q.month.unwrap_or_else(this_month);
    ok(st.app.dues_sheet(&u.actor, org, &month).await)
}

#[derive(Deserialize)]
pub struct DuesItemBody {
    person_id: i64,
    amount_cents: Option<i64>,
}

#[derive(Deserialize)]
pub struct DuesBody {
    org_id: i64,
    month: String,
    paid_on: Option<String>,
    items: Vec<DuesItemBody>,
}

/// POST /api/v1/dues: a month's payments for members of one org.
pub async fn api_dues(State(st): State<AppState>, u: ApiUser, Body(b): Body<DuesBody>) -> Response {
    let batch = DuesBatch {
        org_id: b.org_id,
        month: b.month,
        paid_on: b.paid_on,
        items: b
            .items
            .into_iter()
            .map(|i| DuesItem {
                person_id: i.person_id,
                amount_cents: i.amount_cents,
            })
            .collect(),
    };
    ok(st
        .app
        .dues_record(&u.actor, batch)
        .await
        .map(|n| json!({ "recorded": n })))
}
