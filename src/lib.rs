//! ontrack: tracks a local government's annual targets against the actual figures
//! its departments log. See ARCHITECTURE.md for the map of the modules.

/// Every message line ontrack prints is made terminal-safe here, once, so no message
/// can forget it: file names, cells of a department's sheet, a plan's texts and the
/// error chain may hold ESC, BEL or bidi overrides, which must not reach a terminal raw
/// (`output::terminal_safe_lines` keeps the line breaks). These shadow std's macros in
/// the whole crate; `eprint!` stays std's, for the progress line's own escapes, and
/// listings go through `output::write_output` with their cells made safe.
macro_rules! println {
    () => {
        ::std::println!()
    };
    ($($arg:tt)*) => {
        ::std::println!("{}", $crate::output::terminal_safe_lines(&::std::format!($($arg)*)))
    };
}

macro_rules! eprintln {
    () => {
        ::std::eprintln!()
    };
    ($($arg:tt)*) => {
        ::std::eprintln!("{}", $crate::output::terminal_safe_lines(&::std::format!($($arg)*)))
    };
}

pub mod actual;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod error;
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
pub mod status;
pub mod store;
pub mod template;
pub mod time;
pub mod validate;

use std::process::ExitCode;

use crate::error::{exit, StoreError};

/// Runs one command line and returns the process exit code. Errors are printed to
/// stderr with their whole context chain, in the language of `--lang`.
pub fn run(cli: cli::Cli) -> ExitCode {
    let lang = cli.lang();
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}{}", lang.pick("错误：", "error: "), error::error_text(&error, lang));
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
