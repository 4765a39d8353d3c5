//! `ontrack extract REPORT`: a draft plan file from the text of a work report. Reads
//! the file, calls the pure `extract::extract`, renders the draft with its review
//! comments and checks that it loads before writing it.

use anyhow::{bail, Context as _, Result};

use crate::cli::ExtractArgs;
use crate::extract::render::render;
use crate::extract::{extract, Options};
use crate::input::read_text_file;
use crate::lang::{Lang, Localize};
use crate::output::{refuse_existing, write_output_new};
use crate::plan::file::parse_plan;

pub fn run(context: &super::Context, args: ExtractArgs) -> Result<()> {
    let lang = context.lang;
    let report = args.report.display().to_string();
    if args.org.as_deref().is_some_and(|org| org.trim().is_empty()) {
        bail!(lang.pick(
            "--org 为空：请填写单位名称，如 --org 金水区",
            "--org is empty; give the organisation's name, e.g. --org 金水区"
        ));
    }
    refuse_existing(args.out.as_deref(), args.force, lang)?;
    let text = read_text_file(&args.report, lang)?;
    let options = Options { org: args.org.map(|o| o.trim().to_string()), year: args.year };
    let draft = extract(&text, &options).with_context(|| {
        lang.choose(format!("无法从 {report} 起草计划"), format!("cannot draft a plan from {report}"))
    })?;
    let file = render(&draft, &report);
    // The whole draft, two bars and changes in points included, must load as it is
    // written; anything else is a bug in the extractor.
    if let Err(error) = parse_plan(&file, "the draft") {
        bail!(lang.choose(
            format!("从 {report} 起草的计划无法载入（{}）；这是 ontrack 的缺陷，请报告", error.localize(Lang::Zh)),
            format!(
                "the draft drafted from {report} does not load ({error}); this is a bug in ontrack, please report it"
            )
        ));
    }
    write_output_new(file.as_bytes(), args.out.as_deref(), args.force, context.lang)?;
    let plan = &draft.plan;
    let to_review = draft.reviews.iter().filter(|r| !r.is_empty()).count();
    let (targets, sections) = (plan.targets().len(), plan.sections.len());
    eprintln!(
        "{}",
        lang.choose(
            format!(
                "已起草计划 {}（{} {} 年）：{targets} 项指标，{sections} 个板块，{to_review} 项待核{}",
                plan.id,
                plan.org,
                plan.year,
                args.out.as_ref().map(|p| format!("；已写入 {}", p.display())).unwrap_or_default()
            ),
            format!(
                "drafted plan {} ({} {}): {targets} targets in {sections} sections, {to_review} marked for review{}",
                plan.id,
                plan.org,
                plan.year,
                args.out.as_ref().map(|p| format!("; written to {}", p.display())).unwrap_or_default()
            ),
        )
    );
    for note in &draft.notes {
        eprintln!("{}{}", lang.pick("注意：", "note: "), note.get(lang));
    }
    Ok(())
}
