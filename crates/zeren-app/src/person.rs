//! People and their positions.
use zeren_core::validate;
use zeren_core::{Permission, ValidationErrors};
use zeren_store::person::{self, PersonFilter, PersonListRow, PersonRow, PositionRow};

use crate::audit::{self, AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

/// Political status: the development stages of `zeren_core::member::Stage`, newest
/// last, then 群众.
pub const PARTY_STATUSES: [(&str, &str); 6] = [
    ("full", "正式党员"),
    ("probationary", "预备党员"),
    ("candidate", "发展对象"),
    ("activist", "入党积极分子"),
    ("applicant", "入党申请人"),
    ("none", "群众"),
];
pub const POSITION_KINDS: [(&str, &str); 6] = [
    ("secretary", "书记"),
    ("deputy_secretary", "副书记"),
    ("team_member", "班子成员"),
    ("discipline_member", "纪检委员"),
    ("committee_member", "支委委员"),
    ("organizer", "组织委员"),
];

pub fn party_status_label(s: &str) -> &'static str {
    PARTY_STATUSES
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, l)| *l)
        .unwrap_or("")
}
pub fn position_label(s: &str) -> &'static str {
    POSITION_KINDS
        .iter()
        .find(|(k, _)| *k == s)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub struct PersonInput {
    pub org_id: i64,
    pub name: String,
    pub gender: Option<String>,
    pub party_status: String,
    pub joined_on: Option<String>,
    pub cadre_rank: Option<String>,
    pub title: Option<String>,
    pub position: Option<String>,
    pub portfolio: Option<String>,
}

pub struct PersonDetail {
    pub person: PersonRow,
    pub org_name: String,
    pub positions: Vec<PositionRow>,
}

impl App {
    pub async fn people(
        &self,
        actor: &Actor,
        org_path: Option<String>,
        q: Option<String>,
        party_status: Option<String>,
        paging: Paging,
    ) -> AppResult<Page<PersonListRow>> {
        let mut c = self.store.conn().await?;
        let f = PersonFilter {
            org_path,
            q,
            party_status,
            offset: paging.offset(),
            limit: paging.per_page,
        };
        let (items, total) = person::list(&mut c, &actor.read_scope(), &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    pub async fn person(&self, actor: &Actor, id: i64) -> AppResult<PersonDetail> {
        let mut c = self.store.conn().await?;
        let p = person::get_in(&mut c, &actor.read_scope(), id).await?;
        let org_name = zeren_store::org::get(&mut c, p.org_id).await?.name;
        let positions = person::positions_of(&mut c, id).await?;
        Ok(PersonDetail {
            person: p,
            org_name,
            positions,
        })
    }

    /// People of an org the actor can see, for choosing a responsible person.
    pub async fn people_of_org(&self, actor: &Actor, org_id: i64) -> AppResult<Vec<PersonRow>> {
        let mut c = self.store.conn().await?;
        let o = self.org_visible(&mut c, actor, org_id).await?;
        if !actor.read_scope().contains_path(&o.path) {
            return Ok(Vec::new());
        }
        Ok(person::of_org(&mut c, org_id, 500).await?)
    }

    pub async fn person_create(&self, actor: &Actor, input: PersonInput) -> AppResult<i64> {
        let mut tx = self.store.begin_write().await?;
        let id = self
            .person_insert(tx.conn(), actor, input, ValidationErrors::new())
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Validates and registers a person inside the caller's transaction, adding to
    /// `errs` (checks of the caller's own fields).
    pub(crate) async fn person_insert(
        &self,
        c: &mut zeren_store::Conn,
        actor: &Actor,
        input: PersonInput,
        mut errs: ValidationErrors,
    ) -> AppResult<i64> {
        let name = validate::text(&mut errs, "name", "姓名", &input.name, 30);
        if !PARTY_STATUSES.iter().any(|(k, _)| *k == input.party_status) {
            errs.add("party_status", "请选择政治面貌");
        }
        let joined = validate::opt_date(
            &mut errs,
            "joined_on",
            "入党日期",
            input.joined_on.as_deref(),
        );
        if let Some(pos) = input.position.as_deref().filter(|s| !s.is_empty()) {
            if !POSITION_KINDS.iter().any(|(k, _)| *k == pos) {
                errs.add("position", "职务类型无效");
            }
        }
        let gender = input.gender.filter(|g| g == "男" || g == "女");
        let cadre_rank = validate::opt_text(
            &mut errs,
            "cadre_rank",
            "职级",
            input.cadre_rank.as_deref(),
            30,
        );
        let title = validate::opt_text(&mut errs, "title", "职务", input.title.as_deref(), 60);
        let portfolio = validate::opt_text(
            &mut errs,
            "portfolio",
            "分管工作",
            input.portfolio.as_deref(),
            100,
        );
        let org = zeren_store::org::get(c, input.org_id).await.ok();
        if org.is_none() {
            errs.add("org_id", "所在组织不存在");
        }
        errs.into_result()?;
        let org = org.ok_or(AppError::NotFound)?;
        actor.require_at(
            Permission::ManageOrgs,
            &org.path,
            "只能在本级及下级组织中登记人员",
        )?;
        let now = clock::now();
        let id = person::insert(
            c,
            &PersonRow {
                id: 0,
                name: name.clone(),
                org_id: org.id,
                org_path: org.path.clone(),
                gender,
                party_status: input.party_status,
                joined_on: joined.map(|d| d.to_string()),
                cadre_rank,
                title,
                created_at: now,
            },
        )
        .await?;
        if let Some(pos) = input.position.filter(|s| !s.is_empty()) {
            person::insert_position(
                c,
                &PositionRow {
                    id: 0,
                    person_id: id,
                    org_id: org.id,
                    kind: pos,
                    portfolio,
                },
            )
            .await?;
        }
        audit::by_actor(
            c,
            actor,
            Event::ok(AuditAction::PersonCreate, "person", id, &org.path).detail(&name),
        )
        .await?;
        Ok(id)
    }
}
