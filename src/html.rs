//! HTML that is known to be safe to place in a page: [`Html`] is text already escaped
//! (or markup we wrote ourselves), so markup is built only from `Html` values and a raw
//! `&str` cannot be pasted into it by mistake. [`html!`](crate::html!) appends to an
//! `Html` from a literal template whose arguments must be `Html` too.

use std::fmt;

/// Escaped text or our own markup, ready to sit in element content or a quoted
/// attribute value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    pub fn new() -> Html {
        Html(String::new())
    }

    pub fn with_capacity(capacity: usize) -> Html {
        Html(String::with_capacity(capacity))
    }

    /// Escapes text for element content and quoted attribute values
    /// ([`crate::escape::html`]).
    pub fn escape(text: &str) -> Html {
        Html(crate::escape::html(text))
    }

    /// Markup written in our source (a style sheet, a class name, a colour): only a
    /// `'static` string, so user text cannot come in this way.
    pub fn trusted(markup: &'static str) -> Html {
        Html(markup.to_string())
    }

    /// One of our SVG charts, ready to sit inside HTML: the XML prolog removed. A chart
    /// that carries script or foreign content is not inlined (ours never do; this keeps
    /// a future bug from turning into script in a page).
    pub fn from_chart_svg(svg: &str) -> Html {
        let Some(start) = svg.find("<svg") else { return Html::new() };
        let body = &svg[start..];
        let lower = body.to_ascii_lowercase();
        if lower.contains("<script") || lower.contains("<foreignobject") || lower.contains("javascript:") {
            return Html::new();
        }
        Html(body.trim_end().to_string())
    }

    pub fn push(&mut self, html: &Html) {
        self.0.push_str(&html.0);
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Empties it, keeping its capacity (a page written out piece by piece).
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// For [`html!`](crate::html!) only: an `Html` argument as the text to write.
    #[doc(hidden)]
    pub fn markup(html: &Html) -> &str {
        &html.0
    }

    /// For [`html!`](crate::html!) only: appends a template whose literal is ours and
    /// whose arguments went through [`Html::markup`].
    #[doc(hidden)]
    pub fn push_template(&mut self, args: fmt::Arguments<'_>) {
        let _ = fmt::Write::write_fmt(&mut self.0, args);
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appends to an [`Html`] a string literal with `{}` placeholders, each filled by an
/// `Html` argument (anything else does not compile). Name no variables inside the
/// literal (`{x}`): those would bypass the check.
#[macro_export]
macro_rules! html {
    ($out:expr, $template:literal $(, $arg:expr)* $(,)?) => {
        $out.push_template(format_args!($template $(, $crate::html::Html::markup(&$arg))*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_html() {
        assert_eq!(
            Html::escape("<a href=\"x\">'&'</a>").as_str(),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(Html::escape("a\u{7}b\n").as_str(), "a\u{FFFD}b\n");
    }

    #[test]
    fn the_template_takes_html() {
        let mut out = Html::new();
        html!(out, "<p class=\"{}\">{}</p>", Html::trusted("x"), Html::escape("<b>"));
        assert_eq!(out.as_str(), "<p class=\"x\">&lt;b&gt;</p>");
    }

    #[test]
    fn unsafe_svg_is_not_inlined() {
        assert_eq!(Html::from_chart_svg("<svg><script>alert(1)</script></svg>").as_str(), "");
        assert_eq!(Html::from_chart_svg("<?xml version=\"1.0\"?>\n<svg/>\n").as_str(), "<svg/>");
    }
}
