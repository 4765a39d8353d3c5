//! The report's own words, for Markdown, HTML and the workbook alike: its title, the
//! facts under it, the headline, the section headings, "none", and the closing
//! footnote. The tables' headers are in [`super::headers`].

use chrono::{Datelike, NaiveDate};

use crate::lang::Lang;
use crate::status::Status;

/// The report's title: `金水区2020年度目标任务进展情况` /
/// `Jinshui District: 2020 targets — progress report`.
pub fn title(org: &str, year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{org}{year}年度目标任务进展情况"),
        Lang::En => format!("{org}: {year} targets — progress report"),
    }
}

/// The labels of the facts under the title, in this order: the plan, the as-of
/// period, when the report was made, which data.
pub fn facts(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => ["计划", "截至期", "生成时间", "数据", "计入"],
        Lang::En => ["Plan", "As of", "Made at", "Data", "Counted"],
    }
}

/// Which data the report is made from: the figures as recorded up to a moment
/// (`moment` as written, in UTC), or all of them.
pub fn data(as_recorded: Option<&str>, lang: Lang) -> String {
    match (as_recorded, lang) {
        (Some(moment), Lang::Zh) => format!("截至 {moment} 已录入的数据（按当时口径重现）"),
        (Some(moment), Lang::En) => format!("figures as recorded up to {moment} (reproduced as they stood then)"),
        (None, Lang::Zh) => "生成时已录入的全部数据（含最新修订）".to_string(),
        (None, Lang::En) => "all figures recorded when the report was made (latest revisions)".to_string(),
    }
}

/// A day: `2021年3月1日` / `2021-03-01`.
pub fn day(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", day.year(), day.month(), day.day()),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// The report in one sentence: how many targets (`total`), how many of each status
/// (`counts`), how many overdue, as of the period `as_of` in words.
pub fn headline(as_of: &str, total: usize, counts: &[(Status, usize)], overdue: usize, lang: Lang) -> String {
    let count =
        |wanted: &[Status]| -> usize { counts.iter().filter(|(s, _)| wanted.contains(s)).map(|(_, n)| n).sum() };
    let met = count(&[Status::Met]);
    let nearly = count(&[Status::NearlyMet]);
    let on_track = count(&[Status::OnTrack]);
    let warn = count(&[Status::AtRisk]);
    let short = count(&[Status::OffTrack, Status::Missed]);
    let no_data = count(&[Status::NoData]);
    match lang {
        Lang::Zh => {
            let mut parts = vec![format!("已完成 {met} 项")];
            for (n, label) in [
                (nearly, "基本完成"),
                (on_track, "进度正常"),
                (warn, "预警"),
                (short, "滞后或未完成"),
                (no_data, "尚无数据"),
            ] {
                if n > 0 {
                    parts.push(format!("{label} {n} 项"));
                }
            }
            let mut text = format!("截至{as_of}，{total} 项目标中{}", parts.join("，"));
            if overdue > 0 {
                text.push_str(&format!("；{overdue} 项应报数据未报送"));
            }
            text.push('。');
            text
        }
        Lang::En => {
            let mut parts = vec![format!("{met} met")];
            for (n, label) in [
                (nearly, "nearly met"),
                (on_track, "on track"),
                (warn, "at risk"),
                (short, "off track or missed"),
                (no_data, "without figures"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {label}"));
                }
            }
            let mut text = format!("As of {as_of}, of {total} targets: {}", parts.join(", "));
            if overdue > 0 {
                text.push_str(&format!("; {overdue} with a due figure not reported"));
            }
            text.push('.');
            text
        }
    }
}

/// The heading of the counts by status (also the workbook's first sheet).
pub fn summary(lang: Lang) -> &'static str {
    lang.pick("总体情况", "Summary")
}

/// The label of the number of targets among the counts (HTML's first card).
pub fn target_count(lang: Lang) -> &'static str {
    lang.pick("指标总数", "targets")
}

/// The closing row of the counts table.
pub fn total(lang: Lang) -> &'static str {
    lang.pick("合计", "Total")
}

/// The heading of the targets that need attention.
pub fn attention(lang: Lang) -> &'static str {
    lang.pick("需要关注的指标", "Targets that need attention")
}

/// The heading of the overdue figures.
pub fn overdue(lang: Lang) -> &'static str {
    lang.pick("未报送", "Overdue figures")
}

/// The heading of the revised figures (`since`, a day in words): `2021年3月1日以来修订的数据`.
pub fn revised_since(since: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{since}以来修订的数据"),
        Lang::En => format!("Figures revised since {since}"),
    }
}

/// The heading of the overview chart.
pub fn at_a_glance(lang: Lang) -> &'static str {
    lang.pick("各指标进度总览", "Every target at a glance")
}

/// Under a heading whose table would be empty, as a sentence (Markdown, HTML): `无。`.
pub fn none(lang: Lang) -> &'static str {
    lang.pick("无。", "None.")
}

/// Under a heading whose table would be empty, in a cell (the workbook): `无`.
pub fn none_cell(lang: Lang) -> &'static str {
    lang.pick("无", "None")
}

/// The Markdown report's closing line.
pub fn footnote(lang: Lang) -> &'static str {
    lang.pick(
        "*由 ontrack 生成。差距为正表示超过目标；进度为完成全年目标的比例，序时为按时间应完成的比例。*\n",
        "*Made by ontrack. A positive gap is ahead of the goal; progress is the share of the annual target done, pace the share due by now.*\n",
    )
}

/// The HTML report's footer, which also explains its progress bars' tick and "overdue".
pub fn footer(lang: Lang) -> &'static str {
    lang.pick(
        "本报告由 ontrack 根据已录入的数据生成。差距为正表示超过目标；进度为已完成全年目标的比例，序时为按时间应完成的比例（竖线）。\
         “未报送”表示按报送频率应报的数据尚未录入，由牵头单位负责报送。",
        "Made by ontrack from the figures recorded. A positive gap is ahead of the goal; progress is the share of the \
         annual target done, pace (the tick) the share due by now. \"Overdue\" means a figure due by the target's \
         frequency has not been recorded; the lead unit must report it.",
    )
}

/// The heading of the target adjustments (调整目标) standing at the data moment.
pub fn adjustments(lang: Lang) -> &'static str {
    lang.pick("目标调整", "Target adjustments")
}
