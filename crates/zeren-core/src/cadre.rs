//! Cadre supervision by the organisation department (组织部门): personal-matters reports
//! (个人有关事项报告) and the four checks before a promotion (凡提四必).
//!
//! Who files: after 《领导干部报告个人有关事项规定》 (2017) the reporting officials are
//! leading cadres at 副处级 and above (and equivalents). Zeren keeps a yearly *filer
//! list* (`pm_filers`, one row per year and person): the organisation department
//! generates it from the people's cadre rank (`rank_must_file`) and adds or notes
//! others by hand with the basis written down. A filer reports once a year by
//! 31 January (`deadline`); a report after it is recorded and marked late, never
//! refused.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

macro_rules! keyed {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($k:literal, $l:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $k),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$v => $l),+ } }
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|x| x.as_str() == s) }
            /// (key, label) pairs, for forms.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|x| (x.as_str(), x.label())).collect()
            }
        }
    };
}
pub(crate) use keyed;

/// Default share of a year's filers drawn for random verification (随机抽查), in
/// percent; the draw form can set another.
pub const DEFAULT_DRAW_PERCENT: i64 = 10;

/// Whether a cadre rank makes its holder a reporting official: 副处级 and above.
pub fn rank_must_file(rank: &str) -> bool {
    ["处级", "厅级", "局级", "部级"]
        .iter()
        .any(|r| rank.contains(r))
}

/// The day a year's report is due: 31 January of that year.
pub fn deadline(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 31)
}

keyed! {
    /// Where a filer stands on a given day.
    FilingStatus {
        /// not reported, deadline not passed
        Pending = ("pending", "待报告"),
        /// not reported, deadline passed
        Overdue = ("overdue", "逾期未报"),
        OnTime = ("on_time", "按时报告"),
        Late = ("late", "逾期报告"),
    }
}

/// The status of a year's report, reported on `submitted` (if at all), seen on
/// `today`. A report on 31 January is on time; on 1 February it is late.
pub fn filing_status(year: i32, submitted: Option<NaiveDate>, today: NaiveDate) -> FilingStatus {
    let Some(due) = deadline(year) else {
        return FilingStatus::Pending;
    };
    match submitted {
        Some(d) if d <= due => FilingStatus::OnTime,
        Some(_) => FilingStatus::Late,
        None if today > due => FilingStatus::Overdue,
        None => FilingStatus::Pending,
    }
}

keyed! {
    /// Why a verification batch was drawn (查核类型).
    CheckReason {
        /// 随机抽查: drawn by seed and ratio from the year's filers
        Random = ("random", "随机抽查"),
        /// 重点查核: before a promotion (拟提拔)
        Promotion = ("promotion", "拟提拔重点查核"),
        /// after a petition about the person
        Petition = ("petition", "信访举报查核"),
        /// at an inspection's request (巡察)
        Inspection = ("inspection", "巡视巡察移交查核"),
        Other = ("other", "其他重点查核"),
    }
}

keyed! {
    /// The result of a verification (查核结果).
    Outcome {
        Truthful = ("truthful", "如实报告"),
        Omitted = ("omitted", "漏报"),
        Concealed = ("concealed", "瞒报"),
    }
}

keyed! {
    /// The four checks before a promotion (凡提四必).
    FourCheck {
        /// 干部档案"凡提必审"
        File = ("file", "档案必审"),
        /// 个人有关事项报告"凡提必核"
        PersonalMatters = ("personal_matters", "个人有关事项报告必查"),
        /// 纪检监察机关意见"凡提必听"
        Discipline = ("discipline", "纪检监察机关意见必听"),
        /// 线索具体的信访举报"凡提必查"
        Petitions = ("petitions", "线索具体的信访举报必查"),
    }
}

impl FourCheck {
    /// Whether the discipline body (rather than the organisation department) records
    /// this check's conclusion.
    pub fn by_discipline(self) -> bool {
        matches!(self, FourCheck::Discipline | FourCheck::Petitions)
    }
}

keyed! {
    /// A conclusion of one of the four checks.
    CheckVerdict {
        Clear = ("clear", "无影响使用的问题"),
        Concern = ("concern", "存在问题需说明"),
        Block = ("block", "影响使用"),
    }
}

/// How many of `population` a random draw of `percent` takes: rounded up, at least
/// one when anyone is there, never more than all.
pub fn draw_size(population: usize, percent: i64) -> usize {
    if population == 0 || percent <= 0 {
        return 0;
    }
    let n = (population as i64 * percent + 99) / 100;
    (n.max(1) as usize).min(population)
}

/// The truthful-reporting rate in percent (one decimal), or None with nothing checked.
pub fn truthful_rate(truthful: i64, checked: i64) -> Option<f64> {
    (checked > 0).then(|| (truthful as f64 * 1000.0 / checked as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_31_january_boundary() {
        let y = 2026;
        assert_eq!(
            filing_status(y, Some(d("2026-01-31")), d("2026-03-01")),
            FilingStatus::OnTime
        );
        assert_eq!(
            filing_status(y, Some(d("2026-02-01")), d("2026-03-01")),
            FilingStatus::Late
        );
        assert_eq!(
            filing_status(y, None, d("2026-01-31")),
            FilingStatus::Pending
        );
        assert_eq!(
            filing_status(y, None, d("2026-02-01")),
            FilingStatus::Overdue
        );
    }

    #[test]
    fn ranks_and_sizes() {
        assert!(rank_must_file("副处级"));
        assert!(rank_must_file("正厅级"));
        assert!(!rank_must_file("正科级"));
        assert_eq!(draw_size(0, 10), 0);
        assert_eq!(draw_size(5, 10), 1);
        assert_eq!(draw_size(20, 10), 2);
        assert_eq!(draw_size(21, 10), 3);
        assert_eq!(draw_size(3, 100), 3);
        assert_eq!(truthful_rate(9, 10), Some(90.0));
        assert_eq!(truthful_rate(2, 3), Some(66.7));
        assert_eq!(truthful_rate(0, 0), None);
        assert!(FourCheck::Discipline.by_discipline());
        assert!(!FourCheck::File.by_discipline());
    }
}
