//! `ontrack template --period P [--lead-unit U] --out FILE`: the fill-in sheet for a period.

use std::collections::BTreeSet;

use anyhow::{bail, Context as _, Result};

use super::Context;
use crate::cli::TemplateArgs;
use crate::output::{refuse_existing, write_output_new};
use crate::period::Period;
use crate::template::{csv_bytes, template_rows, xlsx_bytes};

pub fn run(context: &Context, args: TemplateArgs) -> Result<()> {
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(args.plan.plan.as_deref())?)?;
    let period: Period = args.period.parse()?;
    if period.year != plan.year {
        bail!("{period} is outside the plan's year: plan {} is for {}; nothing was written", plan.id, plan.year);
    }
    let extension = args.out.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if extension != "xlsx" && extension != "csv" {
        bail!("--out {} must end in .xlsx or .csv; nothing was written", args.out.display());
    }
    refuse_existing(Some(&args.out), args.force, context.lang)?;
    let lead_unit = args.lead_unit.as_deref().map(str::trim);
    if let Some(unit) = lead_unit {
        let units: BTreeSet<&str> = plan.targets.iter().filter_map(|t| t.lead_unit.as_deref()).collect();
        if !units.contains(unit) {
            let known: Vec<&str> = units.into_iter().collect();
            bail!("no target of plan {} is led by {unit:?}; the lead units are: {}", plan.id, known.join(", "));
        }
    }
    let rows = template_rows(&plan, period, lead_unit, &store.actuals(&plan.id)?, context.lang);
    if rows.is_empty() {
        bail!(
            "no target{} is due for {period}: monthly targets are due every month, quarterly ones at quarter ends \
             (Q1–Q4), yearly ones for the whole year; nothing was written",
            lead_unit.map(|u| format!(" led by {u}")).unwrap_or_default()
        );
    }
    let bytes = if extension == "xlsx" {
        xlsx_bytes(&rows, context.lang, context.now).context("cannot build the Excel template")?
    } else {
        csv_bytes(&rows, context.lang)
    };
    write_output_new(&bytes, Some(&args.out), args.force, context.lang)?;
    eprintln!(
        "wrote {}: {} target{} due for {period}; fill in the value column (数值) and import it with `ontrack import {}`",
        args.out.display(),
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        args.out.display()
    );
    Ok(())
}
