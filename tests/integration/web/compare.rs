//! The family's comparison page: the ranks `ontrack compare` gives, to anyone signed in.

use axum::http::StatusCode;

use super::Desk;

#[tokio::test(flavor = "multi_thread")]
async fn the_comparison_page_shows_the_ranks_compare_gives() {
    let desk = Desk::over(crate::compare::city());
    desk.user("mayor", "leader", None);
    let expected: serde_json::Value = serde_json::from_str(
        &desk.ontrack.run(["compare", "--parent", "city-2020", "--format", "json"]).success().stdout,
    )
    .expect("compare's JSON");
    let mut leader = desk.signed_in("mayor").await;
    let page = leader.get("/compare?parent=city-2020").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(text.contains("id=\"nav-compare\""), "{text}");
    // Every ranked district appears with its rank cell, in compare's order per indicator.
    for row in expected.as_array().expect("rows") {
        let plan = row["plan"].as_str().expect("plan");
        assert!(text.contains(plan), "{plan} missing");
    }
    let ranks: Vec<String> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rank"].as_u64().map_or("-".to_string(), |n| n.to_string()))
        .collect();
    let shown: Vec<String> =
        text.split("<tr><td>").skip(1).map(|cell| cell.split("</td>").next().unwrap_or_default().to_string()).collect();
    assert_eq!(shown, ranks, "the rank column, indicator by indicator, as compare ranks");
    assert_eq!(desk.client().get("/compare").await.status, StatusCode::SEE_OTHER, "signed out: to the sign-in page");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_family_the_page_says_so() {
    let empty = crate::support::Ontrack::new();
    empty.run(["init", "--empty"]).success();
    let desk = Desk::over(empty);
    desk.user("mayor", "leader", None);
    let mut leader = desk.signed_in("mayor").await;
    let page = leader.get("/compare?lang=en").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("No plan in this database names a parent plan"), "{}", page.text());
}
