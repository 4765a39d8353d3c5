//! One file per command: each loads what it needs from the store, calls the core,
//! and hands finished bytes to `output::write_output`.

mod audit;
mod backup;
mod bundle;
mod chart;
mod check;
pub mod compare;
pub(crate) mod completeness;
mod completions;
mod demo;
mod demo_serve;
mod extract;
pub(crate) mod figures;
pub(crate) mod history;
mod import;
mod init;
mod plan;
mod plan_life;
mod plan_next;
mod record;
pub(crate) mod report;
mod review;
mod serve;
pub(crate) mod status;
mod targets;
mod template;
pub(crate) mod user;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};

use crate::actual::Actual;
use crate::cli::{Cli, Command};
use crate::error::StoreError;
use crate::lang::{Lang, Localize, Text};
use crate::period::Period;
use crate::plan::Plan;
use crate::review::{counting_figures, Counting, FigureStates};
use crate::status::default_as_of;
use crate::store::{Clock, Store, DEFAULT_BUSY_TIMEOUT};

/// What every command may need from the environment, read once in `run`: this is
/// where the clock and the environment enter, so the rest can be tested with fixed
/// values.
pub struct Context {
    pub db: PathBuf,
    pub lang: Lang,
    /// "Now": the real clock, or `ONTRACK_NOW` (RFC 3339) for reproducible runs.
    pub now: DateTime<Utc>,
    /// Whether `now` was fixed by `ONTRACK_NOW` rather than read from the clock.
    pub now_fixed: bool,
    pub busy_timeout: Duration,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Result<Context> {
        let lang = cli.lang();
        let (now, now_fixed) = match std::env::var("ONTRACK_NOW") {
            Ok(text) if !text.is_empty() => (
                crate::time::parse_timestamp(&text).with_context(|| {
                    lang.choose(
                        format!("ONTRACK_NOW={text:?} 不是 RFC 3339 时间（如 2020-10-15T09:00:00Z）"),
                        format!("ONTRACK_NOW={text:?} is not an RFC 3339 time such as 2020-10-15T09:00:00Z"),
                    )
                })?,
                true,
            ),
            _ => (Utc::now(), false),
        };
        let busy_timeout = match std::env::var("ONTRACK_BUSY_TIMEOUT_MS") {
            Ok(text) if !text.is_empty() => Duration::from_millis(text.parse().with_context(|| {
                lang.choose(
                    format!("ONTRACK_BUSY_TIMEOUT_MS={text:?} 不是毫秒数"),
                    format!("ONTRACK_BUSY_TIMEOUT_MS={text:?} is not a number of milliseconds"),
                )
            })?),
            _ => DEFAULT_BUSY_TIMEOUT,
        };
        Ok(Context {
            db: cli
                .db
                .clone()
                .or_else(|| env_value("ONTRACK_DB").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("ontrack.db")),
            lang,
            now,
            now_fixed,
            busy_timeout,
        })
    }

    /// The clock writes are stamped by: `ONTRACK_NOW` when set, else the system's,
    /// read by the store inside the write transaction.
    pub fn clock(&self) -> Clock {
        if self.now_fixed {
            Clock::Set(self.now)
        } else {
            Clock::System
        }
    }

    /// Opens the existing database.
    pub fn open(&self) -> Result<Store> {
        let store = Store::open(&self.db, self.busy_timeout)?;
        note_without_wal(&store, self.lang);
        Ok(store)
    }

    /// Opens the existing database for a command that only reads: nothing is written
    /// to it or beside it, so reading works from a read-only place too.
    pub fn open_read(&self) -> Result<Store> {
        Store::open_read_only(&self.db, self.busy_timeout).map_err(Into::into)
    }
}

/// What the command line adds to a store error's message: the flags and commands that
/// get past it, joining punctuation included (`StoreError::localize` says what happened;
/// the web desk shows that alone). `None` when the store's message is all there is to say.
pub fn advice(error: &StoreError, lang: Lang) -> Option<String> {
    if let Some(advice) = review::advice(error, lang) {
        return Some(advice);
    }
    let (zh, en) = match error {
        StoreError::TooNew { .. } => {
            ("请升级 ontrack，或用 --db 指定其他文件。", " Upgrade ontrack, or point --db at another file.")
        }
        StoreError::NotOurs { .. } => (
            "请用 --db 指定 ontrack 数据库，或以新路径运行 `ontrack init`。",
            " Point --db at an ontrack database, or run `ontrack init` with a new path.",
        ),
        StoreError::Missing { .. } => (
            "：请先运行 `ontrack init`（或用 --db PATH / ONTRACK_DB 指定数据库）",
            ": run `ontrack init` first (or pass --db PATH / set ONTRACK_DB)",
        ),
        StoreError::ReadOnlyPlace { .. } => (
            "只读的命令（status、report、chart 等）可在此使用；如需录入数据，请在可写入的文件夹中使用它",
            " Commands that only read (status, report, chart …) work there; to log figures, use it from a writable \
             folder",
        ),
        StoreError::IsDirectory { .. } => ("：请用 --db 指定文件路径", ": pass a file path with --db"),
        StoreError::Exists { .. } => (
            "可直接使用，或指定其他 --db，或加 --force 替换",
            " Use it as it is, pass another --db, or add --force to replace it",
        ),
        StoreError::NoPlan => (
            "：请用 `ontrack plan import FILE` 或 `ontrack init --force` 载入",
            ": load one with `ontrack plan import FILE` or `ontrack init --force`",
        ),
        StoreError::WindowTaken { .. } => (
            "如需更正，请以 --revise --reason \"…\" 录入修订；原数据予以保留",
            " To replace it, log a revision with --revise --reason \"…\"; the earlier figure is kept",
        ),
        StoreError::NothingToRevise { .. } => ("；请去掉 --revise 直接录入", "; log it without --revise"),
        StoreError::Bundle(crate::error::BundleRefusal::OtherDistrict { .. }) => (
            "如区里的数据库是重新建立的（未从备份恢复），请加 --from-new-database 载入",
            " If the district's database was made anew (not restored from a backup), load it with \
             --from-new-database",
        ),
        StoreError::Sqlite(error) if crate::error::is_damage(error) => (
            "。请运行 `ontrack check` 查看损坏情况，并从备份恢复",
            ". Run `ontrack check` to see the damage, and restore from a backup",
        ),
        _ => return None,
    };
    Some(lang.pick(zh, en).to_string())
}

/// An environment variable's value, `None` when it is unset or empty (`ONTRACK_DB=`), the
/// usual convention: an empty value means "not set", never "the empty path".
/// (`ONTRACK_NOW` and `ONTRACK_BUSY_TIMEOUT_MS` follow it too.)
pub fn env_value(key: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(key).filter(|value| !value.is_empty())
}

pub fn dispatch(cli: Cli) -> Result<()> {
    let context = Context::from_cli(&cli)?;
    match cli.command {
        Command::Init(args) => init::run(&context, args),
        Command::Plan(command) => plan::run(&context, command),
        Command::Targets(args) => targets::run(&context, args),
        Command::Completions(args) => completions::run(args),
        Command::Check(format) => check::run(&context, format.format),
        Command::Backup(args) => backup::run(&context, &args.file),
        Command::Extract(args) => extract::run(&context, args),
        Command::Record(args) => record::run(&context, args),
        Command::Import(args) => import::run(&context, args),
        Command::Template(args) => template::run(&context, args),
        Command::History(args) => history::run(&context, args),
        Command::Status(args) => status::run(&context, args),
        Command::Report(args) => report::run(&context, args),
        Command::Demo(args) => demo::run(&context, args),
        Command::Chart(args) => chart::run(&context, args),
        Command::Figures(args) => figures::run(&context, args),
        Command::Review(command) => review::run(&context, command),
        Command::Void(args) => review::run_void(&context, args),
        Command::Completeness(args) => completeness::run(&context, args),
        Command::Serve(args) => serve::run(&context, args),
        Command::User(command) => user::run(&context, command),
        Command::Audit(args) => audit::run(&context, args),
        Command::Bundle(args) => bundle::run(&context, args),
        Command::Compare(args) => compare::run(&context, args),
    }
}

/// Says, on stderr, that the file system cannot do WAL here (some network drives).
pub fn note_without_wal(store: &Store, lang: Lang) {
    if let Some(mode) = store.without_wal() {
        let path = store.path().display();
        eprintln!(
            "{}",
            lang.choose(
                format!("注意：{path} 在此处无法使用 WAL（日志模式 {mode}）；多人同时录入时等待会更久"),
                format!("note: {path} cannot use WAL here (journal mode {mode}); concurrent logging will wait longer"),
            )
        );
    }
}

/// Refuses a `--section` the plan does not have, naming the ones it has.
pub fn check_section(plan: &Plan, section: Option<&str>, lang: Lang) -> Result<()> {
    if let Some(section) = section {
        if plan.section(section).is_none() {
            let known: Vec<&str> = plan.sections.iter().map(|s| s.id.as_str()).collect();
            anyhow::bail!(lang.choose(
                format!("计划 {} 中没有板块 {section:?}；其板块为：{}", plan.id, known.join("、")),
                format!("plan {} has no section {section:?}; its sections are {}", plan.id, known.join(", "))
            ));
        }
    }
    Ok(())
}

/// Hands what a command read to the operating system, which takes back a process's
/// memory at once when it exits: freeing a city's 120,000 figures and 10,000 targets
/// one allocation at a time costs more than a tenth of `status` (90M instructions
/// of 1G). Only for values a command holds until it ends. In a process that lives on
/// (the web desk calls the commands' code per request) they are dropped as usual.
pub(crate) fn free_at_exit<T>(value: T) {
    if LONG_LIVED.load(std::sync::atomic::Ordering::Relaxed) {
        drop(value);
    } else {
        std::mem::forget(value);
    }
}

/// Set by `serve` (and the desk's tests): this process outlives its commands, so
/// `free_at_exit` must free.
pub static LONG_LIVED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A plan and all its figures (`plan` as `--plan` gave it, else the one the store
/// resolves), as `status` and `chart` read them.
/// The plan as it stood at the `--as-recorded` moment (now when not given: its
/// adjustments by then applied), its figures, their review states and which of them
/// the command counts.
pub fn plan_and_actuals(
    context: &Context,
    plan: Option<&str>,
    when: &crate::cli::WhenArgs,
) -> Result<(Plan, Vec<Actual>, FigureStates, WhichFigures)> {
    let store = context.open_read()?;
    let id = store.resolve_plan_id(plan)?;
    plan_and_actuals_in(&store, &id, when, context.now)
}

/// [`plan_and_actuals`] of plan `id` in an open store (`compare` reads a family's
/// plans through one connection).
pub fn plan_and_actuals_in(
    store: &Store,
    id: &str,
    when: &crate::cli::WhenArgs,
    now: DateTime<Utc>,
) -> Result<(Plan, Vec<Actual>, FigureStates, WhichFigures)> {
    let which = which_figures(store, id, when)?;
    let (plan, actuals) = store.plan_and_actuals_at(id, which.as_recorded.unwrap_or(now))?;
    let states = store.figure_states(&plan.id)?;
    Ok((plan, actuals, states, which))
}

/// What `--as-of`, `--as-recorded` and `--approved-only` ask of plan `id`: a typed date
/// is the end of that day on the plan's clock.
pub fn which_figures(store: &Store, id: &str, when: &crate::cli::WhenArgs) -> Result<WhichFigures> {
    let zone = store.plan_timezone(id)?;
    Ok(WhichFigures { as_of: when.as_of, as_recorded: when.recorded_at(zone), counting: when.counting() })
}

/// Which figures a view counts: those recorded by `as_recorded` (all when `None`),
/// every current one or the approved ones only, up to the `as_of` period (the latest
/// with a figure when `None`).
#[derive(Debug, Clone, Copy)]
pub struct WhichFigures {
    pub as_of: Option<Period>,
    pub as_recorded: Option<DateTime<Utc>>,
    pub counting: Counting,
}

impl WhichFigures {
    /// Every current figure, up to the latest period with one.
    pub const LATEST: WhichFigures = WhichFigures { as_of: None, as_recorded: None, counting: Counting::AllCurrent };
}

/// The figures that count ([`counting_figures`]) and the as-of period settled on them
/// ([`settle_as_of`]): what `status`, `chart` and `report` evaluate.
pub fn figures_as_of<'a>(
    plan: &Plan,
    actuals: &'a [Actual],
    states: &FigureStates,
    which: WhichFigures,
    purpose: &Text,
    lang: Lang,
) -> Result<(Vec<&'a Actual>, Period)> {
    let figures = counting_figures(actuals, states, which.as_recorded, which.counting);
    let as_of = settle_as_of(plan, &figures, which.as_of, which.as_recorded, purpose, lang)?;
    Ok((figures, as_of))
}

/// A plan read for a whole-plan view a block of targets at a time (`status`), all from
/// one snapshot of the file: the plan as it stood at the `--as-recorded` moment, its
/// figures' review states, and its figures read per block on demand. A province's
/// plan (1.2M figures) is never held whole; what counts and how the as-of period is
/// settled are the rules of [`plan_and_actuals`] and [`figures_as_of`], applied to the
/// figures that decide them.
pub struct PlanInBlocks<'s> {
    pub plan: Plan,
    pub states: FigureStates,
    pub which: WhichFigures,
    figures: crate::store::FigureBlocks<'s>,
}

impl<'s> PlanInBlocks<'s> {
    pub fn open(store: &'s Store, id: &str, when: &crate::cli::WhenArgs, now: DateTime<Utc>) -> Result<Self> {
        let which = which_figures(store, id, when)?;
        let figures = store.figure_blocks(id)?;
        let plan = store.load_plan_at(id, which.as_recorded.unwrap_or(now))?;
        let states = store.figure_states(&plan.id)?;
        Ok(PlanInBlocks { plan, states, which, figures })
    }

    /// [`settle_as_of`]: the default is found among the figures of the latest windows
    /// only, a window at a time, until one has a figure that counts.
    pub fn as_of(&self, purpose: &Text, lang: Lang) -> Result<Period> {
        let which = self.which;
        if which.as_of.is_none() {
            for end in self.figures.window_ends()? {
                let actuals = self.figures.ending_at(end)?;
                let counted = counting_figures(&actuals, &self.states, which.as_recorded, which.counting);
                if default_as_of(&self.plan, &counted).is_some() {
                    return settle_as_of(&self.plan, &counted, None, which.as_recorded, purpose, lang);
                }
            }
        }
        settle_as_of(&self.plan, &[], which.as_of, which.as_recorded, purpose, lang)
    }

    /// Every figure (revisions included) of the targets `block` and of those they keep
    /// in step with: what [`counting_figures`] and `status::evaluate_targets` need.
    pub fn figures_of(&self, block: &[crate::plan::Target]) -> Result<Vec<Actual>> {
        let codes = block.iter().map(|t| t.code.as_str());
        let mut wanted: Vec<&str> = codes.chain(block.iter().filter_map(|t| t.related.as_deref())).collect();
        wanted.sort_unstable();
        wanted.dedup();
        Ok(self.figures.of_targets(&wanted)?)
    }
}

/// The as-of period for `status`, `chart` and `report`: as given (it must fall in the
/// plan's year), else the latest period with a figure (docs/status-rules.md). `purpose` ends
/// the sentence "there is no latest period to …" (`report on`, in Chinese `报告`).
pub fn settle_as_of(
    plan: &Plan,
    figures: &[&Actual],
    requested: Option<Period>,
    as_recorded: Option<DateTime<Utc>>,
    purpose: &Text,
    lang: Lang,
) -> Result<Period> {
    let (id, year) = (&plan.id, plan.year);
    match requested {
        Some(period) => match plan.check_period_in_year(period) {
            Ok(()) => Ok(period),
            Err(error) => anyhow::bail!(lang.choose(
                format!("截至期别 {}；请使用 {year} 年的期别（如 --as-of {year}Q3）", error.localize(lang)),
                format!("the as-of period {}; use a period of {year} (e.g. --as-of {year}Q3)", error.localize(lang))
            )),
        },
        None => default_as_of(plan, figures).with_context(|| {
            let moment = as_recorded.map(|moment| crate::present::moment_to_second(moment, plan.timezone, lang));
            lang.choose(
                format!(
                    "计划 {id} {}尚无数据，无从确定可{}的最近期别：请先用 `ontrack record` 或 `ontrack import` 录入\
                     数据，或加 --as-of P（如 --as-of {year}Q1）",
                    moment.as_ref().map(|m| format!("截至记录时间 {m} ")).unwrap_or_default(),
                    purpose.zh
                ),
                format!(
                    "plan {id} has no figures{}, so there is no latest period to {}: log figures with `ontrack \
                     record` or `ontrack import`, or pass --as-of P (e.g. --as-of {year}Q1)",
                    moment.as_ref().map(|m| format!(" as recorded at {m}")).unwrap_or_else(|| " yet".to_string()),
                    purpose.en
                ),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::error::StoreError;
    use crate::lang::Lang;

    /// The printed sentence is the store's fact and the command line's advice, joined
    /// as one sentence; the fact alone (`Display`, the web desk) names no flag.
    #[test]
    fn a_store_error_is_printed_with_the_command_lines_advice() {
        let cases = [
            (
                StoreError::Missing { path: "a.db".into() },
                "a.db 处没有数据库：请先运行 `ontrack init`（或用 --db PATH / ONTRACK_DB 指定数据库）",
                "no database at a.db: run `ontrack init` first (or pass --db PATH / set ONTRACK_DB)",
            ),
            (
                StoreError::Exists { path: "a.db".into() },
                "数据库 a.db 已存在，未作任何更改。可直接使用，或指定其他 --db，或加 --force 替换",
                "the database a.db already exists; nothing was changed. Use it as it is, pass another --db, or add \
                 --force to replace it",
            ),
            (
                StoreError::NothingToRevise { target: "t".into(), period: "2020Q1".into() },
                "t 在 2020Q1 尚无数据，无可修订；请去掉 --revise 直接录入",
                "t has no figure for 2020Q1 to revise; log it without --revise",
            ),
            (
                StoreError::TooNew { path: "a.db".into(), found: 9, known: 2 },
                "数据库 a.db 由更新版本的 ontrack 写入（结构版本 9，本程序最高支持 2），未作任何更改。请升级 ontrack，\
                 或用 --db 指定其他文件。",
                "the database a.db was written by a newer ontrack (schema version 9, this binary knows up to 2); \
                 nothing was changed. Upgrade ontrack, or point --db at another file.",
            ),
        ];
        for (error, zh, en) in cases {
            assert!(!error.to_string().contains("--") && !error.to_string().contains("ontrack init"), "{error}");
            let error = anyhow::Error::new(error);
            assert_eq!(crate::error_text(&error, Lang::Zh), zh);
            assert_eq!(crate::error_text(&error, Lang::En), en);
        }
        // A damaged file: the store says so; running `check` and restoring is the
        // command line's advice, which `check`'s own table must not repeat.
        let damaged = || {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(11),
                Some("database disk image is malformed".to_string()),
            ))
        };
        assert_eq!(
            damaged().to_string(),
            "database disk image is malformed: the database file is damaged; nothing was changed"
        );
        let cases = [(
            damaged(),
            "database disk image is malformed：数据库文件已损坏，未作任何更改。请运行 `ontrack check` 查看损坏情况，并从备份恢复",
            "database disk image is malformed: the database file is damaged; nothing was changed. Run `ontrack check` to \
             see the damage, and restore from a backup",
        )];
        for (error, zh, en) in cases {
            let error = anyhow::Error::new(error);
            assert_eq!(crate::error_text(&error, Lang::Zh), zh);
            assert_eq!(crate::error_text(&error, Lang::En), en);
        }
    }
}
