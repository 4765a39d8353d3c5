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
use crate::error::{clock_behind_message, StoreError};
use crate::lang::Lang;
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
        let (now, now_fixed) = match std::env::var("ONTRACK_NOW") {
            Ok(text) if !text.is_empty() => (
                crate::store::parse_timestamp(&text).with_context(|| {
                    format!("ONTRACK_NOW={text:?} is not an RFC 3339 time such as 2020-10-15T09:00:00Z")
                })?,
                true,
            ),
            _ => (Utc::now(), false),
        };
        let busy_timeout = match std::env::var("ONTRACK_BUSY_TIMEOUT_MS") {
            Ok(text) if !text.is_empty() => Duration::from_millis(
                text.parse()
                    .with_context(|| format!("ONTRACK_BUSY_TIMEOUT_MS={text:?} is not a number of milliseconds"))?,
            ),
            _ => DEFAULT_BUSY_TIMEOUT,
        };
        Ok(Context {
            db: cli.db.clone().unwrap_or_else(|| PathBuf::from("ontrack.db")),
            lang: cli.lang(),
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

    /// A store error as the user reads it: the messages this layer words in both
    /// languages, the rest as they are.
    pub fn store_error(&self, error: StoreError) -> anyhow::Error {
        match error {
            StoreError::ClockBehind { set, clock, latest } => {
                anyhow::anyhow!(clock_behind_message(self.lang, set, &clock, &latest))
            }
            other => other.into(),
        }
    }

    /// Opens the existing database.
    pub fn open(&self) -> Result<Store> {
        Store::open(&self.db, self.busy_timeout).map_err(Into::into)
    }
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
        Command::Extract(args) => extract::run(args),
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

/// Refuses a `--section` the plan does not have, naming the ones it has.
pub fn check_section(plan: &Plan, section: Option<&str>) -> Result<()> {
    if let Some(section) = section {
        if plan.section(section).is_none() {
            let known: Vec<&str> = plan.sections.iter().map(|s| s.id.as_str()).collect();
            anyhow::bail!("plan {} has no section {section:?}; its sections are {}", plan.id, known.join(", "));
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
/// plan's year), else the latest period with a figure (PRODUCT.md §3). `purpose` ends
/// the sentence "there is no latest period to …".
pub fn settle_as_of(
    plan: &Plan,
    figures: &[&Actual],
    requested: Option<Period>,
    as_recorded: Option<DateTime<Utc>>,
    purpose: &str,
) -> Result<Period> {
    match requested {
        Some(period) if period.year != plan.year => anyhow::bail!(
            "the as-of period {period} is outside plan {}'s year {}: use a period of {} (e.g. --as-of {}Q3)",
            plan.id,
            plan.year,
            plan.year,
            plan.year
        ),
        Some(period) => Ok(period),
        None => default_as_of(plan, figures).with_context(|| {
            let when = match as_recorded {
                Some(moment) => format!(" as recorded at {}", moment.to_rfc3339_opts(SecondsFormat::Secs, true)),
                None => " yet".to_string(),
            };
            format!(
                "plan {} has no figures{when}, so there is no latest period to {purpose}: log figures with `ontrack \
                 record` or `ontrack import`, or pass --as-of P (e.g. --as-of {}Q1)",
                plan.id, plan.year
            )
        }),
    }
}
