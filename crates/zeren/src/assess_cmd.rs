//! `zeren assess compute`: the assessment round of a year (the one run highest in the
//! tree), scored — from the records while it is being scored, from the results frozen
//! at publication once published — one line per assessed org (rank, org, group,
//! total, grade) or one JSON array. A year without a round is scored as a provisional
//! round of the root's sub-committees with the shipped system (nothing saved), and
//! says so. Also `zeren bench assess`: the same computation timed.
use anyhow::Result;
use serde::Serialize;
use zeren_app::assessment::OrgScore;
use zeren_app::App;
use zeren_core::assessment::fmt_points;

#[derive(Serialize)]
struct Line<'a> {
    org_id: i64,
    org_code: Option<&'a str>,
    org_name: &'a str,
    group: &'a str,
    /// The total in points, as text with at most two decimals (exact).
    total: String,
    /// The total in hundredths of a point.
    total_centi: i64,
    grade: &'a str,
    vetoed: bool,
    group_rank: i64,
    rank: i64,
}

fn lines(orgs: &[OrgScore]) -> Vec<Line<'_>> {
    let mut v: Vec<&OrgScore> = orgs.iter().collect();
    v.sort_by(|a, b| {
        a.round_rank
            .cmp(&b.round_rank)
            .then(a.org_path.cmp(&b.org_path))
    });
    v.into_iter()
        .map(|o| Line {
            org_id: o.org_id,
            org_code: o.org_code.as_deref(),
            org_name: &o.org_name,
            group: &o.group,
            total: fmt_points(o.card.total),
            total_centi: o.card.total,
            grade: o.card.grade.label(),
            vetoed: o.card.vetoed,
            group_rank: o.group_rank,
            rank: o.round_rank,
        })
        .collect()
}

pub async fn compute(app: &App, year: i32, json: bool) -> Result<()> {
    let t = std::time::Instant::now();
    let (orgs, what) = match app.assessment_compute_year(i64::from(year)).await? {
        Some(r) => {
            let what = format!(
                "{}（{}，{}，细则 {} 第{}版）",
                r.round.title,
                r.round.org_name,
                if r.frozen {
                    "已发布，按发布时冻结的数据重新计算"
                } else {
                    "评分中，按当前记录计算"
                },
                r.system_row.title,
                r.system_row.version
            );
            (r.orgs, what)
        }
        None => (
            app.assessment_provisional(i64::from(year)).await?,
            format!("{year} 年度尚未组织考核：按内置细则对各直属单位试算，未保存"),
        ),
    };
    let secs = t.elapsed().as_secs_f64();
    let ls = lines(&orgs);
    if json {
        println!("{}", serde_json::to_string_pretty(&ls)?);
    } else {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for l in &ls {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}{}",
                l.rank,
                l.org_code
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("#{}", l.org_id)),
                l.org_name,
                l.group,
                l.total,
                l.grade,
                if l.vetoed { "（一票否决）" } else { "" }
            )?;
        }
        out.flush()?;
    }
    eprintln!(
        "{year} 年度考核：{what}；单位 {}（{secs:.2} 秒）",
        orgs.len()
    );
    Ok(())
}

/// Times the computation of the year's round (or the provisional one) `iterations`
/// times and prints the times.
pub async fn bench(app: &App, year: i32, iterations: usize) -> Result<()> {
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..iterations.max(1) {
        let t = std::time::Instant::now();
        n = match app.assessment_compute_year(i64::from(year)).await? {
            Some(r) => r.orgs.len(),
            None => app.assessment_provisional(i64::from(year)).await?.len(),
        };
        times.push(t.elapsed().as_secs_f64());
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "assess compute {year}: {n} orgs, {} runs, first {:.3} s, median {:.3} s, max {:.3} s",
        times.len(),
        times[0],
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1]
    );
    Ok(())
}
