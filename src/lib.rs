//! ontrack: tracks a local government's annual targets against the actual figures
//! its departments log. See ARCHITECTURE.md for the map of the modules.

/// Every message line ontrack prints is made terminal-safe here, once, so no message
/// can forget it: file names, cells of a department's sheet, a plan's texts and the
/// error chain may hold ESC, BEL or bidi overrides, which must not reach a terminal raw
/// (`escape::terminal_lines` keeps the line breaks). These shadow std's macros in
/// the whole crate; `eprint!` stays std's, for the progress line's own escapes, and
/// listings go through `output::write_output` with their cells made safe.
macro_rules! println {
    () => {
        ::std::println!()
    };
    ($($arg:tt)*) => {
        ::std::println!("{}", $crate::escape::terminal_lines(&::std::format!($($arg)*)))
    };
}

macro_rules! eprintln {
    () => {
        ::std::eprintln!()
    };
    ($($arg:tt)*) => {
        ::std::eprintln!("{}", $crate::escape::terminal_lines(&::std::format!($($arg)*)))
    };
}

pub mod access;
pub mod accounts;
pub mod actual;
pub mod adjust;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod completeness;
pub mod deadline;
pub mod entry;
pub mod error;
pub mod escape;
pub mod extract;
pub mod html;
pub mod import;
pub mod input;
pub mod lang;
pub mod numbers;
pub mod output;
pub mod parallel;
pub mod period;
pub mod plan;
pub mod present;
pub mod report;
pub mod review;
pub mod status;
pub mod store;
pub mod template;
pub mod time;
pub mod validate;
pub mod web;

use std::process::ExitCode;

use crate::error::{exit, StoreError};
use crate::lang::Localize;

/// Runs one command line and returns the process exit code. Errors are printed to
/// stderr with their whole context chain, in the language of `--lang`.
pub fn run(cli: cli::Cli) -> ExitCode {
    let lang = cli.lang();
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}{}", lang.pick("错误：", "error: "), error_text(&error, lang));
            ExitCode::from(exit_code(&error))
        }
    }
}

/// Maps an error to its documented exit code.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let busy = error.chain().any(|cause| matches!(cause.downcast_ref::<StoreError>(), Some(StoreError::Busy { .. })));
    if busy {
        exit::BUSY
    } else {
        exit::FAILED
    }
}

/// An error and its causes in `lang`, joined as anyhow's `{:#}` joins them: each typed
/// error of ours in `lang`, context strings as the command layer made them (already in
/// `lang`), anything else as it says itself.
pub fn error_text(error: &anyhow::Error, lang: lang::Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = localize_cause(cause, lang);
        // An error that already says its source (`path: reason`) is not followed by
        // the source again.
        if !parts.last().is_some_and(|last| last.ends_with(&text)) {
            parts.push(text);
        }
    }
    parts.join(lang.pick("：", ": "))
}

/// One cause of an error chain in `lang`: the one place that knows which error types
/// speak both languages, so it lives here, above every module that raises them.
pub fn localize_cause(cause: &(dyn std::error::Error + 'static), lang: lang::Lang) -> String {
    if let Some(error) = cause.downcast_ref::<crate::lang::Text>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<crate::error::StoreError>() {
        // The store says what happened; the command line adds its flags.
        return error.localize(lang) + &commands::advice(error, lang).unwrap_or_default();
    }
    if let Some(error) = cause.downcast_ref::<crate::error::PlanError>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<crate::period::PeriodError>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<crate::validate::FigureProblem>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<crate::import::ImportError>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<crate::extract::ExtractError>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<crate::output::OutputError>() {
        return error.localize(lang);
    }
    if let Some(error) = cause.downcast_ref::<std::io::Error>() {
        return crate::lang::io_text(error, lang);
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::error_text;
    use crate::error::StoreError;
    use crate::lang::Lang;

    #[test]
    fn a_chain_is_printed_in_one_language() {
        let error = anyhow::Error::new(StoreError::BackupExists { path: "c.db".into() })
            .context(Lang::Zh.choose("无法备份".to_string(), "cannot back up".to_string()));
        assert_eq!(error_text(&error, Lang::Zh), "无法备份：c.db 已存在，未写入任何内容。请为备份另选文件名");
        let error = anyhow::Error::new(StoreError::BackupExists { path: "c.db".into() }).context("cannot back up");
        assert_eq!(
            error_text(&error, Lang::En),
            "cannot back up: c.db already exists; nothing was written. Choose a new file name for the backup"
        );
        assert_eq!(error_text(&error, Lang::En), format!("{error:#}"), "the English chain is anyhow's");
        let missing = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let error = anyhow::Error::new(StoreError::Io { path: "a.db".into(), error: missing() });
        assert_eq!(error_text(&error, Lang::Zh), "a.db：文件或目录不存在", "the source is said once");
        assert_eq!(error_text(&error, Lang::En), format!("a.db: {}", missing()));
    }
}
