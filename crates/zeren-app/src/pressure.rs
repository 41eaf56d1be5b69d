//! Pressure transmission (压力传导): whether duties really reach the bottom levels.
//! For a scope and a period: on-time completion rate, share overdue, median days late
//! and the supervision-notice answer rate, by level of the org tree below the scope's
//! root (本级, 下一级, 再下一级 …) and by the root's direct children, so "hot on top,
//! cold below" (上热中温下冷) shows at a glance.
//!
//! Definitions (tasks whose deadline lies in the period):
//! - on time: done, and completed (China Standard Time) on or before the deadline;
//!   rate = on time / due;
//! - overdue: still open and the deadline before today; share = overdue / due;
//! - days late: of tasks completed late (completion day − deadline) and of tasks
//!   still overdue (today − deadline); the median of those;
//! - notices: supervision notices issued to orgs of the slice in the period;
//!   rate = answered / issued, none when no notice was issued.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zeren_store::org::OrgRow;
use zeren_store::pressure::{self as store, Slice};

use crate::{clock, Actor, App, AppError, AppResult};

/// Figures of one slice (a level, or an org's subtree).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Figures {
    /// Tasks with a deadline in the period.
    pub due: i64,
    pub on_time: i64,
    pub overdue: i64,
    /// Tasks completed late or still overdue.
    pub late: i64,
    pub notices_issued: i64,
    pub notices_answered: i64,
    /// Percentages with one decimal; `None` when there is nothing to divide by.
    pub on_time_rate: Option<f64>,
    pub overdue_share: Option<f64>,
    pub median_days_late: Option<f64>,
    pub notice_answer_rate: Option<f64>,
}

/// One row of the breakdown.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub label: String,
    /// For a level: levels below the root (0 = 本级); for an org row: the org's.
    pub level: i64,
    pub org_id: Option<i64>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pressure {
    pub org: OrgRow,
    pub from: String,
    pub to: String,
    pub today: String,
    pub total: Figures,
    /// By level below the root, top first.
    pub levels: Vec<Row>,
    /// The root itself (本级), then each direct child with its whole subtree.
    pub orgs: Vec<Row>,
}

/// 本级, 下一级, 再下一级, 下三级 …
pub fn level_label(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "本级".into(),
        1 => "下一级".into(),
        2 => "再下一级".into(),
        n if (3..10).contains(&n) => format!("下{}级", DIGITS[n as usize]),
        n => format!("下{n}级"),
    }
}

fn pct(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0)
}

/// The median of a histogram (days late → count); the mean of the two middle values
/// when the count is even.
pub fn median(hist: &BTreeMap<i64, i64>) -> Option<f64> {
    let n: i64 = hist.values().sum();
    if n == 0 {
        return None;
    }
    let nth = |k: i64| -> i64 {
        let mut seen = 0;
        for (v, c) in hist {
            seen += c;
            if seen > k {
                return *v;
            }
        }
        0
    };
    let (a, b) = (nth((n - 1) / 2), nth(n / 2));
    Some((a + b) as f64 / 2.0)
}

/// Accumulates counts for one slice before the rates are worked out.
#[derive(Default, Clone)]
struct Acc {
    due: i64,
    on_time: i64,
    overdue: i64,
    issued: i64,
    answered: i64,
    hist: BTreeMap<i64, i64>,
}

impl Acc {
    fn figures(&self) -> Figures {
        let late = self.hist.values().sum();
        Figures {
            due: self.due,
            on_time: self.on_time,
            overdue: self.overdue,
            late,
            notices_issued: self.issued,
            notices_answered: self.answered,
            on_time_rate: pct(self.on_time, self.due),
            overdue_share: pct(self.overdue, self.due),
            median_days_late: median(&self.hist),
            notice_answer_rate: pct(self.answered, self.issued),
        }
    }
}

fn days_since_epoch(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

/// The unix second at which day `d` begins in China Standard Time.
fn cst_midnight(d: NaiveDate) -> i64 {
    days_since_epoch(d) * 86_400 - 8 * 3_600
}

/// The path of the root's direct child that `path` lies under (`None` for the root).
fn child_of<'a>(root: &str, path: &'a str) -> Option<&'a str> {
    let rest = path.strip_prefix(root)?;
    let end = rest.find('/')?;
    Some(&path[..root.len() + end + 1])
}

fn parse_day(field: &str, label: &str, v: Option<&str>) -> AppResult<Option<NaiveDate>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                crate::error::invalid(field, format!("{label}应为 YYYY-MM-DD 格式的日期"))
            }),
    }
}

impl App {
    /// Pressure-transmission figures for the subtree of `org_id` (default: the
    /// actor's home org) and deadlines in `[from, to]` (default: 1 January of this
    /// year to today). An org outside the actor's scope is not found.
    pub async fn pressure(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> AppResult<Pressure> {
        self.pressure_on(actor, org_id, from, to, clock::today())
            .await
    }

    /// As `pressure`, as of `today` (tests and simulated clocks).
    pub async fn pressure_on(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> AppResult<Pressure> {
        let from_d = parse_day("from", "起始日期", from)?
            .or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1))
            .unwrap_or(today);
        let to_d = parse_day("to", "截止日期", to)?.unwrap_or(today);
        if to_d < from_d {
            return Err(crate::error::invalid("to", "截止日期不能早于起始日期"));
        }
        let mut c = self.store.conn().await?;
        let home = org_id
            .or_else(|| actor.home().map(|r| r.org_id))
            .ok_or(AppError::NotFound)?;
        let org = zeren_store::org::get(&mut c, home)
            .await
            .map_err(|_| AppError::NotFound)?;
        if !actor.read_scope().contains_path(&org.path) {
            return Err(AppError::NotFound);
        }
        let children = zeren_store::org::children(&mut c, org.id).await?;
        let child_paths: Vec<String> = children.iter().map(|o| o.path.clone()).collect();
        let (from_s, to_s, today_s) = (from_d.to_string(), to_d.to_string(), today.to_string());
        let slice = Slice {
            root_path: &org.path,
            children: &child_paths,
            from: &from_s,
            to: &to_s,
            today: &today_s,
            today_day: days_since_epoch(today),
            from_ts: cst_midnight(from_d),
            to_ts: cst_midnight(to_d) + 86_400,
        };
        let per_org = store::by_org(&mut c, &slice).await?;
        let late = store::late_buckets(&mut c, &slice).await?;
        let notices = store::notices(&mut c, &slice).await?;

        // root depth in '/' count: "/1/" has 2
        let root_slashes = org.depth + 1;
        let child_index: std::collections::HashMap<&str, i64> = child_paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as i64))
            .collect();
        let mut total = Acc::default();
        let mut levels: BTreeMap<i64, Acc> = BTreeMap::new();
        // index -1 is the root itself
        let mut by_org: BTreeMap<i64, Acc> = BTreeMap::new();
        for row in &per_org {
            let slashes = row.org_path.matches('/').count() as i64;
            let child = child_of(&org.path, &row.org_path)
                .and_then(|p| child_index.get(p).copied())
                .unwrap_or(-1);
            for a in [
                &mut total,
                levels.entry(slashes - root_slashes).or_default(),
                by_org.entry(child).or_default(),
            ] {
                a.due += row.due;
                a.on_time += row.on_time;
                a.overdue += row.overdue;
            }
        }
        for b in &late {
            for a in [
                &mut total,
                levels.entry(b.slashes - root_slashes).or_default(),
                by_org.entry(b.child).or_default(),
            ] {
                *a.hist.entry(b.days).or_default() += b.n;
            }
        }
        for n in &notices {
            for a in [
                &mut total,
                levels.entry(n.slashes - root_slashes).or_default(),
                by_org.entry(n.child).or_default(),
            ] {
                a.issued += n.issued;
                a.answered += n.answered;
            }
        }
        let levels = levels
            .into_iter()
            .filter(|(l, _)| *l >= 0)
            .map(|(l, a)| Row {
                label: level_label(l),
                level: l,
                org_id: None,
                figures: a.figures(),
            })
            .collect();
        let mut orgs = vec![Row {
            label: format!("{}（本级）", org.name),
            level: 0,
            org_id: Some(org.id),
            figures: by_org.get(&-1).cloned().unwrap_or_default().figures(),
        }];
        for (i, ch) in children.iter().enumerate() {
            orgs.push(Row {
                label: ch.name.clone(),
                level: 1,
                org_id: Some(ch.id),
                figures: by_org
                    .get(&(i as i64))
                    .cloned()
                    .unwrap_or_default()
                    .figures(),
            });
        }
        Ok(Pressure {
            org,
            from: from_s,
            to: to_s,
            today: today_s,
            total: total.figures(),
            levels,
            orgs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_histograms() {
        let h = |v: &[(i64, i64)]| v.iter().copied().collect::<BTreeMap<i64, i64>>();
        assert_eq!(median(&h(&[])), None);
        assert_eq!(median(&h(&[(5, 1)])), Some(5.0));
        assert_eq!(median(&h(&[(1, 1), (3, 1)])), Some(2.0));
        assert_eq!(median(&h(&[(1, 2), (10, 1)])), Some(1.0));
        assert_eq!(median(&h(&[(1, 1), (4, 2), (9, 1)])), Some(4.0));
    }

    #[test]
    fn levels_and_rates() {
        assert_eq!(level_label(0), "本级");
        assert_eq!(level_label(1), "下一级");
        assert_eq!(level_label(2), "再下一级");
        assert_eq!(level_label(3), "下三级");
        assert_eq!(pct(1, 3), Some(33.3));
        assert_eq!(pct(0, 0), None);
    }

    #[test]
    fn paths_roll_up_to_the_roots_children() {
        assert_eq!(child_of("/1/", "/1/"), None);
        assert_eq!(child_of("/1/", "/1/5/"), Some("/1/5/"));
        assert_eq!(child_of("/1/", "/1/5/23/"), Some("/1/5/"));
        assert_eq!(child_of("/1/5/", "/1/6/"), None);
    }

    #[test]
    fn day_numbers_match_the_calendar() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(days_since_epoch(d("1970-01-01")), 0);
        assert_eq!(days_since_epoch(d("2026-01-01")), 20454);
        // 2026-01-01 00:00 CST is 2025-12-31 16:00 UTC
        assert_eq!(cst_midnight(d("2026-01-01")), 1_767_196_800);
    }
}
