//! The headers of the reports' tables, one list per table: the tables Markdown and
//! HTML show, and the workbook's, whose figures are numbers with the unit and the
//! period in columns of their own.

use crate::lang::Lang;

/// Targets by status.
pub fn counts(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(&["状态", "指标数"], &["Status", "Targets"])
}

/// Targets that need attention.
pub fn attention(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "目标", "最新数据", "状态", "差距", "进度（序时）", "尚需", "牵头单位"],
        &["Target", "Goal", "Latest figure", "Status", "Gap", "Progress (pace)", "Still needed", "Lead unit"],
    )
}

/// Overdue figures and who must report them.
pub fn overdue(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "应报期", "最近一次数据", "牵头单位（报送责任）"],
        &["Target", "Due for", "Last figure", "Lead unit (must report)"],
    )
}

/// Figures revised recently.
pub fn revisions(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "期别", "修订", "原因", "录入人", "录入时间"],
        &["Target", "Period", "Revision", "Reason", "By", "Recorded at"],
    )
}

/// Every target by section.
pub fn targets(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "目标", "最新数据", "差距", "进度（序时）", "状态", "数据来源"],
        &["Target", "Goal", "Latest figure", "Gap", "Progress (pace)", "Status", "Source"],
    )
}

/// Targets that need attention, as the workbook lists them: figures as numbers.
pub fn attention_figures(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "状态", "最新数据", "单位", "期别", "差距", "落后序时（百分点）", "每期尚需", "牵头单位"],
        &[
            "Target",
            "Status",
            "Latest figure",
            "Unit",
            "Period",
            "Gap",
            "Points behind pace",
            "Needed per period",
            "Lead unit",
        ],
    )
}

/// Overdue figures, as the workbook lists them.
pub fn overdue_figures(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "应报期", "最近一次数据", "期别", "牵头单位（报送责任）"],
        &["Target", "Due for", "Last figure", "Its period", "Lead unit (must report)"],
    )
}

/// Revised figures, as the workbook lists them.
pub fn revision_figures(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "期别", "原值", "修订值", "单位", "原因", "录入人", "录入时间（UTC）"],
        &["Target", "Period", "Previous", "Revised", "Unit", "Reason", "By", "Recorded at (UTC)"],
    )
}

/// A section's targets with every field, as the workbook's section sheet lists them.
pub fn target_figures(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &[
            "代码",
            "指标",
            "目标",
            "单位",
            "最新数据",
            "期别",
            "差距",
            "进度",
            "序时进度",
            "预计全年",
            "每期尚需",
            "状态",
            "应报期",
            "牵头单位",
            "数据来源",
            "录入人",
            "录入时间（UTC）",
            "备注",
            "基数",
            "基数来源",
        ],
        &[
            "Code",
            "Target",
            "Goal",
            "Unit",
            "Latest figure",
            "Period",
            "Gap",
            "Progress",
            "Pace",
            "Projected",
            "Needed per period",
            "Status",
            "Due for",
            "Lead unit",
            "Source",
            "Recorded by",
            "Recorded at (UTC)",
            "Note",
            "Baseline",
            "Baseline from",
        ],
    )
}

/// Returned figures.
pub fn review(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "期别", "数据", "状态", "退回人", "退回时间", "退回原因", "牵头单位"],
        &["Target", "Period", "Figure", "State", "Returned by", "Returned at", "Reason", "Lead unit"],
    )
}

/// Review per lead unit.
pub fn review_counts(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["牵头单位", "待审核", "已审核", "已退回"],
        &["Lead unit", "Awaiting review", "Approved", "Returned"],
    )
}

/// Completeness per lead unit (`ontrack completeness` and every report).
pub fn completeness(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["牵头单位", "应报", "已报", "按时", "已审核", "已退回", "未报", "报送率"],
        &["Lead unit", "Due", "Submitted", "On time", "Approved", "Returned", "Missing", "Reporting rate"],
    )
}

/// Target adjustments.
pub fn adjustments(lang: Lang) -> Vec<&'static str> {
    lang.pick_all(
        &["指标", "调整", "理由", "文号", "生效时间", "记录人"],
        &["Target", "Adjustment", "Reason", "Document", "In force from", "Recorded by"],
    )
}
