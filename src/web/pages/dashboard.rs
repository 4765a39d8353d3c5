//! `GET /`: the dashboard: counts by status, the overview chart, what needs attention.
//! The figures are those `ontrack status` counts (`commands::plan_and_actuals`,
//! `figures_as_of`), evaluated by the same `status::evaluate`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{html, PreEscaped};

use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::cli::WhenArgs;
use crate::lang::Text;
use crate::present::{self, web as words};
use crate::status::Status;
use crate::web::error::Problem;
use crate::web::session::{RequestLang, Signed};
use crate::web::Desk;

/// What the dashboard shows, computed on a blocking thread.
struct DashboardView {
    heading: String,
    counts: Vec<(Status, usize)>,
    overdue: usize,
    overview_svg: String,
    /// (code, name, status, overdue) of the targets behind or overdue.
    attention: Vec<(String, String, Status, bool)>,
}

fn compute(context: &crate::commands::Context) -> anyhow::Result<DashboardView> {
    let lang = context.lang;
    let (plan, actuals, states, which) = crate::commands::plan_and_actuals(context, None, &WhenArgs::default())?;
    let purpose = Text::new("显示", "show");
    let (figures, as_of) = crate::commands::figures_as_of(&plan, &actuals, &states, which, &purpose, lang)?;
    let status = crate::status::evaluate(&plan, &figures, as_of);
    let (counts, overdue) = status.counts();
    let overview_svg = crate::chart::render_charts(&plan, &figures, as_of, &[], true, lang)
        .pop()
        .map(|file| file.svg)
        .unwrap_or_default();
    let attention = status
        .targets
        .iter()
        .filter(|t| t.status.is_behind() || t.overdue)
        .map(|t| {
            (
                t.code.clone(),
                plan.target(&t.code).map_or_else(
                    || t.code.clone(),
                    |target| lang.name(&target.name, Some(&target.name_en)).to_string(),
                ),
                t.status,
                t.overdue,
            )
        })
        .collect();
    Ok(DashboardView {
        heading: words::dashboard_heading(
            lang.name(&plan.org, plan.org_en.as_deref()),
            plan.year,
            &present::period(as_of, lang),
            lang,
        ),
        counts: crate::status::Status::ALL.iter().copied().zip(counts).collect(),
        overdue,
        overview_svg,
        attention,
    })
}

pub async fn dashboard(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
) -> Response {
    if !can(&signed.user, Action::Read) {
        return problem_page(Problem::Forbidden, lang);
    }
    let context = desk.context(lang);
    let view = match tokio::task::spawn_blocking(move || compute(&context)).await {
        Ok(Ok(view)) => view,
        Ok(Err(error)) => {
            let message = format!("{error:#}");
            let body = html! { h1 { (words::dashboard(lang)) } p.notice { (message) } };
            let shown =
                Page { title: words::dashboard(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
            return page(shown, body).into_response();
        }
        Err(_) => return problem_page(Problem::Internal, lang),
    };
    let body = html! {
        h1 { (view.heading) }
        h2 { (words::status_counts(lang)) }
        ul.counts {
            @for (status, count) in &view.counts {
                li { b { (count) } (present::status(*status, lang)) }
            }
            li { b { (view.overdue) } (words::overdue(lang)) }
        }
        h2 { (words::overview(lang)) }
        div.card.chart { (PreEscaped(crate::html::Html::from_chart_svg(&view.overview_svg).as_str())) }
        h2 { (words::attention(lang)) }
        @if view.attention.is_empty() {
            p { (words::nothing_needs_attention(lang)) }
        } @else {
            div.card.scroll { table {
                tbody {
                    @for (code, name, status, overdue) in &view.attention {
                        tr {
                            td { a href={ "/targets/" (code) } { (name) } br; span.muted { (code) } }
                            td { (present::status(*status, lang)) @if *overdue { " · " (words::overdue(lang)) } }
                        }
                    }
                }
            } }
        }
    };
    let shown = Page { title: words::dashboard(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    page(shown, body).into_response()
}
