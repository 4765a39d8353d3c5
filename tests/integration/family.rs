//! Families of plans (`[plan] parent`): the schema upgrade from the previous release,
//! `plan list`'s families, the parent's year, and the parent through export.

use crate::support::Ontrack;

/// A district's (or city's) plan: GDP growth (at least `gdp` %), budget revenue (an
/// amount accumulated over the year, at least `revenue` 亿元) and, unless `accidents`
/// is false, a ceiling of 5 accidents.
pub fn district_plan(id: &str, org: &str, parent: Option<&str>, gdp: f64, revenue: f64, accidents: bool) -> String {
    let parent = parent.map(|p| format!("parent = \"{p}\"\n")).unwrap_or_default();
    let mut text = format!(
        r#"[plan]
id = "{id}"
org = "{org}"
org_en = "{org} (en)"
year = 2020
{parent}
[sections]
main = "主要预期目标"

[[targets]]
code = "gdp-growth"
section = "main"
name = "地区生产总值增速"
name_en = "GDP growth"
kind = "growth"
cmp = "at_least"
value = {gdp}
unit = "%"
frequency = "quarter"
quote = "地区生产总值增长{gdp}%以上"

[[targets]]
code = "budget-revenue"
section = "main"
name = "一般公共预算收入"
name_en = "General public budget revenue"
kind = "amount"
measure = "ytd"
cmp = "at_least"
value = {revenue}
unit = "亿元"
frequency = "quarter"
quote = "一般公共预算收入{revenue}亿元"
"#
    );
    if accidents {
        text.push_str(
            r#"
[[targets]]
code = "accidents"
section = "main"
name = "生产安全事故"
name_en = "Work-safety accidents"
kind = "count"
measure = "ytd"
cmp = "at_most"
value = 5
unit = "起"
frequency = "quarter"
quote = "安全生产事故控制在5起以内"
"#,
        );
    }
    text
}

/// Loads a plan file written into the test's directory.
pub fn load(ontrack: &Ontrack, name: &str, text: &str) {
    let path = ontrack.file(&format!("{name}.toml"), text);
    ontrack.run(["plan", "import", path.to_str().unwrap()]).success();
}

/// A database made by the previous release (schema version 7, as
/// `tests/fixtures/schema-v7.sql`), with a plan and a figure in it, is upgraded in
/// place: every row kept, the new `parent` column NULL, and the plan still works.
#[test]
fn a_version_7_database_is_upgraded_with_every_plan_without_a_parent() {
    let ontrack = crate::support::old_database(include_str!("../fixtures/schema-v7.sql"), 7, "");
    let before = ontrack.dump();
    // A write opens the file for writing, which runs the missing migration.
    let district = district_plan("new-2020", "新区", Some("old-2020"), 6.0, 10.0, false);
    load(&ontrack, "new", &district);
    let after = ontrack.dump();
    let conn = rusqlite::Connection::open(&ontrack.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, ontrack::store::SCHEMA_VERSION);
    let parent: Option<String> =
        conn.query_row("SELECT parent FROM plans WHERE id = 'old-2020'", [], |r| r.get(0)).unwrap();
    assert_eq!(parent, None, "a plan of the previous release has no parent");
    let parent: Option<String> =
        conn.query_row("SELECT parent FROM plans WHERE id = 'new-2020'", [], |r| r.get(0)).unwrap();
    assert_eq!(parent.as_deref(), Some("old-2020"));
    drop(conn);
    // Every old row is still there: the plan's row gains only the empty column.
    for line in before.lines().filter(|l| l.starts_with("actuals:") || l.starts_with("targets:")) {
        assert!(after.contains(line), "lost {line}");
    }
    let old_plan = before.lines().find(|l| l.starts_with("plans:")).unwrap();
    assert!(after.contains(&format!("{old_plan} | Null")), "{after}");
    let status = ontrack.run(["status", "--plan", "old-2020", "--format", "json"]).success().stdout;
    assert!(status.contains("\"actual\": 40"), "{status}");
    ontrack.run(["check"]).success();
}

#[test]
fn plan_list_shows_each_family_under_its_parent_and_notes_a_parent_not_loaded() {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).output();
    load(&ontrack, "a", &district_plan("district-a-2020", "甲区", Some("city-2020"), 6.0, 10.0, true));
    load(&ontrack, "lone", &district_plan("lone-2020", "独立区", None, 6.0, 10.0, true));
    // The city is not loaded yet: allowed, and said.
    let out = ontrack.run_en(["plan", "list"]).success();
    assert!(
        out.stderr.contains("plan district-a-2020 names city-2020 as its parent, which is not loaded yet"),
        "{}",
        out.stderr
    );
    let out = ontrack.run(["plan", "list"]).success();
    assert!(out.stderr.contains("计划 district-a-2020 的上级计划 city-2020 尚未载入"), "{}", out.stderr);
    load(&ontrack, "city", &district_plan("city-2020", "市", None, 6.5, 100.0, true));
    load(&ontrack, "b", &district_plan("district-b-2020", "乙区", Some("city-2020"), 7.0, 12.0, true));
    let out = ontrack.run_en(["plan", "list"]).success();
    assert!(!out.stderr.contains("not loaded"), "{}", out.stderr);
    let ids: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|line| line.split('┆').next().map(|cell| cell.trim_start_matches('│').trim()))
        .filter(|cell| cell.contains("-2020"))
        .collect();
    assert_eq!(ids, ["city-2020", "└ district-b-2020", "└ district-a-2020", "lone-2020"], "{}", out.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&ontrack.run(["plan", "list", "--format", "json"]).success().stdout).unwrap();
    let rows: Vec<(&str, &serde_json::Value)> =
        json.as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap(), &r["parent"])).collect();
    assert_eq!(rows[1], ("district-b-2020", &serde_json::json!("city-2020")));
    assert_eq!(rows[0], ("city-2020", &serde_json::Value::Null));
}

#[test]
fn a_parent_of_another_year_is_refused_either_way_round_and_nothing_changes() {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).output();
    load(&ontrack, "city", &district_plan("city-2020", "市", None, 6.5, 100.0, true));
    let before = ontrack.dump();
    let next_year = district_plan("district-a-2021", "甲区", Some("city-2020"), 6.0, 10.0, true)
        .replace("year = 2020", "year = 2021");
    let path = ontrack.file("a.toml", &next_year);
    ontrack.run_en(["plan", "import", path.to_str().unwrap()]).fails(
        1,
        "plan \"district-a-2021\" (2021) names \"city-2020\" as its parent, a plan of 2020; nothing was changed",
    );
    assert_eq!(ontrack.dump(), before);
    // The child first, then a parent of another year.
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).output();
    load(&ontrack, "a", &district_plan("district-a-2020", "甲区", Some("city-2021"), 6.0, 10.0, true));
    let city = district_plan("city-2021", "市", None, 6.5, 100.0, true).replace("year = 2020", "year = 2021");
    let path = ontrack.file("city.toml", &city);
    ontrack.run(["plan", "import", path.to_str().unwrap()]).fails(1, "上级计划须为同一年度");
}

#[test]
fn a_plan_naming_itself_or_a_bad_id_as_parent_is_refused_with_the_field() {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).output();
    let path = ontrack.file("self.toml", district_plan("a-2020", "甲区", Some("a-2020"), 6.0, 10.0, true));
    ontrack
        .run_en(["plan", "import", path.to_str().unwrap()])
        .fails(1, "[plan], field `parent`: a plan cannot be its own parent");
    let path = ontrack.file("bad.toml", district_plan("a-2020", "甲区", Some("City 2020"), 6.0, 10.0, true));
    ontrack.run_en(["plan", "import", path.to_str().unwrap()]).fails(1, "\"City 2020\" is not a plan id");
}

#[test]
fn plan_export_keeps_the_parent_and_the_export_loads_again() {
    let ontrack = Ontrack::new();
    ontrack.run(["init", "--empty"]).output();
    load(&ontrack, "a", &district_plan("district-a-2020", "甲区", Some("city-2020"), 6.0, 10.0, true));
    let exported = ontrack.run(["plan", "export", "district-a-2020"]).success().stdout;
    assert!(exported.contains("year = 2020\nparent = \"city-2020\"\n"), "{exported}");
    let other = Ontrack::new();
    other.run(["init", "--empty"]).output();
    load(&other, "again", &exported);
    assert_eq!(other.run(["plan", "export", "district-a-2020"]).success().stdout, exported);
}
