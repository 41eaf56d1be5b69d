//! Bulk generation for the city and province scales: organisations, people,
//! positions, tasks, problems and measures with explicit ids (above the current
//! maximum of each table), inserted in large transactions through the store's raw
//! inserts. Counters are rebuilt, sequences synced and statistics refreshed at the end.
use std::time::Instant;

use chrono::{Datelike, NaiveDate, TimeDelta};
use rand::rngs::SmallRng;
use rand::Rng;
use zeren_app::{clock, App};
use zeren_store::org::OrgRow;
use zeren_store::person::PersonRow;
use zeren_store::problem::{ProblemRow, RawMeasure};
use zeren_store::task::TaskRow;
use zeren_store::{counters, org, person, problem, task, Conn, Sql, StoreError};

use crate::content::{self, ProblemSpec, UnitType};
use crate::names;
use crate::small::World;
use crate::DemoError;

/// Rows per write transaction.
const BATCH: usize = 20_000;

/// Rows per INSERT statement, for a table of `cols` columns. sqlx's SQLite driver looks
/// up every parameter's name when binding (`sqlite3_bind_parameter_name`, a linear scan),
/// so a statement's binding cost grows with the square of its parameter count: the
/// store's raw inserts (200 rows × 17 columns) spend most of their time there. A few
/// hundred parameters per statement is the sweet spot; equal-sized statements reuse
/// one prepared statement.
fn rows_per_statement(cols: usize) -> usize {
    const PARAMS: usize = 256;
    (PARAMS / cols).max(1)
}

/// The size and shape of a generated tree.
pub struct Shape {
    /// District committees under the root (0: units hang directly under the root).
    districts: usize,
    /// Units per parent (root or district), inclusive range.
    units: (usize, usize),
    /// Branches per unit, inclusive range.
    branches: (usize, usize),
    /// Share of branches that have groups (one or two).
    group_share: f64,
    /// Minimum row counts; generation aims a little above them (see `MARGIN`).
    people: i64,
    tasks: i64,
    problems: i64,
}

/// Per-org counts are drawn by `spread`, whose sum is exact; the margin covers what is
/// still random (measures per problem) and keeps the minimums minimums.
const MARGIN: f64 = 1.01;

/// Splits `total` over `n` slots with random weights in `[lo, hi)` (times the mean),
/// none above `cap`: the parts add up to exactly `total` (unless `n * cap` is less),
/// so a scale's minimums hold whatever the draw.
fn spread(rng: &mut SmallRng, total: i64, n: usize, lo: f64, hi: f64, cap: i64) -> Vec<i64> {
    if n == 0 {
        return Vec::new();
    }
    let weights: Vec<f64> = (0..n).map(|_| rng.gen_range(lo..hi)).collect();
    let sum: f64 = weights.iter().sum();
    // cumulative rounding: part i is round(prefix_i) - round(prefix_{i-1})
    let mut parts = Vec::with_capacity(n);
    let mut acc = 0.0;
    let mut given = 0i64;
    for w in &weights {
        acc += w;
        let upto = (total as f64 * acc / sum).round() as i64;
        parts.push((upto - given).min(cap));
        given = upto;
    }
    // what the cap cut off goes, one at a time, to slots still below it
    let mut missing = total - parts.iter().sum::<i64>();
    let mut i = 0;
    let mut idle = 0;
    while missing > 0 && idle < n {
        if parts[i] < cap {
            parts[i] += 1;
            missing -= 1;
            idle = 0;
        } else {
            idle += 1;
        }
        i = (i + 1) % n;
    }
    parts
}

impl Shape {
    pub fn city() -> Shape {
        Shape {
            districts: 0,
            units: (130, 130),
            branches: (8, 12),
            group_share: 0.3,
            people: 20_000,
            tasks: 50_000,
            problems: 50_000,
        }
    }
    pub fn province() -> Shape {
        Shape {
            districts: 14,
            units: (150, 170),
            branches: (8, 14),
            group_share: 0.2,
            people: 300_000,
            tasks: 1_000_000,
            problems: 1_000_000,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Level {
    District,
    Unit,
    Branch,
    Group,
}

/// Title, cadre rank, whether a leader, and position (kind, portfolio) of a person.
type PersonSpec = (
    &'static str,
    Option<&'static str>,
    bool,
    Option<(&'static str, Option<&'static str>)>,
);

/// People of a committee, by position in its block of person ids.
const SECRETARY: i64 = 0;
const DEPUTY: i64 = 1;
const TEAM: i64 = 2; // four team members: 2..=5
const DISCIPLINE: i64 = 6;
const STAFF: i64 = 7; // two staff: 7, 8
const COMMITTEE_PEOPLE: i64 = 9;

struct Node {
    id: i64,
    path: String,
    level: Level,
    /// The committee above (index into nodes), or None for the root.
    parent: Option<usize>,
    /// For branches and groups: the unit they belong to; for committees: themselves.
    unit: usize,
    first_person: i64,
    n_people: i64,
    /// First task id of a committee's plan tasks.
    task_base: i64,
}

/// Calendar dates as strings, precomputed: formatting millions of dates is slow.
struct Dates {
    base: NaiveDate,
    base_ts: i64,
    strs: Vec<String>,
    today: i64,
    year_start: i64,
    year_end: i64,
    now: i64,
}

impl Dates {
    fn new(today: NaiveDate, now: i64) -> Dates {
        let base = NaiveDate::from_ymd_opt(today.year() - 8, 1, 1).unwrap_or(today);
        let end = NaiveDate::from_ymd_opt(today.year() + 8, 12, 31).unwrap_or(today);
        let n = (end - base).num_days() + 1;
        let strs = (0..n)
            .map(|i| (base + TimeDelta::days(i)).format("%Y-%m-%d").to_string())
            .collect();
        let idx = |d: NaiveDate| (d - base).num_days();
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let year_end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
        // midnight in China Standard Time
        let base_ts = base
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(0)
            - 8 * 3600;
        Dates {
            base,
            base_ts,
            strs,
            today: idx(today),
            year_start: idx(year_start),
            year_end: idx(year_end),
            now,
        }
    }
    fn idx(&self, d: NaiveDate) -> i64 {
        (d - self.base).num_days()
    }
    fn get(&self, i: i64) -> String {
        self.strs[i.clamp(0, self.strs.len() as i64 - 1) as usize].clone()
    }
    /// An instant during office hours of day `i`, never later than now.
    fn ts<R: Rng>(&self, rng: &mut R, i: i64) -> i64 {
        (self.base_ts + i * 86_400 + rng.gen_range(8 * 3600..18 * 3600)).min(self.now)
    }
    fn parse(&self, s: &str) -> i64 {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| self.idx(d))
            .unwrap_or(self.year_end)
    }
}

struct Progress {
    start: Instant,
}

impl Progress {
    /// Reports every 100,000 rows, and when `done`.
    fn step(&self, what: &str, before: usize, after: usize, target: i64, done: bool) {
        if before / 100_000 != after / 100_000 || done {
            eprintln!(
                "演示数据 demo: {what} {after}/{target} ({:.1}s)",
                self.start.elapsed().as_secs_f64()
            );
        }
    }
}

async fn next_id(app: &App, table: &str) -> Result<i64, StoreError> {
    let mut c = app.store.conn().await?;
    let (n,): (i64,) = Sql::new(&format!(
        "SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM {table}"
    ))
    .query_as()
    .fetch_one(&mut *c)
    .await?;
    Ok(n)
}

/// One plan duty as the root's task carries it.
struct Duty {
    root_task: i64,
    category: String,
    subject: String,
    title: String,
    content: String,
    deadline: i64,
}

/// A branch's recurring item: title, content, deadline, the duty (index into the
/// decomposed duty list) whose unit task is its parent.
struct SeriesItem {
    title: String,
    content: String,
    deadline: i64,
    duty: usize,
}

/// Keeps the share of overdue tasks among the open ones near 15%, whatever the date.
struct TaskStates {
    open_overdue: i64,
    open_future: i64,
}

impl TaskStates {
    fn pick(&mut self, rng: &mut SmallRng, deadline: i64, today: i64) -> &'static str {
        if deadline < today {
            if self.open_overdue * 85 < self.open_future * 15 && rng.gen_bool(0.5) {
                self.open_overdue += 1;
                match rng.gen_range(0..10) {
                    0..=4 => "in_progress",
                    5..=6 => "not_started",
                    7..=8 => "pending_review",
                    _ => "returned",
                }
            } else {
                "done"
            }
        } else {
            let near = deadline - today <= 30;
            let r = rng.gen_range(0..100);
            let s = if near {
                match r {
                    0..=19 => "not_started",
                    20..=64 => "in_progress",
                    65..=79 => "pending_review",
                    80..=94 => "done",
                    _ => "returned",
                }
            } else {
                match r {
                    0..=44 => "not_started",
                    45..=79 => "in_progress",
                    80..=84 => "pending_review",
                    85..=96 => "done",
                    _ => "returned",
                }
            };
            if s != "done" {
                self.open_future += 1;
            }
            s
        }
    }
}

pub async fn load(app: &App, rng: &mut SmallRng, w: &World, shape: Shape) -> Result<(), DemoError> {
    let prog = Progress {
        start: Instant::now(),
    };
    let now = clock::now();
    let d = Dates::new(w.today, now);

    // --- the tree ---
    let mut next_org = next_id(app, "orgs").await?;
    let mut nodes: Vec<Node> = Vec::new();
    let mut orgs: Vec<OrgRow> = Vec::new();
    let term = |rng: &mut SmallRng, years: i64| -> (Option<String>, Option<String>) {
        let len = 365 * years;
        let end = d.today + rng.gen_range(-20..len - 30);
        (Some(d.get(end - len)), Some(d.get(end)))
    };
    let mut add = |nodes: &mut Vec<Node>,
                   orgs: &mut Vec<OrgRow>,
                   parent: Option<usize>,
                   level: Level,
                   name: String,
                   kind: &str,
                   sort: i64,
                   terms: (Option<String>, Option<String>)| {
        let id = next_org;
        next_org += 1;
        let (ppath, pid, pdepth) = match parent {
            Some(p) => (nodes[p].path.as_str(), nodes[p].id, orgs[p].depth),
            None => (w.root.path.as_str(), w.root.id, w.root.depth),
        };
        let mut path = String::with_capacity(ppath.len() + 8);
        path.push_str(ppath);
        path.push_str(&id.to_string());
        path.push('/');
        let idx = nodes.len();
        let unit = match level {
            Level::Branch | Level::Group => parent.map(|p| nodes[p].unit).unwrap_or(idx),
            _ => idx,
        };
        orgs.push(OrgRow {
            id,
            parent_id: Some(pid),
            name,
            kind: kind.to_string(),
            code: None,
            path: path.clone(),
            depth: pdepth + 1,
            sort_order: sort,
            term_start: terms.0,
            term_end: terms.1,
            closed_at: None,
            created_at: now,
        });
        nodes.push(Node {
            id,
            path,
            level,
            parent,
            unit,
            first_person: 0,
            n_people: 0,
            task_base: 0,
        });
        idx
    };
    let mut parents: Vec<Option<usize>> = Vec::new();
    if shape.districts == 0 {
        parents.push(None);
    }
    for k in 0..shape.districts {
        let name = format!(
            "{}卫生健康工作委员会",
            content::DISTRICTS[k % content::DISTRICTS.len()]
        );
        let t = term(rng, 5);
        let i = add(
            &mut nodes,
            &mut orgs,
            None,
            Level::District,
            name,
            "committee",
            100 + k as i64,
            t,
        );
        parents.push(Some(i));
    }
    let nd = content::DISTRICTS.len();
    let ni = content::INSTITUTIONS.len();
    for (pk, parent) in parents.clone().into_iter().enumerate() {
        let n_units = rng.gen_range(shape.units.0..=shape.units.1);
        for k in 0..n_units {
            let (name, kind) = unit_name(parent.is_none(), pk, k, nd, ni);
            let t = term(rng, 5);
            let u = add(
                &mut nodes,
                &mut orgs,
                parent,
                Level::Unit,
                name,
                kind,
                100 + k as i64,
                t,
            );
            let n_br = rng.gen_range(shape.branches.0..=shape.branches.1);
            let rot = rng.gen_range(0..content::BULK_BRANCHES.len());
            for b in 0..n_br {
                let bname = content::BULK_BRANCHES[(rot + b) % content::BULK_BRANCHES.len()];
                let t = term(rng, 3);
                let bi = add(
                    &mut nodes,
                    &mut orgs,
                    Some(u),
                    Level::Branch,
                    bname.to_string(),
                    "branch",
                    b as i64 + 1,
                    t,
                );
                if rng.gen_bool(shape.group_share) {
                    for g in 0..rng.gen_range(1..=2) {
                        add(
                            &mut nodes,
                            &mut orgs,
                            Some(bi),
                            Level::Group,
                            content::GROUP_NAMES[g].to_string(),
                            "group",
                            g as i64 + 1,
                            (None, None),
                        );
                    }
                }
            }
        }
    }
    for chunk in orgs.chunks(BATCH) {
        let mut tx = app.store.begin_write().await?;
        for part in chunk.chunks(rows_per_statement(12)) {
            org::insert_raw(tx.conn(), part).await?;
        }
        tx.commit().await?;
    }
    drop(orgs);
    eprintln!(
        "演示数据 demo: orgs {} ({:.1}s)",
        nodes.len(),
        prog.start.elapsed().as_secs_f64()
    );

    // --- people and positions ---
    let committees = nodes
        .iter()
        .filter(|n| matches!(n.level, Level::District | Level::Unit))
        .count() as i64;
    let branches = nodes.iter().filter(|n| n.level == Level::Branch).count() as i64;
    let branch_people = (shape.people as f64 * MARGIN) as i64 - committees * COMMITTEE_PEOPLE;
    let mut branch_sizes = spread(rng, branch_people, branches as usize, 0.5, 1.5, i64::MAX)
        .into_iter()
        .map(|n| n.max(3));
    let mut next_person = next_id(app, "people").await?;
    let mut next_position = next_id(app, "positions").await?;
    let mut people: Vec<PersonRow> = Vec::with_capacity(BATCH + 64);
    let mut positions: Vec<(i64, i64, i64, &'static str, Option<&'static str>)> = Vec::new();
    let mut made = 0usize;
    let team = content::team_of(UnitType::Hospital);
    for node in nodes.iter_mut() {
        let n = match node.level {
            Level::District | Level::Unit => COMMITTEE_PEOPLE,
            Level::Branch => branch_sizes.next().unwrap_or(3),
            Level::Group => 0,
        };
        node.first_person = next_person;
        node.n_people = n;
        let committee = matches!(node.level, Level::District | Level::Unit);
        for k in 0..n {
            let pid = next_person;
            next_person += 1;
            let (title, rank, leader, pos): PersonSpec = if committee {
                match k {
                    SECRETARY => ("党委书记", Some("正处级"), true, Some(("secretary", None))),
                    DEPUTY => (
                        "院长、党委副书记",
                        Some("正处级"),
                        true,
                        Some(("deputy_secretary", None)),
                    ),
                    DISCIPLINE => (
                        "纪委书记",
                        Some("副处级"),
                        true,
                        Some(("discipline_member", None)),
                    ),
                    k if (TEAM..DISCIPLINE).contains(&k) => {
                        let (t, p) = team[(k - TEAM) as usize % team.len()];
                        (t, Some("副处级"), true, Some(("team_member", Some(p))))
                    }
                    k if k == STAFF => ("党委办公室主任", Some("正科级"), false, None),
                    _ => ("组织人事科科长", Some("正科级"), false, None),
                }
            } else {
                match k {
                    0 => ("科主任", Some("正科级"), false, Some(("secretary", None))),
                    1 => ("主治医师", None, false, Some(("organizer", None))),
                    2 => (
                        "主管护师",
                        None,
                        false,
                        Some(("committee_member", Some("宣传委员"))),
                    ),
                    _ => {
                        let titles = content::member_titles(UnitType::Hospital);
                        (titles[rng.gen_range(0..titles.len())], None, false, None)
                    }
                }
            };
            let gender = names::gender(rng, if leader { 0.3 } else { 0.55 });
            let name = names::person_name(rng, gender);
            let roll = rng.gen_range(0..100);
            let (status, joined) = if leader {
                ("full", Some(d.today - rng.gen_range(15 * 365..35 * 365)))
            } else {
                match roll {
                    0..=83 => ("full", Some(d.today - rng.gen_range(2 * 365..30 * 365))),
                    84..=91 => ("probationary", Some(d.today - rng.gen_range(30..330))),
                    _ => ("applicant", None),
                }
            };
            people.push(PersonRow {
                id: pid,
                name,
                org_id: node.id,
                org_path: node.path.clone(),
                gender: Some(gender.to_string()),
                party_status: status.to_string(),
                joined_on: joined.map(|j| d.get(j)),
                cadre_rank: rank.map(str::to_string),
                title: Some(title.to_string()),
                created_at: now,
            });
            if let Some((kind, portfolio)) = pos {
                positions.push((next_position, pid, node.id, kind, portfolio));
                next_position += 1;
            }
        }
        if people.len() >= BATCH {
            let before = made;
            made += people.len();
            flush_people(app, &mut people, &mut positions).await?;
            prog.step("people", before, made, shape.people, false);
        }
    }
    let before = made;
    made += people.len();
    flush_people(app, &mut people, &mut positions).await?;
    prog.step("people", before, made, made as i64, true);

    // --- tasks: every committee carries the plan, branches their recurring duties ---
    let duties: Vec<Duty> = {
        let mut c = app.store.conn().await?;
        let mut s = Sql::new(
            "SELECT id, category, subject, title, content, deadline FROM tasks WHERE parent_id IS NULL AND plan_id = ",
        );
        s.bind(w.plan_id).push(" ORDER BY id");
        let rows: Vec<(i64, String, String, String, String, String)> = s
            .query_as()
            .fetch_all(&mut *c)
            .await
            .map_err(StoreError::from)?;
        rows.into_iter()
            .filter(|r| !content::ROOT_ONLY_DUTIES.contains(&r.3.as_str()))
            .map(|r| Duty {
                root_task: r.0,
                category: r.1,
                subject: r.2,
                title: r.3,
                content: r.4,
                deadline: d.parse(&r.5),
            })
            .collect()
    };
    let series = branch_series(&d, &duties, w.today.year());
    let branch_tasks_total = shape.tasks - committees * duties.len() as i64;
    let mut branch_tasks = spread(
        rng,
        (branch_tasks_total as f64 * MARGIN) as i64,
        branches as usize,
        0.8,
        1.2,
        series.len() as i64,
    )
    .into_iter();
    let mut next_task = next_id(app, "tasks").await?;
    let mut states = TaskStates {
        open_overdue: 0,
        open_future: 0,
    };
    let mut rows: Vec<TaskRow> = Vec::with_capacity(BATCH + 64);
    let mut made = 0usize;
    // committees in tree order: a district's tasks exist before its units'
    let mut order: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].level == Level::District)
        .collect();
    order.extend((0..nodes.len()).filter(|&i| nodes[i].level != Level::District));
    for ni in order {
        let node = &nodes[ni];
        match node.level {
            Level::District | Level::Unit => {
                let base = next_task;
                let (issuing, parent_base) = match node.parent {
                    Some(p) => (nodes[p].id, Some(nodes[p].task_base)),
                    None => (w.root.id, None),
                };
                for (j, duty) in duties.iter().enumerate() {
                    let deadline = if rng.gen_bool(0.25) {
                        (duty.deadline - rng.gen_range(0..60)).max(d.year_start + 20)
                    } else {
                        duty.deadline
                    };
                    let state = states.pick(rng, deadline, d.today);
                    let leader = match duty.subject.as_str() {
                        "secretary" => SECRETARY,
                        "team_member" => TEAM + (j as i64 % 4),
                        "discipline" => DISCIPLINE,
                        _ => [SECRETARY, DEPUTY][j % 2],
                    };
                    let person = STAFF + (j as i64 % 2);
                    rows.push(task_row(
                        rng,
                        &d,
                        next_task,
                        w.plan_id,
                        parent_base.map(|b| b + j as i64).unwrap_or(duty.root_task),
                        node,
                        issuing,
                        &duty.category,
                        &duty.subject,
                        &duty.title,
                        &duty.content,
                        Some(node.first_person + leader),
                        Some(node.first_person + person),
                        deadline,
                        state,
                    ));
                    next_task += 1;
                }
                nodes[ni].task_base = base;
            }
            Level::Branch => {
                let unit = &nodes[node.unit];
                let n = (branch_tasks.next().unwrap_or(1).max(1) as usize).min(series.len());
                for item in &series[..n] {
                    let state = states.pick(rng, item.deadline, d.today);
                    let person = node.first_person + rng.gen_range(0..node.n_people.max(1));
                    rows.push(task_row(
                        rng,
                        &d,
                        next_task,
                        w.plan_id,
                        unit.task_base + item.duty as i64,
                        node,
                        unit.id,
                        &duties[item.duty].category,
                        "committee",
                        &item.title,
                        &item.content,
                        Some(node.first_person),
                        Some(person),
                        item.deadline,
                        state,
                    ));
                    next_task += 1;
                }
            }
            Level::Group => {}
        }
        if rows.len() >= BATCH {
            let before = made;
            made += rows.len();
            let mut tx = app.store.begin_write().await?;
            for part in rows.chunks(rows_per_statement(17)) {
                task::insert_raw(tx.conn(), part).await?;
            }
            tx.commit().await?;
            rows.clear();
            prog.step("tasks", before, made, shape.tasks, false);
        }
    }
    let before = made;
    made += rows.len();
    let mut tx = app.store.begin_write().await?;
    for part in rows.chunks(rows_per_statement(17)) {
        task::insert_raw(tx.conn(), part).await?;
    }
    tx.commit().await?;
    drop(rows);
    prog.step("tasks", before, made, made as i64, true);

    // --- problems and their measures ---
    let targets: Vec<usize> = (0..nodes.len())
        .filter(|&i| matches!(nodes[i].level, Level::Unit | Level::Branch))
        .collect();
    let mut problems_per_org = spread(
        rng,
        (shape.problems as f64 * MARGIN) as i64,
        targets.len(),
        0.5,
        1.5,
        i64::MAX,
    )
    .into_iter();
    let refs = SourceRefs::new(w.today.year());
    let mut next_problem = next_id(app, "problems").await?;
    let mut next_measure = next_id(app, "measures").await?;
    let mut probs: Vec<ProblemRow> = Vec::with_capacity(BATCH / 2 + 64);
    let mut measures: Vec<RawMeasure> = Vec::with_capacity(BATCH * 2);
    let mut made = 0usize;
    let mut made_m = 0usize;
    let mut open_overdue = 0i64;
    let mut open_total = 0i64;
    for &ni in &targets {
        let node = &nodes[ni];
        let unit = &nodes[node.unit];
        let n = problems_per_org.next().unwrap_or(0);
        let mut last_closed: Option<(i64, &'static ProblemSpec)> = None;
        for _ in 0..n {
            let branch = node.level == Level::Branch;
            let (spec, source, source_ref, issuing, dept) = if branch {
                let spec = if rng.gen_bool(0.85) {
                    &content::BRANCH_PROBLEMS[rng.gen_range(0..content::BRANCH_PROBLEMS.len())]
                } else {
                    &content::COMMITTEE_PROBLEMS
                        [rng.gen_range(0..content::COMMITTEE_PROBLEMS.len())]
                };
                let k = rng.gen_range(0..content::PROBLEM_SOURCES_BRANCH.len());
                let (src, _) = content::PROBLEM_SOURCES_BRANCH[k];
                let issuing = match src {
                    "supervision" | "assessment" => unit.id,
                    _ => node.id,
                };
                (spec, src, refs.branch[k].clone(), issuing, None)
            } else {
                let spec = &content::COMMITTEE_PROBLEMS
                    [rng.gen_range(0..content::COMMITTEE_PROBLEMS.len())];
                let k = rng.gen_range(0..content::PROBLEM_SOURCES_UNIT.len());
                let (src, _) = content::PROBLEM_SOURCES_UNIT[k];
                let upper = node.parent.map(|p| nodes[p].id).unwrap_or(w.root.id);
                let issuing = match src {
                    "local_inspection" | "assessment" | "audit" | "supervision" => upper,
                    _ => node.id,
                };
                let r = if src == "local_inspection" {
                    refs.rounds[rng.gen_range(0..refs.rounds.len())].clone()
                } else {
                    refs.unit[k].clone()
                };
                let dept = content::DEPARTMENTS[rng.gen_range(0..content::DEPARTMENTS.len())];
                (spec, src, r, issuing, Some(dept.to_string()))
            };
            let recurrence = match last_closed {
                Some((id, s)) if rng.gen_bool(0.03) => Some((id, s)),
                _ => None,
            };
            let spec = recurrence.map(|r| r.1).unwrap_or(spec);
            let state = match rng.gen_range(0..100) {
                0..=54 => "closed",
                55..=64 => "pending_review",
                _ => "open",
            };
            let mut found = d.today - rng.gen_range(5..400);
            let deadline = if state == "closed" {
                found + rng.gen_range(30..180)
            } else {
                open_total += 1;
                // about 15% of the open ones are past their deadline
                if open_overdue * 100 < open_total * 15 {
                    open_overdue += 1;
                    found = found.min(d.today - 20);
                    rng.gen_range(found + 15..d.today)
                } else {
                    rng.gen_range((found + 30).max(d.today)..=d.today + 180)
                }
            };
            let created = d.ts(rng, found);
            let closed_at = (state == "closed").then(|| {
                let day = (deadline - rng.gen_range(0..20))
                    .max(found + 7)
                    .min(d.today);
                d.ts(rng, day)
            });
            let updated = match closed_at {
                Some(t) => t,
                None => {
                    let day = (found + rng.gen_range(1..60)).min(d.today);
                    d.ts(rng, day)
                }
            };
            let leader = if branch {
                node.first_person
            } else {
                node.first_person
                    + [SECRETARY, DEPUTY, TEAM, TEAM + 1, TEAM + 2, TEAM + 3][rng.gen_range(0..6)]
            };
            let person = node.first_person + rng.gen_range(0..node.n_people.max(1));
            let id = next_problem;
            next_problem += 1;
            let title = match recurrence {
                Some(_) => format!("{}（整改后反弹）", spec.title),
                None => spec.title.to_string(),
            };
            probs.push(ProblemRow {
                id,
                org_id: node.id,
                org_path: node.path.clone(),
                issuing_org_id: issuing,
                source: source.to_string(),
                source_ref: Some(source_ref),
                title,
                description: spec.description.to_string(),
                category: spec.category.to_string(),
                leader_id: Some(leader),
                department: dept,
                person_id: Some(person),
                found_on: d.get(found),
                deadline: d.get(deadline),
                state: state.to_string(),
                recurrence_of: recurrence.map(|r| r.0),
                closed_at,
                created_at: created,
                updated_at: updated,
            });
            if state == "closed" {
                last_closed = Some((id, spec));
            }
            // measures: 1 to 5, three on average
            let k = match rng.gen_range(0..10) {
                0 => 1,
                1..=2 => 2,
                3..=6 => 3,
                7..=8 => 4,
                _ => 5,
            };
            let span = (deadline - found).max(k);
            for i in 0..k {
                let text = spec
                    .measures
                    .get(i as usize)
                    .copied()
                    .unwrap_or(GENERIC_MEASURES[(i as usize) % GENERIC_MEASURES.len()]);
                let mdl = found + span * (i + 1) / k;
                let done = match state {
                    "open" => rng.gen_bool(0.4) && mdl <= d.today + 30,
                    _ => true,
                };
                let done_at = done.then(|| {
                    let day = mdl.min(d.today) - rng.gen_range(0..10);
                    d.ts(rng, day).max(created)
                });
                measures.push((
                    next_measure,
                    id,
                    node.path.clone(),
                    text.to_string(),
                    Some(node.first_person + rng.gen_range(0..node.n_people.max(1))),
                    d.get(mdl),
                    if done { "done" } else { "todo" }.to_string(),
                    done_at,
                    created,
                ));
                next_measure += 1;
            }
        }
        if probs.len() >= BATCH / 2 {
            let (bp, bm) = (made, made_m);
            made += probs.len();
            made_m += measures.len();
            flush_problems(app, &mut probs, &mut measures).await?;
            prog.step("problems", bp, made, shape.problems, false);
            prog.step("measures", bm, made_m, shape.problems * 3, false);
        }
    }
    let (bp, bm) = (made, made_m);
    made += probs.len();
    made_m += measures.len();
    flush_problems(app, &mut probs, &mut measures).await?;
    prog.step("problems", bp, made, made as i64, true);
    prog.step("measures", bm, made_m, made_m as i64, true);

    // --- derived data ---
    let mut tx = app.store.begin_write().await?;
    counters::rebuild(tx.conn(), "task", "tasks").await?;
    counters::rebuild(tx.conn(), "problem", "problems").await?;
    tx.commit().await?;
    app.store.sync_sequences().await?;
    app.store.analyze().await?;
    eprintln!(
        "演示数据 demo: counters rebuilt, statistics updated ({:.1}s)",
        prog.start.elapsed().as_secs_f64()
    );
    Ok(())
}

const GENERIC_MEASURES: &[&str] = &[
    "举一反三开展自查，建立长效机制",
    "将整改情况纳入年度考核",
    "组织专题学习并形成学习记录",
    "修订完善相关制度",
    "开展整改“回头看”",
];

/// A unit's name and kind: directly under the root, districts name the units; under a
/// district, its hospitals first, then community centres and township health centres.
fn unit_name(top: bool, district: usize, k: usize, nd: usize, ni: usize) -> (String, &'static str) {
    if top {
        // institution kinds alternate; (district, institution) pairs never repeat
        // while k < nd * ni, since ni + 1 and nd have no common factor
        let (q, r) = (k / ni, k % ni);
        let (inst, kind) = content::INSTITUTIONS[r];
        return (
            format!("{}{inst}", content::DISTRICTS[(q * (ni + 1) + r) % nd]),
            kind,
        );
    }
    let dname = content::DISTRICTS[district % nd];
    let ns = content::STREETS.len();
    let nt = content::TOWNS.len();
    if k < ni {
        let (inst, kind) = content::INSTITUTIONS[k];
        (format!("{dname}{inst}"), kind)
    } else if k < ni + ns {
        let s = content::STREETS[(k - ni + district * 7) % ns];
        (
            format!("{dname}{s}街道社区卫生服务中心党总支"),
            "general_branch",
        )
    } else if k < ni + ns + nt {
        let t = content::TOWNS[(k - ni - ns + district * 5) % nt];
        (format!("{dname}{t}镇卫生院党总支"), "general_branch")
    } else {
        (
            format!("{dname}第{}社区卫生服务站党支部", k - ni - ns - nt + 1),
            "general_branch",
        )
    }
}

/// The recurring branch duties of the year, in the order a branch takes them: the
/// plan duties decomposed to branches, then meetings by month and quarter.
fn branch_series(d: &Dates, duties: &[Duty], year: i32) -> Vec<SeriesItem> {
    let mut v = Vec::new();
    for title in content::BRANCH_DUTIES {
        if let Some(j) = duties.iter().position(|x| x.title == *title) {
            v.push(SeriesItem {
                title: duties[j].title.clone(),
                content: duties[j].content.clone(),
                deadline: duties[j].deadline,
                duty: j,
            });
        }
    }
    let month_end = |m: u32| -> i64 {
        let first_next = if m == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, m + 1, 1)
        };
        first_next.map(|x| d.idx(x) - 1).unwrap_or(d.year_end)
    };
    const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];
    for (stem, text, cadence, duty) in content::BRANCH_SERIES {
        let Some(j) = duties.iter().position(|x| x.title == *duty) else {
            continue;
        };
        if *cadence == 1 {
            for m in 1..=12u32 {
                v.push(SeriesItem {
                    title: format!("{stem}（{m}月）"),
                    content: text.to_string(),
                    deadline: month_end(m),
                    duty: j,
                });
            }
        } else {
            for (q, label) in QUARTERS.iter().enumerate() {
                v.push(SeriesItem {
                    title: format!("{stem}（第{label}季度）"),
                    content: text.to_string(),
                    deadline: month_end(3 * (q as u32 + 1)),
                    duty: j,
                });
            }
        }
    }
    v
}

/// Source references ("第三轮巡察", "2025年度民主生活会"…) by source.
struct SourceRefs {
    rounds: Vec<String>,
    unit: Vec<String>,
    branch: Vec<String>,
}

impl SourceRefs {
    fn new(year: i32) -> SourceRefs {
        let rounds = ["第一轮巡察", "第二轮巡察", "第三轮巡察", "第四轮巡察"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let unit = content::PROBLEM_SOURCES_UNIT
            .iter()
            .map(|(src, label)| match *src {
                "self_examination" => format!("{year}年{label}"),
                "democratic_life" | "assessment" => format!("{}年度{label}", year - 1),
                _ => label.to_string(),
            })
            .collect();
        let branch = content::PROBLEM_SOURCES_BRANCH
            .iter()
            .map(|(src, label)| match *src {
                "democratic_life" | "assessment" => format!("{}年度{label}", year - 1),
                _ => label.to_string(),
            })
            .collect();
        SourceRefs {
            rounds,
            unit,
            branch,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn task_row(
    rng: &mut SmallRng,
    d: &Dates,
    id: i64,
    plan_id: i64,
    parent: i64,
    node: &Node,
    issuing: i64,
    category: &str,
    subject: &str,
    title: &str,
    content: &str,
    leader: Option<i64>,
    person: Option<i64>,
    deadline: i64,
    state: &str,
) -> TaskRow {
    let start = d.year_start + rng.gen_range(5..40);
    let created = d.ts(rng, start);
    let completed = (state == "done").then(|| {
        let day = (deadline - rng.gen_range(0..25))
            .min(d.today)
            .max(d.year_start + 40);
        d.ts(rng, day).max(created)
    });
    let updated = match completed {
        Some(t) => t,
        None if state == "not_started" => created,
        None => {
            let day = (d.today - rng.gen_range(0..30)).max(d.year_start + 40);
            d.ts(rng, day).max(created)
        }
    };
    TaskRow {
        id,
        plan_id: Some(plan_id),
        parent_id: Some(parent),
        org_id: node.id,
        org_path: node.path.clone(),
        issuing_org_id: issuing,
        category: category.to_string(),
        subject: subject.to_string(),
        title: title.to_string(),
        content: content.to_string(),
        leader_id: leader,
        person_id: person,
        deadline: d.get(deadline),
        state: state.to_string(),
        created_at: created,
        updated_at: updated,
        completed_at: completed,
    }
}

async fn flush_people(
    app: &App,
    people: &mut Vec<PersonRow>,
    positions: &mut Vec<(i64, i64, i64, &'static str, Option<&'static str>)>,
) -> Result<(), StoreError> {
    let mut tx = app.store.begin_write().await?;
    for part in people.chunks(rows_per_statement(10)) {
        person::insert_raw(tx.conn(), part).await?;
    }
    insert_positions(tx.conn(), positions).await?;
    tx.commit().await?;
    people.clear();
    positions.clear();
    Ok(())
}

/// Positions with explicit ids, many rows per statement.
async fn insert_positions(
    c: &mut Conn,
    rows: &[(i64, i64, i64, &'static str, Option<&'static str>)],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(500) {
        let mut s =
            Sql::new("INSERT INTO positions (id, person_id, org_id, kind, portfolio) VALUES ");
        for (i, (id, person, org, kind, portfolio)) in chunk.iter().enumerate() {
            s.push(if i > 0 { ",(" } else { "(" })
                .bind(*id)
                .push(",")
                .bind(*person)
                .push(",")
                .bind(*org)
                .push(",")
                .bind(*kind)
                .push(",")
                .bind(portfolio.map(str::to_string))
                .push(")");
        }
        s.query().execute(&mut *c).await?;
    }
    Ok(())
}

async fn flush_problems(
    app: &App,
    probs: &mut Vec<ProblemRow>,
    measures: &mut Vec<RawMeasure>,
) -> Result<(), StoreError> {
    let mut tx = app.store.begin_write().await?;
    for part in probs.chunks(rows_per_statement(19)) {
        problem::insert_raw(tx.conn(), part).await?;
    }
    for part in measures.chunks(rows_per_statement(9)) {
        problem::insert_measures_raw(tx.conn(), part).await?;
    }
    tx.commit().await?;
    probs.clear();
    measures.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn spread_adds_up_exactly_and_respects_the_cap() {
        let mut rng = SmallRng::seed_from_u64(7);
        let parts = spread(&mut rng, 1_000_003, 24_571, 0.5, 1.5, i64::MAX);
        assert_eq!(parts.len(), 24_571);
        assert_eq!(parts.iter().sum::<i64>(), 1_000_003);
        assert!(parts.iter().all(|&p| p >= 0));

        let capped = spread(&mut rng, 9_000, 200, 0.8, 1.2, 46);
        assert_eq!(capped.iter().sum::<i64>(), 9_000);
        assert!(capped.iter().all(|&p| p <= 46));

        // more than the caps allow: every slot full, nothing beyond
        let full = spread(&mut rng, 10_000, 10, 0.5, 1.5, 7);
        assert_eq!(full, vec![7; 10]);
    }
}
