//! `ontrack check`: is the database sound? Exit 1 when any check finds a problem.

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::output::{csv_bytes, json_bytes, table, write_output, ListFormat};

#[derive(Serialize)]
struct CheckRow<'a> {
    check: &'a str,
    description: &'a str,
    ok: bool,
    problems: String,
}

pub fn run(context: &Context, format: ListFormat) -> Result<()> {
    let store = context.open()?;
    let results = store.check()?;
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
            let headers = context.lang.pick_all(&["检查", "内容", "结果"], &["check", "what it checks", "result"]);
            let cells = rows.iter().map(|r| {
                let result = if r.ok { context.lang.pick("通过", "ok").to_string() } else { r.problems.clone() };
                vec![r.check.to_string(), r.description.to_string(), result]
            });
            format!("{}\n", table(&headers, cells)).into_bytes()
        }
    };
    write_output(&bytes, None)?;
    let failed: Vec<&str> = rows.iter().filter(|r| !r.ok).map(|r| r.check).collect();
    if !failed.is_empty() {
        let (db, n) = (context.db.display(), failed.len());
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
