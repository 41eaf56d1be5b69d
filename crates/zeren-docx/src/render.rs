//! From the model to a .docx: paragraphs and tables through docx-rs, then the parts it cannot
//! write (see `parts`).

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, FooterReference,
    HeightRule, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin,
    PageOrientationType, PageSize, Paragraph, Run as DRun, RunFonts, SectionProperty,
    SpecialIndentType, Table as DTable, TableAlignmentType, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::format::*;
use crate::model::*;
use crate::{parts, Error};

/// Renders the document as .docx bytes.
pub fn render(doc: &OfficialDoc) -> Result<Vec<u8>, Error> {
    validate(doc)?;
    let mut b = Builder::new(doc.orientation);
    b.front_matter(doc);
    for block in &doc.blocks {
        b.block(block);
    }
    b.attachment_list(&doc.attachments);
    if let Some(sig) = &doc.signature {
        b.signature(sig);
    }
    let numbered = doc.attachments.len() > 1;
    for (i, a) in doc.attachments.iter().enumerate() {
        b.attachment(a, numbered.then_some(i + 1));
    }
    b.finish()
}

fn validate(doc: &OfficialDoc) -> Result<(), Error> {
    if doc.title.trim().is_empty() {
        return Err(Error::Invalid("公文标题不能为空".into()));
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        if a.title.trim().is_empty() {
            return Err(Error::Invalid(format!("附件{}没有标题", i + 1)));
        }
    }
    let mut table_no = 0;
    let all_blocks = doc
        .blocks
        .iter()
        .chain(doc.attachments.iter().flat_map(|a| &a.blocks));
    for block in all_blocks {
        match block {
            Block::Table(t) => {
                table_no += 1;
                if t.headers.is_empty() {
                    return Err(Error::Invalid(format!("第{table_no}个表格没有表头")));
                }
                if !t.widths.is_empty() && t.widths.len() != t.headers.len() {
                    return Err(Error::Invalid(format!(
                        "第{table_no}个表格有{}列，却给了{}个列宽",
                        t.headers.len(),
                        t.widths.len()
                    )));
                }
                if !t.widths.is_empty() && t.widths.iter().all(|w| *w == 0) {
                    return Err(Error::Invalid(format!("第{table_no}个表格的列宽全为0")));
                }
                for (i, row) in t.rows.iter().enumerate() {
                    if row.len() != t.headers.len() {
                        return Err(Error::Invalid(format!(
                            "第{table_no}个表格第{}行有{}列，表头有{}列",
                            i + 1,
                            row.len(),
                            t.headers.len()
                        )));
                    }
                }
            }
            Block::Form(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    if row.cells.is_empty() || row.cells.len() > 2 {
                        return Err(Error::Invalid(format!(
                            "表单第{}行应有1或2组“名称—内容”，实有{}组",
                            i + 1,
                            row.cells.len()
                        )));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// What goes into the body: docx-rs keeps paragraphs and tables in separate methods.
enum Piece {
    Para(Box<Paragraph>),
    Table(Box<DTable>),
}

struct Segment {
    orientation: Orientation,
    pieces: Vec<Piece>,
}

struct Builder {
    segments: Vec<Segment>,
    /// One entry per table in document order: repeat its first row on each page?
    header_rows: Vec<bool>,
    page_break_pending: bool,
}

fn fonts(f: Font) -> RunFonts {
    // The hint makes Word take the east-Asian font for characters both scripts share
    // (“” ‘’ — …), so quotes and dashes are set full-width as Chinese text wants.
    RunFonts::new()
        .east_asia(f.name)
        .ascii(f.latin)
        .hi_ansi(f.latin)
        .cs(f.latin)
        .hint("eastAsia")
}

fn run(text: &str, font: Font, size: usize, bold: bool) -> DRun {
    let mut r = DRun::new().fonts(fonts(font)).size(size);
    if size == SIZE_3HAO {
        r = r.character_spacing(CHAR_SPACING);
    }
    if bold {
        r = r.bold();
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(xml_safe(line));
    }
    r
}

/// Text as XML 1.0 allows it: control characters (a vertical tab from a Word paste, a
/// carriage return from an Excel cell) would make the part unreadable to Word; a tab becomes
/// a space, the rest are dropped.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn exact(line: u32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(line as i32)
        .before(0)
        .after(0)
}

/// A paragraph on the body grid: 3号 line pitch, no space before or after.
fn grid_para() -> Paragraph {
    Paragraph::new()
        .line_spacing(exact(LINE_PITCH))
        .fonts(fonts(FANGSONG))
        .size(SIZE_3HAO)
}

/// A title line: one grid line high like the rest. Off the grid, because LibreOffice would
/// give a 2号 line (taller than one grid line with its leading) two grid lines.
fn title_para(line: &str) -> Paragraph {
    grid_para()
        .snap_to_grid(false)
        .align(AlignmentType::Center)
        .keep_next(true)
        .add_run(run(line, XIAOBIAOSONG, SIZE_2HAO, false))
}

fn first_line_indent(p: Paragraph, chars: u32) -> Paragraph {
    p.indent(
        None,
        Some(SpecialIndentType::FirstLine((chars * CHAR_TWIPS) as i32)),
        None,
        None,
    )
}

fn align(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Both,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// Display width in body characters: CJK and full-width forms take one, ASCII half, and
/// each change between the two a quarter more (Word and LibreOffice both space Chinese
/// from Western text and digits by default).
fn text_width_chars(s: &str) -> f64 {
    let mut width = 0.0;
    let mut prev: Option<bool> = None;
    for c in s.chars() {
        let ascii = c.is_ascii();
        width += if ascii { 0.5 } else { 1.0 };
        if prev.is_some_and(|p| p != ascii) {
            width += 0.25;
        }
        prev = Some(ascii);
    }
    width
}

impl Builder {
    fn new(base: Orientation) -> Builder {
        Builder {
            segments: vec![Segment {
                orientation: base,
                pieces: Vec::new(),
            }],
            header_rows: Vec::new(),
            page_break_pending: false,
        }
    }

    fn current(&mut self) -> &mut Segment {
        // `segments` starts with one and only ever grows.
        let last = self.segments.len() - 1;
        &mut self.segments[last]
    }

    fn orientation(&self) -> Orientation {
        self.segments
            .last()
            .map_or(Orientation::Portrait, |s| s.orientation)
    }

    fn text_width(&self) -> u32 {
        match self.orientation() {
            Orientation::Landscape => LANDSCAPE_TEXT_WIDTH,
            Orientation::Portrait => TEXT_WIDTH,
        }
    }

    fn para(&mut self, mut p: Paragraph) {
        if std::mem::take(&mut self.page_break_pending) {
            p = p.page_break_before(true);
        }
        self.current().pieces.push(Piece::Para(Box::new(p)));
    }

    fn table(&mut self, t: DTable, repeat_header: bool) {
        if std::mem::take(&mut self.page_break_pending) {
            self.current()
                .pieces
                .push(Piece::Para(Box::new(spacer().page_break_before(true))));
        }
        self.header_rows.push(repeat_header);
        self.current().pieces.push(Piece::Table(Box::new(t)));
    }

    /// Keeps the last paragraph so far on the page of what follows. The attachment list and
    /// the signature never stand on a page of their own (GB/T 9704 7.3.5.1 does not allow a
    /// page "此页无正文"), so the body's last paragraph goes with them.
    fn keep_last_with_next(&mut self) {
        if let Some(Piece::Para(p)) = self.current().pieces.last_mut() {
            let kept = std::mem::take(p.as_mut()).keep_next(true);
            **p = kept;
        }
    }

    fn start_segment(&mut self, orientation: Orientation) {
        if self.current().pieces.is_empty() {
            self.current().orientation = orientation;
        } else {
            self.segments.push(Segment {
                orientation,
                pieces: Vec::new(),
            });
        }
        // A section break starts a new page anyway.
        self.page_break_pending = false;
    }

    fn front_matter(&mut self, doc: &OfficialDoc) {
        for line in doc.title.trim().split('\n') {
            self.para(title_para(line.trim()));
        }
        if let Some(sub) = &doc.subtitle {
            let p = grid_para()
                .align(AlignmentType::Center)
                .keep_next(true)
                .add_run(run(sub, KAITI, SIZE_3HAO, false));
            self.para(p);
        }
        // 标题下空一行 (GB/T 9704 7.3.2/7.3.3).
        self.para(grid_para());
        if let Some(to) = &doc.addressee {
            let p = grid_para()
                .align(AlignmentType::Both)
                .add_run(run(to, FANGSONG, SIZE_3HAO, false));
            self.para(p);
        }
    }

    fn heading(&mut self, text: &str, font: Font, bold: bool, level: usize) {
        let p = first_line_indent(grid_para(), 2)
            .align(AlignmentType::Both)
            .keep_next(true)
            .outline_lvl(level)
            .add_run(run(text, font, SIZE_3HAO, bold));
        self.para(p);
    }

    fn runs(mut p: Paragraph, runs: &[Run]) -> Paragraph {
        for r in runs {
            p = match r {
                Run::Text(t) => p.add_run(run(t, FANGSONG, SIZE_3HAO, false)),
                Run::Strong(t) => p.add_run(run(t, FANGSONG, SIZE_3HAO, true)),
            };
        }
        p
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading1(t) => self.heading(t, HEITI, false, 0),
            Block::Heading2(t) => self.heading(t, KAITI, false, 1),
            Block::Heading3(t) => self.heading(t, FANGSONG, true, 2),
            Block::Paragraph(runs) => {
                let p = first_line_indent(grid_para(), 2).align(AlignmentType::Both);
                self.para(Self::runs(p, runs));
            }
            Block::Plain { runs, align: a } => {
                let p = grid_para().align(align(*a));
                self.para(Self::runs(p, runs));
            }
            Block::BlankLine => self.para(grid_para()),
            Block::PageBreak => self.page_break_pending = true,
            Block::Table(t) => {
                let own_pages = t.landscape && self.orientation() == Orientation::Portrait;
                if own_pages {
                    self.start_segment(Orientation::Landscape);
                }
                if let Some(title) = &t.title {
                    let p = grid_para()
                        .align(AlignmentType::Center)
                        .keep_next(true)
                        .add_run(run(title, HEITI, SIZE_3HAO, false));
                    self.para(p);
                }
                let table = self.ledger_table(t);
                self.table(table, true);
                if own_pages {
                    self.start_segment(Orientation::Portrait);
                }
            }
            Block::Form(rows) => {
                let table = self.form_table(rows);
                self.table(table, false);
            }
        }
    }

    /// 附件说明 (GB/T 9704 7.3.4): under the body after one blank line, "附件：" two
    /// characters in; several attachments are numbered "1." "2." one a line, and a wrapped
    /// name lines up with the first character of the name above.
    fn attachment_list(&mut self, attachments: &[Attachment]) {
        if attachments.is_empty() {
            return;
        }
        self.keep_last_with_next();
        self.para(grid_para().keep_next(true));
        let numbered = attachments.len() > 1;
        let chars = |c: f64| (c * f64::from(CHAR_TWIPS)).round() as i32;
        for (i, a) in attachments.iter().enumerate() {
            let label = if numbered {
                format!("{}.", i + 1)
            } else {
                String::new()
            };
            // Text starts after "附件：" (3 characters, 2 in) and the number.
            let left = 5.0 + text_width_chars(&label);
            let (text, hanging) = if i == 0 {
                (format!("附件：{label}{}", a.title), left - 2.0)
            } else {
                (format!("{label}{}", a.title), text_width_chars(&label))
            };
            let p = grid_para()
                .align(AlignmentType::Both)
                .indent(
                    Some(chars(left)),
                    Some(SpecialIndentType::Hanging(chars(hanging))),
                    None,
                    None,
                )
                .keep_next(true)
                .add_run(run(&text, FANGSONG, SIZE_3HAO, false));
            self.para(p);
        }
    }

    /// An attachment on its own pages (GB/T 9704 7.3.7): "附件" or "附件N" in 3号黑体 at the
    /// top left, the title in 2号小标宋 centred on the third line, one blank line, the blocks.
    fn attachment(&mut self, a: &Attachment, number: Option<usize>) {
        let landscape = a.landscape && self.orientation() == Orientation::Portrait;
        let back_to = self.orientation();
        if landscape {
            self.start_segment(Orientation::Landscape);
        } else {
            self.page_break_pending = true;
        }
        let label = number.map_or("附件".to_string(), |n| format!("附件{n}"));
        self.para(
            grid_para()
                .align(AlignmentType::Left)
                .keep_next(true)
                .add_run(run(&label, HEITI, SIZE_3HAO, false)),
        );
        self.para(grid_para().keep_next(true));
        for line in a.title.trim().split('\n') {
            self.para(title_para(line.trim()));
        }
        self.para(grid_para().keep_next(true));
        for block in &a.blocks {
            self.block(block);
        }
        if landscape {
            self.start_segment(back_to);
        }
    }

    /// 发文机关署名 and 成文日期 for a document without a seal (GB/T 9704 7.3.5.2): one blank
    /// line under the body, the organisation two characters from the right, the date on the
    /// next line starting two characters right of the organisation's first character; when
    /// the date is the longer, the date keeps two characters from the right and the
    /// organisation moves left instead.
    fn signature(&mut self, sig: &Signature) {
        let org_w = text_width_chars(&sig.org);
        let date_w = text_width_chars(&sig.date);
        let (org_right, date_right) = if org_w - 2.0 >= date_w {
            (2.0, org_w - date_w)
        } else {
            (4.0 + date_w - org_w, 2.0)
        };
        let twips = |chars: f64| (chars * f64::from(CHAR_TWIPS)).round() as i32;
        self.keep_last_with_next();
        self.para(grid_para().keep_next(true));
        for (text, right) in [(&sig.org, org_right), (&sig.date, date_right)] {
            let p = grid_para()
                .align(AlignmentType::Right)
                .indent(None, None, Some(twips(right)), None)
                .keep_next(true)
                .add_run(run(text, FANGSONG, SIZE_3HAO, false));
            self.para(p);
        }
    }

    fn ledger_table(&self, t: &Table) -> DTable {
        let widths = column_widths(t, self.text_width());
        let centred: Vec<bool> = (0..t.headers.len())
            .map(|c| {
                // 序号, dates, names and progress read best centred; prose columns justified.
                t.headers[c].contains("序号")
                    || t.rows
                        .iter()
                        .all(|r| text_width_chars(&r[c]) <= 8.0 && !r[c].contains('\n'))
            })
            .collect();
        let cell = |text: &str, width: usize, font: Font, centre: bool| {
            let mut c = TableCell::new()
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            for line in text.split('\n') {
                c = c.add_paragraph(
                    Paragraph::new()
                        .snap_to_grid(false)
                        .line_spacing(exact(TABLE_LINE))
                        .align(if centre {
                            AlignmentType::Center
                        } else {
                            AlignmentType::Both
                        })
                        .add_run(run(line, font, SIZE_XIAOSI, false)),
                );
            }
            c
        };
        let header = TableRow::new(
            t.headers
                .iter()
                .zip(&widths)
                .map(|(h, w)| cell(h, *w, HEITI, true))
                .collect(),
        )
        .cant_split()
        .row_height(TABLE_HEADER_HEIGHT)
        .height_rule(HeightRule::AtLeast);
        let mut rows = vec![header];
        for r in &t.rows {
            rows.push(
                TableRow::new(
                    r.iter()
                        .zip(&widths)
                        .zip(&centred)
                        .map(|((v, w), c)| cell(v, *w, FANGSONG, *c))
                        .collect(),
                )
                .cant_split(),
            );
        }
        DTable::new(rows)
            .set_grid(widths.clone())
            .width(widths.iter().sum(), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
            .set_borders(borders())
    }

    fn form_table(&self, rows: &[FormRow]) -> DTable {
        let width = self.text_width() as usize;
        // Label columns fit four 4号 characters plus cell margins.
        let label = 4 * 280 + 2 * 108 + 60;
        let value2 = (width - 2 * label) / 2;
        let value1 = width - 2 * label - value2;
        let grid = vec![label, value1, label, value2];
        let para = |text: &str, font: Font, centre: bool| {
            Paragraph::new()
                .snap_to_grid(false)
                .line_spacing(exact(FORM_LINE))
                .align(if centre {
                    AlignmentType::Center
                } else {
                    AlignmentType::Both
                })
                .add_run(run(text, font, SIZE_4HAO, false))
        };
        // Labels are centred; values too, unless the row leaves room to write in, where they
        // start at the top.
        let cell = |text: &str, font: Font, centre: bool, top: bool, w: usize, span: usize| {
            let mut c = TableCell::new()
                .width(w, WidthType::Dxa)
                .vertical_align(if top {
                    VAlignType::Top
                } else {
                    VAlignType::Center
                });
            if span > 1 {
                c = c.grid_span(span);
            }
            for line in text.split('\n') {
                c = c.add_paragraph(para(line, font, centre));
            }
            c
        };
        let mut out = Vec::new();
        for row in rows {
            let lines = row.min_lines.max(1);
            let top = lines > 1;
            let cells = match row.cells.as_slice() {
                [one] => vec![
                    cell(&one.label, HEITI, true, false, label, 1),
                    cell(&one.value, FANGSONG, false, top, value1 + label + value2, 3),
                ],
                _ => row
                    .cells
                    .iter()
                    .zip([value1, value2])
                    .flat_map(|(c, vw)| {
                        [
                            cell(&c.label, HEITI, true, false, label, 1),
                            cell(&c.value, FANGSONG, false, top, vw, 1),
                        ]
                    })
                    .collect(),
            };
            out.push(
                TableRow::new(cells)
                    .row_height((lines * FORM_LINE + 2 * 60) as f32)
                    .height_rule(HeightRule::AtLeast),
            );
        }
        DTable::new(out)
            .set_grid(grid)
            .width(width, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
            .set_borders(borders())
    }

    fn finish(self) -> Result<Vec<u8>, Error> {
        let mut segments: Vec<Segment> = self
            .segments
            .into_iter()
            .filter(|s| !s.pieces.is_empty())
            .collect();
        // The footers are registered once, on the document's last section, and every other
        // section refers to the same two parts. (docx-rs's own `Section` keeps only the first
        // footer kind it is given, so a section built with it would lose its even pages'
        // numbers.)
        let mut docx = Docx::new()
            .default_fonts(fonts(FANGSONG))
            .default_size(SIZE_3HAO)
            .default_spacing(CHAR_SPACING)
            .footer(odd_footer())
            .even_footer(even_footer());
        let sp = &docx.document.section_property;
        let odd_id = sp.footer_reference.as_ref().map(|r| r.id.clone());
        let even_id = sp.even_footer_reference.as_ref().map(|r| r.id.clone());
        let (Some(odd_id), Some(even_id)) = (odd_id, even_id) else {
            return Err(Error::Internal("footers were not registered".into()));
        };
        let last = segments.pop();
        for seg in segments {
            let (size, margin, grid) = page_setup(seg.orientation);
            let mut props = SectionProperty::new()
                .page_size(size)
                .page_margin(margin)
                .doc_grid(grid);
            props.footer_reference = Some(FooterReference::new("default", &odd_id));
            props.even_footer_reference = Some(FooterReference::new("even", &even_id));
            let mut pieces = seg.pieces;
            // A section ends with the paragraph that carries its properties.
            let carrier = match pieces.pop() {
                Some(Piece::Para(p)) => *p,
                Some(t @ Piece::Table(_)) => {
                    pieces.push(t);
                    spacer()
                }
                None => spacer(),
            };
            pieces.push(Piece::Para(Box::new(carrier.section_property(props))));
            docx = add_pieces(docx, pieces);
        }
        if let Some(seg) = last {
            let (size, margin, grid) = page_setup(seg.orientation);
            docx = docx.page_margin(margin);
            docx.document = docx.document.page_size(size).doc_grid(grid);
            let ends_with_table = matches!(seg.pieces.last(), Some(Piece::Table(_)));
            docx = add_pieces(docx, seg.pieces);
            if ends_with_table {
                // Word wants a paragraph between the last table and the section properties.
                docx = docx.add_paragraph(spacer());
            }
        }
        let mut xml = docx.build();
        xml.font_table = parts::font_table();
        xml.settings = parts::settings(true);
        xml.document = parts::patch_document(xml.document, &self.header_rows)?;
        xml.styles = parts::canonical_order(&xml.styles)?;
        for footer in &mut xml.footers {
            *footer = parts::canonical_order(footer)?;
        }
        let mut out = std::io::Cursor::new(Vec::new());
        xml.pack(&mut out)
            .map_err(|e| Error::Internal(format!("zip: {e}")))?;
        parts::deflate_package(&out.into_inner())
    }
}

fn add_pieces(mut docx: Docx, pieces: Vec<Piece>) -> Docx {
    for piece in pieces {
        docx = match piece {
            Piece::Para(p) => docx.add_paragraph(*p),
            Piece::Table(t) => docx.add_table(*t),
        };
    }
    docx
}

/// A 1 pt paragraph off the grid, where Word needs a paragraph but the page should not show
/// one (after a table).
fn spacer() -> Paragraph {
    Paragraph::new()
        .snap_to_grid(false)
        .line_spacing(exact(20))
        .size(2)
}

/// Line pitch inside ledger tables (小四 on 20 pt).
const TABLE_LINE: u32 = 400;
/// Line pitch inside forms (4号 on 24 pt).
const FORM_LINE: u32 = 480;
const TABLE_HEADER_HEIGHT: f32 = 567.0;

fn borders() -> TableBorders {
    let mut b = TableBorders::new();
    for pos in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        // Half-point lines (size is in eighths of a point).
        b = b.set(TableBorder::new(pos).size(4).color("000000"));
    }
    b
}

/// Column widths in twips summing to the text width: the given proportions, or, without
/// any, proportional to the widest cell of each column (header counted, capped so one long
/// column does not starve the others).
fn column_widths(t: &Table, text_width: u32) -> Vec<usize> {
    let weights: Vec<f64> = if t.widths.is_empty() {
        (0..t.headers.len())
            .map(|c| {
                let widest = t
                    .rows
                    .iter()
                    .flat_map(|r| r[c].split('\n'))
                    .chain(t.headers[c].split('\n'))
                    .map(text_width_chars)
                    .fold(0.0, f64::max);
                widest.clamp(2.0, 30.0)
            })
            .collect()
    } else {
        t.widths.iter().map(|w| f64::from(*w)).collect()
    };
    let total: f64 = weights.iter().sum();
    let mut widths: Vec<usize> = weights
        .iter()
        .map(|w| (w / total * f64::from(text_width)).floor() as usize)
        .collect();
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += text_width as usize - used;
    }
    widths
}

fn page_setup(o: Orientation) -> (PageSize, PageMargin, DocGrid) {
    let (w, h, top, bottom, left, right) = match o {
        Orientation::Portrait => (
            PAGE_WIDTH,
            PAGE_HEIGHT,
            MARGIN_TOP,
            MARGIN_BOTTOM,
            MARGIN_LEFT,
            MARGIN_RIGHT,
        ),
        Orientation::Landscape => (
            PAGE_HEIGHT,
            PAGE_WIDTH,
            LANDSCAPE_MARGIN_TOP,
            LANDSCAPE_MARGIN_BOTTOM,
            LANDSCAPE_MARGIN_LEFT,
            LANDSCAPE_MARGIN_RIGHT,
        ),
    };
    let mut size = PageSize::new().size(w, h);
    if o == Orientation::Landscape {
        size = size.orient(PageOrientationType::Landscape);
    }
    let margin = PageMargin {
        top: top as i32,
        bottom: bottom as i32,
        left: left as i32,
        right: right as i32,
        header: HEADER_DISTANCE as i32,
        footer: FOOTER_DISTANCE as i32,
        gutter: 0,
    };
    // A line grid only; see `CHAR_SPACING` for why there is no character grid.
    let grid = DocGrid::new()
        .grid_type(DocGridType::Lines)
        .line_pitch(LINE_PITCH as usize);
    (size, margin, grid)
}

/// "— 1 —": 4号 半角宋体 Arabic numerals with a 一字线 on each side (GB/T 9704 7.5).
fn page_number(align: AlignmentType, left: i32, right: i32) -> Paragraph {
    let font = SONGTI;
    let field = DRun::new()
        .fonts(fonts(font))
        .size(SIZE_4HAO)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Paragraph::new()
        .snap_to_grid(false)
        .align(align)
        .indent(Some(left), None, Some(right), None)
        .add_run(run("— ", font, SIZE_4HAO, false))
        .add_run(field)
        .add_run(run(" —", font, SIZE_4HAO, false))
}

/// Odd pages: right-aligned, one character (4号) in from the right edge of the type area.
fn odd_footer() -> Footer {
    Footer::new().add_paragraph(page_number(AlignmentType::Right, 0, 280))
}

/// Even pages: left-aligned, one character in from the left.
fn even_footer() -> Footer {
    Footer::new().add_paragraph(page_number(AlignmentType::Left, 280, 0))
}
