//! `GET /completeness?period=`: per lead unit, the targets due in the period and how
//! many are submitted, on time, approved, returned and missing: the numbers of
//! `ontrack completeness`, from the same `commands::completeness::load`
//! (`completeness::compute`), under the same headers.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Datelike as _;
use maud::html;
use serde::Deserialize;

use super::review::command_problem;
use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::completeness::UnitCompleteness;
use crate::period::Period;
use crate::present::{self, web as words};
use crate::web::error::Problem;
use crate::web::review::{filled, optional_period};
use crate::web::session::{RequestLang, Signed};
use crate::web::Desk;

#[derive(Deserialize)]
pub struct CompletenessQuery {
    period: Option<String>,
}

/// The period shown when none is asked: the last quarter of the plan's year that has
/// ended by `today` (the plan's first quarter before any has).
pub fn default_quarter(year: i32, today: chrono::NaiveDate) -> Period {
    let quarter = if today.year() > year {
        4
    } else if today.year() < year {
        1
    } else {
        ((today.month0() / 3) as i32).max(1)
    };
    format!("{year}Q{quarter}").parse().expect("a quarter of the year parses")
}

pub async fn completeness(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    Signed(signed): Signed,
    Query(query): Query<CompletenessQuery>,
) -> Response {
    if !can(&signed.user, Action::SeeReviewQueue) {
        return problem_page(Problem::Forbidden, lang);
    }
    let asked = match optional_period("period", query.period.as_deref(), lang) {
        Ok(period) => period,
        Err(problem) => return problem_page(problem.0, lang),
    };
    let context = desk.context(lang);
    let now = desk.now();
    let computed = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let period = match asked {
            Some(period) => period,
            None => {
                let store = context.open_read()?;
                let plan = store.load_plan(&store.resolve_plan_id(None)?)?;
                default_quarter(plan.year, plan.timezone.local_date(now))
            }
        };
        crate::commands::completeness::load(&context, None, period, None)
    })
    .await;
    let result = match computed {
        Ok(Ok(result)) => result,
        Ok(Err(error)) => return problem_page(command_problem(error), lang),
        Err(_) => return problem_page(Problem::Internal, lang),
    };
    let row =
        |unit: &UnitCompleteness| [unit.due, unit.submitted, unit.on_time, unit.approved, unit.returned, unit.missing];
    let body = html! {
        h1 { (present::completeness_heading(result.period, lang)) }
        form.card method="get" action="/completeness" {
            div { label for="period" { (words::period_field(lang)) }
                  input #period name="period" value=(filled(query.period.as_deref()).unwrap_or(&result.period.label())); }
            div { button.secondary type="submit" { (words::show(lang)) } }
        }
        @if result.units.is_empty() {
            p { (present::nothing_due(result.period, lang).trim_end()) }
        } @else {
            div.card.scroll { table #completeness {
                thead { tr { @for header in present::headers::completeness(lang) { th { (header) } } } }
                tbody {
                    @for unit in &result.units {
                        tr {
                            td { (unit.lead_unit.as_deref().unwrap_or("—")) }
                            @for count in row(unit) { td.num { (count) } }
                            td.num { (present::reporting_rate(unit.rate())) }
                        }
                    }
                    tr.total {
                        th { (present::report::total(lang)) }
                        @for count in row(&result.total) { td.num { b { (count) } } }
                        td.num { b { (present::reporting_rate(result.total.rate())) } }
                    }
                }
            } }
        }
    };
    let shown = Page { title: words::completeness(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    page(shown, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::default_quarter;
    use chrono::NaiveDate;

    #[test]
    fn the_default_quarter_is_the_last_one_ended_within_the_plans_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(default_quarter(2020, day(2020, 10, 15)).label(), "2020Q3");
        assert_eq!(default_quarter(2020, day(2020, 4, 1)).label(), "2020Q1");
        assert_eq!(default_quarter(2020, day(2020, 2, 1)).label(), "2020Q1");
        assert_eq!(default_quarter(2020, day(2021, 3, 31)).label(), "2020Q4");
        assert_eq!(default_quarter(2021, day(2020, 12, 1)).label(), "2021Q1");
    }
}
