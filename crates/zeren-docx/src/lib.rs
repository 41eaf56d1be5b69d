//! Word documents in the official document format of GB/T 9704-2012 (党政机关公文格式).
//!
//! The caller describes a document with [`OfficialDoc`] (title, headings, paragraphs, ledger
//! tables, forms, signature) and [`render`] lays it out: A4 with the standard margins, 22
//! lines of 28 characters a page on a document grid, 2号小标宋 title, 3号仿宋 body, 黑体 and
//! 楷体 headings, "— 1 —" page numbers outside. Pure and synchronous; no database.
//!
//! [`ledger_doc`] and [`supervision_notice`] build the two other documents the system issues:
//! the rectification ledger (整改台账) and the supervision notice (督办单).

mod builders;
pub mod format;
mod model;
mod parts;
mod render;

pub use builders::{
    cn_number, ledger_doc, rectification_table, supervision_notice, RectificationItem,
    SupervisionNotice,
};
pub use model::{
    Align, Attachment, Block, FormCell, FormRow, OfficialDoc, Orientation, Run, Signature, Table,
};
pub use render::render;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document cannot be laid out as given (a table row with the wrong number of cells…);
    /// the message is for the user.
    #[error("{0}")]
    Invalid(String),
    /// docx-rs produced something this crate did not expect; a bug here, not in the input.
    #[error("生成Word文档时出错：{0}")]
    Internal(String),
}
