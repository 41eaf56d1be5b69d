//! Accounts and roles, kept by the security administrator.
use zeren_core::role::check_role_set;
use zeren_core::{Permission, Role, ValidationErrors};
use zeren_store::user::{self, RoleRow, UserRow};

use crate::audit::{self, AuditAction, Event};
use crate::auth::hash_password;
use crate::{Actor, App, AppError, AppResult, Page, Paging};

pub struct UserWithRoles {
    pub user: UserRow,
    pub roles: Vec<RoleRow>,
}

impl App {
    pub async fn users(&self, actor: &Actor, paging: Paging) -> AppResult<Page<UserWithRoles>> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以管理账号")?;
        let mut c = self.store.conn().await?;
        let (rows, total) = user::list(&mut c, paging.offset(), paging.per_page).await?;
        let mut items = Vec::with_capacity(rows.len());
        for u in rows {
            let roles = user::roles(&mut c, u.id).await?;
            items.push(UserWithRoles { user: u, roles });
        }
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// Orgs to scope roles to (names and paths only), for the security administrator.
    pub async fn orgs_for_roles(&self, actor: &Actor) -> AppResult<Vec<zeren_store::org::OrgRow>> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以管理账号")?;
        let mut c = self.store.conn().await?;
        let Some(root) = zeren_store::org::root(&mut c).await? else {
            return Ok(Vec::new());
        };
        Ok(zeren_store::org::subtree(&mut c, &root.path, 3, 2000).await?)
    }

    pub async fn user_create(
        &self,
        actor: &Actor,
        username: &str,
        display_name: &str,
        password: &str,
        person_id: Option<i64>,
    ) -> AppResult<i64> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以新建账号")?;
        let mut errs = ValidationErrors::new();
        let username = username.trim();
        if username.is_empty()
            || username.len() > 32
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            errs.add("username", "用户名为1-32位字母、数字、下划线、点或连字符");
        }
        let display =
            zeren_core::validate::text(&mut errs, "display_name", "姓名", display_name, 30);
        if let Err(m) = self.cfg.security.password.check(password, username) {
            errs.add("password", m);
        }
        let mut tx = self.store.begin_write().await?;
        if user::by_username(tx.conn(), username).await?.is_some() {
            errs.add("username", "该用户名已存在");
        }
        errs.into_result()?;
        let hash = hash_password(password)?;
        let id = user::insert(
            tx.conn(),
            username,
            &display,
            &hash,
            person_id,
            self.cfg.clock.now(),
        )
        .await?;
        // the security administrator chose this password: the user sets their own at
        // first login
        user::set_password_at(tx.conn(), id, &hash, 0).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::UserCreate, "user", id, "").detail(username),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Grants a role scoped to an org. Refuses combinations that would let one account
    /// do two administrators' work, or an administrator see business data.
    pub async fn user_add_role(
        &self,
        actor: &Actor,
        user_id: i64,
        role: &str,
        org_id: i64,
    ) -> AppResult<()> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以分配角色")?;
        let role = Role::parse(role).ok_or_else(|| crate::error::invalid("role", "角色无效"))?;
        let mut tx = self.store.begin_write().await?;
        let target = user::get(tx.conn(), user_id).await?;
        user::lock(tx.conn(), user_id).await?;
        if target.id == actor.user_id {
            return Err(AppError::Forbidden("不能给自己分配角色".into()));
        }
        let org = zeren_store::org::get(tx.conn(), org_id)
            .await
            .map_err(|_| crate::error::invalid("org_id", "组织不存在"))?;
        let mut roles: Vec<Role> = user::roles(tx.conn(), user_id)
            .await?
            .iter()
            .filter_map(|r| Role::parse(&r.role))
            .collect();
        if roles.contains(&role)
            && user::roles(tx.conn(), user_id)
                .await?
                .iter()
                .any(|r| r.role == role.as_str() && r.org_id == org_id)
        {
            return Err(crate::error::invalid("role", "该账号已有此角色"));
        }
        roles.push(role);
        check_role_set(&roles).map_err(|m| crate::error::invalid("role", m))?;
        user::add_role(tx.conn(), user_id, role.as_str(), org_id).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::UserRoleAdd, "user", user_id, &org.path).detail(format!(
                "{} {}",
                role.as_str(),
                org.name
            )),
        )
        .await?;
        tx.commit().await?;
        let _ = target;
        Ok(())
    }

    pub async fn user_remove_role(
        &self,
        actor: &Actor,
        user_id: i64,
        role_id: i64,
    ) -> AppResult<()> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以撤销角色")?;
        let mut tx = self.store.begin_write().await?;
        let roles = user::roles(tx.conn(), user_id).await?;
        let r = roles
            .iter()
            .find(|r| r.id == role_id)
            .ok_or(AppError::NotFound)?;
        user::remove_role(tx.conn(), role_id).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::UserRoleRemove, "user", user_id, &r.org_path)
                .detail(r.role.clone()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password for an account; its holder must change it at next login.
    pub async fn user_reset_password(
        &self,
        actor: &Actor,
        user_id: i64,
        password: &str,
    ) -> AppResult<()> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以重置密码")?;
        let mut tx = self.store.begin_write().await?;
        let target = user::get(tx.conn(), user_id).await?;
        self.cfg
            .security
            .password
            .check(password, &target.username)
            .map_err(|m| crate::error::invalid("password", m))?;
        self.store_password(tx.conn(), &target, password, 0).await?;
        user::delete_sessions_of(tx.conn(), user_id).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::UserPasswordReset, "user", user_id, ""),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Clears an account's authenticator (a lost phone): it enrols again at next
    /// login. Its sessions end.
    pub async fn user_reset_totp(&self, actor: &Actor, user_id: i64) -> AppResult<()> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以重置动态口令")?;
        if user_id == actor.user_id {
            return Err(AppError::Forbidden("不能重置自己的动态口令".into()));
        }
        let mut tx = self.store.begin_write().await?;
        user::get(tx.conn(), user_id).await?;
        user::set_totp(tx.conn(), user_id, None, 0).await?;
        user::delete_sessions_of(tx.conn(), user_id).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::TotpReset, "user", user_id, ""),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user_set_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
    ) -> AppResult<()> {
        actor.require(Permission::ManageAccounts, "只有安全管理员可以停用账号")?;
        if user_id == actor.user_id {
            return Err(AppError::Forbidden("不能停用自己的账号".into()));
        }
        let mut tx = self.store.begin_write().await?;
        user::get(tx.conn(), user_id).await?;
        user::set_disabled(tx.conn(), user_id, disabled).await?;
        if disabled {
            user::delete_sessions_of(tx.conn(), user_id).await?;
        }
        let action = if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        };
        audit::by_actor(tx.conn(), actor, Event::ok(action, "user", user_id, "")).await?;
        tx.commit().await?;
        Ok(())
    }
}
