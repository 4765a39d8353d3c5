//! The columns of an import sheet, in English and in Chinese, and the header row that
//! says where each one is.

use super::cell::Cell;
use super::ImportError;
use crate::lang::Text;
use crate::output::{clip, CLIP_AT};

/// A column ontrack reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    Target,
    Period,
    Value,
    Source,
    Note,
    By,
    Reason,
    Plan,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Target,
        Column::Period,
        Column::Value,
        Column::Source,
        Column::Note,
        Column::By,
        Column::Reason,
        Column::Plan,
    ];
    pub const REQUIRED: [Column; 3] = [Column::Target, Column::Period, Column::Value];

    /// The English header (also the JSON-style name).
    pub fn english(self) -> &'static str {
        match self {
            Column::Target => "target",
            Column::Period => "period",
            Column::Value => "value",
            Column::Source => "source",
            Column::Note => "note",
            Column::By => "by",
            Column::Reason => "reason",
            Column::Plan => "plan",
        }
    }

    /// The Chinese header.
    pub fn chinese(self) -> &'static str {
        match self {
            Column::Target => "指标代码",
            Column::Period => "期间",
            Column::Value => "数值",
            Column::Source => "来源",
            Column::Note => "备注",
            Column::By => "填报人",
            Column::Reason => "修订原因",
            Column::Plan => "计划",
        }
    }

    fn from_header(text: &str) -> Option<Column> {
        let text = text.trim().trim_start_matches('\u{feff}').trim_end_matches(['*', '＊']).trim();
        Column::ALL.into_iter().find(|c| c.english().eq_ignore_ascii_case(text) || c.chinese() == text)
    }
}

/// Headers of the read-only context columns that `ontrack template` adds after the
/// import columns; import passes over them without a note.
pub const CONTEXT_HEADERS: [(&str, &str); 6] = [
    ("name", "指标名称"),
    ("unit", "单位"),
    ("goal", "目标"),
    ("last figure", "上次数值"),
    ("lead unit", "牵头单位"),
    ("how to fill", "填报说明"),
];

/// At most this many header cells are named in a note or message.
const NAMED_CELLS: usize = 20;

/// Keeps the first [`NAMED_CELLS`] of a list of header cells and says how many more.
fn shorten_list(cells: &mut Vec<String>) {
    if cells.len() > NAMED_CELLS {
        let more = cells.len() - NAMED_CELLS;
        cells.truncate(NAMED_CELLS);
        cells.push(format!("… ({more} more)"));
    }
}

/// Where each column is in a sheet.
#[derive(Debug, Clone)]
pub struct Header {
    positions: Vec<(Column, usize)>,
    /// Headers that are neither ours nor the template's context, to mention once.
    pub ignored: Vec<String>,
}

impl Header {
    /// Reads a header row. Refuses a row that lacks a required column or names one twice.
    pub fn read(cells: &[Cell], file: &str, sheet: Option<&str>) -> Result<Header, ImportError> {
        let mut positions: Vec<(Column, usize)> = Vec::new();
        let mut ignored = Vec::new();
        for (index, cell) in cells.iter().enumerate() {
            let text = cell.text();
            if text.is_empty() {
                continue;
            }
            match Column::from_header(&text) {
                Some(column) => {
                    if positions.iter().any(|(c, _)| *c == column) {
                        return Err(ImportError::Columns {
                            file: file.to_string(),
                            sheet: sheet.map(str::to_string),
                            problem: Text::new(
                                format!("列 {}（{}）出现了两次；请只保留一列", column.chinese(), column.english()),
                                format!(
                                    "the column {} ({}) appears twice; keep one",
                                    column.english(),
                                    column.chinese()
                                ),
                            ),
                        });
                    }
                    positions.push((column, index));
                }
                None if CONTEXT_HEADERS.iter().any(|(en, zh)| en.eq_ignore_ascii_case(&text) || *zh == text) => {}
                None => ignored.push(clip(&text, CLIP_AT).into_owned()),
            }
        }
        // A header is echoed in notes and messages: a few cells, each cut short.
        shorten_list(&mut ignored);
        let missing: Vec<Column> =
            Column::REQUIRED.into_iter().filter(|required| !positions.iter().any(|(c, _)| c == required)).collect();
        if !missing.is_empty() {
            let mut found: Vec<String> = cells
                .iter()
                .map(Cell::text)
                .filter(|t| !t.is_empty())
                .map(|t| clip(&t, CLIP_AT).into_owned())
                .collect();
            shorten_list(&mut found);
            return Err(ImportError::Columns {
                file: file.to_string(),
                sheet: sheet.map(str::to_string),
                problem: Text::new(
                    format!(
                        "表头行中缺少{}列（现有：{}）；第一行须写明各列：指标代码、期间、数值［来源、备注、填报人、\
                         修订原因、计划］或 target, period, value [source, note, by, reason, plan]",
                        missing.iter().map(|c| format!("{}（{}）", c.chinese(), c.english())).collect::<Vec<_>>().join("、"),
                        if found.is_empty() { "无".to_string() } else { found.join("、") }
                    ),
                    format!(
                        "no column {} in the header row (found: {}); the first row must name the columns target, \
                         period, value [source, note, by, reason, plan] or 指标代码, 期间, 数值 [来源, 备注, 填报人, 修订原因, \
                         计划]",
                        missing.iter().map(|c| format!("{} ({})", c.english(), c.chinese())).collect::<Vec<_>>().join(", "),
                        if found.is_empty() { "nothing".to_string() } else { found.join(", ") }
                    ),
                ),
            });
        }
        Ok(Header { positions, ignored })
    }

    pub fn index(&self, column: Column) -> Option<usize> {
        self.positions.iter().find(|(c, _)| *c == column).map(|(_, i)| *i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<Cell> {
        texts.iter().map(|t| Cell::Text(t.to_string())).collect()
    }

    #[test]
    fn reads_english_and_chinese_headers() {
        let header =
            Header::read(&cells(&["指标代码", "期间", "数值", "修订原因", "指标名称", "extra"]), "f", None).unwrap();
        assert_eq!(header.index(Column::Target), Some(0));
        assert_eq!(header.index(Column::Reason), Some(3));
        assert_eq!(header.index(Column::Source), None);
        assert_eq!(header.ignored, vec!["extra".to_string()]);
        let header = Header::read(&cells(&["\u{feff}Target", " period ", "VALUE*"]), "f", None).unwrap();
        assert_eq!(header.index(Column::Value), Some(2));
    }

    #[test]
    fn refuses_missing_and_doubled_columns() {
        let error = Header::read(&cells(&["target", "value"]), "f.csv", None).unwrap_err().to_string();
        assert!(error.contains("no column period (期间) in the header row (found: target, value)"), "{error}");
        let error =
            Header::read(&cells(&["target", "period", "value", "数值"]), "f.csv", None).unwrap_err().to_string();
        assert!(error.contains("the column value (数值) appears twice"), "{error}");
    }
}
