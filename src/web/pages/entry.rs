//! `GET/POST /entry`: the entry form. A filer picks a period that has ended and sees
//! the targets their unit leads that are due then (as the template asks them:
//! `template::period_asked`), each with its goal, the figure standing in its window
//! and its review state; saving hands every filled-in row to `web::entry::enter` (the
//! one import path), all or nothing. A refusal shows the form again with the typed
//! values and each problem under its row; success redirects (POST-redirect-GET).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::entry::{entry_form, EntryForm, FormRow};
use crate::import::{Cell, EnteredRow};
use crate::lang::{Lang, Localize};
use crate::numbers::format_number;
use crate::period::Period;
use crate::present::{self, web as words};
use crate::web::error::{Listed, Problem};
use crate::web::session::{audit_denied, ClientAddress, RequestLang, Signed, SignedIn, CSRF_FIELD};
use crate::web::Desk;

#[derive(Deserialize)]
pub struct EntryQuery {
    period: Option<String>,
    saved: Option<usize>,
}

/// What a person typed in one row, kept when the form is shown again.
#[derive(Default, Clone)]
struct Typed {
    value: String,
    source: String,
    note: String,
    reason: String,
}

/// The user's lead unit when they may log figures for it.
fn filer_unit(signed: &SignedIn) -> Option<String> {
    let unit = signed.user.lead_unit.clone()?;
    can(&signed.user, Action::LogFigure { lead_unit: &unit }).then_some(unit)
}

/// A period as typed in the query or the form; a bad one is a 422 that says why.
fn period_of(text: Option<&str>, lang: Lang) -> Result<Option<Period>, Problem> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<Period>().map(Some).map_err(|error| {
            Problem::Unprocessable(vec![Listed { place: "period".into(), target: None, message: error.localize(lang) }])
        }),
    }
}

async fn load_form(desk: &Arc<Desk>, unit: String, period: Option<Period>, lang: Lang) -> Result<EntryForm, Problem> {
    let now = desk.now();
    desk.db.read(move |store| Ok(entry_form(store, None, &unit, period, now, lang)?)).await
}

/// `GET /entry?period=2020Q3`.
pub async fn entry_page(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Query(query): Query<EntryQuery>,
) -> Response {
    let Some(unit) = filer_unit(&signed) else {
        audit_denied(&desk, Some(&signed.user.name), &address, "entry page", "not a filer of a lead unit").await;
        return problem_page(Problem::Forbidden, lang);
    };
    let period = match period_of(query.period.as_deref(), lang) {
        Ok(period) => period,
        Err(problem) => return problem_page(problem, lang),
    };
    match load_form(&desk, unit, period, lang).await {
        Ok(form) => render(&signed, &form, &HashMap::new(), &[], query.saved, lang, StatusCode::OK),
        Err(problem) => problem_page(problem, lang),
    }
}

/// `POST /entry`: every filled-in row, all or nothing.
pub async fn entry_save(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(unit) = filer_unit(&signed) else {
        audit_denied(&desk, Some(&signed.user.name), &address, "figures enter", "not a filer of a lead unit").await;
        return problem_page(Problem::Forbidden, lang);
    };
    let posted = fields.iter().find(|(name, _)| name == "period").map(|(_, v)| v.as_str());
    let period = match period_of(posted, lang) {
        Ok(period) => period,
        Err(problem) => return problem_page(problem, lang),
    };
    let form = match load_form(&desk, unit, period, lang).await {
        Ok(form) => form,
        Err(problem) => return problem_page(problem, lang),
    };
    // The rows in the order their fields came, each target once.
    let mut codes: Vec<String> = Vec::new();
    let mut typed: HashMap<String, Typed> = HashMap::new();
    for (name, value) in &fields {
        let Some((field, code)) = name.split_once('.') else { continue };
        let slot = match typed.get_mut(code) {
            Some(slot) => slot,
            None => {
                codes.push(code.to_string());
                typed.entry(code.to_string()).or_default()
            }
        };
        match field {
            "value" => slot.value = value.clone(),
            "source" => slot.source = value.clone(),
            "note" => slot.note = value.clone(),
            "reason" => slot.reason = value.clone(),
            _ => {}
        }
    }
    let rows: Vec<EnteredRow> = codes
        .iter()
        .map(|code| {
            let slot = &typed[code];
            // A target of the form is asked for in its own frequency (2020-09 for a
            // monthly one in 2020Q3); any other code goes with the form's period, for
            // the import's checks (or the unit check) to refuse.
            let asked = form.rows.iter().find(|row| row.code == *code).map_or(form.period, |row| row.period);
            EnteredRow {
                target: code.clone(),
                period: asked.label(),
                value: if slot.value.trim().is_empty() { Cell::Empty } else { Cell::Text(slot.value.clone()) },
                source: slot.source.clone(),
                note: slot.note.clone(),
                reason: slot.reason.clone(),
            }
        })
        .collect();
    match crate::web::entry::enter(&desk, &signed, &address, Some(form.plan.clone()), rows, lang).await {
        Ok(entered) => {
            Redirect::to(&format!("/entry?period={}&saved={}", form.period.label(), entered.written)).into_response()
        }
        Err(Problem::Unprocessable(listed) | Problem::Conflicts(listed)) => {
            render(&signed, &form, &typed, &listed, None, lang, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(problem) => problem_page(problem, lang),
    }
}

fn render(
    signed: &SignedIn,
    form: &EntryForm,
    typed: &HashMap<String, Typed>,
    problems: &[Listed],
    saved: Option<usize>,
    lang: Lang,
    status: StatusCode,
) -> Response {
    let period = present::period(form.period, lang);
    let title = words::entry(lang);
    // Problems about no row of the form (a code it does not show, nothing entered).
    let unplaced: Vec<&Listed> =
        problems.iter().filter(|p| !form.rows.iter().any(|row| p.target.as_deref() == Some(&row.code))).collect();
    let body = html! {
        h1 { (words::entry_heading(&period, lang)) }
        @if let Some(count) = saved { p.notice.ok #saved role="status" { (words::saved(count, lang)) } }
        @if form.periods.is_empty() {
            p.muted { (words::no_period_ended(lang)) }
        } @else {
            form.inline.period-choice method="get" action="/entry" {
                label for="period-choice" { (words::choose_period(lang)) }
                select #period-choice name="period" {
                    @for choice in &form.periods {
                        option value=(choice.label()) selected[*choice == form.period] { (present::period(*choice, lang)) }
                    }
                }
                " "
                button.secondary type="submit" { (words::show_period(lang)) }
            }
        }
        @if !problems.is_empty() {
            div.card role="alert" {
                p.error { (words::entry_refused(lang)) }
                @for problem in &unplaced {
                    p.problem { (problem.place) " " (problem.target.as_deref().unwrap_or("")) " " (problem.message) }
                }
            }
        }
        @if form.rows.is_empty() {
            p { (words::nothing_due(lang)) }
        } @else {
            p.muted { (words::entry_hint(lang)) }
            form #entry.entry method="post" action="/entry" {
                input type="hidden" name=(CSRF_FIELD) value=(signed.csrf);
                input type="hidden" name="period" value=(form.period.label());
                @for row in &form.rows {
                    (entry_row(row, typed.get(&row.code), problems, lang))
                }
                button #submit-entry type="submit" { (words::submit_entry(lang)) }
            }
        }
    };
    let shown = Page { title, lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    (status, page(shown, body)).into_response()
}

fn entry_row(row: &FormRow, typed: Option<&Typed>, problems: &[Listed], lang: Lang) -> Markup {
    let code = &row.code;
    let locked = row.standing.as_ref().is_some_and(|s| s.locked());
    let problem: Vec<&str> =
        problems.iter().filter(|p| p.target.as_deref() == Some(code)).map(|p| p.message.as_str()).collect();
    let typed = typed.cloned().unwrap_or_default();
    let id = |what: &str| format!("{what}-{code}");
    let name = |what: &str| format!("{what}.{code}");
    html! {
        fieldset.card.entry-row {
            legend { (row.name) }
            p.muted { (code) " · " (present::period(row.period, lang)) " · " (words::goal(lang)) "：" (row.goal) }
            p {
                (words::current_figure(lang)) "："
                @match &row.standing {
                    Some(standing) => {
                        (format_number(standing.value)) " " (row.unit) " "
                        span.state id=(id("state")) { (present::figure_state(standing.state, lang)) }
                        @if let Some(source) = &standing.source { " " span.muted { (words::source(lang)) "：" (source) } }
                    }
                    None => { span.muted id=(id("state")) { (words::no_figure_yet(lang)) } }
                }
            }
            @if let Some(reason) = row.standing.as_ref().and_then(|s| s.returned_reason.as_deref()) {
                p.returned.error id=(id("returned")) { (words::returned_because(reason, lang)) }
            }
            @if locked { p.notice { (words::locked(lang)) } }
            div {
                label for=(id("value")) { (words::value(lang)) " (" (row.unit) ")" }
                input id=(id("value")) name=(name("value")) inputmode="decimal" autocomplete="off"
                    value=(typed.value) disabled[locked];
                @if !problem.is_empty() { p.problem id=(id("problem")) { (problem.join("；")) } }
            }
            @if !locked {
                div {
                    label for=(id("source")) { (words::source(lang)) }
                    input id=(id("source")) name=(name("source")) value=(typed.source);
                }
                div {
                    label for=(id("note")) { (words::note(lang)) }
                    input id=(id("note")) name=(name("note")) value=(typed.note);
                }
                @if row.standing.is_some() {
                    div {
                        label for=(id("reason")) { (words::revision_reason(lang)) }
                        input id=(id("reason")) name=(name("reason")) value=(typed.reason);
                    }
                }
            }
        }
    }
}
