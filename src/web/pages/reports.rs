//! `GET /reports`: choose the as-of period and whether only approved figures count,
//! then download the report in one of its five formats (`GET /reports/download`):
//! exactly the bytes `ontrack report --format F` writes for the same options
//! (`commands::report::plan_report_bytes`). Every download is an attachment, so the
//! HTML report, with its own styles, is saved and opened from disk, never rendered
//! under the desk's strict CSP.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;

use super::{page, problem_page, Page};
use crate::access::{can, Action};
use crate::cli::WhenArgs;
use crate::lang::{Lang, Localize};
use crate::period::Period;
use crate::present::{self, web as words};
use crate::report::Format;
use crate::web::api::command_bytes;
use crate::web::error::Problem;
use crate::web::session::{audit_denied, ClientAddress, RequestLang, Signed, SignedIn};
use crate::web::Desk;

/// The formats offered, in the order of their buttons.
const FORMATS: [Format; 5] = [Format::Html, Format::Xlsx, Format::Md, Format::Csv, Format::Json];

/// The choices of both the page and the download (all text, as a form sends them).
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    approved_only: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

impl ReportQuery {
    fn as_of_text(&self) -> &str {
        self.as_of.as_deref().map_or("", str::trim)
    }

    /// A ticked box sends its value; an unticked one sends nothing.
    fn approved_only(&self) -> bool {
        self.approved_only.as_deref().is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
    }
}

/// A format by its file extension (`md`, `html`, `csv`, `json`, `xlsx`).
pub fn format_from_key(key: &str) -> Option<Format> {
    FORMATS.into_iter().find(|format| format.extension() == key)
}

/// The `Content-Type` a download of `format` is sent with.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Md => "text/markdown; charset=utf-8",
        Format::Html => "text/html; charset=utf-8",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

/// The file name a download is saved as: `{plan}-report[-{as_of}][-approved].{ext}`,
/// in the few characters every file system and `Content-Disposition` take unquoted.
pub fn file_name(plan: &str, as_of: Option<Period>, approved_only: bool, format: Format) -> String {
    let mut name = format!("{plan}-report");
    if let Some(period) = as_of {
        name.push_str(&format!("-{period}"));
    }
    if approved_only {
        name.push_str("-approved");
    }
    name.push('.');
    name.push_str(format.extension());
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

/// `GET /reports`.
pub async fn reports(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Query(query): Query<ReportQuery>,
) -> Response {
    if !can(&signed.user, Action::Read) {
        audit_denied(&desk, Some(&signed.user.name), &address, "reports", "role").await;
        return problem_page(Problem::Forbidden, lang);
    }
    reports_page(&desk, lang, &signed, &query, None).await
}

/// The page: the choices, kept as given, and a problem with the last download if any.
async fn reports_page(
    desk: &Arc<Desk>,
    lang: Lang,
    signed: &SignedIn,
    query: &ReportQuery,
    problem: Option<String>,
) -> Response {
    // The periods to choose from: each month and quarter of the current plan's year.
    let year = desk
        .db
        .read(|store| {
            let id = store.resolve_plan_id(None)?;
            Ok(store.plans()?.into_iter().find(|p| p.id == id).map(|p| p.year))
        })
        .await
        .ok()
        .flatten();
    let mut periods = Vec::new();
    if let Some(year) = year {
        for month in 1..=12u8 {
            periods.push(Period::month(year, month));
            if month % 3 == 0 {
                periods.push(Period::quarter(year, month / 3));
            }
        }
    }
    let chosen = query.as_of_text();
    let body = html! {
        h1 { (words::reports(lang)) }
        p.muted { (words::reports_intro(lang)) }
        div.card {
            @if let Some(problem) = &problem { p.problem #problem-report role="alert" { (problem) } }
            form.stack #report method="get" action="/reports/download" {
                div {
                    label for="as_of" { (words::report_as_of(lang)) }
                    select #as_of name="as_of" {
                        option value="" selected[chosen.is_empty()] { (words::report_latest(lang)) }
                        @for period in &periods {
                            @let key = period.to_string();
                            option value=(key) selected[chosen == key] { (present::period(*period, lang)) }
                        }
                    }
                }
                div {
                    label for="approved_only" {
                        input #approved_only type="checkbox" name="approved_only" value="1" checked[query.approved_only()];
                        " " (words::report_approved_only(lang))
                    }
                }
                div {
                    @for format in FORMATS {
                        button id={ "download-" (format.extension()) } type="submit" name="format" value=(format.extension()) {
                            (words::report_format(format, lang))
                        }
                        " "
                    }
                }
            }
        }
    };
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let shown = Page { title: words::reports(lang), lang, user: Some(&signed.user), csrf: Some(&signed.csrf) };
    (status, page(shown, body)).into_response()
}

/// `GET /reports/download?format=&as_of=&approved_only=`: the report as an attachment.
pub async fn download(
    State(desk): State<Arc<Desk>>,
    RequestLang(lang): RequestLang,
    ClientAddress(address): ClientAddress,
    Signed(signed): Signed,
    Query(query): Query<ReportQuery>,
) -> Response {
    if !can(&signed.user, Action::Read) {
        audit_denied(&desk, Some(&signed.user.name), &address, "reports", "role").await;
        return problem_page(Problem::Forbidden, lang);
    }
    let Some(format) = query.format.as_deref().and_then(format_from_key) else {
        return reports_page(&desk, lang, &signed, &query, Some(words::report_unknown_format(lang))).await;
    };
    let as_of = match query.as_of_text() {
        "" => None,
        text => match text.parse::<Period>() {
            Ok(period) => Some(period),
            Err(error) => return reports_page(&desk, lang, &signed, &query, Some(error.localize(lang))).await,
        },
    };
    let when = WhenArgs { as_of, as_recorded: None, approved_only: query.approved_only() };
    let plan = match desk.db.read(|store| Ok(store.resolve_plan_id(None)?)).await {
        Ok(plan) => plan,
        Err(problem) => return problem_page(problem, lang),
    };
    let context = desk.context(lang);
    let wanted = plan.clone();
    let made = command_bytes(move |sink| {
        let bytes = crate::commands::report::plan_report_bytes(&context, Some(&wanted), &when, format)?;
        sink(&bytes)
    })
    .await;
    let bytes = match made {
        Ok(bytes) => bytes,
        Err(Problem::Unprocessable(listed)) => {
            let message = listed.into_iter().map(|l| l.message).collect::<Vec<_>>().join("; ");
            return reports_page(&desk, lang, &signed, &query, Some(message)).await;
        }
        Err(problem) => return problem_page(problem, lang),
    };
    let name = file_name(&plan, as_of, query.approved_only(), format);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(format)));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_by_plan_period_and_choice_in_safe_characters() {
        let q3 = Some(Period::quarter(2020, 3));
        assert_eq!(file_name("jinshui-2020", q3, false, Format::Md), "jinshui-2020-report-2020Q3.md");
        assert_eq!(file_name("jinshui-2020", None, true, Format::Xlsx), "jinshui-2020-report-approved.xlsx");
        assert_eq!(
            file_name("金水\"; x=1", Some(Period::month(2020, 8)), false, Format::Csv),
            "_____x_1-report-2020-08.csv"
        );
    }

    #[test]
    fn every_format_has_its_key_and_type() {
        for format in FORMATS {
            assert_eq!(format_from_key(format.extension()), Some(format));
        }
        assert_eq!(format_from_key("pdf"), None);
        assert_eq!(content_type(Format::Html), "text/html; charset=utf-8");
        assert!(content_type(Format::Xlsx).starts_with("application/vnd.openxmlformats"));
    }
}
