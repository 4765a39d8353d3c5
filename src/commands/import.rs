//! `ontrack import FILE [--dry-run]`: many figures from a .csv or .xlsx sheet, all or nothing.

use anyhow::{Context as _, Result};

use super::record::os_user;
use super::Context;
use crate::cli::ImportArgs;
use crate::error::StoreError;
use crate::import::{clashes_with_logged, read_figures, ImportError, RowProblem};
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::output::{table, write_output};

pub fn run(context: &Context, args: ImportArgs) -> Result<()> {
    let mut store = context.open()?;
    let plan = store.load_plan(&store.resolve_plan_id(args.plan.plan.as_deref())?)?;
    let shown = args.file.display().to_string();
    let imported = read_figures(&args.file, &plan, context.now, &os_user())?;
    if let Some(encoding) = imported.decoded_from {
        eprintln!("note: {shown} is not UTF-8; read it as {encoding} (Chinese Windows text)");
    }
    if !imported.ignored_columns.is_empty() {
        eprintln!("note: columns not imported: {}", imported.ignored_columns.join(", "));
    }
    let clashes = clashes_with_logged(&imported, &store.actuals(&plan.id)?);
    if !clashes.is_empty() {
        return Err(ImportError::BadRows { file: shown, problems: clashes }.into());
    }
    let skipped = match imported.skipped_blank {
        0 => String::new(),
        n => format!("; {n} row{} without a value skipped", if n == 1 { "" } else { "s" }),
    };
    let revisions = match imported.revisions() {
        0 => String::new(),
        n => format!(" ({n} revision{})", if n == 1 { "" } else { "s" }),
    };
    let count = imported.figures.len();
    let figures = if count == 1 { "figure" } else { "figures" };
    if count == 0 {
        eprintln!("nothing to import: {shown} has no filled-in value{skipped}");
        return Ok(());
    }
    if args.dry_run {
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
        eprintln!(
            "dry run: would write {count} {figures}{revisions} into plan {}{skipped}; nothing was written",
            plan.id
        );
        return Ok(());
    }
    match store.insert_actuals(&plan.id, &imported.figures, context.now) {
        Ok(_) => {
            eprintln!("imported {count} {figures}{revisions} from {shown} into plan {}{skipped}", plan.id);
            Ok(())
        }
        // Someone logged a clashing figure between the check above and the write.
        Err(StoreError::WindowTaken { target, period, standing }) => Err(ImportError::BadRows {
            problems: vec![RowProblem {
                place: imported
                    .figures
                    .iter()
                    .zip(&imported.places)
                    .find(|(f, _)| f.target == target && f.period.label() == period)
                    .map_or_else(|| shown.clone(), |(_, place)| place.clone()),
                target: Some(target.clone()),
                message: format!(
                    "{target} got a figure for {period} ({} by {}) while this file was being imported; import \
                     it again to see the rows concerned",
                    format_number(standing.value),
                    standing.recorded_by
                ),
            }],
            file: shown,
        }
        .into()),
        Err(other) => Err(other).with_context(|| format!("cannot import {shown}")),
    }
}
