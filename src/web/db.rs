//! The desk's way to the database: SQLite calls block, so each runs on tokio's
//! blocking threads. Readers reuse a small pool of read-only connections (WAL lets
//! them read while one writes); writes share one read-write connection, so the desk's
//! own writers queue here instead of contending for SQLite's lock, while the command
//! line may still write beside it (busy timeout, IMMEDIATE transactions).
//!
//! The write-ahead log is copied back into the file by a thread of its own
//! ([`Checkpoints`]), not by the commit that happens to fill it: that copy and its
//! fsync held the one writer, and every queued entry behind it, for tens of
//! milliseconds at a time (BENCHMARKS.md, "The web desk under load").

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::error::Problem;
use crate::store::Store;

pub struct Db {
    path: PathBuf,
    busy_timeout: Duration,
    readers: Mutex<Vec<Store>>,
    /// The writer thread's queue, once the first write started it.
    writer: Mutex<Option<Sender<Queued>>>,
    checkpoints: Arc<Checkpoints>,
}

/// Read-only connections kept open between requests.
const IDLE_READERS: usize = 16;

/// The writer's own commits copy the log back only if it grows past this many pages
/// (400 MiB): should the checkpoint thread fall behind or fail, the log stays bounded.
/// Under writes that never pause, only such a checkpoint lets the log start again
/// from its beginning, and it holds every queued entry for its copy and fsync: at
/// 10,000 pages that came about once a second under the load test and set its
/// slowest answers (BENCHMARKS.md, "The web desk under load").
const WRITER_CHECKPOINTS_AFTER: u32 = 100_000;

/// Once writes have paused this long, the checkpoint thread empties a log file that a
/// burst left bigger than `TRIM_LOG_ABOVE`, so it does not keep its peak size on disk.
const IDLE_BEFORE_TRIM: Duration = Duration::from_secs(1);
const TRIM_LOG_ABOVE: u64 = 40 << 20;

/// The checkpoint thread copies the log back at most this often, when something was
/// written since it last did (at the load test's rate, some 1,000 pages each time,
/// SQLite's own default size).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Tells the checkpoint thread that something was written, or that the desk is closing.
struct Checkpoints {
    /// (writes so far, closing)
    state: Mutex<(u64, bool)>,
    wake: Condvar,
    /// `IDLE_BEFORE_TRIM` and `TRIM_LOG_ABOVE` (tests set their own).
    idle_before_trim: Duration,
    trim_log_above: u64,
}

/// What the checkpoint thread woke to.
enum Wake {
    Written(u64),
    Idle,
    Closing,
}

impl Default for Checkpoints {
    fn default() -> Checkpoints {
        Checkpoints::trimming(IDLE_BEFORE_TRIM, TRIM_LOG_ABOVE)
    }
}

impl Checkpoints {
    fn trimming(idle_before_trim: Duration, trim_log_above: u64) -> Checkpoints {
        Checkpoints { state: Mutex::default(), wake: Condvar::new(), idle_before_trim, trim_log_above }
    }

    fn written(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 += 1;
        self.wake.notify_one();
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
        self.wake.notify_one();
    }

    /// Waits until something was written after `seen` writes, or until `idle` passed
    /// without one.
    fn wait_past(&self, seen: u64, idle: Duration) -> Wake {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, waited) = self
            .wake
            .wait_timeout_while(state, idle, |state| state.0 == seen && !state.1)
            .unwrap_or_else(|e| e.into_inner());
        match *state {
            (_, true) => Wake::Closing,
            _ if waited.timed_out() => Wake::Idle,
            (now, false) => Wake::Written(now),
        }
    }

    /// The thread's life: a PASSIVE checkpoint on a connection of its own after each
    /// burst of writes, and the log file trimmed once they pause. A failed checkpoint
    /// is left to the next (or to the writer's own, past `WRITER_CHECKPOINTS_AFTER`
    /// pages), a busy trim to the next pause; nothing it does can lose a commit.
    fn run(self: Arc<Self>, path: PathBuf, busy_timeout: Duration) {
        let Ok(store) = Store::open(&path, busy_timeout) else { return };
        let (mut seen, mut trimmed) = (0, true);
        loop {
            match self.wait_past(seen, self.idle_before_trim) {
                Wake::Written(now) => {
                    (seen, trimmed) = (now, false);
                    let _ = store.checkpoint();
                    std::thread::sleep(CHECKPOINT_EVERY);
                }
                Wake::Idle if !trimmed => {
                    trimmed = true;
                    let _ = store.trim_log(self.trim_log_above);
                }
                Wake::Idle => {}
                Wake::Closing => return,
            }
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.checkpoints.close();
    }
}

impl Db {
    pub fn new(path: PathBuf, busy_timeout: Duration) -> Db {
        Db {
            path,
            busy_timeout,
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
            checkpoints: Arc::new(Checkpoints::default()),
        }
    }

    /// A desk whose checkpoint thread trims the log after its own pause and size.
    #[cfg(test)]
    fn trimming(mut self, idle_before_trim: Duration, trim_log_above: u64) -> Db {
        self.checkpoints = Arc::new(Checkpoints::trimming(idle_before_trim, trim_log_above));
        self
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Runs `work` on a read-only connection.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
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
    /// IMMEDIATE transaction), after every write asked for before it: the writer takes
    /// them in the order they came. The place in that queue is taken when this is
    /// called, not when the answer is awaited.
    pub fn write<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Store) -> Result<T, Problem> + Send + 'static,
    ) -> impl std::future::Future<Output = Result<T, Problem>> {
        self.queue_write(work, false)
    }

    /// [`Db::write`] for a small write that may share one transaction with the other
    /// grouped writes queued behind the same turn (the desk's entries): each is still
    /// all or nothing on its own (a savepoint, [`Store::begin_group`]), and none is
    /// answered before the group is committed. A group costs one commit, where each
    /// write alone cost one (BENCHMARKS.md, "The web desk under load").
    pub fn write_grouped<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Store) -> Result<T, Problem> + Send + 'static,
    ) -> impl std::future::Future<Output = Result<T, Problem>> {
        self.queue_write(work, true)
    }

    fn queue_write<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Store) -> Result<T, Problem> + Send + 'static,
        grouped: bool,
    ) -> impl std::future::Future<Output = Result<T, Problem>> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |store: Result<&mut Store, Problem>| {
            let result = store.and_then(work);
            Box::new(move |kept: Result<(), Problem>| {
                // A closed receiver means the request is gone; its write stands all the same.
                let _ = answer.send(kept.and(result));
            })
        });
        let queued = self.enqueue(Queued { job, grouped });
        async move {
            if !queued {
                return Err(Problem::Internal);
            }
            // A job that panicked drops its sender: the request gets a 500, the
            // transaction (or savepoint) it was in rolls back as the panic unwinds.
            answered.await.unwrap_or(Err(Problem::Internal))
        }
    }

    /// Queues a write for the writer thread, starting the thread on the first write;
    /// false if it could not be started.
    fn enqueue(&self, queued: Queued) -> bool {
        let mut slot = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            let (queue, jobs) = std::sync::mpsc::channel();
            let (path, busy_timeout, checkpoints) = (self.path.clone(), self.busy_timeout, self.checkpoints.clone());
            let started = std::thread::Builder::new()
                .name("writer".into())
                .spawn(move || run_writer(jobs, path, busy_timeout, checkpoints));
            if started.is_err() {
                return false;
            }
            *slot = Some(queue);
        }
        slot.as_ref().is_some_and(|queue| queue.send(queued).is_ok())
    }
}

/// At most this many grouped writes share one commit: the first of them waits for
/// all the others before it is answered.
const GROUP_AT_MOST: usize = 64;

/// One write, handed the writer's connection (or why it could not be opened). What it
/// returns sends its answer, once it is known whether its transaction was kept.
type Job = Box<dyn FnOnce(Result<&mut Store, Problem>) -> Answer + Send>;
type Answer = Box<dyn FnOnce(Result<(), Problem>) + Send>;

struct Queued {
    job: Job,
    grouped: bool,
}

/// The writer thread's life: the queued writes in the order they came, on one
/// connection, until the desk closes; grouped writes queued together share a commit.
/// The connection (and the checkpoint thread) is opened at the first write and opened
/// again at the next should that fail.
fn run_writer(jobs: Receiver<Queued>, path: PathBuf, busy_timeout: Duration, checkpoints: Arc<Checkpoints>) {
    let mut writer: Option<Store> = None;
    let mut next: Option<Queued> = None;
    while let Some(first) = next.take().or_else(|| jobs.recv().ok()) {
        if writer.is_none() {
            writer = open_writer(&path, busy_timeout, &checkpoints).ok();
        }
        let Some(store) = writer.as_mut() else {
            answer_alone(first.job, Err(Problem::Internal));
            continue;
        };
        let mut group = vec![first.job];
        if first.grouped {
            while group.len() < GROUP_AT_MOST {
                match jobs.try_recv() {
                    Ok(queued) if queued.grouped => group.push(queued.job),
                    Ok(alone) => {
                        next = Some(alone);
                        break;
                    }
                    Err(_) => break,
                }
            }
        }
        if group.len() == 1 {
            answer_alone(group.pop().expect("one job"), Ok(store));
        } else {
            run_group(store, group);
        }
        checkpoints.written();
    }
}

/// Runs `job` catching a panic: a bug in one write must not end the thread every
/// later write waits on. `None` when it panicked (its answer is dropped unsent).
fn run_caught(job: Job, store: Result<&mut Store, Problem>) -> Option<Answer> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(store))).ok()
}

/// Runs `job` in a transaction of its own (or not at all, when there is no connection).
fn answer_alone(job: Job, store: Result<&mut Store, Problem>) {
    if let Some(answer) = run_caught(job, store) {
        answer(Ok(()));
    }
}

/// Runs `jobs` in one transaction and answers them once it is committed, or with why
/// not. Should SQLite roll the group back half-way (a full disk, an I/O error), those
/// run so far are answered with that failure and the rest run each alone.
fn run_group(store: &mut Store, jobs: Vec<Job>) {
    if let Err(error) = store.begin_group() {
        for job in jobs {
            answer_alone(job, Err(group_failure(&error)));
        }
        return;
    }
    let mut answers = Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    for job in jobs.by_ref() {
        answers.extend(run_caught(job, Ok(&mut *store)));
        if !store.group_open() {
            break;
        }
    }
    let kept = store.end_group();
    if let Err(error) = &kept {
        eprintln!("ontrack serve: {} writes were not kept: {error:?}", answers.len());
    }
    for answer in answers {
        answer(kept.as_ref().map(|_| ()).map_err(group_failure));
    }
    for job in jobs {
        answer_alone(job, Ok(&mut *store));
    }
}

/// What each write of a group that was not kept is answered: "busy, try again" when
/// that was the reason, else an internal error (logged once above).
fn group_failure(error: &crate::error::StoreError) -> Problem {
    match error {
        crate::error::StoreError::Busy { waited_ms } => {
            Problem::Store(crate::error::StoreError::Busy { waited_ms: *waited_ms })
        }
        _ => Problem::Internal,
    }
}

fn open_writer(
    path: &std::path::Path,
    busy_timeout: Duration,
    checkpoints: &Arc<Checkpoints>,
) -> Result<Store, Problem> {
    let store = Store::open(path, busy_timeout)?;
    store.checkpoint_after(WRITER_CHECKPOINTS_AFTER)?;
    let (checkpoints, path) = (checkpoints.clone(), path.to_path_buf());
    std::thread::Builder::new()
        .name("checkpoints".into())
        .spawn(move || checkpoints.run(path, busy_timeout))
        .map_err(|_| Problem::Internal)?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans_in_the_file_itself(path: &std::path::Path) -> i64 {
        // `immutable` reads the database file alone, not the write-ahead log.
        let file = crate::store::open_connection(path, true).unwrap();
        file.query_row("SELECT count(*) FROM plans", [], |r| r.get(0)).unwrap()
    }

    /// Waits for what the checkpoint thread does in its own time, up to ten seconds.
    fn wait_until(what: &str, done: impl Fn() -> bool) {
        let started = std::time::Instant::now();
        while !done() {
            assert!(started.elapsed() < Duration::from_secs(10), "never happened: {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn desk_db() -> (tempfile::TempDir, Arc<Db>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        drop(Store::create(&path, false, Duration::from_secs(5)).unwrap());
        let db = Arc::new(Db::new(path, Duration::from_secs(5)));
        (dir, db)
    }

    /// Writes are taken in the order they were asked for, however many wait: none is
    /// passed over while later ones go first (which left some entries waiting several
    /// times as long as the rest under load).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_are_taken_in_the_order_they_were_asked() {
        let (_dir, db) = desk_db();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (holding, writer_held) = tokio::sync::oneshot::channel::<()>();
        // Holds the writer until every other write waits behind it.
        let first = tokio::spawn(db.write(move |_| {
            holding.send(()).unwrap();
            Ok(held.recv().is_ok())
        }));
        writer_held.await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        // Each asked for by a request of its own, one after another.
        let queued: Vec<_> = (0..40)
            .map(|i| {
                let order = order.clone();
                tokio::spawn(db.write(move |_| {
                    order.lock().unwrap().push(i);
                    Ok(i)
                }))
            })
            .collect();
        release.send(()).unwrap();
        assert!(first.await.unwrap().unwrap());
        for (i, write) in queued.into_iter().enumerate() {
            assert_eq!(write.await.unwrap().unwrap(), i);
        }
        assert_eq!(*order.lock().unwrap(), (0..40).collect::<Vec<_>>());
    }

    /// Entries queued together share one transaction (each still all or nothing on its
    /// own) and are answered once it is committed; a refused one is answered with its
    /// own refusal and leaves the others; the order stays the order they came in.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn grouped_writes_share_a_commit_and_are_refused_alone() {
        use crate::store::{AuditEntry, Outcome};
        let (dir, db) = desk_db();
        let line = |detail: String| AuditEntry {
            at: chrono::Utc::now(),
            actor: Some("filer".into()),
            address: "127.0.0.1".into(),
            action: "figures enter".into(),
            outcome: Outcome::Ok,
            detail,
        };
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (holding, writer_held) = tokio::sync::oneshot::channel::<()>();
        let first = db.write(move |_| {
            holding.send(()).unwrap();
            Ok(held.recv().is_ok())
        });
        writer_held.await.unwrap();
        let grouped: Vec<_> = (0..6)
            .map(|i| {
                let entry = line(format!("entry {i}"));
                db.write_grouped(move |store| {
                    if i == 2 {
                        store.set_password("nobody", "hash", false, &entry)?;
                    } else {
                        store.audit(&entry)?;
                    }
                    Ok(store.group_open())
                })
            })
            .collect();
        release.send(()).unwrap();
        assert!(first.await.unwrap());
        let mut answers = Vec::new();
        for write in grouped {
            answers.push(write.await);
        }
        for (i, answer) in answers.iter().enumerate() {
            match i {
                2 => assert!(matches!(answer, Err(Problem::NotFound)), "{answer:?}"),
                _ => assert!(matches!(answer, Ok(true)), "entry {i} was written in the group: {answer:?}"),
            }
        }
        let reader = Store::open_read_only(&dir.path().join("desk.db"), Duration::from_secs(5)).unwrap();
        let kept: Vec<String> = reader.audit_log(None, None).unwrap().into_iter().map(|r| r.detail).collect();
        assert_eq!(kept, ["entry 0", "entry 1", "entry 3", "entry 4", "entry 5"]);
    }

    /// A write that panics (a bug) is answered as an internal error; the writer goes
    /// on with the next.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_that_panics_does_not_stop_the_writer() {
        let (_dir, db) = desk_db();
        let broken = db.write(|_| -> Result<(), Problem> { panic!("a bug in one write") });
        assert!(matches!(broken.await, Err(Problem::Internal)));
        let plans = db.write(|store| Ok(store.plans()?.len())).await.unwrap();
        assert_eq!(plans, 0);
    }

    /// The writer's commits leave the log to the checkpoint thread, which copies it
    /// into the file soon after; the desk's writes stay visible throughout.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_checkpoint_thread_copies_the_log_into_the_file_after_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        drop(Store::create(&path, false, Duration::from_secs(5)).unwrap());
        let db = Arc::new(Db::new(path.clone(), Duration::from_secs(5)));
        let autocheckpoint = db
            .write(|store| {
                let plan = crate::plan::file::parse_plan(crate::plan::BUILTIN_PLAN_TOML, "builtin").unwrap();
                store.insert_plan(&plan, chrono::Utc::now())?;
                Ok(store.conn().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get::<_, i64>(0)).unwrap())
            })
            .await
            .unwrap();
        assert_eq!(autocheckpoint, i64::from(WRITER_CHECKPOINTS_AFTER));
        assert_eq!(db.read(|store| Ok(store.plans()?.len())).await.unwrap(), 1);
        wait_until("the log was copied into the file", || plans_in_the_file_itself(&path) > 0);
        drop(db);
    }

    /// Once the desk's writes pause, the log file a burst left behind is emptied, and
    /// every write is then in the database file itself.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pause_in_writing_empties_the_log_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        drop(Store::create(&path, false, Duration::from_secs(5)).unwrap());
        let db = Arc::new(Db::new(path.clone(), Duration::from_secs(5)).trimming(Duration::from_millis(50), 1));
        db.write(|store| {
            let plan = crate::plan::file::parse_plan(crate::plan::BUILTIN_PLAN_TOML, "builtin").unwrap();
            store.insert_plan(&plan, chrono::Utc::now())?;
            Ok(())
        })
        .await
        .unwrap();
        let log = dir.path().join("desk.db-wal");
        assert!(std::fs::metadata(&log).unwrap().len() > 1, "the write went to the log");
        wait_until("the log file was emptied", || std::fs::metadata(&log).unwrap().len() == 0);
        assert_eq!(plans_in_the_file_itself(&path), 1);
        assert_eq!(db.read(|store| Ok(store.plans()?.len())).await.unwrap(), 1);
        drop(db);
    }
}
