//! Moments as text: the one form the database stores them in (RFC 3339, UTC,
//! microseconds, so comparing the text compares the time) and how any RFC 3339 text
//! is read back. Used by the store, the command line (`--as-recorded`) and import.
//! Also a plan's time zone ([`PlanZone`]) and a moment as typed ([`TypedMoment`]: a
//! date is the end of that day in the plan's zone).

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone as _, Utc};

/// The zone a plan's office works in (the IANA database, through chrono-tz):
/// `Asia/Shanghai` unless the plan file says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanZone(chrono_tz::Tz);

impl Default for PlanZone {
    fn default() -> Self {
        PlanZone(chrono_tz::Asia::Shanghai)
    }
}

impl std::str::FromStr for PlanZone {
    type Err = ();

    /// An IANA zone name, exactly as the database spells it (`Asia/Shanghai`, `UTC`).
    fn from_str(name: &str) -> Result<Self, ()> {
        name.parse::<chrono_tz::Tz>().map(PlanZone).map_err(|_| ())
    }
}

impl PlanZone {
    /// The IANA name: `Asia/Shanghai`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Whether this is the default zone, which a plan file need not name.
    pub fn is_default(self) -> bool {
        self == PlanZone::default()
    }

    /// The last moment (to the microsecond) of `date` in this zone.
    pub fn end_of_day(self, date: NaiveDate) -> DateTime<Utc> {
        // The next day's first moment, one microsecond back. Midnight can fall in a
        // daylight-saving gap in some zones: the first moment after it is taken then.
        let next = date.succ_opt().unwrap_or(date);
        let start_of_next = (0..=3)
            .find_map(|hour| self.0.from_local_datetime(&next.and_hms_opt(hour, 0, 0)?).earliest())
            .map_or_else(|| next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), |t| t.with_timezone(&Utc));
        start_of_next - chrono::Duration::microseconds(1)
    }

    /// `moment` on this zone's clock, and its offset from UTC: (`2021-03-31 16:00`, `UTC+8`).
    pub fn local(self, moment: DateTime<Utc>, format: &str) -> (String, String) {
        use chrono::Offset as _;
        let local = moment.with_timezone(&self.0);
        let seconds = local.offset().fix().local_minus_utc();
        let (sign, seconds) = if seconds < 0 { ('-', -seconds) } else { ('+', seconds) };
        let offset = match (seconds / 3600, seconds % 3600 / 60) {
            (0, 0) => "UTC".to_string(),
            (hours, 0) => format!("UTC{sign}{hours}"),
            (hours, minutes) => format!("UTC{sign}{hours}:{minutes:02}"),
        };
        (local.format(format).to_string(), offset)
    }

    /// `moment` on this zone's clock in a chrono `format` (`%Y-%m-%d %H:%M%:z`).
    pub fn format(self, moment: DateTime<Utc>, format: &str) -> String {
        moment.with_timezone(&self.0).format(format).to_string()
    }

    /// The calendar day `moment` falls on in this zone.
    pub fn local_date(self, moment: DateTime<Utc>) -> NaiveDate {
        moment.with_timezone(&self.0).date_naive()
    }

    /// The first moment of `date` in this zone.
    pub fn start_of_day(self, date: NaiveDate) -> DateTime<Utc> {
        self.end_of_day(date.pred_opt().unwrap_or(date)) + chrono::Duration::microseconds(1)
    }
}

/// A moment as typed on the command line: a date, which means the end of that day in
/// the plan's zone (known only once the plan is loaded), or a time with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedMoment {
    EndOfDay(NaiveDate),
    At(DateTime<Utc>),
}

impl TypedMoment {
    /// A date (`2020-10-31`) or an RFC 3339 time (`2020-10-31T12:00:00+08:00`).
    pub fn parse(text: &str) -> Option<TypedMoment> {
        let text = text.trim();
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Some(TypedMoment::EndOfDay(date)),
            Err(_) => parse_timestamp(text).map(TypedMoment::At),
        }
    }

    /// The moment meant, in the plan's zone.
    pub fn resolve(self, zone: PlanZone) -> DateTime<Utc> {
        match self {
            TypedMoment::EndOfDay(date) => zone.end_of_day(date),
            TypedMoment::At(moment) => moment,
        }
    }
}

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
    fn a_typed_date_is_the_end_of_that_day_in_the_plans_zone() {
        let date = TypedMoment::parse("2020-10-31").unwrap();
        let beijing = PlanZone::default();
        assert_eq!(timestamp(date.resolve(beijing)), "2020-10-31T15:59:59.999999Z");
        let utc: PlanZone = "UTC".parse().unwrap();
        assert_eq!(timestamp(date.resolve(utc)), "2020-10-31T23:59:59.999999Z");
        // Daylight saving: New York is UTC-4 on 31 October 2020, UTC-5 from 1 November.
        let new_york: PlanZone = "America/New_York".parse().unwrap();
        assert_eq!(timestamp(date.resolve(new_york)), "2020-11-01T03:59:59.999999Z");
        assert_eq!(timestamp(new_york.start_of_day("2020-11-02".parse().unwrap())), "2020-11-02T05:00:00.000000Z");
        let at = TypedMoment::parse("2020-10-31T12:00:00+08:00").unwrap();
        assert_eq!(timestamp(at.resolve(utc)), "2020-10-31T04:00:00.000000Z");
        assert_eq!(TypedMoment::parse("2020-10-32"), None);
        assert!("Asia/Beijing".parse::<PlanZone>().is_err());
        let moment = parse_timestamp("2021-03-31T08:00:00Z").unwrap();
        assert_eq!(beijing.local(moment, "%Y-%m-%d %H:%M"), ("2021-03-31 16:00".into(), "UTC+8".into()));
        assert_eq!(new_york.local(moment, "%H:%M"), ("04:00".into(), "UTC-4".into()));
        let kathmandu: PlanZone = "Asia/Kathmandu".parse().unwrap();
        assert_eq!(kathmandu.local(moment, "%H:%M").1, "UTC+5:45");
    }

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
