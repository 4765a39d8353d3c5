//! The web desk (`ontrack serve`, docs/SECURITY.md, docs/web-desk.md): the same
//! database served to browsers and programs. Handlers are thin doors: each takes a user
//! the session layer has checked (`session.rs`), asks `access::can`, and calls the same
//! library code the command line calls; SQLite work runs on blocking threads
//! (`db.rs`). Pages (`pages/`) are maud templates; `api.rs` is `/api/v1`.

mod api;
mod compressed;
mod db;
mod entry;
mod error;
mod fresh;
mod layout;
mod limit;
mod pages;
mod plans;
mod review;
mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};

pub use db::Db;
pub use error::Problem;
pub use session::PeerAddr;

use crate::lang::Lang;
use crate::store::Clock;

/// How the desk runs: fixed at start.
#[derive(Debug, Clone)]
pub struct DeskConfig {
    pub db: PathBuf,
    /// The language of a page before anyone chooses (Chinese).
    pub lang: Lang,
    /// `ONTRACK_NOW`, for tests and demos; `None` reads the system clock per request.
    pub fixed_now: Option<DateTime<Utc>>,
    pub busy_timeout: Duration,
    /// Served over TLS: cookies are `Secure` and `__Host-`, HSTS is sent.
    pub tls: bool,
    pub timeouts: SessionTimeouts,
}

/// When a session ends unused and in any case (ASVS 3.3: 30 minutes idle, 8 hours).
#[derive(Debug, Clone, Copy)]
pub struct SessionTimeouts {
    pub idle: chrono::Duration,
    pub absolute: chrono::Duration,
}

impl Default for SessionTimeouts {
    fn default() -> SessionTimeouts {
        SessionTimeouts { idle: chrono::Duration::minutes(30), absolute: chrono::Duration::hours(8) }
    }
}

/// How many reads are answered at once (`session::ReadTurns`): one. Fifty readers of
/// the dashboard then leave the writers the cores: write p99 184 ms → 79 ms, reads p99
/// 43 → 96 ms (BENCHMARKS.md, the desk under load).
const READS_AT_ONCE: usize = 1;

/// How old a dashboard may be before the data is looked at again: readers see a
/// figure at most this long after it is stored.
const DASHBOARD_MAX_AGE: Duration = Duration::from_secs(1);

/// What every handler shares.
pub struct Desk {
    pub config: DeskConfig,
    pub db: Arc<Db>,
    pub limiter: limit::Limiter,
    /// The fixed clock as it stands now: `config.fixed_now` at start, moved on by
    /// [`Desk::set_now`] (tests of the session timeouts). `None` reads the system clock.
    fixed: RwLock<Option<DateTime<Utc>>>,
    /// The plan entries are checked against, while it is current.
    pub plans: plans::PlanCache,
    /// The dashboard's view per language, at most a second old (`fresh.rs`).
    pub(crate) dashboards: fresh::Fresh<crate::store::DataStamp, pages::dashboard::DashboardBody>,
    /// Reads take turns (`session::ReadTurns`).
    pub(crate) reads: session::ReadTurns,
}

impl Desk {
    pub fn new(config: DeskConfig) -> Arc<Desk> {
        crate::commands::LONG_LIVED.store(true, std::sync::atomic::Ordering::Relaxed);
        let db = Arc::new(Db::new(config.db.clone(), config.busy_timeout));
        let fixed = RwLock::new(config.fixed_now);
        Arc::new(Desk {
            config,
            db,
            limiter: limit::Limiter::default(),
            fixed,
            plans: plans::PlanCache::default(),
            dashboards: fresh::Fresh::new(DASHBOARD_MAX_AGE),
            reads: session::ReadTurns::new(READS_AT_ONCE),
        })
    }

    fn fixed_now(&self) -> Option<DateTime<Utc>> {
        *self.fixed.read().unwrap_or_else(|e| e.into_inner())
    }

    /// "Now" for this request.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now().unwrap_or_else(Utc::now)
    }

    /// Moves a fixed clock to `now` (tests: a session left idle for 31 minutes). A
    /// desk on the system clock stays on it: only a desk started with `fixed_now`
    /// (`ONTRACK_NOW`) has a clock to move.
    pub fn set_now(&self, now: DateTime<Utc>) {
        let mut fixed = self.fixed.write().unwrap_or_else(|e| e.into_inner());
        if fixed.is_some() {
            *fixed = Some(now);
        }
    }

    /// The clock writes are stamped by.
    pub fn clock(&self) -> Clock {
        self.fixed_now().map_or(Clock::System, Clock::Set)
    }

    /// A command-line context for this request, so a handler calls exactly what the
    /// command calls.
    pub fn context(&self, lang: Lang) -> crate::commands::Context {
        crate::commands::Context {
            db: self.config.db.clone(),
            lang,
            now: self.now(),
            now_fixed: self.fixed_now().is_some(),
            busy_timeout: self.config.busy_timeout,
        }
    }
}

/// Every route of the desk, with the session and security layers around them.
pub fn router(desk: Arc<Desk>) -> Router {
    let api = Router::new()
        .route("/login", post(api::login))
        .route("/logout", post(api::logout))
        .route("/password", post(api::password))
        .route("/status", get(api::status))
        .route("/figures", get(review::figures).post(entry::post_figures))
        .route("/figures/{id}/{action}", post(review::review_one))
        .route("/completeness", get(review::completeness));
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/entry", get(pages::entry_page).post(pages::entry_save))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/password", get(pages::password_form).post(pages::password))
        .route("/review", get(pages::review_queue).post(pages::review_submit))
        .route("/completeness", get(pages::completeness))
        .route("/targets/{code}", get(pages::target_page))
        .route("/compare", get(pages::compare_page))
        .route("/reports", get(pages::reports))
        .route("/reports/download", get(pages::download_report))
        .route("/accounts", get(pages::accounts).post(pages::add_account))
        .route("/accounts/{name}/{action}", post(pages::change_account))
        .route("/assets/desk.css", get(pages::stylesheet))
        .nest("/api/v1", api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(desk.clone(), session::guard))
        .with_state(desk)
}

/// Serves the desk until interrupted (Ctrl-C or SIGTERM), finishing requests under way.
pub async fn serve(desk: Arc<Desk>, bind: SocketAddr, tls: Option<Arc<rustls::ServerConfig>>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    serve_on(desk, listener, tls).await
}

/// Serves the desk on a bound listener (`serve` binds one; `ontrack serve` binds it
/// first to say the address really bound, port 0 included).
pub async fn serve_on(
    desk: Arc<Desk>,
    listener: tokio::net::TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<()> {
    let app = router(desk).into_make_service_with_connect_info::<session::PeerAddr>();
    match tls {
        None => axum::serve(listener, app).with_graceful_shutdown(shutdown()).await,
        Some(config) => {
            let listener = session::TlsListener::new(listener, config);
            axum::serve(listener, app).with_graceful_shutdown(shutdown()).await
        }
    }
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The TLS settings from a PEM certificate chain and key.
pub fn tls_config(cert: &std::path::Path, key: &std::path::Path) -> Result<Arc<rustls::ServerConfig>, String> {
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate", cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Polls a future once, for tests of what waits: `Some` with its output if it was ready.
#[cfg(test)]
pub(crate) async fn poll_once<F: std::future::Future + Unpin>(mut future: F) -> Option<F::Output> {
    std::future::poll_fn(|context| match std::pin::Pin::new(&mut future).poll(context) {
        std::task::Poll::Ready(output) => std::task::Poll::Ready(Some(output)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await
}
