//! `zeren compliance`: every org of the tree (or of one org's subtree) against every
//! rule that applies, one line per org and rule, or one JSON array. Runs without an
//! actor, with whole-tree scope, like `zeren jobs run-once`.
use anyhow::{Context, Result};
use serde::Serialize;
use zeren_app::App;

#[derive(Serialize)]
struct Line<'a> {
    org_id: i64,
    org_code: Option<&'a str>,
    org_name: &'a str,
    org_kind: &'a str,
    rule: &'a str,
    title: &'a str,
    expected: i64,
    held: i64,
    verdict: &'a str,
    #[serde(skip)]
    verdict_label: &'a str,
    citation: &'a str,
    detail: &'a str,
}

pub async fn run(
    app: &App,
    year: i32,
    org: Option<&str>,
    json: bool,
    now: Option<&str>,
) -> Result<()> {
    let today = match now {
        Some(d) => chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .with_context(|| format!("--now 日期“{d}”格式应为 YYYY-MM-DD"))?,
        None => zeren_app::clock::today(),
    };
    let t = std::time::Instant::now();
    let c = match app
        .compliance_tree(
            org,
            year,
            today,
            zeren_app::compliance::Want { periods: false },
        )
        .await
    {
        Err(zeren_app::AppError::NotFound) => match org {
            Some(code) => anyhow::bail!("找不到代码为“{code}”的组织"),
            None => anyhow::bail!("数据库中还没有组织"),
        },
        r => r?,
    };
    let mut lines = Vec::new();
    for o in &c.orgs {
        for r in &o.rules {
            lines.push(Line {
                org_id: o.org_id,
                org_code: o.code.as_deref(),
                org_name: &o.name,
                org_kind: o.kind,
                rule: &r.key,
                title: &r.title,
                expected: r.expected,
                held: r.held,
                verdict: r.verdict.as_str(),
                verdict_label: r.verdict_label,
                citation: &r.citation,
                detail: &r.detail,
            });
        }
    }
    let flags = c.orgs.iter().map(|o| o.flags).sum::<i64>();
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for l in &lines {
            writeln!(
                out,
                "{}\t{}\t{}\t应{}\t实{}\t{}\t{}\t{}",
                l.org_code
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("#{}", l.org_id)),
                l.org_name,
                l.title,
                l.expected,
                l.held,
                l.verdict_label,
                l.citation,
                l.detail
            )?;
        }
        out.flush()?;
    }
    eprintln!(
        "{year} 年度合规检查（截至 {today}）：组织 {}，检查 {} 项，缺失或违反 {} 项（{:.2} 秒）",
        c.orgs.len(),
        lines.len(),
        flags,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
