//! 责任清单 pages: list, new, detail with decomposition, progress and review.
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::plan::{subject_label, PlanTemplate};
use zeren_app::rows::{OrgRow, PlanRow, Sort, TaskFilter, TaskListRow};
use zeren_app::task::{TaskDetail, TaskInput};
use zeren_app::{clock, Paging};
use zeren_core::{Permission, TaskState, ValidationErrors};

use crate::ctx::{action_failed, due_class, error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, MultipartForm, Pager};
use crate::pages::home::task_state_label;
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct TaskQuery {
    pub org: Option<String>,
    pub state: Option<String>,
    pub overdue: Option<String>,
    pub due: Option<String>,
    pub q: Option<String>,
    pub plan: Option<String>,
    pub review: Option<String>,
    pub mine: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl TaskQuery {
    /// The store filter these parameters ask for (org resolved by the caller).
    pub fn filter(
        &self,
        org_path: Option<String>,
        review_path: Option<String>,
        person: Option<i64>,
    ) -> TaskFilter {
        let today = clock::today();
        TaskFilter {
            org_path,
            states: self
                .state
                .iter()
                .filter(|s| TaskState::parse(s).is_some())
                .cloned()
                .collect(),
            overdue_on: self
                .overdue
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|_| today.to_string()),
            due_before: (self.due.as_deref() == Some("soon"))
                .then(|| (today + chrono::Duration::days(14)).to_string()),
            q: nonempty(&self.q),
            issued_under: review_path,
            person_id: person,
            plan_id: opt_id(&self.plan),
            sort: Sort::parse(self.sort.as_deref().unwrap_or("")),
            ..Default::default()
        }
    }
    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/tasks",
            &[
                ("org", g(&self.org)),
                ("state", g(&self.state)),
                ("overdue", g(&self.overdue)),
                ("due", g(&self.due)),
                ("q", g(&self.q)),
                ("plan", g(&self.plan)),
                ("review", g(&self.review)),
                ("mine", g(&self.mine)),
                ("sort", g(&self.sort)),
            ],
        )
    }
}

/// Resolves `org` to a path the actor may see; an unknown org filters to nothing.
pub async fn org_path_of(
    st: &AppState,
    u: &PageUser,
    org: &Option<String>,
) -> Result<Option<String>, zeren_app::AppError> {
    match opt_id(org) {
        Some(id) => Ok(Some(st.app.org_get(&u.actor, id).await?.path)),
        None => Ok(None),
    }
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<TaskListRow>,
    pager: Pager,
    q: TaskQuery,
    orgs: Vec<OrgRow>,
    plans: Vec<PlanRow>,
    templates: Vec<PlanTemplate>,
    states: Vec<(&'static str, &'static str)>,
    export_href: String,
    can_write: bool,
    home_org: i64,
    year: i32,
    roll: Option<zeren_app::recurring::PlanRollInfo>,
}

impl ListPage {
    fn due(&self, d: &str, s: &str) -> &'static str {
        due_class(d, s != "done")
    }
    fn sl(&self, s: &str) -> &'static str {
        task_state_label(s)
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
    fn subj(&self, s: &str) -> &'static str {
        subject_label(s)
    }
}

pub fn state_options() -> Vec<(&'static str, &'static str)> {
    TaskState::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .collect()
}

pub async fn list(State(st): State<AppState>, u: PageUser, Query(q): Query<TaskQuery>) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let person = q.mine.as_ref().and(u.actor.person_id);
    let f = q.filter(org_path, review, person);
    let page = match st.app.tasks(&u.actor, f, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let plans = st.app.plans(&u.actor).await.unwrap_or_default();
    let roll = crate::pages::recurring::roll_info(&st, &u, opt_id(&q.plan)).await;
    let base = q.base();
    let export_href = base.replacen("/tasks", "/tasks/export.xlsx", 1);
    let ctx = PageCtx::new(&u, "tasks", vec![("责任清单", None)]);
    let home_org = u.actor.home().map(|h| h.org_id).unwrap_or(0);
    let can_write = u.actor.has(Permission::WriteScope);
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    render(
        &ListPage {
            ctx,
            rows: page.items,
            pager,
            q,
            orgs,
            plans,
            templates: zeren_app::plan::templates(),
            states: state_options(),
            export_href,
            can_write,
            home_org,
            roll,
            year: clock::today()
                .format("%Y")
                .to_string()
                .parse()
                .unwrap_or(2026),
        },
        u.flash.is_some(),
    )
}

#[derive(Template)]
#[template(path = "task_new.html")]
struct NewPage {
    ctx: PageCtx,
    orgs: Vec<OrgRow>,
    f: NewTaskForm,
    errors: ValidationErrors,
}

impl NewPage {
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn is_org(&self, id: &i64) -> bool {
        self.f.org_id.as_deref() == Some(id.to_string().as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct NewTaskForm {
    pub csrf: Option<String>,
    pub org_id: Option<String>,
    pub category: Option<String>,
    pub subject: Option<String>,
    pub title: Option<String>,
    pub content: Option<String>,
    pub deadline: Option<String>,
}

pub async fn new_page(State(st): State<AppState>, u: PageUser) -> Response {
    let orgs = st.app.org_tree(&u.actor, None, 3).await.unwrap_or_default();
    let ctx = PageCtx::new(
        &u,
        "tasks",
        vec![("责任清单", Some("/tasks".into())), ("新建任务", None)],
    );
    render(
        &NewPage {
            ctx,
            orgs,
            f: NewTaskForm::default(),
            errors: ValidationErrors::new(),
        },
        false,
    )
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<NewTaskForm>,
) -> Response {
    if let Err(r) = u.check_csrf(f.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let input = TaskInput {
        org_id: opt_id(&f.org_id).unwrap_or(0),
        category: f.category.clone().unwrap_or_default(),
        subject: f.subject.clone().unwrap_or_default(),
        title: f.title.clone().unwrap_or_default(),
        content: f.content.clone().unwrap_or_default(),
        leader_id: None,
        person_id: None,
        deadline: f.deadline.clone().unwrap_or_default(),
    };
    match st.app.task_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/tasks/{id}"), "任务已创建"),
        Err(zeren_app::AppError::Invalid(errors)) => {
            let orgs = st.app.org_tree(&u.actor, None, 3).await.unwrap_or_default();
            let ctx = PageCtx::new(
                &u,
                "tasks",
                vec![("责任清单", Some("/tasks".into())), ("新建任务", None)],
            );
            let mut r = render(
                &NewPage {
                    ctx,
                    orgs,
                    f,
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

#[derive(Template)]
#[template(path = "task_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: TaskDetail,
    child_orgs: Vec<OrgRow>,
    rec: crate::pages::recurring::RecurringView,
    /// Supervision notices that press on this task.
    notices: Vec<zeren_app::rows::NoticeListRow>,
}

impl DetailPage {
    fn sl(&self, s: &str) -> &'static str {
        task_state_label(s)
    }
    fn due(&self, d: &str, s: &str) -> &'static str {
        due_class(d, s != "done")
    }
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    /// Days the task was finished after its deadline.
    fn late(&self) -> Option<i64> {
        clock::days_late(&self.d.row.deadline, self.d.row.completed_at)
    }
    fn subj(&self, s: &str) -> &'static str {
        subject_label(s)
    }
    fn pct_class(&self) -> String {
        format!("pct-{}", (self.d.rollup.percent_done() / 5) * 5)
    }
    fn kb(&self, n: &i64) -> String {
        format!("{:.1} KB", *n as f64 / 1024.0)
    }
    fn can_submit(&self) -> bool {
        self.d.can_write
            && matches!(
                self.d.row.state.as_str(),
                "not_started" | "in_progress" | "returned"
            )
    }
    fn can_review_now(&self) -> bool {
        self.d.can_review && self.d.row.state == "pending_review"
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.task_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let child_orgs = if d.can_decompose {
        let existing: Vec<i64> = d.children.iter().map(|c| c.org_id).collect();
        st.app
            .org_tree(&u.actor, Some(d.row.org_id), 2)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o.id != d.row.org_id && o.closed_at.is_none() && !existing.contains(&o.id))
            .collect()
    } else {
        Vec::new()
    };
    let title = d.task.title.clone();
    let ctx = PageCtx::new(
        &u,
        "tasks",
        vec![("责任清单", Some("/tasks".into())), (&title, None)],
    );
    let rec = crate::pages::recurring::RecurringView::load(&st, &u, id, d.can_decompose).await;
    let notices = st
        .app
        .notices_of_item(&u.actor, "task", id)
        .await
        .unwrap_or_default();
    render(
        &DetailPage {
            ctx,
            d,
            child_orgs,
            rec,
            notices,
        },
        u.flash.is_some(),
    )
}

pub async fn report(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let back = format!("/tasks/{id}");
    let form = match MultipartForm::read(mp).await {
        Ok(f) => f,
        Err(m) => return redirect_with_flash(&back, &format!("错误：{m}")),
    };
    if let Err(r) = u.check_csrf(form.get("csrf")) {
        return r;
    }
    let submit = form.get("submit") == "1";
    match st
        .app
        .task_report(&u.actor, id, form.get("body"), &form.files, submit)
        .await
    {
        Ok(()) => redirect_with_flash(
            &back,
            if submit {
                "已提交审核"
            } else {
                "进展已报告"
            },
        ),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    decision: String,
    reason: Option<String>,
}

pub async fn review(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/tasks/{id}");
    let approve = f.decision == "approve";
    match st
        .app
        .task_review(&u.actor, id, approve, f.reason.as_deref().unwrap_or(""))
        .await
    {
        Ok(()) => redirect_with_flash(&back, if approve { "审核通过" } else { "已退回" }),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct DecomposeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    org_ids: Vec<i64>,
    deadline: Option<String>,
    note: Option<String>,
}

pub async fn decompose(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DecomposeForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/tasks/{id}");
    match st
        .app
        .task_decompose(
            &u.actor,
            id,
            &f.org_ids,
            f.deadline.as_deref(),
            f.note.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(ids) => redirect_with_flash(&back, &format!("已分解下达至 {} 个组织", ids.len())),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    csrf: String,
    org_id: i64,
    year: i32,
    template: String,
}

pub async fn plan_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<PlanForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st
        .app
        .plan_create(&u.actor, f.org_id, f.year, &f.template)
        .await
    {
        Ok(pid) => redirect_with_flash(
            &format!("/tasks?plan={pid}"),
            "年度任务安排已生成，可逐项分解下达",
        ),
        Err(e) => action_failed("/tasks", &e),
    }
}

/// Orgs for a list's filter: the scope's roots and their direct children, plus the
/// org currently filtered on when it lies deeper (deeper orgs are reached from the
/// dashboard or the org pages, so the picker stays short at any tree size).
pub async fn filter_orgs(st: &AppState, u: &PageUser, selected: &Option<String>) -> Vec<OrgRow> {
    let mut orgs = st.app.org_tree(&u.actor, None, 1).await.unwrap_or_default();
    if let Some(id) = opt_id(selected) {
        if !orgs.iter().any(|o| o.id == id) {
            if let Ok(o) = st.app.org_get(&u.actor, id).await {
                orgs.push(o);
            }
        }
    }
    orgs
}
