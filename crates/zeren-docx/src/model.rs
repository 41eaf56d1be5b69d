//! The document model the renderer takes: what a 公文 says, not how Word encodes it.

/// One official document (公文): a title, optional lines under it, the body, and the signature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficialDoc {
    /// 标题, 2号小标宋, centred. A '\n' splits it into lines (long titles are set in two or three
    /// lines by hand in real documents, the break chosen by meaning).
    pub title: String,
    /// A line under the title in 3号楷体, centred: a date, a speaker, "（征求意见稿）".
    pub subtitle: Option<String>,
    /// 主送机关, set flush left under the title, e.g. "市委：".
    pub addressee: Option<String>,
    pub blocks: Vec<Block>,
    /// 发文机关署名 and 成文日期, set after the body per GB/T 9704 7.3.5.2 (no seal).
    pub signature: Option<Signature>,
    /// 附件: listed under the body (附件说明, generated) and set after the signature, each
    /// from a new page.
    pub attachments: Vec<Attachment>,
    /// The page orientation of the whole document. A portrait document can still hold
    /// landscape tables (see [`Table::landscape`]).
    pub orientation: Orientation,
}

/// An attachment (附件): "附件N" at the top left, its title centred on the third line, then
/// its blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attachment {
    pub title: String,
    pub blocks: Vec<Block>,
    /// Set the whole attachment on landscape pages (a wide ledger).
    pub landscape: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// 发文机关, e.g. "中共某某市纪律检查委员会".
    pub org: String,
    /// 成文日期 with Arabic numerals, e.g. "2025年1月10日".
    pub date: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// First level heading, "一、……", 3号黑体.
    Heading1(String),
    /// Second level heading, "（一）……", 3号楷体.
    Heading2(String),
    /// Third level heading, "1.……", 3号仿宋 bold.
    Heading3(String),
    /// A body paragraph, 3号仿宋, first line indented two characters.
    Paragraph(Vec<Run>),
    /// A paragraph without first-line indent, aligned as given (附件 lists, notes under a table).
    Plain {
        runs: Vec<Run>,
        align: Align,
    },
    /// An empty line on the grid.
    BlankLine,
    Table(Table),
    /// A two-column form (督办单, 销号单): label cells in 黑体, value cells in 仿宋.
    Form(Vec<FormRow>),
    /// The next block starts on a new page.
    PageBreak,
}

impl Block {
    /// A body paragraph of plain text.
    pub fn para(text: impl Into<String>) -> Block {
        Block::Paragraph(vec![Run::Text(text.into())])
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A stretch of text in a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text(String),
    /// Bold text: a run-in heading ("1.加强理论学习。") or a figure to stand out.
    Strong(String),
}

impl Run {
    pub fn text(s: impl Into<String>) -> Run {
        Run::Text(s.into())
    }
    pub fn strong(s: impl Into<String>) -> Run {
        Run::Strong(s.into())
    }
}

/// A ledger table (整改台账 and the like).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Set above the table, centred, 3号黑体.
    pub title: Option<String>,
    /// The header row, repeated on every page the table runs onto.
    pub headers: Vec<String>,
    /// Every row has as many cells as `headers`; a '\n' in a cell starts a new line in it.
    pub rows: Vec<Vec<String>>,
    /// Relative column widths (any unit; scaled to the text width). Empty: derived from the
    /// content.
    pub widths: Vec<u32>,
    /// On portrait pages: put this table on landscape pages of its own (a section break
    /// before and after it). Ignored where the pages are landscape already.
    pub landscape: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormRow {
    pub cells: Vec<FormCell>,
    /// Minimum height of the row in body lines (a blank "办理情况" to be filled by hand).
    pub min_lines: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormCell {
    pub label: String,
    pub value: String,
}

impl FormRow {
    /// One label and its value across the full width.
    pub fn single(label: impl Into<String>, value: impl Into<String>) -> FormRow {
        FormRow {
            cells: vec![FormCell {
                label: label.into(),
                value: value.into(),
            }],
            min_lines: 1,
        }
    }

    /// Two label/value pairs side by side ("承办单位 … 办结时限 …").
    pub fn pair(
        label1: impl Into<String>,
        value1: impl Into<String>,
        label2: impl Into<String>,
        value2: impl Into<String>,
    ) -> FormRow {
        FormRow {
            cells: vec![
                FormCell {
                    label: label1.into(),
                    value: value1.into(),
                },
                FormCell {
                    label: label2.into(),
                    value: value2.into(),
                },
            ],
            min_lines: 1,
        }
    }

    pub fn min_lines(mut self, lines: u32) -> FormRow {
        self.min_lines = lines;
        self
    }
}
