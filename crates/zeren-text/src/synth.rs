//! Generated reports for benchmarks: deterministic, with the genre's character
//! frequencies (taken from the shipped seeds), shared slogans and set phrases that
//! every unit repeats, and planted copies whose positions are known.

use crate::boilerplate::SLOGANS;
use crate::text::is_cjk;
use crate::{Document, BUILTIN};

/// splitmix64: small, fast, reproducible; no need for a crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        crate::text::mix64(self.0)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// A copy planted in the generated set: `len` characters of report `from`
/// inserted into report `to` (lightly edited).
#[derive(Debug, Clone, Copy)]
pub struct Planted {
    pub from: usize,
    pub to: usize,
    pub chars: usize,
    pub whole: bool,
}

pub struct Synth {
    pub docs: Vec<Document>,
    pub planted: Vec<Planted>,
}

struct Vocab {
    words: Vec<String>,
    cum: Vec<f64>,
    phrases: Vec<String>,
}

impl Vocab {
    fn new(rng: &mut Rng) -> Vocab {
        let mut freq: std::collections::HashMap<char, u32> = std::collections::HashMap::new();
        for (_, t) in BUILTIN {
            for c in t.chars().filter(|&c| is_cjk(c)) {
                *freq.entry(c).or_insert(0) += 1;
            }
        }
        let mut chars: Vec<(char, u32)> = freq.into_iter().collect();
        chars.sort();
        let total: f64 = chars.iter().map(|x| x.1 as f64).sum();
        let mut ccum = Vec::with_capacity(chars.len());
        let mut acc = 0.0;
        for (_, f) in &chars {
            acc += *f as f64 / total;
            ccum.push(acc);
        }
        let pick_char = |rng: &mut Rng| {
            let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let i = ccum.partition_point(|&c| c < x).min(chars.len() - 1);
            chars[i].0
        };
        let mut words = Vec::with_capacity(8000);
        for _ in 0..8000 {
            let len = match rng.below(20) {
                0..=11 => 2,
                12..=16 => 3,
                _ => 4,
            };
            words.push((0..len).map(|_| pick_char(rng)).collect::<String>());
        }
        // Zipf's law over word ranks, as in any natural text.
        let mut cum = Vec::with_capacity(words.len());
        let mut acc = 0.0;
        for r in 0..words.len() {
            acc += 1.0 / (r as f64 + 1.0);
            cum.push(acc);
        }
        for c in &mut cum {
            *c /= acc;
        }
        let mut v = Vocab {
            words,
            cum,
            phrases: Vec::new(),
        };
        v.phrases = (0..300)
            .map(|_| {
                (0..3 + rng.below(3))
                    .map(|_| v.word(rng).to_string())
                    .collect::<String>()
            })
            .collect();
        v
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let i = self
            .cum
            .partition_point(|&c| c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, out: &mut String) {
        if rng.chance(0.3) {
            if rng.chance(0.5) {
                out.push_str(SLOGANS[rng.below(SLOGANS.len())]);
            } else {
                out.push_str(&self.phrases[rng.below(self.phrases.len())]);
            }
            out.push('，');
        }
        let n = 6 + rng.below(12);
        for k in 0..n {
            out.push_str(self.word(rng));
            if k + 1 < n && rng.chance(0.15) {
                out.push('，');
            }
        }
        if rng.chance(0.2) {
            out.push_str(&format!(
                "{}{}",
                1 + rng.below(300),
                ["次", "人次", "个", "项", "名"][rng.below(5)]
            ));
        }
        out.push('。');
    }
}

const CN: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn report(v: &Vocab, rng: &mut Rng, target: usize) -> String {
    let mut s = String::with_capacity(target * 3 + 64);
    let mut n = 0usize;
    let mut h = 0;
    while n < target {
        if h < 10 && (h == 0 || rng.chance(0.25)) {
            s.push_str(CN[h]);
            s.push('、');
            for _ in 0..3 {
                s.push_str(v.word(rng));
            }
            s.push('\n');
            h += 1;
        }
        for _ in 0..3 + rng.below(4) {
            v.sentence(rng, &mut s);
        }
        s.push('\n');
        n = s.chars().count();
    }
    s
}

fn edit(text: &str, rng: &mut Rng, every: usize) -> String {
    text.chars()
        .map(|c| {
            if is_cjk(c) && rng.below(every) == 0 {
                'の'
            } else {
                c
            }
        })
        .collect()
}

/// `n` reports of about `chars` characters each; 2% carry a passage of 300–800
/// characters copied from an earlier report, 0.5% are near-copies of one.
pub fn reports(n: usize, chars: usize, seed: u64) -> Synth {
    let mut rng = Rng::new(seed);
    let v = Vocab::new(&mut rng);
    let mut texts: Vec<String> = Vec::with_capacity(n);
    let mut planted = Vec::new();
    for i in 0..n {
        let mut t = report(&v, &mut rng, chars);
        if i > 0 && rng.chance(0.005) {
            let from = rng.below(i);
            // A near-copy: the other report with every 15th character changed.
            t = edit(&texts[from], &mut rng, 15);
            planted.push(Planted {
                from,
                to: i,
                chars: t.chars().count(),
                whole: true,
            });
        } else if i > 0 && rng.chance(0.02) {
            let from = rng.below(i);
            let src: Vec<char> = texts[from].chars().collect();
            let len = 300 + rng.below(500);
            let start = rng.below(src.len().saturating_sub(len).max(1));
            let piece: String = src[start..(start + len).min(src.len())].iter().collect();
            let piece = edit(&piece, &mut rng, 60);
            // Inserted at a line break of this report.
            let cut = t
                .char_indices()
                .filter(|&(_, c)| c == '\n')
                .map(|(b, _)| b)
                .nth(2 + rng.below(4))
                .unwrap_or(t.len());
            t.insert_str(cut, &format!("\n{piece}\n"));
            planted.push(Planted {
                from,
                to: i,
                chars: piece.chars().count(),
                whole: false,
            });
        }
        texts.push(t);
    }
    Synth {
        docs: texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| Document::from_text(format!("生成报告{:05}.txt", i + 1), &t))
            .collect(),
        planted,
    }
}
