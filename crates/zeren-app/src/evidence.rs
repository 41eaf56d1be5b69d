//! Evidence files: checked, stored content-addressed under the data directory, and
//! attached to records. Downloads are checked against the actor's scope.
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;
use zeren_core::{Permission, ValidationErrors};
use zeren_store::evidence::{self, EvidenceRow, NewEvidence};
use zeren_store::Conn;

use crate::audit::{self, AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult};

/// A file as it arrived from a form or the API.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Accepted kinds: the extension a user sees and the content type the bytes must have.
/// Office files are zip (OOXML) or OLE containers; OFD is zip too.
const ALLOWED: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("doc", "application/msword"),
    ("xls", "application/vnd.ms-excel"),
    ("ofd", "application/ofd"),
    ("zip", "application/zip"),
    ("txt", "text/plain"),
];

/// Checks name, size and content; returns the content type to store.
pub fn check_upload(u: &Upload, max: usize) -> Result<&'static str, String> {
    let name = u.filename.trim();
    if name.is_empty() {
        return Err("请选择文件".into());
    }
    if u.bytes.is_empty() {
        return Err(format!("文件“{name}”是空文件"));
    }
    if u.bytes.len() > max {
        return Err(format!("文件“{name}”超过大小上限 {} MB", max / 1024 / 1024));
    }
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let Some((_, mime)) = ALLOWED.iter().find(|(e, _)| *e == ext) else {
        return Err(format!(
            "不支持的文件类型“.{ext}”，可上传 PDF、图片、Word、Excel、OFD、ZIP 或文本文件"
        ));
    };
    let sniffed = infer::get(&u.bytes).map(|t| t.mime_type());
    let consistent = match ext.as_str() {
        "txt" => std::str::from_utf8(&u.bytes).is_ok(),
        "docx" | "xlsx" | "pptx" | "ofd" | "zip" => u.bytes.starts_with(b"PK\x03\x04"),
        "doc" | "xls" => u.bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
        _ => sniffed == Some(*mime),
    };
    if !consistent {
        return Err(format!("文件“{name}”的内容与扩展名不符"));
    }
    Ok(mime)
}

impl App {
    fn blob_path(&self, sha: &str) -> PathBuf {
        self.cfg.data_dir.join("files").join(&sha[..2]).join(sha)
    }

    /// Writes the bytes to their content address (once) and returns the hash. The file
    /// is written and synced before the database row that names it is committed, so a
    /// committed row never points at a missing file.
    fn store_blob(&self, bytes: &[u8]) -> AppResult<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self.blob_path(&sha);
        if path.exists() {
            return Ok(sha);
        }
        let dir = path
            .parent()
            .ok_or_else(|| AppError::Io("bad path".into()))?;
        std::fs::create_dir_all(dir).map_err(|e| AppError::Io(e.to_string()))?;
        let tmp = dir.join(format!(".{sha}.{}", crate::auth::random_token()));
        let mut f = std::fs::File::create(&tmp).map_err(|e| AppError::Io(e.to_string()))?;
        f.write_all(bytes)
            .and_then(|_| f.sync_all())
            .map_err(|e| AppError::Io(e.to_string()))?;
        std::fs::rename(&tmp, &path).map_err(|e| AppError::Io(e.to_string()))?;
        Ok(sha)
    }

    /// Validates every upload before anything is written: all or nothing.
    pub fn check_uploads(&self, field: &str, uploads: &[Upload]) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        for u in uploads {
            if let Err(m) = check_upload(u, self.cfg.max_upload_bytes) {
                errs.add(field, m);
            }
        }
        Ok(errs.into_result()?)
    }

    /// Stores and attaches uploads inside the caller's transaction.
    pub async fn attach_all(
        &self,
        c: &mut Conn,
        actor: &Actor,
        kind: &str,
        id: i64,
        org_path: &str,
        uploads: &[Upload],
    ) -> AppResult<usize> {
        let now = clock::now();
        for u in uploads {
            let mime = check_upload(u, self.cfg.max_upload_bytes)
                .map_err(|m| crate::error::invalid("files", m))?;
            let sha = self.store_blob(&u.bytes)?;
            evidence::upsert_file(c, &sha, u.bytes.len() as i64, mime, now).await?;
            let filename: String = u
                .filename
                .trim()
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .chars()
                .take(120)
                .collect();
            let eid = evidence::attach(
                c,
                NewEvidence {
                    object_kind: kind,
                    object_id: id,
                    org_path,
                    sha256: &sha,
                    filename: &filename,
                    uploaded_by: Some(actor.user_id),
                    now,
                },
            )
            .await?;
            audit::by_actor(
                c,
                actor,
                Event::ok(AuditAction::EvidenceUpload, kind, id, org_path)
                    .detail(format!("#{eid} {filename} {sha}")),
            )
            .await?;
        }
        Ok(uploads.len())
    }

    /// The bytes of one evidence file, if the actor may see the record it belongs to.
    pub async fn evidence_download(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(EvidenceRow, Vec<u8>)> {
        let mut c = self.store.conn().await?;
        let row = match actor.read_scope() {
            s @ zeren_store::Scope::Subtrees(_) => evidence::get_in(&mut c, &s, id).await?,
            zeren_store::Scope::Person(_) => {
                // A member sees evidence of the records they answer for.
                let row = evidence::get(&mut c, id).await?;
                self.check_member_object(&mut c, actor, &row.object_kind, row.object_id)
                    .await?;
                row
            }
            zeren_store::Scope::Nothing => return Err(AppError::NotFound),
        };
        drop(c);
        let bytes = std::fs::read(self.blob_path(&row.sha256))
            .map_err(|e| AppError::Io(format!("证据文件缺失：{e}")))?;
        self.audit_alone(
            Some(actor.user_id),
            &actor.username,
            &actor.source,
            Event::ok(AuditAction::EvidenceDownload, "evidence", id, &row.org_path),
        )
        .await?;
        Ok((row, bytes))
    }

    async fn check_member_object(
        &self,
        c: &mut Conn,
        actor: &Actor,
        kind: &str,
        id: i64,
    ) -> AppResult<()> {
        let scope = actor.read_scope();
        let ok = match kind {
            "task" | "task_report" => {
                let tid = if kind == "task" {
                    id
                } else {
                    task_of_report(c, id).await?
                };
                zeren_store::task::get_in(c, &scope, tid).await.is_ok()
            }
            "measure" => {
                let m = zeren_store::problem::measure(c, id).await?;
                Some(m.owner_id) == Some(actor.person_id)
                    || zeren_store::problem::get_in(c, &scope, m.problem_id)
                        .await
                        .is_ok()
            }
            "problem" => zeren_store::problem::get_in(c, &scope, id).await.is_ok(),
            _ => false,
        };
        if ok && actor.has(Permission::OwnItems) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}

async fn task_of_report(c: &mut Conn, report_id: i64) -> AppResult<i64> {
    let r = zeren_store::task::task_of_report(c, report_id).await?;
    r.map(|x| x.0).ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            filename: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn content_must_match_extension() {
        assert!(check_upload(&up("a.pdf", b"%PDF-1.7\n..."), 1000).is_ok());
        assert!(check_upload(&up("a.pdf", b"MZ\x90\x00 not a pdf"), 1000).is_err());
        assert!(check_upload(&up("a.exe", b"MZ"), 1000).is_err());
        assert!(check_upload(&up("a.txt", "整改说明".as_bytes()), 1000).is_ok());
        assert!(check_upload(&up("a.docx", b"PK\x03\x04rest"), 1000).is_ok());
    }

    #[test]
    fn size_and_emptiness() {
        assert!(check_upload(&up("a.txt", b""), 10).is_err());
        assert!(check_upload(&up("a.txt", &[b'a'; 11]), 10).is_err());
        assert!(check_upload(&up("", b"x"), 10).is_err());
    }
}
