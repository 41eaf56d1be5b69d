//! Duty reports (述职述廉 / 书记抓基层党建述职) and their appraisal (述职评议).
//!
//! A report's text holds its figures as the annual report's tokens (〔党委会次数〕…):
//! they are filled from the records of the reporter's org and year every time the
//! report is shown, by the annual report's own `report_figures` (the year tallies),
//! so nothing is typed twice. An appraisal meeting records each participant's score
//! (好 / 较好 / 一般 / 差, or points), questions and answers, and its 整改清单: each item
//! becomes a problem of the ledger (source 考核, with its own deadline, led by the
//! reporter), linked back to the meeting.
use std::collections::HashMap;

use serde::Serialize;
use zeren_core::duty_report::{self as core, Aggregate, Grade, Kind, Score, Scoring};
use zeren_core::{validate, Permission, ProblemSource, ProblemState, ValidationErrors};
use zeren_store::duty_report::{
    self as store, AppraisalRow, ItemRow, NewReport, QuestionRow, ReportFilter, ReportRow, ScoreRow,
};
use zeren_store::history::{self, HistoryRow};
use zeren_store::problem::ProblemRow;

use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult, Page, Paging};

#[derive(Debug, Clone, Default)]
pub struct DutyReportInput {
    pub year: i32,
    pub kind: String,
    pub person_id: i64,
    /// None: the default text with its tokens.
    pub body: Option<String>,
    /// Mark as submitted today.
    pub submit: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyReportDetail {
    pub report: ReportRow,
    pub kind_label: &'static str,
    /// The text with every token replaced by its value.
    pub filled: String,
    /// The figures the text can use, with their values for this org and year.
    pub figures: Vec<(String, i64)>,
    pub history: Vec<HistoryRow>,
    pub can_write: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AppraisalInput {
    pub org_id: Option<i64>,
    pub year: i32,
    pub title: String,
    pub held_on: String,
    pub scoring: String,
    pub report_ids: Vec<i64>,
}

/// One item of a 整改清单.
#[derive(Debug, Clone, Default)]
pub struct RectifyItem {
    pub title: String,
    pub description: String,
    pub deadline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppraisedReport {
    pub report: ReportRow,
    pub scores: Vec<ScoreRow>,
    pub result: Aggregate,
    pub questions: Vec<QuestionRow>,
    pub items: Vec<ItemRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppraisalDetail {
    pub appraisal: AppraisalRow,
    pub scoring_label: &'static str,
    pub reports: Vec<AppraisedReport>,
    pub can_write: bool,
}

fn score_of(s: &ScoreRow) -> Option<Score> {
    match (&s.grade, s.points) {
        (Some(g), _) => Grade::parse(g).map(Score::Grade),
        (None, Some(p)) => Some(Score::Points(p)),
        _ => None,
    }
}

/// The aggregate of one report's scores under a scoring.
pub fn aggregate_rows(scoring: Scoring, rows: &[ScoreRow]) -> Aggregate {
    let scores: Vec<Score> = rows.iter().filter_map(score_of).collect();
    core::aggregate(scoring, &scores)
}

impl App {
    async fn report_org_of(
        &self,
        c: &mut zeren_store::Conn,
        person: &zeren_store::person::PersonRow,
    ) -> AppResult<zeren_store::org::OrgRow> {
        // a secretary or team member reports for the org they lead
        let posts = zeren_store::letter::posts_of(c, person.id).await?;
        let org_id = posts
            .iter()
            .find(|p| {
                [
                    "secretary",
                    "deputy_secretary",
                    "team_member",
                    "discipline_member",
                ]
                .contains(&p.kind.as_str())
            })
            .map(|p| p.org_id)
            .unwrap_or(person.org_id);
        Ok(zeren_store::org::get(c, org_id).await?)
    }

    /// Creates or updates the year's report of one kind for a person. The office of the
    /// person's org, or the person with their own account, may write it.
    pub async fn duty_report_save(&self, actor: &Actor, input: DutyReportInput) -> AppResult<i64> {
        if !actor.has(Permission::WriteScope) && actor.person_id != Some(input.person_id) {
            return Err(AppError::Forbidden(
                "述职报告由本人或所在党组织的党办填写".into(),
            ));
        }
        let mut errs = ValidationErrors::new();
        let kind = Kind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "请选择述职类别");
        }
        if !(2000..=2100).contains(&input.year) {
            errs.add("year", "年度应在2000至2100之间");
        }
        if let Some(b) = &input.body {
            if b.trim().is_empty() {
                errs.add("body", "述职报告不能为空");
            } else if b.chars().count() > 20_000 {
                errs.add("body", "述职报告不能超过20000字");
            }
            let unknown = zeren_core::report::unknown_tokens(b);
            if !unknown.is_empty() {
                errs.add(
                    "body",
                    format!(
                        "没有这些数据项：{}（数字须引用记录中的数据项）",
                        unknown.join("、")
                    ),
                );
            }
        }
        let mut tx = self.store.begin_write().await?;
        let own = actor.person_id == Some(input.person_id);
        let person = match zeren_store::person::get_in(
            tx.conn(),
            &actor.read_scope(),
            input.person_id,
        )
        .await
        {
            Ok(p) => Some(p),
            Err(_) if own => Some(zeren_store::person::get(tx.conn(), input.person_id).await?),
            Err(_) => None,
        };
        let Some(person) = person else {
            errs.add("person_id", "人员不存在或不在本人范围内");
            errs.into_result()?;
            return Err(invalid("person_id", "人员不存在"));
        };
        let org = self.report_org_of(tx.conn(), &person).await?;
        if !own && !actor.can_at(Permission::WriteScope, &org.path) {
            return Err(AppError::Forbidden(
                "述职报告由本人或所在党组织的党办填写".into(),
            ));
        }
        errs.into_result()?;
        let Some(kind) = kind else {
            return Err(invalid("kind", "请选择述职类别"));
        };
        let now = clock::now();
        let today = clock::today().to_string();
        let submitted = input.submit.then_some(today.as_str());
        let year = input.year as i64;
        let existing = store::id_for(tx.conn(), year, kind.as_str(), person.id).await?;
        let (id, action) = match existing {
            Some(id) => {
                let body = match &input.body {
                    Some(b) => b.trim().to_string(),
                    None => {
                        store::get_in(
                            tx.conn(),
                            &zeren_store::Scope::Subtrees(vec!["/".into()]),
                            id,
                        )
                        .await?
                        .body
                    }
                };
                store::update_body(tx.conn(), id, &body, submitted, now).await?;
                (
                    id,
                    if input.submit {
                        "提交述职报告"
                    } else {
                        "修改述职报告"
                    },
                )
            }
            None => {
                let body = input
                    .body
                    .as_deref()
                    .map(|b| b.trim().to_string())
                    .unwrap_or_else(|| core::default_body(kind));
                let id = store::insert(
                    tx.conn(),
                    NewReport {
                        year,
                        kind: kind.as_str(),
                        org_id: org.id,
                        org_path: &org.path,
                        person_id: person.id,
                        body: &body,
                        submitted_on: submitted,
                        created_by: actor.audit_id(),
                        at: now,
                    },
                )
                .await?;
                (
                    id,
                    if input.submit {
                        "提交述职报告"
                    } else {
                        "起草述职报告"
                    },
                )
            }
        };
        hist(
            tx.conn(),
            actor,
            "duty_report",
            id,
            action,
            &format!("{}{}年度{}", person.name, input.year, kind.label()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::DutyReportSave, "duty_report", id, &org.path).detail(format!(
                "{} {}",
                input.year,
                kind.as_str()
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Who may report, in the orgs where the actor writes: secretaries and team
    /// members, as (person, name, org, org path).
    pub async fn duty_reporters(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<(i64, String, i64, String)>> {
        let mut c = self.store.conn().await?;
        let mut out = Vec::new();
        for p in actor.paths_for(Permission::WriteScope) {
            out.extend(
                zeren_store::letter::holders(
                    &mut c,
                    &p,
                    &[
                        "secretary",
                        "deputy_secretary",
                        "team_member",
                        "discipline_member",
                    ],
                    None,
                )
                .await?
                .into_iter()
                .take(300),
            );
        }
        Ok(out)
    }

    pub async fn duty_reports(
        &self,
        actor: &Actor,
        f: ReportFilter,
        paging: Paging,
    ) -> AppResult<Page<ReportRow>> {
        let scope = actor.read_scope();
        if scope == zeren_store::Scope::Nothing {
            return Err(AppError::Forbidden(
                "述职报告仅本范围的工作人员和本人可以查看".into(),
            ));
        }
        let mut c = self.store.conn().await?;
        let f = ReportFilter {
            offset: paging.offset(),
            limit: paging.per_page,
            ..f
        };
        let (items, total) = store::list(&mut c, &scope, &f).await?;
        Ok(Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    }

    /// A report with its figures filled from the records of its org and year.
    pub async fn duty_report_detail(&self, actor: &Actor, id: i64) -> AppResult<DutyReportDetail> {
        let (report, org, history) = {
            let mut c = self.store.conn().await?;
            let report = store::get_in(&mut c, &actor.read_scope(), id).await?;
            let org = zeren_store::org::get(&mut c, report.org_id).await?;
            let history = history::of(&mut c, "duty_report", id).await?;
            (report, org, history)
        };
        let values: HashMap<&'static str, i64> =
            self.report_figures(&org, report.year as i32).await?;
        let filled = crate::report::filled_text(&report.body, &values);
        let figures = zeren_core::report::FIGURES
            .iter()
            .map(|f| (f.name.to_string(), values.get(f.key).copied().unwrap_or(0)))
            .collect();
        Ok(DutyReportDetail {
            can_write: actor.can_at(Permission::WriteScope, &report.org_path)
                || actor.person_id == Some(report.person_id),
            kind_label: Kind::parse(&report.kind).map(Kind::label).unwrap_or(""),
            report,
            filled,
            figures,
            history,
        })
    }

    /// The report as a Word document in the official format (GB/T 9704): the title,
    /// the text with its figures filled in from the records as on the page — lines
    /// "一、……" and "（一）……" set as headings —, the reporter and the day it was
    /// submitted (today for a draft, marked 草稿 under the title).
    pub async fn duty_report_docx(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<crate::documents::Document> {
        let d = self.duty_report_detail(actor, id).await?;
        let r = &d.report;
        let day = r.submitted_on.clone().unwrap_or_else(clock::today_str);
        let doc = zeren_docx::OfficialDoc {
            title: format!("{}{}年度{}报告", r.person_name, r.year, d.kind_label),
            subtitle: Some(if r.submitted_on.is_some() {
                r.org_name.clone()
            } else {
                format!("{}（草稿）", r.org_name)
            }),
            blocks: report_blocks(&d.filled),
            signature: Some(zeren_docx::Signature {
                org: format!("述职人：{}", r.person_name),
                date: crate::documents::chinese_date(&day),
            }),
            ..Default::default()
        };
        let bytes = zeren_docx::render(&doc)
            .map_err(|e| AppError::Io(format!("生成 Word 文件失败：{e}")))?;
        Ok(crate::documents::Document {
            bytes,
            filename: format!("{}{}年度{}报告.docx", r.person_name, r.year, d.kind_label),
        })
    }

    /// Opens an appraisal meeting of `org_id` over reports of its subtree and year.
    pub async fn appraisal_create(&self, actor: &Actor, input: AppraisalInput) -> AppResult<i64> {
        actor.require(Permission::WriteScope, "述职评议由党办组织")?;
        let mut errs = ValidationErrors::new();
        let title = validate::text(&mut errs, "title", "会议名称", &input.title, 100);
        let held = validate::date(&mut errs, "held_on", "召开日期", &input.held_on);
        if held.is_some_and(|d| d > clock::today()) {
            errs.add("held_on", "召开日期不能晚于今天");
        }
        let scoring = Scoring::parse(&input.scoring);
        if scoring.is_none() {
            errs.add("scoring", "请选择评议方式（等次或百分制）");
        }
        let mut reports = input.report_ids.clone();
        reports.sort_unstable();
        reports.dedup();
        if reports.is_empty() {
            errs.add("report_ids", "请选择参加评议的述职报告");
        }
        let mut tx = self.store.begin_write().await?;
        let org = match input.org_id {
            Some(id) => zeren_store::org::get_in(tx.conn(), &actor.read_scope(), id)
                .await
                .ok(),
            None => None,
        };
        let Some(org) = org else {
            errs.add("org_id", "请选择组织评议的党组织");
            errs.into_result()?;
            return Err(invalid("org_id", "请选择组织"));
        };
        actor.require_at(Permission::WriteScope, &org.path, "述职评议由党办组织")?;
        let mut rows = Vec::new();
        for (i, rid) in reports.iter().enumerate() {
            match store::get_in(tx.conn(), &actor.read_scope(), *rid).await {
                Ok(r)
                    if r.org_path.starts_with(org.path.as_str()) && r.year == input.year as i64 =>
                {
                    rows.push(r)
                }
                _ => errs.add(
                    "report_ids",
                    format!(
                        "第{}份述职报告（#{rid}）不属于{}{}年度",
                        i + 1,
                        org.name,
                        input.year
                    ),
                ),
            }
        }
        errs.into_result()?;
        let (Some(held), Some(scoring)) = (held, scoring) else {
            return Err(invalid("held_on", "请填写召开日期"));
        };
        let id = store::insert_appraisal(
            tx.conn(),
            input.year as i64,
            org.id,
            &org.path,
            &title,
            &held.to_string(),
            scoring.as_str(),
            actor.audit_id(),
            clock::now(),
        )
        .await?;
        for r in &rows {
            store::add_report(tx.conn(), id, r.id, &r.org_path).await?;
        }
        hist(
            tx.conn(),
            actor,
            "appraisal",
            id,
            "召开述职评议会",
            &format!("{title}，{} 份述职报告", rows.len()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::AppraisalCreate, "appraisal", id, &org.path)
                .detail(format!("{} 份", rows.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The meeting the actor may write to, and the report within it.
    async fn appraisal_for_write(
        &self,
        c: &mut zeren_store::Conn,
        actor: &Actor,
        id: i64,
        report_id: i64,
    ) -> AppResult<AppraisalRow> {
        let a = store::appraisal_in(c, &actor.read_scope(), id).await?;
        actor.require_at(Permission::WriteScope, &a.org_path, "述职评议由党办组织")?;
        if !store::in_appraisal(c, id, report_id).await? {
            return Err(invalid("report_id", "该述职报告不在本次评议中"));
        }
        Ok(a)
    }

    /// Records participants' scores of one report: (participant, value) where the value
    /// is a grade (好/较好/一般/差 or its key) or points 0–100, per the meeting's scoring.
    /// A participant scored again replaces their score. Whole or nothing.
    pub async fn appraisal_score(
        &self,
        actor: &Actor,
        id: i64,
        report_id: i64,
        scores: &[(String, String)],
    ) -> AppResult<usize> {
        let mut tx = self.store.begin_write().await?;
        let a = self
            .appraisal_for_write(tx.conn(), actor, id, report_id)
            .await?;
        let scoring = Scoring::parse(&a.scoring).ok_or(AppError::NotFound)?;
        let mut errs = ValidationErrors::new();
        if scores.is_empty() {
            errs.add("scores", "请填写评议结果");
        }
        let mut ready = Vec::new();
        for (i, (rater, value)) in scores.iter().enumerate() {
            let rater = rater.trim();
            if rater.is_empty() || rater.chars().count() > 40 {
                errs.add("scores", format!("第{}行：请填写评议人（40字以内）", i + 1));
                continue;
            }
            match scoring {
                Scoring::Grade => match Grade::parse_any(value) {
                    Some(g) => ready.push((rater.to_string(), Some(g.as_str()), None)),
                    None => errs.add(
                        "scores",
                        format!("第{}行：等次应为好、较好、一般或差", i + 1),
                    ),
                },
                Scoring::Points => match value.trim().parse::<i64>() {
                    Ok(p) if (0..=100).contains(&p) => {
                        ready.push((rater.to_string(), None, Some(p)))
                    }
                    _ => errs.add("scores", format!("第{}行：分数应为 0 到 100 的整数", i + 1)),
                },
            }
        }
        errs.into_result()?;
        let now = clock::now();
        for (rater, grade, points) in &ready {
            store::set_score(tx.conn(), id, report_id, rater, *grade, *points, now).await?;
        }
        hist(
            tx.conn(),
            actor,
            "appraisal",
            id,
            "记录评议结果",
            &format!("述职报告 #{report_id}：{} 人", ready.len()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::AppraisalScore, "appraisal", id, &a.org_path)
                .detail(format!("report#{report_id} {} 人", ready.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(ready.len())
    }

    /// Records a question asked at the meeting and the reporter's answer.
    pub async fn appraisal_question(
        &self,
        actor: &Actor,
        id: i64,
        report_id: i64,
        asker: &str,
        question: &str,
        answer: &str,
    ) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let asker = validate::text(&mut errs, "asker", "提问人", asker, 40);
        let question = validate::text(&mut errs, "question", "提问", question, 1000);
        let answer =
            validate::opt_text(&mut errs, "answer", "回答", Some(answer), 2000).unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        let a = self
            .appraisal_for_write(tx.conn(), actor, id, report_id)
            .await?;
        errs.into_result()?;
        let qid = store::insert_question(
            tx.conn(),
            id,
            report_id,
            &asker,
            &question,
            &answer,
            clock::now(),
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "appraisal",
            id,
            "记录提问",
            &format!("{asker}：{question}"),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::AppraisalQuestion, "appraisal", id, &a.org_path)
                .detail(format!("report#{report_id} q#{qid}")),
        )
        .await?;
        tx.commit().await?;
        Ok(qid)
    }

    /// Puts a report's 整改清单 into the problem ledger: each item a problem of the
    /// reporter's org (source 考核, found on the meeting's day, led by the reporter,
    /// issued by the meeting's org) with its own deadline. Whole or nothing.
    pub async fn appraisal_rectify(
        &self,
        actor: &Actor,
        id: i64,
        report_id: i64,
        items: &[RectifyItem],
    ) -> AppResult<Vec<i64>> {
        let mut tx = self.store.begin_write().await?;
        let a = self
            .appraisal_for_write(tx.conn(), actor, id, report_id)
            .await?;
        let r = store::get_in(tx.conn(), &actor.read_scope(), report_id).await?;
        actor.require_at(
            Permission::WriteScope,
            &r.org_path,
            "只能为本级及下级组织登记问题",
        )?;
        let mut errs = ValidationErrors::new();
        if items.is_empty() {
            errs.add("items", "整改清单不能为空");
        }
        let mut ready = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let n = i + 1;
            let title = it.title.trim();
            if title.is_empty() || title.chars().count() > 200 {
                errs.add("items", format!("第{n}项：问题概述不能为空且不超过200字"));
            }
            if it.description.chars().count() > 4000 {
                errs.add("items", format!("第{n}项：问题详情不能超过4000字"));
            }
            match chrono::NaiveDate::parse_from_str(it.deadline.trim(), "%Y-%m-%d") {
                Ok(d) if d.to_string() >= a.held_on => ready.push((
                    title.to_string(),
                    it.description.trim().to_string(),
                    d.to_string(),
                )),
                Ok(_) => errs.add(
                    "items",
                    format!("第{n}项：整改时限不能早于评议日期 {}", a.held_on),
                ),
                Err(_) => errs.add("items", format!("第{n}项：整改时限格式应为 年-月-日")),
            }
        }
        errs.into_result()?;
        let now = clock::now();
        let source_ref = format!("述职评议#{id}");
        let mut ids = Vec::new();
        for (title, description, deadline) in ready {
            let row = ProblemRow {
                id: 0,
                org_id: r.org_id,
                org_path: r.org_path.clone(),
                issuing_org_id: a.org_id,
                source: ProblemSource::Assessment.as_str().into(),
                source_ref: Some(source_ref.clone()),
                title,
                description,
                category: "述职评议".into(),
                leader_id: Some(r.person_id),
                department: None,
                person_id: None,
                found_on: a.held_on.clone(),
                deadline,
                state: ProblemState::Open.as_str().into(),
                recurrence_of: None,
                closed_at: None,
                created_at: now,
                updated_at: now,
            };
            let pid = zeren_store::problem::insert(tx.conn(), &row).await?;
            hist(
                tx.conn(),
                actor,
                "problem",
                pid,
                "登记问题",
                &format!("{}（{}）", row.title, a.title),
            )
            .await?;
            audit::by_actor(
                tx.conn(),
                actor,
                Event::ok(AuditAction::ProblemCreate, "problem", pid, &r.org_path),
            )
            .await?;
            store::insert_item(tx.conn(), id, report_id, pid).await?;
            ids.push(pid);
        }
        hist(
            tx.conn(),
            actor,
            "appraisal",
            id,
            "形成整改清单",
            &format!("{}：{} 项问题列入问题台账", r.person_name, ids.len()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::AppraisalRectify, "appraisal", id, &a.org_path)
                .detail(format!("report#{report_id} {} 项", ids.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn appraisals(
        &self,
        actor: &Actor,
        year: Option<i32>,
    ) -> AppResult<Vec<AppraisalRow>> {
        actor.require(Permission::ReadScope, "述职评议仅本范围的工作人员可以查看")?;
        let mut c = self.store.conn().await?;
        Ok(store::appraisals(&mut c, &actor.read_scope(), year.map(i64::from)).await?)
    }

    /// A meeting with each report's scores and their aggregate, questions and the
    /// 整改清单 with each problem's state.
    pub async fn appraisal_detail(&self, actor: &Actor, id: i64) -> AppResult<AppraisalDetail> {
        if !actor.has(Permission::ReadScope) {
            return Err(AppError::NotFound);
        }
        let mut c = self.store.conn().await?;
        let a = store::appraisal_in(&mut c, &actor.read_scope(), id).await?;
        let scoring = Scoring::parse(&a.scoring).unwrap_or(Scoring::Grade);
        let scores = store::scores_of(&mut c, id).await?;
        let questions = store::questions_of(&mut c, id).await?;
        let items = store::items_of(&mut c, id).await?;
        let reports = store::reports_of(&mut c, id)
            .await?
            .into_iter()
            .map(|r| {
                let s: Vec<ScoreRow> = scores
                    .iter()
                    .filter(|x| x.report_id == r.id)
                    .cloned()
                    .collect();
                AppraisedReport {
                    result: aggregate_rows(scoring, &s),
                    scores: s,
                    questions: questions
                        .iter()
                        .filter(|q| q.report_id == r.id)
                        .cloned()
                        .collect(),
                    items: items
                        .iter()
                        .filter(|q| q.report_id == r.id)
                        .cloned()
                        .collect(),
                    report: r,
                }
            })
            .collect();
        Ok(AppraisalDetail {
            can_write: actor.can_at(Permission::WriteScope, &a.org_path),
            scoring_label: scoring.label(),
            appraisal: a,
            reports,
        })
    }
}

/// The lines of a report's text as document blocks: "一、……" a first-level heading,
/// "（一）……" a second-level one, anything else a paragraph; blank lines dropped.
pub fn report_blocks(text: &str) -> Vec<zeren_docx::Block> {
    use zeren_docx::Block;
    const NUMERALS: &str = "一二三四五六七八九十";
    let numbered = |s: &str| -> Option<usize> {
        let n = s.chars().take_while(|c| NUMERALS.contains(*c)).count();
        (n > 0).then_some(n)
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let first = numbered(l).and_then(|n| l.chars().nth(n).filter(|c| *c == '、'));
            let second = l
                .strip_prefix('（')
                .and_then(|rest| numbered(rest).and_then(|n| rest.chars().nth(n)))
                .filter(|c| *c == '）');
            if first.is_some() {
                Block::Heading1(l.to_string())
            } else if second.is_some() {
                Block::Heading2(l.to_string())
            } else {
                Block::para(l)
            }
        })
        .collect()
}

#[cfg(test)]
mod docx_tests {
    use super::*;
    use zeren_docx::Block;

    #[test]
    fn report_lines_become_headings_and_paragraphs() {
        let b = report_blocks(
            "一、履行职责情况\n\n（一）理论学习\n本年度召开党委会3次。\n十一、其他\n一是加强学习。",
        );
        assert_eq!(
            b,
            vec![
                Block::Heading1("一、履行职责情况".into()),
                Block::Heading2("（一）理论学习".into()),
                Block::para("本年度召开党委会3次。"),
                Block::Heading1("十一、其他".into()),
                Block::para("一是加强学习。"),
            ]
        );
    }
}
