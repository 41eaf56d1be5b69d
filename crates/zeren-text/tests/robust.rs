//! Odd input never panics: empty text, lone markers, numerals everywhere, cut-off
//! quotes, random soup of the characters the parsers look at.

use zeren_text::synth::Rng;
use zeren_text::{analyze, compare_texts, Corpus, Document};

#[test]
fn odd_texts_are_read_without_panicking() {
    let corpus = Corpus::builtin();
    let fixed = [
        "",
        "\n\n\n",
        "一、",
        "（一）",
        "1.",
        "①",
        "一是",
        "二、存在问题\n三、下一步打算",
        "“未闭合的引号 3个",
        "《未闭合的书名 5项",
        "共计万余元，约百分之",
        "1.5万万亿元人次%％",
        "3至至5次，10%-%",
        "第第第一二三四五六七八九十百千万亿",
        "每每每月一次以上以上",
        "××年××月××日，**市",
    ];
    for t in fixed {
        let a = analyze(&Document::from_text("x", t), &corpus);
        assert!(a.score <= 100);
    }
    let alphabet: Vec<char> =
        "一二三四五六七八九十百千万亿两〇零0123456789.．、，。；：（）()“”《》①②是第其余多近约以上至少不少于个项次人名万元%问题存在不足下一步措施成效\n 　每月年日"
            .chars()
            .collect();
    let mut rng = Rng::new(7);
    let mut texts = Vec::new();
    for _ in 0..3000 {
        let n = rng.below(120);
        let t: String = (0..n)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let a = analyze(&Document::from_text("soup", &t), &corpus);
        for f in &a.figures {
            assert!(f.start < f.end && f.end <= t.chars().count());
        }
        for s in &a.sentences {
            assert!(s.start <= s.end && s.end <= t.chars().count());
        }
        texts.push(("soup".to_string(), t));
    }
    // Reports cut at random places: headings without bodies, bodies without headings.
    for (_, t) in zeren_text::BUILTIN {
        let chars: Vec<char> = t.chars().collect();
        for _ in 0..200 {
            let a = rng.below(chars.len());
            let b = (a + rng.below(2000)).min(chars.len());
            let piece: String = chars[a..b].iter().collect();
            let r = analyze(&Document::from_text("cut", &piece), &corpus);
            assert!(r.figures.iter().all(|f| f.end <= b - a));
        }
    }
    let c = compare_texts(&texts[..40]);
    for p in &c.pairs {
        for x in &p.passages {
            assert!(x.a_start < x.a_end && x.b_start < x.b_end);
        }
    }
}
