//! The numbers of GB/T 9704-2012 in Word's units.
//!
//! Word measures pages in twips (1/1440 inch, so 1 mm = 56.69 twips) and font sizes in
//! half-points. The standard gives millimetres and Chinese font sizes (字号).

/// A4, 210 mm × 297 mm.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;

/// 天头 37 mm (GB/T 9704 5.2.1: 上白边 37 mm ± 1 mm).
pub const MARGIN_TOP: u32 = 2098;
/// 35 mm: what is left of 297 mm under the 225 mm type area.
pub const MARGIN_BOTTOM: u32 = 1984;
/// 订口 28 mm ± 1 mm.
pub const MARGIN_LEFT: u32 = 1587;
/// 26 mm: 210 mm less 28 mm and the 156 mm type area.
pub const MARGIN_RIGHT: u32 = 1474;
/// Not used for content (公文 have no running header) but Word wants a value.
pub const HEADER_DISTANCE: u32 = 851;
/// From the page's bottom edge to the bottom of the page-number line. The standard puts the
/// top of the page number 7 mm under the type area, i.e. 28 mm above the edge; a 4号 line is
/// about 6 mm tall, so its bottom sits about 22 mm above the edge.
pub const FOOTER_DISTANCE: u32 = 1247;

/// Landscape pages (wide ledgers): the long edges keep the portrait top and bottom
/// margins, so a landscape page bound with the portrait ones lines up.
pub const LANDSCAPE_MARGIN_TOP: u32 = 1587;
pub const LANDSCAPE_MARGIN_BOTTOM: u32 = 1984;
pub const LANDSCAPE_MARGIN_LEFT: u32 = 2098;
pub const LANDSCAPE_MARGIN_RIGHT: u32 = 1984;

/// Type area (版心) width, 156 mm.
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
pub const TEXT_HEIGHT: u32 = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
pub const LANDSCAPE_TEXT_WIDTH: u32 = PAGE_HEIGHT - LANDSCAPE_MARGIN_LEFT - LANDSCAPE_MARGIN_RIGHT;

/// "一般每面排22行，每行排28个字" (GB/T 9704 5.2.2).
pub const LINES_PER_PAGE: u32 = 22;
pub const CHARS_PER_LINE: u32 = 28;

/// The line pitch: 225 mm / 22 lines = 28.95 pt = 579 twips, the value real 公文 templates use.
pub const LINE_PITCH: u32 = 579;

/// Half-points of the Chinese font sizes used.
pub const SIZE_2HAO: usize = 44; // 22 pt, title
pub const SIZE_3HAO: usize = 32; // 16 pt, body and headings
pub const SIZE_4HAO: usize = 28; // 14 pt, page numbers and forms
pub const SIZE_XIAOSI: usize = 24; // 12 pt, ledger tables

/// Character spacing of body text, in twentieths of a point: 3号 characters are 16 pt wide,
/// and 28 of them (448 pt) do not fit the 156 mm (442.2 pt) line; tightened by 0.25 pt each
/// they take 441 pt.
///
/// Real 公文 templates get the 28 characters from a character grid instead
/// (`w:docGrid w:type="linesAndChars" w:charSpace="-842"`), which Word honours by squeezing
/// each character into its 15.8 pt cell. LibreOffice does not squeeze: it gives every 16 pt
/// character two cells, which spreads 13 to 16 characters over a line (seen in its PDF
/// export). Character spacing means the same thing to Word, WPS and LibreOffice, so the
/// document has a line grid only and the spacing on its runs.
pub const CHAR_SPACING: i32 = -5;

/// The width of one body character, in twips: 16 pt less the spacing.
pub const CHAR_TWIPS: u32 = (SIZE_3HAO as i32 * 10 + CHAR_SPACING) as u32;

// 22 lines of 28 characters a page, checked when the crate is compiled.
const _: () = assert!(TEXT_HEIGHT / LINE_PITCH == LINES_PER_PAGE);
const _: () = assert!(CHARS_PER_LINE * CHAR_TWIPS <= TEXT_WIDTH);
const _: () = assert!((CHARS_PER_LINE + 1) * CHAR_TWIPS > TEXT_WIDTH);
// Without the spacing only 27 would fit.
const _: () = assert!(CHARS_PER_LINE * SIZE_3HAO as u32 * 10 > TEXT_WIDTH);

/// The fonts of GB/T 9704 and the ones Word and LibreOffice fall back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Font {
    /// The font named in the document.
    pub name: &'static str,
    /// Its stand-in where it is not installed (written as `w:altName` in the font table).
    pub fallback: &'static str,
    /// The font for Latin letters and Arabic numerals in the same run.
    pub latin: &'static str,
}

/// 方正小标宋简体 for titles; Windows ships 宋体, not 小标宋.
pub const XIAOBIAOSONG: Font = Font {
    name: "方正小标宋简体",
    fallback: "宋体",
    latin: "方正小标宋简体",
};
/// 仿宋_GB2312 for the body; newer Windows ships only 仿宋.
pub const FANGSONG: Font = Font {
    name: "仿宋_GB2312",
    fallback: "仿宋",
    latin: "Times New Roman",
};
pub const KAITI: Font = Font {
    name: "楷体_GB2312",
    fallback: "楷体",
    latin: "Times New Roman",
};
pub const HEITI: Font = Font {
    name: "黑体",
    fallback: "SimHei",
    latin: "黑体",
};
/// Page numbers: "4号半角宋体阿拉伯数字".
pub const SONGTI: Font = Font {
    name: "宋体",
    fallback: "SimSun",
    latin: "宋体",
};

pub const ALL_FONTS: [Font; 5] = [XIAOBIAOSONG, FANGSONG, KAITI, HEITI, SONGTI];

#[cfg(test)]
mod tests {
    use super::*;

    fn mm(twips: u32) -> f64 {
        f64::from(twips) * 25.4 / 1440.0
    }

    #[test]
    fn margins_are_the_standard_millimetres() {
        for (twips, want) in [
            (MARGIN_TOP, 37.0),
            (MARGIN_BOTTOM, 35.0),
            (MARGIN_LEFT, 28.0),
            (MARGIN_RIGHT, 26.0),
            (PAGE_WIDTH, 210.0),
            (PAGE_HEIGHT, 297.0),
            (TEXT_WIDTH, 156.0),
            (TEXT_HEIGHT, 225.0),
        ] {
            assert!(
                (mm(twips) - want).abs() < 0.05,
                "{twips} twips = {} mm, want {want}",
                mm(twips)
            );
        }
    }
}
