//! Recurring problems: a problem of this year's report that an earlier report of
//! the same unit, or the problem ledger, already listed is flagged 整改不到位.

use zeren_text::{analyze, Corpus, Document};

fn read(rel: &str) -> Document {
    Document::from_path(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn seed_002() -> Document {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds");
    let p = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("002"))
        .unwrap();
    Document::from_path(&p).unwrap()
}

#[test]
fn problem_listed_last_year_comes_back() {
    let earlier = read("tests/data/earlier_2022.txt");
    assert_eq!(earlier.year, Some(2022));
    let mut corpus = Corpus::builtin();
    corpus.add_earlier(&earlier);
    let a = analyze(&seed_002(), &corpus);
    // 2023's "认识还不够清晰 … 还存在着重经济发展，轻党建的思想" was 2022's problem 1.
    let r: Vec<_> = a.recurring.iter().filter(|r| r.problem == 0).collect();
    assert_eq!(r.len(), 1, "{:#?}", a.recurring);
    assert_eq!(r[0].flag, "整改不到位");
    assert_eq!(r[0].year, Some(2022));
    assert!(r[0].source.contains("earlier_2022.txt"));
    assert!(
        r[0].earlier_text.contains("认识还不够深"),
        "{}",
        r[0].earlier_text
    );
    assert!(r[0].text.contains("认识还不够深"), "{}", r[0].text);
    // 2022's party-dues problem is not in 2023's report, and 2023's other two
    // problems were not in 2022's.
    assert!(
        a.recurring.iter().all(|r| r.problem == 0),
        "{:#?}",
        a.recurring
    );
    assert!(!a.recurring.iter().any(|r| r.earlier_text.contains("党费")));
}

#[test]
fn problem_in_the_ledger_comes_back() {
    let mut corpus = Corpus::builtin();
    corpus.add_ledger(
        "问题台账",
        &[
            "党建工作方法缺乏创新，组织生活形式单一，党员参加学习活动兴趣不高".to_string(),
            "基建项目招投标程序不规范".to_string(),
        ],
    );
    let a = analyze(&seed_002(), &corpus);
    assert_eq!(a.recurring.len(), 1, "{:#?}", a.recurring);
    assert_eq!(a.recurring[0].problem, 2);
    assert_eq!(a.recurring[0].source, "问题台账");
    assert!(a.recurring[0]
        .earlier_text
        .starts_with("党建工作方法缺乏创新"));
}

#[test]
fn without_history_nothing_recurs() {
    let a = analyze(&seed_002(), &Corpus::builtin());
    assert!(a.recurring.is_empty());
}
