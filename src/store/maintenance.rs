//! Keeping the file sound: integrity checks (SQLite's and ontrack's own invariants)
//! and online backups through SQLite's backup API.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{create_private_file, Result, Store};
use crate::error::StoreError;
use crate::lang::Text;
use crate::period::Period;
use crate::time::parse_timestamp;

/// One check and what it found; an empty `problems` means it passed.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub name: &'static str,
    /// What the check checks, in both languages.
    pub description: Text,
    pub problems: Vec<Text>,
}

/// Checks that return the rows that break an invariant, one row per problem with its
/// text in English and in Chinese: name, what it checks in Chinese and in English, query.
const INVARIANT_QUERIES: &[(&str, &str, &str, &str)] = &[
    (
        "actual-targets",
        "每条数据都属于存在的指标",
        "every figure belongs to a target that exists",
        "SELECT 'figure ' || a.id || ' names target row ' || a.target_id || ', which does not exist',
                '数据 ' || a.id || ' 指向的指标行 ' || a.target_id || ' 不存在'
         FROM actuals a LEFT JOIN targets t ON t.id = a.target_id WHERE t.id IS NULL",
    ),
    (
        "revision-chains",
        "每个修订都修订同一指标、同一期间的数据，且每条数据至多修订一次",
        "every revision revises a figure of the same target and window, and each figure is revised at most once",
        "SELECT 'figure ' || a.id || ' revises figure ' || a.revises || ', ' ||
                CASE WHEN r.id IS NULL THEN 'which does not exist'
                     ELSE 'which is for another target or window' END,
                '数据 ' || a.id || ' 修订的数据 ' || a.revises ||
                CASE WHEN r.id IS NULL THEN ' 不存在'
                     ELSE ' 属于其他指标或统计期' END
         FROM actuals a LEFT JOIN actuals r ON r.id = a.revises
         WHERE a.revises IS NOT NULL AND (r.id IS NULL OR r.target_id <> a.target_id OR r.period_end <> a.period_end)
         UNION ALL
         SELECT 'figure ' || revises || ' is revised ' || count(*) || ' times',
                '数据 ' || revises || ' 被修订了 ' || count(*) || ' 次'
         FROM actuals WHERE revises IS NOT NULL GROUP BY revises HAVING count(*) > 1",
    ),
    (
        "one-original",
        "每个指标每期恰有一条原始数据，修订均在其后",
        "each target and window has exactly one original figure, and revisions come after it",
        "SELECT 'target row ' || target_id || ', window ' || period_end || ' has ' || count(*) || ' original figures',
                '指标行 ' || target_id || ' 的统计期 ' || period_end || ' 有 ' || count(*) || ' 条原始数据'
         FROM actuals WHERE revises IS NULL GROUP BY target_id, period_end HAVING count(*) > 1
         UNION ALL
         SELECT 'figure ' || a.id || ' is a revision recorded before the figure it revises',
                '数据 ' || a.id || ' 是修订，但记录时间早于其所修订的数据'
         FROM actuals a JOIN actuals r ON r.id = a.revises WHERE a.recorded_at < r.recorded_at OR a.id < r.id",
    ),
    (
        "review-events",
        "审核记录只属于存在的数据，且依次衔接：每条记录的原状态即前一记录的新状态（首条为已报送），只有允许的变更（已审核须经重新打开才能再次审核），已作废的数据不再变更，已审核的数据未被修订",
        "review events belong to figures that exist and follow each other: each one's from-state is the previous \
         one's to-state (submitted for the first), only allowed changes (no figure approved twice without a reopen \
         between), nothing after void, and no approved figure was revised",
        "SELECT 'event ' || e.id || ' names figure ' || e.actual_id || ', which does not exist',
                '审核记录 ' || e.id || ' 指向的数据 ' || e.actual_id || ' 不存在'
         FROM figure_events e LEFT JOIN actuals a ON a.id = e.actual_id WHERE a.id IS NULL
         UNION ALL
         SELECT 'event ' || e.id || ' of figure ' || e.actual_id || ' starts from ' || e.from_state ||
                ', but the figure was ' || coalesce(p.to_state, 'submitted'),
                '数据 ' || e.actual_id || ' 的审核记录 ' || e.id || ' 的原状态为 ' || e.from_state ||
                '，但该数据当时为 ' || coalesce(p.to_state, 'submitted')
         FROM figure_events e
         LEFT JOIN figure_events p ON p.id = (SELECT max(id) FROM figure_events q WHERE q.actual_id = e.actual_id AND q.id < e.id)
         WHERE e.from_state <> coalesce(p.to_state, 'submitted')
         UNION ALL
         SELECT 'event ' || e.id || ' of figure ' || e.actual_id || ' changes ' || e.from_state || ' to ' ||
                e.to_state || ', which is not an allowed change',
                '数据 ' || e.actual_id || ' 的审核记录 ' || e.id || ' 由 ' || e.from_state || ' 变为 ' || e.to_state ||
                '，不是允许的变更'
         FROM figure_events e
         WHERE (e.from_state, e.to_state) NOT IN (VALUES ('submitted', 'approved'), ('submitted', 'returned'),
                ('approved', 'submitted'), ('submitted', 'void'), ('returned', 'void'))
         UNION ALL
         SELECT 'figure ' || f.id || ' was revised by figure ' || r.id || ' while approved',
                '数据 ' || f.id || ' 在已审核（锁定）状态下被数据 ' || r.id || ' 修订'
         FROM actuals r JOIN actuals f ON f.id = r.revises
         WHERE (SELECT to_state FROM figure_events e WHERE e.actual_id = f.id ORDER BY e.id DESC LIMIT 1) = 'approved'",
    ),
    (
        "related-targets",
        "每个 relative 类指标所跟随的指标都在本计划中",
        "every relative target names a target of its own plan",
        "SELECT 'target ' || t.plan_id || '/' || t.code || ' follows ' || t.related || ', which is not in its plan',
                '指标 ' || t.plan_id || '/' || t.code || ' 跟随的 ' || t.related || ' 不在其计划中'
         FROM targets t WHERE t.related IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM targets r WHERE r.plan_id = t.plan_id AND r.code = t.related)",
    ),
    (
        "adjustment-chains",
        "每个指标的目标调整前后衔接（调整前数值、生效时间）",
        "each target's adjustments follow one another (value before, moment in force)",
        "SELECT 'adjustment ' || id || ' of target row ' || target_id || ' does not follow the one before it (' ||
                CASE WHEN value_before <> coalesce(previous_after, loaded) THEN 'value before ' || value_before ||
                          ', expected ' || coalesce(previous_after, loaded)
                     WHEN effective_at < previous_effective THEN 'in force before the previous adjustment'
                     ELSE 'in force after it was recorded' END || ')',
                '目标调整 ' || id || '（指标行 ' || target_id || '）与前一次调整不衔接（' ||
                CASE WHEN value_before <> coalesce(previous_after, loaded) THEN '调整前数值 ' || value_before ||
                          '，应为 ' || coalesce(previous_after, loaded)
                     WHEN effective_at < previous_effective THEN '生效时间早于前一次调整'
                     ELSE '生效时间晚于记录时间' END || '）'
         FROM (SELECT a.id, a.target_id, a.value_before, a.effective_at, a.recorded_at, t.value AS loaded,
                      lag(a.value_after) OVER w AS previous_after, lag(a.effective_at) OVER w AS previous_effective
               FROM target_adjustments a JOIN targets t ON t.id = a.target_id
               WINDOW w AS (PARTITION BY a.target_id ORDER BY a.id))
         WHERE value_before <> coalesce(previous_after, loaded) OR effective_at < previous_effective
            OR effective_at > recorded_at",
    ),
    (
        // NULL before and after is an adjustment that left the strive bar alone (those
        // recorded before migration 7, or of a target without one): only a recorded
        // bar is held to the one in force before it.
        "adjustment-strive-chains",
        "每个指标的力争目标调整前后衔接",
        "each target's adjustments of its strive bar follow one another",
        "SELECT 'adjustment ' || id || ' of target row ' || target_id || ' moves the strive bar from ' ||
                strive_before || ', but ' || coalesce(expected, 'none') || ' stood before it',
                '目标调整 ' || id || '（指标行 ' || target_id || '）的力争目标调整前为 ' || strive_before ||
                '，但此前为 ' || coalesce(expected, '无')
         FROM (SELECT a.id, a.target_id, a.strive_before,
                      coalesce((SELECT p.strive_after FROM target_adjustments p
                                WHERE p.target_id = a.target_id AND p.id < a.id AND p.strive_after IS NOT NULL
                                ORDER BY p.id DESC LIMIT 1), t.strive) AS expected
               FROM target_adjustments a JOIN targets t ON t.id = a.target_id)
         WHERE strive_before IS NOT NULL AND strive_before IS NOT expected",
    ),
    (
        // docs/bundle.md: a bundled plan's rows are the snapshot of its newest bundle.
        "bundle-snapshots",
        "每个由数据包载入的计划都依据其来源数据库最新导出的数据包",
        "every plan loaded from bundles stands on the newest bundle of it from its own database",
        "SELECT 'plan ' || p.plan_id || ' stands on bundle ' || p.bundle_id || ', ' ||
                CASE WHEN b.id IS NULL THEN 'which is not kept'
                     WHEN b.plan_id <> p.plan_id THEN 'which is of plan ' || b.plan_id
                     WHEN b.source_database <> p.source_database THEN 'which comes from another database'
                     ELSE 'but a newer bundle of it is kept' END,
                '计划 ' || p.plan_id || ' 依据数据包 ' || p.bundle_id || '，' ||
                CASE WHEN b.id IS NULL THEN '但该数据包不存在'
                     WHEN b.plan_id <> p.plan_id THEN '但该数据包属于计划 ' || b.plan_id
                     WHEN b.source_database <> p.source_database THEN '但该数据包来自其他数据库'
                     ELSE '但已有更新的数据包' END
         FROM bundled_plans p LEFT JOIN bundles b ON b.id = p.bundle_id
         WHERE b.id IS NULL OR b.plan_id <> p.plan_id OR b.source_database <> p.source_database
            OR EXISTS (SELECT 1 FROM bundles n WHERE n.plan_id = p.plan_id AND n.exported_at > b.exported_at)",
    ),
    (
        // `user disable` ends the account's sessions in its own transaction, and the
        // desk ends any session whose account it finds disabled: one left over was
        // written past both.
        "sessions-of-enabled-accounts",
        "已停用的账户没有会话",
        "a disabled account has no session",
        "SELECT 'account ' || u.name || ' is disabled but has a session started ' || s.created_at,
                '账户 ' || u.name || ' 已停用，但仍有会话（' || s.created_at || ' 开始）'
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.disabled_at IS NOT NULL",
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
            description: Text::new(
                "SQLite 完整性检查：页、索引和约束均完好",
                "SQLite's integrity check: pages, indexes and constraints are sound",
            ),
            problems: self.integrity_problems(),
        });
        let foreign = (|| -> Result<Vec<Text>> {
            let mut statement = self.conn.prepare("PRAGMA foreign_key_check")?;
            let rows = statement.query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid = r.get::<_, Option<i64>>(1)?.unwrap_or_default();
                let parent: String = r.get(2)?;
                Ok(Text::new(
                    format!("{table} 表第 {rowid} 行引用的 {parent} 行不存在"),
                    format!("{table} row {rowid} refers to a missing {parent} row"),
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })();
        results.push(CheckResult {
            name: "foreign-keys",
            description: Text::new(
                "表间的每个引用都指向存在的行",
                "every reference between tables points at an existing row",
            ),
            problems: or_unreadable(foreign),
        });
        for (name, zh, en, sql) in INVARIANT_QUERIES {
            results.push(CheckResult {
                name,
                description: Text::new(*zh, *en),
                problems: or_unreadable(query_texts(&self.conn, sql)),
            });
        }
        results.push(CheckResult {
            name: "figure-fields",
            description: Text::new(
                "每条数据的期别可读且与其统计期一致，数值有限，时间有效",
                "every figure has a readable period matching its window, a finite value and a valid time",
            ),
            problems: or_unreadable(self.figure_field_problems()),
        });
        results.push(CheckResult {
            name: "bundle-files",
            description: Text::new(
                "保留的每个数据包完好：内容与校验和一致，且与其登记的计划、来源数据库和导出时间相符",
                "every bundle kept is whole: its content matches its checksum and the plan, source database and \
                 export moment it is listed with",
            ),
            problems: or_unreadable(self.bundle_file_problems()),
        });
        Ok(results)
    }

    /// Each kept bundle read again as `bundle import` reads a file (docs/bundle.md).
    fn bundle_file_problems(&self) -> Result<Vec<Text>> {
        let mut statement = self.conn.prepare(
            "SELECT id, plan_id, source_database, exported_at, checksum, file_name, bytes FROM bundles ORDER BY id",
        )?;
        let mut rows = statement.query([])?;
        let mut problems = Vec::new();
        while let Some(row) = rows.next()? {
            let (id, plan, source, exported_at, checksum, file): (i64, String, String, String, String, String) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?);
            let bytes = row.get_ref(6)?.as_blob().map_err(rusqlite::Error::from)?;
            match crate::bundle::read_bundle(bytes, &file) {
                Err(error) => problems.push(Text::new(
                    format!("数据包 {id}：{}", crate::lang::Localize::localize(&error, crate::lang::Lang::Zh)),
                    format!("bundle {id}: {error}"),
                )),
                Ok(bundle) => {
                    let content = &bundle.content;
                    let listed = bundle.checksum == checksum
                        && content.plan_id == plan
                        && content.source_database == source
                        && crate::bundle::moment_text(&content.exported_at) == exported_at;
                    if !listed {
                        problems.push(Text::new(
                            format!("数据包 {id}（{file}）的内容与其登记的校验和、计划、来源数据库或导出时间不符"),
                            format!(
                                "bundle {id} ({file}) is not what it is listed as (checksum, plan, source database or \
                                 export moment)"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(problems)
    }

    /// `PRAGMA integrity_check`'s findings (SQLite's own words, in English only); if
    /// SQLite stops part-way (a page it cannot read), what it found so far and why it
    /// stopped.
    fn integrity_problems(&self) -> Vec<Text> {
        let mut problems = Vec::new();
        let run = (|| -> rusqlite::Result<()> {
            let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let line: String = row.get(0)?;
                if line != "ok" {
                    problems.push(Text::new(line.clone(), line));
                }
            }
            Ok(())
        })();
        if let Err(error) = run {
            problems.push(unreadable(&error.to_string()));
        }
        problems
    }

    fn figure_field_problems(&self) -> Result<Vec<Text>> {
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
                Ok(_) => problems.push(Text::new(
                    format!("数据 {id}：期别 {period} 不在统计期 {period_end} 结束"),
                    format!("figure {id}: period {period} does not end in window {period_end}"),
                )),
                Err(_) => problems.push(Text::new(
                    format!("数据 {id}：期别 {period:?} 无法识别"),
                    format!("figure {id}: period {period:?} cannot be read"),
                )),
            }
            if !value.is_finite() {
                problems.push(Text::new(
                    format!("数据 {id}：数值 {value} 不是有限数"),
                    format!("figure {id}: value {value} is not finite"),
                ));
            }
            if parse_timestamp(&recorded_at).is_none() {
                problems.push(Text::new(
                    format!("数据 {id}：记录时间 {recorded_at:?} 不是有效时间"),
                    format!("figure {id}: recorded_at {recorded_at:?} is not a time"),
                ));
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
fn or_unreadable(result: Result<Vec<Text>>) -> Vec<Text> {
    result.unwrap_or_else(|error| vec![unreadable(&error.to_string())])
}

/// The problem text for a check SQLite could not run (the file is damaged).
pub fn unreadable(error: &str) -> Text {
    Text::new(
        format!("SQLite 无法读取文件的这一部分（{error}）"),
        format!("SQLite cannot read this part of the file ({error})"),
    )
}

/// The problems a check's query finds: each row its text in English, then in Chinese.
fn query_texts(conn: &Connection, sql: &str) -> Result<Vec<Text>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |r| Ok(Text::new(r.get::<_, String>(1)?, r.get::<_, String>(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
