//! `ontrack report`: load the plan and its figures, evaluate the status, build the
//! report and write it in the chosen format.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, Utc};

use super::{Context, WhichFigures};
use crate::actual::Actual;
use crate::chart::Charter;
use crate::cli::{ReportArgs, WhenArgs};
use crate::lang::{Lang, Text};
use crate::output::{refuse_existing, stream_output_new, write_output_new};
use crate::period::Period;
use crate::plan::Plan;
use crate::report::{csv, html, json, markdown, render, ChartSource, Charts, Format, Report, ReportInput};
use crate::review::{counting_figures, Counting, FigureStates};
use crate::status::evaluate;
use crate::store::Store;

pub fn run(context: &Context, args: ReportArgs) -> Result<()> {
    let lang = context.lang;
    let format = match (args.format, &args.out) {
        (Some(format), _) => format,
        (None, Some(out)) => format_from_extension(out, lang)?,
        (None, None) => Format::Md,
    };
    if format == Format::Xlsx && args.out.is_none() && std::io::stdout().is_terminal() {
        bail!(lang.pick(
            "Excel 工作簿不能输出到终端：请加 --out FILE.xlsx（或将输出重定向到文件）",
            "an Excel workbook is not for the terminal: add --out FILE.xlsx (or pipe the output to a file)"
        ));
    }
    refuse_existing(args.out.as_deref(), args.force, context.lang)?;
    if let Some(parent) = &args.parent {
        let by = args.by.map_or(crate::compare::By::Value, Into::into);
        let bytes = family_bytes(context, parent, &args.when, by, format)?;
        write_output_new(&bytes, args.out.as_deref(), args.force, context.lang)?;
        if let Some(out) = &args.out {
            eprintln!("{}", lang.choose(format!("报告已写入 {}", out.display()), format!("wrote {}", out.display())));
        }
        return Ok(());
    }
    let store = context.open_read()?;
    let id = store.resolve_plan_id(args.plan.plan.as_deref())?;
    let which = super::which_figures(&store, &id, &args.when)?;
    let plan = store.load_plan_at(&id, which.as_recorded.unwrap_or(context.now))?;
    // Written as it is made: a province's report is more than its process should hold.
    stream_output_new(args.out.as_deref(), args.force, context.lang, |sink| {
        write_report(&store, &plan, format, which, None, context, sink)
    })?;
    if let Some(out) = &args.out {
        eprintln!("{}", lang.choose(format!("报告已写入 {}", out.display()), format!("wrote {}", out.display())));
    }
    Ok(())
}

/// The report of plan `plan` (the only or latest one when `None`) for `when`, in
/// `format`: what `report` writes, and what the web desk's report download answers,
/// byte for byte.
pub(crate) fn plan_report_bytes(
    context: &Context,
    plan: Option<&str>,
    when: &WhenArgs,
    format: Format,
) -> Result<Vec<u8>> {
    let store = context.open_read()?;
    let id = store.resolve_plan_id(plan)?;
    let which = super::which_figures(&store, &id, when)?;
    let plan = store.load_plan_at(&id, which.as_recorded.unwrap_or(context.now))?;
    report_bytes(&store, &plan, format, which, None, context)
}

/// The family's report (`report --parent`) in one format: loaded and compared as
/// `compare` does (`commands::compare::comparison`).
fn family_bytes(
    context: &Context,
    parent: &str,
    when: &crate::cli::WhenArgs,
    by: crate::compare::By,
    format: Format,
) -> Result<Vec<u8>> {
    let (family, comparison) = super::compare::comparison(context, parent, when, &[], by)?;
    let members = family.members();
    let input = crate::report::family::FamilyInput {
        parent: &family.parent_id,
        parent_org: family.parent_org(context.lang),
        plans: members.iter().map(|m| m.plan).collect(),
        figures: members.iter().map(|m| m.figures.clone()).collect(),
        comparison: &comparison,
        counting: when.counting(),
        made_at: context.now,
        lang: context.lang,
    };
    let report = crate::report::family::FamilyReport::new(input);
    crate::report::render_family(&report, format).context(
        context.lang.choose("无法生成 Excel 工作簿".to_string(), "cannot write the Excel workbook".to_string()),
    )
}

/// Everything a report is made from, loaded and evaluated.
pub(crate) struct Evaluated {
    pub actuals: Vec<Actual>,
    pub states: FigureStates,
    pub counting: Counting,
    pub as_of: Period,
    pub as_recorded: Option<DateTime<Utc>>,
}

impl Evaluated {
    /// Loads the plan's figures as recorded up to `as_recorded` and settles the as-of
    /// period (the latest period with a figure unless one is given).
    pub fn load(store: &Store, plan: &Plan, which: WhichFigures, lang: Lang) -> Result<Evaluated> {
        let actuals = store.actuals(&plan.id)?;
        let states = store.figure_states(&plan.id)?;
        let purpose = Text::new("报告", "report on");
        let as_of = super::figures_as_of(plan, &actuals, &states, which, &purpose, lang)?.1;
        Ok(Evaluated { actuals, states, counting: which.counting, as_of, as_recorded: which.as_recorded })
    }

    /// The figures that count (`review::counting_figures`).
    pub fn figures(&self) -> Vec<&Actual> {
        counting_figures(&self.actuals, &self.states, self.as_recorded, self.counting)
    }
}

/// The report's bytes in one format (the demo's small reports).
pub(crate) fn report_bytes(
    store: &Store,
    plan: &Plan,
    format: Format,
    which: WhichFigures,
    notice: Option<&str>,
    context: &Context,
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_report(store, plan, format, which, notice, context, &mut bytes)?;
    Ok(bytes)
}

/// The report in one format, written to `sink` as it is made: the one path `report`
/// and `demo` share. `plan` is the plan as it stood at the data moment
/// (`Store::load_plan_at`).
pub(crate) fn write_report(
    store: &Store,
    plan: &Plan,
    format: Format,
    which: WhichFigures,
    notice: Option<&str>,
    context: &Context,
    sink: &mut dyn Write,
) -> Result<()> {
    let evaluated = Evaluated::load(store, plan, which, context.lang)?;
    let adjustments = store.adjustments(&plan.id)?;
    let figures = evaluated.figures();
    let status = evaluate(plan, &figures, evaluated.as_of);
    let report = Report::build(ReportInput {
        plan,
        status: &status,
        figures: &figures,
        actuals: &evaluated.actuals,
        made_at: context.now,
        as_recorded: evaluated.as_recorded,
        lang: context.lang,
        charts: Charts::default(),
        notice: notice.map(str::to_string),
        states: &evaluated.states,
        counting: evaluated.counting,
        adjustments: &adjustments,
    });
    match format {
        Format::Html => {
            // Drawn as the page reaches them, a block at a time, exactly as `ontrack
            // chart` draws them.
            let charts = DrawnCharts { plan, charter: Charter::new(plan, &figures, status.as_of, context.lang) };
            html::write(&report, &charts, sink)?;
        }
        Format::Xlsx => {
            let bytes = render(&report, format)
                .context(context.lang.pick("无法生成 Excel 工作簿", "cannot write the Excel workbook"))?;
            sink.write_all(&bytes)?;
        }
        Format::Md => markdown::write(&report, sink)?,
        Format::Csv => csv::write(&report, sink)?,
        Format::Json => json::write(&report, sink)?,
    }
    Ok(())
}

/// The HTML report's charts, drawn when the page reaches them (`chart::Charter`, as
/// `ontrack chart` draws them), on every core.
struct DrawnCharts<'a> {
    plan: &'a Plan,
    charter: Charter<'a>,
}

impl ChartSource for DrawnCharts<'_> {
    fn overview(&self) -> Option<String> {
        Some(self.charter.overview().svg)
    }

    fn targets(&self, codes: &[&str]) -> Vec<Option<String>> {
        crate::parallel::map_chunks(codes, 1, |part| {
            part.iter().map(|code| self.plan.target(code).map(|target| self.charter.target(target).svg)).collect()
        })
    }
}

fn format_from_extension(out: &Path, lang: Lang) -> Result<Format> {
    let extension = out.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    Ok(match extension.as_str() {
        "md" | "markdown" => Format::Md,
        "html" | "htm" => Format::Html,
        "csv" => Format::Csv,
        "json" => Format::Json,
        "xlsx" => Format::Xlsx,
        _ => {
            let name = out.file_name().unwrap_or_default();
            bail!(lang.choose(
                format!("无法从 {name:?} 判断格式：请加 --format md|html|csv|json|xlsx"),
                format!("cannot tell the format from {name:?}: add --format md|html|csv|json|xlsx")
            ))
        }
    })
}
