//! Vague versus specific: each sentence gets flags for what makes it concrete
//! (figures, dates, named documents, people, places) and what makes it empty
//! (boilerplate, vague words), and a score 0–100 computed from them; the report's
//! score combines its sentences, its figure density and how specific its problems
//! part is. Every point of a score comes from a flag, so the page can show why.

use std::sync::OnceLock;

use serde::Serialize;

use crate::boilerplate::Mask;
use crate::figure::{quoted_ranges, Figure};
use crate::numeral::starts_number;
use crate::outline::{Parsed, Part, PartKind};
use crate::text::{at, is_cjk, is_sentence_end, slice, trim_range, CharSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    Figure,
    Date,
    Document,
    Name,
    Place,
    Boilerplate,
    Vague,
    VagueQuantity,
    NoSpecifics,
}

impl FlagKind {
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::Figure => "具体数字",
            FlagKind::Date => "具体日期",
            FlagKind::Document => "文件名称",
            FlagKind::Name => "具体人名",
            FlagKind::Place => "具体单位或地点",
            FlagKind::Boilerplate => "套话",
            FlagKind::Vague => "模糊表述",
            FlagKind::VagueQuantity => "模糊数量",
            FlagKind::NoSpecifics => "无具体事实",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub label: &'static str,
    /// The words that raised the flag.
    pub text: String,
    /// Points this flag added to (or took from) the sentence's score.
    pub points: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub part: Option<PartKind>,
    /// A heading title rather than a sentence of the body.
    pub heading: bool,
    pub score: u8,
    pub flags: Vec<Flag>,
}

/// Words that describe without committing, anywhere in a report.
const VAGUE_QUANTITIES: &[&str] = &[
    "多次",
    "若干",
    "一批",
    "大量",
    "诸多",
    "许多",
    "很多",
    "不少",
    "大部分",
    "大多数",
    "一系列",
    "各类",
    "一些",
    "部分",
    "个别",
    "有的",
    "少数",
    "某些",
    "几个",
    "数次",
];

/// Words that make a stated problem impossible to check or rectify.
const VAGUE_PROBLEM: &[&str] = &[
    "还不够",
    "不够",
    "有待进一步",
    "有待",
    "有所欠缺",
    "欠缺",
    "一定程度",
    "不同程度",
    "或多或少",
    "仍需",
    "还需",
    "需进一步",
    "进一步",
    "较为",
    "比较",
    "相对",
    "不强",
    "不足",
    "不到位",
    "不深不细",
    "不明显",
    "不充分",
    "不平衡",
    "存在差距",
    "有差距",
    "差距",
    "薄弱",
    "时有发生",
    "有所",
    "还存在",
    "仍然存在",
    "仍存在",
    "不高",
    "一般",
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡杜叶苏魏吕丁沈姚卢姜崔钟谭陆汪范廖贾夏韦邹孟熊秦邱尹薛闫雷侯陶黎贺顾毛郝龚邵钱覃戴莫孔汤";
const TITLES: &[&str] = &[
    "同志",
    "书记",
    "主任",
    "院长",
    "局长",
    "处长",
    "部长",
    "科长",
    "教授",
    "医生",
    "医师",
    "主席",
    "县长",
    "市长",
    "镇长",
    "校长",
    "老师",
    "名医",
    "护士长",
    "委员",
    "组长",
];
const PLACE_SUFFIXES: &[&str] = &[
    "医院",
    "大学",
    "学院",
    "院区",
    "中学",
    "小学",
    "展馆",
    "街道",
    "卫生院",
    "中心",
    "公司",
    "村委会",
    "镇",
    "乡",
    "村",
    "县",
    "市",
    "省",
];
const GENERIC_PREFIXES: &[&str] = &[
    "公立", "基层", "上级", "定点", "各级", "县级", "市级", "三甲", "二级", "三级", "所属", "直属",
    "所在", "本地", "辖区", "相关", "各类", "全部", "有关", "医疗", "全国", "全省", "全市", "全县",
    "全区", "各个", "本级", "下级", "城市", "农村", "乡镇", "城乡", "教学", "清廉", "示范", "先进",
    "服务", "人民", "中医", "专科", "综合", "二甲", "民营", "市区", "县区", "区县", "省市", "地市",
    "深入", "走进", "进入", "到达", "设置",
];

/// Words to look for, longest first, with the set of their first characters so
/// that most positions are dismissed by one bitmap test.
struct WordList {
    firsts: CharSet,
    words: Vec<&'static str>,
}

impl WordList {
    fn new(words: &[&'static str]) -> WordList {
        let mut w = words.to_vec();
        w.sort_by_key(|x| std::cmp::Reverse(x.chars().count()));
        WordList {
            firsts: CharSet::first_chars(words),
            words: w,
        }
    }
}

fn vague_quantities() -> &'static WordList {
    static M: OnceLock<WordList> = OnceLock::new();
    M.get_or_init(|| WordList::new(VAGUE_QUANTITIES))
}

fn vague_problem() -> &'static WordList {
    static M: OnceLock<WordList> = OnceLock::new();
    M.get_or_init(|| WordList::new(VAGUE_PROBLEM))
}

struct Sets {
    surnames: CharSet,
    not_in_names: CharSet,
    place_firsts: CharSet,
    title_firsts: CharSet,
}

fn sets() -> &'static Sets {
    static M: OnceLock<Sets> = OnceLock::new();
    M.get_or_init(|| Sets {
        surnames: CharSet::new([SURNAMES]),
        not_in_names: CharSet::new([
            "全各我本该此两在到的和与及个其每城并据向对于进入至赴为从由将把被",
        ]),
        place_firsts: CharSet::first_chars(PLACE_SUFFIXES),
        title_firsts: CharSet::first_chars(TITLES),
    })
}

/// Non-overlapping occurrences of listed words in `a..b`.
fn find_words(chars: &[char], a: usize, b: usize, list: &WordList, out: &mut Vec<&'static str>) {
    let mut i = a;
    while i < b {
        if list.firsts.contains(chars[i]) {
            if let Some(w) = list.words.iter().find(|w| at(&chars[..b], i, w)) {
                out.push(w);
                i += w.chars().count();
                continue;
            }
        }
        i += 1;
    }
}

/// Dates written down to the month ("4月14日", "2023年3月", "三月份").
fn dates(chars: &[char], a: usize, b: usize, out: &mut Vec<String>) {
    if !chars[a..b].contains(&'月') {
        return;
    }
    let mut i = a;
    while i < b {
        if !starts_number(chars[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < b && (starts_number(chars[i]) || matches!(chars[i], '十' | '〇')) {
            i += 1;
        }
        if i < b && chars[i] == '月' && i - s <= 2 {
            let mut e = i + 1;
            let d = e;
            while e < b && (starts_number(chars[e]) || chars[e] == '十') {
                e += 1;
            }
            if e > d && e < b && matches!(chars[e], '日' | '号') {
                out.push(slice(chars, s, e + 1));
                i = e + 1;
                continue;
            }
            if s > a && chars[s - 1] == '年' {
                out.push(slice(chars, s, i + 1));
            } else if at(chars, i + 1, "份")
                || at(chars, i + 1, "底")
                || at(chars, i + 1, "中旬")
                || at(chars, i + 1, "上旬")
                || at(chars, i + 1, "下旬")
            {
                out.push(slice(chars, s, i + 2));
            }
            i += 1;
        }
    }
}

fn names(chars: &[char], a: usize, b: usize, out: &mut Vec<String>) {
    let sets = sets();
    for k in a..b {
        if !sets.surnames.contains(chars[k]) {
            continue;
        }
        if at(chars, k, "习近平") {
            continue;
        }
        for given in 1..=2 {
            let t = k + 1 + given;
            if t > b || !chars[k + 1..t].iter().all(|&c| is_cjk(c)) {
                break;
            }
            if t >= b || !sets.title_firsts.contains(chars[t]) {
                continue;
            }
            if let Some(title) = TITLES.iter().find(|w| at(&chars[..b], t, w)) {
                out.push(slice(chars, k, t + title.chars().count()));
                break;
            }
        }
    }
}

/// Named units and places: a name (or a withheld name, ××/**) before a suffix
/// such as 医院, 大学, 中心. A single-character suffix (市, 县, 村 …) counts only
/// after a withheld name: "全市", "各县" and "贫困县" are not places.
fn places(chars: &[char], a: usize, b: usize, quoted: &[(usize, usize)], out: &mut Vec<String>) {
    let placeholder = |c: char| matches!(c, '×' | '*' | 'X');
    let sets = sets();
    for k in a + 2..b {
        if !sets.place_firsts.contains(chars[k]) {
            continue;
        }
        if quoted
            .iter()
            .any(|&(s, e)| s <= k && k < e && chars[s] == '“')
        {
            continue;
        }
        for suf in PLACE_SUFFIXES {
            if !at(&chars[..b], k, suf) {
                continue;
            }
            let single = suf.chars().count() == 1;
            let next = chars.get(k + suf.chars().count()).copied().unwrap_or('。');
            let p = &chars[k - 2..k];
            if single && !(placeholder(p[0]) && placeholder(p[1])) {
                continue;
            }
            if single
                && matches!(
                    next,
                    '委' | '政'
                        | '直'
                        | '级'
                        | '场'
                        | '民'
                        | '里'
                        | '属'
                        | '域'
                        | '内'
                        | '外'
                        | '区'
                        | '镇'
                        | '长'
                )
            {
                continue;
            }
            if *suf == "中心" && matches!(next, '组' | '工' | '任' | '环') {
                continue;
            }
            if matches!(*suf, "中学" | "小学") && next == '习' {
                continue;
            }
            let proper = |c: char| (is_cjk(c) && !sets.not_in_names.contains(c)) || placeholder(c);
            if !(proper(p[0]) && proper(p[1])) {
                continue;
            }
            let ps: String = p.iter().collect();
            if GENERIC_PREFIXES.contains(&ps.as_str()) {
                continue;
            }
            out.push(format!("{ps}{suf}"));
            break;
        }
    }
}

/// The sentences of the document: heading titles, then the body split at sentence ends.
pub fn sentences(chars: &[char], parsed: &Parsed) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    if let Some((a, b)) = parsed.title {
        out.push((a, b, true));
    }
    for n in &parsed.nodes {
        if n.title.1 > n.title.0 {
            out.push((n.title.0, n.title.1, true));
        }
    }
    for p in &parsed.paras {
        let mut s = p.start;
        for k in p.start..p.end {
            if is_sentence_end(chars[k]) {
                // Keep a closing quote with its sentence.
                let mut e = k + 1;
                while e < p.end && matches!(chars[e], '”' | '’' | '」' | '）' | ')') {
                    e += 1;
                }
                let (x, y) = trim_range(chars, s, e);
                if chars[x..y].iter().filter(|&&c| is_cjk(c)).count() >= 2 {
                    out.push((x, y, false));
                }
                s = e;
            }
        }
        let (x, y) = trim_range(chars, s, p.end);
        if chars[x..y].iter().filter(|&&c| is_cjk(c)).count() >= 2 {
            out.push((x, y, false));
        }
    }
    out.sort_by_key(|s| s.0);
    out.dedup_by_key(|s| s.0);
    out
}

pub struct Scored {
    pub sentences: Vec<Sentence>,
    pub score: u8,
    pub explained: Vec<String>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Stats {
    pub chars: usize,
    pub sentences: usize,
    pub figures: usize,
    pub figures_per_1000_chars: f64,
    /// Share of the body's characters inside boilerplate phrases.
    pub boilerplate_share: f64,
    pub vague_words: usize,
    pub vague_words_in_problems: usize,
    pub mean_sentence_score: f64,
    pub problems_score: Option<f64>,
    pub problems_with_measures: Option<f64>,
}

fn part_of(parts: &[Part], i: usize) -> Option<PartKind> {
    parts
        .iter()
        .find(|p| p.start <= i && i < p.end)
        .map(|p| p.kind)
}

fn clamp(v: f64) -> u8 {
    v.round().clamp(0.0, 100.0) as u8
}

/// Scores every sentence and the whole report.
pub fn score(
    chars: &[char],
    parsed: &Parsed,
    parts: &[Part],
    figures: &[Figure],
    mask: &Mask,
    problems_answered: Option<(usize, usize)>,
) -> Scored {
    let spans = sentences(chars, parsed);
    let mut out = Vec::with_capacity(spans.len());
    let mut fig_i = 0;
    let mut figs_sorted: Vec<&Figure> = figures.iter().collect();
    figs_sorted.sort_by_key(|f| f.start);
    let mut stats = Stats {
        chars: chars.iter().filter(|c| !c.is_whitespace()).count(),
        figures: figures.len(),
        ..Stats::default()
    };
    let mut words = Vec::new();
    let mut found = Vec::new();
    let (mut bp_marked, mut bp_total) = (0usize, 0usize);
    for (a, b, heading) in spans {
        let part = part_of(parts, a);
        let mut flags: Vec<Flag> = Vec::new();
        let mut s = 45.0f64;
        let mut concrete = false;
        // Figures.
        while fig_i < figs_sorted.len() && figs_sorted[fig_i].start < a {
            fig_i += 1;
        }
        let mut k = fig_i;
        let mut nfig = 0;
        while k < figs_sorted.len() && figs_sorted[k].start < b {
            let f = figs_sorted[k];
            let pts = if nfig < 3 { 15 } else { 0 };
            nfig += 1;
            flags.push(Flag {
                kind: FlagKind::Figure,
                label: FlagKind::Figure.label(),
                text: slice(chars, f.start, f.end),
                points: pts,
            });
            s += pts as f64;
            concrete = true;
            k += 1;
        }
        found.clear();
        dates(chars, a, b, &mut found);
        for (n, d) in found.drain(..).enumerate() {
            let pts = if n < 2 { 8 } else { 0 };
            s += pts as f64;
            concrete = true;
            flags.push(Flag {
                kind: FlagKind::Date,
                label: FlagKind::Date.label(),
                text: d,
                points: pts,
            });
        }
        let quoted = quoted_ranges(chars, a, b);
        let mut ndoc = 0;
        for &(qa, qb) in &quoted {
            if chars[qa] == '《' {
                let pts = if ndoc < 2 { 8 } else { 0 };
                ndoc += 1;
                s += pts as f64;
                concrete = true;
                flags.push(Flag {
                    kind: FlagKind::Document,
                    label: FlagKind::Document.label(),
                    text: slice(chars, qa, qb),
                    points: pts,
                });
            }
        }
        names(chars, a, b, &mut found);
        for (n, d) in found.drain(..).enumerate() {
            let pts = if n < 2 { 10 } else { 0 };
            s += pts as f64;
            concrete = true;
            flags.push(Flag {
                kind: FlagKind::Name,
                label: FlagKind::Name.label(),
                text: d,
                points: pts,
            });
        }
        places(chars, a, b, &quoted, &mut found);
        for (n, d) in found.drain(..).enumerate() {
            let pts = if n < 2 { 6 } else { 0 };
            s += pts as f64;
            concrete = true;
            flags.push(Flag {
                kind: FlagKind::Place,
                label: FlagKind::Place.label(),
                text: d,
                points: pts,
            });
        }
        // Boilerplate.
        let (marked, total) = mask.count(a, b);
        if !heading {
            bp_marked += marked;
            bp_total += total;
        }
        if total > 0 && marked > 0 {
            let share = marked as f64 / total as f64;
            let pts = -(share * 45.0).round() as i32;
            s += pts as f64;
            let mut text = String::new();
            let lo = mask.clean.pos.partition_point(|&p| (p as usize) < a);
            let hi = mask.clean.pos.partition_point(|&p| (p as usize) < b);
            let mut in_run = false;
            for i in lo..hi {
                if mask.marked[i] {
                    if !in_run && !text.is_empty() {
                        text.push('…');
                    }
                    text.push(mask.clean.chars[i]);
                    in_run = true;
                } else {
                    in_run = false;
                }
            }
            flags.push(Flag {
                kind: FlagKind::Boilerplate,
                label: FlagKind::Boilerplate.label(),
                text,
                points: pts,
            });
        }
        // Vague words.
        words.clear();
        find_words(chars, a, b, vague_quantities(), &mut words);
        let vq = words.len();
        let in_problems = part == Some(PartKind::Problems);
        for (n, w) in words.drain(..).enumerate() {
            let pts = if n < 3 {
                if in_problems {
                    -12
                } else {
                    -6
                }
            } else {
                0
            };
            s += pts as f64;
            flags.push(Flag {
                kind: FlagKind::VagueQuantity,
                label: FlagKind::VagueQuantity.label(),
                text: w.to_string(),
                points: pts,
            });
        }
        stats.vague_words += vq;
        if in_problems {
            stats.vague_words_in_problems += vq;
            find_words(chars, a, b, vague_problem(), &mut words);
            stats.vague_words += words.len();
            stats.vague_words_in_problems += words.len();
            for (n, w) in words.drain(..).enumerate() {
                let pts = if n < 3 { -10 } else { 0 };
                s += pts as f64;
                flags.push(Flag {
                    kind: FlagKind::Vague,
                    label: FlagKind::Vague.label(),
                    text: w.to_string(),
                    points: pts,
                });
            }
        }
        if !concrete && !heading && b - a >= 20 {
            s -= 10.0;
            flags.push(Flag {
                kind: FlagKind::NoSpecifics,
                label: FlagKind::NoSpecifics.label(),
                text: String::new(),
                points: -10,
            });
        }
        out.push(Sentence {
            start: a,
            end: b,
            text: slice(chars, a, b),
            part,
            heading,
            score: clamp(s),
            flags,
        });
    }
    // The report: sentences weighted by length, figure density, the problems part.
    let body: Vec<&Sentence> = out.iter().filter(|s| !s.heading).collect();
    let wsum: f64 = body.iter().map(|s| (s.end - s.start) as f64).sum();
    let mean = if wsum > 0.0 {
        body.iter()
            .map(|s| s.score as f64 * (s.end - s.start) as f64)
            .sum::<f64>()
            / wsum
    } else {
        0.0
    };
    let density = if stats.chars > 0 {
        figures.len() as f64 * 1000.0 / stats.chars as f64
    } else {
        0.0
    };
    let fig_score = (density * 25.0).min(100.0);
    let probs: Vec<&&Sentence> = body
        .iter()
        .filter(|s| s.part == Some(PartKind::Problems))
        .collect();
    let has_problems = parts
        .iter()
        .any(|p| p.kind == PartKind::Problems && !p.items.is_empty());
    let prob_score = if probs.is_empty() {
        None
    } else {
        let w: f64 = probs.iter().map(|s| (s.end - s.start) as f64).sum();
        Some(
            probs
                .iter()
                .map(|s| s.score as f64 * (s.end - s.start) as f64)
                .sum::<f64>()
                / w.max(1.0),
        )
    };
    let answered = problems_answered
        .filter(|&(_, n)| n > 0)
        .map(|(a, n)| a as f64 / n as f64);
    let p_part = prob_score.unwrap_or(20.0);
    let l_part = answered.map(|a| a * 100.0).unwrap_or(0.0);
    let total = 0.45 * mean + 0.25 * fig_score + 0.2 * p_part + 0.1 * l_part;
    stats.sentences = body.len();
    stats.figures_per_1000_chars = (density * 100.0).round() / 100.0;
    stats.boilerplate_share = if bp_total > 0 {
        ((bp_marked as f64 / bp_total as f64) * 1000.0).round() / 1000.0
    } else {
        0.0
    };
    stats.mean_sentence_score = (mean * 10.0).round() / 10.0;
    stats.problems_score = prob_score.map(|v| (v * 10.0).round() / 10.0);
    stats.problems_with_measures = answered.map(|v| (v * 1000.0).round() / 1000.0);
    let mut explained = vec![
        format!(
            "句子平均得分 {:.0}（按长度加权，占 45%）：套话占正文 {:.0}%，模糊表述 {} 处",
            mean,
            stats.boilerplate_share * 100.0,
            stats.vague_words
        ),
        format!(
            "数字密度 {:.1} 个/千字，计 {:.0} 分（占 25%）：共 {} 个具体数字",
            density,
            fig_score,
            figures.len()
        ),
    ];
    explained.push(match prob_score {
        Some(p) => format!(
            "问题部分得分 {:.0}（占 20%）：其中模糊表述 {} 处",
            p, stats.vague_words_in_problems
        ),
        None if has_problems => "问题部分无正文句子，按 20 分计（占 20%）".to_string(),
        None => "报告未列出存在问题，按 20 分计（占 20%）".to_string(),
    });
    explained.push(match problems_answered {
        Some((a, n)) if n > 0 => format!("{n} 个问题中 {a} 个有对应的整改措施（占 10%）"),
        _ => "没有可对应的问题与措施，计 0 分（占 10%）".to_string(),
    });
    Scored {
        sentences: out,
        score: clamp(total),
        explained,
        stats,
    }
}
