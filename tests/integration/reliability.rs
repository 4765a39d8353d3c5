//! Promises of docs/RELIABILITY.md: the bad-input corpus, many writers at once, and
//! imports killed at any moment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::{corpus_cases, dump, Ontrack, CORPUS};

/// The longest message a bad input may give: a screenful, whatever the file's size.
const MESSAGE_BOUND: usize = 8_000;

#[test]
fn every_bad_input_is_refused_clearly_and_changes_nothing() {
    let cases = corpus_cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    // A database with the built-in plan, made once and copied for each case.
    let template = Ontrack::init();
    let mut failures = Vec::new();
    for case in &cases {
        let mut ontrack = Ontrack::new();
        ontrack.now = "2020-10-15T09:00:00Z".to_string();
        std::fs::copy(&template.db, &ontrack.db).unwrap();
        for command in &case.setup {
            ontrack.run_en(command).success();
        }
        let db_arg: Option<PathBuf> = match case.db.as_deref() {
            None => None,
            Some("directory") => Some(ontrack.dir.path().to_path_buf()),
            Some("newer") => {
                let newer = format!("PRAGMA user_version = {};", ontrack::store::SCHEMA_VERSION + 1);
                rusqlite::Connection::open(&ontrack.db).unwrap().execute_batch(&newer).unwrap();
                Some(ontrack.db.clone())
            }
            Some(file) => {
                let copy = ontrack.path(file);
                std::fs::copy(Path::new(CORPUS).join("files").join(file), &copy).unwrap();
                Some(copy)
            }
        };
        let watched = db_arg.clone().filter(|p| p.is_file()).unwrap_or_else(|| ontrack.db.clone());
        let before_bytes = std::fs::read(&watched).unwrap();
        let before_dump =
            if case.db.is_none() || case.db.as_deref() == Some("newer") { dump(&ontrack.db) } else { String::new() };

        let file = case.file.as_ref().map(|f| {
            let copy = ontrack.path(f);
            std::fs::copy(Path::new(CORPUS).join("files").join(f), &copy).unwrap();
            copy
        });
        let mut args: Vec<String> = Vec::new();
        if let Some(db) = &db_arg {
            args.extend(["--db".to_string(), db.display().to_string()]);
        }
        args.extend(case.args.iter().map(|a| match &file {
            Some(path) => a.replace("{file}", &path.display().to_string()),
            None => a.clone(),
        }));
        let mut run = ontrack.run_en(&args);
        for (key, value) in &case.env {
            run = run.env(key, value);
        }
        let out = run.output();

        let mut problems = Vec::new();
        if out.code != case.code {
            problems.push(format!("exit code {} (expected {})", out.code, case.code));
        }
        if !out.stderr.contains(&case.message) {
            problems.push(format!("message lacks {:?}", case.message));
        }
        if out.stderr.contains("panicked") || out.stderr.trim().is_empty() {
            problems.push("no clear message (panic or silence)".to_string());
        }
        // Whatever the input, the terminal gets no control character and a bounded message.
        let output = format!("{}{}", out.stdout, out.stderr);
        if output.chars().any(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t'))
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        }) {
            problems.push("a control character or bidi override reached the terminal".to_string());
        }
        if out.stderr.len() > MESSAGE_BOUND {
            problems.push(format!("{} bytes of message (at most {MESSAGE_BOUND})", out.stderr.len()));
        }
        if case.db.is_some() && std::fs::read(&watched).unwrap() != before_bytes {
            problems.push("the --db file was modified".to_string());
        }
        if !before_dump.is_empty() && dump(&ontrack.db) != before_dump {
            problems.push("the database changed".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n    stderr: {}", case.name, problems.join("; "), out.stderr.trim()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    eprintln!("bad-input corpus: {} cases refused cleanly", cases.len());
}

#[test]
fn sql_and_markup_in_free_text_are_stored_verbatim() {
    let ontrack = Ontrack::init();
    let hostile = "'); DROP TABLE actuals; -- <script>alert(1)</script> =cmd|' /C calc'!A0 \u{1b}[31m";
    ontrack
        .run(["record", "gdp-growth", "2020Q1", "-5.2", "--source", hostile, "--note", hostile, "--by", hostile])
        .success();
    let out = ontrack.run(["history", "gdp-growth", "--format", "json"]).success();
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[0]["source"], hostile);
    assert_eq!(rows[0]["note"], hostile);
    assert_eq!(rows[0]["by"], hostile);
    ontrack.run(["check"]).success();
    // The terminal table never passes the escape character through.
    let table = ontrack.run(["history", "gdp-growth"]).success();
    assert!(!table.stdout.contains('\u{1b}'), "{}", table.stdout);
}

/// Runs `ontrack` directly (not through the builder) so many can run at once.
fn ontrack_command(db: &Path, now: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ontrack"));
    command
        .env("ONTRACK_DB", db)
        .env("ONTRACK_NOW", now)
        .env("USER", "tester")
        .env_remove("ONTRACK_BUSY_TIMEOUT_MS")
        .stdin(Stdio::null());
    command
}

#[test]
fn eight_writers_logging_72_figures_each_all_land_exactly_once() {
    const WRITERS: usize = 8;
    const FIGURES: usize = 72;
    let ontrack = Ontrack::init();
    let codes: Vec<String> = {
        let out = ontrack.run(["targets", "--format", "json"]).success();
        let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        rows.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
    };
    // 576 distinct (target, month) windows, 72 for each writer.
    let windows: Vec<(String, String)> = codes
        .iter()
        .flat_map(|code| (1..=12).map(move |m| (code.clone(), format!("2020-{m:02}"))))
        .take(WRITERS * FIGURES)
        .collect();
    assert_eq!(windows.len(), WRITERS * FIGURES);
    let started = Instant::now();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = windows
            .chunks(FIGURES)
            .enumerate()
            .map(|(writer, chunk)| {
                let db = ontrack.db.clone();
                let now = ontrack.now.clone();
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for (code, period) in chunk {
                        let out = ontrack_command(&db, &now)
                            .args(["record", code, period, "1", "--source", &format!("writer {writer}")])
                            .output()
                            .unwrap();
                        if !out.status.success() {
                            failures.push(format!("{code} {period}: {}", String::from_utf8_lossy(&out.stderr)));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} writes failed, e.g. {}", failures.len(), failures[0]);
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let (rows, distinct): (i64, i64) = conn
        .query_row("SELECT count(*), count(DISTINCT target_id || '/' || period_end) FROM actuals", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((rows, distinct), ((WRITERS * FIGURES) as i64, (WRITERS * FIGURES) as i64));
    let sources: BTreeSet<String> = conn
        .prepare("SELECT DISTINCT source FROM actuals")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(sources.len(), WRITERS);
    eprintln!("{WRITERS} writers x {FIGURES} figures landed in {:?}", started.elapsed());
}

/// Eight people revise the same figure at once, on the real clock, round after round:
/// whichever order they take the write lock in, the figures stay one chain, the last
/// revision written is the one that counts, and `check` passes.
#[test]
fn concurrent_revisions_of_one_figure_stay_one_chain() {
    const REVISERS: usize = 8;
    const ROUNDS: usize = 4;
    let ontrack = Ontrack::init();
    let real_clock = |args: &[&str]| {
        let mut command = ontrack_command(&ontrack.db, "");
        command.env_remove("ONTRACK_NOW").args(args);
        command
    };
    assert!(real_clock(&["record", "new-roads", "2020Q2", "3"]).output().unwrap().status.success());
    for round in 0..ROUNDS {
        let children: Vec<_> = (0..REVISERS)
            .map(|i| {
                let value = (round * REVISERS + i + 4).to_string();
                let reason = format!("r{round}-{i}");
                real_clock(&["record", "new-roads", "2020Q2", &value, "--revise", "--reason", &reason])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let check = real_clock(&["check"]).output().unwrap();
        assert!(check.status.success(), "round {round}: check failed:\n{}", String::from_utf8_lossy(&check.stdout));
    }
    let out = real_clock(&["history", "new-roads", "--format", "json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1 + REVISERS * ROUNDS);
    let mut by_id: Vec<&serde_json::Value> = rows.iter().collect();
    by_id.sort_by_key(|r| r["id"].as_i64().unwrap());
    // A chain: each figure revises the one written just before it, recorded no earlier.
    for pair in by_id.windows(2) {
        assert_eq!(pair[1]["revises"], pair[0]["id"], "{pair:?}");
        assert!(pair[1]["recorded_at"].as_str() >= pair[0]["recorded_at"].as_str(), "{pair:?}");
    }
    let current: Vec<&&serde_json::Value> = by_id.iter().filter(|r| r["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], by_id.last().unwrap()["id"], "the last revision written counts");
}

/// A plan with `targets` monthly count targets and an import file of 12 figures each.
fn big_import(ontrack: &Ontrack, targets: usize) -> PathBuf {
    let mut plan = String::from(
        "[plan]\nid = \"crash-2020\"\norg = \"测试区\"\nyear = 2020\n\n[sections]\nmain = \"主要预期目标\"\n",
    );
    let mut csv = String::from("target,period,value,source\n");
    for i in 0..targets {
        plan.push_str(&format!(
            "\n[[targets]]\ncode = \"t{i}\"\nsection = \"main\"\nname = \"指标{i}\"\nkind = \"count\"\ncmp = \"reach\"\n\
             value = 120\nunit = \"个\"\nfrequency = \"month\"\nquote = \"指标{i}达到120个\"\n"
        ));
        for month in 1..=12 {
            csv.push_str(&format!("t{i},2020-{month:02},{},区统计局\n", month * 10));
        }
    }
    let plan_file = ontrack.file("crash.toml", plan);
    ontrack.run(["plan", "import", plan_file.to_str().unwrap()]).success();
    ontrack.file("figures.csv", csv)
}

fn figure_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    conn.query_row("SELECT count(*) FROM actuals", [], |r| r.get(0)).unwrap()
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_nothing() {
    const TARGETS: usize = 1_000; // 12,000 figures
    let base = Ontrack::init();
    let csv = big_import(&base, TARGETS);
    let expected = (TARGETS * 12) as i64;

    // How long an uninterrupted import takes here, to spread the kills across it.
    let timing = Ontrack::new();
    std::fs::copy(&base.db, &timing.db).unwrap();
    let started = Instant::now();
    timing.run(["import", csv.to_str().unwrap()]).success();
    let duration = started.elapsed();
    assert_eq!(figure_count(&timing.db), expected);

    // Kills that home in on the commit: the first at once, then later after a kill
    // that landed before the commit and sooner after one that landed after it, until
    // several have landed on each side, however fast the machine is today.
    const WANTED: usize = 4;
    const MAX_KILLS: usize = 24;
    let (mut interrupted, mut committed, mut kills) = (0, 0, 0);
    let mut next_delay = std::time::Duration::ZERO;
    for k in 0..MAX_KILLS {
        if interrupted >= WANTED && committed >= WANTED {
            break;
        }
        kills += 1;
        let victim = Ontrack::new();
        std::fs::copy(&base.db, &victim.db).unwrap();
        let delay = next_delay;
        let mut child = ontrack_command(&victim.db, &victim.now)
            .args(["import", csv.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().ok(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        // Either the kill ended it or it had finished well: never an import that failed.
        let killed = std::os::unix::process::ExitStatusExt::signal(&status) == Some(9);
        assert!(killed || status.success(), "kill {k} after {delay:?}: the import ended with {status}");
        let count = figure_count(&victim.db);
        assert!(count == 0 || count == expected, "kill {k} after {delay:?}: {count} of {expected} figures stored");
        next_delay =
            if count == 0 { (delay.mul_f64(1.5) + duration / 4).min(duration * 3) } else { delay.mul_f64(0.6) };
        if count == 0 {
            assert!(killed, "kill {k}: nothing stored, yet the import was not killed ({status})");
            interrupted += 1;
            // Nothing was written, so the same import now works whole.
            victim.run(["import", csv.to_str().unwrap()]).success();
            assert_eq!(figure_count(&victim.db), expected);
        } else {
            committed += 1;
            victim.run_en(["import", csv.to_str().unwrap()]).fails(1, "already has a figure");
        }
        victim.run(["check"]).success();
    }
    assert!(interrupted >= WANTED, "only {interrupted} of {kills} kills landed before the commit; it proves little");
    assert!(committed >= WANTED, "only {committed} of {kills} kills landed after the commit; it proves little");
    eprintln!(
        "{kills} kills during a {expected}-figure import ({duration:?}): {interrupted} before the commit, {committed} \
         after, all consistent"
    );
}

/// The hostile strings of issue 7, in one figure's source and note.
const HOSTILE: &str = "=cmd|' /C calc'!A0 <script>alert(1)</script> \"q\" ]]> \u{1b}[31mred\u{1b}[0m";

#[test]
fn hostile_text_is_inert_in_every_output() {
    let ontrack = Ontrack::init();
    ontrack
        .run(["record", "gdp-growth", "2020Q1", "-5.2", "--source", HOSTILE, "--note", HOSTILE, "--by", HOSTILE])
        .success();

    // Terminal tables: no escape character reaches the terminal.
    for args in [vec!["status"], vec!["history", "gdp-growth"], vec!["targets"]] {
        let out = ontrack.run(&args).success();
        assert!(!out.stdout.contains('\u{1b}'), "{args:?} passed an escape through");
    }
    // Files for people: HTML and Markdown escape markup; CSV neutralises formulas;
    // none carries the escape character.
    for format in ["html", "md", "csv", "json"] {
        let file = ontrack.path(&format!("report.{format}"));
        ontrack.run(["report", "--format", format, "--out", file.to_str().unwrap()]).success();
        let text = String::from_utf8(std::fs::read(&file).unwrap()).unwrap();
        assert!(!text.contains('\u{1b}'), "{format} carries a raw escape character");
        match format {
            "html" => {
                assert!(!text.contains("<script>"), "raw <script> in HTML");
                assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            }
            "md" => assert!(!text.contains("<script>"), "raw <script> in Markdown"),
            "csv" => {
                assert!(text.contains("'=cmd|"), "formula not neutralised in CSV");
                assert!(!text.contains(",=cmd|"), "a cell starts with a formula");
            }
            _ => {
                // JSON keeps the exact text, escaped by the JSON encoder.
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert!(value.to_string().contains("\\u001b[31mred"), "JSON lost the exact text");
            }
        }
    }
    // Excel: the text is a string cell, never a formula.
    let xlsx = ontrack.path("report.xlsx");
    ontrack.run(["report", "--format", "xlsx", "--out", xlsx.to_str().unwrap()]).success();
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let mut found = 0;
    for name in calamine::Reader::sheet_names(&workbook) {
        let formulas = calamine::Reader::worksheet_formula(&mut workbook, &name).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "sheet {name} has a formula");
        let range = calamine::Reader::worksheet_range(&mut workbook, &name).unwrap();
        found += range.used_cells().filter(|(_, _, cell)| cell.to_string().contains("=cmd|")).count();
    }
    assert!(found > 0, "the hostile source is not in the workbook at all");
    // SVG charts: well-formed XML whatever the text.
    let charts = ontrack.path("charts");
    ontrack.run(["chart", "gdp-growth", "--out", charts.to_str().unwrap()]).success();
    let svg = std::fs::read_to_string(charts.join("gdp-growth.svg")).unwrap();
    assert!(!svg.contains('\u{1b}') && !svg.contains("<script>"));
    roxmltree::Document::parse(&svg).expect("the chart is well-formed XML");
}

/// ESC (clear screen, window title), BEL, a C1 CSI and a bidi override, as a
/// department's sheet or a plan file may carry them (TOML escapes, for plan files).
const TERMINAL_HOSTILE: &str = "gdp\u{1b}[2J\u{1b}]0;pwn\u{7}x\u{9b}31m\u{202E}evil";
const TERMINAL_HOSTILE_TOML: &str = "gdp\\u001b[2J\\u001b]0;pwn\\u0007x\\u009b31m\\u202Eevil";

fn assert_terminal_safe(what: &str, out: &crate::support::Output) {
    for text in [&out.stdout, &out.stderr] {
        for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202E}'] {
            assert!(!text.contains(c), "{what} passed {c:?} to the terminal: {text:?}");
        }
    }
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains("]0;pwn\u{FFFD}x"),
        "{what} did not show the text, made safe:\n{}\n{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn control_characters_from_files_and_the_database_never_reach_the_terminal() {
    let ontrack = Ontrack::new();
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml"))
        .unwrap()
        .replace("org = \"金水区\"", &format!("org = \"金水区{TERMINAL_HOSTILE_TOML}\""))
        .replace("source = \"郑州晚报", &format!("source = \"{TERMINAL_HOSTILE_TOML}郑州晚报"));
    let first = ontrack.file("hostile.toml", &plan);
    let out = ontrack.run(["init", "--plan", first.to_str().unwrap()]).success();
    assert_terminal_safe("init --plan", &out);
    let second = ontrack.file("second.toml", plan.replace("id = \"jinshui-2020\"", "id = \"second-2020\""));
    assert_terminal_safe("plan import", &ontrack.run(["plan", "import", second.to_str().unwrap()]).success());
    for lang in ["zh", "en"] {
        let out = ontrack.run(["--lang", lang, "plan", "show", "jinshui-2020"]).success();
        assert_terminal_safe("plan show", &out);
    }

    // A department's sheet: the raw target cell is echoed in the error.
    let sheet = ontrack.file("e.csv", format!("target,period,value\n\"{TERMINAL_HOSTILE}\",2020Q3,1\n"));
    let before = ontrack.dump();
    let out = ontrack.run_en(["import", sheet.to_str().unwrap(), "--plan", "jinshui-2020"]).fails(1, "line 2");
    assert_terminal_safe("import", &out);
    let out =
        ontrack.run_en(["import", "--dry-run", sheet.to_str().unwrap(), "--plan", "jinshui-2020"]).fails(1, "line 2");
    assert_terminal_safe("import --dry-run", &out);
    assert_eq!(ontrack.dump(), before, "a refused import wrote something");

    // A source stored in the database, shown by history and status.
    let sheet =
        ontrack.file("ok.csv", format!("target,period,value,source\nnew-roads,2020Q3,3,\"{TERMINAL_HOSTILE}\"\n"));
    ontrack.run(["import", sheet.to_str().unwrap(), "--plan", "jinshui-2020"]).success();
    assert_terminal_safe("history", &ontrack.run(["history", "new-roads", "--plan", "jinshui-2020"]).success());
    let out = ontrack.run(["status", "--plan", "jinshui-2020", "--as-of", "2020Q3"]).success();
    assert_terminal_safe("status", &out);
}

/// An absurd file is refused in bounded work and bounded words: a 2 MB target cell
/// against a plan of 2,000 targets (the nearest-code suggestion of old compared it
/// with every code: minutes), 2,000 mistyped codes, and a whole file imported twice
/// (24,000 rows logged already: one line each, of old).
#[test]
fn absurd_files_are_refused_in_bounded_words() {
    const BOUND: usize = 20_000;
    let ontrack = Ontrack::init();
    let figures = big_import(&ontrack, 2_000);
    let mut csv = format!("target,period,value\n{},2020-01,1\n", "x".repeat(2_000_000));
    for i in 0..2_000 {
        csv.push_str(&format!("tt{i}x,2020-01,1\n"));
    }
    let absurd = ontrack.file("absurd.csv", csv);
    let before = ontrack.dump();
    for dry_run in [false, true] {
        let mut args = vec!["import", absurd.to_str().unwrap(), "--plan", "crash-2020"];
        if dry_run {
            args.push("--dry-run");
        }
        let out = ontrack.run_en(&args).fails(1, "absurd.csv has 2,001 problems");
        assert!(out.stderr.len() < BOUND, "dry run {dry_run}: {} bytes on stderr", out.stderr.len());
        assert!(out.stderr.contains(&format!("line 2 ({}…)", "x".repeat(80))), "{}", out.stderr);
        assert!(out.stderr.contains("line 3 (tt0x): plan crash-2020 has no target"), "{}", out.stderr);
        assert!(out.stderr.contains("… and 1,991 more rows with the same problem"), "{}", out.stderr);
    }
    assert_eq!(ontrack.dump(), before, "a refused import wrote something");

    ontrack.run(["import", figures.to_str().unwrap(), "--plan", "crash-2020"]).success();
    for dry_run in [false, true] {
        let mut args = vec!["import", figures.to_str().unwrap(), "--plan", "crash-2020"];
        if dry_run {
            args.push("--dry-run");
        }
        let out = ontrack.run_en(&args).fails(1, "figures.csv has 24,000 problems");
        assert!(out.stderr.len() < BOUND, "dry run {dry_run}: {} bytes on stderr", out.stderr.len());
        assert!(out.stderr.contains("… and 23,990 more rows with the same problem"), "{}", out.stderr);
        assert_eq!(out.stderr.matches("already has a figure").count(), 10, "{}", out.stderr);
    }
}
