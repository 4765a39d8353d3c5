//! Reviewing at the web desk (`/api/v1/figures…`, `/api/v1/completeness`, the review
//! queue, completeness and target pages): who may, what each refusal answers, and that
//! each answer is the command line's own.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::Desk;

/// A desk with two figures logged through `ontrack record`, a reviewer, a filer, a
/// leader and an administrator.
fn desk_with_figures() -> Desk {
    let desk = Desk::new();
    desk.ontrack.run(["record", "gdp-growth", "2020Q1", "-6.8", "--source", "区统计局", "--by", "张三"]).success();
    desk.ontrack.run(["record", "new-roads", "2020Q2", "40", "--source", "区住建局", "--by", "李四"]).success();
    desk.user("rv", "reviewer", None);
    desk.user("fa", "filer", Some("区发改委"));
    desk.user("ld", "leader", None);
    desk.user("ad", "admin", None);
    desk
}

/// The id of the standing figure of `target` as `ontrack figures` lists it.
fn figure_id(desk: &Desk, target: &str) -> i64 {
    let listed = desk.ontrack.run(["figures", "--format", "json"]).success();
    let rows: Value = serde_json::from_str(&listed.stdout).expect("json");
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|row| row["target"] == target)
        .and_then(|row| row["id"].as_i64())
        .unwrap_or_else(|| panic!("no figure of {target}: {}", listed.stdout))
}

fn audit_lines(desk: &Desk) -> String {
    desk.ontrack.run(["audit", "--format", "json"]).success().stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn the_figures_and_completeness_api_answer_the_command_lines_own_json_bytes() {
    let desk = desk_with_figures();
    let mut client = desk.signed_in("ld").await;
    for (path, args) in [
        ("/api/v1/figures", vec!["figures", "--format", "json"]),
        (
            "/api/v1/figures?period=2020Q1&state=submitted",
            vec!["figures", "--period", "2020Q1", "--state", "submitted", "--format", "json"],
        ),
        (
            "/api/v1/figures?lead_unit=%E5%8C%BA%E7%BB%9F%E8%AE%A1%E5%B1%80",
            vec!["figures", "--lead-unit", "区统计局", "--format", "json"],
        ),
        ("/api/v1/completeness?period=2020Q1", vec!["completeness", "--period", "2020Q1", "--format", "json"]),
    ] {
        let answer = client.get(path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        let command = desk.ontrack.run(args).success();
        assert_eq!(answer.text(), command.stdout, "{path}");
        assert_ne!(answer.json(), json!([]), "{path}: something to compare");
    }
    let bad = client.get("/api/v1/figures?state=pending").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["problems"][0]["place"], "state");
    let no_period = client.get("/api/v1/completeness").await;
    assert_eq!(no_period.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(desk.client().get("/api/v1/figures").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewer_approves_through_the_api_and_the_window_is_locked_for_the_command_line() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "gdp-growth");
    let mut client = desk.signed_in("rv").await;
    let answer = client.post_json(&format!("/api/v1/figures/{id}/approve"), json!({})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let row = answer.json();
    assert_eq!(row["id"], id);
    assert_eq!(row["state"], "approved");
    assert_eq!(row["state_by"], "rv");
    // The answer is the figure's row of `figures --format json`, byte for byte.
    let listed: Value =
        serde_json::from_str(&desk.ontrack.run(["figures", "--format", "json"]).success().stdout).unwrap();
    let same = listed.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(&row, same);
    desk.ontrack.run(["record", "gdp-growth", "2020Q1", "-6.5"]).fails(1, "rv");
    let audit = audit_lines(&desk);
    assert!(audit.contains("review approve") && audit.contains(&format!("figures {id}")), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn reviewing_needs_a_reviewer_a_token_a_known_figure_and_a_reason_where_one_is_due() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "gdp-growth");
    let path = format!("/api/v1/figures/{id}/approve");
    assert_eq!(desk.client().post_json(&path, json!({})).await.status, StatusCode::UNAUTHORIZED);
    for name in ["fa", "ld", "ad"] {
        let mut client = desk.signed_in(name).await;
        let answer = client.post_json(&path, json!({})).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{name}: {}", answer.text());
        assert_eq!(answer.json()["error"]["code"], "forbidden");
    }
    let mut reviewer = desk.signed_in("rv").await;
    let answer = reviewer.post_json_without_token(&path, json!({})).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"]["code"], "bad_csrf_token");
    let unknown = reviewer.post_json("/api/v1/figures/99999/approve", json!({})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text());
    let no_such_action = reviewer.post_json(&format!("/api/v1/figures/{id}/bless"), json!({})).await;
    assert_eq!(no_such_action.status, StatusCode::NOT_FOUND);
    let returned = reviewer.post_json(&format!("/api/v1/figures/{id}/return"), json!({"reason": "  "})).await;
    assert_eq!(returned.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", returned.text());
    let problems = &returned.json()["error"]["problems"];
    assert_eq!(problems[0]["place"], "reason");
    assert!(problems[0]["message"].as_str().unwrap().contains("原因"), "{problems}");
    // Nothing changed: still submitted, and no denied attempt wrote a review.
    let listed = desk.ontrack.run(["figures", "--state", "submitted", "--format", "json"]).success().stdout;
    assert!(listed.contains(&format!("\"id\": {id}")), "{listed}");
    let audit = audit_lines(&desk);
    assert!(audit.contains("denied") && audit.contains("refused"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_already_done_is_a_conflict_and_changes_nothing() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "gdp-growth");
    let mut client = desk.signed_in("rv").await;
    let first = client.post_json(&format!("/api/v1/figures/{id}/approve"), json!({})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let again = client.post_json(&format!("/api/v1/figures/{id}/approve"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    assert_eq!(again.json()["error"]["code"], "conflict");
    let back = client.post_json(&format!("/api/v1/figures/{id}/return"), json!({"reason": "核对口径"})).await;
    assert_eq!(back.status, StatusCode::CONFLICT, "{}", back.text());
    let reopened = client.post_json(&format!("/api/v1/figures/{id}/reopen"), json!({"reason": "口径有变"})).await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.text());
    assert_eq!(reopened.json()["state"], "submitted");
    assert_eq!(reopened.json()["state_reason"], "口径有变");
    let voided = client.post_json(&format!("/api/v1/figures/{id}/void"), json!({"reason": "重复填报"})).await;
    assert_eq!(voided.status, StatusCode::OK, "{}", voided.text());
    assert_eq!(voided.json()["state"], "void");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewer_approves_a_batch_through_the_review_form_and_is_sent_back_with_a_notice() {
    let desk = desk_with_figures();
    let (gdp, roads) = (figure_id(&desk, "gdp-growth"), figure_id(&desk, "new-roads"));
    let mut client = desk.signed_in("rv").await;
    let queue = client.get("/review").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.text());
    let page = queue.text();
    for id in [gdp, roads] {
        assert!(page.contains(&format!("id=\"pick-{id}\"")), "{page}");
    }
    for button in ["id=\"approve\"", "id=\"return\"", "id=\"reopen\"", "id=\"void\"", "id=\"reason\""] {
        assert!(page.contains(button), "{button}: {page}");
    }
    assert!(page.contains("id=\"nav-review\"") && page.contains("id=\"nav-completeness\""));
    let (gdp_text, roads_text) = (gdp.to_string(), roads.to_string());
    let fields = [
        ("figure", gdp_text.as_str()),
        ("figure", roads_text.as_str()),
        ("action", "approve"),
        ("reason", ""),
        ("period", ""),
        ("lead_unit", ""),
    ];
    let answer = client.post_form("/review", &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let to = answer.header("location").expect("a redirect").to_string();
    assert_eq!(to, "/review?reviewed=2");
    let back = client.get(&to).await.text();
    assert!(back.contains("id=\"reviewed\"") && back.contains("已处理 2 条数据"), "{back}");
    let approved = desk.ontrack.run(["figures", "--state", "approved", "--format", "json"]).success().stdout;
    assert!(
        approved.contains(&format!("\"id\": {gdp}")) && approved.contains(&format!("\"id\": {roads}")),
        "{approved}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_return_without_a_reason_shows_the_form_again_with_the_problem_under_the_reason() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "gdp-growth").to_string();
    let mut client = desk.signed_in("rv").await;
    client.lang = Some("en");
    let answer = client.post_form("/review", &[("figure", &id), ("action", "return"), ("reason", " ")]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    let page = answer.text();
    assert!(page.contains("id=\"problem-reason\""), "{page}");
    assert!(page.contains("return needs a reason; nothing was changed"), "{page}");
    assert!(
        page.contains(&format!("id=\"pick-{id}\" name=\"figure\" value=\"{id}\" checked")),
        "the pick is kept: {page}"
    );
    let none = client.post_form("/review", &[("action", "approve")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.text().contains("id=\"problem-figure\""), "{}", none.text());
    let submitted = desk.ontrack.run(["figures", "--state", "submitted", "--format", "json"]).success().stdout;
    assert!(submitted.contains(&format!("\"id\": {id}")), "{submitted}");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_reviewers_review_at_the_form_and_filers_do_not_see_the_queue() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "gdp-growth").to_string();
    let mut leader = desk.signed_in("ld").await;
    let queue = leader.get("/review").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(!queue.text().contains("id=\"approve\""), "no buttons for a leader");
    assert!(!queue.text().contains("id=\"nav-review\"") && queue.text().contains("id=\"nav-completeness\""));
    let refused = leader.post_form("/review", &[("figure", &id), ("action", "approve")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut filer = desk.signed_in("fa").await;
    assert_eq!(filer.get("/review").await.status, StatusCode::FORBIDDEN);
    assert_eq!(filer.get("/completeness?period=2020Q1").await.status, StatusCode::FORBIDDEN);
    let mut reviewer = desk.signed_in("rv").await;
    reviewer.csrf = Some("0".repeat(64));
    let forged = reviewer.post_form("/review", &[("figure", &id), ("action", "approve")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let submitted = desk.ontrack.run(["figures", "--state", "submitted", "--format", "json"]).success().stdout;
    assert!(submitted.contains(&format!("\"id\": {id}")), "{submitted}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_completeness_page_shows_the_commands_numbers_per_lead_unit() {
    let desk = desk_with_figures();
    let mut client = desk.signed_in("ld").await;
    let page = client.get("/completeness?period=2020Q1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    let lines: Value = serde_json::from_str(
        &desk.ontrack.run(["completeness", "--period", "2020Q1", "--format", "json"]).success().stdout,
    )
    .unwrap();
    for line in lines.as_array().unwrap() {
        let cells: String = ["due", "submitted", "on_time", "approved", "returned", "missing"]
            .iter()
            .map(|key| format!("<td class=\"num\">{}</td>", line[key]))
            .collect();
        if line["total"] == true {
            continue;
        }
        let unit = line["lead_unit"].as_str().unwrap_or("—");
        assert!(text.contains(&format!("<td>{unit}</td>{cells}")), "{unit}: {cells}\n{text}");
    }
    assert!(text.contains("报送完整性（2020年一季度）"), "{text}");
    // Without a period: the last quarter of the plan's year that has ended (2020Q4 at the tests' clock).
    let default = client.get("/completeness").await.text();
    assert!(default.contains("value=\"2020Q4\""), "{default}");
    assert_eq!(client.get("/completeness?period=2019Q1").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_target_page_shows_the_chart_the_figures_and_a_returned_figures_reason() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "gdp-growth");
    let mut reviewer = desk.signed_in("rv").await;
    let answer =
        reviewer.post_json(&format!("/api/v1/figures/{id}/return"), json!({"reason": "口径与统计局不一致"})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let mut filer = desk.signed_in("fa").await;
    let page = filer.get("/targets/gdp-growth").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(text.contains("<div class=\"card chart\"><svg"), "{text}");
    assert!(text.contains("id=\"figures\""), "{text}");
    assert!(text.contains(&format!("<p class=\"returned\" id=\"returned-{id}\">口径与统计局不一致</p>")), "{text}");
    assert!(text.contains("已退回") && text.contains("区统计局") && text.contains("张三"), "{text}");
    // The history as `ontrack history` prints it, review events included.
    let history = desk.ontrack.run(["history", "gdp-growth"]).success().stdout;
    let escaped = history.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    assert!(text.contains(&format!("<pre id=\"history\">{escaped}</pre>")), "{history}\n{text}");
    assert!(history.contains("口径与统计局不一致") && history.contains("rv"), "{history}");
    assert_eq!(filer.get("/targets/no-such-target").await.status, StatusCode::NOT_FOUND);
    // The dashboard links the targets needing attention to their pages.
    let dashboard = filer.get("/").await.text();
    assert!(dashboard.contains("href=\"/targets/"), "{dashboard}");
}

/// The `<main>` of a page, one element a line, the session's random token blanked.
fn main_of(page: &str) -> String {
    let start = page.find("<main>").expect("a main");
    let end = page.find("</main>").expect("its end");
    let mut main = page[start..end + "</main>".len()].replace("><", ">\n<");
    let field = "name=\"csrf\" value=\"";
    if let Some(at) = main.find(field) {
        let token = at + field.len();
        main.replace_range(token..token + 64, "[session token]");
    }
    main
}

#[tokio::test(flavor = "multi_thread")]
async fn the_review_queue_and_completeness_pages_read_the_same_every_time() {
    let desk = desk_with_figures();
    let id = figure_id(&desk, "new-roads");
    let mut reviewer = desk.signed_in("rv").await;
    let returned = reviewer.post_json(&format!("/api/v1/figures/{id}/return"), json!({"reason": "请附来源"})).await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text());
    reviewer.lang = Some("en");
    let queue = reviewer.get("/review").await;
    insta::assert_snapshot!("review_queue_en", main_of(&queue.text()));
    reviewer.lang = None;
    let completeness = reviewer.get("/completeness?period=2020Q2").await;
    insta::assert_snapshot!("completeness_2020q2_zh", main_of(&completeness.text()));
}
