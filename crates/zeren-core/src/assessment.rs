//! Assessment (考核): indicator systems as data, scores computed from records, grades.
//!
//! A system (考核细则) is a tree of indicators with points, each scored one way:
//! `rate` (points × numerator / denominator of two record counts), `count` (points
//! less a fixed amount per counted record, not below zero) or `manual` (a scorer's
//! points with evidence and a comment). On top come deductions (扣分项) and bonuses
//! (加分项), each computed from a count or entered by a scorer, capped, and one-vote
//! vetoes (一票否决), which force the veto grade whatever the total.
//!
//! Points are kept in hundredths (`i64`, "centipoints") and every rule is integer
//! arithmetic with half-up rounding, so the same inputs give the same score on every
//! machine and engine — a published round recomputes to the cent.
//!
//! Nothing here scores formalism: an indicator, deduction, bonus or veto that would
//! count logins, study minutes, likes, shares, check-ins or app points is refused when
//! the system is loaded or edited ([`formalism`]), and the record counts an indicator
//! may read are a closed list ([`Metric`]) with no usage statistics in it.
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;

/// Record counts an indicator may read, per assessed org (its whole subtree) and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Tasks whose deadline falls in the year.
    TasksDue,
    /// … of those, done.
    TasksDone,
    /// … of those, done on or before the deadline day (China Standard Time; a done
    /// task with no completion time counts as on time, as in the pressure view).
    TasksDoneOnTime,
    /// Problems found in the year.
    ProblemsFound,
    /// … of those, closed (销号).
    ProblemsClosed,
    /// Rectification measures of the year's problems.
    Measures,
    /// … of those, done.
    MeasuresDone,
    /// Problems whose rectification deadline fell in the year before the assessment
    /// day and that are still not closed (逾期未整改).
    ProblemsOverdue,
    /// Organisational-life rules decided for the subtree's orgs (compliance check).
    RulesDecided,
    /// … of those, kept.
    RulesKept,
    /// Supervision notices (督办单) due for an answer in the year.
    Notices,
    /// … of those, answered by their due day.
    NoticesAnsweredOnTime,
    /// Accountability actions (问责) decided in the year.
    AccountabilityActions,
    /// Branches (党支部) of the subtree.
    Branches,
    /// … with a secretary, a term not overdue and no member out of contact.
    BranchesHealthy,
}

impl Metric {
    pub const ALL: [Metric; 15] = [
        Metric::TasksDue,
        Metric::TasksDone,
        Metric::TasksDoneOnTime,
        Metric::ProblemsFound,
        Metric::ProblemsClosed,
        Metric::Measures,
        Metric::MeasuresDone,
        Metric::ProblemsOverdue,
        Metric::RulesDecided,
        Metric::RulesKept,
        Metric::Notices,
        Metric::NoticesAnsweredOnTime,
        Metric::AccountabilityActions,
        Metric::Branches,
        Metric::BranchesHealthy,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::TasksDue => "tasks_due",
            Metric::TasksDone => "tasks_done",
            Metric::TasksDoneOnTime => "tasks_done_on_time",
            Metric::ProblemsFound => "problems_found",
            Metric::ProblemsClosed => "problems_closed",
            Metric::Measures => "measures",
            Metric::MeasuresDone => "measures_done",
            Metric::ProblemsOverdue => "problems_overdue",
            Metric::RulesDecided => "rules_decided",
            Metric::RulesKept => "rules_kept",
            Metric::Notices => "notices",
            Metric::NoticesAnsweredOnTime => "notices_answered_on_time",
            Metric::AccountabilityActions => "accountability_actions",
            Metric::Branches => "branches",
            Metric::BranchesHealthy => "branches_healthy",
        }
    }
    pub fn parse(s: &str) -> Option<Metric> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Metric::TasksDue => "年度到期任务",
            Metric::TasksDone => "已完成任务",
            Metric::TasksDoneOnTime => "按期完成任务",
            Metric::ProblemsFound => "年度发现问题",
            Metric::ProblemsClosed => "已销号问题",
            Metric::Measures => "整改措施",
            Metric::MeasuresDone => "已完成整改措施",
            Metric::ProblemsOverdue => "逾期未整改问题",
            Metric::RulesDecided => "组织生活检查项",
            Metric::RulesKept => "符合规定的检查项",
            Metric::Notices => "督办单",
            Metric::NoticesAnsweredOnTime => "按期答复的督办单",
            Metric::AccountabilityActions => "问责",
            Metric::Branches => "党支部",
            Metric::BranchesHealthy => "建设达标的党支部",
        }
    }
}

/// Record counts of one assessed org.
pub type Inputs = BTreeMap<Metric, i64>;

/// Terms that mark an indicator as scoring app usage rather than work done.
pub const FORMALISM_TERMS: [&str; 21] = [
    "登录",
    "登陆",
    "在线时长",
    "学习时长",
    "学习时间",
    "观看时长",
    "点赞",
    "转发",
    "分享",
    "打卡",
    "积分",
    "阅读量",
    "浏览量",
    "点击",
    "login",
    "minutes",
    "like",
    "share",
    "checkin",
    "check_in",
    "points_app",
];

/// Why such an indicator is refused (the rule, cited in general terms: the article
/// numbers were not verified when this was written).
pub const FORMALISM_EXPLANATION: &str = "不得以登录次数、学习时长、点赞转发、打卡积分等应用程序使用情况作为考核指标：\
中共中央办公厅《关于解决形式主义突出问题为基层减负的通知》（2019年）要求精简规范督查检查考核、不搞简单以留痕论英雄；\
中共中央办公厅、国务院办公厅《整治形式主义为基层减负若干规定》（2024年）要求规范政务应用程序和工作群，\
不得把登录、打卡、在线时长、积分排名等使用情况作为考核评价依据（以上为大意，条款序号以原文为准）。\
考核应以工作实绩和业务记录为依据。";

/// The formalism term found in `text`, if any (case-insensitive for Latin letters).
pub fn formalism(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    FORMALISM_TERMS.into_iter().find(|t| lower.contains(t))
}

/// How an indicator is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// points × numerator / denominator; `empty_full`: full points when the
    /// denominator is zero (nothing was due), else zero.
    Rate {
        numerator: Metric,
        denominator: Metric,
        empty_full: bool,
    },
    /// points less `per` for each counted record, not below zero.
    Count { metric: Metric, per: i64 },
    /// A scorer's points (0 … points) with evidence and a comment.
    Manual,
}

/// One indicator of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub key: String,
    pub parent: Option<String>,
    pub title: String,
    /// Hundredths of a point; a parent's is the sum of its children.
    pub points: i64,
    /// None for a parent.
    pub method: Option<Method>,
    /// 评分标准 shown to scorers and the assessed org.
    pub guide: String,
    pub depth: usize,
}

/// A deduction or bonus: computed (`per` per counted record) or entered, capped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjust {
    pub key: String,
    pub title: String,
    /// None: entered by a scorer.
    pub metric: Option<Metric>,
    pub per: i64,
    pub cap: i64,
}

/// 一票否决: computed (a count at least `at_least`) or decided by a scorer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Veto {
    pub key: String,
    pub title: String,
    pub metric: Option<Metric>,
    pub at_least: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Good,
    FairlyGood,
    Average,
    Poor,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Good, Grade::FairlyGood, Grade::Average, Grade::Poor];
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Good => "good",
            Grade::FairlyGood => "fairly_good",
            Grade::Average => "average",
            Grade::Poor => "poor",
        }
    }
    pub fn parse(s: &str) -> Option<Grade> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s || g.label() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Grade::Good => "好",
            Grade::FairlyGood => "较好",
            Grade::Average => "一般",
            Grade::Poor => "差",
        }
    }
}

/// Lowest totals (hundredths) for 好, 较好 and 一般; below is 差.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub good: i64,
    pub fairly_good: i64,
    pub average: i64,
}

impl Thresholds {
    pub fn grade(&self, total: i64) -> Grade {
        if total >= self.good {
            Grade::Good
        } else if total >= self.fairly_good {
            Grade::FairlyGood
        } else if total >= self.average {
            Grade::Average
        } else {
            Grade::Poor
        }
    }
}

/// A validated indicator system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct System {
    pub key: String,
    pub title: String,
    pub version: i64,
    pub description: String,
    /// Indicators in tree order (a parent before its children, in file order).
    pub indicators: Vec<Indicator>,
    pub deductions: Vec<Adjust>,
    pub bonuses: Vec<Adjust>,
    pub vetoes: Vec<Veto>,
    pub thresholds: Thresholds,
    pub veto_grade: Grade,
}

// ---- the file format ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSystem {
    key: String,
    title: String,
    version: i64,
    #[serde(default)]
    description: String,
    grades: FileGrades,
    #[serde(default)]
    veto_grade: Option<String>,
    #[serde(default, rename = "indicator")]
    indicators: Vec<FileIndicator>,
    #[serde(default, rename = "deduction")]
    deductions: Vec<FileAdjust>,
    #[serde(default, rename = "bonus")]
    bonuses: Vec<FileAdjust>,
    #[serde(default, rename = "veto")]
    vetoes: Vec<FileVeto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileGrades {
    good: toml::Value,
    fairly_good: toml::Value,
    average: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIndicator {
    key: String,
    #[serde(default)]
    parent: Option<String>,
    title: String,
    #[serde(default)]
    points: Option<toml::Value>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    numerator: Option<String>,
    #[serde(default)]
    denominator: Option<String>,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    per: Option<toml::Value>,
    #[serde(default)]
    when_empty: Option<String>,
    #[serde(default)]
    guide: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAdjust {
    key: String,
    title: String,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    per: Option<toml::Value>,
    cap: toml::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileVeto {
    key: String,
    title: String,
    #[serde(default)]
    metric: Option<String>,
    #[serde(default)]
    at_least: Option<i64>,
}

/// Hundredths from a TOML number (integer or decimal with at most two places).
fn centi(v: &toml::Value) -> Option<i64> {
    match v {
        toml::Value::Integer(i) => i.checked_mul(100),
        toml::Value::Float(f) if f.is_finite() => parse_points(&format!("{f:.2}")),
        toml::Value::String(s) => parse_points(s),
        _ => None,
    }
}

/// Hundredths from text like `12`, `12.5`, `-0.25`.
pub fn parse_points(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        // more places are fine only when they are zeros
        let (two, rest) = frac.split_at(2.min(frac.len()));
        if !rest.bytes().all(|b| b == b'0') || !two.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return parse_points(&format!("{}{int}.{two}", if neg { "-" } else { "" }));
    }
    let i: i64 = int.parse().ok()?;
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let v = i.checked_mul(100)?.checked_add(f)?;
    Some(if neg { -v } else { v })
}

/// Hundredths as text: `12`, `12.5`, `12.25`.
pub fn fmt_points(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    let (i, f) = (a / 100, a % 100);
    if f == 0 {
        format!("{sign}{i}")
    } else if f % 10 == 0 {
        format!("{sign}{i}.{}", f / 10)
    } else {
        format!("{sign}{i}.{f:02}")
    }
}

fn refuse(errs: &mut ValidationErrors, field: &str, what: &str, texts: &[&str]) {
    for t in texts {
        if let Some(term) = formalism(t) {
            errs.add(
                field,
                format!("{what}含“{term}”，不能作为考核指标。{FORMALISM_EXPLANATION}"),
            );
            return;
        }
    }
}

fn metric(errs: &mut ValidationErrors, field: &str, what: &str, s: &str) -> Option<Metric> {
    if let Some(m) = Metric::parse(s.trim()) {
        return Some(m);
    }
    if let Some(term) = formalism(s) {
        errs.add(
            field,
            format!("{what}的统计项“{s}”含“{term}”，不能作为考核指标。{FORMALISM_EXPLANATION}"),
        );
    } else {
        errs.add(
            field,
            format!(
                "{what}的统计项“{s}”不存在，可用：{}",
                Metric::ALL.map(|m| m.as_str()).join("、")
            ),
        );
    }
    None
}

impl System {
    /// Reads and checks a system (TOML). Every problem at once, each naming the
    /// indicator; formalism indicators are refused with the rule that forbids them.
    pub fn parse(src: &str) -> Result<System, ValidationErrors> {
        let f: FileSystem = toml::from_str(src).map_err(|e| {
            ValidationErrors::single("source", format!("考核细则格式有误：{}", e.message()))
        })?;
        let mut errs = ValidationErrors::new();
        if f.key.trim().is_empty() || f.key.chars().count() > 60 {
            errs.add("key", "细则标识不能为空，且不超过60个字符");
        }
        if f.title.trim().is_empty() || f.title.chars().count() > 100 {
            errs.add("title", "细则名称不能为空，且不超过100个字");
        }
        if f.version < 1 {
            errs.add("version", "版本号应从 1 开始");
        }
        refuse(&mut errs, "title", "细则名称", &[&f.title]);
        let th = |v: &toml::Value, name: &str, errs: &mut ValidationErrors| {
            centi(v).filter(|c| *c >= 0).unwrap_or_else(|| {
                errs.add(
                    &format!("grades.{name}"),
                    "等次分数线应为非负数，最多两位小数",
                );
                0
            })
        };
        let thresholds = Thresholds {
            good: th(&f.grades.good, "good", &mut errs),
            fairly_good: th(&f.grades.fairly_good, "fairly_good", &mut errs),
            average: th(&f.grades.average, "average", &mut errs),
        };
        if !(thresholds.good >= thresholds.fairly_good
            && thresholds.fairly_good >= thresholds.average)
        {
            errs.add("grades", "等次分数线应为 好 ≥ 较好 ≥ 一般");
        }
        let veto_grade = match f.veto_grade.as_deref() {
            None => Grade::Poor,
            Some(s) => Grade::parse(s).unwrap_or_else(|| {
                errs.add("veto_grade", "一票否决的等次应为 好、较好、一般 或 差");
                Grade::Poor
            }),
        };

        // indicators: keys unique, parents known and earlier, leaves scored
        let mut keys = BTreeSet::new();
        let mut depth_of: BTreeMap<String, usize> = BTreeMap::new();
        let mut has_children: BTreeSet<String> = BTreeSet::new();
        for i in &f.indicators {
            if let Some(p) = &i.parent {
                has_children.insert(p.clone());
            }
        }
        let mut flat: Vec<Indicator> = Vec::new();
        for (n, i) in f.indicators.iter().enumerate() {
            let field = format!("indicator[{}]", n + 1);
            let what = format!("指标“{}”", i.title);
            if i.key.trim().is_empty() || !keys.insert(i.key.clone()) {
                errs.add(&field, format!("{what}的标识为空或重复：“{}”", i.key));
            }
            if i.title.trim().is_empty() || i.title.chars().count() > 100 {
                errs.add(&field, "指标名称不能为空，且不超过100个字");
            }
            let texts: Vec<&str> = [
                Some(i.key.as_str()),
                Some(i.title.as_str()),
                Some(i.guide.as_str()),
                i.metric.as_deref(),
                i.numerator.as_deref(),
                i.denominator.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            refuse(&mut errs, &field, &what, &texts);
            let depth = match &i.parent {
                None => 0,
                Some(p) => match depth_of.get(p) {
                    Some(d) => d + 1,
                    None => {
                        errs.add(&field, format!("{what}的上级指标“{p}”不存在或排在它之后"));
                        0
                    }
                },
            };
            depth_of.insert(i.key.clone(), depth);
            let points = i.points.as_ref().map(|v| (v, centi(v)));
            let is_parent = has_children.contains(&i.key);
            let method = if is_parent {
                if i.method.is_some() {
                    errs.add(
                        &field,
                        format!("{what}有下级指标，分数由下级合计，不能另设计分方法"),
                    );
                }
                None
            } else {
                let m = match i.method.as_deref().map(str::trim) {
                    Some("rate") => {
                        let num = metric(
                            &mut errs,
                            &field,
                            &what,
                            i.numerator.as_deref().unwrap_or(""),
                        );
                        let den = metric(
                            &mut errs,
                            &field,
                            &what,
                            i.denominator.as_deref().unwrap_or(""),
                        );
                        let empty_full = match i.when_empty.as_deref() {
                            None | Some("full") => true,
                            Some("zero") => false,
                            Some(_) => {
                                errs.add(&field, "when_empty 应为 full 或 zero");
                                true
                            }
                        };
                        num.zip(den).map(|(numerator, denominator)| Method::Rate {
                            numerator,
                            denominator,
                            empty_full,
                        })
                    }
                    Some("count") => {
                        let m = metric(&mut errs, &field, &what, i.metric.as_deref().unwrap_or(""));
                        let per = i.per.as_ref().and_then(centi).filter(|p| *p > 0);
                        if per.is_none() {
                            errs.add(&field, format!("{what}应写明每条记录扣的分（per，正数）"));
                        }
                        m.zip(per)
                            .map(|(metric, per)| Method::Count { metric, per })
                    }
                    Some("manual") => Some(Method::Manual),
                    other => {
                        errs.add(
                            &field,
                            format!(
                                "{what}的计分方法应为 rate、count 或 manual，而不是“{}”",
                                other.unwrap_or("")
                            ),
                        );
                        None
                    }
                };
                match points {
                    Some((_, Some(p))) if p > 0 => {}
                    _ => errs.add(&field, format!("{what}应写明分值（正数，最多两位小数）")),
                }
                m
            };
            flat.push(Indicator {
                key: i.key.clone(),
                parent: i.parent.clone(),
                title: i.title.trim().to_string(),
                points: points.and_then(|(_, c)| c).unwrap_or(0),
                method,
                guide: i.guide.trim().to_string(),
                depth,
            });
        }
        // parents: the sum of their children (deepest first); a stated value must agree
        let stated: BTreeMap<String, Option<i64>> = f
            .indicators
            .iter()
            .map(|i| (i.key.clone(), i.points.as_ref().and_then(centi)))
            .collect();
        for idx in (0..flat.len()).rev() {
            if has_children.contains(&flat[idx].key) {
                let key = flat[idx].key.clone();
                let sum: i64 = flat
                    .iter()
                    .filter(|c| c.parent.as_deref() == Some(key.as_str()))
                    .map(|c| c.points)
                    .sum();
                if let Some(Some(s)) = stated.get(&key) {
                    if *s != sum {
                        errs.add(
                            &format!("indicator[{}]", idx + 1),
                            format!(
                                "指标“{}”写明 {} 分，但下级指标合计 {} 分",
                                flat[idx].title,
                                fmt_points(*s),
                                fmt_points(sum)
                            ),
                        );
                    }
                }
                flat[idx].points = sum;
            }
        }
        if flat.is_empty() {
            errs.add("indicator", "考核细则至少要有一项指标");
        }
        // tree order: depth-first from the roots, children in file order
        let mut ordered = Vec::with_capacity(flat.len());
        fn visit(all: &[Indicator], parent: Option<&str>, out: &mut Vec<Indicator>) {
            for i in all.iter().filter(|i| i.parent.as_deref() == parent) {
                out.push(i.clone());
                visit(all, Some(&i.key), out);
            }
        }
        visit(&flat, None, &mut ordered);

        let mut adjusts = |list: &[FileAdjust], kind: &str, label: &str| -> Vec<Adjust> {
            let mut out = Vec::new();
            for (n, a) in list.iter().enumerate() {
                let field = format!("{kind}[{}]", n + 1);
                let what = format!("{label}“{}”", a.title);
                if a.key.trim().is_empty() || !keys.insert(a.key.clone()) {
                    errs.add(&field, format!("{what}的标识为空或重复：“{}”", a.key));
                }
                if a.title.trim().is_empty() {
                    errs.add(&field, format!("{label}名称不能为空"));
                }
                let texts: Vec<&str> = [
                    Some(a.key.as_str()),
                    Some(a.title.as_str()),
                    a.metric.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect();
                refuse(&mut errs, &field, &what, &texts);
                let m = match &a.metric {
                    Some(s) => match metric(&mut errs, &field, &what, s) {
                        Some(m) => Some(m),
                        None => continue,
                    },
                    None => None,
                };
                let per = a.per.as_ref().and_then(centi).unwrap_or(0);
                if m.is_some() && per <= 0 {
                    errs.add(&field, format!("{what}应写明每条记录的分值（per，正数）"));
                }
                let cap = centi(&a.cap).filter(|c| *c > 0).unwrap_or_else(|| {
                    errs.add(&field, format!("{what}应写明上限（cap，正数）"));
                    0
                });
                out.push(Adjust {
                    key: a.key.clone(),
                    title: a.title.trim().to_string(),
                    metric: m,
                    per,
                    cap,
                });
            }
            out
        };
        let deductions = adjusts(&f.deductions, "deduction", "扣分项");
        let bonuses = adjusts(&f.bonuses, "bonus", "加分项");
        let mut vetoes = Vec::new();
        for (n, v) in f.vetoes.iter().enumerate() {
            let field = format!("veto[{}]", n + 1);
            let what = format!("否决项“{}”", v.title);
            if v.key.trim().is_empty() || !keys.insert(v.key.clone()) {
                errs.add(&field, format!("{what}的标识为空或重复：“{}”", v.key));
            }
            let texts: Vec<&str> = [
                Some(v.key.as_str()),
                Some(v.title.as_str()),
                v.metric.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            refuse(&mut errs, &field, &what, &texts);
            let m = match &v.metric {
                Some(s) => metric(&mut errs, &field, &what, s),
                None => None,
            };
            let at_least = v.at_least.unwrap_or(1);
            if at_least < 1 {
                errs.add(&field, format!("{what}的条件 at_least 应不小于 1"));
            }
            vetoes.push(Veto {
                key: v.key.clone(),
                title: v.title.trim().to_string(),
                metric: m,
                at_least,
            });
        }
        errs.into_result()?;
        Ok(System {
            key: f.key.trim().to_string(),
            title: f.title.trim().to_string(),
            version: f.version,
            description: f.description.trim().to_string(),
            indicators: ordered,
            deductions,
            bonuses,
            vetoes,
            thresholds,
            veto_grade,
        })
    }

    /// Full points of the indicators (deductions and bonuses aside).
    pub fn full_points(&self) -> i64 {
        self.indicators
            .iter()
            .filter(|i| i.parent.is_none())
            .map(|i| i.points)
            .sum()
    }

    /// The metrics the system reads.
    pub fn metrics(&self) -> BTreeSet<Metric> {
        let mut out = BTreeSet::new();
        for i in &self.indicators {
            match &i.method {
                Some(Method::Rate {
                    numerator,
                    denominator,
                    ..
                }) => {
                    out.insert(*numerator);
                    out.insert(*denominator);
                }
                Some(Method::Count { metric, .. }) => {
                    out.insert(*metric);
                }
                _ => {}
            }
        }
        for a in self.deductions.iter().chain(&self.bonuses) {
            out.extend(a.metric);
        }
        for v in &self.vetoes {
            out.extend(v.metric);
        }
        out
    }

    /// Whether `key` names something a scorer enters (a manual indicator, a manual
    /// deduction or bonus, a manual veto), and its maximum in hundredths (1 for a veto).
    pub fn manual_max(&self, key: &str) -> Option<(ManualKind, i64)> {
        if let Some(i) = self
            .indicators
            .iter()
            .find(|i| i.key == key && i.method == Some(Method::Manual))
        {
            return Some((ManualKind::Indicator, i.points));
        }
        if let Some(a) = self
            .deductions
            .iter()
            .find(|a| a.key == key && a.metric.is_none())
        {
            return Some((ManualKind::Deduction, a.cap));
        }
        if let Some(a) = self
            .bonuses
            .iter()
            .find(|a| a.key == key && a.metric.is_none())
        {
            return Some((ManualKind::Bonus, a.cap));
        }
        if self
            .vetoes
            .iter()
            .any(|v| v.key == key && v.metric.is_none())
        {
            return Some((ManualKind::Veto, 1));
        }
        None
    }

    /// The title of any item of the system.
    pub fn title_of(&self, key: &str) -> Option<&str> {
        self.indicators
            .iter()
            .map(|i| (&i.key, &i.title))
            .chain(self.deductions.iter().map(|a| (&a.key, &a.title)))
            .chain(self.bonuses.iter().map(|a| (&a.key, &a.title)))
            .chain(self.vetoes.iter().map(|v| (&v.key, &v.title)))
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, t)| t.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ManualKind {
    Indicator,
    Deduction,
    Bonus,
    Veto,
}

/// Entered values of one org: item key → hundredths (a veto: 1 when it applies).
/// A manual item not entered yet scores zero (and the card says it is pending).
pub type Manual = BTreeMap<String, i64>;

/// One scored line of a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub key: String,
    pub title: String,
    pub depth: usize,
    /// indicator, deduction, bonus, veto
    pub kind: String,
    /// Full points (indicators) or cap (deductions, bonuses); 0 for vetoes.
    pub max: i64,
    /// Points scored, deducted or added (hundredths); vetoes: 1 when applied.
    pub score: i64,
    /// computed, manual, sum
    pub how: String,
    /// The records behind a computed line: (metric, count).
    pub figures: Vec<(Metric, i64)>,
    /// How the score came about, in words.
    pub detail: String,
    /// A manual line nobody has entered yet.
    pub pending: bool,
}

/// The score of one org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub lines: Vec<Line>,
    pub indicators: i64,
    pub deducted: i64,
    pub added: i64,
    pub total: i64,
    pub vetoed: bool,
    pub grade: Grade,
}

fn round_div(a: i64, b: i64) -> i64 {
    // half up, for non-negative a and positive b
    (2 * a + b) / (2 * b)
}

/// Scores one org: the pure function every figure of a round comes from.
pub fn score(sys: &System, inputs: &Inputs, manual: &Manual) -> Card {
    let get = |m: Metric| inputs.get(&m).copied().unwrap_or(0).max(0);
    let mut lines: Vec<Line> = Vec::new();
    let mut leaf_score: BTreeMap<&str, i64> = BTreeMap::new();
    for i in &sys.indicators {
        let Some(method) = &i.method else { continue };
        let (score, how, figures, detail, pending) = match method {
            Method::Rate {
                numerator,
                denominator,
                empty_full,
            } => {
                let (n, d) = (get(*numerator), get(*denominator));
                let n = n.min(d);
                let s = if d == 0 {
                    if *empty_full {
                        i.points
                    } else {
                        0
                    }
                } else {
                    round_div(i.points * n, d)
                };
                let detail = if d == 0 {
                    format!(
                        "{}为 0，{}",
                        denominator.label(),
                        if *empty_full {
                            "得满分"
                        } else {
                            "不得分"
                        }
                    )
                } else {
                    format!(
                        "{} {n} / {} {d}，{} × {n}/{d} = {}",
                        numerator.label(),
                        denominator.label(),
                        fmt_points(i.points),
                        fmt_points(s)
                    )
                };
                (
                    s,
                    "computed",
                    vec![(*denominator, d), (*numerator, n)],
                    detail,
                    false,
                )
            }
            Method::Count { metric, per } => {
                let n = get(*metric);
                let s = (i.points - per.saturating_mul(n)).max(0);
                (
                    s,
                    "computed",
                    vec![(*metric, n)],
                    format!(
                        "{} {n} 条，每条扣 {}，得 {}",
                        metric.label(),
                        fmt_points(*per),
                        fmt_points(s)
                    ),
                    false,
                )
            }
            Method::Manual => match manual.get(&i.key) {
                Some(v) => {
                    let s = (*v).clamp(0, i.points);
                    (s, "manual", Vec::new(), "评分人评定".to_string(), false)
                }
                None => (0, "manual", Vec::new(), "待评分".to_string(), true),
            },
        };
        leaf_score.insert(&i.key, score);
        lines.push(Line {
            key: i.key.clone(),
            title: i.title.clone(),
            depth: i.depth,
            kind: "indicator".into(),
            max: i.points,
            score,
            how: how.into(),
            figures,
            detail,
            pending,
        });
    }
    // parents sum their children, deepest first
    let mut sums: BTreeMap<String, i64> = leaf_score
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    for i in sys.indicators.iter().rev().filter(|i| i.method.is_none()) {
        let s: i64 = sys
            .indicators
            .iter()
            .filter(|c| c.parent.as_deref() == Some(i.key.as_str()))
            .map(|c| sums.get(&c.key).copied().unwrap_or(0))
            .sum();
        sums.insert(i.key.clone(), s);
    }
    // lines in tree order, parents included
    let mut ordered = Vec::with_capacity(sys.indicators.len());
    for i in &sys.indicators {
        if i.method.is_none() {
            ordered.push(Line {
                key: i.key.clone(),
                title: i.title.clone(),
                depth: i.depth,
                kind: "indicator".into(),
                max: i.points,
                score: sums.get(&i.key).copied().unwrap_or(0),
                how: "sum".into(),
                figures: Vec::new(),
                detail: "下级指标合计".into(),
                pending: false,
            });
        } else if let Some(pos) = lines.iter().position(|l| l.key == i.key) {
            ordered.push(lines.swap_remove(pos));
        }
    }
    let indicators: i64 = sys
        .indicators
        .iter()
        .filter(|i| i.parent.is_none())
        .map(|i| sums.get(&i.key).copied().unwrap_or(0))
        .sum();
    let mut adjust_lines = |list: &[Adjust], kind: &str| -> i64 {
        let mut total = 0;
        for a in list {
            let (raw, figures, pending, how) = match a.metric {
                Some(m) => {
                    let n = get(m);
                    (a.per.saturating_mul(n), vec![(m, n)], false, "computed")
                }
                None => match manual.get(&a.key) {
                    Some(v) => ((*v).max(0), Vec::new(), false, "manual"),
                    None => (0, Vec::new(), true, "manual"),
                },
            };
            let v = raw.min(a.cap);
            total += v;
            let detail = match (a.metric, figures.first()) {
                (Some(m), Some((_, n))) => format!(
                    "{} {n} 条，每条 {} 分，上限 {}，计 {}",
                    m.label(),
                    fmt_points(a.per),
                    fmt_points(a.cap),
                    fmt_points(v)
                ),
                _ if pending => "待评分".to_string(),
                _ => format!("评分人评定（上限 {}）", fmt_points(a.cap)),
            };
            ordered.push(Line {
                key: a.key.clone(),
                title: a.title.clone(),
                depth: 0,
                kind: kind.into(),
                max: a.cap,
                score: v,
                how: how.into(),
                figures,
                detail,
                pending,
            });
        }
        total
    };
    let deducted = adjust_lines(&sys.deductions, "deduction");
    let added = adjust_lines(&sys.bonuses, "bonus");
    let mut vetoed = false;
    for v in &sys.vetoes {
        let (hit, figures, pending, how, detail) = match v.metric {
            Some(m) => {
                let n = get(m);
                (
                    n >= v.at_least,
                    vec![(m, n)],
                    false,
                    "computed",
                    format!("{} {n} 条（达到 {} 条即否决）", m.label(), v.at_least),
                )
            }
            None => match manual.get(&v.key) {
                Some(x) => (
                    *x > 0,
                    Vec::new(),
                    false,
                    "manual",
                    if *x > 0 {
                        "评分人认定"
                    } else {
                        "评分人认定不适用"
                    }
                    .to_string(),
                ),
                None => (false, Vec::new(), true, "manual", "待认定".to_string()),
            },
        };
        vetoed |= hit;
        ordered.push(Line {
            key: v.key.clone(),
            title: v.title.clone(),
            depth: 0,
            kind: "veto".into(),
            max: 0,
            score: i64::from(hit),
            how: how.into(),
            figures,
            detail,
            pending,
        });
    }
    let total = (indicators - deducted + added).max(0);
    let grade = if vetoed {
        sys.veto_grade
    } else {
        sys.thresholds.grade(total)
    };
    Card {
        lines: ordered,
        indicators,
        deducted,
        added,
        total,
        vetoed,
        grade,
    }
}

/// Standard competition ranks (1, 2, 2, 4) of totals: equal totals share a rank.
pub fn ranks(totals: &[i64]) -> Vec<i64> {
    totals
        .iter()
        .map(|t| 1 + i64::try_from(totals.iter().filter(|o| *o > t).count()).unwrap_or(i64::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
key = "t"
title = "测试细则"
version = 1
grades = { good = 90, fairly_good = 80, average = 60 }

[[indicator]]
key = "1"
title = "任务落实"
[[indicator]]
key = "1.1"
parent = "1"
title = "任务完成率"
points = 40
method = "rate"
numerator = "tasks_done"
denominator = "tasks_due"
[[indicator]]
key = "1.2"
parent = "1"
title = "逾期未整改"
points = 20
method = "count"
metric = "problems_overdue"
per = 2.5
[[indicator]]
key = "2"
title = "述职评议"
points = 40
method = "manual"

[[deduction]]
key = "d1"
title = "问责扣分"
metric = "accountability_actions"
per = 3
cap = 9
[[bonus]]
key = "b1"
title = "经验推广"
cap = 5
[[veto]]
key = "v1"
title = "严重违纪"
"#;

    #[test]
    fn parses_and_scores() {
        let s = System::parse(SRC).unwrap();
        assert_eq!(s.full_points(), 10000);
        assert_eq!(s.indicators[0].points, 6000);
        let mut inputs = Inputs::new();
        inputs.insert(Metric::TasksDue, 3);
        inputs.insert(Metric::TasksDone, 2);
        inputs.insert(Metric::ProblemsOverdue, 3);
        inputs.insert(Metric::AccountabilityActions, 5);
        let mut manual = Manual::new();
        manual.insert("2".into(), 3500);
        manual.insert("b1".into(), 700);
        let c = score(&s, &inputs, &manual);
        // 40 × 2/3 = 26.67; 20 − 7.5 = 12.5; 35; −9 (cap); +5 (cap)
        assert_eq!(c.indicators, 2667 + 1250 + 3500);
        assert_eq!(c.deducted, 900);
        assert_eq!(c.added, 500);
        assert_eq!(c.total, 7417 - 900 + 500);
        assert_eq!(c.grade, Grade::Average);
        assert!(!c.vetoed);
        manual.insert("v1".into(), 1);
        let c = score(&s, &inputs, &manual);
        assert!(c.vetoed);
        assert_eq!(c.grade, Grade::Poor);
    }

    #[test]
    fn refuses_formalism() {
        let bad = SRC.replace("title = \"经验推广\"", "title = \"学习强国积分排名\"");
        let e = System::parse(&bad).unwrap_err();
        assert!(e.summary().contains("积分"), "{}", e.summary());
        assert!(e.summary().contains("为基层减负"), "{}", e.summary());
        let bad = SRC.replace("accountability_actions", "logins");
        let e = System::parse(&bad).unwrap_err();
        assert!(e.summary().contains("login"), "{}", e.summary());
    }

    #[test]
    fn points_and_ranks() {
        assert_eq!(parse_points("12.5"), Some(1250));
        assert_eq!(parse_points("0.25"), Some(25));
        assert_eq!(parse_points("1.250"), Some(125));
        assert_eq!(parse_points("1.255"), None);
        assert_eq!(parse_points("x"), None);
        assert_eq!(fmt_points(1250), "12.5");
        assert_eq!(fmt_points(2667), "26.67");
        assert_eq!(ranks(&[90, 80, 90, 70]), vec![1, 3, 1, 4]);
    }
}
