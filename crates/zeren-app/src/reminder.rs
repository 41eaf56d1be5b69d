//! The reminder engine (提示 and 督导): one cycle looks at every open item whose
//! `remind_on` day has come, works out the latest stage of its ladder, writes that
//! stage's notification once (the unique key is item, deadline, stage, recipient),
//! queues its email/webhook deliveries, and moves `remind_on` to the next stage's day.
//!
//! Exactly once: the key's UNIQUE constraint decides, not the engine's memory, so a
//! restart, a crash mid-cycle (each batch is one transaction) or two servers on one
//! PostgreSQL database never produce a notification twice. Catch-up: after downtime an
//! item gets its latest stage only, never the ones it slept through.
use chrono::NaiveDate;
use serde::Serialize;
use zeren_core::reminder::{Policy, Stage, WarningDays};
use zeren_store::notification::{self, DueItem, NewNotification};

use crate::{clock, App, AppResult};

/// Items per transaction.
const BATCH: i64 = 2_000;

/// The day after the last one a ladder could ever fire on: "no more looks".
pub const NEVER: &str = "9999-12-31";

/// Deployment-wide reminder settings.
#[derive(Debug, Clone, Default)]
pub struct ReminderConfig {
    pub policy: Policy,
    pub warning: WarningDays,
    /// Deployment webhook (enterprise WeChat / DingTalk style robot), if any.
    pub webhook_url: Option<String>,
    pub smtp: Option<crate::delivery::SmtpConfig>,
}

/// A notification this cycle created, for the `jobs run-once` output.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Created {
    pub id: i64,
    pub item_type: String,
    pub item_id: i64,
    pub stage: String,
    pub recipient: String,
    pub title: String,
    pub deadline: String,
}

impl std::fmt::Display for Created {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stage = Stage::parse(&self.stage);
        let kind = match stage {
            Some(s) if s.is_escalation() => "督导",
            _ => "提示",
        };
        let item = match self.item_type.as_str() {
            "letter" => "责任书签订",
            "task" => "任务",
            "measure" => "整改措施",
            "rule" => "制度规定·组织",
            "risk_review" => "廉政风险点评估",
            "inspection_report" => "巡察整改情况报告",
            _ => "督办单",
        };
        let to = match self.recipient.split_at(1) {
            ("p", id) => format!("人员#{id}"),
            ("o", id) => format!("组织#{id}"),
            _ => "无".to_string(),
        };
        write!(
            f,
            "{kind} {item}#{} ［{}］→ {to}：{}（期限 {}）",
            self.item_id,
            stage
                .map(Stage::label)
                .unwrap_or_else(|| rule_stage_label(&self.stage).to_string()),
            self.title,
            self.deadline
        )
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CycleReport {
    /// Items looked at.
    pub looked: usize,
    pub created: Vec<Created>,
}

/// How a compliance notification's stage reads.
pub fn rule_stage_label(stage: &str) -> &str {
    match stage {
        "letter-due" => "责任书即将到期",
        "letter-overdue" => "责任书逾期未签",
        "letter-escalate" => "责任书逾期督办",
        "rule-violation" => "违反规定",
        "rule-missing" => "未按规定开展",
        "rule-due" => "即将到期",
        "inspection-report-due" => "即将到期",
        "inspection-report-overdue" => "已逾期",
        other => other,
    }
}

/// What one run of the jobs did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JobsReport {
    /// Occurrences of recurring duties created.
    pub occurrences: usize,
    pub looked: usize,
    /// One line per reminder or escalation created, in creation order.
    pub lines: Vec<String>,
    pub sent: usize,
    pub failed: usize,
}

/// The jobs inside `zeren serve`: one run at start, then every `interval`. An error is
/// logged and the next run tries again; nothing here can stop the server.
pub async fn run_forever(app: App, interval: std::time::Duration) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app.jobs_once(clock::today()).await {
            Ok(r) if !r.lines.is_empty() || r.sent + r.failed > 0 => tracing::info!(
                created = r.lines.len(),
                sent = r.sent,
                failed = r.failed,
                "jobs"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "jobs run failed"),
        }
        // the audit chain's checkpoint, every N events or daily (audit.rs)
        match app.audit_checkpoint_due().await {
            Ok(Some(cp)) => tracing::info!(seq = cp.seq, id = cp.id, "audit checkpoint"),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
        }
    }
}

/// Who a stage of an item goes to.
pub(crate) struct To {
    pub(crate) person: Option<i64>,
    pub(crate) org: Option<(i64, String)>,
}

impl To {
    pub(crate) fn key(&self) -> String {
        match (&self.person, &self.org) {
            (Some(p), _) => format!("p{p}"),
            (None, Some((o, _))) => format!("o{o}"),
            (None, None) => "-".into(),
        }
    }
}

fn recipient(item: &DueItem, stage: Stage) -> To {
    let own_org = || Some((item.org_id, item.org_path.clone()));
    match stage {
        // an unanswered notice goes back up to the office that issued it
        Stage::Supervise => To {
            person: None,
            org: Some((item.issuing_org_id, item.issuing_org_path.clone())),
        },
        Stage::Leader => To {
            person: item.leader_id,
            org: item.leader_id.is_none().then(own_org).flatten(),
        },
        _ => {
            let person = item.person_id.or(item.leader_id);
            To {
                person,
                org: person.is_none().then(own_org).flatten(),
            }
        }
    }
}

fn policy_for(base: &Policy, item: &DueItem) -> Policy {
    match item
        .remind_days
        .as_deref()
        .map(Policy::parse_lead_days)
        .and_then(Result::ok)
    {
        Some(lead) => Policy {
            lead_days: lead,
            ..base.clone()
        },
        None => base.clone(),
    }
}

impl App {
    /// Everything the jobs do, as of `today`: the reminder cycle, then deliveries.
    pub async fn jobs_once(&self, today: NaiveDate) -> AppResult<JobsReport> {
        use chrono::Datelike;
        // occurrences first, so a duty's new occurrence is reminded in the same run
        let occurrences = self.generate_occurrences(today.year()).await?;
        let mut cycle = self.reminder_cycle(today).await?;
        cycle
            .created
            .extend(self.letter_notifications(today).await?);
        cycle.created.extend(self.rule_notifications(today).await?);
        cycle
            .created
            .extend(self.risk_review_notifications(today).await?);
        cycle
            .created
            .extend(self.inspection_report_notifications(today).await?);
        let (sent, failed) = self.deliver_due().await?;
        Ok(JobsReport {
            occurrences,
            looked: cycle.looked,
            lines: cycle.created.iter().map(ToString::to_string).collect(),
            sent,
            failed,
        })
    }

    /// One engine cycle as of `today`.
    pub async fn reminder_cycle(&self, today: NaiveDate) -> AppResult<CycleReport> {
        let mut report = CycleReport::default();
        let day = today.format("%Y-%m-%d").to_string();
        for kind in ["task", "measure", "notice"] {
            loop {
                let n = self.reminder_batch(kind, today, &day, &mut report).await?;
                if n < BATCH as usize {
                    break;
                }
            }
        }
        if !report.created.is_empty() {
            tracing::info!(created = report.created.len(), looked = report.looked, %day, "reminder cycle");
        }
        Ok(report)
    }

    /// One transaction: up to `BATCH` due items of one kind. Returns how many it read.
    async fn reminder_batch(
        &self,
        kind: &str,
        today: NaiveDate,
        day: &str,
        report: &mut CycleReport,
    ) -> AppResult<usize> {
        let policy = &self.cfg.reminders.policy;
        let mut tx = self.store.begin_write().await?;
        let items = notification::due(tx.conn(), kind, day, BATCH).await?;
        let now = clock::now();
        for item in &items {
            let p = policy_for(policy, item);
            let deadline = NaiveDate::parse_from_str(&item.deadline, "%Y-%m-%d").ok();
            let next = deadline
                .and_then(|d| p.next_look(d, today))
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| NEVER.to_string());
            if let Some(stage) = deadline.and_then(|d| p.stage_on(d, today)) {
                let to = recipient(item, stage);
                let key = format!(
                    "{}:{}:{}:{}:{}",
                    item.item_type,
                    item.id,
                    item.deadline,
                    stage.key(),
                    to.key()
                );
                let stage_key = stage.key();
                let new = NewNotification {
                    key: &key,
                    item_type: &item.item_type,
                    item_id: item.id,
                    stage: &stage_key,
                    org_id: item.org_id,
                    org_path: &item.org_path,
                    recipient_person_id: to.person,
                    recipient_org_id: to.org.as_ref().map(|o| o.0),
                    recipient_org_path: to.org.as_ref().map(|o| o.1.as_str()),
                    title: &item.title,
                    deadline: &item.deadline,
                    day,
                    created_at: now,
                };
                if let Some(id) = notification::insert(tx.conn(), &new).await? {
                    self.enqueue_deliveries(tx.conn(), id, &to, now).await?;
                    report.created.push(Created {
                        id,
                        item_type: item.item_type.clone(),
                        item_id: item.id,
                        stage: stage_key,
                        recipient: to.key(),
                        title: item.title.clone(),
                        deadline: item.deadline.clone(),
                    });
                }
            }
            notification::set_remind_on(tx.conn(), &item.item_type, item.id, &next).await?;
        }
        tx.commit().await?;
        report.looked += items.len();
        Ok(items.len())
    }

    /// Once a day, the compliance check's flags and the obligations due within a week
    /// become notifications to the org concerned, keyed by rule, org, period and verdict
    /// (a period first reminded as due and later found missing is told both times).
    async fn rule_notifications(&self, today: NaiveDate) -> AppResult<Vec<Created>> {
        const JOB: &str = "rules";
        let day = today.format("%Y-%m-%d").to_string();
        {
            let mut c = self.store.conn().await?;
            if notification::job_ran(&mut c, JOB, &day).await? {
                return Ok(Vec::new());
            }
        }
        let obligations = self.compliance_obligations(today, 7).await?;
        let now = clock::now();
        let mut tx = self.store.begin_write().await?;
        if !notification::claim_job(tx.conn(), JOB, &day, now).await? {
            return Ok(Vec::new());
        }
        let mut created = Vec::new();
        for o in &obligations {
            let stage = match o.obligation.verdict {
                zeren_core::rule::Outcome::Violation => "rule-violation",
                zeren_core::rule::Outcome::Missing => "rule-missing",
                _ => "rule-due",
            };
            let key = format!("{}:{stage}", o.key);
            let title = format!("{}（{}）", o.title, o.obligation.period);
            let deadline = o
                .obligation
                .due
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| day.clone());
            let to = To {
                person: None,
                org: Some((o.org_id, o.org_path.clone())),
            };
            let new = NewNotification {
                key: &key,
                item_type: "rule",
                item_id: o.org_id,
                stage,
                org_id: o.org_id,
                org_path: &o.org_path,
                recipient_person_id: None,
                recipient_org_id: Some(o.org_id),
                recipient_org_path: Some(&o.org_path),
                title: &title,
                deadline: &deadline,
                day: &day,
                created_at: now,
            };
            if let Some(id) = notification::insert(tx.conn(), &new).await? {
                self.enqueue_deliveries(tx.conn(), id, &to, now).await?;
                created.push(Created {
                    id,
                    item_type: "rule".into(),
                    item_id: o.org_id,
                    stage: stage.into(),
                    recipient: to.key(),
                    title,
                    deadline,
                });
            }
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Once a day, integrity risk points whose periodic review (定期评估) falls within
    /// two weeks or is overdue become notifications to their org, keyed by point,
    /// review day and stage: told once when due and once more when overdue; a review
    /// moves the day, and the next cycle starts afresh.
    async fn risk_review_notifications(&self, today: NaiveDate) -> AppResult<Vec<Created>> {
        const JOB: &str = "risk-reviews";
        const LEAD_DAYS: i64 = 14;
        let day = today.format("%Y-%m-%d").to_string();
        {
            let mut c = self.store.conn().await?;
            if notification::job_ran(&mut c, JOB, &day).await? {
                return Ok(Vec::new());
            }
        }
        let due_by = (today + chrono::Duration::days(LEAD_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        let now = clock::now();
        let mut tx = self.store.begin_write().await?;
        if !notification::claim_job(tx.conn(), JOB, &day, now).await? {
            return Ok(Vec::new());
        }
        let filter = zeren_store::risk::RiskFilter {
            due_by: Some(due_by),
            limit: i64::MAX,
            ..Default::default()
        };
        let whole = zeren_store::Scope::Subtrees(vec!["/".into()]);
        let (points, _) = zeren_store::risk::list(tx.conn(), &whole, &filter).await?;
        let mut created = Vec::new();
        for r in &points {
            let stage = if r.next_review_on < day {
                "risk-review-overdue"
            } else {
                "risk-review-due"
            };
            let key = format!("risk_review:{}:{}:{stage}", r.id, r.next_review_on);
            let title = format!(
                "廉政风险点定期评估：{}{}（{}，{}）",
                r.department, r.post, r.category, r.level
            );
            let to = To {
                person: None,
                org: Some((r.org_id, r.org_path.clone())),
            };
            let new = NewNotification {
                key: &key,
                item_type: "risk_review",
                item_id: r.id,
                stage,
                org_id: r.org_id,
                org_path: &r.org_path,
                recipient_person_id: None,
                recipient_org_id: Some(r.org_id),
                recipient_org_path: Some(&r.org_path),
                title: &title,
                deadline: &r.next_review_on,
                day: &day,
                created_at: now,
            };
            if let Some(id) = notification::insert(tx.conn(), &new).await? {
                self.enqueue_deliveries(tx.conn(), id, &to, now).await?;
                created.push(Created {
                    id,
                    item_type: "risk_review".into(),
                    item_id: r.id,
                    stage: stage.into(),
                    recipient: to.key(),
                    title,
                    deadline: r.next_review_on.clone(),
                });
            }
        }
        tx.commit().await?;
        Ok(created)
    }

    pub(crate) async fn enqueue_deliveries(
        &self,
        c: &mut zeren_store::Conn,
        id: i64,
        to: &To,
        now: i64,
    ) -> AppResult<()> {
        if self.cfg.reminders.smtp.is_some() {
            for addr in
                notification::email_targets(c, to.person, to.org.as_ref().map(|o| o.0)).await?
            {
                notification::enqueue_delivery(c, id, "email", &addr, now).await?;
            }
        }
        if let Some(url) = &self.cfg.reminders.webhook_url {
            if notification::webhook_wanted(c, to.person).await? {
                notification::enqueue_delivery(c, id, "webhook", url, now).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(person: Option<i64>, leader: Option<i64>) -> DueItem {
        DueItem {
            item_type: "task".into(),
            id: 1,
            title: "t".into(),
            deadline: "2026-06-30".into(),
            remind_on: "0000-00-00".into(),
            org_id: 5,
            org_path: "/1/5/".into(),
            issuing_org_id: 1,
            issuing_org_path: "/1/".into(),
            person_id: person,
            leader_id: leader,
            remind_days: Some("10，2".into()),
        }
    }

    #[test]
    fn stages_go_to_the_person_the_leader_and_the_issuing_office() {
        let i = item(Some(7), Some(8));
        assert_eq!(recipient(&i, Stage::Before(3)).key(), "p7");
        assert_eq!(recipient(&i, Stage::Overdue).key(), "p7");
        assert_eq!(recipient(&i, Stage::Leader).key(), "p8");
        assert_eq!(recipient(&i, Stage::Supervise).key(), "o1");
        // nobody named: the responsible org's office
        let i = item(None, None);
        assert_eq!(recipient(&i, Stage::Due).key(), "o5");
        assert_eq!(recipient(&i, Stage::Leader).key(), "o5");
    }

    #[test]
    fn a_plan_can_carry_its_own_lead_days() {
        let p = policy_for(&Policy::default(), &item(None, None));
        assert_eq!(p.lead_days, vec![10, 2]);
        assert_eq!(p.leader_after, 3);
    }
}
