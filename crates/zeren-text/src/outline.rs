//! The heading tree of an official document and the report's parts.
//!
//! Chinese official documents number their headings 一、 （一） 1. （1） ① (GB/T 9704
//! and common practice), but units skip levels, swap 1. for 1、, or start a list at a
//! level of their own. So the level of a heading is not read from its marker: the
//! first marker style seen becomes level 1, a new style nests under the current
//! heading, and a style seen before closes everything opened after it. That is a
//! small grammar no parsing crate knows, hence written here.
//!
//! Inside paragraphs, 一是…二是…三是 (and 第一，…第二，…) enumerate the points of a
//! heading; they are read as items of the heading's paragraph.

use serde::Serialize;

use crate::numeral::{cn_digit, parse_chinese, NumKind};
use crate::text::{at, digit_value, slice, trim_range};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerStyle {
    /// 第一部分 / 第一章
    Chapter,
    /// 一、
    CnComma,
    /// （一）
    CnParen,
    /// 1. 1、 1．
    Arabic,
    /// （1）
    ArabicParen,
    /// 1）
    ArabicHalfParen,
    /// ①
    Circled,
}

#[derive(Debug, Clone)]
pub struct Marker {
    pub style: MarkerStyle,
    pub number: u32,
    pub start: usize,
    pub end: usize,
}

/// A heading in the flat arena.
#[derive(Debug, Clone)]
pub struct Node {
    pub style: MarkerStyle,
    pub number: u32,
    pub marker: (usize, usize),
    pub title: (usize, usize),
    /// From the marker to just before the next heading at this level or above.
    pub section: (usize, usize),
    pub level: u8,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Paragraph indices (into `Parsed::paras`) directly under this heading.
    pub paras: Vec<usize>,
    pub enums: Vec<EnumMark>,
}

/// A run of text that is not a heading title: a whole line, or the rest of a
/// heading line after its title.
#[derive(Debug, Clone, Copy)]
pub struct Para {
    pub start: usize,
    pub end: usize,
    pub node: Option<usize>,
}

/// One point of an in-paragraph enumeration (一是…).
#[derive(Debug, Clone, Copy)]
pub struct EnumMark {
    pub ordinal: u32,
    pub marker: (usize, usize),
    pub end: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub title: Option<(usize, usize)>,
    pub nodes: Vec<Node>,
    pub roots: Vec<usize>,
    pub paras: Vec<Para>,
    /// Enumerations in paragraphs before the first heading.
    pub preamble_enums: Vec<EnumMark>,
}

/// A heading as the API shows it: nested, with its level, marker and title.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub marker: String,
    pub style: MarkerStyle,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// 一是…二是… points in this heading's own paragraphs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<EnumItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Heading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumItem {
    pub marker: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Achievements,
    Problems,
    NextSteps,
}

impl PartKind {
    pub fn label(self) -> &'static str {
        match self {
            PartKind::Achievements => "工作成效",
            PartKind::Problems => "存在问题",
            PartKind::NextSteps => "下一步措施",
        }
    }
}

/// One point of a part: a sub-heading with its text, an enumerated point, or a
/// paragraph or clause when the part has no finer structure.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub title: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub kind: PartKind,
    /// The heading it was recognised from; empty when found from a closing
    /// paragraph ("在下步工作中，我们将…").
    pub heading: String,
    pub start: usize,
    pub end: usize,
    pub items: Vec<Item>,
}

fn circled(c: char) -> Option<u32> {
    let v = c as u32;
    (0x2460..=0x2473).contains(&v).then(|| v - 0x2460 + 1)
}

fn arabic_run(chars: &[char], i: usize, end: usize) -> Option<(u32, usize)> {
    let mut k = i;
    let mut v = 0u32;
    while k < end && k - i < 3 {
        match digit_value(chars[k]) {
            Some(d) => v = v * 10 + d,
            None => break,
        }
        k += 1;
    }
    (k > i && !(k < end && digit_value(chars[k]).is_some())).then_some((v, k))
}

fn cn_run(chars: &[char], i: usize, end: usize) -> Option<(u32, usize)> {
    let n = parse_chinese(&chars[..end], i)?;
    (n.kind == NumKind::Chinese && n.value >= 1.0 && n.value < 100.0)
        .then_some((n.value as u32, n.end))
}

/// The heading marker at the start of a line, if any.
pub fn marker_at(chars: &[char], i: usize, end: usize) -> Option<Marker> {
    let c = *chars.get(i)?;
    let open = matches!(c, '（' | '(');
    let close = |k: usize| k < end && matches!(chars[k], '）' | ')');
    let mk = |style, number, e| {
        Some(Marker {
            style,
            number,
            start: i,
            end: e,
        })
    };
    if let Some(n) = circled(c) {
        return mk(MarkerStyle::Circled, n, i + 1);
    }
    if open {
        if let Some((n, k)) = cn_run(chars, i + 1, end) {
            if close(k) {
                return mk(MarkerStyle::CnParen, n, k + 1);
            }
        }
        if let Some((n, k)) = arabic_run(chars, i + 1, end) {
            if close(k) {
                return mk(MarkerStyle::ArabicParen, n, k + 1);
            }
        }
        return None;
    }
    if c == '第' {
        let (n, k) = cn_run(chars, i + 1, end).or_else(|| arabic_run(chars, i + 1, end))?;
        if at(chars, k, "部分") {
            return mk(MarkerStyle::Chapter, n, k + 2);
        }
        if k < end && matches!(chars[k], '章' | '篇') {
            return mk(MarkerStyle::Chapter, n, k + 1);
        }
        return None;
    }
    if let Some((n, k)) = arabic_run(chars, i, end) {
        if k < end {
            match chars[k] {
                '.' | '．' | '、' => {
                    // "1.5万人" is a number, "1.坚持" a heading.
                    if k + 1 < end && digit_value(chars[k + 1]).is_some() {
                        return None;
                    }
                    return mk(MarkerStyle::Arabic, n, k + 1);
                }
                ')' | '）' => return mk(MarkerStyle::ArabicHalfParen, n, k + 1),
                _ => {}
            }
        }
        return None;
    }
    if let Some((n, k)) = cn_run(chars, i, end) {
        if k < end && matches!(chars[k], '、' | '．' | '.') {
            return mk(MarkerStyle::CnComma, n, k + 1);
        }
    }
    None
}

/// Where the title of a heading line ends and its body starts: at the first
/// sentence end or colon if that comes early, else the whole short line.
fn split_title(chars: &[char], p: usize, end: usize) -> ((usize, usize), usize) {
    const MAX: usize = 60;
    let mut k = p;
    while k < end && k - p <= MAX {
        let c = chars[k];
        if matches!(c, '。' | '：' | ':') {
            return ((p, k), k + 1);
        }
        if matches!(c, '？' | '?' | '！' | '!') {
            return ((p, k + 1), k + 1);
        }
        k += 1;
    }
    if end - p <= MAX {
        return ((p, end), end);
    }
    // A long line with no early sentence end: the first clause is the title.
    let mut k = p;
    while k < end && k - p <= 40 {
        if matches!(chars[k], '，' | ',' | '；' | ';') {
            return ((p, k), k + 1);
        }
        k += 1;
    }
    ((p, p + 30), p + 30)
}

fn looks_like_title_line(chars: &[char], a: usize, b: usize) -> bool {
    let len = b - a;
    (4..=40).contains(&len)
        && !chars[a..b]
            .iter()
            .any(|&c| matches!(c, '。' | '，' | '；' | ',' | ';'))
}

/// Finds 一是…二是… (or 第一，…第二，… / 其一…其二…) in `paras`, in order across them.
fn find_enums(chars: &[char], paras: &[Para]) -> Vec<EnumMark> {
    let mut marks: Vec<EnumMark> = Vec::new();
    // Family of the sequence in progress: 0 = X是, 1 = 第X, 2 = 其X.
    let mut family = usize::MAX;
    let mut next = 1u32;
    for p in paras {
        let mut i = p.start;
        while i < p.end {
            let c = chars[i];
            if !(c == '第' || c == '其' || crate::numeral::starts_number(c)) {
                i += 1;
                continue;
            }
            let boundary = i == p.start
                || matches!(
                    chars[i - 1],
                    '。' | '；'
                        | ';'
                        | '，'
                        | ','
                        | '：'
                        | ':'
                        | '、'
                        | '“'
                        | ' '
                        | '　'
                        | '\t'
                        | '）'
                        | ')'
                );
            if !boundary {
                i += 1;
                continue;
            }
            let (fam, num_at) = if c == '第' {
                (1, i + 1)
            } else if c == '其' {
                (2, i + 1)
            } else {
                (0, i)
            };
            let d = match chars.get(num_at).and_then(|&c| cn_digit(c)) {
                Some(d) if d >= 1 => d as u32,
                _ => {
                    if num_at < p.end && chars[num_at] == '十' {
                        10
                    } else {
                        i += 1;
                        continue;
                    }
                }
            };
            let after = num_at + 1;
            let ok = match fam {
                0 => after < p.end && chars[after] == '是',
                1 => after < p.end && matches!(chars[after], '，' | ',' | '、' | '是'),
                _ => after < p.end && matches!(chars[after], '，' | ',' | '、' | '是'),
            };
            if !ok {
                i += 1;
                continue;
            }
            let want = if fam == family { next } else { 1 };
            if d != want {
                i += 1;
                continue;
            }
            if d == 1 {
                // A new sequence: the previous one (if any) ends here.
                family = fam;
            }
            if let Some(last) = marks.last_mut() {
                if last.end > i {
                    last.end = i;
                }
            }
            marks.push(EnumMark {
                ordinal: d,
                marker: (i, after + 1),
                end: p.end,
            });
            next = d + 1;
            i = after + 1;
        }
        // An enumeration continues across paragraphs, but its last point ends
        // with the paragraph it is in.
    }
    // A lone 一是 without 二是 is not an enumeration.
    let mut out = Vec::with_capacity(marks.len());
    let mut k = 0;
    while k < marks.len() {
        let mut e = k + 1;
        while e < marks.len() && marks[e].ordinal != 1 {
            e += 1;
        }
        if e - k >= 2 {
            out.extend_from_slice(&marks[k..e]);
        }
        k = e;
    }
    out
}

/// Splits the document into lines, headings and paragraphs.
pub fn parse(chars: &[char]) -> Parsed {
    let mut out = Parsed::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut line_start = 0;
    let n = chars.len();
    let mut first_line = true;
    while line_start <= n {
        let mut line_end = line_start;
        while line_end < n && chars[line_end] != '\n' {
            line_end += 1;
        }
        let (a, b) = trim_range(chars, line_start, line_end);
        if a < b {
            if first_line && marker_at(chars, a, b).is_none() && looks_like_title_line(chars, a, b)
            {
                out.title = Some((a, b));
            } else if let Some(m) = marker_at(chars, a, b) {
                let mut p = m.end;
                while p < b && (chars[p].is_whitespace() || matches!(chars[p], '、' | '.' | '．'))
                {
                    p += 1;
                }
                let (title, body) = split_title(chars, p, b);
                // Close every open heading of this style and below.
                let parent = match stack.iter().position(|&x| out.nodes[x].style == m.style) {
                    Some(pos) => {
                        stack.truncate(pos);
                        stack.last().copied()
                    }
                    None => stack.last().copied(),
                };
                let id = out.nodes.len();
                out.nodes.push(Node {
                    style: m.style,
                    number: m.number,
                    marker: (m.start, m.end),
                    title: trim_range(chars, title.0, title.1),
                    section: (a, b),
                    level: stack.len() as u8 + 1,
                    parent,
                    children: Vec::new(),
                    paras: Vec::new(),
                    enums: Vec::new(),
                });
                match parent {
                    Some(pid) => out.nodes[pid].children.push(id),
                    None => out.roots.push(id),
                }
                stack.push(id);
                let (ba, bb) = trim_range(chars, body.min(b), b);
                if ba < bb {
                    out.nodes[id].paras.push(out.paras.len());
                    out.paras.push(Para {
                        start: ba,
                        end: bb,
                        node: Some(id),
                    });
                }
            } else {
                let node = stack.last().copied();
                if let Some(id) = node {
                    out.nodes[id].paras.push(out.paras.len());
                }
                out.paras.push(Para {
                    start: a,
                    end: b,
                    node,
                });
            }
            first_line = false;
        }
        line_start = line_end + 1;
    }
    // Section ends: a heading's section runs to the start of the next heading that
    // is not inside it (or the end of the text).
    let count = out.nodes.len();
    for id in 0..count {
        let level = out.nodes[id].level;
        let mut end = n;
        for later in &out.nodes[id + 1..] {
            if later.level <= level {
                end = later.marker.0;
                break;
            }
        }
        let (s, e) = trim_range(chars, out.nodes[id].section.0, end);
        out.nodes[id].section = (s, e);
    }
    for id in 0..count {
        let paras: Vec<Para> = out.nodes[id].paras.iter().map(|&p| out.paras[p]).collect();
        out.nodes[id].enums = find_enums(chars, &paras);
    }
    let pre: Vec<Para> = out
        .paras
        .iter()
        .filter(|p| p.node.is_none())
        .copied()
        .collect();
    out.preamble_enums = find_enums(chars, &pre);
    out
}

fn enum_items(chars: &[char], marks: &[EnumMark]) -> Vec<EnumItem> {
    marks
        .iter()
        .map(|m| {
            let (s, e) = trim_range(chars, m.marker.1, m.end);
            EnumItem {
                marker: slice(chars, m.marker.0, m.marker.1),
                text: slice(chars, s, e),
                start: m.marker.0,
                end: e,
            }
        })
        .collect()
}

/// The nested heading tree for output.
pub fn tree(chars: &[char], parsed: &Parsed) -> Vec<Heading> {
    fn build(chars: &[char], parsed: &Parsed, id: usize) -> Heading {
        let n = &parsed.nodes[id];
        Heading {
            level: n.level,
            marker: slice(chars, n.marker.0, n.marker.1),
            style: n.style,
            text: slice(chars, n.title.0, n.title.1),
            start: n.section.0,
            end: n.section.1,
            items: enum_items(chars, &n.enums),
            children: n
                .children
                .iter()
                .map(|&c| build(chars, parsed, c))
                .collect(),
        }
    }
    parsed
        .roots
        .iter()
        .map(|&r| build(chars, parsed, r))
        .collect()
}

fn has_any(s: &[char], words: &[&str]) -> bool {
    words.iter().any(|w| crate::text::contains(s, w))
}

/// Which part a heading names, from the usual wordings. Questions (ending in ？)
/// and long headings are content, not part titles.
pub fn classify_heading(title: &[char]) -> Option<PartKind> {
    if title.is_empty() || title.len() > 30 || matches!(title.last(), Some('？' | '?')) {
        return None;
    }
    const NEXT: &[&str] = &[
        "下一步",
        "下步",
        "打算",
        "今后",
        "努力方向",
        "对策",
        "建议",
        "工作思路",
        "工作计划",
        "计划安排",
        "展望",
        "整改措施",
        "改进措施",
        "工作措施",
        "重点工作安排",
        "明年",
        "意见建议",
    ];
    const PROBLEM: &[&str] = &[
        "存在问题",
        "存在的问题",
        "存在的主要问题",
        "主要问题",
        "问题和不足",
        "问题与不足",
        "问题及不足",
        "差距和不足",
        "差距与不足",
        "不足之处",
        "存在不足",
        "短板",
        "薄弱环节",
        "差距",
        "不足",
        "问题分析",
        "原因分析",
        "问题及原因",
        "存在的突出问题",
        "查摆问题",
        "检视问题",
        "问题清单",
    ];
    const DONE: &[&str] = &[
        "成效",
        "成绩",
        "履职情况",
        "主要工作",
        "工作情况",
        "开展情况",
        "落实情况",
        "完成情况",
        "工作开展",
        "主要做法",
        "做法",
        "取得",
        "进展",
        "亮点",
        "经验",
        "工作回顾",
        "履行",
        "整改情况",
    ];
    let next = has_any(title, NEXT);
    let problem = has_any(title, PROBLEM);
    let done = has_any(title, DONE);
    if next && !problem {
        return Some(PartKind::NextSteps);
    }
    if problem && !next {
        // "问题整改情况" reports what was done about the problems.
        if has_any(title, &["整改情况", "整改落实情况", "整改成效"]) {
            return Some(PartKind::Achievements);
        }
        return Some(PartKind::Problems);
    }
    if problem && next {
        return None;
    }
    if has_any(title, &["措施", "举措"]) && !done {
        return Some(PartKind::NextSteps);
    }
    if done {
        return Some(PartKind::Achievements);
    }
    None
}

/// Splits a text range into clauses at 。 and ；, keeping pieces with words.
pub fn split_statements(
    chars: &[char],
    a: usize,
    b: usize,
    on_semicolon: bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = a;
    for k in a..b {
        let c = chars[k];
        let end = matches!(c, '。' | '！' | '？' | '!' | '?' | '\n')
            || (on_semicolon && matches!(c, '；' | ';'));
        if end {
            let (x, y) = trim_range(chars, s, k);
            if y > x + 1 {
                out.push((x, y));
            }
            s = k + 1;
        }
    }
    let (x, y) = trim_range(chars, s, b);
    if y > x + 1 {
        out.push((x, y));
    }
    out
}

fn item_from(chars: &[char], title: (usize, usize), a: usize, b: usize) -> Item {
    let (s, e) = trim_range(chars, a, b);
    Item {
        title: slice(chars, title.0, title.1),
        text: slice(chars, s, e),
        start: s,
        end: e,
    }
}

/// The items of a part's heading: sub-headings, else enumerated points, else
/// paragraphs, else the clauses of its one paragraph.
fn part_items(chars: &[char], parsed: &Parsed, id: usize) -> Vec<Item> {
    let node = &parsed.nodes[id];
    if !node.children.is_empty() {
        return node
            .children
            .iter()
            .map(|&c| {
                let ch = &parsed.nodes[c];
                item_from(chars, ch.title, ch.title.0, ch.section.1)
            })
            .collect();
    }
    items_of_paras(
        chars,
        &node
            .paras
            .iter()
            .map(|&p| parsed.paras[p])
            .collect::<Vec<_>>(),
        &node.enums,
    )
}

fn items_of_paras(chars: &[char], paras: &[Para], enums: &[EnumMark]) -> Vec<Item> {
    if !enums.is_empty() {
        return enums
            .iter()
            .map(|m| {
                let (s, e) = trim_range(chars, m.marker.1, m.end);
                let t = split_statements(chars, s, e, true)
                    .first()
                    .copied()
                    .unwrap_or((s, e));
                item_from(chars, t, s, e)
            })
            .collect();
    }
    if paras.len() > 1 {
        return paras
            .iter()
            .map(|p| {
                let t = split_statements(chars, p.start, p.end, true)
                    .first()
                    .copied()
                    .unwrap_or((p.start, p.end));
                item_from(chars, t, p.start, p.end)
            })
            .collect();
    }
    let Some(p) = paras.first() else {
        return Vec::new();
    };
    let mut pieces = split_statements(chars, p.start, p.end, true);
    if pieces.len() <= 1 {
        pieces = split_statements(chars, p.start, p.end, false);
    }
    pieces
        .into_iter()
        .map(|(s, e)| item_from(chars, (s, e), s, e))
        .collect()
}

/// The report's parts, from headings in their usual wordings; when no heading
/// names the next steps, a closing paragraph that starts them ("在下步工作中，
/// 我们将…") does; headings before the problems part that name no part are
/// the achievements (reports often list their work under topical headings).
pub fn parts(chars: &[char], parsed: &Parsed) -> Vec<Part> {
    let mut found: Vec<(usize, PartKind)> = Vec::new();
    fn walk(chars: &[char], parsed: &Parsed, id: usize, found: &mut Vec<(usize, PartKind)>) {
        let n = &parsed.nodes[id];
        match classify_heading(&chars[n.title.0..n.title.1]) {
            Some(k) => found.push((id, k)),
            None => {
                for &c in &n.children {
                    walk(chars, parsed, c, found);
                }
            }
        }
    }
    for &r in &parsed.roots {
        walk(chars, parsed, r, &mut found);
    }
    // A classified heading nested under another one of a different level only
    // counts when it is at the top: topical sub-headings like "（三）查摆问题" inside
    // the achievements are work done, not the report's problems part.
    let top_level = found
        .iter()
        .map(|&(id, _)| parsed.nodes[id].level)
        .min()
        .unwrap_or(1);
    found.retain(|&(id, _)| parsed.nodes[id].level == top_level);

    let mut out: Vec<Part> = Vec::new();
    for &(id, kind) in &found {
        let n = &parsed.nodes[id];
        let items = part_items(chars, parsed, id);
        match out.iter_mut().find(|p| p.kind == kind) {
            Some(p) => {
                p.items.extend(items);
                p.end = p.end.max(n.section.1);
            }
            None => out.push(Part {
                kind,
                heading: slice(chars, n.title.0, n.title.1),
                start: n.section.0,
                end: n.section.1,
                items,
            }),
        }
    }
    if !out.iter().any(|p| p.kind == PartKind::NextSteps) && !parsed.nodes.is_empty() {
        if let Some(p) = closing_next_steps(chars, parsed) {
            out.push(p);
        }
    }
    if !out.is_empty() && !out.iter().any(|p| p.kind == PartKind::Achievements) {
        // Work reported under topical headings (一、强化政治建设 …) before the
        // problems or next steps.
        let limit = out.iter().map(|p| p.start).min().unwrap_or(chars.len());
        let chosen: Vec<usize> = parsed
            .roots
            .iter()
            .copied()
            .filter(|&r| parsed.nodes[r].section.0 < limit && !found.iter().any(|&(f, _)| f == r))
            .collect();
        if !chosen.is_empty() && !all_questions(chars, parsed, &chosen) {
            let start = parsed.nodes[chosen[0]].section.0;
            let end = chosen
                .iter()
                .map(|&r| parsed.nodes[r].section.1.min(limit))
                .max()
                .unwrap_or(start);
            out.push(Part {
                kind: PartKind::Achievements,
                heading: String::new(),
                start,
                end,
                items: chosen
                    .iter()
                    .map(|&r| {
                        let nd = &parsed.nodes[r];
                        item_from(chars, nd.title, nd.title.0, nd.section.1.min(limit))
                    })
                    .collect(),
            });
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

fn all_questions(chars: &[char], parsed: &Parsed, ids: &[usize]) -> bool {
    ids.iter().all(|&r| {
        let t = parsed.nodes[r].title;
        chars[t.0..t.1].iter().any(|&c| matches!(c, '？' | '?')) || at(chars, t.0, "请")
    })
}

/// A closing paragraph that announces the next steps.
fn closing_next_steps(chars: &[char], parsed: &Parsed) -> Option<Part> {
    const CUES: &[&str] = &[
        "下一步",
        "下步工作",
        "今后",
        "接下来",
        "明年",
        "新的一年",
        "下一阶段",
    ];
    let tail = parsed.paras.iter().rev().take(2);
    for p in tail {
        let stmts = split_statements(chars, p.start, p.end, false);
        let Some(pos) = stmts.iter().position(|&(s, e)| {
            CUES.iter()
                .any(|c| crate::text::contains(&chars[s..e.min(s + 12)], c))
        }) else {
            continue;
        };
        let start = stmts[pos].0;
        let items: Vec<Item> = split_statements(chars, start, p.end, true)
            .into_iter()
            .map(|(s, e)| item_from(chars, (s, e), s, e))
            .collect();
        if items.is_empty() {
            continue;
        }
        return Some(Part {
            kind: PartKind::NextSteps,
            heading: String::new(),
            start,
            end: p.end,
            items,
        });
    }
    None
}
