//! Quantitative statements: "领导班子成员累计开展调研204人次" → {what: 开展调研, 204, 人次}.
//!
//! A figure is a numeral with a measure word (or %, or a 万/亿 scale), read with the
//! qualifiers around it (近/约/至少/不少于 before, 余/多 between, 以上/左右 after), a
//! range (3至5次), a frequency (每月一次) and the phrase it counts.
//!
//! What is not a figure, following how official texts use numerals (GB/T 15835):
//! years and dates (2023年, 二〇二三年, 4月14日), ordinals (第三轮, 第一议题), list
//! markers (already cut off by the outline), numerals inside quotation marks or
//! document titles (“两个确立”“5个更加”《九项准则》) and fixed formulas (八项规定).
//! A Chinese numeral with a measure word of kinds (个/项/条/类/种/件) and nothing that
//! makes it a quantity (a qualifier, a frequency) names a set — 四个方面, 十项行动 —
//! rather than counting; counts of people, events, time and money are figures
//! whichever numerals they are written in (两次, 三十余次, 四名). 一 with a measure word
//! is the indefinite article ("一项重大政治任务") unless a qualifier or frequency
//! makes it a quantity ("每月一次", "一次以上").

use std::sync::OnceLock;

use serde::Serialize;

use crate::numeral::{parse_number, starts_number, NumKind, Number};
use crate::text::{at, ends_at, is_cjk, slice, CharSet};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figure {
    /// The phrase the number counts ("开展调研", "调研课题").
    pub what: String,
    pub number: f64,
    /// Upper end of a range ("3至5次").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Measure word as written: 人次, 名, 万元, %, 学时 …
    pub unit: String,
    /// 余/多/近/约/以上/不少于/至少 … as written.
    pub qualifier: Option<String>,
    /// Frequency: 每月, 每年 …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// The clause the figure stands in.
    pub text: String,
    /// Position of the figure itself (qualifier to unit) in the document.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    /// Kinds of things (个, 项, 条 …): with a bare Chinese numeral, a name.
    Kind,
    /// People, events, time, money, measures: always a quantity.
    Count,
}

/// Measure words, longest first where one is a prefix of another.
const UNITS: &[(&str, UnitKind)] = &[
    ("个百分点", UnitKind::Count),
    ("百分点", UnitKind::Count),
    ("平方米", UnitKind::Count),
    ("人次", UnitKind::Count),
    ("场次", UnitKind::Count),
    ("批次", UnitKind::Count),
    ("轮次", UnitKind::Count),
    ("个月", UnitKind::Count),
    ("学时", UnitKind::Count),
    ("课时", UnitKind::Count),
    ("小时", UnitKind::Count),
    ("分钟", UnitKind::Count),
    ("万元", UnitKind::Count),
    ("亿元", UnitKind::Count),
    ("千元", UnitKind::Count),
    ("公里", UnitKind::Count),
    ("个", UnitKind::Kind),
    ("项", UnitKind::Kind),
    ("条", UnitKind::Kind),
    ("类", UnitKind::Kind),
    ("种", UnitKind::Kind),
    ("件", UnitKind::Kind),
    ("%", UnitKind::Count),
    ("％", UnitKind::Count),
    ("人", UnitKind::Count),
    ("名", UnitKind::Count),
    ("位", UnitKind::Count),
    ("户", UnitKind::Count),
    ("次", UnitKind::Count),
    ("场", UnitKind::Count),
    ("期", UnitKind::Count),
    ("批", UnitKind::Count),
    ("轮", UnitKind::Count),
    ("趟", UnitKind::Count),
    ("遍", UnitKind::Count),
    ("起", UnitKind::Count),
    ("例", UnitKind::Count),
    ("宗", UnitKind::Count),
    ("天", UnitKind::Count),
    ("周", UnitKind::Count),
    ("元", UnitKind::Count),
    ("家", UnitKind::Count),
    ("所", UnitKind::Count),
    ("份", UnitKind::Count),
    ("篇", UnitKind::Count),
    ("部", UnitKind::Count),
    ("本", UnitKind::Count),
    ("套", UnitKind::Count),
    ("台", UnitKind::Count),
    ("辆", UnitKind::Count),
    ("处", UnitKind::Count),
    ("座", UnitKind::Count),
    ("间", UnitKind::Count),
    ("张", UnitKind::Count),
    ("册", UnitKind::Count),
    ("支", UnitKind::Count),
    ("门", UnitKind::Count),
    ("笔", UnitKind::Count),
    ("封", UnitKind::Count),
    ("幅", UnitKind::Count),
    ("块", UnitKind::Count),
    ("亩", UnitKind::Count),
    ("吨", UnitKind::Count),
    ("倍", UnitKind::Count),
    ("米", UnitKind::Count),
];

/// Fixed expressions of the genre that contain a numeral and a measure word but
/// state no quantity.
const FORMULAS: &[&str] = &[
    "八项规定",
    "六项纪律",
    "九项准则",
    "两个确立",
    "两个维护",
    "四个意识",
    "四个自信",
    "四个服从",
    "四个全面",
    "两个责任",
    "两个务必",
    "三个代表",
    "四个亲自",
    "四种形态",
    "两个一百年",
    "三个务必",
    "八小时以外",
    "八小时以内",
    "八小时工作外",
    "八小时之外",
    "八小时外",
    "三个区分开来",
    "两个结合",
    "两个先行",
    "五个必须",
];

/// Words after which 一名 / 一位 is the indefinite article.
const ARTICLE_BEFORE: &[&str] = &[
    "作为", "是", "为", "做", "当", "成为", "像", "当好", "做好", "争做",
];

/// Things that are counted, not named: after a Chinese numeral and 个/项/条/类/种/件
/// they make a figure ("三个村"), where abstract words make a name ("四个方面").
const CONCRETE: &[&str] = &[
    "村",
    "社区",
    "党支部",
    "支部",
    "党组织",
    "党小组",
    "学校",
    "医院",
    "单位",
    "乡镇",
    "镇",
    "街道",
    "部门",
    "科室",
    "企业",
    "家庭",
    "项目",
    "班子",
    "案件",
    "问题线索",
    "网格",
    "小区",
    "县",
    "区",
];

const PREFIX_QUALIFIERS: &[&str] = &[
    "不少于",
    "不低于",
    "不超过",
    "不高于",
    "不多于",
    "不足",
    "不到",
    "至少",
    "最少",
    "最多",
    "超过",
    "多于",
    "高于",
    "低于",
    "少于",
    "将近",
    "接近",
    "大约",
    "近",
    "约",
    "逾",
];
const SUFFIX_QUALIFIERS: &[&str] = &["以上", "以下", "以内", "左右", "之多"];
const RANGE: &[char] = &['至', '到', '-', '－', '～', '~', '—', '–'];

/// Leading words of the left context that are not part of what is counted.
const LEFT_NOISE: &[&str] = &[
    "针对",
    "对",
    "截至目前",
    "截止目前",
    "目前",
    "全年",
    "今年",
    "去年",
    "年内",
    "同时",
    "其中",
    "此外",
    "另外",
    "并且",
    "以及",
    "已经",
    "已",
    "并",
    "还",
    "均",
    "共计",
    "共",
    "累计",
    "先后",
    "分别",
    "和",
    "及",
    "与",
    "同比",
    "全院",
    "为",
    "通过",
];
/// Markers after which the counted phrase starts ("领导班子成员累计开展调研").
const SPLITTERS: &[&str] = &["累计", "共计", "合计", "总计", "先后", "分别", "共"];
const PREPOSITIONS: &[&str] = &[
    "针对", "对", "向", "为", "给", "从", "和", "与", "及", "在", "把", "将",
];

/// Characters that can follow a numeral in a figure: a measure word's first
/// character, a between-qualifier (余/多/几/来), a money scale, a range sign.
fn follow_set() -> &'static CharSet {
    static S: OnceLock<CharSet> = OnceLock::new();
    S.get_or_init(|| {
        let units: Vec<&str> = UNITS.iter().map(|u| u.0).collect();
        let mut all: Vec<&str> = units;
        all.extend([
            "余", "多", "几", "来", "万", "亿", "至", "到", "-", "－", "～", "~", "—", "–",
        ]);
        CharSet::first_chars(&all)
    })
}

fn unit_at(chars: &[char], j: usize, b: usize) -> Option<(&'static str, UnitKind, usize)> {
    for &(u, kind) in UNITS {
        let len = u.chars().count();
        if j + len <= b && at(chars, j, u) {
            // 周年 is an anniversary, not weeks; 名单 / 名称 are not people.
            if u == "周" && matches!(chars.get(j + 1), Some('年')) {
                return None;
            }
            if u == "名" && matches!(chars.get(j + 1), Some('单' | '称' | '义' | '列')) {
                return None;
            }
            return Some((u, kind, j + len));
        }
    }
    None
}

/// Ranges inside quotation marks and document titles, where numerals name things.
pub fn quoted_ranges(chars: &[char], a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = a;
    while i < b {
        let (close, limit) = match chars[i] {
            '《' => ('》', 80),
            '“' => ('”', 16),
            '「' => ('」', 16),
            '"' => ('"', 16),
            '〈' => ('〉', 40),
            _ => {
                i += 1;
                continue;
            }
        };
        let mut k = i + 1;
        while k < b && k - i <= limit && chars[k] != close && chars[k] != '\n' {
            k += 1;
        }
        if k < b && chars[k] == close && k - i <= limit {
            out.push((i, k + 1));
            i = k + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn clause_start(chars: &[char], a: usize, i: usize) -> usize {
    let mut k = i;
    while k > a
        && !matches!(
            chars[k - 1],
            '，' | ',' | '。' | '；' | ';' | '：' | ':' | '\n' | '！' | '？'
        )
    {
        k -= 1;
    }
    k
}

fn clause_end(chars: &[char], j: usize, b: usize) -> usize {
    let mut k = j;
    while k < b
        && !matches!(
            chars[k],
            '，' | ',' | '。' | '；' | ';' | '：' | ':' | '\n' | '！' | '？'
        )
    {
        k += 1;
    }
    k
}

fn strip_leading(s: &mut &[char], words: &[&str]) {
    loop {
        let mut hit = false;
        for w in words {
            let n = w.chars().count();
            if s.len() > n && at(s, 0, w) {
                *s = &s[n..];
                hit = true;
                break;
            }
        }
        // A year or ×× placeholder year at the start: "××年发展9名预备党员".
        if !hit {
            if let Some(p) = s.iter().take(6).position(|&c| c == '年') {
                if p > 0
                    && s[..p].iter().all(|&c| {
                        c.is_ascii_digit()
                            || matches!(
                                c,
                                '×' | 'X'
                                    | 'x'
                                    | '*'
                                    | '〇'
                                    | '零'
                                    | '一'
                                    | '二'
                                    | '三'
                                    | '四'
                                    | '五'
                                    | '六'
                                    | '七'
                                    | '八'
                                    | '九'
                            )
                    })
                {
                    let mut q = p + 1;
                    if s.get(q) == Some(&'度') {
                        q += 1;
                    }
                    if s.len() > q {
                        *s = &s[q..];
                        continue;
                    }
                }
            }
            return;
        }
    }
}

/// The phrase a figure counts, from the clause around it.
/// `list`: another figure follows in the clause, so a 、 on the right starts the
/// next item rather than continuing this one's noun.
fn what_of(chars: &[char], left: (usize, usize), right: (usize, usize), list: bool) -> String {
    let mut l: &[char] = &chars[left.0..left.1];
    // Trim punctuation at the edge, but not an opening quote that closes inside,
    // nor the ×× / ** that stand for names withheld.
    while let Some((&c, rest)) = l.split_first() {
        let keep = is_cjk(c)
            || c.is_alphanumeric()
            || matches!(c, '×' | '*' | 'X')
            || (c == '“' && rest.contains(&'”'));
        if keep {
            break;
        }
        l = rest;
    }
    strip_leading(&mut l, LEFT_NOISE);
    // A long left context listing several things: the last of them.
    if l.len() > 16 {
        if let Some(p) = l.iter().rposition(|&c| c == '、') {
            if l.len() - p > 3 {
                l = &l[p + 1..];
            }
        }
    }
    // "领导班子成员累计开展调研" → "开展调研"
    let mut best: Option<usize> = None;
    for sp in SPLITTERS {
        let n = sp.chars().count();
        for k in 0..l.len() {
            if at(l, k, sp) {
                // 共产党员 / 共建 / 公共 are words, not "in total".
                if *sp == "共"
                    && matches!(
                        l.get(k + 1),
                        Some('产' | '建' | '享' | '同' | '识' | '青' | '性' | '治')
                    )
                {
                    continue;
                }
                if *sp == "共" && k > 0 && matches!(l[k - 1], '公' | '总' | '一') {
                    continue;
                }
                let after = k + n;
                if best.is_none_or(|b| after > b) {
                    best = Some(after);
                }
            }
        }
    }
    let mut subject: &[char] = &[];
    if let Some(b) = best {
        if l.len() - b >= 2 {
            l = &l[b..];
        } else {
            subject = &l[..b.saturating_sub(1).min(l.len())];
            l = &l[b.min(l.len())..];
        }
    }
    let mut ends_with_deng = false;
    if l.last() == Some(&'等') {
        ends_with_deng = true;
        l = &l[..l.len() - 1];
    }
    for p in PREPOSITIONS {
        if l.len() >= p.chars().count()
            && ends_at(l, l.len(), p)
            && l.len() - p.chars().count() <= 2
        {
            l = &l[..l.len() - p.chars().count()];
        }
    }
    if PREPOSITIONS
        .iter()
        .any(|p| p.chars().count() == l.len() && at(l, 0, p))
    {
        l = &[];
    }
    // The right context: the noun after the measure word, up to a function word.
    let mut r: &[char] = &chars[right.0..right.1];
    if r.first() == Some(&'的') {
        r = &r[1..];
    }
    let mut cut = r.len().min(14);
    for (k, &c) in r.iter().enumerate().take(cut) {
        if (list && c == '、')
            || (k >= 2
                && matches!(
                    c,
                    '在' | '与'
                        | '于'
                        | '从'
                        | '向'
                        | '把'
                        | '将'
                        | '被'
                        | '由'
                        | '按'
                        | '经'
                        | '使'
                        | '让'
                        | '的'
                        | '和'
                        | '及'
                        | '“'
                ))
        {
            cut = k;
            break;
        }
    }
    let r = &r[..cut];
    let mut s: String;
    if ends_with_deng && !r.is_empty() {
        s = r.iter().collect();
    } else if l.is_empty() {
        s = subject.iter().collect();
        s.extend(r.iter());
    } else {
        s = l.iter().collect();
        s.extend(r.iter());
    }
    let t: Vec<char> = s.chars().collect();
    if t.len() > 24 {
        s = t[t.len() - 24..].iter().collect();
    }
    s.trim_matches(|c: char| !(is_cjk(c) || c.is_alphanumeric() || c == '”' || c == '“'))
        .to_string()
}

fn prefix_qualifier(chars: &[char], floor: usize, i: usize) -> Option<(&'static str, usize)> {
    for q in PREFIX_QUALIFIERS {
        let n = q.chars().count();
        if i >= floor + n && ends_at(chars, i, q) {
            return Some((q, i - n));
        }
    }
    // "每月至少开展1次": a bound word may stand before the verb.
    for q in ["至少", "不少于", "不低于", "最少", "最多", "不超过", "超过"] {
        let n = q.chars().count();
        for gap in 1..=4 {
            if i < floor + n + gap {
                break;
            }
            if chars[i - gap].is_ascii_punctuation() || !is_cjk(chars[i - gap]) {
                break;
            }
            if ends_at(chars, i - gap, q) {
                return Some((q, i));
            }
        }
    }
    None
}

/// The nearest 每X before `i` in the clause.
fn per_of(chars: &[char], from: usize, i: usize) -> Option<String> {
    let mut k = i;
    while k > from {
        k -= 1;
        if chars[k] == '每' {
            let rest = &chars[k + 1..i];
            for w in [
                "季度", "半年", "年度", "学期", "年", "月", "周", "季", "天", "日", "人", "名",
                "次", "期", "届", "个月",
            ] {
                if at(rest, 0, w) {
                    return Some(format!("每{w}"));
                }
            }
            return None;
        }
    }
    None
}

/// One numeral in context; returns the figure and the position to continue from.
fn read_at(
    chars: &[char],
    a: usize,
    b: usize,
    i: usize,
    prev_end: usize,
) -> Result<(Figure, usize), usize> {
    let bound = &chars[..b];
    let percent_words = at(chars, i, "百分之");
    let num_at = if percent_words { i + 3 } else { i };
    let num: Number = match parse_number(bound, num_at) {
        Some(n) => n,
        None => return Err(i + 1),
    };
    let skip = Err(num.end.max(i + 1));
    if num.kind == NumKind::ChineseDigits {
        return skip;
    }
    // Most numerals in running text (一是, 统一, 进一步) have no measure word after
    // them: dismiss those before any other test.
    match chars.get(num.end) {
        Some(&c) if num.end < b && (follow_set().contains(c) || (num.scaled && !percent_words)) => {
        }
        _ if percent_words => {}
        _ => return skip,
    }
    if i > a {
        let p = chars[i - 1];
        // Ordinals (第三), codes (G20, 1+3+N), and vague numbers (几十人, 数百名).
        if matches!(p, '第' | '几' | '数' | '若' | '+' | '.' | '．' | '/' | '-')
            || p.is_ascii_alphabetic()
        {
            return skip;
        }
        if chars[i] == '一'
            && num.end == i + 1
            && matches!(
                p,
                '统' | '唯' | '逐' | '专' | '划' | '归' | '合' | '同' | '初' | '之' | '万' | '单'
            )
        {
            return skip;
        }
    }
    if FORMULAS.iter().any(|f| at(chars, i, f)) {
        return skip;
    }
    let mut j = num.end;
    let mut number = num.value;
    let mut max = None;
    let unit: String;
    let kind: UnitKind;
    let mut mid: Option<&'static str> = None;
    if percent_words {
        unit = "%".to_string();
        kind = UnitKind::Count;
    } else {
        // Money in 万元/亿元 (the numeral parser leaves 万 before 元 alone).
        let mut money_scale: Option<char> = None;
        if num.kind == NumKind::Arabic && !num.scaled && j < b && matches!(chars[j], '万' | '亿')
        {
            money_scale = Some(chars[j]);
            j += 1;
        }
        if j < b && matches!(chars[j], '余' | '多' | '几' | '来') {
            mid = Some(match chars[j] {
                '余' => "余",
                '多' => "多",
                '几' => "几",
                _ => "来",
            });
            j += 1;
        }
        // A range written before the unit: 3至5次, 三到五次.
        if mid.is_none() && j < b && RANGE.contains(&chars[j]) {
            if let Some(n2) = parse_number(bound, j + 1) {
                if n2.kind != NumKind::ChineseDigits
                    && n2.value > number
                    && unit_at(chars, n2.end, b).is_some()
                {
                    max = Some(n2.value);
                    j = n2.end;
                }
            }
        }
        match unit_at(chars, j, b) {
            Some((u, k, e)) => {
                if let Some(s) = money_scale {
                    if u != "元" {
                        return skip;
                    }
                    unit = format!("{s}元");
                } else if u == "元"
                    && num.kind == NumKind::Chinese
                    && num.scaled
                    && matches!(chars[num.end - 1], '万' | '亿')
                {
                    // "五万元" as "5万元": money in the unit reports use, whichever numerals.
                    let scale = if chars[num.end - 1] == '万' {
                        1e4
                    } else {
                        1e8
                    };
                    number = num.value / scale;
                    unit = format!("{}元", chars[num.end - 1]);
                } else {
                    unit = u.to_string();
                }
                kind = k;
                j = e;
            }
            None if num.scaled && money_scale.is_none() => {
                unit = String::new();
                kind = UnitKind::Count;
            }
            None => return skip,
        }
    }
    // Calendar words right after the unit: "3个月" is fine, "5年" never got here.
    let mut qualifier: Option<String> = None;
    let floor = a.max(prev_end);
    let mut start = i;
    if let Some((q, s)) = prefix_qualifier(chars, floor, i) {
        qualifier = Some(q.to_string());
        start = s;
    }
    if qualifier.is_none() {
        if let Some(m) = mid {
            qualifier = Some(m.to_string());
        }
    }
    for q in SUFFIX_QUALIFIERS {
        if at(chars, j, q) && j + q.chars().count() <= b {
            if qualifier.is_none() {
                qualifier = Some(q.to_string());
            }
            j += q.chars().count();
            break;
        }
    }
    // A range written after the unit: 10%-20%.
    if max.is_none() && j < b && RANGE.contains(&chars[j]) {
        if let Some(n2) = parse_number(bound, j + 1) {
            if n2.value > number && at(chars, n2.end, &unit) && !unit.is_empty() {
                max = Some(n2.value);
                j = n2.end + unit.chars().count();
            }
        }
    }
    let per = per_of(chars, clause_start(chars, a, start), start);
    let quantity_context = qualifier.is_some() || per.is_some() || max.is_some();
    let chinese = num.kind == NumKind::Chinese;
    if chinese && !quantity_context {
        let one = chars[i] == '一' && num.end == i + 1;
        let people = matches!(unit.as_str(), "名" | "位" | "人");
        // "作为一名党员": the indefinite article; "给予一名村干部处分": one cadre.
        if one && (!people || ARTICLE_BEFORE.iter().any(|w| ends_at(chars, start, w))) {
            return skip;
        }
        // Named sets (四个方面, 十项行动, 十二项举措) are small and name abstract
        // things; "十四个村", "三个村", "四十二件" count.
        if kind == UnitKind::Kind
            && !one
            && number <= 12.0
            && !CONCRETE.iter().any(|w| at(chars, j, w))
        {
            return skip;
        }
    }
    if unit == "%" && number > 1000.0 {
        return skip;
    }
    if percent_words {
        number = num.value;
    }
    let text_start = clause_start(chars, a, start);
    let fig = Figure {
        what: String::new(),
        number,
        max,
        unit,
        qualifier,
        per,
        text: slice(chars, text_start, clause_end(chars, j, b)),
        start,
        end: j,
    };
    Ok((fig, j))
}

/// Every figure in `chars[a..b]` (one sentence or paragraph, without its list marker).
pub fn extract(chars: &[char], a: usize, b: usize, out: &mut Vec<Figure>) {
    let quoted = quoted_ranges(chars, a, b);
    let mut q = 0;
    let mut i = a;
    let mut prev_end = a;
    let first = out.len();
    while i < b {
        while q < quoted.len() && quoted[q].1 <= i {
            q += 1;
        }
        if q < quoted.len() && quoted[q].0 <= i {
            i = quoted[q].1;
            continue;
        }
        let c = chars[i];
        if !(starts_number(c) || (c == '百' && at(chars, i, "百分之"))) {
            i += 1;
            continue;
        }
        match read_at(chars, a, b, i, prev_end) {
            Ok((f, next)) => {
                prev_end = next;
                i = next;
                out.push(f);
            }
            Err(next) => i = next,
        }
    }
    // The counted phrase: left context from the clause start (or the previous
    // figure, or the last 、 of a list), right context to the clause end (or the
    // next figure).
    for k in first..out.len() {
        let (fs, fe) = (out[k].start, out[k].end);
        let cs = clause_start(chars, a, fs);
        let mut left_from = cs;
        if k > first && out[k - 1].end > cs && out[k - 1].end <= fs {
            // In a list of figures ("学习25次、中心组学习23次") each one's phrase
            // starts after the 、 that follows the previous figure.
            left_from = out[k - 1].end;
            if let Some(p) = (left_from..fs).rev().find(|&p| chars[p] == '、') {
                left_from = p + 1;
            }
        }
        let mut ce = clause_end(chars, fe, b);
        let mut list = false;
        if k + 1 < out.len() && out[k + 1].start >= fe && out[k + 1].start < ce {
            ce = out[k + 1].start;
            list = true;
        }
        let mut w = what_of(chars, (left_from, fs), (fe, ce), list);
        if let Some(per) = &out[k].per {
            if w.chars().count() > per.chars().count() + 1 {
                w = w.replacen(per.as_str(), "", 1);
            }
        }
        out[k].what = w;
    }
}

/// Figures of a whole string (tests and quick use).
pub fn figures_in(s: &str) -> Vec<Figure> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    extract(&chars, 0, chars.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Figure {
        let f = figures_in(s);
        assert_eq!(f.len(), 1, "{s}: {f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn counts_with_subject() {
        let f = one("领导班子成员累计开展调研204人次，");
        assert_eq!(
            (f.number, f.unit.as_str(), f.what.as_str()),
            (204.0, "人次", "开展调研")
        );
        let f = one("全年共组织召开30余次党委会传达学习。");
        assert_eq!(
            (f.number, f.unit.as_str(), f.qualifier.as_deref()),
            (30.0, "次", Some("余"))
        );
        assert!(f.what.contains("党委会"), "{}", f.what);
    }

    #[test]
    fn chinese_numerals_and_qualifiers() {
        let f = one("组织专题学习三十余次");
        assert_eq!(
            (f.number, f.unit.as_str(), f.qualifier.as_deref()),
            (30.0, "次", Some("余"))
        );
        let f = one("每年培训至少两次");
        assert_eq!(
            (f.number, f.qualifier.as_deref(), f.per.as_deref()),
            (2.0, Some("至少"), Some("每年"))
        );
        let f = one("覆盖群众1.5万人次");
        assert_eq!((f.number, f.unit.as_str()), (15000.0, "人次"));
        let f = one("党员每年集中学习不少于24学时");
        assert_eq!(
            (f.number, f.unit.as_str(), f.qualifier.as_deref()),
            (24.0, "学时", Some("不少于"))
        );
        let f = one("服务时长均达到20小时以上");
        assert_eq!(f.qualifier.as_deref(), Some("以上"));
        let f = one("近百分之九十的党员参加");
        assert_eq!(
            (f.number, f.unit.as_str(), f.qualifier.as_deref()),
            (90.0, "%", Some("近"))
        );
    }

    #[test]
    fn money_percent_ranges() {
        let f = one("用于进修的费用为172.3万元");
        assert_eq!((f.number, f.unit.as_str()), (172.3, "万元"));
        let f = one("如实报告率100%");
        assert_eq!(
            (f.number, f.unit.as_str(), f.what.as_str()),
            (100.0, "%", "如实报告率")
        );
        let f = one("每季度开展3至5次督查");
        assert_eq!((f.number, f.max, f.unit.as_str()), (3.0, Some(5.0), "次"));
        let f = one("投入3万余元");
        assert_eq!(
            (f.number, f.unit.as_str(), f.qualifier.as_deref()),
            (3.0, "万元", Some("余"))
        );
    }

    #[test]
    fn not_figures() {
        for s in [
            "2023年，在市委坚强领导下",
            "二〇二三年工作总结",
            "于4月14日召开动员部署会",
            "已完成第三轮巡察",
            "坚决做到“两个维护”",
            "以“5个更加”为目标",
            "落实《廉洁从业九项准则》",
            "把这项工作作为一项重大政治任务来抓",
            "从四个方面入手",
            "违反八项规定精神",
            "对八小时以外的生活圈监督较少",
            "全市二级以上公立医院",
            "打造“1+3+N”人才培养体系",
            "对委直属各单位2021年以来的报告进行梳理",
        ] {
            assert!(figures_in(s).is_empty(), "{s}: {:?}", figures_in(s));
        }
    }

    #[test]
    fn several_in_one_sentence() {
        let f = figures_in("班子会“第一议题”学习25次、理论学习中心组学习23次、“三会一课”学习56次");
        assert_eq!(
            f.iter().map(|f| f.number).collect::<Vec<_>>(),
            vec![25.0, 23.0, 56.0]
        );
        assert!(f[1].what.contains("理论学习中心组"), "{}", f[1].what);
        let f = figures_in(
            "累计选派138人次局处级领导干部参加52期市委党校主体班次培训，开展网络专题培训7期",
        );
        assert_eq!(
            f.iter().map(|f| f.number).collect::<Vec<_>>(),
            vec![138.0, 52.0, 7.0]
        );
        assert!(f[2].what.contains("网络专题培训"), "{}", f[2].what);
    }
}
