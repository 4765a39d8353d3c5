//! Storage: the SQLite file. Owns the schema, migrations, connection settings and
//! every SQL statement; hands out domain types (`Plan`, `Actual`), never rows.
//!
//! Settings: WAL, `synchronous = NORMAL`, foreign keys on, the statement journal
//! in memory for an import (`Store::bulk_write_if`) and a group of entries
//! (`Store::begin_group`), an
//! explicit busy timeout, IMMEDIATE transactions for every write, the schema version
//! in `user_version` and our `application_id`, so several people can log at once and
//! a foreign or newer file is refused before anything is written to it.

mod accounts;
mod actuals;
mod bundles;
mod maintenance;
mod plan_life;
mod plans;
mod review;

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{ForeignFile, StoreError};

pub use accounts::{Account, AuditEntry, AuditRecord, NewUser, Outcome, SessionRecord};
use actuals::write_moment;
pub use actuals::{standing_figure, Clock, FigureBlocks, FigureWriter, FormProvenance, FIGURES_AT_ONCE, RELOGGED};
pub use bundles::{BundleLoad, BundleSummary};
pub use maintenance::{unreadable, CheckResult};
pub use plans::{DataStamp, PlanStamp, PlanSummary};
pub use review::{ReviewRequest, Selection, Transition};

/// "ONTR": marks the file as an ontrack database.
pub const APPLICATION_ID: i32 = 0x4F4E_5452;

/// Migration `n` (1-based) brings `user_version` from `n - 1` to `n`; the missing ones
/// run in one IMMEDIATE transaction (`Store::migrate`), so an older file is upgraded
/// in place, all at once or not at all.
const MIGRATIONS: &[&str] = &[
    include_str!("../../schema.sql"),
    include_str!("../../migrations/0002_set_clock.sql"),
    include_str!("../../migrations/0003_figure_life.sql"),
    include_str!("../../migrations/0004_plan_life.sql"),
    include_str!("../../migrations/0005_plan_timezone.sql"),
    include_str!("../../migrations/0006_target_forms.sql"),
    include_str!("../../migrations/0007_adjust_strive.sql"),
    include_str!("../../migrations/0008_accounts.sql"),
    include_str!("../../migrations/0009_bundles.sql"),
    include_str!("../../migrations/0010_plan_parent.sql"),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What one large write (`Store::bulk_write_if`) may give SQLite's page cache and the
/// plan held beside it, in KiB. The plan's targets take about `PLAN_KIB_PER_TARGET`
/// each once loaded (100,000 targets: 37 MiB of heap, measured); the cache gets what
/// they leave, between SQLite's default 2 MiB and 16 MiB. An import stays under
/// 64 MiB with a province's 100,000 targets (2 MiB of cache: at 1.2M figures arriving
/// month by month, each month is one sweep along the indexes, and 4 or 8 MiB save no
/// time), and a city's 10,000 get 16 MiB, a tenth off a 120,000-row import.
const BULK_BUDGET_KIB: i64 = 40 * 1024;
const PLAN_KIB_PER_TARGET: f64 = 0.4;
const BULK_CACHE_KIB: std::ops::RangeInclusive<i64> = 2 * 1024..=16 * 1024;

/// The page cache of one large write beside a plan of `targets` targets, in KiB.
fn bulk_cache_kib(targets: usize) -> i64 {
    let plan_kib = (targets as f64 * PLAN_KIB_PER_TARGET) as i64;
    (BULK_BUDGET_KIB - plan_kib).clamp(*BULK_CACHE_KIB.start(), *BULK_CACHE_KIB.end())
}

/// Prepared statements a connection keeps (rusqlite's default is 16).
const STATEMENTS_KEPT: usize = 64;

/// How long a write waits for another writer before giving up.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open ontrack database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
    /// The journal mode SQLite kept when it could not use WAL here (None with WAL).
    journal_fallback: Option<String>,
    /// Opened `immutable` (a read-only place where SQLite cannot make the WAL index):
    /// further reading connections must be opened the same way.
    immutable: bool,
    /// Inside a group ([`Store::begin_group`]): each write is a savepoint of the
    /// group's transaction.
    grouped: bool,
}

impl Store {
    /// A store on an opened connection, not yet configured.
    fn on(conn: Connection, path: &Path, busy_timeout: Duration, immutable: bool) -> Store {
        Store { conn, path: path.to_path_buf(), busy_timeout, journal_fallback: None, immutable, grouped: false }
    }

    /// Creates a new database at `path` and applies the schema. Refuses an existing
    /// file unless `replace` is set. The file is created readable by its owner only.
    pub fn create(path: &Path, replace: bool, busy_timeout: Duration) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsDirectory { path: path.display().to_string() });
        }
        if path.exists() {
            // Only an ontrack database is ever replaced: a file that is not ours is
            // never written, whatever the caller asked (and `--force` is not offered).
            check_ours(path)?;
            if !replace {
                return Err(StoreError::Exists { path: path.display().to_string() });
            }
            for suffix in ["", "-wal", "-shm"] {
                let file = sidecar(path, suffix);
                if file.exists() {
                    std::fs::remove_file(&file).map_err(|e| io_error(&file, e))?;
                }
            }
        }
        create_private_file(path)?;
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let mut store = Store::on(conn, path, busy_timeout, false);
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database, checking that it is ours and not newer than this
    /// binary before changing anything, then brings its schema up to date.
    pub fn open(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let shown = check_openable(path)?;
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(busy_timeout)?;
        // The first read is where a read-only place shows (no WAL index can be made).
        let application_id: i32 =
            conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| read_only_place(path, e))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if application_id != APPLICATION_ID {
            let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            let what = if tables == 0 { ForeignFile::Empty } else { ForeignFile::OtherProgram { objects: tables } };
            return Err(StoreError::NotOurs { path: shown, what });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: shown, found: version, known: SCHEMA_VERSION });
        }
        let mut store = Store::on(conn, path, busy_timeout, false);
        store.configure().and_then(|()| store.migrate()).map_err(|e| match e {
            StoreError::Sqlite(inner) => read_only_place(path, inner),
            other => other,
        })?;
        Ok(store)
    }

    /// Opens an existing database for a command that only reads, without writing
    /// anything: no pragma set, no migration, no `-wal`/`-shm` made where the place is
    /// read-only (a read-only folder, file system or file). SQLite needs the WAL index
    /// (`-shm`) to read a WAL database; where it cannot make one, and no `-wal` holds
    /// changes not yet in the file, the file is read as `immutable` (nobody can write
    /// where nothing can be created). A database that needs a migration is opened for
    /// writing, as [`Store::open`] does.
    pub fn open_read_only(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let shown = check_openable(path)?;
        let ids = |conn: &Connection| -> rusqlite::Result<(i32, i64)> {
            conn.busy_timeout(busy_timeout)?;
            Ok((
                conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
                conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            ))
        };
        let mut immutable = false;
        let mut conn = open_connection(path, false)?;
        let (application_id, version) = match ids(&conn) {
            Ok(found) => found,
            Err(error) if cannot_make_wal_index(&error) => {
                let wal = sidecar(path, "-wal");
                if wal.metadata().is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::ReadOnlyWithWal { path: shown, wal: wal.display().to_string() });
                }
                immutable = true;
                conn = open_connection(path, true)?;
                ids(&conn)?
            }
            Err(error) => return Err(error.into()),
        };
        if application_id != APPLICATION_ID {
            // The same refusal as `open`, with the same words.
            drop(conn);
            return Store::open(path, busy_timeout);
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: shown, found: version, known: SCHEMA_VERSION });
        }
        if version < SCHEMA_VERSION {
            drop(conn);
            return Store::open(path, busy_timeout);
        }
        Ok(Store::on(conn, path, busy_timeout, immutable))
    }

    /// Whether this store was opened `immutable` (see [`Store::open_read_only`]).
    pub fn is_immutable(&self) -> bool {
        self.immutable
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal mode SQLite kept instead of WAL, when the file system cannot do WAL
    /// (some network drives): concurrent logging then waits longer.
    pub fn without_wal(&self) -> Option<&str> {
        self.journal_fallback.as_deref()
    }

    /// Read access for queries that need no transaction of their own.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Leaves copying the write-ahead log back into the file to someone else
    /// ([`Store::checkpoint`] on another connection) until the log holds `pages`
    /// pages: then this connection's commits do it again, as by default (1,000).
    pub fn checkpoint_after(&self, pages: u32) -> Result<()> {
        let _: i64 = self.conn.query_row(&format!("PRAGMA wal_autocheckpoint = {pages}"), [], |r| r.get(0))?;
        Ok(())
    }

    /// Copies what the write-ahead log holds back into the file, as far as readers
    /// allow, without waiting for or holding up any writer (SQLite's PASSIVE
    /// checkpoint). Answers the pages in the log and how many of them are copied.
    pub fn checkpoint(&self) -> Result<(i64, i64)> {
        Ok(self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(1)?, r.get(2)?)))?)
    }

    /// Empties the write-ahead log file once it has grown past `above` bytes, if no one
    /// is writing or reading from the log at this moment (SQLite's TRUNCATE
    /// checkpoint, without waiting: a busy moment answers `false` and leaves the log
    /// as it is). After a burst of writes the file no longer keeps its peak size.
    pub fn trim_log(&self, above: u64) -> Result<bool> {
        if std::fs::metadata(sidecar(&self.path, "-wal")).map_or(0, |m| m.len()) <= above {
            return Ok(false);
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        let busy = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
        self.conn.busy_timeout(self.busy_timeout)?;
        Ok(busy? == 0)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(self.busy_timeout)?;
        // journal_mode answers with a row, so it is read rather than executed.
        let mode: String =
            self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| self.busy(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // A file system without shared memory (some network drives) cannot do WAL;
            // SQLite then keeps its rollback journal, which is still safe, only slower.
            // The command layer says so, in the user's language (`without_wal`).
            self.journal_fallback = Some(mode);
        }
        self.conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        keep_plans_whatever_is_bound(&self.conn)?;
        // The web desk's one writing connection runs some thirty statements per entry,
        // review and sign-in; each kept prepared saves SQLite's parsing on every write.
        self.conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let path = self.path.display().to_string();
        self.write(|tx| {
            // Read again inside the lock: another process may have migrated meanwhile.
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version > SCHEMA_VERSION {
                return Err(StoreError::TooNew { path: path.clone(), found: version, known: SCHEMA_VERSION });
            }
            for migration in &MIGRATIONS[version as usize..] {
                tx.execute_batch(migration)?;
            }
            tx.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            ))?;
            Ok(())
        })
    }

    /// Runs `work` in one IMMEDIATE transaction: it takes the write lock up front
    /// (waiting up to the busy timeout), so it cannot fail half-way on a lock
    /// upgrade; it commits if `work` succeeds and rolls back otherwise. Inside a group,
    /// the same on a savepoint of the group's transaction.
    pub fn write<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.write_if(|tx| Ok((work(tx)?, true)))
    }

    /// Like [`Store::write`], but `work` decides at the end whether to keep what it
    /// wrote: it returns its value and `true` to commit, `false` to roll back (an
    /// import that found bad rows after writing the good ones).
    pub fn write_if<T>(&mut self, work: impl FnOnce(&Connection) -> Result<(T, bool)>) -> Result<T> {
        let waited_ms = self.busy_timeout.as_millis() as u64;
        let waited = |e: StoreError| match e {
            StoreError::Sqlite(inner) => StoreError::from_sqlite(inner, waited_ms),
            other => other,
        };
        if self.grouped {
            // Dropped without `commit` (an error, a panic), a savepoint rolls back to
            // where it began and is released: the group's other writes stand.
            let mut savepoint = self.conn.savepoint().map_err(|e| StoreError::from_sqlite(e, waited_ms))?;
            savepoint.set_drop_behavior(rusqlite::DropBehavior::Rollback);
            let (value, keep) = work(&savepoint).map_err(waited)?;
            if keep {
                savepoint.commit()?;
            } else {
                savepoint.finish()?;
            }
            return Ok(value);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from_sqlite(e, waited_ms))?;
        let (value, keep) = work(&tx).map_err(waited)?;
        if keep {
            tx.commit().map_err(|e| StoreError::from_sqlite(e, waited_ms))?;
        } else {
            tx.rollback()?;
        }
        Ok(value)
    }

    /// Begins a group: one IMMEDIATE transaction that the writes until
    /// [`Store::end_group`] share, each on a savepoint of its own (all or nothing on its
    /// own, a refusal rolling back only itself), so that many small writes queued at
    /// once cost one commit (the web desk's entries, BENCHMARKS.md). None of them is
    /// kept before `end_group` commits.
    ///
    /// Each savepoint copies the pages it changes into SQLite's statement journal,
    /// which would move to a temporary file once a group's writes pass 64 KiB (a third
    /// of the writer's time went to its `pwrite`s); with the temporary store in memory
    /// it stays there, emptied as each savepoint is released (see `bulk_write_if`).
    pub fn begin_group(&mut self) -> Result<()> {
        self.conn.execute_batch("PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE").map_err(|e| self.busy(e))?;
        self.grouped = true;
        Ok(())
    }

    /// Whether the group's transaction is still open: SQLite rolls a whole
    /// transaction back on some errors (a full disk, an I/O error), and with it every
    /// write of the group so far.
    pub fn group_open(&self) -> bool {
        self.grouped && !self.conn.is_autocommit()
    }

    /// Commits the group's writes, all at once; on failure (the group lost, the commit
    /// refused) none of them is kept.
    pub fn end_group(&mut self) -> Result<()> {
        self.grouped = false;
        self.conn.execute_batch("COMMIT").map_err(|e| {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.busy(e)
        })
    }

    /// `write_if` for one large write (an import of many figures), with the temporary
    /// store in memory, put back afterwards (issue 18). Every INSERT into `actuals`
    /// runs in a statement transaction (the foreign key and the revision trigger may
    /// abort it), which copies each page it changes into SQLite's statement journal.
    /// That journal starts in memory, but once one statement needs more than 64 KiB
    /// SQLite moves it to a temporary file (in /var/tmp) for the rest of the
    /// transaction: from then on two `pwrite`s per page, about ten per figure
    /// (1.16M of the 1.19M writes of a 120,000-row import). With `temp_store =
    /// MEMORY` it stays in memory and is emptied after every statement, so it holds
    /// one row's pages. SQLite reads the setting when the transaction begins, hence
    /// before `write_if`. The page cache is what the 64 MiB bound leaves beside a plan
    /// of `plan_targets` targets held in memory ([`bulk_cache_kib`]; SQLite's default is
    /// 2 MiB); BENCHMARKS.md has what each size saves. Inside a group, a plain
    /// `write_if`.
    pub fn bulk_write_if<T>(
        &mut self,
        plan_targets: usize,
        work: impl FnOnce(&Connection) -> Result<(T, bool)>,
    ) -> Result<T> {
        if self.grouped {
            // SQLite sets where its temporary store goes only outside a transaction.
            return self.write_if(work);
        }
        let temp_store: i64 = self.conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
        let cache_size: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        let cache_kib = bulk_cache_kib(plan_targets);
        self.conn.execute_batch(&format!("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{cache_kib};"))?;
        let result = self.write_if(work);
        // Put back even when the write failed: the next statement on this
        // connection gets the ordinary settings.
        let restored =
            self.conn.execute_batch(&format!("PRAGMA temp_store = {temp_store}; PRAGMA cache_size = {cache_size};"));
        let value = result?;
        restored?;
        Ok(value)
    }

    fn busy(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(error, self.busy_timeout.as_millis() as u64)
    }
}

/// A read-only connection; `immutable` tells SQLite the file cannot change, so it
/// reads without locks or a WAL index (only where nothing can write).
pub(crate) fn open_connection(path: &Path, immutable: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if immutable {
        Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(path)), flags | OpenFlags::SQLITE_OPEN_URI)?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    keep_plans_whatever_is_bound(&conn)?;
    Ok(conn)
}

/// SQLite's query planner stability guarantee: a statement's plan never depends on
/// the values bound to it. Without it SQLite (3.54) marks a statement to be planned
/// again when a value it looked at while planning changes (it looks at a `column = ?`
/// that a plan it weighs would filter by, as in a figure's latest review event), and
/// rusqlite's statement cache clears the values of each statement it takes back,
/// which counts as a change: such statements were parsed and planned again at every
/// use, a fifth of the desk's time under load (BENCHMARKS.md). Plans here do not gain
/// from the values: the schema's indexes decide them, and no statistics are gathered.
fn keep_plans_whatever_is_bound(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// A path as the path part of an SQLite `file:` URI: `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// A write refused by the place the file is in, said plainly; any other error as it is.
fn read_only_place(path: &Path, error: rusqlite::Error) -> StoreError {
    if cannot_make_wal_index(&error) {
        StoreError::ReadOnlyPlace { path: path.display().to_string() }
    } else {
        StoreError::Sqlite(error)
    }
}

/// SQLite could not open or make the WAL index beside the file: a read-only place.
fn cannot_make_wal_index(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::SystemIoFailure)
    )
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn io_error(path: &Path, error: std::io::Error) -> StoreError {
    StoreError::Io { path: path.display().to_string(), error }
}

pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| io_error(path, e))?;
    Ok(())
}

/// The checks before any file is opened: a database file that exists and starts like
/// SQLite. Returns the path as messages show it.
fn check_openable(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(StoreError::IsDirectory { path: shown });
    }
    if !path.exists() {
        return Err(StoreError::Missing { path: shown });
    }
    check_sqlite_header(path)?;
    Ok(shown)
}

/// Refuses a file that is not an ontrack database (not SQLite, or SQLite without our
/// `application_id`), reading it only.
fn check_ours(path: &Path) -> Result<()> {
    check_sqlite_header(path)?;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let application_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if application_id != APPLICATION_ID {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let what = if tables == 0 { ForeignFile::Empty } else { ForeignFile::OtherProgram { objects: tables } };
        return Err(StoreError::NotOurs { path: path.display().to_string(), what });
    }
    Ok(())
}

/// Refuses a file that is not SQLite before SQLite opens it, so that it is never
/// touched (SQLite would treat an empty file as a fresh database and write to it).
fn check_sqlite_header(path: &Path) -> Result<()> {
    let shown = path.display().to_string();
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let read = file.read(&mut header).map_err(|e| io_error(path, e))?;
    if read == 0 {
        return Err(StoreError::NotOurs { path: shown, what: ForeignFile::Empty });
    }
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotOurs { path: shown, what: ForeignFile::NotSqlite });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::{params, OptionalExtension as _, StatementStatus};

    use crate::store::{AuditEntry, Outcome};

    use super::*;

    fn audit_line(detail: &str) -> AuditEntry {
        AuditEntry {
            at: chrono::Utc::now(),
            actor: Some("filer".into()),
            address: "127.0.0.1".into(),
            action: "figures enter".into(),
            outcome: Outcome::Ok,
            detail: detail.into(),
        }
    }

    fn details(store: &Store) -> Vec<String> {
        store.audit_log(None, None).unwrap().into_iter().map(|line| line.detail).collect()
    }

    /// In a group each write is all or nothing on its own: a failed one leaves the
    /// others; none is seen by another connection before the group is committed.
    #[test]
    fn a_group_keeps_its_writes_but_the_failed_one_and_only_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let timeout = Duration::from_secs(5);
        let mut writer = Store::create(&path, false, timeout).unwrap();
        let reader = Store::open_read_only(&path, timeout).unwrap();
        writer.begin_group().unwrap();
        writer.audit(&audit_line("first")).unwrap();
        let failed = writer.write(|tx| {
            accounts::append_audit(tx, &audit_line("refused half-way"))?;
            Err::<(), _>(StoreError::Busy { waited_ms: 0 })
        });
        assert!(matches!(failed, Err(StoreError::Busy { .. })));
        let rolled_back = writer.write_if(|tx| Ok(((), accounts::append_audit(tx, &audit_line("dry run")).is_err())));
        rolled_back.unwrap();
        writer.audit(&audit_line("last")).unwrap();
        assert!(writer.group_open());
        assert!(details(&reader).is_empty(), "nothing is kept before the group commits");
        writer.end_group().unwrap();
        assert!(!writer.group_open());
        assert_eq!(details(&reader), ["first", "last"]);
        // After the group, a write is a transaction of its own again.
        writer.audit(&audit_line("alone")).unwrap();
        assert_eq!(details(&reader), ["first", "last", "alone"]);
    }

    /// Trimming the log neither waits for nor breaks a reader still reading from it: it
    /// answers `false` and leaves the file; once the reader is done it empties the
    /// file, and every write is still there. A log no bigger than asked is left alone.
    #[test]
    fn trimming_the_log_leaves_it_while_a_reader_is_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let timeout = Duration::from_secs(5);
        let mut writer = Store::create(&path, false, timeout).unwrap();
        writer.audit(&audit_line("first")).unwrap();
        let log_size = || std::fs::metadata(dir.path().join("t.db-wal")).unwrap().len();
        assert!(log_size() > 0);
        assert!(!writer.trim_log(log_size()).unwrap(), "not bigger than asked");
        let reader = Store::open_read_only(&path, timeout).unwrap();
        reader.conn().execute_batch("BEGIN").unwrap();
        assert_eq!(details(&reader), ["first"]);
        let started = std::time::Instant::now();
        assert!(!writer.trim_log(0).unwrap(), "a reader is in the log");
        assert!(started.elapsed() < timeout, "it did not wait for the reader");
        assert!(log_size() > 0);
        assert_eq!(details(&reader), ["first"]);
        reader.conn().execute_batch("COMMIT").unwrap();
        assert!(writer.trim_log(0).unwrap());
        assert_eq!(log_size(), 0);
        assert_eq!(details(&reader), ["first"]);
        writer.audit(&audit_line("after")).unwrap();
        assert_eq!(details(&reader), ["first", "after"]);
    }

    /// A statement kept prepared is used again as it is when its values change, on the
    /// writing and on a reading connection (no re-prepare: `keep_plans_whatever_is_bound`).
    #[test]
    fn a_kept_statement_is_not_planned_again_when_its_values_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let timeout = Duration::from_secs(5);
        let writer = Store::create(&path, false, timeout).unwrap();
        let reader = Store::open_read_only(&path, timeout).unwrap();
        // A figure's latest review event (`review::state_in`).
        const SQL: &str = "SELECT id FROM figure_events WHERE actual_id = ?1 ORDER BY id DESC LIMIT 1";
        for store in [&writer, &reader] {
            for figure in [1, 2, 7] {
                let mut statement = store.conn().prepare_cached(SQL).unwrap();
                let found: Option<i64> = statement.query_row(params![figure], |r| r.get(0)).optional().unwrap();
                assert_eq!(found, None);
            }
            let statement = store.conn().prepare_cached(SQL).unwrap();
            assert_eq!(statement.get_status(StatementStatus::RePrepare), 0);
        }
    }
}
