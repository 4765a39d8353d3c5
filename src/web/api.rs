//! `/api/v1`: the desk for programs. Same field names and rules as the command line's
//! JSON: each read calls the command's own code (`commands::*::run_into`) and answers
//! its bytes.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::error::{ApiProblem, Problem};
use super::session::{self, AnySession, ClientAddress, RequestLang, Signed};
use super::Desk;
use crate::access::{can, Action};

use crate::error::StoreError;
use crate::lang::Lang;
use crate::output::ListFormat;

type ApiResult = Result<Response, ApiProblem>;

fn fail(lang: Lang) -> impl Fn(Problem) -> ApiProblem {
    move |problem| ApiProblem(problem, lang)
}

#[derive(Deserialize)]
pub struct Login {
    username: String,
    password: String,
}

#[derive(Serialize)]
struct LoginAnswer<'a> {
    csrf: &'a str,
    role: &'static str,
    unit: Option<&'a str>,
    must_change_password: bool,
}

/// `POST /api/v1/login`: starts a session (a new id, whatever cookie came with it).
pub async fn login(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Json(body): Json<Login>,
) -> ApiResult {
    let user = session::check_login(&desk, &body.username, &body.password, &address).await.map_err(fail(lang))?;
    let (token, csrf) = session::start(&desk, &user, &address).await.map_err(fail(lang))?;
    let answer = LoginAnswer {
        csrf: &csrf,
        role: user.role.key(),
        unit: user.lead_unit.as_deref(),
        must_change_password: user.must_change_password,
    };
    let mut response = Json(answer).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::session_cookie(&desk, &token));
    Ok(response)
}

/// `POST /api/v1/logout`: ends the session on the server.
pub async fn logout(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    AnySession(signed): AnySession,
) -> ApiResult {
    session::end(&desk, &signed, &address).await.map_err(fail(lang))?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::cleared_cookie(&desk));
    Ok(response)
}

/// A password change, as JSON from a program or as the form's fields.
#[derive(Deserialize)]
pub struct PasswordChange {
    pub old: String,
    pub new: String,
}

/// `POST /api/v1/password`: changes the session user's password. Every session of
/// the account ends; the answer carries a new one (cookie and token).
pub async fn password(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    AnySession(signed): AnySession,
    Json(body): Json<PasswordChange>,
) -> ApiResult {
    let (token, csrf) =
        session::change_password(&desk, &signed, &body.old, &body.new, &address).await.map_err(fail(lang))?;
    let mut response = Json(serde_json::json!({ "csrf": csrf })).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::session_cookie(&desk, &token));
    Ok(response)
}

#[derive(Deserialize)]
pub struct StatusQuery {
    plan: Option<String>,
    as_of: Option<String>,
    approved_only: Option<bool>,
}

/// `GET /api/v1/status?plan=&as_of=`: `ontrack status --format json`.
pub async fn status(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Query(query): Query<StatusQuery>,
) -> ApiResult {
    if !can(&signed.user, Action::Read) {
        return Err(ApiProblem(Problem::Forbidden, lang));
    }
    let as_of = match query.as_of.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Some(text.parse::<crate::period::Period>().map_err(|error| {
            ApiProblem(
                Problem::Unprocessable(vec![super::error::Listed {
                    place: "as_of".into(),
                    target: None,
                    message: crate::lang::Localize::localize(&error, lang),
                }]),
                lang,
            )
        })?),
        None => None,
    };
    let context = desk.context(lang);
    let args = crate::cli::StatusArgs {
        plan: crate::cli::PlanArg { plan: query.plan },
        when: crate::cli::WhenArgs { as_of, as_recorded: None, approved_only: query.approved_only.unwrap_or(false) },
        section: None,
        only: None,
        format: crate::cli::FormatArg { format: ListFormat::Json },
    };
    let bytes = command_written(move |sink| crate::commands::status::run_into(&context, args, sink))
        .await
        .map_err(fail(lang))?;
    json_bytes_response(bytes)
}

/// Runs a command's `run_into` on a blocking thread and returns its bytes; its
/// refusal (an unknown plan, a period outside the year) is a 422 with its message.
pub async fn command_bytes(
    run: impl FnOnce(&mut dyn FnMut(&[u8]) -> anyhow::Result<()>) -> anyhow::Result<()> + Send + 'static,
) -> Result<Vec<u8>, Problem> {
    command_written(move |out| {
        run(&mut |bytes: &[u8]| {
            out.write_all(bytes)?;
            Ok(())
        })
    })
    .await
}

/// [`command_bytes`] for a command that writes as it goes (`status`).
pub async fn command_written(
    run: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()> + Send + 'static,
) -> Result<Vec<u8>, Problem> {
    tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        let result = run(&mut out);
        match result {
            Ok(()) => Ok(out),
            Err(error) => Err(match error.downcast::<StoreError>() {
                Ok(store) => Problem::from(store),
                Err(other) => Problem::Unprocessable(vec![super::error::Listed {
                    place: String::new(),
                    target: None,
                    message: format!("{other:#}"),
                }]),
            }),
        }
    })
    .await
    .map_err(|_| Problem::Internal)?
}

pub(super) fn json_bytes_response(bytes: Vec<u8>) -> ApiResult {
    let mut response = bytes.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}
