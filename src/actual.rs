//! An actual: a figure logged for a target and a period, with its provenance.

use chrono::{DateTime, Utc};

use crate::period::Period;

/// One logged figure. Figures are never changed: a revision is another `Actual`
/// whose `revises` names the figure it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Actual {
    /// Database row id; also the order in which figures were logged.
    pub id: i64,
    /// The target's code.
    pub target: String,
    /// The period as logged; its end month is the window.
    pub period: Period,
    pub value: f64,
    pub source: Option<String>,
    pub recorded_by: String,
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
    let mut latest: std::collections::BTreeMap<(&str, i64), &Actual> = std::collections::BTreeMap::new();
    for actual in actuals {
        if known_at.is_some_and(|moment| actual.recorded_at > moment) {
            continue;
        }
        let key = (actual.target.as_str(), actual.period.end_key());
        match latest.get(&key) {
            Some(held) if (held.recorded_at, held.id) > (actual.recorded_at, actual.id) => {}
            _ => {
                latest.insert(key, actual);
            }
        }
    }
    latest.into_values().collect()
}

/// Figures grouped by target code, each group in the order given: built once so that
/// looking up one target's figures does not scan every figure of a city's plan.
#[derive(Debug, Default)]
pub struct FiguresByTarget<'a> {
    groups: std::collections::HashMap<&'a str, Vec<&'a Actual>>,
}

impl<'a> FiguresByTarget<'a> {
    pub fn new(figures: &[&'a Actual]) -> FiguresByTarget<'a> {
        let mut groups: std::collections::HashMap<&'a str, Vec<&'a Actual>> = std::collections::HashMap::new();
        for &figure in figures {
            groups.entry(figure.target.as_str()).or_default().push(figure);
        }
        FiguresByTarget { groups }
    }

    /// The figures of one target (none for an unknown code).
    pub fn of(&self, code: &str) -> &[&'a Actual] {
        self.groups.get(code).map_or(&[], Vec::as_slice)
    }
}
