//! Package parts written here instead of by docx-rs, and the few edits made to the
//! document part docx-rs produces.
//!
//! docx-rs 0.4 cannot express three things 公文 need:
//! - its font table is fixed (Times New Roman, Symbol, Arial), so the Chinese fonts and their
//!   fallbacks (`w:altName`) cannot be declared: the whole `word/fontTable.xml` is written here;
//! - its settings part has no way to say "compress punctuation" (标点挤压, how Chinese text is
//!   set) and writes its children out of schema order: `word/settings.xml` is written here;
//! - its table rows have no "repeat as header row" (`w:tblHeader`): added to
//!   `word/document.xml` after the fact;
//! - it writes the children of property elements (`w:rPr`, `w:pPr`, `w:sectPr`, …) in its own
//!   order, not the schema's; Word drops or "repairs" such properties. Every part it writes
//!   that we ship is put in schema order ([`canonical_order`]).

use crate::format::{Font, ALL_FONTS};
use crate::Error;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn xml_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `word/fontTable.xml` declaring every font the renderer names. Word substitutes a missing
/// font by the `w:altName` of its entry (and by charset and family); LibreOffice asks
/// fontconfig, which maps by language, so CJK text still lands on a CJK font there.
pub(crate) fn font_table() -> Vec<u8> {
    let mut s = String::new();
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    s.push_str(&format!(
        r#"<w:fonts xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
    ));
    let mut named: Vec<(&str, Option<&str>, bool)> = Vec::new();
    for Font {
        name,
        fallback,
        latin,
    } in ALL_FONTS
    {
        named.push((name, Some(fallback), true));
        named.push((fallback, None, true));
        named.push((latin, None, latin != "Times New Roman"));
    }
    let mut seen = std::collections::HashSet::new();
    for (name, alt, cjk) in named {
        if !seen.insert(name) {
            continue;
        }
        s.push_str(&format!(r#"<w:font w:name="{}">"#, xml_attr(name)));
        if let Some(alt) = alt {
            s.push_str(&format!(r#"<w:altName w:val="{}"/>"#, xml_attr(alt)));
        }
        if cjk {
            // 86 = GB2312: tells Word the font covers simplified Chinese.
            s.push_str(
                r#"<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/>"#,
            );
        } else {
            s.push_str(
                r#"<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>"#,
            );
        }
        s.push_str("</w:font>");
    }
    s.push_str("</w:fonts>");
    s.into_bytes()
}

/// `word/settings.xml`, children in schema order.
pub(crate) fn settings(even_and_odd_footers: bool) -> Vec<u8> {
    let mut s = String::new();
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    s.push_str(&format!(r#"<w:settings xmlns:w="{W_NS}">"#));
    s.push_str(r#"<w:zoom w:percent="100"/>"#);
    s.push_str(r#"<w:defaultTabStop w:val="420"/>"#);
    if even_and_odd_footers {
        // GB/T 9704 7.5: odd page numbers on the right, even ones on the left.
        s.push_str("<w:evenAndOddHeaders/>");
    }
    s.push_str(r#"<w:characterSpacingControl w:val="compressPunctuation"/>"#);
    s.push_str("<w:compat><w:useFELayout/>");
    s.push_str(r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#);
    s.push_str("</w:compat>");
    s.push_str("</w:settings>");
    s.into_bytes()
}

/// The schema sequence of each property container docx-rs writes, by element name without
/// the `w:` prefix. Names on one rank may come in any order among themselves.
fn property_order(container: &str) -> Option<&'static [&'static [&'static str]]> {
    Some(match container {
        // CT_PPr (ECMA-376 17.3.1.26).
        "pPr" => &[
            &["pStyle"],
            &["keepNext"],
            &["keepLines"],
            &["pageBreakBefore"],
            &["framePr"],
            &["widowControl"],
            &["numPr"],
            &["suppressLineNumbers"],
            &["pBdr"],
            &["shd"],
            &["tabs"],
            &["suppressAutoHyphens"],
            &["kinsoku"],
            &["wordWrap"],
            &["overflowPunct"],
            &["topLinePunct"],
            &["autoSpaceDE"],
            &["autoSpaceDN"],
            &["bidi"],
            &["adjustRightInd"],
            &["snapToGrid"],
            &["spacing"],
            &["ind"],
            &["contextualSpacing"],
            &["mirrorIndents"],
            &["suppressOverlap"],
            &["jc"],
            &["textDirection"],
            &["textAlignment"],
            &["textboxTightWrap"],
            &["outlineLvl"],
            &["divId"],
            &["cnfStyle"],
            &["rPr"],
            &["sectPr"],
            &["pPrChange"],
        ],
        // CT_RPr / CT_ParaRPr (17.3.2.28, 17.3.1.29): revision marks first, then EG_RPrBase.
        "rPr" => &[
            &["ins"],
            &["del"],
            &["moveFrom"],
            &["moveTo"],
            &["rStyle"],
            &["rFonts"],
            &["b"],
            &["bCs"],
            &["i"],
            &["iCs"],
            &["caps"],
            &["smallCaps"],
            &["strike"],
            &["dstrike"],
            &["outline"],
            &["shadow"],
            &["emboss"],
            &["imprint"],
            &["noProof"],
            &["snapToGrid"],
            &["vanish"],
            &["webHidden"],
            &["color"],
            &["spacing"],
            &["w"],
            &["kern"],
            &["position"],
            &["sz"],
            &["szCs"],
            &["highlight"],
            &["u"],
            &["effect"],
            &["bdr"],
            &["shd"],
            &["fitText"],
            &["vertAlign"],
            &["rtl"],
            &["cs"],
            &["em"],
            &["lang"],
            &["eastAsianLayout"],
            &["specVanish"],
            &["oMath"],
            &["rPrChange"],
        ],
        // CT_SectPr (17.6.17).
        "sectPr" => &[
            &["headerReference", "footerReference"],
            &["footnotePr"],
            &["endnotePr"],
            &["type"],
            &["pgSz"],
            &["pgMar"],
            &["paperSrc"],
            &["pgBorders"],
            &["lnNumType"],
            &["pgNumType"],
            &["cols"],
            &["formProt"],
            &["vAlign"],
            &["noEndnote"],
            &["titlePg"],
            &["textDirection"],
            &["bidi"],
            &["rtlGutter"],
            &["docGrid"],
            &["printerSettings"],
            &["sectPrChange"],
        ],
        // CT_TblPr (17.4.60).
        "tblPr" => &[
            &["tblStyle"],
            &["tblpPr"],
            &["tblOverlap"],
            &["bidiVisual"],
            &["tblStyleRowBandSize"],
            &["tblStyleColBandSize"],
            &["tblW"],
            &["jc"],
            &["tblCellSpacing"],
            &["tblInd"],
            &["tblBorders"],
            &["shd"],
            &["tblLayout"],
            &["tblCellMar"],
            &["tblLook"],
            &["tblCaption"],
            &["tblDescription"],
            &["tblPrChange"],
        ],
        "tblBorders" | "tcBorders" => &[
            &["top"],
            &["left", "start"],
            &["bottom"],
            &["right", "end"],
            &["insideH"],
            &["insideV"],
            &["tl2br"],
            &["tr2bl"],
        ],
        "tblCellMar" | "tcMar" => &[&["top"], &["left", "start"], &["bottom"], &["right", "end"]],
        // CT_TrPr: a free choice of the row properties, then revision marks.
        "trPr" => &[
            &[
                "cnfStyle",
                "divId",
                "gridBefore",
                "gridAfter",
                "wBefore",
                "wAfter",
                "cantSplit",
                "trHeight",
                "tblHeader",
                "tblCellSpacing",
                "jc",
                "hidden",
            ],
            &["ins"],
            &["del"],
            &["trPrChange"],
        ],
        // CT_TcPr (17.4.70).
        "tcPr" => &[
            &["cnfStyle"],
            &["tcW"],
            &["gridSpan"],
            &["hMerge"],
            &["vMerge"],
            &["tcBorders"],
            &["shd"],
            &["noWrap"],
            &["tcMar"],
            &["textDirection"],
            &["tcFitText"],
            &["vAlign"],
            &["hideMark"],
            &["headers"],
            &["cellIns"],
            &["cellDel"],
            &["cellMerge"],
            &["tcPrChange"],
        ],
        // CT_Style (17.7.4.17).
        "style" => &[
            &["name"],
            &["aliases"],
            &["basedOn"],
            &["next"],
            &["link"],
            &["autoRedefine"],
            &["uiPriority"],
            &["semiHidden"],
            &["unhideWhenUsed"],
            &["qFormat"],
            &["locked"],
            &["personal"],
            &["personalCompose"],
            &["personalReply"],
            &["rsid"],
            &["pPr"],
            &["rPr"],
            &["tblPr"],
            &["trPr"],
            &["tcPr"],
            &["tblStylePr"],
        ],
        _ => return None,
    })
}

/// Containers of content whose properties element must come first; the content keeps its
/// order.
fn leading_properties(container: &str) -> Option<&'static [&'static str]> {
    Some(match container {
        "p" => &["pPr"],
        "r" => &["rPr"],
        "tbl" => &["tblPr", "tblGrid"],
        "tr" => &["tblPrEx", "trPr"],
        "tc" => &["tcPr"],
        _ => return None,
    })
}

/// A parsed piece of a part: an element with its children, or anything else verbatim.
enum Node<'a> {
    Elem {
        name: &'a str,
        open: &'a str,
        children: Vec<Node<'a>>,
        close: &'a str,
    },
    Verbatim(&'a str),
}

fn local(name: &str) -> Option<&str> {
    name.strip_prefix("w:")
}

/// End (exclusive) of the tag starting at `i` (which is '<'), skipping quoted attributes.
fn tag_end(s: &str, i: usize) -> Result<usize, Error> {
    let mut quote = None;
    for (k, c) in s[i..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Ok(i + k + 1),
            _ => {}
        }
    }
    Err(Error::Internal("unterminated tag".into()))
}

fn tag_name(tag: &str) -> &str {
    let t = tag.trim_start_matches(['<', '/']);
    let end = t
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(t.len());
    &t[..end]
}

fn parse(s: &str) -> Result<Vec<Node<'_>>, Error> {
    // A stack of open elements: (name, open tag, children so far).
    let mut stack: Vec<(&str, &str, Vec<Node>)> = vec![("", "", Vec::new())];
    let mut i = 0;
    while i < s.len() {
        let top = stack.len() - 1;
        if !s[i..].starts_with('<') {
            let end = s[i..].find('<').map_or(s.len(), |k| i + k);
            stack[top].2.push(Node::Verbatim(&s[i..end]));
            i = end;
            continue;
        }
        let end = tag_end(s, i)?;
        let tag = &s[i..end];
        if tag.starts_with("<?") || tag.starts_with("<!") {
            stack[top].2.push(Node::Verbatim(tag));
        } else if tag.starts_with("</") {
            let (name, open, children) = stack
                .pop()
                .filter(|_| top > 0)
                .ok_or_else(|| Error::Internal(format!("stray end tag {tag}")))?;
            if tag_name(tag) != name {
                return Err(Error::Internal(format!("{tag} closes <{name}>")));
            }
            stack[top - 1].2.push(Node::Elem {
                name,
                open,
                children,
                close: tag,
            });
        } else if tag.ends_with("/>") {
            stack[top].2.push(Node::Elem {
                name: tag_name(tag),
                open: tag,
                children: Vec::new(),
                close: "",
            });
        } else {
            stack.push((tag_name(tag), tag, Vec::new()));
        }
        i = end;
    }
    match stack.pop() {
        Some(("", _, nodes)) if stack.is_empty() => Ok(nodes),
        _ => Err(Error::Internal("unclosed element".into())),
    }
}

fn child_rank(container: &str, child: &Node) -> Result<usize, Error> {
    let Node::Elem { name, .. } = child else {
        // Whitespace between properties (docx-rs writes none) stays where it was.
        return Ok(0);
    };
    if let Some(order) = property_order(container) {
        let local = local(name).unwrap_or(name);
        return order
            .iter()
            .position(|rank| rank.contains(&local))
            .ok_or_else(|| Error::Internal(format!("unexpected <{name}> in <w:{container}>")));
    }
    if let Some(props) = leading_properties(container) {
        let local = local(name).unwrap_or(name);
        return Ok(props
            .iter()
            .position(|p| *p == local)
            .unwrap_or(props.len()));
    }
    Ok(0)
}

fn write(nodes: Vec<Node>, container: Option<&str>, out: &mut String) -> Result<(), Error> {
    let mut ranked = Vec::with_capacity(nodes.len());
    for n in nodes {
        let rank = match container {
            Some(c) => child_rank(c, &n)?,
            None => 0,
        };
        ranked.push((rank, n));
    }
    // Stable: equal ranks keep docx-rs's order, so content is never reordered.
    ranked.sort_by_key(|(rank, _)| *rank);
    for (_, n) in ranked {
        match n {
            Node::Verbatim(s) => out.push_str(s),
            Node::Elem {
                name,
                open,
                children,
                close,
            } => {
                out.push_str(open);
                write(children, local(name), out)?;
                out.push_str(close);
            }
        }
    }
    Ok(())
}

/// Puts the children of every property container in the order the schema prescribes.
/// docx-rs writes them in its own order (sizes before fonts, `w:rPr` first in `w:pPr`,
/// `w:docGrid` before the footer references); LibreOffice does not mind, but Word drops or
/// "repairs" out-of-order properties, and fonts and sizes are what 公文 are judged by.
/// Anything docx-rs writes that the tables above do not know is an error, not a guess.
pub(crate) fn canonical_order(xml: &[u8]) -> Result<Vec<u8>, Error> {
    let s =
        std::str::from_utf8(xml).map_err(|e| Error::Internal(format!("part is not UTF-8: {e}")))?;
    let nodes = parse(s)?;
    let mut out = String::with_capacity(s.len());
    write(nodes, None, &mut out)?;
    Ok(out.into_bytes())
}

/// Marks the first row of the n-th table as a header row for each `true` in `header_rows`
/// (tables in document order; the renderer never nests tables). Runs before
/// [`canonical_order`], which then puts `w:tblHeader` where it belongs.
fn mark_header_rows(xml: &str, header_rows: &[bool]) -> Result<String, Error> {
    let mut out = String::with_capacity(xml.len() + header_rows.len() * 16);
    let mut rest = xml;
    let mut index = 0;
    while let Some(start) = rest.find("<w:tbl>") {
        let repeat = header_rows.get(index).copied().ok_or_else(|| {
            Error::Internal(format!("table {} was not built by the renderer", index + 1))
        })?;
        index += 1;
        let after_tbl = start + "<w:tbl>".len();
        out.push_str(&rest[..after_tbl]);
        rest = &rest[after_tbl..];
        if !repeat {
            continue;
        }
        // docx-rs writes trPr before any cell of the row; an empty one is "<w:trPr />".
        let tr = rest
            .find("<w:tr>")
            .ok_or_else(|| Error::Internal("table without rows".into()))?;
        let row = &rest[tr..];
        let cell = row.find("<w:tc>").unwrap_or(row.len());
        let (insert_at, replace_len) = if let Some(p) = row[..cell].find("</w:trPr>") {
            (p, 0)
        } else if let Some(p) = row[..cell].find("<w:trPr />") {
            (p, "<w:trPr />".len())
        } else {
            return Err(Error::Internal("header row without w:trPr".into()));
        };
        out.push_str(&rest[..tr]);
        out.push_str(&row[..insert_at]);
        if replace_len == 0 {
            out.push_str("<w:tblHeader />");
            rest = &row[insert_at..];
        } else {
            out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = &row[insert_at + replace_len..];
        }
    }
    if index != header_rows.len() {
        return Err(Error::Internal(format!(
            "built {} tables, found {index} in the document",
            header_rows.len()
        )));
    }
    out.push_str(rest);
    Ok(out)
}

pub(crate) fn patch_document(xml: Vec<u8>, header_rows: &[bool]) -> Result<Vec<u8>, Error> {
    let xml = String::from_utf8(xml)
        .map_err(|e| Error::Internal(format!("document.xml is not UTF-8: {e}")))?;
    let xml = mark_header_rows(&xml, header_rows)?;
    canonical_order(xml.as_bytes())
}

/// The package again, its parts deflated. docx-rs stores every part uncompressed, which
/// makes a ledger of a few thousand rows a download of several megabytes instead of a few
/// hundred kilobytes. Directory entries (which OPC packages do not need) are left out.
pub(crate) fn deflate_package(stored: &[u8]) -> Result<Vec<u8>, Error> {
    use std::io::{Read, Write};
    let zip_err = |e: zip::result::ZipError| Error::Internal(format!("zip: {e}"));
    let io_err = |e: std::io::Error| Error::Internal(format!("zip: {e}"));
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(zip_err)?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(stored.len() / 8)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut buf = Vec::new();
    for i in 0..input.len() {
        let mut entry = input.by_index(i).map_err(zip_err)?;
        if entry.is_dir() {
            continue;
        }
        buf.clear();
        entry.read_to_end(&mut buf).map_err(io_err)?;
        out.start_file(entry.name(), options).map_err(zip_err)?;
        out.write_all(&buf).map_err(io_err)?;
    }
    Ok(out.finish().map_err(zip_err)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        String::from_utf8(canonical_order(s.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn sect_pr_children_are_put_in_schema_order() {
        let xml = r#"<w:body><w:sectPr><w:pgSz w:w="1" /><w:pgMar w:top="2" /><w:cols w:num="1" /><w:docGrid w:type="lines" /><w:footerReference w:type="default" r:id="a" /><w:footerReference w:type="even" r:id="b" /></w:sectPr></w:body>"#;
        assert_eq!(
            canon(xml),
            r#"<w:body><w:sectPr><w:footerReference w:type="default" r:id="a" /><w:footerReference w:type="even" r:id="b" /><w:pgSz w:w="1" /><w:pgMar w:top="2" /><w:cols w:num="1" /><w:docGrid w:type="lines" /></w:sectPr></w:body>"#
        );
    }

    #[test]
    fn run_and_paragraph_properties_are_sorted_but_content_is_not() {
        let xml = r#"<?xml version="1.0"?><w:p a="1"><w:r><w:t>甲</w:t></w:r><w:pPr><w:rPr><w:sz w:val="32" /><w:rFonts w:eastAsia="x>y" /></w:rPr><w:jc w:val="both" /><w:spacing w:line="579" /><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="1" /><w:b /></w:rPr><w:t>乙</w:t><w:t>丙</w:t></w:r></w:p>"#;
        assert_eq!(
            canon(xml),
            r#"<?xml version="1.0"?><w:p a="1"><w:pPr><w:keepNext /><w:spacing w:line="579" /><w:jc w:val="both" /><w:rPr><w:rFonts w:eastAsia="x>y" /><w:sz w:val="32" /></w:rPr></w:pPr><w:r><w:t>甲</w:t></w:r><w:r><w:rPr><w:b /><w:sz w:val="1" /></w:rPr><w:t>乙</w:t><w:t>丙</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn unknown_or_broken_content_is_an_error() {
        assert!(canonical_order(br#"<w:sectPr><w:printerSettingsX /></w:sectPr>"#).is_err());
        assert!(canonical_order(br#"<w:p><w:r></w:p>"#).is_err());
        assert!(canonical_order(br#"<w:p>"#).is_err());
        assert!(canonical_order(br#"</w:p>"#).is_err());
    }

    #[test]
    fn header_row_is_marked_only_where_asked() {
        let xml = "<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc>h</w:tc></w:tr><w:tr><w:trPr /><w:tc>x</w:tc></w:tr></w:tbl>\
                   <w:tbl><w:tr><w:trPr /><w:tc>y</w:tc></w:tr></w:tbl>";
        let got = mark_header_rows(xml, &[true, false]).unwrap();
        assert_eq!(got.matches("<w:tblHeader />").count(), 1);
        assert!(
            got.starts_with("<w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr><w:tc>h")
        );
        let got = mark_header_rows(xml, &[false, true]).unwrap();
        assert!(got.ends_with(
            "<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc>y</w:tc></w:tr></w:tbl>"
        ));
        assert!(mark_header_rows(xml, &[true]).is_err());
    }
}
