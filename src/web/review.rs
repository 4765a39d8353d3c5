//! Reviewing at the web desk: the one door both `/api/v1/figures/{id}/{action}` and
//! the review queue page (`POST /review`) go through. It asks `access::can` for
//! `Action::Review`, builds the same `ReviewRequest` `ontrack review`/`ontrack void`
//! build, and has the store carry it out with its audit line in the same transaction
//! (`Store::review_audited`); a refusal is audited right after.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;

use super::api::{command_bytes, json_bytes_response};
use super::error::{ApiProblem, Listed, Problem};
use super::session::{audit_denied, ClientAddress, RequestLang, Signed, SignedIn};
use super::Desk;
use crate::access::{can, Action};
use crate::error::StoreError;
use crate::lang::{Lang, Localize};
use crate::review::Action as ReviewAction;
use crate::store::{AuditEntry, Outcome, ReviewRequest, Selection, Transition};

/// The review action a path or a form button names.
pub fn action_named(name: &str) -> Option<ReviewAction> {
    [ReviewAction::Approve, ReviewAction::Return, ReviewAction::Reopen, ReviewAction::Void]
        .into_iter()
        .find(|action| action.as_str() == name)
}

/// Carries out `action` on the figures `ids` of the current plan for the signed-in
/// reviewer: all or nothing. A missing reason is a 422 placed at `reason`; an unknown
/// figure a 404; a refused transition (done already, by someone else, revised) a 409.
pub async fn review(
    desk: &Arc<Desk>,
    signed: &SignedIn,
    address: &str,
    action: ReviewAction,
    ids: Vec<i64>,
    reason: Option<String>,
) -> Result<Vec<Transition>, Problem> {
    let what = format!("review {}", action.as_str());
    let detail = format!("figures {}", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "));
    if !can(&signed.user, Action::Review) {
        audit_denied(desk, Some(&signed.user.name), address, &what, &detail).await;
        return Err(Problem::Forbidden);
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let entry = AuditEntry {
        at: desk.now(),
        actor: Some(signed.user.name.clone()),
        address: address.to_string(),
        action: what,
        outcome: Outcome::Ok,
        detail: match &reason {
            Some(reason) => format!("{detail}: {}", reason.chars().take(200).collect::<String>()),
            None => detail,
        },
    };
    let request = ReviewRequest {
        plan_id: String::new(),
        action,
        selection: Selection::Figures(ids),
        by: signed.user.name.clone(),
        reason,
        clock: desk.clock(),
    };
    let written = entry.clone();
    let result = desk
        .db
        .write(move |store| {
            let mut request = request;
            request.plan_id = store.resolve_plan_id(None)?;
            store.review_audited(&request, &written).map_err(refusal)
        })
        .await;
    if let Err(problem @ (Problem::Conflict(_) | Problem::NotFound | Problem::Unprocessable(_))) = &result {
        let mut refused = entry;
        refused.outcome = Outcome::Refused;
        refused.detail = format!("{} ({})", refused.detail, problem.code());
        desk.db.write(move |store| Ok(store.audit(&refused)?)).await?;
    }
    result
}

/// A store refusal as the desk answers it; a missing reason is bad data at `reason`.
fn refusal(error: StoreError) -> Problem {
    match error {
        StoreError::ReasonMissing { .. } => Problem::Unprocessable(vec![Listed {
            place: "reason".into(),
            target: None,
            message: error.localize(Lang::Zh),
        }]),
        other => Problem::from(other),
    }
}

/// A 422's messages in the request's language (the store's refusal is worded in
/// Chinese inside the write; this rewords it).
pub fn relocalize(problem: Problem, action: ReviewAction, lang: Lang) -> Problem {
    match problem {
        Problem::Unprocessable(mut listed) if listed.len() == 1 && listed[0].place == "reason" => {
            listed[0].message = StoreError::ReasonMissing { action: action.as_str() }.localize(lang);
            Problem::Unprocessable(listed)
        }
        other => other,
    }
}

#[derive(Deserialize, Default)]
pub struct ReviewBody {
    reason: Option<String>,
}

/// `POST /api/v1/figures/{id}/{approve|return|reopen|void}` `{"reason"}`: answers the
/// figure as a row of `figures --format json` shows it.
pub async fn review_one(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<ReviewBody>>,
) -> Result<Response, ApiProblem> {
    let fail = |problem| ApiProblem(problem, lang);
    let (Some(action), Ok(id)) = (action_named(&action), id.parse::<i64>()) else {
        return Err(fail(Problem::NotFound));
    };
    let reason = body.and_then(|Json(body)| body.reason);
    review(&desk, &signed, &address, action, vec![id], reason)
        .await
        .map_err(|problem| fail(relocalize(problem, action, lang)))?;
    let context = desk.context(lang);
    let row = tokio::task::spawn_blocking(move || crate::commands::figures::figure_json(&context, None, id))
        .await
        .map_err(|_| fail(Problem::Internal))?
        .map_err(|error| fail(command_problem(error)))?;
    json_bytes_response(row.ok_or(fail(Problem::NotFound))?)
}

fn command_problem(error: anyhow::Error) -> Problem {
    match error.downcast::<StoreError>() {
        Ok(store) => Problem::from(store),
        Err(_) => Problem::Internal,
    }
}

#[derive(Deserialize)]
pub struct FiguresQuery {
    plan: Option<String>,
    period: Option<String>,
    lead_unit: Option<String>,
    state: Option<String>,
    import: Option<i64>,
}

/// `GET /api/v1/figures?period=&lead_unit=&state=`: `ontrack figures --format json`.
pub async fn figures(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Query(query): Query<FiguresQuery>,
) -> Result<Response, ApiProblem> {
    if !can(&signed.user, Action::Read) {
        return Err(ApiProblem(Problem::Forbidden, lang));
    }
    let period = optional_period("period", query.period.as_deref(), lang)?;
    let state = match filled(query.state.as_deref()) {
        None => None,
        Some(text) => Some(<crate::cli::StateArg as clap::ValueEnum>::from_str(text, true).map_err(|_| {
            unprocessable(
                "state",
                lang.choose(
                    format!("未知状态 {text:?}；可用 submitted、returned、approved、void"),
                    format!("unknown state {text:?}; use submitted, returned, approved or void"),
                ),
                lang,
            )
        })?),
    };
    let context = desk.context(lang);
    let args = crate::cli::FiguresArgs {
        period,
        lead_unit: filled(query.lead_unit.as_deref()).map(str::to_string),
        state,
        import: query.import,
        format: crate::cli::FormatArg { format: crate::output::ListFormat::Json },
        plan: crate::cli::PlanArg { plan: query.plan },
    };
    let bytes = command_bytes(move |sink| crate::commands::figures::run_into(&context, args, sink))
        .await
        .map_err(|problem| ApiProblem(problem, lang))?;
    json_bytes_response(bytes)
}

#[derive(Deserialize)]
pub struct CompletenessQuery {
    plan: Option<String>,
    period: Option<String>,
    lead_unit: Option<String>,
}

/// `GET /api/v1/completeness?period=`: `ontrack completeness --format json`.
pub async fn completeness(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Query(query): Query<CompletenessQuery>,
) -> Result<Response, ApiProblem> {
    if !can(&signed.user, Action::Read) {
        return Err(ApiProblem(Problem::Forbidden, lang));
    }
    let Some(period) = optional_period("period", query.period.as_deref(), lang)? else {
        let message = lang.pick("请给出期别，如 ?period=2020Q3", "give a period, e.g. ?period=2020Q3");
        return Err(unprocessable("period", message.to_string(), lang));
    };
    let context = desk.context(lang);
    let args = crate::cli::CompletenessArgs {
        period,
        lead_unit: filled(query.lead_unit.as_deref()).map(str::to_string),
        format: crate::cli::FormatArg { format: crate::output::ListFormat::Json },
        plan: crate::cli::PlanArg { plan: query.plan },
    };
    let bytes = command_bytes(move |sink| crate::commands::completeness::run_into(&context, args, sink))
        .await
        .map_err(|problem| ApiProblem(problem, lang))?;
    json_bytes_response(bytes)
}

/// A query value, blank taken as absent.
pub fn filled(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// A period from a query value; a bad one is a 422 at `place`.
pub fn optional_period(
    place: &str,
    text: Option<&str>,
    lang: Lang,
) -> Result<Option<crate::period::Period>, ApiProblem> {
    match filled(text) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|error: crate::period::PeriodError| unprocessable(place, error.localize(lang), lang)),
    }
}

fn unprocessable(place: &str, message: String, lang: Lang) -> ApiProblem {
    ApiProblem(Problem::Unprocessable(vec![Listed { place: place.into(), target: None, message }]), lang)
}
