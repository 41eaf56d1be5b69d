//! 报告审读: reads uploaded reports (or the bundled seed reports) with `zeren-text`
//! and gives back what they say and what they only repeat. Nothing is stored; the
//! upload itself (file names and sizes) is recorded in the audit log.
use std::sync::OnceLock;

use serde::Serialize;
use zeren_core::Permission;
use zeren_text::{Analysis, Comparison, Corpus, Document};

use crate::actor::Actor;
use crate::audit::{AuditAction, Event};
use crate::error::{invalid, AppError, AppResult};
use crate::App;

/// The reader's types, for the web layer to name without its own dependency.
pub use zeren_text as text;

/// Most reports (and, separately, earlier reports) read at once: the comparison
/// aligns every pair, so the work grows with the square of the count.
pub const MAX_FILES: usize = 20;
/// Longest report read, in characters: a long annual report is some 30,000.
pub const MAX_CHARS: usize = 300_000;
/// A report with fewer Chinese characters than this has nothing to read.
const MIN_CJK: usize = 20;

/// A file as uploaded (or a text as posted).
#[derive(Debug, Clone)]
pub struct ReaderFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl ReaderFile {
    pub fn text(name: impl Into<String>, text: impl Into<String>) -> ReaderFile {
        ReaderFile {
            name: name.into(),
            bytes: text.into().into_bytes(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReaderInput {
    /// The reports to read.
    pub reports: Vec<ReaderFile>,
    /// Names of bundled seed reports to read as well (see [`samples`]).
    pub samples: Vec<String>,
    /// Earlier reports of the same unit (往年报告): their problems must not return.
    pub earlier: Vec<ReaderFile>,
}

/// What was read: one analysis per report, in the order given, and the passages
/// the reports share when there are two or more.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    pub analyses: Vec<Analysis>,
    pub comparison: Option<Comparison>,
    /// Each report's text as read (the analyses' positions index into it).
    #[serde(skip)]
    pub texts: Vec<String>,
    /// Names of the earlier reports read against.
    pub earlier: Vec<String>,
}

/// A bundled seed report, as the page offers it.
#[derive(Debug, Clone)]
pub struct Sample {
    pub name: &'static str,
    pub title: String,
    pub chars: usize,
}

/// The seed reports shipped with `zeren-text`, with a title to show.
pub fn samples() -> &'static [Sample] {
    static SAMPLES: OnceLock<Vec<Sample>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        zeren_text::BUILTIN
            .iter()
            .map(|(name, text)| {
                let doc = Document::from_text(*name, text);
                let title = zeren_text::analyze(&doc, &Corpus::empty())
                    .title
                    .unwrap_or_else(|| {
                        // no title line: the opening words stand for it
                        let first = doc.text.lines().find(|l| !l.trim().is_empty());
                        let s: String = first.unwrap_or("").trim().chars().take(30).collect();
                        format!("{s}…")
                    });
                Sample {
                    name,
                    title,
                    chars: doc.text.chars().count(),
                }
            })
            .collect()
    })
}

fn has_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && !ext.contains(' '))
}

/// Reads one file into a document, or says in Chinese why it cannot be read.
fn document(field: &str, f: &ReaderFile) -> AppResult<Document> {
    let name = if f.name.trim().is_empty() {
        "未命名"
    } else {
        f.name.trim()
    };
    let lower = name.to_lowercase();
    // a name without an extension is a text posted through the API
    if has_extension(&lower)
        && !lower.ends_with(".txt")
        && !lower.ends_with(".docx")
        && !lower.ends_with(".doc")
    {
        return Err(invalid(
            field,
            format!("《{name}》不是 .txt 或 .docx 文件，报告审读只读这两种格式"),
        ));
    }
    let doc = Document::from_bytes(name, &f.bytes).map_err(|e| invalid(field, e.to_string()))?;
    // text decoders accept most bytes; binary content shows as control characters
    let control = doc
        .text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        .count();
    if control > 0 && control * 100 >= doc.text.chars().count().max(1) {
        return Err(invalid(
            field,
            format!("《{name}》不是文本文件，请上传 .txt 或 .docx 格式的报告"),
        ));
    }
    let chars = doc.text.chars().count();
    if chars > MAX_CHARS {
        return Err(invalid(
            field,
            format!("《{name}》有 {chars} 字，超过每份 {MAX_CHARS} 字的上限，请只上传报告正文"),
        ));
    }
    let cjk = doc
        .text
        .chars()
        .filter(|&c| zeren_text::text::is_cjk(c))
        .count();
    if cjk < MIN_CJK {
        return Err(invalid(field, format!("《{name}》中没有可审读的中文正文")));
    }
    Ok(doc)
}

fn size(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / 1_048_576.0)
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

fn listed(files: &[ReaderFile]) -> String {
    files
        .iter()
        .map(|f| format!("{}（{}）", f.name, size(f.bytes.len())))
        .collect::<Vec<_>>()
        .join("、")
}

/// The reading itself: pure and CPU-bound, run off the async workers.
fn read(docs: Vec<Document>, earlier: Vec<Document>) -> Reading {
    let mut corpus = Corpus::builtin();
    for d in &docs {
        corpus.add_document(d);
    }
    for d in &earlier {
        corpus.add_earlier(d);
    }
    let analyses = docs
        .iter()
        .map(|d| zeren_text::analyze(d, &corpus))
        .collect();
    let comparison = (docs.len() >= 2).then(|| zeren_text::compare(&docs, &corpus));
    Reading {
        analyses,
        comparison,
        texts: docs.into_iter().map(|d| d.text).collect(),
        earlier: earlier.into_iter().map(|d| d.name).collect(),
    }
}

impl App {
    /// Reads reports against the seed reports and each other (and the earlier
    /// reports, for problems that return). Stateless but audited.
    pub async fn read_reports(&self, actor: &Actor, input: ReaderInput) -> AppResult<Reading> {
        actor.require(Permission::ReadScope, "报告审读仅对有查阅权限的用户开放")?;
        let n = input.reports.len() + input.samples.len();
        if n == 0 {
            return Err(invalid(
                "files",
                "请上传至少一份报告（.txt 或 .docx），或勾选示例报告",
            ));
        }
        if n > MAX_FILES {
            return Err(invalid(
                "files",
                format!("一次最多审读 {MAX_FILES} 份报告，本次有 {n} 份"),
            ));
        }
        if input.earlier.len() > MAX_FILES {
            return Err(invalid(
                "earlier",
                format!("往年报告一次最多 {MAX_FILES} 份"),
            ));
        }
        let max = self.cfg.max_upload_bytes;
        for f in input.reports.iter().chain(&input.earlier) {
            if f.bytes.len() > max {
                return Err(invalid(
                    "files",
                    format!("《{}》超过上传上限 {} MB", f.name, max.div_ceil(1_048_576)),
                ));
            }
        }
        let mut docs = Vec::with_capacity(n);
        for f in &input.reports {
            docs.push(document("files", f)?);
        }
        for s in &input.samples {
            let Some((name, text)) = zeren_text::BUILTIN.iter().find(|(n, _)| n == s) else {
                return Err(invalid("sample", format!("没有名为 {s} 的示例报告")));
            };
            docs.push(Document::from_text(*name, text));
        }
        let earlier = input
            .earlier
            .iter()
            .map(|f| document("earlier", f))
            .collect::<AppResult<Vec<_>>>()?;

        let mut detail = String::new();
        if !input.reports.is_empty() {
            detail.push_str(&format!("上传：{}", listed(&input.reports)));
        }
        if !input.samples.is_empty() {
            if !detail.is_empty() {
                detail.push('；');
            }
            detail.push_str(&format!("示例：{}", input.samples.join("、")));
        }
        if !input.earlier.is_empty() {
            detail.push_str(&format!("；往年报告：{}", listed(&input.earlier)));
        }
        // the reading is recorded whether or not the audit write succeeds; the audit
        // log's own failure is reported by `audit_alone`
        let _ = self
            .audit_alone(
                actor.audit_id(),
                &actor.username,
                &actor.source,
                Event::ok(AuditAction::ReportRead, "report_reader", "", "").detail(detail),
            )
            .await;

        tokio::task::spawn_blocking(move || read(docs, earlier))
            .await
            .map_err(|e| AppError::Io(format!("报告审读中断：{e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: &[u8]) -> ReaderFile {
        ReaderFile {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn binary_and_foreign_files_are_refused_with_a_reason() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
        let e = document("files", &file("报告.txt", png)).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("不是 UTF-8") || m.contains("不是文本文件"),
            "{m}"
        );
        // control characters decode as UTF-8 but are no report
        let e = document("files", &file("报告.txt", &[0x01; 64])).unwrap_err();
        assert!(e.to_string().contains("不是文本文件"), "{e}");
        let e = document("files", &file("图.png", b"x")).unwrap_err();
        assert!(e.to_string().contains(".txt 或 .docx"), "{e}");
        let e = document("files", &file("a.txt", "hello world".as_bytes())).unwrap_err();
        assert!(e.to_string().contains("中文正文"), "{e}");
        let ok = document("files", &file("a.txt", zeren_text::BUILTIN[1].1.as_bytes()));
        assert!(ok.is_ok());
    }

    #[test]
    fn samples_have_titles_and_text() {
        let s = samples();
        assert_eq!(s.len(), zeren_text::BUILTIN.len());
        assert!(s.iter().all(|x| !x.title.is_empty() && x.chars > 1000));
    }

    #[test]
    fn two_reports_are_compared_and_earlier_ones_named() {
        let docs: Vec<Document> = zeren_text::BUILTIN[..2]
            .iter()
            .map(|(n, t)| Document::from_text(*n, t))
            .collect();
        let earlier = vec![Document::from_text("2022.txt", zeren_text::BUILTIN[2].1)];
        let r = read(docs, earlier);
        assert_eq!(r.analyses.len(), 2);
        assert_eq!(r.texts.len(), 2);
        assert!(r.comparison.is_some());
        assert_eq!(r.earlier, vec!["2022.txt".to_string()]);
    }
}
