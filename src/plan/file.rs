//! Plan files (TOML, docs/plan-format.md): parsing with validation that names the
//! target and field of every problem, and a canonical export whose output imports
//! back to the same plan (export ∘ import is the identity).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::{
    is_slug, Cmp, Commitment, Kind, Measure, PeriodKey, Plan, PlanZone, Section, StatusThresholds, Target,
    DEFAULT_DAYS_AFTER_PERIOD, MAX_DAYS_AFTER_PERIOD,
};
use crate::error::{PlanError, PlanProblem};
use crate::lang::{Lang, Localize, Text};
use crate::numbers::format_number;
use crate::period::{Frequency, Period};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    plan: Option<RawPlan>,
    /// Keyed with where each id was written: the map is sorted by id, the plan's
    /// order of sections is the file's.
    #[serde(default)]
    sections: BTreeMap<toml::Spanned<String>, String>,
    #[serde(default)]
    sections_en: BTreeMap<String, String>,
    status: Option<RawStatus>,
    deadlines: Option<RawDeadlines>,
    #[serde(default)]
    targets: Vec<RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    id: Option<String>,
    org: Option<String>,
    org_en: Option<String>,
    year: Option<i64>,
    source: Option<String>,
    timezone: Option<String>,
    parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    at_risk_behind: Option<f64>,
    off_track_behind: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    days_after_period: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    code: Option<String>,
    section: Option<String>,
    name: Option<String>,
    name_en: Option<String>,
    kind: Option<String>,
    measure: Option<String>,
    cmp: Option<String>,
    value: Option<f64>,
    strive: Option<f64>,
    unit: Option<String>,
    tolerance: Option<f64>,
    baseline: Option<f64>,
    change: Option<f64>,
    related: Option<String>,
    commitment: Option<String>,
    frequency: Option<String>,
    due: Option<String>,
    lead_unit: Option<String>,
    planned: Option<BTreeMap<String, f64>>,
    quote: Option<String>,
}

/// Collects problems with their place, so one pass reports all of them.
struct Problems {
    list: Vec<PlanProblem>,
}

impl Problems {
    fn add(&mut self, place: &str, field: Option<&str>, message: Text) {
        self.list.push(PlanProblem { place: place.to_string(), field: field.map(str::to_string), message });
    }

    fn required<T: Clone>(&mut self, place: &str, field: &str, value: &Option<T>) -> Option<T> {
        if value.is_none() {
            self.add(place, Some(field), Text::new("缺失：此字段为必填项", "missing; this field is required"));
        }
        value.clone()
    }

    fn text(&mut self, place: &str, field: &str, value: &Option<String>) -> Option<String> {
        match self.required(place, field, value) {
            Some(text) if text.trim().is_empty() => {
                self.add(place, Some(field), Text::new("为空", "is empty"));
                None
            }
            other => other,
        }
    }

    fn choice<T: std::str::FromStr>(
        &mut self,
        place: &str,
        field: &str,
        value: Option<&str>,
        choices: &str,
    ) -> Option<T> {
        let text = value?;
        let parsed = text.parse().ok();
        if parsed.is_none() {
            self.add(
                place,
                Some(field),
                Text::new(
                    format!("未知的 {field} {text:?}：请使用以下之一：{choices}"),
                    format!("unknown {field} {text:?}; use one of: {choices}"),
                ),
            );
        }
        parsed
    }

    /// A required choice: a missing one is a problem naming the choices (in `zh`'s
    /// wording in Chinese), as an unknown one is.
    fn required_choice<T: std::str::FromStr>(
        &mut self,
        place: &str,
        field: &str,
        value: Option<&str>,
        choices: &str,
        zh: &str,
    ) -> Option<T> {
        let parsed = self.choice(place, field, value, choices);
        if value.is_none() {
            self.add(
                place,
                Some(field),
                Text::new(format!("缺失：请使用以下之一：{zh}"), format!("missing; use one of: {choices}")),
            );
        }
        parsed
    }
}

/// Parses and validates a plan file. `file` names it in messages.
pub fn parse_plan(text: &str, file: &str) -> Result<Plan, PlanError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| PlanError {
        file: file.to_string(),
        problems: vec![PlanProblem {
            place: String::new(),
            field: None,
            message: {
                let reason = e.to_string().trim_end().replace('\n', "\n    ");
                Text::new(format!("不是有效的计划文件：{reason}"), format!("not a valid plan file: {reason}"))
            },
        }],
    })?;
    let mut problems = Problems { list: Vec::new() };
    let plan = convert(raw, &mut problems);
    match plan {
        Some(plan) if problems.list.is_empty() => Ok(plan),
        _ => Err(PlanError { file: file.to_string(), problems: problems.list }),
    }
}

fn convert(raw: RawFile, problems: &mut Problems) -> Option<Plan> {
    let Some(head) = raw.plan else {
        problems.add(
            "[plan]",
            None,
            Text::new(
                "缺失：文件需要 [plan] 表，含 id、org 和 year",
                "missing: the file needs a [plan] table with id, org and year",
            ),
        );
        return None;
    };
    let id = problems.text("[plan]", "id", &head.id);
    if let Some(id) = &id {
        if !is_slug(id) {
            problems.add(
                "[plan]",
                Some("id"),
                Text::new(
                    format!("{id:?} 不是有效代码：只能用小写字母 a-z、数字 0-9 和 -"),
                    format!("{id:?} is not a slug: use lowercase a-z, 0-9 and -"),
                ),
            );
        }
    }
    let org = problems.text("[plan]", "org", &head.org);
    let year = problems.required("[plan]", "year", &head.year).and_then(|y| {
        let valid = (1900..=2999).contains(&y);
        if !valid {
            problems.add(
                "[plan]",
                Some("year"),
                Text::new(format!("{y} 不是合理的年份"), format!("{y} is not a plausible year")),
            );
        }
        valid.then_some(y as i32)
    });

    let timezone = match head.timezone.as_deref().map(str::trim) {
        None => PlanZone::default(),
        Some(name) => name.parse().unwrap_or_else(|()| {
            problems.add(
                "[plan]",
                Some("timezone"),
                Text::new(
                    format!("{name:?} 不是已知的时区：请用 IANA 时区名，如 \"Asia/Shanghai\"（默认）"),
                    format!("{name:?} is not a known time zone: use an IANA zone name such as \"Asia/Shanghai\" (the default)"),
                ),
            );
            PlanZone::default()
        }),
    };

    let parent = head.parent.as_deref().map(str::trim).and_then(|parent| {
        let problem = if !is_slug(parent) {
            Some(Text::new(
                format!("{parent:?} 不是有效的计划代码：只能用小写字母 a-z、数字 0-9 和 -"),
                format!("{parent:?} is not a plan id: use lowercase a-z, 0-9 and -"),
            ))
        } else if id.as_deref() == Some(parent) {
            Some(Text::new(
                "计划不能以自己为上级计划：parent 应为上级（如市）同年度计划的代码",
                "a plan cannot be its own parent: parent names the plan above it (the city's plan of the same year)",
            ))
        } else {
            None
        };
        match problem {
            Some(message) => {
                problems.add("[plan]", Some("parent"), message);
                None
            }
            None => Some(parent.to_string()),
        }
    });

    let mut in_file_order: Vec<(toml::Spanned<String>, String)> = raw.sections.into_iter().collect();
    in_file_order.sort_by_key(|(id, _)| id.span().start);
    let raw_sections: BTreeMap<String, String> =
        in_file_order.iter().map(|(id, title)| (id.get_ref().clone(), title.clone())).collect();
    if raw_sections.is_empty() {
        problems.add(
            "[sections]",
            None,
            Text::new(
                "缺失：请至少列出一个板块（如 main = \"主要预期目标\"）",
                "missing: name at least one section (e.g. main = \"主要预期目标\")",
            ),
        );
    }
    let mut sections = Vec::new();
    for (id, title) in &in_file_order {
        let id = id.get_ref();
        if title.trim().is_empty() {
            problems.add("[sections]", Some(id), Text::new("标题为空", "the title is empty"));
        }
        sections.push(Section { id: id.clone(), title: title.clone(), title_en: raw.sections_en.get(id).cloned() });
    }
    for id in raw.sections_en.keys() {
        if !raw_sections.contains_key(id) {
            problems.add(
                "[sections_en]",
                Some(id),
                Text::new("所列板块在 [sections] 中不存在", "names a section that [sections] does not have"),
            );
        }
    }
    // Sections keep the file's order (not the ids' text order, which puts 1.10 before 1.2).

    let thresholds = match raw.status {
        None => StatusThresholds::default(),
        Some(status) => {
            let default = StatusThresholds::default();
            let thresholds = StatusThresholds {
                at_risk_behind: status.at_risk_behind.unwrap_or(default.at_risk_behind),
                off_track_behind: status.off_track_behind.unwrap_or(default.off_track_behind),
            };
            let valid = thresholds.at_risk_behind.is_finite()
                && thresholds.off_track_behind.is_finite()
                && 0.0 <= thresholds.at_risk_behind
                && thresholds.at_risk_behind <= thresholds.off_track_behind;
            if !valid {
                problems.add(
                    "[status]",
                    None,
                    Text::new(
                        "须满足 0 <= at_risk_behind <= off_track_behind（落后序时进度的百分点）",
                        "need 0 <= at_risk_behind <= off_track_behind (points behind pace)",
                    ),
                );
            }
            thresholds
        }
    };

    let days_after_period = deadline_days(raw.deadlines.as_ref(), problems);

    if raw.targets.is_empty() {
        problems.add("", None, Text::new("计划中没有 [[targets]]", "the plan has no [[targets]]"));
    }
    let mut targets = Vec::new();
    for (index, raw_target) in raw.targets.into_iter().enumerate() {
        if let Some(target) = convert_target(raw_target, index, year, &raw_sections, problems) {
            targets.push(target);
        }
    }
    check_codes_and_relations(&targets, problems);

    let mut plan = Plan::new(id?, org?, year?, targets);
    plan.org_en = head.org_en;
    plan.source = head.source;
    plan.sections = sections;
    plan.thresholds = thresholds;
    plan.days_after_period = days_after_period;
    plan.timezone = timezone;
    plan.parent = parent;
    Some(plan)
}

/// `[deadlines] days_after_period`: whole days from 0 to a year, 10 when not given.
fn deadline_days(raw: Option<&RawDeadlines>, problems: &mut Problems) -> u32 {
    let Some(days) = raw.and_then(|r| r.days_after_period) else { return DEFAULT_DAYS_AFTER_PERIOD };
    match u32::try_from(days) {
        Ok(days) if days <= MAX_DAYS_AFTER_PERIOD => days,
        _ => {
            problems.add(
                "[deadlines]",
                Some("days_after_period"),
                Text::new(
                    format!("{days} 不在 0 到 {MAX_DAYS_AFTER_PERIOD} 天之间（期末后几天内报送算按时）"),
                    format!(
                        "{days} is not between 0 and {MAX_DAYS_AFTER_PERIOD} days (how many days after a period \
                         ends its figure is on time)"
                    ),
                ),
            );
            DEFAULT_DAYS_AFTER_PERIOD
        }
    }
}

fn convert_target(
    raw: RawTarget,
    index: usize,
    year: Option<i32>,
    sections: &BTreeMap<String, String>,
    problems: &mut Problems,
) -> Option<Target> {
    let place = match &raw.code {
        Some(code) => format!("target {code}"),
        None => format!("target #{}", index + 1),
    };
    let place = place.as_str();
    // Problems are reported in the order of these fields.
    let code = target_code(place, &raw.code, problems);
    let section = target_section(place, &raw.section, sections, problems);
    let name = problems.text(place, "name", &raw.name);
    let kind: Option<Kind> =
        problems.required_choice(place, "kind", raw.kind.as_deref(), &Kind::choices(), &Kind::choices());
    let cmp: Option<Cmp> = problems.required_choice(place, "cmp", raw.cmp.as_deref(), &Cmp::choices(), &Cmp::choices());
    let measure: Option<Measure> = problems.choice(place, "measure", raw.measure.as_deref(), &Measure::choices());
    let commitment: Option<Commitment> =
        problems.choice(place, "commitment", raw.commitment.as_deref(), &Commitment::choices());
    let frequency: Option<Frequency> = problems.required_choice(
        place,
        "frequency",
        raw.frequency.as_deref(),
        "month, quarter, year",
        "month、quarter、year",
    );
    let value = target_value(place, &raw, problems);
    let unit = problems.text(place, "unit", &raw.unit);
    let quote = problems.text(place, "quote", &raw.quote);
    check_numbers(place, value, &raw, problems);
    if let (Some(kind), Some(value)) = (kind, value) {
        check_kind_fields(place, kind, value, &raw, measure, unit.as_deref(), problems);
        if let Some(cmp) = cmp {
            check_direction(place, kind, cmp, value, &raw, problems);
        }
    }
    let due = due_period(place, raw.due.as_deref(), year, problems);
    let planned = planned_path(place, raw.planned.as_ref(), year, due, kind, problems);

    Some(Target {
        code: code?,
        section: section?,
        name: name?,
        name_en: raw.name_en.unwrap_or_default(),
        kind: kind?,
        measure,
        cmp: cmp?,
        value: value?,
        strive: raw.strive,
        unit: unit?,
        tolerance: raw.tolerance,
        baseline: raw.baseline,
        change: raw.change,
        related: raw.related,
        commitment: commitment.unwrap_or(Commitment::Plain),
        frequency: frequency?,
        due,
        lead_unit: raw.lead_unit.filter(|u| !u.trim().is_empty()),
        planned,
        quote: quote?,
    })
}

/// A target's code: present, a slug, and not the overview's.
fn target_code(place: &str, code: &Option<String>, problems: &mut Problems) -> Option<String> {
    let code = problems.text(place, "code", code);
    if let Some(code) = &code {
        if !is_slug(code) {
            problems.add(
                place,
                Some("code"),
                Text::new(
                    format!("{code:?} 不是有效代码：只能用小写字母 a-z、数字 0-9 和 -"),
                    format!("{code:?} is not a slug: use lowercase a-z, 0-9 and - only"),
                ),
            );
        }
        if code == super::OVERVIEW_CODE {
            problems.add(place, Some("code"), reserved_code_message());
        }
    }
    code
}

/// A target's section: present, and one of `[sections]` when the plan lists them.
fn target_section(
    place: &str,
    section: &Option<String>,
    sections: &BTreeMap<String, String>,
    problems: &mut Problems,
) -> Option<String> {
    let section = problems.text(place, "section", section);
    if let Some(section) = &section {
        if !sections.is_empty() && !sections.contains_key(section) {
            let known: Vec<&str> = sections.keys().map(String::as_str).collect();
            problems.add(
                place,
                Some("section"),
                Text::new(
                    format!("板块 {section:?} 不在 [sections] 中（{}）", known.join("、")),
                    format!("section {section:?} is not in [sections] ({})", known.join(", ")),
                ),
            );
        }
    }
    section
}

/// The bar the status is decided on: `value`, or for a change in points `baseline` +
/// `change` (rounded to 1e-9, so 5.2 − 0.2 is 5), which a `value` also given must equal.
fn target_value(place: &str, raw: &RawTarget, problems: &mut Problems) -> Option<f64> {
    let (Some(change), Some(baseline)) = (raw.change, raw.baseline) else {
        if raw.value.is_none() {
            problems.add(
                place,
                Some("value"),
                Text::new(
                    "缺失：请填写目标值（`plan next` 起草的计划在 `# fill in:` 处留待填写）",
                    "missing; fill in the target's value (a draft by `plan next` leaves it at `# fill in:`)",
                ),
            );
        }
        return raw.value;
    };
    let sum = ((baseline + change) * 1e9).round() / 1e9;
    match raw.value {
        Some(value) if value.is_finite() && sum.is_finite() && (value - sum).abs() > CHANGE_AGREES => {
            let [written, sum, baseline, change] = [value, sum, baseline, change].map(format_number);
            problems.add(
                place,
                Some("value"),
                Text::new(
                    format!(
                        "{written} 与 baseline + change 不一致（{baseline} + {change} = {sum}）：请改正其一，或删去 value"
                    ),
                    format!(
                        "{written} disagrees with baseline + change ({baseline} + {change} = {sum}): correct one of \
                         them, or leave value out"
                    ),
                ),
            );
            Some(value)
        }
        Some(value) => Some(value),
        None => Some(sum),
    }
}

/// How far a `value` written beside `baseline` and `change` may be from their sum.
const CHANGE_AGREES: f64 = 1e-6;

/// The goal, tolerance and baseline are finite numbers, the tolerance not negative.
fn check_numbers(place: &str, value: Option<f64>, raw: &RawTarget, problems: &mut Problems) {
    for (field, number) in [
        ("value", value),
        ("strive", raw.strive),
        ("tolerance", raw.tolerance),
        ("baseline", raw.baseline),
        ("change", raw.change),
    ] {
        if let Some(number) = number.filter(|n| !n.is_finite()) {
            problems.add(
                place,
                Some(field),
                Text::new(format!("{number} 不是有限数值"), format!("{number} is not a finite number")),
            );
        }
    }
    if matches!(raw.tolerance, Some(t) if t < 0.0) {
        problems.add(place, Some("tolerance"), Text::new("不得为负数", "must not be negative"));
    }
}

/// The due period, in the plan's year; the whole year is stored as none.
fn due_period(place: &str, due: Option<&str>, year: Option<i32>, problems: &mut Problems) -> Option<Period> {
    let text = due?;
    match text.parse::<Period>() {
        Ok(period) => {
            if Some(period.year()) != year {
                problems.add(
                    place,
                    Some("due"),
                    Text::new(format!("{text} 不在计划年度内"), format!("{text} is outside the plan's year")),
                );
            }
            // The whole plan year is the default: stored as no due period, so the
            // export leaves it out and a plan changes year by its `year` alone.
            (Some(period) != year.map(Period::full_year)).then_some(period)
        }
        Err(e) => {
            problems.add(place, Some("due"), Text::new(e.localize(Lang::Zh), e.localize(Lang::En)));
            None
        }
    }
}

/// The planned path: each period in the plan's year and by the due period, one share
/// per window, shares between 0 and 1 that never fall, and only for targets that
/// accumulate.
fn planned_path(
    place: &str,
    raw: Option<&BTreeMap<String, f64>>,
    year: Option<i32>,
    due: Option<Period>,
    kind: Option<Kind>,
    problems: &mut Problems,
) -> BTreeMap<PeriodKey, f64> {
    let mut planned = BTreeMap::new();
    for (label, share) in raw.into_iter().flatten() {
        if let Some(period) = planned_period(place, label, *share, year, due, problems) {
            if planned.insert(PeriodKey(period), *share).is_some() {
                problems.add(
                    place,
                    Some("planned"),
                    Text::new(
                        format!("有两个期别都在 {label} 所在月份结束"),
                        format!("two periods end in the month of {label}"),
                    ),
                );
            }
        }
    }
    if !planned.is_empty() {
        if matches!(kind, Some(k) if k.is_threshold()) {
            problems.add(
                place,
                Some("planned"),
                Text::new(
                    "计划进度只适用于 count、amount 和 milestone 类指标",
                    "a planned path applies only to count, amount and milestone targets",
                ),
            );
        }
        let shares: Vec<f64> = planned.values().copied().collect();
        if shares.windows(2).any(|w| w[1] < w[0]) {
            problems.add(
                place,
                Some("planned"),
                Text::new("比例不得逐期下降", "shares must not fall from one period to the next"),
            );
        }
    }
    planned
}

/// One step of the planned path: its period when it is in the plan's year (its share
/// and due period checked), `None` when it is not or does not parse.
fn planned_period(
    place: &str,
    label: &str,
    share: f64,
    year: Option<i32>,
    due: Option<Period>,
    problems: &mut Problems,
) -> Option<Period> {
    let period = match label.parse::<Period>() {
        Ok(period) => period,
        Err(e) => {
            problems.add(place, Some("planned"), Text::new(e.localize(Lang::Zh), e.localize(Lang::En)));
            return None;
        }
    };
    if Some(period.year()) != year {
        problems.add(
            place,
            Some("planned"),
            Text::new(format!("期别 {label} 不在计划年度内"), format!("period {label} is outside the plan's year")),
        );
        return None;
    }
    if !(0.0..=1.0).contains(&share) {
        problems.add(
            place,
            Some("planned"),
            Text::new(
                format!("{label} 的比例 {share} 须在 0 到 1 之间"),
                format!("share {share} for {label} must be between 0 and 1"),
            ),
        );
    }
    if due.is_some_and(|due| period.end_month() > due.end_month()) {
        problems.add(
            place,
            Some("planned"),
            Text::new(format!("期别 {label} 在完成期限之后结束"), format!("period {label} ends after the due period")),
        );
    }
    Some(period)
}

fn check_kind_fields(
    place: &str,
    kind: Kind,
    value: f64,
    raw: &RawTarget,
    measure: Option<Measure>,
    unit: Option<&str>,
    problems: &mut Problems,
) {
    let accumulates = matches!(kind, Kind::Count | Kind::Amount);
    if raw.measure.is_some() && !accumulates {
        problems.add(
            place,
            Some("measure"),
            Text::new(
                format!("只适用于 count 和 amount 类指标，不适用于 {kind}"),
                format!("applies only to count and amount targets, not {kind}"),
            ),
        );
    }
    if kind.is_percent() && unit.is_some_and(|u| u != "%") {
        problems.add(
            place,
            Some("unit"),
            Text::new(
                format!("{kind} 类指标的单位是 %，不是 {:?}", unit.unwrap_or_default()),
                format!("a {kind} target is in %, not {:?}", unit.unwrap_or_default()),
            ),
        );
    }
    if matches!(kind, Kind::Rate | Kind::Share) && !(0.0..=100.0).contains(&value) {
        problems.add(
            place,
            Some("value"),
            Text::new(
                format!("{kind} 应在 0 到 100 之间，不能是 {value}"),
                format!("a {kind} is between 0 and 100, not {value}"),
            ),
        );
    }
    if kind == Kind::Milestone && value != 100.0 {
        problems.add(
            place,
            Some("value"),
            Text::new("milestone 类指标的目标值为 100（完成百分比）", "a milestone's value is 100 (% complete)"),
        );
    }
    if accumulates && value < 0.0 {
        problems.add(
            place,
            Some("value"),
            Text::new("count 或 amount 不能为负数", "a count or amount cannot be negative"),
        );
    }
    match (kind, &raw.related) {
        (Kind::Relative, None) => problems.add(
            place,
            Some("related"),
            Text::new(
                "缺失：relative 类指标须指明与之同步的指标",
                "missing: a relative target names the target it keeps in step with",
            ),
        ),
        (Kind::Relative, Some(_)) | (_, None) => {}
        (_, Some(_)) => problems.add(
            place,
            Some("related"),
            Text::new(
                format!("只适用于 relative 类指标，不适用于 {kind}"),
                format!("applies only to relative targets, not {kind}"),
            ),
        ),
    }
    let in_points = matches!(kind, Kind::Rate | Kind::Share);
    if let Some(baseline) = raw.baseline {
        if in_points && raw.change.is_some() {
            if !(0.0..=100.0).contains(&baseline) {
                problems.add(
                    place,
                    Some("baseline"),
                    Text::new(
                        format!("{kind} 应在 0 到 100 之间，不能是 {baseline}"),
                        format!("a {kind} is between 0 and 100, not {baseline}"),
                    ),
                );
            }
        } else if in_points {
            problems.add(
                place,
                Some("baseline"),
                Text::new(
                    "rate 或 share 类指标只在以 change 给出变化的百分点时才用 baseline（上年水平）",
                    "a rate or share takes a baseline (last year's level) only with change, the points it moves by",
                ),
            );
        } else if !(accumulates && measure == Some(Measure::Level)) {
            problems.add(
                place,
                Some("baseline"),
                Text::new(
                    "只适用于 measure = \"level\" 的 count 和 amount 类指标，及给出 change 的 rate、share 类指标",
                    "applies only to count and amount targets with measure = \"level\", and to rate and share \
                     targets with a change",
                ),
            );
        } else if (baseline - value).abs() < 1e-9 {
            problems.add(
                place,
                Some("baseline"),
                Text::new("与目标值相等，无需完成任何增量", "equals the value, so there is nothing to achieve"),
            );
        }
    }
    if let Some(change) = raw.change {
        if !in_points {
            problems.add(
                place,
                Some("change"),
                Text::new(
                    format!("只适用于 rate 和 share 类指标（变化的百分点），不适用于 {kind}"),
                    format!("applies only to rate and share targets (a change in points), not {kind}"),
                ),
            );
        } else if raw.baseline.is_none() {
            problems.add(
                place,
                Some("baseline"),
                Text::new(
                    "缺失：给出 change 时须给出 baseline（上年水平），目标值为 baseline + change",
                    "missing: a change needs the baseline (last year's level) it starts from; the value is \
                     baseline + change",
                ),
            );
        } else if change.abs() < 1e-9 {
            problems.add(
                place,
                Some("change"),
                Text::new("变化为 0：请直接写 value", "a change of 0 is no change: write the value instead"),
            );
        }
    }
}

/// The higher bar lies beyond the value in the direction of cmp, and a stock to bring
/// down (a level whose baseline is above its value) is an `at_most` target.
fn check_direction(place: &str, kind: Kind, cmp: Cmp, value: f64, raw: &RawTarget, problems: &mut Problems) {
    if let Some(strive) = raw.strive.filter(|s| s.is_finite()) {
        let [shown, value_shown] = [strive, value].map(format_number);
        if matches!(kind, Kind::Relative | Kind::Milestone) {
            problems.add(
                place,
                Some("strive"),
                Text::new(format!("{kind} 类指标没有第二个目标值"), format!("a {kind} target has no second bar")),
            );
        } else if cmp == Cmp::AtMost && strive >= value - 1e-9 {
            problems.add(
                place,
                Some("strive"),
                Text::new(
                    format!("{shown} 须低于 value {value_shown}：cmp = \"at_most\" 时力争目标是更低的上限"),
                    format!("{shown} must be below the value {value_shown}: with cmp = \"at_most\" the strive bar is the lower ceiling"),
                ),
            );
        } else if cmp != Cmp::AtMost && strive <= value + 1e-9 {
            problems.add(
                place,
                Some("strive"),
                Text::new(
                    format!("{shown} 须高于 value {value_shown}：力争目标（或区间的上端）是更高的一档"),
                    format!("{shown} must be above the value {value_shown}: the strive bar (or a range's upper end) is the higher one"),
                ),
            );
        }
    }
    let level = matches!(kind, Kind::Count | Kind::Amount) && raw.measure.as_deref() == Some("level");
    if let Some(baseline) = raw.baseline.filter(|b| level && *b > value + 1e-9 && cmp != Cmp::AtMost) {
        let [baseline, value] = [baseline, value].map(format_number);
        problems.add(
            place,
            Some("cmp"),
            Text::new(
                format!(
                    "baseline {baseline} 高于 value {value}：这是要减少的存量（从 {baseline} 减少到 {value}），请写 cmp = \"at_most\""
                ),
                format!(
                    "the baseline {baseline} is above the value {value}: a stock brought down (from {baseline} to \
                     {value}) is written cmp = \"at_most\""
                ),
            ),
        );
    }
}

/// Why the code `overview` is refused, in both languages (the plan file's problems
/// are listed before the language of the command matters).
fn reserved_code_message() -> Text {
    let overview = super::OVERVIEW_CODE;
    Text::new(
        format!("代码 \"{overview}\" 留给全计划概览图（{overview}.svg）：请给该指标换一个代码，如 \"{overview}-1\""),
        format!(
            "\"{overview}\" is reserved for the plan's overview chart ({overview}.svg): give the target another \
             code, e.g. \"{overview}-1\""
        ),
    )
}

fn check_codes_and_relations(targets: &[Target], problems: &mut Problems) {
    let mut seen = BTreeMap::new();
    for (index, target) in targets.iter().enumerate() {
        if let Some(first) = seen.insert(target.code.as_str(), index) {
            problems.add(
                &format!("target {}", target.code),
                Some("code"),
                Text::new(
                    format!("代码重复：第 {} 个和第 {} 个指标都使用该代码", first + 1, index + 1),
                    format!("duplicate code: targets #{} and #{} both use it", first + 1, index + 1),
                ),
            );
        }
    }
    for target in targets {
        let Some(related) = &target.related else { continue };
        let place = format!("target {}", target.code);
        match targets.iter().find(|t| &t.code == related) {
            None => problems.add(
                &place,
                Some("related"),
                Text::new(
                    format!("本计划中没有代码为 {related:?} 的指标"),
                    format!("no target with code {related:?} in this plan"),
                ),
            ),
            Some(other) if other.code == target.code => problems.add(
                &place,
                Some("related"),
                Text::new("指标不能与自身同步", "a target cannot keep in step with itself"),
            ),
            Some(other) if other.kind != Kind::Growth => problems.add(
                &place,
                Some("related"),
                Text::new(
                    format!("{related} 是 {} 类指标；relative 类指标应跟随 growth 类指标", other.kind),
                    format!("{related} is a {} target; a relative target follows a growth target", other.kind),
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Writes a plan as a canonical plan file. Parsing the output gives back `plan`, and
/// exporting that gives the same bytes.
pub fn export_plan(plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str("[plan]\n");
    field(&mut out, "id", &plan.id);
    field(&mut out, "org", &plan.org);
    if let Some(org_en) = &plan.org_en {
        field(&mut out, "org_en", org_en);
    }
    let _ = writeln!(out, "year = {}", plan.year);
    if let Some(source) = &plan.source {
        field(&mut out, "source", source);
    }
    if !plan.timezone.is_default() {
        field(&mut out, "timezone", plan.timezone.name());
    }
    if let Some(parent) = &plan.parent {
        field(&mut out, "parent", parent);
    }
    out.push_str("\n[sections]\n");
    for section in &plan.sections {
        field(&mut out, &key(&section.id), &section.title);
    }
    if plan.sections.iter().any(|s| s.title_en.is_some()) {
        out.push_str("\n[sections_en]\n");
        for section in &plan.sections {
            if let Some(title_en) = &section.title_en {
                field(&mut out, &key(&section.id), title_en);
            }
        }
    }
    if plan.thresholds != StatusThresholds::default() {
        out.push_str("\n[status]\n");
        let _ = writeln!(out, "at_risk_behind = {}", number(plan.thresholds.at_risk_behind));
        let _ = writeln!(out, "off_track_behind = {}", number(plan.thresholds.off_track_behind));
    }
    if plan.days_after_period != DEFAULT_DAYS_AFTER_PERIOD {
        out.push_str("\n[deadlines]\n");
        let _ = writeln!(out, "days_after_period = {}", plan.days_after_period);
    }
    for target in plan.targets() {
        out.push_str("\n[[targets]]\n");
        field(&mut out, "code", &target.code);
        field(&mut out, "section", &target.section);
        field(&mut out, "name", &target.name);
        if !target.name_en.is_empty() {
            field(&mut out, "name_en", &target.name_en);
        }
        field(&mut out, "kind", target.kind.as_str());
        if let Some(measure) = target.measure {
            field(&mut out, "measure", measure.as_str());
        }
        field(&mut out, "cmp", target.cmp.as_str());
        let _ = writeln!(out, "value = {}", number(target.value));
        if let Some(strive) = target.strive {
            let _ = writeln!(out, "strive = {}", number(strive));
        }
        field(&mut out, "unit", &target.unit);
        if let Some(tolerance) = target.tolerance {
            let _ = writeln!(out, "tolerance = {}", number(tolerance));
        }
        if let Some(baseline) = target.baseline {
            let _ = writeln!(out, "baseline = {}", number(baseline));
        }
        if let Some(change) = target.change {
            let _ = writeln!(out, "change = {}", number(change));
        }
        if let Some(related) = &target.related {
            field(&mut out, "related", related);
        }
        field(&mut out, "commitment", target.commitment.as_str());
        field(&mut out, "frequency", target.frequency.as_str());
        // Only where it differs from the plan's year, the default (a database loaded
        // before this rule may still hold the year as the due period).
        if let Some(due) = target.due.filter(|due| *due != Period::full_year(plan.year)) {
            field(&mut out, "due", &due.label());
        }
        if let Some(lead_unit) = &target.lead_unit {
            field(&mut out, "lead_unit", lead_unit);
        }
        if !target.planned.is_empty() {
            let points: Vec<String> = target
                .planned
                .iter()
                .map(|(period, share)| format!("{} = {}", quoted(&period.0.label()), number(*share)))
                .collect();
            let _ = writeln!(out, "planned = {{ {} }}", points.join(", "));
        }
        field(&mut out, "quote", &target.quote);
    }
    out
}

fn field(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name} = {}", quoted(value));
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A bare key where TOML allows one, else a quoted key.
fn key(name: &str) -> String {
    let bare = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        name.to_string()
    } else {
        quoted(name)
    }
}

/// The shortest text that reads back as the same f64 (`6.5`, `92`, `0.35`). TOML reads
/// an integer into a float field, so `92` is fine; huge values need the exponent form
/// because TOML integers stop at 2^63.
fn number(value: f64) -> String {
    if value.abs() >= 1e15 {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[plan]
id = "test-2020"
org = "测试区"
year = 2020

[sections]
main = "主要预期目标"

[[targets]]
code = "gdp-growth"
section = "main"
name = "地区生产总值增速"
kind = "growth"
cmp = "about"
value = 6.5
unit = "%"
frequency = "quarter"
quote = "地区生产总值增长6.5%左右"
"#;

    /// Replaces `from` in the minimal plan and returns the problems reported.
    fn problems_after(from: &str, to: &str) -> Vec<String> {
        assert!(MINIMAL.contains(from), "{from:?} not in the minimal plan");
        let text = MINIMAL.replacen(from, to, 1);
        match parse_plan(&text, "test.toml") {
            Ok(_) => vec![],
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    fn check(from: &str, to: &str, expected: &str) {
        let problems = problems_after(from, to);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "replacing {from:?} with {to:?}: expected a problem containing {expected:?}, got {problems:#?}"
        );
    }

    #[test]
    fn the_minimal_plan_parses() {
        let plan = parse_plan(MINIMAL, "test.toml").unwrap();
        assert_eq!(plan.targets().len(), 1);
        assert_eq!(plan.targets()[0].tolerance(), 0.5);
        assert_eq!(plan.thresholds, StatusThresholds::default());
    }

    #[test]
    fn every_problem_names_its_target_and_field() {
        check(
            "code = \"gdp-growth\"",
            "code = \"GDP Growth\"",
            "target GDP Growth, field `code`: \"GDP Growth\" is not a slug",
        );
        check("code = \"gdp-growth\"", "code = \"../etc\"", "is not a slug");
        check(
            "kind = \"growth\"",
            "kind = \"grwoth\"",
            "target gdp-growth, field `kind`: unknown kind \"grwoth\"; use one of: growth",
        );
        check("kind = \"growth\"", "", "target gdp-growth, field `kind`: missing");
        check("cmp = \"about\"", "cmp = \"around\"", "field `cmp`: unknown cmp \"around\"");
        check("value = 6.5", "", "target gdp-growth, field `value`: missing");
        check("value = 6.5", "value = nan", "field `value`: NaN is not a finite number");
        check("unit = \"%\"", "unit = \"亿元\"", "field `unit`: a growth target is in %");
        check("quote = \"地区生产总值增长6.5%左右\"", "", "field `quote`: missing");
        check("frequency = \"quarter\"", "frequency = \"weekly\"", "unknown frequency \"weekly\"");
        check("section = \"main\"", "section = \"Z\"", "section \"Z\" is not in [sections]");
        check("id = \"test-2020\"", "id = \"Test 2020\"", "[plan], field `id`");
        check("year = 2020", "", "[plan], field `year`: missing");
        check(
            "frequency = \"quarter\"",
            "frequency = \"quarter\"\ndue = \"2021\"",
            "field `due`: 2021 is outside the plan's year",
        );
        check("frequency = \"quarter\"", "frequency = \"quarter\"\ndue = \"2020Q5\"", "field `due`");
        check(
            "frequency = \"quarter\"",
            "frequency = \"quarter\"\nrelated = \"x\"",
            "field `related`: applies only to relative targets",
        );
        check("kind = \"growth\"", "kind = \"relative\"", "field `related`: missing");
        check("kind = \"growth\"", "kind = \"relative\"\nrelated = \"nope\"", "no target with code \"nope\"");
        check("kind = \"growth\"", "kind = \"relative\"\nrelated = \"gdp-growth\"", "cannot keep in step with itself");
        check(
            "kind = \"growth\"",
            "kind = \"share\"\nplanned = { \"2020Q1\" = 0.2 }",
            "a planned path applies only to count",
        );
        check("kind = \"growth\"", "kind = \"milestone\"", "a milestone's value is 100");
        check(
            "kind = \"growth\"",
            "kind = \"rate\"\nbaseline = 3",
            "field `baseline`: a rate or share takes a baseline (last year's level) only with change",
        );
        check(
            "kind = \"growth\"",
            "kind = \"rate\"\nmeasure = \"ytd\"",
            "field `measure`: applies only to count and amount",
        );
        check("[sections]", "[status]\nat_risk_behind = 40\n\n[sections]", "[status]");
        check(
            "[sections]",
            "[deadlines]\ndays_after_period = -1\n\n[sections]",
            "[deadlines], field `days_after_period`: -1 is not between 0 and 365 days",
        );
        check("[sections]", "[deadlines]\ndays_after_period = 366\n\n[sections]", "not between 0 and 365");
        check("[sections]", "[deadlines]\ndays = 5\n\n[sections]", "unknown field `days`");
        check("quote =", "colour = \"red\"\nquote =", "unknown field `colour`");
        check("[plan]", "[plan\n", "not a valid plan file");
        check(
            "year = 2020",
            "year = 2020\ntimezone = \"Asia/Beijing\"",
            "[plan], field `timezone`: \"Asia/Beijing\" is not a known time zone: use an IANA zone name",
        );
    }

    #[test]
    fn a_plan_names_its_time_zone_or_is_in_beijings() {
        let plan = parse_plan(MINIMAL, "t.toml").unwrap();
        assert_eq!(plan.timezone.name(), "Asia/Shanghai");
        assert!(!export_plan(&plan).contains("timezone"), "the default need not be written");
        let text = MINIMAL.replacen("year = 2020", "year = 2020\ntimezone = \"Europe/Berlin\"", 1);
        let plan = parse_plan(&text, "t.toml").unwrap();
        assert_eq!(plan.timezone.name(), "Europe/Berlin");
        let again = parse_plan(&export_plan(&plan), "exported").unwrap();
        assert_eq!(again.timezone.name(), "Europe/Berlin");
    }

    #[test]
    fn the_target_forms_are_checked() {
        let rate = "kind = \"rate\"";
        check("value = 6.5", "value = 6.5\nstrive = 6", "field `strive`: 6 must be above the value 6.5");
        check("value = 6.5", "value = 6.5\nstrive = 6.5", "field `strive`: 6.5 must be above the value 6.5");
        check("cmp = \"about\"", "cmp = \"at_most\"\nstrive = 7", "field `strive`: 7 must be below the value 6.5");
        check("kind = \"growth\"", "kind = \"milestone\"\nstrive = 120", "a milestone target has no second bar");
        check("value = 6.5", "value = 6.5\nstrive = inf", "field `strive`: inf is not a finite number");
        check("kind = \"growth\"", "kind = \"growth\"\nchange = 1", "field `change`: applies only to rate and share");
        check("kind = \"growth\"", &format!("{rate}\nchange = 1"), "field `baseline`: missing: a change needs");
        check(
            "kind = \"growth\"",
            &format!("{rate}\nbaseline = 65.5\nchange = 1"),
            "field `value`: 6.5 disagrees with baseline + change (65.5 + 1 = 66.5)",
        );
        check("kind = \"growth\"", &format!("{rate}\nbaseline = 5"), "a rate or share takes a baseline");
        check(
            "kind = \"growth\"",
            &format!("{rate}\nbaseline = 6.5\nchange = 0"),
            "field `change`: a change of 0 is no change",
        );
        check(
            "kind = \"growth\"\ncmp = \"about\"\nvalue = 6.5",
            &format!("{rate}\ncmp = \"about\"\nbaseline = 99.8\nchange = 1"),
            "a rate is between 0 and 100, not 100.8",
        );
        // A stock brought down is at_most: read as reach, 120 at the start would be "met".
        let houses = "kind = \"count\"\nmeasure = \"level\"\nbaseline = 120";
        let stock = MINIMAL.replacen("kind = \"growth\"", houses, 1).replacen("unit = \"%\"", "unit = \"户\"", 1);
        for cmp in ["reach", "at_least", "about", "more_than"] {
            let text = stock.replacen("cmp = \"about\"", &format!("cmp = \"{cmp}\""), 1).replacen("6.5", "20", 1);
            let error = parse_plan(&text, "t.toml").expect_err(cmp).to_string();
            assert!(
                error.contains("field `cmp`: the baseline 120 is above the value 20: a stock brought down (from 120 to 20) is written cmp = \"at_most\""),
                "{cmp}: {error}"
            );
        }
        let text = stock.replacen("cmp = \"about\"", "cmp = \"at_most\"", 1).replacen("6.5", "20", 1);
        assert!(parse_plan(&text, "t.toml").is_ok());
    }

    #[test]
    fn a_change_in_points_gives_the_value_and_every_form_round_trips() {
        let forms = [("kind = \"growth\"", "kind = \"rate\"\nbaseline = 5.2\nchange = -0.2"), ("value = 6.5", "")];
        let mut text = MINIMAL.to_string();
        for (from, to) in forms {
            text = text.replacen(from, to, 1);
        }
        let plan = parse_plan(&text, "t.toml").unwrap();
        let target = &plan.targets()[0];
        assert_eq!((target.value, target.baseline, target.change), (5.0, Some(5.2), Some(-0.2)), "5.2 − 0.2 is 5");
        let two_bars = MINIMAL.replacen("value = 6.5", "value = 6\nstrive = 6.5", 1);
        for plan in [plan, parse_plan(&two_bars, "t.toml").unwrap()] {
            let exported = export_plan(&plan);
            let again = parse_plan(&exported, "exported").unwrap();
            assert_eq!(plan, again, "{exported}");
            assert_eq!(exported, export_plan(&again));
        }
        assert!(export_plan(&parse_plan(&two_bars, "t").unwrap()).contains("value = 6\nstrive = 6.5\n"));
    }

    #[test]
    fn planned_paths_are_checked() {
        let count = "kind = \"count\"\nmeasure = \"ytd\"";
        let with_planned = |planned: &str| format!("{count}\nplanned = {planned}");
        let base = ("kind = \"growth\"", "unit = \"%\"");
        let run = |planned: &str, expected: &str| {
            let text = MINIMAL.replacen(base.0, &with_planned(planned), 1).replacen(base.1, "unit = \"条\"", 1);
            let error = parse_plan(&text, "t.toml").expect_err(planned);
            assert!(error.to_string().contains(expected), "{planned}: {error}");
        };
        run("{ \"2019Q1\" = 0.1 }", "period 2019Q1 is outside the plan's year");
        run("{ \"2020Q1\" = 1.5 }", "must be between 0 and 1");
        run("{ \"2020Q1\" = 0.5, \"2020Q2\" = 0.3 }", "must not fall");
        run("{ \"2020Q1\" = 0.1, \"2020-03\" = 0.2 }", "two periods end in the month of");
        run("{ \"soon\" = 0.1 }", "is not a period");
    }

    #[test]
    fn deadlines_default_to_ten_days_and_round_trip() {
        assert_eq!(parse_plan(MINIMAL, "t.toml").unwrap().days_after_period, 10);
        assert!(!export_plan(&parse_plan(MINIMAL, "t.toml").unwrap()).contains("[deadlines]"));
        let text = MINIMAL.replacen("[sections]", "[deadlines]\ndays_after_period = 0\n\n[sections]", 1);
        let plan = parse_plan(&text, "t.toml").unwrap();
        assert_eq!(plan.days_after_period, 0);
        let exported = export_plan(&plan);
        assert!(exported.contains("[deadlines]\ndays_after_period = 0\n"), "{exported}");
        assert_eq!(parse_plan(&exported, "again").unwrap(), plan);
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let second = MINIMAL.split("[[targets]]").nth(1).unwrap();
        let text = format!("{MINIMAL}\n[[targets]]{second}");
        let error = parse_plan(&text, "t.toml").unwrap_err();
        assert!(error.to_string().contains("duplicate code: targets #1 and #2 both use it"), "{error}");
    }

    #[test]
    fn export_then_parse_is_the_identity() {
        let plan = parse_plan(super::super::BUILTIN_PLAN_TOML, "builtin").unwrap();
        let exported = export_plan(&plan);
        let again = parse_plan(&exported, "exported").unwrap();
        assert_eq!(plan, again);
        assert_eq!(exported, export_plan(&again));
    }
}
