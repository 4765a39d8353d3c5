//! The report as Markdown, for pasting into documents and chat. Every piece of user
//! text goes through [`crate::escape::markdown`], so a name or note cannot break a table, start a
//! heading, a link or code span, or carry raw HTML into a renderer that allows it.

use std::fmt::Write as _;

use super::table::{self, Cell, Table};
use super::Report;
use crate::lang::Lang;
use crate::present;

use crate::escape;

fn opt(text: &Option<String>) -> String {
    text.as_deref().map(escape::markdown).unwrap_or_else(|| "—".to_string())
}

/// A table from [`table`]: a header row, a divider, one line per row.
fn table(out: &mut String, table: &Table, lang: Lang) {
    let _ = writeln!(out, "| {} |", table.headers.join(" | "));
    let _ = writeln!(out, "|{}", table.headers.iter().map(|_| "---|").collect::<String>());
    for row in &table.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| cell(c, lang))
            .map(|text| if row.total { format!("**{text}**") } else { text })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn cell(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Text(text) | Cell::Duty(text) | Cell::Figure(text) => opt(text),
        Cell::Name { name, .. } => escape::markdown(name),
        Cell::Latest(Some((actual, period))) => escape::markdown(&present::figure_in_period(actual, period, lang)),
        Cell::Latest(None) => "—".to_string(),
        Cell::Status { label, .. } => escape::markdown(label),
        Cell::Progress { label, .. } => opt(label),
        Cell::Source { source, note, .. } => {
            let mut text = opt(source);
            if let Some(note) = note {
                text.push_str(" — ");
                text.push_str(&escape::markdown(note));
            }
            text
        }
        Cell::Count(n) => n.to_string(),
        Cell::Number(value) | Cell::Share(value) => value.map_or_else(|| "—".to_string(), |v| v.to_string()),
    }
}

/// The report as UTF-8 Markdown.
pub fn render(report: &Report) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(report, &mut bytes).expect("writing to memory");
    bytes
}

/// Writes the report as UTF-8 Markdown to `sink` as it is made, a table at a time.
pub fn write(report: &Report, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let lang = report.lang;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape::markdown(&report.title()));
    let colon = present::colon(lang);
    for (label, value) in report.facts() {
        let _ = writeln!(out, "- {label}{colon}{}", escape::markdown(&value));
    }
    out.push('\n');
    if let Some(notice) = &report.notice {
        let _ = writeln!(out, "> **{}**\n", escape::markdown(notice));
    }
    let _ = writeln!(out, "{}\n", escape::markdown(&report.headline()));

    let _ = writeln!(out, "## {}\n", present::report::summary(lang));
    table(&mut out, &table::counts(report), lang);

    let _ = writeln!(out, "## {}\n", present::report::attention(lang));
    if report.behind.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &table::attention(report), lang);
    }

    let _ = writeln!(out, "## {}\n", present::report::overdue(lang));
    if report.overdue.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &table::overdue(report), lang);
    }

    let _ = writeln!(
        out,
        "## {}\n",
        escape::markdown(&present::report::revised_since(&report.revisions_since_label(), lang))
    );
    if report.revisions.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &table::revisions(report), lang);
    }

    let _ = writeln!(out, "## {}\n", present::review_heading(lang));
    if report.review_counts.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &table::review_counts(report), lang);
    }
    let _ = writeln!(out, "## {}\n", present::returned_heading(lang));
    if report.review.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &table::review(report), lang);
    }
    let _ =
        writeln!(out, "## {}\n", escape::markdown(&present::completeness_heading(report.completeness.period, lang)));
    if report.completeness.units.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &table::completeness(&report.completeness, lang), lang);
    }
    if !report.adjustments.is_empty() {
        let _ = writeln!(out, "## {}\n", present::report::adjustments(lang));
        table(&mut out, &table::adjustments(report), lang);
    }

    for section in &report.sections {
        drain(&mut out, sink)?;
        let _ = writeln!(out, "## {}\n", escape::markdown(&section.title));
        table(&mut out, &table::targets(report, &section.rows), lang);
    }
    out.push_str(present::report::footnote(lang));
    drain(&mut out, sink)
}

/// Writes what `out` holds to `sink` and empties it.
fn drain(out: &mut String, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    sink.write_all(out.as_bytes())?;
    out.clear();
    Ok(())
}

/// The family's report (`report --parent`) as UTF-8 Markdown, with the same table
/// renderer as the plan's.
pub fn render_family(report: &super::family::FamilyReport<'_>) -> Vec<u8> {
    let lang = report.lang;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape::markdown(&report.title()));
    let colon = present::colon(lang);
    for (label, value) in report.facts() {
        let _ = writeln!(out, "- {label}{colon}{}", escape::markdown(&value));
    }
    out.push('\n');
    let _ = writeln!(out, "## {}\n", present::compare::counts_heading(lang));
    table(&mut out, &report.counts(), lang);
    let _ = writeln!(out, "## {}\n", present::compare::rankings_heading(lang));
    for indicator in &report.comparison.indicators {
        let _ = writeln!(out, "### {}\n", escape::markdown(&report.indicator_heading(indicator)));
        table(&mut out, &report.ranking(indicator), lang);
        let _ = writeln!(out, "{}\n", escape::markdown(&present::compare::change_since(indicator.previous, lang)));
    }
    let _ = writeln!(out, "## {}\n", present::compare::overdue_heading(lang));
    let overdue = report.overdue();
    if overdue.rows.is_empty() {
        let _ = writeln!(out, "{}\n", present::report::none(lang));
    } else {
        table(&mut out, &overdue, lang);
    }
    out.push_str(present::compare::footnote(lang));
    out.push('\n');
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn markdown_snapshot_zh() {
        let bytes = render(&fixture::report(Lang::Zh));
        insta::assert_snapshot!(String::from_utf8(bytes).unwrap());
    }

    #[test]
    fn markdown_snapshot_en() {
        let bytes = render(&fixture::report(Lang::En));
        insta::assert_snapshot!(String::from_utf8(bytes).unwrap());
    }

    #[test]
    fn hostile_text_is_inert() {
        let text = String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap();
        assert!(!text.contains("<script>"));
        assert!(text.contains("\\<script\\>alert(1)\\</script\\>"));
        assert!(text.contains("=HYPERLINK(\"http://x\")"));
        // Every table row keeps its column count: a `|` in user text never splits a cell.
        for line in text.lines().filter(|l| l.starts_with("| ")) {
            let unescaped = line.replace("\\|", "");
            let columns = unescaped.matches('|').count();
            assert!(columns >= 3, "{line}");
        }
    }
}
