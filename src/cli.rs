//! The command line: clap structs only. Raw flags stop here; commands convert them to
//! domain types before calling the core.

use std::path::PathBuf;

use clap::builder::{EnumValueParser, TypedValueParser as _};
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::lang::{Lang, Localize};
use crate::output::{clip, ListFormat, CLIP_AT};
use crate::period::{Period, PeriodError};
use crate::report::Format;
use crate::time::{PlanZone, TypedMoment};

#[derive(Debug, Parser)]
#[command(
    name = "ontrack",
    version,
    about = "Tracks a local government's annual targets: actual figures against the goals of its work report",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 the operation failed (bad data, refused write), 2 bad usage, \
                  3 the database stayed busy."
)]
pub struct Cli {
    /// The database file [default: $ONTRACK_DB if set and not empty, else ./ontrack.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language of labels and reports
    #[arg(long, global = true, default_value = "zh", value_parser = lang_parser())]
    pub lang: Lang,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Reads the process's command line, or exits with clap's usage error (exit 2). clap
    /// speaks English; a period it could not read is said in `--lang`'s language, as
    /// every other refusal is.
    pub fn parse_localized() -> Cli {
        let error = match Cli::try_parse() {
            Ok(cli) => return cli,
            Err(error) => error,
        };
        let period = std::error::Error::source(&error).and_then(|cause| cause.downcast_ref::<PeriodError>());
        if let (Some(period), Lang::Zh) = (period, lang_of_bad_command_line()) {
            let argument = match error.get(clap::error::ContextKind::InvalidArg) {
                Some(clap::error::ContextValue::String(argument)) => format!("{argument} "),
                _ => String::new(),
            };
            eprintln!("错误：{argument}的值无效：{}", period.localize(Lang::Zh));
            std::process::exit(i32::from(crate::error::exit::USAGE));
        }
        error.exit()
    }
}

/// `--lang` of a command line clap refused: read again with every other value taken as
/// it is, so a bad value before `--lang` does not hide it (Chinese unless it says en).
fn lang_of_bad_command_line() -> Lang {
    let mut command = Cli::command();
    let valued: Vec<(String, Vec<String>)> = command
        .get_subcommands()
        .map(|sub| {
            let ids =
                sub.get_arguments().filter(|arg| arg.get_action().takes_values()).map(|arg| arg.get_id().to_string());
            (sub.get_name().to_string(), ids.collect())
        })
        .collect();
    for (name, ids) in valued {
        command = command.mut_subcommand(name, |sub| {
            ids.into_iter()
                .fold(sub, |sub, id| sub.mut_arg(id, |arg| arg.value_parser(clap::builder::ValueParser::os_string())))
        });
    }
    command
        .ignore_errors(true)
        .try_get_matches()
        .ok()
        .and_then(|matches| matches.get_one::<Lang>("lang").copied())
        .unwrap_or_default()
}

/// `--lang zh|en`, read into a `Lang` once; clap lists the two and refuses any other.
fn lang_parser() -> impl clap::builder::TypedValueParser<Value = Lang> {
    clap::builder::PossibleValuesParser::new(["zh", "en"]).map(|lang| if lang == "en" { Lang::En } else { Lang::Zh })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database and load the built-in plan (Jinshui District 2020)
    Init(InitArgs),
    /// Plans in and out: list, show, import, export
    #[command(subcommand)]
    Plan(PlanCommand),
    /// The targets of a plan, with their goal in words
    Targets(TargetsArgs),
    /// A status report: Markdown, self-contained HTML, CSV, JSON or Excel
    Report(ReportArgs),
    /// The whole job on the built-in plan with illustrative 2020 figures
    Demo(DemoArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Check the database: SQLite's integrity and foreign keys, and ontrack's own invariants
    Check(FormatArg),
    /// Write a consistent copy of the database while others may be writing
    Backup(BackupArgs),
    /// Log one figure for a target and period (a revision with --revise --reason)
    Record(RecordArgs),
    /// Log many figures from a .csv or .xlsx sheet, all or nothing
    Import(ImportArgs),
    /// Write the fill-in sheet (.xlsx or .csv) a department receives for a period
    Template(TemplateArgs),
    /// Every figure and revision of a target, with source, who, when, note and reason
    History(HistoryArgs),
    /// Where every target stands: gap, progress against pace (序时进度), status
    Status(StatusArgs),
    /// Draft a plan file from the text of a work report (to stdout, or --out FILE)
    Extract(ExtractArgs),
    /// SVG gap charts: one per target (CODE.svg) and the overview (overview.svg)
    Chart(ChartArgs),
    /// Every standing figure with its review state (已报送 submitted, 已退回 returned, 已审核 approved, 已作废 void)
    Figures(FiguresArgs),
    /// Review figures (审核): approve, return with a reason (退回), reopen an approved one (重新打开)
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Withdraw figures logged by mistake (作废): by id, or a whole import with --import ID
    Void(VoidArgs),
    /// Who has reported (报送完整性): per lead unit, the targets due in a period — submitted, on time, approved, returned, missing
    Completeness(CompletenessArgs),
    /// The web desk (网页填报): departments log figures, the office reviews, leaders read — in a browser
    Serve(ServeArgs),
    /// Accounts of the web desk: add, list, disable, enable, reset a password
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log of the web desk and of account changes: sign-ins, refusals, every write
    Audit(AuditArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen: loopback only unless this names another address (e.g. 0.0.0.0:8080)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// TLS certificate chain (PEM); with --tls-key, the desk speaks HTTPS only
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; prints a one-time password to change at first sign-in
    Add(UserAddArgs),
    /// Every account: role, lead unit, state, sessions
    List(FormatArg),
    /// Disable an account and end its sessions at once (the account and its records stay)
    Disable(UserNameArg),
    /// Enable a disabled account again
    Enable(UserNameArg),
    /// Set a new one-time password (printed once) and end the account's sessions
    Reset(UserResetArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// The sign-in name: letters, digits and . _ - (e.g. zhang.wei)
    pub name: String,
    /// filer 填报员 · reviewer 审核员 · leader 领导 · admin 管理员
    #[arg(long, value_parser = ["filer", "reviewer", "leader", "admin"])]
    pub role: String,
    /// A filer's lead unit (牵头单位), as the plan file writes it
    #[arg(long, value_name = "U")]
    pub unit: Option<String>,
    /// Read the password from standard input (for scripts) instead of printing a one-time one
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct UserNameArg {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct UserResetArgs {
    pub name: String,
    /// Read the new password from standard input instead of printing a one-time one
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only lines from this moment on (2020-10-15 or RFC 3339)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only the last N lines
    #[arg(long, value_name = "N")]
    pub last: Option<usize>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CompletenessArgs {
    /// The period: 2020Q1, 2020-03, 2020 … (the targets a template for it asks are due)
    #[arg(long, value_name = "P")]
    pub period: Period,
    /// Only the targets this unit leads (牵头单位)
    #[arg(long, value_name = "U")]
    pub lead_unit: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct FiguresArgs {
    /// Only this window: 2020Q3, 2020-09 … (a period's window is its end month)
    #[arg(long, value_name = "P")]
    pub period: Option<Period>,
    /// Only the targets this unit leads (牵头单位)
    #[arg(long, value_name = "U")]
    pub lead_unit: Option<String>,
    /// Only figures in this state
    #[arg(long, value_enum, value_name = "S")]
    pub state: Option<StateArg>,
    /// Only the figures this import wrote (its id is printed when it is done)
    #[arg(long, value_name = "ID")]
    pub import: Option<i64>,
    #[command(flatten)]
    pub format: FormatArg,
    #[command(flatten)]
    pub plan: PlanArg,
}

/// A figure's review state at the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateArg {
    Submitted,
    Returned,
    Approved,
    Void,
}

impl From<StateArg> for crate::review::FigureState {
    fn from(state: StateArg) -> crate::review::FigureState {
        use crate::review::FigureState;
        match state {
            StateArg::Submitted => FigureState::Submitted,
            StateArg::Returned => FigureState::Returned,
            StateArg::Approved => FigureState::Approved,
            StateArg::Void => FigureState::Void,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Approve figures (submitted → approved): their windows are locked until reopened
    Approve(ReviewArgs),
    /// Return figures to their unit with --reason (submitted → returned): they stop counting
    Return(ReviewArgs),
    /// Reopen approved figures with --reason (approved → submitted): their windows unlock
    Reopen(ReviewArgs),
}

/// Which figures a review acts on, who acts, and why.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Figure ids (`ontrack figures` lists them)
    #[arg(value_name = "ID", required_unless_present = "period", conflicts_with = "period")]
    pub ids: Vec<i64>,
    /// Instead of ids: every standing figure of this window of the targets --lead-unit leads
    #[arg(long, value_name = "P", requires = "lead_unit")]
    pub period: Option<Period>,
    /// The lead unit (牵头单位) for --period
    #[arg(long, value_name = "U", requires = "period")]
    pub lead_unit: Option<String>,
    /// Why (required to return or reopen)
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
    /// Who reviews [default: the operating-system user]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    /// Figure ids (`ontrack figures` lists them)
    #[arg(value_name = "ID", required_unless_present = "import", conflicts_with = "import")]
    pub ids: Vec<i64>,
    /// Instead of ids: every standing figure this import wrote
    #[arg(long, value_name = "ID")]
    pub import: Option<i64>,
    /// Why the figures are withdrawn (required)
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
    /// Who withdraws them [default: the operating-system user]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Load this plan file instead of the built-in plan
    #[arg(long, value_name = "FILE", conflicts_with = "empty")]
    pub plan: Option<PathBuf>,
    /// Create the database with no plan
    #[arg(long)]
    pub empty: bool,
    /// Replace an existing ontrack database (backed up beside it first; any other file is refused)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// The plans in the database
    List {
        #[command(flatten)]
        format: FormatArg,
        /// Archived plans too
        #[arg(long)]
        all: bool,
    },
    /// One plan: organisation, year, source, sections
    Show {
        /// Plan id [default: the most recently loaded plan]
        id: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Load a plan file (TOML) into the database
    Import {
        file: PathBuf,
        /// Check the file and say what would be loaded, without writing
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a plan as a plan file (to stdout, or --out FILE)
    Export {
        /// Plan id [default: the most recently loaded plan]
        id: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists (else an existing file is refused)
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Adjust a target's value mid-year (调整目标), with reason and document
    Adjust(AdjustArgs),
    /// Draft next year's plan file from this one (values to fill in)
    Next(NextArgs),
    /// Archive a plan: kept with its figures, hidden from lists, takes no new figures
    Archive {
        /// Plan id
        id: String,
    },
    /// Remove a plan that has no figures and no adjustments
    Remove {
        /// Plan id
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct AdjustArgs {
    /// Target code (`ontrack targets` lists them)
    pub code: String,
    /// The adjusted value, in the target's unit
    #[arg(long, value_name = "V", allow_negative_numbers = true)]
    pub value: f64,
    /// A new strive bar (力争), beyond the value in the direction of cmp [default: unchanged]
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub strive: Option<f64>,
    /// Why (required): 受疫情影响，经区人大常委会批准调整
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
    /// The document that decided it (文号): 区政发〔2020〕12号
    #[arg(long, value_name = "D")]
    pub document: Option<String>,
    /// From when it holds: a date (its first moment on the plan's clock) or an RFC 3339 time
    /// [default: now]
    #[arg(long, value_name = "T")]
    pub effective: Option<String>,
    /// Who records it [default: the operating-system user]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// This year's plan id
    pub id: String,
    /// The year of the new plan
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2999))]
    pub year: i32,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists (else an existing file is refused)
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format
    #[arg(long, default_value = "table", value_parser = EnumValueParser::<ListFormatArg>::new().map(ListFormat::from))]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct PlanArg {
    /// Plan id [default: the most recently loaded plan]
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
}

#[derive(Debug, Args)]
pub struct TargetsArgs {
    #[command(flatten)]
    pub plan: PlanArg,
    /// Only this section (main, A, B …)
    #[arg(long, value_name = "S")]
    pub section: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new backup file (must not exist yet)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Target code (`ontrack targets` lists them)
    pub target: String,
    /// Period: 2020, 2020H1, 2020Q3, 2020-09, 2020年前三季度, 2020年1-5月 …
    #[arg(value_parser = parse_typed_period)]
    pub period: TypedPeriod,
    /// The figure in the target's unit; negative values as typed (-5.2)
    #[arg(allow_negative_numbers = true, allow_hyphen_values = true)]
    pub value: String,
    /// Where the figure comes from (区统计局 2020年三季度统计月报)
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// A note kept with the figure
    #[arg(long, value_name = "N")]
    pub note: Option<String>,
    /// Who logs it [default: the operating-system user]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Log a revision of the figure already standing for this window (needs --reason)
    #[arg(long, requires = "reason")]
    pub revise: bool,
    /// Why the figure is revised (初步核算 → 最终核实)
    #[arg(long, value_name = "R", requires = "revise")]
    pub reason: Option<String>,
    #[command(flatten)]
    pub plan: PlanArg,
}

/// A period read at the command line, with the words it was typed in: a refusal
/// repeats what the person typed (`2020年前三季度`, not `2020Q3`).
#[derive(Debug, Clone)]
pub struct TypedPeriod {
    pub period: Period,
    pub typed: String,
}

fn parse_typed_period(text: &str) -> Result<TypedPeriod, PeriodError> {
    // Repeated as `validate` repeats a cell: trimmed and clipped.
    let period = text.parse().map_err(|_| PeriodError::Unparsed(clip(text.trim(), CLIP_AT).into_owned()))?;
    Ok(TypedPeriod { period, typed: text.to_string() })
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A .csv (UTF-8, or GBK from Excel) or .xlsx file with columns target, period, value
    /// [source, note, by, reason, plan] or 指标代码, 期间, 数值 [来源, 备注, 填报人, 修订原因, 计划]
    pub file: PathBuf,
    /// Check every row and say what would be written, without writing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The period the figures are for: 2020Q3, 2020-09, 2020 …
    #[arg(long, value_name = "P")]
    pub period: Period,
    /// Only the targets this unit leads (牵头单位), e.g. 区统计局
    #[arg(long, value_name = "U")]
    pub lead_unit: Option<String>,
    /// The file to write: .xlsx or .csv
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub plan: PlanArg,
    /// Replace the file if it exists (else an existing file is refused, nothing written)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Target code
    pub target: String,
    /// Show what was known at this moment: a date (2020-10-31, the end of that day in the
    /// plan's time zone) or an RFC 3339 time (2020-10-31T12:00:00+08:00)
    #[arg(long, value_name = "DATE", value_parser = parse_as_recorded)]
    pub as_recorded: Option<TypedMoment>,
    #[command(flatten)]
    pub format: FormatArg,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub plan: PlanArg,
    #[command(flatten)]
    pub when: WhenArgs,
    /// Only this section (main, A, B …)
    #[arg(long, value_name = "S")]
    pub section: Option<String>,
    /// Only the targets behind (预警, 滞后, 未完成, 基本完成) or overdue (未报送)
    #[arg(long, value_enum, value_name = "WHICH")]
    pub only: Option<OnlyFilter>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `--as-of` and `--as-recorded`: which period and which figures `status`, `chart` and
/// `report` show.
#[derive(Debug, Default, Args)]
pub struct WhenArgs {
    /// The as-of period: 2020Q3, 2020-08, 2020H1, 2020年前三季度 … [default: the latest period with any figure]
    #[arg(long, value_name = "P")]
    pub as_of: Option<Period>,
    /// Use the figures as they were recorded at this moment: a date (the end of that day in the plan's time zone) or an RFC 3339 time
    #[arg(long, value_name = "DATE", value_parser = parse_as_recorded)]
    pub as_recorded: Option<TypedMoment>,
    /// Count approved figures (已审核) only; by default every current figure counts but returned and void ones
    #[arg(long)]
    pub approved_only: bool,
}

impl WhenArgs {
    /// The `--as-recorded` moment, a date read in the plan's time zone.
    pub fn recorded_at(&self, zone: PlanZone) -> Option<chrono::DateTime<chrono::Utc>> {
        self.as_recorded.map(|moment| moment.resolve(zone))
    }

    /// Which figures count.
    pub fn counting(&self) -> crate::review::Counting {
        if self.approved_only {
            crate::review::Counting::ApprovedOnly
        } else {
            crate::review::Counting::AllCurrent
        }
    }
}

/// `--format` of listings, on clap's side: the library's `ListFormat` knows no clap.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ListFormatArg {
    Table,
    Json,
    Csv,
}

impl From<ListFormatArg> for ListFormat {
    fn from(format: ListFormatArg) -> ListFormat {
        match format {
            ListFormatArg::Table => ListFormat::Table,
            ListFormatArg::Json => ListFormat::Json,
            ListFormatArg::Csv => ListFormat::Csv,
        }
    }
}

/// `report --format`, on clap's side of `report::Format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ReportFormatArg {
    Md,
    Html,
    Csv,
    Json,
    Xlsx,
}

impl From<ReportFormatArg> for Format {
    fn from(format: ReportFormatArg) -> Format {
        match format {
            ReportFormatArg::Md => Format::Md,
            ReportFormatArg::Html => Format::Html,
            ReportFormatArg::Csv => Format::Csv,
            ReportFormatArg::Json => Format::Json,
            ReportFormatArg::Xlsx => Format::Xlsx,
        }
    }
}

/// `--only behind|overdue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyFilter {
    Behind,
    Overdue,
}

/// `--as-recorded`: a date (`2020-10-15`, the end of that day in the plan's time zone,
/// which is known once the plan is loaded) or an RFC 3339 time (`2020-10-15T09:00:00+08:00`).
pub fn parse_as_recorded(text: &str) -> Result<TypedMoment, String> {
    TypedMoment::parse(text).ok_or_else(|| {
        format!("{:?} is not a date or time: use a date such as 2020-10-15 (the end of that day in the plan's time zone) or an RFC 3339 time such as 2020-10-15T09:00:00+08:00", text.trim())
    })
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// md, html, csv, json or xlsx [default: from the --out file's extension, else md]
    #[arg(long, value_parser = EnumValueParser::<ReportFormatArg>::new().map(Format::from))]
    pub format: Option<Format>,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file if it exists (else an existing file is refused, nothing written)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub when: WhenArgs,
    #[command(flatten)]
    pub plan: PlanArg,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the demo database, charts and reports (a rerun replaces only what the demo made)
    #[arg(long, value_name = "DIR", default_value = "ontrack-demo")]
    pub dir: PathBuf,
    /// Then serve the web desk on the demo database, with demo accounts whose passwords are printed once (loopback only)
    #[arg(long)]
    pub serve: bool,
    /// Where the demo desk listens: a loopback address only (127.0.0.1 or ::1)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080", requires = "serve")]
    pub bind: std::net::SocketAddr,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The report or news article: plain text, UTF-8 or GBK
    pub report: PathBuf,
    /// The organisation (金水区) [default: guessed from the text]
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// The plan year [default: the year the text names most often]
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2999))]
    pub year: Option<i32>,
    /// Write the draft plan file here instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists (else an existing file is refused)
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Target codes to chart [default: every target, and the overview]
    pub codes: Vec<String>,
    /// The overview of the whole plan (alone, unless codes are given too)
    #[arg(long)]
    pub overview: bool,
    #[command(flatten)]
    pub when: WhenArgs,
    /// The directory the charts are written into (created if missing)
    #[arg(long, value_name = "DIR", default_value = "charts")]
    pub out: PathBuf,
    #[command(flatten)]
    pub plan: PlanArg,
    /// Replace files named like a chart that ontrack did not draw (else they are refused)
    #[arg(long)]
    pub force: bool,
}
