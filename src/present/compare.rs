//! Every text of a family's comparison (`compare`, `report --parent`, `chart --parent`):
//! headings, headers, ranks and their change, and the cells of a ranking table, in
//! both languages.

use crate::compare::{By, Comparison, Indicator, Row};
use crate::lang::Lang;
use crate::numbers::format_share;
use crate::period::Period;
use crate::plan::{Plan, Target};

/// What the family is ranked by: `按数值排名` / `ranked by value`.
pub fn ranked_by(by: By, lang: Lang) -> &'static str {
    match (by, lang) {
        (By::Value, Lang::Zh) => "按数值排名",
        (By::Value, Lang::En) => "ranked by value",
        (By::Progress, Lang::Zh) => "按完成目标进度排名",
        (By::Progress, Lang::En) => "ranked by progress against each plan's own target",
    }
}

/// The title over a family's comparison: `zhengzhou-2020 所属计划比较（截至 2020年三季度，按数值排名）`.
pub fn title(parent: &str, parent_org: Option<&str>, as_of: Period, by: By, lang: Lang) -> String {
    let who = match parent_org {
        Some(org) => format!("{org}（{parent}）"),
        None => parent.to_string(),
    };
    match lang {
        Lang::Zh => format!("{who} 所属计划比较（截至 {}，{}）", super::period(as_of, lang), ranked_by(by, lang)),
        Lang::En => {
            let who = match parent_org {
                Some(org) => format!("{org} ({parent})"),
                None => parent.to_string(),
            };
            format!("The family of {who}: comparison as of {}, {}", super::period(as_of, lang), ranked_by(by, lang))
        }
    }
}

/// An indicator's heading: `地区生产总值增速（gdp-growth）` / `GDP growth (gdp-growth)`.
pub fn indicator_heading(target: &Target, lang: Lang) -> String {
    let name = lang.name(&target.name, Some(&target.name_en));
    match lang {
        Lang::Zh => format!("{name}（{}）", target.code),
        Lang::En => format!("{name} ({})", target.code),
    }
}

/// The line under an indicator's table: which period the rank change is measured from.
pub fn change_since(previous: Option<Period>, lang: Lang) -> String {
    match (previous, lang) {
        (Some(period), Lang::Zh) => format!("位次变化：与 {} 相比（↑ 上升，↓ 下降）", super::period(period, lang)),
        (Some(period), Lang::En) => format!("change in rank since {} (↑ up, ↓ down)", super::period(period, lang)),
        (None, Lang::Zh) => "位次变化：本期为该指标报送频率的首期，无上期可比".to_string(),
        (None, Lang::En) => "change in rank: this is the indicator's first period, nothing to compare with".to_string(),
    }
}

/// The headers of a ranking table.
pub fn headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["位次", "位次变化", "计划", "单位", "数值", "期别", "目标", "状态", "差距", "进度"],
        &["rank", "change", "plan", "organisation", "figure", "period", "goal", "status", "gap", "progress"],
    )
}

/// A rank, or `-` for a plan without the figure or the indicator.
pub fn rank(rank: Option<u32>) -> String {
    rank.map_or_else(|| "-".to_string(), |rank| rank.to_string())
}

/// A change in rank: `↑2`, `↓1`, `0`, or `-` without a rank then or now.
pub fn rank_change(change: Option<i64>) -> String {
    match change {
        None => "-".to_string(),
        Some(0) => "0".to_string(),
        Some(up) if up > 0 => format!("↑{up}"),
        Some(down) => format!("↓{}", -down),
    }
}

/// Said in a cell where a plan has no such target: `无此指标` / `not in plan`.
pub fn not_in_plan(lang: Lang) -> &'static str {
    lang.pick("无此指标", "not in plan")
}

/// The cells of one row of a ranking table, in [`headers`]' order. `plan` is the
/// row's member plan.
pub fn cells(plan: &Plan, indicator: &Indicator, row: &Row, lang: Lang) -> Vec<String> {
    let org = lang.name(&plan.org, plan.org_en.as_deref()).to_string();
    let Some(target) = plan.target(&indicator.code).filter(|_| row.has_indicator) else {
        let mut cells = vec![rank(None), rank_change(None), plan.id.clone(), org, not_in_plan(lang).to_string()];
        cells.resize(headers(lang).len(), String::new());
        return cells;
    };
    vec![
        rank(row.rank),
        rank_change(row.rank_change),
        plan.id.clone(),
        org,
        row.value.map(|value| super::figure(value, &target.unit)).unwrap_or_else(|| "-".to_string()),
        row.period.map(|period| super::target_period(period, target.is_year_to_date(), lang)).unwrap_or_default(),
        super::goal_words(plan, target, lang),
        row.status.map(|status| super::status_with_overdue(status, row.overdue, lang)).unwrap_or_default(),
        row.gap.map(|gap| super::gap(gap, &target.unit, lang)).unwrap_or_default(),
        row.progress.map(format_share).unwrap_or_default(),
    ]
}

/// The target an indicator is named by: the first plan's that has it.
pub fn indicator_target<'a>(plans: &[&'a Plan], indicator: &Indicator) -> Option<&'a Target> {
    plans.get(indicator.first).and_then(|plan| plan.target(&indicator.code))
}

/// The label of the family's size among a report's facts.
pub fn family_label(lang: Lang) -> &'static str {
    lang.pick("比较范围", "Compared")
}

/// The heading of the family report's counts per plan.
pub fn counts_heading(lang: Lang) -> &'static str {
    lang.pick("各计划目标状态", "Targets by status, plan by plan")
}

/// The heading over the rankings.
pub fn rankings_heading(lang: Lang) -> &'static str {
    lang.pick("各指标位次", "Rankings, indicator by indicator")
}

/// The heading of what is overdue, district by district.
pub fn overdue_heading(lang: Lang) -> &'static str {
    lang.pick("未报送数据（按计划）", "Overdue figures, plan by plan")
}

/// The family report's counts per plan: organisation, each status, overdue, total.
pub fn counts_headers(lang: Lang) -> Vec<&'static str> {
    let mut headers = vec![lang.pick("单位", "organisation")];
    headers.extend(crate::status::Status::ALL.iter().map(|&status| super::status(status, lang)));
    headers.push(super::overdue(lang));
    headers.push(super::report::total(lang));
    headers
}

/// The workbook's ranking sheet: numbers in columns of their own.
pub fn ranking_figures_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["位次", "位次变化", "计划", "单位", "数值", "计量单位", "期别", "目标值", "目标", "状态", "差距", "进度"],
        &[
            "rank",
            "change in rank",
            "plan",
            "organisation",
            "figure",
            "unit",
            "period",
            "target",
            "goal",
            "status",
            "gap",
            "progress",
        ],
    )
}

/// What is overdue, plan by plan.
pub fn overdue_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(&["单位", "指标", "应报期别", "牵头单位"], &["organisation", "target", "due for", "lead unit"])
}

/// The footnote of the family report: how ranks are decided.
pub fn footnote(lang: Lang) -> &'static str {
    lang.pick(
        "位次：同值同位（1、2、2、4）；无此指标或无数据的计划不排位，记为“-”，列于最后。按数值排名时数值高者在前，\
         “不高于”类目标数值低者在前；按进度排名时比较各计划完成自身目标的程度。只比较数据与目标，不比较报送次数或登录情况。",
        "Ranks: equal figures share a rank (1, 2, 2, 4); a plan without the indicator or without a figure has no rank \
         (\"-\") and comes last. By value, higher ranks first, lower for an \"at most\" target; by progress, each plan's \
         progress against its own target. Only figures against targets are ranked, never how often anyone reported.",
    )
}

/// Under a comparison chart's title: `截至 2020年三季度 · 按数值排名`.
pub fn chart_subtitle(as_of: Period, by: By, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截至 {} · {}", super::period(as_of, lang), ranked_by(by, lang)),
        Lang::En => format!("as of {} · {}", super::period(as_of, lang), ranked_by(by, lang)),
    }
}

/// The legend of the dark tick each bar is measured against.
pub fn own_target_legend(lang: Lang) -> &'static str {
    lang.pick("各自目标", "each plan's own target")
}

/// Where a plan has the indicator but no figure yet.
pub fn no_figure(lang: Lang) -> &'static str {
    lang.pick("无数据", "no figure")
}

/// Under a comparison chart: how ranks are decided and what the change is measured from.
pub fn chart_footnote(previous: Option<Period>, lang: Lang) -> String {
    let since = change_since(previous, lang);
    match lang {
        Lang::Zh => format!("位次按排名先后排列，同值同位；“-”为无数据或无此指标。{since}"),
        Lang::En => {
            let since = since.strip_prefix("change").map_or(since.clone(), |rest| format!("Change{rest}"));
            format!("Sorted by rank; equal figures share a rank; \"-\": no figure or no such target. {since}")
        }
    }
}

/// The family overview chart's title.
pub fn overview_title(parent: &str, as_of: Period, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{parent} 所属计划目标状态（截至 {}）", super::period(as_of, lang)),
        Lang::En => format!("Targets by status in the family of {parent} (as of {})", super::period(as_of, lang)),
    }
}

/// Beside a plan's bar in the overview: `49 项 · 未报送 3` / `49 targets · 3 overdue`.
pub fn targets_and_overdue(targets: usize, overdue: usize, lang: Lang) -> String {
    match (lang, overdue) {
        (Lang::Zh, 0) => format!("{targets} 项"),
        (Lang::Zh, n) => format!("{targets} 项 · 未报送 {n}"),
        (Lang::En, 0) => format!("{targets} targets"),
        (Lang::En, n) => format!("{targets} targets · {n} overdue"),
    }
}

/// `4 个计划 · 3 项指标` / `4 plans · 3 indicators`.
pub fn family_size(plans: usize, comparison: &Comparison, lang: Lang) -> String {
    let indicators = comparison.indicators.len();
    match lang {
        Lang::Zh => format!("{plans} 个计划 · {indicators} 项指标"),
        Lang::En => {
            let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
            format!("{} · {}", plural(plans, "plan"), plural(indicators, "indicator"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_and_changes_in_words() {
        assert_eq!([rank(Some(1)), rank(None)], ["1", "-"]);
        let changes: Vec<String> = [Some(2), Some(-1), Some(0), None].into_iter().map(rank_change).collect();
        assert_eq!(changes, ["↑2", "↓1", "0", "-"]);
    }
}
