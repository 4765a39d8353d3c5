//! `ontrack backup FILE`: an online, consistent copy via SQLite's backup API.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::Context;

pub fn run(context: &Context, file: &Path) -> Result<()> {
    let store = context.open_read()?;
    store.backup_to(file).with_context(|| format!("cannot back up {} to {}", context.db.display(), file.display()))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "backed up {} to {} ({size} bytes, integrity checked). To restore, use it as --db or copy it in place of \
         the database while no one is using it",
        context.db.display(),
        file.display()
    );
    Ok(())
}
