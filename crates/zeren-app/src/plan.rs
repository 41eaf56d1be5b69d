//! Annual plans created from templates in the library (`library/plans/*.toml`),
//! which ship inside the binary.
use chrono::NaiveDate;
use serde::Deserialize;
use zeren_core::{Permission, TaskState};
use zeren_store::plan::{self, PlanRow};
use zeren_store::task::{self as task_store, TaskRow};

use crate::audit::{self, AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult};

#[derive(Debug, Clone, Deserialize)]
pub struct PlanTemplate {
    pub key: String,
    pub title: String,
    pub version: i64,
    #[serde(default)]
    pub description: String,
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Category {
    pub name: String,
    pub duties: Vec<Duty>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Duty {
    pub title: String,
    pub content: String,
    pub subject: String,
    pub due: String,
    #[serde(default)]
    pub cadence: Option<String>,
    #[serde(default)]
    pub basis: Option<String>,
}

/// The templates compiled into the binary.
const TEMPLATES: &[&str] = &[include_str!(
    "../../../library/plans/health-commission-annual.toml"
)];

pub fn subject_label(s: &str) -> &'static str {
    match s {
        "committee" => "党委主体责任",
        "secretary" => "书记第一责任人",
        "team_member" => "班子成员一岗双责",
        "discipline" => "纪检监督责任",
        _ => "",
    }
}

pub fn templates() -> Vec<PlanTemplate> {
    TEMPLATES
        .iter()
        .filter_map(|t| toml::from_str(t).ok())
        .collect()
}

pub fn template(key: &str) -> Option<PlanTemplate> {
    templates().into_iter().find(|t| t.key == key)
}

impl Duty {
    /// The deadline of this duty in `year`.
    pub fn deadline_in(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&format!("{year}-{}", self.due), "%Y-%m-%d").ok()
    }
}

impl App {
    /// Creates the year's plan for `org_id` from a template: one task per duty,
    /// responsible org = the issuing org, ready to be decomposed downwards.
    pub async fn plan_create(
        &self,
        actor: &Actor,
        org_id: i64,
        year: i32,
        template_key: &str,
    ) -> AppResult<i64> {
        let t = template(template_key)
            .ok_or_else(|| crate::error::invalid("template", "模板不存在"))?;
        if !(2000..=2100).contains(&year) {
            return Err(crate::error::invalid("year", "年度应在2000至2100之间"));
        }
        let mut tx = self.store.begin_write().await?;
        let org = zeren_store::org::get(tx.conn(), org_id)
            .await
            .map_err(|_| AppError::NotFound)?;
        actor.require_at(
            Permission::WriteScope,
            &org.path,
            "只能为本级组织制定年度任务安排",
        )?;
        let now = clock::now();
        let title = format!("{year}年度{}", t.title);
        let plan_id = plan::insert(
            tx.conn(),
            &PlanRow {
                id: 0,
                year: year as i64,
                title: title.clone(),
                org_id,
                template_key: Some(t.key.clone()),
                created_by: Some(actor.user_id),
                created_at: now,
            },
        )
        .await?;
        for cat in &t.categories {
            for d in &cat.duties {
                let deadline = d
                    .deadline_in(year)
                    .ok_or_else(|| AppError::Conflict(format!("模板期限无效：{}", d.due)))?;
                let mut content = d.content.clone();
                if let Some(b) = &d.basis {
                    content.push_str(&format!("\n依据：{b}"));
                }
                task_store::insert(
                    tx.conn(),
                    &TaskRow {
                        id: 0,
                        plan_id: Some(plan_id),
                        parent_id: None,
                        org_id,
                        org_path: org.path.clone(),
                        issuing_org_id: org_id,
                        category: cat.name.clone(),
                        subject: d.subject.clone(),
                        title: d.title.clone(),
                        content,
                        leader_id: None,
                        person_id: None,
                        deadline: deadline.to_string(),
                        state: TaskState::NotStarted.as_str().into(),
                        created_at: now,
                        updated_at: now,
                        completed_at: None,
                    },
                )
                .await?;
            }
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::PlanCreate, "plan", plan_id, &org.path).detail(title),
        )
        .await?;
        tx.commit().await?;
        Ok(plan_id)
    }

    pub async fn plans(&self, actor: &Actor) -> AppResult<Vec<PlanRow>> {
        let mut c = self.store.conn().await?;
        let paths = match actor.read_scope() {
            zeren_store::Scope::Subtrees(p) => p,
            _ => return Ok(Vec::new()),
        };
        Ok(plan::visible(&mut c, &paths).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_templates_parse_and_have_valid_dates() {
        let all = templates();
        assert_eq!(all.len(), TEMPLATES.len(), "every shipped template parses");
        for t in all {
            assert!(!t.categories.is_empty());
            for c in &t.categories {
                for d in &c.duties {
                    assert!(d.deadline_in(2026).is_some(), "{}: due {}", d.title, d.due);
                    assert!(
                        !subject_label(&d.subject).is_empty(),
                        "{}: subject {}",
                        d.title,
                        d.subject
                    );
                }
            }
        }
    }
}
