//! The comparison's rules as tables: ranks and ties, "-" for a member without the
//! indicator or the figure, rank change, the direction of `at_most`, ranking by progress.

use chrono::{TimeZone, Utc};

use super::*;
use crate::plan::file::parse_plan;

/// A district's plan: GDP growth at least `gdp` %, budget revenue (accumulated) of
/// `revenue` 亿元, and unless `accidents` is false a ceiling of 5 accidents.
fn plan(id: &str, gdp: f64, revenue: f64, accidents: bool) -> Plan {
    let mut text = format!(
        "[plan]\nid = \"{id}\"\norg = \"{id}\"\nyear = 2020\nparent = \"city\"\n\n[sections]\nmain = \"主要\"\n\n\
         [[targets]]\ncode = \"gdp\"\nsection = \"main\"\nname = \"GDP\"\nkind = \"growth\"\ncmp = \"at_least\"\n\
         value = {gdp}\nunit = \"%\"\nfrequency = \"quarter\"\nquote = \"q\"\n\n\
         [[targets]]\ncode = \"revenue\"\nsection = \"main\"\nname = \"收入\"\nkind = \"amount\"\nmeasure = \"ytd\"\n\
         cmp = \"at_least\"\nvalue = {revenue}\nunit = \"亿元\"\nfrequency = \"month\"\nquote = \"q\"\n"
    );
    if accidents {
        text.push_str(
            "\n[[targets]]\ncode = \"accidents\"\nsection = \"main\"\nname = \"事故\"\nkind = \"count\"\n\
             measure = \"ytd\"\ncmp = \"at_most\"\nvalue = 5\nunit = \"起\"\nfrequency = \"quarter\"\nquote = \"q\"\n",
        );
    }
    parse_plan(&text, "test.toml").unwrap()
}

fn figure(id: i64, code: &str, period: &str, value: f64) -> Actual {
    Actual {
        id,
        target: code.into(),
        period: period.parse().unwrap(),
        value,
        source: None,
        recorded_by: "tester".into(),
        recorded_at: Utc.with_ymd_and_hms(2020, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::seconds(id),
        note: None,
        revises: None,
        reason: None,
    }
}

/// Compares `plans` with each plan's figures `(code, period, value)`.
fn compare(plans: &[Plan], figures: &[&[(&str, &str, f64)]], as_of: &str, by: By) -> Comparison {
    let logged: Vec<Vec<Actual>> = figures
        .iter()
        .enumerate()
        .map(|(p, list)| {
            list.iter()
                .enumerate()
                .map(|(i, (code, period, value))| figure((p * 100 + i) as i64 + 1, code, period, *value))
                .collect()
        })
        .collect();
    let family: Vec<Member> =
        plans.iter().zip(&logged).map(|(plan, list)| Member { plan, figures: list.iter().collect() }).collect();
    compute(&family, as_of.parse().unwrap(), by)
}

/// `(member, rank, rank_change)` of an indicator's rows, in their order.
fn places(comparison: &Comparison, code: &str) -> Vec<(usize, Option<u32>, Option<i64>)> {
    let indicator = comparison.indicators.iter().find(|i| i.code == code).unwrap();
    indicator.rows.iter().map(|r| (r.member, r.rank, r.rank_change)).collect()
}

#[test]
fn ranks_are_competition_ranks_and_ties_share() {
    type Case<'a> = (&'a [Option<f64>], bool, &'a [Option<u32>]);
    let cases: &[Case] = &[
        (&[Some(5.0), Some(3.0), Some(3.0), Some(1.0)], false, &[Some(1), Some(2), Some(2), Some(4)]),
        (&[Some(5.0), Some(3.0), Some(3.0), Some(1.0)], true, &[Some(4), Some(2), Some(2), Some(1)]),
        (&[Some(1.0), Some(1.0), Some(1.0)], false, &[Some(1), Some(1), Some(1)]),
        (&[None, Some(2.0), Some(7.0)], false, &[None, Some(2), Some(1)]),
        (&[None, None], true, &[None, None]),
        // Values within 1e-9 are the same figure (0.1 + 0.2 and 0.3).
        (&[Some(0.1 + 0.2), Some(0.3), Some(0.2)], false, &[Some(1), Some(1), Some(3)]),
        (&[Some(-2.0), Some(0.0), Some(-5.0)], true, &[Some(2), Some(3), Some(1)]),
        (&[Some(f64::NAN), Some(1.0)], false, &[None, Some(1)]),
    ];
    for (scores, lower, expected) in cases {
        assert_eq!(rank(scores, *lower), *expected, "{scores:?} lower_is_better={lower}");
    }
}

#[test]
fn previous_period_is_one_step_of_the_indicators_frequency() {
    let cases = [
        (Frequency::Month, "2020-09", Some("2020-08")),
        (Frequency::Month, "2020-01", None),
        (Frequency::Month, "2020Q3", Some("2020-08")),
        (Frequency::Quarter, "2020Q3", Some("2020Q2")),
        (Frequency::Quarter, "2020-08", Some("2020Q1")),
        (Frequency::Quarter, "2020Q1", None),
        (Frequency::Quarter, "2020-02", None),
        (Frequency::Year, "2020", None),
    ];
    for (frequency, as_of, expected) in cases {
        let expected = expected.map(|p| p.parse::<Period>().unwrap());
        assert_eq!(previous_period(frequency, as_of.parse().unwrap()), expected, "{frequency:?} {as_of}");
    }
}

#[test]
fn by_value_higher_ranks_first_ties_share_and_members_without_a_figure_or_the_indicator_come_last() {
    let plans =
        [plan("a", 6.0, 10.0, true), plan("b", 7.0, 12.0, true), plan("c", 6.5, 8.0, true), plan("d", 6.0, 9.0, false)];
    let comparison = compare(
        &plans,
        &[
            &[("gdp", "2020Q3", 6.1), ("accidents", "2020Q3", 3.0)],
            &[("gdp", "2020Q3", 7.4), ("accidents", "2020Q3", 1.0)],
            &[("gdp", "2020Q3", 6.1)],
            &[],
        ],
        "2020Q3",
        By::Value,
    );
    // b first; a and c tie at 2 (kept in family order); d has no figure: no rank, last.
    assert_eq!(
        places(&comparison, "gdp").iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
        [(1, Some(1)), (0, Some(2)), (2, Some(2)), (3, None)]
    );
    // Accidents are `at_most`: fewer ranks higher. c has the target but no figure, d
    // has no such target: both unranked, the one without the indicator last.
    let accidents = comparison.indicators.iter().find(|i| i.code == "accidents").unwrap();
    assert!(accidents.lower_is_better);
    let rows: Vec<(usize, Option<u32>, bool)> =
        accidents.rows.iter().map(|r| (r.member, r.rank, r.has_indicator)).collect();
    assert_eq!(rows, [(1, Some(1), true), (0, Some(2), true), (2, None, true), (3, None, false)]);
    let without = &accidents.rows[3];
    assert_eq!((without.status, without.target, without.value), (None, None, None));
    let no_figure = &accidents.rows[2];
    assert_eq!((no_figure.status, no_figure.target), (Some(Status::NoData), Some(5.0)));
}

#[test]
fn rank_change_is_places_moved_up_since_the_previous_period_of_the_frequency() {
    let plans = [plan("a", 6.0, 10.0, true), plan("b", 6.0, 10.0, true), plan("c", 6.0, 10.0, true)];
    let comparison = compare(
        &plans,
        &[
            // Q2: a 1st, b 2nd, c 3rd; Q3: c 1st, a 2nd, b 3rd.
            &[("gdp", "2020Q2", 7.0), ("gdp", "2020Q3", 6.5), ("revenue", "2020-09", 8.0)],
            &[("gdp", "2020Q2", 6.5), ("gdp", "2020Q3", 6.0), ("revenue", "2020-08", 5.0), ("revenue", "2020-09", 7.0)],
            &[("gdp", "2020Q2", 6.0), ("gdp", "2020Q3", 7.5), ("revenue", "2020-08", 6.0), ("revenue", "2020-09", 7.0)],
        ],
        "2020Q3",
        By::Value,
    );
    assert_eq!(places(&comparison, "gdp"), [(2, Some(1), Some(2)), (0, Some(2), Some(-1)), (1, Some(3), Some(-1))]);
    // Monthly revenue against 2020-08: a had no figure then (no change to give); b
    // and c tie at 2 now, c was 1st in August (down one), b 2nd (unchanged).
    let revenue = comparison.indicators.iter().find(|i| i.code == "revenue").unwrap();
    assert_eq!(revenue.previous, Some("2020-08".parse().unwrap()));
    assert_eq!(places(&comparison, "revenue"), [(0, Some(1), None), (1, Some(2), Some(0)), (2, Some(2), Some(-1))]);
    // In the first quarter there is no previous quarter.
    let first = compare(&plans, &[&[("gdp", "2020Q1", 6.0)], &[], &[]], "2020Q1", By::Value);
    assert_eq!(places(&first, "gdp")[0], (0, Some(1), None));
}

#[test]
fn by_progress_ranks_the_share_of_each_members_own_target() {
    // a's target is 10, b's 20: b's larger figure is a smaller share of its target.
    let plans = [plan("a", 5.0, 10.0, true), plan("b", 8.0, 20.0, true)];
    let figures: &[&[(&str, &str, f64)]] = &[
        &[("revenue", "2020-09", 9.0), ("gdp", "2020Q3", 6.0), ("accidents", "2020Q3", 1.0)],
        &[("revenue", "2020-09", 12.0), ("gdp", "2020Q3", 8.0), ("accidents", "2020Q3", 2.0)],
    ];
    let by_value = compare(&plans, figures, "2020Q3", By::Value);
    let by_progress = compare(&plans, figures, "2020Q3", By::Progress);
    assert_eq!(places(&by_value, "revenue")[0].0, 1);
    assert_eq!(places(&by_progress, "revenue")[0].0, 0);
    let revenue = by_progress.indicators.iter().find(|i| i.code == "revenue").unwrap();
    assert_eq!(revenue.rows[0].progress, Some(0.9));
    assert_eq!(revenue.rows[1].progress, Some(0.6));
    // A threshold target: 1 + gap ÷ |target|: a (6 against 5) is ahead by 0.2, b (8
    // against 8) on the bar.
    assert_eq!(places(&by_progress, "gdp"), [(0, Some(1), None), (1, Some(2), None)]);
    let gdp = by_progress.indicators.iter().find(|i| i.code == "gdp").unwrap();
    assert_eq!(gdp.rows.iter().map(|r| r.progress).collect::<Vec<_>>(), [Some(1.2), Some(1.0)]);
    // A ceiling: the share of the allowance used, lower first.
    let accidents = by_progress.indicators.iter().find(|i| i.code == "accidents").unwrap();
    assert!(accidents.lower_is_better);
    assert_eq!(
        accidents.rows.iter().map(|r| (r.member, r.progress)).collect::<Vec<_>>(),
        [(0, Some(0.2)), (1, Some(0.4))]
    );
}

#[test]
fn the_default_as_of_is_the_latest_period_with_a_figure_in_any_member() {
    let plans = [plan("a", 6.0, 10.0, true), plan("b", 6.0, 10.0, true)];
    let logged = [vec![figure(1, "gdp", "2020Q2", 6.0)], vec![figure(2, "revenue", "2020-08", 6.0)]];
    let family: Vec<Member> =
        plans.iter().zip(&logged).map(|(plan, list)| Member { plan, figures: list.iter().collect() }).collect();
    assert_eq!(default_as_of(&family), Some("2020-08".parse().unwrap()));
    assert_eq!(default_as_of(&family[..1]), Some("2020Q2".parse().unwrap()));
    assert_eq!(default_as_of(&[Member { plan: &plans[0], figures: Vec::new() }]), None);
}
