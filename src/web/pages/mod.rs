//! The desk's pages: maud templates (checked when compiled, text escaped unless marked
//! otherwise), one layout, no script, one stylesheet from the binary. Every word comes
//! from `present` (and its `web` phrases) or from an error's own `Localize`.

mod accounts;
mod completeness;
mod dashboard;
mod entry;
mod layout;
mod reports;
mod review;
mod target;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

pub use accounts::{accounts, add as add_account, change as change_account};
pub use completeness::completeness;
pub use dashboard::dashboard;
pub use entry::{entry_page, entry_save};
pub use layout::{page, Page};
pub use reports::{download as download_report, reports};
pub use review::{review_queue, review_submit};
pub use target::target_page;

use super::error::Problem;
use super::session::{self, AnySession, ClientAddress, RequestLang, SignedIn, CSRF_FIELD};
use super::Desk;
use crate::lang::Lang;
use crate::present::web as words;

/// `GET /assets/desk.css`.
pub async fn stylesheet() -> Response {
    let mut response = include_str!("../assets/desk.css").into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// An error as a page, with its status code.
pub fn problem_page(problem: Problem, lang: Lang) -> Response {
    if matches!(problem, Problem::Internal | Problem::Store(_)) {
        eprintln!("ontrack serve: {problem:?}");
    }
    let status = problem.status();
    let body = html! {
        h1 { (words::problem_title(status.as_u16(), lang)) }
        p.error { (problem.message(lang)) }
        @if let Problem::Unprocessable(listed) | Problem::Conflicts(listed) = &problem {
            ul { @for item in listed { li { (item.place) " " (item.target.as_deref().unwrap_or("")) " — " (item.message) } } }
        }
        p { a href="/" { (words::back_home(lang)) } }
    };
    (status, page(Page { title: words::problem_title(status.as_u16(), lang), lang, user: None, csrf: None }, body))
        .into_response()
}

/// Any path we do not serve.
pub async fn not_found(RequestLang(lang): RequestLang) -> Response {
    problem_page(Problem::NotFound, lang)
}

/// `GET /login`.
pub async fn login_form(RequestLang(lang): RequestLang) -> Response {
    login_page(lang, None).into_response()
}

fn login_page(lang: Lang, error: Option<String>) -> Response {
    let body = html! {
        h1 { (words::sign_in(lang)) }
        div.card {
            @if let Some(error) = &error { p.error role="alert" { (error) } }
            form.stack method="post" action="/login" {
                div { label for="username" { (words::user_name(lang)) }
                      input #username name="username" autocomplete="username" autocapitalize="none" required; }
                div { label for="password" { (words::password(lang)) }
                      input #password type="password" name="password" autocomplete="current-password" required; }
                div { button type="submit" { (words::sign_in(lang)) } }
            }
        }
    };
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    (status, page(Page { title: words::sign_in(lang), lang, user: None, csrf: None }, body)).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// `POST /login`: on success a new session and the dashboard (or the password page).
pub async fn login(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Response {
    let user = match session::check_login(&desk, &form.username, &form.password, &address).await {
        Ok(user) => user,
        Err(problem @ (Problem::BadLogin | Problem::TooMany)) => {
            let mut response = login_page(lang, Some(problem.message(lang)));
            *response.status_mut() = problem.status();
            return response;
        }
        Err(problem) => return problem_page(problem, lang),
    };
    match session::start(&desk, &user, &address).await {
        Ok((token, _csrf)) => {
            let to = if user.must_change_password { "/password" } else { "/" };
            let mut response = Redirect::to(to).into_response();
            response.headers_mut().insert(header::SET_COOKIE, session::session_cookie(&desk, &token));
            response
        }
        Err(problem) => problem_page(problem, lang),
    }
}

/// `POST /logout`.
pub async fn logout(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    AnySession(signed): AnySession,
) -> Response {
    if let Err(problem) = session::end(&desk, &signed, &address).await {
        return problem_page(problem, lang);
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::cleared_cookie(&desk));
    response
}

/// `GET /password`.
pub async fn password_form(RequestLang(lang): RequestLang, AnySession(signed): AnySession) -> Response {
    password_page(lang, &signed, None).into_response()
}

fn password_page(lang: Lang, signed: &SignedIn, error: Option<String>) -> Response {
    let body = html! {
        h1 { (words::change_password(lang)) }
        @if signed.user.must_change_password { p.notice { (words::must_change_password(lang)) } }
        div.card {
            @if let Some(error) = &error { p.error role="alert" { (error) } }
            form.stack method="post" action="/password" {
                input type="hidden" name=(CSRF_FIELD) value=(signed.csrf);
                div { label for="old" { (words::old_password(lang)) }
                      input #old type="password" name="old" autocomplete="current-password" required; }
                div { label for="new" { (words::new_password(lang)) }
                      input #new type="password" name="new" autocomplete="new-password" minlength="8" required;
                      p.muted { (words::password_rules(lang)) } }
                div { button type="submit" { (words::change_password(lang)) } }
            }
        }
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let shown = Page { title: words::change_password(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    (status, page(shown, body)).into_response()
}

#[derive(Deserialize)]
pub struct PasswordForm {
    old: String,
    new: String,
}

/// `POST /password`: the change ends every session; a new one goes with the answer.
pub async fn password(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    AnySession(signed): AnySession,
    Form(form): Form<PasswordForm>,
) -> Response {
    match super::api::change_password(&desk, &signed, &form.old, &form.new, &address).await {
        Ok((token, _csrf)) => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(header::SET_COOKIE, session::session_cookie(&desk, &token));
            response
        }
        Err(problem @ (Problem::BadLogin | Problem::Store(_))) => {
            let message = match &problem {
                Problem::BadLogin => words::wrong_old_password(lang).to_string(),
                other => other.message(lang),
            };
            password_page(lang, &signed, Some(message))
        }
        Err(problem) => problem_page(problem, lang),
    }
}
