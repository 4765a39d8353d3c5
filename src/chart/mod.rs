//! SVG charts: one gap chart per target and one overview of
//! the plan. Pure: values in, an SVG document out; no IO, no clock.
//!
//! plotters' SVG backend draws the plots; titles, legends, callouts and footnotes are
//! written by [`svg::Overlay`] (see that module for why). The same input always gives
//! the same bytes.

mod family;
mod overview;
mod svg;
mod target;
pub mod text;

use std::collections::HashMap;

use plotters::style::RGBColor;

use crate::actual::{Actual, FiguresByTarget};
use crate::escape;
use crate::lang::Lang;
use crate::period::Period;
use crate::plan::{Plan, Target};
use crate::present;
use crate::status::{evaluate, PlanStatus, TargetStatus};

pub use family::{indicator_chart as family_indicator_chart, overview_chart as family_overview_chart};
pub use overview::{render as overview_chart, HEIGHT_PER_ROW as OVERVIEW_ROW_HEIGHT, WIDTH as OVERVIEW_WIDTH};
pub use svg::is_chart_head;
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
    let charter = Charter::new(plan, figures, as_of, lang);
    // Drawn on every core in order-keeping chunks: each chart's bytes do not depend
    // on the thread that drew it (a city's report inlines ten thousand).
    let mut files = crate::parallel::map_chunks(targets, 1, |part| {
        part.iter().map(|target| charter.target(target)).collect::<Vec<_>>()
    });
    if overview {
        files.push(charter.overview());
    }
    files
}

/// The plan evaluated once, ready to draw any of its charts: one chart at a time,
/// from any thread (a city's thousands of charts are drawn on every core and written
/// as they come, not held in memory together).
pub struct Charter<'a> {
    plan: &'a Plan,
    status: PlanStatus,
    by_target: FiguresByTarget<'a>,
    /// Where each target's status is in `status`, by code.
    positions: HashMap<&'a str, usize>,
    lang: Lang,
}

impl<'a> Charter<'a> {
    pub fn new(plan: &'a Plan, figures: &[&'a Actual], as_of: Period, lang: Lang) -> Charter<'a> {
        let status = evaluate(plan, figures, as_of);
        // `evaluate` gives one status per target, in the plan's order.
        let positions = plan.targets().iter().enumerate().map(|(index, t)| (t.code.as_str(), index)).collect();
        Charter { plan, status, by_target: FiguresByTarget::new(figures), positions, lang }
    }

    /// The gap chart of one target of the plan, `CODE.svg`.
    pub fn target(&self, target: &Target) -> ChartFile {
        let target_status = self
            .positions
            .get(target.code.as_str())
            .and_then(|&index| self.status.targets.get(index))
            .expect("evaluate returns every target of the plan");
        ChartFile {
            name: format!("{}.svg", target.code),
            svg: target_svg(self.plan, target_status, self.status.as_of, &self.by_target, target, self.lang),
        }
    }

    /// The overview of the whole plan, `overview.svg`.
    pub fn overview(&self) -> ChartFile {
        ChartFile {
            name: format!("{}.svg", crate::plan::OVERVIEW_CODE),
            svg: overview_chart(self.plan, &self.status, self.lang),
        }
    }
}

/// Every target's chart and the overview, as `ontrack chart` with no codes writes them.
pub fn render_all(plan: &Plan, figures: &[&Actual], as_of: Period, lang: Lang) -> Vec<ChartFile> {
    let targets: Vec<&Target> = plan.targets().iter().collect();
    render_charts(plan, figures, as_of, &targets, true, lang)
}

fn target_svg(
    plan: &Plan,
    target_status: &TargetStatus,
    as_of: Period,
    by_target: &FiguresByTarget<'_>,
    target: &Target,
    lang: Lang,
) -> String {
    let related = target.related.as_deref().map_or(&[][..], |code| by_target.of(code));
    target_chart(&TargetChart {
        plan,
        target,
        figures: by_target.of(&target.code),
        related_figures: related,
        status: target_status,
        as_of,
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

/// `5.8 %`, `45 条`, `6000 万元` (`present::figure_brief`, cleaned for SVG text).
fn value_in_unit(value: f64, unit: &str) -> String {
    escape::xml_clean(&present::figure_brief(value, unit))
}

/// A signed difference: `-0.7 个百分点` / `-0.7 pp` for percentages, `+3 条` otherwise
/// (`present::gap`, cleaned for SVG text), as in the status sheet and reports.
fn signed_in_unit(value: f64, unit: &str, lang: Lang) -> String {
    escape::xml_clean(&present::gap(value, unit, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_a_statistics_office_writes_them() {
        assert_eq!(rgb("#2e7d32"), RGBColor(0x2e, 0x7d, 0x32));
        assert_eq!(value_in_unit(5.8, "%"), "5.8 %");
        assert_eq!(signed_in_unit(-0.7, "%", Lang::Zh), "-0.7 个百分点");
        assert_eq!(signed_in_unit(3.0, "条", Lang::En), "+3 条");
    }
}

/// Charts are drawn from whatever figures the database holds, in bounded time: any
/// finite value (an older release let 1.5e308 in) gives a finished, well-formed chart.
#[cfg(test)]
mod properties {
    use std::sync::mpsc;
    use std::sync::Arc;
    use std::time::Duration;

    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;

    /// Any finite number, with the absurd magnitudes and the ordinary ones both likely.
    fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            -200.0..200.0f64,
            (-308..=308i32, -10.0..10.0f64).prop_map(|(exponent, mantissa)| mantissa * 10f64.powi(exponent)),
            Just(f64::MAX),
            Just(f64::MIN),
            Just(f64::MIN_POSITIVE),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_finite_figures_chart_in_bounded_time(
            target in 0..50usize,
            figures in prop::collection::vec((1..=12u8, finite()), 1..6),
            related in prop::collection::vec((1..=12u8, finite()), 0..4),
        ) {
            let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
            let target = plan.targets()[target % plan.targets().len()].clone();
            let moment = Utc.with_ymd_and_hms(2020, 12, 31, 0, 0, 0).unwrap();
            let actual = |id: usize, code: &str, (month, value): (u8, f64)| Actual {
                id: id as i64,
                target: Arc::from(code),
                period: Period::month(2020, month),
                value,
                source: None,
                recorded_by: Arc::from("x"),
                recorded_at: moment,
                note: None,
                revises: None,
                reason: None,
            };
            let related_code = target.related.clone().unwrap_or_else(|| "gdp-growth".to_string());
            let mut all: Vec<Actual> = figures.iter().enumerate().map(|(i, f)| actual(i, &target.code, *f)).collect();
            all.extend(related.iter().enumerate().map(|(i, f)| actual(100 + i, &related_code, *f)));
            let (done, finished) = mpsc::channel();
            std::thread::spawn(move || {
                let current = crate::actual::current_figures(&all, None);
                let targets = [plan.target(&target.code).unwrap()];
                let files = render_charts(&plan, &current, Period::month(2020, 12), &targets, true, Lang::Zh);
                let _ = done.send(files.into_iter().map(|f| (f.name, f.svg)).collect::<Vec<_>>());
            });
            let files = match finished.recv_timeout(Duration::from_secs(10)) {
                Ok(files) => files,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("the charts were not drawn within 10 s"),
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!("drawing the charts panicked"),
            };
            prop_assert_eq!(files.len(), 2);
            for (name, svg) in files {
                prop_assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{}", name);
                prop_assert!(!svg.contains("NaN"), "{} holds NaN", name);
            }
        }
    }
}
