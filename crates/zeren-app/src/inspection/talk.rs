//! Interview outlines (谈话提纲) and talks (个别谈话): answers recorded per question,
//! marked by the team and turned into findings. The person talked with reads and
//! answers their own talk, and sees for each question a draft built from the records
//! of their unit — the annual-report figures (`App::report_figures`, counted from the
//! year tallies, the same numbers the annual report prints) chosen by the question's
//! kind, and for questions on gaps the unit's open problems — to correct and
//! complete, never to retype.
use std::collections::HashMap;

use serde::Serialize;
use zeren_core::inspection::QuestionKind;
use zeren_core::{validate, ProblemState, ValidationErrors};
use zeren_store::inspection::{
    self as store, AnswerRow, NewTalk, OutlineRow, QuestionRow, TalkRow,
};

use super::{office_scope, require_office_at};
use crate::audit::{self, AuditAction, Event};
use crate::error::invalid;
use crate::task::hist;
use crate::{clock, Actor, App, AppError, AppResult};

#[derive(Debug, Clone, Default)]
pub struct TalkInput {
    pub target_id: i64,
    pub outline_id: i64,
    pub person_id: Option<i64>,
    pub person_name: String,
    pub post: String,
    pub talker: String,
    pub scheduled_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TalkQuestion {
    pub question: QuestionRow,
    pub kind_label: &'static str,
    pub answer: Option<AnswerRow>,
    /// Built from records; None for kinds without records.
    pub draft: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TalkDetail {
    pub talk: TalkRow,
    pub outline: OutlineRow,
    pub questions: Vec<TalkQuestion>,
    /// The person talked with (answers for their own unit).
    pub is_self: bool,
    pub is_office: bool,
}

/// "党委会次数", 12, "次" → "党委会12次".
fn fig_phrase(name: &str, v: i64, unit: &str) -> String {
    let mut stem = name;
    for suffix in [
        "次数", "人次", "条数", "个数", "份数", "期数", "项数", "件数", "数",
    ] {
        if let Some(s) = name.strip_suffix(suffix) {
            stem = s;
            break;
        }
    }
    format!("{stem}{v}{unit}")
}

impl App {
    /// A new outline with its questions (kind, text) in order.
    pub async fn inspection_outline_create(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        title: &str,
        questions: &[(String, String)],
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let title = validate::text(&mut errs, "title", "提纲名称", title, 100);
        let qs: Vec<(QuestionKind, String)> = questions
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .enumerate()
            .map(|(i, (k, t))| {
                let kind = QuestionKind::parse(k).unwrap_or_else(|| {
                    errs.add("questions", format!("第{}题的类别无效", i + 1));
                    QuestionKind::Other
                });
                if t.chars().count() > 1000 {
                    errs.add("questions", format!("第{}题不能超过1000字", i + 1));
                }
                (kind, t.trim().to_string())
            })
            .collect();
        if qs.is_empty() {
            errs.add("questions", "请至少填写一个问题");
        }
        let mut tx = self.store.begin_write().await?;
        let org = self.office_org(tx.conn(), actor, org_id).await?;
        errs.into_result()?;
        let id = store::insert_outline(
            tx.conn(),
            org.id,
            &org.path,
            &title,
            actor.audit_id(),
            clock::now(),
        )
        .await?;
        for (i, (k, t)) in qs.iter().enumerate() {
            store::insert_question(tx.conn(), id, i as i64 + 1, k.as_str(), t).await?;
        }
        hist(
            tx.conn(),
            actor,
            "inspection_outline",
            id,
            "制定谈话提纲",
            &format!("{title}（{}个问题）", qs.len()),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionTalk,
                "inspection_outline",
                id,
                &org.path,
            )
            .detail("outline"),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn inspection_outlines(&self, actor: &Actor) -> AppResult<Vec<OutlineRow>> {
        let mut c = self.store.conn().await?;
        Ok(store::outlines(&mut c, &office_scope(actor)).await?)
    }

    pub async fn inspection_outline(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<(OutlineRow, Vec<QuestionRow>)> {
        let mut c = self.store.conn().await?;
        let o = store::outline(&mut c, id).await?;
        if !office_scope(actor).contains_path(&o.org_path) {
            return Err(AppError::NotFound);
        }
        let q = store::questions(&mut c, id).await?;
        Ok((o, q))
    }

    /// Schedules a talk with a person of a target unit.
    pub async fn inspection_talk_schedule(
        &self,
        actor: &Actor,
        input: TalkInput,
    ) -> AppResult<i64> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let day = validate::date(&mut errs, "scheduled_on", "谈话日期", &input.scheduled_on);
        let post = validate::opt_text(&mut errs, "post", "职务", Some(&input.post), 60)
            .unwrap_or_default();
        let talker = validate::opt_text(&mut errs, "talker", "谈话人", Some(&input.talker), 60)
            .unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        let target = store::target(tx.conn(), input.target_id)
            .await
            .map_err(|_| invalid("target_id", "被巡察单位不存在"))?;
        let round = store::round_in(tx.conn(), &office_scope(actor), target.round_id)
            .await
            .map_err(|_| invalid("target_id", "被巡察单位不存在"))?;
        require_office_at(actor, &round.org_path)?;
        if round.state == "closed" {
            return Err(AppError::Conflict("本轮巡察已结束".into()));
        }
        match store::outline(tx.conn(), input.outline_id).await {
            Ok(o) if office_scope(actor).contains_path(&o.org_path) => {}
            _ => errs.add("outline_id", "请选择谈话提纲"),
        }
        let mut name = input.person_name.trim().to_string();
        if let Some(pid) = input.person_id {
            match zeren_store::person::get(tx.conn(), pid).await {
                Ok(p) if p.org_path.starts_with(&target.org_path) => {
                    if name.is_empty() {
                        name = p.name;
                    }
                }
                _ => errs.add("person_id", "谈话对象须为被巡察单位的人员"),
            }
        }
        if name.is_empty() {
            errs.add("person_name", "请填写谈话对象");
        }
        errs.into_result()?;
        let Some(day) = day else {
            return Err(invalid("scheduled_on", "请填写谈话日期"));
        };
        let id = store::insert_talk(
            tx.conn(),
            NewTalk {
                round_id: round.id,
                target_id: target.id,
                org_path: &target.org_path,
                outline_id: input.outline_id,
                person_id: input.person_id,
                person_name: &name,
                post: &post,
                talker: &talker,
                scheduled_on: &day.to_string(),
                created_by: actor.audit_id(),
                at: clock::now(),
            },
        )
        .await?;
        hist(
            tx.conn(),
            actor,
            "inspection_round",
            round.id,
            "安排谈话",
            &format!("{day} {}·{name}", target.org_name),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionTalk,
                "inspection_talk",
                id,
                &round.org_path,
            )
            .detail("schedule"),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Talks the actor is to answer (as the person talked with).
    pub async fn inspection_my_talks(&self, actor: &Actor) -> AppResult<Vec<TalkRow>> {
        let Some(pid) = actor.person_id else {
            return Ok(Vec::new());
        };
        let mut c = self.store.conn().await?;
        Ok(store::talks_of_person(&mut c, pid).await?)
    }

    pub async fn inspection_talk(&self, actor: &Actor, talk_id: i64) -> AppResult<TalkDetail> {
        let mut c = self.store.conn().await?;
        let talk = store::talk_for(&mut c, &office_scope(actor), actor.person_id, talk_id).await?;
        let round = store::round_by_id(&mut c, talk.round_id).await?;
        let is_office = actor.can_at(zeren_core::Permission::Inspection, &round.org_path);
        let is_self = talk.person_id.is_some() && talk.person_id == actor.person_id;
        let outline = store::outline(&mut c, talk.outline_id).await?;
        let qs = store::questions(&mut c, talk.outline_id).await?;
        let answers = store::answers_of(&mut c, talk.id).await?;
        let target = store::target(&mut c, talk.target_id).await?;
        drop(c);
        let drafts = self.drafts(&target, round.year as i32, &qs).await?;
        let questions = qs
            .into_iter()
            .map(|q| {
                let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::Other);
                TalkQuestion {
                    answer: answers.iter().find(|a| a.question_id == q.id).cloned(),
                    draft: drafts.get(&q.id).cloned(),
                    kind_label: kind.label(),
                    question: q,
                }
            })
            .collect();
        Ok(TalkDetail {
            talk,
            outline,
            questions,
            is_self,
            is_office,
        })
    }

    /// Drafts per question id for a unit and year, from records.
    async fn drafts(
        &self,
        target: &zeren_store::inspection::TargetRow,
        year: i32,
        qs: &[QuestionRow],
    ) -> AppResult<HashMap<i64, String>> {
        let mut c = self.store.conn().await?;
        let org = zeren_store::org::get(&mut c, target.org_id).await?;
        drop(c);
        let values = self.report_figures(&org, year).await?;
        let mut open = None;
        let mut out = HashMap::new();
        for q in qs {
            let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::Other);
            let mut parts = Vec::new();
            let figs: Vec<String> = kind
                .figures()
                .iter()
                .filter_map(|k| {
                    zeren_core::report::FIGURES
                        .iter()
                        .find(|d| d.key == *k)
                        .map(|d| fig_phrase(d.name, values.get(k).copied().unwrap_or(0), d.unit))
                })
                .collect();
            if !figs.is_empty() {
                parts.push(format!(
                    "据系统记录，{year}年以来本单位{}。",
                    figs.join("，")
                ));
            }
            if kind.lists_open_problems() {
                if open.is_none() {
                    let mut c = self.store.conn().await?;
                    let f = zeren_store::problem::ProblemFilter {
                        states: vec![
                            ProblemState::Open.as_str().into(),
                            ProblemState::PendingReview.as_str().into(),
                        ],
                        limit: 5,
                        ..Default::default()
                    };
                    let scope = zeren_store::Scope::Subtrees(vec![org.path.clone()]);
                    open = Some(zeren_store::problem::list(&mut c, &scope, &f).await?);
                }
                if let Some((items, total)) = &open {
                    if *total > 0 {
                        let names: Vec<String> =
                            items.iter().map(|p| format!("“{}”", p.title)).collect();
                        parts.push(format!(
                            "问题整改台账中尚有{total}个问题未销号，如{}。",
                            names.join("、")
                        ));
                    } else {
                        parts.push("问题整改台账中的问题均已销号。".into());
                    }
                }
            }
            if !parts.is_empty() {
                out.insert(q.id, parts.join(""));
            }
        }
        Ok(out)
    }

    /// Records answers (question id → text): by the person talked with or the office.
    /// An empty text leaves the question unanswered.
    pub async fn inspection_talk_answer(
        &self,
        actor: &Actor,
        talk_id: i64,
        answers: &[(i64, String)],
    ) -> AppResult<usize> {
        let mut errs = ValidationErrors::new();
        for (q, a) in answers {
            if a.chars().count() > 10_000 {
                errs.add(&format!("q{q}"), "回答不能超过10000字");
            }
        }
        errs.into_result()?;
        let mut tx = self.store.begin_write().await?;
        let talk =
            store::talk_for(tx.conn(), &office_scope(actor), actor.person_id, talk_id).await?;
        let round = store::round_by_id(tx.conn(), talk.round_id).await?;
        let is_office = actor.can_at(zeren_core::Permission::Inspection, &round.org_path);
        let is_self = talk.person_id.is_some() && talk.person_id == actor.person_id;
        if !is_office && !is_self {
            return Err(AppError::NotFound);
        }
        if round.state == "closed" {
            return Err(AppError::Conflict("本轮巡察已结束".into()));
        }
        let qs = store::questions(tx.conn(), talk.outline_id).await?;
        let now = clock::now();
        let mut n = 0;
        for (qid, text) in answers {
            if !qs.iter().any(|q| q.id == *qid) {
                return Err(invalid(
                    "question_id",
                    format!("问题 #{qid} 不属于该谈话提纲"),
                ));
            }
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            store::upsert_answer(tx.conn(), talk.id, *qid, text, now).await?;
            n += 1;
        }
        hist(
            tx.conn(),
            actor,
            "inspection_talk",
            talk.id,
            "记录谈话内容",
            &format!("{n}个问题"),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionTalk,
                "inspection_talk",
                talk.id,
                &round.org_path,
            )
            .detail(format!("answers {n}")),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The team marks (or unmarks) an answer as containing a problem.
    pub async fn inspection_answer_mark(
        &self,
        actor: &Actor,
        answer_id: i64,
        marked: bool,
    ) -> AppResult<()> {
        super::require_office_any(actor)?;
        let mut tx = self.store.begin_write().await?;
        let a = store::answer(tx.conn(), answer_id).await?;
        let talk = store::talk_for(tx.conn(), &office_scope(actor), None, a.talk_id).await?;
        let round = store::round_by_id(tx.conn(), talk.round_id).await?;
        require_office_at(actor, &round.org_path)?;
        store::set_marked(tx.conn(), a.id, marked).await?;
        hist(
            tx.conn(),
            actor,
            "inspection_talk",
            talk.id,
            if marked {
                "标记问题线索"
            } else {
                "取消标记"
            },
            &format!("answer#{}", a.id),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionTalk,
                "inspection_talk",
                talk.id,
                &round.org_path,
            )
            .detail(format!("mark {marked}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that the talk was held.
    pub async fn inspection_talk_held(
        &self,
        actor: &Actor,
        talk_id: i64,
        on: &str,
    ) -> AppResult<()> {
        super::require_office_any(actor)?;
        let mut errs = ValidationErrors::new();
        let day = validate::date(&mut errs, "held_on", "谈话日期", on);
        if day.is_some_and(|d| d > clock::today()) {
            errs.add("held_on", "谈话日期不能晚于今天");
        }
        errs.into_result()?;
        let Some(day) = day else {
            return Err(invalid("held_on", "请填写谈话日期"));
        };
        let mut tx = self.store.begin_write().await?;
        let talk = store::talk_for(tx.conn(), &office_scope(actor), None, talk_id).await?;
        let round = store::round_by_id(tx.conn(), talk.round_id).await?;
        require_office_at(actor, &round.org_path)?;
        store::set_held(tx.conn(), talk.id, &day.to_string(), clock::now()).await?;
        hist(
            tx.conn(),
            actor,
            "inspection_talk",
            talk.id,
            "谈话",
            &day.to_string(),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(
                AuditAction::InspectionTalk,
                "inspection_talk",
                talk.id,
                &round.org_path,
            )
            .detail("held"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
