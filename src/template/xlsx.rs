//! The template as an Excel workbook, a statistical form: the form's head (title,
//! reporting unit, period, plan), the column headers, the rows, a few open rows and
//! the foot for signatures, laid out to print on one A4 landscape page width. The
//! import columns are open for input (the period column as text, so Excel does not
//! turn `2020-09` into a date), the value cells carry data validation by the target's
//! kind, and the context columns are locked by sheet protection (no password: it
//! guards against slips, not people); the head's unit and the foot's values are open.

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::{cells, headers, FormHead, TemplateRow, TEMPLATE_COLUMNS};
use crate::import::{date_pattern, FormField};
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::output::{set_print_layout, PrintRange};
use crate::plan::Kind;
use crate::validate::{magnitude_limit, MAX_GROWTH};

/// Rows below the filled ones that stay open for input (a department may add a row,
/// or insert more: the protection allows it).
const OPEN_ROWS: u32 = 5;
/// The column headers' row, below the title and the head's fields.
const HEADER_ROW: u32 = 2;
/// The widths of the input columns (target, period, value, source, note, by) and of
/// the plan and context columns (plan, name, unit, goal, last figure, lead unit, how
/// to fill): narrow enough that the form fits an A4 landscape width legibly.
const WIDTHS: [f64; 13] = [20.0, 10.0, 10.0, 16.0, 14.0, 10.0, 12.0, 22.0, 7.0, 18.0, 13.0, 11.0, 28.0];

/// The template as .xlsx bytes. `made_at` is stored as the workbook's creation time,
/// so the same data and clock give the same bytes.
pub fn xlsx_bytes(
    head: &FormHead,
    rows: &[TemplateRow<'_>],
    lang: Lang,
    made_at: DateTime<Utc>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_timestamp(made_at.timestamp())?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("填报", "figures"))?;

    let open = Format::new().set_unlocked().set_border(FormatBorder::Thin);
    let open_text = open.clone().set_num_format("@");
    let header = Format::new().set_bold().set_background_color("#D9E1F2").set_border(FormatBorder::Thin);
    let context = Format::new().set_background_color("#F2F2F2").set_border(FormatBorder::Thin);
    let input_columns = TEMPLATE_COLUMNS.len() as u16;
    let last_col = headers(lang).len() as u16 - 1;

    write_head(sheet, head, last_col, lang)?;
    for (column, title) in headers(lang).iter().enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(HEADER_ROW, column, title, &header)?;
        sheet.set_column_width(column, WIDTHS.get(usize::from(column)).copied().unwrap_or(16.0))?;
    }
    let first = HEADER_ROW + 1;
    for (index, row) in rows.iter().enumerate() {
        let line = first + index as u32;
        for (column, text) in cells(row).iter().enumerate() {
            let column = column as u16;
            match column {
                2 => sheet.write_blank(line, column, &open)?,
                c if c < input_columns => sheet.write_string_with_format(line, column, text, &open_text)?,
                _ => sheet.write_string_with_format(line, column, text, &context)?,
            };
        }
        sheet.add_data_validation(line, 2, line, 2, &value_validation(row, lang)?)?;
    }
    // Rows below stay open for additions; their values are checked on import.
    let open_end = first + rows.len() as u32 + OPEN_ROWS;
    for line in first + rows.len() as u32..open_end {
        for column in 0..input_columns {
            let format = if column == 2 { &open } else { &open_text };
            sheet.write_blank(line, column, format)?;
        }
    }
    let foot_row = open_end + 1;
    write_foot(sheet, foot_row, lang)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    set_print_layout(sheet, PrintRange { last_row: foot_row, last_col, repeat: (HEADER_ROW, HEADER_ROW) }, lang)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        ..ProtectionOptions::default()
    });
    workbook.save_to_buffer()
}

/// The form's title across the sheet, and below it the reporting unit (open for input
/// when the sheet is not for one unit), the period, the plan and where the units are.
fn write_head(sheet: &mut Worksheet, head: &FormHead, last_col: u16, lang: Lang) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let label = Format::new().set_bold().set_align(FormatAlign::Right);
    let value = Format::new().set_border_bottom(FormatBorder::Thin);
    let open_value = value.clone().set_unlocked().set_num_format("@");
    sheet.merge_range(0, 0, 0, last_col, &head.title, &title)?;
    sheet.set_row_height(0, 28)?;
    sheet.write_string_with_format(1, 0, FormField::Unit.label(lang), &label)?;
    match &head.unit {
        Some(unit) => sheet.merge_range(1, 1, 1, 2, unit, &value)?,
        None => sheet.merge_range(1, 1, 1, 2, "", &open_value)?,
    };
    sheet.write_string_with_format(1, 3, FormField::Period.label(lang), &label)?;
    sheet.write_string_with_format(1, 4, &head.period, &value)?;
    sheet.write_string_with_format(1, 6, FormField::Plan.label(lang), &label)?;
    sheet.merge_range(1, 7, 1, 8, &head.plan, &value)?;
    let note = lang.pick("计量单位：见“单位”列", "Units: see the unit column");
    sheet.merge_range(1, 9, 1, last_col, note, &Format::new().set_align(FormatAlign::Right))?;
    Ok(())
}

/// The foot: each field's label, then an open cell to write in (报出日期 with its
/// pattern to write over), in one row.
fn write_foot(sheet: &mut Worksheet, row: u32, lang: Lang) -> Result<(), XlsxError> {
    let label = Format::new().set_bold().set_align(FormatAlign::Right);
    let open = Format::new().set_unlocked().set_num_format("@").set_border_bottom(FormatBorder::Thin);
    // Each field's label column and the columns its value spans, across the sheet.
    let places: [(u16, u16, u16); 5] = [(0, 1, 2), (3, 4, 4), (5, 6, 6), (7, 8, 9), (10, 11, 12)];
    for (field, (label_col, first, last)) in FormField::FOOT.into_iter().zip(places) {
        sheet.write_string_with_format(row, label_col, field.label(lang), &label)?;
        let pattern = if field == FormField::ReportedOn { date_pattern(lang) } else { "" };
        if first == last {
            sheet.write_string_with_format(row, first, pattern, &open)?;
        } else {
            sheet.merge_range(row, first, row, last, pattern, &open)?;
        }
    }
    Ok(())
}

/// Data validation for one value cell, by the target's kind.
fn value_validation(row: &TemplateRow<'_>, lang: Lang) -> Result<DataValidation, XlsxError> {
    let target = row.target;
    let (validation, allowed_zh, allowed_en) = match target.kind {
        Kind::Rate | Kind::Share | Kind::Milestone => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "0 到 100 之间的数".to_string(),
            "a number from 0 to 100".to_string(),
        ),
        // The limits of `validate::check_value` (Excel's whole numbers are 32-bit).
        Kind::Count => {
            let limit = magnitude_limit(target).0;
            let rule = match i32::try_from(limit as i64) {
                Ok(limit) => DataValidationRule::Between(0, limit),
                Err(_) => DataValidationRule::GreaterThanOrEqualTo(0),
            };
            (
                DataValidation::new().allow_whole_number(rule),
                format!("0 到 {} 之间的整数", format_number(limit)),
                format!("a whole number from 0 to {}", format_number(limit)),
            )
        }
        Kind::Amount => {
            let limit = magnitude_limit(target).0;
            (
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, limit)),
                format!("0 到 {} 之间的数", format_number(limit)),
                format!("a number from 0 to {}", format_number(limit)),
            )
        }
        Kind::Growth | Kind::Relative => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(-100.0, MAX_GROWTH)),
            "增速（%），-100 到 1000 之间".to_string(),
            "a growth rate in %, from -100 to 1000".to_string(),
        ),
    };
    let unit = &target.unit;
    let (title, message) = match lang {
        Lang::Zh => ("数值有误", format!("{}（{unit}）：请填写{allowed_zh}。", target.code)),
        Lang::En => ("Invalid value", format!("{} ({unit}): enter {allowed_en}.", target.code)),
    };
    validation.set_error_title(title)?.set_error_message(message.clone())?.set_input_message(message)
}
