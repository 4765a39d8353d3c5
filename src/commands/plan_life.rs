//! `ontrack plan adjust|archive|remove`: a plan's life during its year and after it.

use anyhow::{bail, Result};
use chrono::{DateTime, NaiveDate, Utc};

use super::record::{non_empty, os_user};
use super::Context;
use crate::adjust::{check_value, NewAdjustment};
use crate::cli::AdjustArgs;
use crate::lang::{Lang, Localize};
use crate::plan::Plan;
use crate::present;
use crate::validate::FigureProblem;

pub fn adjust(context: &Context, args: AdjustArgs) -> Result<()> {
    let lang = context.lang;
    let mut store = context.open()?;
    let plan = store.load_plan_at(&store.resolve_plan_id(args.plan.plan.as_deref())?, context.now)?;
    let code = args.code.trim().to_ascii_lowercase();
    let Some(target) = plan.target(&code) else {
        bail!(FigureProblem::UnknownTarget {
            plan: plan.id.clone(),
            code: args.code.trim().to_string(),
            nearest: plan.nearest_code(&code).map(str::to_string),
        });
    };
    let Some(reason) = non_empty(args.reason) else {
        bail!(lang.choose(
            format!("调整 {code} 须说明理由：请加 --reason（如 --reason \"受疫情影响，经区人大常委会批准\"）；未写入任何内容"),
            format!(
                "an adjustment of {code} needs a reason: add --reason (e.g. --reason \"lowered after the first \
                 quarter, approved by the district congress\"); nothing was written"
            )
        ));
    };
    let problems = check_value(&plan, &code, args.value, args.strive);
    if !problems.is_empty() {
        let asked = match args.strive {
            Some(strive) => {
                lang.choose(format!("{}（力争 {strive}）", args.value), format!("{} (strive {strive})", args.value))
            }
            None => args.value.to_string(),
        };
        let listed: Vec<String> = problems.iter().map(|p| format!("\n  - {}", p.localize(lang))).collect();
        bail!(lang.choose(
            format!("{code} 不能调整为 {asked}，与计划文件的规则不符：{}\n未写入任何内容。", listed.concat()),
            format!(
                "{code} cannot be adjusted to {asked}; the plan file's rules refuse it:{}\nNothing was written.",
                listed.concat()
            )
        ));
    }
    let effective_at = match args.effective.as_deref().map(str::trim) {
        None => None,
        Some(text) => Some(parse_effective(text, &plan, lang)?),
    };
    if let Some(effective) = effective_at {
        let year_start = year_start(&plan);
        if effective < year_start {
            bail!(lang.choose(
                format!(
                    "生效时间 {} 早于计划 {} 的年度（{} 年）；未写入任何内容。调整只能在计划年度内生效",
                    shown(effective, &plan),
                    plan.id,
                    plan.year
                ),
                format!(
                    "the effective moment {} is before plan {}'s year ({}); nothing was written. An adjustment takes \
                     effect within the plan's year",
                    shown(effective, &plan),
                    plan.id,
                    plan.year
                )
            ));
        }
        if effective > context.now {
            bail!(lang.choose(
                format!("生效时间 {} 晚于现在；未写入任何内容。请在生效时再记录调整", shown(effective, &plan)),
                format!(
                    "the effective moment {} is in the future; nothing was written. Record the adjustment when it \
                     takes effect",
                    shown(effective, &plan)
                )
            ));
        }
    }
    let unit = target.unit.clone();
    let new = NewAdjustment {
        code: code.clone(),
        value: args.value,
        strive: args.strive,
        reason,
        document: non_empty(args.document),
        effective_at,
        recorded_by: non_empty(args.by).unwrap_or_else(os_user),
    };
    // The value before is the one read inside the write: another person may have
    // adjusted the target since it was loaded here.
    let done = store.record_adjustment(&plan.id, &new, context.clock())?;
    let strive = (done.strive_before, done.strive_after);
    let change = present::adjusted((done.value_before, done.value_after), strive, &unit, lang);
    let grounds = present::adjustment_grounds(&done.reason, done.document.as_deref(), lang);
    let from = shown(done.effective_at, &plan);
    eprintln!(
        "{}",
        lang.choose(
            format!("已调整 {code}：{change}（{grounds}；自 {from} 起生效，记录人 {}）", done.recorded_by),
            format!("adjusted {code}: {change} ({grounds}; in force from {from}, recorded by {})", done.recorded_by)
        )
    );
    Ok(())
}

/// A date (its first moment in the plan's zone) or an RFC 3339 time.
fn parse_effective(text: &str, plan: &Plan, lang: Lang) -> Result<DateTime<Utc>> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(plan.timezone.start_of_day(date));
    }
    match crate::time::parse_timestamp(text) {
        Some(moment) => Ok(moment),
        None => {
            let zone = plan.timezone.name();
            bail!(lang.choose(
                format!(
                    "--effective {text:?} 不是日期或时间：请写日期（如 2020-04-01，指当天零时，{zone}）或 RFC 3339 时间\
                     （如 2020-04-01T09:00:00+08:00）；未写入任何内容"
                ),
                format!(
                    "--effective {text:?} is not a date or time: use a date such as 2020-04-01 (its first moment, \
                     {zone}) or an RFC 3339 time such as 2020-04-01T09:00:00+08:00; nothing was written"
                )
            ))
        }
    }
}

/// The first moment of the plan's year in its zone.
fn year_start(plan: &Plan) -> DateTime<Utc> {
    plan.timezone.start_of_day(NaiveDate::from_ymd_opt(plan.year, 1, 1).expect("1 January exists"))
}

/// A moment as people read it here: in the plan's zone, to the minute, with the offset.
fn shown(moment: DateTime<Utc>, plan: &Plan) -> String {
    plan.timezone.format(moment, "%Y-%m-%d %H:%M%:z")
}

pub fn archive(context: &Context, id: &str) -> Result<()> {
    let lang = context.lang;
    let mut store = context.open()?;
    let id = store.resolve_plan_id(Some(id.trim()))?;
    store.archive_plan(&id, context.now)?;
    eprintln!(
        "{}",
        lang.choose(
            format!("已归档计划 {id}：数据全部保留，可用 --plan {id} 查看；不再接受新数据；`plan list --all` 可列出"),
            format!(
                "archived plan {id}: its figures are all kept and readable with --plan {id}; it takes no new \
                 figures; `plan list --all` lists it"
            )
        )
    );
    Ok(())
}

pub fn remove(context: &Context, id: &str) -> Result<()> {
    let lang = context.lang;
    let mut store = context.open()?;
    let id = store.resolve_plan_id(Some(id.trim()))?;
    store.remove_plan(&id)?;
    eprintln!(
        "{}",
        lang.choose(format!("已删除计划 {id}（它没有任何数据）"), format!("removed plan {id} (it held no figures)"))
    );
    Ok(())
}
