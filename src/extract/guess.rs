//! Guessing the plan year and the organisation from the text when the user does not
//! say: the year most often written (years a goal is set *for*, 到2025年, do not
//! count; a tie goes to the later year), and the district, county or city name
//! (…区, …县, …市) most often written, the title counting double.

use std::collections::BTreeMap;

use super::text::{chars, is_cjk, years};

/// The most frequent year in the text, ties to the later one. Years in clauses that
/// review or estimate (全面回顾, 一年来, 预计) are the year before the plan's and count
/// only when no other year is written; a year in a clause that plans (安排, 目标)
/// counts double.
pub fn year(text: &str) -> Option<i32> {
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    let mut reviewed: BTreeMap<i32, usize> = BTreeMap::new();
    for clause in text.split(['。', '！', '？', '\n', '，', ',', '；', ';']) {
        let chars = chars(clause);
        let review = REVIEW_WORDS.iter().any(|w| clause.contains(w));
        let weight = if PLAN_WORDS.iter().any(|w| clause.contains(w)) { 2 } else { 1 };
        for (at, year) in years(&chars) {
            let horizon = at > 0 && matches!(chars[at - 1], '到' | '至');
            if !horizon && (1949..=2100).contains(&year) {
                *(if review { &mut reviewed } else { &mut counts }).entry(year).or_default() += weight;
            }
        }
    }
    let most = |counts: BTreeMap<i32, usize>| counts.into_iter().max_by_key(|&(year, count)| (count, year));
    most(counts).or_else(|| most(reviewed)).map(|(year, _)| year)
}

/// Words of a clause that plans the year.
const PLAN_WORDS: &[&str] = &["安排", "目标", "预期", "力争", "确保"];

/// Words of a sentence about the year under review.
const REVIEW_WORDS: &[&str] = &["回顾", "一年来", "过去一年", "过去的一年", "预计", "预测", "全面完成", "圆满完成"];

/// Chars that end an administrative name.
const SUFFIXES: &[char] = &['区', '县', '市', '旗', '省'];

/// Words ending in 区/县/市 that are not a place's name (全区, 城区, 示范区 …): the
/// char before the suffix rules them out.
const NOT_BEFORE_SUFFIX: &str = "全本该社园辖各分景街片范贸聚务发心新每乡郊老商上下内外省地治牧";

/// Chars that do not start a place name (function words, verbs).
const NOT_FIRST: &str = "的了在和与及将是为把对从到向全本该各每其这那一个现如区县市省心老主旧完我";

/// The most frequent place name, with the first lines counting double. A name is
/// taken only if it stands on its own at least once — at the start of a line, after
/// punctuation, or after its city or province (深圳市南山区) — not only inside a
/// longer word (义务教育优质均衡发展区): a name that is not clear is asked for.
pub fn org(text: &str) -> Option<String> {
    let mut counts: BTreeMap<String, (usize, usize, bool)> = BTreeMap::new();
    for (line_no, line) in text.lines().enumerate() {
        let line = chars(line);
        let weight = if line_no < 3 { 2 } else { 1 };
        for i in 1..line.len() {
            if !SUFFIXES.contains(&line[i]) {
                continue;
            }
            // 淇县: a one-char name stands at the start of a line or after a
            // city's name (鹤壁市淇县); elsewhere the char is a word of its own (全县).
            let one_char = is_cjk(line[i - 1])
                && !NOT_FIRST.contains(line[i - 1])
                && !NOT_BEFORE_SUFFIX.contains(line[i - 1])
                && line[i - 1] != '城'
                && (i == 1 || !is_cjk(line[i - 2]) || matches!(line[i - 2], '市' | '省'));
            let two_chars = i >= 2 && {
                let (first, second) = (line[i - 2], line[i - 1]);
                is_cjk(first) && is_cjk(second) && !NOT_BEFORE_SUFFIX.contains(second) && !NOT_FIRST.contains(first)
            };
            let start = if two_chars && !(one_char && i >= 2 && matches!(line[i - 2], '市' | '省')) {
                i - 2
            } else if one_char {
                i - 1
            } else {
                continue;
            };
            // 郑州市二七区: the city is only where the district lies.
            let district_follows = matches!(line[i], '市' | '省')
                && (2..=3).any(|k| {
                    line.get(i + k).is_some_and(|c| matches!(c, '区' | '县' | '市'))
                        && line[i + 1..i + k].iter().all(|&c| is_cjk(c) && !NOT_FIRST.contains(c))
                });
            // 援藏省市, 省级: the suffix starts a word of its own.
            let compound = line[i] == '省' && matches!(line.get(i + 1), Some('市' | '级'));
            if district_follows || compound {
                continue;
            }
            let name: String = line[start..=i].iter().collect();
            let alone = start == 0 || !is_cjk(line[start - 1]) || matches!(line[start - 1], '市' | '省' | '州');
            let entry = counts.entry(name).or_insert((0, usize::MAX, false));
            entry.0 += weight;
            entry.1 = entry.1.min(line_no * 10_000 + i);
            entry.2 |= alone;
        }
    }
    // Most frequent of the clear names; ties to the one written first.
    counts
        .into_iter()
        .filter(|(_, (_, _, alone))| *alone)
        .max_by_key(|(_, (count, first, _))| (*count, std::cmp::Reverse(*first)))
        .map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_year_and_org() {
        assert_eq!(year("2020年是收官之年。2020年，2019年，全区……到2025年，2025年"), Some(2020));
        assert_eq!(year("报告显示，2018年……今年2019年"), Some(2019));
        assert_eq!(year("没有年份"), None);
        // The year a report reviews or estimates is not its plan year.
        assert_eq!(
            year("测试县政府工作报告摘要：2021年各项目标任务全面完成\n对2021年工作作了全面回顾，对2022年工作作了安排。\n据统计预测，2021年全县……"),
            Some(2022)
        );
        assert_eq!(org("深圳市南山区2024年政府工作报告\n南山区将……全区\n南山区"), Some("南山区".to_string()));
        assert_eq!(org("全区实现……城区更新，示范区"), None);
        assert_eq!(org("我区推进……民族地区、自治区、农牧区"), None);
        assert_eq!(org("长丰县2023年政府工作报告\n全县经济"), Some("长丰县".to_string()));
        assert_eq!(org("杭州市上城区2023年政府工作报告\n中心城区，老城区"), Some("上城区".to_string()));
        assert_eq!(org("淇县2022年政府工作报告\n全县……节能减排完成市下达任务"), Some("淇县".to_string()));
        assert_eq!(org("鹤壁市淇县：全县"), Some("淇县".to_string()));
        assert_eq!(org("吉林省2026年政府工作报告\n长春市……吉林省……对口支援省市，省级"), Some("吉林省".to_string()));
        assert_eq!(org("河南省郑州市二七区2021年政府工作报告"), Some("二七区".to_string()));
        // Only inside longer words: no clear name, so the user is asked.
        assert_eq!(org("创建义务教育优质均衡发展区，建设国家级经济技术开发区"), None);
        assert_eq!(org("创建义务教育优质均衡发展区。\n本报讯 测试区今年将……"), Some("测试区".to_string()));
    }
}
