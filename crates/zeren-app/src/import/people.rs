//! 人员及党员名册: one row per person, with the roster's key dates, contact state,
//! pocket flag and dues category. The key dates follow the rules of the roster form:
//! each a past day, in the order of the development stages. A name already in the
//! same org is refused unless the row carries that person's code, so a roster
//! imported twice does not register everyone twice. The dues base is confidential
//! and is not imported.
use std::collections::HashMap;

use chrono::NaiveDate;
use zeren_core::dues::DuesKind;
use zeren_core::member::Stage;
use zeren_core::{sheet, validate, Permission, ValidationErrors};
use zeren_store::import::{PersonSheetRow, PERSON_SHEET_COLS};
use zeren_store::person::{PersonRow, PositionRow};
use zeren_store::Conn;

use super::refs::{norm, OrgIndex};
use super::{Ctx, DataRow};
use crate::audit::AuditAction;
use crate::person::{PARTY_STATUSES, POSITION_KINDS};
use crate::roster::CONTACT_STATES;
use crate::AppResult;

pub fn status_labels() -> Vec<&'static str> {
    PARTY_STATUSES.iter().map(|(_, l)| *l).collect()
}

fn match_status(t: &str) -> Option<&'static str> {
    let t = norm(t);
    if let Some((k, _)) = PARTY_STATUSES.iter().find(|(k, l)| *k == t || *l == t) {
        return Some(k);
    }
    Some(match t.as_str() {
        "中共党员" | "党员" | "中共正式党员" | "正式" => "full",
        "中共预备党员" | "预备" => "probationary",
        "积极分子" => "activist",
        "申请人" | "申请入党" => "applicant",
        "非党员" | "非中共党员" => "none",
        _ => return None,
    })
}

fn match_position(t: &str) -> Option<&'static str> {
    let t = norm(t);
    POSITION_KINDS
        .iter()
        .find(|(k, l)| *k == t || *l == t)
        .map(|(k, _)| *k)
        .or(match t.as_str() {
            "党委书记" | "支部书记" | "党支部书记" | "总支书记" => {
                Some("secretary")
            }
            "党委副书记" | "支部副书记" => Some("deputy_secretary"),
            "党委委员" => Some("team_member"),
            "支部委员" => Some("committee_member"),
            _ => None,
        })
}

fn match_dues(t: &str) -> Option<&'static str> {
    let t = norm(t);
    DuesKind::ALL
        .iter()
        .find(|k| k.as_str() == t || norm(k.label()) == t || norm(k.label()).starts_with(&t))
        .map(|k| k.as_str())
}

struct Planned {
    existing: Option<PersonSheetRow>,
    row: PersonSheetRow,
    /// (kind, portfolio) when the sheet names a position.
    position: Option<(String, Option<String>)>,
    changed: Vec<&'static str>,
}

pub(crate) async fn run(
    ctx: &mut Ctx<'_>,
    c: &mut Conn,
    rows: &[DataRow],
    write: bool,
) -> AppResult<()> {
    let orgs = OrgIndex::load(c, &ctx.who.scope_paths()).await?;
    let mut seen = HashMap::new();
    let codes: Vec<Option<i64>> = rows
        .iter()
        .map(|r| ctx.code(r, &mut seen).ok().flatten())
        .collect();
    let ids: Vec<i64> = codes.iter().flatten().copied().collect();
    let existing: HashMap<i64, PersonSheetRow> =
        zeren_store::import::by_ids::<PersonSheetRow>(c, "people", PERSON_SHEET_COLS, &ids)
            .await?
            .into_iter()
            .filter(|p| ctx.writable(&p.org_path, Permission::ManageOrgs))
            .map(|p| (p.id, p))
            .collect();
    let org_ids: Vec<i64> = orgs.orgs.iter().map(|o| o.id).collect();
    let mut taken: HashMap<(i64, String), i64> = HashMap::new();
    for (org_id, name, pid) in zeren_store::import::names_in_orgs(c, &org_ids).await? {
        taken.insert((org_id, norm(&name)), pid);
    }
    let mut positions: HashMap<i64, Vec<(i64, String, Option<String>)>> = HashMap::new();
    for (id, pid, kind, portfolio) in zeren_store::import::positions_of(c, &ids).await? {
        positions
            .entry(pid)
            .or_default()
            .push((id, kind, portfolio));
    }
    let mut in_file: HashMap<(i64, String), u32> = HashMap::new();
    let mut plans = Vec::new();
    for (r, code) in rows.iter().zip(codes) {
        let old = match code {
            Some(id) => match existing.get(&id) {
                Some(p) => Some(p.clone()),
                None => {
                    ctx.unknown_code(r, id);
                    continue;
                }
            },
            None => None,
        };
        let Some(mut p) = check(ctx, r, old, &orgs) else {
            continue;
        };
        if let (Some(e), Some((kind, pf))) = (&p.existing, &p.position) {
            let same = positions
                .get(&e.id)
                .and_then(|v| v.first())
                .is_some_and(|(_, k, f)| k == kind && f == pf);
            if !same {
                p.changed.push("党内职务");
            }
        }
        if p.existing.is_none() {
            let key = (p.row.org_id, norm(&p.row.name));
            if let Some(pid) = taken.get(&key) {
                ctx.err(
                    r,
                    Some("name"),
                    format!(
                        "“{}”已在该党组织登记（编号 {}）",
                        p.row.name,
                        sheet::code_of(sheet::SheetKind::People, *pid)
                    ),
                    "更新此人请在编号列填写其编号（导出名册即带编号）；确为同名的另一人，请在系统中逐个登记",
                );
                continue;
            }
            if let Some(first) = in_file.get(&key) {
                ctx.err(
                    r,
                    Some("name"),
                    format!("“{}”在同一党组织中与第 {first} 行重复", p.row.name),
                    "请删去重复的行",
                );
                continue;
            }
            in_file.insert(key, r.excel_row);
        }
        plans.push(p);
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
        let id = match &p.existing {
            None => {
                let id = zeren_store::person::insert(
                    c,
                    &PersonRow {
                        id: 0,
                        name: p.row.name.clone(),
                        org_id: p.row.org_id,
                        org_path: p.row.org_path.clone(),
                        gender: p.row.gender.clone(),
                        party_status: p.row.party_status.clone(),
                        joined_on: p.row.joined_on.clone(),
                        cadre_rank: p.row.cadre_rank.clone(),
                        title: p.row.title.clone(),
                        created_at: ctx.now,
                    },
                )
                .await?;
                zeren_store::import::update_person(
                    c,
                    &PersonSheetRow {
                        id,
                        ..p.row.clone()
                    },
                )
                .await?;
                ctx.batch.hist(
                    "person",
                    id,
                    "登记",
                    format!("{}（Excel 导入）", p.row.name),
                );
                ctx.batch.audit(
                    AuditAction::PersonCreate,
                    "person",
                    id,
                    &p.row.org_path,
                    format!("{}（Excel 导入）", p.row.name),
                );
                id
            }
            Some(old) => {
                if !p.changed.is_empty() {
                    zeren_store::import::update_person(c, &p.row).await?;
                    let detail = format!("修改：{}", p.changed.join("、"));
                    ctx.batch.hist("person", old.id, "导入更新", detail.clone());
                    ctx.batch.audit(
                        AuditAction::PersonUpdate,
                        "person",
                        old.id,
                        &old.org_path,
                        detail,
                    );
                }
                old.id
            }
        };
        if let Some((kind, portfolio)) = p.position {
            let have = positions.get(&id).and_then(|v| v.first());
            match have {
                Some((pos_id, k, pf)) if *k != kind || *pf != portfolio => {
                    zeren_store::import::update_position(c, *pos_id, &kind, portfolio.as_deref())
                        .await?
                }
                Some(_) => {}
                None => {
                    zeren_store::person::insert_position(
                        c,
                        &PositionRow {
                            id: 0,
                            person_id: id,
                            org_id: p.row.org_id,
                            kind,
                            portfolio,
                        },
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}

fn check(
    ctx: &mut Ctx<'_>,
    r: &DataRow,
    old: Option<PersonSheetRow>,
    orgs: &OrgIndex,
) -> Option<Planned> {
    let before = ctx.rep.error_count;
    let org = ctx.org(r, "org", orgs, Permission::ManageOrgs, "登记人员");
    if let (Some(i), Some(o)) = (org, &old) {
        if orgs.get(i).id != o.org_id {
            ctx.err(
                r,
                Some("org"),
                "所在党组织不能通过导入更改",
                "组织关系转接请在人员页面办理“转出/转入”",
            );
        }
    }
    let mut errs = ValidationErrors::new();
    let name = validate::text(
        &mut errs,
        "name",
        "姓名",
        &ctx.text(r, "name").unwrap_or_default(),
        30,
    );
    let status = match ctx.required(r, "party_status") {
        Some(t) => match match_status(&t) {
            Some(s) => Some(s),
            None => {
                ctx.err(
                    r,
                    Some("party_status"),
                    format!("政治面貌“{t}”不在可选范围内"),
                    format!("请填写：{}", status_labels().join("、")),
                );
                None
            }
        },
        None => None,
    };
    let gender = match ctx.text(r, "gender") {
        None => None,
        Some(g) if g == "男" || g == "女" => Some(g),
        Some(g) => {
            ctx.err(
                r,
                Some("gender"),
                format!("性别“{g}”无法识别"),
                "请填写“男”或“女”",
            );
            None
        }
    };
    let keep = |ctx: &Ctx<'_>, key: &str, old_v: Option<String>| -> Option<String> {
        if ctx.cols.has(key) {
            ctx.text(r, key)
        } else {
            old_v
        }
    };
    let title = keep(ctx, "title", old.as_ref().and_then(|p| p.title.clone()));
    let cadre_rank = keep(
        ctx,
        "cadre_rank",
        old.as_ref().and_then(|p| p.cadre_rank.clone()),
    );
    let _ = validate::opt_text(&mut errs, "title", "行政职务", title.as_deref(), 60);
    let _ = validate::opt_text(&mut errs, "cadre_rank", "职级", cadre_rank.as_deref(), 30);
    let portfolio = ctx.text(r, "portfolio");
    let _ = validate::opt_text(
        &mut errs,
        "portfolio",
        "分管工作",
        portfolio.as_deref(),
        100,
    );
    ctx.field_errors(
        r,
        errs,
        &[
            ("name", "name"),
            ("title", "title"),
            ("cadre_rank", "cadre_rank"),
            ("portfolio", "portfolio"),
        ],
    );
    let position = match ctx.text(r, "position") {
        None => None,
        Some(t) => match match_position(&t) {
            Some(k) => Some((k.to_string(), portfolio)),
            None => {
                ctx.err(
                    r,
                    Some("position"),
                    format!("党内职务“{t}”不在可选范围内"),
                    format!(
                        "请填写：{}",
                        POSITION_KINDS
                            .iter()
                            .map(|(_, l)| *l)
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                );
                None
            }
        },
    };
    // key dates: past days, in the order of the stages (the roster form's rule)
    let date_keys = [
        ("born_on", "出生日期"),
        ("applied_on", Stage::Applicant.date_label()),
        ("activist_on", Stage::Activist.date_label()),
        ("candidate_on", Stage::Candidate.date_label()),
        ("joined_on", Stage::Probationary.date_label()),
        ("full_on", Stage::Full.date_label()),
    ];
    let old_date = |key: &str| -> Option<String> {
        let o = old.as_ref()?;
        match key {
            "born_on" => o.born_on.clone(),
            "applied_on" => o.applied_on.clone(),
            "activist_on" => o.activist_on.clone(),
            "candidate_on" => o.candidate_on.clone(),
            "joined_on" => o.joined_on.clone(),
            "full_on" => o.full_on.clone(),
            "last_contact_on" => o.last_contact_on.clone(),
            _ => None,
        }
    };
    let mut dates: Vec<Option<NaiveDate>> = Vec::new();
    for (key, label) in date_keys
        .iter()
        .chain([("last_contact_on", "最后联系日期")].iter())
    {
        let d = if ctx.cols.has(key) {
            ctx.date(r, key, false)
        } else {
            old_date(key).and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        };
        if let Some(d) = d {
            if d > ctx.today {
                ctx.err(r, Some(key), format!("{label}不能晚于今天"), "请核对日期");
            }
        }
        dates.push(d);
    }
    let mut prev: Option<(&str, NaiveDate)> = None;
    for (i, (key, label)) in date_keys.iter().enumerate().skip(1) {
        if let Some(d) = dates[i] {
            if let Some((pl, pd)) = prev {
                if d < pd {
                    ctx.err(
                        r,
                        Some(key),
                        format!("{label}不能早于{pl}（{pd}）"),
                        format!(
                            "发展党员各阶段须依次进行（{}），请核对日期",
                            zeren_core::member::RULES
                        ),
                    );
                }
            }
            prev = Some((label, d));
        }
    }
    let contact_state = match ctx.text(r, "contact_state").map(|t| norm(&t)) {
        None => old
            .as_ref()
            .filter(|_| !ctx.cols.has("contact_state"))
            .map(|p| p.contact_state.clone())
            .unwrap_or_else(|| "normal".into()),
        Some(t) => match CONTACT_STATES
            .iter()
            .find(|(k, l)| *k == t || *l == t)
            .map(|(k, _)| *k)
            .or(match t.as_str() {
                "正常" => Some("normal"),
                "失联" => Some("lost"),
                _ => None,
            }) {
            Some(k) => k.to_string(),
            None => {
                ctx.err(
                    r,
                    Some("contact_state"),
                    format!("联系状态“{t}”无法识别"),
                    "请填写“正常联系”或“失去联系”",
                );
                String::new()
            }
        },
    };
    let pocket = match ctx.text(r, "pocket") {
        None => old
            .as_ref()
            .filter(|_| !ctx.cols.has("pocket"))
            .map(|p| p.pocket)
            .unwrap_or(0),
        Some(t) => match sheet::parse_yes_no(&t) {
            Some(b) => i64::from(b),
            None => {
                ctx.err(
                    r,
                    Some("pocket"),
                    format!("“{t}”无法识别"),
                    "请填写“是”或“否”",
                );
                0
            }
        },
    };
    let dues_kind = match ctx.text(r, "dues_kind") {
        None => old
            .as_ref()
            .filter(|_| !ctx.cols.has("dues_kind"))
            .map(|p| p.dues_kind.clone())
            .unwrap_or_else(|| "salaried".into()),
        Some(t) => match match_dues(&t) {
            Some(k) => k.to_string(),
            None => {
                ctx.err(
                    r,
                    Some("dues_kind"),
                    format!("党费类别“{t}”无法识别"),
                    format!(
                        "请填写：{}",
                        DuesKind::ALL
                            .iter()
                            .map(|k| k.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                );
                String::new()
            }
        },
    };
    if ctx.rep.error_count > before {
        return None;
    }
    let o = orgs.get(org?);
    let s = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let row = PersonSheetRow {
        id: old.as_ref().map(|p| p.id).unwrap_or(0),
        name,
        org_id: o.id,
        org_path: o.path.clone(),
        gender: if ctx.cols.has("gender") {
            gender
        } else {
            old.as_ref().and_then(|p| p.gender.clone())
        },
        party_status: status?.to_string(),
        born_on: s(dates[0]),
        applied_on: s(dates[1]),
        activist_on: s(dates[2]),
        candidate_on: s(dates[3]),
        joined_on: s(dates[4]),
        full_on: s(dates[5]),
        last_contact_on: s(dates[6]),
        cadre_rank,
        title,
        contact_state,
        pocket,
        dues_kind,
    };
    let changed = match &old {
        None => Vec::new(),
        Some(o) => {
            let mut v = Vec::new();
            let pairs: [(&str, bool); 11] = [
                ("姓名", o.name != row.name),
                ("性别", o.gender != row.gender),
                ("政治面貌", o.party_status != row.party_status),
                (
                    "发展日期",
                    (
                        &o.born_on,
                        &o.applied_on,
                        &o.activist_on,
                        &o.candidate_on,
                        &o.joined_on,
                        &o.full_on,
                    ) != (
                        &row.born_on,
                        &row.applied_on,
                        &row.activist_on,
                        &row.candidate_on,
                        &row.joined_on,
                        &row.full_on,
                    ),
                ),
                ("行政职务", o.title != row.title),
                ("职级", o.cadre_rank != row.cadre_rank),
                ("联系状态", o.contact_state != row.contact_state),
                ("最后联系日期", o.last_contact_on != row.last_contact_on),
                ("口袋党员", o.pocket != row.pocket),
                ("党费类别", o.dues_kind != row.dues_kind),
                ("所在党组织", o.org_id != row.org_id),
            ];
            for (label, diff) in pairs {
                if diff {
                    v.push(label);
                }
            }
            v
        }
    };
    Some(Planned {
        existing: old,
        row,
        position,
        changed,
    })
}
