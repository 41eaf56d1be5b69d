//! 组织机构: the tree, create, rename, move, close.
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::org::OrgInput;
use zeren_app::rows::OrgRow;
use zeren_core::{OrgKind, Permission};

use crate::ctx::{action_failed, error_page, render, PageCtx};
use crate::form::{nonempty, opt_id};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

fn kind_label(k: &str) -> &'static str {
    OrgKind::parse(k).map(|k| k.label()).unwrap_or("")
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct TreePage {
    ctx: PageCtx,
    orgs: Vec<OrgRow>,
}

impl TreePage {
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
    fn kl(&self, k: &str) -> &'static str {
        kind_label(k)
    }
}

pub async fn tree(State(st): State<AppState>, u: PageUser) -> Response {
    match st.app.org_tree(&u.actor, None, 3).await {
        Ok(orgs) => render(
            &TreePage {
                ctx: PageCtx::new(&u, "orgs", vec![("组织机构", None)]),
                orgs,
            },
            u.flash.is_some(),
        ),
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct DetailPage {
    ctx: PageCtx,
    org: OrgRow,
    ancestors: Vec<OrgRow>,
    children: Vec<OrgRow>,
    kinds: Vec<(&'static str, &'static str)>,
    targets: Vec<OrgRow>,
    can_manage: bool,
    /// 问责 records of the org's subtree that the actor can see.
    records: Vec<zeren_app::rows::AccountabilityRow>,
}

impl DetailPage {
    fn kl(&self, k: &str) -> &'static str {
        kind_label(k)
    }
    fn indent(&self, o: &OrgRow) -> String {
        "　".repeat((o.depth - 1).max(0) as usize)
    }
}

pub async fn detail(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    let org = match st.app.org_get(&u.actor, id).await {
        Ok(o) => o,
        Err(e) => return error_page(&u, &e),
    };
    let ancestors = st.app.org_ancestors(&u.actor, id).await.unwrap_or_default();
    let children = st.app.org_children(&u.actor, id).await.unwrap_or_default();
    let can_manage = u.actor.can_at(Permission::ManageOrgs, &org.path);
    let kinds = OrgKind::parse(&org.kind)
        .map(|pk| {
            OrgKind::ALL
                .iter()
                .filter(|k| pk.may_contain(**k))
                .map(|k| (k.as_str(), k.label()))
                .collect()
        })
        .unwrap_or_default();
    let targets = if can_manage {
        st.app
            .org_tree(&u.actor, None, 2)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|o| !o.path.starts_with(org.path.as_str()) && o.closed_at.is_none())
            .collect()
    } else {
        Vec::new()
    };
    let records = st
        .app
        .accountability_of_org(&u.actor, org.id, 100)
        .await
        .unwrap_or_default();
    let name = org.name.clone();
    let ctx = PageCtx::new(
        &u,
        "orgs",
        vec![("组织机构", Some("/orgs".into())), (&name, None)],
    );
    render(
        &DetailPage {
            ctx,
            org,
            ancestors,
            children,
            kinds,
            targets,
            can_manage,
            records,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    parent_id: i64,
    name: String,
    kind: String,
    code: Option<String>,
    term_start: Option<String>,
    term_end: Option<String>,
}

pub async fn create(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<CreateForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/orgs/{}", f.parent_id);
    let input = OrgInput {
        parent_id: f.parent_id,
        name: f.name,
        kind: f.kind,
        code: nonempty(&f.code),
        term_start: nonempty(&f.term_start),
        term_end: nonempty(&f.term_end),
    };
    match st.app.org_create(&u.actor, input).await {
        Ok(o) => redirect_with_flash(&format!("/orgs/{}", o.id), "组织已创建"),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    csrf: String,
    name: String,
}

pub async fn rename(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RenameForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/orgs/{id}");
    match st.app.org_rename(&u.actor, id, &f.name).await {
        Ok(()) => redirect_with_flash(&back, "已更名"),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    csrf: String,
    parent_id: Option<String>,
}

pub async fn move_org(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/orgs/{id}");
    match st
        .app
        .org_move(&u.actor, id, opt_id(&f.parent_id).unwrap_or(0))
        .await
    {
        Ok(()) => redirect_with_flash(&back, "已调整隶属关系"),
        Err(e) => action_failed(&back, &e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn close(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let back = format!("/orgs/{id}");
    match st.app.org_close(&u.actor, id).await {
        Ok(()) => redirect_with_flash(&back, "组织已撤销"),
        Err(e) => action_failed(&back, &e),
    }
}
