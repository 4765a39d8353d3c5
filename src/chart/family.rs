//! A family's charts (`chart --parent`): per indicator, one horizontal bar per plan
//! (its figure, in its status colour) against its own target (a dark tick), sorted by
//! rank; and the family overview, one bar per plan split by the status of its targets.
//! Drawn wholly with [`Overlay`] (bars and ticks need no plot), measured for CJK names,
//! so 20 districts with long names stay readable. Pure: the same input, the same bytes.

use super::svg::{finish, Anchor, Font, Overlay};
use super::text::{truncate, width};
use super::{value_in_unit, INK, MUTED, SOFT};
use crate::compare::{Comparison, Indicator};
use crate::lang::Lang;
use crate::plan::Plan;
use crate::present;
use crate::status::{PlanStatus, Status};

pub const WIDTH: f64 = 1000.0;
const PAD: f64 = 24.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const TOP: f64 = 108.0;
/// Where the names end and the bars begin, and where the figures' column starts.
const NAMES_END: f64 = 300.0;
const BARS_END: f64 = 790.0;
const LABEL_SIZE: f64 = 13.0;
const TARGET_TICK: &str = "#263238";

/// An empty plotters-shaped root for [`finish`]: these charts have no plot.
fn root(height: f64) -> String {
    format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>\n</svg>\n",
        w = super::svg::num(WIDTH),
        h = super::svg::num(height)
    )
}

/// Up to six round ticks covering `lo`..`hi`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(f64::EPSILON);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step =
        [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| span / s <= 6.0).unwrap_or(magnitude * 10.0);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// A plan's name as the charts show it: `金水区` / `Jinshui District`.
fn org(plan: &Plan, lang: Lang) -> String {
    lang.name(&plan.org, plan.org_en.as_deref()).to_string()
}

/// The comparison chart of one indicator.
pub fn indicator_chart(plans: &[&Plan], comparison: &Comparison, indicator: &Indicator, lang: Lang) -> String {
    let heading = match present::compare::indicator_target(plans, indicator) {
        Some(target) => present::compare::indicator_heading(target, lang),
        None => indicator.code.clone(),
    };
    let unit = present::compare::indicator_target(plans, indicator).map(|t| t.unit.clone()).unwrap_or_default();
    let height = TOP + ROW * indicator.rows.len() as f64 + 70.0;
    let mut overlay = Overlay::new();
    overlay.text(PAD, 32.0, Font::new(19.0, INK).bold(), &truncate(&heading, 19.0, WIDTH - 2.0 * PAD));
    let subtitle = present::compare::chart_subtitle(comparison.as_of, comparison.by, lang);
    overlay.text(PAD, 54.0, Font::new(12.5, SOFT), &subtitle);

    // The scale: zero, every figure and every target, with a little room.
    let mut values: Vec<f64> = vec![0.0];
    values.extend(indicator.rows.iter().flat_map(|r| [r.value, r.target]).flatten().filter(|v| v.is_finite()));
    let (mut lo, mut hi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let room = (hi - lo) * 0.05;
    lo = if lo < 0.0 { lo - room } else { lo };
    hi += room;
    let x = |v: f64| NAMES_END + (v.clamp(lo, hi) - lo) / (hi - lo) * (BARS_END - NAMES_END);
    let plot_bottom = TOP + ROW * indicator.rows.len() as f64;
    for tick in ticks(lo, hi) {
        let tx = x(tick);
        overlay.line(tx, TOP - 6.0, tx, plot_bottom, if tick == 0.0 { SOFT } else { "#E0E0E0" }, 1.0, "");
        overlay.text(
            tx,
            TOP - 10.0,
            Font::new(11.0, MUTED).anchor(Anchor::Middle),
            &crate::numbers::format_number(tick),
        );
    }
    // The legend: the target tick, then the status colours shown.
    let mut legend_x = PAD;
    let legend_y = 76.0;
    overlay.line(legend_x + 4.0, legend_y - 11.0, legend_x + 4.0, legend_y + 3.0, TARGET_TICK, 3.0, "");
    let own = present::compare::own_target_legend(lang);
    overlay.text(legend_x + 12.0, legend_y, Font::new(12.0, SOFT), own);
    legend_x += 12.0 + width(own, 12.0) + 18.0;
    for status in
        Status::ALL.iter().filter(|s| indicator.rows.iter().any(|r| r.status == Some(**s) && r.value.is_some()))
    {
        overlay.rect(legend_x, legend_y - 10.0, 12.0, 12.0, 2.0, status.colour(), "none", 1.0);
        let label = present::status(*status, lang);
        overlay.text(legend_x + 16.0, legend_y, Font::new(12.0, SOFT), label);
        legend_x += 16.0 + width(label, 12.0) + 14.0;
    }

    for (i, row) in indicator.rows.iter().enumerate() {
        let plan = plans[row.member];
        let y = TOP + ROW * i as f64;
        let middle = y + ROW / 2.0;
        if i % 2 == 1 {
            overlay.rect(PAD, y, WIDTH - 2.0 * PAD, ROW, 0.0, "#F5F7F9", "none", 1.0);
        }
        let rank = present::compare::rank(row.rank);
        overlay.text(PAD + 22.0, middle + 4.5, Font::new(LABEL_SIZE, INK).bold().anchor(Anchor::End), &rank);
        let change = present::compare::rank_change(row.rank_change);
        overlay.text(PAD + 28.0, middle + 4.5, Font::new(11.0, MUTED), &change);
        let name = org(plan, lang);
        let room = NAMES_END - 8.0 - (PAD + 58.0);
        let shown = truncate(&name, LABEL_SIZE, room);
        if shown != name {
            overlay.open_group(&name);
        }
        overlay.text(NAMES_END - 8.0, middle + 4.5, Font::new(LABEL_SIZE, INK).anchor(Anchor::End), &shown);
        if shown != name {
            overlay.close_group();
        }
        match (row.value, row.status) {
            (Some(value), Some(status)) => {
                let (from, to) = (x(0.0_f64.max(lo)), x(value));
                overlay.rect(
                    from.min(to),
                    middle - BAR / 2.0,
                    (to - from).abs().max(1.0),
                    BAR,
                    2.0,
                    status.colour(),
                    "none",
                    1.0,
                );
                let label = format!("{} · {}", value_in_unit(value, &unit), present::status(status, lang));
                overlay.text(BARS_END + 10.0, middle + 4.5, Font::new(12.0, INK), &label);
            }
            _ => {
                let words = if row.has_indicator {
                    present::compare::no_figure(lang)
                } else {
                    present::compare::not_in_plan(lang)
                };
                overlay.text(NAMES_END + 6.0, middle + 4.5, Font::new(12.0, MUTED), words);
            }
        }
        if let Some(target) = row.target {
            let tx = x(target);
            overlay.line(tx, middle - BAR / 2.0 - 3.0, tx, middle + BAR / 2.0 + 3.0, TARGET_TICK, 3.0, "");
        }
    }
    let foot = present::compare::chart_footnote(indicator.previous, lang);
    overlay.text(PAD, plot_bottom + 30.0, Font::new(11.5, MUTED), &truncate(&foot, 11.5, WIDTH - 2.0 * PAD));
    finish(&root(height), &heading, &overlay)
}

/// The family overview: per plan, one bar split by the status of its targets, with
/// how many are overdue.
pub fn overview_chart(
    plans: &[&Plan],
    statuses: &[PlanStatus],
    comparison: &Comparison,
    parent: &str,
    lang: Lang,
) -> String {
    let title = present::compare::overview_title(parent, comparison.as_of, lang);
    let height = TOP + ROW * plans.len() as f64 + 60.0;
    let mut overlay = Overlay::new();
    overlay.text(PAD, 32.0, Font::new(19.0, INK).bold(), &truncate(&title, 19.0, WIDTH - 2.0 * PAD));
    let mut legend_x = PAD;
    for status in Status::ALL {
        overlay.rect(legend_x, 56.0, 12.0, 12.0, 2.0, status.colour(), "none", 1.0);
        let label = present::status(status, lang);
        overlay.text(legend_x + 16.0, 66.0, Font::new(12.0, SOFT), label);
        legend_x += 16.0 + width(label, 12.0) + 14.0;
    }
    for (i, (plan, status)) in plans.iter().zip(statuses).enumerate() {
        let y = TOP + ROW * i as f64;
        let middle = y + ROW / 2.0;
        if i % 2 == 1 {
            overlay.rect(PAD, y, WIDTH - 2.0 * PAD, ROW, 0.0, "#F5F7F9", "none", 1.0);
        }
        let name = org(plan, lang);
        let shown = truncate(&name, LABEL_SIZE, NAMES_END - 8.0 - PAD);
        if shown != name {
            overlay.open_group(&name);
        }
        overlay.text(NAMES_END - 8.0, middle + 4.5, Font::new(LABEL_SIZE, INK).anchor(Anchor::End), &shown);
        if shown != name {
            overlay.close_group();
        }
        let (counts, overdue) = status.counts();
        let total: usize = counts.iter().sum();
        let mut left = NAMES_END;
        for (status, n) in Status::ALL.iter().zip(counts) {
            if n == 0 || total == 0 {
                continue;
            }
            let w = n as f64 / total as f64 * (BARS_END - NAMES_END);
            overlay.rect(left, middle - BAR / 2.0, w, BAR, 0.0, status.colour(), "#FFFFFF", 1.0);
            if w >= 22.0 {
                let light = !matches!(status, Status::AtRisk | Status::NearlyMet);
                let fill = if light { "#FFFFFF" } else { INK };
                overlay.text(
                    left + w / 2.0,
                    middle + 4.0,
                    Font::new(11.0, fill).anchor(Anchor::Middle),
                    &n.to_string(),
                );
            }
            left += w;
        }
        overlay.text(
            BARS_END + 10.0,
            middle + 4.5,
            Font::new(12.0, INK),
            &present::compare::targets_and_overdue(total, overdue, lang),
        );
    }
    finish(&root(height), &title, &overlay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 10.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(-3.0, 7.0), [-2.0, 0.0, 2.0, 4.0, 6.0]);
        let labels: Vec<String> = ticks(0.0, 1.0).into_iter().map(crate::numbers::format_number).collect();
        assert_eq!(labels, ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        assert_eq!(ticks(0.0, 130.0), [0.0, 25.0, 50.0, 75.0, 100.0, 125.0]);
    }
}
