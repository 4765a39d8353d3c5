//! A family's comparison (docs/compare.md): for every indicator (a target code the
//! child plans share), each child plan's latest figure that counts, its own target,
//! status, gap and progress, its rank (位次) and the change in rank since the previous
//! period of the indicator's frequency. Pure: the caller loads each plan and the
//! figures that count for it (`review::counting_figures`); the statuses come from
//! `status::evaluate`, so a district's row says what its own `status` says.

use std::collections::HashMap;

use crate::actual::Actual;
use crate::period::{Frequency, Period};
use crate::plan::{Cmp, Plan, Target};
use crate::status::{self, Status, TargetStatus, EPSILON};

/// What a family is ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The figure itself: higher is better, lower for an `at_most` target.
    Value,
    /// The share of its own target ([`progress_of`]): higher is better, lower for a
    /// ceiling on a count that accumulates (the share of the allowance used).
    Progress,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Value => "value",
            By::Progress => "progress",
        }
    }
}

/// One child plan and the figures that count for it (`review::counting_figures`).
pub struct Member<'a> {
    pub plan: &'a Plan,
    pub figures: Vec<&'a Actual>,
}

/// The family's comparison at one as-of period.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub as_of: Period,
    pub by: By,
    /// In the order the indicators first appear in the family's plans.
    pub indicators: Vec<Indicator>,
}

/// One indicator across the family.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub code: String,
    /// The member whose target names the indicator (the first that has it): its name,
    /// unit, frequency and direction stand for the indicator's.
    pub first: usize,
    pub frequency: Frequency,
    /// Whether a lower figure ranks higher (`at_most`), or with [`By::Progress`] a
    /// lower share (a ceiling's allowance used).
    pub lower_is_better: bool,
    /// The period the rank change is measured from (None in the first period of the
    /// indicator's frequency, and for a yearly one).
    pub previous: Option<Period>,
    /// Ranked members first (by rank, ties in family order), then those with the
    /// indicator but no figure, then those without the indicator.
    pub rows: Vec<Row>,
}

/// One member's place on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The member's position in the family given to [`compute`].
    pub member: usize,
    /// Whether the member's plan has the indicator; without it every field is empty.
    pub has_indicator: bool,
    /// The latest figure at or before the as-of period, and its period.
    pub value: Option<f64>,
    pub period: Option<Period>,
    /// The value the status is decided on (the member's own target).
    pub target: Option<f64>,
    pub status: Option<Status>,
    pub overdue: bool,
    /// In the target's unit, positive = ahead.
    pub gap: Option<f64>,
    /// The share of its own target ([`progress_of`]).
    pub progress: Option<f64>,
    /// 1 = best; ties share a rank (1, 2, 2, 4); None without a figure.
    pub rank: Option<u32>,
    /// Places moved up since the previous period (negative = down); None when either
    /// rank is missing.
    pub rank_change: Option<i64>,
}

/// The as-of period a comparison defaults to: the latest period with a figure in any
/// member (as `status::default_as_of` picks it for one plan).
pub fn default_as_of(family: &[Member<'_>]) -> Option<Period> {
    family
        .iter()
        .filter_map(|member| status::default_as_of(member.plan, &member.figures))
        .max_by(|a, b| a.end_key().cmp(&b.end_key()).then(b.span().cmp(&a.span())))
}

/// The period before the one of `frequency` that `as_of` stands in: the month before,
/// the quarter before; None for a year and in the first period.
pub fn previous_period(frequency: Frequency, as_of: Period) -> Option<Period> {
    let (year, month) = (as_of.year(), as_of.end_month());
    match frequency {
        Frequency::Month => (month > 1).then(|| Period::month(year, month - 1)),
        Frequency::Quarter => (month / 3 > 1).then(|| Period::quarter(year, month / 3 - 1)),
        Frequency::Year => None,
    }
}

/// The share of its own target a status stands at: for a target that accumulates,
/// the share done (`progress`); for one judged by a threshold, 1 + gap ÷ |target|
/// (1 + gap for a target of 0), so 1 is the bar and above it is ahead whatever the
/// direction. None without a figure.
pub fn progress_of(target: &Target, evaluated: &TargetStatus) -> Option<f64> {
    evaluated.actual?;
    match evaluated.progress {
        Some(progress) => Some(progress),
        None => {
            let gap = evaluated.gap?;
            let scale = if target.value.abs() > EPSILON { target.value.abs() } else { 1.0 };
            Some(1.0 + gap / scale)
        }
    }
}

/// The comparison of `family` at `as_of`, ranked `by`.
pub fn compute(family: &[Member<'_>], as_of: Period, by: By) -> Comparison {
    let now: Vec<Vec<TargetStatus>> =
        family.iter().map(|m| status::evaluate(m.plan, &m.figures, as_of).targets).collect();
    // The previous periods the indicators need, each evaluated once per member.
    let mut before: HashMap<Period, Vec<Vec<TargetStatus>>> = HashMap::new();

    let mut indicators: Vec<Indicator> = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for (index, member) in family.iter().enumerate() {
        for target in member.plan.targets() {
            if seen.insert(&target.code, ()).is_some() {
                continue;
            }
            let lower_is_better = match by {
                By::Value => target.cmp == Cmp::AtMost,
                By::Progress => target.is_cap(),
            };
            let previous = previous_period(target.frequency, as_of);
            if let Some(period) = previous {
                before.entry(period).or_insert_with(|| {
                    family.iter().map(|m| status::evaluate(m.plan, &m.figures, period).targets).collect()
                });
            }
            indicators.push(Indicator {
                code: target.code.clone(),
                first: index,
                frequency: target.frequency,
                lower_is_better,
                previous,
                rows: Vec::new(),
            });
        }
    }

    for indicator in &mut indicators {
        let mut rows: Vec<Row> = family
            .iter()
            .enumerate()
            .map(|(index, member)| row(index, member.plan, &now[index], &indicator.code))
            .collect();
        let scores: Vec<Option<f64>> = rows.iter().map(|r| score(r, by)).collect();
        let ranks = rank(&scores, indicator.lower_is_better);
        let previous_ranks = indicator.previous.map(|period| {
            let statuses = &before[&period];
            let scores: Vec<Option<f64>> = family
                .iter()
                .enumerate()
                .map(|(index, member)| score(&row(index, member.plan, &statuses[index], &indicator.code), by))
                .collect();
            rank(&scores, indicator.lower_is_better)
        });
        for (index, row) in rows.iter_mut().enumerate() {
            row.rank = ranks[index];
            row.rank_change = match (&previous_ranks, row.rank) {
                (Some(previous), Some(now)) => previous[index].map(|then| i64::from(then) - i64::from(now)),
                _ => None,
            };
        }
        rows.sort_by_key(|r| (r.rank.is_none(), r.rank.unwrap_or(0), !r.has_indicator, r.member));
        indicator.rows = rows;
    }
    Comparison { as_of, by, indicators }
}

/// One member's row on `code` from its evaluation, unranked.
fn row(member: usize, plan: &Plan, statuses: &[TargetStatus], code: &str) -> Row {
    let target = plan.target(code);
    let evaluated = plan.target_position(code).and_then(|position| statuses.get(position));
    match (target, evaluated) {
        (Some(target), Some(evaluated)) => Row {
            member,
            has_indicator: true,
            value: evaluated.actual,
            period: evaluated.period,
            // A relative target is compared with its partner's figure, as in `status`.
            target: if target.kind == crate::plan::Kind::Relative {
                evaluated.related_actual
            } else {
                Some(target.value)
            },
            status: Some(evaluated.status),
            overdue: evaluated.overdue,
            gap: evaluated.gap.map(status::clean),
            progress: progress_of(target, evaluated).map(status::clean),
            rank: None,
            rank_change: None,
        },
        _ => Row {
            member,
            has_indicator: false,
            value: None,
            period: None,
            target: None,
            status: None,
            overdue: false,
            gap: None,
            progress: None,
            rank: None,
            rank_change: None,
        },
    }
}

fn score(row: &Row, by: By) -> Option<f64> {
    match by {
        By::Value => row.value,
        By::Progress => row.progress,
    }
}

/// Standard competition ranks (1, 2, 2, 4) of `scores`, best first; scores within
/// [`EPSILON`] tie; None stays unranked.
pub fn rank(scores: &[Option<f64>], lower_is_better: bool) -> Vec<Option<u32>> {
    let better = |a: f64, b: f64| if lower_is_better { a < b - EPSILON } else { a > b + EPSILON };
    let mut ranked: Vec<f64> = scores.iter().flatten().copied().filter(|s| s.is_finite()).collect();
    ranked.sort_by(|a, b| if lower_is_better { a.total_cmp(b) } else { b.total_cmp(a) });
    scores
        .iter()
        .map(|score| {
            let score = (*score).filter(|s| s.is_finite())?;
            let ahead = ranked.partition_point(|&other| better(other, score));
            Some(ahead as u32 + 1)
        })
        .collect()
}

/// One row of `compare --format json|csv` and of the report's JSON and CSV: the
/// stable fields of docs/compare.md, in their order. `None` is null / an empty cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompareRow {
    pub code: String,
    pub plan: String,
    /// The organisation in Chinese, as the plan file names it.
    pub org: String,
    pub value: Option<f64>,
    pub period: Option<String>,
    pub target: Option<f64>,
    /// `met` … `no_data`; null for a plan without the indicator.
    pub status: Option<String>,
    pub gap: Option<f64>,
    pub progress: Option<f64>,
    pub rank: Option<u32>,
    pub rank_change: Option<i64>,
}

impl CompareRow {
    /// The field names, in order: the JSON keys and the CSV header (also for no rows).
    pub const FIELDS: [&'static str; 11] =
        ["code", "plan", "org", "value", "period", "target", "status", "gap", "progress", "rank", "rank_change"];
}

/// The flat rows of a comparison, indicator by indicator, each in rank order.
/// `plans` are the family's plans in the order given to [`compute`].
pub fn compare_rows(plans: &[&Plan], comparison: &Comparison) -> Vec<CompareRow> {
    let mut rows = Vec::new();
    for indicator in &comparison.indicators {
        for row in &indicator.rows {
            let plan = plans[row.member];
            rows.push(CompareRow {
                code: indicator.code.clone(),
                plan: plan.id.clone(),
                org: plan.org.clone(),
                value: row.value,
                period: row.period.map(|p| p.label()),
                target: row.target,
                status: row.status.map(|s| s.as_str().to_string()),
                gap: row.gap,
                progress: row.progress,
                rank: row.rank,
                rank_change: row.rank_change,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests;
