//! Importing figures from a sheet (.csv or .xlsx) as departments send them, along one
//! path for `import` and `import --dry-run` alike ([`import_figures`], in `write.rs`):
//! the sheet is streamed one row at a time (`sheet.rs`, its columns in `columns.rs`),
//! every row is checked (with [`crate::validate`], as `record` does) and each figure
//! is written through `store::FigureWriter` as it comes, inside one IMMEDIATE
//! transaction, where the store's unique window index and no-op revision check refuse
//! clashes with figures logged already or with an earlier row. Every bad row is
//! listed with its place (the first [`LISTED_PER_KIND`] of each kind); the file is
//! written whole or not at all, and a dry run is rolled back.
//!
//! Figures typed at the web desk take the same path ([`ImportInput::Entered`]): each
//! entered figure is a row of named cells, checked by the same [`RowChecker`] and
//! written by the same `FigureWriter`, its problems placed as `entry 2` (第 2 项).

mod cell;
mod columns;
mod form;
mod sheet;
mod write;

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use thiserror::Error;

pub use cell::Cell;
use columns::Header;
pub use columns::{Column, CONTEXT_HEADERS};
pub use form::{date_pattern, FormField, SheetForm};
use sheet::SheetRow;
pub use write::{import_figures, ImportOutcome, ImportRequest, SMALL_ENTRY};

use crate::actual::NewActual;
use crate::error::{revision_changes_nothing_message, StoreError};
use crate::lang::{Lang, Localize, Text};
use crate::numbers::format_number;
use crate::output::{clip, CLIP_AT};
use crate::plan::Plan;
use crate::validate::{check_figure_suggesting, FigureProblem, RawValue};

/// Where the figures come from: a sheet, or figures entered at the web desk.
#[derive(Debug, Clone, Copy)]
pub enum ImportInput<'a> {
    /// A .csv or .xlsx file.
    File(&'a Path),
    /// Figures typed in a form or sent to the API. `label` names them in messages and
    /// in the `imports` row (as a file's name does); every figure is logged by the
    /// request's `default_by`, since an entered row has no by (填报人) cell.
    Entered { label: &'a str, rows: &'a [EnteredRow] },
}

impl ImportInput<'_> {
    /// How messages name the input: the file as given, or the label.
    fn shown(&self) -> String {
        match self {
            ImportInput::File(path) => path.display().to_string(),
            ImportInput::Entered { label, .. } => label.to_string(),
        }
    }

    /// The name the `imports` row keeps: the file's name, or the label.
    fn name(&self) -> String {
        match self {
            ImportInput::File(path) => {
                path.file_name().map_or_else(|| self.shown(), |n| n.to_string_lossy().into_owned())
            }
            ImportInput::Entered { label, .. } => label.to_string(),
        }
    }
}

/// One figure as a person entered it: the cells of a sheet's row, by name. A value is
/// a [`Cell::Number`] (a JSON number) or [`Cell::Text`] in any form a sheet's cell may
/// hold it (`1,752.5`, `6.5%`, full-width digits); a blank value skips the row.
#[derive(Debug, Clone, PartialEq)]
pub struct EnteredRow {
    pub target: String,
    pub period: String,
    pub value: Cell,
    pub source: String,
    pub note: String,
    /// Why a figure already logged for the window is revised (修订原因); blank for a first figure.
    pub reason: String,
}

/// The columns an entered row fills, in the order of [`EnteredRow::cells`].
const ENTERED_COLUMNS: [Column; 6] =
    [Column::Target, Column::Period, Column::Value, Column::Source, Column::Note, Column::Reason];

impl EnteredRow {
    fn cells(&self) -> Vec<Cell> {
        let text = |t: &str| Cell::Text(t.to_string());
        vec![
            text(&self.target),
            text(&self.period),
            self.value.clone(),
            text(&self.source),
            text(&self.note),
            text(&self.reason),
        ]
    }
}

/// One bad row and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// `line 4`, or `Sheet1!C4` pointing at the cell at fault.
    pub place: String,
    /// The row's target code, when it has one, so a reader can find the row (cut at
    /// [`CLIP_AT`] characters: it is the cell as the file held it).
    pub target: Option<String>,
    pub message: Text,
    /// What kind of problem it is (`unknown target`, `already logged`): the listing
    /// shows the first rows of each kind and counts the rest.
    pub kind: &'static str,
}

/// How many rows of each kind of problem a refusal lists; the rest are counted ("… and
/// 95,990 more rows with the same problem"), so a file of 96,000 rows logged already
/// gives a screenful, not 96,000 lines, and the memory of a few rows.
pub const LISTED_PER_KIND: usize = 10;

/// The bad rows of a file, as many as are listed, and how many more of each kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowProblems {
    listed: Vec<RowProblem>,
    /// Per kind, in the order first seen: rows found and rows not listed.
    kinds: Vec<(&'static str, usize)>,
    total: usize,
}

impl RowProblems {
    pub fn push(&mut self, problem: RowProblem) {
        self.total += 1;
        let seen = match self.kinds.iter_mut().find(|(kind, _)| *kind == problem.kind) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                self.kinds.push((problem.kind, 1));
                1
            }
        };
        if seen <= LISTED_PER_KIND {
            self.listed.push(problem);
        }
    }

    pub fn extend(&mut self, problems: impl IntoIterator<Item = RowProblem>) {
        for problem in problems {
            self.push(problem);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Every problem found, listed or not.
    pub fn len(&self) -> usize {
        self.total
    }

    /// The problems listed, in file order within each kind.
    pub fn iter(&self) -> impl Iterator<Item = &RowProblem> {
        self.listed.iter()
    }

    /// Whether a problem of this kind was found (listed or counted).
    pub fn count_of(&self, kind: &str) -> usize {
        self.kinds.iter().find(|(k, _)| *k == kind).map_or(0, |(_, count)| *count)
    }
}

impl Localize for RowProblem {
    fn localize(&self, lang: Lang) -> String {
        let place = place_text(&self.place, lang);
        let message = self.message.get(lang);
        match (&self.target, lang) {
            (Some(target), Lang::Zh) => format!("{place}（{target}）：{message}"),
            (Some(target), Lang::En) => format!("{place} ({target}): {message}"),
            (None, Lang::Zh) => format!("{place}：{message}"),
            (None, Lang::En) => format!("{place}: {message}"),
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

/// A place in a sheet as `sheet::Place::at` writes it (`line 4`, `Sheet1 row 4`,
/// `Sheet1!C4`, `entry 2`), in `lang`.
pub fn place_text(place: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return place.to_string();
    }
    if let Some(line) = place.strip_prefix("line ") {
        return format!("第 {line} 行");
    }
    if let Some(entry) = place.strip_prefix("entry ").filter(|n| n.bytes().all(|b| b.is_ascii_digit())) {
        return format!("第 {entry} 项");
    }
    match place.rsplit_once(" row ") {
        Some((sheet, row)) if row.bytes().all(|b| b.is_ascii_digit()) => format!("{sheet} 第 {row} 行"),
        _ => place.to_string(),
    }
}

#[derive(Debug, Error)]
#[error("{}", self.localize(Lang::En))]
pub enum ImportError {
    Unreadable {
        file: String,
        reason: Text,
    },
    /// Text in an encoding we do not read; the message names the file and what to do.
    Encoding(Text),
    UnsupportedType {
        file: String,
        found: String,
    },
    Columns {
        file: String,
        sheet: Option<String>,
        problem: Text,
    },
    BadRows {
        file: String,
        problems: RowProblems,
    },
    /// The store refused or failed (busy, clock behind): nothing was written.
    Store {
        file: String,
        #[source]
        source: StoreError,
    },
}

impl Localize for ImportError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ImportError::Unreadable { file, reason } => lang.choose(
                format!("{file}：{}；未写入任何内容", reason.zh),
                format!("{file}: {}; nothing was written", reason.en),
            ),
            ImportError::Encoding(text) => {
                lang.choose(format!("{}；未写入任何内容", text.zh), format!("{}; nothing was written", text.en))
            }
            ImportError::UnsupportedType { file, found } => lang.choose(
                format!(
                    "{file} 不是 ontrack 可导入的文件（{}）；请另存为 .xlsx 或 \"CSV UTF-8\"（Excel：文件 → 另存为）\
                     后再导入；未写入任何内容",
                    if found == "no extension" { "无扩展名" } else { found }
                ),
                format!(
                    "{file} is not a file ontrack can import ({found}); save it as .xlsx or as \"CSV UTF-8\" (Excel: \
                     File → Save As) and import that; nothing was written"
                ),
            ),
            ImportError::Columns { file, sheet, problem } => lang.choose(
                format!(
                    "{file}{}：{}；未写入任何内容",
                    sheet.as_ref().map(|s| format!("，工作表 {s}")).unwrap_or_default(),
                    problem.zh
                ),
                format!(
                    "{file}{}: {}; nothing was written",
                    sheet.as_ref().map(|s| format!(", sheet {s}")).unwrap_or_default(),
                    problem.en
                ),
            ),
            ImportError::Store { file, .. } => lang.choose(
                format!("无法导入 {file}，未写入任何内容"),
                format!("cannot import {file}; nothing was written"),
            ),
            ImportError::BadRows { file, problems } => {
                let n = problems.len();
                let shown = group_thousands(n);
                let mut text = lang.choose(
                    format!("{file} 有 {shown} 处问题："),
                    format!("{file} has {shown} problem{}:", if n == 1 { "" } else { "s" }),
                );
                // Each kind's listed rows, then how many more rows share its problem.
                for &(kind, count) in &problems.kinds {
                    for problem in problems.iter().filter(|p| p.kind == kind) {
                        text.push_str("\n  - ");
                        text.push_str(&problem.localize(lang));
                    }
                    if count > LISTED_PER_KIND {
                        let more = count - LISTED_PER_KIND;
                        text.push_str(&lang.choose(
                            format!("\n  … 另有 {} 行存在同样的问题", group_thousands(more)),
                            format!(
                                "\n  … and {} more row{} with the same problem",
                                group_thousands(more),
                                if more == 1 { "" } else { "s" }
                            ),
                        ));
                    }
                }
                text.push_str(lang.pick(
                    "\n未写入任何内容。请修改上述各行后重新导入（加 --dry-run 可只检查、不写入）。",
                    "\nNothing was written. Fix these rows and import the file again (--dry-run checks without \
                     writing).",
                ));
                text
            }
        }
    }
}

/// 95990 → `95,990`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// What one row of a sheet holds, once checked.
enum CheckedRow {
    /// No value: skipped, as a template's unfilled rows are.
    Blank,
    /// Every problem of the row.
    Refused(Vec<RowProblem>),
    Figure {
        figure: NewActual,
        /// The row's line (CSV) or row (worksheet) number, which names its cells in
        /// messages ([`SheetNotes::value_place`], [`SheetNotes::period_place`]); the
        /// text is only made when a message needs it.
        number: u64,
    },
}

/// Checks the rows of a sheet one at a time (with [`crate::validate`], as `record`
/// does). A second row for a window is not refused here: the store's unique window
/// index refuses it when the figure is written ([`import_figures`]), so checking
/// needs no memory per row.
struct RowChecker<'p> {
    plan: &'p Plan,
    now: DateTime<Utc>,
    default_by: &'p str,
    /// "Did you mean" for the unknown codes seen, each computed once, and only for as
    /// many as a refusal lists: each costs a comparison with every code of the plan.
    suggestions: std::collections::HashMap<String, Option<String>>,
    /// The figures whose by (填报人) cell was blank, so `default_by` was taken.
    defaulted_by: usize,
    /// Per lead unit of the figures' targets: the first target's code and the count of
    /// figures (a few entries: a plan has a few dozen lead units).
    lead_units: Vec<(String, String, usize)>,
}

impl<'p> RowChecker<'p> {
    fn new(plan: &'p Plan, now: DateTime<Utc>, default_by: &'p str) -> RowChecker<'p> {
        RowChecker {
            plan,
            now,
            default_by,
            suggestions: std::collections::HashMap::new(),
            defaulted_by: 0,
            lead_units: Vec::new(),
        }
    }

    /// Notes the lead unit of a figure's target, for [`unit_mismatch`].
    fn note_lead_unit(&mut self, target: &crate::plan::Target) {
        let Some(unit) = target.lead_unit.as_deref() else { return };
        match self.lead_units.iter_mut().find(|(known, ..)| known == unit) {
            Some((_, _, count)) => *count += 1,
            None => self.lead_units.push((unit.to_string(), target.code.clone(), 1)),
        }
    }

    fn check(&mut self, header: &Header, row: &SheetRow) -> CheckedRow {
        let plan = self.plan;
        let cell = |column: Column| header.index(column).and_then(|i| row.cells.get(i)).unwrap_or(&Cell::Empty);
        let at = |column| row.place.at(header.index(column));
        let target_text = cell(Column::Target).text();
        let target = (!target_text.is_empty()).then(|| clip(&target_text, CLIP_AT).into_owned());
        let refused = |found: Vec<(Option<Column>, &'static str, Text)>| {
            CheckedRow::Refused(
                found
                    .into_iter()
                    .map(|(column, kind, message)| RowProblem {
                        place: column.map_or_else(|| row.place.at(None), at),
                        target: target.clone(),
                        message,
                        kind,
                    })
                    .collect(),
            )
        };
        if cell(Column::Value).is_blank() {
            return CheckedRow::Blank;
        }
        if let Some(row_plan) = Some(cell(Column::Plan).text()).filter(|p| !p.is_empty()) {
            if row_plan != plan.id {
                let row_plan = clip(&row_plan, CLIP_AT);
                return refused(vec![(
                    Some(Column::Plan),
                    "another plan",
                    Text::new(
                        format!(
                            "该行属于计划 {row_plan}，但本次导入的是计划 {}；请用 --plan {row_plan} 导入此文件",
                            plan.id
                        ),
                        format!(
                            "the row is for plan {row_plan}, but the import is into plan {}; import this file with \
                             --plan {row_plan}",
                            plan.id
                        ),
                    ),
                )]);
            }
        }
        let period_text = match period_text(cell(Column::Period)) {
            Ok(text) => text,
            Err(message) => return refused(vec![(Some(Column::Period), "unreadable period", message)]),
        };
        let percent_text;
        let value = match cell(Column::Value) {
            Cell::Number(number) => RawValue::Number(*number),
            Cell::Text(text) => RawValue::Text(text),
            // Read as what the cell shows (`6.5%`), which the value check takes as 6.5
            // for a target in % and refuses as a unit mismatch for any other.
            percent @ Cell::Percent(_) => {
                percent_text = percent.text();
                RawValue::Text(&percent_text)
            }
            Cell::Date { .. } => {
                return refused(vec![(
                    Some(Column::Value),
                    "date as value",
                    Text::new(
                        "数值单元格中是日期，不是数据；请填写数字",
                        "the value cell holds a date, not a figure; enter the number",
                    ),
                )])
            }
            Cell::Unreadable(what) => {
                return refused(vec![(
                    Some(Column::Value),
                    "unreadable value",
                    Text::new(
                        format!("数值单元格中是{}，不是数据；请填写数字", unreadable_zh(what)),
                        format!("the value cell holds an {what}, not a figure; enter the number"),
                    ),
                )])
            }
            Cell::Empty => unreachable!("blank values are skipped above"),
        };
        let suggestions = &mut self.suggestions;
        let nearest = |code: &str| {
            if let Some(known) = suggestions.get(code) {
                return known.clone();
            }
            if suggestions.len() >= LISTED_PER_KIND {
                return None;
            }
            let nearest = plan.nearest_code(code).map(str::to_string);
            suggestions.insert(code.to_string(), nearest.clone());
            nearest
        };
        let checked = match check_figure_suggesting(plan, &target_text, period_text.as_str(), value, self.now, nearest)
        {
            Ok(checked) => checked,
            Err(found) => {
                return refused(
                    found
                        .iter()
                        .map(|problem| {
                            (
                                Some(column_of(problem)),
                                problem.kind(),
                                Text::new(problem.localize(Lang::Zh), problem.localize(Lang::En)),
                            )
                        })
                        .collect(),
                )
            }
        };
        let reason = Some(cell(Column::Reason).text()).filter(|r| !r.is_empty());
        let text_of = |column| Some(cell(column).text()).filter(|t| !t.is_empty());
        self.defaulted_by += usize::from(text_of(Column::By).is_none());
        self.note_lead_unit(checked.target);
        CheckedRow::Figure {
            figure: NewActual {
                target: checked.target.code.clone(),
                period: checked.period,
                value: checked.value,
                source: text_of(Column::Source),
                recorded_by: text_of(Column::By).unwrap_or_else(|| self.default_by.to_string()),
                note: text_of(Column::Note),
                revision_reason: reason,
            },
            number: row.place.number(),
        }
    }
}

/// The kinds of [`RowProblem`] about windows, named where the store finds them too.
pub const REVISION_CHANGES_NOTHING: &str = "revision changes nothing";
pub const SAME_WINDOW: &str = "same window twice";
pub const ALREADY_LOGGED: &str = "already logged";
pub const NOTHING_TO_REVISE: &str = "nothing to revise";
pub const WINDOW_LOCKED: &str = "window locked (approved)";

/// A revision with the standing figure's value and source again.
pub fn revision_changes_nothing_text(figure: &NewActual, value: f64, source: Option<&str>) -> Text {
    let say = |lang| {
        revision_changes_nothing_message(lang, &figure.target, &figure.period.label(), &format_number(value), source)
    };
    Text::new(say(Lang::Zh), say(Lang::En))
}

/// A second row for a window, without a reason: `first_place` is the period cell of
/// the first, `first_label` its period as written.
pub fn same_window_message(first_place: &str, first_label: &str, period: crate::period::Period) -> Text {
    let (same_zh, same_en) = if first_label == period.label() {
        (String::new(), String::new())
    } else {
        (
            format!("（{first_label} 与 {period} 都截至 {}）", period.end_period()),
            format!(" ({first_label} and {period} both end in {})", period.end_period()),
        )
    };
    Text::new(
        format!(
            "与 {}{same_zh}为同一统计期：每个指标每期只有一个数据；如本行是对该行的修订，请填写修订原因（reason）列，\
             否则删去其中一行",
            place_text(first_place, Lang::Zh)
        ),
        format!(
            "the same window as {first_place}{same_en}: one figure per target and window; fill the reason (修订原因) \
             column if this row revises that one, else remove one of the rows"
        ),
    )
}

/// What an unreadable Excel cell holds (`sheet::cell_of`), in Chinese.
fn unreadable_zh(what: &str) -> String {
    match what.strip_prefix("TRUE/FALSE value ") {
        Some(value) => format!("逻辑值 {value}"),
        None => match what.strip_prefix("Excel error ") {
            Some(error) => format!("Excel 错误值 {error}"),
            None => what.to_string(),
        },
    }
}

/// The column a problem points at.
fn column_of(problem: &FigureProblem) -> Column {
    match problem {
        FigureProblem::MissingTarget | FigureProblem::UnknownTarget { .. } => Column::Target,
        FigureProblem::MissingPeriod
        | FigureProblem::Period(_)
        | FigureProblem::OutsideYear(_)
        | FigureProblem::Future { .. }
        | FigureProblem::SecondHalfYearToDate { .. } => Column::Period,
        _ => Column::Value,
    }
}

/// A period cell as text. Excel turns a typed `2020` into a number and `2020-09` into
/// the date 1 September 2020; both are read back as what was typed.
fn period_text(cell: &Cell) -> Result<String, Text> {
    match cell {
        Cell::Date { year, month, day: 1 } => Ok(format!("{year}-{month:02}")),
        Cell::Date { year, month, day } => Err(Text::new(
            format!(
                "期别单元格中是日期 {year}-{month:02}-{day:02}；请写作期别，如 {year}-{month:02} 或 {year}Q3\
                 （将单元格设为文本格式）"
            ),
            format!(
                "the period cell holds the date {year}-{month:02}-{day:02}; write a period such as {year}-{month:02} \
                 or {year}Q3 (format the cell as text)"
            ),
        )),
        Cell::Unreadable(what) => Err(Text::new(
            format!("期别单元格中是{}；请写作期别，如 2020Q3", unreadable_zh(what)),
            format!("the period cell holds an {what}; write a period such as 2020Q3"),
        )),
        other => Ok(other.text()),
    }
}

/// A row for a window that has a figure in the database already, without a reason.
pub fn already_logged_message(figure: &NewActual, value: f64, period: &str, by: &str, at: &str) -> Text {
    let same = value == figure.value;
    Text::new(
        format!(
            "{} 在 {} 已有数据：{}（期别 {period}，{by} 于 {at} 填报）；如本行为修订，请填写修订原因（reason）列，否则\
             删去本行。{}",
            figure.target,
            figure.period,
            format_number(value),
            if same { "数值相同：此文件可能已导入过。" } else { "" }
        ),
        format!(
            "{} already has a figure for {}: {} (logged as {period} by {by} at {at}); fill the reason (修订原因) \
             column to log this row as a revision, or remove the row.{}",
            figure.target,
            figure.period,
            format_number(value),
            if same { " The value is the same: this file may have been imported already." } else { "" }
        ),
    )
}

/// A row with a reason for a window that has no figure yet.
pub fn nothing_to_revise_message(figure: &NewActual) -> Text {
    Text::new(
        format!(
            "本行填有修订原因（reason），即修订已有数据，但 {} 在 {} 尚无数据；请清空修订原因，作为首个数据录入",
            figure.target, figure.period
        ),
        format!(
            "the row has a reason (修订原因), so it revises a figure, but {} has no figure for {} yet; clear the \
             reason to log it as the first figure",
            figure.target, figure.period
        ),
    )
}

/// What a streamed sheet said about itself, besides its rows.
#[derive(Debug, Default, Clone)]
pub struct SheetNotes {
    /// Header cells that are neither import columns nor template context.
    pub ignored_columns: Vec<String>,
    /// `Some("GB18030")` when a CSV file was decoded from Chinese Windows text.
    pub decoded_from: Option<&'static str>,
    /// The worksheet read (None for CSV).
    pub sheet: Option<String>,
    period_column: Option<usize>,
    value_column: Option<usize>,
    /// The rows were entered at the desk: a row is `entry N`, whatever the column.
    entered: bool,
}

impl SheetNotes {
    /// The period cell of the row numbered `number` (`line 4`, `填报!B4`), as
    /// [`CheckedRow::Figure`]'s `period_place` names it, from the number alone.
    pub fn period_place(&self, number: u64) -> String {
        self.place(number, self.period_column)
    }

    /// The value cell of the row numbered `number`, which names the row's figure.
    pub fn value_place(&self, number: u64) -> String {
        self.place(number, self.value_column)
    }

    fn place(&self, number: u64, column: Option<usize>) -> String {
        let place = match &self.sheet {
            None if self.entered => sheet::Place::Entry(number),
            Some(sheet) => sheet::Place::Row { sheet: sheet.clone(), row: u32::try_from(number).unwrap_or(u32::MAX) },
            None => sheet::Place::Line(number),
        };
        place.at(column)
    }
}

/// What streaming a sheet found besides its rows: its notes, the fields of its form's
/// head and foot, how many figures took the default by (填报人), and the lead units of
/// the figures' targets.
struct Streamed {
    notes: SheetNotes,
    fields: Vec<form::FoundField>,
    defaulted_by: usize,
    lead_units: Vec<(String, String, usize)>,
}

/// Reads and checks a .csv or .xlsx file of figures (or entered figures, as the rows
/// of a sheet with the columns [`ENTERED_COLUMNS`]) one row at a time, handing each
/// checked row to `visit` as it comes, so that a file of any size is read in the
/// memory of one row. A second row for a window is not refused here: the caller
/// ([`import_figures`]) writes each figure as it comes, and the database's unique
/// window index refuses it. `on_start` is called once the header is found, before
/// any row.
fn stream_figures(
    input: &ImportInput<'_>,
    plan: &Plan,
    now: DateTime<Utc>,
    default_by: &str,
    on_start: impl FnMut(&SheetNotes),
    visit: impl FnMut(CheckedRow),
) -> Result<Streamed, ImportError> {
    struct Visitor<'p, S, V> {
        checker: RowChecker<'p>,
        notes: SheetNotes,
        fields: Vec<form::FoundField>,
        entered: bool,
        on_start: S,
        visit: V,
    }
    impl<S: FnMut(&SheetNotes), V: FnMut(CheckedRow)> sheet::RowVisitor for Visitor<'_, S, V> {
        fn start(&mut self, start: sheet::SheetStart<'_>) {
            self.notes = SheetNotes {
                ignored_columns: start.header.ignored.clone(),
                decoded_from: start.decoded_from,
                sheet: start.sheet.map(str::to_string),
                period_column: start.header.index(Column::Period),
                value_column: start.header.index(Column::Value),
                entered: self.entered,
            };
            (self.on_start)(&self.notes);
        }

        fn row(&mut self, header: &columns::Header, row: SheetRow) {
            let checked = self.checker.check(header, &row);
            (self.visit)(checked);
        }

        fn form(&mut self, fields: Vec<form::FoundField>) {
            self.fields = fields;
        }
    }
    let shown = input.shown();
    let mut visitor = Visitor {
        checker: RowChecker::new(plan, now, default_by),
        notes: SheetNotes::default(),
        fields: Vec::new(),
        entered: matches!(input, ImportInput::Entered { .. }),
        on_start,
        visit,
    };
    match input {
        ImportInput::File(path) => match file_type(path, &shown)? {
            FileType::Csv => sheet::stream_csv(path, &shown, &mut visitor)?,
            FileType::Xlsx => sheet::stream_xlsx(path, &shown, &mut visitor)?,
        },
        ImportInput::Entered { rows, .. } => {
            use sheet::RowVisitor as _;
            let names = ENTERED_COLUMNS.map(|column| Cell::Text(column.english().to_string()));
            let header = Header::read(&names, &shown, None)?;
            visitor.start(sheet::SheetStart { header: &header, sheet: None, decoded_from: None });
            for (index, row) in rows.iter().enumerate() {
                visitor.row(&header, SheetRow { place: sheet::Place::Entry(index as u64 + 1), cells: row.cells() });
            }
        }
    }
    Ok(Streamed {
        notes: visitor.notes,
        fields: visitor.fields,
        defaulted_by: visitor.checker.defaulted_by,
        lead_units: visitor.checker.lead_units,
    })
}

/// Checked rows handed from the reading thread to the writing one at a time, and
/// how many such handfuls may wait: the rows in flight stay a few thousand whatever
/// the file's size.
const ROWS_PER_HANDFUL: usize = 256;
const HANDFULS_WAITING: usize = 4;

/// [`stream_figures`] on a second thread: the file is read and each row checked
/// there while this thread writes the figures of the rows checked before, so an
/// import of many rows takes about as long as SQLite takes to write them, not that
/// plus the reading and checking (the machines it runs on have at least two cores).
/// `on_start` and `visit` are called on this thread, in the file's order.
fn stream_figures_beside(
    input: &ImportInput<'_>,
    plan: &Plan,
    now: DateTime<Utc>,
    default_by: &str,
    mut on_start: impl FnMut(&SheetNotes),
    mut visit: impl FnMut(CheckedRow),
) -> Result<Streamed, ImportError> {
    enum Handful {
        Start(SheetNotes),
        Rows(Vec<CheckedRow>),
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Handful>(HANDFULS_WAITING);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            // A send fails only when this thread's caller has stopped listening
            // (it panicked); the reading then just runs to its end.
            let mut rows = Vec::with_capacity(ROWS_PER_HANDFUL);
            let streamed = stream_figures(
                input,
                plan,
                now,
                default_by,
                |notes| drop(sender.send(Handful::Start(notes.clone()))),
                |row| {
                    rows.push(row);
                    if rows.len() == ROWS_PER_HANDFUL {
                        let full = std::mem::replace(&mut rows, Vec::with_capacity(ROWS_PER_HANDFUL));
                        drop(sender.send(Handful::Rows(full)));
                    }
                },
            );
            if !rows.is_empty() {
                drop(sender.send(Handful::Rows(rows)));
            }
            streamed
        });
        for handful in receiver {
            match handful {
                Handful::Start(notes) => on_start(&notes),
                Handful::Rows(rows) => rows.into_iter().for_each(&mut visit),
            }
        }
        reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The kind of [`RowProblem`] for a form's field that cannot be read (报出日期).
pub const FORM_FIELD: &str = "form field";

/// A form whose reporting unit (填报单位, at `place`) is not the lead unit of some
/// figures' targets: a warning, not a refusal, since a unit may report a target
/// another unit leads and a unit's name is written in more than one way (a name
/// that contains the other, `金水区统计局` and `区统计局`, counts as the same).
fn unit_mismatch(unit: &str, place: &str, lead_units: &[(String, String, usize)]) -> Option<Text> {
    let same = |lead: &str| lead == unit || unit.contains(lead) || lead.contains(unit);
    let others: Vec<&(String, String, usize)> = lead_units.iter().filter(|(lead, ..)| !same(lead)).collect();
    if others.is_empty() {
        return None;
    }
    let count: usize = others.iter().map(|(_, _, n)| n).sum();
    const NAMED: usize = 3;
    let named = |open: &str, close: &str, separator: &str| {
        let mut text = others
            .iter()
            .take(NAMED)
            .map(|(lead, code, _)| format!("{code}{open}{}{close}", clip(lead, CLIP_AT)))
            .collect::<Vec<_>>()
            .join(separator);
        if others.len() > NAMED {
            text.push_str(" …");
        }
        text
    };
    Some(Text::new(
        format!(
            "注意：填报单位（{}）为 {unit}，但有 {count} 条数据的指标由其他单位牵头：{}；请核对这是否为本单位的报表\
             （这不妨碍导入：一个单位也可报送其他单位牵头的指标）",
            place_text(place, Lang::Zh),
            named("（", "）", "、"),
        ),
        format!(
            "note: the reporting unit (填报单位, {place}) is {unit}, but {count} figure{} {} for targets led by other \
             units: {}; check that the form is this unit's (this does not stop the import: a unit may report targets \
             another unit leads)",
            if count == 1 { "" } else { "s" },
            if count == 1 { "is" } else { "are" },
            named(" (", ")", ", "),
        ),
    ))
}

/// The plan a file names: the first filled cell of its plan (计划) column, with the
/// place of that cell, or None when it has no such column or leaves it blank. A
/// template fills it on every row, so a filled-in template goes back into the plan it
/// was made from whichever plan was loaded last. Reads only as far as that cell.
pub fn plan_named_in(path: &Path) -> Result<Option<(String, String)>, ImportError> {
    #[derive(Default)]
    struct FirstPlan {
        column: Option<usize>,
        done: bool,
        found: Option<(String, String)>,
        /// Whether only the head of a CSV file is checked for UTF-8.
        head_only: bool,
    }
    impl sheet::RowVisitor for FirstPlan {
        fn start(&mut self, start: sheet::SheetStart<'_>) {
            self.column = start.header.index(Column::Plan);
            self.done = self.column.is_none();
        }

        fn row(&mut self, _: &columns::Header, row: SheetRow) {
            let Some(column) = self.column else { return };
            let text = row.cells.get(column).map(Cell::text).unwrap_or_default();
            if !text.is_empty() && !self.done {
                self.found = Some((text, row.place.at(Some(column))));
                self.done = true;
            }
        }

        fn wants_more(&self) -> bool {
            !self.done
        }

        fn reads_only_the_head(&self) -> bool {
            self.head_only
        }
    }
    let shown = path.display().to_string();
    let mut first = FirstPlan::default();
    match file_type(path, &shown)? {
        FileType::Csv => {
            // Its head first; a file that is UTF-8 there and not later is read again
            // as `import` reads it, which tells the encoding from the whole file.
            first.head_only = true;
            if sheet::stream_csv(path, &shown, &mut first).is_err() {
                first = FirstPlan::default();
                sheet::stream_csv(path, &shown, &mut first)?;
            }
        }
        FileType::Xlsx => sheet::stream_xlsx(path, &shown, &mut first)?,
    }
    Ok(first.found)
}

enum FileType {
    Csv,
    Xlsx,
}

/// What kind of file `path` is, by its extension; refuses what cannot be imported.
fn file_type(path: &Path, shown: &str) -> Result<FileType, ImportError> {
    let shown = shown.to_string();
    if path.is_dir() {
        return Err(ImportError::Unreadable {
            file: shown,
            reason: Text::new("这是目录，不是文件", "it is a directory, not a file"),
        });
    }
    if !path.exists() {
        return Err(ImportError::Unreadable { file: shown, reason: Text::new("文件不存在", "no such file") });
    }
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "csv" | "txt" => Ok(FileType::Csv),
        "xlsx" => Ok(FileType::Xlsx),
        "" => Err(ImportError::UnsupportedType { file: shown, found: "no extension".to_string() }),
        other => Err(ImportError::UnsupportedType { file: shown, found: format!(".{other}") }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;
    use crate::store::{Clock, Store};
    use chrono::TimeZone;

    /// A dry run of `rows` (the first the header) as a CSV file `f.csv`, into a fresh
    /// database holding the built-in plan.
    fn read(rows: &[&[&str]]) -> Result<ImportOutcome, ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.csv");
        std::fs::write(&file, rows.iter().map(|row| row.join(",") + "\n").collect::<String>()).unwrap();
        let now = Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap();
        let mut store = Store::create(&dir.path().join("t.db"), false, std::time::Duration::from_secs(5)).unwrap();
        store.insert_plan(&parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap(), now).unwrap();
        let plan = store.load_plan_for_checking("jinshui-2020").unwrap();
        let request = ImportRequest {
            input: ImportInput::File(&file),
            plan: &plan,
            default_by: "tester",
            now,
            clock: Clock::Set(now),
            dry_run: true,
            audit: None,
        };
        import_figures(&mut store, &request, |_| {}, |_| {}).map_err(|error| match error {
            ImportError::BadRows { problems, .. } => ImportError::BadRows { file: "f.csv".to_string(), problems },
            other => other,
        })
    }

    /// A dry run of figures entered at the desk (target, period, value, reason), by `web-user`.
    fn enter(rows: &[(&str, &str, Cell, &str)]) -> Result<ImportOutcome, ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap();
        let mut store = Store::create(&dir.path().join("t.db"), false, std::time::Duration::from_secs(5)).unwrap();
        store.insert_plan(&parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap(), now).unwrap();
        let plan = store.load_plan_for_checking("jinshui-2020").unwrap();
        let rows: Vec<EnteredRow> = rows
            .iter()
            .map(|(target, period, value, reason)| EnteredRow {
                target: target.to_string(),
                period: period.to_string(),
                value: value.clone(),
                source: "月报".to_string(),
                note: String::new(),
                reason: reason.to_string(),
            })
            .collect();
        let request = ImportRequest {
            input: ImportInput::Entered { label: "web desk entry", rows: &rows },
            plan: &plan,
            default_by: "web-user",
            now,
            clock: Clock::Set(now),
            dry_run: true,
            audit: None,
        };
        import_figures(&mut store, &request, |_| {}, |_| {})
    }

    #[test]
    fn entered_rows_are_checked_as_a_sheets_rows_and_placed_as_entries() {
        let text = |t: &str| Cell::Text(t.to_string());
        let outcome = enter(&[
            ("GDP-Growth", "2020Q3", text("３.１"), ""),
            ("emergency-bridge-loan-fund", "2020Q3", Cell::Number(1752.5), ""),
            ("finance-share-of-services", "2020Q3", text("6.5%"), ""),
            ("main-board-listings", "2020Q3", Cell::Empty, ""),
        ])
        .unwrap();
        assert_eq!((outcome.written, outcome.skipped_blank), (3, 1));
        let figures: Vec<(String, &str, f64, &str)> = outcome
            .figures
            .iter()
            .map(|(place, f)| (place.clone(), f.target.as_str(), f.value, f.recorded_by.as_str()))
            .collect();
        assert_eq!(
            figures,
            [
                ("entry 1".to_string(), "gdp-growth", 3.1, "web-user"),
                ("entry 2".to_string(), "emergency-bridge-loan-fund", 1752.5, "web-user"),
                ("entry 3".to_string(), "finance-share-of-services", 6.5, "web-user"),
            ]
        );
        let Err(ImportError::BadRows { file, problems }) = enter(&[
            ("gdp-growth", "2020Q3", text("3.1"), ""),
            ("gdp-growth", "2020-09", text("3.2"), ""),
            ("gdp-growth", "2020Q2", text("3.0"), "更正"),
        ]) else {
            panic!("refused")
        };
        assert_eq!(file, "web desk entry");
        let found: Vec<String> = problems.iter().map(|p| p.localize(Lang::Zh)).collect();
        assert!(found[0].starts_with("第 2 项（gdp-growth）：与 第 1 项"), "{found:?}");
        assert!(found[1].starts_with("第 3 项（gdp-growth）：本行填有修订原因"), "{found:?}");
        assert_eq!(place_text("entry 12", Lang::Zh), "第 12 项");
        assert_eq!(place_text("entry 12", Lang::En), "entry 12");
    }

    fn problems(rows: &[&[&str]]) -> Vec<String> {
        match read(rows) {
            Err(ImportError::BadRows { problems, .. }) => problems.iter().map(ToString::to_string).collect(),
            other => panic!("expected bad rows, got {other:?}"),
        }
    }

    #[test]
    fn a_ytd_window_given_twice_is_refused_unless_revised() {
        let found = problems(&[
            &["target", "period", "value"],
            &["gdp-growth", "2020Q3", "3.1"],
            &["gdp-growth", "2020-09", "3.2"],
            &["gdp-growth", "2020年前三季度", "3.3"],
        ]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0]
                .starts_with("line 3 (gdp-growth): the same window as line 2 (2020Q3 and 2020-09 both end in 2020-09)"),
            "{found:?}"
        );
        let ok = read(&[
            &["target", "period", "value", "reason"],
            &["gdp-growth", "2020Q3", "3.1", ""],
            &["gdp-growth", "2020-09", "3.2", "最终核实"],
        ])
        .unwrap();
        assert_eq!(ok.figures.len(), 2);
        assert_eq!(ok.revisions, 1);
    }

    #[test]
    fn blank_values_are_skipped_and_counted() {
        let ok = read(&[
            &["指标代码", "期间", "数值", "填报人"],
            &["gdp-growth", "2020Q3", "", ""],
            &["new-roads", "2020Q3", "40", "张三"],
            &["unemployment-rate", "2020Q3", "  ", ""],
        ])
        .unwrap();
        assert_eq!(ok.skipped_blank, 2);
        assert_eq!(ok.figures.len(), 1);
        assert_eq!(ok.figures[0].1.recorded_by, "张三");
        assert_eq!(ok.figures[0].0, "line 3");
    }

    #[test]
    fn a_form_head_and_foot_are_read_around_the_rows_however_they_are_edited() {
        // A head with a row added, blank rows anywhere, a foot typed into its label
        // cells, a row added below the foot (read as a row of figures), in any order.
        let ok = read(&[
            &["金水区 2020 年目标任务完成情况统计表"],
            &["填报单位：", "金水区统计局", "", "报告期：", "2020年三季度"],
            &["（本行为填报人所加）"],
            &[""],
            &["指标代码", "期间", "数值", "填报人"],
            &["gdp-growth", "2020Q3", "1.5", ""],
            &["", "", "", ""],
            &["income-growth", "2020Q3", "2.1", "赵六"],
            &[""],
            &["单位负责人：李四", "统计负责人：", "", "填表人：", "张三"],
            &["联系电话：0371-6000", "", "报出日期：", "2020年10月12日"],
            &["new-roads", "2020Q3", "40", ""],
        ])
        .unwrap();
        assert_eq!(
            ok.form,
            SheetForm {
                unit: Some(("金水区统计局".into(), "line 2".into())),
                unit_head: Some("李四".into()),
                statistics_head: None,
                filled_by: Some("张三".into()),
                phone: Some("0371-6000".into()),
                reported_on: chrono::NaiveDate::from_ymd_opt(2020, 10, 12),
            }
        );
        let by: Vec<(&str, &str)> =
            ok.figures.iter().map(|(_, f)| (f.target.as_str(), f.recorded_by.as_str())).collect();
        assert_eq!(by, [("gdp-growth", "张三"), ("income-growth", "赵六"), ("new-roads", "张三")]);
        // 区统计局 leads gdp-growth and income-growth (its longer name counts); new-roads is 区住建局's.
        let warnings: Vec<&str> = ok.warnings.iter().map(|w| w.en.as_str()).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("1 figure is for targets led by other units: new-roads ("), "{warnings:?}");

        // A sheet without head or foot reads as before: no form, the default by.
        let plain = read(&[&["target", "period", "value"], &["gdp-growth", "2020Q3", "1.5"]]).unwrap();
        assert!(plain.form.is_empty() && plain.warnings.is_empty());
        assert_eq!(plain.figures[0].1.recorded_by, "tester");

        // A bad 报出日期 is a problem with its place, listed with the rows'.
        let found = problems(&[
            &["target", "period", "value"],
            &["gdp-growth", "2020Q3", "1.5"],
            &["报出日期：", "2020-02-30"],
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("line 3: the date reported on, \"2020-02-30\", is not a date"), "{found:?}");
    }

    #[test]
    fn the_listing_shows_the_first_rows_of_each_problem_and_counts_the_rest() {
        let mut rows: Vec<Vec<String>> = vec![vec!["target".into(), "period".into(), "value".into()]];
        for i in 0..25 {
            rows.push(vec![format!("gdp-grwth-{i}"), "2020Q3".into(), "1".into()]);
            rows.push(vec!["new-roads".into(), "2020Q3".into(), format!("-{}", i + 1)]);
        }
        rows.push(vec!["x".repeat(500), "2020Q3".into(), "1".into()]);
        let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let error = read(&rows).unwrap_err();
        let ImportError::BadRows { problems, .. } = &error else { panic!("{error:?}") };
        assert_eq!((problems.len(), problems.iter().count()), (51, 20));
        assert_eq!((problems.count_of("unknown target"), problems.count_of("negative")), (26, 25));
        let text = error.to_string();
        assert!(text.starts_with("f.csv has 51 problems:\n  - line 2 (gdp-grwth-0)"), "{text}");
        assert!(text.contains("line 20 (gdp-grwth-9)"), "{text}");
        assert!(!text.contains("gdp-grwth-10"), "{text}");
        assert!(text.contains("… and 16 more rows with the same problem\n  - line 3 (new-roads)"), "{text}");
        assert!(text.contains("… and 15 more rows with the same problem\nNothing was written"), "{text}");
        assert!(text.len() < 6_000, "{} bytes", text.len());
    }

    #[test]
    fn suggestions_are_bounded_and_still_found() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        assert_eq!(plan.nearest_code("gdp-grwth"), Some("gdp-growth"));
        assert_eq!(plan.nearest_code("gdp"), Some("gdp-growth"));
        assert_eq!(plan.nearest_code(&"gdp-growth".repeat(100)), None);
        let nearest_unbounded = |code: &str| {
            plan.targets()
                .iter()
                .map(|t| (strsim::damerau_levenshtein(code, &t.code), t.code.as_str()))
                .filter(|(d, c)| *d <= c.len().max(3) / 2 || c.contains(code))
                .min_by_key(|(d, _)| *d)
                .map(|(_, c)| c)
        };
        for code in ["new-road", "roads", "unemployment", "rd-spend", "gdp-growth-rate-2020", "x", "增长"] {
            assert_eq!(plan.nearest_code(code), nearest_unbounded(code), "{code}");
        }
    }

    #[test]
    fn every_bad_row_is_listed() {
        let found = problems(&[
            &["target", "period", "value", "plan"],
            &["gdp-grwth", "2020Q3", "3.1", ""],
            &["gdp-growth", "2020Q3", "3.1", ""],
            &["new-roads", "2020Q3", "-1", ""],
            &["new-roads", "2020Q9", "1", ""],
            &["new-roads", "2020Q2", "1", "other-2020"],
        ]);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].contains("line 2 (gdp-grwth): plan jinshui-2020 has no target"), "{found:?}");
        assert!(found[1].contains("line 4 (new-roads): -1 is negative"), "{found:?}");
        assert!(found[2].contains("line 5 (new-roads): \"2020Q9\" is not a period"), "{found:?}");
        assert!(found[3].contains("import this file with --plan other-2020"), "{found:?}");
    }
}
