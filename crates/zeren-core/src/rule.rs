//! The rules library (制度规定): what the Party's regulations require of a branch, a
//! general branch or a committee, as data, and the check of one org's facts against
//! one rule for one year. No I/O and no clock: the caller passes the facts (counted
//! in SQL), the year and today.
//!
//! Periods and founding: a period (month, quarter, half, year) is *expected* of an org
//! only when it begins on or after the day the org was founded and the day the rule
//! took effect. A branch founded on 2026-07-15 is therefore expected to hold its
//! monthly meetings from August (the first whole month it existed) to December, its
//! quarterly ones in Q4 only, and its yearly ones from the next year on: nobody can
//! be faulted for a month they existed only half of.
//!
//! Due: a period "has ended" the day after its last day. A period that has not ended
//! and is short of meetings is *not yet due* (未到期); one that has ended short is
//! *missing* (缺失). A rule about the org's state (members, committee, term, contacts,
//! dues) is either kept or *violated* (违反) today.
use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::activity::ActivityKind;
use crate::org::OrgKind;

/// The length of a period a frequency rule counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Period {
    Month,
    Quarter,
    Half,
    Year,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Month, Period::Quarter, Period::Half, Period::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Half => "half",
            Period::Year => "year",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
    /// 每月, 每季度 …
    pub fn label(self) -> &'static str {
        match self {
            Period::Month => "每月",
            Period::Quarter => "每季度",
            Period::Half => "每半年",
            Period::Year => "每年",
        }
    }
    /// Months in one period.
    pub fn months(self) -> u32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Half => 6,
            Period::Year => 12,
        }
    }
    /// The periods of `year`, in order.
    pub fn spans(self, year: i32) -> Vec<Span> {
        let n = self.months();
        (0..12 / n)
            .filter_map(|i| {
                let first = i * n + 1;
                let start = NaiveDate::from_ymd_opt(year, first, 1)?;
                let end = start.checked_add_months(Months::new(n))?.pred_opt()?;
                let (key, label) = match self {
                    Period::Month => (format!("{year}-{first:02}"), format!("{first}月")),
                    Period::Quarter => (
                        format!("{year}-Q{}", i + 1),
                        format!("第{}季度", ["一", "二", "三", "四"][i as usize]),
                    ),
                    Period::Half => (
                        format!("{year}-H{}", i + 1),
                        if i == 0 { "上半年" } else { "下半年" }.to_string(),
                    ),
                    Period::Year => (format!("{year}"), format!("{year}年")),
                };
                Some(Span {
                    key,
                    label,
                    first_month: first,
                    months: n,
                    start,
                    end,
                })
            })
            .collect()
    }
}

/// One period of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// `2026-03`, `2026-Q1`, `2026-H2`, `2026`: stable, for reminder keys.
    pub key: String,
    pub label: String,
    /// 1–12, and how many months the period covers (for the month grid).
    pub first_month: u32,
    pub months: u32,
    pub start: NaiveDate,
    /// The period's last day (31 March, 30 June, 29 February in a leap year …).
    pub end: NaiveDate,
}

/// What a rule checks, with its figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// At least `times` held activities of a kind in every period.
    ActivityFrequency {
        activity: ActivityKind,
        period: Period,
        times: i64,
    },
    /// At least `min_full` full members; at most `max_members` members (full and
    /// probationary).
    MemberCount {
        min_full: Option<i64>,
        max_members: Option<i64>,
    },
    /// With `full_members` or more full members a committee of at least
    /// `min_committee` (secretary included); below that, a secretary.
    CommitteeRequired {
        full_members: i64,
        min_committee: i64,
    },
    /// The committee's term: `committee_years` for 党委, `branch_years` for 总支 and
    /// 支部; re-election at most `extension_years` late (with approval).
    Term {
        committee_years: i64,
        branch_years: i64,
        extension_years: i64,
    },
    /// No member with dues unpaid for `months` months or more.
    DuesUnpaidMonths { months: i64 },
    /// No member out of contact for `months` months or more.
    LostContactMonths { months: i64 },
    /// In every period an activity of the kind held with at least
    /// `numerator / denominator` of those due present.
    AttendanceRatio {
        activity: ActivityKind,
        period: Period,
        numerator: i64,
        denominator: i64,
    },
}

impl Check {
    pub fn kind(&self) -> &'static str {
        match self {
            Check::ActivityFrequency { .. } => "activity_frequency",
            Check::MemberCount { .. } => "member_count",
            Check::CommitteeRequired { .. } => "committee_required",
            Check::Term { .. } => "term",
            Check::DuesUnpaidMonths { .. } => "dues_unpaid_months",
            Check::LostContactMonths { .. } => "lost_contact_months",
            Check::AttendanceRatio { .. } => "attendance_ratio",
        }
    }
    /// The activity kind a frequency or attendance rule counts.
    pub fn activity(&self) -> Option<ActivityKind> {
        match self {
            Check::ActivityFrequency { activity, .. } | Check::AttendanceRatio { activity, .. } => {
                Some(*activity)
            }
            _ => None,
        }
    }
    pub fn period(&self) -> Option<Period> {
        match self {
            Check::ActivityFrequency { period, .. } | Check::AttendanceRatio { period, .. } => {
                Some(*period)
            }
            _ => None,
        }
    }
    /// The one figure a setting adjusts (times, threshold, months, years).
    pub fn figure(&self) -> Option<i64> {
        match self {
            Check::ActivityFrequency { times, .. } => Some(*times),
            Check::MemberCount {
                min_full,
                max_members,
            } => min_full.or(*max_members),
            Check::CommitteeRequired { full_members, .. } => Some(*full_members),
            Check::Term { branch_years, .. } => Some(*branch_years),
            Check::DuesUnpaidMonths { months } | Check::LostContactMonths { months } => {
                Some(*months)
            }
            Check::AttendanceRatio { .. } => None,
        }
    }
    /// The check with its figure (and, for frequencies, its period) replaced by a
    /// setting.
    pub fn adjusted(&self, figure: Option<i64>, period: Option<Period>) -> Check {
        let mut c = self.clone();
        match &mut c {
            Check::ActivityFrequency {
                times, period: p, ..
            } => {
                if let Some(f) = figure {
                    *times = f;
                }
                if let Some(np) = period {
                    *p = np;
                }
            }
            Check::MemberCount {
                min_full,
                max_members,
            } => {
                if let Some(f) = figure {
                    if min_full.is_some() {
                        *min_full = Some(f);
                    } else {
                        *max_members = Some(f);
                    }
                }
            }
            Check::CommitteeRequired { full_members, .. } => {
                if let Some(f) = figure {
                    *full_members = f;
                }
            }
            Check::Term { branch_years, .. } => {
                if let Some(f) = figure {
                    *branch_years = f;
                }
            }
            Check::DuesUnpaidMonths { months } | Check::LostContactMonths { months } => {
                if let Some(f) = figure {
                    *months = f;
                }
            }
            Check::AttendanceRatio { .. } => {}
        }
        c
    }
    /// The requirement in words.
    pub fn describe(&self) -> String {
        match self {
            Check::ActivityFrequency {
                activity,
                period,
                times,
            } => format!("{}{}至少 {} 次", activity.label(), period.label(), times),
            Check::MemberCount { min_full, max_members } => match (min_full, max_members) {
                (Some(a), Some(b)) => format!("正式党员不少于 {a} 人，党员一般不超过 {b} 人"),
                (Some(a), None) => format!("正式党员不少于 {a} 人"),
                (None, Some(b)) => format!("党员一般不超过 {b} 人"),
                (None, None) => "党员人数".to_string(),
            },
            Check::CommitteeRequired {
                full_members,
                min_committee,
            } => format!(
                "正式党员 {full_members} 人以上设支部委员会（不少于 {min_committee} 名委员，含书记）"
            ),
            Check::Term {
                committee_years,
                branch_years,
                extension_years,
            } => format!(
                "党委每届 {committee_years} 年，总支、支部每届 {branch_years} 年；延期不超过 {extension_years} 年"
            ),
            Check::DuesUnpaidMonths { months } => {
                format!("无连续 {months} 个月以上未交党费的党员")
            }
            Check::LostContactMonths { months } => {
                format!("无失去联系 {months} 个月以上的党员")
            }
            Check::AttendanceRatio {
                activity,
                period,
                numerator,
                denominator,
            } => format!(
                "{}{}召开，到会人数不少于应到人数的 {numerator}/{denominator}",
                activity.label(),
                period.label()
            ),
        }
    }
}

/// One rule of the library (or a local rule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub key: String,
    pub title: String,
    /// The regulation, with its 《》.
    pub source: String,
    /// 第十九条; empty when the citation is all in `source` (local rules).
    pub article: String,
    pub effective: NaiveDate,
    pub applies_to: Vec<OrgKind>,
    /// A figure that is uncertain or local: editable, the UI says so.
    pub setting: bool,
    /// Added by a commission or unit, not shipped in the library.
    pub local: bool,
    /// Applies only to a branch that has Party groups (党小组会).
    pub requires_groups: bool,
    pub note: String,
    pub check: Check,
}

impl Rule {
    pub fn citation(&self) -> String {
        format!("{}{}", self.source, self.article)
    }
    pub fn applies(&self, kind: OrgKind) -> bool {
        self.applies_to.contains(&kind)
    }
    /// Whether the rule binds an org with these facts: a rule for groups' meetings
    /// binds only a branch that has groups.
    pub fn binds(&self, facts: &Facts) -> bool {
        !self.requires_groups || facts.groups > 0
    }
}

/// A rule as written in `library/rules/*.toml` (one `[[rule]]` table) or stored for a
/// local rule: flat, with the figures its check kind needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleSpec {
    pub key: String,
    pub title: String,
    pub source: String,
    #[serde(default)]
    pub article: String,
    pub effective: String,
    pub applies_to: Vec<String>,
    pub check: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_full: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_members: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_members: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_committee: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_years: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_years: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_years: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<i64>,
    #[serde(default)]
    pub setting: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_groups: bool,
    #[serde(default)]
    pub note: String,
}

/// A file of the library: `[[rule]]` tables.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleFile {
    pub rule: Vec<RuleSpec>,
}

fn positive(v: Option<i64>, name: &str, key: &str) -> Result<i64, String> {
    match v {
        Some(n) if n > 0 => Ok(n),
        Some(n) => Err(format!("规则 {key}：{name} 应为正数（{n}）")),
        None => Err(format!("规则 {key}：缺少 {name}")),
    }
}

impl RuleSpec {
    /// The rule, or what is wrong with the spec.
    pub fn to_rule(&self, local: bool) -> Result<Rule, String> {
        let key = self.key.as_str();
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(format!("规则编号“{key}”只能由小写字母、数字、- 和 _ 组成"));
        }
        let effective = NaiveDate::parse_from_str(&self.effective, "%Y-%m-%d")
            .map_err(|_| format!("规则 {key}：生效日期应为 YYYY-MM-DD"))?;
        let mut applies_to = Vec::new();
        for k in &self.applies_to {
            applies_to.push(OrgKind::parse(k).ok_or(format!("规则 {key}：未知的组织类型 {k}"))?);
        }
        if applies_to.is_empty() {
            return Err(format!("规则 {key}：未指定适用的组织类型"));
        }
        let activity = || -> Result<ActivityKind, String> {
            self.activity
                .as_deref()
                .and_then(ActivityKind::parse)
                .ok_or(format!("规则 {key}：活动类型无效"))
        };
        let period = || -> Result<Period, String> {
            self.period
                .as_deref()
                .and_then(Period::parse)
                .ok_or(format!("规则 {key}：周期应为 month、quarter、half 或 year"))
        };
        let check = match self.check.as_str() {
            "activity_frequency" => Check::ActivityFrequency {
                activity: activity()?,
                period: period()?,
                times: positive(self.times, "times", key)?,
            },
            "member_count" => {
                if self.min_full.is_none() && self.max_members.is_none() {
                    return Err(format!("规则 {key}：缺少 min_full 或 max_members"));
                }
                Check::MemberCount {
                    min_full: self.min_full,
                    max_members: self.max_members,
                }
            }
            "committee_required" => Check::CommitteeRequired {
                full_members: positive(self.full_members, "full_members", key)?,
                min_committee: positive(self.min_committee, "min_committee", key)?,
            },
            "term" => Check::Term {
                committee_years: positive(self.committee_years, "committee_years", key)?,
                branch_years: positive(self.branch_years, "branch_years", key)?,
                extension_years: self.extension_years.unwrap_or(1).max(0),
            },
            "dues_unpaid_months" => Check::DuesUnpaidMonths {
                months: positive(self.months, "months", key)?,
            },
            "lost_contact_months" => Check::LostContactMonths {
                months: positive(self.months, "months", key)?,
            },
            "attendance_ratio" => {
                let numerator = positive(self.numerator, "numerator", key)?;
                let denominator = positive(self.denominator, "denominator", key)?;
                if numerator > denominator {
                    return Err(format!("规则 {key}：到会比例不能大于 1"));
                }
                Check::AttendanceRatio {
                    activity: activity()?,
                    period: period()?,
                    numerator,
                    denominator,
                }
            }
            other => return Err(format!("规则 {key}：未知的检查方式 {other}")),
        };
        Ok(Rule {
            key: self.key.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
            article: self.article.clone(),
            effective,
            applies_to,
            setting: self.setting,
            local,
            requires_groups: self.requires_groups,
            note: self.note.clone(),
            check,
        })
    }
}

/// Held activities of one org in one year, per kind and month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Held {
    /// All held activities.
    pub all: HashMap<ActivityKind, [i64; 12]>,
    /// Those held with the attendance ratio of the attendance rules met.
    pub quorate: HashMap<ActivityKind, [i64; 12]>,
}

impl Held {
    /// Adds `n` activities held in `month` (1–12).
    pub fn add(&mut self, kind: ActivityKind, month: u32, n: i64, quorate: i64) {
        if !(1..=12).contains(&month) {
            return;
        }
        let i = (month - 1) as usize;
        self.all.entry(kind).or_insert([0; 12])[i] += n;
        self.quorate.entry(kind).or_insert([0; 12])[i] += quorate;
    }
    /// One activity held on `day` (its year is the caller's business), with its
    /// attendance counted against `numerator/denominator`.
    pub fn add_on(&mut self, kind: ActivityKind, day: NaiveDate, quorate: bool) {
        self.add(kind, day.month(), 1, i64::from(quorate));
    }
    fn sum(map: &HashMap<ActivityKind, [i64; 12]>, kind: ActivityKind, s: &Span) -> i64 {
        map.get(&kind)
            .map(|m| {
                m[(s.first_month - 1) as usize..(s.first_month - 1 + s.months) as usize]
                    .iter()
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// What is known of one org, for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub kind: OrgKind,
    pub founded: NaiveDate,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    /// Full and probationary members (of the org and its groups).
    pub members: i64,
    pub full_members: i64,
    pub has_secretary: bool,
    /// Committee positions (secretary, deputy, committee members …).
    pub committee_size: i64,
    /// Members whose dues are unpaid for the rule's months; `None` when dues are not
    /// recorded.
    pub dues_arrears: Option<i64>,
    /// Members out of contact for the rule's months.
    pub lost_contact: i64,
    /// Party groups (党小组) under the branch.
    pub groups: i64,
    pub held: Held,
}

impl Facts {
    pub fn new(kind: OrgKind, founded: NaiveDate) -> Self {
        Facts {
            kind,
            founded,
            term_start: None,
            term_end: None,
            members: 0,
            full_members: 0,
            has_secretary: false,
            committee_size: 0,
            dues_arrears: None,
            lost_contact: 0,
            groups: 0,
            held: Held::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    NotYetDue,
    Missing,
    Violation,
    /// The facts the rule needs are not recorded.
    NoData,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NotYetDue => "not_yet_due",
            Outcome::Missing => "missing",
            Outcome::Violation => "violation",
            Outcome::NoData => "no_data",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "符合",
            Outcome::NotYetDue => "未到期",
            Outcome::Missing => "缺失",
            Outcome::Violation => "违反",
            Outcome::NoData => "无数据",
        }
    }
    /// Missing or violated: a red flag.
    pub fn is_flag(self) -> bool {
        matches!(self, Outcome::Missing | Outcome::Violation)
    }
}

/// The verdict of one period of a frequency or attendance rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodVerdict {
    #[serde(flatten)]
    pub span: Span,
    pub expected: i64,
    pub held: i64,
    pub verdict: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Frequency rules: meetings required in the expected periods of the year;
    /// state rules: the required figure (minimum, maximum, years).
    pub expected: i64,
    /// Frequency rules: meetings held in those periods; state rules: the actual
    /// figure (members, committee size, days to the term's end, people affected).
    pub held: i64,
    pub verdict: Outcome,
    pub detail: String,
    /// Per period, for frequency and attendance rules (expected periods only).
    pub periods: Vec<PeriodVerdict>,
}

impl Verdict {
    fn state(expected: i64, held: i64, verdict: Outcome, detail: String) -> Verdict {
        Verdict {
            expected,
            held,
            verdict,
            detail,
            periods: Vec::new(),
        }
    }
}

/// Days from `a` to `b`.
fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// The periods of `year` the org is expected to keep: those beginning on or after
/// its founding and the rule's effective day.
pub fn expected_spans(period: Period, year: i32, from: NaiveDate) -> Vec<Span> {
    period
        .spans(year)
        .into_iter()
        .filter(|s| s.start >= from)
        .collect()
}

/// Re-election is announced this many days ahead (an upcoming obligation).
pub const TERM_NOTICE_DAYS: i64 = 180;

/// Checks `facts` against `rule` for `year`, as of `today`.
pub fn evaluate(rule: &Rule, facts: &Facts, year: i32, today: NaiveDate) -> Verdict {
    let from = facts.founded.max(rule.effective);
    match &rule.check {
        Check::ActivityFrequency {
            activity,
            period,
            times,
        } => {
            let mut periods = Vec::new();
            for span in expected_spans(*period, year, from) {
                let held = Held::sum(&facts.held.all, *activity, &span);
                let verdict = if held >= *times {
                    Outcome::Ok
                } else if today <= span.end {
                    Outcome::NotYetDue
                } else {
                    Outcome::Missing
                };
                periods.push(PeriodVerdict {
                    span,
                    expected: *times,
                    held,
                    verdict,
                });
            }
            summarise(periods, |missing| {
                format!("{}：{} 未达到要求", activity.label(), missing.join("、"))
            })
        }
        Check::AttendanceRatio {
            activity,
            period,
            numerator,
            denominator,
        } => {
            let mut periods = Vec::new();
            let mut thin = Vec::new();
            for span in expected_spans(*period, year, from) {
                let held = Held::sum(&facts.held.all, *activity, &span);
                let quorate = Held::sum(&facts.held.quorate, *activity, &span);
                let verdict = if quorate >= 1 {
                    Outcome::Ok
                } else if held > 0 {
                    thin.push(span.label.clone());
                    Outcome::Violation
                } else if today <= span.end {
                    Outcome::NotYetDue
                } else {
                    Outcome::Missing
                };
                periods.push(PeriodVerdict {
                    span,
                    expected: 1,
                    held,
                    verdict,
                });
            }
            let mut v = summarise(periods, |missing| {
                format!("{}：{} 未召开", activity.label(), missing.join("、"))
            });
            if !thin.is_empty() {
                v.detail = format!(
                    "{}：{} 到会人数不足应到人数的 {numerator}/{denominator}",
                    activity.label(),
                    thin.join("、")
                );
            }
            v
        }
        Check::MemberCount {
            min_full,
            max_members,
        } => {
            if let Some(min) = min_full {
                if facts.full_members < *min {
                    return Verdict::state(
                        *min,
                        facts.full_members,
                        Outcome::Violation,
                        format!(
                            "正式党员 {} 人，不足 {min} 人（应与邻近单位成立联合党支部）",
                            facts.full_members
                        ),
                    );
                }
            }
            if let Some(max) = max_members {
                if facts.members > *max {
                    return Verdict::state(
                        *max,
                        facts.members,
                        Outcome::Violation,
                        format!(
                            "党员 {} 人，超过一般不超过 {max} 人的规模（宜分设支部或成立总支）",
                            facts.members
                        ),
                    );
                }
            }
            let (expected, held) = match (min_full, max_members) {
                (Some(m), _) => (*m, facts.full_members),
                (None, Some(m)) => (*m, facts.members),
                (None, None) => (0, facts.members),
            };
            Verdict::state(
                expected,
                held,
                Outcome::Ok,
                format!(
                    "党员 {} 人，其中正式党员 {} 人",
                    facts.members, facts.full_members
                ),
            )
        }
        Check::CommitteeRequired {
            full_members,
            min_committee,
        } => {
            if facts.full_members >= *full_members {
                if facts.has_secretary && facts.committee_size >= *min_committee {
                    Verdict::state(
                        *min_committee,
                        facts.committee_size,
                        Outcome::Ok,
                        format!("已设支部委员会，委员 {} 人", facts.committee_size),
                    )
                } else {
                    Verdict::state(
                        *min_committee,
                        facts.committee_size,
                        Outcome::Violation,
                        format!(
                            "正式党员 {} 人，应设支部委员会（现有委员 {} 人{}）",
                            facts.full_members,
                            facts.committee_size,
                            if facts.has_secretary {
                                ""
                            } else {
                                "，未设书记"
                            }
                        ),
                    )
                }
            } else if facts.has_secretary {
                Verdict::state(
                    1,
                    facts.committee_size,
                    Outcome::Ok,
                    format!("正式党员不足 {full_members} 人，不设委员会，已设书记"),
                )
            } else {
                Verdict::state(
                    1,
                    facts.committee_size,
                    Outcome::Violation,
                    "未设支部书记".to_string(),
                )
            }
        }
        Check::Term {
            committee_years,
            branch_years,
            extension_years,
        } => {
            let years = match facts.kind {
                OrgKind::Commission | OrgKind::Committee => *committee_years,
                _ => *branch_years,
            };
            let end = facts.term_end.or_else(|| {
                facts
                    .term_start
                    .and_then(|s| s.checked_add_months(Months::new((years * 12) as u32)))
                    .and_then(|d| d.pred_opt())
            });
            let Some(end) = end else {
                return Verdict::state(
                    years,
                    0,
                    Outcome::Missing,
                    "未登记本届任期（任期开始或届满日期）".to_string(),
                );
            };
            let left = days(today, end);
            let grace_end = end
                .checked_add_months(Months::new((*extension_years * 12) as u32))
                .unwrap_or(end);
            if left >= 0 {
                let verdict = if left <= TERM_NOTICE_DAYS {
                    Outcome::NotYetDue
                } else {
                    Outcome::Ok
                };
                Verdict::state(
                    years,
                    left,
                    verdict,
                    format!("本届任期至 {end}，距换届 {left} 天"),
                )
            } else if today <= grace_end {
                Verdict::state(
                    years,
                    left,
                    Outcome::Missing,
                    format!(
                        "任期已于 {end} 届满 {} 天，未按期换届（延期须经上级党组织批准，最长 {extension_years} 年）",
                        -left
                    ),
                )
            } else {
                Verdict::state(
                    years,
                    left,
                    Outcome::Violation,
                    format!("任期已于 {end} 届满，超过 {extension_years} 年仍未换届"),
                )
            }
        }
        Check::DuesUnpaidMonths { months } => match facts.dues_arrears {
            None => Verdict::state(
                *months,
                0,
                Outcome::NoData,
                "未登记党费交纳情况".to_string(),
            ),
            Some(0) => Verdict::state(*months, 0, Outcome::Ok, "无长期未交党费的党员".into()),
            Some(n) => Verdict::state(
                *months,
                n,
                Outcome::Violation,
                format!("{n} 名党员连续 {months} 个月以上未交纳党费，应按规定处置"),
            ),
        },
        Check::LostContactMonths { months } => {
            if facts.lost_contact > 0 {
                Verdict::state(
                    *months,
                    facts.lost_contact,
                    Outcome::Violation,
                    format!(
                        "{} 名党员失去联系 {months} 个月以上，应查找并按规定处置",
                        facts.lost_contact
                    ),
                )
            } else {
                Verdict::state(*months, 0, Outcome::Ok, "无长期失联党员".into())
            }
        }
    }
}

/// A rule's verdict from its periods: missing if any ended period is short, not yet
/// due if some period is still open and short, otherwise kept.
fn summarise(periods: Vec<PeriodVerdict>, missing_detail: impl Fn(&[String]) -> String) -> Verdict {
    let expected = periods.iter().map(|p| p.expected).sum();
    let held = periods.iter().map(|p| p.held).sum();
    let missing: Vec<String> = periods
        .iter()
        .filter(|p| p.verdict.is_flag())
        .map(|p| p.span.label.clone())
        .collect();
    let worst = periods
        .iter()
        .map(|p| p.verdict)
        .filter(|v| *v != Outcome::Ok)
        .max()
        .unwrap_or(Outcome::Ok);
    let detail = if !missing.is_empty() {
        missing_detail(&missing)
    } else if periods.is_empty() {
        "本年度尚无应开展的周期（成立或生效之后起算）".to_string()
    } else if worst == Outcome::NotYetDue {
        let open: Vec<&str> = periods
            .iter()
            .filter(|p| p.verdict == Outcome::NotYetDue)
            .map(|p| p.span.label.as_str())
            .collect();
        format!("{} 尚未到期", open.join("、"))
    } else {
        "已按要求开展".to_string()
    };
    Verdict {
        expected,
        held,
        verdict: worst,
        detail,
        periods,
    }
}

/// One thing the reminder engine can tell an org: a flag to fix, or a period about to
/// end with its meetings not yet held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Obligation {
    pub rule_key: String,
    /// The period's key (`2026-Q1`), or the year for state rules.
    pub period: String,
    pub verdict: Outcome,
    /// The last day to act (a period's end, a term's end), if any.
    pub due: Option<NaiveDate>,
    pub detail: String,
}

impl Obligation {
    /// The unique notification key: `rule:{rule_key}:{org_id}:{period}`.
    pub fn key(&self, org_id: i64) -> String {
        format!("rule:{}:{org_id}:{}", self.rule_key, self.period)
    }
}

/// Flags and upcoming obligations of one verdict: every missing or violated period
/// (or state), and the open periods ending within `horizon_days` of today.
pub fn obligations(
    rule: &Rule,
    v: &Verdict,
    year: i32,
    today: NaiveDate,
    horizon_days: i64,
) -> Vec<Obligation> {
    let mut out = Vec::new();
    if v.periods.is_empty() {
        let due = match rule.check {
            Check::Term { .. } if v.verdict != Outcome::Missing || v.held != 0 => {
                Some(today + chrono::TimeDelta::days(v.held))
            }
            _ => None,
        };
        if v.verdict.is_flag() || v.verdict == Outcome::NotYetDue {
            out.push(Obligation {
                rule_key: rule.key.clone(),
                period: year.to_string(),
                verdict: v.verdict,
                due,
                detail: v.detail.clone(),
            });
        }
        return out;
    }
    for p in &v.periods {
        let soon = p.verdict == Outcome::NotYetDue && days(today, p.span.end) <= horizon_days;
        if p.verdict.is_flag() || soon {
            out.push(Obligation {
                rule_key: rule.key.clone(),
                period: p.span.key.clone(),
                verdict: p.verdict,
                due: Some(p.span.end),
                detail: format!(
                    "{} {}：应开展 {} 次，已开展 {} 次",
                    rule.title, p.span.label, p.expected, p.held
                ),
            });
        }
    }
    out
}

/// Share of decided verdicts that are kept, in percent with one decimal; `None` when
/// nothing is decided yet.
pub fn compliance_rate(verdicts: &[Outcome]) -> Option<f64> {
    let decided: Vec<&Outcome> = verdicts
        .iter()
        .filter(|v| matches!(v, Outcome::Ok | Outcome::Missing | Outcome::Violation))
        .collect();
    if decided.is_empty() {
        return None;
    }
    let ok = decided.iter().filter(|v| ***v == Outcome::Ok).count();
    Some((ok as f64 * 1000.0 / decided.len() as f64).round() / 10.0)
}

#[cfg(test)]
mod tests;
