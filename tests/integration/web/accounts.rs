//! Accounts, sign-in and sessions at the web desk, and `ontrack user`/`audit`.

use axum::http::StatusCode;

use super::{Desk, PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn there_is_no_default_account_and_a_one_time_password_allows_only_its_change() {
    let desk = Desk::new();
    let mut client = desk.client();
    assert_eq!(client.login("admin", "admin").await.status, StatusCode::UNAUTHORIZED);
    let added = desk.ontrack.run(["user", "add", "boss", "--role", "admin"]).success();
    let one_time =
        added.stdout.split('：').nth(1).and_then(|rest| rest.lines().next()).expect("printed password").trim();
    let answer = client.login("boss", one_time).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["must_change_password"], true);
    assert_eq!(client.get("/api/v1/status").await.status, StatusCode::FORBIDDEN);
    let changed =
        client.post_json("/api/v1/password", serde_json::json!({"old": one_time, "new": "a phrase of my own"})).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    client.csrf = changed.json()["csrf"].as_str().map(str::to_string);
    // Allowed now: the answer is the command's own (no figures yet, so nothing to show).
    let status = client.get("/api/v1/status").await;
    assert_eq!(status.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", status.text());
    assert!(status.text().contains("尚无数据"), "{}", status.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_gives_a_new_session_with_strict_cookies_and_signing_out_ends_it_on_the_server() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.client();
    client.cookie = Some("f".repeat(64));
    let answer = client.login("fa", PASSWORD).await;
    let cookie = answer.header("set-cookie").expect("a cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert_ne!(client.cookie.as_deref(), Some("f".repeat(64).as_str()), "a new id, not the one offered");
    let old = client.cookie.clone();
    assert_eq!(client.post_json("/api/v1/logout", serde_json::json!({})).await.status, StatusCode::NO_CONTENT);
    client.cookie = old;
    assert_eq!(client.get("/api/v1/status").await.status, StatusCode::UNAUTHORIZED, "the old cookie is dead");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_change_without_the_token_or_from_another_origin_is_refused_and_audited() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.signed_in("fa").await;
    let answer = client.post_json_without_token("/api/v1/logout", serde_json::json!({})).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["error"]["code"], "bad_csrf_token");
    let audit = desk.ontrack.run_en(["audit", "--format", "json"]).success();
    assert!(audit.stdout.contains("missing or wrong CSRF token"), "{}", audit.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_ins_are_limited_per_account() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.client();
    for _ in 0..5 {
        assert_eq!(client.login("fa", "wrong password!").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        client.login("fa", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "held even with the right one"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_carries_the_security_headers() {
    let desk = Desk::new();
    let answer = desk.client().get("/login").await;
    assert_eq!(answer.status, StatusCode::OK);
    let csp = answer.header("content-security-policy").expect("CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(answer.header("x-frame-options"), Some("DENY"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dashboard_without_figures_says_so_in_the_desks_words() {
    let desk = Desk::new();
    desk.user("mayor", "leader", None);
    let mut leader = desk.signed_in("mayor").await;
    let page = leader.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("尚无数据：各单位在“填报”页录入数据后"), "{}", page.text());
    assert!(!page.text().contains("ontrack record"), "no command line in a browser");
}
