//! The flat, serializable form of a status: one row per target for JSON,
//! CSV and spreadsheets. The stable status fields (listed in the README) come first, in
//! their order; the extras after them say where the figure came from.

use chrono::SecondsFormat;
use serde::Serialize;

use super::{BaselineFrom, PlanStatus, TargetStatus};
use crate::actual::Actual;
use crate::lang::Lang;
use crate::plan::{Kind, Plan};

/// One target's status as JSON and CSV show it. `None` (null, an empty CSV cell)
/// where a field does not apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusRow {
    pub code: String,
    /// The Chinese name (the English one is `name_en`).
    pub name: String,
    /// `met`, `nearly_met`, `on_track`, `at_risk`, `off_track`, `missed`, `no_data`.
    pub status: String,
    /// A figure due by the target's frequency is missing (未报送).
    pub overdue: bool,
    /// The latest figure at or before the as-of period, and its period as logged.
    pub actual: Option<f64>,
    pub period: Option<String>,
    /// The value the figure is compared with: the target's value; for a relative
    /// target, the related target's figure for the same period.
    pub target: Option<f64>,
    /// To the target in its unit, positive = ahead.
    pub gap: Option<f64>,
    /// Threshold kinds: the margin m in points; accumulation kinds: the gap to pace in the unit.
    pub margin: Option<f64>,
    /// Accumulation kinds: shares, 1 = the whole target.
    pub progress: Option<f64>,
    pub pace: Option<f64>,
    /// Accumulation kinds: points of the annual target behind pace (negative = ahead).
    pub behind: Option<f64>,
    pub projected: Option<f64>,
    pub needed_per_period: Option<f64>,
    pub section: String,
    pub name_en: String,
    pub kind: String,
    pub unit: String,
    /// The goal in words (`≈ 6.5 %`, `≤ 4 %`, `92 条`).
    pub goal: String,
    /// The status in the chosen language (已完成 … / met …).
    pub status_label: String,
    /// The period a figure is due for at the as-of period.
    pub due_for: Option<String>,
    pub lead_unit: Option<String>,
    /// Provenance of the latest figure.
    pub source: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<String>,
    /// The as-of period the status was evaluated at.
    pub as_of: String,
    /// Accumulation kinds: what progress is measured from, and where it came from:
    /// `plan`, or `first_figure` for a stock without a baseline, whose first figure of
    /// the year (of `baseline_period`) stands in.
    pub baseline: Option<f64>,
    pub baseline_from: Option<String>,
    pub baseline_period: Option<String>,
    /// The higher bar (力争, or a range's upper end), and whether the figure reaches it.
    pub strive: Option<f64>,
    pub strive_met: Option<bool>,
}

impl StatusRow {
    /// The field names, in order: the JSON keys and the CSV header (also for no rows).
    pub const FIELDS: [&'static str; 31] = [
        "code",
        "name",
        "status",
        "overdue",
        "actual",
        "period",
        "target",
        "gap",
        "margin",
        "progress",
        "pace",
        "behind",
        "projected",
        "needed_per_period",
        "section",
        "name_en",
        "kind",
        "unit",
        "goal",
        "status_label",
        "due_for",
        "lead_unit",
        "source",
        "recorded_by",
        "recorded_at",
        "as_of",
        "baseline",
        "baseline_from",
        "baseline_period",
        "strive",
        "strive_met",
    ];
}

/// Rows for every evaluated target, in the order of `status`. `figures` are the
/// current figures the status was evaluated on; they give the provenance.
pub fn status_rows(plan: &Plan, status: &PlanStatus, figures: &[&Actual], lang: Lang) -> Vec<StatusRow> {
    StatusRows::new(plan, status, figures, lang).rows(&status.targets)
}

/// Makes status rows a block at a time (a province's 100,000 rows are written as they
/// are made, not held together), the figures grouped by target once.
pub struct StatusRows<'a> {
    plan: &'a Plan,
    status: &'a PlanStatus,
    by_target: crate::actual::FiguresByTarget<'a>,
    lang: Lang,
}

impl<'a> StatusRows<'a> {
    pub fn new(plan: &'a Plan, status: &'a PlanStatus, figures: &[&'a Actual], lang: Lang) -> StatusRows<'a> {
        StatusRows { plan, status, by_target: crate::actual::FiguresByTarget::new(figures), lang }
    }

    /// The rows of `targets` (some of `status`'s), in their order, made on every core.
    pub fn rows(&self, targets: &[TargetStatus]) -> Vec<StatusRow> {
        let (plan, status, lang) = (self.plan, self.status, self.lang);
        crate::parallel::map_chunks(targets, crate::parallel::ROWS_PER_THREAD, |part| {
            part.iter()
                .filter_map(|evaluated| row(plan, status, evaluated, self.by_target.of(&evaluated.code), lang))
                .collect()
        })
    }
}

fn row(
    plan: &Plan,
    status: &PlanStatus,
    evaluated: &TargetStatus,
    figures: &[&Actual],
    lang: Lang,
) -> Option<StatusRow> {
    let target = plan.target(&evaluated.code)?;
    let figure = evaluated.figure.and_then(|id| figures.iter().copied().find(|f| f.id == id));
    let compared_with = if target.kind == Kind::Relative { evaluated.related_actual } else { Some(target.value) };
    Some(StatusRow {
        code: target.code.clone(),
        name: target.name.clone(),
        status: evaluated.status.as_str().to_string(),
        overdue: evaluated.overdue,
        actual: evaluated.actual,
        period: evaluated.period.map(|p| p.label()),
        target: compared_with,
        gap: evaluated.gap.map(clean),
        margin: evaluated.margin.map(clean),
        progress: evaluated.progress.map(clean),
        pace: evaluated.pace.map(clean),
        behind: evaluated.behind.map(clean),
        projected: evaluated.projected.map(clean),
        needed_per_period: evaluated.needed_per_period.map(clean),
        section: target.section.clone(),
        name_en: target.name_en.clone(),
        kind: target.kind.as_str().to_string(),
        unit: target.unit.clone(),
        goal: crate::present::goal_words(plan, target, lang),
        status_label: crate::present::status(evaluated.status, lang).to_string(),
        due_for: evaluated.due_for.map(|p| p.label()),
        lead_unit: target.lead_unit.clone(),
        source: figure.and_then(|f| f.source.as_deref().map(str::to_string)),
        recorded_by: figure.map(|f| f.recorded_by.to_string()),
        recorded_at: figure.map(|f| f.recorded_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        as_of: status.as_of.label(),
        baseline: evaluated.baseline.map(|b| clean(b.value)),
        baseline_from: evaluated.baseline.map(|b| b.from.as_str().to_string()),
        baseline_period: evaluated.baseline.and_then(|b| match b.from {
            BaselineFrom::FirstFigure(period) => Some(period.label()),
            BaselineFrom::Plan => None,
        }),
        strive: target.strive,
        strive_met: evaluated.strive_met,
    })
}

/// A derived figure without floating-point noise: rounded to 1e-9 (the precision at
/// which the status rules compare values), `-0` as `0`. `0.1 + 0.2` shows as `0.3`.
pub fn clean(value: f64) -> f64 {
    let rounded = (value * 1e9).round() / 1e9;
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}
