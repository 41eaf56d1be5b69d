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
    // The largest unit under the root, and its first branch: a wide, a middle and a
    // narrow scope.
    let dash = app.dashboard(&commission, None).await?;
    let big = dash
        .children
        .iter()
        .max_by_key(|c| c.problems_total)
        .context("根组织没有下级组织")?;
    let unit = scoped_actor(app, &commission, big.org_id).await?;
    let leaf_org = app
        .org_tree(&commission, Some(big.org_id), 1)
        .await?
        .into_iter()
        .find(|o| o.id != big.org_id)
        .context("单位没有下级组织")?;
    let leaf = scoped_actor(app, &commission, leaf_org.id).await?;
    println!("单位范围：{}；支部范围：{}", big.name, leaf_org.name);
    let open = || vec!["open".to_string()];
    let busy = || vec!["in_progress".to_string()];
    let scenarios: Vec<(&str, &zeren_app::Actor, bool, Vec<String>)> = vec![
        (
            "问题台账 · 全委范围 · 整改中 · 按时限 · 50行",
            &commission,
            true,
            open(),
        ),
        (
            "问题台账 · 全委范围 · 全部状态 · 按时限 · 50行",
            &commission,
            true,
            vec![],
        ),
        ("问题台账 · 单位范围 · 整改中 · 50行", &unit, true, open()),
        ("问题台账 · 支部范围 · 整改中 · 50行", &leaf, true, open()),
        (
            "责任清单 · 全委范围 · 进行中 · 按期限 · 50行",
            &commission,
            false,
            busy(),
        ),
        ("责任清单 · 单位范围 · 进行中 · 50行", &unit, false, busy()),
        ("责任清单 · 支部范围 · 进行中 · 50行", &leaf, false, busy()),
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

/// An actor like a unit party office at `org_id` (the benchmark needs scopes that hold
/// bulk data, which the demo accounts' units do not).
async fn scoped_actor(app: &App, base: &zeren_app::Actor, org_id: i64) -> Result<zeren_app::Actor> {
    let org = app.org_get(base, org_id).await?;
    let role = zeren_app::rows::RoleRow {
        id: 0,
        user_id: base.user_id,
        role: "unit_office".into(),
        org_id,
        org_path: org.path.clone(),
        org_name: org.name.clone(),
    };
    Ok(zeren_app::Actor {
        roles: vec![(zeren_core::Role::UnitOffice, role)],
        ..base.clone()
    })
}
