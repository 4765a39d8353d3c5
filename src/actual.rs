//! An actual: a figure logged for a target and a period, with its provenance.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::period::Period;

/// One logged figure. Figures are never changed: a revision is another `Actual`
/// whose `revises` names the figure it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Actual {
    /// Database row id; also the order in which figures were logged.
    pub id: i64,
    /// The target's code. Shared text (as are `source` and `recorded_by`): a city's
    /// plan has a million figures and a few thousand distinct texts among them.
    pub target: Arc<str>,
    /// The period as logged; its end month is the window.
    pub period: Period,
    pub value: f64,
    pub source: Option<Arc<str>>,
    pub recorded_by: Arc<str>,
    pub recorded_at: DateTime<Utc>,
    pub note: Option<String>,
    /// The id of the figure this one revises.
    pub revises: Option<i64>,
    /// Why it was revised (初步核算 → 最终核实); set exactly when `revises` is.
    pub reason: Option<String>,
}

/// A figure to be logged: what a person typed or a sheet row held, checked and
/// converted to domain types.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActual {
    pub target: String,
    pub period: Period,
    pub value: f64,
    pub source: Option<String>,
    pub recorded_by: String,
    pub note: Option<String>,
    /// `Some(reason)` marks the figure as a revision of the current one for its window.
    pub revision_reason: Option<String>,
}

/// The figures that count as of a moment: for each target and window, the latest
/// figure recorded at or before `known_at` (all figures when `None`). Ties in time go
/// to the figure logged later. The result is sorted by target, then window.
pub fn current_figures(actuals: &[Actual], known_at: Option<DateTime<Utc>>) -> Vec<&Actual> {
    // Sorted by window, then time: the last of each window is the one that counts.
    // (One sort of references instead of a map keyed by text: a city has millions.)
    let mut known: Vec<&Actual> =
        actuals.iter().filter(|a| known_at.is_none_or(|moment| a.recorded_at <= moment)).collect();
    known.sort_unstable_by(|a, b| {
        (&*a.target, a.period.end_key(), a.recorded_at, a.id).cmp(&(
            &*b.target,
            b.period.end_key(),
            b.recorded_at,
            b.id,
        ))
    });
    let mut latest: Vec<&Actual> = Vec::with_capacity(known.len());
    for actual in known {
        match latest.last_mut() {
            Some(last) if last.target == actual.target && last.period.end_key() == actual.period.end_key() => {
                *last = actual;
            }
            _ => latest.push(actual),
        }
    }
    latest
}

/// Figures grouped by target code, each group in the order given: built once so that
/// looking up one target's figures does not scan every figure of a city's plan.
#[derive(Debug, Default)]
pub struct FiguresByTarget<'a> {
    /// The figures, grouped by target (a stable sort, so each group keeps its order).
    figures: Vec<&'a Actual>,
    /// Where each target's group is in `figures`.
    groups: foldhash::HashMap<&'a str, std::ops::Range<usize>>,
}

impl<'a> FiguresByTarget<'a> {
    pub fn new(figures: &[&'a Actual]) -> FiguresByTarget<'a> {
        let mut figures = figures.to_vec();
        // `current_figures` gives them sorted by target already.
        if !figures.is_sorted_by(|a, b| a.target <= b.target) {
            figures.sort_by(|a, b| a.target.cmp(&b.target));
        }
        let mut groups: foldhash::HashMap<&'a str, std::ops::Range<usize>> = Default::default();
        let mut start = 0;
        for end in 1..=figures.len() {
            if end == figures.len() || figures[end].target != figures[start].target {
                groups.insert(&figures[start].target, start..end);
                start = end;
            }
        }
        FiguresByTarget { figures, groups }
    }

    /// The figures of one target (none for an unknown code).
    pub fn of(&self, code: &str) -> &[&'a Actual] {
        self.groups.get(code).map_or(&[], |range| &self.figures[range.clone()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(id: i64, target: &str, period: &str) -> Actual {
        Actual {
            id,
            target: target.into(),
            period: period.parse().unwrap(),
            value: id as f64,
            source: None,
            recorded_by: "t".into(),
            recorded_at: DateTime::from_timestamp(1_600_000_000 + id, 0).unwrap(),
            note: None,
            revises: None,
            reason: None,
        }
    }

    #[test]
    fn groups_keep_the_order_given_whether_or_not_sorted_by_target() {
        let logged = [figure(1, "b", "2020-02"), figure(2, "a", "2020-01"), figure(3, "b", "2020-01")];
        let given: Vec<&Actual> = logged.iter().collect();
        let by_target = FiguresByTarget::new(&given);
        let ids = |code: &str| by_target.of(code).iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(ids("b"), [1, 3]);
        assert_eq!(ids("a"), [2]);
        assert!(ids("c").is_empty());

        let current = current_figures(&logged, None);
        let by_target = FiguresByTarget::new(&current);
        let ids = |code: &str| by_target.of(code).iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(ids("b"), [3, 1], "by window");
        assert!(FiguresByTarget::new(&[]).of("a").is_empty());
    }
}
