//! Character classes, hashing and the "clean stream" the n-gram models work on.
//!
//! Everything in this crate indexes text by `char` (not byte): a Chinese character is
//! one position, which is also what a browser counts for text in the Basic
//! Multilingual Plane, so positions can be handed to a page unchanged.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// CJK ideographs (with extension A and the compatibility block) and 〇.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '〇')
}

/// Characters that carry words: ideographs, letters, digits (ASCII and full-width).
pub fn is_word_char(c: char) -> bool {
    is_cjk(c) || c.is_ascii_alphanumeric() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Ends a sentence for scoring. The semicolon is included because official
/// reports chain independent statements with it (problem lists especially).
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';')
}

/// Ends a clause: where the subject of a figure stops being looked for.
pub fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, '，' | ',' | '：' | ':' | '\n')
}

pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Folds full-width ASCII to ASCII and ASCII letters to lower case, so that
/// "２０２３" and "2023" are the same n-gram.
pub fn fold(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            let a = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            a.to_ascii_lowercase()
        }
        _ => c.to_ascii_lowercase(),
    }
}

/// The word characters of `chars[range]`, folded, with the position each came from.
/// Punctuation and spaces are dropped so that "不敢腐、不能腐" and "不敢腐不能腐" share
/// their n-grams: reports punctuate the same slogan differently.
pub struct Clean {
    pub chars: Vec<char>,
    pub pos: Vec<u32>,
}

impl Clean {
    pub fn new(chars: &[char], start: usize, end: usize) -> Clean {
        let mut out = Clean {
            chars: Vec::with_capacity(end.saturating_sub(start)),
            pos: Vec::with_capacity(end.saturating_sub(start)),
        };
        for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
            if is_word_char(c) {
                out.chars.push(fold(c));
                out.pos.push(i as u32);
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
}

/// splitmix64's finaliser: turns a weak polynomial hash into one whose every bit
/// is usable for bucketing and MinHash.
#[inline]
pub fn mix64(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const BASE: u64 = 0x100_0000_01b3;

/// Hashes of every `n`-gram of `s` (empty if `s` is shorter), by a rolling
/// polynomial hash: one multiplication per character whatever `n` is.
pub fn ngram_hashes(s: &[char], n: usize, out: &mut Vec<u64>) {
    out.clear();
    if n == 0 || s.len() < n {
        return;
    }
    let mut pow = 1u64;
    for _ in 0..n {
        pow = pow.wrapping_mul(BASE);
    }
    let mut h = 0u64;
    for (i, &c) in s.iter().enumerate() {
        h = h.wrapping_mul(BASE).wrapping_add(c as u64 + 1);
        if i >= n {
            h = h.wrapping_sub((s[i - n] as u64 + 1).wrapping_mul(pow));
        }
        if i + 1 >= n {
            out.push(mix64(h));
        }
    }
}

/// Hash of one short string, consistent with [`ngram_hashes`].
pub fn hash_chars(s: &[char]) -> u64 {
    let mut h = 0u64;
    for &c in s {
        h = h.wrapping_mul(BASE).wrapping_add(c as u64 + 1);
    }
    mix64(h)
}

/// Keys here are already mixed hashes; hashing them again (SipHash by default)
/// would cost more than the lookup itself.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
        self.0 = mix64(self.0);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = mix64(n as u64);
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

pub fn id_map<V>(capacity: usize) -> IdMap<V> {
    HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default())
}

/// A set of characters of the Basic Multilingual Plane, as a bitmap: membership
/// is one shift and one load, where `str::contains(char)` scans the string.
pub struct CharSet {
    bits: Box<[u64; 1024]>,
}

impl CharSet {
    pub fn new<'a>(chars: impl IntoIterator<Item = &'a str>) -> CharSet {
        let mut bits = Box::new([0u64; 1024]);
        for s in chars {
            for c in s.chars() {
                let v = c as u32;
                if v < 0x10000 {
                    bits[(v >> 6) as usize] |= 1 << (v & 63);
                }
            }
        }
        CharSet { bits }
    }

    /// The set of first characters of some words.
    pub fn first_chars(words: &[&str]) -> CharSet {
        let firsts: Vec<String> = words
            .iter()
            .filter_map(|w| w.chars().next())
            .map(String::from)
            .collect();
        CharSet::new(firsts.iter().map(|s| s.as_str()))
    }

    #[inline]
    pub fn contains(&self, c: char) -> bool {
        let v = c as u32;
        v < 0x10000 && self.bits[(v >> 6) as usize] & (1 << (v & 63)) != 0
    }
}

/// `chars[a..b]` as a String.
pub fn slice(chars: &[char], a: usize, b: usize) -> String {
    let b = b.min(chars.len());
    if a >= b {
        return String::new();
    }
    let mut s = String::with_capacity(chars[a..b].iter().map(|c| c.len_utf8()).sum());
    s.extend(&chars[a..b]);
    s
}

/// `a..b` with surrounding whitespace removed.
pub fn trim_range(chars: &[char], mut a: usize, mut b: usize) -> (usize, usize) {
    while a < b && chars[a].is_whitespace() {
        a += 1;
    }
    while b > a && chars[b - 1].is_whitespace() {
        b -= 1;
    }
    (a, b)
}

/// Does `chars` contain `pat` starting at `i`?
pub fn at(chars: &[char], i: usize, pat: &str) -> bool {
    for (k, p) in (i..).zip(pat.chars()) {
        if k >= chars.len() || chars[k] != p {
            return false;
        }
    }
    true
}

/// Does `chars[..i]` end with `pat`?
pub fn ends_at(chars: &[char], i: usize, pat: &str) -> bool {
    let n = pat.chars().count();
    n <= i && at(chars, i - n, pat)
}

pub fn contains(chars: &[char], pat: &str) -> bool {
    let first = match pat.chars().next() {
        Some(c) => c,
        None => return true,
    };
    (0..chars.len()).any(|i| chars[i] == first && at(chars, i, pat))
}

/// Character bigrams of ideograph runs (the IDF vocabulary): the mixed key for
/// maps, and the packed pair to show the bigram again.
pub fn bigrams(chars: &[char], out: &mut Vec<(u64, u64)>) {
    out.clear();
    for w in chars.windows(2) {
        if is_cjk(w[0]) && is_cjk(w[1]) {
            let packed = ((w[0] as u64) << 32) | w[1] as u64;
            out.push((mix64(packed), packed));
        }
    }
}

/// The two characters of a packed bigram.
pub fn unpack(packed: u64) -> String {
    let a = char::from_u32((packed >> 32) as u32).unwrap_or('?');
    let b = char::from_u32((packed & 0xffff_ffff) as u32).unwrap_or('?');
    [a, b].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_hash_matches_direct_hash() {
        let s: Vec<char> = "全面从严治党向纵深发展".chars().collect();
        let mut hs = Vec::new();
        ngram_hashes(&s, 4, &mut hs);
        assert_eq!(hs.len(), s.len() - 3);
        for (i, h) in hs.iter().enumerate() {
            assert_eq!(*h, hash_chars(&s[i..i + 4]));
        }
    }

    #[test]
    fn clean_drops_punctuation_and_folds_width() {
        let s: Vec<char> = "不敢腐、不能腐 ２０２３Ａ".chars().collect();
        let c = Clean::new(&s, 0, s.len());
        assert_eq!(c.chars.iter().collect::<String>(), "不敢腐不能腐2023a");
        assert_eq!(c.pos[3], 4);
    }
}
