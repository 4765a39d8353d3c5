//! Making text from a plan, a file or a person safe in each syntax we write, one
//! function per target syntax. User text goes through one of these before it meets
//! markup, a cell or the terminal:
//!
//! - [`html`]: element content and quoted attributes (through [`crate::html::Html`]);
//! - [`markdown`]: inline Markdown, also inside a GFM table cell;
//! - [`xml_clean`] and [`xml`]: SVG text (one line, no character XML 1.0 forbids);
//! - [`csv_cell`]: a CSV cell a spreadsheet opens (no formula, no terminal control);
//! - [`terminal`] and [`terminal_lines`]: text shown on a terminal.
//!
//! The workbook needs none: it writes text as text, never a formula.

/// Escapes text for HTML element content and quoted attribute values: `& < > " '`
/// become entities, and control characters other than newline and tab (which no page
/// can show) become U+FFFD.
pub fn html(text: &str) -> String {
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

/// Escapes text for Markdown inline content (also inside a table cell): the ASCII
/// punctuation that opens emphasis, code, links, images, HTML, entities, headings or
/// GFM cells and strikethrough gets a backslash, and line breaks become spaces so a
/// cell stays on its line. User text never starts a line there (it always follows a
/// `|`, `- ` or `# `), so `-`, `+` and `=` keep their plain form and numbers read well.
pub fn markdown(text: &str) -> String {
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

/// User text made safe for an XML document: characters XML 1.0 forbids (control
/// characters, U+FFFE, U+FFFF) become U+FFFD, and line breaks and tabs become spaces
/// (SVG text is one line). Escaping of `<`, `&`, quotes is [`xml`]'s, when it is written.
pub fn xml_clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Escapes text for XML content or a double-quoted attribute, cleaned first.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in xml_clean(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A CSV cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab or
/// CR first) gets a leading apostrophe. Numbers such as `-5.2` stay numbers. Control
/// characters other than tab and line breaks (ANSI escapes, bells) are replaced, so a
/// CSV shown in a terminal cannot drive it. Quoting is the csv writer's.
pub fn csv_cell(cell: &str) -> String {
    let cell: String =
        cell.chars().map(|c| if c.is_control() && !matches!(c, '\t' | '\n' | '\r') { '\u{FFFD}' } else { c }).collect();
    let risky = matches!(cell.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Replaces control characters (ANSI escapes, bells, backspaces) and bidi overrides so
/// user text cannot drive the terminal or reorder what it shows; newlines become spaces.
pub fn terminal(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe_on_terminal(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// [`terminal`] for a whole message of several lines: the line breaks (and tabs) that
/// structure it stay, every other control character (ESC, BEL, a lone CR, C1) and every
/// bidi override becomes U+FFFD.
pub fn terminal_lines(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => safe.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            c if is_unsafe_on_terminal(c) => safe.push('\u{FFFD}'),
            c => safe.push(c),
        }
    }
    safe
}

/// C0 and C1 controls and DEL, and the bidi embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which make a terminal show text in another order.
fn is_unsafe_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every syntax meets the same hostile text: its markup characters, a newline, a
    /// CR, a tab, ESC (an ANSI colour), BEL, DEL, a C1 control, U+FFFF, a bidi override.
    const NASTY: &str = "a|b`c`<d>&\"e'\nf\rg\th\u{1b}[31mi\u{7}j\u{7f}k\u{85}l\u{FFFF}m\u{202E}n";

    #[test]
    fn html_escapes_markup_and_replaces_controls() {
        assert_eq!(
            html(NASTY),
            "a|b`c`&lt;d&gt;&amp;&quot;e&#39;\nf\u{FFFD}g\th\u{FFFD}[31mi\u{FFFD}j\u{FFFD}k\u{FFFD}l\u{FFFF}m\u{202E}n"
        );
        assert_eq!(html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(html("金水区"), "金水区");
    }

    #[test]
    fn markdown_escapes_its_syntax_and_keeps_a_cell_on_one_line() {
        assert_eq!(
            markdown(NASTY),
            "a\\|b\\`c\\`\\<d\\>\\&\"e' f g h\u{FFFD}\\[31mi\u{FFFD}j\u{FFFD}k\u{FFFD}l\u{FFFF}m\u{202E}n"
        );
        assert_eq!(
            markdown("*x* _y_ [l](u) ![i](u) # h ~~s~~ \\"),
            "\\*x\\* \\_y\\_ \\[l\\](u) \\!\\[i\\](u) \\# h \\~\\~s\\~\\~ \\\\"
        );
        assert_eq!(markdown("-5.2 = +3"), "-5.2 = +3");
        assert_eq!(markdown("金水区"), "金水区");
    }

    #[test]
    fn xml_removes_what_xml_forbids_and_escapes_markup() {
        assert_eq!(xml_clean(NASTY), "a|b`c`<d>&\"e' f g h\u{FFFD}[31mi\u{FFFD}j\u{FFFD}k\u{FFFD}l\u{FFFD}m\u{202E}n");
        assert_eq!(
            xml(NASTY),
            "a|b`c`&lt;d&gt;&amp;&quot;e&apos; f g h\u{FFFD}[31mi\u{FFFD}j\u{FFFD}k\u{FFFD}l\u{FFFD}m\u{202E}n"
        );
        assert_eq!(xml("]]>"), "]]&gt;");
    }

    #[test]
    fn csv_cells_never_start_a_formula_or_drive_a_terminal() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1 call"), "'+1 call");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\r=x"), "'\r=x");
        assert_eq!(csv_cell("-5.2"), "-5.2");
        assert_eq!(csv_cell("+3"), "+3");
        assert_eq!(csv_cell("区统计局"), "区统计局");
        assert_eq!(
            csv_cell(NASTY),
            "a|b`c`<d>&\"e'\nf\rg\th\u{FFFD}[31mi\u{FFFD}j\u{FFFD}k\u{FFFD}l\u{FFFF}m\u{202E}n"
        );
    }

    #[test]
    fn terminal_text_cannot_drive_or_reorder_the_terminal() {
        assert_eq!(terminal(NASTY), "a|b`c`<d>&\"e' f g h\u{FFFD}[31mi\u{FFFD}j\u{FFFD}k\u{FFFD}l\u{FFFF}m\u{FFFD}n");
        assert_eq!(terminal("\u{2066}x\u{2069}\u{202A}"), "\u{FFFD}x\u{FFFD}\u{FFFD}");
        assert_eq!(terminal_lines("one\r\ntwo\n\tthree\rfour\u{1b}[2J"), "one\ntwo\n\tthree\u{FFFD}four\u{FFFD}[2J");
    }
}
