//! Problems ↔ measures: each problem item is compared with each next-step item by
//! the cosine of their character-bigram TF-IDF vectors (IDF from the corpus's
//! statements, so the genre's everyday words weigh little and a shared "压力传导"
//! weighs a lot). Chinese needs no word segmenter for this: bigrams of ideographs
//! carry most two-character words, and a segmenter trained on news text splits
//! party-building jargon badly anyway.

use serde::Serialize;

use crate::outline::Item;
use crate::text::{bigrams, id_map, is_sentence_end, unpack, IdMap};

/// Statement frequencies of bigrams over the corpus.
#[derive(Clone)]
pub struct Idf {
    df: IdMap<u32>,
    units: u32,
}

impl Default for Idf {
    fn default() -> Self {
        Idf {
            df: id_map(1 << 14),
            units: 0,
        }
    }
}

/// A sparse, L2-normalised vector: (mixed key, weight, packed bigram), sorted by key.
pub type Vector = Vec<(u64, f64, u64)>;

impl Idf {
    /// Adds every statement (text between sentence ends or line breaks) of a document.
    pub fn add_doc(&mut self, chars: &[char]) {
        let mut grams = Vec::new();
        let mut s = 0;
        for k in 0..=chars.len() {
            if k == chars.len() || is_sentence_end(chars[k]) || chars[k] == '\n' {
                if k > s + 1 {
                    bigrams(&chars[s..k], &mut grams);
                    grams.sort_unstable();
                    grams.dedup();
                    for (key, _) in &grams {
                        *self.df.entry(*key).or_insert(0) += 1;
                    }
                    self.units += 1;
                }
                s = k + 1;
            }
        }
    }

    pub fn idf(&self, key: u64) -> f64 {
        let df = self.df.get(&key).copied().unwrap_or(0) as f64;
        ((self.units as f64 + 1.0) / (df + 1.0)).ln().max(0.0)
    }

    /// TF-IDF vector of some ranges of `chars`, each with a weight.
    pub fn vector(&self, chars: &[char], ranges: &[(usize, usize, f64)]) -> Vector {
        let mut grams = Vec::new();
        let mut all: Vec<(u64, f64, u64)> = Vec::new();
        for &(a, b, w) in ranges {
            bigrams(&chars[a.min(b)..b], &mut grams);
            all.extend(grams.iter().map(|&(k, p)| (k, w, p)));
        }
        all.sort_unstable_by_key(|x| x.0);
        let mut out: Vector = Vec::with_capacity(all.len());
        for (k, w, p) in all {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 += w,
                _ => out.push((k, w, p)),
            }
        }
        let top = (self.units as f64 + 1.0).ln();
        for e in &mut out {
            // Sub-linear term frequency: a word repeated five times is not five
            // times the evidence.
            let tf = if e.1 == 1.0 { 1.0 } else { 1.0 + e.1.ln() };
            let df = self.df.get(&e.0).copied().unwrap_or(0);
            e.1 = tf * (top - ln_plus_one(df)).max(0.0);
        }
        out.retain(|e| e.1 > 0.0);
        let norm = out.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
        if norm > 0.0 {
            for e in &mut out {
                e.1 /= norm;
            }
        }
        out
    }
}

/// ln(df + 1), from a table for the small frequencies nearly every bigram has.
fn ln_plus_one(df: u32) -> f64 {
    static T: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let t = T.get_or_init(|| (0..1024).map(|d| (d as f64 + 1.0).ln()).collect());
    t.get(df as usize)
        .copied()
        .unwrap_or_else(|| (df as f64 + 1.0).ln())
}

pub fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The words two vectors share that weigh most, as they read in `chars[a..b]`:
/// runs of consecutive shared bigrams ("压力传导" rather than "压力", "力传", "传导").
pub fn shared_terms(
    x: &Vector,
    y: &Vector,
    chars: &[char],
    a: usize,
    b: usize,
    max: usize,
) -> Vec<String> {
    let (mut i, mut j) = (0, 0);
    let mut common: Vec<(f64, u64)> = Vec::new();
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common.push((x[i].1 * y[j].1, x[i].2));
                i += 1;
                j += 1;
            }
        }
    }
    common.sort_by(|p, q| q.0.total_cmp(&p.0));
    common.truncate(max * 3);
    let weight = |packed: u64| common.iter().find(|c| c.1 == packed).map(|c| c.0);
    let mut runs: Vec<(f64, String)> = Vec::new();
    let mut k = a;
    while k + 1 < b {
        let packed = ((chars[k] as u64) << 32) | chars[k + 1] as u64;
        let Some(w0) = weight(packed) else {
            k += 1;
            continue;
        };
        let start = k;
        let mut w = w0;
        k += 1;
        while k + 1 < b {
            match weight(((chars[k] as u64) << 32) | chars[k + 1] as u64) {
                Some(v) => {
                    w += v;
                    k += 1;
                }
                None => break,
            }
        }
        let text: String = chars[start..=k].iter().collect();
        if !runs.iter().any(|r| r.1.contains(&text)) {
            runs.retain(|r| !text.contains(&r.1));
            runs.push((w, text));
        }
        k += 1;
    }
    runs.sort_by(|p, q| q.0.total_cmp(&p.0));
    let mut out: Vec<String> = runs.into_iter().map(|r| r.1).collect();
    out.dedup();
    out.truncate(max);
    if out.is_empty() {
        out = common.iter().take(max).map(|c| unpack(c.1)).collect();
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Index into the problems part's items.
    pub problem: usize,
    /// Index into the next-steps part's items.
    pub measure: usize,
    pub score: f64,
    /// The words they share that weigh most.
    pub shared: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    pub index: usize,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Linked {
    pub links: Vec<Link>,
    pub problems_without_measures: Vec<usize>,
    pub measures_without_problems: Vec<usize>,
}

/// A measure answers a problem when their similarity reaches `STRONG`, or when
/// it is the problem's best measure and reaches `WEAK`.
pub const STRONG: f64 = 0.15;
pub const WEAK: f64 = 0.08;

pub fn item_vector(idf: &Idf, chars: &[char], item: &Item) -> Vector {
    let t = item.title.chars().count();
    let title_end = if item.text.starts_with(&item.title) {
        item.start + t
    } else {
        item.start
    };
    let mut ranges = vec![(item.start, item.end, 1.0)];
    if title_end > item.start {
        // The title states the point; count its words once more.
        ranges.push((item.start, title_end, 1.0));
    }
    idf.vector(chars, &ranges)
}

/// An item as the whole and as its statements.
pub struct ItemVectors {
    pub whole: Vector,
    pub statements: Vec<Vector>,
}

pub fn item_vectors(idf: &Idf, chars: &[char], item: &Item) -> ItemVectors {
    ItemVectors {
        whole: item_vector(idf, chars, item),
        statements: crate::outline::split_statements(chars, item.start, item.end, true)
            .into_iter()
            .map(|(a, b)| idf.vector(chars, &[(a, b, 1.0)]))
            .filter(|v| !v.is_empty())
            .collect(),
    }
}

/// Similarity of a problem and a measure: the mean of the items' cosine (same
/// subject overall) and the best cosine between one statement of each (one
/// measure aimed at one point of the problem, which a long item dilutes).
pub fn similarity(p: &ItemVectors, m: &ItemVectors) -> f64 {
    let whole = cosine(&p.whole, &m.whole);
    let mut best: f64 = 0.0;
    for s in &p.statements {
        for t in &m.statements {
            best = best.max(cosine(s, t));
        }
    }
    (whole + best) / 2.0
}

/// All problem × measure similarities at once: the statement cosines through an
/// inverted index of the measures' statements, which touches only the bigrams
/// two statements share (instead of merging every pair of vectors).
pub fn similarities(pv: &[ItemVectors], mv: &[ItemVectors]) -> Vec<Vec<f64>> {
    let mut owner: Vec<usize> = Vec::new();
    let mut index: IdMap<Vec<(u32, f64)>> = id_map(1024);
    for (m, item) in mv.iter().enumerate() {
        for st in &item.statements {
            let id = owner.len() as u32;
            owner.push(m);
            for &(k, w, _) in st {
                index.entry(k).or_default().push((id, w));
            }
        }
    }
    let mut dots = vec![0.0f64; owner.len()];
    pv.iter()
        .map(|p| {
            let mut best = vec![0.0f64; mv.len()];
            for st in &p.statements {
                dots.iter_mut().for_each(|d| *d = 0.0);
                for &(k, w, _) in st {
                    if let Some(post) = index.get(&k) {
                        for &(id, v) in post {
                            dots[id as usize] += w * v;
                        }
                    }
                }
                for (id, &d) in dots.iter().enumerate() {
                    let b = &mut best[owner[id]];
                    if d > *b {
                        *b = d;
                    }
                }
            }
            mv.iter()
                .enumerate()
                .map(|(m, item)| (cosine(&p.whole, &item.whole) + best[m]) / 2.0)
                .collect()
        })
        .collect()
}

pub fn link(chars: &[char], problems: &[Item], measures: &[Item], idf: &Idf) -> Linked {
    let pv: Vec<ItemVectors> = problems
        .iter()
        .map(|i| item_vectors(idf, chars, i))
        .collect();
    let mv: Vec<ItemVectors> = measures
        .iter()
        .map(|i| item_vectors(idf, chars, i))
        .collect();
    let mut out = Linked::default();
    let mut answered = vec![false; measures.len()];
    let matrix = similarities(&pv, &mv);
    for (p, a) in pv.iter().enumerate() {
        let sims = &matrix[p];
        let best = sims
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1))
            .map(|(i, &s)| (i, s));
        let mut any = false;
        for (m, &s) in sims.iter().enumerate() {
            let is_best = best.is_some_and(|(bi, _)| bi == m);
            if s >= STRONG || (is_best && s >= WEAK) {
                out.links.push(Link {
                    problem: p,
                    measure: m,
                    score: (s * 1000.0).round() / 1000.0,
                    shared: shared_terms(
                        &a.whole,
                        &mv[m].whole,
                        chars,
                        problems[p].start,
                        problems[p].end,
                        5,
                    ),
                });
                answered[m] = true;
                any = true;
            }
        }
        if !any {
            out.problems_without_measures.push(p);
        }
    }
    out.measures_without_problems = answered
        .iter()
        .enumerate()
        .filter(|(_, &a)| !a)
        .map(|(i, _)| i)
        .collect();
    out
}
