//! `ontrack chart [CODE...] [--overview]`: SVG gap charts, one file per target
//! (`CODE.svg`) and the overview (`overview.svg`), written into one directory.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context as _, Result};

use super::Context;
use crate::chart::{ChartFile, Charter};
use crate::cli::ChartArgs;
use crate::escape;
use crate::lang::{Lang, Text};
use crate::output::{remove_stale_temp_files, write_file_atomically, Progress};
use crate::plan::{is_slug, Plan, Target};
use crate::present;
use crate::validate::FigureProblem;

pub fn run(context: &Context, args: ChartArgs) -> Result<()> {
    if let Some(parent) = args.parent.clone() {
        return run_family(context, &parent, args);
    }
    let (plan, actuals, states, which) = super::plan_and_actuals(context, args.plan.plan.as_deref(), &args.when)?;
    let targets = chosen_targets(&plan, &args.codes)?;
    let purpose = Text::new("绘图", "chart");
    let (figures, as_of) = super::figures_as_of(&plan, &actuals, &states, which, &purpose, context.lang)?;
    // No codes: every target and the overview; `--overview` alone: the overview only.
    let (targets, overview) = match (targets.is_empty(), args.overview) {
        (true, false) => (plan.targets().iter().collect(), true),
        _ => (targets, args.overview),
    };
    if !args.force {
        let names =
            targets.iter().map(|t| format!("{}.svg", t.code)).chain(overview.then(|| "overview.svg".to_string()));
        refuse_foreign_charts(&args.out, names, context.lang)?;
    }
    let charter = Charter::new(&plan, &figures, as_of, context.lang);
    let written = write_charts(&args.out, &charter, &targets, overview, context.lang)?;
    println!("{}", present::commands::charts_written(written, &args.out.display().to_string(), as_of, context.lang));
    Ok(())
}

/// `chart --parent ID`: a comparison chart per indicator (`CODE.svg`, every indicator
/// unless codes are given) and the family overview (`overview.svg`, with no codes or
/// with `--overview`), from the comparison `compare` computes.
fn run_family(context: &Context, parent: &str, args: ChartArgs) -> Result<()> {
    let lang = context.lang;
    let by = args.by.map_or(crate::compare::By::Value, Into::into);
    let (family, comparison) = super::compare::comparison(context, parent, &args.when, &args.codes, by)?;
    let members = family.members();
    let plans = family.plans();
    // As for one plan: no codes, every indicator and the overview; `--overview` alone,
    // the overview only.
    let overview = args.codes.is_empty() || args.overview;
    let only_overview = args.codes.is_empty() && args.overview;
    let indicators: Vec<&crate::compare::Indicator> =
        if only_overview { Vec::new() } else { comparison.indicators.iter().collect() };
    if !args.force {
        let names =
            indicators.iter().map(|i| format!("{}.svg", i.code)).chain(overview.then(|| "overview.svg".to_string()));
        refuse_foreign_charts(&args.out, names, lang)?;
    }
    std::fs::create_dir_all(&args.out).with_context(|| {
        lang.choose(
            format!("无法创建目录 {}", args.out.display()),
            format!("cannot create the directory {}", args.out.display()),
        )
    })?;
    for indicator in &indicators {
        let svg = crate::chart::family_indicator_chart(&plans, &comparison, indicator, lang);
        write_chart(&args.out, &ChartFile { name: format!("{}.svg", indicator.code), svg }, lang)?;
    }
    if overview {
        let statuses: Vec<_> =
            members.iter().map(|m| crate::status::evaluate(m.plan, &m.figures, comparison.as_of)).collect();
        let svg = crate::chart::family_overview_chart(&plans, &statuses, &comparison, &family.parent_id, lang);
        write_chart(&args.out, &ChartFile { name: "overview.svg".to_string(), svg }, lang)?;
    }
    let written = indicators.len() + usize::from(overview);
    println!("{}", present::commands::charts_written(written, &args.out.display().to_string(), comparison.as_of, lang));
    Ok(())
}

/// The targets named on the command line, in the order given, each once. An unknown
/// code is an error with the nearest code suggested.
fn chosen_targets<'p>(plan: &'p Plan, codes: &[String]) -> Result<Vec<&'p Target>> {
    let mut chosen: Vec<&Target> = Vec::new();
    for code in codes {
        let code = code.trim();
        let Some(target) = plan.target(code) else {
            bail!(FigureProblem::UnknownTarget {
                plan: plan.id.clone(),
                code: code.to_string(),
                nearest: plan.nearest_code(code).map(str::to_string),
            });
        };
        if !chosen.iter().any(|t| t.code == target.code) {
            chosen.push(target);
        }
    }
    Ok(chosen)
}

/// Refuses, before any chart is drawn, a run that would replace a file ontrack did not
/// draw: `chart` rewrites its own charts on every run, but a file of the user's that
/// happens to be named `CODE.svg` (or `overview.svg`) in the charts folder is theirs.
/// An ontrack chart is recognised by its first line ([`is_ontrack_chart`]).
fn refuse_foreign_charts(dir: &Path, names: impl Iterator<Item = String>, lang: Lang) -> Result<()> {
    let foreign: Vec<String> = names
        .map(|name| dir.join(name))
        .filter(|path| path.symlink_metadata().is_ok() && !is_ontrack_chart(path))
        .map(|path| escape::terminal(&path.display().to_string()))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let count = foreign.len();
    let shown = foreign.into_iter().take(5).collect::<Vec<_>>();
    let more = match (count > 5, lang) {
        (false, _) => String::new(),
        (true, Lang::Zh) => format!("等共 {count} 个"),
        (true, Lang::En) => format!(" and {} more", count - 5),
    };
    bail!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "{}{more} 不是 ontrack 画的图表，未写入任何图表：请把它们移走、用 --out 换一个文件夹，或加 --force 覆盖",
                shown.join("、")
            ),
            Lang::En => format!(
                "{}{more}: not a chart ontrack drew; no chart was written. Move them away, choose another folder with \
                 --out, or add --force to replace them",
                shown.join(", ")
            ),
        }
    )
}

/// Whether the file at `path` is a chart ontrack drew: a regular file whose first line
/// is the root element `chart::svg::finish` writes.
fn is_ontrack_chart(path: &Path) -> bool {
    use std::io::Read as _;
    if !path.symlink_metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(1024);
    let read = std::fs::File::open(path).and_then(|file| file.take(1024).read_to_end(&mut head));
    read.is_ok() && crate::chart::is_chart_head(&head)
}

/// How old a chart's temporary file must be to count as left behind by a killed run:
/// writing one chart takes milliseconds, so this is generous.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Draws and writes every chart into `dir` (created if missing), each file whole or
/// not at all, and returns how many were written. Charts are drawn and written on
/// every core (each file's bytes do not depend on which thread drew it), a few at a
/// time, so a city's ten thousand charts are never all in memory at once.
fn write_charts(dir: &Path, charter: &Charter<'_>, targets: &[&Target], overview: bool, lang: Lang) -> Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| {
        lang.choose(format!("无法创建目录 {}", dir.display()), format!("cannot create the directory {}", dir.display()))
    })?;
    // A run killed mid-write (`kill -9`, a power cut) leaves a chart's temporary file
    // (`.CODE.svg.tmp-…`); the next run clears them. Only old ones: a young one may be
    // a write under way in another `chart` run into the same folder.
    remove_stale_temp_files(dir, STALE_TEMP_AGE, |name| name.strip_suffix(".svg").is_some_and(is_slug));
    let total = targets.len() + usize::from(overview);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = Progress::new(lang.pick("图表", "charts"), total);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(total.max(1));
    let draw_and_write = || -> Result<()> {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let file = match targets.get(index) {
                Some(target) => charter.target(target),
                None if index == targets.len() && overview => charter.overview(),
                None => return Ok(()),
            };
            write_chart(dir, &file, lang)?;
            progress.set(done.fetch_add(1, Ordering::Relaxed) + 1);
        }
    };
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads).map(|_| scope.spawn(draw_and_write)).collect();
        let mut results = vec![draw_and_write()];
        results.extend(workers.into_iter().map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))));
        results
    });
    progress.finish();
    results.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(total)
}

fn write_chart(dir: &Path, file: &ChartFile, lang: Lang) -> Result<()> {
    // Target codes are slugs (checked when the plan is loaded); this keeps every
    // file inside `dir` even if that check were bypassed.
    let stem = file.name.trim_end_matches(".svg");
    if !is_slug(stem) {
        bail!(lang.choose(
            format!("拒绝写入名为 {:?} 的图表：指标代码必须是有效代码（小写字母、数字和 -）", file.name),
            format!("refusing to write a chart named {:?}: a target code must be a slug", file.name)
        ));
    }
    let path = dir.join(&file.name);
    write_file_atomically(&path, file.svg.as_bytes()).with_context(|| {
        lang.choose(format!("无法写入 {}", path.display()), format!("cannot write {}", path.display()))
    })
}
