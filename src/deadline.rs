//! Deadlines and timeliness (docs/status-rules.md, "Late figures"): a figure logged
//! later than the plan's `[deadlines] days_after_period` days after its period ends,
//! in the plan's time zone, is late. Pure: the moments come in, a yes or no goes out.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::period::Period;
use crate::plan::Plan;
use crate::time::PlanZone;

/// The last moment a figure for `period` is on time: midnight at the end of the
/// period's last day, in `zone`, plus `days` days. A figure recorded at that moment
/// exactly is on time.
pub fn due_by(period: Period, days: u32, zone: PlanZone) -> DateTime<Utc> {
    let (year, month) = match period.end_month() {
        12 => (period.year() + 1, 1),
        month => (period.year(), u32::from(month) + 1),
    };
    let next_month = NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists");
    let due = next_month.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    if due == NaiveDate::MAX {
        return DateTime::<Utc>::MAX_UTC;
    }
    zone.start_of_day(due)
}

/// Whether a figure for `period` recorded at `recorded_at` is late for a plan that
/// allows `days` days after a period ends: the one rule every output shows.
pub fn is_late(period: Period, recorded_at: DateTime<Utc>, days: u32, zone: PlanZone) -> bool {
    recorded_at > due_by(period, days, zone)
}

/// [`is_late`] with the plan's own days and zone.
pub fn is_late_in(plan: &Plan, period: Period, recorded_at: DateTime<Utc>) -> bool {
    is_late(period, recorded_at, plan.days_after_period, plan.timezone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_figure_is_late_one_second_after_n_days_past_the_period_end_in_beijing() {
        let beijing = PlanZone::default();
        let q3 = Period::quarter(2020, 3);
        // Q3 ends with 30 September, i.e. at 1 October 00:00 Beijing = 30 September 16:00 UTC.
        assert_eq!(due_by(q3, 0, beijing), utc("2020-09-30T16:00:00Z"));
        // Ten days later: 11 October 00:00 Beijing.
        assert_eq!(due_by(q3, 10, beijing), utc("2020-10-10T16:00:00Z"));
        let cases = [
            ("2020-10-10T16:00:00Z", false, "exactly N days"),
            ("2020-10-10T16:00:01Z", true, "N days and one second"),
            ("2020-10-10T15:59:59Z", false, "a second before"),
            ("2020-07-01T00:00:00Z", false, "early"),
        ];
        for (recorded, late, why) in cases {
            assert_eq!(is_late(q3, utc(recorded), 10, beijing), late, "{why}");
        }
        // With no days at all, the end of the period itself (Beijing) is the deadline:
        // 30 September 23:00 Beijing is on time, 1 October 00:00:01 Beijing is late.
        assert!(!is_late(q3, utc("2020-09-30T15:00:00Z"), 0, beijing));
        assert!(is_late(q3, utc("2020-09-30T16:00:01Z"), 0, beijing));
        // In UTC the same moment would still be on time: the zone decides.
        assert!(!is_late(q3, utc("2020-09-30T16:00:01Z"), 0, "UTC".parse().unwrap()));
    }

    #[test]
    fn the_year_end_and_february_roll_over() {
        let beijing = PlanZone::default();
        assert_eq!(due_by(Period::full_year(2020), 10, beijing), utc("2021-01-10T16:00:00Z"));
        assert_eq!(due_by(Period::month(2020, 2), 1, beijing), utc("2020-03-01T16:00:00Z"));
        assert_eq!(due_by(Period::month(2020, 12), 365, beijing), utc("2021-12-31T16:00:00Z"));
    }
}
