//! Character-level helpers. A line is kept twice, char for char: as written (for
//! quotes) and normalised (full-width digits and punctuation folded), so a position
//! found in the normalised text cuts the same clause out of the original.

/// One piece of text: the original chars and their normalised twins, same length.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub orig: Vec<char>,
    pub norm: Vec<char>,
}

impl Text {
    pub fn new(line: &str) -> Text {
        let orig: Vec<char> = line.chars().collect();
        let mut norm: Vec<char> = orig.iter().map(|&c| fold(c)).collect();
        // A comma inside a number (1,500) is a thousands separator, not a clause break.
        for i in 1..norm.len() {
            let thousands = orig[i] == ','
                && norm[i - 1].is_ascii_digit()
                && (1..=3).all(|k| norm.get(i + k).is_some_and(char::is_ascii_digit))
                && !norm.get(i + 4).is_some_and(char::is_ascii_digit);
            if thousands {
                norm[i] = ',';
            }
        }
        Text { orig, norm }
    }

    pub fn len(&self) -> usize {
        self.norm.len()
    }

    pub fn is_empty(&self) -> bool {
        self.norm.is_empty()
    }

    pub fn slice(&self, start: usize, end: usize) -> Text {
        Text { orig: self.orig[start..end].to_vec(), norm: self.norm[start..end].to_vec() }
    }

    /// The same text without surrounding spaces.
    pub fn trim(&self) -> Text {
        let start = self.norm.iter().position(|c| !c.is_whitespace()).unwrap_or(self.norm.len());
        let end = self.norm.iter().rposition(|c| !c.is_whitespace()).map_or(start, |i| i + 1);
        self.slice(start, end)
    }

    pub fn quote(&self) -> String {
        self.orig.iter().collect::<String>().trim().to_string()
    }

    pub fn norm_string(&self) -> String {
        self.norm.iter().collect()
    }

    /// Splits at every char for which `is_break` holds; the break chars are dropped
    /// and empty pieces are skipped.
    pub fn split(&self, is_break: impl Fn(char) -> bool) -> Vec<Text> {
        let mut pieces = Vec::new();
        let mut start = 0;
        for i in 0..=self.len() {
            if i == self.len() || is_break(self.norm[i]) {
                let piece = self.slice(start, i).trim();
                if !piece.is_empty() {
                    pieces.push(piece);
                }
                start = i + 1;
            }
        }
        pieces
    }
}

/// Folds full-width forms to the ones the extractor looks for.
fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
        'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c),
        '％' | '﹪' => '%',
        '．' => '.',
        ',' | '，' => '，',
        ';' | '；' => '；',
        ':' | '：' => '：',
        '（' => '(',
        '）' => ')',
        '!' | '！' => '！',
        '?' | '？' => '？',
        '\u{3000}' | '\t' | '\u{a0}' => ' ',
        _ => c,
    }
}

pub fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

pub fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Whether `needle` occurs in `hay` at `at`.
pub fn at(hay: &[char], at: usize, needle: &str) -> bool {
    (at..).zip(needle.chars()).all(|(i, c)| hay.get(i) == Some(&c))
}

pub fn find(hay: &[char], needle: &str) -> Option<usize> {
    (0..hay.len()).find(|&i| at(hay, i, needle))
}

pub fn find_from(hay: &[char], from: usize, needle: &str) -> Option<usize> {
    (from..hay.len()).find(|&i| at(hay, i, needle))
}

pub fn contains(hay: &[char], needle: &str) -> bool {
    find(hay, needle).is_some()
}

pub fn contains_any(hay: &[char], needles: &[&str]) -> bool {
    needles.iter().any(|n| contains(hay, n))
}

pub fn ends_with(hay: &[char], needle: &str) -> bool {
    let n = needle.chars().count();
    hay.len() >= n && at(hay, hay.len() - n, needle)
}

pub fn starts_with(hay: &[char], needle: &str) -> bool {
    at(hay, 0, needle)
}

/// The value of a Chinese numeral up to the thousands (三 3, 十二 12, 两百 200).
pub fn chinese_number(digits: &[char]) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    let mut total = 0;
    let mut current = 0;
    for &c in digits {
        let digit = match c {
            '零' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = digit {
            current = d;
            continue;
        }
        let scale = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total += if current == 0 { 1 } else { current } * scale;
        current = 0;
    }
    Some(total + current)
}

pub fn is_chinese_digit(c: char) -> bool {
    "零一二两三四五六七八九十百千".contains(c)
}

/// Four-digit years written `2020年`, with the position of each.
pub fn years(text: &[char]) -> Vec<(usize, i32)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 5 <= text.len() {
        let digits = &text[i..i + 4];
        let is_year = digits.iter().all(char::is_ascii_digit)
            && text[i + 4] == '年'
            && (i == 0 || !text[i - 1].is_ascii_digit())
            && matches!(text[i], '1' | '2');
        if is_year {
            let year: String = digits.iter().collect();
            if let Ok(year) = year.parse() {
                found.push((i, year));
            }
            i += 5;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_keeps_positions_and_reads_chinese_numerals() {
        let text = Text::new("新增１，５００家，增长６．５％（左右）");
        assert_eq!(text.norm_string(), "新增1，500家，增长6.5%(左右)");
        assert_eq!(text.orig.len(), text.norm.len());
        let text = Text::new("新增1,500家,增长");
        assert_eq!(text.norm_string(), "新增1,500家，增长");
        assert_eq!(chinese_number(&chars("三")), Some(3));
        assert_eq!(chinese_number(&chars("十二")), Some(12));
        assert_eq!(chinese_number(&chars("二十")), Some(20));
        assert_eq!(chinese_number(&chars("两百")), Some(200));
        assert_eq!(chinese_number(&chars("个")), None);
        assert_eq!(years(&chars("2020年和到2025年,1999年")), vec![(0, 2020), (7, 2025), (13, 1999)]);
    }
}
