//! Importing figures from a sheet (.csv or .xlsx) as departments send them. Every row
//! is checked (with [`crate::validate`], as `record` does) and every bad row is
//! reported with its place, so a file is written whole or not at all. Reading only:
//! writing is the caller's `Store::insert_actuals`, one transaction for the file.

mod columns;
mod sheet;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use thiserror::Error;

use columns::Header;
pub use columns::{Column, CONTEXT_HEADERS};
use sheet::{Cell, Sheet, SheetRow};

use crate::actual::{current_figures, revision_changes_nothing, Actual, NewActual};
use crate::error::revision_changes_nothing_message;
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::plan::Plan;
use crate::validate::{check_figure, FigureProblem, RawValue};

/// What a sheet holds, checked and ready to write.
#[derive(Debug)]
pub struct ImportedFigures {
    /// The figures in sheet order (a revision row comes after the row it revises).
    pub figures: Vec<NewActual>,
    /// Where each figure came from (`line 4`, `填报!C4`), parallel to `figures`.
    pub places: Vec<String>,
    /// Rows with a target but no value: skipped, as a template's unfilled rows are.
    pub skipped_blank: usize,
    /// Header cells that are neither import columns nor template context.
    pub ignored_columns: Vec<String>,
    /// `Some("GB18030")` when a CSV file was decoded from Chinese Windows text.
    pub decoded_from: Option<&'static str>,
}

impl ImportedFigures {
    pub fn revisions(&self) -> usize {
        self.figures.iter().filter(|f| f.revision_reason.is_some()).count()
    }
}

/// One bad row and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// `line 4`, or `Sheet1!C4` pointing at the cell at fault.
    pub place: String,
    /// The row's target code, when it has one, so a reader can find the row.
    pub target: Option<String>,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Some(target) => write!(f, "{} ({target}): {}", self.place, self.message),
            None => write!(f, "{}: {}", self.place, self.message),
        }
    }
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{file}: {reason}; nothing was written")]
    Unreadable { file: String, reason: String },
    /// Text in an encoding we do not read; the message names the file and what to do.
    #[error("{0}; nothing was written")]
    Encoding(String),
    #[error(
        "{file} is not a file ontrack can import ({found}); save it as .xlsx or as \"CSV UTF-8\" (Excel: File → \
         Save As) and import that; nothing was written"
    )]
    UnsupportedType { file: String, found: String },
    #[error("{file}{}: {problem}; nothing was written", sheet.as_ref().map(|s| format!(", sheet {s}")).unwrap_or_default())]
    Columns { file: String, sheet: Option<String>, problem: String },
    #[error("{}", bad_rows_text(file, problems))]
    BadRows { file: String, problems: Vec<RowProblem> },
}

fn bad_rows_text(file: &str, problems: &[RowProblem]) -> String {
    let mut text = format!("{file} has {} problem{}:", problems.len(), if problems.len() == 1 { "" } else { "s" });
    for problem in problems {
        text.push_str(&format!("\n  - {problem}"));
    }
    text.push_str(
        "\nNothing was written. Fix these rows and import the file again (--dry-run checks without writing).",
    );
    text
}

/// Reads and checks every row of a .csv or .xlsx file of figures for `plan`.
///
/// Columns `target, period, value` are required, `source, note, by, reason, plan`
/// optional (or the Chinese headers 指标代码, 期间, 数值, 来源, 备注, 填报人, 修订原因, 计划).
/// Rows without a value are skipped and counted; a row with a `reason` is a revision;
/// `by` falls back to `default_by`. Fails with every bad row listed.
pub fn read_figures(
    path: &Path,
    plan: &Plan,
    now: DateTime<Utc>,
    default_by: &str,
) -> Result<ImportedFigures, ImportError> {
    let shown = path.display().to_string();
    let sheet = match file_type(path, &shown)? {
        FileType::Csv => sheet::read_csv(path, &shown)?,
        FileType::Xlsx => sheet::read_xlsx(path, &shown)?,
    };
    figures_of_sheet(&sheet, &shown, plan, now, default_by)
}

fn figures_of_sheet(
    sheet: &Sheet,
    shown: &str,
    plan: &Plan,
    now: DateTime<Utc>,
    default_by: &str,
) -> Result<ImportedFigures, ImportError> {
    let mut imported = ImportedFigures {
        figures: Vec::new(),
        places: Vec::new(),
        skipped_blank: 0,
        ignored_columns: sheet.header.ignored.clone(),
        decoded_from: sheet.decoded_from,
    };
    let mut checker = RowChecker::new(plan, now, default_by, true);
    let mut problems = Vec::new();
    for row in &sheet.rows {
        match checker.check(&sheet.header, row) {
            CheckedRow::Blank => imported.skipped_blank += 1,
            CheckedRow::Refused(found) => problems.extend(found),
            CheckedRow::Figure { figure, .. } => {
                imported.places.push(row.place.at(sheet.header.index(Column::Value)));
                imported.figures.push(figure);
            }
        }
    }
    if problems.is_empty() {
        Ok(imported)
    } else {
        Err(ImportError::BadRows { file: shown.to_string(), problems })
    }
}

/// What one row of a sheet holds, once checked.
pub enum CheckedRow {
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
/// does). With `track_windows`, a second row for a window without a reason is
/// refused here; a streamed import leaves that to the database's unique window index
/// instead, so that it needs no memory per row.
pub struct RowChecker<'p> {
    plan: &'p Plan,
    now: DateTime<Utc>,
    default_by: &'p str,
    /// The first row seen for each target and window: its period cell and label.
    windows: Option<BTreeMap<(String, i64), (String, String)>>,
}

impl<'p> RowChecker<'p> {
    pub fn new(plan: &'p Plan, now: DateTime<Utc>, default_by: &'p str, track_windows: bool) -> RowChecker<'p> {
        RowChecker { plan, now, default_by, windows: track_windows.then(BTreeMap::new) }
    }

    pub fn check(&mut self, header: &Header, row: &SheetRow) -> CheckedRow {
        let plan = self.plan;
        let cell = |column: Column| header.index(column).and_then(|i| row.cells.get(i)).unwrap_or(&Cell::Empty);
        let at = |column| row.place.at(header.index(column));
        let target_text = cell(Column::Target).text();
        let target = (!target_text.is_empty()).then(|| target_text.clone());
        let refused = |found: Vec<(Option<Column>, String)>| {
            CheckedRow::Refused(
                found
                    .into_iter()
                    .map(|(column, message)| RowProblem {
                        place: column.map_or_else(|| row.place.at(None), at),
                        target: target.clone(),
                        message,
                    })
                    .collect(),
            )
        };
        if cell(Column::Value).is_blank() {
            return CheckedRow::Blank;
        }
        if let Some(row_plan) = Some(cell(Column::Plan).text()).filter(|p| !p.is_empty()) {
            if row_plan != plan.id {
                return refused(vec![(
                    Some(Column::Plan),
                    format!(
                        "the row is for plan {row_plan}, but the import is into plan {}; import this file with \
                         --plan {row_plan}",
                        plan.id
                    ),
                )]);
            }
        }
        let period_text = match period_text(cell(Column::Period)) {
            Ok(text) => text,
            Err(message) => return refused(vec![(Some(Column::Period), message)]),
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
                    "the value cell holds a date, not a figure; enter the number".to_string(),
                )])
            }
            Cell::Unreadable(what) => {
                return refused(vec![(
                    Some(Column::Value),
                    format!("the value cell holds an {what}, not a figure; enter the number"),
                )])
            }
            Cell::Empty => unreachable!("blank values are skipped above"),
        };
        let checked = match check_figure(plan, &target_text, &period_text, value, self.now) {
            Ok(checked) => checked,
            Err(found) => {
                return refused(found.iter().map(|problem| (Some(column_of(problem)), problem.to_string())).collect())
            }
        };
        let reason = Some(cell(Column::Reason).text()).filter(|r| !r.is_empty());
        if let Some(windows) = &mut self.windows {
            let window = (checked.target.code.clone(), checked.period.end_key());
            if reason.is_none() {
                if let Some((first_place, first_label)) = windows.get(&window) {
                    return refused(vec![(
                        Some(Column::Period),
                        same_window_message(first_place, first_label, checked.period),
                    )]);
                }
            }
            windows.entry(window).or_insert_with(|| (at(Column::Period), checked.period.label()));
        }
        let text_of = |column| Some(cell(column).text()).filter(|t| !t.is_empty());
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

/// A second row for a window, without a reason: `first_place` is the period cell of
/// the first, `first_label` its period as written.
pub fn same_window_message(first_place: &str, first_label: &str, period: crate::period::Period) -> String {
    let same = if first_label == period.label() {
        String::new()
    } else {
        format!(" ({first_label} and {period} both end in {})", period.end_period())
    };
    format!(
        "the same window as {first_place}{same}: one figure per target and window; fill the reason (修订原因) column \
         if this row revises that one, else remove one of the rows"
    )
}

/// The column a problem points at.
fn column_of(problem: &FigureProblem) -> Column {
    match problem {
        FigureProblem::MissingTarget | FigureProblem::UnknownTarget { .. } => Column::Target,
        FigureProblem::MissingPeriod
        | FigureProblem::Period(_)
        | FigureProblem::OutsideYear { .. }
        | FigureProblem::Future { .. }
        | FigureProblem::SecondHalfYearToDate { .. } => Column::Period,
        _ => Column::Value,
    }
}

/// A period cell as text. Excel turns a typed `2020` into a number and `2020-09` into
/// the date 1 September 2020; both are read back as what was typed.
fn period_text(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Date { year, month, day: 1 } => Ok(format!("{year}-{month:02}")),
        Cell::Date { year, month, day } => Err(format!(
            "the period cell holds the date {year}-{month:02}-{day:02}; write a period such as {year}-{month:02} or \
             {year}Q3 (format the cell as text)"
        )),
        Cell::Unreadable(what) => Err(format!("the period cell holds an {what}; write a period such as 2020Q3")),
        other => Ok(other.text()),
    }
}

/// Rows that clash with figures already logged: a figure for a window that has one
/// already (without a reason), or a revision of a window that has none yet (in the
/// database or in an earlier row). `logged` is every figure of the plan.
pub fn clashes_with_logged(imported: &ImportedFigures, logged: &[Actual], lang: Lang) -> Vec<RowProblem> {
    let standing: BTreeMap<(&str, i64), &Actual> =
        current_figures(logged, None).into_iter().map(|a| ((&*a.target, a.period.end_key()), a)).collect();
    let mut earlier_rows: std::collections::BTreeSet<(&str, i64)> = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for (figure, place) in imported.figures.iter().zip(&imported.places) {
        let window = (figure.target.as_str(), figure.period.end_key());
        let in_database = standing.get(&window);
        match (&figure.revision_reason, in_database) {
            (None, Some(held)) => problems.push(RowProblem {
                place: place.clone(),
                target: Some(figure.target.clone()),
                message: already_logged_message(
                    figure,
                    held.value,
                    &held.period.to_string(),
                    &held.recorded_by,
                    &crate::store::timestamp(held.recorded_at),
                ),
            }),
            // A revision of the figure in the database (not of an earlier row's) that changes nothing.
            (Some(_), Some(held))
                if !earlier_rows.contains(&window)
                    && revision_changes_nothing(held.value, held.source.as_deref(), figure) =>
            {
                problems.push(RowProblem {
                    place: place.clone(),
                    target: Some(figure.target.clone()),
                    message: revision_changes_nothing_message(
                        lang,
                        &figure.target,
                        &figure.period.label(),
                        &format_number(held.value),
                        held.source.as_deref(),
                    ),
                })
            }
            (Some(_), None) if !earlier_rows.contains(&window) => problems.push(RowProblem {
                place: place.clone(),
                target: Some(figure.target.clone()),
                message: nothing_to_revise_message(figure),
            }),
            _ => {}
        }
        earlier_rows.insert(window);
    }
    problems
}

/// A row for a window that has a figure in the database already, without a reason.
pub fn already_logged_message(figure: &NewActual, value: f64, period: &str, by: &str, at: &str) -> String {
    let again =
        if value == figure.value { " The value is the same: this file may have been imported already." } else { "" };
    format!(
        "{} already has a figure for {}: {} (logged as {period} by {by} at {at}); fill the reason (修订原因) column to \
         log this row as a revision, or remove the row.{again}",
        figure.target,
        figure.period,
        format_number(value),
    )
}

/// A row with a reason for a window that has no figure yet.
pub fn nothing_to_revise_message(figure: &NewActual) -> String {
    format!(
        "the row has a reason (修订原因), so it revises a figure, but {} has no figure for {} yet; clear the reason to \
         log it as the first figure",
        figure.target, figure.period
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
            Some(sheet) => sheet::Place::Row { sheet: sheet.clone(), row: u32::try_from(number).unwrap_or(u32::MAX) },
            None => sheet::Place::Line(number),
        };
        place.at(column)
    }
}

/// Reads and checks a .csv or .xlsx file of figures one row at a time, handing each
/// checked row to `visit` as it comes, so that a file of any size is read in the
/// memory of one row. Unlike [`read_figures`], a second row for a window is not
/// refused here: the caller writes each figure as it comes, and the database's
/// unique window index refuses it (see `commands/import.rs`). `on_start` is called
/// once the header is found, before any row.
pub fn stream_figures(
    path: &Path,
    plan: &Plan,
    now: DateTime<Utc>,
    default_by: &str,
    on_start: impl FnMut(&SheetNotes),
    visit: impl FnMut(CheckedRow),
) -> Result<SheetNotes, ImportError> {
    struct Visitor<'p, S, V> {
        checker: RowChecker<'p>,
        notes: SheetNotes,
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
            };
            (self.on_start)(&self.notes);
        }

        fn row(&mut self, header: &columns::Header, row: SheetRow) {
            let checked = self.checker.check(header, &row);
            (self.visit)(checked);
        }
    }
    let shown = path.display().to_string();
    let mut visitor = Visitor {
        checker: RowChecker::new(plan, now, default_by, false),
        notes: SheetNotes::default(),
        on_start,
        visit,
    };
    match file_type(path, &shown)? {
        FileType::Csv => sheet::stream_csv(path, &shown, &mut visitor)?,
        FileType::Xlsx => sheet::stream_xlsx(path, &shown, &mut visitor)?,
    }
    Ok(visitor.notes)
}

enum FileType {
    Csv,
    Xlsx,
}

/// What kind of file `path` is, by its extension; refuses what cannot be imported.
fn file_type(path: &Path, shown: &str) -> Result<FileType, ImportError> {
    let shown = shown.to_string();
    if path.is_dir() {
        return Err(ImportError::Unreadable { file: shown, reason: "it is a directory, not a file".to_string() });
    }
    if !path.exists() {
        return Err(ImportError::Unreadable { file: shown, reason: "no such file".to_string() });
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
    use super::sheet::{Place, SheetRow};
    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;
    use chrono::TimeZone;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        let cells = |texts: &[&str]| texts.iter().map(|t| Cell::Text(t.to_string())).collect::<Vec<_>>();
        Sheet {
            header: columns::Header::read(&cells(rows[0]), "f.csv", None).unwrap(),
            rows: rows[1..]
                .iter()
                .enumerate()
                .map(|(i, r)| SheetRow { place: Place::Line(i as u64 + 2), cells: cells(r) })
                .collect(),
            decoded_from: None,
        }
    }

    fn read(rows: &[&[&str]]) -> Result<ImportedFigures, ImportError> {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let now = Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap();
        figures_of_sheet(&sheet(rows), "f.csv", &plan, now, "tester")
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
        assert_eq!(ok.revisions(), 1);
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
        assert_eq!(ok.figures[0].recorded_by, "张三");
        assert_eq!(ok.places, vec!["line 3".to_string()]);
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
