//! Cadre work the annual report counts (干部工作): appointments (提拔 / 进一步使用 /
//! 职级晋升), part-time posts in social organisations (社会团体兼职) and their approval,
//! training (选派参加培训: class and hours), and error tolerance (容错纠错). Each record
//! names a person and lies in that person's org, like everything else.
use serde::{Deserialize, Serialize};

use crate::cadre::keyed;

keyed! {
    /// 任用类型.
    AppointmentKind {
        Promotion = ("promotion", "提拔"),
        FurtherUse = ("further_use", "进一步使用"),
        RankPromotion = ("rank_promotion", "职级晋升"),
    }
}

keyed! {
    /// 社会团体兼职审批结果.
    Decision {
        Approved = ("approved", "同意"),
        Refused = ("refused", "不同意"),
    }
}

keyed! {
    /// 容错纠错.
    ToleranceKind {
        /// 容错免责
        Exempt = ("exempt", "容错免责"),
        /// 受处理后重新使用
        Reuse = ("reuse", "纠错后重新使用"),
    }
}

/// Training hours a record may carry (a year of full-time study is about 2,000).
pub const MAX_HOURS: i64 = 2_000;

/// The figure keys (`crate::report::FIGURES`) this module's records give.
pub const FIGURE_KEYS: &[&str] = &[
    "cadre_promoted",
    "cadre_rank_promoted",
    "cadre_part_time_approved",
    "cadre_training_people",
    "cadre_training_classes",
    "cadre_training_hours",
    "cadre_tolerance",
];
