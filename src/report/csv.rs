//! The report as CSV: one line per target with the stable status field names, and the
//! report's own facts (plan, when made, from which data; the status row carries the
//! as-of period) repeated on
//! every line so a sheet pasted elsewhere still says what it is. Written by
//! `output::write_csv`: UTF-8 with BOM for Excel on Chinese Windows, CRLF, and every
//! cell that could start a formula neutralised.
//!
//! Sections of other shapes (review counts, returned figures, completeness per lead
//! unit) are not here: a CSV file holds one table, and its rows are targets. The
//! `figures` and `completeness` commands write those as CSV of their own.

use serde::Serialize;

use super::{rfc3339, Report, SerializedRow};
use crate::output::write_csv;

#[derive(Serialize)]
struct Line<'a> {
    #[serde(flatten)]
    row: SerializedRow<'a>,
    plan: &'a str,
    made_at: String,
    as_recorded: Option<String>,
}

/// The report as CSV bytes.
pub fn render(report: &Report) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(report, &mut bytes).expect("writing to memory");
    bytes
}

/// Writes the report as CSV to `sink`, a line at a time.
pub fn write(report: &Report, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let made_at = rfc3339(report.made_at);
    let as_recorded = report.as_recorded.map(rfc3339);
    let lines = report.rows().iter().map(|row| Line {
        row: row.serialized(),
        plan: &report.plan_id,
        made_at: made_at.clone(),
        as_recorded: as_recorded.clone(),
    });
    write_csv(lines, sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::report::fixture;

    #[test]
    fn csv_snapshot() {
        insta::assert_snapshot!(String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap());
    }

    #[test]
    fn csv_is_excel_safe_and_reads_back() {
        let bytes = render(&fixture::report(Lang::Zh));
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let mut reader = ::csv::Reader::from_reader(&bytes[3..]);
        let headers = reader.headers().unwrap().clone();
        let note = headers.iter().position(|h| h == "note").unwrap();
        let source = headers.iter().position(|h| h == "source").unwrap();
        let gap = headers.iter().position(|h| h == "gap").unwrap();
        let records: Vec<_> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 5);
        assert_eq!(&records[0][note], format!("'{}", fixture::HOSTILE_NOTE));
        assert_eq!(&records[0][source], fixture::HOSTILE_SOURCE);
        // Negative numbers stay numbers.
        assert_eq!(&records[0][gap], "-0.4");
    }
}
