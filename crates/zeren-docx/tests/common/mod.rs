//! Reading a produced .docx back: the zip, its parts, and their WordprocessingML.

#![allow(dead_code)]

pub mod sample;

use std::collections::HashMap;
use std::io::Read;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub struct Package {
    pub parts: HashMap<String, String>,
    /// Entries written without compression.
    pub stored: Vec<String>,
}

impl Package {
    pub fn open(bytes: &[u8]) -> Package {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
        let mut parts = HashMap::new();
        let mut stored = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            if f.compression() == zip::CompressionMethod::Stored {
                stored.push(f.name().to_string());
            }
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                parts.insert(f.name().to_string(), s);
            }
        }
        Package { parts, stored }
    }

    pub fn part(&self, name: &str) -> &str {
        self.parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}; have {:?}", self.parts.keys()))
    }

    /// The part a relationship id of document.xml points at, e.g. "word/footer1.xml".
    pub fn rel_target(&self, rid: &str) -> String {
        let rels = self.part("word/_rels/document.xml.rels");
        let doc = roxmltree::Document::parse(rels).unwrap();
        let target = doc
            .descendants()
            .find(|n| n.attribute("Id") == Some(rid))
            .and_then(|n| n.attribute("Target"))
            .unwrap_or_else(|| panic!("no relationship {rid}"));
        format!("word/{target}")
    }
}

pub fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).expect("well-formed XML")
}

pub fn is_w(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

pub fn w_attr<'a>(n: &roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

pub fn child<'a, 'i>(n: &roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| is_w(c, name))
}

pub fn desc<'a, 'i>(n: &roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.descendants().filter(|c| is_w(c, name)).collect()
}

/// The text of a paragraph or run (w:t only).
pub fn text(n: &roxmltree::Node) -> String {
    n.descendants()
        .filter(|c| is_w(c, "t"))
        .filter_map(|c| c.text())
        .collect()
}

/// Body paragraphs whose text is exactly `s`.
pub fn paragraph_with<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    s: &str,
) -> roxmltree::Node<'a, 'i> {
    doc.descendants()
        .find(|n| is_w(n, "p") && text(n) == s)
        .unwrap_or_else(|| panic!("no paragraph {s:?}"))
}

/// The east-Asian font, size (half-points) and boldness of the first run of a paragraph.
pub fn first_run_format(p: &roxmltree::Node) -> (String, u32, bool) {
    let r = p
        .children()
        .find(|c| is_w(c, "r") && !text(c).is_empty())
        .expect("a run with text");
    let rpr = child(&r, "rPr").expect("run properties");
    let font = child(&rpr, "rFonts")
        .and_then(|f| w_attr(&f, "eastAsia"))
        .unwrap_or_default()
        .to_string();
    let size = child(&rpr, "sz")
        .and_then(|s| w_attr(&s, "val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let bold = child(&rpr, "b").is_some_and(|b| w_attr(&b, "val") != Some("false"));
    (font, size, bold)
}

pub fn ppr_attr(p: &roxmltree::Node, elem: &str, attr: &str) -> Option<String> {
    child(p, "pPr")
        .and_then(|ppr| child(&ppr, elem))
        .and_then(|e| w_attr(&e, attr).map(str::to_string))
}
