//! The seed reports (copied into tests/seeds/ so a clean clone has them): their
//! outlines, the figures FIGURES.md lists for 001 and 003, the problems and
//! measures of 001 and 002, and the slogans 002 and 003 share.

use zeren_text::{analyze, compare_texts, Analysis, Corpus, Document, Figure, Heading};

fn seed(prefix: &str) -> Document {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/seeds");
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    Document::from_path(&path).unwrap()
}

fn analysed(prefix: &str) -> Analysis {
    analyze(&seed(prefix), &Corpus::builtin())
}

fn titles(h: &[Heading]) -> Vec<String> {
    h.iter()
        .map(|x| format!("{}{}", x.marker, x.text))
        .collect()
}

#[test]
fn outline_001() {
    let a = analysed("001");
    assert_eq!(
        titles(&a.outline),
        ["一、工作成效", "二、存在问题", "三、下一步工作措施"]
    );
    let done = &a.outline[0];
    assert_eq!(done.children.len(), 7);
    assert_eq!(done.children[1].text, "抓实主题教育，推进事业高质量发展");
    assert!(done
        .children
        .iter()
        .all(|c| c.children.len() == 3 && c.level == 2));
    assert_eq!(
        done.children[0].children[0].text,
        "坚持把党的政治建设摆在首位"
    );
    assert_eq!(done.children[0].children[0].level, 3);
    assert_eq!(a.outline[1].children.len(), 3);
    assert_eq!(a.parts.achievements.items.len(), 7);
    assert_eq!(a.parts.problems.heading, "存在问题");
    assert_eq!(a.parts.problems.items.len(), 3);
    assert_eq!(a.parts.next_steps.heading, "下一步工作措施");
    assert_eq!(a.parts.next_steps.items[2].title, "打造高素质干部队伍");
    assert_eq!(a.year, Some(2023));
}

#[test]
fn outline_002_mixes_list_markers() {
    let a = analysed("002");
    assert_eq!(
        titles(&a.outline),
        ["一、履职情况", "二、存在问题", "三、下一步工作打算"]
    );
    // 1、 1、 3. under 三、 are one list whatever the delimiter.
    assert_eq!(
        titles(&a.outline[2].children),
        [
            "1、强化教育引导，持续加强理论学习",
            "2、重视党建工作，持续强化压力传导",
            "3.坚持从严治党，持续做好日常监督"
        ]
    );
    // 一是…二是… inside the paragraphs of the six achievements.
    let counts: Vec<usize> = a.outline[0]
        .children
        .iter()
        .map(|c| c.items.len())
        .collect();
    assert_eq!(counts, [2, 2, 2, 3, 2, 2]);
    assert_eq!(a.outline[0].children[3].items[2].marker, "三是");
    assert!(a.outline[0].children[3].items[2]
        .text
        .starts_with("认真落实“廉政谈话制度”"));
    assert_eq!(a.parts.achievements.heading, "履职情况");
    assert_eq!(a.parts.problems.items.len(), 3);
    assert_eq!(a.parts.next_steps.items.len(), 3);
}

#[test]
fn outline_003_topical_headings_and_closing_next_steps() {
    let a = analysed("003");
    assert_eq!(
        a.title.as_deref(),
        Some("党委关于全面从严治党工作情况的报告")
    );
    assert_eq!(
        titles(&a.outline),
        [
            "一、强化政治建设",
            "二、强化理论武装",
            "三、强化组织建设",
            "四、强化正风肃纪",
            "五、强化整改落实"
        ]
    );
    assert_eq!(a.outline[0].items.len(), 3);
    assert_eq!(a.outline[2].children.len(), 3);
    assert_eq!(a.outline[2].children[0].items.len(), 4);
    assert_eq!(a.outline[2].children[2].items.len(), 5);
    // No heading names the parts: the topical headings are the work done, the
    // closing paragraph ("在下步工作中…") the next steps, and there is no problems part.
    assert_eq!(a.parts.achievements.items.len(), 5);
    assert!(!a.parts.problems.found);
    assert!(a.parts.next_steps.found);
    assert!(a.parts.next_steps.items[0].text.starts_with("在下步工作中"));
}

#[test]
fn outline_004_ascii_parentheses_and_long_sections() {
    let a = analysed("004");
    assert_eq!(
        a.title.as_deref(),
        Some("推进卫生计生行业全面从严治党的对策与分析")
    );
    assert_eq!(
        titles(&a.outline),
        [
            "一、从严治党取得的主要成效",
            "二、从严治党存在的主要问题",
            "三、深入推进从严治党的对策建议"
        ]
    );
    let n: Vec<usize> = a.outline.iter().map(|h| h.children.len()).collect();
    assert_eq!(n, [6, 5, 7]);
    assert_eq!(a.outline[1].children[0].marker, "(一)");
    assert_eq!(a.outline[1].children[0].text, "在政治站位方面");
    assert_eq!(
        (
            a.parts.achievements.items.len(),
            a.parts.problems.items.len(),
            a.parts.next_steps.items.len()
        ),
        (6, 5, 7)
    );
}

#[test]
fn outline_000_questions_are_not_parts() {
    let a = analysed("000");
    assert_eq!(a.outline.len(), 7);
    assert!(a.outline[0].text.starts_with("请谈谈党委（党组）"));
    assert!(a.outline[1].text.ends_with("有何突出问题？"));
    // An interview is not a report: its questions name no parts.
    assert!(!a.parts.achievements.found && !a.parts.problems.found && !a.parts.next_steps.found);
    // "一是…二是…" in the answer to question 5.
    assert_eq!(a.outline[4].items.len(), 2);
}

/// (number, unit, qualifier, a word the counted phrase must contain)
type Expect = (f64, &'static str, Option<&'static str>, &'static str);

fn check(figs: &[Figure], expected: &[Expect]) {
    let mut used = vec![false; figs.len()];
    for &(n, unit, q, what) in expected {
        let hit = figs.iter().enumerate().position(|(i, f)| {
            !used[i]
                && f.number == n
                && f.unit == unit
                && f.qualifier.as_deref() == q
                && f.what.contains(what)
        });
        match hit {
            Some(i) => used[i] = true,
            None => panic!(
                "missing {n}{unit} {q:?} «{what}»; figures: {:#?}",
                figs.iter()
                    .map(|f| format!("{} {}{} {:?}", f.what, f.number, f.unit, f.qualifier))
                    .collect::<Vec<_>>()
            ),
        }
    }
}

#[test]
fn figures_001_all_of_figures_md() {
    let a = analysed("001");
    check(
        &a.figures,
        &[
            (30.0, "次", Some("余"), "党委会"),
            (7.0, "个", None, "调研课题"),
            (204.0, "人次", None, "开展调研"),
            (100.0, "条", None, "征求意见"),
            (54.0, "个", None, "发现问题"),
            (49.0, "项", None, "政策文件或措施"),
            (39.0, "个", None, "查摆问题"),
            (81.0, "条", None, "整改措施"),
            (25.0, "个", None, "突出问题"),
            (10.0, "个", None, "专项整治方案"),
            (50.0, "条", None, "整治措施"),
            (25.0, "项", None, "制度机制"),
            (2.0, "家", None, "巡察"),
            (29.0, "名", None, "处级干部"),
            (65.0, "名", None, "中层干部"),
            (22.0, "名", None, "科级"),
            (208.0, "名", None, "委管干部"),
            (82.0, "名", None, "领导干部"),
            (100.0, "%", None, "如实报告率"),
            (58.0, "名", None, "兼职"),
            (101.0, "件", None, "信访举报"),
            (1.0, "件", None, "澄清正名"),
            (2.0, "名", None, "函询"),
            (4.0, "名", None, "提醒"),
            (5.0, "条", None, "征求意见建议"),
            (138.0, "人次", None, "领导干部"),
            (52.0, "期", None, "培训"),
            (7.0, "期", None, "网络专题培训"),
            (3.0, "名", None, "党纪处分"),
            (1.0, "名", None, "违规违纪"),
            (1.0, "名", None, "免职"),
            (5.0, "类", None, "廉政风险点"),
            (11.0, "条", None, "具体措施"),
        ],
    );
    // All 41 quantitative statements of the report, and nothing else: no year
    // (2023年), date (4月14日), ordinal (第三轮), quoted formula (“5个更加”) or
    // named set (四个方面, 十项行动).
    assert_eq!(
        a.figures.len(),
        41,
        "{:#?}",
        a.figures.iter().map(|f| &f.text).collect::<Vec<_>>()
    );
    assert!(a
        .figures
        .iter()
        .all(|f| f.number != 2023.0 && f.number != 14.0));
}

#[test]
fn figures_003_all_of_figures_md() {
    let a = analysed("003");
    check(
        &a.figures,
        &[
            (25.0, "次", None, "第一议题"),
            (23.0, "次", None, "理论学习中心组"),
            (56.0, "次", None, "三会一课"),
            (56.0, "次", None, "主题党日"),
            (2.0, "次", None, "宣讲"),
            (10.0, "个", None, "党支部"),
            (24.0, "学时", Some("不少于"), "培训"),
            (20.0, "小时", Some("以上"), "服务时长"),
            (14.0, "人", None, "中层干部"),
            (9.0, "名", None, "预备党员"),
            (200.0, "人", None, "动员大会"),
            (3.0, "场次", None, "警示教育片"),
            (5.0, "件", None, "实事"),
            (208.0, "件", None, "办实事"),
            (169.0, "次", None, "党员报到"),
            (3.0, "次", None, "共建"),
            (45.0, "次", None, "帮扶"),
            (33.0, "次", None, "义诊"),
            // Chinese numerals, frequencies and money, not in FIGURES.md but figures all the same.
            (2.0, "次", Some("至少"), "培训"),
            (1.0, "次", Some("以上"), "培训"),
            (1.0, "次", Some("至少"), "集中学习"),
            (172.3, "万元", None, "进修"),
            (119.6, "万元", None, "规培"),
            (40.0, "位", Some("多"), "献血"),
        ],
    );
    let per: Vec<_> = a.figures.iter().filter_map(|f| f.per.as_deref()).collect();
    assert_eq!(per, ["每月", "每年", "每年", "每年"]);
    assert_eq!(a.figures.len(), 28);
}

#[test]
fn problems_and_measures_of_001_linked() {
    let a = analysed("001");
    let pairs: Vec<(usize, usize)> = a.links.iter().map(|l| (l.problem, l.measure)).collect();
    // 主题教育成果运用还不够足 ↔ 不断巩固深化主题教育成果;
    // 干部队伍系统规划还不到位 ↔ 打造高素质干部队伍.
    assert!(pairs.contains(&(1, 1)), "{pairs:?}");
    assert!(pairs.contains(&(2, 2)), "{pairs:?}");
    assert!(a
        .links
        .iter()
        .any(|l| l.shared.iter().any(|w| w.contains("主题教育"))));
    // "以上率下存在差距" (responsibilities, knowing the cadres) gets no measure, and
    // "加强党的全面领导" (hospital party-building) answers no listed problem.
    assert_eq!(a.problems_without_measures.len(), 1);
    assert!(a.problems_without_measures[0].title.contains("以上率下"));
    assert_eq!(a.measures_without_problems.len(), 1);
    assert_eq!(a.measures_without_problems[0].title, "加强党的全面领导");
}

#[test]
fn problems_and_measures_of_002_linked() {
    let a = analysed("002");
    let pairs: Vec<(usize, usize)> = a.links.iter().map(|l| (l.problem, l.measure)).collect();
    // 落实还不够有力（压力传导）↔ 持续强化压力传导.
    assert!(pairs.contains(&(1, 1)), "{pairs:?}");
    let l = a
        .links
        .iter()
        .find(|l| (l.problem, l.measure) == (1, 1))
        .unwrap();
    assert!(
        l.shared.iter().any(|w| w.contains("压力传导")),
        "{:?}",
        l.shared
    );
    // Nothing links a problem to the first measure (理论学习) by wording alone.
    assert!(!pairs.iter().any(|&(_, m)| m == 0), "{pairs:?}");
    assert!(!a.problems_without_measures.is_empty());
}

#[test]
fn slogans_shared_by_002_and_003_are_boilerplate_not_copying() {
    let read = |p: &str| {
        let d = seed(p);
        (d.name, d.text)
    };
    let c = compare_texts(&[read("002"), read("003")]);
    assert_eq!(c.pairs.len(), 1);
    let pair = &c.pairs[0];
    assert!(pair.passages.len() >= 3, "{:#?}", pair.passages);
    assert!(
        pair.passages.iter().all(|p| p.boilerplate),
        "{:#?}",
        pair.passages
    );
    assert_eq!(pair.copied_chars, 0);
    let texts: Vec<&str> = pair.passages.iter().map(|p| p.text.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("亲自部署") && t.contains("亲自过问")),
        "{texts:?}"
    );
    assert!(texts
        .iter()
        .any(|t| t.contains("以习近平新时代中国特色社会主义思想为指导")));
    // Positions are right in both texts.
    let a: Vec<char> = read("002").1.chars().collect();
    let b: Vec<char> = read("003").1.chars().collect();
    for p in &pair.passages {
        let sa: String = a[p.a_start..p.a_end]
            .iter()
            .filter(|c| !c.is_ascii_punctuation())
            .collect();
        let sb: String = b[p.b_start..p.b_end].iter().collect();
        assert_eq!(sa, p.text);
        assert_eq!(sa.chars().next(), sb.chars().next());
        assert_eq!(sa.chars().last(), sb.chars().last());
    }

    // In each report's own analysis, what it shares with 003 and the other seeds is
    // marked: phrases learned from the corpus (found in other reports), not only
    // the seed list.
    let a002 = analysed("002");
    let learned: Vec<&str> = a002
        .boilerplate
        .iter()
        .filter(|p| {
            p.docs >= 2
                && !zeren_text::boilerplate::SLOGANS
                    .iter()
                    .any(|s| p.text.contains(s))
        })
        .map(|p| p.text.as_str())
        .collect();
    assert!(!learned.is_empty());
    assert!(a002
        .boilerplate
        .iter()
        .any(|p| p.text.contains("党要管党、从严治党")));
    let s = a002
        .sentences
        .iter()
        .find(|s| s.text.contains("重要工作亲自部署"))
        .unwrap();
    assert!(s
        .flags
        .iter()
        .any(|f| f.kind == zeren_text::FlagKind::Boilerplate));
}

#[test]
fn reports_rank_by_specificity() {
    let s: Vec<u8> = ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| analysed(p).score)
        .collect();
    // 001 and 003 state their work in figures; 002, 004 and the interview do not.
    assert!(s[1] > s[2] && s[1] > s[4] && s[1] > s[0], "{s:?}");
    assert!(s[3] > s[2] && s[3] > s[4] && s[3] > s[0], "{s:?}");
    let a = analysed("002");
    // The problems part of 002 is all vague words.
    let vague: Vec<_> = a
        .sentences
        .iter()
        .filter(|s| s.part == Some(zeren_text::PartKind::Problems) && !s.heading)
        .collect();
    assert!(vague.iter().all(|s| s.score < 30), "{vague:#?}");
    assert!(vague
        .iter()
        .any(|s| s.flags.iter().any(|f| f.text == "一些")));
    // And a sentence full of figures scores high, its flags saying why.
    let a = analysed("001");
    let s = a
        .sentences
        .iter()
        .find(|s| s.text.contains("204人次"))
        .unwrap();
    assert!(s.score >= 80);
    assert_eq!(
        s.flags
            .iter()
            .filter(|f| f.kind == zeren_text::FlagKind::Figure)
            .count(),
        4
    );
}

#[test]
fn json_has_the_fields_the_cli_promises() {
    let a = analysed("001");
    let v = serde_json::to_value(&a).unwrap();
    for k in [
        "outline",
        "parts",
        "figures",
        "problems_without_measures",
        "score",
        "sentences",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert_eq!(v["outline"][0]["level"], 1);
    assert_eq!(v["outline"][0]["children"][0]["level"], 2);
    assert_eq!(v["parts"]["problems"]["items"].as_array().unwrap().len(), 3);
    let f = &v["figures"][2];
    assert_eq!(
        (f["what"].as_str(), f["number"].as_f64(), f["unit"].as_str()),
        (Some("开展调研"), Some(204.0), Some("人次"))
    );
    assert!(f["qualifier"].is_null());
    assert!(v["sentences"][0]["flags"].is_array());
}
