//! Recurring duties (周期性任务): how often a duty recurs, and the occurrences of a
//! year it becomes, each with its period key, title suffix and deadline.
//!
//! A period key names one occurrence of a duty for one org, and the store's unique
//! index (occurrence_of, org_id, period) makes generation idempotent: the keys must
//! therefore be stable ("2026-03", "2026-Q1", "2026-H1", "2026").
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// 每月
    Monthly,
    /// 每季度
    Quarterly,
    /// 每半年
    HalfYearly,
    /// 每年
    Yearly,
    /// 事件发生后 N 天内 (a meeting, an appointment, a report received…): no calendar
    /// occurrences; each event is registered by hand.
    AfterEvent(u32),
}

/// The longest "within N days of the event" accepted.
pub const MAX_EVENT_DAYS: u32 = 366;

impl Cadence {
    /// The calendar cadences, in the order a form offers them.
    pub const CALENDAR: [Cadence; 4] = [
        Cadence::Monthly,
        Cadence::Quarterly,
        Cadence::HalfYearly,
        Cadence::Yearly,
    ];

    pub fn parse(s: &str) -> Option<Cadence> {
        match s.trim() {
            "monthly" => Some(Cadence::Monthly),
            "quarterly" => Some(Cadence::Quarterly),
            "half_yearly" => Some(Cadence::HalfYearly),
            "yearly" => Some(Cadence::Yearly),
            other => {
                let n: u32 = other.strip_prefix("after_event:")?.trim().parse().ok()?;
                (1..=MAX_EVENT_DAYS)
                    .contains(&n)
                    .then_some(Cadence::AfterEvent(n))
            }
        }
    }

    pub fn as_str(self) -> String {
        match self {
            Cadence::Monthly => "monthly".into(),
            Cadence::Quarterly => "quarterly".into(),
            Cadence::HalfYearly => "half_yearly".into(),
            Cadence::Yearly => "yearly".into(),
            Cadence::AfterEvent(n) => format!("after_event:{n}"),
        }
    }

    pub fn label(self) -> String {
        match self {
            Cadence::Monthly => "每月".into(),
            Cadence::Quarterly => "每季度".into(),
            Cadence::HalfYearly => "每半年".into(),
            Cadence::Yearly => "每年".into(),
            Cadence::AfterEvent(n) => format!("事件后{n}天内"),
        }
    }

    /// Whether the engine creates this cadence's occurrences from the calendar.
    pub fn is_calendar(self) -> bool {
        !matches!(self, Cadence::AfterEvent(_))
    }
}

/// One occurrence of a duty: its period key, the suffix its title gets, its deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub period: String,
    pub suffix: String,
    pub deadline: NaiveDate,
}

const QUARTERS: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];

/// The last day of month `m` of `year`.
fn month_end(year: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 {
        (year + 1, 1)
    } else {
        (year, m + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// The occurrences of `cadence` in `year`, in calendar order; the deadline of each is
/// the last day of its period. An after-event cadence has none.
pub fn occurrences(cadence: Cadence, year: i32) -> Vec<Occurrence> {
    let make = |period: String, suffix: String, last_month: u32| {
        month_end(year, last_month).map(|deadline| Occurrence {
            period,
            suffix,
            deadline,
        })
    };
    match cadence {
        Cadence::Monthly => (1..=12)
            .filter_map(|m| make(format!("{year}-{m:02}"), format!("（{m}月）"), m))
            .collect(),
        Cadence::Quarterly => (1..=4u32)
            .filter_map(|q| {
                make(
                    format!("{year}-Q{q}"),
                    format!("（{}）", QUARTERS[(q - 1) as usize]),
                    q * 3,
                )
            })
            .collect(),
        Cadence::HalfYearly => [(1u32, "（上半年）", 6u32), (2, "（下半年）", 12)]
            .into_iter()
            .filter_map(|(h, s, m)| make(format!("{year}-H{h}"), s.to_string(), m))
            .collect(),
        Cadence::Yearly => make(year.to_string(), format!("（{year}年度）"), 12)
            .into_iter()
            .collect(),
        Cadence::AfterEvent(_) => Vec::new(),
    }
}

/// The occurrence of an after-event duty for an event on `event_day`: due `days` later.
/// The period key is the event's date, so one event is registered once.
pub fn event_occurrence(days: u32, event_day: NaiveDate) -> Option<Occurrence> {
    let deadline = event_day.checked_add_days(chrono::Days::new(u64::from(days)))?;
    Some(Occurrence {
        period: format!("E{event_day}"),
        suffix: format!("（{}事件）", event_day.format("%Y年%-m月%-d日")),
        deadline,
    })
}

/// `d` moved by whole years (year roll-over); 29 February becomes 28 February in a
/// year that has none.
pub fn shift_years(d: NaiveDate, years: i32) -> Option<NaiveDate> {
    let y = d.year().checked_add(years)?;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), d.day() - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parse_and_print_round_trip() {
        for c in [
            Cadence::Monthly,
            Cadence::Quarterly,
            Cadence::HalfYearly,
            Cadence::Yearly,
            Cadence::AfterEvent(15),
        ] {
            assert_eq!(Cadence::parse(&c.as_str()), Some(c));
        }
        assert_eq!(Cadence::AfterEvent(15).label(), "事件后15天内");
        assert_eq!(Cadence::Quarterly.label(), "每季度");
        for bad in [
            "",
            "weekly",
            "after_event:",
            "after_event:0",
            "after_event:x",
            "after_event:400",
        ] {
            assert_eq!(Cadence::parse(bad), None, "{bad}");
        }
        assert!(!Cadence::AfterEvent(3).is_calendar());
        assert!(Cadence::Yearly.is_calendar());
    }

    #[test]
    fn quarterly_is_four_items_ending_each_quarter() {
        let o = occurrences(Cadence::Quarterly, 2026);
        let got: Vec<(&str, &str, String)> = o
            .iter()
            .map(|x| (x.period.as_str(), x.suffix.as_str(), x.deadline.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-Q1", "（第一季度）", "2026-03-31".to_string()),
                ("2026-Q2", "（第二季度）", "2026-06-30".to_string()),
                ("2026-Q3", "（第三季度）", "2026-09-30".to_string()),
                ("2026-Q4", "（第四季度）", "2026-12-31".to_string()),
            ]
        );
    }

    #[test]
    fn monthly_ends_on_the_last_day_including_leap_february() {
        let o = occurrences(Cadence::Monthly, 2028);
        assert_eq!(o.len(), 12);
        assert_eq!(o[1].period, "2028-02");
        assert_eq!(o[1].suffix, "（2月）");
        assert_eq!(o[1].deadline, d("2028-02-29"));
        assert_eq!(
            occurrences(Cadence::Monthly, 2026)[1].deadline,
            d("2026-02-28")
        );
        assert_eq!(o[11].deadline, d("2028-12-31"));
        assert_eq!(o[11].period, "2028-12");
    }

    #[test]
    fn half_years_and_years() {
        let h = occurrences(Cadence::HalfYearly, 2026);
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].period.as_str(), h[0].deadline),
            ("2026-H1", d("2026-06-30"))
        );
        assert_eq!(
            (h[1].period.as_str(), h[1].deadline),
            ("2026-H2", d("2026-12-31"))
        );
        assert_eq!(h[0].suffix, "（上半年）");
        let y = occurrences(Cadence::Yearly, 2026);
        assert_eq!(y.len(), 1);
        assert_eq!(y[0].period, "2026");
        assert_eq!(y[0].deadline, d("2026-12-31"));
        assert!(occurrences(Cadence::AfterEvent(10), 2026).is_empty());
    }

    #[test]
    fn event_occurrence_is_due_n_days_later() {
        let o = event_occurrence(15, d("2026-12-20")).unwrap();
        assert_eq!(o.deadline, d("2027-01-04"));
        assert_eq!(o.period, "E2026-12-20");
        assert_eq!(o.suffix, "（2026年12月20日事件）");
    }

    #[test]
    fn years_shift_with_leap_day_falling_back() {
        assert_eq!(shift_years(d("2026-03-31"), 1), Some(d("2027-03-31")));
        assert_eq!(shift_years(d("2028-02-29"), 1), Some(d("2029-02-28")));
        assert_eq!(shift_years(d("2028-02-29"), 4), Some(d("2032-02-29")));
        assert_eq!(shift_years(d("2026-12-31"), -1), Some(d("2025-12-31")));
    }
}
