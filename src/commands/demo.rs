//! `ontrack demo`: the whole job on the built-in plan with illustrative figures — a
//! fresh database in DIR, the Jinshui 2020 plan, the 2020 figures shipped in
//! `demo/jinshui-2020-illustrative.csv` (embedded, so it works from any directory),
//! then the status printed, the charts and the HTML, Markdown and Excel reports
//! written.
//!
//! The demo replays 2020 as the district office would have lived it: every figure
//! carries the moment it would have been logged, and the demo's clock is a fixed
//! moment after the last of them ([`DEMO_NOW`]), so the reports are the same bytes on
//! every machine. `ONTRACK_NOW` moves the clock: only figures logged by then are
//! loaded (`ONTRACK_NOW=2020-11-01T00:00:00Z ontrack demo` shows the autumn view).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, Utc};

use super::report::report_bytes;
use super::Context;
use crate::actual::NewActual;
use crate::cli::DemoArgs;
use crate::lang::Lang;
use crate::output::{table, write_file_atomically};
use crate::period::Period;
use crate::plan::{file::parse_plan, Plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};
use crate::report::{moment_label, Format};
use crate::store::{parse_timestamp, Store};

/// The illustrative figures: every source says they are not official statistics.
pub const DEMO_FIGURES_CSV: &str = include_str!("../../demo/jinshui-2020-illustrative.csv");
pub const DEMO_FIGURES_NAME: &str = "demo/jinshui-2020-illustrative.csv";

/// The demo's clock: 31 March 2021, 16:00 Beijing time, after the last figure of 2020
/// was logged and revised, and before the R&D figure (published about nine months
/// after the year) is due to arrive.
pub const DEMO_NOW: &str = "2021-03-31T08:00:00Z";

/// When the demo loads the plan: the day after the work report was printed.
const PLAN_LOADED_AT: &str = "2020-05-28T02:00:00Z";

/// One figure of the demo file, with the moment it is logged at.
struct DemoFigure {
    recorded_at: DateTime<Utc>,
    figure: NewActual,
}

pub fn run(context: &Context, args: DemoArgs) -> Result<()> {
    let now = if context.now_fixed { context.now } else { parse_timestamp(DEMO_NOW).expect("DEMO_NOW is RFC 3339") };
    let plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME)?;
    let figures = read_demo_figures(DEMO_FIGURES_CSV, &plan)?;
    let dir = &args.dir;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let db = dir.join("ontrack.db");
    let demo = Context { db: db.clone(), lang: context.lang, now, now_fixed: true, busy_timeout: context.busy_timeout };

    let mut store = Store::create(&db, true, demo.busy_timeout)?;
    let loaded_at = parse_timestamp(PLAN_LOADED_AT).expect("PLAN_LOADED_AT is RFC 3339").min(now);
    store.insert_plan(&plan, loaded_at)?;
    let logged = load_figures(&mut store, &plan, &figures, now)?;
    let lang = context.lang;
    match lang {
        Lang::Zh => eprintln!(
            "示例：{}，{} 个目标，载入示例数据 {logged} 条（{DEMO_FIGURES_NAME}，非官方统计）；演示时钟 {}",
            db.display(),
            plan.targets.len(),
            moment_label(now, lang)
        ),
        Lang::En => eprintln!(
            "demo: {}, {} targets, {logged} illustrative figures loaded ({DEMO_FIGURES_NAME}, not official statistics); \
             demo clock {}",
            db.display(),
            plan.targets.len(),
            moment_label(now, lang)
        ),
    }
    if logged == 0 {
        bail!("no demo figure was logged by {now}: set ONTRACK_NOW to a moment after 2020-06-01 or unset it");
    }

    print_status(&store, &plan, &demo)?;

    let charts_dir = dir.join("charts");
    let charts = write_charts(&store, &plan, &demo, &charts_dir)?;
    let mut written: Vec<PathBuf> = Vec::new();
    for (format, name) in [(Format::Html, "report.html"), (Format::Md, "report.md"), (Format::Xlsx, "report.xlsx")] {
        let bytes = report_bytes(&store, &plan, format, None, None, &demo)?;
        let path = dir.join(name);
        write(&path, &bytes)?;
        written.push(path);
    }
    println!();
    match lang {
        Lang::Zh => println!("已写入 {}（{charts} 张图表，总览为 overview.svg）", charts_dir.display()),
        Lang::En => println!("wrote {} ({charts} charts, overview.svg the overview)", charts_dir.display()),
    }
    for path in &written {
        println!("{} {}", lang.pick("已写入", "wrote"), path.display());
    }
    Ok(())
}

/// Writes the overview and every target's gap chart into `dir`, as `ontrack chart` does.
fn write_charts(store: &Store, plan: &Plan, context: &Context, dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let evaluated = super::report::Evaluated::load(store, plan, None, None)?;
    let figures = evaluated.figures();
    let status = crate::status::evaluate(plan, &figures, evaluated.as_of);
    let charts = super::report::charts(plan, &status, &figures, context.lang);
    let mut count = 0;
    if let Some(svg) = &charts.overview {
        write(&dir.join("overview.svg"), svg.as_bytes())?;
        count += 1;
    }
    for (code, svg) in &charts.targets {
        // Target codes are slugs (checked when the plan is loaded), so each file stays in `dir`.
        write(&dir.join(format!("{code}.svg")), svg.as_bytes())?;
        count += 1;
    }
    Ok(count)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file_atomically(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Reads the demo file: `target,period,value,source,by,recorded_at,note,reason`; a
/// non-empty `reason` marks a revision of the figure standing for that window.
fn read_demo_figures(text: &str, plan: &Plan) -> Result<Vec<DemoFigure>> {
    #[derive(serde::Deserialize)]
    struct Line {
        target: String,
        period: String,
        value: f64,
        source: String,
        by: String,
        recorded_at: String,
        note: String,
        reason: String,
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut figures = Vec::new();
    for (index, line) in reader.deserialize::<Line>().enumerate() {
        let place = format!("{DEMO_FIGURES_NAME} line {}", index + 2);
        let line = line.with_context(|| place.clone())?;
        if plan.target(&line.target).is_none() {
            bail!("{place}: unknown target {}", line.target);
        }
        let period: Period = line.period.parse().with_context(|| place.clone())?;
        let recorded_at = parse_timestamp(&line.recorded_at).with_context(|| format!("{place}: bad recorded_at"))?;
        let optional = |text: String| if text.is_empty() { None } else { Some(text) };
        figures.push(DemoFigure {
            recorded_at,
            figure: NewActual {
                target: line.target,
                period,
                value: line.value,
                source: Some(line.source),
                recorded_by: line.by,
                note: optional(line.note),
                revision_reason: optional(line.reason),
            },
        });
    }
    figures.sort_by_key(|f| f.recorded_at);
    Ok(figures)
}

/// Logs the figures recorded by `now`, each batch at the moment it was recorded.
fn load_figures(store: &mut Store, plan: &Plan, figures: &[DemoFigure], now: DateTime<Utc>) -> Result<usize> {
    let mut logged = 0;
    let due: Vec<&DemoFigure> = figures.iter().filter(|f| f.recorded_at <= now).collect();
    for batch in due.chunk_by(|a, b| a.recorded_at == b.recorded_at) {
        let new: Vec<NewActual> = batch.iter().map(|f| f.figure.clone()).collect();
        store.insert_actuals(&plan.id, &new, batch[0].recorded_at)?;
        logged += new.len();
    }
    Ok(logged)
}

/// The status of every target, as a terminal table.
fn print_status(store: &Store, plan: &Plan, context: &Context) -> Result<()> {
    let evaluated = super::report::Evaluated::load(store, plan, None, None)?;
    let figures = evaluated.figures();
    let status = crate::status::evaluate(plan, &figures, evaluated.as_of);
    let lang = context.lang;
    let rows = crate::status::status_rows(plan, &status, &figures, lang);
    let headers = lang.pick_all(
        &["板块", "代码", "指标", "目标", "最新数据", "期别", "差距", "状态"],
        &["section", "code", "target", "goal", "latest", "period", "gap", "status"],
    );
    let lines = rows.iter().map(|row| {
        let mut label = row.status_label.clone();
        if row.overdue {
            label.push_str(lang.pick(" · 未报送", " · overdue"));
        }
        vec![
            row.section.clone(),
            row.code.clone(),
            lang.name(&row.name, Some(&row.name_en)).to_string(),
            row.goal.clone(),
            row.actual.map(crate::numbers::format_number).unwrap_or_default(),
            row.period.clone().unwrap_or_default(),
            row.gap.map(|g| crate::numbers::format_signed(g, 2)).unwrap_or_default(),
            label,
        ]
    });
    println!("{}", table(&headers, lines));
    let (counts, overdue) = status.counts();
    let summary: Vec<String> = crate::status::Status::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{} {n}", s.label(lang)))
        .chain([format!("{} {overdue}", lang.pick("未报送", "overdue"))])
        .collect();
    println!(
        "{} {}: {}",
        lang.pick("截至", "as of"),
        crate::report::period_label(status.as_of, lang),
        summary.join(" · ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_figures_are_valid_and_marked_illustrative() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME).unwrap();
        let figures = read_demo_figures(DEMO_FIGURES_CSV, &plan).unwrap();
        assert!(figures.len() > 150);
        for f in &figures {
            assert!(f.figure.source.as_deref().unwrap().starts_with("示例数据（非官方统计）"), "{:?}", f.figure);
            assert_eq!(f.figure.period.year, 2020);
            assert!(f.recorded_at <= parse_timestamp(DEMO_NOW).unwrap());
        }
        assert!(figures.iter().any(|f| f.figure.revision_reason.as_deref() == Some("初步核算 → 最终核实")));
    }
}
