//! 模板下载: an import template per kind — the Chinese headers (required ones marked
//! `*` and red), one example row, drop-down lists for the enumerations, date cells
//! formatted as dates, and a 填写说明 sheet explaining every column and the rules.
use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Workbook, XlsxError};
use zeren_core::activity::ActivityKind;
use zeren_core::dues::DuesKind;
use zeren_core::sheet::{self, Column, SheetKind};

use crate::person::{PARTY_STATUSES, POSITION_KINDS};
use crate::roster::CONTACT_STATES;

/// Rows of the data area that carry the drop-downs and date formats.
const DATA_ROWS: u32 = 5000;

/// The sheet the notes are on; the importer reads the first sheet with headers.
pub const NOTES_SHEET: &str = "填写说明";

/// Drop-down values of a column, if it is an enumeration.
fn choices(kind: SheetKind, key: &str) -> Option<Vec<&'static str>> {
    Some(match (kind, key) {
        (SheetKind::Problems, "source") => super::problems::source_labels(),
        (SheetKind::Problems, "progress") => vec!["未开始", "整改中", "已完成", "持续整改"],
        (SheetKind::Activities, "kind") => super::activities::kind_labels(),
        (SheetKind::Activities, "state") => vec!["已召开", "计划召开"],
        (SheetKind::Tasks, "subject") => super::tasks::subject_labels(),
        (SheetKind::People, "party_status") => PARTY_STATUSES.iter().map(|(_, l)| *l).collect(),
        (SheetKind::People, "gender") => vec!["男", "女"],
        (SheetKind::People, "position") => POSITION_KINDS.iter().map(|(_, l)| *l).collect(),
        (SheetKind::People, "contact_state") => CONTACT_STATES.iter().map(|(_, l)| *l).collect(),
        (SheetKind::People, "pocket") => vec!["否", "是"],
        (SheetKind::People, "dues_kind") => DuesKind::ALL.iter().map(|k| k.label()).collect(),
        (SheetKind::Orgs, "kind") => super::orgs::kind_labels(),
        _ => return None,
    })
}

fn is_date(key: &str) -> bool {
    matches!(
        key,
        "deadline"
            | "found_on"
            | "held_on"
            | "planned_on"
            | "born_on"
            | "applied_on"
            | "activist_on"
            | "candidate_on"
            | "joined_on"
            | "full_on"
            | "last_contact_on"
            | "term_start"
            | "term_end"
    )
}

fn width(key: &str) -> f64 {
    match key {
        "description" | "measures" | "content" | "decisions" | "topic" => 40.0,
        "title" | "org" | "parent" | "name" => 24.0,
        _ => 14.0,
    }
}

/// Example cells, by column key. `org` is an org of the downloader's scope, so the
/// example row imports as it is.
fn example(kind: SheetKind, key: &str, org: &str, today: chrono::NaiveDate) -> Option<String> {
    let later = today
        .checked_add_months(chrono::Months::new(3))
        .unwrap_or(today)
        .to_string();
    Some(match (kind, key) {
        (_, "org") => org.to_string(),
        (SheetKind::Problems, "seq")
        | (SheetKind::Tasks, "seq")
        | (SheetKind::Activities, "seq") => "1".into(),
        (SheetKind::Problems, "source") => "巡察".into(),
        (SheetKind::Problems, "source_ref") => "第三轮巡察".into(),
        (SheetKind::Problems, "title") => "“三重一大”决策制度执行不严格".into(),
        (SheetKind::Problems, "description") => {
            "部分大额资金使用未经党委会集体研究，会议记录不完整".into()
        }
        (SheetKind::Problems, "department") => "党委办公室".into(),
        (SheetKind::Problems, "measures") => {
            "1.修订“三重一大”决策制度实施办法\n2.对近两年大额资金使用情况开展自查".into()
        }
        (SheetKind::Problems, "deadline") | (SheetKind::Tasks, "deadline") => later,
        (SheetKind::Problems, "progress") => "整改中".into(),
        (SheetKind::Tasks, "category") => "党的政治建设".into(),
        (SheetKind::Tasks, "title") => "落实“第一议题”制度".into(),
        (SheetKind::Tasks, "content") => "党委会第一议题学习习近平总书记最新重要讲话精神".into(),
        (SheetKind::Tasks, "subject") => "党委主体责任".into(),
        (SheetKind::Activities, "kind") => "支部委员会".into(),
        (SheetKind::Activities, "state") => "已召开".into(),
        (SheetKind::Activities, "held_on") => format!("{today} 09:00-10:30"),
        (SheetKind::Activities, "place") => "党员活动室".into(),
        (SheetKind::Activities, "expected") => "7".into(),
        (SheetKind::Activities, "present") => "6".into(),
        (SheetKind::Activities, "leave") => "1".into(),
        (SheetKind::Activities, "topic") => "研究本月党员发展工作".into(),
        (SheetKind::Activities, "decisions") => "同意确定1名发展对象".into(),
        (SheetKind::People, "name") => "王某某".into(),
        (SheetKind::People, "gender") => "女".into(),
        (SheetKind::People, "party_status") => "正式党员".into(),
        (SheetKind::People, "born_on") => "1985-06-01".into(),
        (SheetKind::People, "joined_on") => "2010-07-01".into(),
        (SheetKind::People, "full_on") => "2011-07-01".into(),
        (SheetKind::People, "title") => "护士长".into(),
        (SheetKind::People, "contact_state") => "正常联系".into(),
        (SheetKind::People, "pocket") => "否".into(),
        (SheetKind::People, "dues_kind") => DuesKind::Salaried.label().into(),
        (SheetKind::Orgs, "name") => "示例第九党支部".into(),
        (SheetKind::Orgs, "kind") => "党支部".into(),
        (SheetKind::Orgs, "parent") => org.to_string(),
        (SheetKind::Orgs, "term_start") => "2024-03-01".into(),
        (SheetKind::Orgs, "term_end") => "2027-02-28".into(),
        _ => return None,
    })
}

/// The template of `kind` as `.xlsx` bytes. `org`: an org name for the example row
/// (the downloader's own).
pub fn template(
    kind: SheetKind,
    org: &str,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, XlsxError> {
    let cols: &[Column] = sheet::columns(kind);
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2F2F2")
        .set_text_wrap();
    let head_req = head.clone().set_font_color("#C00000");
    let text = Format::new().set_text_wrap().set_num_format("@");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let example_fmt = Format::new().set_text_wrap().set_font_color("#595959");
    let example_date = date.clone().set_font_color("#595959");
    {
        let ws = wb.add_worksheet();
        ws.set_name(kind.label())?;
        for (c, col) in cols.iter().enumerate() {
            let c16 = c as u16;
            let header = if col.required {
                format!("*{}", col.header)
            } else {
                col.header.to_string()
            };
            ws.write_with_format(0, c16, header, if col.required { &head_req } else { &head })?;
            ws.set_column_width(c16, width(col.key))?;
            if is_date(col.key) {
                ws.set_column_format(c16, &date)?;
            } else {
                ws.set_column_format(c16, &text)?;
            }
            if let Some(list) = choices(kind, col.key) {
                let dv = DataValidation::new()
                    .allow_list_strings(&list)?
                    .set_error_title("请从下拉列表中选择")?
                    .set_error_message(format!("可选：{}", list.join("、")))?;
                ws.add_data_validation(1, c16, DATA_ROWS, c16, &dv)?;
            }
            if let Some(v) = example(kind, col.key, org, today) {
                // the 实际时间 example carries a time range, so it stays text
                match sheet::parse_date(&v).ok().filter(|_| !v.contains(':')) {
                    Some(d) if is_date(col.key) => {
                        ws.write_number_with_format(1, c16, sheet::serial_of(d), &example_date)?;
                    }
                    _ => {
                        ws.write_with_format(1, c16, v, &example_fmt)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_row_height(1, 36)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(NOTES_SHEET)?;
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        ws.set_column_width(0, 16)?;
        ws.set_column_width(1, 8)?;
        ws.set_column_width(2, 90)?;
        ws.write_with_format(0, 0, format!("{}导入模板 · 填写说明", kind.label()), &bold)?;
        let general = [
            "1. 第一张工作表第1行是表头，请勿修改列名（列的顺序可以调整，不需要的非必填列可以删除）。红色带 * 的列必须填写。",
            "2. 第2行是示例，导入前请删除或改成实际内容；空行会被跳过。表头上方可以有一行标题。",
            "3. 日期可写成 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日，也可使用 Excel 日期格式。",
            "4. 党组织填写名称；同名的请写组织代码或完整路径，如“委党委/某某医院党委/第一党支部”。人员填写姓名；同名的写成“姓名（所在党组织）”。",
            "5. 编号列由系统生成：从系统导出的表格带有编号，修改后再导入会更新原记录而不会重复登记；新增的行编号留空。",
            "6. 数据区不能有合并单元格。导入时先检查全部行：只要有一处错误就不会导入任何一行，并列出每处错误的行号、列和改法；全部正确才一次性导入。",
        ];
        let mut r = 2u32;
        for g in general {
            ws.merge_range(r, 0, r, 2, g, &wrap)?;
            ws.set_row_height(r, 32)?;
            r += 1;
        }
        r += 1;
        ws.write_with_format(r, 0, "列名", &bold)?;
        ws.write_with_format(r, 1, "必填", &bold)?;
        ws.write_with_format(r, 2, "填写要求", &bold)?;
        r += 1;
        for col in cols {
            ws.write(r, 0, col.header)?;
            ws.write(r, 1, if col.required { "是" } else { "" })?;
            let mut note = col.note.to_string();
            if let Some(list) = choices(kind, col.key) {
                if !note.contains(list[0]) {
                    note.push_str(&format!("（可选：{}）", list.join("、")));
                }
            }
            if !col.synonyms.is_empty() {
                note.push_str(&format!("。表头也可写作：{}", col.synonyms.join("、")));
            }
            ws.write_with_format(r, 2, note, &wrap)?;
            r += 1;
        }
        if kind == SheetKind::Activities {
            r += 1;
            let kinds: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.label()).collect();
            ws.merge_range(
                r,
                0,
                r,
                2,
                &format!("会议类型：{}。", kinds.join("、")),
                &wrap,
            )?;
        }
    }
    wb.save_to_buffer()
}
