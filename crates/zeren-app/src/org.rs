//! Organisation tree use cases.
use zeren_core::validate;
use zeren_core::{OrgKind, Permission, ValidationErrors};
use zeren_store::org::{self, NewOrg, OrgRow};

use crate::audit::{self, AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult};

pub struct OrgInput {
    pub parent_id: i64,
    pub name: String,
    pub kind: String,
    pub code: Option<String>,
    pub term_start: Option<String>,
    pub term_end: Option<String>,
}

/// The org tree as a page shows it: rows in tree order with their depth.
pub type TreeRows = Vec<OrgRow>;

impl App {
    /// Orgs the actor can see: their scope subtrees down to `depth` levels below.
    pub async fn org_tree(
        &self,
        actor: &Actor,
        root: Option<i64>,
        levels: i64,
    ) -> AppResult<TreeRows> {
        let scope = actor.read_scope();
        let paths = match (&scope, root) {
            (_, Some(id)) => {
                let mut c = self.store.conn().await?;
                vec![self.org_visible(&mut c, actor, id).await?.path]
            }
            (zeren_store::Scope::Subtrees(p), None) => p.clone(),
            _ => Vec::new(),
        };
        let mut c = self.store.conn().await?;
        let mut out = Vec::new();
        for p in paths {
            let depth = p.matches('/').count() as i64 - 1;
            out.extend(org::subtree(&mut c, &p, depth + levels, 5000).await?);
        }
        Ok(out)
    }

    /// An org, if the actor may see it: inside a scope subtree, or an ancestor of one
    /// (so a unit can name the commission that issued its tasks).
    pub async fn org_visible(
        &self,
        c: &mut zeren_store::Conn,
        actor: &Actor,
        id: i64,
    ) -> AppResult<OrgRow> {
        let o = org::get(c, id).await.map_err(|_| AppError::NotFound)?;
        let scope = actor.read_scope();
        let visible = match &scope {
            zeren_store::Scope::Subtrees(paths) => paths
                .iter()
                .any(|p| o.path.starts_with(p.as_str()) || p.starts_with(o.path.as_str())),
            zeren_store::Scope::Person(_) => actor
                .roles
                .iter()
                .any(|(_, r)| r.org_path.starts_with(o.path.as_str())),
            zeren_store::Scope::Nothing => actor.has(Permission::ManageAccounts),
        };
        if visible {
            Ok(o)
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn org_get(&self, actor: &Actor, id: i64) -> AppResult<OrgRow> {
        let mut c = self.store.conn().await?;
        self.org_visible(&mut c, actor, id).await
    }

    pub async fn org_children(&self, actor: &Actor, id: i64) -> AppResult<Vec<OrgRow>> {
        let mut c = self.store.conn().await?;
        let o = self.org_visible(&mut c, actor, id).await?;
        let kids = org::children(&mut c, o.id).await?;
        let scope = actor.read_scope();
        Ok(kids
            .into_iter()
            .filter(|k| scope.contains_path(&k.path))
            .collect())
    }

    pub async fn org_ancestors(&self, actor: &Actor, id: i64) -> AppResult<Vec<OrgRow>> {
        let mut c = self.store.conn().await?;
        let o = self.org_visible(&mut c, actor, id).await?;
        Ok(org::ancestors(&mut c, &o.path).await?)
    }

    pub async fn org_search(&self, actor: &Actor, q: &str, limit: i64) -> AppResult<Vec<OrgRow>> {
        let mut c = self.store.conn().await?;
        Ok(org::search(&mut c, &actor.read_scope(), q, limit).await?)
    }

    pub async fn org_create(&self, actor: &Actor, input: OrgInput) -> AppResult<OrgRow> {
        let mut errs = ValidationErrors::new();
        let name = validate::text(&mut errs, "name", "组织名称", &input.name, 60);
        let kind = OrgKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "请选择组织类型");
        }
        let ts = validate::opt_date(
            &mut errs,
            "term_start",
            "任期开始",
            input.term_start.as_deref(),
        );
        let te = validate::opt_date(&mut errs, "term_end", "任期届满", input.term_end.as_deref());
        if let (Some(a), Some(b)) = (ts, te) {
            if b <= a {
                errs.add("term_end", "任期届满日期应晚于开始日期");
            }
        }
        let mut tx = self.store.begin_write().await?;
        let parent = match org::get(tx.conn(), input.parent_id).await {
            Ok(p) => Some(p),
            Err(_) => {
                errs.add("parent_id", "上级组织不存在");
                None
            }
        };
        if let (Some(p), Some(k)) = (&parent, kind) {
            if let Some(pk) = OrgKind::parse(&p.kind) {
                if !pk.may_contain(k) {
                    errs.add("kind", format!("{}下不能设立{}", pk.label(), k.label()));
                }
            }
            if p.closed_at.is_some() {
                errs.add("parent_id", "上级组织已撤销");
            }
        }
        errs.into_result()?;
        let (parent, kind) = match (parent, kind) {
            (Some(p), Some(k)) => (p, k),
            _ => return Err(AppError::NotFound),
        };
        actor.require_at(
            Permission::ManageOrgs,
            &parent.path,
            "只能在本级及下级组织中新建组织",
        )?;
        let now = clock::now();
        let o = org::insert(
            tx.conn(),
            NewOrg {
                parent: Some(&parent),
                name: &name,
                kind: kind.as_str(),
                code: input.code.as_deref().filter(|s| !s.trim().is_empty()),
                sort_order: now,
                term_start: ts.map(|d| d.to_string()),
                term_end: te.map(|d| d.to_string()),
                now,
            },
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::OrgCreate, "org", o.id, &o.path).detail(&name),
        )
        .await?;
        tx.commit().await?;
        Ok(o)
    }

    pub async fn org_rename(&self, actor: &Actor, id: i64, name: &str) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        let name = validate::text(&mut errs, "name", "组织名称", name, 60);
        errs.into_result()?;
        let mut tx = self.store.begin_write().await?;
        let o = self.org_visible(tx.conn(), actor, id).await?;
        actor.require_at(Permission::ManageOrgs, &o.path, "无权修改该组织")?;
        org::rename(tx.conn(), id, &name).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::OrgRename, "org", id, &o.path)
                .detail(format!("{} → {}", o.name, name)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves an org (and everything under it) to a new parent. Refuses a move into its
    /// own subtree, which would make a cycle.
    pub async fn org_move(&self, actor: &Actor, id: i64, new_parent_id: i64) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let o = self.org_visible(tx.conn(), actor, id).await?;
        let np = self
            .org_visible(tx.conn(), actor, new_parent_id)
            .await
            .map_err(|_| crate::error::invalid("parent_id", "目标上级组织不存在"))?;
        actor.require_at(Permission::ManageOrgs, &o.path, "无权调整该组织")?;
        actor.require_at(Permission::ManageOrgs, &np.path, "无权调整到目标组织下")?;
        if o.parent_id.is_none() {
            return Err(crate::error::invalid("id", "根组织不能移动"));
        }
        if np.path.starts_with(o.path.as_str()) {
            return Err(crate::error::invalid(
                "parent_id",
                "不能移动到自身或其下级组织之下",
            ));
        }
        let (ok, nk) = (OrgKind::parse(&o.kind), OrgKind::parse(&np.kind));
        if let (Some(ok), Some(nk)) = (ok, nk) {
            if !nk.may_contain(ok) {
                return Err(crate::error::invalid(
                    "parent_id",
                    format!("{}下不能设立{}", nk.label(), ok.label()),
                ));
            }
        }
        org::move_subtree(tx.conn(), &o, &np).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::OrgMove, "org", id, &o.path).detail(format!("→ {}", np.name)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes (撤销) an org. Its records stay; an org with open children cannot close.
    pub async fn org_close(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let o = self.org_visible(tx.conn(), actor, id).await?;
        actor.require_at(Permission::ManageOrgs, &o.path, "无权撤销该组织")?;
        if o.parent_id.is_none() {
            return Err(crate::error::invalid("id", "根组织不能撤销"));
        }
        let open_kids = org::children(tx.conn(), id)
            .await?
            .into_iter()
            .filter(|k| k.closed_at.is_none())
            .count();
        if open_kids > 0 {
            return Err(crate::error::invalid(
                "id",
                format!("该组织下还有{open_kids}个下级组织，请先撤销或调整"),
            ));
        }
        org::set_closed(tx.conn(), id, Some(clock::now())).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::OrgClose, "org", id, &o.path),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
