//! The one import path: a sheet is streamed, each row checked and each figure written
//! through [`FigureWriter`] as it comes, inside one IMMEDIATE transaction, so a file of
//! a million rows needs the memory of one row (and 8 bytes per figure to name an
//! earlier row of the file in a message). Every bad row is collected (bounded:
//! [`RowProblems`]); the transaction commits only when the file is clean and it is not
//! a dry run. A dry run is the very same path, rolled back: it finds exactly what the
//! import would, including clashes with figures logged already, which the store (the
//! unique window index, the no-op revision check) refuses.

use std::cell::RefCell;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{
    already_logged_message, nothing_to_revise_message, revision_changes_nothing_text, same_window_message,
    stream_figures, CheckedRow, ImportError, RowProblem, RowProblems, SheetNotes, ALREADY_LOGGED, NOTHING_TO_REVISE,
    REVISION_CHANGES_NOTHING, SAME_WINDOW,
};
use crate::actual::NewActual;
use crate::error::StoreError;
use crate::plan::Plan;
use crate::store::{Clock, FigureWriter, Store};

/// What to import, and how.
pub struct ImportRequest<'a> {
    pub file: &'a Path,
    /// The plan to import into, as `Store::load_plan_for_checking` gives it.
    pub plan: &'a Plan,
    /// Who logged a row whose by (填报人) cell is blank.
    pub default_by: &'a str,
    /// "Now" for the checks: a period not yet over is refused.
    pub now: DateTime<Utc>,
    /// The clock the figures are stamped by (read inside the transaction).
    pub clock: Clock,
    /// Check and write in a transaction that is then rolled back.
    pub dry_run: bool,
}

/// What an import wrote, or on a dry run would have written.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    /// What the sheet said about itself (ignored columns, the encoding read).
    pub notes: SheetNotes,
    pub written: usize,
    pub revisions: usize,
    /// Rows with a target but no value: skipped, as a template's unfilled rows are.
    pub skipped_blank: usize,
    /// On a dry run, each figure that would be written, with its place (the value
    /// cell, `line 4`, `填报!C4`), in file order; empty for a real import.
    pub figures: Vec<(String, NewActual)>,
}

/// Imports `request.file` into `store`: all or nothing, and on a dry run nothing.
/// `on_start` is called with the sheet's notes once its header is found, before any
/// row (so a caller can show them even when the file is then refused); `on_row` with
/// the number of rows read so far. Fails with every bad row listed
/// ([`ImportError::BadRows`]), with the sheet's own problem, or with the store's
/// ([`ImportError::Store`]); nothing is written then.
pub fn import_figures(
    store: &mut Store,
    request: &ImportRequest<'_>,
    mut on_start: impl FnMut(&SheetNotes),
    mut on_row: impl FnMut(usize),
) -> Result<ImportOutcome, ImportError> {
    let shown = request.file.display().to_string();
    let mut outcome = ImportOutcome::default();
    let mut problems = RowProblems::default();
    let mut failure: Option<ImportError> = None;
    let result = store.bulk_write_if(|tx| {
        let mut writer = FigureWriter::for_plan(tx, request.plan, request.clock)?;
        // The line (or row) of each figure written from this file, to name the row
        // that took a window first when a later row asks for it again. Ids are
        // consecutive while the transaction holds the write lock, so the i-th figure
        // written has id `first_id + i`; its line is kept as runs of consecutive lines
        // (written index, line) — one run for a clean file, not one entry per row.
        let mut first_id: Option<i64> = None;
        let mut written = 0u64;
        let mut runs: Vec<(u64, u64)> = Vec::new();
        let mut fatal: Option<StoreError> = None;
        let mut rows = 0usize;
        let notes_seen = RefCell::new(SheetNotes::default());
        let streamed = stream_figures(
            request.file,
            request.plan,
            request.now,
            request.default_by,
            |notes| {
                on_start(notes);
                *notes_seen.borrow_mut() = notes.clone();
            },
            |checked| {
                rows += 1;
                on_row(rows);
                let (figure, number) = match checked {
                    CheckedRow::Blank => {
                        outcome.skipped_blank += 1;
                        return;
                    }
                    CheckedRow::Refused(found) => {
                        problems.extend(found);
                        return;
                    }
                    CheckedRow::Figure { figure, number } => (figure, number),
                };
                if fatal.is_some() {
                    return;
                }
                let problem = |kind, message| RowProblem {
                    place: notes_seen.borrow().value_place(number),
                    target: Some(figure.target.clone()),
                    message,
                    kind,
                };
                match writer.insert(&figure) {
                    Ok(id) => {
                        let first = *first_id.get_or_insert(id);
                        debug_assert_eq!(id - first, written as i64, "ids are consecutive in one transaction");
                        let continues = runs.last().is_some_and(|&(index, line)| line + (written - index) == number);
                        if !continues {
                            runs.push((written, number));
                        }
                        written += 1;
                        outcome.written += 1;
                        outcome.revisions += usize::from(figure.revision_reason.is_some());
                        if request.dry_run {
                            outcome.figures.push((notes_seen.borrow().value_place(number), figure));
                        }
                    }
                    Err(StoreError::WindowTaken { standing, .. }) => {
                        let earlier_row = first_id
                            .and_then(|first| u64::try_from(standing.id - first).ok())
                            .filter(|&index| index < written)
                            .map(|index| {
                                let run = runs.partition_point(|&(start, _)| start <= index) - 1;
                                let (start, line) = runs[run];
                                line + (index - start)
                            });
                        problems.push(match earlier_row {
                            // Messages about a window name the row's period cell.
                            Some(line) => RowProblem {
                                place: notes_seen.borrow().period_place(number),
                                target: Some(figure.target.clone()),
                                message: same_window_message(
                                    &notes_seen.borrow().period_place(line),
                                    &standing.period,
                                    figure.period,
                                ),
                                kind: SAME_WINDOW,
                            },
                            None => problem(
                                ALREADY_LOGGED,
                                already_logged_message(
                                    &figure,
                                    standing.value,
                                    &standing.period,
                                    &standing.recorded_by,
                                    &standing.recorded_at,
                                ),
                            ),
                        });
                    }
                    Err(StoreError::RevisionChangesNothing { standing, .. }) => problems.push(problem(
                        REVISION_CHANGES_NOTHING,
                        revision_changes_nothing_text(&figure, standing.value, standing.source.as_deref()),
                    )),
                    Err(StoreError::NothingToRevise { .. }) => {
                        problems.push(problem(NOTHING_TO_REVISE, nothing_to_revise_message(&figure)))
                    }
                    Err(other) => fatal = Some(other),
                }
            },
        );
        if let Some(error) = fatal {
            return Err(error);
        }
        match streamed {
            Ok(notes) => outcome.notes = notes,
            Err(error) => failure = Some(error),
        }
        let clean = failure.is_none() && problems.is_empty();
        Ok(((), clean && !request.dry_run))
    });
    result.map_err(|source| ImportError::Store { file: shown.clone(), source })?;
    if let Some(error) = failure {
        return Err(error);
    }
    if !problems.is_empty() {
        return Err(ImportError::BadRows { file: shown, problems });
    }
    Ok(outcome)
}
