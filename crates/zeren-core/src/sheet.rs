//! Spreadsheet conventions shared by the Excel import and export, so that a sheet
//! written by one is read back by the other:
//!
//! - the stable record code (编号) of each kind, `code_of` / `parse_code`: an exported
//!   row carries it, and re-importing the row updates that record instead of adding a
//!   copy;
//! - the columns of each kind (`columns`), with the header names the real ledgers use
//!   and the synonyms people type;
//! - header matching tolerant of spaces, full-width punctuation and required-column
//!   marks (`normalize_header`, `match_header`);
//! - dates in the forms people type (`parse_date`, `parse_deadline`) and Excel serial
//!   dates (`date_from_serial`);
//! - cell addresses as Excel shows them (`col_letter`).
//!
//! Pure functions only: no I/O, no clock.
use chrono::NaiveDate;

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    Orgs,
    People,
    Tasks,
    Problems,
    Activities,
}

impl SheetKind {
    pub const ALL: [SheetKind; 5] = [
        SheetKind::Orgs,
        SheetKind::People,
        SheetKind::Tasks,
        SheetKind::Problems,
        SheetKind::Activities,
    ];

    /// The key used in URLs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SheetKind::Orgs => "orgs",
            SheetKind::People => "people",
            SheetKind::Tasks => "tasks",
            SheetKind::Problems => "problems",
            SheetKind::Activities => "activities",
        }
    }

    pub fn parse(s: &str) -> Option<SheetKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The ledger's name, as a sheet title and a file name.
    pub fn label(self) -> &'static str {
        match self {
            SheetKind::Orgs => "党组织",
            SheetKind::People => "人员及党员名册",
            SheetKind::Tasks => "责任清单",
            SheetKind::Problems => "问题整改台账",
            SheetKind::Activities => "组织生活记录",
        }
    }

    /// One record of the kind, in a sentence ("第 3 行的问题").
    pub fn noun(self) -> &'static str {
        match self {
            SheetKind::Orgs => "组织",
            SheetKind::People => "人员",
            SheetKind::Tasks => "任务",
            SheetKind::Problems => "问题",
            SheetKind::Activities => "组织生活记录",
        }
    }

    /// The letter before the id in a record's code.
    pub fn prefix(self) -> char {
        match self {
            SheetKind::Orgs => 'O',
            SheetKind::People => 'R',
            SheetKind::Tasks => 'T',
            SheetKind::Problems => 'P',
            SheetKind::Activities => 'A',
        }
    }
}

/// The stable code of a record in sheets: the kind's letter and the record id, e.g.
/// `P-123` for problem 123. Exports write it in the 编号 column; imports read it back.
pub fn code_of(kind: SheetKind, id: i64) -> String {
    format!("{}-{id}", kind.prefix())
}

/// Reads a code written by `code_of`, tolerant of case, spaces and a full-width or
/// missing hyphen (`p-12`, `P12`, `P－12`). The message says what is wrong.
pub fn parse_code(kind: SheetKind, s: &str) -> Result<i64, String> {
    let t: String = s
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    let example = code_of(kind, 123);
    let mut chars = t.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    if first != Some(kind.prefix()) {
        let other = SheetKind::ALL
            .into_iter()
            .find(|k| Some(k.prefix()) == first && *k != kind);
        return Err(match other {
            Some(o) => format!(
                "“{s}”是{}的编号，本表是{}，编号应形如 {example}",
                o.noun(),
                kind.noun()
            ),
            None => format!("编号“{s}”格式不对，应形如 {example}"),
        });
    }
    let rest = chars.as_str().trim_start_matches(['-', '_']);
    match rest.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(format!("编号“{s}”格式不对，应形如 {example}")),
    }
}

/// A column of an import sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The field it fills (stable, used by code).
    pub key: &'static str,
    /// The header a template and an export write.
    pub header: &'static str,
    /// Other headers people use for it (matched after `normalize_header`).
    pub synonyms: &'static [&'static str],
    /// The column must be present, and its cells filled.
    pub required: bool,
    /// What goes in, for the template's notes sheet.
    pub note: &'static str,
}

const fn col(
    key: &'static str,
    header: &'static str,
    synonyms: &'static [&'static str],
    required: bool,
    note: &'static str,
) -> Column {
    Column {
        key,
        header,
        synonyms,
        required,
        note,
    }
}

/// The code column every kind has.
pub const CODE: &str = "code";

const CODE_NOTE: &str = "系统编号。导出的表格带有编号，修改后再导入会更新原记录；新增的行留空";

const ORG_COLUMNS: &[Column] = &[
    col(CODE, "编号", &["系统编号", "记录编号"], false, CODE_NOTE),
    col(
        "name",
        "组织名称",
        &["党组织名称", "名称", "党组织"],
        true,
        "党组织全称，最多60字",
    ),
    col(
        "kind",
        "组织类型",
        &["类型", "党组织类型", "组织类别"],
        true,
        "党委、党总支、党支部或党小组",
    ),
    col(
        "parent",
        "上级组织",
        &["上级党组织", "隶属党组织", "所属党组织"],
        true,
        "上级党组织的名称、组织代码或完整路径（如 委党委/某某医院党委）；可以是本表前面各行新建的组织",
    ),
    col(
        "org_code",
        "组织代码",
        &["党组织代码", "代码"],
        false,
        "本单位自用的组织代码，可留空",
    ),
    col(
        "term_start",
        "任期开始",
        &["本届任期开始", "选举日期", "换届日期"],
        false,
        "日期，如 2024-03-05",
    ),
    col(
        "term_end",
        "任期届满",
        &["任期届满日期", "届满日期", "任期结束"],
        false,
        "日期，须晚于任期开始",
    ),
];

const PEOPLE_COLUMNS: &[Column] = &[
    col(CODE, "编号", &["系统编号", "记录编号"], false, CODE_NOTE),
    col("name", "姓名", &["名字"], true, "最多30字"),
    col("gender", "性别", &[], false, "男或女"),
    col(
        "org",
        "所在党组织",
        &["所在支部", "党组织", "所属党组织", "所在组织", "组织"],
        true,
        "党组织名称、组织代码或完整路径",
    ),
    col(
        "party_status",
        "政治面貌",
        &["人员类别", "党员类别", "发展阶段"],
        true,
        "正式党员、预备党员、发展对象、入党积极分子、入党申请人或群众",
    ),
    col("born_on", "出生日期", &["出生年月"], false, "日期"),
    col(
        "applied_on",
        "申请入党日期",
        &["递交入党申请日期", "入党申请日期", "申请入党时间"],
        false,
        "日期",
    ),
    col(
        "activist_on",
        "确定积极分子日期",
        &[
            "确定为入党积极分子日期",
            "列为积极分子日期",
            "确定入党积极分子日期",
        ],
        false,
        "日期",
    ),
    col(
        "candidate_on",
        "确定发展对象日期",
        &["确定为发展对象日期", "列为发展对象日期"],
        false,
        "日期",
    ),
    col(
        "joined_on",
        "入党日期",
        &["接收为预备党员日期", "入党时间", "加入党组织日期"],
        false,
        "接收为预备党员的日期",
    ),
    col(
        "full_on",
        "转正日期",
        &["转为正式党员日期", "转正时间"],
        false,
        "日期",
    ),
    col(
        "title",
        "行政职务",
        &["职务", "工作职务"],
        false,
        "最多60字",
    ),
    col("cadre_rank", "职级", &["干部职级"], false, "最多30字"),
    col(
        "position",
        "党内职务",
        &["党内职务类型"],
        false,
        "书记、副书记、班子成员、纪检委员、支委委员或组织委员",
    ),
    col(
        "portfolio",
        "分管工作",
        &["分工", "分管"],
        false,
        "最多100字",
    ),
    col(
        "contact_state",
        "联系状态",
        &[],
        false,
        "正常联系或失去联系，留空为正常联系",
    ),
    col(
        "last_contact_on",
        "最后联系日期",
        &["失联日期"],
        false,
        "日期",
    ),
    col(
        "pocket",
        "口袋党员",
        &["是否口袋党员"],
        false,
        "是或否，留空为否",
    ),
    col(
        "dues_kind",
        "党费类别",
        &["党费计算方式", "缴费类别"],
        false,
        "在职、离退休、农民、学生、下岗失业或领取生活补助，留空为在职",
    ),
];

const TASK_COLUMNS: &[Column] = &[
    col(CODE, "编号", &["系统编号", "记录编号"], false, CODE_NOTE),
    col("seq", "序号", &[], false, "台账自己的序号，不导入"),
    col(
        "category",
        "类别",
        &["任务类别", "责任类别", "工作类别"],
        false,
        "最多40字",
    ),
    col(
        "title",
        "任务",
        &["任务名称", "工作任务", "责任事项", "任务事项", "重点任务"],
        true,
        "最多100字",
    ),
    col(
        "content",
        "任务内容",
        &["具体内容", "工作内容", "具体要求", "工作措施"],
        false,
        "最多2000字",
    ),
    col(
        "subject",
        "责任主体",
        &["主体"],
        false,
        "党委（党组）、书记、班子成员或纪检机构，留空为党委（党组）",
    ),
    col(
        "org",
        "责任单位",
        &["所在党组织", "责任党组织", "牵头单位", "责任组织"],
        true,
        "党组织名称、组织代码或完整路径",
    ),
    col(
        "leader",
        "责任领导",
        &["分管领导", "牵头领导"],
        false,
        "姓名，须为责任单位或其上级组织的人员",
    ),
    col(
        "person",
        "责任人",
        &["具体责任人", "经办人"],
        false,
        "姓名，须为责任单位或其上级组织的人员",
    ),
    col(
        "deadline",
        "完成期限",
        &["完成时限", "时限", "截止日期", "完成时间"],
        true,
        "日期；也可写“2024年6月底”",
    ),
    col(
        "state",
        "状态",
        &["完成情况"],
        false,
        "只读：导入不改变状态",
    ),
];

const PROBLEM_COLUMNS: &[Column] = &[
    col(
        CODE,
        "编号",
        &["系统编号", "问题编号", "记录编号"],
        false,
        CODE_NOTE,
    ),
    col("seq", "序号", &[], false, "台账自己的序号，不导入"),
    col(
        "source",
        "问题来源",
        &["来源", "问题类别来源"],
        true,
        "巡视、巡察、审计、主题教育查摆、民主生活会、调研、考核、信访、督查或自查",
    ),
    col(
        "source_ref",
        "来源批次",
        &["巡察批次", "批次", "轮次", "来源说明"],
        false,
        "如“十四届市委第三轮巡察”，最多60字",
    ),
    col(
        "org",
        "所在党组织",
        &["责任单位", "责任党组织", "整改单位", "被巡察单位", "党组织"],
        true,
        "党组织名称、组织代码或完整路径",
    ),
    col(
        "title",
        "问题概述",
        &["问题标题", "问题名称"],
        false,
        "一句话概述，最多200字；留空时取问题描述",
    ),
    col(
        "description",
        "问题描述",
        &["问题表现", "具体问题", "存在问题", "问题内容", "问题"],
        false,
        "问题的具体表现，最多4000字；问题概述与问题描述至少填一项",
    ),
    col(
        "category",
        "问题类别",
        &["问题类型", "类别"],
        false,
        "可留空",
    ),
    col(
        "leader",
        "责任领导",
        &["分管领导", "牵头领导", "责任校领导"],
        false,
        "姓名，须为所在党组织或其上级组织的人员",
    ),
    col(
        "department",
        "责任部门",
        &["牵头部门", "责任科室", "责任处室"],
        false,
        "部门名称，最多60字",
    ),
    col(
        "person",
        "责任人",
        &["具体责任人", "整改责任人"],
        false,
        "姓名，须为所在党组织或其上级组织的人员",
    ),
    col(
        "measures",
        "整改措施",
        &["整改举措", "具体措施", "措施"],
        false,
        "每行一条措施（单元格内换行：Alt+Enter）；行首的“1.”“（1）”等编号会去掉",
    ),
    col(
        "found_on",
        "发现日期",
        &["发现时间", "反馈日期", "查摆日期"],
        false,
        "日期；留空为导入当天（完成时限更早时取完成时限）",
    ),
    col(
        "deadline",
        "完成时限",
        &["整改时限", "完成期限", "整改期限", "时限要求", "完成时间"],
        true,
        "日期；也可写“2024年6月底”",
    ),
    col(
        "progress",
        "整改进度",
        &["整改情况", "进展情况", "完成情况", "整改进展", "状态"],
        false,
        "只作记录：问题须在系统中上传佐证、审核后销号，导入不改变状态",
    ),
    col(
        "evidence",
        "佐证材料",
        &["佐证", "证明材料", "佐证资料"],
        false,
        "只作记录：佐证文件请在系统中上传",
    ),
];

const ACTIVITY_COLUMNS: &[Column] = &[
    col(CODE, "编号", &["系统编号", "记录编号"], false, CODE_NOTE),
    col("seq", "序号", &[], false, "台账自己的序号，不导入"),
    col(
        "org",
        "所在党组织",
        &["党组织", "党支部", "所在支部", "组织"],
        true,
        "党组织名称、组织代码或完整路径",
    ),
    col(
        "kind",
        "会议类型",
        &["类型", "活动类型", "会议/活动类型", "会议名称类型"],
        true,
        "支部党员大会、支部委员会、党小组会、党课、主题党日、党委会等",
    ),
    col(
        "title",
        "会议名称",
        &["标题", "活动名称", "名称"],
        false,
        "留空时由类型和议题生成",
    ),
    col(
        "state",
        "状态",
        &[],
        false,
        "已召开或计划召开，留空为已召开",
    ),
    col(
        "held_on",
        "实际时间",
        &[
            "召开时间",
            "召开日期",
            "时间",
            "日期",
            "会议时间",
            "活动时间",
        ],
        false,
        "日期，可带时间段，如 2024-03-05 09:00-11:00；已召开的必填",
    ),
    col(
        "planned_on",
        "计划时间",
        &["计划日期"],
        false,
        "日期；计划召开的必填",
    ),
    col(
        "place",
        "地点",
        &["会议地点", "活动地点"],
        false,
        "最多100字",
    ),
    col(
        "host",
        "主持人",
        &[],
        false,
        "姓名，须为该党组织或其上级组织的人员",
    ),
    col(
        "recorder",
        "记录人",
        &[],
        false,
        "姓名，须为该党组织或其上级组织的人员",
    ),
    col("expected", "应到人数", &["应到"], false, "整数"),
    col(
        "present",
        "实到人数",
        &["实到", "参会人数", "出席人数"],
        true,
        "整数，已召开的须大于0",
    ),
    col("leave", "请假人数", &["请假"], false, "整数"),
    col("observers", "列席人员", &["列席"], false, "最多500字"),
    col(
        "topic",
        "议题",
        &["会议议题", "主题", "活动主题"],
        false,
        "每行一项；党委会中含“第一议题”字样的一行记为第一议题",
    ),
    col(
        "content",
        "内容",
        &["会议内容", "主要内容", "活动内容", "会议记录"],
        false,
        "最多20000字",
    ),
    col(
        "decisions",
        "决议",
        &["会议决议", "决定事项", "决议事项"],
        false,
        "最多4000字",
    ),
];

/// The columns of a kind's sheet, in template order.
pub fn columns(kind: SheetKind) -> &'static [Column] {
    match kind {
        SheetKind::Orgs => ORG_COLUMNS,
        SheetKind::People => PEOPLE_COLUMNS,
        SheetKind::Tasks => TASK_COLUMNS,
        SheetKind::Problems => PROBLEM_COLUMNS,
        SheetKind::Activities => ACTIVITY_COLUMNS,
    }
}

/// Full-width ASCII forms (`Ａ`, `１`, `（`, `－`, `／`, the ideographic space) to their
/// ASCII counterparts; everything else unchanged.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // dashes people type for a hyphen
        '—' | '–' | '‐' => '-',
        '、' => ',',
        _ => c,
    }
}

/// A header as compared: width-folded, without spaces, line breaks, brackets'
/// content after the name (`完成时限（年月日）`), required marks (`*`, `★`) and
/// trailing colons.
pub fn normalize_header(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '★' | '☆' | ':' | '：'))
        .collect();
    // a remark in brackets after the name: 完成时限(年月日), 整改措施【必填】
    let cut = folded
        .find(['(', '[', '【', '〔', '<', '《'])
        .filter(|&i| i > 0)
        .unwrap_or(folded.len());
    folded[..cut].to_lowercase()
}

/// The column a header cell names, if any.
pub fn match_header(kind: SheetKind, cell: &str) -> Option<&'static Column> {
    let h = normalize_header(cell);
    if h.is_empty() {
        return None;
    }
    columns(kind).iter().find(|c| {
        normalize_header(c.header) == h || c.synonyms.iter().any(|s| normalize_header(s) == h)
    })
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn col_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// An Excel serial day number (1900 date system, including Excel's phantom
/// 1900-02-29) as a date; the fraction (time of day) is ignored. `None` outside
/// 1900–9999.
pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // serial 60 is the 29 February 1900 that never was; from 61 on, day 0 is 1899-12-30
    let base = if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// The serial number Excel stores for a date (1900 date system).
pub fn serial_of(d: NaiveDate) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(d);
    (d - base).num_days() as f64
}

/// Why a date cell was not understood.
pub const DATE_HELP: &str = "日期请写成 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日";
/// The same for a deadline, which may also be a month.
pub const DEADLINE_HELP: &str =
    "日期请写成 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日，也可写“2024年6月底”";

/// Splits a date-like text into its leading numbers and what separated them.
fn numbers(s: &str) -> (Vec<u32>, String) {
    let mut nums = Vec::new();
    let mut seps = String::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                nums.push(cur.parse().unwrap_or(u32::MAX));
                cur.clear();
            }
            seps.push(c);
        }
    }
    if !cur.is_empty() {
        nums.push(cur.parse().unwrap_or(u32::MAX));
    }
    (nums, seps)
}

/// The date part of a cell's text: everything before a time of day or a space.
fn date_part(s: &str) -> &str {
    let s = s.trim();
    let end = s
        .find(|c: char| c.is_whitespace() || c == 'T' || c == '上' || c == '下' || c == '晚')
        .unwrap_or(s.len());
    &s[..end]
}

/// A date as people type it: `2023-3-5`, `2023/03/05`, `2023.3.5`, `2023年3月5日`
/// (号 for 日 too), `20230305`; a time of day after it is ignored
/// (`2023-03-05 09:30`). Full-width digits are fine. The error says how to write it.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let folded: String = s.chars().map(fold_width).collect();
    let part = date_part(&folded);
    if part.is_empty() {
        return Err("日期为空".into());
    }
    let (nums, seps) = numbers(part);
    let bad = || format!("“{}”不是日期", s.trim());
    let (y, m, d) = match nums.as_slice() {
        [ymd] if part.len() == 8 && seps.is_empty() => (ymd / 10000, ymd / 100 % 100, ymd % 100),
        [y, m, d] => {
            let ok_seps = seps
                .chars()
                .all(|c| matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | '号'));
            if !ok_seps {
                return Err(bad());
            }
            (*y, *m, *d)
        }
        _ => return Err(bad()),
    };
    if !(1900..=9999).contains(&y) {
        return Err(format!("“{}”的年份应为四位数，如 2024", s.trim()));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .ok_or_else(|| format!("“{}”不是存在的日期（{y}年没有{m}月{d}日）", s.trim()))
}

/// A deadline: any `parse_date` form, or a month (`2024年6月`, `2024年6月底`,
/// `2024-06`), which means its last day.
pub fn parse_deadline(s: &str) -> Result<NaiveDate, String> {
    match parse_date(s) {
        Ok(d) => Ok(d),
        Err(e) => {
            let folded: String = s.chars().map(fold_width).collect();
            let t = folded.trim().trim_end_matches(['底', '末', '前']).trim();
            let t = t.trim_end_matches("月份").trim_end_matches('月');
            let (nums, seps) = numbers(t);
            let month_seps = seps
                .chars()
                .all(|c| matches!(c, '-' | '/' | '.' | '年' | '月'));
            match nums.as_slice() {
                [y, m] if month_seps && (1900..=9999).contains(y) && (1..=12).contains(m) => {
                    last_day_of_month(*y as i32, *m).ok_or(e)
                }
                _ => {
                    if ["长期", "持续", "立行立改", "常态"]
                        .iter()
                        .any(|w| s.contains(w))
                    {
                        Err(format!(
                            "“{}”不是日期：完成时限须是具体日期，长期坚持的可填写阶段性时限，如当年年底（年-12-31）",
                            s.trim()
                        ))
                    } else {
                        Err(e)
                    }
                }
            }
        }
    }
}

fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// A time range after a date: `2023-03-05 09:00-11:30`, `2023年3月5日上午9:00至11:00`
/// → (`09:00`, `11:30`). Times without a colon are not read.
pub fn parse_time_range(s: &str) -> (Option<String>, Option<String>) {
    let folded: String = s.chars().map(fold_width).collect();
    let rest = &folded[date_part(&folded).len().min(folded.len())..];
    let afternoon = rest.contains("下午") || rest.contains("晚");
    let mut times = Vec::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_ascii_digit() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_ascii_digit() || d == ':' {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let tok = &rest[start..end];
        if let Some((h, m)) = tok.split_once(':') {
            if let (Ok(mut h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) {
                if afternoon && h < 12 {
                    h += 12;
                }
                if h < 24 && m < 60 {
                    times.push(format!("{h:02}:{m:02}"));
                }
            }
        }
    }
    (times.first().cloned(), times.get(1).cloned())
}

/// The items of a multi-line cell (measures, agenda items): one per line, leading
/// numbering (`1.`, `1、`, `(1)`, `（一）`, `①`) and bullets removed, empty lines
/// dropped.
pub fn split_items(s: &str) -> Vec<String> {
    s.lines()
        .map(strip_numbering)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn strip_numbering(line: &str) -> &str {
    let mut t = line.trim();
    // circled numbers ①–⑳ and bullets
    if let Some(c) = t.chars().next() {
        if ('\u{2460}'..='\u{2473}').contains(&c) || matches!(c, '•' | '·' | '●' | '○' | '-' | '—')
        {
            t = t[c.len_utf8()..].trim_start();
            return t;
        }
    }
    const CN: &str = "一二三四五六七八九十";
    let is_num = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || CN.contains(c);
    // (1) （1） (一) （一）
    if let Some(open) = t.chars().next().filter(|c| matches!(c, '(' | '（')) {
        let inner = &t[open.len_utf8()..];
        let digits: usize = inner
            .chars()
            .take_while(|c| is_num(*c))
            .map(char::len_utf8)
            .sum();
        if digits > 0 {
            let after = &inner[digits..];
            if let Some(close) = after.chars().next().filter(|c| matches!(c, ')' | '）')) {
                return after[close.len_utf8()..].trim_start();
            }
        }
        return t;
    }
    // 1. 1、 1) 一、 1．
    let digits: usize = t
        .chars()
        .take_while(|c| is_num(*c))
        .map(char::len_utf8)
        .sum();
    if digits > 0 {
        let after = &t[digits..];
        if let Some(p) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '.' | '、' | ')' | '）' | '．' | ','))
        {
            let rest = &after[p.len_utf8()..];
            // "1.5万元" is not numbering: numbering is followed by text, not a digit
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest.trim_start();
            }
        }
    }
    t
}

/// 是/否 and the like. `None` for anything else.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" | "✓" | "有" => Some(true),
        "否" | "n" | "no" | "false" | "0" | "×" | "无" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_round_trip_and_refuse_other_kinds() {
        for k in SheetKind::ALL {
            assert_eq!(parse_code(k, &code_of(k, 4711)), Ok(4711));
            assert_eq!(SheetKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(code_of(SheetKind::Problems, 123), "P-123");
        assert_eq!(parse_code(SheetKind::Problems, " p－12 "), Ok(12));
        assert_eq!(parse_code(SheetKind::Problems, "P12"), Ok(12));
        assert_eq!(parse_code(SheetKind::Problems, "Ｐ-７"), Ok(7));
        let e = parse_code(SheetKind::Problems, "T-12").unwrap_err();
        assert!(e.contains("任务的编号"), "{e}");
        assert!(parse_code(SheetKind::Problems, "P-").is_err());
        assert!(parse_code(SheetKind::Problems, "P-0").is_err());
        assert!(parse_code(SheetKind::Problems, "12").is_err());
        assert!(parse_code(SheetKind::Problems, "P-1x").is_err());
        // prefixes are distinct, so a code names its kind
        let mut p: Vec<char> = SheetKind::ALL.iter().map(|k| k.prefix()).collect();
        p.sort_unstable();
        p.dedup();
        assert_eq!(p.len(), SheetKind::ALL.len());
    }

    #[test]
    fn headers_match_by_name_with_spaces_width_and_marks() {
        let k = SheetKind::Problems;
        for h in [
            "问题描述",
            " 问题 描述 ",
            "问题描述*",
            "*问题描述",
            "★问题描述",
            "问题描述（必填）",
            "问题描述(必填)",
            "问题描述：",
            "问题\n描述",
            "问题\u{3000}描述",
        ] {
            assert_eq!(
                match_header(k, h).map(|c| c.key),
                Some("description"),
                "{h:?}"
            );
        }
        assert_eq!(match_header(k, "整改时限").map(|c| c.key), Some("deadline"));
        assert_eq!(match_header(k, "完成时限").map(|c| c.key), Some("deadline"));
        assert_eq!(match_header(k, "责任单位").map(|c| c.key), Some("org"));
        assert_eq!(match_header(k, "编号").map(|c| c.key), Some(CODE));
        assert_eq!(match_header(k, "备注"), None);
        assert_eq!(match_header(k, ""), None);
        let a = SheetKind::Activities;
        assert_eq!(match_header(a, "实际时间").map(|c| c.key), Some("held_on"));
        assert_eq!(match_header(a, "ＡＢＣ"), None);
        assert_eq!(normalize_header("ＡＢ（Ｃ）"), "ab");
    }

    #[test]
    fn headers_and_synonyms_are_unambiguous_within_a_kind() {
        for k in SheetKind::ALL {
            let mut all: Vec<String> = Vec::new();
            for c in columns(k) {
                all.push(normalize_header(c.header));
                all.extend(c.synonyms.iter().map(|s| normalize_header(s)));
            }
            let n = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), n, "{k:?} has a header twice");
            assert_eq!(columns(k)[0].key, CODE);
        }
    }

    #[test]
    fn dates_as_people_type_them() {
        for s in [
            "2023-3-5",
            "2023-03-05",
            "2023/03/05",
            "2023/3/5",
            "2023.3.5",
            "2023年3月5日",
            "2023年03月05号",
            "20230305",
            "２０２３－０３－０５",
            " 2023-03-05 09:30 ",
            "2023-03-05T09:30:00",
            "2023年3月5日上午9:00",
        ] {
            assert_eq!(parse_date(s), Ok(d(2023, 3, 5)), "{s:?}");
        }
        for s in [
            "2023-2-30",
            "2023-13-01",
            "23-3-5",
            "三月五日",
            "2023-3",
            "",
            "2023-3-5-1",
            "2023,3,5",
        ] {
            assert!(parse_date(s).is_err(), "{s:?}");
        }
        assert!(parse_date("2023-2-29")
            .unwrap_err()
            .contains("不是存在的日期"));
        assert!(parse_date("2024-2-29").is_ok());
    }

    #[test]
    fn deadlines_take_months_as_their_last_day() {
        assert_eq!(parse_deadline("2024年6月底"), Ok(d(2024, 6, 30)));
        assert_eq!(parse_deadline("2024年2月"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_deadline("2024-12"), Ok(d(2024, 12, 31)));
        assert_eq!(parse_deadline("2024年12月末"), Ok(d(2024, 12, 31)));
        assert_eq!(parse_deadline("2024-6-15"), Ok(d(2024, 6, 15)));
        assert!(parse_deadline("长期坚持").unwrap_err().contains("具体日期"));
        assert!(parse_deadline("2024年13月").is_err());
    }

    #[test]
    fn excel_serials_are_days_since_1899() {
        assert_eq!(date_from_serial(45000.0), Some(d(2023, 3, 15)));
        assert_eq!(date_from_serial(44990.75), Some(d(2023, 3, 5)));
        assert_eq!(date_from_serial(61.0), Some(d(1900, 3, 1)));
        assert_eq!(date_from_serial(59.0), Some(d(1900, 2, 28)));
        assert_eq!(date_from_serial(1.0), Some(d(1900, 1, 1)));
        assert_eq!(date_from_serial(0.0), None);
        assert_eq!(date_from_serial(f64::NAN), None);
        for day in [d(2023, 3, 5), d(2000, 2, 29), d(2026, 12, 31)] {
            assert_eq!(date_from_serial(serial_of(day)), Some(day));
        }
    }

    #[test]
    fn column_letters_as_excel_shows_them() {
        assert_eq!(col_letter(0), "A");
        assert_eq!(col_letter(25), "Z");
        assert_eq!(col_letter(26), "AA");
        assert_eq!(col_letter(27), "AB");
        assert_eq!(col_letter(701), "ZZ");
        assert_eq!(col_letter(702), "AAA");
    }

    #[test]
    fn items_lose_their_numbering() {
        let cell = "1.建立台账\n2、逐项销号\n\n（3）开展回头看\n(4) 约谈\n①通报\n一、整改\n• 督办\n1.5万元专项经费";
        assert_eq!(
            split_items(cell),
            vec![
                "建立台账",
                "逐项销号",
                "开展回头看",
                "约谈",
                "通报",
                "整改",
                "督办",
                "1.5万元专项经费"
            ]
        );
        assert_eq!(split_items("  \n "), Vec::<String>::new());
    }

    #[test]
    fn time_ranges_after_dates() {
        assert_eq!(
            parse_time_range("2024-03-05 09:00-11:30"),
            (Some("09:00".into()), Some("11:30".into()))
        );
        assert_eq!(
            parse_time_range("2024年3月5日下午2:30至4:00"),
            (Some("14:30".into()), Some("16:00".into()))
        );
        assert_eq!(parse_time_range("2024-03-05"), (None, None));
    }

    #[test]
    fn yes_and_no() {
        assert_eq!(parse_yes_no("是"), Some(true));
        assert_eq!(parse_yes_no(" 否 "), Some(false));
        assert_eq!(parse_yes_no(""), Some(false));
        assert_eq!(parse_yes_no("也许"), None);
    }
}
