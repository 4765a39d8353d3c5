//! Keeping the file sound: integrity checks (SQLite's and ontrack's own invariants)
//! and online backups through SQLite's backup API.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{create_private_file, parse_timestamp, Result, Store};
use crate::error::StoreError;
use crate::period::Period;

/// One check and what it found; an empty `problems` means it passed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub name: &'static str,
    pub description: &'static str,
    pub problems: Vec<String>,
}

/// Checks that return the rows that break an invariant, one text per row.
const INVARIANT_QUERIES: &[(&str, &str, &str)] = &[
    (
        "actual-targets",
        "every figure belongs to a target that exists",
        "SELECT 'figure ' || a.id || ' names target row ' || a.target_id || ', which does not exist'
         FROM actuals a LEFT JOIN targets t ON t.id = a.target_id WHERE t.id IS NULL",
    ),
    (
        "revision-chains",
        "every revision revises a figure of the same target and window, and each figure is revised at most once",
        "SELECT 'figure ' || a.id || ' revises figure ' || a.revises || ', ' ||
                CASE WHEN r.id IS NULL THEN 'which does not exist'
                     ELSE 'which is for another target or window' END
         FROM actuals a LEFT JOIN actuals r ON r.id = a.revises
         WHERE a.revises IS NOT NULL AND (r.id IS NULL OR r.target_id <> a.target_id OR r.period_end <> a.period_end)
         UNION ALL
         SELECT 'figure ' || revises || ' is revised ' || count(*) || ' times'
         FROM actuals WHERE revises IS NOT NULL GROUP BY revises HAVING count(*) > 1",
    ),
    (
        "one-original",
        "each target and window has exactly one original figure, and revisions come after it",
        "SELECT 'target row ' || target_id || ', window ' || period_end || ' has ' || count(*) || ' original figures'
         FROM actuals WHERE revises IS NULL GROUP BY target_id, period_end HAVING count(*) > 1
         UNION ALL
         SELECT 'figure ' || a.id || ' is a revision recorded before the figure it revises'
         FROM actuals a JOIN actuals r ON r.id = a.revises WHERE a.recorded_at < r.recorded_at OR a.id < r.id",
    ),
    (
        "related-targets",
        "every relative target names a target of its own plan",
        "SELECT 'target ' || t.plan_id || '/' || t.code || ' follows ' || t.related || ', which is not in its plan'
         FROM targets t WHERE t.related IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM targets r WHERE r.plan_id = t.plan_id AND r.code = t.related)",
    ),
];

impl Store {
    /// Runs SQLite's integrity and foreign-key checks and ontrack's own invariants. A
    /// damaged file does not stop the checks: a check SQLite cannot run (a malformed
    /// page) reports that as its problem, and the others still run.
    pub fn check(&self) -> Result<Vec<CheckResult>> {
        let mut results = Vec::new();
        results.push(CheckResult {
            name: "integrity",
            description: "SQLite's integrity check: pages, indexes and constraints are sound",
            problems: self.integrity_problems(),
        });
        let foreign = (|| -> Result<Vec<String>> {
            let mut statement = self.conn.prepare("PRAGMA foreign_key_check")?;
            let rows = statement.query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(format!("{table} row {} refers to a missing {parent} row", rowid.unwrap_or_default()))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })();
        results.push(CheckResult {
            name: "foreign-keys",
            description: "every reference between tables points at an existing row",
            problems: or_unreadable(foreign),
        });
        for (name, description, sql) in INVARIANT_QUERIES {
            results.push(CheckResult { name, description, problems: or_unreadable(query_texts(&self.conn, sql)) });
        }
        results.push(CheckResult {
            name: "figure-fields",
            description: "every figure has a readable period matching its window, a finite value and a valid time",
            problems: or_unreadable(self.figure_field_problems()),
        });
        Ok(results)
    }

    /// `PRAGMA integrity_check`'s findings; if SQLite stops part-way (a page it cannot
    /// read), what it found so far and why it stopped.
    fn integrity_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let run = (|| -> rusqlite::Result<()> {
            let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let line: String = row.get(0)?;
                if line != "ok" {
                    problems.push(line);
                }
            }
            Ok(())
        })();
        if let Err(error) = run {
            problems.push(unreadable(&error.to_string()));
        }
        problems
    }

    fn figure_field_problems(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare("SELECT id, period, period_end, value, recorded_at FROM actuals")?;
        let mut rows = statement.query([])?;
        let mut problems = Vec::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let period: String = row.get(1)?;
            let period_end: i64 = row.get(2)?;
            let value: f64 = row.get(3)?;
            let recorded_at: String = row.get(4)?;
            match period.parse::<Period>() {
                Ok(p) if p.end_key() == period_end => {}
                Ok(_) => problems.push(format!("figure {id}: period {period} does not end in window {period_end}")),
                Err(_) => problems.push(format!("figure {id}: period {period:?} cannot be read")),
            }
            if !value.is_finite() {
                problems.push(format!("figure {id}: value {value} is not finite"));
            }
            if parse_timestamp(&recorded_at).is_none() {
                problems.push(format!("figure {id}: recorded_at {recorded_at:?} is not a time"));
            }
        }
        Ok(problems)
    }

    /// How many plans and figures the database holds (every figure, whatever its plan).
    pub fn contents_count(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row("SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM actuals)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
    }

    /// Copies the whole database to `destination` with SQLite's online backup API: a
    /// consistent snapshot even while others write (WAL lets them go on). The copy is
    /// created readable by its owner only and checked before it is reported done.
    pub fn backup_to(&self, destination: &Path) -> Result<()> {
        if destination.exists() {
            return Err(StoreError::BackupExists { path: destination.display().to_string() });
        }
        create_private_file(destination)?;
        let result = (|| {
            let mut target = Connection::open_with_flags(destination, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            {
                let backup = Backup::new(&self.conn, &mut target)?;
                // All pages in one step (-1): one read snapshot, so the copy is
                // consistent whatever is written meanwhile. Busy or locked means a
                // writer holds a lock for a moment: wait and try again.
                let started = std::time::Instant::now();
                loop {
                    match backup.step(-1)? {
                        StepResult::Done => break,
                        StepResult::More | StepResult::Busy | StepResult::Locked => {
                            if started.elapsed() > self.busy_timeout {
                                return Err(StoreError::Busy { waited_ms: self.busy_timeout.as_millis() as u64 });
                            }
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        _ => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            }
            // A backup is a plain file: no -wal beside it to lose when it is copied on.
            let _: String = target.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            let integrity: String = target.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if integrity != "ok" {
                return Err(StoreError::BackupFailed { path: destination.display().to_string(), why: integrity });
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(destination);
        }
        result
    }
}

/// A check's problems, or the reason SQLite could not run it as its one problem.
fn or_unreadable(result: Result<Vec<String>>) -> Vec<String> {
    result.unwrap_or_else(|error| vec![unreadable(&error.to_string())])
}

/// The problem text for a check SQLite could not run (the file is damaged).
pub fn unreadable(error: &str) -> String {
    format!("SQLite cannot read this part of the file ({error})")
}

fn query_texts(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
