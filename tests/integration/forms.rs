//! The target forms of docs/plan-format.md ("Target forms"): two bars, a range, a
//! change in points, reductions, a ceiling on a count that accumulates and levels in
//! other units, from the plan file through the store to the status sheet, JSON,
//! reports, charts and `plan export`. The plan is tests/fixtures/target-forms.toml.

use serde_json::Value;

use crate::support::Ontrack;

const PLAN: &str = include_str!("../fixtures/target-forms.toml");
const FIGURES: &str = include_str!("../fixtures/target-forms.csv");

/// A database with the forms plan and its third-quarter and full-year figures.
fn forms() -> Ontrack {
    let ontrack = Ontrack::new();
    let plan = ontrack.file("forms.toml", PLAN);
    ontrack.run(["init", "--plan", plan.to_str().unwrap()]).success();
    let figures = ontrack.file("forms.csv", FIGURES);
    ontrack.run(["import", figures.to_str().unwrap()]).success();
    ontrack
}

fn rows(ontrack: &Ontrack, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["status", "--format", "json"];
    all.extend_from_slice(args);
    let out = ontrack.run(all).success();
    serde_json::from_str::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], code: &str) -> &'a Value {
    rows.iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no row {code}"))
}

#[test]
fn every_form_shows_in_the_status_sheet() {
    let ontrack = forms();
    let third = ontrack.run(["status", "--as-of", "2020Q3"]).success();
    insta::assert_snapshot!("forms_status_2020q3_zh", third.stdout);
    let year = ontrack.run(["--lang", "en", "status"]).success();
    insta::assert_snapshot!("forms_status_2020_en", year.stdout);
}

#[test]
fn the_status_rows_carry_strive_and_strive_met() {
    let ontrack = forms();
    let third = rows(&ontrack, &["--as-of", "2020Q3"]);
    let fields = |code: &str| {
        let r = row(&third, code);
        (r["status"].as_str().unwrap().to_string(), r["strive"].clone(), r["strive_met"].clone(), r["goal"].clone())
    };
    assert_eq!(fields("gdp-growth"), ("on_track".into(), 6.5.into(), false.into(), "≥ 6 %，力争 6.5 %".into()));
    assert_eq!(fields("retail-growth"), ("on_track".into(), 7.0.into(), true.into(), "≥ 6 %，力争 7 %".into()));
    assert_eq!(fields("income-growth"), ("at_risk".into(), 6.5.into(), false.into(), "6–6.5 %".into()));
    // A ceiling on a count is only kept when the year closes: not met in September.
    assert_eq!(fields("safety-accidents"), ("on_track".into(), 3.0.into(), false.into(), "≤ 5 起，力争 ≤ 3 起".into()));
    assert_eq!(fields("energy-intensity"), ("on_track".into(), Value::Null, Value::Null, "≤ -3 %".into()));
    let houses = row(&third, "dangerous-houses");
    assert_eq!(
        (houses["status"].as_str(), houses["progress"].as_f64(), houses["behind"].as_f64()),
        (Some("at_risk"), Some(0.6), Some(15.0))
    );
    let accidents = row(&third, "safety-accidents");
    assert_eq!(
        (accidents["progress"].as_f64(), accidents["behind"].as_f64()),
        (Some(0.4), Some(-35.0)),
        "used share u = a ÷ v"
    );
    let unemployment = row(&third, "unemployment-rate");
    assert_eq!(
        (unemployment["target"].as_f64(), unemployment["goal"].as_str()),
        (Some(3.8), Some("下降 0.2 个百分点（至 3.8 %）"))
    );

    let year = rows(&ontrack, &[]);
    let status =
        |code: &str| (row(&year, code)["status"].as_str().unwrap().to_string(), row(&year, code)["strive_met"].clone());
    assert_eq!(status("gdp-growth"), ("met".into(), true.into()));
    assert_eq!(status("retail-growth"), ("met".into(), false.into()));
    assert_eq!(status("safety-accidents"), ("met".into(), false.into()));
    assert_eq!(status("urbanisation-rate"), ("met".into(), Value::Null));
    assert_eq!(status("energy-intensity"), ("missed".into(), Value::Null));
    assert_eq!(status("good-air-days"), ("missed".into(), Value::Null));
    assert_eq!(status("pm25"), ("met".into(), Value::Null));
    assert_eq!(row(&year, "urbanisation-rate")["target"].as_f64(), Some(66.5), "baseline 65.5 + change 1");

    let csv = ontrack.run(["status", "--format", "csv"]).success();
    let header = csv.stdout.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(header.ends_with(",strive,strive_met"), "{header}");
}

#[test]
fn every_form_round_trips_through_plan_export() {
    let ontrack = forms();
    let exported = ontrack.run(["plan", "export", "forms-2020"]).success().stdout;
    for line in
        ["strive = 6.5\n", "baseline = 65.5\nchange = 1\n", "value = 66.5\n", "change = -0.2\n", "baseline = 120\n"]
    {
        assert!(exported.contains(line), "{line:?} missing from\n{exported}");
    }
    let again = Ontrack::new();
    let file = again.file("exported.toml", &exported);
    again.run(["init", "--plan", file.to_str().unwrap()]).success();
    assert_eq!(again.run(["plan", "export", "forms-2020"]).success().stdout, exported);
}

#[test]
fn a_report_renders_every_form() {
    let ontrack = forms();
    let md = ontrack.run(["report", "--format", "md", "--as-of", "2020Q3"]).success();
    insta::assert_snapshot!("forms_report_2020q3_zh.md", md.stdout);
    let html = ontrack.run(["--lang", "en", "report", "--format", "html"]).success().stdout;
    for phrase in ["ensure ≥ 6 %, strive for 6.5 %", "6–6.5 %", "up 1 pp (to 66.5 %)", "met · strive bar not reached"]
    {
        assert!(html.contains(phrase), "{phrase:?} not in the HTML report");
    }
}

#[test]
fn charts_draw_the_strive_bar_lighter_and_labelled() {
    let ontrack = forms();
    ontrack.run(["chart", "--as-of", "2020Q3", "--out", "zh"]).success();
    ontrack.run(["--lang", "en", "chart", "--as-of", "2020Q3", "--out", "en"]).success();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/snapshots/charts");
    for code in ["gdp-growth", "income-growth", "unemployment-rate", "dangerous-houses", "safety-accidents", "pm25"] {
        let zh = std::fs::read_to_string(ontrack.path(&format!("zh/{code}.svg"))).unwrap();
        let en = std::fs::read_to_string(ontrack.path(&format!("en/{code}.svg"))).unwrap();
        crate::charts::check_file(&dir.join(format!("forms-{code}.svg")), &zh);
        crate::charts::check_file(&dir.join(format!("forms-{code}.en.svg")), &en);
    }
    let gdp = std::fs::read_to_string(ontrack.path("zh/gdp-growth.svg")).unwrap();
    assert_eq!(gdp.matches("stroke-dasharray=\"2 3\"").count(), 2, "the strive line and its legend swatch");
    assert!(gdp.contains(">力争 6.5 %</text>"), "{gdp}");
    let houses = std::fs::read_to_string(ontrack.path("zh/dangerous-houses.svg")).unwrap();
    assert!(!houses.contains("stroke-dasharray=\"2 3\""), "no strive bar, no strive line");
    let range = std::fs::read_to_string(ontrack.path("en/income-growth.svg")).unwrap();
    assert!(range.contains(">upper end 6.5 %</text>"), "{range}");
}

#[test]
fn a_plan_file_with_a_stock_read_the_wrong_way_is_refused_with_what_to_write() {
    let ontrack = Ontrack::new();
    let wrong = PLAN.replacen(
        "measure = \"level\"\ncmp = \"at_most\"\nvalue = 20",
        "measure = \"level\"\ncmp = \"reach\"\nvalue = 20",
        1,
    );
    assert_ne!(wrong, PLAN);
    let file = ontrack.file("wrong.toml", wrong);
    ontrack.run_en(["init", "--plan", file.to_str().unwrap()]).fails(
        1,
        "target dangerous-houses, field `cmp`: the baseline 120 is above the value 20: a stock brought down (from 120 to 20) is written cmp = \"at_most\"",
    );
    assert!(!ontrack.db.exists(), "nothing was made");
}
