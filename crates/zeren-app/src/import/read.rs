//! Reading a workbook into rows of cells, with calamine: `.xlsx` streamed cell by
//! cell (so a sheet with too many rows is refused before it is all in memory) and
//! `.xls` through calamine's BIFF reader. Also the merged regions of the sheet.
use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Reader, Xls, Xlsx};
use chrono::NaiveDate;
use zeren_core::sheet;

/// One cell as the importer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Num(f64),
    /// A cell Excel formats as a date (its serial number already converted).
    Date(NaiveDate),
    Bool(bool),
    /// `#N/A`, `#REF!` …
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, the way Excel shows it: whole numbers without decimals,
    /// dates as YYYY-MM-DD.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Num(n) => num_text(*n),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A sheet read into memory.
#[derive(Debug, Default)]
pub struct Grid {
    pub sheet: String,
    /// (row index from 0, cells from column A); rows with no cell are left out.
    pub rows: Vec<(u32, Vec<Cell>)>,
    pub merged: Vec<Dimensions>,
}

#[derive(Debug, PartialEq)]
pub enum ReadError {
    /// Neither an .xlsx (zip) nor an .xls (OLE) file.
    NotExcel,
    /// Password-protected.
    Encrypted,
    /// The file is an Excel container but cannot be read.
    Broken(String),
    /// More than `limit` non-empty rows in a sheet.
    TooManyRows { sheet: String, limit: usize },
    /// The workbook has no sheet.
    Empty,
}

const XLS_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The file's format from its first bytes (the name can lie).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}
pub fn is_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&XLS_MAGIC)
}

/// Reads sheets in order until `wanted` accepts one (the first sheet of a template;
/// a notes sheet is passed over), each limited to `max_rows` non-empty rows.
/// Returns the accepted sheet, or the first one if none is accepted.
pub fn read(
    bytes: &[u8],
    max_rows: usize,
    wanted: impl Fn(&Grid) -> bool,
) -> Result<Grid, ReadError> {
    if is_xlsx(bytes) {
        read_xlsx(bytes, max_rows, wanted)
    } else if is_xls(bytes) {
        read_xls(bytes, max_rows, wanted)
    } else {
        Err(ReadError::NotExcel)
    }
}

fn broken(e: impl std::fmt::Display) -> ReadError {
    ReadError::Broken(e.to_string())
}

fn read_xlsx(
    bytes: &[u8],
    max_rows: usize,
    wanted: impl Fn(&Grid) -> bool,
) -> Result<Grid, ReadError> {
    let mut wb: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(calamine::XlsxError::Password) => return Err(ReadError::Encrypted),
        Err(e) => return Err(broken(e)),
    };
    let names = wb.sheet_names();
    let mut first: Option<Grid> = None;
    for name in names {
        let mut g = Grid {
            sheet: name.clone(),
            ..Default::default()
        };
        {
            let mut cells = wb.worksheet_cells_reader(&name).map_err(broken)?;
            let mut row_no: Option<u32> = None;
            let mut row: Vec<Cell> = Vec::new();
            let mut count = 0usize;
            while let Some(c) = cells.next_cell().map_err(broken)? {
                let (r, col) = c.get_position();
                let v = from_ref(c.get_value());
                if v.is_blank() {
                    continue;
                }
                if row_no != Some(r) {
                    if let Some(prev) = row_no {
                        g.rows.push((prev, std::mem::take(&mut row)));
                    }
                    row_no = Some(r);
                    count += 1;
                    // the header and a title above it come on top of the data rows
                    if count > max_rows + 20 {
                        return Err(ReadError::TooManyRows {
                            sheet: name,
                            limit: max_rows,
                        });
                    }
                }
                let col = col as usize;
                if row.len() <= col {
                    row.resize(col + 1, Cell::Empty);
                }
                row[col] = v;
            }
            if let Some(prev) = row_no {
                g.rows.push((prev, row));
            }
        }
        if let Some(Ok(m)) = wb.worksheet_merge_cells(&name) {
            g.merged = m;
        }
        if wanted(&g) {
            return Ok(g);
        }
        if first.is_none() {
            first = Some(g);
        }
    }
    first.ok_or(ReadError::Empty)
}

fn read_xls(
    bytes: &[u8],
    max_rows: usize,
    wanted: impl Fn(&Grid) -> bool,
) -> Result<Grid, ReadError> {
    let mut wb: Xls<_> = match Xls::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(calamine::XlsError::Password) => return Err(ReadError::Encrypted),
        Err(e) => {
            // an encrypted .xlsx is an OLE container too; the xlsx reader recognises it
            if let Err(calamine::XlsxError::Password) = Xlsx::new(Cursor::new(bytes)) {
                return Err(ReadError::Encrypted);
            }
            return Err(broken(e));
        }
    };
    let names = wb.sheet_names();
    let mut first: Option<Grid> = None;
    for name in names {
        let range = wb.worksheet_range(&name).map_err(broken)?;
        let mut g = Grid {
            sheet: name.clone(),
            ..Default::default()
        };
        if let Some((r0, c0)) = range.start() {
            for (i, cells) in range.rows().enumerate() {
                let mut row: Vec<Cell> = Vec::new();
                for (j, v) in cells.iter().enumerate() {
                    let v = from_data(v);
                    if v.is_blank() {
                        continue;
                    }
                    let col = c0 as usize + j;
                    if row.len() <= col {
                        row.resize(col + 1, Cell::Empty);
                    }
                    row[col] = v;
                }
                if !row.is_empty() {
                    g.rows.push((r0 + i as u32, row));
                    if g.rows.len() > max_rows + 20 {
                        return Err(ReadError::TooManyRows {
                            sheet: name,
                            limit: max_rows,
                        });
                    }
                }
            }
        }
        g.merged = wb.worksheet_merge_cells(&name).unwrap_or_default();
        if wanted(&g) {
            return Ok(g);
        }
        if first.is_none() {
            first = Some(g);
        }
    }
    first.ok_or(ReadError::Empty)
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn from_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Num(*i as f64),
        DataRef::Float(f) => Cell::Num(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => {
            if d.is_datetime() {
                sheet::date_from_serial(d.as_f64())
                    .map(Cell::Date)
                    .unwrap_or(Cell::Num(d.as_f64()))
            } else {
                Cell::Num(d.as_f64())
            }
        }
        DataRef::DateTimeIso(s) => iso_date(s)
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Num(*i as f64),
        Data::Float(f) => Cell::Num(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => {
            if d.is_datetime() {
                sheet::date_from_serial(d.as_f64())
                    .map(Cell::Date)
                    .unwrap_or(Cell::Num(d.as_f64()))
            } else {
                Cell::Num(d.as_f64())
            }
        }
        Data::DateTimeIso(s) => iso_date(s)
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// `B5:B7` for a merged region.
pub fn range_ref(d: &Dimensions) -> String {
    format!(
        "{}{}:{}{}",
        sheet::col_letter(d.start.1 as usize),
        d.start.0 + 1,
        sheet::col_letter(d.end.1 as usize),
        d.end.0 + 1
    )
}
