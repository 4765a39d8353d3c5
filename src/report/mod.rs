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
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::actual::Actual;
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::period::{Frequency, Period};
use crate::plan::{Kind, Plan, Target};
use crate::present;
use crate::status::{status_rows, StatusRow};
use crate::status::{PlanStatus, Status, TargetStatus};

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

/// The time zone reports speak in: China Standard Time (UTC+8), where the offices
/// that read them work. Stored times stay in UTC.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Charts to place in the HTML report, as finished SVG documents.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    pub overview: Option<String>,
    /// Per target code.
    pub targets: BTreeMap<String, String>,
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
    pub charts: Charts,
    pub notice: Option<String>,
    rows: Vec<Row>,
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
}

impl Row {
    pub fn serialized(&self) -> SerializedRow<'_> {
        SerializedRow { fields: &self.fields, note: self.note.as_deref() }
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
        let ReportInput { plan, status, figures, actuals, made_at, as_recorded, lang, charts, notice } = input;
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
            rows.push(row(plan, target, target_status, fields, figure, lang));
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

        let data_moment = as_recorded.unwrap_or(made_at);
        let since = revisions_since(data_moment);
        let revisions = revisions(plan, actuals, since, data_moment, lang);

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
            revisions_since: since,
            counts,
            overdue_count,
            sections,
            behind,
            overdue,
            revisions,
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
        match self.lang {
            Lang::Zh => format!("{}{}年度目标任务进展情况", self.org, self.year),
            Lang::En => format!("{}: {} targets — progress report", self.org_name(), self.year),
        }
    }

    /// The as-of period in words.
    pub fn as_of_label(&self) -> String {
        present::period(self.as_of, self.lang)
    }

    /// When the report was made, in Beijing time.
    pub fn made_at_label(&self) -> String {
        moment_label(self.made_at, self.lang)
    }

    /// Which data the report is made from.
    pub fn data_label(&self) -> String {
        match (self.as_recorded, self.lang) {
            // In UTC, as `--as-recorded` reads a date, so the day typed is the day shown.
            (Some(moment), Lang::Zh) => {
                format!("截至 {} 已录入的数据（按当时口径重现）", moment.format("%Y-%m-%d %H:%M:%S UTC"))
            }
            (Some(moment), Lang::En) => format!(
                "figures as recorded up to {} (reproduced as they stood then)",
                moment.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            (None, Lang::Zh) => "生成时已录入的全部数据（含最新修订）".to_string(),
            (None, Lang::En) => "all figures recorded when the report was made (latest revisions)".to_string(),
        }
    }

    /// The "revised since" date in words.
    pub fn revisions_since_label(&self) -> String {
        let day = self.revisions_since.with_timezone(&beijing()).date_naive();
        match self.lang {
            Lang::Zh => format!("{}年{}月{}日", day.year(), day.month(), day.day()),
            Lang::En => day.format("%Y-%m-%d").to_string(),
        }
    }

    /// The report in one sentence: how many targets, how many met, behind, overdue.
    pub fn headline(&self) -> String {
        let count = |wanted: &[Status]| -> usize {
            self.counts.iter().filter(|(s, _)| wanted.contains(s)).map(|(_, n)| n).sum()
        };
        let total = self.rows.len();
        let met = count(&[Status::Met]);
        let nearly = count(&[Status::NearlyMet]);
        let on_track = count(&[Status::OnTrack]);
        let warn = count(&[Status::AtRisk]);
        let short = count(&[Status::OffTrack, Status::Missed]);
        let no_data = count(&[Status::NoData]);
        let overdue = self.overdue_count;
        match self.lang {
            Lang::Zh => {
                let mut parts = vec![format!("已完成 {met} 项")];
                for (n, label) in [
                    (nearly, "基本完成"),
                    (on_track, "进度正常"),
                    (warn, "预警"),
                    (short, "滞后或未完成"),
                    (no_data, "尚无数据"),
                ] {
                    if n > 0 {
                        parts.push(format!("{label} {n} 项"));
                    }
                }
                let mut text = format!("截至{}，{} 项目标中{}", self.as_of_label(), total, parts.join("，"));
                if overdue > 0 {
                    text.push_str(&format!("；{overdue} 项应报数据未报送"));
                }
                text.push('。');
                text
            }
            Lang::En => {
                let mut parts = vec![format!("{met} met")];
                for (n, label) in [
                    (nearly, "nearly met"),
                    (on_track, "on track"),
                    (warn, "at risk"),
                    (short, "off track or missed"),
                    (no_data, "without figures"),
                ] {
                    if n > 0 {
                        parts.push(format!("{n} {label}"));
                    }
                }
                let mut text = format!("As of {}, of {total} targets: {}", self.as_of_label(), parts.join(", "));
                if overdue > 0 {
                    text.push_str(&format!("; {overdue} with a due figure not reported"));
                }
                text.push('.');
                text
            }
        }
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
        status: status.status,
        name: lang.name(&target.name, Some(&target.name_en)).to_string(),
        goal: format!("{commitment}{}", goal_text(plan, target, &fields.goal, lang)),
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
        fields,
    }
}

/// The goal in words, with a relative target's partner named rather than coded:
/// `与地区生产总值增速同步` / `in step with GDP growth`.
fn goal_text(plan: &Plan, target: &Target, goal: &str, lang: Lang) -> String {
    match target.related.as_deref().and_then(|code| plan.target(code)) {
        Some(related) if target.kind == Kind::Relative => {
            present::in_step_with(lang.pick(&related.name, &related.name_en), lang)
        }
        _ => goal.to_string(),
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

    /// The gap to the target: `-2.9 个百分点`, `+4 条`.
    pub fn gap_label(&self, lang: Lang) -> Option<String> {
        self.gap.map(|gap| present::gap(gap, &self.unit, lang))
    }

    /// Progress against pace for accumulation kinds: `75 %（序时 100 %）`; for threshold
    /// kinds the margin against the tolerance band is the gap itself, so none.
    pub fn progress_label(&self, lang: Lang) -> Option<String> {
        Some(present::progress_pace(self.progress?, self.pace?, lang))
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

/// A moment in Beijing time: `2021-03-31 16:00（北京时间）` / `2021-03-31 16:00 (UTC+8)`.
pub fn moment_label(moment: DateTime<Utc>, lang: Lang) -> String {
    let local = moment.with_timezone(&beijing()).format("%Y-%m-%d %H:%M");
    match lang {
        Lang::Zh => format!("{local}（北京时间）"),
        Lang::En => format!("{local} (UTC+8)"),
    }
}

/// A moment as JSON and CSV give it: RFC 3339 in UTC, to the second.
pub fn rfc3339(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The start of the window for "revised recently": the first moment (Beijing time) of
/// the calendar quarter before the one the data moment falls in. A quarterly report
/// made in April so lists everything revised since 1 January: nothing revised between
/// two quarterly reports is missed, whenever in the month each was made.
pub fn revisions_since(data_moment: DateTime<Utc>) -> DateTime<Utc> {
    let local = data_moment.with_timezone(&beijing());
    let quarter_start_month = (local.month() - 1) / 3 * 3 + 1;
    let (year, month) =
        if quarter_start_month > 3 { (local.year(), quarter_start_month - 3) } else { (local.year() - 1, 10) };
    let day = NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists");
    beijing()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
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

    pub fn recorded_at_label(&self, lang: Lang) -> String {
        moment_label(self.recorded_at_value, lang)
    }
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_window_starts_a_quarter_back_in_beijing_time() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(revisions_since(at("2021-03-31T08:00:00Z")), at("2020-10-01T00:00:00+08:00"));
        assert_eq!(revisions_since(at("2021-04-02T08:00:00Z")), at("2021-01-01T00:00:00+08:00"));
        // 2020-12-31 20:00 UTC is already 2021 in Beijing.
        assert_eq!(revisions_since(at("2020-12-31T20:00:00Z")), at("2020-10-01T00:00:00+08:00"));
        assert_eq!(revisions_since(at("2020-12-31T12:00:00Z")), at("2020-07-01T00:00:00+08:00"));
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
