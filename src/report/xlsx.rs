//! The report as an Excel workbook (`rust_xlsxwriter`): a summary sheet (the report's
//! facts, counts by status, what needs attention, what is overdue, what was revised)
//! and one sheet per section with every target's row. Status cells are filled in
//! their colours, headers are frozen, numbers are numbers (shares as percentages),
//! and user text is always written with `write_string`, so text that looks like a
//! formula (`=HYPERLINK(…)`) stays text: no formula is ever built here.

use std::collections::BTreeSet;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::table::{self, Cell, Table};
use super::Report;
use crate::lang::Lang;
use crate::output::{set_print_layout, PrintRange};
use crate::present;
use crate::status::Status;

/// Excel refuses longer strings in a cell.
const MAX_CELL_CHARS: usize = 32_767;

struct Styles {
    title: Format,
    notice: Format,
    headline: Format,
    label: Format,
    header: Format,
    text: Format,
    number: Format,
    share: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xC8CED6));
        Styles {
            title: Format::new().set_bold().set_font_size(15),
            notice: Format::new().set_bold().set_font_color(Color::RGB(0xC62828)),
            headline: Format::new().set_bold(),
            label: Format::new().set_font_color(Color::RGB(0x5F6B7A)),
            header: border(Format::new().set_bold().set_background_color(Color::RGB(0xEEF2F6)).set_text_wrap())
                .set_align(FormatAlign::Top),
            text: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            number: border(Format::new().set_num_format("0.####").set_align(FormatAlign::Top)),
            share: border(Format::new().set_num_format("0.0%").set_align(FormatAlign::Top)),
        }
    }

    fn status(&self, status: Status) -> Format {
        let light_text = !matches!(status, Status::AtRisk | Status::NearlyMet);
        Format::new()
            .set_background_color(Color::RGB(rgb(status.colour())))
            .set_font_color(if light_text { Color::White } else { Color::RGB(0x1F2933) })
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xC8CED6))
            .set_align(FormatAlign::Top)
    }
}

/// `#2e7d32` → `0x2E7D32`.
fn rgb(hex: &str) -> u32 {
    u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0x9E9E9E)
}

fn text(value: &str) -> String {
    if value.chars().count() > MAX_CELL_CHARS {
        value.chars().take(MAX_CELL_CHARS - 1).chain(['…']).collect()
    } else {
        value.to_string()
    }
}

/// Writes text, or leaves the cell blank (with its border) when there is none.
fn put_text(sheet: &mut Worksheet, row: u32, col: u16, value: Option<&str>, format: &Format) -> Result<(), XlsxError> {
    match value {
        Some(value) => sheet.write_string_with_format(row, col, text(value), format)?,
        None => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

fn put_number(sheet: &mut Worksheet, row: u32, col: u16, value: Option<f64>, format: &Format) -> Result<(), XlsxError> {
    match value.filter(|v| v.is_finite()) {
        Some(value) => sheet.write_number_with_format(row, col, value, format)?,
        None => sheet.write_blank(row, col, format)?,
    };
    Ok(())
}

/// The report as .xlsx bytes. The workbook's creation time is the report's "made at",
/// so the same report gives the same bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_timestamp(report.made_at.timestamp())?;
    workbook.set_properties(
        &DocProperties::new().set_title(text(&report.title())).set_author("ontrack").set_creation_datetime(&created),
    );
    summary_sheet(workbook.add_worksheet(), report, &styles)?;
    let mut used = BTreeSet::from([present::report::summary(report.lang).to_string()]);
    for section in &report.sections {
        let name = sheet_name(&section.id, &section.title, &used);
        used.insert(name.clone());
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        section_sheet(sheet, report, &section.rows, &styles)?;
    }
    workbook.save_to_buffer()
}

/// The family's report (`report --parent`) as .xlsx bytes: a summary sheet (facts,
/// counts per plan, what is overdue) and one sheet per indicator with its ranking,
/// ranks and figures as numbers; the same styles and print layout as the plan's.
pub fn render_family(report: &super::family::FamilyReport<'_>) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let lang = report.lang;
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_timestamp(report.made_at.timestamp())?;
    workbook.set_properties(
        &DocProperties::new().set_title(text(&report.title())).set_author("ontrack").set_creation_datetime(&created),
    );
    let summary_name = present::report::summary(lang);
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(summary_name)?;
        sheet.set_column_width(0, 30)?;
        for col in 1..11 {
            sheet.set_column_width(col, 12)?;
        }
        sheet.write_string_with_format(0, 0, text(&report.title()), &styles.title)?;
        let mut row = 2;
        for (label, value) in report.facts() {
            sheet.write_string_with_format(row, 0, label, &styles.label)?;
            sheet.write_string(row, 1, text(&value))?;
            row += 1;
        }
        let counts = report.counts();
        let overdue = report.overdue();
        sheet.write_string_with_format(row + 1, 0, present::compare::counts_heading(lang), &styles.title)?;
        let row = table_at(sheet, row + 2, &counts, lang, &styles)? + 1;
        sheet.write_string_with_format(row, 0, present::compare::overdue_heading(lang), &styles.title)?;
        let mut end = table_at(sheet, row + 1, &overdue, lang, &styles)?;
        if overdue.rows.is_empty() {
            sheet.write_string(end, 0, present::report::none_cell(lang))?;
            end += 1;
        }
        let last_col = counts.headers.len().max(overdue.headers.len()) as u16 - 1;
        set_print_layout(sheet, PrintRange { last_row: end - 1, last_col, repeat: (0, 0) }, lang)?;
    }
    let mut used = BTreeSet::from([summary_name.to_string()]);
    for indicator in &report.comparison.indicators {
        let heading = report.indicator_heading(indicator);
        let name = sheet_name(&indicator.code, &heading, &used);
        used.insert(name.clone());
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        let table = report.ranking_figures(indicator);
        const WIDTHS: [f64; 12] = [7.0, 9.0, 20.0, 22.0, 10.0, 8.0, 9.0, 9.0, 14.0, 14.0, 9.0, 9.0];
        for (col, width) in WIDTHS.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
        }
        sheet.write_string_with_format(0, 0, text(&heading), &styles.title)?;
        sheet.write_string(1, 0, text(&present::compare::change_since(indicator.previous, lang)))?;
        let first = header_row(sheet, 2, &table, &styles)?;
        sheet.set_freeze_panes(first, 0)?;
        let end = rows(sheet, first, &table, lang, &styles)?;
        let last_col = table.headers.len() as u16 - 1;
        set_print_layout(sheet, PrintRange { last_row: end - 1, last_col, repeat: (2, 2) }, lang)?;
    }
    workbook.save_to_buffer()
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not starting or
/// ending with an apostrophe, unique (case-insensitively) in the workbook.
fn sheet_name(id: &str, title: &str, used: &BTreeSet<String>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
            .collect::<String>()
    };
    let taken = |name: &str| used.iter().any(|u| u.to_lowercase() == name.to_lowercase());
    let full: String = clean(&format!("{id} {title}")).chars().take(31).collect();
    let full = full.trim().trim_matches('\'').to_string();
    if !full.is_empty() && !taken(&full) {
        return full;
    }
    let base: String = clean(id).chars().take(27).collect();
    (1..).map(|n| format!("{base} {n}")).find(|name| !taken(name)).expect("some number is free")
}

/// The summary sheet: the report's facts, the counts by status, then what needs
/// attention, what is overdue and what was revised, one block under the other.
fn summary_sheet(sheet: &mut Worksheet, report: &Report, styles: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(present::report::summary(report.lang))?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 22)?;
    for col in 2..8 {
        sheet.set_column_width(col, 18)?;
    }
    let row = facts(sheet, report, styles)?;
    let counts = table::counts(report);
    let attention = table::attention_figures(report);
    let overdue = table::overdue_figures(report);
    let revised = table::revision_figures(report);
    let review_counts = table::review_counts(report);
    let returned = table::review(report);
    let adjustments = table::adjustments(report);
    let completeness = table::completeness(&report.completeness, report.lang);
    let row = table_at(sheet, row + 1, &counts, report.lang, styles)?;
    let row = block(sheet, row + 1, present::report::attention(report.lang), &attention, report, styles)?;
    let row = block(sheet, row, present::report::overdue(report.lang), &overdue, report, styles)?;
    let heading = present::report::revised_since(&report.revisions_since_label(), report.lang);
    let row = block(sheet, row, &heading, &revised, report, styles)?;
    let row = block(sheet, row, present::review_heading(report.lang), &review_counts, report, styles)?;
    let row = block(sheet, row, present::returned_heading(report.lang), &returned, report, styles)?;
    let heading = present::completeness_heading(report.completeness.period, report.lang);
    let mut end = block(sheet, row, &heading, &completeness, report, styles)?;
    if !report.adjustments.is_empty() {
        end = block(sheet, end, present::report::adjustments(report.lang), &adjustments, report, styles)?;
    }
    // The facts take two columns; the widest table decides the rest. `block` returns
    // the row after the blank line that closes it. The title repeats on every page.
    let tables = [&counts, &attention, &overdue, &revised, &review_counts, &returned, &completeness, &adjustments];
    let widest = tables.iter().map(|t| t.headers.len()).max().unwrap_or(0);
    let last_col = widest.max(2) as u16 - 1;
    set_print_layout(sheet, PrintRange { last_row: end - 2, last_col, repeat: (0, 0) }, report.lang)
}

/// The title, the notice, the facts and the headline; returns the next free row.
fn facts(sheet: &mut Worksheet, report: &Report, styles: &Styles) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(0, 0, text(&report.title()), &styles.title)?;
    let facts = report.facts();
    let mut row = 2;
    if let Some(notice) = &report.notice {
        sheet.write_string_with_format(1, 0, text(notice), &styles.notice)?;
    }
    for (label, value) in facts {
        sheet.write_string_with_format(row, 0, label, &styles.label)?;
        sheet.write_string(row, 1, text(&value))?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, text(&report.headline()), &styles.headline)?;
    Ok(row + 1)
}

/// A titled table, with "None" under its headers when it has no rows; returns the
/// row after the blank line that closes it.
fn block(
    sheet: &mut Worksheet,
    row: u32,
    title: &str,
    table: &Table,
    report: &Report,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, text(title), &styles.title)?;
    let mut row = table_at(sheet, row + 1, table, report.lang, styles)?;
    if table.rows.is_empty() {
        sheet.write_string(row, 0, present::report::none_cell(report.lang))?;
        row += 1;
    }
    Ok(row + 1)
}

/// A table's header row and rows from `row` on; returns the next free row.
fn table_at(sheet: &mut Worksheet, row: u32, table: &Table, lang: Lang, styles: &Styles) -> Result<u32, XlsxError> {
    let first = header_row(sheet, row, table, styles)?;
    rows(sheet, first, table, lang, styles)
}

fn header_row(sheet: &mut Worksheet, row: u32, table: &Table, styles: &Styles) -> Result<u32, XlsxError> {
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *header, &styles.header)?;
    }
    Ok(row + 1)
}

/// The table's rows from `first` on; returns the next free row.
fn rows(sheet: &mut Worksheet, first: u32, table: &Table, lang: Lang, styles: &Styles) -> Result<u32, XlsxError> {
    let mut row = first;
    for line in &table.rows {
        for (col, cell) in line.cells.iter().enumerate() {
            put(sheet, (row, col as u16), cell, line.total, lang, styles)?;
        }
        row += 1;
    }
    Ok(row)
}

/// One cell: text as text (never a formula), numbers as numbers, statuses filled in
/// their colour; a total's label styled as a header.
fn put(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    cell: &Cell,
    total: bool,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let text_style = if total { &styles.header } else { &styles.text };
    match cell {
        Cell::Text(value) | Cell::Duty(value) | Cell::Figure(value) => {
            put_text(sheet, row, col, value.as_deref(), text_style)
        }
        Cell::Name { name, .. } => put_text(sheet, row, col, Some(name), text_style),
        Cell::Latest(value) => {
            let words = value.as_ref().map(|(actual, period)| present::figure_in_period(actual, period, lang));
            put_text(sheet, row, col, words.as_deref(), text_style)
        }
        Cell::Status { status, label, .. } => put_text(sheet, row, col, Some(label), &styles.status(*status)),
        Cell::Progress { label, .. } => put_text(sheet, row, col, label.as_deref(), text_style),
        Cell::Source { source, .. } => put_text(sheet, row, col, source.as_deref(), text_style),
        Cell::Count(n) => put_number(sheet, row, col, Some(*n as f64), &styles.number),
        Cell::Number(value) => put_number(sheet, row, col, *value, &styles.number),
        Cell::Share(value) => put_number(sheet, row, col, *value, &styles.share),
    }
}

/// The widths of a section sheet's columns ([`table::target_figures`]).
const WIDTHS: [f64; 20] = [
    24.0, 30.0, 16.0, 8.0, 11.0, 10.0, 10.0, 10.0, 10.0, 11.0, 11.0, 12.0, 10.0, 20.0, 30.0, 12.0, 21.0, 30.0, 10.0,
    36.0,
];

fn section_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    rows_shown: &[usize],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let table = table::target_figures(report, rows_shown);
    for (col, (header, width)) in table.headers.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, *header, &styles.header)?;
    }
    sheet.set_freeze_panes(1, 2)?;
    let end = rows(sheet, 1, &table, report.lang, styles)?;
    let last_col = table.headers.len().max(1) as u16 - 1;
    set_print_layout(sheet, PrintRange { last_row: end.max(1) - 1, last_col, repeat: (0, 0) }, report.lang)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::report::fixture;

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes)).expect("the workbook opens")
    }

    #[test]
    fn workbook_opens_with_a_summary_and_a_sheet_per_section() {
        let mut book = open(render(&fixture::report(Lang::Zh)).unwrap());
        assert_eq!(book.sheet_names(), ["总体情况", "main 主要预期目标", "C 聚焦“双改” & <b>城建<_b>"]);
        let main = book.worksheet_range("main 主要预期目标").unwrap();
        assert_eq!(main.get_value((0, 0)), Some(&Data::String("代码".into())));
        assert_eq!(main.get_value((1, 0)), Some(&Data::String("gdp-growth".into())));
        // Numbers are numbers, shares are shares.
        assert_eq!(main.get_value((1, 4)), Some(&Data::Float(6.1)));
        assert_eq!(main.get_value((1, 6)), Some(&Data::Float(-0.4)));
        let roads = book.worksheet_range("C 聚焦“双改” & <b>城建<_b>").unwrap();
        let Some(Data::Float(progress)) = roads.get_value((1, 7)) else { panic!("progress is a number") };
        assert!((progress - 30.0 / 92.0).abs() < 1e-9);
        // Hostile text stays text, never a formula.
        assert_eq!(main.get_value((1, 17)), Some(&Data::String(fixture::HOSTILE_NOTE.into())));
        assert_eq!(main.get_value((1, 14)), Some(&Data::String(fixture::HOSTILE_SOURCE.into())));
        let formulas = book.worksheet_formula("main 主要预期目标").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in any cell");
        let summary = book.worksheet_range("总体情况").unwrap();
        assert_eq!(summary.get_value((0, 0)), Some(&Data::String("金水区2020年度目标任务进展情况".into())));
    }

    #[test]
    fn status_cells_are_filled_and_the_header_frozen() {
        let bytes = render(&fixture::report(Lang::Zh)).unwrap();
        let mut zip = zip_entry(&bytes, "xl/styles.xml");
        assert!(zip.contains("FF2E7D32") && zip.contains("FFF9A825") && zip.contains("FFC62828"), "{zip}");
        zip = zip_entry(&bytes, "xl/worksheets/sheet2.xml");
        assert!(zip.contains("state=\"frozen\""), "{zip}");
    }

    /// Every sheet's cells as text (`A1 = …`), for a reviewable snapshot of the workbook.
    fn cells(bytes: Vec<u8>) -> String {
        let mut book = open(bytes);
        let mut out = String::new();
        for name in book.sheet_names() {
            out.push_str(&format!("== {name}\n"));
            let range = book.worksheet_range(&name).unwrap();
            for (row, col, value) in range.used_cells() {
                if *value != Data::Empty {
                    let col = u8::try_from(col).map_or('?', |c| char::from(b'A' + c));
                    out.push_str(&format!("{col}{} = {value:?}\n", row + 1));
                }
            }
        }
        out
    }

    #[test]
    fn xlsx_snapshot() {
        insta::assert_snapshot!(cells(render(&fixture::report(Lang::Zh)).unwrap()));
    }

    #[test]
    fn same_report_same_bytes() {
        assert_eq!(render(&fixture::report(Lang::En)).unwrap(), render(&fixture::report(Lang::En)).unwrap());
    }

    #[test]
    fn a_width_for_every_section_column() {
        let report = fixture::report(Lang::En);
        assert_eq!(table::target_figures(&report, &[]).headers.len(), WIDTHS.len());
    }

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        let used = BTreeSet::from(["Summary".to_string()]);
        assert_eq!(sheet_name("A", "a/b:c*d?[e]", &used), "A a_b_c_d__e_");
        let long = sheet_name("B", &"很长的标题".repeat(10), &used);
        assert_eq!(long.chars().count(), 31);
        assert_eq!(sheet_name("summary", "", &BTreeSet::from(["summary".to_string()])), "summary 1");
    }

    fn zip_entry(bytes: &[u8], name: &str) -> String {
        // calamine depends on zip; read the entry through it.
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut entry = archive.by_name(name).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        text
    }
}
