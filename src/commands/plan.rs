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
}

fn list(context: &Context, format: ListFormat, all: bool) -> Result<()> {
    let store = context.open_read()?;
    let rows: Vec<PlanRow> = store
        .plans()?
        .into_iter()
        .filter(|p| all || p.archived_at.is_none())
        .map(|p| PlanRow {
            id: p.id,
            org: p.org,
            org_en: p.org_en,
            year: p.year,
            targets: p.targets,
            actuals: p.actuals,
            loaded_at: p.loaded_at,
            archived_at: p.archived_at,
        })
        .collect();
    let bytes = match format {
        ListFormat::Json => json_bytes(&rows),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table => {
            let headers = present::commands::plans_headers(context.lang);
            let org = |r: &PlanRow| context.lang.name(&r.org, r.org_en.as_deref()).to_string();
            let cells = rows.iter().map(|r| {
                vec![
                    r.id.clone(),
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
    write_output(&bytes, None)
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
