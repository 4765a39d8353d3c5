//! Text for charts: cleaning user text so it is valid in XML, escaping it, and
//! estimating how wide it will be on screen so labels can be sized and wrapped
//! without overlapping.
//!
//! Without a font library (plotters' `ttf` feature is off) the real glyph widths are
//! unknown, so widths are estimated per character: full-width (CJK) characters are
//! 1 em, ASCII letters and digits about 0.55 em. The estimate errs on the wide side so
//! a label that fits here fits in every font of the stack.

/// The font stack every chart text uses: a Chinese sans-serif on each platform,
/// then the generic family. Names are unquoted (valid CSS identifiers), so the
/// attribute needs no escaping.
pub const FONT_STACK: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif";

/// Estimated advance of one character, in em.
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.3,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '(' | ')' | '[' | ']' => 0.32,
        'f' | 't' | 'r' | 'I' | '-' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.9,
        'A'..='Z' => 0.68,
        c if c.is_ascii() => 0.58,
        // Latin-1 and general punctuation (–, ’, …) are narrow in CJK fonts too.
        '\u{00A0}'..='\u{024F}' | '\u{2010}'..='\u{2027}' => 0.62,
        // Math symbols (≈ ≤ ≥), arrows, CJK, full-width forms: a full em.
        _ => 1.0,
    }
}

/// Estimated width of `text` in pixels at font size `size`.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// Shortens `text` to fit `max` pixels at `size`, ending in "…" when cut.
pub fn truncate(text: &str, size: f64, max: f64) -> String {
    if width(text, size) <= max {
        return text.to_string();
    }
    let budget = max - width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        used += char_em(c) * size;
        if used > budget {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Breaks `text` into lines of at most `max` pixels at `size`. Latin words stay
/// whole where they can; CJK text may break between any two characters, but not
/// before closing punctuation. At most `max_lines` lines: the last one is
/// truncated with "…" when the text does not fit.
pub fn wrap(text: &str, size: f64, max: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for token in tokens(text) {
        let candidate = format!("{line}{token}");
        if line.is_empty() || width(candidate.trim_end(), size) <= max {
            line = candidate;
            continue;
        }
        lines.push(line.trim_end().to_string());
        line = token.trim_start().to_string();
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    // A single token wider than the line (a long URL) is cut.
    let mut lines: Vec<String> = lines.into_iter().map(|l| truncate(&l, size, max)).collect();
    if lines.len() > max_lines {
        let mut last = lines[max_lines - 1].clone();
        while !last.is_empty() && width(&format!("{last}…"), size) > max {
            last.pop();
        }
        lines.truncate(max_lines - 1);
        lines.push(format!("{}…", last.trim_end()));
    }
    lines
}

/// Splits text into wrap units: a Latin word with its trailing spaces, or one CJK
/// character with any closing punctuation that follows it.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_space = false;
    for c in text.chars() {
        let wide = char_em(c) >= 1.0;
        let closing = "，。、；：？！）》」』”’,.;:?!)%".contains(c);
        if closing || (c == ' ') {
            current.push(c);
            previous_space = c == ' ';
            continue;
        }
        let boundary = wide || previous_space || current.chars().last().is_some_and(|l| char_em(l) >= 1.0);
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
        previous_space = false;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_wider_than_latin() {
        assert!((width("金水区", 10.0) - 30.0).abs() < 1e-9);
        assert!(width("GDP", 10.0) < 30.0);
    }

    #[test]
    fn wraps_chinese_between_characters_and_english_between_words() {
        let lines = wrap("坚持稳中求进工作总基调，地区生产总值增长6.5%左右", 10.0, 100.0, 5);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 10.0) <= 100.0), "{lines:?}");
        assert_eq!(lines.concat(), "坚持稳中求进工作总基调，地区生产总值增长6.5%左右");
        assert!(!lines.iter().any(|l| l.starts_with('，')), "{lines:?}");
        let lines = wrap("registered urban unemployment within four per cent", 10.0, 120.0, 5);
        assert!(lines.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')), "{lines:?}");
        assert_eq!(lines.join(" "), "registered urban unemployment within four per cent");
    }

    #[test]
    fn too_long_text_is_cut_with_an_ellipsis() {
        let lines = wrap(&"很长的原文".repeat(40), 10.0, 100.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…') && !lines[1].ends_with("……"), "{lines:?}");
        assert_eq!(truncate("地区生产总值增速", 10.0, 45.0), "地区生…");
        assert_eq!(truncate("GDP", 10.0, 45.0), "GDP");
    }
}
