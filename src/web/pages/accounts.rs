//! `/accounts` (administrators only): every account as `ontrack user list` shows it,
//! add one, disable or enable it, reset its password. Each change goes through the
//! functions `ontrack user` calls (`commands::user`), which write the change and its
//! audit line in one transaction. A one-time password is shown once, on the answer to
//! the POST that made it (never stored, never redirected to, never shown again).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::accounts::{self, AccountError, Role};
use crate::commands::user::{add_account, reset_account, set_account_disabled, By, NewAccount};
use crate::error::StoreError;
use crate::lang::{Lang, Localize};
use crate::present::commands::{self as list_words, UserChange};
use crate::present::web as words;
use crate::store::Account;
use crate::web::error::Problem;
use crate::web::session::{audit_denied, ClientAddress, RequestLang, Signed, SignedIn, CSRF_FIELD};
use crate::web::Desk;

/// What the accounts page shows.
struct AccountsView {
    accounts: Vec<Account>,
    /// The lead units of the current plan's targets, for a filer's unit.
    units: Vec<String>,
}

async fn load(desk: &Arc<Desk>) -> Result<AccountsView, Problem> {
    desk.db
        .read(|store| {
            let accounts = store.accounts()?;
            let mut units: Vec<String> = match store.resolve_plan_id(None) {
                Ok(id) => store.load_plan(&id)?.targets().iter().filter_map(|t| t.lead_unit.clone()).collect(),
                // No plan loaded yet: a filer's unit cannot be chosen until one is.
                Err(_) => Vec::new(),
            };
            units.sort();
            units.dedup();
            Ok(AccountsView { accounts, units })
        })
        .await
}

/// Refuses anyone but an administrator, audited. `Ok` carries nothing: the check passed.
async fn admin_only(desk: &Arc<Desk>, signed: &SignedIn, address: &str, lang: Lang) -> Result<(), Response> {
    if can(&signed.user, Action::ManageAccounts) {
        return Ok(());
    }
    audit_denied(desk, Some(&signed.user.name), address, "accounts", "not an administrator").await;
    Err(problem_page(Problem::Forbidden, lang))
}

fn by(desk: &Desk, signed: &SignedIn, address: &str) -> By {
    By { at: desk.now(), actor: Some(signed.user.name.clone()), address: address.to_string() }
}

/// The fields of the add form, kept when it is shown again.
#[derive(Debug, Default, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

/// What the last change did, said on the page it redirects to.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    disabled: Option<String>,
    enabled: Option<String>,
}

/// `GET /accounts`.
pub async fn accounts(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Query(done): Query<Done>,
) -> Response {
    if let Err(refused) = admin_only(&desk, &signed, &address, lang).await {
        return refused;
    }
    accounts_page(&desk, lang, &signed, &AddForm::default(), Some(&done), None).await
}

/// The list and the add form; `problem` is said under the field it is about.
async fn accounts_page(
    desk: &Arc<Desk>,
    lang: Lang,
    signed: &SignedIn,
    typed: &AddForm,
    done: Option<&Done>,
    problem: Option<(&'static str, String)>,
) -> Response {
    let view = match load(desk).await {
        Ok(view) => view,
        Err(problem) => return problem_page(problem, lang),
    };
    // The change the redirect names is said only if the list bears it out, so a link
    // cannot make the page claim what did not happen.
    let notice = done.and_then(|done| {
        let disabled = |name: &str| view.accounts.iter().find(|a| a.user.name == name).map(|a| a.user.disabled);
        match (&done.disabled, &done.enabled) {
            (Some(name), _) if disabled(name) == Some(true) => {
                Some(list_words::user_changed(name, UserChange::Disabled, lang))
            }
            (None, Some(name)) if disabled(name) == Some(false) => {
                Some(list_words::user_changed(name, UserChange::Enabled, lang))
            }
            _ => None,
        }
    });
    let problem_at = |place: &str| problem.as_ref().filter(|(at, _)| *at == place).map(|(_, message)| message);
    let headers = list_words::users_headers(lang);
    let body = html! {
        h1 { (words::accounts(lang)) }
        @if let Some(notice) = &notice { p.notice #done { (notice) } }
        @if let Some(message) = problem_at("accounts") { p.problem #problem-accounts role="alert" { (message) } }
        div.card.scroll {
            table #accounts {
                thead { tr { @for header in &headers { th { (header) } } th { (words::account_actions(lang)) } } }
                tbody {
                    @for account in &view.accounts {
                        @let user = &account.user;
                        tr #{ "account-" (user.name) } {
                            td { (user.name) }
                            td { (user.role.name(lang)) }
                            td { (user.lead_unit.as_deref().unwrap_or("")) }
                            td { (list_words::account_state(account.disabled_at.as_deref(), user.must_change_password, lang)) }
                            td.num { (account.sessions) }
                            td { (account.created_at) }
                            td { (account.password_changed_at) }
                            td {
                                @if user.disabled {
                                    (action_form(&user.name, "enable", words::enable_account(lang), &signed.csrf))
                                } @else {
                                    (action_form(&user.name, "disable", words::disable_account(lang), &signed.csrf))
                                }
                                " "
                                (action_form(&user.name, "reset", words::reset_password(lang), &signed.csrf))
                            }
                        }
                    }
                }
            }
        }
        h2 { (words::add_account(lang)) }
        div.card {
            form.stack #add-account method="post" action="/accounts" {
                input type="hidden" name=(CSRF_FIELD) value=(signed.csrf);
                div {
                    label for="name" { (words::user_name(lang)) }
                    input #name name="name" value=(typed.name) autocomplete="off" autocapitalize="none" required;
                    p.muted { (words::account_name_rules(lang)) }
                    @if let Some(message) = problem_at("name") { p.problem #problem-name { (message) } }
                }
                div {
                    label for="role" { (words::role(lang)) }
                    select #role name="role" {
                        @for role in Role::ALL {
                            option value=(role.key()) selected[typed.role == role.key()] { (role.name(lang)) }
                        }
                    }
                    @if let Some(message) = problem_at("role") { p.problem #problem-role { (message) } }
                }
                div {
                    label for="unit" { (words::lead_unit_for_filers(lang)) }
                    select #unit name="unit" {
                        option value="" selected[typed.unit.is_empty()] { "—" }
                        @for unit in &view.units {
                            option value=(unit) selected[&typed.unit == unit] { (unit) }
                        }
                    }
                    @if let Some(message) = problem_at("unit") { p.problem #problem-unit { (message) } }
                }
                div { button #add type="submit" { (words::add_account(lang)) } }
            }
        }
    };
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let shown = Page { title: words::accounts(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    (status, page(shown, body)).into_response()
}

/// One button posting to `/accounts/{name}/{action}`.
fn action_form(name: &str, action: &str, label: &str, csrf: &str) -> Markup {
    html! {
        form.inline method="post" action={ "/accounts/" (name) "/" (action) } {
            input type="hidden" name=(CSRF_FIELD) value=(csrf);
            button.secondary id={ (action) "-" (name) } type="submit" { (label) }
        }
    }
}

/// The page that shows a one-time password, this once.
fn one_time_page(lang: Lang, signed: &SignedIn, heading: &str, name: &str, password: &str) -> Response {
    let body = html! {
        h1 { (heading) }
        div.card {
            p { (words::one_time_password_for(name, lang)) }
            p { code #one-time-password { (password) } }
            p.notice { (words::one_time_password_once(lang)) }
        }
        p { a href="/accounts" { (words::back_to_accounts(lang)) } }
    };
    let shown = Page { title: heading, lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    page(shown, body).into_response()
}

/// Where an account refusal is said on the page: under the field it is about.
fn place(error: &AccountError) -> &'static str {
    match error {
        AccountError::NameTaken { .. } | AccountError::BadName { .. } => "name",
        AccountError::UnitForFilersOnly { .. } => "unit",
        _ => "accounts",
    }
}

/// A fresh one-time password and its hash, made on a blocking thread (argon2 is slow
/// on purpose).
async fn one_time_password() -> Result<(String, String), Problem> {
    tokio::task::spawn_blocking(|| {
        let password = accounts::one_time_password();
        let hash = accounts::hash_password(&password);
        (password, hash)
    })
    .await
    .map_err(|_| Problem::Internal)
}

/// `POST /accounts`: adds an account with a one-time password, shown once.
pub async fn add(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Form(form): Form<AddForm>,
) -> Response {
    if let Err(refused) = admin_only(&desk, &signed, &address, lang).await {
        return refused;
    }
    let Some(role) = Role::from_key(form.role.trim()) else {
        let problem = Some(("role", words::unknown_role(lang)));
        return accounts_page(&desk, lang, &signed, &form, None, problem).await;
    };
    let (password, hash) = match one_time_password().await {
        Ok(made) => made,
        Err(problem) => return problem_page(problem, lang),
    };
    let name = form.name.trim().to_string();
    let unit = Some(form.unit.trim().to_string()).filter(|u| !u.is_empty());
    let by = by(&desk, &signed, &address);
    let (added, added_unit) = (name.clone(), unit.clone());
    let written = desk
        .db
        .write(move |store| {
            let account =
                NewAccount { name: &added, role, unit: added_unit.as_deref(), password_hash: hash, one_time: true };
            add_account(store, &account, &by).map_err(Problem::from)
        })
        .await;
    match written {
        Ok(()) => one_time_page(lang, &signed, words::account_added(lang), &name, &password),
        Err(Problem::Store(StoreError::Account(error))) => {
            let problem = Some((place(&error), error.localize(lang)));
            accounts_page(&desk, lang, &signed, &form, None, problem).await
        }
        Err(problem) => problem_page(problem, lang),
    }
}

/// `POST /accounts/{name}/{action}`: `disable`, `enable` or `reset`.
pub async fn change(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Path((name, action)): Path<(String, String)>,
) -> Response {
    if let Err(refused) = admin_only(&desk, &signed, &address, lang).await {
        return refused;
    }
    let by = by(&desk, &signed, &address);
    let target = name.clone();
    let (written, password) = match action.as_str() {
        "disable" | "enable" => {
            let disabled = action == "disable";
            let written = desk
                .db
                .write(move |store| set_account_disabled(store, &target, disabled, &by).map_err(Problem::from))
                .await;
            (written, None)
        }
        "reset" => {
            let (password, hash) = match one_time_password().await {
                Ok(made) => made,
                Err(problem) => return problem_page(problem, lang),
            };
            let written = desk
                .db
                .write(move |store| reset_account(store, &target, &hash, true, &by).map_err(Problem::from))
                .await;
            (written, Some(password))
        }
        _ => return problem_page(Problem::NotFound, lang),
    };
    match (written, password) {
        (Ok(()), Some(password)) => one_time_page(lang, &signed, words::password_reset(lang), &name, &password),
        (Ok(()), None) => {
            let key = if action == "disable" { "disabled" } else { "enabled" };
            Redirect::to(&format!("/accounts?{key}={}", query_value(&name))).into_response()
        }
        (Err(Problem::Store(StoreError::Account(AccountError::UnknownUser { .. }))), _) => {
            problem_page(Problem::NotFound, lang)
        }
        (Err(Problem::Store(StoreError::Account(error))), _) => {
            let problem = Some(("accounts", error.localize(lang)));
            accounts_page(&desk, lang, &signed, &AddForm::default(), None, problem).await
        }
        (Err(problem), _) => problem_page(problem, lang),
    }
}

/// Percent-encodes a query value (an account's name is letters, digits and `._-`
/// already; anything else is encoded all the same).
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
