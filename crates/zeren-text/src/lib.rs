//! `zeren-text`: reads Chinese official reports and finds formalism in them.
//!
//! - [`outline`]: the heading tree (一、（一）1.（1）①, 一是…二是…) and the report's
//!   parts (achievements, problems, next steps);
//! - [`figure`]: every quantitative statement with what it counts;
//! - [`score`]: vague versus specific, per sentence and per report, with flags;
//! - [`boilerplate`]: phrases shared by many reports, learned from the corpus;
//! - [`link`]: which next-step measures answer which problems;
//! - [`dedup`]: passages shared between reports (MinHash/LSH, exact alignment);
//! - [`recurring`]: problems that come back from earlier years or the ledger;
//! - [`docx`]: text of Word documents; [`eval`]: precision and recall against
//!   labelled files; [`synth`]: generated reports for benchmarks.
//!
//! Pure logic: no database, no async, no I/O except reading the files it is given.
//! Positions everywhere are character offsets into the document's text.

pub mod boilerplate;
pub mod dedup;
pub mod docx;
pub mod eval;
pub mod figure;
pub mod link;
pub mod numeral;
pub mod outline;
pub mod recurring;
pub mod score;
pub mod synth;
pub mod text;

use std::path::Path;

use serde::Serialize;

pub use boilerplate::{Phrase, PhraseModel};
pub use dedup::{Comparison, DedupConfig, Pair, Passage};
pub use figure::Figure;
pub use link::{ItemRef, Link};
pub use outline::{Heading, Item, PartKind};
pub use recurring::Recurrence;
pub use score::{Flag, FlagKind, Sentence, Stats};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("无法读取 {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("无法读取 Word 文档：{0}")]
    Docx(String),
    #[error("{0}")]
    Format(String),
}

/// A report to read.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub name: String,
    pub text: String,
    /// The year it reports on, if stated near the top (2023年 / 二〇二三年).
    pub year: Option<i32>,
}

fn year_in(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        if let Some(n) = numeral::parse_number(&chars, i) {
            if chars.get(n.end) == Some(&'年')
                && n.value.fract() == 0.0
                && (1949.0..=2100.0).contains(&n.value)
            {
                let digits = n.end - i;
                if digits == 4 {
                    return Some(n.value as i32);
                }
            }
        }
    }
    None
}

impl Document {
    /// A document from text (line endings normalised, byte-order mark dropped).
    pub fn from_text(name: impl Into<String>, text: &str) -> Document {
        let text = text
            .trim_start_matches('\u{feff}')
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let head: String = text.chars().take(300).collect();
        let name = name.into();
        let year = year_in(&head).or_else(|| year_in(&name));
        Document { name, text, year }
    }

    /// A document from the bytes of a .txt (UTF-8, or GB18030 as older Chinese
    /// editors save) or a .docx file.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Result<Document, Error> {
        let name = name.into();
        if bytes.starts_with(b"PK\x03\x04") {
            let text = docx::text(bytes)?;
            return Ok(Document::from_text(name, &text));
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(Error::Format(format!(
                "{name} 是旧版 Word（.doc）文件，请另存为 .docx 或 .txt"
            )));
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
                if bad {
                    return Err(Error::Format(format!(
                        "{name} 既不是 UTF-8 也不是 GB18030 编码的文本"
                    )));
                }
                s.into_owned()
            }
        };
        Ok(Document::from_text(name, &text))
    }

    pub fn from_path(path: &Path) -> Result<Document, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Document::from_bytes(name, &bytes)
    }
}

/// The five seed reports shipped with the crate: the reference corpus when the
/// caller gives no other.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "000_9d75ee0894976697.txt",
        include_str!("../tests/seeds/000_9d75ee0894976697.txt"),
    ),
    (
        "001_1c1d4257cdd01210.txt",
        include_str!("../tests/seeds/001_1c1d4257cdd01210.txt"),
    ),
    (
        "002_a9227fe5bf02e91f.txt",
        include_str!("../tests/seeds/002_a9227fe5bf02e91f.txt"),
    ),
    (
        "003_a7ef67501c7d83a6.txt",
        include_str!("../tests/seeds/003_a7ef67501c7d83a6.txt"),
    ),
    (
        "004_9c1e69e1957c38b2.txt",
        include_str!("../tests/seeds/004_9c1e69e1957c38b2.txt"),
    ),
];

/// What a report is read against: other reports (boilerplate phrases, word
/// weights), the unit's earlier problems and its problem ledger.
#[derive(Clone)]
pub struct Corpus {
    phrases: PhraseModel,
    idf: link::Idf,
    earlier: Vec<recurring::EarlierProblem>,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus::empty()
    }
}

impl Corpus {
    pub fn empty() -> Corpus {
        Corpus {
            phrases: PhraseModel::new(),
            idf: link::Idf::default(),
            earlier: Vec::new(),
        }
    }

    /// The shipped seed reports.
    pub fn builtin() -> Corpus {
        let mut c = Corpus::empty();
        for (name, text) in BUILTIN {
            c.add_document(&Document::from_text(*name, text));
        }
        c
    }

    /// Adds a reference report (counted once, however often it is added).
    pub fn add_document(&mut self, doc: &Document) {
        let chars: Vec<char> = doc.text.chars().collect();
        if self.phrases.add(&chars) {
            self.idf.add_doc(&chars);
        }
    }

    /// Adds an earlier report of the same unit: its problems are the ones a new
    /// report must not repeat.
    pub fn add_earlier(&mut self, doc: &Document) {
        self.add_document(doc);
        let chars: Vec<char> = doc.text.chars().collect();
        let parsed = outline::parse(&chars);
        let parts = outline::parts(&chars, &parsed);
        let source = match doc.year {
            Some(y) => format!("{}（{y}年）", doc.name),
            None => doc.name.clone(),
        };
        let mut stmts: Vec<(usize, usize)> = Vec::new();
        match parts.iter().find(|p| p.kind == PartKind::Problems) {
            Some(p) => {
                for item in &p.items {
                    stmts.extend(recurring::statements(&chars, item));
                }
            }
            None => {
                // No problems part: the sentences that state a shortcoming.
                const CUES: &[&str] = &[
                    "不够",
                    "不足",
                    "不到位",
                    "差距",
                    "薄弱",
                    "欠缺",
                    "存在",
                    "问题",
                ];
                for (a, b) in outline::split_statements(&chars, 0, chars.len(), true) {
                    if CUES.iter().any(|c| text::contains(&chars[a..b], c)) {
                        stmts.push((a, b));
                    }
                }
            }
        }
        for (a, b) in stmts {
            self.earlier.push(recurring::EarlierProblem::new(
                source.clone(),
                doc.year,
                text::slice(&chars, a, b),
            ));
        }
    }

    /// Adds entries of the problem ledger (台账): each text one problem.
    pub fn add_ledger(&mut self, source: &str, problems: &[String]) {
        for p in problems {
            let p = p.trim();
            if p.chars().filter(|&c| text::is_cjk(c)).count() >= 6 {
                self.earlier.push(recurring::EarlierProblem::new(
                    source.to_string(),
                    None,
                    p.to_string(),
                ));
            }
        }
    }

    pub fn documents(&self) -> u32 {
        self.phrases.docs()
    }

    pub fn phrases(&self) -> &PhraseModel {
        &self.phrases
    }

    pub fn idf(&self) -> &link::Idf {
        &self.idf
    }
}

/// One part of the report as shown: found or not, with its items.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PartView {
    pub found: bool,
    pub heading: String,
    pub start: usize,
    pub end: usize,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Parts {
    pub achievements: PartView,
    pub problems: PartView,
    pub next_steps: PartView,
}

/// Everything read from one report.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub name: String,
    pub year: Option<i32>,
    pub title: Option<String>,
    /// 0–100, higher is more specific.
    pub score: u8,
    pub score_explained: Vec<String>,
    pub stats: Stats,
    pub outline: Vec<Heading>,
    pub parts: Parts,
    pub figures: Vec<Figure>,
    pub links: Vec<Link>,
    pub problems_without_measures: Vec<ItemRef>,
    pub measures_without_problems: Vec<ItemRef>,
    pub recurring: Vec<Recurrence>,
    /// The longest boilerplate phrases of the report.
    pub boilerplate: Vec<Phrase>,
    pub sentences: Vec<Sentence>,
}

fn view(parts: &[outline::Part], kind: PartKind) -> PartView {
    match parts.iter().find(|p| p.kind == kind) {
        Some(p) => PartView {
            found: true,
            heading: p.heading.clone(),
            start: p.start,
            end: p.end,
            items: p.items.clone(),
        },
        None => PartView::default(),
    }
}

fn item_ref(items: &[Item], i: usize) -> Option<ItemRef> {
    items.get(i).map(|it| ItemRef {
        index: i,
        title: it.title.clone(),
        text: it.text.clone(),
    })
}

/// Reads one report against a corpus.
pub fn analyze(doc: &Document, corpus: &Corpus) -> Analysis {
    let chars: Vec<char> = doc.text.chars().collect();
    let parsed = outline::parse(&chars);
    let parts = outline::parts(&chars, &parsed);
    let mut figures = Vec::new();
    for n in &parsed.nodes {
        figure::extract(&chars, n.title.0, n.title.1, &mut figures);
    }
    for p in &parsed.paras {
        figure::extract(&chars, p.start, p.end, &mut figures);
    }
    figures.sort_by_key(|f| f.start);
    let parts_view = Parts {
        achievements: view(&parts, PartKind::Achievements),
        problems: view(&parts, PartKind::Problems),
        next_steps: view(&parts, PartKind::NextSteps),
    };
    let problems = &parts_view.problems.items;
    let measures = &parts_view.next_steps.items;
    let linked = link::link(&chars, problems, measures, &corpus.idf);
    let answered = (!problems.is_empty() && !measures.is_empty()).then(|| {
        (
            problems.len() - linked.problems_without_measures.len(),
            problems.len(),
        )
    });
    let mask = corpus.phrases.mask(&chars);
    let scored = score::score(&chars, &parsed, &parts, &figures, &mask, answered);
    let recurring = recurring::find(&chars, problems, &corpus.earlier, &corpus.idf);
    let mut phrases: Vec<Phrase> = mask
        .runs(8)
        .into_iter()
        .map(|(a, b, docs)| Phrase {
            text: text::slice(&chars, a, b),
            docs,
            start: a,
            end: b,
        })
        .collect();
    // One entry per wording, longest first.
    phrases.sort_by(|x, y| {
        (y.end - y.start)
            .cmp(&(x.end - x.start))
            .then(x.start.cmp(&y.start))
    });
    let mut seen = std::collections::HashSet::new();
    phrases.retain(|p| seen.insert(p.text.clone()));
    phrases.truncate(30);
    Analysis {
        name: doc.name.clone(),
        year: doc.year,
        title: parsed.title.map(|(a, b)| text::slice(&chars, a, b)),
        score: scored.score,
        score_explained: scored.explained,
        stats: scored.stats,
        outline: outline::tree(&chars, &parsed),
        problems_without_measures: if measures.is_empty() {
            (0..problems.len())
                .filter_map(|i| item_ref(problems, i))
                .collect()
        } else {
            linked
                .problems_without_measures
                .iter()
                .filter_map(|&i| item_ref(problems, i))
                .collect()
        },
        measures_without_problems: if problems.is_empty() {
            Vec::new()
        } else {
            linked
                .measures_without_problems
                .iter()
                .filter_map(|&i| item_ref(measures, i))
                .collect()
        },
        links: linked.links,
        parts: parts_view,
        figures,
        recurring,
        boilerplate: phrases,
        sentences: scored.sentences,
    }
}

/// Reads a set of reports against each other and the shipped seeds: the easy
/// entry point for a page that receives uploads.
pub fn analyze_texts(texts: &[(String, String)]) -> Vec<Analysis> {
    let docs: Vec<Document> = texts
        .iter()
        .map(|(n, t)| Document::from_text(n.clone(), t))
        .collect();
    let mut corpus = Corpus::builtin();
    for d in &docs {
        corpus.add_document(d);
    }
    docs.iter().map(|d| analyze(d, &corpus)).collect()
}

/// Shared passages between a set of reports, boilerplate judged against the
/// shipped seeds and the set itself.
pub fn compare_texts(texts: &[(String, String)]) -> Comparison {
    let docs: Vec<Document> = texts
        .iter()
        .map(|(n, t)| Document::from_text(n.clone(), t))
        .collect();
    let mut corpus = Corpus::builtin();
    for d in &docs {
        corpus.add_document(d);
    }
    compare(&docs, &corpus)
}

pub fn compare(docs: &[Document], corpus: &Corpus) -> Comparison {
    dedup::compare(docs, &corpus.phrases, &DedupConfig::default())
}
