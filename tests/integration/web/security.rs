//! The security promises of the web desk (docs/SECURITY.md names each test here):
//! sessions that end on the server, sign-in limits and their audit, answers that do
//! not tell an unknown account from a wrong password, the password rules at a change,
//! the security headers on every kind of answer, and cookies under TLS.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use chrono::Duration;
use ontrack::web::{self, DeskConfig, PeerAddr, SessionTimeouts};

use super::{fixed_now, Answer, Client, Desk, PASSWORD};

/// Live sessions in the database (all accounts).
fn sessions(desk: &Desk) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(&desk.ontrack.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the test database");
    conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)).expect("count sessions")
}

/// The audit log as `ontrack audit --format json` prints it.
fn audit(desk: &Desk) -> Vec<serde_json::Value> {
    let out = desk.ontrack.run_en(["audit", "--format", "json"]).success();
    serde_json::from_str::<serde_json::Value>(&out.stdout).expect("audit JSON").as_array().expect("a list").clone()
}

/// Whether the client's session is still accepted (`GET /api/v1/status` answers
/// anything but 401: with no figures yet it is the command's own 422).
async fn accepted(client: &mut Client) -> bool {
    let answer = client.get("/api/v1/status").await;
    answer.status != StatusCode::UNAUTHORIZED
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_idle_for_thirty_minutes_ends_on_the_server() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.signed_in("fa").await;
    assert_eq!(sessions(&desk), 1);
    desk.desk.set_now(fixed_now() + Duration::minutes(30));
    assert!(accepted(&mut client).await, "30 minutes is still within the idle window");
    // That request counted as activity: the idle window starts again from it.
    desk.desk.set_now(fixed_now() + Duration::minutes(61));
    let answer = client.get("/api/v1/status").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text());
    assert_eq!(answer.json()["error"]["code"], "not_signed_in");
    assert_eq!(sessions(&desk), 0, "the row is gone, not just refused");
    desk.desk.set_now(fixed_now() + Duration::minutes(62));
    assert!(!accepted(&mut client).await, "and stays gone");
}

#[tokio::test(flavor = "multi_thread")]
async fn activity_within_the_idle_window_keeps_a_session_alive() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.signed_in("fa").await;
    // A request every 20 minutes for two hours: never 30 minutes idle.
    for step in 1..=6 {
        desk.desk.set_now(fixed_now() + Duration::minutes(20 * step));
        assert!(accepted(&mut client).await, "at {} minutes", 20 * step);
    }
    // Requests closer together than the touch interval (60 s) do not write, yet the
    // last written moment keeps the session alive for the idle window after it.
    desk.desk.set_now(fixed_now() + Duration::minutes(120) + Duration::seconds(30));
    assert!(accepted(&mut client).await);
    desk.desk.set_now(fixed_now() + Duration::minutes(150));
    assert!(accepted(&mut client).await, "30 minutes after the last written activity");
    desk.desk.set_now(fixed_now() + Duration::minutes(180) + Duration::seconds(1));
    assert!(!accepted(&mut client).await, "more than 30 minutes idle");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_after_eight_hours_however_busy() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.signed_in("fa").await;
    let mut minutes = 0;
    while minutes < 8 * 60 - 10 {
        minutes += 10;
        desk.desk.set_now(fixed_now() + Duration::minutes(minutes));
        assert!(accepted(&mut client).await, "at {minutes} minutes");
    }
    desk.desk.set_now(fixed_now() + Duration::hours(8));
    assert!(accepted(&mut client).await, "eight hours exactly is the last moment");
    desk.desk.set_now(fixed_now() + Duration::hours(8) + Duration::minutes(1));
    assert!(!accepted(&mut client).await, "past eight hours, busy or not");
    assert_eq!(sessions(&desk), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn user_disable_ends_live_sessions_at_once_and_the_account_cannot_sign_in() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut first = desk.signed_in("fa").await;
    let mut second = desk.signed_in("fa").await;
    assert_eq!(sessions(&desk), 2);
    desk.ontrack.run(["user", "disable", "fa"]).success();
    assert_eq!(sessions(&desk), 0, "ended on the server by the command itself");
    assert_eq!(first.get("/api/v1/status").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(second.get("/").await.status, StatusCode::SEE_OTHER, "a page sends to the sign-in");
    let mut client = desk.client();
    let refused = client.login("fa", PASSWORD).await;
    let unknown = desk.client().login("nobody", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body, unknown.body, "a disabled account is not told apart either");
    let last = audit(&desk).last().cloned().expect("audited");
    assert_eq!((last["actor"].as_str(), last["outcome"].as_str()), (Some("nobody"), Some("refused")));
    assert!(audit(&desk).iter().any(|r| r["detail"] == "account disabled" && r["actor"] == "fa"));
    desk.ontrack.run(["user", "enable", "fa"]).success();
    assert_eq!(desk.client().login("fa", PASSWORD).await.status, StatusCode::OK, "enabled again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_change_ends_the_accounts_other_sessions() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    desk.user("fb", "filer", Some("区财政局"));
    let mut here = desk.signed_in("fa").await;
    let mut elsewhere = desk.signed_in("fa").await;
    let mut colleague = desk.signed_in("fb").await;
    let old_cookie = here.cookie.clone();
    let changed =
        here.post_json("/api/v1/password", serde_json::json!({"old": PASSWORD, "new": "a new phrase of mine"})).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_ne!(here.cookie, old_cookie, "the one who changed it gets a new session");
    here.csrf = changed.json()["csrf"].as_str().map(str::to_string);
    assert!(accepted(&mut here).await);
    assert!(!accepted(&mut elsewhere).await, "the other session of the account ended");
    assert!(accepted(&mut colleague).await, "another account's session is untouched");
    assert_eq!(sessions(&desk), 2);
    assert_eq!(desk.client().login("fa", PASSWORD).await.status, StatusCode::UNAUTHORIZED, "the old password");
    assert_eq!(desk.client().login("fa", "a new phrase of mine").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_id_offered_before_sign_in_is_never_adopted() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let planted = "a".repeat(64);
    // Through the API…
    let mut client = desk.client();
    client.cookie = Some(planted.clone());
    assert_eq!(client.login("fa", PASSWORD).await.status, StatusCode::OK);
    assert_ne!(client.cookie.as_deref(), Some(planted.as_str()));
    // …and through the sign-in page.
    let mut browser = desk.client();
    browser.cookie = Some(planted.clone());
    let answer = browser.post_form("/login", &[("username", "fa"), ("password", PASSWORD)]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let set = answer.header("set-cookie").expect("a new cookie");
    assert!(!set.contains(&planted), "{set}");
    // The planted id names no session: the attacker holding it is not signed in.
    let mut attacker = desk.client();
    attacker.cookie = Some(planted);
    assert!(!accepted(&mut attacker).await);
    assert_eq!(sessions(&desk), 2);
}

/// `POST /api/v1/login` as if from `address`.
async fn login_from(client: &mut Client, address: [u8; 4], name: &str, password: &str) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/login")
        .header(header::HOST, "desk.test")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(PeerAddr(SocketAddr::from((address, 50_000)))))
        .body(Body::from(serde_json::json!({"username": name, "password": password}).to_string()))
        .expect("request");
    client.send(request).await
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_failures_from_one_address_hold_every_account_from_it_and_only_from_it() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.client();
    let office = [10, 0, 0, 7];
    // Four failures each for five made-up names: no account reaches its own limit.
    for i in 0..20 {
        let answer = login_from(&mut client, office, &format!("guess{}", i % 5), "wrong password!").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let held = login_from(&mut client, office, "fa", PASSWORD).await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{}", held.text());
    assert_eq!(held.json()["error"]["code"], "too_many_attempts");
    let other = login_from(&mut client, [10, 0, 0, 8], "fa", PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "another address is not held");
    let records = audit(&desk);
    let denied = records.iter().find(|r| r["outcome"] == "denied").expect("the refusal audited");
    assert_eq!(denied["address"], "10.0.0.7");
    assert_eq!(denied["detail"], "too many failed attempts");
    assert_eq!(denied["actor"], "fa");
}

#[tokio::test(flavor = "multi_thread")]
async fn five_failures_hold_an_account_from_every_address_for_fifteen_minutes() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.client();
    for i in 0..5u8 {
        let answer = login_from(&mut client, [10, 0, 1, i], "fa", "wrong password!").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login_from(&mut client, [10, 0, 2, 1], "fa", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        login_from(&mut client, [10, 0, 1, 0], "Fa", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the account named in another case is the same account"
    );
    desk.desk.set_now(fixed_now() + Duration::minutes(15));
    assert_eq!(login_from(&mut client, [10, 0, 2, 1], "fa", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sign_in_is_audited_with_its_outcome_and_reason() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.client();
    login_from(&mut client, [192, 168, 1, 20], "fa", "wrong password!").await;
    login_from(&mut client, [192, 168, 1, 20], "nobody", "wrong password!").await;
    login_from(&mut client, [192, 168, 1, 20], "fa", PASSWORD).await;
    let logins: Vec<(String, String, String, String)> = audit(&desk)
        .iter()
        .filter(|r| r["action"] == "login")
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap_or_default().to_string();
            (text("actor"), text("address"), text("outcome"), text("detail"))
        })
        .collect();
    let row = |actor: &str, outcome: &str, detail: &str| {
        (actor.to_string(), "192.168.1.20".to_string(), outcome.to_string(), detail.to_string())
    };
    assert_eq!(
        logins,
        vec![row("fa", "refused", "wrong password"), row("nobody", "refused", "unknown account"), row("fa", "ok", ""),]
    );
    let text = serde_json::to_string(&audit(&desk)).expect("JSON");
    assert!(!text.contains("wrong password!") && !text.contains(PASSWORD), "never a password in the log");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_account_and_a_wrong_password_answer_identically() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let unknown = desk.client().login("nobody", "wrong password!").await;
    let wrong = desk.client().login("fa", "wrong password!").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!((unknown.status, &unknown.body), (wrong.status, &wrong.body), "{}", wrong.text());
    assert_eq!(unknown.header("set-cookie"), None);
    let page_unknown = desk.client().post_form("/login", &[("username", "nobody"), ("password", "x")]).await;
    let page_wrong = desk.client().post_form("/login", &[("username", "fa"), ("password", "x")]).await;
    assert_eq!(page_unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!((page_unknown.status, page_unknown.text()), (page_wrong.status, page_wrong.text()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_common_or_short_new_password_is_refused_as_bad_data_in_both_languages() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.signed_in("fa").await;
    let answer = client.post_json("/api/v1/password", serde_json::json!({"old": PASSWORD, "new": "password"})).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
    let error = &answer.json()["error"];
    assert_eq!(error["code"], "unprocessable");
    assert!(error["message"].as_str().unwrap_or_default().contains("这个密码太常见"), "{error}");
    assert_eq!(error["problems"][0]["place"], "new");
    client.lang = Some("en");
    let short = client.post_json("/api/v1/password", serde_json::json!({"old": PASSWORD, "new": "short"})).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().contains("the password has 5 characters; it needs at least 8"), "{}", short.text());
    // The page says it on the form again, with the same status.
    let page = client.post_form("/password", &[("old", PASSWORD), ("new", "12345678")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().contains("this password is too common"), "{}", page.text());
    let wrong_old = client
        .post_json("/api/v1/password", serde_json::json!({"old": "not my password", "new": "fine phrase here"}))
        .await;
    assert_eq!(wrong_old.status, StatusCode::UNAUTHORIZED);
    assert!(accepted(&mut client).await, "nothing changed: the session lives");
    assert_eq!(desk.client().login("fa", PASSWORD).await.status, StatusCode::OK, "the password too");
    let refused = audit(&desk).iter().filter(|r| r["action"] == "password" && r["outcome"] == "refused").count();
    assert_eq!(refused, 4, "each refusal audited");
}

fn assert_security_headers(answer: &Answer, what: &str) {
    let csp = answer.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(
        csp.starts_with("default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'"),
        "{what}: {csp}"
    );
    assert!(!csp.contains("unsafe"), "{what}: {csp}");
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{what}");
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser posts its forms
    // with `Origin: null`, which the origin check must refuse (web::browser found it).
    assert_eq!(answer.header("referrer-policy"), Some("same-origin"), "{what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_security_headers_are_on_every_kind_of_answer() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut anonymous = desk.client();
    let page = anonymous.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_security_headers(&page, "page");
    let redirect = anonymous.get("/").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(redirect.header("location"), Some("/login"));
    assert_security_headers(&redirect, "redirect");
    let missing = anonymous.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_security_headers(&missing, "404 page");
    let refused = anonymous.get("/api/v1/status").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_security_headers(&refused, "API refusal");
    let mut signed = desk.signed_in("fa").await;
    let api = signed.get("/api/v1/status").await;
    assert_security_headers(&api, "API answer");
    assert_eq!(api.header("cache-control"), Some("no-store"), "nothing signed-in is cached");
    let forged = signed.post_json_without_token("/api/v1/logout", serde_json::json!({})).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_security_headers(&forged, "CSRF refusal");
    let style = anonymous.get("/assets/desk.css").await;
    assert_security_headers(&style, "stylesheet");
    assert_eq!(style.header("cache-control"), Some("public, max-age=3600"), "the stylesheet may be cached");
    assert_eq!(page.header("strict-transport-security"), None, "no HSTS over plain HTTP");
}

#[tokio::test(flavor = "multi_thread")]
async fn under_tls_the_cookie_is_host_bound_and_secure_and_hsts_is_sent() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let tls = web::Desk::new(DeskConfig {
        db: desk.ontrack.db.clone(),
        lang: ontrack::lang::Lang::Zh,
        fixed_now: Some(fixed_now()),
        busy_timeout: std::time::Duration::from_secs(30),
        tls: true,
        timeouts: SessionTimeouts::default(),
    });
    let send = |request: Request<Body>| {
        let tls: Arc<web::Desk> = tls.clone();
        async move {
            use http_body_util::BodyExt as _;
            use tower::ServiceExt as _;
            let response = web::router(tls).oneshot(request).await.expect("answer");
            let headers = response.headers().clone();
            let status = response.status();
            let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
            Answer { status, headers, body }
        }
    };
    let login = send(
        Request::post("/api/v1/login")
            .header(header::HOST, "desk.test")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::json!({"username": "fa", "password": PASSWORD}).to_string()))
            .expect("request"),
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
    let cookie = login.header("set-cookie").expect("cookie").to_string();
    assert!(cookie.starts_with("__Host-ontrack_session="), "{cookie}");
    for part in ["; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "a __Host- cookie names no domain: {cookie}");
    assert_eq!(login.header("strict-transport-security"), Some("max-age=31536000"));
    let token = cookie.split(';').next().expect("name=value").to_string();
    let status = send(
        Request::get("/api/v1/status")
            .header(header::HOST, "desk.test")
            .header(header::COOKIE, &token)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_ne!(status.status, StatusCode::UNAUTHORIZED, "the __Host- cookie is the session");
    assert_eq!(status.header("strict-transport-security"), Some("max-age=31536000"));
    let plain_name = token.replace("__Host-ontrack_session", "ontrack_session");
    let plain = send(
        Request::get("/api/v1/status")
            .header(header::HOST, "desk.test")
            .header(header::COOKIE, &plain_name)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(plain.status, StatusCode::UNAUTHORIZED, "under TLS the cookie without the prefix is not read");
}

/// `ontrack serve` started as a person starts it, stopped when dropped.
struct Served {
    child: std::process::Child,
    address: SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const TLS_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

/// Starts the real binary on a port the system picks, and reads the address it says.
fn serve_tls(desk: &Desk) -> Served {
    use std::io::BufRead as _;
    let mut run = desk.ontrack.run_en([
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--tls-cert",
        &format!("{TLS_FIXTURES}/cert.pem"),
        "--tls-key",
        &format!("{TLS_FIXTURES}/key.pem"),
    ]);
    let mut child =
        run.command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().expect("serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the start line");
    let address = line
        .split("https://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("no https address in {line:?}"));
    Served { child, address }
}

/// One HTTPS request over a real TLS connection (rustls, trusting only the test CA);
/// the whole answer as text.
fn https(address: SocketAddr, request: &str) -> String {
    use rustls_pki_types::pem::PemObject as _;
    use std::io::{Read as _, Write as _};
    let mut roots = rustls::RootCertStore::empty();
    let ca = rustls_pki_types::CertificateDer::from_pem_file(format!("{TLS_FIXTURES}/ca.pem")).expect("the test CA");
    roots.add(ca).expect("a CA certificate");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls_pki_types::ServerName::try_from("localhost").expect("a name");
    let connection = rustls::ClientConnection::new(Arc::new(config), name).expect("a TLS client");
    let tcp = std::net::TcpStream::connect(address).expect("connect");
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(30))).expect("timeout");
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    tls.write_all(request.as_bytes()).expect("a TLS handshake the test CA vouches for, and the request");
    let mut answer = Vec::new();
    // The server may close without a TLS close_notify once it has answered: what
    // arrived is the answer.
    let _ = tls.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn serve_speaks_https_with_a_real_certificate_and_secure_cookies() {
    let desk = Desk::new();
    desk.user("fa", "leader", None);
    let served = serve_tls(&desk);
    assert!(served.address.ip().is_loopback() && served.address.port() != 0, "{}", served.address);
    let page = https(served.address, "GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("strict-transport-security: max-age=31536000"), "{page}");
    assert!(page.contains("id=\"username\""), "the sign-in page itself");
    let body = serde_json::json!({"username": "fa", "password": PASSWORD}).to_string();
    let login = https(
        served.address,
        &format!(
            "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    let cookie = login.lines().find(|l| l.to_lowercase().starts_with("set-cookie:")).expect("a cookie");
    assert!(cookie.contains("__Host-ontrack_session=") && cookie.contains("; Secure"), "{cookie}");
    // Plain HTTP to the HTTPS port gets no HTTP answer.
    use std::io::{Read as _, Write as _};
    let mut tcp = std::net::TcpStream::connect(served.address).expect("connect");
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(15))).expect("timeout");
    tcp.write_all(b"GET /login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").expect("send");
    let mut plain = Vec::new();
    let _ = tcp.read_to_end(&mut plain);
    assert!(!plain.starts_with(b"HTTP/"), "{}", String::from_utf8_lossy(&plain));
}

/// Runs the command and waits at most 30 s (a desk that started instead of refusing
/// would serve forever).
fn finishes(mut run: crate::support::Run) -> (i32, String) {
    let mut child =
        run.command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().expect("serve");
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr).expect("stderr");
            return (status.code().unwrap_or(-1), stderr);
        }
        if start.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve started instead of refusing");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn serve_refuses_a_missing_or_bad_certificate_or_key_plainly() {
    let desk = Desk::new();
    let garbage = desk.ontrack.file("garbage.pem", "not a certificate\n");
    let cert = format!("{TLS_FIXTURES}/cert.pem");
    let key = format!("{TLS_FIXTURES}/key.pem");
    let missing = desk.ontrack.path("missing.pem");
    let cases: [(&str, &str, &str); 4] = [
        (missing.to_str().expect("path"), &key, "missing.pem"),
        (garbage.to_str().expect("path"), &key, "no certificate"),
        (&cert, garbage.to_str().expect("path"), "garbage.pem"),
        (&cert, &cert, "cert.pem"),
    ];
    for (cert, key, detail) in cases {
        for (en, message) in [(true, "cannot read the TLS certificate or key"), (false, "无法读取 TLS 证书或私钥")]
        {
            let args = ["serve", "--bind", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key];
            let run = if en { desk.ontrack.run_en(args) } else { desk.ontrack.run(args) };
            let (code, stderr) = finishes(run);
            assert_eq!(code, 1, "{cert} {key}: {stderr}");
            assert!(
                stderr.contains(message) && stderr.contains(detail),
                "{cert} {key}: {message}, {detail} in {stderr}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn text_from_a_plan_is_escaped_in_a_page() {
    let ontrack = crate::support::Ontrack::new();
    let hostile = "<script>alert(1)</script>\"'&";
    let plan = ontrack::plan::BUILTIN_PLAN_TOML.replacen("org = \"金水区\"", &format!("org = {hostile:?}"), 1);
    assert!(plan.contains("<script>"), "the plan carries the hostile name");
    let file = ontrack.file("plan.toml", plan);
    ontrack.run(["init", "--plan", file.to_str().expect("path")]).success();
    // A figure, so the dashboard has a status and a chart to draw around the name.
    ontrack.run(["record", "gdp-growth", "2020Q1", "-5.2"]).success();
    let desk = Desk::over(ontrack);
    desk.user("boss", "leader", None);
    let mut client = desk.signed_in("boss").await;
    let page = client.get("/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown, escaped:\n{text}");
    assert!(!text.contains("<script"), "no script element in the page:\n{text}");
    assert_security_headers(&page, "dashboard");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_needs_the_sessions_token_in_its_field_and_our_own_origin() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区发改委"));
    let mut client = desk.signed_in("fa").await;
    let wrong = client.post_form("/logout", &[("csrf", &"0".repeat(64))]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.text());
    assert_security_headers(&wrong, "CSRF refusal page");
    let csrf = client.csrf.clone().expect("a token");
    let from_elsewhere = Request::post("/logout")
        .header(header::HOST, "desk.test")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, format!("ontrack_session={}", client.cookie.clone().expect("a session")))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .expect("request");
    assert_eq!(client.send(from_elsewhere).await.status, StatusCode::FORBIDDEN, "the right token from another site");
    assert!(accepted(&mut client).await, "neither ended the session");
    let denied = audit(&desk).iter().filter(|r| r["outcome"] == "denied").count();
    assert_eq!(denied, 2, "both refusals audited");
    let right = client.post_form("/logout", &[]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "the token in the form's field");
    assert_eq!(sessions(&desk), 0);
}
