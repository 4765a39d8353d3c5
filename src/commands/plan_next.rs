//! `ontrack plan next ID --year Y`: next year's plan file drafted from this one
//! (`plan::next`), and the adjustments `plan export` writes as comments.

use anyhow::{bail, Result};

use super::Context;
use crate::actual::Actual;
use crate::adjust::Adjustment;
use crate::cli::NextArgs;
use crate::output::{refuse_existing, write_output_new};
use crate::plan::next::{draft_next, next_id};
use crate::plan::Plan;
use crate::review::{counting_figures, Counting};

pub fn run(context: &Context, args: NextArgs) -> Result<()> {
    let lang = context.lang;
    refuse_existing(args.out.as_deref(), args.force, lang)?;
    let store = context.open_read()?;
    let id = store.resolve_plan_id(Some(args.id.trim()))?;
    let (plan, actuals) = store.plan_and_actuals_at(&id, context.now)?;
    if args.year <= plan.year {
        bail!(lang.choose(
            format!(
                "--year {} 不晚于计划 {} 的年度 {}：请给出之后的年份；未写入任何内容",
                args.year, plan.id, plan.year
            ),
            format!(
                "--year {} is not after plan {}'s year {}: give a later year; nothing was written",
                args.year, plan.id, plan.year
            )
        ));
    }
    let states = store.figure_states(&plan.id)?;
    let figures = counting_figures(&actuals, &states, None, Counting::ApprovedOnly);
    let text = draft_next(&plan, args.year, |code| closing_figure(&plan, &figures, code));
    write_output_new(text.as_bytes(), args.out.as_deref(), args.force, lang)?;
    let new_id = next_id(&plan.id, plan.year, args.year);
    let place = args
        .out
        .as_ref()
        .map_or_else(|| lang.pick("标准输出", "standard output").to_string(), |p| p.display().to_string());
    eprintln!(
        "{}",
        lang.choose(
            format!("已将计划 {new_id}（{} 年）草稿写入 {place}：请在 `# fill in:` 处填写各项目标值后再载入", args.year),
            format!("wrote the draft of plan {new_id} ({}) to {place}: fill in each value at `# fill in:` before loading it", args.year)
        )
    );
    Ok(())
}

/// The figure a target's year closed with: of `figures` (the approved ones, as
/// `review::counting_figures` gives them), the one of the latest window in the plan's year.
fn closing_figure<'a>(plan: &Plan, figures: &[&'a Actual], code: &str) -> Option<&'a Actual> {
    figures
        .iter()
        .copied()
        .filter(|f| &*f.target == code && f.period.year() == plan.year)
        .max_by_key(|f| (f.period.end_key(), f.recorded_at))
}

/// A plan's adjustments as TOML comments, appended to `plan export`'s file: the
/// exported values are those standing now, and these say how each target got there.
pub fn adjustments_as_comments(adjustments: &[Adjustment], plan: &Plan) -> String {
    if adjustments.is_empty() {
        return String::new();
    }
    let zone = plan.timezone;
    let mut out =
        String::from("\n# Target adjustments (调整目标), in the order recorded; `plan adjust` records them.\n");
    out.push_str("# The values above are those standing now, after these adjustments.\n");
    for a in adjustments {
        let unit = plan.target(&a.code).map_or("", |t| t.unit.as_str());
        let strive = match (a.strive_before, a.strive_after) {
            (before, Some(after)) if before != Some(after) => format!(
                " (strive {} -> {after_shown})",
                before.map_or_else(|| "none".to_string(), crate::numbers::format_number),
                after_shown = crate::numbers::format_number(after)
            ),
            _ => String::new(),
        };
        let line = format!(
            "# adjust: {} {} -> {} {unit}{strive}, effective {}, recorded {} by {}; reason: {}{}",
            a.code,
            crate::numbers::format_number(a.value_before),
            crate::numbers::format_number(a.value_after),
            zone.format(a.effective_at, "%Y-%m-%d %H:%M%:z"),
            zone.format(a.recorded_at, "%Y-%m-%d %H:%M%:z"),
            a.recorded_by,
            a.reason,
            a.document.as_ref().map_or(String::new(), |d| format!("; document: {d}")),
        );
        out.push_str(&line.replace(['\n', '\r'], " "));
        out.push('\n');
    }
    out
}
