//! `zeren inspection notice`: a round's public progress notice (巡察整改进展情况通报) as
//! .docx, written by the same code as the web page, acting as the system on the whole
//! tree and audited from `cli`.
use std::path::Path;

use anyhow::{bail, Context, Result};
use zeren_app::{Actor, App};

pub async fn notice(app: &App, code: Option<&str>, out: &Path) -> Result<()> {
    if out.exists() {
        bail!("文件 {} 已存在，请换一个文件名或先删除它", out.display());
    }
    let parsed = match code {
        Some(c) => Some(
            zeren_app::inspection::parse_code(c)
                .with_context(|| format!("轮次代码“{c}”应为 年度-轮次，例如 2026-3"))?,
        ),
        None => None,
    };
    let mut c = app.store.conn().await?;
    let root = zeren_store::org::root(&mut c)
        .await?
        .context("数据库中还没有组织：请先运行 zeren demo 或导入组织")?;
    let round = zeren_store::inspection::round_by_code(&mut c, parsed)
        .await?
        .with_context(|| match code {
            Some(c) => format!("找不到轮次“{c}”"),
            None => "数据库中还没有巡察轮次".to_string(),
        })?;
    drop(c);
    let actor = Actor::system(&root);
    let doc = app.inspection_notice_docx(&actor, round.id, None).await?;
    let tmp = out.with_extension("part");
    std::fs::write(&tmp, &doc.bytes).with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("无法写入 {}", out.display()))?;
    let v = app.inspection_notice(&actor, round.id, None).await?;
    eprintln!(
        "已生成{}年第{}轮巡察整改进展情况通报：{}（{}）",
        round.year,
        round.number,
        out.display(),
        v.figures.sentence()
    );
    Ok(())
}
