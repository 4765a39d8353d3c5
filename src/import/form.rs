//! The head and foot of a statistical form (统计报表) around the rows of figures, as
//! `ontrack template` writes them and a department fills them in: above the column
//! headers the reporting unit (填报单位), the period (报告期) and the plan; below the
//! rows the unit head (单位负责人), the statistics head (统计负责人), who filled the
//! form in (填表人), a phone number (联系电话) and the day it was sent (报出日期).
//!
//! A field is a label cell (`填表人：`, or `Filled in by:`), its value either in the same
//! cell after the label (`填表人：张三`) or in the next cell to its right that holds
//! something and is not itself a label. Rows may be added, removed or left blank, and a
//! sheet without a head or foot reads as before. Pure: cells in, fields out.

use chrono::NaiveDate;

use super::cell::Cell;
use crate::escape;
use crate::lang::{Lang, Text};
use crate::output::{clip, CLIP_AT};

/// One field of the form's head or foot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Unit,
    Period,
    Plan,
    UnitHead,
    StatisticsHead,
    FilledBy,
    Phone,
    ReportedOn,
}

impl FormField {
    /// The head's fields, then the foot's, in the order the template writes them.
    pub const HEAD: [FormField; 3] = [FormField::Unit, FormField::Period, FormField::Plan];
    pub const FOOT: [FormField; 5] =
        [FormField::UnitHead, FormField::StatisticsHead, FormField::FilledBy, FormField::Phone, FormField::ReportedOn];

    pub fn chinese(self) -> &'static str {
        match self {
            FormField::Unit => "填报单位",
            FormField::Period => "报告期",
            FormField::Plan => "计划",
            FormField::UnitHead => "单位负责人",
            FormField::StatisticsHead => "统计负责人",
            FormField::FilledBy => "填表人",
            FormField::Phone => "联系电话",
            FormField::ReportedOn => "报出日期",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            FormField::Unit => "Reporting unit",
            FormField::Period => "Reporting period",
            FormField::Plan => "Plan",
            FormField::UnitHead => "Head of unit",
            FormField::StatisticsHead => "Head of statistics",
            FormField::FilledBy => "Filled in by",
            FormField::Phone => "Phone",
            FormField::ReportedOn => "Reported on",
        }
    }

    /// The label cell as the template writes it: `填表人：` / `Filled in by:`.
    pub fn label(self, lang: Lang) -> String {
        lang.choose(format!("{}：", self.chinese()), format!("{}:", self.english()))
    }

    /// The field a cell's text starts with, and the rest of the text after the label
    /// and its colon; English labels in any case.
    fn strip(text: &str) -> Option<(FormField, &str)> {
        let all = FormField::HEAD.into_iter().chain(FormField::FOOT);
        all.into_iter().find_map(|field| {
            let rest = text.strip_prefix(field.chinese()).or_else(|| {
                let english = field.english();
                let head = text.get(..english.len())?;
                head.eq_ignore_ascii_case(english).then(|| &text[english.len()..])
            })?;
            // A label is followed by a colon, a blank or nothing: `计划` is a label, `计划内` is not.
            let after = rest.trim_start();
            let colon = after.strip_prefix('：').or_else(|| after.strip_prefix(':'));
            match colon {
                Some(value) => Some((field, value)),
                None if after.is_empty() || rest.len() != after.len() => Some((field, after)),
                None => None,
            }
        })
    }
}

/// The date pattern the template writes in the 报出日期 cell, to be written over.
pub fn date_pattern(lang: Lang) -> &'static str {
    lang.pick("____ 年 __ 月 __ 日", "____-__-__ (year-month-day)")
}

/// A field's value as found, with the place of its cell (`填报!B31`, `line 9`).
#[derive(Debug, Clone, PartialEq)]
pub struct FoundField {
    pub field: FormField,
    pub cell: Cell,
    pub place: String,
}

/// Whether a row below the column headers begins the foot: its first filled cell is
/// a foot label. (A row of figures begins with its target code.)
pub fn is_foot_row(cells: &[Cell]) -> bool {
    let first = cells.iter().find(|cell| !cell.is_blank());
    first.is_some_and(|cell| FormField::strip(&cell.text()).is_some_and(|(field, _)| FormField::FOOT.contains(&field)))
}

/// The fields of one row of the head or foot, each with its value's cell; `place`
/// names a cell of the row by its column. A label with no value found is left out.
pub fn fields_of_row(cells: &[Cell], place: impl Fn(usize) -> String) -> Vec<FoundField> {
    let mut found = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let Cell::Text(text) = cell else { continue };
        let Some((field, rest)) = FormField::strip(text.trim()) else { continue };
        if !blank_value(rest) {
            found.push(FoundField { field, cell: Cell::Text(rest.trim().to_string()), place: place(index) });
            continue;
        }
        let next = cells.iter().enumerate().skip(index + 1).find(|(_, cell)| !cell.is_blank());
        if let Some((at, value)) = next {
            let is_label = matches!(value, Cell::Text(text) if FormField::strip(text.trim()).is_some());
            if !is_label && !matches!(value, Cell::Text(text) if blank_value(text)) {
                found.push(FoundField { field, cell: value.clone(), place: place(at) });
            }
        }
    }
    found
}

/// Text that fills nothing in: blanks, underscores, and the date pattern unfilled.
fn blank_value(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || matches!(c, '_' | '年' | '月' | '日' | '-' | '/' | '.'))
        || text.trim() == date_pattern(Lang::En)
}

/// The form a sheet carries: every field optional (an old sheet has none), each text
/// trimmed, cut at [`CLIP_AT`] characters and made terminal-safe.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetForm {
    /// 填报单位, with the place of its cell.
    pub unit: Option<(String, String)>,
    pub unit_head: Option<String>,
    pub statistics_head: Option<String>,
    /// 填表人: who logged the rows whose by (填报人) cell is blank.
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub reported_on: Option<NaiveDate>,
}

impl SheetForm {
    pub fn is_empty(&self) -> bool {
        *self == SheetForm::default()
    }

    /// What the store keeps of the form with the import.
    pub fn provenance(&self) -> crate::store::FormProvenance {
        crate::store::FormProvenance {
            reporting_unit: self.unit.as_ref().map(|(unit, _)| unit.clone()),
            unit_head: self.unit_head.clone(),
            statistics_head: self.statistics_head.clone(),
            filled_by: self.filled_by.clone(),
            phone: self.phone.clone(),
            reported_on: self.reported_on.map(|date| date.format("%Y-%m-%d").to_string()),
        }
    }

    /// The form from the fields found (the first of each counts), or the problem with
    /// the 报出日期 cell. `today` is "now": a form cannot be sent after it.
    pub fn from_fields(fields: &[FoundField], today: NaiveDate) -> Result<SheetForm, (String, Text)> {
        let mut form = SheetForm::default();
        let text = |found: &FoundField| {
            let text = escape::terminal(&found.cell.text());
            Some(clip(text.trim(), CLIP_AT).into_owned()).filter(|t| !t.is_empty())
        };
        for found in fields {
            match found.field {
                FormField::Unit if form.unit.is_none() => {
                    form.unit = text(found).map(|unit| (unit, found.place.clone()))
                }
                FormField::UnitHead if form.unit_head.is_none() => form.unit_head = text(found),
                FormField::StatisticsHead if form.statistics_head.is_none() => form.statistics_head = text(found),
                FormField::FilledBy if form.filled_by.is_none() => form.filled_by = text(found),
                FormField::Phone if form.phone.is_none() => form.phone = text(found),
                FormField::ReportedOn if form.reported_on.is_none() => {
                    let date = reported_on(&found.cell).map_err(|message| (found.place.clone(), message))?;
                    if date > today {
                        return Err((
                            found.place.clone(),
                            Text::new(
                                format!("报出日期 {date} 晚于今天（{today}）；请填写报表实际报出的日期"),
                                format!(
                                    "the date reported on ({date}) is after today ({today}); enter the day the form \
                                     is sent"
                                ),
                            ),
                        ));
                    }
                    form.reported_on = Some(date);
                }
                _ => {}
            }
        }
        Ok(form)
    }

    /// The form's fields that are filled in, as `label value` pairs in `lang`, in the
    /// template's order.
    pub fn filled(&self, lang: Lang) -> Vec<(String, String)> {
        let date = self.reported_on.map(|d| match lang {
            Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        });
        [
            (FormField::Unit, self.unit.as_ref().map(|(unit, _)| unit.clone())),
            (FormField::UnitHead, self.unit_head.clone()),
            (FormField::StatisticsHead, self.statistics_head.clone()),
            (FormField::FilledBy, self.filled_by.clone()),
            (FormField::Phone, self.phone.clone()),
            (FormField::ReportedOn, date),
        ]
        .into_iter()
        .filter_map(|(field, value)| Some((lang.pick(field.chinese(), field.english()).to_string(), value?)))
        .collect()
    }
}

/// The 报出日期 cell as a date: an Excel date, or text such as `2020年10月12日`,
/// `2020-10-12`, `2020/10/12`, `2020.10.12` (blanks and underscores ignored).
fn reported_on(cell: &Cell) -> Result<NaiveDate, Text> {
    let bad = |shown: &str| {
        let shown = clip(&escape::terminal(shown), CLIP_AT).into_owned();
        Text::new(
            format!("报出日期 \"{shown}\" 不是有效日期；请写作 2020年10月12日 或 2020-10-12"),
            format!("the date reported on, \"{shown}\", is not a date; write it as 2020-10-12 or 2020年10月12日"),
        )
    };
    if let Cell::Date { year, month, day } = cell {
        return NaiveDate::from_ymd_opt(i32::from(*year), u32::from(*month), u32::from(*day))
            .ok_or_else(|| bad(&cell.text()));
    }
    let shown = cell.text();
    let compact: String = shown.chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
    let parts: Vec<&str> = compact.trim_end_matches('日').split(['年', '月', '-', '/', '.']).collect();
    let number = |text: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse::<u32>().ok())?
    };
    let date = match parts.as_slice() {
        [year, month, day] => match (number(year, 4..=4), number(month, 1..=2), number(day, 1..=2)) {
            (Some(year), Some(month), Some(day)) => NaiveDate::from_ymd_opt(year as i32, month, day),
            _ => None,
        },
        _ => None,
    };
    date.ok_or_else(|| bad(&shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|t| if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_string()) }).collect()
    }

    fn fields(cells: &[&str]) -> Vec<(FormField, String, String)> {
        fields_of_row(&text(cells), |column| format!("S!{column}"))
            .into_iter()
            .map(|found| (found.field, found.cell.text(), found.place))
            .collect()
    }

    #[test]
    fn a_value_is_beside_its_label_or_after_it_in_the_same_cell() {
        assert_eq!(
            fields(&["单位负责人：", "李四", "统计负责人：", "", "填表人：张三", "", "联系电话:", "0371-1234"]),
            [
                (FormField::UnitHead, "李四".into(), "S!1".into()),
                (FormField::FilledBy, "张三".into(), "S!4".into()),
                (FormField::Phone, "0371-1234".into(), "S!7".into()),
            ]
        );
        assert_eq!(fields(&["Filled in by:", "Ann Lee", "PHONE: 555"]).len(), 2);
        // A label followed by another label has no value; the pattern unfilled is blank.
        assert_eq!(fields(&["填表人：", "联系电话：", "", "报出日期：", "____ 年 __ 月 __ 日"]), []);
        // A cell that only starts with a label's characters is not a label.
        assert_eq!(fields(&["计划内指标", "x"]), []);
        assert_eq!(fields(&["计划：jinshui-2020"]), [(FormField::Plan, "jinshui-2020".into(), "S!0".into())]);
    }

    #[test]
    fn a_foot_row_begins_with_a_foot_label() {
        assert!(is_foot_row(&text(&["", "单位负责人：", "李四"])));
        assert!(is_foot_row(&text(&["报出日期：2020年10月12日"])));
        assert!(!is_foot_row(&text(&["gdp-growth", "2020Q3", "填表人：张三"])));
        assert!(!is_foot_row(&text(&["填报单位：区统计局"])), "a head field");
    }

    #[test]
    fn the_date_reported_on_reads_as_people_write_it() {
        let date = |text: &str| reported_on(&Cell::Text(text.into())).map_err(|e| e.en);
        let day = NaiveDate::from_ymd_opt(2020, 10, 12).unwrap();
        for written in
            ["2020年10月12日", "2020 年 10 月 12 日", "2020_年_10_月 12 日", "2020-10-12", "2020/10/12", "2020.10.12"]
        {
            assert_eq!(date(written), Ok(day), "{written}");
        }
        assert_eq!(reported_on(&Cell::Date { year: 2020, month: 10, day: 12 }).map_err(|e| e.en), Ok(day));
        for bad in ["2020年13月5日", "2020-02-30", "十月十二日", "20-10-12", "2020-10"] {
            let message = date(bad).unwrap_err();
            assert!(message.contains("is not a date; write it as 2020-10-12"), "{bad}: {message}");
        }
    }

    #[test]
    fn the_form_takes_the_first_of_each_field_bounded_and_refuses_a_bad_date() {
        let today = NaiveDate::from_ymd_opt(2020, 10, 20).unwrap();
        let found =
            |field, text: &str, place: &str| FoundField { field, cell: Cell::Text(text.into()), place: place.into() };
        let form = SheetForm::from_fields(
            &[
                found(FormField::Unit, " 区统计局 ", "S!B2"),
                found(FormField::FilledBy, &format!("张三\u{1b}[31m{}", "x".repeat(200)), "S!F9"),
                found(FormField::FilledBy, "李四", "S!F10"),
                found(FormField::ReportedOn, "2020年10月12日", "S!J9"),
            ],
            today,
        )
        .unwrap();
        assert_eq!(form.unit, Some(("区统计局".to_string(), "S!B2".to_string())));
        let by = form.filled_by.unwrap();
        assert!(by.starts_with("张三\u{fffd}[31m") && by.chars().count() == CLIP_AT + 1, "{by}");
        assert_eq!(form.reported_on, NaiveDate::from_ymd_opt(2020, 10, 12));
        let (place, message) =
            SheetForm::from_fields(&[found(FormField::ReportedOn, "2020年10月32日", "S!J9")], today).unwrap_err();
        assert_eq!(place, "S!J9");
        assert!(message.zh.contains("报出日期 \"2020年10月32日\" 不是有效日期"), "{}", message.zh);
        let (_, message) =
            SheetForm::from_fields(&[found(FormField::ReportedOn, "2020-10-21", "S!J9")], today).unwrap_err();
        assert!(message.en.contains("after today (2020-10-20)"), "{}", message.en);
        assert!(SheetForm::from_fields(&[], today).unwrap().is_empty());
    }
}
