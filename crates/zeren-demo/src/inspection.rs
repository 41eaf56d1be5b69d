//! Demo inspection tours (巡察): the year's plan; the interview outline of seed 000
//! (seven questions, with the first answers of that seed as the secretary's talk); a
//! completed 第三轮 regular inspection of two units — team with declarations, talks,
//! an anonymous 民主测评 with answers, findings, feedback into the ledger, measures in
//! several states (closed, long-term, ongoing, up for review), systems established,
//! both reports submitted, the round closed — and a 第四轮 on site. Everything goes
//! through the use cases, so history, audit and reminders are as in real use.
use std::collections::HashMap;

use chrono::Datelike;
use zeren_app::evidence::Upload;
use zeren_app::inspection::round::{FindingInput, MemberInput, RoundInput};
use zeren_app::inspection::survey::{SurveyInput, SurveyQuestionInput};
use zeren_app::inspection::talk::TalkInput;
use zeren_app::problem::MeasureInput;
use zeren_app::{App, AppError};
use zeren_core::problem::ProblemAction;

use crate::DemoError;

/// Seed 000's interview outline (谈话提纲): (kind, question).
pub const OUTLINE: [(&str, &str); 7] = [
    ("responsibility", "请谈谈党委（党组）在落实全面从严治党主体责任、加强党风廉政建设方面的情况。比如，专题研究部署全面从严治党工作，结合实际制定责任清单和年度任务安排情况。请结合自身责任分工，谈谈工作落实情况，存在的问题和不足，以及下一步打算。"),
    ("ecology", "如何评价本地（本单位）的政治生态和干部作风状况，有何突出问题？"),
    ("mechanism", "请谈谈本地（本单位）在构建一体推进不敢腐、不能腐、不想腐体制机制，进一步巩固和发展反腐败斗争压倒性胜利方面，取得了哪些成效，存在哪些问题和不足？"),
    ("gaps", "请谈谈党委（党组）在落实全面从严治党主体责任方面还存在哪些差距和不足，有何意见和建议？"),
    ("supervision", "请谈谈纪检监察机关在落实监督责任方面还存在哪些差距和不足，有何意见和建议？"),
    ("system", "党的二十大报告提出健全全面从严治党体系的要求，这在党的全国代表大会报告中是首次。“全面从严治党”加上“体系”二字，如何理解？本地（本单位）怎么谋划和推进？目前与中央要求还存在什么差距？"),
    ("culture", "今年4月，我市出台了《关于加强新时代廉洁文化建设的工作方案》，要求各地各部门将廉洁文化建设纳入全面从严治党全局工作，请谈谈本地（本单位）是如何落实的？效果如何？推进过程中有哪些问题和不足？"),
];

/// Seed 000's answers to the first two questions, shortened.
const ANSWERS: [&str; 2] = [
    "我作为院党委书记，严格落实上级党委全面从严治党工作要求，着力在深化政治建设、提高理论水平、强化党组织领导、落实民主集中制、转变工作作风上下功夫。但是客观来说，管党治党压力全面传导仍然不够，构建横向到边、纵向到底的责任落实体系不够，存在“上热中温下冷”的问题，需进一步探索实施“清单+提示+督导+问责”的工作推进机制。",
    "本单位把党的政治建设放在首位，严格落实中央八项规定，认真执行“三会一课”“主题党日”等制度，干部作风明显好转。但仍有个别干部作风拖沓、不重时效，对限时办结的工作不按时限办理，“我不贪不占，你能怎么着”的心理尚未根除。",
];

/// (category, title, description, evidence) — unit 1, then unit 2.
type Finding = (&'static str, &'static str, &'static str, &'static str);

const FINDINGS_1: [Finding; 5] = [
    (
        "responsibility",
        "主体责任压力传导不到位，存在“上热中温下冷”现象",
        "党委对科室党支部落实全面从严治党责任督导不够，部分支部年度任务清单未分解到人。",
        "个别谈话、查阅年度任务分解材料",
    ),
    (
        "political",
        "第一议题学习制度落实不够严格",
        "党委会第一议题学习存在以传达代替研讨的情况，学习记录不完整。",
        "查阅党委会会议记录",
    ),
    (
        "integrity",
        "重点领域廉政风险防控不够有力",
        "药品耗材遴选、设备采购等环节的廉政风险点排查不全面，防控措施针对性不强。",
        "调阅采购档案、民主测评意见",
    ),
    (
        "style",
        "落实中央八项规定精神存在薄弱环节",
        "公务接待审批单据不规范，个别科室存在以会代训、发放纪念品的情况。",
        "抽查财务凭证",
    ),
    (
        "organisation",
        "基层党支部组织生活质量不高",
        "部分支部“三会一课”记录雷同，主题党日活动形式单一，谈心谈话开展不经常。",
        "查阅支部会议记录、个别谈话",
    ),
];

const FINDINGS_2: [Finding; 3] = [
    (
        "responsibility",
        "党委履行全面从严治党主体责任不够扎实",
        "年度党风廉政建设工作部署与业务工作结合不紧，专题研究次数偏少。",
        "查阅党委会会议记录",
    ),
    (
        "cadres",
        "干部选拔任用程序执行不够规范",
        "个别中层干部选拔动议环节记录不全。",
        "调阅干部任免档案",
    ),
    (
        "rectification",
        "上轮巡察反馈问题整改不彻底",
        "上轮反馈的合同管理问题仍有反弹。",
        "对照上轮整改台账核查",
    ),
];

/// How one problem of unit 1 is rectified: (measures, how many done, closed,
/// long-term, a system established).
type Rectify = (
    &'static [&'static str],
    usize,
    bool,
    bool,
    Option<&'static str>,
);

fn pdf(name: &str) -> Upload {
    Upload {
        filename: format!("{name}.pdf"),
        bytes: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec(),
    }
}

pub async fn load(app: &App, today: chrono::NaiveDate) -> Result<(), DemoError> {
    let com = app.actor_by_username("commission").await?;
    let unit1 = app.actor_by_username("unit1").await?;
    let root = com
        .home()
        .map(|r| r.org_id)
        .ok_or_else(|| AppError::Io("演示数据缺少委党委".into()))?;
    // unit 1 (the account `unit1` rectifies its part), then two more units
    let u1 = unit1
        .home()
        .map(|r| r.org_id)
        .ok_or_else(|| AppError::Io("演示数据缺少 unit1".into()))?;
    let mut units: Vec<_> = app
        .org_tree(&com, Some(root), 1)
        .await?
        .into_iter()
        .filter(|o| o.id != root)
        .collect();
    units.sort_by_key(|o| o.id != u1);
    units.truncate(3);
    if units.len() < 3 {
        return Ok(());
    }
    let year = today.year() as i64;
    let d = |n: i64| (today - chrono::Duration::days(n)).to_string();
    app.inspection_plan_create(
        &com,
        None,
        year,
        &format!("{year}年度巡察工作规划"),
        "全年开展四轮常规巡察，实现对直属单位党组织巡察全覆盖；第三轮巡察两家医院，第四轮巡察一家单位。",
    )
    .await?;
    let qs: Vec<(String, String)> = OUTLINE
        .iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
    let outline = app
        .inspection_outline_create(&com, None, "巡察个别谈话提纲（领导班子成员）", &qs)
        .await?;

    // 第三轮: two units, completed
    let round = app
        .inspection_round_create(
            &com,
            RoundInput {
                year,
                number: Some(3),
                kind: "regular".into(),
                onsite_from: Some(d(150)),
                onsite_to: Some(d(120)),
                report_months: None,
                note: "完成第三轮对2家单位常规巡察".into(),
                target_org_ids: vec![units[0].id, units[1].id],
                ..Default::default()
            },
        )
        .await?;
    for (name, role, decl) in [
        ("张建国", "leader", "本人与被巡察单位无亲属关系和利害关系"),
        ("李明华", "deputy", "本人与被巡察单位无亲属关系和利害关系"),
        ("王晓燕", "member", "本人与被巡察单位无亲属关系和利害关系"),
    ] {
        app.inspection_team_add(
            &com,
            round,
            MemberInput {
                person_id: None,
                name: name.into(),
                role: role.into(),
                declaration: decl.into(),
            },
        )
        .await?;
    }
    app.inspection_round_transition(&com, round, "start")
        .await?;
    let detail = app.inspection_round(&com, round).await?;
    let target_of = |org: i64| {
        detail
            .targets
            .iter()
            .find(|t| t.org_id == org)
            .map(|t| t.id)
    };
    let (Some(t1), Some(t2)) = (target_of(units[0].id), target_of(units[1].id)) else {
        return Ok(());
    };
    // talks: unit 1's first people (its secretary first)
    let people = app.people_of_org(&com, units[0].id).await?;
    let mut first_answer = None;
    for (i, p) in people.iter().take(3).enumerate() {
        let kid = app
            .inspection_talk_schedule(
                &com,
                TalkInput {
                    target_id: t1,
                    outline_id: outline,
                    person_id: Some(p.id),
                    person_name: String::new(),
                    post: if i == 0 {
                        "党委书记".into()
                    } else {
                        String::new()
                    },
                    talker: "张建国、王晓燕".into(),
                    scheduled_on: d(145 - i as i64),
                },
            )
            .await?;
        app.inspection_talk_held(&com, kid, &d(145 - i as i64))
            .await?;
        if i == 0 {
            let talk = app.inspection_talk(&com, kid).await?;
            let answers: Vec<(i64, String)> = talk
                .questions
                .iter()
                .take(2)
                .zip(ANSWERS)
                .map(|(q, a)| (q.question.id, a.to_string()))
                .collect();
            app.inspection_talk_answer(&com, kid, &answers).await?;
            first_answer = app
                .inspection_talk(&com, kid)
                .await?
                .questions
                .first()
                .and_then(|q| q.answer.as_ref().map(|a| a.id));
        }
    }
    // 民主测评 in unit 1: eight codes, six answered
    let sid = app
        .inspection_survey_create(
            &com,
            SurveyInput {
                target_id: t1,
                purpose: "appraisal".into(),
                title: "领导班子和领导干部民主测评".into(),
                min_respondents: None,
                questions: vec![
                    SurveyQuestionInput {
                        kind: "choice".into(),
                        text: "对本单位落实全面从严治党主体责任情况的总体评价".into(),
                        options: vec!["好".into(), "较好".into(), "一般".into(), "差".into()],
                        scale_max: 0,
                    },
                    SurveyQuestionInput {
                        kind: "scale".into(),
                        text: "对本单位作风建设的满意程度".into(),
                        options: Vec::new(),
                        scale_max: 5,
                    },
                    SurveyQuestionInput {
                        kind: "text".into(),
                        text: "对本单位党风廉政建设的意见和建议".into(),
                        options: Vec::new(),
                        scale_max: 0,
                    },
                ],
            },
        )
        .await?;
    let codes = app.inspection_survey_codes(&com, sid, 8).await?;
    let form = app.survey_form(&codes[0]).await?.0;
    let ids: Vec<i64> = form.questions.iter().map(|q| q.id).collect();
    let given = [
        ("0", "5", "建议加强对采购环节的监督"),
        ("0", "4", ""),
        ("1", "4", "支部活动形式可以更丰富"),
        ("1", "3", ""),
        ("0", "5", ""),
        ("2", "3", "谈心谈话要经常化"),
    ];
    for (code, (c, s, t)) in codes.iter().zip(given) {
        let mut a = HashMap::new();
        a.insert(ids[0], c.to_string());
        a.insert(ids[1], s.to_string());
        a.insert(ids[2], t.to_string());
        app.survey_submit(code, &a).await?;
    }
    // findings and feedback
    for (i, (cat, title, desc, ev)) in FINDINGS_1.iter().enumerate() {
        app.inspection_finding_create(
            &com,
            FindingInput {
                target_id: t1,
                category: cat.to_string(),
                title: title.to_string(),
                description: desc.to_string(),
                evidence: ev.to_string(),
                answer_id: if i == 0 { first_answer } else { None },
            },
        )
        .await?;
    }
    for (cat, title, desc, ev) in FINDINGS_2 {
        app.inspection_finding_create(
            &com,
            FindingInput {
                target_id: t2,
                category: cat.into(),
                title: title.into(),
                description: desc.into(),
                evidence: ev.into(),
                answer_id: None,
            },
        )
        .await?;
    }
    let fb = d(100);
    let o1 = app.inspection_feedback(&com, t1, &fb, None).await?;
    let o2 = app.inspection_feedback(&com, t2, &fb, None).await?;
    // rectification in unit 1: (measures, done, close, long-term, system)
    let plan: [Rectify; 5] = [
        (
            &[
                "制定责任清单分解到各支部和班子成员",
                "每季度听取支部书记履责汇报",
            ],
            2,
            true,
            false,
            Some("党委落实全面从严治党主体责任清单"),
        ),
        (
            &[
                "完善第一议题学习制度，明确研讨发言要求",
                "建立学习记录月度检查",
            ],
            2,
            false,
            true,
            Some("党委会第一议题学习制度"),
        ),
        (
            &["全面排查药品耗材和设备采购廉政风险点", "重点岗位轮岗交流"],
            1,
            false,
            false,
            None,
        ),
        (
            &["清理规范公务接待审批", "开展八项规定精神专项检查"],
            2,
            false,
            false,
            None,
        ),
        (
            &["开展支部组织生活质量提升行动", "建立谈心谈话台账"],
            2,
            true,
            false,
            Some("党支部组织生活质量评价办法"),
        ),
    ];
    let deadline = (today + chrono::Duration::days(60)).to_string();
    for (pid, (measures, done, close, long, system)) in o1.created.iter().zip(plan) {
        let mut mids = Vec::new();
        for m in measures {
            mids.push(
                app.measure_add(
                    &unit1,
                    *pid,
                    MeasureInput {
                        content: m.to_string(),
                        owner_id: people.first().map(|p| p.id),
                        deadline: deadline.clone(),
                    },
                )
                .await?,
            );
        }
        for m in mids.iter().take(done) {
            app.measure_complete(&unit1, *m, "已按要求完成", &[pdf("整改佐证")])
                .await?;
        }
        if let (Some(name), Some(m)) = (system, mids.first()) {
            app.inspection_system_add(&unit1, *m, name, &d(60)).await?;
        }
        if done == measures.len() && !long {
            app.problem_transition(&unit1, *pid, ProblemAction::RequestClose, "")
                .await?;
            if close {
                app.problem_transition(&com, *pid, ProblemAction::ApproveClose, "")
                    .await?;
            }
        }
        if long {
            app.inspection_long_term(&unit1, *pid, true).await?;
        }
    }
    app.inspection_target_text(
        &unit1,
        t1,
        "医院党委召开专题会议研究部署巡察整改工作，成立由党委书记任组长的整改工作领导小组，制定整改方案，逐条明确整改措施、责任领导、责任部门和完成时限。\n党委书记履行第一责任人职责，班子成员按照分工抓好分管领域整改，党委办公室建立整改台账，每月调度进展，对账销号。",
        "对尚未完成的整改事项继续挂账推进，对已完成事项开展“回头看”，把巡察整改与日常监督、年度考核结合起来，建立健全长效机制。",
    )
    .await?;
    app.inspection_report_submit(&unit1, t1, &d(45)).await?;
    // unit 2: its office is the commission's in the demo (no unit account)
    for (i, pid) in o2.created.iter().enumerate() {
        let m = app
            .measure_add(
                &com,
                *pid,
                MeasureInput {
                    content: [
                        "完善党委议事规则，每季度专题研究全面从严治党",
                        "规范干部选拔动议程序和记录",
                        "对照上轮台账逐项复查合同管理",
                    ][i % 3]
                        .into(),
                    owner_id: None,
                    deadline: deadline.clone(),
                },
            )
            .await?;
        if i == 0 {
            app.measure_complete(&com, m, "已完成", &[pdf("整改佐证")])
                .await?;
            app.problem_transition(&com, *pid, ProblemAction::RequestClose, "")
                .await?;
            // signed off by a team member, not by who asked
            let leader = app.actor_by_username("leader1").await?;
            app.problem_transition(&leader, *pid, ProblemAction::ApproveClose, "")
                .await?;
        }
    }
    app.inspection_report_submit(&com, t2, &d(40)).await?;
    app.inspection_survey_close(&com, sid).await?;
    app.inspection_round_transition(&com, round, "close")
        .await?;

    // 第四轮: on site in the third unit
    let r4 = app
        .inspection_round_create(
            &com,
            RoundInput {
                year,
                number: Some(4),
                kind: "regular".into(),
                onsite_from: Some(d(10)),
                onsite_to: Some((today + chrono::Duration::days(20)).to_string()),
                report_months: None,
                note: String::new(),
                target_org_ids: vec![units[2].id],
                ..Default::default()
            },
        )
        .await?;
    app.inspection_round_transition(&com, r4, "start").await?;
    Ok(())
}
