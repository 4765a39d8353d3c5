//! The template as an Excel workbook: the import columns are open for input (the
//! period column as text, so Excel does not turn `2020-09` into a date), the value
//! cells carry data validation by the target's kind, and the context columns are
//! locked by sheet protection (no password: it guards against slips, not people).

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, ProtectionOptions, Workbook, XlsxError,
};

use super::{cells, headers, TemplateRow, TEMPLATE_COLUMNS};
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::plan::Kind;
use crate::validate::{magnitude_limit, MAX_GROWTH};

/// Rows below the filled ones that stay open for input (a department may add a row).
const OPEN_ROWS: u32 = 200;

/// The template as .xlsx bytes. `made_at` is stored as the workbook's creation time,
/// so the same data and clock give the same bytes.
pub fn xlsx_bytes(rows: &[TemplateRow<'_>], lang: Lang, made_at: DateTime<Utc>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_timestamp(made_at.timestamp())?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("填报", "figures"))?;

    let open = Format::new().set_unlocked();
    let open_text = Format::new().set_unlocked().set_num_format("@");
    let header = Format::new().set_bold().set_background_color("#D9E1F2");
    let context = Format::new().set_background_color("#F2F2F2");
    let input_columns = TEMPLATE_COLUMNS.len() as u16;

    for (column, title) in headers(lang).iter().enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(0, column, title, &header)?;
        let width = if column < input_columns { 16.0 } else { 24.0 };
        sheet.set_column_width(column, width)?;
    }
    for column in 0..input_columns {
        // Target, period, source, note and by are text; the value column stays general.
        let format = if column == 2 { &open } else { &open_text };
        sheet.set_column_format(column, format)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = index as u32 + 1;
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
    for line in rows.len() as u32 + 1..rows.len() as u32 + 1 + OPEN_ROWS {
        for column in 0..input_columns {
            let format = if column == 2 { &open } else { &open_text };
            sheet.write_blank(line, column, format)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    workbook.save_to_buffer()
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
