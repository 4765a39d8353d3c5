//! Reading a sheet of figures from a file into cells with their places: CSV (UTF-8,
//! BOM, CRLF, or GBK decoded) and Excel .xlsx (the first sheet that has the required
//! columns). No validation here; the cells keep what the file held.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::columns::{Column, Header};
use super::ImportError;
use crate::input::decode_text;

/// One cell as the file held it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A number shown as a percentage: Excel stores a typed `6.5%` as 0.065.
    Percent(f64),
    /// An Excel date (Excel turns a typed `2020-09` into 1 September 2020).
    Date {
        year: u16,
        month: u8,
        day: u8,
    },
    /// An Excel error value such as `#DIV/0!`, or a cell type we do not read.
    Unreadable(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for codes, sources and notes (`2020` from a number cell reads `2020`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().to_string(),
            Cell::Number(n) => crate::numbers::format_decimals(*n, 10),
            Cell::Percent(share) => format!("{}%", crate::numbers::format_decimals(share * 100.0, 10)),
            Cell::Date { year, month, day } => format!("{year}-{month:02}-{day:02}"),
            Cell::Unreadable(what) => what.clone(),
        }
    }
}

/// Where a row is, for messages: a line of a CSV file or a row of a worksheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Line(u64),
    Row { sheet: String, row: u32 },
}

impl Place {
    /// `line 4`, or `Sheet1!C4` when the column is known (`Sheet1 row 4` when not).
    pub fn at(&self, column: Option<usize>) -> String {
        match (self, column) {
            (Place::Line(line), _) => format!("line {line}"),
            (Place::Row { sheet, row }, Some(column)) => format!("{sheet}!{}{row}", column_letters(column)),
            (Place::Row { sheet, row }, None) => format!("{sheet} row {row}"),
        }
    }
}

/// Excel column letters for a 0-based column index (0 → A, 26 → AA).
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

pub struct SheetRow {
    pub place: Place,
    pub cells: Vec<Cell>,
}

/// A sheet: its header and its data rows.
pub struct Sheet {
    pub header: Header,
    pub rows: Vec<SheetRow>,
    /// `Some("GB18030")` when a CSV file was not UTF-8 and was decoded as Chinese Windows text.
    pub decoded_from: Option<&'static str>,
}

impl Sheet {
    /// The cell of a column in a row (empty when the row is short).
    pub fn cell<'r>(&self, row: &'r SheetRow, column: Column) -> &'r Cell {
        self.header.index(column).and_then(|i| row.cells.get(i)).unwrap_or(&Cell::Empty)
    }
}

/// A header may sit below a title row or two ("2020年三季度指标填报表"); it is looked
/// for among this many first non-blank rows.
const HEADER_SEARCH_ROWS: usize = 5;

/// Finds the header among the first rows and returns it with the rows below it.
fn split_header(rows: Vec<SheetRow>, file: &str, sheet: Option<&str>) -> Result<(Header, Vec<SheetRow>), ImportError> {
    let mut first_problem = None;
    for (index, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        match Header::read(&row.cells, file, sheet) {
            Ok(header) => return Ok((header, rows.into_iter().skip(index + 1).collect())),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    Err(first_problem.unwrap_or_else(|| ImportError::Unreadable {
        file: file.to_string(),
        reason: format!(
            "{} is empty: it needs a header row (target, period, value or 指标代码, 期间, 数值) and rows of figures",
            sheet.map_or("it".to_string(), |s| format!("sheet {s}"))
        ),
    }))
}

pub fn read_csv(path: &Path, shown: &str) -> Result<Sheet, ImportError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::Unreadable { file: shown.to_string(), reason: format!("cannot read it: {e}") })?;
    let decoded = decode_text(&bytes, shown).map_err(|e| ImportError::Encoding(format!("{e:#}")))?;
    // The csv crate counts lines one short after CRLF line ends; LF alone counts right.
    let text = decoded.text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut last_line = 0;
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Unreadable {
            file: shown.to_string(),
            reason: format!(
                "it is not valid CSV{}: {e}",
                e.position().map(|p| format!(" (line {})", p.line())).unwrap_or_default()
            ),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        last_line = line;
        let cells: Vec<Cell> = record.iter().map(|text| Cell::Text(text.to_string())).collect();
        if !cells.iter().all(Cell::is_blank) {
            rows.push(SheetRow { place: Place::Line(line), cells });
        }
    }
    // The csv crate reads an unclosed quote to the end of the file as one cell;
    // say so plainly instead of reporting that cell as a strange value.
    if text.matches('"').count() % 2 == 1 {
        return Err(ImportError::Unreadable {
            file: shown.to_string(),
            reason: format!(
                "it is not valid CSV: a quote (\") opened on line {last_line} is never closed, so the rest of the \
                 file reads as one cell; close the quote or remove it"
            ),
        });
    }
    let (header, rows) = split_header(rows, shown, None)?;
    Ok(Sheet { header, rows, decoded_from: decoded.decoded_from })
}

/// The separator of a CSV file, read from its first line: a comma, else a tab (Excel's
/// "Text (Tab delimited)"), else a semicolon (Excel in locales with a decimal comma).
fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
    [b',', b'\t', b';'].into_iter().find(|d| first_line.as_bytes().contains(d)).unwrap_or(b',')
}

pub fn read_xlsx(path: &Path, shown: &str) -> Result<Sheet, ImportError> {
    let unreadable = |e: calamine::XlsxError| ImportError::Unreadable {
        file: shown.to_string(),
        reason: format!(
            "cannot read it as an Excel .xlsx workbook ({e}); if it is a CSV file, name it .csv; otherwise open it \
             in Excel and save it as .xlsx (Excel Workbook)"
        ),
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).map_err(unreadable)?;
    let mut first_problem = None;
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(unreadable)?;
        let Some((first_row, first_column)) = range.start() else { continue };
        let styles = workbook.worksheet_style(&name).map_err(unreadable)?;
        let mut rows = Vec::new();
        for (offset, raw) in range.rows().enumerate() {
            let row_index = first_row + offset as u32;
            // Cells are indexed from column A so that places read as Excel shows them.
            let mut cells = vec![Cell::Empty; first_column as usize];
            cells.extend(raw.iter().enumerate().map(|(column, data)| {
                let shown_as_percent = styles
                    .get((row_index, first_column + column as u32))
                    .and_then(|style| style.number_format.as_ref())
                    .is_some_and(|format| format.format_code.contains('%'));
                match cell_of(data) {
                    Cell::Number(value) if shown_as_percent => Cell::Percent(value),
                    cell => cell,
                }
            }));
            if !cells.iter().all(Cell::is_blank) {
                rows.push(SheetRow { place: Place::Row { sheet: name.clone(), row: row_index + 1 }, cells });
            }
        }
        // The first sheet with a header is the one read; others (instructions) are left alone.
        match split_header(rows, shown, Some(&name)) {
            Ok((header, rows)) => return Ok(Sheet { header, rows, decoded_from: None }),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    Err(first_problem.unwrap_or_else(|| ImportError::Unreadable {
        file: shown.to_string(),
        reason: "every worksheet is empty: a sheet needs a header row (target, period, value or 指标代码, 期间, 数值) \
                 and rows of figures"
            .to_string(),
    }))
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Float(value) => Cell::Number(*value),
        Data::Int(value) => Cell::Number(*value as f64),
        Data::DateTime(moment) => {
            let (year, month, day, ..) = moment.to_ymd_hms_milli();
            Cell::Date { year, month, day }
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Bool(value) => Cell::Unreadable(format!("TRUE/FALSE value {}", value.to_string().to_uppercase())),
        Data::Error(error) => Cell::Unreadable(format!("Excel error {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_read_from_the_first_line() {
        assert_eq!(delimiter("\n指标代码,期间,数值\ta;b\n"), b',');
        assert_eq!(delimiter("target\tperiod\tvalue\n"), b'\t');
        assert_eq!(delimiter("target;period;value\n"), b';');
        assert_eq!(delimiter(""), b',');
    }

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(2), "C");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
