//! SVG charts (PRODUCT.md section 5): one gap chart per target and one overview of
//! the plan. Pure: values in, an SVG document out; no IO, no clock.
//!
//! plotters' SVG backend draws the plots; titles, legends, callouts and footnotes are
//! written by [`svg::Overlay`] (see that module for why). The same input always gives
//! the same bytes.

mod overview;
mod svg;
mod target;
pub mod text;

use plotters::style::RGBColor;

use crate::actual::Actual;
use crate::lang::Lang;
use crate::numbers::{format_decimals, format_signed};
use crate::period::{Period, Span};
use crate::plan::{Plan, Target};
use crate::status::{evaluate, PlanStatus};

pub use overview::{render as overview_chart, HEIGHT_PER_ROW as OVERVIEW_ROW_HEIGHT, WIDTH as OVERVIEW_WIDTH};
pub use target::{render as target_chart, TargetChart, HEIGHT as TARGET_HEIGHT, WIDTH as TARGET_WIDTH};

/// One chart to write: its file name and its SVG.
pub struct ChartFile {
    pub name: String,
    pub svg: String,
}

/// Renders the charts of `targets` and, if asked, the overview, from the plan's
/// current figures at the as-of period.
pub fn render_charts(
    plan: &Plan,
    figures: &[&Actual],
    as_of: Period,
    targets: &[&Target],
    overview: bool,
    lang: Lang,
) -> Vec<ChartFile> {
    let status = evaluate(plan, figures, as_of);
    let mut files = Vec::with_capacity(targets.len() + 1);
    for &target in targets {
        files.push(ChartFile {
            name: format!("{}.svg", target.code),
            svg: target_svg(plan, &status, figures, target, lang),
        });
    }
    if overview {
        files.push(ChartFile { name: "overview.svg".to_string(), svg: overview_chart(plan, &status, lang) });
    }
    files
}

/// Every target's chart and the overview, as `ontrack chart` with no codes writes them.
pub fn render_all(plan: &Plan, figures: &[&Actual], as_of: Period, lang: Lang) -> Vec<ChartFile> {
    let targets: Vec<&Target> = plan.targets.iter().collect();
    render_charts(plan, figures, as_of, &targets, true, lang)
}

fn target_svg(plan: &Plan, status: &PlanStatus, figures: &[&Actual], target: &Target, lang: Lang) -> String {
    let own: Vec<&Actual> = figures.iter().copied().filter(|a| a.target == target.code).collect();
    let related: Vec<&Actual> = match &target.related {
        Some(code) => figures.iter().copied().filter(|a| &a.target == code).collect(),
        None => Vec::new(),
    };
    let target_status = status.target(&target.code).expect("evaluate returns every target of the plan");
    target_chart(&TargetChart {
        plan,
        target,
        figures: &own,
        related_figures: &related,
        status: target_status,
        as_of: status.as_of,
        lang,
    })
}

/// Main text.
const INK: &str = "#212121";
/// Secondary text: quotes, tick labels.
const SOFT: &str = "#616161";
/// Footnotes.
const MUTED: &str = "#757575";

/// A plotters colour from `#rrggbb` (the status colours are given that way).
fn rgb(hex: &str) -> RGBColor {
    let channel = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    RGBColor(channel(1), channel(3), channel(5))
}

/// The x-axis label of a month end: `3月` / `Mar`.
fn month_label(month: u8, lang: Lang) -> String {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match lang {
        Lang::Zh => format!("{month}月"),
        Lang::En => EN.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("").to_string(),
    }
}

/// A period as a reader expects it: `2020年三季度` / `2020Q3`.
fn period_label(period: Period, lang: Lang) -> String {
    match (lang, period.span) {
        (Lang::Zh, Span::Month(m)) => format!("{}年{m}月", period.year),
        (Lang::Zh, _) => period.label_zh(),
        (Lang::En, _) => period.label(),
    }
}

/// `5.8 %`, `45 条`, `6000 万元`.
fn value_in_unit(value: f64, unit: &str) -> String {
    format!("{} {}", format_decimals(value, 2), text::clean(unit))
}

/// A signed difference: `-0.7 个百分点` / `-0.7 points` for percentages, `+3 条` otherwise.
fn signed_in_unit(value: f64, unit: &str, lang: Lang) -> String {
    let signed = format_signed(value, 2).replacen('-', "−", 1);
    if unit == "%" {
        format!("{signed} {}", lang.pick("个百分点", "points"))
    } else {
        format!("{signed} {}", text::clean(unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_a_statistics_office_writes_them() {
        assert_eq!(rgb("#2e7d32"), RGBColor(0x2e, 0x7d, 0x32));
        assert_eq!(month_label(9, Lang::Zh), "9月");
        assert_eq!(month_label(9, Lang::En), "Sep");
        assert_eq!(period_label("2020Q3".parse().unwrap(), Lang::Zh), "2020年三季度");
        assert_eq!(period_label("2020-05".parse().unwrap(), Lang::Zh), "2020年5月");
        assert_eq!(value_in_unit(5.8, "%"), "5.8 %");
        assert_eq!(signed_in_unit(-0.7, "%", Lang::Zh), "−0.7 个百分点");
        assert_eq!(signed_in_unit(3.0, "条", Lang::En), "+3 条");
    }
}
