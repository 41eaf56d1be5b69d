//! Text of a .docx: the paragraphs of word/document.xml, one per line, with the
//! heading numbers Word generates (automatic numbering from word/numbering.xml)
//! written out, since the outline reads headings by their numbers.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::Error;

/// Largest XML part read, so that a crafted archive cannot exhaust memory.
const MAX_PART: u64 = 64 * 1024 * 1024;

fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, Error> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::Docx(e.to_string())),
    };
    let mut s = String::new();
    file.take(MAX_PART)
        .read_to_string(&mut s)
        .map_err(|e| Error::Docx(format!("{name}: {e}")))?;
    Ok(Some(s))
}

fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[derive(Clone, Default)]
struct Level {
    fmt: String,
    text: String,
    start: u32,
}

/// numId → levels (from its abstract numbering).
fn numbering(xml: &str) -> HashMap<String, Vec<Level>> {
    let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
    let mut nums: HashMap<String, String> = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut cur_abs: Option<String> = None;
    let mut cur_lvl: Option<usize> = None;
    let mut cur_num: Option<String> = None;
    loop {
        let ev = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"abstractNum" => cur_abs = attr(&e, b"abstractNumId"),
                b"lvl" => {
                    cur_lvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok());
                    if let (Some(a), Some(l)) = (&cur_abs, cur_lvl) {
                        let v = abstracts.entry(a.clone()).or_default();
                        if v.len() <= l {
                            v.resize(
                                l + 1,
                                Level {
                                    start: 1,
                                    ..Level::default()
                                },
                            );
                        }
                    }
                }
                b"start" | b"numFmt" | b"lvlText" => {
                    if let (Some(a), Some(l)) = (&cur_abs, cur_lvl) {
                        if let Some(level) = abstracts.get_mut(a).and_then(|v| v.get_mut(l)) {
                            let val = attr(&e, b"val").unwrap_or_default();
                            match e.local_name().as_ref() {
                                b"start" => level.start = val.parse().unwrap_or(1),
                                b"numFmt" => level.fmt = val,
                                _ => level.text = val,
                            }
                        }
                    }
                }
                b"num" => cur_num = attr(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(n), Some(v)) = (&cur_num, attr(&e, b"val")) {
                        nums.insert(n.clone(), v);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"abstractNum" => cur_abs = None,
                b"lvl" => cur_lvl = None,
                b"num" => cur_num = None,
                _ => {}
            },
            _ => {}
        }
    }
    nums.into_iter()
        .filter_map(|(n, a)| abstracts.get(&a).map(|l| (n, l.clone())))
        .collect()
}

fn chinese_count(n: u32) -> String {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n.is_multiple_of(10) {
                String::new()
            } else {
                D[(n % 10) as usize].to_string()
            }
        ),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                String::new()
            } else {
                D[(n % 10) as usize].to_string()
            }
        ),
        _ => n.to_string(),
    }
}

fn format_number(fmt: &str, n: u32) -> String {
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "chineseLegalSimplified" => chinese_count(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_else(|| n.to_string())
        }
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

/// The generated marker of a numbered paragraph ("一、", "（一）", "1.").
fn marker(levels: &[Level], counters: &[u32], ilvl: usize) -> String {
    let Some(level) = levels.get(ilvl) else {
        return String::new();
    };
    if level.fmt == "bullet" || level.fmt == "none" {
        return String::new();
    }
    let mut out = String::new();
    let mut chars = level.text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                let l = (d as usize).saturating_sub(1);
                let fmt = levels.get(l).map(|x| x.fmt.as_str()).unwrap_or("decimal");
                out.push_str(&format_number(fmt, counters.get(l).copied().unwrap_or(1)));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The document's text, one paragraph per line.
pub fn text(bytes: &[u8]) -> Result<String, Error> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Docx(e.to_string()))?;
    let xml = read_part(&mut zip, "word/document.xml")?
        .ok_or_else(|| Error::Docx("缺少 word/document.xml，不是 Word 文档".to_string()))?;
    let nums = match read_part(&mut zip, "word/numbering.xml")? {
        Some(n) => numbering(&n),
        None => HashMap::new(),
    };
    let mut counters: HashMap<String, Vec<u32>> = HashMap::new();
    let mut reader = Reader::from_str(&xml);
    let mut out = String::with_capacity(xml.len() / 4);
    let mut para = String::new();
    let mut in_text = false;
    let mut num: (Option<usize>, Option<String>) = (None, None);
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| Error::Docx(format!("word/document.xml: {e}")))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => match e.local_name().as_ref() {
                b"p" => {
                    para.clear();
                    num = (None, None);
                }
                b"t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => para.push('\t'),
                b"br" | b"cr" => para.push('\n'),
                b"ilvl" => num.0 = attr(&e, b"val").and_then(|v| v.parse().ok()),
                b"numId" => num.1 = attr(&e, b"val"),
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.decode().map_err(|e| Error::Docx(e.to_string()))?;
                para.push_str(&s);
            }
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else if let Ok(name) = r.decode() {
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        para.push_str(s);
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    if let (Some(id), ilvl) = (&num.1, num.0.unwrap_or(0)) {
                        if let Some(levels) = nums.get(id) {
                            let c = counters.entry(id.clone()).or_insert_with(|| {
                                levels.iter().map(|l| l.start.saturating_sub(1)).collect()
                            });
                            if c.len() <= ilvl {
                                c.resize(ilvl + 1, 0);
                            }
                            c[ilvl] += 1;
                            // Deeper levels restart under a new parent.
                            for (l, v) in c.iter_mut().enumerate().skip(ilvl + 1) {
                                *v = levels
                                    .get(l)
                                    .map(|x| x.start.saturating_sub(1))
                                    .unwrap_or(0);
                            }
                            out.push_str(&marker(levels, c, ilvl));
                        }
                    }
                    out.push_str(&para);
                    out.push('\n');
                    para.clear();
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(out)
}
