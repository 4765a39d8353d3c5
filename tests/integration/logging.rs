//! Logging figures: record, import (CSV and .xlsx), template, history, revisions,
//! validation, and several writers at once.

use std::io::{Read, Write};

use calamine::{Reader, Xlsx};
use serde_json::Value;

use crate::support::Ontrack;

/// Every figure of a target, as `history --format json` gives them.
fn history(ontrack: &Ontrack, target: &str) -> Vec<Value> {
    let out = ontrack.run(["history", target, "--format", "json"]).success();
    serde_json::from_str::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

/// Runs a command that must fail with `code` and `message`, and checks it changed nothing.
fn refused(ontrack: &Ontrack, args: &[&str], code: i32, message: &str) -> String {
    let before = ontrack.dump();
    let out = ontrack.run_en(args).fails(code, message);
    assert_eq!(ontrack.dump(), before, "{args:?} changed the database");
    out.stderr
}

#[test]
fn a_problem_names_the_line_an_editor_shows_even_after_blank_lines() {
    let ontrack = Ontrack::init();
    // Blank lines are skipped by the reader; the line numbers must still be the ones a
    // person sees. The same text as UTF-8 with CRLF line ends and as GBK.
    let text = "target,period,value\n\ngdp-growth,2020Q1,abc\ngdp-growth,2020Q2,1\n\n\nnew-roads,2020Q2,-2\n";
    let crlf = text.replace('\n', "\r\n");
    let chinese = format!("指标代码,期间,数值{}", &text[text.find('\n').unwrap()..]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&chinese);
    for (name, bytes) in
        [("lf.csv", text.as_bytes().to_vec()), ("crlf.csv", crlf.into_bytes()), ("gbk.csv", gbk.into_owned())]
    {
        let file = ontrack.file(name, bytes);
        let stderr = refused(&ontrack, &["import", file.to_str().unwrap()], 1, "has 2 problems");
        assert!(stderr.contains("line 3 (gdp-growth)"), "{name}: {stderr}");
        assert!(stderr.contains("line 7 (new-roads)"), "{name}: {stderr}");
    }
}

#[test]
fn record_logs_a_negative_figure_with_its_provenance() {
    let ontrack = Ontrack::init();
    let out = ontrack
        .run_en(["record", "gdp-growth", "2020Q1", "-5.2", "--source", "区统计局 一季度统计月报", "--note", "初步核算"])
        .success();
    assert!(out.stderr.contains("recorded figure #1: gdp-growth 2020Q1 = -5.2 % (by tester)"), "{}", out.stderr);
    let rows = history(&ontrack, "gdp-growth");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let fields: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "target",
            "period",
            "value",
            "source",
            "by",
            "recorded_at",
            "note",
            "revision",
            "reason",
            "id",
            "revises",
            "current",
            "set_clock",
            "state",
            "state_by",
            "state_reason",
            "late"
        ]
    );
    assert_eq!(row["target"], "gdp-growth");
    assert_eq!(row["period"], "2020Q1");
    assert_eq!(row["value"].as_f64(), Some(-5.2));
    assert_eq!(row["source"], "区统计局 一季度统计月报");
    assert_eq!(row["by"], "tester");
    assert_eq!(row["recorded_at"], "2021-03-31T08:00:00.000000Z");
    assert_eq!(row["set_clock"], true, "stamped by ONTRACK_NOW, and marked so");
    assert_eq!(row["late"], true, "2020Q1 logged in March 2021");
    assert_eq!(row["note"], "初步核算");
    assert_eq!(row["revision"], 0);
    assert_eq!(row["reason"], Value::Null);
    assert_eq!(row["current"], true);
}

#[test]
fn by_defaults_to_the_os_user_and_can_be_given() {
    let ontrack = Ontrack::init();
    // Blank user variables: the name the system gives this process's uid.
    ontrack
        .run(["record", "new-roads", "2020Q1", "10"])
        .env("USER", "")
        .env("LOGNAME", " ")
        .env("USERNAME", "")
        .success();
    ontrack.run(["record", "new-roads", "2020Q2", "30", "--by", "李四"]).success();
    ontrack.run(["record", "new-roads", "2020Q3", "50"]).env("USER", "").env("USERNAME", "wang").success();
    let by: Vec<String> =
        history(&ontrack, "new-roads").iter().map(|r| r["by"].as_str().unwrap().to_string()).collect();
    let system = std::process::Command::new("id").arg("-un").output().expect("id -un").stdout;
    let system = String::from_utf8(system).unwrap().trim().to_string();
    assert_eq!(by, [system.as_str(), "李四", "wang"]);
}

#[test]
fn a_second_figure_is_refused_with_the_standing_one_and_the_revise_command() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-6.8", "--source", "快报"]).success();
    let stderr = refused(&ontrack, &["record", "gdp-growth", "2020Q1", "-6.1"], 1, "already has a figure for 2020Q1");
    assert!(
        stderr.contains("-6.8 % (logged as 2020Q1 by tester at 2021-03-31T08:00:00.000000Z, source 快报)"),
        "{stderr}"
    );
    assert!(stderr.contains("ontrack record gdp-growth 2020Q1 -6.1 --revise --reason \"…\""), "{stderr}");
    // The same window in another form (a year-to-date 2020-03 is 2020Q1) is refused too.
    refused(&ontrack, &["record", "gdp-growth", "2020年1-3月", "-6.1"], 1, "already has a figure for 2020-03");

    ontrack.run(["record", "gdp-growth", "2020Q1", "-6.1", "--revise", "--reason", "最终核实"]).success();
    ontrack.run(["record", "gdp-growth", "2020-03", "-6.2", "--revise", "--reason", "再次核实"]).success();
    let rows = history(&ontrack, "gdp-growth");
    let summary: Vec<(f64, u64, bool, Value)> = rows
        .iter()
        .map(|r| {
            (r["value"].as_f64().unwrap(), r["revision"].as_u64().unwrap(), r["current"] == true, r["revises"].clone())
        })
        .collect();
    assert_eq!(
        summary,
        [(-6.8, 0, false, Value::Null), (-6.1, 1, false, Value::from(1)), (-6.2, 2, true, Value::from(2)),]
    );
    assert_eq!(rows[1]["reason"], "最终核实");
}

#[test]
fn revise_needs_a_reason_and_a_figure_to_revise() {
    let ontrack = Ontrack::init();
    refused(&ontrack, &["record", "gdp-growth", "2020Q1", "1", "--revise"], 2, "--reason");
    refused(&ontrack, &["record", "gdp-growth", "2020Q1", "1", "--reason", "x"], 2, "--revise");
    refused(
        &ontrack,
        &["record", "gdp-growth", "2020Q1", "1", "--revise", "--reason", "最终核实"],
        1,
        "nothing to revise",
    );
    ontrack.run(["record", "gdp-growth", "2020Q1", "1"]).success();
    refused(&ontrack, &["record", "gdp-growth", "2020Q1", "2", "--revise", "--reason", "  "], 1, "--reason is empty");
}

/// (target, period, value, part of the message): each refused with exit 1, nothing written.
/// The clock is 15 October 2020.
const BAD_FIGURES: &[(&str, &str, &str, &str)] = &[
    ("gdp-grwth", "2020Q1", "1", "plan jinshui-2020 has no target \"gdp-grwth\" (did you mean gdp-growth?)"),
    ("gdp-growth", "2019Q4", "1", "2019Q4 is outside the plan's year: plan jinshui-2020 is for 2020"),
    ("gdp-growth", "2020Q4", "1", "2020Q4 is in the future: it ends in 2020-12, after the current month 2020-10"),
    ("gdp-growth", "2020-11", "1", "2020-11 is in the future"),
    ("gdp-growth", "2020H2", "1", "use 2020 (全年)"),
    ("gdp-growth", "2020Q3", "abc", "\"abc\" is not a number"),
    ("gdp-growth", "2020Q3", "NaN", "\"NaN\" is not a figure"),
    ("gdp-growth", "2020Q3", "inf", "\"inf\" is not a figure"),
    ("gdp-growth", "2020Q3", "1e309", "\"1e309\" is too large"),
    ("gdp-growth", "2020Q3", "-101", "below -100"),
    ("unemployment-rate", "2020Q3", "101", "101 is outside 0–100: unemployment-rate is a rate in %"),
    ("waste-sorting-coverage", "2020Q3", "-0.1", "-0.1 is outside 0–100"),
    ("new-roads", "2020Q3", "-3", "-3 is negative: new-roads is a count"),
    ("new-roads", "2020Q3", "4.5", "4.5 is not a whole number"),
    ("investment-signed-value", "2020Q3", "-1", "-1 is negative: investment-signed-value is an amount"),
    ("longjin-lianhuo-interchange", "2020Q3", "-5", "-5 is negative"),
    ("longjin-lianhuo-interchange", "2020Q3", "101", "101 is outside 0–100"),
    (
        "emergency-bridge-loan-fund",
        "2020Q3",
        "5亿元",
        "\"5亿元\" is in 亿元, but emergency-bridge-loan-fund is measured in 万元",
    ),
];

#[test]
fn bad_figures_are_refused_with_a_clear_message_and_nothing_written() {
    let mut ontrack = Ontrack::init();
    ontrack.now = "2020-10-15T09:00:00Z".to_string();
    for (target, period, value, message) in BAD_FIGURES {
        let stderr = refused(&ontrack, &["record", target, period, value], 1, message);
        assert!(stderr.contains("nothing was written"), "{stderr}");
    }
    // A period that is no period is bad usage, refused by the command line before anything is opened.
    refused(
        &ontrack,
        &["record", "gdp-growth", "2020Q5", "1"],
        2,
        "\"2020Q5\" is not a period: use 2020, 2020H1, 2020Q3, 2020-09",
    );
    // At the same clock these are fine: a quarter that ended, and the month in progress.
    ontrack.run(["record", "gdp-growth", "2020Q3", "-0.5"]).success();
    ontrack.run(["record", "budget-revenue-growth", "2020-10", "1.2"]).success();
}

#[test]
fn history_as_recorded_shows_what_was_known_then() {
    let mut ontrack = Ontrack::init();
    ontrack.now = "2020-07-20T02:00:00Z".to_string();
    ontrack.run(["record", "gdp-growth", "2020H1", "-0.9"]).success();
    ontrack.now = "2020-10-20T02:00:00Z".to_string();
    ontrack.run(["record", "gdp-growth", "2020-06", "-0.2", "--revise", "--reason", "最终核实"]).success();
    ontrack.run(["record", "gdp-growth", "2020Q3", "1.5"]).success();

    let as_of = |moment: &str| -> Vec<(String, f64, bool)> {
        let out = ontrack.run(["history", "gdp-growth", "--as-recorded", moment, "--format", "json"]).success();
        let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
        rows.iter()
            .map(|r| (r["period"].as_str().unwrap().to_string(), r["value"].as_f64().unwrap(), r["current"] == true))
            .collect()
    };
    assert_eq!(as_of("2020-07-31"), [("2020H1".to_string(), -0.9, true)]);
    assert_eq!(as_of("2020-07-20"), [("2020H1".to_string(), -0.9, true)], "a date means the end of that day");
    assert_eq!(as_of("2020-07-19"), []);
    assert_eq!(
        as_of("2020-10-20T10:00:00+08:00"),
        [("2020H1".to_string(), -0.9, false), ("2020-06".to_string(), -0.2, true), ("2020Q3".to_string(), 1.5, true)]
    );
    let table = ontrack.run(["history", "gdp-growth", "--as-recorded", "2020-07-31"]).success();
    assert!(table.stdout.contains("截至 2020-07-31 23:59:59（北京时间） 已登记的数据"), "{}", table.stdout);
    let csv = ontrack.run(["history", "gdp-growth", "--format", "csv"]).success();
    assert!(
        csv.stdout.starts_with("\u{feff}target,period,value,source,by,recorded_at,note,revision,reason"),
        "{}",
        csv.stdout
    );
    let empty = ontrack.run(["history", "gdp-growth", "--as-recorded", "2020-01-01", "--format", "csv"]).success();
    assert_eq!(
        empty.stdout,
        "\u{feff}target,period,value,source,by,recorded_at,note,revision,reason,id,revises,current,set_clock,state,\
         state_by,state_reason,late\r\n"
    );
    ontrack.run_en(["history", "gdp-growth", "--as-recorded", "last week"]).fails(2, "is not a date or time");
    ontrack.run_en(["history", "gdp-grwth"]).fails(1, "did you mean gdp-growth?");
}

const FULL_CSV: &str = "target,period,value,source,note,by,reason,plan\n\
gdp-growth,2020Q1,-6.8,区统计局 一季度统计月报,初步核算,王五,,jinshui-2020\n\
gdp-growth,2020-03,-6.1,区统计局,,王五,最终核实,\n\
new-roads,2020Q1,,,,,,\n\
unemployment-rate,2020Q1,3.4,区人社局,,,,\n";

#[test]
fn import_writes_every_row_with_its_provenance_and_skips_blank_values() {
    let ontrack = Ontrack::init();
    let file = ontrack.file("figures.csv", FULL_CSV);
    let out = ontrack.run_en(["import", file.to_str().unwrap()]).success();
    assert!(
        out.stderr.contains("imported 3 figures (1 revision) from")
            && out.stderr.contains("1 row without a value skipped"),
        "{}",
        out.stderr
    );
    let gdp = history(&ontrack, "gdp-growth");
    assert_eq!(gdp.len(), 2);
    assert_eq!(gdp[0]["source"], "区统计局 一季度统计月报");
    assert_eq!(gdp[0]["note"], "初步核算");
    assert_eq!(gdp[0]["by"], "王五");
    assert_eq!(gdp[1]["reason"], "最终核实");
    assert_eq!(gdp[1]["revises"], gdp[0]["id"]);
    assert_eq!(history(&ontrack, "unemployment-rate")[0]["by"], "tester");
    assert!(history(&ontrack, "new-roads").is_empty());
}

#[test]
fn import_reads_chinese_headers_with_a_bom_and_crlf() {
    let ontrack = Ontrack::init();
    let text =
        "\u{feff}指标代码,期间,数值,来源,备注,填报人,修订原因\r\ngdp-growth,2020年一季度,-6.8,区统计局,,张三,\r\n\
                gdp-growth,2020年上半年,-0.9,区统计局,,张三,\r\nnew-roads,2020年前三季度,abc,,,,\r\n";
    let file = ontrack.file("figures.csv", text);
    // A bad row names its line as a text editor counts it, CRLF or not.
    refused(&ontrack, &["import", file.to_str().unwrap()], 1, "line 4 (new-roads): \"abc\" is not a number");
    let file = ontrack.file("figures.csv", text.replace("abc", "45"));
    ontrack.run(["import", file.to_str().unwrap()]).success();
    // Tab-separated text, as Excel's "Text (Tab delimited)" saves it, reads the same way.
    let file = ontrack.file("tabs.txt", "指标代码\t期间\t数值\nunemployment-rate\t2020年一季度\t3.4\n");
    ontrack.run(["import", file.to_str().unwrap()]).success();
    assert_eq!(history(&ontrack, "unemployment-rate")[0]["value"].as_f64(), Some(3.4));
    let periods: Vec<String> =
        history(&ontrack, "gdp-growth").iter().map(|r| r["period"].as_str().unwrap().to_string()).collect();
    assert_eq!(periods, ["2020Q1", "2020H1"]);
    assert_eq!(history(&ontrack, "new-roads")[0]["period"], "2020Q3");
}

#[test]
fn import_decodes_gbk_from_excel_on_chinese_windows_and_says_so() {
    let ontrack = Ontrack::init();
    let text = "指标代码,期间,数值,来源\r\ngdp-growth,2020年前三季度,1.5,区统计局 三季度统计月报\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let file = ontrack.file("gbk.csv", &gbk);
    let out = ontrack.run_en(["import", file.to_str().unwrap()]).success();
    assert!(out.stderr.contains("is not UTF-8; read it as GB18030"), "{}", out.stderr);
    assert_eq!(history(&ontrack, "gdp-growth")[0]["source"], "区统计局 三季度统计月报");
    // Bytes that are neither UTF-8 nor Chinese text are refused with what to do.
    let file = ontrack.file("latin1.csv", b"target,period,value,note\ngdp-growth,2020Q1,1,caf\xe9\n");
    refused(&ontrack, &["import", file.to_str().unwrap()], 1, "save it as \"CSV UTF-8\"");
}

#[test]
fn a_file_with_bad_rows_lists_every_one_and_writes_nothing() {
    let mut ontrack = Ontrack::init();
    ontrack.now = "2020-10-15T09:00:00Z".to_string();
    let text = "target,period,value,plan\n\
gdp-growth,2020Q1,-6.8,\n\
gdp-grwth,2020Q2,1,\n\
gdp-growth,2020Q3,-0.5,\n\
gdp-growth,2020-09,-0.4,\n\
unemployment-rate,2020Q3,101,\n\
new-roads,2020Q3,-2,\n\
longjin-lianhuo-interchange,2020Q3,120,\n\
gdp-growth,2020Q4,1,\n\
gdp-growth,2019Q4,1,\n\
new-roads,2020H2,1,\n\
gdp-growth,2020Q2,NaN,\n\
budget-revenue-growth,2020-05,1e309,\n\
budget-revenue-growth,2020-04,1,other-2020\n\
budget-revenue-growth,2020-03,,\n";
    let file = ontrack.file("bad.csv", text);
    // Without --plan the file's first plan cell names the plan, which is not loaded.
    refused(&ontrack, &["import", file.to_str().unwrap()], 1, "is for plan other-2020 (line 14)");
    let stderr =
        refused(&ontrack, &["import", file.to_str().unwrap(), "--plan", "jinshui-2020"], 1, "bad.csv has 11 problems:");
    for expected in [
        "line 3 (gdp-grwth): plan jinshui-2020 has no target \"gdp-grwth\" (did you mean gdp-growth?)",
        "line 5 (gdp-growth): the same window as line 4 (2020Q3 and 2020-09 both end in 2020-09)",
        "line 6 (unemployment-rate): 101 is outside 0–100",
        "line 7 (new-roads): -2 is negative: new-roads is a count",
        "line 8 (longjin-lianhuo-interchange): 120 is outside 0–100",
        "line 9 (gdp-growth): 2020Q4 is in the future",
        "line 10 (gdp-growth): 2019Q4 is outside the plan's year",
        "line 11 (new-roads): 2020H2 is no window for new-roads",
        "line 12 (gdp-growth): \"NaN\" is not a figure",
        "line 13 (budget-revenue-growth): \"1e309\" is too large",
        "line 14 (budget-revenue-growth): the row is for plan other-2020",
        "Nothing was written.",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in\n{stderr}");
    }
    // The blank value of line 15 is no problem; the good rows were not written either.
    assert!(!stderr.contains("line 15"), "{stderr}");
    assert!(!stderr.contains("line 2 "), "{stderr}");
}

#[test]
fn import_refuses_rows_that_clash_with_logged_figures_and_accepts_revisions() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-6.8"]).success();
    let file = ontrack.file("again.csv", "target,period,value\ngdp-growth,2020年一季度,-6.8\nnew-roads,2020Q1,5\n");
    let stderr = refused(
        &ontrack,
        &["import", file.to_str().unwrap()],
        1,
        "line 2 (gdp-growth): gdp-growth already has a figure for 2020Q1: -6.8",
    );
    assert!(stderr.contains("fill the reason (修订原因) column"), "{stderr}");
    assert!(stderr.contains("this file may have been imported already"), "{stderr}");
    let file = ontrack.file("orphan.csv", "target,period,value,reason\nnew-roads,2020Q1,5,最终核实\n");
    refused(
        &ontrack,
        &["import", file.to_str().unwrap()],
        1,
        "line 2 (new-roads): the row has a reason (修订原因), so it revises",
    );
    let file = ontrack
        .file("revise.csv", "target,period,value,reason\ngdp-growth,2020Q1,-6.1,最终核实\nnew-roads,2020Q1,5,\n");
    ontrack.run(["import", file.to_str().unwrap()]).success();
    let values: Vec<f64> = history(&ontrack, "gdp-growth").iter().map(|r| r["value"].as_f64().unwrap()).collect();
    assert_eq!(values, [-6.8, -6.1]);
}

#[test]
fn dry_run_says_what_would_be_written_and_writes_nothing() {
    let ontrack = Ontrack::init();
    let file = ontrack.file("figures.csv", FULL_CSV);
    let before = ontrack.dump();
    let out = ontrack.run_en(["import", file.to_str().unwrap(), "--dry-run"]).success();
    assert_eq!(ontrack.dump(), before);
    assert!(
        out.stderr.contains("dry run: would write 3 figures (1 revision) into plan jinshui-2020"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("line 3") && out.stdout.contains("最终核实"), "{}", out.stdout);
    // A dry run finds the same problems as the real import.
    let file = ontrack.file("bad.csv", "target,period,value\ngdp-growth,2020Q1,x\n");
    refused(
        &ontrack,
        &["import", file.to_str().unwrap(), "--dry-run"],
        1,
        "line 2 (gdp-growth): \"x\" is not a number",
    );
}

#[test]
fn unusable_files_are_refused_plainly() {
    let ontrack = Ontrack::init();
    refused(&ontrack, &["import", "missing.csv"], 1, "missing.csv: no such file; nothing was written");
    let file = ontrack.file("figures.ods", "x");
    refused(&ontrack, &["import", file.to_str().unwrap()], 1, "save it as .xlsx or as \"CSV UTF-8\"");
    let file = ontrack.file("cols.csv", "code,when,amount\ngdp-growth,2020Q1,1\n");
    refused(
        &ontrack,
        &["import", file.to_str().unwrap()],
        1,
        "no column target (指标代码), period (期间), value (数值)",
    );
    let file = ontrack.file("fake.xlsx", "not a zip");
    refused(&ontrack, &["import", file.to_str().unwrap()], 1, "cannot read it as an Excel .xlsx workbook");
    let file = ontrack.file("empty.csv", "");
    refused(&ontrack, &["import", file.to_str().unwrap()], 1, "it is empty");
}

#[test]
fn template_lists_the_targets_due_for_a_period_and_imports_back_once_filled() {
    let mut ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020H1", "-0.9"]).success();
    let out = ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "t.csv"]).success();
    assert!(out.stderr.contains("已写入 t.csv：2020Q3 需报送的指标 2 项"), "{}", out.stderr);
    let text = std::fs::read_to_string(ontrack.path("t.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}指标代码,期间,数值,来源,备注,填报人,计划,指标名称,单位,目标,上次数值,牵头单位,填报说明"
    );
    assert!(
        lines[1].starts_with("gdp-growth,2020Q3,,,,,jinshui-2020,地区生产总值增速,%,≈ 6.5 %,2020H1: -0.9,区统计局,"),
        "{text}"
    );
    assert!(lines[2].starts_with("income-growth,2020Q3,,"), "{text}");
    // The department fills in values; the file imports as it is, context columns and all.
    let filled = text.replacen("gdp-growth,2020Q3,,,", "gdp-growth,2020Q3,1.5,区统计局,", 1);
    ontrack.file("t.csv", filled);
    let out = ontrack.run_en(["import", "t.csv"]).success();
    assert!(
        out.stderr.contains("imported 1 figure from t.csv") && out.stderr.contains("1 row without a value skipped"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("columns not imported"), "{}", out.stderr);

    // Only targets due by their frequency: a monthly one in a month template, a yearly one at the year's end.
    ontrack.run(["template", "--period", "2020-08", "--out", "m.csv"]).success();
    let month = std::fs::read_to_string(ontrack.path("m.csv")).unwrap();
    assert_eq!(month.lines().count(), 2, "{month}");
    assert!(month.contains("budget-revenue-growth,2020-08"), "{month}");
    ontrack.now = "2021-01-20T00:00:00Z".to_string();
    ontrack.run(["--lang", "en", "template", "--period", "2020", "--out", "y.csv"]).success();
    let year = std::fs::read_to_string(ontrack.path("y.csv")).unwrap();
    assert!(
        year.starts_with(
            "\u{feff}target,period,value,source,note,by,plan,name,unit,goal,last figure,lead unit,how to fill"
        ),
        "{year}"
    );
    assert!(year.contains("rd-spending-growth,2020,"), "{year}");
    assert_eq!(year.lines().count(), 51, "every target is due for the whole year");

    refused(
        &ontrack,
        &["template", "--period", "2020Q3", "--lead-unit", "区教育局", "--out", "x.csv"],
        1,
        "no target of plan jinshui-2020 is led by \"区教育局\"; the lead units are:",
    );
    refused(&ontrack, &["template", "--period", "2019Q3", "--out", "x.csv"], 1, "outside the plan's year");
    refused(&ontrack, &["template", "--period", "2020Q3", "--out", "x.pdf"], 1, "must end in .xlsx or .csv");
    refused(
        &ontrack,
        &["template", "--period", "2020-08", "--lead-unit", "区统计局", "--out", "x.csv"],
        1,
        "no target led by 区统计局 is due for 2020-08",
    );
    assert!(!ontrack.path("x.csv").exists());
}

/// The files of an .xlsx (a zip archive), by name.
fn xlsx_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut contents = Vec::new();
            file.read_to_end(&mut contents).unwrap();
            (file.name().unwrap().to_string(), contents)
        })
        .collect()
}

/// Fills cells of the first worksheet as Excel would store typed input: numbers as
/// values, text as inline strings, over what the cell held. The cells must exist in
/// the template (blank or not).
pub(crate) fn fill_xlsx(bytes: &[u8], cells: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, contents) in xlsx_parts(bytes) {
        let contents = if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(contents).unwrap();
            for (cell, value) in cells {
                let start = xml.find(&format!("<c r=\"{cell}\" ")).unwrap_or_else(|| panic!("no cell {cell}"));
                let close = start + xml[start..].find('>').unwrap();
                // `<c r="C4" s="3"/>`, or `<c r="L12" s="9" t="s"><v>35</v></c>` with a value.
                let end = if xml[..close].ends_with('/') {
                    close + 1
                } else {
                    close + xml[close..].find("</c>").unwrap() + 4
                };
                let opening = xml[start..close].trim_end_matches('/').replace(" t=\"s\"", "");
                let filled = if let Some(formula) = value.strip_prefix('=') {
                    // As a program (not Excel) saves a formula: without a calculated value.
                    format!("{opening}><f>{formula}</f></c>")
                } else if value.parse::<f64>().is_ok() {
                    format!("{opening}><v>{value}</v></c>")
                } else {
                    format!("{opening} t=\"inlineStr\"><is><t>{value}</t></is></c>")
                };
                xml.replace_range(start..end, &filled);
            }
            xml.into_bytes()
        } else {
            contents
        };
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(&contents).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Two plans of the same year and codes: a template made for the one loaded first goes
/// back into it, though the other was loaded last, in CSV and in Excel.
#[test]
fn a_filled_template_goes_back_into_the_plan_it_was_made_for() {
    let ontrack = Ontrack::init();
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml")).unwrap();
    let other = ontrack.file("erqi.toml", plan.replace("id = \"jinshui-2020\"", "id = \"erqi-2020\""));
    ontrack.run(["plan", "import", other.to_str().unwrap()]).success();
    let count = |plan: &str| {
        let out = ontrack.run(["history", "gdp-growth", "--plan", plan, "--format", "json"]).success();
        serde_json::from_str::<Vec<serde_json::Value>>(&out.stdout).unwrap().len()
    };

    let args = ["template", "--plan", "jinshui-2020", "--period", "2020Q3", "--lead-unit", "区统计局"];
    ontrack.run(args.iter().copied().chain(["--out", "t.csv"])).success();
    let text = std::fs::read_to_string(ontrack.path("t.csv")).unwrap();
    assert!(text.lines().skip(1).all(|line| line.contains(",jinshui-2020,")), "{text}");
    ontrack.file("t.csv", text.replacen("gdp-growth,2020Q3,,", "gdp-growth,2020Q3,1.5,", 1));
    let out = ontrack.run_en(["import", "--dry-run", "t.csv"]).success();
    assert!(out.stderr.contains("into plan jinshui-2020"), "{}", out.stderr);
    let out = ontrack.run_en(["import", "t.csv"]).success();
    assert!(out.stderr.contains("imported 1 figure from t.csv into plan jinshui-2020"), "{}", out.stderr);
    assert_eq!((count("jinshui-2020"), count("erqi-2020")), (1, 0));

    ontrack.run(args.iter().copied().chain(["--out", "t.xlsx"])).success();
    let bytes = std::fs::read(ontrack.path("t.xlsx")).unwrap();
    ontrack.file("filled.xlsx", fill_xlsx(&bytes, &[("C5", "2.1")]));
    let out = ontrack.run_en(["import", "filled.xlsx"]).success();
    assert!(out.stderr.contains("imported 1 figure from filled.xlsx into plan jinshui-2020"), "{}", out.stderr);
    let income = |plan: &str| {
        let out = ontrack.run(["history", "income-growth", "--plan", plan, "--format", "json"]).success();
        serde_json::from_str::<Vec<serde_json::Value>>(&out.stdout).unwrap().len()
    };
    assert_eq!((income("jinshui-2020"), income("erqi-2020")), (1, 0));

    // A file of a plan this database does not hold is refused, naming it and the loaded ones.
    let before = ontrack.dump();
    ontrack.file("gone.csv", text.replace(",jinshui-2020,", ",gone-2020,").replacen(",2020Q3,,", ",2020Q3,1,", 1));
    for lang in ["en", "zh"] {
        let out = ontrack.run(["--lang", lang, "import", "gone.csv"]).fails(1, "gone-2020");
        assert!(out.stderr.contains("line 2"), "{}", out.stderr);
        assert!(out.stderr.contains("erqi-2020, jinshui-2020"), "{}", out.stderr);
    }
    let out = ontrack.run(["--lang", "en", "import", "gone.csv"]).fails(1, "which this database does not hold");
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    ontrack.run(["import", "gone.csv"]).fails(1, "本数据库没有载入这个计划");
    // A file whose rows name different plans is refused whole.
    let mixed = text
        .replacen("gdp-growth,2020Q3,,", "gdp-growth,2020Q3,1.5,", 1)
        .replace("income-growth,2020Q3,,,,,jinshui-2020,", "income-growth,2020Q3,2,,,,erqi-2020,");
    ontrack.file("mixed.csv", mixed);
    ontrack
        .run_en(["import", "mixed.csv"])
        .fails(1, "the row is for plan erqi-2020, but the import is into plan jinshui-2020");
    assert_eq!(ontrack.dump(), before, "a refused import wrote something");
}

#[test]
fn xlsx_template_is_protected_validated_and_imports_once_filled() {
    let ontrack = Ontrack::init();
    ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "t.xlsx"]).success();
    let bytes = std::fs::read(ontrack.path("t.xlsx")).unwrap();
    let parts = xlsx_parts(&bytes);
    let sheet =
        String::from_utf8(parts.iter().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap().1.clone()).unwrap();
    assert!(sheet.contains("<sheetProtection"), "the sheet is protected");
    assert!(sheet.contains("<dataValidations count=\"2\">"), "{sheet}");
    assert!(
        sheet.contains("<formula1>-100</formula1><formula2>1000</formula2>"),
        "growth values: -100 to 1000, as validation allows"
    );
    let styles = String::from_utf8(parts.iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1.clone()).unwrap();
    assert!(styles.contains("<protection locked=\"0\"/>"), "the input columns are unlocked");
    // The same data and clock give the same bytes.
    ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "again.xlsx"]).success();
    assert_eq!(std::fs::read(ontrack.path("again.xlsx")).unwrap(), bytes);

    // An unfilled template imports as nothing to do.
    let out = ontrack.run_en(["import", "t.xlsx"]).success();
    assert!(
        out.stderr.contains("nothing to import") && out.stderr.contains("2 rows without a value skipped"),
        "{}",
        out.stderr
    );

    // A formula saved without its value is named, not skipped as blank.
    let before = ontrack.dump();
    ontrack.file("formula.xlsx", fill_xlsx(&bytes, &[("C4", "=B9*2"), ("C5", "2.1")]));
    for dry_run in [false, true] {
        let args = if dry_run { vec!["import", "--dry-run", "formula.xlsx"] } else { vec!["import", "formula.xlsx"] };
        let stderr = refused(&ontrack, &args, 1, "the value cell 填报!C4 (=B9*2) holds a formula without a calculated");
        assert!(stderr.contains("open the file in Excel or WPS and save it"), "{stderr}");
    }
    assert_eq!(ontrack.dump(), before, "a refused import wrote something");

    // A mistake names the sheet and cell.
    ontrack.file("bad.xlsx", fill_xlsx(&bytes, &[("C4", "-120"), ("C5", "很多")]));
    let stderr = refused(&ontrack, &["import", "bad.xlsx"], 1, "填报!C4 (gdp-growth): -120 is below -100");
    assert!(stderr.contains("填报!C5 (income-growth): \"很多\" is not a number"), "{stderr}");

    ontrack.file(
        "filled.xlsx",
        fill_xlsx(
            &bytes,
            &[("C4", "1.5"), ("D4", "区统计局 三季度统计月报"), ("E4", "初步核算"), ("F4", "张三"), ("C5", "2.1")],
        ),
    );
    let out = ontrack.run_en(["import", "filled.xlsx"]).success();
    assert!(out.stderr.contains("imported 2 figures from filled.xlsx"), "{}", out.stderr);
    let gdp = &history(&ontrack, "gdp-growth")[0];
    assert_eq!((gdp["period"].as_str(), gdp["value"].as_f64()), (Some("2020Q3"), Some(1.5)));
    assert_eq!(
        (gdp["source"].as_str(), gdp["note"].as_str(), gdp["by"].as_str()),
        (Some("区统计局 三季度统计月报"), Some("初步核算"), Some("张三"))
    );
    assert_eq!(history(&ontrack, "income-growth")[0]["value"].as_f64(), Some(2.1));
}

/// The Excel template is a statistical form: a head above the column headers (title,
/// reporting unit, period, plan) and a foot below the rows (unit head, statistics
/// head, filled in by, phone, reported on), which import reads back: 填表人 is who
/// logged the rows without a by, and the form is printed in the summary.
#[test]
fn xlsx_template_is_a_form_whose_head_and_foot_import_back() {
    let ontrack = Ontrack::init();
    ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "t.xlsx"]).success();
    let bytes = std::fs::read(ontrack.path("t.xlsx")).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(ontrack.path("t.xlsx")).unwrap();
    let range = book.worksheet_range("填报").unwrap();
    let text = |row: u32, col: u32| range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(text(0, 0), "金水区 2020 年目标任务完成情况统计表");
    assert_eq!((text(1, 0).as_str(), text(1, 1).as_str()), ("填报单位：", "区统计局"));
    assert_eq!((text(1, 3).as_str(), text(1, 4).as_str()), ("报告期：", "2020年三季度"));
    assert_eq!((text(1, 6).as_str(), text(1, 7).as_str()), ("计划：", "jinshui-2020"));
    assert_eq!(
        (text(2, 0).as_str(), text(3, 0).as_str(), text(4, 0).as_str()),
        ("指标代码", "gdp-growth", "income-growth")
    );
    let foot: Vec<String> = (0..13).map(|col| text(11, col)).filter(|t| !t.is_empty()).collect();
    assert_eq!(foot, ["单位负责人：", "统计负责人：", "填表人：", "联系电话：", "报出日期：", "____ 年 __ 月 __ 日"]);

    let form =
        [("B12", "李四"), ("E12", "王五"), ("G12", "张三"), ("I12", "0371-6000 1234"), ("L12", "2020 年 10 月 12 日")];
    let values = [("C4", "1.5"), ("C5", "2.1"), ("F5", "赵六")];
    ontrack.file("filled.xlsx", fill_xlsx(&bytes, &[&form[..], &values[..]].concat()));
    let out = ontrack.run_en(["import", "--dry-run", "filled.xlsx"]).success();
    assert!(
        out.stderr.contains(
            "form: Reporting unit 区统计局; Head of unit 李四; Head of statistics 王五; Filled in by 张三; Phone 0371-6000 \
             1234; Reported on 2020-10-12"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("note:"), "the unit leads every row: {}", out.stderr);
    let out = ontrack.run(["import", "filled.xlsx"]).success();
    assert!(
        out.stderr.contains("报表：填报单位 区统计局；单位负责人 李四；统计负责人 王五；填表人 张三；联系电话 0371-6000 1234；报出日期 2020年10月12日"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("已导入 2 条数据"), "{}", out.stderr);
    // 填表人 logged the row without a by; a row's own by stands.
    assert_eq!(history(&ontrack, "gdp-growth")[0]["by"].as_str(), Some("张三"));
    assert_eq!(history(&ontrack, "income-growth")[0]["by"].as_str(), Some("赵六"));

    // A bad 报出日期 is refused with its cell; nothing is written.
    let bad = [("L12", "2020年13月1日"), ("C4", "1.6")];
    ontrack.file("bad.xlsx", fill_xlsx(&bytes, &bad));
    let stderr = refused(
        &ontrack,
        &["import", "bad.xlsx"],
        1,
        "填报!L12: the date reported on, \"2020年13月1日\", is not a date",
    );
    assert!(stderr.contains("write it as 2020-10-12"), "{stderr}");
    let stderr =
        ontrack.run(["import", "bad.xlsx"]).fails(1, "填报!L12：报出日期 \"2020年13月1日\" 不是有效日期").stderr;
    assert!(stderr.contains("未写入任何内容"), "{stderr}");

    // A sheet for every unit leaves 填报单位 to fill in; a unit that leads none of the
    // rows' targets is noted, not refused (a unit may report another's target).
    ontrack.run(["template", "--period", "2020-08", "--out", "all.xlsx"]).success();
    let all = std::fs::read(ontrack.path("all.xlsx")).unwrap();
    ontrack.file("other.xlsx", fill_xlsx(&all, &[("B2", "区科技局"), ("C4", "3")]));
    let out = ontrack.run_en(["import", "other.xlsx"]).success();
    assert!(
        out.stderr.contains(
            "note: the reporting unit (填报单位, 填报!B2) is 区科技局, but 1 figure is for targets led by other units: \
             budget-revenue-growth (区财政局); check that the form is this unit's"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("imported 1 figure"), "{}", out.stderr);
}

/// A small workbook whose shared strings would expand to 65 MiB (of old, calamine read
/// them whole: a 420 KB file holding a 400 MB string took 1.2 GB) is refused before it
/// is read. Made here, compressed to under 100 KB, never committed.
#[test]
fn an_xlsx_that_would_expand_beyond_its_bound_is_refused_before_reading() {
    let ontrack = Ontrack::init();
    ontrack.run(["template", "--period", "2020Q3", "--lead-unit", "区统计局", "--out", "t.xlsx"]).success();
    let bytes = fill_xlsx(&std::fs::read(ontrack.path("t.xlsx")).unwrap(), &[("C4", "1.5")]);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_level(Some(1));
    for (name, contents) in xlsx_parts(&bytes) {
        writer.start_file(name.as_str(), options).unwrap();
        if name == "xl/sharedStrings.xml" {
            let xml = String::from_utf8(contents).unwrap();
            let (head, tail) = xml.split_at(xml.find("</sst>").unwrap());
            writer.write_all(head.as_bytes()).unwrap();
            writer.write_all(b"<si><t>").unwrap();
            let block = vec![b'a'; 1 << 20];
            for _ in 0..65 {
                writer.write_all(&block).unwrap();
            }
            writer.write_all(b"</t></si>").unwrap();
            writer.write_all(tail.as_bytes()).unwrap();
        } else {
            writer.write_all(&contents).unwrap();
        }
    }
    let bomb = writer.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    ontrack.file("bomb.xlsx", &bomb);
    let before = ontrack.dump();
    for args in [&["import", "bomb.xlsx"][..], &["import", "--dry-run", "bomb.xlsx"]] {
        let stderr =
            refused(&ontrack, args, 1, "its part xl/sharedStrings.xml would expand to 65 MiB, more than the 64");
        assert!(stderr.contains("nothing was written"), "{stderr}");
    }
    assert_eq!(ontrack.dump(), before);
}

#[test]
fn xlsx_written_by_hand_reads_titles_dates_and_numbers_as_typed() {
    let ontrack = Ontrack::init();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("三季度").unwrap();
    // A title row above the header, as offices often add.
    sheet.write_string(0, 0, "2020年三季度指标填报表").unwrap();
    for (column, title) in ["指标代码", "期间", "数值", "来源"].iter().enumerate() {
        sheet.write_string(1, column as u16, *title).unwrap();
    }
    sheet.write_string(2, 0, "gdp-growth").unwrap();
    // Excel turns a typed 2020-09 into the date 1 September 2020.
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 9, 1).unwrap();
    sheet.write_datetime_with_format(2, 1, &date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm")).unwrap();
    sheet.write_number(2, 2, 1.5).unwrap();
    sheet.write_string(3, 0, "rd-spending-growth").unwrap();
    // And a typed 2020 into a number.
    sheet.write_number(3, 1, 2020).unwrap();
    sheet.write_number(3, 2, 12.0).unwrap();
    sheet.write_string(4, 0, "new-roads").unwrap();
    let odd_date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 9, 15).unwrap();
    sheet
        .write_datetime_with_format(4, 1, &odd_date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    sheet.write_number(4, 2, 40).unwrap();
    // Excel stores a typed 50% as 0.5 shown as a percentage: wrong for a count of projects.
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
    sheet.write_string(5, 0, "projects-started").unwrap();
    sheet.write_string(5, 1, "2020Q3").unwrap();
    sheet.write_number_with_format(5, 2, 0.5, &percent).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    ontrack.file("hand.xlsx", &bytes);
    let stderr = refused(
        &ontrack,
        &["import", "hand.xlsx"],
        1,
        "三季度!B5 (new-roads): the period cell holds the date 2020-09-15",
    );
    assert!(
        stderr.contains("三季度!C6 (projects-started): \"50%\" is in %, but projects-started is measured in 个"),
        "{stderr}"
    );
    // Without the odd row, everything lands.
    let fixed = {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (column, title) in ["target", "period", "value"].iter().enumerate() {
            sheet.write_string(0, column as u16, *title).unwrap();
        }
        sheet.write_string(1, 0, "gdp-growth").unwrap();
        sheet
            .write_datetime_with_format(1, 1, &date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm"))
            .unwrap();
        sheet.write_number(1, 2, -0.2).unwrap();
        sheet.write_string(2, 0, "rd-spending-growth").unwrap();
        sheet.write_number(2, 1, 2020).unwrap();
        sheet.write_number(2, 2, 12.0).unwrap();
        // A typed 3.2% is stored as 0.032: read as the 3.2 it shows.
        sheet.write_string(3, 0, "unemployment-rate").unwrap();
        sheet.write_string(3, 1, "2020Q3").unwrap();
        sheet.write_number_with_format(3, 2, 0.032, &rust_xlsxwriter::Format::new().set_num_format("0.0%")).unwrap();
        workbook.save_to_buffer().unwrap()
    };
    ontrack.file("fixed.xlsx", fixed);
    ontrack.run(["import", "fixed.xlsx"]).success();
    assert_eq!(history(&ontrack, "gdp-growth")[0]["period"], "2020-09");
    assert_eq!(history(&ontrack, "rd-spending-growth")[0]["period"], "2020");
    assert_eq!(history(&ontrack, "unemployment-rate")[0]["value"].as_f64(), Some(3.2));
}

/// A command whose confirmations are not shown (its exit status is what counts).
fn quiet(run: crate::support::Run) -> std::process::Command {
    let mut command = run.command;
    command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    command
}

#[test]
fn several_writers_at_once_all_land() {
    let ontrack = Ontrack::init();
    let targets = [
        "new-roads",
        "new-incubators",
        "projects-started",
        "projects-completed",
        "model-road-sections",
        "new-rd-institutions",
    ];
    let files: Vec<String> = targets
        .iter()
        .map(|code| {
            let rows: String = (1..=9).map(|month| format!("{code},2020-{month:02},{month}\n")).collect();
            let name = format!("{code}.csv");
            ontrack.file(&name, format!("target,period,value\n{rows}"));
            name
        })
        .collect();
    // Half the writers import a file of nine figures, half record one by one, all at once.
    let mut children: Vec<std::process::Child> = Vec::new();
    for (index, file) in files.iter().enumerate() {
        if index % 2 == 0 {
            children.push(quiet(ontrack.run(["import", file.as_str()])).spawn().unwrap());
        } else {
            let code = targets[index];
            for month in 1..=9 {
                let period = format!("2020-{month:02}");
                children.push(quiet(ontrack.run(["record", code, &period, &month.to_string()])).spawn().unwrap());
            }
        }
    }
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    for code in targets {
        assert_eq!(history(&ontrack, code).len(), 9, "{code}");
    }
}

#[test]
fn a_database_that_stays_busy_gives_exit_code_3_and_a_plain_message() {
    let ontrack = Ontrack::init();
    let before = ontrack.dump();
    let holder = rusqlite::Connection::open(&ontrack.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = ontrack
        .run_en(["record", "gdp-growth", "2020Q1", "-6.8"])
        .env("ONTRACK_BUSY_TIMEOUT_MS", "200")
        .fails(3, "the database stayed busy for 200 ms (another person or program is writing to it); nothing was written. Try again in a moment.");
    assert!(!out.stderr.contains("SQLITE"), "{}", out.stderr);
    let file = ontrack.file("f.csv", "target,period,value\ngdp-growth,2020Q1,-6.8\n");
    ontrack.run_en(["import", file.to_str().unwrap()]).env("ONTRACK_BUSY_TIMEOUT_MS", "200").fails(3, "stayed busy");
    // Reading does not wait for a writer.
    ontrack.run(["history", "gdp-growth"]).env("ONTRACK_BUSY_TIMEOUT_MS", "200").success();
    ontrack.run(["template", "--period", "2020Q3", "--out", "t.csv"]).env("ONTRACK_BUSY_TIMEOUT_MS", "200").success();
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(ontrack.dump(), before);
    ontrack.run(["record", "gdp-growth", "2020Q1", "-6.8"]).success();
}

mod revisions {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use ontrack::actual::{current_figures, NewActual};
    use ontrack::period::Period;
    use ontrack::plan::file::parse_plan;
    use ontrack::plan::BUILTIN_PLAN_TOML;
    use ontrack::store::Store;

    const TARGETS: [&str; 2] = ["gdp-growth", "new-roads"];

    /// One attempt to log: target, month, value, and whether it is marked a revision.
    fn attempts() -> impl Strategy<Value = Vec<(usize, u8, u16, bool)>> {
        proptest::collection::vec((0..TARGETS.len(), 1u8..=4, 0u16..100, any::<bool>()), 1..16)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Whatever is logged in whatever order, every accepted figure stays, a refused
        /// one leaves nothing, and the current figure of a window is its latest accepted one.
        #[test]
        fn a_revision_never_loses_the_earlier_figure(attempts in attempts()) {
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::create(&dir.path().join("p.db"), false, Duration::from_secs(5)).unwrap();
            let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
            let now = Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap();
            store.insert_plan(&plan, now).unwrap();
            let mut accepted: Vec<(String, i64, f64)> = Vec::new();
            let mut latest: BTreeMap<(String, i64), f64> = BTreeMap::new();
            for (target, month, value, revise) in attempts {
                let figure = NewActual {
                    target: TARGETS[target].to_string(),
                    period: Period::month(2020, month),
                    value: f64::from(value),
                    source: None,
                    recorded_by: "p".to_string(),
                    note: None,
                    revision_reason: revise.then(|| "最终核实".to_string()),
                };
                let window = (figure.target.clone(), figure.period.end_key());
                // A revision with the standing value again (and the same, empty, source)
                // changes nothing and is refused.
                let changes_nothing = revise && latest.get(&window) == Some(&figure.value);
                let should_land = latest.contains_key(&window) == revise && !changes_nothing;
                let landed = store.insert_actuals(&plan.id, std::slice::from_ref(&figure), now).is_ok();
                prop_assert_eq!(landed, should_land);
                if landed {
                    accepted.push((figure.target.clone(), figure.period.end_key(), figure.value));
                    latest.insert(window, figure.value);
                }
            }
            let stored = store.actuals(&plan.id).unwrap();
            let stored_figures: Vec<(String, i64, f64)> =
                stored.iter().map(|a| (a.target.to_string(), a.period.end_key(), a.value)).collect();
            prop_assert_eq!(stored_figures, accepted);
            let current: BTreeMap<(String, i64), f64> = current_figures(&stored, None)
                .into_iter()
                .map(|a| ((a.target.to_string(), a.period.end_key()), a.value))
                .collect();
            prop_assert_eq!(current, latest);
        }
    }

    /// A file with one plan is read in one pass over its figures, a file of many
    /// plans target by target: both give a plan's figures alone, in the order logged.
    #[test]
    fn a_plans_figures_read_the_same_alone_or_among_other_plans() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.db"), false, Duration::from_secs(5)).unwrap();
        let now = Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap();
        let plans: Vec<_> = ["jinshui-2020", "other-a-2020", "other-b-2020"]
            .iter()
            .map(|id| {
                let toml = BUILTIN_PLAN_TOML.replacen("id = \"jinshui-2020\"", &format!("id = \"{id}\""), 1);
                parse_plan(&toml, id).unwrap()
            })
            .collect();
        let figure = |code: &str, month: u8, value: f64, reason: Option<&str>| NewActual {
            target: code.to_string(),
            period: Period::month(2020, month),
            value,
            source: Some(format!("source {month}")),
            recorded_by: if month.is_multiple_of(2) { "甲" } else { "乙" }.to_string(),
            note: reason.map(|_| "note".to_string()),
            revision_reason: reason.map(str::to_string),
        };
        let log = |store: &mut Store, plan: &str, month: u8| {
            let figures = [figure("gdp-growth", month, f64::from(month), None), figure("new-roads", month, 2.0, None)];
            store.insert_actuals(plan, &figures, now).unwrap();
        };
        store.insert_plan(&plans[0], now).unwrap();
        for month in 1..=3 {
            log(&mut store, "jinshui-2020", month);
        }
        store.insert_actuals("jinshui-2020", &[figure("new-roads", 2, 3.0, Some("最终核实"))], now).unwrap();
        let alone = store.actuals("jinshui-2020").unwrap();
        assert_eq!(alone.len(), 7);
        assert!(alone.windows(2).all(|pair| pair[0].id < pair[1].id), "in the order logged");
        assert_eq!(alone[6].revises, Some(alone[3].id));
        assert_eq!((alone[6].note.as_deref(), alone[6].reason.as_deref()), (Some("note"), Some("最终核实")));

        for plan in &plans[1..] {
            store.insert_plan(plan, now).unwrap();
        }
        for month in 4..=6 {
            for plan in &plans {
                log(&mut store, &plan.id, month);
            }
        }
        let among_others = store.actuals("jinshui-2020").unwrap();
        assert_eq!(among_others[..7], alone[..]);
        assert_eq!(among_others.len(), 13);
        let other = store.actuals("other-a-2020").unwrap();
        assert_eq!(other.len(), 6);
        assert!(other.windows(2).all(|pair| pair[0].id < pair[1].id));
        assert!(other.iter().all(|f| f.period.end_month() >= 4
            && &*f.recorded_by == ["甲", "乙"][usize::from(f.period.end_month() % 2 == 1)]));
    }
}

/// `ONTRACK_NOW` moves "now" for judging periods, but a write is never recorded before
/// a figure already stored: a set clock cannot backdate the audit trail, in `record`
/// or `import`, and the refusal is in the user's language.
#[test]
fn a_set_clock_cannot_record_a_figure_before_one_already_stored() {
    let mut ontrack = Ontrack::init();
    ontrack.now = "2020-10-15T09:00:00Z".to_string();
    ontrack.run(["record", "gdp-growth", "2020Q3", "1.5"]).success();
    let before = ontrack.dump();
    ontrack.now = "2020-10-01T00:00:00Z".to_string();
    let stderr = refused(&ontrack, &["--lang", "en", "record", "new-roads", "2020Q2", "3"], 1, "cannot backdate");
    assert!(stderr.contains("2020-10-15T09:00:00.000000Z"), "names the latest figure's time: {stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    refused(
        &ontrack,
        &["--lang", "zh", "record", "gdp-growth", "2020Q3", "1.4", "--revise", "--reason", "核实"],
        1,
        "不能把记录时间往前改",
    );
    let file = ontrack.file("late.csv", "target,period,value\nnew-roads,2020Q2,3\n");
    refused(&ontrack, &["--lang", "en", "import", file.to_str().unwrap()], 1, "cannot backdate");
    assert_eq!(ontrack.dump(), before, "nothing was written");
    // The same moment, or a later one, is fine.
    ontrack.now = "2020-10-15T09:00:00Z".to_string();
    ontrack.run(["record", "new-roads", "2020Q2", "3"]).success();
    ontrack.run(["check"]).success();
}

/// A revision that changes nothing (same value, same source) is refused by `record`,
/// `import` and `import --dry-run` alike, in the user's language: importing the same
/// revision twice no longer stores it twice.
#[test]
fn a_revision_that_changes_nothing_is_refused_in_record_and_import() {
    let mut ontrack = Ontrack::init();
    ontrack.now = "2020-10-15T09:00:00Z".to_string();
    ontrack.run(["record", "new-roads", "2020Q2", "3", "--source", "交通局"]).success();
    let stderr = refused(
        &ontrack,
        &["--lang", "en", "record", "new-roads", "2020Q2", "3", "--source", "交通局", "--revise", "--reason", "核实"],
        1,
        "changes nothing",
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    refused(
        &ontrack,
        &["--lang", "zh", "record", "new-roads", "2020Q2", "3.0", "--source", "交通局", "--revise", "--reason", "核实"],
        1,
        "不改变任何内容",
    );
    // Another source with the same value is a real revision (the figure's provenance).
    ontrack
        .run(["record", "new-roads", "2020Q2", "3", "--source", "统计局", "--revise", "--reason", "改由统计局核定"])
        .success();

    let file = ontrack.file("revise.csv", "target,period,value,source,reason\nnew-roads,2020Q2,5,统计局,最终核实\n");
    let path = file.to_str().unwrap();
    ontrack.run(["import", path]).success();
    assert_eq!(history(&ontrack, "new-roads").len(), 3);
    refused(&ontrack, &["--lang", "en", "import", path], 1, "changes nothing");
    refused(&ontrack, &["--lang", "en", "import", path, "--dry-run"], 1, "changes nothing");
    refused(&ontrack, &["--lang", "zh", "import", path], 1, "不改变任何内容");
    assert_eq!(history(&ontrack, "new-roads").len(), 3, "the same revision is stored once");
    ontrack.run(["check"]).success();
}

/// A date typed for a moment is the end of that day on the plan's clock (Beijing's by
/// default), and history shows times on that clock with the zone named; JSON keeps UTC.
#[test]
fn a_typed_date_is_the_end_of_that_day_on_the_plans_clock() {
    const LONDON_PLAN: &str = "[plan]\nid = \"london-2020\"\norg = \"London office\"\nyear = 2020\n\
        timezone = \"Europe/London\"\n[sections]\nmain = \"主要\"\n[[targets]]\ncode = \"gdp-growth\"\n\
        section = \"main\"\nname = \"增速\"\nkind = \"growth\"\ncmp = \"about\"\nvalue = 6.5\nunit = \"%\"\n\
        frequency = \"quarter\"\nquote = \"增长6.5%左右\"\n";
    let mut ontrack = Ontrack::init();
    let file = ontrack.file("london.toml", LONDON_PLAN);
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    // 23:30 on 31 October in Beijing; 15:30 in London.
    ontrack.now = "2020-10-31T15:30:00Z".to_string();
    for plan in ["jinshui-2020", "london-2020"] {
        ontrack.run(["record", "gdp-growth", "2020Q3", "1.5", "--plan", plan]).success();
    }
    // 04:00 on 1 November in Beijing; 20:00 on 31 October in London.
    ontrack.now = "2020-10-31T20:00:00Z".to_string();
    for plan in ["jinshui-2020", "london-2020"] {
        ontrack
            .run(["record", "gdp-growth", "2020Q3", "1.8", "--revise", "--reason", "核实", "--plan", plan])
            .success();
    }
    let known = |plan: &str| -> Vec<f64> {
        let out = ontrack
            .run(["history", "gdp-growth", "--plan", plan, "--as-recorded", "2020-10-31", "--format", "json"])
            .success();
        let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
        rows.iter().map(|r| r["value"].as_f64().unwrap()).collect()
    };
    assert_eq!(known("jinshui-2020"), [1.5], "the revision came on 1 November, Beijing time");
    assert_eq!(known("london-2020"), [1.5, 1.8], "both came on 31 October, London time");
    let status = |plan: &str| -> Value {
        let out = ontrack.run(["status", "--plan", plan, "--as-recorded", "2020-10-31", "--format", "json"]).success();
        serde_json::from_str::<Vec<Value>>(&out.stdout).unwrap().remove(0)
    };
    assert_eq!(status("jinshui-2020")["actual"], 1.5);
    assert_eq!(status("london-2020")["actual"], 1.8);

    let beijing = ontrack.run(["history", "gdp-growth", "--plan", "jinshui-2020"]).success().stdout;
    assert!(beijing.contains("2020-10-31 23:30（北京时间）"), "{beijing}");
    assert!(beijing.contains("2020-11-01 04:00（北京时间）"), "{beijing}");
    let london = ontrack.run_en(["history", "gdp-growth", "--plan", "london-2020", "--as-recorded", "2020-10-31"]);
    let london = london.success().stdout;
    assert!(london.contains("as recorded at 2020-10-31 23:59:59 (Europe/London, UTC)"), "{london}");
    assert!(london.contains("2020-10-31 20:00 (Europe/London, UTC)"), "{london}");
    let json = ontrack.run(["history", "gdp-growth", "--plan", "london-2020", "--format", "json"]).success();
    assert!(json.stdout.contains("\"recorded_at\": \"2020-10-31T20:00:00.000000Z\""), "{}", json.stdout);
    let exported = ontrack.run(["plan", "export", "london-2020"]).success().stdout;
    assert!(exported.contains("timezone = \"Europe/London\""), "{exported}");

    let bad = ontrack.file("bad.toml", LONDON_PLAN.replace("Europe/London", "Europe/Londres"));
    ontrack
        .run_en(["plan", "import", bad.to_str().unwrap()])
        .fails(1, "[plan], field `timezone`: \"Europe/Londres\" is not a known time zone");
}
