//! `GET /targets/{code}`: one target: its gap chart (the `chart` command's
//! `chart::render_charts`, inlined), every figure and revision with its review state,
//! who, when, source, note and reason (the rows of `ontrack history --format json`,
//! from the same `commands::history` code), and the history as `ontrack history`
//! prints it, review events and reasons included. A returned figure's reason is what
//! the unit needs to see.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{html, PreEscaped};
use serde::Deserialize;

use super::review::command_problem;
use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::cli::{FormatArg, HistoryArgs, PlanArg, WhenArgs};
use crate::lang::{Lang, Text};
use crate::numbers::format_number;
use crate::output::ListFormat;
use crate::present::{self, web as words};
use crate::review::FigureState;
use crate::web::error::Problem;
use crate::web::session::{RequestLang, Signed};
use crate::web::Desk;

/// A figure as `history --format json` gives it (the fields the page shows).
#[derive(Debug, Deserialize)]
struct HistoryLine {
    period: String,
    value: f64,
    source: Option<String>,
    by: String,
    recorded_at: String,
    note: Option<String>,
    reason: Option<String>,
    id: i64,
    current: bool,
    state: String,
    state_by: Option<String>,
    state_reason: Option<String>,
    late: bool,
}

struct TargetView {
    code: String,
    name: String,
    unit: String,
    chart_svg: Option<String>,
    figures: Vec<HistoryLine>,
    /// When each figure was logged, on the plan's clock.
    recorded: Vec<String>,
    history_text: String,
}

fn history(context: &crate::commands::Context, code: &str, format: ListFormat) -> anyhow::Result<Vec<u8>> {
    let args = HistoryArgs {
        target: code.to_string(),
        as_recorded: None,
        format: FormatArg { format },
        plan: PlanArg { plan: None },
    };
    let mut bytes = Vec::new();
    crate::commands::history::run_into(context, args, |out| {
        bytes.extend_from_slice(out);
        Ok(())
    })?;
    Ok(bytes)
}

fn compute(context: &crate::commands::Context, code: &str) -> anyhow::Result<Option<TargetView>> {
    let lang = context.lang;
    let (plan, actuals, states, which) = crate::commands::plan_and_actuals(context, None, &WhenArgs::default())?;
    let Some(target) = plan.target(code) else { return Ok(None) };
    let purpose = Text::new("显示", "show");
    // No figure yet anywhere in the plan: no chart, the rest still shows.
    let chart_svg = crate::commands::figures_as_of(&plan, &actuals, &states, which, &purpose, lang).ok().and_then(
        |(figures, as_of)| {
            crate::chart::render_charts(&plan, &figures, as_of, &[target], false, lang).pop().map(|file| file.svg)
        },
    );
    let figures: Vec<HistoryLine> = serde_json::from_slice(&history(context, &target.code, ListFormat::Json)?)?;
    let recorded = figures
        .iter()
        .map(|f| {
            crate::time::parse_timestamp(&f.recorded_at)
                .map_or_else(|| f.recorded_at.clone(), |at| present::moment(at, plan.timezone, lang))
        })
        .collect();
    let history_text = String::from_utf8(history(context, &target.code, ListFormat::Table)?)?;
    Ok(Some(TargetView {
        code: target.code.clone(),
        name: lang.name(&target.name, Some(&target.name_en)).to_string(),
        unit: target.unit.clone(),
        chart_svg,
        figures,
        recorded,
        history_text,
    }))
}

fn state_word(state: &str, lang: Lang) -> &'static str {
    present::figure_state(FigureState::parse(state).unwrap_or(FigureState::Submitted), lang)
}

pub async fn target_page(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Path(code): Path<String>,
) -> Response {
    if !can(&signed.user, Action::Read) {
        return problem_page(Problem::Forbidden, lang);
    }
    let context = desk.context(lang);
    let code = code.trim().to_ascii_lowercase();
    let view = match tokio::task::spawn_blocking(move || compute(&context, &code)).await {
        Ok(Ok(Some(view))) => view,
        Ok(Ok(None)) => return problem_page(Problem::NotFound, lang),
        Ok(Err(error)) => return problem_page(command_problem(error), lang),
        Err(_) => return problem_page(Problem::Internal, lang),
    };
    let body = html! {
        h1 { (view.name) " " span.muted { (view.code) " · " (view.unit) } }
        @if let Some(svg) = &view.chart_svg {
            div.card.chart { (PreEscaped(crate::html::Html::from_chart_svg(svg).as_str())) }
        }
        h2 { (words::figures_heading(lang)) }
        @if view.figures.is_empty() {
            p { (words::no_figures(lang)) }
        } @else {
            div.card.scroll { table #figures {
                thead { tr { @for header in words::target_figure_headers(lang) { th { (header) } } } }
                tbody { @for (figure, recorded) in view.figures.iter().zip(&view.recorded) {
                    tr id={ "figure-" (figure.id) } {
                        td { (figure.period) @if figure.late { " " span.muted { (words::late(lang)) } }
                             br; span.muted { "#" (figure.id) } }
                        td.num { (format_number(figure.value)) }
                        td { span.state { (state_word(&figure.state, lang)) }
                             @if !figure.current { br; span.muted { (words::revised(lang)) } }
                             @if let Some(by) = &figure.state_by { br; span.muted { (by) } }
                             @if figure.state == "returned" {
                                 @if let Some(reason) = &figure.state_reason {
                                     p.returned id={ "returned-" (figure.id) } { (reason) }
                                 }
                             } @else if let Some(reason) = &figure.state_reason { br; span.muted { (reason) } } }
                        td { (figure.by) }
                        td { (recorded) }
                        td { (figure.source.as_deref().unwrap_or("")) }
                        td { (figure.note.as_deref().unwrap_or("")) }
                        td { (figure.reason.as_deref().unwrap_or("")) }
                    }
                } }
            } }
        }
        h2 { (words::history_heading(lang)) }
        div.card.scroll { pre #history { (view.history_text) } }
    };
    let shown = Page { title: &view.name, lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    page(shown, body).into_response()
}
