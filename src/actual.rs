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
    // Sorted by window, then time: the last of each window is the one that counts.
    // (One sort of references instead of a map keyed by text: a city has millions.)
    let mut known: Vec<&Actual> =
        actuals.iter().filter(|a| known_at.is_none_or(|moment| a.recorded_at <= moment)).collect();
    known.sort_unstable_by(|a, b| {
        (a.target.as_str(), a.period.end_key(), a.recorded_at, a.id).cmp(&(
            b.target.as_str(),
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
