//! `ontrack init`: create the database; load the built-in plan unless told otherwise.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};

use super::Context;
use crate::cli::InitArgs;
use crate::escape;
use crate::lang::Lang;
use crate::plan::{file::parse_plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};
use crate::present;
use crate::store::Store;

pub fn run(context: &Context, args: InitArgs) -> Result<()> {
    // Parse the plan before creating anything, so a bad plan file leaves no database.
    let plan = match (&args.plan, args.empty) {
        (_, true) => None,
        (Some(file), false) => Some(super::plan::read_plan_file(file, context.lang)?),
        (None, false) => Some(parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME)?),
    };
    let replaced = if args.force && context.db.symlink_metadata().is_ok() { Some(back_up(context)?) } else { None };
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
            present::commands::database_created(&db.to_string(), Some(plan), context.lang)
        }
        None => present::commands::database_created(&db.to_string(), None, context.lang),
    };
    if let Some(note) = replaced {
        eprintln!("{note}");
    }
    eprintln!("{message}");
    Ok(())
}

/// Before `init --force` replaces a database: it must be an ontrack database (a file
/// that is not ours is refused, as `Store::open` refuses it), and what it holds is
/// copied with the backup API to a new file beside it. Returns the line that says
/// what was replaced and where the copy is.
fn back_up(context: &Context) -> Result<String> {
    let store = context.open()?;
    let (plans, figures) = store.contents_count()?;
    let db = escape::terminal(&context.db.display().to_string());
    if plans == 0 && figures == 0 {
        return Ok(context.lang.pick("替换了空数据库 {db}", "replacing the empty database {db}").replace("{db}", &db));
    }
    let backup = backup_path(&context.db, context.now);
    store.backup_to(&backup).with_context(|| match context.lang {
        Lang::Zh => format!("未能备份 {db}，未做任何改动"),
        Lang::En => format!("cannot back up {db}, so it was not replaced; nothing was changed"),
    })?;
    let shown = escape::terminal(&backup.display().to_string());
    Ok(match context.lang {
        Lang::Zh => format!("替换 {db}：其中有 {plans} 个计划、{figures} 条数据，已先备份到 {shown}"),
        Lang::En => format!(
            "replacing {db}, which held {plans} plan{} and {figures} figure{}: backed up first to {shown}",
            if plans == 1 { "" } else { "s" },
            if figures == 1 { "" } else { "s" }
        ),
    })
}

/// A new file name beside the database: `ontrack.db` → `ontrack-before-init-20210331-080000.db`,
/// with `-2`, `-3` … added if that name is taken (the backup itself refuses an existing file).
fn backup_path(db: &Path, now: DateTime<Utc>) -> PathBuf {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "ontrack".to_string());
    let extension = db.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let base = format!("{stem}-before-init-{}", now.format("%Y%m%d-%H%M%S"));
    (1..)
        .map(|n| if n == 1 { format!("{base}{extension}") } else { format!("{base}-{n}{extension}") })
        .map(|name| db.with_file_name(name))
        .find(|path| path.symlink_metadata().is_err())
        .expect("some number is free")
}

/// A database that `init` created but could not fill is removed again, so a failed
/// init leaves nothing behind.
fn remove_new_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}
