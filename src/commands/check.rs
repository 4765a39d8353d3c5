//! `ontrack check`: is the database sound? Exit 1 when any check finds a problem.

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::error::StoreError;
use crate::lang::Text;
use crate::output::{csv_bytes, json_bytes, table, write_output, ListFormat};
use crate::present;
use crate::store::{unreadable, CheckResult};

#[derive(Serialize)]
struct CheckRow<'a> {
    check: &'a str,
    description: &'a str,
    ok: bool,
    problems: String,
}

/// Whether opening failed because the file is damaged (SQLite: corrupt, or not a
/// database although its header says SQLite), not because it is missing or not ours.
fn is_damage(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| match cause.downcast_ref::<StoreError>() {
        Some(StoreError::Sqlite(inner)) => crate::error::is_damage(inner),
        _ => false,
    })
}

pub fn run(context: &Context, format: ListFormat) -> Result<()> {
    // A file SQLite cannot even open as a database (a damaged first page) is reported
    // in the table like any other failed check, with the same advice.
    let results = match context.open_read() {
        Ok(store) => store.check()?,
        Err(error) if is_damage(&error) => vec![CheckResult {
            name: "integrity",
            description: Text::new(
                "SQLite 完整性检查：页、索引和约束均完好",
                "SQLite's integrity check: pages, indexes and constraints are sound",
            ),
            problems: vec![unreadable(&error.to_string())],
        }],
        Err(error) => return Err(error),
    };
    let rows: Vec<CheckRow> = results
        .iter()
        .map(|r| CheckRow {
            check: r.name,
            description: r.description.get(context.lang),
            ok: r.problems.is_empty(),
            problems: r
                .problems
                .iter()
                .map(|p| p.get(context.lang))
                .collect::<Vec<_>>()
                .join(context.lang.pick("；", "; ")),
        })
        .collect();
    let bytes = match format {
        ListFormat::Json => json_bytes(&rows),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table => {
            let headers = present::commands::check_headers(context.lang);
            let cells = rows.iter().map(|r| {
                let result =
                    if r.ok { present::commands::check_passed(context.lang).to_string() } else { r.problems.clone() };
                vec![r.check.to_string(), r.description.to_string(), result]
            });
            format!("{}\n", table(&headers, cells)).into_bytes()
        }
    };
    write_output(&bytes, None)?;
    let failed: Vec<&str> = rows.iter().filter(|r| !r.ok).map(|r| r.check).collect();
    if !failed.is_empty() {
        let (db, n) = (context.db.display(), failed.len());
        if failed.contains(&"integrity") {
            bail!(context.lang.choose(
                format!(
                    "{db} 已损坏（{n} 项检查未通过：{}），SQLite 发现文件不完好。请先停止向它录入，复制一份留存，再用最近的备份文件（`ontrack backup` 生成的文件）替换它，然后补录备份之后的数据",
                    failed.join("、")
                ),
                format!(
                    "{db} is damaged ({n} check(s) failed: {}): SQLite finds it unsound. Stop logging to it, keep a copy, replace it with your latest backup (a file `ontrack backup` wrote), then log again what came after that backup",
                    failed.join(", ")
                )
            ));
        }
        bail!(context.lang.choose(
            format!("{db} 有 {n} 项检查未通过：{}。请从备份（`ontrack backup`）恢复，并报告该问题", failed.join("、")),
            format!(
                "{db} failed {n} check(s): {}. Restore from a backup (`ontrack backup`) and report the problem",
                failed.join(", ")
            )
        ));
    }
    Ok(())
}
