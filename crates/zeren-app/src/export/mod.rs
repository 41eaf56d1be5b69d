//! Excel export (导出): every list as the user filtered it, one sheet per export.
//!
//! The sheet is written in rust_xlsxwriter's constant-memory mode: each row goes to a
//! temporary file as soon as it is written, and the list is read from the database
//! in pages, so a 100,000-row ledger never sits in memory whole — neither as records
//! nor as cells. The finished workbook is a temporary file the caller streams or
//! copies.
//!
//! Layout, the same for every list: a title row with the scope and the time of
//! export, the header row (frozen, with a filter), sensible widths, dates as Excel
//! dates, states coloured. The ledger kinds (orgs, people, tasks, problems,
//! activities) use the columns of `zeren_core::sheet`, with the 编号 column, so an
//! exported sheet imports back onto the same records.
use std::collections::HashMap;
use std::fs::File;
use std::io::{Seek, SeekFrom};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use crate::error::{invalid, AppError, AppResult};

mod lists;
mod mechanism;
pub use lists::Exported;

/// Excel's last row; a list longer than this cannot be one sheet.
pub const MAX_ROWS: usize = 1_048_576 - 3;

/// Rows read from the database per query while exporting. The lists page by OFFSET,
/// which re-reads the skipped rows: large pages keep that to a few passes (at 2,000 a
/// page, 76,000 rows took 20 s), and 20,000 rows of a ledger are a few megabytes.
pub const PAGE: i64 = 20_000;

/// How a state cell is coloured (Excel's own good / neutral / bad styles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Warn,
    Bad,
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Long text: wrapped.
    Long(String),
    Date(Option<NaiveDate>),
    Int(i64),
    State(String, Tone),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn opt(s: &Option<String>) -> Cell {
        Cell::Text(s.clone().unwrap_or_default())
    }
    /// A `YYYY-MM-DD…` column value as a date (empty when absent or malformed).
    pub fn day(s: Option<&str>) -> Cell {
        Cell::Date(s.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()))
    }
}

/// A column: header and width in characters.
#[derive(Debug, Clone)]
pub struct Col {
    pub header: String,
    pub width: f64,
}

impl Col {
    pub fn new(header: &str, width: f64) -> Col {
        Col {
            header: header.to_string(),
            width,
        }
    }
}

/// What the sheet is: its tab name, its title and the scope line under it.
#[derive(Debug, Clone)]
pub struct SheetSpec {
    /// The worksheet tab (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    pub title: String,
    /// "范围：… 导出时间：…", written beside the title.
    pub scope: String,
    pub columns: Vec<Col>,
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    long: Format,
    date: Format,
    int: Format,
    good: Format,
    warn: Format,
    bad: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let tone = |bg: u32, fg: u32| {
            cell.clone()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
                .set_align(FormatAlign::Center)
        };
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xF2F2F2))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            text: cell.clone(),
            long: cell.clone().set_text_wrap(),
            date: cell.clone().set_num_format("yyyy-mm-dd"),
            int: cell.clone().set_num_format("0"),
            good: tone(0xC6EFCE, 0x006100),
            warn: tone(0xFFEB9C, 0x9C5700),
            bad: tone(0xFFC7CE, 0x9C0006),
        }
    }
}

/// A sheet being written, row by row.
pub struct SheetWriter {
    wb: Workbook,
    formats: Formats,
    columns: usize,
    /// The next row to write (0 is the title, 1 the header).
    row: u32,
}

/// Rows of data the title and header rows take.
const FIRST_DATA_ROW: u32 = 2;

fn xerr(e: XlsxError) -> AppError {
    AppError::Io(format!("生成 Excel 文件失败：{e}"))
}

impl SheetWriter {
    pub fn new(spec: &SheetSpec) -> AppResult<SheetWriter> {
        let mut wb = Workbook::new();
        let formats = Formats::new();
        let ws = wb.add_worksheet_with_constant_memory();
        ws.set_name(sheet_name(&spec.name)).map_err(xerr)?;
        for (i, c) in spec.columns.iter().enumerate() {
            ws.set_column_width(i as u16, c.width).map_err(xerr)?;
        }
        ws.set_row_height(0, 24).map_err(xerr)?;
        ws.write_with_format(0, 0, spec.title.as_str(), &formats.title)
            .map_err(xerr)?;
        if spec.columns.len() > 1 {
            ws.write(0, 1.max(spec.columns.len() as u16 / 2), spec.scope.as_str())
                .map_err(xerr)?;
        } else {
            ws.write(0, 1, spec.scope.as_str()).map_err(xerr)?;
        }
        for (i, c) in spec.columns.iter().enumerate() {
            ws.write_with_format(1, i as u16, c.header.as_str(), &formats.header)
                .map_err(xerr)?;
        }
        ws.set_freeze_panes(FIRST_DATA_ROW, 0).map_err(xerr)?;
        Ok(SheetWriter {
            wb,
            formats,
            columns: spec.columns.len(),
            row: FIRST_DATA_ROW,
        })
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        (self.row - FIRST_DATA_ROW) as usize
    }

    pub fn push(&mut self, cells: &[Cell]) -> AppResult<()> {
        if self.rows() >= MAX_ROWS {
            return Err(invalid(
                "export",
                format!("超过 Excel 单表上限（{MAX_ROWS} 行），请先筛选缩小范围再导出"),
            ));
        }
        let row = self.row;
        let f = &self.formats;
        let ws = self.wb.worksheet_from_index(0).map_err(xerr)?;
        for (i, cell) in cells.iter().enumerate() {
            let col = i as u16;
            match cell {
                Cell::Text(s) => ws.write_with_format(row, col, s.as_str(), &f.text),
                Cell::Long(s) => ws.write_with_format(row, col, s.as_str(), &f.long),
                Cell::Int(n) => ws.write_with_format(row, col, *n as f64, &f.int),
                Cell::Date(Some(d)) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(xerr)?;
                    ws.write_datetime_with_format(row, col, &dt, &f.date)
                }
                Cell::Date(None) => ws.write_blank(row, col, &f.text),
                Cell::State(s, tone) => {
                    let fmt = match tone {
                        Tone::Plain => &f.text,
                        Tone::Good => &f.good,
                        Tone::Warn => &f.warn,
                        Tone::Bad => &f.bad,
                    };
                    ws.write_with_format(row, col, s.as_str(), fmt)
                }
            }
            .map_err(xerr)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Finishes the workbook into a temporary file, rewound for reading.
    pub fn finish(mut self) -> AppResult<File> {
        let last = self.row.max(FIRST_DATA_ROW) - 1;
        let cols = self.columns.max(1) as u16 - 1;
        self.wb
            .worksheet_from_index(0)
            .and_then(|ws| ws.autofilter(1, 0, last, cols).map(|_| ()))
            .map_err(xerr)?;
        let mut file = tempfile().map_err(|e| AppError::Io(e.to_string()))?;
        self.wb.save_to_writer(&mut file).map_err(xerr)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| AppError::Io(e.to_string()))?;
        Ok(file)
    }
}

/// A `SheetWriter` on a blocking thread of its own, fed chunks of records through a
/// bounded channel and turning each into its cells there: the cells and XML of one
/// chunk are made (and the workbook compressed at the end) while the database yields
/// the next, so on two cores the two halves of an export overlap instead of taking
/// turns, and the reading task is free to drain the database's rows as they come.
pub struct SheetSink<T> {
    tx: tokio::sync::mpsc::Sender<Vec<T>>,
    writer: tokio::task::JoinHandle<AppResult<(File, usize)>>,
}

impl<T: Send + 'static> SheetSink<T> {
    pub fn spawn(
        spec: &SheetSpec,
        mut cells: impl FnMut(T) -> Vec<Cell> + Send + 'static,
    ) -> AppResult<SheetSink<T>> {
        let mut w = SheetWriter::new(spec)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<T>>(2);
        let writer = tokio::task::spawn_blocking(move || {
            while let Some(records) = rx.blocking_recv() {
                for r in records {
                    w.push(&cells(r))?;
                }
            }
            let n = w.rows();
            Ok((w.finish()?, n))
        });
        Ok(SheetSink { tx, writer })
    }

    /// Hands records to the writer; `false` once it has stopped on an error, which
    /// `finish` then returns.
    pub async fn send(&self, records: Vec<T>) -> bool {
        self.tx.send(records).await.is_ok()
    }

    /// Waits for the last rows and the workbook: the file, rewound, and its rows.
    pub async fn finish(self) -> AppResult<(File, usize)> {
        drop(self.tx);
        self.writer.await.map_err(|e| AppError::Io(e.to_string()))?
    }
}

/// An anonymous temporary file, removed when closed.
fn tempfile() -> std::io::Result<File> {
    tempfile::tempfile()
}

/// A valid worksheet tab name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.is_empty() {
        "Sheet1".into()
    } else {
        clean
    }
}

/// The title row's scope line.
pub fn scope_line(scope: &str, filters: &[String], now: chrono::NaiveDateTime) -> String {
    let mut s = format!("范围：{scope}");
    for f in filters.iter().filter(|f| !f.is_empty()) {
        s.push('；');
        s.push_str(f);
    }
    s.push_str(&format!("　导出时间：{}", now.format("%Y-%m-%d %H:%M")));
    s
}

/// Names orgs for a sheet the importer reads back: the org's code where it has one
/// (unique), else the names from the root down (`委党委/某医院党委/内科支部`), which
/// tells apart the many branches called 第一党支部.
#[derive(Default)]
pub struct OrgNames {
    names: HashMap<i64, (String, Option<String>)>,
    /// Labels already built, by path: a ledger's rows come from a few hundred orgs.
    labels: HashMap<String, String>,
}

impl OrgNames {
    /// Loads the names of every org on the given paths (`/1/2/3/`) not loaded yet.
    pub async fn load(&mut self, c: &mut zeren_store::Conn, paths: &[&str]) -> AppResult<()> {
        let mut seen = std::collections::HashSet::new();
        let mut want: Vec<i64> = Vec::new();
        for p in paths {
            for id in path_ids(p) {
                if !self.names.contains_key(&id) && seen.insert(id) {
                    want.push(id);
                }
            }
        }
        for chunk in want.chunks(500) {
            let mut s = zeren_store::Sql::new("SELECT id, name, code FROM orgs WHERE id IN ");
            s.push_id_set(c, chunk);
            let rows: Vec<(i64, String, Option<String>)> = s
                .query_as()
                .fetch_all(&mut *c)
                .await
                .map_err(zeren_store::StoreError::from)?;
            for (id, name, code) in rows {
                self.names.insert(id, (name, code));
            }
        }
        Ok(())
    }

    /// The label of the org at the end of `path`.
    /// `label`, built once per path.
    pub fn label_of(&mut self, path: &str) -> String {
        if let Some(l) = self.labels.get(path) {
            return l.clone();
        }
        let l = self.label(path);
        self.labels.insert(path.to_string(), l.clone());
        l
    }

    pub fn label(&self, path: &str) -> String {
        let ids = path_ids(path);
        if let Some((_, Some(code))) = ids.last().and_then(|id| self.names.get(id)) {
            if !code.is_empty() {
                return code.clone();
            }
        }
        ids.iter()
            .filter_map(|id| self.names.get(id).map(|(n, _)| n.as_str()))
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|p| p.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_valid() {
        assert_eq!(sheet_name("问题/整改:台账"), "问题整改台账");
        assert_eq!(sheet_name("///"), "Sheet1");
        assert_eq!(sheet_name(&"表".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn path_ids_read_the_materialised_path() {
        assert_eq!(path_ids("/1/2/30/"), vec![1, 2, 30]);
        assert!(path_ids("").is_empty());
    }

    #[test]
    fn the_scope_line_names_filters_and_time() {
        let now = NaiveDate::from_ymd_opt(2026, 3, 5)
            .and_then(|d| d.and_hms_opt(9, 7, 0))
            .expect("a valid time");
        let s = scope_line("市卫健委党委", &["状态：整改中".into(), String::new()], now);
        assert_eq!(
            s,
            "范围：市卫健委党委；状态：整改中　导出时间：2026-03-05 09:07"
        );
    }
}
