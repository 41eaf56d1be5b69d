//! 报告审读: upload reports (.txt/.docx) or pick the bundled ones and read what
//! `zeren-text` finds in them — score, outline, parts, figures, flagged sentences,
//! problems and measures, recurring problems and passages shared between reports.
//! Nothing is stored. Also `POST /api/v1/reader` (multipart or JSON).
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use zeren_app::reader::text::{Analysis, Comparison, FlagKind, Heading, PartView, Sentence};
use zeren_app::reader::{samples, ReaderFile, ReaderInput, Reading, MAX_CHARS, MAX_FILES};
use zeren_app::AppError;

use crate::api::{error_response, Body};
use crate::ctx::{error_page, render, PageCtx};
use crate::session::{ApiUser, PageUser};
use crate::AppState;

pub struct SampleOption {
    pub name: &'static str,
    pub title: String,
    pub chars: usize,
    pub checked: bool,
}

/// One heading of the outline. `open` and `close` are fixed list markup (`<ul>`,
/// `<li>`, `</li>`, `</ul>`) that nest the flat rows; nothing from the report.
pub struct OutlineRow {
    pub open: &'static str,
    pub marker: String,
    pub text: String,
    /// 一是、二是… inside the section.
    pub points: String,
    pub close: String,
}

pub struct ItemRow {
    pub title: String,
    pub text: String,
}

pub struct PartRow {
    pub label: &'static str,
    pub found: bool,
    pub heading: String,
    pub items: Vec<ItemRow>,
}

pub struct FigureRow {
    pub what: String,
    pub number: String,
    pub unit: String,
    pub qualifier: String,
    pub per: String,
    pub text: String,
}

pub struct LinkRow {
    pub problem: String,
    pub measure: String,
    pub score: String,
    pub shared: String,
}

pub struct RecurRow {
    pub problem: String,
    pub text: String,
    pub source: String,
    pub earlier_text: String,
    pub similarity: String,
    pub flag: &'static str,
}

pub struct PhraseRow {
    pub text: String,
    pub seen: String,
}

pub struct SentenceRow {
    pub score: u8,
    pub text: String,
    pub why: String,
}

/// A run of the report's text: a sentence with its classes and flags, or the text
/// between sentences (no class).
pub struct Segment {
    pub text: String,
    pub class: String,
    pub title: String,
}

pub struct ReportView {
    pub anchor: String,
    pub name: String,
    pub year: String,
    pub title: String,
    pub score: u8,
    pub score_class: &'static str,
    pub explained: Vec<String>,
    pub stats: Vec<(&'static str, String)>,
    pub outline: Vec<OutlineRow>,
    pub parts: Vec<PartRow>,
    pub figures: Vec<FigureRow>,
    /// Both a problems part and a next-steps part were found.
    pub has_pairs: bool,
    /// Why problems and measures cannot be paired, when they cannot.
    pub unpaired: &'static str,
    pub links: Vec<LinkRow>,
    pub problems_without: Vec<String>,
    pub measures_without: Vec<String>,
    pub recurring: Vec<RecurRow>,
    pub boilerplate: Vec<PhraseRow>,
    pub emptiest: Vec<SentenceRow>,
    pub paragraphs: Vec<Vec<Segment>>,
    pub flagged: Counts,
}

#[derive(Default)]
pub struct Counts {
    pub boilerplate: usize,
    pub vague: usize,
    pub specific: usize,
}

pub struct PassageView {
    pub text: String,
    /// The opening words of a long passage, shown folded.
    pub head: Option<String>,
    pub chars: usize,
}

pub struct PairView {
    pub a_name: String,
    pub b_name: String,
    pub similarity: String,
    pub copied_chars: usize,
    pub copied: Vec<PassageView>,
    pub boilerplate: Vec<PassageView>,
}

pub struct CompareView {
    pub method: &'static str,
    pub documents: usize,
    pub candidate_pairs: usize,
    pub pairs: Vec<PairView>,
}

#[derive(Template)]
#[template(path = "reader.html")]
struct ReaderPage {
    ctx: PageCtx,
    samples: Vec<SampleOption>,
    max_mb: usize,
    max_files: usize,
    max_chars: usize,
    error: Option<String>,
    reports: Vec<ReportView>,
    compare: Option<CompareView>,
    earlier: Vec<String>,
}

/// Characters of a shared passage shown before it is folded: a report copied
/// whole is one passage of thousands.
const PASSAGE_SHOWN: usize = 120;

fn cut(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn outline_rows(hs: &[Heading], out: &mut Vec<OutlineRow>) {
    for (i, h) in hs.iter().enumerate() {
        let points = h
            .items
            .iter()
            .map(|p| format!("{}{}", p.marker, cut(&p.text, 16)))
            .collect::<Vec<_>>()
            .join("；");
        out.push(OutlineRow {
            open: if i == 0 { "<ul><li>" } else { "<li>" },
            marker: h.marker.clone(),
            text: cut(&h.text, 60),
            points,
            close: String::new(),
        });
        outline_rows(&h.children, out);
        if let Some(last) = out.last_mut() {
            last.close.push_str("</li>");
            if i + 1 == hs.len() {
                last.close.push_str("</ul>");
            }
        }
    }
}

fn part_row(label: &'static str, p: &PartView) -> PartRow {
    PartRow {
        label,
        found: p.found,
        heading: p.heading.clone(),
        items: p
            .items
            .iter()
            .map(|i| ItemRow {
                title: i.title.clone(),
                text: i.text.clone(),
            })
            .collect(),
    }
}

fn flag_text(label: &str, text: &str) -> String {
    if text.is_empty() {
        label.to_string()
    } else {
        format!("{label}「{}」", cut(text, 16))
    }
}

/// The sentence's highlight classes: a sentence can be specific and vague at once.
fn classes(s: &Sentence, counts: &mut Counts) -> String {
    let has = |ks: &[FlagKind]| s.flags.iter().any(|f| ks.contains(&f.kind));
    let mut c = vec!["sent"];
    if s.heading {
        c.push("s-heading");
    }
    if has(&[FlagKind::Boilerplate]) {
        c.push("s-boilerplate");
        counts.boilerplate += 1;
    }
    if has(&[
        FlagKind::Vague,
        FlagKind::VagueQuantity,
        FlagKind::NoSpecifics,
    ]) {
        c.push("s-vague");
        counts.vague += 1;
    }
    if has(&[
        FlagKind::Figure,
        FlagKind::Date,
        FlagKind::Document,
        FlagKind::Name,
        FlagKind::Place,
    ]) {
        c.push("s-specific");
        counts.specific += 1;
    }
    c.join(" ")
}

/// The report's text cut into paragraphs of segments, each sentence a segment
/// carrying its flags.
fn paragraphs(text: &str, sentences: &[Sentence], counts: &mut Counts) -> Vec<Vec<Segment>> {
    let chars: Vec<char> = text.chars().collect();
    let mut order: Vec<&Sentence> = sentences.iter().collect();
    order.sort_by_key(|s| s.start);
    let mut runs: Vec<(usize, usize, String, String)> = Vec::new();
    let mut at = 0;
    for s in order {
        let (a, b) = (s.start.max(at), s.end.min(chars.len()));
        if a >= b {
            continue;
        }
        if a > at {
            runs.push((at, a, String::new(), String::new()));
        }
        let title = format!(
            "得分 {}；{}",
            s.score,
            s.flags
                .iter()
                .map(|f| flag_text(f.label, &f.text))
                .collect::<Vec<_>>()
                .join("，")
        );
        runs.push((a, b, classes(s, counts), title));
        at = b;
    }
    if at < chars.len() {
        runs.push((at, chars.len(), String::new(), String::new()));
    }
    let mut out: Vec<Vec<Segment>> = vec![Vec::new()];
    for (a, b, class, title) in runs {
        let piece: String = chars[a..b].iter().collect();
        for (i, line) in piece.split('\n').enumerate() {
            if i > 0 {
                out.push(Vec::new());
            }
            if !line.is_empty() {
                if let Some(p) = out.last_mut() {
                    p.push(Segment {
                        text: line.to_string(),
                        class: class.clone(),
                        title: title.clone(),
                    });
                }
            }
        }
    }
    out.retain(|p| p.iter().any(|s| !s.text.trim().is_empty()));
    out
}

fn report_view(i: usize, a: &Analysis, text: &str) -> ReportView {
    let problems = &a.parts.problems.items;
    let measures = &a.parts.next_steps.items;
    let title_of = |items: &[zeren_app::reader::text::Item], i: usize| {
        items.get(i).map(|x| cut(&x.title, 30)).unwrap_or_default()
    };
    let mut flagged = Counts::default();
    let paragraphs = paragraphs(text, &a.sentences, &mut flagged);
    let mut body: Vec<&Sentence> = a.sentences.iter().filter(|s| !s.heading).collect();
    body.sort_by_key(|s| (s.score, s.start));
    let st = &a.stats;
    ReportView {
        anchor: format!("r{}", i + 1),
        name: a.name.clone(),
        year: a.year.map(|y| format!("{y}年")).unwrap_or_default(),
        title: a.title.clone().unwrap_or_default(),
        score: a.score,
        score_class: match a.score {
            70.. => "score-high",
            45..=69 => "score-mid",
            _ => "score-low",
        },
        explained: a.score_explained.clone(),
        stats: vec![
            ("字数", st.chars.to_string()),
            ("句子", st.sentences.to_string()),
            ("具体数字", st.figures.to_string()),
            ("套话占比", format!("{:.0}%", st.boilerplate_share * 100.0)),
            ("模糊表述", st.vague_words.to_string()),
        ],
        outline: {
            let mut rows = Vec::new();
            outline_rows(&a.outline, &mut rows);
            rows
        },
        parts: vec![
            part_row("工作成效", &a.parts.achievements),
            part_row("存在问题", &a.parts.problems),
            part_row("下一步措施", &a.parts.next_steps),
        ],
        figures: a
            .figures
            .iter()
            .map(|f| FigureRow {
                what: f.what.clone(),
                number: match f.max {
                    Some(m) => format!("{}–{}", number(f.number), number(m)),
                    None => number(f.number),
                },
                unit: f.unit.clone(),
                qualifier: f.qualifier.clone().unwrap_or_default(),
                per: f.per.clone().unwrap_or_default(),
                text: f.text.clone(),
            })
            .collect(),
        has_pairs: !problems.is_empty() && !measures.is_empty(),
        unpaired: if problems.is_empty() {
            "报告未列出存在问题，无法逐条对应。"
        } else {
            "报告未列出下一步措施，所列问题都没有对应的整改措施。"
        },
        links: a
            .links
            .iter()
            .map(|l| LinkRow {
                problem: format!("问题{}「{}」", l.problem + 1, title_of(problems, l.problem)),
                measure: format!("措施{}「{}」", l.measure + 1, title_of(measures, l.measure)),
                score: format!("{:.2}", l.score),
                shared: l.shared.join("、"),
            })
            .collect(),
        problems_without: a
            .problems_without_measures
            .iter()
            .map(|p| format!("问题{}「{}」", p.index + 1, cut(&p.title, 40)))
            .collect(),
        measures_without: a
            .measures_without_problems
            .iter()
            .map(|m| format!("措施{}「{}」", m.index + 1, cut(&m.title, 40)))
            .collect(),
        recurring: a
            .recurring
            .iter()
            .map(|r| RecurRow {
                problem: format!("问题{}", r.problem + 1),
                text: r.text.clone(),
                source: r.source.clone(),
                earlier_text: r.earlier_text.clone(),
                similarity: format!("{:.2}", r.similarity),
                flag: r.flag,
            })
            .collect(),
        boilerplate: a
            .boilerplate
            .iter()
            .take(15)
            .map(|b| PhraseRow {
                text: b.text.clone(),
                seen: if b.docs > 0 {
                    format!("另见于 {} 份报告", b.docs)
                } else {
                    "常见提法".to_string()
                },
            })
            .collect(),
        emptiest: body
            .iter()
            .take(5)
            .map(|s| SentenceRow {
                score: s.score,
                text: cut(&s.text, 80),
                why: s
                    .flags
                    .iter()
                    .filter(|f| f.points < 0)
                    .map(|f| flag_text(f.label, &f.text))
                    .collect::<Vec<_>>()
                    .join("，"),
            })
            .collect(),
        paragraphs,
        flagged,
    }
}

fn compare_view(c: &Comparison) -> CompareView {
    let passages = |p: &zeren_app::reader::text::Pair, boilerplate: bool| {
        p.passages
            .iter()
            .filter(|x| x.boilerplate == boilerplate)
            .map(|x| PassageView {
                text: x.text.clone(),
                head: (x.text.chars().count() > PASSAGE_SHOWN).then(|| cut(&x.text, PASSAGE_SHOWN)),
                chars: x.chars,
            })
            .collect()
    };
    CompareView {
        method: if c.method == "exhaustive" {
            "逐对比对"
        } else {
            "MinHash + LSH 筛选后比对"
        },
        documents: c.documents.len(),
        candidate_pairs: c.candidate_pairs,
        pairs: c
            .pairs
            .iter()
            .map(|p| PairView {
                a_name: p.a_name.clone(),
                b_name: p.b_name.clone(),
                similarity: format!("{:.3}", p.similarity),
                copied_chars: p.copied_chars,
                copied: passages(p, false),
                boilerplate: passages(p, true),
            })
            .collect(),
    }
}

fn page(
    st: &AppState,
    u: &PageUser,
    picked: &[String],
    error: Option<String>,
    reading: Option<Reading>,
) -> Response {
    let samples = samples()
        .iter()
        .map(|s| SampleOption {
            name: s.name,
            title: s.title.clone(),
            chars: s.chars,
            checked: picked.iter().any(|p| p == s.name),
        })
        .collect();
    let (reports, compare, earlier) = match &reading {
        Some(r) => (
            r.analyses
                .iter()
                .zip(&r.texts)
                .enumerate()
                .map(|(i, (a, t))| report_view(i, a, t))
                .collect(),
            r.comparison.as_ref().map(compare_view),
            r.earlier.clone(),
        ),
        None => (Vec::new(), None, Vec::new()),
    };
    let failed = error.is_some();
    let p = ReaderPage {
        ctx: PageCtx::new(u, "reader", vec![("报告审读", None)]),
        samples,
        max_mb: st.app.cfg.max_upload_bytes / 1_048_576,
        max_files: MAX_FILES,
        max_chars: MAX_CHARS,
        error,
        reports,
        compare,
        earlier,
    };
    let mut r = render(&p, u.flash.is_some());
    if failed && r.status() == StatusCode::OK {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn may_read(u: &PageUser) -> Result<(), Response> {
    if u.actor.has(zeren_core::Permission::ReadScope) {
        Ok(())
    } else {
        Err(error_page(
            u,
            &AppError::Forbidden("报告审读仅对有查阅权限的用户开放".into()),
        ))
    }
}

pub async fn form(State(st): State<AppState>, u: PageUser) -> Response {
    if let Err(r) = may_read(&u) {
        return r;
    }
    page(&st, &u, &[], None, None)
}

/// The form as posted: the files, the picked samples and the token.
#[derive(Default)]
struct Posted {
    csrf: String,
    input: ReaderInput,
    /// The first file over the size limit.
    too_large: Option<String>,
}

async fn read_multipart(mut mp: Multipart, max: usize) -> Result<Posted, String> {
    let mut p = Posted::default();
    while let Some(mut field) = mp
        .next_field()
        .await
        .map_err(|e| format!("上传数据不完整或超过总大小上限：{e}"))?
    {
        let name = field.name().unwrap_or("").to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let mut bytes = Vec::new();
            let mut over = false;
            // past the limit the rest is drained, not kept, so the client's upload
            // completes and sees the answer
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| format!("文件读取失败：{e}"))?
            {
                if over || bytes.len() + chunk.len() > max {
                    over = true;
                    bytes = Vec::new();
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            if over {
                p.too_large.get_or_insert(file_name);
                continue;
            }
            // an empty file input still sends a part, with no name and no content
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            let f = ReaderFile {
                name: file_name,
                bytes,
            };
            match name.as_str() {
                "earlier" => p.input.earlier.push(f),
                _ => p.input.reports.push(f),
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| format!("表单读取失败：{e}"))?;
            match name.as_str() {
                "csrf" => p.csrf = text,
                "sample" if !text.is_empty() => p.input.samples.push(text),
                _ => {}
            }
        }
    }
    Ok(p)
}

fn too_large(name: &str, max: usize) -> String {
    format!(
        "《{name}》超过上传上限 {} MB，未审读：请只上传报告正文",
        max.div_ceil(1_048_576)
    )
}

/// The message for an input fault, without the generic prefix.
fn message(e: &AppError) -> String {
    match e {
        AppError::Invalid(v) => v
            .errors
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    }
}

pub async fn submit(State(st): State<AppState>, u: PageUser, mp: Multipart) -> Response {
    if let Err(r) = may_read(&u) {
        return r;
    }
    let max = st.app.cfg.max_upload_bytes;
    let posted = match read_multipart(mp, max).await {
        Ok(p) => p,
        Err(m) => return page(&st, &u, &[], Some(m), None),
    };
    // the csrf field comes first in the form, so even a failed upload carries it
    if let Err(r) = u.check_csrf(&posted.csrf) {
        return r;
    }
    let picked = posted.input.samples.clone();
    if let Some(name) = &posted.too_large {
        return page(&st, &u, &picked, Some(too_large(name, max)), None);
    }
    match st.app.read_reports(&u.actor, posted.input).await {
        Ok(r) => page(&st, &u, &picked, None, Some(r)),
        Err(e @ AppError::Invalid(_)) => page(&st, &u, &picked, Some(message(&e)), None),
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Deserialize)]
pub struct ApiText {
    pub name: String,
    pub text: String,
}

#[derive(Deserialize)]
pub struct ApiBody {
    #[serde(default)]
    pub files: Vec<ApiText>,
    #[serde(default)]
    pub samples: Vec<String>,
    #[serde(default)]
    pub earlier: Vec<ApiText>,
}

fn texts(v: Vec<ApiText>) -> Vec<ReaderFile> {
    v.into_iter()
        .map(|t| ReaderFile::text(t.name, t.text))
        .collect()
}

/// `POST /api/v1/reader`: multipart (`files`, `earlier`, `sample` parts) or JSON
/// `{files: [{name, text}], samples: [name], earlier: [{name, text}]}`. Answers
/// `{analyses: [...], comparison, earlier}`; each analysis is what
/// `zeren analyze --json` prints for the file.
pub async fn api(State(st): State<AppState>, u: ApiUser, req: Request) -> Response {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let input = if multipart {
        let max = st.app.cfg.max_upload_bytes;
        let mp = match Multipart::from_request(req, &st).await {
            Ok(mp) => mp,
            Err(e) => {
                return error_response(&zeren_app::error::invalid("files", e.body_text()));
            }
        };
        match read_multipart(mp, max).await {
            Ok(p) => {
                if let Some(name) = &p.too_large {
                    return error_response(&zeren_app::error::invalid(
                        "files",
                        too_large(name, max),
                    ));
                }
                p.input
            }
            Err(m) => return error_response(&zeren_app::error::invalid("files", m)),
        }
    } else {
        match Body::<ApiBody>::from_request(req, &st).await {
            Ok(Body(b)) => ReaderInput {
                reports: texts(b.files),
                samples: b.samples,
                earlier: texts(b.earlier),
            },
            Err(r) => return r,
        }
    };
    match st.app.read_reports(&u.actor, input).await {
        Ok(r) => Json(r).into_response(),
        Err(e) => error_response(&e),
    }
}
