//! `ontrack history TARGET [--as-recorded DATE]`: every figure and revision of a
//! target with its provenance, optionally as it stood at an earlier moment.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::actual::{current_figures, Actual};
use crate::cli::HistoryArgs;
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::output::{csv_bytes, csv_from_records, json_bytes, table, terminal_safe, write_output, ListFormat};
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
    let known_at = args.as_recorded.map(|moment| moment.resolve(plan.timezone));
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
            let mut text = terminal_safe(&format!("{} {name} ({})", target.code, target.unit));
            text.push('\n');
            if let Some(moment) = known_at {
                let moment = present::moment_to_second(moment, plan.timezone, lang);
                text.push_str(&match lang {
                    Lang::Zh => format!("截至 {moment} 已登记的数据\n"),
                    Lang::En => format!("as recorded at {moment}\n"),
                });
            }
            if rows.is_empty() {
                text.push_str(lang.pick("尚无数据\n", "no figures yet\n"));
            } else {
                let headers = lang.pick_all(
                    &["期间", "数值", "版本", "现行", "来源", "填报人", "登记时间", "备注", "修订原因", "编号"],
                    &["period", "value", "revision", "current", "source", "by", "recorded", "note", "reason", "id"],
                );
                // On the plan's clock with the zone named (JSON and CSV keep UTC).
                let recorded: BTreeMap<i64, String> =
                    ordered.iter().map(|a| (a.id, present::moment(a.recorded_at, plan.timezone, lang))).collect();
                let cells = rows.iter().map(|r| {
                    vec![
                        r.period.clone(),
                        format_number(r.value),
                        r.revision.to_string(),
                        if r.current { "✓".to_string() } else { String::new() },
                        r.source.unwrap_or_default().to_string(),
                        r.by.to_string(),
                        if r.set_clock {
                            format!("{} {}", recorded[&r.id], lang.pick("（设定时钟）", "(set clock)"))
                        } else {
                            recorded[&r.id].clone()
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
