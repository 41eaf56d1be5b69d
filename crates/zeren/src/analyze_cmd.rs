//! `zeren analyze`: reads reports (.txt / .docx) and shows what they say and what
//! they only repeat: outline, parts, figures, problems without measures, recurring
//! problems, boilerplate, the emptiest sentences. `--compare` shows passages shared
//! between the files; `--eval DIR` prints precision and recall against labelled
//! files. No database: this command works on files alone.
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use zeren_text::{analyze, eval, Analysis, Comparison, Corpus, Document, Heading};

pub struct Options {
    pub files: Vec<PathBuf>,
    pub json: bool,
    pub compare: bool,
    pub eval: Option<PathBuf>,
    pub earlier: Vec<PathBuf>,
    pub ledger: Option<PathBuf>,
}

fn load(path: &Path) -> Result<Document> {
    // The error names the file already.
    Ok(Document::from_path(path)?)
}

pub fn run(o: Options) -> Result<()> {
    if let Some(dir) = &o.eval {
        return run_eval(dir, o.json);
    }
    if o.files.is_empty() {
        bail!("请给出要分析的报告文件（.txt 或 .docx）");
    }
    let docs: Vec<Document> = o.files.iter().map(|p| load(p)).collect::<Result<_>>()?;
    let mut corpus = Corpus::builtin();
    for d in &docs {
        corpus.add_document(d);
    }
    if o.compare {
        if docs.len() < 2 {
            bail!("--compare 至少需要两份报告");
        }
        let c = zeren_text::compare(&docs, &corpus);
        if o.json {
            println!("{}", serde_json::to_string(&c)?);
        } else {
            print_comparison(&c);
        }
        return Ok(());
    }
    for p in &o.earlier {
        corpus.add_earlier(&load(p)?);
    }
    if let Some(p) = &o.ledger {
        let raw = std::fs::read(p).with_context(|| format!("无法读取问题台账 {}", p.display()))?;
        let doc = Document::from_bytes(p.display().to_string(), &raw)?;
        let lines: Vec<String> = doc.text.lines().map(str::to_string).collect();
        corpus.add_ledger("问题台账", &lines);
    }
    for d in &docs {
        let a = analyze(d, &corpus);
        if o.json {
            println!("{}", serde_json::to_string(&a)?);
        } else {
            print_analysis(&a);
        }
    }
    Ok(())
}

fn cut(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn print_outline(h: &[Heading], depth: usize) {
    for x in h {
        let items = if x.items.is_empty() {
            String::new()
        } else {
            format!(
                "（内含 {} 点：{}）",
                x.items.len(),
                x.items
                    .iter()
                    .map(|i| i.marker.as_str())
                    .collect::<Vec<_>>()
                    .join("")
            )
        };
        println!(
            "    {}{}{}{}",
            "  ".repeat(depth),
            x.marker,
            cut(&x.text, 40),
            items
        );
        print_outline(&x.children, depth + 1);
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn print_analysis(a: &Analysis) {
    let year = a.year.map(|y| format!("（{y}年）")).unwrap_or_default();
    println!("== {}{}    具体程度 {}/100", a.name, year, a.score);
    if let Some(t) = &a.title {
        println!("  标题：{t}");
    }
    println!("  得分说明：");
    for e in &a.score_explained {
        println!("    - {e}");
    }
    println!("  提纲：");
    if a.outline.is_empty() {
        println!("    （未识别出标题层级）");
    }
    print_outline(&a.outline, 0);
    let part = |name: &str, p: &zeren_text::PartView| {
        if p.found {
            format!("{name} {} 项", p.items.len())
        } else {
            format!("{name}（未找到）")
        }
    };
    println!(
        "  报告结构：{}；{}；{}",
        part("工作成效", &a.parts.achievements),
        part("存在问题", &a.parts.problems),
        part("下一步措施", &a.parts.next_steps)
    );
    println!("  具体数字（{} 个）：", a.figures.len());
    for f in &a.figures {
        let q = f
            .qualifier
            .as_deref()
            .map(|q| format!("（{q}）"))
            .unwrap_or_default();
        let range = f.max.map(|m| format!("–{}", number(m))).unwrap_or_default();
        let per = f
            .per
            .as_deref()
            .map(|p| format!("{p} "))
            .unwrap_or_default();
        println!(
            "    {}：{per}{}{range}{}{q}    ← {}",
            f.what,
            number(f.number),
            f.unit,
            cut(&f.text, 40)
        );
    }
    let problems = &a.parts.problems.items;
    let measures = &a.parts.next_steps.items;
    if !problems.is_empty() {
        println!("  问题与措施：");
        for l in &a.links {
            println!(
                "    问题{}「{}」→ 措施{}「{}」（相似度 {:.2}；共同词：{}）",
                l.problem + 1,
                cut(&problems[l.problem].title, 24),
                l.measure + 1,
                cut(&measures[l.measure].title, 24),
                l.score,
                l.shared.join("、")
            );
        }
        for p in &a.problems_without_measures {
            println!(
                "    问题{}「{}」没有对应的措施",
                p.index + 1,
                cut(&p.title, 30)
            );
        }
        for m in &a.measures_without_problems {
            println!(
                "    措施{}「{}」不针对所列任何问题",
                m.index + 1,
                cut(&m.title, 30)
            );
        }
    }
    if !a.recurring.is_empty() {
        println!("  屡改屡犯（整改不到位）：");
        for r in &a.recurring {
            println!("    问题{}：{}", r.problem + 1, cut(&r.text, 50));
            println!(
                "      ← {}：{}（相似度 {:.2}）",
                r.source,
                cut(&r.earlier_text, 50),
                r.similarity
            );
        }
    }
    if !a.boilerplate.is_empty() {
        println!("  套话（多份报告共有的表述）：");
        for b in a.boilerplate.iter().take(10) {
            let seen = if b.docs > 0 {
                format!("另见于 {} 份报告", b.docs)
            } else {
                "常见提法".to_string()
            };
            println!("    {}（{seen}）", cut(&b.text, 40));
        }
    }
    let mut body: Vec<&zeren_text::Sentence> = a.sentences.iter().filter(|s| !s.heading).collect();
    body.sort_by_key(|s| (s.score, s.start));
    println!("  最空泛的句子：");
    for s in body.iter().take(5) {
        let why: Vec<String> = s
            .flags
            .iter()
            .filter(|f| f.points < 0)
            .map(|f| {
                if f.text.is_empty() {
                    f.label.to_string()
                } else {
                    format!("{}「{}」", f.label, cut(&f.text, 12))
                }
            })
            .collect();
        println!(
            "    [{}] {}  —— {}",
            s.score,
            cut(&s.text, 50),
            why.join("，")
        );
    }
    println!();
}

fn print_comparison(c: &Comparison) {
    let method = if c.method == "exhaustive" {
        "逐对比对"
    } else {
        "MinHash + LSH 筛选后比对"
    };
    println!(
        "比较 {} 份报告（{method}，比对 {} 对）",
        c.documents.len(),
        c.candidate_pairs
    );
    if c.pairs.is_empty() {
        println!("  未发现共同段落");
    }
    for p in &c.pairs {
        println!(
            "== {} ↔ {}    相似度 {:.3}，雷同 {} 字（不含套话）",
            p.a_name, p.b_name, p.similarity, p.copied_chars
        );
        for x in &p.passages {
            let label = if x.boilerplate { "套话" } else { "雷同" };
            println!(
                "  [{label}] 甲 {}–{} ↔ 乙 {}–{}（{} 字）：{}",
                x.a_start,
                x.a_end,
                x.b_start,
                x.b_end,
                x.chars,
                cut(&x.text, 60)
            );
        }
    }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn run_eval(dir: &Path, json: bool) -> Result<()> {
    let r = eval::evaluate_dir(dir)?;
    if json {
        println!("{}", serde_json::to_string(&r)?);
        return Ok(());
    }
    println!("标注集：{}（{} 个标注文件）", dir.display(), r.files.len());
    for f in &r.files {
        println!("== {}（{}）", f.label, f.document);
        if let Some(c) = f.figures {
            println!(
                "  数字：识别 {}，标注 {}，正确 {}；准确率 {}，召回率 {}",
                c.predicted,
                c.gold,
                c.matched,
                pct(c.precision()),
                pct(c.recall())
            );
            for m in &f.missed_figures {
                println!("    漏：{m}");
            }
            for m in &f.extra_figures {
                println!("    多：{m}");
            }
        }
        if let Some(c) = f.links {
            println!(
                "  问题—措施：识别 {}，标注 {}，正确 {}；准确率 {}，召回率 {}",
                c.predicted,
                c.gold,
                c.matched,
                pct(c.precision()),
                pct(c.recall())
            );
            for m in &f.missed_links {
                println!("    漏：{m}");
            }
            for m in &f.extra_links {
                println!("    多：{m}");
            }
        }
    }
    println!(
        "合计  数字：准确率 {}，召回率 {}（{}/{} 正确，识别 {}）",
        pct(r.figures.precision()),
        pct(r.figures.recall()),
        r.figures.matched,
        r.figures.gold,
        r.figures.predicted
    );
    println!(
        "合计  问题—措施：准确率 {}，召回率 {}（{}/{} 正确，识别 {}）",
        pct(r.links.precision()),
        pct(r.links.recall()),
        r.links.matched,
        r.links.gold,
        r.links.predicted
    );
    Ok(())
}
