//! The family's report (`report --parent ID`): the family's counts by status per plan,
//! one ranking table per indicator, and what is overdue by district. Built purely from
//! the comparison (`compare::compute`), each child's status at the same as-of period
//! and the injected "made at"; laid out once as [`Table`]s that Markdown, HTML and the
//! workbook render with the same renderers as the plan report. CSV and JSON carry the
//! comparison's rows (`compare::CompareRow`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::table::{Cell, Table, TableRow};
use crate::actual::Actual;
use crate::compare::{compare_rows, CompareRow, Comparison, Indicator};
use crate::lang::Lang;
use crate::output::{csv_bytes, csv_from_records, json_bytes};
use crate::period::Period;
use crate::plan::Plan;
use crate::present;
use crate::review::Counting;
use crate::status::{evaluate, PlanStatus, Status};

/// What the family's report is made from.
pub struct FamilyInput<'a> {
    pub parent: &'a str,
    /// The parent's organisation, when the parent plan is loaded.
    pub parent_org: Option<&'a str>,
    /// The children, in the comparison's member order, with the figures that count.
    pub plans: Vec<&'a Plan>,
    pub figures: Vec<Vec<&'a Actual>>,
    pub comparison: &'a Comparison,
    pub counting: Counting,
    pub made_at: DateTime<Utc>,
    pub lang: Lang,
}

/// The family's report, ready for every format.
pub struct FamilyReport<'a> {
    pub lang: Lang,
    pub parent: &'a str,
    pub parent_org: Option<&'a str>,
    pub plans: Vec<&'a Plan>,
    pub comparison: &'a Comparison,
    /// Each child's status at the comparison's as-of period.
    pub statuses: Vec<PlanStatus>,
    pub counting: Counting,
    pub made_at: DateTime<Utc>,
}

impl<'a> FamilyReport<'a> {
    pub fn new(input: FamilyInput<'a>) -> FamilyReport<'a> {
        let as_of = input.comparison.as_of;
        let statuses =
            input.plans.iter().zip(&input.figures).map(|(plan, figures)| evaluate(plan, figures, as_of)).collect();
        FamilyReport {
            lang: input.lang,
            parent: input.parent,
            parent_org: input.parent_org,
            plans: input.plans,
            comparison: input.comparison,
            statuses,
            counting: input.counting,
            made_at: input.made_at,
        }
    }

    pub fn title(&self) -> String {
        present::compare::title(self.parent, self.parent_org, self.as_of(), self.comparison.by, self.lang)
    }

    pub fn as_of(&self) -> Period {
        self.comparison.as_of
    }

    /// The report's facts: the as-of period, when made (on the first child's clock),
    /// which figures count, the family's size.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let lang = self.lang;
        let [_, as_of, made_at, _, counted] = present::report::facts(lang);
        let zone = self.plans.first().map(|plan| plan.timezone).unwrap_or_default();
        vec![
            (as_of, present::period(self.as_of(), lang)),
            (made_at, present::moment(self.made_at, zone, lang)),
            (counted, present::counting(self.counting, lang).to_string()),
            (
                present::compare::family_label(lang),
                present::compare::family_size(self.plans.len(), self.comparison, lang),
            ),
        ]
    }

    /// The heading of an indicator's table.
    pub fn indicator_heading(&self, indicator: &Indicator) -> String {
        match present::compare::indicator_target(&self.plans, indicator) {
            Some(target) => present::compare::indicator_heading(target, self.lang),
            None => indicator.code.clone(),
        }
    }

    /// The comparison's flat rows (CSV, JSON).
    pub fn rows(&self) -> Vec<CompareRow> {
        compare_rows(&self.plans, self.comparison)
    }

    /// Per child: its targets by status, overdue and in total.
    pub fn counts(&self) -> Table {
        let lang = self.lang;
        let mut totals = [0usize; 7];
        let mut overdue_total = 0;
        let mut rows: Vec<TableRow> = Vec::new();
        for (plan, status) in self.plans.iter().zip(&self.statuses) {
            let (counts, overdue) = status.counts();
            for (total, n) in totals.iter_mut().zip(counts) {
                *total += n;
            }
            overdue_total += overdue;
            let mut cells = vec![Cell::Text(Some(org(plan, lang)))];
            cells.extend(counts.iter().map(|&n| Cell::Count(n)));
            cells.push(Cell::Count(overdue));
            cells.push(Cell::Count(status.targets.len()));
            rows.push(TableRow { anchor: None, total: false, cells });
        }
        let mut cells = vec![Cell::Text(Some(present::report::total(lang).to_string()))];
        cells.extend(totals.iter().map(|&n| Cell::Count(n)));
        cells.push(Cell::Count(overdue_total));
        cells.push(Cell::Count(self.statuses.iter().map(|s| s.targets.len()).sum()));
        rows.push(TableRow { anchor: None, total: true, cells });
        Table { headers: present::compare::counts_headers(lang), rows }
    }

    /// One indicator's ranking, as Markdown and HTML show it (the same cells as
    /// `compare`'s table).
    pub fn ranking(&self, indicator: &Indicator) -> Table {
        let lang = self.lang;
        let rows = indicator
            .rows
            .iter()
            .map(|row| {
                let cells = present::compare::cells(self.plans[row.member], indicator, row, lang);
                let mut cells: Vec<Cell> = cells.into_iter().map(|text| Cell::Text(Some(text))).collect();
                if let (Some(status), Some(cell)) = (row.status, cells.get_mut(7)) {
                    let label = present::status_with_overdue(status, row.overdue, lang);
                    *cell = Cell::Status { status, overdue: row.overdue, label };
                }
                TableRow { anchor: None, total: false, cells }
            })
            .collect();
        Table { headers: present::compare::headers(lang), rows }
    }

    /// One indicator's ranking as the workbook keeps it: ranks, changes and figures
    /// as numbers (progress as a percentage), unit and period in columns of their own.
    pub fn ranking_figures(&self, indicator: &Indicator) -> Table {
        let lang = self.lang;
        let rows = indicator
            .rows
            .iter()
            .map(|row| {
                let plan = self.plans[row.member];
                let target = plan.target(&indicator.code).filter(|_| row.has_indicator);
                let status = match row.status {
                    Some(status) => Cell::Status {
                        status,
                        overdue: row.overdue,
                        label: present::status_with_overdue(status, row.overdue, lang),
                    },
                    None => Cell::Text(Some(present::compare::not_in_plan(lang).to_string())),
                };
                TableRow {
                    anchor: None,
                    total: false,
                    cells: vec![
                        Cell::Number(row.rank.map(f64::from)),
                        Cell::Number(row.rank_change.map(|c| c as f64)),
                        Cell::Text(Some(plan.id.clone())),
                        Cell::Text(Some(org(plan, lang))),
                        Cell::Number(row.value),
                        Cell::Text(target.map(|t| t.unit.clone())),
                        Cell::Text(row.period.map(|p| p.label())),
                        Cell::Number(row.target),
                        Cell::Text(target.map(|t| present::goal_words(plan, t, lang))),
                        status,
                        Cell::Number(row.gap),
                        Cell::Share(row.progress),
                    ],
                }
            })
            .collect();
        Table { headers: present::compare::ranking_figures_headers(lang), rows }
    }

    /// Overdue figures by district: plan, target, the period due, who must report.
    pub fn overdue(&self) -> Table {
        let lang = self.lang;
        let mut rows = Vec::new();
        for (plan, status) in self.plans.iter().zip(&self.statuses) {
            for evaluated in status.targets.iter().filter(|t| t.overdue) {
                let Some(target) = plan.target(&evaluated.code) else { continue };
                rows.push(TableRow {
                    anchor: None,
                    total: false,
                    cells: vec![
                        Cell::Text(Some(org(plan, lang))),
                        Cell::Name {
                            name: lang.name(&target.name, Some(&target.name_en)).to_string(),
                            code: target.code.clone(),
                        },
                        Cell::Text(
                            evaluated.due_for.map(|p| present::target_period(p, target.is_year_to_date(), lang)),
                        ),
                        Cell::Duty(target.lead_unit.clone()),
                    ],
                });
            }
        }
        Table { headers: present::compare::overdue_headers(lang), rows }
    }
}

fn org(plan: &Plan, lang: Lang) -> String {
    lang.name(&plan.org, plan.org_en.as_deref()).to_string()
}

/// The family's report as CSV: the comparison's rows, with the parent and as-of
/// period on every line.
pub fn csv(report: &FamilyReport<'_>) -> Vec<u8> {
    #[derive(Serialize)]
    struct Line<'a> {
        #[serde(flatten)]
        row: &'a CompareRow,
        parent: &'a str,
        as_of: String,
        by: &'static str,
    }
    let rows = report.rows();
    if rows.is_empty() {
        let mut headers: Vec<String> = CompareRow::FIELDS.iter().map(|f| f.to_string()).collect();
        headers.extend(["parent", "as_of", "by"].map(String::from));
        return csv_from_records(&headers, []);
    }
    let lines: Vec<Line<'_>> = rows
        .iter()
        .map(|row| Line {
            row,
            parent: report.parent,
            as_of: report.as_of().label(),
            by: report.comparison.by.as_str(),
        })
        .collect();
    csv_bytes(&lines)
}

/// The family's report as JSON: its facts, the counts per plan, the ranking rows and
/// what is overdue.
pub fn json(report: &FamilyReport<'_>) -> Vec<u8> {
    #[derive(Serialize)]
    struct Counts<'a> {
        plan: &'a str,
        org: &'a str,
        counts: std::collections::BTreeMap<&'static str, usize>,
        overdue: usize,
        targets: usize,
    }
    #[derive(Serialize)]
    struct Overdue<'a> {
        plan: &'a str,
        code: &'a str,
        due_for: Option<String>,
        lead_unit: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Document<'a> {
        parent: &'a str,
        as_of: String,
        by: &'static str,
        made_at: String,
        approved_only: bool,
        plans: Vec<Counts<'a>>,
        rows: Vec<CompareRow>,
        overdue: Vec<Overdue<'a>>,
    }
    let plans = report
        .plans
        .iter()
        .zip(&report.statuses)
        .map(|(plan, status)| {
            let (counts, overdue) = status.counts();
            Counts {
                plan: &plan.id,
                org: &plan.org,
                counts: Status::ALL.iter().zip(counts).map(|(s, n)| (s.as_str(), n)).collect(),
                overdue,
                targets: status.targets.len(),
            }
        })
        .collect();
    let overdue = report
        .plans
        .iter()
        .zip(&report.statuses)
        .flat_map(|(plan, status)| {
            status.targets.iter().filter(|t| t.overdue).map(move |t| Overdue {
                plan: &plan.id,
                code: &t.code,
                due_for: t.due_for.map(|p| p.label()),
                lead_unit: plan.target(&t.code).and_then(|target| target.lead_unit.as_deref()),
            })
        })
        .collect();
    json_bytes(&Document {
        parent: report.parent,
        as_of: report.as_of().label(),
        by: report.comparison.by.as_str(),
        made_at: super::rfc3339(report.made_at),
        approved_only: report.counting == Counting::ApprovedOnly,
        plans,
        rows: report.rows(),
        overdue,
    })
}
