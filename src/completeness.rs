//! Completeness (DHIS2's reporting rate): per lead unit, for the targets a period asks a
//! figure of, how many are due, submitted, on time, approved, returned and missing.
//! Pure: the plan, its figures, their review states and the data moment come in.
//!
//! A target is *due* in a period when a template for that period asks it for a figure
//! (`template::period_asked`: a quarterly target at quarter ends, a yearly one at the
//! year's end, none after its due period). Its *standing* figure is the current figure
//! of that window as known at the data moment (`actual::current_figures`, windows by
//! end month). Then:
//!
//! - *submitted*: the standing figure counts (`submitted` or `approved` in review);
//! - *on time*: submitted and not late (`deadline::is_late_in`, by when it was recorded);
//! - *approved*: the standing figure is approved;
//! - *returned*: the standing figure was returned (it does not count);
//! - *missing*: due, but no standing figure counts (none at all, returned, or void).
//!
//! So `submitted + missing = due`, and `on time ≤ submitted`, `approved ≤ submitted`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actual::{current_figures, Actual, FiguresByTarget};
use crate::deadline::is_late_in;
use crate::period::Period;
use crate::plan::Plan;
use crate::review::{Counting, FigureState, FigureStates};
use crate::template::period_asked;

/// The counts of one lead unit (or of all: the total row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitCompleteness {
    /// The lead unit (牵头单位); `None` for targets without one, and for the total.
    pub lead_unit: Option<String>,
    pub due: usize,
    pub submitted: usize,
    pub on_time: usize,
    pub approved: usize,
    pub returned: usize,
    pub missing: usize,
}

impl UnitCompleteness {
    fn add(&mut self, other: &UnitCompleteness) {
        self.due += other.due;
        self.submitted += other.submitted;
        self.on_time += other.on_time;
        self.approved += other.approved;
        self.returned += other.returned;
        self.missing += other.missing;
    }

    /// Submitted as a share of due, in per cent (`None` when nothing is due).
    pub fn rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.submitted as f64 * 100.0 / self.due as f64)
    }
}

/// Completeness of one period: per lead unit in the order the plan first names it
/// (units with nothing due left out), and the total over them.
#[derive(Debug, Clone, PartialEq)]
pub struct Completeness {
    pub period: Period,
    pub units: Vec<UnitCompleteness>,
    pub total: UnitCompleteness,
}

/// Completeness of `period` for `plan`, with figures as known at `known_at` (all when
/// `None`); only `lead_unit`'s targets when given.
pub fn compute(
    plan: &Plan,
    actuals: &[Actual],
    states: &FigureStates,
    known_at: Option<DateTime<Utc>>,
    period: Period,
    lead_unit: Option<&str>,
) -> Completeness {
    let current = current_figures(actuals, known_at);
    // Grouped once: a province's 100,000 targets must not each scan its 1.2M figures.
    let by_target = FiguresByTarget::new(&current);
    let mut units: Vec<UnitCompleteness> = Vec::new();
    for target in plan.targets() {
        if lead_unit.is_some_and(|unit| target.lead_unit.as_deref() != Some(unit)) {
            continue;
        }
        let Some(asked) = period_asked(target, plan.year, period) else { continue };
        let index = match units.iter().position(|u| u.lead_unit == target.lead_unit) {
            Some(index) => index,
            None => {
                units.push(UnitCompleteness { lead_unit: target.lead_unit.clone(), ..Default::default() });
                units.len() - 1
            }
        };
        let unit = &mut units[index];
        unit.due += 1;
        let standing = by_target
            .of(&target.code)
            .iter()
            .copied()
            .filter(|a| *a.target == *target.code && a.period.end_key() == asked.end_key())
            .max_by_key(|a| (a.recorded_at, a.id));
        let state = standing.map(|a| (a, states.state_of(a.id, known_at)));
        match state {
            Some((figure, state)) if state.counts(Counting::AllCurrent) => {
                unit.submitted += 1;
                if !is_late_in(plan, figure.period, figure.recorded_at) {
                    unit.on_time += 1;
                }
                if state == FigureState::Approved {
                    unit.approved += 1;
                }
            }
            Some((_, state)) => {
                if state == FigureState::Returned {
                    unit.returned += 1;
                }
                unit.missing += 1;
            }
            None => unit.missing += 1,
        }
    }
    let mut total = UnitCompleteness::default();
    for unit in &units {
        total.add(unit);
    }
    Completeness { period, units, total }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::plan::file::parse_plan;
    use crate::review::FigureEvent;

    const PLAN: &str = r#"
[plan]
id = "c-2020"
org = "金水区"
year = 2020

[deadlines]
days_after_period = 10

[sections]
main = "主要目标"

[[targets]]
code = "gdp"
section = "main"
name = "地区生产总值增速"
kind = "growth"
cmp = "at_least"
value = 6
unit = "%"
frequency = "quarter"
lead_unit = "区统计局"
quote = "…"

[[targets]]
code = "retail"
section = "main"
name = "社会消费品零售总额增速"
kind = "growth"
cmp = "at_least"
value = 8
unit = "%"
frequency = "quarter"
lead_unit = "区商务局"
quote = "…"

[[targets]]
code = "exports"
section = "main"
name = "出口额增速"
kind = "growth"
cmp = "at_least"
value = 5
unit = "%"
frequency = "quarter"
lead_unit = "区商务局"
quote = "…"

[[targets]]
code = "jobs"
section = "main"
name = "城镇新增就业"
kind = "count"
cmp = "at_least"
value = 10000
unit = "人"
frequency = "month"
lead_unit = "区人社局"
quote = "…"

[[targets]]
code = "parks"
section = "main"
name = "新建公园"
kind = "count"
cmp = "at_least"
value = 3
unit = "个"
frequency = "year"
lead_unit = "区园林局"
quote = "…"
"#;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn figure(id: i64, target: &str, period: Period, recorded_at: &str) -> Actual {
        Actual {
            id,
            target: target.into(),
            period,
            value: 1.0,
            source: None,
            recorded_by: Arc::from("clerk"),
            recorded_at: at(recorded_at),
            note: None,
            revises: None,
            reason: None,
        }
    }

    fn event(id: i64, figure: i64, from: FigureState, to: FigureState, when: &str) -> FigureEvent {
        FigureEvent {
            id,
            figure,
            from,
            to,
            by: "office".into(),
            at: at(when),
            reason: (to != FigureState::Approved).then(|| "why".to_string()),
            set_clock: true,
        }
    }

    fn unit(name: &str, counts: [usize; 6]) -> UnitCompleteness {
        let [due, submitted, on_time, approved, returned, missing] = counts;
        UnitCompleteness { lead_unit: Some(name.into()), due, submitted, on_time, approved, returned, missing }
    }

    #[test]
    fn every_count_per_lead_unit_and_in_total() {
        use FigureState::*;
        let plan = parse_plan(PLAN, "c.toml").unwrap();
        let q1 = Period::quarter(2020, 1);
        let actuals = vec![
            // 统计局: on time, approved.
            figure(1, "gdp", q1, "2020-04-05T02:00:00Z"),
            // 商务局: retail late and submitted; exports returned.
            figure(2, "retail", q1, "2020-04-20T02:00:00Z"),
            figure(3, "exports", q1, "2020-04-06T02:00:00Z"),
            // 人社局: a March figure, void; February's figure is another window.
            figure(4, "jobs", Period::month(2020, 3), "2020-04-02T02:00:00Z"),
            figure(5, "jobs", Period::month(2020, 2), "2020-03-02T02:00:00Z"),
        ];
        let states = FigureStates::new(vec![
            event(1, 1, Submitted, Approved, "2020-04-12T02:00:00Z"),
            event(2, 3, Submitted, Returned, "2020-04-12T02:00:00Z"),
            event(3, 4, Submitted, Void, "2020-04-12T02:00:00Z"),
        ]);
        let c = compute(&plan, &actuals, &states, None, q1, None);
        assert_eq!(
            c.units,
            [
                unit("区统计局", [1, 1, 1, 1, 0, 0]),
                unit("区商务局", [2, 1, 0, 0, 1, 1]),
                unit("区人社局", [1, 0, 0, 0, 0, 1]),
            ],
            "the yearly parks target is not due in Q1"
        );
        assert_eq!(c.total, UnitCompleteness { lead_unit: None, ..unit("", [4, 2, 1, 1, 1, 2]) });
        assert_eq!(c.total.rate(), Some(50.0));

        // Before the review (as recorded on 10 April): nothing approved, returned or void yet,
        // the late retail figure not yet logged.
        let c = compute(&plan, &actuals, &states, Some(at("2020-04-10T00:00:00Z")), q1, None);
        assert_eq!(c.total, UnitCompleteness { lead_unit: None, ..unit("", [4, 3, 3, 0, 0, 1]) });

        // One lead unit only.
        let c = compute(&plan, &actuals, &states, None, q1, Some("区商务局"));
        assert_eq!(c.units, [unit("区商务局", [2, 1, 0, 0, 1, 1])]);
        assert_eq!(c.total.due, 2);
    }

    #[test]
    fn a_relogged_figure_replaces_the_returned_one_and_a_monthly_period_asks_only_monthly_targets() {
        use FigureState::*;
        let plan = parse_plan(PLAN, "c.toml").unwrap();
        let q1 = Period::quarter(2020, 1);
        let mut relogged = figure(6, "exports", q1, "2020-04-08T02:00:00Z");
        relogged.revises = Some(3);
        relogged.reason = Some("corrected".into());
        let actuals = vec![figure(3, "exports", q1, "2020-04-06T02:00:00Z"), relogged];
        let states = FigureStates::new(vec![event(1, 3, Submitted, Returned, "2020-04-07T02:00:00Z")]);
        let c = compute(&plan, &actuals, &states, None, q1, Some("区商务局"));
        assert_eq!(c.units, [unit("区商务局", [2, 1, 1, 0, 0, 1])]);

        let c = compute(&plan, &actuals, &states, None, Period::month(2020, 2), None);
        assert_eq!(c.units, [unit("区人社局", [1, 0, 0, 0, 0, 1])]);
        let c = compute(&plan, &actuals, &states, None, Period::full_year(2020), None);
        assert_eq!(c.total.due, 5, "a template for the year asks every target");
        assert_eq!(compute(&plan, &[], &states, None, Period::month(2020, 1), Some("区园林局")).total.rate(), None);
    }
}
