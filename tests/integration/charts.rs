//! Charts: snapshots of every chart kind (rendered from hand-made statuses, so they
//! test the drawing alone), escaping of user text, and determinism.
//!
//! Snapshots are plain SVG files under `tests/integration/snapshots/charts/`. When a change
//! to the drawing is intended, `UPDATE_GALLERY=1 cargo test` rewrites them (and the
//! `charts/` gallery); review the diff and the rendered PNGs before committing.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use ontrack::actual::Actual;
use ontrack::chart::{overview_chart, target_chart, TargetChart};
use ontrack::lang::Lang;
use ontrack::period::Period;
use ontrack::plan::file::parse_plan;
use ontrack::plan::{PeriodKey, Plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};
use ontrack::status::{PlanStatus, Status, TargetStatus};

fn builtin_plan() -> Plan {
    parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME).expect("the built-in plan parses")
}

fn period(text: &str) -> Period {
    text.parse().unwrap()
}

/// Figures of one target: (period, value), logged by the statistics bureau.
fn figures(code: &str, values: &[(&str, f64)]) -> Vec<Actual> {
    values
        .iter()
        .enumerate()
        .map(|(i, (p, v))| Actual {
            id: i as i64 + 1,
            target: code.into(),
            period: period(p),
            value: *v,
            source: Some("区统计局 统计月报（示例）".into()),
            recorded_by: "tester".into(),
            recorded_at: Utc.with_ymd_and_hms(2020, 10, 20, 9, 0, 0).unwrap(),
            note: None,
            revises: None,
            reason: None,
        })
        .collect()
}

/// A status with nothing known; tests fill in what the case needs.
fn blank(code: &str, status: Status) -> TargetStatus {
    TargetStatus::blank(code, status)
}

fn threshold(code: &str, status: Status, actual: f64, at: &str, margin: f64) -> TargetStatus {
    TargetStatus {
        actual: Some(actual),
        period: Some(period(at)),
        gap: Some(margin),
        margin: Some(margin),
        ..blank(code, status)
    }
}

fn accumulation(
    code: &str,
    status: Status,
    actual: f64,
    at: &str,
    value: f64,
    progress: f64,
    pace: f64,
) -> TargetStatus {
    TargetStatus {
        actual: Some(actual),
        period: Some(period(at)),
        gap: Some(actual - value),
        margin: Some((progress - pace) * value),
        progress: Some(progress),
        pace: Some(pace),
        behind: Some((pace - progress) * 100.0),
        ..blank(code, status)
    }
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/snapshots/charts")
}

/// Compares `svg` with the stored file, or rewrites it under `UPDATE_GALLERY=1`.
pub fn check_file(path: &Path, svg: &str) {
    assert_well_formed(svg);
    if std::env::var_os("UPDATE_GALLERY").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, svg).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; run UPDATE_GALLERY=1 cargo test to create it", path.display()));
    if stored != svg {
        let line = stored.lines().zip(svg.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{} differs from the rendering (first at line {}):\n  stored:   {:?}\n  rendered: {:?}\n\
             If the change is intended, run UPDATE_GALLERY=1 cargo test and review the files.",
            path.display(),
            line + 1,
            stored.lines().nth(line),
            svg.lines().nth(line)
        );
    }
}

/// Parses the document as XML and checks it is an SVG with text in it.
pub fn assert_well_formed(svg: &str) {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    assert!(root.attribute("font-family").is_some_and(|f| f.contains("Noto Sans CJK SC")), "font stack on the root");
}

/// All the text of a document, for "it says so" checks.
fn texts_of(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).unwrap();
    document
        .descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

struct Case {
    plan: Plan,
    code: &'static str,
    figures: Vec<Actual>,
    related: Vec<Actual>,
    status: TargetStatus,
    as_of: &'static str,
}

impl Case {
    fn new(code: &'static str, values: &[(&str, f64)], status: TargetStatus) -> Case {
        Case {
            plan: builtin_plan(),
            code,
            figures: figures(code, values),
            related: Vec::new(),
            status,
            as_of: "2020Q3",
        }
    }

    fn render(&self, lang: Lang) -> String {
        let figures: Vec<&Actual> = self.figures.iter().collect();
        let related: Vec<&Actual> = self.related.iter().collect();
        target_chart(&TargetChart {
            plan: &self.plan,
            target: self.plan.target(self.code).unwrap(),
            figures: &figures,
            related_figures: &related,
            status: &self.status,
            as_of: period(self.as_of),
            lang,
        })
    }

    fn check(&self, name: &str) -> String {
        let svg = self.render(Lang::Zh);
        check_file(&snapshot_dir().join(format!("{name}.svg")), &svg);
        let english = self.render(Lang::En);
        check_file(&snapshot_dir().join(format!("{name}.en.svg")), &english);
        assert_eq!(svg, self.render(Lang::Zh), "a second rendering gives other bytes");
        svg
    }
}

#[test]
fn threshold_chart_shows_goal_band_gap_and_latest_figure() {
    let case = Case::new(
        "gdp-growth",
        &[("2020Q1", -1.6), ("2020Q2", 0.8), ("2020Q3", 3.1)],
        threshold("gdp-growth", Status::OffTrack, 3.1, "2020Q3", -3.4),
    );
    let svg = case.check("threshold-gdp-growth");
    let texts = texts_of(&svg);
    for expected in
        ["地区生产总值增速　目标 ≈ 6.5 %", "滞后", "2020年三季度：3.1 %", "距目标 -3.4 个百分点", "容差 0.5 个百分点"]
    {
        assert!(texts.iter().any(|t| t == expected), "missing {expected:?} in {texts:?}");
    }
    assert!(svg.contains("#C62828"), "the off-track colour is used");
    assert!(texts.iter().any(|t| t.contains("原文：“地区生产总值增长6.5%左右”")), "the quote");
    let english = texts_of(&case.render(Lang::En));
    assert!(english.iter().any(|t| t == "-3.4 pp against the goal"), "{english:?}");
    assert!(english.iter().any(|t| t == "off track"), "{english:?}");
}

#[test]
fn at_most_chart_draws_the_band_above_the_ceiling() {
    let case = Case::new(
        "unemployment-rate",
        &[("2020Q1", 3.2), ("2020Q2", 3.6), ("2020Q3", 3.4)],
        threshold("unemployment-rate", Status::OnTrack, 3.4, "2020Q3", 0.6),
    );
    let svg = case.check("threshold-unemployment-rate");
    assert!(texts_of(&svg).iter().any(|t| t == "距目标 +0.6 个百分点"), "{:?}", texts_of(&svg));
}

#[test]
fn accumulation_chart_shows_pace_goal_and_progress() {
    let case = Case::new(
        "new-roads",
        &[("2020Q1", 12.0), ("2020Q2", 35.0), ("2020Q3", 58.0)],
        accumulation("new-roads", Status::AtRisk, 58.0, "2020Q3", 92.0, 58.0 / 92.0, 0.75),
    );
    let svg = case.check("accumulation-new-roads");
    let texts = texts_of(&svg);
    for expected in ["完成 63 %，序时 75 %", "较序时 -11 条", "距目标 -34 条", "序时进度", "目标 92 条", "预警"]
    {
        assert!(texts.iter().any(|t| t == expected), "missing {expected:?} in {texts:?}");
    }
}

#[test]
fn planned_path_chart_follows_the_plan_not_a_straight_line() {
    let mut case = Case::new(
        "new-incubators",
        &[("2020Q1", 1.0), ("2020Q2", 2.0), ("2020Q3", 5.0)],
        accumulation("new-incubators", Status::OnTrack, 5.0, "2020Q3", 7.0, 5.0 / 7.0, 0.7),
    );
    case.plan.edit_targets(|targets| {
        let target = targets.iter_mut().find(|t| t.code == "new-incubators").unwrap();
        target.planned.insert(PeriodKey(period("2020Q1")), 0.1);
        target.planned.insert(PeriodKey(period("2020Q2")), 0.4);
    });
    let svg = case.check("planned-new-incubators");
    assert!(texts_of(&svg).iter().any(|t| t == "计划进度"), "{:?}", texts_of(&svg));
    // The path bends at the planned points (10 % by March, 40 % by June): a linear
    // pace would rise as much in the first quarter as in the second.
    let plan_line = svg.lines().find(|l| l.contains("stroke=\"#78909C\"") && l.contains("polyline")).unwrap();
    let ys: Vec<f64> = plan_line
        .split("points=\"")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .filter_map(|p| p.split_once(',').and_then(|(_, y)| y.parse().ok()))
        .collect();
    assert_eq!(ys.len(), 13, "{plan_line}");
    let (first_quarter, second_quarter) = (ys[0] - ys[3], ys[3] - ys[6]);
    assert!(second_quarter > 2.5 * first_quarter, "{plan_line}");
}

#[test]
fn relative_chart_draws_both_series() {
    let mut case = Case::new(
        "income-growth",
        &[("2020Q1", -0.5), ("2020Q2", 1.2), ("2020Q3", 2.9)],
        TargetStatus { related_actual: Some(3.1), ..threshold("income-growth", Status::AtRisk, 2.9, "2020Q3", -0.2) },
    );
    case.related = figures("gdp-growth", &[("2020Q1", -1.6), ("2020Q2", 0.8), ("2020Q3", 3.1)]);
    let svg = case.check("relative-income-growth");
    let texts = texts_of(&svg);
    for expected in ["地区生产总值增速：3.1 %", "差 -0.2 个百分点", "地区生产总值增速"] {
        assert!(texts.iter().any(|t| t == expected), "missing {expected:?} in {texts:?}");
    }
    assert_eq!(svg.matches("<circle").count(), 6, "three figures in each series");
}

#[test]
fn milestone_chart_runs_to_one_hundred_per_cent() {
    let case = Case::new(
        "longjin-lianhuo-interchange",
        &[("2020Q1", 20.0), ("2020Q2", 45.0), ("2020Q3", 60.0)],
        accumulation("longjin-lianhuo-interchange", Status::AtRisk, 60.0, "2020Q3", 100.0, 0.6, 0.75),
    );
    let svg = case.check("milestone-interchange");
    assert!(texts_of(&svg).iter().any(|t| t == "目标 完成 (100 %)"), "{:?}", texts_of(&svg));
}

#[test]
fn a_target_without_figures_gets_a_clean_chart_that_says_so() {
    let case = Case::new(
        "rd-spending-growth",
        &[],
        TargetStatus { overdue: false, ..blank("rd-spending-growth", Status::NoData) },
    );
    let svg = case.check("no-data-rd-spending");
    let texts = texts_of(&svg);
    assert!(texts.iter().any(|t| t == "无数据"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "截至 2020年三季度 尚无实际数据"), "{texts:?}");
    assert!(!svg.contains("<circle"), "no points without figures");
    assert!(case.render(Lang::En).contains(">no data</text>"));
}

/// Statuses for every target of the built-in plan, spread over every status and
/// both scales, with figures beyond the axis on either side.
pub fn sample_plan_status(plan: &Plan) -> PlanStatus {
    let statuses = [Status::OnTrack, Status::AtRisk, Status::OffTrack, Status::Met, Status::NoData, Status::OnTrack];
    let targets = plan
        .targets()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let status = statuses[i % statuses.len()];
            let step = i as f64;
            let mut s = if status == Status::NoData {
                blank(&t.code, status)
            } else if t.kind.is_threshold() {
                let margin = match status {
                    Status::OnTrack | Status::Met => 0.1 * step % 1.0,
                    Status::AtRisk => -0.3,
                    _ => -1.0 - step / 10.0,
                };
                let mut s = threshold(&t.code, status, t.value + margin, "2020Q3", margin);
                s.related_actual = t.related.as_ref().map(|_| 3.1);
                s
            } else {
                let progress = match status {
                    Status::OnTrack => 0.7 + 0.02 * step,
                    Status::Met => 1.0 + 0.01 * step,
                    Status::AtRisk => 0.55,
                    _ => 0.75 - 0.3 - 0.02 * step,
                };
                let value = t.baseline() + progress * (t.value - t.baseline());
                accumulation(&t.code, status, value, "2020Q3", t.value, progress, 0.75)
            };
            s.overdue = i % 7 == 3;
            s
        })
        .collect();
    PlanStatus { as_of: period("2020Q3"), targets }
}

#[test]
fn overview_shows_every_target_grouped_by_section_with_counts() {
    let plan = builtin_plan();
    let status = sample_plan_status(&plan);
    let svg = overview_chart(&plan, &status, Lang::Zh);
    check_file(&snapshot_dir().join("overview.svg"), &svg);
    check_file(&snapshot_dir().join("overview.en.svg"), &overview_chart(&plan, &status, Lang::En));
    assert_eq!(svg, overview_chart(&plan, &status, Lang::Zh));
    let texts = texts_of(&svg);
    let (counts, overdue) = status.counts();
    assert!(texts.iter().any(|t| t == &format!("正常 {}", counts[2])), "{texts:?}");
    assert!(texts.iter().any(|t| t == &format!("未报送 {overdue}")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("截至 2020年三季度")), "{texts:?}");
    for section in &plan.sections {
        assert!(texts.iter().any(|t| t.contains(&section.title)), "section {} missing", section.id);
    }
    for target in plan.targets() {
        let shown = texts
            .iter()
            .any(|t| t == &target.name || (t.ends_with('…') && target.name.starts_with(t.trim_end_matches('…'))));
        assert!(shown, "target {} missing", target.code);
    }
    // One dot per target with data and in range; out-of-range ones are triangles.
    let with_data = status.targets.iter().filter(|t| t.status != Status::NoData).count();
    assert_eq!(svg.matches("<circle").count() - 7 + svg.matches("<polygon points").count(), with_data);
}

const HOSTILE: &str = "<script>alert(\"x\")</script> & ]]> 'q' \u{1b}[31m\u{0}";

#[test]
fn user_text_is_escaped_and_the_document_stays_well_formed() {
    let mut plan = builtin_plan();
    plan.org = HOSTILE.to_string();
    plan.sections[0].title = HOSTILE.to_string();
    plan.edit_targets(|targets| {
        let target = targets.iter_mut().find(|t| t.code == "gdp-growth").unwrap();
        target.name = HOSTILE.to_string();
        target.quote = HOSTILE.to_string();
        target.unit = "%".to_string();
    });
    let mut case = Case::new(
        "gdp-growth",
        &[("2020Q1", -1.6), ("2020Q3", 3.1)],
        threshold("gdp-growth", Status::OffTrack, 3.1, "2020Q3", -3.4),
    );
    case.plan = plan;
    for figure in &mut case.figures {
        figure.source = Some(HOSTILE.into());
        figure.recorded_by = HOSTILE.into();
    }
    for lang in [Lang::Zh, Lang::En] {
        let svg = case.render(lang);
        assert_well_formed(&svg);
        assert!(!svg.contains("<script"), "raw markup in\n{svg}");
        assert!(!svg.contains("]]>"), "raw CDATA end in\n{svg}");
        assert!(svg.contains("&lt;script&gt;"), "the text is kept, escaped");
        let overview = overview_chart(&case.plan, &sample_plan_status(&case.plan), lang);
        assert_well_formed(&overview);
        assert!(!overview.contains("<script"));
    }
}

// ---------------------------------------------------------------- the command

use crate::support::Ontrack;

fn svg_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    names.sort();
    names
}

/// The directory `ontrack demo` wrote, made once for all tests of this file: the
/// database with the built-in plan and the demo's illustrative 2020 figures
/// (demo/jinshui-2020-illustrative.csv, each logged at its own moment), and the
/// demo's charts. Tests only read it.
fn demo_dir() -> &'static Path {
    static DEMO: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        // Under cargo's per-target scratch directory, so nothing is left in /tmp.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts-demo");
        let _ = std::fs::remove_dir_all(&dir);
        Ontrack::new().run(["demo".as_ref(), "--dir".as_ref(), dir.join("demo").as_os_str()]).success();
        dir
    })
}

/// A fresh working directory whose database is the demo's.
fn demo() -> Ontrack {
    let mut ontrack = Ontrack::new();
    ontrack.db = demo_dir().join("demo/ontrack.db");
    ontrack
}

#[test]
fn gallery_is_what_the_code_draws() {
    let ontrack = demo();
    ontrack.run(["chart", "--out", "gallery"]).success();
    let out = ontrack.path("gallery");
    let gallery = Path::new(env!("CARGO_MANIFEST_DIR")).join("charts");
    let rendered = svg_files(&out);
    assert_eq!(rendered.len(), builtin_plan().targets().len() + 1, "one chart per target and the overview");
    if std::env::var_os("UPDATE_GALLERY").is_some_and(|v| v == "1") {
        for stale in svg_files(&gallery).iter().filter(|n| !rendered.contains(n)) {
            std::fs::remove_file(gallery.join(stale)).unwrap();
        }
    } else {
        assert_eq!(svg_files(&gallery), rendered, "charts/ holds other files than `ontrack chart` writes");
    }
    for name in &rendered {
        let svg = std::fs::read_to_string(out.join(name)).unwrap();
        // The demo writes its charts through the same renderers: the same bytes.
        let from_demo = std::fs::read_to_string(demo_dir().join("demo/charts").join(name)).unwrap();
        assert!(svg == from_demo, "{name}: `ontrack demo` and `ontrack chart` draw different bytes");
        check_file(&gallery.join(name), &svg);
    }
}

#[test]
fn chart_writes_every_target_and_the_overview_and_a_second_run_is_identical() {
    let ontrack = demo();
    let out = ontrack.run(["chart", "--out", "first"]).success();
    assert!(out.stdout.contains("已生成 51 张图表"), "{}", out.stdout);
    assert!(out.stdout.contains("截至 2020）"), "{}", out.stdout);
    ontrack.run(["chart", "--out", "second"]).success();
    let first = svg_files(&ontrack.path("first"));
    assert_eq!(first, svg_files(&ontrack.path("second")));
    assert!(first.contains(&"overview.svg".to_string()) && first.contains(&"gdp-growth.svg".to_string()));
    for name in &first {
        let a = std::fs::read(ontrack.path("first").join(name)).unwrap();
        assert_eq!(a, std::fs::read(ontrack.path("second").join(name)).unwrap(), "{name} differs between runs");
        assert_well_formed(std::str::from_utf8(&a).unwrap());
    }
    // The real evaluation reaches the chart: GDP growth 3.6 % for the year against ≈ 6.5 %.
    let gdp = std::fs::read_to_string(ontrack.path("first/gdp-growth.svg")).unwrap();
    assert!(gdp.contains(">未完成</text>") && gdp.contains("距目标 -2.9 个百分点"), "{gdp}");
}

#[test]
fn chart_takes_codes_overview_language_and_directory() {
    let ontrack = demo();
    ontrack.run(["chart", "new-roads", "gdp-growth", "--out", "some"]).success();
    assert_eq!(svg_files(&ontrack.path("some")), ["gdp-growth.svg", "new-roads.svg"]);
    ontrack.run(["chart", "--overview", "--out", "ov"]).success();
    assert_eq!(svg_files(&ontrack.path("ov")), ["overview.svg"]);
    ontrack.run(["chart", "new-roads", "--overview", "--out", "both"]).success();
    assert_eq!(svg_files(&ontrack.path("both")), ["new-roads.svg", "overview.svg"]);
    let english = ontrack.run(["--lang", "en", "chart", "new-roads", "--out", "en"]).success();
    assert!(english.stdout.contains("wrote 1 charts to en"), "{}", english.stdout);
    let svg = std::fs::read_to_string(ontrack.path("en/new-roads.svg")).unwrap();
    assert!(svg.contains("expected pace") && svg.contains("Roads built or continued"), "{svg}");
    // The default directory is charts/ under the working directory.
    assert!(!ontrack.path("charts").exists());
    ontrack.run(["chart", "--overview"]).success();
    assert_eq!(svg_files(&ontrack.path("charts")), ["overview.svg"]);
}

#[test]
fn chart_as_of_an_earlier_period_or_as_recorded_earlier_draws_what_was_known() {
    let ontrack = demo();
    ontrack.run(["chart", "gdp-growth", "--as-of", "2020Q2", "--out", "q2"]).success();
    let svg = std::fs::read_to_string(ontrack.path("q2/gdp-growth.svg")).unwrap();
    assert!(svg.contains(">2020年上半年：-0.4 %"), "{svg}");
    assert!(!svg.contains("2020年三季度：") && !svg.contains("2020年全年："), "a later figure is drawn:\n{svg}");
    // On 1 July 2020 only the first quarter's figure had been logged.
    ontrack.run(["chart", "gdp-growth", "--as-recorded", "2020-07-01", "--out", "july"]).success();
    let svg = std::fs::read_to_string(ontrack.path("july/gdp-growth.svg")).unwrap();
    assert!(svg.contains(">2020年一季度：") && svg.matches("<circle").count() == 1, "{svg}");
    // Before anything was recorded there was nothing to chart.
    ontrack
        .run_en(["chart", "--as-recorded", "2020-01-01", "--out", "early"])
        .fails(1, "has no figures as recorded at 2020-01-01 23:59:59 (Asia/Shanghai, UTC+8)");
    ontrack
        .run(["chart", "gdp-growth", "--as-recorded", "2020-01-01", "--as-of", "2020Q1", "--out", "early"])
        .success();
    let svg = std::fs::read_to_string(ontrack.path("early/gdp-growth.svg")).unwrap();
    assert!(svg.contains(">无数据</text>"), "{svg}");
}

#[test]
fn chart_refuses_unknown_codes_and_periods_outside_the_year_and_writes_nothing() {
    let ontrack = demo();
    ontrack
        .run_en(["chart", "gdp-growht", "--out", "bad"])
        .fails(1, "has no target \"gdp-growht\" (did you mean gdp-growth?)");
    ontrack
        .run_en(["chart", "--as-of", "2021Q1", "--out", "bad"])
        .fails(1, "2021Q1 is outside the plan's year: plan jinshui-2020 is for 2020");
    ontrack.run_en(["chart", "--as-of", "2020Q5", "--out", "bad"]).fails(2, "2020Q5");
    assert!(!ontrack.path("bad").exists());
    let empty = Ontrack::init();
    empty.run_en(["chart"]).fails(1, "--as-of");
}

#[test]
fn an_early_due_period_is_marked_and_the_pace_reaches_the_goal_there() {
    let mut case = Case::new(
        "phase1-trunk-roads-renovated",
        &[("2020Q1", 1.0), ("2020Q2", 3.0)],
        TargetStatus {
            final_period: true,
            ..accumulation("phase1-trunk-roads-renovated", Status::Missed, 3.0, "2020Q2", 4.0, 0.75, 1.0)
        },
    );
    case.plan.edit_targets(|targets| {
        targets.iter_mut().find(|t| t.code == "phase1-trunk-roads-renovated").unwrap().due = Some(period("2020H1"))
    });
    let svg = case.check("due-early-phase1-roads");
    let texts = texts_of(&svg);
    assert!(texts.iter().any(|t| t == "完成期限"), "{texts:?}");
    assert!(!texts.iter().any(|t| t.starts_with("较序时")), "no gap to pace at the due period: {texts:?}");
}

/// Runs `ontrack` with `args` and fails (killing it) if it has not finished within
/// `seconds`: a chart stuck in plotters' tick computation must fail, not hang.
fn finishes_within(ontrack: &crate::support::Ontrack, args: &[&str], seconds: u64) -> crate::support::Output {
    let mut command = ontrack.run(args).command;
    command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(seconds) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{args:?} did not finish within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    crate::support::Output {
        code: 0,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        bytes: out.stdout,
    }
}

/// An older database may hold figures validation now refuses (1.5e308 % growth,
/// 1e20 roads): written here with SQL, past validation. `status`, `chart` and the
/// HTML report still finish, with short numbers and well-formed charts.
#[test]
fn absurd_figures_already_stored_still_chart_and_report_in_bounded_time() {
    let ontrack = crate::support::Ontrack::init();
    {
        let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
        let absurd = [
            ("gdp-growth", 1.5e308),
            ("rd-spending-growth", -1.7e308),
            ("new-roads", 1e20),
            ("waste-sorting-coverage", 1e300),
            ("emergency-bridge-loan-fund", 5e-324),
            ("unemployment-rate", -1e200),
        ];
        for (code, value) in absurd {
            conn.execute(
                "INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at)
                 SELECT id, 202009, '2020Q3', ?2, 'old release', '2020-10-15T09:00:00.000000Z'
                 FROM targets WHERE code = ?1",
                rusqlite::params![code, value],
            )
            .unwrap();
        }
    }
    let status = finishes_within(&ontrack, &["status"], 60);
    assert!(status.stdout.contains("1.5e308"), "{}", status.stdout);
    let digits = |text: &str| text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert!(digits(&status.stdout) < 30, "a number of {} digits:\n{}", digits(&status.stdout), status.stdout);
    finishes_within(&ontrack, &["chart", "--out", "charts"], 120);
    for code in ["gdp-growth", "rd-spending-growth", "new-roads", "waste-sorting-coverage", "overview"] {
        let svg = std::fs::read_to_string(ontrack.path("charts").join(format!("{code}.svg"))).unwrap();
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{code}.svg is not well-formed: {e}"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{code}.svg");
        assert!(digits(&svg) < 30, "{code}.svg has a number of {} digits", digits(&svg));
    }
    let gdp = std::fs::read_to_string(ontrack.path("charts").join("gdp-growth.svg")).unwrap();
    assert!(gdp.contains("1.5e308"), "the callout states the figure as logged");
    finishes_within(&ontrack, &["report", "--format", "html", "--out", "report.html"], 120);
    let html = std::fs::read_to_string(ontrack.path("report.html")).unwrap();
    assert!(digits(&html) < 30, "the report has a number of {} digits", digits(&html));
    ontrack.run(["check"]).success();
}
