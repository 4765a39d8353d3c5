//! One cell of a sheet of figures, as the file held it: what the sheet reader
//! (`sheet.rs`) yields and the header reader (`columns.rs`) and the row checks read.

/// One cell as the file held it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A number shown as a percentage: Excel stores a typed `6.5%` as 0.065.
    Percent(f64),
    /// An Excel date (Excel turns a typed `2020-09` into 1 September 2020).
    Date {
        year: u16,
        month: u8,
        day: u8,
    },
    /// An Excel error value such as `#DIV/0!`, or a cell type we do not read.
    Unreadable(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for codes, sources and notes (`2020` from a number cell reads `2020`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().to_string(),
            Cell::Number(n) => crate::numbers::format_decimals(*n, 10),
            Cell::Percent(share) => format!("{}%", crate::numbers::format_decimals(share * 100.0, 10)),
            Cell::Date { year, month, day } => format!("{year}-{month:02}-{day:02}"),
            Cell::Unreadable(what) => what.clone(),
        }
    }
}
