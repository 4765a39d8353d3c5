//! The language of labels, reports and messages: Chinese by default, English on request.
//!
//! There is no process-wide language: each caller passes the `Lang` of its request
//! (the command line's `--lang`), so one process may serve both at once.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl Lang {
    /// Picks the Chinese or the English of two values of any type (formatted messages).
    pub fn choose<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Picks one of two parallel lists (table headers).
    pub fn pick_all<'a>(self, zh: &[&'a str], en: &[&'a str]) -> Vec<&'a str> {
        match self {
            Lang::Zh => zh.to_vec(),
            Lang::En => en.to_vec(),
        }
    }

    /// A name in this language, falling back to the Chinese one when no English is given.
    pub fn name<'a>(self, zh: &'a str, en: Option<&'a str>) -> &'a str {
        match (self, en) {
            (Lang::En, Some(en)) if !en.is_empty() => en,
            _ => zh,
        }
    }
}

/// A message a person reads, in the language asked for. Library errors implement it:
/// their data stays typed, each message is written once per language in its
/// `localize`, and their `Display` is the English (`localize(Lang::En)`).
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

/// A text in both languages, made where its data is at hand (a bad row, a plan
/// field) and shown later in the language asked for. `Display` is the English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl Localize for Text {
    fn localize(&self, lang: Lang) -> String {
        self.get(lang).to_string()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A `Text` may be an error itself: `anyhow::Error::new(Text::new(zh, en))` where a
/// command refuses with no typed error of the library behind it.
impl std::error::Error for Text {}

/// An operating-system error in `lang`: the common kinds in Chinese, the system's own
/// words for the rest.
pub fn io_text(error: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind;
    let zh = match error.kind() {
        ErrorKind::NotFound => "文件或目录不存在",
        ErrorKind::PermissionDenied => "没有访问权限",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::IsADirectory => "这是一个目录",
        ErrorKind::NotADirectory => "路径中有一项不是目录",
        ErrorKind::StorageFull => "磁盘空间已满",
        ErrorKind::ReadOnlyFilesystem => "文件系统为只读",
        _ => return error.to_string(),
    };
    lang.choose(zh.to_string(), error.to_string())
}

#[cfg(test)]
mod tests {
    use super::{Lang, Localize, Text};

    #[test]
    fn a_text_is_shown_in_the_language_asked_for() {
        let text = Text::new("未作任何更改。", "nothing was changed.");
        assert_eq!(text.localize(Lang::Zh), "未作任何更改。");
        assert_eq!(text.localize(Lang::En), "nothing was changed.");
        assert_eq!(text.to_string(), "nothing was changed.");
        assert_eq!(Lang::Zh.choose(1, 2), 1);
        assert_eq!(Lang::En.choose(String::from("zh"), String::from("en")), "en");
    }
}
