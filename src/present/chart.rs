//! The words of the charts around their figures: titles, the quote, the marks in the
//! plot, legends and footnotes of a target's chart, and the overview's title,
//! headings, scale note and footnote. Pure text: the chart cleans and escapes it.

use crate::lang::Lang;

/// A target chart's title (`goal`, the goal's caption): `道路 目标 ≥ 92 条` /
/// `Roads — goal ≥ 92 条`.
pub fn title(name: &str, goal: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}　{goal}"),
        Lang::En => format!("{name} — {goal}"),
    }
}

/// The plan's words for the target: `原文：“…”` / `From the report: “…”`.
pub fn quote(quote: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("原文：“{quote}”"),
        Lang::En => format!("From the report: “{quote}”"),
    }
}

/// Over the y axis: `单位：条` / `unit: 条`.
pub fn unit(unit: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("单位：{unit}"),
        Lang::En => format!("unit: {unit}"),
    }
}

/// The mark of the as-of line in the plot.
pub fn as_of_mark(lang: Lang) -> &'static str {
    lang.pick("截至", "as of")
}

/// The mark of the due line in the plot.
pub fn due_mark(lang: Lang) -> &'static str {
    lang.pick("完成期限", "due")
}

/// Under "no data" when nothing is logged (`period` in words).
pub fn nothing_logged(period: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截至 {period} 尚无实际数据"),
        Lang::En => format!("no figure logged up to {period}"),
    }
}

/// The legend of the gap's shading.
pub fn gap_legend(lang: Lang) -> &'static str {
    lang.pick("差距", "gap")
}

/// The plan in a footnote: `金水区 2020（jinshui-2020）` / `Jinshui 2020 (jinshui-2020)`.
pub fn plan(org: &str, year: i32, plan: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{org} {year}（{plan}）"),
        Lang::En => format!("{org} {year} ({plan})"),
    }
}

/// The as-of period in a footnote (`period` in words or as a code): `截至 2020年三季度`.
pub fn as_of(period: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截至 {period}"),
        Lang::En => format!("as of {period}"),
    }
}

/// Where the latest figure comes from and who logged it (`source` None when not given).
pub fn latest_source(source: Option<&str>, by: &str, lang: Lang) -> String {
    let source = source.unwrap_or_else(|| lang.pick("未注明", "not given"));
    match lang {
        Lang::Zh => format!("最新数据来源：{source}（{by} 录入）"),
        Lang::En => format!("latest figure from: {source} (logged by {by})"),
    }
}

/// The overview's title: `金水区 2020 年度目标进展总览`.
pub fn overview_title(org: &str, year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{org} {year} 年度目标进展总览"),
        Lang::En => format!("{org} {year}: every target at a glance"),
    }
}

/// The overview's subtitle (`period` in words, `code` its code):
/// `截至 2020年三季度（2020Q3）· 共 50 项指标` / `As of 2020Q3 · 50 targets`.
pub fn overview_subtitle(period: &str, code: &str, targets: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截至 {period}（{code}）· 共 {targets} 项指标"),
        Lang::En => format!("As of {code} · {targets} targets"),
    }
}

/// The overview's column headings: the targets, and what the right-hand column shows.
pub fn overview_columns(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::Zh => ["指标", "状态 · 最新数据"],
        Lang::En => ["target", "status · latest figure"],
    }
}

/// The captions either side of the overview's zero: behind, ahead.
pub fn behind_ahead(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::Zh => ["← 落后", "领先 →"],
        Lang::En => ["← behind", "ahead →"],
    }
}

/// What the overview's scale means (`points`, the points one tolerance is drawn as).
pub fn scale_note(points: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "横轴：个数、金额、工程进度类指标为“完成进度 − 序时进度”，单位为年度目标的百分点；增速、比率类指标为\
             “(实际 − 目标) ÷ 容差”，1 个容差记 {points} 点。0 表示恰好按序时或恰好达标，向右为领先。超出坐标范围的值以三角标在边缘，\
             数值见右栏。圆点颜色为状态。"
        ),
        Lang::En => format!(
            "Scale: for counts, amounts and milestones, progress minus expected pace, in points of the annual target; \
             for growth rates and shares, (actual − goal) ÷ tolerance, one tolerance drawn as {points} points. 0 means exactly \
             on pace or at the goal; right is ahead. Values beyond the axis are marked with a triangle at the edge; the \
             figures are in the right-hand column. The dot's colour is the status."
        ),
    }
}

/// The overview's last line (`as_of`, the period's code):
/// `金水区 2020（jinshui-2020）· 截至 2020Q3 · ontrack`.
pub fn overview_footer(org: &str, year: i32, plan: &str, as_of: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{org} {year}（{plan}）· 截至 {as_of} · ontrack"),
        Lang::En => format!("{org} {year} ({plan}) · as of {as_of} · ontrack"),
    }
}
