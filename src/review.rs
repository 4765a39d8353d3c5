//! The life of a figure: its state (submitted 已报送 · returned 已退回 · approved 已审核 ·
//! void 已作废), the events that change it, the rules of which change is allowed, and
//! which figures count. Pure: the store reads and appends the events
//! (`store/review.rs`), commands show them.
//!
//! A figure without events is `submitted`; each event moves it `from → to`, and the
//! latest event known at a moment is its state then. Approving a figure locks its
//! target's window (no new figure, no revision) until it is reopened.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::actual::{current_figures, Actual};

/// Where a figure stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FigureState {
    /// 已报送: logged (or re-logged, or reopened) and awaiting review. Counts.
    Submitted,
    /// 已退回: sent back to the unit with a reason. Does not count.
    Returned,
    /// 已审核: checked by the office; its window is locked. Counts.
    Approved,
    /// 已作废: withdrawn (logged to the wrong target, period or plan). Does not count.
    Void,
}

impl FigureState {
    pub const ALL: [FigureState; 4] =
        [FigureState::Submitted, FigureState::Returned, FigureState::Approved, FigureState::Void];

    /// The word stored in the database and printed in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            FigureState::Submitted => "submitted",
            FigureState::Returned => "returned",
            FigureState::Approved => "approved",
            FigureState::Void => "void",
        }
    }

    /// Its name in Chinese and English (`present::figure_state` shows it; the words
    /// live here so that `error.rs`, which `present` cannot serve, says them too).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            FigureState::Submitted => ("已报送", "submitted"),
            FigureState::Returned => ("已退回", "returned"),
            FigureState::Approved => ("已审核", "approved"),
            FigureState::Void => ("已作废", "void"),
        }
    }

    pub fn parse(text: &str) -> Option<FigureState> {
        FigureState::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// Whether a figure in this state counts in status, charts and reports.
    pub fn counts(self, counting: Counting) -> bool {
        match self {
            FigureState::Approved => true,
            FigureState::Submitted => counting == Counting::AllCurrent,
            FigureState::Returned | FigureState::Void => false,
        }
    }
}

/// What a reviewer does to a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// submitted → approved
    Approve,
    /// submitted → returned, with a reason
    Return,
    /// approved → submitted, with a reason: unlocks the window
    Reopen,
    /// submitted or returned → void, with a reason
    Void,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Reopen => "reopen",
            Action::Void => "void",
        }
    }

    /// The verb in Chinese and English ("cannot approve …").
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Action::Approve => ("审核", "approve"),
            Action::Return => ("退回", "return"),
            Action::Reopen => ("重新打开", "reopen"),
            Action::Void => ("作废", "void"),
        }
    }

    /// Whether the action must say why (every one but approving).
    pub fn needs_reason(self) -> bool {
        self != Action::Approve
    }
}

/// Why an action cannot be taken on a figure in its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Approve an approved figure, or return one: it is approved already.
    AlreadyApproved,
    /// Any action on a void figure: nothing more happens to it.
    IsVoid,
    /// Approve or reopen a returned figure: the unit re-logs it first.
    IsReturned,
    /// Return a returned figure.
    AlreadyReturned,
    /// Reopen a figure that is not approved.
    NotApproved,
    /// Void an approved figure: reopen it first, so the lock is lifted by someone who says why.
    ApprovedNeedsReopen,
}

/// The state `action` moves a figure in `from` to, or why it cannot.
pub fn transition(action: Action, from: FigureState) -> Result<FigureState, Refusal> {
    use FigureState::*;
    match (action, from) {
        (_, Void) => Err(Refusal::IsVoid),
        (Action::Approve, Submitted) => Ok(Approved),
        (Action::Approve, Approved) => Err(Refusal::AlreadyApproved),
        (Action::Approve, Returned) => Err(Refusal::IsReturned),
        (Action::Return, Submitted) => Ok(Returned),
        (Action::Return, Approved) => Err(Refusal::AlreadyApproved),
        (Action::Return, Returned) => Err(Refusal::AlreadyReturned),
        (Action::Reopen, Approved) => Ok(Submitted),
        (Action::Reopen, Returned) => Err(Refusal::IsReturned),
        (Action::Reopen, Submitted) => Err(Refusal::NotApproved),
        (Action::Void, Submitted | Returned) => Ok(Void),
        (Action::Void, Approved) => Err(Refusal::ApprovedNeedsReopen),
    }
}

/// One change of a figure's state.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureEvent {
    /// The order events happened in.
    pub id: i64,
    pub figure: i64,
    pub from: FigureState,
    pub to: FigureState,
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// Whether `at` came from a set clock (`ONTRACK_NOW`).
    pub set_clock: bool,
}

/// Every event of a plan's figures, by figure, each figure's in the order they happened.
#[derive(Debug, Default, Clone)]
pub struct FigureStates {
    events: HashMap<i64, Vec<FigureEvent>>,
}

impl FigureStates {
    /// From events in any order.
    pub fn new(mut events: Vec<FigureEvent>) -> FigureStates {
        events.sort_by_key(|e| e.id);
        let mut by_figure: HashMap<i64, Vec<FigureEvent>> = HashMap::new();
        for event in events {
            by_figure.entry(event.figure).or_default().push(event);
        }
        FigureStates { events: by_figure }
    }

    /// A figure's events, oldest first.
    pub fn events_of(&self, figure: i64) -> &[FigureEvent] {
        self.events.get(&figure).map_or(&[], Vec::as_slice)
    }

    /// The latest event of a figure known at `known_at` (every event when `None`).
    pub fn last_event(&self, figure: i64, known_at: Option<DateTime<Utc>>) -> Option<&FigureEvent> {
        self.events_of(figure).iter().rev().find(|e| known_at.is_none_or(|moment| e.at <= moment))
    }

    /// A figure's state at `known_at`: `submitted` until its first event.
    pub fn state_of(&self, figure: i64, known_at: Option<DateTime<Utc>>) -> FigureState {
        self.last_event(figure, known_at).map_or(FigureState::Submitted, |e| e.to)
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// Which figures count: every current one (submitted and approved), or approved only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counting {
    #[default]
    AllCurrent,
    ApprovedOnly,
}

/// The figures that count as of `known_at`: for each target and window the current
/// figure (`actual::current_figures`), kept only if its state then counts — a returned
/// or void figure leaves its window empty; with [`Counting::ApprovedOnly`] so does a
/// submitted one. The one place status, charts and reports take their figures from.
pub fn counting_figures<'a>(
    actuals: &'a [Actual],
    states: &FigureStates,
    known_at: Option<DateTime<Utc>>,
    counting: Counting,
) -> Vec<&'a Actual> {
    let mut figures = current_figures(actuals, known_at);
    if !states.is_empty() || counting == Counting::ApprovedOnly {
        figures.retain(|a| states.state_of(a.id, known_at).counts(counting));
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Period;

    /// Every action from every state: the state machine as a table.
    #[test]
    fn the_rule_table() {
        use FigureState::*;
        let cases = [
            (Action::Approve, Submitted, Ok(Approved)),
            (Action::Approve, Approved, Err(Refusal::AlreadyApproved)),
            (Action::Approve, Returned, Err(Refusal::IsReturned)),
            (Action::Approve, Void, Err(Refusal::IsVoid)),
            (Action::Return, Submitted, Ok(Returned)),
            (Action::Return, Approved, Err(Refusal::AlreadyApproved)),
            (Action::Return, Returned, Err(Refusal::AlreadyReturned)),
            (Action::Return, Void, Err(Refusal::IsVoid)),
            (Action::Reopen, Approved, Ok(Submitted)),
            (Action::Reopen, Submitted, Err(Refusal::NotApproved)),
            (Action::Reopen, Returned, Err(Refusal::IsReturned)),
            (Action::Reopen, Void, Err(Refusal::IsVoid)),
            (Action::Void, Submitted, Ok(Void)),
            (Action::Void, Returned, Ok(Void)),
            (Action::Void, Approved, Err(Refusal::ApprovedNeedsReopen)),
            (Action::Void, Void, Err(Refusal::IsVoid)),
        ];
        for (action, from, expected) in cases {
            assert_eq!(transition(action, from), expected, "{action:?} from {from:?}");
        }
        for state in FigureState::ALL {
            assert_eq!(FigureState::parse(state.as_str()), Some(state));
        }
    }

    fn figure(id: i64, target: &str, month: u8, second: i64) -> Actual {
        Actual {
            id,
            target: target.into(),
            period: Period::month(2020, month),
            value: id as f64,
            source: None,
            recorded_by: "t".into(),
            recorded_at: DateTime::from_timestamp(1_600_000_000 + second, 0).unwrap(),
            note: None,
            revises: None,
            reason: None,
        }
    }

    fn event(id: i64, figure: i64, from: FigureState, to: FigureState, second: i64) -> FigureEvent {
        FigureEvent {
            id,
            figure,
            from,
            to,
            by: "office".into(),
            at: DateTime::from_timestamp(1_600_000_000 + second, 0).unwrap(),
            reason: Some("r".into()),
            set_clock: false,
        }
    }

    #[test]
    fn returned_and_void_figures_do_not_count_and_approved_only_counts_approved() {
        use FigureState::*;
        let actuals = vec![figure(1, "a", 1, 0), figure(2, "a", 2, 1), figure(3, "b", 1, 2), figure(4, "c", 1, 3)];
        let states = FigureStates::new(vec![
            event(3, 3, Submitted, Void, 12),
            event(1, 1, Submitted, Approved, 10),
            event(2, 2, Submitted, Returned, 11),
        ]);
        let ids = |figures: Vec<&Actual>| figures.iter().map(|a| a.id).collect::<Vec<_>>();
        assert_eq!(ids(counting_figures(&actuals, &states, None, Counting::AllCurrent)), [1, 4]);
        assert_eq!(ids(counting_figures(&actuals, &states, None, Counting::ApprovedOnly)), [1]);
        // Before the return and the void were known, figures 2 and 3 still counted.
        let before = DateTime::from_timestamp(1_600_000_010, 0);
        assert_eq!(ids(counting_figures(&actuals, &states, before, Counting::AllCurrent)), [1, 2, 3, 4]);
        assert_eq!(states.state_of(2, None), Returned);
        assert_eq!(states.state_of(2, before), Submitted);
        assert_eq!(states.state_of(9, None), Submitted);
    }
}
