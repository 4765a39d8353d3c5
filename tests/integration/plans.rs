//! init, plan list/show/import/export, targets, completions.

use crate::support::Ontrack;

const SMALL_PLAN: &str = r#"
[plan]
id = "testdistrict-2021"
org = "测试区"
year = 2021

[sections]
main = "主要预期目标"

[[targets]]
code = "gdp-growth"
section = "main"
name = "地区生产总值增速"
kind = "growth"
cmp = "about"
value = 7
unit = "%"
frequency = "quarter"
quote = "地区生产总值增长7%左右"
"#;

#[test]
fn init_loads_the_builtin_plan_and_lists_every_target_with_its_goal() {
    let ontrack = Ontrack::init();
    let out = ontrack.run(["targets"]).success();
    for expected in [
        "gdp-growth",
        "≈ 6.5 %",
        "rd-spending-growth",
        "≈ 15 %",
        "unemployment-rate",
        "≤ 4 %",
        "waste-sorting-coverage",
        "≥ 95 %",
        "new-roads",
        "92 条",
        "buildings-tax-over-1m",
        "> 140 幢",
        "共 50 项指标",
    ] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in\n{}", out.stdout);
    }
    let english = ontrack.run(["--lang", "en", "targets", "--section", "main"]).success();
    assert!(english.stdout.contains("GDP growth"), "{}", english.stdout);
    assert!(english.stdout.contains("5 targets (plan jinshui-2020)"), "{}", english.stdout);
}

#[test]
fn builtin_plan_carries_the_headline_targets_with_their_quotes() {
    let ontrack = Ontrack::init();
    let out = ontrack.run(["targets", "--format", "json"]).success();
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let find = |code: &str| rows.iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no {code}"));
    let check = |code: &str, kind: &str, cmp: &str, value: f64, quote_part: &str| {
        let row = find(code);
        assert_eq!(row["kind"], kind, "{code}");
        assert_eq!(row["cmp"], cmp, "{code}");
        assert_eq!(row["value"].as_f64(), Some(value), "{code}");
        assert!(row["quote"].as_str().unwrap().contains(quote_part), "{code}: {}", row["quote"]);
    };
    check("gdp-growth", "growth", "about", 6.5, "地区生产总值增长6.5%左右");
    check("rd-spending-growth", "growth", "about", 15.0, "全社会研发投入经费增长15%左右");
    check("unemployment-rate", "rate", "at_most", 4.0, "城镇登记失业率控制在4%以内");
    check("waste-sorting-coverage", "share", "at_least", 95.0, "分类覆盖率达95%以上");
    assert_eq!(find("income-growth")["related"], "gdp-growth");
    assert_eq!(find("rd-spending-growth")["frequency"], "year");
    for field in [
        "code",
        "section",
        "name",
        "name_en",
        "kind",
        "cmp",
        "value",
        "unit",
        "tolerance",
        "commitment",
        "frequency",
        "measure",
        "baseline",
        "related",
        "due",
        "lead_unit",
        "quote",
    ] {
        assert!(rows[0].get(field).is_some(), "JSON lacks field {field}");
    }
    assert!(rows.len() >= 45, "the seed article has about fifty targets, got {}", rows.len());
}

#[test]
fn every_quote_of_the_builtin_plan_is_in_the_seed_article() {
    let article =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/sources/jinshui-2020-work-report.txt"))
            .expect("the seed article is in plans/sources/");
    let ontrack = Ontrack::init();
    let out = ontrack.run(["targets", "--format", "json"]).success();
    let rows: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    for row in rows.as_array().unwrap() {
        let quote = row["quote"].as_str().unwrap();
        assert!(article.contains(quote), "{}: quote {quote:?} is not in the article", row["code"]);
    }
}

#[test]
fn export_import_export_gives_the_same_bytes() {
    let first = Ontrack::init();
    let exported = first.run(["plan", "export", "jinshui-2020"]).success().bytes;
    let second = Ontrack::new();
    second.run(["init", "--empty"]).success();
    let file = second.file("plan.toml", &exported);
    second.run(["plan", "import", file.to_str().unwrap()]).success();
    let again = second.run(["plan", "export"]).success().bytes;
    assert_eq!(String::from_utf8(exported).unwrap(), String::from_utf8(again).unwrap());
    let out_file = second.path("out.toml");
    second.run(["plan", "export", "--out", out_file.to_str().unwrap()]).success();
    assert!(std::fs::read_to_string(out_file).unwrap().starts_with("[plan]\nid = \"jinshui-2020\""));
}

#[test]
fn import_adds_a_plan_and_it_becomes_the_default() {
    let ontrack = Ontrack::init();
    let file = ontrack.file("small.toml", SMALL_PLAN);
    ontrack.run(["plan", "import", "small.toml", "--dry-run"]).success();
    assert!(!ontrack.run(["plan", "list"]).success().stdout.contains("testdistrict-2021"));
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    let list = ontrack.run(["plan", "list", "--format", "json"]).success();
    let plans: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(plans[0]["id"], "testdistrict-2021");
    assert_eq!(plans[1]["id"], "jinshui-2020");
    assert!(ontrack.run(["targets"]).success().stdout.contains("≈ 7 %"));
    assert!(ontrack.run(["targets", "--plan", "jinshui-2020"]).success().stdout.contains("≈ 6.5 %"));
    let show = ontrack.run(["plan", "show", "jinshui-2020", "--format", "json"]).success();
    let view: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(view["targets"], 50);
    assert_eq!(view["sections"][0]["id"], "main");
}

#[test]
fn bad_plan_files_are_refused_and_nothing_is_written() {
    let ontrack = Ontrack::init();
    let before = ontrack.dump();
    let cases = [
        (
            SMALL_PLAN.replace("kind = \"growth\"", "kind = \"grwoth\""),
            "target gdp-growth, field `kind`: unknown kind \"grwoth\"",
        ),
        (SMALL_PLAN.replace("code = \"gdp-growth\"", "code = \"../gdp\""), "\"../gdp\" is not a slug"),
        (SMALL_PLAN.replace("quote = \"地区生产总值增长7%左右\"", ""), "field `quote`: missing"),
        (format!("{SMALL_PLAN}\n[[targets]]{}", SMALL_PLAN.split("[[targets]]").nth(1).unwrap()), "duplicate code"),
        (
            SMALL_PLAN.replace("kind = \"growth\"", "kind = \"relative\"\nrelated = \"gpd\""),
            "no target with code \"gpd\"",
        ),
        (
            SMALL_PLAN.replace("unit = \"%\"", "unit = \"%\"\ndue = \"2020\""),
            "field `due`: 2020 is outside the plan's year",
        ),
        ("[plan\nid=".to_string(), "not a valid plan file"),
        (
            SMALL_PLAN.replace("id = \"testdistrict-2021\"", "id = \"jinshui-2020\""),
            "plan \"jinshui-2020\" is already loaded",
        ),
    ];
    for (text, message) in cases {
        let file = ontrack.file("bad.toml", &text);
        ontrack.run_en(["plan", "import", file.to_str().unwrap()]).fails(1, message);
    }
    ontrack.run_en(["plan", "import", "no-such-file.toml"]).fails(1, "cannot read no-such-file.toml");
    assert_eq!(before, ontrack.dump(), "a refused import changed the database");
}

#[test]
fn init_refuses_an_existing_database_and_a_bad_plan_leaves_no_file() {
    let ontrack = Ontrack::init();
    let before = ontrack.dump();
    ontrack.run_en(["init"]).fails(1, "already exists");
    assert_eq!(before, ontrack.dump());

    let fresh = Ontrack::new();
    let bad = fresh.file("bad.toml", SMALL_PLAN.replace("value = 7", "value = \"seven\""));
    fresh.run_en(["init", "--plan", bad.to_str().unwrap()]).fails(1, "not a valid plan file");
    assert!(!fresh.db.exists(), "a failed init left a database behind");
    fresh.run(["init", "--empty"]).success();
    fresh.run_en(["targets"]).fails(1, "holds no plan yet");
    fresh.run(["init", "--force"]).success();
    assert!(fresh.run(["targets"]).success().stdout.contains("gdp-growth"));
}

#[test]
fn unknown_plans_sections_and_databases_are_clear_errors() {
    let ontrack = Ontrack::init();
    ontrack
        .run_en(["targets", "--plan", "nowhere-2020"])
        .fails(1, "no plan \"nowhere-2020\" in this database (loaded plans: jinshui-2020)");
    ontrack
        .run_en(["targets", "--section", "Z"])
        .fails(1, "has no section \"Z\"; its sections are main, A, B, C, D, E, F");
    let missing = Ontrack::new();
    missing.run_en(["targets"]).fails(1, "run `ontrack init` first");
    ontrack.run_en(["targets", "--format", "yaml"]).fails(2, "invalid value 'yaml'");
    ontrack.run_en(["frobnicate"]).fails(2, "unrecognized subcommand");
}

#[test]
fn a_foreign_file_or_a_newer_database_is_refused_untouched() {
    let ontrack = Ontrack::new();
    let text = ontrack.file("notes.db", "这不是数据库 — not a database at all, just some text");
    let before = std::fs::read(&text).unwrap();
    ontrack
        .run_en(["--db", text.to_str().unwrap(), "targets"])
        .fails(1, "is not an ontrack database (it is not an SQLite file)");
    assert_eq!(before, std::fs::read(&text).unwrap());

    let empty = ontrack.file("empty.db", "");
    ontrack.run_en(["--db", empty.to_str().unwrap(), "targets"]).fails(1, "it is an empty file");
    assert_eq!(std::fs::read(&empty).unwrap(), b"");

    let other = ontrack.path("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let before = std::fs::read(&other).unwrap();
    ontrack.run_en(["--db", other.to_str().unwrap(), "targets"]).fails(1, "an SQLite database of another program");
    assert_eq!(before, std::fs::read(&other).unwrap());

    ontrack.run_en(["--db", ontrack.dir.path().to_str().unwrap(), "targets"]).fails(1, "is a directory");

    let ontrack = Ontrack::init();
    rusqlite::Connection::open(&ontrack.db).unwrap().execute_batch("PRAGMA user_version = 99;").unwrap();
    let before = ontrack.dump();
    let known = ontrack::store::SCHEMA_VERSION;
    ontrack
        .run_en(["targets"])
        .fails(1, &format!("written by a newer ontrack (schema version 99, this binary knows up to {known})"));
    assert_eq!(before, ontrack.dump());
}

#[test]
fn a_fresh_database_has_the_schema_version_pragmas_and_private_permissions() {
    let ontrack = Ontrack::init();
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    let strict: i64 = conn
        .query_row("SELECT count(*) FROM pragma_table_list WHERE schema = 'main' AND strict = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, ontrack::store::SCHEMA_VERSION);
    assert_eq!(app, 0x4F4E_5452);
    assert_eq!(mode, "wal");
    assert_eq!(strict, 5, "every table is STRICT");
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&ontrack.db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Append-only: the schema itself refuses to change or delete a figure.
    conn.execute_batch("PRAGMA foreign_keys = ON; INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at) VALUES (1, 202003, '2020Q1', -5.2, 't', '2020-04-20T00:00:00.000000Z');").unwrap();
    assert!(conn.execute("UPDATE actuals SET value = 1", []).unwrap_err().to_string().contains("append-only"));
    assert!(conn.execute("DELETE FROM actuals", []).unwrap_err().to_string().contains("append-only"));
    assert!(conn.execute("INSERT INTO targets (plan_id, code, position, section_id, name, kind, cmp, value, unit, frequency, quote) VALUES ('jinshui-2020', 'x', 99, 'main', 'x', 'weird', 'about', 1, '%', 'month', 'q')", []).is_err());
}

#[test]
fn completions_are_printed_for_bash() {
    let ontrack = Ontrack::new();
    let out = ontrack.run(["completions", "bash"]).success();
    assert!(out.stdout.contains("_ontrack()"), "{}", &out.stdout[..200.min(out.stdout.len())]);
}

/// Section ids as `extract` makes them for a long report (1, 1.2, 1.10, 2, 10) keep
/// the plan file's order in status, the Markdown report and plan export; sorted as
/// text they came out 1, 1.10, 1.2, 10, 2.
#[test]
fn sections_keep_the_plan_files_order_everywhere() {
    let order = ["1", "1.2", "1.10", "2", "10"];
    let mut plan = String::from("[plan]\nid = \"order-2020\"\norg = \"测试区\"\nyear = 2020\n\n[sections]\n");
    for id in order {
        plan.push_str(&format!("\"{id}\" = \"第{id}节\"\n"));
    }
    for (i, id) in order.iter().enumerate().rev() {
        plan.push_str(&format!(
            "\n[[targets]]\ncode = \"t{i}\"\nsection = \"{id}\"\nname = \"指标{i}\"\nkind = \"count\"\ncmp = \"reach\"\n\
             value = 10\nunit = \"个\"\nfrequency = \"year\"\nquote = \"指标{i}达到10个\"\n"
        ));
    }
    let ontrack = Ontrack::init();
    let file = ontrack.file("order.toml", &plan);
    ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    let titles: Vec<String> = order.iter().map(|id| format!("第{id}节")).collect();
    let in_order = |text: &str, what: &str| {
        let found: Vec<usize> = titles
            .iter()
            .map(|t| text.find(t.as_str()).unwrap_or_else(|| panic!("{what} lacks {t}:\n{text}")))
            .collect();
        assert!(found.windows(2).all(|w| w[0] < w[1]), "{what}: sections out of the plan's order {order:?}:\n{text}");
    };
    let status = ontrack.run(["status", "--as-of", "2020"]).success();
    in_order(&status.stdout, "status");
    let report = ontrack.run(["report", "--format", "md", "--as-of", "2020"]).success();
    in_order(&report.stdout, "report md");
    let export = ontrack.run(["plan", "export", "order-2020"]).success();
    in_order(&export.stdout, "plan export");
    assert_eq!(ontrack.run(["plan", "export", "order-2020"]).success().stdout, export.stdout);
}
