//! Expected pace (序时进度): the share of a target that should be done by the end of
//! a month. Shared by the evaluation and the charts so both draw the same line.

use crate::plan::Target;

/// Expected share of the target by the end of month `end_month` (1–12) of the plan
/// year: linear from 1 January to the end of the due period (`f`), or the planned
/// path read as a piecewise-linear curve through (start of year, 0), its points
/// (each at its period's last month) and (end of the due period, 1). Capped at 1.
pub fn expected_pace(target: &Target, plan_year: i32, end_month: u8) -> f64 {
    let due_end = f64::from(target.due_period(plan_year).end_month());
    let month = f64::from(end_month);
    if month >= due_end {
        return 1.0;
    }
    if target.planned.is_empty() {
        return (month / due_end).min(1.0);
    }
    let mut points: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    points.extend(
        target
            .planned
            .iter()
            .map(|(period, share)| (f64::from(period.0.end_month()), *share))
            .filter(|(m, _)| *m < due_end),
    );
    points.push((due_end, 1.0));
    for pair in points.windows(2) {
        let ((m0, s0), (m1, s1)) = (pair[0], pair[1]);
        if month <= m1 {
            return if m1 > m0 { s0 + (s1 - s0) * (month - m0) / (m1 - m0) } else { s1 };
        }
    }
    1.0
}

/// Expected share by the end of `end_month` of what remains from the end of
/// `start_month` (0 = 1 January) to the due period: the pace of a stock measured from
/// its first figure (docs/status-rules.md, "A stock without a baseline"). The path
/// from `start_month` on is the same curve as [`expected_pace`], rescaled so that it
/// is 0 at `start_month` and 1 at the due period; 1 when the start is at or after it.
pub fn pace_since(target: &Target, plan_year: i32, start_month: u8, end_month: u8) -> f64 {
    let at_start = if start_month == 0 { 0.0 } else { expected_pace(target, plan_year, start_month) };
    if at_start >= 1.0 {
        return 1.0;
    }
    let now = expected_pace(target, plan_year, end_month);
    ((now - at_start) / (1.0 - at_start)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::file::parse_plan;

    fn target(extra: &str) -> Target {
        let text = format!(
            "[plan]\nid = \"t\"\norg = \"t\"\nyear = 2020\n[sections]\nmain = \"m\"\n[[targets]]\ncode = \"c\"\n\
             section = \"main\"\nname = \"n\"\nkind = \"count\"\ncmp = \"reach\"\nvalue = 10\nunit = \"条\"\n\
             frequency = \"quarter\"\nquote = \"q\"\n{extra}"
        );
        parse_plan(&text, "t").unwrap().into_targets().remove(0)
    }

    #[test]
    fn linear_pace_runs_to_the_due_period() {
        let t = target("");
        assert!((expected_pace(&t, 2020, 3) - 0.25).abs() < 1e-12);
        assert!((expected_pace(&t, 2020, 12) - 1.0).abs() < 1e-12);
        let t = target("due = \"2020H1\"");
        assert!((expected_pace(&t, 2020, 3) - 0.5).abs() < 1e-12);
        assert_eq!(expected_pace(&t, 2020, 9), 1.0);
    }

    #[test]
    fn pace_since_a_start_runs_from_zero_there_to_one_at_the_due_period() {
        let t = target("");
        assert_eq!(pace_since(&t, 2020, 0, 6), expected_pace(&t, 2020, 6));
        assert_eq!(pace_since(&t, 2020, 3, 3), 0.0);
        assert!((pace_since(&t, 2020, 3, 6) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(pace_since(&t, 2020, 3, 12), 1.0);
        // A planned path keeps its shape: 0.1 by March, 0.4 by June, rescaled from March.
        let t = target("planned = { \"2020Q1\" = 0.1, \"2020Q2\" = 0.4 }");
        assert!((pace_since(&t, 2020, 3, 6) - 0.3 / 0.9).abs() < 1e-12);
        // A start at or after the due period: all of it is expected.
        let t = target("due = \"2020H1\"");
        assert_eq!(pace_since(&t, 2020, 6, 6), 1.0);
        assert_eq!(pace_since(&t, 2020, 9, 9), 1.0);
    }

    #[test]
    fn planned_path_is_piecewise_linear() {
        let t = target("planned = { \"2020Q1\" = 0.1, \"2020Q2\" = 0.4 }");
        assert!((expected_pace(&t, 2020, 3) - 0.1).abs() < 1e-12);
        assert!((expected_pace(&t, 2020, 1) - 0.1 / 3.0).abs() < 1e-12);
        assert!((expected_pace(&t, 2020, 6) - 0.4).abs() < 1e-12);
        assert!((expected_pace(&t, 2020, 9) - 0.7).abs() < 1e-12);
        assert_eq!(expected_pace(&t, 2020, 12), 1.0);
    }
}
