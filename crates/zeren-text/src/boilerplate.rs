//! Boilerplate: phrases that many reports share, learned from the corpus given
//! (character n-grams found in several other documents), plus a short list of the
//! genre's standing formulas that even a small corpus may not show twice.
//!
//! N-grams are taken over the "clean" stream (ideographs, letters and digits only),
//! so the same slogan punctuated differently is still the same slogan.

use std::collections::HashSet;

use serde::Serialize;

use crate::text::{hash_chars, id_map, ngram_hashes, Clean, IdMap};

/// Length of the n-grams the phrase model counts. Six characters is about two
/// words: long enough that a shared n-gram is a shared phrase, short enough to
/// catch four-character slogans inside longer formulas.
pub const N: usize = 6;

const FILTER_BITS: usize = 1 << 20;

/// The genre's standing formulas (written without punctuation; matching is on
/// the clean stream). Not the model, only its seed: what the corpus shows across
/// several reports is found without this list.
pub const SLOGANS: &[&str] = &[
    "坚持以习近平新时代中国特色社会主义思想为指导",
    "以习近平新时代中国特色社会主义思想为指导",
    "以习近平同志为核心的党中央",
    "同以习近平同志为核心的党中央保持高度一致",
    "全面贯彻党的二十大精神",
    "深入学习贯彻党的二十大精神",
    "推动全面从严治党向纵深发展",
    "全面从严治党向纵深发展",
    "两个确立",
    "两个维护",
    "四个意识",
    "四个自信",
    "一岗双责",
    "三会一课",
    "风清气正",
    "不敢腐不能腐不想腐",
    "党要管党从严治党",
    "党要管党全面从严治党",
    "把纪律挺在前面",
    "重要工作亲自部署",
    "重大问题亲自过问",
    "重点环节亲自协调",
    "重点案件亲自督办",
    "重要案件亲自督办",
    "层层传导压力",
    "层层压实责任",
    "抓早抓小",
    "防微杜渐",
    "失之于宽失之于松失之于软",
    "失之于宽失之于软",
    "上热中温下冷",
    "上热下冷",
    "拒腐防变",
    "常态长效",
    "走深走实",
    "落地见效",
    "落到实处",
    "抓紧抓实抓好",
    "提高政治站位",
    "旗帜鲜明讲政治",
    "把方向管大局保落实",
    "把方向管大局作决策促改革保落实",
    "以人民为中心",
    "不忘初心牢记使命",
    "真抓实干",
    "久久为功",
    "锲而不舍",
    "持之以恒",
    "政治判断力政治领悟力政治执行力",
    "同谋划同部署同推进同考核",
    "同部署同落实同考核",
    "心有所畏言有所戒行有所止",
    "学懂弄通做实",
    "入脑入心",
    "齐抓共管",
    "标本兼治",
    "综合施策",
    "形成合力",
    "取得了一定成效",
    "取得阶段性成效",
    "落实全面从严治党主体责任",
    "营造风清气正的良好政治生态",
    "严肃党内政治生活",
    "政治生态",
    "习近平总书记重要讲话",
    "重要指示批示精神",
];

/// Document frequencies of the corpus's n-grams.
#[derive(Clone, Default)]
pub struct PhraseModel {
    df: IdMap<u32>,
    /// The n-grams found in two documents or more: the only ones that can be
    /// boilerplate (most n-grams of a corpus are in one document), in a map small
    /// enough to stay in cache, behind a one-bit-per-slot filter.
    frequent: IdMap<u32>,
    filter: Vec<u64>,
    docs: u32,
    seen: HashSet<u64>,
    slogans: IdMap<Vec<Vec<char>>>,
}

/// A boilerplate run found in a document.
#[derive(Debug, Clone, Serialize)]
pub struct Phrase {
    pub text: String,
    /// In how many other documents of the corpus it was found (0: from the seed list).
    pub docs: u32,
    pub start: usize,
    pub end: usize,
}

/// Which clean-stream positions of one document are boilerplate.
pub struct Mask {
    pub clean: Clean,
    pub marked: Vec<bool>,
    /// Highest document frequency of an n-gram covering each position.
    pub df_at: Vec<u32>,
    /// Prefix sums of `marked`, for counting within any range quickly.
    prefix: Vec<u32>,
}

impl Mask {
    /// Marked and total clean characters in the original range `a..b`.
    pub fn count(&self, a: usize, b: usize) -> (usize, usize) {
        let lo = self.clean.pos.partition_point(|&p| (p as usize) < a);
        let hi = self.clean.pos.partition_point(|&p| (p as usize) < b);
        if hi <= lo {
            return (0, 0);
        }
        ((self.prefix[hi] - self.prefix[lo]) as usize, hi - lo)
    }

    /// Marked runs of at least `min` clean characters, as original ranges.
    pub fn runs(&self, min: usize) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        let n = self.marked.len();
        let mut i = 0;
        while i < n {
            if !self.marked[i] {
                i += 1;
                continue;
            }
            let s = i;
            let mut df = 0;
            while i < n && self.marked[i] {
                df = df.max(self.df_at[i]);
                i += 1;
            }
            if i - s >= min {
                out.push((
                    self.clean.pos[s] as usize,
                    self.clean.pos[i - 1] as usize + 1,
                    df,
                ));
            }
        }
        out
    }
}

impl PhraseModel {
    pub fn new() -> PhraseModel {
        let mut m = PhraseModel {
            df: id_map(1 << 14),
            frequent: id_map(1 << 10),
            filter: vec![0; FILTER_BITS / 64],
            ..PhraseModel::default()
        };
        m.slogans = id_map(SLOGANS.len());
        for s in SLOGANS {
            let c: Vec<char> = s.chars().collect();
            if c.len() >= 4 {
                m.slogans.entry(hash_chars(&c[..4])).or_default().push(c);
            }
        }
        m
    }

    /// Number of distinct documents counted.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Adds a document's distinct n-grams; a text already added (same hash) is not
    /// counted twice.
    pub fn add(&mut self, chars: &[char]) -> bool {
        let key = hash_chars(chars);
        if !self.seen.insert(key) {
            return false;
        }
        self.docs += 1;
        let clean = Clean::new(chars, 0, chars.len());
        let mut hs = Vec::new();
        ngram_hashes(&clean.chars, N, &mut hs);
        hs.sort_unstable();
        hs.dedup();
        for h in hs {
            let e = self.df.entry(h).or_insert(0);
            *e += 1;
            if *e >= 2 {
                self.frequent.insert(h, *e);
                let slot = (h >> 40) as usize & (FILTER_BITS - 1);
                self.filter[slot >> 6] |= 1 << (slot & 63);
            }
        }
        true
    }

    #[inline]
    fn frequency(&self, h: u64) -> u32 {
        let slot = (h >> 40) as usize & (FILTER_BITS - 1);
        if self.filter[slot >> 6] & (1 << (slot & 63)) == 0 {
            return 0;
        }
        self.frequent.get(&h).copied().unwrap_or(0)
    }

    pub fn contains_doc(&self, chars: &[char]) -> bool {
        self.seen.contains(&hash_chars(chars))
    }

    /// Minimum number of *other* documents an n-gram must appear in to be
    /// boilerplate: two, or 15% of the corpus when it is large.
    pub fn threshold(others: u32) -> u32 {
        2.max((others as f64 * 0.15).ceil() as u32)
    }

    /// The boilerplate mask of a document.
    pub fn mask(&self, chars: &[char]) -> Mask {
        let self_in = self.contains_doc(chars);
        let others = self.docs - u32::from(self_in);
        let thr = Self::threshold(others);
        let clean = Clean::new(chars, 0, chars.len());
        let n = clean.len();
        let mut marked = vec![false; n];
        let mut df_at = vec![0u32; n];
        let mut hs = Vec::new();
        ngram_hashes(&clean.chars, N, &mut hs);
        for (p, h) in hs.iter().enumerate() {
            let df = self.frequency(*h).saturating_sub(u32::from(self_in));
            if df >= thr {
                for k in p..p + N {
                    marked[k] = true;
                    df_at[k] = df_at[k].max(df);
                }
            }
        }
        ngram_hashes(&clean.chars, 4, &mut hs);
        for (p, h) in hs.iter().enumerate() {
            if let Some(list) = self.slogans.get(h) {
                for s in list {
                    if p + s.len() <= n && clean.chars[p..p + s.len()] == s[..] {
                        for m in &mut marked[p..p + s.len()] {
                            *m = true;
                        }
                    }
                }
            }
        }
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(0u32);
        let mut acc = 0;
        for &m in &marked {
            acc += u32::from(m);
            prefix.push(acc);
        }
        Mask {
            clean,
            marked,
            df_at,
            prefix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn phrases_in_two_other_documents_are_boilerplate() {
        let mut m = PhraseModel::new();
        let a = chars("甲单位认真开展调查研究，深入基层一线。");
        let b = chars("乙单位认真开展调查研究，走访群众。");
        let c = chars("丙单位认真开展调查研究，召开座谈会。");
        for d in [&a, &b, &c] {
            m.add(d);
        }
        let mask = m.mask(&a);
        let (marked, total) = mask.count(0, a.len());
        assert!(marked >= 8 && marked < total, "{marked}/{total}");
        // Only in one document: not boilerplate.
        let runs = mask.runs(6);
        assert_eq!(runs.len(), 1);
        assert!(crate::text::slice(&a, runs[0].0, runs[0].1).contains("认真开展调查研究"));
    }

    #[test]
    fn seed_slogans_are_found_whatever_the_punctuation() {
        let m = PhraseModel::new();
        let a = chars("构建不敢腐、不能腐、不想腐的机制");
        let (marked, _) = m.mask(&a).count(0, a.len());
        assert_eq!(marked, 9);
    }
}
