//! One file per command: each loads what it needs from the store, calls the core,
//! and hands finished bytes to `output::write_output`.

mod chart;
mod completions;
mod demo;
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
use chrono::{DateTime, Utc};

use crate::cli::{Cli, Command};
use crate::lang::Lang;
use crate::store::{Store, DEFAULT_BUSY_TIMEOUT};

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
