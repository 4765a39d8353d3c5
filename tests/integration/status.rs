//! `ontrack status`: the progress sheet, JSON and CSV rows, filters, as-of and
//! as-recorded. Figures are logged through the library's store (the same code
//! `record` and `import` write with), at fixed moments.

use std::time::Duration;

use ontrack::actual::NewActual;
use ontrack::store::Store;
use serde_json::Value;

use crate::support::Ontrack;

const PLAN: &str = r#"
[plan]
id = "testdistrict-2020"
org = "测试区"
org_en = "Test District"
year = 2020

[sections]
main = "主要预期目标"
A = "城市建设"

[sections_en]
main = "Main targets"
A = "City building"

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
code = "income-growth"
section = "main"
name = "居民人均可支配收入增速"
name_en = "Income growth"
kind = "relative"
cmp = "about"
value = 0
unit = "%"
related = "gdp-growth"
frequency = "quarter"
quote = "居民人均可支配收入增速与经济增长保持同步"

[[targets]]
code = "unemployment-rate"
section = "main"
name = "城镇登记失业率"
name_en = "Registered urban unemployment"
kind = "rate"
cmp = "at_most"
value = 4
unit = "%"
frequency = "quarter"
quote = "城镇登记失业率控制在4%以内"

[[targets]]
code = "rd-spending-growth"
section = "main"
name = "全社会研发投入经费增速"
name_en = "R&D spending growth"
kind = "growth"
cmp = "about"
value = 15
unit = "%"
frequency = "year"
quote = "全社会研发投入经费增长15%左右"

[[targets]]
code = "budget-revenue-growth"
section = "main"
name = "地方一般公共预算收入增速"
name_en = "Budget revenue growth"
kind = "growth"
cmp = "about"
value = 3
unit = "%"
frequency = "month"
quote = "地方一般公共预算收入增长3%左右"

[[targets]]
code = "new-roads"
section = "A"
name = "新建续建道路"
name_en = "Roads built or continued"
kind = "count"
cmp = "reach"
value = 92
unit = "条"
frequency = "quarter"
commitment = "ensure"
quote = "新建续建道路92条"

[[targets]]
code = "high-tech-enterprises"
section = "A"
name = "高新技术企业"
name_en = "High-tech enterprises"
kind = "count"
measure = "level"
cmp = "at_least"
value = 400
unit = "家"
baseline = 300
frequency = "quarter"
quote = "高新技术企业达到400家"
"#;

/// A database holding the test plan and the third-quarter figures, logged on 2020-10-20.
pub(crate) fn third_quarter() -> Ontrack {
    let ontrack = Ontrack::new();
    let plan = ontrack.file("plan.toml", PLAN);
    ontrack.run(["init", "--plan", plan.to_str().unwrap()]).success();
    log(
        &ontrack,
        "2020-10-20T08:00:00Z",
        &[
            ("gdp-growth", "2020Q3", 5.9),
            ("income-growth", "2020年前三季度", 5.5),
            ("unemployment-rate", "2020Q3", 3.2),
            ("new-roads", "2020Q3", 59.8),
            ("high-tech-enterprises", "2020Q2", 350.0),
            ("budget-revenue-growth", "2020年1-8月", 2.1),
        ],
    );
    ontrack
}

fn new_actual(target: &str, period: &str, value: f64) -> NewActual {
    NewActual {
        target: target.to_string(),
        period: period.parse().unwrap(),
        value,
        source: Some("区统计局 2020年三季度统计月报".to_string()),
        recorded_by: "统计员".to_string(),
        note: None,
        revision_reason: None,
    }
}

fn store(ontrack: &Ontrack) -> Store {
    Store::open(&ontrack.db, Duration::from_secs(5)).unwrap()
}

fn log(ontrack: &Ontrack, at: &str, figures: &[(&str, &str, f64)]) {
    let figures: Vec<NewActual> = figures.iter().map(|(t, p, v)| new_actual(t, p, *v)).collect();
    store(ontrack).insert_actuals("testdistrict-2020", &figures, at.parse().unwrap()).unwrap();
}

fn revise(ontrack: &Ontrack, at: &str, target: &str, period: &str, value: f64) {
    let figure = NewActual { revision_reason: Some("最终核实".to_string()), ..new_actual(target, period, value) };
    store(ontrack).insert_actuals("testdistrict-2020", &[figure], at.parse().unwrap()).unwrap();
}

fn json_rows(ontrack: &Ontrack, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["status", "--format", "json"];
    full.extend_from_slice(args);
    let out = ontrack.run(full).success();
    serde_json::from_str::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], code: &str) -> &'a Value {
    rows.iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no row {code}"))
}

#[test]
fn the_progress_sheet_is_grouped_by_section_and_ends_with_counts() {
    let ontrack = third_quarter();
    let out = ontrack.run(["status"]).success();
    insta::assert_snapshot!("status_sheet_zh", out.stdout);
    assert!(!out.stdout.contains('\u{1b}'), "no colour when piped");
    let main = out.stdout.find("main 主要预期目标").expect("section main");
    let a = out.stdout.find("A 城市建设").expect("section A");
    assert!(main < a);
    assert!(out
        .stdout
        .contains("共 7 项：已完成 0 · 基本完成 0 · 正常 2 · 预警 2 · 滞后 2 · 未完成 0 · 无数据 1；未报送 2"));
}

#[test]
fn english_sheet() {
    let ontrack = third_quarter();
    let out = ontrack.run(["--lang", "en", "status", "--section", "A"]).success();
    insta::assert_snapshot!("status_sheet_en_section_a", out.stdout);
    assert!(out.stdout.contains("2 targets: met 0 · nearly met 0 · on track 1 · at risk 1"), "{}", out.stdout);
    assert!(!out.stdout.contains("gdp-growth"));
}

#[test]
fn json_rows_carry_every_status_field_for_every_target() {
    let ontrack = third_quarter();
    let rows = json_rows(&ontrack, &[]);
    assert_eq!(rows.len(), 7);
    for row in &rows {
        for field in [
            "code",
            "name",
            "status",
            "overdue",
            "actual",
            "period",
            "target",
            "gap",
            "margin",
            "progress",
            "pace",
            "behind",
            "projected",
            "needed_per_period",
        ] {
            assert!(row.get(field).is_some(), "{field} missing in {row}");
        }
        assert_eq!(row["as_of"], "2020Q3");
    }
    let gdp = row(&rows, "gdp-growth");
    assert_eq!(gdp["status"], "off_track");
    assert_eq!(gdp["gap"], -0.6);
    assert_eq!(gdp["progress"], Value::Null);
    assert_eq!(gdp["source"], "区统计局 2020年三季度统计月报");
    assert_eq!(gdp["recorded_at"], "2020-10-20T08:00:00Z");
    let income = row(&rows, "income-growth");
    assert_eq!((income["status"].as_str(), income["target"].as_f64()), (Some("at_risk"), Some(5.9)));
    assert_eq!(income["period"], "2020Q3");
    let roads = row(&rows, "new-roads");
    assert_eq!(roads["status"], "at_risk");
    assert_eq!(roads["behind"], 10.0);
    assert_eq!(roads["progress"], 0.65);
    assert_eq!(roads["pace"], 0.75);
    assert_eq!(roads["margin"], -9.2);
    assert_eq!(roads["needed_per_period"], 33.0, "32.2 roads still to build a quarter: whole roads, rounded up");
    assert_eq!(roads["projected"], 79.733333333);
    let firms = row(&rows, "high-tech-enterprises");
    assert_eq!((firms["status"].as_str(), firms["overdue"].as_bool()), (Some("on_track"), Some(true)));
    assert_eq!(firms["projected"], 400.0);
    let budget = row(&rows, "budget-revenue-growth");
    assert_eq!((budget["status"].as_str(), budget["due_for"].as_str()), (Some("off_track"), Some("2020-09")));
    assert_eq!(budget["overdue"], true);
    let rd = row(&rows, "rd-spending-growth");
    assert_eq!(
        (rd["status"].as_str(), rd["overdue"].as_bool(), rd["actual"].is_null()),
        (Some("no_data"), Some(false), true)
    );
}

#[test]
fn csv_is_for_excel_with_the_json_field_names() {
    let ontrack = third_quarter();
    let out = ontrack.run(["status", "--format", "csv", "--section", "main"]).success();
    assert!(out.bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let text = out.stdout.trim_start_matches('\u{feff}');
    let mut lines = text.split("\r\n");
    assert!(lines.next().unwrap().starts_with(
        "code,name,status,overdue,actual,period,target,gap,margin,progress,pace,behind,projected,needed_per_period,"
    ));
    assert!(text.contains("gdp-growth,地区生产总值增速,off_track,false,5.9,2020Q3,6.5,-0.6,-0.6,,,,,,main,"), "{text}");
    assert_eq!(text.matches("\r\n").count(), 1 + 5, "header and the five main targets");
}

#[test]
fn only_behind_and_only_overdue() {
    let ontrack = third_quarter();
    let behind = json_rows(&ontrack, &["--only", "behind"]);
    let codes: Vec<&str> = behind.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["gdp-growth", "income-growth", "budget-revenue-growth", "new-roads"]);
    let overdue = json_rows(&ontrack, &["--only", "overdue"]);
    let codes: Vec<&str> = overdue.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["budget-revenue-growth", "high-tech-enterprises"]);
    let sheet = ontrack.run(["status", "--only", "overdue"]).success();
    assert!(sheet.stdout.contains("未报送（2020年1-9月）"), "{}", sheet.stdout);
    assert!(sheet.stdout.contains("未报送（2020年三季度）"), "{}", sheet.stdout);
    assert!(sheet.stdout.contains("共 2 项"), "{}", sheet.stdout);
    ontrack.run_en(["status", "--only", "late"]).fails(2, "invalid value 'late'");
    let none = ["status", "--section", "A", "--only", "behind", "--as-of", "2020Q2"];
    let sheet = ontrack.run(none).success();
    assert!(sheet.stdout.contains("没有符合条件的指标。") && sheet.stdout.contains("共 0 项"), "{}", sheet.stdout);
    let csv = ontrack.run(none.iter().chain(&["--format", "csv"])).success();
    assert!(csv.stdout.starts_with("\u{feff}code,name,status,overdue,"), "a header even without rows: {}", csv.stdout);
    assert_eq!(json_rows(&ontrack, &none[1..]), Vec::<Value>::new());
}

#[test]
fn as_of_takes_every_period_form_and_stays_in_the_plan_year() {
    let ontrack = third_quarter();
    let half = json_rows(&ontrack, &["--as-of", "2020年上半年"]);
    let firms = row(&half, "high-tech-enterprises");
    assert_eq!((firms["status"].as_str(), firms["overdue"].as_bool()), (Some("on_track"), Some(false)));
    assert_eq!(row(&half, "gdp-growth")["status"], "no_data");
    assert_eq!(row(&half, "gdp-growth")["overdue"], true);
    assert_eq!(half[0]["as_of"], "2020H1");
    let end = json_rows(&ontrack, &["--as-of", "2020"]);
    assert_eq!(row(&end, "rd-spending-growth")["overdue"], true, "a yearly figure is due at the year's end");
    ontrack.run_en(["status", "--as-of", "2020Q5"]).fails(2, "is not a period");
    ontrack
        .run_en(["status", "--as-of", "2021Q1"])
        .fails(1, "the as-of period 2021Q1 is outside the plan's year: plan testdistrict-2020 is for 2020");
    ontrack.run_en(["status", "--section", "Z"]).fails(1, "no section \"Z\"; its sections are main, A");
}

#[test]
fn as_recorded_reproduces_the_sheet_as_it_stood() {
    let ontrack = third_quarter();
    revise(&ontrack, "2020-11-05T02:00:00Z", "gdp-growth", "2020Q3", 6.1);
    log(&ontrack, "2020-11-05T02:00:00Z", &[("new-roads", "2020-10", 80.0)]);
    let now = json_rows(&ontrack, &[]);
    assert_eq!(now[0]["as_of"], "2020-10", "the latest figure sets the default as-of");
    let gdp = row(&now, "gdp-growth");
    assert_eq!((gdp["actual"].as_f64(), gdp["status"].as_str()), (Some(6.1), Some("at_risk")));
    assert_eq!(row(&now, "income-growth")["target"], 6.1, "the relative target follows the revised figure");
    for date in ["2020-10-31", "2020-11-05T09:59:59+08:00"] {
        let then = json_rows(&ontrack, &["--as-recorded", date]);
        assert_eq!(then[0]["as_of"], "2020Q3", "{date}");
        let gdp = row(&then, "gdp-growth");
        assert_eq!((gdp["actual"].as_f64(), gdp["status"].as_str()), (Some(5.9), Some("off_track")), "{date}");
    }
    let revised = json_rows(&ontrack, &["--as-recorded", "2020-11-05T10:00:00+08:00", "--as-of", "2020Q3"]);
    assert_eq!(row(&revised, "gdp-growth")["actual"], 6.1);
    let sheet = ontrack.run(["status", "--as-recorded", "2020-10-31"]).success();
    assert!(sheet.stdout.contains("按 2020-10-31 23:59:59（北京时间） 时的记录"), "{}", sheet.stdout);
    ontrack.run_en(["status", "--as-recorded", "2020-10-32"]).fails(2, "is not a date or time");
    ontrack
        .run_en(["status", "--as-recorded", "2020-01-01"])
        .fails(1, "has no figures as recorded at 2020-01-01 23:59:59 (Asia/Shanghai, UTC+8)");
}

#[test]
fn a_plan_without_figures_needs_an_as_of_period() {
    let ontrack = Ontrack::init();
    ontrack.run_en(["status"]).fails(1, "plan jinshui-2020 has no figures");
    let out = ontrack.run(["status", "--as-of", "2020Q1"]).success();
    assert!(
        out.stdout.contains("共 50 项：已完成 0 · 基本完成 0 · 正常 0 · 预警 0 · 滞后 0 · 未完成 0 · 无数据 50"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_builtin_plan_with_a_few_figures() {
    let ontrack = Ontrack::init();
    let figures = [
        new_actual("gdp-growth", "2020年前三季度", 1.2),
        new_actual("income-growth", "2020Q3", 1.0),
        new_actual("new-roads", "2020Q3", 70.0),
    ];
    store(&ontrack).insert_actuals("jinshui-2020", &figures, "2020-10-20T08:00:00Z".parse().unwrap()).unwrap();
    let rows = json_rows(&ontrack, &[]);
    assert_eq!(rows.len(), 50);
    assert_eq!(row(&rows, "gdp-growth")["status"], "off_track");
    assert_eq!(row(&rows, "income-growth")["status"], "at_risk");
    assert_eq!(row(&rows, "new-roads")["status"], "on_track");
    assert_eq!(row(&rows, "unemployment-rate")["overdue"], true);
}
