//! The web desk's words: menu, forms, buttons and page titles, in both languages.
//! Statuses, figures, periods and goals come from the rest of `present`, as in
//! every other output.

use crate::lang::Lang;

pub fn desk_name(lang: Lang) -> &'static str {
    lang.pick("ontrack 指标填报与审核", "ontrack desk")
}

pub fn dashboard(lang: Lang) -> &'static str {
    lang.pick("总览", "Dashboard")
}

pub fn sign_in(lang: Lang) -> &'static str {
    lang.pick("登录", "Sign in")
}

pub fn sign_out(lang: Lang) -> &'static str {
    lang.pick("退出", "Sign out")
}

pub fn user_name(lang: Lang) -> &'static str {
    lang.pick("用户名", "User name")
}

pub fn password(lang: Lang) -> &'static str {
    lang.pick("密码", "Password")
}

pub fn change_password(lang: Lang) -> &'static str {
    lang.pick("修改密码", "Change password")
}

pub fn old_password(lang: Lang) -> &'static str {
    lang.pick("原密码", "Current password")
}

pub fn new_password(lang: Lang) -> &'static str {
    lang.pick("新密码", "New password")
}

pub fn password_rules(lang: Lang) -> &'static str {
    lang.pick(
        "至少 8 个字符，不能是常见密码，不能包含用户名；一句好记的话最好",
        "At least 8 characters, not a common password, not containing your user name; a phrase you remember works best",
    )
}

pub fn must_change_password(lang: Lang) -> &'static str {
    lang.pick(
        "您使用的是一次性密码。请先设置自己的密码，之后才能使用其他功能。",
        "You signed in with a one-time password. Set your own password before anything else.",
    )
}

pub fn wrong_old_password(lang: Lang) -> &'static str {
    lang.pick("原密码不正确", "the current password is wrong")
}

pub fn back_home(lang: Lang) -> &'static str {
    lang.pick("返回总览", "Back to the dashboard")
}

/// The title of an error page by its status code.
pub fn problem_title(status: u16, lang: Lang) -> &'static str {
    match status {
        401 => lang.pick("需要登录", "Sign-in needed"),
        403 => lang.pick("无权访问", "Not allowed"),
        404 => lang.pick("找不到", "Not found"),
        409 => lang.pick("与现有数据冲突", "Conflict"),
        422 => lang.pick("数据有误", "Bad data"),
        429 => lang.pick("尝试次数过多", "Too many attempts"),
        _ => lang.pick("出错了", "Something went wrong"),
    }
}

pub fn status_counts(lang: Lang) -> &'static str {
    lang.pick("各状态指标数", "Targets by status")
}

pub fn overview(lang: Lang) -> &'static str {
    lang.pick("总体进度", "Overview")
}

pub fn attention(lang: Lang) -> &'static str {
    lang.pick("需要关注", "Needs attention")
}

pub fn nothing_needs_attention(lang: Lang) -> &'static str {
    lang.pick("目前没有滞后或逾期未报的指标。", "No target is behind or overdue.")
}

/// The dashboard's heading: `金水区 2020 年目标 · 截至 2020年1-9月`.
pub fn dashboard_heading(org: &str, year: i32, as_of: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{org} {year} 年目标 · 截至 {as_of}"),
        Lang::En => format!("{org} {year} targets · as of {as_of}"),
    }
}

pub fn overdue(lang: Lang) -> &'static str {
    lang.pick("逾期未报", "overdue")
}

/// What `serve` prints when it starts.
pub fn serving(url: &str, db: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("网页填报已启动：{url}（数据库 {db}）；按 Ctrl-C 停止"),
        Lang::En => format!("the web desk is serving {url} (database {db}); press Ctrl-C to stop"),
    }
}

/// What `serve` adds when no account exists yet: there is no default account.
pub fn no_accounts_yet(lang: Lang) -> &'static str {
    lang.pick(
        "尚无任何账户（没有默认账户）：请先运行 `ontrack user add 用户名 --role admin` 创建第一个管理员",
        "there is no account yet (there is no default account): add the first administrator with `ontrack user add NAME --role admin`",
    )
}

// Entering figures (the entry form and `POST /api/v1/figures`).

pub fn entry(lang: Lang) -> &'static str {
    lang.pick("填报", "Enter figures")
}

pub fn entry_heading(period: &str, lang: Lang) -> String {
    lang.choose(format!("{period} 数据填报"), format!("Figures for {period}"))
}

pub fn choose_period(lang: Lang) -> &'static str {
    lang.pick("报告期", "Period")
}

pub fn show_period(lang: Lang) -> &'static str {
    lang.pick("切换", "Show")
}

pub fn no_period_ended(lang: Lang) -> &'static str {
    lang.pick("本年度尚无已结束的报告期", "no period of the plan's year has ended yet")
}

pub fn nothing_due(lang: Lang) -> &'static str {
    lang.pick("本单位在该报告期没有需要填报的指标", "your unit has no target due for this period")
}

pub fn entry_hint(lang: Lang) -> &'static str {
    lang.pick(
        "只填写要报送的指标；留空的行不保存。已有数据的指标再次填报即为修订，须填写修订原因。全部无误才会保存。",
        "Fill in only the targets you report; blank rows are not saved. A target that has a figure already is \
         revised, which needs a reason. Nothing is saved unless every row is right.",
    )
}

pub fn goal(lang: Lang) -> &'static str {
    lang.pick("目标", "Goal")
}

pub fn current_figure(lang: Lang) -> &'static str {
    lang.pick("现有数据", "Current figure")
}

pub fn no_figure_yet(lang: Lang) -> &'static str {
    lang.pick("尚未填报", "none yet")
}

pub fn value(lang: Lang) -> &'static str {
    lang.pick("数值", "Value")
}

pub fn source(lang: Lang) -> &'static str {
    lang.pick("来源", "Source")
}

pub fn note(lang: Lang) -> &'static str {
    lang.pick("备注", "Note")
}

pub fn revision_reason(lang: Lang) -> &'static str {
    lang.pick("修订原因", "Reason for the revision")
}

pub fn returned_because(reason: &str, lang: Lang) -> String {
    lang.choose(format!("退回原因：{reason}"), format!("Returned: {reason}"))
}

pub fn locked(lang: Lang) -> &'static str {
    lang.pick(
        "已审核，已锁定；如需修改请联系统计局重新打开",
        "approved and locked; ask the statistics office to reopen it",
    )
}

pub fn submit_entry(lang: Lang) -> &'static str {
    lang.pick("保存全部", "Save all")
}

pub fn saved(count: usize, lang: Lang) -> String {
    lang.choose(
        format!("已保存 {count} 条数据，等待统计局审核"),
        format!("{count} figure{} saved, awaiting review", if count == 1 { "" } else { "s" }),
    )
}

pub fn entry_refused(lang: Lang) -> &'static str {
    lang.pick("未保存任何数据，请修改下列问题后重新提交：", "Nothing was saved; fix the problems below and save again:")
}

pub fn nothing_entered(lang: Lang) -> &'static str {
    lang.pick(
        "没有填写任何数值；请至少填写一个指标的数值",
        "no value was entered; enter the value of at least one target",
    )
}

pub fn not_json(error: &str, lang: Lang) -> String {
    lang.choose(
        format!("请求内容不是有效的 JSON（{error}）；应为数组：[{{\"target\", \"period\", \"value\", …}}]"),
        format!("the body is not valid JSON ({error}); send an array: [{{\"target\", \"period\", \"value\", …}}]"),
    )
}

pub fn not_an_array(lang: Lang) -> &'static str {
    lang.pick(
        "请求内容应为数组：[{\"target\", \"period\", \"value\", …}]",
        "the body must be an array: [{\"target\", \"period\", \"value\", …}]",
    )
}

pub fn not_an_object(lang: Lang) -> &'static str {
    lang.pick(
        "每一项应为对象：{\"target\", \"period\", \"value\", \"source\", \"note\", \"reason\"}",
        "each item must be an object: {\"target\", \"period\", \"value\", \"source\", \"note\", \"reason\"}",
    )
}

// Reviewing, completeness and the target page.

pub fn review_queue(lang: Lang) -> &'static str {
    lang.pick("审核", "Review")
}

pub fn completeness(lang: Lang) -> &'static str {
    lang.pick("报送完整性", "Completeness")
}

pub fn period_field(lang: Lang) -> &'static str {
    lang.pick("期别", "Period")
}

pub fn lead_unit_field(lang: Lang) -> &'static str {
    lang.pick("牵头单位", "Lead unit")
}

pub fn show(lang: Lang) -> &'static str {
    lang.pick("显示", "Show")
}

pub fn awaiting_review(lang: Lang) -> &'static str {
    lang.pick("待审核", "Awaiting review")
}

pub fn reviewed_or_returned(lang: Lang) -> &'static str {
    lang.pick("已审核或已退回", "Approved or returned")
}

pub fn nothing_awaiting(lang: Lang) -> &'static str {
    lang.pick("没有待审核的数据。", "No figure awaits review.")
}

pub fn nothing_reviewed(lang: Lang) -> &'static str {
    lang.pick("没有已审核或已退回的数据。", "No figure is approved or returned.")
}

pub fn pick(lang: Lang) -> &'static str {
    lang.pick("选择", "Pick")
}

/// The headers of a review list: pick, target, period, value, lead unit, logged by, state.
pub fn review_headers(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => ["选择", "指标", "期别", "数值", "牵头单位", "填报", "状态"],
        Lang::En => ["Pick", "Target", "Period", "Value", "Lead unit", "Logged", "State"],
    }
}

pub fn reason_field(lang: Lang) -> &'static str {
    lang.pick("原因（退回、重新打开、作废时必填）", "Reason (needed to return, reopen or void)")
}

pub fn approve(lang: Lang) -> &'static str {
    lang.pick("审核通过", "Approve")
}

pub fn give_back(lang: Lang) -> &'static str {
    lang.pick("退回", "Return")
}

pub fn reopen(lang: Lang) -> &'static str {
    lang.pick("重新打开", "Reopen")
}

pub fn void(lang: Lang) -> &'static str {
    lang.pick("作废", "Void")
}

/// The notice after a review: `已处理 3 条数据`.
pub fn reviewed(count: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已处理 {count} 条数据。"),
        Lang::En if count == 1 => "1 figure done.".to_string(),
        Lang::En => format!("{count} figures done."),
    }
}

pub fn pick_a_figure(lang: Lang) -> &'static str {
    lang.pick("请至少选择一条数据", "pick at least one figure")
}

pub fn read_only_review(lang: Lang) -> &'static str {
    lang.pick("只有审核员可以审核；您可以查看。", "Only reviewers review; you may look.")
}

pub fn late(lang: Lang) -> &'static str {
    lang.pick("逾期", "late")
}

pub fn figures_heading(lang: Lang) -> &'static str {
    lang.pick("数据", "Figures")
}

pub fn history_heading(lang: Lang) -> &'static str {
    lang.pick("修订与审核记录", "History")
}

/// The headers of a target's figures: period, value, state, logged by, when, source, note, reason.
pub fn target_figure_headers(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => ["期别", "数值", "状态", "填报人", "时间", "来源", "备注", "原因"],
        Lang::En => ["Period", "Value", "State", "By", "When", "Source", "Note", "Reason"],
    }
}

pub fn revised(lang: Lang) -> &'static str {
    lang.pick("已被修订", "revised")
}

pub fn no_figures(lang: Lang) -> &'static str {
    lang.pick("尚无数据。", "No figures yet.")
}
