//! 导出 Excel: the ledger as the user filtered it, scoped like the list, audited.
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use zeren_app::audit::{AuditAction, Event};
use zeren_app::Paging;
use zeren_core::Permission;

use crate::ctx::error_page;
use crate::pages::home::{problem_state_label, source_label, task_state_label};
use crate::pages::problems::ProblemQuery;
use crate::pages::tasks::{org_path_of, TaskQuery};
use crate::session::PageUser;
use crate::AppState;

/// Rows per export; a ledger larger than this is narrowed with filters first.
const MAX_ROWS: i64 = 20_000;

pub(crate) fn xlsx(
    name: &str,
    headers: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let bold = Format::new()
        .set_bold()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let cell = Format::new()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_text_wrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, if c == 2 { 40 } else { 14 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_with_format(r as u32 + 1, c as u16, v.as_str(), &cell)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

pub(crate) fn download(filename: &str, bytes: Vec<u8>) -> Response {
    let enc = percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
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
        bytes,
    )
        .into_response()
}

pub async fn problems(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ProblemQuery>,
) -> Response {
    let path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let page = match st
        .app
        .problems(
            &u.actor,
            q.filter(path, review),
            Paging {
                page: 1,
                per_page: MAX_ROWS,
            },
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let rows = page
        .items
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                source_label(&p.source).to_string(),
                p.title.clone(),
                p.org_name.clone(),
                p.leader_name.clone().unwrap_or_default(),
                p.department.clone().unwrap_or_default(),
                p.person_name.clone().unwrap_or_default(),
                p.found_on.clone(),
                p.deadline.clone(),
                format!("{}/{}", p.measures_done, p.measures_total),
                problem_state_label(&p.state).to_string(),
            ]
        })
        .collect();
    let headers = [
        "编号",
        "问题来源",
        "问题概述",
        "责任单位",
        "责任领导",
        "责任部门",
        "责任人",
        "发现日期",
        "整改时限",
        "措施完成",
        "状态",
    ];
    let n = page.items.len();
    let _ = st
        .app
        .audit_alone(
            Some(u.actor.user_id),
            &u.actor.username,
            &u.actor.source,
            Event::ok(AuditAction::Export, "problem", "", "").detail(format!("{n} 行")),
        )
        .await;
    match xlsx("问题整改台账", &headers, rows) {
        Ok(b) => download("问题整改台账.xlsx", b),
        Err(e) => error_page(&u, &zeren_app::AppError::Io(e.to_string())),
    }
}

pub async fn tasks(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<TaskQuery>,
) -> Response {
    let path = match org_path_of(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let review = q
        .review
        .as_ref()
        .and_then(|_| u.actor.paths_for(Permission::Review).into_iter().next());
    let person = q.mine.as_ref().and(u.actor.person_id);
    let page = match st
        .app
        .tasks(
            &u.actor,
            q.filter(path, review, person),
            Paging {
                page: 1,
                per_page: MAX_ROWS,
            },
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return error_page(&u, &e),
    };
    let rows = page
        .items
        .iter()
        .map(|t| {
            vec![
                t.id.to_string(),
                t.category.clone(),
                t.title.clone(),
                t.org_name.clone(),
                t.issuing_org_name.clone(),
                t.leader_name.clone().unwrap_or_default(),
                t.person_name.clone().unwrap_or_default(),
                t.deadline.clone(),
                task_state_label(&t.state).to_string(),
            ]
        })
        .collect();
    let headers = [
        "编号",
        "类别",
        "任务",
        "责任单位",
        "下达单位",
        "责任领导",
        "责任人",
        "完成期限",
        "状态",
    ];
    let n = page.items.len();
    let _ = st
        .app
        .audit_alone(
            Some(u.actor.user_id),
            &u.actor.username,
            &u.actor.source,
            Event::ok(AuditAction::Export, "task", "", "").detail(format!("{n} 行")),
        )
        .await;
    match xlsx("责任清单", &headers, rows) {
        Ok(b) => download("责任清单.xlsx", b),
        Err(e) => error_page(&u, &zeren_app::AppError::Io(e.to_string())),
    }
}
