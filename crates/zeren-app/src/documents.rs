//! Word documents (.docx, GB/T 9704 公文 format) the system issues from its records:
//! the rectification ledger (整改台账) of a filtered problems list, one supervision
//! notice (督办单), and one problem's closure record (销号单) with its evidence list.
//!
//! Each reads through the same use case as the page that shows the records — the
//! problems listing, `notice_detail`, `problem_detail` — so a document holds exactly
//! what its reader may see, and each download is audited as an export.
use std::collections::HashMap;

use zeren_core::problem::MeasureState;
use zeren_core::sheet::{code_of, SheetKind};
use zeren_core::{ProblemSource, ProblemState, TaskState};
use zeren_docx::{
    ledger_doc, rectification_table, render, supervision_notice, Align, Attachment, Block, FormRow,
    OfficialDoc, Orientation, RectificationItem, Run, SupervisionNotice, Table,
};
use zeren_store::problem::{ProblemFilter, ProblemListRow};
use zeren_store::{Conn, Sql, StoreError};

use crate::audit::{AuditAction, Event};
use crate::notice::item_kind_label;
use crate::{clock, Actor, App, AppError, AppResult, Paging};

/// Most problems one Word ledger holds. Beyond this a ledger is no longer read on
/// paper (hundreds of landscape pages); the Excel export takes larger lists.
pub const LEDGER_MAX_PROBLEMS: i64 = 5_000;

/// Problems read from the listing per query while assembling the ledger.
const PAGE: i64 = 500;

/// A finished Word document.
#[derive(Debug, Clone)]
pub struct Document {
    pub bytes: Vec<u8>,
    /// The download name, e.g. 问题整改台账.docx.
    pub filename: String,
}

/// `2026-03-05…` → `2026年3月5日`, as official documents write dates; anything
/// else is returned unchanged.
pub fn chinese_date(s: &str) -> String {
    let day = s.get(..10).unwrap_or(s);
    match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => s.to_string(),
    }
}

fn instant_date(ts: i64) -> String {
    chinese_date(&clock::fmt_instant(ts))
}

fn problem_state_label(s: &str) -> &'static str {
    ProblemState::parse(s).map(|x| x.label()).unwrap_or("")
}

fn measure_state_label(s: &str) -> &'static str {
    MeasureState::parse(s).map(|x| x.label()).unwrap_or("")
}

fn source_line(source: &str, source_ref: &Option<String>) -> String {
    let label = ProblemSource::parse(source)
        .map(|s| s.label())
        .unwrap_or("");
    match source_ref.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() && !label.is_empty() => format!("{label}（{r}）"),
        Some(r) if !r.is_empty() => r.to_string(),
        _ => label.to_string(),
    }
}

async fn render_blocking(doc: OfficialDoc) -> AppResult<Vec<u8>> {
    // a ledger of thousands of rows takes a noticeable moment to lay out and deflate
    tokio::task::spawn_blocking(move || render(&doc))
        .await
        .map_err(|e| AppError::Io(format!("生成Word文档时出错：{e}")))?
        .map_err(|e| AppError::Io(e.to_string()))
}

/// One measure as the ledger lists it.
struct LedgerMeasure {
    content: String,
    owner: Option<String>,
    deadline: String,
    state: String,
}

/// The measures of the given problems, in the order they were added.
async fn measures_of(c: &mut Conn, ids: &[i64]) -> AppResult<HashMap<i64, Vec<LedgerMeasure>>> {
    let mut out: HashMap<i64, Vec<LedgerMeasure>> = HashMap::new();
    for chunk in ids.chunks(PAGE as usize) {
        let mut s = Sql::new(
            "SELECT m.problem_id, m.content, pe.name, m.deadline, m.state
               FROM measures m LEFT JOIN people pe ON pe.id = m.owner_id
              WHERE m.problem_id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                s.push(",");
            }
            s.bind(*id);
        }
        s.push(") ORDER BY m.problem_id, m.id");
        type Row = (i64, String, Option<String>, String, String);
        let rows: Vec<Row> = s
            .query_as()
            .fetch_all(&mut *c)
            .await
            .map_err(StoreError::from)?;
        for (pid, content, owner, deadline, state) in rows {
            out.entry(pid).or_default().push(LedgerMeasure {
                content,
                owner,
                deadline,
                state,
            });
        }
    }
    Ok(out)
}

/// One ledger line: the problem with its source, its measures one a line, who answers
/// for it, its deadline and how far it has got.
fn ledger_item(p: &ProblemListRow, measures: &[LedgerMeasure], today: &str) -> RectificationItem {
    let label = ProblemSource::parse(&p.source)
        .map(|s| s.label())
        .unwrap_or("");
    let source_ref = p.source_ref.as_deref().map(str::trim).unwrap_or("");
    let problem = match (label, source_ref) {
        ("", "") => p.title.clone(),
        // a batch named after its source (主题教育查摆) is said once
        (l, r) if r.is_empty() || r == l => format!("【{l}】{}", p.title),
        ("", r) => format!("【{r}】{}", p.title),
        (l, r) => format!("【{l}：{r}】{}", p.title),
    };
    let measures_text = if measures.is_empty() {
        "尚未制定整改措施".to_string()
    } else {
        measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let mut tail = Vec::new();
                if let Some(o) = m.owner.as_deref().filter(|o| !o.is_empty()) {
                    tail.push(o.to_string());
                }
                tail.push(format!("{}前", m.deadline));
                tail.push(measure_state_label(&m.state).to_string());
                format!("{}.{}（{}）", i + 1, m.content, tail.join("，"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut owner = vec![p.org_name.clone()];
    if let Some(l) = p.leader_name.as_deref().filter(|s| !s.is_empty()) {
        owner.push(format!("领导：{l}"));
    }
    if let Some(d) = p.department.as_deref().filter(|s| !s.is_empty()) {
        owner.push(format!("部门：{d}"));
    }
    if let Some(x) = p.person_name.as_deref().filter(|s| !s.is_empty()) {
        owner.push(format!("责任人：{x}"));
    }
    let mut progress = vec![problem_state_label(&p.state).to_string()];
    if p.measures_total > 0 {
        progress.push(format!("措施{}/{}", p.measures_done, p.measures_total));
    }
    if p.state != ProblemState::Closed.as_str() && p.deadline.as_str() < today {
        progress.push("已逾期".to_string());
    }
    RectificationItem {
        problem,
        measures: measures_text,
        owner: owner.join("\n"),
        deadline: p.deadline.clone(),
        progress: progress.join("\n"),
    }
}

/// The ledger table: the crate's 整改台账 columns, the 责任人 column widened to hold
/// the org and the three people a problem names.
fn ledger_table(items: &[RectificationItem]) -> Table {
    let mut t = rectification_table(None, items);
    if let Some(h) = t.headers.get_mut(3) {
        *h = "责任主体".to_string();
    }
    // the measures, several lines each, take the room; a date (10 half-width figures
    // in 小四, centred) needs 12 of 100 to stay on one line, an org name 15
    t.widths = vec![6, 19, 38, 15, 12, 10];
    t
}

impl App {
    async fn audit_document(
        &self,
        actor: &Actor,
        kind: &str,
        id: impl ToString,
        scope: &str,
        detail: String,
    ) -> AppResult<()> {
        self.audit_alone(
            Some(actor.user_id),
            &actor.username,
            &actor.source,
            Event::ok(AuditAction::Export, kind, id, scope).detail(detail),
        )
        .await
    }

    /// 整改台账 as a Word document: the problems listing under `f` (same scope, filters
    /// and order as the list page), each with its measures. `scope` names the range and
    /// filters in words for the line under the title.
    pub async fn ledger_docx(
        &self,
        actor: &Actor,
        f: ProblemFilter,
        scope: &str,
    ) -> AppResult<Document> {
        let today = clock::today_str();
        let mut items = Vec::new();
        for page in 1.. {
            let got = self
                .problems(
                    actor,
                    f.clone(),
                    Paging {
                        page,
                        per_page: PAGE,
                    },
                )
                .await?;
            if got.total > LEDGER_MAX_PROBLEMS {
                return Err(AppError::Conflict(format!(
                    "筛选结果共 {} 个问题，超过 Word 台账上限 {LEDGER_MAX_PROBLEMS} 个。请按组织、状态或来源筛选缩小范围后再生成，或导出 Excel。",
                    got.total
                )));
            }
            let ids: Vec<i64> = got.items.iter().map(|p| p.id).collect();
            // a connection of its own per page, not held while the listing takes one
            let measures = measures_of(&mut *self.store.conn().await?, &ids).await?;
            for p in &got.items {
                let ms = measures.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
                items.push(ledger_item(p, ms, &today));
            }
            if got.items.len() < PAGE as usize || (items.len() as i64) >= got.total {
                break;
            }
        }
        let n = items.len();
        let subtitle = format!("（{scope}　截至{}）", chinese_date(&today));
        let mut doc = ledger_doc("问题整改台账", Some(&subtitle), ledger_table(&items));
        if items.is_empty() {
            doc.blocks.push(Block::Plain {
                runs: vec![Run::text("（没有符合筛选条件的问题）")],
                align: Align::Center,
            });
        }
        let bytes = render_blocking(doc).await?;
        self.audit_document(
            actor,
            "problem",
            "",
            "",
            format!("整改台账（Word）{n} 个问题"),
        )
        .await?;
        Ok(Document {
            bytes,
            filename: "问题整改台账.docx".to_string(),
        })
    }

    /// 督办通知单 of one notice, for whoever may read the notice.
    pub async fn notice_docx(&self, actor: &Actor, id: i64) -> AppResult<Document> {
        let d = self.notice_detail(actor, id).await?;
        let progress = match (&d.row.answer, d.row.answered_at) {
            (Some(answer), Some(at)) => {
                let mut s = format!(
                    "{answer}\n（{}于{}答复{}",
                    d.org_name,
                    instant_date(at),
                    if d.answered_late { "，逾期" } else { "" }
                );
                if !d.evidence.is_empty() {
                    let names: Vec<&str> = d.evidence.iter().map(|e| e.filename.as_str()).collect();
                    s.push_str(&format!("；佐证材料：{}", names.join("、")));
                }
                s.push('）');
                s
            }
            // left blank to be filled in by hand
            _ => String::new(),
        };
        let n = SupervisionNotice {
            number: d.row.code.clone(),
            matter: if d.items.is_empty() {
                d.row.title.clone()
            } else {
                format!("{}\n（督办事项{}项，见附件）", d.row.title, d.items.len())
            },
            source: None,
            undertaker: d.org_name.clone(),
            deadline: chinese_date(&d.row.answer_due),
            requirements: d.row.body.clone(),
            progress,
            issuer: d.issuing_org_name.clone(),
            contact: d.issued_by_name.clone().unwrap_or_default(),
            date: instant_date(d.row.issued_at),
        };
        let mut doc = supervision_notice(&n);
        let rows: Vec<Vec<String>> = d
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let state = match it.item_type.as_str() {
                    "task" => TaskState::parse(&it.state).map(|s| s.label()),
                    _ => MeasureState::parse(&it.state).map(|s| s.label()),
                };
                vec![
                    (i + 1).to_string(),
                    item_kind_label(&it.item_type).to_string(),
                    it.title.clone(),
                    it.org_name.clone(),
                    it.deadline.clone(),
                    state.unwrap_or("").to_string(),
                ]
            })
            .collect();
        // the items go in an attachment after the signature, so the notice itself stays
        // the one-page form it is however many items it presses on
        if !rows.is_empty() {
            doc.attachments.push(Attachment {
                title: "督办事项清单".to_string(),
                blocks: vec![Block::Table(Table {
                    title: None,
                    headers: ["序号", "类型", "督办事项", "责任单位", "原定期限", "状态"]
                        .map(String::from)
                        .to_vec(),
                    rows,
                    widths: vec![8, 14, 32, 19, 16, 11],
                    landscape: false,
                })],
                landscape: false,
            });
        }
        let bytes = render_blocking(doc).await?;
        self.audit_document(
            actor,
            "notice",
            id,
            &d.row.org_path,
            "督办单（Word）".into(),
        )
        .await?;
        Ok(Document {
            bytes,
            filename: format!("督办通知单{}.docx", d.row.code),
        })
    }

    /// 问题整改销号单 of one problem: the problem, who answers for it, each measure
    /// with its completion, the evidence list and the closing request and sign-off from
    /// its history. An open problem gets the same sheet marked 未销号 (a progress
    /// sheet).
    pub async fn closure_docx(&self, actor: &Actor, id: i64) -> AppResult<Document> {
        let d = self.problem_detail(actor, id).await?;
        let p = &d.problem;
        let r = &d.row;
        let code = code_of(SheetKind::Problems, r.id);

        // uploaders are users; their names are looked up once each
        let mut uploaders: HashMap<i64, String> = HashMap::new();
        {
            let mut c = self.store.conn().await?;
            for (_, ev) in &d.measures {
                for e in ev {
                    if let Some(uid) = e.uploaded_by {
                        if let std::collections::hash_map::Entry::Vacant(v) = uploaders.entry(uid) {
                            let name = zeren_store::user::get(&mut c, uid)
                                .await
                                .map(|u| u.display_name)
                                .unwrap_or_default();
                            v.insert(name);
                        }
                    }
                }
            }
        }

        let opt = |v: &Option<String>| {
            v.clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "—".into())
        };
        let mut head = vec![FormRow::single("问题概述", &p.title).min_lines(2)];
        if !r.description.trim().is_empty() {
            head.push(FormRow::single("问题描述", r.description.trim()));
        }
        head.push(FormRow::pair(
            "问题来源",
            source_line(&r.source, &r.source_ref),
            "发现日期",
            chinese_date(&r.found_on),
        ));
        head.push(FormRow::pair(
            "责任单位",
            &p.org_name,
            "交办单位",
            &d.issuing_org_name,
        ));
        head.push(FormRow::pair(
            "责任领导",
            opt(&p.leader_name),
            "责任部门",
            opt(&p.department),
        ));
        head.push(FormRow::pair(
            "责任人",
            opt(&p.person_name),
            "整改时限",
            chinese_date(&r.deadline),
        ));

        let measure_rows: Vec<Vec<String>> = d
            .measures
            .iter()
            .enumerate()
            .map(|(i, (m, _))| {
                vec![
                    (i + 1).to_string(),
                    m.content.clone(),
                    m.owner_name.clone().unwrap_or_default(),
                    m.deadline.clone(),
                    m.done_at
                        .filter(|_| m.state == "done")
                        .map(|t| clock::fmt_instant(t).get(..10).unwrap_or("").to_string())
                        .unwrap_or_default(),
                    measure_state_label(&m.state).to_string(),
                ]
            })
            .collect();
        let evidence_rows: Vec<Vec<String>> = d
            .measures
            .iter()
            .enumerate()
            .flat_map(|(i, (_, ev))| ev.iter().map(move |e| (i, e)))
            .enumerate()
            .map(|(k, (i, e))| {
                vec![
                    (k + 1).to_string(),
                    e.filename.clone(),
                    format!("措施{}", i + 1),
                    e.uploaded_by
                        .and_then(|u| uploaders.get(&u).cloned())
                        .unwrap_or_default(),
                    clock::fmt_instant(e.uploaded_at),
                ]
            })
            .collect();

        // the latest request for closing and what became of it
        let closing = ["申请销号", "审核销号", "退回整改", "重新打开"];
        let steps: Vec<_> = d
            .history
            .iter()
            .filter(|h| closing.contains(&h.action.as_str()))
            .collect();
        let request = steps.iter().rposition(|h| h.action == "申请销号");
        let decision = request.and_then(|i| {
            steps[i + 1..]
                .iter()
                .find(|h| h.action == "审核销号" || h.action == "退回整改")
        });
        let request_text = match request.map(|i| steps[i]) {
            Some(h) => format!("{}　{}", h.actor_name, clock::fmt_instant(h.at)),
            None => "尚未申请销号".to_string(),
        };
        let (opinion, reviewer, reviewed_at) = match decision {
            Some(h) if h.action == "审核销号" => (
                if h.detail.trim().is_empty() {
                    "同意销号".to_string()
                } else {
                    format!("同意销号：{}", h.detail.trim())
                },
                h.actor_name.clone(),
                clock::fmt_instant(h.at),
            ),
            Some(h) => (
                format!("退回整改：{}", h.detail.trim()),
                h.actor_name.clone(),
                clock::fmt_instant(h.at),
            ),
            None if request.is_some() => ("待审核".to_string(), String::new(), String::new()),
            None => (String::new(), String::new(), String::new()),
        };
        let state = if r.state == ProblemState::Closed.as_str() {
            match r.closed_at {
                Some(at) => format!("已销号（{}）", instant_date(at)),
                None => "已销号".to_string(),
            }
        } else if r.state == ProblemState::PendingReview.as_str() {
            "未销号（已申请销号，待审核）".to_string()
        } else {
            "未销号（整改中）".to_string()
        };
        let tail = vec![
            FormRow::single("销号申请", request_text),
            FormRow::single("审核意见", opinion).min_lines(2),
            FormRow::pair("审核人", reviewer, "审核时间", reviewed_at),
            FormRow::single("销号状态", state),
        ];

        let mut blocks = vec![
            Block::Plain {
                runs: vec![Run::text(format!("编号：{code}"))],
                align: Align::Right,
            },
            Block::Form(head),
            Block::BlankLine,
        ];
        if measure_rows.is_empty() {
            blocks.push(Block::Plain {
                runs: vec![Run::strong("整改措施："), Run::text("尚未制定")],
                align: Align::Left,
            });
        } else {
            blocks.push(Block::Table(Table {
                title: Some(format!(
                    "整改措施完成情况（{}/{}项已完成）",
                    p.measures_done, p.measures_total
                )),
                headers: ["序号", "整改措施", "责任人", "完成时限", "完成日期", "状态"]
                    .map(String::from)
                    .to_vec(),
                rows: measure_rows,
                widths: vec![8, 36, 13, 16, 16, 11],
                landscape: false,
            }));
        }
        blocks.push(Block::BlankLine);
        if evidence_rows.is_empty() {
            blocks.push(Block::Plain {
                runs: vec![Run::strong("佐证材料："), Run::text("暂无")],
                align: Align::Left,
            });
        } else {
            blocks.push(Block::Table(Table {
                title: Some(format!("佐证材料清单（{}份）", evidence_rows.len())),
                headers: ["序号", "文件名", "措施", "上传人", "上传时间"]
                    .map(String::from)
                    .to_vec(),
                rows: evidence_rows,
                widths: vec![8, 33, 10, 21, 28],
                landscape: false,
            }));
        }
        blocks.push(Block::BlankLine);
        blocks.push(Block::Form(tail));
        blocks.push(Block::Plain {
            runs: vec![Run::text(format!(
                "系统生成时间：{}",
                clock::fmt_instant(clock::now())
            ))],
            align: Align::Right,
        });
        let doc = OfficialDoc {
            title: "问题整改销号单".to_string(),
            subtitle: None,
            addressee: None,
            blocks,
            signature: None,
            attachments: Vec::new(),
            orientation: Orientation::Portrait,
        };
        let bytes = render_blocking(doc).await?;
        self.audit_document(actor, "problem", id, &r.org_path, "销号单（Word）".into())
            .await?;
        Ok(Document {
            bytes,
            filename: format!("问题整改销号单{code}.docx"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: &str, deadline: &str) -> ProblemListRow {
        ProblemListRow {
            id: 7,
            org_id: 1,
            org_name: "市第一人民医院党委".into(),
            source: "local_inspection".into(),
            source_ref: Some("第三轮巡察".into()),
            title: "理论学习不深入".into(),
            category: String::new(),
            leader_name: Some("张某".into()),
            department: None,
            person_name: Some("李某".into()),
            found_on: "2026-01-05".into(),
            deadline: deadline.into(),
            state: state.into(),
            measures_total: 2,
            measures_done: 1,
        }
    }

    #[test]
    fn dates_are_written_the_official_way() {
        assert_eq!(chinese_date("2026-03-05"), "2026年3月5日");
        assert_eq!(chinese_date("2026-12-31 09:30"), "2026年12月31日");
        assert_eq!(chinese_date("长期坚持"), "长期坚持");
    }

    #[test]
    fn a_ledger_line_names_source_measures_people_and_progress() {
        let ms = vec![
            LedgerMeasure {
                content: "制定学习计划".into(),
                owner: Some("王某".into()),
                deadline: "2026-02-01".into(),
                state: "done".into(),
            },
            LedgerMeasure {
                content: "开展专题研讨".into(),
                owner: None,
                deadline: "2026-04-01".into(),
                state: "todo".into(),
            },
        ];
        let it = ledger_item(&row("open", "2026-03-01"), &ms, "2026-03-10");
        assert_eq!(it.problem, "【巡察：第三轮巡察】理论学习不深入");
        let lines: Vec<&str> = it.measures.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "1.制定学习计划（王某，2026-02-01前，已完成）");
        assert_eq!(lines[1], "2.开展专题研讨（2026-04-01前，整改中）");
        assert_eq!(it.owner, "市第一人民医院党委\n领导：张某\n责任人：李某");
        assert_eq!(it.progress, "整改中\n措施1/2\n已逾期");

        // a batch named after its source is not named twice
        let mut r = row("open", "2026-03-01");
        r.source = "self_examination".into();
        r.source_ref = Some("主题教育查摆".into());
        let it = ledger_item(&r, &[], "2026-01-01");
        assert_eq!(it.problem, "【主题教育查摆】理论学习不深入");
        assert_eq!(it.progress, "整改中\n措施1/2");

        // a closed problem is never overdue, whatever its deadline
        let it = ledger_item(&row("closed", "2026-03-01"), &[], "2026-03-10");
        assert_eq!(it.measures, "尚未制定整改措施");
        assert_eq!(it.progress, "已销号\n措施1/2");
    }

    #[test]
    fn the_ledger_table_keeps_one_width_per_column() {
        let t = ledger_table(&[ledger_item(&row("open", "2026-03-01"), &[], "2026-01-01")]);
        assert_eq!(t.widths.len(), t.headers.len());
        assert_eq!(t.widths.iter().sum::<u32>(), 100);
        assert_eq!(t.headers[3], "责任主体");
        assert!(t.landscape);
    }
}
