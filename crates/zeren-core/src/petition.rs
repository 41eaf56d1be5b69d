//! Petitions (信访举报) as the discipline-inspection group handles them, after
//! 《纪检监察机关处理检举控告工作规则》: intake (channel, signed or anonymous, level and
//! category of what is reported), disposal (谈话函询, 初步核实, 暂存待查, 予以了结,
//! 移送审查调查), outcome (属实, 部分属实, 不属实, with 澄清正名), and the two notices a
//! real-name informant is owed within 15 working days: of acceptance, and of the
//! result.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::workday::Calendar;

/// Working days within which a real-name informant is told of acceptance, counted
/// from receipt, and of the result, counted from conclusion.
pub const NOTICE_WORKING_DAYS: u32 = 15;

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

keyed! {
    /// How a petition arrived (来信、来访、来电、网络举报、上级转交).
    Channel {
        Letter = ("letter", "来信"),
        Visit = ("visit", "来访"),
        Phone = ("phone", "来电"),
        Online = ("online", "网络举报"),
        Referral = ("referral", "上级转交"),
        Other = ("other", "其他"),
    }
}

keyed! {
    /// The level of the person reported (被反映人职级).
    Level {
        Bureau = ("bureau", "厅局级"),
        Division = ("division", "县处级"),
        Section = ("section", "乡科级"),
        Staff = ("staff", "一般干部"),
        Other = ("other", "其他人员"),
    }
}

keyed! {
    /// What is reported, by the six disciplines of the 纪律处分条例 and crime.
    Category {
        Political = ("political", "违反政治纪律"),
        Organisational = ("organisational", "违反组织纪律"),
        Integrity = ("integrity", "违反廉洁纪律"),
        Mass = ("mass", "违反群众纪律"),
        Work = ("work", "违反工作纪律"),
        Life = ("life", "违反生活纪律"),
        Crime = ("crime", "涉嫌违法犯罪"),
        Other = ("other", "其他"),
    }
}

keyed! {
    /// The five ways of disposing of problem leads (问题线索处置方式).
    Disposal {
        TalkInquiry = ("talk_inquiry", "谈话函询"),
        PreliminaryCheck = ("preliminary_check", "初步核实"),
        Shelved = ("shelved", "暂存待查"),
        ClosedOut = ("closed_out", "予以了结"),
        Referred = ("referred", "移送审查调查"),
    }
}

keyed! {
    /// What the handling found.
    Outcome {
        True = ("true", "属实"),
        PartlyTrue = ("partly_true", "部分属实"),
        Untrue = ("untrue", "不属实"),
    }
}

keyed! {
    /// Where a petition stands.
    State {
        /// 已受理: registered, not yet disposed of.
        Received = ("received", "已受理"),
        /// 处置中: a disposal is under way (or the lead is shelved).
        Disposing = ("disposing", "处置中"),
        /// 已办结: concluded with an outcome, or closed out.
        Concluded = ("concluded", "已办结"),
    }
}

impl Disposal {
    /// Whether this disposal ends in an outcome (属实 / 部分属实 / 不属实).
    pub fn yields_outcome(self) -> bool {
        matches!(
            self,
            Disposal::TalkInquiry | Disposal::PreliminaryCheck | Disposal::Referred
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("信访件已办结，不能再处置")]
    Concluded,
    #[error("信访件尚未处置，不能办结")]
    NotDisposed,
    #[error("“{0}”的线索没有核查结论；请先改为谈话函询、初步核实或移送审查调查")]
    NoOutcomeFor(&'static str),
    #[error("核实属实的，不能澄清正名")]
    ClearedButTrue,
}

/// The state after disposing of a petition in `state` with `d`. 予以了结 ends the
/// matter; every other disposal keeps it open (a shelved lead may be taken up again,
/// a talk may lead to a check, a check to a referral).
pub fn dispose(state: State, d: Disposal) -> Result<State, TransitionError> {
    match state {
        State::Concluded => Err(TransitionError::Concluded),
        State::Received | State::Disposing => Ok(if d == Disposal::ClosedOut {
            State::Concluded
        } else {
            State::Disposing
        }),
    }
}

/// Concluding with an outcome: only a disposal that checks something yields one, and
/// 澄清正名 (clearing the person's name) is for reports found untrue or partly untrue.
pub fn conclude(
    state: State,
    disposal: Option<Disposal>,
    outcome: Outcome,
    cleared: bool,
) -> Result<State, TransitionError> {
    match (state, disposal) {
        (State::Concluded, _) => Err(TransitionError::Concluded),
        (State::Received, _) | (_, None) => Err(TransitionError::NotDisposed),
        (State::Disposing, Some(d)) if !d.yields_outcome() => {
            Err(TransitionError::NoOutcomeFor(d.label()))
        }
        _ if cleared && outcome == Outcome::True => Err(TransitionError::ClearedButTrue),
        _ => Ok(State::Concluded),
    }
}

/// When a real-name informant must have been told of acceptance; anonymous
/// petitions owe no notice.
pub fn acceptance_notice_due(
    cal: &Calendar,
    signed: bool,
    received_on: NaiveDate,
) -> Option<NaiveDate> {
    signed.then(|| cal.add_working_days(received_on, NOTICE_WORKING_DAYS))
}

/// When a real-name informant must have been told of the result.
pub fn result_notice_due(
    cal: &Calendar,
    signed: bool,
    concluded_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match (signed, concluded_on) {
        (true, Some(d)) => Some(cal.add_working_days(d, NOTICE_WORKING_DAYS)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workday::DayKind;

    #[test]
    fn keys_round_trip() {
        for d in Disposal::ALL {
            assert_eq!(Disposal::parse(d.as_str()), Some(*d));
        }
        assert_eq!(Channel::parse("letter"), Some(Channel::Letter));
        assert_eq!(Outcome::parse("maybe"), None);
        assert_eq!(Disposal::TalkInquiry.label(), "谈话函询");
    }

    #[test]
    fn closing_out_ends_the_matter_other_disposals_keep_it_open() {
        assert_eq!(
            dispose(State::Received, Disposal::ClosedOut),
            Ok(State::Concluded)
        );
        assert_eq!(
            dispose(State::Received, Disposal::Shelved),
            Ok(State::Disposing)
        );
        // a shelved lead taken up again
        assert_eq!(
            dispose(State::Disposing, Disposal::PreliminaryCheck),
            Ok(State::Disposing)
        );
        assert_eq!(
            dispose(State::Concluded, Disposal::Referred),
            Err(TransitionError::Concluded)
        );
    }

    #[test]
    fn an_outcome_needs_a_disposal_that_checks() {
        let c = |s, d, o, cl| conclude(s, d, o, cl);
        assert_eq!(
            c(State::Received, None, Outcome::Untrue, false),
            Err(TransitionError::NotDisposed)
        );
        assert_eq!(
            c(
                State::Disposing,
                Some(Disposal::Shelved),
                Outcome::Untrue,
                false
            ),
            Err(TransitionError::NoOutcomeFor("暂存待查"))
        );
        assert_eq!(
            c(
                State::Disposing,
                Some(Disposal::TalkInquiry),
                Outcome::Untrue,
                true
            ),
            Ok(State::Concluded)
        );
        assert_eq!(
            c(
                State::Disposing,
                Some(Disposal::PreliminaryCheck),
                Outcome::True,
                true
            ),
            Err(TransitionError::ClearedButTrue)
        );
        assert_eq!(
            c(
                State::Concluded,
                Some(Disposal::Referred),
                Outcome::True,
                false
            ),
            Err(TransitionError::Concluded)
        );
    }

    #[test]
    fn notices_are_owed_to_real_name_informants_only() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let cal = Calendar::new([(d("2026-05-01"), DayKind::Holiday)]);
        assert_eq!(acceptance_notice_due(&cal, false, d("2026-04-20")), None);
        // 20 April (Mon) + 15 working days, 1 May off: 12 May instead of 11 May
        assert_eq!(
            acceptance_notice_due(&cal, true, d("2026-04-20")),
            Some(d("2026-05-12"))
        );
        assert_eq!(result_notice_due(&cal, true, None), None);
        assert_eq!(
            result_notice_due(&cal, true, Some(d("2026-06-01"))),
            Some(d("2026-06-22"))
        );
    }
}
