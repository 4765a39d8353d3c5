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
use crate::review::counting_figures;
use crate::status::{evaluate_targets, PlanStatus, Status, StatusRow, StatusRows, TargetStatus};

pub fn run(context: &Context, args: StatusArgs) -> Result<()> {
    // Written as it is made, a block of rows (or a section of the sheet) at a time: a
    // province's status is 100 MB of JSON, more than the rest of the command holds.
    stream_output_new(None, false, context.lang, |sink| run_into(context, args, sink))
}

/// `run`, writing into `sink` (stdout for the command, the answer of the web desk's
/// `/api/v1/status`).
pub fn run_into(context: &Context, args: StatusArgs, sink: &mut dyn Write) -> Result<()> {
    run_in_blocks(context, args, sink, TARGETS_AT_ONCE)
}

/// `run_into`, evaluating `targets_at_once` targets at a time.
fn run_in_blocks(context: &Context, args: StatusArgs, sink: &mut dyn Write, targets_at_once: usize) -> Result<()> {
    let store = context.open_read()?;
    let id = store.resolve_plan_id(args.plan.plan.as_deref())?;
    let read = super::PlanInBlocks::open(&store, &id, &args.when, context.now)?;
    let plan = &read.plan;
    super::check_section(plan, args.section.as_deref(), context.lang)?;
    let as_of = read.as_of(&Text::new("报告", "report on"), context.lang)?;
    let lang = context.lang;
    let wanted = |evaluated: &TargetStatus| {
        let target = plan.target(&evaluated.code);
        let in_section = args.section.as_ref().is_none_or(|s| target.is_some_and(|t| &t.section == s));
        in_section
            && match args.only {
                None => true,
                Some(OnlyFilter::Behind) => evaluated.status.is_behind(),
                Some(OnlyFilter::Overdue) => evaluated.overdue,
            }
    };
    // The plan is evaluated a block of targets at a time, from that block's figures:
    // a province's 1.2M figures are never held at once (BENCHMARKS.md).
    let mut failed = None;
    let blocks = plan.targets().chunks(targets_at_once).map_while(|block| {
        let evaluated = (|| -> Result<Block> {
            let actuals = read.figures_of(block)?;
            let figures = counting_figures(&actuals, &read.states, read.which.as_recorded, read.which.counting);
            let mut targets = evaluate_targets(plan, block, &figures, as_of);
            targets.retain(|t| wanted(t));
            let status = PlanStatus { as_of, targets };
            let (late, returned) = match args.format.format {
                ListFormat::Table => (
                    late_figures(plan, &status, &figures),
                    returned_notes(plan, block, &actuals, &read.states, read.which.as_recorded, as_of, lang),
                ),
                ListFormat::Json | ListFormat::Csv => Default::default(),
            };
            let rows = match args.format.format {
                ListFormat::Table => Vec::new(),
                ListFormat::Json | ListFormat::Csv => {
                    StatusRows::new(plan, &status, &figures, lang).rows(&status.targets)
                }
            };
            Ok(Block { status: status.targets, rows, late, returned })
        })();
        evaluated.map_err(|error| failed = Some(error)).ok()
    });
    match args.format.format {
        ListFormat::Json => write_json_rows(blocks.map(|block| block.rows), sink)?,
        ListFormat::Csv => {
            let mut rows = blocks.flat_map(|block| block.rows).peekable();
            if rows.peek().is_none() {
                let headers: Vec<String> = StatusRow::FIELDS.iter().map(|f| f.to_string()).collect();
                sink.write_all(&csv_from_records(&headers, []))?;
            } else {
                write_csv(rows, sink)?;
            }
        }
        ListFormat::Table => {
            let mut status = PlanStatus { as_of, targets: Vec::new() };
            let (mut late, mut returned) = (HashSet::new(), HashMap::new());
            for block in blocks {
                status.targets.extend(block.status);
                late.extend(block.late);
                returned.extend(block.returned);
            }
            if let Some(error) = failed.take() {
                return Err(error);
            }
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            sheet(plan, &status, &late, &returned, read.which.as_recorded, lang, colour, sink)?;
            super::free_at_exit(status);
        }
    }
    if let Some(error) = failed {
        return Err(error);
    }
    super::free_at_exit(read);
    Ok(())
}

/// How many targets are evaluated together: their figures are all the command holds
/// of the figures at once (some 50,000 for monthly targets).
const TARGETS_AT_ONCE: usize = 4096;

/// One block of targets, evaluated: their statuses (for the sheet) or rows (JSON,
/// CSV), and what the sheet marks of them.
struct Block {
    status: Vec<TargetStatus>,
    rows: Vec<StatusRow>,
    late: HashSet<i64>,
    returned: HashMap<String, Vec<String>>,
}

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
    block: &[Target],
    actuals: &[crate::actual::Actual],
    states: &crate::review::FigureStates,
    known_at: Option<DateTime<Utc>>,
    as_of: crate::period::Period,
    lang: Lang,
) -> HashMap<String, Vec<String>> {
    let mut notes: HashMap<String, Vec<String>> = HashMap::new();
    // `actuals` may hold figures of targets outside the block that its targets keep in step with.
    let in_block: HashSet<&str> = block.iter().map(|t| t.code.as_str()).collect();
    for figure in crate::actual::current_figures(actuals, known_at) {
        if figure.period.year() != plan.year
            || figure.period.end_key() > as_of.end_key()
            || !in_block.contains(&*figure.target)
        {
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
    use crate::status::evaluate;

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

    /// Read a block of targets at a time, the status is the status of the plan read
    /// whole, whatever the block's size: a target kept in step with one in another
    /// block, returned and approved figures, `--as-recorded`, `--approved-only`.
    #[test]
    fn blocks_of_any_size_give_the_status_of_the_whole_plan() {
        let dir = tempfile::tempdir().unwrap();
        let demo_dir = dir.path().join("demo");
        let context = Context {
            db: demo_dir.join("ontrack.db"),
            lang: Lang::Zh,
            now: "2020-11-01T00:00:00Z".parse().unwrap(),
            now_fixed: true,
            busy_timeout: std::time::Duration::from_secs(5),
        };
        let demo = crate::cli::DemoArgs { dir: demo_dir, serve: false, bind: "127.0.0.1:8080".parse().unwrap() };
        super::super::demo::run(&context, demo).unwrap();
        let mut store = crate::store::Store::open(&context.db, context.busy_timeout).unwrap();
        let (_, actuals) = store.plan_and_actuals("jinshui-2020").unwrap();
        let standing = crate::actual::current_figures(&actuals, None);
        // A figure of a target another keeps in step with is returned too: its note
        // belongs to its own target's block only.
        let plan = store.load_plan("jinshui-2020").unwrap();
        let related = plan.targets().iter().find_map(|t| t.related.clone()).unwrap();
        let returned: Vec<i64> =
            [standing[3].id, standing.iter().rev().find(|a| *a.target == *related).unwrap().id].to_vec();
        let approved: Vec<i64> = standing[10..60].iter().map(|a| a.id).filter(|id| !returned.contains(id)).collect();
        for (action, ids, reason) in [
            (crate::review::Action::Return, returned, Some("口径不符".to_string())),
            (crate::review::Action::Approve, approved, None),
        ] {
            let request = crate::store::ReviewRequest {
                plan_id: "jinshui-2020".into(),
                action,
                selection: crate::store::Selection::Figures(ids),
                by: "统计局".into(),
                reason,
                clock: crate::store::Clock::Set(context.now),
            };
            store.review(&request).unwrap();
        }
        drop(store);
        let status = |flags: &[&str], at_once: usize| {
            use clap::Parser as _;
            let cli = crate::cli::Cli::try_parse_from(["ontrack", "status"].iter().chain(flags)).unwrap();
            let crate::cli::Command::Status(args) = cli.command else { unreachable!() };
            let mut bytes = Vec::new();
            run_in_blocks(&context, args, &mut bytes, at_once).unwrap();
            String::from_utf8(bytes).unwrap()
        };
        let flag_sets: [&[&str]; 5] = [
            &["--format", "table"],
            &["--format", "json"],
            &["--format", "csv", "--approved-only"],
            &["--format", "json", "--as-recorded", "2020-08-01"],
            &["--format", "table", "--only", "behind", "--as-of", "2020Q2"],
        ];
        for flags in flag_sets {
            let whole = status(flags, usize::MAX);
            for at_once in [1, 2, 7] {
                assert_eq!(status(flags, at_once), whole, "{flags:?} {at_once} at once");
            }
        }
        // What the comparison covers: the returned figures' notes, a target in step with another.
        assert_eq!(status(&["--format", "table"], 1).matches("口径不符").count(), 2);
        assert!(status(&["--format", "json"], 1).contains("\"kind\": \"relative\""));
    }
}
