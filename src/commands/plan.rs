//! `ontrack plan list|show|import|export`.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::Context;
use crate::cli::PlanCommand;
use crate::input::read_text_file;
use crate::lang::Lang;
use crate::output::{csv_bytes, json_bytes, table, terminal_safe, write_output, write_output_new, ListFormat};
use crate::plan::file::{export_plan, parse_plan};
use crate::plan::Plan;

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
    let (targets, sections) = (plan.targets().len(), plan.sections.len());
    let summary = lang.choose(
        format!("计划 {}（{} {} 年）：{targets} 项指标，{sections} 个板块", plan.id, plan.org, plan.year),
        format!("plan {} ({} {}): {targets} targets in {sections} sections", plan.id, plan.org, plan.year),
    );
    if dry_run {
        if store.resolve_plan_id(Some(&plan.id)).is_ok() {
            anyhow::bail!(lang.choose(
                format!("计划 {:?} 已载入；本次不会载入任何内容", plan.id),
                format!("plan {:?} is already loaded; nothing would be loaded", plan.id)
            ));
        }
        eprintln!(
            "{}",
            lang.choose(
                format!("试运行：将载入{summary}；未写入任何内容"),
                format!("dry run: would load {summary}; nothing was written")
            )
        );
        return Ok(());
    }
    store.insert_plan(&plan, context.now).with_context(|| {
        lang.choose(format!("无法载入 {}", file.display()), format!("cannot load {}", file.display()))
    })?;
    eprintln!("{}", lang.choose(format!("已载入{summary}"), format!("loaded {summary}")));
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
            let headers = context.lang.pick_all(
                &["计划", "单位", "年度", "指标数", "数据条数", "载入时间"],
                &["plan", "organisation", "year", "targets", "figures", "loaded"],
            );
            let org = |r: &PlanRow| match context.lang {
                crate::lang::Lang::En => r.org_en.clone().unwrap_or_else(|| r.org.clone()),
                crate::lang::Lang::Zh => r.org.clone(),
            };
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
            let org = match lang {
                crate::lang::Lang::En => plan.org_en.as_deref().unwrap_or(&plan.org),
                crate::lang::Lang::Zh => &plan.org,
            };
            // The plan's texts came from a file: made terminal-safe, as table cells are.
            let mut text = format!(
                "{} — {} {}\n{}: {}\n{}: {} / {}\n",
                plan.id,
                terminal_safe(org),
                plan.year,
                lang.pick("来源", "source"),
                terminal_safe(plan.source.as_deref().unwrap_or("-")),
                lang.pick("预警/滞后阈值（落后序时进度百分点）", "at-risk / off-track thresholds (points behind pace)"),
                plan.thresholds.at_risk_behind,
                plan.thresholds.off_track_behind,
            );
            let days = plan.days_after_period;
            text.push_str(&lang.choose(
                format!("报送期限：期末后 {days} 天内（北京时间），逾期为“逾期报送”\n"),
                format!("deadline: within {days} days after a period ends (Beijing time); later is late\n"),
            ));
            if let Some(at) = &archived_at {
                text.push_str(&lang.choose(format!("已于 {at} 归档\n"), format!("archived at {at}\n")));
            }
            let headers = lang.pick_all(&["板块", "标题", "指标数"], &["section", "title", "targets"]);
            let cells = sections.iter().map(|s| {
                let title = match lang {
                    crate::lang::Lang::En => s.title_en.unwrap_or(s.title),
                    crate::lang::Lang::Zh => s.title,
                };
                vec![s.id.to_string(), title.to_string(), s.targets.to_string()]
            });
            text.push_str(&format!("{}\n", table(&headers, cells)));
            text.into_bytes()
        }
    };
    write_output(&bytes, None)
}
