//! The overview of a plan: every target in one picture, grouped by section, each as a
//! dot on one scale (0 = on pace / at the goal, right = ahead), coloured by status.
//!
//! The scale puts both families of targets side by side. Accumulation kinds (counts,
//! amounts, milestones): progress minus expected pace, in points of the annual target
//! — the number the traffic-light rule reads. Threshold kinds (growth, rates, shares,
//! relative): the margin over the goal divided by the tolerance, one tolerance drawn
//! as 20 points, so a target at the edge of its tolerance sits as far left as an
//! accumulation target in the middle of its yellow band (10–30 behind). The chart says
//! so in its footnote.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::svg::{finish, Anchor, Font, Overlay};
use super::text::{self, wrap};
use super::{rgb, value_in_unit, INK, MUTED, SOFT};
use crate::escape;
use crate::lang::Lang;
use crate::numbers::format_decimals;
use crate::period::Period;
use crate::plan::{Kind, Plan, Target};
use crate::present;
use crate::status::{PlanStatus, Status, TargetStatus};

pub const WIDTH: u32 = 1000;
pub const HEIGHT_PER_ROW: u32 = 24;

const PAD: f64 = 28.0;
const SECTION_HEIGHT: f64 = 30.0;
/// The drawn range of the scale; values beyond are marked at the edge.
const X_MIN: f64 = -100.0;
const X_MAX: f64 = 60.0;
/// Points one tolerance is drawn as.
const POINTS_PER_TOLERANCE: f64 = 20.0;

/// A target's position on the common scale, or None without data.
pub fn position(target: &Target, status: &TargetStatus) -> Option<f64> {
    if status.status == Status::NoData {
        return None;
    }
    if target.kind.is_threshold() {
        let margin = status.margin?;
        let tolerance = target.tolerance();
        Some(if tolerance > 0.0 { margin / tolerance * POINTS_PER_TOLERANCE } else { margin * POINTS_PER_TOLERANCE })
    } else {
        // Behind pace is what the status was decided on: for a ceiling on a count that
        // accumulates, using less of it than pace is ahead (progress − pace would not say so).
        Some(match (status.behind, status.progress, status.pace) {
            (Some(behind), _, _) => -behind,
            (None, Some(progress), Some(pace)) => (progress - pace) * 100.0,
            _ => return None,
        })
    }
}

/// One line of the overview.
enum Row<'a> {
    Section(String),
    Target(&'a Target, &'a TargetStatus),
}

impl Row<'_> {
    /// The row's height in pixels.
    fn height(&self) -> f64 {
        match self {
            Row::Section(_) => SECTION_HEIGHT,
            Row::Target(..) => f64::from(HEIGHT_PER_ROW),
        }
    }
}

fn rows<'a>(plan: &'a Plan, status: &'a PlanStatus, lang: Lang) -> Vec<Row<'a>> {
    let mut section_ids: Vec<&str> = plan.sections.iter().map(|s| s.id.as_str()).collect();
    for target in plan.targets() {
        if !section_ids.contains(&target.section.as_str()) {
            section_ids.push(&target.section);
        }
    }
    let statuses = status.by_code();
    let mut rows = Vec::new();
    for id in section_ids {
        let members: Vec<(&Target, &TargetStatus)> = plan
            .targets()
            .iter()
            .filter(|t| t.section == id)
            .filter_map(|t| statuses.get(t.code.as_str()).map(|&s| (t, s)))
            .collect();
        if members.is_empty() {
            continue;
        }
        let title =
            plan.section(id).map_or(id.to_string(), |s| escape::xml_clean(lang.name(&s.title, s.title_en.as_deref())));
        let label = if id.len() <= 2 { format!("{id} · {title}") } else { title };
        rows.push(Row::Section(label));
        rows.extend(members.into_iter().map(|(t, s)| Row::Target(t, s)));
    }
    rows
}

/// The right-hand column: the figures behind the dot.
fn detail(plan: &Plan, target: &Target, status: &TargetStatus, as_of: Period, lang: Lang) -> String {
    if status.actual.is_none() {
        return String::new();
    }
    let mut text = if target.kind == Kind::Relative {
        match (status.actual, status.related_actual) {
            (Some(a), Some(r)) => format!("{} vs {}", value_in_unit(a, &target.unit), value_in_unit(r, &target.unit)),
            (Some(a), None) => value_in_unit(a, &target.unit),
            _ => String::new(),
        }
    } else if target.kind.is_threshold() {
        let actual = status.actual.map(|a| value_in_unit(a, &target.unit)).unwrap_or_default();
        present::figure_and_goal(&actual, &escape::xml_clean(&present::goal_words(plan, target, lang)), lang)
    } else {
        match (status.progress, status.pace) {
            (Some(used), Some(pace)) if target.is_cap() => present::used_and_pace_short(used, pace, lang),
            (Some(progress), Some(pace)) => present::done_and_pace_short(progress, pace, lang),
            _ => status.actual.map(|a| value_in_unit(a, &target.unit)).unwrap_or_default(),
        }
    };
    // The period only when it is not the as-of period (an older figure), first, so
    // that a cut line loses the pace rather than the date.
    if let Some(period) = status.period.filter(|p| p.end_key() != as_of.end_key()) {
        text = format!("{} · {text}", present::period_code(period));
    }
    text
}

/// Renders the overview of a plan's status as an SVG document.
///
/// Top to bottom: the header (overlay), the rows' bars and dots (plotters), then the
/// overlay parts placed on the plot's pixels (scale labels, row labels, the right-hand
/// column) and the footnote. The overlay is written in that order, which is the order
/// of the bytes.
pub fn render(plan: &Plan, status: &PlanStatus, lang: Lang) -> String {
    let rows = rows(plan, status, lang);
    let columns = Columns::new(lang);
    let mut overlay = Overlay::new();
    let (title, rows_top) = header(&mut overlay, plan, status, &columns);
    let footnote_lines =
        wrap(&present::chart::scale_note(POINTS_PER_TOLERANCE, lang), 12.0, f64::from(WIDTH) - 2.0 * PAD, 4);
    let layout = Layout::new(columns, rows_top, &rows, footnote_lines.len());
    let (plotted, scale, row_pixels) = plot(&rows, &layout);

    scale_labels(&mut overlay, &layout, &scale);
    for (row, cy) in rows.iter().zip(&row_pixels) {
        match row {
            Row::Section(title) => section_strip(&mut overlay, title, *cy),
            Row::Target(target, target_status) => {
                let detail = detail(plan, target, target_status, status.as_of, lang);
                target_row(&mut overlay, &layout, &scale, target, target_status, detail, *cy);
            }
        }
    }
    footnote(&mut overlay, &layout, &footnote_lines, plan, status.as_of);
    finish(&plotted, &title, &overlay)
}

/// The three columns across: target names, the scale, status and latest figure.
#[derive(Debug, Clone, Copy)]
struct Columns {
    lang: Lang,
    label_width: f64,
    plot_left: f64,
    plot_right: f64,
}

impl Columns {
    fn new(lang: Lang) -> Columns {
        // English names and Chinese figures run longer.
        let label_width = match lang {
            Lang::Zh => 230.0,
            Lang::En => 330.0,
        };
        let right_width = match lang {
            Lang::Zh => 320.0,
            Lang::En => 285.0,
        };
        Columns { lang, label_width, plot_left: PAD + label_width, plot_right: f64::from(WIDTH) - PAD - right_width }
    }
}

/// The columns and the heights down the picture.
struct Layout {
    columns: Columns,
    rows_top: f64,
    rows_bottom: f64,
    /// The rows' total height: the plot's y range, one unit a pixel.
    body_height: f64,
    footnote_top: f64,
    height: f64,
}

impl Layout {
    fn new(columns: Columns, rows_top: f64, rows: &[Row<'_>], footnote_lines: usize) -> Layout {
        let body_height: f64 = rows.iter().map(Row::height).sum();
        let rows_bottom = rows_top + body_height;
        let footnote_top = rows_bottom + 30.0;
        let height = (footnote_top + footnote_lines as f64 * 18.0 + 36.0).ceil();
        Layout { columns, rows_top, rows_bottom, body_height, footnote_top, height }
    }
}

/// The header: title, as-of period, counts by status, then the column headings.
/// Returns the title (also the document's `<title>`) and where the rows start.
fn header(overlay: &mut Overlay, plan: &Plan, status: &PlanStatus, columns: &Columns) -> (String, f64) {
    let (lang, width) = (columns.lang, f64::from(WIDTH));
    let org = escape::xml_clean(lang.name(&plan.org, plan.org_en.as_deref()));
    let title = present::chart::overview_title(&org, plan.year, lang);
    let mut y = 24.0;
    for line in wrap(&title, 22.0, width - 2.0 * PAD, 2) {
        y += 28.0;
        overlay.text(PAD, y, Font::new(22.0, INK).bold(), &line);
    }
    let subtitle = present::chart::overview_subtitle(
        &present::period(status.as_of, lang),
        &present::period_code(status.as_of),
        status.targets.len(),
        lang,
    );
    y += 24.0;
    overlay.text(PAD, y, Font::new(14.0, SOFT), &subtitle);
    y = counts(overlay, status, lang, y + 28.0);

    // Column headings, above the scale's tick labels.
    y += 34.0;
    let [targets, detail] = present::chart::overview_columns(lang);
    overlay.text(PAD, y, Font::new(13.0, SOFT).bold(), targets);
    overlay.text(columns.plot_right + 14.0, y, Font::new(13.0, SOFT).bold(), detail);
    (title, y + 26.0)
}

/// One chip per status with its count, then the overdue count, wrapping to a new
/// line when the width runs out. Returns the baseline of the last line.
fn counts(overlay: &mut Overlay, status: &PlanStatus, lang: Lang, mut y: f64) -> f64 {
    let width = f64::from(WIDTH);
    let (counts, overdue) = status.counts();
    let mut x = PAD;
    for (status_kind, count) in Status::ALL.iter().zip(counts) {
        let label = format!("{} {count}", present::status(*status_kind, lang));
        let chip = 16.0 + text::width(&label, 14.0) + 18.0;
        if x + chip > width - PAD {
            x = PAD;
            y += 24.0;
        }
        overlay.circle(x + 6.0, y - 5.0, 6.0, status_kind.colour(), "none");
        overlay.text(x + 16.0, y, Font::new(14.0, INK), &label);
        x += chip;
    }
    let overdue_label = format!("{} {overdue}", present::overdue(lang));
    overlay.rect(x, y - 11.0, 12.0, 12.0, 2.0, "#FFFFFF", "#616161", 1.0);
    overlay.text(x + 16.0, y, Font::new(14.0, INK), &overdue_label);
    y
}

/// The scale's ticks as (value, pixel x), from plotters' own coordinates.
struct Scale {
    ticks: Vec<(f64, f64)>,
}

impl Scale {
    /// The pixel x of any value, between the first and last tick.
    fn pixel(&self, value: f64) -> f64 {
        let (lo, hi) = (self.ticks[0], self.ticks[self.ticks.len() - 1]);
        lo.1 + (value - lo.0) / (hi.0 - lo.0) * (hi.1 - lo.1)
    }
}

/// The scale's plotting area: the scale across, the rows' pixels up.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The part plotters draws: the vertical grid, the zero line, each target's bar and
/// dot. Returns plotters' SVG, the scale's pixels and each row's centre in pixels.
fn plot(rows: &[Row<'_>], layout: &Layout) -> (String, Scale, Vec<f64>) {
    let width = f64::from(WIDTH);
    let body_height = layout.body_height;
    let mut plotted = String::new();
    let tick_pixels: Vec<(f64, f64)>;
    let row_pixels: Vec<f64>;
    {
        let root = SVGBackend::with_string(&mut plotted, (WIDTH, layout.height as u32)).into_drawing_area();
        root.fill(&WHITE).expect("drawing into a String cannot fail");
        let area = root.margin(
            layout.rows_top as i32,
            (layout.height - layout.rows_bottom) as i32,
            layout.columns.plot_left as i32,
            (width - layout.columns.plot_right) as i32,
        );
        let ticks: Vec<f64> = (0..=8).map(|i| X_MIN + 20.0 * f64::from(i)).collect();
        let mut plot = ChartBuilder::on(&area)
            .build_cartesian_2d(X_MIN..X_MAX, 0.0..body_height.max(1.0))
            .expect("a finite, non-empty range");
        plot.configure_mesh()
            .disable_y_mesh()
            .x_labels(ticks.len())
            .bold_line_style(rgb("#E0E0E0"))
            .light_line_style(TRANSPARENT)
            .axis_style(TRANSPARENT)
            .draw()
            .expect("drawing into a String cannot fail");
        plot.draw_series([PathElement::new(vec![(0.0, 0.0), (0.0, body_height)], rgb("#455A64").stroke_width(2))])
            .expect("drawing into a String cannot fail");
        row_pixels = draw_rows(&mut plot, rows, body_height);
        tick_pixels = ticks.iter().map(|t| (*t, f64::from(plot.backend_coord(&(*t, 0.0)).0))).collect();
        root.present().expect("drawing into a String cannot fail");
    }
    (plotted, Scale { ticks: tick_pixels }, row_pixels)
}

/// Each target's bar from 0 and its dot; returns every row's centre in pixels.
fn draw_rows(plot: &mut Plot<'_, '_>, rows: &[Row<'_>], body_height: f64) -> Vec<f64> {
    let mut row_pixels = Vec::with_capacity(rows.len());
    // Rows from the top: the y coordinate counts up from the bottom.
    let mut offset = 0.0;
    for row in rows {
        let h = row.height();
        let centre = body_height - offset - h / 2.0;
        offset += h;
        row_pixels.push(f64::from(plot.backend_coord(&(0.0, centre)).1));
        let Row::Target(target, target_status) = row else { continue };
        let Some(value) = position(target, target_status) else { continue };
        let colour = rgb(target_status.status.colour());
        // Beyond the scale: the bar runs to the edge and the overlay adds a triangle.
        let shown = value.clamp(X_MIN, X_MAX);
        plot.draw_series([PathElement::new(vec![(0.0, centre), (shown, centre)], colour.mix(0.55).stroke_width(4))])
            .expect("drawing into a String cannot fail");
        if shown == value {
            plot.draw_series([Circle::new((shown, centre), 6, colour.filled())])
                .expect("drawing into a String cannot fail");
        }
    }
    row_pixels
}

/// Tick labels above and below the rows, and which way is ahead over the zero line.
fn scale_labels(overlay: &mut Overlay, layout: &Layout, scale: &Scale) {
    let (rows_top, rows_bottom, lang) = (layout.rows_top, layout.rows_bottom, layout.columns.lang);
    for (tick, px) in &scale.ticks {
        let label = if *tick > 0.0 { format!("+{}", format_decimals(*tick, 0)) } else { format_decimals(*tick, 0) };
        overlay.text(*px, rows_top - 8.0, Font::new(11.0, MUTED).anchor(Anchor::Middle), &label);
        overlay.text(*px, rows_bottom + 16.0, Font::new(11.0, MUTED).anchor(Anchor::Middle), &label);
    }
    let zero = scale.ticks.iter().find(|(t, _)| *t == 0.0).map_or(layout.columns.plot_left, |(_, px)| *px);
    let caption = Font::new(12.0, SOFT);
    let [behind, ahead] = present::chart::behind_ahead(lang);
    overlay.text(zero - 8.0, rows_top - 24.0, caption.anchor(Anchor::End), behind);
    overlay.text(zero + 8.0, rows_top - 24.0, caption, ahead);
}

/// A section's grey strip across the whole width, with its title.
fn section_strip(overlay: &mut Overlay, title: &str, cy: f64) {
    let width = f64::from(WIDTH);
    overlay.rect(
        PAD - 6.0,
        cy - SECTION_HEIGHT / 2.0 + 3.0,
        width - 2.0 * PAD + 12.0,
        SECTION_HEIGHT - 6.0,
        3.0,
        "#ECEFF1",
        "none",
        1.0,
    );
    overlay.text(PAD, cy + 5.0, Font::new(14.0, INK).bold(), &text::truncate(title, 14.0, width - 2.0 * PAD));
}

/// A target's row around the bar plotters drew: its name (the full name as a tooltip
/// when shortened), a triangle at the edge for a value beyond the scale, and the
/// right-hand column (status, then overdue and `detail`, the figures behind the dot).
fn target_row(
    overlay: &mut Overlay,
    layout: &Layout,
    scale: &Scale,
    target: &Target,
    target_status: &TargetStatus,
    detail: String,
    cy: f64,
) {
    let Columns { lang, label_width, plot_right, .. } = layout.columns;
    let name = escape::xml_clean(lang.name(&target.name, Some(&target.name_en)));
    let shown = text::truncate(&name, 13.0, label_width - 14.0);
    if shown != name {
        overlay.open_group(&name);
    }
    overlay.text(PAD, cy + 4.5, Font::new(13.0, INK), &shown);
    if shown != name {
        overlay.close_group();
    }
    let colour = target_status.status.colour();
    if let Some(value) = position(target, target_status) {
        if value < X_MIN {
            let x = scale.pixel(X_MIN);
            overlay.polygon(&[(x - 2.0, cy), (x + 10.0, cy - 7.0), (x + 10.0, cy + 7.0)], colour);
        } else if value > X_MAX {
            let x = scale.pixel(X_MAX);
            overlay.polygon(&[(x + 2.0, cy), (x - 10.0, cy - 7.0), (x - 10.0, cy + 7.0)], colour);
        }
    }
    let label = present::status(target_status.status, lang);
    let label_x = plot_right + 14.0;
    overlay.text(label_x, cy + 4.5, Font::new(13.0, colour).bold(), label);
    let mut detail_text = detail;
    if target_status.overdue {
        let overdue = present::overdue(lang);
        detail_text = if detail_text.is_empty() { overdue.to_string() } else { format!("{overdue} · {detail_text}") };
    }
    let detail_x = label_x + if lang == Lang::Zh { 62.0 } else { 74.0 };
    let detail_text = text::truncate(&detail_text, 12.0, f64::from(WIDTH) - PAD - detail_x);
    overlay.text(detail_x, cy + 4.5, Font::new(12.0, SOFT), &detail_text);
}

/// What the scale means, then the plan, the as-of period and the program's name.
fn footnote(overlay: &mut Overlay, layout: &Layout, lines: &[String], plan: &Plan, as_of: Period) {
    let lang = layout.columns.lang;
    for (i, line) in lines.iter().enumerate() {
        overlay.text(PAD, layout.footnote_top + i as f64 * 18.0, Font::new(12.0, SOFT), line);
    }
    let org = escape::xml_clean(lang.name(&plan.org, plan.org_en.as_deref()));
    let source = present::chart::overview_footer(&org, plan.year, &plan.id, &present::period_code(as_of), lang);
    let width = f64::from(WIDTH);
    overlay.text(PAD, layout.height - 14.0, Font::new(11.0, MUTED), &text::truncate(&source, 11.0, width - 2.0 * PAD));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actual::Actual;
    use crate::plan::file::parse_plan;
    use crate::plan::{BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};

    fn status(code: &str, status: Status) -> TargetStatus {
        TargetStatus { actual: Some(1.0), ..TargetStatus::blank(code, status) }
    }

    #[test]
    fn both_families_share_one_scale() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME).unwrap();
        let gdp = plan.target("gdp-growth").unwrap();
        let roads = plan.target("new-roads").unwrap();
        // Half a tolerance below the goal: 10 points behind.
        let s = TargetStatus { margin: Some(-0.25), ..status("gdp-growth", Status::AtRisk) };
        assert!((position(gdp, &s).unwrap() + 10.0).abs() < 1e-9);
        // 60 % done against a pace of 75 %: 15 points behind.
        let s = TargetStatus { progress: Some(0.6), pace: Some(0.75), ..status("new-roads", Status::AtRisk) };
        assert!((position(roads, &s).unwrap() + 15.0).abs() < 1e-9);
        assert_eq!(position(roads, &status("new-roads", Status::NoData)), None);
    }

    #[test]
    fn a_ceiling_used_slower_than_pace_is_drawn_ahead() {
        let text = BUILTIN_PLAN_TOML.replacen("cmp = \"reach\"\nvalue = 92", "cmp = \"at_most\"\nvalue = 92", 1);
        assert_ne!(text, BUILTIN_PLAN_TOML);
        let plan = parse_plan(&text, BUILTIN_PLAN_NAME).unwrap();
        let figure = Actual {
            id: 1,
            target: "new-roads".into(),
            period: "2020Q3".parse().unwrap(),
            value: 36.8,
            source: None,
            recorded_by: "t".into(),
            recorded_at: "2020-10-01T00:00:00Z".parse().unwrap(),
            note: None,
            revises: None,
            reason: None,
        };
        let evaluated = crate::status::evaluate(&plan, &[&figure], "2020Q3".parse().unwrap());
        let s = evaluated.target("new-roads").unwrap();
        // 40 % of the ceiling used at 75 % of the year: 35 points ahead, on the right.
        assert_eq!(s.status, Status::OnTrack);
        assert!((position(plan.target("new-roads").unwrap(), s).unwrap() - 35.0).abs() < 1e-9);
    }

    #[test]
    fn a_plan_without_targets_still_draws() {
        let mut plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME).unwrap();
        plan.set_targets(Vec::new());
        let empty = PlanStatus { as_of: "2020Q3".parse().unwrap(), targets: Vec::new() };
        let svg = render(&plan, &empty, Lang::Zh);
        assert!(svg.contains("共 0 项指标") && svg.ends_with("</svg>\n"));
    }
}
