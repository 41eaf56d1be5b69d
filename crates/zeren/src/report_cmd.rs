//! `zeren report annual` and `zeren export`: the annual report as `.docx` and any
//! ledger list as `.xlsx`, written by the same code as the web pages, acting as the
//! system on the whole tree (or one org's subtree, by code) and audited from `cli`.
use std::path::Path;

use anyhow::{bail, Context, Result};
use zeren_app::{Actor, App};
use zeren_store::org::OrgRow;

/// The root org and, if a code is given, the org with that code.
async fn orgs(app: &App, code: Option<&str>) -> Result<(OrgRow, Option<OrgRow>)> {
    let mut c = app.store.conn().await?;
    let root = zeren_store::org::root(&mut c)
        .await?
        .context("数据库中还没有组织：请先运行 zeren demo 或导入组织")?;
    let org = match code {
        Some(code) => {
            let (id, _) = zeren_store::compliance::org_by_code(&mut c, code.trim())
                .await?
                .with_context(|| format!("找不到代码为“{code}”的组织"))?;
            Some(zeren_store::org::get(&mut c, id).await?)
        }
        None => None,
    };
    Ok((root, org))
}

fn refuse_overwrite(out: &Path) -> Result<()> {
    if out.exists() {
        bail!("文件 {} 已存在，请换一个文件名或先删除它", out.display());
    }
    Ok(())
}

/// Writes `bytes` next to `out` and renames it into place, so a crash never leaves a
/// half-written file under the name asked for.
fn write_whole(out: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = out.with_extension("part");
    std::fs::write(&tmp, bytes).with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("无法写入 {}", out.display()))?;
    Ok(())
}

pub async fn annual(app: &App, org: Option<&str>, year: i32, out: &Path) -> Result<()> {
    refuse_overwrite(out)?;
    let (root, org) = orgs(app, org).await?;
    let actor = Actor::system(&root);
    let t = std::time::Instant::now();
    let r = app
        .annual_report(&actor, Some(org.as_ref().unwrap_or(&root).id), year)
        .await?;
    let counted = t.elapsed();
    let bytes = zeren_app::report::annual_docx(&r)?;
    write_whole(out, &bytes)?;
    eprintln!(
        "已生成《{}》：{}（统计 {:.0} 毫秒，共 {:.0} 毫秒）",
        r.title(),
        out.display(),
        counted.as_secs_f64() * 1000.0,
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

pub async fn export(
    app: &App,
    kind: &str,
    org: Option<&str>,
    states: &[String],
    out: &Path,
) -> Result<()> {
    refuse_overwrite(out)?;
    let (root, org) = orgs(app, org).await?;
    let actor = Actor::system(&root);
    let scope_org = org.as_ref().unwrap_or(&root);
    let path = org.as_ref().map(|o| o.path.clone());
    let mut filters = Vec::new();
    if !states.is_empty() {
        filters.push(format!("状态：{}", states.join("、")));
    }
    let now = chrono::Local::now().naive_local();
    let scope = zeren_app::export::scope_line(&scope_org.name, &filters, now);
    let t = std::time::Instant::now();
    let e = match kind {
        "problems" => {
            let f = zeren_store::problem::ProblemFilter {
                org_path: path,
                states: states.to_vec(),
                ..Default::default()
            };
            app.export_problems(&actor, f, scope).await?
        }
        "tasks" => {
            let f = zeren_store::task::TaskFilter {
                org_path: path,
                states: states.to_vec(),
                ..Default::default()
            };
            app.export_tasks(&actor, f, scope).await?
        }
        "activities" => {
            if states.len() > 1 {
                bail!("组织生活记录一次只能按一个状态导出");
            }
            let f = zeren_store::activity::ActivityFilter {
                org_path: path,
                state: states.first().cloned(),
                ..Default::default()
            };
            app.export_activities(&actor, f, scope).await?
        }
        "people" => {
            if states.len() > 1 {
                bail!("人员名册一次只能按一个政治面貌导出");
            }
            let q = zeren_app::roster::RosterQuery {
                org_path: path,
                q: None,
                status: states.first().cloned(),
                lost: false,
                pocket: false,
                arrears: false,
                left: false,
            };
            app.export_people(&actor, q, scope).await?
        }
        "orgs" => {
            if !states.is_empty() {
                bail!("党组织导出没有状态筛选：请去掉 --state");
            }
            app.export_orgs(&actor, path, scope).await?
        }
        other => bail!("不认识的导出类型“{other}”，可选：orgs（党组织）、problems（问题整改台账）、tasks（责任清单）、activities（组织生活记录）、people（人员及党员名册）"),
    };
    let rows = e.rows;
    let tmp = out.with_extension("part");
    {
        let mut src = e.file;
        let mut dst =
            std::fs::File::create(&tmp).with_context(|| format!("无法写入 {}", tmp.display()))?;
        std::io::copy(&mut src, &mut dst)?;
        dst.sync_all()?;
    }
    std::fs::rename(&tmp, out).with_context(|| format!("无法写入 {}", out.display()))?;
    eprintln!(
        "已导出 {rows} 行到 {}（{:.2} 秒）",
        out.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
