//! The mechanism's lists as sheets: 督办单 and 问责 records, in the list pages'
//! filters, scope and order. They are not import kinds (a notice or a decision is
//! made in Zeren, never typed into a sheet), so their columns are their own.
use zeren_store::accountability::{AccountabilityFilter, AccountabilityRow};
use zeren_store::supervision::{NoticeFilter, NoticeListRow};

use super::lists::{Exported, CHUNK};
use super::{Cell, Col, SheetSink, SheetSpec, Tone};
use crate::actor::Actor;
use crate::{App, AppResult};

fn spec(title: &str, scope: String, columns: &[(&str, f64)]) -> SheetSpec {
    SheetSpec {
        name: title.to_string(),
        title: title.to_string(),
        scope,
        columns: columns.iter().map(|(h, w)| Col::new(h, *w)).collect(),
    }
}

/// An instant as the day it fell on in China Standard Time.
fn day_of(ts: i64) -> Cell {
    Cell::day(Some(&crate::clock::fmt_instant(ts)))
}

fn notice_cells(n: NoticeListRow, today: &str) -> Vec<Cell> {
    let tone = match n.state.as_str() {
        "answered" => Tone::Good,
        _ if n.answer_due.as_str() < today => Tone::Bad,
        _ => Tone::Warn,
    };
    vec![
        Cell::text(n.code),
        Cell::Long(n.title),
        Cell::text(n.issuing_org_name),
        Cell::text(n.org_name),
        Cell::Int(n.items),
        Cell::day(Some(&n.answer_due)),
        Cell::State(
            crate::notice::notice_state_label(&n.state).to_string(),
            tone,
        ),
        day_of(n.issued_at),
        n.answered_at.map(day_of).unwrap_or(Cell::Date(None)),
    ]
}

fn accountability_cells(a: AccountabilityRow) -> Vec<Cell> {
    vec![
        Cell::day(Some(&a.decided_on)),
        Cell::text(a.org_name),
        Cell::opt(&a.person_name),
        Cell::text(crate::accountability::action_label(&a.action)),
        Cell::Long(a.reason),
        Cell::text(a.decided_by),
        Cell::opt(&a.notice_code),
    ]
}

impl App {
    /// 督办单: the notices list as filtered (incoming, issued or both).
    pub async fn export_notices(
        &self,
        actor: &Actor,
        f: NoticeFilter,
        scope: String,
    ) -> AppResult<Exported> {
        let title = "督办单";
        let today = crate::clock::today_str();
        let sink = SheetSink::spawn(
            &spec(
                title,
                scope,
                &[
                    ("督办单编号", 20.0),
                    ("督办事项", 40.0),
                    ("督办单位", 22.0),
                    ("被督办单位", 22.0),
                    ("事项数", 8.0),
                    ("答复期限", 12.0),
                    ("状态", 10.0),
                    ("下发日期", 12.0),
                    ("答复日期", 12.0),
                ],
            ),
            move |n: NoticeListRow| notice_cells(n, &today),
        )?;
        let mut c = self.store.conn().await?;
        let sql = zeren_store::supervision::export_sql(&actor.read_scope(), &f);
        let mut chunks = sql.chunks::<NoticeListRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            if !sink.send(items).await {
                break;
            }
        }
        drop(chunks);
        drop(c);
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "supervision_notice", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }

    /// 问责情况: the accountability records as filtered.
    pub async fn export_accountability(
        &self,
        actor: &Actor,
        f: AccountabilityFilter,
        scope: String,
    ) -> AppResult<Exported> {
        let title = "问责情况";
        let sink = SheetSink::spawn(
            &spec(
                title,
                scope,
                &[
                    ("决定日期", 12.0),
                    ("党组织", 22.0),
                    ("被问责人", 12.0),
                    ("问责方式", 12.0),
                    ("问责事由", 40.0),
                    ("决定机关", 16.0),
                    ("关联督办单", 20.0),
                ],
            ),
            accountability_cells,
        )?;
        let mut c = self.store.conn().await?;
        let sql = zeren_store::accountability::export_sql(&actor.read_scope(), &f);
        let mut chunks = sql.chunks::<AccountabilityRow>(&mut c, CHUNK);
        while let Some(items) = chunks.next().await? {
            if !sink.send(items).await {
                break;
            }
        }
        drop(chunks);
        drop(c);
        let (file, rows) = sink.finish().await?;
        self.audit_export(actor, "accountability", rows).await;
        Ok(Exported {
            file,
            rows,
            filename: format!("{title}.xlsx"),
        })
    }
}
