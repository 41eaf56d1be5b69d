//! The three administrators' pages: accounts (security), audit log (audit), system
//! status (system). Each is refused to the other two by the application layer.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::audit::ChainReport;
use zeren_app::rows::{AuditFilter, AuditRow, OrgRow};
use zeren_app::user::UserWithRoles;
use zeren_app::{clock, Paging};
use zeren_core::{Permission, Role};

use crate::ctx::{action_failed, error_page, render, PageCtx};
use crate::form::{nonempty, query_string, Pager};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    ctx: PageCtx,
    rows: Vec<UserWithRoles>,
    pager: Pager,
    orgs: Vec<OrgRow>,
    roles: Vec<(&'static str, &'static str)>,
}

impl UsersPage {
    fn rl(&self, r: &str) -> &'static str {
        Role::parse(r).map(|r| r.label()).unwrap_or("")
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn users(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<PageQuery>,
) -> Response {
    let paging = Paging::new(q.page, Some(50));
    let page = match st.app.users(&u.actor, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let orgs = st.app.orgs_for_roles(&u.actor).await.unwrap_or_default();
    let pager = Pager::new("/admin/users", page.total, page.page, page.per_page);
    let roles = Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    render(
        &UsersPage {
            ctx: PageCtx::new(&u, "users", vec![("账号与角色", None)]),
            rows: page.items,
            pager,
            orgs,
            roles,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    username: String,
    display_name: String,
    password: String,
}

pub async fn user_create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<UserForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st
        .app
        .user_create(&u.actor, &f.username, &f.display_name, &f.password, None)
        .await
    {
        Ok(_) => redirect_with_flash("/admin/users", "账号已创建，请分配角色"),
        Err(e) => action_failed("/admin/users", &e),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    csrf: String,
    role: String,
    org_id: i64,
}

pub async fn role_add(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.user_add_role(&u.actor, id, &f.role, f.org_id).await {
        Ok(()) => redirect_with_flash("/admin/users", "角色已分配"),
        Err(e) => action_failed("/admin/users", &e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn role_remove(
    State(st): State<AppState>,
    u: PageUser,
    Path((id, role_id)): Path<(i64, i64)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.user_remove_role(&u.actor, id, role_id).await {
        Ok(()) => redirect_with_flash("/admin/users", "角色已撤销"),
        Err(e) => action_failed("/admin/users", &e),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    password: String,
}

pub async fn password_reset(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.user_reset_password(&u.actor, id, &f.password).await {
        Ok(()) => redirect_with_flash("/admin/users", "密码已重置，该账号需重新登录"),
        Err(e) => action_failed("/admin/users", &e),
    }
}

pub async fn totp_reset(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.user_reset_totp(&u.actor, id).await {
        Ok(()) => redirect_with_flash("/admin/users", "动态口令已重置，该账号下次登录时重新绑定"),
        Err(e) => action_failed("/admin/users", &e),
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    csrf: String,
    disabled: String,
}

pub async fn disable(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DisableForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let d = f.disabled == "1";
    match st.app.user_set_disabled(&u.actor, id, d).await {
        Ok(()) => redirect_with_flash(
            "/admin/users",
            if d {
                "账号已停用"
            } else {
                "账号已启用"
            },
        ),
        Err(e) => action_failed("/admin/users", &e),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: PageCtx,
    rows: Vec<AuditRow>,
    pager: Pager,
    q: AuditQuery,
    chain: ChainReport,
}

impl AuditPage {
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
    fn short<'a>(&self, h: &'a str) -> &'a str {
        &h[..h.len().min(12)]
    }
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    result: Option<String>,
    page: Option<i64>,
}

pub async fn audit(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    let paging = Paging::new(q.page, Some(100));
    let f = AuditFilter {
        actor: nonempty(&q.actor),
        action: nonempty(&q.action),
        result: nonempty(&q.result),
        ..Default::default()
    };
    let page = match st.app.audit_list(&u.actor, f, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let chain = match st.app.audit_verify().await {
        Ok(c) => c,
        Err(e) => return error_page(&u, &e),
    };
    let g = |o: &Option<String>| o.clone().unwrap_or_default();
    let pager = Pager::new(
        &query_string(
            "/admin/audit",
            &[
                ("actor", g(&q.actor)),
                ("action", g(&q.action)),
                ("result", g(&q.result)),
            ],
        ),
        page.total,
        page.page,
        page.per_page,
    );
    render(
        &AuditPage {
            ctx: PageCtx::new(&u, "audit", vec![("审计日志", None)]),
            rows: page.items,
            pager,
            q,
            chain,
        },
        u.flash.is_some(),
    )
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    ctx: PageCtx,
    backend: &'static str,
    version: &'static str,
    data_dir: String,
    session_idle_min: i64,
    lockout: String,
    max_upload_mb: usize,
}

pub async fn system(State(st): State<AppState>, u: PageUser) -> Response {
    if let Err(e) = u
        .actor
        .require(Permission::OperateSystem, "只有系统管理员可以查看系统状态")
    {
        return error_page(&u, &e);
    }
    let cfg = &st.app.cfg;
    let backend = match st.app.store.backend() {
        zeren_app::store_backend::Backend::Sqlite => "SQLite（内嵌）",
        zeren_app::store_backend::Backend::Postgres => "PostgreSQL",
    };
    render(
        &SystemPage {
            ctx: PageCtx::new(&u, "system", vec![("系统状态", None)]),
            backend,
            version: env!("CARGO_PKG_VERSION"),
            data_dir: cfg.data_dir.display().to_string(),
            session_idle_min: cfg.session_idle_secs / 60,
            lockout: format!(
                "{} 分钟内连续失败 {} 次锁定",
                cfg.lockout_window_secs / 60,
                cfg.lockout_failures
            ),
            max_upload_mb: cfg.max_upload_bytes / 1024 / 1024,
        },
        u.flash.is_some(),
    )
}
