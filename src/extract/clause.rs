//! From one clause to the targets it states: a quantity with its kind, comparison,
//! name and due period; a growth kept "in step" (同步) or positive (保持正增长); or a
//! milestone, a thing to be done without a figure (建成通车…立交, 实现…全覆盖).

use super::quantity::{scan, Quantity};
use super::text::{at, chars, contains, contains_any, ends_with, find, is_cjk, starts_with, Text};
use crate::period::{Period, Span};
use crate::plan::{Cmp, Kind, Measure};

/// A target as read from one clause, before sections, codes and de-duplication.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: Kind,
    pub measure: Option<Measure>,
    pub cmp: Cmp,
    pub value: f64,
    pub unit: String,
    pub name: String,
    pub quote: String,
    pub due: Option<Period>,
    /// Why a person should look at it; empty when the reading is plain.
    pub reviews: Vec<String>,
    /// The higher bar: a range's upper end (6%—6.5%), or 力争 after 确保 (merged by
    /// [`merge_strive`]).
    pub strive: Option<f64>,
    /// A change in percentage points (提高1个百分点), signed.
    pub change: Option<f64>,
    /// Where the target starts from (从120户减少到20户; 由60%提高到62%).
    pub baseline: Option<f64>,
    /// The quantity has no words of its own before it but commitments, time words
    /// and comparison words (力争6.5%): it may be the higher bar of the one before.
    pub bare: bool,
}

impl Found {
    /// The fields a reading of a clause does not always set.
    fn plain() -> Found {
        Found {
            kind: Kind::Count,
            measure: None,
            cmp: Cmp::Reach,
            value: 0.0,
            unit: String::new(),
            name: String::new(),
            quote: String::new(),
            due: None,
            reviews: Vec::new(),
            strive: None,
            change: None,
            baseline: None,
            bare: false,
        }
    }
}

/// Splits a clause at 、 where both sides state a quantity (新建院士工作站2个、新型研发
/// 机构2家), keeping lists of names together (创建优秀、卓越和极致路段214条) and
/// 分别 clauses whole.
pub fn split_enumeration(clause: &Text) -> Vec<Text> {
    if contains(&clause.norm, "分别") {
        return vec![clause.clone()];
    }
    let parts = clause.split(|c| c == '、');
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut cursor = 0;
    let mut bounds = Vec::new();
    for part in &parts {
        // Re-find each part's position so groups are cut from the clause itself.
        let start = (cursor..clause.len()).find(|&i| clause.norm[i..].starts_with(&part.norm)).unwrap_or(cursor);
        let end = start + part.len();
        bounds.push((start, end));
        cursor = end;
    }
    for (start, end) in bounds {
        let has_quantity = !scan(&clause.norm[start..end]).is_empty();
        match groups.last_mut() {
            Some(group) if !has_quantity || scan(&clause.norm[group.0..group.1]).is_empty() => group.1 = end,
            _ => groups.push((start, end)),
        }
    }
    groups.into_iter().map(|(s, e)| clause.slice(s, e).trim()).collect()
}

/// The targets one group states. `year` is the plan year, for due periods.
pub fn read_group(group: &Text, due_scope: &[char], year: i32) -> Vec<Found> {
    let text = &group.norm;
    let due = due_period(due_scope, year);
    let scanned = scan(text);
    if scanned.is_empty() {
        return read_without_figure(group, due).into_iter().collect();
    }
    // A standard raised (从380元提高至1000元) takes its starting level with it.
    let raised: Vec<bool> = scanned.iter().map(|q| raises_a_standard(text, q)).collect();
    let starts_a_raise = |i: usize| {
        scanned.get(i + 1).is_some_and(|next| {
            let between = &text[scanned[i].end.min(next.number)..next.number];
            raised[i + 1] && between.len() <= 5 && contains_any(between, RAISE_WORDS)
        })
    };
    let quantities: Vec<Quantity> = scanned
        .iter()
        .enumerate()
        .filter(|&(i, q)| !raised[i] && !starts_a_raise(i) && !sums_up_names(text, q))
        .map(|(_, q)| q.clone())
        .collect();
    if quantities.is_empty() {
        return Vec::new();
    }
    if contains(text, "分别") {
        if let Some(found) = read_respectively(group, &quantities, due) {
            return found;
        }
    }
    if let [first, second] = quantities.as_slice() {
        if from_to(text, first, second) {
            return vec![read_from_to(group, first, second, due)];
        }
    }
    if let [q] = quantities.as_slice() {
        if let Some(found) = read_each(group, q, due) {
            return found;
        }
    }
    let segments = segments(text, &quantities);
    quantities
        .iter()
        .zip(&segments)
        .map(|(q, &(seg_start, seg_end))| {
            let mut found = read_quantity(group, q, due);
            found.name = quantity_name(text, q, seg_start, seg_end, &quantities);
            if found.name.is_empty() {
                found.name = group.quote();
            }
            found
        })
        .collect()
}

/// 存量危房从120户减少到20户: a level from its baseline to its value, at most the
/// value when it falls. 城镇化率由60%提高到62%: a share with baseline and change.
fn read_from_to(group: &Text, first: &Quantity, second: &Quantity, due: Option<Period>) -> Found {
    let text = &group.norm;
    let from = trim(&text[..first.start]);
    let subject = &from[..from.len() - 1];
    let mut found = read_quantity(group, second, due);
    let falls = second.value < first.value;
    found.cmp = if falls { Cmp::AtMost } else { Cmp::AtLeast };
    found.baseline = Some(first.value);
    found.bare = false;
    match first.unit_kind() {
        Some(_) => found.measure = Some(Measure::Level),
        None => {
            found.kind = if contains(subject, "失业率") { Kind::Rate } else { Kind::Share };
            // Rounded as the loader sums baseline + change: 41.5 → 42 is 0.5 points.
            found.change = Some(((second.value - first.value) * 1e9).round() / 1e9);
            found.reviews.retain(|r| !r.starts_with("kind guessed"));
        }
    }
    let mut name = strip_fillers(subject);
    if name.is_empty() {
        name = chars(&group.quote());
    }
    found.name = name.iter().collect::<String>().chars().take(40).collect();
    found
}

/// 建设水稻核心基地、绿色防控基地各9000亩: 各 gives the quantity to each thing named.
fn read_each(group: &Text, q: &Quantity, due: Option<Period>) -> Option<Vec<Found>> {
    let text = &group.norm;
    let before = trim(&text[..q.start]);
    if !ends_with(before, "各") {
        return None;
    }
    let subject = &before[..before.len() - 1];
    let names: Vec<Vec<char>> =
        subject.split(|&c| c == '、' || c == '和' || c == '及').map(strip_fillers).filter(|n| !n.is_empty()).collect();
    if names.len() < 2 {
        return None;
    }
    // The verb of the first name (建设) belongs to every one.
    let first = &names[0];
    let verb = DONE_VERBS.iter().chain(EACH_VERBS).find(|v| starts_with(first, v)).map(|v| chars(v));
    Some(
        names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut found = read_quantity(group, q, due);
                let mut full: Vec<char> = match (&verb, i) {
                    (Some(verb), 1..) if !starts_with(name, &verb.iter().collect::<String>()) => verb.clone(),
                    _ => Vec::new(),
                };
                full.extend(name);
                found.name = full.iter().collect::<String>().chars().take(40).collect();
                found.bare = false;
                found.reviews.push("one of a 各 list: each thing named gets the figure".to_string());
                found
            })
            .collect(),
    )
}

/// Words that raise a level.
const RAISE_WORDS: &[&str] = &["提高", "增加", "上调", "提升"];

/// What a benefit or an allowance is paid at.
const STANDARD_WORDS: &[&str] = &["标准", "津贴", "补贴", "补助", "养老金", "生均经费"];

/// 低保标准提高6% · 生均标准从380元提高至1000元 · 孤儿津贴标准分别提高510元、440元:
/// raising a benefit standard is a decision taken with the budget, not a figure to
/// reach over the year, so it is no target (the convention of the corpus labels).
/// 建设高标准农田50万亩 names no standard raised.
fn raises_a_standard(text: &[char], q: &Quantity) -> bool {
    let before = &text[..q.number];
    let verb = RAISE_WORDS
        .iter()
        .filter_map(|w| (0..before.len()).rev().find(|&i| at(before, i, w)).map(|i| (i, w.chars().count())))
        .max_by_key(|&(i, _)| i);
    let Some((verb_at, verb_len)) = verb else {
        return false;
    };
    // Between the verb and the figure: 至 or 到, or the figures before it in a 分别 list.
    let figures_only = |part: &[char]| part.iter().all(|c| c.is_ascii_digit() || ".、%元万每人月年/ ".contains(*c));
    let rest = &before[verb_at + verb_len..];
    if !rest.iter().all(|c| figures_only(&[*c]) || "至到了".contains(*c)) {
        return false;
    }
    let mut subject = trim(&before[..verb_at]);
    // 从380元 between the name and the verb: the level it starts from.
    if let Some(from) = subject.iter().rposition(|&c| c == '从' || c == '由') {
        if figures_only(&subject[from + 1..]) {
            subject = trim(&subject[..from]);
        }
    }
    if ends_with(subject, "分别") {
        subject = trim(&subject[..subject.len() - 2]);
    }
    STANDARD_WORDS.iter().any(|w| ends_with(subject, w))
}

/// Verbs that start a 各 list besides the completion verbs.
const EACH_VERBS: &[&str] = &["新建", "新增", "建设", "打造", "创建", "培育", "引进", "改造", "实施"];

/// 支持长白山、三江、吉光3个省实验室: a count equal to the number of things named just
/// before it sums up the list; the things are named, there is no figure to reach.
/// Things to build or finish are a target however they are listed (完成A、B、C3个片区
/// 改造); 格尔木、德令哈3座电站 counts more than it names, and 等三个领域 sums up an
/// open list.
fn sums_up_names(text: &[char], q: &Quantity) -> bool {
    let builds = DONE_VERBS.iter().any(|v| contains(text, v)) || contains_any(text, &["建设", "新建", "改造"]);
    if q.unit_kind() != Some(Kind::Count) || q.chinese || q.start != q.number || builds {
        return false;
    }
    let before = &text[..q.start];
    let run_start = before.iter().rposition(|&c| !(is_cjk(c) || c == '、')).map_or(0, |i| i + 1);
    let run = &before[run_start..];
    let names = run.iter().filter(|&&c| c == '、').count() + 1;
    names >= 2 && !ends_with(run, "等") && (names as f64 - q.value).abs() < 1e-9
}

/// For each quantity, the part of the clause that belongs to it: clauses with two
/// numbers joined by 和/及/与 are cut at the joining word.
fn segments(text: &[char], quantities: &[Quantity]) -> Vec<(usize, usize)> {
    let mut segments = Vec::new();
    let mut start = 0;
    for pair in quantities.windows(2) {
        let joint = (pair[0].end..pair[1].start).find(|&i| ["和", "及", "与", "并"].iter().any(|w| at(text, i, w)));
        let (end, next) = joint.map_or((pair[1].start, pair[1].start), |i| (i, i + 1));
        segments.push((start, end));
        start = next;
    }
    segments.push((start, text.len()));
    segments
}

fn read_quantity(group: &Text, q: &Quantity, due: Option<Period>) -> Found {
    let text = &group.norm;
    let before = &text[..q.start];
    let mut reviews = Vec::new();
    let mut change = None;
    let (kind, mut value, mut cmp) = match q.unit_kind() {
        Some(kind) => (kind, q.value, q.cmp),
        None if q.is_points() => {
            // 提高1个百分点 · 下降0.2个百分点: a rate or share moved by points.
            let down =
                ends_with(trim(before), "下降") || ends_with(trim(before), "降低") || ends_with(trim(before), "减少");
            let kind = if contains(before, "失业率") { Kind::Rate } else { Kind::Share };
            if !contains_any(before, &["率", "比重", "占比", "占", "强度"]) {
                reviews.push("kind guessed: a change in points without 率 or 比重 before it".to_string());
            }
            let sign = if down { -1.0 } else { 1.0 };
            change = Some(sign * q.value);
            let cmp = match (down, q.cmp) {
                (_, Cmp::About) => Cmp::About,
                (true, _) => Cmp::AtMost,
                (false, _) => Cmp::AtLeast,
            };
            (kind, sign * q.value, cmp)
        }
        None => {
            let (kind, guessed) = percent_kind(before);
            if guessed {
                reviews.push("kind guessed: a percentage without 增长, 比重 or 率 before it".to_string());
            }
            (kind, q.value, q.cmp)
        }
    };
    let mut strive = q.upper;
    if kind == Kind::Growth && DECLINE_WORDS.iter().any(|w| ends_with(trim(before), w)) {
        // 下降3% · 压减22%: a growth of at most −3 %; 下降3%—3.5%: at most −3 %,
        // striving for −3.5 %.
        value = -value;
        strive = strive.map(|s| -s);
        cmp = match cmp {
            Cmp::AtLeast | Cmp::MoreThan | Cmp::Reach => Cmp::AtMost,
            other => other,
        };
        reviews.push(format!("a decline: written as growth of at most {value} %"));
    }
    if q.chinese {
        reviews.push("the number is written in Chinese numerals".to_string());
    }
    let measure = match kind {
        Kind::Count | Kind::Amount => Some(measure_of(&text[..q.number], q.unit)),
        _ => None,
    };
    Found {
        kind,
        measure,
        cmp,
        value,
        unit: if kind.is_percent() { "%".to_string() } else { q.unit.to_string() },
        quote: group.quote(),
        due,
        reviews,
        // 增长6%—6.5%: the lower end is the bar, the upper end the higher bar.
        strive,
        change,
        bare: is_bare(before),
        ..Found::plain()
    }
}

/// Whether the words before a quantity are only commitments, time words, growth and
/// comparison words (力争6.5%, 争取达到7%): a quantity with no name of its own.
fn is_bare(before: &[char]) -> bool {
    let mut rest = strip_fillers(before);
    loop {
        let word = ["增长", "增速", "实现", "达到", "提高到", "提升到", "突破", "超过", "以上", "达"]
            .iter()
            .find(|w| starts_with(&rest, w));
        match word {
            Some(w) => rest = strip_fillers(&rest[w.chars().count()..]),
            None => break,
        }
    }
    rest.is_empty()
}

/// 从120户减少到20户 · 由60%提高到62%: the first quantity is where the target starts
/// (its baseline), the second its value.
fn from_to(text: &[char], first: &Quantity, second: &Quantity) -> bool {
    let opens = ends_with(trim(&text[..first.start]), "从") || ends_with(trim(&text[..first.start]), "由");
    let between = &text[first.end..second.number];
    opens && first.unit == second.unit && between.len() <= 6 && contains_any(between, &["到", "至"])
}

/// Words right before a percentage that make it a growth (CPI涨幅2%).
const GROWTH_WORDS: &[&str] = &["增长", "增速", "增幅", "涨幅"];

/// Words right before a percentage that make it a fall: a growth at most minus it.
const DECLINE_WORDS: &[&str] = &["下降", "压减", "降低", "减少"];

/// growth (增长6.5%), share (比重, 占, 覆盖率), rate (失业率); the flag says it was a guess.
fn percent_kind(before: &[char]) -> (Kind, bool) {
    let before = trim(before);
    if GROWTH_WORDS.iter().chain(DECLINE_WORDS).any(|w| ends_with(before, w)) {
        (Kind::Growth, false)
    } else if contains_any(before, &["比重", "占比", "占"]) {
        (Kind::Share, false)
    } else if contains(before, "失业率") {
        (Kind::Rate, false)
    } else if contains(before, "率") {
        (Kind::Share, false)
    } else if contains_any(before, &["增长", "增速"]) {
        (Kind::Growth, false)
    } else {
        (Kind::Share, true)
    }
}

/// Stocks (达到400家, 突破140幢, 集聚, 在建) are levels; things done this year are
/// year-to-date.
fn measure_of(before: &[char], unit: &str) -> Measure {
    // A concentration (微克/立方米) or a number of days in a year (优良天数) is a level.
    let level_unit = unit.contains('/') || (unit == "天" && contains(before, "天数"));
    let stock = level_unit
        || contains_any(before, &["集聚", "运行", "在建", "在孵", "总数", "总量", "累计", "保有"])
        || (contains_any(before, &["达到", "突破", "超过", "稳定在", "保持在"]) && !contains(before, "新"));
    if stock {
        Measure::Level
    } else {
        Measure::Ytd
    }
}

/// 高新技术企业、科技型中小企业分别达到400家、1500家: names paired with values.
fn read_respectively(group: &Text, quantities: &[Quantity], due: Option<Period>) -> Option<Vec<Found>> {
    let text = &group.norm;
    let split_at = find(text, "分别")?;
    let subject = strip_fillers(&text[..split_at]);
    let names: Vec<String> = subject
        .split(|&c| c == '、' || c == '和')
        .map(|n| n.iter().collect::<String>())
        .filter(|n| !n.is_empty())
        .collect();
    if names.len() != quantities.len() {
        return None;
    }
    let first_cmp = quantities[0].cmp;
    Some(
        quantities
            .iter()
            .zip(names)
            .map(|(q, name)| {
                let mut found = read_quantity(group, q, due);
                if !q.cmp_from_word {
                    found.cmp = first_cmp;
                }
                found.name = name;
                found.reviews.push("one of a 分别 list: check that name and value are paired right".to_string());
                found
            })
            .collect(),
    )
}

fn quantity_name(text: &[char], q: &Quantity, seg_start: usize, seg_end: usize, all: &[Quantity]) -> String {
    let mut start = q.start;
    // 增长6.5%: the name is what grows, plus 增速.
    let growth_word = GROWTH_WORDS.iter().chain(DECLINE_WORDS).find(|w| ends_with(trim(&text[seg_start..start]), w));
    if let Some(word) = growth_word {
        start = trim_end(&text[..start]).len() - word.chars().count();
    }
    let mut name: Vec<char> = text[seg_start..start].to_vec();
    let mut rest = &text[q.end.min(seg_end)..seg_end];
    if rest.first() == Some(&'的') {
        rest = &rest[1..];
    }
    name.extend_from_slice(rest);
    // A segment that starts with its number (2座生活垃圾转运站) borrows the verb of
    // the first one (建成投用).
    let first_start = all[0].start;
    if seg_start > 0 && trim(&text[seg_start..q.start]).is_empty() && first_start > 0 {
        let mut verb = strip_fillers(&text[..first_start]);
        verb.extend(name);
        name = verb;
    }
    let mut name = strip_fillers(&name);
    if growth_word.is_some_and(|w| !DECLINE_WORDS.contains(w)) && !ends_with(&name, "增速") {
        name.extend("增速".chars());
    }
    name.iter().collect::<String>().chars().take(40).collect()
}

/// Leading words that are not part of a target's name: commitments, time words,
/// 推动/加快 and the like.
const FILLERS: &[&str] = &[
    "力争",
    "确保",
    "努力",
    "争取",
    "全年",
    "年内",
    "年底前",
    "年底",
    "年末",
    "上半年",
    "下半年",
    "今年",
    "其中",
    "力促",
    "推动",
    "加快推进",
    "加快",
    "全力",
    "积极",
    "着力",
    "持续",
    "同时",
    "并",
    "将",
    "要",
    "和",
    "及",
];

pub fn strip_fillers(text: &[char]) -> Vec<char> {
    let mut text = trim(text);
    loop {
        let before = text.len();
        if let Some(word) = FILLERS.iter().find(|w| starts_with(text, w)) {
            text = trim(&text[word.chars().count()..]);
        }
        // 2022年, 3月底前
        let digits = text.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            for tail in ["年", "月底前", "月前", "月底"] {
                if at(text, digits, tail) {
                    text = trim(&text[digits + tail.chars().count()..]);
                    break;
                }
            }
        }
        if text.len() == before {
            break;
        }
    }
    let end = text.iter().rposition(|&c| is_cjk(c) || c.is_ascii_alphanumeric() || "”)」》".contains(c));
    text[..end.map_or(0, |e| e + 1)].to_vec()
}

fn trim_end(text: &[char]) -> &[char] {
    &text[..text.iter().rposition(|c| *c != ' ').map_or(0, |i| i + 1)]
}

fn trim(text: &[char]) -> &[char] {
    let start = text.iter().position(|c| *c != ' ').unwrap_or(text.len());
    let end = text.iter().rposition(|c| *c != ' ').map_or(start, |i| i + 1);
    &text[start..end]
}

/// 年底前 / 年内 → the year; 上半年 → H1; 一季度 → Q1; 3月底前 → that month.
pub fn due_period(text: &[char], year: i32) -> Option<Period> {
    for (i, _) in text.iter().enumerate() {
        let digits = text[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && (i == 0 || !text[i - 1].is_ascii_digit()) {
            let month: Option<u8> = text[i..i + digits].iter().collect::<String>().parse().ok();
            let tail = i + digits;
            if ["月底前", "月前", "月底", "月份前"].iter().any(|w| at(text, tail, w)) {
                if let Some(month) = month.filter(|m| (1..=12).contains(m)) {
                    return Some(Period::month(year, month));
                }
            }
        }
    }
    let spans = [
        ("上半年", Span::Half(1)),
        ("一季度", Span::Quarter(1)),
        ("二季度", Span::Quarter(2)),
        ("三季度", Span::Quarter(3)),
        ("年底前", Span::Year),
        ("年底", Span::Year),
        ("年内", Span::Year),
        ("年末", Span::Year),
    ];
    spans.iter().find(|(word, _)| contains(text, word)).and_then(|&(_, span)| Period::new(year, span))
}

/// Completion verbs, longest first.
const DONE_VERBS: &[&str] = &[
    "建成启用",
    "建成招生",
    "开学招生",
    "建成投产",
    "投入运行",
    "建成运营",
    "投入运营",
    "建成通车",
    "建成投用",
    "建成投运",
    "建成开放",
    "建成使用",
    "竣工投用",
    "投入使用",
    "建成",
    "建立",
    "完成",
    "竣工",
    "通车",
    "投运",
];

/// What a done-or-not commitment is about: a structure or facility one can see
/// finished (立交, 医院, 场站, 服务区, 工程 …).
const FACILITIES: &[&str] = &[
    "立交",
    "桥",
    "隧道",
    "院区",
    "院",
    "馆",
    "中心",
    "服务区",
    "场站",
    "站",
    "水厂",
    "厂",
    "段",
    "路",
    "线",
    "公园",
    "学校",
    "中学",
    "小学",
    "机场",
    "大道",
    "电站",
    "工程",
];

/// What 完成 finishes: works and campaigns with an end (第八轮环保三年行动,
/// 存量危房解危治理), not improvements that go on (绿化提质).
const PROGRAMMES: &[&str] = &["工程", "行动", "治理", "整治", "改造", "攻坚", "搬迁安置"];

/// Objects that are systems or arrangements, not things that get finished.
const NOT_FACILITIES: &[&str] = &["数据", "平台", "联盟", "机制", "体系", "制度", "模式", "流程", "库", "目标", "任务"];

/// A clause without a figure: 同步 (relative), 保持正增长, or a milestone.
fn read_without_figure(group: &Text, due: Option<Period>) -> Option<Found> {
    let text = &group.norm;
    let quote = group.quote();
    // 居民人均可支配收入增速与经济增长保持同步
    if contains(text, "同步") {
        let with = find(text, "与")?;
        // 与经济增长同步 · 与GDP增速基本同步
        if !contains_any(&text[with..], &["增长", "增速", "增幅"]) {
            return None;
        }
        let mut subject = strip_fillers(&text[..with]);
        for word in ["增长", "增速", "增幅"] {
            if ends_with(&subject, word) {
                subject.truncate(subject.len() - 2);
            }
        }
        if subject.is_empty() {
            return None;
        }
        let name: String = subject.iter().chain(&chars("增速")).collect();
        return Some(Found {
            kind: Kind::Relative,
            measure: None,
            cmp: Cmp::About,
            value: 0.0,
            unit: "%".to_string(),
            name,
            quote,
            due,
            reviews: Vec::new(),
            ..Found::plain()
        });
    }
    // 全社会固定资产投资保持正增长
    if let Some(at_word) = find(text, "保持正增长").or_else(|| find(text, "实现正增长")) {
        let subject = strip_fillers(&text[..at_word]);
        if subject.is_empty() {
            return None;
        }
        return Some(Found {
            kind: Kind::Growth,
            measure: None,
            cmp: Cmp::MoreThan,
            value: 0.0,
            unit: "%".to_string(),
            name: subject.iter().chain(&chars("增速")).collect(),
            quote,
            due,
            reviews: Vec::new(),
            ..Found::plain()
        });
    }
    milestone(group, due)
}

/// 建成通车龙津路与连霍高速立交 · 实现全域消除黑臭水体 · 年底前实现…全覆盖.
fn milestone(group: &Text, due: Option<Period>) -> Option<Found> {
    let text = &group.norm;
    if contains_any(text, &["基本", "逐步", "推进", "加快", "启动"]) {
        return None;
    }
    let everywhere = ends_with(text, "全覆盖") && contains_any(text, &["实现", "完成", "达到"])
        || ["实现全域", "实现全面", "实现全部"].iter().any(|w| contains(text, w));
    let facility = || {
        let (verb_at, verb) =
            (0..text.len()).find_map(|i| DONE_VERBS.iter().find(|v| at(text, i, v)).map(|v| (i, *v)))?;
        let after = verb_at + verb.chars().count();
        let mut object: Vec<char> = trim(&text[after..]).to_vec();
        if object.is_empty() {
            // 县人民医院新院区年底前投入使用: the object comes first, with its time words.
            object = strip_fillers(&text[..verb_at]);
            for word in ["年底前", "年内", "年底", "上半年"] {
                if ends_with(&object, word) {
                    object.truncate(object.len() - word.chars().count());
                }
            }
        }
        // A phase (研究中心二期), a name in brackets (中学(四川天府)), a campaign's
        // tasks (三年行动任务) still name the thing finished.
        if object.last() == Some(&')') {
            if let Some(open) = object.iter().rposition(|&c| c == '(') {
                object.truncate(open);
            }
        }
        for tail in ["并投入使用", "并投用", "并通车", "一期", "二期", "三期", "四期"] {
            if ends_with(&object, tail) {
                object.truncate(object.len() - tail.chars().count());
            }
        }
        if ends_with(&object, "行动任务") {
            object.truncate(object.len() - 2);
        }
        let object = object.as_slice();
        let is_facility = (FACILITIES.iter().any(|f| ends_with(object, f)) || verb == "完成")
            && !contains_any(object, NOT_FACILITIES)
            && (verb != "完成" || PROGRAMMES.iter().any(|p| ends_with(object, p)));
        is_facility.then_some(())
    };
    if !(everywhere || facility().is_some()) {
        return None;
    }
    let name: String = strip_fillers(text).iter().collect();
    Some(Found {
        kind: Kind::Milestone,
        measure: None,
        cmp: Cmp::Reach,
        value: 100.0,
        unit: "%".to_string(),
        name: if name.is_empty() { group.quote() } else { name },
        quote: group.quote(),
        due,
        reviews: vec!["milestone without a figure: check that it is a done-or-not commitment of this year".to_string()],
        ..Found::plain()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(clause: &str) -> Vec<Found> {
        let text = Text::new(clause);
        split_enumeration(&text).iter().flat_map(|g| read_group(g, &text.norm, 2020)).collect()
    }

    /// (kind, cmp, value, unit, name) of every target read from one clause.
    fn check(clause: &str, expected: &[(Kind, Cmp, f64, &str, &str)]) {
        let found: Vec<_> = read(clause).into_iter().map(|f| (f.kind, f.cmp, f.value, f.unit, f.name)).collect();
        let expected: Vec<_> =
            expected.iter().map(|&(k, c, v, u, n)| (k, c, v, u.to_string(), n.to_string())).collect();
        assert_eq!(found, expected, "{clause}");
    }

    #[test]
    fn reads_kinds_names_and_pairs() {
        use Cmp::*;
        use Kind::*;
        check("地区生产总值增长6.5%左右", &[(Growth, About, 6.5, "%", "地区生产总值增速")]);
        check("城镇登记失业率控制在4%以内", &[(Rate, AtMost, 4.0, "%", "城镇登记失业率")]);
        check(
            "力争金融业增加值占服务业增加值的比重达到30%",
            &[(Share, AtLeast, 30.0, "%", "金融业增加值占服务业增加值的比重")],
        );
        check("居民人均可支配收入增速与经济增长保持同步", &[(Relative, About, 0.0, "%", "居民人均可支配收入增速")]);
        check("全社会固定资产投资保持正增长", &[(Growth, MoreThan, 0.0, "%", "全社会固定资产投资增速")]);
        check("设立6000万元的应急转贷周转资金", &[(Amount, Reach, 6000.0, "万元", "设立应急转贷周转资金")]);
        check(
            "建成投用1座大型生活垃圾分拣中心和2座生活垃圾转运站",
            &[
                (Count, Reach, 1.0, "座", "建成投用大型生活垃圾分拣中心"),
                (Count, Reach, 2.0, "座", "建成投用生活垃圾转运站"),
            ],
        );
        check(
            "新建院士工作站2个、新型研发机构2家",
            &[(Count, Reach, 2.0, "个", "新建院士工作站"), (Count, Reach, 2.0, "家", "新型研发机构")],
        );
        check(
            "高新技术企业、科技型中小企业分别达到400家、1500家",
            &[(Count, AtLeast, 400.0, "家", "高新技术企业"), (Count, AtLeast, 1500.0, "家", "科技型中小企业")],
        );
        check(
            "确保不少于300个“一件事”一个窗口、一个流程办结",
            &[(Count, AtLeast, 300.0, "个", "“一件事”一个窗口、一个流程办结")],
        );
        check("创建优秀、卓越和极致路段214条", &[(Count, Reach, 214.0, "条", "创建优秀、卓越和极致路段")]);
    }

    /// (kind, measure, cmp, value, unit, strive, change, baseline) of every target.
    #[allow(clippy::type_complexity)]
    fn forms(clause: &str) -> Vec<(Kind, Option<Measure>, Cmp, f64, String, Option<f64>, Option<f64>, Option<f64>)> {
        read(clause)
            .into_iter()
            .map(|f| (f.kind, f.measure, f.cmp, f.value, f.unit, f.strive, f.change, f.baseline))
            .collect()
    }

    #[test]
    fn reads_the_forms_of_the_second_target_model() {
        use Cmp::*;
        use Kind::*;
        let pct = || "%".to_string();
        // A range: a plain number, the lower end the bar, the upper end the higher bar.
        assert_eq!(forms("全区生产总值增长5.5%—6%"), vec![(Growth, None, Reach, 5.5, pct(), Some(6.0), None, None)]);
        // Points: a share or a rate with a signed change (its baseline comes from the text or a person).
        assert_eq!(
            forms("常住人口城镇化率提高1.2个百分点"),
            vec![(Share, None, AtLeast, 1.2, pct(), None, Some(1.2), None)]
        );
        assert_eq!(forms("调查失业率下降0.3个百分点"), vec![(Rate, None, AtMost, -0.3, pct(), None, Some(-0.3), None)]);
        assert_eq!(
            forms("森林覆盖率由41.5%提高到42%"),
            vec![(Share, None, AtLeast, 42.0, pct(), None, Some(0.5), Some(41.5))]
        );
        // A stock reduced from a baseline; a ceiling on a count that accumulates.
        assert_eq!(
            forms("农村危房存量从85户减少到15户"),
            vec![(Count, Some(Measure::Level), AtMost, 15.0, "户".to_string(), None, None, Some(85.0))]
        );
        assert_eq!(
            forms("较大以上生产安全事故控制在3起以内"),
            vec![(Count, Some(Measure::Ytd), AtMost, 3.0, "起".to_string(), None, None, None)]
        );
        // Reductions as growth at most a negative figure.
        assert_eq!(forms("单位地区生产总值能耗下降2.5%"), vec![(Growth, None, AtMost, -2.5, pct(), None, None, None)]);
        // Levels in other units.
        assert_eq!(
            forms("细颗粒物年均浓度控制在32微克/立方米以内"),
            vec![(Amount, Some(Measure::Level), AtMost, 32.0, "微克/立方米".to_string(), None, None, None)]
        );
        assert_eq!(
            forms("全年空气质量优良天数310天以上"),
            vec![(Count, Some(Measure::Level), AtLeast, 310.0, "天".to_string(), None, None, None)]
        );
    }

    #[test]
    fn each_gives_one_target_per_thing_named() {
        use Cmp::*;
        use Kind::*;
        check(
            "建设优质小麦示范片、高效节水灌溉片各1200亩",
            &[(Amount, Reach, 1200.0, "亩", "建设优质小麦示范片"), (Amount, Reach, 1200.0, "亩", "建设高效节水灌溉片")],
        );
        check(
            "新增普惠托位和社区食堂各50个",
            &[(Count, Reach, 50.0, "个", "新增普惠托位"), (Count, Reach, 50.0, "个", "新增社区食堂")],
        );
        // 各 after one name is no list.
        assert_eq!(read("各街道新增停车泊位200个").len(), 1);
    }

    #[test]
    fn counts_that_sum_up_a_list_are_no_targets() {
        assert_eq!(read("支持东湖、南湖2个湿地公园提质"), vec![]);
        assert_eq!(read("构建监测预警、应急处置、恢复重建3个体系"), vec![]);
        // Things built or finished, more things than it names, an open list, or a plain count: targets.
        assert_eq!(read("完成东街、西街、南街3个片区改造").len(), 1);
        assert_eq!(read("加快东区、西区3座污水处理厂建设").len(), 1);
        assert_eq!(read("推动信息安全、新材料和视觉识别等三个领域进入“国家队”").len(), 1);
        assert_eq!(read("新建口袋公园2个").len(), 1);
    }

    #[test]
    fn raising_a_benefit_standard_is_no_target() {
        for raise in [
            "城乡居民最低生活保障标准提高8%",
            "高龄老人津贴从每人每月100元提高到150元",
            "困难残疾人生活补贴由80元提高至120元",
            "义务教育阶段生均公用经费补助标准分别提高100元、150元",
            "城乡居民基础养老金上调20元",
        ] {
            assert_eq!(read(raise), vec![], "{raise}");
        }
        // A standard in a name, or a level raised that is no standard: targets.
        assert_eq!(read("建设高标准农田12万亩").len(), 1);
        assert_eq!(read("新建标准化厂房20万平方米").len(), 1);
        assert_eq!(read("农村自来水普及率提高到95%").len(), 1);
        assert_eq!(read("森林覆盖率由41.5%提高到42%").len(), 1);
    }

    #[test]
    fn keeping_in_step_with_growth_in_any_wording() {
        use Cmp::*;
        use Kind::*;
        check("城乡居民收入增速与GDP增速基本同步", &[(Relative, About, 0.0, "%", "城乡居民收入增速")]);
        check("农民收入增幅与经济增速同步", &[(Relative, About, 0.0, "%", "农民收入增速")]);
        assert_eq!(read("与兄弟区县同步推进"), vec![]);
    }

    #[test]
    fn milestones_are_things_finished_not_work_going_on() {
        let kinds = |clause: &str| read(clause).into_iter().map(|f| f.kind).collect::<Vec<_>>();
        for done in [
            "建成通车龙津路与连霍高速立交",
            "实现全域消除黑臭水体",
            "建立24小时自助服务区",
            "年底前实现农村生活垃圾治理全覆盖",
            "确保年内建成县第二人民医院并投入使用",
            "上半年完成西溪湿地三期综合保护工程",
            "县人民医院新院区年底前投入使用",
            "年底前建成东环城路快速路",
            "区妇幼保健院建成启用",
            "文体中心投入运营",
            "高质量完成第三轮城中村改造",
            "全面完成老旧管网整治",
            "完成河道清淤三年行动",
            "全面完成安全生产专项整治三年行动任务",
            "投运区中医院",
            "建成科技馆二期",
            "实验中学（东校区）开学招生",
        ] {
            assert_eq!(kinds(done), vec![Kind::Milestone], "{done}");
        }
        for not_done in [
            "建立楼宇经济服务联盟",
            "建立金水金融大数据库",
            "全面完成京港澳高速等交通路网沿线绿化提质",
            "推动郊野公园完成次峰土方消纳及山体整理",
            "力争区级审批事项基本实现“网上办”",
            "完成省市下达的节能减排目标",
            "打造夜经济示范区",
            "开工建设区中医院新院区",
            "完成年度工作任务",
            "全面完成美丽乡村提质",
        ] {
            assert_eq!(kinds(not_done), vec![], "{not_done}");
        }
    }

    #[test]
    fn due_periods_from_time_words() {
        assert_eq!(due_period(&chars("年底前建成"), 2020), Some(Period::full_year(2020)));
        assert_eq!(due_period(&chars("力争上半年完成"), 2022).map(|p| p.label()), Some("2022H1".to_string()));
        assert_eq!(due_period(&chars("3月底前完成"), 2021), Some(Period::month(2021, 3)));
        assert_eq!(due_period(&chars("1月15日开幕"), 2021), None);
        assert_eq!(due_period(&chars("新建道路"), 2021), None);
    }
}
