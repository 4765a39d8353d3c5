//! `ontrack completions SHELL`: a completion script on stdout.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::output::write_output;

pub fn run(args: CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "ontrack", &mut script);
    write_output(&script, None)
}
