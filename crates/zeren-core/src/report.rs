//! The annual report (《关于××年度履行全面从严治党主体责任情况的报告》): the figures it
//! states, each counted from records, and its narrative as editable text in which
//! figures are named tokens — 〔党委会次数〕 — that are filled in live whenever the
//! report is shown or written out. A user edits words, never numbers: the numbers
//! always come from the records of the org and year.
//!
//! Pure: what the figures are and how a narrative is written and filled. Counting is
//! the store's, assembling the app's.
use std::collections::HashMap;

/// The records a figure counts, for the link from a figure to its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    /// Held activities of these kinds; `first_topic` only those with a 第一议题.
    Activities {
        kinds: &'static [&'static str],
        first_topic: bool,
    },
    /// Problems found in the year from these sources (all sources when empty).
    Problems {
        sources: &'static [&'static str],
    },
    Tasks,
    Notices,
    Accountability,
    /// Members admitted as probationary in the year.
    NewMembers,
    /// Orgs whose committee was re-elected in the year.
    Reelections,
    /// Cadre records (appointments, part-time approvals, training, 容错纠错) of the year.
    CadreWork,
}

/// A figure a report can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureDef {
    pub key: &'static str,
    /// The token's name in a narrative: 〔name〕.
    pub name: &'static str,
    pub unit: &'static str,
    pub records: Records,
}

const fn fig(
    key: &'static str,
    name: &'static str,
    unit: &'static str,
    records: Records,
) -> FigureDef {
    FigureDef {
        key,
        name,
        unit,
        records,
    }
}

const fn acts(kinds: &'static [&'static str]) -> Records {
    Records::Activities {
        kinds,
        first_topic: false,
    }
}

/// The kinds 三会一课 counts.
pub const THREE_ONE: &[&str] = &[
    "branch_general_meeting",
    "branch_committee",
    "group_meeting",
    "party_lecture",
];

/// Problem sources that are a team's own examination (查摆).
pub const SELF_SOURCES: &[&str] = &["self_examination", "democratic_life", "self_check"];

/// Every figure, in the order the report uses them (FIGURES.md of the seeds lists
/// the kinds; those needing records Zeren does not keep yet — cadre appointments,
/// inspection rounds — are not here, and neither are petitions: their counts are the
/// discipline body's to state, and nobody scoped to a reported org without the
/// discipline role may see them, not even as a count).
pub const FIGURES: &[FigureDef] = &[
    fig(
        "committee_meetings",
        "党委会次数",
        "次",
        acts(&["committee_meeting"]),
    ),
    fig(
        "first_topic",
        "第一议题学习次数",
        "次",
        Records::Activities {
            kinds: &["committee_meeting"],
            first_topic: true,
        },
    ),
    fig(
        "central_group",
        "中心组学习次数",
        "次",
        acts(&["central_group_study"]),
    ),
    fig("three_one", "三会一课次数", "次", acts(THREE_ONE)),
    fig("party_lectures", "党课次数", "次", acts(&["party_lecture"])),
    fig("theme_days", "主题党日次数", "次", acts(&["theme_day"])),
    fig(
        "democratic_life",
        "民主生活会次数",
        "次",
        acts(&["democratic_life"]),
    ),
    fig("org_life", "组织生活会次数", "次", acts(&["org_life"])),
    fig(
        "appraisals",
        "民主评议党员次数",
        "次",
        acts(&["member_appraisal"]),
    ),
    fig("research", "调研次数", "次", acts(&["research"])),
    fig("research_people", "调研人次", "人次", acts(&["research"])),
    fig(
        "research_opinions",
        "调研征求意见条数",
        "条",
        acts(&["research"]),
    ),
    fig(
        "research_problems",
        "调研发现问题个数",
        "个",
        Records::Problems {
            sources: &["research"],
        },
    ),
    fig(
        "research_outcomes",
        "调研成果转化项数",
        "项",
        acts(&["research"]),
    ),
    fig("trainings", "培训期数", "期", acts(&["training"])),
    fig("training_people", "培训人次", "人次", acts(&["training"])),
    fig(
        "warning_education",
        "警示教育次数",
        "次",
        acts(&["warning_education"]),
    ),
    fig(
        "integrity_talks",
        "廉政谈话次数",
        "次",
        acts(&["integrity_talk"]),
    ),
    fig("heart_talks", "谈心谈话次数", "次", acts(&["heart_talk"])),
    fig(
        "volunteer",
        "志愿服务和办实事活动次数",
        "次",
        acts(&["volunteer"]),
    ),
    fig("matters", "为群众办实事件数", "件", acts(&["volunteer"])),
    fig(
        "member_reports",
        "党员报到活动次数",
        "次",
        acts(&["member_report"]),
    ),
    fig("tasks", "年度任务数", "项", Records::Tasks),
    fig("tasks_done", "已完成任务数", "项", Records::Tasks),
    fig("notices", "督办单份数", "份", Records::Notices),
    fig(
        "notices_answered",
        "已办结督办单份数",
        "份",
        Records::Notices,
    ),
    fig(
        "accountability",
        "问责人次",
        "人次",
        Records::Accountability,
    ),
    fig(
        "self_problems",
        "查摆问题个数",
        "个",
        Records::Problems {
            sources: SELF_SOURCES,
        },
    ),
    fig(
        "self_measures",
        "查摆问题整改措施条数",
        "条",
        Records::Problems {
            sources: SELF_SOURCES,
        },
    ),
    fig(
        "self_measures_done",
        "查摆问题已完成措施条数",
        "条",
        Records::Problems {
            sources: SELF_SOURCES,
        },
    ),
    fig(
        "problems",
        "问题总数",
        "个",
        Records::Problems { sources: &[] },
    ),
    fig(
        "problems_closed",
        "已销号问题个数",
        "个",
        Records::Problems { sources: &[] },
    ),
    fig(
        "measures",
        "整改措施总条数",
        "条",
        Records::Problems { sources: &[] },
    ),
    fig(
        "measures_done",
        "已完成整改措施条数",
        "条",
        Records::Problems { sources: &[] },
    ),
    fig("new_members", "发展党员人数", "名", Records::NewMembers),
    fig(
        "reelections",
        "完成换届党组织个数",
        "个",
        Records::Reelections,
    ),
    // cadre work (zeren_core::cadre_work), counted from its records
    fig(
        "cadre_promoted",
        "提拔和进一步使用干部人数",
        "名",
        Records::CadreWork,
    ),
    fig(
        "cadre_rank_promoted",
        "职级晋升干部人数",
        "名",
        Records::CadreWork,
    ),
    fig(
        "cadre_part_time_approved",
        "社会团体兼职审批人数",
        "名",
        Records::CadreWork,
    ),
    fig(
        "cadre_training_people",
        "选派干部培训人次",
        "人次",
        Records::CadreWork,
    ),
    fig(
        "cadre_training_classes",
        "选派干部培训期数",
        "期",
        Records::CadreWork,
    ),
    fig(
        "cadre_training_hours",
        "干部培训学时",
        "学时",
        Records::CadreWork,
    ),
    fig("cadre_tolerance", "容错纠错人数", "名", Records::CadreWork),
];

pub fn figure(key: &str) -> Option<&'static FigureDef> {
    FIGURES.iter().find(|f| f.key == key)
}

fn figure_named(name: &str) -> Option<&'static FigureDef> {
    FIGURES.iter().find(|f| f.name == name)
}

/// A narrative section: its heading and its paragraphs (text with tokens).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// 1 for 一、…, 2 for （一）….
    pub level: u8,
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// A piece of a filled paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    /// A figure and its value.
    Figure {
        key: &'static str,
        value: i64,
    },
    /// A token that names no figure: shown as written, flagged.
    Unknown(String),
}

/// Splits a paragraph at its tokens and fills each with its value.
pub fn fill(text: &str, values: &HashMap<&str, i64>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('〔') {
        let after = &rest[start + '〔'.len_utf8()..];
        let Some(end) = after.find('〕') else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        let name = &after[..end];
        match figure_named(name) {
            Some(f) => out.push(Piece::Figure {
                key: f.key,
                value: values.get(f.key).copied().unwrap_or(0),
            }),
            None => out.push(Piece::Unknown(format!("〔{name}〕"))),
        }
        rest = &after[end + '〕'.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    out
}

/// Tokens in `text` that name no figure (a typo the editor should be told of).
pub fn unknown_tokens(text: &str) -> Vec<String> {
    fill(text, &HashMap::new())
        .into_iter()
        .filter_map(|p| match p {
            Piece::Unknown(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The token of a figure, for writing narratives.
pub fn token(key: &str) -> String {
    figure(key)
        .map(|f| format!("〔{}〕", f.name))
        .unwrap_or_default()
}

/// The default narrative of 一、工作成效, in the seeds' wording. Problems and next
/// steps (二、三) are drawn from the ledger when the report is made, not written here.
pub fn default_achievements() -> Vec<Section> {
    let t = token;
    let s = |heading: &str, paragraphs: Vec<String>| Section {
        level: 2,
        heading: heading.to_string(),
        paragraphs,
    };
    vec![
        s(
            "（一）坚持把党的政治建设摆在首位",
            vec![format!(
                "严格落实“第一议题”制度，全年召开党委会{}次，其中“第一议题”学习{}次，及时传达学习习近平总书记重要讲话和重要指示批示精神，研究贯彻落实措施。",
                t("committee_meetings"),
                t("first_topic")
            )],
        ),
        s(
            "（二）持续强化理论武装",
            vec![format!(
                "理论学习中心组集中学习{}次；各基层党组织开展“三会一课”{}次，其中讲党课{}次，开展主题党日活动{}次；举办各类培训{}期、{}人次。",
                t("central_group"),
                t("three_one"),
                t("party_lectures"),
                t("theme_days"),
                t("trainings"),
                t("training_people")
            )],
        ),
        s(
            "（三）压紧压实管党治党责任",
            vec![format!(
                "将年度任务分解为{}项具体任务，逐项明确责任领导、责任人和完成时限，已完成{}项；对推进滞后的事项印发督办单{}份，已办结{}份；全年问责{}人次。",
                t("tasks"),
                t("tasks_done"),
                t("notices"),
                t("notices_answered"),
                t("accountability")
            )],
        ),
        s(
            "（四）夯实基层组织建设",
            vec![format!(
                "督促{}个党组织按期完成换届选举；召开组织生活会{}次，开展民主评议党员{}次，召开民主生活会{}次；全年发展党员{}名。",
                t("reelections"),
                t("org_life"),
                t("appraisals"),
                t("democratic_life"),
                t("new_members")
            ), format!(
                "提拔和进一步使用干部{}名，职级晋升{}名；对{}名领导干部社会团体兼职进行审批；选派干部{}人次参加{}期培训、共{}学时；对{}名干部容错纠错。",
                t("cadre_promoted"),
                t("cadre_rank_promoted"),
                t("cadre_part_time_approved"),
                t("cadre_training_people"),
                t("cadre_training_classes"),
                t("cadre_training_hours"),
                t("cadre_tolerance")
            )],
        ),
        s(
            "（五）持续改进作风",
            vec![format!(
                "大兴调查研究，开展调研{}次、{}人次，征求意见{}条，调研发现问题{}个，调研成果转化{}项；组织志愿服务和办实事活动{}次，为群众办实事{}件，党员到社区报到{}次。",
                t("research"),
                t("research_people"),
                t("research_opinions"),
                t("research_problems"),
                t("research_outcomes"),
                t("volunteer"),
                t("matters"),
                t("member_reports")
            )],
        ),
        s(
            "（六）一体推进不敢腐、不能腐、不想腐",
            vec![format!(
                "开展警示教育{}次，开展廉政谈话{}次、谈心谈话{}次，教育引导党员干部知敬畏、存戒惧、守底线。",
                t("warning_education"),
                t("integrity_talks"),
                t("heart_talks")
            )],
        ),
        s(
            "（七）抓实问题整改",
            vec![format!(
                "领导班子共查摆问题{}个，制定整改措施{}条，已完成{}条。全年各类问题共{}个，已销号{}个；制定整改措施{}条，已完成{}条。",
                t("self_problems"),
                t("self_measures"),
                t("self_measures_done"),
                t("problems"),
                t("problems_closed"),
                t("measures"),
                t("measures_done")
            )],
        ),
    ]
}

/// The report's title for an org and year.
pub fn title(org_name: &str, year: i32) -> String {
    format!("{org_name}关于{year}年度履行全面从严治党主体责任情况的报告")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_token_names_a_figure_and_every_figure_is_used() {
        let mut used = std::collections::HashSet::new();
        for s in default_achievements() {
            for p in &s.paragraphs {
                assert!(unknown_tokens(p).is_empty(), "{p}");
                for piece in fill(p, &HashMap::new()) {
                    if let Piece::Figure { key, .. } = piece {
                        used.insert(key);
                    }
                }
            }
        }
        for f in FIGURES {
            assert!(used.contains(f.key), "figure {} never stated", f.key);
        }
    }

    #[test]
    fn fill_replaces_tokens_and_keeps_text_and_unknowns() {
        let values = HashMap::from([("committee_meetings", 31), ("first_topic", 25)]);
        let p = fill(
            "召开党委会〔党委会次数〕次，其中〔第一议题学习次数〕次〔没有这项〕。",
            &values,
        );
        assert_eq!(
            p,
            vec![
                Piece::Text("召开党委会".into()),
                Piece::Figure {
                    key: "committee_meetings",
                    value: 31
                },
                Piece::Text("次，其中".into()),
                Piece::Figure {
                    key: "first_topic",
                    value: 25
                },
                Piece::Text("次".into()),
                Piece::Unknown("〔没有这项〕".into()),
                Piece::Text("。".into()),
            ]
        );
        // an unclosed bracket is text
        assert_eq!(
            fill("〔未闭合", &values),
            vec![Piece::Text("〔未闭合".into())]
        );
        assert_eq!(
            unknown_tokens("〔没有这项〕〔党委会次数〕"),
            vec!["〔没有这项〕"]
        );
    }

    #[test]
    fn figure_names_and_keys_are_unique() {
        let mut keys = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for f in FIGURES {
            assert!(keys.insert(f.key), "{}", f.key);
            assert!(names.insert(f.name), "{}", f.name);
        }
    }
}
