//! The phrases of `ontrack bundle`, `bundle import` and `bundle list`.

use crate::lang::Lang;

/// `bundle list`'s table headers.
pub fn list_headers(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["计划", "区数据库", "导出时间", "仅已审核", "数据条数", "文件", "载入时间", "当前"],
        &["plan", "district database", "exported", "approved only", "figures", "file", "loaded", "standing"],
    )
}

/// Yes or no in a table cell.
pub fn yes_no(value: bool, lang: Lang) -> &'static str {
    match value {
        true => lang.pick("是", "yes"),
        false => lang.pick("否", "no"),
    }
}

/// `bundle list` with nothing loaded.
pub fn none_loaded(lang: Lang) -> &'static str {
    lang.pick(
        "尚未载入任何数据包（`ontrack bundle import FILE`）",
        "no bundle loaded yet (`ontrack bundle import FILE`)",
    )
}

/// `1 figure`, `2 figures` in English; the count alone in Chinese (its measure word follows).
fn figures_en(count: usize) -> String {
    format!("{count} figure{}", if count == 1 { "" } else { "s" })
}

/// What `ontrack bundle` wrote.
pub fn written(file: &str, plan: &str, figures: usize, approved_only: bool, checksum: &str, lang: Lang) -> String {
    let (zh, en) = match approved_only {
        true => (
            format!("{figures} 条已审核数据"),
            format!("{figures} approved figure{}", if figures == 1 { "" } else { "s" }),
        ),
        false => (
            format!("{figures} 条数据（含各状态与修订）"),
            format!("{} (every state and revision)", figures_en(figures)),
        ),
    };
    lang.choose(
        format!("已将计划 {plan} 及其 {zh}写入数据包 {file}（校验和 sha256:{checksum}）"),
        format!("wrote plan {plan} and its {en} to the bundle {file} (checksum sha256:{checksum})"),
    )
}

/// `bundle import`: the plan's first bundle, loaded.
pub fn loaded(plan: &str, figures: usize, exported_at: &str, lang: Lang) -> String {
    lang.choose(
        format!("已载入计划 {plan} 的数据包（{exported_at}导出，{figures} 条数据）；该计划在此只读"),
        format!(
            "loaded plan {plan}'s bundle (exported {exported_at}, {}); the plan is read-only here",
            figures_en(figures)
        ),
    )
}

/// `bundle import`: a newer bundle replaced the one exported at `older`.
pub fn superseded(plan: &str, figures: usize, exported_at: &str, older: &str, lang: Lang) -> String {
    lang.choose(
        format!(
            "已载入计划 {plan} 的新数据包（{exported_at}导出，{figures} 条数据），取代 {older}导出的数据包；\
             旧数据包仍保留（`ontrack bundle list`）"
        ),
        format!(
            "loaded plan {plan}'s newer bundle (exported {exported_at}, {}), superseding the one exported \
             {older}, which is kept (`ontrack bundle list`)",
            figures_en(figures)
        ),
    )
}

/// `bundle import`: an older bundle, kept without superseding.
pub fn kept_older(plan: &str, exported_at: &str, standing: &str, lang: Lang) -> String {
    lang.choose(
        format!(
            "计划 {plan} 的此数据包（{exported_at}导出）不晚于当前数据包（{standing}导出）：已保留备查，\
             但不取代当前数据包"
        ),
        format!(
            "this bundle of plan {plan} (exported {exported_at}) is not newer than the standing one (exported \
             {standing}): kept for the record, but it does not supersede it"
        ),
    )
}

/// `bundle import`: the same bundle again.
pub fn already_loaded(plan: &str, loaded_at: &str, lang: Lang) -> String {
    lang.choose(
        format!("计划 {plan} 的此数据包已于 {loaded_at}载入，未作任何更改"),
        format!("this bundle of plan {plan} was already loaded at {loaded_at}; nothing was changed"),
    )
}
