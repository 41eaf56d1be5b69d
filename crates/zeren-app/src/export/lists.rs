//! The ledger lists as sheets: the same filters, scope and order as the list pages,
//! read a page at a time and written row by row. Their columns are the import
//! columns of `zeren_core::sheet`, 编号 first, so a sheet goes out and comes back in.
use std::collections::HashMap;
use std::fs::File;

use zeren_core::activity::ActivityKind;
use zeren_core::sheet::{self, code_of, SheetKind};
use zeren_core::{ProblemSource, ProblemState, TaskState};
use zeren_store::activity::ActivityFilter;
use zeren_store::problem::{ProblemExportRow, ProblemFilter};
use zeren_store::task::TaskFilter;
use zeren_store::{Conn, Sql, StoreError};

use super::{Cell, Col, OrgNames, SheetSink, SheetSpec, Tone};
use crate::actor::Actor;
use crate::audit::{AuditAction, Event};
use crate::{App, AppResult};

/// Rows read before their details (descriptions, measures, org names) are fetched in
/// one query each: the list is read once, in order, in chunks of this size.
pub(super) const CHUNK: usize = 1000;

/// A finished export: the workbook in a temporary file and what it holds.
#[derive(Debug)]
pub struct Exported {
    pub file: File,
    pub rows: usize,
    /// The download name, e.g. 问题整改台账.xlsx.
    pub filename: String,
}

/// Width in characters of an import column in an export.
fn width(key: &str) -> f64 {
    match key {
        "title" | "description" | "measures" | "content" | "decisions" | "topic" => 40.0,
        "org" | "progress" | "observers" => 22.0,
        "code" | "seq" => 9.0,
        "expected" | "present" | "leave" => 8.0,
        _ => 13.0,
    }
}

fn spec(kind: SheetKind, title: &str, scope: String) -> SheetSpec {
    SheetSpec {
        name: title.to_string(),
        title: title.to_string(),
        scope,
        columns: sheet::columns(kind)
            .iter()
            .map(|c| Col::new(c.header, width(c.key)))
            .collect(),
    }
}

/// A row in the order of `sheet::columns(kind)`, from the values by column key. A
/// dozen keys are found faster by looking than by hashing, once per exported row.
fn ordered<const N: usize>(kind: SheetKind, values: [(&'static str, Cell); N]) -> Vec<Cell> {
    let mut values: Vec<Option<(&'static str, Cell)>> = values.into_iter().map(Some).collect();
    sheet::columns(kind)
        .iter()
        .map(|c| {
            values
                .iter_mut()
                .find(|v| v.as_ref().is_some_and(|(k, _)| *k == c.key))
                .and_then(Option::take)
                .map(|(_, cell)| cell)
                .unwrap_or(Cell::Text(String::new()))
        })
        .collect()
}

fn problem_tone(state: &str, deadline: &str, today: &str) -> Tone {
    match ProblemState::parse(state) {
        Some(ProblemState::Closed) => Tone::Good,
        _ if deadline < today => Tone::Bad,
        Some(ProblemState::PendingReview) => Tone::Warn,
        _ => Tone::Plain,
    }
}

fn task_tone(state: &str, deadline: &str, today: &str) -> Tone {
    match TaskState::parse(state) {
        Some(TaskState::Done) => Tone::Good,
        _ if deadline < today => Tone::Bad,
        Some(TaskState::PendingReview) | Some(TaskState::Returned) => Tone::Warn,
        _ => Tone::Plain,
    }
}

/// Org path (and, for tasks, content) of each row, by id, from one table.
async fn paths_of(
    c: &mut Conn,
    table: &str,
    extra: &str,
    ids: &[i64],
) -> AppResult<HashMap<i64, (String, String)>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    // `table` and `extra` are this module's constants, never user input
    let mut s = Sql::new(&format!(
        "SELECT id, org_path, {extra} FROM {table} WHERE id IN "
    ));
    s.push_id_set(c, ids);
    let rows: Vec<(i64, String, String)> = s
        .query_as()
        .fetch_all(&mut *c)
        .await
        .map_err(StoreError::from)?;
    for (id, path, x) in rows {
        out.insert(id, (path, x));
    }
    Ok(out)
}

/// A problem's row of the ledger sheet (on the writer's thread).
fn problem_cells(mut p: ProblemExportRow, label: String, today: &str) -> Vec<Cell> {
    let ms = p.measures();
    let done = ms.iter().filter(|(_, d)| *d).count();
    let numbered: Vec<String> = ms
        .iter()
        .enumerate()
        .map(|(i, (m, _))| format!("{}.{m}", i + 1))
        .collect();
    let state = ProblemState::parse(&p.state)
        .map(|s| s.label())
        .unwrap_or("");
    let progress = if !ms.is_empty() {
        format!("{state}（措施{done}/{}完成）", ms.len())
    } else {
        state.to_string()
    };
    let v = [
        (sheet::CODE, Cell::text(code_of(SheetKind::Problems, p.id))),
        (
            "source",
            Cell::text(
                ProblemSource::parse(&p.source)
                    .map(|s| s.label())
                    .unwrap_or(""),
            ),
        ),
        ("source_ref", Cell::opt(&p.source_ref)),
        ("org", Cell::text(label)),
        ("title", Cell::Long(std::mem::take(&mut p.title))),
        (
            "description",
            Cell::Long(std::mem::take(&mut p.description)),
        ),
        ("category", Cell::text(std::mem::take(&mut p.category))),
        ("leader", Cell::opt(&p.leader_name)),
        ("department", Cell::opt(&p.department)),
        ("person", Cell::opt(&p.person_name)),
        ("measures", Cell::Long(numbered.join("\n"))),
        ("found_on", Cell::day(Some(&p.found_on))),
        ("deadline", Cell::day(Some(&p.deadline))),
        (
            "progress",
            Cell::State(progress, problem_tone(&p.state, &p.deadline, today)),
        ),
    ];
    ordered(SheetKind::Problems, v)
}

/// A person's row of the roster sheet, in the words the people import reads back.
fn person_cells(p: zeren_store::roster::RosterExportRow, label: String) -> Vec<Cell> {
    let pick = |t: &[(&'static str, &'static str)], k: &str| {
        t.iter()
            .find(|(key, _)| *key == k)
            .map(|(_, l)| *l)
            .unwrap_or("")
    };
    let v = [
        (sheet::CODE, Cell::text(code_of(SheetKind::People, p.id))),
        ("name", Cell::text(p.name)),
        ("gender", Cell::opt(&p.gender)),
        ("org", Cell::text(label)),
        (
            "party_status",
            Cell::text(pick(&crate::person::PARTY_STATUSES, &p.party_status)),
        ),
        ("born_on", Cell::day(p.born_on.as_deref())),
        ("applied_on", Cell::day(p.applied_on.as_deref())),
        ("activist_on", Cell::day(p.activist_on.as_deref())),
        ("candidate_on", Cell::day(p.candidate_on.as_deref())),
        ("joined_on", Cell::day(p.joined_on.as_deref())),
        ("full_on", Cell::day(p.full_on.as_deref())),
        ("title", Cell::opt(&p.title)),
        ("cadre_rank", Cell::opt(&p.cadre_rank)),
        (
            "position",
            Cell::text(
                p.position
                    .as_deref()
                    .map(|k| pick(&crate::person::POSITION_KINDS, k))
                    .unwrap_or(""),
            ),
        ),
        ("portfolio", Cell::opt(&p.portfolio)),
        (
            "contact_state",
            Cell::text(pick(&crate::roster::CONTACT_STATES, &p.contact_state)),
        ),
        ("last_contact_on", Cell::day(p.last_contact_on.as_deref())),
        (
            "pocket",
            Cell::text(if p.pocket != 0 { "是" } else { "否" }),
        ),
        (
            "dues_kind",
            Cell::text(
                zeren_core::dues::DuesKind::parse(&p.dues_kind)
                    .map(|k| k.label())
                    .unwrap_or(""),
            ),
        ),
    ];
    ordered(SheetKind::People, v)
}

impl App {
    pub(super) async fn audit_export(&self, actor: &Actor, entity: &str, rows: usize) {
        // an export is recorded whether or not the audit write succeeds; the audit
        // log's own failure is reported by `audit_alone`
        let _ = self
            .audit_alone(
                actor.audit_id(),
                &actor.username,
                &actor.source,
                Event::ok(AuditAction::Export, entity, "", "").detail(format!("{rows} 行")),
            )
            .await;
    }

    /// 问题整改台账: the problems list as filtered, with each problem's measures.
    pub async fn export_problems(
        &self,
        actor: &Actor,
        f: ProblemFilter,
        scope: String,
    ) -> AppResult<Exported> {
        let title = "问题整改台账";
        let today = crate::clock::today_str();
        let sink = SheetSink::spawn(
            &spec(SheetKind::Problems, title, scope),
            move |(p, label): (ProblemExportRow, String)| problem_cells(p, label, &today),
        )?;
        let mut names = OrgNames::default();
        let mut c = self.store.conn().await?;
        let mut c2 = self.store.conn().await?;
        let sql = zeren_store::problem::export_sql(&mut c, &actor.read_scope(), &f).await?;
        let mut chunks = sql.chunks::<zeren_store::problem::ProblemExportRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            let paths: Vec<&str> = items.iter().map(|p| p.org_path.as_str()).collect();
            names.load(&mut c2, &paths).await?;
            let out: Vec<_> = items
                .into_iter()
                .map(|p| {
                    let label = names.label_of(&p.org_path);
                    (p, label)
                })
                .collect();
            if !sink.send(out).await {
                break;
            }
        }
        drop(chunks);
        drop((c, c2));
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "problem", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }

    /// 人员及党员名册: the roster as filtered, in the people import's columns.
    pub async fn export_people(
        &self,
        actor: &Actor,
        q: crate::roster::RosterQuery,
        scope: String,
    ) -> AppResult<Exported> {
        let title = "人员及党员名册";
        let sink = SheetSink::spawn(
            &spec(SheetKind::People, title, scope),
            |(p, label): (zeren_store::roster::RosterExportRow, String)| person_cells(p, label),
        )?;
        let f = zeren_store::roster::RosterFilter {
            org_path: q.org_path,
            q: q.q,
            party_status: q.status,
            lost: q.lost,
            pocket: q.pocket,
            arrears: q.arrears,
            left: q.left,
            today: crate::clock::today_str(),
            offset: 0,
            limit: 0,
        };
        let mut names = OrgNames::default();
        let mut c = self.store.conn().await?;
        let mut c2 = self.store.conn().await?;
        let sql = zeren_store::roster::export_sql(&actor.read_scope(), &f);
        let mut chunks = sql.chunks::<zeren_store::roster::RosterExportRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            let paths: Vec<&str> = items.iter().map(|p| p.org_path.as_str()).collect();
            names.load(&mut c2, &paths).await?;
            let out: Vec<_> = items
                .into_iter()
                .map(|p| {
                    let label = names.label_of(&p.org_path);
                    (p, label)
                })
                .collect();
            if !sink.send(out).await {
                break;
            }
        }
        drop(chunks);
        drop((c, c2));
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "person", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }

    /// 责任清单: the tasks list as filtered.
    pub async fn export_tasks(
        &self,
        actor: &Actor,
        f: TaskFilter,
        scope: String,
    ) -> AppResult<Exported> {
        let title = "责任清单";
        let sink = SheetSink::spawn(&spec(SheetKind::Tasks, title, scope), |cells| cells)?;
        let today = crate::clock::today_str();
        let mut names = OrgNames::default();
        let mut c = self.store.conn().await?;
        let mut c2 = self.store.conn().await?;
        let sql = zeren_store::task::export_sql(&mut c, &actor.read_scope(), &f).await?;
        let mut chunks = sql.chunks::<zeren_store::task::TaskListRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            let mut out = Vec::with_capacity(items.len());
            let ids: Vec<i64> = items.iter().map(|t| t.id).collect();
            let details = paths_of(&mut c2, "tasks", "content", &ids).await?;
            let paths: Vec<&str> = details.values().map(|(p, _)| p.as_str()).collect();
            names.load(&mut c2, &paths).await?;
            for t in &items {
                let (path, content) = details.get(&t.id).cloned().unwrap_or_default();
                let state = TaskState::parse(&t.state).map(|s| s.label()).unwrap_or("");
                let v = [
                    (sheet::CODE, Cell::text(code_of(SheetKind::Tasks, t.id))),
                    ("category", Cell::text(t.category.clone())),
                    ("title", Cell::Long(t.title.clone())),
                    ("content", Cell::Long(content)),
                    (
                        "subject",
                        Cell::text(crate::plan::subject_label(&t.subject)),
                    ),
                    ("org", Cell::text(names.label_of(&path))),
                    ("leader", Cell::opt(&t.leader_name)),
                    ("person", Cell::opt(&t.person_name)),
                    ("deadline", Cell::day(Some(&t.deadline))),
                    (
                        "state",
                        Cell::State(state.to_string(), task_tone(&t.state, &t.deadline, &today)),
                    ),
                ];
                out.push(ordered(SheetKind::Tasks, v));
            }
            if !sink.send(out).await {
                break;
            }
        }
        drop(chunks);
        drop((c, c2));
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "task", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }

    /// 组织生活记录: the activities list as filtered.
    pub async fn export_activities(
        &self,
        actor: &Actor,
        f: ActivityFilter,
        scope: String,
    ) -> AppResult<Exported> {
        let title = "组织生活记录";
        let sink = SheetSink::spawn(&spec(SheetKind::Activities, title, scope), |cells| cells)?;
        let mut names = OrgNames::default();
        let mut c = self.store.conn().await?;
        let mut c2 = self.store.conn().await?;
        let sql = zeren_store::activity::export_sql(&mut c, &actor.read_scope(), &f).await?;
        let mut chunks = sql.chunks::<zeren_store::activity::ActivityListRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            let mut out = Vec::with_capacity(items.len());
            let ids: Vec<i64> = items.iter().map(|a| a.id).collect();
            let details = paths_of(&mut c2, "activities", "state", &ids).await?;
            let paths: Vec<&str> = details.values().map(|(p, _)| p.as_str()).collect();
            names.load(&mut c2, &paths).await?;
            for a in &items {
                let path = details.get(&a.id).map(|d| d.0.clone()).unwrap_or_default();
                let held = a.held_on.is_some() && a.state == "held";
                let when = |d: &Option<String>| {
                    let day = d.as_deref().map(|s| s.get(..10).unwrap_or(s)).unwrap_or("");
                    match (&a.start_time, &a.end_time) {
                        (Some(s), Some(e)) if !day.is_empty() => format!("{day} {s}-{e}"),
                        (Some(s), None) if !day.is_empty() => format!("{day} {s}"),
                        _ => day.to_string(),
                    }
                };
                let v = [
                    (
                        sheet::CODE,
                        Cell::text(code_of(SheetKind::Activities, a.id)),
                    ),
                    ("org", Cell::text(names.label_of(&path))),
                    (
                        "kind",
                        Cell::text(
                            ActivityKind::parse(&a.kind)
                                .map(|k| k.label())
                                .unwrap_or(""),
                        ),
                    ),
                    ("title", Cell::text(a.title.clone())),
                    (
                        "state",
                        Cell::State(
                            crate::activity::state_label(&a.state).to_string(),
                            match a.state.as_str() {
                                "held" => Tone::Good,
                                "cancelled" => Tone::Warn,
                                _ => Tone::Plain,
                            },
                        ),
                    ),
                    (
                        "held_on",
                        Cell::text(if held {
                            when(&a.held_on)
                        } else {
                            String::new()
                        }),
                    ),
                    ("planned_on", Cell::day(a.planned_on.as_deref())),
                    ("place", Cell::opt(&a.place)),
                    ("host", Cell::opt(&a.host_name)),
                    ("recorder", Cell::opt(&a.recorder_name)),
                    ("expected", Cell::Int(a.expected_count)),
                    ("present", Cell::Int(a.present_count)),
                    ("leave", Cell::Int(a.leave_count)),
                    ("observers", Cell::opt(&a.observers)),
                    ("topic", Cell::Long(a.topic.clone().unwrap_or_default())),
                    ("content", Cell::Long(a.content.clone().unwrap_or_default())),
                    (
                        "decisions",
                        Cell::Long(a.decisions.clone().unwrap_or_default()),
                    ),
                ];
                out.push(ordered(SheetKind::Activities, v));
            }
            if !sink.send(out).await {
                break;
            }
        }
        drop(chunks);
        drop((c, c2));
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "activity", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }
}

/// The parent's path of an org path (`/1/5/23/` → `/1/5/`); the root has none.
fn parent_path(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('/')?;
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| &path[..=cut])
}

/// An org's row of the 党组织 sheet: the parent named as the import resolves it.
fn org_cells(o: zeren_store::org::OrgRow, parent: String) -> Vec<Cell> {
    let kind = zeren_core::OrgKind::parse(&o.kind)
        .map(|k| k.label())
        .unwrap_or("");
    ordered(
        SheetKind::Orgs,
        [
            (sheet::CODE, Cell::text(code_of(SheetKind::Orgs, o.id))),
            ("name", Cell::text(o.name)),
            ("kind", Cell::text(kind)),
            ("parent", Cell::text(parent)),
            ("org_code", Cell::opt(&o.code)),
            ("term_start", Cell::day(o.term_start.as_deref())),
            ("term_end", Cell::day(o.term_end.as_deref())),
        ],
    )
}

impl App {
    /// 党组织: the open orgs of the actor's scope (under `under` when given), parents
    /// first, in the org import's columns — so the sheet comes back in unchanged.
    pub async fn export_orgs(
        &self,
        actor: &Actor,
        under: Option<String>,
        scope: String,
    ) -> AppResult<Exported> {
        let title = SheetKind::Orgs.label();
        let sink = SheetSink::spawn(
            &spec(SheetKind::Orgs, title, scope),
            |(o, parent): (zeren_store::org::OrgRow, String)| org_cells(o, parent),
        )?;
        let mut names = OrgNames::default();
        let mut c = self.store.conn().await?;
        let mut c2 = self.store.conn().await?;
        let sql = zeren_store::org::export_sql(&actor.read_scope(), under.as_deref());
        let mut chunks = sql.chunks::<zeren_store::org::OrgRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            let paths: Vec<&str> = items.iter().map(|o| o.path.as_str()).collect();
            names.load(&mut c2, &paths).await?;
            let out: Vec<_> = items
                .into_iter()
                .map(|o| {
                    let parent = parent_path(&o.path)
                        .map(|p| names.label_of(p))
                        .unwrap_or_default();
                    (o, parent)
                })
                .collect();
            if !sink.send(out).await {
                break;
            }
        }
        drop(chunks);
        drop((c, c2));
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "org", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parent_path;

    #[test]
    fn parent_of_a_path() {
        assert_eq!(parent_path("/1/5/23/"), Some("/1/5/"));
        assert_eq!(parent_path("/1/5/"), Some("/1/"));
        assert_eq!(parent_path("/1/"), None);
        assert_eq!(parent_path(""), None);
    }
}
