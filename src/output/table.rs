//! Terminal tables drawn with box characters: the progress sheet, plan and target
//! lists. Our own, because a city's sheet has 10,000 rows and a general table crate
//! spent a third of `status`'s time measuring and re-measuring them; this one
//! measures each cell once.

use std::fmt;

use unicode_width::UnicodeWidthStr;

use crate::escape;

/// A colour for a cell's text on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Green,
    YellowGreen,
    Yellow,
    Red,
    Grey,
}

impl Colour {
    /// The SGR parameters that set it as the foreground colour.
    fn sgr(self) -> &'static str {
        match self {
            Colour::Green => "32",
            Colour::YellowGreen => "38;5;148",
            Colour::Yellow => "33",
            Colour::Red => "31",
            Colour::Grey => "90",
        }
    }
}

/// A table with a header row: every cell padded to its column's width in terminal
/// columns (a Chinese character takes two), one space either side.
///
/// ```text
/// ┌──────┬──────┐
/// │ 代码 ┆ 状态 │
/// ╞══════╪══════╡
/// │ gdp  ┆ 滞后 │
/// └──────┴──────┘
/// ```
#[derive(Debug, Clone)]
pub struct TextTable {
    /// The header, then the rows; each cell's text (terminal-safe), width and colour.
    lines: Vec<Vec<TableCell>>,
    widths: Vec<usize>,
}

#[derive(Debug, Clone)]
struct TableCell {
    text: String,
    width: usize,
    colour: Option<Colour>,
}

impl TextTable {
    pub fn new<S: AsRef<str>>(headers: &[S]) -> TextTable {
        let mut table = TextTable { lines: Vec::new(), widths: Vec::new() };
        table.push(headers.iter().map(|header| (header.as_ref(), None)));
        table
    }

    /// Adds a row of plain cells; text from the database or a plan is made terminal-safe.
    pub fn add_row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.push(cells.into_iter().map(|cell| (escape::terminal(cell.as_ref()), None)));
    }

    /// Adds a row whose cells may be coloured (only ever by us, never by the text).
    pub fn add_coloured_row(&mut self, cells: impl IntoIterator<Item = (String, Option<Colour>)>) {
        self.push(cells.into_iter().map(|(text, colour)| (escape::terminal(&text), colour)));
    }

    fn push<S: Into<String>>(&mut self, cells: impl Iterator<Item = (S, Option<Colour>)>) {
        let line: Vec<TableCell> = cells
            .map(|(text, colour)| {
                let text = text.into();
                TableCell { width: text.width(), text, colour }
            })
            .collect();
        if self.widths.len() < line.len() {
            self.widths.resize(line.len(), 0);
        }
        for (width, cell) in self.widths.iter_mut().zip(&line) {
            *width = (*width).max(cell.width);
        }
        self.lines.push(line);
    }

    /// `left`, then each column's width (plus padding) of `fill` separated by `middle`, then `right`.
    fn rule(&self, out: &mut String, [left, fill, middle, right]: [char; 4]) {
        out.push(left);
        for (column, width) in self.widths.iter().enumerate() {
            if column > 0 {
                out.push(middle);
            }
            out.extend(std::iter::repeat_n(fill, width + 2));
        }
        out.push(right);
    }

    fn line(&self, out: &mut String, cells: &[TableCell]) {
        out.push('│');
        for (column, width) in self.widths.iter().enumerate() {
            if column > 0 {
                out.push('┆');
            }
            out.push(' ');
            let cell = cells.get(column);
            match cell {
                Some(TableCell { text, colour: Some(colour), .. }) => {
                    out.push_str(&format!("\u{1b}[{}m{text}\u{1b}[39m", colour.sgr()));
                }
                Some(cell) => out.push_str(&cell.text),
                None => {}
            }
            let used = cell.map_or(0, |cell| cell.width);
            out.extend(std::iter::repeat_n(' ', width - used + 1));
        }
        out.push('│');
    }
}

/// The table without a final newline.
impl fmt::Display for TextTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row_width: usize = self.widths.iter().map(|w| w + 3).sum::<usize>() + 1;
        let mut out = String::with_capacity((self.lines.len() + 3) * row_width * 2);
        self.rule(&mut out, ['┌', '─', '┬', '┐']);
        for (index, cells) in self.lines.iter().enumerate() {
            out.push('\n');
            self.line(&mut out, cells);
            if index == 0 {
                out.push('\n');
                self.rule(&mut out, ['╞', '═', '╪', '╡']);
            }
        }
        out.push('\n');
        self.rule(&mut out, ['└', '─', '┴', '┘']);
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_in_terminal_columns() {
        let mut table = TextTable::new(&["代码", "status"]);
        table.add_row(["gdp-growth", "滞后"]);
        table.add_row(["x", ""]);
        let expected = "\
┌────────────┬────────┐
│ 代码       ┆ status │
╞════════════╪════════╡
│ gdp-growth ┆ 滞后   │
│ x          ┆        │
└────────────┴────────┘";
        assert_eq!(table.to_string(), expected);
    }

    #[test]
    fn a_header_alone_and_a_short_row() {
        let table = TextTable::new(&["a", "bb"]);
        assert_eq!(table.to_string(), "┌───┬────┐\n│ a ┆ bb │\n╞═══╪════╡\n└───┴────┘");
        let mut table = TextTable::new(&["a", "bb"]);
        table.add_row(["only"]);
        assert_eq!(table.to_string(), "┌──────┬────┐\n│ a    ┆ bb │\n╞══════╪════╡\n│ only ┆    │\n└──────┴────┘");
    }

    #[test]
    fn colour_wraps_the_text_and_text_cannot_colour_itself() {
        let mut table = TextTable::new(&["s"]);
        table.add_coloured_row([("滞后".to_string(), Some(Colour::Red))]);
        table.add_row(["\u{1b}[2Jx"]);
        let drawn = table.to_string();
        assert!(drawn.contains("│ \u{1b}[31m滞后\u{1b}[39m  │"), "{drawn}");
        assert!(!drawn.contains("\u{1b}[2J"), "{drawn}");
        assert_eq!(drawn.lines().nth(4).unwrap().width(), drawn.lines().next().unwrap().width(), "{drawn}");
    }
}
