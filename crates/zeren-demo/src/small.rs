//! The small demo: a health commission with a dozen units, written through the
//! application's use cases wherever a user would act.
use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, TimeDelta};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::Rng;
use zeren_app::audit::{self, AuditAction, Event};
use zeren_app::problem::{MeasureInput, ProblemInput};
use zeren_app::{clock, Actor, App, AppError};
use zeren_core::problem::ProblemAction;
use zeren_store::org::{NewOrg, OrgRow};
use zeren_store::person::{PersonRow, PositionRow};
use zeren_store::task::TaskRow;
use zeren_store::{counters, org, person, task, user, Conn, Sql, StoreError};

use crate::content::{self, ProblemSpec, UnitSpec, UnitType, UNITS};
use crate::docs::Docs;
use crate::names;
use crate::DemoError;

pub struct Branch {
    pub org: OrgRow,
    pub secretary: i64,
    /// Members other than the secretary; the first two sit on the branch committee.
    pub members: Vec<i64>,
}

pub struct Unit {
    pub org: OrgRow,
    pub spec: &'static UnitSpec,
    pub secretary: i64,
    pub deputy: i64,
    pub team: Vec<i64>,
    pub discipline: i64,
    pub staff: Vec<i64>,
    pub branches: Vec<Branch>,
}

impl Unit {
    fn leaders(&self) -> Vec<i64> {
        let mut v = vec![self.secretary, self.deputy];
        v.extend(&self.team);
        v.push(self.discipline);
        v
    }
}

/// What the small demo created, for the bulk generator to build on.
pub struct World {
    pub root: OrgRow,
    pub plan_id: i64,
    pub today: NaiveDate,
}

pub fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn days(d: NaiveDate, n: i64) -> NaiveDate {
    d + TimeDelta::days(n)
}

fn pick<'a, T>(rng: &mut SmallRng, v: &'a [T]) -> &'a T {
    &v[rng.gen_range(0..v.len())]
}

struct People<'r> {
    rng: &'r mut SmallRng,
    used: HashSet<String>,
    today: NaiveDate,
    now: i64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Leader,
    Member,
    Retiree,
}

impl People<'_> {
    fn name(&mut self, gender: &str) -> String {
        for _ in 0..20 {
            let n = names::person_name(self.rng, gender);
            if self.used.insert(n.clone()) {
                return n;
            }
        }
        names::person_name(self.rng, gender)
    }

    fn make(
        &mut self,
        o: &OrgRow,
        title: Option<&str>,
        rank: Option<&str>,
        female_share: f64,
        kind: Kind,
    ) -> PersonRow {
        let gender = names::gender(self.rng, female_share);
        let name = self.name(gender);
        let roll: f64 = self.rng.gen();
        let (status, joined) = match kind {
            Kind::Leader => ("full", Some(self.rng.gen_range(15 * 365..35 * 365))),
            Kind::Retiree => ("full", Some(self.rng.gen_range(35 * 365..55 * 365))),
            Kind::Member if roll < 0.84 => ("full", Some(self.rng.gen_range(2 * 365..30 * 365))),
            Kind::Member if roll < 0.92 => ("probationary", Some(self.rng.gen_range(30..330))),
            Kind::Member => ("applicant", None),
        };
        PersonRow {
            id: 0,
            name,
            org_id: o.id,
            org_path: o.path.clone(),
            gender: Some(gender.to_string()),
            party_status: status.to_string(),
            joined_on: joined.map(|d: i64| ymd(days(self.today, -d))),
            cadre_rank: rank.map(str::to_string),
            title: title.map(str::to_string),
            created_at: self.now,
        }
    }
}

async fn position(
    c: &mut Conn,
    person_id: i64,
    org_id: i64,
    kind: &str,
    portfolio: Option<&str>,
) -> Result<(), StoreError> {
    person::insert_position(
        c,
        &PositionRow {
            id: 0,
            person_id,
            org_id,
            kind: kind.to_string(),
            portfolio: portfolio.map(str::to_string),
        },
    )
    .await?;
    Ok(())
}

/// Term dates: most terms run for a while yet; `expiring` puts the end near today
/// (negative: already past).
fn term(
    rng: &mut SmallRng,
    today: NaiveDate,
    years: i32,
    expiring: Option<i64>,
) -> (Option<String>, Option<String>) {
    let len = 365 * years as i64;
    let end = match expiring {
        Some(e) => days(today, e),
        None => days(today, rng.gen_range(90..len - 60)),
    };
    let start = days(end, -len);
    (Some(ymd(start)), Some(ymd(end)))
}

struct Accounts {
    commission: i64,
    unit1: i64,
    branch1: i64,
    leader1: i64,
    member1: i64,
    member1_person: i64,
    all: Vec<(i64, String)>,
}

/// Organisations, people, positions and accounts, in one transaction.
async fn setup(
    app: &App,
    rng: &mut SmallRng,
    today: NaiveDate,
) -> Result<(OrgRow, Vec<i64>, Vec<Unit>, Accounts), DemoError> {
    let now = clock::now();
    let mut tx = app.store.begin_write().await?;
    let c = tx.conn();
    // checked again inside the write transaction: two loads cannot both pass
    if org::root(c).await?.is_some() {
        return Err(DemoError::NotEmpty);
    }
    let (ts, te) = term(rng, today, 5, None);
    let root = org::insert(
        c,
        NewOrg {
            parent: None,
            name: content::ROOT_NAME,
            kind: "commission",
            code: Some(content::ROOT_CODE),
            sort_order: 0,
            term_start: ts,
            term_end: te,
            now,
        },
    )
    .await?;
    let mut gen = People {
        rng,
        used: HashSet::new(),
        today,
        now,
    };
    let mut root_people = Vec::new();
    for (title, pos, portfolio, rank) in content::ROOT_LEADERS {
        let p = gen.make(&root, Some(title), Some(rank), 0.3, Kind::Leader);
        let id = person::insert(c, &p).await?;
        if !pos.is_empty() {
            position(c, id, root.id, pos, *portfolio).await?;
        }
        root_people.push(id);
    }
    let mut units = Vec::new();
    for (ui, spec) in UNITS.iter().enumerate() {
        // a few terms ending soon, one already past (换届 due)
        let expiring = match ui {
            4 => Some(25),
            _ => None,
        };
        let (ts, te) = term(gen.rng, today, 5, expiring);
        let code = format!("{}{:02}", content::ROOT_CODE, ui + 1);
        let uo = org::insert(
            c,
            NewOrg {
                parent: Some(&root),
                name: spec.name,
                kind: "committee",
                code: Some(&code),
                sort_order: ui as i64 + 1,
                term_start: ts,
                term_end: te,
                now,
            },
        )
        .await?;
        let organ = spec.kind == UnitType::Organ;
        let (sec_title, disc_title) = if organ {
            ("机关党委书记", "机关纪委书记")
        } else {
            ("党委书记", "纪委书记")
        };
        let p = gen.make(&uo, Some(sec_title), Some("正处级"), 0.3, Kind::Leader);
        let secretary = person::insert(c, &p).await?;
        position(c, secretary, uo.id, "secretary", None).await?;
        let rank = if organ { "副处级" } else { "正处级" };
        let p = gen.make(&uo, Some(spec.head), Some(rank), 0.3, Kind::Leader);
        let deputy = person::insert(c, &p).await?;
        position(c, deputy, uo.id, "deputy_secretary", None).await?;
        let team_spec = content::team_of(spec.kind);
        let n_team = gen.rng.gen_range(3..=team_spec.len().min(5));
        let mut team = Vec::new();
        for (title, portfolio) in &team_spec[..n_team] {
            let p = gen.make(&uo, Some(title), Some("副处级"), 0.35, Kind::Leader);
            let id = person::insert(c, &p).await?;
            position(c, id, uo.id, "team_member", Some(portfolio)).await?;
            team.push(id);
        }
        let p = gen.make(&uo, Some(disc_title), Some("副处级"), 0.4, Kind::Leader);
        let discipline = person::insert(c, &p).await?;
        position(c, discipline, uo.id, "discipline_member", None).await?;
        let mut staff = Vec::new();
        for title in content::staff_of(spec.kind) {
            let p = gen.make(&uo, Some(title), Some("正科级"), 0.55, Kind::Member);
            staff.push(person::insert(c, &p).await?);
        }
        let mut branches = Vec::new();
        for (bi, bname) in spec.branches.iter().enumerate() {
            let expiring = match (ui, bi) {
                (2, 3) => Some(12),
                (8, 5) => Some(-15),
                (0, 4) => Some(40),
                _ => None,
            };
            let (ts, te) = term(gen.rng, today, 3, expiring);
            let bo = org::insert(
                c,
                NewOrg {
                    parent: Some(&uo),
                    name: bname,
                    kind: "branch",
                    code: None,
                    sort_order: bi as i64 + 1,
                    term_start: ts,
                    term_end: te,
                    now,
                },
            )
            .await?;
            let retired = bname.contains("离退休");
            let female = if bname.contains("护理") {
                0.9
            } else if bname.contains("妇产") || bname.contains("儿科") || bname.contains("保健")
            {
                0.75
            } else {
                0.55
            };
            let kind = if retired { Kind::Retiree } else { Kind::Member };
            let sec_title = content::branch_secretary_title(bname, spec.kind);
            let rank = if retired {
                None
            } else if gen.rng.gen_bool(0.7) {
                Some("正科级")
            } else {
                Some("副科级")
            };
            let p = gen.make(&bo, Some(sec_title), rank, female, kind);
            let bsec = person::insert(c, &p).await?;
            position(c, bsec, bo.id, "secretary", None).await?;
            let n_members = if ui == 0 {
                gen.rng.gen_range(3..=4)
            } else {
                gen.rng.gen_range(2..=5)
            };
            let titles = content::member_titles(spec.kind);
            let mut members = Vec::new();
            for mi in 0..n_members {
                let title = if retired {
                    "退休干部"
                } else {
                    *pick(gen.rng, titles)
                };
                let mut p = gen.make(&bo, Some(title), None, female, kind);
                if ui == 0 && bi == 1 && mi == 2 {
                    // member1: a full member
                    p.party_status = "full".into();
                    p.joined_on = Some(ymd(days(today, -3000)));
                }
                let id = person::insert(c, &p).await?;
                match mi {
                    0 => position(c, id, bo.id, "organizer", None).await?,
                    1 => position(c, id, bo.id, "committee_member", Some("宣传委员")).await?,
                    _ => {}
                }
                members.push(id);
            }
            for (gbi, gnames) in spec.groups {
                if *gbi != bi {
                    continue;
                }
                for (gi, gname) in gnames.iter().enumerate() {
                    org::insert(
                        c,
                        NewOrg {
                            parent: Some(&bo),
                            name: gname,
                            kind: "group",
                            code: None,
                            sort_order: gi as i64 + 1,
                            term_start: None,
                            term_end: None,
                            now,
                        },
                    )
                    .await?;
                }
            }
            branches.push(Branch {
                org: bo,
                secretary: bsec,
                members,
            });
        }
        units.push(Unit {
            org: uo,
            spec,
            secretary,
            deputy,
            team,
            discipline,
            staff,
            branches,
        });
    }

    // accounts: the hash is set at the end (see `load`), until then nobody can log in
    let u1 = &units[0];
    let branch1_person = u1.branches[0].secretary;
    let member1_person = u1.branches[1].members[2];
    let leader1_person = root_people[2];
    let mut names_by_id = HashMap::new();
    for id in [branch1_person, member1_person, leader1_person] {
        names_by_id.insert(id, person::get(c, id).await?.name);
    }
    let specs: [(&str, String, Option<i64>, &str, i64); 8] = [
        (
            "commission",
            "委党办".into(),
            None,
            "commission_office",
            root.id,
        ),
        (
            "unit1",
            "市第一人民医院党办".into(),
            None,
            "unit_office",
            u1.org.id,
        ),
        (
            "branch1",
            names_by_id[&branch1_person].clone(),
            Some(branch1_person),
            "branch_secretary",
            u1.branches[0].org.id,
        ),
        (
            "leader1",
            names_by_id[&leader1_person].clone(),
            Some(leader1_person),
            "team_member",
            root.id,
        ),
        (
            "member1",
            names_by_id[&member1_person].clone(),
            Some(member1_person),
            "member",
            u1.branches[1].org.id,
        ),
        ("secadmin", "安全管理员".into(), None, "secadmin", root.id),
        ("sysadmin", "系统管理员".into(), None, "sysadmin", root.id),
        ("auditor", "审计管理员".into(), None, "auditor", root.id),
    ];
    let mut ids = Vec::new();
    for (username, display, pid, role, org_id) in &specs {
        let id = user::insert(c, username, display, "!", *pid, now).await?;
        user::add_role(c, id, role, *org_id).await?;
        audit::record(
            c,
            None,
            "demo",
            "demo",
            Event::ok(AuditAction::UserCreate, "user", id, "").detail(*username),
        )
        .await?;
        let path = if *org_id == root.id {
            root.path.clone()
        } else {
            org::get(c, *org_id).await?.path
        };
        audit::record(
            c,
            None,
            "demo",
            "demo",
            Event::ok(AuditAction::UserRoleAdd, "user", id, &path).detail(*role),
        )
        .await?;
        ids.push((id, username.to_string()));
    }
    tx.commit().await?;
    let accounts = Accounts {
        commission: ids[0].0,
        unit1: ids[1].0,
        branch1: ids[2].0,
        leader1: ids[3].0,
        member1: ids[4].0,
        member1_person,
        all: ids,
    };
    Ok((root, root_people, units, accounts))
}

struct Actors {
    commission: Actor,
    unit1: Actor,
    branch1: Actor,
    leader1: Actor,
    member1: Actor,
}

/// Loads the small demo and returns what it made.
pub async fn load(app: &App, rng: &mut SmallRng, password: &str) -> Result<World, DemoError> {
    let today = clock::today();
    let year = today.year();
    // Password hashing is deliberately slow CPU work: it runs on blocking threads while
    // the database work goes on. Each account gets its own salt.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .clamp(1, 8);
    let per = 8usize.div_ceil(workers);
    let mut hashers = Vec::new();
    let mut left = 8usize;
    while left > 0 {
        let n = per.min(left);
        left -= n;
        let pw = password.to_string();
        hashers.push(tokio::task::spawn_blocking(move || {
            (0..n)
                .map(|_| zeren_app::auth::hash_password(&pw))
                .collect::<Result<Vec<String>, AppError>>()
        }));
    }

    let (root, _root_people, units, acc) = setup(app, rng, today).await?;
    let actors = {
        let mut c = app.store.conn().await?;
        Actors {
            commission: app.actor_of(&mut c, acc.commission, "demo").await?,
            unit1: app.actor_of(&mut c, acc.unit1, "demo").await?,
            branch1: app.actor_of(&mut c, acc.branch1, "demo").await?,
            leader1: app.actor_of(&mut c, acc.leader1, "demo").await?,
            member1: app.actor_of(&mut c, acc.member1, "demo").await?,
        }
    };
    let docs = Docs::new();
    let plan_id = app
        .plan_create(&actors.commission, root.id, year, content::PLAN_TEMPLATE)
        .await?;
    let mut f = Flow {
        app,
        rng,
        today,
        docs: &docs,
    };
    f.tasks(&units, plan_id, &actors, &acc).await?;
    f.problems(&root, &units, &actors, &acc).await?;
    crate::mechanism::load(app, &actors.commission, &actors.unit1, &units, today, &docs).await?;

    let mut hashes = Vec::new();
    for h in hashers {
        let v = h
            .await
            .map_err(|e| AppError::Io(format!("密码哈希线程异常：{e}")))??;
        hashes.extend(v);
    }
    let mut tx = app.store.begin_write().await?;
    backdate_completions(tx.conn(), rng, today).await?;
    for ((id, _), h) in acc.all.iter().zip(hashes) {
        user::set_password(tx.conn(), *id, &h).await?;
    }
    tx.commit().await?;
    Ok(World {
        root,
        plan_id,
        today,
    })
}

struct Flow<'a> {
    app: &'a App,
    rng: &'a mut SmallRng,
    today: NaiveDate,
    docs: &'a Docs,
}

fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// How deep an org sits: 1 for the commission committee, 2 for a unit, 3 for a branch.
fn depth_of(org_path: &str) -> usize {
    org_path.trim_matches('/').split('/').count()
}

/// A realistic state for a task due on `deadline`: most past ones are done, a few are
/// overdue; future ones spread over the whole cycle. Deeper orgs finish less of what is
/// past due ("上热中温下冷"), so the pressure-transmission view has a gradient to show.
fn pick_task_state(
    rng: &mut SmallRng,
    deadline: NaiveDate,
    today: NaiveDate,
    depth: usize,
) -> &'static str {
    let r: f64 = rng.gen();
    if deadline < today {
        let done = [0.86, 0.74, 0.60][depth.clamp(1, 3) - 1];
        let rest = (r - done) / (1.0 - done);
        match r {
            r if r < done => "done",
            _ if rest < 0.35 => "pending_review",
            _ if rest < 0.75 => "in_progress",
            _ if rest < 0.88 => "returned",
            _ => "not_started",
        }
    } else if deadline <= days(today, 7) {
        match r {
            r if r < 0.20 => "not_started",
            r if r < 0.55 => "in_progress",
            r if r < 0.80 => "pending_review",
            r if r < 0.90 => "done",
            _ => "returned",
        }
    } else {
        match r {
            r if r < 0.35 => "not_started",
            r if r < 0.75 => "in_progress",
            r if r < 0.85 => "pending_review",
            r if r < 0.95 => "done",
            _ => "returned",
        }
    }
}

/// Gives every finished task a plausible completion day: before its deadline mostly,
/// after it more often the deeper the org (late work is recorded as late), never in
/// the future. The use cases stamp "now", which would make all past work look late.
pub async fn backdate_completions(
    c: &mut Conn,
    rng: &mut SmallRng,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let rows: Vec<(i64, String, String)> =
        Sql::new("SELECT id, org_path, deadline FROM tasks WHERE state = 'done' ORDER BY id")
            .query_as()
            .fetch_all(&mut *c)
            .await?;
    let now = clock::now();
    for (id, path, deadline) in rows {
        let deadline = parse_date(&deadline);
        let late_share = [0.04, 0.14, 0.30][depth_of(&path).clamp(1, 3) - 1];
        let day = if rng.gen_bool(late_share) {
            days(deadline, rng.gen_range(1..25))
        } else {
            days(deadline, -rng.gen_range(0..20))
        }
        .min(today);
        let at = day
            .and_hms_opt(rng.gen_range(9..18), rng.gen_range(0..60), 0)
            .map(|t| t.and_utc().timestamp() - 8 * 3600)
            .unwrap_or(now)
            .min(now);
        let mut s = Sql::new("UPDATE tasks SET completed_at = ");
        s.bind(at).push(" WHERE id = ").bind(id);
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

async fn tasks_where(c: &mut Conn, cond: &str, v: i64) -> Result<Vec<TaskRow>, StoreError> {
    let mut s = Sql::new(&format!("SELECT {} FROM tasks WHERE {cond} ", task::COLS));
    s.bind(v).push(" ORDER BY id");
    Ok(s.query_as().fetch_all(&mut *c).await?)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PState {
    OpenNone,
    OpenPartial,
    OpenAllDone,
    Pending,
    Closed,
    Rejected,
    Reopened,
}

fn pick_pstate(rng: &mut SmallRng) -> PState {
    match rng.gen::<f64>() {
        r if r < 0.35 => PState::Closed,
        r if r < 0.50 => PState::Pending,
        r if r < 0.72 => PState::OpenPartial,
        r if r < 0.82 => PState::OpenNone,
        r if r < 0.87 => PState::OpenAllDone,
        r if r < 0.93 => PState::Rejected,
        _ => PState::Reopened,
    }
}

struct PPlan<'x> {
    org: &'x OrgRow,
    issuing: Option<i64>,
    source: &'static str,
    source_ref: String,
    spec: &'static ProblemSpec,
    title: Option<String>,
    description: Option<String>,
    leader: Option<i64>,
    department: Option<String>,
    person: Option<i64>,
    found_on: NaiveDate,
    deadline: NaiveDate,
    recurrence_of: Option<i64>,
    state: PState,
    creator: &'x Actor,
    writer: &'x Actor,
    reviewer: &'x Actor,
    owners: Vec<i64>,
    /// A measure owner who completes their own measures.
    owner_actor: Option<(i64, &'x Actor)>,
}

const COMPLETE_NOTES: &[&str] = &["已按措施要求落实到位", "已完成整改并建立长效机制"];
const REJECT_REASONS: &[&str] = &[
    "整改佐证材料不能充分反映整改成效，请补充制度文件和落实记录。",
    "整改措施落实不够彻底，请继续整改后重新申请销号。",
];
const REOPEN_REASONS: &[&str] = &["“回头看”发现问题出现反弹，重新打开整改。"];

impl Flow<'_> {
    async fn drive_task(
        &mut self,
        id: i64,
        title: &str,
        target: &str,
        writer: &Actor,
        reviewer: &Actor,
    ) -> Result<(), DemoError> {
        if target == "not_started" {
            return Ok(());
        }
        let body = *pick(self.rng, content::REPORT_BODIES);
        self.app.task_report(writer, id, body, &[], false).await?;
        if target == "in_progress" {
            return Ok(());
        }
        let body = *pick(self.rng, content::SUBMIT_BODIES);
        let file = self.docs.for_task(title).clone();
        self.app
            .task_report(writer, id, body, &[file], true)
            .await?;
        match target {
            "done" => self.app.task_review(reviewer, id, true, "").await?,
            "returned" => {
                let reason = *pick(self.rng, content::RETURN_REASONS);
                self.app.task_review(reviewer, id, false, reason).await?
            }
            _ => {}
        }
        Ok(())
    }

    async fn tasks(
        &mut self,
        units: &[Unit],
        plan_id: i64,
        a: &Actors,
        acc: &Accounts,
    ) -> Result<(), DemoError> {
        let today = self.today;
        let roots = {
            let mut c = self.app.store.conn().await?;
            tasks_where(&mut c, "parent_id IS NULL AND plan_id = ", plan_id).await?
        };
        let unit_ids: Vec<i64> = units.iter().map(|u| u.org.id).collect();
        // duty index -> child task id per unit
        let mut children: HashMap<usize, Vec<i64>> = HashMap::new();
        for (d, t) in roots.iter().enumerate() {
            if content::ROOT_ONLY_DUTIES.contains(&t.title.as_str()) {
                continue;
            }
            let due = parse_date(&t.deadline);
            let dl = if due < today {
                due
            } else {
                match d % 6 {
                    0 => days(today, self.rng.gen_range(1..=7)).min(due),
                    1 => days(today, -self.rng.gen_range(3..=40)),
                    _ => due,
                }
            };
            let note = *pick(self.rng, content::DECOMPOSE_NOTES);
            let ids = self
                .app
                .task_decompose(&a.commission, t.id, &unit_ids, Some(&ymd(dl)), note)
                .await?;
            children.insert(d, ids);
        }
        // responsible leader and person of each unit's task
        {
            let mut tx = self.app.store.begin_write().await?;
            for (d, ids) in &children {
                let subject = roots[*d].subject.as_str();
                for (ui, id) in ids.iter().enumerate() {
                    let u = &units[ui];
                    let leader = match subject {
                        "secretary" => u.secretary,
                        "team_member" => u.team[*d % u.team.len()],
                        "discipline" => u.discipline,
                        _ if d % 2 == 0 => u.secretary,
                        _ => u.deputy,
                    };
                    let person = u.staff[*d % u.staff.len()];
                    set_people(tx.conn(), *id, leader, person).await?;
                }
            }
            tx.commit().await?;
        }

        // further down to branches, for the duties branches carry
        let mut branch_tasks: Vec<(i64, usize, usize)> = Vec::new(); // (task, unit, branch)
        for (bd, duty) in content::BRANCH_DUTIES.iter().enumerate() {
            let Some(d) = roots.iter().position(|t| t.title == *duty) else {
                continue;
            };
            let Some(ids) = children.get(&d) else {
                continue;
            };
            for ui in [0usize, 1, 8] {
                let u = &units[ui];
                let actor = if ui == 0 { &a.unit1 } else { &a.commission };
                let branch_ids: Vec<i64> = u.branches.iter().map(|b| b.org.id).collect();
                let parent_due = {
                    let mut c = self.app.store.conn().await?;
                    parse_date(&task::get(&mut c, ids[ui]).await?.deadline)
                };
                let dl = if bd == 0 && parent_due > days(today, 7) {
                    Some(ymd(days(today, 5)))
                } else {
                    None
                };
                let got = self
                    .app
                    .task_decompose(
                        actor,
                        ids[ui],
                        &branch_ids,
                        dl.as_deref(),
                        "请支部书记牵头落实，按时上传会议记录。",
                    )
                    .await?;
                for (bi, id) in got.into_iter().enumerate() {
                    branch_tasks.push((id, ui, bi));
                }
            }
        }
        {
            let mut tx = self.app.store.begin_write().await?;
            for (k, (id, ui, bi)) in branch_tasks.iter().enumerate() {
                let b = &units[*ui].branches[*bi];
                let person = if *ui == 0 && *bi == 1 {
                    acc.member1_person
                } else {
                    b.members[k % b.members.len()]
                };
                set_people(tx.conn(), *id, b.secretary, person).await?;
            }
            tx.commit().await?;
        }

        // the commission's own part of the plan
        for (d, t) in roots.iter().enumerate() {
            let due = parse_date(&t.deadline);
            if t.title == "开展对直属单位的巡察" {
                self.app
                    .task_report(
                        &a.commission,
                        t.id,
                        "第三轮巡察已完成对市第一人民医院党委、市中医医院党委的常规巡察，反馈问题正在整改。",
                        &[],
                        false,
                    )
                    .await?;
            } else if children.contains_key(&d) && due < today {
                let files = [self.docs.minutes.clone(), self.docs.attendance.clone()];
                self.app
                    .task_report(&a.commission, t.id, content::SUBMIT_BODIES[0], &files, true)
                    .await?;
                self.app.task_review(&a.leader1, t.id, true, "").await?;
            } else if t.title == "每半年专题研究全面从严治党工作" {
                let files = [self.docs.minutes.clone()];
                self.app
                    .task_report(&a.commission, t.id, content::SUBMIT_BODIES[1], &files, true)
                    .await?;
            }
        }

        // unit1: its own tasks and its branches', through the real use cases
        let forced = ["done", "pending_review", "returned", "in_progress"];
        let mut k = 0;
        let mut duty_ids: Vec<usize> = children.keys().copied().collect();
        duty_ids.sort();
        for d in &duty_ids {
            let id = children[d][0];
            let row = {
                let mut c = self.app.store.conn().await?;
                task::get(&mut c, id).await?
            };
            let target = if k < forced.len() {
                forced[k]
            } else {
                pick_task_state(
                    self.rng,
                    parse_date(&row.deadline),
                    today,
                    depth_of(&row.org_path),
                )
            };
            k += 1;
            let reviewer = if k % 3 == 0 {
                &a.leader1
            } else {
                &a.commission
            };
            self.drive_task(id, &row.title, target, &a.unit1, reviewer)
                .await?;
        }
        let mut raw: Vec<(i64, &str)> = Vec::new(); // other units: (task, office)
        for (id, ui, bi) in &branch_tasks {
            if *ui != 0 {
                raw.push((*id, units[*ui].spec.office));
                continue;
            }
            let row = {
                let mut c = self.app.store.conn().await?;
                task::get(&mut c, *id).await?
            };
            let target = pick_task_state(
                self.rng,
                parse_date(&row.deadline),
                today,
                depth_of(&row.org_path),
            );
            let writer = match bi {
                0 => &a.branch1,
                1 => &a.member1,
                _ => &a.unit1,
            };
            self.drive_task(*id, &row.title, target, writer, &a.unit1)
                .await?;
        }

        // the other units: their reports and reviews, written in one transaction
        for d in &duty_ids {
            for (ui, id) in children[d].iter().enumerate().skip(1) {
                raw.push((*id, units[ui].spec.office));
            }
        }
        raw.sort();
        let files = files_by_name(self.app).await?;
        let reviewer = (acc.commission, a.commission.display_name.clone());
        let mut tx = self.app.store.begin_write().await?;
        raw_progress(
            tx.conn(),
            self.rng,
            &raw,
            today,
            &reviewer,
            &files,
            self.docs,
        )
        .await?;
        tx.commit().await?;
        // task reports were given explicit ids: move PostgreSQL's sequences past them
        self.app.store.sync_sequences().await?;
        Ok(())
    }

    async fn drive_problem(&mut self, p: PPlan<'_>) -> Result<i64, DemoError> {
        let app = self.app;
        let id = app
            .problem_create(
                p.creator,
                ProblemInput {
                    org_id: p.org.id,
                    issuing_org_id: p.issuing,
                    source: p.source.into(),
                    source_ref: Some(p.source_ref.clone()),
                    title: p.title.clone().unwrap_or_else(|| p.spec.title.into()),
                    description: p
                        .description
                        .clone()
                        .unwrap_or_else(|| p.spec.description.into()),
                    category: p.spec.category.into(),
                    leader_id: p.leader,
                    department: p.department.clone(),
                    person_id: p.person,
                    found_on: ymd(p.found_on),
                    deadline: ymd(p.deadline),
                    recurrence_of: p.recurrence_of,
                },
            )
            .await?;
        if p.state == PState::OpenNone {
            return Ok(id);
        }
        let n = p.spec.measures.len();
        let span = (p.deadline - p.found_on).num_days().max(1);
        let mut mids = Vec::new();
        for (i, m) in p.spec.measures.iter().enumerate() {
            let dl = days(p.found_on, span * (i as i64 + 1) / n as i64);
            let owner = p.owners[i % p.owners.len()];
            let mid = app
                .measure_add(
                    p.writer,
                    id,
                    MeasureInput {
                        content: m.to_string(),
                        owner_id: Some(owner),
                        deadline: ymd(dl),
                    },
                )
                .await?;
            mids.push((mid, owner, *m));
        }
        let n_done = match p.state {
            PState::OpenPartial => (n / 2).max(1).min(n.saturating_sub(1)),
            _ => n,
        };
        for (i, (mid, owner, content)) in mids.iter().enumerate().take(n_done) {
            let file = if ["制度", "修订", "办法", "规则"]
                .iter()
                .any(|k| content.contains(k))
            {
                &self.docs.rules
            } else if i % 2 == 0 {
                &self.docs.rectification
            } else {
                &self.docs.note
            };
            let actor = match p.owner_actor {
                Some((pid, a)) if pid == *owner => a,
                _ => p.writer,
            };
            let note = if ["制度", "修订", "办法", "细则", "规则"]
                .iter()
                .any(|k| content.contains(k))
            {
                "相关制度已修订印发"
            } else if ["学习", "培训", "党课", "教育"]
                .iter()
                .any(|k| content.contains(k))
            {
                "已组织专题学习并形成记录"
            } else {
                *pick(self.rng, COMPLETE_NOTES)
            };
            app.measure_complete(actor, *mid, note, std::slice::from_ref(file))
                .await?;
        }
        if matches!(
            p.state,
            PState::Pending | PState::Closed | PState::Rejected | PState::Reopened
        ) {
            app.problem_transition(p.writer, id, ProblemAction::RequestClose, "")
                .await?;
        }
        match p.state {
            PState::Closed | PState::Reopened => {
                app.problem_transition(p.reviewer, id, ProblemAction::ApproveClose, "")
                    .await?;
                if p.state == PState::Reopened {
                    let r = *pick(self.rng, REOPEN_REASONS);
                    app.problem_transition(p.reviewer, id, ProblemAction::Reopen, r)
                        .await?;
                }
            }
            PState::Rejected => {
                let r = *pick(self.rng, REJECT_REASONS);
                app.problem_transition(p.reviewer, id, ProblemAction::RejectClose, r)
                    .await?;
            }
            _ => {}
        }
        Ok(id)
    }

    /// Owners of measures in a unit: its leaders, staff and branch secretaries.
    fn unit_owners(&mut self, u: &Unit) -> Vec<i64> {
        let mut v = u.team.clone();
        v.extend(&u.staff);
        v.extend(u.branches.iter().map(|b| b.secretary));
        v.shuffle(self.rng);
        v.truncate(4);
        v
    }

    /// A random open state is overdue now and then.
    fn deadline_for(&mut self, state: PState, found_on: NaiveDate) -> NaiveDate {
        let today = self.today;
        let open = matches!(
            state,
            PState::OpenNone | PState::OpenPartial | PState::OpenAllDone | PState::Rejected
        );
        if open && self.rng.gen_bool(0.3) {
            days(today, -self.rng.gen_range(3..40)).max(days(found_on, 20))
        } else {
            days(found_on, self.rng.gen_range(60..180))
        }
    }

    async fn problems(
        &mut self,
        root: &OrgRow,
        units: &[Unit],
        a: &Actors,
        acc: &Accounts,
    ) -> Result<(), DemoError> {
        let today = self.today;
        let year = today.year();
        let mut specs: Vec<&'static ProblemSpec> = content::COMMITTEE_PROBLEMS.iter().collect();
        specs.shuffle(self.rng);
        let mut next = 0usize;
        let mut take = |n: usize| -> Vec<&'static ProblemSpec> {
            let v = (0..n)
                .map(|i| specs[(next + i) % specs.len()])
                .collect::<Vec<_>>();
            next += n;
            v
        };

        // 第三轮巡察: the commission inspected two units; its feedback is on the books
        let round = "第三轮巡察".to_string();
        let found = days(today, -110);
        let u1 = &units[0];
        let states = [
            (PState::Closed, days(found, 60)),
            (PState::Closed, days(found, 75)),
            (PState::Pending, days(today, 15)),
            (PState::OpenPartial, days(today, -12)),
            (PState::OpenNone, days(today, 30)),
            (PState::Reopened, days(today, 45)),
            (PState::Rejected, days(today, 20)),
        ];
        let mut first_closed = None;
        for ((state, deadline), spec) in states.into_iter().zip(take(7)) {
            let owners = self.unit_owners(u1);
            let leader = *pick(self.rng, &u1.leaders());
            let dept = pick(self.rng, content::DEPARTMENTS).to_string();
            let person = *pick(self.rng, &u1.staff);
            let id = self
                .drive_problem(PPlan {
                    org: &u1.org,
                    issuing: Some(root.id),
                    source: "local_inspection",
                    source_ref: round.clone(),
                    spec,
                    title: None,
                    description: None,
                    leader: Some(leader),
                    department: Some(dept),
                    person: Some(person),
                    found_on: found,
                    deadline,
                    recurrence_of: None,
                    state,
                    creator: &a.commission,
                    writer: &a.unit1,
                    reviewer: &a.commission,
                    owners,
                    owner_actor: None,
                })
                .await?;
            if state == PState::Closed && first_closed.is_none() {
                first_closed = Some((id, spec));
            }
        }
        let u2 = &units[1];
        for spec in take(6) {
            let state = pick_pstate(self.rng);
            let deadline = self.deadline_for(state, found);
            let owners = self.unit_owners(u2);
            let leader = *pick(self.rng, &u2.leaders());
            let dept = pick(self.rng, content::DEPARTMENTS).to_string();
            let person = *pick(self.rng, &u2.staff);
            self.drive_problem(PPlan {
                org: &u2.org,
                issuing: Some(root.id),
                source: "local_inspection",
                source_ref: round.clone(),
                spec,
                title: None,
                description: None,
                leader: Some(leader),
                department: Some(dept),
                person: Some(person),
                found_on: found,
                deadline,
                recurrence_of: None,
                state,
                creator: &a.commission,
                writer: &a.commission,
                reviewer: &a.leader1,
                owners,
                owner_actor: None,
            })
            .await?;
        }

        // 主题教育查摆: every unit's leadership examined itself
        for (ui, u) in units.iter().enumerate() {
            let n = if ui == 0 { 3 } else { 2 };
            let (creator, writer, reviewer, issuing) = if ui == 0 {
                (&a.unit1, &a.unit1, &a.commission, None)
            } else {
                (&a.commission, &a.commission, &a.leader1, Some(u.org.id))
            };
            for spec in take(n) {
                let state = pick_pstate(self.rng);
                let found = days(today, -self.rng.gen_range(60..200));
                let deadline = self.deadline_for(state, found);
                let owners = self.unit_owners(u);
                let leader = *pick(self.rng, &u.leaders());
                let dept = pick(self.rng, content::DEPARTMENTS).to_string();
                let person = *pick(self.rng, &u.staff);
                self.drive_problem(PPlan {
                    org: &u.org,
                    issuing,
                    source: "self_examination",
                    source_ref: "主题教育查摆".into(),
                    spec,
                    title: None,
                    description: None,
                    leader: Some(leader),
                    department: Some(dept),
                    person: Some(person),
                    found_on: found,
                    deadline,
                    recurrence_of: None,
                    state,
                    creator,
                    writer,
                    reviewer,
                    owners,
                    owner_actor: None,
                })
                .await?;
            }
        }
        // a closed inspection problem came back
        if let Some((orig, spec)) = first_closed {
            let owners = self.unit_owners(u1);
            self.drive_problem(PPlan {
                org: &u1.org,
                issuing: None,
                source: "self_examination",
                source_ref: "主题教育查摆".into(),
                spec,
                title: Some(format!("{}（整改后反弹）", spec.title)),
                description: Some(format!(
                    "第三轮巡察反馈的该问题已整改销号，“回头看”发现问题反弹。{}",
                    spec.description
                )),
                leader: Some(u1.secretary),
                department: Some("党委办公室".into()),
                person: Some(u1.staff[0]),
                found_on: days(today, -20),
                deadline: days(today, 60),
                recurrence_of: Some(orig),
                state: PState::OpenPartial,
                creator: &a.unit1,
                writer: &a.unit1,
                reviewer: &a.commission,
                owners,
                owner_actor: None,
            })
            .await?;
        }

        // branches of unit1: the branch's own check, and member1's items
        let b0 = &u1.branches[0];
        self.drive_problem(PPlan {
            org: &b0.org,
            issuing: None,
            source: "self_check",
            source_ref: "支部自查".into(),
            spec: &content::BRANCH_PROBLEMS[0],
            title: None,
            description: None,
            leader: Some(b0.secretary),
            department: None,
            person: Some(b0.members[0]),
            found_on: days(today, -45),
            deadline: days(today, 20),
            recurrence_of: None,
            state: PState::Pending,
            creator: &a.branch1,
            writer: &a.branch1,
            reviewer: &a.unit1,
            owners: vec![b0.secretary, b0.members[0]],
            owner_actor: None,
        })
        .await?;
        let b1 = &u1.branches[1];
        let meeting = format!("{}年度组织生活会", year - 1);
        for (k, state) in [PState::OpenPartial, PState::Closed]
            .into_iter()
            .enumerate()
        {
            let spec = &content::BRANCH_PROBLEMS[1 + (k + self.rng.gen_range(0..3) * 2) % 9];
            self.drive_problem(PPlan {
                org: &b1.org,
                issuing: None,
                source: "democratic_life",
                source_ref: meeting.clone(),
                spec,
                title: None,
                description: None,
                leader: Some(b1.secretary),
                department: None,
                person: Some(acc.member1_person),
                found_on: days(today, -80),
                deadline: days(today, if k == 0 { 25 } else { -5 }),
                recurrence_of: None,
                state,
                creator: &a.unit1,
                writer: &a.unit1,
                reviewer: &a.commission,
                owners: vec![acc.member1_person, b1.secretary],
                owner_actor: Some((acc.member1_person, &a.member1)),
            })
            .await?;
        }
        Ok(())
    }
}

async fn set_people(c: &mut Conn, id: i64, leader: i64, person: i64) -> Result<(), StoreError> {
    let mut s = Sql::new("UPDATE tasks SET leader_id = ");
    s.bind(leader)
        .push(", person_id = ")
        .bind(person)
        .push(" WHERE id = ")
        .bind(id);
    s.query().execute(&mut *c).await?;
    Ok(())
}

/// Evidence blobs already stored through the application, by file name.
async fn files_by_name(app: &App) -> Result<Vec<(String, String)>, StoreError> {
    let mut c = app.store.conn().await?;
    let rows: Vec<(String, String)> =
        Sql::new("SELECT filename, MIN(sha256) FROM evidence GROUP BY filename ORDER BY filename")
            .query_as()
            .fetch_all(&mut *c)
            .await?;
    Ok(rows)
}

/// The other units' progress on their tasks, written directly in the caller's
/// transaction: each unit's office reports (with evidence for a submission), the
/// commission reviews. History lines name who acted; the counters are recomputed.
async fn raw_progress(
    c: &mut Conn,
    rng: &mut SmallRng,
    raw: &[(i64, &str)],
    today: NaiveDate,
    reviewer: &(i64, String),
    files: &[(String, String)],
    docs: &Docs,
) -> Result<(), StoreError> {
    let now = clock::now();
    let office: HashMap<i64, &str> = raw.iter().copied().collect();
    let mut rows: Vec<TaskRow> = Vec::with_capacity(raw.len());
    for chunk in raw.chunks(500) {
        let mut s = Sql::new(&format!("SELECT {} FROM tasks WHERE id IN (", task::COLS));
        for (i, (id, _)) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(") ORDER BY id");
        rows.extend(s.query_as::<TaskRow>().fetch_all(&mut *c).await?);
    }
    let (mut next_report,): (i64,) =
        Sql::new("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM task_reports")
            .query_as()
            .fetch_one(&mut *c)
            .await?;
    let mut reports: Vec<(i64, i64, &str)> = Vec::new();
    let mut attached: Vec<(i64, &str, &str, &str)> = Vec::new();
    let mut lines: Vec<(i64, Option<i64>, &str, &str, &str)> = Vec::new();
    let mut by_state: Vec<(&str, Vec<i64>)> = Vec::new();
    for row in &rows {
        let target = pick_task_state(
            rng,
            parse_date(&row.deadline),
            today,
            depth_of(&row.org_path),
        );
        if target == "not_started" {
            continue;
        }
        let by = office[&row.id];
        let body = *pick(rng, content::REPORT_BODIES);
        reports.push((next_report, row.id, body));
        next_report += 1;
        lines.push((row.id, None, by, "报告进展", body));
        if target != "in_progress" {
            let body = *pick(rng, content::SUBMIT_BODIES);
            reports.push((next_report, row.id, body));
            let want = &docs.for_task(&row.title).filename;
            if let Some((name, sha)) = files
                .iter()
                .find(|(n, _)| n == want)
                .or_else(|| files.first())
            {
                attached.push((next_report, &row.org_path, sha, name));
            }
            next_report += 1;
            lines.push((row.id, None, by, "提交审核", body));
            match target {
                "done" => lines.push((row.id, Some(reviewer.0), &reviewer.1, "审核通过", "")),
                "returned" => {
                    let reason = *pick(rng, content::RETURN_REASONS);
                    lines.push((row.id, Some(reviewer.0), &reviewer.1, "退回", reason));
                }
                _ => {}
            }
        }
        match by_state.iter_mut().find(|(s, _)| *s == target) {
            Some((_, v)) => v.push(row.id),
            None => by_state.push((target, vec![row.id])),
        }
    }
    for chunk in reports.chunks(300) {
        let mut s =
            Sql::new("INSERT INTO task_reports (id, task_id, author_id, body, created_at) VALUES ");
        for (i, (id, task_id, body)) in chunk.iter().enumerate() {
            s.push(if i > 0 { ",(" } else { "(" })
                .bind(*id)
                .push(",")
                .bind(*task_id)
                .push(",")
                .bind(None::<i64>)
                .push(",")
                .bind(*body)
                .push(",")
                .bind(now)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    for chunk in attached.chunks(200) {
        let mut s = Sql::new(
            "INSERT INTO evidence (object_kind, object_id, org_path, sha256, filename, uploaded_by, uploaded_at) VALUES ",
        );
        for (i, (rid, path, sha, name)) in chunk.iter().enumerate() {
            s.push(if i > 0 { ",(" } else { "(" })
                .bind("task_report")
                .push(",")
                .bind(*rid)
                .push(",")
                .bind(*path)
                .push(",")
                .bind(*sha)
                .push(",")
                .bind(*name)
                .push(",")
                .bind(None::<i64>)
                .push(",")
                .bind(now)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    for chunk in lines.chunks(200) {
        let mut s = Sql::new(
            "INSERT INTO history (object_kind, object_id, at, actor_id, actor_name, action, detail) VALUES ",
        );
        for (i, (id, actor_id, actor, action, detail)) in chunk.iter().enumerate() {
            s.push(if i > 0 { ",(" } else { "(" })
                .bind("task")
                .push(",")
                .bind(*id)
                .push(",")
                .bind(now)
                .push(",")
                .bind(*actor_id)
                .push(",")
                .bind(*actor)
                .push(",")
                .bind(*action)
                .push(",")
                .bind(*detail)
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    for (state, ids) in &by_state {
        for chunk in ids.chunks(500) {
            let mut s = Sql::new("UPDATE tasks SET state = ");
            s.bind(*state)
                .push(", updated_at = ")
                .bind(now)
                .push(", completed_at = ")
                .bind((*state == "done").then_some(now))
                .push(" WHERE id IN (");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    s.push(",");
                }
                s.bind(*id);
            }
            s.push(")");
            s.query().execute(&mut *c).await?;
        }
    }
    counters::rebuild(c, "task", "tasks").await
}
