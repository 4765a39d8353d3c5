//! The report as one self-contained HTML file: CSS inline, charts inline as SVG, no
//! script, no font, image or style from anywhere else (a Content-Security-Policy in
//! the page says so to the browser too). It prints on A4 (`@page`, page-break rules,
//! repeated table headers) and reads on a phone (tables become one card per target
//! below 700 px). Every piece of user text goes through [`escape`].

use std::fmt::Write as _;

use super::table::{self, Cell, Table};
use super::{Report, Row};
use crate::lang::Lang;
use crate::numbers::format_decimals;
use crate::present;
use crate::status::Status;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

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

/// The report as an HTML document.
pub fn render(report: &Report) -> Vec<u8> {
    let lang = report.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"ontrack\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        t("zh-CN", "en"),
        escape(&report.title()),
    );

    let _ = write!(
        out,
        "<header>\n<p class=\"org\">{}</p>\n<h1>{}</h1>\n<dl class=\"meta\">\n",
        escape(report.org_name()),
        escape(&report.title())
    );
    for (label, value) in [
        (t("计划", "Plan"), report.plan_label()),
        (t("截至期", "As of"), report.as_of_label()),
        (t("生成时间", "Made at"), report.made_at_label()),
        (t("数据", "Data"), report.data_label()),
    ] {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{}</dd>", escape(&value));
    }
    out.push_str("</dl>\n</header>\n");
    if let Some(notice) = &report.notice {
        let _ = writeln!(out, "<p class=\"notice\">{}</p>", escape(notice));
    }
    let _ = writeln!(out, "<p class=\"headline\">{}</p>", escape(&report.headline()));

    summary(&mut out, report);
    behind(&mut out, report);
    overdue(&mut out, report);
    revisions(&mut out, report);
    overview(&mut out, report);
    for section in &report.sections {
        let _ = writeln!(out, "<section class=\"plan-section\">\n<h2>{}</h2>", escape(&section.title));
        table(&mut out, &table::targets(report, &section.rows), lang);
        let charts: Vec<(&Row, &String)> = section
            .rows
            .iter()
            .map(|&i| report.row(i))
            .filter_map(|row| report.charts.targets.get(&row.code).map(|svg| (row, svg)))
            .collect();
        if !charts.is_empty() {
            out.push_str("<div class=\"charts\">\n");
            // Each chart carries its own title, goal and status; the label is for screen readers.
            for (row, svg) in charts {
                let _ = writeln!(
                    out,
                    "<figure role=\"img\" aria-label=\"{} · {}\">{}</figure>",
                    escape(&row.name),
                    escape(&row.status_label),
                    inline_svg(svg)
                );
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }

    let _ = write!(
        out,
        "<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        escape(t(
            "本报告由 ontrack 根据已录入的数据生成。差距为正表示超过目标；进度为已完成全年目标的比例，序时为按时间应完成的比例（竖线）。\
             “未报送”表示按报送频率应报的数据尚未录入，由牵头单位负责报送。",
            "Made by ontrack from the figures recorded. A positive gap is ahead of the goal; progress is the share of the \
             annual target done, pace (the tick) the share due by now. \"Overdue\" means a figure due by the target's \
             frequency has not been recorded; the lead unit must report it."
        ))
    );
    out.into_bytes()
}

fn summary(out: &mut String, report: &Report) {
    let lang = report.lang;
    let _ = writeln!(
        out,
        "<section class=\"summary\">\n<h2>{}</h2>\n<div class=\"counts\">",
        report.t("总体情况", "Summary")
    );
    let _ = writeln!(
        out,
        "<div class=\"count\" style=\"--c:#1f2933\"><span class=\"n\">{}</span><span class=\"l\">{}</span></div>",
        report.rows().len(),
        report.t("指标总数", "targets")
    );
    for (status, n) in &report.counts {
        let _ = writeln!(
            out,
            "<div class=\"count\" style=\"--c:{}\"><span class=\"n\">{n}</span><span class=\"l\">{}</span></div>",
            status.colour(),
            escape(present::status(*status, lang))
        );
    }
    let _ = writeln!(
        out,
        "<div class=\"count\" style=\"--c:#6d4c41\"><span class=\"n\">{}</span><span class=\"l\">{}</span></div>",
        report.overdue_count,
        present::overdue(lang)
    );
    out.push_str("</div>\n</section>\n");
}

/// The overview chart, after the lists that need action: on paper it takes a page.
fn overview(out: &mut String, report: &Report) {
    if let Some(svg) = &report.charts.overview {
        let _ = writeln!(
            out,
            "<section class=\"overview\">\n<h2>{}</h2>\n<figure class=\"overview\">{}</figure>\n</section>",
            report.t("各指标进度总览", "Every target at a glance"),
            inline_svg(svg),
        );
    }
}

fn behind(out: &mut String, report: &Report) {
    let lang = report.lang;
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", report.t("需要关注的指标", "Targets that need attention"));
    if report.behind.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{}</p>", report.t("无。", "None."));
    } else {
        table(out, &table::attention(report), lang);
    }
    out.push_str("</section>\n");
}

fn overdue(out: &mut String, report: &Report) {
    let lang = report.lang;
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", report.t("未报送", "Overdue figures"));
    if report.overdue.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{}</p>", report.t("无。", "None."));
    } else {
        table(out, &table::overdue(report), lang);
    }
    out.push_str("</section>\n");
}

fn revisions(out: &mut String, report: &Report) {
    let lang = report.lang;
    let heading = match lang {
        Lang::Zh => format!("{}以来修订的数据", report.revisions_since_label()),
        Lang::En => format!("Figures revised since {}", report.revisions_since_label()),
    };
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&heading));
    if report.revisions.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{}</p>", report.t("无。", "None."));
    } else {
        table(out, &table::revisions(report), lang);
    }
    out.push_str("</section>\n");
}

/// A table from [`table`], one card per row on phones (the header shows as each
/// cell's label).
fn table(out: &mut String, table: &Table, lang: Lang) {
    out.push_str("<table class=\"cards\"><thead><tr>");
    for header in &table.headers {
        let _ = write!(out, "<th>{}</th>", escape(header));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &table.rows {
        match &row.anchor {
            Some(anchor) => {
                let _ = write!(out, "<tr id=\"t-{}\">", escape(anchor));
            }
            None => out.push_str("<tr>"),
        }
        for (label, cell) in table.headers.iter().zip(&row.cells) {
            let (class, html) = cell_html(cell, lang);
            if class.is_empty() {
                let _ = write!(out, "<td data-label=\"{}\"><div>{html}</div></td>", escape(label));
            } else {
                let _ = write!(out, "<td class=\"{class}\" data-label=\"{}\"><div>{html}</div></td>", escape(label));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// A cell's class and its content as HTML.
fn cell_html(cell: &Cell, lang: Lang) -> (&'static str, String) {
    match cell {
        Cell::Text(text) => ("", opt(text)),
        Cell::Duty(text) => ("", format!("<strong>{}</strong>", opt(text))),
        Cell::Figure(text) => ("num", opt(text)),
        Cell::Name { name, code } => ("", format!("{}<span class=\"code\">{}</span>", escape(name), escape(code))),
        Cell::Latest(Some((actual, period))) => {
            ("num", format!("{}<span class=\"sub\">{}</span>", escape(actual), escape(period)))
        }
        Cell::Latest(None) => ("num", "—".to_string()),
        Cell::Status { status, overdue, .. } => ("", badges(*status, *overdue, lang)),
        Cell::Progress { label, bar, status } => ("", progress(label.as_deref(), *bar, *status)),
        Cell::Source { source, by, note } => {
            let mut html = opt(source);
            for sub in [by, note].into_iter().flatten() {
                let _ = write!(html, "<span class=\"sub\">{}</span>", escape(sub));
            }
            ("", html)
        }
        Cell::Count(n) => ("num", n.to_string()),
        Cell::Number(value) | Cell::Share(value) => ("num", value.map_or_else(|| "—".to_string(), |v| v.to_string())),
    }
}

fn opt(text: &Option<String>) -> String {
    text.as_deref().map(escape).unwrap_or_else(|| "—".to_string())
}

fn badges(status: Status, overdue: bool, lang: Lang) -> String {
    let light = if matches!(status, Status::AtRisk | Status::NearlyMet) { " light" } else { "" };
    let mut html = format!(
        "<span class=\"badge{light}\" style=\"--c:{}\">{}</span>",
        status.colour(),
        escape(present::status(status, lang))
    );
    if overdue {
        let _ = write!(html, "<span class=\"badge overdue\">{}</span>", escape(present::overdue(lang)));
    }
    html
}

/// Progress with a bar and the pace tick, for accumulation kinds.
fn progress(label: Option<&str>, bar: Option<(f64, f64)>, status: Status) -> String {
    match (bar, label) {
        (Some((progress, pace)), Some(label)) => format!(
            "{}<div class=\"bar\" style=\"--c:{}\"><span style=\"width:{}%\"></span><i style=\"left:{}%\"></i></div>",
            escape(label),
            status.colour(),
            percent(progress),
            percent(pace)
        ),
        _ => "—".to_string(),
    }
}

fn percent(share: f64) -> String {
    format_decimals((share * 100.0).clamp(0.0, 100.0), 1)
}

/// An SVG document ready to sit inside HTML: the XML prolog removed. A chart that
/// carries script or foreign content is not inlined (our charts never do; this keeps
/// a future bug from turning into script in a report).
fn inline_svg(svg: &str) -> String {
    let body = match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => return String::new(),
    };
    let lower = body.to_ascii_lowercase();
    if lower.contains("<script") || lower.contains("<foreignobject") || lower.contains("javascript:") {
        return String::new();
    }
    body.trim_end().to_string()
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

    #[test]
    fn nothing_is_fetched_from_elsewhere() {
        let html = String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap();
        for needle in ["<link", "<script", "<img", "@import", "url(", "src="] {
            assert!(!html.contains(needle), "{needle}");
        }
        assert!(html.contains("@page { size: A4;"));
        assert_eq!(html.matches("<svg").count(), 3, "overview and two target charts inline");
    }

    #[test]
    fn unsafe_svg_is_not_inlined() {
        assert_eq!(inline_svg("<svg><script>alert(1)</script></svg>"), "");
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg/>\n"), "<svg/>");
    }

    #[test]
    fn escape_covers_html() {
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
