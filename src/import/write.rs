//! The one import path: a sheet is streamed, each row checked and each figure written
//! through [`FigureWriter`] as it comes, inside one IMMEDIATE transaction, so a file of
//! a million rows needs the memory of one row (and 8 bytes per figure to name an
//! earlier row of the file in a message). Every bad row is collected (bounded:
//! [`RowProblems`]); the transaction commits only when the file is clean and it is not
//! a dry run. A dry run is the very same path, rolled back: it finds exactly what the
//! import would, including clashes with figures logged already, which the store (the
//! unique window index, the no-op revision check) refuses. Figures entered at the
//! web desk ([`ImportInput::Entered`]) take this very path, as the rows of a sheet.

use std::cell::RefCell;

use chrono::{DateTime, Utc};

use super::{
    already_logged_message, nothing_to_revise_message, revision_changes_nothing_text, same_window_message,
    stream_figures, stream_figures_beside, unit_mismatch, CheckedRow, ImportError, ImportInput, RowProblem,
    RowProblems, SheetForm, SheetNotes, ALREADY_LOGGED, FORM_FIELD, NOTHING_TO_REVISE, REVISION_CHANGES_NOTHING,
    SAME_WINDOW, WINDOW_LOCKED,
};
use crate::actual::NewActual;
use crate::error::StoreError;
use crate::lang::{Lang, Localize, Text};
use crate::plan::Plan;
use crate::store::{AuditEntry, Clock, FigureWriter, Store, FIGURES_AT_ONCE};

/// What to import, and how.
pub struct ImportRequest<'a> {
    /// A file, or figures entered at the web desk.
    pub input: ImportInput<'a>,
    /// The plan to import into, as `Store::load_plan_for_checking` gives it.
    pub plan: &'a Plan,
    /// Who logged a row whose by (填报人) cell is blank, when the sheet's form names
    /// nobody as having filled it in (填表人).
    pub default_by: &'a str,
    /// "Now" for the checks: a period not yet over is refused.
    pub now: DateTime<Utc>,
    /// The clock the figures are stamped by (read inside the transaction).
    pub clock: Clock,
    /// Check and write in a transaction that is then rolled back.
    pub dry_run: bool,
    /// A line for the audit log, written in the import's own transaction when figures
    /// are kept, its detail followed by how many and the import's id (the web desk's
    /// writes; `None` for the command line, which keeps no audit log of imports).
    pub audit: Option<&'a AuditEntry>,
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
    /// The form's head and foot as the sheet has them filled in (empty for a sheet
    /// without them): part of the figures' provenance.
    pub form: SheetForm,
    /// What the import noticed and did not refuse (a reporting unit that leads none of
    /// some figures' targets), each a line to show.
    pub warnings: Vec<Text>,
    /// The import's id (`imports.id`, which every figure it wrote names), when it wrote
    /// figures and was not a dry run: `void --import ID` withdraws them.
    pub import_id: Option<i64>,
}

/// Imports `request.input` into `store`: all or nothing, and on a dry run nothing.
/// `on_start` is called with the sheet's notes once its header is found, before any
/// row (so a caller can show them even when the file is then refused); `on_row` with
/// the number of rows read so far. Fails with every bad row listed
/// ([`ImportError::BadRows`]), with the sheet's own problem, or with the store's
/// ([`ImportError::Store`]); nothing is written then.
///
/// The form's foot, where the sheet says who filled it in (填表人), comes after the
/// rows: when it names someone and rows without a by (填报人) were written with
/// `request.default_by`, that transaction is rolled back and the file read again with
/// the form's name, so the figures say who filled them in. Only a filled-in form costs
/// the second reading, and a form is a sheet of a few dozen rows.
pub fn import_figures(
    store: &mut Store,
    request: &ImportRequest<'_>,
    mut on_start: impl FnMut(&SheetNotes),
    mut on_row: impl FnMut(usize),
) -> Result<ImportOutcome, ImportError> {
    let mut started = false;
    let mut default_by = request.default_by.to_string();
    loop {
        let once = |notes: &SheetNotes| {
            if !std::mem::replace(&mut started, true) {
                on_start(notes);
            }
        };
        match attempt(store, request, &default_by, once, &mut on_row)? {
            Attempt::Done(outcome) => return Ok(*outcome),
            Attempt::Again { filled_by } => default_by = filled_by,
        }
    }
}

/// Below this many entered rows, an import is written without the bulk settings.
pub const SMALL_ENTRY: usize = 1_000;

enum Attempt {
    Done(Box<ImportOutcome>),
    /// Rolled back: read the file again with the form's filled-in-by as the default.
    Again {
        filled_by: String,
    },
}

/// One reading of the file in one transaction, rows without a by logged by `default_by`.
fn attempt(
    store: &mut Store,
    request: &ImportRequest<'_>,
    default_by: &str,
    mut on_start: impl FnMut(&SheetNotes),
    mut on_row: impl FnMut(usize),
) -> Result<Attempt, ImportError> {
    let shown = request.input.shown();
    let mut outcome = ImportOutcome::default();
    let mut problems = RowProblems::default();
    let mut failure: Option<ImportError> = None;
    let mut again: Option<String> = None;
    // A few rows entered at the web desk (a form's worth, ten per request under load)
    // need none of a large import's settings, which cost two PRAGMA round trips each
    // way per request, nor every target id of the plan.
    let small = matches!(request.input, ImportInput::Entered { rows, .. } if rows.len() < SMALL_ENTRY);
    let work = |tx: &rusqlite::Connection| {
        // A few rows look their targets up one by one (as `record` does) rather than
        // reading every target id of a city's plan per request.
        let mut writer = if small {
            FigureWriter::new(tx, &request.plan.id, request.clock, 0)?
        } else {
            FigureWriter::for_plan(tx, request.plan, request.clock)?
        };
        // Recorded on a dry run too (and rolled back with it): the same path.
        let file_name = request.input.name();
        let import_id = writer.start_import(&file_name, request.default_by)?;
        let mut written = Written::new(writer, request.dry_run);
        let mut rows = 0usize;
        let notes_seen = RefCell::new(SheetNotes::default());
        let started = |notes: &SheetNotes| {
            on_start(notes);
            *notes_seen.borrow_mut() = notes.clone();
        };
        let take = |checked: CheckedRow| {
            rows += 1;
            on_row(rows);
            match checked {
                CheckedRow::Blank => outcome.skipped_blank += 1,
                CheckedRow::Refused(found) => {
                    // The rows before it first, so problems stay in file order.
                    written.flush(&mut outcome, &mut problems, &notes_seen.borrow());
                    problems.extend(found);
                }
                CheckedRow::Figure { figure, number } => {
                    written.push(figure, number, &mut outcome, &mut problems, &notes_seen.borrow())
                }
            }
        };
        let (input, plan, now) = (&request.input, request.plan, request.now);
        // A large import reads and checks its rows on a second thread.
        let streamed = if small {
            stream_figures(input, plan, now, default_by, started, take)
        } else {
            stream_figures_beside(input, plan, now, default_by, started, take)
        };
        written.flush(&mut outcome, &mut problems, &notes_seen.borrow());
        let Written { mut writer, fatal, .. } = written;
        if let Some(error) = fatal {
            return Err(error);
        }
        match streamed {
            Ok(streamed) => {
                outcome.notes = streamed.notes;
                match SheetForm::from_fields(&streamed.fields, request.now.date_naive()) {
                    Ok(form) => {
                        if let Some((unit, place)) = &form.unit {
                            outcome.warnings.extend(unit_mismatch(unit, place, &streamed.lead_units));
                        }
                        again = form.filled_by.clone().filter(|by| streamed.defaulted_by > 0 && by != default_by);
                        outcome.form = form;
                    }
                    Err((place, message)) => {
                        problems.push(RowProblem { place, target: None, message, kind: FORM_FIELD })
                    }
                }
            }
            Err(error) => failure = Some(error),
        }
        let clean = failure.is_none() && problems.is_empty();
        let keep = clean && !request.dry_run && again.is_none() && outcome.written > 0;
        if keep {
            writer.finish_import(outcome.written, &outcome.form.provenance())?;
            outcome.import_id = Some(import_id);
            if let Some(entry) = request.audit {
                let detail = format!("{}{} figures, import {import_id}", entry.detail, outcome.written);
                writer.audit(&AuditEntry { detail, ..entry.clone() })?;
            }
        }
        Ok(((), keep))
    };
    let result = if small { store.write_if(work) } else { store.bulk_write_if(request.plan.targets().len(), work) };
    result.map_err(|source| ImportError::Store { file: shown.clone(), source })?;
    if let Some(error) = failure {
        return Err(error);
    }
    if !problems.is_empty() {
        return Err(ImportError::BadRows { file: shown, problems });
    }
    Ok(match again {
        Some(filled_by) => Attempt::Again { filled_by },
        None => Attempt::Done(Box::new(outcome)),
    })
}

/// The figures of an import's rows as they are written: a few rows' at a time
/// ([`FIGURES_AT_ONCE`], one INSERT), each answer then settled in file order.
struct Written<'t> {
    writer: FigureWriter<'t>,
    dry_run: bool,
    /// Checked figures not yet written, and their rows' numbers.
    pending: Vec<NewActual>,
    numbers: Vec<u64>,
    /// The line (or row) of each figure written from this file, to name the row that
    /// took a window first when a later row asks for it again. Ids are consecutive
    /// while the transaction holds the write lock, so the i-th figure written has id
    /// `first_id + i`; its line is kept as runs of consecutive lines (written index,
    /// line) — one run for a clean file, not one entry per row.
    first_id: Option<i64>,
    written: u64,
    runs: Vec<(u64, u64)>,
    /// A failure of the store itself (not of a row): the import stops writing.
    fatal: Option<StoreError>,
}

impl<'t> Written<'t> {
    fn new(writer: FigureWriter<'t>, dry_run: bool) -> Self {
        Written {
            writer,
            dry_run,
            pending: Vec::with_capacity(FIGURES_AT_ONCE),
            numbers: Vec::with_capacity(FIGURES_AT_ONCE),
            first_id: None,
            written: 0,
            runs: Vec::new(),
            fatal: None,
        }
    }

    /// Adds a checked figure, writing the pending ones once there are enough.
    fn push(
        &mut self,
        figure: NewActual,
        number: u64,
        outcome: &mut ImportOutcome,
        problems: &mut RowProblems,
        notes: &SheetNotes,
    ) {
        self.pending.push(figure);
        self.numbers.push(number);
        if self.pending.len() == FIGURES_AT_ONCE {
            self.flush(outcome, problems, notes);
        }
    }

    /// Writes the pending figures and settles each answer: counted, or a problem
    /// placed at its row.
    fn flush(&mut self, outcome: &mut ImportOutcome, problems: &mut RowProblems, notes: &SheetNotes) {
        if self.pending.is_empty() {
            return;
        }
        if self.fatal.is_some() {
            self.pending.clear();
            self.numbers.clear();
            return;
        }
        let answers = self.writer.insert_all(&self.pending);
        let mut pending = std::mem::take(&mut self.pending);
        let mut numbers = std::mem::take(&mut self.numbers);
        for ((figure, number), answer) in pending.drain(..).zip(numbers.drain(..)).zip(answers) {
            if self.fatal.is_none() {
                self.settle(figure, number, answer, outcome, problems, notes);
            }
        }
        // Their room, for the next rows.
        (self.pending, self.numbers) = (pending, numbers);
    }

    fn settle(
        &mut self,
        figure: NewActual,
        number: u64,
        answer: Result<i64, StoreError>,
        outcome: &mut ImportOutcome,
        problems: &mut RowProblems,
        notes: &SheetNotes,
    ) {
        let problem = |kind, message| RowProblem {
            place: notes.value_place(number),
            target: Some(figure.target.clone()),
            message,
            kind,
        };
        match answer {
            Ok(id) => {
                let first = *self.first_id.get_or_insert(id);
                debug_assert_eq!(id - first, self.written as i64, "ids are consecutive in one transaction");
                let continues = self.runs.last().is_some_and(|&(index, line)| line + (self.written - index) == number);
                if !continues {
                    self.runs.push((self.written, number));
                }
                self.written += 1;
                outcome.written += 1;
                outcome.revisions += usize::from(figure.revision_reason.is_some());
                if self.dry_run {
                    outcome.figures.push((notes.value_place(number), figure));
                }
            }
            Err(StoreError::WindowTaken { standing, .. }) => {
                let earlier_row = self
                    .first_id
                    .and_then(|first| u64::try_from(standing.id - first).ok())
                    .filter(|&index| index < self.written)
                    .map(|index| {
                        let run = self.runs.partition_point(|&(start, _)| start <= index) - 1;
                        let (start, line) = self.runs[run];
                        line + (index - start)
                    });
                problems.push(match earlier_row {
                    // Messages about a window name the row's period cell.
                    Some(line) => RowProblem {
                        place: notes.period_place(number),
                        target: Some(figure.target.clone()),
                        message: same_window_message(&notes.period_place(line), &standing.period, figure.period),
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
            Err(error @ StoreError::WindowLocked(_)) => {
                problems.push(problem(WINDOW_LOCKED, Text::new(error.localize(Lang::Zh), error.localize(Lang::En))))
            }
            Err(other) => self.fatal = Some(other),
        }
    }
}
