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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, Utc};

use super::report::report_bytes;
use super::{Context, WhichFigures};
use crate::actual::NewActual;
use crate::cli::{ChartArgs, DemoArgs, FormatArg, PlanArg, StatusArgs, WhenArgs};
use crate::escape;
use crate::lang::Lang;
use crate::output::{write_file_atomically, ListFormat};
use crate::plan::file::{export_plan, parse_plan};
use crate::plan::{Plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};
use crate::report::Format;
use crate::store::Store;
use crate::time::{parse_timestamp, timestamp};
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

/// Lists the files the demo wrote, each with its length and hash, so a rerun replaces
/// only those files, unchanged. It proves nothing about the database: a rerun replaces
/// `ontrack.db` only if its contents are exactly a demo's ([`foreign_contents`]).
const MARKER: &str = "ONTRACK-DEMO.txt";
const MARKER_TEXT: &str = "This directory was made by `ontrack demo`. Its figures are illustrative, not official \
statistics (示例数据，非官方统计). Running `ontrack demo` again replaces ontrack.db if it holds only the demo's \
plan and figures, and the files listed below if they are unchanged.\n";
/// Each file line of the marker: `file <length> <FNV-1a 64 in hex> <path under DIR>`.
const MARKER_FILE: &str = "file ";

/// The reports the demo writes into DIR.
const REPORTS: [(Format, &str); 3] =
    [(Format::Html, "report.html"), (Format::Md, "report.md"), (Format::Xlsx, "report.xlsx")];

/// One figure of the demo file, with the moment it is logged at.
struct DemoFigure {
    recorded_at: DateTime<Utc>,
    figure: NewActual,
}

pub fn run(context: &Context, args: DemoArgs) -> Result<()> {
    let now = if context.now_fixed { context.now } else { parse_timestamp(DEMO_NOW).expect("DEMO_NOW is RFC 3339") };
    if args.serve {
        // Said before anything is made: the demo's passwords are printed for anyone
        // to read, so its desk is for this machine only.
        super::demo_serve::refuse_non_loopback(args.bind, context.lang)?;
    }
    let plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME)?;
    let figures = read_demo_figures(DEMO_FIGURES_CSV, &plan)?;
    let dir = &args.dir;
    let lang = context.lang;
    std::fs::create_dir_all(dir).with_context(|| {
        lang.choose(format!("无法创建 {}", dir.display()), format!("cannot create {}", dir.display()))
    })?;
    let db = dir.join("ontrack.db");
    let marker = dir.join(MARKER);
    // Everything the demo would replace is judged before anything is changed.
    let chart_names: Vec<String> =
        plan.targets().iter().map(|t| format!("{}.svg", t.code)).chain(["overview.svg".to_string()]).collect();
    let outputs: Vec<PathBuf> = REPORTS
        .iter()
        .map(|(_, name)| PathBuf::from(name))
        .chain(chart_names.iter().map(|name| Path::new("charts").join(name)))
        .collect();
    refuse_foreign_files(dir, &marker, &outputs, lang)?;
    if db.symlink_metadata().is_ok() {
        let found = {
            let store = Store::open(&db, context.busy_timeout).with_context(|| refusal_advice(&db, lang))?;
            foreign_contents(&store, &plan, &figures, lang)?
        };
        if !found.is_empty() {
            bail!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "{} 中有不是 `ontrack demo` 生成的内容：{}。{}",
                        escape::terminal(&db.display().to_string()),
                        found.join("；"),
                        refusal_advice(&db, lang)
                    ),
                    Lang::En => format!(
                        "{} holds what `ontrack demo` did not make: {}. {}",
                        escape::terminal(&db.display().to_string()),
                        found.join("; "),
                        refusal_advice(&db, lang)
                    ),
                }
            );
        }
    }
    let demo = Context { db: db.clone(), lang: context.lang, now, now_fixed: true, busy_timeout: context.busy_timeout };

    let mut store = Store::create(&db, true, demo.busy_timeout)?;
    // The marker first (with no file listed yet), so an interrupted demo still marks
    // its directory; it is rewritten with every file's hash at the end.
    super::note_without_wal(&store, lang);
    write(&marker, MARKER_TEXT.as_bytes(), lang)?;
    let loaded_at = parse_timestamp(PLAN_LOADED_AT).expect("PLAN_LOADED_AT is RFC 3339").min(now);
    store.insert_plan(&plan, loaded_at)?;
    let logged = load_figures(&mut store, &plan, &figures, now)?;
    match lang {
        Lang::Zh => eprintln!(
            "示例：{}，{} 个目标，载入示例数据 {logged} 条（{DEMO_FIGURES_NAME}，非官方统计）；演示时钟 {}",
            db.display(),
            plan.targets().len(),
            crate::present::moment(now, plan.timezone, lang)
        ),
        Lang::En => eprintln!(
            "demo: {}, {} targets, {logged} illustrative figures loaded ({DEMO_FIGURES_NAME}, not official statistics); \
             demo clock {}",
            db.display(),
            plan.targets().len(),
            crate::present::moment(now, plan.timezone, lang)
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
            when: WhenArgs::default(),
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
            when: WhenArgs::default(),
            out: charts_dir,
            plan: PlanArg { plan: Some(plan.id.clone()) },
            // Judged above: only the demo's own unchanged charts are there.
            force: true,
        },
    )?;
    let mut written: Vec<PathBuf> = Vec::new();
    for (format, name) in REPORTS {
        let bytes = report_bytes(&store, &plan, format, WhichFigures::LATEST, Some(notice(lang)), &demo)?;
        let path = dir.join(name);
        write(&path, &bytes, lang)?;
        written.push(path);
    }
    write(&marker, marker_text(dir, &outputs, lang)?.as_bytes(), lang)?;
    println!();
    for path in &written {
        println!("{} {}", lang.pick("已写入", "wrote"), path.display());
    }
    if args.serve {
        drop(store);
        super::demo_serve::run(&demo, &plan, args.bind)?;
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

/// What to do after a refusal.
fn refusal_advice(db: &Path, lang: Lang) -> String {
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = escape::terminal(&dir.display().to_string());
    match lang {
        Lang::Zh => format!(
            "未做任何改动：演示只替换它自己生成且未改动的内容，请换一个 --dir（默认新建 ontrack-demo），或把 {dir} 中的这些文件移走"
        ),
        Lang::En => format!(
            "Nothing was changed: the demo replaces only what it made itself, unchanged. Choose another --dir (the \
             default makes ontrack-demo), or move these files out of {dir}"
        ),
    }
}

/// What the database holds that the demo did not put there, one text per kind: plans
/// other than the built-in one (or the built-in id holding another plan), figures
/// that are not rows of the demo file with the demo's source, logger and moment, and
/// accounts other than `demo --serve`'s.
/// Empty: the database is a demo's (or empty) and may be replaced.
fn foreign_contents(store: &Store, plan: &Plan, figures: &[DemoFigure], lang: Lang) -> Result<Vec<String>> {
    let mut found = Vec::new();
    // Each demo row may stand for one stored figure.
    let mut demo_rows: HashMap<String, usize> = HashMap::new();
    for f in figures {
        *demo_rows
            .entry(figure_key(
                &f.figure.target,
                &f.figure.period.to_string(),
                f.figure.value,
                f.figure.source.as_deref(),
                &f.figure.recorded_by,
                f.figure.note.as_deref(),
                f.figure.revision_reason.as_deref(),
                f.recorded_at,
            ))
            .or_default() += 1;
    }
    let builtin = export_plan(plan);
    let mut not_logged = 0usize;
    let mut first: Option<String> = None;
    for summary in store.plans()? {
        let shown = escape::terminal(&summary.id);
        if summary.id != plan.id {
            found.push(match lang {
                Lang::Zh => {
                    format!("演示未载入的计划 {shown}（{} 个目标，{} 条数据）", summary.targets, summary.actuals)
                }
                Lang::En => format!(
                    "plan {shown} that the demo did not load ({} targets, {} figures)",
                    summary.targets, summary.actuals
                ),
            });
            not_logged += summary.actuals as usize;
            continue;
        }
        if export_plan(&store.load_plan(&summary.id)?) != builtin {
            found.push(match lang {
                Lang::Zh => format!("计划 {shown} 与演示的内置计划不同"),
                Lang::En => format!("plan {shown}, which differs from the demo's built-in plan"),
            });
        }
        for actual in store.actuals(&summary.id)? {
            let key = figure_key(
                &actual.target,
                &actual.period.to_string(),
                actual.value,
                actual.source.as_deref(),
                &actual.recorded_by,
                actual.note.as_deref(),
                actual.reason.as_deref(),
                actual.recorded_at,
            );
            match demo_rows.get_mut(&key) {
                Some(left) if *left > 0 => *left -= 1,
                _ => {
                    not_logged += 1;
                    first.get_or_insert_with(|| {
                        // Bounded: `by` is free text of any length.
                        let by: String = actual.recorded_by.chars().take(60).collect();
                        escape::terminal(&format!("{} {} = {} ({by})", actual.target, actual.period, actual.value))
                    });
                }
            }
        }
    }
    // `demo --serve` adds its own accounts; any other is someone's.
    let others: Vec<String> = store
        .accounts()?
        .into_iter()
        .map(|account| account.user.name)
        .filter(|name| !super::demo_serve::is_demo_account(name))
        .collect();
    if !others.is_empty() {
        let names = escape::terminal(&others.join(", "));
        found.push(match lang {
            Lang::Zh => format!("演示未创建的账户 {names}"),
            Lang::En => format!("accounts the demo did not add: {names}"),
        });
    }
    if not_logged > 0 {
        let example = first
            .map(|f| match lang {
                Lang::Zh => format!("，例如 {f}"),
                Lang::En => format!(", e.g. {f}"),
            })
            .unwrap_or_default();
        found.push(match lang {
            Lang::Zh => format!("演示未录入的数据 {not_logged} 条{example}"),
            Lang::En => {
                format!("{not_logged} figure{} the demo did not log{example}", if not_logged == 1 { "" } else { "s" })
            }
        });
    }
    Ok(found)
}

/// Everything that makes a demo figure what it is, as one comparable text.
#[allow(clippy::too_many_arguments)]
fn figure_key(
    target: &str,
    period: &str,
    value: f64,
    source: Option<&str>,
    by: &str,
    note: Option<&str>,
    reason: Option<&str>,
    recorded_at: DateTime<Utc>,
) -> String {
    format!(
        "{target:?} {period:?} {:x} {source:?} {by:?} {note:?} {reason:?} {}",
        value.to_bits(),
        timestamp(recorded_at)
    )
}

/// Refuses, before anything is written, a marker that is not the demo's and any file
/// the demo would write over that it did not write itself (not listed in the marker,
/// or changed since: another length or hash).
fn refuse_foreign_files(dir: &Path, marker: &Path, outputs: &[PathBuf], lang: Lang) -> Result<()> {
    let listed: HashMap<String, String> = match std::fs::read(marker) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            if !text.starts_with(MARKER_TEXT.split('.').next().unwrap_or(MARKER_TEXT)) {
                bail!(
                    "{}",
                    match lang {
                        Lang::Zh => format!(
                            "{} 不是 `ontrack demo` 写的标记文件；{}",
                            escape::terminal(&marker.display().to_string()),
                            refusal_advice(marker, lang)
                        ),
                        Lang::En => format!(
                            "{} is not the marker `ontrack demo` writes. {}",
                            escape::terminal(&marker.display().to_string()),
                            refusal_advice(marker, lang)
                        ),
                    }
                );
            }
            text.lines()
                .filter_map(|line| line.strip_prefix(MARKER_FILE))
                .filter_map(|rest| {
                    let mut parts = rest.splitn(3, ' ');
                    let (length, hash, name) = (parts.next()?, parts.next()?, parts.next()?);
                    Some((name.to_string(), format!("{length} {hash}")))
                })
                .collect()
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
        Err(e) => return Err(e).with_context(|| cannot_read(marker, lang)),
    };
    let mut foreign = Vec::new();
    for name in outputs {
        let path = dir.join(name);
        if path.symlink_metadata().is_err() {
            continue;
        }
        let ours = path.symlink_metadata().is_ok_and(|m| m.is_file())
            && listed
                .get(&marker_name(name))
                .is_some_and(|fingerprint| file_fingerprint(&path).ok().as_ref() == Some(fingerprint));
        if !ours {
            foreign.push(escape::terminal(&path.display().to_string()));
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    let count = foreign.len();
    let mut shown: Vec<String> = foreign.into_iter().take(5).collect();
    if count > 5 {
        shown.push(match lang {
            Lang::Zh => format!("等共 {count} 个"),
            Lang::En => format!("and {} more", count - 5),
        });
    }
    bail!(
        "{}",
        match lang {
            Lang::Zh => format!("以下文件不是 `ontrack demo` 写的（或写后被改过），演示不会覆盖它们：{}。{}", shown.join("、"), refusal_advice(marker, lang)),
            Lang::En => format!("these files were not written by `ontrack demo` (or were changed since), and the demo will not replace them: {}. {}", shown.join(", "), refusal_advice(marker, lang)),
        }
    )
}

fn cannot_read(path: &Path, lang: Lang) -> String {
    lang.choose(format!("无法读取 {}", path.display()), format!("cannot read {}", path.display()))
}

/// A path under DIR as the marker lists it: `/`-separated.
fn marker_name(name: &Path) -> String {
    name.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The marker: its text, then each file written with its length and hash.
fn marker_text(dir: &Path, outputs: &[PathBuf], lang: Lang) -> Result<String> {
    let mut text = MARKER_TEXT.to_string();
    for name in outputs {
        let path = dir.join(name);
        if path.is_file() {
            let fingerprint = file_fingerprint(&path).with_context(|| cannot_read(&path, lang))?;
            text.push_str(&format!("{MARKER_FILE}{fingerprint} {}\n", marker_name(name)));
        }
    }
    Ok(text)
}

/// `<length> <FNV-1a 64 hex>` of a file: enough to tell whether a file the demo wrote
/// was changed since (a few lines of our own, stable across Rust versions).
fn file_fingerprint(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    let hash =
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    Ok(format!("{} {hash:016x}", bytes.len()))
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
        let checked = check_figure(plan, &line.target, line.period.as_str(), RawValue::Text(&line.value), recorded_at)
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
            assert_eq!(f.figure.period.year(), 2020);
            assert!(f.recorded_at <= parse_timestamp(DEMO_NOW).unwrap());
        }
        assert!(figures.iter().any(|f| f.figure.revision_reason.as_deref() == Some("初步核算 → 最终核实")));
    }
}
