//! The frame of every page: title, the bar with the menu, the language switch and
//! sign-out, then the page's own body.

use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::response::{IntoResponse as _, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::compressed::SharedBody;

use crate::access::{can, Action};
use crate::accounts::User;
use crate::lang::Lang;
use crate::present::web as words;

/// The field a form sends the session's CSRF token in (`session::guard` reads it).
pub const CSRF_FIELD: &str = "csrf";

/// What the frame needs to know.
pub struct Page<'a> {
    pub title: &'a str,
    pub lang: Lang,
    /// The signed-in user (menu and sign-out), none on the sign-in page.
    pub user: Option<&'a User>,
    /// The session's token, for the sign-out form.
    pub csrf: Option<&'a str>,
}

/// The menu `user` sees: (id, path, label). Each link is shown when `can` allows what
/// its page does, so a link is never offered to someone the page would refuse.
pub fn menu(user: &User, lang: Lang) -> Vec<(&'static str, &'static str, &'static str)> {
    let files = user.lead_unit.as_deref().is_some_and(|unit| can(user, Action::LogFigure { lead_unit: unit }));
    let links = [
        ("nav-dashboard", "/", words::dashboard(lang), can(user, Action::Read)),
        ("nav-entry", "/entry", words::entry(lang), files),
        ("nav-review", "/review", words::review(lang), can(user, Action::Review)),
        ("nav-completeness", "/completeness", words::completeness(lang), can(user, Action::SeeReviewQueue)),
        ("nav-compare", "/compare", words::compare(lang), can(user, Action::Read)),
        ("nav-reports", "/reports", words::reports(lang), can(user, Action::Read)),
        ("nav-accounts", "/accounts", words::accounts(lang), can(user, Action::ManageAccounts)),
    ];
    links.into_iter().filter(|link| link.3).map(|(id, href, label, _)| (id, href, label)).collect()
}

pub fn page(shown: Page<'_>, body: Markup) -> axum::response::Html<String> {
    let lang = shown.lang;
    let other = match lang {
        Lang::Zh => ("en", "English"),
        Lang::En => ("zh", "中文"),
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (shown.title) " · " (words::desk_name(lang)) }
                link rel="stylesheet" href="/assets/desk.css";
            }
            body {
                header.bar {
                    span.brand { (words::desk_name(lang)) }
                    @if let Some(user) = shown.user {
                        @if !user.must_change_password {
                            nav {
                                @for (id, href, label) in menu(user, lang) {
                                    a id=(id) href=(href) { (label) }
                                }
                            }
                        }
                        span.muted { (user.name) " · " (user.role.name(lang)) @if let Some(unit) = &user.lead_unit { " · " (unit) } }
                        a href="/password" { (words::change_password(lang)) }
                        @if let Some(csrf) = shown.csrf {
                            form.inline method="post" action="/logout" {
                                input type="hidden" name=(CSRF_FIELD) value=(csrf);
                                button.secondary type="submit" { (words::sign_out(lang)) }
                            }
                        }
                    }
                    a href={ "?lang=" (other.0) } hreflang=(other.0) { (other.1) }
                }
                main { (body) }
            }
        }
    };
    axum::response::Html(markup.into_string())
}

/// Stands in the frame for a shared body. No text maud escapes can contain it (`<`
/// is escaped), so it occurs once, where the body goes.
const BODY_MARK: &str = "<!--ontrack:body-->";

/// The frame around a body shared by many readers (`compressed.rs`): one gzip stream
/// when the browser takes it, else the page as `page` makes it.
pub fn shared_page(shown: Page<'_>, body: &SharedBody, gzip: bool) -> Response {
    let frame = page(shown, PreEscaped(BODY_MARK.to_string())).0;
    let (before, after) = frame.split_once(BODY_MARK).unwrap_or((&frame, ""));
    if gzip {
        let headers =
            [(CONTENT_TYPE, "text/html; charset=utf-8"), (CONTENT_ENCODING, "gzip"), (VARY, "accept-encoding")];
        (headers, body.gzip_between(before, after)).into_response()
    } else {
        let html = [before, body.html(), after].concat();
        ([(VARY, "accept-encoding")], axum::response::Html(html)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    fn ids(user: &User) -> Vec<&'static str> {
        menu(user, Lang::Zh).into_iter().map(|(id, _, _)| id).collect()
    }

    #[test]
    fn each_role_sees_the_links_its_pages_allow() {
        let table: [(User, &[&str]); 4] = [
            (
                User::of_role(Role::Filer, Some("区统计局")),
                &["nav-dashboard", "nav-entry", "nav-compare", "nav-reports"],
            ),
            (
                User::of_role(Role::Reviewer, None),
                &["nav-dashboard", "nav-review", "nav-completeness", "nav-compare", "nav-reports"],
            ),
            (User::of_role(Role::Leader, None), &["nav-dashboard", "nav-completeness", "nav-compare", "nav-reports"]),
            (
                User::of_role(Role::Admin, None),
                &["nav-dashboard", "nav-completeness", "nav-compare", "nav-reports", "nav-accounts"],
            ),
        ];
        for (user, expected) in table {
            assert_eq!(ids(&user), expected, "{:?}", user.role);
        }
    }

    #[test]
    fn a_one_time_password_or_a_disabled_account_sees_no_link() {
        let mut fresh = User::of_role(Role::Admin, None);
        fresh.must_change_password = true;
        assert!(ids(&fresh).is_empty());
        let mut gone = User::of_role(Role::Filer, Some("区统计局"));
        gone.disabled = true;
        assert!(ids(&gone).is_empty());
    }
}
