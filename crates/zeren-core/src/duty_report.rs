//! Duty reports (述职报告) and their appraisal (述职评议): the kinds of report, the
//! grades participants give (好 / 较好 / 一般 / 差) or points (0–100), and how a
//! report's scores aggregate into its result.
//!
//! Aggregation, in integers so that anyone can redo it by hand:
//! * grades count as 好 4, 较好 3, 一般 2, 差 1; the mean is kept in hundredths,
//!   rounded half up (`sum × 100 / n`); the overall grade is 好 from 3.50, 较好 from
//!   2.50, 一般 from 1.50, else 差; the approval rate (好评率) is (好 + 较好) / n in
//!   percent, rounded half up;
//! * points: the mean in hundredths, rounded half up; 好 from 90, 较好 from 80, 一般
//!   from 60, else 差.
use serde::{Deserialize, Serialize};

use crate::cadre::keyed;

keyed! {
    /// What the report is about.
    Kind {
        /// 书记抓基层党建工作述职
        PartyBuilding = ("party_building", "抓基层党建工作述职"),
        /// 述职述廉
        Integrity = ("integrity", "述职述廉"),
    }
}

keyed! {
    /// How participants score in a meeting.
    Scoring {
        Grade = ("grade", "等次（好/较好/一般/差）"),
        Points = ("points", "百分制"),
    }
}

keyed! {
    /// 评议等次.
    Grade {
        Good = ("good", "好"),
        Fair = ("fair", "较好"),
        Average = ("average", "一般"),
        Poor = ("poor", "差"),
    }
}

impl Grade {
    pub fn value(self) -> i64 {
        match self {
            Grade::Good => 4,
            Grade::Fair => 3,
            Grade::Average => 2,
            Grade::Poor => 1,
        }
    }
    /// Accepts the key or the Chinese label.
    pub fn parse_any(s: &str) -> Option<Grade> {
        let s = s.trim();
        Grade::parse(s).or_else(|| Grade::ALL.iter().copied().find(|g| g.label() == s))
    }
    fn from_hundredths(mean: i64) -> Grade {
        if mean >= 350 {
            Grade::Good
        } else if mean >= 250 {
            Grade::Fair
        } else if mean >= 150 {
            Grade::Average
        } else {
            Grade::Poor
        }
    }
    fn from_points_hundredths(mean: i64) -> Grade {
        if mean >= 9000 {
            Grade::Good
        } else if mean >= 8000 {
            Grade::Fair
        } else if mean >= 6000 {
            Grade::Average
        } else {
            Grade::Poor
        }
    }
}

/// One participant's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Score {
    Grade(Grade),
    Points(i64),
}

/// The result of one report's scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Aggregate {
    /// scores counted
    pub n: i64,
    /// 好, 较好, 一般, 差 (grade scoring)
    pub counts: [i64; 4],
    /// the mean in hundredths (grade values 1–4, or points)
    pub mean_hundredths: i64,
    /// (好 + 较好) / n, percent, rounded half up (grade scoring)
    pub approval_pct: i64,
    /// the overall grade's key, empty without scores
    pub overall: String,
    pub overall_label: String,
    /// lowest and highest points (points scoring)
    pub min_points: Option<i64>,
    pub max_points: Option<i64>,
}

/// `a / b` rounded half up, for non-negative `a` and positive `b`.
fn div_round(a: i64, b: i64) -> i64 {
    (2 * a + b) / (2 * b)
}

/// Aggregates the scores of one report under a meeting's scoring; scores of the other
/// scoring are ignored.
pub fn aggregate(scoring: Scoring, scores: &[Score]) -> Aggregate {
    let mut a = Aggregate::default();
    match scoring {
        Scoring::Grade => {
            let mut sum = 0;
            for s in scores {
                if let Score::Grade(g) = s {
                    a.n += 1;
                    sum += g.value();
                    let i = Grade::ALL.iter().position(|x| x == g).unwrap_or(3);
                    a.counts[i] += 1;
                }
            }
            if a.n > 0 {
                a.mean_hundredths = div_round(sum * 100, a.n);
                a.approval_pct = div_round((a.counts[0] + a.counts[1]) * 100, a.n);
                let g = Grade::from_hundredths(a.mean_hundredths);
                a.overall = g.as_str().into();
                a.overall_label = g.label().into();
            }
        }
        Scoring::Points => {
            let mut sum = 0;
            for s in scores {
                if let Score::Points(p) = s {
                    a.n += 1;
                    sum += p;
                    a.min_points = Some(a.min_points.map_or(*p, |m| m.min(*p)));
                    a.max_points = Some(a.max_points.map_or(*p, |m| m.max(*p)));
                }
            }
            if a.n > 0 {
                a.mean_hundredths = div_round(sum * 100, a.n);
                let g = Grade::from_points_hundredths(a.mean_hundredths);
                a.overall = g.as_str().into();
                a.overall_label = g.label().into();
            }
        }
    }
    a
}

/// The default body of a report: the figures are tokens of the annual report
/// (`crate::report::FIGURES`), filled from the records whenever it is shown.
pub fn default_body(kind: Kind) -> String {
    use crate::report::token as t;
    let first = match kind {
        Kind::PartyBuilding => "一、履行抓基层党建第一责任人职责情况",
        Kind::Integrity => "一、履行全面从严治党和党风廉政建设职责情况",
    };
    format!(
        "{first}\n本年度召开党委会{}次，其中“第一议题”学习{}次；理论学习中心组集中学习{}次；基层党组织开展“三会一课”{}次、主题党日{}次。\n\
         二、落实责任清单情况\n年度任务{}项，已完成{}项；印发督办单{}份，已办结{}份。\n\
         三、问题整改情况\n全年各类问题{}个，已销号{}个；整改措施{}条，已完成{}条。\n\
         四、存在的不足和下一步打算\n",
        t("committee_meetings"),
        t("first_topic"),
        t("central_group"),
        t("three_one"),
        t("theme_days"),
        t("tasks"),
        t("tasks_done"),
        t("notices"),
        t("notices_answered"),
        t("problems"),
        t("problems_closed"),
        t("measures"),
        t("measures_done"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_aggregate_by_hand() {
        use Grade::*;
        let s: Vec<Score> = [Good, Good, Fair, Average, Good, Poor]
            .into_iter()
            .map(Score::Grade)
            .collect();
        let a = aggregate(Scoring::Grade, &s);
        // (4+4+3+2+4+1) = 18 / 6 = 3.00; (3+1)/6 = 66.67% -> 67
        assert_eq!(a.n, 6);
        assert_eq!(a.counts, [3, 1, 1, 1]);
        assert_eq!(a.mean_hundredths, 300);
        assert_eq!(a.approval_pct, 67);
        assert_eq!(a.overall, "fair");
        let a = aggregate(
            Scoring::Points,
            &[Score::Points(91), Score::Points(88), Score::Grade(Good)],
        );
        assert_eq!((a.n, a.mean_hundredths), (2, 8950));
        assert_eq!(a.overall_label, "较好");
        assert_eq!((a.min_points, a.max_points), (Some(88), Some(91)));
        assert_eq!(aggregate(Scoring::Grade, &[]).overall, "");
        assert_eq!(Grade::parse_any("较好"), Some(Fair));
    }

    #[test]
    fn the_default_body_names_only_figures() {
        for k in Kind::ALL {
            assert!(crate::report::unknown_tokens(&default_body(*k)).is_empty());
        }
    }
}
