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
use crate::error::StoreError;
use crate::import::{
    already_logged_message, clashes_with_logged, nothing_to_revise_message, place_text, plan_named_in, read_figures,
    revision_changes_nothing_text, same_window_message, stream_figures, CheckedRow, ImportError, RowProblem,
    RowProblems, SheetNotes, ALREADY_LOGGED, NOTHING_TO_REVISE, REVISION_CHANGES_NOTHING, SAME_WINDOW,
};
use crate::input::decoded_note;
use crate::lang::{Lang, Text};
use crate::numbers::format_number;
use crate::output::{clip, CLIP_AT};
use crate::output::{table, write_output, Progress};
use crate::plan::Plan;
use crate::store::{FigureWriter, Store};

pub fn run(context: &Context, args: ImportArgs) -> Result<()> {
    let mut store = context.open()?;
    let plan_id = choose_plan(context, &store, &args)?;
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
    let lang = context.lang;
    if count == 0 {
        eprintln!("{}", nothing_to_import(&shown, &skipped, lang));
    } else {
        eprintln!(
            "{}",
            lang.choose(
                format!("已导入 {count} 条数据（{}来自 {shown}，计划 {}）{}", revisions.zh, plan.id, skipped.zh),
                format!(
                    "imported {count} {}{} from {shown} into plan {}{}",
                    figures_word(count),
                    revisions.en,
                    plan.id,
                    skipped.en
                ),
            )
        );
    }
    Ok(())
}

/// The plan to import into: `--plan`, else the plan the file names in its plan (计划)
/// column (a template names its own on every row), else the plan loaded last. A file
/// naming a plan this database does not hold is refused: its figures belong elsewhere.
/// Rows naming another plan than the one chosen are refused row by row, so a file
/// mixing plans is refused whole.
fn choose_plan(context: &Context, store: &Store, args: &ImportArgs) -> Result<String> {
    if args.plan.plan.is_some() {
        return Ok(store.resolve_plan_id(args.plan.plan.as_deref())?);
    }
    let Some((named, place)) = plan_named_in(&args.file)? else {
        return Ok(store.resolve_plan_id(None)?);
    };
    match store.resolve_plan_id(Some(&named)) {
        Err(StoreError::UnknownPlan { loaded, .. }) => {
            let file = args.file.display();
            let named = clip(&named, CLIP_AT);
            anyhow::bail!(
                "{}",
                match context.lang {
                    Lang::Zh => format!(
                        "{file} 的数据属于计划 {named}（{place}），但本数据库没有载入这个计划（已载入的计划：{loaded}）；\
                         请先用 `ontrack plan import 计划文件.toml` 载入它，或用 --plan 指定要导入的计划；未写入任何数据"
                    ),
                    Lang::En => format!(
                        "{file} is for plan {named} ({place}), which this database does not hold (loaded plans: \
                         {loaded}); load that plan first with `ontrack plan import PLAN.toml`, or name the plan to \
                         import into with --plan; nothing was written"
                    ),
                }
            )
        }
        found => Ok(found?),
    }
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
    let progress = Progress::new(context.lang.pick("已读取行数", "rows read"), 0);
    let mut problems = RowProblems::default();
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
                    eprintln!("{}", decoded_note(&shown, encoding, context.lang));
                }
                if !notes.ignored_columns.is_empty() {
                    eprintln!("{}", ignored_note(&notes.ignored_columns, context.lang));
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
            Ok(_) => {}
            Err(error) => failure = Some(error),
        }
        Ok(((), failure.is_none() && problems.is_empty()))
    });
    progress.finish();
    result.with_context(|| {
        context
            .lang
            .choose(format!("无法导入 {shown}，未写入任何内容"), format!("cannot import {shown}; nothing was written"))
    })?;
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
    let lang = context.lang;
    if let Some(encoding) = imported.decoded_from {
        eprintln!("{}", decoded_note(&shown, encoding, lang));
    }
    if !imported.ignored_columns.is_empty() {
        eprintln!("{}", ignored_note(&imported.ignored_columns, lang));
    }
    let clashes = clashes_with_logged(&imported, &store.actuals(&plan.id)?);
    if !clashes.is_empty() {
        return Err(ImportError::BadRows { file: shown, problems: clashes }.into());
    }
    let skipped = skipped_text(imported.skipped_blank);
    let revisions = revisions_text(imported.revisions());
    let count = imported.figures.len();
    if count == 0 {
        eprintln!("{}", nothing_to_import(&shown, &skipped, lang));
        return Ok(());
    }
    let headers = match context.lang {
        Lang::Zh => ["位置", "指标代码", "期间", "数值", "修订原因"],
        Lang::En => ["place", "target", "period", "value", "reason"],
    };
    let rows = imported.figures.iter().zip(&imported.places).map(|(figure, place)| {
        vec![
            place_text(place, lang),
            figure.target.clone(),
            figure.period.label(),
            format_number(figure.value),
            figure.revision_reason.clone().unwrap_or_default(),
        ]
    });
    write_output(format!("{}\n", table(&headers, rows)).as_bytes(), None)?;
    eprintln!(
        "{}",
        lang.choose(
            format!("试运行：将向计划 {} 写入 {count} 条数据{}{}；未写入任何内容", plan.id, revisions.zh, skipped.zh),
            format!(
                "dry run: would write {count} {}{} into plan {}{}; nothing was written",
                figures_word(count),
                revisions.en,
                plan.id,
                skipped.en
            ),
        )
    );
    Ok(())
}

fn figures_word(count: usize) -> &'static str {
    if count == 1 {
        "figure"
    } else {
        "figures"
    }
}

fn nothing_to_import(shown: &str, skipped: &Text, lang: Lang) -> String {
    lang.choose(
        format!("无可导入的数据：{shown} 中没有已填写的数值{}", skipped.zh),
        format!("nothing to import: {shown} has no filled-in value{}", skipped.en),
    )
}

fn ignored_note(columns: &[String], lang: Lang) -> String {
    lang.choose(
        format!("注意：以下列未导入：{}", columns.join("、")),
        format!("note: columns not imported: {}", columns.join(", ")),
    )
}

fn skipped_text(skipped: usize) -> Text {
    match skipped {
        0 => Text::new("", ""),
        n => Text::new(
            format!("；另有 {n} 行未填数值，已跳过"),
            format!("; {n} row{} without a value skipped", if n == 1 { "" } else { "s" }),
        ),
    }
}

fn revisions_text(revisions: usize) -> Text {
    match revisions {
        0 => Text::new("", ""),
        n => Text::new(format!("含修订 {n} 条，"), format!(" ({n} revision{})", if n == 1 { "" } else { "s" })),
    }
}
