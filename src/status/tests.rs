//! The status rules of docs/status-rules.md as one table: each row is
//! a target, the figures logged for it, an as-of period and what the status must say.
//!
//! - target: `KIND CMP VALUE UNIT FREQUENCY`, then `| toml line` for any other field.
//!   The plan also holds `gdp` (growth ≈ 6.5 %, quarterly), which relative targets follow.
//! - figures: `CODE PERIOD VALUE[@DAY]` separated by `;`, logged in that order. `@DAY`
//!   records it DAY days after 2020-01-01 00:00 UTC; without it, figures are recorded
//!   one second apart from 2021-01-01, in the order written.
//! - as of: a period, or `default`; `known@DAY` adds an as-recorded moment (noon of that day).
//! - expected: the status of `t`, then `key=value` for any field to check (`null` for
//!   none): actual period target gap margin progress pace behind projected needed
//!   related baseline from overdue due_for final as_of strive_met. Numbers compare within 1e-9.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::actual::{current_figures, Actual};
use crate::plan::file::parse_plan;
use crate::plan::Plan;

const GROWTH_ABOUT: &str = "growth about 6.5 % quarter";
const RATE_AT_MOST: &str = "rate at_most 4 % quarter";
const SHARE_AT_LEAST: &str = "share at_least 95 % quarter";
const RELATIVE: &str = "relative about 0 % quarter | related = \"gdp\"";
const ROADS: &str = "count reach 92 条 quarter";
const LEVEL: &str = "count at_least 400 家 quarter | measure = \"level\" | baseline = 300";
const MORE_THAN_LEVEL: &str = "count more_than 140 幢 quarter | measure = \"level\" | baseline = 120";
const DUE_H1: &str = "amount reach 5 亿元 quarter | due = \"2020H1\"";
const PLANNED: &str = "count reach 10 个 quarter | planned = { \"2020Q1\" = 0.1, \"2020Q2\" = 0.4 }";
const MILESTONE: &str = "milestone reach 100 % quarter";
const CAP: &str = "amount at_most 100 万元 quarter";
const REDUCTION: &str = "count at_most 30 个 quarter | measure = \"level\" | baseline = 50";
const STOCK: &str = "count more_than 3200 家 quarter | measure = \"level\"";
const STOCK_DOWN: &str = "count at_most 20 户 quarter | measure = \"level\"";
// The target forms of docs/plan-format.md: two bars, a range, a change in points,
// reductions, a ceiling on a count that accumulates, levels in other units.
const TWO_BARS: &str = "growth at_least 6 % quarter | strive = 7 | commitment = \"ensure\"";
const RANGE: &str = "growth reach 6 % quarter | strive = 6.5";
const RATE_CEILING_STRIVE: &str = "rate at_most 4.5 % quarter | strive = 4";
const ROADS_STRIVE: &str = "count at_least 92 条 quarter | strive = 100";
const POINTS_UP: &str = "rate at_least 66.5 % year | baseline = 65.5 | change = 1";
const POINTS_DOWN: &str = "rate at_most 3.8 % quarter | baseline = 4 | change = -0.2";
const ENERGY: &str = "growth at_most -3 % quarter";
const DANGEROUS_HOUSES: &str = "count at_most 20 户 quarter | measure = \"level\" | baseline = 120";
const ACCIDENTS: &str = "count at_most 5 起 quarter";
const ACCIDENTS_STRIVE: &str = "count at_most 5 起 quarter | strive = 3";
const GOOD_AIR_DAYS: &str = "count at_least 260 天 month";
const PM25: &str = "amount at_most 50 微克/立方米 month | measure = \"level\" | baseline = 58";

#[rustfmt::skip]
const CASES: &[(&str, &str, &str, &str)] = &[
    // --- threshold kinds: growth ≈ 6.5 % (tolerance 0.5) ---
    (GROWTH_ABOUT, "t 2020Q3 6.5", "2020Q3", "on_track gap=0 margin=0 target=6.5 progress=null pace=null behind=null projected=null needed=null final=false"),
    (GROWTH_ABOUT, "t 2020Q3 6.0", "2020Q3", "at_risk gap=-0.5 margin=-0.5 needed=null"),
    (GROWTH_ABOUT, "t 2020Q3 5.9", "2020Q3", "off_track gap=-0.6"),
    (GROWTH_ABOUT, "t 2020 6.5", "2020", "met gap=0 final=true"),
    (GROWTH_ABOUT, "t 2020 6.0", "2020", "nearly_met gap=-0.5"),
    (GROWTH_ABOUT, "t 2020 5.99", "2020", "missed gap=-0.51"),
    (GROWTH_ABOUT, "t 2020 7.2", "2020", "met gap=0.7 needed=null"),
    (GROWTH_ABOUT, "t 2020Q3 6.4999999999", "2020Q3", "on_track"),
    (GROWTH_ABOUT, "t 2020Q3 5.9999999995", "2020Q3", "at_risk"),
    (GROWTH_ABOUT, "t 2020年前三季度 5.9999999995", "2020-09", "at_risk period=2020Q3"),
    ("growth about 6.5 % quarter | tolerance = 0", "t 2020Q2 6.4", "2020Q2", "off_track"),
    ("growth about 6.5 % quarter | tolerance = 1", "t 2020 5.5", "2020", "nearly_met"),
    ("growth about 6.5 % quarter | tolerance = 1", "t 2020 5.4", "2020", "missed"),
    // growth ≥ 3, > 5, reach 5
    ("growth at_least 3 % quarter", "t 2020Q2 3", "2020Q2", "on_track"),
    ("growth at_least 3 % quarter", "t 2020Q2 2.5", "2020Q2", "at_risk"),
    ("growth at_least 3 % quarter", "t 2020 2.5", "2020", "missed gap=-0.5"),
    ("growth more_than 5 % quarter", "t 2020Q1 5", "2020Q1", "at_risk gap=0"),
    ("growth more_than 5 % quarter", "t 2020Q1 4.4", "2020Q1", "off_track"),
    ("growth more_than 5 % quarter", "t 2020 5", "2020", "missed"),
    ("growth more_than 5 % quarter", "t 2020 5.1", "2020", "met"),
    ("growth more_than 5 % quarter", "t 2020Q3 5.0000000001", "2020Q3", "at_risk"),
    ("growth reach 5 % quarter", "t 2020 5", "2020", "met"),
    ("growth reach 5 % quarter", "t 2020Q2 4.6", "2020Q2", "at_risk"),
    // rate ≤ 4 %: m = value − actual
    (RATE_AT_MOST, "t 2020Q2 4", "2020Q2", "on_track gap=0 needed=null"),
    (RATE_AT_MOST, "t 2020Q2 4.5", "2020Q2", "at_risk gap=-0.5 margin=-0.5 needed=0.25"),
    (RATE_AT_MOST, "t 2020Q2 4.6", "2020Q2", "off_track"),
    (RATE_AT_MOST, "t 2020 3.2", "2020", "met gap=0.8"),
    (RATE_AT_MOST, "t 2020 4.3", "2020", "missed needed=null"),
    ("rate about 4 % quarter", "t 2020 3.5", "2020", "nearly_met"),
    ("rate more_than 50 % quarter", "t 2020 50", "2020", "missed"),
    ("rate more_than 50 % quarter", "t 2020Q2 50.2", "2020Q2", "on_track gap=0.2"),
    ("rate reach 50 % quarter", "t 2020Q4 50", "2020Q4", "met final=true"),
    // share ≥ 95 %
    (SHARE_AT_LEAST, "t 2020 95", "2020", "met"),
    (SHARE_AT_LEAST, "t 2020Q3 94.6", "2020Q3", "at_risk gap=-0.4 needed=0.4"),
    (SHARE_AT_LEAST, "t 2020 94.6", "2020", "missed"),
    ("share about 60 % quarter", "t 2020 59.5", "2020", "nearly_met"),
    ("share more_than 60 % quarter", "t 2020Q1 59", "2020Q1", "off_track gap=-1"),
    ("share reach 60 % quarter", "t 2020Q1 60", "2020Q1", "on_track needed=null"),
    ("share at_least 60 % month", "t 2020-06 57", "2020-06", "off_track needed=0.5 projected=null"),
    ("share at_most 20 % quarter", "t 2020 20.4", "2020", "missed gap=-0.4"),
    // relative: m = actual − the related target's figure for the same period
    (RELATIVE, "t 2020Q2 5; gdp 2020Q2 5", "2020Q2", "on_track related=5 target=5 gap=0"),
    (RELATIVE, "t 2020Q2 4.6; gdp 2020Q2 5", "2020Q2", "at_risk gap=-0.4 margin=-0.4 needed=null"),
    (RELATIVE, "t 2020Q2 4.4; gdp 2020Q2 5", "2020Q2", "off_track"),
    (RELATIVE, "t 2020 2.5; gdp 2020 3", "2020", "nearly_met gap=-0.5"),
    (RELATIVE, "t 2020 2.4; gdp 2020 3", "2020", "missed"),
    (RELATIVE, "t 2020 3.7; gdp 2020 3.0", "2020", "met gap=0.7"),
    (RELATIVE, "t 2020Q2 5", "2020Q2", "no_data actual=5 period=2020Q2 related=null target=null gap=null margin=null"),
    (RELATIVE, "t 2020Q3 5; gdp 2020Q2 5", "2020Q3", "no_data actual=5 related=null"),
    (RELATIVE, "t 2020-09 5; gdp 2020年前三季度 5.2", "2020Q3", "at_risk related=5.2 gap=-0.2"),
    ("relative at_most 0 % quarter | related = \"gdp\"", "t 2020 3.2; gdp 2020 3", "2020", "nearly_met gap=-0.2"),
    ("relative at_most 0 % quarter | related = \"gdp\"", "t 2020 2.8; gdp 2020 3", "2020", "met gap=0.2"),
    // --- accumulation kinds: 92 roads, ytd, linear pace to December ---
    (ROADS, "t 2020Q3 69", "2020Q3", "on_track progress=0.75 pace=0.75 behind=0 gap=-23 margin=0 projected=92 needed=23 target=92"),
    (ROADS, "t 2020Q3 59.8", "2020Q3", "at_risk behind=10 margin=-9.2 projected=79.7333333333 needed=33"),
    (ROADS, "t 2020Q3 59.81", "2020Q3", "on_track"),
    (ROADS, "t 2020Q3 41.4", "2020Q3", "at_risk behind=30"),
    (ROADS, "t 2020Q3 41.3", "2020Q3", "off_track"),
    (ROADS, "t 2020Q3 92", "2020Q3", "met gap=0 needed=null"),
    (ROADS, "t 2020 91", "2020", "missed gap=-1 projected=91 needed=null final=true"),
    (ROADS, "t 2020 92", "2020", "met needed=null"),
    (ROADS, "t 2020Q1 0", "2020Q1", "at_risk behind=25 needed=31 projected=0"),
    (ROADS, "t 2020Q2 20", "2020Q2", "at_risk needed=36"),
    (ROADS, "t 2020-08 60", "2020-08", "on_track needed=16 pace=0.6666666667"),
    ("count reach 12 个 month", "t 2020-05 5", "2020-05", "on_track pace=0.4166666667 needed=1"),
    ("count about 10 个 quarter", "t 2020 9.9", "2020", "missed"),
    ("count about 10 个 quarter", "t 2020 10", "2020", "met"),
    ("count at_least 10 个 year", "t 2020Q2 5", "2020Q2", "on_track needed=5"),
    // level measure with a baseline (the stock at the end of last year)
    (LEVEL, "t 2020Q2 350", "2020Q2", "on_track progress=0.5 margin=0 projected=400 gap=-50 needed=25"),
    (LEVEL, "t 2020Q2 330", "2020Q2", "at_risk progress=0.3 behind=20 margin=-20 projected=360"),
    (LEVEL, "t 2020Q2 290", "2020Q2", "off_track progress=-0.1 behind=60 projected=280"),
    (LEVEL, "t 2020 400", "2020", "met gap=0"),
    // more_than: equal to the value is not enough
    (MORE_THAN_LEVEL, "t 2020Q2 140", "2020Q2", "on_track progress=1 behind=-50"),
    (MORE_THAN_LEVEL, "t 2020 140", "2020", "missed gap=0 needed=null"),
    (MORE_THAN_LEVEL, "t 2020 141", "2020", "met gap=1"),
    (MORE_THAN_LEVEL, "t 2020Q3 141", "2020Q3", "met"),
    // due earlier than the year's end
    (DUE_H1, "t 2020Q1 2.5", "2020Q1", "on_track pace=0.5 projected=5 needed=2.5 final=false"),
    (DUE_H1, "t 2020Q1 1", "2020Q1", "at_risk behind=30"),
    (DUE_H1, "t 2020H1 4", "2020H1", "missed final=true needed=null projected=4"),
    (DUE_H1, "t 2020Q3 5", "2020Q3", "met final=true"),
    (DUE_H1, "t 2020Q1 2.5", "2020Q3", "on_track overdue=true due_for=2020Q2"),
    // planned path, read piecewise-linearly
    (PLANNED, "t 2020Q1 1", "2020Q1", "on_track pace=0.1 behind=0 projected=10"),
    (PLANNED, "t 2020Q2 1", "2020Q2", "at_risk pace=0.4 behind=30"),
    (PLANNED, "t 2020Q3 3.9", "2020Q3", "off_track pace=0.7 behind=31"),
    (PLANNED, "t 2020-05 2", "2020-05", "at_risk pace=0.3 behind=10"),
    // on the planned path, the projection lands on the goal (not on the linear pace)
    (PLANNED, "t 2020Q2 4", "2020Q2", "on_track pace=0.4 behind=0 projected=10"),
    ("count reach 10 个 quarter | planned = { \"2020Q1\" = 0 }", "t 2020Q1 0", "2020Q1", "on_track pace=0 projected=null"),
    // milestone: % complete, 100 = done
    (MILESTONE, "t 2020Q2 50", "2020Q2", "on_track progress=0.5"),
    (MILESTONE, "t 2020Q2 100", "2020Q2", "met"),
    (MILESTONE, "t 2020Q3 40", "2020Q3", "off_track behind=35"),
    (MILESTONE, "t 2020 95", "2020", "missed gap=-5"),
    // at_most on an accumulation: a cap on spending, and a stock to bring down
    (CAP, "t 2020Q2 40", "2020Q2", "on_track behind=-10 gap=60 margin=10 needed=null"),
    (CAP, "t 2020Q2 70", "2020Q2", "at_risk behind=20"),
    (CAP, "t 2020Q2 101", "2020Q2", "off_track"),
    (CAP, "t 2020 100", "2020", "met"),
    (CAP, "t 2020 100.5", "2020", "missed"),
    (REDUCTION, "t 2020Q2 40", "2020Q2", "on_track progress=0.5 gap=-10 margin=0 needed=5"),
    (REDUCTION, "t 2020Q2 30", "2020Q2", "met"),
    (REDUCTION, "t 2020 31", "2020", "missed"),
    // a stock without a baseline: its first figure of the year stands in, at that
    // figure's month, and the pace runs from there to the due period
    (STOCK, "t 2020Q1 2750", "2020Q1", "on_track progress=0 pace=0 behind=0 baseline=2750 from=first_figure projected=null needed=150"),
    (STOCK, "t 2020Q1 2750; t 2020Q2 2900", "2020Q2", "on_track progress=0.3333333333 pace=0.3333333333 behind=0 margin=0 baseline=2750 projected=3200"),
    (STOCK, "t 2020Q1 2750; t 2020Q2 2600", "2020Q2", "off_track progress=-0.3333333333 behind=66.6666666667 projected=2300"),
    (STOCK, "t 2020Q1 2750; t 2020Q2 2850", "2020Q2", "at_risk behind=11.1111111111"),
    (STOCK, "t 2020Q1 2750; t 2020Q2 2900", "2020Q1", "on_track progress=0 baseline=2750"),
    (STOCK, "t 2020Q2 2750; t 2020Q3 2800", "2020Q3", "off_track pace=0.5 baseline=2750 behind=38.8888888889"),
    (STOCK, "t 2020Q1 2750; t 2020Q1 2800; t 2020Q2 2900", "2020Q2", "on_track baseline=2800 progress=0.25"),
    (STOCK, "t 2020Q1 3300", "2020Q1", "met baseline=3300 needed=null"),
    (STOCK, "t 2020 2750", "2020", "missed progress=0 pace=1 projected=2750 from=first_figure"),
    (STOCK, "t 2019 2750; t 2020Q2 2900", "2020Q2", "on_track progress=0 baseline=2900"),
    (STOCK_DOWN, "t 2020Q1 120; t 2020Q3 60", "2020Q3", "on_track progress=0.6 pace=0.6666666667 behind=6.6666666667 gap=-40 needed=40"),
    (LEVEL, "t 2020Q2 350", "2020Q2", "on_track baseline=300 from=plan"),
    (ROADS, "t 2020Q2 46", "2020Q2", "on_track baseline=0 from=plan"),
    (GROWTH_ABOUT, "t 2020Q3 6.5", "2020Q3", "on_track baseline=null from=null"),
    // needed per period: nothing once met, whole numbers for counts (rounded up)
    ("count reach 92 条 quarter", "t 2020Q1 12", "2020Q1", "at_risk needed=27"),
    ("amount reach 92 亿元 quarter", "t 2020Q1 12", "2020Q1", "at_risk needed=26.6666666667"),
    ("count reach 90 条 quarter", "t 2020Q1 12", "2020Q1", "at_risk needed=26"),
    // --- two bars: the status on value, strive_met on the same figure ---
    (TWO_BARS, "t 2020Q2 6.5", "2020Q2", "on_track gap=0.5 strive_met=false target=6"),
    (TWO_BARS, "t 2020Q2 7", "2020Q2", "on_track strive_met=true"),
    (TWO_BARS, "t 2020Q2 5.6", "2020Q2", "at_risk gap=-0.4 strive_met=false"),
    (TWO_BARS, "t 2020 6.9999999995", "2020", "met strive_met=true"),
    (TWO_BARS, "t 2020 5.9", "2020", "missed strive_met=false"),
    (TWO_BARS, "", "2020Q2", "no_data strive_met=null"),
    (GROWTH_ABOUT, "t 2020 7", "2020", "met strive_met=null"),
    (RANGE, "t 2020 6.2", "2020", "met gap=0.2 strive_met=false"),
    (RANGE, "t 2020 6.5", "2020", "met strive_met=true"),
    (RATE_CEILING_STRIVE, "t 2020 4.2", "2020", "met gap=0.3 strive_met=false"),
    (RATE_CEILING_STRIVE, "t 2020Q3 4", "2020Q3", "on_track strive_met=true"),
    (ROADS_STRIVE, "t 2020Q3 95", "2020Q3", "met strive_met=false progress=1.0326086957"),
    (ROADS_STRIVE, "t 2020 100", "2020", "met strive_met=true"),
    (ROADS_STRIVE, "t 2020Q2 46", "2020Q2", "on_track strive_met=false"),
    // --- a change in points: value = baseline + change, judged like any rate ---
    (POINTS_UP, "t 2020 66.5", "2020", "met gap=0 target=66.5"),
    (POINTS_UP, "t 2020 66.1", "2020", "missed gap=-0.4"),
    (POINTS_UP, "t 2020Q2 66.2", "2020Q2", "at_risk gap=-0.3 needed=0.3"),
    (POINTS_DOWN, "t 2020Q2 3.9", "2020Q2", "at_risk gap=-0.1 needed=0.05"),
    (POINTS_DOWN, "t 2020 3.8", "2020", "met gap=0"),
    (POINTS_DOWN, "t 2020 4", "2020", "missed gap=-0.2"),
    // --- reductions: growth at most −3 %; a stock brought down from 120 to 20 ---
    (ENERGY, "t 2020Q2 -3.2", "2020Q2", "on_track gap=0.2"),
    (ENERGY, "t 2020Q2 -2.7", "2020Q2", "at_risk gap=-0.3"),
    (ENERGY, "t 2020Q2 -1", "2020Q2", "off_track gap=-2"),
    (ENERGY, "t 2020 -3", "2020", "met gap=0"),
    (ENERGY, "t 2020 -2.8", "2020", "missed"),
    (DANGEROUS_HOUSES, "t 2020Q2 70", "2020Q2", "on_track progress=0.5 pace=0.5 behind=0 margin=0 gap=-50 needed=25 projected=20"),
    (DANGEROUS_HOUSES, "t 2020Q2 90", "2020Q2", "at_risk progress=0.3 behind=20 margin=-20 projected=60"),
    (DANGEROUS_HOUSES, "t 2020Q3 110", "2020Q3", "off_track progress=0.1 behind=65"),
    (DANGEROUS_HOUSES, "t 2020Q3 20", "2020Q3", "met progress=1 gap=0"),
    (DANGEROUS_HOUSES, "t 2020 21", "2020", "missed gap=-1 progress=0.99"),
    (DANGEROUS_HOUSES, "t 2020Q1 130", "2020Q1", "off_track progress=-0.1 behind=35"),
    // --- a ceiling on a count that accumulates: used share u = a ÷ v, behind = (u − e) × 100 ---
    (ACCIDENTS, "t 2020Q2 2", "2020Q2", "on_track progress=0.4 pace=0.5 behind=-10 gap=3 margin=0.5 needed=null"),
    (ACCIDENTS, "t 2020Q2 3", "2020Q2", "at_risk progress=0.6 behind=10"),
    (ACCIDENTS, "t 2020Q1 3", "2020Q1", "off_track behind=35"),
    (ACCIDENTS, "t 2020Q3 5", "2020Q3", "at_risk behind=25 gap=0"),
    (ACCIDENTS, "t 2020Q3 6", "2020Q3", "off_track gap=-1"),
    (ACCIDENTS, "t 2020 5", "2020", "met final=true"),
    (ACCIDENTS, "t 2020 0", "2020", "met"),
    (ACCIDENTS, "t 2020 6", "2020", "missed gap=-1"),
    (ACCIDENTS_STRIVE, "t 2020Q2 1", "2020Q2", "on_track strive_met=false"),
    (ACCIDENTS_STRIVE, "t 2020 3", "2020", "met strive_met=true"),
    (ACCIDENTS_STRIVE, "t 2020 4", "2020", "met strive_met=false"),
    // --- levels in other units ---
    (GOOD_AIR_DAYS, "t 2020-06 130", "2020-06", "on_track progress=0.5 pace=0.5 needed=22"),
    (GOOD_AIR_DAYS, "t 2020-06 100", "2020-06", "at_risk behind=11.5384615385"),
    (GOOD_AIR_DAYS, "t 2020 262", "2020", "met gap=2"),
    (PM25, "t 2020-06 54", "2020-06", "on_track progress=0.5 gap=-4"),
    (PM25, "t 2020-06 57", "2020-06", "off_track progress=0.125 behind=37.5"),
    (PM25, "t 2020 49.5", "2020", "met"),
    (PM25, "t 2020 51", "2020", "missed"),
    // --- no data ---
    (ROADS, "", "2020Q3", "no_data actual=null period=null gap=null progress=null overdue=true due_for=2020Q3"),
    (ROADS, "t 2020Q4 80", "2020Q3", "no_data overdue=true"),
    (ROADS, "gdp 2020Q3 6", "2020Q3", "no_data"),
    (GROWTH_ABOUT, "t 2019 7", "2020Q1", "no_data actual=null overdue=true"),
    // --- overdue by frequency ---
    ("count reach 12 个 month", "t 2020-08 8", "2020Q3", "on_track overdue=true due_for=2020-09 period=2020-08"),
    ("count reach 12 个 month", "t 2020年1-9月 9", "2020Q3", "on_track overdue=false due_for=2020-09"),
    (ROADS, "t 2020Q2 46", "2020-08", "on_track overdue=false due_for=2020Q2"),
    (ROADS, "t 2020-05 40", "2020-08", "on_track overdue=true due_for=2020Q2"),
    (ROADS, "", "2020-02", "no_data overdue=false due_for=null"),
    ("growth about 15 % year", "", "2020Q3", "no_data overdue=false due_for=null"),
    ("growth about 15 % year", "", "2020", "no_data overdue=true due_for=2020"),
    ("growth about 15 % year", "t 2020Q4 15", "2020", "met overdue=false"),
    (GROWTH_ABOUT, "t 2020Q2 6", "2020Q3", "at_risk overdue=true period=2020Q2"),
    // --- revisions: the latest recorded figure for a window counts ---
    (GROWTH_ABOUT, "t 2020Q3 5.0; t 2020Q3 6.6", "2020Q3", "on_track actual=6.6"),
    (GROWTH_ABOUT, "t 2020Q3 6.6@300; t 2020Q3 5.0@290", "2020Q3", "on_track actual=6.6"),
    (GROWTH_ABOUT, "t 2020Q2 6.5; t 2020Q3 5.0; t 2020Q2 4.0", "2020Q3", "off_track actual=5"),
    // --- as recorded: figures as they were known at a moment ---
    (GROWTH_ABOUT, "t 2020Q3 5.0@280; t 2020Q3 6.6@300", "2020Q3 known@290", "off_track actual=5"),
    (GROWTH_ABOUT, "t 2020Q3 5.0@280; t 2020Q3 6.6@300", "2020Q3 known@310", "on_track actual=6.6"),
    (GROWTH_ABOUT, "t 2020Q3 5.0@280", "2020Q3 known@270", "no_data overdue=true"),
    (GROWTH_ABOUT, "t 2020Q2 6@200; t 2020Q3 6.5@300", "2020Q3 known@250", "at_risk overdue=true actual=6 period=2020Q2"),
    // --- the default as-of period: the latest with any figure in the plan ---
    (ROADS, "gdp 2020Q2 5; t 2020-08 60", "default", "on_track as_of=2020-08 period=2020-08"),
    (ROADS, "t 2020-09 69; gdp 2020Q3 5", "default", "on_track as_of=2020Q3"),
    (ROADS, "t 2020Q1 20; gdp 2020Q3 5", "default", "on_track as_of=2020Q3 period=2020Q1 overdue=true"),
];

fn plan_with(target: &str) -> Plan {
    let mut parts = target.split('|');
    let head: Vec<&str> = parts.next().unwrap_or_default().split_whitespace().collect();
    let [kind, cmp, value, unit, frequency] = head[..] else { panic!("bad target spec {target:?}") };
    let extras: Vec<&str> = parts.map(str::trim).collect();
    let text = format!(
        "[plan]\nid = \"test-2020\"\norg = \"测试区\"\nyear = 2020\n[sections]\nmain = \"主要预期目标\"\n\
         [[targets]]\ncode = \"gdp\"\nsection = \"main\"\nname = \"地区生产总值增速\"\nkind = \"growth\"\n\
         cmp = \"about\"\nvalue = 6.5\nunit = \"%\"\nfrequency = \"quarter\"\nquote = \"q\"\n\
         [[targets]]\ncode = \"t\"\nsection = \"main\"\nname = \"测试\"\nkind = \"{kind}\"\ncmp = \"{cmp}\"\n\
         value = {value}\nunit = \"{unit}\"\nfrequency = \"{frequency}\"\nquote = \"q\"\n{}\n",
        extras.join("\n")
    );
    parse_plan(&text, "test").unwrap_or_else(|e| panic!("{target}: {e}"))
}

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap() + Duration::days(n)
}

fn figures(spec: &str) -> Vec<Actual> {
    spec.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(index, item)| {
            let parts: Vec<&str> = item.split_whitespace().collect();
            let [code, period, value] = parts[..] else { panic!("bad figure {item:?}") };
            let (value, recorded_at) = match value.split_once('@') {
                Some((value, d)) => (value, day(d.parse().unwrap())),
                None => (value, day(366) + Duration::seconds(index as i64)),
            };
            Actual {
                id: index as i64 + 1,
                target: code.into(),
                period: period.parse().unwrap(),
                value: value.parse().unwrap(),
                source: None,
                recorded_by: "tester".into(),
                recorded_at,
                note: None,
                revises: None,
                reason: None,
            }
        })
        .collect()
}

fn number(text: &str) -> Option<f64> {
    (text != "null").then(|| text.parse().unwrap_or_else(|_| panic!("bad number {text:?}")))
}

fn check(target: &str, figure_spec: &str, as_of: &str, expected: &str) {
    let case = format!("target {target:?}, figures {figure_spec:?}, as of {as_of:?}");
    let plan = plan_with(target);
    let logged = figures(figure_spec);
    let (as_of, known_at) = match as_of.split_once(" known@") {
        Some((period, d)) => (period, Some(day(d.parse().unwrap()) + Duration::hours(12))),
        None => (as_of, None),
    };
    let current = current_figures(&logged, known_at);
    let as_of = if as_of == "default" {
        default_as_of(&plan, &current).expect("a default as-of period")
    } else {
        as_of.parse().unwrap()
    };
    let plan_status = evaluate(&plan, &current, as_of);
    let got = plan_status.target("t").expect("t is evaluated");
    let mut words = expected.split_whitespace();
    assert_eq!(got.status.as_str(), words.next().unwrap(), "status: {case}\n{got:#?}");
    for word in words {
        let (key, want) = word.split_once('=').unwrap_or_else(|| panic!("bad expectation {word:?}"));
        let label = |p: Option<crate::period::Period>| p.map_or("null".to_string(), |p| p.label());
        let row = || status_rows(&plan, &plan_status, &current, crate::lang::Lang::Zh).remove(1);
        let number_field = match key {
            "actual" => Some(got.actual),
            "target" => Some(row().target),
            "gap" => Some(got.gap),
            "margin" => Some(got.margin),
            "progress" => Some(got.progress),
            "pace" => Some(got.pace),
            "behind" => Some(got.behind),
            "projected" => Some(got.projected),
            "needed" => Some(got.needed_per_period),
            "related" => Some(got.related_actual),
            "baseline" => Some(got.baseline.map(|b| b.value)),
            _ => None,
        };
        if let Some(value) = number_field {
            match (value, number(want)) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{key}: got {g}, want {w}: {case}\n{got:#?}"),
                (g, w) => assert_eq!(g, w, "{key}: {case}\n{got:#?}"),
            }
            continue;
        }
        let text = match key {
            "period" => label(got.period),
            "due_for" => label(got.due_for),
            "as_of" => plan_status.as_of.label(),
            "overdue" => got.overdue.to_string(),
            "final" => got.final_period.to_string(),
            "from" => got.baseline.map_or("null", |b| b.from.as_str()).to_string(),
            "strive_met" => got.strive_met.map_or("null".to_string(), |met| met.to_string()),
            other => panic!("unknown key {other:?} in {expected:?}"),
        };
        assert_eq!(text, want, "{key}: {case}\n{got:#?}");
    }
}

#[test]
fn section_3_table() {
    assert!(CASES.len() >= 60);
    for (target, figures, as_of, expected) in CASES {
        check(target, figures, as_of, expected);
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::period::Period;
    use crate::plan::Cmp;

    /// Targets of every kind and comparison, including the at_most accumulations.
    const TARGETS: &[&str] = &[
        GROWTH_ABOUT,
        "growth more_than 5 % quarter",
        "growth at_least 3 % month",
        "growth reach 5 % year",
        RATE_AT_MOST,
        SHARE_AT_LEAST,
        "share about 60 % quarter | tolerance = 2",
        RELATIVE,
        "relative at_most 0 % quarter | related = \"gdp\"",
        ROADS,
        LEVEL,
        MORE_THAN_LEVEL,
        DUE_H1,
        PLANNED,
        MILESTONE,
        CAP,
        REDUCTION,
        STOCK,
        STOCK_DOWN,
        "count about 10 个 month",
        TWO_BARS,
        RANGE,
        RATE_CEILING_STRIVE,
        POINTS_UP,
        POINTS_DOWN,
        ENERGY,
        DANGEROUS_HOUSES,
        ACCIDENTS,
        ACCIDENTS_STRIVE,
        PM25,
    ];

    const PERIODS: &[&str] = &["2020-01", "2020-02", "2020Q1", "2020-05", "2020H1", "2020Q3", "2020-11", "2020"];

    /// Better statuses rank higher.
    fn rank(status: Status) -> u8 {
        match status {
            Status::Met => 6,
            Status::NearlyMet => 5,
            Status::OnTrack => 4,
            Status::AtRisk => 3,
            Status::OffTrack => 2,
            Status::Missed => 1,
            Status::NoData => 0,
        }
    }

    fn figure(id: i64, code: &str, period: Period, value: f64, recorded_at: DateTime<Utc>) -> Actual {
        Actual {
            id,
            target: code.into(),
            period,
            value,
            source: None,
            recorded_by: "tester".into(),
            recorded_at,
            note: None,
            revises: None,
            reason: None,
        }
    }

    fn status_with(plan: &Plan, period: Period, value: f64, related: f64) -> Status {
        let logged = [figure(1, "t", period, value, day(300)), figure(2, "gdp", period, related, day(300))];
        let current: Vec<&Actual> = logged.iter().collect();
        evaluate(plan, &current, period).target("t").unwrap().status
    }

    proptest! {
        /// A better figure never gives a worse status: higher is better, except for
        /// at_most targets, where lower is.
        #[test]
        fn a_better_actual_never_gives_a_worse_status(
            target in 0..TARGETS.len(),
            period in 0..PERIODS.len(),
            a in -20.0..150.0f64,
            b in -20.0..150.0f64,
            related in -5.0..15.0f64,
        ) {
            let plan = plan_with(TARGETS[target]);
            let period: Period = PERIODS[period].parse().unwrap();
            let lower_is_better = plan.target("t").unwrap().cmp == Cmp::AtMost;
            let (worse, better) = if (a < b) != lower_is_better { (a, b) } else { (b, a) };
            let (worse_status, better_status) =
                (status_with(&plan, period, worse, related), status_with(&plan, period, better, related));
            prop_assert!(
                rank(better_status) >= rank(worse_status),
                "{}: {better} gives {better_status:?} but {worse} gives {worse_status:?} at {period}",
                TARGETS[target]
            );
        }

        /// The accumulation formula in both directions: a stock raised (at_least, value
        /// above the baseline) and one brought down (at_most, value below it). r = (a −
        /// b) ÷ (v − b) is 0 at the baseline and 1 at the value, a figure nearer the
        /// value never has less progress nor is further behind, and before the due
        /// period the target is met exactly when r reaches 1.
        #[test]
        fn progress_runs_from_the_baseline_to_the_value_in_both_directions(
            low in 0.0..1000.0f64,
            distance in 1.0..500.0f64,
            down in any::<bool>(),
            x in -0.5..1.5f64,
            y in -0.5..1.5f64,
            month in 1..12u8,
        ) {
            let (baseline, value, cmp) = if down { (low + distance, low, "at_most") } else { (low, low + distance, "at_least") };
            let plan = plan_with(&format!("amount {cmp} {value} 万元 month | measure = \"level\" | baseline = {baseline}"));
            let period = Period::month(2020, month);
            let at = |share: f64| {
                let actual = baseline + share * (value - baseline);
                let logged = [figure(1, "t", period, actual, day(300))];
                let current: Vec<&Actual> = logged.iter().collect();
                evaluate(&plan, &current, period).target("t").unwrap().clone()
            };
            let progress = |t: &TargetStatus| t.progress.unwrap();
            prop_assert!(progress(&at(0.0)).abs() < 1e-9);
            prop_assert!((progress(&at(1.0)) - 1.0).abs() < 1e-9);
            let (nearer, further) = if x >= y { (at(x), at(y)) } else { (at(y), at(x)) };
            prop_assert!((progress(&nearer) - x.max(y)).abs() < 1e-6, "r = (a − b) ÷ (v − b)");
            prop_assert!(progress(&nearer) >= progress(&further) - 1e-9);
            prop_assert!(nearer.behind.unwrap() <= further.behind.unwrap() + 1e-9);
            let share = x.max(y);
            if (share - 1.0).abs() > 1e-6 {
                prop_assert_eq!(nearer.status == Status::Met, share > 1.0, "reached follows cmp: {} at {}", cmp, share);
            }
        }

        /// A ceiling on a count that accumulates: u = a ÷ v, behind = (u − e) × 100, never
        /// met before the due period, off track once over it.
        #[test]
        fn a_ceiling_is_used_up_against_pace(ceiling in 1u32..50, used in 0u32..80, month in 1..12u8) {
            let plan = plan_with(&format!("count at_most {ceiling} 起 month"));
            let period = Period::month(2020, month);
            let logged = [figure(1, "t", period, f64::from(used), day(300))];
            let current: Vec<&Actual> = logged.iter().collect();
            let got = evaluate(&plan, &current, period).target("t").unwrap().clone();
            let (u, e) = (f64::from(used) / f64::from(ceiling), f64::from(month) / 12.0);
            prop_assert!((got.behind.unwrap() - (u - e) * 100.0).abs() < 1e-6);
            prop_assert!(got.status != Status::Met);
            if used > ceiling {
                prop_assert_eq!(got.status, Status::OffTrack);
            }
        }

        /// The order in which figures were logged (their ids, their order in the list)
        /// does not matter; only when each was recorded does.
        #[test]
        fn status_depends_on_recorded_time_not_logging_order(
            target in 0..TARGETS.len(),
            logged in prop::collection::vec((any::<bool>(), 0..PERIODS.len(), -5.0..120.0f64), 1..12),
            shuffle in any::<u64>(),
            as_of in 0..PERIODS.len(),
            known_day in 0..400i64,
        ) {
            let plan = plan_with(TARGETS[target]);
            // Distinct recorded times, one day apart.
            let figures: Vec<Actual> = logged
                .iter()
                .enumerate()
                .map(|(i, (is_t, period, value))| {
                    let code = if *is_t { "t" } else { "gdp" };
                    figure(i as i64 + 1, code, PERIODS[*period].parse().unwrap(), *value, day(i as i64 * 30))
                })
                .collect();
            // The same figures logged in another order: ids and positions permuted.
            let mut reordered = figures.clone();
            let n = reordered.len();
            for i in (1..n).rev() {
                let j = (shuffle.rotate_left(i as u32) % (i as u64 + 1)) as usize;
                reordered.swap(i, j);
            }
            for (position, figure) in reordered.iter_mut().enumerate() {
                figure.id = (n - position) as i64;
            }
            let as_of: Period = PERIODS[as_of].parse().unwrap();
            for known_at in [None, Some(day(known_day))] {
                let first = evaluate(&plan, &current_figures(&figures, known_at), as_of);
                let second = evaluate(&plan, &current_figures(&reordered, known_at), as_of);
                // The same figure counts in both (known by its recorded time, as ids differ).
                let chosen = |status: &PlanStatus, logged: &[Actual]| -> Vec<_> {
                    let when = |id: Option<i64>| id.and_then(|id| logged.iter().find(|f| f.id == id)).map(|f| f.recorded_at);
                    status.targets.iter().map(|t| (when(t.figure), when(t.related_figure))).collect()
                };
                prop_assert_eq!(chosen(&first, &figures), chosen(&second, &reordered));
                let without_ids = |mut status: PlanStatus| {
                    for t in &mut status.targets {
                        (t.figure, t.related_figure) = (None, None);
                    }
                    status
                };
                prop_assert_eq!(without_ids(first), without_ids(second));
            }
        }
    }
}

#[test]
fn status_rows_carry_the_section_7_fields_first_in_order_with_provenance() {
    let plan = plan_with(ROADS);
    let mut logged = figures("t 2020Q3 59.8@280");
    logged[0].source = Some("区住建局 2020年三季度报表".into());
    let current = current_figures(&logged, None);
    let status = evaluate(&plan, &current, "2020Q3".parse().unwrap());
    let rows = status_rows(&plan, &status, &current, crate::lang::Lang::Zh);
    let json = serde_json::to_value(&rows).unwrap();
    let keys: Vec<&str> = json[1].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, StatusRow::FIELDS);
    assert_eq!(
        StatusRow::FIELDS[..14],
        "code name status overdue actual period target gap margin progress pace behind projected needed_per_period"
            .split(' ')
            .collect::<Vec<_>>()[..]
    );
    let row = &json[1];
    assert_eq!(row["status"], "at_risk");
    assert_eq!(row["status_label"], "预警");
    assert_eq!(row["margin"], -9.2, "floating-point noise is rounded away");
    assert_eq!(row["progress"], 0.65);
    assert_eq!(row["goal"], "92 条");
    assert_eq!(row["source"], "区住建局 2020年三季度报表");
    assert_eq!(row["recorded_at"], "2020-10-07T00:00:00Z");
    let gdp = &json[0];
    assert_eq!(gdp["status"], "no_data");
    assert!(gdp["actual"].is_null() && gdp["gap"].is_null() && gdp["recorded_by"].is_null());
    assert_eq!(gdp["overdue"], true);
}
