//! `cargo bench --bench scale`: ontrack at city and province scale (issue 8).
//!
//! Every figure is measured on the release binary as a whole process (start-up,
//! migration check, work, exit), on a workload made by `workload.rs` in the real plan
//! and import formats, and next to a yardstick measured in the same run on the same
//! machine: a bare rusqlite prepared INSERT for `import`, bare plotters SVG charts for
//! `chart`. Each figure is the median of several runs, with the min–max beside it;
//! peak memory is the child's maximum resident set size (GNU time's `%M`).
//!
//! Options (after `--`): `--full` adds the 100,000-target size (1.2M figures);
//! `--sizes 50,500` picks sizes; `--repeat N` runs each measurement N times (default
//! 5); `--only import,status,record,chart,report,xlsx,memory` picks parts (`memory`:
//! the peak memory of status and of the report in every format, once each); `generate DIR
//! TARGETS` only writes the workload (plan.toml, figures.csv, figures.xlsx) into DIR.

mod workload;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use plotters::prelude::*;
use rusqlite::{params, Connection};

const ONTRACK: &str = env!("CARGO_BIN_EXE_ontrack");
/// "Now" for every run: after the plan's year, so every month may be logged.
const NOW: &str = "2021-01-15T08:00:00Z";
/// The figures' `recorded_at` in the yardstick, as ontrack writes it.
const RECORDED_AT: &str = "2021-01-15T08:00:00.000000Z";

struct Options {
    sizes: Vec<usize>,
    repeat: usize,
    only: Option<Vec<String>>,
}

impl Options {
    fn wants(&self, part: &str) -> bool {
        self.only.as_ref().is_none_or(|parts| parts.iter().any(|p| p == part))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("generate") {
        let dir = PathBuf::from(args.get(1).expect("generate DIR TARGETS"));
        let targets: usize = args.get(2).and_then(|t| t.parse().ok()).expect("generate DIR TARGETS");
        std::fs::create_dir_all(&dir).unwrap();
        let files = Workload::write(&dir, targets, true);
        println!(
            "wrote {} ({} targets), {} and {} ({} rows)",
            files.plan.display(),
            targets,
            files.csv.display(),
            files.xlsx.display(),
            files.rows
        );
        return;
    }
    let mut options = Options { sizes: vec![50, 500, 5_000, 10_000], repeat: 5, only: None };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--full" => options.sizes = vec![50, 500, 5_000, 10_000, 50_000, 100_000],
            "--sizes" => {
                options.sizes =
                    iter.next().expect("--sizes 50,500").split(',').map(|s| s.parse().expect("a size")).collect()
            }
            "--repeat" => options.repeat = iter.next().and_then(|n| n.parse().ok()).expect("--repeat N"),
            "--only" => {
                options.only = Some(iter.next().expect("--only PARTS").split(',').map(str::to_string).collect())
            }
            other if other.starts_with('-') => {} // libtest-style flags cargo may pass
            other => panic!("unknown argument {other:?}; see the comment at the top of benches/scale/main.rs"),
        }
    }
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale");
    std::fs::create_dir_all(&root).unwrap();
    println!("# ontrack scale benchmark\n");
    println!("{}\n", machine());
    println!("binary: {ONTRACK}\nwork dir: {}\nrepeats: {} (medians, min–max)\n", root.display(), options.repeat);

    let mut scale_rows = Vec::new();
    let mut goals = Vec::new();
    for &size in &options.sizes {
        let dir = root.join(format!("t{size}"));
        std::fs::create_dir_all(&dir).unwrap();
        let want_xlsx = options.wants("xlsx") && (size == 10_000 || size == 100_000);
        let files = Workload::write(&dir, size, want_xlsx);
        // Fewer repeats for the big sizes, whose single runs last seconds.
        let repeat = if size >= 50_000 { options.repeat.min(3) } else { options.repeat };
        let heavy_repeat = if size >= 50_000 { 1 } else { repeat };
        println!("## {size} targets, {} figures\n", files.rows);
        let mut row = ScaleRow { targets: size, figures: files.rows, ..ScaleRow::default() };

        if options.wants("import") {
            let (ontrack, yard) = bench_import(&dir, &files, &files.csv, repeat);
            let ratio = ontrack.paired_ratio(&yard.tuned);
            let rate = |runs: &Runs| files.rows as f64 / runs.median();
            println!(
                "import CSV: ontrack {} ({:.0} rows/s, peak {}); bare rusqlite, tuned {} ({:.0} rows/s), one row per \
                 INSERT {} ({:.0} rows/s), default 2 MiB cache {} ({:.0} rows/s), floor (one bare table) {} ({:.0} \
                 rows/s); ratio to tuned {:.2} (paired median), to one row per INSERT {:.2}, to the default cache \
                 {:.2}, to the floor {:.2}",
                ontrack.time(),
                rate(&ontrack),
                ontrack.rss(),
                yard.tuned.time(),
                rate(&yard.tuned),
                yard.one_row.time(),
                rate(&yard.one_row),
                yard.default_cache.time(),
                rate(&yard.default_cache),
                yard.floor.time(),
                rate(&yard.floor),
                ratio,
                ontrack.paired_ratio(&yard.one_row),
                ontrack.paired_ratio(&yard.default_cache),
                ontrack.paired_ratio(&yard.floor),
            );
            goals.push(Goal::at_least(
                format!("import CSV, {size} targets ({} rows): rate vs tuned bare rusqlite", files.rows),
                ratio,
                0.8,
                format!("ontrack {} vs tuned bare {}", ontrack.time(), yard.tuned.time()),
            ));
            if files.rows >= 1_000_000 {
                goals.push(Goal::at_most_mib(format!("import CSV peak RSS, {} rows", files.rows), &ontrack, 64.0));
            }
            row.import = Some(ontrack);
            let bare = yard.tuned;
            row.bare_insert = Some(bare);
        }
        if want_xlsx {
            let db = dir.join("xlsx.db");
            let runs = measure(repeat.min(3), || {
                fresh_db(&db, &files.plan);
                ontrack(&db, &["import", files.xlsx.to_str().unwrap()])
            });
            let rows = files.xlsx_rows;
            println!(
                "import XLSX ({rows} rows): {} ({:.0} rows/s), peak {}",
                runs.time(),
                rows as f64 / runs.median(),
                runs.rss()
            );
            if rows >= 1_000_000 {
                let what = format!("import XLSX peak RSS, {rows} rows (a full Excel sheet)");
                goals.push(Goal::at_most_mib(what, &runs, 64.0));
            }
            goals.push(Goal::info(format!("import XLSX, {rows} rows"), &runs));
        }

        // One database with every figure, for the readers.
        let db = dir.join("full.db");
        fresh_db(&db, &files.plan);
        ontrack(&db, &["import", files.csv.to_str().unwrap()]);

        if options.wants("status") {
            let table = measure(repeat, || ontrack(&db, &["status"]));
            let json = measure(repeat, || ontrack(&db, &["status", "--format", "json"]));
            println!("status (table): {}, peak {}; status --format json: {}", table.time(), table.rss(), json.time());
            if size == 10_000 {
                goals.push(Goal::under(format!("status, {size} targets × 12 figures (table)"), &table, 0.3));
                goals.push(Goal::under(format!("status --format json, {size} targets"), &json, 0.3));
            }
            row.status = Some(table);
        }
        if options.wants("record") {
            let mut next = 0usize;
            let record = measure(repeat, || {
                // A revision of December's figure of a different target each run.
                let code = workload::code((next * 7919) % size);
                next += 1;
                ontrack(&db, &["record", &code, "2020-12", "1", "--revise", "--reason", "基准测试", "--by", "bench"])
            });
            println!("record one figure: {}, peak {}", record.time(), record.rss());
            if size == 10_000 {
                goals.push(Goal::under(format!("record one figure, {size}-target database"), &record, 0.015));
            }
            row.record = Some(record);
        }
        if options.wants("chart") {
            let out = dir.join("charts");
            let bare_dir = dir.join("bare-charts");
            let mut fresh = Runs::default();
            let mut over = Runs::default();
            let mut bare = Runs::default();
            for _ in 0..heavy_repeat {
                let _ = std::fs::remove_dir_all(&out);
                fresh.push(ontrack(&db, &["chart", "--out", out.to_str().unwrap()]));
                over.push(ontrack(&db, &["chart", "--out", out.to_str().unwrap()]));
                let _ = std::fs::remove_dir_all(&bare_dir);
                bare.push(bare_plotters(&bare_dir, size));
            }
            // ontrack writes one chart per target and the overview.
            let charts = size as f64 + 1.0;
            let (rate_fresh, rate_over, rate_bare) =
                (charts / fresh.median(), charts / over.median(), size as f64 / bare.median());
            println!(
                "chart: fresh {} ({:.0}/s, peak {}), overwrite {} ({:.0}/s); bare plotters {} ({:.0}/s); ratios {:.2} / {:.2}",
                fresh.time(),
                rate_fresh,
                fresh.rss(),
                over.time(),
                rate_over,
                bare.time(),
                rate_bare,
                rate_fresh / rate_bare,
                rate_over / rate_bare
            );
            if size == 10_000 {
                goals.push(Goal::at_least(
                    format!("chart {size} targets, fresh folder: rate vs bare plotters"),
                    rate_fresh / rate_bare,
                    0.5,
                    format!("ontrack {} vs bare {}", fresh.time(), bare.time()),
                ));
                goals.push(Goal::at_least(
                    format!("chart {size} targets, overwriting: rate vs bare plotters"),
                    rate_over / rate_bare,
                    0.5,
                    format!("ontrack {} vs bare {}", over.time(), bare.time()),
                ));
            }
            row.chart = Some(fresh);
            row.bare_chart = Some(bare);
        }
        if options.wants("report") {
            let html_out = dir.join("report.html");
            let xlsx_out = dir.join("report.xlsx");
            let html = measure(heavy_repeat, || {
                ontrack(&db, &["report", "--format", "html", "--out", html_out.to_str().unwrap()])
            });
            let xlsx = measure(heavy_repeat, || {
                ontrack(&db, &["report", "--format", "xlsx", "--out", xlsx_out.to_str().unwrap()])
            });
            let size_of = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64 / 1048576.0).unwrap_or(0.0);
            println!(
                "report html: {}, peak {}, {:.1} MiB; report xlsx: {}, peak {}, {:.1} MiB",
                html.time(),
                html.rss(),
                size_of(&html_out),
                xlsx.time(),
                xlsx.rss(),
                size_of(&xlsx_out)
            );
            if size == 10_000 {
                goals.push(Goal::under(format!("report --format html, {size} targets"), &html, 3.0));
                goals.push(Goal::under(format!("report --format xlsx, {size} targets"), &xlsx, 3.0));
            }
            row.report_html = Some(html);
            row.report_xlsx = Some(xlsx);
        }
        if options.wants("memory") {
            // Issue 18: the whole-plan commands' peak memory, once each (it does not
            // depend on the machine's load). At a province's 100,000 targets the goals
            // are status < 200 MiB and every report < 1 GiB.
            let mut line = Vec::new();
            for (name, args) in [("status", &["status"][..]), ("status json", &["status", "--format", "json"][..])] {
                let runs = measure(1, || ontrack(&db, args));
                line.push(format!("{name} {}", runs.rss()));
                if size == 100_000 {
                    goals.push(Goal::at_most_mib(format!("{name}, {size} targets: peak RSS"), &runs, 200.0));
                }
            }
            for format in ["md", "csv", "json", "xlsx", "html"] {
                let out = dir.join(format!("memory.{format}"));
                let _ = std::fs::remove_file(&out);
                let runs = measure(1, || ontrack(&db, &["report", "--format", format, "--out", out.to_str().unwrap()]));
                line.push(format!("report {format} {}", runs.rss()));
                if size == 100_000 {
                    goals.push(Goal::at_most_mib(format!("report {format}, {size} targets: peak RSS"), &runs, 1024.0));
                }
                let _ = std::fs::remove_file(&out);
            }
            println!("peak memory: {}", line.join("; "));
        }
        println!();
        scale_rows.push(row);
    }

    let mut out = String::new();
    out.push_str("## Goals\n\n| goal | measured | target | met |\n|---|---|---|---|\n");
    for goal in &goals {
        let _ = writeln!(out, "| {} | {} | {} | {} |", goal.what, goal.measured, goal.target, goal.met);
    }
    out.push_str("\n## Scale (medians; min–max in brackets; peak RSS of the import)\n\n");
    out.push_str(
        "| targets | figures | import | rows/s | tuned bare INSERT rows/s | ratio | import peak RSS | status | record | chart \
         (fresh) | bare plotters | report html | report xlsx |\n|---:|---:|---|---:|---:|---:|---:|---|---|---|---|---|---|\n",
    );
    for row in &scale_rows {
        let cell = |runs: &Option<Runs>| runs.as_ref().map_or("–".to_string(), Runs::time);
        let rate = |runs: &Option<Runs>| {
            runs.as_ref().map_or("–".to_string(), |r| format!("{:.0}", row.figures as f64 / r.median()))
        };
        let ratio = match (&row.import, &row.bare_insert) {
            (Some(o), Some(b)) => format!("{:.2}", o.paired_ratio(b)),
            _ => "–".to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.targets,
            row.figures,
            cell(&row.import),
            rate(&row.import),
            rate(&row.bare_insert),
            ratio,
            row.import.as_ref().map_or("–".to_string(), Runs::rss),
            cell(&row.status),
            cell(&row.record),
            cell(&row.chart),
            cell(&row.bare_chart),
            cell(&row.report_html),
            cell(&row.report_xlsx),
        );
    }
    println!("{out}");
    let results = root.join("results.md");
    std::fs::write(&results, &out).unwrap();
    println!("(also written to {})", results.display());
}

/// The files of one workload size.
struct Workload {
    plan: PathBuf,
    csv: PathBuf,
    xlsx: PathBuf,
    rows: u64,
    /// Rows in the .xlsx (fewer than `rows` past Excel's 1,048,576-row sheet).
    xlsx_rows: u64,
}

impl Workload {
    /// Writes the plan and the figures (once: a size's files are reused if present).
    fn write(dir: &Path, targets: usize, xlsx: bool) -> Workload {
        let plan = dir.join("plan.toml");
        let csv = dir.join("figures.csv");
        let xlsx_path = dir.join("figures.xlsx");
        let text = workload::plan_toml(targets);
        if std::fs::read_to_string(&plan).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&plan, text).unwrap();
            let _ = std::fs::remove_file(&csv);
            let _ = std::fs::remove_file(&xlsx_path);
        }
        let rows = targets as u64 * u64::from(workload::MONTHS);
        if !csv.exists() {
            let written = workload::write_csv(&csv, targets).unwrap();
            assert_eq!(written, rows);
        }
        if xlsx && !xlsx_path.exists() {
            workload::write_xlsx(&xlsx_path, targets).unwrap();
        }
        let xlsx_rows = targets.min(workload::XLSX_MAX_TARGETS) as u64 * u64::from(workload::MONTHS);
        Workload { plan, csv, xlsx: xlsx_path, rows, xlsx_rows }
    }
}

/// One whole-process run: wall time and peak resident memory.
#[derive(Clone, Copy)]
struct Run {
    secs: f64,
    rss_kib: u64,
}

#[derive(Default, Clone)]
struct Runs(Vec<Run>);

impl Runs {
    fn push(&mut self, run: Run) {
        self.0.push(run);
    }

    fn sorted(&self) -> Vec<f64> {
        let mut secs: Vec<f64> = self.0.iter().map(|r| r.secs).collect();
        secs.sort_by(f64::total_cmp);
        secs
    }

    fn median(&self) -> f64 {
        let secs = self.sorted();
        let n = secs.len();
        if n % 2 == 1 {
            secs[n / 2]
        } else {
            (secs[n / 2 - 1] + secs[n / 2]) / 2.0
        }
    }

    /// `123 ms (118–140)`.
    fn time(&self) -> String {
        let secs = self.sorted();
        let (lo, hi) = (secs[0], secs[secs.len() - 1]);
        if secs.len() == 1 {
            duration(self.median())
        } else {
            format!("{} ({}–{})", duration(self.median()), duration(lo), duration(hi))
        }
    }

    /// The median of `yardstick`'s time over ours, run by run: the runs alternate, so
    /// each pair saw the same machine load. 1.0: as fast as the yardstick.
    fn paired_ratio(&self, yardstick: &Runs) -> f64 {
        let mut ratios: Vec<f64> = self.0.iter().zip(&yardstick.0).map(|(ours, bare)| bare.secs / ours.secs).collect();
        ratios.sort_by(f64::total_cmp);
        let n = ratios.len();
        if n % 2 == 1 {
            ratios[n / 2]
        } else {
            (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0
        }
    }

    fn peak_mib(&self) -> f64 {
        self.0.iter().map(|r| r.rss_kib).max().unwrap_or(0) as f64 / 1024.0
    }

    fn rss(&self) -> String {
        if self.0.iter().all(|r| r.rss_kib == 0) {
            "–".to_string()
        } else {
            format!("{:.1} MiB", self.peak_mib())
        }
    }
}

fn duration(secs: f64) -> String {
    if secs < 1.0 {
        format!("{:.1} ms", secs * 1000.0)
    } else {
        format!("{secs:.2} s")
    }
}

#[derive(Default)]
struct ScaleRow {
    targets: usize,
    figures: u64,
    import: Option<Runs>,
    bare_insert: Option<Runs>,
    status: Option<Runs>,
    record: Option<Runs>,
    chart: Option<Runs>,
    bare_chart: Option<Runs>,
    report_html: Option<Runs>,
    report_xlsx: Option<Runs>,
}

struct Goal {
    what: String,
    measured: String,
    target: String,
    met: &'static str,
}

impl Goal {
    fn yes(ok: bool) -> &'static str {
        if ok {
            "yes"
        } else {
            "**no**"
        }
    }

    fn at_least(what: String, ratio: f64, floor: f64, detail: String) -> Goal {
        Goal {
            what,
            measured: format!("{ratio:.2} ({detail})"),
            target: format!("≥ {floor}"),
            met: Goal::yes(ratio >= floor),
        }
    }

    fn under(what: String, runs: &Runs, limit: f64) -> Goal {
        Goal {
            what,
            measured: format!("{}, peak {}", runs.time(), runs.rss()),
            target: format!("< {}", duration(limit)),
            met: Goal::yes(runs.median() < limit),
        }
    }

    fn at_most_mib(what: String, runs: &Runs, limit: f64) -> Goal {
        Goal {
            what,
            measured: format!("{:.1} MiB ({})", runs.peak_mib(), runs.time()),
            target: format!("< {limit} MiB"),
            met: Goal::yes(runs.peak_mib() < limit),
        }
    }

    fn info(what: String, runs: &Runs) -> Goal {
        Goal { what, measured: format!("{}, peak {}", runs.time(), runs.rss()), target: "–".to_string(), met: "–" }
    }
}

fn measure(times: usize, mut run: impl FnMut() -> Run) -> Runs {
    let mut runs = Runs::default();
    for _ in 0..times.max(1) {
        runs.push(run());
    }
    runs
}

/// Runs the release binary on `db` and waits for it, reading its peak memory.
/// Standard output goes to /dev/null (as when piped to a file); a failure panics
/// with the child's standard error.
///
/// Peak memory comes from GNU time (`/usr/bin/time -f %M`), which forks from a small
/// process: a child forked straight from this benchmark would report this process's
/// own peak (Linux carries `maxrss` over a fork), not ontrack's. Without GNU time it
/// is left out.
fn ontrack(db: &Path, args: &[&str]) -> Run {
    let stderr_path = db.with_extension("stderr.txt");
    let rss_path = db.with_extension("rss.txt");
    let stderr = std::fs::File::create(&stderr_path).unwrap();
    let gnu_time = Path::new("/usr/bin/time");
    let mut command = if gnu_time.exists() {
        let mut command = Command::new(gnu_time);
        command.arg("-f").arg("%M").arg("-o").arg(&rss_path).arg(ONTRACK);
        command
    } else {
        Command::new(ONTRACK)
    };
    let start = Instant::now();
    let status = command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ONTRACK_NOW", NOW)
        .env("ONTRACK_BUSY_TIMEOUT_MS", "60000")
        .env_remove("ONTRACK_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .status()
        .expect("the release binary runs");
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        panic!(
            "ontrack {} failed ({status}):\n{}",
            args.join(" "),
            std::fs::read_to_string(&stderr_path).unwrap_or_default()
        );
    }
    let rss_kib = std::fs::read_to_string(&rss_path)
        .ok()
        .and_then(|text| text.lines().last().and_then(|line| line.trim().parse().ok()))
        .unwrap_or(0);
    let _ = std::fs::remove_file(&rss_path);
    Run { secs, rss_kib }
}

/// A database with the workload's plan and no figures.
fn fresh_db(db: &Path, plan: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    ontrack(db, &["init", "--empty"]);
    ontrack(db, &["plan", "import", plan.to_str().unwrap()]);
}

/// `import` against the three yardsticks, alternating so all see the same machine load.
fn bench_import(dir: &Path, files: &Workload, file: &Path, repeat: usize) -> (Runs, Yardsticks) {
    let db = dir.join("import.db");
    let bare_db = dir.join("bare.db");
    let rows: Vec<workload::Row> = workload::rows(files.rows as usize / usize::from(workload::MONTHS)).collect();
    let mut ontrack_runs = Runs::default();
    let mut yardsticks = Yardsticks::default();
    for _ in 0..repeat {
        fresh_db(&db, &files.plan);
        ontrack_runs.push(ontrack(&db, &["import", file.to_str().unwrap()]));
        fresh_db(&bare_db, &files.plan);
        yardsticks.tuned.push(bare_insert(&bare_db, &rows, Yardstick::Tuned));
        fresh_db(&bare_db, &files.plan);
        yardsticks.one_row.push(bare_insert(&bare_db, &rows, Yardstick::OneRow));
        fresh_db(&bare_db, &files.plan);
        yardsticks.default_cache.push(bare_insert(&bare_db, &rows, Yardstick::DefaultCache));
        fresh_db(&bare_db, &files.plan);
        yardsticks.floor.push(bare_insert(&bare_db, &rows, Yardstick::Floor));
    }
    (ontrack_runs, yardsticks)
}

/// The import yardsticks' runs.
#[derive(Default)]
struct Yardsticks {
    tuned: Runs,
    one_row: Runs,
    default_cache: Runs,
    floor: Runs,
}

/// Which bare rusqlite insert: all insert the same rows, in the file's order, with
/// prepared statements reused, in one transaction, in WAL with `synchronous = NORMAL`
/// (ontrack's durability: a commit survives a crash of the process, the last commits
/// may be lost on power failure).
#[derive(Clone, Copy, PartialEq)]
enum Yardstick {
    /// The yardstick import is measured against: the rows ontrack stores (an import
    /// row, and each figure naming it and its clock), into the schema ontrack creates
    /// (the unique (target, window) index, the other indexes, the triggers, foreign keys
    /// on), with the page cache a careful engineer would give a bulk insert
    /// (`TUNED_CACHE_KIB`), the statement journal in memory, and `ROWS_AT_ONCE` rows
    /// per INSERT: the triggers on `actuals` give every statement a statement journal,
    /// which copies each page the statement changes, so rows that share a statement
    /// share the copies.
    Tuned,
    /// The same rows one per INSERT: the yardstick issue 18 first described, kept to
    /// show what sharing a statement is worth.
    OneRow,
    /// One row per INSERT with SQLite's default 2 MiB page cache, the journal as SQLite
    /// keeps it by default: the handicapped yardstick of BENCHMARKS.md before issue 18.
    DefaultCache,
    /// The floor: the same columns in one bare table, no secondary index, no foreign
    /// key, no trigger, the tuned cache. No insert of these rows can be cheaper.
    Floor,
}

/// The tuned yardstick's page cache: 64 MiB, more than every index of 1.2M figures
/// needs, so no page is ever written before the commit.
const TUNED_CACHE_KIB: i64 = 65_536;

/// Rows per INSERT for the tuned yardstick (and the floor): ontrack's own number.
const ROWS_AT_ONCE: usize = 64;

/// A bare rusqlite insert of `rows` (already in memory: nothing parsed or checked).
fn bare_insert(db: &Path, rows: &[workload::Row], kind: Yardstick) -> Run {
    let start = Instant::now();
    let mut conn = Connection::open(db).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;").unwrap();
    if kind != Yardstick::DefaultCache {
        conn.execute_batch(&format!("PRAGMA cache_size = -{TUNED_CACHE_KIB}; PRAGMA temp_store = MEMORY;")).unwrap();
    }
    let ids: HashMap<String, i64> = conn
        .prepare("SELECT code, id FROM targets")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let table = if kind == Yardstick::Floor {
        conn.execute_batch(
            "CREATE TABLE floor (id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, period_end INTEGER NOT NULL,
             period TEXT NOT NULL, value REAL NOT NULL, source TEXT, recorded_by TEXT NOT NULL,
             recorded_at TEXT NOT NULL, note TEXT, clock_set INTEGER NOT NULL, import_id INTEGER) STRICT;",
        )
        .unwrap();
        "floor"
    } else {
        "actuals"
    };
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    tx.execute(
        "INSERT INTO imports (plan_id, file_name, imported_by, imported_at, rows) VALUES (?1, 'figures.csv', ?2, ?3, 0)",
        params![workload::PLAN_ID, "bench", RECORDED_AT],
    )
    .unwrap();
    let import_id = tx.last_insert_rowid();
    {
        let at_once = if matches!(kind, Yardstick::Tuned | Yardstick::Floor) { ROWS_AT_ONCE } else { 1 };
        let insert_of = |count: usize| {
            let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"; count].join(", ");
            tx.prepare(&format!(
                "INSERT INTO {table} (target_id, period_end, period, value, source, recorded_by, recorded_at, note, \
                 clock_set, import_id) VALUES {values}"
            ))
            .unwrap()
        };
        let mut full = insert_of(at_once);
        for some in rows.chunks(at_once) {
            let mut rest;
            let insert = if some.len() == at_once {
                &mut full
            } else {
                rest = insert_of(some.len());
                &mut rest
            };
            let mut index = 0;
            let mut bind = |value: &dyn rusqlite::ToSql| {
                index += 1;
                insert.raw_bind_parameter(index, value).unwrap();
            };
            for row in some {
                let month: i64 = row.period[5..].parse().unwrap();
                bind(&ids[&row.target]);
                bind(&(i64::from(workload::YEAR) * 100 + month));
                bind(&row.period);
                bind(&row.value);
                bind(&row.source);
                bind(&row.by);
                bind(&RECORDED_AT);
                bind(&(!row.note.is_empty()).then_some(row.note.as_str()));
                bind(&import_id);
            }
            insert.raw_execute().unwrap();
        }
    }
    tx.execute("UPDATE imports SET rows = ?2 WHERE id = ?1", params![import_id, rows.len() as i64]).unwrap();
    tx.commit().unwrap();
    Run { secs: start.elapsed().as_secs_f64(), rss_kib: 0 }
}

/// The yardstick for `chart`: `count` simple 120-point line charts drawn by plotters'
/// SVG backend straight into files of a fresh folder, one thread.
fn bare_plotters(dir: &Path, count: usize) -> Run {
    let start = Instant::now();
    std::fs::create_dir_all(dir).unwrap();
    for index in 0..count {
        let path = dir.join(format!("{}.svg", workload::code(index)));
        let root = SVGBackend::new(&path, (720, 420)).into_drawing_area();
        root.fill(&WHITE).unwrap();
        let mut chart = ChartBuilder::on(&root)
            .margin(20)
            .x_label_area_size(26)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..120f64, 0f64..100f64)
            .unwrap();
        chart.configure_mesh().draw().unwrap();
        let points = (0..120).map(|i| {
            let x = i as f64;
            (x, 50.0 + 40.0 * ((x + index as f64) / 9.0).sin())
        });
        chart.draw_series(LineSeries::new(points, &BLUE)).unwrap();
        root.present().unwrap();
    }
    Run { secs: start.elapsed().as_secs_f64(), rss_kib: 0 }
}

/// The machine the figures were taken on, and how busy it was.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0))
        })
        .map_or(String::new(), |kib| format!(", {:.0} GiB RAM", kib as f64 / 1048576.0));
    format!(
        "machine: {cpu}, {cores} cores{memory}; load average at start: {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    )
}
