//! Typed errors of the library. Each says what was wrong, where, and what to do; the
//! command layer adds context with `anyhow` and maps them to exit codes.

use std::fmt;

use thiserror::Error;

/// Exit codes, documented in the README.
pub mod exit {
    /// The operation failed: bad data, a refused write, a missing file.
    pub const FAILED: u8 = 1;
    /// Bad usage: unknown flag, missing argument.
    pub const USAGE: u8 = 2;
    /// The database stayed busy (another writer held it) past the wait limit.
    pub const BUSY: u8 = 3;
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PeriodError {
    #[error(
        "{0:?} is not a period: use 2020, 2020H1, 2020Q3, 2020-09, or 2020年一季度 / 2020年上半年 / \
         2020年前三季度 / 2020年1-5月 / 2020年3月 / 2020年全年"
    )]
    Unparsed(String),
}

/// One problem found in a plan file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProblem {
    /// `target gdp-growth` or `target #3`, `[plan]`, `[sections]`; empty for the whole file.
    pub place: String,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for PlanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.place.is_empty(), &self.field) {
            (true, None) => write!(f, "{}", self.message),
            (true, Some(field)) => write!(f, "field `{field}`: {}", self.message),
            (false, None) => write!(f, "{}: {}", self.place, self.message),
            (false, Some(field)) => write!(f, "{}, field `{field}`: {}", self.place, self.message),
        }
    }
}

/// A plan file that cannot be loaded, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub file: String,
    pub problems: Vec<PlanProblem>,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "plan file {} has {n} problem{}:", self.file, if n == 1 { "" } else { "s" })?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        write!(
            f,
            "\nNothing was loaded. Fix the file and run the command again (field reference: docs/plan-format.md)."
        )
    }
}

impl std::error::Error for PlanError {}

/// Errors of the storage layer.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "the database {path} was written by a newer ontrack (schema version {found}, this binary knows up to \
         {known}); nothing was changed. Upgrade ontrack, or point --db at another file."
    )]
    TooNew { path: String, found: i64, known: i64 },
    #[error(
        "{path} is not an ontrack database (it is {what}); nothing was changed. Point --db at an ontrack \
         database, or run `ontrack init` with a new path."
    )]
    NotOurs { path: String, what: String },
    #[error("no database at {path}: run `ontrack init` first (or pass --db PATH / set ONTRACK_DB)")]
    Missing { path: String },
    #[error("{path} is a directory, not a database file: pass a file path with --db")]
    IsDirectory { path: String },
    #[error(
        "the database {path} already exists; nothing was changed. Use it as it is, pass another --db, or add \
         --force to replace it"
    )]
    Exists { path: String },
    #[error(
        "the database stayed busy for {} (another person or program is writing to it); nothing was \
         written. Try again in a moment.",
        wait_text(*waited_ms)
    )]
    Busy { waited_ms: u64 },
    #[error("plan {id:?} is already loaded; nothing was changed. Export it, or load the file under another plan id")]
    PlanExists { id: String },
    #[error("no plan {id:?} in this database (loaded plans: {loaded})")]
    UnknownPlan { id: String, loaded: String },
    #[error("this database holds no plan yet: load one with `ontrack plan import FILE` or `ontrack init --force`")]
    NoPlan,
    #[error("plan {plan} has no target {code:?}")]
    UnknownTarget { plan: String, code: String },
    #[error(
        "{target} already has a figure for {period}: {} (logged as {} by {} at {}); nothing was written. \
         To replace it, log a revision with --revise --reason \"…\"; the earlier figure is kept",
        standing.value, standing.period, standing.recorded_by, standing.recorded_at
    )]
    WindowTaken { target: String, period: String, standing: Box<crate::store::StandingFigure> },
    #[error(
        "{}",
        revision_changes_nothing_message(
            crate::lang::Lang::En,
            target,
            period,
            &crate::numbers::format_number(standing.value),
            standing.source.as_deref()
        )
    )]
    RevisionChangesNothing { target: String, period: String, standing: Box<crate::store::StandingFigure> },
    #[error("{target} has no figure for {period} to revise; log it without --revise")]
    NothingToRevise { target: String, period: String },
    #[error("{}", clock_behind_message(crate::lang::Lang::En, *set, clock, latest))]
    ClockBehind { set: bool, clock: String, latest: String },
    #[error("{path} already exists; nothing was written. Choose a new file name for the backup")]
    BackupExists { path: String },
    #[error("the backup {path} failed its check ({why}) and was removed; the database itself is unchanged")]
    BackupFailed { path: String, why: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Plan(#[from] PlanError),
}

impl StoreError {
    /// Maps SQLite's "busy" into [`StoreError::Busy`] so callers can report it plainly.
    pub fn from_sqlite(error: rusqlite::Error, waited_ms: u64) -> StoreError {
        if is_busy(&error) {
            StoreError::Busy { waited_ms }
        } else {
            StoreError::Sqlite(error)
        }
    }
}

/// Why a revision with the standing figure's value and source was refused, in `lang`;
/// `value` as the caller prints figures.
pub fn revision_changes_nothing_message(
    lang: crate::lang::Lang,
    target: &str,
    period: &str,
    value: &str,
    source: Option<&str>,
) -> String {
    match lang {
        crate::lang::Lang::Zh => {
            let source = source.map(|s| format!("，来源 {s}")).unwrap_or_default();
            format!(
                "{target} {period} 的现行数据已是 {value}{source}；数值和来源都相同的修订不改变任何内容，未写入任何数据。\
                 数据有变化时再修订（数值或来源不同）"
            )
        }
        crate::lang::Lang::En => {
            let source = source.map(|s| format!(", source {s}")).unwrap_or_default();
            format!(
                "the standing figure of {target} for {period} is already {value}{source}; a revision with the same \
                 value and source changes nothing, so nothing was written. Revise only when the value or the source \
                 changes"
            )
        }
    }
}

/// Why a write whose clock is before the latest figure stored was refused, in
/// `lang` (`set`: the clock is `ONTRACK_NOW`'s).
pub fn clock_behind_message(lang: crate::lang::Lang, set: bool, clock: &str, latest: &str) -> String {
    match lang {
        crate::lang::Lang::Zh => clock_behind_zh(set, clock, latest),
        crate::lang::Lang::En => clock_behind_en(set, clock, latest),
    }
}

fn clock_behind_zh(set: bool, clock: &str, latest: &str) -> String {
    if set {
        format!(
            "ONTRACK_NOW 设定的时间 {clock} 早于库中最近一条数据的记录时间 {latest}；设定的时钟不能把记录时间往前改，\
             未写入任何数据。请取消 ONTRACK_NOW，或把它设为 {latest} 之后的时间"
        )
    } else {
        format!(
            "本机时钟 {clock} 早于库中最近一条数据的记录时间 {latest}；数据按写入顺序记录时间，未写入任何数据。\
             请校准本机时钟后重试"
        )
    }
}

fn clock_behind_en(set: bool, clock: &str, latest: &str) -> String {
    if set {
        format!(
            "ONTRACK_NOW sets the clock to {clock}, before the latest figure in the database (recorded at \
             {latest}); a set clock cannot backdate figures, so nothing was written. Unset ONTRACK_NOW, or set it \
             to {latest} or later"
        )
    } else {
        format!(
            "this computer's clock says {clock}, before the latest figure in the database (recorded at {latest}); \
             figures are recorded in the order they are written, so nothing was written. Correct the clock and \
             try again"
        )
    }
}

/// How long a write waited, as the busy message says it: `30 s`, or `200 ms` under a second.
fn wait_text(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{} s", ms / 1000)
    }
}

pub fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}
