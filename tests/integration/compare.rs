//! `ontrack compare --parent ID`: a city with four districts in one database, figures
//! logged and approved; ranks, ties, "-", rank changes in table, JSON and CSV, by
//! value and by progress, with and without `--approved-only`; the refusals.

use serde_json::Value;

use crate::family::{district_plan, load};
use crate::support::Ontrack;

/// The city `city-2020` and four districts: a, b, c and d (d has no accidents target).
/// Figures (every one approved, but c's budget revenue, which is only submitted):
///
/// | | gdp Q2 | gdp Q3 | revenue Q3 (target) | accidents Q3 |
/// |---|---|---|---|---|
/// | a | 6.0 | 6.8 | 8 (10) | 2 |
/// | b | 7.0 | 6.8 | 9 (12) | 0 |
/// | c | 5.0 | 7.0 | 10 (8), submitted | 2 |
/// | d | – | – | 7 (9) | no such target |
pub fn city() -> Ontrack {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).success();
    load(&ontrack, "city", &district_plan("city-2020", "示范市", None, 6.5, 100.0, true));
    for (id, org, gdp, revenue, accidents) in [
        ("district-a-2020", "甲区", 6.5, 10.0, true),
        ("district-b-2020", "乙区", 6.0, 12.0, true),
        ("district-c-2020", "丙区", 7.0, 8.0, true),
        ("district-d-2020", "丁区", 6.0, 9.0, false),
    ] {
        load(&ontrack, id, &district_plan(id, org, Some("city-2020"), gdp, revenue, accidents));
    }
    let figures = [
        ("district-a-2020", "gdp-growth", "2020Q2", "6.0"),
        ("district-b-2020", "gdp-growth", "2020Q2", "7.0"),
        ("district-c-2020", "gdp-growth", "2020Q2", "5.0"),
        ("district-a-2020", "gdp-growth", "2020Q3", "6.8"),
        ("district-b-2020", "gdp-growth", "2020Q3", "6.8"),
        ("district-c-2020", "gdp-growth", "2020Q3", "7.0"),
        ("district-a-2020", "budget-revenue", "2020Q3", "8"),
        ("district-b-2020", "budget-revenue", "2020Q3", "9"),
        ("district-d-2020", "budget-revenue", "2020Q3", "7"),
        ("district-a-2020", "accidents", "2020Q3", "2"),
        ("district-b-2020", "accidents", "2020Q3", "0"),
        ("district-c-2020", "accidents", "2020Q3", "2"),
        // Figure 13: submitted, never approved.
        ("district-c-2020", "budget-revenue", "2020Q3", "10"),
    ];
    for (plan, code, period, value) in figures {
        ontrack.run(["record", "--plan", plan, code, period, value]).success();
    }
    // Review is per plan: each district's figures (ids in the order logged above).
    for (plan, ids) in [
        ("district-a-2020", &["1", "4", "7", "10"][..]),
        ("district-b-2020", &["2", "5", "8", "11"]),
        ("district-c-2020", &["3", "6", "12"]),
        ("district-d-2020", &["9"]),
    ] {
        ontrack.run(["review", "approve", "--plan", plan].iter().chain(ids)).success();
    }
    ontrack
}

fn json(ontrack: &Ontrack, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["compare", "--parent", "city-2020", "--format", "json"];
    all.extend_from_slice(args);
    let out = ontrack.run(all).success();
    serde_json::from_str::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

/// `(plan letter, rank, rank_change)` of one indicator's rows, in order.
fn places(rows: &[Value], code: &str) -> Vec<(String, Value, Value)> {
    rows.iter()
        .filter(|r| r["code"] == code)
        .map(|r| {
            let plan = r["plan"].as_str().unwrap().trim_start_matches("district-").trim_end_matches("-2020");
            (plan.to_string(), r["rank"].clone(), r["rank_change"].clone())
        })
        .collect()
}

fn place(plan: &str, rank: Option<u32>, change: Option<i64>) -> (String, Value, Value) {
    (plan.to_string(), rank.map_or(Value::Null, Value::from), change.map_or(Value::Null, Value::from))
}

#[test]
fn json_rows_have_exactly_the_fields_and_rank_with_ties_dashes_and_changes() {
    let ontrack = city();
    let rows = json(&ontrack, &["--as-of", "2020Q3"]);
    let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["code", "plan", "org", "value", "period", "target", "status", "gap", "progress", "rank", "rank_change"]
    );
    // GDP: c first (up two from third in Q2), a and b tie at 2 (b down one), d has no figure.
    assert_eq!(
        places(&rows, "gdp-growth"),
        [
            place("c", Some(1), Some(2)),
            place("a", Some(2), Some(0)),
            place("b", Some(2), Some(-1)),
            place("d", None, None)
        ]
    );
    let d = rows.iter().find(|r| r["code"] == "gdp-growth" && r["plan"] == "district-d-2020").unwrap();
    assert_eq!((&d["value"], &d["status"], &d["target"]), (&Value::Null, &Value::from("no_data"), &Value::from(6.0)));
    // Revenue: by value; no Q2 figure, so no change.
    assert_eq!(
        places(&rows, "budget-revenue"),
        [place("c", Some(1), None), place("b", Some(2), None), place("a", Some(3), None), place("d", Some(4), None)]
    );
    // Accidents are at most 5: fewer first; d has no such target: "-", status null.
    assert_eq!(
        places(&rows, "accidents"),
        [place("b", Some(1), None), place("a", Some(2), None), place("c", Some(2), None), place("d", None, None)]
    );
    let d = rows.iter().find(|r| r["code"] == "accidents" && r["plan"] == "district-d-2020").unwrap();
    assert_eq!((&d["status"], &d["target"]), (&Value::Null, &Value::Null));
    let a = rows.iter().find(|r| r["code"] == "gdp-growth" && r["plan"] == "district-a-2020").unwrap();
    assert_eq!(
        (&a["org"], &a["value"], &a["period"], &a["status"]),
        (&"甲区".into(), &6.8.into(), &"2020Q3".into(), &"on_track".into())
    );
}

#[test]
fn by_progress_ranks_each_district_against_its_own_target() {
    let ontrack = city();
    let rows = json(&ontrack, &["--by", "progress", "--code", "budget-revenue"]);
    assert!(rows.iter().all(|r| r["code"] == "budget-revenue"));
    // c 10/8, a 8/10, d 7/9, b 9/12.
    let order: Vec<String> = places(&rows, "budget-revenue").into_iter().map(|p| p.0).collect();
    assert_eq!(order, ["c", "a", "d", "b"]);
    assert_eq!(rows[0]["progress"], 1.25);
}

#[test]
fn approved_only_leaves_a_submitted_figure_out_of_the_ranking() {
    let ontrack = city();
    let rows = json(&ontrack, &["--approved-only", "--code", "budget-revenue"]);
    assert_eq!(
        places(&rows, "budget-revenue"),
        [place("b", Some(1), None), place("a", Some(2), None), place("d", Some(3), None), place("c", None, None)]
    );
}

#[test]
fn csv_has_the_same_rows_and_the_table_shows_ranks_changes_and_dashes_in_both_languages() {
    let ontrack = city();
    let csv = ontrack.run(["compare", "--parent", "city-2020", "--format", "csv", "--code", "gdp-growth"]).success();
    let lines: Vec<&str> = csv.stdout.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "code,plan,org,value,period,target,status,gap,progress,rank,rank_change");
    assert_eq!(lines[1], "gdp-growth,district-c-2020,丙区,7.0,2020Q3,7.0,on_track,0.0,1.0,1,2");
    assert_eq!(lines[4], "gdp-growth,district-d-2020,丁区,,,6.0,no_data,,,,");
    let table = ontrack.run(["compare", "--parent", "city-2020", "--code", "gdp-growth"]).success().stdout;
    for expected in [
        "示范市（city-2020） 所属计划比较（截至 2020年三季度，按数值排名）",
        "地区生产总值增速（gdp-growth）",
        "↑2",
        "↓1",
        "与 2020年二季度 相比",
    ] {
        assert!(table.contains(expected), "{expected:?} in\n{table}");
    }
    let table = ontrack.run_en(["compare", "--parent", "city-2020", "--code", "accidents"]).success().stdout;
    for expected in [
        "as of 2020Q3, ranked by value",
        "Work-safety accidents (accidents)",
        "not in plan",
        "change in rank since 2020Q2",
    ] {
        assert!(table.contains(expected), "{expected:?} in\n{table}");
    }
    let d_line = table.lines().find(|l| l.contains("district-d-2020")).unwrap();
    assert!(d_line.trim_start_matches('│').trim_start().starts_with('-'), "{d_line}");
}

#[test]
fn an_unknown_parent_a_parent_without_children_and_an_unknown_code_are_refused() {
    let ontrack = city();
    ontrack.run_en(["compare", "--parent", "nowhere-2020"]).fails(
        1,
        "no parent plan nowhere-2020: it is not loaded and no plan names it as `parent` (parents named: city-2020",
    );
    ontrack.run_en(["compare", "--parent", "district-a-2020"]).fails(1, "plan district-a-2020 has no children");
    ontrack.run(["compare", "--parent", "district-a-2020"]).fails(1, "没有下级计划");
    ontrack
        .run_en(["compare", "--parent", "city-2020", "--code", "gdp-grwth"])
        .fails(1, "no plan under city-2020 has a target gdp-grwth (did you mean gdp-growth?)");
    ontrack.run_en(["compare", "--parent", "city-2020", "--as-of", "2021Q1"]).fails(1, "use a period of 2020");
}

/// `report --parent` in every format: the same ranks as `compare`, counts per plan,
/// what is overdue by district; the workbook has one sheet per indicator with ranks
/// as numbers.
#[test]
fn the_family_report_in_every_format() {
    let ontrack = city();
    let md = ontrack.run(["report", "--parent", "city-2020", "--as-of", "2020Q3"]).success().stdout;
    insta::assert_snapshot!("family_report_2020q3_zh.md", md);
    let md_en = ontrack.run_en(["report", "--parent", "city-2020", "--as-of", "2020Q3", "--by", "progress"]).success();
    insta::assert_snapshot!("family_report_2020q3_by_progress_en.md", md_en.stdout);

    let json: Value = serde_json::from_str(
        &ontrack.run(["report", "--parent", "city-2020", "--format", "json", "--approved-only"]).success().stdout,
    )
    .unwrap();
    assert_eq!(
        (&json["parent"], &json["as_of"], &json["approved_only"]),
        (&"city-2020".into(), &"2020Q3".into(), &true.into())
    );
    assert_eq!(json["rows"], Value::Array(json_rows_approved(&ontrack)));
    let overdue: Vec<(&str, &str)> = json["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["plan"].as_str().unwrap(), o["code"].as_str().unwrap()))
        .collect();
    // c's revenue is only submitted, so with approved figures only it is overdue; d
    // has logged no GDP and no figure for accidents (a target it has not).
    assert_eq!(overdue, [("district-c-2020", "budget-revenue"), ("district-d-2020", "gdp-growth")]);
    let plans = json["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 4);
    assert_eq!(
        (&plans[3]["plan"], &plans[3]["targets"], &plans[3]["overdue"]),
        (&"district-d-2020".into(), &2.into(), &1.into())
    );

    let csv = ontrack.run(["report", "--parent", "city-2020", "--format", "csv"]).success().stdout;
    let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
    assert_eq!(header, "code,plan,org,value,period,target,status,gap,progress,rank,rank_change,parent,as_of,by");
    assert!(
        csv.contains(
            "\r\ngdp-growth,district-c-2020,丙区,7.0,2020Q3,7.0,on_track,0.0,1.0,1,2,city-2020,2020Q3,value\r\n"
        ),
        "{csv}"
    );

    let html = ontrack.run(["report", "--parent", "city-2020", "--format", "html"]).success().stdout;
    for expected in ["<h3>地区生产总值增速（gdp-growth）</h3>", "各计划目标状态", "未报送数据（按计划）", "↑2"]
    {
        assert!(html.contains(expected), "{expected} in the page");
    }
    assert!(!html.contains("<script"), "no script");

    let out = ontrack.path("family.xlsx");
    ontrack.run(["report", "--parent", "city-2020", "--out", out.to_str().unwrap()]).success();
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[0], "总体情况");
    assert!(names[1].starts_with("gdp-growth"), "{names:?}");
    let sheet = book.worksheet_range(&names[1]).unwrap();
    // Row 3 (0-based 2) holds the headers; the ranks and changes below are numbers.
    assert_eq!(sheet.get((2, 0)), Some(&Data::String("位次".into())));
    let ranks: Vec<Data> = (3..7).map(|row| sheet.get((row, 0)).cloned().unwrap_or(Data::Empty)).collect();
    assert_eq!(ranks, [Data::Float(1.0), Data::Float(2.0), Data::Float(2.0), Data::Empty]);
    assert_eq!(sheet.get((3, 1)), Some(&Data::Float(2.0)));
    assert_eq!(sheet.get((5, 1)), Some(&Data::Float(-1.0)));
}

/// The rows `compare --approved-only --format json` prints.
fn json_rows_approved(ontrack: &Ontrack) -> Vec<Value> {
    json(ontrack, &["--approved-only"])
}

/// `chart --parent`: one chart per indicator and the family overview, the same bytes
/// on every run (snapshots), the ranks and "-" in the picture.
#[test]
fn the_family_charts_are_drawn_per_indicator_and_as_an_overview() {
    let ontrack = city();
    let out = ontrack.run(["chart", "--parent", "city-2020", "--out", "family"]).success();
    assert!(out.stdout.contains("已生成 4 张图表"), "{}", out.stdout);
    let read = |name: &str| std::fs::read_to_string(ontrack.path("family").join(name)).unwrap();
    let gdp = read("gdp-growth.svg");
    insta::assert_snapshot!("family_chart_gdp_growth_zh.svg", gdp);
    insta::assert_snapshot!("family_chart_overview_zh.svg", read("overview.svg"));
    // Sorted by rank: c, a, b, then d without a figure.
    let order: Vec<usize> = ["丙区", "甲区", "乙区", "丁区"].iter().map(|org| gdp.find(org).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(gdp.contains(">无数据</text>"));
    let accidents = read("accidents.svg");
    assert!(accidents.contains(">无此指标</text>"));
    // The same data draws the same bytes.
    ontrack.run(["chart", "--parent", "city-2020", "--out", "family"]).success();
    assert_eq!(read("gdp-growth.svg"), gdp);
    // One indicator alone, in English, by progress.
    let out = ontrack.run_en(["chart", "--parent", "city-2020", "accidents", "--by", "progress", "--out", "en"]);
    let out = out.success();
    assert!(out.stdout.contains("wrote 1 chart"), "{}", out.stdout);
    let en = std::fs::read_to_string(ontrack.path("en").join("accidents.svg")).unwrap();
    assert!(en.contains("ranked by progress against each plan"), "{en}");
    assert!(!ontrack.path("en").join("overview.svg").exists());
    // `--overview` alone: the family overview only.
    let out = ontrack.run_en(["chart", "--parent", "city-2020", "--overview", "--out", "only"]).success();
    assert!(out.stdout.contains("wrote 1 chart"), "{}", out.stdout);
    assert!(
        ontrack.path("only").join("overview.svg").exists() && !ontrack.path("only").join("gdp-growth.svg").exists()
    );
}

/// The demo database holds the illustrative city family: `compare --parent
/// zhengzhou-2020` ranks Jinshui and the four other districts on the city's indicators,
/// and a rerun of the demo accepts the family it made.
#[test]
fn the_demo_holds_the_zhengzhou_family() {
    let ontrack = Ontrack::new();
    let out = ontrack.run_en(["demo", "--dir", "d"]).success();
    assert!(out.stderr.contains("demo city: Zhengzhou and 5 district plans under it"), "{}", out.stderr);
    let db = ontrack.path("d/ontrack.db");
    let on = |args: &[&str]| {
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        ontrack.run(all).success().stdout
    };
    let rows: Vec<Value> =
        serde_json::from_str(&on(&["compare", "--parent", "zhengzhou-2020", "--format", "json"])).unwrap();
    let codes: Vec<&str> = rows.iter().map(|r| r["code"].as_str().unwrap()).collect();
    let mut distinct = codes.clone();
    distinct.dedup();
    // The city's own targets, in its order (Jinshui's other 44 are not the city's).
    assert_eq!(
        distinct,
        [
            "gdp-growth",
            "budget-revenue-growth",
            "income-growth",
            "cpi-growth",
            "rd-spending-growth",
            "unemployment-rate"
        ]
        .iter()
        .filter(|code| **code != "cpi-growth")
        .copied()
        .collect::<Vec<_>>()
    );
    let gdp: Vec<(&str, &Value)> =
        rows.iter().filter(|r| r["code"] == "gdp-growth").map(|r| (r["plan"].as_str().unwrap(), &r["rank"])).collect();
    assert_eq!(gdp.len(), 5);
    assert!(gdp.iter().all(|(_, rank)| rank.is_u64()), "every district has a full-year GDP figure: {gdp:?}");
    // The default plan is still the built-in one.
    assert!(on(&["status", "--format", "json"]).contains("\"code\": \"new-roads\""));
    ontrack.run_en(["demo", "--dir", "d"]).success();
}
