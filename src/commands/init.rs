//! `ontrack init`: create the database; load the built-in plan unless told otherwise.

use anyhow::Result;

use super::Context;
use crate::cli::InitArgs;
use crate::plan::{file::parse_plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};
use crate::store::Store;

pub fn run(context: &Context, args: InitArgs) -> Result<()> {
    // Parse the plan before creating anything, so a bad plan file leaves no database.
    let plan = match (&args.plan, args.empty) {
        (_, true) => None,
        (Some(file), false) => Some(super::plan::read_plan_file(file, context.lang)?),
        (None, false) => Some(parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME)?),
    };
    let mut store = Store::create(&context.db, args.force, context.busy_timeout)?;
    super::note_without_wal(&store, context.lang);
    let db = context.db.display();
    let message = match &plan {
        Some(plan) => {
            if let Err(error) = store.insert_plan(plan, context.now) {
                drop(store);
                remove_new_database(&context.db);
                return Err(error.into());
            }
            let n = plan.targets.len();
            context.lang.choose(
                format!("已创建数据库 {db}，并载入计划 {}（{} {} 年，{n} 项指标）", plan.id, plan.org, plan.year),
                format!("created {db}, plan {} ({} {}, {n} targets)", plan.id, plan.org, plan.year),
            )
        }
        None => context.lang.choose(format!("已创建数据库 {db}（未载入计划）"), format!("created {db}")),
    };
    eprintln!("{message}");
    Ok(())
}

/// A database that `init` created but could not fill is removed again, so a failed
/// init leaves nothing behind.
fn remove_new_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}
