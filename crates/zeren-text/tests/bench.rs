//! Benchmarks, ignored by default; run them in release on an idle machine:
//!
//! ```sh
//! cargo test --release -p zeren-text --test bench -- --ignored --nocapture --test-threads 1
//! ```
//!
//! Targets (issue 7): outline + figures + scores at 1,000 reports a second on one
//! core; near-duplicates across 10,000 reports of 5,000 characters in under 10 s.
//! As everywhere in this project, speed is printed (and recorded in BENCHMARKS.md),
//! not asserted: a loaded machine must not fail a test. What is asserted is that
//! the near-duplicate run finds every planted copy.

use std::time::Instant;

use zeren_text::{analyze, compare, synth, Corpus, Document, BUILTIN};

#[test]
#[ignore]
fn analysis_throughput_one_core() {
    let corpus = Corpus::builtin();
    let mut docs: Vec<Document> = BUILTIN
        .iter()
        .map(|(n, t)| Document::from_text(*n, t))
        .collect();
    // Generated reports too, so the figure is not only five texts kept in cache.
    docs.extend(synth::reports(45, 5000, 3).docs);
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    for d in &docs {
        std::hint::black_box(analyze(d, &corpus));
    }
    let t = Instant::now();
    let mut n = 0usize;
    while t.elapsed().as_secs_f64() < 3.0 {
        for d in &docs {
            std::hint::black_box(analyze(d, &corpus));
            n += 1;
        }
    }
    let per_s = n as f64 / t.elapsed().as_secs_f64();
    println!(
        "analyze (outline, parts, figures, scores, links, boilerplate): {per_s:.0} reports/s on one thread, {} characters on average",
        chars / docs.len()
    );
}

#[test]
#[ignore]
fn near_duplicates_10000_reports() {
    let t = Instant::now();
    let s = synth::reports(10_000, 5000, 2026);
    let avg = s.docs.iter().map(|d| d.text.chars().count()).sum::<usize>() / s.docs.len();
    println!(
        "generated 10,000 reports of {avg} characters in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let corpus = Corpus::builtin();
    let t = Instant::now();
    let c = compare(&s.docs, &corpus);
    let secs = t.elapsed().as_secs_f64();
    let found = s
        .planted
        .iter()
        .filter(|p| {
            let (a, b) = (p.from.min(p.to), p.from.max(p.to));
            c.pairs
                .iter()
                .any(|x| x.a == a && x.b == b && x.copied_chars * 2 >= p.chars)
        })
        .count();
    println!(
        "near-duplicates: {secs:.2} s with {} threads; {} candidate pairs aligned, {} pairs with copied passages; planted copies found {found}/{}",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        c.candidate_pairs,
        c.pairs.len(),
        s.planted.len()
    );
    assert_eq!(found, s.planted.len());
}
