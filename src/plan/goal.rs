//! A target's goal in words: `≈ 6.5 %`, `≤ 4 %`, `≥ 95 %`, `> 140 幢`, `92 条`.

use super::{Cmp, Kind, Target};
use crate::lang::Lang;
use crate::numbers::format_number;

/// The goal as a supervision sheet writes it.
pub fn goal_in_words(target: &Target, lang: Lang) -> String {
    match target.kind {
        Kind::Relative => {
            let related = target.related.as_deref().unwrap_or("?");
            match lang {
                Lang::Zh => format!("与 {related} 同步"),
                Lang::En => format!("in step with {related}"),
            }
        }
        Kind::Milestone => match lang {
            Lang::Zh => "完成 (100 %)".to_string(),
            Lang::En => "done (100 %)".to_string(),
        },
        _ => {
            let symbol = match target.cmp {
                Cmp::About => "≈ ",
                Cmp::AtMost => "≤ ",
                Cmp::AtLeast => "≥ ",
                Cmp::MoreThan => "> ",
                Cmp::Reach => "",
            };
            format!("{symbol}{} {}", format_number(target.value), target.unit)
        }
    }
}
