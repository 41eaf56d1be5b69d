//! Compliance (合规检查): every org of a scope against every rule that applies to it,
//! for one year, from the records — nothing is typed twice. The figures come from four
//! set-based queries over the whole scope (orgs; held activities per org × kind ×
//! month; roster counts per org; committee positions per org); the checks are
//! `zeren_core::rule::evaluate`, in memory.
//!
//! Branch health (支部建设) is the same pass seen per branch: members, committee,
//! term, contacts, pocket members and the compliance rate.
use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use zeren_core::activity::ActivityKind;
use zeren_core::rule::{self, Check, Facts, Obligation, Outcome, PeriodVerdict, Rule};
use zeren_core::OrgKind;
use zeren_store::compliance::{self as store, OrgBase};
use zeren_store::Scope;

use crate::rules::RuleSet;
use crate::{clock, Actor, App, AppError, AppResult};

/// One rule checked for one org.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub key: String,
    pub title: String,
    pub citation: String,
    pub requirement: String,
    pub check: &'static str,
    pub activity: Option<&'static str>,
    pub setting: bool,
    pub local: bool,
    pub expected: i64,
    pub held: i64,
    pub verdict: Outcome,
    pub verdict_label: &'static str,
    pub detail: String,
    /// Per period (frequency and attendance rules), only when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodVerdict>,
}

/// The health figures of an org (支部建设).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Health {
    /// Full and probationary members of the org and its groups.
    pub members: i64,
    pub full_members: i64,
    pub has_secretary: bool,
    /// People holding a position in the org.
    pub committee_size: i64,
    /// A committee is required (7 full members or more).
    pub committee_required: bool,
    pub term_end: Option<String>,
    /// Days from today to the term's end (negative: overdue).
    pub days_to_term_end: Option<i64>,
    /// Members with dues in arrears (a month or more).
    pub arrears: Option<i64>,
    pub lost_contact: i64,
    pub pocket: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgCompliance {
    pub org_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub code: Option<String>,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub path: String,
    pub depth: i64,
    pub founded: String,
    pub rules: Vec<RuleResult>,
    /// Rules missing or violated.
    pub flags: i64,
    /// Share of decided rules kept, in percent; `None` while nothing is decided.
    pub rate: Option<f64>,
    pub health: Health,
}

#[derive(Debug, Clone, Serialize)]
pub struct Compliance {
    pub year: i32,
    pub today: String,
    pub orgs: Vec<OrgCompliance>,
}

/// What to compute.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    /// Keep the per-period verdicts (the month grid of one branch).
    pub periods: bool,
}

fn date_of_day(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The cut-off day for "N months": the day N months before today.
fn months_before(today: NaiveDate, months: i64) -> NaiveDate {
    today
        .checked_sub_months(Months::new(months.clamp(0, 1200) as u32))
        .unwrap_or(today)
}

/// Every org of `scope`, every rule that applies, for `year` as of `today`.
/// The activity counts (the largest query) and the dues arrears run on connections
/// of their own beside the others, so the database works on them at once.
pub async fn compute(
    db: &zeren_store::Store,
    set: &RuleSet,
    scope: &Scope,
    year: i32,
    today: NaiveDate,
    want: Want,
) -> AppResult<Compliance> {
    // the figures the SQL needs up front: the attendance ratio and the contact cut-off
    // (the library has one of each; a local rule with other figures uses these too)
    let (num, den) = set
        .all()
        .find_map(|r| match r.check {
            Check::AttendanceRatio {
                numerator,
                denominator,
                ..
            } => Some((numerator, denominator)),
            _ => None,
        })
        .unwrap_or((2, 3));
    let lost_months = set
        .all()
        .find_map(|r| match r.check {
            Check::LostContactMonths { months } => Some(months),
            _ => None,
        })
        .unwrap_or(6);
    let lost_before = months_before(today, lost_months).to_string();

    let from = format!("{year:04}-01-01");
    let to = format!("{year:04}-12-31");
    // only the kinds some rule counts: frequency kinds by month, attendance kinds
    // with their attendance
    let mut freq_kinds: Vec<&str> = Vec::new();
    let mut ratio_kinds: Vec<&str> = Vec::new();
    for r in set.all() {
        let list = match r.check {
            Check::ActivityFrequency { .. } => &mut freq_kinds,
            Check::AttendanceRatio { .. } => &mut ratio_kinds,
            _ => continue,
        };
        if let Some(k) = r.check.activity() {
            if !list.contains(&k.as_str()) {
                list.push(k.as_str());
            }
        }
    }
    let _wide = crate::WIDE_READS
        .acquire()
        .await
        .map_err(|e| crate::AppError::Io(e.to_string()))?;
    let mut c1 = db.conn().await?;
    let mut c2 = db.conn().await?;
    let months = store::held_months(&mut c2, scope, year);
    let rest = async {
        let c = &mut *c1;
        let orgs = store::orgs(c, scope).await?;
        let held = store::held(c, scope, &from, &to, num, den, &ratio_kinds).await?;
        let roster = store::roster(c, scope, &lost_before).await?;
        let committees = store::committees(c, scope).await?;
        Ok::<_, zeren_store::StoreError>((orgs, held, roster, committees))
    };
    let mut c3 = db.conn().await?;
    let today_s = today.to_string();
    let dues = zeren_store::roster::dues_arrears_by_org(&mut c3, scope, &today_s);
    let (months, (orgs, held, roster, committees), dues) = tokio::try_join!(months, rest, dues)?;
    drop(c3);
    drop((c1, c2));

    let by_path: HashMap<&str, usize> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| (o.path.as_str(), i))
        .collect();
    let by_id: HashMap<i64, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    // a group's members and meetings count for its branch
    let owner = |i: usize| -> usize {
        let o = &orgs[i];
        if o.kind == "group" {
            o.parent_id
                .and_then(|p| by_id.get(&p).copied())
                .unwrap_or(i)
        } else {
            i
        }
    };
    let mut facts: Vec<Facts> = orgs
        .iter()
        .map(|o| {
            let kind = OrgKind::parse(&o.kind).unwrap_or(OrgKind::Branch);
            let founded = clock::date_of(o.created_at).unwrap_or(today);
            let mut f = Facts::new(kind, founded);
            f.term_start = date_of_day(&o.term_start);
            f.term_end = date_of_day(&o.term_end);
            f
        })
        .collect();
    let mut lost_all = vec![0i64; orgs.len()];
    let mut pocket = vec![0i64; orgs.len()];
    for h in &months {
        // kinds no frequency rule counts (attendance kinds are counted below)
        if !freq_kinds.contains(&h.kind.as_str()) {
            continue;
        }
        let (Some(&i), Some(kind)) = (
            by_path.get(h.org_path.as_str()),
            ActivityKind::parse(&h.kind),
        ) else {
            continue;
        };
        let f = &mut facts[owner(i)];
        for (m, n) in h.m.iter().enumerate() {
            if *n > 0 {
                f.held.add(kind, m as u32 + 1, *n, 0);
            }
        }
    }
    for h in &held {
        let (Some(&i), Some(kind)) = (
            by_path.get(h.org_path.as_str()),
            ActivityKind::parse(&h.kind),
        ) else {
            continue;
        };
        // a kind both counted and checked for attendance is counted once, above
        let n = if freq_kinds.contains(&h.kind.as_str()) {
            0
        } else {
            h.n
        };
        facts[owner(i)]
            .held
            .add(kind, h.month.clamp(0, 12) as u32, n, h.quorate);
    }
    for r in &roster {
        let Some(&i) = by_path.get(r.org_path.as_str()) else {
            continue;
        };
        let i = owner(i);
        let f = &mut facts[i];
        f.members += r.members;
        f.full_members += r.full_members;
        f.lost_contact += r.lost_long;
        lost_all[i] += r.lost;
        pocket[i] += r.pocket;
    }
    // dues: members in arrears (a month or more) and six months or more
    // (`dues_arrears_by_org`, whose threshold is the regulation's six months)
    let mut arrears = vec![0i64; orgs.len()];
    for f in facts.iter_mut() {
        f.dues_arrears = Some(0);
    }
    for &(org_id, n1, n6) in &dues {
        if let Some(&i) = by_id.get(&org_id) {
            let i = owner(i);
            arrears[i] += n1;
            if let Some(a) = facts[i].dues_arrears.as_mut() {
                *a += n6;
            }
        }
    }
    for (i, o) in orgs.iter().enumerate() {
        if o.kind == "group" && owner(i) != i {
            facts[owner(i)].groups += 1;
        }
    }
    for k in &committees {
        if let Some(&i) = by_id.get(&k.org_id) {
            facts[i].has_secretary = k.secretaries > 0;
            facts[i].committee_size = k.size;
        }
    }

    let mut out = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        let Some(kind) = OrgKind::parse(&o.kind) else {
            continue;
        };
        if kind == OrgKind::Group {
            continue;
        }
        let f = &facts[i];
        let rules = set.for_org(kind, &o.path);
        let mut results = Vec::with_capacity(rules.len());
        for r in &rules {
            // a rule not yet in force this year is not shown
            if r.effective.year() > year || !r.binds(f) {
                continue;
            }
            let v = rule::evaluate(r, f, year, today);
            results.push(result(r, v, want));
        }
        let verdicts: Vec<Outcome> = results.iter().map(|r| r.verdict).collect();
        let committee_required = rules.iter().any(|r| match r.check {
            Check::CommitteeRequired { full_members, .. } => f.full_members >= full_members,
            _ => false,
        });
        let days_to_term_end = results
            .iter()
            .find(|r| r.check == "term")
            .filter(|t| t.verdict != Outcome::Missing || t.held != 0)
            .map(|t| t.held);
        out.push(OrgCompliance {
            org_id: o.id,
            parent_id: o.parent_id,
            name: o.name.clone(),
            code: o.code.clone(),
            kind: kind.as_str(),
            kind_label: kind.label(),
            path: o.path.clone(),
            depth: o.depth,
            founded: f.founded.to_string(),
            flags: verdicts.iter().filter(|v| v.is_flag()).count() as i64,
            rate: rule::compliance_rate(&verdicts),
            rules: results,
            health: Health {
                members: f.members,
                full_members: f.full_members,
                has_secretary: f.has_secretary,
                committee_size: f.committee_size,
                committee_required,
                term_end: term_end(o, f, &rules),
                days_to_term_end,
                arrears: Some(arrears[i]),
                lost_contact: lost_all[i],
                pocket: pocket[i],
            },
        });
    }
    Ok(Compliance {
        year,
        today: today.to_string(),
        orgs: out,
    })
}

fn term_end(o: &OrgBase, f: &Facts, rules: &[Rule]) -> Option<String> {
    if let Some(e) = &o.term_end {
        return Some(e.clone());
    }
    let years = rules.iter().find_map(|r| match r.check {
        Check::Term {
            committee_years,
            branch_years,
            ..
        } => Some(match f.kind {
            OrgKind::Commission | OrgKind::Committee => committee_years,
            _ => branch_years,
        }),
        _ => None,
    })?;
    f.term_start
        .and_then(|s| s.checked_add_months(Months::new((years * 12) as u32)))
        .and_then(|d| d.pred_opt())
        .map(|d| d.to_string())
}

fn result(r: &Rule, v: rule::Verdict, want: Want) -> RuleResult {
    RuleResult {
        key: r.key.clone(),
        title: r.title.clone(),
        citation: r.citation(),
        requirement: r.check.describe(),
        check: r.check.kind(),
        activity: r.check.activity().map(ActivityKind::as_str),
        setting: r.setting,
        local: r.local,
        expected: v.expected,
        held: v.held,
        verdict: v.verdict,
        verdict_label: v.verdict.label(),
        detail: v.detail,
        periods: if want.periods { v.periods } else { Vec::new() },
    }
}

/// An item for the reminder engine.
#[derive(Debug, Clone, Serialize)]
pub struct OrgObligation {
    pub org_id: i64,
    pub org_path: String,
    pub org_name: String,
    pub title: String,
    pub citation: String,
    /// `rule:{rule_key}:{org_id}:{period}`: unique, for notifications' `key`.
    pub key: String,
    #[serde(flatten)]
    pub obligation: Obligation,
}

impl App {
    fn year_ok(year: i32) -> AppResult<()> {
        if (2000..=2100).contains(&year) {
            Ok(())
        } else {
            Err(crate::error::invalid("year", "年度应在 2000 至 2100 之间"))
        }
    }

    /// Compliance of the subtree of `org_id` (default: the actor's whole scope) for
    /// `year` as of `today`. An org outside the scope is not found.
    pub async fn compliance(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        year: i32,
        today: NaiveDate,
    ) -> AppResult<Compliance> {
        self.compliance_with(actor, org_id, year, today, Want { periods: false })
            .await
    }

    /// As `compliance`, with the per-period verdicts (for one branch's grid).
    pub async fn compliance_with(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        year: i32,
        today: NaiveDate,
        want: Want,
    ) -> AppResult<Compliance> {
        Self::year_ok(year)?;
        if actor.is_admin() {
            return Err(AppError::NotFound);
        }
        let mut c = self.store.conn().await?;
        let scope = match org_id {
            Some(id) => {
                let o = zeren_store::org::get_in(&mut c, &actor.read_scope(), id)
                    .await
                    .map_err(|_| AppError::NotFound)?;
                Scope::Subtrees(vec![o.path])
            }
            None => match actor.read_scope() {
                s @ Scope::Subtrees(_) => s,
                _ => return Err(AppError::NotFound),
            },
        };
        let set = self.rule_set(&mut c).await?;
        drop(c);
        compute(&self.store, &set, &scope, year, today, want).await
    }

    /// The whole tree, or the subtree of the org with `code` (the CLI, which runs
    /// without an actor, like `zeren jobs run-once`).
    pub async fn compliance_tree(
        &self,
        org_code: Option<&str>,
        year: i32,
        today: NaiveDate,
        want: Want,
    ) -> AppResult<Compliance> {
        Self::year_ok(year)?;
        let mut c = self.store.conn().await?;
        let path = match org_code {
            Some(code) => store::org_by_code(&mut c, code)
                .await?
                .map(|(_, p)| p)
                .ok_or(AppError::NotFound)?,
            None => zeren_store::org::root(&mut c)
                .await?
                .map(|o| o.path)
                .ok_or(AppError::NotFound)?,
        };
        let set = self.rule_set(&mut c).await?;
        drop(c);
        compute(
            &self.store,
            &set,
            &Scope::Subtrees(vec![path]),
            year,
            today,
            want,
        )
        .await
    }
}

/// Flags and obligations due within `horizon_days`, ready for the reminder engine
/// (each with its unique key). Needs a result computed with periods.
pub fn obligations(
    c: &Compliance,
    set_rules: impl Fn(&OrgCompliance) -> Vec<Rule>,
    today: NaiveDate,
    horizon_days: i64,
) -> Vec<OrgObligation> {
    let mut out = Vec::new();
    for o in &c.orgs {
        let rules = set_rules(o);
        for r in &o.rules {
            let Some(rule) = rules.iter().find(|x| x.key == r.key) else {
                continue;
            };
            let v = rule::Verdict {
                expected: r.expected,
                held: r.held,
                verdict: r.verdict,
                detail: r.detail.clone(),
                periods: r.periods.clone(),
            };
            for ob in rule::obligations(rule, &v, c.year, today, horizon_days) {
                out.push(OrgObligation {
                    org_id: o.org_id,
                    org_path: o.path.clone(),
                    org_name: o.name.clone(),
                    title: r.title.clone(),
                    citation: r.citation.clone(),
                    key: ob.key(o.org_id),
                    obligation: ob,
                });
            }
        }
    }
    out
}

impl App {
    /// Violations and upcoming obligations (periods ending within `horizon_days`) of
    /// the whole tree for `today`'s year: the list the reminder engine turns into
    /// notifications (keyed `rule:{rule_key}:{org_id}:{period}`).
    pub async fn compliance_obligations(
        &self,
        today: NaiveDate,
        horizon_days: i64,
    ) -> AppResult<Vec<OrgObligation>> {
        let c = self
            .compliance_tree(None, today.year(), today, Want { periods: true })
            .await?;
        let mut conn = self.store.conn().await?;
        let set = self.rule_set(&mut conn).await?;
        Ok(obligations(
            &c,
            |o| {
                OrgKind::parse(o.kind)
                    .map(|k| set.for_org(k, &o.path))
                    .unwrap_or_default()
            },
            today,
            horizon_days,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Times the whole tree of an existing database for a year:
    /// `ZEREN_BENCH_DB=sqlite:///tmp/prov/zeren.db cargo test --release -p zeren-app
    /// compliance::tests::whole_tree_timing -- --ignored --nocapture`.
    #[tokio::test]
    #[ignore]
    async fn whole_tree_timing() {
        let Ok(url) = std::env::var("ZEREN_BENCH_DB") else {
            return;
        };
        let dir = std::env::temp_dir().join("zeren-compliance-bench");
        let app = App::open(&url, crate::AppConfig::new(dir)).await.unwrap();
        let today = clock::today();
        {
            let mut c = app.store.conn().await.unwrap();
            let scope = Scope::Subtrees(vec!["/1/".into()]);
            let t = std::time::Instant::now();
            let n = store::orgs(&mut c, &scope).await.unwrap().len();
            println!("orgs {n} {:.2}", t.elapsed().as_secs_f64());
            let t = std::time::Instant::now();
            let n = store::held_months(&mut c, &scope, today.year())
                .await
                .unwrap()
                .len();
            println!("held_months {n} {:.2}", t.elapsed().as_secs_f64());
            let t = std::time::Instant::now();
            let n = store::held(
                &mut c,
                &scope,
                "2026-01-01",
                "2026-12-31",
                2,
                3,
                &["democratic_life"],
            )
            .await
            .unwrap()
            .len();
            println!("held ratio {n} {:.2}", t.elapsed().as_secs_f64());
            let t = std::time::Instant::now();
            let n = store::roster(&mut c, &scope, "2026-05-29")
                .await
                .unwrap()
                .len();
            println!("roster {n} {:.2}", t.elapsed().as_secs_f64());
            let t = std::time::Instant::now();
            let n = store::committees(&mut c, &scope).await.unwrap().len();
            println!("committees {n} {:.2}", t.elapsed().as_secs_f64());
        }
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let c = app
                .compliance_tree(None, today.year(), today, Want { periods: false })
                .await
                .unwrap();
            let n: usize = c.orgs.iter().map(|o| o.rules.len()).sum();
            println!(
                "compliance: {} orgs, {n} verdicts in {:.2} s",
                c.orgs.len(),
                t.elapsed().as_secs_f64()
            );
        }
    }
}
