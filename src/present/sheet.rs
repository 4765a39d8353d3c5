//! The words of `ontrack status`'s progress sheet around its figures: the title, the
//! column headers, "no target matches" and the closing counts.

use crate::lang::Lang;

/// Where the figures stand (`as_of`, the period in words):
/// `金水区 2020 年目标进展（计划 jinshui-2020，截至 2020年三季度）`.
pub fn title(org: &str, year: i32, plan: &str, as_of: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{org} {year} 年目标进展（计划 {plan}，截至 {as_of}）"),
        Lang::En => format!("{org}: {year} targets (plan {plan}), as of {as_of}"),
    }
}

/// What the title adds for figures as recorded at a moment (`moment` as written).
pub fn as_recorded(moment: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("，按 {moment} 时的记录"),
        Lang::En => format!(", as recorded at {moment}"),
    }
}

/// In place of the tables when the filters leave no target.
pub fn no_match(lang: Lang) -> &'static str {
    lang.pick("没有符合条件的指标。", "No target matches.")
}

/// The sheet's column headers.
pub fn headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["代码", "指标", "目标", "最新数", "期别", "差距", "进度 / 序时", "每期还需", "状态", "报送"],
        &[
            "code",
            "target",
            "goal",
            "latest",
            "period",
            "gap",
            "progress / pace",
            "needed per period",
            "status",
            "report",
        ],
    )
}

/// The closing line (`counts`, each status in words with its count, already joined):
/// `共 50 项：已完成 2 · … · 无数据 39；未报送 12`.
pub fn counts(total: usize, counts: &str, overdue_mark: &str, overdue: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("共 {total} 项：{counts}；{overdue_mark} {overdue}"),
        Lang::En => format!("{total} targets: {counts}; {overdue_mark} {overdue}"),
    }
}

/// A note under a section of the sheet for a figure the office returned, so the unit
/// sees why where it looks: `已退回 地区生产总值增速 2020年三季度 6.1 %（统计科，
/// 2020-10-24 11:00（北京时间））：口径不对；请重新报送` / `returned: GDP growth 2020Q3 6.1 %
/// (统计科, …): reason; log it again`.
pub fn returned_note(name: &str, period: &str, figure: &str, by: &str, at: &str, reason: &str, lang: Lang) -> String {
    lang.choose(
        format!("已退回 {name} {period} {figure}（{by}，{at}）：{reason}；请重新报送"),
        format!("returned: {name} {period} {figure} ({by}, {at}): {reason}; log it again"),
    )
}
