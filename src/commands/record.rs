//! `ontrack record TARGET PERIOD VALUE`: log one figure, or a revision of the standing one.

use anyhow::{bail, Result};

use super::Context;
use crate::actual::NewActual;
use crate::cli::RecordArgs;
use crate::error::StoreError;
use crate::lang::Localize;
use crate::numbers::format_number;
use crate::present;
use crate::validate::{check_figure, RawValue};

pub fn run(context: &Context, args: RecordArgs) -> Result<()> {
    let mut store = context.open()?;
    let plan = store.load_plan_for_target(&store.resolve_plan_id(args.plan.plan.as_deref())?, &args.target)?;
    let lang = context.lang;
    let typed = format!("{} {} {}", args.target, args.period.typed, args.value);
    let figure = match check_figure(&plan, &args.target, args.period.period, RawValue::Text(&args.value), context.now) {
        Ok(figure) => figure,
        Err(problems) => {
            let reasons: Vec<String> = problems.iter().map(|p| format!("\n  - {}", p.localize(lang))).collect();
            bail!(lang.choose(
                format!("无法记录 {typed}，未写入任何内容：{}", reasons.concat()),
                format!("cannot record {typed}; nothing was written:{}", reasons.concat())
            ));
        }
    };
    let reason = match args.reason.as_deref().map(str::trim) {
        Some("") => bail!(lang.pick(
            "--reason 为空：请说明修订原因（如 \"最终核实\"）；未写入任何内容",
            "--reason is empty: say why the figure is revised (e.g. \"最终核实\"); nothing was written"
        )),
        other => other.map(str::to_string),
    };
    let new = NewActual {
        target: figure.target.code.clone(),
        period: figure.period,
        value: figure.value,
        source: non_empty(args.source),
        recorded_by: non_empty(args.by).unwrap_or_else(os_user),
        note: non_empty(args.note),
        revision_reason: if args.revise { reason } else { None },
    };
    let unit = &figure.target.unit;
    match store.insert_actuals_by(&plan.id, std::slice::from_ref(&new), context.clock()) {
        Ok(ids) => {
            eprintln!("{}", present::commands::recorded(ids[0], &new, unit, lang));
            Ok(())
        }
        Err(StoreError::WindowTaken { standing, .. }) => {
            let plan_flag = args.plan.plan.as_ref().map(|id| format!(" --plan {id}")).unwrap_or_default();
            let (target, period, value) = (&new.target, new.period, args.value.trim());
            let (old, by, at) = (format_number(standing.value), &standing.recorded_by, &standing.recorded_at);
            let command = format!("ontrack record {target} {period} {value} --revise --reason \"…\"{plan_flag}");
            bail!(lang.choose(
                format!(
                    "{target} 在 {period} 已有数据：{old} {unit}（期别 {}，{by} 于 {at} 填报{}），未写入任何内容。\n\
                     如需将 {value} 作为修订录入（原数据予以保留），请运行：\n  {command}",
                    standing.period,
                    standing.source.as_ref().map(|s| format!("，来源 {s}")).unwrap_or_default(),
                ),
                format!(
                    "{target} already has a figure for {period}: {old} {unit} (logged as {} by {by} at {at}{}); \
                     nothing was written.\nTo log {value} as a revision (the earlier figure is kept), run:\n  \
                     {command}",
                    standing.period,
                    standing.source.as_ref().map(|s| format!(", source {s}")).unwrap_or_default(),
                )
            ))
        }
        Err(error @ StoreError::RevisionChangesNothing { .. }) => Err(error.into()),
        Err(StoreError::NothingToRevise { target, period }) => bail!(lang.choose(
            format!("{target} 在 {period} 尚无数据，无可修订；未写入任何内容。请去掉 --revise 和 --reason 直接录入"),
            format!(
                "{target} has no figure for {period} yet, so there is nothing to revise; nothing was written. Log it \
                 without --revise and --reason"
            )
        )),
        Err(other) => Err(other.into()),
    }
}

/// The operating-system user, for "who logged it" when `--by` is not given: `USER`,
/// `LOGNAME` or `USERNAME` (Windows) when set and not blank, else the name the system
/// gives the process's user id (a cron job or `env -i` has none of those variables,
/// but the system still knows who runs it), else `uid N`; "unknown" only where
/// neither exists.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|key| std::env::var(key).ok())
        .map(|name| name.trim().to_string())
        .find(|name| !name.is_empty())
        .or_else(system_user)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The name of the user running this process, from `/etc/passwd`, without a C call:
/// `/proc/self` belongs to the process's user id.
#[cfg(unix)]
fn system_user() -> Option<String> {
    use std::os::unix::fs::MetadataExt as _;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    Some(user_in_passwd(&passwd, uid).unwrap_or_else(|| format!("uid {uid}")))
}

#[cfg(not(unix))]
fn system_user() -> Option<String> {
    None
}

/// The name `passwd` (the `/etc/passwd` format: `name:x:uid:gid:…`) gives `uid`.
fn user_in_passwd(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?.trim();
        let id: u32 = fields.nth(1)?.trim().parse().ok()?;
        (id == uid && !name.is_empty() && !name.starts_with('#')).then(|| name.to_string())
    })
}

/// Trims optional text; blank text is no text.
pub fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_name_is_found_by_uid_in_passwd() {
        let passwd =
            "# comment:x:0:0\nroot:x:0:0:root:/root:/bin/bash\nli:x:1000:1000:Li Wei,,,:/home/li:/bin/bash\nbad line\n";
        assert_eq!(user_in_passwd(passwd, 0).as_deref(), Some("root"));
        assert_eq!(user_in_passwd(passwd, 1000).as_deref(), Some("li"));
        assert_eq!(user_in_passwd(passwd, 1001), None);
        assert_eq!(user_in_passwd("", 0), None);
    }
}
