//! `ontrack status`: where every target stands at an as-of period (docs/status-rules.md),
//! as a supervision office's progress sheet, or as JSON/CSV rows.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal as _, Write};

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::Context;
use crate::cli::{OnlyFilter, StatusArgs};
use crate::escape;
use crate::lang::{Lang, Text};
use crate::output::{csv_from_records, stream_output_new, write_csv, write_json_rows, Colour, ListFormat, TextTable};
use crate::plan::{Plan, Target};
use crate::present;
use crate::status::{evaluate, PlanStatus, Status, StatusRow, StatusRows, TargetStatus};

pub fn run(context: &Context, args: StatusArgs) -> Result<()> {
    // Written as it is made, a block of rows (or a section of the sheet) at a time: a
    // province's status is 100 MB of JSON, more than the rest of the command holds.
    stream_output_new(None, false, context.lang, |sink| run_into(context, args, sink))
}

/// `run`, writing into `sink` (stdout for the command, the answer of the web desk's
/// `/api/v1/status`).
pub fn run_into(context: &Context, args: StatusArgs, sink: &mut dyn Write) -> Result<()> {
    let (plan, actuals, states, which) = super::plan_and_actuals(context, args.plan.plan.as_deref(), &args.when)?;
    super::check_section(&plan, args.section.as_deref(), context.lang)?;
    let purpose = Text::new("报告", "report on");
    let (figures, as_of) = super::figures_as_of(&plan, &actuals, &states, which, &purpose, context.lang)?;
    let mut status = evaluate(&plan, &figures, as_of);
    status.targets.retain(|evaluated| {
        let target = plan.target(&evaluated.code);
        let in_section = args.section.as_ref().is_none_or(|s| target.is_some_and(|t| &t.section == s));
        let wanted = match args.only {
            None => true,
            Some(OnlyFilter::Behind) => evaluated.status.is_behind(),
            Some(OnlyFilter::Overdue) => evaluated.overdue,
        };
        in_section && wanted
    });
    let lang = context.lang;
    {
        match args.format.format {
            ListFormat::Json => {
                let rows = StatusRows::new(&plan, &status, &figures, lang);
                write_json_rows(status.targets.chunks(ROWS_AT_ONCE).map(|block| rows.rows(block)), sink)?;
            }
            ListFormat::Csv if status.targets.is_empty() => {
                let headers: Vec<String> = StatusRow::FIELDS.iter().map(|f| f.to_string()).collect();
                sink.write_all(&csv_from_records(&headers, []))?;
            }
            ListFormat::Csv => {
                let rows = StatusRows::new(&plan, &status, &figures, lang);
                write_csv(status.targets.chunks(ROWS_AT_ONCE).flat_map(|block| rows.rows(block)), sink)?;
            }
            ListFormat::Table => {
                let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                let late = late_figures(&plan, &status, &figures);
                let returned = returned_notes(&plan, &actuals, &states, which.as_recorded, as_of, lang);
                sheet(&plan, &status, &late, &returned, which.as_recorded, lang, colour, sink)?;
            }
        }
    }
    super::free_at_exit((status, figures));
    super::free_at_exit((actuals, plan));
    Ok(())
}

/// How many rows of JSON or CSV are made before they are written.
const ROWS_AT_ONCE: usize = 4096;

/// The ids of the figures the status was judged on that were logged after their
/// deadline (only those: every figure of a province's year may be late).
fn late_figures(plan: &Plan, status: &PlanStatus, figures: &[&crate::actual::Actual]) -> HashSet<i64> {
    let judged: HashSet<i64> = status.targets.iter().filter_map(|t| t.figure).collect();
    figures
        .iter()
        .filter(|f| judged.contains(&f.id) && crate::deadline::is_late_in(plan, f.period, f.recorded_at))
        .map(|f| f.id)
        .collect()
}

/// Per target code, a note for each standing figure of a window up to `as_of` that the
/// office returned (as known at `known_at`), with who returned it, when and why.
fn returned_notes(
    plan: &Plan,
    actuals: &[crate::actual::Actual],
    states: &crate::review::FigureStates,
    known_at: Option<DateTime<Utc>>,
    as_of: crate::period::Period,
    lang: Lang,
) -> HashMap<String, Vec<String>> {
    let mut notes: HashMap<String, Vec<String>> = HashMap::new();
    for figure in crate::actual::current_figures(actuals, known_at) {
        if figure.period.year() != plan.year || figure.period.end_key() > as_of.end_key() {
            continue;
        }
        let Some(event) = states.last_event(figure.id, known_at) else { continue };
        let Some(target) = plan.target(&figure.target) else { continue };
        if event.to != crate::review::FigureState::Returned {
            continue;
        }
        let note = present::sheet::returned_note(
            lang.name(&target.name, Some(&target.name_en)),
            &present::period(figure.period, lang),
            &present::figure(figure.value, &target.unit),
            &event.by,
            &present::moment(event.at, plan.timezone, lang),
            event.reason.as_deref().unwrap_or_default(),
            lang,
        );
        notes.entry(target.code.clone()).or_default().push(note);
    }
    notes
}

/// The progress sheet: a title, one table per section, counts by status, written to
/// `sink` a section at a time. `late` holds the ids of the figures logged after their
/// deadline; `returned` the notes of returned figures by target code, shown under
/// their section.
#[allow(clippy::too_many_arguments)]
fn sheet(
    plan: &Plan,
    status: &PlanStatus,
    late: &HashSet<i64>,
    returned: &HashMap<String, Vec<String>>,
    as_recorded: Option<DateTime<Utc>>,
    lang: Lang,
    colour: bool,
    sink: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = String::new();
    let org = lang.name(&plan.org, plan.org_en.as_deref());
    let as_of = present::period(status.as_of, lang);
    out.push_str(&escape::terminal(&present::sheet::title(org, plan.year, &plan.id, &as_of, lang)));
    if let Some(moment) = as_recorded {
        let moment = present::moment_to_second(moment, plan.timezone, lang);
        out.push_str(&present::sheet::as_recorded(&moment, lang));
    }
    out.push('\n');
    let mut by_section: HashMap<&str, Vec<(&Target, &TargetStatus)>> = HashMap::new();
    for evaluated in &status.targets {
        if let Some(target) = plan.target(&evaluated.code) {
            by_section.entry(target.section.as_str()).or_default().push((target, evaluated));
        }
    }
    for section in &plan.sections {
        let Some(rows) = by_section.get(section.id.as_str()) else { continue };
        sink.write_all(out.as_bytes())?;
        out.clear();
        let title = lang.name(&section.title, section.title_en.as_deref());
        out.push_str(&format!("\n{} {}\n", section.id, escape::terminal(title)));
        out.push_str(&section_table(plan, rows, late, lang, colour).to_string());
        out.push('\n');
        for note in rows.iter().filter_map(|(target, evaluated)| first_figure_note(target, evaluated, lang)) {
            out.push_str(&escape::terminal(&note));
            out.push('\n');
        }
        for note in rows.iter().filter_map(|(target, _)| returned.get(&target.code)).flatten() {
            out.push_str(&escape::terminal(note));
            out.push('\n');
        }
    }
    if status.targets.is_empty() {
        out.push_str(&format!("\n{}\n", present::sheet::no_match(lang)));
    }
    out.push('\n');
    out.push_str(&counts_line(status, lang));
    out.push('\n');
    sink.write_all(out.as_bytes())
}

fn section_table(
    plan: &Plan,
    rows: &[(&Target, &TargetStatus)],
    late: &HashSet<i64>,
    lang: Lang,
    colour: bool,
) -> TextTable {
    let mut table = TextTable::new(&present::sheet::headers(lang));
    let lines = crate::parallel::map_chunks(rows, crate::parallel::ROWS_PER_THREAD, |part| {
        part.iter().map(|(target, evaluated)| row_cells(plan, target, evaluated, late, lang, colour)).collect()
    });
    for cells in lines {
        table.add_coloured_row(cells);
    }
    table
}

/// One line of the progress sheet.
fn row_cells(
    plan: &Plan,
    target: &Target,
    evaluated: &TargetStatus,
    late: &HashSet<i64>,
    lang: Lang,
    colour: bool,
) -> [(String, Option<Colour>); 10] {
    let is_late = evaluated.figure.is_some_and(|id| late.contains(&id));
    let plain = |text: String| (text, None);
    let status_colour = colour.then(|| status_colour(evaluated.status));
    let overdue_colour = (colour && evaluated.overdue).then_some(Colour::Red);
    let ytd = target.is_year_to_date();
    [
        plain(target.code.clone()),
        plain(lang.name(&target.name, Some(&target.name_en)).to_string()),
        plain(match evaluated.related_actual {
            // What "in step" means this period: the related target's figure.
            Some(related) => present::goal_now(&present::goal(plan, target, lang), related, lang),
            None => present::goal(plan, target, lang),
        }),
        plain(evaluated.actual.map(|a| present::figure(a, &target.unit)).unwrap_or_default()),
        plain(
            evaluated
                .period
                .map(|p| present::with_late_mark(&present::target_period(p, ytd, lang), is_late, lang))
                .unwrap_or_default(),
        ),
        plain(evaluated.gap.map(|gap| present::gap(gap, &target.unit, lang)).unwrap_or_default()),
        plain(match (evaluated.progress, evaluated.pace, evaluated.first_figure()) {
            (Some(progress), Some(pace), None) => present::progress_pace_cell(progress, pace),
            (Some(progress), Some(pace), Some(_)) => {
                format!("{} {}", present::progress_pace_cell(progress, pace), present::FIRST_FIGURE_MARK)
            }
            _ => String::new(),
        }),
        plain(
            evaluated
                .needed_per_period
                .map(|n| present::needed(n, &target.unit, target.frequency, lang))
                .unwrap_or_default(),
        ),
        (present::status_with_strive(evaluated.status, evaluated.strive_met, lang), status_colour),
        (overdue_text(target, evaluated, lang), overdue_colour),
    ]
}

/// The note below a section's table for a progress marked as measured from a first
/// figure: `* 在孵企业(项目)：以首个数据 2750 家（2020年一季度）为基数`.
fn first_figure_note(target: &Target, evaluated: &TargetStatus, lang: Lang) -> Option<String> {
    let (value, period) = evaluated.first_figure()?;
    let name = lang.name(&target.name, Some(&target.name_en));
    let from = present::from_first_figure(value, &target.unit, period, lang);
    Some(format!("{} {name}{}{from}", present::FIRST_FIGURE_MARK, lang.pick("：", ": ")))
}

fn overdue_text(target: &Target, evaluated: &TargetStatus, lang: Lang) -> String {
    match (evaluated.overdue, evaluated.due_for) {
        (true, Some(due)) => present::overdue_for(due, target.is_year_to_date(), lang),
        _ => String::new(),
    }
}

/// Green, green-yellow, green, yellow, red, red, grey (docs/status-rules.md).
fn status_colour(status: Status) -> Colour {
    match status {
        Status::Met | Status::OnTrack => Colour::Green,
        Status::NearlyMet => Colour::YellowGreen,
        Status::AtRisk => Colour::Yellow,
        Status::OffTrack | Status::Missed => Colour::Red,
        Status::NoData => Colour::Grey,
    }
}

/// `共 50 项：已完成 2 · 基本完成 0 · … · 无数据 39；未报送 12`
fn counts_line(status: &PlanStatus, lang: Lang) -> String {
    let (counts, overdue) = status.counts();
    let parts: Vec<String> =
        Status::ALL.iter().zip(counts).map(|(s, n)| format!("{} {n}", present::status(*s, lang))).collect();
    let mark = present::overdue(lang);
    present::sheet::counts(status.targets.len(), &parts.join(" · "), mark, overdue, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actual::Actual;
    use crate::plan::file::parse_plan;

    fn sheet_for(colour: bool) -> String {
        let plan = parse_plan(
            "[plan]\nid = \"t-2020\"\norg = \"测试区\\u001b[2J\"\nyear = 2020\n[sections]\nmain = \"主要\"\n\
             [[targets]]\ncode = \"roads\"\nsection = \"main\"\nname = \"道路\"\nkind = \"count\"\n\
             cmp = \"reach\"\nvalue = 92\nunit = \"条\"\nfrequency = \"month\"\nquote = \"q\"\n",
            "t",
        )
        .unwrap();
        let figure = Actual {
            id: 1,
            target: "roads".into(),
            period: "2020-08".parse().unwrap(),
            value: 10.0,
            source: None,
            recorded_by: "t".into(),
            recorded_at: "2020-09-01T00:00:00Z".parse().unwrap(),
            note: None,
            revises: None,
            reason: None,
        };
        let status = evaluate(&plan, &[&figure], "2020Q3".parse().unwrap());
        let mut bytes = Vec::new();
        sheet(&plan, &status, &HashSet::new(), &HashMap::new(), None, Lang::Zh, colour, &mut bytes).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn colour_only_when_asked_and_never_from_plan_text() {
        let plain = sheet_for(false);
        assert!(!plain.contains('\u{1b}'), "{plain}");
        assert!(plain.contains("滞后") && plain.contains("未报送（2020年1-9月）"), "{plain}");
        let coloured = sheet_for(true);
        assert!(coloured.contains("\u{1b}["), "status cells are coloured on a terminal");
        assert!(!coloured.contains("\u{1b}[2J"), "text from the plan cannot drive the terminal");
    }
}
