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
use crate::cli::{ChartArgs, DemoArgs, FormatArg, PlanArg, StatusArgs};
use crate::lang::Lang;
use crate::output::{write_file_atomically, ListFormat};
use crate::plan::{file::parse_plan, Plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};
use crate::report::{moment_label, Format};
use crate::store::{parse_timestamp, Store};
use crate::validate::{check_figure, RawValue};

/// The illustrative figures: every source says they are not official statistics.
pub const DEMO_FIGURES_CSV: &str = include_str!("../../demo/jinshui-2020-illustrative.csv");
pub const DEMO_FIGURES_NAME: &str = "demo/jinshui-2020-illustrative.csv";

/// The demo's clock: 31 March 2021, 16:00 Beijing time, after the last figure of 2020
/// was logged and revised, and before the R&D figure (published about nine months
/// after the year) is due to arrive.
pub const DEMO_NOW: &str = "2021-03-31T08:00:00Z";

/// When the demo loads the plan: the day after the work report was printed.
const PLAN_LOADED_AT: &str = "2020-05-28T02:00:00Z";

/// Marks a directory as the demo's, so a rerun may replace its database and no other
/// database is ever replaced.
const MARKER: &str = "ONTRACK-DEMO.txt";
const MARKER_TEXT: &str = "This directory was made by `ontrack demo`. Its figures are illustrative, not official \
statistics (示例数据，非官方统计). Running `ontrack demo` again replaces ontrack.db, the charts and the reports here.\n";

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
    let lang = context.lang;
    std::fs::create_dir_all(dir).with_context(|| {
        lang.choose(format!("无法创建 {}", dir.display()), format!("cannot create {}", dir.display()))
    })?;
    let db = dir.join("ontrack.db");
    let marker = dir.join(MARKER);
    if db.exists() && !marker.exists() {
        let shown = db.display();
        bail!(lang.choose(
            format!(
                "{shown} 已存在，且不是 `ontrack demo` 创建的（demo 会替换其数据库）：请另选 --dir（未作任何更改）"
            ),
            format!(
                "{shown} exists and was not made by `ontrack demo`, which replaces its database: choose another \
                 --dir (nothing was changed)"
            )
        ));
    }
    let demo = Context { db: db.clone(), lang: context.lang, now, now_fixed: true, busy_timeout: context.busy_timeout };

    let mut store = Store::create(&db, true, demo.busy_timeout)?;
    super::note_without_wal(&store, lang);
    write(&marker, MARKER_TEXT.as_bytes(), lang)?;
    let loaded_at = parse_timestamp(PLAN_LOADED_AT).expect("PLAN_LOADED_AT is RFC 3339").min(now);
    store.insert_plan(&plan, loaded_at)?;
    let logged = load_figures(&mut store, &plan, &figures, now)?;
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
        bail!(lang.choose(
            format!("截至 {now} 没有记录任何示例数据：请将 ONTRACK_NOW 设为 2020-06-01 之后的时刻，或取消设置"),
            format!("no demo figure was logged by {now}: set ONTRACK_NOW to a moment after 2020-06-01 or unset it")
        ));
    }

    // The status, exactly as `ontrack status` prints it.
    super::status::run(
        &demo,
        StatusArgs {
            plan: PlanArg { plan: Some(plan.id.clone()) },
            as_of: None,
            as_recorded: None,
            section: None,
            only: None,
            format: FormatArg { format: ListFormat::Table },
        },
    )?;

    // The charts, exactly as `ontrack chart` writes them.
    let charts_dir = dir.join("charts");
    super::chart::run(
        &demo,
        ChartArgs {
            codes: Vec::new(),
            overview: false,
            as_of: None,
            as_recorded: None,
            out: charts_dir,
            plan: PlanArg { plan: Some(plan.id.clone()) },
        },
    )?;
    let mut written: Vec<PathBuf> = Vec::new();
    for (format, name) in [(Format::Html, "report.html"), (Format::Md, "report.md"), (Format::Xlsx, "report.xlsx")] {
        let bytes = report_bytes(&store, &plan, format, None, None, Some(notice(lang)), &demo)?;
        let path = dir.join(name);
        write(&path, &bytes, lang)?;
        written.push(path);
    }
    println!();
    for path in &written {
        println!("{} {}", lang.pick("已写入", "wrote"), path.display());
    }
    Ok(())
}

/// The banner on the demo's reports: its figures are not official statistics.
fn notice(lang: Lang) -> &'static str {
    lang.pick(
        "本报告为 ontrack 演示，所用2020年数据均为示例数据（非官方统计），仅用于说明报告格式，不得引用。",
        "This report is an ontrack demo: its 2020 figures are illustrative, not official statistics, and must not be quoted.",
    )
}

fn write(path: &Path, bytes: &[u8], lang: Lang) -> Result<()> {
    write_file_atomically(path, bytes).with_context(|| {
        lang.choose(format!("无法写入 {}", path.display()), format!("cannot write {}", path.display()))
    })
}

/// Reads the demo file: `target,period,value,source,by,recorded_at,note,reason`; a
/// non-empty `reason` marks a revision of the figure standing for that window.
fn read_demo_figures(text: &str, plan: &Plan) -> Result<Vec<DemoFigure>> {
    #[derive(serde::Deserialize)]
    struct Line {
        target: String,
        period: String,
        value: String,
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
        let recorded_at = parse_timestamp(&line.recorded_at).with_context(|| format!("{place}: bad recorded_at"))?;
        // The checks `record` and `import` apply, as of the moment the figure is logged.
        let checked = check_figure(plan, &line.target, &line.period, RawValue::Text(&line.value), recorded_at)
            .map_err(|problems| {
                let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("{place}: {}", problems.join("; "))
            })?;
        let optional = |text: String| if text.is_empty() { None } else { Some(text) };
        figures.push(DemoFigure {
            recorded_at,
            figure: NewActual {
                target: checked.target.code.clone(),
                period: checked.period,
                value: checked.value,
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
