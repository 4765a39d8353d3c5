//! `plan next`'s core: next year's plan file drafted from this year's plan. Same codes,
//! sections, units, lead units, kinds and comparisons; due periods and planned paths
//! moved to the new year; stock (level) baselines from this year's last approved figures;
//! every value but a milestone's left out, with a `# fill in:` comment, so the file
//! is refused by `plan import` (naming each target whose value is missing) until it
//! is filled in. Pure: the closing figures come in.

use super::file::export_plan;
use super::{Kind, Measure, PeriodKey, Plan};
use crate::actual::Actual;
use crate::period::Period;
use crate::present::figure;

/// The comment that stands where a value is to be filled in.
pub const FILL_IN: &str = "# fill in: value = ";

/// The id of next year's plan: this year's with its year replaced (`jinshui-2020` →
/// `jinshui-2021`), else with the year added.
pub fn next_id(id: &str, from: i32, to: i32) -> String {
    let year = from.to_string();
    if id.contains(&year) {
        id.replacen(&year, &to.to_string(), 1)
    } else {
        format!("{id}-{to}")
    }
}

/// The draft plan file for `year` from `plan`. `closing(code)` is the approved figure
/// a target's year closed with (its baseline next year, for stocks).
pub fn draft_next<'a>(plan: &Plan, year: i32, closing: impl Fn(&str) -> Option<&'a Actual>) -> String {
    let mut draft = plan.clone();
    draft.id = next_id(&plan.id, plan.year, year);
    draft.year = year;
    draft.source = None;
    let mut reviews: Vec<Vec<String>> = Vec::new();
    let mut fill_ins: Vec<Option<String>> = Vec::new();
    draft.edit_targets(|targets| {
        for target in targets.iter_mut() {
            let mut notes = Vec::new();
            target.due = target.due.and_then(|due| Period::new(year, due.span()));
            target.planned = std::mem::take(&mut target.planned)
                .into_iter()
                .filter_map(|(PeriodKey(period), share)| {
                    Period::new(year, period.span()).map(|p| (PeriodKey(p), share))
                })
                .collect();
            if !target.planned.is_empty() {
                notes.push(format!("planned path moved from {}: check the shares", plan.year));
            }
            let last = closing(&target.code);
            let stock = matches!(target.kind, Kind::Count | Kind::Amount) && target.measure == Some(Measure::Level);
            if stock {
                match last {
                    Some(figure_closing) => {
                        target.baseline = Some(figure_closing.value);
                        notes.push(format!(
                            "baseline {} = the approved figure for {} (the last approved of {})",
                            figure(figure_closing.value, &target.unit),
                            figure_closing.period.label(),
                            plan.year
                        ));
                    }
                    None => {
                        target.baseline = None;
                        notes.push(format!("no approved figure in {}: set the baseline", plan.year));
                    }
                }
            }
            notes.push(format!("quote, name and lead_unit are {}'s: check them against {year}'s report", plan.year));
            let goal = format!("{} goal {}", plan.year, figure(target.value, &target.unit));
            let last_text = last.map_or(String::new(), |f| {
                format!("; last approved figure {} {}", f.period.label(), figure(f.value, &target.unit))
            });
            fill_ins.push((target.kind != Kind::Milestone).then(|| format!("{FILL_IN}? ({goal}{last_text})")));
            reviews.push(notes);
        }
    });
    render(&draft, plan, &reviews, &fill_ins)
}

fn render(draft: &Plan, from: &Plan, reviews: &[Vec<String>], fill_ins: &[Option<String>]) -> String {
    let mut out = format!(
        "# Draft of plan {} ({}) made by `ontrack plan next` from plan {} ({}).\n\
         # Fill in every target's value (the lines `# fill in:`) and check the lines `# review:`;\n\
         # `ontrack plan import` refuses this file while a value is missing.\n\n",
        draft.id, draft.year, from.id, from.year
    );
    let exported = export_plan(draft);
    let mut pieces = exported.split("\n[[targets]]\n");
    out.push_str(pieces.next().unwrap_or_default());
    for ((piece, notes), fill_in) in pieces.zip(reviews).zip(fill_ins) {
        out.push('\n');
        for note in notes {
            out.push_str(&format!("# review: {}\n", note.replace(['\n', '\r'], " ")));
        }
        out.push_str("[[targets]]\n");
        for line in piece.split_inclusive('\n') {
            match fill_in {
                Some(fill_in) if line.starts_with("value = ") => {
                    out.push_str(&fill_in.replace(['\n', '\r'], " "));
                    out.push('\n');
                }
                _ => out.push_str(line),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;

    #[test]
    fn ids_take_the_new_year() {
        assert_eq!(next_id("jinshui-2020", 2020, 2021), "jinshui-2021");
        assert_eq!(next_id("district", 2020, 2021), "district-2021");
    }

    #[test]
    fn the_draft_is_refused_until_each_value_is_filled_in() {
        let mut plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        plan.edit_targets(|targets| {
            let roads = targets.iter_mut().find(|t| t.code == "new-roads").unwrap();
            roads.due = Some("2020Q3".parse().unwrap());
            roads.planned = [("2020Q2", 0.4), ("2020Q3", 1.0)]
                .into_iter()
                .map(|(period, share)| (PeriodKey(period.parse().unwrap()), share))
                .collect();
        });
        let stock = plan.targets().iter().find(|t| t.measure == Some(Measure::Level)).unwrap();
        let closing = Actual {
            id: 1,
            target: Arc::from(stock.code.as_str()),
            // Below this year's value, so the value written back (116) is a rise from it.
            period: "2020Q4".parse().unwrap(),
            value: 110.0,
            source: None,
            recorded_by: Arc::from("x"),
            recorded_at: chrono::Utc::now(),
            note: None,
            revises: None,
            reason: None,
        };
        let text = draft_next(&plan, 2021, |code| (code == stock.code).then_some(&closing));
        let error = parse_plan(&text, "next.toml").unwrap_err();
        let valued = plan.targets().iter().filter(|t| t.kind != Kind::Milestone).count();
        assert_eq!(error.problems.len(), valued, "{error}");
        assert!(error.problems.iter().all(|p| p.field.as_deref() == Some("value")), "{error}");
        // Filled in: every value written back (here this year's), the file loads.
        let mut values = plan.targets().iter().filter(|t| t.kind != Kind::Milestone).map(|t| t.value);
        let filled: String = text
            .split_inclusive('\n')
            .map(|line| {
                if line.starts_with(FILL_IN) {
                    format!("value = {}\n", values.next().unwrap())
                } else {
                    line.to_string()
                }
            })
            .collect();
        let next = parse_plan(&filled, "filled.toml").unwrap();
        assert_eq!((next.id.as_str(), next.year, next.source.as_deref()), ("jinshui-2021", 2021, None));
        assert_eq!(next.targets().len(), plan.targets().len());
        for (old, new) in plan.targets().iter().zip(next.targets()) {
            assert_eq!(
                (&old.code, &old.section, &old.unit, &old.lead_unit),
                (&new.code, &new.section, &new.unit, &new.lead_unit)
            );
            assert_eq!((old.kind, old.cmp, old.value), (new.kind, new.cmp, new.value));
            assert_eq!(old.due.map(|d| d.span()), new.due.map(|d| d.span()));
            assert!(new.due.is_none_or(|d| d.year() == 2021));
            assert!(new.planned.keys().all(|k| k.0.year() == 2021));
            assert_eq!(old.planned.values().collect::<Vec<_>>(), new.planned.values().collect::<Vec<_>>());
        }
        assert_eq!(next.target(&stock.code).unwrap().baseline, Some(110.0));
        let roads = next.target("new-roads").unwrap();
        assert_eq!(roads.due, Some("2021Q3".parse().unwrap()));
        let planned: Vec<(String, f64)> = roads.planned.iter().map(|(k, v)| (k.0.label(), *v)).collect();
        assert_eq!(planned, [("2021Q2".to_string(), 0.4), ("2021Q3".to_string(), 1.0)]);
        assert!(
            text.contains(&format!(
                "# review: baseline 110 {} = the approved figure for 2020Q4 (the last approved of 2020)",
                stock.unit
            )),
            "{text}"
        );
    }
}
