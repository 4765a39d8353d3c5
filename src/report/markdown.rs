//! The report as Markdown, for pasting into documents and chat. Every piece of user
//! text goes through [`escape`], so a name or note cannot break a table, start a
//! heading, a link or code span, or carry raw HTML into a renderer that allows it.

use std::fmt::Write as _;

use super::table::{self, Cell, Table};
use super::Report;
use crate::lang::Lang;
use crate::present;

/// Escapes text for Markdown inline content (also inside a table cell): the ASCII
/// punctuation that opens emphasis, code, links, images, HTML, entities, headings or
/// GFM cells and strikethrough gets a backslash, and line breaks become spaces so a
/// cell stays on its line. User text never starts a line here (it always follows a
/// `|`, `- ` or `# `), so `-`, `+` and `=` keep their plain form and numbers read well.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn opt(text: &Option<String>) -> String {
    text.as_deref().map(escape).unwrap_or_else(|| "—".to_string())
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
        Cell::Name { name, .. } => escape(name),
        Cell::Latest(Some((actual, period))) => escape(&present::figure_in_period(actual, period, lang)),
        Cell::Latest(None) => "—".to_string(),
        Cell::Status { label, .. } => escape(label),
        Cell::Progress { label, .. } => opt(label),
        Cell::Source { source, note, .. } => {
            let mut text = opt(source);
            if let Some(note) = note {
                text.push_str(" — ");
                text.push_str(&escape(note));
            }
            text
        }
        Cell::Count(n) => n.to_string(),
        Cell::Number(value) | Cell::Share(value) => value.map_or_else(|| "—".to_string(), |v| v.to_string()),
    }
}

/// The report as UTF-8 Markdown.
pub fn render(report: &Report) -> Vec<u8> {
    let lang = report.lang;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&report.title()));
    let colon = t("：", ": ");
    let _ = writeln!(out, "- {}{colon}{}", t("计划", "Plan"), escape(&report.plan_label()));
    let _ = writeln!(out, "- {}{colon}{}", t("截至期", "As of"), escape(&report.as_of_label()));
    let _ = writeln!(out, "- {}{colon}{}", t("生成时间", "Made at"), escape(&report.made_at_label()));
    let _ = writeln!(out, "- {}{colon}{}\n", t("数据", "Data"), escape(&report.data_label()));
    if let Some(notice) = &report.notice {
        let _ = writeln!(out, "> **{}**\n", escape(notice));
    }
    let _ = writeln!(out, "{}\n", escape(&report.headline()));

    let _ = writeln!(out, "## {}\n", t("总体情况", "Summary"));
    table(&mut out, &table::counts(report), lang);

    let _ = writeln!(out, "## {}\n", t("需要关注的指标", "Targets that need attention"));
    if report.behind.is_empty() {
        let _ = writeln!(out, "{}\n", t("无。", "None."));
    } else {
        table(&mut out, &table::attention(report), lang);
    }

    let _ = writeln!(out, "## {}\n", t("未报送", "Overdue figures"));
    if report.overdue.is_empty() {
        let _ = writeln!(out, "{}\n", t("无。", "None."));
    } else {
        table(&mut out, &table::overdue(report), lang);
    }

    let _ = match lang {
        Lang::Zh => writeln!(out, "## {}以来修订的数据\n", escape(&report.revisions_since_label())),
        Lang::En => writeln!(out, "## Figures revised since {}\n", escape(&report.revisions_since_label())),
    };
    if report.revisions.is_empty() {
        let _ = writeln!(out, "{}\n", t("无。", "None."));
    } else {
        table(&mut out, &table::revisions(report), lang);
    }

    if !report.adjustments.is_empty() {
        let _ = writeln!(out, "## {}\n", t("目标调整", "Target adjustments"));
        table(&mut out, &table::adjustments(report), lang);
    }

    for section in &report.sections {
        let _ = writeln!(out, "## {}\n", escape(&section.title));
        table(&mut out, &table::targets(report, &section.rows), lang);
    }
    out.push_str(t(
        "*由 ontrack 生成。差距为正表示超过目标；进度为完成全年目标的比例，序时为按时间应完成的比例。*\n",
        "*Made by ontrack. A positive gap is ahead of the goal; progress is the share of the annual target done, pace the share due by now.*\n",
    ));
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

    #[test]
    fn escape_covers_markdown_syntax() {
        assert_eq!(escape("a|b`c`<d>"), "a\\|b\\`c\\`\\<d\\>");
        assert_eq!(escape("line\nbreak"), "line break");
        assert_eq!(escape("金水区"), "金水区");
    }
}
