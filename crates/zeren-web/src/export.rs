//! 导出 Excel: the ledger as the user filtered it, scoped like the list, audited.
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;
use zeren_app::export::Exported;
use zeren_app::{Actor, AppResult};
use zeren_core::Permission;

use crate::api::error_response;
use crate::ctx::error_page;
use crate::pages::activities::ActivityQuery;
use crate::pages::home::{problem_state_label, source_label, task_state_label};
use crate::pages::problems::ProblemQuery;
use crate::pages::tasks::TaskQuery;
use crate::session::{ApiUser, PageUser};
use crate::AppState;
use zeren_app::activity::kind_label;

pub(crate) fn download(filename: &str, bytes: Vec<u8>) -> Response {
    download_as(
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
}

/// A file download with its content type and a UTF-8 file name.
pub(crate) fn download_as(filename: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let enc = percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{enc}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Streams an exported workbook from its temporary file: the response never holds
/// the whole file, as the sheet never held the whole list.
pub(crate) fn stream(e: Exported) -> Response {
    let enc =
        percent_encoding::utf8_percent_encode(&e.filename, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let file = tokio::fs::File::from_std(e.file);
    let body = futures_util::stream::unfold(file, |mut f| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buf)), f))
            }
            Err(err) => Some((Err(err), f)),
        }
    });
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{enc}"),
            ),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}

/// The title row's scope: the chosen org, or the user's whole scope, with the filters
/// in words.
pub(crate) async fn scope_line(
    st: &AppState,
    actor: &Actor,
    org: &Option<String>,
    filters: Vec<String>,
) -> String {
    let scope = match crate::form::opt_id(org) {
        Some(id) => match st.app.org_get(actor, id).await {
            Ok(o) => o.name,
            Err(_) => String::new(),
        },
        None => "本人权限范围内全部".to_string(),
    };
    let now = chrono::Local::now().naive_local();
    zeren_app::export::scope_line(&scope, &filters, now)
}

pub(crate) fn word(label: &str, v: &Option<String>, show: impl Fn(&str) -> String) -> String {
    match v.as_deref().map(str::trim) {
        Some(x) if !x.is_empty() => format!("{label}：{}", show(x)),
        _ => String::new(),
    }
}

fn states_in_words(v: &str, label: fn(&str) -> &'static str) -> String {
    v.split(',')
        .map(label)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// The path of the org a list is filtered to, checked against the actor's scope.
pub(crate) async fn org_path(
    st: &AppState,
    actor: &Actor,
    org: &Option<String>,
) -> AppResult<Option<String>> {
    match crate::form::opt_id(org) {
        Some(id) => Ok(Some(st.app.org_get(actor, id).await?.path)),
        None => Ok(None),
    }
}

async fn problems_sheet(st: &AppState, actor: &Actor, q: &ProblemQuery) -> AppResult<Exported> {
    let path = org_path(st, actor, &q.org).await?;
    let review = q
        .review
        .as_ref()
        .and_then(|_| actor.paths_for(Permission::Review).into_iter().next());
    let filters = vec![
        word("状态", &q.state, |s| {
            states_in_words(s, problem_state_label)
        }),
        word("来源", &q.source, |s| source_label(s).to_string()),
        word("关键词", &q.q, str::to_string),
        word("筛选", &q.overdue, |_| "已逾期".to_string()),
    ];
    let scope = scope_line(st, actor, &q.org, filters).await;
    st.app
        .export_problems(actor, q.filter(path, review), scope)
        .await
}

async fn tasks_sheet(st: &AppState, actor: &Actor, q: &TaskQuery) -> AppResult<Exported> {
    let path = org_path(st, actor, &q.org).await?;
    let review = q
        .review
        .as_ref()
        .and_then(|_| actor.paths_for(Permission::Review).into_iter().next());
    let person = q.mine.as_ref().and(actor.person_id);
    let filters = vec![
        word("状态", &q.state, |s| states_in_words(s, task_state_label)),
        word("关键词", &q.q, str::to_string),
        word("筛选", &q.overdue, |_| "已逾期".to_string()),
        word("筛选", &q.mine, |_| "我负责的".to_string()),
    ];
    let scope = scope_line(st, actor, &q.org, filters).await;
    st.app
        .export_tasks(actor, q.filter(path, review, person), scope)
        .await
}

pub(crate) async fn activities_sheet(
    st: &AppState,
    actor: &Actor,
    q: &ActivityQuery,
) -> AppResult<Exported> {
    let path = org_path(st, actor, &q.org).await?;
    let filters = vec![
        word("类型", &q.kind, |k| kind_label(k).to_string()),
        word("状态", &q.state, |s| {
            zeren_app::activity::state_label(s).to_string()
        }),
        word("年度", &q.year, str::to_string),
        word("月份", &q.month, str::to_string),
        word("关键词", &q.q, str::to_string),
    ];
    let scope = scope_line(st, actor, &q.org, filters).await;
    st.app.export_activities(actor, q.filter(path), scope).await
}

pub async fn problems(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ProblemQuery>,
) -> Response {
    match problems_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn tasks(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<TaskQuery>,
) -> Response {
    match tasks_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn activities(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ActivityQuery>,
) -> Response {
    match activities_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_page(&u, &e),
    }
}

/// `GET /api/v1/{problems,tasks,activities}/export.xlsx`: the same sheets for API
/// clients, with the list endpoints' query parameters.
pub async fn api_problems(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ProblemQuery>,
) -> Response {
    match problems_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_response(&e),
    }
}

pub async fn api_tasks(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<TaskQuery>,
) -> Response {
    match tasks_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_response(&e),
    }
}

pub async fn api_activities(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<ActivityQuery>,
) -> Response {
    match activities_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_response(&e),
    }
}

async fn notices_sheet(
    st: &AppState,
    actor: &Actor,
    q: &crate::pages::notices::NoticeQuery,
) -> AppResult<Exported> {
    let path = org_path(st, actor, &q.org).await?;
    let filters = vec![
        word("方向", &q.dir, |d| {
            match d {
                "incoming" => "上级下发",
                "issued" => "本级下发",
                _ => "",
            }
            .to_string()
        }),
        word("状态", &q.state, |s| {
            zeren_app::notice::notice_state_label(s).to_string()
        }),
        word("筛选", &q.overdue, |_| "逾期未答复".to_string()),
    ];
    let scope = scope_line(st, actor, &q.org, filters).await;
    st.app.export_notices(actor, q.filter(path), scope).await
}

async fn accountability_sheet(
    st: &AppState,
    actor: &Actor,
    q: &crate::pages::accountability::AccountabilityQuery,
) -> AppResult<Exported> {
    let path = org_path(st, actor, &q.org).await?;
    let filters = vec![
        word("问责方式", &q.action, |a| {
            zeren_app::accountability::action_label(a).to_string()
        }),
        word("年度", &q.year, str::to_string),
    ];
    let scope = scope_line(st, actor, &q.org, filters).await;
    st.app
        .export_accountability(actor, q.filter(path), scope)
        .await
}

/// The org sheet's query: the subtree to export (default: the whole scope).
#[derive(serde::Deserialize, Default)]
pub struct OrgsQuery {
    pub org: Option<String>,
}

async fn orgs_sheet(st: &AppState, actor: &Actor, q: &OrgsQuery) -> AppResult<Exported> {
    let path = org_path(st, actor, &q.org).await?;
    let scope = scope_line(st, actor, &q.org, vec!["不含已撤销的组织".to_string()]).await;
    st.app.export_orgs(actor, path, scope).await
}

/// `GET /notices/export.xlsx` and `/api/v1/notices/export.xlsx`.
pub async fn notices(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<crate::pages::notices::NoticeQuery>,
) -> Response {
    match notices_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn api_notices(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<crate::pages::notices::NoticeQuery>,
) -> Response {
    match notices_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_response(&e),
    }
}

/// `GET /accountability/export.xlsx` and `/api/v1/accountability/export.xlsx`.
pub async fn accountability(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<crate::pages::accountability::AccountabilityQuery>,
) -> Response {
    match accountability_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn api_accountability(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<crate::pages::accountability::AccountabilityQuery>,
) -> Response {
    match accountability_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_response(&e),
    }
}

/// `GET /orgs/export.xlsx` and `/api/v1/orgs/export.xlsx`: the 党组织 sheet.
pub async fn orgs(State(st): State<AppState>, u: PageUser, Query(q): Query<OrgsQuery>) -> Response {
    match orgs_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_page(&u, &e),
    }
}

pub async fn api_orgs(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<OrgsQuery>,
) -> Response {
    match orgs_sheet(&st, &u.actor, &q).await {
        Ok(e) => stream(e),
        Err(e) => error_response(&e),
    }
}
