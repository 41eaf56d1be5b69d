//! Cadre records (干部工作) the annual report counts: appointments (提拔 / 进一步使用 /
//! 职级晋升) with post, ranks and date; part-time posts in social organisations (社会团体
//! 兼职) with their approval; training (class, organiser, hours); 容错纠错. Each record
//! names a person of the actor's scope and lies in that person's org.
//!
//! Read by whoever reads the scope; written by the organisation department
//! (`Permission::PersonalMatters` at the person's org). The year's figures are
//! counted from these rows by `zeren_store::cadre_work::figures`, which the annual
//! report (`App::report_figures`) and this module's summary both call.
use serde::Serialize;
use zeren_core::cadre_work::{AppointmentKind, Decision, ToleranceKind, MAX_HOURS};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::cadre_work::{self as store, CadreFilter, CadreRow, Owner};

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// A new record of one of the four kinds.
#[derive(Debug, Clone)]
pub enum CadreInput {
    Appointment {
        person_id: i64,
        kind: String,
        post: String,
        from_rank: Option<String>,
        to_rank: String,
        appointed_on: String,
    },
    PartTime {
        person_id: i64,
        society: String,
        post: String,
        applied_on: String,
        /// approved / refused, or None while pending
        decision: Option<String>,
        decided_on: Option<String>,
        paid: bool,
    },
    Training {
        person_id: i64,
        class_name: String,
        organizer: Option<String>,
        started_on: String,
        hours: i64,
    },
    Tolerance {
        person_id: i64,
        kind: String,
        matter: String,
        post: Option<String>,
        decided_on: String,
    },
}

impl CadreInput {
    fn person_id(&self) -> i64 {
        match self {
            CadreInput::Appointment { person_id, .. }
            | CadreInput::PartTime { person_id, .. }
            | CadreInput::Training { person_id, .. }
            | CadreInput::Tolerance { person_id, .. } => *person_id,
        }
    }
    fn record(&self) -> &'static str {
        match self {
            CadreInput::Appointment { .. } => "appointment",
            CadreInput::PartTime { .. } => "part_time",
            CadreInput::Training { .. } => "training",
            CadreInput::Tolerance { .. } => "tolerance",
        }
    }
}

/// The year's figures of a subtree, with their token names.
#[derive(Debug, Clone, Serialize)]
pub struct CadreFigure {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub value: i64,
}

fn record_label(kind: &str) -> &'static str {
    match kind {
        "appointment" => "干部任用",
        "part_time" => "社会团体兼职",
        "training" => "干部培训",
        _ => "容错纠错",
    }
}

fn day_ok(errs: &mut ValidationErrors, field: &str, label: &str, v: &str) -> Option<String> {
    let d = validate::date(errs, field, label, v);
    if let Some(d) = d {
        if d > clock::today() {
            errs.add(field, format!("{label}不能晚于今天"));
        }
    }
    d.map(|d| d.to_string())
}

impl App {
    /// Whether the actor may record cadre work anywhere (menu buttons).
    pub fn may_write_cadre_work(actor: &Actor) -> bool {
        actor.has(Permission::PersonalMatters)
    }

    pub async fn cadre_records(
        &self,
        actor: &Actor,
        f: CadreFilter,
        paging: Paging,
    ) -> AppResult<Page<CadreRow>> {
        actor.require(
            Permission::ReadScope,
            "干部工作记录仅本范围的工作人员可以查看",
        )?;
        if !store::KINDS.contains(&f.kind.as_str()) {
            return Err(invalid(
                "kind",
                "记录类别应为 appointment、part_time、training 或 tolerance",
            ));
        }
        let mut c = self.store.conn().await?;
        let f = CadreFilter {
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

    pub async fn cadre_record(&self, actor: &Actor, kind: &str, id: i64) -> AppResult<CadreRow> {
        if !actor.has(Permission::ReadScope) || !store::KINDS.contains(&kind) {
            return Err(AppError::NotFound);
        }
        let mut c = self.store.conn().await?;
        Ok(store::get_in(&mut c, &actor.read_scope(), kind, id).await?)
    }

    /// The year's cadre figures of an org's subtree (the org must be in scope), as
    /// the annual report states them.
    pub async fn cadre_figures(
        &self,
        actor: &Actor,
        org_id: i64,
        year: i32,
    ) -> AppResult<Vec<CadreFigure>> {
        actor.require(
            Permission::ReadScope,
            "干部工作记录仅本范围的工作人员可以查看",
        )?;
        let mut c = self.store.conn().await?;
        let org = zeren_store::org::get_in(&mut c, &actor.read_scope(), org_id).await?;
        let values = store::figures(&mut c, &org.path, year).await?;
        Ok(values
            .into_iter()
            .filter_map(|(k, v)| {
                zeren_core::report::figure(k).map(|f| CadreFigure {
                    key: f.key,
                    name: f.name,
                    unit: f.unit,
                    value: v,
                })
            })
            .collect())
    }

    /// Records one cadre record for a person of the actor's scope.
    pub async fn cadre_record_create(&self, actor: &Actor, input: CadreInput) -> AppResult<i64> {
        if !Self::may_write_cadre_work(actor) {
            return Err(AppError::Forbidden("干部工作记录由组织部门登记".into()));
        }
        let mut errs = ValidationErrors::new();
        let mut tx = self.store.begin_write().await?;
        let person =
            match zeren_store::person::get_in(tx.conn(), &actor.read_scope(), input.person_id())
                .await
            {
                Ok(p) if actor.can_at(Permission::PersonalMatters, &p.org_path) => Some(p),
                _ => {
                    errs.add("person_id", "人员不存在或不在本人管理范围内");
                    None
                }
            };
        let now = clock::now();
        let detail;
        // validate everything first
        enum Ready {
            Appointment(String, String, String, String, String),
            PartTime(String, String, String, Option<String>, Option<String>, bool),
            Training(String, String, String, i64),
            Tolerance(String, String, String, String),
        }
        let ready = match &input {
            CadreInput::Appointment {
                kind,
                post,
                from_rank,
                to_rank,
                appointed_on,
                ..
            } => {
                let k = AppointmentKind::parse(kind);
                if k.is_none() {
                    errs.add("kind", "请选择任用类型（提拔、进一步使用、职级晋升）");
                }
                let post = validate::text(&mut errs, "post", "任职岗位", post, 60);
                let from =
                    validate::opt_text(&mut errs, "from_rank", "原职级", from_rank.as_deref(), 20)
                        .unwrap_or_default();
                let to = validate::text(&mut errs, "to_rank", "现职级", to_rank, 20);
                let on = day_ok(&mut errs, "appointed_on", "任职日期", appointed_on);
                detail = format!("{} {post}（{to}）", k.map(|k| k.label()).unwrap_or(""));
                Ready::Appointment(
                    k.map(|k| k.as_str().to_string()).unwrap_or_default(),
                    post,
                    from,
                    to,
                    on.unwrap_or_default(),
                )
            }
            CadreInput::PartTime {
                society,
                post,
                applied_on,
                decision,
                decided_on,
                paid,
                ..
            } => {
                let society = validate::text(&mut errs, "society", "社会团体名称", society, 100);
                let post = validate::text(&mut errs, "post", "兼任职务", post, 60);
                let applied = day_ok(&mut errs, "applied_on", "申请日期", applied_on);
                let decision = match decision.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => None,
                    Some(d) => match Decision::parse(d) {
                        Some(d) => Some(d.as_str().to_string()),
                        None => {
                            errs.add("decision", "审批结果应为同意或不同意");
                            None
                        }
                    },
                };
                let decided = match decided_on
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    Some(d) => day_ok(&mut errs, "decided_on", "审批日期", d),
                    None => None,
                };
                if decision.is_some() != decided.is_some() {
                    errs.add("decided_on", "审批结果和审批日期应同时填写");
                }
                if let (Some(a), Some(d)) = (&applied, &decided) {
                    if d < a {
                        errs.add("decided_on", "审批日期不能早于申请日期");
                    }
                }
                detail = format!("{society} {post}");
                Ready::PartTime(
                    society,
                    post,
                    applied.unwrap_or_default(),
                    decision,
                    decided,
                    *paid,
                )
            }
            CadreInput::Training {
                class_name,
                organizer,
                started_on,
                hours,
                ..
            } => {
                let class = validate::text(&mut errs, "class_name", "培训班名称", class_name, 100);
                let organizer = validate::opt_text(
                    &mut errs,
                    "organizer",
                    "主办单位",
                    organizer.as_deref(),
                    60,
                )
                .unwrap_or_default();
                let on = day_ok(&mut errs, "started_on", "开班日期", started_on);
                if !(1..=MAX_HOURS).contains(hours) {
                    errs.add("hours", format!("学时应为 1 到 {MAX_HOURS}"));
                }
                detail = format!("{class}，{hours} 学时");
                Ready::Training(class, organizer, on.unwrap_or_default(), *hours)
            }
            CadreInput::Tolerance {
                kind,
                matter,
                post,
                decided_on,
                ..
            } => {
                let k = ToleranceKind::parse(kind);
                if k.is_none() {
                    errs.add("kind", "请选择容错免责或纠错后重新使用");
                }
                let matter = validate::text(&mut errs, "matter", "事项", matter, 500);
                let post = validate::opt_text(&mut errs, "post", "使用岗位", post.as_deref(), 60)
                    .unwrap_or_default();
                let on = day_ok(&mut errs, "decided_on", "决定日期", decided_on);
                detail = format!("{}：{matter}", k.map(|k| k.label()).unwrap_or(""));
                Ready::Tolerance(
                    k.map(|k| k.as_str().to_string()).unwrap_or_default(),
                    matter,
                    post,
                    on.unwrap_or_default(),
                )
            }
        };
        errs.into_result()?;
        let Some(person) = person else {
            return Err(invalid("person_id", "人员不存在"));
        };
        let owner = Owner {
            person_id: person.id,
            org_id: person.org_id,
            org_path: &person.org_path,
            created_by: actor.audit_id(),
            at: now,
        };
        let c = tx.conn();
        let id = match &ready {
            Ready::Appointment(k, post, from, to, on) => {
                store::insert_appointment(c, &owner, k, post, from, to, on).await?
            }
            Ready::PartTime(society, post, applied, decision, decided, paid) => {
                store::insert_part_time(
                    c,
                    &owner,
                    society,
                    post,
                    applied,
                    decision.as_deref(),
                    decided.as_deref(),
                    *paid,
                )
                .await?
            }
            Ready::Training(class, organizer, on, hours) => {
                store::insert_training(c, &owner, class, organizer, on, *hours).await?
            }
            Ready::Tolerance(k, matter, post, on) => {
                store::insert_tolerance(c, &owner, k, matter, post, on).await?
            }
        };
        let kind = input.record();
        let object = format!("cadre_{kind}");
        hist(
            tx.conn(),
            actor,
            &object,
            id,
            &format!("登记{}", record_label(kind)),
            &format!("{}：{detail}", person.name),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::CadreRecord, &object, id, &person.org_path)
                .detail(format!("person#{}", person.id)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Decides a pending part-time application.
    pub async fn cadre_part_time_decide(
        &self,
        actor: &Actor,
        id: i64,
        decision: &str,
        decided_on: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let d = Decision::parse(decision);
        if d.is_none() {
            errs.add("decision", "审批结果应为同意或不同意");
        }
        let on = day_ok(&mut errs, "decided_on", "审批日期", decided_on);
        let mut tx = self.store.begin_write().await?;
        let r = store::get_in(tx.conn(), &actor.read_scope(), "part_time", id).await?;
        if !actor.can_at(Permission::PersonalMatters, &r.org_path) {
            return Err(AppError::Forbidden("社会团体兼职由组织部门审批".into()));
        }
        errs.into_result()?;
        let (Some(d), Some(on)) = (d, on) else {
            return Err(invalid("decision", "请填写审批结果"));
        };
        if !store::decide_part_time(tx.conn(), id, d.as_str(), &on).await? {
            return Err(AppError::Conflict("该兼职申请已审批".into()));
        }
        hist(
            tx.conn(),
            actor,
            "cadre_part_time",
            id,
            "审批",
            &format!("{}（{on}）", d.label()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::CadreDecide, "cadre_part_time", id, &r.org_path)
                .detail(d.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
