//! `ontrack completeness --period P [--lead-unit U]`: per lead unit, the targets due in
//! the period and how many of them are submitted, on time, approved, returned and
//! missing (`completeness::compute`), with a total row.

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::cli::CompletenessArgs;
use crate::completeness::{compute, Completeness, UnitCompleteness};
use crate::lang::Localize;
use crate::output::{csv_bytes, json_bytes, table, write_output, ListFormat};
use crate::period::Period;
use crate::present;

/// One line of the JSON and CSV: a lead unit's counts, or the total (`lead_unit` empty,
/// `total` true).
#[derive(Debug, Serialize)]
struct Line<'a> {
    period: String,
    lead_unit: Option<&'a str>,
    total: bool,
    due: usize,
    submitted: usize,
    on_time: usize,
    approved: usize,
    returned: usize,
    missing: usize,
}

impl<'a> Line<'a> {
    fn new(period: String, unit: &'a UnitCompleteness, total: bool) -> Line<'a> {
        Line {
            period,
            lead_unit: unit.lead_unit.as_deref(),
            total,
            due: unit.due,
            submitted: unit.submitted,
            on_time: unit.on_time,
            approved: unit.approved,
            returned: unit.returned,
            missing: unit.missing,
        }
    }
}

/// Completeness of `period` per lead unit of the plan (`None`: the default one), as
/// the command shows it (and the web desk's completeness page): a period outside the
/// plan's year or an unknown lead unit is refused with the command's message.
pub(crate) fn load(
    context: &Context,
    plan: Option<&str>,
    period: Period,
    lead_unit: Option<&str>,
) -> Result<Completeness> {
    let lang = context.lang;
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(plan)?)?;
    if let Err(error) = plan.check_period_in_year(period) {
        let year = plan.year;
        anyhow::bail!(lang.choose(
            format!("期别 {}；请使用 {year} 年的期别（如 --period {year}Q1）", error.localize(lang)),
            format!("the period {}; use a period of {year} (e.g. --period {year}Q1)", error.localize(lang)),
        ));
    }
    if let Some(unit) = lead_unit {
        if !plan.targets().iter().any(|t| t.lead_unit.as_deref() == Some(unit)) {
            let mut known: Vec<&str> = Vec::new();
            for target in plan.targets() {
                if let Some(name) = target.lead_unit.as_deref().filter(|name| !known.contains(name)) {
                    known.push(name);
                }
            }
            anyhow::bail!(lang.choose(
                format!("计划 {} 中没有牵头单位 {unit:?}；其牵头单位为：{}", plan.id, known.join("、")),
                format!("plan {} has no lead unit {unit:?}; its lead units are {}", plan.id, known.join(", ")),
            ));
        }
    }
    let actuals = store.actuals(&plan.id)?;
    let states = store.figure_states(&plan.id)?;
    Ok(compute(&plan, &actuals, &states, None, period, lead_unit))
}

pub fn run(context: &Context, args: CompletenessArgs) -> Result<()> {
    run_into(context, args, |bytes| write_output(bytes, None))
}

/// `run`, handing the finished bytes to `sink` (stdout for the command, the response
/// for the web desk's `/api/v1/completeness`).
pub fn run_into(context: &Context, args: CompletenessArgs, sink: impl FnOnce(&[u8]) -> Result<()>) -> Result<()> {
    let lang = context.lang;
    let lead_unit = args.lead_unit.as_deref().map(str::trim);
    let result = load(context, args.plan.plan.as_deref(), args.period, lead_unit)?;
    let label = args.period.label();
    let lines = || {
        let units = result.units.iter().map(|u| Line::new(label.clone(), u, false));
        units.chain([Line::new(label.clone(), &result.total, true)]).collect::<Vec<_>>()
    };
    let bytes = match args.format.format {
        ListFormat::Json => json_bytes(&lines()),
        ListFormat::Csv => csv_bytes(&lines()),
        ListFormat::Table if result.units.is_empty() => present::nothing_due(args.period, lang).into_bytes(),
        ListFormat::Table => {
            let row = |unit: &UnitCompleteness, name: String| {
                let counts = [unit.due, unit.submitted, unit.on_time, unit.approved, unit.returned, unit.missing];
                let mut cells = vec![name];
                cells.extend(counts.iter().map(usize::to_string));
                cells.push(present::reporting_rate(unit.rate()));
                cells
            };
            let mut rows: Vec<Vec<String>> =
                result.units.iter().map(|u| row(u, u.lead_unit.clone().unwrap_or_else(|| "—".into()))).collect();
            rows.push(row(&result.total, present::report::total(lang).to_string()));
            let heading = present::completeness_heading(args.period, lang);
            format!("{heading}\n{}\n", table(&present::headers::completeness(lang), rows)).into_bytes()
        }
    };
    sink(&bytes)
}
