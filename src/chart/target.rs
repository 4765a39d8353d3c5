//! The gap chart of one target: the actual path across the year against the goal
//! (line and tolerance band for threshold kinds, expected pace for accumulation
//! kinds), the gap shaded, the latest figure and its gap labelled.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::svg::{finish, stack, Anchor, Font, Overlay};
use super::text::{self, wrap, FONT_STACK};
use super::{rgb, signed_in_unit, value_in_unit, INK, MUTED, SOFT};
use crate::actual::Actual;
use crate::escape;
use crate::lang::Lang;
use crate::numbers::format_decimals;
use crate::period::Period;
use crate::plan::{Cmp, Kind, Plan, Target};
use crate::present;
use crate::status::{pace_since, TargetStatus};
use crate::validate::{magnitude_limit, MAX_GROWTH};

/// Width and height in pixels: 16:10, which fits a screen and the width of an A4
/// page (as a vector image it scales without loss).
pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 600;

const PAD: f64 = 28.0;
const GOAL_COLOUR: &str = "#37474F";
const GOAL_DASH: &str = "8 5";
const PACE_COLOUR: &str = "#78909C";
const RELATED_COLOUR: &str = "#5C6BC0";
const BAND_COLOUR: &str = "#90A4AE";
/// The higher bar (力争): lighter than the goal and dotted, so the goal stays the line
/// the status is decided on.
const STRIVE_COLOUR: &str = "#90A4AE";
const STRIVE_DASH: &str = "2 3";

/// The higher bar a chart draws, within what the target's kind can be.
fn strive_line(target: &Target) -> Option<f64> {
    target.strive.filter(|_| target.kind != Kind::Relative).map(|strive| drawable(target).value(strive))
}

/// Everything one target's chart shows.
pub struct TargetChart<'a> {
    pub plan: &'a Plan,
    pub target: &'a Target,
    /// The target's current figures (latest revision per window), any order.
    pub figures: &'a [&'a Actual],
    /// For a `relative` target: the related target's current figures; else empty.
    pub related_figures: &'a [&'a Actual],
    pub status: &'a TargetStatus,
    pub as_of: Period,
    pub lang: Lang,
}

/// A point of a path: (month the figure's period ends in, value).
type Point = (f64, f64);

/// The figures of the plan year up to the as-of period, one per month, in order.
fn path(figures: &[&Actual], year: i32, as_of: Period) -> Vec<Point> {
    let mut points: Vec<(u8, f64)> = figures
        .iter()
        .filter(|a| a.period.year() == year && a.period.end_key() <= as_of.end_key() && a.value.is_finite())
        .map(|a| (a.period.end_month(), a.value))
        .collect();
    points.sort_by_key(|(month, _)| *month);
    points.dedup_by_key(|(month, _)| *month);
    points.into_iter().map(|(m, v)| (f64::from(m), v)).collect()
}

/// What the actual is measured against at each month.
enum Reference {
    /// Threshold kinds: the goal, with the tolerance band [low, high].
    Goal { value: f64, band: (f64, f64) },
    /// Relative kinds: the related target's path, and the tolerance below it.
    Related { points: Vec<Point>, tolerance: f64 },
    /// Accumulation kinds: the expected pace, one point per month from 0 to 12.
    Pace { points: Vec<Point>, goal: f64 },
}

impl Reference {
    fn at(&self, month: f64) -> Option<f64> {
        match self {
            Reference::Goal { value, .. } => Some(*value),
            Reference::Related { points, .. } => points.iter().find(|(m, _)| *m == month).map(|(_, v)| *v),
            Reference::Pace { points, .. } => points.iter().find(|(m, _)| *m == month).map(|(_, v)| *v),
        }
    }

    /// The goal drawn as a dashed line across the plot, if this reference has one.
    fn goal_line(&self) -> Option<f64> {
        match self {
            Reference::Goal { value, .. } => Some(*value),
            Reference::Pace { goal, .. } => Some(*goal),
            Reference::Related { .. } => None,
        }
    }

    fn values(&self) -> Vec<f64> {
        match self {
            Reference::Goal { value, band } => vec![*value, band.0, band.1],
            Reference::Related { points, tolerance } => points.iter().flat_map(|(_, v)| [*v, *v - tolerance]).collect(),
            Reference::Pace { points, goal } => points.iter().map(|(_, v)| *v).chain([*goal]).collect(),
        }
    }
}

impl Reference {
    fn within(self, window: Window) -> Reference {
        let points = |points: Vec<Point>| points.into_iter().map(|p| window.point(p)).collect();
        match self {
            Reference::Goal { value, band } => {
                Reference::Goal { value: window.value(value), band: (window.value(band.0), window.value(band.1)) }
            }
            Reference::Related { points: related, tolerance } => {
                Reference::Related { points: points(related), tolerance: window.value(tolerance) }
            }
            Reference::Pace { points: pace, goal } => {
                Reference::Pace { points: points(pace), goal: window.value(goal) }
            }
        }
    }
}

/// The values a chart draws: what validation lets a figure of the target's kind be
/// (`validate::check_value`), so the y axis is always a range plotters can divide.
#[derive(Debug, Clone, Copy)]
struct Window {
    low: f64,
    high: f64,
}

impl Window {
    /// A value inside the window (NaN, which validation never lets in, at the bottom).
    fn value(self, value: f64) -> f64 {
        if value.is_nan() {
            self.low
        } else {
            value.clamp(self.low, self.high)
        }
    }

    fn point(self, (month, value): Point) -> Point {
        (month, self.value(value))
    }
}

fn drawable(target: &Target) -> Window {
    match target.kind {
        Kind::Growth | Kind::Relative => Window { low: -100.0, high: MAX_GROWTH },
        Kind::Rate | Kind::Share | Kind::Milestone => Window { low: 0.0, high: 100.0 },
        Kind::Count | Kind::Amount => {
            let limit = magnitude_limit(target).0;
            Window { low: -limit, high: limit }
        }
    }
}

fn reference(chart: &TargetChart<'_>) -> Reference {
    let target = chart.target;
    let tolerance = target.tolerance();
    if target.kind == Kind::Relative {
        return Reference::Related { points: path(chart.related_figures, chart.plan.year, chart.as_of), tolerance };
    }
    if target.kind.is_threshold() {
        let band = match target.cmp {
            Cmp::AtMost => (target.value, target.value + tolerance),
            _ => (target.value - tolerance, target.value),
        };
        return Reference::Goal { value: target.value, band };
    }
    // From the baseline the status measured from: a stock without one starts at its
    // first figure, and its pace line from that figure's month.
    let (baseline, start) = match chart.status.baseline {
        Some(baseline) => (baseline.value, baseline.from.start_month()),
        None => (target.baseline(), 0),
    };
    let points = (start..=12u8)
        .map(|m| {
            let share = pace_since(target, chart.plan.year, start, m);
            (f64::from(m), baseline + share * (target.value - baseline))
        })
        .collect();
    Reference::Pace { points, goal: target.value }
}

/// The y range: every value drawn, padded; counts and amounts stay at or above 0.
fn y_range(values: &[f64], non_negative: bool) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    // At least a millionth of the values' size: plotters steps from tick to tick by a
    // fraction of the range, and a step lost in the rounding of large values never ends.
    let least = lo.abs().max(hi.abs()) * 1e-6;
    let pad = if hi > lo { ((hi - lo) * 0.12).max(least) } else { lo.abs().max(1.0) * 0.2 };
    let mut low = lo - pad;
    if non_negative && lo >= 0.0 && low < 0.0 {
        low = 0.0;
    }
    (low, hi + pad)
}

/// Renders one target's gap chart as an SVG document.
///
/// Top to bottom: the header (overlay), the plot (plotters), then the overlay parts
/// placed on the plot's pixels (marks, callout or "no data"), the legend and the
/// footnote. The overlay is written in that order, which is the order of the bytes.
pub fn render(chart: &TargetChart<'_>) -> String {
    // Drawn within what the target's kind can be: an absurd figure stored by an older
    // release (1.5e308 for a growth rate) sits at the edge instead of breaking the axis.
    let window = drawable(chart.target);
    let as_logged = path(chart.figures, chart.plan.year, chart.as_of);
    let actual: Vec<Point> = as_logged.iter().map(|p| window.point(*p)).collect();
    let reference = reference(chart).within(window);
    let mut overlay = Overlay::new();

    let plot_top = header(&mut overlay, chart);
    // The callout states the figure as logged, wherever it is drawn.
    let callout_text = callout_lines(chart, &as_logged);
    let layout = Layout::new(chart, &actual, &reference, plot_top, callout_width(&callout_text));
    let (plotted, geometry) = plot(chart, &layout, &actual, &reference);

    marks(&mut overlay, chart, &layout, &geometry);
    if actual.is_empty() {
        no_data(&mut overlay, chart, &geometry);
    } else if let Some(point) = geometry.latest {
        callout(&mut overlay, &geometry, point, &callout_text, chart.status.status.colour());
    }
    legend(&mut overlay, chart, &reference, layout.plot_bottom + 30.0);
    footnote(&mut overlay, chart, f64::from(HEIGHT) - 12.0);

    let (target, lang) = (chart.target, chart.lang);
    let title_text =
        format!("{} — {}", lang.name(&target.name, Some(&target.name_en)), present::status(chart.status.status, lang));
    finish(&plotted, &title_text, &overlay)
}

/// The header: section and code, status badges, title with the goal, the quote.
/// Returns where the plot starts (the header's height decides it).
fn header(overlay: &mut Overlay, chart: &TargetChart<'_>) -> f64 {
    let (target, status, lang) = (chart.target, chart.status, chart.lang);
    let section = chart
        .plan
        .section(&target.section)
        .map_or(target.section.clone(), |s| lang.name(&s.title, s.title_en.as_deref()).to_string());
    // Badges from the right edge leftwards; the kicker and title wrap before them.
    let (mut badge_right, badge_top) = (f64::from(WIDTH) - PAD, 20.0);
    badge_right -=
        badge(overlay, badge_right, badge_top, present::status(status.status, lang), status.status.colour(), true)
            + 8.0;
    if status.overdue {
        badge_right -= badge(overlay, badge_right, badge_top, present::overdue(lang), "#616161", false) + 8.0;
    }
    let kicker = format!("{} · {}", escape::xml_clean(&section), target.code);
    overlay.text(PAD, 30.0, Font::new(12.0, MUTED), &text::truncate(&kicker, 12.0, badge_right - PAD - 8.0));
    let name = escape::xml_clean(lang.name(&target.name, Some(&target.name_en)));
    let title = present::chart::title(&name, &goal_text(chart.plan, target, lang), lang);
    let mut y = 30.0;
    for line in wrap(&title, 21.0, badge_right - PAD - 8.0, 2) {
        y += 28.0;
        overlay.text(PAD, y, Font::new(21.0, INK).bold(), &line);
    }
    let quote = present::chart::quote(&escape::xml_clean(&target.quote), lang);
    y += 4.0;
    for line in wrap(&quote, 13.0, f64::from(WIDTH) - 2.0 * PAD, 2) {
        y += 20.0;
        overlay.text(PAD, y, Font::new(13.0, SOFT), &line);
    }
    y + 36.0
}

/// Where the plot sits in the picture and the values its y axis spans.
struct Layout {
    plot_top: f64,
    plot_bottom: f64,
    y_lo: f64,
    y_hi: f64,
    /// The width left of the plot for the y tick labels.
    y_label_area: f64,
    /// The space right of the plot: wider when the callout needs a gutter.
    right_margin: f64,
}

impl Layout {
    fn new(
        chart: &TargetChart<'_>,
        actual: &[Point],
        reference: &Reference,
        plot_top: f64,
        callout_width: f64,
    ) -> Layout {
        let target = chart.target;
        let mut values: Vec<f64> = actual.iter().map(|(_, v)| *v).collect();
        values.extend(reference.values());
        values.extend(strive_line(target));
        if let Reference::Goal { value, .. } = reference {
            // Without figures far from the goal the band would fill the plot: show at
            // least two tolerances (or two points) either side of the goal.
            let reach = (2.0 * target.tolerance()).max(2.0);
            values.extend([value - reach, value + reach]);
        }
        let (y_lo, y_hi) = y_range(&values, !target.kind.is_threshold());
        let tick_width = [y_lo, y_hi, (y_lo + y_hi) / 2.0]
            .iter()
            .map(|v| text::width(&format_decimals(*v, 2), 12.0))
            .fold(0.0, f64::max);
        let y_label_area = (tick_width + 16.0).ceil();

        // The callout goes right of the latest figure. When that figure is late in the
        // year there is no room inside the plot, so the plot gives up a gutter for it
        // rather than let the box cover the path.
        let plot_left = PAD - 10.0 + y_label_area;
        let plot_width = f64::from(WIDTH) - PAD - plot_left;
        let right_margin = match actual.last() {
            Some((month, _))
                if plot_left + month / 12.0 * plot_width + 14.0 + callout_width > f64::from(WIDTH) - PAD =>
            {
                PAD + callout_width + 14.0
            }
            _ => PAD,
        };
        Layout { plot_top, plot_bottom: f64::from(HEIGHT) - 64.0, y_lo, y_hi, y_label_area, right_margin }
    }
}

/// The plotting area plotters draws into: months 0–12 across, values up.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The part plotters draws: axes, grid, the reference, the gap and the actual path,
/// with our dashed goal line (plotters' SVG backend has no dashes) over the band and
/// under the pace line, the gap and the path. plotters draws in two passes on the same
/// layout, below and above the goal line, so both map values to the same pixels; the
/// goal line's ends are plotters' own pixels. Returns the plot's SVG and the pixel
/// positions the overlay needs.
fn plot(chart: &TargetChart<'_>, layout: &Layout, actual: &[Point], reference: &Reference) -> (String, Geometry) {
    let (mut below, mut above) = (String::new(), String::new());
    let mut goal = Overlay::new();
    {
        let root = SVGBackend::with_string(&mut below, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).expect("drawing into a String cannot fail");
        let area = plot_margins(&root, layout);
        let mut plot = plot_area(&area, layout);
        mesh(&mut plot, chart, layout);
        draw_reference(&mut plot, reference);
        if let Some(value) = reference.goal_line() {
            let (x1, y1) = plot.backend_coord(&(0.0, value));
            let (x2, y2) = plot.backend_coord(&(12.0, value));
            let [x1, y1, x2, y2] = [x1, y1, x2, y2].map(f64::from);
            goal.line(x1, y1, x2, y2, GOAL_COLOUR, 2.0, GOAL_DASH);
        }
        if let Some(value) = strive_line(chart.target) {
            let (x1, y1) = plot.backend_coord(&(0.0, value));
            let (x2, y2) = plot.backend_coord(&(12.0, value));
            let [x1, y1, x2, y2] = [x1, y1, x2, y2].map(f64::from);
            goal.line(x1, y1, x2, y2, STRIVE_COLOUR, 2.0, STRIVE_DASH);
        }
        root.present().expect("drawing into a String cannot fail");
    }
    let geometry;
    {
        let root = SVGBackend::with_string(&mut above, (WIDTH, HEIGHT)).into_drawing_area();
        let area = plot_margins(&root, layout);
        let mut plot = plot_area(&area, layout);
        draw_pace(&mut plot, reference);
        let status_rgb = rgb(chart.status.status.colour());
        draw_gap(&mut plot, actual, reference, status_rgb);
        // The actual path on top.
        plot.draw_series(LineSeries::new(actual.to_vec(), status_rgb.stroke_width(3)))
            .expect("drawing into a String cannot fail");
        plot.draw_series(actual.iter().map(|p| Circle::new(*p, 5, status_rgb.filled())))
            .expect("drawing into a String cannot fail");
        geometry = Geometry::of(&plot, chart, layout, actual);
        root.present().expect("drawing into a String cannot fail");
    }
    (stack(&below, &goal, &above), geometry)
}

/// The plot's part of the picture: the layout's margins around it.
fn plot_margins<'b>(root: &DrawingArea<SVGBackend<'b>, Shift>, layout: &Layout) -> DrawingArea<SVGBackend<'b>, Shift> {
    root.margin(
        layout.plot_top as i32,
        (f64::from(HEIGHT) - layout.plot_bottom) as i32,
        PAD as i32 - 10,
        layout.right_margin as i32,
    )
}

/// The plot in its area: label areas from the layout, months 0–12 across, the layout's
/// values up. Nothing is drawn yet.
fn plot_area<'a, 'b>(area: &'a DrawingArea<SVGBackend<'b>, Shift>, layout: &Layout) -> Plot<'a, 'b> {
    ChartBuilder::on(area)
        .x_label_area_size(26)
        .y_label_area_size(layout.y_label_area as i32)
        .build_cartesian_2d(0f64..12f64, layout.y_lo..layout.y_hi)
        .expect("a finite, non-empty range")
}

/// Axes, the horizontal grid and the tick labels: months across, values up.
fn mesh(plot: &mut Plot<'_, '_>, chart: &TargetChart<'_>, layout: &Layout) {
    let lang = chart.lang;
    let (y_lo, y_hi) = (layout.y_lo, layout.y_hi);
    let soft = rgb(SOFT);
    let label_font = || TextStyle::from((FontFamily::Name(FONT_STACK), 12.0 * 1.24)).color(&soft);
    let month_formatter = |m: &f64| if *m < 0.5 { String::new() } else { present::month(m.round() as u8, lang) };
    // Counts are whole things: no tick at 0.5 of a road.
    let whole = chart.target.kind == Kind::Count;
    let value_formatter = |v: &f64| {
        if whole && (v - v.round()).abs() > 1e-9 {
            String::new()
        } else {
            format_decimals(*v, 2)
        }
    };
    let y_ticks = if whole { ((y_hi - y_lo).floor() as usize + 1).clamp(2, 6) } else { 6 };
    plot.configure_mesh()
        .disable_x_mesh()
        .x_labels(13)
        .y_labels(y_ticks)
        .x_label_formatter(&month_formatter)
        .y_label_formatter(&value_formatter)
        .label_style(label_font())
        .axis_style(rgb("#9E9E9E"))
        .bold_line_style(rgb("#ECEFF1"))
        .light_line_style(TRANSPARENT)
        .draw()
        .expect("drawing into a String cannot fail");
}

/// The reference under the goal line: the band, the related series (the goal line is
/// ours, see [`plot`]).
fn draw_reference(plot: &mut Plot<'_, '_>, reference: &Reference) {
    match reference {
        Reference::Goal { band, .. } => {
            plot.draw_series([Rectangle::new([(0.0, band.0), (12.0, band.1)], rgb(BAND_COLOUR).mix(0.22).filled())])
                .expect("drawing into a String cannot fail");
        }
        Reference::Related { points, tolerance } => {
            if points.len() >= 2 {
                let mut band: Vec<Point> = points.clone();
                band.extend(points.iter().rev().map(|(m, v)| (*m, v - tolerance)));
                plot.draw_series([Polygon::new(band, rgb(BAND_COLOUR).mix(0.22).filled())])
                    .expect("drawing into a String cannot fail");
            }
            plot.draw_series(LineSeries::new(points.clone(), rgb(RELATED_COLOUR).stroke_width(2)))
                .expect("drawing into a String cannot fail");
            plot.draw_series(points.iter().map(|p| Circle::new(*p, 4, rgb(RELATED_COLOUR).filled())))
                .expect("drawing into a String cannot fail");
        }
        // The pace line runs up to the goal line: drawn over it, in [`draw_pace`].
        Reference::Pace { .. } => {}
    }
}

/// The pace line of an accumulation kind, over the goal line.
fn draw_pace(plot: &mut Plot<'_, '_>, reference: &Reference) {
    if let Reference::Pace { points, .. } = reference {
        plot.draw_series(LineSeries::new(points.clone(), rgb(PACE_COLOUR).stroke_width(2)))
            .expect("drawing into a String cannot fail");
    }
}

/// The gap: shaded between the actual path and the reference where both exist, and
/// the latest gap as a bracket from the figure to its reference.
fn draw_gap(plot: &mut Plot<'_, '_>, actual: &[Point], reference: &Reference, status_rgb: RGBColor) {
    let paired: Vec<(Point, f64)> = actual.iter().filter_map(|p| reference.at(p.0).map(|r| (*p, r))).collect();
    if paired.len() >= 2 {
        let mut shape: Vec<Point> = paired.iter().map(|(p, _)| *p).collect();
        let mut back: Vec<Point> = vec![(paired[0].0 .0, paired[0].1)];
        for pair in paired.windows(2) {
            let ((a, _), (b, rb)) = (pair[0], pair[1]);
            // Between two figures the pace may bend at month ends: follow it.
            back.extend(reference_between(reference, a.0, b.0));
            back.push((b.0, rb));
        }
        shape.extend(back.into_iter().rev());
        plot.draw_series([Polygon::new(shape, status_rgb.mix(0.2).filled())])
            .expect("drawing into a String cannot fail");
    }
    if let Some(&(last, reference_value)) = paired.last() {
        plot.draw_series([PathElement::new(vec![last, (last.0, reference_value)], status_rgb.stroke_width(3))])
            .expect("drawing into a String cannot fail");
    }
}

/// Above and inside the plot: the unit over the y axis, the "as of" line (figures to
/// its right are not yet due) and the due line.
fn marks(overlay: &mut Overlay, chart: &TargetChart<'_>, layout: &Layout, geometry: &Geometry) {
    let lang = chart.lang;
    let unit = present::chart::unit(&escape::xml_clean(&chart.target.unit), lang);
    overlay.text(geometry.left - layout.y_label_area + 4.0, geometry.top - 16.0, Font::new(12.0, SOFT), &unit);
    // One line only when "as of" and "due" fall on the same month: the due line says more.
    if let Some((x, _)) = geometry.as_of.filter(|(x, _)| geometry.due.is_none_or(|(due, _)| due != *x)) {
        overlay.line(x, geometry.top, x, geometry.bottom, "#9E9E9E", 1.0, "2 4");
        overlay.text(x + 4.0, geometry.top + 14.0, Font::new(12.0, MUTED), present::chart::as_of_mark(lang));
    }
    if let Some((x, _)) = geometry.due {
        overlay.line(x, geometry.top, x, geometry.bottom, "#8D6E63", 1.0, "3 3");
        overlay.text(
            x - 4.0,
            geometry.top + 14.0,
            Font::new(12.0, "#6D4C41").anchor(Anchor::End),
            present::chart::due_mark(lang),
        );
    }
}

/// In place of the callout when nothing is logged: a box in the middle of the plot.
fn no_data(overlay: &mut Overlay, chart: &TargetChart<'_>, geometry: &Geometry) {
    let lang = chart.lang;
    let cx = (geometry.left + geometry.right) / 2.0;
    let cy = (geometry.top + geometry.bottom) / 2.0;
    overlay.rect(cx - 170.0, cy - 40.0, 340.0, 72.0, 8.0, "#FFFFFF", "#BDBDBD", 0.92);
    overlay.text(
        cx,
        cy,
        Font::new(24.0, "#757575").bold().anchor(Anchor::Middle),
        present::status(crate::status::Status::NoData, lang),
    );
    let sub = present::chart::nothing_logged(&present::period(chart.as_of, lang), lang);
    overlay.text(cx, cy + 22.0, Font::new(13.0, SOFT).anchor(Anchor::Middle), &sub);
}

/// Pixel positions the overlay needs from the plot.
struct Geometry {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    latest: Option<(f64, f64)>,
    previous: Option<(f64, f64)>,
    as_of: Option<(f64, f64)>,
    due: Option<(f64, f64)>,
}

impl Geometry {
    fn of(plot: &Plot<'_, '_>, chart: &TargetChart<'_>, layout: &Layout, actual: &[Point]) -> Geometry {
        let year = chart.plan.year;
        let (xs, ys) = plot.plotting_area().get_pixel_range();
        let to_pixel = |p: Point| {
            let (x, y) = plot.backend_coord(&p);
            (f64::from(x), f64::from(y))
        };
        // A month-end line at the top of the plot, unless it is the year's end (the edge).
        let month_line = |period: Period| {
            (period.year() == year && period.end_month() < 12)
                .then(|| to_pixel((f64::from(period.end_month()), layout.y_hi)))
        };
        Geometry {
            left: f64::from(xs.start),
            right: f64::from(xs.end),
            top: f64::from(ys.start),
            bottom: f64::from(ys.end),
            latest: actual.last().map(|p| to_pixel(*p)),
            previous: actual.len().checked_sub(2).map(|i| to_pixel(actual[i])),
            as_of: month_line(chart.as_of),
            due: month_line(chart.target.due_period(year)),
        }
    }
}

/// Points of the reference strictly between months `a` and `b` (the pace bends at
/// month ends; the goal and a related path are straight between figures).
fn reference_between(reference: &Reference, a: f64, b: f64) -> Vec<Point> {
    match reference {
        Reference::Pace { points, .. } => points.iter().filter(|(m, _)| *m > a && *m < b).copied().collect(),
        _ => Vec::new(),
    }
}

/// "目标 确保 ≥ 95 %" / "goal: ≥ 95 %".
fn goal_text(plan: &Plan, target: &Target, lang: Lang) -> String {
    present::goal_caption(&escape::xml_clean(&present::goal_words(plan, target, lang)), target.commitment, lang)
}

/// A status badge whose right edge is at `right`; returns its width.
fn badge(overlay: &mut Overlay, right: f64, top: f64, label: &str, colour: &'static str, filled: bool) -> f64 {
    let width = text::width(label, 14.0) + 22.0;
    let (fill, stroke, ink) = if filled { (colour, "none", "#FFFFFF") } else { ("#FFFFFF", colour, colour) };
    overlay.rect(right - width, top, width, 26.0, 13.0, fill, stroke, 1.0);
    overlay.text(right - width / 2.0, top + 18.0, Font::new(14.0, ink).bold().anchor(Anchor::Middle), label);
    width
}

/// The lines of the callout at the latest figure.
fn callout_lines(chart: &TargetChart<'_>, actual: &[Point]) -> Vec<String> {
    let (target, status, lang) = (chart.target, chart.status, chart.lang);
    let Some(&(month, value)) = actual.last() else { return Vec::new() };
    let period = status
        .period
        .filter(|p| f64::from(p.end_month()) == month)
        .unwrap_or(Period::month(chart.plan.year, month as u8));
    // A year-to-date monthly figure reads as a window: 2020年1-9月.
    let when = present::target_period(period, target.is_year_to_date(), lang);
    let mut lines = vec![format!("{when}{}{}", present::colon(lang), value_in_unit(value, &target.unit))];
    let same_figure = status.period.is_some_and(|p| f64::from(p.end_month()) == month);
    if target.kind == Kind::Relative {
        let related = escape::xml_clean(&present::related_name(chart.plan, target, lang));
        if let (true, Some(related_value), Some(margin)) = (same_figure, status.related_actual, status.margin) {
            lines.push(format!(
                "{}{}{}",
                text::truncate(&related, 13.0, 150.0),
                present::colon(lang),
                value_in_unit(related_value, &target.unit)
            ));
            lines.push(present::difference(&signed_in_unit(margin, &target.unit, lang), lang));
        } else {
            lines.push(present::no_related_figure(lang).to_string());
        }
    } else if target.kind.is_threshold() {
        if let (true, Some(gap)) = (same_figure, status.gap) {
            lines.push(present::against_goal(&signed_in_unit(gap, &target.unit, lang), lang));
        }
    } else if same_figure {
        if let (Some(progress), Some(pace)) = (status.progress, status.pace) {
            let planned = !target.planned.is_empty();
            lines.push(if target.is_cap() {
                present::used_and_pace(progress, pace, planned, lang)
            } else {
                present::done_and_pace(progress, pace, planned, lang)
            });
        }
        // At the due period pace is the whole target: the gap to the goal says it all.
        if let Some(margin) = status.margin.filter(|_| !status.final_period) {
            let margin = signed_in_unit(margin, &target.unit, lang);
            lines.push(present::against_pace(&margin, !target.planned.is_empty(), lang));
        }
        if let Some(gap) = status.gap {
            lines.push(present::against_goal(&signed_in_unit(gap, &target.unit, lang), lang));
        }
        if let Some((value, period)) = status.first_figure() {
            lines.push(present::from_first_figure(value, &target.unit, period, lang));
        }
    }
    lines
}

/// A white box with the latest figure and its gap, beside the point and inside the plot.
fn callout_width(lines: &[String]) -> f64 {
    lines.iter().map(|l| text::width(l, CALLOUT_SIZE)).fold(0.0, f64::max) + 20.0
}

const CALLOUT_SIZE: f64 = 13.0;

fn callout(overlay: &mut Overlay, g: &Geometry, (px, py): (f64, f64), lines: &[String], colour: &'static str) {
    let size = CALLOUT_SIZE;
    let w = callout_width(lines);
    let h = lines.len() as f64 * 19.0 + 12.0;
    let (x, mut y) = if px + 14.0 + w <= f64::from(WIDTH) - PAD + 4.0 {
        (px + 14.0, py - h / 2.0)
    } else {
        // Left of the point, on the side away from the path that comes in.
        let coming_from_below = g.previous.is_some_and(|(_, prev_y)| prev_y > py);
        (px - 14.0 - w, if coming_from_below { py - h - 14.0 } else { py + 14.0 })
    };
    // The top band holds the "as of" and "due" labels.
    y = y.clamp(g.top + 22.0, (g.bottom - h - 4.0).max(g.top + 22.0));
    let x = x.max(g.left + 4.0);
    overlay.rect(x, y, w, h, 6.0, "#FFFFFF", colour, 0.94);
    for (i, line) in lines.iter().enumerate() {
        let font = if i == 0 { Font::new(size, INK).bold() } else { Font::new(size, INK) };
        overlay.text(x + 10.0, y + 20.0 + i as f64 * 19.0, font, line);
    }
}

/// The legend row under the plot: one swatch and label per thing drawn.
fn legend(overlay: &mut Overlay, chart: &TargetChart<'_>, reference: &Reference, baseline: f64) {
    let (target, lang) = (chart.target, chart.lang);
    let colour = chart.status.status.colour();
    enum Swatch {
        Line(&'static str, &'static str),
        Band(&'static str, f64),
    }
    let actual_label = present::actual_path(target.is_year_to_date(), lang);
    let has_data = !path(chart.figures, chart.plan.year, chart.as_of).is_empty();
    let mut items: Vec<(Swatch, String)> = Vec::new();
    if has_data {
        items.push((Swatch::Line(colour, ""), actual_label.to_string()));
    }
    match reference {
        Reference::Goal { .. } => {
            items.push((Swatch::Line(GOAL_COLOUR, GOAL_DASH), goal_text(chart.plan, target, lang)));
            items.push((Swatch::Band(BAND_COLOUR, 0.3), present::tolerance(target.tolerance(), lang)));
        }
        Reference::Related { .. } => {
            let related = escape::xml_clean(&present::related_name(chart.plan, target, lang));
            items.push((Swatch::Line(RELATED_COLOUR, ""), text::truncate(&related, 13.0, 260.0)));
            items.push((Swatch::Band(BAND_COLOUR, 0.3), present::tolerance(target.tolerance(), lang)));
        }
        Reference::Pace { .. } => {
            let pace = present::pace_path(!target.planned.is_empty(), lang);
            items.push((Swatch::Line(PACE_COLOUR, ""), pace.to_string()));
            items.push((Swatch::Line(GOAL_COLOUR, GOAL_DASH), goal_text(chart.plan, target, lang)));
        }
    }
    if strive_line(target).is_some() {
        // After the goal's own swatch: the second, lighter line.
        let at = items
            .iter()
            .position(|(swatch, _)| matches!(swatch, Swatch::Line(GOAL_COLOUR, _)))
            .map_or(items.len(), |i| i + 1);
        items.insert(at, (Swatch::Line(STRIVE_COLOUR, STRIVE_DASH), present::strive_line(target, lang)));
    }
    if has_data {
        items.push((Swatch::Band(colour, 0.3), present::chart::gap_legend(lang).to_string()));
    }
    let size = 13.0;
    let mut x = PAD;
    for (swatch, label) in &items {
        match swatch {
            Swatch::Line(stroke, dash) => overlay.line(x, baseline - 4.5, x + 24.0, baseline - 4.5, stroke, 2.5, dash),
            Swatch::Band(fill, opacity) => overlay.rect(x, baseline - 11.0, 24.0, 12.0, 2.0, fill, "none", *opacity),
        }
        overlay.text(x + 30.0, baseline, Font::new(size, INK), label);
        x += 30.0 + text::width(label, size) + 22.0;
    }
}

/// Plan, as-of period and the source of the latest figure.
fn footnote(overlay: &mut Overlay, chart: &TargetChart<'_>, baseline: f64) {
    let lang = chart.lang;
    let org = escape::xml_clean(lang.name(&chart.plan.org, chart.plan.org_en.as_deref()));
    let latest = chart
        .figures
        .iter()
        .filter(|a| a.period.year() == chart.plan.year && a.period.end_key() <= chart.as_of.end_key())
        .max_by_key(|a| a.period.end_key());
    let mut parts = vec![
        present::chart::plan(&org, chart.plan.year, &chart.plan.id, lang),
        present::chart::as_of(&present::period(chart.as_of, lang), lang),
    ];
    if let Some(figure) = latest {
        let source = figure.source.as_deref().map(escape::xml_clean);
        parts.push(present::chart::latest_source(source.as_deref(), &escape::xml_clean(&figure.recorded_by), lang));
    }
    let text = text::truncate(&parts.join(" · "), 11.0, f64::from(WIDTH) - 2.0 * PAD);
    overlay.text(PAD, baseline, Font::new(11.0, MUTED), &text);
}
