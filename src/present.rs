//! One vocabulary for every text a figure gets, in both languages: periods (with the
//! year-to-date form `2020年1-9月`), statuses and the overdue mark, figures and gaps
//! with their units (percentage points for % targets: `个百分点` / `pp`), what is still
//! needed per period, the goal in words with its commitment, and the phrases about
//! pace and the goal. The status sheet, every report format and the charts call these
//! functions, so one thing reads the same everywhere; none of them spells such a
//! phrase itself.
//!
//! Pure text: no escaping (each output escapes for its own markup) and no layout.

use chrono::{DateTime, Utc};

use crate::lang::Lang;
use crate::numbers::{format_decimals, format_number, format_share, format_signed};
use crate::period::{Frequency, Period, Span};
use crate::plan::{Cmp, Commitment, Kind, Plan, Target};
use crate::status::Status;
use crate::time::PlanZone;

/// A period in words: `2020年三季度`, `2020年9月` / `2020Q3`, `2020-09`.
pub fn period(period: Period, lang: Lang) -> String {
    match lang {
        Lang::Zh => period.label_zh(),
        Lang::En => period.label(),
    }
}

/// A target's period as a statistical release writes it: a year-to-date month reads
/// `2020年1-9月`, a level `2020年9月` (English keeps the period's own label).
pub fn target_period(period: Period, year_to_date: bool, lang: Lang) -> String {
    match (lang, period.span()) {
        (Lang::Zh, Span::Month(month)) if month > 1 && year_to_date => format!("{}年1-{month}月", period.year()),
        _ => self::period(period, lang),
    }
}

/// The x-axis label of a month end: `3月` / `Mar`.
pub fn month(month: u8, lang: Lang) -> String {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match lang {
        Lang::Zh => format!("{month}月"),
        Lang::En => EN.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("").to_string(),
    }
}

/// A moment on the plan's clock with the zone named, to the minute:
/// `2021-03-31 16:00（北京时间）` / `2021-03-31 16:00 (Asia/Shanghai, UTC+8)`.
pub fn moment(moment: DateTime<Utc>, zone: PlanZone, lang: Lang) -> String {
    moment_as(moment, zone, "%Y-%m-%d %H:%M", lang)
}

/// [`moment`] to the second, for the end of a day typed (`23:59:59`).
pub fn moment_to_second(moment: DateTime<Utc>, zone: PlanZone, lang: Lang) -> String {
    moment_as(moment, zone, "%Y-%m-%d %H:%M:%S", lang)
}

fn moment_as(moment: DateTime<Utc>, zone: PlanZone, format: &str, lang: Lang) -> String {
    let (local, offset) = zone.local(moment, format);
    match lang {
        Lang::Zh if zone.is_default() => format!("{local}（北京时间）"),
        Lang::Zh => format!("{local}（{}，{offset}）", zone.name()),
        Lang::En => format!("{local} ({}, {offset})", zone.name()),
    }
}

/// A status in words: `预警` / `at risk`.
pub fn status(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => status_zh(status),
        Lang::En => status_en(status),
    }
}

/// 已完成 · 基本完成 · 正常 · 预警 · 滞后 · 未完成 · 无数据
fn status_zh(status: Status) -> &'static str {
    match status {
        Status::Met => "已完成",
        Status::NearlyMet => "基本完成",
        Status::OnTrack => "正常",
        Status::AtRisk => "预警",
        Status::OffTrack => "滞后",
        Status::Missed => "未完成",
        Status::NoData => "无数据",
    }
}

fn status_en(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::NearlyMet => "nearly met",
        Status::OnTrack => "on track",
        Status::AtRisk => "at risk",
        Status::OffTrack => "off track",
        Status::Missed => "missed",
        Status::NoData => "no data",
    }
}

/// The mark of a missing due figure (未报送): `未报送` / `overdue`.
pub fn overdue(lang: Lang) -> &'static str {
    lang.pick("未报送", "overdue")
}

/// A status with the overdue mark when a due figure is missing: `正常 · 未报送`.
pub fn status_with_overdue(status: Status, is_overdue: bool, lang: Lang) -> String {
    let mut text = self::status(status, lang).to_string();
    if is_overdue {
        text.push_str(" · ");
        text.push_str(overdue(lang));
    }
    text
}

/// The overdue mark with the period due: `未报送（2020年1-9月）` / `overdue (2020-09)`.
pub fn overdue_for(due: Period, year_to_date: bool, lang: Lang) -> String {
    let due = target_period(due, year_to_date, lang);
    match lang {
        Lang::Zh => format!("{}（{due}）", overdue(lang)),
        Lang::En => format!("{} ({due})", overdue(lang)),
    }
}

/// A figure with the period it is for: `92.3 %（2020年9月）` / `92.3 % (2020-09)`.
pub fn figure_in_period(figure: &str, period: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{figure}（{period}）"),
        Lang::En => format!("{figure} ({period})"),
    }
}

/// A period's canonical code in either language (`2020Q3`, `2020-09`), where room is
/// short (the overview's columns and footnote).
pub fn period_code(period: Period) -> String {
    period.label()
}

/// A relative target's callout when the related target has no figure for the period.
pub fn no_related_figure(lang: Lang) -> &'static str {
    lang.pick("同期无对比数据", "no related figure for this period")
}

/// The legend of the actual path: `实际（累计）` / `actual (year to date)` for
/// year-to-date figures, `实际（期末）` / `actual (end of period)` for levels.
pub fn actual_path(year_to_date: bool, lang: Lang) -> &'static str {
    match (year_to_date, lang) {
        (true, Lang::Zh) => "实际（累计）",
        (false, Lang::Zh) => "实际（期末）",
        (true, Lang::En) => "actual (year to date)",
        (false, Lang::En) => "actual (end of period)",
    }
}

/// The legend of the reference path of an accumulation target: `序时进度` /
/// `expected pace`, or `计划进度` / `planned path` where the plan gives one.
pub fn pace_path(planned: bool, lang: Lang) -> &'static str {
    match (planned, lang) {
        (false, Lang::Zh) => "序时进度",
        (true, Lang::Zh) => "计划进度",
        (false, Lang::En) => "expected pace",
        (true, Lang::En) => "planned path",
    }
}

/// The unit of a percentage-point difference: `个百分点` / `pp`.
pub fn points(lang: Lang) -> &'static str {
    lang.pick("个百分点", "pp")
}

/// The unit of a difference: percentage points for % targets, else the target's unit.
pub fn delta_unit(unit: &str, lang: Lang) -> &str {
    if unit == "%" {
        points(lang)
    } else {
        unit
    }
}

/// A number with its unit (`6.5 %`, `92 条`); a unitless number stands alone.
pub fn with_unit(number: &str, unit: &str) -> String {
    if unit.is_empty() {
        number.to_string()
    } else {
        format!("{number} {unit}")
    }
}

/// A plan value or a figure with its unit, up to four decimals: `3.6 %`, `59.8 条`.
pub fn figure(value: f64, unit: &str) -> String {
    with_unit(&format_number(value), unit)
}

/// A figure with its unit to two decimals, where room is short (a chart's callout).
pub fn figure_brief(value: f64, unit: &str) -> String {
    with_unit(&format_decimals(value, 2), unit)
}

/// A signed difference with its unit: `-0.4 个百分点` / `-0.4 pp`, `+3 条`.
pub fn gap(value: f64, unit: &str, lang: Lang) -> String {
    with_unit(&format_signed(value, 2), delta_unit(unit, lang))
}

/// What is still needed in each remaining period: `每季 62 条` / `62 条 a quarter`.
/// The same words in a table cell and in a sentence.
pub fn needed(value: f64, unit: &str, frequency: Frequency, lang: Lang) -> String {
    let value = with_unit(&format_number(round2(value)), delta_unit(unit, lang));
    match (lang, frequency) {
        (Lang::Zh, Frequency::Month) => format!("每月 {value}"),
        (Lang::Zh, Frequency::Quarter) => format!("每季 {value}"),
        (Lang::Zh, Frequency::Year) => format!("全年 {value}"),
        (Lang::En, Frequency::Month) => format!("{value} a month"),
        (Lang::En, Frequency::Quarter) => format!("{value} a quarter"),
        (Lang::En, Frequency::Year) => format!("{value} this year"),
    }
}

/// A stock's progress measured from its first figure of the year, the plan giving no
/// baseline: `以首个数据 2750 家（2020年一季度）为基数` / `measured from its first
/// figure, 2750 家 (2020Q1)`.
pub fn from_first_figure(value: f64, unit: &str, period: Period, lang: Lang) -> String {
    let first = figure(value, unit);
    match lang {
        Lang::Zh => format!("以首个数据 {first}（{}）为基数", self::period(period, lang)),
        Lang::En => format!("measured from its first figure, {first} ({})", self::period(period, lang)),
    }
}

/// A baseline the plan gives (the stock at the end of last year, or 0 for a count
/// since January): `计划基数` / `from the plan`.
pub fn baseline_from_plan(lang: Lang) -> &'static str {
    lang.pick("计划基数", "from the plan")
}

/// Two phrases about one thing, in one cell or sentence: `甲；乙` / `a; b`.
pub fn and_also(first: &str, second: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{first}；{second}"),
        Lang::En => format!("{first}; {second}"),
    }
}

/// The mark beside a progress that is measured from a stock's first figure, which a
/// note below the table explains (`from_first_figure`).
pub const FIRST_FIGURE_MARK: &str = "*";

/// Points of the annual target behind (or ahead of) pace: `落后序时 25 个百分点` /
/// `25 pp behind pace`.
pub fn behind_pace(behind: f64, lang: Lang) -> String {
    let points = self::points(lang);
    match lang {
        Lang::Zh if behind > 0.0 => format!("落后序时 {} {points}", format_number(round1(behind))),
        Lang::Zh => format!("快于序时 {} {points}", format_number(round1(-behind))),
        Lang::En if behind > 0.0 => format!("{} {points} behind pace", format_number(round1(behind))),
        Lang::En => format!("{} {points} ahead of pace", format_number(round1(-behind))),
    }
}

/// A tolerance band in percentage points: `容差 0.5 个百分点` / `tolerance 0.5 pp`.
pub fn tolerance(tolerance: f64, lang: Lang) -> String {
    let tolerance = format_decimals(tolerance, 2);
    match lang {
        Lang::Zh => format!("容差 {tolerance} {}", points(lang)),
        Lang::En => format!("tolerance {tolerance} {}", points(lang)),
    }
}

/// Progress and pace in a table cell headed "progress / pace": `65 % / 75 %`.
pub fn progress_pace_cell(progress: f64, pace: f64) -> String {
    format!("{} / {}", format_share(progress), format_share(pace))
}

/// Progress against pace in words: `32.6 %（序时 75 %）` / `32.6 % (pace 75 %)`.
pub fn progress_pace(progress: f64, pace: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}（序时 {}）", format_share(progress), format_share(pace)),
        Lang::En => format!("{} (pace {})", format_share(progress), format_share(pace)),
    }
}

/// Progress and pace (or the planned path) after the latest figure: `完成 65 %，序时 75 %`
/// / `65 % done, pace 75 %`.
pub fn done_and_pace(progress: f64, pace: f64, planned: bool, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            format!("完成 {}，{} {}", format_share(progress), if planned { "计划" } else { "序时" }, format_share(pace))
        }
        Lang::En => {
            format!("{} done, {} {}", format_share(progress), if planned { "plan" } else { "pace" }, format_share(pace))
        }
    }
}

/// A ceiling's used share against pace after the latest figure: `已用 40 %，序时 75 %` /
/// `40 % used, pace 75 %` (for a ceiling, 完成 would read as an achievement).
pub fn used_and_pace(used: f64, pace: f64, planned: bool, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            format!("已用 {}，{} {}", format_share(used), if planned { "计划" } else { "序时" }, format_share(pace))
        }
        Lang::En => {
            format!("{} used, {} {}", format_share(used), if planned { "plan" } else { "pace" }, format_share(pace))
        }
    }
}

/// A ceiling's used share and pace in a short line: `已用 40 % · 序时 75 %` /
/// `40 % used · pace 75 %`.
pub fn used_and_pace_short(used: f64, pace: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已用 {} · 序时 {}", format_share(used), format_share(pace)),
        Lang::En => format!("{} used · pace {}", format_share(used), format_share(pace)),
    }
}

/// Progress and pace in a short line: `完成 65 % · 序时 75 %` / `65 % done · pace 75 %`.
pub fn done_and_pace_short(progress: f64, pace: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("完成 {} · 序时 {}", format_share(progress), format_share(pace)),
        Lang::En => format!("{} done · pace {}", format_share(progress), format_share(pace)),
    }
}

/// A gap to the goal in words (`gap` already with its unit): `距目标 -0.4 个百分点` /
/// `-0.4 pp against the goal`.
pub fn against_goal(gap: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("距目标 {gap}"),
        Lang::En => format!("{gap} against the goal"),
    }
}

/// A margin against pace or the planned path in words: `较序时 -5 条` / `-5 条 against pace`.
pub fn against_pace(margin: &str, planned: bool, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("较{} {margin}", if planned { "计划" } else { "序时" }),
        Lang::En => format!("{margin} against pace"),
    }
}

/// A relative target's difference from its related figure: `差 -0.4 个百分点` /
/// `difference -0.4 pp`.
pub fn difference(margin: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("差 {margin}"),
        Lang::En => format!("difference {margin}"),
    }
}

/// The commitment word before a goal (`确保` / `ensure`), empty for a plain goal.
pub fn commitment(commitment: Commitment, lang: Lang) -> &'static str {
    match (lang, commitment) {
        (_, Commitment::Plain) => "",
        (Lang::Zh, commitment) => commitment.label_zh(),
        (Lang::En, commitment) => commitment.as_str(),
    }
}

/// The goal with its commitment, as the sheet and `ontrack targets` write it:
/// `确保 92 条`, `与地区生产总值增速同步`.
pub fn goal(plan: &Plan, target: &Target, lang: Lang) -> String {
    [commitment(target.commitment, lang), &goal_words(plan, target, lang)].join(" ").trim().to_string()
}

/// The goal in words of a target that is not relative, every form of it (without
/// the commitment): the bar (`≥ 6 %`, `92 条`), a range (`6–6.5 %`: a `reach` target with a `strive` end), the higher
/// bar (`≥ 6 %，力争 7 %` / `≥ 6 %, strive for 7 %`) and a change in points
/// (`提高 1 个百分点（至 66.5 %）` / `up 1 pp (to 66.5 %)`).
pub fn form_words(target: &Target, lang: Lang) -> String {
    let bar = match target.change {
        Some(change) if matches!(target.kind, Kind::Rate | Kind::Share) => change_in_points(change, target.value, lang),
        _ => bar_words(target, lang),
    };
    match target.strive {
        Some(strive) if is_range(target) => {
            let (low, high) = (target.value.min(strive), target.value.max(strive));
            with_unit(&format!("{}–{}", format_number(low), format_number(high)), &target.unit)
        }
        Some(strive) => {
            let symbol = if target.cmp == Cmp::AtMost { "≤ " } else { "" };
            let strive = format!("{symbol}{}", figure(strive, &target.unit));
            match lang {
                Lang::Zh => format!("{bar}，力争 {strive}"),
                Lang::En => format!("{bar}, strive for {strive}"),
            }
        }
        None => bar,
    }
}

/// The legend of the higher bar's line on a chart: `力争 7 %`, `力争 ≤ 3 起`, a range's
/// `区间上端 6.5 %` / `strive 7 %`, `strive ≤ 3 起`, `upper end 6.5 %`; empty without one.
pub fn strive_line(target: &Target, lang: Lang) -> String {
    let Some(strive) = target.strive else { return String::new() };
    let symbol = if target.cmp == Cmp::AtMost { "≤ " } else { "" };
    let bar = format!("{symbol}{}", figure(strive, &target.unit));
    match (lang, is_range(target)) {
        (Lang::Zh, true) => format!("区间上端 {bar}"),
        (Lang::Zh, false) => format!("力争 {bar}"),
        (Lang::En, true) => format!("upper end {bar}"),
        (Lang::En, false) => format!("strive {bar}"),
    }
}

/// A range (`增长6%—6.5%`): a plain number (`reach`) with a `strive` end.
fn is_range(target: &Target) -> bool {
    target.strive.is_some() && target.cmp == Cmp::Reach && target.change.is_none()
}

/// A rate or share moved by points from last year's level: `提高 1 个百分点（至 66.5 %）`,
/// `下降 0.2 个百分点（至 3.8 %）` / `up 1 pp (to 66.5 %)`, `down 0.2 pp (to 3.8 %)`.
pub fn change_in_points(change: f64, value: f64, lang: Lang) -> String {
    let by = format_number(change.abs());
    let to = figure(value, "%");
    let points = points(lang);
    match (lang, change >= 0.0) {
        (Lang::Zh, true) => format!("提高 {by} {points}（至 {to}）"),
        (Lang::Zh, false) => format!("下降 {by} {points}（至 {to}）"),
        (Lang::En, true) => format!("up {by} {points} (to {to})"),
        (Lang::En, false) => format!("down {by} {points} (to {to})"),
    }
}

/// Whether the higher bar is reached: `力争目标已达成` / `strive bar reached`.
pub fn strive_met(met: bool, lang: Lang) -> &'static str {
    match (lang, met) {
        (Lang::Zh, true) => "力争目标已达成",
        (Lang::Zh, false) => "力争目标未达成",
        (Lang::En, true) => "strive bar reached",
        (Lang::En, false) => "strive bar not reached",
    }
}

/// A status with whether the higher bar is reached, where the target has one:
/// `已完成 · 力争目标未达成` / `met · strive bar not reached`.
pub fn status_with_strive(status: Status, strive_met: Option<bool>, lang: Lang) -> String {
    match strive_met {
        Some(met) => format!("{} · {}", self::status(status, lang), self::strive_met(met, lang)),
        None => self::status(status, lang).to_string(),
    }
}

/// A relative target's goal with its partner named: `与地区生产总值增速同步` /
/// `in step with GDP growth`.
pub fn in_step_with(related: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("与{related}同步"),
        Lang::En => format!("in step with {related}"),
    }
}

/// The goal in words without its commitment, as every output shows it: a relative
/// target names its partner (`与地区生产总值增速同步`), which a reader understands
/// better than its code; the others read as [`form_words`] (`≥ 92 条`, `≥ 6 %，力争 7 %`).
pub fn goal_words(plan: &Plan, target: &Target, lang: Lang) -> String {
    match target.kind {
        Kind::Relative => in_step_with(&related_name(plan, target, lang), lang),
        _ => form_words(target, lang),
    }
}

/// The bar alone, as a supervision sheet writes it: a milestone reads `完成 (100 %)` /
/// `done (100 %)`, the others `≈ 6.5 %`, `≤ 4 %`, `≥ 95 %`, `> 140 幢`, `92 条`.
fn bar_words(target: &Target, lang: Lang) -> String {
    match target.kind {
        Kind::Milestone => lang.pick("完成 (100 %)", "done (100 %)").to_string(),
        _ => {
            let symbol = match target.cmp {
                Cmp::About => "≈ ",
                Cmp::AtMost => "≤ ",
                Cmp::AtLeast => "≥ ",
                Cmp::MoreThan => "> ",
                Cmp::Reach => "",
            };
            format!("{symbol}{}", figure(target.value, &target.unit))
        }
    }
}

/// The name of a relative target's partner in `lang` (the Chinese one where the
/// English is missing), or its code if the plan lacks it.
pub fn related_name(plan: &Plan, target: &Target, lang: Lang) -> String {
    let code = target.related.as_deref().unwrap_or("");
    plan.target(code).map_or_else(|| code.to_string(), |r| lang.name(&r.name, Some(&r.name_en)).to_string())
}

/// A chart's caption of the goal (`goal` without its commitment): `目标 确保 ≥ 95 %` /
/// `goal (ensure) ≥ 95 %`.
pub fn goal_caption(goal: &str, commitment: Commitment, lang: Lang) -> String {
    match (lang, commitment) {
        (Lang::Zh, Commitment::Plain) => format!("目标 {goal}"),
        (Lang::Zh, other) => format!("目标 {} {goal}", other.label_zh()),
        (Lang::En, Commitment::Plain) => format!("goal {goal}"),
        (Lang::En, other) => format!("goal ({}) {goal}", other.as_str()),
    }
}

/// A relative target's goal with the related figure this period: `与 gdp 同步（本期 5.9 %）`.
pub fn goal_now(goal: &str, related_value: f64, lang: Lang) -> String {
    let now = figure(related_value, "%");
    match lang {
        Lang::Zh => format!("{goal}（本期 {now}）"),
        Lang::En => format!("{goal} (now {now})"),
    }
}

/// A figure and the goal it is held against: `3.6 %（目标 ≤ 4 %）` / `3.6 % (goal ≤ 4 %)`.
pub fn figure_and_goal(figure: &str, goal: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{figure}（目标 {goal}）"),
        Lang::En => format!("{figure} (goal {goal})"),
    }
}

/// `：` in Chinese, `: ` in English, after a label.
pub fn colon(lang: Lang) -> &'static str {
    lang.pick("：", ": ")
}

pub mod bundle;
pub mod chart;
pub mod commands;
pub mod compare;
pub mod headers;
pub mod report;
pub mod sheet;
pub mod web;

/// A figure logged after its deadline (`deadline::is_late`): `逾期报送` / `late`.
pub fn late(lang: Lang) -> &'static str {
    lang.pick("逾期报送", "late")
}

/// A figure's period with the late mark when the figure was logged after its
/// deadline: `2020年三季度，逾期报送` / `2020Q3, late`.
pub fn with_late_mark(period: &str, is_late: bool, lang: Lang) -> String {
    match (is_late, lang) {
        (false, _) => period.to_string(),
        (true, Lang::Zh) => format!("{period}，{}", late(lang)),
        (true, Lang::En) => format!("{period}, {}", late(lang)),
    }
}

/// A target value changed by an adjustment: `原目标 6.5 % → 调整后 4 %` /
/// `originally 6.5 % → adjusted to 4 %`.
pub fn adjusted_goal(before: f64, after: f64, unit: &str, lang: Lang) -> String {
    let (before, after) = (figure(before, unit), figure(after, unit));
    lang.choose(format!("原目标 {before} → 调整后 {after}"), format!("originally {before} → adjusted to {after}"))
}

/// An adjustment's move of the strive bar, when it moved: `力争 8 % → 7 %` /
/// `strive for 8 % → 7 %` (a dash for a bar the target did not have).
pub fn adjusted_strive(before: Option<f64>, after: Option<f64>, unit: &str, lang: Lang) -> Option<String> {
    let after = after.filter(|after| before != Some(*after))?;
    let before = before.map_or_else(|| "—".to_string(), |b| figure(b, unit));
    let after = figure(after, unit);
    Some(lang.choose(format!("力争 {before} → {after}"), format!("strive for {before} → {after}")))
}

/// An adjustment's whole change: the value's (`adjusted_goal`) and, when it moved, the
/// strive bar's, joined: `原目标 6 % → 调整后 5 %；力争 7 % → 6 %`.
pub fn adjusted(value: (f64, f64), strive: (Option<f64>, Option<f64>), unit: &str, lang: Lang) -> String {
    let goal = adjusted_goal(value.0, value.1, unit, lang);
    match adjusted_strive(strive.0, strive.1, unit, lang) {
        Some(strive) => format!("{goal}{}{strive}", lang.pick("；", "; ")),
        None => goal,
    }
}

/// A goal cell of an adjusted target, with the value it had before:
/// `确保 4 %（原目标 6.5 %）` / `ensure 4 % (originally 6.5 %)`.
pub fn goal_adjusted_from(goal: &str, original: f64, unit: &str, lang: Lang) -> String {
    let original = figure(original, unit);
    lang.choose(format!("{goal}（原目标 {original}）"), format!("{goal} (originally {original})"))
}

/// Why and by what a target was adjusted: `理由：…；文号：…` / `reason: …; document: …`.
pub fn adjustment_grounds(reason: &str, document: Option<&str>, lang: Lang) -> String {
    match (document, lang) {
        (None, Lang::Zh) => format!("理由：{reason}"),
        (None, Lang::En) => format!("reason: {reason}"),
        (Some(document), Lang::Zh) => format!("理由：{reason}；文号：{document}"),
        (Some(document), Lang::En) => format!("reason: {reason}; document: {document}"),
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A figure's review state: 已报送 / submitted, 已退回, 已审核, 已作废.
pub fn figure_state(state: crate::review::FigureState, lang: Lang) -> &'static str {
    let (zh, en) = state.words();
    lang.pick(zh, en)
}

/// The heading of a report's review section: per lead unit, figures awaiting review
/// (待审核), approved and returned.
pub fn review_heading(lang: Lang) -> &'static str {
    lang.pick("审核情况", "Review")
}

/// The heading of a report's list of returned figures.
pub fn returned_heading(lang: Lang) -> &'static str {
    lang.pick("已退回的数据", "Returned figures")
}

/// The heading of completeness (报送完整性) for a period: `报送完整性（2020年第一季度）`.
pub fn completeness_heading(period: crate::period::Period, lang: Lang) -> String {
    let period = self::period(period, lang);
    lang.choose(format!("报送完整性（{period}）"), format!("Completeness ({period})"))
}

/// The reporting rate (submitted of due, `UnitCompleteness::rate`) as `75 %`, or a
/// dash when nothing is due.
pub fn reporting_rate(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |rate| format!("{} %", format_number(round1(rate))))
}

/// What `completeness` prints when the period asks no target for a figure.
pub fn nothing_due(period: crate::period::Period, lang: Lang) -> String {
    let label = self::period(period, lang);
    lang.choose(format!("{label}没有应报的指标\n"), format!("no target is due for {label}\n"))
}

/// Which figures a status, chart or report counts.
pub fn counting(counting: crate::review::Counting, lang: Lang) -> &'static str {
    match counting {
        crate::review::Counting::AllCurrent => lang.pick(
            "计入全部现行数据（已报送与已审核；已退回、已作废的不计）",
            "counts every current figure (submitted and approved; returned and void ones do not count)",
        ),
        crate::review::Counting::ApprovedOnly => lang.pick("仅计入已审核数据", "counts approved figures only"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_form_for_each_phrase() {
        let q3: Period = "2020Q3".parse().unwrap();
        let september: Period = "2020-09".parse().unwrap();
        assert_eq!(period(q3, Lang::Zh), "2020年三季度");
        assert_eq!(period(q3, Lang::En), "2020Q3");
        assert_eq!(target_period(september, true, Lang::Zh), "2020年1-9月");
        assert_eq!(target_period(september, false, Lang::Zh), "2020年9月");
        assert_eq!(target_period(september, true, Lang::En), "2020-09");
        assert_eq!(month(9, Lang::Zh), "9月");
        assert_eq!(month(9, Lang::En), "Sep");
        assert_eq!(gap(-0.4, "%", Lang::Zh), "-0.4 个百分点");
        assert_eq!(gap(-0.4, "%", Lang::En), "-0.4 pp");
        assert_eq!(gap(3.0, "条", Lang::En), "+3 条");
        assert_eq!(needed(62.0, "条", Frequency::Quarter, Lang::Zh), "每季 62 条");
        assert_eq!(from_first_figure(2750.0, "家", q3, Lang::Zh), "以首个数据 2750 家（2020年三季度）为基数");
        assert_eq!(from_first_figure(2750.0, "家", q3, Lang::En), "measured from its first figure, 2750 家 (2020Q3)");
        assert_eq!(needed(0.004, "%", Frequency::Month, Lang::En), "0 pp a month");
        assert_eq!(behind_pace(25.0, Lang::En), "25 pp behind pace");
        assert_eq!(tolerance(0.5, Lang::En), "tolerance 0.5 pp");
        assert_eq!(status_with_overdue(Status::OnTrack, true, Lang::Zh), "正常 · 未报送");
        assert_eq!(overdue_for(september, true, Lang::Zh), "未报送（2020年1-9月）");
        assert_eq!(figure(6.5, "%"), "6.5 %");
        assert_eq!(figure(3.0, ""), "3");
        assert_eq!(with_late_mark("2020年三季度", true, Lang::Zh), "2020年三季度，逾期报送");
        assert_eq!(with_late_mark("2020Q3", false, Lang::En), "2020Q3");
        assert_eq!(with_late_mark("2020Q3", true, Lang::En), "2020Q3, late");
        assert_eq!(adjusted_goal(6.5, 4.0, "%", Lang::Zh), "原目标 6.5 % → 调整后 4 %");
        assert_eq!(adjusted_goal(6.5, 4.0, "%", Lang::En), "originally 6.5 % → adjusted to 4 %");
        assert_eq!(
            adjustment_grounds("疫情", Some("区政发〔2020〕12号"), Lang::Zh),
            "理由：疫情；文号：区政发〔2020〕12号"
        );
        let at = "2021-03-31T08:00:00Z".parse().unwrap();
        assert_eq!(moment(at, PlanZone::default(), Lang::Zh), "2021-03-31 16:00（北京时间）");
        assert_eq!(moment(at, PlanZone::default(), Lang::En), "2021-03-31 16:00 (Asia/Shanghai, UTC+8)");
        let berlin = "Europe/Berlin".parse().unwrap();
        assert_eq!(moment_to_second(at, berlin, Lang::Zh), "2021-03-31 10:00:00（Europe/Berlin，UTC+2）");
        assert_eq!(change_in_points(1.0, 66.5, Lang::Zh), "提高 1 个百分点（至 66.5 %）");
        assert_eq!(change_in_points(-0.2, 3.8, Lang::En), "down 0.2 pp (to 3.8 %)");
        assert_eq!(status_with_strive(Status::Met, Some(false), Lang::Zh), "已完成 · 力争目标未达成");
        assert_eq!(status_with_strive(Status::OnTrack, Some(true), Lang::En), "on track · strive bar reached");
        assert_eq!(status_with_strive(Status::OnTrack, None, Lang::En), "on track");
        assert_eq!(used_and_pace(0.4, 0.75, false, Lang::Zh), "已用 40 %，序时 75 %");
        assert_eq!(used_and_pace_short(0.4, 0.75, Lang::En), "40 % used · pace 75 %");
    }

    #[test]
    fn every_form_of_the_goal_in_words() {
        let plan_of = |fields: &str| {
            let text = format!(
                "[plan]\nid = \"t\"\norg = \"t\"\nyear = 2020\n[sections]\nmain = \"m\"\n[[targets]]\n\
                 code = \"t\"\nsection = \"main\"\nname = \"n\"\nfrequency = \"year\"\nquote = \"q\"\n{fields}\n"
            );
            crate::plan::file::parse_plan(&text, "t").unwrap()
        };
        let target = |fields: &str| plan_of(fields).into_targets().remove(0);
        let growth = "kind = \"growth\"\nunit = \"%\"";
        let cases = [
            (
                format!("{growth}\ncmp = \"at_least\"\nvalue = 6\nstrive = 7"),
                "≥ 6 %，力争 7 %",
                "≥ 6 %, strive for 7 %",
            ),
            (
                format!("{growth}\ncmp = \"at_least\"\nvalue = 6\nstrive = 6.5\ncommitment = \"ensure\""),
                "确保 ≥ 6 %，力争 6.5 %",
                "ensure ≥ 6 %, strive for 6.5 %",
            ),
            (format!("{growth}\ncmp = \"reach\"\nvalue = 6\nstrive = 6.5"), "6–6.5 %", "6–6.5 %"),
            (format!("{growth}\ncmp = \"at_most\"\nvalue = -3"), "≤ -3 %", "≤ -3 %"),
            (
                "kind = \"rate\"\nunit = \"%\"\ncmp = \"at_most\"\nvalue = 4.5\nstrive = 4".to_string(),
                "≤ 4.5 %，力争 ≤ 4 %",
                "≤ 4.5 %, strive for ≤ 4 %",
            ),
            (
                "kind = \"rate\"\nunit = \"%\"\ncmp = \"at_least\"\nbaseline = 65.5\nchange = 1".to_string(),
                "提高 1 个百分点（至 66.5 %）",
                "up 1 pp (to 66.5 %)",
            ),
            (
                "kind = \"share\"\nunit = \"%\"\ncmp = \"at_most\"\nbaseline = 4\nchange = -0.2\nvalue = 3.8"
                    .to_string(),
                "下降 0.2 个百分点（至 3.8 %）",
                "down 0.2 pp (to 3.8 %)",
            ),
            (
                "kind = \"count\"\nunit = \"户\"\nmeasure = \"level\"\ncmp = \"at_most\"\nbaseline = 120\nvalue = 20"
                    .to_string(),
                "≤ 20 户",
                "≤ 20 户",
            ),
            (
                "kind = \"count\"\nunit = \"起\"\ncmp = \"at_most\"\nvalue = 5\nstrive = 3".to_string(),
                "≤ 5 起，力争 ≤ 3 起",
                "≤ 5 起, strive for ≤ 3 起",
            ),
        ];
        let ceiling = target("kind = \"count\"\nunit = \"起\"\ncmp = \"at_most\"\nvalue = 5\nstrive = 3");
        assert_eq!(strive_line(&ceiling, Lang::Zh), "力争 ≤ 3 起");
        let range = target(&format!("{growth}\ncmp = \"reach\"\nvalue = 6\nstrive = 6.5"));
        assert_eq!(
            (strive_line(&range, Lang::Zh), strive_line(&range, Lang::En)),
            ("区间上端 6.5 %".into(), "upper end 6.5 %".into())
        );
        for (fields, zh, en) in cases {
            let plan = plan_of(&fields);
            let target = &plan.targets()[0];
            assert_eq!(
                (goal(&plan, target, Lang::Zh), goal(&plan, target, Lang::En)),
                (zh.to_string(), en.to_string()),
                "{fields}"
            );
        }
    }

    #[test]
    fn the_one_goal_form_for_every_kind() {
        let plan =
            crate::plan::file::parse_plan(crate::plan::BUILTIN_PLAN_TOML, crate::plan::BUILTIN_PLAN_NAME).unwrap();
        let goal_of = |code: &str, lang| goal_words(&plan, plan.target(code).unwrap(), lang);
        assert_eq!(goal_of("gdp-growth", Lang::Zh), "≈ 6.5 %");
        assert_eq!(goal_of("unemployment-rate", Lang::En), "≤ 4 %");
        assert_eq!(goal_of("finance-share-of-services", Lang::Zh), "≥ 30 %");
        assert_eq!(goal_of("buildings-tax-over-1m", Lang::Zh), "> 140 幢");
        assert_eq!(goal_of("projects-started", Lang::Zh), "55 个");
        assert_eq!(goal_of("longjin-lianhuo-interchange", Lang::Zh), "完成 (100 %)");
        assert_eq!(goal_of("longjin-lianhuo-interchange", Lang::En), "done (100 %)");
        assert_eq!(goal_of("income-growth", Lang::Zh), "与地区生产总值增速同步");
        assert_eq!(goal_of("income-growth", Lang::En), "in step with GDP growth");
    }
}
