//! A plan's life: target adjustments (plan adjust), deadlines and late figures, plans
//! over years (plan next, plan archive, plan remove).

use crate::support::Ontrack;

/// A database with the built-in plan loaded on 5 January 2020.
fn early_init() -> Ontrack {
    let ontrack = Ontrack::new();
    ontrack.run(["init"]).env("ONTRACK_NOW", "2020-01-05T00:00:00Z").success();
    ontrack
}

fn status_json(ontrack: &Ontrack, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["status", "--format", "json"];
    all.extend_from_slice(args);
    let out = ontrack.run(all).success();
    serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

fn target_of(rows: &[serde_json::Value], code: &str) -> f64 {
    let row = rows.iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no {code}"));
    row["target"].as_f64().unwrap()
}

#[test]
fn an_adjusted_target_counts_from_when_it_stood_and_reports_show_both_values() {
    let ontrack = early_init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-4.6"]).env("ONTRACK_NOW", "2020-04-15T02:00:00Z").success();
    let adjusted = ontrack
        .run_en([
            "plan",
            "adjust",
            "gdp-growth",
            "--value",
            "3",
            "--reason",
            "lowered after the first quarter",
            "--document",
            "金政〔2020〕8号",
            "--effective",
            "2020-05-01",
            "--by",
            "区发改委",
        ])
        .env("ONTRACK_NOW", "2020-05-10T02:00:00Z")
        .success();
    assert!(
        adjusted.stderr.contains(
            "adjusted gdp-growth: originally 6.5 % → adjusted to 3 % (reason: lowered after the \
                                  first quarter; document: 金政〔2020〕8号; in force from 2020-05-01 00:00+08:00"
        ),
        "{}",
        adjusted.stderr
    );
    ontrack.run(["record", "gdp-growth", "2020Q2", "1.2"]).env("ONTRACK_NOW", "2020-07-15T02:00:00Z").success();

    // As recorded before the adjustment: the goal the plan was loaded with.
    let before = status_json(&ontrack, &["--as-recorded", "2020-04-30", "--as-of", "2020Q1"]);
    assert_eq!(target_of(&before, "gdp-growth"), 6.5);
    // Recorded on 10 May, in force from 1 May (Beijing): 9 May it was not yet known.
    let known_later = status_json(&ontrack, &["--as-recorded", "2020-05-09", "--as-of", "2020Q1"]);
    assert_eq!(target_of(&known_later, "gdp-growth"), 6.5);
    let after = status_json(&ontrack, &["--as-recorded", "2020-07-20"]);
    assert_eq!(target_of(&after, "gdp-growth"), 3.0);
    assert_eq!(target_of(&status_json(&ontrack, &[]), "gdp-growth"), 3.0);
    // Other targets are untouched.
    assert_eq!(target_of(&status_json(&ontrack, &[]), "unemployment-rate"), 4.0);

    for (lang, expected) in [
        ("zh", ["原目标 6.5 % → 调整后 3 %", "（原目标 6.5 %）", "## 目标调整", "金政〔2020〕8号"]),
        (
            "en",
            ["originally 6.5 % → adjusted to 3 %", "(originally 6.5 %)", "## Target adjustments", "金政〔2020〕8号"],
        ),
    ] {
        let report = ontrack.run(["--lang", lang, "report"]).success();
        for text in expected {
            assert!(report.stdout.contains(text), "{lang}: {text:?} missing in\n{}", report.stdout);
        }
        assert!(report.stdout.contains("lowered after the first quarter"));
    }
    // A report as recorded before the adjustment has neither.
    let old = ontrack.run(["report", "--as-recorded", "2020-04-30", "--as-of", "2020Q1"]).success();
    assert!(!old.stdout.contains("目标调整") && !old.stdout.contains("原目标"), "{}", old.stdout);
    let json = ontrack.run(["report", "--format", "json"]).success();
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["adjustments"][0]["value_before"], 6.5);
    assert_eq!(json["adjustments"][0]["effective_at"], "2020-04-30T16:00:00Z");

    // The export is the plan as it stands, with its adjustments as comments; it loads.
    let export = ontrack.run(["plan", "export"]).success().stdout;
    assert!(export.contains("code = \"gdp-growth\"\nsection = \"main\""), "{export}");
    let gdp = export.split("[[targets]]").find(|t| t.contains("code = \"gdp-growth\"")).unwrap();
    assert!(gdp.contains("\nvalue = 3\n"), "{gdp}");
    assert!(
        export.contains(
            "# adjust: gdp-growth 6.5 -> 3 %, effective 2020-05-01 00:00+08:00, recorded 2020-05-10 10:00+08:00 by \
             区发改委; reason: lowered after the first quarter; document: 金政〔2020〕8号"
        ),
        "{export}"
    );
    let reloaded = Ontrack::new();
    let file = reloaded.file("export.toml", &export);
    reloaded.run(["init", "--empty"]).success();
    reloaded.run(["plan", "import", file.to_str().unwrap()]).success();
    ontrack.run(["check"]).success();
}

#[test]
fn adjustments_follow_one_another_and_are_append_only() {
    let ontrack = early_init();
    let adjust = |value: &str, effective: &str, now: &str| {
        ontrack
            .run_en(["plan", "adjust", "new-roads", "--value", value, "--reason", "r", "--effective", effective])
            .env("ONTRACK_NOW", now)
    };
    adjust("80", "2020-06-01", "2020-06-02T00:00:00Z").success();
    let out = adjust("70", "2020-08-01", "2020-08-02T00:00:00Z").success();
    assert!(out.stderr.contains("originally 80 条 → adjusted to 70 条"), "{}", out.stderr);
    let before = ontrack.dump();
    adjust("60", "2020-07-01", "2020-08-03T00:00:00Z")
        .fails(1, "takes effect at 2020-06-30T16:00:00.000000Z, before its previous adjustment");
    assert_eq!(ontrack.dump(), before);
    // The table refuses changes whatever program writes to the file.
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    for sql in ["UPDATE target_adjustments SET value_after = 1", "DELETE FROM target_adjustments"] {
        let error = conn.execute(sql, []).unwrap_err().to_string();
        assert!(error.contains("append-only"), "{error}");
    }
    ontrack.run(["check"]).success();
    // An adjustment written past our checks (another program) is found by `check`.
    conn.execute_batch(
        "INSERT INTO target_adjustments (target_id, value_before, value_after, reason, effective_at, recorded_at,
                                         recorded_by)
         SELECT id, 50, 60, 'x', '2020-07-01T00:00:00.000000Z', '2020-09-01T00:00:00.000000Z', 'x'
         FROM targets WHERE code = 'new-roads'",
    )
    .unwrap();
    drop(conn);
    let out = ontrack.run_en(["check"]).fails(1, "failed 1 check(s): adjustment-chains");
    assert!(
        out.stdout.contains("does not follow the one before it (value before 50.0, expected 70.0)"),
        "{}",
        out.stdout
    );
    let out = ontrack.run(["check"]).fails(1, "adjustment-chains");
    assert!(out.stdout.contains("调整前数值 50.0，应为 70.0"), "{}", out.stdout);
    // A strive bar moved from one that never stood is found too.
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    conn.execute_batch(
        "INSERT INTO target_adjustments (target_id, value_before, value_after, strive_before, strive_after, reason,
                                         effective_at, recorded_at, recorded_by)
         SELECT id, 6.5, 6, 9, 7, 'x', '2020-07-01T00:00:00.000000Z', '2020-09-01T00:00:00.000000Z', 'x'
         FROM targets WHERE code = 'gdp-growth'",
    )
    .unwrap();
    drop(conn);
    let out = ontrack.run_en(["check"]).fails(1, "adjustment-strive-chains");
    assert!(out.stdout.contains("moves the strive bar from 9.0, but none stood before it"), "{}", out.stdout);
}

#[test]
fn refused_adjustments_say_why_and_change_nothing() {
    let ontrack = early_init();
    let before = ontrack.dump();
    let cases: [(&[&str], &str); 8] = [
        (&["gdp-grwth", "--value", "3", "--reason", "r"], "plan jinshui-2020 has no target \"gdp-grwth\""),
        (&["gdp-growth", "--value", "3"], "an adjustment of gdp-growth needs a reason: add --reason"),
        (&["gdp-growth", "--value", "3", "--reason", "  "], "needs a reason"),
        (&["unemployment-rate", "--value", "120", "--reason", "r"], "a rate is between 0 and 100, not 120"),
        (&["new-roads", "--value", "-5", "--reason", "r"], "a count or amount cannot be negative"),
        (
            &["gdp-growth", "--value", "3", "--reason", "r", "--effective", "2019-12-31"],
            "is before plan jinshui-2020's year",
        ),
        (&["gdp-growth", "--value", "3", "--reason", "r", "--effective", "2021-05-01"], "is in the future"),
        (&["gdp-growth", "--value", "3", "--reason", "r", "--effective", "soon"], "--effective \"soon\" is not a date"),
    ];
    for (args, message) in cases {
        let mut all = vec!["plan", "adjust"];
        all.extend_from_slice(args);
        ontrack.run_en(all).fails(1, message);
        assert_eq!(ontrack.dump(), before, "{args:?} changed the database");
    }
    // In Chinese too.
    ontrack.run(["plan", "adjust", "gdp-growth", "--value", "3"]).fails(1, "调整 gdp-growth 须说明理由");
}

#[test]
fn late_figures_are_marked_in_history_status_and_reports() {
    let ontrack = early_init();
    // Q3 ends on 30 September; ten days later, 10 October 24:00 Beijing = 16:00 UTC, is the deadline.
    ontrack.run(["record", "gdp-growth", "2020Q3", "6.1"]).env("ONTRACK_NOW", "2020-10-10T16:00:00Z").success();
    ontrack.run(["record", "unemployment-rate", "2020Q3", "3.1"]).env("ONTRACK_NOW", "2020-10-10T16:00:01Z").success();
    let history = |code: &str| {
        let out = ontrack.run(["history", code, "--format", "json"]).success();
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()[0].clone()
    };
    assert_eq!(history("gdp-growth")["late"], false, "exactly ten days is on time");
    assert_eq!(history("unemployment-rate")["late"], true, "one second more is late");
    let csv = ontrack.run(["history", "unemployment-rate", "--format", "csv"]).success().stdout;
    assert!(csv.lines().next().unwrap().ends_with(",set_clock,state,state_by,state_reason,late"), "{csv}");
    let table = ontrack.run_en(["history", "unemployment-rate"]).success().stdout;
    assert!(table.contains("2020Q3, late"), "{table}");
    let sheet = ontrack.run(["status", "--as-of", "2020Q3"]).success().stdout;
    let line = |code: &str| sheet.lines().find(|l| l.contains(code)).unwrap().to_string();
    assert!(line("unemployment-rate").contains("2020年三季度，逾期报送"), "{sheet}");
    assert!(!line("gdp-growth").contains("逾期报送"), "{sheet}");
    let report = ontrack.run_en(["report", "--as-of", "2020Q3"]).success().stdout;
    assert!(report.contains("3.1 % (2020Q3, late)"), "{report}");
    assert!(report.contains("6.1 % (2020Q3)"), "{report}");
}

#[test]
fn a_plans_own_deadline_is_kept_in_the_database() {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).success();
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml")).unwrap();
    let plan = plan.replacen("[sections]", "[deadlines]\ndays_after_period = 20\n\n[sections]", 1);
    let file = ontrack.file("plan.toml", &plan);
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    ontrack.run(["record", "gdp-growth", "2020Q3", "6.1"]).env("ONTRACK_NOW", "2020-10-20T16:00:00Z").success();
    let out = ontrack.run(["history", "gdp-growth", "--format", "json"]).success();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()[0]["late"], false);
    let export = ontrack.run(["plan", "export"]).success().stdout;
    assert!(export.contains("[deadlines]\ndays_after_period = 20\n"), "{export}");
    let show = ontrack.run(["plan", "show", "--format", "json"]).success().stdout;
    assert!(show.contains("\"days_after_period\": 20"), "{show}");
    let show = ontrack.run_en(["plan", "show"]).success().stdout;
    assert!(show.contains("deadline: within 20 days after a period ends"), "{show}");
}

/// `plan adjust --strive S` moves the strive bar (力争) with the value: status and the
/// report use it from when it stood, the adjustment shows both moves, and a bar on the
/// wrong side of the value is refused as the plan file would refuse it.
#[test]
fn an_adjustment_moves_the_strive_bar_too() {
    let ontrack = early_init();
    ontrack.run(["record", "gdp-growth", "2020Q1", "-4.6"]).env("ONTRACK_NOW", "2020-04-15T02:00:00Z").success();
    let before = ontrack.dump();
    let args = ["plan", "adjust", "gdp-growth", "--value", "3", "--strive", "2", "--reason", "疫情"];
    let refused =
        ontrack.run_en(args).env("ONTRACK_NOW", "2020-05-10T02:00:00Z").fails(1, "cannot be adjusted to 3 (strive 2)");
    assert!(refused.stderr.contains("field `strive`: 2 must be above the value 3"), "{}", refused.stderr);
    assert_eq!(ontrack.dump(), before, "nothing written");

    let args = ["plan", "adjust", "gdp-growth", "--value", "3", "--strive", "4", "--reason", "疫情", "--by", "发改委"];
    let adjusted = ontrack.run_en(args).env("ONTRACK_NOW", "2020-05-10T02:00:00Z").success();
    assert!(
        adjusted
            .stderr
            .contains("adjusted gdp-growth: originally 6.5 % → adjusted to 3 %; strive for — → 4 % (reason: 疫情"),
        "{}",
        adjusted.stderr
    );
    // A later adjustment of the value alone keeps the bar.
    let args = ["plan", "adjust", "gdp-growth", "--value", "3.5", "--reason", "二次调整"];
    ontrack.run(args).env("ONTRACK_NOW", "2020-06-10T02:00:00Z").success();
    let strive_at = |moment: &str| {
        let out = ontrack.run(["status", "--format", "json", "--as-of", "2020Q1"]).env("ONTRACK_NOW", moment).success();
        let rows: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
        let row = rows.into_iter().find(|r| r["code"] == "gdp-growth").unwrap();
        (row["target"].as_f64(), row["strive"].as_f64())
    };
    assert_eq!(strive_at("2020-05-01T00:00:00Z"), (Some(6.5), None));
    assert_eq!(strive_at("2020-05-20T00:00:00Z"), (Some(3.0), Some(4.0)));
    assert_eq!(strive_at("2020-06-20T00:00:00Z"), (Some(3.5), Some(4.0)));
    let report = ontrack.run(["report", "--as-of", "2020Q1"]).env("ONTRACK_NOW", "2020-06-20T00:00:00Z").success();
    assert!(report.stdout.contains("原目标 6.5 % → 调整后 3 %；力争 — → 4 %"), "{}", report.stdout);
    assert!(report.stdout.contains("原目标 3 % → 调整后 3.5 % |"), "the second leaves the bar: {}", report.stdout);
    let json =
        ontrack.run(["report", "--as-of", "2020Q1", "--format", "json"]).env("ONTRACK_NOW", "2020-06-20T00:00:00Z");
    let json: serde_json::Value = serde_json::from_str(&json.success().stdout).unwrap();
    let strives: Vec<_> = json["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["strive_before"].as_f64(), a["strive_after"].as_f64()))
        .collect();
    assert_eq!(strives, [(None, Some(4.0)), (Some(4.0), Some(4.0))]);
    let export = ontrack.run(["plan", "export"]).env("ONTRACK_NOW", "2020-06-20T00:00:00Z").success().stdout;
    let gdp = export.split("[[targets]]").find(|t| t.contains("\"gdp-growth\"")).unwrap();
    assert!(gdp.contains("value = 3.5\n") && gdp.contains("strive = 4\n"), "{gdp}");
    assert!(export.contains("# adjust: gdp-growth 6.5 -> 3 % (strive none -> 4), effective"), "{export}");
    assert!(export.contains("# adjust: gdp-growth 3 -> 3.5 %, effective"), "{export}");
    ontrack.run(["check"]).success();
}

#[test]
fn plan_next_drafts_a_file_that_loads_only_once_filled_in() {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).success();
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml")).unwrap();
    let plan = plan.replacen(
        "code = \"new-roads\"\n",
        "code = \"new-roads\"\ndue = \"2020Q3\"\nplanned = { \"2020Q2\" = 0.4, \"2020Q3\" = 1 }\n",
        1,
    );
    let file = ontrack.file("plan.toml", plan);
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    ontrack.run(["record", "projects-under-construction", "2020Q3", "100"]).success();
    ontrack.run(["record", "projects-under-construction", "2020Q4", "118"]).success();
    // Baselines come from approved figures only: Q4's 118 awaits review, so Q3's 100
    // (approved) is the year's last approved figure; a stock without one gets no baseline.
    let figures = ontrack.run(["figures", "--period", "2020Q3", "--format", "json"]).success().stdout;
    let figures: serde_json::Value = serde_json::from_str(&figures).unwrap();
    let q3 = figures[0]["id"].as_i64().unwrap().to_string();
    ontrack.run(["review", "approve", &q3]).success();
    let out = ontrack.run_en(["plan", "next", "jinshui-2020", "--year", "2021", "--out", "next.toml"]).success();
    assert!(out.stderr.contains("wrote the draft of plan jinshui-2021 (2021) to next.toml"), "{}", out.stderr);
    let draft = std::fs::read_to_string(ontrack.path("next.toml")).unwrap();
    assert!(draft.contains("id = \"jinshui-2021\"\n") && draft.contains("year = 2021\n"), "{draft}");
    let stock = draft.split("[[targets]]").find(|t| t.contains("\"projects-under-construction\"")).unwrap();
    assert!(stock.contains("baseline = 100\n"), "{stock}");
    // Each target's review notes stand just above its `[[targets]]` line.
    let note = "# review: baseline 100 个 = the approved figure for 2020Q3 (the last approved of 2020)";
    assert!(draft.contains(note), "{draft}");
    assert!(stock.contains("# fill in: value = ? (2020 goal 116 个; last approved figure 2020Q3 100 个)"), "{stock}");
    let unapproved = draft.split("[[targets]]").find(|t| t.contains("\"high-tech-enterprises\"")).unwrap();
    assert!(!unapproved.contains("baseline = "), "{unapproved}");
    let notes = draft.split("\n[[targets]]\ncode = \"high-tech-enterprises\"").next().unwrap();
    let notes = notes.rsplit("\n\n").next().unwrap();
    assert!(notes.contains("# review: no approved figure in 2020: set the baseline"), "{notes}");
    let dated: Vec<&str> = draft.lines().filter(|l| l.starts_with("due = ") || l.starts_with("planned = ")).collect();
    assert_eq!(dated, ["due = \"2021Q3\"", "planned = { \"2021Q2\" = 0.4, \"2021Q3\" = 1 }"]);
    assert!(dated.iter().all(|l| l.contains("2021") && !l.contains("2020")), "due periods and paths move: {dated:?}");

    // Not loadable as it is: each unfilled value is named.
    let path = ontrack.path("next.toml");
    let refused = ontrack
        .run_en(["plan", "import", path.to_str().unwrap()])
        .fails(1, "target gdp-growth, field `value`: missing; fill in");
    assert!(refused.stderr.contains("target projects-under-construction, field `value`"), "{}", refused.stderr);
    // Filled in (here with this year's goals, which the comments give), it loads
    // beside this year's plan.
    let filled: String = draft
        .lines()
        .map(|line| match line.strip_prefix("# fill in: value = ? (2020 goal ") {
            Some(rest) => format!("value = {}", rest.split(' ').next().unwrap()),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = ontrack.file("filled.toml", filled);
    ontrack.run_en(["plan", "import", file.to_str().unwrap()]).success();
    let next = ontrack.run(["targets", "--plan", "jinshui-2021", "--format", "json"]).success().stdout;
    let next: serde_json::Value = serde_json::from_str(&next).unwrap();
    assert_eq!(next.as_array().unwrap().len(), 50);

    // No clobbering, and the year must be later.
    ontrack.run_en(["plan", "next", "jinshui-2020", "--year", "2021", "--out", "next.toml"]).fails(1, "next.toml");
    ontrack.run_en(["plan", "next", "jinshui-2020", "--year", "2021", "--out", "next.toml", "--force"]).success();
    ontrack
        .run_en(["plan", "next", "jinshui-2020", "--year", "2020"])
        .fails(1, "--year 2020 is not after plan jinshui-2020's year 2020");
}

#[test]
fn a_plan_with_figures_is_archived_and_one_without_is_removed() {
    let ontrack = Ontrack::init();
    ontrack.run(["record", "gdp-growth", "2020Q3", "6.1"]).success();
    let before = ontrack.dump();
    ontrack
        .run_en(["plan", "remove", "jinshui-2020"])
        .fails(1, "plan jinshui-2020 holds 1 figures and 0 target adjustments and cannot be removed; nothing was changed. A plan with figures is archived instead: `ontrack plan archive jinshui-2020`");
    assert_eq!(ontrack.dump(), before);

    let archived = ontrack.run_en(["plan", "archive", "jinshui-2020"]).success();
    assert!(archived.stderr.contains("archived plan jinshui-2020"), "{}", archived.stderr);
    let list = ontrack.run(["plan", "list", "--format", "json"]).success().stdout;
    assert_eq!(list.trim(), "[]", "hidden from the list");
    let all = ontrack.run(["plan", "list", "--all", "--format", "json"]).success().stdout;
    assert!(all.contains("\"archived_at\": \"2021-03-31T08:00:00.000000Z\""), "{all}");
    let show = ontrack.run(["plan", "show", "jinshui-2020"]).success().stdout;
    assert!(show.contains("已于 2021-03-31T08:00:00.000000Z 归档"), "{show}");
    // Still readable by name, its figure intact; not the default any more.
    let status = ontrack.run(["status", "--plan", "jinshui-2020", "--format", "json"]).success().stdout;
    assert!(status.contains("\"actual\": 6.1"), "{status}");
    ontrack
        .run_en(["status"])
        .fails(1, "every plan in this database is archived (jinshui-2020): name one with --plan ID");
    // It takes no new figure, nor an adjustment, nor a second archiving.
    let before = ontrack.dump();
    ontrack
        .run_en(["record", "gdp-growth", "2020Q4", "6.3", "--plan", "jinshui-2020"])
        .fails(1, "plan jinshui-2020 was archived at 2021-03-31T08:00:00.000000Z and takes no new figures");
    ontrack
        .run_en(["plan", "adjust", "gdp-growth", "--value", "3", "--reason", "r", "--plan", "jinshui-2020"])
        .fails(1, "was archived");
    ontrack.run_en(["plan", "archive", "jinshui-2020"]).fails(1, "was archived");
    assert_eq!(ontrack.dump(), before);

    // A plan without figures is removed whole.
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml")).unwrap();
    let file = ontrack.file("other.toml", plan.replacen("id = \"jinshui-2020\"", "id = \"other-2020\"", 1));
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    ontrack.run_en(["plan", "remove", "other-2020"]).success();
    let all = ontrack.run(["plan", "list", "--all", "--format", "json"]).success().stdout;
    assert!(!all.contains("other-2020"), "{all}");
    ontrack.run_en(["plan", "remove", "nope"]).fails(1, "no plan \"nope\"");
    ontrack.run(["check"]).success();
}

/// Six people adjusting one target at once on the computer's clock: each adjustment
/// reads the one before it inside its own write lock, so the chain stays whole.
#[test]
fn concurrent_adjustments_of_one_target_stay_one_chain() {
    let ontrack = Ontrack::init();
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..6)
            .map(|i| {
                let ontrack = &ontrack;
                scope.spawn(move || {
                    let value = (60 + i).to_string();
                    ontrack
                        .run(["plan", "adjust", "new-roads", "--value", &value, "--reason", "并发"])
                        .env("ONTRACK_NOW", "")
                        .output()
                })
            })
            .collect();
        for run in runs {
            let out = run.join().unwrap();
            assert_eq!(out.code, 0, "{}", out.stderr);
        }
    });
    ontrack.run(["check"]).success();
    let export = ontrack.run(["plan", "export"]).success().stdout;
    assert_eq!(export.matches("# adjust: new-roads ").count(), 6, "{export}");
    assert!(export.contains("# adjust: new-roads 92 -> "), "the first starts from the loaded value:\n{export}");
}
