//! Integrity risk points (廉政风险点): where, in an org's departments and posts, power
//! could be abused; their category and level (高/中/低), the controls that answer
//! them and who owns each, and a periodic review.
use chrono::{Datelike, Months, NaiveDate};

use crate::cadre::keyed;
use serde::{Deserialize, Serialize};

keyed! {
    /// What kind of power the risk lies in.
    Category {
        Resources = ("resources", "人财物管理"),
        Medical = ("medical", "医疗服务"),
        Procurement = ("procurement", "采购"),
        Construction = ("construction", "基建"),
        Personnel = ("personnel", "人事"),
        Research = ("research", "科研"),
        Approval = ("approval", "行政审批"),
        Other = ("other", "其他"),
    }
}

keyed! {
    /// 风险等级.
    Level {
        High = ("high", "高"),
        Medium = ("medium", "中"),
        Low = ("low", "低"),
    }
}

impl Level {
    /// The default review cycle in months: high risks every quarter, medium twice a
    /// year, low once a year.
    pub fn default_cycle_months(self) -> u32 {
        match self {
            Level::High => 3,
            Level::Medium => 6,
            Level::Low => 12,
        }
    }
}

/// The next review after one on `on`, `months` later (the end of a shorter month
/// when the day does not exist: 31 Aug + 6 months = 28/29 Feb).
pub fn next_review(on: NaiveDate, months: u32) -> NaiveDate {
    on.checked_add_months(Months::new(months.max(1)))
        .unwrap_or_else(|| on.with_year(on.year() + 1).unwrap_or(on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        assert_eq!(
            next_review(d, 6),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
        assert_eq!(Level::High.default_cycle_months(), 3);
        assert_eq!(Category::parse("medical"), Some(Category::Medical));
        assert_eq!(Level::parse("high").map(|l| l.label()), Some("高"));
    }
}
