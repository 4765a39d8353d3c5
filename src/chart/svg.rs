//! The parts of a chart drawn as SVG text of our own, beside what plotters draws.
//!
//! plotters draws the plot (axes, grid, tick labels, series, areas). Titles, legends,
//! callouts, status badges and footnotes are written here because they need what
//! plotters' SVG backend cannot give without a font library: exact font sizes and
//! weights, rounded badges, dashed lines, and text measured for CJK (see
//! [`super::text`]). [`finish`] joins the two: the overlay goes after plotters'
//! elements, just before `</svg>`; [`stack`] puts a layer of ours (the dashed goal
//! line) between two plotters passes.

use std::fmt::Write as _;

use super::text::FONT_STACK;
use crate::escape;

/// A coordinate or length as SVG text: at most one decimal, no trailing `.0`, so the
/// same layout always writes the same bytes.
pub fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = format!("{rounded:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    if text == "-0" {
        "0".to_string()
    } else {
        text
    }
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a text looks.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
    pub fill: &'static str,
    pub anchor: Anchor,
}

impl Font {
    pub fn new(size: f64, fill: &'static str) -> Font {
        Font { size, bold: false, fill, anchor: Anchor::Start }
    }

    pub fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    pub fn anchor(self, anchor: Anchor) -> Font {
        Font { anchor, ..self }
    }
}

/// SVG elements written in order. Every piece of text passes through [`escape`].
#[derive(Debug, Default)]
pub struct Overlay {
    buf: String,
}

impl Overlay {
    pub fn new() -> Overlay {
        Overlay::default()
    }

    /// One line of text whose baseline is at `y`.
    pub fn text(&mut self, x: f64, y: f64, font: Font, text: &str) {
        let weight = if font.bold { " font-weight=\"bold\"" } else { "" };
        let anchor = match font.anchor {
            Anchor::Start => String::new(),
            other => format!(" text-anchor=\"{}\"", other.as_str()),
        };
        let _ = writeln!(
            self.buf,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\"{weight}{anchor}>{}</text>",
            num(x),
            num(y),
            num(font.size),
            font.fill,
            escape::xml(text)
        );
    }

    /// A rectangle; `fill` or `stroke` may be "none".
    #[allow(clippy::too_many_arguments)]
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, radius: f64, fill: &str, stroke: &str, opacity: f64) {
        let radius = if radius > 0.0 { format!(" rx=\"{}\"", num(radius)) } else { String::new() };
        let opacity = if opacity < 1.0 { format!(" fill-opacity=\"{}\"", num_fine(opacity)) } else { String::new() };
        let _ = writeln!(
            self.buf,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{radius} fill=\"{fill}\"{opacity} stroke=\"{stroke}\"/>",
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    /// A straight line; `dash` is an SVG dash array such as "6 4", or empty.
    #[allow(clippy::too_many_arguments)]
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64, dash: &str) {
        let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
        let _ = writeln!(
            self.buf,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(width)
        );
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str, stroke: &str) {
        let _ = writeln!(
            self.buf,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
            num(cx),
            num(cy),
            num(r)
        );
    }

    /// A closed polygon (a triangle marking a value beyond the axis).
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str) {
        let points: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
        let _ = writeln!(self.buf, "<polygon points=\"{}\" fill=\"{fill}\"/>", points.join(" "));
    }

    /// Opens a group with a tooltip (`<title>`), for a label that had to be shortened.
    pub fn open_group(&mut self, title: &str) {
        let _ = writeln!(self.buf, "<g><title>{}</title>", escape::xml(title));
    }

    pub fn close_group(&mut self) {
        self.buf.push_str("</g>\n");
    }
}

fn num_fine(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// plotters' root element and its body (what lies between the root's first line and
/// `</svg>`).
fn split_root(plotters_svg: &str) -> (&str, &str) {
    let root_end = plotters_svg.find(">\n").map_or(0, |i| i + 2);
    let (root, body) = plotters_svg.split_at(root_end);
    (root, body.trim_end().strip_suffix("</svg>").unwrap_or(body))
}

/// Two plotters documents of the same size stacked into one, with `between` drawn
/// over the first and under the second (the target chart's dashed goal line goes
/// under the gap and the actual path). The result is again one plotters document.
pub fn stack(below: &str, between: &Overlay, above: &str) -> String {
    let (root, lower) = split_root(below);
    let (_, upper) = split_root(above);
    format!("{root}{lower}{}{upper}</svg>\n", between.buf)
}

/// The whole document: plotters' SVG with a `<title>`, the font stack set once on the
/// root (inherited by the overlay), and the overlay appended before `</svg>`.
pub fn finish(plotters_svg: &str, title: &str, overlay: &Overlay) -> String {
    let (root, body) = split_root(plotters_svg);
    let root = root.trim_end().trim_end_matches('>');
    let mut out = String::with_capacity(plotters_svg.len() + overlay.buf.len() + 256);
    let _ = write!(
        out,
        "{root} font-family=\"{FONT_STACK}\" role=\"img\">\n<title>{}</title>\n{body}{}</svg>\n",
        escape::xml(title),
        overlay.buf
    );
    out
}

/// Whether `head` (the first bytes of a file) begins as every chart [`finish`] makes:
/// an `<svg ` root whose first line ends with our font stack and `role="img">`.
pub fn is_chart_head(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let first = text.split('\n').next().unwrap_or_default();
    first.starts_with("<svg ") && first.ends_with(&format!(" font-family=\"{FONT_STACK}\" role=\"img\">"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num_fine(0.15), "0.15");
    }

    const PLOTTERS: &str =
        "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n\
                            <polyline points=\"0,0 1,1 \"/>\n</svg>\n";

    #[test]
    fn finish_wraps_the_overlay() {
        let mut overlay = Overlay::new();
        overlay.text(1.0, 2.0, Font::new(12.0, "#333"), "a<b");
        let svg = finish(PLOTTERS, "t&t", &overlay);
        assert!(svg.starts_with("<svg width=\"10\""), "{svg}");
        assert!(svg.contains("role=\"img\">\n<title>t&amp;t</title>\n<polyline"), "{svg}");
        assert!(svg.ends_with(">a&lt;b</text>\n</svg>\n"), "{svg}");
    }

    #[test]
    fn stack_puts_the_overlay_between_two_plots() {
        let mut between = Overlay::new();
        between.line(0.0, 5.0, 10.0, 5.0, "#37474F", 2.0, "8 5");
        let above = PLOTTERS.replace("0,0 1,1", "2,2 3,3");
        let svg = stack(PLOTTERS, &between, &above);
        let lines: Vec<&str> = svg.lines().collect();
        assert_eq!(lines.len(), 5, "{svg}");
        assert!(lines[0].starts_with("<svg width=\"10\"") && lines[1].contains("0,0 1,1"), "{svg}");
        assert!(lines[2].contains("stroke-dasharray=\"8 5\"") && lines[3].contains("2,2 3,3"), "{svg}");
        assert_eq!(lines[4], "</svg>");
    }
}
