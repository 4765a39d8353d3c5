//! One vocabulary (`ontrack::present`): the same figure reads the same in the status
//! sheet, the Markdown report and the charts, in Chinese and in English — the period
//! (a year-to-date month as `2020年1-8月`), the gap with its unit (percentage points
//! `个百分点` / `pp`), the status and overdue labels, and what is still needed per period.

use crate::status::third_quarter;

/// Runs `status`, `report --format md` and `chart` in `lang` and returns the sheet, the
/// report and the SVG of each chart asked for.
fn outputs(lang: &str, charts: &[&str]) -> (String, String, Vec<String>) {
    let ontrack = third_quarter();
    let sheet = ontrack.run(["--lang", lang, "status"]).success().stdout;
    let report = ontrack.run(["--lang", lang, "report", "--format", "md"]).success().stdout;
    ontrack.run(["--lang", lang, "chart", "--out", "charts"]).success();
    let svgs = charts
        .iter()
        .map(|code| std::fs::read_to_string(ontrack.path("charts").join(format!("{code}.svg"))).unwrap())
        .collect();
    (sheet, report, svgs)
}

#[test]
fn a_figure_reads_the_same_in_the_sheet_the_report_and_the_charts() {
    // budget-revenue-growth: a year-to-date growth target (%), figure for 1-8月 of 2.1 %
    // against ≈ 3 %, off track, the September figure overdue.
    // new-roads: a count target (条), quarterly, at risk, 32.2 条 needed a quarter, which reads 33 (whole roads, rounded up).
    let cases = [
        ("zh", ["2020年1-8月", "-0.9 个百分点", "滞后", "未报送"], ["每季 33 条", "预警"]),
        ("en", ["2020-08", "-0.9 pp", "off track", "overdue"], ["33 条 a quarter", "at risk"]),
    ];
    for (lang, budget_phrases, roads_phrases) in cases {
        let (sheet, report, svgs) = outputs(lang, &["budget-revenue-growth", "new-roads"]);
        let sheet_line = |code: &str| sheet.lines().find(|l| l.contains(code)).unwrap_or_default().to_string();
        for phrase in budget_phrases {
            assert!(sheet_line("budget-revenue-growth").contains(phrase), "{lang} sheet lacks {phrase:?}\n{sheet}");
            assert!(report.contains(phrase), "{lang} report lacks {phrase:?}\n{report}");
            assert!(svgs[0].contains(phrase), "{lang} chart lacks {phrase:?}\n{}", svgs[0]);
        }
        // The chart has no "still needed"; the status label is its badge.
        for phrase in roads_phrases {
            assert!(sheet_line("new-roads").contains(phrase), "{lang} sheet lacks {phrase:?}\n{sheet}");
            assert!(report.contains(phrase), "{lang} report lacks {phrase:?}\n{report}");
        }
        assert!(svgs[1].contains(roads_phrases[1]), "{lang} chart lacks {:?}", roads_phrases[1]);
    }
    // No drifted forms are left anywhere.
    for lang in ["zh", "en"] {
        let (sheet, report, svgs) = outputs(lang, &["budget-revenue-growth", "gdp-growth"]);
        for text in [&sheet, &report, &svgs[0], &svgs[1]] {
            for old in [" pt ", "pt/", "points against", "tolerance 0.5 points", "条/季", "条/quarter"] {
                assert!(!text.contains(old), "{lang}: drifted {old:?} in\n{text}");
            }
        }
    }
}

#[test]
fn a_relative_goal_and_the_as_of_period_read_the_same_everywhere() {
    // income-growth keeps in step with gdp-growth: every output names the related
    // target, none its code; the as-of phrase of the sheet's title is the charts' one.
    let cases = [
        ("zh", "与地区生产总值增速同步", "与 gdp-growth 同步", "截至 2020年三季度", "2020年三季度"),
        ("en", "in step with GDP growth", "in step with gdp-growth", "as of 2020Q3", "As of 2020Q3"),
    ];
    for (lang, goal, coded, as_of, report_as_of) in cases {
        let (sheet, report, svgs) = outputs(lang, &["income-growth", "new-roads"]);
        let line = sheet.lines().find(|l| l.contains("income-growth")).unwrap_or_default();
        assert!(line.contains(goal), "{lang} sheet lacks {goal:?}\n{sheet}");
        assert!(report.contains(goal), "{lang} report lacks {goal:?}\n{report}");
        assert!(svgs[0].contains(goal), "{lang} chart lacks {goal:?}\n{}", svgs[0]);
        for text in [&sheet, &report, &svgs[0]] {
            assert!(!text.contains(coded), "{lang}: the related target by code in\n{text}");
        }
        assert!(
            sheet.lines().next().unwrap_or_default().contains(as_of),
            "{lang} sheet title lacks {as_of:?}\n{sheet}"
        );
        for svg in &svgs {
            assert!(svg.contains(as_of), "{lang} chart lacks {as_of:?}\n{svg}");
        }
        assert!(report.contains(report_as_of), "{lang} report lacks {report_as_of:?}\n{report}");
    }
    let ontrack = third_quarter();
    for lang in ["zh", "en"] {
        let json = ontrack.run(["--lang", lang, "status", "--format", "json"]).success().stdout;
        let targets = ontrack.run(["--lang", lang, "targets"]).success().stdout;
        let goal = if lang == "zh" { "与地区生产总值增速同步" } else { "in step with GDP growth" };
        assert!(json.contains(goal) && targets.contains(goal), "{lang}: {json}\n{targets}");
    }
}
