//! Inspection tours (巡察): rounds and their states, the rectification-report deadline
//! (two months after feedback by default), interview outlines and their question
//! kinds, survey question kinds, and the figures of the public progress notice
//! (巡察整改进展情况通报).
//!
//! A round is planned, goes on site, gives feedback to each target unit, and is closed
//! by the inspection office once the units have rectified. A finding becomes a problem
//! of the target unit's ledger at feedback; from then on the ordinary ledger rules
//! (measures, evidence, 挂账销号) apply.
use chrono::{Months, NaiveDate};

use crate::cadre::keyed;
use serde::{Deserialize, Serialize};

/// Months from feedback to the rectification report (整改情况报告), by default: the
/// inspection regulations ask for it "within two months of receiving the feedback".
pub const DEFAULT_REPORT_MONTHS: u32 = 2;

/// Respondents a survey needs before any count of its answers is shown.
pub const DEFAULT_MIN_RESPONDENTS: i64 = 5;

/// Days before the report is due that its unit is told.
pub const REPORT_LEAD_DAYS: i64 = 14;

keyed! {
    /// Where a round stands.
    RoundState {
        /// 计划中
        Planned = ("planned", "计划中"),
        /// 进驻中: the team is on site (talks, surveys, records).
        OnSite = ("on_site", "进驻中"),
        /// 整改中: feedback given to every target unit; rectification under way.
        Rectifying = ("rectifying", "整改中"),
        /// 已完成: the office closed the round.
        Closed = ("closed", "已完成"),
    }
}

keyed! {
    /// What a round does (巡察方式).
    RoundKind {
        Regular = ("regular", "常规巡察"),
        Special = ("special", "专项巡察"),
        Mobile = ("mobile", "机动巡察"),
        Revisit = ("revisit", "巡察“回头看”"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundAction {
    /// 进驻
    Start,
    /// Feedback given to the last target unit (automatic).
    FeedbackDone,
    /// 结束本轮
    Close,
}

impl RoundState {
    pub fn after(self, a: RoundAction) -> Option<RoundState> {
        use RoundAction::*;
        use RoundState::*;
        match (self, a) {
            (Planned, Start) => Some(OnSite),
            (OnSite, FeedbackDone) => Some(Rectifying),
            (Rectifying, Close) => Some(Closed),
            _ => None,
        }
    }
    /// Whether talks, surveys and findings may still be recorded.
    pub fn on_site(self) -> bool {
        matches!(self, RoundState::Planned | RoundState::OnSite)
    }
}

/// The day the rectification report is due: `months` after feedback (the last day of
/// a shorter month when the day does not exist: 31 Dec + 2 months = 28/29 Feb).
pub fn report_due(feedback_on: NaiveDate, months: u32) -> NaiveDate {
    feedback_on
        .checked_add_months(Months::new(months.max(1)))
        .unwrap_or(feedback_on)
}

/// The reminder stage of a target unit's report on `today`: none before the lead
/// window, `due` inside it, `overdue` after the day; none once submitted.
pub fn report_stage(
    due: NaiveDate,
    submitted: bool,
    today: NaiveDate,
    lead_days: i64,
) -> Option<&'static str> {
    if submitted {
        return None;
    }
    if today > due {
        Some("inspection-report-overdue")
    } else if (due - today).num_days() <= lead_days {
        Some("inspection-report-due")
    } else {
        None
    }
}

keyed! {
    /// What an interview-outline question asks about; it chooses which records the
    /// answerer's draft is built from.
    QuestionKind {
        /// 主体责任落实情况
        Responsibility = ("responsibility", "主体责任落实"),
        /// 政治生态和干部作风
        Ecology = ("ecology", "政治生态和干部作风"),
        /// 一体推进不敢腐、不能腐、不想腐
        Mechanism = ("mechanism", "一体推进“三不腐”"),
        /// 差距和不足
        Gaps = ("gaps", "差距和不足"),
        /// 监督责任
        Supervision = ("supervision", "监督责任"),
        /// 全面从严治党体系
        System = ("system", "全面从严治党体系"),
        /// 廉洁文化建设
        Culture = ("culture", "廉洁文化建设"),
        /// 其他
        Other = ("other", "其他"),
    }
}

impl QuestionKind {
    /// The annual-report figures (`report::FIGURES` keys) a draft answer states for
    /// this kind of question, counted from records for the answerer's unit and year.
    pub fn figures(self) -> &'static [&'static str] {
        match self {
            QuestionKind::Responsibility => &[
                "committee_meetings",
                "first_topic",
                "central_group",
                "tasks",
                "tasks_done",
            ],
            QuestionKind::Ecology => &["democratic_life", "org_life", "heart_talks"],
            QuestionKind::Mechanism => &["warning_education", "integrity_talks", "accountability"],
            QuestionKind::Gaps => &["self_problems", "self_measures", "self_measures_done"],
            QuestionKind::Supervision => &["notices", "notices_answered", "accountability"],
            QuestionKind::System => &["tasks", "tasks_done", "three_one", "theme_days"],
            QuestionKind::Culture => &["warning_education", "trainings", "training_people"],
            QuestionKind::Other => &[],
        }
    }
    /// Whether the draft lists the unit's open problems (差距和不足).
    pub fn lists_open_problems(self) -> bool {
        matches!(self, QuestionKind::Gaps | QuestionKind::Responsibility)
    }
}

keyed! {
    /// A survey question's kind.
    SurveyKind {
        /// one option of several
        Choice = ("choice", "单选"),
        /// a score 1…N (满意度, 民主测评 好/较好/一般/差 as 4…1)
        Scale = ("scale", "评分"),
        /// free text
        Text = ("text", "文字"),
    }
}

keyed! {
    /// What a survey is for.
    SurveyPurpose {
        Questionnaire = ("questionnaire", "问卷调查"),
        Appraisal = ("appraisal", "民主测评"),
    }
}

keyed! {
    /// 问题类别 of a finding, as inspection feedback groups them.
    FindingCategory {
        Political = ("political", "党的政治建设"),
        Responsibility = ("responsibility", "全面从严治党主体责任"),
        Integrity = ("integrity", "党风廉政建设和反腐败"),
        Style = ("style", "作风建设"),
        Organisation = ("organisation", "基层党组织建设"),
        Cadres = ("cadres", "干部队伍建设"),
        Rectification = ("rectification", "巡视巡察审计整改"),
        Other = ("other", "其他"),
    }
}

keyed! {
    /// How a problem stands in the progress notice.
    NoticeState {
        /// 已完成: the problem is closed (销号).
        Done = ("done", "已完成"),
        /// 长期坚持: the unit marked it long-term and every measure is done, but it is
        /// kept on the books as standing work.
        LongTerm = ("long_term", "长期坚持"),
        /// 持续推进: anything else.
        Ongoing = ("ongoing", "持续推进"),
    }
}

/// The notice state of one fed-back problem.
pub fn notice_state(
    problem_state: &str,
    long_term: bool,
    measures: i64,
    measures_done: i64,
) -> NoticeState {
    if problem_state == "closed" {
        NoticeState::Done
    } else if long_term && measures > 0 && measures_done >= measures {
        NoticeState::LongTerm
    } else {
        NoticeState::Ongoing
    }
}

/// The figures of a progress notice or rectification report: "反馈问题N个，制定整改措施N条，
/// 已完成N条，建立完善制度N项", with the problems by notice state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeFigures {
    /// 反馈问题: findings fed back (each one problem of the ledger).
    pub problems: i64,
    /// 制定整改措施
    pub measures: i64,
    /// 已完成 (measures)
    pub measures_done: i64,
    /// 建立完善制度: systems recorded on the problems' measures.
    pub systems: i64,
    /// problems 已完成 / 长期坚持 / 持续推进
    pub done: i64,
    pub long_term: i64,
    pub ongoing: i64,
}

impl NoticeFigures {
    /// Problems rectified (已完成) in percent of those fed back, rounded down; 0 when
    /// none were fed back.
    pub fn rate(&self) -> i64 {
        if self.problems == 0 {
            0
        } else {
            self.done * 100 / self.problems
        }
    }
    /// The sentence the notice and the report print.
    pub fn sentence(&self) -> String {
        format!(
            "反馈问题{}个，制定整改措施{}条，已完成{}条，建立完善制度{}项；反馈问题中已完成整改{}个，长期坚持{}个，持续推进{}个",
            self.problems,
            self.measures,
            self.measures_done,
            self.systems,
            self.done,
            self.long_term,
            self.ongoing
        )
    }
    pub fn add(&mut self, o: &NoticeFigures) {
        self.problems += o.problems;
        self.measures += o.measures;
        self.measures_done += o.measures_done;
        self.systems += o.systems;
        self.done += o.done;
        self.long_term += o.long_term;
        self.ongoing += o.ongoing;
    }
}

/// The round's display name: "2026年第3轮" / "第3轮巡察" is what the ledger's source reads.
pub fn source_ref(number: i64) -> String {
    format!("第{number}轮")
}

/// The one-time code alphabet (no 0/O, 1/I/L): 10 characters carry 50 bits.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 10;

/// A code as typed (spaces, dashes, lower case) in its canonical form, or None when it
/// cannot be one.
pub fn normalise_code(s: &str) -> Option<String> {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (c.len() == CODE_LEN && c.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn report_is_due_two_months_after_feedback() {
        assert_eq!(report_due(d(2026, 3, 10), 2), d(2026, 5, 10));
        assert_eq!(report_due(d(2025, 12, 31), 2), d(2026, 2, 28));
        assert_eq!(report_due(d(2026, 3, 10), 3), d(2026, 6, 10));
    }

    #[test]
    fn report_stages() {
        let due = d(2026, 5, 10);
        assert_eq!(report_stage(due, false, d(2026, 4, 25), 14), None);
        assert_eq!(
            report_stage(due, false, d(2026, 4, 26), 14),
            Some("inspection-report-due")
        );
        assert_eq!(
            report_stage(due, false, d(2026, 5, 10), 14),
            Some("inspection-report-due")
        );
        assert_eq!(
            report_stage(due, false, d(2026, 5, 11), 14),
            Some("inspection-report-overdue")
        );
        assert_eq!(report_stage(due, true, d(2026, 5, 11), 14), None);
    }

    #[test]
    fn rounds_move_forward_only() {
        let s = RoundState::Planned;
        assert_eq!(s.after(RoundAction::Close), None);
        let s = s.after(RoundAction::Start).unwrap();
        assert_eq!(s, RoundState::OnSite);
        let s = s.after(RoundAction::FeedbackDone).unwrap();
        assert_eq!(s.after(RoundAction::Close), Some(RoundState::Closed));
        assert!(!s.on_site());
    }

    #[test]
    fn notice_states() {
        assert_eq!(notice_state("closed", false, 0, 0), NoticeState::Done);
        assert_eq!(notice_state("open", true, 2, 2), NoticeState::LongTerm);
        assert_eq!(notice_state("open", true, 2, 1), NoticeState::Ongoing);
        assert_eq!(
            notice_state("pending_review", false, 2, 2),
            NoticeState::Ongoing
        );
        let f = NoticeFigures {
            problems: 3,
            done: 2,
            ..Default::default()
        };
        assert_eq!(f.rate(), 66);
        assert!(f.sentence().starts_with("反馈问题3个，制定整改措施0条"));
    }

    #[test]
    fn draft_figures_exist() {
        for k in QuestionKind::ALL {
            for f in k.figures() {
                assert!(crate::report::FIGURES.iter().any(|d| d.key == *f), "{f}");
            }
        }
    }

    #[test]
    fn codes() {
        assert_eq!(normalise_code("abcd-efgh 23"), Some("ABCDEFGH23".into()));
        assert_eq!(normalise_code("ABCDEFGH2O"), None);
        assert_eq!(normalise_code("short"), None);
    }
}
