//! The desk's way to the database: SQLite calls block, so each runs on tokio's
//! blocking threads. Readers reuse a small pool of read-only connections (WAL lets
//! them read while one writes); writes share one read-write connection, so the desk's
//! own writers queue here instead of contending for SQLite's lock, while the command
//! line may still write beside it (busy timeout, IMMEDIATE transactions).

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use super::error::Problem;
use crate::store::Store;

pub struct Db {
    path: PathBuf,
    busy_timeout: Duration,
    readers: Mutex<Vec<Store>>,
    writer: Mutex<Option<Store>>,
}

/// Read-only connections kept open between requests.
const IDLE_READERS: usize = 16;

impl Db {
    pub fn new(path: PathBuf, busy_timeout: Duration) -> Db {
        Db { path, busy_timeout, readers: Mutex::new(Vec::new()), writer: Mutex::new(None) }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Runs `work` on a read-only connection.
    pub async fn read<T: Send + 'static>(
        self: &std::sync::Arc<Self>,
        work: impl FnOnce(&Store) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T, Problem> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = db.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let store = match pooled {
                Some(store) => store,
                None => Store::open_read_only(&db.path, db.busy_timeout)?,
            };
            let result = work(&store);
            let mut readers = db.readers.lock().unwrap_or_else(|e| e.into_inner());
            if readers.len() < IDLE_READERS {
                readers.push(store);
            }
            result
        })
        .await
        .map_err(|_| Problem::Internal)?
    }

    /// Runs `work` on the one read-write connection (each store write inside is one
    /// IMMEDIATE transaction).
    pub async fn write<T: Send + 'static>(
        self: &std::sync::Arc<Self>,
        work: impl FnOnce(&mut Store) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T, Problem> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut slot = db.writer.lock().unwrap_or_else(|e| e.into_inner());
            if slot.is_none() {
                *slot = Some(Store::open(&db.path, db.busy_timeout)?);
            }
            work(slot.as_mut().expect("opened above"))
        })
        .await
        .map_err(|_| Problem::Internal)?
    }
}
