//! Status reports: one view model, [`Report`], built purely from
//! a plan, its status at an as-of period and its figures, and one exporter per format
//! that turns it into bytes. Nothing here reads the clock, the database
//! or a file: the command passes "now" and the figures in, and writes the bytes out.
//!
//! Every format says the same things in the same order: the plan, the as-of period,
//! when the report was made and from which data, counts by status, the targets that
//! need attention with what they still need, what is overdue and who must report it,
//! the figures revised recently, and every target's row by section.

pub mod csv;
pub mod family;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::actual::Actual;
use crate::adjust::Adjustment;
use crate::completeness::Completeness;
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::period::{Frequency, Period};
use crate::plan::{Plan, Target};
use crate::present;
use crate::review::{Counting, FigureState, FigureStates};
use crate::status::{status_rows, StatusRow};
use crate::status::{PlanStatus, Status, TargetStatus};
use crate::time::PlanZone;

/// The formats `ontrack report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Csv,
    Json,
    Xlsx,
}

impl Format {
    /// The file extension for this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Turns a finished report into the bytes of one format. Only the workbook writer
/// can fail (a limit of the format that our sanitising missed).
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    Ok(match format {
        Format::Md => markdown::render(report),
        Format::Html => html::render(report),
        Format::Csv => csv::render(report),
        Format::Json => json::render(report),
        Format::Xlsx => xlsx::render(report)?,
    })
}

/// The family's report (`report --parent`) in one format.
pub fn render_family(report: &family::FamilyReport<'_>, format: Format) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    Ok(match format {
        Format::Md => markdown::render_family(report),
        Format::Html => html::render_family(report),
        Format::Csv => family::csv(report),
        Format::Json => family::json(report),
        Format::Xlsx => xlsx::render_family(report)?,
    })
}

/// Charts to place in the HTML report, as finished SVG documents.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    pub overview: Option<String>,
    /// Per target code.
    pub targets: BTreeMap<String, String>,
}

/// Where the HTML report's charts come from as the page is written ([`html::write`]):
/// drawn when the page reaches them (the `report` command) or already drawn ([`Charts`]).
pub trait ChartSource {
    /// The overview chart, if the report has one.
    fn overview(&self) -> Option<String>;
    /// The charts of these targets, in their order; `None` for a target without one.
    fn targets(&self, codes: &[&str]) -> Vec<Option<String>>;
}

impl ChartSource for Charts {
    fn overview(&self) -> Option<String> {
        self.overview.clone()
    }

    fn targets(&self, codes: &[&str]) -> Vec<Option<String>> {
        codes.iter().map(|code| self.targets.get(*code).cloned()).collect()
    }
}

/// What a report is made from. `figures` are the figures standing at the data moment
/// (`actual::current_figures`), `actuals` every figure of the plan with its
/// revisions, for the "revised recently" list.
pub struct ReportInput<'a> {
    pub plan: &'a Plan,
    pub status: &'a PlanStatus,
    pub figures: &'a [&'a Actual],
    pub actuals: &'a [Actual],
    /// When the report is made (the injected clock).
    pub made_at: DateTime<Utc>,
    /// The report reproduces the data as recorded up to this moment (`--as-recorded`).
    pub as_recorded: Option<DateTime<Utc>>,
    pub lang: Lang,
    pub charts: Charts,
    /// A notice shown prominently at the top (the demo marks its data as illustrative).
    pub notice: Option<String>,
    /// The review states of the figures, and which of them count (`figures` holds those).
    pub states: &'a FigureStates,
    pub counting: Counting,
    /// Every adjustment of the plan's targets; those standing at the data moment are
    /// shown (the plan's values are already those standing then).
    pub adjustments: &'a [Adjustment],
}

/// A report, ready to be written in any format.
pub struct Report {
    pub lang: Lang,
    pub plan_id: String,
    pub org: String,
    pub org_en: Option<String>,
    pub year: i32,
    pub plan_source: Option<String>,
    pub as_of: Period,
    pub made_at: DateTime<Utc>,
    pub as_recorded: Option<DateTime<Utc>>,
    /// The plan's time zone: every moment the report shows is on its clock.
    pub zone: PlanZone,
    /// Revisions recorded from this moment on (see [`revisions_since`]) are listed.
    pub revisions_since: DateTime<Utc>,
    /// How many targets have each status, in `Status::ALL` order.
    pub counts: Vec<(Status, usize)>,
    pub overdue_count: usize,
    pub sections: Vec<SectionRows>,
    /// Indexes into [`Report::rows`]: behind pace or short of the goal, worst first.
    pub behind: Vec<usize>,
    /// Indexes into [`Report::rows`]: a due figure is missing.
    pub overdue: Vec<usize>,
    pub revisions: Vec<Revision>,
    /// Which figures count: every current one, or approved only.
    pub counting: Counting,
    /// Per lead unit, how many standing figures await review, are approved, returned.
    pub review_counts: Vec<ReviewCount>,
    /// Standing figures that were returned, in the plan's order, with the reason.
    pub review: Vec<ReviewLine>,
    /// Target adjustments standing at the data moment, in the order recorded.
    pub adjustments: Vec<AdjustmentLine>,
    /// Completeness of the as-of period per lead unit, figures as known at the data moment.
    pub completeness: Completeness,
    pub charts: Charts,
    pub notice: Option<String>,
    rows: Vec<Row>,
}

/// How a lead unit's standing figures stand in review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewCount {
    /// `None` for targets without a lead unit.
    pub lead_unit: Option<String>,
    pub submitted: usize,
    pub approved: usize,
    pub returned: usize,
}

/// A standing figure that was returned, for the report's review list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub period: String,
    pub value: f64,
    pub unit: String,
    /// `submitted` or `returned`.
    pub state: &'static str,
    /// Who logged it or, once returned, who returned it; and when.
    pub by: String,
    pub at: String,
    pub reason: Option<String>,
    pub lead_unit: Option<String>,
}

/// A target adjustment (调整目标) as reports show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentLine {
    pub code: String,
    pub name: String,
    pub value_before: f64,
    pub value_after: f64,
    pub strive_before: Option<f64>,
    pub strive_after: Option<f64>,
    pub unit: String,
    pub reason: String,
    pub document: Option<String>,
    pub effective_at: String,
    pub by: String,
    pub recorded_at: String,
    #[serde(skip)]
    pub effective_at_value: DateTime<Utc>,
}

impl AdjustmentLine {
    /// `原目标 6.5 % → 调整后 4 %`, and the strive bar's move when it moved.
    pub fn change_label(&self, lang: Lang) -> String {
        let strive = (self.strive_before, self.strive_after);
        present::adjusted((self.value_before, self.value_after), strive, &self.unit, lang)
    }

    /// When it took effect, on the plan's clock.
    pub fn effective_label(&self, zone: PlanZone, lang: Lang) -> String {
        present::moment(self.effective_at_value, zone, lang)
    }
}

/// A section of the plan and its targets' rows.
pub struct SectionRows {
    pub id: String,
    pub title: String,
    /// Indexes into [`Report::rows`], in the plan's order.
    pub rows: Vec<usize>,
}

/// One target's line in a report: the status as JSON and CSV give it
/// ([`StatusRow`], the stable field names), the note of the figure, and the display
/// texts every format shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The serializable status row; its numbers are the ones every format shows.
    pub fields: StatusRow,
    /// The note logged with the figure the status was judged on.
    pub note: Option<String>,
    /// Whether that figure was logged after its deadline (`deadline::is_late_in`).
    pub late: bool,
    pub status: Status,
    /// Name in the report's language.
    pub name: String,
    /// The goal in words with its commitment: `确保 92 条`.
    pub goal: String,
    /// Status label, with 未报送 appended when overdue and whether the strive bar is reached.
    pub status_label: String,
    pub frequency: Frequency,
    /// Whether the target's figures are year-to-date (a month reads `2020年1-9月`).
    pub year_to_date: bool,
    pub period_value: Option<Period>,
    pub due_for_value: Option<Period>,
    /// A stock's first figure (value, period) its progress is measured from, the plan
    /// giving no baseline.
    pub first_figure: Option<(f64, Period)>,
}

impl std::ops::Deref for Row {
    type Target = StatusRow;
    fn deref(&self) -> &StatusRow {
        &self.fields
    }
}

/// A target's line as JSON and CSV write it: the status row, then the note.
#[derive(Serialize)]
pub struct SerializedRow<'a> {
    #[serde(flatten)]
    pub fields: &'a StatusRow,
    pub note: Option<&'a str>,
    pub late: bool,
}

impl Row {
    pub fn serialized(&self) -> SerializedRow<'_> {
        SerializedRow { fields: &self.fields, note: self.note.as_deref(), late: self.late }
    }
}

/// A figure revised since [`Report::revisions_since`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub code: String,
    pub name: String,
    pub period: String,
    pub previous: Option<f64>,
    pub value: f64,
    pub unit: String,
    pub reason: Option<String>,
    pub by: String,
    pub recorded_at: String,
    #[serde(skip)]
    pub recorded_at_value: DateTime<Utc>,
    #[serde(skip)]
    pub year_to_date: bool,
}

impl Report {
    /// Builds the report. Pure: everything it needs is in `input`.
    pub fn build(input: ReportInput<'_>) -> Report {
        let ReportInput {
            plan,
            status,
            figures,
            actuals,
            made_at,
            as_recorded,
            lang,
            charts,
            notice,
            states,
            counting,
            adjustments,
        } = input;
        let data_moment = as_recorded.unwrap_or(made_at);
        let standing = crate::adjust::standing_at(adjustments, data_moment);
        let mut rows = Vec::with_capacity(plan.targets().len());
        let mut sections: Vec<SectionRows> = plan
            .sections
            .iter()
            .map(|s| SectionRows {
                id: s.id.clone(),
                title: lang.name(&s.title, s.title_en.as_deref()).to_string(),
                rows: Vec::new(),
            })
            .collect();
        let statuses = status.by_code();
        let by_target = crate::actual::FiguresByTarget::new(figures);
        for fields in status_rows(plan, status, figures, lang) {
            let (Some(target), Some(&target_status)) = (plan.target(&fields.code), statuses.get(fields.code.as_str()))
            else {
                continue;
            };
            let figure =
                target_status.figure.and_then(|id| by_target.of(&target.code).iter().copied().find(|a| a.id == id));
            let index = rows.len();
            let mut row = row(plan, target, target_status, fields, figure, lang);
            if let Some(first) = standing.iter().find(|a| a.code == target.code) {
                row.goal = present::goal_adjusted_from(&row.goal, first.value_before, &target.unit, lang);
            }
            rows.push(row);
            match sections.iter_mut().find(|s| s.id == target.section) {
                Some(section) => section.rows.push(index),
                None => sections.push(SectionRows {
                    id: target.section.clone(),
                    title: target.section.clone(),
                    rows: vec![index],
                }),
            }
        }
        sections.retain(|s| !s.rows.is_empty());

        let (counts, overdue_count) = status.counts();
        let counts = Status::ALL.iter().copied().zip(counts).collect();
        let mut behind: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].status.is_behind()).collect();
        behind.sort_by_key(|&i| (severity(rows[i].status), i));
        let overdue: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].overdue).collect();

        let since = revisions_since(data_moment, plan.timezone);
        let revisions = revisions(plan, actuals, since, data_moment, lang);
        let (review_counts, review) = review_lines(plan, actuals, states, as_recorded, lang);
        let completeness = crate::completeness::compute(plan, actuals, states, as_recorded, status.as_of, None);

        Report {
            lang,
            plan_id: plan.id.clone(),
            org: plan.org.clone(),
            org_en: plan.org_en.clone(),
            year: plan.year,
            plan_source: plan.source.clone(),
            as_of: status.as_of,
            made_at,
            as_recorded,
            zone: plan.timezone,
            revisions_since: since,
            counts,
            overdue_count,
            sections,
            behind,
            overdue,
            revisions,
            counting,
            review_counts,
            review,
            adjustments: standing.into_iter().map(|a| adjustment_line(plan, a, lang)).collect(),
            completeness,
            charts,
            notice,
            rows,
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn row(&self, index: usize) -> &Row {
        &self.rows[index]
    }

    /// The organisation's name in the report's language.
    pub fn org_name(&self) -> &str {
        self.lang.name(&self.org, self.org_en.as_deref())
    }

    /// The report's title: 金水区2020年度目标任务进展情况 / Jinshui …: 2020 targets, progress report.
    pub fn title(&self) -> String {
        present::report::title(self.org_name(), self.year, self.lang)
    }

    /// The as-of period in words.
    pub fn as_of_label(&self) -> String {
        present::period(self.as_of, self.lang)
    }

    /// When the report was made, on the plan's clock.
    pub fn made_at_label(&self) -> String {
        present::moment(self.made_at, self.zone, self.lang)
    }

    /// When a revision was recorded, on the plan's clock.
    pub fn recorded_at_label(&self, revision: &Revision) -> String {
        present::moment(revision.recorded_at_value, self.zone, self.lang)
    }

    /// Which data the report is made from.
    pub fn data_label(&self) -> String {
        // On the plan's clock, as `--as-recorded` reads a date, so the day typed is the day shown.
        let moment = self.as_recorded.map(|moment| present::moment_to_second(moment, self.zone, self.lang));
        present::report::data(moment.as_deref(), self.lang)
    }

    /// The facts under the title, each with its label, in the order every format
    /// shows them: plan, as of, made at, data, which figures count.
    pub fn facts(&self) -> [(&'static str, String); 5] {
        let [plan, as_of, made_at, data, counted] = present::report::facts(self.lang);
        [
            (plan, self.plan_label()),
            (as_of, self.as_of_label()),
            (made_at, self.made_at_label()),
            (data, self.data_label()),
            (counted, self.counting_label().to_string()),
        ]
    }

    /// Which figures the report counts, in words.
    pub fn counting_label(&self) -> &'static str {
        present::counting(self.counting, self.lang)
    }

    /// The "revised since" date in words.
    pub fn revisions_since_label(&self) -> String {
        present::report::day(self.zone.local_date(self.revisions_since), self.lang)
    }

    /// The report in one sentence: how many targets, how many met, behind, overdue.
    pub fn headline(&self) -> String {
        present::report::headline(&self.as_of_label(), self.rows.len(), &self.counts, self.overdue_count, self.lang)
    }

    /// The plan's identification in one line: id and source.
    pub fn plan_label(&self) -> String {
        match &self.plan_source {
            Some(source) => format!("{} · {source}", self.plan_id),
            None => self.plan_id.clone(),
        }
    }

    /// A phrase in the report's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
}

/// Worst first: missed and off-track, then at risk, then nearly met.
fn severity(status: Status) -> u8 {
    match status {
        Status::Missed | Status::OffTrack => 0,
        Status::AtRisk => 1,
        Status::NearlyMet => 2,
        _ => 3,
    }
}

fn row(
    plan: &Plan,
    target: &Target,
    status: &TargetStatus,
    fields: StatusRow,
    figure: Option<&Actual>,
    lang: Lang,
) -> Row {
    let commitment = match present::commitment(target.commitment, lang) {
        "" => String::new(),
        word => format!("{word} "),
    };
    Row {
        note: figure.and_then(|f| f.note.as_deref().map(str::to_string)),
        late: figure.is_some_and(|f| crate::deadline::is_late_in(plan, f.period, f.recorded_at)),
        status: status.status,
        name: lang.name(&target.name, Some(&target.name_en)).to_string(),
        goal: format!("{commitment}{}", present::goal_words(plan, target, lang)),
        status_label: match status.strive_met {
            Some(met) => format!(
                "{} · {}",
                present::status_with_overdue(status.status, status.overdue, lang),
                present::strive_met(met, lang)
            ),
            None => present::status_with_overdue(status.status, status.overdue, lang),
        },
        frequency: target.frequency,
        year_to_date: target.is_year_to_date(),
        period_value: status.period,
        due_for_value: status.due_for,
        first_figure: status.first_figure(),
        fields,
    }
}

fn adjustment_line(plan: &Plan, adjustment: &Adjustment, lang: Lang) -> AdjustmentLine {
    let target = plan.target(&adjustment.code);
    AdjustmentLine {
        code: adjustment.code.clone(),
        name: target.map_or_else(|| adjustment.code.clone(), |t| lang.name(&t.name, Some(&t.name_en)).to_string()),
        value_before: adjustment.value_before,
        value_after: adjustment.value_after,
        strive_before: adjustment.strive_before,
        strive_after: adjustment.strive_after,
        unit: target.map_or_else(String::new, |t| t.unit.clone()),
        reason: adjustment.reason.clone(),
        document: adjustment.document.clone(),
        effective_at: rfc3339(adjustment.effective_at),
        by: adjustment.recorded_by.clone(),
        recorded_at: rfc3339(adjustment.recorded_at),
        effective_at_value: adjustment.effective_at,
    }
}

impl Row {
    /// The latest figure with its unit: `3.6 %`, `88 条`.
    pub fn actual_label(&self) -> Option<String> {
        self.actual.map(|a| present::figure(a, &self.unit))
    }

    /// The period of the latest figure in words.
    pub fn period_label(&self, lang: Lang) -> Option<String> {
        self.period_value.map(|p| present::target_period(p, self.year_to_date, lang))
    }

    /// The period of the latest figure in words, with the late mark when the figure
    /// was logged after its deadline: `2020年三季度，逾期报送`.
    pub fn period_label_marked(&self, lang: Lang) -> Option<String> {
        self.period_label(lang).map(|text| present::with_late_mark(&text, self.late, lang))
    }

    /// The gap to the target: `-2.9 个百分点`, `+4 条`.
    pub fn gap_label(&self, lang: Lang) -> Option<String> {
        self.gap.map(|gap| present::gap(gap, &self.unit, lang))
    }

    /// Progress against pace for accumulation kinds: `75 %（序时 100 %）`; for threshold
    /// kinds the margin against the tolerance band is the gap itself, so none.
    /// A stock measured from its first figure says so: `0 %（序时 0 %）；以首个数据 2750 家（2020年一季度）为基数`.
    pub fn progress_label(&self, lang: Lang) -> Option<String> {
        let progress = present::progress_pace(self.progress?, self.pace?, lang);
        Some(match self.first_figure {
            Some((value, period)) => {
                present::and_also(&progress, &present::from_first_figure(value, &self.unit, period, lang), lang)
            }
            None => progress,
        })
    }

    /// Where progress is measured from, in words: `计划` / `plan`, or the first figure.
    pub fn baseline_label(&self, lang: Lang) -> Option<String> {
        self.baseline?;
        Some(match self.first_figure {
            Some((value, period)) => present::from_first_figure(value, &self.unit, period, lang),
            None => present::baseline_from_plan(lang).to_string(),
        })
    }

    /// What is still needed per remaining period: `每季 12 条`.
    pub fn needed_label(&self, lang: Lang) -> Option<String> {
        Some(present::needed(self.needed_per_period?, &self.unit, self.frequency, lang))
    }

    /// Points behind pace, for accumulation kinds: `落后序时 25 个百分点`.
    pub fn behind_label(&self, lang: Lang) -> Option<String> {
        Some(present::behind_pace(self.behind?, lang))
    }

    /// The period a figure is due for, in words.
    pub fn due_for_label(&self, lang: Lang) -> Option<String> {
        self.due_for_value.map(|p| present::target_period(p, self.year_to_date, lang))
    }
}

/// A moment as JSON and CSV give it: RFC 3339 in UTC, to the second.
pub fn rfc3339(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The start of the window for "revised recently": the first moment (on the plan's
/// clock) of the calendar quarter before the one the data moment falls in. A quarterly
/// report made in April so lists everything revised since 1 January: nothing revised
/// between two quarterly reports is missed, whenever in the month each was made.
pub fn revisions_since(data_moment: DateTime<Utc>, zone: PlanZone) -> DateTime<Utc> {
    let local = zone.local_date(data_moment);
    let quarter_start_month = (local.month() - 1) / 3 * 3 + 1;
    let (year, month) =
        if quarter_start_month > 3 { (local.year(), quarter_start_month - 3) } else { (local.year() - 1, 10) };
    zone.start_of_day(NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists"))
}

fn revisions(plan: &Plan, actuals: &[Actual], since: DateTime<Utc>, until: DateTime<Utc>, lang: Lang) -> Vec<Revision> {
    let by_id: BTreeMap<i64, &Actual> = actuals.iter().map(|a| (a.id, a)).collect();
    let mut list: Vec<Revision> = actuals
        .iter()
        .filter(|a| a.revises.is_some() && a.recorded_at >= since && a.recorded_at <= until)
        .map(|a| {
            let target = plan.target(&a.target);
            Revision {
                code: a.target.to_string(),
                name: target.map_or(a.target.to_string(), |t| lang.name(&t.name, Some(&t.name_en)).to_string()),
                period: a.period.label(),
                previous: a.revises.and_then(|id| by_id.get(&id)).map(|p| p.value),
                value: a.value,
                unit: target.map(|t| t.unit.clone()).unwrap_or_default(),
                reason: a.reason.as_deref().map(str::to_string),
                by: a.recorded_by.to_string(),
                recorded_at: rfc3339(a.recorded_at),
                recorded_at_value: a.recorded_at,
                year_to_date: target.is_some_and(Target::is_year_to_date),
            }
        })
        .collect();
    list.sort_by(|a, b| (a.recorded_at_value, &a.code).cmp(&(b.recorded_at_value, &b.code)));
    list
}

impl Revision {
    /// The revised period in words.
    pub fn period_label(&self, lang: Lang) -> String {
        self.period
            .parse::<Period>()
            .map(|p| present::target_period(p, self.year_to_date, lang))
            .unwrap_or_else(|_| self.period.clone())
    }

    /// `-4.6 → -4.3 %`.
    pub fn change_label(&self) -> String {
        let previous = self.previous.map(format_number).unwrap_or_else(|| "?".to_string());
        format!("{previous} → {} {}", format_number(self.value), self.unit)
    }
}

#[cfg(test)]
pub(crate) mod fixture;

/// How each lead unit's standing figures (as known at `known_at`) stand in review, in
/// the order the plan first names the unit, and the returned figures, in the plan's
/// order then by window.
fn review_lines(
    plan: &Plan,
    actuals: &[Actual],
    states: &FigureStates,
    known_at: Option<DateTime<Utc>>,
    lang: Lang,
) -> (Vec<ReviewCount>, Vec<ReviewLine>) {
    let current = crate::actual::current_figures(actuals, known_at);
    let mut counts: Vec<ReviewCount> = Vec::new();
    for target in plan.targets() {
        if !counts.iter().any(|c| c.lead_unit == target.lead_unit) {
            counts.push(ReviewCount { lead_unit: target.lead_unit.clone(), submitted: 0, approved: 0, returned: 0 });
        }
    }
    for a in &current {
        let Some(target) = plan.target(&a.target) else { continue };
        let Some(count) = counts.iter_mut().find(|c| c.lead_unit == target.lead_unit) else { continue };
        match states.state_of(a.id, known_at) {
            FigureState::Submitted => count.submitted += 1,
            FigureState::Approved => count.approved += 1,
            FigureState::Returned => count.returned += 1,
            FigureState::Void => {}
        }
    }
    counts.retain(|c| c.submitted + c.approved + c.returned > 0);
    let mut lines: Vec<(usize, i64, ReviewLine)> = current
        .into_iter()
        .filter_map(|a| {
            let state = states.state_of(a.id, known_at);
            if state != FigureState::Returned {
                return None;
            }
            let position = plan.target_position(&a.target)?;
            let target = &plan.targets()[position];
            let event = states.last_event(a.id, known_at).filter(|_| state == FigureState::Returned);
            let (by, at) = match event {
                Some(e) => (e.by.clone(), e.at),
                None => (a.recorded_by.to_string(), a.recorded_at),
            };
            Some((
                position,
                a.period.end_key(),
                ReviewLine {
                    id: a.id,
                    code: target.code.clone(),
                    name: lang.name(&target.name, Some(&target.name_en)).to_string(),
                    period: present::period(a.period, lang),
                    value: a.value,
                    unit: target.unit.clone(),
                    state: state.as_str(),
                    by,
                    at: present::moment(at, plan.timezone, lang),
                    reason: event.and_then(|e| e.reason.clone()),
                    lead_unit: target.lead_unit.clone(),
                },
            ))
        })
        .collect();
    lines.sort_by_key(|(position, window, line)| (*position, *window, line.id));
    (counts, lines.into_iter().map(|(_, _, line)| line).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_window_starts_a_quarter_back_in_beijing_time() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let beijing = PlanZone::default();
        assert_eq!(revisions_since(at("2021-03-31T08:00:00Z"), beijing), at("2020-10-01T00:00:00+08:00"));
        assert_eq!(revisions_since(at("2021-04-02T08:00:00Z"), beijing), at("2021-01-01T00:00:00+08:00"));
        // 2020-12-31 20:00 UTC is already 2021 in Beijing.
        assert_eq!(revisions_since(at("2020-12-31T20:00:00Z"), beijing), at("2020-10-01T00:00:00+08:00"));
        assert_eq!(revisions_since(at("2020-12-31T12:00:00Z"), beijing), at("2020-07-01T00:00:00+08:00"));
        // Another plan's clock: 31 December 20:00 UTC is still 2020Q4 in Berlin.
        let berlin = "Europe/Berlin".parse().unwrap();
        assert_eq!(revisions_since(at("2020-12-31T20:00:00Z"), berlin), at("2020-07-01T00:00:00+02:00"));
    }

    #[test]
    fn report_lists_behind_overdue_and_recent_revisions() {
        let report = fixture::report(Lang::Zh);
        let codes = |indexes: &[usize]| indexes.iter().map(|&i| report.row(i).code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&report.behind), ["new-roads", "gdp-growth"]);
        assert_eq!(codes(&report.overdue), ["unemployment-rate"]);
        assert_eq!(report.revisions.len(), 1);
        assert_eq!(report.revisions[0].change_label(), "-4.6 → -4.3 %");
        let gdp = &report.rows()[0];
        assert_eq!(gdp.source.as_deref(), Some("区统计局 <script>alert(1)</script>"));
        assert_eq!(gdp.gap_label(Lang::Zh).as_deref(), Some("-0.4 个百分点"));
        let roads = report.rows().iter().find(|r| r.code == "new-roads").unwrap();
        assert_eq!(roads.needed_label(Lang::Zh).as_deref(), Some("每季 62 条"));
        assert_eq!(roads.progress_label(Lang::En).as_deref(), Some("32.6 % (pace 75 %)"));
        assert_eq!(report.counts.iter().map(|(_, n)| n).sum::<usize>(), report.rows().len());
    }
}
