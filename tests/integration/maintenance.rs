//! `ontrack check` and `ontrack backup`.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use ontrack::actual::NewActual;
use ontrack::period::Period;
use ontrack::store::Store;

use crate::support::{dump, Ontrack};

fn figure(target: &str, period: &str, value: f64, reason: Option<&str>) -> NewActual {
    NewActual {
        target: target.to_string(),
        period: period.parse::<Period>().unwrap(),
        value,
        source: Some("区统计局".to_string()),
        recorded_by: "tester".to_string(),
        note: None,
        revision_reason: reason.map(str::to_string),
    }
}

fn log_some_figures(ontrack: &Ontrack) {
    let mut store = Store::open(&ontrack.db, Duration::from_secs(5)).unwrap();
    let now = Utc.with_ymd_and_hms(2020, 10, 20, 9, 0, 0).unwrap();
    store
        .insert_actuals(
            "jinshui-2020",
            &[figure("gdp-growth", "2020Q1", -5.2, None), figure("new-roads", "2020Q2", 40.0, None)],
            now,
        )
        .unwrap();
    store.insert_actuals("jinshui-2020", &[figure("gdp-growth", "2020Q1", -4.9, Some("最终核实"))], now).unwrap();
}

#[test]
fn a_sound_database_passes_every_check() {
    let ontrack = Ontrack::init();
    log_some_figures(&ontrack);
    let out = ontrack.run(["check", "--format", "json"]).success();
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let names: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["check"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "integrity",
            "foreign-keys",
            "actual-targets",
            "revision-chains",
            "one-original",
            "review-events",
            "related-targets",
            "adjustment-chains",
            "adjustment-strive-chains",
            "bundle-snapshots",
            "sessions-of-enabled-accounts",
            "figure-fields",
            "bundle-files"
        ]
    );
    assert!(rows.as_array().unwrap().iter().all(|r| r["ok"] == true), "{}", out.stdout);
}

#[test]
fn check_finds_a_broken_revision_chain_and_a_bad_period() {
    let ontrack = Ontrack::init();
    log_some_figures(&ontrack);
    // Damage the file the way another program could: drop our guards, then write.
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER actuals_revision_same_window;
         INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at, revises, reason)
         SELECT t.id, 202009, '2020Q3', 1, 'x', '2020-10-21T00:00:00.000000Z', 2, 'bad link'
         FROM targets t WHERE t.code = 'new-roads';
         INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at)
         SELECT t.id, 202012, 'someday', 1, 'x', 'yesterday' FROM targets t WHERE t.code = 'new-roads';",
    )
    .unwrap();
    drop(conn);
    let out = ontrack.run_en(["check"]).fails(1, "failed 2 check(s): revision-chains, figure-fields");
    assert!(out.stdout.contains("which is for another target or window"), "{}", out.stdout);
    assert!(out.stdout.contains("period \"someday\" cannot be read"), "{}", out.stdout);
    // The same findings in Chinese, the default.
    let out = ontrack.run(["check"]).fails(1, "有 2 项检查未通过：revision-chains、figure-fields");
    assert!(out.stdout.contains("属于其他指标或统计期"), "{}", out.stdout);
    assert!(out.stdout.contains("期别 \"someday\" 无法识别"), "{}", out.stdout);
}

#[test]
fn a_backup_holds_every_figure_and_restores() {
    let ontrack = Ontrack::init();
    log_some_figures(&ontrack);
    let backup = ontrack.path("backup.db");
    ontrack.run(["backup", backup.to_str().unwrap()]).success();
    assert_eq!(dump(&ontrack.db), dump(&backup));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Restore: the backup is a database ontrack opens as it is.
    let restored = ontrack.path("restored.db");
    std::fs::copy(&backup, &restored).unwrap();
    ontrack.run(["--db", restored.to_str().unwrap(), "check"]).success();
    assert_eq!(dump(&ontrack.db), dump(&restored));

    let before = std::fs::read(&backup).unwrap();
    ontrack.run_en(["backup", backup.to_str().unwrap()]).fails(1, "already exists; nothing was written");
    assert_eq!(before, std::fs::read(&backup).unwrap());
}

#[test]
fn a_backup_taken_while_another_process_writes_is_consistent() {
    let ontrack = Ontrack::init();
    let db = ontrack.db.clone();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open(&db, Duration::from_secs(30)).unwrap();
        let now = Utc.with_ymd_and_hms(2020, 12, 31, 9, 0, 0).unwrap();
        for month in 1..=12u8 {
            let label = format!("2020-{month:02}");
            store.insert_actuals("jinshui-2020", &[figure("budget-revenue-growth", &label, 1.0, None)], now).unwrap();
        }
    });
    let mut backups = Vec::new();
    for i in 0..6 {
        let backup = ontrack.path(&format!("b{i}.db"));
        ontrack.run(["backup", backup.to_str().unwrap()]).success();
        backups.push(backup);
    }
    writer.join().unwrap();
    let final_dump = dump(&ontrack.db);
    for backup in backups {
        ontrack.run(["--db", backup.to_str().unwrap(), "check"]).success();
        // Every row in a backup is in the final database: a snapshot, never a torn copy.
        for line in dump(&backup).lines() {
            assert!(final_dump.contains(line), "backup {} has a row the database never had: {line}", backup.display());
        }
    }
}

/// A database made by the previous release (schema version 1, `tests/fixtures/schema-v1.sql`
/// as of commit 67c7033) is upgraded in place on open: its figures stay as they were,
/// unmarked, and figures logged from then on under `ONTRACK_NOW` are marked as such;
/// its plan gets the default deadline and takes adjustments (migration 4).
#[test]
fn a_database_of_the_previous_release_is_upgraded_and_set_clock_figures_are_marked() {
    let ontrack = Ontrack::new();
    {
        let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
        conn.execute_batch(include_str!("../fixtures/schema-v1.sql")).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1330533458; PRAGMA user_version = 1;
             INSERT INTO plans (id, org, year, loaded_at, load_seq)
                 VALUES ('old-2020', '旧区', 2020, '2020-01-05T00:00:00.000000Z', 1);
             INSERT INTO sections (plan_id, id, position, title) VALUES ('old-2020', 'main', 0, '主要预期目标');
             INSERT INTO targets (plan_id, code, position, section_id, name, kind, measure, cmp, value, unit,
                                  frequency, quote)
                 VALUES ('old-2020', 'roads', 0, 'main', '新建道路', 'count', 'ytd', 'reach', 92, '条', 'quarter',
                         '新建道路92条');
             INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at)
                 VALUES (1, 202006, '2020Q2', 40, '老版本', '2020-07-10T02:00:00.000000Z');",
        )
        .unwrap();
    }
    let history = |ontrack: &Ontrack| -> Vec<serde_json::Value> {
        let out = ontrack.run(["history", "roads", "--format", "json"]).success();
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().clone()
    };
    let rows = history(&ontrack);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["value"].as_f64(), rows[0]["by"].as_str()), (Some(40.0), Some("老版本")));
    assert_eq!(rows[0]["recorded_at"], "2020-07-10T02:00:00.000000Z");
    assert_eq!(rows[0]["set_clock"], false, "nothing said which clock stamped an old figure");
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, ontrack::store::SCHEMA_VERSION, "upgraded in place");
    // Migration 4: the old plan has the default deadline, and its figure is judged by it
    // (Q2's figure of 10 July 10:00 Beijing is within ten days of 30 June).
    let days: i64 = conn.query_row("SELECT days_after_period FROM plans", [], |r| r.get(0)).unwrap();
    assert_eq!(days, 10);
    assert_eq!(rows[0]["late"], false);
    let zone: String = conn.query_row("SELECT timezone FROM plans WHERE id = 'old-2020'", [], |r| r.get(0)).unwrap();
    assert_eq!(zone, "Asia/Shanghai", "a plan loaded before time zones is Beijing's, as reports then assumed");
    // Migration 6: the old target has neither a strive bar nor a change in points, and
    // exports as it was written.
    let (strive, change): (Option<f64>, Option<f64>) = conn
        .query_row("SELECT strive, change FROM targets WHERE code = 'roads'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((strive, change), (None, None));
    drop(conn);
    let exported = ontrack.run(["plan", "export", "old-2020"]).success().stdout;
    assert!(
        exported.contains("value = 92\n") && !exported.contains("strive") && !exported.contains("change"),
        "{exported}"
    );
    let status = ontrack.run(["status", "--format", "json"]).success().stdout;
    let rows: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(
        (rows[0]["strive"].clone(), rows[0]["strive_met"].clone()),
        (serde_json::Value::Null, serde_json::Value::Null)
    );

    // ONTRACK_NOW (the test clock) stamps the next figure, and marks it.
    ontrack.run(["record", "roads", "2020Q3", "60"]).success();
    let rows = history(&ontrack);
    assert_eq!(rows[1]["set_clock"], true);
    assert_eq!(rows[1]["recorded_at"], "2021-03-31T08:00:00.000000Z");
    let table = ontrack.run(["--lang", "en", "history", "roads"]).success();
    assert!(table.stdout.contains("(set clock)"), "{}", table.stdout);
    // The computer's clock does not mark.
    ontrack.run(["record", "roads", "2020Q4", "80"]).env("ONTRACK_NOW", "").success();
    assert_eq!(history(&ontrack)[2]["set_clock"], false);
    // An upgraded plan's targets can be adjusted.
    ontrack.run(["plan", "adjust", "roads", "--value", "80", "--reason", "调整"]).env("ONTRACK_NOW", "").success();
    let status = ontrack.run(["status", "--format", "json"]).env("ONTRACK_NOW", "").success().stdout;
    assert!(status.contains("\"target\": 80.0"), "{status}");
    ontrack.run(["check"]).success();
}
