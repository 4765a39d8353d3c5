use std::process::ExitCode;

fn main() -> ExitCode {
    ontrack::run(ontrack::cli::Cli::parse_localized())
}
