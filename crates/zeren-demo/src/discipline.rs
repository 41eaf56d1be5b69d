//! Demo discipline-inspection records (issue 6): accounts of the discipline group and
//! the organisation department, the working-day calendar of the year, petitions
//! (anonymous and real-name; one repeat; one cleared name; one about the unit's own
//! discipline secretary) and four-forms actions. Everything goes through the use
//! cases, so history, audit and sealing are as in real use.
//!
//! Accounts (password as for every demo account):
//! - `discipline`: 驻委纪检监察组, the whole tree, holds the informant clearance;
//! - `discipline1`: 市第一人民医院纪委书记, the unit's subtree, no clearance, and
//!   reported in one petition, which it therefore never sees;
//! - `orgdept`: 委组织部门, the whole tree.
use chrono::{Duration, NaiveDate};
use zeren_app::four_forms::NewFourFormsInput;
use zeren_app::petition::NewPetitionInput;
use zeren_app::{Actor, App, AppError};
use zeren_store::user;

use crate::DemoError;

/// The unit `discipline1` works for.
const UNIT1: &str = "市第一人民医院党委";

/// 2026's public holidays and adjusted working days as the State Council announced
/// them (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025), for deadlines in
/// working days. A deployment keeps its own (工作日历 page).
const CALENDAR_2026: &[(&str, &str, &str)] = &[
    ("2026-01-01", "holiday", "元旦"),
    ("2026-01-02", "holiday", "元旦"),
    ("2026-01-03", "holiday", "元旦"),
    ("2026-01-04", "workday", "元旦调休上班"),
    ("2026-02-14", "workday", "春节调休上班"),
    ("2026-02-15", "holiday", "春节"),
    ("2026-02-16", "holiday", "春节"),
    ("2026-02-17", "holiday", "春节"),
    ("2026-02-18", "holiday", "春节"),
    ("2026-02-19", "holiday", "春节"),
    ("2026-02-20", "holiday", "春节"),
    ("2026-02-21", "holiday", "春节"),
    ("2026-02-22", "holiday", "春节"),
    ("2026-02-23", "holiday", "春节"),
    ("2026-02-28", "workday", "春节调休上班"),
    ("2026-04-04", "holiday", "清明节"),
    ("2026-04-05", "holiday", "清明节"),
    ("2026-04-06", "holiday", "清明节"),
    ("2026-05-01", "holiday", "劳动节"),
    ("2026-05-02", "holiday", "劳动节"),
    ("2026-05-03", "holiday", "劳动节"),
    ("2026-05-04", "holiday", "劳动节"),
    ("2026-05-05", "holiday", "劳动节"),
    ("2026-05-09", "workday", "劳动节调休上班"),
    ("2026-06-19", "holiday", "端午节"),
    ("2026-06-20", "holiday", "端午节"),
    ("2026-06-21", "holiday", "端午节"),
    ("2026-09-20", "workday", "国庆节调休上班"),
    ("2026-09-25", "holiday", "中秋节"),
    ("2026-09-26", "holiday", "中秋节"),
    ("2026-09-27", "holiday", "中秋节"),
    ("2026-10-01", "holiday", "国庆节"),
    ("2026-10-02", "holiday", "国庆节"),
    ("2026-10-03", "holiday", "国庆节"),
    ("2026-10-04", "holiday", "国庆节"),
    ("2026-10-05", "holiday", "国庆节"),
    ("2026-10-06", "holiday", "国庆节"),
    ("2026-10-07", "holiday", "国庆节"),
    ("2026-10-10", "workday", "国庆节调休上班"),
];

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn account(
    app: &App,
    username: &str,
    display: &str,
    person_id: Option<i64>,
    role: &str,
    org_id: i64,
    password: &str,
) -> Result<i64, DemoError> {
    // each account its own salt
    let pw = password.to_string();
    let password_hash = tokio::task::spawn_blocking(move || zeren_app::auth::hash_password(&pw))
        .await
        .map_err(|e| AppError::Io(format!("密码哈希线程异常：{e}")))??;
    let password_hash = password_hash.as_str();
    let mut tx = app.store.begin_write().await?;
    let id = user::insert(
        tx.conn(),
        username,
        display,
        password_hash,
        person_id,
        zeren_app::clock::now(),
    )
    .await?;
    user::add_role(tx.conn(), id, role, org_id).await?;
    zeren_app::audit::record(
        tx.conn(),
        None,
        "demo",
        "demo",
        zeren_app::audit::Event::ok(zeren_app::audit::AuditAction::UserCreate, "user", id, "")
            .detail(format!("{username} {role}")),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn load(
    app: &App,
    commission: &Actor,
    today: NaiveDate,
    password: &str,
) -> Result<(), DemoError> {
    let root = commission
        .home()
        .map(|r| r.org_id)
        .ok_or_else(|| AppError::Io("演示数据缺少委党委".into()))?;
    let units = app.org_tree(commission, Some(root), 1).await?;
    let units: Vec<_> = units.into_iter().filter(|o| o.id != root).collect();
    let Some(u1) = units.iter().find(|o| o.name == UNIT1).cloned() else {
        return Err(AppError::Io(format!("演示数据缺少 {UNIT1}")).into());
    };
    let others: Vec<_> = units
        .iter()
        .filter(|o| o.id != u1.id)
        .take(2)
        .cloned()
        .collect();
    let u1_people = app.people_of_org(commission, u1.id).await?;
    let secretary = u1_people
        .first()
        .ok_or_else(|| AppError::Io(format!("{UNIT1} 没有人员")))?
        .clone();

    let d_id = account(
        app,
        "discipline",
        "驻委纪检监察组",
        None,
        "discipline",
        root,
        password,
    )
    .await?;
    let d1_id = account(
        app,
        "discipline1",
        &format!("{}（纪委书记）", secretary.name),
        Some(secretary.id),
        "discipline",
        u1.id,
        password,
    )
    .await?;
    account(
        app,
        "orgdept",
        "委组织部门",
        None,
        "org_dept",
        root,
        password,
    )
    .await?;
    // the informant clearance, as the security administrator would grant it
    {
        let mut tx = app.store.begin_write().await?;
        zeren_store::discipline::grant_clearance(
            tx.conn(),
            d_id,
            zeren_app::petition::INFORMANT_CLEARANCE,
            None,
            zeren_app::clock::now(),
        )
        .await?;
        zeren_app::audit::record(
            tx.conn(),
            None,
            "demo",
            "demo",
            zeren_app::audit::Event::ok(
                zeren_app::audit::AuditAction::ClearanceGrant,
                "user",
                d_id,
                "",
            )
            .detail("discipline informant"),
        )
        .await?;
        tx.commit().await?;
    }
    let _ = d1_id;
    let mut c = app.store.conn().await?;
    let disc = app.actor_of(&mut c, d_id, "demo").await?;
    drop(c);

    for (day, kind, name) in CALENDAR_2026 {
        app.calendar_set(&disc, day, kind, name).await?;
    }

    let ago = |n: i64| ymd(today - Duration::days(n));
    let person_of = |people: &[zeren_app::rows::PersonRow], i: usize| people.get(i).map(|p| p.id);
    let u1_other = person_of(&u1_people, 1);
    let mut ids = Vec::new();
    let add = |input: NewPetitionInput| {
        let disc = disc.clone();
        async move { app.petition_create(&disc, input).await }
    };
    let p = |org: i64,
             person: Option<i64>,
             days: i64,
             channel: &str,
             signed: bool,
             informant: Option<(&str, &str)>,
             summary: &str,
             content: &str,
             level: &str,
             category: &str| NewPetitionInput {
        received_on: ago(days),
        channel: channel.into(),
        signed,
        informant_name: informant.map(|(n, _)| n.to_string()),
        informant_contact: informant.map(|(_, c)| c.to_string()),
        reported_person_id: person,
        org_id: Some(org),
        summary: summary.into(),
        content: content.into(),
        level: level.into(),
        category: category.into(),
        repeat_of: None,
    };
    // 1. about the unit's own discipline secretary: real name, checked, partly true
    ids.push(
        add(p(
            u1.id,
            Some(secretary.id),
            200,
            "letter",
            true,
            Some(("陈建国", "13800000001")),
            "反映其在设备采购中打招呼",
            "来信反映该同志在医疗设备采购过程中向评审专家打招呼，为特定供应商谋取便利。",
            "section",
            "integrity",
        ))
        .await?,
    );
    // 2. anonymous, talk and inquiry, untrue: name cleared
    ids.push(
        add(p(
            u1.id,
            u1_other,
            150,
            "online",
            false,
            None,
            "反映其违规收受患者红包",
            "网络举报反映该同志收受患者家属红包。",
            "staff",
            "integrity",
        ))
        .await?,
    );
    // 3. anonymous, just received, about the unit
    ids.push(
        add(p(
            u1.id,
            None,
            5,
            "phone",
            false,
            None,
            "反映科室违规收取检查费用",
            "来电反映某科室在门诊检查中重复收费。",
            "other",
            "mass",
        ))
        .await?,
    );
    if let Some(u2) = others.first() {
        let u2_people = app.people_of_org(commission, u2.id).await?;
        // 4. real name, shelved, acceptance notice not given (late)
        let first = add(p(
            u2.id,
            person_of(&u2_people, 0),
            60,
            "visit",
            true,
            Some(("刘桂英", "13900000002")),
            "反映其违规兼职取酬",
            "来访反映该同志在民营医院兼职并领取报酬。",
            "division",
            "integrity",
        ))
        .await?;
        ids.push(first);
        // 5. the same matter again (重件)
        let mut again = p(
            u2.id,
            person_of(&u2_people, 0),
            20,
            "letter",
            true,
            Some(("刘桂英", "13900000002")),
            "再次反映其违规兼职取酬",
            "来信再次反映该同志兼职取酬问题，称未见处理。",
            "division",
            "integrity",
        );
        again.repeat_of = Some(first.to_string());
        ids.push(add(again).await?);
    }
    if let Some(u3) = others.get(1) {
        let u3_people = app.people_of_org(commission, u3.id).await?;
        // 6. anonymous, closed out
        ids.push(
            add(p(
                u3.id,
                None,
                120,
                "referral",
                false,
                None,
                "反映单位会议过多",
                "上级转交，反映单位会议多、文件多，内容笼统，无具体问题线索。",
                "other",
                "work",
            ))
            .await?,
        );
        // 7. real name, referred, true
        ids.push(
            add(p(
                u3.id,
                person_of(&u3_people, 1),
                240,
                "online",
                true,
                Some(("赵志强", "zhao.zq@example.org")),
                "反映其利用职务便利为亲属谋利",
                "网络实名举报该同志利用职务便利为亲属经营的公司承揽院内工程。",
                "section",
                "crime",
            ))
            .await?,
        );
    }
    // disposals, outcomes, notices
    let a = app;
    a.petition_notify(&disc, ids[0], "accept", &ago(195))
        .await?;
    a.petition_dispose(
        &disc,
        ids[0],
        "preliminary_check",
        &ago(190),
        "经委纪检监察组研究，予以初步核实",
    )
    .await?;
    a.petition_conclude(
        &disc,
        ids[0],
        "partly_true",
        false,
        "核实该同志存在打招呼问题，未发现利益输送，给予提醒谈话。",
        &ago(130),
    )
    .await?;
    a.petition_notify(&disc, ids[0], "result", &ago(120))
        .await?;
    a.petition_dispose(&disc, ids[1], "talk_inquiry", &ago(140), "函询本人")
        .await?;
    a.petition_conclude(
        &disc,
        ids[1],
        "untrue",
        true,
        "经函询及调查，反映问题不属实，予以澄清正名。",
        &ago(100),
    )
    .await?;
    if ids.len() > 4 {
        a.petition_dispose(&disc, ids[3], "shelved", &ago(50), "线索不具体，暂存待查")
            .await?;
    }
    if ids.len() > 6 {
        a.petition_dispose(
            &disc,
            ids[5],
            "closed_out",
            &ago(110),
            "无具体问题线索，予以了结",
        )
        .await?;
        a.petition_notify(&disc, ids[6], "accept", &ago(235))
            .await?;
        a.petition_dispose(&disc, ids[6], "referred", &ago(200), "移送审查调查")
            .await?;
        a.petition_conclude(
            &disc,
            ids[6],
            "true",
            false,
            "经审查调查，问题属实，给予留党察看处分。",
            &ago(60),
        )
        .await?;
    }

    // four forms
    let petition = |i: usize| ids.get(i).copied();
    let ff =
        |person: Option<i64>, action: &str, days: i64, reason: &str, petition_id: Option<i64>| {
            let input = NewFourFormsInput {
                person_id: person,
                action: action.into(),
                decided_on: ago(days),
                decided_by: "驻委纪检监察组".into(),
                reason: reason.into(),
                petition_id,
                problem_id: None,
            };
            let disc = disc.clone();
            async move {
                // a unit with fewer people than the script names gets fewer records
                if input.person_id.is_none() {
                    return Ok(0);
                }
                app.four_forms_record(&disc, input).await
            }
        };
    ff(
        Some(secretary.id),
        "reminder_talk",
        128,
        "采购中打招呼，提醒谈话",
        petition(0),
    )
    .await?;
    ff(
        u1_other,
        "inquiry_letter",
        140,
        "就反映收受红包问题函询",
        petition(1),
    )
    .await?;
    ff(
        person_of(&u1_people, 2),
        "criticism",
        90,
        "落实“一岗双责”不到位",
        None,
    )
    .await?;
    ff(
        person_of(&u1_people, 3),
        "warning",
        70,
        "违规发放津补贴",
        None,
    )
    .await?;
    if let Some(u3) = others.get(1) {
        let u3_people = app.people_of_org(commission, u3.id).await?;
        ff(
            person_of(&u3_people, 1),
            "probation",
            58,
            "利用职务便利为亲属谋利",
            petition(6),
        )
        .await?;
        ff(
            person_of(&u3_people, 2),
            "admonish",
            30,
            "履行管党治党责任不力",
            None,
        )
        .await?;
    }
    if let Some(u2) = others.first() {
        let u2_people = app.people_of_org(commission, u2.id).await?;
        ff(
            person_of(&u2_people, 2),
            "judicial_referral",
            45,
            "涉嫌受贿，移送司法机关",
            None,
        )
        .await?;
    }
    Ok(())
}
