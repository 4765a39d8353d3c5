//! The report's tables, laid out once from the [`Report`] view model (which rows,
//! which columns, which header, what each cell holds); Markdown, HTML and the
//! workbook only turn a [`Table`] into their markup (hyperfine's `MarkupExporter`).
//! A cell says what it is (a name with its code, a status, a progress with its
//! pace), not how it looks, so each format can show it its own way.

use super::{Report, Row};
use crate::completeness::{Completeness, UnitCompleteness};
use crate::lang::Lang;
use crate::present;
use crate::status::Status;

/// A table: its headers in the report's language and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// The target the row is about, when a page may link to it (HTML `id="t-…"`).
    pub anchor: Option<String>,
    /// A closing total: Markdown sets it in bold, the workbook styles it as a header.
    pub total: bool,
    pub cells: Vec<Cell>,
}

impl TableRow {
    fn new(cells: Vec<Cell>) -> TableRow {
        TableRow { anchor: None, total: false, cells }
    }
}

/// What a cell holds. `None` reads as a dash in Markdown and HTML, a blank cell in
/// the workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(Option<String>),
    /// Who must act (the lead unit that must report): bold in HTML.
    Duty(Option<String>),
    /// A figure already in words (a gap, what is still needed, a revision): set
    /// right-aligned in HTML.
    Figure(Option<String>),
    /// A target's name and its code (HTML shows the code under the name).
    Name {
        name: String,
        code: String,
    },
    /// The latest figure and its period, in words.
    Latest(Option<(String, String)>),
    /// A status: `label` is the status in words (with 未报送 appended when overdue).
    Status {
        status: Status,
        overdue: bool,
        label: String,
    },
    /// Progress in words, and (progress, pace) as shares for a bar.
    Progress {
        label: Option<String>,
        bar: Option<(f64, f64)>,
        status: Status,
    },
    /// Where the figure comes from, who logged it and its note.
    Source {
        source: Option<String>,
        by: Option<String>,
        note: Option<String>,
    },
    /// A count of targets.
    Count(usize),
    /// A number the workbook keeps as a number.
    Number(Option<f64>),
    /// A share the workbook shows as a percentage.
    Share(Option<f64>),
}

fn name(row: &Row) -> Cell {
    Cell::Name { name: row.name.clone(), code: row.code.clone() }
}

fn latest(row: &Row, lang: Lang) -> Cell {
    Cell::Latest(row.actual_label().zip(row.period_label_marked(lang)))
}

fn status(row: &Row) -> Cell {
    Cell::Status { status: row.status, overdue: row.overdue, label: row.status_label.clone() }
}

fn progress(row: &Row, lang: Lang) -> Cell {
    Cell::Progress { label: row.progress_label(lang), bar: row.progress.zip(row.pace), status: row.status }
}

/// Targets by status, then overdue figures and the total (Markdown and the workbook;
/// HTML shows the counts as cards).
pub fn counts(report: &Report) -> Table {
    let lang = report.lang;
    let mut rows: Vec<TableRow> = report
        .counts
        .iter()
        .map(|&(status, n)| {
            let label = present::status(status, lang).to_string();
            TableRow::new(vec![Cell::Status { status, overdue: false, label }, Cell::Count(n)])
        })
        .collect();
    rows.push(TableRow::new(vec![
        Cell::Text(Some(present::overdue(lang).to_string())),
        Cell::Count(report.overdue_count),
    ]));
    rows.push(TableRow {
        total: true,
        ..TableRow::new(vec![
            Cell::Text(Some(present::report::total(lang).to_string())),
            Cell::Count(report.rows().len()),
        ])
    });
    Table { headers: present::headers::counts(lang), rows }
}

/// Targets that need attention, most serious first.
pub fn attention(report: &Report) -> Table {
    let lang = report.lang;
    let rows = report
        .behind
        .iter()
        .map(|&i| {
            let row = report.row(i);
            TableRow::new(vec![
                name(row),
                Cell::Text(Some(row.goal.clone())),
                latest(row, lang),
                status(row),
                Cell::Figure(row.gap_label(lang)),
                progress(row, lang),
                Cell::Figure(row.needed_label(lang)),
                Cell::Text(row.lead_unit.clone()),
            ])
        })
        .collect();
    Table { headers: present::headers::attention(lang), rows }
}

/// Overdue figures and who must report them.
pub fn overdue(report: &Report) -> Table {
    let lang = report.lang;
    let rows = report
        .overdue
        .iter()
        .map(|&i| {
            let row = report.row(i);
            TableRow::new(vec![
                name(row),
                Cell::Text(row.due_for_label(lang)),
                latest(row, lang),
                Cell::Duty(row.lead_unit.clone()),
            ])
        })
        .collect();
    Table { headers: present::headers::overdue(lang), rows }
}

/// Figures revised since the report's "revised since" day.
pub fn revisions(report: &Report) -> Table {
    let lang = report.lang;
    let rows = report
        .revisions
        .iter()
        .map(|r| {
            TableRow::new(vec![
                Cell::Name { name: r.name.clone(), code: r.code.clone() },
                Cell::Text(Some(r.period_label(lang))),
                Cell::Figure(Some(r.change_label())),
                Cell::Text(r.reason.clone()),
                Cell::Text(Some(r.by.clone())),
                Cell::Text(Some(report.recorded_at_label(r))),
            ])
        })
        .collect();
    Table { headers: present::headers::revisions(lang), rows }
}

/// Per lead unit: standing figures awaiting review, approved, returned.
pub fn review_counts(report: &Report) -> Table {
    let lang = report.lang;
    let rows = report
        .review_counts
        .iter()
        .map(|c| {
            TableRow::new(vec![
                Cell::Duty(c.lead_unit.clone()),
                Cell::Count(c.submitted),
                Cell::Count(c.approved),
                Cell::Count(c.returned),
            ])
        })
        .collect();
    Table { headers: present::headers::review_counts(lang), rows }
}

/// Returned figures, with who returned them and why.
pub fn review(report: &Report) -> Table {
    let lang = report.lang;
    let rows = report
        .review
        .iter()
        .map(|r| {
            let state = crate::review::FigureState::parse(r.state).unwrap_or(crate::review::FigureState::Submitted);
            TableRow::new(vec![
                Cell::Name { name: r.name.clone(), code: r.code.clone() },
                Cell::Text(Some(r.period.clone())),
                Cell::Figure(Some(present::figure(r.value, &r.unit))),
                Cell::Text(Some(present::figure_state(state, lang).to_string())),
                Cell::Text(Some(r.by.clone())),
                Cell::Text(Some(r.at.clone())),
                Cell::Text(r.reason.clone()),
                Cell::Duty(r.lead_unit.clone()),
            ])
        })
        .collect();
    Table { headers: present::headers::review(lang), rows }
}

/// Completeness per lead unit and its total row (`completeness::compute`).
pub fn completeness(completeness: &Completeness, lang: Lang) -> Table {
    let row = |unit: &UnitCompleteness, name: Option<String>| {
        TableRow::new(vec![
            Cell::Duty(name),
            Cell::Count(unit.due),
            Cell::Count(unit.submitted),
            Cell::Count(unit.on_time),
            Cell::Count(unit.approved),
            Cell::Count(unit.returned),
            Cell::Count(unit.missing),
            Cell::Figure(Some(present::reporting_rate(unit.rate()))),
        ])
    };
    let mut rows: Vec<TableRow> = completeness.units.iter().map(|u| row(u, u.lead_unit.clone())).collect();
    let mut total = row(&completeness.total, Some(present::report::total(lang).to_string()));
    total.total = true;
    rows.push(total);
    Table { headers: present::headers::completeness(lang), rows }
}

/// Target adjustments standing at the report's data moment.
pub fn adjustments(report: &Report) -> Table {
    let lang = report.lang;
    let rows = report
        .adjustments
        .iter()
        .map(|a| {
            TableRow::new(vec![
                Cell::Name { name: a.name.clone(), code: a.code.clone() },
                Cell::Text(Some(a.change_label(lang))),
                Cell::Text(Some(a.reason.clone())),
                Cell::Text(a.document.clone()),
                Cell::Text(Some(a.effective_label(report.zone, lang))),
                Cell::Text(Some(a.by.clone())),
            ])
        })
        .collect();
    Table { headers: present::headers::adjustments(lang), rows }
}

/// Every target of a section.
pub fn targets(report: &Report, rows: &[usize]) -> Table {
    let lang = report.lang;
    let rows = rows
        .iter()
        .map(|&i| {
            let row = report.row(i);
            TableRow {
                anchor: Some(row.code.clone()),
                ..TableRow::new(vec![
                    name(row),
                    Cell::Text(Some(row.goal.clone())),
                    latest(row, lang),
                    Cell::Figure(row.gap_label(lang)),
                    progress(row, lang),
                    status(row),
                    Cell::Source { source: row.source.clone(), by: row.recorded_by.clone(), note: row.note.clone() },
                ])
            }
        })
        .collect();
    Table { headers: present::headers::targets(lang), rows }
}

// The workbook keeps figures as numbers (and shares as percentages) so that they can
// be summed and sorted, with the unit and period in columns of their own; its tables
// have those columns.

/// Targets that need attention, as the workbook lists them.
pub fn attention_figures(report: &Report) -> Table {
    let rows = report
        .behind
        .iter()
        .map(|&i| {
            let r = report.row(i);
            TableRow::new(vec![
                Cell::Text(Some(r.name.clone())),
                status(r),
                Cell::Number(r.actual),
                Cell::Text(Some(r.unit.clone())),
                Cell::Text(r.period.clone()),
                Cell::Number(r.gap),
                Cell::Number(r.behind),
                Cell::Number(r.needed_per_period),
                Cell::Text(r.lead_unit.clone()),
            ])
        })
        .collect();
    let headers = present::headers::attention_figures(report.lang);
    Table { headers, rows }
}

/// Overdue figures, as the workbook lists them.
pub fn overdue_figures(report: &Report) -> Table {
    let rows = report
        .overdue
        .iter()
        .map(|&i| {
            let r = report.row(i);
            TableRow::new(vec![
                Cell::Text(Some(r.name.clone())),
                Cell::Text(r.due_for.clone()),
                Cell::Number(r.actual),
                Cell::Text(r.period.clone()),
                Cell::Text(r.lead_unit.clone()),
            ])
        })
        .collect();
    let headers = present::headers::overdue_figures(report.lang);
    Table { headers, rows }
}

/// Revised figures, as the workbook lists them.
pub fn revision_figures(report: &Report) -> Table {
    let rows = report
        .revisions
        .iter()
        .map(|r| {
            TableRow::new(vec![
                Cell::Text(Some(r.name.clone())),
                Cell::Text(Some(r.period.clone())),
                Cell::Number(r.previous),
                Cell::Number(Some(r.value)),
                Cell::Text(Some(r.unit.clone())),
                Cell::Text(r.reason.clone()),
                Cell::Text(Some(r.by.clone())),
                Cell::Text(Some(r.recorded_at.clone())),
            ])
        })
        .collect();
    let headers = present::headers::revision_figures(report.lang);
    Table { headers, rows }
}

/// A section's targets with every field, as the workbook's section sheet lists them.
pub fn target_figures(report: &Report, rows: &[usize]) -> Table {
    let rows = rows
        .iter()
        .map(|&i| {
            let r = report.row(i);
            TableRow::new(vec![
                Cell::Text(Some(r.code.clone())),
                Cell::Text(Some(r.name.clone())),
                Cell::Text(Some(r.goal.clone())),
                Cell::Text(Some(r.unit.clone())),
                Cell::Number(r.actual),
                Cell::Text(r.period.clone()),
                Cell::Number(r.gap),
                Cell::Share(r.progress),
                Cell::Share(r.pace),
                Cell::Number(r.projected),
                Cell::Number(r.needed_per_period),
                status(r),
                Cell::Text(r.due_for.clone()),
                Cell::Text(r.lead_unit.clone()),
                Cell::Text(r.source.clone()),
                Cell::Text(r.recorded_by.clone()),
                Cell::Text(r.recorded_at.clone()),
                Cell::Text(r.note.clone()),
                Cell::Number(r.baseline),
                Cell::Text(r.baseline_label(report.lang)),
            ])
        })
        .collect();
    let headers = present::headers::target_figures(report.lang);
    Table { headers, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn every_row_has_a_cell_under_every_header() {
        for lang in [Lang::Zh, Lang::En] {
            let report = fixture::report(lang);
            let all = (0..report.rows().len()).collect::<Vec<_>>();
            let tables = [
                counts(&report),
                attention(&report),
                overdue(&report),
                revisions(&report),
                review(&report),
                review_counts(&report),
                adjustments(&report),
                completeness(&report.completeness, lang),
                targets(&report, &all),
                attention_figures(&report),
                overdue_figures(&report),
                revision_figures(&report),
                target_figures(&report, &all),
            ];
            for table in tables {
                assert!(!table.rows.is_empty(), "the fixture fills every table: {:?}", table.headers);
                for row in &table.rows {
                    assert_eq!(row.cells.len(), table.headers.len(), "{:?}", table.headers);
                }
            }
        }
    }
}
