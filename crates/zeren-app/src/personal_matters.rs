//! Personal-matters reports (个人有关事项报告), held by the organisation department
//! (组织部门) alone: the year's filers, submission against the 31 January deadline,
//! verification batches (random draws reproducible from a recorded seed, and targeted
//! checks), outcomes (如实报告 / 漏报 / 瞒报) with their handling, and the
//! truthful-reporting rate.
//!
//! - Only `Permission::PersonalMatters` (the `org_dept` role) reads or writes, in the
//!   subtrees where it holds it (SQL scope). Others get 403 on lists and 404 on
//!   records, like a record that does not exist.
//! - Every access is audited: each list, detail and figure read writes a
//!   `personal_matters_read` event, in a transaction of its own with the reading.
//! - What a report declares and what a verification found are sealed with the crypto
//!   provider (`pm_filers.declared`, `pm_checks.finding`, in `crypto::CONFIDENTIAL`).
//!
//! The random draw, so that anyone holding the seed can repeat it:
//! 1. the population is the year's filers in the batch's subtree who have reported,
//!    in ascending filer id;
//! 2. n = ⌈population × percent / 100⌉, at least 1 (`cadre::draw_size`);
//! 3. the generator is ChaCha20 (`rand_chacha::ChaCha20Rng::from_seed`) keyed with
//!    the 32 bytes of the seed's 64 hex digits;
//! 4. a partial Fisher–Yates shuffle: for i in 0..n, j = i + u(len − i), swap; where
//!    u(m) takes `next_u64` values, rejecting those ≥ ⌊2⁶⁴/m⌋·m, and answers x mod m;
//! 5. the first n are drawn, in that order (`pm_checks.pos`).
use chrono::{Datelike, NaiveDate};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;
use zeren_core::cadre::{self, CheckReason, FilingStatus, Outcome};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::cadre::{
    self as store, BatchRow, CheckRow, FilerFilter, FilerRow, NewBatch, NewFiler, RateRow,
};
use zeren_store::history::{self, HistoryRow};
use zeren_store::{Conn, Scope};

use crate::audit::{self, AuditAction, Event};
use crate::crypto::CryptoProvider;
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

const DECLARED_FIELD: &str = "pm_filers.declared";
const FINDING_FIELD: &str = "pm_checks.finding";

/// The organisation department's subtrees.
pub fn pm_scope(actor: &Actor) -> Scope {
    let paths = actor.paths_for(Permission::PersonalMatters);
    if paths.is_empty() {
        Scope::Nothing
    } else {
        Scope::Subtrees(paths)
    }
}

fn scope_path(s: &Scope) -> String {
    match s {
        Scope::Subtrees(p) => p.first().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

fn require_list(actor: &Actor) -> AppResult<()> {
    actor.require(
        Permission::PersonalMatters,
        "个人有关事项报告仅组织部门可以查看",
    )
}

/// A record: as if it did not exist for anyone else.
fn require_record(actor: &Actor) -> AppResult<()> {
    if actor.has(Permission::PersonalMatters) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

async fn read_event(
    c: &mut Conn,
    actor: &Actor,
    kind: &str,
    id: impl ToString,
    path: &str,
    detail: String,
) -> AppResult<()> {
    audit::by_actor(
        c,
        actor,
        Event::ok(AuditAction::PersonalMattersRead, kind, id, path).detail(detail),
    )
    .await
}

/// A filer with the status on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Filer {
    #[serde(flatten)]
    pub row: FilerRow,
    pub status: FilingStatus,
    pub status_label: &'static str,
    pub deadline: String,
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn with_status(row: FilerRow, today: NaiveDate) -> Filer {
    let year = row.year as i32;
    let status = cadre::filing_status(year, row.submitted_on.as_deref().and_then(parse_day), today);
    Filer {
        deadline: cadre::deadline(year)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        status_label: status.label(),
        status,
        row,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FilerDetail {
    pub filer: Filer,
    /// The opened declaration (the reading is audited).
    pub declared: Option<String>,
    pub checks: Vec<CheckRow>,
    pub history: Vec<HistoryRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchDetail {
    pub batch: BatchRow,
    pub checks: Vec<CheckRow>,
    /// For a random draw: whether drawing again from the seed over today's population
    /// gives the same people in the same order.
    pub redraw_matches: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckDetail {
    pub check: CheckRow,
    pub finding: Option<String>,
    pub history: Vec<HistoryRow>,
}

/// A year's figures: submission and verification, per org and in total.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub year: i64,
    pub filers: i64,
    pub submitted: i64,
    pub late: i64,
    pub rates: Vec<Rate>,
    pub total: Rate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub org_id: Option<i64>,
    pub org_name: String,
    pub checked: i64,
    pub truthful: i64,
    pub omitted: i64,
    pub concealed: i64,
    /// 如实报告率, percent.
    pub rate: Option<f64>,
}

impl From<RateRow> for Rate {
    fn from(r: RateRow) -> Rate {
        Rate {
            org_id: Some(r.org_id),
            rate: cadre::truthful_rate(r.truthful, r.checked),
            org_name: r.org_name,
            checked: r.checked,
            truthful: r.truthful,
            omitted: r.omitted,
            concealed: r.concealed,
        }
    }
}

/// Parses a seed of 64 hex digits into the generator's key.
pub fn parse_seed(seed: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(seed.trim()).ok()?;
    bytes.try_into().ok()
}

/// A uniform number below `m` (> 0) by rejection (see the module's step 4).
fn below(rng: &mut ChaCha20Rng, m: u64) -> u64 {
    let zone = (u64::MAX / m) * m;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return x % m;
        }
    }
}

/// The indices (into the population, in draw order) a seed draws: the module's steps
/// 2–5. Pure, so a test or an outside auditor can repeat it.
pub fn draw(seed: &[u8; 32], population: usize, percent: i64) -> Vec<usize> {
    let n = cadre::draw_size(population, percent);
    let mut rng = ChaCha20Rng::from_seed(*seed);
    let mut idx: Vec<usize> = (0..population).collect();
    for i in 0..n {
        let j = i + below(&mut rng, (population - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(n);
    idx
}

#[derive(Debug, Clone, Default)]
pub struct DrawInput {
    pub year: i64,
    pub org_id: Option<i64>,
    /// None: `cadre::DEFAULT_DRAW_PERCENT`.
    pub percent: Option<i64>,
    /// 64 hex digits; None: a fresh random seed (recorded).
    pub seed: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct TargetedInput {
    pub year: i64,
    pub reason: String,
    pub person_ids: Vec<i64>,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct CheckInput {
    pub outcome: String,
    pub checked_on: String,
    pub finding: Option<String>,
    pub handling: String,
}

impl App {
    /// Whether the actor works with personal-matters reports (menu, links).
    pub fn may_handle_personal_matters(actor: &Actor) -> bool {
        actor.has(Permission::PersonalMatters)
    }

    /// The year's filers in the actor's view, with their status on `today`.
    pub async fn pm_filers(
        &self,
        actor: &Actor,
        f: FilerFilter,
        paging: Paging,
        today: NaiveDate,
    ) -> AppResult<Page<Filer>> {
        require_list(actor)?;
        let scope = pm_scope(actor);
        let f = FilerFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let mut tx = self.store.begin_write().await?;
        let (items, total) = store::list_filers(tx.conn(), &scope, &f).await?;
        read_event(
            tx.conn(),
            actor,
            "pm_filer",
            "",
            &scope_path(&scope),
            format!(
                "报告对象名单 {} 年 第{}页 {} 人",
                f.year
                    .map(|y| y.to_string())
                    .unwrap_or_else(|| "全部".into()),
                paging.page,
                items.len()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Page {
            items: items.into_iter().map(|r| with_status(r, today)).collect(),
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    pub async fn pm_filer(
        &self,
        actor: &Actor,
        id: i64,
        today: NaiveDate,
    ) -> AppResult<FilerDetail> {
        require_record(actor)?;
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let row = store::get_filer(tx.conn(), &scope, id).await?;
        let sealed = store::filer_declared(tx.conn(), &scope, id).await?;
        let declared = sealed
            .map(|v| self.crypto().open(DECLARED_FIELD, &v))
            .transpose()?;
        let checks = store::checks_of_person(tx.conn(), &scope, row.person_id).await?;
        let history = history::of(tx.conn(), "pm_filer", id).await?;
        read_event(
            tx.conn(),
            actor,
            "pm_filer",
            id,
            &row.org_path,
            format!("{} 年报告 person#{}", row.year, row.person_id),
        )
        .await?;
        tx.commit().await?;
        Ok(FilerDetail {
            filer: with_status(row, today),
            declared,
            checks,
            history,
        })
    }

    /// Adds one person to a year's list, with the basis for it.
    pub async fn pm_add_filer(
        &self,
        actor: &Actor,
        year: i64,
        person_id: Option<i64>,
        basis: &str,
    ) -> AppResult<i64> {
        require_list(actor)?;
        let mut errs = ValidationErrors::new();
        if !(2000..=2100).contains(&year) {
            errs.add("year", "年度应为四位数字，例如 2026");
        }
        let basis = validate::text(&mut errs, "basis", "报告依据", basis, 100);
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let person = match person_id {
            Some(pid) => zeren_store::person::get_in(tx.conn(), &scope, pid)
                .await
                .ok(),
            None => None,
        };
        if person.is_none() {
            errs.add("person_id", "请选择本组织部门范围内的人员");
        }
        errs.into_result()?;
        let Some(p) = person else {
            return Err(invalid("person_id", "请选择人员"));
        };
        let id = store::insert_filer(
            tx.conn(),
            NewFiler {
                year,
                person_id: p.id,
                org_id: p.org_id,
                org_path: &p.org_path,
                basis: &basis,
                created_by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?
        .ok_or_else(|| {
            invalid(
                "person_id",
                format!("{} 已在 {year} 年报告对象名单中", p.name),
            )
        })?;
        hist(
            tx.conn(),
            actor,
            "pm_filer",
            id,
            "列入名单",
            &format!("{year} 年：{basis}"),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PersonalMattersFiler,
                "pm_filer",
                id,
                &p.org_path,
            )
            .detail(format!("{year} person#{}", p.id)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts everyone in scope whose cadre rank makes them a reporting official
    /// (副处级 and above) on a year's list; those already on it stay as they are.
    /// Returns how many were added.
    pub async fn pm_generate_filers(&self, actor: &Actor, year: i64) -> AppResult<i64> {
        require_list(actor)?;
        if !(2000..=2100).contains(&year) {
            return Err(invalid("year", "年度应为四位数字，例如 2026"));
        }
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let now = clock::now();
        let mut added = 0;
        for (pid, org_id, path, rank) in store::ranked_people(tx.conn(), &scope).await? {
            if !cadre::rank_must_file(&rank) {
                continue;
            }
            let basis = format!("{rank}领导干部");
            if let Some(id) = store::insert_filer(
                tx.conn(),
                NewFiler {
                    year,
                    person_id: pid,
                    org_id,
                    org_path: &path,
                    basis: &basis,
                    created_by: actor.audit_id(),
                    at: now,
                },
            )
            .await?
            {
                hist(
                    tx.conn(),
                    actor,
                    "pm_filer",
                    id,
                    "列入名单",
                    &format!("{year} 年：{basis}（按职级生成）"),
                )
                .await?;
                added += 1;
            }
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PersonalMattersFiler,
                "pm_filer",
                "",
                &scope_path(&scope),
            )
            .detail(format!("{year} 年按职级生成报告对象名单，新增 {added} 人")),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Records a filer's report as submitted on a day (late after 31 January), with
    /// what it declares in brief (sealed).
    pub async fn pm_submit(
        &self,
        actor: &Actor,
        id: i64,
        submitted_on: &str,
        declared: Option<&str>,
    ) -> AppResult<()> {
        require_record(actor)?;
        let mut errs = ValidationErrors::new();
        let on = validate::date(&mut errs, "submitted_on", "报告日期", submitted_on);
        if on.is_some_and(|d| d > clock::today()) {
            errs.add("submitted_on", "报告日期不能晚于今天");
        }
        let declared = validate::opt_text(&mut errs, "declared", "报告事项摘要", declared, 2000);
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let f = store::get_filer(tx.conn(), &scope, id).await?;
        if let Some(d) = on {
            if d.year() < f.year as i32 {
                errs.add(
                    "submitted_on",
                    format!("{} 年度的报告不能早于 {} 年 1 月 1 日", f.year, f.year),
                );
            }
        }
        errs.into_result()?;
        let Some(on) = on else {
            return Err(invalid("submitted_on", "请填写报告日期"));
        };
        let status = cadre::filing_status(f.year as i32, Some(on), on);
        let late = status == FilingStatus::Late;
        let sealed = declared
            .as_deref()
            .map(|d| self.crypto().seal(DECLARED_FIELD, d))
            .transpose()?;
        store::set_submitted(
            tx.conn(),
            id,
            &on.to_string(),
            late,
            sealed.as_deref(),
            clock::now(),
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "pm_filer",
            id,
            "报告",
            &format!("{on} {}", status.label()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PersonalMattersSubmit,
                "pm_filer",
                id,
                &f.org_path,
            )
            .detail(format!("{} {on} {}", f.year, status.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Draws a random verification batch from the year's reported filers of a subtree
    /// (the actor's first when none is given), recording seed, percent and population.
    pub async fn pm_draw(&self, actor: &Actor, input: DrawInput) -> AppResult<i64> {
        require_list(actor)?;
        let mut errs = ValidationErrors::new();
        let percent = input.percent.unwrap_or(cadre::DEFAULT_DRAW_PERCENT);
        if !(1..=100).contains(&percent) {
            errs.add("percent", "抽查比例应在 1% 到 100% 之间");
        }
        if !(2000..=2100).contains(&input.year) {
            errs.add("year", "年度应为四位数字，例如 2026");
        }
        let seed = match input
            .seed
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => match parse_seed(s) {
                Some(_) => s.to_ascii_lowercase(),
                None => {
                    errs.add("seed", "随机种子应为 64 位十六进制数字（留空则自动生成）");
                    String::new()
                }
            },
            None => {
                let mut b = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut b);
                hex::encode(b)
            }
        };
        let note = validate::opt_text(&mut errs, "note", "说明", Some(&input.note), 500)
            .unwrap_or_default();
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let org_id = input.org_id.or_else(|| {
            actor
                .roles
                .iter()
                .find(|(r, _)| r.permits(Permission::PersonalMatters))
                .map(|(_, row)| row.org_id)
        });
        let org = match org_id {
            Some(id) => zeren_store::org::get_in(tx.conn(), &scope, id).await.ok(),
            None => None,
        };
        if org.is_none() {
            errs.add("org_id", "请选择本组织部门范围内的单位");
        }
        errs.into_result()?;
        let (Some(org), Some(key)) = (org, parse_seed(&seed)) else {
            return Err(invalid("org_id", "请选择单位"));
        };
        let pop = store::draw_population(tx.conn(), &scope, input.year, &org.path).await?;
        if pop.is_empty() {
            return Err(invalid(
                "year",
                format!(
                    "{} {} 年没有已报告的报告对象，无从抽查",
                    org.name, input.year
                ),
            ));
        }
        let picked = draw(&key, pop.len(), percent);
        let now = clock::now();
        let id = store::insert_batch(
            tx.conn(),
            NewBatch {
                year: input.year,
                reason: CheckReason::Random.as_str(),
                org_id: org.id,
                org_path: &org.path,
                seed: Some(&seed),
                percent: Some(percent),
                population: pop.len() as i64,
                drawn_on: &clock::today_str(),
                note: &note,
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        for (pos, i) in picked.iter().enumerate() {
            let (filer_id, person_id, path) = &pop[*i];
            store::insert_check(
                tx.conn(),
                id,
                *filer_id,
                *person_id,
                path,
                pos as i64 + 1,
                now,
            )
            .await?;
        }
        let detail = format!(
            "{} {} 年随机抽查：种子 {seed}，比例 {percent}%，{} 人中抽取 {} 人",
            org.name,
            input.year,
            pop.len(),
            picked.len()
        );
        hist(tx.conn(), actor, "pm_batch", id, "抽取", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PersonalMattersDraw, "pm_batch", id, &org.path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Opens a targeted batch (before a promotion, after a petition, at an
    /// inspection's request) for named filers of the year.
    pub async fn pm_targeted(&self, actor: &Actor, input: TargetedInput) -> AppResult<i64> {
        require_list(actor)?;
        let mut errs = ValidationErrors::new();
        let reason = CheckReason::parse(&input.reason).filter(|r| *r != CheckReason::Random);
        if reason.is_none() {
            errs.add("reason", "请选择重点查核的原因");
        }
        if input.person_ids.is_empty() {
            errs.add("person_ids", "请选择查核对象");
        }
        let note = validate::opt_text(&mut errs, "note", "说明", Some(&input.note), 500)
            .unwrap_or_default();
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let mut filers = Vec::new();
        for pid in &input.person_ids {
            let (rows, _) = store::list_filers(
                tx.conn(),
                &scope,
                &FilerFilter {
                    year: Some(input.year),
                    person_id: Some(*pid),
                    limit: 1,
                    ..Default::default()
                },
            )
            .await?;
            match rows.into_iter().next() {
                Some(f) => filers.push(f),
                None => errs.add(
                    "person_ids",
                    format!("人员 #{pid} 不在 {} 年报告对象名单中", input.year),
                ),
            }
        }
        errs.into_result()?;
        let (Some(reason), Some(first)) = (reason, filers.first()) else {
            return Err(invalid("person_ids", "请选择查核对象"));
        };
        let now = clock::now();
        let id = store::insert_batch(
            tx.conn(),
            NewBatch {
                year: input.year,
                reason: reason.as_str(),
                org_id: first.org_id,
                org_path: &first.org_path,
                seed: None,
                percent: None,
                population: filers.len() as i64,
                drawn_on: &clock::today_str(),
                note: &note,
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        for (pos, f) in filers.iter().enumerate() {
            store::insert_check(
                tx.conn(),
                id,
                f.id,
                f.person_id,
                &f.org_path,
                pos as i64 + 1,
                now,
            )
            .await?;
        }
        let detail = format!("{} 年{}：{} 人", input.year, reason.label(), filers.len());
        hist(tx.conn(), actor, "pm_batch", id, "重点查核", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PersonalMattersDraw,
                "pm_batch",
                id,
                &first.org_path,
            )
            .detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn pm_batches(&self, actor: &Actor, year: Option<i64>) -> AppResult<Vec<BatchRow>> {
        require_list(actor)?;
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let rows = store::list_batches(tx.conn(), &scope, year).await?;
        read_event(
            tx.conn(),
            actor,
            "pm_batch",
            "",
            &scope_path(&scope),
            format!("查核批次 {} 个", rows.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    pub async fn pm_batch(&self, actor: &Actor, id: i64) -> AppResult<BatchDetail> {
        require_record(actor)?;
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let batch = store::get_batch(tx.conn(), &scope, id).await?;
        let checks = store::checks_of_batch(tx.conn(), &scope, id).await?;
        let redraw_matches = match (&batch.seed, batch.percent) {
            (Some(seed), Some(percent)) => match parse_seed(seed) {
                Some(key) => {
                    let pop =
                        store::draw_population(tx.conn(), &scope, batch.year, &batch.org_path)
                            .await?;
                    let again: Vec<i64> = draw(&key, pop.len(), percent)
                        .into_iter()
                        .map(|i| pop[i].0)
                        .collect();
                    let held: Vec<i64> = checks.iter().map(|k| k.filer_id).collect();
                    Some(again == held)
                }
                None => Some(false),
            },
            _ => None,
        };
        read_event(
            tx.conn(),
            actor,
            "pm_batch",
            id,
            &batch.org_path,
            format!("查核批次 {} 人", checks.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(BatchDetail {
            batch,
            checks,
            redraw_matches,
        })
    }

    pub async fn pm_check(&self, actor: &Actor, id: i64) -> AppResult<CheckDetail> {
        require_record(actor)?;
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let check = store::get_check(tx.conn(), &scope, id).await?;
        let finding = store::check_finding(tx.conn(), &scope, id)
            .await?
            .map(|v| self.crypto().open(FINDING_FIELD, &v))
            .transpose()?;
        let history = history::of(tx.conn(), "pm_check", id).await?;
        read_event(
            tx.conn(),
            actor,
            "pm_check",
            id,
            &check.org_path,
            format!("查核结果 person#{}", check.person_id),
        )
        .await?;
        tx.commit().await?;
        Ok(CheckDetail {
            check,
            finding,
            history,
        })
    }

    /// Records a verification's outcome and, for 漏报 or 瞒报, its handling.
    pub async fn pm_record_check(
        &self,
        actor: &Actor,
        id: i64,
        input: CheckInput,
    ) -> AppResult<()> {
        require_record(actor)?;
        let mut errs = ValidationErrors::new();
        let outcome = Outcome::parse(&input.outcome);
        if outcome.is_none() {
            errs.add("outcome", "请选择查核结果");
        }
        let on = validate::date(&mut errs, "checked_on", "查核日期", &input.checked_on);
        if on.is_some_and(|d| d > clock::today()) {
            errs.add("checked_on", "查核日期不能晚于今天");
        }
        let finding = validate::opt_text(
            &mut errs,
            "finding",
            "查核发现",
            input.finding.as_deref(),
            2000,
        );
        let handling =
            validate::opt_text(&mut errs, "handling", "处理", Some(&input.handling), 200)
                .unwrap_or_default();
        if outcome.is_some_and(|o| o != Outcome::Truthful) && handling.is_empty() {
            errs.add(
                "handling",
                "漏报、瞒报须填写处理意见（批评教育、诫勉、取消提拔资格等）",
            );
        }
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let k = store::get_check(tx.conn(), &scope, id).await?;
        errs.into_result()?;
        let (Some(outcome), Some(on)) = (outcome, on) else {
            return Err(invalid("outcome", "请选择查核结果"));
        };
        let sealed = finding
            .as_deref()
            .map(|f| self.crypto().seal(FINDING_FIELD, f))
            .transpose()?;
        store::set_check_outcome(
            tx.conn(),
            id,
            outcome.as_str(),
            &on.to_string(),
            sealed.as_deref(),
            &handling,
            clock::now(),
        )
        .await?;
        let line = if handling.is_empty() {
            format!("{on} {}", outcome.label())
        } else {
            format!("{on} {}；处理：{handling}", outcome.label())
        };
        hist(tx.conn(), actor, "pm_check", id, "查核结果", &line).await?;
        hist(tx.conn(), actor, "pm_filer", k.filer_id, "查核结果", &line).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::PersonalMattersCheck,
                "pm_check",
                id,
                &k.org_path,
            )
            .detail(format!(
                "batch#{} person#{} {}",
                k.batch_id,
                k.person_id,
                outcome.as_str()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A year's submission figures and truthful-reporting rate per org and in total.
    pub async fn pm_figures(&self, actor: &Actor, year: i64) -> AppResult<Figures> {
        require_list(actor)?;
        let scope = pm_scope(actor);
        let mut tx = self.store.begin_write().await?;
        let (filers, submitted, late) = store::filing_figures(tx.conn(), &scope, year).await?;
        let rows = store::rates(tx.conn(), &scope, year).await?;
        read_event(
            tx.conn(),
            actor,
            "pm_figures",
            year,
            &scope_path(&scope),
            format!("{year} 年统计"),
        )
        .await?;
        tx.commit().await?;
        let sum = |f: fn(&RateRow) -> i64| rows.iter().map(f).sum::<i64>();
        let (checked, truthful) = (sum(|r| r.checked), sum(|r| r.truthful));
        let total = Rate {
            org_id: None,
            org_name: "合计".into(),
            checked,
            truthful,
            omitted: sum(|r| r.omitted),
            concealed: sum(|r| r.concealed),
            rate: cadre::truthful_rate(truthful, checked),
        };
        Ok(Figures {
            year,
            filers,
            submitted,
            late,
            rates: rows.into_iter().map(Rate::from).collect(),
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_repeats_from_its_seed() {
        let a = parse_seed(&"ab".repeat(32)).unwrap();
        let b = parse_seed(&"cd".repeat(32)).unwrap();
        let x = draw(&a, 200, 10);
        assert_eq!(x.len(), 20);
        assert_eq!(x, draw(&a, 200, 10));
        assert_ne!(x, draw(&b, 200, 10));
        let mut u = x.clone();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), 20, "no one drawn twice");
        assert!(x.iter().all(|i| *i < 200));
        assert_eq!(draw(&a, 3, 100).len(), 3);
        assert!(parse_seed("xyz").is_none());
    }
}
