//! `ontrack targets`: the targets of a plan with their goal in words.

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::cli::TargetsArgs;
use crate::output::{csv_bytes, json_bytes, table, write_output, ListFormat};
use crate::plan::{Plan, Target};
use crate::present;

/// A target as JSON and CSV show it (the plan file's field names, plus `goal`).
#[derive(Serialize)]
pub struct TargetRow<'a> {
    code: &'a str,
    section: &'a str,
    name: &'a str,
    name_en: &'a str,
    kind: &'a str,
    cmp: &'a str,
    value: f64,
    unit: &'a str,
    tolerance: f64,
    commitment: &'a str,
    frequency: &'a str,
    measure: Option<&'a str>,
    baseline: Option<f64>,
    related: Option<&'a str>,
    due: String,
    lead_unit: Option<&'a str>,
    quote: &'a str,
    goal: String,
}

impl<'a> TargetRow<'a> {
    pub fn new(plan: &Plan, target: &'a Target, lang: crate::lang::Lang) -> TargetRow<'a> {
        TargetRow {
            code: &target.code,
            section: &target.section,
            name: &target.name,
            name_en: &target.name_en,
            kind: target.kind.as_str(),
            cmp: target.cmp.as_str(),
            value: target.value,
            unit: &target.unit,
            tolerance: target.tolerance(),
            commitment: target.commitment.as_str(),
            frequency: target.frequency.as_str(),
            measure: matches!(target.kind, crate::plan::Kind::Count | crate::plan::Kind::Amount)
                .then(|| target.measure().as_str()),
            baseline: target.baseline,
            related: target.related.as_deref(),
            due: target.due_period(plan.year).label(),
            lead_unit: target.lead_unit.as_deref(),
            quote: &target.quote,
            goal: present::goal_words(plan, target, lang),
        }
    }
}

pub fn run(context: &Context, args: TargetsArgs) -> Result<()> {
    let store = context.open_read()?;
    let plan = store.load_plan_at(&store.resolve_plan_id(args.plan.plan.as_deref())?, context.now)?;
    super::check_section(&plan, args.section.as_deref(), context.lang)?;
    let targets: Vec<&Target> =
        plan.targets().iter().filter(|t| args.section.as_ref().is_none_or(|s| &t.section == s)).collect();
    let lang = context.lang;
    let bytes = match args.format.format {
        ListFormat::Json => json_bytes(&targets.iter().map(|t| TargetRow::new(&plan, t, lang)).collect::<Vec<_>>()),
        ListFormat::Csv => csv_bytes(&targets.iter().map(|t| TargetRow::new(&plan, t, lang)).collect::<Vec<_>>()),
        ListFormat::Table => {
            let headers = present::commands::targets_headers(lang);
            let rows = targets.iter().map(|t| {
                let goal = present::goal(&plan, t, lang);
                vec![
                    t.section.clone(),
                    t.code.clone(),
                    lang.name(&t.name, Some(&t.name_en)).to_string(),
                    goal,
                    t.kind.as_str().to_string(),
                    present::commands::frequency(t.frequency, lang).to_string(),
                    t.lead_unit.clone().unwrap_or_default(),
                ]
            });
            let count = present::commands::targets_count(targets.len(), &plan.id, lang);
            format!("{}\n{count}\n", table(&headers, rows)).into_bytes()
        }
    };
    write_output(&bytes, None)
}
