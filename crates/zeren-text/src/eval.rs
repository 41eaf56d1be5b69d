//! Precision and recall against labelled files.
//!
//! A label file (JSON) names a document (path relative to the label file) and
//! lists what a careful reader finds in it:
//!
//! ```json
//! {
//!   "document": "../tests/seeds/001_1c1d4257cdd01210.txt",
//!   "figures": [{"what": "调研", "number": 204, "unit": "人次", "qualifier": null}],
//!   "problems": ["委党委细化责任"],
//!   "measures": ["加强党的全面领导"],
//!   "links": [[1, 1]]
//! }
//! ```
//!
//! A figure is found when number, unit and qualifier are equal and the labelled
//! `what` (a key word of the counted phrase) is inside the extracted `what`.
//! `problems` and `measures` are the beginnings of the items, in order; `links`
//! pairs them by 1-based position. Keys left out are not evaluated.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{analyze, Analysis, Corpus, Document, Error};

#[derive(Debug, Deserialize)]
struct Label {
    document: String,
    #[serde(default)]
    figures: Option<Vec<GoldFigure>>,
    #[serde(default)]
    problems: Vec<String>,
    #[serde(default)]
    measures: Vec<String>,
    #[serde(default)]
    links: Option<Vec<[usize; 2]>>,
}

#[derive(Debug, Deserialize)]
struct GoldFigure {
    what: String,
    number: f64,
    unit: String,
    #[serde(default)]
    qualifier: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub predicted: usize,
    pub gold: usize,
    pub matched: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.matched as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.matched as f64 / self.gold as f64
        }
    }
    fn add(&mut self, o: &Counts) {
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.matched += o.matched;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub label: String,
    pub document: String,
    pub figures: Option<Counts>,
    pub links: Option<Counts>,
    /// Labelled figures not found, and figures found that are not labelled.
    pub missed_figures: Vec<String>,
    pub extra_figures: Vec<String>,
    pub missed_links: Vec<String>,
    pub extra_links: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct EvalReport {
    pub files: Vec<FileResult>,
    pub figures: Counts,
    pub links: Counts,
}

fn describe(number: f64, unit: &str, qualifier: Option<&str>, what: &str) -> String {
    format!(
        "{what} {number}{}{unit}",
        qualifier.map(|q| format!("（{q}）")).unwrap_or_default()
    )
}

fn figures(a: &Analysis, gold: &[GoldFigure], res: &mut FileResult) -> Counts {
    let mut used = vec![false; a.figures.len()];
    let mut matched = 0;
    for g in gold {
        let hit = a.figures.iter().enumerate().position(|(i, f)| {
            !used[i]
                && (f.number - g.number).abs() < 1e-9
                && f.unit == g.unit
                && f.qualifier == g.qualifier
                && f.what.contains(g.what.as_str())
        });
        match hit {
            Some(i) => {
                used[i] = true;
                matched += 1;
            }
            None => res.missed_figures.push(describe(
                g.number,
                &g.unit,
                g.qualifier.as_deref(),
                &g.what,
            )),
        }
    }
    for (i, f) in a.figures.iter().enumerate() {
        if !used[i] {
            res.extra_figures
                .push(describe(f.number, &f.unit, f.qualifier.as_deref(), &f.what));
        }
    }
    Counts {
        predicted: a.figures.len(),
        gold: gold.len(),
        matched,
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Position of each labelled item among the extracted items.
fn map_items(items: &[crate::Item], labels: &[String]) -> Vec<Option<usize>> {
    labels
        .iter()
        .map(|l| {
            let l = squash(l);
            items.iter().position(|it| squash(&it.text).contains(&l))
        })
        .collect()
}

fn links(a: &Analysis, label: &Label, gold: &[[usize; 2]], res: &mut FileResult) -> Counts {
    let pmap = map_items(&a.parts.problems.items, &label.problems);
    let mmap = map_items(&a.parts.next_steps.items, &label.measures);
    let to_gold =
        |map: &[Option<usize>], i: usize| map.iter().position(|&m| m == Some(i)).map(|g| g + 1);
    let mut predicted: Vec<(Option<usize>, Option<usize>)> = a
        .links
        .iter()
        .map(|l| (to_gold(&pmap, l.problem), to_gold(&mmap, l.measure)))
        .collect();
    predicted.dedup();
    let mut matched = 0;
    for g in gold {
        if predicted.contains(&(Some(g[0]), Some(g[1]))) {
            matched += 1;
        } else {
            res.missed_links
                .push(format!("问题{} → 措施{}", g[0], g[1]));
        }
    }
    for p in &predicted {
        let hit = matches!(p, (Some(x), Some(y)) if gold.contains(&[*x, *y]));
        if !hit {
            let show =
                |v: Option<usize>| v.map(|x| x.to_string()).unwrap_or_else(|| "?".to_string());
            res.extra_links
                .push(format!("问题{} → 措施{}", show(p.0), show(p.1)));
        }
    }
    Counts {
        predicted: predicted.len(),
        gold: gold.len(),
        matched,
    }
}

/// Evaluates every `*.json` label file of `dir` (sorted by name). The corpus is
/// the shipped seeds plus every labelled document.
pub fn evaluate_dir(dir: &Path) -> Result<EvalReport, Error> {
    let io = |path: &Path| {
        let p = path.display().to_string();
        move |source| Error::Io { path: p, source }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut labelled: Vec<(PathBuf, Label, Document)> = Vec::new();
    for f in files {
        let raw = std::fs::read_to_string(&f).map_err(io(&f))?;
        let label: Label = serde_json::from_str(&raw)
            .map_err(|e| Error::Format(format!("{}：{e}", f.display())))?;
        let doc_path = f.parent().unwrap_or(dir).join(&label.document);
        let doc = Document::from_path(&doc_path)?;
        labelled.push((f, label, doc));
    }
    let mut corpus = Corpus::builtin();
    for (_, _, d) in &labelled {
        corpus.add_document(d);
    }
    let mut report = EvalReport::default();
    for (path, label, doc) in &labelled {
        let a = analyze(doc, &corpus);
        let mut res = FileResult {
            label: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            document: doc.name.clone(),
            figures: None,
            links: None,
            missed_figures: Vec::new(),
            extra_figures: Vec::new(),
            missed_links: Vec::new(),
            extra_links: Vec::new(),
        };
        if let Some(g) = &label.figures {
            let c = figures(&a, g, &mut res);
            report.figures.add(&c);
            res.figures = Some(c);
        }
        if let Some(g) = &label.links {
            let c = links(&a, label, g, &mut res);
            report.links.add(&c);
            res.links = Some(c);
        }
        report.files.push(res);
    }
    Ok(report)
}
