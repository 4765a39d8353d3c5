//! Reading a sheet of figures from a file into cells with their places: CSV (UTF-8,
//! BOM, CRLF, or GBK decoded) and Excel .xlsx (the first sheet that has the required
//! columns). No validation here; the cells keep what the file held.

use std::io::BufRead as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::cell::Cell;
use super::columns::{Column, Header};
use super::form::{fields_of_row, is_foot_row, FoundField};
use super::ImportError;
use crate::input::decode_text;
use crate::lang::{io_text, Lang, Text};

/// Where a row is, for messages: a line of a CSV file, a row of a worksheet, or the
/// n-th figure entered at the web desk.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Line(u64),
    Row {
        sheet: String,
        row: u32,
    },
    /// The n-th entered figure (1-based): `entry 2`, whatever the column.
    Entry(u64),
}

impl Place {
    /// The line or row number.
    pub fn number(&self) -> u64 {
        match self {
            Place::Line(line) | Place::Entry(line) => *line,
            Place::Row { row, .. } => u64::from(*row),
        }
    }

    /// `line 4`, or `Sheet1!C4` when the column is known (`Sheet1 row 4` when not).
    pub fn at(&self, column: Option<usize>) -> String {
        match (self, column) {
            (Place::Line(line), _) => format!("line {line}"),
            (Place::Entry(entry), _) => format!("entry {entry}"),
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

/// A header may sit below a title row or two ("2020年三季度指标填报表") or a form's
/// head (`form.rs`), to which a person may add a row or two; it is looked for among
/// this many first non-blank rows.
const HEADER_SEARCH_ROWS: usize = 10;

/// What a streamed sheet found before its rows: the header and how the text was read.
pub struct SheetStart<'h> {
    pub header: &'h Header,
    /// The worksheet's name (None for CSV).
    pub sheet: Option<&'h str>,
    /// `Some("GB18030")` when a CSV file was not UTF-8 and was decoded as Chinese Windows text.
    pub decoded_from: Option<&'static str>,
}

/// Receives the rows of a sheet one at a time, below its header.
pub trait RowVisitor {
    /// Called once, when the header is found, before any row.
    fn start(&mut self, start: SheetStart<'_>);
    /// Called for every non-blank row below the header, in order.
    fn row(&mut self, header: &Header, row: SheetRow);
    /// Whether to go on reading rows: a visitor that has found what it looks for
    /// stops the reading here.
    fn wants_more(&self) -> bool {
        true
    }
    /// Called once the sheet is read whole, with the fields of its form's head and
    /// foot (none for a sheet without them), in sheet order.
    fn form(&mut self, _fields: Vec<FoundField>) {}
    /// Whether the visitor reads only the first rows (it stops through `wants_more`):
    /// then only the head of a CSV file ([`UTF8_HEAD`]) is checked for UTF-8 before it
    /// is streamed, not the whole file, which at a province's 1.2M rows is a reading
    /// of 78 MB. A later part that is not UTF-8 is then an error of the reading.
    fn reads_only_the_head(&self) -> bool {
        false
    }
}

/// How much of a CSV file's head is checked for UTF-8 for a visitor that reads only
/// the first rows.
const UTF8_HEAD: usize = 1 << 20;

/// Finds the header among the first non-blank rows of one sheet, then hands every
/// later row to the visitor. Rows are never gathered: a file of a million rows is
/// read in the memory of one row.
struct HeaderThenRows<'v, V: RowVisitor> {
    file: &'v str,
    sheet: Option<String>,
    decoded_from: Option<&'static str>,
    header: Option<Header>,
    seen: usize,
    first_problem: Option<ImportError>,
    /// The form's fields found above the header and in the foot.
    fields: Vec<FoundField>,
    /// A row below the header began the form's foot.
    in_foot: bool,
    visitor: &'v mut V,
}

impl<'v, V: RowVisitor> HeaderThenRows<'v, V> {
    fn new(file: &'v str, sheet: Option<String>, decoded_from: Option<&'static str>, visitor: &'v mut V) -> Self {
        HeaderThenRows {
            file,
            sheet,
            decoded_from,
            header: None,
            seen: 0,
            first_problem: None,
            fields: Vec::new(),
            in_foot: false,
            visitor,
        }
    }

    /// Takes one row; returns false once this sheet is known to have no header.
    fn push(&mut self, row: SheetRow) -> bool {
        if row.cells.iter().all(Cell::is_blank) {
            return true;
        }
        if let Some(header) = &self.header {
            // The foot begins at a row led by a foot label; below it, rows with form
            // fields are the foot's, and any other row is read as a row of figures, so
            // nothing typed there is dropped unseen.
            let foot = if self.in_foot || is_foot_row(&row.cells) {
                fields_of_row(&row.cells, |column| row.place.at(Some(column)))
            } else {
                Vec::new()
            };
            if foot.is_empty() && !is_foot_row(&row.cells) {
                self.visitor.row(header, row);
            } else {
                self.in_foot = true;
                self.fields.extend(foot);
            }
            return self.visitor.wants_more();
        }
        if self.seen >= HEADER_SEARCH_ROWS {
            return false;
        }
        self.seen += 1;
        match Header::read(&row.cells, self.file, self.sheet.as_deref()) {
            Ok(header) => {
                self.visitor.start(SheetStart {
                    header: &header,
                    sheet: self.sheet.as_deref(),
                    decoded_from: self.decoded_from,
                });
                self.header = Some(header);
                return self.visitor.wants_more();
            }
            Err(problem) => {
                self.first_problem.get_or_insert(problem);
                self.fields.extend(fields_of_row(&row.cells, |column| row.place.at(Some(column))));
            }
        }
        self.seen < HEADER_SEARCH_ROWS || self.header.is_some()
    }

    /// Ok when a header was found (the form's fields then go to the visitor), else why not.
    fn finish(self) -> Result<(), ImportError> {
        if self.header.is_some() {
            self.visitor.form(self.fields);
            return Ok(());
        }
        Err(self.first_problem.unwrap_or_else(|| ImportError::Unreadable {
            file: self.file.to_string(),
            reason: Text::new(
                format!(
                    "{}为空：需要表头行（指标代码、期间、数值 或 target, period, value）和数据行",
                    self.sheet.as_ref().map_or("文件".to_string(), |s| format!("工作表 {s} "))
                ),
                format!(
                    "{} is empty: it needs a header row (target, period, value or 指标代码, 期间, 数值) and rows of \
                     figures",
                    self.sheet.as_ref().map_or("it".to_string(), |s| format!("sheet {s}"))
                ),
            ),
        }))
    }
}

/// Streams a CSV file: UTF-8 (with or without a BOM) is read as it comes; other text
/// (GBK from Excel on Chinese Windows, small files) is decoded whole first.
pub fn stream_csv(path: &Path, shown: &str, visitor: &mut impl RowVisitor) -> Result<(), ImportError> {
    let unreadable = |e: std::io::Error| ImportError::Unreadable {
        file: shown.to_string(),
        reason: Text::new(
            format!("无法读取：{}", io_text(&e, Lang::Zh)),
            format!("cannot read it: {}", io_text(&e, Lang::En)),
        ),
    };
    let checked = visitor.reads_only_the_head().then_some(UTF8_HEAD);
    if is_utf8_file(path, checked).map_err(unreadable)? {
        let mut file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path).map_err(unreadable)?);
        // A BOM is dropped; the separator is read from the first non-blank line.
        let head = file.fill_buf().map_err(unreadable)?;
        let bom = head.starts_with(b"\xEF\xBB\xBF");
        if bom {
            file.consume(3);
        }
        let first_line = first_non_blank_line(path, bom).map_err(unreadable)?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(&first_line))
            .from_reader(QuoteCounter::new(WithoutCr::new(file)));
        read_records(reader, shown, None, visitor)
    } else {
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let decoded = decode_text(&bytes, shown).map_err(ImportError::Encoding)?;
        drop(bytes);
        let text = decoded.text.replace("\r\n", "\n");
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(&text))
            .from_reader(QuoteCounter::new(text.as_bytes()));
        read_records(reader, shown, decoded.decoded_from, visitor)
    }
}

fn read_records<R: std::io::Read>(
    mut reader: csv::Reader<QuoteCounter<R>>,
    shown: &str,
    decoded_from: Option<&'static str>,
    visitor: &mut impl RowVisitor,
) -> Result<(), ImportError> {
    let mut rows = HeaderThenRows::new(shown, None, decoded_from, visitor);
    let mut record = csv::StringRecord::new();
    let mut last_line = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => {
                // The csv crate reads an unclosed quote to the end of the file as one
                // cell; say so plainly instead of reporting that cell as a strange value.
                if reader.get_ref().quotes % 2 == 1 {
                    return Err(ImportError::Unreadable {
                        file: shown.to_string(),
                        reason: Text::new(
                            format!(
                                "不是有效的 CSV：第 {last_line} 行的引号（\"）没有闭合，其后全部内容被读成一个单元格；\
                                 请补上或删去该引号"
                            ),
                            format!(
                                "it is not valid CSV: a quote (\") opened on line {last_line} is never closed, so the \
                                 rest of the file reads as one cell; close the quote or remove it"
                            ),
                        ),
                    });
                }
                break;
            }
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| reader.get_mut().line_of_record_at(p.byte()));
                return Err(ImportError::Unreadable {
                    file: shown.to_string(),
                    reason: Text::new(
                        format!(
                            "不是有效的 CSV{}：{e}",
                            line.map(|line| format!("（第 {line} 行）")).unwrap_or_default()
                        ),
                        format!(
                            "it is not valid CSV{}: {e}",
                            line.map(|line| format!(" (line {line})")).unwrap_or_default()
                        ),
                    ),
                });
            }
        }
        let line = record.position().map_or(0, |p| reader.get_mut().line_of_record_at(p.byte()));
        last_line = line;
        let cells: Vec<Cell> = record.iter().map(|text| Cell::Text(text.to_string())).collect();
        if !rows.push(SheetRow { place: Place::Line(line), cells }) {
            break;
        }
    }
    rows.finish()
}

/// Whether the whole file is UTF-8, or its first `head` bytes (a character cut at
/// their end is not a fault); checked a block at a time, without holding it.
fn is_utf8_file(path: &Path, head: Option<usize>) -> std::io::Result<bool> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; 1 << 16];
    let mut carried = 0;
    let mut left = head.unwrap_or(usize::MAX);
    loop {
        let read = file.read(&mut buffer[carried..])?;
        if read == 0 {
            return Ok(carried == 0);
        }
        if read >= left {
            // The head ends in this block: a character cut at its end is whole beyond it.
            let head = &buffer[..carried + left];
            return Ok(std::str::from_utf8(head).map_or_else(|e| e.error_len().is_none(), |_| true));
        }
        left -= read;
        let filled = carried + read;
        match std::str::from_utf8(&buffer[..filled]) {
            Ok(_) => carried = 0,
            // A character cut at the end of the block: carry its bytes over.
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buffer.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// The first line with something on it (UTF-8), to tell the separator from.
fn first_non_blank_line(path: &Path, bom: bool) -> std::io::Result<String> {
    let mut file = std::io::BufReader::new(std::fs::File::open(path)?);
    if bom {
        file.consume(3);
    }
    let mut line = String::new();
    loop {
        line.clear();
        if file.read_line(&mut line)? == 0 || !line.trim().is_empty() {
            return Ok(line);
        }
    }
}

/// Reads through a CRLF file as if its line ends were LF: the csv crate counts lines
/// one short after CRLF line ends, and rows are named by line.
/// Counts the double quotes that pass through, so an unclosed quote can be named.
/// Counts what the csv crate does not tell us right: quotes (an unclosed one swallows
/// the rest of the file) and line breaks. A record's `Position` starts at the blank
/// lines skipped before it and its `line()` does not count them, so the line a person
/// sees in an editor is worked out here from the byte offsets of the line breaks. Only
/// the breaks read ahead of the current record are kept, so memory stays bounded.
struct QuoteCounter<R> {
    inner: R,
    quotes: u64,
    read: u64,
    breaks_ahead: std::collections::VecDeque<u64>,
    breaks_before: u64,
}

impl<R> QuoteCounter<R> {
    fn new(inner: R) -> Self {
        QuoteCounter { inner, quotes: 0, read: 0, breaks_ahead: Default::default(), breaks_before: 0 }
    }

    /// The 1-based line of a record whose position starts at byte `start`: the line
    /// breaks before it, and those of the blank lines it begins with. Starts must come
    /// in order, as records do.
    fn line_of_record_at(&mut self, start: u64) -> u64 {
        while self.breaks_ahead.front().is_some_and(|&at| at < start) {
            self.breaks_ahead.pop_front();
            self.breaks_before += 1;
        }
        let mut blank_at = start;
        while self.breaks_ahead.front() == Some(&blank_at) {
            self.breaks_ahead.pop_front();
            self.breaks_before += 1;
            blank_at += 1;
        }
        self.breaks_before + 1
    }
}

impl<R: std::io::Read> std::io::Read for QuoteCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(out)?;
        for (i, &b) in out[..read].iter().enumerate() {
            match b {
                b'"' => self.quotes += 1,
                b'\n' => self.breaks_ahead.push_back(self.read + i as u64),
                _ => {}
            }
        }
        self.read += read as u64;
        Ok(read)
    }
}

struct WithoutCr<R> {
    inner: R,
    /// A `\r` ended the last block read: whether it goes out depends on the next byte.
    held_cr: bool,
}

impl<R: std::io::BufRead> WithoutCr<R> {
    fn new(inner: R) -> Self {
        WithoutCr { inner, held_cr: false }
    }
}

impl<R: std::io::BufRead> std::io::Read for WithoutCr<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut written = 0;
        while written == 0 {
            let block = self.inner.fill_buf()?;
            if block.is_empty() {
                if self.held_cr {
                    self.held_cr = false;
                    out[0] = b'\r';
                    return Ok(1);
                }
                return Ok(0);
            }
            if self.held_cr {
                self.held_cr = false;
                if block[0] != b'\n' {
                    out[0] = b'\r';
                    return Ok(1);
                }
            }
            let mut used = 0;
            while used < block.len() && written < out.len() {
                let byte = block[used];
                if byte == b'\r' {
                    match block.get(used + 1) {
                        Some(b'\n') => {
                            used += 1;
                            continue;
                        }
                        Some(_) => {}
                        None => {
                            self.held_cr = true;
                            used += 1;
                            break;
                        }
                    }
                }
                out[written] = byte;
                written += 1;
                used += 1;
            }
            self.inner.consume(used);
        }
        Ok(written)
    }
}

/// The separator of a CSV file, read from its first line: a comma, else a tab (Excel's
/// "Text (Tab delimited)"), else a semicolon (Excel in locales with a decimal comma).
fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
    [b',', b'\t', b';'].into_iter().find(|d| first_line.as_bytes().contains(d)).unwrap_or(b',')
}

/// Streams an .xlsx workbook: the first sheet with a header is read, cell by cell as
/// the worksheet's XML comes (calamine's cell reader), never as a whole range.
pub fn stream_xlsx(path: &Path, shown: &str, visitor: &mut impl RowVisitor) -> Result<(), ImportError> {
    let unreadable = |e: calamine::XlsxError| ImportError::Unreadable {
        file: shown.to_string(),
        reason: Text::new(
            format!(
                "无法作为 Excel .xlsx 工作簿读取（{e}）；如果是 CSV 文件，请将扩展名改为 .csv；否则请用 Excel 打开并\
                 另存为 .xlsx（Excel 工作簿）"
            ),
            format!(
                "cannot read it as an Excel .xlsx workbook ({e}); if it is a CSV file, name it .csv; otherwise open \
                 it in Excel and save it as .xlsx (Excel Workbook)"
            ),
        ),
    };
    check_expansion(path, shown)?;
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).map_err(unreadable)?;
    let mut first_problem = None;
    for name in workbook.sheet_names() {
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
        // Which style ids show a number as a percentage (Excel stores a typed 6.5% as 0.065).
        let percent_styles: Vec<bool> = reader
            .styles()
            .iter()
            .map(|style| style.number_format.as_ref().is_some_and(|format| format.format_code.contains('%')))
            .collect();
        let mut rows = HeaderThenRows::new(shown, Some(name.clone()), None, visitor);
        let mut current: Option<(u32, Vec<Cell>)> = None;
        // Rows (as numbered in the sheet) with a blank value cell: a formula without a
        // calculated value reads as blank, and is looked for among these afterwards.
        let mut blank_values: Vec<u32> = Vec::new();
        let mut more = true;
        while more {
            let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? else { break };
            let (row_index, column) = cell.get_position();
            let data: Data = cell.get_value().clone().into();
            let shown_as_percent = percent_styles.get(style).copied().unwrap_or(false);
            let value = match cell_of(&data) {
                Cell::Number(value) if shown_as_percent => Cell::Percent(value),
                other => other,
            };
            if current.as_ref().is_some_and(|(index, _)| *index != row_index) {
                let (index, cells) = current.take().expect("a row in progress");
                note_blank_value(rows.header.as_ref(), &cells, index + 1, &mut blank_values);
                more = rows.push(SheetRow { place: Place::Row { sheet: name.clone(), row: index + 1 }, cells });
            }
            let (_, cells) = current.get_or_insert_with(|| (row_index, Vec::new()));
            // Cells are indexed from column A so that places read as Excel shows them.
            let column = column as usize;
            if cells.len() <= column {
                cells.resize(column + 1, Cell::Empty);
            }
            cells[column] = value;
        }
        if more {
            if let Some((index, cells)) = current.take() {
                note_blank_value(rows.header.as_ref(), &cells, index + 1, &mut blank_values);
                rows.push(SheetRow { place: Place::Row { sheet: name.clone(), row: index + 1 }, cells });
            }
        }
        drop(reader);
        let value_column = rows.header.as_ref().and_then(|header| header.index(Column::Value));
        // The first sheet with a header is the one read; others (instructions) are left alone.
        match rows.finish() {
            Ok(()) => {
                if let (Some(column), false) = (value_column, blank_values.is_empty()) {
                    let found =
                        formulas_without_values(&mut workbook, &name, column, &blank_values).map_err(unreadable)?;
                    if !found.is_empty() {
                        return Err(uncalculated_formulas(shown, &name, column, &found));
                    }
                }
                return Ok(());
            }
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    Err(first_problem.unwrap_or_else(|| ImportError::Unreadable {
        file: shown.to_string(),
        reason: Text::new(
            "所有工作表均为空：工作表需要表头行（指标代码、期间、数值 或 target, period, value）和数据行",
            "every worksheet is empty: a sheet needs a header row (target, period, value or 指标代码, 期间, 数值) and \
             rows of figures",
        ),
    }))
}

/// The most a worksheet of the workbook may expand to: a district's figures take a few
/// MiB, and Excel's 1,048,576 rows of a template's 13 columns stay below this.
const SHEET_LIMIT: u64 = 256 << 20;
/// The most any other part may expand to: calamine reads the shared strings (every
/// text of the workbook) whole into memory, so a 420 KB file whose shared strings
/// hold a 400 MB string would take over a gigabyte.
const PART_LIMIT: u64 = 64 << 20;

/// Refuses a workbook with a part that would expand beyond its limit, before anything
/// is read from it: the sizes come from the archive's central directory (the zip reader
/// stops at the declared size, so a part cannot expand beyond it unnoticed). A file that
/// is not a zip archive is left to calamine, which says so.
fn check_expansion(path: &Path, shown: &str) -> Result<(), ImportError> {
    let Ok(file) = std::fs::File::open(path) else { return Ok(()) };
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return Ok(()) };
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(index) else { continue };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let limit = if name.starts_with("xl/worksheets/") { SHEET_LIMIT } else { PART_LIMIT };
        if part.size() > limit {
            let (name, size, limit) =
                (crate::output::clip(&name, crate::output::CLIP_AT), part.size() >> 20, limit >> 20);
            return Err(ImportError::Unreadable {
                file: shown.to_string(),
                reason: Text::new(
                    format!(
                        "其中的部件 {name} 解压后将达 {size} MiB，超过 ontrack 对它的上限 {limit} MiB（数据表远小于此，\
                         这是损坏或恶意的文件）；请在 Excel 或 WPS 中打开，只保留数据，保存后重新导入"
                    ),
                    format!(
                        "its part {name} would expand to {size} MiB, more than the {limit} MiB ontrack reads for it (a \
                         sheet of figures is far smaller; this is a damaged or hostile file); open it in Excel or WPS, \
                         keep only the figures, save it and import it again"
                    ),
                ),
            });
        }
    }
    Ok(())
}

/// Records `row` if its value cell is blank while the row holds something.
fn note_blank_value(header: Option<&Header>, cells: &[Cell], row: u32, blank: &mut Vec<u32>) {
    let Some(column) = header.and_then(|header| header.index(Column::Value)) else { return };
    if cells.get(column).is_none_or(Cell::is_blank) && !cells.iter().all(Cell::is_blank) {
        blank.push(row);
    }
}

/// The rows among `rows` (ascending, as numbered in the sheet) whose value cell holds a
/// formula, with the formula: a formula saved without its calculated value (a file
/// written by a program, never opened in Excel) reads as blank, and would be skipped
/// as "without a value" without a word.
fn formulas_without_values(
    workbook: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    name: &str,
    column: usize,
    rows: &[u32],
) -> Result<Vec<(u32, String)>, calamine::XlsxError> {
    let mut reader = workbook.worksheet_cells_reader(name)?;
    let mut found = Vec::new();
    while let Some(cell) = reader.next_formula()? {
        let (row, cell_column) = cell.get_position();
        if cell_column as usize == column && !cell.get_value().is_empty() && rows.binary_search(&(row + 1)).is_ok() {
            found.push((row + 1, cell.get_value().clone()));
        }
    }
    Ok(found)
}

fn uncalculated_formulas(shown: &str, sheet: &str, column: usize, found: &[(u32, String)]) -> ImportError {
    const NAMED: usize = 10;
    let cells: Vec<String> = found
        .iter()
        .take(NAMED)
        .map(|(row, formula)| {
            let place = Place::Row { sheet: sheet.to_string(), row: *row }.at(Some(column));
            format!("{place} (={})", crate::output::clip(formula, crate::output::CLIP_AT))
        })
        .collect();
    let more = found.len().saturating_sub(NAMED);
    let (more_zh, more_en) = match more {
        0 => (String::new(), String::new()),
        n => (format!("等 {} 个", found.len()), format!(" and {n} more")),
    };
    ImportError::Unreadable {
        file: shown.to_string(),
        reason: Text::new(
            format!(
                "数值单元格 {}{more_zh}中是公式，但没有计算结果（文件由不计算公式的程序保存）；请在 Excel 或 WPS 中打开并保存，\
                 使公式得到计算，然后重新导入",
                cells.join("、"),
            ),
            format!(
                "{} {}{more_en} {} without a calculated value (the file was saved by a program that does not \
                 calculate); open the file in Excel or WPS and save it, so the formulas are calculated, then import \
                 it again",
                if found.len() == 1 { "the value cell" } else { "the value cells" },
                cells.join(", "),
                if found.len() == 1 { "holds a formula" } else { "hold formulas" },
            ),
        ),
    }
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

    /// The head of a file is checked as far as asked, a character cut at that limit
    /// not being a fault; the whole file only when asked for.
    #[test]
    fn a_files_head_or_the_whole_file_is_checked_for_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        let mut bytes = "指标代码,期间,数值\n".repeat(1000).into_bytes();
        let head = bytes.len() - 1; // inside the last line's newline: whole characters
        bytes.extend_from_slice(b"t1,2020-01,\xd6\xd0\n"); // GBK: not UTF-8
        std::fs::write(&path, &bytes).unwrap();
        assert!(!is_utf8_file(&path, None).unwrap());
        assert!(is_utf8_file(&path, Some(head)).unwrap());
        assert!(is_utf8_file(&path, Some(4)).unwrap(), "指 cut after its fourth byte's first three");
        assert!(!is_utf8_file(&path, Some(bytes.len())).unwrap());
        std::fs::write(&path, "指标代码,期间,数值\n").unwrap();
        assert!(is_utf8_file(&path, None).unwrap());
        assert!(is_utf8_file(&path, Some(1 << 20)).unwrap());
    }

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
