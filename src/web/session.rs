//! Sessions, CSRF and security headers, in one middleware (`guard`) that every request
//! passes: handlers receive a user it has already checked (`SignedIn`, `Signed`), and
//! a state-changing request without the session's token, or from another origin, never
//! reaches them.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::error::{reject, Problem};
use super::Desk;
use crate::accounts::{self, AccountError, User};
use crate::error::StoreError;
use crate::lang::Lang;
use crate::store::{AuditEntry, Outcome};

const COOKIE: &str = "ontrack_session";
/// Under TLS: `__Host-` binds the cookie to this host, path `/` and `Secure`.
const COOKIE_TLS: &str = "__Host-ontrack_session";
const LANG_COOKIE: &str = "ontrack_lang";
/// The header a program sends the session's token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The field a form sends it in.
pub use super::layout::CSRF_FIELD;
/// The largest body read (a form of a period's figures is a few KiB).
pub const BODY_LIMIT: usize = 1 << 20;
/// `last_seen_at` is written at most this often per session, so readers do not queue
/// for the write lock on every page.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A checked session: its account may act (not disabled, in time).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub csrf: String,
    pub id_hash: String,
}

/// The language of this request: `?lang=`, else the language cookie, else the desk's.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

/// Whether the request is to `/api/` (nested routers see their path without it).
#[derive(Debug, Clone, Copy)]
pub struct IsApi(pub bool);

/// The client's address, for the audit log and the sign-in limits.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

fn cookie_name(desk: &Desk) -> &'static str {
    if desk.config.tls {
        COOKIE_TLS
    } else {
        COOKIE
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The `Set-Cookie` value that gives the browser session `token`.
pub fn session_cookie(desk: &Desk, token: &str) -> HeaderValue {
    let secure = if desk.config.tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}", cookie_name(desk)))
        .expect("a hex token is a valid header")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(desk: &Desk) -> HeaderValue {
    let secure = if desk.config.tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}", cookie_name(desk)))
        .expect("a valid header")
}

/// Starts a session for `user`: a new random id (never one the client offered), its
/// hash stored with a new CSRF token. Returns (id, csrf).
pub async fn start(desk: &Arc<Desk>, user: &User, address: &str) -> Result<(String, String), Problem> {
    let token = accounts::random_token();
    let csrf = accounts::random_token();
    let id_hash = accounts::token_hash(&token);
    let entry = AuditEntry {
        at: desk.now(),
        actor: Some(user.name.clone()),
        address: address.to_string(),
        action: "login".into(),
        outcome: Outcome::Ok,
        detail: String::new(),
    };
    let user_id = user.id;
    let stored_csrf = csrf.clone();
    let mut refused = entry.clone();
    let started = desk
        .db
        .write(move |store| match store.start_session(user_id, &id_hash, &stored_csrf, &entry) {
            Ok(()) => Ok(true),
            // Disabled between the password check and now: refused as any sign-in of
            // a disabled account is, and audited so.
            Err(StoreError::Account(AccountError::Disabled { .. })) => {
                refused.outcome = Outcome::Refused;
                refused.detail = "account disabled".into();
                store.audit(&refused)?;
                Ok(false)
            }
            Err(other) => Err(Problem::from(other)),
        })
        .await?;
    if started {
        Ok((token, csrf))
    } else {
        Err(Problem::BadLogin)
    }
}

/// Checks a name and password, with the sign-in limits; audited either way. Returns
/// the account.
pub async fn check_login(desk: &Arc<Desk>, name: &str, password: &str, address: &str) -> Result<User, Problem> {
    let now = desk.now();
    let name = name.trim().to_string();
    let audit = |outcome: Outcome, detail: &str| AuditEntry {
        at: now,
        actor: Some(name.chars().take(64).collect()),
        address: address.to_string(),
        action: "login".into(),
        outcome,
        detail: detail.to_string(),
    };
    if !desk.limiter.allows(address, &name, now) {
        let entry = audit(Outcome::Denied, "too many failed attempts");
        desk.db.write(move |store| Ok(store.audit(&entry)?)).await?;
        return Err(Problem::TooMany);
    }
    let lookup = name.clone();
    let found = desk.db.read(move |store| Ok(store.user_for_login(&lookup)?)).await?;
    let password = password.to_string();
    // The hash is checked even for an unknown account, against a decoy, so the answer
    // takes as long either way.
    let (user, ok) = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => {
            let ok = accounts::verify_password(&hash, &password);
            (Some(user), ok)
        }
        None => {
            accounts::verify_password(accounts::decoy_hash(), &password);
            (None, false)
        }
    })
    .await
    .map_err(|_| Problem::Internal)?;
    match user {
        Some(user) if ok && !user.disabled => {
            desk.limiter.succeeded(&name);
            Ok(user)
        }
        user => {
            desk.limiter.failed(address, &name, now);
            let why = match user {
                None => "unknown account",
                Some(user) if user.disabled => "account disabled",
                Some(_) => "wrong password",
            };
            let entry = audit(Outcome::Refused, why);
            desk.db.write(move |store| Ok(store.audit(&entry)?)).await?;
            Err(Problem::BadLogin)
        }
    }
}

/// Checks the old password and the new one, sets it, and starts a new session (the
/// change ends every session of the account). Shared by the page and the API.
pub async fn change_password(
    desk: &Arc<Desk>,
    signed: &SignedIn,
    old: &str,
    new: &str,
    address: &str,
) -> Result<(String, String), Problem> {
    let name = signed.user.name.clone();
    let refused = |detail: &str| AuditEntry {
        at: desk.now(),
        actor: Some(name.clone()),
        address: address.to_string(),
        action: "password".into(),
        outcome: Outcome::Refused,
        detail: detail.to_string(),
    };
    let lookup = name.clone();
    let Some((user, hash)) = desk.db.read(move |store| Ok(store.user_for_login(&lookup)?)).await? else {
        return Err(Problem::NotSignedIn);
    };
    let (old, new_password) = (old.to_string(), new.to_string());
    let check_name = name.clone();
    let checked = tokio::task::spawn_blocking(move || {
        if !accounts::verify_password(&hash, &old) {
            return Err(None);
        }
        if old == new_password {
            return Err(Some(accounts::PasswordProblem::Unchanged));
        }
        accounts::check_password(&new_password, &check_name).map_err(Some)?;
        Ok(accounts::hash_password(&new_password))
    })
    .await
    .map_err(|_| Problem::Internal)?;
    let new_hash = match checked {
        Ok(hash) => hash,
        Err(problem) => {
            let entry = refused(if problem.is_some() { "new password refused" } else { "wrong old password" });
            desk.db.write(move |store| Ok(store.audit(&entry)?)).await?;
            return Err(match problem {
                None => Problem::BadLogin,
                Some(problem) => Problem::from(StoreError::Account(AccountError::Password(problem))),
            });
        }
    };
    let mut entry = refused("");
    entry.outcome = Outcome::Ok;
    desk.db.write(move |store| Ok(store.set_password(&name, &new_hash, false, &entry)?)).await?;
    let mut user = user;
    user.must_change_password = false;
    start(desk, &user, address).await
}

/// Ends the session and audits it.
pub async fn end(desk: &Arc<Desk>, signed: &SignedIn, address: &str) -> Result<(), Problem> {
    let entry = AuditEntry {
        at: desk.now(),
        actor: Some(signed.user.name.clone()),
        address: address.to_string(),
        action: "logout".into(),
        outcome: Outcome::Ok,
        detail: String::new(),
    };
    let id_hash = signed.id_hash.clone();
    desk.db.write(move |store| Ok(store.end_session(&id_hash, Some(&entry))?)).await
}

/// Appends a denial to the audit log (a missing token, a role or unit refused).
pub async fn audit_denied(desk: &Arc<Desk>, actor: Option<&str>, address: &str, action: &str, detail: &str) {
    let entry = AuditEntry {
        at: desk.now(),
        actor: actor.map(str::to_string),
        address: address.to_string(),
        action: action.to_string(),
        outcome: Outcome::Denied,
        detail: detail.chars().take(500).collect(),
    };
    if let Err(problem) = desk.db.write(move |store| Ok(store.audit(&entry)?)).await {
        eprintln!("ontrack serve: could not write the audit log: {problem:?}");
    }
}

/// The session the request's cookie names, if it is live; an expired one is ended.
async fn live_session(desk: &Arc<Desk>, headers: &HeaderMap) -> Result<Option<SignedIn>, Problem> {
    let Some(token) = cookie(headers, cookie_name(desk)) else {
        return Ok(None);
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id_hash = accounts::token_hash(token);
    let lookup = id_hash.clone();
    let Some(record) = desk.db.read(move |store| Ok(store.session(&lookup)?)).await? else {
        return Ok(None);
    };
    let now = desk.now();
    let timeouts = desk.config.timeouts;
    let expired = now - record.last_seen_at > timeouts.idle || now - record.created_at > timeouts.absolute;
    if expired || record.user.disabled {
        let gone = id_hash.clone();
        desk.db.write(move |store| Ok(store.end_session(&gone, None)?)).await?;
        return Ok(None);
    }
    if (now - record.last_seen_at).num_seconds() >= TOUCH_EVERY_SECONDS {
        let seen = id_hash.clone();
        desk.db.write(move |store| Ok(store.touch_session(&seen, now)?)).await?;
    }
    Ok(Some(SignedIn { user: record.user, csrf: record.csrf, id_hash }))
}

fn request_lang(desk: &Desk, parts_uri: &axum::http::Uri, headers: &HeaderMap) -> (Lang, bool) {
    let from_query =
        parts_uri.query().unwrap_or("").split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(lang_from);
    match from_query {
        Some(lang) => (lang, true),
        None => (cookie(headers, LANG_COOKIE).and_then(lang_from).unwrap_or(desk.config.lang), false),
    }
}

fn lang_from(text: &str) -> Option<Lang> {
    match text {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// Whether a state-changing request comes from our own pages: an `Origin` (or, without
/// one, a `Referer`) that names another host is refused. Programs send neither.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return true;
    };
    let origin =
        headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|value| value.to_str().ok());
    match origin {
        None => true,
        // A sandboxed or privacy-stripped origin: not ours.
        Some("null") => false,
        Some(origin) => {
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            rest.is_some_and(|rest| rest.split('/').next() == Some(host))
        }
    }
}

/// Requests that change nothing (pages, reads of the API) take turns, a few at a
/// time, while those that log, review or sign in go straight on: fifty people
/// reloading the dashboard must not take the two cores from those entering figures.
/// The turn is held until the answer is made (not while it is sent), or until the
/// handler ends it ([`ReadTurn::end`]) to wait for something long. A report download
/// takes no turn: it may take seconds, and every page would wait for it.
pub struct ReadTurns(Arc<tokio::sync::Semaphore>);

impl ReadTurns {
    pub fn new(at_once: usize) -> ReadTurns {
        ReadTurns(Arc::new(tokio::sync::Semaphore::new(at_once)))
    }

    /// Waits for the request's turn, if it takes one; the turn ends when the last
    /// clone of it is dropped, or at [`ReadTurn::end`].
    pub async fn wait(&self, method: &Method, path: &str) -> Option<ReadTurn> {
        if is_state_changing(method) || path == "/reports/download" {
            return None;
        }
        // Never closed, so acquiring fails never.
        let permit = self.0.clone().acquire_owned().await.ok()?;
        Some(ReadTurn(Arc::new(std::sync::Mutex::new(Some(permit)))))
    }
}

/// A read's turn, in the request's extensions for the handler.
#[derive(Clone)]
pub struct ReadTurn(Arc<std::sync::Mutex<Option<tokio::sync::OwnedSemaphorePermit>>>);

impl ReadTurn {
    /// Lets the next read go: the handler is about to wait for work that others'
    /// reads need not wait for (the dashboard's computation, shared by all).
    pub fn end(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The paths a request without a session may post to.
fn signs_in(path: &str) -> bool {
    matches!(path, "/login" | "/api/v1/login")
}

/// Every request: language, client address, session, CSRF token and origin of a
/// state-changing request, then the security headers on whatever is answered.
pub async fn guard(State(desk): State<Arc<Desk>>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    // Before the session's check, which is most of a read's work (now and then it
    // waits for the writer to note the session's use, holding the turn meanwhile).
    let turn = desk.reads.wait(&parts.method, parts.uri.path()).await;
    if let Some(turn) = &turn {
        parts.extensions.insert(turn.clone());
    }
    let api = parts.uri.path().starts_with("/api/");
    let (lang, chosen) = request_lang(&desk, &parts.uri, &parts.headers);
    let address = parts
        .extensions
        .get::<ConnectInfo<PeerAddr>>()
        .map_or_else(|| "unknown".to_string(), |ConnectInfo(PeerAddr(addr))| addr.ip().to_string());
    parts.extensions.insert(RequestLang(lang));
    parts.extensions.insert(IsApi(api));
    parts.extensions.insert(ClientAddress(address.clone()));
    let refuse = |problem: Problem| with_headers(&desk, reject(problem, api, lang));
    let signed = match live_session(&desk, &parts.headers).await {
        Ok(signed) => signed,
        Err(problem) => return refuse(problem),
    };
    let mut body = body;
    if is_state_changing(&parts.method) {
        if !same_origin(&parts.headers) {
            audit_denied(
                &desk,
                signed.as_ref().map(|s| s.user.name.as_str()),
                &address,
                parts.uri.path(),
                "cross-origin request",
            )
            .await;
            return refuse(Problem::BadToken);
        }
        if !signs_in(parts.uri.path()) {
            let Some(signed) = &signed else {
                return refuse(Problem::NotSignedIn);
            };
            let (token, kept) = match csrf_token(&parts.headers, body).await {
                Ok(found) => found,
                Err(problem) => return refuse(problem),
            };
            body = kept;
            if !token.is_some_and(|token| accounts::same_secret(&token, &signed.csrf)) {
                audit_denied(&desk, Some(&signed.user.name), &address, parts.uri.path(), "missing or wrong CSRF token")
                    .await;
                return refuse(Problem::BadToken);
            }
        }
    }
    if let Some(signed) = signed {
        parts.extensions.insert(signed);
    }
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if chosen {
        let value = format!("{LANG_COOKIE}={}; Path=/; SameSite=Strict", if lang == Lang::En { "en" } else { "zh" });
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    with_headers(&desk, response)
}

/// The CSRF token of a request: its header, else (for a form) its `csrf` field. The
/// body is read to find it and handed on unchanged.
async fn csrf_token(headers: &HeaderMap, body: Body) -> Result<(Option<String>, Body), Problem> {
    if let Some(token) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((Some(token.to_string()), body));
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, body));
    }
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| Problem::Unprocessable(Vec::new()))?;
    let token = form_urlencoded_field(&bytes, CSRF_FIELD);
    Ok((token, Body::from(bytes)))
}

fn form_urlencoded_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded_pairs(bytes).into_iter().find(|(key, _)| key == name).map(|(_, value)| value)
}

/// The pairs of a form body (`a=1&b=x%20y`).
fn serde_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    let decode = |text: &str| -> String {
        let bytes = text.as_bytes();
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(bytes)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (decode(key), decode(value)))
        .collect()
}

/// The security headers of every answer (OWASP's secure headers).
fn with_headers(desk: &Desk, mut response: Response) -> Response {
    let headers = response.headers_mut();
    let cache_set = headers.contains_key(header::CACHE_CONTROL);
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    // Not `no-referrer`: under it a browser sends `Origin: null` with every form it
    // posts (Fetch, "serializing a request origin"), and `same_origin` refuses them all.
    // `same-origin` still tells other sites nothing (tests/integration/web/browser.rs).
    set(header::REFERRER_POLICY, "same-origin");
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    set(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), payment=()");
    if !cache_set {
        set(header::CACHE_CONTROL, "no-store");
    }
    if desk.config.tls {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    response
}

/// A signed-in user who may act: not signed in with a one-time password. Refused
/// with 401 (or the sign-in page), or 403 (or the password page).
pub struct Signed(pub SignedIn);

/// A signed-in user, one-time password or not: only the password change and sign-out take it.
pub struct AnySession(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for AnySession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<RequestLang>().map_or(Lang::Zh, |l| l.0);
        let api = parts.extensions.get::<IsApi>().is_some_and(|a| a.0);
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .map(AnySession)
            .ok_or_else(|| reject(Problem::NotSignedIn, api, lang))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let AnySession(signed) = AnySession::from_request_parts(parts, state).await?;
        if signed.user.must_change_password {
            let lang = parts.extensions.get::<RequestLang>().map_or(Lang::Zh, |l| l.0);
            let api = parts.extensions.get::<IsApi>().is_some_and(|a| a.0);
            return Err(reject(Problem::MustChangePassword, api, lang));
        }
        Ok(Signed(signed))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<RequestLang>().copied().unwrap_or(RequestLang(Lang::Zh)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ClientAddress>().cloned().unwrap_or(ClientAddress("unknown".into())))
    }
}

/// The address a connection comes from, over plain TCP or TLS.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, tokio::net::TcpListener>> for PeerAddr {
    fn connect_info(stream: axum::serve::IncomingStream<'_, tokio::net::TcpListener>) -> PeerAddr {
        PeerAddr(*stream.remote_addr())
    }
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, TlsListener>> for PeerAddr {
    fn connect_info(stream: axum::serve::IncomingStream<'_, TlsListener>) -> PeerAddr {
        PeerAddr(*stream.remote_addr())
    }
}

/// TLS on a TCP listener, for `axum::serve`: a handshake that fails drops that
/// connection only.
pub struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl TlsListener {
    pub fn new(tcp: tokio::net::TcpListener, config: Arc<rustls::ServerConfig>) -> TlsListener {
        TlsListener { tcp, acceptor: tokio_rustls::TlsAcceptor::from(config) }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (stream, addr) = match self.tcp.accept().await {
                Ok(accepted) => accepted,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            let handshake = tokio::time::timeout(std::time::Duration::from_secs(10), self.acceptor.accept(stream));
            if let Ok(Ok(tls)) = handshake.await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

#[cfg(test)]
mod tests {
    /// A read waits while the reads' turn is taken; a write, a sign-in and a report
    /// download go straight on; the turn passes on when the first read is answered.
    #[tokio::test]
    async fn reads_take_turns_and_writes_go_straight_on() {
        let turns = super::ReadTurns::new(1);
        let first = turns.wait(&Method::GET, "/").await;
        assert!(first.is_some());
        let waiting = turns.wait(&Method::GET, "/api/v1/status");
        tokio::pin!(waiting);
        assert!(crate::web::poll_once(waiting.as_mut()).await.is_none(), "a second read waits");
        assert!(turns.wait(&Method::POST, "/api/v1/figures").await.is_none(), "a write takes no turn");
        assert!(turns.wait(&Method::POST, "/login").await.is_none());
        assert!(turns.wait(&Method::GET, "/reports/download").await.is_none(), "nor a download");
        drop(first);
        let second = waiting.await.expect("the read's turn comes");
        // Ended by the handler while the request (and the middleware's clone) lives on.
        let kept = second.clone();
        let third = turns.wait(&Method::GET, "/");
        tokio::pin!(third);
        assert!(crate::web::poll_once(third.as_mut()).await.is_none());
        kept.end();
        assert!(third.await.is_some(), "the next read goes once the turn is ended");
        drop(second);
    }

    use super::*;

    #[test]
    fn form_fields_are_decoded() {
        let pairs = serde_urlencoded_pairs(b"csrf=ab%2Fc&value=6.5%25&name=a+b&x");
        assert_eq!(form_urlencoded_field(b"csrf=ab%2Fc&value=6.5%25", "csrf").as_deref(), Some("ab/c"));
        assert_eq!(pairs[1], ("value".to_string(), "6.5%".to_string()));
        assert_eq!(pairs[2], ("name".to_string(), "a b".to_string()));
    }

    #[test]
    fn only_our_own_origin_may_change_state() {
        let headers = |pairs: &[(HeaderName, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
            }
            map
        };
        assert!(same_origin(&headers(&[(header::HOST, "desk:8080")])));
        assert!(same_origin(&headers(&[(header::HOST, "desk:8080"), (header::ORIGIN, "http://desk:8080")])));
        assert!(!same_origin(&headers(&[(header::HOST, "desk:8080"), (header::ORIGIN, "http://evil.example")])));
        assert!(!same_origin(&headers(&[(header::HOST, "desk:8080"), (header::ORIGIN, "null")])));
        assert!(!same_origin(&headers(&[(header::HOST, "desk:8080"), (header::REFERER, "https://desk:8080.evil/x")])));
        assert!(same_origin(&headers(&[(header::HOST, "desk:8080"), (header::REFERER, "http://desk:8080/entry")])));
    }
}
