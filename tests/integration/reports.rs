//! `report` in every format and `demo`: snapshots of the demo year's reports at a
//! fixed clock, hostile text through every format, as-recorded reproduction, and the
//! HTML report opened in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx};

use crate::support::Ontrack;

/// A temporary directory holding the demo's database (figures of the whole year).
fn demo() -> Ontrack {
    let mut ontrack = Ontrack::new();
    ontrack.run(["demo", "--dir", "demo"]).success();
    ontrack.db = ontrack.path("demo/ontrack.db");
    ontrack
}

/// The page with each inline chart replaced by its size: the charts' own bytes are
/// pinned by the chart tests, and 51 charts would bury the report in its snapshot.
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</svg>").map_or(rest.len(), |e| start + e + "</svg>".len());
        out.push_str(&format!("<svg>[{} bytes]</svg>", end - start));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn demo_writes_database_reports_and_prints_status() {
    let ontrack = Ontrack::new();
    let out = ontrack.run(["demo", "--dir", "out"]).success();
    for expected in
        ["gdp-growth", "未完成", "未报送", "截至 2020年全年", "out/report.html", "out/report.md", "out/report.xlsx"]
    {
        assert!(out.stdout.contains(expected), "missing {expected:?}\n{}", out.stdout);
    }
    assert!(out.stderr.contains("非官方统计"), "{}", out.stderr);
    for name in
        ["ontrack.db", "report.html", "report.md", "report.xlsx", "charts/overview.svg", "charts/gdp-growth.svg"]
    {
        assert!(ontrack.path("out").join(name).is_file(), "{name}");
    }
    let first = std::fs::read(ontrack.path("out/report.md")).unwrap();
    // The demo's reports say up front that their figures are illustrative.
    assert!(text(&first).contains("> **本报告为 ontrack 演示，所用2020年数据均为示例数据（非官方统计）"));
    let html = std::fs::read_to_string(ontrack.path("out/report.html")).unwrap();
    assert!(html.contains("<p class=\"notice\">本报告为 ontrack 演示"));
    // Rerunning replaces the demo database and gives the same report.
    ontrack.run(["demo", "--dir", "out"]).success();
    assert_eq!(std::fs::read(ontrack.path("out/report.md")).unwrap(), first);
    let figures = crate::support::dump(&ontrack.path("out/ontrack.db")).matches("\nactuals: ").count();
    // Jinshui's 206 and the city family's 48 (demo/zhengzhou-2020/).
    assert_eq!(figures, 206 + 48, "the demo figures once, not twice");
}

#[test]
fn demo_never_replaces_a_database_it_did_not_make() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "new-roads", "2020Q1", "3"]).success();
    // The default database (./ontrack.db) is in the test's working directory.
    let before = ontrack.dump();
    ontrack.run(["--lang", "en", "demo", "--dir", "."]).fails(1, "1 figure the demo did not log");
    assert_eq!(ontrack.dump(), before, "the real database is untouched");
    assert!(!ontrack.path("ONTRACK-DEMO.txt").exists());
}

#[test]
fn demo_clock_decides_which_figures_are_known() {
    let mut ontrack = Ontrack::new();
    ontrack.now = "2020-11-01T00:00:00Z".to_string();
    let out = ontrack.run(["demo", "--dir", "autumn"]).success();
    assert!(out.stdout.contains("截至 2020年三季度"), "{}", out.stdout);
    let md = std::fs::read_to_string(ontrack.path("autumn/report.md")).unwrap();
    assert!(md.contains("2020-11-01 08:00（北京时间）"), "{md}");
}

#[test]
fn report_snapshots_every_format() {
    let ontrack = demo();
    for (format, lang) in [("md", "zh"), ("md", "en"), ("json", "zh"), ("csv", "zh"), ("html", "zh")] {
        let out = ontrack.run(["--lang", lang, "report", "--format", format]).success();
        let name = format!("demo_report_{lang}.{format}");
        insta::assert_snapshot!(name, without_svg(&text(&out.bytes)));
    }
}

#[test]
fn report_format_follows_the_out_extension() {
    let ontrack = demo();
    ontrack.run(["report", "--out", "r.json"]).success();
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(ontrack.path("r.json")).unwrap()).unwrap();
    assert_eq!(value["plan"]["id"], "jinshui-2020");
    assert_eq!(value["as_of"], "2020");
    assert_eq!(value["counts"]["total"], 50);
    ontrack.run_en(["report", "--out", "r.txt"]).fails(1, "cannot tell the format");
    ontrack.run_en(["report", "--format", "pdf"]).fails(2, "invalid value");
}

#[test]
fn xlsx_report_opens_with_summary_and_section_sheets() {
    let ontrack = demo();
    ontrack.run(["report", "--format", "xlsx", "--out", "r.xlsx"]).success();
    let mut book: Xlsx<_> = calamine::open_workbook(ontrack.path("r.xlsx")).expect("opens");
    let names = book.sheet_names();
    assert_eq!(names.len(), 8, "{names:?}");
    assert_eq!(names[0], "总体情况");
    assert!(names[1].starts_with("main "), "{names:?}");
    let main = book.worksheet_range(&names[1]).unwrap();
    assert_eq!(main.get_value((1, 0)), Some(&Data::String("gdp-growth".into())));
    assert_eq!(main.get_value((1, 4)), Some(&Data::Float(3.6)));
    let summary = book.worksheet_range("总体情况").unwrap();
    assert!(summary.used_cells().any(|(_, _, v)| v == &Data::String("区科技局".into())), "overdue lead unit");
}

#[test]
fn as_recorded_reproduces_the_report_as_it_stood() {
    let ontrack = demo();
    let out = ontrack.run(["report", "--format", "json", "--as-recorded", "2020-10-31"]).success();
    let value: serde_json::Value = serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(value["as_of"], "2020Q3");
    // The end of 31 October on the plan's clock (Beijing), in UTC as JSON gives moments.
    assert_eq!(value["as_recorded"], "2020-10-31T15:59:59Z");
    let gdp = &value["targets"][0];
    assert_eq!(gdp["code"], "gdp-growth");
    assert_eq!(gdp["actual"], 2.0);
    // Revised since 1 July: GDP Q1 (24 Jul) and H1 (23 Oct); the investment
    // revision (10 Nov) was not yet recorded.
    let revised: Vec<(&str, &str)> = value["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), r["period"].as_str().unwrap()))
        .collect();
    assert_eq!(revised, [("gdp-growth", "2020Q1"), ("gdp-growth", "2020H1")]);
    let md = text(&ontrack.run(["report", "--as-recorded", "2020-10-31"]).success().bytes);
    assert!(md.contains("数据：截至 2020-10-31 23:59:59（北京时间） 已录入的数据（按当时口径重现）"), "{md}");
    let now = ontrack.run(["report", "--format", "json"]).success();
    let now: serde_json::Value = serde_json::from_slice(&now.bytes).unwrap();
    assert_eq!(now["targets"][0]["actual"], 3.6);
    ontrack.run_en(["report", "--as-recorded", "yesterday"]).fails(2, "is not a date");
    ontrack.run_en(["report", "--as-of", "2019Q3"]).fails(1, "plan jinshui-2020 is for 2020");
}

#[test]
fn report_on_a_plan_without_figures_says_what_to_do() {
    let ontrack = Ontrack::init();
    ontrack.run_en(["report"]).fails(1, "has no figures yet");
    let out = ontrack.run(["report", "--as-of", "2020Q1", "--format", "json"]).success();
    let value: serde_json::Value = serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(value["counts"]["no_data"], 50);
}

const HOSTILE: &[&str] = &["<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "\"", "]]>"];

/// Logs one figure with hostile source, note and reporter, as a careless or malicious
/// sheet could carry them.
fn hostile_figure(ontrack: &Ontrack) {
    let source = format!("{} {}", HOSTILE[0], HOSTILE[3]);
    let note = format!("{} {}", HOSTILE[1], HOSTILE[2]);
    ontrack
        .run(["record", "rd-spending-growth", "2020", "12.5", "--source", &source, "--note", &note, "--by", "<b>x</b>"])
        .success();
}

#[test]
fn hostile_text_goes_through_every_format_safely() {
    let ontrack = demo();
    hostile_figure(&ontrack);
    let html = text(&ontrack.run(["report", "--format", "html"]).success().bytes);
    assert!(!html.contains("<script"), "no script element");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt;"));
    assert!(html.contains("=HYPERLINK(&quot;http://x&quot;) &quot;"));
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));

    let md = text(&ontrack.run(["report", "--format", "md"]).success().bytes);
    assert!(md.contains("\\<script\\>alert(1)\\</script\\> \\]\\]\\>"), "{md}");
    let bytes = md.as_bytes();
    let raw_angle = (0..bytes.len()).any(|i| bytes[i] == b'<' && (i == 0 || bytes[i - 1] != b'\\'));
    assert!(!raw_angle, "every < in Markdown is escaped");

    let json = ontrack.run(["report", "--format", "json"]).success();
    let value: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    let rd = value["targets"].as_array().unwrap().iter().find(|r| r["code"] == "rd-spending-growth").unwrap();
    assert_eq!(rd["source"], format!("{} {}", HOSTILE[0], HOSTILE[3]));
    assert_eq!(rd["note"], format!("{} {}", HOSTILE[1], HOSTILE[2]));

    let csv = ontrack.run(["report", "--format", "csv"]).success();
    let mut reader = csv::Reader::from_reader(&csv.bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let note = headers.iter().position(|h| h == "note").unwrap();
    let rd = reader.records().map(Result::unwrap).find(|r| &r[0] == "rd-spending-growth").unwrap();
    assert_eq!(&rd[note], "'=HYPERLINK(\"http://x\") \"", "formula neutralised");

    ontrack.run(["report", "--format", "xlsx", "--out", "h.xlsx"]).success();
    let mut book: Xlsx<_> = calamine::open_workbook(ontrack.path("h.xlsx")).unwrap();
    let main = book.sheet_names()[1].clone();
    let range = book.worksheet_range(&main).unwrap();
    let rd_row = (0..range.height()).find(|&r| range.get((r, 0)) == Some(&Data::String("rd-spending-growth".into())));
    let rd_row = rd_row.expect("R&D row");
    assert_eq!(range.get((rd_row, 17)), Some(&Data::String(format!("{} {}", HOSTILE[1], HOSTILE[2]))));
    let formulas = book.worksheet_formula(&main).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula anywhere");
}

/// Headless Chromium, if present (always under CI=true, where `.ci/run` installs it).
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but no chromium: .ci/run installs it");
        // Straight to the process's stderr: libtest captures `eprintln!` of a passing
        // test, and a skip must show in the output.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {}: chromium is not installed (apt-get install chromium to run it; under CI=true this fails)",
            std::thread::current().name().unwrap_or("a test")
        );
    }
    found
}

fn chromium_command(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}

#[test]
fn html_report_renders_tables_and_charts_in_chromium() {
    let Some(browser) = chromium() else { return };
    let ontrack = demo();
    ontrack.run(["report", "--out", "report.html"]).success();
    let page = format!("file://{}", ontrack.path("report.html").display());

    let profile = tempfile::tempdir().unwrap();
    let dom = chromium_command(&browser, profile.path()).arg("--dump-dom").arg(&page).output().expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<table"), "the page has tables:\n{dom}");
    assert_eq!(dom.matches("<tr id=\"t-").count(), 50, "one row per target");
    assert!(dom.contains("地区生产总值增速") && dom.contains("未报送"));
    assert_eq!(dom.matches("<svg").count(), 51, "the overview and 50 gap charts, inline");
    assert!(dom.contains("<polyline") || dom.contains("<path"), "the charts drew lines");

    let profile = tempfile::tempdir().unwrap();
    let shot = ontrack.path("report.png");
    let status = chromium_command(&browser, profile.path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,1600")
        .arg(&page)
        .output()
        .expect("run chromium");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert!(png.len() > 50_000, "a page with content, not a blank one ({} bytes)", png.len());
}

#[test]
fn report_rows_are_the_status_rows() {
    let ontrack = demo();
    for args in [&[][..], &["--as-of", "2020Q2"][..], &["--as-recorded", "2020-10-31"][..]] {
        let report = ontrack.run(["report", "--format", "json"].iter().chain(args)).success();
        let status = ontrack.run(["status", "--format", "json"].iter().chain(args)).success();
        let report: serde_json::Value = serde_json::from_slice(&report.bytes).unwrap();
        let status: serde_json::Value = serde_json::from_slice(&status.bytes).unwrap();
        let mut rows = report["targets"].as_array().unwrap().clone();
        // The report adds the figure's note and whether it was late.
        for row in &mut rows {
            row.as_object_mut().unwrap().remove("note");
            row.as_object_mut().unwrap().remove("late");
        }
        assert_eq!(&rows, status.as_array().unwrap(), "{args:?}");
    }
}

const HOSTILE_PLAN: &str = r#"
[plan]
id = "evil-2020"
org = "<script>alert('org')</script>区"
year = 2020
source = "]]> <img src=x onerror=alert(1)>"

[sections]
main = "<script>alert('sec')</script>"

[[targets]]
code = "roads"
section = "main"
name = "<script>alert('name')</script>道路"
name_en = "=HYPERLINK(\"http://x\")"
kind = "count"
cmp = "reach"
value = 10
unit = "<b>条</b>"
frequency = "quarter"
lead_unit = "=cmd|' /C calc'!A0"
quote = "<script>q</script>"
"#;

#[test]
fn hostile_plan_text_stays_inert_in_every_format_and_chart() {
    let ontrack = Ontrack::new();
    let plan = ontrack.file("evil.toml", HOSTILE_PLAN);
    ontrack.run([Path::new("init"), Path::new("--plan"), &plan]).success();
    ontrack.run(["record", "roads", "2020Q3", "5", "--source", "<script>s</script>"]).success();

    let html = text(&ontrack.run(["report", "--format", "html"]).success().bytes);
    let mut tags: Vec<String> = html
        .split('<')
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '/').collect())
        .collect();
    tags.sort();
    tags.dedup();
    let allowed = [
        "!DOCTYPE", "body", "circle", "dd", "div", "dl", "dt", "figure", "footer", "g", "h1", "h2", "head", "header",
        "html", "i", "line", "main", "meta", "p", "path", "polygon", "polyline", "rect", "section", "span", "strong",
        "style", "svg", "table", "tbody", "td", "text", "th", "thead", "title", "tr",
    ];
    for tag in &tags {
        let name = tag.trim_start_matches('/');
        assert!(allowed.contains(&name), "unexpected element <{tag}> in the report");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;道路"));
    assert!(html.contains("<svg"), "the chart is inline");

    let md = text(&ontrack.run(["report", "--format", "md"]).success().bytes);
    let bytes = md.as_bytes();
    assert!(!(0..bytes.len()).any(|i| bytes[i] == b'<' && (i == 0 || bytes[i - 1] != b'\\')), "{md}");

    let csv = text(&ontrack.run(["report", "--format", "csv"]).success().bytes);
    assert!(csv.contains("'=cmd|' /C calc'!A0"), "{csv}");
    assert!(csv.contains("'=HYPERLINK(\"\"http://x\"\")"), "{csv}");

    ontrack.run(["report", "--out", "evil.xlsx"]).success();
    let mut book: Xlsx<_> = calamine::open_workbook(ontrack.path("evil.xlsx")).unwrap();
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in {name}");
    }
    let sheet = book.sheet_names()[1].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    assert_eq!(range.get_value((1, 13)), Some(&Data::String("=cmd|' /C calc'!A0".into())), "kept as text");
}
