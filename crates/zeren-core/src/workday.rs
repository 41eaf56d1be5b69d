//! The working-day calendar (工作日): Monday to Friday, minus the public holidays the
//! State Council announces each year, plus the weekend days it turns into working
//! days (调休). Deadlines in working days (a real-name informant is told of
//! acceptance within 15 working days) are counted on it.
//!
//! Counting follows the usual rule for periods: the day the period starts from is not
//! counted; the deadline is the n-th working day after it.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (法定节假日, or a weekday off around one).
    Holiday,
    /// A weekend day worked instead (调休上班).
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "放假",
            DayKind::Workday => "调休上班",
        }
    }
}

/// Weekends and the configured exceptions.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar {
            exceptions: days.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.exceptions.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `from` (`from` itself is not counted; `n = 0` is
    /// `from`). A calendar that declares no working day for years on end stops
    /// looking after `n` weeks and ten years and answers the last day looked at.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        let limit = n as i64 * 7 + 3660;
        let mut steps = 0;
        while left > 0 && steps < limit {
            d += Duration::days(1);
            steps += 1;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut n = 0;
        let mut d = a;
        while d < b {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n * sign
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 2026's National Day: 1–7 October off, Saturday 10 October worked.
    fn national_day() -> Calendar {
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7)
            .map(|i| (d(&format!("2026-10-{i:02}")), DayKind::Holiday))
            .collect();
        days.push((d("2026-10-10"), DayKind::Workday));
        Calendar::new(days)
    }

    #[test]
    fn weekends_are_off_and_weekdays_on() {
        let c = Calendar::default();
        assert!(c.is_working_day(d("2026-03-02"))); // Monday
        assert!(!c.is_working_day(d("2026-03-07"))); // Saturday
        assert!(!c.is_working_day(d("2026-03-08"))); // Sunday
    }

    #[test]
    fn fifteen_working_days_without_holidays_is_three_weeks() {
        let c = Calendar::default();
        // received Monday 2 March: the 15th working day after is Monday 23 March
        assert_eq!(c.add_working_days(d("2026-03-02"), 15), d("2026-03-23"));
        // received on a Saturday: counting starts on Monday
        assert_eq!(c.add_working_days(d("2026-03-07"), 1), d("2026-03-09"));
        assert_eq!(c.add_working_days(d("2026-03-07"), 0), d("2026-03-07"));
    }

    #[test]
    fn holidays_push_the_deadline_and_adjusted_days_pull_it() {
        let c = national_day();
        assert!(!c.is_working_day(d("2026-10-05"))); // a Monday off
        assert!(c.is_working_day(d("2026-10-10"))); // a Saturday worked
                                                    // received Wednesday 30 September: 1–7 October off; 8, 9, 10 (the worked
                                                    // Saturday) are 1–3, 12–16 are 4–8, 19–23 are 9–13, 26 and 27 are 14 and 15
        assert_eq!(c.add_working_days(d("2026-09-30"), 15), d("2026-10-27"));
        // without the calendar it would be 21 October
        assert_eq!(
            Calendar::default().add_working_days(d("2026-09-30"), 15),
            d("2026-10-21")
        );
        assert_eq!(c.working_days_between(d("2026-09-30"), d("2026-10-27")), 15);
        assert_eq!(
            c.working_days_between(d("2026-10-27"), d("2026-09-30")),
            -15
        );
    }

    #[test]
    fn a_calendar_without_working_days_does_not_hang() {
        let all_off = Calendar::new(
            (0..5000).map(|i| (d("2026-01-01") + Duration::days(i), DayKind::Holiday)),
        );
        let end = all_off.add_working_days(d("2026-01-01"), 15);
        assert!(end > d("2026-01-01"));
    }
}
