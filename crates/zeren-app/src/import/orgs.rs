//! 党组织: one row per org, its parent named by name, code or path — possibly an org
//! added by an earlier row of the same sheet, so a whole subtree comes in one file,
//! top down. The kind rules of the org form hold (a branch under a committee, a group
//! under a branch). An update may rename an org and change its code and term; moving
//! it under another parent is done on the org page, which rewrites the subtree.
use std::collections::HashMap;

use zeren_core::{sheet, validate, OrgKind, Permission, ValidationErrors};
use zeren_store::org::{NewOrg, OrgRow};
use zeren_store::Conn;

use super::refs::{norm, OrgEntry, OrgIndex};
use super::{Ctx, DataRow};
use crate::audit::AuditAction;
use crate::AppResult;

/// Kinds a sheet may create (the root commission exists once).
pub fn kind_labels() -> Vec<&'static str> {
    [
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Group,
    ]
    .iter()
    .map(|k| k.label())
    .collect()
}

fn match_kind(t: &str) -> Option<OrgKind> {
    let t = norm(t);
    for k in [
        OrgKind::Commission,
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Group,
    ] {
        if k.label() == t || k.as_str() == t {
            return Some(k);
        }
    }
    match t.as_str() {
        "党组" | "基层党委" => Some(OrgKind::Committee),
        "总支" | "党总支部" => Some(OrgKind::GeneralBranch),
        "支部" | "党支部委员会" => Some(OrgKind::Branch),
        "小组" => Some(OrgKind::Group),
        _ => None,
    }
}

struct Planned {
    /// Index in the org index: the org itself (existing or added by this row).
    at: usize,
    parent: Option<usize>,
    existing: Option<OrgRow>,
    name: String,
    kind: OrgKind,
    code: Option<String>,
    term_start: Option<String>,
    term_end: Option<String>,
    changed: Vec<&'static str>,
}

pub(crate) async fn run(
    ctx: &mut Ctx<'_>,
    c: &mut Conn,
    rows: &[DataRow],
    write: bool,
) -> AppResult<()> {
    let mut orgs = OrgIndex::load(c, &ctx.who.scope_paths()).await?;
    let mut seen = HashMap::new();
    let mut plans: Vec<Planned> = Vec::new();
    for r in rows {
        let Ok(code) = ctx.code(r, &mut seen) else {
            continue;
        };
        let old = match code {
            Some(id) => match orgs.by_id(id).map(|i| orgs.get(i).clone()) {
                Some(OrgEntry { row: Some(row), .. })
                    if ctx.writable(&row.path, Permission::ManageOrgs) =>
                {
                    Some(row)
                }
                _ => {
                    ctx.unknown_code(r, id);
                    continue;
                }
            },
            None => None,
        };
        if let Some(p) = check(ctx, r, old, &mut orgs) {
            plans.push(p);
        }
    }
    for p in &plans {
        match &p.existing {
            None => ctx.rep.inserted += 1,
            Some(_) if p.changed.is_empty() => ctx.rep.unchanged += 1,
            Some(_) => ctx.rep.updated += 1,
        }
    }
    if !write || !ctx.rep.ok() {
        return Ok(());
    }
    for p in plans {
        match &p.existing {
            None => {
                let Some(parent) = p.parent.and_then(|i| orgs.get(i).row.clone()) else {
                    continue;
                };
                let o = zeren_store::org::insert(
                    c,
                    NewOrg {
                        parent: Some(&parent),
                        name: &p.name,
                        kind: p.kind.as_str(),
                        code: p.code.as_deref(),
                        sort_order: ctx.now,
                        term_start: p.term_start.clone(),
                        term_end: p.term_end.clone(),
                        now: ctx.now,
                    },
                )
                .await?;
                ctx.batch.audit(
                    AuditAction::OrgCreate,
                    "org",
                    o.id,
                    &o.path,
                    format!("{}（Excel 导入）", p.name),
                );
                orgs.written(p.at, o);
            }
            Some(_) if p.changed.is_empty() => {}
            Some(old) => {
                let row = OrgRow {
                    name: p.name.clone(),
                    code: p.code.clone(),
                    term_start: p.term_start.clone(),
                    term_end: p.term_end.clone(),
                    ..old.clone()
                };
                zeren_store::import::update_org(c, &row).await?;
                if old.name != row.name {
                    ctx.batch.audit(
                        AuditAction::OrgRename,
                        "org",
                        old.id,
                        &old.path,
                        format!("{} → {}（Excel 导入）", old.name, row.name),
                    );
                }
                ctx.batch.audit(
                    AuditAction::OrgUpdate,
                    "org",
                    old.id,
                    &old.path,
                    format!("修改：{}（Excel 导入）", p.changed.join("、")),
                );
            }
        }
    }
    Ok(())
}

fn check(
    ctx: &mut Ctx<'_>,
    r: &DataRow,
    old: Option<OrgRow>,
    orgs: &mut OrgIndex,
) -> Option<Planned> {
    let before = ctx.rep.error_count;
    let mut errs = ValidationErrors::new();
    let name = validate::text(
        &mut errs,
        "name",
        "组织名称",
        &ctx.text(r, "name").unwrap_or_default(),
        60,
    );
    let org_code = if ctx.cols.has("org_code") {
        ctx.text(r, "org_code")
    } else {
        old.as_ref().and_then(|o| o.code.clone())
    };
    let _ = validate::opt_text(&mut errs, "org_code", "组织代码", org_code.as_deref(), 30);
    ctx.field_errors(r, errs, &[("name", "name"), ("org_code", "org_code")]);
    let kind = match ctx.required(r, "kind") {
        Some(t) => match match_kind(&t) {
            Some(k) => Some(k),
            None => {
                ctx.err(
                    r,
                    Some("kind"),
                    format!("组织类型“{t}”不在可选范围内"),
                    format!("请填写：{}", kind_labels().join("、")),
                );
                None
            }
        },
        None => None,
    };
    // the root has no parent; every other org names one
    let is_root = old.as_ref().is_some_and(|o| o.parent_id.is_none());
    let parent = if is_root && ctx.text(r, "parent").is_none() {
        None
    } else if old.is_some() {
        // an import never moves an org (checked below), so naming the parent it
        // already has needs no rights there: a unit re-imports its own exported tree
        ctx.org_ref(r, "parent", orgs)
    } else {
        ctx.org(r, "parent", orgs, Permission::ManageOrgs, "新建下级组织")
    };
    if let (Some(o), Some(pi)) = (&old, parent) {
        if o.parent_id != Some(orgs.get(pi).id) {
            ctx.err(
                r,
                Some("parent"),
                "上级组织不能通过导入更改",
                "调整隶属关系请在“组织机构”页面使用“调整上级”，以免遗漏下级组织的记录",
            );
        }
    }
    if let (Some(o), Some(k)) = (&old, kind) {
        if o.kind != k.as_str() {
            ctx.err(
                r,
                Some("kind"),
                format!(
                    "组织类型不能通过导入更改（现为{}）",
                    OrgKind::parse(&o.kind).map(|k| k.label()).unwrap_or("")
                ),
                "请保留原组织类型",
            );
        }
    }
    if let (None, Some(pi), Some(k)) = (&old, parent, kind) {
        let p = orgs.get(pi);
        if let Some(pk) = OrgKind::parse(&p.kind) {
            if !pk.may_contain(k) {
                ctx.err(
                    r,
                    Some("kind"),
                    format!("{}下不能设立{}", pk.label(), k.label()),
                    "请核对组织类型和上级组织",
                );
            }
        }
    }
    let ts = if ctx.cols.has("term_start") {
        ctx.date(r, "term_start", false)
    } else {
        old.as_ref()
            .and_then(|o| o.term_start.as_deref())
            .and_then(|s| sheet::parse_date(s).ok())
    };
    let te = if ctx.cols.has("term_end") {
        ctx.date(r, "term_end", false)
    } else {
        old.as_ref()
            .and_then(|o| o.term_end.as_deref())
            .and_then(|s| sheet::parse_date(s).ok())
    };
    if let (Some(a), Some(b)) = (ts, te) {
        if b <= a {
            ctx.err(
                r,
                Some("term_end"),
                "任期届满日期应晚于开始日期",
                "请核对任期日期",
            );
        }
    }
    // names are how other sheets refer to orgs: no two siblings alike
    if let (Some(pi), false) = (parent, name.is_empty()) {
        let clash = orgs.orgs.iter().find(|o| {
            o.parent == Some(pi)
                && norm(&o.name) == norm(&name)
                && old.as_ref().is_none_or(|x| x.id != o.id)
        });
        if let Some(o) = clash {
            ctx.err(
                r,
                Some("name"),
                if o.id == 0 {
                    format!("“{name}”在同一上级组织下与本表前面的行重复")
                } else {
                    format!(
                        "“{}”下已有组织“{name}”（编号 {}）",
                        orgs.get(pi).name,
                        sheet::code_of(sheet::SheetKind::Orgs, o.id)
                    )
                },
                "更新已有组织请在编号列填写其编号；否则请换一个名称",
            );
        }
    }
    if let Some(code) = org_code.as_deref().map(norm) {
        let clash = orgs.orgs.iter().find(|o| {
            o.code.as_deref().map(norm).as_deref() == Some(code.as_str())
                && old.as_ref().is_none_or(|x| x.id != o.id)
        });
        if let Some(o) = clash {
            ctx.err(
                r,
                Some("org_code"),
                format!("组织代码“{code}”已被“{}”使用", o.name),
                "组织代码用于区分组织，请换一个或留空",
            );
        }
    }
    if ctx.rep.error_count > before {
        return None;
    }
    let kind = kind?;
    let (term_start, term_end) = (ts.map(|d| d.to_string()), te.map(|d| d.to_string()));
    let changed = match &old {
        None => Vec::new(),
        Some(o) => {
            let mut v = Vec::new();
            if o.name != name {
                v.push("组织名称");
            }
            if o.code != org_code {
                v.push("组织代码");
            }
            if o.term_start != term_start || o.term_end != term_end {
                v.push("任期");
            }
            v
        }
    };
    let at = match &old {
        Some(o) => orgs.by_id(o.id)?,
        // later rows may name it as their parent
        None => orgs.add(OrgEntry {
            id: 0,
            parent,
            name: name.clone(),
            kind: kind.as_str().to_string(),
            code: org_code.clone(),
            path: String::new(),
            closed: false,
            row: None,
        }),
    };
    Some(Planned {
        at,
        parent,
        existing: old,
        name,
        kind,
        code: org_code,
        term_start,
        term_end,
        changed,
    })
}
