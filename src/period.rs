//! Reporting periods: `2020`, `2020H1`, `2020Q3`, `2020-09`, and the forms used in
//! Chinese statistical releases (`2020年前三季度`, `2020年1—5月`, …).
//!
//! A period is identified by the month it ends in; two periods that end in the same
//! month are the same window for a year-to-date figure (`2020Q3` = `2020年前三季度`
//! = `2020-09`). This module does no IO.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::lang::{Lang, Localize};

/// The span a period covers within its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Span {
    Year,
    Half(u8),
    Quarter(u8),
    Month(u8),
}

/// A reporting period of one calendar year. Its fields are private: every `Period`
/// has a span in range (H1–H2, Q1–Q4, months 1–12), so labels and month arithmetic
/// never meet `Quarter(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    year: i32,
    span: Span,
}

impl Span {
    /// Whether the half, quarter or month number is one a year has.
    fn in_range(self) -> bool {
        match self {
            Span::Year => true,
            Span::Half(h) => (1..=2).contains(&h),
            Span::Quarter(q) => (1..=4).contains(&q),
            Span::Month(m) => (1..=12).contains(&m),
        }
    }
}

/// The frequency at which figures for a target are expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    Month,
    Quarter,
    Year,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Month, Frequency::Quarter, Frequency::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Month => "month",
            Frequency::Quarter => "quarter",
            Frequency::Year => "year",
        }
    }

    /// Months in one period of this frequency.
    pub fn months(self) -> u8 {
        match self {
            Frequency::Month => 1,
            Frequency::Quarter => 3,
            Frequency::Year => 12,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Frequency::Month => "月报",
            Frequency::Quarter => "季报",
            Frequency::Year => "年报",
        }
    }
}

impl FromStr for Frequency {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == s).ok_or(())
    }
}

impl Period {
    /// A period of `year` with `span`, if the span is one a year has (not `Quarter(0)`).
    pub fn new(year: i32, span: Span) -> Option<Period> {
        span.in_range().then_some(Period { year, span })
    }

    /// The whole year.
    pub fn full_year(year: i32) -> Period {
        Period { year, span: Span::Year }
    }

    /// A month, 1–12; panics on any other number (for months known to be in range).
    pub fn month(year: i32, month: u8) -> Period {
        Period::new(year, Span::Month(month)).expect("a month is 1-12")
    }

    /// A quarter, 1–4; panics on any other number (for quarters known to be in range).
    pub fn quarter(year: i32, quarter: u8) -> Period {
        Period::new(year, Span::Quarter(quarter)).expect("a quarter is 1-4")
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The span within the year.
    pub fn span(self) -> Span {
        self.span
    }

    /// The month (1–12) this period ends in.
    pub fn end_month(self) -> u8 {
        match self.span {
            Span::Year => 12,
            Span::Half(h) => h * 6,
            Span::Quarter(q) => q * 3,
            Span::Month(m) => m,
        }
    }

    /// The month (1–12) this period starts in.
    pub fn start_month(self) -> u8 {
        match self.span {
            Span::Year => 1,
            Span::Half(h) => h * 6 - 5,
            Span::Quarter(q) => q * 3 - 2,
            Span::Month(m) => m,
        }
    }

    /// `year * 100 + end month`: the window key stored in the database (`202009`).
    pub fn end_key(self) -> i64 {
        i64::from(self.year) * 100 + i64::from(self.end_month())
    }

    /// The canonical month period with the same end (the window of a year-to-date figure).
    pub fn end_period(self) -> Period {
        Period::month(self.year, self.end_month())
    }

    /// Rebuilds the month period for a stored window key.
    pub fn from_end_key(key: i64) -> Option<Period> {
        let year = i32::try_from(key / 100).ok()?;
        let month = u8::try_from(key % 100).ok()?;
        (1..=12).contains(&month).then(|| Period::month(year, month))
    }

    /// Whether a year-to-date figure can be given for this period. Year-to-date
    /// windows start in January, so the second half-year is not one.
    pub fn is_year_to_date_window(self) -> bool {
        self.start_month() == 1 || matches!(self.span, Span::Quarter(_) | Span::Month(_))
    }

    /// Canonical label: `2020`, `2020H1`, `2020Q3`, `2020-09`.
    pub fn label(self) -> String {
        self.to_string()
    }

    /// Reads a label exactly as [`Period::label`] writes it (`2020`, `2020H1`,
    /// `2020Q3`, `2020-09`), and nothing else: the fast path for labels read back from
    /// the database, where a city's plan has a million of them.
    pub fn parse_canonical(label: &str) -> Option<Period> {
        let bytes = label.as_bytes();
        let digit = |i: usize| bytes.get(i).filter(|b| b.is_ascii_digit()).map(|b| b - b'0');
        let year = (0..4).try_fold(0i32, |year, i| Some(year * 10 + i32::from(digit(i)?)))?;
        let in_range = |n: u8, max: u8| (1..=max).contains(&n).then_some(n);
        let span = match (bytes.len(), bytes.get(4)) {
            (4, _) => Span::Year,
            (6, Some(b'H')) => Span::Half(in_range(digit(5)?, 2)?),
            (6, Some(b'Q')) => Span::Quarter(in_range(digit(5)?, 4)?),
            (7, Some(b'-')) => Span::Month(in_range(digit(5)? * 10 + digit(6)?, 12)?),
            _ => return None,
        };
        (1900..=2999).contains(&year).then_some(Period { year, span })
    }

    /// The Chinese statistical-release label for a year-to-date reading.
    pub fn label_zh(self) -> String {
        let y = self.year;
        match self.span {
            Span::Year => format!("{y}年全年"),
            Span::Half(1) => format!("{y}年上半年"),
            Span::Half(_) => format!("{y}年下半年"),
            Span::Quarter(q) => format!("{y}年{}季度", ["一", "二", "三", "四"][usize::from(q - 1)]),
            Span::Month(m) => format!("{y}年{m}月"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span {
            Span::Year => write!(f, "{}", self.year),
            Span::Half(h) => write!(f, "{}H{h}", self.year),
            Span::Quarter(q) => write!(f, "{}Q{q}", self.year),
            Span::Month(m) => write!(f, "{}-{m:02}", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(input: &str) -> Result<Period, PeriodError> {
        parse(input).ok_or_else(|| PeriodError::Unparsed(input.to_string()))
    }
}

const CHINESE_QUARTERS: [(&str, u8); 8] = [
    ("一季度", 1),
    ("二季度", 2),
    ("三季度", 3),
    ("四季度", 4),
    ("第一季度", 1),
    ("第二季度", 2),
    ("第三季度", 3),
    ("第四季度", 4),
];

fn parse(input: &str) -> Option<Period> {
    let s = input.trim();
    if let Some((year, rest)) = s.split_once('年') {
        return parse_chinese(parse_year(year)?, rest.trim());
    }
    let (year_text, rest) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let year = parse_year(year_text)?;
    let span = if rest.is_empty() {
        Span::Year
    } else if let Some(h) = rest.strip_prefix('H').or_else(|| rest.strip_prefix('h')) {
        Span::Half(small_number(h, 1, 2)?)
    } else if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
        Span::Quarter(small_number(q, 1, 4)?)
    } else if let Some(m) = rest.strip_prefix('-') {
        // Only the two-digit form is canonical, but `2020-9` is what people type.
        Span::Month(small_number(m, 1, 12)?)
    } else {
        return None;
    };
    Some(Period { year, span })
}

fn parse_chinese(year: i32, rest: &str) -> Option<Period> {
    let span = match rest {
        "" | "全年" | "年度" => Span::Year,
        "上半年" => Span::Half(1),
        "下半年" => Span::Half(2),
        "前三季度" | "1-9月" => Span::Quarter(3),
        _ => {
            if let Some(&(_, q)) = CHINESE_QUARTERS.iter().find(|(name, _)| *name == rest) {
                Span::Quarter(q)
            } else {
                let months = rest.strip_suffix('月')?;
                // `1-5月`, `1—5月`, `1–5月`, `1~5月`: a year-to-date window from January.
                match months.split_once(['-', '—', '–', '~', '－', '至']) {
                    Some((from, to)) => {
                        small_number(from, 1, 1)?;
                        Span::Month(small_number(to, 1, 12)?)
                    }
                    None => Span::Month(small_number(months, 1, 12)?),
                }
            }
        }
    };
    Some(Period { year, span })
}

fn parse_year(text: &str) -> Option<i32> {
    let text = text.trim();
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = text.parse().ok()?;
    (1900..=2999).contains(&year).then_some(year)
}

fn small_number(text: &str, min: u8, max: u8) -> Option<u8> {
    let text = text.trim();
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u8 = text.parse().ok()?;
    (min..=max).contains(&n).then_some(n)
}

/// A text that is not a period, as it was given.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PeriodError {
    #[error("{}", self.localize(Lang::En))]
    Unparsed(String),
}

impl Localize for PeriodError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            PeriodError::Unparsed(text) => lang.choose(
                format!(
                    "{text:?} 不是有效的期别：请写作 2020、2020H1、2020Q3、2020-09，或 2020年一季度 / 2020年上半年 / \
                     2020年前三季度 / 2020年1-5月 / 2020年3月 / 2020年全年"
                ),
                format!(
                    "{text:?} is not a period: use 2020, 2020H1, 2020Q3, 2020-09, or 2020年一季度 / 2020年上半年 / \
                     2020年前三季度 / 2020年1-5月 / 2020年3月 / 2020年全年"
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_period_speaks_both_languages() {
        let period = PeriodError::Unparsed("2020Q5".into());
        crate::error::tests::check_both(&[(&period, period.to_string())]);
    }

    fn check(input: &str, canonical: &str, end_month: u8) {
        let p: Period = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(p.label(), canonical, "{input}");
        assert_eq!(p.end_month(), end_month, "{input}");
    }

    #[test]
    fn canonical_labels_read_back_fast_and_nothing_else_does() {
        for year in [1900, 2020, 2999] {
            let spans = [Span::Year, Span::Half(1), Span::Half(2)]
                .into_iter()
                .chain((1..=4).map(Span::Quarter))
                .chain((1..=12).map(Span::Month));
            for span in spans {
                let period = Period { year, span };
                assert_eq!(Period::parse_canonical(&period.label()), Some(period), "{period}");
            }
        }
        for other in
            ["2020-9", "2020q3", "2020Q5", "2020H3", "2020-13", "2020-00", "1899", "2020年", " 2020", "20a0", ""]
        {
            assert_eq!(Period::parse_canonical(other), None, "{other}");
        }
    }

    #[test]
    fn parses_every_documented_form() {
        check("2020", "2020", 12);
        check("2020H1", "2020H1", 6);
        check("2020H2", "2020H2", 12);
        check("2020Q1", "2020Q1", 3);
        check("2020Q4", "2020Q4", 12);
        check("2020-01", "2020-01", 1);
        check("2020-9", "2020-09", 9);
        check("2020年一季度", "2020Q1", 3);
        check("2020年上半年", "2020H1", 6);
        check("2020年前三季度", "2020Q3", 9);
        check("2020年1-3月", "2020-03", 3);
        check("2020年1—5月", "2020-05", 5);
        check("2020年3月", "2020-03", 3);
        check("2020年全年", "2020", 12);
        check(" 2020Q2 ", "2020Q2", 6);
    }

    #[test]
    fn rejects_what_is_not_a_period() {
        for bad in [
            "",
            "20",
            "2020Q5",
            "2020Q0",
            "2020-13",
            "2020-00",
            "2020H3",
            "Q1",
            "2020年2-5月",
            "2020年13月",
            "2020年",
            "二〇二〇年",
            "2020/09",
            "2020-09-01",
            "12020",
            "2020年五季度",
            "2020Q1x",
        ] {
            if bad == "2020年" {
                // `2020年` alone reads as the whole year, like `2020`.
                assert_eq!(bad.parse::<Period>().unwrap().label(), "2020");
                continue;
            }
            assert!(bad.parse::<Period>().is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn a_period_is_only_made_with_a_span_the_year_has() {
        for span in [Span::Half(0), Span::Half(3), Span::Quarter(0), Span::Quarter(5), Span::Month(0), Span::Month(13)]
        {
            assert_eq!(Period::new(2020, span), None, "{span:?}");
        }
        let q4 = Period::new(2020, Span::Quarter(4)).unwrap();
        assert_eq!((q4, q4.year(), q4.span()), (Period::quarter(2020, 4), 2020, Span::Quarter(4)));
        assert_eq!(q4.label_zh(), "2020年四季度");
        assert!(std::panic::catch_unwind(|| Period::quarter(2020, 0)).is_err());
        assert!(std::panic::catch_unwind(|| Period::month(2020, 13)).is_err());
    }

    #[test]
    fn windows_with_one_end_month_are_one_window() {
        let a: Period = "2020Q3".parse().unwrap();
        let b: Period = "2020年前三季度".parse().unwrap();
        let c: Period = "2020-09".parse().unwrap();
        assert_eq!(a.end_key(), b.end_key());
        assert_eq!(b.end_key(), c.end_key());
        assert!(!"2020H2".parse::<Period>().unwrap().is_year_to_date_window());
        assert!("2020Q4".parse::<Period>().unwrap().is_year_to_date_window());
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn any_period() -> impl Strategy<Value = Period> {
            let span = prop_oneof![
                Just(Span::Year),
                (1u8..=2).prop_map(Span::Half),
                (1u8..=4).prop_map(Span::Quarter),
                (1u8..=12).prop_map(Span::Month),
            ];
            (1900i32..=2999, span).prop_map(|(year, span)| Period { year, span })
        }

        /// A parsed period's canonical label parses back to the same period, and a
        /// refusal names the text it refused.
        fn parses_and_round_trips_or_is_refused(text: &str) -> Result<(), TestCaseError> {
            match text.parse::<Period>() {
                Ok(period) => prop_assert_eq!(period.label().parse::<Period>(), Ok(period), "{:?}", text),
                Err(PeriodError::Unparsed(echo)) => prop_assert_eq!(echo, text),
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn every_canonical_label_round_trips(period in any_period()) {
                prop_assert_eq!(period.label().parse::<Period>(), Ok(period));
                // So does the statistical-release label, for the same window.
                prop_assert_eq!(period.label_zh().parse::<Period>(), Ok(period));
            }

            #[test]
            fn any_text_parses_and_round_trips_or_is_refused(text in "\\PC{0,12}") {
                parses_and_round_trips_or_is_refused(&text)?;
            }

            #[test]
            fn near_misses_of_the_forms_parse_and_round_trip_or_are_refused(
                text in "[0-9]{3,5}(H|Q|h|q|-|/)?[0-9]{0,3}",
                chinese in "[0-9]{4}年(第|前)?(一|二|三|四|五|上|下)?(季度|半年|全年)?([0-9]{1,2}[-—–~]?[0-9]{0,2}月)?",
            ) {
                parses_and_round_trips_or_is_refused(&text)?;
                parses_and_round_trips_or_is_refused(&chinese)?;
            }
        }
    }
}
