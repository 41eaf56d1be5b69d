//! The member roster (党员名册): development stages checked against the rules, key
//! dates, contact and pocket state, transfers of the membership relation, dues with
//! the regulation's bands, payments for a whole branch at once, and arrears.
//!
//! Base pay is confidential: only the org's office (ManageOrgs at the person's org)
//! sees or sets it; everyone else sees the amount due.
use chrono::{Months, NaiveDate};
use zeren_core::dues::{self, DuesKind};
use zeren_core::member::{self, Stage, StageView};
use zeren_core::validate;
use zeren_core::{Permission, ValidationErrors};
use zeren_store::history::{self, HistoryRow};
use zeren_store::org::OrgRow;
use zeren_store::roster::{
    self, DuesPaymentRow, RosterFilter, RosterListRow, RosterRow, TransferRow,
};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::person::PersonInput;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// Contact states (联系状态).
pub const CONTACT_STATES: [(&str, &str); 2] = [("normal", "正常联系"), ("lost", "失去联系")];
/// 失联: lost for this many months counts as a lost-contact member.
pub const LOST_MONTHS: u32 = 6;
/// Transfer directions.
pub const DIRECTIONS: [(&str, &str); 2] = [("in", "转入"), ("out", "转出")];
const MAX_SHEET: i64 = 500;

pub fn contact_label(s: &str) -> &'static str {
    label_of(&CONTACT_STATES, s)
}
pub fn direction_label(s: &str) -> &'static str {
    label_of(&DIRECTIONS, s)
}
pub fn dues_kind_label(s: &str) -> &'static str {
    DuesKind::parse(s).map(|k| k.label()).unwrap_or("")
}
pub fn dues_kinds() -> Vec<(&'static str, &'static str)> {
    DuesKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}
fn label_of(t: &[(&'static str, &'static str)], s: &str) -> &'static str {
    t.iter()
        .find(|(k, _)| *k == s)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn day(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref()
        .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
}

fn dates_of(r: &RosterRow) -> member::Dates {
    member::Dates {
        born_on: day(&r.born_on),
        applied_on: day(&r.applied_on),
        activist_on: day(&r.activist_on),
        candidate_on: day(&r.candidate_on),
        probationary_on: day(&r.joined_on),
        full_on: day(&r.full_on),
    }
}

/// Whether someone marked lost has been out of contact for `LOST_MONTHS` at `today`
/// (an unknown last contact counts as long).
pub fn lost_long(r: &RosterRow, today: NaiveDate) -> bool {
    if r.contact_state != "lost" {
        return false;
    }
    match day(&r.last_contact_on) {
        None => true,
        Some(d) => d
            .checked_add_months(Months::new(LOST_MONTHS))
            .is_some_and(|end| end <= today),
    }
}

/// Filters of the roster list.
#[derive(Debug, Clone, Default)]
pub struct RosterQuery {
    pub org_path: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub lost: bool,
    pub pocket: bool,
    pub arrears: bool,
    pub left: bool,
}

pub struct MemberDetail {
    /// Roster fields; `dues_base_cents` is `None` unless `base_visible`.
    pub roster: RosterRow,
    pub pipeline: Vec<StageView>,
    /// The next stage's key and label, if any.
    pub next_stage: Option<(&'static str, &'static str)>,
    pub transfers: Vec<TransferRow>,
    pub payments: Vec<DuesPaymentRow>,
    pub monthly_cents: Option<i64>,
    pub arrears_months: i64,
    pub lost_long: bool,
    pub base_visible: bool,
    pub can_write: bool,
    pub history: Vec<HistoryRow>,
}

pub struct PromoteInput {
    /// The stage entered (a `Stage` key).
    pub to: String,
    pub on: String,
    /// Needed for the first step (age at application).
    pub born_on: Option<String>,
}

#[derive(Default)]
pub struct DatesInput {
    pub born_on: Option<String>,
    pub applied_on: Option<String>,
    pub activist_on: Option<String>,
    pub candidate_on: Option<String>,
    pub joined_on: Option<String>,
    pub full_on: Option<String>,
}

pub struct ContactInput {
    pub contact_state: String,
    pub last_contact_on: Option<String>,
    pub pocket: bool,
}

#[derive(Debug, Clone, Default)]
pub struct TransferInput {
    /// in | out
    pub direction: String,
    pub other_org: String,
    pub on_date: String,
    pub note: Option<String>,
}

/// One member on the dues sheet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetRow {
    pub person_id: i64,
    pub name: String,
    pub party_status: String,
    pub dues_kind: String,
    /// Only for the org's office.
    pub base_cents: Option<i64>,
    /// The amount due by the bands; `None` when the base pay is not recorded.
    pub due_cents: Option<i64>,
    pub paid_cents: Option<i64>,
    pub paid_on: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DuesSheet {
    pub org_id: i64,
    pub org_name: String,
    pub month: String,
    pub rows: Vec<SheetRow>,
    pub can_write: bool,
}

#[derive(Debug, Clone)]
pub struct DuesItem {
    pub person_id: i64,
    /// As entered; `None` takes the amount due.
    pub amount_cents: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct DuesBatch {
    pub org_id: i64,
    pub month: String,
    pub paid_on: Option<String>,
    pub items: Vec<DuesItem>,
}

fn whole_subtree(org: &OrgRow) -> bool {
    matches!(org.kind.as_str(), "branch" | "general_branch" | "group")
}

/// Checks a date field: well-formed and not in the future.
fn past_date(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: Option<&str>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let d = validate::opt_date(errs, field, label, v)?;
    if d > today {
        errs.add(field, format!("{label}不能晚于今天"));
        return None;
    }
    Some(d)
}

impl App {
    pub async fn roster(
        &self,
        actor: &Actor,
        q: RosterQuery,
        paging: Paging,
    ) -> AppResult<Page<RosterListRow>> {
        let mut c = self.store.conn().await?;
        let f = RosterFilter {
            org_path: q.org_path,
            q: q.q,
            party_status: q.status,
            lost: q.lost,
            pocket: q.pocket,
            arrears: q.arrears,
            left: q.left,
            today: clock::today_str(),
            offset: paging.offset(),
            limit: paging.per_page,
        };
        let (items, total) = roster::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Members in dues arrears per org of the actor's scope: (org id, in arrears, six
    /// months or more).
    pub async fn dues_arrears(&self, actor: &Actor) -> AppResult<Vec<(i64, i64, i64)>> {
        let mut c = self.store.conn().await?;
        Ok(roster::dues_arrears_by_org(&mut c, &actor.read_scope(), &clock::today_str()).await?)
    }

    pub async fn member(&self, actor: &Actor, id: i64) -> AppResult<MemberDetail> {
        let mut c = self.store.conn().await?;
        let mut r = roster::get_in(&mut c, &actor.read_scope(), id).await?;
        let today = clock::today();
        let current = Stage::parse(&r.party_status);
        let d = dates_of(&r);
        let kind = DuesKind::parse(&r.dues_kind).unwrap_or(DuesKind::Salaried);
        let monthly_cents = dues::monthly_cents(kind, r.dues_base_cents);
        let base_visible = actor.can_at(Permission::ManageOrgs, &r.org_path);
        if !base_visible {
            r.dues_base_cents = None;
        }
        let next = match current {
            None => Some(Stage::Applicant),
            Some(s) => s.next(),
        };
        Ok(MemberDetail {
            pipeline: member::pipeline(current, &d),
            next_stage: next
                .filter(|_| r.left_on.is_none())
                .map(|s| (s.as_str(), s.label())),
            transfers: roster::transfers_of(&mut c, id).await?,
            payments: roster::payments_of(&mut c, id, 24).await?,
            monthly_cents,
            arrears_months: roster::arrears_of(&mut c, id, &today.to_string()).await?,
            lost_long: lost_long(&r, today),
            base_visible,
            can_write: actor.can_at(Permission::WriteScope, &r.org_path),
            history: history::of(&mut c, "person", id).await?,
            roster: r,
        })
    }

    /// The person if the actor may change their roster record.
    async fn roster_for_write(&self, c: &mut Conn, actor: &Actor, id: i64) -> AppResult<RosterRow> {
        let r = roster::get_in(c, &actor.read_scope(), id).await?;
        actor.require_at(
            Permission::WriteScope,
            &r.org_path,
            "只有本组织的书记或党务工作人员可以维护党员名册",
        )?;
        Ok(r)
    }

    /// Moves a person one development stage on, refused (with the article) when the
    /// interval or order of the rules is not kept.
    pub async fn member_promote(
        &self,
        actor: &Actor,
        id: i64,
        input: PromoteInput,
    ) -> AppResult<()> {
        let today = clock::today();
        let mut errs = ValidationErrors::new();
        let to = Stage::parse(&input.to);
        if to.is_none() {
            errs.add("to", "请选择发展阶段");
        }
        let on = past_date(&mut errs, "on", "日期", Some(&input.on), today);
        if input.on.trim().is_empty() {
            errs.add("on", "请填写日期");
        }
        let born = past_date(
            &mut errs,
            "born_on",
            "出生日期",
            input.born_on.as_deref(),
            today,
        );
        let mut tx = self.store.begin_write().await?;
        let r = self.roster_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let (Some(to), Some(on)) = (to, on) else {
            return Err(crate::error::invalid("to", "请选择发展阶段"));
        };
        if r.left_on.is_some() {
            return Err(AppError::Conflict("该人员组织关系已转出".into()));
        }
        let mut d = dates_of(&r);
        if born.is_some() {
            d.born_on = born;
        }
        d.set(to, Some(on));
        if let Err(refusal) = member::check_stage(Stage::parse(&r.party_status), to, &d) {
            return Err(crate::error::invalid("on", refusal.to_string()));
        }
        let born_s = born.map(|b| b.to_string());
        roster::set_stage(
            tx.conn(),
            id,
            to.as_str(),
            &on.to_string(),
            born_s.as_deref(),
        )
        .await?;
        let detail = format!("{} {on}", to.label());
        hist(tx.conn(), actor, "person", id, "发展阶段", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::MemberStage, "person", id, &r.org_path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Corrects the key dates of the register (data taken over from paper): each must
    /// be a past day, and they must follow the order of the stages.
    pub async fn member_dates(&self, actor: &Actor, id: i64, input: DatesInput) -> AppResult<()> {
        let today = clock::today();
        let mut errs = ValidationErrors::new();
        let fields = [
            ("born_on", "出生日期", input.born_on.as_deref()),
            (
                "applied_on",
                Stage::Applicant.date_label(),
                input.applied_on.as_deref(),
            ),
            (
                "activist_on",
                Stage::Activist.date_label(),
                input.activist_on.as_deref(),
            ),
            (
                "candidate_on",
                Stage::Candidate.date_label(),
                input.candidate_on.as_deref(),
            ),
            (
                "joined_on",
                Stage::Probationary.date_label(),
                input.joined_on.as_deref(),
            ),
            (
                "full_on",
                Stage::Full.date_label(),
                input.full_on.as_deref(),
            ),
        ];
        let mut got: Vec<(&str, &str, Option<NaiveDate>)> = Vec::new();
        for (f, l, v) in fields {
            got.push((f, l, past_date(&mut errs, f, l, v, today)));
        }
        // stages in order: each known date on or after the previous known one
        let mut prev: Option<(&str, NaiveDate)> = None;
        for (f, l, d) in got.iter().skip(1) {
            if let Some(d) = d {
                if let Some((pl, pd)) = prev {
                    if *d < pd {
                        errs.add(f, format!("{l}不能早于{pl}（{}）", member::RULES));
                    }
                }
                prev = Some((l, *d));
            }
        }
        let mut tx = self.store.begin_write().await?;
        let r = self.roster_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let s = |i: usize| got[i].2.map(|d| d.to_string());
        let row = RosterRow {
            born_on: s(0),
            applied_on: s(1),
            activist_on: s(2),
            candidate_on: s(3),
            joined_on: s(4),
            full_on: s(5),
            ..r.clone()
        };
        roster::set_dates(tx.conn(), &row).await?;
        hist(tx.conn(), actor, "person", id, "更正发展日期", "").await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::MemberDates, "person", id, &r.org_path),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Contact state, last contact day and pocket flag.
    pub async fn member_contact(
        &self,
        actor: &Actor,
        id: i64,
        input: ContactInput,
    ) -> AppResult<()> {
        let today = clock::today();
        let mut errs = ValidationErrors::new();
        if !CONTACT_STATES
            .iter()
            .any(|(k, _)| *k == input.contact_state)
        {
            errs.add("contact_state", "请选择联系状态");
        }
        let last = past_date(
            &mut errs,
            "last_contact_on",
            "最后联系日期",
            input.last_contact_on.as_deref(),
            today,
        );
        let mut tx = self.store.begin_write().await?;
        let r = self.roster_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let last = last.map(|d| d.to_string());
        roster::set_contact(
            tx.conn(),
            id,
            &input.contact_state,
            last.as_deref(),
            input.pocket,
        )
        .await?;
        let detail = format!(
            "{}{}{}",
            contact_label(&input.contact_state),
            last.as_deref()
                .map(|d| format!("，最后联系 {d}"))
                .unwrap_or_default(),
            if input.pocket { "，口袋党员" } else { "" }
        );
        hist(tx.conn(), actor, "person", id, "联系状态", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::MemberContact, "person", id, &r.org_path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    fn check_transfer(
        input: &TransferInput,
        errs: &mut ValidationErrors,
    ) -> Option<(String, Option<String>, NaiveDate)> {
        if !DIRECTIONS.iter().any(|(k, _)| *k == input.direction) {
            errs.add("direction", "请选择转入或转出");
        }
        let label = if input.direction == "in" {
            "转出单位"
        } else {
            "转入单位"
        };
        let other = validate::text(errs, "other_org", label, &input.other_org, 100);
        let on = validate::date(errs, "on_date", "转接日期", &input.on_date);
        if on.is_some_and(|d| d > clock::today()) {
            errs.add("on_date", "转接日期不能晚于今天");
        }
        let note = validate::opt_text(errs, "note", "备注", input.note.as_deref(), 500);
        Some((other, note, on?))
    }

    async fn write_transfer(
        &self,
        c: &mut Conn,
        actor: &Actor,
        r: &RosterRow,
        input: &TransferInput,
        (other, note, on): (String, Option<String>, NaiveDate),
    ) -> AppResult<i64> {
        let on_s = on.to_string();
        let tid = roster::insert_transfer(
            c,
            &TransferRow {
                id: 0,
                person_id: r.id,
                org_id: r.org_id,
                org_path: r.org_path.clone(),
                direction: input.direction.clone(),
                other_org: other.clone(),
                on_date: on_s.clone(),
                note,
                created_by: Some(actor.user_id),
                created_at: clock::now(),
            },
        )
        .await?;
        if input.direction == "out" {
            roster::set_left(c, r.id, Some(&on_s)).await?;
        } else {
            roster::set_left(c, r.id, None).await?;
        }
        let detail = format!(
            "{} {on_s} {}{other}",
            direction_label(&input.direction),
            if input.direction == "in" {
                "自"
            } else {
                "至"
            }
        );
        hist(c, actor, "person", r.id, "组织关系转接", &detail).await?;
        audit::by_actor(
            c,
            actor,
            Event::ok(AuditAction::MemberTransfer, "person", r.id, &r.org_path).detail(detail),
        )
        .await?;
        Ok(tid)
    }

    /// Transfers a person's membership relation out (they leave the roster) or in
    /// (back, or a pocket member whose relation finally arrives).
    pub async fn member_transfer(
        &self,
        actor: &Actor,
        id: i64,
        input: TransferInput,
    ) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let checked = Self::check_transfer(&input, &mut errs);
        let mut tx = self.store.begin_write().await?;
        let r = self.roster_for_write(tx.conn(), actor, id).await?;
        errs.into_result()?;
        let Some((other, note, on)) = checked else {
            return Err(crate::error::invalid("on_date", "请填写转接日期"));
        };
        match input.direction.as_str() {
            "out" if r.left_on.is_some() => {
                return Err(AppError::Conflict("该人员组织关系已转出".into()))
            }
            "in" if r.left_on.is_none() && r.pocket == 0 => {
                return Err(AppError::Conflict("该人员组织关系已在本组织".into()))
            }
            _ => {}
        }
        // A transfer out to an org of the system that the actor also manages moves the
        // member there in the same act: recorded once, the receiving branch's roster,
        // dues and counts have them at once, and nobody types a 转入 again.
        if input.direction == "out" {
            if let Some((to_id, to_path, to_name)) = roster::org_named(tx.conn(), &other).await? {
                if to_id != r.org_id && actor.can_at(Permission::WriteScope, &to_path) {
                    let tid = self
                        .move_member(tx.conn(), actor, &r, (to_id, &to_path, &to_name), note, on)
                        .await?;
                    tx.commit().await?;
                    return Ok(tid);
                }
            }
        }
        let tid = self
            .write_transfer(tx.conn(), actor, &r, &input, (other, note, on))
            .await?;
        tx.commit().await?;
        Ok(tid)
    }

    /// 系统内转接: the out record at the old org, the in record at the new one, the
    /// person moved, one history line and one audit event.
    async fn move_member(
        &self,
        c: &mut Conn,
        actor: &Actor,
        r: &RosterRow,
        (to_id, to_path, to_name): (i64, &str, &str),
        note: Option<String>,
        on: NaiveDate,
    ) -> AppResult<i64> {
        let from_name = zeren_store::org::get(c, r.org_id).await?.name;
        let on_s = on.to_string();
        let row = |org_id: i64, org_path: &str, direction: &str, other: &str| TransferRow {
            id: 0,
            person_id: r.id,
            org_id,
            org_path: org_path.to_string(),
            direction: direction.to_string(),
            other_org: other.to_string(),
            on_date: on_s.clone(),
            note: note.clone(),
            created_by: Some(actor.user_id),
            created_at: clock::now(),
        };
        let tid = roster::insert_transfer(c, &row(r.org_id, &r.org_path, "out", to_name)).await?;
        roster::insert_transfer(c, &row(to_id, to_path, "in", &from_name)).await?;
        roster::move_member(c, r.id, r.org_id, to_id, to_path).await?;
        let detail = format!("系统内转接 {on_s} 自{from_name}转至{to_name}");
        hist(c, actor, "person", r.id, "组织关系转接", &detail).await?;
        audit::by_actor(
            c,
            actor,
            Event::ok(AuditAction::MemberTransfer, "person", r.id, &r.org_path).detail(detail),
        )
        .await?;
        Ok(tid)
    }

    /// Registers a person whose relation is transferred in from outside, with the
    /// transfer, in one transaction.
    pub async fn member_create_transferred(
        &self,
        actor: &Actor,
        person: PersonInput,
        mut input: TransferInput,
    ) -> AppResult<i64> {
        input.direction = "in".into();
        let mut errs = ValidationErrors::new();
        let checked = Self::check_transfer(&input, &mut errs);
        let mut tx = self.store.begin_write().await?;
        let id = self.person_insert(tx.conn(), actor, person, errs).await?;
        let Some((other, note, on)) = checked else {
            return Err(crate::error::invalid("on_date", "请填写转接日期"));
        };
        let r = roster::get_in(
            tx.conn(),
            &zeren_store::Scope::Subtrees(vec!["/".into()]),
            id,
        )
        .await?;
        self.write_transfer(tx.conn(), actor, &r, &input, (other, note, on))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How a member's dues are assessed, and the base pay (the org's office only).
    pub async fn member_dues_basis(
        &self,
        actor: &Actor,
        id: i64,
        kind: &str,
        base_yuan: Option<&str>,
    ) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let k = DuesKind::parse(kind);
        if k.is_none() {
            errs.add("dues_kind", "请选择党费计算方式");
        }
        let base = match base_yuan.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(v) => match dues::parse_yuan(v) {
                Some(c) if c <= 100_000_000 => Some(c),
                _ => {
                    errs.add("dues_base", "工资基数应为金额（元），最多两位小数");
                    None
                }
            },
        };
        let mut tx = self.store.begin_write().await?;
        let r = roster::get_in(tx.conn(), &actor.read_scope(), id).await?;
        actor.require_at(
            Permission::ManageOrgs,
            &r.org_path,
            "党费缴纳基数只能由党组织的党务工作部门维护",
        )?;
        errs.into_result()?;
        roster::set_dues_basis(tx.conn(), id, kind, base).await?;
        // the base itself stays out of history and audit: it is confidential
        let detail = format!("党费计算方式：{}", dues_kind_label(kind));
        hist(tx.conn(), actor, "person", id, "党费基数", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::MemberDuesBasis, "person", id, &r.org_path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn dues_org(&self, c: &mut Conn, actor: &Actor, org_id: i64) -> AppResult<OrgRow> {
        match zeren_store::org::get(c, org_id).await {
            Ok(o) if actor.read_scope().contains_path(&o.path) => Ok(o),
            _ => Err(AppError::NotFound),
        }
    }

    /// The dues sheet of an org for a month: every member with the amount due and the
    /// payment if recorded.
    pub async fn dues_sheet(
        &self,
        actor: &Actor,
        org_id: i64,
        month: &str,
    ) -> AppResult<DuesSheet> {
        if dues::month_index(month).is_none() || month.len() != 7 {
            return Err(crate::error::invalid(
                "month",
                "月份格式应为 年-月，例如 2026-03",
            ));
        }
        let mut c = self.store.conn().await?;
        let org = self.dues_org(&mut c, actor, org_id).await?;
        let rows = roster::dues_sheet(
            &mut c,
            org.id,
            &org.path,
            whole_subtree(&org),
            month,
            MAX_SHEET,
        )
        .await?;
        let rows = rows
            .into_iter()
            .map(|p| {
                let kind = DuesKind::parse(&p.dues_kind).unwrap_or(DuesKind::Salaried);
                let visible = actor.can_at(Permission::ManageOrgs, &p.org_path);
                SheetRow {
                    person_id: p.id,
                    name: p.name,
                    party_status: p.party_status,
                    dues_kind: p.dues_kind,
                    base_cents: p.dues_base_cents.filter(|_| visible),
                    due_cents: dues::monthly_cents(kind, p.dues_base_cents),
                    paid_cents: p.paid_cents,
                    paid_on: p.paid_on,
                }
            })
            .collect();
        Ok(DuesSheet {
            org_id: org.id,
            org_name: org.name,
            month: month.to_string(),
            rows,
            can_write: actor.can_at(Permission::WriteScope, &org.path),
        })
    }

    /// Records a month's payments for members of one org in one transaction; months
    /// already paid are left as they are. The number of payments written.
    pub async fn dues_record(&self, actor: &Actor, batch: DuesBatch) -> AppResult<usize> {
        let today = clock::today();
        let mut errs = ValidationErrors::new();
        let month_ok = batch.month.len() == 7 && dues::month_index(&batch.month).is_some();
        if !month_ok {
            errs.add("month", "月份格式应为 年-月，例如 2026-03");
        } else if dues::month_index(&batch.month) > dues::month_index(&today.to_string()) {
            errs.add("month", "不能登记将来月份的党费");
        }
        let paid_on = match batch
            .paid_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(today),
            Some(v) => past_date(&mut errs, "paid_on", "缴纳日期", Some(v), today),
        };
        if batch.items.is_empty() {
            errs.add("items", "请勾选已缴纳党费的党员");
        }
        let mut tx = self.store.begin_write().await?;
        let org = self.dues_org(tx.conn(), actor, batch.org_id).await?;
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只有本组织的书记或党务工作人员可以登记党费",
        )?;
        let sheet = if month_ok {
            roster::dues_sheet(
                tx.conn(),
                org.id,
                &org.path,
                whole_subtree(&org),
                &batch.month,
                MAX_SHEET,
            )
            .await?
        } else {
            Vec::new()
        };
        let mut rows = Vec::new();
        for it in &batch.items {
            let Some(p) = sheet.iter().find(|p| p.id == it.person_id) else {
                if month_ok {
                    errs.add(
                        "items",
                        format!("人员 #{} 不是本组织应缴党费的党员", it.person_id),
                    );
                }
                continue;
            };
            let kind = DuesKind::parse(&p.dues_kind).unwrap_or(DuesKind::Salaried);
            let amount = it
                .amount_cents
                .or_else(|| dues::monthly_cents(kind, p.dues_base_cents));
            match amount {
                Some(a) if a > 0 && a <= 10_000_000 => rows.push((p, a)),
                Some(_) => errs.add("items", format!("{}的党费金额无效", p.name)),
                None => errs.add("items", format!("{}未登记缴费基数，请填写金额", p.name)),
            }
        }
        errs.into_result()?;
        let paid_on = paid_on.unwrap_or(today).to_string();
        let now = clock::now();
        let mut written = 0usize;
        let mut total = 0i64;
        for (p, a) in rows {
            let new = roster::insert_payment(
                tx.conn(),
                &DuesPaymentRow {
                    id: 0,
                    person_id: p.id,
                    org_path: p.org_path.clone(),
                    month: batch.month.clone(),
                    amount_cents: a,
                    paid_on: paid_on.clone(),
                    recorded_by: Some(actor.user_id),
                    created_at: now,
                },
            )
            .await?;
            if new {
                written += 1;
                total += a;
                hist(
                    tx.conn(),
                    actor,
                    "person",
                    p.id,
                    "缴纳党费",
                    &format!("{} {} 元", batch.month, dues::yuan(a)),
                )
                .await?;
            }
        }
        let detail = format!(
            "{} 登记 {written} 人，合计 {} 元",
            batch.month,
            dues::yuan(total)
        );
        hist(tx.conn(), actor, "org", org.id, "党费收缴", &detail).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::DuesRecord, "org", org.id, &org.path).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(written)
    }
}
