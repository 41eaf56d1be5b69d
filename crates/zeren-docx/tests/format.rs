//! Reads rendered documents back (zip + XML) and checks them against GB/T 9704-2012.

mod common;

use common::*;
use zeren_docx::{
    ledger_doc, rectification_table, render, supervision_notice, Attachment, Block, Error,
    OfficialDoc, Orientation, RectificationItem, Run, Signature, SupervisionNotice, Table,
};

fn small_doc() -> OfficialDoc {
    OfficialDoc {
        title: "关于2024年度履行全面从严治党主体责任情况的报告".into(),
        subtitle: None,
        addressee: Some("市委：".into()),
        blocks: vec![
            Block::para("现将有关情况报告如下。"),
            Block::Heading1("一、工作成效".into()),
            Block::Heading2("（一）加强党的政治建设".into()),
            Block::Heading3("1.强化理论武装".into()),
            Block::Paragraph(vec![
                Run::text("全年召开党委会"),
                Run::strong("24"),
                Run::text("次。"),
            ]),
            Block::PageBreak,
            Block::para("新的一页。"),
        ],
        signature: Some(Signature {
            org: "中共某某县委".into(),
            date: "2025年1月10日".into(),
        }),
        attachments: vec![],
        orientation: Orientation::Portrait,
    }
}

fn sect_prs<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    desc(&doc.root_element(), "sectPr")
}

fn attr_u32(n: &roxmltree::Node, name: &str) -> u32 {
    w_attr(n, name)
        .unwrap_or_else(|| panic!("{:?} has no w:{name}", n.tag_name()))
        .parse()
        .unwrap()
}

#[test]
fn page_is_a4_with_the_standard_margins_and_grid() {
    let pkg = Package::open(&render(&small_doc()).unwrap());
    let doc = parse(pkg.part("word/document.xml"));
    let sects = sect_prs(&doc);
    assert_eq!(sects.len(), 1);
    let s = sects[0];
    let pg = child(&s, "pgSz").unwrap();
    assert_eq!((attr_u32(&pg, "w"), attr_u32(&pg, "h")), (11906, 16838));
    let mar = child(&s, "pgMar").unwrap();
    // 37 mm, 35 mm, 28 mm, 26 mm in twips (1 mm = 1440 / 25.4).
    assert_eq!(attr_u32(&mar, "top"), 2098);
    assert_eq!(attr_u32(&mar, "bottom"), 1984);
    assert_eq!(attr_u32(&mar, "left"), 1587);
    assert_eq!(attr_u32(&mar, "right"), 1474);
    let grid = child(&s, "docGrid").unwrap();
    assert_eq!(w_attr(&grid, "type"), Some("lines"));
    assert_eq!(attr_u32(&grid, "linePitch"), 579);
    // 22 lines of 579 twips fit in the 225 mm type area.
    assert_eq!((16838 - 2098 - 1984) / 579, 22);

    // 28 body characters a line: 16 pt plus the run's character spacing (in 1/20 pt).
    let doc_text = pkg.part("word/document.xml");
    let body = paragraph_with(&doc, "现将有关情况报告如下。");
    let r = body.children().find(|c| is_w(c, "r")).unwrap();
    let spacing: i32 = child(&child(&r, "rPr").unwrap(), "spacing")
        .and_then(|s| w_attr(&s, "val"))
        .expect("character spacing on body runs")
        .parse()
        .unwrap();
    let pitch_twips = 320 + spacing;
    let width = 11906 - 1587 - 1474;
    assert_eq!(width / pitch_twips, 28, "spacing {spacing}");
    assert!(doc_text.contains("w:spacing"));
}

#[test]
fn sect_pr_children_follow_the_schema_order() {
    let mut d = small_doc();
    d.blocks.push(Block::Table(Table {
        headers: vec!["甲".into(), "乙".into()],
        rows: vec![vec!["1".into(), "2".into()]],
        landscape: true,
        ..Default::default()
    }));
    d.blocks.push(Block::para("表后。"));
    let pkg = Package::open(&render(&d).unwrap());
    let doc = parse(pkg.part("word/document.xml"));
    let order = [
        "headerReference",
        "footerReference",
        "type",
        "pgSz",
        "pgMar",
        "pgNumType",
        "cols",
        "titlePg",
        "textDirection",
        "docGrid",
    ];
    for s in sect_prs(&doc) {
        let ranks: Vec<usize> = s
            .children()
            .filter(|c| c.is_element())
            .map(|c| {
                let name = c.tag_name().name();
                let name = if name == "headerReference" {
                    "footerReference"
                } else {
                    name
                };
                order
                    .iter()
                    .position(|o| *o == name)
                    .unwrap_or_else(|| panic!("{name}"))
            })
            .collect();
        let mut sorted = ranks.clone();
        sorted.sort();
        assert_eq!(ranks, sorted, "sectPr children out of order");
    }
}

#[test]
fn title_body_and_headings_have_their_fonts_and_sizes() {
    let pkg = Package::open(&render(&small_doc()).unwrap());
    let doc = parse(pkg.part("word/document.xml"));

    let title = paragraph_with(&doc, "关于2024年度履行全面从严治党主体责任情况的报告");
    assert_eq!(
        first_run_format(&title),
        ("方正小标宋简体".into(), 44, false)
    );
    assert_eq!(ppr_attr(&title, "jc", "val").as_deref(), Some("center"));

    let to = paragraph_with(&doc, "市委：");
    assert_eq!(first_run_format(&to).0, "仿宋_GB2312");
    assert_eq!(ppr_attr(&to, "ind", "firstLine"), None);

    let body = paragraph_with(&doc, "现将有关情况报告如下。");
    assert_eq!(first_run_format(&body), ("仿宋_GB2312".into(), 32, false));
    // Two characters of the 28-a-line grid.
    let indent: u32 = ppr_attr(&body, "ind", "firstLine")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(indent, 2 * 315);
    assert_eq!(ppr_attr(&body, "spacing", "line").as_deref(), Some("579"));
    assert_eq!(
        ppr_attr(&body, "spacing", "lineRule").as_deref(),
        Some("exact")
    );

    let h1 = paragraph_with(&doc, "一、工作成效");
    assert_eq!(first_run_format(&h1), ("黑体".into(), 32, false));
    assert_eq!(ppr_attr(&h1, "outlineLvl", "val").as_deref(), Some("0"));
    let h2 = paragraph_with(&doc, "（一）加强党的政治建设");
    assert_eq!(first_run_format(&h2), ("楷体_GB2312".into(), 32, false));
    let h3 = paragraph_with(&doc, "1.强化理论武装");
    assert_eq!(first_run_format(&h3), ("仿宋_GB2312".into(), 32, true));

    let fig = paragraph_with(&doc, "全年召开党委会24次。");
    let runs: Vec<_> = fig.children().filter(|c| is_w(c, "r")).collect();
    assert_eq!(runs.len(), 3);
    assert!(child(&child(&runs[1], "rPr").unwrap(), "b").is_some());
    assert!(child(&child(&runs[0], "rPr").unwrap(), "b").is_none());

    let next = paragraph_with(&doc, "新的一页。");
    assert!(child(&child(&next, "pPr").unwrap(), "pageBreakBefore").is_some());

    // The document defaults carry the body font and size too (what Word's "Normal" shows).
    let styles = parse(pkg.part("word/styles.xml"));
    let defaults = desc(&styles.root_element(), "rPrDefault")[0];
    assert_eq!(
        w_attr(&desc(&defaults, "rFonts")[0], "eastAsia"),
        Some("仿宋_GB2312")
    );
    assert_eq!(w_attr(&desc(&defaults, "sz")[0], "val"), Some("32"));
}

#[test]
fn font_table_names_the_fallbacks() {
    let pkg = Package::open(&render(&small_doc()).unwrap());
    let fonts = parse(pkg.part("word/fontTable.xml"));
    let alt = |name: &str| {
        fonts
            .root_element()
            .children()
            .find(|f| is_w(f, "font") && w_attr(f, "name") == Some(name))
            .and_then(|f| child(&f, "altName"))
            .and_then(|a| w_attr(&a, "val").map(str::to_string))
    };
    assert_eq!(alt("方正小标宋简体").as_deref(), Some("宋体"));
    assert_eq!(alt("仿宋_GB2312").as_deref(), Some("仿宋"));
    assert_eq!(alt("楷体_GB2312").as_deref(), Some("楷体"));
    // Every east-Asian font a run names is declared.
    let doc = parse(pkg.part("word/document.xml"));
    for f in desc(&doc.root_element(), "rFonts") {
        let name = w_attr(&f, "eastAsia").unwrap();
        assert!(
            fonts
                .root_element()
                .children()
                .any(|n| is_w(&n, "font") && w_attr(&n, "name") == Some(name)),
            "{name} not in the font table"
        );
    }
}

#[test]
fn footers_carry_a_page_field_between_dashes_outside() {
    let pkg = Package::open(&render(&small_doc()).unwrap());
    let settings = parse(pkg.part("word/settings.xml"));
    assert!(
        child(&settings.root_element(), "evenAndOddHeaders").is_some(),
        "odd and even pages need their own footers"
    );
    let doc = parse(pkg.part("word/document.xml"));
    let sect = sect_prs(&doc)[0];
    let mut seen = Vec::new();
    for fref in sect.children().filter(|c| is_w(c, "footerReference")) {
        let kind = w_attr(&fref, "type").unwrap().to_string();
        let rid = fref.attribute((R, "id")).unwrap();
        let xml = pkg.part(&pkg.rel_target(rid)).to_string();
        let footer = parse(&xml);
        let p = desc(&footer.root_element(), "p")[0];
        // "— " PAGE " —" with the field: begin, instruction, separate, result, end.
        assert_eq!(text(&p), "— 1 —");
        let field: Vec<String> = p
            .descendants()
            .filter(|n| is_w(n, "fldChar") || is_w(n, "instrText"))
            .map(|n| {
                w_attr(&n, "fldCharType")
                    .map(str::to_string)
                    .unwrap_or_else(|| n.text().unwrap_or_default().trim().to_string())
            })
            .collect();
        assert_eq!(field, ["begin", "PAGE", "separate", "end"]);
        let (font, size, _) = first_run_format(&p);
        assert_eq!((font.as_str(), size), ("宋体", 28));
        let jc = ppr_attr(&p, "jc", "val").unwrap();
        match kind.as_str() {
            "default" => {
                assert_eq!(jc, "right");
                assert_eq!(ppr_attr(&p, "ind", "right").as_deref(), Some("280"));
            }
            "even" => {
                assert_eq!(jc, "left");
                assert_eq!(ppr_attr(&p, "ind", "left").as_deref(), Some("280"));
            }
            other => panic!("unexpected footer type {other}"),
        }
        seen.push(kind);
    }
    seen.sort();
    assert_eq!(seen, ["default", "even"]);
}

#[test]
fn signature_follows_the_no_seal_layout() {
    let pkg = Package::open(&render(&small_doc()).unwrap());
    let doc = parse(pkg.part("word/document.xml"));
    let ch = 315;
    let right = |s: &str| -> u32 {
        let p = paragraph_with(&doc, s);
        assert_eq!(ppr_attr(&p, "jc", "val").as_deref(), Some("right"));
        ppr_attr(&p, "ind", "right").unwrap().parse().unwrap()
    };
    // "2025年1月10日" is 7.75 characters wide (digits are half a character, and each
    // change between digits and Chinese adds a quarter), "中共某某县委" 6: the date is the
    // longer, so it keeps two characters from the right and the organisation starts two
    // characters further left than the date: 2 + 7.75 + 2 - 6 from the right.
    assert_eq!(right("2025年1月10日"), 2 * ch);
    let org = right("中共某某县委") as f64;
    assert!(
        (org - 5.75 * ch as f64).abs() <= 1.0,
        "org right indent {org}"
    );
}

#[test]
fn ledger_table_has_borders_widths_and_a_repeated_header() {
    let items: Vec<RectificationItem> = (1..=30)
        .map(|i| RectificationItem {
            problem: format!("问题{i}：学习制度落实不到位"),
            measures: "1.制定计划；\n2.督促落实。".into(),
            owner: "张三".into(),
            deadline: "2025年6月底前".into(),
            progress: "正在推进".into(),
        })
        .collect();
    let d = ledger_doc(
        "2024年度问题整改台账",
        Some("（截至2024年12月31日）"),
        rectification_table(None, &items),
    );
    let bytes = render(&d).unwrap();
    let pkg = Package::open(&bytes);
    // Deflated: 30 rows of stored XML would be some 130 KB.
    assert!(
        pkg.stored.is_empty(),
        "stored uncompressed: {:?}",
        pkg.stored
    );
    assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
    let doc = parse(pkg.part("word/document.xml"));
    let sect = sect_prs(&doc)[0];
    let pg = child(&sect, "pgSz").unwrap();
    assert_eq!((attr_u32(&pg, "w"), attr_u32(&pg, "h")), (16838, 11906));
    assert_eq!(w_attr(&pg, "orient"), Some("landscape"));

    let tables = desc(&doc.root_element(), "tbl");
    assert_eq!(tables.len(), 1);
    let t = tables[0];
    let rows: Vec<_> = t.children().filter(|c| is_w(c, "tr")).collect();
    assert_eq!(rows.len(), 31);
    let is_header =
        |r: &roxmltree::Node| child(r, "trPr").is_some_and(|p| child(&p, "tblHeader").is_some());
    assert!(is_header(&rows[0]));
    assert!(!rows[1..].iter().any(is_header));
    let head: Vec<String> = rows[0]
        .children()
        .filter(|c| is_w(c, "tc"))
        .map(|c| text(&c))
        .collect();
    assert_eq!(
        head,
        [
            "序号",
            "存在问题",
            "整改措施",
            "责任人",
            "完成时限",
            "整改进度"
        ]
    );
    let first_head_p = desc(&rows[0], "p")[0];
    assert_eq!(first_run_format(&first_head_p), ("黑体".into(), 24, false));
    let cell_p = desc(&rows[5], "p")[1];
    assert_eq!(first_run_format(&cell_p).0, "仿宋_GB2312");
    // A '\n' in a cell gives two paragraphs.
    let measures = rows[1].children().filter(|c| is_w(c, "tc")).nth(2).unwrap();
    assert_eq!(desc(&measures, "p").len(), 2);

    let grid: Vec<u32> = desc(&t, "gridCol")
        .iter()
        .map(|g| attr_u32(g, "w"))
        .collect();
    assert_eq!(grid.len(), 6);
    assert_eq!(grid.iter().sum::<u32>(), 16838 - 2098 - 1984);
    assert!(
        grid[2] > grid[0] * 5,
        "measures column wider than 序号: {grid:?}"
    );
    let borders = desc(&t, "tblBorders")[0];
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let b = child(&borders, side).unwrap();
        assert_eq!(w_attr(&b, "val"), Some("single"), "{side}");
    }
}

#[test]
fn landscape_attachment_gets_its_own_section_in_a_portrait_report() {
    let mut d = small_doc();
    d.attachments = vec![
        Attachment {
            title: "问题整改台账".into(),
            blocks: vec![Block::Table(rectification_table(
                None,
                &[RectificationItem::default()],
            ))],
            landscape: true,
        },
        Attachment {
            title: "情况说明".into(),
            blocks: vec![Block::para("说明文字。")],
            landscape: false,
        },
    ];
    let pkg = Package::open(&render(&d).unwrap());
    let doc = parse(pkg.part("word/document.xml"));
    let orients: Vec<(u32, u32)> = sect_prs(&doc)
        .iter()
        .map(|s| {
            let pg = child(s, "pgSz").unwrap();
            (attr_u32(&pg, "w"), attr_u32(&pg, "h"))
        })
        .collect();
    // Body portrait, the ledger landscape, the second attachment portrait again.
    assert_eq!(orients, [(11906, 16838), (16838, 11906), (11906, 16838)]);
    // Every section names its footers, so numbering shows on every page whatever the reader
    // does with inheritance.
    for s in sect_prs(&doc) {
        assert_eq!(
            s.children().filter(|c| is_w(c, "footerReference")).count(),
            2
        );
    }
    // 附件说明 under the body, numbered, before the signature.
    let body = doc.descendants().find(|n| is_w(n, "body")).unwrap();
    let texts: Vec<String> = desc(&body, "p")
        .iter()
        .map(text)
        .filter(|t| !t.is_empty())
        .collect();
    let pos = |s: &str| {
        texts
            .iter()
            .position(|t| t == s)
            .unwrap_or_else(|| panic!("{s}"))
    };
    assert!(pos("附件：1.问题整改台账") < pos("2.情况说明"));
    assert!(pos("2.情况说明") < pos("中共某某县委"));
    assert!(pos("2025年1月10日") < pos("附件1"));
    assert!(pos("附件1") < pos("问题整改台账"));
    assert!(pos("附件2") > pos("问题整改台账"));
    let label = paragraph_with(&doc, "附件2");
    assert_eq!(first_run_format(&label).0, "黑体");
    assert!(child(&child(&label, "pPr").unwrap(), "pageBreakBefore").is_some());
}

#[test]
fn supervision_notice_is_a_form_with_labels_in_heiti() {
    let n = SupervisionNotice {
        number: "督〔2025〕3号".into(),
        matter: "巡察反馈问题整改进度滞后".into(),
        source: Some("县委第二巡察组反馈".into()),
        undertaker: "县教育局党组".into(),
        deadline: "2025年4月30日".into(),
        requirements: "请于期限内完成整改并报送整改报告。".into(),
        progress: String::new(),
        issuer: "县纪委监委".into(),
        contact: "王某 1234567".into(),
        date: "2025年3月5日".into(),
    };
    let pkg = Package::open(&render(&supervision_notice(&n)).unwrap());
    let doc = parse(pkg.part("word/document.xml"));
    assert_eq!(first_run_format(&paragraph_with(&doc, "督办通知单")).1, 44);
    let t = desc(&doc.root_element(), "tbl")[0];
    let rows: Vec<_> = t.children().filter(|c| is_w(c, "tr")).collect();
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| desc(r, "tblHeader").is_empty()));
    let labels: Vec<String> = rows
        .iter()
        .map(|r| text(&r.children().find(|c| is_w(c, "tc")).unwrap()))
        .collect();
    assert_eq!(
        labels,
        [
            "督办事项",
            "问题来源",
            "承办单位",
            "督办要求",
            "办理情况",
            "督办单位"
        ]
    );
    let label_p = desc(&rows[0], "p")[0];
    assert_eq!(first_run_format(&label_p).0, "黑体");
    // A single pair spans the three other grid columns; the 办理情况 row leaves room.
    let value = rows[0].children().filter(|c| is_w(c, "tc")).nth(1).unwrap();
    assert_eq!(w_attr(&desc(&value, "gridSpan")[0], "val"), Some("3"));
    let h = |r: &roxmltree::Node| attr_u32(&desc(r, "trHeight")[0], "val");
    assert!(
        h(&rows[4]) >= 6 * h(&rows[1]) / 2,
        "{} vs {}",
        h(&rows[4]),
        h(&rows[1])
    );
}

#[test]
fn text_is_escaped() {
    let mut d = small_doc();
    d.blocks.push(Block::para("A<B & C>D \"引号\""));
    d.blocks.push(Block::para("换\r\n行\u{b}与\t制表\u{1}"));
    let pkg = Package::open(&render(&d).unwrap());
    let doc = parse(pkg.part("word/document.xml"));
    paragraph_with(&doc, "A<B & C>D \"引号\"");
    let p = paragraph_with(&doc, "换行与 制表");
    assert_eq!(desc(&p, "br").len(), 1, "the newline stays a line break");
}

#[test]
fn malformed_input_is_refused_with_a_message() {
    let mut d = small_doc();
    d.blocks.push(Block::Table(Table {
        headers: vec!["序号".into(), "问题".into()],
        rows: vec![vec!["1".into()]],
        ..Default::default()
    }));
    match render(&d) {
        Err(Error::Invalid(m)) => assert!(m.contains("第1行有1列"), "{m}"),
        other => panic!("{other:?}"),
    }
    let mut d = small_doc();
    d.title = "  ".into();
    assert!(matches!(render(&d), Err(Error::Invalid(_))));
    let mut d = small_doc();
    d.blocks.push(Block::Table(Table {
        headers: vec!["a".into(), "b".into()],
        widths: vec![1],
        ..Default::default()
    }));
    assert!(matches!(render(&d), Err(Error::Invalid(_))));
}
