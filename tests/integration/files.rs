//! Files and the environment: what a command may write, replace or refuse (demo,
//! init --force, template, report, plan export), empty environment variables, the
//! user a figure is logged by, path errors, damaged databases and read-only places.

use serde_json::Value;

use crate::support::Ontrack;

/// `ONTRACK_DB=` (set but empty) is unset: the default `./ontrack.db` is used, and no
/// message names a `--db` flag the user never typed.
#[test]
fn an_empty_ontrack_db_means_the_default_database() {
    let ontrack = Ontrack::init();
    // The support builder runs in the temp dir, where the database is ./ontrack.db.
    let out = ontrack.run(["plan", "list", "--format", "json"]).env("ONTRACK_DB", "").success();
    assert!(out.stdout.contains("jinshui-2020"), "{}", out.stdout);
    for (key, value) in [("ONTRACK_NOW", ""), ("ONTRACK_BUSY_TIMEOUT_MS", "")] {
        ontrack.run(["plan", "list"]).env("ONTRACK_DB", "").env(key, value).success();
    }
}

/// Without USER, LOGNAME or USERNAME (cron, `env -i`), a figure is logged by the name
/// the system gives the process's user, not "unknown".
#[test]
fn a_figure_without_by_or_user_variables_is_logged_by_the_system_user() {
    let ontrack = Ontrack::init();
    let expected = std::process::Command::new("id").arg("-un").output().expect("id -un");
    let expected = String::from_utf8(expected.stdout).unwrap().trim().to_string();
    assert!(!expected.is_empty());
    let mut run = ontrack.run(["record", "new-roads", "2020Q1", "3"]);
    run.command.env_clear().env("ONTRACK_DB", &ontrack.db).env("ONTRACK_NOW", &ontrack.now);
    run.success();
    let out = ontrack.run(["history", "new-roads", "--format", "json"]).success();
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[0]["by"], Value::String(expected));
}

/// Runs `demo --dir DIR` in English.
fn demo(ontrack: &Ontrack, dir: &str) -> crate::support::Run {
    ontrack.run(["--lang", "en", "demo", "--dir", dir])
}

/// The reproduction: a demo folder used as a real one (a plan of one's own
/// imported, a figure logged), then `demo --dir` again. It must refuse, say what it
/// found, and change nothing.
#[test]
fn demo_refuses_a_demo_database_holding_a_plan_and_figure_of_ones_own() {
    let ontrack = Ontrack::new();
    demo(&ontrack, "d").success();
    let db = ontrack.path("d/ontrack.db");
    let export = ontrack.run(["--db", db.to_str().unwrap(), "plan", "export"]).success().stdout;
    let mine = export.replacen("id = \"jinshui-2020\"", "id = \"mine-2020\"", 1);
    assert_ne!(mine, export);
    let file = ontrack.file("mine.toml", mine);
    let on = |args: &[&str]| {
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        ontrack.run(all).success();
    };
    on(&["plan", "import", file.to_str().unwrap()]);
    on(&["record", "new-roads", "2020Q1", "3", "--plan", "mine-2020"]);
    let before = crate::support::dump(&db);
    let report = std::fs::read(ontrack.path("d/report.html")).unwrap();
    let out = demo(&ontrack, "d").fails(1, "plan mine-2020 that the demo did not load");
    assert!(out.stderr.contains("Nothing was changed"), "{}", out.stderr);
    assert_eq!(crate::support::dump(&db), before, "the database is untouched");
    assert_eq!(std::fs::read(ontrack.path("d/report.html")).unwrap(), report);
    // In Chinese too.
    ontrack.run(["demo", "--dir", "d"]).fails(1, "演示未载入的计划 mine-2020");

    // A figure of one's own in the demo's plan is found as well.
    let ontrack = Ontrack::new();
    demo(&ontrack, "d").success();
    let db = ontrack.path("d/ontrack.db");
    ontrack
        .run(["--db", db.to_str().unwrap(), "record", "gdp-growth", "2020", "2.9", "--revise", "--reason", "终核"])
        .success();
    let before = crate::support::dump(&db);
    demo(&ontrack, "d").fails(1, "1 figure the demo did not log, e.g. gdp-growth 2020 = 2.9 (tester)");
    assert_eq!(crate::support::dump(&db), before);
}

/// A planted marker beside a real database proves nothing.
#[test]
fn a_planted_demo_marker_does_not_let_demo_replace_a_real_database() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "new-roads", "2020Q1", "3"]).success();
    ontrack.file("ONTRACK-DEMO.txt", "This directory was made by `ontrack demo`. Its figures are illustrative.\n");
    let before = ontrack.dump();
    demo(&ontrack, ".").fails(1, "1 figure the demo did not log");
    assert_eq!(ontrack.dump(), before);
    assert!(!ontrack.path("report.html").exists() && !ontrack.path("charts").exists());
}

/// The demo replaces its own files, unchanged, and nothing else: not a report of the
/// user's, not a chart it wrote that was since edited. Refused before anything is
/// written (no database is made either).
#[test]
fn demo_replaces_only_files_it_wrote_itself_unchanged() {
    let ontrack = Ontrack::new();
    std::fs::create_dir(ontrack.path("d")).unwrap();
    let mine = ontrack.file("d/report.html", "<p>our own report</p>");
    demo(&ontrack, "d").fails(1, "report.html");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "<p>our own report</p>");
    assert!(!ontrack.path("d/ontrack.db").exists() && !ontrack.path("d/ONTRACK-DEMO.txt").exists());
    std::fs::remove_file(&mine).unwrap();

    // Its own files it replaces on a rerun.
    demo(&ontrack, "d").success();
    demo(&ontrack, "d").success();
    // One of its charts, edited since: refused, still as edited.
    let chart = ontrack.path("d/charts/gdp-growth.svg");
    let edited = std::fs::read_to_string(&chart).unwrap().replace("</svg>", "<!-- noted --></svg>");
    std::fs::write(&chart, &edited).unwrap();
    let before = crate::support::dump(&ontrack.path("d/ontrack.db"));
    let out = demo(&ontrack, "d").fails(1, "were not written by `ontrack demo` (or were changed since)");
    assert!(out.stderr.contains("gdp-growth.svg"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&chart).unwrap(), edited);
    assert_eq!(crate::support::dump(&ontrack.path("d/ontrack.db")), before);
}

/// `template`, `report --out`, `plan export --out` and `extract --out` never replace an existing file
/// (a department's filled-in sheet) unless told to with `--force`; refused in the
/// user's language, nothing written.
#[test]
fn output_files_are_never_replaced_without_force() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-5.2"]).success();
    let cases: [(&str, Vec<&str>); 5] = [
        ("sheet.xlsx", vec!["template", "--period", "2020Q3", "--out", "sheet.xlsx"]),
        ("sheet.csv", vec!["template", "--period", "2020Q3", "--out", "sheet.csv"]),
        ("report.html", vec!["report", "--out", "report.html"]),
        ("plan.toml", vec!["plan", "export", "--out", "plan.toml"]),
        ("draft.toml", vec!["extract", "article.txt", "--out", "draft.toml"]),
    ];
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/plans/sources/jinshui-2020-work-report.txt"),
        ontrack.path("article.txt"),
    )
    .unwrap();
    for (name, args) in cases {
        let filled = ontrack.file(name, "a department's filled-in sheet");
        let mut en = vec!["--lang", "en"];
        en.extend(&args);
        let out = ontrack.run(&en).fails(1, &format!("{name} already exists; nothing was written. Add --force"));
        assert!(!out.stderr.contains("cannot write"), "{}", out.stderr);
        ontrack.run(&args).fails(1, &format!("{name} 已存在，未写入任何内容"));
        assert_eq!(std::fs::read_to_string(&filled).unwrap(), "a department's filled-in sheet", "{name}");
        let mut forced = args.clone();
        forced.push("--force");
        ontrack.run(&forced).success();
        assert_ne!(std::fs::read_to_string(&filled).unwrap_or_default(), "a department's filled-in sheet", "{name}");
        // A new file is written as before, and no temporary file is left.
        std::fs::remove_file(&filled).unwrap();
        ontrack.run(&args).success();
        assert!(filled.exists(), "{name}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(ontrack.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `chart` rewrites its own charts on every run, but a file of the user's named like
/// a chart in the charts folder is refused (nothing drawn) unless `--force`.
#[test]
fn chart_replaces_its_own_charts_but_not_a_users_file_named_like_one() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-5.2"]).success();
    ontrack.run(["chart"]).success();
    ontrack.run(["chart"]).success();
    ontrack.run(["chart", "gdp-growth"]).success();
    let mine = ontrack.file("charts/gdp-growth.svg", "<svg><!-- hand-drawn for the briefing --></svg>");
    let overview = std::fs::read(ontrack.path("charts/overview.svg")).unwrap();
    std::fs::remove_file(ontrack.path("charts/overview.svg")).unwrap();
    let out = ontrack.run(["--lang", "en", "chart"]).fails(1, "gdp-growth.svg: not a chart ontrack drew");
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    ontrack.run(["chart", "gdp-growth"]).fails(1, "不是 ontrack 画的图表");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "<svg><!-- hand-drawn for the briefing --></svg>");
    assert!(!ontrack.path("charts/overview.svg").exists(), "nothing was drawn");
    ontrack.run(["chart", "--force"]).success();
    assert_eq!(std::fs::read(ontrack.path("charts/overview.svg")).unwrap(), overview);
    assert!(std::fs::read_to_string(&mine).unwrap().contains("role=\"img\""));
}

/// A `chart` run killed mid-write leaves a chart's temporary file; the next run
/// removes old ones, and leaves a young one (another run may be writing it) and
/// anything that is not a chart's.
#[test]
fn chart_clears_temporary_files_a_killed_run_left() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-5.2"]).success();
    ontrack.run(["chart"]).success();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let left = ontrack.file("charts/.gdp-growth.svg.tmp-Xa1b2c", "<svg");
    let young = ontrack.file("charts/.overview.svg.tmp-Yd3e4f", "<svg");
    let users = ontrack.file("charts/.notes.txt.tmp-Zg5h6i", "mine");
    for path in [&left, &users] {
        std::fs::File::options().write(true).open(path).unwrap().set_modified(hour_ago).unwrap();
    }
    ontrack.run(["chart"]).success();
    assert!(!left.exists());
    assert!(young.exists());
    assert!(users.exists());
}

/// `init --force` never writes a file that is not ontrack's: a text file named
/// `notes.db`, another program's SQLite file, an empty file. Refused, bytes unchanged.
#[test]
fn init_force_refuses_a_file_that_is_not_ontracks() {
    let ontrack = Ontrack::new();
    let text = ontrack.file("notes.db", "meeting notes, not a database\n");
    let other = ontrack.path("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('李四');")
        .unwrap();
    let empty = ontrack.file("empty.db", "");
    for (path, what) in [(&text, "not an SQLite file"), (&other, "another program"), (&empty, "an empty file")] {
        let before = std::fs::read(path).unwrap();
        let out =
            ontrack.run_en(["--db", path.to_str().unwrap(), "init", "--force"]).fails(1, "is not an ontrack database");
        assert!(out.stderr.contains(what), "{}", out.stderr);
        // Without --force, the refusal does not suggest it.
        let out = ontrack.run_en(["--db", path.to_str().unwrap(), "init"]).fails(1, "is not an ontrack database");
        assert!(!out.stderr.contains("--force"), "{}", out.stderr);
        assert_eq!(std::fs::read(path).unwrap(), before, "{} was written", path.display());
    }
}

/// Replacing an ontrack database with figures says how many and backs it up first,
/// beside it, under a new name each time.
#[test]
fn init_force_backs_up_a_database_with_figures_and_says_how_many() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "new-roads", "2020Q1", "3"]).success();
    ontrack.run(["record", "new-roads", "2020Q2", "5"]).success();
    let out = ontrack.run(["--lang", "en", "init", "--force"]).success();
    let backup = ontrack.path("ontrack-before-init-20210331-080000.db");
    assert!(out.stderr.contains("which held 1 plan and 2 figures: backed up first to"), "{}", out.stderr);
    assert!(out.stderr.contains(&backup.display().to_string()), "{}", out.stderr);
    let history = |db: &std::path::Path| {
        let out = ontrack.run(["--db", db.to_str().unwrap(), "history", "new-roads", "--format", "json"]).success();
        serde_json::from_str::<Value>(&out.stdout).unwrap().as_array().unwrap().len()
    };
    assert_eq!(history(&backup), 2, "the backup holds the figures");
    assert_eq!(history(&ontrack.db), 0, "the new database is fresh");

    // Again, at the same moment: a second backup, the first one kept.
    ontrack.run(["record", "new-roads", "2020Q1", "4"]).success();
    let first = std::fs::read(&backup).unwrap();
    let out = ontrack.run(["init", "--force"]).success();
    let second = ontrack.path("ontrack-before-init-20210331-080000-2.db");
    assert!(out.stderr.contains("1 个计划、1 条数据，已先备份到"), "{}", out.stderr);
    assert!(out.stderr.contains(&second.display().to_string()), "{}", out.stderr);
    assert_eq!(std::fs::read(&backup).unwrap(), first);
    assert_eq!(history(&second), 1);
}

/// `plan export` writes `due` only where it differs from the plan's year, so changing
/// `year` (and the id) alone gives a plan for another year; export ∘ import stays the
/// identity, and a due period other than the year is kept.
#[test]
fn an_exported_plan_changes_year_by_its_year_field_alone() {
    let ontrack = Ontrack::init();
    let exported = ontrack.run(["plan", "export"]).success().stdout;
    assert!(!exported.contains("due = \"2020\""), "due = the plan's year is not written");
    let next = exported.replacen("id = \"jinshui-2020\"", "id = \"jinshui-2021\"", 1).replacen(
        "year = 2020",
        "year = 2021",
        1,
    );
    let file = ontrack.file("next.toml", &next);
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    let again = ontrack.run(["plan", "export", "jinshui-2021"]).success().stdout;
    assert_eq!(again, next);

    // A due period before the year's end is written and kept.
    let early = exported.replacen("frequency = \"quarter\"\n", "frequency = \"quarter\"\ndue = \"2020Q3\"\n", 1);
    let early = early.replacen("id = \"jinshui-2020\"", "id = \"early-2020\"", 1);
    assert_ne!(early, exported);
    let file = ontrack.file("early.toml", &early);
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    assert_eq!(ontrack.run(["plan", "export", "early-2020"]).success().stdout, early);
}

/// A missing parent folder is said once, not "…: No such file or directory (os error
/// 2): No such file or directory (os error 2)", whichever command meets it.
#[test]
fn a_path_error_says_its_cause_once() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-5.2"]).success();
    let cases: [&[&str]; 6] = [
        &["--db", "nowhere/x.db", "init"],
        &["backup", "nowhere/b.db"],
        &["template", "--period", "2020Q1", "--out", "nowhere/t.csv"],
        &["report", "--out", "nowhere/r.md"],
        &["plan", "export", "--out", "nowhere/p.toml"],
        &["import", "nowhere/figures.csv"],
    ];
    for args in cases {
        let out = ontrack.run(args).output();
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("nowhere"), "{args:?} names the path: {}", out.stderr);
        assert!(out.stderr.matches("os error 2").count() <= 1, "{args:?}: {}", out.stderr);
    }
}

/// A damaged database: `check` reports the damage in its own table (and JSON), exits
/// 1 and says to restore from a backup, instead of failing with SQLite's raw
/// "malformed". Damage to the first page (the schema) and to a later page.
#[test]
fn check_reports_a_damaged_database_in_its_own_table_with_advice() {
    for (from, to) in [(100, 108), (4096, 4200)] {
        let ontrack = Ontrack::init();
        ontrack.run(["record", "new-roads", "2020Q1", "3"]).success();
        ontrack.run(["record", "new-roads", "2020Q2", "5"]).success();
        let mut bytes = std::fs::read(&ontrack.db).unwrap();
        bytes[from..to].fill(0x5a);
        std::fs::write(&ontrack.db, &bytes).unwrap();
        let out = ontrack.run(["--lang", "en", "check"]).fails(1, "is damaged");
        assert!(out.stdout.contains("integrity"), "the table is printed: {}", out.stdout);
        assert!(!out.stdout.contains("Run `ontrack check`"), "the table states facts: {}", out.stdout);
        assert!(out.stderr.contains("replace it with your latest backup"), "{}", out.stderr);
        // Other commands say it once, with what to do.
        let out = ontrack.run_en(["status"]).fails(1, "Run `ontrack check` to see the damage");
        assert_eq!(out.stderr.matches("malformed").count(), 1, "{}", out.stderr);
        let out = ontrack.run(["check", "--format", "json"]).fails(1, "已损坏");
        let rows: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(rows[0]["check"], "integrity");
        assert_eq!(rows[0]["ok"], false, "{}", out.stdout);
        assert!(out.stderr.contains("备份"), "{}", out.stderr);
    }
}

/// A folder made read-only for the test: a tmpfs remounted read-only when running as
/// root (permission bits do not stop root), else the folder's and file's permission
/// bits. Unmounted on drop.
struct ReadOnlyPlace {
    dir: std::path::PathBuf,
    mounted: bool,
}

impl ReadOnlyPlace {
    /// A writable folder `dir` that [`ReadOnlyPlace::seal`] will make read-only, or
    /// `None` where this machine cannot make one (root without mount rights).
    fn new(dir: std::path::PathBuf) -> Option<ReadOnlyPlace> {
        std::fs::create_dir_all(&dir).unwrap();
        let root =
            std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false);
        if !root {
            return Some(ReadOnlyPlace { dir, mounted: false });
        }
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(ReadOnlyPlace { dir, mounted: true })
    }

    fn seal(&self) {
        if self.mounted {
            let status =
                std::process::Command::new("mount").args(["-o", "remount,ro"]).arg(&self.dir).status().unwrap();
            assert!(status.success(), "remount read-only");
        } else {
            use std::os::unix::fs::PermissionsExt;
            for entry in std::fs::read_dir(&self.dir).unwrap() {
                std::fs::set_permissions(entry.unwrap().path(), std::fs::Permissions::from_mode(0o444)).unwrap();
            }
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
}

impl Drop for ReadOnlyPlace {
    fn drop(&mut self) {
        if self.mounted {
            let _ = std::process::Command::new("umount").arg("-l").arg(&self.dir).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
        }
    }
}

/// Reading works from a read-only place (folder, file system and file): every command
/// that only reads opens the file read-only and, where SQLite cannot make its WAL
/// index, as immutable; nothing is created there. A write says plainly why it cannot.
#[test]
fn reading_works_from_a_read_only_place() {
    let ontrack = Ontrack::new();
    let Some(place) = ReadOnlyPlace::new(ontrack.path("ro")) else {
        use std::io::Write as _;
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but this machine cannot make a read-only folder"
        );
        let _ =
            writeln!(std::io::stderr(), "SKIPPED: reading_works_from_a_read_only_place: cannot mount a tmpfs as root");
        return;
    };
    let db = place.dir.join("ontrack.db");
    let on_db = |args: &[&str]| {
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        ontrack.run(all)
    };
    on_db(&["init"]).success();
    on_db(&["record", "new-roads", "2020Q1", "31"]).success();
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&place.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(listing(), ["ontrack.db"]);
    place.seal();

    let status = on_db(&["--lang", "en", "status", "--format", "json"]).success();
    assert!(status.stdout.contains("\"new-roads\""), "{}", status.stdout);
    assert!(on_db(&["history", "new-roads"]).success().stdout.contains("31"));
    on_db(&["targets"]).success();
    on_db(&["plan", "list"]).success();
    on_db(&["plan", "export"]).success();
    on_db(&["check"]).success();
    on_db(&["report", "--format", "md"]).success();
    let charts = ontrack.path("charts-out");
    on_db(&["chart", "--out", charts.to_str().unwrap()]).success();
    on_db(&["backup", ontrack.path("copy.db").to_str().unwrap()]).success();
    on_db(&["template", "--period", "2020Q2", "--out", ontrack.path("t.csv").to_str().unwrap()]).success();
    on_db(&["--lang", "en", "record", "new-roads", "2020Q2", "40"]).fails(1, "cannot be written where it is");
    assert_eq!(listing(), ["ontrack.db"], "nothing was created in the read-only place");
}
