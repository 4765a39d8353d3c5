//! The web desk's words: menu, forms, buttons and page titles, in both languages.
//! Statuses, figures, periods and goals come from the rest of `present`, as in
//! every other output.

use crate::lang::Lang;
use crate::report::Format;

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

/// When the dashboard's numbers were computed (`数据截至 16:00:02`, the plan's local
/// time): the desk serves one computed view to every reader for up to a second.
pub fn computed_at(time: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("数据截至 {time}"),
        Lang::En => format!("Figures as of {time}"),
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

pub fn review(lang: Lang) -> &'static str {
    lang.pick("审核", "Review")
}

pub fn reports(lang: Lang) -> &'static str {
    lang.pick("报告", "Reports")
}

pub fn accounts(lang: Lang) -> &'static str {
    lang.pick("账户", "Accounts")
}

pub fn reports_intro(lang: Lang) -> &'static str {
    lang.pick(
        "下载的报告与命令行 ontrack report 生成的完全相同。HTML 报告请保存后用浏览器打开。",
        "A download is exactly what ontrack report writes. Save the HTML report and open it in a browser.",
    )
}

pub fn report_as_of(lang: Lang) -> &'static str {
    lang.pick("截至期", "As of")
}

pub fn report_latest(lang: Lang) -> &'static str {
    lang.pick("最新（有数据的最近一期）", "Latest (the latest period with a figure)")
}

pub fn report_approved_only(lang: Lang) -> &'static str {
    lang.pick("只计已审核的数据", "Count approved figures only")
}

/// A download button by the report's format.
pub fn report_format(format: Format, lang: Lang) -> &'static str {
    match format {
        Format::Html => lang.pick("HTML 网页", "HTML page"),
        Format::Xlsx => lang.pick("Excel 工作簿", "Excel workbook"),
        Format::Md => "Markdown",
        Format::Csv => "CSV",
        Format::Json => "JSON",
    }
}

pub fn report_unknown_format(lang: Lang) -> String {
    lang.pick("请选择报告格式：html、xlsx、md、csv 或 json", "choose a report format: html, xlsx, md, csv or json")
        .to_string()
}

pub fn account_actions(lang: Lang) -> &'static str {
    lang.pick("操作", "actions")
}

pub fn disable_account(lang: Lang) -> &'static str {
    lang.pick("停用", "Disable")
}

pub fn enable_account(lang: Lang) -> &'static str {
    lang.pick("启用", "Enable")
}

pub fn reset_password(lang: Lang) -> &'static str {
    lang.pick("重置密码", "Reset password")
}

pub fn add_account(lang: Lang) -> &'static str {
    lang.pick("新增账户", "Add an account")
}

pub fn account_name_rules(lang: Lang) -> &'static str {
    lang.pick("1–64 个英文字母、数字和 . _ -，如 zhang.wei", "1–64 letters, digits and . _ -, such as zhang.wei")
}

pub fn role(lang: Lang) -> &'static str {
    lang.pick("角色", "Role")
}

pub fn lead_unit_for_filers(lang: Lang) -> &'static str {
    lang.pick("牵头单位（仅填报员）", "Lead unit (filers only)")
}

pub fn unknown_role(lang: Lang) -> String {
    lang.pick("请选择角色：填报员、审核员、领导或管理员", "choose a role: filer, reviewer, leader or administrator")
        .to_string()
}

pub fn account_added(lang: Lang) -> &'static str {
    lang.pick("已新增账户", "Account added")
}

pub fn password_reset(lang: Lang) -> &'static str {
    lang.pick("已重置密码", "Password reset")
}

/// Above a one-time password on the page that shows it.
pub fn one_time_password_for(name: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("账户 {name} 的一次性密码："),
        Lang::En => format!("The one-time password of {name}:"),
    }
}

pub fn one_time_password_once(lang: Lang) -> &'static str {
    lang.pick(
        "请当面或以安全方式交给本人；首次登录后必须修改。此密码只显示这一次，离开本页后无法再查看。",
        "Hand it over in person or securely; it must be changed at the first sign-in. It is shown this once and cannot be seen again after you leave this page.",
    )
}

pub fn back_to_accounts(lang: Lang) -> &'static str {
    lang.pick("返回账户列表", "Back to the accounts")
}

// `ontrack demo --serve`.

/// Why `demo --serve` will not listen on `bind`.
pub fn demo_bind_refused(bind: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "演示只在本机回环地址上提供服务（如 127.0.0.1:8080），不能用 {bind}：演示账户的密码会显示在屏幕上。未做任何改动。要在网络上使用，请在正式数据库上运行 `ontrack serve --bind {bind}`"
        ),
        Lang::En => format!(
            "the demo serves on a loopback address only (such as 127.0.0.1:8080), not {bind}: its accounts' passwords are on the screen. Nothing was changed. To serve a network, run `ontrack serve --bind {bind}` on a real database"
        ),
    }
}

pub fn demo_accounts_heading(lang: Lang) -> &'static str {
    lang.pick(
        "演示账户（仅用于本演示数据库；密码随机生成，只显示这一次）：",
        "demo accounts (for this demo database only; random passwords, shown this once):",
    )
}

/// One demo account: `  demo-filer     填报员（区统计局）  <password>`; the password is
/// the line's last word.
pub fn demo_account_line(name: &str, role: &str, unit: Option<&str>, password: &str, lang: Lang) -> String {
    match (unit, lang) {
        (Some(unit), Lang::Zh) => format!("  {name:<14} {role}（{unit}）  {password}"),
        (Some(unit), Lang::En) => format!("  {name:<14} {role} ({unit})  {password}"),
        (None, _) => format!("  {name:<14} {role}  {password}"),
    }
}

// The family's comparison (`/compare`).

pub fn compare(lang: Lang) -> &'static str {
    lang.pick("区县比较", "Compare")
}

pub fn family(lang: Lang) -> &'static str {
    lang.pick("上级计划", "Parent plan")
}

pub fn rank_by(lang: Lang) -> &'static str {
    lang.pick("排名依据", "Rank by")
}

pub fn no_family(lang: Lang) -> &'static str {
    lang.pick(
        "本数据库中没有计划指明上级计划（parent），无可比较的区县。",
        "No plan in this database names a parent plan, so there is no family to compare.",
    )
}

/// The dashboard of a plan without figures yet.
pub fn dashboard_empty(lang: Lang) -> &'static str {
    lang.pick(
        "尚无数据：各单位在“填报”页录入数据后，这里将显示各项指标的进度。",
        "No figures yet: once units enter figures on the Entry page, the targets' progress shows here.",
    )
}
