//! `ontrack bundle --plan ID --out FILE` (a district sends its plan and figures),
//! `ontrack bundle import FILE` (the city loads one) and `ontrack bundle list`.
//! The format and its checks are `crate::bundle`; the rules of loading, the store's.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::Context;
use crate::bundle::{bundle_bytes, read_bundle};
use crate::cli::{BundleArgs, BundleCommand};
use crate::escape;
use crate::output::{csv_bytes, json_bytes, table, write_output, write_output_new, ListFormat};
use crate::present;
use crate::store::BundleLoad;

pub fn run(context: &Context, args: BundleArgs) -> Result<()> {
    match args.command {
        Some(BundleCommand::Import { file, from_new_database }) => import(context, &file, from_new_database),
        Some(BundleCommand::List { format }) => list(context, format.format),
        None => match (args.plan, args.out) {
            (Some(plan), Some(out)) => export(context, &plan, args.approved_only, &out, args.force),
            // clap requires both without a subcommand.
            _ => unreachable!("clap requires --plan and --out"),
        },
    }
}

fn export(context: &Context, plan: &str, approved_only: bool, out: &Path, force: bool) -> Result<()> {
    let lang = context.lang;
    crate::output::refuse_existing(Some(out), force, lang)?;
    let store = context.open_read()?;
    let plan = store.resolve_plan_id(Some(plan))?;
    let content = store.bundle_content(&plan, approved_only, context.clock())?;
    let bytes = bundle_bytes(&content);
    // Read back before it is written: what the city will check, checked here first.
    let checksum = read_bundle(&bytes, &out.display().to_string())?.checksum;
    write_output_new(&bytes, Some(out), force, lang)?;
    let file = escape::terminal(&out.display().to_string());
    eprintln!("{}", present::bundle::written(&file, &plan, content.figures.len(), approved_only, &checksum, lang));
    Ok(())
}

fn import(context: &Context, file: &Path, new_database: bool) -> Result<()> {
    let lang = context.lang;
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| {
        let shown = escape::terminal(&shown);
        lang.choose(
            format!("无法读取数据包 {shown}，未作任何更改"),
            format!("cannot read the bundle {shown}; nothing was changed"),
        )
    })?;
    let bundle = read_bundle(&bytes, &shown)?;
    let mut store = context.open()?;
    let name = file.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let outcome = store.load_bundle(&bundle, &bytes, &name, new_database, context.clock())?;
    let content = &bundle.content;
    // Moments on the plan's clock, as every time a user reads.
    let shown = |text: &str| shown_moment(text, bundle.plan.timezone, lang);
    let (plan, figures, exported_at) = (&content.plan_id, content.figures.len(), shown(&content.exported_at));
    let message = match outcome {
        BundleLoad::Loaded { superseded: None } => present::bundle::loaded(plan, figures, &exported_at, lang),
        BundleLoad::Loaded { superseded: Some(older) } => {
            present::bundle::superseded(plan, figures, &exported_at, &shown(&older), lang)
        }
        BundleLoad::KeptOlder { standing } => present::bundle::kept_older(plan, &exported_at, &shown(&standing), lang),
        BundleLoad::AlreadyLoaded { loaded_at } => present::bundle::already_loaded(plan, &shown(&loaded_at), lang),
    };
    eprintln!("{message}");
    Ok(())
}

/// A moment the store wrote (RFC 3339), on `zone`'s clock to the second.
fn shown_moment(text: &str, zone: crate::time::PlanZone, lang: crate::lang::Lang) -> String {
    match crate::time::parse_timestamp(text) {
        Some(moment) => present::moment_to_second(moment, zone, lang),
        None => text.to_string(),
    }
}

/// A line of `bundle list --format json|csv` (moments as stored: RFC 3339, UTC).
#[derive(Serialize)]
struct BundleRow {
    plan: String,
    source_database: String,
    exported_at: String,
    approved_only: bool,
    figures: i64,
    checksum: String,
    file: String,
    loaded_at: String,
    standing: bool,
}

fn list(context: &Context, format: ListFormat) -> Result<()> {
    let lang = context.lang;
    let store = context.open_read()?;
    let rows: Vec<BundleRow> = store
        .bundles()?
        .into_iter()
        .map(|b| BundleRow {
            plan: b.plan_id,
            source_database: b.source_database,
            exported_at: b.exported_at,
            approved_only: b.approved_only,
            figures: b.figures,
            checksum: b.checksum,
            file: b.file_name,
            loaded_at: b.loaded_at,
            standing: b.standing,
        })
        .collect();
    let bytes = match format {
        ListFormat::Json => json_bytes(&rows),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table if rows.is_empty() => format!("{}\n", present::bundle::none_loaded(lang)).into_bytes(),
        ListFormat::Table => {
            let headers = present::bundle::list_headers(lang);
            let cells = rows.iter().map(|r| {
                // Every listed plan is in the database: a bundle is only kept with its plan.
                let zone = store.plan_timezone(&r.plan).unwrap_or_default();
                vec![
                    r.plan.clone(),
                    r.source_database.clone(),
                    shown_moment(&r.exported_at, zone, lang),
                    present::bundle::yes_no(r.approved_only, lang).to_string(),
                    r.figures.to_string(),
                    r.file.clone(),
                    shown_moment(&r.loaded_at, zone, lang),
                    present::bundle::yes_no(r.standing, lang).to_string(),
                ]
            });
            format!("{}\n", table(&headers, cells)).into_bytes()
        }
    };
    write_output(&bytes, None)
}
