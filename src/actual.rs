//! An actual: a figure logged for a target and a period, with its provenance.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::period::Period;

/// The figure currently standing for a target and window.
#[derive(Debug, Clone, PartialEq)]
pub struct StandingFigure {
    pub id: i64,
    pub period: String,
    pub value: f64,
    pub source: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

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
    pub note: Option<Box<str>>,
    /// The id of the figure this one revises.
    pub revises: Option<i64>,
    /// Why it was revised (初步核算 → 最终核实); set exactly when `revises` is.
    pub reason: Option<Box<str>>,
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

/// Whether a revision to `value` from `source` would change nothing of the standing
/// figure (same value, same source): such a revision is refused, by `record` and
/// `import` (and its dry run) alike, in `store::FigureWriter::insert`.
pub fn revision_changes_nothing(standing_value: f64, standing_source: Option<&str>, revision: &NewActual) -> bool {
    standing_value == revision.value && standing_source == revision.source.as_deref()
}

/// The figures that count as of a moment: for each target and window, the latest
/// figure recorded at or before `known_at` (all figures when `None`). Ties in time go
/// to the figure logged later. The result is sorted by target, then window.
pub fn current_figures(actuals: &[Actual], known_at: Option<DateTime<Utc>>) -> Vec<&Actual> {
    // Sorted by target, window, then time: the last of each window is the one that
    // counts. Figures are put in their target's place by counting (the targets sorted
    // once by code), then each target's few figures sorted: a city's million figures
    // are never compared by their text.
    let known: Vec<&Actual> =
        actuals.iter().filter(|a| known_at.is_none_or(|moment| a.recorded_at <= moment)).collect();
    let mut first_seen: foldhash::HashMap<&str, usize> = Default::default();
    let mut last: Option<(&str, usize)> = None;
    let target_of: Vec<usize> = known
        .iter()
        .map(|actual| {
            let code = &*actual.target;
            let target = match last {
                Some((last_code, target)) if last_code == code => target,
                _ => {
                    let next = first_seen.len();
                    *first_seen.entry(code).or_insert(next)
                }
            };
            last = Some((code, target));
            target
        })
        .collect();
    let mut codes: Vec<(&str, usize)> = first_seen.into_iter().collect();
    codes.sort_unstable();
    // Where each target's figures start in the sorted list.
    let mut counts = vec![0usize; codes.len()];
    for &target in &target_of {
        counts[target] += 1;
    }
    let mut start = vec![0usize; codes.len()];
    let mut next = 0;
    for &(_, target) in &codes {
        start[target] = next;
        next += counts[target];
    }
    let mut sorted: Vec<&Actual> = known.clone();
    for (actual, &target) in known.iter().zip(&target_of) {
        sorted[start[target]] = actual;
        start[target] += 1;
    }
    let mut latest: Vec<&Actual> = Vec::with_capacity(sorted.len());
    let mut from = 0;
    for &(_, target) in &codes {
        let figures = &mut sorted[from..from + counts[target]];
        from += counts[target];
        let window_and_time = |a: &&Actual| (a.period.end_key(), a.recorded_at, a.id);
        if !figures.is_sorted_by_key(window_and_time) {
            figures.sort_unstable_by_key(window_and_time);
        }
        for &actual in figures.iter() {
            match latest.last_mut() {
                Some(last) if last.target == actual.target && last.period.end_key() == actual.period.end_key() => {
                    *last = actual;
                }
                _ => latest.push(actual),
            }
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

    fn definition_order(a: &Actual) -> (Arc<str>, i64, DateTime<Utc>, i64) {
        (a.target.clone(), a.period.end_key(), a.recorded_at, a.id)
    }

    /// The definition, written plainly: one sort by target text, window, time, id.
    fn current_by_one_sort(actuals: &[Actual], known_at: Option<DateTime<Utc>>) -> Vec<i64> {
        let mut known: Vec<&Actual> = actuals.iter().filter(|a| known_at.is_none_or(|m| a.recorded_at <= m)).collect();
        known.sort_by_key(|a| definition_order(a));
        let mut latest: Vec<&Actual> = Vec::new();
        for actual in known {
            match latest.last_mut() {
                Some(last) if last.target == actual.target && last.period.end_key() == actual.period.end_key() => {
                    *last = actual
                }
                _ => latest.push(actual),
            }
        }
        latest.iter().map(|a| a.id).collect()
    }

    #[test]
    fn current_figures_are_the_latest_of_each_window_in_any_logging_order() {
        let codes = ["b-roads", "a-gdp", "c", "a-gdp2"];
        let periods = ["2020-01", "2020Q1", "2020-02", "2020-06", "2020H1"];
        // A fixed shuffle: targets, windows and times interleaved, with revisions
        // (same window, later time), a revision logged earlier in time than its id
        // suggests, and ties in time.
        let mut logged = Vec::new();
        for id in 1..=60i64 {
            let mut figure = figure(id, codes[(id * 7 % 4) as usize], periods[(id * 3 % 5) as usize]);
            figure.recorded_at = DateTime::from_timestamp(1_600_000_000 + (id * 37 % 11), 0).unwrap();
            logged.push(figure);
        }
        for known_at in [None, Some(DateTime::from_timestamp(1_600_000_005, 0).unwrap())] {
            let got: Vec<i64> = current_figures(&logged, known_at).iter().map(|a| a.id).collect();
            assert_eq!(got, current_by_one_sort(&logged, known_at), "known at {known_at:?}");
        }
        let mut in_order = logged.clone();
        in_order.sort_by_key(definition_order);
        let got: Vec<i64> = current_figures(&in_order, None).iter().map(|a| a.id).collect();
        assert_eq!(got, current_by_one_sort(&logged, None), "already in order");
        assert!(current_figures(&[], None).is_empty());
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
