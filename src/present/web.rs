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
