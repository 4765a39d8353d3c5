//! One quarter of a district's life, as issue 16's "Done when" asks: templates go out,
//! two departments send back their signed forms, the office returns a figure with a
//! reason, the department re-logs it, the office approves everything, a late figure is
//! flagged, completeness shows every number, a target is adjusted, and the report
//! shows the states, completeness and the adjustment — in Chinese and in English.
//! The clock (`ONTRACK_NOW`) moves through April 2020.

use serde_json::Value;

use crate::logging::fill_xlsx;
use crate::support::{Ontrack, Output, Run};

const STATS: &str = "区统计局";
const FINANCE: &str = "区财政局";
const ECOLOGY: &str = "区生态环境分局";

/// Runs a command at a moment of April 2020 (Beijing is UTC+8).
fn at(ontrack: &Ontrack, now: &str, args: &[&str]) -> Output {
    ontrack.run(args).env("ONTRACK_NOW", now).success()
}

fn json(run: Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&run.success().stdout).unwrap().as_array().unwrap().clone()
}

fn figure<'a>(figures: &'a [Value], code: &str) -> &'a Value {
    figures.iter().find(|f| f["target"] == code).unwrap_or_else(|| panic!("no figure of {code}: {figures:?}"))
}

fn unit<'a>(lines: &'a [Value], name: Option<&str>) -> &'a Value {
    lines.iter().find(|l| l["lead_unit"].as_str() == name).unwrap_or_else(|| panic!("no line for {name:?}: {lines:?}"))
}

/// (due, submitted, on_time, approved, returned, missing) of one JSON line.
fn counts(line: &Value) -> [u64; 6] {
    ["due", "submitted", "on_time", "approved", "returned", "missing"].map(|k| line[k].as_u64().unwrap())
}

#[test]
fn a_quarter_of_a_district_from_template_to_report() {
    let ontrack = Ontrack::init();
    // 5 April: the office sends each department its form for the first quarter.
    let early = "2020-04-05T02:00:00Z";
    at(&ontrack, early, &["template", "--period", "2020Q1", "--lead-unit", STATS, "--out", "stats.xlsx"]);
    at(&ontrack, early, &["template", "--period", "2020Q1", "--lead-unit", FINANCE, "--out", "finance.xlsx"]);

    // 8 April: both send it back filled in and signed, each by its own people.
    let stats = std::fs::read(ontrack.path("stats.xlsx")).unwrap();
    let stats_form =
        [("C4", "-6.8"), ("C5", "-2.9"), ("B12", "李四"), ("E12", "王五"), ("G12", "张三"), ("L12", "2020-04-08")];
    ontrack.file("stats-filled.xlsx", fill_xlsx(&stats, &stats_form));
    let finance = std::fs::read(ontrack.path("finance.xlsx")).unwrap();
    let finance_form = [("C4", "-9.5"), ("B11", "赵强"), ("E11", "钱敏"), ("G11", "孙丽"), ("L11", "2020-04-08")];
    ontrack.file("finance-filled.xlsx", fill_xlsx(&finance, &finance_form));
    let logged = "2020-04-08T02:00:00Z";
    let out = at(&ontrack, logged, &["import", "stats-filled.xlsx"]);
    assert!(out.stderr.contains("填报单位 区统计局") && out.stderr.contains("填表人 张三"), "{}", out.stderr);
    let out = at(&ontrack, logged, &["import", "finance-filled.xlsx"]);
    assert!(out.stderr.contains("填报单位 区财政局") && out.stderr.contains("填表人 孙丽"), "{}", out.stderr);
    let figures = json(ontrack.run(["figures", "--format", "json"]));
    assert_eq!(figure(&figures, "gdp-growth")["by"], "张三");
    assert_eq!(figure(&figures, "budget-revenue-growth")["by"], "孙丽");
    let income = figure(&figures, "income-growth")["id"].as_i64().unwrap().to_string();

    // 9 April: the office returns the income figure with a reason; the unit sees it.
    let reason = "口径不对：应为1—3月累计增速";
    at(&ontrack, "2020-04-09T02:00:00Z", &["review", "return", &income, "--reason", reason, "--by", "统计科"]);
    let returned = json(ontrack.run(["figures", "--state", "returned", "--format", "json"]));
    assert_eq!((returned.len(), returned[0]["state_reason"].as_str()), (1, Some(reason)));
    // The status sheet says it under the section, where the unit looks.
    let sheet = at(&ontrack, "2020-04-09T03:00:00Z", &["status", "--as-of", "2020Q1"]).stdout;
    let note = format!("已退回 居民人均可支配收入增速 2020年一季度 -2.9 %（统计科，2020-04-09 10:00（北京时间））：{reason}；请重新报送");
    assert!(sheet.contains(&note), "{sheet}");
    let sheet = at(&ontrack, "2020-04-09T03:00:00Z", &["--lang", "en", "status", "--as-of", "2020Q1"]).stdout;
    assert!(sheet.contains("returned: Per-capita disposable income growth"), "{sheet}");
    assert!(sheet.contains(&format!(": {reason}; log it again")), "{sheet}");

    // 10 April: the department re-logs it; the office approves both departments' windows.
    at(&ontrack, "2020-04-10T01:00:00Z", &["record", "income-growth", "2020Q1", "-3.9", "--by", "张三"]);
    for lead_unit in [STATS, FINANCE] {
        let args = ["review", "approve", "--period", "2020Q1", "--lead-unit", lead_unit, "--by", "统计科"];
        at(&ontrack, "2020-04-10T03:00:00Z", &args);
    }
    let sheet = at(&ontrack, "2020-04-10T03:00:00Z", &["status", "--as-of", "2020Q1"]).stdout;
    assert!(!sheet.contains("已退回"), "re-logged: no longer returned\n{sheet}");
    let figures = json(ontrack.run(["figures", "--period", "2020Q1", "--format", "json"]));
    assert_eq!(figures.len(), 3);
    assert!(figures.iter().all(|f| f["state"] == "approved" && f["late"] == false), "{figures:?}");

    // 20 April: the ecology bureau's figure arrives after the deadline (11 April, 00:00 Beijing).
    at(&ontrack, "2020-04-20T02:00:00Z", &["record", "black-odorous-water-eliminated", "2020Q1", "30", "--by", "周"]);
    let figures = json(ontrack.run(["figures", "--lead-unit", ECOLOGY, "--format", "json"]));
    assert_eq!((figures[0]["state"].as_str(), figures[0]["late"].as_bool()), (Some("submitted"), Some(true)));

    // Completeness shows every number: per unit and in total.
    let lines = json(ontrack.run(["completeness", "--period", "2020Q1", "--format", "json"]));
    assert_eq!(counts(unit(&lines, Some(STATS))), [2, 2, 2, 2, 0, 0]);
    assert_eq!(counts(unit(&lines, Some(FINANCE))), [1, 1, 1, 1, 0, 0]);
    assert_eq!(counts(unit(&lines, Some(ECOLOGY))), [1, 1, 0, 0, 0, 0]);
    assert_eq!(counts(unit(&lines, None)), [49, 4, 3, 3, 0, 45]);
    let table = ontrack.run(["completeness", "--period", "2020Q1"]).success().stdout;
    insta::assert_snapshot!("quarter_completeness_2020q1_zh", table);
    let csv = ontrack.run(["completeness", "--period", "2020Q1", "--lead-unit", ECOLOGY, "--format", "csv"]);
    assert_eq!(
        csv.success().stdout.trim_start_matches('\u{feff}'),
        "period,lead_unit,total,due,submitted,on_time,approved,returned,missing\r\n\
         2020Q1,区生态环境分局,false,1,1,0,0,0,0\r\n\
         2020Q1,,true,1,1,0,0,0,0\r\n"
    );

    // 25 April: GDP growth is adjusted, with reason and document.
    let adjust = [
        "plan",
        "adjust",
        "gdp-growth",
        "--value",
        "3",
        "--reason",
        "受疫情影响，经区人大常委会批准调整",
        "--document",
        "金政〔2020〕12号",
        "--by",
        "发改委",
    ];
    at(&ontrack, "2020-04-25T02:00:00Z", &adjust);

    // 30 April: the report shows the states, completeness and the adjustment.
    let report_at = "2020-04-30T02:00:00Z";
    let zh = at(&ontrack, report_at, &["report", "--as-of", "2020Q1"]).stdout;
    let en = at(&ontrack, report_at, &["--lang", "en", "report", "--as-of", "2020Q1"]).stdout;
    for needle in [
        "报送完整性（2020年一季度）",
        "| 区生态环境分局 | 1 | 1 | 0 | 0 | 0 | 0 | 100 % |",
        "金政〔2020〕12号",
        "已审核",
    ] {
        assert!(zh.contains(needle), "{needle} missing:\n{zh}");
    }
    for needle in
        ["## Completeness (2020Q1)", "| **Total** | **49** | **4** | **3** | **3** | **0** | **45** | **8.2 %** |"]
    {
        assert!(en.contains(needle), "{needle} missing:\n{en}");
    }
    insta::assert_snapshot!("quarter_report_2020q1_zh.md", zh);
    insta::assert_snapshot!("quarter_report_2020q1_en.md", en);
    let json = at(&ontrack, report_at, &["report", "--as-of", "2020Q1", "--format", "json"]).stdout;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["completeness"]["period"], "2020Q1");
    assert_eq!(counts(&json["completeness"]["total"]), [49, 4, 3, 3, 0, 45]);
}

#[test]
fn completeness_refuses_a_period_of_another_year_and_an_unknown_lead_unit() {
    let ontrack = Ontrack::init();
    let before = ontrack.dump();
    ontrack.run_en(["completeness", "--period", "2021Q1"]).fails(1, "use a period of 2020 (e.g. --period 2020Q1)");
    let out = ontrack.run(["completeness", "--period", "2020Q1", "--lead-unit", "区教育局"]);
    let stderr = out.fails(1, "计划 jinshui-2020 中没有牵头单位 \"区教育局\"").stderr;
    assert!(stderr.contains("区统计局"), "names the plan's units: {stderr}");
    assert_eq!(ontrack.dump(), before);
    let out = ontrack.run_en(["completeness", "--period", "2020-01", "--lead-unit", ECOLOGY]).success();
    assert_eq!(out.stdout, "no target is due for 2020-01\n");
}
