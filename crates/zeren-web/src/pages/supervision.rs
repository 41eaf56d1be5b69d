//! 督导: items that went late long enough to enter the supervision queue of an org in
//! the actor's scope, with how late they are and where they stand now.
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zeren_app::inbox::{QueueItem, QueueQuery, ITEM_TYPES};
use zeren_app::Paging;

use crate::ctx::{error_page, render, PageCtx};
use crate::form::{nonempty, query_string, Pager};
use crate::session::PageUser;
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct SupervisionQuery {
    pub item_type: Option<String>,
    pub open: Option<String>,
    pub without_notice: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn on(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty() && s != "0")
}

impl SupervisionQuery {
    pub fn query(&self) -> QueueQuery {
        QueueQuery {
            item_type: nonempty(&self.item_type),
            open_only: on(&self.open),
            without_notice: on(&self.without_notice),
        }
    }
    fn base(&self) -> String {
        let flag = |v: &Option<String>| {
            if on(v) {
                "1".to_string()
            } else {
                String::new()
            }
        };
        query_string(
            "/supervision",
            &[
                ("item_type", self.item_type.clone().unwrap_or_default()),
                ("open", flag(&self.open)),
                ("without_notice", flag(&self.without_notice)),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "supervision.html")]
struct QueuePage {
    ctx: PageCtx,
    rows: Vec<QueueItem>,
    pager: Pager,
    q: SupervisionQuery,
    types: Vec<(&'static str, &'static str)>,
}

impl QueuePage {
    fn sel(&self, x: &str) -> bool {
        self.q.item_type.as_deref() == Some(x)
    }
    fn open_only(&self) -> bool {
        on(&self.q.open)
    }
    fn without_notice(&self) -> bool {
        on(&self.q.without_notice)
    }
    fn pill(&self, r: &QueueItem) -> &'static str {
        self.ctx.warn.pill(&r.row.deadline, r.open)
    }
}

pub async fn list(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<SupervisionQuery>,
) -> Response {
    let paging = Paging::new(q.page, q.per_page);
    // an unknown type from a hand-edited URL shows everything rather than an error
    let mut query = q.query();
    if !query
        .item_type
        .as_deref()
        .is_none_or(|t| ITEM_TYPES.iter().any(|(k, _)| *k == t))
    {
        query.item_type = None;
    }
    let page = match st.app.supervision_queue(&u.actor, query, paging).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let pager = Pager::new(&q.base(), page.total, page.page, page.per_page);
    let ctx = PageCtx::new(&u, "supervision", vec![("督导", None)]);
    render(
        &QueuePage {
            ctx,
            rows: page.items,
            pager,
            q,
            types: ITEM_TYPES.to_vec(),
        },
        u.flash.is_some(),
    )
}
