//! 压力传导 on the dashboard: a heat table (levels and orgs × four measures, green to
//! red) and a bar chart of the on-time rate by level, drawn as plain inline SVG on
//! the server. No script, no external file, no style attribute (the CSP forbids inline
//! styles; SVG presentation attributes are not styles).
use zeren_app::pressure::{Figures, Pressure, Row};
use zeren_app::AppError;

use crate::session::PageUser;
use crate::AppState;

/// What the dashboard's pressure section shows.
pub struct PressureView {
    pub org_id: i64,
    pub from: String,
    pub to: String,
    /// Set when the figures could not be computed (a bad date…): shown instead.
    pub error: Option<String>,
    pub heat_svg: String,
    pub bars_svg: String,
    pub due: i64,
}

pub async fn load(
    st: &AppState,
    u: &PageUser,
    org_id: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<PressureView, AppError> {
    match st.app.pressure(&u.actor, Some(org_id), from, to).await {
        Ok(p) => Ok(PressureView {
            org_id,
            heat_svg: heat_table(&p),
            bars_svg: level_bars(&p),
            from: p.from,
            to: p.to,
            due: p.total.due,
            error: None,
        }),
        Err(AppError::Invalid(v)) => Ok(PressureView {
            org_id,
            from: from.unwrap_or("").to_string(),
            to: to.unwrap_or("").to_string(),
            error: Some(
                v.errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            heat_svg: String::new(),
            bars_svg: String::new(),
            due: 0,
        }),
        Err(e) => Err(e),
    }
}

/// Text safe inside SVG markup.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Green (0) through amber to red (1), light enough for dark text.
pub fn heat_colour(bad: f64) -> String {
    let b = bad.clamp(0.0, 1.0);
    // green #a5d6a7 → amber #ffe082 → red #ef9a9a
    let (from, to, t) = if b < 0.5 {
        ((0xa5, 0xd6, 0xa7), (0xff, 0xe0, 0x82), b * 2.0)
    } else {
        ((0xff, 0xe0, 0x82), (0xef, 0x9a, 0x9a), (b - 0.5) * 2.0)
    };
    let mix = |a: i32, z: i32| (f64::from(a) + (f64::from(z) - f64::from(a)) * t).round() as i32;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(from.0, to.0),
        mix(from.1, to.1),
        mix(from.2, to.2)
    )
}

const NONE_FILL: &str = "#eceff1";

/// The four measures: (header, value text, badness in 0..1) of a slice.
fn measures(f: &Figures) -> [(Option<String>, Option<f64>); 4] {
    let pc = |v: Option<f64>| v.map(|x| format!("{x:.1}%"));
    [
        (pc(f.on_time_rate), f.on_time_rate.map(|r| 1.0 - r / 100.0)),
        // a third of the work overdue is as bad as it gets
        (pc(f.overdue_share), f.overdue_share.map(|s| s / 33.0)),
        // a month late is as bad as it gets
        (
            f.median_days_late.map(|d| format!("{d:.1}天")),
            f.median_days_late.map(|d| d / 30.0),
        ),
        (
            pc(f.notice_answer_rate),
            f.notice_answer_rate.map(|r| 1.0 - r / 100.0),
        ),
    ]
}

const HEADERS: [&str; 4] = ["按期完成率", "逾期占比", "逾期天数中位数", "督办单答复率"];
const LABEL_W: i64 = 300;
/// Longer org names are cut (the full name is in the row's tooltip).
const LABEL_CHARS: usize = 20;
const COL_W: i64 = 120;
const ROW_H: i64 = 30;

fn heat_rows(out: &mut String, y_at: &mut i64, rows: &[Row], link: bool) {
    for r in rows {
        let y = *y_at;
        let name: String = if r.label.chars().count() > LABEL_CHARS {
            r.label.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
        } else {
            r.label.clone()
        };
        let label = format!("{name}（{}项）", r.figures.due);
        let text = format!(
            "<text x=\"8\" y=\"{}\" font-size=\"13\" fill=\"#1f2329\"><title>{}</title>{}</text>",
            y + 20,
            esc(&r.label),
            esc(&label)
        );
        match (link, r.org_id) {
            (true, Some(id)) => out.push_str(&format!(
                "<a href=\"/dashboard?org={id}\">{}</a>",
                text.replace("fill=\"#1f2329\"", "fill=\"#1d4f91\"")
            )),
            _ => out.push_str(&text),
        }
        for (i, (value, bad)) in measures(&r.figures).iter().enumerate() {
            let x = LABEL_W + i as i64 * COL_W;
            let fill = bad.map(heat_colour).unwrap_or_else(|| NONE_FILL.into());
            let shown = value.clone().unwrap_or_else(|| "—".into());
            out.push_str(&format!(
                "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"2\"><title>{}：{}</title></rect>\
                 <text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#1f2329\">{}</text>",
                y,
                COL_W,
                ROW_H,
                esc(&r.label),
                HEADERS[i],
                x + COL_W / 2,
                y + 20,
                esc(&shown)
            ));
        }
        *y_at += ROW_H;
    }
}

/// Rows: the levels, then the root and each direct child; columns: the four measures.
pub fn heat_table(p: &Pressure) -> String {
    let height = ROW_H * (p.levels.len() as i64 + p.orgs.len() as i64 + 3);
    let width = LABEL_W + 4 * COL_W;
    let mut out = format!(
        "<svg class=\"heat\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"压力传导热力表：{}\"><title>压力传导热力表（{} 至 {}）</title>",
        esc(&p.org.name),
        p.from,
        p.to
    );
    for (i, h) in HEADERS.iter().enumerate() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"20\" font-size=\"13\" font-weight=\"600\" text-anchor=\"middle\" fill=\"#1f2329\">{h}</text>",
            LABEL_W + i as i64 * COL_W + COL_W / 2
        ));
    }
    out.push_str("<text x=\"8\" y=\"20\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2329\">按层级</text>");
    let mut y = ROW_H;
    heat_rows(&mut out, &mut y, &p.levels, false);
    out.push_str(&format!(
        "<line x1=\"0\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\" stroke=\"#dcdfe6\"/><text x=\"8\" y=\"{1}\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2329\">按组织</text>",
        y + ROW_H / 2,
        y + ROW_H + 20 - ROW_H / 2
    ));
    y += ROW_H + ROW_H / 2;
    heat_rows(&mut out, &mut y, &p.orgs, true);
    out.push_str("</svg>");
    out
}

/// On-time completion rate by level: one bar per level, 0–100 %.
pub fn level_bars(p: &Pressure) -> String {
    const BAR_W: i64 = 70;
    const GAP: i64 = 40;
    const TOP: i64 = 20;
    const PLOT_H: i64 = 160;
    const LEFT: i64 = 44;
    let n = p.levels.len().max(1) as i64;
    let width = LEFT + n * (BAR_W + GAP) + GAP;
    let height = TOP + PLOT_H + 48;
    let mut out = format!(
        "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"各层级按期完成率\"><title>各层级按期完成率</title>"
    );
    for pct in [0, 25, 50, 75, 100] {
        let y = TOP + PLOT_H - PLOT_H * pct / 100;
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\" stroke=\"#ebeef2\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#646a73\">{pct}%</text>",
            LEFT - 6,
            y + 4
        ));
    }
    for (i, r) in p.levels.iter().enumerate() {
        let x = LEFT + GAP + i as i64 * (BAR_W + GAP);
        let cx = x + BAR_W / 2;
        match r.figures.on_time_rate {
            Some(rate) => {
                let h = ((rate / 100.0) * PLOT_H as f64).round() as i64;
                out.push_str(&format!(
                    "<rect x=\"{x}\" y=\"{}\" width=\"{BAR_W}\" height=\"{h}\" fill=\"{}\"><title>{}：{rate:.1}%</title></rect><text x=\"{cx}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1f2329\">{rate:.1}%</text>",
                    TOP + PLOT_H - h,
                    heat_colour(1.0 - rate / 100.0),
                    esc(&r.label),
                    TOP + PLOT_H - h - 4
                ));
            }
            None => out.push_str(&format!(
                "<text x=\"{cx}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#646a73\">—</text>",
                TOP + PLOT_H - 4
            )),
        }
        out.push_str(&format!(
            "<text x=\"{cx}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1f2329\">{}</text><text x=\"{cx}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#646a73\">{}项</text>",
            TOP + PLOT_H + 18,
            esc(&r.label),
            TOP + PLOT_H + 34,
            r.figures.due
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\" stroke=\"#646a73\"/></svg>",
        TOP + PLOT_H
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_green_to_red() {
        assert_eq!(heat_colour(0.0), "#a5d6a7");
        assert_eq!(heat_colour(0.5), "#ffe082");
        assert_eq!(heat_colour(1.0), "#ef9a9a");
        assert_eq!(heat_colour(7.0), "#ef9a9a");
    }

    #[test]
    fn svg_text_is_escaped() {
        assert_eq!(esc("a<b>&\"c"), "a&lt;b&gt;&amp;&quot;c");
    }
}
