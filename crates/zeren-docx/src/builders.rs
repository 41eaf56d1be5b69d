//! Documents other than reports, built from their fields: the caller fills them, the layout
//! is fixed here.

use crate::model::*;

/// Chinese numerals for headings ("一、", "（十二）"): 1 → 一, 10 → 十, 21 → 二十一.
/// Numbers from 100 on are written in Arabic numerals, which no heading list reaches.
pub fn cn_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            match n % 10 {
                0 => "",
                d => DIGITS[d as usize],
            }
        ),
        _ => n.to_string(),
    }
}

/// One line of a rectification ledger.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RectificationItem {
    /// 问题描述 (the source may be prefixed by the caller, e.g. "【巡察反馈】…").
    pub problem: String,
    /// 整改措施, one per line.
    pub measures: String,
    /// 责任领导/责任人.
    pub owner: String,
    /// 完成时限, e.g. "2025年6月底前" or "长期坚持".
    pub deadline: String,
    /// 整改进度, e.g. "已完成", "正在推进".
    pub progress: String,
}

/// The 整改台账 table: 序号, 问题, 整改措施, 责任人, 完成时限, 整改进度, numbered from 1.
pub fn rectification_table(title: Option<String>, items: &[RectificationItem]) -> Table {
    Table {
        title,
        headers: [
            "序号",
            "存在问题",
            "整改措施",
            "责任人",
            "完成时限",
            "整改进度",
        ]
        .map(String::from)
        .to_vec(),
        rows: items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                vec![
                    (i + 1).to_string(),
                    it.problem.clone(),
                    it.measures.clone(),
                    it.owner.clone(),
                    it.deadline.clone(),
                    it.progress.clone(),
                ]
            })
            .collect(),
        // 序号 and 整改进度 fit their headers on one line in 小四 on a landscape page.
        widths: vec![6, 29, 35, 9, 11, 10],
        landscape: true,
    }
}

/// A document holding one ledger on landscape pages: the title on top, a line under it (the
/// scope and date: "（填报单位：…　截至2025年6月30日）"), then the table.
pub fn ledger_doc(title: &str, subtitle: Option<&str>, table: Table) -> OfficialDoc {
    OfficialDoc {
        title: title.to_string(),
        subtitle: subtitle.map(str::to_string),
        addressee: None,
        blocks: vec![Block::Table(Table {
            // The document title already says what the table is.
            title: None,
            ..table
        })],
        signature: None,
        attachments: Vec::new(),
        orientation: Orientation::Landscape,
    }
}

/// 督办单: what is to be done, by whom, by when, and what the supervisor asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SupervisionNotice {
    /// 督办编号, e.g. "督〔2025〕3号".
    pub number: String,
    /// 督办事项.
    pub matter: String,
    /// 问题来源 / 督办依据 (optional row).
    pub source: Option<String>,
    /// 承办单位.
    pub undertaker: String,
    /// 办结时限.
    pub deadline: String,
    /// 督办要求.
    pub requirements: String,
    /// 办理情况: empty leaves room to write by hand.
    pub progress: String,
    /// 督办单位, also the signature.
    pub issuer: String,
    /// 联系人及电话.
    pub contact: String,
    /// 成文日期, e.g. "2025年3月5日".
    pub date: String,
}

pub fn supervision_notice(n: &SupervisionNotice) -> OfficialDoc {
    let mut rows = vec![FormRow::single("督办事项", &n.matter).min_lines(2)];
    if let Some(source) = &n.source {
        rows.push(FormRow::single("问题来源", source));
    }
    rows.push(FormRow::pair(
        "承办单位",
        &n.undertaker,
        "办结时限",
        &n.deadline,
    ));
    rows.push(FormRow::single("督办要求", &n.requirements).min_lines(3));
    rows.push(FormRow::single("办理情况", &n.progress).min_lines(5));
    rows.push(FormRow::pair("督办单位", &n.issuer, "联系人", &n.contact));
    OfficialDoc {
        title: "督办通知单".to_string(),
        subtitle: None,
        addressee: None,
        blocks: vec![
            Block::Plain {
                runs: vec![Run::text(format!("编号：{}", n.number))],
                align: Align::Right,
            },
            Block::Form(rows),
            Block::BlankLine,
            Block::para("请承办单位按时限办结，并将办理情况书面报送督办单位。"),
        ],
        signature: Some(Signature {
            org: n.issuer.clone(),
            date: n.date.clone(),
        }),
        attachments: Vec::new(),
        orientation: Orientation::Portrait,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 35, 99, 100]
            .into_iter()
            .map(cn_number)
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "三十五",
                "九十九",
                "100"
            ]
        );
    }

    #[test]
    fn rectification_rows_are_numbered_and_complete() {
        let items = vec![
            RectificationItem {
                problem: "甲".into(),
                ..Default::default()
            },
            RectificationItem {
                problem: "乙".into(),
                ..Default::default()
            },
        ];
        let t = rectification_table(None, &items);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1][0], "2");
        assert_eq!(t.rows[1][1], "乙");
        assert!(t.rows.iter().all(|r| r.len() == t.headers.len()));
        assert_eq!(t.widths.len(), t.headers.len());
    }
}
