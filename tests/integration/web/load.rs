//! The desk under load (issue 17, issue 18): an entry's answer is read from that
//! entry's own figures, and the plan figures are checked against is kept between
//! requests. These prove the shortcuts answer exactly what the long way did.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::Desk;

const FUND: &str = "emergency-bridge-loan-fund";
const SHARE: &str = "finance-share-of-services";
const LISTINGS: &str = "main-board-listings";
const FINANCE: &str = "区金融工作局";

fn figures_of_import(desk: &Desk, import: i64) -> Value {
    let out = desk.ontrack.run_en(["figures", "--format", "json", "--import", &import.to_string()]).success();
    serde_json::from_str(&out.stdout).expect("figures JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_answer_to_an_entry_is_figures_of_its_import_among_other_figures() {
    let desk = Desk::new();
    desk.user("fin", "filer", Some(FINANCE));
    // Figures the entry's answer must leave out: recorded, and of another import.
    desk.ontrack.run(["record", "gdp-growth", "2020Q1", "-6.8", "--by", "张三"]).success();
    desk.ontrack.run(["record", FUND, "2020Q2", "900", "--by", "李四"]).success();
    let mut fin = desk.signed_in("fin").await;
    let first = fin
        .post_json(
            "/api/v1/figures",
            json!([
                {"target": FUND, "period": "2020Q3", "value": 1200, "source": "月报"},
                {"target": SHARE, "period": "2020Q3", "value": "6.5%"},
            ]),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let first = first.json();
    let first_import = first[0]["import"].as_i64().expect("an import id");
    assert_eq!(first, figures_of_import(&desk, first_import));
    assert_eq!(first.as_array().map(Vec::len), Some(2));

    // A second entry revises one of the first (with a reason) and adds one.
    let second = fin
        .post_json(
            "/api/v1/figures",
            json!([
                {"target": FUND, "period": "2020Q3", "value": "1,300", "reason": "补报台账"},
                {"target": LISTINGS, "period": "2020Q3", "value": 2, "note": "初步"},
            ]),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    let second = second.json();
    let second_import = second[0]["import"].as_i64().expect("an import id");
    assert_ne!(first_import, second_import);
    assert_eq!(second, figures_of_import(&desk, second_import), "field for field as the command line");
    let revised = second.as_array().unwrap().iter().find(|f| f["target"] == FUND).expect("the revision");
    assert_eq!(revised["value"], 1300.0);
    assert!(revised["revises"].is_i64(), "{revised}");
    // The revised figure no longer stands: the first import shows only the share now.
    let now_first: Vec<Value> = figures_of_import(&desk, first_import).as_array().unwrap().clone();
    assert_eq!(now_first.iter().map(|f| f["target"].as_str().unwrap()).collect::<Vec<_>>(), [SHARE]);
}

/// The built-in plan as `other-2020`, with the fund led by `fund_unit`.
fn other_plan(fund_unit: &str) -> String {
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml")).unwrap();
    let plan = plan.replacen("id = \"jinshui-2020\"", "id = \"other-2020\"", 1);
    let at = plan.find(&format!("code = \"{FUND}\"")).expect("the fund");
    let (head, tail) = plan.split_at(at);
    format!("{head}{}", tail.replacen("lead_unit = \"区金融工作局\"", &format!("lead_unit = \"{fund_unit}\""), 1))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_loaded_again_is_seen_by_the_next_entry() {
    let desk = Desk::new();
    desk.user("fin", "filer", Some(FINANCE));
    let file = desk.ontrack.file("other.toml", other_plan("区统计局"));
    desk.ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    let mut fin = desk.signed_in("fin").await;
    let rows = json!([{"target": FUND, "period": "2020Q3", "value": 1200}]);
    // The desk now keeps other-2020 with the fund led by another unit.
    let answer = fin.post_json("/api/v1/figures?plan=other-2020", rows.clone()).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text());

    // The same plan removed and loaded again at the same (fixed) moment, now with the
    // fund led by 区金融工作局: same id, same load sequence, same loaded_at.
    desk.ontrack.run_en(["plan", "remove", "other-2020"]).success();
    let file = desk.ontrack.file("other.toml", other_plan(FINANCE));
    desk.ontrack.run(["plan", "import", file.to_str().unwrap()]).success();
    let answer = fin.post_json("/api/v1/figures?plan=other-2020", rows.clone()).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    assert_eq!(answer.json()[0]["lead_unit"], FINANCE);

    // And the plan that was not touched is still checked as it is.
    let answer = fin.post_json("/api/v1/figures?plan=jinshui-2020", rows).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let out = desk.ontrack.run_en(["figures", "--format", "json", "--plan", "jinshui-2020"]).success();
    assert!(out.stdout.contains(FUND), "{}", out.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_is_shared_for_a_second_then_shows_a_new_figure() {
    let desk = Desk::new();
    desk.user("boss", "leader", None);
    desk.ontrack.run(["record", "gdp-growth", "2020Q3", "4.1", "--source", "区统计局"]).success();
    let mut boss = desk.signed_in("boss").await;
    let before = boss.get("/").await;
    assert_eq!(before.status, StatusCode::OK);
    // When its numbers were computed, in the plan's zone (the fixed clock is 08:00 UTC).
    assert!(before.text().contains(r#"<p class="muted" id="computed-at">数据截至 16:00:00</p>"#), "{}", before.text());
    let mut english = desk.signed_in("boss").await;
    english.lang = Some("en");
    assert!(english.get("/").await.text().contains("Figures as of 16:00:00"));

    desk.ontrack.run(["record", "gdp-growth", "2020Q4", "6.3", "--source", "区统计局"]).success();
    // Past the second a view is shared, the stamp has moved: computed again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = boss.get("/").await.text();
    assert_ne!(after, before.text(), "the new figure is counted");
    // Nothing moved since: the same view, byte for byte.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(boss.get("/").await.text(), after);
}

/// A browser that takes gzip gets the dashboard as one gzip stream that unzips to the
/// very page others get; the session's token is in it as it is, never compressed
/// (docs/SECURITY.md); one that does not gets the page as it is.
#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_goes_compressed_to_a_browser_that_takes_gzip_and_unzips_to_the_same_page() {
    use std::io::Read as _;
    let desk = Desk::new();
    desk.user("boss", "leader", None);
    desk.ontrack.run(["record", "gdp-growth", "2020Q3", "4.1", "--source", "区统计局"]).success();
    let mut boss = desk.signed_in("boss").await;
    let plain = boss.get("/").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.header("vary"), Some("accept-encoding"));

    let get = axum::http::Method::GET;
    let request = boss.request_with(get.clone(), "/", &[("accept-encoding", "gzip, deflate, br, zstd")]);
    let zipped = boss.send(request).await;
    assert_eq!(zipped.status, StatusCode::OK);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(zipped.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(zipped.header("vary"), Some("accept-encoding"));
    assert!(zipped.header("content-security-policy").is_some(), "the same headers as any page");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&zipped.body[..]).read_to_string(&mut unzipped).expect("one whole gzip stream");
    assert_eq!(unzipped, plain.text(), "the same page, byte for byte");
    assert!(zipped.body.len() * 3 < plain.body.len(), "{} bytes of {}", zipped.body.len(), plain.body.len());
    let token = boss.csrf.clone().expect("signed in");
    assert!(String::from_utf8_lossy(&zipped.body).contains(&token), "the token is stored, not compressed");

    let request = boss.request_with(get, "/", &[("accept-encoding", "gzip;q=0, identity")]);
    let refused = boss.send(request).await;
    assert_eq!(refused.header("content-encoding"), None);
    assert_eq!(refused.text(), plain.text());
}
