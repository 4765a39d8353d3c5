//! Moments as text: the one form the database stores them in (RFC 3339, UTC,
//! microseconds, so comparing the text compares the time) and how any RFC 3339 text
//! is read back. Used by the store, the command line (`--as-recorded`) and import.

use chrono::{DateTime, SecondsFormat, Utc};

/// The text form of a moment as stored: RFC 3339 in UTC with microseconds, so that
/// comparing the text compares the time.
pub fn timestamp(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a timestamp: the form [`timestamp`] writes (`2020-10-09T08:00:00.000000Z`)
/// directly, any other RFC 3339 text through chrono's general parser.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    parse_written_timestamp(text).or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc)))
}

fn parse_written_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    if bytes.len() != 27 || bytes[26] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| {
        bytes[from..to].iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'.')];
    if separators.iter().any(|&(at, separator)| bytes[at] != separator) {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(number(0, 4)?).ok()?, number(5, 7)?, number(8, 10)?)?;
    let time = date.and_hms_micro_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?, number(20, 26)?)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_back_exactly_by_either_path() {
        let moments = ["2020-10-09T08:00:00Z", "2026-11-26T23:55:25.196033Z", "2024-02-29T23:59:59.999999Z"];
        for text in moments {
            let moment = DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
            assert_eq!(parse_written_timestamp(&timestamp(moment)), Some(moment), "{text}");
            assert_eq!(parse_timestamp(&timestamp(moment)), Some(moment), "{text}");
        }
        // Other RFC 3339 forms still read, through the general parser.
        let offset = parse_timestamp("2020-10-09T16:00:00+08:00").unwrap();
        assert_eq!(timestamp(offset), "2020-10-09T08:00:00.000000Z");
        for bad in ["2023-02-29T00:00:00.000000Z", "2020-10-09T25:00:00.000000Z", "2020-10-09T08:00:00.00000xZ", ""] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
