//! Entering figures at the desk: `POST /api/v1/figures` and the entry form
//! (`GET/POST /entry`), both through the one import path.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{Client, Desk};

/// 区金融工作局 leads these (quarterly): an amount in 万元, a share in %, a count.
const FUND: &str = "emergency-bridge-loan-fund";
const SHARE: &str = "finance-share-of-services";
const LISTINGS: &str = "main-board-listings";
const FINANCE: &str = "区金融工作局";

/// A desk with a filer of 区金融工作局 (`fin`), one of 区统计局 (`stat`), a reviewer
/// and a leader.
fn desk() -> Desk {
    let desk = Desk::new();
    desk.user("fin", "filer", Some(FINANCE));
    desk.user("stat", "filer", Some("区统计局"));
    desk.user("rev", "reviewer", None);
    desk.user("boss", "leader", None);
    desk
}

fn figures_json(desk: &Desk) -> Value {
    let out = desk.ontrack.run_en(["figures", "--format", "json"]).success();
    serde_json::from_str(&out.stdout).expect("figures JSON")
}

async fn post(client: &mut Client, rows: Value) -> super::Answer {
    client.post_json("/api/v1/figures", rows).await
}

#[tokio::test(flavor = "multi_thread")]
async fn entering_needs_a_session_a_token_and_a_filer_of_the_targets_unit() {
    let desk = desk();
    let rows = json!([{"target": FUND, "period": "2020Q3", "value": 1200}]);
    let before = desk.ontrack.dump();
    let mut nobody = desk.client();
    assert_eq!(post(&mut nobody, rows.clone()).await.status, StatusCode::UNAUTHORIZED);

    let mut fin = desk.signed_in("fin").await;
    let answer = fin.post_json_without_token("/api/v1/figures", rows.clone()).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"]["code"], "bad_csrf_token");

    for name in ["rev", "boss", "stat"] {
        let mut client = desk.signed_in(name).await;
        let answer = post(&mut client, rows.clone()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{name}: {}", answer.text());
        assert_eq!(answer.json()["error"]["code"], "forbidden");
    }
    // One row of another unit's target refuses the whole request, the good row too.
    let mixed = json!([
        {"target": FUND, "period": "2020Q3", "value": 1200},
        {"target": "GDP-Growth", "period": "2020Q3", "value": 3.1},
    ]);
    assert_eq!(post(&mut fin, mixed).await.status, StatusCode::FORBIDDEN);
    assert_eq!(figures_json(&desk), json!([]), "nothing written");
    let audit = desk.ontrack.run_en(["audit", "--format", "json"]).success().stdout;
    assert!(audit.contains("entry 2: gdp-growth is led by another unit"), "{audit}");
    assert!(audit.contains("not a filer of a lead unit"), "{audit}");
    // Only the audit log and the sessions changed.
    let figures_part = |dump: &str| dump.lines().filter(|l| l.contains("actuals")).collect::<Vec<_>>().join("\n");
    assert_eq!(figures_part(&desk.ontrack.dump()), figures_part(&before));
}

#[tokio::test(flavor = "multi_thread")]
async fn entered_figures_are_stored_as_figures_shows_them_and_audited() {
    let desk = desk();
    let mut fin = desk.signed_in("fin").await;
    let answer = post(
        &mut fin,
        json!([
            {"target": FUND, "period": "2020Q3", "value": "1,752.5", "source": "月报", "note": "初步"},
            {"target": SHARE, "period": "2020Q3", "value": "6.5%"},
            {"target": SHARE, "period": "2020Q2", "value": "６.５"},
            {"target": LISTINGS, "period": "2020Q3", "value": 2},
        ]),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let stored = answer.json();
    let values: Vec<(&str, &str, f64)> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["target"].as_str().unwrap(), f["period"].as_str().unwrap(), f["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        values,
        [(SHARE, "2020Q2", 6.5), (SHARE, "2020Q3", 6.5), (FUND, "2020Q3", 1752.5), (LISTINGS, "2020Q3", 2.0)]
    );
    assert!(stored.as_array().unwrap().iter().all(|f| f["by"] == "fin" && f["state"] == "submitted"));
    // The same rows, field for field, as the command line lists them.
    assert_eq!(stored, figures_json(&desk));
    let import = stored[0]["import"].as_i64().expect("an import id");
    let audit = desk.ontrack.run_en(["audit", "--format", "json"]).success().stdout;
    assert!(audit.contains(&format!("4 figures, import {import}")), "{audit}");
    // A web entry is an import like any other: void --import withdraws it.
    desk.ontrack.run_en(["void", "--import", &import.to_string(), "--reason", "录错了", "--by", "统计科"]).success();
    let states: Vec<String> = figures_json(&desk).as_array().unwrap().iter().map(|f| f["state"].to_string()).collect();
    assert_eq!(states, ["\"void\""; 4]);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_problem_is_listed_and_nothing_is_written() {
    let desk = desk();
    let mut fin = desk.signed_in("fin").await;
    let before = desk.ontrack.dump();
    let answer = post(
        &mut fin,
        json!([
            {"target": FUND, "period": "2020Q3", "value": 100},
            {"target": "emergency-bridge-loan-fnd", "period": "2020Q3", "value": 1},
            {"target": FUND, "period": "2020Q2", "value": "lots"},
            {"target": SHARE, "period": "2021Q1", "value": 5},
        ]),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    let body = answer.json();
    let problems = body["error"]["problems"].as_array().expect("problems listed");
    let places: Vec<&str> = problems.iter().map(|p| p["place"].as_str().unwrap()).collect();
    assert_eq!(places, ["第 2 项", "第 3 项", "第 4 项"], "{body}");
    assert!(problems[0]["message"].as_str().unwrap().contains(FUND), "did you mean: {body}");
    assert_eq!(problems[1]["target"], FUND);
    assert_eq!(desk.ontrack.dump(), before, "nothing changed");

    // In English when asked, and a body that is no array is a 422 too.
    fin.lang = Some("en");
    let answer = post(&mut fin, json!([{"target": FUND, "period": "2020Q3", "value": "lots"}])).await;
    assert_eq!(answer.json()["error"]["problems"][0]["place"], "entry 1");
    assert!(answer.json()["error"]["problems"][0]["message"].as_str().unwrap().is_ascii());
    let answer = post(&mut fin, json!({"target": FUND})).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = post(&mut fin, json!([{"target": FUND, "period": "2020Q3"}])).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "no value at all");
    assert_eq!(desk.ontrack.dump(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revision_needs_a_reason_a_locked_window_is_a_conflict_and_a_returned_figure_is_revised() {
    let desk = desk();
    let mut fin = desk.signed_in("fin").await;
    let first = post(&mut fin, json!([{"target": FUND, "period": "2020Q3", "value": 100}])).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.json()[0]["id"].as_i64().unwrap();

    let before = desk.ontrack.dump();
    let again = post(&mut fin, json!([{"target": FUND, "period": "2020Q3", "value": 120}])).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    assert!(again.json()["error"]["problems"][0]["message"].as_str().unwrap().contains("修订原因"));
    assert_eq!(desk.ontrack.dump(), before);
    let revised = post(&mut fin, json!([{"target": FUND, "period": "2020Q3", "value": 120, "reason": "更正"}])).await;
    assert_eq!(revised.status, StatusCode::CREATED, "{}", revised.text());
    assert_eq!(revised.json()[0]["revises"], id);

    // Returned: entered again without a reason, it becomes the returned figure's revision.
    let revised_id = revised.json()[0]["id"].as_i64().unwrap();
    desk.ontrack
        .run_en(["review", "return", &revised_id.to_string(), "--reason", "口径不对", "--by", "统计科"])
        .success();
    let relogged = post(&mut fin, json!([{"target": FUND, "period": "2020Q3", "value": 130}])).await;
    assert_eq!(relogged.status, StatusCode::CREATED, "{}", relogged.text());
    assert_eq!(relogged.json()[0]["revises"], revised_id);
    assert_eq!(relogged.json()[0]["state"], "submitted");

    // Approved: locked, a conflict whatever the reason; nothing changes.
    let relogged_id = relogged.json()[0]["id"].as_i64().unwrap();
    desk.ontrack.run_en(["review", "approve", &relogged_id.to_string(), "--by", "统计科"]).success();
    let before = desk.ontrack.dump();
    let locked = post(&mut fin, json!([{"target": FUND, "period": "2020Q3", "value": 140, "reason": "再改"}])).await;
    assert_eq!(locked.status, StatusCode::CONFLICT, "{}", locked.text());
    assert_eq!(locked.json()["error"]["code"], "conflict");
    assert_eq!(desk.ontrack.dump(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_and_the_command_line_agree_after_an_entry() {
    let desk = desk();
    let mut fin = desk.signed_in("fin").await;
    let answer = post(&mut fin, json!([{"target": SHARE, "period": "2020Q3", "value": 8.1}])).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    let api = fin.get("/api/v1/status").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    let cli = desk.ontrack.run(["status", "--format", "json"]).success().stdout;
    assert_eq!(api.text(), cli);
    assert_eq!(answer.json(), figures_json(&desk));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_entry_form_lists_the_units_due_targets_and_saves_all_or_nothing() {
    let desk = desk();
    let mut fin = desk.signed_in("fin").await;
    let page = fin.get("/entry?period=2020Q3").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    for code in [FUND, SHARE, LISTINGS] {
        assert!(html.contains(&format!("id=\"value-{code}\" name=\"value.{code}\"")), "{code}: {html}");
        assert!(html.contains(&format!("id=\"source-{code}\"")) && html.contains(&format!("id=\"note-{code}\"")));
    }
    assert!(!html.contains("value-gdp-growth"), "another unit's target");
    assert!(!html.contains("id=\"reason-"), "no figure yet, no reason asked");
    assert!(html.contains("id=\"entry\" method=\"post\" action=\"/entry\""), "{html}");
    assert!(html.contains("id=\"submit-entry\""));
    assert!(html.contains("id=\"nav-entry\""));
    let english = fin.get("/entry?period=2020Q3&lang=en").await.text();
    assert!(english.contains("<h1>Figures for 2020Q3</h1>") && english.contains("Save all"), "{english}");

    // A bad value: the form again, typed values kept, the problem under its field.
    let before = desk.ontrack.dump();
    let fields =
        [("period", "2020Q3"), ("value.emergency-bridge-loan-fund", "1,200"), ("value.main-board-listings", "两家")];
    let refused = fin.post_form("/entry", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("id=\"problem-main-board-listings\""), "{html}");
    assert!(!html.contains("id=\"problem-emergency-bridge-loan-fund\""));
    // The import path's own message, as the API lists it for the same row.
    let api = post(&mut fin, json!([{"target": LISTINGS, "period": "2020Q3", "value": "两家"}])).await.json();
    let message = api["error"]["problems"][0]["message"].as_str().expect("a message").to_string();
    let escaped = message.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    assert!(html.contains(&format!("id=\"problem-main-board-listings\">{escaped}")), "{message}\n{html}");
    assert!(html.contains("value=\"1,200\"") && html.contains("value=\"两家\""), "typed values kept");
    assert_eq!(desk.ontrack.dump(), before, "nothing saved");

    // Another unit's target named in a field: 403, nothing saved.
    let foreign = [("period", "2020Q3"), ("value.emergency-bridge-loan-fund", "1200"), ("value.gdp-growth", "3")];
    assert_eq!(fin.post_form("/entry", &foreign).await.status, StatusCode::FORBIDDEN);
    let mut boss = desk.signed_in("boss").await;
    assert_eq!(boss.post_form("/entry", &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(boss.get("/entry").await.status, StatusCode::FORBIDDEN);
    assert_eq!(figures_json(&desk), json!([]));

    // Saved: 303 to the form with a notice; the row shows its figure and state.
    let good = [
        ("period", "2020Q3"),
        ("value.emergency-bridge-loan-fund", "1,200"),
        ("source.emergency-bridge-loan-fund", "台账"),
    ];
    let saved = fin.post_form("/entry", &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert_eq!(saved.header("location"), Some("/entry?period=2020Q3&saved=1"));
    let html = fin.get("/entry?period=2020Q3&saved=1").await.text();
    assert!(html.contains("id=\"saved\""), "{html}");
    assert!(html.contains(&format!("id=\"state-{FUND}\">已报送")), "{html}");
    assert!(html.contains(&format!("id=\"reason-{FUND}\" name=\"reason.{FUND}\"")), "a revision asks a reason");
    assert!(html.contains("来源：台账"), "the standing figure's source");

    // Returned: the reviewer's reason shows; approved: the value is disabled.
    let id = figures_json(&desk)[0]["id"].as_i64().unwrap().to_string();
    desk.ontrack.run_en(["review", "return", &id, "--reason", "请附台账", "--by", "统计科"]).success();
    let html = fin.get("/entry?period=2020Q3").await.text();
    assert!(html.contains(&format!("id=\"returned-{FUND}\"")) && html.contains("请附台账"), "{html}");
    let relog = [("period", "2020Q3"), ("value.emergency-bridge-loan-fund", "1300")];
    assert_eq!(fin.post_form("/entry", &relog).await.status, StatusCode::SEE_OTHER);
    let id = figures_json(&desk)[0]["id"].as_i64().unwrap().to_string();
    desk.ontrack.run_en(["review", "approve", &id, "--by", "统计科"]).success();
    let html = fin.get("/entry?period=2020Q3").await.text();
    assert!(
        html.contains(&format!(
            "id=\"value-{FUND}\" name=\"value.{FUND}\" inputmode=\"decimal\" autocomplete=\"off\" value=\"\" disabled"
        )),
        "{html}"
    );
    assert!(html.contains(&format!("id=\"state-{FUND}\">已审核")), "{html}");
}
