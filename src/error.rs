//! Typed errors of the library. Each says what was wrong, where, and what to do; the
//! command layer adds context with `anyhow` and maps them to exit codes. Each error
//! keeps its data and says its message in either language ([`Localize`]); the command
//! layer (`crate::error_text`) prints a whole chain in the language asked for.

use std::fmt;

use crate::lang::{io_text, Lang, Localize, Text};

/// Exit codes, documented in the README.
pub mod exit {
    /// The operation failed: bad data, a refused write, a missing file.
    pub const FAILED: u8 = 1;
    /// Bad usage: unknown flag, missing argument.
    pub const USAGE: u8 = 2;
    /// The database stayed busy (another writer held it) past the wait limit.
    pub const BUSY: u8 = 3;
}

/// One problem found in a plan file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProblem {
    /// `target gdp-growth` or `target #3`, `[plan]`, `[sections]`; empty for the whole file.
    pub place: String,
    pub field: Option<String>,
    pub message: Text,
}

impl Localize for PlanProblem {
    fn localize(&self, lang: Lang) -> String {
        let message = self.message.get(lang);
        let place = match lang {
            Lang::En => self.place.clone(),
            // The place is written `target CODE` or `target #N` (plan/file.rs).
            Lang::Zh => match self.place.strip_prefix("target ") {
                Some(rest) => match rest.strip_prefix('#') {
                    Some(number) => format!("第 {number} 个指标"),
                    None => format!("指标 {rest}"),
                },
                None => self.place.clone(),
            },
        };
        match (place.is_empty(), &self.field, lang) {
            (true, None, _) => message.to_string(),
            (true, Some(field), Lang::Zh) => format!("字段 `{field}`：{message}"),
            (true, Some(field), Lang::En) => format!("field `{field}`: {message}"),
            (false, None, Lang::Zh) => format!("{place}：{message}"),
            (false, None, Lang::En) => format!("{place}: {message}"),
            (false, Some(field), Lang::Zh) => format!("{place}，字段 `{field}`：{message}"),
            (false, Some(field), Lang::En) => format!("{place}, field `{field}`: {message}"),
        }
    }
}

impl fmt::Display for PlanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

/// A plan file that cannot be loaded, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub file: String,
    pub problems: Vec<PlanProblem>,
}

impl Localize for PlanError {
    fn localize(&self, lang: Lang) -> String {
        let n = self.problems.len();
        let mut text = lang.choose(
            format!("计划文件 {} 有 {n} 处问题：", self.file),
            format!("plan file {} has {n} problem{}:", self.file, if n == 1 { "" } else { "s" }),
        );
        for problem in &self.problems {
            text.push_str("\n  - ");
            text.push_str(&problem.localize(lang));
        }
        text.push_str(lang.pick(
            "\n未载入任何内容。请修改文件后重新运行该命令（字段说明见 docs/plan-format.md）。",
            "\nNothing was loaded. Fix the file and run the command again (field reference: docs/plan-format.md).",
        ));
        text
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for PlanError {}

/// Errors of the storage layer. A message says what happened and what is true, and
/// what to do where that needs no command line; the command line's advice (flags,
/// commands to run) is added where the error is printed (`commands::advice`), so the
/// web desk can show the same facts to people who type no flags.
#[derive(Debug)]
pub enum StoreError {
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    NotOurs {
        path: String,
        what: ForeignFile,
    },
    Missing {
        path: String,
    },
    /// A read-only place whose write-ahead log holds changes not yet in the file.
    ReadOnlyWithWal {
        path: String,
        wal: String,
    },
    /// A write to a database in a read-only folder, file system or file.
    ReadOnlyPlace {
        path: String,
    },
    IsDirectory {
        path: String,
    },
    Exists {
        path: String,
    },
    Busy {
        waited_ms: u64,
    },
    PlanExists {
        id: String,
    },
    /// A plan and the plan it names as `parent` (or a loaded plan naming it) are of
    /// different years: a family is one year's plans.
    ParentYear {
        plan: String,
        year: i32,
        parent: String,
        parent_year: i32,
    },
    UnknownPlan {
        id: String,
        loaded: String,
    },
    NoPlan,
    /// Every plan is archived: none is the default any more.
    OnlyArchived {
        archived: String,
    },
    UnknownTarget {
        plan: String,
        code: String,
    },
    WindowTaken {
        target: String,
        period: String,
        standing: Box<crate::actual::StandingFigure>,
    },
    /// A revision with the standing figure's value and source again.
    RevisionChangesNothing {
        target: String,
        period: String,
        standing: Box<crate::actual::StandingFigure>,
    },
    NothingToRevise {
        target: String,
        period: String,
    },
    /// A write whose clock (`set`: `ONTRACK_NOW`'s) is before the latest figure stored.
    ClockBehind {
        set: bool,
        clock: String,
        latest: String,
    },
    /// A new figure or revision for a window whose standing figure (`figure`) is
    /// approved: locked until reopened.
    WindowLocked(Box<LockedWindow>),
    /// A review of a figure id the plan does not have.
    UnknownFigure {
        plan: String,
        id: i64,
    },
    /// A review of a figure that a later figure revises: only the standing one is reviewed.
    FigureRevised {
        id: i64,
        target: String,
        later: i64,
    },
    /// A review action the figure's state does not allow; `last` is who set that state, and when.
    TransitionRefused(Box<RefusedTransition>),
    /// Return, reopen or void without a reason.
    ReasonMissing {
        action: &'static str,
    },
    /// `void --import` of an import the plan does not have.
    UnknownImport {
        plan: String,
        id: i64,
    },
    /// A review of one window of a lead unit's targets that has no figure.
    NothingToReview {
        plan: String,
        period: String,
        lead_unit: String,
    },
    /// A write to an archived plan (`plan archive`).
    PlanArchived {
        id: String,
        at: String,
    },
    /// `plan remove` of a plan that holds figures or adjustments.
    PlanInUse {
        id: String,
        figures: i64,
        adjustments: i64,
    },
    /// An adjustment effective after the moment it is recorded.
    AdjustmentInFuture {
        code: String,
        effective: String,
        now: String,
    },
    /// An adjustment effective before the target's latest adjustment.
    AdjustmentBeforeLatest {
        code: String,
        effective: String,
        latest: String,
    },
    BackupExists {
        path: String,
    },
    BackupFailed {
        path: String,
        why: String,
    },
    /// The cause is part of the message, not a `source`: the error chain would say it
    /// twice.
    Io {
        path: String,
        error: std::io::Error,
    },
    /// SQLite's own words once: rusqlite's error chains SQLite's code, which says the
    /// same again ("malformed: Error code 11: … malformed"), so it is not a `source`.
    Sqlite(rusqlite::Error),
    Plan(PlanError),
    /// An account change the rules refuse (a name taken, an unknown account).
    Account(crate::accounts::AccountError),
    /// A bundle refused by the city's database, or a write to a plan a bundle brought.
    Bundle(BundleRefusal),
}

/// What the city's database refuses about a bundle, or about a plan a bundle brought.
#[derive(Debug, Clone, PartialEq)]
pub enum BundleRefusal {
    /// The city keeps a plan of this id itself (not loaded from a bundle).
    CityOwnsPlan { plan: String },
    /// The plan was loaded before from another district database.
    OtherDistrict { plan: String, loaded_from: String, bundle_from: String },
    /// A figure, review or adjustment written at the city to a plan a bundle brought.
    ReadOnly { plan: String, source_database: String },
    /// Exported at a moment after this database's clock: one of the two clocks is wrong.
    ExportedLater { plan: String, exported_at: String, now: String },
}

impl Localize for BundleRefusal {
    fn localize(&self, lang: Lang) -> String {
        match self {
            BundleRefusal::CityOwnsPlan { plan } => lang.choose(
                format!(
                    "本数据库自己管理计划 {plan}（不是由数据包载入的），数据包不能覆盖它；未作任何更改。如这是区里的计划，\
                     请区里改用其他计划编号导出"
                ),
                format!(
                    "this database keeps plan {plan} itself (it was not loaded from a bundle), and a bundle never \
                     overwrites it; nothing was changed. If the district's plan is another plan, it needs its own id"
                ),
            ),
            BundleRefusal::OtherDistrict { plan, loaded_from, bundle_from } => lang.choose(
                format!(
                    "计划 {plan} 此前由数据库 {loaded_from} 的数据包载入，而此数据包来自数据库 {bundle_from}；未作任何更改。\
                     同一计划只能由同一区的数据库发送，请核对文件来源。"
                ),
                format!(
                    "plan {plan} was loaded from bundles of database {loaded_from}, and this bundle comes from database \
                     {bundle_from}; nothing was changed. A plan comes from one district's database: check where the \
                     file came from."
                ),
            ),
            BundleRefusal::ExportedLater { plan, exported_at, now } => lang.choose(
                format!(
                    "计划 {plan} 的数据包导出于 {exported_at}，晚于本数据库的当前时间 {now}：两台计算机的时钟\
                     至少有一台不准；未作任何更改。请校准时钟后在区里重新导出"
                ),
                format!(
                    "plan {plan}'s bundle was exported at {exported_at}, after this database's time {now}: one of \
                     the two computers' clocks is wrong; nothing was changed. Set the clocks right and export it \
                     again at the district"
                ),
            ),
            BundleRefusal::ReadOnly { plan, source_database } => lang.choose(
                format!(
                    "计划 {plan} 由区里的数据包载入（数据库 {source_database}），数据归区里管理，此处只读；未作任何更改。\
                     数据请在区里录入、审核，再由新的数据包（`ontrack bundle`）送来"
                ),
                format!(
                    "plan {plan} came in a bundle from a district (database {source_database}), which owns its \
                     figures; here it is read-only and nothing was changed. Figures are logged and reviewed at the \
                     district and come in a new bundle (`ontrack bundle`)"
                ),
            ),
        }
    }
}

impl fmt::Display for BundleRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

/// A window locked by its approved standing figure `figure`: who approved it, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct LockedWindow {
    pub target: String,
    pub period: String,
    pub figure: i64,
    pub by: String,
    pub at: String,
}

/// A review action refused by figure `id`'s state `from`; `last` is who set that
/// state, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedTransition {
    pub id: i64,
    pub target: String,
    pub period: String,
    pub action: crate::review::Action,
    pub from: crate::review::FigureState,
    pub refusal: crate::review::Refusal,
    pub last: Option<(String, String)>,
}

impl Localize for StoreError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            StoreError::Account(error) => error.localize(lang),
            StoreError::TooNew { path, found, known } => lang.choose(
                format!(
                    "数据库 {path} 由更新版本的 ontrack 写入（结构版本 {found}，本程序最高支持 {known}），\
                     未作任何更改。"
                ),
                format!(
                    "the database {path} was written by a newer ontrack (schema version {found}, this binary knows \
                     up to {known}); nothing was changed."
                ),
            ),
            StoreError::NotOurs { path, what } => lang.choose(
                format!("{path} 不是 ontrack 数据库（它是{}），未作任何更改。", what.localize(Lang::Zh)),
                format!("{path} is not an ontrack database (it is {}); nothing was changed.", what.localize(Lang::En)),
            ),
            StoreError::Missing { path } => {
                lang.choose(format!("{path} 处没有数据库"), format!("no database at {path}"))
            }
            StoreError::ReadOnlyWithWal { path, wal } => lang.choose(
                format!(
                    "{path} 位于只读位置，且其预写日志 {wal} 中有尚未写入文件的更改，因此无法在此读取；未作任何更改。\
                     请在可写入的位置打开一次（或把整个文件夹复制到可写入的位置）后重试"
                ),
                format!(
                    "{path} is in a read-only place and its write-ahead log {wal} holds changes not yet in the file, \
                     so it cannot be read here; nothing was changed. Open it once where it can be written (or copy \
                     the folder somewhere writable) and try again"
                ),
            ),
            StoreError::ReadOnlyPlace { path } => lang.choose(
                format!("{path} 所在位置不可写入（只读文件夹、文件系统或文件），未写入任何内容。"),
                format!(
                    "{path} cannot be written where it is (a read-only folder, file system or file); nothing was \
                     written."
                ),
            ),
            StoreError::IsDirectory { path } => lang.choose(
                format!("{path} 是目录，不是数据库文件"),
                format!("{path} is a directory, not a database file"),
            ),
            StoreError::Exists { path } => lang.choose(
                format!("数据库 {path} 已存在，未作任何更改。"),
                format!("the database {path} already exists; nothing was changed."),
            ),
            StoreError::Busy { waited_ms } => lang.choose(
                format!(
                    "数据库持续繁忙 {}（有其他人员或程序正在写入），未写入任何内容。请稍后重试。",
                    wait_text(*waited_ms)
                ),
                format!(
                    "the database stayed busy for {} (another person or program is writing to it); nothing was \
                     written. Try again in a moment.",
                    wait_text(*waited_ms)
                ),
            ),
            StoreError::PlanExists { id } => lang.choose(
                format!("计划 {id:?} 已载入，未作任何更改。可导出该计划，或以其他计划代码载入此文件"),
                format!(
                    "plan {id:?} is already loaded; nothing was changed. Export it, or load the file under another \
                     plan id"
                ),
            ),
            StoreError::ParentYear { plan, year, parent, parent_year } => lang.choose(
                format!(
                    "计划 {plan:?}（{year} 年）的上级计划 {parent:?} 是 {parent_year} 年的计划，未作任何更改：\
                     上级计划须为同一年度，请在计划文件 [plan] 中改正 parent"
                ),
                format!(
                    "plan {plan:?} ({year}) names {parent:?} as its parent, a plan of {parent_year}; nothing was \
                     changed. A parent is the plan of the same year above it: correct `parent` in the file's [plan]"
                ),
            ),
            StoreError::UnknownPlan { id, loaded } => lang.choose(
                format!("本数据库中没有计划 {id:?}（已载入的计划：{loaded}）"),
                format!("no plan {id:?} in this database (loaded plans: {loaded})"),
            ),
            StoreError::OnlyArchived { archived } => lang.choose(
                format!("本数据库的计划都已归档（{archived}）：请用 --plan ID 指定，或载入新计划"),
                format!(
                    "every plan in this database is archived ({archived}): name one with --plan ID, or load a new plan"
                ),
            ),
            StoreError::NoPlan => {
                lang.choose("本数据库尚未载入计划".to_string(), "this database holds no plan yet".to_string())
            }
            StoreError::UnknownTarget { plan, code } => {
                lang.choose(format!("计划 {plan} 中没有指标 {code:?}"), format!("plan {plan} has no target {code:?}"))
            }
            StoreError::WindowTaken { target, period, standing } => lang.choose(
                format!(
                    "{target} 在 {period} 已有数据：{}（期别 {}，{} 于 {} 填报），未写入任何内容。",
                    standing.value, standing.period, standing.recorded_by, standing.recorded_at
                ),
                format!(
                    "{target} already has a figure for {period}: {} (logged as {} by {} at {}); nothing was written.",
                    standing.value, standing.period, standing.recorded_by, standing.recorded_at
                ),
            ),
            StoreError::NothingToRevise { target, period } => lang.choose(
                format!("{target} 在 {period} 尚无数据，无可修订"),
                format!("{target} has no figure for {period} to revise"),
            ),
            StoreError::RevisionChangesNothing { target, period, standing } => revision_changes_nothing_message(
                lang,
                target,
                period,
                &crate::numbers::format_number(standing.value),
                standing.source.as_deref(),
            ),
            StoreError::ClockBehind { set, clock, latest } => clock_behind_message(lang, *set, clock, latest),
            StoreError::WindowLocked(locked) => {
                let LockedWindow { target, period, figure, by, at } = &**locked;
                lang.choose(
                    format!(
                    "{target} 在 {period} 的数据 #{figure} 已由 {by} 于 {at} 审核，该期已锁定：不能录入新数据或修订，\
                     未写入任何内容。如需更正，请先由审核人重新打开（退回待审）#{figure}"
                ),
                    format!(
                    "{target}'s figure #{figure} for {period} was approved by {by} at {at}, so the window is locked: \
                     no new figure or revision; nothing was written. To correct it, a reviewer first reopens #{figure}"
                ),
                )
            }
            StoreError::UnknownFigure { plan, id } => lang.choose(
                format!("计划 {plan} 中没有编号为 #{id} 的数据，未作任何更改"),
                format!("plan {plan} has no figure #{id}; nothing was changed"),
            ),
            StoreError::FigureRevised { id, target, later } => lang.choose(
                format!("{target} 的数据 #{id} 已被 #{later} 修订，只审核现行数据；未作任何更改。请改为审核 #{later}"),
                format!(
                    "{target}'s figure #{id} was revised by #{later}, and only the standing figure is reviewed; \
                     nothing was changed. Review #{later} instead"
                ),
            ),
            StoreError::TransitionRefused(refused) => transition_refused_message(lang, refused),
            StoreError::ReasonMissing { action } => lang.choose(
                format!("{} 需要说明原因，未作任何更改", review_verb_zh(action)),
                format!("{action} needs a reason; nothing was changed"),
            ),
            StoreError::UnknownImport { plan, id } => lang.choose(
                format!("计划 {plan} 中没有编号为 {id} 的导入，未作任何更改（每次导入完成时会显示其编号）"),
                format!("plan {plan} has no import {id}; nothing was changed (each import prints its id when done)"),
            ),
            StoreError::NothingToReview { plan, period, lead_unit } => lang.choose(
                format!("计划 {plan} 中 {lead_unit} 牵头的指标在 {period} 没有数据，未作任何更改"),
                format!("plan {plan} has no figure for {period} of the targets {lead_unit} leads; nothing was changed"),
            ),
            StoreError::PlanArchived { id, at } => lang.choose(
                format!("计划 {id} 已于 {at} 归档，不再接受新的数据或调整；未写入任何内容。"),
                format!("plan {id} was archived at {at} and takes no new figures or adjustments; nothing was written."),
            ),
            StoreError::PlanInUse { id, figures, adjustments } => lang.choose(
                format!(
                    "计划 {id} 有 {figures} 条数据、{adjustments} 条目标调整，不能删除；未作任何更改。\
                     有数据的计划只能归档：`ontrack plan archive {id}`"
                ),
                format!(
                    "plan {id} holds {figures} figures and {adjustments} target adjustments and cannot be removed; \
                     nothing was changed. A plan with figures is archived instead: `ontrack plan archive {id}`"
                ),
            ),
            StoreError::AdjustmentInFuture { code, effective, now } => lang.choose(
                format!("{code} 的调整生效时间 {effective} 晚于现在（{now}）；未写入任何内容。请在生效时再记录"),
                format!(
                    "the adjustment of {code} takes effect at {effective}, after now ({now}); nothing was written. \
                     Record it when it takes effect"
                ),
            ),
            StoreError::AdjustmentBeforeLatest { code, effective, latest } => lang.choose(
                format!(
                    "{code} 的调整生效时间 {effective} 早于其上一次调整的生效时间 {latest}；未写入任何内容。\
                     调整须按生效时间先后记录"
                ),
                format!(
                    "the adjustment of {code} takes effect at {effective}, before its previous adjustment \
                     ({latest}); nothing was written. Adjustments follow one another in time"
                ),
            ),
            StoreError::BackupExists { path } => lang.choose(
                format!("{path} 已存在，未写入任何内容。请为备份另选文件名"),
                format!("{path} already exists; nothing was written. Choose a new file name for the backup"),
            ),
            StoreError::BackupFailed { path, why } => lang.choose(
                format!("备份 {path} 未通过校验（{why}），已删除；数据库本身未作更改"),
                format!("the backup {path} failed its check ({why}) and was removed; the database itself is unchanged"),
            ),
            StoreError::Io { path, error } => format!("{path}{}{}", lang.pick("：", ": "), io_text(error, lang)),
            StoreError::Sqlite(error) => sqlite_text(error, lang),
            StoreError::Plan(error) => error.localize(lang),
            StoreError::Bundle(refusal) => refusal.localize(lang),
        }
    }
}

/// The Chinese verb of a review action named by its English word.
fn review_verb_zh(action: &str) -> &'static str {
    match action {
        "return" => "退回",
        "reopen" => "重新打开",
        "void" => "作废",
        _ => "审核",
    }
}

/// Why a review action was refused: what, which figure, and what to do.
fn transition_refused_message(lang: Lang, refused: &RefusedTransition) -> String {
    use crate::review::Refusal;
    let RefusedTransition { id, target, period, action, from, refusal, last } = refused;
    let (state_zh, state_en) = from.words();
    let state = lang.pick(state_zh, state_en);
    let by = last
        .as_ref()
        .map(|(by, at)| lang.choose(format!("（{by} 于 {at}）"), format!(" (by {by} at {at})")))
        .unwrap_or_default();
    let (verb_zh, verb_en) = action.words();
    let verb = lang.pick(verb_zh, verb_en);
    let (zh, en) = match refusal {
        Refusal::AlreadyApproved => (
            "已审核的数据不能再次审核或退回；如需更改，请先重新打开",
            "An approved figure is not approved or returned again; reopen it first to change it",
        ),
        Refusal::IsVoid => (
            "已作废的数据不再有任何状态变化；如需数据，请重新录入",
            "Nothing more happens to a void figure; log the figure again if one is needed",
        ),
        Refusal::IsReturned => (
            "已退回的数据须由填报单位重新录入，新数据为已报送状态，再行审核",
            "A returned figure is re-logged by its unit; the new figure is submitted and reviewed then",
        ),
        Refusal::AlreadyReturned => {
            ("该数据已退回，等待填报单位重新录入", "It was returned already and awaits the unit's new figure")
        }
        Refusal::NotApproved => ("只有已审核的数据可以重新打开", "Only an approved figure can be reopened"),
        Refusal::ApprovedNeedsReopen => (
            "已审核的数据须先重新打开（说明原因），才能作废",
            "An approved figure is reopened (with a reason) before it can be voided",
        ),
    };
    lang.choose(
        format!("不能{verb} {target} 在 {period} 的数据 #{id}：它{state}{by}。{zh}；未作任何更改"),
        format!(
            "cannot {verb} {target}'s figure #{id} for {period}: it is {state}{by}. {}; nothing was changed",
            en.trim_end_matches('.')
        ),
    )
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the plan's errors speak for themselves.
            StoreError::Plan(error) => std::error::Error::source(error),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sqlite(error)
    }
}

impl From<PlanError> for StoreError {
    fn from(error: PlanError) -> StoreError {
        StoreError::Plan(error)
    }
}

/// What a file that is not ours turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignFile {
    Empty,
    NotSqlite,
    /// An SQLite database of another program, with this many schema objects.
    OtherProgram {
        objects: i64,
    },
}

impl Localize for ForeignFile {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ForeignFile::Empty => lang.pick("空文件", "an empty file").to_string(),
            ForeignFile::NotSqlite => lang.pick("非 SQLite 文件", "not an SQLite file").to_string(),
            ForeignFile::OtherProgram { objects } => lang.choose(
                format!("其他程序的 SQLite 数据库，含 {objects} 个结构对象"),
                format!("an SQLite database of another program, with {objects} schema objects"),
            ),
        }
    }
}

/// SQLite's message; for a damaged file, that it is damaged and nothing changed (what
/// to do is the command's: `commands::advice`).
fn sqlite_text(error: &rusqlite::Error, lang: Lang) -> String {
    if is_damage(error) {
        lang.choose(
            format!("{error}：数据库文件已损坏，未作任何更改"),
            format!("{error}: the database file is damaged; nothing was changed"),
        )
    } else {
        error.to_string()
    }
}

/// Whether SQLite found the file damaged: corrupt, or not a database although its
/// header says SQLite.
pub fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

impl StoreError {
    /// Maps SQLite's "busy" into [`StoreError::Busy`] so callers can report it plainly.
    pub fn from_sqlite(error: rusqlite::Error, waited_ms: u64) -> StoreError {
        if is_busy(&error) {
            StoreError::Busy { waited_ms }
        } else {
            StoreError::Sqlite(error)
        }
    }
}

/// Why a revision with the standing figure's value and source was refused, in `lang`;
/// `value` as the caller prints figures.
pub fn revision_changes_nothing_message(
    lang: crate::lang::Lang,
    target: &str,
    period: &str,
    value: &str,
    source: Option<&str>,
) -> String {
    match lang {
        crate::lang::Lang::Zh => {
            let source = source.map(|s| format!("，来源 {s}")).unwrap_or_default();
            format!(
                "{target} {period} 的现行数据已是 {value}{source}；数值和来源都相同的修订不改变任何内容，未写入任何数据。\
                 数据有变化时再修订（数值或来源不同）"
            )
        }
        crate::lang::Lang::En => {
            let source = source.map(|s| format!(", source {s}")).unwrap_or_default();
            format!(
                "the standing figure of {target} for {period} is already {value}{source}; a revision with the same \
                 value and source changes nothing, so nothing was written. Revise only when the value or the source \
                 changes"
            )
        }
    }
}

/// Why a write whose clock is before the latest figure stored was refused, in
/// `lang` (`set`: the clock is `ONTRACK_NOW`'s).
pub fn clock_behind_message(lang: crate::lang::Lang, set: bool, clock: &str, latest: &str) -> String {
    match lang {
        crate::lang::Lang::Zh => clock_behind_zh(set, clock, latest),
        crate::lang::Lang::En => clock_behind_en(set, clock, latest),
    }
}

fn clock_behind_zh(set: bool, clock: &str, latest: &str) -> String {
    if set {
        format!(
            "ONTRACK_NOW 设定的时间 {clock} 早于库中最近一条数据的记录时间 {latest}；设定的时钟不能把记录时间往前改，\
             未写入任何数据。请取消 ONTRACK_NOW，或把它设为 {latest} 之后的时间"
        )
    } else {
        format!(
            "本机时钟 {clock} 早于库中最近一条数据的记录时间 {latest}；数据按写入顺序记录时间，未写入任何数据。\
             请校准本机时钟后重试"
        )
    }
}

fn clock_behind_en(set: bool, clock: &str, latest: &str) -> String {
    if set {
        format!(
            "ONTRACK_NOW sets the clock to {clock}, before the latest figure in the database (recorded at \
             {latest}); a set clock cannot backdate figures, so nothing was written. Unset ONTRACK_NOW, or set it \
             to {latest} or later"
        )
    } else {
        format!(
            "this computer's clock says {clock}, before the latest figure in the database (recorded at {latest}); \
             figures are recorded in the order they are written, so nothing was written. Correct the clock and \
             try again"
        )
    }
}

/// How long a write waited, as the busy message says it: `30 s`, or `200 ms` under a second.
fn wait_text(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{} s", ms / 1000)
    }
}

pub fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::actual::StandingFigure;

    /// English words only an English sentence has; codes, flags and commands are kept
    /// in both languages, so they are not in the list.
    const ENGLISH: &[&str] = &["the", "nothing", "was", "is", "has", "no", "already", "cannot", "figure", "database"];

    /// Every message is Chinese in Chinese (full-width punctuation, no English
    /// sentence) and its `Display` is the English.
    pub(crate) fn check_both(errors: &[(&dyn Localize, String)]) {
        for (error, display) in errors {
            let (zh, en) = (error.localize(Lang::Zh), error.localize(Lang::En));
            assert_eq!(&en, display, "Display is the English");
            assert!(zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "not Chinese: {zh}");
            let words: Vec<&str> =
                zh.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| ENGLISH.contains(w)).collect();
            assert!(words.is_empty(), "English words {words:?} in {zh}");
            assert!(!zh.contains("; ") && !zh.contains(", "), "half-width punctuation in {zh}");
            assert_ne!(zh, en);
        }
    }

    #[test]
    fn every_store_error_speaks_both_languages() {
        let path = "a.db".to_string();
        let standing = StandingFigure {
            id: 1,
            period: "2020Q1".into(),
            value: -6.8,
            source: None,
            recorded_by: "张三".into(),
            recorded_at: "2020-04-20T08:00:00Z".into(),
        };
        let errors = [
            StoreError::TooNew { path: path.clone(), found: 9, known: 2 },
            StoreError::NotOurs { path: path.clone(), what: ForeignFile::Empty },
            StoreError::NotOurs { path: path.clone(), what: ForeignFile::NotSqlite },
            StoreError::NotOurs { path: path.clone(), what: ForeignFile::OtherProgram { objects: 3 } },
            StoreError::Missing { path: path.clone() },
            StoreError::IsDirectory { path: path.clone() },
            StoreError::Exists { path: path.clone() },
            StoreError::Busy { waited_ms: 30_000 },
            StoreError::PlanExists { id: "p".into() },
            StoreError::ParentYear { plan: "p".into(), year: 2020, parent: "q".into(), parent_year: 2021 },
            StoreError::UnknownPlan { id: "p".into(), loaded: "q".into() },
            StoreError::NoPlan,
            StoreError::OnlyArchived { archived: "p".into() },
            StoreError::UnknownTarget { plan: "p".into(), code: "x".into() },
            StoreError::WindowTaken {
                target: "gdp-growth".into(),
                period: "2020Q1".into(),
                standing: Box::new(standing),
            },
            StoreError::NothingToRevise { target: "gdp-growth".into(), period: "2020Q1".into() },
            StoreError::PlanArchived { id: "p".into(), at: "2021-01-05T00:00:00Z".into() },
            StoreError::PlanInUse { id: "p".into(), figures: 3, adjustments: 1 },
            StoreError::AdjustmentInFuture { code: "x".into(), effective: "a".into(), now: "b".into() },
            StoreError::AdjustmentBeforeLatest { code: "x".into(), effective: "a".into(), latest: "b".into() },
            StoreError::BackupExists { path: path.clone() },
            StoreError::BackupFailed { path: path.clone(), why: "x".into() },
            StoreError::Io { path, error: std::io::Error::from(std::io::ErrorKind::NotFound) },
            StoreError::Bundle(BundleRefusal::CityOwnsPlan { plan: "p".into() }),
            StoreError::Bundle(BundleRefusal::OtherDistrict {
                plan: "p".into(),
                loaded_from: "a".into(),
                bundle_from: "b".into(),
            }),
            StoreError::Bundle(BundleRefusal::ExportedLater {
                plan: "p".into(),
                exported_at: "a".into(),
                now: "b".into(),
            }),
            StoreError::Bundle(BundleRefusal::ReadOnly {
                plan: "p".into(),
                source_database: "0123456789abcdef0123456789abcdef".into(),
            }),
            StoreError::Plan(PlanError {
                file: "p.toml".into(),
                problems: vec![PlanProblem {
                    place: "target #2".into(),
                    field: Some("code".into()),
                    message: Text::new("为空", "is empty"),
                }],
            }),
        ];
        let pairs: Vec<(&dyn Localize, String)> = errors.iter().map(|e| (e as &dyn Localize, e.to_string())).collect();
        check_both(&pairs);
    }
}
