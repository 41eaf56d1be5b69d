//! The annual report (年度履行全面从严治党主体责任情况报告) of an org: figures counted from
//! the records of its subtree and year, the narrative of 一、工作成效 as the user edited
//! it (tokens filled live), 二、存在问题 from the org's own open problems and 三、下一步
//! from their open measures; shown on a page and written as an official `.docx`.
use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone};
use zeren_core::report::{self, Piece, Records, Section, FIGURES, SELF_SOURCES, THREE_ONE};
use zeren_core::Permission;
use zeren_docx::{Block, OfficialDoc, Run, Signature};
use zeren_store::org::OrgRow;
use zeren_store::report::{self as store, OpenMeasure, OpenProblem};

pub use zeren_store::report::{OpenMeasure as OpenMeasureRow, OpenProblem as OpenProblemRow};

use crate::actor::Actor;
use crate::audit::{self, AuditAction, Event};
use crate::error::{invalid, AppError, AppResult};
use crate::{clock, App};

/// Open problems and measures listed in the report at most.
const LISTED: i64 = 20;

#[derive(Debug, Clone)]
pub struct AnnualReport {
    pub org: OrgRow,
    pub year: i32,
    pub values: HashMap<&'static str, i64>,
    /// 一、工作成效 as edited (or the default wording).
    pub achievements: Vec<Section>,
    /// When the narrative was last saved; `None` for the default wording.
    pub edited_at: Option<i64>,
    pub problems: Vec<OpenProblem>,
    pub measures: Vec<OpenMeasure>,
}

impl AnnualReport {
    pub fn title(&self) -> String {
        report::title(&self.org.name, self.year)
    }
    pub fn value(&self, key: &str) -> i64 {
        self.values.get(key).copied().unwrap_or(0)
    }
}

/// Unix-second bounds of a calendar year in China Standard Time.
fn year_instants(year: i32) -> (i64, i64) {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!());
    let at = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| cst.from_local_datetime(&t).single())
            .map(|t| t.timestamp())
            .unwrap_or(0)
    };
    (at(year), at(year + 1))
}

fn check_year(year: i32) -> AppResult<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(invalid(
            "year",
            format!("年度 {year} 超出范围（2000–2100）"),
        ))
    }
}

impl App {
    /// Counts every figure of the report for the org's subtree and year.
    pub async fn report_figures(
        &self,
        org: &OrgRow,
        year: i32,
    ) -> AppResult<HashMap<&'static str, i64>> {
        // the large counts run on connections of their own, so the database works on
        // them at once (a province's year is millions of rows)
        let _wide = crate::WIDE_READS
            .acquire()
            .await
            .map_err(|e| AppError::Io(e.to_string()))?;
        let path = org.path.as_str();
        let (mut c1, mut c2, mut c3, mut c4) = (
            self.store.conn().await?,
            self.store.conn().await?,
            self.store.conn().await?,
            self.store.conn().await?,
        );
        let (from_ts, to_ts) = year_instants(year);
        let activities = store::activity_counts(&mut c1, path, year);
        let problems = store::problem_counts(&mut c2, path, year);
        let tasks = async {
            let tasks = store::task_counts(&mut c3, path, year).await?;
            let notices = store::notice_counts(&mut c3, path, from_ts, to_ts).await?;
            Ok::<_, zeren_store::StoreError>((tasks, notices))
        };
        let people = async {
            let accountability = store::accountability_count(&mut c4, path, year).await?;
            let new_members = store::new_member_count(&mut c4, path, year).await?;
            let reelections = store::reelection_count(&mut c4, path, year).await?;
            Ok::<_, zeren_store::StoreError>((accountability, new_members, reelections))
        };
        let (
            kinds,
            problems,
            ((tasks, tasks_done), (notices, answered)),
            (accountability, new_members, reelections),
        ) = tokio::try_join!(activities, problems, tasks, people)?;
        let held = |ks: &[&str]| -> i64 {
            ks.iter()
                .map(|k| kinds.get(*k).map(|c| c.held).unwrap_or(0))
                .sum()
        };
        let by_sources = |sources: &[&str], f: fn(&store::SourceCount) -> i64| -> i64 {
            problems
                .iter()
                .filter(|(s, _)| sources.is_empty() || sources.contains(&s.as_str()))
                .map(|(_, c)| f(c))
                .sum()
        };
        let mut v: HashMap<&'static str, i64> = HashMap::new();
        for f in FIGURES {
            let n = match f.key {
                "first_topic" => kinds
                    .get("committee_meeting")
                    .map(|c| c.first_topic)
                    .unwrap_or(0),
                "three_one" => held(THREE_ONE),
                "research_people" => kinds.get("research").map(|c| c.present).unwrap_or(0),
                "training_people" => kinds.get("training").map(|c| c.present).unwrap_or(0),
                "research_opinions" => kinds.get("research").map(|c| c.opinions).unwrap_or(0),
                "research_outcomes" => kinds.get("research").map(|c| c.outcomes).unwrap_or(0),
                "matters" => kinds.get("volunteer").map(|c| c.matters).unwrap_or(0),
                "research_problems" => by_sources(&["research"], |c| c.problems),
                "tasks" => tasks,
                "tasks_done" => tasks_done,
                "notices" => notices,
                "notices_answered" => answered,
                "accountability" => accountability,
                "self_problems" => by_sources(SELF_SOURCES, |c| c.problems),
                "self_measures" => by_sources(SELF_SOURCES, |c| c.measures),
                "self_measures_done" => by_sources(SELF_SOURCES, |c| c.measures_done),
                "problems" => by_sources(&[], |c| c.problems),
                "problems_closed" => by_sources(&[], |c| c.closed),
                "measures" => by_sources(&[], |c| c.measures),
                "measures_done" => by_sources(&[], |c| c.measures_done),
                "new_members" => new_members,
                "reelections" => reelections,
                _ => match f.records {
                    Records::Activities { kinds: ks, .. } => held(ks),
                    _ => 0,
                },
            };
            v.insert(f.key, n);
        }
        // cadre work (干部工作), counted from its records
        for (k, n) in zeren_store::cadre_work::figures(&mut c1, path, year).await? {
            v.insert(k, n);
        }
        Ok(v)
    }

    /// The org the actor reads the report of: the given one, or the top of the
    /// actor's scope.
    async fn report_org(&self, actor: &Actor, org_id: Option<i64>) -> AppResult<OrgRow> {
        let mut c = self.store.conn().await?;
        let org = match org_id {
            Some(id) => self.org_visible(&mut c, actor, id).await?,
            None => {
                let home = actor
                    .paths_for(Permission::ReadScope)
                    .into_iter()
                    .min_by_key(|p| p.len())
                    .ok_or(AppError::NotFound)?;
                let id = home
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or(AppError::NotFound)?;
                zeren_store::org::get(&mut c, id).await?
            }
        };
        // a report counts the whole subtree: the actor must read all of it
        if !actor.read_scope().contains_path(&org.path) {
            return Err(AppError::NotFound);
        }
        Ok(org)
    }

    pub async fn annual_report(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        year: i32,
    ) -> AppResult<AnnualReport> {
        check_year(year)?;
        let org = self.report_org(actor, org_id).await?;
        let values = self.report_figures(&org, year).await?;
        let mut c = self.store.conn().await?;
        let (achievements, edited_at) = match store::draft(&mut c, org.id, year).await? {
            Some((body, at)) => (
                serde_json::from_str(&body)
                    .map_err(|e| AppError::Io(format!("报告草稿无法读取：{e}")))?,
                Some(at),
            ),
            None => (report::default_achievements(), None),
        };
        let problems = store::open_problems(&mut c, &org.path, year, LISTED).await?;
        let measures = store::open_measures(&mut c, &org.path, LISTED).await?;
        Ok(AnnualReport {
            org,
            year,
            values,
            achievements,
            edited_at,
            problems,
            measures,
        })
    }

    /// Saves the edited narrative. Tokens that name no figure are refused, with the
    /// paragraph they are in, so a typo never prints as a blank.
    pub async fn save_report(
        &self,
        actor: &Actor,
        org_id: i64,
        year: i32,
        sections: Vec<Section>,
    ) -> AppResult<()> {
        check_year(year)?;
        let org = self.report_org(actor, Some(org_id)).await?;
        if !actor.can_at(Permission::WriteScope, &org.path) {
            return Err(AppError::Forbidden("编辑本单位的年度报告".into()));
        }
        if sections.is_empty() || sections.len() > 40 {
            return Err(invalid("sections", "报告应有 1 至 40 个部分"));
        }
        for (i, s) in sections.iter().enumerate() {
            if s.heading.chars().count() > 100 {
                return Err(invalid(
                    "sections",
                    format!("第 {} 部分的标题超过 100 字", i + 1),
                ));
            }
            for (j, p) in s.paragraphs.iter().enumerate() {
                if p.chars().count() > 5000 {
                    return Err(invalid(
                        "sections",
                        format!("第 {} 部分第 {} 段超过 5000 字", i + 1, j + 1),
                    ));
                }
                let unknown = report::unknown_tokens(p);
                if !unknown.is_empty() {
                    return Err(invalid(
                        "sections",
                        format!(
                            "第 {} 部分第 {} 段的 {} 不是可用的数据项；可用的数据项见页面右侧列表",
                            i + 1,
                            j + 1,
                            unknown.join("、")
                        ),
                    ));
                }
            }
        }
        let body = serde_json::to_string(&sections).map_err(|e| AppError::Io(e.to_string()))?;
        let mut tx = self.store.begin_write().await?;
        store::save_draft(
            tx.conn(),
            org.id,
            year,
            &body,
            Some(actor.user_id),
            clock::now(),
        )
        .await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ReportEdit, "report", org.id, &org.path)
                .detail(format!("{year} 年度报告正文已保存")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drops the edited narrative: the report goes back to the default wording.
    pub async fn reset_report(&self, actor: &Actor, org_id: i64, year: i32) -> AppResult<()> {
        check_year(year)?;
        let org = self.report_org(actor, Some(org_id)).await?;
        if !actor.can_at(Permission::WriteScope, &org.path) {
            return Err(AppError::Forbidden("编辑本单位的年度报告".into()));
        }
        let mut tx = self.store.begin_write().await?;
        store::delete_draft(tx.conn(), org.id, year).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::ReportEdit, "report", org.id, &org.path)
                .detail(format!("{year} 年度报告正文恢复为默认")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A paragraph's text with its figures filled.
pub fn filled_text(text: &str, values: &HashMap<&str, i64>) -> String {
    report::fill(text, values)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Unknown(t) => t,
            Piece::Figure { value, .. } => value.to_string(),
        })
        .collect()
}

/// Strips a leading ordinal a user may have typed (1. / （1） / 一是) so the list is
/// numbered once.
fn unnumbered(s: &str) -> &str {
    let t = s.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let t = t.trim_start_matches(['.', '、', '．']);
    t.trim()
}

/// The report as an official document (GB/T 9704-2012 format).
pub fn annual_doc(r: &AnnualReport) -> OfficialDoc {
    let values: HashMap<&str, i64> = r.values.iter().map(|(k, v)| (*k, *v)).collect();
    let mut blocks = vec![Block::para(format!(
        "{}年，{}坚持以习近平新时代中国特色社会主义思想为指导，认真履行全面从严治党主体责任。现将有关情况报告如下。",
        r.year, r.org.name
    ))];
    blocks.push(Block::Heading1("一、履行主体责任工作成效".into()));
    for s in &r.achievements {
        if s.level <= 1 {
            blocks.push(Block::Heading1(s.heading.clone()));
        } else {
            blocks.push(Block::Heading2(s.heading.clone()));
        }
        for p in &s.paragraphs {
            let runs: Vec<Run> = report::fill(p, &values)
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text(t) | Piece::Unknown(t) => Run::text(t),
                    Piece::Figure { value, .. } => Run::text(value.to_string()),
                })
                .collect();
            blocks.push(Block::Paragraph(runs));
        }
    }
    blocks.push(Block::Heading1("二、存在的问题".into()));
    if r.problems.is_empty() {
        blocks.push(Block::para("本年度查摆的问题均已整改销号。"));
    }
    for (i, p) in r.problems.iter().enumerate() {
        let head = unnumbered(&p.title);
        let detail = if p.description.trim().is_empty() || p.description.trim() == p.title.trim() {
            String::new()
        } else {
            p.description.trim().to_string()
        };
        let mut runs = vec![Run::strong(format!("{}.{}", i + 1, end_with_stop(head)))];
        if !detail.is_empty() {
            runs.push(Run::text(end_with_stop(&detail)));
        }
        blocks.push(Block::Paragraph(runs));
    }
    blocks.push(Block::Heading1("三、下一步工作措施".into()));
    if r.measures.is_empty() {
        blocks.push(Block::para(
            "持续巩固整改成果，严格落实全面从严治党主体责任。",
        ));
    }
    for (i, m) in r.measures.iter().enumerate() {
        blocks.push(Block::para(format!(
            "{}.{}（{}前完成）",
            i + 1,
            end_with_stop(unnumbered(&m.content)).trim_end_matches('。'),
            date_words(&m.deadline)
        )));
    }
    OfficialDoc {
        // a long title is set in two lines, broken where the meaning breaks
        title: format!(
            "{}关于{}年度\n履行全面从严治党主体责任情况的报告",
            r.org.name, r.year
        ),
        blocks,
        signature: Some(Signature {
            org: r.org.name.clone(),
            date: date_words(&clock::today_str()),
        }),
        ..Default::default()
    }
}

fn end_with_stop(s: &str) -> String {
    let t = s.trim();
    if t.ends_with(['。', '！', '？', '；']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// 2026-03-05 → 2026年3月5日, as official documents write dates.
fn date_words(day: &str) -> String {
    match NaiveDate::parse_from_str(day.get(..10).unwrap_or(day), "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => day.to_string(),
    }
}

/// The report as `.docx` bytes.
pub fn annual_docx(r: &AnnualReport) -> AppResult<Vec<u8>> {
    zeren_docx::render(&annual_doc(r)).map_err(|e| AppError::Io(format!("生成 Word 文件失败：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_instants_are_cst_midnights() {
        let (a, b) = year_instants(2026);
        assert_eq!(clock::fmt_instant(a), "2026-01-01 00:00");
        assert_eq!(clock::fmt_instant(b), "2027-01-01 00:00");
        assert_eq!(clock::fmt_instant(a - 1), "2025-12-31 23:59");
    }

    #[test]
    fn list_items_are_numbered_once_and_dates_written_in_words() {
        assert_eq!(unnumbered("1.落实第一议题"), "落实第一议题");
        assert_eq!(unnumbered("12、台账不全"), "台账不全");
        assert_eq!(date_words("2026-03-05"), "2026年3月5日");
        assert_eq!(end_with_stop("问题"), "问题。");
        assert_eq!(end_with_stop("问题。"), "问题。");
    }

    #[test]
    fn filled_text_puts_values_in_place() {
        let v = HashMap::from([("committee_meetings", 31)]);
        assert_eq!(
            filled_text("召开党委会〔党委会次数〕次", &v),
            "召开党委会31次"
        );
    }
}
