//! The frame of every page: title, the bar with the menu, the language switch and
//! sign-out, then the page's own body.

use maud::{html, Markup, DOCTYPE};

use crate::access::{can, Action};
use crate::accounts::User;
use crate::lang::Lang;
use crate::present::web as words;
use crate::web::session::CSRF_FIELD;

/// What the frame needs to know.
pub struct Page<'a> {
    pub title: &'a str,
    pub lang: Lang,
    /// The signed-in user (menu and sign-out), none on the sign-in page.
    pub user: Option<&'a User>,
    /// The session's token, for the sign-out form.
    pub csrf: Option<&'a str>,
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
                                a #nav-dashboard href="/" { (words::dashboard(lang)) }
                                @if user.role == crate::accounts::Role::Filer {
                                    a #nav-entry href="/entry" { (words::entry(lang)) }
                                }
                                @if can(user, Action::Review) {
                                    a #nav-review href="/review" { (words::review_queue(lang)) }
                                }
                                @if can(user, Action::SeeReviewQueue) {
                                    a #nav-completeness href="/completeness" { (words::completeness(lang)) }
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
