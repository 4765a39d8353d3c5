//! Quantities in a clause: a number with a unit and the words around it that say
//! how it is compared (左右, 以内, 不少于, 突破 …). Numbers that are not quantities
//! stay out: years, ranks (第7位), line numbers (6号线), codes (5G, PM2.5), durations
//! (24小时), size classes (10亿元以上项目) and figures that only qualify a noun (6.5%的目标).

use super::text::{at, chinese_number, ends_with, is_chinese_digit, is_cjk};
use crate::plan::{Cmp, Kind};

/// One quantity found in a clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Where the quantity's words start: the comparison word before the number, if any.
    pub start: usize,
    /// Where the number starts.
    pub number: usize,
    /// After the unit and any comparison word after it.
    pub end: usize,
    pub value: f64,
    pub unit: &'static str,
    pub cmp: Cmp,
    /// Whether the comparison was read from a word (else a plain number: reach).
    pub cmp_from_word: bool,
    /// Written in Chinese numerals (等三个领域).
    pub chinese: bool,
    /// A range (增长6%—6.5%, 6-6.5%): its upper end; `value` is the lower end.
    pub upper: Option<f64>,
}

impl Quantity {
    /// The kind a quantity of this unit is, before looking at the words (% kinds are
    /// decided by the clause).
    pub fn unit_kind(&self) -> Option<Kind> {
        if self.unit == "%" || self.is_points() {
            None
        } else if AMOUNT_UNITS.contains(&self.unit) {
            Some(Kind::Amount)
        } else {
            Some(Kind::Count)
        }
    }
}

impl Quantity {
    /// A change in percentage points (提高1个百分点): its kind is a rate or share.
    pub fn is_points(&self) -> bool {
        self.unit == POINTS
    }
}

/// The unit of a change in percentage points.
pub const POINTS: &str = "个百分点";

/// Units of things counted. Each may also be written with 万 (1.2万套).
const COUNT_UNITS: &[&str] = &[
    "人次", "个", "家", "条", "幢", "栋", "座", "所", "名", "套", "户", "人", "张", "台", "处", "项", "天", "辆", "件",
    "起", "头", "部", "场", "课时",
];

/// Units of money, area, length, weight and concentration: amounts.
const AMOUNT_UNITS: &[&str] = &[
    "微克/立方米",
    "万平方米",
    "平方公里",
    "平方米",
    "亿美元",
    "万美元",
    "美元",
    "万亿元",
    "亿元",
    "万元",
    "元",
    "亿亩",
    "万亩",
    "亩",
    "公顷",
    "公里",
    "千米",
    "亿吨",
    "万吨",
    "吨",
    "亿斤",
    "万斤",
    "斤",
    "万千瓦",
    "千瓦",
];

/// Units of capacity: a number in one of them followed by a noun names the plant.
const CAPACITY_UNITS: &[&str] = &["亿吨", "万吨", "吨", "万千瓦", "千瓦"];

/// Every unit, canonical spelling; matched longest first.
fn units() -> &'static [&'static str] {
    static UNITS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    UNITS.get_or_init(|| {
        let mut all: Vec<&'static str> = vec!["%"];
        all.extend_from_slice(AMOUNT_UNITS);
        for unit in COUNT_UNITS {
            all.push(unit);
            all.push(Box::leak(format!("万{unit}").into_boxed_str()));
        }
        all.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
        all
    })
}

/// Comparison words written before the number, longest first where one ends another.
const BEFORE: &[(&str, Cmp)] = &[
    ("不少于", Cmp::AtLeast),
    ("不低于", Cmp::AtLeast),
    ("不高于", Cmp::AtMost),
    ("不超过", Cmp::AtMost),
    ("控制在", Cmp::AtMost),
    ("低于", Cmp::AtMost),
    ("保持在", Cmp::AtLeast),
    ("稳定在", Cmp::AtLeast),
    ("提高到", Cmp::AtLeast),
    ("提升到", Cmp::AtLeast),
    ("增加到", Cmp::AtLeast),
    ("达到", Cmp::AtLeast),
    ("达", Cmp::AtLeast),
    ("突破", Cmp::MoreThan),
    ("超过", Cmp::MoreThan),
    ("多于", Cmp::MoreThan),
    ("高于", Cmp::MoreThan),
    ("超", Cmp::MoreThan),
    ("逾", Cmp::MoreThan),
];

/// Comparison words written after the unit.
const AFTER: &[(&str, Cmp)] =
    &[("左右", Cmp::About), ("以内", Cmp::AtMost), ("以下", Cmp::AtMost), ("以上", Cmp::AtLeast)];

/// Words before a number that make it a description of a set, not a goal
/// (总投资860亿元: the size of a project list).
const DESCRIPTORS: &[&str] = &["总投资", "投资总额", "第"];

/// The quantities of a clause, in order.
pub fn scan(text: &[char]) -> Vec<Quantity> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        let arabic_start =
            c.is_ascii_digit() && (i == 0 || !(text[i - 1].is_ascii_alphanumeric() || text[i - 1] == '.'));
        let chinese_start = c == '等' && text.get(i + 1).is_some_and(|&d| is_chinese_digit(d) && d != '零');
        if arabic_start {
            let (value, after) = read_arabic(text, i);
            match range(text, i, value, after).or_else(|| quantity(text, i, after, value, false)) {
                Some(q) => {
                    i = q.end;
                    found.push(q);
                }
                None => i = after.max(i + 1),
            }
        } else if chinese_start {
            // 等三个领域: a Chinese numeral counts only when it sums up a list.
            let start = i + 1;
            let mut after = start;
            while after < text.len() && is_chinese_digit(text[after]) {
                after += 1;
            }
            match chinese_number(&text[start..after]).and_then(|v| quantity(text, start, after, f64::from(v), true)) {
                Some(q) if COUNT_UNITS.contains(&q.unit) => {
                    i = q.end;
                    found.push(q);
                }
                _ => i = after,
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Reads `1,500.5` from `start`; returns the value and the position after it.
fn read_arabic(text: &[char], start: usize) -> (f64, usize) {
    let mut digits = String::new();
    let mut i = start;
    while i < text.len() {
        let c = text[i];
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == ',' {
            // thousands separator, kept by normalisation only between digit groups
        } else if c == '.' && text.get(i + 1).is_some_and(char::is_ascii_digit) && !digits.contains('.') {
            digits.push('.');
        } else {
            break;
        }
        i += 1;
    }
    (digits.parse().unwrap_or(f64::NAN), i)
}

fn quantity(text: &[char], number: usize, after: usize, value: f64, chinese: bool) -> Option<Quantity> {
    if !value.is_finite() {
        return None;
    }
    let before = &text[..number];
    if DESCRIPTORS.iter().any(|d| ends_with(trim_end(before), d)) {
        return None;
    }
    let mut k = after;
    while text.get(k) == Some(&' ') {
        k += 1;
    }
    let mut unit = *units().iter().find(|u| at(text, k, u))?;
    if unit == "个" && at(text, k, POINTS) {
        unit = POINTS;
    }
    let unit_end = k + unit.chars().count();
    let next = text.get(unit_end).copied();
    // Letters or digits right after: a code or a name (5G, 3A), not a quantity.
    if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    // 个百分点, 个月, 个工作日, 天内: not a quantity we track.
    if ["百分点", "月", "小时", "工作日", "内"].iter().any(|w| at(text, unit_end, w)) && unit != "%" {
        return None;
    }
    let mut end = unit_end;
    let mut cmp = None;
    for (word, word_cmp) in AFTER {
        if at(text, unit_end, word) {
            end = unit_end + word.chars().count();
            cmp = Some(*word_cmp);
            // 10亿元以上项目: a size class qualifying the noun after it. A count
            // (10家以上社康机构) is the count of those things, unless the things are
            // counted again after it (100人以上企业20家).
            let size_class = matches!(*word, "以上" | "以下")
                && text.get(end).is_some_and(|&c| is_cjk(c))
                && (AMOUNT_UNITS.contains(&unit) || !scan(&text[end..]).is_empty());
            if size_class {
                return None;
            }
            break;
        }
    }
    // 6.5%的奋斗目标: a percentage qualifying a noun, not a goal of its own.
    if unit == "%" && text.get(end) == Some(&'的') {
        return None;
    }
    // 60万吨赖氨酸项目, 35万千瓦光热电站: a capacity naming a plant, not a goal.
    if CAPACITY_UNITS.contains(&unit) && end == unit_end && text.get(end).is_some_and(|&c| is_cjk(c)) {
        return None;
    }
    // (约3000平方米): a size given in passing.
    let opened = text[..number].iter().rposition(|&c| c == '(');
    if opened.is_some_and(|at| !text[at..number].contains(&')') && text[at..number].contains(&'约')) {
        return None;
    }
    let mut start = number;
    let trimmed = trim_end(before);
    if let Some((word, word_cmp)) = BEFORE.iter().find(|(word, _)| ends_with(trimmed, word)) {
        start = trimmed.len() - word.chars().count();
        if cmp.is_none() {
            cmp = Some(*word_cmp);
        }
    }
    Some(Quantity {
        start,
        number,
        end,
        value,
        unit,
        cmp: cmp.unwrap_or(Cmp::Reach),
        cmp_from_word: cmp.is_some(),
        chinese,
        upper: None,
    })
}

/// Chars that join the two ends of a range.
const RANGE: &[char] = &['—', '–', '-', '~', '～', '至', '到'];

/// 6%—6.5% or 6-6.5%: a range read as one quantity from its lower end.
fn range(text: &[char], number: usize, low: f64, after_low: usize) -> Option<Quantity> {
    // The lower end, with its unit or without (6-6.5%).
    // (1.2万-1.5万人: the lower end may carry only the 万 or 亿 of the unit.)
    let (low_unit, joint) = match units().iter().find(|u| at(text, after_low, u)) {
        Some(unit) => (Some(*unit), after_low + unit.chars().count()),
        None if matches!(text.get(after_low), Some('万' | '亿')) => (None, after_low + 1),
        None => (None, after_low),
    };
    let scale = text[after_low..joint].iter().collect::<String>();
    if !text.get(joint).is_some_and(|c| RANGE.contains(c)) {
        return None;
    }
    let high_start = joint + 1;
    if !text.get(high_start).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let (high, after_high) = read_arabic(text, high_start);
    let upper = quantity(text, high_start, after_high, high, false)?;
    let units_agree = low_unit.map_or(upper.unit.starts_with(&scale), |u| u == upper.unit);
    if !units_agree || low >= high {
        return None;
    }
    let mut start = number;
    let trimmed = trim_end(&text[..number]);
    if let Some((word, _)) = BEFORE.iter().find(|(word, _)| ends_with(trimmed, word)) {
        start = trimmed.len() - word.chars().count();
    }
    // A range has no comparison word: a plain number from its lower end to its upper
    // end (docs/plan-format.md, "Target forms").
    Some(Quantity { start, number, value: low, cmp: Cmp::Reach, cmp_from_word: true, upper: Some(high), ..upper })
}

fn trim_end(text: &[char]) -> &[char] {
    let end = text.iter().rposition(|c| *c != ' ').map_or(0, |i| i + 1);
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::chars;

    /// (value, unit, cmp) of every quantity found.
    fn check(clause: &str, expected: &[(f64, &str, Cmp)]) {
        let found: Vec<(f64, &str, Cmp)> = scan(&chars(clause)).iter().map(|q| (q.value, q.unit, q.cmp)).collect();
        assert_eq!(found, expected, "{clause}");
    }

    #[test]
    fn reads_values_units_and_comparisons() {
        use Cmp::*;
        check("地区生产总值增长6.5%左右", &[(6.5, "%", About)]);
        check("城镇登记失业率控制在4%以内", &[(4.0, "%", AtMost)]);
        check("力争分类覆盖率达95%以上", &[(95.0, "%", AtLeast)]);
        check("确保不少于300个“一件事”一个窗口", &[(300.0, "个", AtLeast)]);
        check("区级税收超百万元楼宇突破140幢", &[(140.0, "幢", MoreThan)]);
        check("全年接待游客超2000万人次", &[(2000.0, "万人次", MoreThan)]);
        check("新建续建道路92条", &[(92.0, "条", Reach)]);
        check("年底前建成2个污水处理站和9条道路", &[(2.0, "个", Reach), (9.0, "条", Reach)]);
        check("分别达到400家、1500家", &[(400.0, "家", AtLeast), (1500.0, "家", Reach)]);
        check("新增学位1,500个", &[(1500.0, "个", Reach)]);
        check("新增三级医院1家", &[(1.0, "家", Reach)]);
        check("信息安全、新材料和视觉识别等三个领域进入“国家队”", &[(3.0, "个", Reach)]);
        check("PM2.5平均浓度不高于30微克/立方米", &[(30.0, "微克/立方米", AtMost)]);
        check("新开工保障性住房1.2万套", &[(1.2, "万套", Reach)]);
        check("粮食总产稳定在3亿斤以上", &[(3.0, "亿斤", AtLeast)]);
        check("地区生产总值增长6%—6.5%", &[(6.0, "%", Reach)]);
        check("地区生产总值增长6-6.5%", &[(6.0, "%", Reach)]);
        check("新增就业1.2万-1.5万人", &[(1.2, "万人", Reach)]);
        check("新增学位3000个、4000个", &[(3000.0, "个", Reach), (4000.0, "个", Reach)]);
        check("城镇化率提高0.5个百分点", &[(0.5, "个百分点", Reach)]);
        check("安全生产事故控制在5起以内", &[(5.0, "起", AtMost)]);
        // 以上 before the noun: the count of those things, unless they are counted again.
        check("推进10家以上社康机构建设", &[(10.0, "家", AtLeast)]);
        check("培育100人以上企业20家", &[(20.0, "家", Reach)]);
        check("引进5000万元以上项目", &[]);
    }

    #[test]
    fn leaves_out_numbers_that_are_not_quantities() {
        check("认真抓好轨道交通6、7、8号线征收工作", &[]);
        check("位列第7位", &[]);
        check("入选中国综合竞争力百强区24位", &[]);
        check("争取形成5G+政务服务", &[]);
        check("建立24小时自助服务区", &[]);
        check("定下了6.5%的奋斗目标", &[]);
        check("其中总投资10亿元以上项目8个", &[(8.0, "个", Cmp::Reach)]);
        check("总投资860亿元", &[]);
        check("统筹推进八个方面重点工作", &[]);
        check("1月15日", &[]);
        check("2020年", &[]);
    }
}
