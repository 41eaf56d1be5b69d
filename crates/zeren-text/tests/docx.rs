//! Word documents: text from word/document.xml (runs, entities, tabs, line
//! breaks) and Word's automatic heading numbers written out.

use std::io::Write;

use zeren_text::{analyze, Corpus, Document};

fn docx(document: &str, numbering: Option<&str>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", opt).unwrap();
        z.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        z.start_file("word/document.xml", opt).unwrap();
        z.write_all(document.as_bytes()).unwrap();
        if let Some(n) = numbering {
            z.start_file("word/numbering.xml", opt).unwrap();
            z.write_all(n.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn numbered(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

#[test]
fn text_runs_entities_and_typed_headings() {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{}{}<w:p><w:r><w:t xml:space="preserve">1.开展调研</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>204人次</w:t></w:r><w:r><w:t>，R&amp;D投入</w:t></w:r><w:r><w:tab/><w:t>30万元。</w:t></w:r></w:p>{}{}</w:body></w:document>"#,
        p("党委2023年工作报告"),
        p("一、工作成效"),
        p("二、存在问题"),
        p("（一）调研成果转化不够。"),
    );
    let d = Document::from_bytes("报告.docx", &docx(&body, None)).unwrap();
    let lines: Vec<&str> = d.text.lines().collect();
    assert_eq!(lines[0], "党委2023年工作报告");
    assert_eq!(lines[2], "1.开展调研204人次，R&D投入\t30万元。");
    assert_eq!(d.year, Some(2023));
    let a = analyze(&d, &Corpus::builtin());
    assert_eq!(a.title.as_deref(), Some("党委2023年工作报告"));
    assert_eq!(a.outline.len(), 2);
    assert_eq!(
        a.outline[0].children[0].text,
        "开展调研204人次，R&D投入\t30万元"
    );
    let figs: Vec<(f64, &str)> = a
        .figures
        .iter()
        .map(|f| (f.number, f.unit.as_str()))
        .collect();
    assert_eq!(figs, [(204.0, "人次"), (30.0, "万元")]);
    assert_eq!(a.parts.problems.items.len(), 1);
}

#[test]
fn automatic_numbering_becomes_markers() {
    let numbering = format!(
        r#"<?xml version="1.0"?><w:numbering {W}>
        <w:abstractNum w:abstractNumId="0">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let body = format!(
        r#"<?xml version="1.0"?><w:document {W}><w:body>{}{}{}{}{}{}{}{}</w:body></w:document>"#,
        numbered(5, 0, "工作成效"),
        numbered(5, 1, "加强理论学习"),
        numbered(5, 2, "开展专题学习12次。"),
        numbered(5, 2, "举办读书班2期。"),
        numbered(5, 1, "加强组织建设"),
        numbered(5, 0, "存在问题"),
        numbered(5, 1, "学习效果不够明显"),
        numbered(5, 0, "下一步打算"),
    );
    let d = Document::from_bytes("n.docx", &docx(&body, Some(&numbering))).unwrap();
    let lines: Vec<&str> = d.text.lines().collect();
    assert_eq!(
        lines,
        [
            "一、工作成效",
            "（一）加强理论学习",
            "1.开展专题学习12次。",
            "2.举办读书班2期。",
            "（二）加强组织建设",
            "二、存在问题",
            "（一）学习效果不够明显",
            "三、下一步打算"
        ]
    );
    let a = analyze(&d, &Corpus::builtin());
    assert_eq!(a.outline.len(), 3);
    assert_eq!(a.outline[0].children[0].children.len(), 2);
    assert!(a.parts.problems.found && a.parts.next_steps.found);
}

#[test]
fn not_a_word_document() {
    let e = Document::from_bytes("x.docx", b"PK\x03\x04 broken").unwrap_err();
    assert!(e.to_string().contains("Word"), "{e}");
    let gbk = [0xB4, 0xE6, 0xD4, 0xDA, 0xCE, 0xCA, 0xCC, 0xE2]; // 存在问题 in GB18030
    assert_eq!(
        Document::from_bytes("g.txt", &gbk).unwrap().text,
        "存在问题"
    );
}
