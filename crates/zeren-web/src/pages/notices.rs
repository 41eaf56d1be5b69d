//! 督办单 pages: the list (received and issued), the issue form, the detail with the
//! answer form, and the printable notice.
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::accountability::action_label;
use zeren_app::notice::{item_kind_label, notice_state_label, NewNotice, NoticeDetail};
use zeren_app::rows::{
    AccountabilityFilter, AccountabilityRow, Direction, NoticeFilter, NoticeItemRow, NoticeListRow,
    OrgRow,
};
use zeren_app::{clock, App, Paging};
use zeren_core::ValidationErrors;

use crate::ctx::{action_failed, due_class, error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, MultipartForm, Pager};
use crate::pages::home::task_state_label;
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct NoticeQuery {
    /// `incoming` (from above) or `issued` (by the actor's orgs); empty: both.
    pub dir: Option<String>,
    pub state: Option<String>,
    pub org: Option<String>,
    pub overdue: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl NoticeQuery {
    pub fn filter(&self, org_path: Option<String>) -> NoticeFilter {
        NoticeFilter {
            direction: match self.dir.as_deref() {
                Some("incoming") => Direction::Incoming,
                Some("issued") => Direction::Issued,
                _ => Direction::All,
            },
            state: nonempty(&self.state).filter(|s| s == "open" || s == "answered"),
            org_path,
            overdue_on: nonempty(&self.overdue).map(|_| clock::today_str()),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/notices",
            &[
                ("dir", g(&self.dir)),
                ("state", g(&self.state)),
                ("org", g(&self.org)),
                ("overdue", g(&self.overdue)),
            ],
        )
    }
}

/// Item state in words, for tasks and measures alike.
pub fn item_state_label(kind: &str, state: &str) -> &'static str {
    match (kind, state) {
        ("measure", "done") => "已完成",
        ("measure", _) => "整改中",
        (_, s) => task_state_label(s),
    }
}

/// Tasks and measures both end in `done`.
fn item_open(_kind: &str, state: &str) -> bool {
    state != "done"
}

#[derive(Template)]
#[template(path = "notices.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<NoticeListRow>,
    pager: Pager,
    q: NoticeQuery,
    orgs: Vec<OrgRow>,
    can_issue: bool,
}

impl ListPage {
    fn sl(&self, s: &str) -> &'static str {
        notice_state_label(s)
    }
    fn due(&self, d: &str, s: &str) -> &'static str {
        due_class(d, s == "open")
    }
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref().unwrap_or("") == x
    }
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    /// The export of this list as filtered.
    fn export_href(&self) -> String {
        self.q
            .base()
            .replacen("/notices", "/notices/export.xlsx", 1)
    }
    fn tab(&self, dir: &str) -> String {
        let q = NoticeQuery {
            dir: Some(dir.to_string()).filter(|d| !d.is_empty()),
            page: None,
            ..self.q.clone()
        };
        q.base()
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let page = match st.app.notices(&u.actor, q.filter(org_path), paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let pager = Pager::new(&q.base(), page.total, page.page, page.per_page);
    let ctx = PageCtx::new(&u, "notices", vec![("督办单", None)]);
    render(
        &ListPage {
            ctx,
            rows: page.items,
            pager,
            q,
            orgs,
            can_issue: App::may_issue_notices(&u.actor),
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    pub org: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NewNoticeForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub answer_due: Option<String>,
    /// `task:12`, `measure:40`
    #[serde(default)]
    pub item: Vec<String>,
}

#[derive(Template)]
#[template(path = "notice_new.html")]
struct NewPage {
    ctx: PageCtx,
    targets: Vec<OrgRow>,
    org: Option<OrgRow>,
    candidates: Vec<NoticeItemRow>,
    f: NewNoticeForm,
    errors: ValidationErrors,
    default_due: String,
}

impl NewPage {
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn errs(&self, field: &str) -> Vec<String> {
        self.errors
            .errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect()
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn is_org(&self, id: &i64) -> bool {
        self.org.as_ref().is_some_and(|o| o.id == *id)
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
    fn key(&self, i: &NoticeItemRow) -> String {
        format!("{}:{}", i.item_type, i.item_id)
    }
    fn checked(&self, i: &NoticeItemRow) -> bool {
        self.f.item.contains(&self.key(i))
    }
    fn kl(&self, k: &str) -> &'static str {
        item_kind_label(k)
    }
    fn isl(&self, k: &str, s: &str) -> &'static str {
        item_state_label(k, s)
    }
    fn due(&self, d: &str, k: &str, s: &str) -> &'static str {
        due_class(d, item_open(k, s))
    }
    fn href(&self, i: &NoticeItemRow) -> String {
        item_href(i)
    }
}

pub fn item_href(i: &NoticeItemRow) -> String {
    match i.item_type.as_str() {
        "task" => format!("/tasks/{}", i.link_id),
        _ => format!("/problems/{}", i.link_id),
    }
}

async fn new_form(
    st: &AppState,
    u: &PageUser,
    org_id: Option<i64>,
    f: NewNoticeForm,
    errors: ValidationErrors,
) -> Response {
    let targets = st.app.notice_targets(&u.actor, 2).await.unwrap_or_default();
    let mut org = None;
    let mut candidates = Vec::new();
    if let Some(id) = org_id {
        match st.app.org_get(&u.actor, id).await {
            Ok(o) => {
                candidates = match st.app.notice_candidates(&u.actor, o.id).await {
                    Ok(c) => c,
                    Err(e) => return error_page(u, &e),
                };
                org = Some(o);
            }
            Err(e) if errors.is_empty() => return error_page(u, &e),
            Err(_) => {}
        }
    }
    let ctx = PageCtx::new(
        u,
        "notices",
        vec![("督办单", Some("/notices".into())), ("下发督办单", None)],
    );
    let bad = !errors.is_empty();
    let mut r = render(
        &NewPage {
            ctx,
            targets,
            org,
            candidates,
            f,
            errors,
            default_due: (clock::today() + chrono::Duration::days(7))
                .format("%Y-%m-%d")
                .to_string(),
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
    Query(q): Query<NewQuery>,
) -> Response {
    if !App::may_issue_notices(&u.actor) {
        return error_page(
            &u,
            &zeren_app::AppError::Forbidden("只有党办可以下发督办单".into()),
        );
    }
    new_form(
        &st,
        &u,
        opt_id(&q.org),
        NewNoticeForm::default(),
        ValidationErrors::new(),
    )
    .await
}

/// `task:12` → ("task", 12); anything else is kept as an unknown kind so that the use
/// case reports it.
pub fn parse_item(s: &str) -> (String, i64) {
    match s.split_once(':') {
        Some((k, id)) => (k.trim().to_string(), id.trim().parse().unwrap_or(0)),
        None => (s.trim().to_string(), 0),
    }
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<NewNoticeForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let org_id = opt_id(&f.org_id);
    let input = NewNotice {
        org_id: org_id.unwrap_or(0),
        title: f.title.clone().unwrap_or_default(),
        body: f.body.clone().unwrap_or_default(),
        answer_due: f.answer_due.clone().unwrap_or_default(),
        items: f.item.iter().map(|s| parse_item(s)).collect(),
    };
    match st.app.issue_notice(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/notices/{id}"), "督办单已下发"),
        Err(zeren_app::AppError::Invalid(errors)) => new_form(&st, &u, org_id, f, errors).await,
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "notice_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: NoticeDetail,
    records: Vec<AccountabilityRow>,
    can_record: bool,
}

impl DetailPage {
    fn sl(&self, s: &str) -> &'static str {
        notice_state_label(s)
    }
    fn kl(&self, k: &str) -> &'static str {
        item_kind_label(k)
    }
    fn isl(&self, k: &str, s: &str) -> &'static str {
        item_state_label(k, s)
    }
    fn due(&self, d: &str, open: bool) -> &'static str {
        due_class(d, open)
    }
    fn idue(&self, d: &str, k: &str, s: &str) -> &'static str {
        due_class(d, item_open(k, s))
    }
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    fn href(&self, i: &NoticeItemRow) -> String {
        item_href(i)
    }
    fn al(&self, a: &str) -> &'static str {
        action_label(a)
    }
    fn is_open(&self) -> bool {
        self.d.row.state == "open"
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.notice_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let records = st
        .app
        .accountability_list(
            &u.actor,
            AccountabilityFilter {
                notice_id: Some(id),
                ..Default::default()
            },
            Paging::new(Some(1), Some(100)),
        )
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let title = d.row.code.clone();
    let ctx = PageCtx::new(
        &u,
        "notices",
        vec![("督办单", Some("/notices".into())), (&title, None)],
    );
    render(
        &DetailPage {
            ctx,
            d,
            records,
            can_record: App::may_record_accountability(&u.actor),
        },
        u.flash.is_some(),
    )
}

pub async fn answer(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let back = format!("/notices/{id}");
    let form = match MultipartForm::read(mp).await {
        Ok(f) => f,
        Err(m) => return redirect_with_flash(&back, &format!("错误：{m}")),
    };
    if let Err(r) = u.check_csrf(form.get("csrf")) {
        return r;
    }
    match st
        .app
        .answer_notice(&u.actor, id, form.get("answer"), &form.files)
        .await
    {
        Ok(()) => redirect_with_flash(&back, "督办单已答复"),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Template)]
#[template(path = "notice_print.html")]
struct PrintPage {
    d: NoticeDetail,
}

impl PrintPage {
    fn kl(&self, k: &str) -> &'static str {
        item_kind_label(k)
    }
    fn isl(&self, k: &str, s: &str) -> &'static str {
        item_state_label(k, s)
    }
    fn issued_on(&self) -> String {
        chinese_date(&clock::fmt_instant(self.d.row.issued_at))
    }
    fn answered_on(&self) -> String {
        self.d
            .row
            .answered_at
            .map(|t| chinese_date(&clock::fmt_instant(t)))
            .unwrap_or_default()
    }
    fn due_cn(&self) -> String {
        chinese_date(&self.d.row.answer_due)
    }
}

/// `2026-06-30…` → `2026年6月30日`, the way official documents write dates.
fn chinese_date(s: &str) -> String {
    let mut it = s.get(..10).unwrap_or(s).split('-');
    match (it.next(), it.next(), it.next()) {
        (Some(y), Some(m), Some(d)) => format!(
            "{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        ),
        _ => s.to_string(),
    }
}

pub async fn print(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.notice_detail(&u.actor, id).await {
        Ok(d) => render(&PrintPage { d }, false),
        Err(e) => error_page(&u, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_documents() {
        assert_eq!(chinese_date("2026-06-05"), "2026年6月5日");
        assert_eq!(chinese_date("2026-12-31 09:30"), "2026年12月31日");
    }

    #[test]
    fn items_parse_from_checkbox_values() {
        assert_eq!(parse_item("task:12"), ("task".into(), 12));
        assert_eq!(parse_item("measure:x"), ("measure".into(), 0));
        assert_eq!(parse_item("bogus"), ("bogus".into(), 0));
    }
}
