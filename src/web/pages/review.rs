//! `GET /review` and `POST /review`: the review queue. It lists the standing figures
//! exactly as `ontrack figures --format json` does (the same `commands::figures`
//! code, read back into rows), the ones awaiting review first, then the approved and
//! returned ones; a reviewer picks some and approves, returns, reopens or voids them
//! through `web::review::review`, the API's own door. Without JavaScript: one form,
//! POST-redirect-GET.

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
use crate::lang::Lang;
use crate::numbers::format_number;
use crate::present::{self, web as words};
use crate::review::FigureState;
use crate::web::error::Problem;
use crate::web::review::{action_named, filled, relocalize};
use crate::web::session::{ClientAddress, RequestLang, Signed, SignedIn, CSRF_FIELD};
use crate::web::Desk;

/// A standing figure as `figures --format json` gives it (the fields the page shows).
#[derive(Debug, Deserialize)]
pub struct FigureLine {
    pub id: i64,
    pub target: String,
    pub period: String,
    pub value: f64,
    pub unit: String,
    pub lead_unit: Option<String>,
    pub by: String,
    pub state: String,
    pub state_by: Option<String>,
    pub state_reason: Option<String>,
    pub late: bool,
}

/// The standing figures, the plan's target names by code, and its lead units.
pub struct Standing {
    pub lines: Vec<FigureLine>,
    pub names: HashMap<String, String>,
    pub units: Vec<String>,
}

/// The standing figures of the current plan through the `figures` command's own
/// code, with the plan's target names and lead units.
pub fn standing(
    context: &crate::commands::Context,
    period: Option<crate::period::Period>,
    lead_unit: Option<String>,
) -> anyhow::Result<Standing> {
    let args = crate::cli::FiguresArgs {
        period,
        lead_unit,
        state: None,
        import: None,
        format: crate::cli::FormatArg { format: crate::output::ListFormat::Json },
        plan: crate::cli::PlanArg { plan: None },
    };
    let mut bytes = Vec::new();
    crate::commands::figures::run_into(context, args, |out| {
        bytes.extend_from_slice(out);
        Ok(())
    })?;
    let lines: Vec<FigureLine> = serde_json::from_slice(&bytes)?;
    let store = context.open_read()?;
    let plan = store.load_plan(&store.resolve_plan_id(None)?)?;
    let lang = context.lang;
    let names =
        plan.targets().iter().map(|t| (t.code.clone(), lang.name(&t.name, Some(&t.name_en)).to_string())).collect();
    let mut units: Vec<String> = Vec::new();
    for unit in plan.targets().iter().filter_map(|t| t.lead_unit.clone()) {
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    Ok(Standing { lines, names, units })
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    period: Option<String>,
    lead_unit: Option<String>,
    reviewed: Option<usize>,
}

/// What the form sent back when it is shown again (a 422).
struct Kept {
    picked: Vec<i64>,
    reason: String,
    problem: Option<(String, String)>,
}

/// `GET /review?period=&lead_unit=`.
pub async fn review_queue(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Query(query): Query<QueueQuery>,
) -> Response {
    queue_page(&desk, &signed, lang, query, None, StatusCode::OK).await
}

async fn queue_page(
    desk: &Arc<Desk>,
    signed: &SignedIn,
    lang: Lang,
    query: QueueQuery,
    kept: Option<Kept>,
    status: StatusCode,
) -> Response {
    if !can(&signed.user, Action::SeeReviewQueue) {
        return problem_page(Problem::Forbidden, lang);
    }
    let period_text = filled(query.period.as_deref()).map(str::to_string);
    let unit_text = filled(query.lead_unit.as_deref()).map(str::to_string);
    let period = match crate::web::review::optional_period("period", period_text.as_deref(), lang) {
        Ok(period) => period,
        Err(problem) => return problem_page(problem.0, lang),
    };
    let context = desk.context(lang);
    let unit = unit_text.clone();
    let Standing { lines, names, units } =
        match tokio::task::spawn_blocking(move || standing(&context, period, unit)).await {
            Ok(Ok(found)) => found,
            Ok(Err(error)) => return problem_page(command_problem(error), lang),
            Err(_) => return problem_page(Problem::Internal, lang),
        };
    let reviewer = can(&signed.user, Action::Review);
    let kept = kept.unwrap_or(Kept { picked: Vec::new(), reason: String::new(), problem: None });
    let (waiting, done): (Vec<&FigureLine>, Vec<&FigureLine>) =
        lines.iter().filter(|l| l.state != "void").partition(|l| l.state == "submitted");
    let list = |rows: &[&FigureLine]| -> Markup {
        html! {
            div.card.scroll { table {
                thead { tr { @for header in words::review_headers(lang) { th { (header) } } } }
                tbody { @for line in rows {
                    tr {
                        td { input type="checkbox" id={ "pick-" (line.id) } name="figure" value=(line.id)
                                 checked[kept.picked.contains(&line.id)] aria-label=(words::pick(lang)); }
                        td { a href={ "/targets/" (line.target) } { (names.get(&line.target).unwrap_or(&line.target)) }
                             br; span.muted { (line.target) " #" (line.id) } }
                        td { (line.period) @if line.late { " " span.muted { (words::late(lang)) } } }
                        td.num { (format_number(line.value)) " " (line.unit) }
                        td { (line.lead_unit.as_deref().unwrap_or("—")) }
                        td { (line.by) }
                        td { span.state { (state_word(&line.state, lang)) }
                             @if let Some(by) = &line.state_by { br; span.muted { (by) } }
                             @if let Some(reason) = &line.state_reason { br; span.muted { (reason) } } }
                    }
                } }
            } }
        }
    };
    let body = html! {
        h1 { (words::review_queue(lang)) }
        form.card method="get" action="/review" {
            div { label for="period" { (words::period_field(lang)) }
                  input #period name="period" value=(period_text.as_deref().unwrap_or("")) placeholder="2020Q3"; }
            div { label for="lead_unit" { (words::lead_unit_field(lang)) }
                  select #lead_unit name="lead_unit" {
                      option value="" { "—" }
                      @for unit in &units { option value=(unit) selected[unit_text.as_deref() == Some(unit.as_str())] { (unit) } }
                  } }
            div { button.secondary type="submit" { (words::show(lang)) } }
        }
        @if let Some(count) = query.reviewed { p #reviewed .ok { (words::reviewed(count, lang)) } }
        @if !reviewer { p.muted { (words::read_only_review(lang)) } }
        form #review method="post" action="/review" {
            input type="hidden" name=(CSRF_FIELD) value=(signed.csrf);
            input type="hidden" name="period" value=(period_text.as_deref().unwrap_or(""));
            input type="hidden" name="lead_unit" value=(unit_text.as_deref().unwrap_or(""));
            @if let Some((place, message)) = &kept.problem {
                @if place != "reason" { p.problem id={ "problem-" (place) } { (message) } }
            }
            h2 { (words::awaiting_review(lang)) }
            @if waiting.is_empty() { p { (words::nothing_awaiting(lang)) } } @else { (list(&waiting)) }
            @if reviewer {
                div.stack {
                    label for="reason" { (words::reason_field(lang)) }
                    textarea #reason name="reason" rows="2" { (kept.reason) }
                    @if let Some((place, message)) = &kept.problem {
                        @if place == "reason" { p.problem #problem-reason { (message) } }
                    }
                }
                p { button #approve type="submit" name="action" value="approve" { (words::approve(lang)) } " "
                    button #return .secondary type="submit" name="action" value="return" { (words::give_back(lang)) } }
            }
            h2 { (words::reviewed_or_returned(lang)) }
            @if done.is_empty() { p { (words::nothing_reviewed(lang)) } } @else { (list(&done)) }
            @if reviewer {
                p { button #reopen .secondary type="submit" name="action" value="reopen" { (words::reopen(lang)) } " "
                    button #void .secondary type="submit" name="action" value="void" { (words::void(lang)) } }
            }
        }
    };
    let shown = Page { title: words::review_queue(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    (status, page(shown, body)).into_response()
}

fn state_word(state: &str, lang: Lang) -> &'static str {
    present::figure_state(FigureState::parse(state).unwrap_or(FigureState::Submitted), lang)
}

/// A command's refusal as a page's problem.
pub fn command_problem(error: anyhow::Error) -> Problem {
    match error.downcast::<crate::error::StoreError>() {
        Ok(store) => Problem::from(store),
        Err(other) => Problem::Unprocessable(vec![crate::web::error::Listed {
            place: String::new(),
            target: None,
            message: format!("{other:#}"),
        }]),
    }
}

/// `POST /review`: `figure` (repeated), `action`, `reason`, and the filter to go back to.
pub async fn review_submit(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let query = QueueQuery { period: field("period"), lead_unit: field("lead_unit"), reviewed: None };
    let back = |count: usize| {
        let mut to = format!("/review?reviewed={count}");
        for (key, value) in [("period", &query.period), ("lead_unit", &query.lead_unit)] {
            if let Some(value) = filled(value.as_deref()) {
                to.push_str(&format!("&{key}={}", urlencode(value)));
            }
        }
        to
    };
    let Some(action) = field("action").as_deref().and_then(action_named) else {
        return problem_page(Problem::NotFound, lang);
    };
    let picked: Vec<i64> =
        fields.iter().filter(|(k, _)| k == "figure").filter_map(|(_, v)| v.trim().parse().ok()).collect();
    let reason = field("reason").unwrap_or_default();
    if !can(&signed.user, Action::Review) {
        // The one door audits the denial and answers 403.
        let problem = crate::web::review::review(&desk, &signed, &address, action, picked, Some(reason)).await;
        return problem_page(problem.err().unwrap_or(Problem::Forbidden), lang);
    }
    if picked.is_empty() {
        let kept = Kept { picked, reason, problem: Some(("figure".into(), words::pick_a_figure(lang).into())) };
        return queue_page(&desk, &signed, lang, query, Some(kept), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let to_keep = picked.clone();
    match crate::web::review::review(&desk, &signed, &address, action, picked, Some(reason.clone())).await {
        Ok(done) => Redirect::to(&back(done.len())).into_response(),
        Err(problem) => match relocalize(problem, action, lang) {
            Problem::Unprocessable(listed) => {
                let first = listed.into_iter().next().map(|l| (l.place, l.message));
                let kept = Kept { picked: to_keep, reason, problem: first };
                queue_page(&desk, &signed, lang, query, Some(kept), StatusCode::UNPROCESSABLE_ENTITY).await
            }
            other => problem_page(other, lang),
        },
    }
}

/// Percent-encodes a query value.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
