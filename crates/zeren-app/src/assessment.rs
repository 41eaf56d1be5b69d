//! Assessment (考核): a commission's indicator systems (copied from `library/assessment`
//! and edited, every edit a new version), rounds for a year over a set of orgs in
//! scoring groups, the assessed org's receipt (签收), scorers' entries with evidence,
//! appeals within a window and their answers, publication, rankings and score cards.
//!
//! Scores come from `zeren_core::assessment::score`, a pure function of the system,
//! the record counts of each assessed org and the scorers' entries. The counts are read
//! for the whole round at once ([`gather`]): one query per kind of record over the
//! running org's subtree, grouped by org path, each row credited to the assessed org
//! above it; and one compliance pass (`compliance::compute`) for organisational life
//! and branch health. At publication the counts, entries and cards are frozen in
//! `assessment_results`; a published round is re-scored from them, so it gives the
//! same numbers however the records change afterwards.
//!
//! Who does what: the commission party office (`Permission::Assess` at or above the
//! round's org) copies and edits systems, opens rounds, scores, answers appeals and
//! publishes; the assessed org's own office (a writing role held at the assessed org
//! itself) signs for receipt and appeals; whoever reads the assessed org sees its card.
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zeren_core::assessment::{self as core, Card, Inputs, Manual, Metric, System};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::assessment::{self as store, NewAppeal, NewEntry, NewRound, NewSystem, ResultRow};
pub use zeren_store::assessment::{AppealRow, EntryRow, RecordRow, RoundRow, SystemRow, TargetRow};
use zeren_store::Scope;

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult};

/// The systems shipped in `library/assessment` (TOML, embedded at build time).
pub const LIBRARY: [&str; 1] = [include_str!(
    "../../../library/assessment/party-building.toml"
)];

/// The shipped systems, parsed. A library file that fails to parse is a build-time
/// mistake caught by the tests, not something a user can cause; it is skipped here.
pub fn library() -> Vec<(System, &'static str)> {
    LIBRARY
        .iter()
        .filter_map(|src| System::parse(src).ok().map(|s| (s, *src)))
        .collect()
}

/// One assessed org of a computed round.
#[derive(Debug, Clone, Serialize)]
pub struct OrgScore {
    pub org_id: i64,
    pub org_name: String,
    pub org_code: Option<String>,
    pub org_path: String,
    pub group: String,
    pub signed: bool,
    pub inputs: Inputs,
    pub manual: Manual,
    pub card: Card,
    pub group_rank: i64,
    pub round_rank: i64,
}

/// A round with every assessed org the actor may see, scored.
#[derive(Debug, Clone, Serialize)]
pub struct RoundScores {
    pub round: RoundRow,
    pub system: System,
    pub system_row: SystemRow,
    /// Read from the results frozen at publication.
    pub frozen: bool,
    pub orgs: Vec<OrgScore>,
    /// The actor runs the round (sees every org, scores, publishes).
    pub runs: bool,
}

/// A default round when the year has none (the CLI and the benchmark): the org's
/// direct sub-committees, scored with the first shipped system, nothing saved.
pub struct Provisional;

#[derive(Debug, Clone, Default)]
pub struct RoundInput {
    pub year: i64,
    pub title: String,
    pub system_id: i64,
    pub as_of: String,
    pub appeal_until: String,
    /// (org id, scoring group)
    pub targets: Vec<(i64, String)>,
}

/// The records behind one count: what the card links to.
#[derive(Debug, Clone, Serialize)]
pub struct RecordLink {
    pub metric: Metric,
    pub label: &'static str,
    pub count: i64,
    /// A page listing those records (filtered), or None when the count has no list.
    pub href: Option<String>,
}

fn year_range(year: i64) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// Where an org path falls: the assessed org whose path is a prefix of it.
struct Owners<'a> {
    by_path: HashMap<&'a str, usize>,
}

impl<'a> Owners<'a> {
    fn new(paths: impl Iterator<Item = &'a str>) -> Self {
        Owners {
            by_path: paths.enumerate().map(|(i, p)| (p, i)).collect(),
        }
    }
    /// The assessed org of `path` (itself or the nearest ancestor in the round).
    fn of(&self, path: &str) -> Option<usize> {
        for (i, b) in path.bytes().enumerate().skip(1) {
            if b == b'/' {
                if let Some(ix) = self.by_path.get(&path[..=i]) {
                    return Some(*ix);
                }
            }
        }
        None
    }
}

/// The record counts of every assessed org (`paths`, not nested) under `root_path`
/// for `year`, judged as of `as_of`. Set-based: five queries over the subtree and one
/// compliance pass, whatever the number of orgs and indicators.
pub async fn gather(
    app: &App,
    root_path: &str,
    paths: &[String],
    year: i64,
    as_of: NaiveDate,
    metrics: &std::collections::BTreeSet<Metric>,
) -> AppResult<Vec<Inputs>> {
    let scope = Scope::Subtrees(vec![root_path.to_string()]);
    let owners = Owners::new(paths.iter().map(String::as_str));
    let mut out: Vec<Inputs> = vec![Inputs::new(); paths.len()];
    for i in out.iter_mut() {
        for m in metrics {
            i.insert(*m, 0);
        }
    }
    let y = i32::try_from(year).map_err(|_| invalid("year", "年度超出范围"))?;
    let (from, to) = year_range(year);
    let next_year = format!("{:04}-01-01", year + 1);
    let as_of_s = as_of.to_string();
    let before = if as_of_s < next_year {
        as_of_s.clone()
    } else {
        next_year
    };
    let wants = |ms: &[Metric]| ms.iter().any(|m| metrics.contains(m));
    let add = |out: &mut Vec<Inputs>, path: &str, m: Metric, n: i64| {
        if let Some(ix) = owners.of(path) {
            if let Some(v) = out[ix].get_mut(&m) {
                *v += n;
            }
        }
    };

    // the compliance pass is the largest read: it runs beside the others
    let compliance = async {
        if !wants(&[
            Metric::RulesDecided,
            Metric::RulesKept,
            Metric::Branches,
            Metric::BranchesHealthy,
        ]) {
            return Ok(None);
        }
        let mut c = app.store.conn().await?;
        let set = app.rule_set(&mut c).await?;
        drop(c);
        crate::compliance::compute(
            &app.store,
            &set,
            &scope,
            y,
            as_of,
            crate::compliance::Want { periods: false },
        )
        .await
        .map(Some)
    };
    let records = async {
        let mut c = app.store.conn().await?;
        let tasks = if wants(&[Metric::TasksDue, Metric::TasksDone, Metric::TasksDoneOnTime]) {
            store::tasks(&mut c, &scope, y).await?
        } else {
            Vec::new()
        };
        let problems = if wants(&[
            Metric::ProblemsFound,
            Metric::ProblemsClosed,
            Metric::Measures,
            Metric::MeasuresDone,
        ]) {
            store::problems(&mut c, &scope, y).await?
        } else {
            Vec::new()
        };
        let overdue = if wants(&[Metric::ProblemsOverdue]) {
            store::problems_overdue(&mut c, &scope, &from, &before).await?
        } else {
            Vec::new()
        };
        let notices = if wants(&[Metric::Notices, Metric::NoticesAnsweredOnTime]) {
            store::notices(&mut c, &scope, &from, &to).await?
        } else {
            Vec::new()
        };
        let acc = if wants(&[Metric::AccountabilityActions]) {
            store::accountability(&mut c, &scope, &from, &to).await?
        } else {
            Vec::new()
        };
        Ok::<_, AppError>((tasks, problems, overdue, notices, acc))
    };
    let (comp, recs) = tokio::join!(compliance, records);
    let (tasks, problems, overdue, notices, acc) = recs?;
    for (p, due, done, on_time) in &tasks {
        add(&mut out, p, Metric::TasksDue, *due);
        add(&mut out, p, Metric::TasksDone, *done);
        add(&mut out, p, Metric::TasksDoneOnTime, *on_time);
    }
    for (p, found, closed, measures, done) in &problems {
        add(&mut out, p, Metric::ProblemsFound, *found);
        add(&mut out, p, Metric::ProblemsClosed, *closed);
        add(&mut out, p, Metric::Measures, *measures);
        add(&mut out, p, Metric::MeasuresDone, *done);
    }
    for (p, n) in &overdue {
        add(&mut out, p, Metric::ProblemsOverdue, *n);
    }
    for (p, due, answered) in &notices {
        add(&mut out, p, Metric::Notices, 1);
        let on_time = match (
            answered.and_then(clock::date_of),
            NaiveDate::parse_from_str(due, "%Y-%m-%d"),
        ) {
            (Some(a), Ok(d)) => a <= d,
            _ => false,
        };
        if on_time {
            add(&mut out, p, Metric::NoticesAnsweredOnTime, 1);
        }
    }
    for (p, n) in &acc {
        add(&mut out, p, Metric::AccountabilityActions, *n);
    }
    if let Some(comp) = comp? {
        use zeren_core::rule::Outcome;
        for o in &comp.orgs {
            let decided = o
                .rules
                .iter()
                .filter(|r| {
                    matches!(
                        r.verdict,
                        Outcome::Ok | Outcome::Missing | Outcome::Violation
                    )
                })
                .count();
            let kept = o.rules.iter().filter(|r| r.verdict == Outcome::Ok).count();
            add(
                &mut out,
                &o.path,
                Metric::RulesDecided,
                i64::try_from(decided).unwrap_or(0),
            );
            add(
                &mut out,
                &o.path,
                Metric::RulesKept,
                i64::try_from(kept).unwrap_or(0),
            );
            if o.kind == "branch" {
                add(&mut out, &o.path, Metric::Branches, 1);
                let h = &o.health;
                if h.has_secretary
                    && h.days_to_term_end.is_none_or(|d| d >= 0)
                    && h.lost_contact == 0
                {
                    add(&mut out, &o.path, Metric::BranchesHealthy, 1);
                }
            }
        }
    }
    Ok(out)
}

/// Ranks within each group and over the round, by total (equal totals share a rank).
fn rank(orgs: &mut [OrgScore]) {
    let totals: Vec<i64> = orgs.iter().map(|o| o.card.total).collect();
    for (o, r) in orgs.iter_mut().zip(core::ranks(&totals)) {
        o.round_rank = r;
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, o) in orgs.iter().enumerate() {
        groups.entry(o.group.clone()).or_default().push(i);
    }
    for ix in groups.values() {
        let t: Vec<i64> = ix.iter().map(|i| orgs[*i].card.total).collect();
        for (i, r) in ix.iter().zip(core::ranks(&t)) {
            orgs[*i].group_rank = r;
        }
    }
}

/// Manual entries per org from the store's rows.
fn manual_of(entries: &[EntryRow]) -> HashMap<i64, Manual> {
    let mut m: HashMap<i64, Manual> = HashMap::new();
    for e in entries {
        m.entry(e.org_id)
            .or_default()
            .insert(e.item_key.clone(), e.value);
    }
    m
}

/// Rounds being scored, as last computed, with the database's `data_version` read
/// before the computing began. A province round takes seconds to score and every page
/// of it — the ranking, a unit's card, its Word and Excel forms — needs all of it (a
/// card shows its rank); while nothing at all has been committed since, by this process
/// or another, the scores cannot have changed, so the last computation is reused. Any
/// commit (a task done, a scorer's entry, a session touched) makes the next reading
/// compute afresh.
#[derive(Default)]
pub struct LiveRounds {
    rounds: std::sync::Mutex<HashMap<i64, (String, Scored)>>,
    computed: std::sync::atomic::AtomicU64,
    reused: std::sync::atomic::AtomicU64,
}

/// Every target of a round scored, shared between the readings that reuse it.
type Scored = std::sync::Arc<Vec<OrgScore>>;

/// Rounds kept at most (a commission scores one or two at a time).
const LIVE_ROUNDS_KEPT: usize = 8;

impl LiveRounds {
    fn get(&self, round_id: i64, version: &str) -> Option<Scored> {
        let rounds = self.rounds.lock().ok()?;
        let (v, orgs) = rounds.get(&round_id)?;
        (v == version).then(|| orgs.clone())
    }

    fn put(&self, round_id: i64, version: String, orgs: Scored) {
        if let Ok(mut rounds) = self.rounds.lock() {
            if rounds.len() >= LIVE_ROUNDS_KEPT && !rounds.contains_key(&round_id) {
                rounds.clear();
            }
            rounds.insert(round_id, (version, orgs));
        }
    }
}

impl App {
    /// How many times a live round was computed and how many times a computation was
    /// reused (diagnostics, and the tests of the reuse rule).
    pub fn live_round_counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.live_rounds.computed.load(Relaxed),
            self.live_rounds.reused.load(Relaxed),
        )
    }

    /// Every target of a live round scored: reused while the database is unchanged,
    /// else computed from the records.
    async fn live_scores(&self, round: &RoundRow, sys: &System) -> AppResult<Scored> {
        use std::sync::atomic::Ordering::Relaxed;
        // read before anything else: a commit while computing leaves the result
        // stamped with the older version, so the next reading computes again
        let version = self.store.data_version().await.ok();
        if let Some(v) = &version {
            if let Some(orgs) = self.live_rounds.get(round.id, v) {
                self.live_rounds.reused.fetch_add(1, Relaxed);
                return Ok(orgs);
            }
        }
        let mut c = self.store.conn().await?;
        let all = store::targets(&mut c, round.id, None).await?;
        let entries = store::entries(&mut c, round.id).await?;
        drop(c);
        let orgs = std::sync::Arc::new(score_live(self, round, sys, &all, &entries).await?);
        self.live_rounds.computed.fetch_add(1, Relaxed);
        if let Some(v) = version {
            self.live_rounds.put(round.id, v, orgs.clone());
        }
        Ok(orgs)
    }
}

/// Scores every target of a round from the records now (the pure function over the
/// gathered counts).
async fn score_live(
    app: &App,
    round: &RoundRow,
    sys: &System,
    targets: &[TargetRow],
    entries: &[EntryRow],
) -> AppResult<Vec<OrgScore>> {
    let as_of = NaiveDate::parse_from_str(&round.as_of, "%Y-%m-%d")
        .map_err(|_| invalid("as_of", "考核截止日期格式有误"))?;
    let paths: Vec<String> = targets.iter().map(|t| t.org_path.clone()).collect();
    let inputs = gather(
        app,
        &round.org_path,
        &paths,
        round.year,
        as_of,
        &sys.metrics(),
    )
    .await?;
    let manual = manual_of(entries);
    let mut orgs: Vec<OrgScore> = targets
        .iter()
        .zip(inputs)
        .map(|(t, inputs)| {
            let manual = manual.get(&t.org_id).cloned().unwrap_or_default();
            let card = core::score(sys, &inputs, &manual);
            OrgScore {
                org_id: t.org_id,
                org_name: t.org_name.clone(),
                org_code: t.org_code.clone(),
                org_path: t.org_path.clone(),
                group: t.grp.clone(),
                signed: t.signed_at.is_some(),
                inputs,
                manual,
                card,
                group_rank: 0,
                round_rank: 0,
            }
        })
        .collect();
    rank(&mut orgs);
    Ok(orgs)
}

/// Re-scores a published round from its frozen counts and entries; a card that does
/// not come out as frozen is an error (it would mean the scoring rules changed).
fn score_frozen(
    sys: &System,
    targets: &[TargetRow],
    results: &[ResultRow],
) -> AppResult<Vec<OrgScore>> {
    let by_org: HashMap<i64, &ResultRow> = results.iter().map(|r| (r.org_id, r)).collect();
    let mut orgs = Vec::with_capacity(targets.len());
    for t in targets {
        let Some(r) = by_org.get(&t.org_id) else {
            continue;
        };
        let inputs: Inputs = serde_json::from_str(&r.inputs)
            .map_err(|e| AppError::Conflict(format!("已发布结果无法读取：{e}")))?;
        let manual: Manual = serde_json::from_str(&r.manual)
            .map_err(|e| AppError::Conflict(format!("已发布结果无法读取：{e}")))?;
        let frozen: Card = serde_json::from_str(&r.card)
            .map_err(|e| AppError::Conflict(format!("已发布结果无法读取：{e}")))?;
        let card = core::score(sys, &inputs, &manual);
        if card != frozen || card.total != r.total {
            return Err(AppError::Conflict(format!(
                "“{}”重新计算的得分 {} 与发布时的 {} 不一致",
                t.org_name,
                core::fmt_points(card.total),
                core::fmt_points(r.total)
            )));
        }
        orgs.push(OrgScore {
            org_id: t.org_id,
            org_name: t.org_name.clone(),
            org_code: t.org_code.clone(),
            org_path: t.org_path.clone(),
            group: r.grp.clone(),
            signed: t.signed_at.is_some(),
            inputs,
            manual,
            card,
            group_rank: r.group_rank,
            round_rank: r.round_rank,
        });
    }
    Ok(orgs)
}

fn runs(actor: &Actor, round: &RoundRow) -> bool {
    actor.can_at(Permission::Assess, &round.org_path)
}

/// The assessed org's own side: a writing role held at the assessed org itself.
fn assessed_side(actor: &Actor, target_path: &str) -> bool {
    actor
        .roles
        .iter()
        .any(|(r, row)| r.permits(Permission::WriteScope) && row.org_path == target_path)
}

fn parse_system(src: &str) -> AppResult<System> {
    System::parse(src).map_err(AppError::Invalid)
}

impl App {
    /// Whether the actor may run assessments (menu entries, buttons).
    pub fn may_assess(actor: &Actor) -> bool {
        actor.has(Permission::Assess)
    }

    /// Systems of the actor's scope, every version.
    pub async fn assessment_systems(&self, actor: &Actor) -> AppResult<Vec<SystemRow>> {
        actor.require(Permission::Assess, "只有委党办可以管理考核细则")?;
        let mut c = self.store.conn().await?;
        Ok(store::systems(
            &mut c,
            &Scope::Subtrees(actor.paths_for(Permission::Assess)),
        )
        .await?)
    }

    pub async fn assessment_system(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(SystemRow, System)> {
        let mut c = self.store.conn().await?;
        let row = store::system(&mut c, id)
            .await
            .map_err(|_| AppError::NotFound)?;
        if !actor.can_at(Permission::Assess, &row.org_path) {
            return Err(AppError::NotFound);
        }
        let sys = parse_system(&row.source)?;
        Ok((row, sys))
    }

    /// Copies a shipped system (`library_key`) to the actor's org as a new version.
    pub async fn assessment_system_copy(&self, actor: &Actor, library_key: &str) -> AppResult<i64> {
        actor.require(Permission::Assess, "只有委党办可以管理考核细则")?;
        let Some((sys, src)) = library().into_iter().find(|(s, _)| s.key == library_key) else {
            return Err(invalid("library_key", "没有这份内置考核细则"));
        };
        let from = format!("{}@{}", sys.key, sys.version);
        self.put_system(actor, None, src, &from).await
    }

    /// Saves an edited system (TOML) as the next version of `system_id`'s key; a
    /// formalism indicator or any other error refuses it, naming the indicator.
    pub async fn assessment_system_edit(
        &self,
        actor: &Actor,
        system_id: i64,
        source: &str,
    ) -> AppResult<i64> {
        let (row, _) = self.assessment_system(actor, system_id).await?;
        let sys = parse_system(source)?;
        if sys.key != row.key {
            return Err(invalid(
                "source",
                format!("细则标识应保持为“{}”，另起一份请先复制", row.key),
            ));
        }
        self.put_system(actor, Some(row.org_id), source, &row.copied_from)
            .await
    }

    async fn put_system(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        source: &str,
        from: &str,
    ) -> AppResult<i64> {
        let sys = parse_system(source)?;
        let paths = actor.paths_for(Permission::Assess);
        let mut tx = self.store.begin_write().await?;
        let org = match org_id {
            Some(id) => zeren_store::org::get(tx.conn(), id).await?,
            None => {
                let home = actor
                    .roles
                    .iter()
                    .find(|(r, _)| r.permits(Permission::Assess))
                    .map(|(_, row)| row.org_id)
                    .ok_or_else(|| AppError::Forbidden("只有委党办可以管理考核细则".into()))?;
                zeren_store::org::get(tx.conn(), home).await?
            }
        };
        if !paths.iter().any(|p| org.path.starts_with(p.as_str())) {
            return Err(AppError::Forbidden("只有委党办可以管理考核细则".into()));
        }
        let version = store::last_version(tx.conn(), org.id, &sys.key).await? + 1;
        let now = clock::now();
        let id = store::insert_system(
            tx.conn(),
            NewSystem {
                org_id: org.id,
                org_path: &org.path,
                key: &sys.key,
                version,
                title: &sys.title,
                source,
                copied_from: from,
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "assessment_system",
            id,
            if version == 1 { "复制" } else { "修改" },
            &format!(
                "{} 第{version}版，指标 {} 项，满分 {}",
                sys.title,
                sys.indicators.len(),
                core::fmt_points(sys.full_points())
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentSystem,
                "assessment_system",
                id,
                &org.path,
            )
            .detail(format!("{} v{version}", sys.key)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Opens a round for a year over orgs below the actor's org, in scoring groups.
    pub async fn assessment_round_create(
        &self,
        actor: &Actor,
        input: RoundInput,
    ) -> AppResult<i64> {
        actor.require(Permission::Assess, "只有委党办可以组织考核")?;
        let mut errs = ValidationErrors::new();
        if !(2000..=2100).contains(&input.year) {
            errs.add("year", "年度应在 2000 至 2100 之间");
        }
        let title = validate::text(&mut errs, "title", "考核名称", &input.title, 100);
        let as_of = validate::date(&mut errs, "as_of", "考核截止日期", &input.as_of);
        let until = validate::date(
            &mut errs,
            "appeal_until",
            "申诉截止日期",
            &input.appeal_until,
        );
        if input.targets.is_empty() {
            errs.add("targets", "请选择被考核单位");
        }
        let mut tx = self.store.begin_write().await?;
        let sys_row = store::system(tx.conn(), input.system_id).await.ok();
        let sys_row = sys_row.filter(|s| actor.can_at(Permission::Assess, &s.org_path));
        if sys_row.is_none() {
            errs.add("system_id", "请选择本单位的考核细则");
        }
        let mut targets: Vec<(zeren_store::org::OrgRow, String)> = Vec::new();
        for (n, (id, grp)) in input.targets.iter().enumerate() {
            let grp = grp.trim();
            if grp.chars().count() > 30 {
                errs.add(
                    "targets",
                    format!("第{}个单位的考核分组不能超过30个字", n + 1),
                );
            }
            match zeren_store::org::get(tx.conn(), *id).await {
                Ok(o) if o.closed_at.is_none() => targets.push((
                    o,
                    if grp.is_empty() {
                        "全部".into()
                    } else {
                        grp.to_string()
                    },
                )),
                _ => errs.add("targets", format!("第{}个单位不存在", n + 1)),
            }
        }
        targets.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        for w in targets.windows(2) {
            if w[1].0.path.starts_with(w[0].0.path.as_str()) {
                errs.add(
                    "targets",
                    format!(
                        "“{}”在“{}”之下，同一轮考核的单位不能互相包含",
                        w[1].0.name, w[0].0.name
                    ),
                );
            }
        }
        errs.into_result()?;
        let Some(sys_row) = sys_row else {
            return Err(invalid("system_id", "请选择考核细则"));
        };
        let (Some(as_of), Some(until)) = (as_of, until) else {
            return Err(invalid("as_of", "请填写日期"));
        };
        let org = zeren_store::org::get(tx.conn(), sys_row.org_id).await?;
        for (t, _) in &targets {
            if t.path == org.path || !t.path.starts_with(org.path.as_str()) {
                return Err(invalid(
                    "targets",
                    format!("“{}”不在“{}”之下", t.name, org.name),
                ));
            }
        }
        if store::round_of_year(tx.conn(), &org.path, input.year)
            .await?
            .is_some()
        {
            return Err(invalid("year", format!("{}年度已有考核", input.year)));
        }
        let now = clock::now();
        let id = store::insert_round(
            tx.conn(),
            NewRound {
                year: input.year,
                org_id: org.id,
                org_path: &org.path,
                title: &title,
                system_id: sys_row.id,
                as_of: &as_of.to_string(),
                appeal_until: &until.to_string(),
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        for (t, grp) in &targets {
            store::insert_target(tx.conn(), id, t.id, &t.path, grp).await?;
        }
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            id,
            "组织考核",
            &format!(
                "{}：{} 个单位，细则 {} 第{}版，截止 {as_of}，申诉至 {until}",
                title,
                targets.len(),
                sys_row.title,
                sys_row.version
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentRound,
                "assessment_round",
                id,
                &org.path,
            )
            .detail(format!("year {} targets {}", input.year, targets.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Rounds the actor runs or is assessed in.
    pub async fn assessment_rounds(&self, actor: &Actor) -> AppResult<Vec<RoundRow>> {
        actor.require(Permission::ReadScope, "考核结果仅本范围的工作人员可以查看")?;
        let mut c = self.store.conn().await?;
        Ok(store::rounds(&mut c, &actor.read_scope()).await?)
    }

    /// A round and the orgs the actor may see (all when it runs the round, else the
    /// assessed orgs it reads), scored: from the records while scoring, from the frozen
    /// results once published.
    pub async fn assessment_round(&self, actor: &Actor, id: i64) -> AppResult<RoundScores> {
        let mut c = self.store.conn().await?;
        let round = store::round(&mut c, id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let runs = runs(actor, &round);
        let scope = actor.read_scope();
        let targets = store::targets(&mut c, id, if runs { None } else { Some(&scope) }).await?;
        if !runs && targets.is_empty() {
            return Err(AppError::NotFound);
        }
        let system_row = store::system(&mut c, round.system_id).await?;
        let system = parse_system(&system_row.source)?;
        let frozen = round.state == "published";
        let orgs = if frozen {
            let results = store::results(&mut c, id).await?;
            drop(c);
            score_frozen(&system, &targets, &results)?
        } else {
            // ranks need every org of the round, also when the actor sees one
            drop(c);
            let all = self.live_scores(&round, &system).await?;
            if runs {
                all.as_ref().clone()
            } else {
                let mine: std::collections::HashSet<i64> =
                    targets.iter().map(|t| t.org_id).collect();
                all.iter()
                    .filter(|o| mine.contains(&o.org_id))
                    .cloned()
                    .collect()
            }
        };
        Ok(RoundScores {
            round,
            system,
            system_row,
            frozen,
            orgs,
            runs,
        })
    }

    /// The round of `year` run highest in the tree, scored (the CLI; no actor, whole
    /// tree). None when the year has no round.
    pub async fn assessment_compute_year(&self, year: i64) -> AppResult<Option<RoundScores>> {
        let mut c = self.store.conn().await?;
        let Some(round) = store::rounds_of_year(&mut c, year)
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let root = zeren_store::org::root(&mut c)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(c);
        let actor = Actor::system(&root);
        self.assessment_round(&actor, round.id).await.map(Some)
    }

    /// A provisional round for `year` over every unit of the tree (`units`) with the
    /// first shipped system, as of the year's end (or today if earlier); nothing is
    /// saved. For a year without a round (the CLI says so) and for the benchmark.
    pub async fn assessment_provisional(&self, year: i64) -> AppResult<Vec<OrgScore>> {
        let mut c = self.store.conn().await?;
        let root = zeren_store::org::root(&mut c)
            .await?
            .ok_or(AppError::NotFound)?;
        let units = store::units(&mut c, &root.path).await?;
        drop(c);
        let Some((sys, _)) = library().into_iter().next() else {
            return Err(AppError::NotFound);
        };
        let end = NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(2026), 12, 31)
            .ok_or_else(|| invalid("year", "年度有误"))?;
        let as_of = end.min(clock::today());
        let paths: Vec<String> = units.iter().map(|u| u.1.clone()).collect();
        let inputs = gather(self, &root.path, &paths, year, as_of, &sys.metrics()).await?;
        let mut orgs: Vec<OrgScore> = units
            .iter()
            .zip(inputs)
            .map(|(u, inputs)| {
                let card = core::score(&sys, &inputs, &Manual::new());
                OrgScore {
                    org_id: u.0,
                    org_name: u.2.clone(),
                    org_code: u.3.clone(),
                    org_path: u.1.clone(),
                    group: "全部".into(),
                    signed: false,
                    inputs,
                    manual: Manual::new(),
                    card,
                    group_rank: 0,
                    round_rank: 0,
                }
            })
            .collect();
        rank(&mut orgs);
        Ok(orgs)
    }

    /// The units of the whole tree an assessment usually covers (see
    /// `zeren_store::assessment::units`): (id, path, name, code).
    pub async fn assessment_units(&self) -> AppResult<Vec<(i64, String, String, Option<String>)>> {
        let mut c = self.store.conn().await?;
        let root = zeren_store::org::root(&mut c)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(store::units(&mut c, &root.path).await?)
    }

    /// The units below the actor's assessing org (the new-round form's candidates).
    pub async fn assessment_candidates(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<(i64, String, String, Option<String>)>> {
        actor.require(Permission::Assess, "只有委党办可以组织考核")?;
        let mut c = self.store.conn().await?;
        let mut out = Vec::new();
        for p in actor.paths_for(Permission::Assess) {
            out.extend(
                store::units(&mut c, &p)
                    .await?
                    .into_iter()
                    .filter(|u| u.1 != p),
            );
        }
        Ok(out)
    }

    async fn target_for(
        &self,
        c: &mut zeren_store::Conn,
        round_id: i64,
        org_id: i64,
    ) -> AppResult<TargetRow> {
        store::targets(c, round_id, None)
            .await?
            .into_iter()
            .find(|t| t.org_id == org_id)
            .ok_or(AppError::NotFound)
    }

    /// The assessed org signs for receipt of the round (签收).
    pub async fn assessment_sign(
        &self,
        actor: &Actor,
        round_id: i64,
        org_id: i64,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let round = store::round(tx.conn(), round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let t = self.target_for(tx.conn(), round_id, org_id).await?;
        if !actor.read_scope().contains_path(&t.org_path) && !runs(actor, &round) {
            return Err(AppError::NotFound);
        }
        if !assessed_side(actor, &t.org_path) {
            return Err(AppError::Forbidden("只有被考核单位本单位可以签收".into()));
        }
        if round.state != "scoring" {
            return Err(AppError::Conflict("考核结果已发布".into()));
        }
        if !store::sign(tx.conn(), round_id, org_id, actor.audit_id(), clock::now()).await? {
            return Err(AppError::Conflict("已经签收过了".into()));
        }
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            round_id,
            "签收",
            &t.org_name,
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentSign,
                "assessment_round",
                round_id,
                &t.org_path,
            )
            .detail(format!("org#{org_id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A scorer enters a manual item (indicator points, a manual deduction or bonus,
    /// or whether a manual veto applies: "1"/"0") with evidence and a comment.
    #[allow(clippy::too_many_arguments)]
    pub async fn assessment_score(
        &self,
        actor: &Actor,
        round_id: i64,
        org_id: i64,
        item_key: &str,
        value: &str,
        evidence: &str,
        comment: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let evidence = validate::text(&mut errs, "evidence", "评分依据", evidence, 1000);
        let comment = validate::text(&mut errs, "comment", "评分说明", comment, 1000);
        let mut tx = self.store.begin_write().await?;
        let round = store::round(tx.conn(), round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let t = self.target_for(tx.conn(), round_id, org_id).await?;
        if !runs(actor, &round) {
            return Err(if actor.read_scope().contains_path(&t.org_path) {
                AppError::Forbidden("只有委党办可以评分".into())
            } else {
                AppError::NotFound
            });
        }
        if round.state != "scoring" {
            return Err(AppError::Conflict("考核结果已发布，不能再评分".into()));
        }
        let sys = parse_system(&store::system(tx.conn(), round.system_id).await?.source)?;
        let Some((kind, max)) = sys.manual_max(item_key) else {
            return Err(invalid(
                "item_key",
                "该项由记录计算，不能手工评分；如记录有误，请更正记录",
            ));
        };
        let v = match kind {
            core::ManualKind::Veto => match value.trim() {
                "1" | "是" => Some(1),
                "0" | "否" => Some(0),
                _ => None,
            },
            _ => core::parse_points(value).filter(|v| (0..=max).contains(v)),
        };
        let Some(v) = v else {
            errs.add(
                "value",
                match kind {
                    core::ManualKind::Veto => "请填写 1（否决）或 0（不否决）".to_string(),
                    _ => format!("分值应在 0 至 {} 之间，最多两位小数", core::fmt_points(max)),
                },
            );
            return Err(AppError::Invalid(errs));
        };
        errs.into_result()?;
        store::put_entry(
            tx.conn(),
            NewEntry {
                round_id,
                org_id,
                item_key,
                value: v,
                evidence: &evidence,
                comment: &comment,
                by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?;
        let title = sys.title_of(item_key).unwrap_or(item_key);
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            round_id,
            "评分",
            &format!(
                "{}·{title}：{}（{comment}）",
                t.org_name,
                core::fmt_points(v)
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentScore,
                "assessment_round",
                round_id,
                &t.org_path,
            )
            .detail(format!("org#{org_id} {item_key}={v}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The assessed org appeals one item, after signing and within the window.
    pub async fn assessment_appeal(
        &self,
        actor: &Actor,
        round_id: i64,
        org_id: i64,
        item_key: &str,
        reason: &str,
    ) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let reason = validate::text(&mut errs, "reason", "申诉理由", reason, 2000);
        let mut tx = self.store.begin_write().await?;
        let round = store::round(tx.conn(), round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let t = self.target_for(tx.conn(), round_id, org_id).await?;
        if !actor.read_scope().contains_path(&t.org_path) {
            return Err(AppError::NotFound);
        }
        if !assessed_side(actor, &t.org_path) {
            return Err(AppError::Forbidden("只有被考核单位本单位可以申诉".into()));
        }
        if round.state != "scoring" {
            return Err(AppError::Conflict("考核结果已发布，不能再申诉".into()));
        }
        if t.signed_at.is_none() {
            return Err(AppError::Conflict("请先签收考核结果，再提出申诉".into()));
        }
        if clock::today_str() > round.appeal_until {
            return Err(AppError::Conflict(format!(
                "申诉期已于 {} 结束",
                round.appeal_until
            )));
        }
        let sys = parse_system(&store::system(tx.conn(), round.system_id).await?.source)?;
        if sys.title_of(item_key).is_none() {
            errs.add("item_key", "请选择要申诉的考核项目");
        }
        errs.into_result()?;
        let id = store::insert_appeal(
            tx.conn(),
            NewAppeal {
                round_id,
                org_id,
                org_path: &t.org_path,
                item_key,
                reason: &reason,
                by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            round_id,
            "申诉",
            &format!(
                "{}·{}：{reason}",
                t.org_name,
                sys.title_of(item_key).unwrap_or(item_key)
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentAppeal,
                "assessment_appeal",
                id,
                &t.org_path,
            )
            .detail(format!("round#{round_id} {item_key}")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Appeals of a round the actor may see (all for the round's runner, else its own).
    pub async fn assessment_appeals(
        &self,
        actor: &Actor,
        round_id: i64,
    ) -> AppResult<Vec<AppealRow>> {
        let mut c = self.store.conn().await?;
        let round = store::round(&mut c, round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        if runs(actor, &round) {
            return Ok(store::appeals(&mut c, round_id, None).await?);
        }
        let scope = actor.read_scope();
        if store::targets(&mut c, round_id, Some(&scope))
            .await?
            .is_empty()
        {
            return Err(AppError::NotFound);
        }
        Ok(store::appeals(&mut c, round_id, Some(&scope)).await?)
    }

    /// A scorer answers an appeal: `upheld` (采纳) or `rejected` (维持), with reasons;
    /// an upheld appeal on a manual item may carry the corrected value, entered in the
    /// same transaction. A computed item is corrected by correcting its records.
    pub async fn assessment_answer(
        &self,
        actor: &Actor,
        appeal_id: i64,
        outcome: &str,
        answer: &str,
        new_value: Option<&str>,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let answer = validate::text(&mut errs, "answer", "答复", answer, 2000);
        if !matches!(outcome, "upheld" | "rejected") {
            errs.add("outcome", "请选择 采纳 或 维持原评分");
        }
        let mut tx = self.store.begin_write().await?;
        let a = store::appeal(tx.conn(), appeal_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let round = store::round(tx.conn(), a.round_id).await?;
        if !runs(actor, &round) {
            return Err(if actor.read_scope().contains_path(&a.org_path) {
                AppError::Forbidden("只有委党办可以答复申诉".into())
            } else {
                AppError::NotFound
            });
        }
        if round.state != "scoring" {
            return Err(AppError::Conflict("考核结果已发布".into()));
        }
        let sys = parse_system(&store::system(tx.conn(), round.system_id).await?.source)?;
        let corrected = match new_value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) if outcome == "upheld" => match sys.manual_max(&a.item_key) {
                Some((core::ManualKind::Veto, _)) => match v {
                    "1" => Some(1),
                    "0" => Some(0),
                    _ => {
                        errs.add("value", "请填写 1 或 0");
                        None
                    }
                },
                Some((_, max)) => match core::parse_points(v).filter(|x| (0..=max).contains(x)) {
                    Some(x) => Some(x),
                    None => {
                        errs.add(
                            "value",
                            format!("分值应在 0 至 {} 之间", core::fmt_points(max)),
                        );
                        None
                    }
                },
                None => {
                    errs.add(
                        "value",
                        "该项由记录计算，采纳申诉后请更正记录，系统会重新计分",
                    );
                    None
                }
            },
            Some(_) => {
                errs.add("value", "维持原评分时不能填写新分值");
                None
            }
            None => None,
        };
        errs.into_result()?;
        if !store::answer_appeal(
            tx.conn(),
            appeal_id,
            outcome,
            &answer,
            actor.audit_id(),
            clock::now(),
        )
        .await?
        {
            return Err(AppError::Conflict("该申诉已答复".into()));
        }
        if let Some(v) = corrected {
            store::put_entry(
                tx.conn(),
                NewEntry {
                    round_id: a.round_id,
                    org_id: a.org_id,
                    item_key: &a.item_key,
                    value: v,
                    evidence: &format!("申诉 #{appeal_id}"),
                    comment: &answer,
                    by: actor.audit_id(),
                    at: clock::now(),
                },
            )
            .await?;
        }
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            a.round_id,
            if outcome == "upheld" {
                "采纳申诉"
            } else {
                "维持原评分"
            },
            &format!(
                "{}·{}：{answer}{}",
                a.org_name,
                sys.title_of(&a.item_key).unwrap_or(&a.item_key),
                corrected
                    .map(|v| format!("（改为 {}）", core::fmt_points(v)))
                    .unwrap_or_default()
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentAnswer,
                "assessment_appeal",
                appeal_id,
                &a.org_path,
            )
            .detail(outcome.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves the appeal window's last day (extend, or close it early before publishing).
    pub async fn assessment_set_window(
        &self,
        actor: &Actor,
        round_id: i64,
        appeal_until: &str,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let round = store::round(tx.conn(), round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        if !runs(actor, &round) {
            let scope = actor.read_scope();
            let sees = !store::targets(tx.conn(), round_id, Some(&scope))
                .await?
                .is_empty();
            return Err(if sees {
                AppError::Forbidden("只有委党办可以调整申诉期".into())
            } else {
                AppError::NotFound
            });
        }
        let mut errs = ValidationErrors::new();
        let d = validate::date(&mut errs, "appeal_until", "申诉截止日期", appeal_until);
        errs.into_result()?;
        let Some(d) = d else {
            return Err(invalid("appeal_until", "请填写日期"));
        };
        if round.state != "scoring" {
            return Err(AppError::Conflict("考核结果已发布".into()));
        }
        store::set_window(tx.conn(), round_id, &d.to_string()).await?;
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            round_id,
            "调整申诉期",
            &format!("{} → {d}", round.appeal_until),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentRound,
                "assessment_round",
                round_id,
                &round.org_path,
            )
            .detail(format!("appeal_until {d}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a round: the appeal window has ended, every appeal is answered and
    /// every manual item entered; the counts, entries and cards are frozen.
    pub async fn assessment_publish(&self, actor: &Actor, round_id: i64) -> AppResult<()> {
        let scores = self.assessment_round(actor, round_id).await?;
        if !scores.runs {
            return Err(AppError::Forbidden("只有委党办可以发布考核结果".into()));
        }
        let round = &scores.round;
        if round.state != "scoring" {
            return Err(AppError::Conflict("考核结果已发布".into()));
        }
        if clock::today_str() <= round.appeal_until {
            return Err(AppError::Conflict(format!(
                "申诉期到 {} 结束，之后才能发布",
                round.appeal_until
            )));
        }
        if round.appeals_open > 0 {
            return Err(AppError::Conflict(format!(
                "还有 {} 件申诉未答复",
                round.appeals_open
            )));
        }
        let pending: Vec<String> = scores
            .orgs
            .iter()
            .flat_map(|o| {
                o.card
                    .lines
                    .iter()
                    .filter(|l| l.pending)
                    .map(move |l| format!("{}·{}", o.org_name, l.title))
            })
            .take(5)
            .collect();
        if !pending.is_empty() {
            return Err(AppError::Conflict(format!(
                "还有未评分的项目：{}",
                pending.join("、")
            )));
        }
        let mut tx = self.store.begin_write().await?;
        if !store::set_round_state(
            tx.conn(),
            round_id,
            "scoring",
            "published",
            actor.audit_id(),
            clock::now(),
        )
        .await?
        {
            return Err(AppError::Conflict("考核结果已发布".into()));
        }
        for o in &scores.orgs {
            store::insert_result(
                tx.conn(),
                &ResultRow {
                    round_id,
                    org_id: o.org_id,
                    org_path: o.org_path.clone(),
                    grp: o.group.clone(),
                    total: o.card.total,
                    grade: o.card.grade.as_str().into(),
                    vetoed: i64::from(o.card.vetoed),
                    group_rank: o.group_rank,
                    round_rank: o.round_rank,
                    inputs: to_json(&o.inputs)?,
                    manual: to_json(&o.manual)?,
                    card: to_json(&o.card)?,
                },
            )
            .await?;
        }
        hist(
            tx.conn(),
            actor,
            "assessment_round",
            round_id,
            "发布",
            &format!("{} 个单位的考核结果", scores.orgs.len()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::AssessmentPublish,
                "assessment_round",
                round_id,
                &round.org_path,
            )
            .detail(format!("orgs {}", scores.orgs.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The scorers' entries of a round (the runner: all; an assessed org: its own).
    pub async fn assessment_entries(
        &self,
        actor: &Actor,
        round_id: i64,
    ) -> AppResult<Vec<EntryRow>> {
        let mut c = self.store.conn().await?;
        let round = store::round(&mut c, round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let entries = store::entries(&mut c, round_id).await?;
        if runs(actor, &round) {
            return Ok(entries);
        }
        let scope = actor.read_scope();
        let mine: Vec<i64> = store::targets(&mut c, round_id, Some(&scope))
            .await?
            .iter()
            .map(|t| t.org_id)
            .collect();
        if mine.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(entries
            .into_iter()
            .filter(|e| mine.contains(&e.org_id))
            .collect())
    }

    /// The history of a round.
    pub async fn assessment_history(
        &self,
        actor: &Actor,
        round_id: i64,
    ) -> AppResult<Vec<zeren_store::history::HistoryRow>> {
        let mut c = self.store.conn().await?;
        let round = store::round(&mut c, round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        if !runs(actor, &round) {
            return Err(AppError::NotFound);
        }
        Ok(zeren_store::history::of(&mut c, "assessment_round", round_id).await?)
    }

    /// The same org's published result of the year before (same round org), if any.
    pub async fn assessment_last_year(
        &self,
        actor: &Actor,
        round: &RoundRow,
    ) -> AppResult<HashMap<i64, (i64, String, i64)>> {
        let mut c = self.store.conn().await?;
        let Some(prev) = store::round_of_year(&mut c, &round.org_path, round.year - 1).await?
        else {
            return Ok(HashMap::new());
        };
        if prev.state != "published" {
            return Ok(HashMap::new());
        }
        let scope = actor.read_scope();
        let r = runs(actor, round);
        Ok(store::results(&mut c, prev.id)
            .await?
            .into_iter()
            .filter(|x| r || scope.contains_path(&x.org_path))
            .map(|x| (x.org_id, (x.total, x.grade, x.round_rank)))
            .collect())
    }
}

/// Links to the records behind each count of a card: the lists, filtered where the
/// list can be, or the compliance page of the org and year.
pub fn record_links(o: &OrgScore, year: i64, round_id: i64) -> Vec<RecordLink> {
    o.inputs
        .iter()
        .map(|(m, n)| {
            let href = match m {
                Metric::RulesDecided
                | Metric::RulesKept
                | Metric::Branches
                | Metric::BranchesHealthy => {
                    Some(format!("/compliance?org={}&year={year}", o.org_id))
                }
                _ => Some(format!(
                    "/assessment/rounds/{round_id}/orgs/{}/records?metric={}",
                    o.org_id,
                    m.as_str()
                )),
            };
            RecordLink {
                metric: *m,
                label: m.label(),
                count: *n,
                href,
            }
        })
        .collect()
}

/// Year of a round for display helpers.
pub fn year_of(d: &str) -> i32 {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|d| d.year())
        .unwrap_or(0)
}

fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Io(format!("无法保存考核结果：{e}")))
}

// ---- outputs: the records behind a count, Excel, Word, charts ----

/// One org's card as the pages and documents show it.
#[derive(Debug, Clone, Serialize)]
pub struct OrgCard {
    pub round: RoundRow,
    pub system: System,
    pub org: OrgScore,
    /// Every org of the round (for the rank's denominator).
    pub of: usize,
    pub links: Vec<RecordLink>,
    /// The same org's published result of the year before: (total, grade, rank).
    pub last_year: Option<(i64, String, i64)>,
    pub entries: Vec<EntryRow>,
    pub appeals: Vec<AppealRow>,
    /// The actor runs the round; the actor is the assessed org's own office.
    pub runs: bool,
    pub own: bool,
}

impl App {
    /// One org's score card with the links to its records, last year's result, the
    /// scorers' entries and the appeals.
    pub async fn assessment_card(
        &self,
        actor: &Actor,
        round_id: i64,
        org_id: i64,
    ) -> AppResult<OrgCard> {
        let r = self.assessment_round(actor, round_id).await?;
        let of = if r.runs {
            r.orgs.len()
        } else {
            let mut c = self.store.conn().await?;
            store::targets(&mut c, round_id, None).await?.len()
        };
        let org = r
            .orgs
            .iter()
            .find(|o| o.org_id == org_id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let last = self.assessment_last_year(actor, &r.round).await?;
        let entries = self
            .assessment_entries(actor, round_id)
            .await?
            .into_iter()
            .filter(|e| e.org_id == org_id)
            .collect();
        let appeals = self
            .assessment_appeals(actor, round_id)
            .await?
            .into_iter()
            .filter(|a| a.org_id == org_id)
            .collect();
        Ok(OrgCard {
            links: record_links(&org, r.round.year, round_id),
            last_year: last.get(&org_id).cloned(),
            own: assessed_side(actor, &org.org_path),
            runs: r.runs,
            of,
            round: r.round,
            system: r.system,
            org,
            entries,
            appeals,
        })
    }

    /// The records behind one count of one assessed org (at most 500), read through
    /// the actor's scope: an org the actor cannot read has no records here.
    pub async fn assessment_records(
        &self,
        actor: &Actor,
        round_id: i64,
        org_id: i64,
        metric: &str,
    ) -> AppResult<(Metric, Vec<store::RecordRow>)> {
        let mut c = self.store.conn().await?;
        let round = store::round(&mut c, round_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        let t = self.target_for(&mut c, round_id, org_id).await?;
        if !runs(actor, &round) && !actor.read_scope().contains_path(&t.org_path) {
            return Err(AppError::NotFound);
        }
        let m = Metric::parse(metric).ok_or_else(|| invalid("metric", "没有这个统计项"))?;
        let (from, to) = year_range(round.year);
        let next = format!("{:04}-01-01", round.year + 1);
        let before = if round.as_of < next {
            round.as_of.clone()
        } else {
            next
        };
        let rows =
            store::records(&mut c, &t.org_path, m.as_str(), &from, &to, &before, 500).await?;
        Ok((m, rows))
    }

    /// The ranking of a round as a workbook: rank, org, group, every line's score,
    /// deductions, bonuses, veto, total and grade.
    pub async fn assessment_xlsx(
        &self,
        actor: &Actor,
        round_id: i64,
    ) -> AppResult<crate::export::Exported> {
        use crate::export::{Cell, Col, SheetSpec, SheetWriter, Tone};
        let r = self.assessment_round(actor, round_id).await?;
        let mut cols = vec![
            Col::new("名次", 6.0),
            Col::new("组内名次", 8.0),
            Col::new("单位", 28.0),
            Col::new("考核分组", 12.0),
        ];
        let lines: Vec<(String, String)> = r
            .system
            .indicators
            .iter()
            .filter(|i| i.parent.is_none())
            .map(|i| {
                (
                    i.key.clone(),
                    format!("{}（{}）", i.title, core::fmt_points(i.points)),
                )
            })
            .chain(
                r.system
                    .deductions
                    .iter()
                    .map(|a| (a.key.clone(), format!("扣分：{}", a.title))),
            )
            .chain(
                r.system
                    .bonuses
                    .iter()
                    .map(|a| (a.key.clone(), format!("加分：{}", a.title))),
            )
            .collect();
        for (_, h) in &lines {
            cols.push(Col::new(h, 14.0));
        }
        cols.push(Col::new("一票否决", 10.0));
        cols.push(Col::new("总分", 10.0));
        cols.push(Col::new("等次", 8.0));
        let spec = SheetSpec {
            name: "考核结果".into(),
            title: format!(
                "{}（{}）",
                r.round.title,
                if r.frozen { "已发布" } else { "评分中" }
            ),
            scope: crate::export::scope_line(
                &r.round.org_name,
                &[
                    format!("细则：{} 第{}版", r.system_row.title, r.system_row.version),
                    format!("记录截至：{}", r.round.as_of),
                ],
                chrono::Local::now().naive_local(),
            ),
            columns: cols,
        };
        let mut orgs: Vec<&OrgScore> = r.orgs.iter().collect();
        orgs.sort_by(|a, b| {
            a.round_rank
                .cmp(&b.round_rank)
                .then(a.org_path.cmp(&b.org_path))
        });
        let rows: Vec<Vec<Cell>> = orgs
            .iter()
            .map(|o| {
                let mut v = vec![
                    Cell::Int(o.round_rank),
                    Cell::Int(o.group_rank),
                    Cell::text(o.org_name.clone()),
                    Cell::text(o.group.clone()),
                ];
                for (k, _) in &lines {
                    let s = o
                        .card
                        .lines
                        .iter()
                        .find(|l| &l.key == k)
                        .map(|l| l.score)
                        .unwrap_or(0);
                    v.push(Cell::text(core::fmt_points(s)));
                }
                v.push(Cell::text(if o.card.vetoed { "否决" } else { "" }));
                v.push(Cell::text(core::fmt_points(o.card.total)));
                let tone = match o.card.grade {
                    core::Grade::Good => Tone::Good,
                    core::Grade::FairlyGood => Tone::Plain,
                    core::Grade::Average => Tone::Warn,
                    core::Grade::Poor => Tone::Bad,
                };
                v.push(Cell::State(o.card.grade.label().into(), tone));
                v
            })
            .collect();
        let n = rows.len();
        let file = tokio::task::spawn_blocking(move || -> AppResult<std::fs::File> {
            let mut w = SheetWriter::new(&spec)?;
            for row in &rows {
                w.push(row)?;
            }
            w.finish()
        })
        .await
        .map_err(|e| AppError::Io(e.to_string()))??;
        let _ = self
            .audit_alone(
                actor.audit_id(),
                &actor.username,
                &actor.source,
                Event::ok(
                    AuditAction::Export,
                    "assessment_round",
                    round_id,
                    &r.round.org_path,
                )
                .detail(format!("{n} 行")),
            )
            .await;
        Ok(crate::export::Exported {
            file,
            rows: n,
            filename: format!("{}.xlsx", r.round.title),
        })
    }

    /// An org's score card as a 公文 (.docx): the title, the org, total, grade and rank,
    /// a table of every line with the records behind it, entries and appeals.
    pub async fn assessment_card_docx(
        &self,
        actor: &Actor,
        round_id: i64,
        org_id: i64,
    ) -> AppResult<(String, Vec<u8>)> {
        use zeren_docx::{Block, OfficialDoc, Run, Signature, Table};
        let card = self.assessment_card(actor, round_id, org_id).await?;
        let o = &card.org;
        let mut blocks = vec![Block::Paragraph(vec![
            Run::text(format!("{}在{}中得分", o.org_name, card.round.title)),
            Run::strong(core::fmt_points(o.card.total)),
            Run::text(format!(
                "分（满分{}分），等次为“{}”{}，在全部{}个单位中排第{}名，在“{}”组排第{}名。",
                core::fmt_points(card.system.full_points()),
                o.card.grade.label(),
                if o.card.vetoed {
                    "（一票否决）"
                } else {
                    ""
                },
                card.of,
                o.round_rank,
                o.group,
                o.group_rank
            )),
        ])];
        if let Some((t, g, r)) = &card.last_year {
            blocks.push(Block::para(format!(
                "上年度得分{}分，等次“{}”，排第{}名；本年度{}{}分。",
                core::fmt_points(*t),
                core::Grade::parse(g).map(|g| g.label()).unwrap_or(""),
                r,
                if o.card.total >= *t {
                    "提高"
                } else {
                    "下降"
                },
                core::fmt_points((o.card.total - t).abs())
            )));
        }
        blocks.push(Block::para(format!(
            "计算依据：{}第{}版；记录截至{}；{}。",
            card.round.title,
            card.system.version,
            card.round.as_of,
            if card.round.state == "published" {
                "结果已发布"
            } else {
                "结果尚未发布，仅供核对"
            }
        )));
        let rows: Vec<Vec<String>> = o
            .card
            .lines
            .iter()
            .map(|l| {
                let kind = match l.kind.as_str() {
                    "deduction" => "扣分项",
                    "bonus" => "加分项",
                    "veto" => "否决项",
                    _ => "",
                };
                vec![
                    format!("{}{}{}", "　".repeat(l.depth), kind, l.title),
                    if l.kind == "veto" {
                        String::new()
                    } else {
                        core::fmt_points(l.max)
                    },
                    if l.kind == "veto" {
                        if l.score > 0 {
                            "否决".into()
                        } else {
                            "否".into()
                        }
                    } else {
                        core::fmt_points(l.score)
                    },
                    l.detail.clone(),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            title: Some("得分明细".into()),
            headers: vec![
                "考核项目".into(),
                "分值".into(),
                "得分".into(),
                "计分依据".into(),
            ],
            rows,
            widths: vec![30, 8, 8, 40],
            landscape: false,
        }));
        if !card.appeals.is_empty() {
            blocks.push(Block::Heading1("申诉及答复".into()));
            for a in &card.appeals {
                blocks.push(Block::para(format!(
                    "{}：{}。答复：{}",
                    card.system.title_of(&a.item_key).unwrap_or(&a.item_key),
                    a.reason,
                    match (&a.outcome, &a.answer) {
                        (Some(out), Some(ans)) => format!(
                            "{}，{ans}",
                            if out == "upheld" {
                                "采纳"
                            } else {
                                "维持原评分"
                            }
                        ),
                        _ => "尚未答复".into(),
                    }
                )));
            }
        }
        let today = clock::today();
        let doc = OfficialDoc {
            title: format!("{}\n考核结果通知单", o.org_name),
            subtitle: Some(format!("（{}）", card.round.title)),
            addressee: Some(format!("{}：", o.org_name)),
            blocks,
            signature: Some(Signature {
                org: card.round.org_name.clone(),
                date: format!("{}年{}月{}日", today.year(), today.month(), today.day()),
            }),
            attachments: Vec::new(),
            orientation: Default::default(),
        };
        let bytes = zeren_docx::render(&doc)
            .map_err(|e| AppError::Io(format!("生成 Word 文件失败：{e}")))?;
        Ok((format!("{}考核结果.docx", o.org_name), bytes))
    }
}

// Charts are written by hand as inline SVG: a bar per org (or per indicator) with a
// scale and the grade lines is a few dozen elements, the pages must work without
// script (CSP `script-src 'self'`, and there is none) and without anything from the
// internet, and a charting crate would bring a font stack for text the browser sets
// anyway.

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Hundredths scaled to `px` of `full` (both hundredths), as an SVG length.
fn scale(v: i64, full: i64, px: i64) -> i64 {
    if full <= 0 {
        0
    } else {
        (v.clamp(0, full) * px) / full
    }
}

fn grade_colour(g: core::Grade) -> &'static str {
    match g {
        core::Grade::Good => "#2e7d32",
        core::Grade::FairlyGood => "#1565c0",
        core::Grade::Average => "#ef6c00",
        core::Grade::Poor => "#c62828",
    }
}

/// The round as horizontal bars in rank order, with the grade thresholds.
pub fn round_svg(sys: &System, orgs: &[OrgScore]) -> String {
    let mut v: Vec<&OrgScore> = orgs.iter().collect();
    v.sort_by(|a, b| {
        a.round_rank
            .cmp(&b.round_rank)
            .then(a.org_path.cmp(&b.org_path))
    });
    let (label_w, bar_w, row_h) = (220i64, 420i64, 22i64);
    let full = sys
        .full_points()
        .max(v.iter().map(|o| o.card.total).max().unwrap_or(0));
    let n = i64::try_from(v.len()).unwrap_or(0);
    let h = 30 + n * row_h + 10;
    let w = label_w + bar_w + 80;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="考核得分排名" font-size="12">"#
    );
    for (name, t) in [
        ("好", sys.thresholds.good),
        ("较好", sys.thresholds.fairly_good),
        ("一般", sys.thresholds.average),
    ] {
        let x = label_w + scale(t, full, bar_w);
        s.push_str(&format!(
            r##"<line x1="{x}" y1="20" x2="{x}" y2="{}" stroke="#999" stroke-dasharray="3,3"/><text x="{x}" y="14" text-anchor="middle" fill="#666">{name} {}</text>"##,
            h - 10,
            core::fmt_points(t)
        ));
    }
    for (i, o) in v.iter().enumerate() {
        let y = 30 + i64::try_from(i).unwrap_or(0) * row_h;
        let bw = scale(o.card.total, full, bar_w);
        s.push_str(&format!(
            r#"<text x="{}" y="{}" text-anchor="end">{}. {}</text><rect x="{label_w}" y="{}" width="{bw}" height="{}" fill="{}"><title>{} {} {}</title></rect><text x="{}" y="{}">{}{}</text>"#,
            label_w - 6,
            y + 14,
            o.round_rank,
            esc(&o.org_name),
            y + 3,
            row_h - 6,
            grade_colour(o.card.grade),
            esc(&o.org_name),
            core::fmt_points(o.card.total),
            o.card.grade.label(),
            label_w + bw + 4,
            y + 14,
            core::fmt_points(o.card.total),
            if o.card.vetoed { " 否决" } else { "" }
        ));
    }
    s.push_str("</svg>");
    s
}

/// One org: each top-level indicator's score against its points, and the total
/// beside last year's.
pub fn org_svg(sys: &System, o: &OrgScore, last_year: Option<i64>) -> String {
    let tops: Vec<&core::Line> = o
        .card
        .lines
        .iter()
        .filter(|l| l.kind == "indicator" && l.depth == 0)
        .collect();
    let (label_w, bar_w, row_h) = (200i64, 360i64, 24i64);
    let n = i64::try_from(tops.len()).unwrap_or(0) + 2;
    let h = 20 + n * row_h + 10;
    let w = label_w + bar_w + 110;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="各项得分" font-size="12">"#
    );
    let mut y = 20;
    for l in &tops {
        let full = scale(l.max, l.max, bar_w);
        let got = scale(l.score, l.max, bar_w);
        s.push_str(&format!(
            r##"<text x="{}" y="{}" text-anchor="end">{}</text><rect x="{label_w}" y="{}" width="{full}" height="{}" fill="#e0e0e0"/><rect x="{label_w}" y="{}" width="{got}" height="{}" fill="#1565c0"/><text x="{}" y="{}">{} / {}</text>"##,
            label_w - 6,
            y + 14,
            esc(&l.title),
            y + 3,
            row_h - 8,
            y + 3,
            row_h - 8,
            label_w + full + 4,
            y + 14,
            core::fmt_points(l.score),
            core::fmt_points(l.max)
        ));
        y += row_h;
    }
    let full = sys
        .full_points()
        .max(o.card.total)
        .max(last_year.unwrap_or(0));
    for (label, v, colour) in [
        ("本年度总分", Some(o.card.total), grade_colour(o.card.grade)),
        ("上年度总分", last_year, "#9e9e9e"),
    ] {
        let text = v.map(core::fmt_points).unwrap_or_else(|| "无".into());
        let bw = v.map(|v| scale(v, full, bar_w)).unwrap_or(0);
        s.push_str(&format!(
            r#"<text x="{}" y="{}" text-anchor="end">{label}</text><rect x="{label_w}" y="{}" width="{bw}" height="{}" fill="{colour}"/><text x="{}" y="{}">{text}</text>"#,
            label_w - 6,
            y + 14,
            y + 3,
            row_h - 8,
            label_w + bw + 4,
            y + 14
        ));
        y += row_h;
    }
    s.push_str("</svg>");
    s
}
