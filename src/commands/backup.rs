//! `ontrack backup FILE`: an online, consistent copy via SQLite's backup API.

use std::path::Path;

use anyhow::{Context as _, Result};

use super::Context;

pub fn run(context: &Context, file: &Path) -> Result<()> {
    let store = context.open_read()?;
    let (db, copy) = (context.db.display(), file.display());
    store.backup_to(file).with_context(|| {
        context.lang.choose(format!("无法将 {db} 备份到 {copy}"), format!("cannot back up {db} to {copy}"))
    })?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "{}",
        context.lang.choose(
            format!(
                "已备份 {db} 至 {copy}（{size} 字节，已通过完整性校验）。恢复时，可用 --db 指定该文件，或在无人使用时\
                 用它替换原数据库文件"
            ),
            format!(
                "backed up {db} to {copy} ({size} bytes, integrity checked). To restore, use it as --db or copy it in \
                 place of the database while no one is using it"
            ),
        )
    );
    Ok(())
}
