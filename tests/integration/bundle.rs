//! `ontrack bundle`, `bundle import`, `bundle list`: a district's plan and figures
//! travel as one file and the city sees them exactly as the district does; newer
//! supersedes older, the same twice changes nothing, a city's own plan is never
//! overwritten, a bundled plan is read-only, and every refusal changes nothing.

use crate::support::{dump, Ontrack};

const PLAN: &str = "jinshui-2020";

/// A district's database with figures in every state: approved, returned, void, a
/// revision, an import with a statistical form's head and foot, and an adjustment.
fn district() -> Ontrack {
    let mut district = Ontrack::init();
    let at = |district: &mut Ontrack, moment: &str| district.now = moment.to_string();
    at(&mut district, "2021-01-03T08:00:00Z");
    district.run(["record", "gdp-growth", "2020Q1", "-6.8", "--by", "张三", "--source", "统计月报"]).success();
    district.run(["record", "gdp-growth", "2020Q2", "-1.0", "--by", "张三"]).success();
    district.run(["record", "gdp-growth", "2020Q3", "2.0", "--by", "张三", "--note", "初步核算"]).success();
    district.run(["record", "budget-revenue-growth", "2020-01", "3.1", "--by", "李四"]).success();
    district
        .run(["record", "gdp-growth", "2020Q2", "-0.5", "--revise", "--reason", "最终核实", "--by", "张三"])
        .success();
    at(&mut district, "2021-01-04T08:00:00Z");
    district.run(["review", "approve", "1", "--by", "审核员"]).success();
    district.run(["review", "return", "3", "--reason", "口径不符", "--by", "审核员"]).success();
    district.run(["void", "4", "--reason", "录错", "--by", "审核员"]).success();
    district
        .run(["plan", "adjust", "gdp-growth", "--value", "5", "--reason", "疫情", "--effective", "2020-07-01"])
        .success();
    at(&mut district, "2021-01-05T08:00:00Z");
    let sheet = district.file(
        "form.csv",
        "金水区 2020 年目标任务完成情况统计表\n填报单位：,区财政局\n指标代码,期间,数值\n\
         budget-revenue-growth,2020-02,2.5\nbudget-revenue-growth,2020-03,1.5\n\
         单位负责人：,王一,统计负责人：,王二,填表人：,王三\n",
    );
    district.run(["import", sheet.to_str().unwrap()]).success();
    district.run(["review", "approve", "7", "--by", "审核员"]).success();
    district.now = "2021-01-07T08:00:00Z".to_string();
    district
}

/// Writes `district`'s bundle of the plan at its clock, as `name` in its directory.
fn bundle(district: &Ontrack, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = district.path(name);
    let mut args = vec!["bundle", "--plan", PLAN, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    district.run(args).success();
    out
}

/// A city's database with no plan.
fn empty_city() -> Ontrack {
    let mut city = Ontrack::new();
    city.now = "2021-01-08T08:00:00Z".to_string();
    city.run(["init", "--empty"]).success();
    city
}

/// A city's database keeping its own plan (the built-in one under another id) with a
/// figure of its own, so the bundle's rows get other row ids than at the district.
fn city_with_its_own_plan() -> Ontrack {
    let city = empty_city();
    let district_plan = Ontrack::init().run(["plan", "export", PLAN]).success().stdout;
    // The city's own plan: the district's with another id and no parent of its own.
    let own = district_plan.replacen("id = \"jinshui-2020\"", "id = \"zhengzhou-2020\"", 1).replacen(
        "parent = \"zhengzhou-2020\"\n",
        "",
        1,
    );
    let file = city.file("zhengzhou.toml", own);
    city.run(["plan", "import", file.to_str().unwrap()]).success();
    city.run(["record", "--plan", "zhengzhou-2020", "gdp-growth", "2020Q1", "-3.2"]).success();
    city.run(["record", "--plan", "zhengzhou-2020", "gdp-growth", "2020Q2", "-1.1"]).success();
    city
}

/// The same command's standard output at the district and at the city, at one clock.
fn both(district: &Ontrack, city: &Ontrack, args: &[&str]) -> (String, String) {
    let at_district = district.run(args).env("ONTRACK_NOW", &city.now).success().stdout;
    let at_city = city.run(args).success().stdout;
    (at_district, at_city)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// Figures JSON without the row ids, which are the database's own (the city's ids
/// differ from the district's where the city keeps figures of its own).
fn without_ids(mut figures: serde_json::Value) -> serde_json::Value {
    for row in figures.as_array_mut().unwrap() {
        let row = row.as_object_mut().unwrap();
        for key in ["id", "import", "revises"] {
            // Kept as a fact (present or not), not as a number.
            let present = !row[key].is_null();
            row.insert(key.to_string(), serde_json::Value::Bool(present));
        }
    }
    figures
}

fn count(ontrack: &Ontrack, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_city_sees_a_bundled_plan_exactly_as_the_district_does() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let city = empty_city();
    let out = city.run_en(["bundle", "import", file.to_str().unwrap()]).success();
    assert!(out.stderr.contains("loaded plan jinshui-2020's bundle"), "{}", out.stderr);
    assert!(out.stderr.contains("7 figures"), "{}", out.stderr);
    // A fresh city numbers the rows as the district did: every output is the same text.
    for args in [
        &["status", "--plan", PLAN, "--format", "json"][..],
        &["status", "--plan", PLAN, "--as-of", "2020Q2"],
        &["figures", "--plan", PLAN, "--format", "json"],
        &["figures", "--plan", PLAN],
        &["history", "--plan", PLAN, "gdp-growth"],
        &["history", "--plan", PLAN, "budget-revenue-growth", "--format", "json"],
        &["report", "--plan", PLAN, "--format", "md"],
        &["report", "--plan", PLAN, "--format", "json", "--approved-only"],
        &["completeness", "--plan", PLAN, "--period", "2020-02"],
        &["targets", "--plan", PLAN],
    ] {
        let (at_district, at_city) = both(&district, &city, args);
        assert_eq!(at_district, at_city, "{args:?}");
    }
    city.run(["check"]).success();
}

#[test]
fn a_city_with_plans_of_its_own_sees_the_same_figures_states_and_provenance() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let city = city_with_its_own_plan();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    let (at_district, at_city) = both(&district, &city, &["status", "--plan", PLAN, "--format", "json"]);
    assert_eq!(json(&at_district), json(&at_city));
    let (at_district, at_city) = both(&district, &city, &["figures", "--plan", PLAN, "--format", "json"]);
    let (at_district, at_city) = (json(&at_district), json(&at_city));
    assert_ne!(at_district, at_city, "the city's own figures took the first ids");
    assert_eq!(without_ids(at_district), without_ids(at_city.clone()));
    let states: Vec<&str> = at_city.as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap()).collect();
    for state in ["approved", "returned", "void", "submitted"] {
        assert!(states.contains(&state), "{state} in {states:?}");
    }
    // The import came with its form's head and foot; the revision with its old figure.
    let history = json(&city.run(["history", "--plan", PLAN, "gdp-growth", "--format", "json"]).success().stdout);
    let q2: Vec<&serde_json::Value> = history.as_array().unwrap().iter().filter(|r| r["period"] == "2020Q2").collect();
    assert_eq!(q2.len(), 2, "the revision and the figure it revised: {history}");
    assert!(q2.iter().any(|r| r["value"] == -1.0) && q2.iter().any(|r| r["reason"] == "最终核实"), "{history}");
    assert_eq!(count(&city, "SELECT count(*) FROM imports WHERE filled_by = '王三' AND unit_head = '王一'"), 1);
    assert_eq!(count(&city, "SELECT count(*) FROM target_adjustments WHERE reason = '疫情'"), 1);
    // The city's own plan is untouched.
    let own = city.run(["figures", "--plan", "zhengzhou-2020", "--format", "json"]).success().stdout;
    assert_eq!(json(&own).as_array().unwrap().len(), 2);
    city.run(["check"]).success();
}

#[test]
fn the_same_data_at_the_same_moment_gives_the_same_bytes() {
    let district = district();
    let first = std::fs::read(bundle(&district, "a.bundle", &[])).unwrap();
    let second = std::fs::read(bundle(&district, "b.bundle", &[])).unwrap();
    assert_eq!(first, second);
    let later =
        district.run(["bundle", "--plan", PLAN, "--out", "c.bundle"]).env("ONTRACK_NOW", "2021-01-09T00:00:00Z");
    later.success();
    let third = std::fs::read(district.path("c.bundle")).unwrap();
    assert_ne!(first, third, "the export moment is part of the bundle");
    // An existing file is not replaced without --force.
    let before = std::fs::read(district.path("a.bundle")).unwrap();
    district
        .run_en(["bundle", "--plan", PLAN, "--out", "a.bundle"])
        .env("ONTRACK_NOW", "2021-01-09T00:00:00Z")
        .fails(1, "already exists");
    assert_eq!(std::fs::read(district.path("a.bundle")).unwrap(), before);
    // The file a person opens: the manifest, then the content (database id and
    // checksum vary per database, so they are masked).
    let text = String::from_utf8(first).unwrap();
    let bundle: serde_json::Value = json(&text);
    let database = bundle["content"]["source_database"].as_str().unwrap().to_string();
    let checksum = bundle["checksum"].as_str().unwrap().to_string();
    assert!(checksum.starts_with("sha256:") && checksum.len() == 7 + 64, "{checksum}");
    let masked = text.replace(&database, "[database id]").replace(&checksum, "[checksum]");
    insta::assert_snapshot!("bundle_file", masked);
}

#[test]
fn approved_only_bundles_carry_only_approved_figures() {
    let district = district();
    let file = bundle(&district, "approved.bundle", &["--approved-only"]);
    let city = empty_city();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    let figures = json(&city.run(["figures", "--plan", PLAN, "--format", "json"]).success().stdout);
    let figures = figures.as_array().unwrap();
    assert_eq!(figures.len(), 2, "{figures:?}");
    assert!(figures.iter().all(|f| f["state"] == "approved"), "{figures:?}");
    // What counts at the city is what counts at the district when only approved figures count.
    let at_district =
        district.run(["status", "--plan", PLAN, "--approved-only", "--format", "json"]).env("ONTRACK_NOW", &city.now);
    let at_city = city.run(["status", "--plan", PLAN, "--format", "json"]).success().stdout;
    assert_eq!(json(&at_district.success().stdout), json(&at_city));
    let listed = json(&city.run(["bundle", "list", "--format", "json"]).success().stdout);
    assert_eq!(listed[0]["approved_only"], true);
    assert_eq!(listed[0]["figures"], 2);
    city.run(["check"]).success();
}

#[test]
fn a_newer_bundle_supersedes_and_the_older_is_kept_and_listed() {
    let mut district = district();
    let older = bundle(&district, "older.bundle", &[]);
    district.now = "2021-01-10T08:00:00Z".to_string();
    district.run(["record", "gdp-growth", "2020Q4", "2.3", "--by", "张三"]).success();
    district.run(["review", "approve", "5", "--by", "审核员"]).success();
    let newer = bundle(&district, "newer.bundle", &[]);

    let mut city = city_with_its_own_plan();
    city.now = "2021-01-11T08:00:00Z".to_string();
    city.run(["bundle", "import", older.to_str().unwrap()]).success();
    let out = city.run_en(["bundle", "import", newer.to_str().unwrap()]).success();
    assert!(
        out.stderr.contains("superseding the one exported 2021-01-07 16:00:00 (Asia/Shanghai, UTC+8)"),
        "{}",
        out.stderr
    );
    let (at_district, at_city) = both(&district, &city, &["status", "--plan", PLAN, "--format", "json"]);
    assert_eq!(json(&at_district), json(&at_city));
    let listed = json(&city.run(["bundle", "list", "--format", "json"]).success().stdout);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (listed[0]["exported_at"].as_str().unwrap(), &listed[0]["standing"]),
        ("2021-01-10T08:00:00.000000Z", &true.into())
    );
    assert_eq!(listed[1]["standing"], false);
    city.run_en(["bundle", "list"]).success();

    // The older one again: the same bundle, so nothing changes.
    let before = city.dump();
    let out = city.run_en(["bundle", "import", older.to_str().unwrap()]).success();
    assert!(out.stderr.contains("already loaded"), "{}", out.stderr);
    assert_eq!(city.dump(), before);
    city.run(["check"]).success();

    // Another city gets them the other way round: the older is kept, not standing.
    let mut other = empty_city();
    other.now = "2021-01-11T08:00:00Z".to_string();
    other.run(["bundle", "import", newer.to_str().unwrap()]).success();
    let out = other.run_en(["bundle", "import", older.to_str().unwrap()]).success();
    assert!(out.stderr.contains("kept for the record, but it does not supersede it"), "{}", out.stderr);
    let (at_district, at_other) = both(&district, &other, &["status", "--plan", PLAN, "--format", "json"]);
    assert_eq!(json(&at_district), json(&at_other));
    assert_eq!(count(&other, "SELECT count(*) FROM bundles"), 2);
    assert_eq!(count(&other, "SELECT count(*) FROM actuals a JOIN targets t ON t.id = a.target_id"), 8);
    other.run(["check"]).success();
}

#[test]
fn the_same_bundle_twice_changes_nothing() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let city = empty_city();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    let before = city.dump();
    let out = city.run(["bundle", "import", file.to_str().unwrap()]).success();
    assert!(out.stderr.contains("已于 2021-01-08 16:00:00（北京时间）载入，未作任何更改"), "{}", out.stderr);
    assert_eq!(city.dump(), before);
}

/// Refused, with the database byte for byte as it was, and still sound.
fn refused(city: &Ontrack, args: &[&str], message: &str) {
    let before = std::fs::read(&city.db).unwrap();
    let rows = city.dump();
    city.run_en(args).fails(1, message);
    assert_eq!(std::fs::read(&city.db).unwrap(), before, "{args:?}: the file changed");
    assert_eq!(city.dump(), rows);
    city.run(["check"]).success();
}

#[test]
fn a_bundle_never_overwrites_a_plan_the_city_keeps_itself() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let mut city = Ontrack::init();
    city.now = "2021-01-08T08:00:00Z".to_string();
    city.run(["record", "gdp-growth", "2020Q1", "-6.0"]).success();
    refused(
        &city,
        &["bundle", "import", file.to_str().unwrap()],
        "this database keeps plan jinshui-2020 itself (it was not loaded from a bundle), and a bundle never overwrites it",
    );
    assert_eq!(count(&city, "SELECT count(*) FROM bundles"), 0);
}

#[test]
fn a_plan_comes_from_one_district_database() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    // Another database with a plan of the same id (a copy made by init, not a backup).
    let impostor = Ontrack::init();
    impostor.run(["record", "gdp-growth", "2020Q1", "9.9"]).success();
    let other = impostor.path("other.bundle");
    // A clock behind its latest figure exports nothing: a bundle holds nothing after its export.
    let early = impostor.run_en(["bundle", "--plan", PLAN, "--out", other.to_str().unwrap()]);
    early.env("ONTRACK_NOW", "2021-01-07T09:00:00Z").fails(1, "before the latest figure in the database");
    assert!(!other.exists());
    impostor.run(["bundle", "--plan", PLAN, "--out", other.to_str().unwrap()]).success();
    let mut city = empty_city();
    city.now = "2021-04-01T08:00:00Z".to_string();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    refused(&city, &["bundle", "import", other.to_str().unwrap()], "was loaded from bundles of database");
    refused(&city, &["bundle", "import", other.to_str().unwrap()], "load it with --from-new-database");
    // A district whose database was made anew says so, and its bundle then supersedes.
    let out = city.run_en(["bundle", "import", other.to_str().unwrap(), "--from-new-database"]).success();
    assert!(out.stderr.contains("superseding the one exported"), "{}", out.stderr);
    let at_impostor = impostor.run(["status", "--plan", PLAN, "--format", "json"]).env("ONTRACK_NOW", &city.now);
    let at_city = city.run(["status", "--plan", PLAN, "--format", "json"]).success().stdout;
    assert_eq!(json(&at_impostor.success().stdout), json(&at_city));
    let listed = json(&city.run(["bundle", "list", "--format", "json"]).success().stdout);
    assert_ne!(listed[0]["source_database"], listed[1]["source_database"]);
    assert_eq!((&listed[0]["standing"], &listed[1]["standing"]), (&true.into(), &false.into()));
    city.run(["check"]).success();
    // From then on the plan comes from the new database: the old one's are refused.
    let again = district.path("again.bundle");
    let export = district.run(["bundle", "--plan", PLAN, "--out", again.to_str().unwrap()]);
    export.env("ONTRACK_NOW", "2021-03-31T09:00:00Z").success();
    refused(&city, &["bundle", "import", again.to_str().unwrap()], "was loaded from bundles of database");
}

#[test]
fn a_bundled_plan_is_read_only_at_the_city() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let city = empty_city();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    let sheet = city.file("more.csv", "target,period,value\nbudget-revenue-growth,2020-04,1.0\n");
    let read_only = "came in a bundle from a district";
    for args in [
        &["record", "--plan", PLAN, "gdp-growth", "2020Q4", "3.0"][..],
        &["record", "--plan", PLAN, "gdp-growth", "2020Q2", "-0.4", "--revise", "--reason", "x"],
        &["import", "--plan", PLAN, sheet.to_str().unwrap()],
        &["review", "approve", "--plan", PLAN, "5"],
        &["review", "return", "--plan", PLAN, "5", "--reason", "x"],
        &["review", "reopen", "--plan", PLAN, "1", "--reason", "x"],
        &["void", "--plan", PLAN, "5", "--reason", "x"],
        &["plan", "adjust", "--plan", PLAN, "gdp-growth", "--value", "4", "--reason", "x", "--effective", "2020-09-01"],
        &["plan", "remove", PLAN],
    ] {
        refused(&city, args, read_only);
    }
    city.run(["record", "--plan", PLAN, "gdp-growth", "2020Q4", "3.0"]).fails(1, "数据归区里管理，此处只读");
}

#[test]
fn damaged_foreign_and_tampered_bundles_are_refused_and_change_nothing() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let text = std::fs::read_to_string(&file).unwrap();
    let city = empty_city();
    let cut = city.file("cut.bundle", &text.as_bytes()[..text.len() * 2 / 3]);
    let edited = city.file("edited.bundle", text.replacen("-6.8", "6.8", 1));
    let restated = city.file("restated.bundle", text.replacen("\"approved\"", "\"submitted\"", 1));
    let sheet = city.file("sheet.bundle", "target,period,value\n");
    let newer = city.file("newer.bundle", text.replacen("\"version\": 1", "\"version\": 2", 1));
    for (file, message) in [
        (&cut, "cut.bundle is damaged and cannot be read whole"),
        (&edited, "edited.bundle's content does not match its checksum (SHA-256)"),
        (&restated, "restated.bundle's content does not match its checksum"),
        (&sheet, "sheet.bundle is not an ontrack bundle"),
        (&newer, "newer.bundle is a bundle of format version 2"),
    ] {
        refused(&city, &["bundle", "import", file.to_str().unwrap()], message);
    }
    // Once loaded, a damaged copy still changes nothing.
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    refused(&city, &["bundle", "import", edited.to_str().unwrap()], "does not match its checksum");
    city.run(["bundle", "import", cut.to_str().unwrap()]).fails(1, "已损坏，无法完整读取");
}

/// A district's file from the release before bundles (schema version 7, as
/// `tests/fixtures/schema-v7.sql`) is upgraded in place: it gets an identity of its own,
/// its figures stay as they were and still cannot be deleted, and it can send a bundle.
#[test]
fn a_database_of_the_previous_release_gets_an_identity_and_sends_bundles() {
    let ontrack = crate::support::old_database(
        include_str!("../fixtures/schema-v7.sql"),
        7,
        "INSERT INTO figure_events (actual_id, from_state, to_state, changed_by, changed_at)
             VALUES (1, 'submitted', 'approved', '审核员', '2020-07-11T02:00:00.000000Z');",
    );
    let old_rows: Vec<String> = dump(&ontrack.db)
        .lines()
        .filter(|l| l.starts_with("actuals:") || l.starts_with("figure_events:"))
        .map(String::from)
        .collect();
    let out = ontrack.path("old.bundle");
    ontrack.run(["bundle", "--plan", "old-2020", "--out", out.to_str().unwrap()]).success();
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, ontrack::store::SCHEMA_VERSION, "upgraded in place");
    let identity: String = conn.query_row("SELECT id FROM database_identity", [], |r| r.get(0)).unwrap();
    assert!(identity.len() == 32 && identity.bytes().all(|b| b.is_ascii_hexdigit()), "{identity}");
    assert!(conn.execute("DELETE FROM actuals", []).is_err(), "a district's own figures are still never deleted");
    assert!(conn.execute("DELETE FROM figure_events", []).is_err());
    assert!(conn.execute("UPDATE database_identity SET id = 'x'", []).is_err());
    drop(conn);
    let new_rows: Vec<String> = dump(&ontrack.db)
        .lines()
        .filter(|l| l.starts_with("actuals:") || l.starts_with("figure_events:"))
        .map(String::from)
        .collect();
    assert_eq!(old_rows, new_rows);
    let bundle = json(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(bundle["content"]["source_database"], identity.as_str());
    assert_eq!(bundle["content"]["figures"].as_array().unwrap().len(), 1);
    ontrack.run(["check"]).success();
    // Two databases never share an identity.
    let other = Ontrack::init();
    let conn = rusqlite::Connection::open(&other.db).unwrap();
    let second: String = conn.query_row("SELECT id FROM database_identity", [], |r| r.get(0)).unwrap();
    assert_ne!(identity, second);
}

#[test]
fn a_bundled_plan_archived_at_the_city_stays_archived_under_a_newer_bundle() {
    let mut district = district();
    let older = bundle(&district, "older.bundle", &[]);
    district.now = "2021-01-10T08:00:00Z".to_string();
    district.run(["record", "gdp-growth", "2020Q4", "2.3"]).success();
    let newer = bundle(&district, "newer.bundle", &[]);
    let mut city = empty_city();
    city.now = "2021-01-11T08:00:00Z".to_string();
    city.run(["bundle", "import", older.to_str().unwrap()]).success();
    city.run(["plan", "archive", PLAN]).success();
    city.run(["bundle", "import", newer.to_str().unwrap()]).success();
    let plans = json(&city.run(["plan", "list", "--all", "--format", "json"]).success().stdout);
    assert!(plans[0]["archived_at"].is_string(), "{plans}");
    assert_eq!(plans[0]["actuals"], 8);
    city.run(["check"]).success();
}

#[test]
fn a_bundle_exported_after_the_citys_clock_is_refused() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let mut city = empty_city();
    city.now = "2021-01-06T08:00:00Z".to_string();
    refused(
        &city,
        &["bundle", "import", file.to_str().unwrap()],
        "plan jinshui-2020's bundle was exported at 2021-01-07T08:00:00.000000Z, after this database's time",
    );
    city.now = "2021-01-07T08:00:00Z".to_string();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
}

/// `check` finds a bundled plan that does not stand on its newest bundle, and a kept
/// bundle that is damaged or not what it is listed as (rows another program added), in
/// both languages.
#[test]
fn check_finds_a_snapshot_that_is_not_the_newest_bundle_and_a_damaged_kept_bundle() {
    let district = district();
    let file = bundle(&district, "jinshui.bundle", &[]);
    let city = empty_city();
    city.run(["bundle", "import", file.to_str().unwrap()]).success();
    city.run(["check"]).success();
    let conn = rusqlite::Connection::open(&city.db).unwrap();
    conn.execute_batch(
        "INSERT INTO bundles (plan_id, source_database, exported_at, approved_only, figures, checksum, file_name,
                              loaded_at, bytes)
         SELECT plan_id, source_database, '2021-01-07T09:00:00.000000Z', 0, 7, 'x', 'relisted.bundle', loaded_at,
                bytes
         FROM bundles WHERE id = 1;
         INSERT INTO bundles (plan_id, source_database, exported_at, approved_only, figures, checksum, file_name,
                              loaded_at, bytes)
         SELECT plan_id, source_database, exported_at, 0, 7, 'y', 'cut.bundle', loaded_at, substr(bytes, 1, 300)
         FROM bundles WHERE id = 1;",
    )
    .unwrap();
    drop(conn);
    let out = city.run_en(["check"]).fails(1, "bundle-snapshots, bundle-files");
    for problem in [
        "plan jinshui-2020 stands on bundle 1, but a newer bundle of it is kept",
        "bundle 2 (relisted.bundle) is not what it is listed as",
        "bundle 3: cut.bundle is damaged and cannot be read whole",
    ] {
        assert!(out.stdout.contains(problem), "{problem}\n{}", out.stdout);
    }
    let out = city.run(["check"]).fails(1, "bundle-snapshots、bundle-files");
    for problem in ["计划 jinshui-2020 依据数据包 1，但已有更新的数据包", "数据包 3：cut.bundle 已损坏"]
    {
        assert!(out.stdout.contains(problem), "{problem}\n{}", out.stdout);
    }
}
