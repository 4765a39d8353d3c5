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
        PlanCommand::List(format) => list(context, format.format),
        PlanCommand::Show { id, format } => show(context, id.as_deref(), format.format),
        PlanCommand::Import { file, dry_run } => import(context, &file, dry_run),
        PlanCommand::Export { id, out, force } => {
            let store = context.open_read()?;
            let plan = store.load_plan(&store.resolve_plan_id(id.as_deref())?)?;
            write_output_new(export_plan(&plan).as_bytes(), out.as_deref(), force, context.lang)
        }
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
}

fn list(context: &Context, format: ListFormat) -> Result<()> {
    let store = context.open_read()?;
    let rows: Vec<PlanRow> = store
        .plans()?
        .into_iter()
        .map(|p| PlanRow {
            id: p.id,
            org: p.org,
            org_en: p.org_en,
            year: p.year,
            targets: p.targets,
            actuals: p.actuals,
            loaded_at: p.loaded_at,
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
                    r.loaded_at.clone(),
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
