//! The report as one self-contained HTML file: CSS inline, charts inline as SVG, no
//! script, no font, image or style from anywhere else (a Content-Security-Policy in
//! the page says so to the browser too). It prints on A4 (`@page`, page-break rules,
//! repeated table headers) and reads on a phone (tables become one card per target
//! below 700 px). The page is built only from [`Html`] values: every piece of user
//! text goes through [`Html::escape`], and a raw `&str` cannot be pasted in.

use super::table::{self, Cell, Table};
use super::{ChartSource, Report, Row};
use crate::html;
use crate::html::Html;
use crate::lang::Lang;
use crate::numbers::format_decimals;
use crate::present;
use crate::status::Status;

const STYLE: &str = r#"
:root { --ink: #1f2933; --muted: #5f6b7a; --rule: #d5dbe3; --head: #eef2f6; --accent: #8b1a1a; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", "Segoe UI", Arial, sans-serif;
  font-size: 14px; line-height: 1.5; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 18px; }
header .org { margin: 0; color: var(--accent); font-weight: 600; letter-spacing: 0.1em; }
h1 { font-size: 24px; margin: 4px 0 12px; line-height: 1.3; }
h2 { font-size: 17px; margin: 26px 0 10px; padding-left: 8px; border-left: 4px solid var(--accent); break-after: avoid; }
h3 { font-size: 14px; margin: 16px 0 8px; color: var(--muted); break-after: avoid; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 12px; }
.count { min-width: 92px; padding: 6px 12px; border: 1px solid var(--rule); border-top: 5px solid var(--c);
  border-radius: 4px; break-inside: avoid; }
.count .n { display: block; font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.count .l { color: var(--muted); font-size: 12px; }
p.notice { margin: 0 0 10px; padding: 8px 14px; border: 2px solid #c62828; color: #8b1a1a; font-weight: 600; border-radius: 4px; }
p.headline { font-size: 15px; margin: 0 0 8px; padding: 10px 14px; background: #f7f4ef; border-radius: 4px; }
p.none { color: var(--muted); margin: 4px 0; }
table { width: 100%; border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
thead { display: table-header-group; }
th { background: var(--head); text-align: left; font-weight: 600; }
th, td { border: 1px solid var(--rule); padding: 5px 7px; vertical-align: top; }
tr { break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td .code, td .sub { display: block; color: var(--muted); font-size: 11px; }
td .code { font-family: Consolas, "DejaVu Sans Mono", monospace; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; white-space: nowrap;
  background: var(--c); color: #fff; }
.badge.light { color: #1f2933; }
.badge.overdue { background: #fff; color: #6d4c41; border: 1px solid #6d4c41; margin-left: 3px; }
.bar { position: relative; height: 8px; background: #e4e8ee; border-radius: 4px; margin-top: 4px; min-width: 80px; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; background: var(--c); }
.bar i { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--ink); }
figure { margin: 8px 0; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figure.overview { max-width: 1000px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px 18px; }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 18pt; }
  table { font-size: 9pt; }
  section.plan-section { break-before: page; }
  section.overview { break-before: page; }
  figure.overview svg { max-height: 245mm; }
  th, td { padding: 3px 4px; }
  td .code { display: none; }
  .charts { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
@media screen and (max-width: 700px) {
  main { padding: 14px 12px 28px; }
  h1 { font-size: 20px; }
  .charts { grid-template-columns: 1fr; }
  table.cards thead { display: none; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tr { border: 1px solid var(--rule); border-radius: 6px; margin: 0 0 10px; padding: 4px 0; }
  table.cards td { border: 0; border-bottom: 1px dashed var(--rule); display: grid;
    grid-template-columns: 6.5em 1fr; gap: 8px; text-align: left; white-space: normal; }
  table.cards td:last-child { border-bottom: 0; }
  table.cards td::before { content: attr(data-label); color: var(--muted); font-size: 12px; }
}
"#;

/// The report as an HTML document, with the charts the report holds.
pub fn render(report: &Report) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(report, &report.charts, &mut bytes).expect("writing to memory");
    bytes
}

/// How many target charts are drawn at once, written and let go: a province's report
/// inlines 100,000 charts of some 10 KB each, more than a gigabyte held together.
const CHARTS_AT_ONCE: usize = 512;

/// The page's head, up to `<main>`: the same for the plan's report and the family's.
fn open_page(out: &mut Html, lang: Lang, title: &str) {
    html!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"ontrack\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        Html::escape(lang.pick("zh-CN", "en")),
        Html::escape(title),
        Html::trusted(STYLE),
    );
}

/// Writes the report as an HTML document to `sink` as it is made, section by section,
/// each section's charts taken from `charts` a block at a time: what is held is one
/// section's table and one block of charts, never the page.
pub fn write(report: &Report, charts: &dyn ChartSource, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let lang = report.lang;
    let mut out = Html::with_capacity(64 * 1024);
    open_page(&mut out, lang, &report.title());

    html!(
        out,
        "<header>\n<p class=\"org\">{}</p>\n<h1>{}</h1>\n<dl class=\"meta\">\n",
        Html::escape(report.org_name()),
        Html::escape(&report.title())
    );
    for (label, value) in report.facts() {
        html!(out, "<dt>{}</dt><dd>{}</dd>\n", Html::escape(label), Html::escape(&value));
    }
    html!(out, "</dl>\n</header>\n");
    if let Some(notice) = &report.notice {
        html!(out, "<p class=\"notice\">{}</p>\n", Html::escape(notice));
    }
    html!(out, "<p class=\"headline\">{}</p>\n", Html::escape(&report.headline()));

    summary(&mut out, report);
    behind(&mut out, report);
    overdue(&mut out, report);
    revisions(&mut out, report);
    let table = (!report.review_counts.is_empty()).then(|| table::review_counts(report));
    listing(&mut out, report, present::review_heading(lang), table);
    let table = (!report.review.is_empty()).then(|| table::review(report));
    listing(&mut out, report, present::returned_heading(lang), table);
    let completeness = &report.completeness;
    let table = (!completeness.units.is_empty()).then(|| table::completeness(completeness, lang));
    listing(&mut out, report, &present::completeness_heading(completeness.period, lang), table);
    if !report.adjustments.is_empty() {
        listing(&mut out, report, present::report::adjustments(lang), Some(table::adjustments(report)));
    }
    overview(&mut out, report, charts);
    drain(&mut out, sink)?;
    for section in &report.sections {
        html!(out, "<section class=\"plan-section\">\n<h2>{}</h2>\n", Html::escape(&section.title));
        table_html(&mut out, &table::targets(report, &section.rows), lang);
        drain(&mut out, sink)?;
        let rows: Vec<&Row> = section.rows.iter().map(|&i| report.row(i)).collect();
        let mut any_chart = false;
        for block in rows.chunks(CHARTS_AT_ONCE) {
            let codes: Vec<&str> = block.iter().map(|row| row.code.as_str()).collect();
            for (row, svg) in block.iter().zip(charts.targets(&codes)) {
                let Some(svg) = svg else { continue };
                if !any_chart {
                    html!(out, "<div class=\"charts\">\n");
                    any_chart = true;
                }
                // Each chart carries its own title, goal and status; the label is for screen readers.
                html!(
                    out,
                    "<figure role=\"img\" aria-label=\"{} · {}\">{}</figure>\n",
                    Html::escape(&row.name),
                    Html::escape(&row.status_label),
                    Html::from_chart_svg(&svg)
                );
            }
            drain(&mut out, sink)?;
        }
        if any_chart {
            html!(out, "</div>\n");
        }
        html!(out, "</section>\n");
    }

    html!(out, "<footer>{}</footer>\n</main>\n</body>\n</html>\n", Html::escape(present::report::footer(lang)));
    drain(&mut out, sink)
}

/// Writes what `out` holds to `sink` and empties it.
fn drain(out: &mut Html, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    sink.write_all(out.as_str().as_bytes())?;
    out.clear();
    Ok(())
}

/// The family's report (`report --parent`) as an HTML document: the same page, style
/// and table renderer as the plan's.
pub fn render_family(report: &super::family::FamilyReport<'_>) -> Vec<u8> {
    let lang = report.lang;
    let mut out = Html::with_capacity(64 * 1024);
    open_page(&mut out, lang, &report.title());
    html!(
        out,
        "<header>\n<p class=\"org\">{}</p>\n<h1>{}</h1>\n<dl class=\"meta\">\n",
        Html::escape(report.parent_org.unwrap_or(report.parent)),
        Html::escape(&report.title())
    );
    for (label, value) in report.facts() {
        html!(out, "<dt>{}</dt><dd>{}</dd>\n", Html::escape(label), Html::escape(&value));
    }
    html!(out, "</dl>\n</header>\n<section>\n<h2>{}</h2>\n", Html::escape(present::compare::counts_heading(lang)));
    table_html(&mut out, &report.counts(), lang);
    html!(out, "</section>\n<section>\n<h2>{}</h2>\n", Html::escape(present::compare::rankings_heading(lang)));
    for indicator in &report.comparison.indicators {
        html!(out, "<h3>{}</h3>\n", Html::escape(&report.indicator_heading(indicator)));
        table_html(&mut out, &report.ranking(indicator), lang);
        html!(
            out,
            "<p class=\"none\">{}</p>\n",
            Html::escape(&present::compare::change_since(indicator.previous, lang))
        );
    }
    html!(out, "</section>\n");
    let overdue = report.overdue();
    let overdue = (!overdue.rows.is_empty()).then_some(overdue);
    html!(out, "<section>\n<h2>{}</h2>\n", Html::escape(present::compare::overdue_heading(lang)));
    match overdue {
        Some(table) => table_html(&mut out, &table, lang),
        None => html!(out, "<p class=\"none\">{}</p>\n", Html::escape(present::report::none(lang))),
    }
    html!(
        out,
        "</section>\n<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        Html::escape(present::compare::footnote(lang))
    );
    out.into_string().into_bytes()
}

fn summary(out: &mut Html, report: &Report) {
    let lang = report.lang;
    html!(
        out,
        "<section class=\"summary\">\n<h2>{}</h2>\n<div class=\"counts\">\n",
        Html::escape(present::report::summary(report.lang))
    );
    html!(
        out,
        "<div class=\"count\" style=\"--c:#1f2933\"><span class=\"n\">{}</span><span class=\"l\">{}</span></div>\n",
        count(report.rows().len()),
        Html::escape(present::report::target_count(lang))
    );
    for (status, n) in &report.counts {
        html!(
            out,
            "<div class=\"count\" style=\"--c:{}\"><span class=\"n\">{}</span><span class=\"l\">{}</span></div>\n",
            Html::trusted(status.colour()),
            count(*n),
            Html::escape(present::status(*status, lang))
        );
    }
    html!(
        out,
        "<div class=\"count\" style=\"--c:#6d4c41\"><span class=\"n\">{}</span><span class=\"l\">{}</span></div>\n",
        count(report.overdue_count),
        Html::escape(present::overdue(lang))
    );
    html!(out, "</div>\n</section>\n");
}

fn count(n: usize) -> Html {
    Html::escape(&n.to_string())
}

/// The overview chart, after the lists that need action: on paper it takes a page.
fn overview(out: &mut Html, report: &Report, charts: &dyn ChartSource) {
    if let Some(svg) = charts.overview() {
        html!(
            out,
            "<section class=\"overview\">\n<h2>{}</h2>\n<figure class=\"overview\">{}</figure>\n</section>\n",
            Html::escape(present::report::at_a_glance(report.lang)),
            Html::from_chart_svg(&svg),
        );
    }
}

/// A section with a heading and a table, or "None." when the table would be empty.
fn listing(out: &mut Html, report: &Report, heading: &str, table: Option<Table>) {
    html!(out, "<section>\n<h2>{}</h2>\n", Html::escape(heading));
    match table {
        Some(table) => table_html(out, &table, report.lang),
        None => html!(out, "<p class=\"none\">{}</p>\n", Html::escape(present::report::none(report.lang))),
    }
    html!(out, "</section>\n");
}

fn behind(out: &mut Html, report: &Report) {
    let table = (!report.behind.is_empty()).then(|| table::attention(report));
    listing(out, report, present::report::attention(report.lang), table);
}

fn overdue(out: &mut Html, report: &Report) {
    let table = (!report.overdue.is_empty()).then(|| table::overdue(report));
    listing(out, report, present::report::overdue(report.lang), table);
}

fn revisions(out: &mut Html, report: &Report) {
    let heading = present::report::revised_since(&report.revisions_since_label(), report.lang);
    let table = (!report.revisions.is_empty()).then(|| table::revisions(report));
    listing(out, report, &heading, table);
}

/// A table from [`table`], one card per row on phones (the header shows as each
/// cell's label).
fn table_html(out: &mut Html, table: &Table, lang: Lang) {
    html!(out, "<table class=\"cards\"><thead><tr>");
    for header in &table.headers {
        html!(out, "<th>{}</th>", Html::escape(header));
    }
    html!(out, "</tr></thead><tbody>\n");
    for row in &table.rows {
        match &row.anchor {
            Some(anchor) => html!(out, "<tr id=\"t-{}\">", Html::escape(anchor)),
            None => html!(out, "<tr>"),
        }
        for (label, cell) in table.headers.iter().zip(&row.cells) {
            let (class, content) = cell_html(cell, lang);
            match class {
                Some(class) => html!(
                    out,
                    "<td class=\"{}\" data-label=\"{}\"><div>{}</div></td>",
                    Html::trusted(class),
                    Html::escape(label),
                    content
                ),
                None => html!(out, "<td data-label=\"{}\"><div>{}</div></td>", Html::escape(label), content),
            }
        }
        html!(out, "</tr>\n");
    }
    html!(out, "</tbody></table>\n");
}

/// A cell's class (`num` for figures, set right-aligned) and its content.
fn cell_html(cell: &Cell, lang: Lang) -> (Option<&'static str>, Html) {
    let mut html = Html::new();
    let class = match cell {
        Cell::Text(text) => {
            html.push(&opt(text));
            None
        }
        Cell::Duty(text) => {
            html!(html, "<strong>{}</strong>", opt(text));
            None
        }
        Cell::Figure(text) => {
            html.push(&opt(text));
            Some("num")
        }
        Cell::Name { name, code } => {
            html!(html, "{}<span class=\"code\">{}</span>", Html::escape(name), Html::escape(code));
            None
        }
        Cell::Latest(Some((actual, period))) => {
            html!(html, "{}<span class=\"sub\">{}</span>", Html::escape(actual), Html::escape(period));
            Some("num")
        }
        Cell::Latest(None) => {
            html!(html, "—");
            Some("num")
        }
        Cell::Status { status, overdue, .. } => {
            html.push(&badges(*status, *overdue, lang));
            None
        }
        Cell::Progress { label, bar, status } => {
            html.push(&progress(label.as_deref(), *bar, *status));
            None
        }
        Cell::Source { source, by, note } => {
            html.push(&opt(source));
            for sub in [by, note].into_iter().flatten() {
                html!(html, "<span class=\"sub\">{}</span>", Html::escape(sub));
            }
            None
        }
        Cell::Count(n) => {
            html.push(&count(*n));
            Some("num")
        }
        Cell::Number(value) | Cell::Share(value) => {
            html.push(&opt(&value.map(|v| v.to_string())));
            Some("num")
        }
    };
    (class, html)
}

/// Text, or a dash when there is none.
fn opt(text: &Option<String>) -> Html {
    match text {
        Some(text) => Html::escape(text),
        None => Html::trusted("—"),
    }
}

fn badges(status: Status, overdue: bool, lang: Lang) -> Html {
    let light = if matches!(status, Status::AtRisk | Status::NearlyMet) { " light" } else { "" };
    let mut html = Html::new();
    html!(
        html,
        "<span class=\"badge{}\" style=\"--c:{}\">{}</span>",
        Html::trusted(light),
        Html::trusted(status.colour()),
        Html::escape(present::status(status, lang))
    );
    if overdue {
        html!(html, "<span class=\"badge overdue\">{}</span>", Html::escape(present::overdue(lang)));
    }
    html
}

/// Progress with a bar and the pace tick, for accumulation kinds.
fn progress(label: Option<&str>, bar: Option<(f64, f64)>, status: Status) -> Html {
    let mut html = Html::new();
    match (bar, label) {
        (Some((progress, pace)), Some(label)) => html!(
            html,
            "{}<div class=\"bar\" style=\"--c:{}\"><span style=\"width:{}%\"></span><i style=\"left:{}%\"></i></div>",
            Html::escape(label),
            Html::trusted(status.colour()),
            percent(progress),
            percent(pace)
        ),
        _ => html!(html, "—"),
    }
    html
}

fn percent(share: f64) -> Html {
    Html::escape(&format_decimals((share * 100.0).clamp(0.0, 100.0), 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn html_snapshot_zh() {
        insta::assert_snapshot!(String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap());
    }

    #[test]
    fn html_snapshot_en() {
        insta::assert_snapshot!(String::from_utf8(render(&fixture::report(Lang::En))).unwrap());
    }

    #[test]
    fn hostile_text_is_escaped() {
        let html = String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap();
        assert!(!html.contains("<script"), "no script element may appear");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("=HYPERLINK(&quot;http://x&quot;) &quot;quoted&quot; ]]&gt;"));
        assert!(html.contains("&lt;b&gt;城建&lt;/b&gt;"));
        assert!(!html.contains("<b>") && !html.contains("<i>"));
        assert!(!html.contains("http-equiv=\"refresh\""));
    }

    /// Charts that note, each time charts are asked for, what the page had written by then.
    struct WatchedCharts {
        written: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
        asked: std::cell::RefCell<Vec<(Vec<String>, String)>>,
    }

    impl ChartSource for WatchedCharts {
        fn overview(&self) -> Option<String> {
            None
        }

        fn targets(&self, codes: &[&str]) -> Vec<Option<String>> {
            let page = String::from_utf8(self.written.borrow().clone()).unwrap();
            self.asked.borrow_mut().push((codes.iter().map(|c| c.to_string()).collect(), page));
            codes.iter().map(|code| Some(format!("<svg id=\"chart-{code}\"></svg>"))).collect()
        }
    }

    /// A sink that another holder of the buffer can read while the page is written.
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The page is written as it is made: when the second section's charts are drawn,
    /// the first section, its table and its charts are already in the sink, and the
    /// later section's table too; nothing after it is. A province's page is never
    /// held whole.
    #[test]
    fn the_page_is_written_as_its_charts_are_drawn() {
        let report = fixture::report(Lang::Zh);
        let written = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let charts = WatchedCharts { written: written.clone(), asked: Default::default() };
        write(&report, &charts, &mut Shared(written.clone())).unwrap();
        let asked = charts.asked.into_inner();
        let codes: Vec<&[String]> = asked.iter().map(|(codes, _)| codes.as_slice()).collect();
        assert_eq!(codes, [&["gdp-growth", "unemployment-rate", "rd-spending"][..], &["new-roads", "interchange"][..]]);
        let (_, page_then) = &asked[1];
        assert!(page_then.contains("<svg id=\"chart-rd-spending\">"), "the first section's charts are written");
        assert!(page_then.contains("id=\"t-interchange\""), "the second section's table is written");
        assert!(!page_then.contains("<footer>"));
        assert!(String::from_utf8(written.borrow().clone()).unwrap().ends_with("</html>\n"));
    }

    #[test]
    fn nothing_is_fetched_from_elsewhere() {
        let html = String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap();
        for needle in ["<link", "<script", "<img", "@import", "url(", "src="] {
            assert!(!html.contains(needle), "{needle}");
        }
        assert!(html.contains("@page { size: A4;"));
        assert_eq!(html.matches("<svg").count(), 3, "overview and two target charts inline");
    }
}
