//! The rectification report's deadline in the reminder engine: once a day, every target
//! unit fed back whose report (整改情况报告) is not in and falls due within
//! `REPORT_LEAD_DAYS` is told once (`inspection-report-due`), and once more when the
//! day has passed (`inspection-report-overdue`). The key is (target, due day, stage):
//! UNIQUE in `notifications`, so a restart or a second engine never tells twice; the
//! daily job is claimed in `job_runs` like the risk-point reviews. The problems
//! themselves are reminded and escalated by the ordinary ledger engine (their measures).
use chrono::NaiveDate;
use zeren_core::inspection::{report_stage, REPORT_LEAD_DAYS};
use zeren_store::notification::{self, NewNotification};

use crate::reminder::{Created, To};
use crate::{clock, App, AppResult};

impl App {
    /// Once a day, every survey's responses are rewritten under fresh random ids in
    /// one transaction (`rewrite_responses`): what the engine keeps below SQL — on
    /// PostgreSQL each row's inserting transaction id (`xmin`) and its place in the
    /// heap, in SQLite the rowid order of nothing (the tables are WITHOUT ROWID) — then
    /// says no more than "answered before this day". Claimed in `job_runs` like the
    /// other daily jobs. Returns the responses rewritten.
    pub async fn inspection_survey_rewrite(&self, today: NaiveDate) -> AppResult<usize> {
        const JOB: &str = "inspection-survey-rewrite";
        let day = today.format("%Y-%m-%d").to_string();
        {
            let mut c = self.store.conn().await?;
            if notification::job_ran(&mut c, JOB, &day).await? {
                return Ok(0);
            }
        }
        let mut tx = self.store.begin_write().await?;
        if !notification::claim_job(tx.conn(), JOB, &day, clock::now()).await? {
            return Ok(0);
        }
        let mut n = 0;
        for sid in zeren_store::inspection::surveys_with_responses(tx.conn()).await? {
            n += zeren_store::inspection::rewrite_responses(tx.conn(), sid, || {
                hex::encode(rand::random::<[u8; 16]>())
            })
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    pub(crate) async fn inspection_report_notifications(
        &self,
        today: NaiveDate,
    ) -> AppResult<Vec<Created>> {
        self.inspection_survey_rewrite(today).await?;
        const JOB: &str = "inspection-reports";
        let day = today.format("%Y-%m-%d").to_string();
        {
            let mut c = self.store.conn().await?;
            if notification::job_ran(&mut c, JOB, &day).await? {
                return Ok(Vec::new());
            }
        }
        let due_by = (today + chrono::Duration::days(REPORT_LEAD_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        let now = clock::now();
        let mut tx = self.store.begin_write().await?;
        if !notification::claim_job(tx.conn(), JOB, &day, now).await? {
            return Ok(Vec::new());
        }
        let targets = zeren_store::inspection::reports_due(tx.conn(), &due_by).await?;
        let mut created = Vec::new();
        for t in &targets {
            let Some(due) = t
                .report_due
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            else {
                continue;
            };
            let Some(stage) = report_stage(due, false, today, REPORT_LEAD_DAYS) else {
                continue;
            };
            let due_s = due.format("%Y-%m-%d").to_string();
            let key = format!("inspection_report:{}:{due_s}:{stage}", t.id);
            let title = format!(
                "{}年第{}轮巡察整改情况报告（{}）",
                t.round_year, t.round_number, t.org_name
            );
            let to = To {
                person: None,
                org: Some((t.org_id, t.org_path.clone())),
            };
            let new = NewNotification {
                key: &key,
                item_type: "inspection_report",
                item_id: t.id,
                stage,
                org_id: t.org_id,
                org_path: &t.org_path,
                recipient_person_id: None,
                recipient_org_id: Some(t.org_id),
                recipient_org_path: Some(&t.org_path),
                title: &title,
                deadline: &due_s,
                day: &day,
                created_at: now,
            };
            if let Some(id) = notification::insert(tx.conn(), &new).await? {
                self.enqueue_deliveries(tx.conn(), id, &to, now).await?;
                created.push(Created {
                    id,
                    item_type: "inspection_report".into(),
                    item_id: t.id,
                    stage: stage.into(),
                    recipient: to.key(),
                    title,
                    deadline: due_s,
                });
            }
        }
        tx.commit().await?;
        Ok(created)
    }
}
