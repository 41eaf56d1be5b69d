//! Member development (发展党员) as a pipeline: 入党申请人 → 入党积极分子 → 发展对象 →
//! 预备党员 → 正式党员, with the dates of each stage and the minimum intervals of
//! 《中国共产党发展党员工作细则》 and the Party Constitution. Pure: the caller passes
//! the dates in.
//!
//! "One year" is counted in calendar years, not 365 days: a stage begun on 2023-03-01
//! may be followed on 2024-03-01 (366 days later, across a leap day), and one begun on
//! a 29 February completes its year on 1 March (never early).
use chrono::{Datelike, NaiveDate};

/// 《中国共产党发展党员工作细则》, the rules these checks cite.
pub const RULES: &str = "《中国共产党发展党员工作细则》";

/// A development stage, in order. Stored in `people.party_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// 入党申请人
    Applicant,
    /// 入党积极分子
    Activist,
    /// 发展对象
    Candidate,
    /// 预备党员
    Probationary,
    /// 正式党员
    Full,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::Candidate,
        Stage::Probationary,
        Stage::Full,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::Candidate => "candidate",
            Stage::Probationary => "probationary",
            Stage::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Applicant => "入党申请人",
            Stage::Activist => "入党积极分子",
            Stage::Candidate => "发展对象",
            Stage::Probationary => "预备党员",
            Stage::Full => "正式党员",
        }
    }

    /// The stage after this one.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::Applicant => Some(Stage::Activist),
            Stage::Activist => Some(Stage::Candidate),
            Stage::Candidate => Some(Stage::Probationary),
            Stage::Probationary => Some(Stage::Full),
            Stage::Full => None,
        }
    }

    /// Members of the Party (they count in a branch's roster and owe dues).
    pub fn is_member(self) -> bool {
        matches!(self, Stage::Probationary | Stage::Full)
    }

    /// The label of the date a person entered this stage.
    pub fn date_label(self) -> &'static str {
        match self {
            Stage::Applicant => "递交入党申请日期",
            Stage::Activist => "确定为入党积极分子日期",
            Stage::Candidate => "确定为发展对象日期",
            Stage::Probationary => "接收为预备党员日期",
            Stage::Full => "转为正式党员日期",
        }
    }
}

/// The key dates of one person; `probationary_on` is the admission day (the branch
/// assembly's vote, `people.joined_on`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dates {
    pub born_on: Option<NaiveDate>,
    pub applied_on: Option<NaiveDate>,
    pub activist_on: Option<NaiveDate>,
    pub candidate_on: Option<NaiveDate>,
    pub probationary_on: Option<NaiveDate>,
    pub full_on: Option<NaiveDate>,
}

impl Dates {
    pub fn of(&self, s: Stage) -> Option<NaiveDate> {
        match s {
            Stage::Applicant => self.applied_on,
            Stage::Activist => self.activist_on,
            Stage::Candidate => self.candidate_on,
            Stage::Probationary => self.probationary_on,
            Stage::Full => self.full_on,
        }
    }
    pub fn set(&mut self, s: Stage, d: Option<NaiveDate>) {
        match s {
            Stage::Applicant => self.applied_on = d,
            Stage::Activist => self.activist_on = d,
            Stage::Candidate => self.candidate_on = d,
            Stage::Probationary => self.probationary_on = d,
            Stage::Full => self.full_on = d,
        }
    }
}

/// Why a step is refused, with the article that requires it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub citation: &'static str,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（依据：{}）", self.reason, self.citation)
    }
}

/// 年满十八岁 may apply.
pub const CITE_AGE: &str =
    "《中国共产党发展党员工作细则》第五条：年满十八岁的，可以申请加入中国共产党";
/// 入党积极分子 are chosen from those who applied.
pub const CITE_ACTIVIST: &str =
    "《中国共产党发展党员工作细则》第八条：在入党申请人中确定入党积极分子";
/// 一年以上培养教育和考察 before 发展对象.
pub const CITE_CANDIDATE: &str = "《中国共产党发展党员工作细则》第十二条：经过一年以上培养教育和考察的入党积极分子，方可列为发展对象";
/// 预备党员 are received from 发展对象.
pub const CITE_ADMISSION: &str =
    "《中国共产党发展党员工作细则》第四章：预备党员从经过考察的发展对象中接收";
/// 预备期为一年, counted from the branch assembly's vote.
pub const CITE_PROBATION: &str =
    "《中国共产党章程》第七条：预备党员的预备期为一年，从支部大会通过其为预备党员之日算起";

/// The same day `years` years later; a 29 February with no match is followed by
/// 1 March, so a year is never shortened.
pub fn years_after(d: NaiveDate, years: i32) -> NaiveDate {
    let y = d.year() + years;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, 3, 1))
        .unwrap_or(d)
}

/// The earliest day a person may enter `to`, given the dates so far; `None` while a
/// date it depends on is unknown.
pub fn earliest(to: Stage, d: &Dates) -> Option<NaiveDate> {
    match to {
        Stage::Applicant => d.born_on.map(|b| years_after(b, 18)),
        Stage::Activist => d.applied_on,
        Stage::Candidate => d.activist_on.map(|a| years_after(a, 1)),
        Stage::Probationary => d.candidate_on,
        Stage::Full => d.probationary_on.map(|p| years_after(p, 1)),
    }
}

/// Whether a person at stage `from` (`None`: not in the pipeline) may enter `to` on
/// `d.of(to)`. Stages are taken one at a time, in order.
pub fn check_stage(from: Option<Stage>, to: Stage, d: &Dates) -> Result<(), Refusal> {
    let expected = match from {
        None => Some(Stage::Applicant),
        Some(f) => f.next(),
    };
    if expected != Some(to) {
        let now = from.map(|f| f.label()).unwrap_or("群众");
        return Err(Refusal {
            reason: format!(
                "发展党员须按程序逐步进行：{now}的下一步是{}，不能直接转为{}",
                expected.map(|e| e.label()).unwrap_or("（已是最后一步）"),
                to.label()
            ),
            citation: RULES,
        });
    }
    let Some(on) = d.of(to) else {
        return Err(Refusal {
            reason: format!("请填写{}", to.date_label()),
            citation: RULES,
        });
    };
    let (citation, prev_label, prev) = match to {
        Stage::Applicant => {
            let Some(born) = d.born_on else {
                return Err(Refusal {
                    reason: "请先填写出生日期，以核对申请时是否年满十八岁".into(),
                    citation: CITE_AGE,
                });
            };
            let adult = years_after(born, 18);
            if on < adult {
                return Err(Refusal {
                    reason: format!("申请日期 {on} 时未满十八岁（{adult} 起满十八岁）"),
                    citation: CITE_AGE,
                });
            }
            return Ok(());
        }
        Stage::Activist => (CITE_ACTIVIST, "递交入党申请", d.applied_on),
        Stage::Candidate => (CITE_CANDIDATE, "确定为入党积极分子", d.activist_on),
        Stage::Probationary => (CITE_ADMISSION, "确定为发展对象", d.candidate_on),
        Stage::Full => (CITE_PROBATION, "接收为预备党员", d.probationary_on),
    };
    let Some(prev) = prev else {
        return Err(Refusal {
            reason: format!("缺少{prev_label}的日期，无法核对程序"),
            citation,
        });
    };
    let min = earliest(to, d).unwrap_or(prev);
    if on < min {
        let reason = if min == prev {
            format!("{}（{on}）不能早于{prev_label}（{prev}）", to.date_label())
        } else {
            format!(
                "自{prev_label}（{prev}）起未满一年，最早可于 {min} {}",
                match to {
                    Stage::Full => "转为正式党员",
                    _ => "列为发展对象",
                }
            )
        };
        return Err(Refusal { reason, citation });
    }
    Ok(())
}

/// One stage as the person page shows it: its date, and for the next stage the day it
/// becomes possible.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StageView {
    pub stage: &'static str,
    pub label: &'static str,
    pub on: Option<String>,
    /// Reached (the person is at or past it).
    pub reached: bool,
    /// For the next stage: the earliest permitted day.
    pub earliest: Option<String>,
    /// For a reached stage whose recorded date breaks a rule: the refusal text.
    pub problem: Option<String>,
}

/// The pipeline of a person at `current`, checking each recorded step.
pub fn pipeline(current: Option<Stage>, d: &Dates) -> Vec<StageView> {
    let next = match current {
        None => Some(Stage::Applicant),
        Some(c) => c.next(),
    };
    Stage::ALL
        .iter()
        .map(|&s| {
            let reached = current.is_some_and(|c| s <= c);
            let prev = Stage::ALL.iter().copied().take_while(|x| *x < s).last();
            // a recorded step is checked only when its predecessor's date is known too
            let problem = (reached && d.of(s).is_some())
                .then(|| check_stage(prev, s, d).err())
                .flatten()
                .filter(|r| !r.reason.starts_with("缺少") && !r.reason.starts_with("请先"))
                .map(|r| r.to_string());
            StageView {
                stage: s.as_str(),
                label: s.label(),
                on: d.of(s).map(|x| x.to_string()),
                reached,
                earliest: (Some(s) == next)
                    .then(|| earliest(s, d))
                    .flatten()
                    .map(|x| x.to_string()),
                problem,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dates(items: &[(Stage, &str)]) -> Dates {
        let mut d = Dates {
            born_on: Some(day("1990-05-01")),
            ..Dates::default()
        };
        for (s, v) in items {
            d.set(*s, Some(day(v)));
        }
        d
    }

    #[test]
    fn applicant_must_be_eighteen() {
        let mut d = dates(&[(Stage::Applicant, "2026-02-28")]);
        d.born_on = Some(day("2008-02-28"));
        assert!(
            check_stage(None, Stage::Applicant, &d).is_ok(),
            "18th birthday"
        );
        d.born_on = Some(day("2008-03-01"));
        let e = check_stage(None, Stage::Applicant, &d).unwrap_err();
        assert_eq!(e.citation, CITE_AGE);
        assert!(e.to_string().contains("第五条"), "{e}");
        d.born_on = None;
        assert!(check_stage(None, Stage::Applicant, &d).is_err());
    }

    #[test]
    fn leap_day_birthday_turns_eighteen_on_first_of_march() {
        let mut d = dates(&[(Stage::Applicant, "2026-02-28")]);
        d.born_on = Some(day("2008-02-29"));
        assert!(check_stage(None, Stage::Applicant, &d).is_err());
        d.applied_on = Some(day("2026-03-01"));
        assert!(check_stage(None, Stage::Applicant, &d).is_ok());
    }

    #[test]
    fn activist_not_before_application() {
        let ok = dates(&[
            (Stage::Applicant, "2024-01-10"),
            (Stage::Activist, "2024-01-10"),
        ]);
        assert!(check_stage(Some(Stage::Applicant), Stage::Activist, &ok).is_ok());
        let bad = dates(&[
            (Stage::Applicant, "2024-01-10"),
            (Stage::Activist, "2024-01-09"),
        ]);
        let e = check_stage(Some(Stage::Applicant), Stage::Activist, &bad).unwrap_err();
        assert_eq!(e.citation, CITE_ACTIVIST);
    }

    #[test]
    fn candidate_after_a_full_year_as_activist() {
        let base = [
            (Stage::Applicant, "2022-09-01"),
            (Stage::Activist, "2023-03-01"),
        ];
        let mut ok = dates(&base);
        ok.candidate_on = Some(day("2024-03-01"));
        assert!(check_stage(Some(Stage::Activist), Stage::Candidate, &ok).is_ok());
        // 2023-03-01 → 2024-02-29 is 365 days but not a year: the leap day counts
        let mut bad = dates(&base);
        bad.candidate_on = Some(day("2024-02-29"));
        assert_eq!(
            (day("2024-02-29") - day("2023-03-01")).num_days(),
            365,
            "a 365-day span"
        );
        let e = check_stage(Some(Stage::Activist), Stage::Candidate, &bad).unwrap_err();
        assert_eq!(e.citation, CITE_CANDIDATE);
        assert!(e.to_string().contains("第十二条"), "{e}");
        assert!(e.reason.contains("2024-03-01"), "{}", e.reason);
    }

    #[test]
    fn a_year_from_a_leap_day_ends_on_first_of_march() {
        let base = [
            (Stage::Applicant, "2023-09-01"),
            (Stage::Activist, "2024-02-29"),
        ];
        let mut d = dates(&base);
        d.candidate_on = Some(day("2025-02-28"));
        assert!(check_stage(Some(Stage::Activist), Stage::Candidate, &d).is_err());
        d.candidate_on = Some(day("2025-03-01"));
        assert!(check_stage(Some(Stage::Activist), Stage::Candidate, &d).is_ok());
        assert_eq!(years_after(day("2024-02-29"), 4), day("2028-02-29"));
    }

    #[test]
    fn admission_not_before_candidacy() {
        let base = [
            (Stage::Applicant, "2022-01-01"),
            (Stage::Activist, "2022-02-01"),
            (Stage::Candidate, "2023-03-01"),
        ];
        let mut d = dates(&base);
        d.probationary_on = Some(day("2023-03-01"));
        assert!(check_stage(Some(Stage::Candidate), Stage::Probationary, &d).is_ok());
        d.probationary_on = Some(day("2023-02-28"));
        let e = check_stage(Some(Stage::Candidate), Stage::Probationary, &d).unwrap_err();
        assert_eq!(e.citation, CITE_ADMISSION);
    }

    #[test]
    fn probation_lasts_a_year() {
        let base = [
            (Stage::Candidate, "2022-06-01"),
            (Stage::Probationary, "2023-06-30"),
        ];
        let mut d = dates(&base);
        d.full_on = Some(day("2024-06-30"));
        assert!(check_stage(Some(Stage::Probationary), Stage::Full, &d).is_ok());
        d.full_on = Some(day("2024-06-29"));
        let e = check_stage(Some(Stage::Probationary), Stage::Full, &d).unwrap_err();
        assert_eq!(e.citation, CITE_PROBATION);
        assert!(e.to_string().contains("第七条"));
        // across a leap day: 2024-01-15 → 2025-01-15 is 366 days
        let mut l = dates(&[(Stage::Probationary, "2024-01-15")]);
        l.full_on = Some(day("2025-01-14"));
        assert_eq!((day("2025-01-14") - day("2024-01-15")).num_days(), 365);
        assert!(check_stage(Some(Stage::Probationary), Stage::Full, &l).is_err());
        l.full_on = Some(day("2025-01-15"));
        assert!(check_stage(Some(Stage::Probationary), Stage::Full, &l).is_ok());
    }

    #[test]
    fn stages_are_taken_in_order() {
        let d = dates(&[
            (Stage::Activist, "2020-01-01"),
            (Stage::Probationary, "2024-01-01"),
        ]);
        assert!(check_stage(Some(Stage::Activist), Stage::Probationary, &d).is_err());
        assert!(check_stage(None, Stage::Activist, &d).is_err());
        assert!(check_stage(Some(Stage::Full), Stage::Full, &d).is_err());
        // a missing date is refused, not assumed
        let d = dates(&[(Stage::Applicant, "2020-01-01")]);
        assert!(check_stage(Some(Stage::Applicant), Stage::Activist, &d).is_err());
    }

    #[test]
    fn pipeline_shows_next_step_and_problems() {
        let d = dates(&[
            (Stage::Applicant, "2023-01-01"),
            (Stage::Activist, "2023-03-01"),
            (Stage::Candidate, "2023-09-01"),
        ]);
        let p = pipeline(Some(Stage::Candidate), &d);
        assert_eq!(p.len(), 5);
        assert!(
            p[2].reached && p[2].problem.is_some(),
            "candidate too early"
        );
        assert_eq!(p[3].earliest.as_deref(), Some("2023-09-01"));
        assert!(!p[4].reached && p[4].earliest.is_none());
    }
}
