//! Problems that come back: each statement of this year's problems part is compared
//! with the problems of the unit's earlier reports and with problem-ledger entries.
//! One that matches is flagged 整改不到位 with the earlier wording beside it.
//!
//! Two measures, either suffices: the TF-IDF cosine of bigrams (same point in other
//! words) and the containment of character 4-grams (same sentence lightly edited).

use serde::Serialize;

use crate::link::{cosine, Idf, Vector};
use crate::outline::{split_statements, Item};
use crate::text::{is_cjk, ngram_hashes, Clean};

pub const FLAG: &str = "整改不到位";
pub const COSINE: f64 = 0.5;
pub const CONTAINMENT: f64 = 0.5;

/// A problem stated before: in an earlier report or in the problem ledger.
#[derive(Debug, Clone)]
pub struct EarlierProblem {
    /// Where it was stated: a report's name, or "问题台账".
    pub source: String,
    pub year: Option<i32>,
    pub text: String,
    chars: Vec<char>,
    grams: Vec<u64>,
}

impl EarlierProblem {
    pub fn new(source: String, year: Option<i32>, text: String) -> EarlierProblem {
        let chars: Vec<char> = text.chars().collect();
        let grams = grams_of(&chars, 0, chars.len());
        EarlierProblem {
            source,
            year,
            text,
            chars,
            grams,
        }
    }
}

fn grams_of(chars: &[char], a: usize, b: usize) -> Vec<u64> {
    let clean = Clean::new(chars, a, b);
    let mut g = Vec::new();
    ngram_hashes(&clean.chars, 4, &mut g);
    g.sort_unstable();
    g.dedup();
    g
}

fn containment(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let m = a.len().min(b.len());
    if m == 0 {
        0.0
    } else {
        n as f64 / m as f64
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Recurrence {
    /// Index into the problems part's items.
    pub problem: usize,
    /// The statement of this report that repeats an earlier problem.
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub source: String,
    pub year: Option<i32>,
    pub earlier_text: String,
    pub similarity: f64,
    pub flag: &'static str,
}

/// The statements (sentences and semicolon clauses) of an item with enough words
/// to be a problem on their own; the item's title is one of them.
pub fn statements(chars: &[char], item: &Item) -> Vec<(usize, usize)> {
    split_statements(chars, item.start, item.end, true)
        .into_iter()
        .filter(|&(a, b)| chars[a..b].iter().filter(|&&c| is_cjk(c)).count() >= 6)
        .collect()
}

pub fn find(
    chars: &[char],
    problems: &[Item],
    earlier: &[EarlierProblem],
    idf: &Idf,
) -> Vec<Recurrence> {
    if earlier.is_empty() {
        return Vec::new();
    }
    let ev: Vec<Vector> = earlier
        .iter()
        .map(|e| idf.vector(&e.chars, &[(0, e.chars.len(), 1.0)]))
        .collect();
    let mut out = Vec::new();
    for (p, item) in problems.iter().enumerate() {
        // The best match of this item per earlier source.
        let mut best: Vec<(usize, f64, (usize, usize))> = Vec::new();
        for (a, b) in statements(chars, item) {
            let v = idf.vector(chars, &[(a, b, 1.0)]);
            let g = grams_of(chars, a, b);
            for (k, e) in earlier.iter().enumerate() {
                let sim = cosine(&v, &ev[k]).max(containment(&g, &e.grams));
                if sim < COSINE.min(CONTAINMENT) {
                    continue;
                }
                match best.iter_mut().find(|x| earlier[x.0].source == e.source) {
                    Some(x) if x.1 >= sim => {}
                    Some(x) => *x = (k, sim, (a, b)),
                    None => best.push((k, sim, (a, b))),
                }
            }
        }
        for (k, sim, (a, b)) in best {
            out.push(Recurrence {
                problem: p,
                text: chars[a..b].iter().collect(),
                start: a,
                end: b,
                source: earlier[k].source.clone(),
                year: earlier[k].year,
                earlier_text: earlier[k].text.clone(),
                similarity: (sim * 1000.0).round() / 1000.0,
                flag: FLAG,
            });
        }
    }
    out
}
