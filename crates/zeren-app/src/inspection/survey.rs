//! Anonymous surveys (问卷调查, 民主测评) through one-time codes.
//!
//! What keeps an answer from its respondent:
//! - codes are random (50 bits), shown once when issued and stored only as SHA-256
//!   hashes, with no id, no time and no person; the office hands the printed slips out
//!   at random, so nothing records who holds which code;
//! - a submission deletes its code's row (an update would leave a row version — on
//!   PostgreSQL with the submission's transaction id — saying which code was used) and
//!   writes one response row under a random 128-bit id with its answers: no time, no
//!   sequence number, no code, no session, no address;
//! - the submission writes no history line and no audit event (either would put the
//!   moment, and with it an order, beside the answers); issuing codes and reading
//!   results are audited;
//! - free-text answers are listed sorted by their text, never in arrival order;
//! - no count is shown before `min_respondents` responses (5 by default).
//!
//! `crates/zeren/tests/it/inspection.rs` checks every table and column a submission
//! writes, on both engines.
use std::collections::HashMap;

use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zeren_core::inspection::{
    normalise_code, SurveyKind, SurveyPurpose, CODE_ALPHABET, CODE_LEN, DEFAULT_MIN_RESPONDENTS,
};
use zeren_core::{validate, ValidationErrors};
use zeren_store::inspection::{
    self as store, NewSurvey, SurveyAnswer, SurveyQuestionRow, SurveyRow,
};

use super::{office_scope, require_office_at};
use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult};

/// Most codes issued at once.
pub const MAX_CODES: usize = 2_000;

#[derive(Debug, Clone, Default)]
pub struct SurveyQuestionInput {
    pub kind: String,
    pub text: String,
    /// choice: the options
    pub options: Vec<String>,
    /// scale: the top score (2…10)
    pub scale_max: i64,
}

#[derive(Debug, Clone, Default)]
pub struct SurveyInput {
    pub target_id: i64,
    pub purpose: String,
    pub title: String,
    /// None: `DEFAULT_MIN_RESPONDENTS`.
    pub min_respondents: Option<i64>,
    pub questions: Vec<SurveyQuestionInput>,
}

/// What a respondent sees: no name of anyone, only the unit and the questions.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyForm {
    pub title: String,
    pub org_name: String,
    pub purpose: String,
    pub questions: Vec<SurveyQuestionRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionCount {
    pub label: String,
    pub n: i64,
    /// Share of the question's answers, in percent (rounded down).
    pub pct: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub question: SurveyQuestionRow,
    pub answered: i64,
    pub options: Vec<OptionCount>,
    /// scale: the average ×100 (integer arithmetic)
    pub mean_x100: i64,
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyResults {
    pub survey: SurveyRow,
    pub unused_codes: i64,
    /// Below the minimum: no counts at all.
    pub shown: bool,
    pub questions: Vec<QuestionResult>,
}

pub fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

fn new_code() -> String {
    let mut r = rand::rngs::OsRng;
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[r.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

fn options_of(q: &SurveyQuestionRow) -> Vec<String> {
    match SurveyKind::parse(&q.kind) {
        Some(SurveyKind::Choice) => q
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        Some(SurveyKind::Scale) => (1..=q.scale_max).rev().map(|s| format!("{s}分")).collect(),
        _ => Vec::new(),
    }
}

impl App {
    pub async fn inspection_survey_create(
        &self,
        actor: &Actor,
        input: SurveyInput,
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let title = validate::text(&mut errs, "title", "问卷名称", &input.title, 100);
        let purpose = SurveyPurpose::parse(&input.purpose);
        if purpose.is_none() {
            errs.add("purpose", "请选择问卷调查或民主测评");
        }
        let min = input.min_respondents.unwrap_or(DEFAULT_MIN_RESPONDENTS);
        if !(3..=1000).contains(&min) {
            errs.add("min_respondents", "最少答卷人数应为 3 到 1000");
        }
        if input.questions.is_empty() {
            errs.add("questions", "请至少设置一道题目");
        }
        if input.questions.len() > 100 {
            errs.add("questions", "题目不能超过100道");
        }
        for (i, q) in input.questions.iter().enumerate() {
            let n = i + 1;
            if q.text.trim().is_empty() || q.text.chars().count() > 500 {
                errs.add("questions", format!("第{n}题题干不能为空，且不超过500字"));
            }
            match SurveyKind::parse(&q.kind) {
                Some(SurveyKind::Choice) => {
                    let opts = q.options.iter().filter(|o| !o.trim().is_empty()).count();
                    if !(2..=20).contains(&opts) {
                        errs.add("questions", format!("第{n}题（单选）应有 2 到 20 个选项"));
                    }
                    if q.options.iter().any(|o| o.chars().count() > 100) {
                        errs.add("questions", format!("第{n}题的选项不能超过100字"));
                    }
                }
                Some(SurveyKind::Scale) => {
                    if !(2..=10).contains(&q.scale_max) {
                        errs.add("questions", format!("第{n}题（评分）最高分应为 2 到 10"));
                    }
                }
                Some(SurveyKind::Text) => {}
                None => errs.add("questions", format!("第{n}题的题型无效")),
            }
        }
        let mut tx = self.store.begin_write().await?;
        let target = store::target(tx.conn(), input.target_id)
            .await
            .map_err(|_| invalid("target_id", "被巡察单位不存在"))?;
        let round = store::round_in(tx.conn(), &office_scope(actor), target.round_id)
            .await
            .map_err(|_| invalid("target_id", "被巡察单位不存在"))?;
        require_office_at(actor, &round.org_path)?;
        errs.into_result()?;
        let Some(purpose) = purpose else {
            return Err(invalid("purpose", "请选择问卷调查或民主测评"));
        };
        let now = clock::now();
        let id = store::insert_survey(
            tx.conn(),
            NewSurvey {
                round_id: round.id,
                target_id: target.id,
                org_path: &target.org_path,
                purpose: purpose.as_str(),
                title: &title,
                min_respondents: min,
                created_by: actor.audit_id(),
                at: now,
            },
        )
        .await?;
        for (i, q) in input.questions.iter().enumerate() {
            let kind = SurveyKind::parse(&q.kind).unwrap_or(SurveyKind::Text);
            let options = match kind {
                SurveyKind::Choice => q
                    .options
                    .iter()
                    .map(|o| o.trim())
                    .filter(|o| !o.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => String::new(),
            };
            let max = if kind == SurveyKind::Scale {
                q.scale_max
            } else {
                0
            };
            store::insert_survey_question(
                tx.conn(),
                id,
                i as i64 + 1,
                kind.as_str(),
                q.text.trim(),
                &options,
                max,
            )
            .await?;
        }
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round.id,
            "发起问卷",
            &format!(
                "{}：{title}（{}题）",
                target.org_name,
                input.questions.len()
            ),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionSurvey,
                "inspection_survey",
                id,
                &round.org_path,
            )
            .detail("create"),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Issues `n` one-time codes and returns them: shown once, never stored in clear.
    pub async fn inspection_survey_codes(
        &self,
        actor: &Actor,
        survey_id: i64,
        n: i64,
    ) -> AppResult<Vec<String>> {
        super::require_office_any(actor)?;
        if !(1..=MAX_CODES as i64).contains(&n) {
            return Err(invalid(
                "n",
                format!("一次可生成 1 到 {MAX_CODES} 个答题码"),
            ));
        }
        let mut tx = self.store.begin_write().await?;
        let s = store::survey_in(tx.conn(), &office_scope(actor), survey_id).await?;
        let round = store::round_by_id(tx.conn(), s.round_id).await?;
        require_office_at(actor, &round.org_path)?;
        if s.state != "open" {
            return Err(AppError::Conflict("问卷已结束，不能再生成答题码".into()));
        }
        let mut codes: Vec<String> = Vec::with_capacity(n as usize);
        while codes.len() < n as usize {
            let c = new_code();
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
        let hashes: Vec<String> = codes.iter().map(|c| code_hash(c)).collect();
        store::insert_codes(tx.conn(), s.id, &hashes, clock::now()).await?;
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round.id,
            "生成答题码",
            &format!("{}：{n}个", s.title),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionSurvey,
                "inspection_survey",
                s.id,
                &round.org_path,
            )
            .detail(format!("codes {n}")),
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// The questions a code opens (no account needed). A wrong or used code reads as
    /// the same error.
    pub async fn survey_form(&self, code: &str) -> AppResult<(SurveyForm, String)> {
        let code = normalise_code(code).ok_or_else(|| invalid("code", "答题码无效或已使用"))?;
        let mut c = self.store.conn().await?;
        let sid = store::survey_of_code(&mut c, &code_hash(&code))
            .await?
            .ok_or_else(|| invalid("code", "答题码无效或已使用"))?;
        let s = store::survey(&mut c, sid).await?;
        let questions = store::survey_questions(&mut c, sid).await?;
        Ok((
            SurveyForm {
                title: s.title,
                org_name: s.org_name,
                purpose: SurveyPurpose::parse(&s.purpose)
                    .map(|p| p.label())
                    .unwrap_or("")
                    .into(),
                questions,
            },
            code,
        ))
    }

    /// Stores one anonymous response. `answers` maps question ids to what was given:
    /// an option's index (from 0) for choice, the score for scale, text for text.
    /// Every choice and scale question must be answered; text ones may be empty.
    /// Nothing is written when anything is wrong, and the code stays usable.
    pub async fn survey_submit(&self, code: &str, answers: &HashMap<i64, String>) -> AppResult<()> {
        let code = normalise_code(code).ok_or_else(|| invalid("code", "答题码无效或已使用"))?;
        let hash = code_hash(&code);
        let mut tx = self.store.begin_write().await?;
        let sid = store::survey_of_code(tx.conn(), &hash)
            .await?
            .ok_or_else(|| invalid("code", "答题码无效或已使用"))?;
        let questions = store::survey_questions(tx.conn(), sid).await?;
        let mut errs = ValidationErrors::new();
        let mut rows: Vec<SurveyAnswer> = Vec::new();
        for q in &questions {
            let v = answers.get(&q.id).map(|s| s.trim()).unwrap_or("");
            let field = format!("q{}", q.id);
            match SurveyKind::parse(&q.kind) {
                Some(SurveyKind::Choice) => {
                    let n = options_of(q).len() as i64;
                    match v.parse::<i64>() {
                        Ok(i) if (0..n).contains(&i) => rows.push((q.id, Some(i), None, None)),
                        _ => errs.add(&field, format!("请回答第{}题", q.pos)),
                    }
                }
                Some(SurveyKind::Scale) => match v.parse::<i64>() {
                    Ok(s) if (1..=q.scale_max).contains(&s) => {
                        rows.push((q.id, None, Some(s), None))
                    }
                    _ => errs.add(
                        &field,
                        format!("请为第{}题评分（1–{}）", q.pos, q.scale_max),
                    ),
                },
                _ => {
                    if v.chars().count() > 2000 {
                        errs.add(&field, format!("第{}题不能超过2000字", q.pos));
                    } else if !v.is_empty() {
                        rows.push((q.id, None, None, Some(v.to_string())));
                    }
                }
            }
        }
        errs.into_result()?;
        let response_id = hex::encode(rand::random::<[u8; 16]>());
        if !store::submit_response(tx.conn(), sid, &hash, &response_id, &rows).await? {
            return Err(invalid("code", "答题码无效或已使用"));
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn inspection_surveys(
        &self,
        actor: &Actor,
        round_id: i64,
    ) -> AppResult<Vec<SurveyRow>> {
        let mut c = self.store.conn().await?;
        let r = store::round_in(&mut c, &office_scope(actor), round_id).await?;
        Ok(store::surveys_of(&mut c, r.id).await?)
    }

    /// Counts per option (and the free texts, sorted), only from the minimum number
    /// of respondents on. Reading them is audited.
    pub async fn inspection_survey_results(
        &self,
        actor: &Actor,
        survey_id: i64,
    ) -> AppResult<SurveyResults> {
        let mut c = self.store.conn().await?;
        let survey = store::survey_in(&mut c, &office_scope(actor), survey_id).await?;
        let unused_codes = store::unused_codes(&mut c, survey.id).await?;
        let questions = store::survey_questions(&mut c, survey.id).await?;
        let shown = survey.responses >= survey.min_respondents;
        let mut out = Vec::new();
        if shown {
            let counts = store::survey_counts(&mut c, survey.id).await?;
            for q in questions {
                let kind = SurveyKind::parse(&q.kind);
                let labels = options_of(&q);
                let mut options = Vec::new();
                let mut answered = 0;
                let mut sum = 0;
                for (i, label) in labels.iter().enumerate() {
                    let n: i64 = counts
                        .iter()
                        .filter(|(qid, ch, sc, _)| {
                            *qid == q.id
                                && match kind {
                                    Some(SurveyKind::Choice) => *ch == Some(i as i64),
                                    _ => *sc == Some(q.scale_max - i as i64),
                                }
                        })
                        .map(|r| r.3)
                        .sum();
                    answered += n;
                    if kind == Some(SurveyKind::Scale) {
                        sum += n * (q.scale_max - i as i64);
                    }
                    options.push(OptionCount {
                        label: label.clone(),
                        n,
                        pct: 0,
                    });
                }
                for o in &mut options {
                    o.pct = if answered > 0 {
                        o.n * 100 / answered
                    } else {
                        0
                    };
                }
                let texts = if kind == Some(SurveyKind::Text) {
                    store::survey_texts(&mut c, q.id).await?
                } else {
                    Vec::new()
                };
                if kind == Some(SurveyKind::Text) {
                    answered = texts.len() as i64;
                }
                out.push(QuestionResult {
                    mean_x100: if answered > 0 && kind == Some(SurveyKind::Scale) {
                        sum * 100 / answered
                    } else {
                        0
                    },
                    question: q,
                    answered,
                    options,
                    texts,
                });
            }
        }
        drop(c);
        let mut tx = self.store.begin_write().await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionSurvey,
                "inspection_survey",
                survey.id,
                &survey.org_path,
            )
            .detail(format!("results shown={shown}")),
        )
        .await?;
        tx.commit().await?;
        Ok(SurveyResults {
            survey,
            unused_codes,
            shown,
            questions: out,
        })
    }

    pub async fn inspection_survey_close(&self, actor: &Actor, survey_id: i64) -> AppResult<()> {
        super::require_office_any(actor)?;
        let mut tx = self.store.begin_write().await?;
        let s = store::survey_in(tx.conn(), &office_scope(actor), survey_id).await?;
        let round = store::round_by_id(tx.conn(), s.round_id).await?;
        require_office_at(actor, &round.org_path)?;
        if s.state != "open" {
            return Err(AppError::Conflict("问卷已经结束".into()));
        }
        store::set_survey_state(tx.conn(), s.id, "closed", clock::now()).await?;
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round.id,
            "结束问卷",
            &s.title,
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionSurvey,
                "inspection_survey",
                s.id,
                &round.org_path,
            )
            .detail("close"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
