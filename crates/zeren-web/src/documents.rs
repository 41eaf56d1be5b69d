//! Word downloads: the 整改台账 of the problems list as filtered, a 督办单, a 销号单.
//! The app assembles and scope-checks them (`zeren_app::documents`); here the query is
//! read and the file handed over.
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zeren_app::documents::Document;
use zeren_core::{Permission, ProblemSource, ProblemState};

use crate::ctx::error_page;
use crate::form::{nonempty, opt_id};
use crate::pages::problems::ProblemQuery;
use crate::pages::tasks::org_path_of;
use crate::session::PageUser;
use crate::AppState;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

pub(crate) fn docx(d: Document) -> Response {
    let enc =
        percent_encoding::utf8_percent_encode(&d.filename, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    (
        [
            (header::CONTENT_TYPE, DOCX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{enc}"),
            ),
        ],
        d.bytes,
    )
        .into_response()
}

/// The range and filters of the list in words, for the line under the ledger's title:
/// "范围：市第一人民医院党委；状态：整改中；仅逾期".
async fn scope_words(st: &AppState, u: &PageUser, q: &ProblemQuery) -> String {
    let scope = match opt_id(&q.org) {
        Some(id) => match st.app.org_get(&u.actor, id).await {
            Ok(o) => o.name,
            Err(_) => String::new(),
        },
        None => "本人权限范围内全部".to_string(),
    };
    let mut parts = vec![format!("范围：{scope}")];
    if let Some(s) = nonempty(&q.state) {
        let states: Vec<&str> = s
            .split(',')
            .filter_map(ProblemState::parse)
            .map(|x| x.label())
            .collect();
        if !states.is_empty() {
            parts.push(format!("状态：{}", states.join("、")));
        }
    }
    if let Some(src) = nonempty(&q.source).and_then(|s| ProblemSource::parse(&s)) {
        parts.push(format!("来源：{}", src.label()));
    }
    if let Some(k) = nonempty(&q.q) {
        parts.push(format!("关键词：{k}"));
    }
    if nonempty(&q.overdue).is_some() {
        parts.push("仅逾期".to_string());
    }
    if opt_id(&q.person).is_some() {
        parts.push("指定责任人".to_string());
    }
    if q.review.is_some() {
        parts.push("待本人审核".to_string());
    }
    parts.join("；")
}

/// GET /problems/ledger.docx: the list as filtered (the query of /problems).
pub async fn ledger(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ProblemQuery>,
) -> Response {
    let path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    // the same reviewer's queue as the list page
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let scope = scope_words(&st, &u, &q).await;
    match st
        .app
        .ledger_docx(&u.actor, q.filter(path, review), &scope)
        .await
    {
        Ok(d) => docx(d),
        Err(e) => error_page(&u, &e),
    }
}

/// GET /notices/{id}/notice.docx
pub async fn notice(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.notice_docx(&u.actor, id).await {
        Ok(d) => docx(d),
        Err(e) => error_page(&u, &e),
    }
}

/// GET /problems/{id}/closure.docx
pub async fn closure(State(st): State<AppState>, u: PageUser, Path(id): Path<i64>) -> Response {
    match st.app.closure_docx(&u.actor, id).await {
        Ok(d) => docx(d),
        Err(e) => error_page(&u, &e),
    }
}
