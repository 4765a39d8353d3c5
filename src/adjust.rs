//! Target adjustments (调整目标, docs/plan-format.md "Adjusting a target"): a target's
//! value changed mid-year by an appended record with reason, document (文号) and
//! effective moment. Pure: which adjustments stand at a moment, the plan as it stood
//! then, and whether a new value passes the plan file's own checks.

use chrono::{DateTime, Utc};

use crate::error::PlanProblem;
use crate::plan::file::{export_plan, parse_plan};
use crate::plan::Plan;

/// One recorded adjustment of a target's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjustment {
    pub id: i64,
    pub code: String,
    pub value_before: f64,
    pub value_after: f64,
    /// The strive bar (力争) in force before and after; `None` when the target has none,
    /// or after an adjustment recorded before strive bars could be adjusted (which left
    /// the bar as it was).
    pub strive_before: Option<f64>,
    pub strive_after: Option<f64>,
    pub reason: String,
    /// The document (文号) that decided it, e.g. 区政发〔2020〕12号.
    pub document: Option<String>,
    /// From when the new value holds.
    pub effective_at: DateTime<Utc>,
    /// When it was recorded in the database.
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

impl Adjustment {
    /// Whether the adjustment stood at `moment`: in force by then and already recorded
    /// (a report made at that moment would have used it).
    pub fn stands_at(&self, moment: DateTime<Utc>) -> bool {
        self.effective_at <= moment && self.recorded_at <= moment
    }
}

/// An adjustment not yet recorded (the store fills in the value before and the
/// recording moment, inside its transaction).
#[derive(Debug, Clone)]
pub struct NewAdjustment {
    pub code: String,
    pub value: f64,
    /// A new strive bar (`--strive`); `None` keeps the one in force.
    pub strive: Option<f64>,
    pub reason: String,
    pub document: Option<String>,
    /// None: from the moment it is recorded.
    pub effective_at: Option<DateTime<Utc>>,
    pub recorded_by: String,
}

/// The adjustments standing at `moment`, in the order they were recorded.
pub fn standing_at(adjustments: &[Adjustment], moment: DateTime<Utc>) -> Vec<&Adjustment> {
    adjustments.iter().filter(|a| a.stands_at(moment)).collect()
}

/// The plan as it stood at `moment`: each target's value is that of its last
/// adjustment standing then (adjustments of one target follow one another in time,
/// so the last recorded is the last in force), else the value it was loaded with.
pub fn apply(plan: &mut Plan, adjustments: &[Adjustment], moment: DateTime<Utc>) {
    let standing = standing_at(adjustments, moment);
    if standing.is_empty() {
        return;
    }
    plan.edit_targets(|targets| {
        for adjustment in standing {
            if let Some(target) = targets.iter_mut().find(|t| t.code == adjustment.code) {
                target.value = adjustment.value_after;
                if let Some(strive) = adjustment.strive_after {
                    target.strive = Some(strive);
                }
            }
        }
    });
}

/// The problems the plan file's checks find with target `code` at value `value` and,
/// when given, strive bar `strive` (the plan written out with them and read back, so
/// every rule of a plan file applies — a strive bar beyond the value in the direction
/// of `cmp` among them — and only the ones about this target are kept). Empty: fine.
pub fn check_value(plan: &Plan, code: &str, value: f64, strive: Option<f64>) -> Vec<PlanProblem> {
    let mut changed = plan.clone();
    changed.edit_targets(|targets| {
        if let Some(target) = targets.iter_mut().find(|t| t.code == code) {
            target.value = value;
            if strive.is_some() {
                target.strive = strive;
            }
        }
    });
    if let Some(strive) = strive.filter(|s| !s.is_finite()) {
        return vec![PlanProblem {
            place: format!("target {code}"),
            field: Some("strive".to_string()),
            message: crate::lang::Text::new(
                format!("{strive} 不是有限数值"),
                format!("{strive} is not a finite number"),
            ),
        }];
    }
    if !value.is_finite() {
        // TOML cannot carry every non-finite number back; the plan file's words for it.
        return vec![PlanProblem {
            place: format!("target {code}"),
            field: Some("value".to_string()),
            message: crate::lang::Text::new(format!("{value} 不是有限数值"), format!("{value} is not a finite number")),
        }];
    }
    match parse_plan(&export_plan(&changed), "adjust") {
        Ok(_) => Vec::new(),
        Err(error) => {
            let place = format!("target {code}");
            error.problems.into_iter().filter(|p| p.place == place).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn adjustment(code: &str, after: f64, effective: &str, recorded: &str) -> Adjustment {
        Adjustment {
            id: 0,
            code: code.to_string(),
            value_before: 0.0,
            value_after: after,
            strive_before: None,
            strive_after: None,
            reason: "疫情影响".to_string(),
            document: None,
            effective_at: utc(effective),
            recorded_at: utc(recorded),
            recorded_by: "统计局".to_string(),
        }
    }

    #[test]
    fn the_plan_at_a_moment_has_the_values_standing_then() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let code = plan.targets()[0].code.clone();
        let original = plan.targets()[0].value;
        let adjustments = [
            adjustment(&code, original - 1.0, "2020-04-01T00:00:00Z", "2020-04-10T00:00:00Z"),
            adjustment(&code, original - 2.0, "2020-07-01T00:00:00Z", "2020-06-20T00:00:00Z"),
        ];
        let value_at = |moment: &str| {
            let mut at = plan.clone();
            apply(&mut at, &adjustments, utc(moment));
            at.target(&code).unwrap().value
        };
        assert_eq!(value_at("2020-03-31T23:59:59Z"), original, "before any");
        assert_eq!(value_at("2020-04-05T00:00:00Z"), original, "in force but not yet recorded");
        assert_eq!(value_at("2020-04-10T00:00:00Z"), original - 1.0, "recorded and in force");
        assert_eq!(value_at("2020-06-30T00:00:00Z"), original - 1.0, "the second recorded, not yet in force");
        assert_eq!(value_at("2020-07-01T00:00:00Z"), original - 2.0);
        // Other targets keep their values.
        let mut at = plan.clone();
        apply(&mut at, &adjustments, utc("2020-12-31T00:00:00Z"));
        assert_eq!(at.targets()[1..], plan.targets()[1..]);
    }

    #[test]
    fn a_new_value_meets_the_plan_files_checks() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let rate = plan.targets().iter().find(|t| t.kind == crate::plan::Kind::Rate).unwrap();
        assert!(check_value(&plan, &rate.code, 3.5, None).is_empty());
        let problems = check_value(&plan, &rate.code, 120.0, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field.as_deref(), Some("value"));
        assert!(problems[0].message.en.contains("between 0 and 100"), "{problems:?}");
        assert!(!check_value(&plan, &rate.code, f64::NAN, None).is_empty());
        let count = plan.targets().iter().find(|t| t.kind == crate::plan::Kind::Count).unwrap();
        assert!(check_value(&plan, &count.code, -1.0, None)[0].message.en.contains("cannot be negative"));
    }

    #[test]
    fn a_strive_bar_moves_with_its_adjustment_and_meets_the_plan_files_checks() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let target = plan.targets().iter().find(|t| t.cmp == crate::plan::Cmp::AtLeast).unwrap();
        let code = target.code.clone();
        let value = target.value;
        // Beyond the value in cmp's direction: above it for at_least.
        assert!(check_value(&plan, &code, value, Some(value + 1.0)).is_empty());
        let problems = check_value(&plan, &code, value, Some(value - 1.0));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field.as_deref(), Some("strive"));
        assert!(problems[0].message.en.contains("must be above the value"), "{problems:?}");
        assert_eq!(check_value(&plan, &code, value, Some(f64::INFINITY))[0].field.as_deref(), Some("strive"));

        let mut moved = adjustment(&code, value, "2020-04-01T00:00:00Z", "2020-04-01T00:00:00Z");
        moved.strive_after = Some(value + 2.0);
        // An adjustment from before strive bars could move keeps the bar.
        let kept = adjustment(&code, value, "2020-05-01T00:00:00Z", "2020-05-01T00:00:00Z");
        let strive_at = |moment: &str| {
            let mut at = plan.clone();
            apply(&mut at, &[moved.clone(), kept.clone()], utc(moment));
            at.target(&code).unwrap().strive
        };
        assert_eq!(strive_at("2020-03-01T00:00:00Z"), target.strive);
        assert_eq!(strive_at("2020-04-02T00:00:00Z"), Some(value + 2.0));
        assert_eq!(strive_at("2020-06-01T00:00:00Z"), Some(value + 2.0));
    }
}
