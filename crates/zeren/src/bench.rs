//! `zeren bench`: times the ledger list use case (the same call the page and the API
//! make) against whatever database is configured — normally one loaded with
//! `zeren demo --scale province`. Prints median and p95 per scenario.
use std::time::Instant;

use anyhow::{Context, Result};
use zeren_app::rows::{ProblemFilter, TaskFilter};
use zeren_app::{App, Paging};

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let med = v[v.len() / 2];
    let p95 = v[(v.len() * 95 / 100).min(v.len() - 1)];
    (med, p95, v[v.len() - 1])
}

pub async fn run(app: &App, iterations: usize) -> Result<()> {
    let iterations = iterations.max(10);
    let commission = app
        .actor_by_username("commission")
        .await
        .context("找不到演示账号 commission：请先运行 zeren demo")?;
    let unit1 = app
        .actor_by_username("unit1")
        .await
        .context("找不到演示账号 unit1")?;
    let scenarios: Vec<(&str, &zeren_app::Actor, bool, Vec<String>)> = vec![
        (
            "问题台账 · 全委范围 · 整改中 · 按时限 · 50行",
            &commission,
            true,
            vec!["open".into()],
        ),
        (
            "问题台账 · 全委范围 · 全部状态 · 按时限 · 50行",
            &commission,
            true,
            vec![],
        ),
        (
            "问题台账 · 单位范围(unit1) · 整改中 · 50行",
            &unit1,
            true,
            vec!["open".into()],
        ),
        (
            "责任清单 · 全委范围 · 进行中 · 按期限 · 50行",
            &commission,
            false,
            vec!["in_progress".into()],
        ),
        (
            "责任清单 · 单位范围(unit1) · 进行中 · 50行",
            &unit1,
            false,
            vec!["in_progress".into()],
        ),
    ];
    println!(
        "{:<48} {:>10} {:>10} {:>10} {:>12}",
        "场景", "中位数ms", "p95 ms", "最大 ms", "匹配总数"
    );
    for (name, actor, problems, states) in scenarios {
        let mut times = Vec::with_capacity(iterations);
        let mut total = 0;
        for i in 0..iterations {
            // vary the page a little so the same rows are not always served from cache
            let paging = Paging::new(Some(1 + (i % 3) as i64), Some(50));
            let t = Instant::now();
            total = if problems {
                app.problems(
                    actor,
                    ProblemFilter {
                        states: states.clone(),
                        ..Default::default()
                    },
                    paging,
                )
                .await?
                .total
            } else {
                app.tasks(
                    actor,
                    TaskFilter {
                        states: states.clone(),
                        ..Default::default()
                    },
                    paging,
                )
                .await?
                .total
            };
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (med, p95, max) = stats(times);
        println!("{name:<48} {med:>10.3} {p95:>10.3} {max:>10.3} {total:>12}");
    }
    Ok(())
}
