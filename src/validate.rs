//! Checking one figure against its plan and the clock: the single place where a
//! typed or imported figure is judged, shared by `record` and `import` so both refuse
//! the same things with the same words. Pure: "now" is passed in, nothing is read.

use chrono::{DateTime, Datelike, Utc};
use thiserror::Error;

use crate::lang::{Lang, Localize};
use crate::numbers::format_number;
use crate::output::{clip, CLIP_AT};
use crate::period::{Period, PeriodError};
use crate::plan::{Kind, OutsideYear, Plan, Target};

/// A value as it arrived: text typed or read from a CSV cell, or a number from an
/// Excel cell.
#[derive(Debug, Clone, Copy)]
pub enum RawValue<'a> {
    Text(&'a str),
    Number(f64),
}

/// A period as it arrived: text read from a sheet's cell, or a `Period` the command
/// line has already read.
#[derive(Debug, Clone, Copy)]
pub enum RawPeriod<'a> {
    Text(&'a str),
    Parsed(Period),
}

impl<'a> From<&'a str> for RawPeriod<'a> {
    fn from(text: &'a str) -> RawPeriod<'a> {
        RawPeriod::Text(text)
    }
}

impl From<Period> for RawPeriod<'_> {
    fn from(period: Period) -> Self {
        RawPeriod::Parsed(period)
    }
}

/// A figure that passed every check, in domain types.
#[derive(Debug, Clone, Copy)]
pub struct CheckedFigure<'p> {
    pub target: &'p Target,
    pub period: Period,
    pub value: f64,
}

/// One reason a figure is refused. Each message says what is wrong and what to do.
#[derive(Debug, PartialEq, Error)]
#[error("{}", self.localize(Lang::En))]
pub enum FigureProblem {
    MissingTarget,
    UnknownTarget {
        plan: String,
        code: String,
        nearest: Option<String>,
    },
    MissingPeriod,
    /// Not a `source`: its message is this problem's whole message, said once.
    Period(PeriodError),
    /// Not a `source`: its message is this problem's whole message, said once.
    OutsideYear(OutsideYear),
    Future {
        period: String,
        ends: String,
        current: String,
    },
    SecondHalfYearToDate {
        period: String,
        target: String,
        year: i32,
    },
    MissingValue,
    NotANumber {
        text: String,
    },
    NotFinite {
        text: String,
    },
    TooLarge {
        text: String,
    },
    UnitMismatch {
        text: String,
        found: String,
        target: String,
        unit: String,
    },
    /// A value outside 0–100 for a rate, share or milestone (`kind`).
    OutsidePercent {
        value: String,
        target: String,
        kind: Kind,
    },
    /// A negative value for a count, amount or milestone (`kind`).
    Negative {
        value: String,
        target: String,
        kind: Kind,
    },
    BelowMinus100 {
        value: String,
    },
    /// Growth beyond [`MAX_GROWTH`] %.
    GrowthAbove1000 {
        value: String,
    },
    /// A count or amount beyond what its target can be (see [`magnitude_limit`]).
    Magnitude {
        value: String,
        target: String,
        limit: String,
        unit: String,
        why: MagnitudeLimit,
        goal: String,
    },
    NotWhole {
        value: String,
        target: String,
        unit: String,
    },
}

impl From<PeriodError> for FigureProblem {
    fn from(error: PeriodError) -> FigureProblem {
        FigureProblem::Period(error)
    }
}

impl Localize for FigureProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            FigureProblem::MissingTarget => lang
                .pick(
                    "未填指标代码：请填写指标代码（target），如 gdp-growth",
                    "no target code given: fill in the target code (指标代码), e.g. gdp-growth",
                )
                .to_string(),
            FigureProblem::UnknownTarget { plan, code, nearest } => {
                let hint = match nearest {
                    Some(near) => lang.choose(format!("（是否要写 {near}？）"), format!(" (did you mean {near}?)")),
                    None => String::new(),
                };
                lang.choose(
                    format!("计划 {plan} 中没有指标 {code:?}{hint}；可用 `ontrack targets` 查看全部代码"),
                    format!("plan {plan} has no target {code:?}{hint}; `ontrack targets` lists the codes"),
                )
            }
            FigureProblem::MissingPeriod => lang
                .pick(
                    "未填期别：请填写期别（period），如 2020Q3 或 2020年前三季度",
                    "no period given: fill in the period (期间), e.g. 2020Q3 or 2020年前三季度",
                )
                .to_string(),
            FigureProblem::Period(error) => error.localize(lang),
            FigureProblem::OutsideYear(error) => error.localize(lang),
            FigureProblem::Future { period, ends, current } => lang.choose(
                format!(
                    "{period} 尚未到来：该期别截至 {ends}，晚于当前月份 {current}；请在期别结束后（或其最后一个月内）\
                     录入数据"
                ),
                format!(
                    "{period} is in the future: it ends in {ends}, after the current month {current}; log a figure \
                     once its period has ended (or in its last month)"
                ),
            ),
            FigureProblem::SecondHalfYearToDate { period, target, year } => lang.choose(
                format!(
                    "{period} 不是 {target} 的统计期别：该指标为自年初累计数，只能覆盖 1–6 月或 1–12 月，不能单独为 \
                     7–12 月；全年数据请写 {year}（全年）"
                ),
                format!(
                    "{period} is no window for {target}: its figures are cumulative since January (year-to-date), \
                     so they cover 1–6 or 1–12 months, never July–December alone; for the whole year use {year} \
                     (全年)"
                ),
            ),
            FigureProblem::MissingValue => {
                lang.pick("未填数值：请填写数据，如 6.5", "no value given: fill in the figure, e.g. 6.5").to_string()
            }
            FigureProblem::NotANumber { text } => lang.choose(
                format!("{text:?} 不是数字：请用阿拉伯数字填写，如 6.5 或 -0.2"),
                format!("{text:?} is not a number: write the figure as digits, e.g. 6.5 or -0.2"),
            ),
            FigureProblem::NotFinite { text } => lang.choose(
                format!("{text:?} 不是有效数据（非数字）；请用阿拉伯数字填写，如 6.5"),
                format!("{text:?} is not a figure (not a number); write the figure as digits, e.g. 6.5"),
            ),
            FigureProblem::TooLarge { text } => lang.choose(
                format!("{text:?} 数值过大，超出数字范围；请核对数值"),
                format!("{text:?} is too large to be a figure (beyond the range of numbers); check the value"),
            ),
            FigureProblem::UnitMismatch { text, found, target, unit } => lang.choose(
                format!("{text:?} 的单位是 {found}，但 {target} 以 {unit} 计量：请换算为 {unit} 后只填数字"),
                format!(
                    "{text:?} is in {found}, but {target} is measured in {unit}: convert it to {unit} and enter the \
                     number alone"
                ),
            ),
            FigureProblem::OutsidePercent { value, target, kind } => lang.choose(
                format!("{value} 超出 0–100：{target} 是以 % 计的{}", kind_words(*kind, Lang::Zh)),
                format!("{value} is outside 0–100: {target} is {} in %", kind_words(*kind, Lang::En)),
            ),
            FigureProblem::Negative { value, target, kind } => lang.choose(
                format!("{value} 为负数：{target} 是{}，不能小于 0", kind_words(*kind, Lang::Zh)),
                format!("{value} is negative: {target} is {}, which cannot be below 0", kind_words(*kind, Lang::En)),
            ),
            FigureProblem::BelowMinus100 { value } => lang.choose(
                format!("{value} 小于 -100：增长率的降幅不可能超过 100 %"),
                format!("{value} is below -100: a growth rate cannot fall by more than 100 %"),
            ),
            FigureProblem::GrowthAbove1000 { value } => lang.choose(
                format!("{value} 超过 1,000：增速超过 1,000 %（即为上年的十一倍）不是合理数据；请核对数值"),
                format!(
                    "{value} is above 1,000: a growth rate beyond 1,000 % (eleven times the year before) is no \
                     plausible figure; check the value"
                ),
            ),
            FigureProblem::Magnitude { value, target, limit, unit, why, goal } => lang.choose(
                format!(
                    "{value} 超出 {target} 可能的数值：最多 {limit} {unit}（{}）；请核对数值和单位",
                    magnitude_reason(*why, goal, Lang::Zh)
                ),
                format!(
                    "{value} is beyond what {target} can be: at most {limit} {unit} ({}); check the value and its unit",
                    magnitude_reason(*why, goal, Lang::En)
                ),
            ),
            FigureProblem::NotWhole { value, target, unit } => lang.choose(
                format!("{value} 不是整数：{target} 是计数指标（{unit}）"),
                format!("{value} is not a whole number: {target} counts things ({unit})"),
            ),
        }
    }
}

impl FigureProblem {
    /// What kind of problem this is, whatever the row: an import lists the first rows
    /// of each kind and counts the rest.
    pub fn kind(&self) -> &'static str {
        match self {
            FigureProblem::MissingTarget => "missing target",
            FigureProblem::UnknownTarget { .. } => "unknown target",
            FigureProblem::MissingPeriod => "missing period",
            FigureProblem::Period(_) => "unreadable period",
            FigureProblem::OutsideYear(_) => "period outside the year",
            FigureProblem::Future { .. } => "future period",
            FigureProblem::SecondHalfYearToDate { .. } => "second half-year to date",
            FigureProblem::MissingValue => "missing value",
            FigureProblem::NotANumber { .. } => "not a number",
            FigureProblem::NotFinite { .. } => "not finite",
            FigureProblem::TooLarge { .. } => "too large",
            FigureProblem::UnitMismatch { .. } => "unit mismatch",
            FigureProblem::OutsidePercent { .. } => "outside 0-100",
            FigureProblem::Negative { .. } => "negative",
            FigureProblem::BelowMinus100 { .. } => "below -100",
            FigureProblem::GrowthAbove1000 { .. } => "growth above 1,000",
            FigureProblem::Magnitude { .. } => "beyond its magnitude",
            FigureProblem::NotWhole { .. } => "not whole",
        }
    }
}

/// Which limit a count or amount went beyond.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MagnitudeLimit {
    /// 10^12 in the target's unit, whatever the target.
    Absolute,
    /// 1,000 times the larger of the target's value and baseline.
    TimesGoal,
}

/// The most a count or amount may be: 10^12 in its unit, and 1,000 times the larger
/// of the target's value and baseline (when that is not 0).
pub const MAX_MAGNITUDE: f64 = 1e12;
/// How many times its goal (or baseline) a count or amount may be.
pub const MAX_TIMES_GOAL: f64 = 1000.0;
/// The highest growth rate, in %, a figure may state.
pub const MAX_GROWTH: f64 = 1000.0;

fn magnitude_reason(why: MagnitudeLimit, goal: &str, lang: Lang) -> String {
    match why {
        MagnitudeLimit::Absolute => lang
            .pick("单位数值上限 10^12，超出任何区县的数据", "10^12 in its unit, beyond any district's figure")
            .to_string(),
        MagnitudeLimit::TimesGoal => lang
            .choose(format!("目标值或基数 {goal} 的 1,000 倍"), format!("1,000 times its goal or baseline of {goal}")),
    }
}

/// The limit a count or amount of `target` may not exceed, and why.
pub fn magnitude_limit(target: &Target) -> (f64, MagnitudeLimit) {
    let scale = target.value.abs().max(target.baseline.unwrap_or(0.0).abs());
    let times_goal = scale * MAX_TIMES_GOAL;
    if scale > 0.0 && times_goal < MAX_MAGNITUDE {
        (times_goal, MagnitudeLimit::TimesGoal)
    } else {
        (MAX_MAGNITUDE, MagnitudeLimit::Absolute)
    }
}

/// What a target of `kind` is, as the range messages say it.
fn kind_words(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Rate => lang.pick("比率", "a rate"),
        Kind::Share => lang.pick("占比", "a share"),
        Kind::Milestone => lang.pick("完成进度（完成比例，100 为完成）", "a milestone (share done, 100 = done)"),
        Kind::Count => lang.pick("计数", "a count"),
        _ => lang.pick("总量", "an amount"),
    }
}

/// A cell's text as a message repeats it: trimmed and cut at [`CLIP_AT`] characters, so
/// a 30 MB cell does not give 30 MB of message.
fn echo(text: &str) -> String {
    clip(text.trim(), CLIP_AT).into_owned()
}

/// Checks one figure: the target exists in the plan, the period parses, lies in the
/// plan's year, has ended (see [`check_period`]) and is a window the target can have,
/// and the value is a finite number that the target's kind allows. Every problem
/// found is returned, so a sheet row lists all that is wrong with it at once.
pub fn check_figure<'p, 'a>(
    plan: &'p Plan,
    target: &str,
    period: impl Into<RawPeriod<'a>>,
    value: RawValue<'_>,
    now: DateTime<Utc>,
) -> Result<CheckedFigure<'p>, Vec<FigureProblem>> {
    check_figure_suggesting(plan, target, period, value, now, |code| plan.nearest_code(code).map(str::to_string))
}

/// The target a typed code names: codes are lowercase slugs, so `GDP-Growth ` names
/// `gdp-growth`. The one reading of a code for checks and for who may log it.
pub fn target_named<'p>(plan: &'p Plan, code: &str) -> Option<&'p crate::plan::Target> {
    plan.target(&code.trim().to_ascii_lowercase())
}

/// [`check_figure`] with the "did you mean" suggestion for an unknown code made by
/// `nearest`: an import of many rows caches it and stops suggesting past the rows
/// it lists (each suggestion compares the code with every code of the plan).
pub fn check_figure_suggesting<'p, 'a>(
    plan: &'p Plan,
    target: &str,
    period: impl Into<RawPeriod<'a>>,
    value: RawValue<'_>,
    now: DateTime<Utc>,
    nearest: impl FnOnce(&str) -> Option<String>,
) -> Result<CheckedFigure<'p>, Vec<FigureProblem>> {
    let mut problems = Vec::new();
    // Codes are lowercase slugs; `GDP-Growth` typed in a sheet means `gdp-growth`.
    let code = target.trim().to_ascii_lowercase();
    let code = code.as_str();
    let target = if code.is_empty() {
        problems.push(FigureProblem::MissingTarget);
        None
    } else {
        let found = target_named(plan, code);
        if found.is_none() {
            problems.push(FigureProblem::UnknownTarget {
                plan: plan.id.clone(),
                code: echo(code),
                nearest: nearest(code),
            });
        }
        found
    };
    let period = match period.into() {
        RawPeriod::Text(text) => parse_period(text).and_then(|period| check_period(plan, target, period, now)),
        RawPeriod::Parsed(period) => check_period(plan, target, period, now),
    };
    let period = match period {
        Ok(period) => Some(period),
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    let value = match target.map(|target| check_value(target, value)) {
        Some(Ok(value)) => Some(value),
        Some(Err(problem)) => {
            problems.push(problem);
            None
        }
        // Without a target the value cannot be judged (its unit and kind are unknown).
        None => {
            if matches!(value, RawValue::Text(text) if text.trim().is_empty()) {
                problems.push(FigureProblem::MissingValue);
            }
            None
        }
    };
    match (target, period, value) {
        (Some(target), Some(period), Some(value)) if problems.is_empty() => Ok(CheckedFigure { target, period, value }),
        _ => Err(problems),
    }
}

/// Reads a period typed in a sheet's cell: given, and in one of the forms of `period`.
pub fn parse_period(text: &str) -> Result<Period, FigureProblem> {
    if text.trim().is_empty() {
        return Err(FigureProblem::MissingPeriod);
    }
    Ok(text.parse().map_err(|PeriodError::Unparsed(text)| PeriodError::Unparsed(echo(&text)))?)
}

/// Checks a period for a figure: it lies in the plan's year, it starts in January if
/// the target is year-to-date, and it is not in the future.
///
/// "In the future" means ending after the current month: at 15 October `2020Q3` and
/// `2020-10` may be logged (a month's fast report often comes before its last day),
/// `2020Q4` may not.
pub fn check_period(
    plan: &Plan,
    target: Option<&Target>,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Period, FigureProblem> {
    plan.check_period_in_year(period).map_err(FigureProblem::OutsideYear)?;
    if let Some(target) = target {
        if target.is_year_to_date() && !period.is_year_to_date_window() {
            return Err(FigureProblem::SecondHalfYearToDate {
                period: period.label(),
                target: target.code.clone(),
                year: period.year(),
            });
        }
    }
    let current = Period::month(now.year(), now.month() as u8);
    if period.end_key() > current.end_key() {
        return Err(FigureProblem::Future {
            period: period.label(),
            ends: period.end_period().label(),
            current: current.label(),
        });
    }
    Ok(period)
}

/// Checks a value for a target: a finite number, in the target's unit, within what its
/// kind allows (0–100 for rates, shares and milestones; not negative for counts and
/// amounts; whole for counts; not below -100 % for growth).
pub fn check_value(target: &Target, raw: RawValue<'_>) -> Result<f64, FigureProblem> {
    let value = match raw {
        RawValue::Text(text) => parse_text_value(text, target)?,
        RawValue::Number(number) if number.is_finite() => number,
        RawValue::Number(number) => return Err(FigureProblem::NotFinite { text: number.to_string() }),
    };
    // Full precision, so that 4.00001 is not shown as the whole number 4 it is not.
    // (Made only for a refusal: a province's import checks millions of values.)
    // Bounded: 1.5e308 is not shown as its 309 digits.
    let shown = || if value.abs() >= 1e15 { format!("{value:e}") } else { value.to_string() };
    let code = || target.code.clone();
    match target.kind {
        Kind::Rate | Kind::Share | Kind::Milestone if !(0.0..=100.0).contains(&value) => {
            let kind = target.kind;
            if value < 0.0 && kind == Kind::Milestone {
                return Err(FigureProblem::Negative { value: shown(), target: code(), kind });
            }
            Err(FigureProblem::OutsidePercent { value: shown(), target: code(), kind })
        }
        Kind::Count | Kind::Amount if value < 0.0 => {
            Err(FigureProblem::Negative { value: shown(), target: code(), kind: target.kind })
        }
        Kind::Count if value.fract() != 0.0 => {
            Err(FigureProblem::NotWhole { value: shown(), target: code(), unit: target.unit.clone() })
        }
        Kind::Growth | Kind::Relative if value < -100.0 => Err(FigureProblem::BelowMinus100 { value: shown() }),
        Kind::Growth | Kind::Relative if value > MAX_GROWTH => Err(FigureProblem::GrowthAbove1000 { value: shown() }),
        Kind::Count | Kind::Amount if value > magnitude_limit(target).0 => {
            let (limit, why) = magnitude_limit(target);
            Err(FigureProblem::Magnitude {
                value: shown(),
                target: code(),
                limit: format_number(limit),
                unit: target.unit.clone(),
                why,
                goal: format_number(target.value.abs().max(target.baseline.unwrap_or(0.0).abs())),
            })
        }
        _ => Ok(value),
    }
}

/// A number from text as people type it: `6.5`, `-0.2`, `1,752.5`, full-width digits,
/// and a trailing unit when it is the target's own (`6.5%`, `92条`).
fn parse_text_value(text: &str, target: &Target) -> Result<f64, FigureProblem> {
    let normalised = to_ascii_digits(text.trim());
    if normalised.is_empty() {
        return Err(FigureProblem::MissingValue);
    }
    // `NaN`, `inf`, `infinity` and `1e309` parse as numbers in Rust; we refuse them by name.
    if let Ok(value) = normalised.parse::<f64>() {
        return match value {
            v if v.is_finite() => Ok(v),
            _ if normalised.chars().any(|c| c.is_ascii_digit()) => Err(FigureProblem::TooLarge { text: echo(text) }),
            _ => Err(FigureProblem::NotFinite { text: echo(text) }),
        };
    }
    let number_end = normalised
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(normalised.len());
    let (number, unit) = normalised.split_at(number_end);
    let unit = unit.trim();
    let not_a_number = || FigureProblem::NotANumber { text: echo(text) };
    let value = parse_plain_number(number).ok_or_else(not_a_number)?;
    if !unit.is_empty() && unit != target.unit.trim() {
        // A unit is a word such as 亿元 or %; letters and digits after a number are a typo.
        if unit.chars().any(|c| c.is_ascii_alphanumeric()) {
            return Err(not_a_number());
        }
        return Err(FigureProblem::UnitMismatch {
            text: echo(text),
            found: echo(unit),
            target: target.code.clone(),
            unit: target.unit.clone(),
        });
    }
    if value.is_infinite() {
        return Err(FigureProblem::TooLarge { text: echo(text) });
    }
    Ok(value)
}

/// Digits with optional thousands separators in groups of three (`1,752.5`).
fn parse_plain_number(text: &str) -> Option<f64> {
    if text.contains(',') {
        let (sign, rest) = match text.strip_prefix(['-', '+']) {
            Some(rest) => (&text[..1], rest),
            None => ("", text),
        };
        let (whole, fraction) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
        let groups: Vec<&str> = whole.split(',').collect();
        let grouped = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !grouped {
            return None;
        }
        let joined = format!("{sign}{}{}", groups.concat(), fraction.map(|f| format!(".{f}")).unwrap_or_default());
        return joined.parse().ok();
    }
    text.parse::<f64>().ok()
}

/// Full-width digits and signs (as typed with a Chinese input method) as ASCII, and
/// the full-width percent sign as `%`.
fn to_ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' | '−' => '-',
            '＋' => '+',
            '％' => '%',
            c => c,
        })
        .collect::<String>()
        .replace(" %", "%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::format_number;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;
    use chrono::TimeZone;

    fn plan() -> Plan {
        parse_plan(BUILTIN_PLAN_TOML, "builtin").expect("built-in plan parses")
    }

    /// At 15 October 2020, as in the issue.
    fn october() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2020, 10, 15, 9, 0, 0).unwrap()
    }

    /// One case: a figure as typed, and either its accepted value or a part of the
    /// refusal message.
    fn check(target: &str, period: &str, value: &str, expected: &str) {
        let plan = plan();
        match check_figure(&plan, target, period, RawValue::Text(value), october()) {
            Ok(figure) => assert_eq!(
                format!("ok {} {}", figure.period, format_number(figure.value)),
                expected,
                "{target} {period} {value}"
            ),
            Err(problems) => {
                let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
                let text = text.join(" | ");
                assert!(text.contains(expected), "{target} {period} {value}: expected {expected:?} in {text:?}");
            }
        }
    }

    #[test]
    fn accepted_figures() {
        check("gdp-growth", "2020Q1", "-5.2", "ok 2020Q1 -5.2");
        check("gdp-growth", "2020年前三季度", "3.1", "ok 2020Q3 3.1");
        check("gdp-growth", "2020年1—5月", "-1", "ok 2020-05 -1");
        check("gdp-growth", "2020Q3", "6.5%", "ok 2020Q3 6.5");
        check(" GDP-Growth ", "2020Q3", "6.5", "ok 2020Q3 6.5");
        check("gdp-growth", "2020Q3", "６．５", "ok 2020Q3 6.5");
        check("unemployment-rate", "2020Q3", "3.2 %", "ok 2020Q3 3.2");
        check("unemployment-rate", "2020Q3", "0", "ok 2020Q3 0");
        check("unemployment-rate", "2020Q3", "100", "ok 2020Q3 100");
        check("new-roads", "2020Q3", "45条", "ok 2020Q3 45");
        check("new-roads", "2020-10", "50", "ok 2020-10 50");
        check("investment-signed-value", "2020Q2", "1,752.5", "ok 2020Q2 1752.5");
        check("longjin-lianhuo-interchange", "2020Q3", "100", "ok 2020Q3 100");
    }

    #[test]
    fn figures_beyond_what_their_kind_can_be_are_refused_with_the_limit() {
        check("gdp-growth", "2020Q3", "1000", "ok 2020Q3 1000");
        check("gdp-growth", "2020Q3", "1000.5", "1000.5 is above 1,000: a growth rate beyond 1,000 %");
        check("gdp-growth", "2020Q3", "1.5e308", "1.5e308 is above 1,000");
        check("income-growth", "2020Q3", "2e3", "2000 is above 1,000");
        // new-roads: 92 条, so 92,000 at most.
        check("new-roads", "2020Q3", "92000", "ok 2020Q3 92000");
        check("new-roads", "2020Q3", "92001", "at most 92000 条 (1,000 times its goal or baseline of 92)");
        check("new-roads", "2020Q3", "1e20", "1e20 is beyond what new-roads can be: at most 92000 条");
        check("emergency-bridge-loan-fund", "2020Q3", "6000001", "at most 6000000 万元");
        // The refusal is short however long the number.
        let plan = plan();
        let problems = check_figure(&plan, "gdp-growth", "2020Q3", RawValue::Number(1.5e308), october()).unwrap_err();
        assert!(problems[0].to_string().len() < 200, "{}", problems[0]);
        // A target of 0 (nothing to scale by) and a huge goal both stop at 10^12 in the unit.
        let mut target = plan.target("new-roads").unwrap().clone();
        target.value = 0.0;
        target.baseline = None;
        assert_eq!(magnitude_limit(&target), (1e12, MagnitudeLimit::Absolute));
        assert!(check_value(&target, RawValue::Number(1e12)).is_ok());
        let refused = check_value(&target, RawValue::Number(1.5e12)).unwrap_err().to_string();
        assert!(refused.contains("at most 1000000000000 条 (10^12 in its unit"), "{refused}");
        target.value = 5e10;
        assert_eq!(magnitude_limit(&target), (1e12, MagnitudeLimit::Absolute));
        target.value = 10.0;
        target.baseline = Some(300.0);
        assert_eq!(magnitude_limit(&target), (300_000.0, MagnitudeLimit::TimesGoal));
    }

    #[test]
    fn refused_figures_say_why() {
        check("gdp-grwth", "2020Q1", "1", "plan jinshui-2020 has no target \"gdp-grwth\" (did you mean gdp-growth?)");
        check("", "2020Q1", "1", "no target code given");
        check("gdp-growth", "", "1", "no period given");
        check("gdp-growth", "2020Q5", "1", "\"2020Q5\" is not a period");
        check("gdp-growth", "Q3", "1", "use 2020, 2020H1, 2020Q3");
        check("gdp-growth", "2019Q3", "1", "2019Q3 is outside the plan's year: plan jinshui-2020 is for 2020");
        check(
            "gdp-growth",
            "2020Q4",
            "1",
            "2020Q4 is in the future: it ends in 2020-12, after the current month 2020-10",
        );
        check("gdp-growth", "2020-11", "1", "in the future");
        check("gdp-growth", "2020", "1", "in the future");
        check("high-tech-enterprises", "2020H1", "1", "ok 2020H1 1");
        check("new-roads", "2020H2", "1", "2020H2 is no window for new-roads");
        check("gdp-growth", "2020Q3", "abc", "\"abc\" is not a number");
        check("gdp-growth", "2020Q3", "", "no value given");
        check("gdp-growth", "2020Q3", "NaN", "\"NaN\" is not a figure");
        check("gdp-growth", "2020Q3", "inf", "\"inf\" is not a figure");
        check("gdp-growth", "2020Q3", "-infinity", "\"-infinity\" is not a figure");
        check("gdp-growth", "2020Q3", "1e309", "\"1e309\" is too large");
        check("gdp-growth", "2020Q3", "-120", "below -100");
        check("gdp-growth", "2020Q3", "1,5", "\"1,5\" is not a number");
        check("gdp-growth", "2020Q3", "6.5亿元", "\"6.5亿元\" is in 亿元, but gdp-growth is measured in %");
        check("emergency-bridge-loan-fund", "2020Q3", "5亿元", "convert it to 万元");
        check("unemployment-rate", "2020Q3", "101", "101 is outside 0–100: unemployment-rate is a rate in %");
        check("waste-sorting-coverage", "2020Q3", "-1", "-1 is outside 0–100: waste-sorting-coverage is a share");
        check("new-roads", "2020Q3", "-3", "-3 is negative: new-roads is a count");
        check("new-roads", "2020Q3", "4.5", "4.5 is not a whole number: new-roads counts things (条)");
        check(
            "emergency-bridge-loan-fund",
            "2020Q3",
            "-0.5",
            "-0.5 is negative: emergency-bridge-loan-fund is an amount",
        );
        check("longjin-lianhuo-interchange", "2020Q3", "-5", "-5 is negative");
        check("longjin-lianhuo-interchange", "2020Q3", "120", "120 is outside 0–100");
        check("gdp-growth", "2020Q3", "12abc", "\"12abc\" is not a number");
    }

    #[test]
    fn second_half_is_refused_for_year_to_date_targets_with_a_hint() {
        let plan = plan();
        let late = Utc.with_ymd_and_hms(2021, 1, 10, 0, 0, 0).unwrap();
        let problems = check_figure(&plan, "gdp-growth", "2020H2", RawValue::Text("3"), late).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().contains("for the whole year use 2020 (全年)"), "{}", problems[0]);
        assert!(check_figure(&plan, "unemployment-rate", "2020H2", RawValue::Text("3"), late).is_ok());
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let plan = plan();
        let problems = check_figure(&plan, "gdp-grwth", "2020Q9", RawValue::Text("x"), october()).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        let problems = check_figure(&plan, "new-roads", "2019", RawValue::Number(-1.0), october()).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        let problems = check_figure(&plan, "new-roads", "2020Q1", RawValue::Number(f64::NAN), october()).unwrap_err();
        assert!(matches!(problems[0], FigureProblem::NotFinite { .. }));
    }

    #[test]
    fn every_figure_problem_speaks_both_languages() {
        let text = || "x".to_string();
        let problems = [
            FigureProblem::MissingTarget,
            FigureProblem::UnknownTarget {
                plan: "p".into(),
                code: "gdp-grwth".into(),
                nearest: Some("gdp-growth".into()),
            },
            FigureProblem::UnknownTarget { plan: "p".into(), code: "zz".into(), nearest: None },
            FigureProblem::MissingPeriod,
            FigureProblem::Period(PeriodError::Unparsed("2020Q9".into())),
            FigureProblem::OutsideYear(OutsideYear { period: Period::full_year(2019), plan: "p".into(), year: 2020 }),
            FigureProblem::Future { period: "2020Q4".into(), ends: "2020-12".into(), current: "2020-10".into() },
            FigureProblem::SecondHalfYearToDate { period: "2020H2".into(), target: "t".into(), year: 2020 },
            FigureProblem::MissingValue,
            FigureProblem::NotANumber { text: text() },
            FigureProblem::NotFinite { text: text() },
            FigureProblem::TooLarge { text: text() },
            FigureProblem::UnitMismatch {
                text: "5亿元".into(),
                found: "亿元".into(),
                target: "t".into(),
                unit: "万元".into(),
            },
            FigureProblem::OutsidePercent { value: "120".into(), target: "t".into(), kind: Kind::Rate },
            FigureProblem::OutsidePercent { value: "120".into(), target: "t".into(), kind: Kind::Share },
            FigureProblem::OutsidePercent { value: "120".into(), target: "t".into(), kind: Kind::Milestone },
            FigureProblem::Negative { value: "-1".into(), target: "t".into(), kind: Kind::Count },
            FigureProblem::Negative { value: "-1".into(), target: "t".into(), kind: Kind::Amount },
            FigureProblem::BelowMinus100 { value: "-120".into() },
            FigureProblem::NotWhole { value: "1.5".into(), target: "t".into(), unit: "条".into() },
        ];
        let pairs: Vec<(&dyn Localize, String)> =
            problems.iter().map(|p| (p as &dyn Localize, p.to_string())).collect();
        crate::error::tests::check_both(&pairs);
    }
}
