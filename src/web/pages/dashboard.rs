//! `GET /`: the dashboard: counts by status, the overview chart, what needs attention.
//! The figures are those `ontrack status` counts (`commands::plan_and_actuals`,
//! `figures_as_of`), evaluated by the same `status::evaluate`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use maud::{html, PreEscaped};

use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::cli::WhenArgs;
use crate::completeness::UnitCompleteness;
use crate::lang::{Lang, Text};
use crate::present::{self, web as words};
use crate::status::Status;
use crate::web::compressed::{accepts_gzip, SharedBody};
use crate::web::error::Problem;
use crate::web::layout::shared_page;
use crate::web::session::{ReadTurn, RequestLang, Signed};
use crate::web::Desk;

/// The dashboard's body (inside the frame), shared by every reader of its language
/// while fresh (`web/fresh.rs`): nothing of the user in it (the frame has the user
/// and the CSRF token). Rendered once: the chart and the table of a city's targets
/// took more than computing them; compressed once, for every browser that takes gzip.
pub(crate) struct DashboardBody(SharedBody);

/// What the dashboard shows, computed on a blocking thread.
struct DashboardView {
    heading: String,
    /// When it was computed, in the plan's zone (`HH:MM:SS`).
    computed_at: String,
    counts: Vec<(Status, usize)>,
    overdue: usize,
    overview_svg: String,
    /// (code, name, status, overdue) of the targets behind or overdue.
    attention: Vec<(String, String, Status, bool)>,
    /// Completeness of the as-of period: its heading, the total, and the lead units
    /// still missing figures or with figures returned (the whole list is `/completeness`).
    completeness_heading: String,
    completeness_total: UnitCompleteness,
    completeness_behind: Vec<UnitCompleteness>,
}

fn compute(context: &crate::commands::Context) -> anyhow::Result<DashboardView> {
    let lang = context.lang;
    let (plan, actuals, states, which) = crate::commands::plan_and_actuals(context, None, &WhenArgs::default())?;
    let purpose = Text::new("显示", "show");
    if actuals.is_empty() {
        // The command's message would point at `ontrack record`; a browser gets its own.
        anyhow::bail!(words::dashboard_empty(lang));
    }
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
    let completeness = crate::completeness::compute(&plan, &actuals, &states, which.as_recorded, as_of, None);
    Ok(DashboardView {
        computed_at: plan.timezone.format(context.now, "%H:%M:%S"),
        completeness_heading: present::completeness_heading(as_of, lang),
        completeness_total: completeness.total.clone(),
        completeness_behind: completeness.units.into_iter().filter(|u| u.missing > 0 || u.returned > 0).collect(),
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
    turn: Option<Extension<ReadTurn>>,
    headers: axum::http::HeaderMap,
) -> Response {
    if !can(&signed.user, Action::Read) {
        return problem_page(Problem::Forbidden, lang);
    }
    let view = desk
        .dashboards
        .get(
            lang,
            || async { desk.db.read(|store| Ok(store.data_stamp()?)).await.map_err(|_| None) },
            || async {
                // Other readers get the view kept till now meanwhile: they need not
                // queue behind this computation for their turn.
                if let Some(Extension(turn)) = &turn {
                    turn.end();
                }
                let context = desk.context(lang);
                match tokio::task::spawn_blocking(move || compute(&context).map(|view| render(&view, lang))).await {
                    Ok(Ok(body)) => Ok(body),
                    Ok(Err(error)) => Err(Some(format!("{error:#}"))),
                    Err(_) => Err(None),
                }
            },
        )
        .await;
    let view = match view {
        Ok(view) => view,
        Err(Some(message)) => {
            let body = html! { h1 { (words::dashboard(lang)) } p.notice { (message) } };
            let shown =
                Page { title: words::dashboard(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
            return page(shown, body).into_response();
        }
        Err(None) => return problem_page(Problem::Internal, lang),
    };
    let shown = Page { title: words::dashboard(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    shared_page(shown, &view.0, accepts_gzip(&headers))
}

/// The dashboard's body, rendered once for every reader of the view's language.
fn render(view: &DashboardView, lang: Lang) -> DashboardBody {
    let body = html! {
        h1 { (view.heading) }
        p.muted #computed-at { (words::computed_at(&view.computed_at, lang)) }
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
        h2 { (view.completeness_heading) }
        div.card.scroll { table {
            thead { tr { @for header in present::headers::completeness(lang) { th { (header) } } } }
            tbody {
                @for (unit, name) in view.completeness_behind.iter().map(|u| (u, u.lead_unit.as_deref().unwrap_or("—"))).chain([(&view.completeness_total, present::report::total(lang))]) {
                    tr {
                        td { (name) }
                        @for count in [unit.due, unit.submitted, unit.on_time, unit.approved, unit.returned, unit.missing] {
                            td.num { (count) }
                        }
                        td.num { (present::reporting_rate(unit.rate())) }
                    }
                }
            }
        } }
    };
    DashboardBody(SharedBody::new(body.into_string()))
}
