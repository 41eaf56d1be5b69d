//! Shared passages across a set of reports.
//!
//! 1. Each report becomes a stream of character 8-shingles (over ideographs, letters
//!    and digits; punctuation ignored).
//! 2. Shingles found in many reports of the set are common (slogans, the genre's
//!    set phrases); they are left out of candidate search. Their document
//!    frequency is counted in a fixed-size sketch so 10,000 reports need 16 MB.
//! 3. Candidate pairs: every report is cut into overlapping windows of shingles;
//!    each window gets a one-permutation MinHash signature (one hash per shingle,
//!    the minimum per bin) and LSH bands of two bins; windows sharing a band bucket
//!    make their reports a candidate pair. Windows rather than whole reports, so a
//!    copied page inside otherwise different reports is found too. Small sets
//!    skip this and align every pair.
//! 4. Each candidate pair is aligned exactly: maximal runs of equal shingles,
//!    merged across small edits, with positions in both texts.
//! 5. A passage mostly made of common shingles or of the corpus's boilerplate
//!    phrases is labelled boilerplate, not copying.

use serde::Serialize;

use crate::boilerplate::PhraseModel;
use crate::text::{mix64, ngram_hashes, slice, Clean};
use crate::Document;

#[derive(Debug, Clone)]
pub struct DedupConfig {
    /// Shingle length in characters.
    pub shingle: usize,
    /// Shortest passage reported, in characters (punctuation not counted).
    pub min_passage: usize,
    /// Below this many documents every pair is aligned; from it on, LSH finds pairs.
    pub exhaustive_below: usize,
    /// Window and stride, in shingles.
    pub window: usize,
    pub stride: usize,
    pub bands: usize,
    pub rows: usize,
    /// A shingle in at least this share of the set's documents (and at least
    /// `common_min` of them) is common: a passage fifty units of ten thousand
    /// share is a template, not one unit copying another.
    pub common_share: f64,
    pub common_min: u32,
    /// A bucket with more documents than this is a passage common to the set.
    pub max_bucket: usize,
    /// Band keys two reports must share to be aligned (LSH mode).
    pub min_shared_keys: usize,
    /// Worker threads (0: as many as the machine has).
    pub threads: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle: 8,
            min_passage: 16,
            exhaustive_below: 64,
            window: 160,
            stride: 80,
            bands: 12,
            rows: 2,
            common_share: 0.005,
            common_min: 5,
            max_bucket: 50,
            min_shared_keys: 2,
            threads: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Passage {
    pub a_start: usize,
    pub a_end: usize,
    pub b_start: usize,
    pub b_end: usize,
    pub text: String,
    /// Common slogans and set phrases rather than copying.
    pub boilerplate: bool,
    /// Characters (punctuation not counted).
    pub chars: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub a_name: String,
    pub b_name: String,
    /// Jaccard similarity of the two reports' uncommon shingles.
    pub similarity: f64,
    /// Characters in shared passages that are not boilerplate (in report a).
    pub copied_chars: usize,
    pub passages: Vec<Passage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub documents: Vec<String>,
    /// "exhaustive" or "minhash_lsh".
    pub method: &'static str,
    pub candidate_pairs: usize,
    pub pairs: Vec<Pair>,
}

const SKETCH_BITS: u32 = 22;
/// Low bits of a packed band key that hold the document number (up to 16M documents).
const DOC_MASK: u64 = (1 << 24) - 1;

/// Saturating document-frequency counts of shingles, by hash bucket.
struct Sketch {
    counts: Vec<u8>,
}

impl Sketch {
    fn new() -> Sketch {
        Sketch {
            counts: vec![0; 1 << SKETCH_BITS],
        }
    }
    #[inline]
    fn slot(h: u64) -> usize {
        (h >> (64 - SKETCH_BITS)) as usize
    }
    fn get(&self, h: u64) -> u32 {
        self.counts[Self::slot(h)] as u32
    }
    fn merge(&mut self, other: &Sketch) {
        if self.counts.iter().all(|&c| c == 0) {
            self.counts.copy_from_slice(&other.counts);
            return;
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a = a.saturating_add(*b);
        }
    }
}

struct Prepared {
    chars: Vec<char>,
    clean: Clean,
    shingles: Vec<u64>,
}

fn prepare(text: &str, k: usize) -> Prepared {
    let chars: Vec<char> = text.chars().collect();
    let clean = Clean::new(&chars, 0, chars.len());
    let mut shingles = Vec::new();
    ngram_hashes(&clean.chars, k, &mut shingles);
    Prepared {
        chars,
        clean,
        shingles,
    }
}

fn threads(cfg: &DedupConfig) -> usize {
    if cfg.threads > 0 {
        return cfg.threads;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Runs `f` over `0..n` split into contiguous chunks on worker threads, in order.
fn parallel<T: Send>(
    n: usize,
    workers: usize,
    f: impl Fn(std::ops::Range<usize>) -> T + Sync,
) -> Vec<T> {
    let workers = workers.max(1).min(n.max(1));
    let chunk = n.div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let f = &f;
                let r = (w * chunk).min(n)..((w + 1) * chunk).min(n);
                s.spawn(move || f(r))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

/// Maximal runs of equal shingles between `a` and `b`: (i, j, length in shingles).
fn runs(a: &[u64], b: &[u64]) -> Vec<(usize, usize, usize)> {
    let mut idx: Vec<(u64, u32)> = b.iter().enumerate().map(|(j, &h)| (h, j as u32)).collect();
    idx.sort_unstable();
    let mut out = Vec::new();
    for (i, &h) in a.iter().enumerate() {
        let lo = idx.partition_point(|x| x.0 < h);
        // A shingle repeated many times in b (a refrain) is not worth every start.
        for &(hh, j) in idx[lo..].iter().take(8) {
            if hh != h {
                break;
            }
            let j = j as usize;
            if i > 0 && j > 0 && a[i - 1] == b[j - 1] {
                continue;
            }
            let mut t = 1;
            while i + t < a.len() && j + t < b.len() && a[i + t] == b[j + t] {
                t += 1;
            }
            out.push((i, j, t));
        }
    }
    out
}

/// Aligns two prepared reports into passages (in shingle coordinates, merged).
fn align(a: &Prepared, b: &Prepared, cfg: &DedupConfig) -> Vec<(usize, usize, usize, usize)> {
    let k = cfg.shingle;
    let min_shingles = cfg.min_passage.saturating_sub(k - 1).max(1);
    let mut rs = runs(&a.shingles, &b.shingles);
    rs.sort_unstable();
    // Merge runs that continue each other across a small edit, in both texts.
    let gap = k + 4;
    let mut merged: Vec<(usize, usize, usize, usize)> = Vec::new(); // (ia, ja, ie, je) ends exclusive
    for (i, j, t) in rs {
        if let Some(last) = merged.last_mut() {
            if i >= last.0
                && i <= last.2 + gap
                && j >= last.1
                && j <= last.3 + gap
                && i + t > last.2
            {
                last.2 = last.2.max(i + t);
                last.3 = last.3.max(j + t);
                continue;
            }
        }
        merged.push((i, j, i + t, j + t));
    }
    merged.retain(|m| m.2 - m.0 >= min_shingles);
    // Drop passages contained in a longer one (a repeated refrain aligned twice).
    merged.sort_by_key(|m| std::cmp::Reverse(m.2 - m.0));
    let mut kept: Vec<(usize, usize, usize, usize)> = Vec::new();
    for m in merged {
        if !kept.iter().any(|x| m.0 >= x.0 && m.2 <= x.2) {
            kept.push(m);
        }
    }
    kept.sort_unstable();
    kept
}

fn jaccard(a: &[u64], b: &[u64], common: &(dyn Fn(u64) -> bool + Sync)) -> f64 {
    let mut x: Vec<u64> = a.iter().copied().filter(|&h| !common(h)).collect();
    let mut y: Vec<u64> = b.iter().copied().filter(|&h| !common(h)).collect();
    x.sort_unstable();
    x.dedup();
    y.sort_unstable();
    y.dedup();
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = x.len() + y.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// What every pair's report needs besides the two texts.
struct Ctx<'a> {
    docs: &'a [Document],
    phrases: &'a PhraseModel,
    common: &'a (dyn Fn(u64) -> bool + Sync),
    cfg: &'a DedupConfig,
}

fn pair_report(ia: usize, ib: usize, a: &Prepared, b: &Prepared, ctx: &Ctx) -> Option<Pair> {
    let Ctx {
        docs,
        phrases,
        common,
        cfg,
    } = *ctx;
    let spans = align(a, b, cfg);
    if spans.is_empty() {
        return None;
    }
    let k = cfg.shingle;
    let mask = phrases.mask(&a.chars);
    let mut passages = Vec::with_capacity(spans.len());
    let mut copied = 0;
    for (i0, j0, i1, j1) in spans {
        let ce = i1 + k - 1; // clean end, exclusive
        let de = j1 + k - 1;
        let a_start = a.clean.pos[i0] as usize;
        let a_end = a.clean.pos[ce - 1] as usize + 1;
        let b_start = b.clean.pos[j0] as usize;
        let b_end = b.clean.pos[de - 1] as usize + 1;
        // Boilerplate coverage: the corpus's phrases, or shingles common to the set.
        let mut covered = vec![false; ce - i0];
        for (t, c) in covered.iter_mut().enumerate() {
            *c = mask.marked[i0 + t];
        }
        for s in i0..i1 {
            if common(a.shingles[s]) {
                for c in &mut covered[s - i0..(s - i0 + k).min(ce - i0)] {
                    *c = true;
                }
            }
        }
        let share = covered.iter().filter(|&&c| c).count() as f64 / covered.len().max(1) as f64;
        let boilerplate = share >= 0.5;
        let len = ce - i0;
        if !boilerplate {
            copied += len;
        }
        passages.push(Passage {
            a_start,
            a_end,
            b_start,
            b_end,
            text: slice(&a.chars, a_start, a_end),
            boilerplate,
            chars: len,
        });
    }
    Some(Pair {
        a: ia,
        b: ib,
        a_name: docs[ia].name.clone(),
        b_name: docs[ib].name.clone(),
        similarity: (jaccard(&a.shingles, &b.shingles, common) * 1000.0).round() / 1000.0,
        copied_chars: copied,
        passages,
    })
}

/// Shared passages between the documents. `phrases` is the corpus's phrase model
/// (boilerplate labels); documents not in it are judged against it as outsiders.
pub fn compare(docs: &[Document], phrases: &PhraseModel, cfg: &DedupConfig) -> Comparison {
    let n = docs.len();
    let workers = threads(cfg);
    let names = docs.iter().map(|d| d.name.clone()).collect();
    if n < cfg.exhaustive_below.max(2) {
        let prepared: Vec<Prepared> = docs.iter().map(|d| prepare(&d.text, cfg.shingle)).collect();
        // Exact document frequencies: a small set can afford them.
        let mut df: crate::text::IdMap<u32> = crate::text::id_map(prepared.len() * 4096);
        for p in &prepared {
            let mut hs = p.shingles.clone();
            hs.sort_unstable();
            hs.dedup();
            for h in hs {
                *df.entry(h).or_insert(0) += 1;
            }
        }
        let thr = cfg
            .common_min
            .max((cfg.common_share * n as f64).ceil() as u32);
        let common = |h: u64| df.get(&h).copied().unwrap_or(0) >= thr;
        let ctx = Ctx {
            docs,
            phrases,
            common: &common,
            cfg,
        };
        let mut pairs = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                if let Some(p) = pair_report(a, b, &prepared[a], &prepared[b], &ctx) {
                    pairs.push(p);
                }
            }
        }
        pairs.sort_by_key(|p| std::cmp::Reverse(p.copied_chars));
        return Comparison {
            documents: names,
            method: "exhaustive",
            candidate_pairs: n * n.saturating_sub(1) / 2,
            pairs,
        };
    }

    // Shingles of every document (upper 32 bits of the hash: plenty for MinHash,
    // half the memory), and their document frequencies in a sketch. The
    // last-document array counts a shingle once per document without sorting.
    let k = cfg.shingle;
    let per_thread = parallel(n, workers, |r| {
        let mut counts = vec![0u8; 1 << SKETCH_BITS];
        // Document numbers modulo 2^16: two documents 65,536 apart touching the
        // same slot one right after the other is the only (harmless) confusion.
        let mut last = vec![u16::MAX; 1 << SKETCH_BITS];
        let mut hs = Vec::new();
        let mut shingles: Vec<Vec<u32>> = Vec::with_capacity(r.len());
        for di in r {
            let chars: Vec<char> = docs[di].text.chars().collect();
            let clean = Clean::new(&chars, 0, chars.len());
            ngram_hashes(&clean.chars, k, &mut hs);
            let mut mine = Vec::with_capacity(hs.len());
            for &h in &hs {
                let slot = Sketch::slot(h);
                if last[slot] != di as u16 {
                    last[slot] = di as u16;
                    counts[slot] = counts[slot].saturating_add(1);
                }
                mine.push((h >> 32) as u32);
            }
            shingles.push(mine);
        }
        (Sketch { counts }, shingles)
    });
    let mut sketch = Sketch::new();
    let mut shingles: Vec<Vec<u32>> = Vec::with_capacity(n);
    for (sk, sh) in per_thread {
        sketch.merge(&sk);
        shingles.extend(sh);
    }
    let thr = cfg
        .common_min
        .max((cfg.common_share * n as f64).ceil() as u32)
        .min(255);
    let common = |h: u64| sketch.get(h) >= thr;
    let common32 = |h: u32| sketch.counts[(h >> (32 - SKETCH_BITS)) as usize] as u32 >= thr;

    // Window signatures → band keys, packed with the document number so that one
    // sort of plain integers groups the buckets.
    let bins = cfg.bands * cfg.rows;
    let keyed: Vec<Vec<u64>> = parallel(n, workers, |r| {
        let mut out = Vec::new();
        let mut mins = vec![u32::MAX; bins];
        let mut keys: Vec<u64> = Vec::new();
        let mut kept: Vec<u32> = Vec::new();
        for di in r {
            kept.clear();
            kept.extend(shingles[di].iter().copied().filter(|&h| !common32(h)));
            if kept.len() < cfg.min_passage {
                continue;
            }
            keys.clear();
            let mut start = 0;
            loop {
                let end = (start + cfg.window).min(kept.len());
                if end - start >= cfg.min_passage {
                    mins.iter_mut().for_each(|m| *m = u32::MAX);
                    for &h in &kept[start..end] {
                        // The bin from the low bits, the minimum over the whole value:
                        // one hash per shingle serves all bins (one-permutation hashing).
                        let bin = (h as usize) % bins;
                        if h < mins[bin] {
                            mins[bin] = h;
                        }
                    }
                    for band in 0..cfg.bands {
                        let row = &mins[band * cfg.rows..(band + 1) * cfg.rows];
                        if row.contains(&u32::MAX) {
                            continue;
                        }
                        let mut key = band as u64 + 1;
                        for &m in row {
                            key = mix64(key ^ ((m as u64) << 20));
                        }
                        keys.push((key & !DOC_MASK) | di as u64);
                    }
                }
                if end == kept.len() {
                    break;
                }
                start += cfg.stride;
            }
            keys.sort_unstable();
            keys.dedup();
            out.extend_from_slice(&keys);
        }
        out
    });
    drop(shingles);
    let mut all: Vec<u64> = keyed.concat();
    all.sort_unstable();
    let mut cand: Vec<u64> = Vec::new();
    let mut g = 0;
    while g < all.len() {
        let key = all[g] & !DOC_MASK;
        let mut e = g + 1;
        while e < all.len() && all[e] & !DOC_MASK == key {
            e += 1;
        }
        let size = e - g;
        if size >= 2 && size <= cfg.max_bucket {
            for x in g..e {
                for y in x + 1..e {
                    let (da, db) = (all[x] & DOC_MASK, all[y] & DOC_MASK);
                    let (a, b) = (da.min(db), da.max(db));
                    if a != b {
                        cand.push((a << 32) | b);
                    }
                }
            }
        }
        g = e;
    }
    drop(all);
    // A copied passage shares many band keys (several windows, several bands);
    // one shared key alone is most often chance.
    cand.sort_unstable();
    let mut kept = Vec::with_capacity(cand.len() / 4);
    let mut g = 0;
    while g < cand.len() {
        let mut e = g + 1;
        while e < cand.len() && cand[e] == cand[g] {
            e += 1;
        }
        if e - g >= cfg.min_shared_keys {
            kept.push(cand[g]);
        }
        g = e;
    }
    let cand = kept;

    let ctx = Ctx {
        docs,
        phrases,
        common: &common,
        cfg,
    };
    let pairs: Vec<Vec<Pair>> = parallel(cand.len(), workers, |r| {
        let mut out = Vec::new();
        for &c in &cand[r] {
            let (a, b) = ((c >> 32) as usize, (c & 0xffff_ffff) as usize);
            let pa = prepare(&docs[a].text, k);
            let pb = prepare(&docs[b].text, k);
            if let Some(p) = pair_report(a, b, &pa, &pb, &ctx) {
                if p.copied_chars > 0 {
                    out.push(p);
                }
            }
        }
        out
    });
    let mut pairs: Vec<Pair> = pairs.into_iter().flatten().collect();
    pairs.sort_by(|x, y| y.copied_chars.cmp(&x.copied_chars).then(x.a.cmp(&y.a)));
    Comparison {
        documents: names,
        method: "minhash_lsh",
        candidate_pairs: cand.len(),
        pairs,
    }
}
