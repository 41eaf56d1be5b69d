//! Form input helpers: multipart forms (evidence uploads) and loose numbers.
use std::collections::HashMap;

use axum::extract::Multipart;
use zeren_app::evidence::Upload;

/// A multipart form: text fields and uploaded files (field "files").
#[derive(Default)]
pub struct MultipartForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl MultipartForm {
    pub async fn read(mut mp: Multipart) -> Result<MultipartForm, String> {
        let mut out = MultipartForm::default();
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|e| format!("上传数据不完整：{e}"))?
        {
            let name = field.name().unwrap_or("").to_string();
            if let Some(filename) = field.file_name().map(str::to_string) {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| format!("文件读取失败（可能超过大小上限）：{e}"))?;
                // a file input left empty still sends a part with no name and no bytes
                if !filename.is_empty() || !bytes.is_empty() {
                    out.files.push(Upload {
                        filename,
                        bytes: bytes.to_vec(),
                    });
                }
            } else {
                let text = field
                    .text()
                    .await
                    .map_err(|e| format!("表单读取失败：{e}"))?;
                out.fields.insert(name, text);
            }
        }
        Ok(out)
    }
    pub fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or("")
    }
}

/// "" or garbage → None, so optional selects can be left empty.
pub fn opt_id(s: &Option<String>) -> Option<i64> {
    s.as_deref()
        .and_then(|v| v.trim().parse().ok())
        .filter(|v: &i64| *v > 0)
}

pub fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Paging links that keep the current filters.
pub struct Pager {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub first: Option<String>,
    pub last: Option<String>,
}

impl Pager {
    /// `base` is the path with its filter query, without `page`.
    pub fn new(base: &str, total: i64, page: i64, per_page: i64) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let sep = if base.contains('?') { '&' } else { '?' };
        let link = |p: i64| format!("{base}{sep}page={p}");
        Pager {
            total,
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            first: (page > 2).then(|| link(1)),
            last: (page + 1 < pages).then(|| link(pages)),
        }
    }
}

/// Builds `path?k=v&…` from the non-empty pairs, percent-encoded.
pub fn query_string(path: &str, pairs: &[(&str, String)]) -> String {
    let mut s = String::from(path);
    let mut first = true;
    for (k, v) in pairs {
        if v.is_empty() {
            continue;
        }
        s.push(if first { '?' } else { '&' });
        first = false;
        s.push_str(k);
        s.push('=');
        s.push_str(
            &percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
    }
    s
}
