//! Figures a department enters at the web desk (the entry form and `POST
//! /api/v1/figures`): who may enter them, then the one import path
//! ([`crate::import::import_figures`] with [`ImportInput::Entered`]), so an entered
//! figure is checked, refused and written exactly as a row of an imported sheet. Also
//! the entry form's model: the periods to choose from and the unit's due targets with
//! their standing figures. No web here: the desk's handlers call these.

use chrono::{DateTime, Datelike, Utc};

use crate::access::{can, Action};
use crate::accounts::User;
use crate::actual::current_figures;
use crate::error::StoreError;
use crate::import::{
    import_figures, EnteredRow, ImportError, ImportInput, ImportOutcome, ImportRequest, ALREADY_LOGGED, WINDOW_LOCKED,
};
use crate::lang::Lang;
use crate::period::{Period, Span};
use crate::plan::Plan;
use crate::review::FigureState;
use crate::store::{AuditEntry, Clock, Store};
use crate::validate::target_named;

/// How the `imports` row of figures entered at the desk is named (where a file's
/// name goes); `imported_by` names the person.
pub const ENTRY_LABEL: &str = "web desk entry";

/// Why entered figures were not written. Nothing was written in any case.
#[derive(Debug)]
pub enum EntryError {
    /// The user may not log figures at all, or a row names a target another unit
    /// leads: `place` is the row (`entry 2`), `target` its code.
    Forbidden { place: Option<String>, target: Option<String> },
    /// No row has a value.
    Nothing,
    /// The import path refused (every bad row listed) or the store failed.
    Import(ImportError),
}

impl EntryError {
    /// Whether the refusal is a conflict with what is stored (a locked window, a window
    /// taken without a reason) rather than bad input: every problem is of that kind.
    pub fn is_conflict(&self) -> bool {
        match self {
            EntryError::Import(ImportError::BadRows { problems, .. }) => {
                problems.iter().all(|p| p.kind == WINDOW_LOCKED || p.kind == ALREADY_LOGGED)
            }
            _ => false,
        }
    }
}

/// Who enters, and when.
pub struct Enterer<'a> {
    pub user: &'a User,
    pub now: DateTime<Utc>,
    pub clock: Clock,
    /// The audit line of the write (address, action); its detail gets how many figures
    /// and the import's id, written in the same transaction.
    pub audit: &'a AuditEntry,
}

/// Checks that `enterer.user` may log every row's target, then writes the rows through
/// the import path into the plan `plan_id` (the latest loaded plan when `None`): all or
/// nothing. A row naming an unknown target is left to the import's checks, which list
/// it with a "did you mean".
pub fn enter_figures(
    store: &mut Store,
    enterer: &Enterer<'_>,
    plan_id: Option<&str>,
    rows: &[EnteredRow],
) -> Result<ImportOutcome, EntryError> {
    let store_error = |source| EntryError::Import(ImportError::Store { file: ENTRY_LABEL.to_string(), source });
    let plan_id = store.resolve_plan_id(plan_id).map_err(store_error)?;
    let plan = store.load_plan_for_checking(&plan_id).map_err(store_error)?;
    authorise(enterer.user, &plan, rows)?;
    let request = ImportRequest {
        input: ImportInput::Entered { label: ENTRY_LABEL, rows },
        plan: &plan,
        default_by: &enterer.user.name,
        now: enterer.now,
        clock: enterer.clock,
        dry_run: false,
        audit: Some(enterer.audit),
    };
    let outcome = import_figures(store, &request, |_| {}, |_| {}).map_err(EntryError::Import)?;
    if outcome.written == 0 {
        return Err(EntryError::Nothing);
    }
    Ok(outcome)
}

/// Whether `user` may log a figure for every row's target (unknown targets aside).
fn authorise(user: &User, plan: &Plan, rows: &[EnteredRow]) -> Result<(), EntryError> {
    let own = user.lead_unit.as_deref().unwrap_or_default();
    if !can(user, Action::LogFigure { lead_unit: own }) {
        return Err(EntryError::Forbidden { place: None, target: None });
    }
    for (index, row) in rows.iter().enumerate() {
        if let Some(target) = target_named(plan, &row.target) {
            let lead_unit = target.lead_unit.as_deref().unwrap_or_default();
            if !can(user, Action::LogFigure { lead_unit }) {
                return Err(EntryError::Forbidden {
                    place: Some(format!("entry {}", index + 1)),
                    target: Some(target.code.clone()),
                });
            }
        }
    }
    Ok(())
}

/// The entry form of one lead unit for one period.
#[derive(Debug)]
pub struct EntryForm {
    pub plan: String,
    /// The periods of the plan's year that have ended, latest first (a quarter before
    /// the month it ends in).
    pub periods: Vec<Period>,
    pub period: Period,
    /// The unit's targets due that period, in plan order.
    pub rows: Vec<FormRow>,
}

/// One target on the entry form.
#[derive(Debug)]
pub struct FormRow {
    pub code: String,
    pub name: String,
    /// The target's unit of measure (%, 亿元).
    pub unit: String,
    /// The goal in words (`present::goal_words`).
    pub goal: String,
    /// The period its figure is asked for (`2020-09` for a monthly target in `2020Q3`).
    pub period: Period,
    pub standing: Option<Standing>,
}

/// The figure standing in a row's window.
#[derive(Debug)]
pub struct Standing {
    pub id: i64,
    pub value: f64,
    pub source: Option<String>,
    pub state: FigureState,
    /// The reviewer's reason when it was returned (退回).
    pub returned_reason: Option<String>,
}

impl Standing {
    /// An approved figure locks its window until the statistics office reopens it.
    pub fn locked(&self) -> bool {
        self.state == FigureState::Approved
    }
}

/// The periods of `plan_year` that have ended by `now` (their last month is over),
/// latest first; within one end month the longer period first.
pub fn ended_periods(plan_year: i32, now: DateTime<Utc>) -> Vec<Period> {
    let current = Period::month(now.year(), now.month() as u8);
    let mut periods: Vec<Period> = (1..=12u8)
        .map(|m| Period::month(plan_year, m))
        .chain((1..=4u8).map(|q| Period::quarter(plan_year, q)))
        .chain([Period::full_year(plan_year)])
        .filter(|p| p.end_key() < current.end_key())
        .collect();
    let length = |p: &Period| match p.span() {
        Span::Year => 3,
        Span::Quarter(_) => 2,
        _ => 1,
    };
    periods.sort_by_key(|p| (std::cmp::Reverse(p.end_key()), std::cmp::Reverse(length(p))));
    periods
}

/// The entry form of `unit` for `period` (the latest ended period when `None`), in
/// the plan `plan_id` (the latest loaded when `None`).
pub fn entry_form(
    store: &Store,
    plan_id: Option<&str>,
    unit: &str,
    period: Option<Period>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<EntryForm, StoreError> {
    let plan = store.load_plan(&store.resolve_plan_id(plan_id)?)?;
    let periods = ended_periods(plan.year, now);
    let period = period.or_else(|| periods.first().copied()).unwrap_or_else(|| Period::month(plan.year, 1));
    let actuals = store.actuals(&plan.id)?;
    let states = store.figure_states(&plan.id)?;
    let standing = current_figures(&actuals, None);
    let rows = plan
        .targets()
        .iter()
        .filter(|t| t.lead_unit.as_deref() == Some(unit) && period.year() == plan.year)
        .filter_map(|target| {
            let asked = crate::template::period_asked(target, plan.year, period)?;
            let figure = standing.iter().find(|a| *a.target == *target.code && a.period.end_key() == asked.end_key());
            Some(FormRow {
                code: target.code.clone(),
                name: lang.name(&target.name, Some(&target.name_en)).to_string(),
                unit: target.unit.clone(),
                goal: crate::present::goal_words(&plan, target, lang),
                period: asked,
                standing: figure.map(|figure| {
                    let last = states.last_event(figure.id, None);
                    let state = last.map_or(FigureState::Submitted, |e| e.to);
                    Standing {
                        id: figure.id,
                        value: figure.value,
                        source: figure.source.as_deref().map(str::to_string),
                        state,
                        returned_reason: last.filter(|_| state == FigureState::Returned).and_then(|e| e.reason.clone()),
                    }
                }),
            })
        })
        .collect();
    Ok(EntryForm { plan: plan.id.clone(), periods, period, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_periods_to_choose_are_those_ended_latest_first() {
        let now = Utc.with_ymd_and_hms(2020, 10, 15, 8, 0, 0).unwrap();
        let labels: Vec<String> = ended_periods(2020, now).iter().map(|p| p.label()).collect();
        assert_eq!(labels[..4], ["2020Q3", "2020-09", "2020-08", "2020-07"]);
        assert!(!labels.contains(&"2020-10".to_string()), "October is not over");
        assert!(!labels.contains(&"2020".to_string()));
        assert_eq!(labels.len(), 9 + 3);
        let later = Utc.with_ymd_and_hms(2021, 1, 20, 8, 0, 0).unwrap();
        assert_eq!(ended_periods(2020, later).first().map(|p| p.label()).as_deref(), Some("2020"));
        let before = Utc.with_ymd_and_hms(2020, 1, 20, 8, 0, 0).unwrap();
        assert!(ended_periods(2020, before).is_empty());
    }
}
