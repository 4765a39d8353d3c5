//! `ontrack report`: load the plan and its figures, evaluate the status, build the
//! report and write it in the chosen format.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, Utc};

use super::{Context, WhichFigures};
use crate::actual::Actual;
use crate::chart::render_all;
use crate::cli::{ReportArgs, WhenArgs};
use crate::lang::{Lang, Text};
use crate::output::{refuse_existing, write_output_new};
use crate::period::Period;
use crate::plan::Plan;
use crate::report::{render, Charts, Format, Report, ReportInput};
use crate::review::{counting_figures, Counting, FigureStates};
use crate::status::{evaluate, PlanStatus};
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
    let bytes = plan_report_bytes(context, args.plan.plan.as_deref(), &args.when, format)?;
    write_output_new(&bytes, args.out.as_deref(), args.force, context.lang)?;
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

/// The report's bytes in one format: the one path `report` and `demo` share. `plan` is
/// the plan as it stood at the data moment (`Store::load_plan_at`).
pub(crate) fn report_bytes(
    store: &Store,
    plan: &Plan,
    format: Format,
    which: WhichFigures,
    notice: Option<&str>,
    context: &Context,
) -> Result<Vec<u8>> {
    let evaluated = Evaluated::load(store, plan, which, context.lang)?;
    let adjustments = store.adjustments(&plan.id)?;
    let figures = evaluated.figures();
    let status = evaluate(plan, &figures, evaluated.as_of);
    let charts = if format == Format::Html { charts(plan, &status, &figures, context.lang) } else { Charts::default() };
    let report = Report::build(ReportInput {
        plan,
        status: &status,
        figures: &figures,
        actuals: &evaluated.actuals,
        made_at: context.now,
        as_recorded: evaluated.as_recorded,
        lang: context.lang,
        charts,
        notice: notice.map(str::to_string),
        states: &evaluated.states,
        counting: evaluated.counting,
        adjustments: &adjustments,
    });
    render(&report, format).context(context.lang.pick("无法生成 Excel 工作簿", "cannot write the Excel workbook"))
}

/// The charts the HTML report shows inline: the overview and every target's gap chart,
/// exactly as `ontrack chart` draws them (`chart::render_all`).
fn charts(plan: &Plan, status: &PlanStatus, figures: &[&Actual], lang: Lang) -> Charts {
    let mut charts = Charts::default();
    for file in render_all(plan, figures, status.as_of, lang) {
        match file.name.strip_suffix(".svg") {
            Some("overview") => charts.overview = Some(file.svg),
            Some(code) => {
                charts.targets.insert(code.to_string(), file.svg);
            }
            None => {}
        }
    }
    charts
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
