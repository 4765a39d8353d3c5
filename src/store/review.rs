//! Review in the database: a figure's events (`figure_events`, append-only), the
//! transitions that append them, each in one IMMEDIATE transaction that reads the state
//! it changes once it holds the write lock, and the lock an approved figure puts on its
//! window (checked by `FigureWriter::insert`, the one write path of figures).

use rusqlite::{params, Connection, OptionalExtension};

use super::{write_moment, AuditEntry, Clock, Result, Store};
use crate::error::{LockedWindow, RefusedTransition, StoreError};
use crate::period::Period;
use crate::review::{transition, Action, FigureEvent, FigureState, FigureStates, Refusal};
use crate::time::parse_timestamp;

/// Which figures a review acts on.
#[derive(Debug, Clone)]
pub enum Selection {
    /// These figures (ids): each must be the standing figure of its window, and the
    /// action must be allowed on each, else nothing is changed.
    Figures(Vec<i64>),
    /// The standing figures of one window for every target a lead unit leads; those
    /// the action does not apply to are left as they are and listed.
    Window { period: Period, lead_unit: String },
    /// The standing figures an import wrote (for `void --import`); figures of it since
    /// revised are left as they are.
    Import(i64),
}

/// A review to carry out.
#[derive(Debug, Clone)]
pub struct ReviewRequest {
    pub plan_id: String,
    pub action: Action,
    pub selection: Selection,
    pub by: String,
    pub reason: Option<String>,
    pub clock: Clock,
}

/// One figure a review changed, or left as it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub figure: i64,
    pub target: String,
    pub period: String,
    pub from: FigureState,
    /// The new state; `None` when the figure was left as it was (a window selection).
    pub to: Option<FigureState>,
}

/// A figure as review sees it: its target, window and whether it is its window's
/// standing figure.
struct Reviewed {
    id: i64,
    target: String,
    period: String,
    /// Set when a later figure revises this one.
    revised_by: Option<i64>,
}

impl Store {
    /// Every event of the figures of plan `plan_id`.
    pub fn figure_states(&self, plan_id: &str) -> Result<FigureStates> {
        let mut statement = self.conn.prepare_cached(
            "SELECT e.id, e.actual_id, e.from_state, e.to_state, e.changed_by, e.changed_at, e.reason, e.clock_set
             FROM figure_events e JOIN actuals a ON a.id = e.actual_id JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1",
        )?;
        let events = statement.query_map([plan_id], event_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(FigureStates::new(events))
    }

    /// The import each figure of plan `plan_id` came from (figures from `record` have none).
    pub fn figure_imports(&self, plan_id: &str) -> Result<std::collections::HashMap<i64, i64>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT a.id, a.import_id FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 AND a.import_id IS NOT NULL",
        )?;
        let pairs = statement.query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(pairs.collect::<rusqlite::Result<_>>()?)
    }

    /// Carries out a review in one IMMEDIATE transaction: the figures' states are read
    /// once the write lock is held, so of two reviewers acting on one figure at once the
    /// second sees what the first did (and is refused if that no longer allows its
    /// action). All or nothing.
    pub fn review(&mut self, request: &ReviewRequest) -> Result<Vec<Transition>> {
        self.review_then(request, None)
    }

    /// [`Store::review`] with its line in the audit log (the web desk's reviews),
    /// written in the same transaction: the review and its record stand or fall
    /// together.
    pub fn review_audited(&mut self, request: &ReviewRequest, entry: &AuditEntry) -> Result<Vec<Transition>> {
        self.review_then(request, Some(entry))
    }

    fn review_then(&mut self, request: &ReviewRequest, entry: Option<&AuditEntry>) -> Result<Vec<Transition>> {
        if request.action.needs_reason() && request.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(StoreError::ReasonMissing { action: request.action.as_str() });
        }
        self.write(|tx| {
            super::plans::refuse_bundled(tx, &request.plan_id)?;
            let figures = select(tx, request)?;
            let moment = write_moment(tx, request.clock)?;
            let set_clock = matches!(request.clock, Clock::Set(_));
            let strict = !matches!(request.selection, Selection::Window { .. });
            let mut done = Vec::with_capacity(figures.len());
            for figure in figures {
                if let Some(later) = figure.revised_by {
                    // Only a window selection or an import can reach a revised figure,
                    // and neither selects one; named by id, it is refused.
                    return Err(StoreError::FigureRevised { id: figure.id, target: figure.target, later });
                }
                let (from, last) = state_in(tx, figure.id)?;
                match transition(request.action, from) {
                    Ok(to) => {
                        tx.prepare_cached(
                            "INSERT INTO figure_events (actual_id, from_state, to_state, changed_by, changed_at, \
                             reason, clock_set) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        )?
                        .execute(params![
                            figure.id,
                            from.as_str(),
                            to.as_str(),
                            request.by,
                            moment,
                            request.reason.as_deref().map(str::trim),
                            set_clock
                        ])?;
                        done.push(Transition {
                            figure: figure.id,
                            target: figure.target,
                            period: figure.period,
                            from,
                            to: Some(to),
                        });
                    }
                    // Voiding an import stops at an approved figure, as voiding it alone would.
                    Err(refusal) if strict || refusal == Refusal::ApprovedNeedsReopen => {
                        return Err(StoreError::TransitionRefused(Box::new(RefusedTransition {
                            id: figure.id,
                            target: figure.target,
                            period: figure.period,
                            action: request.action,
                            from,
                            refusal,
                            last: match last {
                                Some(e) => Some((e.by, on_plan_clock(tx, figure.id, e.at)?)),
                                None => None,
                            },
                        })))
                    }
                    Err(_) => done.push(Transition {
                        figure: figure.id,
                        target: figure.target,
                        period: figure.period,
                        from,
                        to: None,
                    }),
                }
            }
            if let Some(entry) = entry {
                super::accounts::append_audit(tx, entry)?;
            }
            Ok(done)
        })
    }
}

/// The figures `request` names, read inside the write transaction.
fn select(tx: &Connection, request: &ReviewRequest) -> Result<Vec<Reviewed>> {
    let plan = &request.plan_id;
    let row = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Reviewed> {
        Ok(Reviewed { id: r.get(0)?, target: r.get(1)?, period: r.get(2)?, revised_by: r.get(3)? })
    };
    const COLUMNS: &str = "a.id, t.code, a.period, (SELECT later.id FROM actuals later WHERE later.revises = a.id)";
    match &request.selection {
        Selection::Figures(ids) => {
            let mut statement = tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM actuals a JOIN targets t ON t.id = a.target_id WHERE a.id = ?1 AND t.plan_id = ?2"
            ))?;
            let mut figures = Vec::with_capacity(ids.len());
            for &id in ids {
                match statement.query_row(params![id, plan], row).optional()? {
                    Some(figure) if !figures.iter().any(|f: &Reviewed| f.id == id) => figures.push(figure),
                    Some(_) => {}
                    None => return Err(StoreError::UnknownFigure { plan: plan.clone(), id }),
                }
            }
            Ok(figures)
        }
        Selection::Window { period, lead_unit } => {
            let mut statement = tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM actuals a JOIN targets t ON t.id = a.target_id
                 WHERE t.plan_id = ?1 AND t.lead_unit = ?2 AND a.period_end = ?3
                   AND NOT EXISTS (SELECT 1 FROM actuals later WHERE later.revises = a.id)
                 ORDER BY t.position"
            ))?;
            let figures = statement
                .query_map(params![plan, lead_unit, period.end_key()], row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if figures.is_empty() {
                return Err(StoreError::NothingToReview {
                    plan: plan.clone(),
                    period: period.label(),
                    lead_unit: lead_unit.clone(),
                });
            }
            Ok(figures)
        }
        Selection::Import(import) => {
            let of_plan: Option<String> =
                tx.query_row("SELECT plan_id FROM imports WHERE id = ?1", [import], |r| r.get(0)).optional()?;
            if of_plan.as_deref() != Some(plan.as_str()) {
                return Err(StoreError::UnknownImport { plan: plan.clone(), id: *import });
            }
            let mut statement = tx.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM actuals a JOIN targets t ON t.id = a.target_id
                 WHERE a.import_id = ?1 AND NOT EXISTS (SELECT 1 FROM actuals later WHERE later.revises = a.id)
                 ORDER BY a.id"
            ))?;
            let figures = statement.query_map([import], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(figures)
        }
    }
}

/// A figure's state as stored now, and the event that set it (none while `submitted`
/// by default).
pub(super) fn state_in(conn: &Connection, figure: i64) -> Result<(FigureState, Option<FigureEvent>)> {
    let last = conn
        .prepare_cached(
            "SELECT id, actual_id, from_state, to_state, changed_by, changed_at, reason, clock_set
             FROM figure_events WHERE actual_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([figure], event_from_row)
        .optional()?;
    Ok((last.as_ref().map_or(FigureState::Submitted, |e| e.to), last))
}

/// Refuses a write to the window of `standing` (its standing figure) while that figure
/// is approved: the message names who approved it and when.
pub(super) fn refuse_if_locked(tx: &Connection, standing: i64, target: &str, period: Period) -> Result<FigureState> {
    let (state, last) = state_in(tx, standing)?;
    if state == FigureState::Approved {
        let (by, at) = match last {
            Some(e) => (e.by, on_plan_clock(tx, standing, e.at)?),
            None => Default::default(),
        };
        return Err(StoreError::WindowLocked(Box::new(LockedWindow {
            target: target.to_string(),
            period: period.label(),
            figure: standing,
            by,
            at,
        })));
    }
    Ok(state)
}

/// A review moment as a refusal shows it: on the clock of the figure's plan, to the
/// second, with its offset (`2020-10-15 17:00:00+08:00`), the same in both languages.
fn on_plan_clock(tx: &Connection, figure: i64, at: chrono::DateTime<chrono::Utc>) -> Result<String> {
    let zone: String = tx.query_row(
        "SELECT p.timezone FROM actuals a JOIN targets t ON t.id = a.target_id JOIN plans p ON p.id = t.plan_id
         WHERE a.id = ?1",
        [figure],
        |r| r.get(0),
    )?;
    let zone: crate::time::PlanZone = zone.parse().unwrap_or_default();
    Ok(zone.format(at, "%Y-%m-%d %H:%M:%S%:z"))
}

pub(super) fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FigureEvent> {
    let state = |index: usize| -> rusqlite::Result<FigureState> {
        let text: String = r.get(index)?;
        FigureState::parse(&text).ok_or_else(|| corrupt(index, &text))
    };
    let at: String = r.get(5)?;
    Ok(FigureEvent {
        id: r.get(0)?,
        figure: r.get(1)?,
        from: state(2)?,
        to: state(3)?,
        by: r.get(4)?,
        at: parse_timestamp(&at).ok_or_else(|| corrupt(5, &at))?,
        reason: r.get(6)?,
        set_clock: r.get(7)?,
    })
}

fn corrupt(index: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("unexpected value {text:?} in the database").into(),
    )
}
