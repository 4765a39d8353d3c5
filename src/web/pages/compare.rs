//! `GET /compare?parent=ID&by=value|progress`: a city's family of plans compared
//! indicator by indicator, the numbers and words of `ontrack compare` (the same
//! `commands::compare::comparison`, the same `present::compare` cells).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::cli::WhenArgs;
use crate::compare::By;
use crate::present::{self, compare as words};
use crate::web::error::Problem;
use crate::web::session::{RequestLang, Signed};
use crate::web::Desk;

#[derive(Deserialize)]
pub struct CompareQuery {
    parent: Option<String>,
    by: Option<String>,
}

/// One ranking table, ready to show.
struct Table {
    heading: String,
    since: String,
    rows: Vec<Vec<String>>,
}

struct View {
    parents: Vec<String>,
    parent: String,
    title: String,
    tables: Vec<Table>,
}

fn compute(context: &crate::commands::Context, parent: Option<String>, by: By) -> anyhow::Result<Option<View>> {
    let lang = context.lang;
    let store = context.open_read()?;
    // The plans other plans name as their parent, in the order first named.
    let mut parents: Vec<String> = Vec::new();
    for plan in store.plans()? {
        if let Some(parent) = plan.parent.filter(|p| !parents.contains(p)) {
            parents.push(parent);
        }
    }
    drop(store);
    let Some(parent) = parent.or_else(|| parents.first().cloned()) else {
        return Ok(None);
    };
    let (family, comparison) = crate::commands::compare::comparison(context, &parent, &WhenArgs::default(), &[], by)?;
    let members = family.members();
    let plans: Vec<&crate::plan::Plan> = members.iter().map(|m| m.plan).collect();
    let tables = comparison
        .indicators
        .iter()
        .map(|indicator| Table {
            heading: words::indicator_target(&plans, indicator)
                .map_or_else(|| indicator.code.clone(), |target| words::indicator_heading(target, lang)),
            since: words::change_since(indicator.previous, lang),
            rows: indicator.rows.iter().map(|row| words::cells(plans[row.member], indicator, row, lang)).collect(),
        })
        .collect();
    Ok(Some(View {
        title: words::title(&parent, family.parent_org(lang), comparison.as_of, by, lang),
        parents,
        parent,
        tables,
    }))
}

pub async fn compare_page(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Query(query): Query<CompareQuery>,
) -> Response {
    if !can(&signed.user, Action::Read) {
        return problem_page(Problem::Forbidden, lang);
    }
    let by = if query.by.as_deref() == Some("progress") { By::Progress } else { By::Value };
    let context = desk.context(lang);
    let parent = query.parent.filter(|p| !p.trim().is_empty());
    let shown = |body| {
        let frame =
            Page { title: present::web::compare(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
        page(frame, body).into_response()
    };
    let view = match tokio::task::spawn_blocking(move || compute(&context, parent, by)).await {
        Ok(Ok(Some(view))) => view,
        Ok(Ok(None)) => {
            return shown(html! { h1 { (present::web::compare(lang)) } p.notice { (present::web::no_family(lang)) } })
        }
        Ok(Err(error)) => {
            let message = format!("{error:#}");
            return shown(html! { h1 { (present::web::compare(lang)) } p.notice #problem-compare { (message) } });
        }
        Err(_) => return problem_page(Problem::Internal, lang),
    };
    let headers = words::headers(lang);
    let body = html! {
        h1 { (view.title) }
        form.stack method="get" action="/compare" {
            div { label for="parent" { (present::web::family(lang)) }
                select #parent name="parent" {
                    @for parent in &view.parents {
                        option value=(parent) selected[*parent == view.parent] { (parent) }
                    }
                }
            }
            div { label for="by" { (present::web::rank_by(lang)) }
                select #by name="by" {
                    option value="value" selected[by == By::Value] { (words::ranked_by(By::Value, lang)) }
                    option value="progress" selected[by == By::Progress] { (words::ranked_by(By::Progress, lang)) }
                }
            }
            div { button type="submit" { (present::web::show_period(lang)) } }
        }
        @for table in &view.tables {
            h2 { (table.heading) }
            div.card.scroll {
                table.compare {
                    thead { tr { @for header in &headers { th { (header) } } } }
                    tbody { @for row in &table.rows { tr { @for cell in row { td { (cell) } } } } }
                }
                p.muted { (table.since) }
            }
        }
    };
    shown(body)
}
