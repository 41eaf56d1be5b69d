//! `zeren import KIND FILE`: imports a sheet as the system (whole tree, audited as
//! `system` from `cli`), whole or nothing. A file with faults prints each with its
//! row and column, changes nothing and exits non-zero. `--template` writes the
//! kind's template to FILE instead.
//!
//! `zeren bench import --rows N`: generates an N-row problem ledger over the orgs and
//! people of the database and times its import.
use std::path::Path;

use anyhow::{bail, Context, Result};
use zeren_app::import::{ImportOptions, Importer};
use zeren_app::App;
use zeren_core::sheet::{self, SheetKind};

fn kind_of(kind: &str) -> Result<SheetKind> {
    SheetKind::parse(kind).with_context(|| {
        format!(
            "不认识的导入类型“{kind}”，可选：{}",
            SheetKind::ALL
                .iter()
                .map(|k| format!("{}（{}）", k.as_str(), k.label()))
                .collect::<Vec<_>>()
                .join("、")
        )
    })
}

pub async fn run(app: &App, kind: &str, file: &Path, dry_run: bool, template: bool) -> Result<()> {
    let kind = kind_of(kind)?;
    if template {
        if file.exists() {
            bail!("文件 {} 已存在，请换一个文件名", file.display());
        }
        // the example row names the root org, so it imports as it is
        let mut c = app.store.conn().await?;
        let root = zeren_store::org::root(&mut c)
            .await?
            .map(|o| o.name)
            .unwrap_or_else(|| "委党委".to_string());
        drop(c);
        let bytes = zeren_app::import::template::template(kind, &root, zeren_app::clock::today())
            .map_err(|e| anyhow::anyhow!("模板生成失败：{e}"))?;
        std::fs::write(file, bytes).with_context(|| format!("无法写入 {}", file.display()))?;
        eprintln!("已生成{}导入模板：{}", kind.label(), file.display());
        return Ok(());
    }
    // refuse an oversized file before reading it into memory
    let size = std::fs::metadata(file)
        .with_context(|| format!("无法读取文件 {}", file.display()))?
        .len();
    if size > app.cfg.import_max_bytes as u64 {
        bail!(
            "文件 {} 大小 {:.1} MB，超过导入上限 {:.0} MB：请拆成几个文件分别导入（可在配置文件中用 import_max_mb 调整上限）",
            file.display(),
            size as f64 / 1_048_576.0,
            app.cfg.import_max_bytes as f64 / 1_048_576.0
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let opts = ImportOptions {
        dry_run,
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
    };
    let rep = app.import(Importer::System, kind, &bytes, &opts).await?;
    for n in &rep.notes {
        eprintln!("提示：{n}");
    }
    if !rep.ok() {
        for line in rep.error_lines() {
            println!("{line}");
        }
        bail!(
            "{} 未导入：共 {} 处错误，数据库未做任何更改。请按上面的提示修改后重新导入",
            file.display(),
            rep.error_count
        );
    }
    let measures = if rep.measures > 0 {
        format!("，整改措施 {} 条", rep.measures)
    } else {
        String::new()
    };
    if dry_run {
        println!(
            "检查通过（未写入）：{} 行，将新增 {}，更新 {}，未变 {}{measures}（{} 毫秒）",
            rep.rows, rep.inserted, rep.updated, rep.unchanged, rep.millis
        );
    } else {
        println!(
            "导入完成：{} 行，新增 {}，更新 {}，未变 {}{measures}（{} 毫秒）",
            rep.rows, rep.inserted, rep.updated, rep.unchanged, rep.millis
        );
    }
    Ok(())
}

/// Writes an `n`-row problem ledger naming real orgs and people of the database, in
/// the template's columns, to `path`.
async fn bench_sheet(app: &App, n: usize, path: &Path) -> Result<()> {
    use rust_xlsxwriter::Workbook;
    let mut c = app.store.conn().await?;
    let orgs = zeren_store::import::orgs_under(&mut c, &["/".to_string()]).await?;
    // (org code or path, leader, person): orgs with at least two people
    let mut targets: Vec<(String, String, String)> = Vec::new();
    for o in orgs.iter().filter(|o| o.closed_at.is_none()) {
        let ppl = zeren_store::person::of_org(&mut c, o.id, 2).await?;
        if ppl.len() == 2 {
            targets.push((
                sheet::code_of(SheetKind::Orgs, o.id),
                ppl[0].name.clone(),
                ppl[1].name.clone(),
            ));
        }
        if targets.len() >= 200 {
            break;
        }
    }
    if targets.is_empty() {
        bail!("数据库中没有可用的组织和人员：请先运行 zeren demo");
    }
    drop(c);
    let sources = ["巡察", "审计", "主题教育查摆", "民主生活会", "自查", "督查"];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "序号",
        "问题来源",
        "所在党组织",
        "问题描述",
        "责任领导",
        "责任部门",
        "责任人",
        "整改措施",
        "完成时限",
        "整改进度",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write(0, i as u16, *h)?;
    }
    let today = zeren_app::clock::today();
    for i in 0..n {
        let r = i as u32 + 1;
        let (org, leader, person) = &targets[i % targets.len()];
        let deadline = today + chrono::Duration::days(30 + (i % 300) as i64);
        ws.write(r, 0, (i + 1) as f64)?;
        ws.write(r, 1, sources[i % sources.len()])?;
        ws.write(r, 2, org.as_str())?;
        ws.write(
            r,
            3,
            format!(
                "第{}项：党建工作与业务工作结合不紧密，部分制度执行不到位，台账记录不完整",
                i + 1
            ),
        )?;
        ws.write(r, 4, leader.as_str())?;
        ws.write(r, 5, "党委办公室")?;
        ws.write(r, 6, person.as_str())?;
        ws.write(r, 7, "1.修订完善相关制度\n2.开展专项检查并建立台账")?;
        ws.write(r, 8, deadline.format("%Y-%m-%d").to_string())?;
        ws.write(r, 9, "整改中")?;
    }
    wb.save(path)?;
    Ok(())
}

/// `zeren bench import`: one dry run (read and check every row) and one import, timed.
pub async fn bench(app: &App, rows: usize) -> Result<()> {
    if app.is_empty().await? {
        bail!(
            "数据库是空的：请先载入演示数据（zeren demo --data DIR），或指定一个已有数据的数据目录"
        );
    }
    let path = app.cfg.data_dir.join(format!("bench-problems-{rows}.xlsx"));
    let t = std::time::Instant::now();
    bench_sheet(app, rows, &path).await?;
    let size = std::fs::metadata(&path)?.len();
    eprintln!(
        "生成 {rows} 行问题台账：{}（{:.1} MB，{:.1} 秒）",
        path.display(),
        size as f64 / 1_048_576.0,
        t.elapsed().as_secs_f64()
    );
    let bytes = std::fs::read(&path)?;
    let mut opts = ImportOptions {
        dry_run: true,
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
    };
    let t = std::time::Instant::now();
    let rep = app
        .import(Importer::System, SheetKind::Problems, &bytes, &opts)
        .await?;
    let check = t.elapsed().as_secs_f64();
    if !rep.ok() {
        for l in rep.error_lines().iter().take(10) {
            eprintln!("{l}");
        }
        bail!("生成的台账未通过检查");
    }
    opts.dry_run = false;
    let t = std::time::Instant::now();
    let rep = app
        .import(Importer::System, SheetKind::Problems, &bytes, &opts)
        .await?;
    let full = t.elapsed().as_secs_f64();
    println!(
        "检查（读取并校验全部 {} 行，不写入）：{check:.2} 秒；导入（读取、校验、写入并提交，新增问题 {}、整改措施 {}）：{full:.2} 秒",
        rep.rows, rep.inserted, rep.measures
    );
    Ok(())
}
