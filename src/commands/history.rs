//! `ontrack history TARGET [--as-recorded DATE]`: every figure and revision of a
//! target with its provenance, optionally as it stood at an earlier moment.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::actual::{current_figures, Actual};
use crate::cli::HistoryArgs;
use crate::escape;
use crate::numbers::format_number;
use crate::output::{csv_bytes, csv_from_records, json_bytes, table, write_output, ListFormat};
use crate::present;
use crate::time::timestamp;
use crate::validate::FigureProblem;

/// The fields of [`HistoryRow`], in order.
const HISTORY_FIELDS: [&str; 13] = [
    "target",
    "period",
    "value",
    "source",
    "by",
    "recorded_at",
    "note",
    "revision",
    "reason",
    "id",
    "revises",
    "current",
    "set_clock",
];

/// One figure as history shows it: the stable field names (listed in the README) first.
#[derive(Debug, Serialize)]
struct HistoryRow<'a> {
    target: &'a str,
    period: String,
    value: f64,
    source: Option<&'a str>,
    by: &'a str,
    recorded_at: String,
    note: Option<&'a str>,
    /// 0 for the first figure of a window, 1 for its first revision, and so on.
    revision: u32,
    reason: Option<&'a str>,
    /// The figure's id, and the id of the figure it revises.
    id: i64,
    revises: Option<i64>,
    /// Whether this is the figure that counts for its window (as known at the moment).
    current: bool,
    /// Whether `recorded_at` came from a set clock (`ONTRACK_NOW`), not the computer's.
    set_clock: bool,
}

pub fn run(context: &Context, args: HistoryArgs) -> Result<()> {
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(args.plan.plan.as_deref())?)?;
    let code = args.target.trim().to_ascii_lowercase();
    let Some(target) = plan.target(&code) else {
        bail!(FigureProblem::UnknownTarget {
            plan: plan.id.clone(),
            nearest: plan.nearest_code(&code).map(str::to_string),
            code,
        });
    };
    let known_at = args.as_recorded;
    let actuals: Vec<Actual> = store
        .actuals(&plan.id)?
        .into_iter()
        .filter(|a| *a.target == *target.code && known_at.is_none_or(|moment| a.recorded_at <= moment))
        .collect();
    let current: BTreeSet<i64> = current_figures(&actuals, known_at).iter().map(|a| a.id).collect();
    let mut revision_numbers: BTreeMap<i64, u32> = BTreeMap::new();
    for actual in &actuals {
        // Figures come in the order they were logged, so a revised figure is numbered first.
        let number = actual.revises.and_then(|id| revision_numbers.get(&id)).map_or(0, |n| n + 1);
        revision_numbers.insert(actual.id, number);
    }
    let set_clock = store.set_clock_figures(&plan.id, &target.code)?;
    let mut ordered: Vec<&Actual> = actuals.iter().collect();
    ordered.sort_by_key(|a| (a.period.end_key(), a.id));
    let rows: Vec<HistoryRow> = ordered
        .iter()
        .map(|a| HistoryRow {
            target: &a.target,
            period: a.period.label(),
            value: a.value,
            source: a.source.as_deref(),
            by: &a.recorded_by,
            recorded_at: timestamp(a.recorded_at),
            note: a.note.as_deref(),
            revision: revision_numbers[&a.id],
            reason: a.reason.as_deref(),
            id: a.id,
            revises: a.revises,
            current: current.contains(&a.id),
            set_clock: set_clock.contains(&a.id),
        })
        .collect();
    let lang = context.lang;
    let bytes = match args.format.format {
        ListFormat::Json => json_bytes(&rows),
        // Without rows there is nothing to take the header from; write it anyway.
        ListFormat::Csv if rows.is_empty() => csv_from_records(&HISTORY_FIELDS.map(String::from), []),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table => {
            let name = lang.name(&target.name, Some(&target.name_en));
            let mut text = escape::terminal(&format!("{} {name} ({})", target.code, target.unit));
            text.push('\n');
            if let Some(moment) = known_at {
                text.push_str(&present::commands::as_recorded_at(&timestamp(moment), lang));
                text.push('\n');
            }
            if rows.is_empty() {
                text.push_str(present::commands::no_figures_yet(lang));
                text.push('\n');
            } else {
                let headers = present::commands::history_headers(lang);
                let cells = rows.iter().map(|r| {
                    vec![
                        r.period.clone(),
                        format_number(r.value),
                        r.revision.to_string(),
                        if r.current { "✓".to_string() } else { String::new() },
                        r.source.unwrap_or_default().to_string(),
                        r.by.to_string(),
                        if r.set_clock {
                            format!("{} {}", r.recorded_at, present::commands::set_clock(lang))
                        } else {
                            r.recorded_at.clone()
                        },
                        r.note.unwrap_or_default().to_string(),
                        r.reason.unwrap_or_default().to_string(),
                        r.id.to_string(),
                    ]
                });
                text.push_str(&format!("{}\n", table(&headers, cells)));
            }
            text.into_bytes()
        }
    };
    write_output(&bytes, None)
}
