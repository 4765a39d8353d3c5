//! The texts the commands print about figures, targets and plans: table headers, count
//! lines and summaries of what a command did (`check`, `targets`, `plan`, `history`,
//! `chart`, `record`, `init`). Errors are not here: each error says itself beside the
//! code that raises it.

use crate::actual::NewActual;
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::period::{Frequency, Period};
use crate::plan::Plan;

/// How often a target is reported: `季报` / `quarter`.
pub fn frequency(frequency: Frequency, lang: Lang) -> &'static str {
    lang.pick(frequency.label_zh(), frequency.as_str())
}

/// `ontrack check`'s table.
pub fn check_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(&["检查", "内容", "结果"], &["check", "what it checks", "result"])
}

/// A check that found nothing wrong: `通过` / `ok`.
pub fn check_passed(lang: Lang) -> &'static str {
    lang.pick("通过", "ok")
}

/// `ontrack targets`' table.
pub fn targets_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["板块", "代码", "指标", "目标", "类型", "报送频率", "牵头单位"],
        &["section", "code", "target", "goal", "kind", "frequency", "lead unit"],
    )
}

/// The line under `ontrack targets`' table: `共 49 项指标（计划 jinshui-2020）`.
pub fn targets_count(count: usize, plan_id: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("共 {count} 项指标（计划 {plan_id}）"),
        Lang::En => format!("{count} targets (plan {plan_id})"),
    }
}

/// `ontrack plan list`'s table.
pub fn plans_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["计划", "单位", "年度", "指标数", "数据条数", "载入时间"],
        &["plan", "organisation", "year", "targets", "figures", "loaded"],
    )
}

/// A plan's id in `plan list`'s table, indented under its parent: `└ jinshui-2020`.
pub fn plan_in_family(id: &str, depth: usize) -> String {
    match depth {
        0 => id.to_string(),
        depth => format!("{}└ {id}", "  ".repeat(depth - 1)),
    }
}

/// The note under `plan list` for a plan whose parent is not loaded (yet).
pub fn parent_not_loaded(plan: &str, parent: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "注意：计划 {plan} 的上级计划 {parent} 尚未载入；载入后 `ontrack compare --parent {parent}` 方可比较"
        ),
        Lang::En => format!(
            "note: plan {plan} names {parent} as its parent, which is not loaded yet; load it to use \
             `ontrack compare --parent {parent}`"
        ),
    }
}

/// `ontrack plan show`'s table of sections.
pub fn sections_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(&["板块", "标题", "指标数"], &["section", "title", "targets"])
}

/// The label of a plan's source document: `来源` / `source`.
pub fn source(lang: Lang) -> &'static str {
    lang.pick("来源", "source")
}

/// The label of a plan's at-risk and off-track thresholds.
pub fn thresholds(lang: Lang) -> &'static str {
    lang.pick("预警/滞后阈值（落后序时进度百分点）", "at-risk / off-track thresholds (points behind pace)")
}

/// `ontrack history`'s table.
pub fn history_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["期间", "数值", "版本", "现行", "状态", "来源", "填报人", "登记时间", "备注", "修订原因", "编号"],
        &["period", "value", "revision", "current", "state", "source", "by", "recorded", "note", "reason", "id"],
    )
}

/// The line above a history seen as it stood at a moment (`moment` already written).
pub fn as_recorded_at(moment: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截至 {moment} 已登记的数据"),
        Lang::En => format!("as recorded at {moment}"),
    }
}

/// A target's history without figures: `尚无数据` / `no figures yet`.
pub fn no_figures_yet(lang: Lang) -> &'static str {
    lang.pick("尚无数据", "no figures yet")
}

/// The mark of a figure recorded under a set clock: `（设定时钟）` / `(set clock)`.
pub fn set_clock(lang: Lang) -> &'static str {
    lang.pick("（设定时钟）", "(set clock)")
}

/// What `ontrack chart` wrote: `已生成 12 张图表，保存在 charts（截至 2020Q3）`.
pub fn charts_written(count: usize, dir: &str, as_of: Period, lang: Lang) -> String {
    let as_of = super::period_code(as_of);
    match lang {
        Lang::Zh => format!("已生成 {count} 张图表，保存在 {dir}（截至 {as_of}）"),
        Lang::En => format!("wrote {count} charts to {dir} (as of {as_of})"),
    }
}

/// What `ontrack record` logged: `已记录数据 #7：new-roads 2020Q3 = 12 条（填报人 王芳）`.
pub fn recorded(id: i64, figure: &NewActual, unit: &str, lang: Lang) -> String {
    let (target, period, value, by) = (&figure.target, figure.period, format_number(figure.value), &figure.recorded_by);
    let revision = figure.revision_reason.is_some();
    match lang {
        Lang::Zh => {
            let what = if revision { "修订" } else { "数据" };
            format!("已记录{what} #{id}：{target} {period} = {value} {unit}（填报人 {by}）")
        }
        Lang::En => {
            let what = if revision { "revision" } else { "figure" };
            format!("recorded {what} #{id}: {target} {period} = {value} {unit} (by {by})")
        }
    }
}

/// A plan file in one line: `计划 p（金水区 2020 年）：49 项指标，6 个板块`.
pub fn plan_summary(plan: &Plan, lang: Lang) -> String {
    let (id, org, year) = (&plan.id, &plan.org, plan.year);
    let (targets, sections) = (plan.targets().len(), plan.sections.len());
    match lang {
        Lang::Zh => format!("计划 {id}（{org} {year} 年）：{targets} 项指标，{sections} 个板块"),
        Lang::En => format!("plan {id} ({org} {year}): {targets} targets in {sections} sections"),
    }
}

/// What `ontrack plan import` loaded (`summary` from [`plan_summary`]).
pub fn plan_loaded(summary: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已载入{summary}"),
        Lang::En => format!("loaded {summary}"),
    }
}

/// What `ontrack plan import --dry-run` would load (`summary` from [`plan_summary`]).
pub fn plan_would_load(summary: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("试运行：将载入{summary}；未写入任何内容"),
        Lang::En => format!("dry run: would load {summary}; nothing was written"),
    }
}

/// What `ontrack init` made: the database, and the plan it loaded if any.
pub fn database_created(db: &str, plan: Option<&Plan>, lang: Lang) -> String {
    let Some(plan) = plan else {
        return match lang {
            Lang::Zh => format!("已创建数据库 {db}（未载入计划）"),
            Lang::En => format!("created {db}"),
        };
    };
    let (id, org, year, n) = (&plan.id, &plan.org, plan.year, plan.targets().len());
    match lang {
        Lang::Zh => format!("已创建数据库 {db}，并载入计划 {id}（{org} {year} 年，{n} 项指标）"),
        Lang::En => format!("created {db}, plan {id} ({org} {year}, {n} targets)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_in_both_languages() {
        let q3: Period = "2020Q3".parse().unwrap();
        assert_eq!(charts_written(3, "out", q3, Lang::Zh), "已生成 3 张图表，保存在 out（截至 2020Q3）");
        assert_eq!(charts_written(3, "out", q3, Lang::En), "wrote 3 charts to out (as of 2020Q3)");
        assert_eq!(targets_count(49, "p", Lang::Zh), "共 49 项指标（计划 p）");
        assert_eq!(targets_count(49, "p", Lang::En), "49 targets (plan p)");
        assert_eq!(frequency(Frequency::Quarter, Lang::En), "quarter");
        assert_eq!(as_recorded_at("2020-10-01 09:00", Lang::En), "as recorded at 2020-10-01 09:00");
        let mut figure = NewActual {
            target: "new-roads".to_string(),
            period: q3,
            value: 12.0,
            source: None,
            recorded_by: "王芳".to_string(),
            note: None,
            revision_reason: None,
        };
        assert_eq!(recorded(7, &figure, "条", Lang::Zh), "已记录数据 #7：new-roads 2020Q3 = 12 条（填报人 王芳）");
        figure.revision_reason = Some("最终核实".to_string());
        assert_eq!(recorded(8, &figure, "条", Lang::En), "recorded revision #8: new-roads 2020Q3 = 12 条 (by 王芳)");
        for headers in [check_headers, targets_headers, plans_headers, sections_headers, history_headers] {
            assert_eq!(headers(Lang::Zh).len(), headers(Lang::En).len());
        }
    }
}

/// `ontrack user list`'s table.
pub fn users_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["用户名", "角色", "牵头单位", "状态", "会话", "创建时间", "密码修改时间"],
        &["name", "role", "lead unit", "state", "sessions", "created", "password changed"],
    )
}

/// An account's state in `user list`: `可用`, `须改密码`, `已停用 2020-10-15 …`.
pub fn account_state(disabled_at: Option<&str>, must_change_password: bool, lang: Lang) -> String {
    match (disabled_at, must_change_password) {
        (Some(at), _) => lang.choose(format!("已停用 {at}"), format!("disabled {at}")),
        (None, true) => lang.pick("须修改一次性密码", "must change its one-time password").to_string(),
        (None, false) => lang.pick("可用", "active").to_string(),
    }
}

/// What `user add` and `user reset` print with a one-time password, which is shown
/// this once and never stored.
pub fn one_time_password(name: &str, password: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "账户 {name} 的一次性密码：{password}\n请当面或以安全方式交给本人；首次登录后必须修改。此密码不会再次显示。"
        ),
        Lang::En => format!(
            "one-time password for {name}: {password}\nHand it over in person or securely; it must be changed at the first sign-in. It will not be shown again."
        ),
    }
}

/// What `user add --password-stdin` prints.
pub fn user_added(name: &str, role: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已添加账户 {name}（{role}）"),
        Lang::En => format!("added account {name} ({role})"),
    }
}

/// What `user disable`, `enable` and `reset --password-stdin` print.
pub fn user_changed(name: &str, change: UserChange, lang: Lang) -> String {
    match (change, lang) {
        (UserChange::Disabled, Lang::Zh) => format!("已停用账户 {name}，其会话已全部结束"),
        (UserChange::Disabled, Lang::En) => format!("disabled account {name}; its sessions have ended"),
        (UserChange::Enabled, Lang::Zh) => format!("已启用账户 {name}"),
        (UserChange::Enabled, Lang::En) => format!("enabled account {name}"),
        (UserChange::PasswordSet, Lang::Zh) => format!("已为账户 {name} 设置新密码，其会话已全部结束"),
        (UserChange::PasswordSet, Lang::En) => format!("set a new password for {name}; its sessions have ended"),
    }
}

/// A change `user` made to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserChange {
    Disabled,
    Enabled,
    PasswordSet,
}

/// `ontrack audit`'s table.
pub fn audit_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["序号", "时间", "账户", "地址", "操作", "结果", "内容"],
        &["#", "at", "account", "address", "action", "outcome", "detail"],
    )
}

/// An audit line's outcome in words.
pub fn audit_outcome(key: &str, lang: Lang) -> &'static str {
    match key {
        "ok" => lang.pick("成功", "ok"),
        "denied" => lang.pick("无权限", "denied"),
        _ => lang.pick("被拒绝", "refused"),
    }
}
