//! One file per command: each loads what it needs from the store, calls the core,
//! and hands finished bytes to `output::write_output`.

mod backup;
mod chart;
mod check;
mod completions;
mod demo;
mod extract;
mod history;
mod import;
mod init;
mod plan;
mod record;
mod report;
mod status;
mod targets;
mod template;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use chrono::{DateTime, SecondsFormat, Utc};

use crate::actual::Actual;
use crate::cli::{Cli, Command};
use crate::lang::{Lang, Localize, Text};
use crate::period::Period;
use crate::plan::Plan;
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
/// of 1G). Only for values a command holds until it ends.
pub(crate) fn free_at_exit<T>(value: T) {
    std::mem::forget(value);
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
            let moment = as_recorded.map(|moment| moment.to_rfc3339_opts(SecondsFormat::Secs, true));
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
