//! Renders a realistic annual report, a ledger and a supervision notice, converts them to PDF
//! with LibreOffice and reads the PDFs back with poppler: A4 pages (landscape where asked),
//! "— N —" page numbers, 28 characters a line and 22 lines a page.
//!
//! Without LibreOffice on PATH the test prints a note and passes, unless
//! `ZEREN_TEST_LIBREOFFICE=1` (set by CI), which makes LibreOffice and poppler-utils required.
//! The .docx and .pdf files stay in the target directory for a look
//! (`target/tmp/zeren-docx-libreoffice/`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use zeren_docx::{
    ledger_doc, rectification_table, render, supervision_notice, RectificationItem,
    SupervisionNotice,
};

fn required() -> bool {
    std::env::var("ZEREN_TEST_LIBREOFFICE").is_ok_and(|v| v == "1")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs a command to completion within `limit`, returning its stdout.
fn run(cmd: &mut Command, limit: Duration) -> String {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start command");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ledger() -> Vec<u8> {
    let items: Vec<RectificationItem> = (1..=40)
        .map(|i| RectificationItem {
            problem: format!("问题{i}：理论学习中心组学习制度落实不到位，专题研讨不深入"),
            measures: "1.制定年度学习计划；\n2.每季度开展专题研讨；\n3.纳入年度考核。".into(),
            owner: "张某某".into(),
            deadline: "2025年6月底前".into(),
            progress: if i % 3 == 0 {
                "已完成"
            } else {
                "正在推进"
            }
            .into(),
        })
        .collect();
    let doc = ledger_doc(
        "2024年度全面从严治党问题整改台账",
        Some("（填报单位：中共某某县委　截至2024年12月31日）"),
        rectification_table(None, &items),
    );
    render(&doc).unwrap()
}

fn notice() -> Vec<u8> {
    let n = SupervisionNotice {
        number: "督〔2025〕3号".into(),
        matter: "县委第二巡察组反馈问题整改进度滞后，3项整改措施逾期未完成".into(),
        source: Some("县委第二巡察组巡察反馈".into()),
        undertaker: "县教育局党组".into(),
        deadline: "2025年4月30日".into(),
        requirements: "请对照整改台账逐项分析逾期原因，明确责任人和完成时限，于期限内完成整改并书面报送整改情况。".into(),
        progress: String::new(),
        issuer: "中共某某县纪律检查委员会".into(),
        contact: "王某某 0000-1234567".into(),
        date: "2025年3月5日".into(),
    };
    render(&supervision_notice(&n)).unwrap()
}

struct Pdf {
    path: PathBuf,
}

impl Pdf {
    fn info(&self, first: usize, last: usize) -> String {
        run(
            Command::new("pdfinfo")
                .args(["-f", &first.to_string(), "-l", &last.to_string()])
                .arg(&self.path),
            Duration::from_secs(30),
        )
    }

    fn pages(&self) -> usize {
        self.info(1, 1)
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("page count")
    }

    /// Width and height in points of each page.
    fn sizes(&self) -> Vec<(f64, f64)> {
        let n = self.pages();
        self.info(1, n)
            .lines()
            .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
            .map(|l| {
                let dims: Vec<f64> = l
                    .split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect();
                // "Page    3 size:  595.304 x 841.89 pts (A4)": page number, width, height.
                (dims[1], dims[2])
            })
            .collect()
    }

    fn text(&self, page: usize) -> String {
        run(
            Command::new("pdftotext")
                .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&self.path)
                .arg("-"),
            Duration::from_secs(30),
        )
    }
}

fn is_a4(size: (f64, f64), landscape: bool) -> bool {
    let (w, h) = if landscape { (size.1, size.0) } else { size };
    (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0
}

/// Width of a line of text in body characters: CJK one, ASCII half, spaces (layout padding
/// and LibreOffice's CJK/Western spacing) none.
fn width(line: &str) -> f64 {
    line.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn documents_convert_to_official_looking_pdfs() {
    let soffice = on_path("soffice").or_else(|| on_path("libreoffice"));
    let Some(soffice) = soffice else {
        assert!(
            !required(),
            "ZEREN_TEST_LIBREOFFICE=1 but neither soffice nor libreoffice is on PATH"
        );
        eprintln!("note: LibreOffice not found; .docx to PDF check skipped");
        return;
    };
    let poppler = on_path("pdfinfo").is_some() && on_path("pdftotext").is_some();
    assert!(
        poppler || !required(),
        "ZEREN_TEST_LIBREOFFICE=1 but pdfinfo/pdftotext (poppler-utils) are not on PATH"
    );

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zeren-docx-libreoffice");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let files = [
        (
            "annual-report",
            render(&common::sample::annual_report()).unwrap(),
        ),
        ("ledger", ledger()),
        ("supervision-notice", notice()),
    ];
    let mut docx = Vec::new();
    for (name, bytes) in &files {
        let p = dir.join(format!("{name}.docx"));
        std::fs::write(&p, bytes).unwrap();
        docx.push(p);
    }
    // A profile of its own, so a LibreOffice already running (or another test run) does not
    // swallow the conversion.
    let profile = dir.join("profile");
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fontconfig/fonts.conf");
    run(
        Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&dir)
            .args(&docx)
            .env("FONTCONFIG_FILE", &fonts),
        Duration::from_secs(180),
    );
    let pdf = |name: &str| {
        let path = dir.join(format!("{name}.pdf"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            bytes.len() > 1000 && bytes.starts_with(b"%PDF"),
            "{} is no PDF",
            path.display()
        );
        Pdf { path }
    };
    let report = pdf("annual-report");
    let ledger = pdf("ledger");
    let notice = pdf("supervision-notice");
    eprintln!("PDFs in {}", dir.display());
    if !poppler {
        eprintln!("note: poppler-utils not found; PDF contents not checked");
        return;
    }

    // The report: about three pages of text, then the ledger attachment on landscape pages.
    let sizes = report.sizes();
    assert!(
        (4..=8).contains(&sizes.len()),
        "report has {} pages",
        sizes.len()
    );
    let portrait = sizes.iter().take_while(|s| is_a4(**s, false)).count();
    assert!(
        (3..=5).contains(&portrait),
        "{portrait} portrait pages: {sizes:?}"
    );
    assert!(
        sizes[portrait..].iter().all(|s| is_a4(*s, true)),
        "the attachment is landscape A4: {sizes:?}"
    );
    for page in 1..=sizes.len() {
        let text = squeeze(&report.text(page));
        assert!(
            text.ends_with(&format!("—{page}—")),
            "page {page} ends {text:?}"
        );
    }
    let first = report.text(1);
    assert!(squeeze(&first)
        .starts_with("中共某某县委关于2024年度落实全面从严治党主体责任情况的报告市委："));

    // Body pages: at most 22 lines of at most 28 characters, and full lines of exactly 28
    // (lines with digits hold a little less: LibreOffice, like Word, spaces digits from
    // Chinese text).
    let mut full = 0;
    let mut most_lines = 0;
    for page in 1..portrait {
        let body = report.text(page);
        let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
        let (footer, text_lines) = lines.split_last().unwrap();
        assert_eq!(squeeze(footer), format!("—{page}—"));
        assert!(
            text_lines.len() <= 22,
            "{} lines on page {page}:\n{body}",
            text_lines.len()
        );
        most_lines = most_lines.max(text_lines.len());
        for line in text_lines {
            let w = width(line);
            assert!(w <= 28.0, "a line of {w} characters on page {page}: {line}");
            if w >= 27.5 {
                full += 1;
            }
        }
    }
    assert!(most_lines >= 21, "no page holds 21 or 22 lines");
    assert!(full >= 10, "only {full} lines of 28 characters");

    // The ledger: landscape A4 pages, the header row repeated on each.
    let sizes = ledger.sizes();
    assert!(sizes.len() >= 2, "40 rows fit one page? {sizes:?}");
    assert!(sizes.iter().all(|s| is_a4(*s, true)), "{sizes:?}");
    for page in 1..=sizes.len() {
        let text = squeeze(&ledger.text(page));
        assert!(
            text.contains("序号存在问题整改措施责任人完成时限整改进度"),
            "page {page}: {text}"
        );
        assert!(
            text.ends_with(&format!("—{page}—")),
            "page {page} ends {text:?}"
        );
    }

    // The notice: one portrait page with its form and signature.
    let sizes = notice.sizes();
    assert_eq!(sizes.len(), 1, "{sizes:?}");
    assert!(is_a4(sizes[0], false));
    let text = squeeze(&notice.text(1));
    for part in [
        "督办通知单",
        "编号：督〔2025〕3号",
        "督办事项",
        "承办单位",
        "办结时限",
        "办理情况",
        "2025年3月5日",
        "—1—",
    ] {
        assert!(text.contains(part), "{part} missing: {text}");
    }
}
