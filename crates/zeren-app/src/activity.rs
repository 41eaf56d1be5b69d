//! Activity records (组织生活记录): a branch records a meeting once — who was due,
//! present and on leave, what was discussed and decided — and the rules, the
//! dashboard and the annual report count from that one record.
use chrono::NaiveDate;
use zeren_core::activity::ActivityKind;
use zeren_core::validate;
use zeren_core::{Permission, ProblemSource, ProblemState, ValidationErrors};
use zeren_store::activity::{
    self, ActivityFilter, ActivityListRow, ActivityRow, AgendaRow, AttendeeRow, CandidateRow,
    LinkedProblemRow,
};
use zeren_store::evidence::{self, EvidenceRow};
use zeren_store::history::{self, HistoryRow};
use zeren_store::org::OrgRow;
use zeren_store::problem::{self, ProblemRow};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::evidence::Upload;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// 民主评议党员 grades, as stored and as shown.
pub const GRADES: [(&str, &str); 4] = [
    ("excellent", "优秀"),
    ("qualified", "合格"),
    ("basic", "基本合格"),
    ("unqualified", "不合格"),
];

pub const ATTENDANCE: [(&str, &str); 3] =
    [("present", "出席"), ("leave", "请假"), ("absent", "缺席")];

pub const STATES: [(&str, &str); 3] = [
    ("held", "已召开"),
    ("planned", "计划召开"),
    ("cancelled", "已取消"),
];

pub fn grade_label(s: &str) -> &'static str {
    label_of(&GRADES, s)
}
pub fn attendance_label(s: &str) -> &'static str {
    label_of(&ATTENDANCE, s)
}
pub fn state_label(s: &str) -> &'static str {
    label_of(&STATES, s)
}
pub fn kind_label(s: &str) -> &'static str {
    ActivityKind::parse(s).map(|k| k.label()).unwrap_or("")
}
fn label_of(table: &[(&'static str, &'static str)], s: &str) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn kind_options() -> Vec<(&'static str, &'static str)> {
    ActivityKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

/// One person on the list as entered.
#[derive(Debug, Clone, Default)]
pub struct AttendeeInput {
    pub person_id: i64,
    /// present | leave | absent
    pub attendance: String,
    /// 民主评议党员 only
    pub grade: Option<String>,
    /// 培训 / 志愿服务: hours, as typed (e.g. "1.5")
    pub hours: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AgendaInput {
    pub title: String,
    /// 第一议题: study of the latest central instructions
    pub first_topic: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ActivityInput {
    /// Ignored on update: a record stays with its org.
    pub org_id: i64,
    pub kind: String,
    /// held (default) | planned
    pub state: String,
    pub title: Option<String>,
    pub planned_on: Option<String>,
    pub held_on: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    pub host_id: Option<i64>,
    pub recorder_id: Option<i64>,
    /// Used only when no names are given; with names the counts are derived.
    pub expected_count: Option<i64>,
    pub present_count: Option<i64>,
    pub leave_count: Option<i64>,
    pub observers: Option<String>,
    pub topic: Option<String>,
    pub content: Option<String>,
    pub decisions: Option<String>,
    pub attendees: Vec<AttendeeInput>,
    pub agenda: Vec<AgendaInput>,
    /// 调研: problems already in the ledger that this activity found.
    pub problem_ids: Vec<i64>,
    /// 调研: new problems found, one title each, entered into the problem ledger.
    pub new_problems: Vec<String>,
    /// Rectification deadline of the new problems.
    pub problem_deadline: Option<String>,
    pub opinions: Option<String>,
    pub outcomes: Option<String>,
    pub matters: Option<String>,
    pub files: Vec<Upload>,
}

pub struct ActivityDetail {
    pub row: ActivityRow,
    pub list: ActivityListRow,
    pub people: Vec<AttendeeRow>,
    pub agenda: Vec<AgendaRow>,
    pub problems: Vec<LinkedProblemRow>,
    pub evidence: Vec<EvidenceRow>,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
}

/// What the recording form needs for one org: who is due, and who normally hosts and
/// records (the secretary and the organising member, when known).
pub struct ActivitySetup {
    pub org: OrgRow,
    pub candidates: Vec<CandidateRow>,
    pub host_id: Option<i64>,
    pub recorder_id: Option<i64>,
}

/// Largest list of people an activity holds.
const MAX_PEOPLE: i64 = 500;

/// Everything checked and derived, ready to write.
pub(crate) struct Checked {
    pub(crate) row: ActivityRow,
    people: Vec<AttendeeRow>,
    pub(crate) agenda: Vec<AgendaRow>,
    problem_ids: Vec<i64>,
    new_problems: Vec<String>,
    problem_deadline: String,
}

fn hhmm(errs: &mut ValidationErrors, field: &str, label: &str, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match chrono::NaiveTime::parse_from_str(v, "%H:%M") {
        Ok(t) => Some(t.format("%H:%M").to_string()),
        Err(_) => {
            errs.add(field, format!("{label}格式应为 时:分，例如 09:30"));
            None
        }
    }
}

fn opt(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    max: usize,
) -> Option<String> {
    validate::opt_text(errs, field, label, v.as_deref(), max)
}

/// Hours as typed → minutes.
fn minutes_of(errs: &mut ValidationErrors, field: &str, v: Option<&str>) -> Option<i64> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match v.parse::<f64>() {
        Ok(h) if h > 0.0 && h <= 1000.0 => Some((h * 60.0).round() as i64),
        _ => {
            errs.add(field, format!("学时“{v}”应为大于0、不超过1000的小时数"));
            None
        }
    }
}

/// Field checks that need no database.
pub(crate) fn check_fields(input: &ActivityInput, today: NaiveDate) -> (Checked, ValidationErrors) {
    let mut errs = ValidationErrors::new();
    let kind = ActivityKind::parse(input.kind.trim());
    if kind.is_none() {
        errs.add("kind", "请选择会议/活动类型");
    }
    let state = match input.state.trim() {
        "" | "held" => "held",
        "planned" => "planned",
        _ => {
            errs.add("state", "状态应为已召开或计划召开");
            "held"
        }
    };
    let planned_on = validate::opt_date(
        &mut errs,
        "planned_on",
        "计划时间",
        input.planned_on.as_deref(),
    );
    let held_on = if state == "held" {
        let d = validate::date(
            &mut errs,
            "held_on",
            "召开日期",
            input.held_on.as_deref().unwrap_or(""),
        );
        if let Some(d) = d {
            if d > today {
                errs.add(
                    "held_on",
                    "召开日期不能晚于今天；尚未召开的请选择“计划召开”",
                );
            }
        }
        d
    } else {
        if planned_on.is_none() && !errs.errors.iter().any(|e| e.field == "planned_on") {
            errs.add("planned_on", "计划召开的须填写计划时间");
        }
        None
    };
    let start_time = hhmm(
        &mut errs,
        "start_time",
        "开始时间",
        input.start_time.as_deref(),
    );
    let end_time = hhmm(&mut errs, "end_time", "结束时间", input.end_time.as_deref());
    if let (Some(s), Some(e)) = (&start_time, &end_time) {
        if e < s {
            errs.add("end_time", "结束时间不能早于开始时间");
        }
    }
    let title = opt(&mut errs, "title", "标题", &input.title, 100);
    let place = opt(&mut errs, "place", "地点", &input.place, 100);
    let observers = opt(&mut errs, "observers", "列席人员", &input.observers, 500);
    let topic = opt(&mut errs, "topic", "议题", &input.topic, 500);
    let content = opt(&mut errs, "content", "内容", &input.content, 20000);
    let decisions = opt(&mut errs, "decisions", "决议", &input.decisions, 4000);
    // one item per line: the report counts the lines
    let items = |v: Option<String>| {
        v.map(|s| zeren_core::activity::one_per_line(&s))
            .filter(|s| !s.is_empty())
    };
    let opinions = items(opt(
        &mut errs,
        "opinions",
        "收集意见建议",
        &input.opinions,
        4000,
    ));
    let outcomes = items(opt(
        &mut errs,
        "outcomes",
        "成果转化",
        &input.outcomes,
        4000,
    ));
    let matters = items(opt(&mut errs, "matters", "办理实事", &input.matters, 4000));

    // the list of people, and the counts derived from it
    let mut people: Vec<AttendeeRow> = Vec::new();
    for a in &input.attendees {
        if people.iter().any(|p| p.person_id == a.person_id) {
            errs.add("attendees", "参会人员重复");
            continue;
        }
        let attendance = a.attendance.trim();
        if !ATTENDANCE.iter().any(|(k, _)| *k == attendance) {
            errs.add("attendees", "出席情况应为出席、请假或缺席");
        }
        let grade = a
            .grade
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string);
        if let Some(g) = &grade {
            if !GRADES.iter().any(|(k, _)| k == g) {
                errs.add("grades", "评议等次应为优秀、合格、基本合格或不合格");
            }
        }
        let minutes = minutes_of(&mut errs, "hours", a.hours.as_deref());
        let note = validate::opt_text(&mut errs, "attendees", "备注", a.note.as_deref(), 200);
        people.push(AttendeeRow {
            person_id: a.person_id,
            name: String::new(),
            attendance: attendance.to_string(),
            grade,
            minutes,
            note,
        });
    }
    if people.len() as i64 > MAX_PEOPLE {
        errs.add("attendees", format!("参会人员不能超过{MAX_PEOPLE}人"));
    }
    let (expected, present, leave) = if people.is_empty() {
        let e = input.expected_count.unwrap_or(0);
        let p = input.present_count.unwrap_or(0);
        let l = input.leave_count.unwrap_or(0);
        for (field, label, v) in [
            ("expected_count", "应到人数", e),
            ("present_count", "实到人数", p),
            ("leave_count", "请假人数", l),
        ] {
            if !(0..=100_000).contains(&v) {
                errs.add(field, format!("{label}应为0至100000之间的整数"));
            }
        }
        if p + l > e {
            errs.add("present_count", "实到人数与请假人数之和不能超过应到人数");
        }
        (e, p, l)
    } else {
        let n = |s: &str| people.iter().filter(|p| p.attendance == s).count() as i64;
        (people.len() as i64, n("present"), n("leave"))
    };
    if state == "held" && present == 0 && !errs.errors.iter().any(|e| e.field == "present_count") {
        errs.add(
            "present_count",
            "已召开的会议须有出席人员：请勾选参会人员或填写实到人数",
        );
    }

    let mut agenda: Vec<AgendaRow> = Vec::new();
    for a in &input.agenda {
        let t = a.title.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 200 {
            errs.add("agenda", "每项议程不能超过200个字");
        }
        agenda.push(AgendaRow {
            seq: agenda.len() as i64 + 1,
            title: t.to_string(),
            first_topic: i64::from(a.first_topic),
        });
    }
    let first_topic = i64::from(agenda.iter().any(|a| a.first_topic == 1));

    let mut new_problems = Vec::new();
    for t in &input.new_problems {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 200 {
            errs.add("new_problems", "每条问题不能超过200个字");
        }
        new_problems.push(t.to_string());
    }
    let mut problem_deadline = String::new();
    if !new_problems.is_empty() {
        if let Some(d) = validate::date(
            &mut errs,
            "problem_deadline",
            "整改时限",
            input.problem_deadline.as_deref().unwrap_or(""),
        ) {
            if d < held_on.unwrap_or(today).min(today) {
                errs.add("problem_deadline", "整改时限不能早于发现日期");
            }
            problem_deadline = d.to_string();
        }
    }
    let mut problem_ids = input.problem_ids.clone();
    problem_ids.sort_unstable();
    problem_ids.dedup();

    let kind_str = kind.map(|k| k.as_str()).unwrap_or("").to_string();
    let title = title.unwrap_or_else(|| {
        let label = kind.map(|k| k.label()).unwrap_or("");
        match &topic {
            Some(t) => {
                let t: String = t.chars().take(60).collect();
                format!("{label}：{t}")
            }
            None => label.to_string(),
        }
    });
    let row = ActivityRow {
        kind: kind_str,
        title,
        state: state.to_string(),
        planned_on: planned_on.map(|d| d.to_string()),
        held_on: held_on.map(|d| d.to_string()),
        start_time,
        end_time,
        place,
        host_id: input.host_id,
        recorder_id: input.recorder_id,
        expected_count: expected,
        present_count: present,
        leave_count: leave,
        observers,
        topic,
        content,
        decisions,
        first_topic,
        opinions,
        outcomes,
        matters,
        ..Default::default()
    };
    (
        Checked {
            row,
            people,
            agenda,
            problem_ids,
            new_problems,
            problem_deadline,
        },
        errs,
    )
}

fn whole_subtree(org: &OrgRow) -> bool {
    matches!(org.kind.as_str(), "branch" | "general_branch" | "group")
}

impl App {
    pub async fn activities(
        &self,
        actor: &Actor,
        f: ActivityFilter,
        paging: Paging,
    ) -> AppResult<Page<ActivityListRow>> {
        let mut c = self.store.conn().await?;
        let f = ActivityFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = activity::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    pub async fn activity_detail(&self, actor: &Actor, id: i64) -> AppResult<ActivityDetail> {
        let mut c = self.store.conn().await?;
        let row = activity::get_in(&mut c, &actor.read_scope(), id).await?;
        let list = activity::list_row(&mut c, id).await?;
        let people = activity::people(&mut c, id).await?;
        let agenda = activity::agenda(&mut c, id).await?;
        let problems = activity::problems(&mut c, id).await?;
        let evidence = evidence::of(&mut c, "activity", id).await?;
        let history = history::of(&mut c, "activity", id).await?;
        Ok(ActivityDetail {
            can_write: actor.can_at(Permission::WriteScope, &row.org_path),
            row,
            list,
            people,
            agenda,
            problems,
            evidence,
            history,
        })
    }

    /// The org an activity is recorded for, if the actor may record there.
    async fn recording_org(&self, c: &mut Conn, actor: &Actor, org_id: i64) -> AppResult<OrgRow> {
        let org = match zeren_store::org::get(c, org_id).await {
            Ok(o) if actor.read_scope().contains_path(&o.path) => o,
            // out of scope reads as nonexistent, so org ids of other units cannot be probed
            _ => return Err(crate::error::invalid("org_id", "党组织不存在")),
        };
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只有本组织的书记或党务工作人员可以登记组织生活",
        )?;
        Ok(org)
    }

    /// Who is due at an activity of this org, and the usual host and recorder.
    pub async fn activity_setup(&self, actor: &Actor, org_id: i64) -> AppResult<ActivitySetup> {
        let mut c = self.store.conn().await?;
        let org = self.recording_org(&mut c, actor, org_id).await?;
        let mut candidates =
            activity::candidates(&mut c, org.id, &org.path, whole_subtree(&org), MAX_PEOPLE)
                .await?;
        if candidates.is_empty() && !whole_subtree(&org) {
            candidates = activity::candidates(&mut c, org.id, &org.path, true, MAX_PEOPLE).await?;
        }
        let holding = |kinds: &[&str]| {
            kinds.iter().find_map(|k| {
                candidates
                    .iter()
                    .find(|p| p.position.as_deref() == Some(*k))
                    .map(|p| p.id)
            })
        };
        let host_id = holding(&["secretary", "deputy_secretary"]);
        let recorder_id = holding(&["organizer", "committee_member", "discipline_member"])
            .filter(|r| Some(*r) != host_id);
        Ok(ActivitySetup {
            org,
            candidates,
            host_id,
            recorder_id,
        })
    }

    /// Checks that need the database, added to `errs`: people belong to the org or
    /// the actor's scope, linked problems are visible.
    async fn check_refs(
        &self,
        c: &mut Conn,
        actor: &Actor,
        org: &OrgRow,
        ck: &mut Checked,
        errs: &mut ValidationErrors,
    ) -> AppResult<()> {
        let scope = actor.read_scope();
        for (field, label, pid) in [
            ("host_id", "主持人", ck.row.host_id),
            ("recorder_id", "记录人", ck.row.recorder_id),
        ] {
            if let Some(pid) = pid {
                if zeren_store::person::get_in(c, &scope, pid).await.is_err() {
                    errs.add(field, format!("{label}须从本人管理范围内的人员中选择"));
                }
            }
        }
        if !ck.people.is_empty() {
            let ids: Vec<i64> = ck.people.iter().map(|p| p.person_id).collect();
            let ok = activity::members_of(c, org.id, &org.path, &ids).await?;
            if ok.len() != ids.len() {
                errs.add("attendees", "参会人员须从本组织的党员中选择");
            }
        }
        for pid in &ck.problem_ids {
            if problem::get_in(c, &scope, *pid).await.is_err() {
                errs.add("problem_ids", format!("问题 #{pid} 不存在"));
            }
        }
        Ok(())
    }

    /// Records an activity: the office or secretary of the org (or of one above it).
    pub async fn activity_create(&self, actor: &Actor, input: ActivityInput) -> AppResult<i64> {
        let (mut ck, mut errs) = check_fields(&input, clock::today());
        self.check_uploads("files", &input.files)?;
        let mut tx = self.store.begin_write().await?;
        let org = self.recording_org(tx.conn(), actor, input.org_id).await?;
        self.check_refs(tx.conn(), actor, &org, &mut ck, &mut errs)
            .await?;
        errs.into_result()?;
        let now = clock::now();
        let row = ActivityRow {
            org_id: org.id,
            org_path: org.path.clone(),
            created_by: Some(actor.user_id),
            created_at: now,
            updated_at: now,
            ..ck.row.clone()
        };
        let id = activity::insert(tx.conn(), &row).await?;
        self.write_parts(tx.conn(), actor, id, &row, &mut ck)
            .await?;
        self.attach_all(tx.conn(), actor, "activity", id, &org.path, &input.files)
            .await?;
        let detail = format!(
            "{} {} 应到{} 实到{} 请假{}",
            kind_label(&row.kind),
            row.held_on
                .as_deref()
                .or(row.planned_on.as_deref())
                .unwrap_or(""),
            row.expected_count,
            row.present_count,
            row.leave_count
        );
        hist(tx.conn(), actor, "activity", id, "登记", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ActivityCreate, "activity", id, &org.path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// People, agenda, new and linked problems of an activity (inside the caller's
    /// transaction). New problems enter the problem ledger against the activity's org.
    async fn write_parts(
        &self,
        c: &mut Conn,
        actor: &Actor,
        id: i64,
        row: &ActivityRow,
        ck: &mut Checked,
    ) -> AppResult<()> {
        activity::set_people(c, id, &ck.people).await?;
        activity::set_agenda(c, id, &ck.agenda).await?;
        let found_on = row.held_on.clone().unwrap_or_else(clock::today_str);
        for title in &ck.new_problems {
            let p = ProblemRow {
                id: 0,
                org_id: row.org_id,
                org_path: row.org_path.clone(),
                issuing_org_id: row.org_id,
                source: ProblemSource::Research.as_str().into(),
                source_ref: Some(row.title.chars().take(60).collect()),
                title: title.clone(),
                description: format!("{}发现的问题（组织生活记录 #{id}）", kind_label(&row.kind)),
                category: String::new(),
                leader_id: None,
                department: None,
                person_id: None,
                found_on: found_on.clone(),
                deadline: ck.problem_deadline.clone(),
                state: ProblemState::Open.as_str().into(),
                recurrence_of: None,
                closed_at: None,
                created_at: row.updated_at,
                updated_at: row.updated_at,
            };
            let pid = problem::insert(c, &p).await?;
            hist(
                c,
                actor,
                "problem",
                pid,
                "登记问题",
                &format!("由调研记录 #{id} 发现"),
            )
            .await?;
            audit::by_actor(
                c,
                actor,
                Event::ok(AuditAction::ProblemCreate, "problem", pid, &row.org_path),
            )
            .await?;
            ck.problem_ids.push(pid);
        }
        activity::set_problems(c, id, &ck.problem_ids).await?;
        Ok(())
    }

    /// Corrects a record. The org stays; people, agenda and links are replaced by the
    /// input's; files are added.
    pub async fn activity_update(
        &self,
        actor: &Actor,
        id: i64,
        input: ActivityInput,
    ) -> AppResult<()> {
        let (mut ck, mut errs) = check_fields(&input, clock::today());
        self.check_uploads("files", &input.files)?;
        let mut tx = self.store.begin_write().await?;
        let old = activity::get_in(tx.conn(), &actor.read_scope(), id).await?;
        actor.require_at(
            Permission::WriteScope,
            &old.org_path,
            "只有本组织的书记或党务工作人员可以修改组织生活记录",
        )?;
        if old.state == "cancelled" {
            return Err(AppError::Conflict("已取消的记录不能修改".into()));
        }
        let org = zeren_store::org::get(tx.conn(), old.org_id).await?;
        self.check_refs(tx.conn(), actor, &org, &mut ck, &mut errs)
            .await?;
        errs.into_result()?;
        let row = ActivityRow {
            id,
            org_id: old.org_id,
            org_path: old.org_path.clone(),
            created_by: old.created_by,
            created_at: old.created_at,
            cancel_reason: None,
            updated_at: clock::now().max(old.updated_at + 1),
            ..ck.row.clone()
        };
        activity::update(tx.conn(), &row, old.updated_at).await?;
        self.write_parts(tx.conn(), actor, id, &row, &mut ck)
            .await?;
        self.attach_all(
            tx.conn(),
            actor,
            "activity",
            id,
            &old.org_path,
            &input.files,
        )
        .await?;
        let detail = format!(
            "应到{} 实到{} 请假{}",
            row.expected_count, row.present_count, row.leave_count
        );
        hist(tx.conn(), actor, "activity", id, "修改", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ActivityUpdate, "activity", id, &old.org_path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cancels a planned or recorded activity; it stays in the ledger, marked, and no
    /// longer counts.
    pub async fn activity_cancel(&self, actor: &Actor, id: i64, reason: &str) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let reason = validate::text(&mut errs, "reason", "取消理由", reason, 500);
        errs.into_result()?;
        let mut tx = self.store.begin_write().await?;
        let a = activity::get_in(tx.conn(), &actor.read_scope(), id).await?;
        actor.require_at(
            Permission::WriteScope,
            &a.org_path,
            "只有本组织的书记或党务工作人员可以取消组织生活记录",
        )?;
        if a.state == "cancelled" {
            return Err(AppError::Conflict("该记录已取消".into()));
        }
        activity::cancel(tx.conn(), id, &a.state, &reason, clock::now()).await?;
        hist(tx.conn(), actor, "activity", id, "取消", &reason).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ActivityCancel, "activity", id, &a.org_path).detail(&reason),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn base() -> ActivityInput {
        ActivityInput {
            org_id: 1,
            kind: "branch_committee".into(),
            held_on: Some("2026-03-02".into()),
            expected_count: Some(5),
            present_count: Some(4),
            leave_count: Some(1),
            ..Default::default()
        }
    }

    #[test]
    fn counts_come_from_names_when_given() {
        let mut i = base();
        i.attendees = vec![
            AttendeeInput {
                person_id: 1,
                attendance: "present".into(),
                ..Default::default()
            },
            AttendeeInput {
                person_id: 2,
                attendance: "leave".into(),
                ..Default::default()
            },
            AttendeeInput {
                person_id: 3,
                attendance: "absent".into(),
                ..Default::default()
            },
        ];
        let (ck, errs) = check_fields(&i, day("2026-03-05"));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            (
                ck.row.expected_count,
                ck.row.present_count,
                ck.row.leave_count
            ),
            (3, 1, 1)
        );
    }

    #[test]
    fn every_bad_field_at_once() {
        let mut i = base();
        i.kind = "meeting".into();
        i.held_on = Some("2026-03-06".into());
        i.present_count = Some(5);
        i.start_time = Some("9点".into());
        let (_, errs) = check_fields(&i, day("2026-03-05"));
        for f in ["kind", "held_on", "present_count", "start_time"] {
            assert!(errs.for_field(f).is_some(), "{f}: {errs:?}");
        }
        // held today is fine; a plan may lie ahead
        let (_, errs) = check_fields(&base(), day("2026-03-02"));
        assert!(errs.is_empty(), "{errs:?}");
        let mut p = base();
        p.state = "planned".into();
        p.held_on = None;
        p.planned_on = Some("2026-04-01".into());
        let (ck, errs) = check_fields(&p, day("2026-03-02"));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ck.row.held_on, None);
    }

    #[test]
    fn first_topic_follows_the_agenda_and_grades_are_checked() {
        let mut i = base();
        i.kind = "committee_meeting".into();
        i.agenda = vec![
            AgendaInput {
                title: "学习习近平总书记重要讲话精神".into(),
                first_topic: true,
            },
            AgendaInput {
                title: " ".into(),
                first_topic: false,
            },
            AgendaInput {
                title: "研究年度预算".into(),
                first_topic: false,
            },
        ];
        let (ck, errs) = check_fields(&i, day("2026-03-05"));
        assert!(errs.is_empty());
        assert_eq!(ck.row.first_topic, 1);
        assert_eq!(ck.agenda.len(), 2);
        assert_eq!(ck.agenda[1].seq, 2);
        i.agenda[0].first_topic = false;
        assert_eq!(check_fields(&i, day("2026-03-05")).0.row.first_topic, 0);

        let mut g = base();
        g.attendees = vec![AttendeeInput {
            person_id: 1,
            attendance: "present".into(),
            grade: Some("A+".into()),
            hours: Some("-1".into()),
            ..Default::default()
        }];
        let (_, errs) = check_fields(&g, day("2026-03-05"));
        assert!(errs.for_field("grades").is_some());
        assert!(errs.for_field("hours").is_some());
        g.attendees[0].grade = Some("basic".into());
        g.attendees[0].hours = Some("1.5".into());
        let (ck, errs) = check_fields(&g, day("2026-03-05"));
        assert!(errs.is_empty());
        assert_eq!(ck.people[0].minutes, Some(90));
    }
}
