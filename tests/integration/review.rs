//! The life of a figure: review (approve, return, reopen), void, the lock an approved
//! figure puts on its window, which figures count, and the upgrade of a database made
//! by the release before states existed.

use std::process::Stdio;

use crate::support::{dump, Ontrack};

const HOUSING: &str = "区住房城乡建设局";
const CITY: &str = "区城市管理局";

fn json(out: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(out).unwrap().as_array().unwrap().clone()
}

/// `figures --format json`, as (id, target, period, value, state, state_reason, import).
fn figures(ontrack: &Ontrack, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["figures", "--format", "json"];
    args.extend(extra);
    json(&ontrack.run(args).success().stdout)
}

fn state_of(ontrack: &Ontrack, id: i64) -> String {
    let all = figures(ontrack, &[]);
    let row = all.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no standing figure #{id}: {all:?}"));
    row["state"].as_str().unwrap().to_string()
}

/// The import id a successful import printed.
fn import_id(stderr: &str) -> i64 {
    let rest = stderr.split("import id ").nth(1).unwrap_or_else(|| panic!("no import id in {stderr}"));
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

/// The status row of `code` as JSON, as of 2020Q2 unless `extra` says otherwise.
fn status_of(ontrack: &Ontrack, code: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["status", "--format", "json"];
    if !extra.contains(&"--as-of") {
        args.extend(["--as-of", "2020Q2"]);
    }
    args.extend(extra);
    let rows = json(&ontrack.run(args).success().stdout);
    rows.into_iter().find(|r| r["code"] == code).unwrap()
}

/// Two departments import; the office returns one figure with a reason, the unit sees
/// it and re-logs; the office approves a department's window at once; the window is
/// then locked for `record` and `import` alike until reopened; returned figures and,
/// with --approved-only, submitted ones do not count.
#[test]
fn a_quarter_of_review_returns_relogs_approves_and_locks() {
    let ontrack = Ontrack::init();
    let housing = ontrack.file(
        "housing.csv",
        "target,period,value,source\nnew-roads,2020Q2,40,区住建局\nprojects-topped-out,2020Q2,3,区住建局\n",
    );
    let city = ontrack.file("city.csv", "target,period,value\nmodel-road-sections,2020Q2,100\n");
    let first = ontrack.run_en(["import", housing.to_str().unwrap()]).success();
    let second = ontrack.run_en(["import", city.to_str().unwrap()]).success();
    let (housing_import, city_import) = (import_id(&first.stderr), import_id(&second.stderr));
    assert_ne!(housing_import, city_import);
    assert!(first.stderr.contains(&format!("ontrack void --import {housing_import} --reason")), "{}", first.stderr);
    let all = figures(&ontrack, &[]);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|r| r["state"] == "submitted" && r["state_reason"].is_null()), "{all:?}");
    assert_eq!(figures(&ontrack, &["--import", &housing_import.to_string()]).len(), 2);
    let roads = all.iter().find(|r| r["target"] == "new-roads").unwrap()["id"].as_i64().unwrap();

    // Returned with a reason: the unit sees it, and the figure stops counting.
    assert_eq!(status_of(&ontrack, "new-roads", &[])["actual"], 40.0);
    let out =
        ontrack.run_en(["review", "return", &roads.to_string(), "--reason", "口径不对：应为累计数", "--by", "统计科"]);
    assert!(out.success().stderr.contains("submitted → returned"));
    let returned = figures(&ontrack, &["--state", "returned"]);
    assert_eq!(returned.len(), 1);
    assert_eq!(
        (returned[0]["state_reason"].as_str(), returned[0]["state_by"].as_str()),
        (Some("口径不对：应为累计数"), Some("统计科"))
    );
    let history = ontrack.run(["history", "new-roads"]).success().stdout;
    assert!(history.contains("已退回") && history.contains("口径不对：应为累计数"), "{history}");
    assert!(status_of(&ontrack, "new-roads", &[])["actual"].is_null(), "a returned figure does not count");
    // The report says what it counts and lists the returned figure with its reason.
    let report = ontrack.run_en(["report", "--format", "md", "--as-of", "2020Q2"]).success().stdout;
    assert!(report.contains("- Counted: counts every current figure (submitted and approved; returned and void"));
    let returned_line = report.lines().find(|l| l.contains("| returned |")).unwrap_or_else(|| panic!("{report}"));
    assert!(returned_line.contains("口径不对：应为累计数") && returned_line.contains("统计科"), "{returned_line}");
    assert!(report.contains(&format!("| {HOUSING} | 1 | 0 | 1 |\n| {CITY} | 1 | 0 | 0 |")), "{report}");

    // Approving or reopening a returned figure is refused; the unit re-logs it, plainly.
    let before = ontrack.dump();
    ontrack.run_en(["review", "approve", &roads.to_string()]).fails(1, "it is returned");
    assert_eq!(ontrack.dump(), before, "nothing changed");
    let relog = ontrack.run_en(["record", "new-roads", "2020Q2", "45", "--by", "住建局"]).success();
    assert!(relog.stderr.contains("recorded revision") || relog.stderr.contains("recorded figure"), "{}", relog.stderr);
    let standing = figures(&ontrack, &["--period", "2020Q2", "--lead-unit", HOUSING]);
    let relogged = standing.iter().find(|r| r["target"] == "new-roads").unwrap();
    assert_eq!((relogged["state"].as_str(), relogged["revises"].as_i64()), (Some("submitted"), Some(roads)));
    assert_eq!(status_of(&ontrack, "new-roads", &[])["actual"], 45.0);

    // Only approved figures count with --approved-only.
    assert!(status_of(&ontrack, "new-roads", &["--approved-only"])["actual"].is_null());
    let approve =
        ontrack.run_en(["review", "approve", "--period", "2020Q2", "--lead-unit", HOUSING, "--by", "统计科"]).success();
    assert!(approve.stderr.contains("2 figures approved (by 统计科)"), "{}", approve.stderr);
    assert_eq!(status_of(&ontrack, "new-roads", &["--approved-only"])["actual"], 45.0);
    assert!(status_of(&ontrack, "model-road-sections", &["--approved-only"])["actual"].is_null());
    assert_eq!(status_of(&ontrack, "model-road-sections", &[])["actual"], 100.0);
    let report = ontrack.run(["report", "--format", "json", "--as-of", "2020Q2", "--approved-only"]).success();
    let report: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(report["counting"], "approved_only");
    let counted: Vec<&str> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !t["actual"].is_null())
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(counted, ["projects-topped-out", "new-roads"], "only the approved figures count");
    let charts = ontrack.path("charts");
    ontrack.run(["chart", "--approved-only", "--as-of", "2020Q2", "--out", charts.to_str().unwrap()]).success();

    // Locked: record (a revision, or a figure as if new) and import are refused, saying
    // who approved it, when, and the exact command that reopens it.
    let relogged_id = relogged["id"].as_i64().unwrap();
    let before = ontrack.dump();
    let reopen = format!("ontrack review reopen {relogged_id} --reason");
    let refused = ontrack
        .run_en(["record", "new-roads", "2020Q2", "46", "--revise", "--reason", "更正"])
        .fails(1, "was approved by 统计科 at 2021-03-31 16:00:00+08:00, so the window is locked");
    assert!(refused.stderr.contains(&reopen), "{}", refused.stderr);
    ontrack.run_en(["record", "new-roads", "2020Q2", "46"]).fails(1, "the window is locked");
    ontrack
        .run(["record", "new-roads", "2020Q2", "46"])
        .fails(1, "已由 统计科 于 2021-03-31 16:00:00+08:00 审核，该期已锁定");
    let again = ontrack.file("again.csv", "target,period,value,reason\nnew-roads,2020Q2,47,更正\n");
    ontrack.run_en(["import", again.to_str().unwrap()]).fails(1, "the window is locked");
    ontrack.run_en(["review", "approve", &relogged_id.to_string()]).fails(1, "it is approved (by 统计科");
    assert_eq!(ontrack.dump(), before, "nothing changed");

    // Reopened with a reason, the window takes a revision again; the revision is submitted.
    ontrack.run_en(["review", "reopen", &relogged_id.to_string(), "--reason", "季报更正"]).success();
    ontrack.run_en(["record", "new-roads", "2020Q2", "46", "--revise", "--reason", "更正"]).success();
    assert_eq!(status_of(&ontrack, "new-roads", &[])["actual"], 46.0);
    let events = ontrack.run_en(["history", "new-roads"]).success().stdout;
    for line in ["submitted → returned", "submitted → approved", "approved → submitted", "季报更正"] {
        assert!(events.contains(line), "{line} in {events}");
    }
    let rows = json(&ontrack.run(["history", "new-roads", "--format", "json"]).success().stdout);
    assert_eq!(
        rows.iter().map(|r| r["state"].as_str().unwrap()).collect::<Vec<_>>(),
        ["returned", "submitted", "submitted"]
    );
    ontrack.run(["check"]).success();
    // The other department was never touched.
    assert_eq!(figures(&ontrack, &["--lead-unit", CITY])[0]["state"], "submitted");
}

/// Void withdraws one figure or a whole import: it stops counting, a figure can be
/// logged for its window again, and an approved figure must be reopened first.
#[test]
fn void_withdraws_a_figure_or_a_whole_import() {
    let ontrack = Ontrack::init();
    let sheet = ontrack.file(
        "wrong.csv",
        "target,period,value\nnew-roads,2020Q1,10\nprojects-topped-out,2020Q1,2\nmodel-road-sections,2020Q1,50\n",
    );
    let import = import_id(&ontrack.run_en(["import", sheet.to_str().unwrap()]).success().stderr);
    // In file order: new-roads, projects-topped-out, model-road-sections.
    let mut ids: Vec<i64> = figures(&ontrack, &[]).iter().map(|r| r["id"].as_i64().unwrap()).collect();
    ids.sort();
    ontrack.run_en(["review", "approve", &ids[2].to_string()]).success();
    let before = ontrack.dump();
    ontrack
        .run_en(["void", "--import", &import.to_string(), "--reason", "错报到一季度"])
        .fails(1, "is reopened (with a reason) before it can be voided");
    assert_eq!(ontrack.dump(), before, "all or nothing: no figure of the import was voided");
    ontrack.run_en(["review", "reopen", &ids[2].to_string(), "--reason", "整批作废"]).success();
    let out = ontrack.run_en(["void", "--import", &import.to_string(), "--reason", "错报到一季度"]).success();
    assert!(out.stderr.contains("3 figures voided"), "{}", out.stderr);
    assert!(figures(&ontrack, &[]).iter().all(|r| r["state"] == "void" && r["state_reason"] == "错报到一季度"));
    assert!(status_of(&ontrack, "new-roads", &["--as-of", "2020Q1"])["actual"].is_null());
    // Nothing more happens to a void figure; its window takes a new figure.
    let before = ontrack.dump();
    ontrack
        .run_en(["void", &ids[0].to_string(), "--reason", "again"])
        .fails(1, "Nothing more happens to a void figure");
    ontrack.run_en(["review", "approve", &ids[0].to_string()]).fails(1, "it is void");
    assert_eq!(ontrack.dump(), before);
    ontrack.run_en(["record", "new-roads", "2020Q1", "12"]).success();
    let standing = figures(&ontrack, &["--state", "submitted"]);
    assert_eq!(standing.len(), 1);
    assert_eq!((standing[0]["value"].as_f64(), standing[0]["revises"].as_i64()), (Some(12.0), Some(ids[0])));
    ontrack.run(["check"]).success();
}

/// A figure revised since is not reviewed (the standing one is), and a review of a
/// lead unit's window with no figure says so; neither changes anything.
#[test]
fn only_standing_figures_are_reviewed() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "new-roads", "2020Q1", "10"]).success();
    ontrack.run(["record", "new-roads", "2020Q1", "11", "--revise", "--reason", "核实"]).success();
    let before = ontrack.dump();
    ontrack
        .run_en(["review", "approve", "1"])
        .fails(1, "figure #1 was revised by #2, and only the standing figure is reviewed");
    ontrack
        .run_en(["review", "approve", "--period", "2020Q3", "--lead-unit", HOUSING])
        .fails(1, "has no figure for 2020Q3");
    assert_eq!(ontrack.dump(), before);
    ontrack.run_en(["review", "approve", "2"]).success();
    assert_eq!(state_of(&ontrack, 2), "approved");
}

/// A database made by the release before figures had states (schema version 2, as
/// `tests/fixtures/schema-v2.sql`) is upgraded in place, in one transaction: every old
/// figure is `submitted`, none has an import, and review works on it.
#[test]
fn a_database_of_the_previous_release_is_upgraded_with_every_figure_submitted() {
    let ontrack = crate::support::old_database(
        include_str!("../fixtures/schema-v2.sql"),
        2,
        "INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at, revises, reason)
             VALUES (1, 202006, '2020Q2', 41, '老版本', '2020-07-11T02:00:00.000000Z', 1, '核实');
         INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at)
             VALUES (1, 202009, '2020Q3', 60, '老版本', '2020-10-10T02:00:00.000000Z');",
    );
    let old_rows: Vec<String> =
        dump(&ontrack.db).lines().filter(|l| l.starts_with("actuals:")).map(String::from).collect();
    let standing = figures(&ontrack, &[]);
    assert_eq!(standing.len(), 2);
    assert!(standing.iter().all(|r| r["state"] == "submitted" && r["import"].is_null()), "{standing:?}");
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, ontrack::store::SCHEMA_VERSION, "upgraded in place");
    let events: i64 = conn.query_row("SELECT count(*) FROM figure_events", [], |r| r.get(0)).unwrap();
    assert_eq!(events, 0, "no row is written for the old figures: no event means submitted");
    drop(conn);
    // The old figures are as they were, with an empty import column added.
    let new_rows: Vec<String> =
        dump(&ontrack.db).lines().filter(|l| l.starts_with("actuals:")).map(String::from).collect();
    assert_eq!(old_rows.len(), new_rows.len());
    for (old, new) in old_rows.iter().zip(&new_rows) {
        assert_eq!(format!("{old} | Null"), *new);
    }
    ontrack.run(["review", "approve", "--period", "2020Q2", "--lead-unit", HOUSING]).success();
    assert_eq!(state_of(&ontrack, 2), "approved");
    ontrack.run(["check"]).success();
}

/// `check` verifies the state machine: events that do not follow each other, an event
/// on a void figure, an approval twice without a reopen, an event on no figure, and a
/// revision of an approved figure are each found.
#[test]
fn check_finds_a_broken_state_machine() {
    let ontrack = Ontrack::init();
    for (period, value) in [("2020Q1", "10"), ("2020Q2", "20"), ("2020Q3", "30")] {
        ontrack.run(["record", "new-roads", period, value]).success();
    }
    ontrack.run(["review", "approve", "1"]).success();
    ontrack.run(["void", "2", "--reason", "错报"]).success();
    ontrack.run(["check"]).success();
    // Damage the file the way another program could: append events, a revision of an
    // approved figure (no trigger guards the lock), and an event naming no figure.
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    conn.execute_batch(
        "INSERT INTO figure_events (actual_id, from_state, to_state, changed_by, changed_at)
             VALUES (1, 'submitted', 'approved', 'x', '2021-04-01T00:00:00.000000Z');
         INSERT INTO figure_events (actual_id, from_state, to_state, changed_by, changed_at, reason)
             VALUES (2, 'void', 'submitted', 'x', '2021-04-01T00:00:00.000000Z', 'r');
         INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at, revises, reason)
             SELECT target_id, period_end, period, 11, 'x', '2021-04-01T00:00:00.000000Z', 1, 'r' FROM actuals WHERE id = 1;
         PRAGMA foreign_keys = OFF;
         INSERT INTO figure_events (actual_id, from_state, to_state, changed_by, changed_at)
             VALUES (99, 'submitted', 'approved', 'x', '2021-04-01T00:00:00.000000Z');",
    )
    .unwrap();
    drop(conn);
    let out = ontrack.run_en(["check"]).output();
    assert_eq!(out.code, 1, "{}", out.stdout);
    for problem in [
        "event 3 of figure 1 starts from submitted, but the figure was approved",
        "event 4 of figure 2 changes void to submitted, which is not an allowed change",
        "event 5 names figure 99, which does not exist",
        "figure 1 was revised by figure 4 while approved",
    ] {
        assert!(out.stdout.contains(problem), "{problem}:\n{}", out.stdout);
    }
}

/// Eight processes approve, return, reopen and revise the same windows at once, over
/// several rounds: each transition reads the state once it holds the write lock, so a
/// refused one is refused with a message (never a crash or a busy error), every
/// accepted one is one event in order, no revision slips into an approved window, and
/// `check` passes after every round.
#[test]
fn concurrent_reviewers_and_writers_end_in_one_consistent_state() {
    const ROUNDS: usize = 3;
    let ontrack = Ontrack::init();
    for code in ["new-roads", "projects-topped-out"] {
        ontrack.run(["record", code, "2020Q2", "5"]).env("ONTRACK_NOW", "").success();
    }
    let ontrack_bin = env!("CARGO_BIN_EXE_ontrack");
    let mut accepted = 0usize;
    for round in 0..ROUNDS {
        let standing = figures(&ontrack, &[]);
        let children: Vec<_> = (0..8)
            .map(|i| {
                let code = if i % 2 == 0 { "new-roads" } else { "projects-topped-out" };
                let id = standing.iter().find(|r| r["target"] == code).unwrap()["id"].as_i64().unwrap().to_string();
                let value = (100 + round * 8 + i).to_string();
                let args: Vec<String> = match i / 2 {
                    0 => vec!["review".into(), "approve".into(), id],
                    1 => vec!["review".into(), "return".into(), id, "--reason".into(), format!("r{round}-{i}")],
                    2 => vec!["review".into(), "reopen".into(), id, "--reason".into(), format!("o{round}-{i}")],
                    _ => vec![
                        "record".into(),
                        code.into(),
                        "2020Q2".into(),
                        value,
                        "--revise".into(),
                        "--reason".into(),
                        format!("v{round}-{i}"),
                    ],
                };
                std::process::Command::new(ontrack_bin)
                    .args(["--lang", "en"])
                    .args(&args)
                    .env("ONTRACK_DB", &ontrack.db)
                    .env_remove("ONTRACK_NOW")
                    .env("USER", format!("p{i}"))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("panicked") && !stderr.contains("busy"), "round {round}: {stderr}");
            if out.status.success() {
                accepted += 1;
            } else {
                assert_eq!(out.status.code(), Some(1), "{stderr}");
                assert!(stderr.contains("nothing was"), "a refusal says nothing changed: {stderr}");
            }
        }
        let check = ontrack.run_en(["check"]).output();
        assert_eq!(check.code, 0, "round {round}: check failed:\n{}", check.stdout);
        // Unlock for the next round where a window ended approved, so revisions go on.
        for row in figures(&ontrack, &["--state", "approved"]) {
            let id = row["id"].as_i64().unwrap().to_string();
            ontrack.run(["review", "reopen", &id, "--reason", "下一轮"]).env("ONTRACK_NOW", "").success();
        }
    }
    // Nothing lost: every accepted transition is an event, every accepted revision a figure.
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let count = |sql: &str| -> usize { conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize };
    let events = count("SELECT count(*) FROM figure_events WHERE reason IS NULL OR reason NOT LIKE '下一轮'");
    let revisions = count("SELECT count(*) FROM actuals WHERE revises IS NOT NULL");
    assert_eq!(
        events + revisions,
        accepted,
        "{events} events and {revisions} revisions for {accepted} accepted commands"
    );
    assert!(accepted >= ROUNDS * 2, "some of each round went through");
}
