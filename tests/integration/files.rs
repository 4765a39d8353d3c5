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
