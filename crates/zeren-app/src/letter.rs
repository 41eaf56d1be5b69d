//! Responsibility letters (责任书) signed level by level: a template per issuing org,
//! year and kind says which categories of the year's responsibility list the letters
//! carry; letters go from each level to the next (委党委 → 直属单位党组织书记 → 班子成员
//! → 科室负责人); each party signs, in the application with their own account or by a
//! scanned signed page the office uploads; a coverage table says who has signed per
//! unit, kind and level; a daily job reminds the missing signatures once per stage.
//!
//! The letter and the list never disagree: a letter stores links to tasks, not their
//! words, and `letter_detail` recomputes the selection from the list and shows any
//! difference (a task added to or taken from the list since issuing). Until both
//! parties have signed, `letter_refresh_duties` re-draws the links.
use chrono::NaiveDate;
use serde::Serialize;
use zeren_core::letter::{self, Kind, Level, Method, Party, SignState, Stage};
use zeren_core::{validate, Permission, ValidationErrors};
use zeren_store::history::{self, HistoryRow};
use zeren_store::letter::{
    self as store, CoverageRow, DutyRow, LetterFilter, LetterRow, NewLetter, NewSignature,
    NewTemplate, SignatureRow, TemplateRow,
};
use zeren_store::notification::{self, NewNotification};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::evidence::Upload;
use crate::reminder::{Created, To};
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub org_id: Option<i64>,
    pub year: i32,
    pub kind: String,
    pub title: Option<String>,
    /// None: the kind's default categories of the org's list.
    pub categories: Option<Vec<String>>,
    pub clauses: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct IssueInput {
    pub template_id: i64,
    pub level: String,
    pub issuer_person_id: Option<i64>,
    pub signer_person_ids: Vec<i64>,
    pub sign_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct SignInput {
    /// issuer, signer, or both (a scanned page both parties signed)
    pub party: String,
    /// confirm or scan
    pub method: String,
    /// The day on the signed page (scan); a confirmation is signed today.
    pub signed_on: Option<String>,
    pub files: Vec<Upload>,
}

/// What changed in the list since the letter's duties were drawn.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct DutyDrift {
    /// tasks the selection yields now that the letter does not link
    pub added: Vec<DutyRow>,
    /// tasks the letter links that the selection no longer yields
    pub removed: Vec<i64>,
}

impl DutyDrift {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterDetail {
    pub letter: LetterRow,
    pub template: TemplateRow,
    pub state: &'static str,
    pub state_label: &'static str,
    pub kind_label: &'static str,
    pub level_label: &'static str,
    pub duties: Vec<DutyRow>,
    pub drift: DutyDrift,
    pub signatures: Vec<SignatureRow>,
    pub evidence: Vec<zeren_store::evidence::EvidenceRow>,
    pub history: Vec<HistoryRow>,
    /// the actor may record scanned signatures and re-draw duties
    pub can_write: bool,
    /// the party the actor could confirm as, if any
    pub can_confirm: Option<&'static str>,
}

/// One line of `zeren letters status`: an org, a kind, a level.
#[derive(Debug, Clone, Serialize)]
pub struct StatusLine {
    pub org_id: i64,
    pub org_name: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub level: String,
    pub level_label: &'static str,
    pub issued: i64,
    pub signed: i64,
    pub partial: i64,
    pub unsigned: i64,
}

fn status_line(r: CoverageRow) -> StatusLine {
    StatusLine {
        kind_label: Kind::parse(&r.kind).map(Kind::label).unwrap_or(""),
        level_label: Level::parse(&r.level).map(Level::label).unwrap_or(""),
        unsigned: r.issued - r.signed - r.partial,
        org_id: r.org_id,
        org_name: r.org_name,
        kind: r.kind,
        level: r.level,
        issued: r.issued,
        signed: r.signed,
        partial: r.partial,
    }
}

/// Who the parties of a letter are, checked against their positions.
struct Parties {
    issuer_org: zeren_store::org::OrgRow,
    /// (signer id, signer's org, post words)
    signers: Vec<(i64, zeren_store::org::OrgRow, String)>,
}

fn state_of(l: &LetterRow) -> SignState {
    letter::sign_state(l.issuer_signed_on.is_some(), l.signer_signed_on.is_some())
}

/// The duties the list yields now for a letter's template, level, signer and org.
async fn select(
    c: &mut Conn,
    t: &TemplateRow,
    level: Level,
    org_id: i64,
    signer: i64,
) -> AppResult<Vec<DutyRow>> {
    let led_by = match level.selection() {
        letter::DutySelection::WholeList => None,
        letter::DutySelection::LedBySigner => Some(signer),
    };
    Ok(store::select_duties(c, org_id, t.year, &t.category_list(), led_by).await?)
}

impl App {
    /// Whether the actor may issue letters anywhere (menu buttons).
    pub fn may_issue_letters(actor: &Actor) -> bool {
        actor.has(Permission::WriteScope)
    }

    pub async fn letter_templates(&self, actor: &Actor, year: i32) -> AppResult<Vec<TemplateRow>> {
        actor.require(
            Permission::ReadScope,
            "责任书模板仅本范围的工作人员可以查看",
        )?;
        let mut c = self.store.conn().await?;
        let paths = match actor.read_scope() {
            zeren_store::Scope::Subtrees(p) => p,
            _ => return Ok(Vec::new()),
        };
        Ok(store::templates_visible(&mut c, &paths, year as i64).await?)
    }

    /// The categories of an org's list for a year (for the template form).
    pub async fn letter_list_categories(
        &self,
        actor: &Actor,
        org_id: i64,
        year: i32,
    ) -> AppResult<Vec<String>> {
        let mut c = self.store.conn().await?;
        let org = zeren_store::org::get_in(&mut c, &actor.read_scope(), org_id).await?;
        Ok(store::list_categories(&mut c, org.id, year as i64).await?)
    }

    /// Creates the year's template of one kind for an org: which categories of its
    /// responsibility list the letters carry.
    pub async fn letter_template_create(
        &self,
        actor: &Actor,
        input: TemplateInput,
    ) -> AppResult<i64> {
        actor.require(Permission::WriteScope, "只有党办可以制定责任书模板")?;
        let mut errs = ValidationErrors::new();
        let kind = Kind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "请选择责任书种类");
        }
        if !(2000..=2100).contains(&input.year) {
            errs.add("year", "年度应在2000至2100之间");
        }
        let title = validate::opt_text(&mut errs, "title", "标题", input.title.as_deref(), 60);
        let clauses = validate::opt_text(
            &mut errs,
            "clauses",
            "责任条款",
            input.clauses.as_deref(),
            4000,
        );
        let mut tx = self.store.begin_write().await?;
        let org = match input.org_id {
            Some(id) => zeren_store::org::get_in(tx.conn(), &actor.read_scope(), id)
                .await
                .ok(),
            None => None,
        };
        let Some(org) = org else {
            errs.add("org_id", "请选择本人有权管理的组织");
            errs.into_result()?;
            return Err(invalid("org_id", "请选择组织"));
        };
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只有党办可以制定责任书模板",
        )?;
        let year = input.year as i64;
        let available = store::list_categories(tx.conn(), org.id, year).await?;
        if available.is_empty() {
            errs.add(
                "year",
                format!(
                    "{}{}年度还没有责任清单（年度任务安排），请先制定",
                    org.name, input.year
                ),
            );
        }
        let categories = match (&input.categories, kind) {
            (Some(v), _) if !v.iter().all(|s| s.trim().is_empty()) => {
                let v: Vec<String> = v
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                for c in &v {
                    if !available.contains(c) {
                        errs.add("categories", format!("责任清单中没有类别“{c}”"));
                    }
                }
                v
            }
            (_, Some(k)) => letter::default_categories(k, &available),
            _ => Vec::new(),
        };
        if let Some(k) = kind {
            if store::template_of(tx.conn(), org.id, year, k.as_str())
                .await?
                .is_some()
            {
                errs.add(
                    "kind",
                    format!("{}{}年度的{}模板已存在", org.name, input.year, k.label()),
                );
            }
        }
        errs.into_result()?;
        let Some(kind) = kind else {
            return Err(invalid("kind", "请选择责任书种类"));
        };
        let title = title.unwrap_or_else(|| letter::default_title(input.year, kind));
        let clauses = clauses.unwrap_or_else(|| letter::default_clauses(kind).to_string());
        let id = store::insert_template(
            tx.conn(),
            NewTemplate {
                org_id: org.id,
                org_path: &org.path,
                year,
                kind: kind.as_str(),
                title: &title,
                categories: &categories.join("\n"),
                clauses: &clauses,
                created_by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "letter_template",
            id,
            "制定责任书模板",
            &format!("{title}：{}", categories.join("、")),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::LetterTemplate,
                "letter_template",
                id,
                &org.path,
            )
            .detail(format!("{} {}", input.year, kind.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Who may issue a letter of `level` under a template, within the orgs where the
    /// actor writes: the template org's secretary for unit letters, unit secretaries
    /// for team letters, team members for department letters.
    pub async fn letter_issuer_options(
        &self,
        actor: &Actor,
        template_id: i64,
        level: &str,
    ) -> AppResult<Vec<(i64, String, i64, String)>> {
        let level = Level::parse(level).ok_or_else(|| invalid("level", "请选择签订层级"))?;
        let mut c = self.store.conn().await?;
        let t = store::template(&mut c, template_id).await?;
        let kinds: &[&str] = match level {
            Level::Unit => &["secretary"],
            _ => level.issuer_positions(),
        };
        let rows = store::holders(&mut c, &t.org_path, kinds, None).await?;
        Ok(rows
            .into_iter()
            .filter(|r| match level {
                Level::Unit => r.2 == t.org_id,
                _ => true,
            })
            .filter(|r| actor.can_at(Permission::WriteScope, &r.3))
            .collect())
    }

    /// Who may receive a letter of `level` from `issuer`: the next level's holders.
    pub async fn letter_signer_options(
        &self,
        actor: &Actor,
        template_id: i64,
        level: &str,
        issuer: Option<i64>,
    ) -> AppResult<Vec<(i64, String, i64, String)>> {
        let level = Level::parse(level).ok_or_else(|| invalid("level", "请选择签订层级"))?;
        let mut c = self.store.conn().await?;
        let t = store::template(&mut c, template_id).await?;
        let scope = actor.read_scope();
        let issuer_org = match (level, issuer) {
            (Level::Unit, _) => zeren_store::org::get(&mut c, t.org_id).await?,
            (_, Some(p)) => {
                let posts = store::posts_of(&mut c, p).await?;
                let Some(post) = posts
                    .iter()
                    .find(|x| level.issuer_positions().contains(&x.kind.as_str()))
                else {
                    return Ok(Vec::new());
                };
                zeren_store::org::get(&mut c, post.org_id).await?
            }
            _ => return Ok(Vec::new()),
        };
        let rows = match level {
            Level::Unit => {
                store::holders(
                    &mut c,
                    &issuer_org.path,
                    level.signer_positions(),
                    Some(issuer_org.id),
                )
                .await?
            }
            Level::Team => store::holders(&mut c, &issuer_org.path, level.signer_positions(), None)
                .await?
                .into_iter()
                .filter(|r| r.2 == issuer_org.id)
                .collect(),
            Level::Department => {
                store::holders(&mut c, &issuer_org.path, level.signer_positions(), None)
                    .await?
                    .into_iter()
                    .filter(|r| r.2 != issuer_org.id)
                    .collect()
            }
        };
        Ok(rows
            .into_iter()
            .filter(|r| scope.contains_path(&r.3))
            .collect())
    }

    /// Checks the issuer and signers of a level against their positions.
    async fn letter_parties(
        &self,
        c: &mut Conn,
        errs: &mut ValidationErrors,
        t: &TemplateRow,
        level: Level,
        issuer: i64,
        signers: &[i64],
    ) -> AppResult<Option<Parties>> {
        let issuer_posts = store::posts_of(c, issuer).await?;
        let issuer_org = match level {
            Level::Unit => {
                let person = zeren_store::person::get(c, issuer).await.ok();
                let at_org = person.as_ref().is_some_and(|p| p.org_id == t.org_id)
                    || issuer_posts.iter().any(|x| x.org_id == t.org_id);
                if !at_org {
                    errs.add("issuer_person_id", "甲方应为制定模板的党组织的负责人");
                    return Ok(None);
                }
                zeren_store::org::get(c, t.org_id).await?
            }
            _ => {
                let Some(post) = issuer_posts
                    .iter()
                    .find(|x| level.issuer_positions().contains(&x.kind.as_str()))
                else {
                    errs.add("issuer_person_id", format!("甲方应为{}", level.parties().0));
                    return Ok(None);
                };
                zeren_store::org::get(c, post.org_id).await?
            }
        };
        if !issuer_org.path.starts_with(t.org_path.as_str()) {
            errs.add("template_id", "模板不适用于甲方所在的党组织");
        }
        let mut out = Vec::new();
        for (i, sid) in signers.iter().enumerate() {
            let posts = store::posts_of(c, *sid).await?;
            let fit = posts.iter().find(|x| {
                level.signer_positions().contains(&x.kind.as_str())
                    && match level {
                        Level::Unit => x.parent_id == Some(issuer_org.id),
                        Level::Team => x.org_id == issuer_org.id,
                        Level::Department => {
                            x.org_path.starts_with(issuer_org.path.as_str())
                                && x.org_id != issuer_org.id
                        }
                    }
            });
            match fit {
                Some(post) => {
                    if *sid == issuer {
                        errs.add("signer_person_ids", "甲乙双方不能是同一人");
                        continue;
                    }
                    let org = zeren_store::org::get(c, post.org_id).await?;
                    let person = zeren_store::person::get(c, *sid).await?;
                    let words = person
                        .title
                        .clone()
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| crate::person::position_label(&post.kind).to_string());
                    out.push((*sid, org, words));
                }
                None => errs.add(
                    "signer_person_ids",
                    format!("第{}位乙方（人员 #{sid}）不是{}", i + 1, level.parties().1),
                ),
            }
        }
        Ok(Some(Parties {
            issuer_org,
            signers: out,
        }))
    }

    /// Issues letters of one template and level from one issuer to each signer, with
    /// the duties the list yields for each. Whole or nothing.
    pub async fn letters_issue(&self, actor: &Actor, input: IssueInput) -> AppResult<Vec<i64>> {
        actor.require(Permission::WriteScope, "只有党办可以下发责任书")?;
        let mut errs = ValidationErrors::new();
        let level = Level::parse(&input.level);
        if level.is_none() {
            errs.add("level", "请选择签订层级");
        }
        let sign_by = validate::date(&mut errs, "sign_by", "签订期限", &input.sign_by);
        let mut signers = input.signer_person_ids.clone();
        signers.sort_unstable();
        signers.dedup();
        if signers.is_empty() {
            errs.add("signer_person_ids", "请至少选择一位乙方");
        }
        if input.issuer_person_id.is_none() {
            errs.add("issuer_person_id", "请选择甲方（签订人）");
        }
        let mut tx = self.store.begin_write().await?;
        let t = match store::template(tx.conn(), input.template_id).await {
            Ok(t)
                if actor.read_scope().contains_path(&t.org_path)
                    || actor
                        .paths_for(Permission::WriteScope)
                        .iter()
                        .any(|p| p.starts_with(t.org_path.as_str())) =>
            {
                Some(t)
            }
            _ => None,
        };
        if t.is_none() {
            errs.add("template_id", "责任书模板不存在");
        }
        let (Some(t), Some(level), Some(issuer)) = (t, level, input.issuer_person_id) else {
            errs.into_result()?;
            return Err(invalid("template_id", "请选择模板"));
        };
        let Some(parties) = self
            .letter_parties(tx.conn(), &mut errs, &t, level, issuer, &signers)
            .await?
        else {
            errs.into_result()?;
            return Err(invalid("issuer_person_id", "甲方不符合签订层级"));
        };
        actor.require_at(
            Permission::WriteScope,
            &parties.issuer_org.path,
            "只有甲方所在党组织的党办可以下发责任书",
        )?;
        let kind = Kind::parse(&t.kind).ok_or_else(|| invalid("template_id", "模板种类无效"))?;
        let today = clock::today();
        let mut plans = Vec::new();
        for (sid, org, post) in &parties.signers {
            if store::exists_for(tx.conn(), t.year, &t.kind, level.as_str(), *sid).await? {
                errs.add(
                    "signer_person_ids",
                    format!(
                        "已向人员 #{sid} 下发过{}年度{}（{}）",
                        t.year,
                        kind.label(),
                        level.label()
                    ),
                );
                continue;
            }
            let duties = select(tx.conn(), &t, level, org.id, *sid).await?;
            if duties.is_empty() {
                errs.add(
                    "signer_person_ids",
                    format!(
                        "{}{}年度责任清单中没有可列入{}的任务（类别：{}）",
                        org.name,
                        t.year,
                        kind.label(),
                        t.category_list().join("、")
                    ),
                );
                continue;
            }
            plans.push((*sid, org, post, duties));
        }
        if let Some(d) = sign_by {
            if d < today {
                errs.add("sign_by", "签订期限不能早于今天");
            }
        }
        errs.into_result()?;
        let sign_by = sign_by.map(|d| d.to_string()).unwrap_or_default();
        let now = clock::now();
        let mut ids = Vec::new();
        for (sid, org, post, duties) in plans {
            let id = store::insert(
                tx.conn(),
                NewLetter {
                    template_id: t.id,
                    year: t.year,
                    kind: &t.kind,
                    level: level.as_str(),
                    org_id: org.id,
                    org_path: &org.path,
                    issuer_org_id: parties.issuer_org.id,
                    issuer_person_id: issuer,
                    signer_person_id: sid,
                    signer_post: post,
                    issued_on: &today.to_string(),
                    sign_by: &sign_by,
                    created_by: actor.audit_id(),
                    at: now,
                },
            )
            .await?;
            let task_ids: Vec<i64> = duties.iter().map(|d| d.task_id).collect();
            store::set_duties(tx.conn(), id, &task_ids).await?;
            hist(
                tx.conn(),
                actor,
                "letter",
                id,
                "下发责任书",
                &format!(
                    "{}，责任清单任务 {} 项，{} 前签订",
                    t.title,
                    task_ids.len(),
                    sign_by
                ),
            )
            .await?;
            audit::by_actor(
                tx.conn(),
                actor,
                Event::ok(AuditAction::LetterIssue, "letter", id, &org.path).detail(format!(
                    "{} {} {} 项",
                    t.kind,
                    level.as_str(),
                    task_ids.len()
                )),
            )
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn letters(
        &self,
        actor: &Actor,
        f: LetterFilter,
        paging: Paging,
    ) -> AppResult<Page<LetterRow>> {
        let mut c = self.store.conn().await?;
        let scope = actor.read_scope();
        if scope == zeren_store::Scope::Nothing {
            return Err(AppError::Forbidden(
                "责任书仅本范围的工作人员和签订人本人可以查看".into(),
            ));
        }
        let f = LetterFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = store::list(&mut c, &scope, &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// A letter the actor reads in scope, or is a party to.
    async fn letter_for(&self, c: &mut Conn, actor: &Actor, id: i64) -> AppResult<LetterRow> {
        match store::get_in(c, &actor.read_scope(), id).await {
            Ok(l) => Ok(l),
            Err(zeren_store::StoreError::NotFound) => {
                let l = store::get(c, id).await?;
                match actor.person_id {
                    Some(p) if p == l.issuer_person_id || p == l.signer_person_id => Ok(l),
                    _ => Err(AppError::NotFound),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    fn may_write_letter(actor: &Actor, l: &LetterRow, issuer_path: &str) -> bool {
        actor.can_at(Permission::WriteScope, &l.org_path)
            || actor.can_at(Permission::WriteScope, issuer_path)
    }

    pub async fn letter_detail(&self, actor: &Actor, id: i64) -> AppResult<LetterDetail> {
        let mut c = self.store.conn().await?;
        let l = self.letter_for(&mut c, actor, id).await?;
        let t = store::template(&mut c, l.template_id).await?;
        let level = Level::parse(&l.level).ok_or(AppError::NotFound)?;
        let duties = store::duties_of(&mut c, id).await?;
        let now = select(&mut c, &t, level, l.org_id, l.signer_person_id).await?;
        let drift = DutyDrift {
            added: now
                .iter()
                .filter(|d| !duties.iter().any(|x| x.task_id == d.task_id))
                .cloned()
                .collect(),
            removed: duties
                .iter()
                .filter(|d| !now.iter().any(|x| x.task_id == d.task_id))
                .map(|d| d.task_id)
                .collect(),
        };
        let signatures = store::signatures_of(&mut c, id).await?;
        let evidence = zeren_store::evidence::of(&mut c, "letter", id).await?;
        let history = history::of(&mut c, "letter", id).await?;
        let issuer_org = zeren_store::org::get(&mut c, l.issuer_org_id).await?;
        let state = state_of(&l);
        let can_confirm = match actor.person_id {
            Some(p) if p == l.signer_person_id && l.signer_signed_on.is_none() => Some("signer"),
            Some(p) if p == l.issuer_person_id && l.issuer_signed_on.is_none() => Some("issuer"),
            _ => None,
        };
        Ok(LetterDetail {
            can_write: Self::may_write_letter(actor, &l, &issuer_org.path),
            can_confirm,
            state: state.as_str(),
            state_label: state.label(),
            kind_label: Kind::parse(&l.kind).map(Kind::label).unwrap_or(""),
            level_label: level.label(),
            letter: l,
            template: t,
            duties,
            drift,
            signatures,
            evidence,
            history,
        })
    }

    /// Re-draws a letter's duties from the list (before both parties have signed).
    pub async fn letter_refresh_duties(&self, actor: &Actor, id: i64) -> AppResult<usize> {
        let mut tx = self.store.begin_write().await?;
        let l = store::get_in(tx.conn(), &actor.read_scope(), id).await?;
        let issuer_org = zeren_store::org::get(tx.conn(), l.issuer_org_id).await?;
        if !Self::may_write_letter(actor, &l, &issuer_org.path) {
            return Err(AppError::Forbidden("只有党办可以更新责任书的任务".into()));
        }
        if l.signed == 1 {
            return Err(AppError::Conflict(
                "责任书已由双方签订，不能再更改；如清单调整，请另行签订补充责任书".into(),
            ));
        }
        let t = store::template(tx.conn(), l.template_id).await?;
        let level = Level::parse(&l.level).ok_or(AppError::NotFound)?;
        let duties = select(tx.conn(), &t, level, l.org_id, l.signer_person_id).await?;
        if duties.is_empty() {
            return Err(invalid("duties", "责任清单中已没有可列入的任务"));
        }
        let ids: Vec<i64> = duties.iter().map(|d| d.task_id).collect();
        store::set_duties(tx.conn(), id, &ids).await?;
        hist(
            tx.conn(),
            actor,
            "letter",
            id,
            "按责任清单更新任务",
            &format!("{} 项", ids.len()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::LetterDuties, "letter", id, &l.org_path)
                .detail(format!("{} 项", ids.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(ids.len())
    }

    /// Records a signature: the party's own confirmation, or a scanned signed page.
    pub async fn letter_sign(&self, actor: &Actor, id: i64, input: SignInput) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let method = Method::parse(&input.method);
        if method.is_none() {
            errs.add("method", "请选择签署方式");
        }
        let parties: Vec<Party> = match input.party.as_str() {
            "both" => vec![Party::Issuer, Party::Signer],
            p => match Party::parse(p) {
                Some(x) => vec![x],
                None => {
                    errs.add("party", "请选择签署方（甲方或乙方）");
                    Vec::new()
                }
            },
        };
        let today = clock::today();
        let mut tx = self.store.begin_write().await?;
        let l = self.letter_for(tx.conn(), actor, id).await?;
        let issuer_org = zeren_store::org::get(tx.conn(), l.issuer_org_id).await?;
        let signed_on = match method {
            Some(Method::Confirm) => {
                for p in &parties {
                    let who = match p {
                        Party::Issuer => l.issuer_person_id,
                        Party::Signer => l.signer_person_id,
                    };
                    if actor.person_id != Some(who) {
                        return Err(AppError::Forbidden(
                            "在线确认只能由签订人本人用自己的账号完成".into(),
                        ));
                    }
                }
                Some(today)
            }
            Some(Method::Scan) => {
                if !Self::may_write_letter(actor, &l, &issuer_org.path) {
                    return Err(AppError::Forbidden("只有党办可以上传签字扫描件".into()));
                }
                if input.files.is_empty() {
                    errs.add("files", "请上传签字页扫描件");
                }
                for u in &input.files {
                    if let Err(m) = crate::evidence::check_upload(u, self.cfg.max_upload_bytes) {
                        errs.add("files", m);
                    }
                }
                let d = validate::date(
                    &mut errs,
                    "signed_on",
                    "签署日期",
                    input.signed_on.as_deref().unwrap_or(""),
                );
                if let Some(d) = d {
                    if d > today {
                        errs.add("signed_on", "签署日期不能晚于今天");
                    }
                    if d.to_string() < l.issued_on {
                        errs.add(
                            "signed_on",
                            format!("签署日期不能早于下发日期 {}", l.issued_on),
                        );
                    }
                }
                d
            }
            None => None,
        };
        for p in &parties {
            let done = match p {
                Party::Issuer => l.issuer_signed_on.is_some(),
                Party::Signer => l.signer_signed_on.is_some(),
            };
            if done {
                errs.add("party", format!("{}已签署", p.label()));
            }
        }
        errs.into_result()?;
        let (Some(method), Some(signed_on)) = (method, signed_on) else {
            return Err(invalid("method", "请选择签署方式"));
        };
        let evidence_id = if method == Method::Scan {
            self.attach_all(tx.conn(), actor, "letter", id, &l.org_path, &input.files)
                .await?;
            zeren_store::evidence::of(tx.conn(), "letter", id)
                .await?
                .iter()
                .map(|e| e.id)
                .max()
        } else {
            None
        };
        let now = clock::now();
        for p in &parties {
            let person = match p {
                Party::Issuer => l.issuer_person_id,
                Party::Signer => l.signer_person_id,
            };
            let ok = store::insert_signature(
                tx.conn(),
                NewSignature {
                    letter_id: id,
                    party: p.as_str(),
                    person_id: person,
                    method: method.as_str(),
                    evidence_id,
                    user_id: actor.audit_id(),
                    signed_on: &signed_on.to_string(),
                    at: now,
                },
            )
            .await?;
            if !ok {
                return Err(invalid("party", format!("{}已签署", p.label())));
            }
            let name = match p {
                Party::Issuer => &l.issuer_name,
                Party::Signer => &l.signer_name,
            };
            hist(
                tx.conn(),
                actor,
                "letter",
                id,
                "签署",
                &format!("{}{name}{}（{signed_on}）", p.label(), method.label()),
            )
            .await?;
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::LetterSign, "letter", id, &l.org_path).detail(format!(
                "{} {}",
                input.party,
                method.as_str()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who has signed, per unit, kind and level, in the actor's scope.
    pub async fn letter_coverage(&self, actor: &Actor, year: i32) -> AppResult<Vec<StatusLine>> {
        actor.require(Permission::ReadScope, "签订情况仅本范围的工作人员可以查看")?;
        let mut c = self.store.conn().await?;
        Ok(store::coverage(&mut c, &actor.read_scope(), year as i64)
            .await?
            .into_iter()
            .map(status_line)
            .collect())
    }

    /// The whole tree's coverage, for `zeren letters status` (no actor, like
    /// `zeren compliance`).
    pub async fn letters_status(&self, year: i32) -> AppResult<Vec<StatusLine>> {
        let mut c = self.store.conn().await?;
        let whole = zeren_store::Scope::Subtrees(vec!["/".into()]);
        Ok(store::coverage(&mut c, &whole, year as i64)
            .await?
            .into_iter()
            .map(status_line)
            .collect())
    }

    /// Once a day, letters not signed by both parties whose signing deadline is within
    /// a week, past, or two weeks past become notifications: the first two stages to
    /// each party who has not signed, the last to the issuing org's office. Keyed by
    /// letter, deadline, stage and recipient, so each is told exactly once; after
    /// downtime only the latest stage.
    pub(crate) async fn letter_notifications(&self, today: NaiveDate) -> AppResult<Vec<Created>> {
        const JOB: &str = "letters";
        let day = today.format("%Y-%m-%d").to_string();
        {
            let mut c = self.store.conn().await?;
            if notification::job_ran(&mut c, JOB, &day).await? {
                return Ok(Vec::new());
            }
        }
        let due_by = (today + chrono::Duration::days(letter::DUE_LEAD_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        let now = clock::now();
        let mut tx = self.store.begin_write().await?;
        if !notification::claim_job(tx.conn(), JOB, &day, now).await? {
            return Ok(Vec::new());
        }
        let open = store::open_due(tx.conn(), &due_by).await?;
        let mut created = Vec::new();
        for l in &open {
            let Some(sign_by) = NaiveDate::parse_from_str(&l.sign_by, "%Y-%m-%d").ok() else {
                continue;
            };
            let Some(stage) = letter::stage_on(sign_by, today) else {
                continue;
            };
            let kind = Kind::parse(&l.kind).map(Kind::label).unwrap_or("责任书");
            let mut targets: Vec<To> = Vec::new();
            if stage == Stage::Escalate {
                targets.push(To {
                    person: None,
                    org: Some((l.issuer_org_id, l.issuer_org_path.clone())),
                });
            } else {
                if l.signer_signed == 0 {
                    targets.push(To {
                        person: Some(l.signer_person_id),
                        org: None,
                    });
                }
                if l.issuer_signed == 0 {
                    targets.push(To {
                        person: Some(l.issuer_person_id),
                        org: None,
                    });
                }
            }
            let title = format!("{kind}待签订：{}（{}）", l.signer_name, stage.label());
            for to in targets {
                let key = format!(
                    "letter:{}:{}:{}:{}",
                    l.id,
                    l.sign_by,
                    stage.as_str(),
                    to.key()
                );
                let new = NewNotification {
                    key: &key,
                    item_type: "letter",
                    item_id: l.id,
                    stage: stage.as_str(),
                    org_id: l.org_id,
                    org_path: &l.org_path,
                    recipient_person_id: to.person,
                    recipient_org_id: to.org.as_ref().map(|o| o.0),
                    recipient_org_path: to.org.as_ref().map(|o| o.1.as_str()),
                    title: &title,
                    deadline: &l.sign_by,
                    day: &day,
                    created_at: now,
                };
                if let Some(nid) = notification::insert(tx.conn(), &new).await? {
                    self.enqueue_deliveries(tx.conn(), nid, &to, now).await?;
                    created.push(Created {
                        id: nid,
                        item_type: "letter".into(),
                        item_id: l.id,
                        stage: stage.as_str().into(),
                        recipient: to.key(),
                        title: title.clone(),
                        deadline: l.sign_by.clone(),
                    });
                }
            }
        }
        tx.commit().await?;
        Ok(created)
    }
}

/// 1 → 一, 12 → 十二 (headings of up to ninety-nine categories).
fn cn_number(n: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (t, u) = ((n / 10) as usize % 10, (n % 10) as usize);
    match t {
        0 => D[u].to_string(),
        1 => format!("十{}", D[u]),
        _ => format!("{}十{}", D[t], D[u]),
    }
}

/// 2026-03-05 → 2026年3月5日.
fn date_words(day: &str) -> String {
    match NaiveDate::parse_from_str(day.get(..10).unwrap_or(day), "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => day.to_string(),
    }
}

/// The first paragraph of a task's content, without its 依据 line.
fn duty_words(d: &DutyRow) -> String {
    let first = d
        .content
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("依据") && !l.starts_with("分解要求"))
        .unwrap_or("");
    let title = d.title.trim().trim_end_matches('。');
    if first.is_empty() {
        format!("{title}。")
    } else {
        format!("{title}。{first}")
    }
}

/// One party's signature block: the name and, once signed, the day and the way.
fn signed_words(name: &str, sig: Option<&SignatureRow>) -> String {
    match sig {
        Some(s) => format!(
            "签字：{name}\n{}\n（{}）",
            date_words(&s.signed_on),
            Method::parse(&s.method).map(Method::label).unwrap_or("")
        ),
        None => format!("签字：\n（{name}）\n年    月    日"),
    }
}

/// The letter as an official document: the parties, the duties of the list grouped by
/// category (each with its deadline), the standing clauses, and both parties'
/// signature blocks side by side.
pub fn letter_doc(d: &LetterDetail) -> zeren_docx::OfficialDoc {
    use zeren_docx::{Align, Block, FormRow, Run};
    let l = &d.letter;
    let level = Level::parse(&l.level).unwrap_or(Level::Unit);
    let (issuer_party, signer_party) = level.parties();
    let mut blocks = vec![
        Block::Plain {
            runs: vec![
                Run::strong("甲方："),
                Run::text(format!("{}（{issuer_party}）{}", l.issuer_org_name, l.issuer_name)),
            ],
            align: Align::Left,
        },
        Block::Plain {
            runs: vec![
                Run::strong("乙方："),
                Run::text(format!("{}（{signer_party}）{}{}", l.org_name, l.signer_post, l.signer_name)),
            ],
            align: Align::Left,
        },
        Block::para(format!(
            "为认真落实全面从严治党主体责任，根据{}{}年度责任清单，经甲乙双方协商一致，签订本责任书。责任书所列任务即乙方在责任清单中承担的任务，清单调整时以清单为准。",
            l.issuer_org_name,
            l.year
        )),
        Block::Heading1("一、责任目标和任务".into()),
    ];
    let mut category = String::new();
    let mut k = 0u32;
    let mut n = 0usize;
    for duty in &d.duties {
        if duty.category != category {
            k += 1;
            n = 0;
            category = duty.category.clone();
            blocks.push(Block::Heading2(format!(
                "（{}）{}",
                cn_number(k),
                if category.is_empty() {
                    "其他任务"
                } else {
                    &category
                }
            )));
        }
        n += 1;
        blocks.push(Block::Paragraph(vec![
            Run::text(format!("{n}.{}", duty_words(duty))),
            Run::text(format!("（{}前完成）", date_words(&duty.deadline))),
        ]));
    }
    blocks.push(Block::Heading1("二、责任要求".into()));
    for p in d.template.clauses.lines().filter(|p| !p.trim().is_empty()) {
        blocks.push(Block::para(p.trim()));
    }
    blocks.push(Block::Heading1("三、其他".into()));
    blocks.push(Block::para(format!(
        "本责任书一式两份，甲乙双方各执一份，自签订之日起生效，有效期至{}年12月31日。",
        l.year
    )));
    blocks.push(Block::BlankLine);
    let sig = |party: &str| d.signatures.iter().find(|s| s.party == party);
    blocks.push(Block::Form(vec![FormRow::pair(
        "甲方",
        signed_words(&l.issuer_name, sig("issuer")),
        "乙方",
        signed_words(&l.signer_name, sig("signer")),
    )
    .min_lines(4)]));
    zeren_docx::OfficialDoc {
        title: d.template.title.clone(),
        subtitle: Some(format!("（{}）", d.level_label)),
        blocks,
        ..Default::default()
    }
}

impl App {
    /// The letter as `.docx` bytes, for whoever may read it.
    pub async fn letter_docx(&self, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
        let d = self.letter_detail(actor, id).await?;
        let bytes = zeren_docx::render(&letter_doc(&d))
            .map_err(|e| AppError::Io(format!("生成 Word 文件失败：{e}")))?;
        let name = format!("{}-{}.docx", d.template.title, d.letter.signer_name);
        Ok((name, bytes))
    }
}
