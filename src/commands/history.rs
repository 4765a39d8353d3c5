//! `ontrack history TARGET [--as-recorded DATE]`: every figure and revision of a
//! target with its provenance, optionally as it stood at an earlier moment.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::actual::{current_figures, Actual};
use crate::cli::HistoryArgs;
use chrono::{DateTime, Utc};

use crate::escape;
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::output::{csv_bytes, csv_from_records, json_bytes, table, write_output, ListFormat};
use crate::present;
use crate::review::{FigureEvent, FigureState, FigureStates};
use crate::time::timestamp;
use crate::validate::FigureProblem;

/// The fields of [`HistoryRow`], in order.
const HISTORY_FIELDS: [&str; 17] = [
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
    "state",
    "state_by",
    "state_reason",
    "late",
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
    /// Its review state (as known at the moment), who set it and why: a returned
    /// figure's reason is what the unit needs to see.
    state: &'static str,
    state_by: Option<&'a str>,
    state_reason: Option<&'a str>,
    /// Whether it was logged after its deadline (`[deadlines] days_after_period`).
    late: bool,
}

pub fn run(context: &Context, args: HistoryArgs) -> Result<()> {
    run_into(context, args, |bytes| write_output(bytes, None))
}

/// `run`, handing the finished bytes to `sink` (stdout for the command, the web
/// desk's target page).
pub fn run_into(context: &Context, args: HistoryArgs, sink: impl FnOnce(&[u8]) -> Result<()>) -> Result<()> {
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
    let states = store.figure_states(&plan.id)?;
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
            state: states.state_of(a.id, known_at).as_str(),
            state_by: states.last_event(a.id, known_at).map(|e| e.by.as_str()),
            state_reason: states.last_event(a.id, known_at).and_then(|e| e.reason.as_deref()),
            late: crate::deadline::is_late_in(&plan, a.period, a.recorded_at),
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
                let moment = present::moment_to_second(moment, plan.timezone, lang);
                text.push_str(&present::commands::as_recorded_at(&moment, lang));
                text.push('\n');
            }
            if rows.is_empty() {
                text.push_str(present::commands::no_figures_yet(lang));
                text.push('\n');
            } else {
                let headers = present::commands::history_headers(lang);
                // On the plan's clock with the zone named (JSON and CSV keep UTC).
                let recorded: BTreeMap<i64, String> =
                    ordered.iter().map(|a| (a.id, present::moment(a.recorded_at, plan.timezone, lang))).collect();
                let cells = rows.iter().map(|r| {
                    vec![
                        crate::present::with_late_mark(&r.period, r.late, lang),
                        format_number(r.value),
                        r.revision.to_string(),
                        if r.current { "✓".to_string() } else { String::new() },
                        state_name(r.state, lang).to_string(),
                        r.source.unwrap_or_default().to_string(),
                        r.by.to_string(),
                        if r.set_clock {
                            format!("{} {}", recorded[&r.id], present::commands::set_clock(lang))
                        } else {
                            recorded[&r.id].clone()
                        },
                        r.note.unwrap_or_default().to_string(),
                        r.reason.unwrap_or_default().to_string(),
                        r.id.to_string(),
                    ]
                });
                text.push_str(&format!("{}\n", table(&headers, cells)));
                text.push_str(&events_text(&ordered, &states, known_at, plan.timezone, lang));
            }
            text.into_bytes()
        }
    };
    sink(&bytes)
}

fn state_name(state: &str, lang: Lang) -> &'static str {
    crate::present::figure_state(FigureState::parse(state).unwrap_or(FigureState::Submitted), lang)
}

/// The review events of these figures, oldest first: `#12 2020Q3 已报送 → 已退回 王 2020-10-21T… 口径不对`.
fn events_text(
    figures: &[&Actual],
    states: &FigureStates,
    known_at: Option<DateTime<Utc>>,
    zone: crate::time::PlanZone,
    lang: Lang,
) -> String {
    let mut events: Vec<&FigureEvent> = figures
        .iter()
        .flat_map(|a| states.events_of(a.id))
        .filter(|e| known_at.is_none_or(|moment| e.at <= moment))
        .collect();
    if events.is_empty() {
        return String::new();
    }
    events.sort_by_key(|e| e.id);
    let period_of = |id: i64| figures.iter().find(|a| a.id == id).map(|a| a.period.label()).unwrap_or_default();
    let mut text = lang.pick("审核记录：\n", "review events:\n").to_string();
    for e in events {
        let (from, to) = (crate::present::figure_state(e.from, lang), crate::present::figure_state(e.to, lang));
        let line = format!(
            "  #{} {} {from} → {to}  {} {}{}{}",
            e.figure,
            period_of(e.figure),
            e.by,
            present::moment(e.at, zone, lang),
            if e.set_clock { lang.pick("（设定时钟）", " (set clock)") } else { "" },
            e.reason.as_deref().map(|r| format!("  {r}")).unwrap_or_default(),
        );
        text.push_str(&escape::terminal(&line));
        text.push('\n');
    }
    text
}
