//! `ontrack figures [--period P] [--lead-unit U] [--state S] [--import ID]`: every
//! standing figure of a plan (the head of each window's revision chain) with its review
//! state, who set it, when and why — the return reason the unit needs to see.

use anyhow::Result;
use serde::Serialize;

use super::Context;
use std::collections::HashMap;

use crate::actual::{current_figures, Actual};
use crate::cli::FiguresArgs;
use crate::numbers::format_number;
use crate::output::{csv_bytes, csv_from_records, json_bytes, table, write_output, ListFormat};
use crate::plan::Plan;
use crate::present::figure_state;
use crate::review::{FigureState, FigureStates};
use crate::time::timestamp;

/// The fields of [`FigureRow`], in order (for the header of an empty CSV).
const FIGURE_FIELDS: [&str; 15] = [
    "id",
    "target",
    "period",
    "value",
    "unit",
    "lead_unit",
    "by",
    "recorded_at",
    "state",
    "state_by",
    "state_at",
    "state_reason",
    "import",
    "late",
    "revises",
];

/// One standing figure as `figures` shows it.
#[derive(Debug, Serialize)]
struct FigureRow<'a> {
    id: i64,
    target: &'a str,
    period: String,
    value: f64,
    unit: &'a str,
    lead_unit: Option<&'a str>,
    by: &'a str,
    recorded_at: String,
    state: &'static str,
    /// Who set the state, when and why: empty while `submitted` by default.
    state_by: Option<&'a str>,
    state_at: Option<String>,
    state_reason: Option<&'a str>,
    /// The import that wrote it (none for `record`).
    import: Option<i64>,
    /// Logged after its period's deadline (`deadline::is_late_in`).
    late: bool,
    revises: Option<i64>,
    /// The window's key, to filter by (not shown).
    #[serde(skip)]
    period_end: i64,
}

/// The standing figures of `plan` as `figures` shows them, those `keep` accepts.
fn standing_rows<'a>(
    plan: &'a Plan,
    actuals: &'a [Actual],
    states: &'a FigureStates,
    imports: &HashMap<i64, i64>,
    keep: impl Fn(&FigureRow<'a>) -> bool,
) -> Vec<FigureRow<'a>> {
    let mut rows = Vec::new();
    for figure in current_figures(actuals, None) {
        let Some(target) = plan.target(&figure.target) else { continue };
        let last = states.last_event(figure.id, None);
        let state = last.map_or(FigureState::Submitted, |e| e.to);
        let row = FigureRow {
            id: figure.id,
            target: &target.code,
            period: figure.period.label(),
            value: figure.value,
            unit: &target.unit,
            lead_unit: target.lead_unit.as_deref(),
            by: &figure.recorded_by,
            recorded_at: timestamp(figure.recorded_at),
            state: state.as_str(),
            state_by: last.map(|e| e.by.as_str()),
            state_at: last.map(|e| timestamp(e.at)),
            state_reason: last.and_then(|e| e.reason.as_deref()),
            import: imports.get(&figure.id).copied(),
            late: crate::deadline::is_late_in(plan, figure.period, figure.recorded_at),
            revises: figure.revises,
            period_end: figure.period.end_key(),
        };
        if keep(&row) {
            rows.push(row);
        }
    }
    rows
}

/// One standing figure of the plan (`None`: the default one), as a row of
/// `figures --format json` shows it: the web desk's answer to a review. `None` when
/// the figure is not a standing figure of the plan.
pub(crate) fn figure_json(context: &Context, plan: Option<&str>, id: i64) -> Result<Option<Vec<u8>>> {
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(plan)?)?;
    let actuals = store.actuals(&plan.id)?;
    let states = store.figure_states(&plan.id)?;
    let imports = store.figure_imports(&plan.id)?;
    let rows = standing_rows(&plan, &actuals, &states, &imports, |row| row.id == id);
    Ok(rows.first().map(json_bytes))
}

/// What `figures --format json --import ID` prints, from the import's own standing
/// figures and their states (`Store::import_standing_figures`, not every figure of the
/// plan): the web desk's answer to an entry, read inside its write and made after it,
/// outside the one writer. `plan` may be the plan as checking reads it (no names): a
/// row shows none.
pub(crate) fn import_json(plan: &Plan, import_id: i64, actuals: &[Actual], states: &FigureStates) -> Vec<u8> {
    let imports: HashMap<i64, i64> = actuals.iter().map(|a| (a.id, import_id)).collect();
    let mut rows = standing_rows(plan, actuals, states, &imports, |_| true);
    sort_rows(plan, &mut rows);
    json_bytes(&rows)
}

/// In the plan's order, then by window.
fn sort_rows(plan: &Plan, rows: &mut [FigureRow<'_>]) {
    rows.sort_by_key(|r| (plan.target_position(r.target), r.period.clone(), r.id));
}

pub fn run(context: &Context, args: FiguresArgs) -> Result<()> {
    run_into(context, args, |bytes| write_output(bytes, None))
}

/// `run`, handing the finished bytes to `sink` (stdout for the command; the answer of
/// the web desk's `GET /api/v1/figures`, and of `POST /api/v1/figures`, which is
/// `--import ID --format json`).
pub fn run_into(context: &Context, args: FiguresArgs, sink: impl FnOnce(&[u8]) -> Result<()>) -> Result<()> {
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(args.plan.plan.as_deref())?)?;
    let actuals = store.actuals(&plan.id)?;
    let states = store.figure_states(&plan.id)?;
    let imports = store.figure_imports(&plan.id)?;
    let wanted_state = args.state.map(FigureState::from);
    let lead_unit = args.lead_unit.as_deref().map(str::trim);
    let mut rows = standing_rows(&plan, &actuals, &states, &imports, |row| {
        args.period.is_none_or(|p| p.end_key() == row.period_end)
            && lead_unit.is_none_or(|u| row.lead_unit == Some(u))
            && wanted_state.is_none_or(|s| s.as_str() == row.state)
            && args.import.is_none_or(|i| row.import == Some(i))
    });
    sort_rows(&plan, &mut rows);
    let lang = context.lang;
    let bytes = match args.format.format {
        ListFormat::Json => json_bytes(&rows),
        ListFormat::Csv if rows.is_empty() => csv_from_records(&FIGURE_FIELDS.map(String::from), []),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table if rows.is_empty() => {
            lang.pick("没有符合条件的数据\n", "no figures match\n").as_bytes().to_vec()
        }
        ListFormat::Table => {
            let headers = lang.pick_all(
                &["编号", "指标", "期间", "数值", "牵头单位", "状态", "经办人", "时间", "原因", "导入"],
                &["id", "target", "period", "value", "lead unit", "state", "state by", "state at", "reason", "import"],
            );
            let cells = rows.iter().map(|r| {
                vec![
                    r.id.to_string(),
                    r.target.to_string(),
                    r.period.clone(),
                    format!("{} {}", format_number(r.value), r.unit),
                    r.lead_unit.unwrap_or_default().to_string(),
                    figure_state(FigureState::parse(r.state).unwrap_or(FigureState::Submitted), lang).to_string(),
                    r.state_by.unwrap_or(r.by).to_string(),
                    r.state_at.clone().unwrap_or_else(|| r.recorded_at.clone()),
                    r.state_reason.unwrap_or_default().to_string(),
                    r.import.map(|i| i.to_string()).unwrap_or_default(),
                ]
            });
            format!("{}\n", table(&headers, cells)).into_bytes()
        }
    };
    sink(&bytes)
}
