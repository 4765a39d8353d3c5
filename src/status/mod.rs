//! Status of every target at an as-of period (docs/status-rules.md). The types here
//! are the contract between the evaluation and everything that shows a status
//! (tables, charts, reports). The evaluation is pure: no SQLite, no clock, no IO.

mod evaluate;
mod pace;
mod row;
#[cfg(test)]
mod tests;

pub use evaluate::{default_as_of, due_for, evaluate, evaluate_targets, periods_left, EPSILON};
pub use pace::{expected_pace, pace_since};
pub use row::{clean, status_rows, StatusRow, StatusRows};

use crate::period::Period;

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NearlyMet,
    OnTrack,
    AtRisk,
    OffTrack,
    Missed,
    NoData,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Met,
        Status::NearlyMet,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Missed,
        Status::NoData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NearlyMet => "nearly_met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Missed => "missed",
            Status::NoData => "no_data",
        }
    }

    /// Status colours (green, green-yellow, green, yellow, red, red, grey) as CSS hex.
    pub fn colour(self) -> &'static str {
        match self {
            Status::Met | Status::OnTrack => "#2e7d32",
            Status::NearlyMet => "#9acd32",
            Status::AtRisk => "#f9a825",
            Status::OffTrack | Status::Missed => "#c62828",
            Status::NoData => "#9e9e9e",
        }
    }

    /// Whether the target needs attention: behind pace, or finished short of the goal.
    pub fn is_behind(self) -> bool {
        matches!(self, Status::AtRisk | Status::OffTrack | Status::Missed | Status::NearlyMet)
    }
}

/// The evaluation of one target at an as-of period.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetStatus {
    pub code: String,
    pub status: Status,
    /// A figure due by the target's frequency is missing at the as-of period.
    pub overdue: bool,
    /// The period a figure is due for at the as-of period (None before the first one).
    pub due_for: Option<Period>,
    /// The latest figure at or before the as-of period, and its period.
    pub actual: Option<f64>,
    pub period: Option<Period>,
    /// The id of the figure that counts (the one `actual` is), decided here once:
    /// rows and reports look it up for its provenance and note, never choose again.
    pub figure: Option<i64>,
    /// Whether that figure's period ends at or after the due period's end.
    pub final_period: bool,
    /// Gap to the target in the target's unit, positive = ahead.
    pub gap: Option<f64>,
    /// Threshold kinds: the margin m in points; accumulation kinds: the gap to pace in the unit.
    pub margin: Option<f64>,
    /// Accumulation kinds: share of the target done (1 = all of it).
    pub progress: Option<f64>,
    /// Accumulation kinds: expected share by now (序时进度).
    pub pace: Option<f64>,
    /// Accumulation kinds: points of the annual target behind pace (negative = ahead).
    pub behind: Option<f64>,
    /// Accumulation kinds: linear projection to the due period.
    pub projected: Option<f64>,
    /// What is still needed per remaining period of the target's frequency (None when no period is left).
    pub needed_per_period: Option<f64>,
    /// Relative targets: the related target's figure for the same period.
    pub related_actual: Option<f64>,
    /// Relative targets: the id of the related target's figure that was compared.
    pub related_figure: Option<i64>,
    /// Accumulation kinds: what progress is measured from (the plan's baseline, or a
    /// stock's first figure of the year when the plan gives none).
    pub baseline: Option<Baseline>,
    /// Targets with a higher bar (`strive`): whether the figure reaches it (a ceiling
    /// on a count that accumulates only at the final period); None without a strive
    /// bar or without a figure.
    pub strive_met: Option<bool>,
}

/// The level progress is measured from, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub value: f64,
    pub from: BaselineFrom,
}

/// Where a baseline came from (`baseline_from` in JSON and CSV).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BaselineFrom {
    /// The plan's `baseline` (0 for a year-to-date count, which starts from nothing).
    Plan,
    /// A stock without a baseline: its first figure of the year, for this period,
    /// stands in, and the pace runs from that period's end.
    FirstFigure(Period),
}

impl BaselineFrom {
    /// `plan` / `first_figure`: the stable values of the `baseline_from` field.
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineFrom::Plan => "plan",
            BaselineFrom::FirstFigure(_) => "first_figure",
        }
    }

    /// The month the pace starts from: 0 (the start of the year) for the plan's baseline.
    pub fn start_month(self) -> u8 {
        match self {
            BaselineFrom::Plan => 0,
            BaselineFrom::FirstFigure(period) => period.end_month(),
        }
    }
}

impl TargetStatus {
    /// A status with no figures: every measured field empty. The evaluation and test
    /// fixtures fill in what applies.
    pub fn blank(code: &str, status: Status) -> TargetStatus {
        TargetStatus {
            code: code.to_string(),
            status,
            overdue: false,
            due_for: None,
            actual: None,
            period: None,
            figure: None,
            final_period: false,
            gap: None,
            margin: None,
            progress: None,
            pace: None,
            behind: None,
            projected: None,
            needed_per_period: None,
            related_actual: None,
            related_figure: None,
            baseline: None,
            strive_met: None,
        }
    }
}

impl TargetStatus {
    /// The first figure (value, period) a stock's progress is measured from, when it
    /// stands in for a baseline the plan does not give.
    pub fn first_figure(&self) -> Option<(f64, Period)> {
        match self.baseline? {
            Baseline { value, from: BaselineFrom::FirstFigure(period) } => Some((value, period)),
            Baseline { from: BaselineFrom::Plan, .. } => None,
        }
    }
}

/// The status of a whole plan at an as-of period.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStatus {
    pub as_of: Period,
    /// One entry per target, in the plan's order.
    pub targets: Vec<TargetStatus>,
}

impl PlanStatus {
    /// How many targets have each status, in `Status::ALL` order, and how many are overdue.
    pub fn counts(&self) -> ([usize; 7], usize) {
        let mut counts = [0; 7];
        for target in &self.targets {
            counts[Status::ALL.iter().position(|s| *s == target.status).unwrap_or(6)] += 1;
        }
        (counts, self.targets.iter().filter(|t| t.overdue).count())
    }

    pub fn target(&self, code: &str) -> Option<&TargetStatus> {
        self.targets.iter().find(|t| t.code == code)
    }

    /// Every target's status by code, for callers that look up many (a city's plan
    /// has thousands; [`PlanStatus::target`] scans).
    pub fn by_code(&self) -> std::collections::HashMap<&str, &TargetStatus> {
        let mut map = std::collections::HashMap::with_capacity(self.targets.len());
        for target in &self.targets {
            map.entry(target.code.as_str()).or_insert(target);
        }
        map
    }
}
