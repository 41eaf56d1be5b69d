//! 问题整改 pages: the ledger, new problem, detail with measures and closing.
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::problem::{source_options, MeasureInput, ProblemDetail, ProblemInput};
use zeren_app::rows::{OrgRow, PersonRow, ProblemFilter, ProblemListRow, Sort};
use zeren_app::{clock, Paging};
use zeren_core::problem::ProblemAction;
use zeren_core::{Permission, ProblemSource, ProblemState, ValidationErrors};

use crate::ctx::{action_failed, due_class, error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, MultipartForm, Pager};
use crate::pages::home::{problem_state_label, source_label};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct ProblemQuery {
    pub org: Option<String>,
    pub state: Option<String>,
    pub source: Option<String>,
    pub overdue: Option<String>,
    pub q: Option<String>,
    pub person: Option<String>,
    pub review: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl ProblemQuery {
    pub fn filter(&self, org_path: Option<String>, review_path: Option<String>) -> ProblemFilter {
        ProblemFilter {
            org_path,
            states: self
                .state
                .iter()
                .filter(|s| ProblemState::parse(s).is_some())
                .cloned()
                .collect(),
            source: self
                .source
                .clone()
                .filter(|s| ProblemSource::parse(s).is_some()),
            overdue_on: self
                .overdue
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|_| clock::today_str()),
            q: nonempty(&self.q),
            person_id: opt_id(&self.person),
            issued_under: review_path,
            sort: Sort::parse(self.sort.as_deref().unwrap_or("")),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/problems",
            &[
                ("org", g(&self.org)),
                ("state", g(&self.state)),
                ("source", g(&self.source)),
                ("overdue", g(&self.overdue)),
                ("q", g(&self.q)),
                ("person", g(&self.person)),
                ("review", g(&self.review)),
                ("sort", g(&self.sort)),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "problems.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ProblemListRow>,
    pager: Pager,
    q: ProblemQuery,
    orgs: Vec<OrgRow>,
    sources: Vec<(&'static str, &'static str)>,
    states: Vec<(&'static str, &'static str)>,
    export_href: String,
    can_write: bool,
}

impl ListPage {
    fn due(&self, d: &str, s: &str) -> &'static str {
        due_class(d, s != "closed")
    }
    fn sl(&self, s: &str) -> &'static str {
        problem_state_label(s)
    }
    fn src(&self, s: &str) -> &'static str {
        source_label(s)
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
    /// The Word ledger of the same filtered list.
    fn ledger_href(&self) -> String {
        self.export_href
            .replacen("/problems/export.xlsx", "/problems/ledger.docx", 1)
    }
}

fn state_options() -> Vec<(&'static str, &'static str)> {
    ProblemState::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect()
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ProblemQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let page = match st
        .app
        .problems(&u.actor, q.filter(org_path, review), paging)
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let base = q.base();
    let export_href = base.replacen("/problems", "/problems/export.xlsx", 1);
    let ctx = PageCtx::new(&u, "problems", vec![("问题整改", None)]);
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let can_write = u.actor.has(Permission::WriteScope);
    render(
        &ListPage {
            ctx,
            rows: page.items,
            pager,
            q,
            orgs,
            sources: source_options(),
            states: state_options(),
            export_href,
            can_write,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize, Default)]
pub struct NewProblemForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub issuing_org_id: Option<String>,
    pub source: Option<String>,
    pub source_ref: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub department: Option<String>,
    pub leader_id: Option<String>,
    pub person_id: Option<String>,
    pub found_on: Option<String>,
    pub deadline: Option<String>,
    pub recurrence_of: Option<String>,
}

#[derive(Template)]
#[template(path = "problem_new.html")]
struct NewPage {
    ctx: PageCtx,
    orgs: Vec<OrgRow>,
    sources: Vec<(&'static str, &'static str)>,
    f: NewProblemForm,
    errors: ValidationErrors,
    today: String,
}

impl NewPage {
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn is(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn is_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

async fn new_form(
    st: &AppState,
    u: &PageUser,
    f: NewProblemForm,
    errors: ValidationErrors,
) -> Response {
    let orgs = st.app.org_tree(&u.actor, None, 3).await.unwrap_or_default();
    let ctx = PageCtx::new(
        u,
        "problems",
        vec![("问题整改", Some("/problems".into())), ("登记问题", None)],
    );
    let bad = !errors.is_empty();
    let mut r = render(
        &NewPage {
            ctx,
            orgs,
            sources: source_options(),
            f,
            errors,
            today: clock::today_str(),
        },
        false,
    );
    if bad {
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    r
}

pub async fn new_page(State(st): State<AppState>, u: PageUser) -> Response {
    new_form(&st, &u, NewProblemForm::default(), ValidationErrors::new()).await
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<NewProblemForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = ProblemInput {
        org_id: opt_id(&f.org_id).unwrap_or(0),
        issuing_org_id: opt_id(&f.issuing_org_id),
        source: f.source.clone().unwrap_or_default(),
        source_ref: f.source_ref.clone(),
        title: f.title.clone().unwrap_or_default(),
        description: f.description.clone().unwrap_or_default(),
        category: f.category.clone().unwrap_or_default(),
        leader_id: opt_id(&f.leader_id),
        department: f.department.clone(),
        person_id: opt_id(&f.person_id),
        found_on: f.found_on.clone().unwrap_or_default(),
        deadline: f.deadline.clone().unwrap_or_default(),
        recurrence_of: opt_id(&f.recurrence_of),
    };
    match st.app.problem_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/problems/{id}"), "问题已登记，请制定整改措施"),
        Err(zeren_app::AppError::Invalid(errors)) => new_form(&st, &u, f, errors).await,
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "problem_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: ProblemDetail,
    people: Vec<PersonRow>,
    /// Supervision notices that press on this problem's measures.
    notices: Vec<zeren_app::rows::NoticeListRow>,
}

impl DetailPage {
    fn sl(&self, s: &str) -> &'static str {
        problem_state_label(s)
    }
    fn src(&self, s: &str) -> &'static str {
        source_label(s)
    }
    fn due(&self, d: &str, open: bool) -> &'static str {
        due_class(d, open)
    }
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    fn open_measure(&self, s: &str) -> bool {
        s != "done"
    }
    fn is_open(&self) -> bool {
        self.d.row.state == "open"
    }
    fn pending(&self) -> bool {
        self.d.row.state == "pending_review"
    }
    fn closed(&self) -> bool {
        self.d.row.state == "closed"
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.problem_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let people = if d.can_write {
        st.app
            .people_of_org(&u.actor, d.row.org_id)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let title = d.problem.title.clone();
    let ctx = PageCtx::new(
        &u,
        "problems",
        vec![("问题整改", Some("/problems".into())), (&title, None)],
    );
    let mut notices: Vec<zeren_app::rows::NoticeListRow> = Vec::new();
    for (m, _) in &d.measures {
        for n in st
            .app
            .notices_of_item(&u.actor, "measure", m.id)
            .await
            .unwrap_or_default()
        {
            if !notices.iter().any(|x| x.id == n.id) {
                notices.push(n);
            }
        }
    }
    render(
        &DetailPage {
            ctx,
            d,
            people,
            notices,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize)]
pub struct MeasureForm {
    #[serde(default)]
    csrf: String,
    content: String,
    owner_id: Option<String>,
    deadline: String,
}

pub async fn add_measure(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<MeasureForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/problems/{id}");
    match st
        .app
        .measure_add(
            &u.actor,
            id,
            MeasureInput {
                content: f.content,
                owner_id: opt_id(&f.owner_id),
                deadline: f.deadline,
            },
        )
        .await
    {
        Ok(_) => redirect_with_flash(&back, "整改措施已添加"),
        Err(e) => action_failed(&back, &e),
    }
}

pub async fn complete_measure(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let form = match MultipartForm::read(mp).await {
        Ok(f) => f,
        Err(m) => return redirect_with_flash("/problems", &format!("错误：{m}")),
    };
    if let Err(r) = u.check_csrf(form.get("csrf")) {
        return r;
    }
    let back = match form.get("problem_id").parse::<i64>() {
        Ok(pid) => format!("/problems/{pid}"),
        Err(_) => "/problems".to_string(),
    };
    match st
        .app
        .measure_complete(&u.actor, id, form.get("note"), &form.files)
        .await
    {
        Ok(()) => redirect_with_flash(&back, "整改措施已完成"),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct TransitionForm {
    #[serde(default)]
    csrf: String,
    action: String,
    reason: Option<String>,
}

pub fn parse_action(s: &str) -> Option<ProblemAction> {
    match s {
        "request_close" => Some(ProblemAction::RequestClose),
        "approve_close" => Some(ProblemAction::ApproveClose),
        "reject_close" => Some(ProblemAction::RejectClose),
        "reopen" => Some(ProblemAction::Reopen),
        _ => None,
    }
}

pub async fn transition(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<TransitionForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/problems/{id}");
    let Some(action) = parse_action(&f.action) else {
        return action_failed(&back, &zeren_app::error::invalid("action", "未知操作"));
    };
    let msg = match action {
        ProblemAction::RequestClose => "已申请销号，等待审核",
        ProblemAction::ApproveClose => "已审核销号",
        ProblemAction::RejectClose => "已退回整改",
        ProblemAction::Reopen => "问题已重新打开",
    };
    match st
        .app
        .problem_transition(&u.actor, id, action, f.reason.as_deref().unwrap_or(""))
        .await
    {
        Ok(()) => redirect_with_flash(&back, msg),
        Err(e) => action_failed(&back, &e),
    }
}

/// Downloads an evidence file, within scope. Served as an attachment so that no
/// uploaded content is ever rendered by the browser as part of our origin.
pub async fn evidence(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.evidence_download(&u.actor, id).await {
        Ok((row, bytes)) => {
            let enc = percent_encoding::utf8_percent_encode(
                &row.filename,
                percent_encoding::NON_ALPHANUMERIC,
            )
            .to_string();
            (
                [
                    (header::CONTENT_TYPE, row.mime.clone()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename*=UTF-8''{enc}"),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(&u, &e),
    }
}
