//! Shared passages: positions in both texts, copying told from boilerplate, and
//! the MinHash/LSH path finding planted copies in a generated set.

use zeren_text::dedup::{compare, DedupConfig};
use zeren_text::{compare_texts, synth, Corpus};

fn seed_001() -> (String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds");
    let p = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("001"))
        .unwrap();
    ("001.txt".to_string(), std::fs::read_to_string(p).unwrap())
}

fn char_index(hay: &str, needle: &str) -> usize {
    let b = hay.find(needle).unwrap();
    hay[..b].chars().count()
}

#[test]
fn copied_passage_found_with_positions_in_both_texts() {
    let (name, a) = seed_001();
    let copied = "聚焦群众看病就医的堵点、淤点、难点问题，与落实市委十项行动的十二项举措相结合，分别确定了“十三难”问题以及以崔树波案为戒的正反面典型案例，进行解剖式调研，切实提升人民群众的就医感受";
    let b = format!(
        "某区卫生健康局2024年工作报告\n一、主要工作\n今年以来，我局围绕基层医疗服务能力提升开展了多项工作。{copied}。此外，我局完成了社区卫生服务中心改造，新增床位四十张。\n二、存在问题\n基层人才流失较多。"
    );
    let c = compare_texts(&[(name, a.clone()), ("b.txt".to_string(), b.clone())]);
    assert_eq!(c.method, "exhaustive");
    let pair = &c.pairs[0];
    let copies: Vec<_> = pair.passages.iter().filter(|p| !p.boilerplate).collect();
    assert_eq!(copies.len(), 1, "{:#?}", pair.passages);
    let p = copies[0];
    let n = copied.chars().count();
    assert_eq!(p.a_start, char_index(&a, copied));
    assert_eq!(p.a_end, p.a_start + n);
    assert_eq!(p.b_start, char_index(&b, copied));
    assert_eq!(p.b_end, p.b_start + n);
    assert_eq!(p.text, copied);
    assert!(pair.copied_chars >= 80);
}

#[test]
fn lightly_edited_copy_is_one_passage() {
    let (name, a) = seed_001();
    let original = "坚持把整改整治作为贯通各项工作的总抓手，以新气象新作为推动高质量发展取得新成效。聚焦高质量发展瓶颈问题和群众急难愁盼问题，结合调查研究，细化整改举措和任务分工，强化台账管理、挂账销号";
    let edited = original
        .replace("总抓手", "主抓手")
        .replace("细化整改举措", "细化整改措施");
    let b = format!("我区教育系统今年开展了作风建设专项行动。{edited}。全年没有发生违纪案件。");
    let c = compare_texts(&[(name, a.clone()), ("b.txt".to_string(), b.clone())]);
    let copies: Vec<_> = c.pairs[0]
        .passages
        .iter()
        .filter(|p| !p.boilerplate)
        .collect();
    assert_eq!(copies.len(), 1, "{copies:#?}");
    assert_eq!(copies[0].a_start, char_index(&a, original));
    assert_eq!(copies[0].b_start, char_index(&b, &edited));
    assert!(copies[0].chars >= 80);
}

#[test]
fn lsh_finds_planted_copies_in_a_generated_set() {
    let s = synth::reports(400, 2500, 11);
    assert!(s.planted.len() >= 5, "{}", s.planted.len());
    let cfg = DedupConfig {
        exhaustive_below: 0,
        ..DedupConfig::default()
    };
    let c = compare(&s.docs, Corpus::builtin().phrases(), &cfg);
    assert_eq!(c.method, "minhash_lsh");
    // Far fewer pairs aligned than the 79,800 an exhaustive run would.
    assert!(c.candidate_pairs < 400, "{}", c.candidate_pairs);
    for p in &s.planted {
        let (a, b) = (p.from.min(p.to), p.from.max(p.to));
        let pair = c.pairs.iter().find(|x| x.a == a && x.b == b);
        let pair = pair.unwrap_or_else(|| panic!("planted copy {a} ↔ {b} not found"));
        // Copied characters exclude punctuation and the slogans inside the copy.
        assert!(
            pair.copied_chars * 2 >= p.chars,
            "{} of {}",
            pair.copied_chars,
            p.chars
        );
    }
    // The slogans every generated report repeats are common, never copying.
    for pair in &c.pairs {
        for x in pair.passages.iter().filter(|x| !x.boilerplate) {
            assert!(x.chars >= 16);
        }
    }
}
