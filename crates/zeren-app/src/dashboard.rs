//! Figures for the current scope, every one computed from records.
use serde::Serialize;
use zeren_store::org::OrgRow;
use zeren_store::problem::ProblemFilter;
use zeren_store::task::TaskFilter;
use zeren_store::{counters, Scope};

use crate::{clock, Actor, App, AppError, AppResult};

#[derive(Debug, Clone, Serialize)]
pub struct ChildFigures {
    pub org_id: i64,
    pub name: String,
    pub tasks_total: i64,
    pub tasks_done: i64,
    pub tasks_overdue: i64,
    pub problems_total: i64,
    pub problems_closed: i64,
    pub problems_overdue: i64,
}

impl ChildFigures {
    pub fn task_pct(&self) -> i64 {
        pct(self.tasks_done, self.tasks_total)
    }
    pub fn rectify_pct(&self) -> i64 {
        pct(self.problems_closed, self.problems_total)
    }
}

pub fn pct(a: i64, b: i64) -> i64 {
    if b == 0 {
        0
    } else {
        a * 100 / b
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub org: OrgRow,
    pub tasks_total: i64,
    pub tasks_done: i64,
    pub tasks_pending_review: i64,
    pub tasks_overdue: i64,
    pub problems_total: i64,
    pub problems_closed: i64,
    pub problems_pending_review: i64,
    pub problems_overdue: i64,
    pub children: Vec<ChildFigures>,
    /// This year's organisational life in the scope, counted from the records.
    pub org_life: Vec<OrgLifeFigure>,
    pub year: i32,
}

/// One line of the 组织生活 figures: "第一议题学习 25 次".
#[derive(Debug, Clone, Serialize)]
pub struct OrgLifeFigure {
    pub label: &'static str,
    pub n: i64,
    /// Activity kinds behind the figure, for the link to the records.
    pub kind: Option<&'static str>,
}

/// The figures seed 003 reports (第一议题, 中心组, 三会一课, 主题党日 …), from per-kind counts.
pub fn org_life_figures(counts: &[(String, i64, i64)]) -> Vec<OrgLifeFigure> {
    use zeren_core::activity::ActivityKind as K;
    let n = |k: K| {
        counts
            .iter()
            .filter(|c| c.0 == k.as_str())
            .map(|c| c.1)
            .sum::<i64>()
    };
    let first_topic: i64 = counts
        .iter()
        .filter(|c| c.0 == K::CommitteeMeeting.as_str())
        .map(|c| c.2)
        .sum();
    let three: i64 = K::ALL
        .iter()
        .filter(|k| k.is_three_meetings_one_lecture())
        .map(|&k| n(k))
        .sum();
    let mut v = vec![
        OrgLifeFigure {
            label: "第一议题学习",
            n: first_topic,
            kind: Some(K::CommitteeMeeting.as_str()),
        },
        OrgLifeFigure {
            label: "理论学习中心组学习",
            n: n(K::CentralGroupStudy),
            kind: Some(K::CentralGroupStudy.as_str()),
        },
        OrgLifeFigure {
            label: "“三会一课”",
            n: three,
            kind: None,
        },
    ];
    for k in [
        K::ThemeDay,
        K::OrgLife,
        K::MemberAppraisal,
        K::DemocraticLife,
        K::Training,
        K::Research,
        K::WarningEducation,
        K::Volunteer,
    ] {
        v.push(OrgLifeFigure {
            label: k.label(),
            n: n(k),
            kind: Some(k.as_str()),
        });
    }
    v
}

impl Dashboard {
    pub fn task_pct(&self) -> i64 {
        pct(self.tasks_done, self.tasks_total)
    }
    pub fn rectify_pct(&self) -> i64 {
        pct(self.problems_closed, self.problems_total)
    }
}

impl App {
    /// Figures for org `org_id` (default: the actor's home org), and per direct child.
    pub async fn dashboard(&self, actor: &Actor, org_id: Option<i64>) -> AppResult<Dashboard> {
        let mut c = self.store.conn().await?;
        let home = match org_id.or_else(|| actor.home().map(|r| r.org_id)) {
            Some(id) => id,
            None => return Err(AppError::NotFound),
        };
        let org = self.org_visible(&mut c, actor, home).await?;
        let scope = actor.read_scope();
        if !scope.contains_path(&org.path) {
            return Err(AppError::NotFound);
        }
        let s = Scope::Subtrees(vec![org.path.clone()]);
        let today = clock::today_str();
        let tasks_total = counters::sum(&mut c, "task", &s, None, &[]).await?;
        let tasks_done = counters::sum(&mut c, "task", &s, None, &["done"]).await?;
        let tasks_pending_review =
            counters::sum(&mut c, "task", &s, None, &["pending_review"]).await?;
        let tasks_overdue = zeren_store::task::count(
            &mut c,
            &s,
            &TaskFilter {
                overdue_on: Some(today.clone()),
                ..Default::default()
            },
        )
        .await?;
        let problems_total = counters::sum(&mut c, "problem", &s, None, &[]).await?;
        let problems_closed = counters::sum(&mut c, "problem", &s, None, &["closed"]).await?;
        let problems_pending_review =
            counters::sum(&mut c, "problem", &s, None, &["pending_review"]).await?;
        let problems_overdue = zeren_store::problem::count(
            &mut c,
            &s,
            &ProblemFilter {
                overdue_on: Some(today.clone()),
                ..Default::default()
            },
        )
        .await?;
        let tk = zeren_store::task::by_child_org(&mut c, org.id, &today).await?;
        let pb = zeren_store::problem::by_child_org(&mut c, org.id, &today).await?;
        let children = tk
            .into_iter()
            .zip(pb)
            .map(|(t, p)| ChildFigures {
                org_id: t.0,
                name: t.1,
                tasks_total: t.3,
                tasks_done: t.4,
                tasks_overdue: t.5,
                problems_total: p.3,
                problems_closed: p.4,
                problems_overdue: p.5,
            })
            .collect();
        use chrono::Datelike;
        let year = clock::today().year();
        let org_life =
            org_life_figures(&zeren_store::activity::year_counts(&mut c, &org.path, year).await?);
        Ok(Dashboard {
            org_life,
            year,
            org,
            tasks_total,
            tasks_done,
            tasks_pending_review,
            tasks_overdue,
            problems_total,
            problems_closed,
            problems_pending_review,
            problems_overdue,
            children,
        })
    }
}

/// What waits for the actor: due soon, overdue, and to review.
pub struct Workbench {
    pub due_soon: crate::Page<zeren_store::task::TaskListRow>,
    pub overdue_tasks: crate::Page<zeren_store::task::TaskListRow>,
    pub overdue_problems: crate::Page<zeren_store::problem::ProblemListRow>,
    pub review_tasks: crate::Page<zeren_store::task::TaskListRow>,
    pub review_problems: crate::Page<zeren_store::problem::ProblemListRow>,
}

const OPEN_TASK_STATES: [&str; 4] = ["not_started", "in_progress", "returned", "pending_review"];

impl App {
    pub async fn workbench(&self, actor: &Actor) -> AppResult<Workbench> {
        let today = clock::today();
        let soon = (today + chrono::Duration::days(14)).to_string();
        let paging = crate::Paging::new(Some(1), Some(10));
        let open: Vec<String> = OPEN_TASK_STATES[..3]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // a person sees their own items; an office sees its scope
        let person = if actor.has(zeren_core::Permission::ReadScope) {
            None
        } else {
            actor.person_id
        };
        let due_soon = self
            .tasks(
                actor,
                TaskFilter {
                    states: open.clone(),
                    due_before: Some(soon),
                    person_id: person,
                    ..Default::default()
                },
                paging,
            )
            .await?;
        let overdue_tasks = self
            .tasks(
                actor,
                TaskFilter {
                    overdue_on: Some(today.to_string()),
                    person_id: person,
                    ..Default::default()
                },
                paging,
            )
            .await?;
        let overdue_problems = self
            .problems(
                actor,
                ProblemFilter {
                    overdue_on: Some(today.to_string()),
                    person_id: person,
                    ..Default::default()
                },
                paging,
            )
            .await?;
        let review_paths = actor.paths_for(zeren_core::Permission::Review);
        let (review_tasks, review_problems) = match review_paths.first() {
            Some(p) => (
                self.tasks(
                    actor,
                    TaskFilter {
                        states: vec!["pending_review".into()],
                        issued_under: Some(p.clone()),
                        ..Default::default()
                    },
                    paging,
                )
                .await?,
                self.problems(
                    actor,
                    ProblemFilter {
                        states: vec!["pending_review".into()],
                        issued_under: Some(p.clone()),
                        ..Default::default()
                    },
                    paging,
                )
                .await?,
            ),
            None => (
                crate::Page {
                    items: vec![],
                    total: 0,
                    page: 1,
                    per_page: 10,
                },
                crate::Page {
                    items: vec![],
                    total: 0,
                    page: 1,
                    per_page: 10,
                },
            ),
        };
        Ok(Workbench {
            due_soon,
            overdue_tasks,
            overdue_problems,
            review_tasks,
            review_problems,
        })
    }
}
