//! Integrity risk points (廉政风险点): by org, department and post; category and level
//! (高/中/低); controls with their owners; a review every `review_months` months
//! (quarterly for high risks, twice a year for medium, yearly for low, by default);
//! a heat table by category and level; an Excel ledger.
//!
//! Read by whoever reads the scope (`Scope::filter` in SQL); registered and reviewed
//! by the party offices (write permission at the org) and the discipline role.
use chrono::NaiveDate;
use serde::Serialize;
use zeren_core::risk::{self, Category, Level};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::history::{self, HistoryRow};
use zeren_store::risk::{self as store, ControlRow, NewRiskPoint, RiskFilter, RiskPointRow};

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

#[derive(Debug, Clone, Default)]
pub struct NewRiskInput {
    pub org_id: Option<i64>,
    pub department: String,
    pub post: String,
    pub category: String,
    pub level: String,
    pub description: String,
    /// None: the level's default cycle.
    pub review_months: Option<i64>,
    /// First review; None: today plus the cycle.
    pub next_review_on: Option<String>,
    /// Controls as (measure, owner person id).
    pub controls: Vec<(String, Option<i64>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskDetail {
    pub point: RiskPointRow,
    pub controls: Vec<ControlRow>,
    pub history: Vec<HistoryRow>,
}

/// One cell of the heat table.
#[derive(Debug, Clone, Serialize)]
pub struct HeatCell {
    pub category: &'static str,
    pub level: &'static str,
    pub n: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Heat {
    /// Every category × level, in the enums' order, zeros included.
    pub cells: Vec<HeatCell>,
    pub total: i64,
}

fn may_write(actor: &Actor, path: &str) -> bool {
    actor.can_at(Permission::WriteScope, path) || actor.can_at(Permission::DisciplineRecords, path)
}

fn validate_controls(
    errs: &mut ValidationErrors,
    controls: &[(String, Option<i64>)],
) -> Vec<(String, Option<i64>)> {
    let mut out = Vec::new();
    for (i, (m, owner)) in controls.iter().enumerate() {
        let m = m.trim();
        if m.is_empty() {
            continue;
        }
        if m.chars().count() > 500 {
            errs.add("controls", format!("第{}条防控措施不能超过500字", i + 1));
        }
        out.push((m.to_string(), *owner));
    }
    out
}

impl App {
    /// Whether the actor may register risk points anywhere (menu buttons).
    pub fn may_write_risk_points(actor: &Actor) -> bool {
        actor.has(Permission::WriteScope) || actor.has(Permission::DisciplineRecords)
    }

    pub async fn risk_list(
        &self,
        actor: &Actor,
        f: RiskFilter,
        paging: Paging,
    ) -> AppResult<Page<RiskPointRow>> {
        actor.require(
            Permission::ReadScope,
            "廉政风险点仅本范围的工作人员可以查看",
        )?;
        let mut c = self.store.conn().await?;
        let f = RiskFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = store::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// The heat table over the list's filter (its category and level aside).
    pub async fn risk_heat(&self, actor: &Actor, f: &RiskFilter) -> AppResult<Heat> {
        actor.require(
            Permission::ReadScope,
            "廉政风险点仅本范围的工作人员可以查看",
        )?;
        let mut c = self.store.conn().await?;
        let rows = store::heat(&mut c, &actor.read_scope(), f).await?;
        let mut cells = Vec::new();
        let mut total = 0;
        for cat in Category::ALL {
            for lv in Level::ALL {
                let n = rows
                    .iter()
                    .filter(|(c, l, _)| c == cat.as_str() && l == lv.as_str())
                    .map(|(_, _, n)| *n)
                    .sum();
                total += n;
                cells.push(HeatCell {
                    category: cat.as_str(),
                    level: lv.as_str(),
                    n,
                });
            }
        }
        Ok(Heat { cells, total })
    }

    pub async fn risk_get(&self, actor: &Actor, id: i64) -> AppResult<RiskDetail> {
        if !actor.has(Permission::ReadScope) {
            return Err(AppError::NotFound);
        }
        let mut c = self.store.conn().await?;
        let point = store::get_in(&mut c, &actor.read_scope(), id).await?;
        let controls = store::controls_of(&mut c, id).await?;
        let history = history::of(&mut c, "risk_point", id).await?;
        Ok(RiskDetail {
            point,
            controls,
            history,
        })
    }

    pub async fn risk_create(&self, actor: &Actor, input: NewRiskInput) -> AppResult<i64> {
        if !Self::may_write_risk_points(actor) {
            return Err(AppError::Forbidden(
                "只有党办和纪检监察人员可以登记廉政风险点".into(),
            ));
        }
        let mut errs = ValidationErrors::new();
        let department = validate::text(
            &mut errs,
            "department",
            "科室（部门）",
            &input.department,
            60,
        );
        let post = validate::text(&mut errs, "post", "岗位", &input.post, 60);
        let description = validate::text(
            &mut errs,
            "description",
            "风险描述",
            &input.description,
            2000,
        );
        let category = Category::parse(&input.category);
        if category.is_none() {
            errs.add("category", "请选择风险类别");
        }
        let level = Level::parse(&input.level);
        if level.is_none() {
            errs.add("level", "请选择风险等级");
        }
        let months = input
            .review_months
            .unwrap_or_else(|| level.map(|l| l.default_cycle_months() as i64).unwrap_or(12));
        if !(1..=36).contains(&months) {
            errs.add("review_months", "复核周期应为 1 到 36 个月");
        }
        let first = validate::opt_date(
            &mut errs,
            "next_review_on",
            "下次复核日期",
            input.next_review_on.as_deref(),
        );
        let controls = validate_controls(&mut errs, &input.controls);
        let mut tx = self.store.begin_write().await?;
        let org = match input.org_id {
            Some(id) => zeren_store::org::get_in(tx.conn(), &actor.read_scope(), id)
                .await
                .ok()
                .filter(|o| may_write(actor, &o.path)),
            None => None,
        };
        if org.is_none() {
            errs.add("org_id", "请选择本人有权登记的单位");
        }
        for (_, owner) in &controls {
            if let Some(pid) = owner {
                if zeren_store::person::get_in(tx.conn(), &actor.read_scope(), *pid)
                    .await
                    .is_err()
                {
                    errs.add("controls", format!("责任人 #{pid} 不存在或不在本人范围内"));
                }
            }
        }
        errs.into_result()?;
        let (Some(org), Some(category), Some(level)) = (org, category, level) else {
            return Err(invalid("org_id", "请选择单位"));
        };
        let next = first.unwrap_or_else(|| risk::next_review(clock::today(), months as u32));
        let now = clock::now();
        let id = store::insert(
            tx.conn(),
            NewRiskPoint {
                org_id: org.id,
                org_path: &org.path,
                department: &department,
                post: &post,
                category: category.as_str(),
                level: level.as_str(),
                description: &description,
                review_months: months,
                next_review_on: &next.to_string(),
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        for (m, owner) in &controls {
            store::insert_control(tx.conn(), id, m, *owner, now).await?;
        }
        let detail = format!(
            "{department}·{post}：{}，风险等级{}，防控措施 {} 条，每 {months} 个月复核",
            category.label(),
            level.label(),
            controls.len()
        );
        hist(tx.conn(), actor, "risk_point", id, "登记", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::RiskPointCreate, "risk_point", id, &org.path).detail(format!(
                "{} {}",
                category.as_str(),
                level.as_str()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn risk_add_control(
        &self,
        actor: &Actor,
        id: i64,
        measure: &str,
        owner: Option<i64>,
    ) -> AppResult<i64> {
        if !actor.has(Permission::ReadScope) {
            return Err(AppError::NotFound);
        }
        let mut errs = ValidationErrors::new();
        let measure = validate::text(&mut errs, "measure", "防控措施", measure, 500);
        let mut tx = self.store.begin_write().await?;
        let p = store::get_in(tx.conn(), &actor.read_scope(), id).await?;
        if !may_write(actor, &p.org_path) {
            return Err(AppError::Forbidden(
                "只有党办和纪检监察人员可以修改廉政风险点".into(),
            ));
        }
        if let Some(pid) = owner {
            if zeren_store::person::get_in(tx.conn(), &actor.read_scope(), pid)
                .await
                .is_err()
            {
                errs.add("owner_person_id", "责任人不存在或不在本人范围内");
            }
        }
        errs.into_result()?;
        let cid = store::insert_control(tx.conn(), id, &measure, owner, clock::now()).await?;
        hist(tx.conn(), actor, "risk_point", id, "增加防控措施", &measure).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::RiskPointControl, "risk_point", id, &p.org_path)
                .detail(format!("control#{cid}")),
        )
        .await?;
        tx.commit().await?;
        Ok(cid)
    }

    /// Records a review on a day; the next falls `review_months` later.
    pub async fn risk_review(
        &self,
        actor: &Actor,
        id: i64,
        reviewed_on: &str,
        note: &str,
    ) -> AppResult<()> {
        if !actor.has(Permission::ReadScope) {
            return Err(AppError::NotFound);
        }
        let mut errs = ValidationErrors::new();
        let on = validate::date(&mut errs, "reviewed_on", "复核日期", reviewed_on);
        if on.is_some_and(|d| d > clock::today()) {
            errs.add("reviewed_on", "复核日期不能晚于今天");
        }
        let note =
            validate::opt_text(&mut errs, "note", "复核意见", Some(note), 500).unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        let p = store::get_in(tx.conn(), &actor.read_scope(), id).await?;
        if !may_write(actor, &p.org_path) {
            return Err(AppError::Forbidden(
                "只有党办和纪检监察人员可以复核廉政风险点".into(),
            ));
        }
        errs.into_result()?;
        let Some(on) = on else {
            return Err(invalid("reviewed_on", "请填写复核日期"));
        };
        let next: NaiveDate = risk::next_review(on, p.review_months as u32);
        store::set_reviewed(
            tx.conn(),
            id,
            &on.to_string(),
            &next.to_string(),
            clock::now(),
        )
        .await?;
        let line = if note.is_empty() {
            format!("{on} 复核，下次 {next}")
        } else {
            format!("{on} 复核：{note}；下次 {next}")
        };
        hist(tx.conn(), actor, "risk_point", id, "复核", &line).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::RiskPointReview, "risk_point", id, &p.org_path)
                .detail(format!("{on} → {next}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 廉政风险点台账 as filtered, audited as an export.
    pub async fn export_risk_points(
        &self,
        actor: &Actor,
        f: RiskFilter,
        scope: String,
    ) -> AppResult<crate::export::Exported> {
        use crate::export::{Cell, Col, SheetSpec, SheetWriter, Tone};
        actor.require(
            Permission::ReadScope,
            "廉政风险点仅本范围的工作人员可以查看",
        )?;
        let title = "廉政风险点台账";
        let spec = SheetSpec {
            name: title.into(),
            title: title.into(),
            scope,
            columns: vec![
                Col::new("单位", 24.0),
                Col::new("科室（部门）", 14.0),
                Col::new("岗位", 14.0),
                Col::new("风险类别", 12.0),
                Col::new("风险等级", 8.0),
                Col::new("风险描述", 40.0),
                Col::new("防控措施", 40.0),
                Col::new("复核周期（月）", 10.0),
                Col::new("上次复核", 12.0),
                Col::new("下次复核", 12.0),
            ],
        };
        let mut w = SheetWriter::new(&spec)?;
        let read = actor.read_scope();
        let mut c = self.store.conn().await?;
        let mut offset = 0;
        loop {
            let page = RiskFilter {
                offset,
                limit: 500,
                ..f.clone()
            };
            let (items, total) = store::list(&mut c, &read, &page).await?;
            for p in &items {
                let controls = store::controls_of(&mut c, p.id).await?;
                let measures = controls
                    .iter()
                    .enumerate()
                    .map(|(i, k)| match &k.owner_name {
                        Some(o) => format!("{}. {}（责任人：{o}）", i + 1, k.measure),
                        None => format!("{}. {}", i + 1, k.measure),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let level = Level::parse(&p.level);
                let tone = match level {
                    Some(Level::High) => Tone::Bad,
                    Some(Level::Medium) => Tone::Warn,
                    _ => Tone::Plain,
                };
                w.push(&[
                    Cell::text(p.org_name.as_str()),
                    Cell::text(p.department.as_str()),
                    Cell::text(p.post.as_str()),
                    Cell::text(
                        Category::parse(&p.category)
                            .map(|x| x.label())
                            .unwrap_or(""),
                    ),
                    Cell::State(level.map(|x| x.label()).unwrap_or("").into(), tone),
                    Cell::Long(p.description.clone()),
                    Cell::Long(measures),
                    Cell::Int(p.review_months),
                    Cell::day(p.last_reviewed_on.as_deref()),
                    Cell::day(Some(&p.next_review_on)),
                ])?;
            }
            offset += items.len() as i64;
            if items.is_empty() || offset >= total {
                break;
            }
        }
        drop(c);
        let rows = w.rows();
        let file = w.finish()?;
        let mut tx = self.store.begin_write().await?;
        let path = match &read {
            zeren_store::Scope::Subtrees(p) => p.first().cloned().unwrap_or_default(),
            _ => String::new(),
        };
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::Export, "risk_point", "", &path)
                .detail(format!("{title} {rows} 行")),
        )
        .await?;
        tx.commit().await?;
        Ok(crate::export::Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }
}
