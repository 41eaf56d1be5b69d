//! Evidence files for the demo: small, valid PDFs and plain-text notes.
use zeren_app::evidence::Upload;

/// A one-page PDF showing `lines` (ASCII) in Helvetica, with a correct xref table.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut stream = String::from("BT /F1 14 Tf 72 770 Td 18 TL\n");
    for l in lines {
        let esc = l
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        stream.push_str(&format!("({esc}) Tj T*\n"));
    }
    stream.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The demo's evidence documents. Files are stored by content, so each is written
/// once however often it is attached.
pub struct Docs {
    pub minutes: Upload,
    pub study: Upload,
    pub attendance: Upload,
    pub rectification: Upload,
    pub rules: Upload,
    pub note: Upload,
}

fn up(name: &str, bytes: Vec<u8>) -> Upload {
    Upload {
        filename: name.to_string(),
        bytes,
    }
}

impl Docs {
    pub fn new() -> Docs {
        Docs {
            minutes: up(
                "党委会会议纪要.pdf",
                pdf(&[
                    "Minutes of the Party committee meeting",
                    "Agenda 1: first agenda item - study of the latest central instructions",
                    "Agenda 2: deployment of strict governance tasks",
                    "(Zeren demo evidence)",
                ]),
            ),
            study: up(
                "理论学习中心组学习记录.pdf",
                pdf(&[
                    "Theory study group - study record",
                    "Topic, lead speaker, participants, discussion summary",
                    "(Zeren demo evidence)",
                ]),
            ),
            attendance: up(
                "签到表.pdf",
                pdf(&["Attendance sheet", "Signed by every participant", "(Zeren demo evidence)"]),
            ),
            rectification: up(
                "整改报告.pdf",
                pdf(&[
                    "Rectification report",
                    "Problem, measures taken, result, institutions established",
                    "(Zeren demo evidence)",
                ]),
            ),
            rules: up(
                "制度文件.pdf",
                pdf(&["Institution document", "Rules revised and issued", "(Zeren demo evidence)"]),
            ),
            note: up(
                "整改情况说明.txt",
                "整改情况说明\n\n一、问题概述：见问题台账。\n二、整改措施落实情况：已按整改方案逐项落实，相关制度已修订印发。\n三、整改成效：经自查，问题已整改到位，建立长效机制。\n\n（演示数据）\n"
                    .as_bytes()
                    .to_vec(),
            ),
        }
    }

    #[cfg(test)]
    pub fn all(&self) -> [&Upload; 6] {
        [
            &self.minutes,
            &self.study,
            &self.attendance,
            &self.rectification,
            &self.rules,
            &self.note,
        ]
    }

    /// The document that fits a task, by its title.
    pub fn for_task(&self, title: &str) -> &Upload {
        if title.contains("学习") || title.contains("党课") || title.contains("第一议题") {
            &self.study
        } else if title.contains("制度") || title.contains("清单") || title.contains("责任书")
        {
            &self.rules
        } else if title.contains("生活会") || title.contains("三会一课") {
            &self.attendance
        } else {
            &self.minutes
        }
    }
}

impl Default for Docs {
    fn default() -> Self {
        Docs::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pdfs_pass_the_upload_check() {
        let d = Docs::new();
        for u in d.all() {
            assert!(
                zeren_app::evidence::check_upload(u, 1 << 20).is_ok(),
                "{}",
                u.filename
            );
        }
        let p = pdf(&["x"]);
        assert!(p.starts_with(b"%PDF-1.4"));
        let s = String::from_utf8_lossy(&p);
        let xref: usize = s
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(&p[xref..xref + 4], b"xref");
    }
}
