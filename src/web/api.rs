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
use crate::accounts::{self, AccountError};
use crate::error::StoreError;
use crate::lang::Lang;
use crate::output::ListFormat;
use crate::store::{AuditEntry, Outcome};

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

#[derive(Deserialize)]
pub struct PasswordChange {
    old: String,
    new: String,
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
    let (token, csrf) = change_password(&desk, &signed, &body.old, &body.new, &address).await.map_err(fail(lang))?;
    let mut response = Json(serde_json::json!({ "csrf": csrf })).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::session_cookie(&desk, &token));
    Ok(response)
}

/// Checks the old password and the new one, sets it, and starts a new session (the
/// change ends every session of the account). Shared by the page and the API.
pub async fn change_password(
    desk: &Arc<Desk>,
    signed: &session::SignedIn,
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
                Some(problem) => Problem::Store(StoreError::Account(AccountError::Password(problem))),
            });
        }
    };
    let mut entry = refused("");
    entry.outcome = Outcome::Ok;
    desk.db.write(move |store| Ok(store.set_password(&name, &new_hash, false, &entry)?)).await?;
    let mut user = user;
    user.must_change_password = false;
    session::start(desk, &user, address).await
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
    let bytes =
        command_bytes(move |sink| crate::commands::status::run_into(&context, args, sink)).await.map_err(fail(lang))?;
    json_bytes_response(bytes)
}

/// Runs a command's `run_into` on a blocking thread and returns its bytes; its
/// refusal (an unknown plan, a period outside the year) is a 422 with its message.
pub async fn command_bytes(
    run: impl FnOnce(&mut dyn FnMut(&[u8]) -> anyhow::Result<()>) -> anyhow::Result<()> + Send + 'static,
) -> Result<Vec<u8>, Problem> {
    tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        let result = run(&mut |bytes: &[u8]| {
            out.extend_from_slice(bytes);
            Ok(())
        });
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
