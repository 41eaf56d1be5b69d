//! Responsibility letters (责任书): the three kinds signed each year, the levels they
//! pass down (委党委 → 直属单位党组织书记 → 班子成员 → 科室负责人), which part of the
//! year's responsibility list each level's letter carries, the signature states and
//! the reminder stages of an unsigned letter.
//!
//! Pure: no I/O, no clock. The letter's duties are never written into it: they are
//! links to the tasks of the list, chosen by `DutySelection`.
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cadre::keyed;

keyed! {
    /// 责任书的种类.
    Kind {
        PartyBuilding = ("party_building", "党建目标责任书"),
        Integrity = ("integrity", "党风廉政建设责任书"),
        Conduct = ("conduct", "行风建设责任书"),
    }
}

keyed! {
    /// The level a letter is signed at: who issues it to whom.
    Level {
        /// 委党委（书记）与直属单位党组织书记签订.
        Unit = ("unit", "委党委—直属单位党组织书记"),
        /// 单位党组织书记与班子成员签订.
        Team = ("team", "单位书记—班子成员"),
        /// 班子成员与分管科室（支部）负责人签订.
        Department = ("department", "班子成员—科室负责人"),
    }
}

impl Level {
    /// The position the issuer must hold (in `people`'s positions): the commission's
    /// secretary is whoever the commission names, so `Unit` accepts any person of the
    /// issuing org.
    pub fn issuer_positions(self) -> &'static [&'static str] {
        match self {
            Level::Unit => &[],
            Level::Team => &["secretary"],
            Level::Department => &["deputy_secretary", "team_member", "discipline_member"],
        }
    }

    /// The position the signer must hold.
    pub fn signer_positions(self) -> &'static [&'static str] {
        match self {
            Level::Unit => &["secretary"],
            Level::Team => &["deputy_secretary", "team_member", "discipline_member"],
            Level::Department => &["secretary"],
        }
    }

    /// Which part of the signer's org's list the letter carries (besides the kind's
    /// categories).
    pub fn selection(self) -> DutySelection {
        match self {
            // the unit's whole list: the secretary answers for the committee's duties
            Level::Unit => DutySelection::WholeList,
            // the duties the team member leads, and team duties nobody leads yet
            Level::Team => DutySelection::LedBySigner,
            // the department's (branch's) own list
            Level::Department => DutySelection::WholeList,
        }
    }

    /// The signer's party name on the letter (乙方), the issuer's (甲方).
    pub fn parties(self) -> (&'static str, &'static str) {
        match self {
            Level::Unit => ("委党委", "直属单位党组织书记"),
            Level::Team => ("党组织书记", "班子成员"),
            Level::Department => ("班子成员", "科室（支部）负责人"),
        }
    }
}

/// How a level picks tasks from the signer's org's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutySelection {
    WholeList,
    /// Tasks whose responsible leader is the signer, and `team_member` duties with no
    /// leader named.
    LedBySigner,
}

/// The categories of a responsibility list a kind of letter draws on by default:
/// integrity letters the 廉政/纪律/监督 categories, conduct letters 作风/行风, party-building
/// letters the rest. When the rule picks none, the kind takes every category (a list
/// with unusual category names still yields a letter, and the template can narrow it).
pub fn default_categories(kind: Kind, available: &[String]) -> Vec<String> {
    let integrity = |c: &str| c.contains('廉') || c.contains('纪') || c.contains("监督");
    let conduct = |c: &str| c.contains("作风") || c.contains("行风");
    let picked: Vec<String> = available
        .iter()
        .filter(|c| match kind {
            Kind::Integrity => integrity(c),
            Kind::Conduct => conduct(c),
            Kind::PartyBuilding => !integrity(c) && !conduct(c),
        })
        .cloned()
        .collect();
    if picked.is_empty() {
        available.to_vec()
    } else {
        picked
    }
}

keyed! {
    /// Who has signed.
    SignState {
        Pending = ("pending", "待签订"),
        /// one party has signed
        Partial = ("partial", "一方已签"),
        Signed = ("signed", "已签订"),
    }
}

pub fn sign_state(issuer_signed: bool, signer_signed: bool) -> SignState {
    match (issuer_signed, signer_signed) {
        (true, true) => SignState::Signed,
        (false, false) => SignState::Pending,
        _ => SignState::Partial,
    }
}

keyed! {
    /// 甲方 / 乙方.
    Party {
        Issuer = ("issuer", "甲方"),
        Signer = ("signer", "乙方"),
    }
}

keyed! {
    /// How a signature was recorded.
    Method {
        /// the signer confirmed in the application with their own account
        Confirm = ("confirm", "本人在线确认"),
        /// a scanned signed page was uploaded
        Scan = ("scan", "上传签字扫描件"),
    }
}

/// Days before `sign_by` the first reminder goes out.
pub const DUE_LEAD_DAYS: i64 = 7;
/// Days after `sign_by` an unsigned letter is escalated to the issuing org.
pub const ESCALATE_AFTER_DAYS: i64 = 14;

keyed! {
    /// The reminder stages of a letter not yet signed by both parties. Each is told
    /// once (the notification key holds the stage); after downtime only the latest.
    Stage {
        /// within a week of the signing deadline: to the party who has not signed
        Due = ("letter-due", "即将到期"),
        /// past the deadline: to the party who has not signed
        Overdue = ("letter-overdue", "逾期未签"),
        /// two weeks past: to the issuing org's office
        Escalate = ("letter-escalate", "逾期督办"),
    }
}

/// The latest stage an unsigned letter with deadline `sign_by` is in on `today`.
pub fn stage_on(sign_by: NaiveDate, today: NaiveDate) -> Option<Stage> {
    if today > sign_by + Duration::days(ESCALATE_AFTER_DAYS) {
        Some(Stage::Escalate)
    } else if today > sign_by {
        Some(Stage::Overdue)
    } else if today >= sign_by - Duration::days(DUE_LEAD_DAYS) {
        Some(Stage::Due)
    } else {
        None
    }
}

/// The default title of a template.
pub fn default_title(year: i32, kind: Kind) -> String {
    format!("{year}年度{}", kind.label())
}

/// The standing clauses of a kind of letter, as a template starts with them.
pub fn default_clauses(kind: Kind) -> &'static str {
    match kind {
        Kind::PartyBuilding => "乙方对本单位（分管领域）党建工作负直接责任，按责任清单逐项落实，年底向甲方述职；甲方对乙方履职情况进行督促检查和考核，考核结果作为评先评优、干部使用的重要依据。",
        Kind::Integrity => "乙方严格落实“一岗双责”，对分管领域党风廉政建设负直接领导责任，以身作则、廉洁自律；出现违纪违法问题的，依规依纪追究相关责任。",
        Kind::Conduct => "乙方负责分管领域行风建设，落实医疗卫生行业“九项准则”，及时整改群众反映的突出问题；发生严重行风问题的，按有关规定追究责任。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn stages_follow_the_deadline() {
        let by = d("2026-03-31");
        assert_eq!(stage_on(by, d("2026-03-23")), None);
        assert_eq!(stage_on(by, d("2026-03-24")), Some(Stage::Due));
        assert_eq!(stage_on(by, d("2026-03-31")), Some(Stage::Due));
        assert_eq!(stage_on(by, d("2026-04-01")), Some(Stage::Overdue));
        assert_eq!(stage_on(by, d("2026-04-14")), Some(Stage::Overdue));
        assert_eq!(stage_on(by, d("2026-04-15")), Some(Stage::Escalate));
    }

    #[test]
    fn kinds_take_their_categories() {
        let all: Vec<String> = [
            "政治建设与责任落实",
            "作风建设",
            "党风廉政建设",
            "监督执纪",
            "组织建设",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            default_categories(Kind::Integrity, &all),
            vec!["党风廉政建设", "监督执纪"]
        );
        assert_eq!(default_categories(Kind::Conduct, &all), vec!["作风建设"]);
        assert_eq!(
            default_categories(Kind::PartyBuilding, &all),
            vec!["政治建设与责任落实", "组织建设"]
        );
        let odd = vec!["其他".to_string()];
        assert_eq!(default_categories(Kind::Conduct, &odd), odd);
        assert_eq!(sign_state(true, false), SignState::Partial);
        assert_eq!(sign_state(true, true), SignState::Signed);
    }
}
