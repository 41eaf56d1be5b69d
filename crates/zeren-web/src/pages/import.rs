//! 导入: choose what to import, download its template, upload a sheet; the result is
//! the import's report — every fault with its row and column, or what was written.
//! Also `POST /api/v1/import/{kind}` with the file as the body (or a multipart part).
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use zeren_app::import::{may_import, ImportOptions, ImportReport, Importer};
use zeren_core::sheet::SheetKind;

use crate::api::error_response;
use crate::ctx::{error_page, render, PageCtx};
use crate::export::download;
use crate::session::{ApiUser, PageUser};
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    kind: Option<String>,
}

/// A kind as the page offers it.
pub struct KindOption {
    pub key: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    ctx: PageCtx,
    kinds: Vec<KindOption>,
    kind: &'static str,
    kind_label: &'static str,
    max_mb: usize,
    max_rows: usize,
    /// The problem with the upload itself (no file, too large …).
    upload_error: Option<String>,
    report: Option<ImportReport>,
    list_href: &'static str,
}

impl ImportPage {
    fn letter(&self, e: &zeren_app::import::ImportError) -> String {
        e.letter.clone().unwrap_or_default()
    }
}

fn list_href(kind: SheetKind) -> &'static str {
    match kind {
        SheetKind::Orgs => "/orgs",
        SheetKind::People => "/people",
        SheetKind::Tasks => "/tasks",
        SheetKind::Problems => "/problems",
        SheetKind::Activities => "/activities",
    }
}

fn allowed(u: &PageUser) -> Vec<SheetKind> {
    SheetKind::ALL
        .into_iter()
        .filter(|k| may_import(&u.actor, *k))
        .collect()
}

fn page(
    st: &AppState,
    u: &PageUser,
    kind: SheetKind,
    upload_error: Option<String>,
    report: Option<ImportReport>,
) -> Response {
    let kinds = allowed(u)
        .into_iter()
        .map(|k| KindOption {
            key: k.as_str(),
            label: k.label(),
            selected: k == kind,
        })
        .collect();
    let p = ImportPage {
        ctx: PageCtx::new(u, "import", vec![("导入", None)]),
        kinds,
        kind: kind.as_str(),
        kind_label: kind.label(),
        max_mb: st.app.cfg.import_max_bytes / 1_048_576,
        max_rows: st.app.cfg.import_max_rows,
        upload_error,
        report,
        list_href: list_href(kind),
    };
    render(&p, u.flash.is_some())
}

/// The kind asked for, if the user may import it; else the first they may.
fn chosen(u: &PageUser, asked: Option<&str>) -> Option<SheetKind> {
    let ok = allowed(u);
    asked
        .and_then(SheetKind::parse)
        .filter(|k| ok.contains(k))
        .or_else(|| ok.first().copied())
}

fn forbidden(u: &PageUser) -> Response {
    error_page(
        u,
        &zeren_app::AppError::Forbidden("您没有导入数据的权限".into()),
    )
}

pub async fn form(
    State(st): State<AppState>,
    u: PageUser,
    Query(q): Query<ImportQuery>,
) -> Response {
    match chosen(&u, q.kind.as_deref()) {
        Some(k) => page(&st, &u, k, None, None),
        None => forbidden(&u),
    }
}

pub async fn template(
    State(st): State<AppState>,
    u: PageUser,
    Path(kind): Path<String>,
) -> Response {
    let kind = kind.trim_end_matches(".xlsx");
    let Some(k) = SheetKind::parse(kind).filter(|k| may_import(&u.actor, *k)) else {
        return forbidden(&u);
    };
    let org = u
        .actor
        .home()
        .map(|h| h.org_name.clone())
        .unwrap_or_default();
    let _ = &st;
    match zeren_app::import::template::template(k, &org, zeren_app::clock::today()) {
        Ok(b) => download(&format!("{}导入模板.xlsx", k.label()), b),
        Err(e) => error_page(&u, &zeren_app::AppError::Io(e.to_string())),
    }
}

/// The upload: its form fields and the file, read up to `max` bytes.
struct Upload {
    csrf: String,
    kind: String,
    dry_run: bool,
    name: String,
    bytes: Vec<u8>,
    too_large: bool,
}

async fn read_upload(mut mp: Multipart, max: usize) -> Result<Upload, String> {
    let mut up = Upload {
        csrf: String::new(),
        kind: String::new(),
        dry_run: false,
        name: String::new(),
        bytes: Vec::new(),
        too_large: false,
    };
    while let Some(mut field) = mp
        .next_field()
        .await
        .map_err(|e| format!("上传数据不完整：{e}"))?
    {
        let name = field.name().unwrap_or("").to_string();
        if let Some(f) = field.file_name().map(str::to_string) {
            up.name = f;
            // stop reading past the limit instead of holding an oversized file
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| format!("文件读取失败：{e}"))?
            {
                if up.bytes.len() + chunk.len() > max {
                    up.too_large = true;
                    up.bytes.clear();
                    return Ok(up);
                }
                up.bytes.extend_from_slice(&chunk);
            }
        } else {
            let text = field
                .text()
                .await
                .map_err(|e| format!("表单读取失败：{e}"))?;
            match name.as_str() {
                "csrf" => up.csrf = text,
                "kind" => up.kind = text,
                "dry_run" => up.dry_run = !text.is_empty(),
                _ => {}
            }
        }
    }
    Ok(up)
}

pub async fn submit(State(st): State<AppState>, u: PageUser, mp: Multipart) -> Response {
    let max = st.app.cfg.import_max_bytes;
    let up = match read_upload(mp, max).await {
        Ok(up) => up,
        Err(m) => {
            return match chosen(&u, None) {
                Some(k) => page(&st, &u, k, Some(m), None),
                None => forbidden(&u),
            }
        }
    };
    // the csrf field comes before the file in the form, so a too-large upload still has it
    if let Err(r) = u.check_csrf(&up.csrf) {
        return r;
    }
    let Some(kind) = chosen(&u, Some(&up.kind)) else {
        return forbidden(&u);
    };
    if up.too_large {
        let m = format!(
            "文件超过导入上限 {} MB，未导入：请把表格拆成几个文件分别导入",
            max / 1_048_576
        );
        return page(&st, &u, kind, Some(m), None);
    }
    if up.name.is_empty() && up.bytes.is_empty() {
        return page(
            &st,
            &u,
            kind,
            Some("请选择要导入的 Excel 文件".into()),
            None,
        );
    }
    let opts = ImportOptions {
        dry_run: up.dry_run,
        file_name: up.name,
    };
    match st
        .app
        .import(Importer::User(&u.actor), kind, &up.bytes, &opts)
        .await
    {
        Ok(rep) => page(&st, &u, kind, None, Some(rep)),
        Err(e) => error_page(&u, &e),
    }
}

#[derive(Deserialize, Default)]
pub struct ApiImportQuery {
    dry_run: Option<String>,
    /// The file's name, for the audit log.
    name: Option<String>,
}

/// `POST /api/v1/import/{kind}`: the body is the .xlsx/.xls file itself. 200 with the
/// report when it was written (or checked, with `dry_run=1`); 422 with the report when
/// the file has faults (nothing written).
pub async fn api(
    State(st): State<AppState>,
    u: ApiUser,
    Path(kind): Path<String>,
    Query(q): Query<ApiImportQuery>,
    body: Bytes,
) -> Response {
    let Some(kind) = SheetKind::parse(&kind) else {
        return error_response(&zeren_app::AppError::NotFound);
    };
    let dry_run = matches!(q.dry_run.as_deref(), Some("1") | Some("true") | Some("yes"));
    let opts = ImportOptions {
        dry_run,
        file_name: q.name.unwrap_or_default(),
    };
    match st
        .app
        .import(Importer::User(&u.actor), kind, &body, &opts)
        .await
    {
        Ok(rep) => {
            let status = if rep.ok() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, Json(rep)).into_response()
        }
        Err(e) => error_response(&e),
    }
}
