//! Issue 19's whole workflow: a city with four districts, two of them keeping their own
//! databases and sending bundles. Every output of the comparison must be what the
//! same figures give when all four districts live in the city's database
//! (`compare::city`), and a newer bundle must supersede the older in all of them.

use crate::family::{district_plan, load};
use crate::support::Ontrack;

/// Each district's figures (plan, code, period, value) and which of them it approves,
/// as in `compare::city`.
const FIGURES: [(&str, &str, &str, &str, bool); 13] = [
    ("district-a-2020", "gdp-growth", "2020Q2", "6.0", true),
    ("district-b-2020", "gdp-growth", "2020Q2", "7.0", true),
    ("district-c-2020", "gdp-growth", "2020Q2", "5.0", true),
    ("district-a-2020", "gdp-growth", "2020Q3", "6.8", true),
    ("district-b-2020", "gdp-growth", "2020Q3", "6.8", true),
    ("district-c-2020", "gdp-growth", "2020Q3", "7.0", true),
    ("district-a-2020", "budget-revenue", "2020Q3", "8", true),
    ("district-b-2020", "budget-revenue", "2020Q3", "9", true),
    ("district-d-2020", "budget-revenue", "2020Q3", "7", true),
    ("district-a-2020", "accidents", "2020Q3", "2", true),
    ("district-b-2020", "accidents", "2020Q3", "0", true),
    ("district-c-2020", "accidents", "2020Q3", "2", true),
    ("district-c-2020", "budget-revenue", "2020Q3", "10", false),
];

const DISTRICTS: [(&str, &str, f64, f64, bool); 4] = [
    ("district-a-2020", "甲区", 6.5, 10.0, true),
    ("district-b-2020", "乙区", 6.0, 12.0, true),
    ("district-c-2020", "丙区", 7.0, 8.0, true),
    ("district-d-2020", "丁区", 6.0, 9.0, false),
];

/// Logs and approves `plan`'s figures in `db` (ids as that database gives them).
fn log_and_approve(db: &Ontrack, plan: &str) {
    for (figure_plan, code, period, value, approve) in FIGURES {
        if figure_plan != plan {
            continue;
        }
        db.run(["record", "--plan", plan, code, period, value]).success();
        if approve {
            let figures = db.run(["figures", "--plan", plan, "--format", "json"]).success().stdout;
            let rows: serde_json::Value = serde_json::from_str(&figures).unwrap();
            let id = rows
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["target"] == code && r["period"] == period)
                .map(|r| r["id"].to_string())
                .unwrap();
            db.run(["review", "approve", "--plan", plan, &id]).success();
        }
    }
}

/// A district keeping its own database: its plan, figures and reviews, then a bundle.
fn district_bundle(id: &str, at: &str) -> (Ontrack, std::path::PathBuf) {
    let (_, org, gdp, revenue, accidents) = DISTRICTS.iter().find(|d| d.0 == id).copied().unwrap();
    let mut district = Ontrack::new();
    district.now = at.to_string();
    district.run(["init", "--empty"]).success();
    load(&district, id, &district_plan(id, org, Some("city-2020"), gdp, revenue, accidents));
    log_and_approve(&district, id);
    let file = district.path(&format!("{id}.bundle"));
    district.run(["bundle", "--plan", id, "--out", file.to_str().unwrap()]).success();
    (district, file)
}

/// The city: its own plan, districts a and b in its database, c and d as bundles.
fn city_with_bundles() -> (Ontrack, Ontrack) {
    let city = Ontrack::new();
    city.run(["init", "--empty"]).success();
    load(&city, "city", &district_plan("city-2020", "示范市", None, 6.5, 100.0, true));
    for (id, org, gdp, revenue, accidents) in &DISTRICTS[..2] {
        load(&city, id, &district_plan(id, org, Some("city-2020"), *gdp, *revenue, *accidents));
        log_and_approve(&city, id);
    }
    let (c, c_file) = district_bundle("district-c-2020", &city.now);
    let (_d, d_file) = district_bundle("district-d-2020", &city.now);
    for file in [&c_file, &d_file] {
        city.run(["bundle", "import", file.to_str().unwrap()]).success();
    }
    (city, c)
}

fn outputs(city: &Ontrack) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for format in ["json", "csv", "table"] {
        for extra in [&[][..], &["--approved-only"][..], &["--by", "progress"][..]] {
            let mut args = vec!["compare", "--parent", "city-2020", "--as-of", "2020Q3", "--format", format];
            args.extend_from_slice(extra);
            all.push((args.join(" "), city.run(args.clone()).success().stdout));
        }
    }
    for format in ["md", "json", "csv", "html"] {
        let args = vec!["report", "--parent", "city-2020", "--as-of", "2020Q3", "--format", format];
        all.push((args.join(" "), city.run(args.clone()).success().stdout));
    }
    all
}

#[test]
fn districts_arriving_as_bundles_compare_exactly_as_districts_kept_at_the_city() {
    let (bundled, _) = city_with_bundles();
    let local = crate::compare::city();
    for ((what, got), (_, expected)) in outputs(&bundled).into_iter().zip(outputs(&local)) {
        assert_eq!(got, expected, "{what}");
    }
    // The workbook: the same sheets and ranks as numbers, read back.
    let book = |db: &Ontrack| {
        let out = db.path("family.xlsx");
        db.run(["report", "--parent", "city-2020", "--as-of", "2020Q3", "--out", out.to_str().unwrap()]).success();
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
        use calamine::Reader as _;
        let names = workbook.sheet_names();
        names
            .iter()
            .map(|name| format!("{name}: {:?}", workbook.worksheet_range(name).unwrap().rows().collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    };
    assert_eq!(book(&bundled), book(&local));
}

#[test]
fn a_newer_bundle_supersedes_the_older_in_every_comparison() {
    let (city, mut district_c) = city_with_bundles();
    let before =
        city.run(["compare", "--parent", "city-2020", "--as-of", "2020Q3", "--format", "json"]).success().stdout;
    // District c revises its Q3 growth from 7.0 to 6.0 a day later and sends a new bundle.
    district_c.now = "2021-04-01T08:00:00Z".to_string();
    let figures = district_c.run(["figures", "--plan", "district-c-2020", "--format", "json"]).success().stdout;
    let rows: serde_json::Value = serde_json::from_str(&figures).unwrap();
    let q3 = rows.as_array().unwrap().iter().find(|r| r["target"] == "gdp-growth" && r["period"] == "2020Q3").unwrap();
    district_c
        .run(["review", "reopen", "--plan", "district-c-2020", &q3["id"].to_string(), "--reason", "核实"])
        .success();
    district_c
        .run([
            "record",
            "--plan",
            "district-c-2020",
            "gdp-growth",
            "2020Q3",
            "6.0",
            "--revise",
            "--reason",
            "统计局核实",
        ])
        .success();
    let newer = district_c.path("district-c-newer.bundle");
    district_c.run(["bundle", "--plan", "district-c-2020", "--out", newer.to_str().unwrap()]).success();
    let mut city = city;
    city.now = district_c.now.clone();
    city.run(["bundle", "import", newer.to_str().unwrap()]).success();
    let after =
        city.run(["compare", "--parent", "city-2020", "--as-of", "2020Q3", "--format", "json"]).success().stdout;
    assert_ne!(before, after);
    let rows: serde_json::Value = serde_json::from_str(&after).unwrap();
    let gdp: Vec<(String, serde_json::Value)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == "gdp-growth")
        .map(|r| (r["plan"].as_str().unwrap().to_string(), r["rank"].clone()))
        .collect();
    // a and b tie first at 6.8; c's 6.0 is third now; d has no figure.
    assert_eq!(
        gdp,
        [
            ("district-a-2020".to_string(), 1.into()),
            ("district-b-2020".to_string(), 1.into()),
            ("district-c-2020".to_string(), 3.into()),
            ("district-d-2020".to_string(), serde_json::Value::Null),
        ]
    );
    let c =
        rows.as_array().unwrap().iter().find(|r| r["code"] == "gdp-growth" && r["plan"] == "district-c-2020").unwrap();
    assert_eq!(c["value"], 6.0);
    // Both bundles are kept; the newer one stands.
    let list = city.run_en(["bundle", "list"]).success().stdout;
    assert_eq!(list.lines().filter(|l| l.starts_with("│ district-c-2020")).count(), 2, "{list}");
    assert!(
        list.lines()
            .any(|l| l.contains("district-c-newer.bundle")
                && l.trim_end().trim_end_matches('│').trim_end().ends_with("yes")),
        "{list}"
    );
    // The same bundle twice changes nothing.
    let dump = city.dump();
    city.run(["bundle", "import", newer.to_str().unwrap()]).success();
    assert_eq!(city.dump(), dump);
}
