//! The documents of a round, from its records: the feedback (反馈意见) to a unit, the
//! unit's rectification report (整改情况报告) and the public progress notice
//! (巡察整改进展情况通报), as GB/T 9704 .docx through `zeren_docx` and, for the notice,
//! as a web page. Every figure is counted from the ledger each time (`figures_of`):
//! a problem per fed-back finding, its measures and those done, the systems recorded
//! on them, and each problem's state (已完成 / 长期坚持 / 持续推进).
use serde::Serialize;
use zeren_core::inspection::{
    notice_state, FindingCategory, NoticeFigures, NoticeState, RoundKind,
};
use zeren_core::problem::MeasureState;
use zeren_docx::{cn_number, render, Block, OfficialDoc, Orientation, Run, Signature};
use zeren_store::inspection::{self as store, FedBackRow, RoundRow, TargetRow};
use zeren_store::Conn;

use super::office_scope;
use crate::audit::{self, AuditAction, Event};
use crate::documents::{chinese_date, Document};
use crate::{clock, Actor, App, AppError, AppResult};

/// One fed-back problem with its measures and systems.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeItem {
    pub finding_id: i64,
    pub target_id: i64,
    pub problem_id: i64,
    pub category: String,
    pub title: String,
    pub description: String,
    pub problem_state: String,
    pub deadline: String,
    pub long_term: bool,
    pub state: &'static str,
    pub state_label: &'static str,
    /// (measure id, content, state label, done)
    pub measures: Vec<(i64, String, &'static str, bool)>,
    pub systems: Vec<String>,
}

/// A unit's part of a notice.
#[derive(Debug, Clone, Serialize)]
pub struct UnitPart {
    pub target: TargetRow,
    pub figures: NoticeFigures,
    pub items: Vec<NoticeItem>,
}

/// The progress notice of a round (one unit, or all of them).
#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub round: RoundRow,
    pub title: String,
    pub issuer: String,
    pub figures: NoticeFigures,
    pub units: Vec<UnitPart>,
    pub date: String,
}

/// Chinese numerals for headings (一, 二 …), for the web page.
pub fn cn(n: u32) -> String {
    cn_number(n)
}

pub fn figures_of(rows: &[FedBackRow]) -> NoticeFigures {
    let mut f = NoticeFigures::default();
    for r in rows {
        f.problems += 1;
        f.measures += r.measures;
        f.measures_done += r.measures_done;
        f.systems += r.systems;
        match notice_state(&r.state, r.long_term != 0, r.measures, r.measures_done) {
            NoticeState::Done => f.done += 1,
            NoticeState::LongTerm => f.long_term += 1,
            NoticeState::Ongoing => f.ongoing += 1,
        }
    }
    f
}

pub fn figures_of_items(items: &[NoticeItem]) -> NoticeFigures {
    let mut f = NoticeFigures::default();
    for it in items {
        f.problems += 1;
        f.measures += it.measures.len() as i64;
        f.measures_done += it.measures.iter().filter(|m| m.3).count() as i64;
        f.systems += it.systems.len() as i64;
        match it.state {
            "done" => f.done += 1,
            "long_term" => f.long_term += 1,
            _ => f.ongoing += 1,
        }
    }
    f
}

pub(crate) async fn items_of(
    c: &mut Conn,
    round_id: i64,
    target_id: Option<i64>,
) -> AppResult<Vec<NoticeItem>> {
    let rows = store::fed_back(c, round_id, target_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let measures = zeren_store::problem::measures(c, r.problem_id)
            .await?
            .into_iter()
            .map(|m| {
                let done = m.state == MeasureState::Done.as_str();
                let label = MeasureState::parse(&m.state)
                    .map(|s| s.label())
                    .unwrap_or("");
                (m.id, m.content, label, done)
            })
            .collect::<Vec<_>>();
        let systems = store::systems_of_problem(c, r.problem_id)
            .await?
            .into_iter()
            .map(|s| s.name)
            .collect();
        let st = notice_state(&r.state, r.long_term != 0, r.measures, r.measures_done);
        out.push(NoticeItem {
            finding_id: r.finding_id,
            target_id: r.target_id,
            problem_id: r.problem_id,
            category: FindingCategory::parse(&r.category)
                .map(|c| c.label())
                .unwrap_or("其他")
                .to_string(),
            title: r.title,
            description: r.description,
            problem_state: r.state,
            deadline: r.deadline,
            long_term: r.long_term != 0,
            state: st.as_str(),
            state_label: st.label(),
            measures,
            systems,
        });
    }
    Ok(out)
}

fn unit_party(name: &str) -> String {
    if name.starts_with("中共") {
        name.to_string()
    } else {
        format!("中共{name}")
    }
}

fn issuer_of(round: &RoundRow) -> String {
    format!("{}巡察工作领导小组办公室", unit_party(&round.org_name))
}

fn title_mark(s: &str) -> String {
    let s = s.trim().trim_end_matches(['。', '；', ';']);
    format!("{s}。")
}

/// The paragraphs of one problem: what it was, what was done, its state.
fn item_blocks(n: usize, it: &NoticeItem, with_description: bool) -> Vec<Block> {
    let mut b = vec![Block::Paragraph(vec![Run::strong(format!(
        "{}.{}",
        n,
        title_mark(&it.title)
    ))])];
    if with_description {
        // the problem as fed back, without the team's 事实依据 (the feedback's business)
        let text: String = it
            .description
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("事实依据："))
            .collect::<Vec<_>>()
            .join("");
        if !text.is_empty() {
            b.push(Block::para(text));
        }
    }
    let measures = if it.measures.is_empty() {
        "尚未制定整改措施。".to_string()
    } else {
        it.measures
            .iter()
            .enumerate()
            .map(|(i, (_, c, label, _))| {
                format!("（{}）{}（{}）", i + 1, c.trim_end_matches('。'), label)
            })
            .collect::<Vec<_>>()
            .join("；")
            + "。"
    };
    b.push(Block::Paragraph(vec![
        Run::strong("整改措施："),
        Run::text(measures),
    ]));
    if !it.systems.is_empty() {
        let names: Vec<String> = it
            .systems
            .iter()
            .map(|s| format!("《{}》", s.trim_matches(['《', '》'])))
            .collect();
        b.push(Block::Paragraph(vec![
            Run::strong("建立完善制度："),
            Run::text(format!("{}。", names.join("、"))),
        ]));
    }
    b.push(Block::Paragraph(vec![
        Run::strong("整改状态："),
        Run::text(it.state_label),
    ]));
    b
}

fn docx(doc: OfficialDoc, filename: String) -> AppResult<Document> {
    let bytes = render(&doc).map_err(|e| AppError::Io(e.to_string()))?;
    Ok(Document { bytes, filename })
}

/// The progress notice as a document.
pub fn notice_doc(v: &NoticeView) -> OfficialDoc {
    let r = &v.round;
    let kind = RoundKind::parse(&r.kind)
        .map(|k| k.label())
        .unwrap_or("巡察");
    let names: Vec<String> = v
        .units
        .iter()
        .map(|u| unit_party(&u.target.org_name))
        .collect();
    let mut blocks = vec![Block::para(format!(
        "根据{}巡察工作统一部署，{}年第{}轮巡察对{}开展了{}。{}。现将巡察整改进展情况予以公布，接受干部职工和人民群众监督。",
        unit_party(&r.org_name),
        r.year,
        cn_number(r.number as u32),
        names.join("、"),
        kind,
        match v.units.iter().filter_map(|u| u.target.feedback_on.as_deref()).min() {
            Some(d) => format!("{}，巡察组向被巡察单位反馈了巡察意见", chinese_date(d)),
            None => "巡察意见尚未反馈".into(),
        }
    ))];
    blocks.push(Block::Heading1("一、整改工作总体情况".into()));
    blocks.push(Block::para(format!(
        "被巡察单位党组织切实扛起整改主体责任，把巡察整改作为重要政治任务，建立问题、任务、责任清单，逐项对账销号。截至{}，{}，问题整改完成率{}%。",
        chinese_date(&v.date),
        v.figures.sentence(),
        v.figures.rate()
    )));
    blocks.push(Block::Heading1("二、反馈问题整改进展情况".into()));
    let single = v.units.len() == 1;
    for (i, u) in v.units.iter().enumerate() {
        if !single {
            blocks.push(Block::Heading2(format!(
                "（{}）{}",
                cn_number(i as u32 + 1),
                unit_party(&u.target.org_name)
            )));
            blocks.push(Block::para(format!("{}。", u.figures.sentence())));
        }
        if u.items.is_empty() {
            blocks.push(Block::para("本轮巡察未向该单位反馈问题。"));
        }
        for (k, it) in u.items.iter().enumerate() {
            blocks.extend(item_blocks(k + 1, it, false));
        }
    }
    blocks.push(Block::Heading1("三、下一步工作".into()));
    blocks.push(Block::para(format!(
        "对已完成的整改事项，适时开展“回头看”，巩固整改成果；对持续推进的{}个问题，紧盯时间节点，挂账督办、对账销号；对需要长期坚持的{}个问题，建立长效机制，持续抓好落实。对整改不力、敷衍整改的，严肃追责问责。",
        v.figures.ongoing, v.figures.long_term
    )));
    blocks.push(Block::para(format!(
        "欢迎广大干部职工和人民群众对巡察整改落实情况进行监督。如有意见建议，请向{}反映。",
        v.issuer
    )));
    OfficialDoc {
        title: v.title.clone(),
        subtitle: None,
        addressee: None,
        blocks,
        signature: Some(Signature {
            org: v.issuer.clone(),
            date: chinese_date(&v.date),
        }),
        attachments: Vec::new(),
        orientation: Orientation::Portrait,
    }
}

/// 反馈意见 to one unit, from its findings (fed back or, before feedback, as a draft).
pub fn feedback_doc(
    round: &RoundRow,
    t: &TargetRow,
    findings: &[zeren_store::inspection::FindingRow],
) -> OfficialDoc {
    let kind = RoundKind::parse(&round.kind)
        .map(|k| k.label())
        .unwrap_or("巡察");
    let unit = unit_party(&t.org_name);
    let period = match (&round.onsite_from, &round.onsite_to) {
        (Some(a), Some(b)) => format!("{}至{}，", chinese_date(a), chinese_date(b)),
        _ => String::new(),
    };
    let mut blocks = vec![Block::para(format!(
        "根据{}巡察工作统一部署，{period}{}年第{}轮巡察组对{unit}开展了{kind}。巡察组通过听取汇报、个别谈话、问卷调查、调阅资料、明查暗访等方式，深入了解情况。现将巡察发现的主要问题反馈如下。",
        unit_party(&round.org_name),
        round.year,
        cn_number(round.number as u32),
    ))];
    blocks.push(Block::Heading1("一、巡察发现的主要问题".into()));
    let mut n = 0;
    for cat in FindingCategory::ALL {
        let of: Vec<_> = findings
            .iter()
            .filter(|f| f.category == cat.as_str())
            .collect();
        if of.is_empty() {
            continue;
        }
        n += 1;
        blocks.push(Block::Heading2(format!(
            "（{}）{}方面",
            cn_number(n),
            cat.label()
        )));
        for (i, f) in of.iter().enumerate() {
            let mut runs = vec![Run::strong(format!("{}.{}", i + 1, title_mark(&f.title)))];
            if !f.description.is_empty() {
                runs.push(Run::text(f.description.replace('\n', "；")));
            }
            blocks.push(Block::Paragraph(runs));
        }
    }
    if n == 0 {
        blocks.push(Block::para("本轮巡察未发现需要反馈的问题。"));
    }
    blocks.push(Block::Heading1("二、整改意见和要求".into()));
    blocks.push(Block::para(format!(
        "{unit}要切实履行巡察整改主体责任，党组织书记是第一责任人，对反馈问题逐条制定整改措施，明确责任领导、责任部门、责任人和完成时限，建立整改台账，挂账销号。反馈问题已列入本单位问题整改台账，请在台账中制定整改措施并上传佐证材料。"
    )));
    let due = t
        .report_due
        .as_deref()
        .map(chinese_date)
        .unwrap_or_else(|| format!("反馈之日起{}个月内", round.report_months));
    blocks.push(Block::para(format!(
        "请于{due}前将整改情况报告报送{}，整改进展情况按要求向党内和社会公开。",
        issuer_of(round)
    )));
    OfficialDoc {
        title: format!(
            "{}年第{}轮巡察\n关于{unit}的反馈意见",
            round.year,
            cn_number(round.number as u32)
        ),
        subtitle: t
            .feedback_on
            .is_none()
            .then(|| "（征求意见稿）".to_string()),
        addressee: Some(format!("{unit}：")),
        blocks,
        signature: Some(Signature {
            org: format!(
                "{}第{}轮巡察组",
                unit_party(&round.org_name),
                cn_number(round.number as u32)
            ),
            date: chinese_date(t.feedback_on.as_deref().unwrap_or(&clock::today_str())),
        }),
        attachments: Vec::new(),
        orientation: Orientation::Portrait,
    }
}

/// 整改情况报告 of one unit, from its ledger.
pub fn report_doc(round: &RoundRow, u: &UnitPart, date: &str) -> OfficialDoc {
    let t = &u.target;
    let unit = unit_party(&t.org_name);
    let mut blocks = vec![Block::para(format!(
        "{}，{}年第{}轮巡察组向我单位反馈了巡察意见。我单位党组织坚决扛起整改主体责任，对照反馈问题逐项制定措施、压实责任、推动落实。截至{}，{}。现将整改情况报告如下。",
        t.feedback_on.as_deref().map(chinese_date).unwrap_or_default(),
        round.year,
        cn_number(round.number as u32),
        chinese_date(date),
        u.figures.sentence()
    ))];
    blocks.push(Block::Heading1("一、整改工作组织情况".into()));
    if t.organisation.trim().is_empty() {
        blocks.push(Block::para("（整改工作组织情况由本单位填写。）"));
    } else {
        for p in t
            .organisation
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            blocks.push(Block::para(p));
        }
    }
    blocks.push(Block::Heading1("二、反馈问题整改落实情况".into()));
    for (i, it) in u.items.iter().enumerate() {
        blocks.extend(item_blocks(i + 1, it, true));
    }
    blocks.push(Block::Heading1("三、下一步工作打算".into()));
    if !t.next_steps.trim().is_empty() {
        for p in t
            .next_steps
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            blocks.push(Block::para(p));
        }
    }
    let open: Vec<String> = u
        .items
        .iter()
        .flat_map(|it| it.measures.iter().filter(|m| !m.3).map(|m| m.1.clone()))
        .collect();
    if open.is_empty() {
        blocks.push(Block::para(
            "反馈问题的整改措施均已完成。我们将持续巩固整改成果，防止问题反弹回潮。",
        ));
    } else {
        blocks.push(Block::para(format!(
            "对尚未完成的{}条整改措施，继续挂账推进，按时限完成：{}。",
            open.len(),
            open.iter()
                .map(|m| m.trim_end_matches('。').to_string())
                .collect::<Vec<_>>()
                .join("；")
        )));
    }
    OfficialDoc {
        title: format!(
            "{unit}\n关于{}年第{}轮巡察整改情况的报告",
            round.year,
            cn_number(round.number as u32)
        ),
        subtitle: None,
        addressee: Some(format!("{}：", issuer_of(round))),
        blocks,
        signature: Some(Signature {
            org: unit,
            date: chinese_date(date),
        }),
        attachments: Vec::new(),
        orientation: Orientation::Portrait,
    }
}

impl App {
    /// The progress notice of a round (all its units) or of one unit of it. The
    /// office reads any; a unit reads its own, once fed back.
    pub async fn inspection_notice(
        &self,
        actor: &Actor,
        round_id: i64,
        target_id: Option<i64>,
    ) -> AppResult<NoticeView> {
        let mut c = self.store.conn().await?;
        let round = match store::round_in(&mut c, &office_scope(actor), round_id).await {
            Ok(r) => r,
            Err(_) => {
                // a unit reads its own part only
                let Some(tid) = target_id else {
                    return Err(AppError::NotFound);
                };
                let (t, _) = self.inspection_target_read(&mut c, actor, tid).await?;
                if t.round_id != round_id {
                    return Err(AppError::NotFound);
                }
                store::round_by_id(&mut c, round_id).await?
            }
        };
        let targets = store::targets_of(&mut c, round.id).await?;
        let mut units = Vec::new();
        let mut figures = NoticeFigures::default();
        for t in targets {
            if target_id.is_some_and(|id| id != t.id) {
                continue;
            }
            let items = items_of(&mut c, round.id, Some(t.id)).await?;
            let f = figures_of_items(&items);
            figures.add(&f);
            units.push(UnitPart {
                target: t,
                figures: f,
                items,
            });
        }
        if units.is_empty() {
            return Err(AppError::NotFound);
        }
        let title = if units.len() == 1 {
            format!(
                "{}\n关于{}年第{}轮巡察整改进展情况的通报",
                unit_party(&units[0].target.org_name),
                round.year,
                cn_number(round.number as u32)
            )
        } else {
            format!(
                "关于{}年第{}轮巡察整改进展情况的通报",
                round.year,
                cn_number(round.number as u32)
            )
        };
        let issuer = if units.len() == 1 {
            unit_party(&units[0].target.org_name)
        } else {
            issuer_of(&round)
        };
        Ok(NoticeView {
            title,
            issuer,
            figures,
            units,
            date: clock::today_str(),
            round,
        })
    }

    pub async fn inspection_notice_docx(
        &self,
        actor: &Actor,
        round_id: i64,
        target_id: Option<i64>,
    ) -> AppResult<Document> {
        let v = self.inspection_notice(actor, round_id, target_id).await?;
        let d = docx(
            notice_doc(&v),
            format!(
                "{}年第{}轮巡察整改进展情况通报.docx",
                v.round.year, v.round.number
            ),
        )?;
        self.inspection_audit_doc(
            actor,
            "inspection_round",
            round_id,
            &v.round.org_path,
            "巡察整改进展情况通报",
        )
        .await?;
        Ok(d)
    }

    pub async fn inspection_feedback_docx(
        &self,
        actor: &Actor,
        target_id: i64,
    ) -> AppResult<Document> {
        let mut c = self.store.conn().await?;
        let (t, _) = self
            .inspection_target_read(&mut c, actor, target_id)
            .await?;
        let round = store::round_by_id(&mut c, t.round_id).await?;
        let findings: Vec<_> = store::findings_of_target(&mut c, t.id)
            .await?
            .into_iter()
            // the unit reads what was fed back; the office also the draft
            .filter(|f| t.feedback_on.is_none() || f.problem_id.is_some())
            .collect();
        drop(c);
        let d = docx(
            feedback_doc(&round, &t, &findings),
            format!("巡察反馈意见（{}）.docx", t.org_name),
        )?;
        self.inspection_audit_doc(
            actor,
            "inspection_target",
            t.id,
            &t.org_path,
            "巡察反馈意见",
        )
        .await?;
        Ok(d)
    }

    pub async fn inspection_report_docx(
        &self,
        actor: &Actor,
        target_id: i64,
    ) -> AppResult<Document> {
        let mut c = self.store.conn().await?;
        let (t, _) = self
            .inspection_target_read(&mut c, actor, target_id)
            .await?;
        if t.feedback_on.is_none() {
            return Err(AppError::Conflict("尚未反馈，没有整改情况报告".into()));
        }
        let round = store::round_by_id(&mut c, t.round_id).await?;
        let items = items_of(&mut c, round.id, Some(t.id)).await?;
        drop(c);
        let date = t
            .report_submitted_on
            .clone()
            .unwrap_or_else(clock::today_str);
        let u = UnitPart {
            figures: figures_of_items(&items),
            items,
            target: t,
        };
        let d = docx(
            report_doc(&round, &u, &date),
            format!("巡察整改情况报告（{}）.docx", u.target.org_name),
        )?;
        self.inspection_audit_doc(
            actor,
            "inspection_target",
            u.target.id,
            &u.target.org_path,
            "巡察整改情况报告",
        )
        .await?;
        Ok(d)
    }

    async fn inspection_audit_doc(
        &self,
        actor: &Actor,
        kind: &str,
        id: i64,
        path: &str,
        what: &str,
    ) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::Export, kind, id, path).detail(format!("{what}.docx")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
