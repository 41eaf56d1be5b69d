//! Excel import (导入): orgs, people and their roster fields, tasks, problems with
//! their measures, and activity records, from `.xlsx` or `.xls`.
//!
//! Whole or nothing. Every row is read and checked first — headers by name, dates
//! as people type them, org and person names resolved, the importer's scope and
//! permission, codes — and every fault is reported with its row, column, value,
//! what is wrong and how to fix it. Only a file without faults is written, in one
//! write transaction, with the same counters, history (时间线) and audit events as
//! the forms write; a failure or a crash on the way leaves nothing.
//!
//! A row whose 编号 holds a record code (`zeren_core::sheet::code_of`, as exports
//! write it) updates that record; a row without one adds a record. Columns absent
//! from the sheet leave a record's fields as they are; a present but empty cell
//! clears an optional field.
pub mod read;
mod refs;
pub mod template;

mod activities;
mod orgs;
mod people;
mod problems;
mod tasks;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use zeren_core::sheet::{self, Column, SheetKind};
use zeren_core::{Permission, ValidationErrors};
use zeren_store::audit::AuditRow;
use zeren_store::{Conn, Scope};

use crate::audit::{AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult};
use read::{Cell, Grid, ReadError};

/// Errors listed in a report; past this only their number is given.
const MAX_LISTED: usize = 500;
/// Rows searched for the header row (a title and notes may stand above it).
const HEADER_SEARCH: usize = 10;

/// Who imports: a user with their scope and permissions, or the system (the CLI),
/// which may write anywhere and is audited as such.
#[derive(Clone, Copy)]
pub enum Importer<'a> {
    User(&'a Actor),
    System,
}

impl Importer<'_> {
    /// Roots of the subtrees the importer may read.
    fn scope_paths(&self) -> Vec<String> {
        match self.scope() {
            Scope::Subtrees(p) => p,
            _ => Vec::new(),
        }
    }
    fn scope(&self) -> Scope {
        match self {
            Importer::User(a) => a.read_scope(),
            Importer::System => Scope::Subtrees(vec!["/".into()]),
        }
    }
    fn can_at(&self, p: Permission, path: &str) -> bool {
        match self {
            Importer::User(a) => a.can_at(p, path),
            Importer::System => true,
        }
    }
    /// The org that issues what the importer records for the org at `path` (the
    /// forms' rule: the importer's own org above it); `None` means the org itself.
    fn issuing_for(&self, path: &str) -> Option<i64> {
        match self {
            Importer::User(a) => a
                .roles
                .iter()
                .filter(|(r, row)| {
                    r.permits(Permission::WriteScope) && path.starts_with(row.org_path.as_str())
                })
                .map(|(_, row)| row.org_id)
                .next(),
            Importer::System => None,
        }
    }
    fn user_id(&self) -> Option<i64> {
        match self {
            Importer::User(a) => Some(a.user_id),
            Importer::System => None,
        }
    }
    /// Name in the audit log.
    fn audit_name(&self) -> String {
        match self {
            Importer::User(a) => a.username.clone(),
            Importer::System => "system".into(),
        }
    }
    /// Name in a record's history.
    fn display_name(&self) -> String {
        match self {
            Importer::User(a) => a.display_name.clone(),
            Importer::System => "系统（命令行导入）".into(),
        }
    }
    fn source(&self) -> String {
        match self {
            Importer::User(a) => a.source.clone(),
            Importer::System => "cli".into(),
        }
    }
}

/// The permission an import of `kind` needs at each row's org: the one the form
/// that creates such a record needs.
pub fn permission_for(kind: SheetKind) -> Permission {
    match kind {
        SheetKind::Orgs | SheetKind::People => Permission::ManageOrgs,
        SheetKind::Tasks | SheetKind::Problems | SheetKind::Activities => Permission::WriteScope,
    }
}

/// Whether `actor` may import `kind` somewhere (the page and the menu ask).
pub fn may_import(actor: &Actor, kind: SheetKind) -> bool {
    actor.has(permission_for(kind))
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// The uploaded file's name, for the audit log.
    pub file_name: String,
}

/// One fault in the file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportError {
    /// The row number as Excel shows it; `None` for the file as a whole.
    pub row: Option<u32>,
    /// The column's header as written in the file (or the expected header).
    pub column: Option<String>,
    /// The column letter (A, B, … AA).
    pub letter: Option<String>,
    /// The cell's content.
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

/// What an import found and did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub file_name: String,
    pub sheet: String,
    /// Row number (as Excel shows it) of the header row.
    pub header_row: Option<u32>,
    /// Data rows read (empty rows are skipped, not counted).
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Measures added to problems.
    pub measures: usize,
    /// Faults, at most `MAX_LISTED`; `error_count` is the whole number.
    pub errors: Vec<ImportError>,
    pub error_count: usize,
    /// Remarks that are not faults (ignored columns, values kept only as a note).
    pub notes: Vec<String>,
    pub dry_run: bool,
    /// The file was written (always false for a dry run or a file with faults).
    pub committed: bool,
    pub millis: u64,
}

impl ImportReport {
    fn new(kind: SheetKind, opts: &ImportOptions) -> ImportReport {
        ImportReport {
            kind: kind.as_str(),
            kind_label: kind.label(),
            file_name: opts.file_name.clone(),
            sheet: String::new(),
            header_row: None,
            rows: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            measures: 0,
            errors: Vec::new(),
            error_count: 0,
            notes: Vec::new(),
            dry_run: opts.dry_run,
            committed: false,
            millis: 0,
        }
    }

    pub fn ok(&self) -> bool {
        self.error_count == 0
    }

    fn push(&mut self, e: ImportError) {
        self.error_count += 1;
        if self.errors.len() < MAX_LISTED {
            self.errors.push(e);
        }
    }

    /// A fault of the whole file.
    fn file_error(&mut self, message: impl Into<String>, fix: impl Into<String>) {
        self.push(ImportError {
            row: None,
            column: None,
            letter: None,
            value: String::new(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    /// One line per fault, for the command line: `第 5 行 C 列（完成时限）“2023-2-30”：…；…`.
    pub fn error_lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .errors
            .iter()
            .map(|e| {
                let mut s = String::new();
                if let Some(r) = e.row {
                    s.push_str(&format!("第 {r} 行"));
                }
                match (&e.letter, &e.column) {
                    (Some(l), Some(c)) => s.push_str(&format!(" {l} 列（{c}）")),
                    (None, Some(c)) => s.push_str(&format!(" 列“{c}”")),
                    _ => {}
                }
                if !e.value.is_empty() {
                    let v: String = e.value.chars().take(40).collect();
                    s.push_str(&format!("“{v}”"));
                }
                if s.is_empty() {
                    s.push_str("文件");
                }
                s.push_str(&format!("：{}", e.message));
                if !e.fix.is_empty() {
                    s.push_str(&format!("。{}", e.fix));
                }
                s.trim().to_string()
            })
            .collect();
        if self.error_count > self.errors.len() {
            out.push(format!(
                "另有 {} 处错误未列出",
                self.error_count - self.errors.len()
            ));
        }
        out
    }
}

/// One data row of the sheet.
#[derive(Debug, Clone)]
pub(crate) struct DataRow {
    /// As Excel shows it (from 1).
    pub excel_row: u32,
    pub cells: Vec<Cell>,
}

/// Where each known column is: key → (column index, header as written).
#[derive(Debug, Default, Clone)]
pub(crate) struct ColumnMap {
    at: HashMap<&'static str, (usize, String)>,
}

impl ColumnMap {
    pub fn has(&self, key: &str) -> bool {
        self.at.contains_key(key)
    }
}

/// Finds the header row among the first rows: the one naming most known columns
/// (at least two). (index into `grid.rows`, matched count)
fn header_row(kind: SheetKind, g: &Grid) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, cells)) in g.rows.iter().take(HEADER_SEARCH).enumerate() {
        let n = cells
            .iter()
            .filter(|c| sheet::match_header(kind, &c.text()).is_some())
            .count();
        if n >= 2 && best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i)
}

/// Pending history lines and audit events, written in batches at the end.
#[derive(Default)]
pub(crate) struct Batch {
    history: Vec<(&'static str, i64, &'static str, String)>,
    audit: Vec<(AuditAction, &'static str, String, String, String)>,
}

impl Batch {
    pub fn hist(&mut self, kind: &'static str, id: i64, action: &'static str, detail: String) {
        self.history.push((kind, id, action, detail));
    }
    pub fn audit(
        &mut self,
        action: AuditAction,
        kind: &'static str,
        id: i64,
        scope: &str,
        detail: String,
    ) {
        self.audit
            .push((action, kind, id.to_string(), scope.to_string(), detail));
    }
}

/// Everything a kind's importer works with.
pub(crate) struct Ctx<'a> {
    pub who: Importer<'a>,
    pub kind: SheetKind,
    pub cols: ColumnMap,
    /// The importer's read scope (computed once).
    pub scope: Scope,
    pub rep: ImportReport,
    pub now: i64,
    pub today: NaiveDate,
    pub batch: Batch,
}

impl Ctx<'_> {
    /// Whether a record at `path` is in the importer's scope and may be changed with
    /// `perm`.
    pub fn writable(&self, path: &str, perm: Permission) -> bool {
        self.scope.contains_path(path) && self.who.can_at(perm, path)
    }

    pub fn cell<'r>(&self, row: &'r DataRow, key: &str) -> Option<&'r Cell> {
        let (i, _) = self.cols.at.get(key)?;
        Some(row.cells.get(*i).unwrap_or(&Cell::Empty))
    }

    /// The trimmed text of a cell; `None` when the column is absent or the cell empty.
    pub fn text(&self, row: &DataRow, key: &str) -> Option<String> {
        let t = self.cell(row, key)?.text();
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// Records a fault in a cell (or in the row, when `key` is `None`).
    pub fn err(
        &mut self,
        row: &DataRow,
        key: Option<&str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let (column, letter, value) = match key {
            Some(k) => match self.cols.at.get(k) {
                Some((i, h)) => (
                    Some(h.clone()),
                    Some(sheet::col_letter(*i)),
                    row.cells.get(*i).map(Cell::text).unwrap_or_default(),
                ),
                None => (
                    sheet::columns(self.kind)
                        .iter()
                        .find(|c| c.key == k)
                        .map(|c| c.header.to_string()),
                    None,
                    String::new(),
                ),
            },
            None => (None, None, String::new()),
        };
        self.rep.push(ImportError {
            row: Some(row.excel_row),
            column,
            letter,
            value: value.trim().to_string(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    /// Faults a use case's validation found, each put on the column of its field.
    pub fn field_errors(
        &mut self,
        row: &DataRow,
        errs: ValidationErrors,
        field_key: &[(&str, &str)],
    ) {
        for e in errs.errors {
            let key = field_key
                .iter()
                .find(|(f, _)| *f == e.field)
                .map(|(_, k)| *k);
            self.err(row, key, e.message, "请按提示修改该单元格");
        }
    }

    /// A required cell: its text, or a fault.
    pub fn required(&mut self, row: &DataRow, key: &str) -> Option<String> {
        match self.text(row, key) {
            Some(t) => Some(t),
            None => {
                let header = self.header_of(key);
                self.err(
                    row,
                    Some(key),
                    format!("{header}不能为空"),
                    format!("请填写{header}"),
                );
                None
            }
        }
    }

    pub fn header_of(&self, key: &str) -> String {
        sheet::columns(self.kind)
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.header.to_string())
            .unwrap_or_else(|| key.to_string())
    }

    /// A date cell: a date-formatted cell, a serial number, `20230305`, or text in
    /// the forms `sheet::parse_date` reads (with `deadline`, also months). `None`
    /// when empty or wrong (then with a fault).
    pub fn date(&mut self, row: &DataRow, key: &str, deadline: bool) -> Option<NaiveDate> {
        let cell = self.cell(row, key)?.clone();
        let parsed = match &cell {
            Cell::Empty => return None,
            Cell::Date(d) => Ok(*d),
            Cell::Num(n) if (19_000_101.0..=99_991_231.0).contains(n) && n.fract() == 0.0 => {
                sheet::parse_date(&format!("{}", *n as i64))
            }
            Cell::Num(n) => sheet::date_from_serial(*n).ok_or_else(|| format!("数字 {n} 不是日期")),
            Cell::Text(t) if t.trim().is_empty() => return None,
            Cell::Text(t) if deadline => sheet::parse_deadline(t),
            Cell::Text(t) => sheet::parse_date(t),
            Cell::Bool(_) | Cell::Error(_) => Err(format!("“{}”不是日期", cell.text())),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(m) => {
                let fix = if deadline {
                    sheet::DEADLINE_HELP
                } else {
                    sheet::DATE_HELP
                };
                self.err(row, Some(key), m, fix);
                None
            }
        }
    }

    /// A whole number ≥ 0; `None` when empty or wrong (then with a fault).
    pub fn count(&mut self, row: &DataRow, key: &str) -> Option<i64> {
        let cell = self.cell(row, key)?.clone();
        let v = match &cell {
            Cell::Empty => return None,
            Cell::Num(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= 1e9 => Some(*n as i64),
            Cell::Text(t) if t.trim().is_empty() => return None,
            Cell::Text(t) => t
                .trim()
                .trim_end_matches('人')
                .trim()
                .chars()
                .map(sheet::fold_width)
                .collect::<String>()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0),
            _ => None,
        };
        if v.is_none() {
            self.err(
                row,
                Some(key),
                format!("{}应为不小于0的整数", self.header_of(key)),
                "请填写人数，如 12",
            );
        }
        v
    }

    /// The org a row names in column `key`, if it resolves, is open, and the importer
    /// holds `perm` there (`what`: what the row records, for the message).
    /// The org named in column `key`, resolved only: no check of its state or of the
    /// importer's rights there (for a reference that must merely stay what it is).
    pub fn org_ref(&mut self, row: &DataRow, key: &str, orgs: &refs::OrgIndex) -> Option<usize> {
        let text = self.required(row, key)?;
        match orgs.resolve(&text) {
            Ok(i) => Some(i),
            Err((m, f)) => {
                self.err(row, Some(key), m, f);
                None
            }
        }
    }

    pub fn org(
        &mut self,
        row: &DataRow,
        key: &str,
        orgs: &refs::OrgIndex,
        perm: Permission,
        what: &str,
    ) -> Option<usize> {
        let i = self.org_ref(row, key, orgs)?;
        let o = orgs.get(i);
        if o.closed {
            self.err(
                row,
                Some(key),
                format!("党组织“{}”已撤销", o.name),
                "请改填现有的党组织",
            );
            return None;
        }
        // an org added earlier in the same sheet has no path yet; its parent was checked
        if !o.path.is_empty() && !self.writable(&o.path, perm) {
            self.err(
                row,
                Some(key),
                format!("您无权为“{}”{what}", orgs.full_path(i)),
                "只能导入本级及下级组织的记录；请改填您管理范围内的党组织，或请上级组织导入",
            );
            return None;
        }
        Some(i)
    }

    /// A person named in column `key`, related to the org at `org_path`; `None` when
    /// the cell is empty or the name does not resolve (then with a fault).
    pub fn person(
        &mut self,
        row: &DataRow,
        key: &str,
        people: &refs::PeopleIndex,
        orgs: &refs::OrgIndex,
        org: usize,
    ) -> Result<Option<i64>, ()> {
        let Some(text) = self.text(row, key) else {
            return Ok(None);
        };
        let o = orgs.get(org);
        match people.resolve(&text, &o.path, &o.name, orgs) {
            Ok(id) => Ok(Some(id)),
            Err((m, f)) => {
                self.err(row, Some(key), m, f);
                Err(())
            }
        }
    }

    /// The texts of column `key` in all rows (names to look up at once).
    pub fn column_texts(&self, rows: &[DataRow], keys: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for r in rows {
            for k in keys {
                if let Some(t) = self.text(r, k) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The record code of a row, checked: well-formed and not used by an earlier row.
    /// `Ok(None)`: no code (a new record).
    pub fn code(&mut self, row: &DataRow, seen: &mut HashMap<i64, u32>) -> Result<Option<i64>, ()> {
        let Some(text) = self.text(row, sheet::CODE) else {
            return Ok(None);
        };
        match sheet::parse_code(self.kind, &text) {
            Ok(id) => {
                if let Some(first) = seen.get(&id) {
                    self.err(
                        row,
                        Some(sheet::CODE),
                        format!("编号 {} 与第 {first} 行重复", sheet::code_of(self.kind, id)),
                        "同一条记录在表中只能出现一次：请删去重复的行，新增的记录编号留空",
                    );
                    return Err(());
                }
                seen.insert(id, row.excel_row);
                Ok(Some(id))
            }
            Err(m) => {
                self.err(
                    row,
                    Some(sheet::CODE),
                    m,
                    "编号由系统生成：更新已有记录请保留导出时的编号，新增的记录编号留空",
                );
                Err(())
            }
        }
    }

    /// The fault for a code that names no record the importer may change.
    pub fn unknown_code(&mut self, row: &DataRow, id: i64) {
        let code = sheet::code_of(self.kind, id);
        self.err(
            row,
            Some(sheet::CODE),
            format!(
                "编号为 {code} 的{}不存在或不在您的管理范围内",
                self.kind.noun()
            ),
            "请核对编号；新增的记录编号留空",
        );
    }

    /// Writes the batched history lines and audit events, plus the import's own
    /// summary event.
    pub async fn flush(&mut self, c: &mut Conn) -> AppResult<()> {
        let actor_name = self.who.display_name();
        let lines: Vec<zeren_store::history::Entry<'_>> = self
            .batch
            .history
            .iter()
            .map(|(kind, id, action, detail)| zeren_store::history::Entry {
                kind,
                id: *id,
                at: self.now,
                actor_id: self.who.user_id(),
                actor_name: &actor_name,
                action,
                detail,
            })
            .collect();
        zeren_store::import::add_history(c, &lines).await?;
        let summary = format!(
            "{}《{}》：新增 {}，更新 {}，未变 {}{}",
            self.kind.label(),
            self.rep.file_name,
            self.rep.inserted,
            self.rep.updated,
            self.rep.unchanged,
            if self.rep.measures > 0 {
                format!("，整改措施 {}", self.rep.measures)
            } else {
                String::new()
            }
        );
        self.batch.audit.push((
            AuditAction::Import,
            "import",
            String::new(),
            String::new(),
            summary,
        ));
        append_audit(c, self.who, self.now, std::mem::take(&mut self.batch.audit)).await
    }
}

/// Appends events to the hash chain in one go: one lock, one look at the last hash,
/// ids reserved, hashes chained here, rows written many per statement.
async fn append_audit(
    c: &mut Conn,
    who: Importer<'_>,
    now: i64,
    events: Vec<(AuditAction, &'static str, String, String, String)>,
) -> AppResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    zeren_store::audit::lock_chain(c).await?;
    let mut prev = zeren_store::audit::last_hash(c).await?.unwrap_or_default();
    let ids = zeren_store::import::reserve_ids(c, "audit_events", events.len()).await?;
    let (actor_id, name, source) = (who.user_id(), who.audit_name(), who.source());
    let mut rows = Vec::with_capacity(events.len());
    for ((action, kind, object_id, scope, detail), id) in events.into_iter().zip(ids) {
        let mut r = AuditRow {
            id,
            at: now,
            actor_id,
            actor_name: name.clone(),
            action: action.as_str().to_string(),
            object_kind: kind.to_string(),
            object_id,
            scope,
            result: "ok".into(),
            source: source.clone(),
            detail,
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        r.hash = crate::audit::chain_hash(&prev, &r);
        prev = r.hash.clone();
        rows.push(r);
    }
    zeren_store::import::append_audit(c, rows).await?;
    Ok(())
}

impl App {
    /// Imports a sheet of `kind`. A file with faults, or a dry run, writes nothing
    /// and says so in the report; `Err` is kept for what is not the file's fault
    /// (no permission at all, the database failing).
    pub async fn import(
        &self,
        who: Importer<'_>,
        kind: SheetKind,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> AppResult<ImportReport> {
        let started = std::time::Instant::now();
        if let Importer::User(a) = who {
            if !may_import(a, kind) {
                return Err(AppError::Forbidden(format!(
                    "您没有导入{}的权限",
                    kind.label()
                )));
            }
        }
        let mut rep = ImportReport::new(kind, opts);
        // reading and parsing a large sheet takes seconds of CPU: off the async workers
        let (max_bytes, max_rows) = (self.cfg.import_max_bytes, self.cfg.import_max_rows);
        let owned = if bytes.len() <= max_bytes {
            bytes.to_vec()
        } else {
            Vec::new()
        };
        let size = bytes.len();
        let (rep_back, prepared) = tokio::task::spawn_blocking(move || {
            let p = prepare(kind, &owned, size, max_bytes, max_rows, &mut rep);
            (rep, p)
        })
        .await
        .map_err(|e| AppError::Io(format!("读取文件失败：{e}")))?;
        let rep = rep_back;
        let Some((cols, rows)) = prepared else {
            return self.rejected(who, rep, started).await;
        };
        let mut ctx = Ctx {
            who,
            kind,
            cols,
            scope: who.scope(),
            rep,
            now: clock::now(),
            today: clock::today(),
            batch: Batch::default(),
        };
        if opts.dry_run {
            let mut c = self.store.conn().await?;
            self.run_kind(&mut ctx, &mut c, &rows, false).await?;
            let mut rep = ctx.rep;
            rep.millis = started.elapsed().as_millis() as u64;
            return Ok(rep);
        }
        let mut tx = self.store.begin_write().await?;
        self.run_kind(&mut ctx, tx.conn(), &rows, true).await?;
        if !ctx.rep.ok() {
            drop(tx);
            return self.rejected(who, ctx.rep, started).await;
        }
        ctx.flush(tx.conn()).await?;
        tx.commit().await?;
        let mut rep = ctx.rep;
        rep.committed = true;
        rep.millis = started.elapsed().as_millis() as u64;
        Ok(rep)
    }

    async fn run_kind(
        &self,
        ctx: &mut Ctx<'_>,
        c: &mut Conn,
        rows: &[DataRow],
        write: bool,
    ) -> AppResult<()> {
        match ctx.kind {
            SheetKind::Problems => problems::run(ctx, c, rows, write).await,
            SheetKind::Tasks => tasks::run(ctx, c, rows, write).await,
            SheetKind::Activities => activities::run(ctx, c, rows, write).await,
            SheetKind::People => people::run(ctx, c, rows, write).await,
            SheetKind::Orgs => orgs::run(ctx, c, rows, write).await,
        }
    }

    /// A file with faults: nothing was written; the attempt is audited (a dry run
    /// is not: it is only a look).
    async fn rejected(
        &self,
        who: Importer<'_>,
        mut rep: ImportReport,
        started: std::time::Instant,
    ) -> AppResult<ImportReport> {
        rep.millis = started.elapsed().as_millis() as u64;
        if !rep.dry_run {
            let detail = format!(
                "{}《{}》：{} 处错误，未导入",
                rep.kind_label, rep.file_name, rep.error_count
            );
            self.audit_alone(
                who.user_id(),
                &who.audit_name(),
                &who.source(),
                Event::ok(AuditAction::Import, "import", "", "")
                    .detail(detail)
                    .failed(),
            )
            .await?;
        }
        Ok(rep)
    }
}

/// Reads the file, finds the header row and the data rows; faults of the file as
/// a whole go into the report (then `None`).
fn prepare(
    kind: SheetKind,
    bytes: &[u8],
    size: usize,
    max_bytes: usize,
    max_rows: usize,
    rep: &mut ImportReport,
) -> Option<(ColumnMap, Vec<DataRow>)> {
    if size > max_bytes {
        rep.file_error(
            format!(
                "文件大小 {:.1} MB，超过导入上限 {:.0} MB",
                size as f64 / 1_048_576.0,
                max_bytes as f64 / 1_048_576.0
            ),
            format!(
                "请把表格拆成几个文件分别导入（每个不超过 {:.0} MB、{max_rows} 行），或删去图片等无关内容",
                max_bytes as f64 / 1_048_576.0
            ),
        );
        return None;
    }
    if bytes.is_empty() {
        rep.file_error("文件是空的", "请选择要导入的 Excel 文件（.xlsx 或 .xls）");
        return None;
    }
    let grid = match read::read(bytes, max_rows, |g| header_row(kind, g).is_some()) {
        Ok(g) => g,
        Err(e) => {
            let (m, f) = match e {
                ReadError::NotExcel => (
                    "这不是 Excel 文件".to_string(),
                    "请上传 .xlsx 或 .xls 文件；CSV、WPS 等格式请先用 Excel 或 WPS 另存为 .xlsx"
                        .to_string(),
                ),
                ReadError::Encrypted => (
                    "文件设有打开密码，无法读取".to_string(),
                    "请在 Excel 中取消密码保护后另存，再导入".to_string(),
                ),
                ReadError::Broken(why) => (
                    format!("文件已损坏或不是有效的 Excel 文件（{why}）"),
                    "请用 Excel 或 WPS 打开确认无误后另存为 .xlsx 再导入".to_string(),
                ),
                ReadError::TooManyRows { sheet, limit } => (
                    format!("工作表“{sheet}”超过 {limit} 行，超出导入上限"),
                    format!("请把表格拆成每个不超过 {limit} 行的几个文件分别导入"),
                ),
                ReadError::Empty => (
                    "文件中没有工作表".to_string(),
                    "请使用模板填写后再导入".to_string(),
                ),
            };
            rep.file_error(m, f);
            return None;
        }
    };
    rep.sheet = grid.sheet.clone();
    let Some(h) = header_row(kind, &grid) else {
        let first: Vec<String> = grid
            .rows
            .first()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .map(Cell::text)
                    .filter(|t| !t.trim().is_empty())
                    .take(12)
                    .collect()
            })
            .unwrap_or_default();
        let need: Vec<&str> = sheet::columns(kind)
            .iter()
            .filter(|c| c.required)
            .map(|c| c.header)
            .collect();
        rep.file_error(
            if grid.rows.is_empty() {
                format!("工作表“{}”是空的", grid.sheet)
            } else {
                format!(
                    "在前 {HEADER_SEARCH} 行中找不到{}的表头；第一行是：{}",
                    kind.label(),
                    if first.is_empty() {
                        "（空）".to_string()
                    } else {
                        first.join("、")
                    }
                )
            },
            format!(
                "表头须包含：{}。请下载{}模板，按模板的列填写",
                need.join("、"),
                kind.label()
            ),
        );
        return None;
    };
    let mut grid = grid;
    let (header_idx, header_cells) = (grid.rows[h].0, grid.rows[h].1.clone());
    rep.header_row = Some(header_idx + 1);
    let mut cols = ColumnMap::default();
    let mut ignored = Vec::new();
    for (i, cell) in header_cells.iter().enumerate() {
        let text = cell.text();
        if text.trim().is_empty() {
            continue;
        }
        match sheet::match_header(kind, &text) {
            Some(c) => {
                if let Some((j, other)) = cols.at.get(c.key) {
                    rep.push(ImportError {
                        row: Some(header_idx + 1),
                        column: Some(text.trim().to_string()),
                        letter: Some(sheet::col_letter(i)),
                        value: text.trim().to_string(),
                        message: format!(
                            "与 {} 列“{other}”是同一列（{}）",
                            sheet::col_letter(*j),
                            c.header
                        ),
                        fix: "请删去或改名其中一列".into(),
                    });
                } else {
                    cols.at.insert(c.key, (i, text.trim().to_string()));
                }
            }
            None => ignored.push(format!("{}（{} 列）", text.trim(), sheet::col_letter(i))),
        }
    }
    let missing: Vec<&Column> = sheet::columns(kind)
        .iter()
        .filter(|c| c.required && !cols.has(c.key))
        .collect();
    if !missing.is_empty() {
        let found: Vec<&str> = header_cells
            .iter()
            .filter_map(|c| match c {
                Cell::Text(t) if !t.trim().is_empty() => Some(t.trim()),
                _ => None,
            })
            .collect();
        rep.push(ImportError {
            row: Some(header_idx + 1),
            column: None,
            letter: None,
            value: String::new(),
            message: format!(
                "缺少必需的列：{}；表头中找到的是：{}",
                missing
                    .iter()
                    .map(|c| c.header)
                    .collect::<Vec<_>>()
                    .join("、"),
                found.join("、")
            ),
            fix: format!(
                "请在第 {} 行表头中加上这些列（列名可用：{}）",
                header_idx + 1,
                missing
                    .iter()
                    .map(|c| {
                        let mut names = vec![c.header];
                        names.extend(c.synonyms.iter().take(3));
                        names.join("/")
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        });
    }
    if !ignored.is_empty() {
        rep.notes.push(format!(
            "以下列不属于{}，已忽略：{}",
            kind.label(),
            ignored.join("、")
        ));
    }
    // merged cells in the data area hide which row a value belongs to
    for m in &grid.merged {
        if m.end.0 > header_idx {
            let across = m.end.0 > m.start.0;
            rep.push(ImportError {
                row: Some(m.start.0.max(header_idx + 1) + 1),
                column: None,
                letter: Some(sheet::col_letter(m.start.1 as usize)),
                value: read::range_ref(m),
                message: if across {
                    format!(
                        "合并单元格 {} 跨越多行，无法确定每一行的值",
                        read::range_ref(m)
                    )
                } else {
                    format!("合并单元格 {}：数据区不能有合并单元格", read::range_ref(m))
                },
                fix: "请选中该区域取消合并，并在每一行都填上完整内容后再导入".into(),
            });
        }
    }
    let data: Vec<DataRow> = std::mem::take(&mut grid.rows)
        .into_iter()
        .skip(h + 1)
        .filter(|(_, cells)| {
            cols.at
                .values()
                .any(|(i, _)| cells.get(*i).is_some_and(|c| !c.is_blank()))
        })
        .map(|(r, cells)| DataRow {
            excel_row: r + 1,
            cells,
        })
        .collect();
    rep.rows = data.len();
    if data.len() > max_rows {
        rep.file_error(
            format!("数据有 {} 行，超过导入上限 {max_rows} 行", data.len()),
            format!("请把表格拆成每个不超过 {max_rows} 行的几个文件分别导入"),
        );
    }
    if data.is_empty() && rep.ok() {
        rep.file_error(
            format!("表头（第 {} 行）下面没有数据", header_idx + 1),
            "请从表头的下一行起每行填写一条记录",
        );
    }
    if rep.ok() {
        Some((cols, data))
    } else {
        None
    }
}
