//! The fill-in sheet a department receives for a period: one row per target due for
//! that period by its frequency, the import columns first (so a filled sheet imports
//! unchanged) and read-only context after them. Building the rows is pure; the
//! exporters return bytes (CSV here, Excel in [`xlsx`]).

mod xlsx;

pub use xlsx::xlsx_bytes;

use crate::actual::{current_figures, Actual};
use crate::import::{Column, CONTEXT_HEADERS};
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::output::csv_from_records;
use crate::period::{Period, Span};
use crate::plan::{Kind, Measure, Plan, Target};

/// The import columns a template carries, in order, open for input; the plan column
/// and the context columns follow.
pub const TEMPLATE_COLUMNS: [Column; 6] =
    [Column::Target, Column::Period, Column::Value, Column::Source, Column::Note, Column::By];

/// After the input columns, every row names the plan the template was made from (the
/// import column `plan`, 计划), so that `ontrack import` files the figures into that
/// plan whichever plan was loaded last; read-only in the workbook.
pub const PLAN_COLUMN: Column = Column::Plan;

/// One row of a template: a target and the period its figure is for.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow<'p> {
    /// The plan's id, written on every row.
    pub plan: &'p str,
    pub target: &'p Target,
    /// The period written in the row, in the target's own frequency (`2020Q3` for a
    /// quarterly target in a `2020-09` template).
    pub period: Period,
    pub name: String,
    pub goal: String,
    /// The latest figure logged for a window ending at or before the period (`2020Q2: 3.1`).
    pub last_figure: String,
    pub lead_unit: String,
    pub how_to_fill: String,
}

/// The period a template for `period` asks a target's figure for, if any: the period
/// of the target's frequency that ends in the same month (a quarterly target at
/// quarter ends, a yearly one at the year's end), and none after the target's due
/// period. A template for the whole year asks every target for the year. (Status's
/// `due_for` instead looks back to the last such period, for overdue flags.)
pub fn period_asked(target: &Target, plan_year: i32, period: Period) -> Option<Period> {
    let end = period.end_month();
    if end > target.due_period(plan_year).end_month() || !end.is_multiple_of(target.frequency.months()) {
        return None;
    }
    let span = match (period.span(), target.frequency.months()) {
        (Span::Year, _) | (_, 12) => Span::Year,
        (_, 3) => Span::Quarter(end / 3),
        _ => Span::Month(end),
    };
    Period::new(period.year(), span)
}

/// The rows of a template for `period`, in plan order, optionally only the targets a
/// lead unit (牵头单位) reports. `logged` is every figure of the plan.
pub fn template_rows<'p>(
    plan: &'p Plan,
    period: Period,
    lead_unit: Option<&str>,
    logged: &[Actual],
    lang: Lang,
) -> Vec<TemplateRow<'p>> {
    let standing = current_figures(logged, None);
    plan.targets()
        .iter()
        .filter(|t| lead_unit.is_none_or(|unit| t.lead_unit.as_deref() == Some(unit)))
        .filter_map(|target| {
            let due = period_asked(target, plan.year, period)?;
            let last = standing
                .iter()
                .filter(|a| *a.target == *target.code && a.period.end_key() <= period.end_key())
                .max_by_key(|a| a.period.end_key())
                .map(|a| format!("{}: {}", a.period, format_number(a.value)))
                .unwrap_or_default();
            Some(TemplateRow {
                plan: &plan.id,
                target,
                period: due,
                name: lang.name(&target.name, Some(&target.name_en)).to_string(),
                goal: crate::present::goal_words(target, lang),
                last_figure: last,
                lead_unit: target.lead_unit.clone().unwrap_or_default(),
                how_to_fill: how_to_fill(target, lang).to_string(),
            })
        })
        .collect()
}

/// What to enter in the value cell, by kind.
fn how_to_fill(target: &Target, lang: Lang) -> &'static str {
    match (target.kind, target.measure()) {
        (Kind::Growth | Kind::Relative, _) => {
            lang.pick("1月起累计增速（%），可为负数", "growth since January in %, may be negative")
        }
        (Kind::Rate | Kind::Share, _) => lang.pick("期末数值（%），0–100", "level at the period's end in %, 0–100"),
        (Kind::Milestone, _) => lang.pick("完成进度（%），0–100，100 = 完成", "% complete, 0–100 (100 = done)"),
        (Kind::Count, Measure::Ytd) => lang.pick("1月起累计数，整数", "done since January, a whole number"),
        (Kind::Count, Measure::Level) => lang.pick("期末总数，整数", "total at the period's end, a whole number"),
        (Kind::Amount, Measure::Ytd) => lang.pick("1月起累计数，不小于 0", "since January, 0 or more"),
        (Kind::Amount, Measure::Level) => lang.pick("期末总量，不小于 0", "total at the period's end, 0 or more"),
    }
}

/// The header row: import columns (in the language of the sheet), then context.
pub fn headers(lang: Lang) -> Vec<String> {
    let import = TEMPLATE_COLUMNS.iter().chain([&PLAN_COLUMN]).map(|c| lang.pick(c.chinese(), c.english()).to_string());
    let context = CONTEXT_HEADERS.iter().map(|(en, zh)| lang.pick(zh, en).to_string());
    import.chain(context).collect()
}

/// The cells of a row, in header order; the value, source, note and by cells are blank.
fn cells(row: &TemplateRow<'_>) -> Vec<String> {
    vec![
        row.target.code.clone(),
        row.period.label(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        row.plan.to_string(),
        row.name.clone(),
        row.target.unit.clone(),
        row.goal.clone(),
        row.last_figure.clone(),
        row.lead_unit.clone(),
        row.how_to_fill.clone(),
    ]
}

/// The template as CSV for Excel (UTF-8 with BOM).
pub fn csv_bytes(rows: &[TemplateRow<'_>], lang: Lang) -> Vec<u8> {
    csv_from_records(&headers(lang), rows.iter().map(cells))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;

    fn plan() -> Plan {
        parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap()
    }

    fn due(code: &str, period: &str) -> Option<String> {
        let plan = plan();
        period_asked(plan.target(code).unwrap(), plan.year, period.parse().unwrap()).map(|p| p.label())
    }

    #[test]
    fn a_target_is_due_at_the_ends_of_its_frequency() {
        assert_eq!(due("gdp-growth", "2020Q3").as_deref(), Some("2020Q3"));
        assert_eq!(due("gdp-growth", "2020-09").as_deref(), Some("2020Q3"));
        assert_eq!(due("gdp-growth", "2020-08"), None);
        assert_eq!(due("gdp-growth", "2020").as_deref(), Some("2020"));
        assert_eq!(due("gdp-growth", "2020H2").as_deref(), Some("2020Q4"));
        assert_eq!(due("budget-revenue-growth", "2020-08").as_deref(), Some("2020-08"));
        assert_eq!(due("budget-revenue-growth", "2020Q3").as_deref(), Some("2020-09"));
        assert_eq!(due("rd-spending-growth", "2020Q3"), None);
        assert_eq!(due("rd-spending-growth", "2020Q4").as_deref(), Some("2020"));
    }

    #[test]
    fn rows_follow_lead_unit_and_show_the_last_figure() {
        let plan = plan();
        let rows = template_rows(&plan, "2020Q3".parse().unwrap(), Some("区统计局"), &[], Lang::Zh);
        let codes: Vec<&str> = rows.iter().map(|r| r.target.code.as_str()).collect();
        assert!(codes.contains(&"gdp-growth"), "{codes:?}");
        assert!(!codes.contains(&"rd-spending-growth"), "{codes:?}");
        assert!(rows.iter().all(|r| r.lead_unit == "区统计局"));
        let all = template_rows(&plan, "2020Q3".parse().unwrap(), None, &[], Lang::Zh);
        assert_eq!(all.len(), plan.targets().iter().filter(|t| t.frequency.months() <= 3).count());
    }
}
