//! Demo responsibility letters, duty reports and cadre records (issue 10): the
//! commission's three templates for the year; letters at every level — the commission
//! to every unit secretary, unit secretaries to their team members, team members to
//! department (branch) heads — partly signed at each (both parties, one party, nobody),
//! a few past their signing deadline; a duty-appraisal round of four unit secretaries
//! with scores, a question each and a 整改清单 in the problem ledger; and a year of cadre
//! records (appointments, part-time approvals, training classes, one 容错纠错) spread
//! over the months to date. Everything goes through the use cases.
use chrono::{Datelike, Duration, NaiveDate};
use zeren_app::cadre_work::CadreInput;
use zeren_app::duty_report::{AppraisalInput, DutyReportInput, RectifyItem};
use zeren_app::evidence::Upload;
use zeren_app::letter::{IssueInput, SignInput, TemplateInput};
use zeren_app::{Actor, App, AppError};

use crate::DemoError;

/// A tiny real PDF: the scanned signature page of the demo.
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

fn scan(party: &str, on: NaiveDate) -> SignInput {
    SignInput {
        party: party.into(),
        method: "scan".into(),
        signed_on: Some(on.to_string()),
        files: vec![Upload {
            filename: "责任书签字页.pdf".into(),
            bytes: PDF.to_vec(),
        }],
    }
}

/// Issues one letter; a signer whose list holds nothing for the kind is skipped.
async fn issue(
    app: &App,
    a: &Actor,
    template_id: i64,
    level: &str,
    issuer: i64,
    signer: i64,
    sign_by: NaiveDate,
) -> Result<Option<i64>, DemoError> {
    match app
        .letters_issue(
            a,
            IssueInput {
                template_id,
                level: level.into(),
                issuer_person_id: Some(issuer),
                signer_person_ids: vec![signer],
                sign_by: sign_by.to_string(),
            },
        )
        .await
    {
        Ok(ids) => Ok(ids.first().copied()),
        Err(AppError::Invalid(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Signs by pattern `i`: two in three both parties, then the signer only, then none.
async fn sign(app: &App, a: &Actor, id: i64, i: usize, on: NaiveDate) -> Result<(), DemoError> {
    match i % 6 {
        0..=2 => app.letter_sign(a, id, scan("both", on)).await?,
        3 => app.letter_sign(a, id, scan("signer", on)).await?,
        _ => {}
    }
    Ok(())
}

pub async fn load(app: &App, today: NaiveDate) -> Result<(), DemoError> {
    let com = app.actor_by_username("commission").await?;
    let u1 = app.actor_by_username("unit1").await?;
    let leader1 = app.actor_by_username("leader1").await?.person_id;
    let year = today.year();
    let mut c = app.store.conn().await?;
    let root = zeren_store::org::root(&mut c)
        .await?
        .ok_or_else(|| AppError::Io("演示数据缺少根组织".into()))?;
    let root_sec = zeren_store::letter::holders(&mut c, &root.path, &["secretary"], None)
        .await?
        .into_iter()
        .find(|h| h.2 == root.id)
        .map(|h| h.0)
        .ok_or_else(|| AppError::Io("演示数据缺少委党委书记".into()))?;
    let unit_secs =
        zeren_store::letter::holders(&mut c, &root.path, &["secretary"], Some(root.id)).await?;
    drop(c);
    let mut templates = Vec::new();
    for kind in ["party_building", "integrity", "conduct"] {
        let id = app
            .letter_template_create(
                &com,
                TemplateInput {
                    org_id: Some(root.id),
                    year,
                    kind: kind.into(),
                    ..Default::default()
                },
            )
            .await?;
        templates.push((kind, id));
    }
    // signed the day they were issued (a signature cannot precede its letter)
    let signed_on = today;
    let mut n = 0usize;
    // the commission to every unit secretary
    for (k, (_, tpl)) in templates.iter().enumerate() {
        for (i, (sec, _, _, _)) in unit_secs.iter().enumerate() {
            let by = today + Duration::days(10 + 5 * k as i64);
            if let Some(id) = issue(app, &com, *tpl, "unit", root_sec, *sec, by).await? {
                sign(app, &com, id, i + k, signed_on).await?;
                n += 1;
            }
        }
    }
    // unit1's secretary to its team; the commission's secretary to the commission's team
    let mut c = app.store.conn().await?;
    let unit1 = zeren_store::org::get_in(
        &mut c,
        &u1.read_scope(),
        u1.home().map(|r| r.org_id).unwrap_or(0),
    )
    .await?;
    let u1_sec = unit_secs.iter().find(|h| h.2 == unit1.id).map(|h| h.0);
    let team_kinds = ["deputy_secretary", "team_member", "discipline_member"];
    let u1_team: Vec<i64> = zeren_store::letter::holders(&mut c, &unit1.path, &team_kinds, None)
        .await?
        .into_iter()
        .filter(|h| h.2 == unit1.id)
        .map(|h| h.0)
        .collect();
    let root_team: Vec<i64> = zeren_store::letter::holders(&mut c, &root.path, &team_kinds, None)
        .await?
        .into_iter()
        .filter(|h| h.2 == root.id)
        .map(|h| h.0)
        .collect();
    let u1_branch_secs: Vec<i64> =
        zeren_store::letter::holders(&mut c, &unit1.path, &["secretary"], None)
            .await?
            .into_iter()
            .filter(|h| h.2 != unit1.id)
            .map(|h| h.0)
            .collect();
    drop(c);
    for (k, (_, tpl)) in templates.iter().enumerate() {
        if let Some(sec) = u1_sec {
            for (i, m) in u1_team.iter().enumerate() {
                if let Some(id) =
                    issue(app, &u1, *tpl, "team", sec, *m, today + Duration::days(12)).await?
                {
                    sign(app, &u1, id, i + k, signed_on).await?;
                    n += 1;
                }
            }
        }
        for (i, m) in root_team.iter().enumerate() {
            if let Some(id) = issue(
                app,
                &com,
                *tpl,
                "team",
                root_sec,
                *m,
                today + Duration::days(8),
            )
            .await?
            {
                // leader1 confirms with their own account (left unsigned here)
                if Some(*m) != leader1 {
                    sign(app, &com, id, i + k, signed_on).await?;
                }
                n += 1;
            }
        }
        // unit1's team members to its department heads, round robin
        if !u1_team.is_empty() {
            for (i, b) in u1_branch_secs.iter().enumerate() {
                let issuer = u1_team[i % u1_team.len()];
                if let Some(id) = issue(
                    app,
                    &u1,
                    *tpl,
                    "department",
                    issuer,
                    *b,
                    today + Duration::days(20),
                )
                .await?
                {
                    sign(app, &u1, id, i + k + 1, signed_on).await?;
                    n += 1;
                }
            }
        }
    }
    // a few unit letters past their deadline, so reminders and the overdue view show
    {
        let mut tx = app.store.begin_write().await?;
        let (open, _) = zeren_store::letter::list(
            tx.conn(),
            &zeren_store::Scope::Subtrees(vec![root.path.clone()]),
            &zeren_store::letter::LetterFilter {
                level: Some("unit".into()),
                state: Some("unsigned".into()),
                limit: 3,
                ..Default::default()
            },
        )
        .await?;
        for l in open {
            let past = (today - Duration::days(5)).to_string();
            zeren_store::letter::replace_sign_by(tx.conn(), l.id, &past, zeren_app::clock::now())
                .await?;
        }
        tx.commit().await?;
    }
    let _ = n;
    duty_round(app, &com, &unit_secs, today).await?;
    cadre_year(app, today).await?;
    Ok(())
}

/// Four unit secretaries report; the commission appraises them; two 整改清单.
async fn duty_round(
    app: &App,
    com: &Actor,
    unit_secs: &[(i64, String, i64, String)],
    today: NaiveDate,
) -> Result<(), DemoError> {
    let year = today.year();
    let mut reports = Vec::new();
    for (sec, _, _, _) in unit_secs.iter().take(4) {
        let id = app
            .duty_report_save(
                com,
                DutyReportInput {
                    year,
                    kind: "party_building".into(),
                    person_id: *sec,
                    body: None,
                    submit: true,
                },
            )
            .await?;
        reports.push(id);
    }
    let mut c = app.store.conn().await?;
    let root = zeren_store::org::root(&mut c)
        .await?
        .ok_or_else(|| AppError::Io("演示数据缺少根组织".into()))?;
    drop(c);
    let held =
        (today - Duration::days(2)).max(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today));
    let a = app
        .appraisal_create(
            com,
            AppraisalInput {
                org_id: Some(root.id),
                year,
                title: format!("{year}年度直属单位党组织书记抓基层党建工作述职评议会"),
                held_on: held.to_string(),
                scoring: "grade".into(),
                report_ids: reports.clone(),
            },
        )
        .await?;
    const GRADES: [&str; 4] = ["好", "较好", "一般", "差"];
    const RATERS: [&str; 7] = [
        "委党委书记",
        "委党委副书记",
        "分管副主任甲",
        "分管副主任乙",
        "机关党委书记",
        "驻委纪检监察组组长",
        "党员代表",
    ];
    for (r, rid) in reports.iter().enumerate() {
        let scores: Vec<(String, String)> = RATERS
            .iter()
            .enumerate()
            .map(|(i, who)| {
                // mostly 好/较好, one report weaker
                let g = match (r, i % 4) {
                    (3, 0 | 1) => 2,
                    (3, _) => 1,
                    (_, 0 | 1) => 0,
                    (_, 2) => 1,
                    _ => (i + r) % 3,
                };
                (who.to_string(), GRADES[g].to_string())
            })
            .collect();
        app.appraisal_score(com, a, *rid, &scores).await?;
        app.appraisal_question(
            com,
            a,
            *rid,
            RATERS[r % RATERS.len()],
            "基层党支部标准化规范化建设还有哪些短板？下一步如何补齐？",
            "部分临床科室支部“三会一课”质量不高，下一步实行支部书记季度讲评，纳入年度考核。",
        )
        .await?;
    }
    let next = |d: i64| (today + Duration::days(d)).to_string();
    for rid in reports.iter().skip(2).take(2) {
        app.appraisal_rectify(
            com,
            a,
            *rid,
            &[
                RectifyItem {
                    title: "党建与业务工作融合不够紧密".into(),
                    description:
                        "述职评议指出：党建工作与医院中心工作结合不紧，“两张皮”现象仍有存在".into(),
                    deadline: next(60),
                },
                RectifyItem {
                    title: "支部“三会一课”质量有待提高".into(),
                    description: "部分支部会议记录简单，学习讨论不深入".into(),
                    deadline: next(90),
                },
            ],
        )
        .await?;
    }
    Ok(())
}

/// A year of cadre records up to today, by the organisation department.
async fn cadre_year(app: &App, today: NaiveDate) -> Result<(), DemoError> {
    let od = app.actor_by_username("orgdept").await?;
    let year = today.year();
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let span = (today - start).num_days().max(1);
    // a day in the year so far, spread by `i` out of `n`
    let on = |i: usize, n: usize| {
        (start + Duration::days(span * i as i64 / n.max(1) as i64)).to_string()
    };
    let mut c = app.store.conn().await?;
    let root = zeren_store::org::root(&mut c)
        .await?
        .ok_or_else(|| AppError::Io("演示数据缺少根组织".into()))?;
    // ranked people of the whole tree, in id order
    let (people, _) = zeren_store::person::list(
        &mut c,
        &zeren_store::Scope::Subtrees(vec![root.path.clone()]),
        &zeren_store::person::PersonFilter {
            org_path: None,
            q: None,
            party_status: None,
            offset: 0,
            limit: 400,
        },
    )
    .await?;
    drop(c);
    let ranked: Vec<i64> = people
        .iter()
        .filter(|p| p.cadre_rank.as_deref().is_some_and(|r| r.contains('级')))
        .map(|p| p.id)
        .collect();
    if ranked.len() < 30 {
        return Ok(());
    }
    let n = 12;
    for i in 0..n {
        let (kind, from, to) = match i % 4 {
            0 | 1 => ("promotion", "正科级", "副处级"),
            2 => ("further_use", "副处级", "副处级"),
            _ => ("rank_promotion", "四级主任科员", "三级调研员"),
        };
        app.cadre_record_create(
            &od,
            CadreInput::Appointment {
                person_id: ranked[i],
                kind: kind.into(),
                post: ["医务部主任", "护理部副主任", "院长助理", "办公室主任"][i % 4].into(),
                from_rank: Some(from.into()),
                to_rank: to.into(),
                appointed_on: on(i, n),
            },
        )
        .await?;
    }
    let societies = [
        "市医学会",
        "市医师协会",
        "市护理学会",
        "市预防医学会",
        "市医院协会",
    ];
    for i in 0..8 {
        let pending = i == 7;
        app.cadre_record_create(
            &od,
            CadreInput::PartTime {
                person_id: ranked[12 + i],
                society: societies[i % societies.len()].into(),
                post: ["副会长", "常务理事", "专业委员会主任委员", "理事"][i % 4].into(),
                applied_on: on(i, 8),
                decision: (!pending)
                    .then(|| if i == 5 { "refused" } else { "approved" }.to_string()),
                decided_on: (!pending).then(|| on(i, 8)),
                paid: false,
            },
        )
        .await?;
    }
    let classes = [
        ("全市卫生健康系统中青年干部培训班", "市委党校", 80),
        ("党务干部能力提升示范培训班", "市委组织部", 24),
        ("医院管理高级研修班", "国家卫生健康委干部培训中心", 40),
        ("纪检监察干部业务培训班", "市纪委监委", 16),
        ("公立医院高质量发展专题培训班", "委党委", 12),
    ];
    for (ci, (class, organizer, hours)) in classes.iter().enumerate() {
        let when = on(ci, classes.len());
        for k in 0..(3 + ci % 3) {
            app.cadre_record_create(
                &od,
                CadreInput::Training {
                    person_id: ranked[(ci * 5 + k) % ranked.len()],
                    class_name: (*class).into(),
                    organizer: Some((*organizer).into()),
                    started_on: when.clone(),
                    hours: *hours,
                },
            )
            .await?;
        }
    }
    app.cadre_record_create(
        &od,
        CadreInput::Tolerance {
            person_id: ranked[25],
            kind: "reuse".into(),
            matter: "推进医联体改革中因探索性失误受到诫勉，经容错纠错程序认定后按期重新使用".into(),
            post: Some("医联体办公室主任".into()),
            decided_on: on(3, 4),
        },
    )
    .await?;
    Ok(())
}
