//! The language of labels and reports: Chinese by default, English on request.

use std::str::FromStr;

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

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        match s {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language {other:?}: use zh or en")),
        }
    }
}

impl Lang {
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
