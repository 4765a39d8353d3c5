//! `ontrack record TARGET PERIOD VALUE`: log one figure, or a revision of the standing one.

use anyhow::{bail, Result};

use super::Context;
use crate::actual::NewActual;
use crate::cli::RecordArgs;
use crate::error::{revision_changes_nothing_message, StoreError};
use crate::numbers::format_number;
use crate::validate::{check_figure, RawValue};

pub fn run(context: &Context, args: RecordArgs) -> Result<()> {
    let mut store = context.open()?;
    let plan = store.load_plan_for_target(&store.resolve_plan_id(args.plan.plan.as_deref())?, &args.target)?;
    let typed = format!("{} {} {}", args.target, args.period, args.value);
    let figure = match check_figure(&plan, &args.target, &args.period, RawValue::Text(&args.value), context.now) {
        Ok(figure) => figure,
        Err(problems) => {
            let reasons: Vec<String> = problems.iter().map(|p| format!("\n  - {p}")).collect();
            bail!("cannot record {typed}; nothing was written:{}", reasons.concat());
        }
    };
    let reason = match args.reason.as_deref().map(str::trim) {
        Some("") => bail!("--reason is empty: say why the figure is revised (e.g. \"最终核实\"); nothing was written"),
        other => other.map(str::to_string),
    };
    let new = NewActual {
        target: figure.target.code.clone(),
        period: figure.period,
        value: figure.value,
        source: non_empty(args.source),
        recorded_by: non_empty(args.by).unwrap_or_else(os_user),
        note: non_empty(args.note),
        revision_reason: if args.revise { reason } else { None },
    };
    let unit = &figure.target.unit;
    match store.insert_actuals_by(&plan.id, std::slice::from_ref(&new), context.clock()) {
        Ok(ids) => {
            let what = if new.revision_reason.is_some() { "revision" } else { "figure" };
            eprintln!(
                "recorded {what} #{}: {} {} = {} {unit} (by {})",
                ids[0],
                new.target,
                new.period,
                format_number(new.value),
                new.recorded_by
            );
            Ok(())
        }
        Err(StoreError::WindowTaken { standing, .. }) => {
            let plan_flag = args.plan.plan.as_ref().map(|id| format!(" --plan {id}")).unwrap_or_default();
            bail!(
                "{} already has a figure for {}: {} {unit} (logged as {} by {} at {}{}); nothing was written.\n\
                 To log {} as a revision (the earlier figure is kept), run:\n  \
                 ontrack record {} {} {} --revise --reason \"…\"{plan_flag}",
                new.target,
                new.period,
                format_number(standing.value),
                standing.period,
                standing.recorded_by,
                standing.recorded_at,
                standing.source.as_ref().map(|s| format!(", source {s}")).unwrap_or_default(),
                args.value.trim(),
                new.target,
                new.period,
                args.value.trim(),
            )
        }
        Err(StoreError::RevisionChangesNothing { target, period, standing }) => bail!(
            "{}",
            revision_changes_nothing_message(
                context.lang,
                &target,
                &period,
                &format_number(standing.value),
                standing.source.as_deref()
            )
        ),
        Err(StoreError::NothingToRevise { target, period }) => bail!(
            "{target} has no figure for {period} yet, so there is nothing to revise; nothing was written. Log it \
             without --revise and --reason"
        ),
        Err(other) => Err(context.store_error(other)),
    }
}

/// The operating-system user, for "who logged it" when `--by` is not given.
pub fn os_user() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|key| std::env::var(key).ok())
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Trims optional text; blank text is no text.
pub fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}
