//! `/api/v1/notices` and `/api/v1/accountability`: supervision notices and
//! accountability records over JSON, the same use cases as the pages.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use zeren_app::accountability::NewAccountability;
use zeren_app::notice::NewNotice;
use zeren_app::Paging;

use crate::api::{created, decode_files, done, error_response, ok, org_path, Body, FileBody};
use crate::pages::accountability::AccountabilityQuery;
use crate::pages::notices::NoticeQuery;
use crate::session::ApiUser;
use crate::AppState;

pub async fn notices(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .notices(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

pub async fn notice(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.notice_detail(&u.actor, id).await.map(|d| {
        json!({
            "notice": d.row,
            "issuing_org_name": d.issuing_org_name,
            "org_name": d.org_name,
            "issued_by_name": d.issued_by_name,
            "answered_by_name": d.answered_by_name,
            "items": d.items,
            "evidence": d.evidence,
            "history": d.history,
            "can_answer": d.can_answer,
            "answered_late": d.answered_late,
        })
    }))
}

#[derive(Deserialize)]
pub struct NoticeItemBody {
    item_type: String,
    item_id: i64,
}

#[derive(Deserialize)]
pub struct NoticeBody {
    #[serde(default)]
    org_id: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    answer_due: String,
    #[serde(default)]
    items: Vec<NoticeItemBody>,
}

pub async fn notice_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<NoticeBody>,
) -> Response {
    let input = NewNotice {
        org_id: b.org_id,
        title: b.title,
        body: b.body,
        answer_due: b.answer_due,
        items: b
            .items
            .into_iter()
            .map(|i| (i.item_type, i.item_id))
            .collect(),
    };
    created(st.app.issue_notice(&u.actor, input).await)
}

#[derive(Deserialize)]
pub struct AnswerBody {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    files: Vec<FileBody>,
}

pub async fn notice_answer(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<AnswerBody>,
) -> Response {
    let files = match decode_files(b.files) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    done(st.app.answer_notice(&u.actor, id, &b.answer, &files).await)
}

pub async fn accountability(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<AccountabilityQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .accountability_list(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

#[derive(Deserialize)]
pub struct AccountabilityBody {
    person_id: Option<i64>,
    org_id: Option<i64>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decided_by: String,
    #[serde(default)]
    decided_on: String,
    notice_id: Option<i64>,
    item_type: Option<String>,
    item_id: Option<i64>,
}

pub async fn accountability_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<AccountabilityBody>,
) -> Response {
    let item = match (b.item_type, b.item_id) {
        (Some(k), Some(id)) => Some((k, id)),
        (Some(k), None) => Some((k, 0)),
        _ => None,
    };
    let input = NewAccountability {
        person_id: b.person_id,
        org_id: b.org_id,
        action: b.action,
        reason: b.reason,
        decided_by: b.decided_by,
        decided_on: b.decided_on,
        notice_id: b.notice_id,
        item,
    };
    created(st.app.record_accountability(&u.actor, input).await)
}
