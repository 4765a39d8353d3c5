//! `ontrack import FILE [--dry-run]`: many figures from a .csv or .xlsx sheet, all or nothing.
//!
//! The command chooses the plan and prints what `import::import_figures` found; the
//! import itself (streamed, checked, written in one transaction, rolled back on any
//! bad row or on a dry run) is the library's, one path for both.

use anyhow::Result;

use super::record::os_user;
use super::Context;
use crate::cli::ImportArgs;
use crate::error::StoreError;
use crate::import::{import_figures, place_text, plan_named_in, ImportInput, ImportOutcome, ImportRequest, SheetNotes};
use crate::input::decoded_note;
use crate::lang::{Lang, Text};
use crate::numbers::format_number;
use crate::output::{clip, CLIP_AT};
use crate::output::{table, write_output, Progress};
use crate::plan::Plan;
use crate::store::Store;

pub fn run(context: &Context, args: ImportArgs) -> Result<()> {
    let mut store = context.open()?;
    let plan_id = choose_plan(context, &store, &args)?;
    // Checking figures needs codes, kinds and units, not the plan's texts: a province's
    // plan of 100,000 targets takes 70 MiB whole.
    let plan = store.load_plan_for_checking(&plan_id)?;
    let shown = args.file.display().to_string();
    let lang = context.lang;
    let default_by = os_user();
    let request = ImportRequest {
        input: ImportInput::File(&args.file),
        plan: &plan,
        default_by: &default_by,
        now: context.now,
        clock: context.clock(),
        dry_run: args.dry_run,
        audit: None,
    };
    let progress = Progress::new(lang.pick("已读取行数", "rows read"), 0);
    let outcome =
        import_figures(&mut store, &request, |notes| print_notes(&shown, notes, lang), |rows| progress.set(rows));
    progress.finish();
    let outcome = outcome?;
    print_form(&outcome, lang);
    let skipped = skipped_text(outcome.skipped_blank);
    let revisions = revisions_text(outcome.revisions);
    let count = outcome.written;
    if count == 0 {
        eprintln!("{}", nothing_to_import(&shown, &skipped, lang));
    } else if args.dry_run {
        print_dry_run(&outcome, &plan, lang)?;
    } else {
        // The import's id, on the same line: `void --import ID` withdraws it all.
        let plan_flag = args.plan.plan.as_ref().map(|p| format!(" --plan {p}")).unwrap_or_default();
        let id = outcome.import_id.map(|id| {
            Text::new(
                format!("；导入编号 {id}（如需整批作废：ontrack void --import {id} --reason \"…\"{plan_flag}）"),
                format!("; import id {id} (to withdraw it all: ontrack void --import {id} --reason \"…\"{plan_flag})"),
            )
        });
        let (id_zh, id_en) = id.map(|t| (t.zh, t.en)).unwrap_or_default();
        eprintln!(
            "{}",
            lang.choose(
                format!("已导入 {count} 条数据（{}来自 {shown}，计划 {}）{}{id_zh}", revisions.zh, plan.id, skipped.zh),
                format!(
                    "imported {count} {}{} from {shown} into plan {}{}{id_en}",
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

/// What the sheet said about itself, as soon as its header is read.
fn print_notes(shown: &str, notes: &SheetNotes, lang: Lang) {
    if let Some(encoding) = notes.decoded_from {
        eprintln!("{}", decoded_note(shown, encoding, lang));
    }
    if !notes.ignored_columns.is_empty() {
        eprintln!("{}", ignored_note(&notes.ignored_columns, lang));
    }
}

/// The form's head and foot as filled in, and what the import noticed about them.
fn print_form(outcome: &ImportOutcome, lang: Lang) {
    let filled = outcome.form.filled(lang);
    if !filled.is_empty() {
        let fields: Vec<String> = filled.iter().map(|(label, value)| format!("{label} {value}")).collect();
        eprintln!("{}", lang.choose(format!("报表：{}", fields.join("；")), format!("form: {}", fields.join("; "))));
    }
    for warning in &outcome.warnings {
        eprintln!("{}", warning.get(lang));
    }
}

/// The figures a dry run would write, as a table on stdout, and their count.
fn print_dry_run(outcome: &ImportOutcome, plan: &Plan, lang: Lang) -> Result<()> {
    let headers = match lang {
        Lang::Zh => ["位置", "指标代码", "期间", "数值", "修订原因"],
        Lang::En => ["place", "target", "period", "value", "reason"],
    };
    let rows = outcome.figures.iter().map(|(place, figure)| {
        vec![
            place_text(place, lang),
            figure.target.clone(),
            figure.period.label(),
            format_number(figure.value),
            figure.revision_reason.clone().unwrap_or_default(),
        ]
    });
    write_output(format!("{}\n", table(&headers, rows)).as_bytes(), None)?;
    let skipped = skipped_text(outcome.skipped_blank);
    let revisions = revisions_text(outcome.revisions);
    let count = outcome.written;
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
