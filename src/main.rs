use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ontrack::run(ontrack::cli::Cli::parse())
}
