//! How every worksheet ontrack writes prints (the template and each sheet of the
//! report workbook): A4 landscape, one page wide and as many tall as it takes, the
//! used range as the print area, the column headers repeated on every page, and the
//! page number and count in the footer. Without this a spreadsheet program prints a
//! wide sheet column block by column block (a two-row template took five pages).

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::lang::Lang;

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// What of a sheet to print: the used range, from A1 to (`last_row`, `last_col`), and
/// the rows repeated at the top of every page (`repeat`: first and last, 0-based).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintRange {
    pub last_row: u32,
    pub last_col: u16,
    pub repeat: (u32, u32),
}

/// Sets the print layout of `sheet` for `range`, its footer in `lang`.
pub fn set_print_layout(sheet: &mut Worksheet, range: PrintRange, lang: Lang) -> Result<(), XlsxError> {
    sheet
        .set_landscape()
        .set_paper_size(A4)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        // Inches, as Excel keeps them: 1.3 cm at the sides, room for the footer below.
        .set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3)
        .set_footer(page_footer(lang));
    sheet.set_print_area(0, 0, range.last_row, range.last_col)?;
    sheet.set_repeat_rows(range.repeat.0, range.repeat.1)?;
    Ok(())
}

/// The footer, centred: `第 &P 页 共 &N 页` / `Page &P of &N` (Excel's codes for the
/// page number and the number of pages).
fn page_footer(lang: Lang) -> &'static str {
    lang.pick("&C第 &P 页 共 &N 页", "&CPage &P of &N")
}
