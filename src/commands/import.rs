//! `ontrack import FILE [--dry-run]`: many figures from a .csv or .xlsx sheet, all or nothing.
//!
//! The import streams: each row is read, checked and written as it comes, inside one
//! write transaction, so a file of a million rows needs the memory of one row (and
//! 8 bytes per figure to name an earlier row of the file in a message). Every bad row
//! is listed; if there is any, the transaction is rolled back and nothing is written.
//! A second figure for a window, in the file or in the database, is refused by the
//! store (the unique window index), which names the figure standing.

use anyhow::{Context as _, Result};

use super::record::os_user;
use super::Context;
use crate::cli::ImportArgs;
use crate::error::{revision_changes_nothing_message, StoreError};
use crate::import::{
    already_logged_message, clashes_with_logged, nothing_to_revise_message, read_figures, same_window_message,
    stream_figures, CheckedRow, ImportError, RowProblem, SheetNotes,
};
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::output::{table, write_output, Progress};
use crate::plan::Plan;
use crate::store::{FigureWriter, Store};

pub fn run(context: &Context, args: ImportArgs) -> Result<()> {
    let mut store = context.open()?;
    let plan_id = store.resolve_plan_id(args.plan.plan.as_deref())?;
    // Checking figures needs codes, kinds and units, not the plan's texts: a province's
    // plan of 100,000 targets takes 70 MiB whole.
    let plan = store.load_plan_for_checking(&plan_id)?;
    if args.dry_run {
        return dry_run(context, &store, &plan, &args);
    }
    let shown = args.file.display().to_string();
    let imported = import(context, &mut store, &plan, &args)?;
    let skipped = skipped_text(imported.skipped_blank);
    let revisions = revisions_text(imported.revisions);
    let count = imported.written;
    if count == 0 {
        eprintln!("nothing to import: {shown} has no filled-in value{skipped}");
    } else {
        let figures = if count == 1 { "figure" } else { "figures" };
        eprintln!("imported {count} {figures}{revisions} from {shown} into plan {}{skipped}", plan.id);
    }
    Ok(())
}

/// What a streamed import wrote.
struct Imported {
    written: usize,
    revisions: usize,
    skipped_blank: usize,
}

fn import(context: &Context, store: &mut Store, plan: &Plan, args: &ImportArgs) -> Result<Imported> {
    let shown = args.file.display().to_string();
    let default_by = os_user();
    let progress = Progress::new("rows read", 0);
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut imported = Imported { written: 0, revisions: 0, skipped_blank: 0 };
    let mut failure: Option<ImportError> = None;
    let result = store.write_if(|tx| {
        let mut writer = FigureWriter::for_plan(tx, plan, context.clock())?;
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
        let notes_seen = std::cell::RefCell::new(SheetNotes::default());
        let streamed = stream_figures(
            &args.file,
            plan,
            context.now,
            &default_by,
            |notes| {
                if let Some(encoding) = notes.decoded_from {
                    eprintln!("note: {shown} is not UTF-8; read it as {encoding} (Chinese Windows text)");
                }
                if !notes.ignored_columns.is_empty() {
                    eprintln!("note: columns not imported: {}", notes.ignored_columns.join(", "));
                }
                *notes_seen.borrow_mut() = notes.clone();
            },
            |checked| {
                rows += 1;
                progress.set(rows);
                let (figure, number) = match checked {
                    CheckedRow::Blank => {
                        imported.skipped_blank += 1;
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
                let problem = |message| RowProblem {
                    place: notes_seen.borrow().value_place(number),
                    target: Some(figure.target.clone()),
                    message,
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
                        imported.written += 1;
                        imported.revisions += usize::from(figure.revision_reason.is_some());
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
                            },
                            None => problem(already_logged_message(
                                &figure,
                                standing.value,
                                &standing.period,
                                &standing.recorded_by,
                                &standing.recorded_at,
                            )),
                        });
                    }
                    Err(StoreError::RevisionChangesNothing { standing, .. }) => {
                        problems.push(problem(revision_changes_nothing_message(
                            context.lang,
                            &figure.target,
                            &figure.period.label(),
                            &format_number(standing.value),
                            standing.source.as_deref(),
                        )))
                    }
                    Err(StoreError::NothingToRevise { .. }) => {
                        problems.push(problem(nothing_to_revise_message(&figure)))
                    }
                    Err(other) => fatal = Some(other),
                }
            },
        );
        if let Some(error) = fatal {
            return Err(error);
        }
        match streamed {
            Ok(_) => {}
            Err(error) => failure = Some(error),
        }
        Ok(((), failure.is_none() && problems.is_empty()))
    });
    progress.finish();
    result
        .map_err(|e| context.store_error(e))
        .with_context(|| format!("cannot import {shown}; nothing was written"))?;
    if let Some(error) = failure {
        return Err(error.into());
    }
    if !problems.is_empty() {
        return Err(ImportError::BadRows { file: shown, problems }.into());
    }
    Ok(imported)
}

fn dry_run(context: &Context, store: &Store, plan: &Plan, args: &ImportArgs) -> Result<()> {
    let shown = args.file.display().to_string();
    let imported = read_figures(&args.file, plan, context.now, &os_user())?;
    if let Some(encoding) = imported.decoded_from {
        eprintln!("note: {shown} is not UTF-8; read it as {encoding} (Chinese Windows text)");
    }
    if !imported.ignored_columns.is_empty() {
        eprintln!("note: columns not imported: {}", imported.ignored_columns.join(", "));
    }
    let clashes = clashes_with_logged(&imported, &store.actuals(&plan.id)?, context.lang);
    if !clashes.is_empty() {
        return Err(ImportError::BadRows { file: shown, problems: clashes }.into());
    }
    let skipped = skipped_text(imported.skipped_blank);
    let revisions = revisions_text(imported.revisions());
    let count = imported.figures.len();
    let figures = if count == 1 { "figure" } else { "figures" };
    if count == 0 {
        eprintln!("nothing to import: {shown} has no filled-in value{skipped}");
        return Ok(());
    }
    let headers = match context.lang {
        Lang::Zh => ["位置", "指标代码", "期间", "数值", "修订原因"],
        Lang::En => ["place", "target", "period", "value", "reason"],
    };
    let rows = imported.figures.iter().zip(&imported.places).map(|(figure, place)| {
        vec![
            place.clone(),
            figure.target.clone(),
            figure.period.label(),
            format_number(figure.value),
            figure.revision_reason.clone().unwrap_or_default(),
        ]
    });
    write_output(format!("{}\n", table(&headers, rows)).as_bytes(), None)?;
    eprintln!("dry run: would write {count} {figures}{revisions} into plan {}{skipped}; nothing was written", plan.id);
    Ok(())
}

fn skipped_text(skipped: usize) -> String {
    match skipped {
        0 => String::new(),
        n => format!("; {n} row{} without a value skipped", if n == 1 { "" } else { "s" }),
    }
}

fn revisions_text(revisions: usize) -> String {
    match revisions {
        0 => String::new(),
        n => format!(" ({n} revision{})", if n == 1 { "" } else { "s" }),
    }
}
