//! `ontrack report`: load the plan and its figures, evaluate the status, build the
//! report and write it in the chosen format.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::Context;
use crate::actual::{current_figures, Actual};
use crate::cli::ReportArgs;
use crate::lang::Lang;
use crate::output::write_output;
use crate::period::Period;
use crate::plan::Plan;
use crate::report::{beijing, render, Charts, Format, Report, ReportInput};
use crate::status::{default_as_of, evaluate, PlanStatus};
use crate::store::Store;

pub fn run(context: &Context, args: ReportArgs) -> Result<()> {
    let format = match (args.format, &args.out) {
        (Some(format), _) => format,
        (None, Some(out)) => format_from_extension(out)?,
        (None, None) => Format::Md,
    };
    if format == Format::Xlsx && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!("an Excel workbook is not for the terminal: add --out FILE.xlsx (or pipe the output to a file)");
    }
    let as_recorded = args.as_recorded.as_deref().map(parse_as_recorded).transpose()?;
    let store = context.open()?;
    let plan = store.load_plan(&store.resolve_plan_id(args.plan.plan.as_deref())?)?;
    let as_of = args.as_of.as_deref().map(|text| parse_as_of(&plan, text)).transpose()?;
    let bytes = report_bytes(&store, &plan, format, as_of, as_recorded, context)?;
    write_output(&bytes, args.out.as_deref())?;
    if let Some(out) = &args.out {
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// Everything a report is made from, loaded and evaluated.
pub(crate) struct Evaluated {
    pub actuals: Vec<Actual>,
    pub as_of: Period,
    pub as_recorded: Option<DateTime<Utc>>,
}

impl Evaluated {
    /// Loads the plan's figures as recorded up to `as_recorded` and settles the as-of
    /// period (the latest period with a figure unless one is given).
    pub fn load(
        store: &Store,
        plan: &Plan,
        as_of: Option<Period>,
        as_recorded: Option<DateTime<Utc>>,
    ) -> Result<Evaluated> {
        let actuals = store.actuals(&plan.id)?;
        let as_of = match as_of {
            Some(period) => period,
            None => {
                let figures = current_figures(&actuals, as_recorded);
                default_as_of(plan, &figures).with_context(|| {
                    format!(
                        "plan {} has no figures yet{}: log some with `ontrack record` or `ontrack import`, \
                         or choose the period with --as-of",
                        plan.id,
                        if as_recorded.is_some() { " as recorded then" } else { "" }
                    )
                })?
            }
        };
        Ok(Evaluated { actuals, as_of, as_recorded })
    }

    pub fn figures(&self) -> Vec<&Actual> {
        current_figures(&self.actuals, self.as_recorded)
    }
}

/// The report's bytes in one format: the one path `report` and `demo` share.
pub(crate) fn report_bytes(
    store: &Store,
    plan: &Plan,
    format: Format,
    as_of: Option<Period>,
    as_recorded: Option<DateTime<Utc>>,
    context: &Context,
) -> Result<Vec<u8>> {
    let evaluated = Evaluated::load(store, plan, as_of, as_recorded)?;
    let figures = evaluated.figures();
    let status = evaluate(plan, &figures, evaluated.as_of);
    let charts = if format == Format::Html { charts(plan, &status, &figures, context.lang) } else { Charts::default() };
    let report = Report::build(ReportInput {
        plan,
        status: &status,
        figures: &figures,
        actuals: &evaluated.actuals,
        made_at: context.now,
        as_recorded,
        lang: context.lang,
        charts,
    });
    render(&report, format).context("cannot write the Excel workbook")
}

/// The charts the HTML report shows inline.
fn charts(_plan: &Plan, _status: &PlanStatus, _figures: &[&Actual], _lang: Lang) -> Charts {
    Charts::default()
}

fn format_from_extension(out: &Path) -> Result<Format> {
    let extension = out.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    Ok(match extension.as_str() {
        "md" | "markdown" => Format::Md,
        "html" | "htm" => Format::Html,
        "csv" => Format::Csv,
        "json" => Format::Json,
        "xlsx" => Format::Xlsx,
        _ => bail!(
            "cannot tell the format from {:?}: add --format md|html|csv|json|xlsx",
            out.file_name().unwrap_or_default()
        ),
    })
}

/// An as-of period, which must lie in the plan's year.
pub(crate) fn parse_as_of(plan: &Plan, text: &str) -> Result<Period> {
    let period: Period = text.parse()?;
    if period.year != plan.year {
        bail!(
            "--as-of {text}: plan {} is for {}; choose a period of that year (e.g. {}Q3)",
            plan.id,
            plan.year,
            plan.year
        );
    }
    Ok(period)
}

/// `--as-recorded`: a day (`2020-10-31`, meaning everything recorded by the end of that
/// day, Beijing time) or an exact RFC 3339 moment.
pub(crate) fn parse_as_recorded(text: &str) -> Result<DateTime<Utc>> {
    let text = text.trim();
    if let Some(moment) = crate::store::parse_timestamp(text) {
        return Ok(moment);
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| {
        format!("--as-recorded {text:?} is not a date (2020-10-31) or an RFC 3339 time (2020-10-31T18:00:00+08:00)")
    })?;
    let next = day.succ_opt().context("--as-recorded: date out of range")?;
    let start_of_next = beijing()
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has no gaps");
    Ok(start_of_next.with_timezone(&Utc) - chrono::Duration::microseconds(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_recorded_day_is_the_end_of_that_day_in_beijing() {
        let moment = parse_as_recorded("2020-10-31").unwrap();
        assert_eq!(moment.to_rfc3339(), "2020-10-31T15:59:59.999999+00:00");
        assert_eq!(parse_as_recorded("2020-10-31T18:00:00+08:00").unwrap().to_rfc3339(), "2020-10-31T10:00:00+00:00");
        assert!(parse_as_recorded("31/10/2020").is_err());
    }
}
