//! Entering figures at the desk, for the entry form (`pages/entry.rs`) and for
//! `POST /api/v1/figures`: both hand the rows to `entry::enter_figures` (who may enter
//! them, then the one import path) and turn its refusal into a [`Problem`] here.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::error::{ApiProblem, Listed, Problem};
use super::session::{audit_denied, ClientAddress, RequestLang, Signed, SignedIn};
use super::Desk;
use crate::entry::{enter_figures, Enterer, EntryError};
use crate::import::{place_text, Cell, EnteredRow, ImportError, SMALL_ENTRY};
use crate::lang::{Lang, Localize};
use crate::present::web as words;
use crate::store::{AuditEntry, Outcome};

/// The audit log's word for entering figures, at the form and through the API.
const ACTION: &str = "figures enter";

/// What an accepted entry wrote.
pub struct Entered {
    pub written: usize,
    /// The stored figures as `figures --format json --import ID` shows them, when asked.
    pub json: Option<Vec<u8>>,
}

/// Enters `rows` for the signed-in user into `plan` (the latest loaded when `None`):
/// all or nothing, the write and its audit line in one transaction; a refusal for
/// role or unit is audited as denied.
pub async fn enter(
    desk: &Arc<Desk>,
    signed: &SignedIn,
    address: &str,
    plan: Option<String>,
    rows: Vec<EnteredRow>,
    lang: Lang,
) -> Result<Entered, Problem> {
    enter_answering(desk, signed, address, plan, rows, lang, false).await
}

/// [`enter`], and with `json` the stored figures as `figures --format json --import
/// ID` shows them, read on the writer's connection right after the write (only the
/// import's figures: nothing of the rest of the plan).
async fn enter_answering(
    desk: &Arc<Desk>,
    signed: &SignedIn,
    address: &str,
    plan: Option<String>,
    rows: Vec<EnteredRow>,
    lang: Lang,
    json: bool,
) -> Result<Entered, Problem> {
    let user = signed.user.clone();
    let audit = AuditEntry {
        at: desk.now(),
        actor: Some(user.name.clone()),
        address: address.to_string(),
        action: ACTION.to_string(),
        outcome: Outcome::Ok,
        detail: String::new(),
    };
    let (now, clock) = (desk.now(), desk.clock());
    let kept = desk.clone();
    // A form's worth shares its commit with the entries queued beside it; a large
    // entry (a sheet's worth) has the writer to itself, with an import's settings.
    let small = rows.len() < SMALL_ENTRY;
    let write = move |store: &mut crate::store::Store| {
        let plan = match store.resolve_plan_id(plan.as_deref()).and_then(|id| kept.plans.checked_plan(store, &id)) {
            Ok(plan) => plan,
            Err(error) => return Ok(Err(EntryError::from(error))),
        };
        let enterer = Enterer { user: &user, now, clock, audit: &audit };
        let outcome = match enter_figures(store, &enterer, &plan, &rows) {
            Ok(outcome) => outcome,
            Err(error) => return Ok(Err(error)),
        };
        let import_id = outcome.import_id.expect("a kept import has an id");
        // Read in the write (what it stored, before anyone revises it); made into
        // JSON after, so the one writer is not held for it.
        let stored = if json {
            Some(store.import_standing_figures(&plan.id, import_id).map_err(|_| Problem::Internal)?)
        } else {
            None
        };
        Ok(Ok((outcome.written, plan, import_id, stored)))
    };
    let result = if small { desk.db.write_grouped(write).await? } else { desk.db.write(write).await? };
    match result {
        Ok((written, plan, import_id, stored)) => Ok(Entered {
            written,
            json: stored
                .map(|(actuals, states)| crate::commands::figures::import_json(&plan, import_id, &actuals, &states)),
        }),
        Err(EntryError::Forbidden { place, target }) => {
            let detail = match (place, target) {
                (Some(place), Some(target)) => format!("{place}: {target} is led by another unit"),
                _ => "not a filer of a lead unit".to_string(),
            };
            audit_denied(desk, Some(&signed.user.name), address, ACTION, &detail).await;
            Err(Problem::Forbidden)
        }
        Err(error) => Err(refusal(error, lang)),
    }
}

/// The problem an entry's refusal (other than for role or unit) answers.
fn refusal(error: EntryError, lang: Lang) -> Problem {
    let conflict = error.is_conflict();
    match error {
        EntryError::Forbidden { .. } => Problem::Forbidden,
        EntryError::Nothing => Problem::Unprocessable(vec![Listed {
            place: String::new(),
            target: None,
            message: words::nothing_entered(lang).to_string(),
        }]),
        EntryError::Import(ImportError::BadRows { problems, .. }) => {
            let listed = problems
                .iter()
                .map(|p| Listed {
                    place: place_text(&p.place, lang),
                    target: p.target.clone(),
                    message: p.message.get(lang).to_string(),
                })
                .collect();
            if conflict {
                Problem::Conflicts(listed)
            } else {
                Problem::Unprocessable(listed)
            }
        }
        EntryError::Import(ImportError::Store { source, .. }) => Problem::from(source),
        EntryError::Import(other) => {
            Problem::Unprocessable(vec![Listed { place: String::new(), target: None, message: other.localize(lang) }])
        }
    }
}

#[derive(Deserialize)]
pub struct PlanQuery {
    plan: Option<String>,
}

/// `POST /api/v1/figures?plan=`: a JSON array of `{"target", "period", "value",
/// "source", "note", "reason"}`; answers 201 with the stored figures as `ontrack
/// figures --format json` shows them (`--import ID`).
pub async fn post_figures(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Query(query): Query<PlanQuery>,
    body: Bytes,
) -> Result<Response, ApiProblem> {
    let fail = |problem| ApiProblem(problem, lang);
    let rows = rows_of_json(&body, lang).map_err(fail)?;
    let entered = enter_answering(&desk, &signed, &address, query.plan, rows, lang, true).await.map_err(fail)?;
    let bytes = entered.json.unwrap_or_default();
    let mut response = (StatusCode::CREATED, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

/// The rows of a request body; a body that is not an array of objects is a 422 that
/// says where.
fn rows_of_json(body: &[u8], lang: Lang) -> Result<Vec<EnteredRow>, Problem> {
    let problem =
        |place: String, message: String| Problem::Unprocessable(vec![Listed { place, target: None, message }]);
    let parsed: Value = serde_json::from_slice(body)
        .map_err(|error| problem(String::new(), words::not_json(&error.to_string(), lang)))?;
    let Value::Array(items) = parsed else {
        return Err(problem(String::new(), words::not_an_array(lang).to_string()));
    };
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let place = place_text(&format!("entry {}", index + 1), lang);
        let Value::Object(fields) = item else {
            return Err(problem(place, words::not_an_object(lang).to_string()));
        };
        let text = |name: &str| match fields.get(name) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        };
        let value = match fields.get("value") {
            None | Some(Value::Null) => Cell::Empty,
            Some(Value::Number(number)) => number.as_f64().map_or_else(|| Cell::Text(number.to_string()), Cell::Number),
            Some(Value::String(text)) => Cell::Text(text.clone()),
            Some(other) => Cell::Unreadable(format!("JSON value {other}")),
        };
        rows.push(EnteredRow {
            target: text("target"),
            period: text("period"),
            value,
            source: text("source"),
            note: text("note"),
            reason: text("reason"),
        });
    }
    Ok(rows)
}
