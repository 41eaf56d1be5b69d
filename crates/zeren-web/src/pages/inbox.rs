//! 消息提醒: the actor's reminders and escalations, unread first in the header badge,
//! marked read one by one or all at once.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::inbox::InboxItem;
use zeren_app::{clock, Paging};

use crate::ctx::{action_failed, error_page, render, PageCtx};
use crate::form::{query_string, Pager};
use crate::session::{redirect_with_flash, PageUser};
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    pub unread: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl InboxQuery {
    pub fn unread_only(&self) -> bool {
        self.unread
            .as_deref()
            .is_some_and(|v| !v.is_empty() && v != "0")
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    ctx: PageCtx,
    rows: Vec<InboxItem>,
    pager: Pager,
    unread_only: bool,
}

impl InboxPage {
    fn when(&self, ts: &i64) -> String {
        clock::fmt_instant(*ts)
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<InboxQuery>,
) -> Response {
    let unread_only = q.unread_only();
    let paging = Paging::new(q.page, q.per_page);
    let page = match st.app.inbox(&u.actor, unread_only, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let base = query_string(
        "/inbox",
        &[(
            "unread",
            if unread_only {
                "1".into()
            } else {
                String::new()
            },
        )],
    );
    let pager = Pager::new(&base, page.total, page.page, page.per_page);
    let ctx = PageCtx::new(&u, "inbox", vec![("消息提醒", None)]);
    render(
        &InboxPage {
            ctx,
            rows: page.items,
            pager,
            unread_only,
        },
        u.flash.is_some(),
    )
}

#[derive(Deserialize)]
pub struct ReadForm {
    #[serde(default)]
    csrf: String,
    /// Return to the unread-only view.
    unread: Option<String>,
}

fn back(f: &ReadForm) -> &'static str {
    if f.unread.as_deref().is_some_and(|v| !v.is_empty()) {
        "/inbox?unread=1"
    } else {
        "/inbox"
    }
}

pub async fn mark_one(
    State(st): State<AppState>,
    u: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ReadForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.mark_read(&u.actor, Some(id)).await {
        Ok(_) => redirect_with_flash(back(&f), "已标为已读"),
        Err(e) => action_failed(back(&f), &e),
    }
}

pub async fn mark_all(
    State(st): State<AppState>,
    u: PageUser,
    Form(f): Form<ReadForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    match st.app.mark_read(&u.actor, None).await {
        Ok(n) => redirect_with_flash(back(&f), &format!("已将 {n} 条消息标为已读")),
        Err(e) => action_failed(back(&f), &e),
    }
}
