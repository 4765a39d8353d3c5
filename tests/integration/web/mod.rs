//! The web desk driven in process: the real router (`ontrack::web::router`) over a
//! real database, each request through every layer (session, CSRF, headers), as a
//! browser or a program sends it. `Desk::new()` is a database with the built-in plan;
//! accounts are added with the real `ontrack user add`.

#![allow(dead_code)]

mod accounts;
mod browser;
mod compare;
mod entry;
mod load;
mod reports_accounts;
mod review;
mod security;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt as _;
use ontrack::web::{self, DeskConfig, SessionTimeouts};
use tower::ServiceExt as _;

use crate::support::{Ontrack, FIXED_NOW};

/// A password every test account gets (`--password-stdin`).
pub const PASSWORD: &str = "correct horse battery";

/// A database and the desk over it.
pub struct Desk {
    pub ontrack: Ontrack,
    pub desk: Arc<web::Desk>,
}

impl Desk {
    /// The built-in plan, no figures, no accounts.
    pub fn new() -> Desk {
        Desk::over(Ontrack::init())
    }

    /// The desk over an existing test database, at the tests' fixed clock.
    pub fn over(ontrack: Ontrack) -> Desk {
        let now = ontrack::time::parse_timestamp(&ontrack.now).expect("fixed now");
        Desk::at(ontrack, now, SessionTimeouts::default())
    }

    pub fn at(ontrack: Ontrack, now: chrono::DateTime<chrono::Utc>, timeouts: SessionTimeouts) -> Desk {
        let desk = web::Desk::new(DeskConfig {
            db: ontrack.db.clone(),
            lang: ontrack::lang::Lang::Zh,
            fixed_now: Some(now),
            busy_timeout: std::time::Duration::from_secs(30),
            tls: false,
            timeouts,
        });
        Desk { ontrack, desk }
    }

    /// Adds an account with [`PASSWORD`] through `ontrack user add`.
    pub fn user(&self, name: &str, role: &str, unit: Option<&str>) -> &Desk {
        let mut args = vec!["user", "add", name, "--role", role, "--password-stdin"];
        if let Some(unit) = unit {
            args.extend(["--unit", unit]);
        }
        let mut run = self.ontrack.run(args);
        run.stdin(format!("{PASSWORD}\n"));
        run.success();
        self
    }

    /// A client without a session.
    pub fn client(&self) -> Client {
        Client { desk: self.desk.clone(), cookie: None, csrf: None, lang: None }
    }

    /// A client signed in through `POST /api/v1/login`.
    pub async fn signed_in(&self, name: &str) -> Client {
        let mut client = self.client();
        let answer = client.login(name, PASSWORD).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        client
    }
}

impl Default for Desk {
    fn default() -> Desk {
        Desk::new()
    }
}

/// An answer: status, headers, body.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A browser or program: keeps the session cookie and the CSRF token it was given.
pub struct Client {
    desk: Arc<web::Desk>,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    /// `?lang=` is not sent; a language cookie is, when set.
    pub lang: Option<&'static str>,
}

impl Client {
    /// Sends a request through the whole router; keeps a new session cookie.
    pub async fn send(&mut self, request: Request<Body>) -> Answer {
        let response = web::router(self.desk.clone()).oneshot(request).await.expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        for cookie in headers.get_all(header::SET_COOKIE) {
            let text = cookie.to_str().unwrap_or_default();
            if let Some(rest) = text.strip_prefix("ontrack_session=") {
                let value = rest.split(';').next().unwrap_or_default();
                self.cookie = (!value.is_empty()).then(|| value.to_string());
            }
        }
        let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        Answer { status, headers, body }
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path).header(header::HOST, "desk.test");
        let mut cookies = Vec::new();
        if let Some(cookie) = &self.cookie {
            cookies.push(format!("ontrack_session={cookie}"));
        }
        if let Some(lang) = self.lang {
            cookies.push(format!("ontrack_lang={lang}"));
        }
        if !cookies.is_empty() {
            builder = builder.header(header::COOKIE, cookies.join("; "));
        }
        builder
    }

    /// A request carrying the session's cookies and these headers as well.
    pub fn request_with(&self, method: Method, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder = self.request(method, path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).expect("request")
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let request = self.request(Method::GET, path).body(Body::empty()).expect("request");
        self.send(request).await
    }

    /// A JSON POST carrying the session's token in `X-CSRF-Token`.
    pub async fn post_json(&mut self, path: &str, body: serde_json::Value) -> Answer {
        let mut builder = self.request(Method::POST, path).header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = &self.csrf {
            builder = builder.header("x-csrf-token", csrf);
        }
        let request = builder.body(Body::from(body.to_string())).expect("request");
        self.send(request).await
    }

    /// A JSON POST without the token, whatever the client holds.
    pub async fn post_json_without_token(&mut self, path: &str, body: serde_json::Value) -> Answer {
        let builder = self.request(Method::POST, path).header(header::CONTENT_TYPE, "application/json");
        let request = builder.body(Body::from(body.to_string())).expect("request");
        self.send(request).await
    }

    /// A form POST as a browser sends it: the token in the `csrf` field (added when
    /// the client holds one and the fields do not name it).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut pairs: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if let Some(csrf) = &self.csrf {
            if !pairs.iter().any(|(k, _)| k == "csrf") {
                pairs.push(("csrf".into(), csrf.clone()));
            }
        }
        let body = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, "http://desk.test")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// `POST /api/v1/login`; keeps the cookie and the token.
    pub async fn login(&mut self, name: &str, password: &str) -> Answer {
        let answer =
            self.post_json("/api/v1/login", serde_json::json!({ "username": name, "password": password })).await;
        if answer.status == StatusCode::OK {
            self.csrf = answer.json()["csrf"].as_str().map(str::to_string);
        }
        answer
    }
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The fixed clock of these tests, as the desk reads it.
pub fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    ontrack::time::parse_timestamp(FIXED_NOW).expect("fixed now")
}
