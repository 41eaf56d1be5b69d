//! Excel import: real .xlsx files written here (or by the template and the export),
//! imported through the API, the page and the CLI into the real database, read back
//! and compared. A file with faults changes nothing, whatever the fault.
use reqwest::StatusCode;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use zeren_core::sheet::{code_of, serial_of, SheetKind};

use crate::harness::*;

/// A cell of a test sheet.
#[derive(Clone)]
enum C {
    T(String),
    /// A date cell (number with a date format).
    D(chrono::NaiveDate),
    /// A plain number (an Excel serial date when the column is a date).
    N(f64),
    E,
}

fn tc(s: &str) -> C {
    C::T(s.to_string())
}

fn day(n: i64) -> chrono::NaiveDate {
    zeren_app::clock::today() + chrono::Duration::days(n)
}

/// A sheet: an optional title row (merged across the header's width), the header, the
/// rows; `merge` adds merged ranges (first row, first col, last row, last col) over
/// data.
struct Sheet {
    title: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<C>>,
    merge: Vec<(u32, u16, u32, u16)>,
}

impl Sheet {
    fn new(header: &[&str]) -> Sheet {
        Sheet {
            title: None,
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            merge: Vec::new(),
        }
    }
    fn title(mut self, t: &str) -> Sheet {
        self.title = Some(t.to_string());
        self
    }
    fn row(mut self, r: Vec<C>) -> Sheet {
        self.rows.push(r);
        self
    }
    fn bytes(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let plain = Format::new();
        let mut r = 0u32;
        if let Some(title) = &self.title {
            ws.merge_range(0, 0, 0, self.header.len() as u16 - 1, title, &plain)
                .unwrap();
            r = 1;
        }
        for (c, h) in self.header.iter().enumerate() {
            ws.write(r, c as u16, h.as_str()).unwrap();
        }
        for row in &self.rows {
            r += 1;
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                match v {
                    C::T(s) => {
                        ws.write(r, c, s.as_str()).unwrap();
                    }
                    C::D(d) => {
                        ws.write_number_with_format(r, c, serial_of(*d), &date)
                            .unwrap();
                    }
                    C::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    C::E => {}
                }
            }
        }
        for (r1, c1, r2, c2) in &self.merge {
            ws.merge_range(*r1, *c1, *r2, *c2, "", &plain).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }
}

async fn import(t: &TestApp, token: &str, kind: &str, bytes: Vec<u8>, dry_run: bool) -> Resp {
    let q = if dry_run { "&dry_run=1" } else { "" };
    Resp::read(
        t.api
            .post(t.url(&format!("/api/v1/import/{kind}?name=test.xlsx{q}")))
            .bearer_auth(token)
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(bytes)
            .send()
            .await
            .expect("POST import"),
    )
    .await
}

/// POSTs a sheet to the import API; asserts the status and returns the report.
async fn import_ok(t: &TestApp, token: &str, kind: &str, bytes: Vec<u8>, dry_run: bool) -> Value {
    let path = format!(
        "/api/v1/import/{kind}{}",
        if dry_run { "?dry_run=1" } else { "" }
    );
    let r = Resp::read(
        t.api
            .post(t.url(&path))
            .bearer_auth(token)
            .body(bytes)
            .send()
            .await
            .expect("POST import"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "import {kind}: {}", r.text());
    let v = r.json();
    assert_eq!(v["error_count"], 0, "{v}");
    assert_eq!(v["committed"], !dry_run, "{v}");
    v
}

/// POSTs a sheet that must be refused; returns the report's errors.
async fn import_refused(t: &TestApp, token: &str, kind: &str, bytes: Vec<u8>) -> Vec<Value> {
    let r = Resp::read(
        t.api
            .post(t.url(&format!("/api/v1/import/{kind}")))
            .bearer_auth(token)
            .body(bytes)
            .send()
            .await
            .expect("POST import"),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "import {kind} must be refused: {}",
        r.text()
    );
    let v = r.json();
    assert_eq!(v["committed"], false);
    assert!(v["error_count"].as_u64().unwrap() > 0);
    v["errors"].as_array().unwrap().clone()
}

/// Rows of every table an import writes to, and the audit events but the import's own.
async fn snapshot(t: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM problems",
        "SELECT COUNT(*) FROM measures",
        "SELECT COUNT(*) FROM tasks",
        "SELECT COUNT(*) FROM activities",
        "SELECT COUNT(*) FROM activity_agenda",
        "SELECT COUNT(*) FROM people",
        "SELECT COUNT(*) FROM positions",
        "SELECT COUNT(*) FROM orgs",
        "SELECT COUNT(*) FROM history",
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM counters",
        "SELECT COUNT(*) FROM audit_events WHERE action <> 'import'",
        "SELECT CAST(COALESCE(SUM(LENGTH(deadline)), 0) AS BIGINT) FROM problems",
    ] {
        v.push(t.count(sql).await);
    }
    v
}

/// A person of the org with this id, by name (demo names are unique).
async fn person_of(t: &TestApp, token: &str, org_id: i64, nth: usize) -> Value {
    let (people, _) = t
        .all_items(token, &format!("/api/v1/people?org={org_id}"))
        .await;
    people
        .into_iter()
        .filter(|p| p["org_id"].as_i64() == Some(org_id))
        .nth(nth)
        .expect("the demo org has people")
}

fn err_has(errors: &[Value], row: Option<u64>, letter: Option<&str>, text: &str) -> bool {
    errors.iter().any(|e| {
        e["row"].as_u64() == row
            && (letter.is_none() || e["letter"].as_str() == letter)
            && (e["message"].as_str().unwrap_or("").contains(text)
                || e["value"].as_str().unwrap_or("").contains(text))
    })
}

const PROBLEM_HEADER: [&str; 11] = [
    "序号",
    "问题来源",
    "所在党组织",
    "问题描述",
    "责任领导",
    "责任部门",
    "责任人",
    "整改措施",
    "*完成时限（年月日）",
    "整改进度",
    "佐证材料",
];

#[tokio::test]
async fn problems_round_trip_and_reimport_updates_instead_of_duplicating() {
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let org = t.home_org(&unit).await;
    let org_id = org["id"].as_i64().unwrap();
    let org_name = org["name"].as_str().unwrap().to_string();
    let leader = person_of(&t, &unit, org_id, 0).await;
    let person = person_of(&t, &unit, org_id, 1).await;
    let (ln, pn) = (
        leader["name"].as_str().unwrap().to_string(),
        person["name"].as_str().unwrap().to_string(),
    );
    let d1 = day(40);
    let d2 = day(70);
    let d3 = day(100);
    // a title row above the header, columns in the ledger's order, dates typed three
    // ways and one as a date cell, an empty row in the middle
    let sheet = Sheet::new(&PROBLEM_HEADER)
        .title(&format!("{org_name}问题整改台账"))
        .row(vec![
            C::N(1.0),
            tc("巡察"),
            tc(&org_name),
            tc("导入测试甲：“三重一大”决策制度执行不严格"),
            tc(&ln),
            tc("党委办公室"),
            tc(&pn),
            tc("1.修订“三重一大”实施办法\n2、对大额资金使用开展自查"),
            C::D(d1),
            tc("整改中"),
            tc("会议纪要"),
        ])
        .row(vec![C::E; 11])
        .row(vec![
            C::N(2.0),
            tc("市委第二轮巡察反馈"),
            tc(&format!("市卫生健康委员会党委/{org_name}")),
            tc("导入测试乙：党费收缴台账不完整"),
            tc(&ln),
            C::E,
            C::E,
            tc("（1）逐月核对党费台账"),
            tc(&format!(
                "{}年{}月{}日",
                d2.format("%Y"),
                d2.format("%-m"),
                d2.format("%-d")
            )),
            C::E,
            C::E,
        ])
        .row(vec![
            C::N(3.0),
            tc("审计"),
            tc("WJW01"),
            tc("导入测试丙：专项资金支出审批手续不全"),
            C::E,
            tc("财务科"),
            tc(&pn),
            tc("补齐审批手续"),
            C::N(serial_of(d3)),
            C::E,
            C::E,
        ]);
    let before = snapshot(&t).await;
    let total_before = t.total(&unit, "/api/v1/problems").await;

    // a dry run reads and checks everything and writes nothing
    let v = import_ok(&t, &unit, "problems", sheet.bytes(), true).await;
    assert_eq!(
        (v["inserted"].as_i64(), v["measures"].as_i64()),
        (Some(3), Some(4)),
        "{v}"
    );
    assert_eq!(v["rows"], 3, "the empty row is skipped: {v}");
    assert_eq!(v["header_row"], 2, "{v}");
    assert_eq!(snapshot(&t).await, before);

    let v = import_ok(&t, &unit, "problems", sheet.bytes(), false).await;
    assert_eq!(
        (v["inserted"].as_i64(), v["measures"].as_i64()),
        (Some(3), Some(4)),
        "{v}"
    );
    // the list total comes from the counters, which moved with the rows
    assert_eq!(t.total(&unit, "/api/v1/problems").await, total_before + 3);
    assert_eq!(
        t.total(&unit, "/api/v1/problems?state=open").await,
        t.count(&format!(
            "SELECT COUNT(*) FROM problems WHERE state = 'open' AND org_path LIKE '{}%'",
            org["path"].as_str().unwrap()
        ))
        .await
    );

    let (items, n) = t.all_items(&unit, "/api/v1/problems?q=导入测试").await;
    assert_eq!(n, 3);
    let mut by_title = std::collections::HashMap::new();
    for it in &items {
        let d = t
            .get_ok(&unit, &format!("/api/v1/problems/{}", it["id"]))
            .await;
        by_title.insert(
            d["problem"]["title"]
                .as_str()
                .unwrap()
                .chars()
                .take(6)
                .collect::<String>(),
            d,
        );
    }
    let a = &by_title["导入测试甲："];
    assert_eq!(a["problem"]["source"], "local_inspection");
    assert_eq!(a["problem"]["org_id"], org_id);
    assert_eq!(a["problem"]["state"], "open");
    assert_eq!(a["problem"]["leader_id"], leader["id"]);
    assert_eq!(a["problem"]["person_id"], person["id"]);
    assert_eq!(a["problem"]["department"], "党委办公室");
    assert_eq!(a["problem"]["deadline"], d1.to_string());
    assert_eq!(a["problem"]["found_on"], days_from_today(0));
    let measures: Vec<&str> = a["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        measures,
        ["修订“三重一大”实施办法", "对大额资金使用开展自查"]
    );
    assert!(a["measures"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["state"] == "todo"
            && m["deadline"] == d1.to_string()
            && m["owner_id"] == person["id"]));
    let hist: Vec<&str> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    // the problem and its measures came in one act: one history line names them all
    assert_eq!(hist, ["登记问题"]);
    assert!(
        a["history"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("整改措施：1.修订“三重一大”实施办法；2.对大额资金使用开展自查"),
        "{}",
        a["history"][0]
    );
    assert!(a["history"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("台账佐证材料：会议纪要"));
    let b = &by_title["导入测试乙："];
    assert_eq!(b["problem"]["source"], "local_inspection");
    assert_eq!(b["problem"]["deadline"], d2.to_string());
    assert_eq!(b["problem"]["person_id"], Value::Null);
    let c = &by_title["导入测试丙："];
    assert_eq!(c["problem"]["source"], "audit");
    assert_eq!(c["problem"]["deadline"], d3.to_string());
    // audited like records made in the form, plus the import itself
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'problem_create' AND detail LIKE 'Excel 导入%'")
            .await,
        3
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'import' AND result = 'ok'")
            .await,
        1
    );
    // the auditor sees it (the newest event but the auditor's own login)
    let log = t
        .get_ok(&t.login_api("auditor").await, "/api/v1/audit?per_page=2")
        .await;
    assert_eq!(log["items"][1]["action"], "import", "{log}");
    assert!(
        log["items"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("新增 3"),
        "{log}"
    );

    // the same records again, with their codes: one deadline moved and a measure added
    let id_of = |k: &str| by_title[k]["problem"]["id"].as_i64().unwrap();
    let again = |deadline_a: chrono::NaiveDate, extra: &str| {
        Sheet::new(&[
            "编号",
            "问题来源",
            "所在党组织",
            "问题描述",
            "责任领导",
            "责任部门",
            "责任人",
            "整改措施",
            "完成时限",
        ])
        .row(vec![
            tc(&code_of(SheetKind::Problems, id_of("导入测试甲："))),
            tc("巡察"),
            tc(&org_name),
            tc("导入测试甲：“三重一大”决策制度执行不严格"),
            tc(&ln),
            tc("党委办公室"),
            tc(&pn),
            tc(&format!(
                "1.修订“三重一大”实施办法\n2.对大额资金使用开展自查{extra}"
            )),
            C::D(deadline_a),
        ])
        .row(vec![
            tc(&code_of(SheetKind::Problems, id_of("导入测试乙："))),
            tc("巡察"),
            tc(&org_name),
            tc("导入测试乙：党费收缴台账不完整"),
            tc(&ln),
            C::E,
            C::E,
            tc("逐月核对党费台账"),
            C::D(d2),
        ])
        .row(vec![
            tc(&format!(" p－{} ", id_of("导入测试丙："))),
            tc("审计"),
            tc("WJW01"),
            tc("导入测试丙：专项资金支出审批手续不全"),
            C::E,
            tc("财务科"),
            tc(&pn),
            tc("补齐审批手续"),
            C::D(d3),
        ])
    };
    let d1b = day(45);
    let v = import_ok(
        &t,
        &unit,
        "problems",
        again(d1b, "\n3.建立长效机制").bytes(),
        false,
    )
    .await;
    assert_eq!(
        (
            v["inserted"].as_i64(),
            v["updated"].as_i64(),
            v["unchanged"].as_i64(),
            v["measures"].as_i64()
        ),
        (Some(0), Some(1), Some(2), Some(1)),
        "{v}"
    );
    assert_eq!(
        t.total(&unit, "/api/v1/problems?q=导入测试").await,
        3,
        "no duplicates"
    );
    let a = t
        .get_ok(
            &unit,
            &format!("/api/v1/problems/{}", id_of("导入测试甲：")),
        )
        .await;
    assert_eq!(a["problem"]["deadline"], d1b.to_string());
    assert_eq!(a["measures"].as_array().unwrap().len(), 3);
    assert_eq!(a["measures"][2]["content"], "建立长效机制");
    let hist: Vec<&str> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(hist, ["登记问题", "导入更新", "新增整改措施"]);
    assert!(a["history"][2]["detail"]
        .as_str()
        .unwrap()
        .contains("建立长效机制"));
    let last = &a["history"][1];
    assert!(
        last["detail"].as_str().unwrap().contains("完成时限"),
        "{last}"
    );

    // importing the very same sheet once more changes nothing at all
    let settled = snapshot(&t).await;
    let v = import_ok(
        &t,
        &unit,
        "problems",
        again(d1b, "\n3.建立长效机制").bytes(),
        false,
    )
    .await;
    assert_eq!(v["unchanged"], 3, "{v}");
    assert_eq!(snapshot(&t).await, settled);
}

#[tokio::test]
async fn the_export_comes_back_in_as_the_same_records() {
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let org = t.home_org(&unit).await;
    let page = t.login_page("unit1").await;
    let sheet = Sheet::new(&PROBLEM_HEADER).row(vec![
        C::N(1.0),
        tc("自查"),
        tc(org["name"].as_str().unwrap()),
        tc("导出回读：谈心谈话记录不规范"),
        C::E,
        tc("组织科"),
        C::E,
        tc("1.统一谈话记录格式\n2.每季度检查"),
        C::D(day(30)),
        C::E,
        C::E,
    ]);
    import_ok(&t, &unit, "problems", sheet.bytes(), false).await;
    let r = page.get("/problems/export.xlsx?q=导出回读").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let before = snapshot(&t).await;
    let v = import_ok(&t, &unit, "problems", r.bytes.clone(), false).await;
    assert_eq!(
        (
            v["rows"].as_i64(),
            v["inserted"].as_i64(),
            v["unchanged"].as_i64()
        ),
        (Some(1), Some(0), Some(1)),
        "an exported sheet re-imports onto its own records: {v}"
    );
    assert_eq!(snapshot(&t).await, before);
}

const MEETING_HEADER: [&str; 14] = [
    "所在党组织",
    "会议类型",
    "主持人",
    "记录人",
    "实际时间",
    "地点",
    "应到人数",
    "实到人数",
    "请假人数",
    "列席人员",
    "议题",
    "内容",
    "决议",
    "编号",
];

#[tokio::test]
async fn activities_round_trip_and_reimport() {
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let org = t.home_org(&unit).await;
    let org_id = org["id"].as_i64().unwrap();
    let org_name = org["name"].as_str().unwrap().to_string();
    let branches = t.get_ok(&unit, "/api/v1/orgs?levels=1").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["parent_id"].as_i64() == Some(org_id) && o["kind"] == "branch")
        .cloned()
        .expect("a branch under unit1");
    let branch_id = branches["id"].as_i64().unwrap();
    let branch_name = branches["name"].as_str().unwrap().to_string();
    let host = person_of(&t, &unit, branch_id, 0).await;
    let recorder = person_of(&t, &unit, branch_id, 1).await;
    let secretary = person_of(&t, &unit, org_id, 0).await;
    let held = day(-12);
    let held2 = day(-5);
    let sheet = Sheet::new(&MEETING_HEADER)
        .row(vec![
            tc(&branch_name),
            tc("支部委员会"),
            tc(host["name"].as_str().unwrap()),
            tc(recorder["name"].as_str().unwrap()),
            tc(&format!("{} 09:00-10:30", held.format("%Y/%-m/%-d"))),
            tc("党员活动室"),
            C::N(7.0),
            C::N(6.0),
            C::N(1.0),
            C::E,
            tc("导入会议：研究发展党员工作"),
            tc("逐一讨论入党积极分子培养情况"),
            tc("同意确定1名发展对象"),
            C::E,
        ])
        .row(vec![
            tc(&org_name),
            tc("党委会"),
            tc(secretary["name"].as_str().unwrap()),
            C::E,
            C::D(held2),
            tc("第一会议室"),
            C::N(9.0),
            C::N(8.0),
            C::N(1.0),
            tc("纪委书记"),
            tc("1.第一议题：学习习近平总书记重要讲话精神\n2.研究年度预算调整"),
            tc("导入会议：党委会记录"),
            tc("原则通过预算调整方案"),
            C::E,
        ]);
    let before = snapshot(&t).await;
    let v = import_ok(&t, &unit, "activities", sheet.bytes(), true).await;
    assert_eq!(v["inserted"], 2, "{v}");
    assert_eq!(snapshot(&t).await, before);
    let v = import_ok(&t, &unit, "activities", sheet.bytes(), false).await;
    assert_eq!(v["inserted"], 2, "{v}");

    let (items, _) = t
        .all_items(&unit, &format!("/api/v1/activities?org={branch_id}"))
        .await;
    let a = items
        .iter()
        .find(|a| {
            a["topic"]
                .as_str()
                .is_some_and(|s| s.starts_with("导入会议"))
        })
        .expect("the imported branch meeting is listed");
    let d = t
        .get_ok(&unit, &format!("/api/v1/activities/{}", a["id"]))
        .await;
    let row = &d["activity"];
    assert_eq!(row["kind"], "branch_committee");
    assert_eq!(row["state"], "held");
    assert_eq!(row["held_on"], held.to_string());
    assert_eq!(
        (row["start_time"].as_str(), row["end_time"].as_str()),
        (Some("09:00"), Some("10:30"))
    );
    assert_eq!(row["host_id"], host["id"]);
    assert_eq!(row["recorder_id"], recorder["id"]);
    assert_eq!(
        (
            row["expected_count"].as_i64(),
            row["present_count"].as_i64(),
            row["leave_count"].as_i64()
        ),
        (Some(7), Some(6), Some(1))
    );
    assert_eq!(row["place"], "党员活动室");
    assert_eq!(row["decisions"], "同意确定1名发展对象");
    assert_eq!(d["history"][0]["action"], "登记");

    let (items, _) = t
        .all_items(
            &unit,
            &format!("/api/v1/activities?org={org_id}&kind=committee_meeting"),
        )
        .await;
    let cm = items
        .iter()
        .find(|a| a["held_on"] == held2.to_string() && a["place"] == "第一会议室")
        .expect("the imported committee meeting is listed");
    let dc = t
        .get_ok(&unit, &format!("/api/v1/activities/{}", cm["id"]))
        .await;
    assert_eq!(dc["activity"]["first_topic"], 1, "第一议题 counts: {dc}");
    let agenda: Vec<(&str, i64)> = dc["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["title"].as_str().unwrap(),
                x["first_topic"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        agenda,
        [
            ("第一议题：学习习近平总书记重要讲话精神", 1),
            ("研究年度预算调整", 0)
        ]
    );
    assert_eq!(dc["activity"]["observers"], "纪委书记");

    // again with codes: the place of one changes, the other stays
    let mut again = Sheet::new(&MEETING_HEADER);
    let mut r1 = sheet.rows[0].clone();
    r1[5] = tc("会议室二");
    r1[13] = tc(&code_of(SheetKind::Activities, a["id"].as_i64().unwrap()));
    let mut r2 = sheet.rows[1].clone();
    r2[13] = tc(&code_of(SheetKind::Activities, cm["id"].as_i64().unwrap()));
    again = again.row(r1).row(r2);
    let v = import_ok(&t, &unit, "activities", again.bytes(), false).await;
    assert_eq!(
        (
            v["inserted"].as_i64(),
            v["updated"].as_i64(),
            v["unchanged"].as_i64()
        ),
        (Some(0), Some(1), Some(1)),
        "{v}"
    );
    let d = t
        .get_ok(&unit, &format!("/api/v1/activities/{}", a["id"]))
        .await;
    assert_eq!(d["activity"]["place"], "会议室二");
    assert_eq!(
        d["history"].as_array().unwrap().last().unwrap()["action"],
        "修改"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM activities WHERE topic LIKE '导入会议%' OR content LIKE '导入会议%'")
            .await,
        2,
        "no duplicates"
    );
}

#[tokio::test]
async fn broken_files_give_precise_errors_and_change_nothing() {
    let t = spawn_app_with(|c| {
        c.import_max_bytes = 50 * 1024 * 1024 - 1;
    })
    .await;
    let unit = t.login_api("unit1").await;
    let org = t.home_org(&unit).await;
    let org_name = org["name"].as_str().unwrap().to_string();
    let good = |desc: &str| -> Vec<C> {
        vec![
            C::N(1.0),
            tc("自查"),
            tc(&org_name),
            tc(desc),
            C::E,
            C::E,
            C::E,
            tc("整改"),
            C::D(day(30)),
            C::E,
            C::E,
        ]
    };
    let before = snapshot(&t).await;

    // wrong headers: one error naming what is missing and what was found
    let e = import_refused(
        &t,
        &unit,
        "problems",
        Sheet::new(&["序号", "问题描述", "责任人", "备注"])
            .row(vec![C::N(1.0), tc("某问题"), C::E, C::E])
            .bytes(),
    )
    .await;
    assert_eq!(e.len(), 1, "{e:?}");
    let m = e[0]["message"].as_str().unwrap();
    assert!(
        m.contains("问题来源") && m.contains("所在党组织") && m.contains("完成时限"),
        "{m}"
    );
    assert!(
        m.contains("问题描述、责任人、备注"),
        "the headers found are named: {m}"
    );

    // not a header at all
    let e = import_refused(
        &t,
        &unit,
        "problems",
        Sheet::new(&["姓名", "年龄"])
            .row(vec![tc("张三"), C::N(3.0)])
            .bytes(),
    )
    .await;
    assert!(
        e[0]["message"]
            .as_str()
            .unwrap()
            .contains("找不到问题整改台账的表头"),
        "{e:?}"
    );

    // a merged cell across data rows, with its range
    let mut s = Sheet::new(&PROBLEM_HEADER)
        .row(good("合并甲"))
        .row(good("合并乙"));
    s.merge.push((1, 2, 2, 2));
    let e = import_refused(&t, &unit, "problems", s.bytes()).await;
    assert!(err_has(&e, Some(2), Some("C"), "C2:C3"), "{e:?}");

    // a bad date: row and column as Excel shows them, what is wrong, how to fix it
    let mut bad = good("日期错");
    bad[8] = tc("2025-02-30");
    let e = import_refused(
        &t,
        &unit,
        "problems",
        Sheet::new(&PROBLEM_HEADER)
            .row(good("好行"))
            .row(bad)
            .bytes(),
    )
    .await;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0]["row"], 3);
    assert_eq!(e[0]["letter"], "I");
    assert_eq!(e[0]["column"], "*完成时限（年月日）");
    assert_eq!(e[0]["value"], "2025-02-30");
    assert!(
        e[0]["message"].as_str().unwrap().contains("不是存在的日期"),
        "{e:?}"
    );
    assert!(
        e[0]["fix"].as_str().unwrap().contains("2024-03-05"),
        "{e:?}"
    );

    // an unknown org, an ambiguous one, a person who is not there
    let mut unknown = good("组织错");
    unknown[2] = tc("不存在的党支部");
    let mut nobody = good("人员错");
    nobody[4] = tc("查无此人");
    let e = import_refused(
        &t,
        &unit,
        "problems",
        Sheet::new(&PROBLEM_HEADER).row(unknown).row(nobody).bytes(),
    )
    .await;
    assert!(
        err_has(&e, Some(2), Some("C"), "找不到党组织“不存在的党支部”"),
        "{e:?}"
    );
    assert!(
        err_has(&e, Some(3), Some("E"), "找不到人员“查无此人”"),
        "{e:?}"
    );

    // duplicate codes, and a code of another kind
    let dup = |code: &str| {
        let mut r = vec![tc(code)];
        r.extend(good("编号"));
        r
    };
    let mut header = vec!["编号"];
    header.extend(PROBLEM_HEADER);
    let pid = t.all_items(&unit, "/api/v1/problems").await.0[0]["id"]
        .as_i64()
        .unwrap();
    let code = code_of(SheetKind::Problems, pid);
    let e = import_refused(
        &t,
        &unit,
        "problems",
        Sheet::new(&header)
            .row(dup(&code))
            .row(dup(&code))
            .row(dup("T-5"))
            .bytes(),
    )
    .await;
    assert!(err_has(&e, Some(3), Some("A"), "与第 2 行重复"), "{e:?}");
    assert!(err_has(&e, Some(4), Some("A"), "任务的编号"), "{e:?}");

    // only a header
    let e = import_refused(&t, &unit, "problems", Sheet::new(&PROBLEM_HEADER).bytes()).await;
    assert!(
        e[0]["message"].as_str().unwrap().contains("没有数据"),
        "{e:?}"
    );

    // not a spreadsheet at all
    let e = import_refused(&t, &unit, "problems", PDF.to_vec()).await;
    assert!(
        e[0]["message"]
            .as_str()
            .unwrap()
            .contains("不是 Excel 文件"),
        "{e:?}"
    );
    let e = import_refused(&t, &unit, "problems", b"PK\x03\x04broken zip".to_vec()).await;
    assert!(
        e[0]["message"].as_str().unwrap().contains("已损坏"),
        "{e:?}"
    );

    // a 50 MB sheet: refused by its size before it is read
    let mut big = Sheet::new(&PROBLEM_HEADER).row(good("大文件")).bytes();
    big.resize(50 * 1024 * 1024, 0);
    let e = import_refused(&t, &unit, "problems", big).await;
    assert_eq!(e.len(), 1);
    assert!(
        e[0]["message"].as_str().unwrap().contains("超过导入上限"),
        "{e:?}"
    );
    assert!(e[0]["fix"].as_str().unwrap().contains("拆成"), "{e:?}");

    // one bad row among good ones: none of them is written
    let mut rows = Sheet::new(&PROBLEM_HEADER);
    for i in 0..20 {
        rows = rows.row(good(&format!("全部或全不{i}")));
    }
    let mut last = good("全部或全不坏");
    last[1] = tc("群众反映");
    let e = import_refused(&t, &unit, "problems", rows.row(last).bytes()).await;
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        err_has(&e, Some(22), Some("B"), "问题来源“群众反映”不在可选范围内"),
        "{e:?}"
    );
    assert!(e[0]["fix"].as_str().unwrap().contains("巡察"));

    assert_eq!(snapshot(&t).await, before, "no refused file wrote anything");
    // each refusal is audited as a failed import
    assert!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'import' AND result = 'failed'")
            .await
            >= 10
    );
}

#[tokio::test]
async fn too_many_rows_are_refused_while_reading() {
    let t = spawn_app_with(|c| c.import_max_rows = 50).await;
    let unit = t.login_api("unit1").await;
    let org = t.home_org(&unit).await;
    let mut s = Sheet::new(&PROBLEM_HEADER);
    for i in 0..200 {
        s = s.row(vec![
            C::N(i as f64),
            tc("自查"),
            tc(org["name"].as_str().unwrap()),
            tc(&format!("行数{i}")),
            C::E,
            C::E,
            C::E,
            C::E,
            C::D(day(30)),
            C::E,
            C::E,
        ]);
    }
    let before = snapshot(&t).await;
    let e = import_refused(&t, &unit, "problems", s.bytes()).await;
    assert!(
        e[0]["message"].as_str().unwrap().contains("超过 50 行"),
        "{e:?}"
    );
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn scope_and_permission_apply_to_every_row() {
    let t = spawn_app().await;
    let commission = t.login_api("commission").await;
    let unit = t.login_api("unit1").await;
    let unit_org = t.home_org(&unit).await;
    let other = t.other_unit(&commission, &unit_org).await;
    let other_name = other.org["name"].as_str().unwrap().to_string();
    let branch = t.login_api("branch1").await;
    let branch_org = t.home_org(&branch).await;
    let row = |org: &str| {
        vec![
            C::N(1.0),
            tc("自查"),
            tc(org),
            tc("越权导入"),
            C::E,
            C::E,
            C::E,
            C::E,
            C::D(day(30)),
            C::E,
            C::E,
        ]
    };
    let before = snapshot(&t).await;
    // a branch secretary cannot import into another unit, nor into its own unit above it
    let e = import_refused(
        &t,
        &branch,
        "problems",
        Sheet::new(&PROBLEM_HEADER)
            .row(row(branch_org["name"].as_str().unwrap()))
            .row(row(&other_name))
            .row(row(unit_org["name"].as_str().unwrap()))
            .bytes(),
    )
    .await;
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(err_has(&e, Some(3), Some("C"), "找不到党组织"), "{e:?}");
    assert!(err_has(&e, Some(4), Some("C"), "您无权为"), "{e:?}");
    // nor change another unit's problem by its code
    let mut header = vec!["编号"];
    header.extend(PROBLEM_HEADER);
    let mut r = vec![tc(&code_of(SheetKind::Problems, other.problem_ids[0]))];
    r.extend(row(&other_name));
    let e = import_refused(&t, &unit, "problems", Sheet::new(&header).row(r).bytes()).await;
    assert!(
        err_has(&e, Some(2), Some("A"), "不存在或不在您的管理范围内"),
        "{e:?}"
    );
    assert_eq!(snapshot(&t).await, before);
    // a member may not import at all; a branch secretary may not import orgs
    let member = t.login_api("member1").await;
    let r = import(
        &t,
        &member,
        "problems",
        Sheet::new(&PROBLEM_HEADER).bytes(),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = import(
        &t,
        &branch,
        "orgs",
        Sheet::new(&["组织名称"]).bytes(),
        false,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    // the commission sees every unit: a name that is in several is ambiguous, a path is not
    let dup = t
        .count(&format!(
            "SELECT COUNT(*) FROM orgs WHERE name = '{}'",
            branch_org["name"].as_str().unwrap()
        ))
        .await;
    if dup > 1 {
        let e = import_refused(
            &t,
            &commission,
            "problems",
            Sheet::new(&PROBLEM_HEADER)
                .row(row(branch_org["name"].as_str().unwrap()))
                .bytes(),
        )
        .await;
        assert!(err_has(&e, Some(2), Some("C"), "对应多个党组织"), "{e:?}");
    }
    let path = format!(
        "{}/{}",
        unit_org["name"].as_str().unwrap(),
        branch_org["name"].as_str().unwrap()
    );
    let v = import_ok(
        &t,
        &commission,
        "problems",
        Sheet::new(&PROBLEM_HEADER).row(row(&path)).bytes(),
        false,
    )
    .await;
    assert_eq!(v["inserted"], 1);
    let (items, _) = t.all_items(&branch, "/api/v1/problems?q=越权导入").await;
    assert_eq!(
        items.len(),
        1,
        "the branch sees the problem imported for it"
    );
    assert_eq!(items[0]["org_id"], branch_org["id"]);
}

#[tokio::test]
async fn orgs_people_and_tasks_import_in_one_go_each() {
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let org = t.home_org(&unit).await;
    let org_name = org["name"].as_str().unwrap().to_string();
    // a new branch and a group under it, in one sheet, top down
    let v = import_ok(
        &t,
        &unit,
        "orgs",
        Sheet::new(&[
            "组织名称",
            "组织类型",
            "上级组织",
            "组织代码",
            "任期开始",
            "任期届满",
        ])
        .row(vec![
            tc("导入第一党支部"),
            tc("党支部"),
            tc(&org_name),
            tc("IMP01"),
            tc("2024-3-1"),
            tc("2027/2/28"),
        ])
        .row(vec![
            tc("导入第一党小组"),
            tc("党小组"),
            tc("导入第一党支部"),
            C::E,
            C::E,
            C::E,
        ])
        .bytes(),
        false,
    )
    .await;
    assert_eq!(v["inserted"], 2, "{v}");
    let branch_id = t.count("SELECT id FROM orgs WHERE code = 'IMP01'").await;
    let group_parent = t
        .count("SELECT parent_id FROM orgs WHERE name = '导入第一党小组'")
        .await;
    assert_eq!(group_parent, branch_id);
    // a group under a group is refused, with the rule
    let e = import_refused(
        &t,
        &unit,
        "orgs",
        Sheet::new(&["组织名称", "组织类型", "上级组织"])
            .row(vec![tc("小组下的小组"), tc("党小组"), tc("导入第一党小组")])
            .bytes(),
    )
    .await;
    assert!(
        err_has(&e, Some(2), Some("B"), "党小组下不能设立党小组"),
        "{e:?}"
    );

    // people of the new branch with their roster dates
    let people = Sheet::new(&[
        "姓名",
        "性别",
        "所在党组织",
        "政治面貌",
        "出生日期",
        "申请入党日期",
        "入党日期",
        "转正日期",
        "党内职务",
        "口袋党员",
    ])
    .row(vec![
        tc("导入甲"),
        tc("女"),
        tc("IMP01"),
        tc("正式党员"),
        tc("1980-01-02"),
        tc("2001.3.1"),
        tc("2003年7月1日"),
        tc("2004-07-01"),
        tc("书记"),
        tc("否"),
    ])
    .row(vec![
        tc("导入乙"),
        tc("男"),
        tc("导入第一党支部"),
        tc("预备党员"),
        C::E,
        C::E,
        C::D(day(-100)),
        C::E,
        C::E,
        tc("是"),
    ]);
    let v = import_ok(&t, &unit, "people", people.bytes(), false).await;
    assert_eq!(v["inserted"], 2, "{v}");
    // the same names again without codes are refused: no one is registered twice
    let e = import_refused(&t, &unit, "people", people.bytes()).await;
    assert!(err_has(&e, Some(2), Some("A"), "已在该党组织登记"), "{e:?}");
    let (items, _) = t
        .all_items(&unit, &format!("/api/v1/people?org={branch_id}"))
        .await;
    let a = items.iter().find(|p| p["name"] == "导入甲").unwrap();
    let r = t
        .get_ok(&unit, &format!("/api/v1/people/{}/roster", a["id"]))
        .await;
    let s = r.to_string();
    assert!(
        s.contains("2001-03-01") && s.contains("2003-07-01") && s.contains("1980-01-02"),
        "{s}"
    );
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM positions WHERE person_id = {} AND kind = 'secretary'",
            a["id"]
        ))
        .await,
        1
    );
    assert_eq!(
        t.count("SELECT pocket FROM people WHERE name = '导入乙'")
            .await,
        1
    );
    // dates out of the stages' order are refused with the rule
    let e = import_refused(
        &t,
        &unit,
        "people",
        Sheet::new(&["姓名", "所在党组织", "政治面貌", "申请入党日期", "入党日期"])
            .row(vec![
                tc("导入丙"),
                tc("IMP01"),
                tc("预备党员"),
                tc("2020-05-01"),
                tc("2019-05-01"),
            ])
            .bytes(),
    )
    .await;
    assert!(err_has(&e, Some(2), Some("E"), "不能早于"), "{e:?}");

    // tasks with the people just imported as responsible
    let v = import_ok(
        &t,
        &unit,
        "tasks",
        Sheet::new(&[
            "类别",
            "任务",
            "任务内容",
            "责任单位",
            "责任领导",
            "责任人",
            "完成期限",
        ])
        .row(vec![
            tc("党的组织建设"),
            tc("导入任务：规范“三会一课”"),
            tc("按月召开支委会"),
            tc("IMP01"),
            tc("导入甲"),
            tc("导入乙"),
            tc(&format!("{}年12月底", day(400).format("%Y"))),
        ])
        .bytes(),
        false,
    )
    .await;
    assert_eq!(v["inserted"], 1, "{v}");
    let (items, _) = t.all_items(&unit, "/api/v1/tasks?q=导入任务").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["org_id"], branch_id);
    assert_eq!(items[0]["state"], "not_started");
    assert_eq!(
        items[0]["deadline"],
        format!("{}-12-31", day(400).format("%Y"))
    );
    assert_eq!(items[0]["leader_name"], "导入甲");
    assert_eq!(
        items[0]["issuing_org_id"], org["id"],
        "issued by the importer's org"
    );
}

#[tokio::test]
async fn the_template_imports_as_it_is_and_the_page_shows_the_report() {
    let t = spawn_app().await;
    let page = t.login_page("unit1").await;
    let unit = t.login_api("unit1").await;
    let r = page.get("/import?kind=problems").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("下载问题整改台账模板"));
    for kind in ["problems", "activities", "tasks", "people", "orgs"] {
        let r = page.get(&format!("/import/template/{kind}.xlsx")).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}");
        let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
        assert_eq!(rows, 1, "{kind}: one example row");
        assert!(
            strings.iter().any(|s| s.starts_with('*')),
            "{kind}: required headers are marked"
        );
        // the example row names the downloader's org and imports as it is
        let v = import_ok(&t, &unit, kind, r.bytes.clone(), true).await;
        assert_eq!(v["inserted"], 1, "{kind}: {v}");
    }
    let doc = t.get_ok(&unit, "/api/v1/openapi.json").await;
    assert!(
        doc["paths"]["/import/{kind}"]["post"].is_object(),
        "OpenAPI documents the import"
    );
    // the drop-down lists are in the template
    let r = page.get("/import/template/problems.xlsx").await;
    let sheet = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&r.bytes)).unwrap();
        let mut s = String::new();
        z.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(
        sheet.contains("<dataValidation") && sheet.contains("巡察"),
        "drop-down of 问题来源"
    );

    // the page: a file with a fault shows the report table, and nothing is written
    let before = snapshot(&t).await;
    let bad = Sheet::new(&PROBLEM_HEADER)
        .row(vec![
            C::N(1.0),
            tc("自查"),
            tc("不存在的组织"),
            tc("页面导入"),
            C::E,
            C::E,
            C::E,
            C::E,
            C::D(day(3)),
            C::E,
            C::E,
        ])
        .bytes();
    let post = |csrf: String, bytes: Vec<u8>, dry: bool| {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "problems");
        if dry {
            form = form.text("dry_run", "1");
        }
        form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("台账.xlsx"),
        )
    };
    let r = Resp::read(
        page.client
            .post(t.url("/import"))
            .multipart(post(page.csrf.clone(), bad.clone(), false))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains("id=\"import-errors\"")
            && html.contains("第 2 行")
            && html.contains("不存在的组织"),
        "{html}"
    );
    assert!(html.contains("未导入任何数据"));
    // without the form's token nothing happens
    let r = Resp::read(
        page.client
            .post(t.url("/import"))
            .multipart(post("forged".into(), bad, false))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&t).await, before);
    // a good file through the page
    let org = t.home_org(&unit).await;
    let good = Sheet::new(&PROBLEM_HEADER)
        .row(vec![
            C::N(1.0),
            tc("自查"),
            tc(org["name"].as_str().unwrap()),
            tc("页面导入的问题"),
            C::E,
            C::E,
            C::E,
            tc("一条措施"),
            C::D(day(3)),
            C::E,
            C::E,
        ])
        .bytes();
    let r = Resp::read(
        page.client
            .post(t.url("/import"))
            .multipart(post(page.csrf.clone(), good, false))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("已导入问题整改台账"), "{}", r.text());
    assert_eq!(t.total(&unit, "/api/v1/problems?q=页面导入的问题").await, 1);
}

#[test]
fn cli_imports_whole_or_nothing() {
    let dir = TempDir::new("import-cli");
    let bin = env!("CARGO_BIN_EXE_zeren");
    let data = dir.path().display().to_string();
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .env_remove("ZEREN_DATABASE_URL")
            .env_remove("ZEREN_CONFIG")
            .output()
            .unwrap()
    };
    let out = run(&["demo", "--data", &data, "--demo-password", PASSWORD]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let count = |sql: &str| -> i64 {
        let db = dir.path().join("zeren.db");
        let url = format!("sqlite://{}", db.display());
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                sqlx::any::install_default_drivers();
                let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
                    .await
                    .unwrap();
                let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut c).await.unwrap();
                n
            })
    };
    let problems = || count("SELECT COUNT(*) FROM problems");
    let start = problems();

    let bad = dir.path().join("bad.xlsx");
    std::fs::write(
        &bad,
        Sheet::new(&PROBLEM_HEADER)
            .row(vec![
                C::N(1.0),
                tc("巡察"),
                tc("WJW01"),
                tc("命令行导入甲"),
                C::E,
                C::E,
                C::E,
                C::E,
                C::D(day(20)),
                C::E,
                C::E,
            ])
            .row(vec![
                C::N(2.0),
                tc("巡察"),
                tc("WJW01"),
                tc("命令行导入乙"),
                C::E,
                C::E,
                C::E,
                C::E,
                tc("明年"),
                C::E,
                C::E,
            ])
            .bytes(),
    )
    .unwrap();
    let out = run(&["import", "problems", bad.to_str().unwrap(), "--data", &data]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("第 3 行 I 列（*完成时限（年月日））“明年”"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("未做任何更改"));
    assert_eq!(problems(), start);

    let good = dir.path().join("good.xlsx");
    std::fs::write(
        &good,
        Sheet::new(&PROBLEM_HEADER)
            .row(vec![
                C::N(1.0),
                tc("巡察"),
                tc("WJW01"),
                tc("命令行导入甲"),
                C::E,
                C::E,
                C::E,
                tc("1.甲\n2.乙"),
                C::D(day(20)),
                C::E,
                C::E,
            ])
            .bytes(),
    )
    .unwrap();
    let out = run(&[
        "import",
        "problems",
        good.to_str().unwrap(),
        "--data",
        &data,
        "--dry-run",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("检查通过"));
    assert_eq!(problems(), start);
    let out = run(&[
        "import",
        "problems",
        good.to_str().unwrap(),
        "--data",
        &data,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("新增 1") && stdout.contains("整改措施 2 条"),
        "{stdout}"
    );
    assert_eq!(problems(), start + 1);
    // the system imported it, and says so in the audit log and the history
    assert_eq!(
        count("SELECT COUNT(*) FROM audit_events WHERE action = 'problem_create' AND actor_name = 'system' AND source = 'cli' AND actor_id IS NULL"),
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM history WHERE action = '登记问题' AND actor_name = '系统（命令行导入）'"),
        1
    );
    let out = run(&["audit", "verify", "--data", &data]);
    assert!(
        out.status.success(),
        "the chain holds: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // the template, written by the CLI, imports as it is
    let tpl = dir.path().join("tpl.xlsx");
    let out = run(&[
        "import",
        "activities",
        tpl.to_str().unwrap(),
        "--data",
        &data,
        "--template",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "import",
        "activities",
        tpl.to_str().unwrap(),
        "--data",
        &data,
        "--dry-run",
    ]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["import", "meetings", tpl.to_str().unwrap(), "--data", &data]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("activities"));
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

/// `.xls` (Excel 97–2003) is read too. LibreOffice turns a template (so it also shows
/// the template opens there) and a ledger with dates into .xls; skipped without
/// LibreOffice unless `ZEREN_TEST_LIBREOFFICE=1` requires it.
#[tokio::test]
async fn xls_files_import_like_xlsx() {
    let Some(soffice) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        assert!(
            std::env::var("ZEREN_TEST_LIBREOFFICE").as_deref() != Ok("1"),
            "ZEREN_TEST_LIBREOFFICE=1 but LibreOffice is not on PATH"
        );
        eprintln!("note: LibreOffice not found; .xls import check skipped");
        return;
    };
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let page = t.login_page("unit1").await;
    let org = t.home_org(&unit).await;
    let dir = TempDir::new("xls");
    let template = page.get("/import/template/activities.xlsx").await.bytes;
    std::fs::write(dir.path().join("template.xlsx"), &template).unwrap();
    let ledger = Sheet::new(&PROBLEM_HEADER)
        .title("问题整改台账（xls）")
        .row(vec![
            C::N(1.0),
            tc("自查"),
            tc(org["name"].as_str().unwrap()),
            tc("旧版格式导入的问题"),
            C::E,
            C::E,
            C::E,
            tc("1.甲\n2.乙"),
            C::D(day(50)),
            C::E,
            C::E,
        ])
        .bytes();
    std::fs::write(dir.path().join("ledger.xlsx"), &ledger).unwrap();
    let out = std::process::Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xls",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(dir.path().join("template.xlsx"))
        .arg(dir.path().join("ledger.xlsx"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xls =
        std::fs::read(dir.path().join("template.xls")).expect("LibreOffice wrote template.xls");
    assert!(
        xls.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
        "an OLE (BIFF) file"
    );
    let v = import_ok(&t, &unit, "activities", xls, true).await;
    assert_eq!(v["inserted"], 1, "{v}");
    let xls = std::fs::read(dir.path().join("ledger.xls")).unwrap();
    let v = import_ok(&t, &unit, "problems", xls, false).await;
    assert_eq!(
        (v["inserted"].as_i64(), v["measures"].as_i64()),
        (Some(1), Some(2)),
        "{v}"
    );
    let (items, _) = t.all_items(&unit, "/api/v1/problems?q=旧版格式导入").await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["deadline"],
        day(50).to_string(),
        "a date cell survives .xls"
    );
}

/// `kill -9` of `zeren import` at several moments (timed from a full run, so that the
/// later kills fall while rows are written): the database holds all rows of the sheet
/// or none of them, every time, and stays sound.
#[test]
fn kill_9_mid_import_leaves_all_or_nothing() {
    const ROWS: usize = 20_000;
    let dir = TempDir::new("import-kill");
    let bin = env!("CARGO_BIN_EXE_zeren");
    let data = dir.path().display().to_string();
    let cmd = |args: &[&str]| {
        let mut c = std::process::Command::new(bin);
        c.args(args)
            .env_remove("ZEREN_DATABASE_URL")
            .env_remove("ZEREN_CONFIG")
            .env("ZEREN_LOG", "warn");
        c
    };
    let out = cmd(&["demo", "--data", &data, "--demo-password", PASSWORD])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut s = Sheet::new(&PROBLEM_HEADER);
    for i in 0..ROWS {
        s = s.row(vec![
            C::N(i as f64),
            tc("自查"),
            tc("WJW01"),
            tc(&format!("中断导入{i}")),
            C::E,
            C::E,
            C::E,
            tc("1.甲\n2.乙"),
            C::D(day(30)),
            C::E,
            C::E,
        ]);
    }
    let file = dir.path().join("big.xlsx");
    std::fs::write(&file, s.bytes()).unwrap();
    let query = |sql: &str| -> String {
        let url = format!("sqlite://{}", dir.path().join("zeren.db").display());
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                sqlx::any::install_default_drivers();
                let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
                    .await
                    .unwrap();
                let (v,): (String,) = sqlx::query_as(sql).fetch_one(&mut c).await.unwrap();
                v
            })
    };
    let imported = || -> (usize, usize) {
        let p: usize =
            query("SELECT CAST(COUNT(*) AS TEXT) FROM problems WHERE title LIKE '中断导入%'")
                .parse()
                .unwrap();
        let m: usize = query("SELECT CAST(COUNT(*) AS TEXT) FROM measures m JOIN problems p ON p.id = m.problem_id WHERE p.title LIKE '中断导入%'")
            .parse()
            .unwrap();
        (p, m)
    };
    let args = [
        "import",
        "problems",
        file.to_str().unwrap(),
        "--data",
        &data,
    ];
    let started = std::time::Instant::now();
    let out = cmd(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = started.elapsed();
    assert_eq!(imported(), (ROWS, 2 * ROWS));
    for frac in [0.3, 0.6, 0.8, 0.9, 0.97] {
        let mut child = cmd(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(frac));
        let _ = child.kill();
        let _ = child.wait();
        let (p, m) = imported();
        assert_eq!(
            p % ROWS,
            0,
            "killed at {frac} of a run: {p} problems, a partial import"
        );
        assert_eq!(m, 2 * p, "killed at {frac}: measures of {p} problems");
        assert_eq!(query("PRAGMA integrity_check"), "ok");
    }
    let out = cmd(&["audit", "verify", "--data", &data]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// 人员及党员名册: the roster exported as filtered (API and page), in the people
/// import's columns, comes back in onto the same people, changing nothing.
#[tokio::test]
async fn the_roster_export_comes_back_in_unchanged() {
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let total = t.total(&unit, "/api/v1/people").await;
    let r = t.get(&unit, "/api/v1/people/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows as i64, total, "one row per person in unit1's roster");
    assert!(
        strings.iter().any(|s| s == "政治面貌"),
        "the import's headers"
    );
    assert!(strings.iter().any(|s| s == "正式党员"), "statuses in words");
    let before = snapshot(&t).await;
    let v = import_ok(&t, &unit, "people", r.bytes.clone(), false).await;
    assert_eq!(
        (
            v["rows"].as_i64(),
            v["inserted"].as_i64(),
            v["unchanged"].as_i64()
        ),
        (Some(total), Some(0), Some(total)),
        "the roster re-imports onto its own people: {v}"
    );
    assert_eq!(snapshot(&t).await, before);

    // the page's link exports the list as filtered
    let page = t.login_page("unit1").await;
    let r = page.get("/people/export.xlsx?status=full").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let full = t.total(&unit, "/api/v1/people?status=full").await;
    assert!(full > 0 && full < total);
    assert_eq!(xlsx_rows_and_strings(&r.bytes).0 as i64, full);
}

/// 党组织: the org tree exported (API and page) in the org import's columns, parents
/// first, comes back in onto the same orgs, changing nothing; closed orgs stay out.
#[tokio::test]
async fn the_org_export_comes_back_in_unchanged() {
    let t = spawn_app().await;
    let unit = t.login_api("unit1").await;
    let home = t.home_org(&unit).await;
    let path = home["path"].as_str().expect("path").to_string();
    // close one branch of unit1 so the export has something to leave out
    let open_before = t
        .count(&format!(
            "SELECT COUNT(*) FROM orgs WHERE closed_at IS NULL AND path LIKE '{path}%'"
        ))
        .await;
    sqlx::query(&format!(
        "UPDATE orgs SET closed_at = 1 WHERE id = (SELECT MAX(id) FROM orgs WHERE path LIKE '{path}%' AND kind = 'branch')"
    ))
    .execute(t.app.store.pool())
    .await
    .expect("close a branch");
    let open = t
        .count(&format!(
            "SELECT COUNT(*) FROM orgs WHERE closed_at IS NULL AND path LIKE '{path}%'"
        ))
        .await;
    assert_eq!(open, open_before - 1);

    let r = t.get(&unit, "/api/v1/orgs/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows as i64, open, "one row per open org in unit1's scope");
    for h in ["编号", "组织名称", "组织类型", "上级组织"] {
        assert!(strings.iter().any(|s| s == h), "header {h}");
    }
    assert!(strings.iter().any(|s| s == "党支部"), "kinds in words");
    let before = snapshot(&t).await;
    let v = import_ok(&t, &unit, "orgs", r.bytes.clone(), false).await;
    assert_eq!(
        (
            v["rows"].as_i64(),
            v["inserted"].as_i64(),
            v["unchanged"].as_i64()
        ),
        (Some(open), Some(0), Some(open)),
        "the org sheet re-imports onto its own orgs: {v}"
    );
    assert_eq!(snapshot(&t).await, before);

    // the page's link: the commission's whole tree
    let page = t.login_page("commission").await;
    let r = page.get("/orgs/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let all = t
        .count("SELECT COUNT(*) FROM orgs WHERE closed_at IS NULL")
        .await;
    assert_eq!(xlsx_rows_and_strings(&r.bytes).0 as i64, all);
}

/// 督办单 and 问责: each list exported as filtered, from the page and the API, one row
/// per record the list shows — and no more than the account's scope.
#[tokio::test]
async fn notice_and_accountability_lists_export_as_filtered() {
    let t = spawn_app().await;
    let commission = t.login_api("commission").await;
    let unit = t.login_api("unit1").await;
    for (list, header) in [("notices", "督办单编号"), ("accountability", "问责方式")] {
        let all = t.total(&commission, &format!("/api/v1/{list}")).await;
        assert!(all > 0, "the demo has {list}");
        let r = t
            .get(&commission, &format!("/api/v1/{list}/export.xlsx"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
        assert_eq!(rows as i64, all, "{list}: one row per record");
        assert!(
            strings.iter().any(|s| s == header),
            "{list}: header {header}"
        );
        // unit1 exports only what its list shows
        let mine = t.total(&unit, &format!("/api/v1/{list}")).await;
        assert!(mine < all, "{list}: unit1 sees less than the commission");
        let r = t.get(&unit, &format!("/api/v1/{list}/export.xlsx")).await;
        assert_eq!(xlsx_rows_and_strings(&r.bytes).0 as i64, mine, "{list}");
    }
    // filters: open notices only, and one year's decisions
    let open = t.total(&commission, "/api/v1/notices?state=open").await;
    let page = t.login_page("commission").await;
    let r = page.get("/notices/export.xlsx?state=open").await;
    assert_eq!(r.status, StatusCode::OK);
    let (rows, strings) = xlsx_rows_and_strings(&r.bytes);
    assert_eq!(rows as i64, open);
    assert!(!strings.iter().any(|s| s == "已答复"), "only open notices");
    let year = t
        .total(&commission, "/api/v1/accountability?year=2026")
        .await;
    let r = page.get("/accountability/export.xlsx?year=2026").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(xlsx_rows_and_strings(&r.bytes).0 as i64, year);
    // the list pages link to their export with the current filters
    let html = page.get("/notices?state=open").await.text();
    assert!(
        html.contains("/notices/export.xlsx?state=open"),
        "the notices page links to its export"
    );
}
