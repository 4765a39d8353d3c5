//! `ontrack template --period P [--lead-unit U] --out FILE`: the fill-in sheet for a period.

use std::collections::BTreeSet;

use anyhow::{bail, Context as _, Result};

use super::Context;
use crate::cli::TemplateArgs;
use crate::lang::Localize;
use crate::output::{refuse_existing, write_output_new};
use crate::template::{csv_bytes, template_rows, xlsx_bytes, FormHead};

pub fn run(context: &Context, args: TemplateArgs) -> Result<()> {
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(args.plan.plan.as_deref())?)?;
    let lang = context.lang;
    let period = args.period;
    let (id, out) = (&plan.id, args.out.display());
    if let Err(error) = plan.check_period_in_year(period) {
        bail!("{}{}", error.localize(lang), lang.pick("；未写入任何内容", "; nothing was written"));
    }
    let extension = args.out.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if extension != "xlsx" && extension != "csv" {
        bail!(lang.choose(
            format!("--out {out} 的扩展名须为 .xlsx 或 .csv；未写入任何内容"),
            format!("--out {out} must end in .xlsx or .csv; nothing was written")
        ));
    }
    refuse_existing(Some(&args.out), args.force, context.lang)?;
    let lead_unit = args.lead_unit.as_deref().map(str::trim);
    if let Some(unit) = lead_unit {
        let units: BTreeSet<&str> = plan.targets().iter().filter_map(|t| t.lead_unit.as_deref()).collect();
        if !units.contains(unit) {
            let known: Vec<&str> = units.into_iter().collect();
            bail!(lang.choose(
                format!("计划 {id} 中没有由 {unit:?} 牵头的指标；牵头单位有：{}", known.join("、")),
                format!("no target of plan {id} is led by {unit:?}; the lead units are: {}", known.join(", "))
            ));
        }
    }
    let rows = template_rows(&plan, period, lead_unit, &store.actuals(&plan.id)?, context.lang);
    if rows.is_empty() {
        bail!(lang.choose(
            format!(
                "{period} 没有需报送的{}指标：月度指标每月报送，季度指标在季末（一至四季度）报送，年度指标报送全年\
                 数据；未写入任何内容",
                lead_unit.map(|u| format!("由 {u} 牵头的")).unwrap_or_default()
            ),
            format!(
                "no target{} is due for {period}: monthly targets are due every month, quarterly ones at quarter ends \
                 (Q1–Q4), yearly ones for the whole year; nothing was written",
                lead_unit.map(|u| format!(" led by {u}")).unwrap_or_default()
            )
        ));
    }
    let bytes = if extension == "xlsx" {
        xlsx_bytes(&FormHead::new(&plan, period, lead_unit, lang), &rows, lang, context.now)
            .context(lang.pick("无法生成 Excel 填报表", "cannot build the Excel template"))?
    } else {
        csv_bytes(&rows, context.lang)
    };
    write_output_new(&bytes, Some(&args.out), args.force, context.lang)?;
    let n = rows.len();
    eprintln!(
        "{}",
        lang.choose(
            format!(
                "已写入 {out}：{period} 需报送的指标 {n} 项；请填写数值（value）列，再用 `ontrack import {out}` 导入"
            ),
            format!(
                "wrote {out}: {n} target{} due for {period}; fill in the value column (数值) and import it with \
                 `ontrack import {out}`",
                if n == 1 { "" } else { "s" }
            ),
        )
    );
    Ok(())
}
