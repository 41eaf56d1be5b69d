//! Petitions (信访举报): intake, disposal, outcome and the informant notices.
//!
//! Need to know, in SQL: only the discipline role reads petitions, and only in its
//! subtrees (`zeren_store::discipline::Reader`); the person reported never does,
//! whatever roles their account holds — a petition about them is "not found" in
//! every list, detail, count, search and export. The informant's name and contact
//! are sealed with the crypto provider before they reach the database; opening them
//! needs the `informant` clearance on top of the role, and every opening (and every
//! refused attempt) is an audit event.
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zeren_core::petition::{self as core, Category, Channel, Disposal, Level, Outcome, State};
use zeren_core::workday::{Calendar, DayKind};
use zeren_core::{validate, Permission, Role, ValidationErrors};
use zeren_store::discipline::{
    self as store, CalendarDayRow, FourFormsFilter, FourFormsRow, NewPetition, PetitionFilter,
    PetitionRow, Reader,
};
use zeren_store::history::{self, HistoryRow};
use zeren_store::{Conn, Scope};

use crate::audit::{self, AuditAction, Event};
use crate::crypto::CryptoProvider;
use crate::task::hist;
use crate::{clock, error::invalid, Actor, App, AppError, AppResult, Page, Paging};

/// The clearance that lets a discipline account read informant identity.
pub const INFORMANT_CLEARANCE: &str = "informant";
const NAME_FIELD: &str = "petitions.informant_name";
const CONTACT_FIELD: &str = "petitions.informant_contact";

/// What the actor reads of discipline records: the subtrees of its discipline role,
/// never a record about itself.
pub fn reader(actor: &Actor) -> Reader {
    let paths = actor.paths_for(Permission::DisciplineRecords);
    Reader {
        scope: if paths.is_empty() {
            Scope::Nothing
        } else {
            Scope::Subtrees(paths)
        },
        person_id: actor.person_id,
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewPetitionInput {
    pub received_on: String,
    pub channel: String,
    pub signed: bool,
    pub informant_name: Option<String>,
    pub informant_contact: Option<String>,
    /// The person reported (their org is the petition's org), or …
    pub reported_person_id: Option<i64>,
    /// … the org reported when no person is named.
    pub org_id: Option<i64>,
    pub summary: String,
    pub content: String,
    pub level: String,
    pub category: String,
    /// 重件: the code or id of an earlier petition about the same matter.
    pub repeat_of: Option<String>,
}

/// A petition with what its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PetitionDetail {
    pub petition: PetitionRow,
    pub history: Vec<HistoryRow>,
    /// Later petitions that repeat this one (重件).
    pub repeats: Vec<PetitionRow>,
    /// Four-forms actions linked to it.
    pub actions: Vec<FourFormsRow>,
    /// Whether the actor holds the clearance to open the informant's identity.
    pub may_reveal: bool,
}

/// An informant's identity, opened for a cleared reader.
#[derive(Debug, Clone, Serialize)]
pub struct Informant {
    pub name: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NoticeDue {
    pub petition_id: i64,
    pub code: String,
    /// `accept` | `result`
    pub which: String,
    pub due: String,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The working-day calendar as configured.
pub(crate) async fn load_calendar(c: &mut Conn) -> AppResult<Calendar> {
    let days = store::calendar_days(c).await?;
    Ok(Calendar::new(days.into_iter().filter_map(|d| {
        Some((parse_date(&d.day)?, DayKind::parse(&d.kind)?))
    })))
}

impl App {
    /// Whether the actor works with petitions and the four forms (menu, links).
    pub fn may_handle_discipline(actor: &Actor) -> bool {
        actor.has(Permission::DisciplineRecords)
    }

    fn require_discipline(actor: &Actor) -> AppResult<()> {
        actor.require(
            Permission::DisciplineRecords,
            "信访举报仅纪检监察人员可以查看",
        )
    }

    pub async fn petition_list(
        &self,
        actor: &Actor,
        f: PetitionFilter,
        paging: Paging,
    ) -> AppResult<Page<PetitionRow>> {
        Self::require_discipline(actor)?;
        let mut c = self.store.conn().await?;
        let f = PetitionFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = store::list(&mut c, &reader(actor), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Petitions per state in the actor's view (the list's tabs, the API's counts).
    pub async fn petition_counts(&self, actor: &Actor) -> AppResult<Vec<(String, i64)>> {
        Self::require_discipline(actor)?;
        let mut c = self.store.conn().await?;
        Ok(store::count_by_state(&mut c, &reader(actor)).await?)
    }

    /// Notices to real-name informants due by `day` and not yet given.
    pub async fn petition_notices_due(
        &self,
        actor: &Actor,
        day: NaiveDate,
    ) -> AppResult<Vec<NoticeDue>> {
        Self::require_discipline(actor)?;
        let mut c = self.store.conn().await?;
        let rows = store::notices_due(&mut c, &reader(actor), &day.to_string()).await?;
        Ok(rows
            .into_iter()
            .map(|(petition_id, code, which, due)| NoticeDue {
                petition_id,
                code,
                which,
                due,
            })
            .collect())
    }

    pub async fn petition_get(&self, actor: &Actor, id: i64) -> AppResult<PetitionDetail> {
        if !actor.has(Permission::DisciplineRecords) {
            // the same answer as a petition that does not exist
            return Err(AppError::NotFound);
        }
        let r = reader(actor);
        let mut c = self.store.conn().await?;
        let petition = store::get_in(&mut c, &r, id).await?;
        let history = history::of(&mut c, "petition", id).await?;
        let (repeats, _) = store::list(
            &mut c,
            &r,
            &PetitionFilter {
                repeat_of: Some(id),
                limit: 100,
                ..Default::default()
            },
        )
        .await?;
        let (actions, _) = store::list_four_forms(
            &mut c,
            &r,
            &FourFormsFilter {
                petition_id: Some(id),
                limit: 100,
                ..Default::default()
            },
        )
        .await?;
        let may_reveal = store::has_clearance(&mut c, actor.user_id, INFORMANT_CLEARANCE).await?;
        Ok(PetitionDetail {
            petition,
            history,
            repeats,
            actions,
            may_reveal,
        })
    }

    /// Opens the informant's identity for a cleared discipline account, and records
    /// the reading in the audit log in the same transaction. An account without the
    /// clearance is refused, and the attempt is recorded too.
    pub async fn petition_informant(&self, actor: &Actor, id: i64) -> AppResult<Informant> {
        if !actor.has(Permission::DisciplineRecords) {
            return Err(AppError::NotFound);
        }
        let r = reader(actor);
        let mut tx = self.store.begin_write().await?;
        let p = store::get_in(tx.conn(), &r, id).await?;
        if !store::has_clearance(tx.conn(), actor.user_id, INFORMANT_CLEARANCE).await? {
            audit::by_actor(
                tx.conn(),
                actor,
                Event::ok(AuditAction::InformantRead, "petition", id, &p.org_path)
                    .detail(format!("{} 无查看举报人身份的授权", p.code))
                    .failed(),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(
                "查看举报人身份需要专门授权（由安全管理员授予）".into(),
            ));
        }
        let (name, contact) = store::informant_sealed(tx.conn(), &r, id).await?;
        let keys = self.crypto();
        let name = name.map(|v| keys.open(NAME_FIELD, &v)).transpose()?;
        let contact = contact.map(|v| keys.open(CONTACT_FIELD, &v)).transpose()?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::InformantRead, "petition", id, &p.org_path)
                .detail(format!("{} 查看举报人身份", p.code)),
        )
        .await?;
        tx.commit().await?;
        Ok(Informant { name, contact })
    }

    pub async fn petition_create(&self, actor: &Actor, input: NewPetitionInput) -> AppResult<i64> {
        Self::require_discipline(actor)?;
        let mut errs = ValidationErrors::new();
        let received_on = validate::date(&mut errs, "received_on", "收件日期", &input.received_on);
        if received_on.is_some_and(|d| d > clock::today()) {
            errs.add("received_on", "收件日期不能晚于今天");
        }
        let channel = Channel::parse(&input.channel);
        if channel.is_none() {
            errs.add("channel", "请选择来源渠道");
        }
        let level = Level::parse(&input.level);
        if level.is_none() {
            errs.add("level", "请选择被反映人职级");
        }
        let category = Category::parse(&input.category);
        if category.is_none() {
            errs.add("category", "请选择问题类别");
        }
        let summary = validate::text(&mut errs, "summary", "反映问题摘要", &input.summary, 200);
        let content = validate::text(&mut errs, "content", "反映内容", &input.content, 10_000);
        let name = validate::opt_text(
            &mut errs,
            "informant_name",
            "举报人姓名",
            input.informant_name.as_deref(),
            60,
        );
        let contact = validate::opt_text(
            &mut errs,
            "informant_contact",
            "举报人联系方式",
            input.informant_contact.as_deref(),
            200,
        );
        if input.signed && name.is_none() {
            errs.add("informant_name", "实名举报须填写举报人姓名");
        }
        if !input.signed && (name.is_some() || contact.is_some()) {
            errs.add(
                "informant_name",
                "匿名举报不登记举报人身份；如举报人署名，请选择“实名”",
            );
        }
        let mut tx = self.store.begin_write().await?;
        let r = reader(actor);
        let scope = actor.read_scope();
        let target = match (input.reported_person_id, input.org_id) {
            (Some(pid), _) => match zeren_store::person::get_in(tx.conn(), &scope, pid).await {
                Ok(p) => Some((p.org_id, p.org_path, Some(p.id))),
                Err(_) => {
                    errs.add("reported_person_id", "被反映人不存在");
                    None
                }
            },
            (None, Some(oid)) => match zeren_store::org::get_in(tx.conn(), &scope, oid).await {
                Ok(o) => Some((o.id, o.path, None)),
                Err(_) => {
                    errs.add("org_id", "被反映单位不存在");
                    None
                }
            },
            (None, None) => {
                errs.add("org_id", "请选择被反映人或被反映单位");
                None
            }
        };
        if let Some((_, path, pid)) = &target {
            if !actor.can_at(Permission::DisciplineRecords, path) {
                errs.add("org_id", "被反映单位不在本人纪检监察范围内");
            }
            if pid.is_some() && *pid == actor.person_id {
                errs.add("reported_person_id", "不能登记反映本人的信访件（应当回避）");
            }
        }
        let mut repeat_of = None;
        if let Some(rep) = input
            .repeat_of
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let found = match rep.parse::<i64>() {
                Ok(rid) => store::get_in(tx.conn(), &r, rid).await.ok(),
                Err(_) => store::list(
                    tx.conn(),
                    &r,
                    &PetitionFilter {
                        q: Some(rep.to_string()),
                        limit: 2,
                        ..Default::default()
                    },
                )
                .await?
                .0
                .into_iter()
                .find(|p| p.code == rep),
            };
            match found {
                Some(p) => repeat_of = Some((p.id, p.code)),
                None => errs.add("repeat_of", format!("重件所指的信访件 {rep} 不存在")),
            }
        }
        errs.into_result()?;
        let (
            Some((org_id, org_path, person_id)),
            Some(received_on),
            Some(channel),
            Some(level),
            Some(category),
        ) = (target, received_on, channel, level, category)
        else {
            return Err(invalid("org_id", "请选择被反映人或被反映单位"));
        };
        let cal = load_calendar(tx.conn()).await?;
        let accept_due =
            core::acceptance_notice_due(&cal, input.signed, received_on).map(|d| d.to_string());
        let keys = self.crypto();
        let sealed_name = name
            .as_deref()
            .map(|n| keys.seal(NAME_FIELD, n))
            .transpose()?;
        let sealed_contact = contact
            .as_deref()
            .map(|n| keys.seal(CONTACT_FIELD, n))
            .transpose()?;
        let code = store::next_code(tx.conn(), received_on.year()).await?;
        let now = clock::now();
        let id = store::insert(
            tx.conn(),
            NewPetition {
                code: &code,
                org_id,
                org_path: &org_path,
                reported_person_id: person_id,
                received_on: &received_on.to_string(),
                channel: channel.as_str(),
                signed: input.signed,
                informant_name: sealed_name.as_deref(),
                informant_contact: sealed_contact.as_deref(),
                summary: &summary,
                content: &content,
                level: level.as_str(),
                category: category.as_str(),
                repeat_of: repeat_of.as_ref().map(|(id, _)| *id),
                state: State::Received.as_str(),
                accept_notice_due: accept_due.as_deref(),
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        // the history and the audit name no informant: only whether it was signed
        let detail = format!(
            "{}，{}，{}{}",
            channel.label(),
            if input.signed { "实名" } else { "匿名" },
            category.label(),
            repeat_of
                .as_ref()
                .map(|(_, c)| format!("，重件（{c}）"))
                .unwrap_or_default()
        );
        hist(tx.conn(), actor, "petition", id, "受理登记", &detail).await?;
        if let Some((rid, _)) = &repeat_of {
            hist(tx.conn(), actor, "petition", *rid, "收到重件", &code).await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PetitionCreate, "petition", id, &org_path).detail(format!(
                "{code} {} {}",
                channel.as_str(),
                if input.signed { "signed" } else { "anonymous" }
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Disposes of a petition (谈话函询, 初步核实, 暂存待查, 予以了结, 移送审查调查).
    /// 予以了结 concludes it without an outcome.
    pub async fn petition_dispose(
        &self,
        actor: &Actor,
        id: i64,
        disposal: &str,
        on: &str,
        note: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let d = Disposal::parse(disposal);
        if d.is_none() {
            errs.add("disposal", "请选择处置方式");
        }
        let on = validate::date(&mut errs, "disposed_on", "处置日期", on);
        let note = validate::opt_text(&mut errs, "note", "处置说明", Some(note), 2000);
        let mut tx = self.store.begin_write().await?;
        let p = self.petition_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let (Some(d), Some(on)) = (d, on) else {
            return Err(invalid("disposal", "请选择处置方式"));
        };
        if parse_date(&p.received_on).is_some_and(|r| on < r) {
            return Err(invalid("disposed_on", "处置日期不能早于收件日期"));
        }
        let state = State::parse(&p.state).unwrap_or(State::Received);
        let next = core::dispose(state, d).map_err(|e| invalid("disposal", e.to_string()))?;
        let now = clock::now();
        store::set_disposal(
            tx.conn(),
            id,
            d.as_str(),
            &on.to_string(),
            next.as_str(),
            now,
        )
        .await?;
        if next == State::Concluded {
            let cal = load_calendar(tx.conn()).await?;
            let due = core::result_notice_due(&cal, p.signed == 1, Some(on)).map(|x| x.to_string());
            store::set_conclusion(
                tx.conn(),
                id,
                None,
                false,
                note.as_deref().unwrap_or(""),
                &on.to_string(),
                due.as_deref(),
                now,
            )
            .await?;
        }
        let detail = match &note {
            Some(n) => format!("{}（{on}）：{n}", d.label()),
            None => format!("{}（{on}）", d.label()),
        };
        hist(tx.conn(), actor, "petition", id, "处置", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PetitionDispose, "petition", id, &p.org_path).detail(format!(
                "{} {}",
                p.code,
                d.as_str()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the outcome (属实 / 部分属实 / 不属实) and whether the person's name was
    /// cleared (澄清正名); the result notice falls due 15 working days later.
    pub async fn petition_conclude(
        &self,
        actor: &Actor,
        id: i64,
        outcome: &str,
        cleared: bool,
        conclusion: &str,
        on: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let o = Outcome::parse(outcome);
        if o.is_none() {
            errs.add("outcome", "请选择核查结论");
        }
        let conclusion = validate::text(&mut errs, "conclusion", "办理结果", conclusion, 4000);
        let on = validate::date(&mut errs, "concluded_on", "办结日期", on);
        let mut tx = self.store.begin_write().await?;
        let p = self.petition_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let (Some(o), Some(on)) = (o, on) else {
            return Err(invalid("outcome", "请选择核查结论"));
        };
        if p.disposed_on
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|d| on < d)
        {
            return Err(invalid("concluded_on", "办结日期不能早于处置日期"));
        }
        let state = State::parse(&p.state).unwrap_or(State::Received);
        let disposal = p.disposal.as_deref().and_then(Disposal::parse);
        core::conclude(state, disposal, o, cleared)
            .map_err(|e| invalid("outcome", e.to_string()))?;
        let cal = load_calendar(tx.conn()).await?;
        let due = core::result_notice_due(&cal, p.signed == 1, Some(on)).map(|x| x.to_string());
        store::set_conclusion(
            tx.conn(),
            id,
            Some(o.as_str()),
            cleared,
            &conclusion,
            &on.to_string(),
            due.as_deref(),
            clock::now(),
        )
        .await?;
        let detail = format!(
            "{}{}（{on}）：{conclusion}",
            o.label(),
            if cleared { "，澄清正名" } else { "" }
        );
        hist(tx.conn(), actor, "petition", id, "办结", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PetitionConclude, "petition", id, &p.org_path).detail(format!(
                "{} {}{}",
                p.code,
                o.as_str(),
                if cleared { " cleared" } else { "" }
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a real-name informant was told of acceptance (`accept`) or of the
    /// result (`result`).
    pub async fn petition_notify(
        &self,
        actor: &Actor,
        id: i64,
        which: &str,
        on: &str,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let on = validate::date(&mut errs, "notified_on", "告知日期", on);
        let mut tx = self.store.begin_write().await?;
        let p = self.petition_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let Some(on) = on else {
            return Err(invalid("notified_on", "告知日期不能为空"));
        };
        if p.signed != 1 {
            return Err(invalid("which", "匿名举报无需告知"));
        }
        let label = match which {
            "accept" if p.accept_notified_on.is_none() => "告知受理",
            "result" if p.state == State::Concluded.as_str() && p.result_notified_on.is_none() => {
                "告知办理结果"
            }
            "accept" | "result" => return Err(invalid("which", "该告知已登记或尚未办结")),
            _ => return Err(invalid("which", "告知类型应为受理或办理结果")),
        };
        store::set_notified(tx.conn(), id, which, &on.to_string(), clock::now()).await?;
        hist(tx.conn(), actor, "petition", id, label, &on.to_string()).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PetitionNotify, "petition", id, &p.org_path)
                .detail(format!("{} {which}", p.code)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A petition the actor may change: visible to it and inside its discipline scope.
    async fn petition_for_write(
        &self,
        c: &mut Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<PetitionRow> {
        if !actor.has(Permission::DisciplineRecords) {
            return Err(AppError::NotFound);
        }
        Ok(store::get_in(c, &reader(actor), id).await?)
    }

    /// Received and cleared (澄清正名) petitions of a year in the actor's view.
    pub async fn petition_year_figures(&self, actor: &Actor, year: i32) -> AppResult<(i64, i64)> {
        Self::require_discipline(actor)?;
        let mut c = self.store.conn().await?;
        Ok(store::year_figures(&mut c, &reader(actor), year).await?)
    }

    // ---- the working-day calendar ----

    pub async fn calendar_days(&self) -> AppResult<Vec<CalendarDayRow>> {
        let mut c = self.store.conn().await?;
        Ok(store::calendar_days(&mut c).await?)
    }

    /// The calendar as configured, for computing deadlines.
    pub async fn calendar(&self) -> AppResult<Calendar> {
        let mut c = self.store.conn().await?;
        load_calendar(&mut c).await
    }

    /// Sets a day of the calendar (`holiday` | `workday`) or, with kind `none`,
    /// removes it. The discipline role and the system administrator keep it.
    pub async fn calendar_set(
        &self,
        actor: &Actor,
        day: &str,
        kind: &str,
        name: &str,
    ) -> AppResult<()> {
        if !(actor.has(Permission::DisciplineRecords) || actor.has(Permission::OperateSystem)) {
            return Err(AppError::Forbidden(
                "只有纪检监察人员或系统管理员可以设置工作日历".into(),
            ));
        }
        let mut errs = ValidationErrors::new();
        let d = validate::date(&mut errs, "day", "日期", day);
        let name =
            validate::opt_text(&mut errs, "name", "名称", Some(name), 40).unwrap_or_default();
        let k = DayKind::parse(kind);
        if k.is_none() && kind != "none" {
            errs.add("kind", "类型应为放假或调休上班");
        }
        errs.into_result()?;
        let Some(d) = d else {
            return Err(invalid("day", "日期不能为空"));
        };
        let mut tx = self.store.begin_write().await?;
        match k {
            Some(k) => {
                store::set_calendar_day(tx.conn(), &d.to_string(), k.as_str(), &name).await?
            }
            None => {
                store::remove_calendar_day(tx.conn(), &d.to_string()).await?;
            }
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::CalendarSet, "calendar", d, "").detail(format!("{kind} {name}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- clearances ----

    /// Grants (or revokes) the informant clearance to an account holding the
    /// discipline role. Only the security administrator manages clearances.
    pub async fn clearance_set(&self, actor: &Actor, user_id: i64, granted: bool) -> AppResult<()> {
        actor.require(
            Permission::ManageAccounts,
            "只有安全管理员可以授予或撤销查看举报人身份的授权",
        )?;
        let mut tx = self.store.begin_write().await?;
        let user = zeren_store::user::get(tx.conn(), user_id).await?;
        if granted {
            let roles = zeren_store::user::roles(tx.conn(), user_id).await?;
            if !roles.iter().any(|r| r.role == Role::Discipline.as_str()) {
                return Err(invalid(
                    "user_id",
                    format!("账号 {} 不是纪检监察人员，不能授予此授权", user.username),
                ));
            }
            store::grant_clearance(
                tx.conn(),
                user_id,
                INFORMANT_CLEARANCE,
                actor.audit_id(),
                clock::now(),
            )
            .await?;
        } else {
            store::revoke_clearance(tx.conn(), user_id, INFORMANT_CLEARANCE).await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                if granted {
                    AuditAction::ClearanceGrant
                } else {
                    AuditAction::ClearanceRevoke
                },
                "user",
                user_id,
                "",
            )
            .detail(format!("{} {INFORMANT_CLEARANCE}", user.username)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn has_informant_clearance(&self, user_id: i64) -> AppResult<bool> {
        let mut c = self.store.conn().await?;
        Ok(store::has_clearance(&mut c, user_id, INFORMANT_CLEARANCE).await?)
    }
}

impl App {
    /// 信访举报台账: the petition list as filtered, in the actor's view (the same
    /// `Reader` as the list: the reported person's own petitions are not in it), with
    /// no informant identity in any column. Audited as an export.
    pub async fn export_petitions(
        &self,
        actor: &Actor,
        f: PetitionFilter,
        scope: String,
    ) -> AppResult<crate::export::Exported> {
        use crate::export::{Cell, Col, SheetSpec, SheetWriter, Tone};
        Self::require_discipline(actor)?;
        let title = "信访举报台账";
        let spec = SheetSpec {
            name: title.into(),
            title: title.into(),
            scope,
            columns: vec![
                Col::new("编号", 14.0),
                Col::new("收件日期", 12.0),
                Col::new("来源渠道", 10.0),
                Col::new("署名", 6.0),
                Col::new("被反映人", 10.0),
                Col::new("被反映单位", 24.0),
                Col::new("职级", 10.0),
                Col::new("问题类别", 14.0),
                Col::new("反映问题摘要", 40.0),
                Col::new("重件", 14.0),
                Col::new("处置方式", 12.0),
                Col::new("处置日期", 12.0),
                Col::new("核查结论", 10.0),
                Col::new("澄清正名", 8.0),
                Col::new("办结日期", 12.0),
                Col::new("状态", 10.0),
                Col::new("告知受理期限", 12.0),
                Col::new("告知受理日期", 12.0),
                Col::new("告知结果期限", 12.0),
                Col::new("告知结果日期", 12.0),
            ],
        };
        let mut w = SheetWriter::new(&spec)?;
        let r = reader(actor);
        let mut c = self.store.conn().await?;
        let label = |x: Option<&'static str>| Cell::text(x.unwrap_or(""));
        let mut offset = 0;
        loop {
            let page = PetitionFilter {
                offset,
                limit: 500,
                ..f.clone()
            };
            let (items, total) = store::list(&mut c, &r, &page).await?;
            for p in &items {
                let state = State::parse(&p.state);
                let tone = match state {
                    Some(State::Concluded) => Tone::Good,
                    Some(State::Disposing) => Tone::Warn,
                    _ => Tone::Plain,
                };
                w.push(&[
                    Cell::text(p.code.as_str()),
                    Cell::day(Some(&p.received_on)),
                    label(Channel::parse(&p.channel).map(|x| x.label())),
                    Cell::text(if p.signed == 1 { "实名" } else { "匿名" }),
                    Cell::opt(&p.reported_name),
                    Cell::text(p.org_name.as_str()),
                    label(Level::parse(&p.level).map(|x| x.label())),
                    label(Category::parse(&p.category).map(|x| x.label())),
                    Cell::Long(p.summary.clone()),
                    Cell::opt(&p.repeat_code),
                    label(
                        p.disposal
                            .as_deref()
                            .and_then(Disposal::parse)
                            .map(|x| x.label()),
                    ),
                    Cell::day(p.disposed_on.as_deref()),
                    label(
                        p.outcome
                            .as_deref()
                            .and_then(Outcome::parse)
                            .map(|x| x.label()),
                    ),
                    Cell::text(if p.cleared == 1 { "是" } else { "" }),
                    Cell::day(p.concluded_on.as_deref()),
                    Cell::State(state.map(|x| x.label()).unwrap_or("").into(), tone),
                    Cell::day(p.accept_notice_due.as_deref()),
                    Cell::day(p.accept_notified_on.as_deref()),
                    Cell::day(p.result_notice_due.as_deref()),
                    Cell::day(p.result_notified_on.as_deref()),
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
        let scope_path = match &r.scope {
            Scope::Subtrees(p) => p.first().cloned().unwrap_or_default(),
            _ => String::new(),
        };
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::Export, "petition", "", &scope_path)
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

/// The list filter's options, for pages and the API.
pub fn options() -> PetitionOptions {
    PetitionOptions {
        channels: Channel::options(),
        levels: Level::options(),
        categories: Category::options(),
        disposals: Disposal::options(),
        outcomes: Outcome::options(),
        states: State::options(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PetitionOptions {
    pub channels: Vec<(&'static str, &'static str)>,
    pub levels: Vec<(&'static str, &'static str)>,
    pub categories: Vec<(&'static str, &'static str)>,
    pub disposals: Vec<(&'static str, &'static str)>,
    pub outcomes: Vec<(&'static str, &'static str)>,
    pub states: Vec<(&'static str, &'static str)>,
}
