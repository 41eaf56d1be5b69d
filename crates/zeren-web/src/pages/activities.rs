//! 组织生活 pages: the ledger of meetings and activities, the one-form record (new and
//! edit), the minutes-style detail, cancel, the Excel export, and the JSON API.
use std::collections::HashMap;

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum_extra::extract::Form;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;
use zeren_app::activity::{
    attendance_label, grade_label, kind_label, kind_options, state_label, ActivityDetail,
    ActivityInput, AgendaInput, AttendeeInput, GRADES,
};
use zeren_app::evidence::Upload;
use zeren_app::rows::{ActivityFilter, ActivityListRow, CandidateRow, OrgRow};
use zeren_app::{clock, AppError, Paging};
use zeren_core::activity::ActivityKind;
use zeren_core::{Permission, ValidationErrors};

use crate::api::{created, decode_files, error_response, ok, org_path, Body, FileBody};
use crate::ctx::{action_failed, error_page, render, PageCtx};
use crate::form::{nonempty, opt_id, query_string, MultipartForm, Pager};
use crate::pages::tasks::{filter_orgs, org_path_of};
use crate::session::{redirect_with_flash, ApiUser, PageUser};
use crate::AppState;

/// Rows per export, as for the other ledgers.

#[derive(Deserialize, Default, Clone)]
pub struct ActivityQuery {
    pub org: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub year: Option<String>,
    pub month: Option<String>,
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl ActivityQuery {
    /// The held-on range of a year, or of one month of it (the current year when only
    /// a month is chosen).
    fn range(&self) -> (Option<String>, Option<String>) {
        let year: Option<i32> = nonempty(&self.year).and_then(|y| y.parse().ok());
        let month: Option<u32> = nonempty(&self.month)
            .and_then(|m| m.parse().ok())
            .filter(|m| (1..=12).contains(m));
        match (year, month) {
            (None, None) => (None, None),
            (y, Some(m)) => {
                let y = y.unwrap_or_else(|| clock::today().year());
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                (
                    Some(format!("{y:04}-{m:02}-01")),
                    Some(format!("{ny:04}-{nm:02}-01")),
                )
            }
            (Some(y), None) => (
                Some(format!("{y:04}-01-01")),
                Some(format!("{:04}-01-01", y + 1)),
            ),
        }
    }

    pub fn filter(&self, org_path: Option<String>) -> ActivityFilter {
        let (from, to) = self.range();
        ActivityFilter {
            org_path,
            kind: nonempty(&self.kind).filter(|k| ActivityKind::parse(k).is_some()),
            state: nonempty(&self.state)
                .filter(|s| matches!(s.as_str(), "held" | "planned" | "cancelled")),
            from,
            to,
            q: nonempty(&self.q),
            ..Default::default()
        }
    }

    fn base(&self) -> String {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        query_string(
            "/activities",
            &[
                ("org", g(&self.org)),
                ("kind", g(&self.kind)),
                ("state", g(&self.state)),
                ("year", g(&self.year)),
                ("month", g(&self.month)),
                ("q", g(&self.q)),
            ],
        )
    }
}

/// "2026-03-05 09:00-10:30", or the planned day for a plan.
fn when(
    held_on: &Option<String>,
    planned_on: &Option<String>,
    s: &Option<String>,
    e: &Option<String>,
) -> String {
    let day = held_on.as_deref().or(planned_on.as_deref()).unwrap_or("");
    match (s, e) {
        (Some(s), Some(e)) => format!("{day} {s}-{e}"),
        (Some(s), None) => format!("{day} {s}"),
        _ => day.to_string(),
    }
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ActivityListRow>,
    pager: Pager,
    q: ActivityQuery,
    orgs: Vec<OrgRow>,
    kinds: Vec<(&'static str, &'static str)>,
    years: Vec<i32>,
    export_href: String,
    can_write: bool,
}

impl ListPage {
    fn kl(&self, k: &str) -> &'static str {
        kind_label(k)
    }
    fn sl(&self, s: &str) -> &'static str {
        state_label(s)
    }
    fn sel(&self, v: &Option<String>, x: &str) -> bool {
        v.as_deref() == Some(x)
    }
    fn sel_num(&self, v: &Option<String>, x: &i32) -> bool {
        v.as_deref() == Some(x.to_string().as_str())
    }
    fn sel_id(&self, v: &Option<String>, id: &i64) -> bool {
        v.as_deref() == Some(id.to_string().as_str())
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn day(&self, r: &ActivityListRow) -> String {
        r.held_on
            .clone()
            .or_else(|| r.planned_on.clone())
            .unwrap_or_default()
    }
}

fn years() -> Vec<i32> {
    let y = clock::today().year();
    (0..6).map(|i| y - i).collect()
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ActivityQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    let org_path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let page = match st
        .app
        .activities(&u.actor, q.filter(org_path), paging)
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = filter_orgs(&st, &u, &q.org).await;
    let base = q.base();
    let export_href = base.replacen("/activities", "/activities/export.xlsx", 1);
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let ctx = PageCtx::new(&u, "activities", vec![("组织生活", None)]);
    render(
        &ListPage {
            ctx,
            rows: page.items,
            pager,
            q,
            orgs,
            kinds: kind_options(),
            years: years(),
            export_href,
            can_write: u.actor.has(Permission::WriteScope),
        },
        u.flash.is_some(),
    )
}

// ---- the record form (new and edit) ----

/// One person on the form's checklist.
struct PersonLine {
    id: i64,
    name: String,
    position: &'static str,
}

#[derive(Template)]
#[template(path = "activity_new.html")]
struct FormPage {
    ctx: PageCtx,
    /// Some(id) when editing.
    edit_id: Option<i64>,
    action: String,
    orgs: Vec<OrgRow>,
    org: OrgRow,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    people: Vec<PersonLine>,
    /// Host and recorder choices: the org's people, and a stored one who left it.
    hosts: Vec<(i64, String)>,
    agenda_rows: Vec<usize>,
    grades: [(&'static str, &'static str); 4],
    f: HashMap<String, String>,
    errors: ValidationErrors,
    today: String,
}

impl FormPage {
    fn v(&self, k: &str) -> &str {
        self.f.get(k).map(String::as_str).unwrap_or("")
    }
    fn pv(&self, prefix: &str, id: &i64) -> &str {
        self.v(&format!("{prefix}{id}"))
    }
    fn present(&self, id: &i64) -> bool {
        !self.pv("present_", id).is_empty()
    }
    fn away_is(&self, id: &i64, x: &str) -> bool {
        let v = self.pv("away_", id);
        v == x || (v.is_empty() && x == "leave")
    }
    fn is(&self, k: &str, x: &str) -> bool {
        self.v(k) == x
    }
    fn is_id(&self, k: &str, id: &i64) -> bool {
        self.v(k) == id.to_string()
    }
    fn checked(&self, k: &str) -> bool {
        !self.v(k).is_empty()
    }
    fn agenda(&self, i: &usize) -> &str {
        self.v(&format!("agenda_{i}"))
    }
    fn first(&self, i: &usize) -> bool {
        self.checked(&format!("first_{i}"))
    }
    fn err(&self, field: &str) -> String {
        self.errors.for_field(field).unwrap_or("").to_string()
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn kl(&self) -> &'static str {
        kind_label(&self.kind)
    }
    fn is_committee(&self) -> bool {
        self.kind == ActivityKind::CommitteeMeeting.as_str()
    }
    fn is_appraisal(&self) -> bool {
        self.kind == ActivityKind::MemberAppraisal.as_str()
    }
    fn has_hours(&self) -> bool {
        self.kind == ActivityKind::Training.as_str()
            || self.kind == ActivityKind::Volunteer.as_str()
    }
    fn is_research(&self) -> bool {
        self.kind == ActivityKind::Research.as_str()
    }
    fn is_volunteer(&self) -> bool {
        self.kind == ActivityKind::Volunteer.as_str()
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    pub org: Option<String>,
    pub kind: Option<String>,
}

/// The kind a form opens with: the one asked for, else the regular meeting of the
/// org's kind.
fn default_kind(asked: &Option<String>, org: &OrgRow) -> String {
    match nonempty(asked).filter(|k| ActivityKind::parse(k).is_some()) {
        Some(k) => k,
        None => match org.kind.as_str() {
            "committee" | "commission" => ActivityKind::CommitteeMeeting.as_str().into(),
            "group" => ActivityKind::GroupMeeting.as_str().into(),
            _ => ActivityKind::BranchCommittee.as_str().into(),
        },
    }
}

/// Orgs the actor may record for, in tree order.
async fn writable_orgs(st: &AppState, u: &PageUser) -> Vec<OrgRow> {
    st.app
        .org_tree(&u.actor, None, 4)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o.kind != "group" && u.actor.can_at(Permission::WriteScope, &o.path))
        .collect()
}

fn position_label(p: &Option<String>) -> &'static str {
    match p.as_deref() {
        Some(k) => zeren_app::person::position_label(k),
        None => "",
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    st: &AppState,
    u: &PageUser,
    edit: Option<(i64, &ActivityDetail)>,
    org_id: i64,
    kind: String,
    mut f: HashMap<String, String>,
    errors: ValidationErrors,
    fresh: bool,
) -> Response {
    let setup = match st.app.activity_setup(&u.actor, org_id).await {
        Ok(s) => s,
        Err(e) => return error_page(u, &e),
    };
    let mut people: Vec<PersonLine> = setup
        .candidates
        .iter()
        .map(|c: &CandidateRow| PersonLine {
            id: c.id,
            name: c.name.clone(),
            position: position_label(&c.position),
        })
        .collect();
    let mut hosts: Vec<(i64, String)> = setup
        .candidates
        .iter()
        .map(|c| (c.id, c.name.clone()))
        .collect();
    if let Some((_, d)) = edit {
        // people on the record who are no longer in the org stay on its list
        for p in &d.people {
            if !people.iter().any(|x| x.id == p.person_id) {
                people.push(PersonLine {
                    id: p.person_id,
                    name: p.name.clone(),
                    position: "",
                });
            }
        }
        for (id, name) in [
            (d.row.host_id, &d.list.host_name),
            (d.row.recorder_id, &d.list.recorder_name),
        ] {
            if let (Some(id), Some(name)) = (id, name) {
                if !hosts.iter().any(|h| h.0 == id) {
                    hosts.push((id, name.clone()));
                }
            }
        }
    }
    if fresh {
        // everyone due and present, today, the usual host and recorder: the secretary
        // unticks who was away and the record is done
        f.entry("held_on".into()).or_insert_with(clock::today_str);
        if let Some(h) = setup.host_id {
            f.entry("host_id".into()).or_insert(h.to_string());
        }
        if let Some(r) = setup.recorder_id {
            f.entry("recorder_id".into()).or_insert(r.to_string());
        }
        for p in &people {
            f.entry(format!("present_{}", p.id)).or_insert("1".into());
        }
    }
    let n_agenda = (1..=40)
        .filter(|i| f.contains_key(&format!("agenda_{i}")))
        .max()
        .unwrap_or(0);
    let agenda_rows: Vec<usize> = (1..=(n_agenda + 2).max(5)).collect();
    let (edit_id, action, crumb) = match edit {
        Some((id, _)) => (
            Some(id),
            format!("/activities/{id}/edit"),
            "修改组织生活记录",
        ),
        None => (None, "/activities/new".to_string(), "登记组织生活"),
    };
    let ctx = PageCtx::new(
        u,
        "activities",
        vec![("组织生活", Some("/activities".into())), (crumb, None)],
    );
    let bad = !errors.is_empty();
    let mut r = render(
        &FormPage {
            ctx,
            edit_id,
            action,
            orgs: writable_orgs(st, u).await,
            org: setup.org,
            kind,
            kinds: kind_options(),
            people,
            hosts,
            agenda_rows,
            grades: GRADES,
            f,
            errors,
            today: clock::today_str(),
        },
        false,
    );
    if bad {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    r
}

pub async fn new_page(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<NewQuery>,
) -> Response {
    let org_id = match opt_id(&q.org) {
        Some(id) => id,
        // the first org the actor records for: a secretary's own branch
        None => match writable_orgs(&st, &u).await.first() {
            Some(o) => o.id,
            None => {
                return error_page(
                    &u,
                    &AppError::Forbidden("只有书记或党务工作人员可以登记组织生活".into()),
                )
            }
        },
    };
    let org = match st.app.org_get(&u.actor, org_id).await {
        Ok(o) => o,
        Err(e) => return error_page(&u, &e),
    };
    let kind = default_kind(&q.kind, &org);
    form_page(
        &st,
        &u,
        None,
        org.id,
        kind,
        HashMap::new(),
        ValidationErrors::new(),
        true,
    )
    .await
}

/// The form as posted: multipart (with attachments) from the page, or url-encoded.
async fn read_form(req: Request) -> Result<MultipartForm, String> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| format!("上传数据无效：{e}"))?;
        MultipartForm::read(mp).await
    } else {
        let Form(fields) = Form::<HashMap<String, String>>::from_request(req, &())
            .await
            .map_err(|e| format!("表单无效：{e}"))?;
        Ok(MultipartForm {
            fields,
            files: Vec::new(),
        })
    }
}

fn num(f: &HashMap<String, String>, k: &str) -> Option<i64> {
    f.get(k).and_then(|v| v.trim().parse().ok())
}

fn text(f: &HashMap<String, String>, k: &str) -> Option<String> {
    f.get(k).cloned()
}

/// The form's fields as the use case's input.
fn input_of(f: &HashMap<String, String>, files: Vec<Upload>) -> ActivityInput {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let mut due: Vec<i64> = f
        .keys()
        .filter_map(|k| k.strip_prefix("due_"))
        .filter_map(|id| id.parse().ok())
        .collect();
    due.sort_unstable();
    let mut attendees = Vec::new();
    for id in due {
        let present = !get(&format!("present_{id}")).is_empty();
        let attendance = if present {
            "present".to_string()
        } else {
            match get(&format!("away_{id}")) {
                // 不应到: not on this activity's list at all
                "none" => continue,
                "" => "leave".to_string(),
                other => other.to_string(),
            }
        };
        attendees.push(AttendeeInput {
            person_id: id,
            attendance,
            grade: text(f, &format!("grade_{id}")),
            hours: text(f, &format!("hours_{id}")),
            note: None,
        });
    }
    let agenda = (1..=40)
        .filter_map(|i| {
            f.get(&format!("agenda_{i}")).map(|t| AgendaInput {
                title: t.clone(),
                first_topic: !get(&format!("first_{i}")).is_empty(),
            })
        })
        .collect();
    let problem_ids = get("problem_ids")
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    ActivityInput {
        org_id: num(f, "org_id").unwrap_or(0),
        kind: get("kind").to_string(),
        state: get("state").to_string(),
        title: text(f, "title"),
        planned_on: text(f, "planned_on"),
        held_on: text(f, "held_on"),
        start_time: text(f, "start_time"),
        end_time: text(f, "end_time"),
        place: text(f, "place"),
        host_id: opt_id(&text(f, "host_id")),
        recorder_id: opt_id(&text(f, "recorder_id")),
        expected_count: num(f, "expected_count"),
        present_count: num(f, "present_count"),
        leave_count: num(f, "leave_count"),
        observers: text(f, "observers"),
        topic: text(f, "topic"),
        content: text(f, "content"),
        decisions: text(f, "decisions"),
        attendees,
        agenda,
        problem_ids,
        new_problems: get("new_problems").lines().map(str::to_string).collect(),
        problem_deadline: text(f, "problem_deadline"),
        opinions: text(f, "opinions"),
        outcomes: text(f, "outcomes"),
        matters: text(f, "matters"),
        files,
    }
}

pub async fn create(State(st): State<AppState>, u: PageUser, req: Request) -> Response {
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(m) => return redirect_with_flash("/activities/new", &format!("错误：{m}")),
    };
    if let Err(r) = u.check_csrf(form.get("csrf")) {
        return r;
    }
    let input = input_of(&form.fields, form.files);
    let org_id = input.org_id;
    let kind = input.kind.clone();
    match st.app.activity_create(&u.actor, input).await {
        Ok(id) => redirect_with_flash(&format!("/activities/{id}"), "组织生活记录已登记"),
        Err(AppError::Invalid(errors)) if org_id > 0 => {
            form_page(&st, &u, None, org_id, kind, form.fields, errors, false).await
        }
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "activity_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: ActivityDetail,
    when: String,
}

impl DetailPage {
    fn kl(&self) -> &'static str {
        kind_label(&self.d.row.kind)
    }
    fn sl(&self) -> &'static str {
        state_label(&self.d.row.state)
    }
    fn al(&self, s: &str) -> &'static str {
        attendance_label(s)
    }
    fn gl(&self, s: &str) -> &'static str {
        grade_label(s)
    }
    fn names(&self, attendance: &str) -> String {
        self.d
            .people
            .iter()
            .filter(|p| p.attendance == attendance)
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
    fn absent_count(&self) -> i64 {
        (self.d.row.expected_count - self.d.row.present_count - self.d.row.leave_count).max(0)
    }
    fn has_extras(&self) -> bool {
        self.d
            .people
            .iter()
            .any(|p| p.grade.is_some() || p.minutes.is_some())
    }
    fn hours(&self, m: &Option<i64>) -> String {
        match m {
            Some(m) if m % 60 == 0 => format!("{}", m / 60),
            Some(m) => format!("{:.1}", *m as f64 / 60.0),
            None => String::new(),
        }
    }
    fn at(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    fn open(&self) -> bool {
        self.d.row.state != "cancelled"
    }
    fn pl(&self, s: &str) -> &'static str {
        crate::pages::home::problem_state_label(s)
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let d = match st.app.activity_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    let title = d.row.title.clone();
    let ctx = PageCtx::new(
        &u,
        "activities",
        vec![("组织生活", Some("/activities".into())), (&title, None)],
    );
    let when = when(
        &d.row.held_on,
        &d.row.planned_on,
        &d.row.start_time,
        &d.row.end_time,
    );
    render(&DetailPage { ctx, d, when }, u.flash.is_some())
}

/// A stored record as the form's fields.
fn fields_of(d: &ActivityDetail) -> HashMap<String, String> {
    let mut f = HashMap::new();
    let r = &d.row;
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k.to_string(), v);
        }
    };
    put("kind", Some(r.kind.clone()));
    put("state", Some(r.state.clone()));
    put("title", Some(r.title.clone()));
    put("planned_on", r.planned_on.clone());
    put("held_on", r.held_on.clone());
    put("start_time", r.start_time.clone());
    put("end_time", r.end_time.clone());
    put("place", r.place.clone());
    put("host_id", r.host_id.map(|i| i.to_string()));
    put("recorder_id", r.recorder_id.map(|i| i.to_string()));
    put("observers", r.observers.clone());
    put("topic", r.topic.clone());
    put("content", r.content.clone());
    put("decisions", r.decisions.clone());
    put("opinions", r.opinions.clone());
    put("outcomes", r.outcomes.clone());
    put("matters", r.matters.clone());
    if d.people.is_empty() {
        put("expected_count", Some(r.expected_count.to_string()));
        put("present_count", Some(r.present_count.to_string()));
        put("leave_count", Some(r.leave_count.to_string()));
    }
    let ids: Vec<String> = d.problems.iter().map(|p| p.id.to_string()).collect();
    put("problem_ids", Some(ids.join(" ")));
    for p in &d.people {
        let id = p.person_id;
        if p.attendance == "present" {
            put(&format!("present_{id}"), Some("1".into()));
        } else {
            put(&format!("away_{id}"), Some(p.attendance.clone()));
        }
        put(&format!("grade_{id}"), p.grade.clone());
        put(
            &format!("hours_{id}"),
            p.minutes.map(|m| {
                if m % 60 == 0 {
                    (m / 60).to_string()
                } else {
                    format!("{:.1}", m as f64 / 60.0)
                }
            }),
        );
    }
    for a in &d.agenda {
        put(&format!("agenda_{}", a.seq), Some(a.title.clone()));
        if a.first_topic == 1 {
            put(&format!("first_{}", a.seq), Some("1".into()));
        }
    }
    f
}

pub async fn edit_page(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> Response {
    let d = match st.app.activity_detail(&u.actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&u, &e),
    };
    if !d.can_write || d.row.state == "cancelled" {
        return error_page(
            &u,
            &AppError::Forbidden("只有本组织的书记或党务工作人员可以修改未取消的记录".into()),
        );
    }
    let mut f = fields_of(&d);
    // people of the org who are not on the record are listed as 不应到
    if let Ok(setup) = st.app.activity_setup(&u.actor, d.row.org_id).await {
        for c in setup.candidates {
            if !d.people.iter().any(|p| p.person_id == c.id) && !d.people.is_empty() {
                f.insert(format!("away_{}", c.id), "none".into());
            }
        }
    }
    if d.people.is_empty() {
        // a record kept by numbers only: keep it so unless names are ticked
        if let Ok(setup) = st.app.activity_setup(&u.actor, d.row.org_id).await {
            for c in setup.candidates {
                f.insert(format!("away_{}", c.id), "none".into());
            }
        }
    }
    let kind = nonempty(&q.kind)
        .filter(|k| ActivityKind::parse(k).is_some())
        .unwrap_or_else(|| d.row.kind.clone());
    f.insert("kind".into(), kind.clone());
    let org_id = d.row.org_id;
    form_page(
        &st,
        &u,
        Some((id, &d)),
        org_id,
        kind,
        f,
        ValidationErrors::new(),
        false,
    )
    .await
}

pub async fn update(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let back = format!("/activities/{id}");
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(m) => return redirect_with_flash(&back, &format!("错误：{m}")),
    };
    if let Err(r) = u.check_csrf(form.get("csrf")) {
        return r;
    }
    let input = input_of(&form.fields, form.files);
    let kind = input.kind.clone();
    match st.app.activity_update(&u.actor, id, input).await {
        Ok(()) => redirect_with_flash(&back, "组织生活记录已修改"),
        Err(AppError::Invalid(errors)) => {
            let d = match st.app.activity_detail(&u.actor, id).await {
                Ok(d) => d,
                Err(e) => return error_page(&u, &e),
            };
            let org_id = d.row.org_id;
            form_page(
                &st,
                &u,
                Some((id, &d)),
                org_id,
                kind,
                form.fields,
                errors,
                false,
            )
            .await
        }
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

pub async fn cancel(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CancelForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/activities/{id}");
    match st.app.activity_cancel(&u.actor, id, &f.reason).await {
        Ok(()) => redirect_with_flash(&back, "记录已取消"),
        Err(e) => action_failed(&back, &e),
    }
}

// ---- /api/v1/activities ----

pub async fn api_list(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ActivityQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .activities(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

pub async fn api_detail(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.activity_detail(&u.actor, id).await.map(|d| {
        json!({
            "activity": d.row,
            "org_name": d.list.org_name,
            "host_name": d.list.host_name,
            "recorder_name": d.list.recorder_name,
            "people": d.people,
            "agenda": d.agenda,
            "problems": d.problems,
            "evidence": d.evidence,
            "history": d.history,
            "can_write": d.can_write,
        })
    }))
}

#[derive(Deserialize, Default)]
pub struct AttendeeBody {
    person_id: i64,
    #[serde(default)]
    attendance: String,
    grade: Option<String>,
    hours: Option<f64>,
    note: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AgendaBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    first_topic: bool,
}

#[derive(Deserialize, Default)]
pub struct ActivityBody {
    #[serde(default)]
    org_id: i64,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    state: String,
    title: Option<String>,
    planned_on: Option<String>,
    held_on: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    place: Option<String>,
    host_id: Option<i64>,
    recorder_id: Option<i64>,
    expected_count: Option<i64>,
    present_count: Option<i64>,
    leave_count: Option<i64>,
    observers: Option<String>,
    topic: Option<String>,
    content: Option<String>,
    decisions: Option<String>,
    #[serde(default)]
    attendees: Vec<AttendeeBody>,
    #[serde(default)]
    agenda: Vec<AgendaBody>,
    #[serde(default)]
    problem_ids: Vec<i64>,
    #[serde(default)]
    new_problems: Vec<String>,
    problem_deadline: Option<String>,
    opinions: Option<String>,
    outcomes: Option<String>,
    matters: Option<String>,
    #[serde(default)]
    files: Vec<FileBody>,
}

pub async fn api_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<ActivityBody>,
) -> Response {
    let files = match decode_files(b.files) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    let input = ActivityInput {
        org_id: b.org_id,
        kind: b.kind,
        state: b.state,
        title: b.title,
        planned_on: b.planned_on,
        held_on: b.held_on,
        start_time: b.start_time,
        end_time: b.end_time,
        place: b.place,
        host_id: b.host_id,
        recorder_id: b.recorder_id,
        expected_count: b.expected_count,
        present_count: b.present_count,
        leave_count: b.leave_count,
        observers: b.observers,
        topic: b.topic,
        content: b.content,
        decisions: b.decisions,
        attendees: b
            .attendees
            .into_iter()
            .map(|a| AttendeeInput {
                person_id: a.person_id,
                attendance: a.attendance,
                grade: a.grade,
                hours: a.hours.map(|h| h.to_string()),
                note: a.note,
            })
            .collect(),
        agenda: b
            .agenda
            .into_iter()
            .map(|a| AgendaInput {
                title: a.title,
                first_topic: a.first_topic,
            })
            .collect(),
        problem_ids: b.problem_ids,
        new_problems: b.new_problems,
        problem_deadline: b.problem_deadline,
        opinions: b.opinions,
        outcomes: b.outcomes,
        matters: b.matters,
        files,
    };
    created(st.app.activity_create(&u.actor, input).await)
}
