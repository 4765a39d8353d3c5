//! Drafting a plan from the text of a work report (`ontrack extract`): text in,
//! draft plan out. No IO: the command reads the file and writes the draft.
//!
//! The text is read line by line. Headings (一、 （一） A 一是 【…】 and known titles
//! such as 主要预期目标) give the sections; the review of last year (…回顾) and
//! commentary (解读, 点评) are skipped; lines before the first full sentence are the
//! headline and lead, whose targets are kept only when the body does not repeat
//! them. Paragraphs are cut into sentences (。), parts (；) and clauses (，：), and
//! each clause is read by [`clause`]. Sentences about past years or about a year
//! after the plan's (到2025年) are left out.

pub mod clause;
mod guess;
mod quantity;
pub mod render;
mod text;

use std::collections::BTreeMap;

use self::clause::{read_group, split_enumeration, strip_fillers, Found};
use self::text::{chars, contains, contains_any, find, is_chinese_digit, starts_with, years, Text};
use crate::lang::{Lang, Localize, Text as Phrase};
use crate::period::Frequency;
use crate::plan::{Cmp, Commitment, Kind, Plan, Section, Target};

/// What the user says about the report; what is not said is guessed from the text.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub org: Option<String>,
    pub year: Option<i32>,
}

/// A draft plan with what a person should check.
#[derive(Debug, Clone)]
pub struct Draft {
    pub plan: Plan,
    /// Notes about the whole plan (guessed org or year), for the file's head (in
    /// English, as the file's other comments) and the terminal (in `--lang`).
    pub notes: Vec<Phrase>,
    /// For each target of `plan.targets`, in order: why it needs a look (may be empty).
    pub reviews: Vec<Vec<String>>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{}", self.localize(Lang::En))]
pub enum ExtractError {
    NoYear,
    NoOrg,
    NoTargets {
        year: i32,
    },
    /// Figures were found, but all of them about years before `year`.
    OnlyPastFigures {
        year: i32,
        figures: usize,
    },
}

fn no_targets(year: i32, past_figures: usize) -> ExtractError {
    if past_figures > 0 {
        ExtractError::OnlyPastFigures { year, figures: past_figures }
    } else {
        ExtractError::NoTargets { year }
    }
}

impl Localize for ExtractError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ExtractError::NoYear => lang
                .pick(
                    "无法从文本判断计划年度（文中没有“2020年”这样的年份）；请加 --year YYYY",
                    "cannot tell the plan year from the text (no year such as 2020年 in it); pass --year YYYY",
                )
                .to_string(),
            ExtractError::NoOrg => lang
                .pick(
                    "无法从文本判断单位（文中没有单独出现、以区、县或市结尾的名称）；请加 --org NAME",
                    "cannot tell the organisation from the text (no name ending in 区, 县 or 市 stands on its own in \
                     it); pass --org NAME",
                )
                .to_string(),
            ExtractError::NoTargets { year } => lang.choose(
                format!(
                    "文中没有找到 {year} 年的目标：既没有带单位的数字（增长6.5%、92条、30万平方米），也没有节点目标；\
                     请确认这是政府工作报告，且 {year} 是其计划年度（--year）"
                ),
                format!(
                    "found no target for {year} in the text: no figure with a unit (增长6.5%, 92条, 30万平方米) and no \
                     milestone; is it a work report, and is {year} its plan year (--year)?"
                ),
            ),
            ExtractError::OnlyPastFigures { year, figures } => lang.choose(
                format!(
                    "文中有 {figures} 个带单位的数字，但都是 {year} 年以前的（工作回顾、“预计全年”、上年完成情况），\
                     没有 {year} 年的目标；若这份报告的计划年度不是 {year}，请用 --year 指定"
                ),
                format!(
                    "found {figures} figures with a unit, but all are for years before {year} (the review of last \
                     year, estimates, last year's results), and no target for {year}; if the report plans another \
                     year, pass --year"
                ),
            ),
        }
    }
}

/// The section targets go to when the report has no heading above them.
const GENERAL: (&str, &str) = ("general", "未分节的目标");

/// Reads a report and drafts its plan.
pub fn extract(text: &str, options: &Options) -> Result<Draft, ExtractError> {
    let mut notes = Vec::new();
    let year = match options.year {
        Some(year) => year,
        None => {
            let year = guess::year(text).ok_or(ExtractError::NoYear)?;
            notes.push(Phrase::new(
                format!("年度 {year} 系根据文本推断（文中出现最多的年份），请核对"),
                format!("year {year} guessed from the text (the year written most often); check it"),
            ));
            year
        }
    };
    let org = match &options.org {
        Some(org) => org.clone(),
        None => {
            let org = guess::org(text).ok_or(ExtractError::NoOrg)?;
            notes.push(Phrase::new(
                format!("单位 {org} 系根据文本推断（文中出现最多的区/县/市名称），请核对"),
                format!("org {org} guessed from the text (the 区/县/市 name written most often); check it"),
            ));
            org
        }
    };
    let mut walker = Walker::new(year);
    let items = dedupe(walker.walk(text));
    if items.is_empty() {
        return Err(no_targets(year, walker.past_figures));
    }
    let (plan, reviews) = assemble(items, org, year, &mut notes);
    if plan.targets().is_empty() {
        return Err(no_targets(year, walker.past_figures));
    }
    Ok(Draft { plan, notes, reviews })
}

/// A target found, with where it was found.
#[derive(Debug, Clone)]
struct Item {
    found: Found,
    section: (String, String),
    commitment: Commitment,
    /// From the headline or lead, before the body of the text.
    lead: bool,
}

/// A heading: its level (0 a bare title, 1 above 2), its marker, its title, and any
/// text after it on the same line (（一）壮大现代产业体系。聚焦…).
struct Heading {
    level: u8,
    marker: Marker,
    title: String,
    rest: Option<Text>,
    /// A letter alone on its line: the title is the next line, which is used up.
    title_from_next: bool,
}

enum Marker {
    /// 主要预期目标: the headline section; numbered when it is a chapter
    /// (二、主要目标和重点工作), whose subsections are then numbered 2.1, 2.2 ….
    Main(Option<u32>),
    /// A, B …: the letter is the section id.
    Letter(char),
    /// 一、 （一） 一是: numbered.
    Number(u32),
    /// 1. 1、 (1): numbered under （一） if there is one, else beside it.
    Arabic(u32),
    /// 【产业】, 数字经济：: labels numbered in order.
    Label,
}

impl Heading {
    /// Numbered and lettered headings and bare titles end the headline and lead;
    /// labels (【…】, X：) may be part of them.
    fn is_strong(&self) -> bool {
        !matches!(self.marker, Marker::Label)
    }
}

struct Walker {
    year: i32,
    level1: Option<(String, String)>,
    /// What level-2 ids under the level-1 section start with (`3` for 3.1).
    level1_prefix: String,
    level2: Option<(String, String)>,
    level2_count: u32,
    /// Whether the level-2 section is an arabic-numbered one (1.), not a （一）.
    level2_arabic: bool,
    /// An arabic-numbered section under a （一）.
    level3: Option<(String, String)>,
    /// In a section opened by a bare title line such as 主要预期目标.
    bare: Option<(String, String)>,
    /// Skipping the review of past years (at this heading level) or commentary (0).
    skip: Option<u8>,
    /// In the review of last year opened by a paragraph (过去一年，…; 2021年，…) rather
    /// than a heading: later paragraphs are the review too, until one speaks of the
    /// plan (今年, the plan year, 目标, 将 …) or a chapter heading comes.
    review: bool,
    /// Figures left out because they were about earlier years, for the error when
    /// nothing else is found.
    past_figures: usize,
}

impl Walker {
    fn new(year: i32) -> Walker {
        Walker {
            year,
            level1: None,
            level1_prefix: String::new(),
            level2: None,
            level2_count: 0,
            level2_arabic: false,
            level3: None,
            bare: None,
            skip: None,
            review: false,
            past_figures: 0,
        }
    }

    fn section(&self) -> (String, String) {
        self.bare
            .clone()
            .or_else(|| self.level3.clone())
            .or_else(|| self.level2.clone())
            .or_else(|| self.level1.clone())
            .unwrap_or_else(|| (GENERAL.0.to_string(), GENERAL.1.to_string()))
    }

    fn walk(&mut self, text: &str) -> Vec<Item> {
        let lines: Vec<Text> = text.lines().map(|l| Text::new(l).trim()).filter(|l| !l.is_empty()).collect();
        let mut items = Vec::new();
        let mut lead = true;
        let mut i = 0;
        while i < lines.len() {
            let line = &lines[i];
            i += 1;
            let heading = heading(line, lines.get(i));
            if lead {
                let body_starts = heading.as_ref().is_some_and(Heading::is_strong) || contains(&line.norm, "。");
                if !body_starts {
                    items.extend(self.paragraph(line, true));
                    continue;
                }
                lead = false;
            }
            if let Some(heading) = heading {
                if heading.title_from_next {
                    i += 1;
                }
                self.enter(heading, &mut items);
                continue;
            }
            if is_commentary(line) {
                self.bare = None;
                self.skip = Some(0);
                continue;
            }
            if self.review && self.skip.is_none() && !is_soft_heading(line) {
                if opens_plan(&line.norm, self.year) {
                    self.review = false;
                } else {
                    self.past_figures += count_figures(&line.norm);
                    continue;
                }
            }
            let found = self.paragraph(line, false);
            if found.is_empty() && is_soft_heading(line) {
                // 政府工作总体要求, 主要任务: ends a bare section and commentary;
                // 2022年工作回顾 starts a review.
                self.bare = None;
                if self.skip == Some(0) {
                    self.skip = None;
                }
                if is_review(&line.norm, self.year) && self.skip.is_none() {
                    self.skip = Some(0);
                }
                continue;
            }
            if self.skip.is_none() {
                items.extend(found);
            } else {
                self.past_figures += found.len();
            }
        }
        items
    }

    fn enter(&mut self, heading: Heading, items: &mut Vec<Item>) {
        match self.skip {
            Some(level) if level == 0 || heading.level <= level => self.skip = None,
            Some(_) => return,
            None => {}
        }
        self.bare = None;
        let title = chars(&heading.title);
        if is_review(&title, self.year) || is_horizon(&title, self.year) {
            self.skip = Some(heading.level.max(1));
            return;
        }
        // A chapter, the headline targets or a heading about the plan ends a review
        // opened by a paragraph.
        if heading.level <= 1
            || matches!(heading.marker, Marker::Main(_) | Marker::Label)
            || opens_plan(&title, self.year)
        {
            self.review = false;
        }
        // A heading without words (a letter alone) is titled by its own mark.
        let title = match (&heading.marker, heading.title.trim().is_empty()) {
            (Marker::Letter(letter), true) => format!("{letter}部分"),
            (_, true) => "（无标题）".to_string(),
            _ => heading.title.clone(),
        };
        match (heading.level, &heading.marker) {
            (0, _) => self.bare = Some(("main".to_string(), title)),
            (1, marker) => {
                let id = match marker {
                    Marker::Main(_) => "main".to_string(),
                    Marker::Letter(letter) => letter.to_string(),
                    Marker::Number(n) | Marker::Arabic(n) => n.to_string(),
                    Marker::Label => (self.level1_number() + 1).to_string(),
                };
                self.level1_prefix = match marker {
                    Marker::Main(Some(n)) => n.to_string(),
                    _ => id.clone(),
                };
                self.level1 = Some((id, title));
                self.level2 = None;
                self.level2_count = 0;
                self.level3 = None;
            }
            (_, Marker::Arabic(n)) if self.level2.is_some() && !self.level2_arabic => {
                let parent = self.level2.as_ref().map(|(id, _)| id.clone()).unwrap_or_default();
                self.level3 = Some((format!("{parent}.{n}"), title));
            }
            (_, marker) => {
                self.level3 = None;
                self.level2_arabic = matches!(marker, Marker::Arabic(_));
                self.level2_count = match marker {
                    Marker::Number(n) | Marker::Arabic(n) => *n,
                    _ => self.level2_count + 1,
                };
                let id = match &self.level1 {
                    Some(_) => format!("{}.{}", self.level1_prefix, self.level2_count),
                    None => self.level2_count.to_string(),
                };
                self.level2 = Some((id, title));
            }
        }
        if let Some(rest) = heading.rest {
            if self.review {
                self.past_figures += count_figures(&rest.norm);
                return;
            }
            let found = self.paragraph(&rest, false);
            items.extend(found);
        }
    }

    fn level1_number(&self) -> u32 {
        self.level1.as_ref().and_then(|(id, _)| id.parse().ok()).unwrap_or(0)
    }

    /// The targets of one paragraph, in the current section (or `main` after
    /// 主要预期目标是：).
    fn paragraph(&mut self, line: &Text, lead: bool) -> Vec<Item> {
        let mut items = Vec::new();
        let head: Vec<char> = line.norm.iter().take(20).copied().collect();
        let first_sentence: Vec<char> = line.norm.iter().take_while(|&&c| c != '。').copied().collect();
        if is_past(&head, self.year) && !names_year(&first_sentence, self.year) {
            self.past_figures += count_figures(&line.norm);
            // A paragraph about last year outside the headline list opens a review
            // that the paragraphs after it continue (a results list).
            let first_clause: Vec<char> = head.iter().take_while(|&&c| c != '，').copied().collect();
            if !lead && self.bare.is_none() && is_past(&first_clause, self.year) && !opens_plan(&head, self.year) {
                self.review = true;
            }
            return items;
        }
        'sentence: for sentence in line.split(|c| matches!(c, '。' | '！' | '？')) {
            let first_clause: Vec<char> = sentence.norm.iter().take_while(|&&c| c != '，').copied().collect();
            let past = is_past(&first_clause, self.year) && !names_year(&sentence.norm, self.year);
            if past || is_estimate(&first_clause, self.year) {
                self.past_figures += count_figures(&sentence.norm);
                continue;
            }
            // 主要预期目标是：… the rest of the sentence is the headline list.
            let (body, section) = match main_intro(&sentence.norm) {
                Some(colon) => {
                    (sentence.slice(colon + 1, sentence.len()), Some(("main".to_string(), "主要预期目标".to_string())))
                }
                None => (sentence.clone(), None),
            };
            let section = section.unwrap_or_else(|| self.section());
            for part in body.split(|c| c == '；') {
                let mut commitment = Commitment::Plain;
                let mut part_items: Vec<Item> = Vec::new();
                // A clause naming an earlier year (2019年完成7.1%) and the ones after it
                // are last year's, until one names the plan year (2020年目标6.5%).
                let mut past = false;
                // A space inside a paragraph follows an inline subtitle (高品质建设优化城区格局 力争…).
                for clause in part.split(|c| matches!(c, '，' | '：' | ' ')) {
                    // 到2025年…: a goal for a later year, to the end of the sentence.
                    if years(&clause.norm).iter().any(|&(_, y)| y > self.year) {
                        items.extend(part_items);
                        continue 'sentence;
                    }
                    if names_earlier_year(&clause.norm, self.year) {
                        past = true;
                    } else if opens_plan(&clause.norm, self.year) {
                        past = false;
                    }
                    if past {
                        self.past_figures += count_figures(&clause.norm);
                        continue;
                    }
                    // 年均增长5%: an average over several years, not this year's target.
                    if contains_any(&clause.norm, SPENT) || contains(&clause.norm, "年均") {
                        continue;
                    }
                    for group in split_enumeration(&clause) {
                        let word = commitment_of(&group.norm);
                        commitment = word.unwrap_or(commitment);
                        for found in read_group(&group, &clause.norm, self.year) {
                            let item = Item { found, section: section.clone(), commitment, lead };
                            match part_items.last_mut() {
                                Some(last) if word == Some(Commitment::Strive) && raises_the_bar(last, &item) => {
                                    last.found.strive = Some(item.found.value);
                                    // 确保增长6%、力争6.5%: the ensured bar is a floor. A
                                    // plain number with a higher bar would read as a
                                    // range (6–6.5 %), which has no 力争.
                                    if last.found.cmp == Cmp::Reach {
                                        last.found.cmp = Cmp::AtLeast;
                                    }
                                    // The two bars close the statement: 力争 reaches no further.
                                    commitment = Commitment::Plain;
                                }
                                _ => part_items.push(item),
                            }
                        }
                    }
                }
                items.extend(part_items);
            }
        }
        items
    }
}

/// 确保增长6%、力争6.5% · 增长6%以上，力争7%: a bare quantity after a strive word
/// (力争6.5%: no name of its own) higher than the target before it is that target's
/// higher bar, `strive`.
fn raises_the_bar(before: &Item, item: &Item) -> bool {
    let (before, found) = (&before.found, &item.found);
    found.bare
        && before.unit == found.unit
        && (before.kind == found.kind || found.kind.is_percent() && before.kind.is_percent())
        && before.strive.is_none()
        && before.change.is_none()
        && matches!(before.cmp, Cmp::AtLeast | Cmp::MoreThan | Cmp::Reach | Cmp::About)
        && found.value > before.value
}

/// Quantities in a piece of text, for counting what was left out.
fn count_figures(text: &[char]) -> usize {
    quantity::scan(text).len()
}

/// Words that say a paragraph, heading or clause is about the plan, not the review.
const PLAN_WORDS: &[&str] =
    &["今年", "新的一年", "本年", "目标", "预期", "安排", "计划", "提出", "力争", "确保", "争取", "将", "要"];

/// Whether an opening speaks of the plan year: the year itself or a plan word.
fn opens_plan(opening: &[char], year: i32) -> bool {
    let opening = &opening[..opening.len().min(30)];
    years(opening).iter().any(|&(_, y)| y == year) || contains_any(opening, PLAN_WORDS)
}

/// 预计全年地区生产总值增长7.8%左右 · 据统计预测，…: an estimate of the year under
/// review, unless the plan year or 今年 is named.
fn is_estimate(opening: &[char], year: i32) -> bool {
    let opening_words = strip_fillers(opening);
    ["预计", "预测", "据统计", "初步统计", "初步核算", "据初步"].iter().any(|w| starts_with(&opening_words, w))
        && !years(opening).iter().any(|&(_, y)| y == year)
        && !contains(opening, "今年")
}

/// Money or work already done (已投入, 累计投入) or set aside (安排资金), and the reach of another target
/// (惠及居民1.2万户): not targets of their own.
const SPENT: &[&str] = &["已", "累计投入", "共投入", "投入资金", "安排资金", "发放", "惠及", "涉及", "受益"];

/// Words that open a review of past years.
const PAST: &[&str] = &[
    "过去一年",
    "过去五年",
    "过去的一年",
    "五年来",
    "一年来",
    "去年",
    "上年",
    "回望",
    "回顾",
    "十三五”期间",
    "十三五期间",
];

/// Whether a paragraph or sentence opening speaks of the past: a review word, or a
/// year before the plan year (2019年…达到).
fn is_past(opening: &[char], year: i32) -> bool {
    contains_any(opening, PAST)
        || years(opening).iter().any(|&(at, y)| {
            let compared = at > 0 && matches!(opening[at - 1], '比' | '较' | '与' | '同');
            y < year && !compared
        })
}

/// Whether a text names the plan year (other than as a comparison).
fn names_year(text: &[char], year: i32) -> bool {
    years(text).iter().any(|&(at, y)| y == year && !(at > 0 && matches!(text[at - 1], '比' | '较')))
}

/// Whether a clause names a year before the plan's, other than as a comparison
/// (比2019年增长).
fn names_earlier_year(clause: &[char], year: i32) -> bool {
    years(clause).iter().any(|&(at, y)| y < year && !(at > 0 && matches!(clause[at - 1], '比' | '较' | '与' | '同')))
}

/// Recognises a heading line; `next` is the line after it (a letter's title).
fn heading(line: &Text, next: Option<&Text>) -> Option<Heading> {
    let text = &line.norm;
    let title_of = |t: &[char]| -> String {
        let t: String = t.iter().collect();
        t.trim().trim_end_matches(['。', '：']).to_string()
    };
    let plain = |level, marker, title, rest| Heading { level, marker, title, rest, title_from_next: false };
    // A, B … alone or with a title
    if text[0].is_ascii_uppercase() && (text.len() == 1 || "、. ".contains(text[1])) {
        if text.len() > 1 {
            return Some(plain(1, Marker::Letter(text[0]), title_of(&text[2..]), None));
        }
        let title = next.and_then(title_line);
        return Some(Heading {
            level: 1,
            marker: Marker::Letter(text[0]),
            title_from_next: title.is_some(),
            title: title.unwrap_or_default(),
            rest: None,
        });
    }
    // 一、
    let numeral_len = text.iter().take_while(|&&c| is_chinese_digit(c)).count();
    if numeral_len > 0 && numeral_len <= 3 && text.get(numeral_len) == Some(&'、') {
        let n = text::chinese_number(&text[..numeral_len])?;
        let (title, rest) = split_title(line, numeral_len + 1);
        let marker = if is_main_title(&chars(&title)) { Marker::Main(Some(n)) } else { Marker::Number(n) };
        return Some(plain(1, marker, title, rest));
    }
    // （一） 一是
    let paren = text[0] == '(';
    let start = usize::from(paren);
    let numeral_len = text[start..].iter().take_while(|&&c| is_chinese_digit(c)).count();
    let closes = paren && text.get(start + numeral_len) == Some(&')');
    let is_shi = !paren && text.get(numeral_len) == Some(&'是') && numeral_len > 0 && numeral_len <= 2;
    if numeral_len > 0 && (closes || is_shi) {
        let n = text::chinese_number(&text[start..start + numeral_len])?;
        let (title, rest) = split_title(line, start + numeral_len + 1);
        return Some(plain(2, Marker::Number(n), title, rest));
    }
    // 1. 1、 (1): a number, then words (not 1.5万, not 6、7、8号线)
    let digits = text[start..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mark = start + digits;
    let marked = if paren { text.get(mark) == Some(&')') } else { matches!(text.get(mark), Some('.' | '、')) };
    if (1..=2).contains(&digits) && marked && text.get(mark + 1).is_some_and(|&c| text::is_cjk(c)) {
        let n: u32 = text[start..mark].iter().collect::<String>().parse().ok()?;
        let (title, rest) = split_title(line, mark + 1);
        return Some(plain(2, Marker::Arabic(n), title, rest));
    }
    // A bare title: 经济社会发展主要预期目标
    if is_main_title(text) && text.len() <= 20 && !contains_any(text, &["%", "。", "，", "："]) {
        return Some(plain(0, Marker::Main(None), title_of(text), None));
    }
    // 【产业】 and 数字经济：
    if text[0] == '【' {
        let close = find(text, "】")?;
        let rest = line.slice(close + 1, line.len()).trim();
        return Some(plain(2, Marker::Label, title_of(&text[1..close]), (!rest.is_empty()).then_some(rest)));
    }
    let colon = find(text, "：")?;
    let label = &text[..colon];
    let is_label = (2..=8).contains(&colon)
        && label.iter().all(|&c| text::is_cjk(c))
        && !contains_any(label, &["目标", "代表", "报告", "表示", "指出", "显示", "标题"]);
    // 数字经济：全年… is a label; 重点抓好以下工作： alone on its line leads into a list.
    let rest = line.slice(colon + 1, line.len()).trim();
    if is_label && !rest.is_empty() {
        return Some(plain(2, Marker::Label, title_of(label), Some(rest)));
    }
    None
}

/// A heading about the goals of a five-year plan or a later year (“十五五”时期主要目标
/// 任务; 到2030年): its section holds no targets of the plan year.
fn is_horizon(title: &[char], year: i32) -> bool {
    let five_years = contains_any(title, &["十三五", "十四五", "十五五", "十六五", "五年"])
        && contains_any(title, &["时期", "规划", "目标"]);
    five_years || years(title).iter().any(|&(_, y)| y > year)
}

fn is_review(title: &[char], year: i32) -> bool {
    contains_any(title, &["回顾", "过去"]) || years(title).iter().all(|&(_, y)| y < year) && !years(title).is_empty()
}

fn is_main_title(text: &[char]) -> bool {
    contains_any(text, &["预期目标", "主要目标"])
}

/// Where the colon of 主要预期目标是： is, if the sentence introduces the headline list.
fn main_intro(sentence: &[char]) -> Option<usize> {
    let at = find(sentence, "预期目标").or_else(|| find(sentence, "主要目标"))?;
    let colon = text::find_from(sentence, at, "：")?;
    (colon - at <= 6).then_some(colon)
}

/// 确保 → ensure, 力争/努力/争取 → strive; the last one written wins. 争创 (to win a
/// title: 努力争创, 力争创成) is no commitment about a figure.
fn commitment_of(clause: &[char]) -> Option<Commitment> {
    let words = [
        ("确保", Commitment::Ensure),
        ("力争", Commitment::Strive),
        ("努力", Commitment::Strive),
        ("争取", Commitment::Strive),
    ];
    // 力争更好结果: an aspiration without a figure, not a commitment about one.
    let title_word = |at: usize, len: usize| {
        text::at(clause, at + len, "更")
            || text::at(clause, at + len, "创")
            || text::at(clause, at + len, "争创")
            || (len == 2 && text::at(clause, at + 1, "争创"))
    };
    words
        .iter()
        .flat_map(|(w, c)| {
            let len = w.chars().count();
            (0..clause.len()).filter(move |&i| text::at(clause, i, w) && !title_word(i, len)).map(move |i| (i, *c))
        })
        .max_by_key(|(at, _)| *at)
        .map(|(_, c)| c)
}

fn is_commentary(line: &Text) -> bool {
    let word: String = line.norm.iter().filter(|c| !"【】[] ".contains(**c)).collect();
    ["解读", "点评", "评论", "短评", "记者手记", "延伸阅读", "链接", "相关链接", "背景", "背景链接"]
        .contains(&word.as_str())
}

/// A short line without punctuation: a title between the report's parts.
fn is_soft_heading(line: &Text) -> bool {
    line.len() <= 16 && !contains_any(&line.norm, &["。", "；", "，", "：", "！", "？"])
}

/// The title line after a letter heading (关键词 经济平稳健康 → 经济平稳健康).
fn title_line(line: &Text) -> Option<String> {
    if line.len() > 24 || contains_any(&line.norm, &["。", "，", "；"]) {
        return None;
    }
    let title = line.norm_string();
    Some(title.trim_start_matches("关键词").trim().to_string())
}

/// A numbered heading's title (up to the first 。 when short) and the rest of the line.
fn split_title(line: &Text, from: usize) -> (String, Option<Text>) {
    let body = line.slice(from, line.len()).trim();
    match text::find(&body.norm, "。") {
        Some(stop) if stop <= 30 => {
            let rest = body.slice(stop + 1, body.len()).trim();
            (body.slice(0, stop).norm_string(), (!rest.is_empty()).then_some(rest))
        }
        _ if body.len() <= 40 => (body.norm_string(), None),
        _ => (String::new(), Some(body)),
    }
}

/// Drops repeats: a lead target the body states again, and a body target stated
/// twice (the same figure for the same thing), keeping the one in the headline
/// section `main` if either is there.
fn dedupe(items: Vec<Item>) -> Vec<Item> {
    let same_figure = |a: &Found, b: &Found| a.kind == b.kind && a.unit == b.unit && (a.value - b.value).abs() < 1e-9;
    let body: Vec<&Item> = items.iter().filter(|i| !i.lead).collect();
    let mut kept: Vec<Item> = Vec::new();
    for item in &items {
        if item.lead && body.iter().any(|b| same_figure(&b.found, &item.found)) {
            continue;
        }
        let twin = kept.iter().position(|k| {
            same_figure(&k.found, &item.found)
                && k.found.cmp == item.found.cmp
                && (k.found.quote == item.found.quote
                    || k.found.name.contains(&item.found.name)
                    || item.found.name.contains(&k.found.name))
        });
        match twin {
            Some(at) => {
                if item.section.0 == "main" && kept[at].section.0 != "main" {
                    kept[at] = item.clone();
                }
            }
            None => kept.push(item.clone()),
        }
    }
    kept
}

/// Headline indicators with a conventional code stem.
const INDICATORS: &[(&[&str], &str)] = &[
    (&["地区生产总值", "生产总值", "GDP"], "gdp"),
    (&["一般公共预算"], "budget-revenue"),
    (&["失业率"], "unemployment"),
    (&["固定资产投资"], "fixed-investment"),
    (&["社会消费品零售"], "retail-sales"),
    (&["工业增加值"], "industry-value-added"),
    (&["可支配收入", "居民收入"], "income"),
    (&["研发", "研究与试验发展"], "rd"),
];

/// A code for a target: a conventional stem for headline indicators
/// (`gdp-growth`), else kind and unit with a counter (`count-jia-3`).
fn code_for(found: &Found, counters: &mut BTreeMap<String, u32>, taken: &[String]) -> String {
    let name = chars(&found.name);
    let stem = INDICATORS.iter().find(|(words, _)| contains_any(&name, words)).map(|(_, stem)| *stem);
    let suffix = match found.kind {
        Kind::Growth | Kind::Relative => Some("growth"),
        Kind::Rate => Some("rate"),
        Kind::Share => Some("share"),
        _ => None,
    };
    let base = match (stem, suffix) {
        (Some(stem), Some(suffix)) => format!("{stem}-{suffix}"),
        _ => {
            let prefix = match found.kind {
                Kind::Count | Kind::Amount => format!("{}-{}", found.kind, unit_slug(&found.unit)),
                kind => kind.to_string(),
            };
            let n = counters.entry(prefix.clone()).or_default();
            *n += 1;
            format!("{prefix}-{n}")
        }
    };
    let mut code = base.clone();
    let mut n = 2;
    while taken.contains(&code) || code == crate::plan::OVERVIEW_CODE {
        code = format!("{base}-{n}");
        n += 1;
    }
    code
}

/// An ASCII spelling of a unit for codes (家 → jia, 万平方米 → wanpingfangmi).
fn unit_slug(unit: &str) -> String {
    let slug: String = unit
        .chars()
        .map(|c| match c {
            '个' => "ge",
            '家' => "jia",
            '条' => "tiao",
            '幢' => "zhuang",
            '栋' => "dong",
            '座' => "zuo",
            '所' => "suo",
            '名' => "ming",
            '套' => "tao",
            '户' => "hu",
            '人' => "ren",
            '次' => "ci",
            '张' => "zhang",
            '台' => "tai",
            '处' => "chu",
            '项' => "xiang",
            '天' => "tian",
            '辆' => "liang",
            '件' => "jian",
            '万' => "wan",
            '亿' => "yi",
            '元' => "yuan",
            '美' => "mei",
            '亩' => "mu",
            '公' => "gong",
            '里' => "li",
            '顷' => "qing",
            '千' => "qian",
            '米' => "mi",
            '平' => "ping",
            '方' => "fang",
            '吨' => "dun",
            '斤' => "jin",
            '瓦' => "wa",
            '微' => "wei",
            '克' => "ke",
            '立' => "li",
            '/' => "per",
            _ => "",
        })
        .collect();
    if slug.is_empty() {
        "unit".to_string()
    } else {
        slug
    }
}

/// Builds the plan: sections in the order first used, codes, the growth target a
/// relative one keeps in step with.
fn assemble(items: Vec<Item>, org: String, year: i32, notes: &mut Vec<Phrase>) -> (Plan, Vec<Vec<String>>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let mut reviews = Vec::new();
    let mut counters = BTreeMap::new();
    let mut codes: Vec<String> = Vec::new();
    for item in &items {
        let found = &item.found;
        let mut review = found.reviews.clone();
        if item.lead {
            review.push("stated only in the headline or lead; check that it is a target of the plan".to_string());
        }
        let (id, title) = &item.section;
        if !sections.iter().any(|s| &s.id == id) {
            sections.push(Section { id: id.clone(), title: title.clone(), title_en: None });
        }
        let percent = found.kind.is_percent();
        if percent && found.change.is_some() && found.baseline.is_none() {
            // 城镇化率提高1个百分点: the value is last year's level plus the change,
            // and last year's level is not in the text.
            notes.push(Phrase::new(
                format!(
                    "未收入“{}”：提高或下降若干个百分点的目标需要上年的水平值（baseline），文中没有；\
                     请手工添加（change = {}，baseline = 上年水平）",
                    found.quote,
                    crate::numbers::format_number(found.change.unwrap_or_default())
                ),
                format!(
                    "left out “{}”: a change in points needs last year's level (baseline), which the text does not \
                     give; add it by hand (change = {}, baseline = last year's level)",
                    found.quote,
                    crate::numbers::format_number(found.change.unwrap_or_default())
                ),
            ));
            continue;
        }
        let code = code_for(found, &mut counters, &codes);
        codes.push(code.clone());
        let annual = contains_any(&chars(&found.name), &["研发", "研究与试验发展"]);
        targets.push(Target {
            code,
            section: id.clone(),
            name: found.name.clone(),
            name_en: String::new(),
            kind: found.kind,
            measure: found.measure,
            cmp: found.cmp,
            value: found.value,
            strive: found.strive,
            unit: found.unit.clone(),
            tolerance: None,
            // A rate's or share's baseline is last year's level, held only with the
            // points it moves by (the loader's rule); a stock's is where it starts.
            baseline: if percent { found.change.and(found.baseline) } else { found.baseline },
            change: if percent { found.change } else { None },
            related: None,
            commitment: item.commitment,
            frequency: if annual { Frequency::Year } else { Frequency::Quarter },
            // The plan's year is every target's default due period, kept as none
            // (as `parse_plan` keeps it), so the draft loads as this very plan.
            due: found.due.filter(|due| *due != crate::period::Period::full_year(year)),
            lead_unit: None,
            planned: BTreeMap::new(),
            quote: found.quote.clone(),
        });
        if let Some(strive) = found.strive {
            review.push(format!(
                "two bars: {} is the bar the status is decided on, {strive} the higher one (strive)",
                found.value
            ));
        }
        reviews.push(review);
    }
    // A relative target keeps in step with the economy's growth: the GDP growth target.
    let economy = targets
        .iter()
        .find(|t| t.kind == Kind::Growth && contains_any(&chars(&t.name), &["地区生产总值", "生产总值", "GDP", "经济"]))
        .map(|t| t.code.clone());
    let mut kept_targets = Vec::new();
    let mut kept_reviews = Vec::new();
    for (mut target, mut review) in targets.into_iter().zip(reviews) {
        if matches!(target.kind, Kind::Rate | Kind::Share) && !(0.0..=100.0).contains(&target.value) {
            notes.push(Phrase::new(
                format!("未收入“{}”：{} % 的比例不是以 % 计的水平值", target.quote, target.value),
                format!("left out “{}”: a share of {} % is not a level in %", target.quote, target.value),
            ));
            continue;
        }
        if target.kind == Kind::Relative {
            match &economy {
                Some(code) => {
                    target.related = Some(code.clone());
                    review.push(format!("keeps in step with {code}: check that it is the growth target meant"));
                }
                None => {
                    notes.push(Phrase::new(
                        format!("未收入“{}”：它须与某个增长目标同步，但报告中没有该增长目标", target.quote),
                        format!(
                            "left out “{}”: it keeps in step with a growth target the report does not state",
                            target.quote
                        ),
                    ));
                    continue;
                }
            }
        }
        kept_targets.push(target);
        kept_reviews.push(review);
    }
    sections.retain(|s| kept_targets.iter().any(|t| t.section == s.id));
    // `main` (the headline targets) first, the others in the report's order: ids such
    // as 1.10 and 1.2 sort wrongly as text.
    sections.sort_by_key(|s| s.id != "main");
    // Where the report was published is not in its text (`source`): the office adds it.
    let mut plan = Plan::new(format!("draft-{year}"), org, year, kept_targets);
    plan.sections = sections;
    (plan, kept_reviews)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> Draft {
        extract(text, &Options::default()).unwrap()
    }

    #[test]
    fn sections_past_years_and_horizons() {
        let text = "测试区2021年政府工作报告\n\
                    一、2020年工作回顾\n\
                    过去一年，新建道路30条。\n\
                    二、2021年主要预期目标\n\
                    地区生产总值增长7%左右；居民人均可支配收入增长与经济增长同步。\n\
                    三、重点工作\n\
                    （一）城市建设。新建道路40条，到2025年新建道路200条。\n\
                    1.道路。新建道路50条。\n\
                    2020年，全区完成投资100亿元。\n";
        let draft = draft(text);
        let plan = &draft.plan;
        assert_eq!(plan.org, "测试区");
        assert_eq!(plan.year, 2021);
        assert_eq!(plan.id, "draft-2021");
        let rows: Vec<_> = plan.targets().iter().map(|t| (t.code.as_str(), t.section.as_str(), t.value)).collect();
        let expected = vec![
            ("gdp-growth", "main", 7.0),
            ("income-growth", "main", 0.0),
            ("count-tiao-1", "3.1", 40.0),
            ("count-tiao-2", "3.1.1", 50.0),
        ];
        assert_eq!(rows, expected);
        assert_eq!(plan.targets()[1].related.as_deref(), Some("gdp-growth"));
        assert_eq!(plan.section("3.1").unwrap().title, "城市建设");
        assert_eq!(draft.notes.len(), 2, "{:?}", draft.notes);
    }

    /// Long reports give ids such as 2, 10, 1.2 and 1.10: the draft keeps the report's
    /// order (sorted as text they came out 1, 1.1, 1.10, 1.2, 10, 11, 2 …).
    #[test]
    fn sections_keep_the_reports_order() {
        let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"];
        let mut text = String::from("测试区2021年政府工作报告\n");
        for (i, numeral) in numerals.iter().enumerate() {
            text.push_str(&format!("{numeral}、第{}项工作\n新建道路{}条。\n", i + 1, i + 1));
            if i == 0 {
                for (j, sub) in numerals[..10].iter().enumerate() {
                    text.push_str(&format!("（{sub}）分项{sub}。新增学位{}个。\n", 100 + j));
                }
            }
        }
        let plan = extract(&text, &Options::default()).unwrap().plan;
        let ids: Vec<&str> = plan.sections.iter().map(|s| s.id.as_str()).collect();
        let mut expected = vec!["1"];
        let subs: Vec<String> = (1..=10).map(|n| format!("1.{n}")).collect();
        expected.extend(subs.iter().map(String::as_str));
        let tops: Vec<String> = (2..=11).map(|n| n.to_string()).collect();
        expected.extend(tops.iter().map(String::as_str));
        assert_eq!(ids, expected);
    }

    #[test]
    fn the_lead_counts_only_when_the_body_does_not_repeat_it() {
        let text = "测试区今年GDP增长7%\n副标题：新增学位500个\n\
                    报告提出，全区地区生产总值增长7%，新建道路10条。";
        let plan = extract(text, &Options { year: Some(2021), ..Options::default() }).unwrap().plan;
        let values: Vec<f64> = plan.targets().iter().map(|t| t.value).collect();
        assert_eq!(values, vec![500.0, 7.0, 10.0]);
    }

    fn plan_of(text: &str) -> Draft {
        extract(text, &Options { org: Some("测试区".to_string()), year: Some(2021) }).unwrap()
    }

    /// (cmp, value, strive, commitment) of every target.
    fn bars(draft: &Draft) -> Vec<(Cmp, f64, Option<f64>, Commitment)> {
        draft.plan.targets().iter().map(|t| (t.cmp, t.value, t.strive, t.commitment)).collect()
    }

    /// The draft's file loads with the plan loader (which checks strive, change and
    /// baseline) as the draft's plan.
    fn loads(draft: &Draft) -> String {
        let file = render::render(draft, "r.txt");
        let plan = crate::plan::file::parse_plan(&file, "draft.toml").unwrap_or_else(|e| panic!("{e}\n{file}"));
        assert_eq!(plan, draft.plan);
        file
    }

    /// The forms of docs/plan-format.md "Target forms": 确保6%、力争6.5% and
    /// 6%以上，力争7% are floors with a higher bar; a range 6%—6.5% is a plain number
    /// (`reach`) from its lower end to its upper end.
    #[test]
    fn two_bars_and_ranges_follow_the_model() {
        use Cmp::*;
        use Commitment::*;
        let draft = plan_of("全区生产总值确保增长5%、力争5.5%，一般公共预算收入增长4%以上，力争5%。");
        assert_eq!(bars(&draft), vec![(AtLeast, 5.0, Some(5.5), Ensure), (AtLeast, 4.0, Some(5.0), Plain)]);
        loads(&draft);
        let draft = plan_of("社会消费品零售总额增长8%，力争9%；固定资产投资增长10%左右，力争12%。");
        assert_eq!(bars(&draft), vec![(AtLeast, 8.0, Some(9.0), Plain), (About, 10.0, Some(12.0), Plain)]);
        loads(&draft);
        // A named figure after 力争 is a target of its own; a lower figure is no higher bar.
        let draft = plan_of("新增学位2000个，力争新建幼儿园5所。外贸进出口增长8%，力争实际利用外资增长3%。");
        assert_eq!(
            bars(&draft),
            vec![
                (Reach, 2000.0, None, Plain),
                (Reach, 5.0, None, Strive),
                (Reach, 8.0, None, Plain),
                (Reach, 3.0, None, Strive)
            ]
        );
        // A range keeps both ends, as a plain number.
        let draft = plan_of("主要预期目标是：地区生产总值增长5.5%—6%，新增城镇就业1.2万-1.5万人。");
        assert_eq!(bars(&draft), vec![(Reach, 5.5, Some(6.0), Plain), (Reach, 1.2, Some(1.5), Plain)]);
        let file = loads(&draft);
        assert!(file.contains("cmp = \"reach\"\nvalue = 5.5\nstrive = 6\n"), "{file}");
        // A range of declines: at most the smaller decline, striving for the larger.
        let draft = plan_of("单位地区生产总值能耗下降3%—3.5%。");
        assert_eq!(bars(&draft), vec![(AtMost, -3.0, Some(-3.5), Plain)]);
        loads(&draft);
    }

    #[test]
    fn striving_for_a_title_is_no_commitment_about_figures() {
        let draft =
            plan_of("努力争创国家全域旅游示范区，新增A级景区2家，接待游客增长10%。力争创成省级文明城区，新建公园3个。");
        let commitments: Vec<Commitment> = draft.plan.targets().iter().map(|t| t.commitment).collect();
        assert_eq!(commitments, vec![Commitment::Plain; 3]);
    }

    #[test]
    fn points_need_a_baseline_from_the_text_or_are_left_out_with_a_note() {
        let draft = plan_of("常住人口城镇化率由62%提高到63.5%，户籍人口城镇化率提高1个百分点。");
        let rows: Vec<_> = draft.plan.targets().iter().map(|t| (t.kind, t.value)).collect();
        assert_eq!(rows, vec![(Kind::Share, 63.5)]);
        let share = &draft.plan.targets()[0];
        assert_eq!(
            (share.cmp, share.strive, share.change, share.baseline),
            (Cmp::AtLeast, None, Some(1.5), Some(62.0))
        );
        let file = render::render(&draft, "r.txt");
        assert!(file.contains("value = 63.5\nunit = \"%\"\nbaseline = 62\nchange = 1.5\n"), "{file}");
        assert_eq!(crate::plan::file::parse_plan(&file, "draft.toml").unwrap(), draft.plan);
        let note = draft.notes.iter().find(|n| n.en.contains("户籍人口城镇化率提高1个百分点")).expect("a note");
        assert!(note.en.contains("baseline") && note.zh.contains("上年水平"), "{note:?}");
    }

    /// Last year's figures without a past-tense marker: a results list after a
    /// paragraph about last year, estimates for the year under review, an
    /// infographic's columns, and a heading naming only last year.
    #[test]
    fn last_years_figures_are_not_this_years_targets() {
        let text = "测试区2021年政府工作报告\n\
                    2020年，全区上下团结一心，各项工作取得新成效。主要是：\n\
                    新增停车位1200个。\n\
                    改造老旧小区40个，新建学校3所。\n\
                    预计全年地区生产总值增长3.5%左右，一般公共预算收入增长2%。\n\
                    今年政府工作的主要预期目标是：地区生产总值增长7%左右。\n\
                    新建学校5所。\n\
                    2020年实际 增长3.5% 2021年目标 增长7%左右\n\
                    社会消费品零售总额：2020年下降2%，2021年增长9%。\n";
        let draft = plan_of(text);
        let rows: Vec<_> = draft.plan.targets().iter().map(|t| (t.value, t.quote.as_str())).collect();
        assert_eq!(
            rows,
            vec![(7.0, "地区生产总值增长7%左右"), (5.0, "新建学校5所"), (9.0, "2021年增长9%")],
            "{:#?}",
            draft.plan.targets()
        );
    }

    #[test]
    fn five_year_goals_estimates_and_capacities_are_not_targets() {
        let text = "测试区2021年政府工作报告\n\
                    一、2021年工作安排\n\
                    地区生产总值增长6%左右，力争更好结果；CPI涨幅3%左右，一般性支出压减10%。\n\
                    推动60万吨乙烯项目投产，新建学校3所（约12000平方米）。\n\
                    据统计预测，全区规模以上工业增加值增长9.5%。\n\
                    研发经费投入年均增长8%以上，新增就业1.1万人。\n\
                    二、“十四五”时期主要目标任务\n\
                    常住人口城镇化率达到70%，森林覆盖率达到40%。\n";
        let draft = plan_of(text);
        let rows: Vec<_> =
            draft.plan.targets().iter().map(|t| (t.kind, t.cmp, t.value, t.unit.as_str(), t.commitment)).collect();
        use Cmp::*;
        use Commitment::Plain;
        assert_eq!(
            rows,
            vec![
                (Kind::Growth, About, 6.0, "%", Plain),
                (Kind::Growth, About, 3.0, "%", Plain),
                (Kind::Growth, AtMost, -10.0, "%", Plain),
                (Kind::Count, Reach, 3.0, "所", Plain),
                (Kind::Count, Reach, 1.1, "万人", Plain),
            ],
            "{:#?}",
            draft.plan.targets()
        );
    }

    #[test]
    fn a_report_of_last_years_figures_says_so() {
        let text = "测试区2020年工作总结\n2020年，全区新建道路12条，新增学位3000个。\n一年来，新增就业1.2万人。";
        let error = extract(text, &Options { org: None, year: Some(2021) }).unwrap_err();
        assert_eq!(error, ExtractError::OnlyPastFigures { year: 2021, figures: 3 });
        assert!(error.localize(Lang::Zh).contains("都是 2021 年以前的"), "{error}");
        assert!(error.to_string().contains("all are for years before 2021"), "{error}");
    }

    #[test]
    fn errors_say_what_to_pass() {
        let unclear = extract("2021年，创建义务教育优质均衡发展区，新建学校3所。", &Options::default()).unwrap_err();
        assert_eq!(unclear, ExtractError::NoOrg);
        assert_eq!(extract("没有年份的测试区", &Options::default()).unwrap_err(), ExtractError::NoYear);
        assert_eq!(extract("2020年，全年", &Options::default()).unwrap_err(), ExtractError::NoOrg);
        let none = extract("测试区2020年工作会议召开。", &Options::default()).unwrap_err();
        assert_eq!(none, ExtractError::NoTargets { year: 2020 });
        assert!(none.to_string().contains("--year"));
    }
}
