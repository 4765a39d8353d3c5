//! A small hand-built plan, status and figures for the exporters' tests: one target
//! of each shape that a report treats differently, and hostile text in every place
//! user text can reach a report (names, sources, notes, reasons, section titles).

use chrono::{DateTime, Utc};

use super::{Charts, Report, ReportInput};
use crate::actual::Actual;
use crate::lang::Lang;
use crate::period::Period;
use crate::plan::{file::parse_plan, Plan};
use crate::review::{Counting, FigureEvent, FigureState, FigureStates};
use crate::status::{Baseline, BaselineFrom, PlanStatus, Status, TargetStatus};

/// Text that must come out of every format inert.
pub const HOSTILE_SOURCE: &str = "区统计局 <script>alert(1)</script>";
pub const HOSTILE_NOTE: &str = "=HYPERLINK(\"http://x\") \"quoted\" ]]> | `tick` *star*";

const PLAN: &str = r#"
[plan]
id = "fixture-2020"
org = "金水区"
org_en = "Jinshui District"
year = 2020
source = "郑州晚报 <i>2020-05-27</i>"

[sections]
main = "主要预期目标"
C = "聚焦“双改” & <b>城建</b>"

[sections_en]
main = "Main targets"
C = "Renewal & <b>building</b>"

[[targets]]
code = "gdp-growth"
section = "main"
name = "地区生产总值增速"
name_en = "GDP growth"
kind = "growth"
cmp = "about"
value = 6.5
unit = "%"
frequency = "quarter"
lead_unit = "区统计局"
quote = "地区生产总值增长6.5%左右"

[[targets]]
code = "unemployment-rate"
section = "main"
name = "城镇登记失业率"
name_en = "Registered urban unemployment rate"
kind = "rate"
cmp = "at_most"
value = 4
unit = "%"
frequency = "quarter"
lead_unit = "区人力资源社会保障局"
quote = "城镇登记失业率控制在4%以内"

[[targets]]
code = "rd-spending"
section = "main"
name = "全社会研发投入经费增速"
name_en = "R&D spending growth"
kind = "growth"
cmp = "about"
value = 15
unit = "%"
frequency = "year"
lead_unit = "区科技局"
quote = "全社会研发投入经费增长15%左右"

[[targets]]
code = "new-roads"
section = "C"
name = "新建续建道路 | `路`"
name_en = "Roads built or continued | `roads`"
kind = "count"
cmp = "reach"
value = 92
unit = "条"
frequency = "quarter"
commitment = "ensure"
lead_unit = "区住房城乡建设局"
quote = "新建续建道路92条"

[[targets]]
code = "interchange"
section = "C"
name = "龙津路与连霍高速立交建成通车"
name_en = "Longjin Road interchange opened"
kind = "milestone"
cmp = "reach"
value = 100
unit = "%"
frequency = "quarter"
lead_unit = "区住房城乡建设局"
quote = "龙津路与连霍高速立交建成通车"
"#;

pub fn plan() -> Plan {
    parse_plan(PLAN, "fixture").expect("the fixture plan is valid")
}

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("fixture time").with_timezone(&Utc)
}

fn period(text: &str) -> Period {
    text.parse().expect("fixture period")
}

fn actual(id: i64, target: &str, p: &str, value: f64, recorded_at: &str) -> Actual {
    Actual {
        id,
        target: target.into(),
        period: period(p),
        value,
        source: Some("区统计局 统计月报".into()),
        recorded_by: "王芳".into(),
        recorded_at: at(recorded_at),
        note: None,
        revises: None,
        reason: None,
    }
}

/// Every figure of the fixture plan, revisions included.
pub fn actuals() -> Vec<Actual> {
    let mut gdp_q1_final = actual(2, "gdp-growth", "2020Q1", -4.3, "2020-10-20T02:00:00Z");
    gdp_q1_final.revises = Some(1);
    gdp_q1_final.reason = Some("初步核算 → 最终核实 <b>".into());
    let mut gdp_q3 = actual(3, "gdp-growth", "2020Q3", 6.1, "2020-10-22T02:00:00Z");
    gdp_q3.source = Some(HOSTILE_SOURCE.into());
    gdp_q3.note = Some(HOSTILE_NOTE.into());
    vec![
        actual(1, "gdp-growth", "2020Q1", -4.6, "2020-04-22T02:00:00Z"),
        gdp_q1_final,
        gdp_q3,
        actual(4, "unemployment-rate", "2020Q2", 3.2, "2020-07-10T02:00:00Z"),
        actual(5, "new-roads", "2020Q3", 30.0, "2020-10-09T02:00:00Z"),
        actual(6, "interchange", "2020Q3", 100.0, "2020-10-09T03:00:00Z"),
        actual(7, "unemployment-rate", "2020Q3", 3.5, "2020-10-23T02:00:00Z"),
    ]
}

/// The review: gdp-growth's 2020Q3 figure approved, unemployment-rate's returned (so it
/// does not count); the rest await review.
pub fn states() -> FigureStates {
    let event = |id: i64, figure: i64, to: FigureState, at_text: &str, reason: Option<&str>| FigureEvent {
        id,
        figure,
        from: FigureState::Submitted,
        to,
        by: "统计科".into(),
        at: at(at_text),
        reason: reason.map(str::to_string),
        set_clock: false,
    };
    FigureStates::new(vec![
        event(1, 3, FigureState::Approved, "2020-10-24T02:00:00Z", None),
        event(2, 7, FigureState::Returned, "2020-10-24T03:00:00Z", Some("口径不对：应为期末数 <i>")),
    ])
}

fn status(code: &str, status: Status) -> TargetStatus {
    TargetStatus { due_for: Some(period("2020Q3")), ..TargetStatus::blank(code, status) }
}

/// The status as of 2020Q3, written out by hand as docs/status-rules.md gives it.
pub fn plan_status() -> PlanStatus {
    let gdp = TargetStatus {
        actual: Some(6.1),
        period: Some(period("2020Q3")),
        gap: Some(-0.4),
        margin: Some(-0.4),
        figure: Some(3),
        ..status("gdp-growth", Status::AtRisk)
    };
    let unemployment = TargetStatus {
        overdue: true,
        actual: Some(3.2),
        period: Some(period("2020Q2")),
        gap: Some(0.8),
        margin: Some(0.8),
        figure: Some(4),
        ..status("unemployment-rate", Status::OnTrack)
    };
    let rd = TargetStatus { due_for: None, ..status("rd-spending", Status::NoData) };
    let roads = TargetStatus {
        actual: Some(30.0),
        period: Some(period("2020Q3")),
        gap: Some(-62.0),
        margin: Some(-39.0),
        progress: Some(30.0 / 92.0),
        pace: Some(0.75),
        behind: Some((0.75 - 30.0 / 92.0) * 100.0),
        projected: Some(40.0),
        needed_per_period: Some(62.0),
        figure: Some(5),
        baseline: Some(Baseline { value: 0.0, from: BaselineFrom::Plan }),
        ..status("new-roads", Status::OffTrack)
    };
    let interchange = TargetStatus {
        actual: Some(100.0),
        period: Some(period("2020Q3")),
        gap: Some(0.0),
        margin: Some(25.0),
        progress: Some(1.0),
        pace: Some(0.75),
        behind: Some(-25.0),
        projected: Some(100.0),
        figure: Some(6),
        baseline: Some(Baseline { value: 0.0, from: BaselineFrom::Plan }),
        ..status("interchange", Status::Met)
    };
    PlanStatus { as_of: period("2020Q3"), targets: vec![gdp, unemployment, rd, roads, interchange] }
}

/// Charts as the chart module would give them, small enough to read in a snapshot.
pub fn charts() -> Charts {
    let svg = |title: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"60\" viewBox=\"0 0 200 60\">\
             <rect x=\"0\" y=\"0\" width=\"120\" height=\"60\" fill=\"#2e7d32\"/><text x=\"4\" y=\"30\">{title}</text></svg>"
        )
    };
    Charts {
        overview: Some(svg("overview")),
        targets: [("gdp-growth".to_string(), svg("gdp")), ("new-roads".to_string(), svg("roads"))].into(),
    }
}

/// The fixture report, made on 2020-11-05 from all figures.
pub fn report(lang: Lang) -> Report {
    let plan = plan();
    let status = plan_status();
    let actuals = actuals();
    let states = states();
    let figures = crate::review::counting_figures(&actuals, &states, None, Counting::AllCurrent);
    Report::build(ReportInput {
        plan: &plan,
        status: &status,
        figures: &figures,
        actuals: &actuals,
        made_at: at("2020-11-05T01:30:00Z"),
        as_recorded: None,
        lang,
        charts: charts(),
        notice: None,
        states: &states,
        counting: Counting::AllCurrent,
        adjustments: &adjustments(),
    })
}

/// One adjustment: GDP growth was 7 % when the plan was loaded, 6.5 % from April, with
/// a reason that holds markup.
pub fn adjustments() -> Vec<crate::adjust::Adjustment> {
    vec![crate::adjust::Adjustment {
        id: 1,
        code: "gdp-growth".to_string(),
        value_before: 7.0,
        value_after: 6.5,
        strive_before: None,
        strive_after: None,
        reason: "受疫情影响 <i>下调</i>".to_string(),
        document: Some("区政发〔2020〕12号".to_string()),
        effective_at: at("2020-03-31T16:00:00Z"),
        recorded_at: at("2020-04-10T02:00:00Z"),
        recorded_by: "区统计局".to_string(),
    }]
}
