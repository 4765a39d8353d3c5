//! `ontrack plan list|show|import|export`.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::Context;
use crate::cli::PlanCommand;
use crate::escape;
use crate::input::read_text_file;
use crate::lang::Lang;
use crate::output::{csv_bytes, json_bytes, table, write_output, write_output_new, ListFormat};
use crate::plan::file::{export_plan, parse_plan};
use crate::plan::Plan;
use crate::present;
use crate::store::PlanSummary;

pub fn run(context: &Context, command: PlanCommand) -> Result<()> {
    match command {
        PlanCommand::List { format, all } => list(context, format.format, all),
        PlanCommand::Show { id, format } => show(context, id.as_deref(), format.format),
        PlanCommand::Import { file, dry_run } => import(context, &file, dry_run),
        PlanCommand::Export { id, out, force } => {
            let store = context.open_read()?;
            let plan = store.load_plan_at(&store.resolve_plan_id(id.as_deref())?, context.now)?;
            let mut text = export_plan(&plan);
            text.push_str(&super::plan_next::adjustments_as_comments(&store.adjustments(&plan.id)?, &plan));
            write_output_new(text.as_bytes(), out.as_deref(), force, context.lang)
        }
        PlanCommand::Adjust(args) => super::plan_life::adjust(context, args),
        PlanCommand::Next(args) => super::plan_next::run(context, args),
        PlanCommand::Archive { id } => super::plan_life::archive(context, &id),
        PlanCommand::Remove { id } => super::plan_life::remove(context, &id),
    }
}

/// Reads and validates a plan file (UTF-8, or GBK decoded with a note).
pub fn read_plan_file(file: &Path, lang: Lang) -> Result<Plan> {
    let text = read_text_file(file, lang)?;
    Ok(parse_plan(&text, &file.display().to_string())?)
}

fn import(context: &Context, file: &Path, dry_run: bool) -> Result<()> {
    let plan = read_plan_file(file, context.lang)?;
    let mut store = context.open()?;
    let lang = context.lang;
    let summary = present::commands::plan_summary(&plan, lang);
    if dry_run {
        if store.resolve_plan_id(Some(&plan.id)).is_ok() {
            anyhow::bail!(lang.choose(
                format!("计划 {:?} 已载入；本次不会载入任何内容", plan.id),
                format!("plan {:?} is already loaded; nothing would be loaded", plan.id)
            ));
        }
        eprintln!("{}", present::commands::plan_would_load(&summary, lang));
        return Ok(());
    }
    store.insert_plan(&plan, context.now).with_context(|| {
        lang.choose(format!("无法载入 {}", file.display()), format!("cannot load {}", file.display()))
    })?;
    eprintln!("{}", present::commands::plan_loaded(&summary, lang));
    Ok(())
}

#[derive(Serialize)]
struct PlanRow {
    id: String,
    org: String,
    org_en: Option<String>,
    year: i32,
    targets: i64,
    actuals: i64,
    loaded_at: String,
    archived_at: Option<String>,
    /// `[plan] parent`, loaded or not.
    parent: Option<String>,
}

/// Plans in family order: every plan whose parent is not listed in load order (most
/// recent first), each followed by its children (in the same order, at depth 1, and
/// theirs at depth 2 …). A child whose parent is not listed stays at depth 0.
fn family_order(plans: Vec<PlanSummary>) -> Vec<(PlanSummary, usize)> {
    let listed: std::collections::HashSet<String> = plans.iter().map(|p| p.id.clone()).collect();
    let is_root = |p: &PlanSummary| p.parent.as_ref().is_none_or(|parent| !listed.contains(parent));
    let mut ordered = Vec::with_capacity(plans.len());
    let mut placed = std::collections::HashSet::new();
    let mut stack: Vec<(usize, usize)> =
        plans.iter().enumerate().rev().filter(|(_, p)| is_root(p)).map(|(i, _)| (i, 0)).collect();
    while let Some((index, depth)) = stack.pop() {
        if !placed.insert(index) {
            continue;
        }
        ordered.push((index, depth));
        let id = &plans[index].id;
        stack.extend(
            plans.iter().enumerate().rev().filter(|(_, p)| p.parent.as_ref() == Some(id)).map(|(i, _)| (i, depth + 1)),
        );
    }
    // Plans in a loop of parents (a names b, b names a) have no root: listed last.
    for index in 0..plans.len() {
        if !placed.contains(&index) {
            ordered.push((index, 0));
        }
    }
    let mut slots: Vec<Option<PlanSummary>> = plans.into_iter().map(Some).collect();
    ordered.into_iter().filter_map(|(index, depth)| slots[index].take().map(|p| (p, depth))).collect()
}

fn list(context: &Context, format: ListFormat, all: bool) -> Result<()> {
    let store = context.open_read()?;
    let plans: Vec<PlanSummary> = store.plans()?.into_iter().filter(|p| all || p.archived_at.is_none()).collect();
    let known: std::collections::HashSet<String> = store.plans()?.into_iter().map(|p| p.id).collect();
    let missing: Vec<(String, String)> = plans
        .iter()
        .filter_map(|p| {
            p.parent.as_ref().filter(|parent| !known.contains(*parent)).map(|parent| (p.id.clone(), parent.clone()))
        })
        .collect();
    let rows: Vec<(PlanRow, usize)> = family_order(plans)
        .into_iter()
        .map(|(p, depth)| {
            let row = PlanRow {
                id: p.id,
                org: p.org,
                org_en: p.org_en,
                year: p.year,
                targets: p.targets,
                actuals: p.actuals,
                loaded_at: p.loaded_at,
                archived_at: p.archived_at,
                parent: p.parent,
            };
            (row, depth)
        })
        .collect();
    let bytes = match format {
        ListFormat::Json => json_bytes(&rows.iter().map(|(row, _)| row).collect::<Vec<_>>()),
        ListFormat::Csv => csv_bytes(&rows.iter().map(|(row, _)| row).collect::<Vec<_>>()),
        ListFormat::Table => {
            let headers = present::commands::plans_headers(context.lang);
            let org = |r: &PlanRow| context.lang.name(&r.org, r.org_en.as_deref()).to_string();
            let cells = rows.iter().map(|(r, depth)| {
                vec![
                    present::commands::plan_in_family(&r.id, *depth),
                    org(r),
                    r.year.to_string(),
                    r.targets.to_string(),
                    r.actuals.to_string(),
                    match &r.archived_at {
                        None => r.loaded_at.clone(),
                        Some(at) => {
                            format!(
                                "{}{}",
                                r.loaded_at,
                                context.lang.choose(format!("（{at} 归档）"), format!(" (archived {at})"))
                            )
                        }
                    },
                ]
            });
            format!("{}\n", table(&headers, cells)).into_bytes()
        }
    };
    write_output(&bytes, None)?;
    for (plan, parent) in &missing {
        eprintln!("{}", present::commands::parent_not_loaded(plan, parent, context.lang));
    }
    Ok(())
}

#[derive(Serialize)]
struct PlanView<'a> {
    id: &'a str,
    org: &'a str,
    org_en: Option<&'a str>,
    year: i32,
    source: Option<&'a str>,
    at_risk_behind: f64,
    off_track_behind: f64,
    days_after_period: u32,
    archived_at: Option<String>,
    sections: Vec<SectionView<'a>>,
    targets: usize,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    title_en: Option<&'a str>,
    targets: usize,
}

fn show(context: &Context, id: Option<&str>, format: ListFormat) -> Result<()> {
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(id)?)?;
    let archived_at = store.archived_at(&plan.id)?;
    let sections: Vec<SectionView> = plan
        .sections
        .iter()
        .map(|s| SectionView {
            id: &s.id,
            title: &s.title,
            title_en: s.title_en.as_deref(),
            targets: plan.targets().iter().filter(|t| t.section == s.id).count(),
        })
        .collect();
    let bytes = match format {
        ListFormat::Json => json_bytes(&PlanView {
            id: &plan.id,
            org: &plan.org,
            org_en: plan.org_en.as_deref(),
            year: plan.year,
            source: plan.source.as_deref(),
            at_risk_behind: plan.thresholds.at_risk_behind,
            off_track_behind: plan.thresholds.off_track_behind,
            days_after_period: plan.days_after_period,
            archived_at: archived_at.clone(),
            targets: plan.targets().len(),
            sections,
        }),
        ListFormat::Csv => csv_bytes(&sections),
        ListFormat::Table => {
            let lang = context.lang;
            let org = lang.name(&plan.org, plan.org_en.as_deref());
            // The plan's texts came from a file: made terminal-safe, as table cells are.
            let mut text = format!(
                "{} — {} {}\n{}: {}\n{}: {} / {}\n",
                plan.id,
                escape::terminal(org),
                plan.year,
                present::commands::source(lang),
                escape::terminal(plan.source.as_deref().unwrap_or("-")),
                present::commands::thresholds(lang),
                plan.thresholds.at_risk_behind,
                plan.thresholds.off_track_behind,
            );
            let days = plan.days_after_period;
            text.push_str(&lang.choose(
                format!("报送期限：期末后 {days} 天内（{}），逾期为“逾期报送”\n", plan.timezone.name()),
                format!("deadline: within {days} days after a period ends ({}); later is late\n", plan.timezone.name()),
            ));
            if let Some(at) = &archived_at {
                text.push_str(&lang.choose(format!("已于 {at} 归档\n"), format!("archived at {at}\n")));
            }
            let headers = present::commands::sections_headers(lang);
            let cells = sections.iter().map(|s| {
                let title = lang.name(s.title, s.title_en);
                vec![s.id.to_string(), title.to_string(), s.targets.to_string()]
            });
            text.push_str(&format!("{}\n", table(&headers, cells)));
            text.into_bytes()
        }
    };
    write_output(&bytes, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, parent: Option<&str>) -> PlanSummary {
        PlanSummary {
            id: id.into(),
            org: id.into(),
            org_en: None,
            year: 2020,
            targets: 0,
            actuals: 0,
            loaded_at: String::new(),
            archived_at: None,
            parent: parent.map(str::to_string),
        }
    }

    fn order(plans: &[(&str, Option<&str>)]) -> Vec<(String, usize)> {
        family_order(plans.iter().map(|(id, parent)| summary(id, *parent)).collect())
            .into_iter()
            .map(|(p, depth)| (p.id, depth))
            .collect()
    }

    #[test]
    fn children_follow_their_parent_in_load_order() {
        type Case<'a> = (&'a [(&'a str, Option<&'a str>)], &'a [(&'a str, usize)]);
        let cases: &[Case] = &[
            (&[("a", None), ("b", None)], &[("a", 0), ("b", 0)]),
            // Most recent first: children loaded after the city still follow it.
            (
                &[("d2", Some("city")), ("other", None), ("city", None), ("d1", Some("city"))],
                &[("other", 0), ("city", 0), ("d2", 1), ("d1", 1)],
            ),
            // A parent not listed (not loaded, or archived and hidden): the child stands alone.
            (&[("d1", Some("city")), ("x", None)], &[("d1", 0), ("x", 0)]),
            // Grandchildren under children.
            (&[("t", Some("d")), ("d", Some("c")), ("c", None)], &[("c", 0), ("d", 1), ("t", 2)]),
            // A loop of parents is still listed, once each.
            (&[("a", Some("b")), ("b", Some("a"))], &[("a", 0), ("b", 0)]),
        ];
        for (plans, expected) in cases {
            let expected: Vec<(String, usize)> = expected.iter().map(|(id, d)| (id.to_string(), *d)).collect();
            assert_eq!(order(plans), expected, "{plans:?}");
        }
    }
}
