//! `zeren letters status`: for each org, the year's responsibility letters issued and
//! signed per kind and level — one line each, or one JSON array. Runs without an actor,
//! over the whole tree, like `zeren compliance`.
use anyhow::{bail, Result};
use zeren_app::App;

pub async fn status(app: &App, year: i32, json: bool) -> Result<()> {
    if !(2000..=2100).contains(&year) {
        bail!("--year {year} 超出范围（2000–2100）");
    }
    let lines = app.letters_status(year).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
        return Ok(());
    }
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for l in &lines {
        writeln!(
            out,
            "{}\t{}\t{}\t下发 {}\t已签订 {}\t一方已签 {}\t未签订 {}",
            l.org_name, l.kind_label, l.level_label, l.issued, l.signed, l.partial, l.unsigned
        )?;
    }
    out.flush()?;
    let sum = |f: fn(&zeren_app::letter::StatusLine) -> i64| lines.iter().map(f).sum::<i64>();
    let mut orgs: Vec<i64> = lines.iter().map(|l| l.org_id).collect();
    orgs.dedup();
    eprintln!(
        "{year}年度责任书：{} 个组织，下发 {} 份，双方已签订 {} 份，一方已签 {} 份，未签订 {} 份",
        orgs.len(),
        sum(|l| l.issued),
        sum(|l| l.signed),
        sum(|l| l.partial),
        sum(|l| l.unsigned)
    );
    Ok(())
}
