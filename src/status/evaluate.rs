//! The evaluation of docs/status-rules.md: a plan, its current figures and an as-of
//! period in; one [`TargetStatus`] per target out. Pure: no SQLite, no clock, no IO.
//!
//! Readings of those rules that needed a decision are listed in ARCHITECTURE.md
//! ("Status: readings of the status rules").

use super::{pace_since, Baseline, BaselineFrom, PlanStatus, Status, TargetStatus};
use crate::actual::{Actual, FiguresByTarget};
use crate::period::{Frequency, Period};
use crate::plan::{Cmp, Kind, Measure, Plan, StatusThresholds, Target};

/// Values within this distance compare as equal, so the boundaries of the status rules
/// (m = 0, m = −tolerance, behind = 10, behind = 30) hold as written.
pub const EPSILON: f64 = 1e-9;

/// `a ≥ b`, with values within [`EPSILON`] equal.
fn at_least(a: f64, b: f64) -> bool {
    a >= b - EPSILON
}

/// `a > b`, with values within [`EPSILON`] equal.
fn above(a: f64, b: f64) -> bool {
    a > b + EPSILON
}

/// Whether `actual` is at or beyond `bar` in the direction of `cmp`: at or above for
/// `reach`, `at_least` and `about`, strictly above for `more_than`, at or below for
/// `at_most` (docs/status-rules.md, "reached").
fn reaches(cmp: Cmp, actual: f64, bar: f64) -> bool {
    match cmp {
        Cmp::MoreThan => above(actual, bar),
        Cmp::AtMost => at_least(bar, actual),
        Cmp::About | Cmp::AtLeast | Cmp::Reach => at_least(actual, bar),
    }
}

/// Evaluates every target of `plan` at `as_of` on `figures`, the current figures
/// (`actual::current_figures`: the latest revision per target and window as known at
/// a moment). Figures of other plans' targets, and of other years, are ignored. Should two figures share a
/// target and window, the one recorded later (then logged later) counts.
pub fn evaluate(plan: &Plan, figures: &[&Actual], as_of: Period) -> PlanStatus {
    PlanStatus { as_of, targets: evaluate_targets(plan, plan.targets(), figures, as_of) }
}

/// [`evaluate`] for some of the plan's targets, in their order: `figures` must hold
/// every current figure of those targets and of the targets they keep in step with.
pub fn evaluate_targets(plan: &Plan, targets: &[Target], figures: &[&Actual], as_of: Period) -> Vec<TargetStatus> {
    let by_target = FiguresByTarget::new(figures);
    crate::parallel::map_chunks(targets, crate::parallel::ROWS_PER_THREAD, |part| {
        part.iter().map(|target| evaluate_target(plan, target, &by_target, as_of)).collect()
    })
}

/// The latest period with any figure in the plan (the default as-of period of docs/status-rules.md).
/// Among figures whose periods end in the same month, the coarsest period names it
/// (`2020Q3` rather than `2020-09` when both were logged), so the choice does not
/// depend on the order of `figures`.
pub fn default_as_of(plan: &Plan, figures: &[&Actual]) -> Option<Period> {
    // Figures come grouped by target: the plan is asked once per target, not per figure.
    let mut known: Option<(&str, bool)> = None;
    figures
        .iter()
        .filter(|figure| {
            figure.period.year() == plan.year
                && match known {
                    Some((code, in_plan)) if code == &*figure.target => in_plan,
                    _ => known.insert((&figure.target, plan.target(&figure.target).is_some())).1,
                }
        })
        .map(|figure| figure.period)
        .max_by(|a, b| a.end_key().cmp(&b.end_key()).then(b.span().cmp(&a.span())))
}

/// The period a figure is due for at `as_of`: the last period of the target's
/// frequency that ends at or before `as_of` and no later than the end of the target's
/// due period (after the due period, the figure for the due period stays the one
/// expected). `None` before the first such period.
pub fn due_for(target: &Target, plan_year: i32, as_of: Period) -> Option<Period> {
    let month = match as_of.year().cmp(&plan_year) {
        std::cmp::Ordering::Less => return None,
        std::cmp::Ordering::Equal => as_of.end_month(),
        std::cmp::Ordering::Greater => 12,
    };
    let month = month.min(target.due_period(plan_year).end_month());
    match target.frequency {
        Frequency::Month => Some(Period::month(plan_year, month)),
        Frequency::Quarter => (month >= 3).then(|| Period::quarter(plan_year, month / 3)),
        Frequency::Year => (month == 12).then(|| Period::full_year(plan_year)),
    }
}

/// How many periods of the target's frequency end after `end_month` and no later
/// than the end of its due period.
pub fn periods_left(target: &Target, plan_year: i32, end_month: u8) -> u8 {
    let due_end = target.due_period(plan_year).end_month();
    let step = target.frequency.months();
    (due_end / step).saturating_sub(end_month.min(due_end) / step)
}

/// The current figure of `code` for the window ending in `end_key`, if any.
fn figure_for_window<'a>(figures: &[&'a Actual], code: &str, end_key: i64) -> Option<&'a Actual> {
    figures
        .iter()
        .copied()
        .filter(|figure| *figure.target == *code && figure.period.end_key() == end_key)
        .max_by_key(|figure| (figure.recorded_at, figure.id))
}

/// The latest figure of `code` for the plan's year whose period ends at or before `as_of`.
fn latest_figure<'a>(figures: &[&'a Actual], code: &str, plan_year: i32, as_of: Period) -> Option<&'a Actual> {
    figures
        .iter()
        .copied()
        .filter(|figure| {
            *figure.target == *code && figure.period.year() == plan_year && figure.period.end_key() <= as_of.end_key()
        })
        .max_by_key(|figure| (figure.period.end_key(), figure.recorded_at, figure.id))
}

fn evaluate_target(plan: &Plan, target: &Target, by_target: &FiguresByTarget<'_>, as_of: Period) -> TargetStatus {
    let figures = by_target.of(&target.code);
    let due_for = due_for(target, plan.year, as_of);
    let overdue = due_for.is_some_and(|due| figure_for_window(figures, &target.code, due.end_key()).is_none());
    let mut status = TargetStatus { overdue, due_for, ..TargetStatus::blank(&target.code, Status::NoData) };
    let Some(latest) = latest_figure(figures, &target.code, plan.year, as_of) else {
        return status;
    };
    status.actual = Some(latest.value);
    status.period = Some(latest.period);
    status.figure = Some(latest.id);
    status.final_period = latest.period.end_key() >= target.due_period(plan.year).end_key();
    if target.kind.is_threshold() {
        evaluate_threshold(plan.year, target, by_target, latest, &mut status);
    } else {
        let baseline = baseline(target, figures, plan.year, latest);
        evaluate_accumulation(plan.year, plan.thresholds, target, baseline, latest, &mut status);
    }
    // The higher bar is judged on the same figure by the same direction; a ceiling on
    // something that grows is only kept when the due period closes.
    status.strive_met = target
        .strive
        .map(|strive| reaches(target.cmp, latest.value, strive) && (status.final_period || !target.is_cap()));
    status
}

/// growth, rate, share, relative: the margin m against the tolerance.
fn evaluate_threshold(
    plan_year: i32,
    target: &Target,
    by_target: &FiguresByTarget<'_>,
    latest: &Actual,
    status: &mut TargetStatus,
) {
    let reference = if target.kind == Kind::Relative {
        let related = target.related.as_deref().unwrap_or_default();
        match figure_for_window(by_target.of(related), related, latest.period.end_key()) {
            Some(figure) => {
                status.related_actual = Some(figure.value);
                status.related_figure = Some(figure.id);
                figure.value
            }
            // No figure of the related target for the same period: nothing to compare with.
            None => return,
        }
    } else {
        target.value
    };
    let m = if target.cmp == Cmp::AtMost { reference - latest.value } else { latest.value - reference };
    let met = reaches(target.cmp, latest.value, reference);
    let within_tolerance = at_least(m, -target.tolerance());
    let nearly_possible = target.cmp == Cmp::About || target.kind == Kind::Relative;
    status.status = match (status.final_period, met, within_tolerance) {
        (false, true, _) => Status::OnTrack,
        (false, false, true) => Status::AtRisk,
        (false, false, false) => Status::OffTrack,
        (true, true, _) => Status::Met,
        (true, false, true) if nearly_possible => Status::NearlyMet,
        (true, false, _) => Status::Missed,
    };
    status.gap = Some(m);
    status.margin = Some(m);
    // A rate or share is a level: the points still to gain can be spread over the
    // periods left. A growth rate is cumulative since January and does not add up
    // over periods, so nothing per period is given for growth and relative targets.
    if matches!(target.kind, Kind::Rate | Kind::Share) {
        status.needed_per_period = needed_per_period(target, plan_year, latest.period.end_month(), m);
    }
}

/// The shortfall (−gap) spread over the periods of the target's frequency left after
/// `end_month`, rounded up to a whole number for a count (what must still be done);
/// `None` when no period is left or nothing is still needed.
fn needed_per_period(target: &Target, plan_year: i32, end_month: u8, gap: f64) -> Option<f64> {
    let left = periods_left(target, plan_year, end_month);
    if left == 0 || !above(-gap, 0.0) {
        return None;
    }
    let needed = -gap / f64::from(left);
    Some(if target.kind == Kind::Count { (needed - EPSILON).ceil() } else { needed })
}

/// What an accumulation target's progress is measured from: the plan's baseline (0
/// when it gives none, as a year-to-date count starts from nothing); for a stock (a
/// `level` count or amount) without one, its first figure of the year up to the
/// latest, which is never measured from zero.
fn baseline(target: &Target, figures: &[&Actual], plan_year: i32, latest: &Actual) -> Baseline {
    let stock = matches!(target.kind, Kind::Count | Kind::Amount) && target.measure() == Measure::Level;
    let from_plan = Baseline { value: target.baseline(), from: BaselineFrom::Plan };
    if !stock || target.baseline.is_some() {
        return from_plan;
    }
    let first_end = figures
        .iter()
        .filter(|figure| {
            *figure.target == *target.code
                && figure.period.year() == plan_year
                && figure.period.end_key() <= latest.period.end_key()
        })
        .map(|figure| figure.period.end_key())
        .min();
    // Validation lets no infinite figure in; one stored anyway measures nothing.
    match first_end.and_then(|end| figure_for_window(figures, &target.code, end)).filter(|f| f.value.is_finite()) {
        Some(first) => Baseline { value: first.value, from: BaselineFrom::FirstFigure(first.period) },
        None => from_plan,
    }
}

/// The value at the due period if the rest goes as the pace expects (the planned path
/// where there is one): baseline + done ÷ expected share. `None` when nothing was
/// expected yet (at a stock's first figure, or a planned path still at 0).
fn projection(baseline: f64, actual: f64, pace: f64) -> Option<f64> {
    above(pace, 0.0).then(|| baseline + (actual - baseline) / pace)
}

/// count, amount, milestone: progress against pace.
fn evaluate_accumulation(
    plan_year: i32,
    thresholds: StatusThresholds,
    target: &Target,
    start: Baseline,
    latest: &Actual,
    status: &mut TargetStatus,
) {
    let actual = latest.value;
    let value = target.value;
    let baseline = start.value;
    let end_month = latest.period.end_month();
    let reached = reaches(target.cmp, actual, value);
    // A cap on something that grows from its baseline (at_most, value above the
    // baseline): using the cap faster than pace is being behind, and a cap is only
    // kept when the due period closes.
    let cap = target.is_cap();
    let span = value - baseline;
    let progress = if span.abs() < EPSILON { f64::from(u8::from(reached)) } else { (actual - baseline) / span };
    let pace = pace_since(target, plan_year, start.from.start_month(), end_month);
    let ahead_share = if cap { pace - progress } else { progress - pace };
    let behind = -ahead_share * 100.0;
    status.status = if status.final_period {
        if reached {
            Status::Met
        } else {
            Status::Missed
        }
    } else if reached && !cap {
        Status::Met
    } else if cap && !reached {
        // Over the cap before the due period.
        Status::OffTrack
    } else if !at_least(behind, thresholds.at_risk_behind) {
        Status::OnTrack
    } else if !above(behind, thresholds.off_track_behind) {
        Status::AtRisk
    } else {
        Status::OffTrack
    };
    let gap = if target.cmp == Cmp::AtMost { value - actual } else { actual - value };
    status.gap = Some(gap);
    status.margin = Some(ahead_share * span.abs());
    status.progress = Some(progress);
    status.pace = Some(pace);
    status.behind = Some(behind);
    status.projected = projection(baseline, actual, pace);
    // A ceiling needs nothing more: what is left of it is an allowance, not a shortfall.
    status.needed_per_period = if cap { None } else { needed_per_period(target, plan_year, end_month, gap) };
    status.baseline = Some(start);
}
