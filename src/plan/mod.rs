//! The plan model: one organisation's targets for one year (docs/plan-format.md).
//!
//! These are the domain types the rest of the program works with. Reading and writing
//! plan files lives in [`file`]; this module does no IO.

pub mod file;
pub mod next;

use std::collections::BTreeMap;
use std::fmt;
use std::hash::BuildHasher as _;
use std::str::FromStr;

use crate::lang::{Lang, Localize};
use crate::period::{Frequency, Period};
pub use crate::time::PlanZone;

/// The built-in plan: Jinshui District, Zhengzhou, 2020.
pub const BUILTIN_PLAN_TOML: &str = include_str!("../../plans/jinshui-2020.toml");
pub const BUILTIN_PLAN_NAME: &str = "plans/jinshui-2020.toml";

/// Declares a string-backed enum with its accepted spellings, so plan files, the
/// database and JSON all use one vocabulary.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted spellings, for error messages.
            pub fn choices() -> String {
                [$($text),+].join(", ")
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(()) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// What a target measures, which decides how it is evaluated.
    Kind {
        Growth = "growth",
        Rate = "rate",
        Share = "share",
        Count = "count",
        Amount = "amount",
        Relative = "relative",
        Milestone = "milestone",
    }
);

vocabulary!(
    /// How the actual is compared with the value, read from the report's wording.
    Cmp {
        About = "about",
        AtMost = "at_most",
        AtLeast = "at_least",
        MoreThan = "more_than",
        Reach = "reach",
    }
);

vocabulary!(
    /// Whether a count or amount is logged as done-since-January or as a stock.
    Measure {
        Ytd = "ytd",
        Level = "level",
    }
);

vocabulary!(
    /// 确保 / 力争 / neither.
    Commitment {
        Ensure = "ensure",
        Strive = "strive",
        Plain = "plain",
    }
);

impl Kind {
    /// Threshold kinds compare a margin with a tolerance; the others accumulate
    /// progress towards the value.
    pub fn is_threshold(self) -> bool {
        matches!(self, Kind::Growth | Kind::Rate | Kind::Share | Kind::Relative)
    }

    /// Kinds whose value is a percentage.
    pub fn is_percent(self) -> bool {
        matches!(self, Kind::Growth | Kind::Rate | Kind::Share | Kind::Relative | Kind::Milestone)
    }
}

impl Commitment {
    pub fn label_zh(self) -> &'static str {
        match self {
            Commitment::Ensure => "确保",
            Commitment::Strive => "力争",
            Commitment::Plain => "",
        }
    }
}

/// Default tolerance, in percentage points, for percentage kinds.
pub const DEFAULT_TOLERANCE_POINTS: f64 = 0.5;

/// Days after a period's end within which its figure is on time (PRODUCT: 10).
pub const DEFAULT_DAYS_AFTER_PERIOD: u32 = 10;

/// The most `[deadlines] days_after_period` may be: a year.
pub const MAX_DAYS_AFTER_PERIOD: u32 = 365;

/// Traffic-light thresholds for accumulation kinds, in points of the annual target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusThresholds {
    pub at_risk_behind: f64,
    pub off_track_behind: f64,
}

impl Default for StatusThresholds {
    /// Yinchuan's supervision office: yellow 10–30 points behind, red beyond 30.
    fn default() -> Self {
        StatusThresholds { at_risk_behind: 10.0, off_track_behind: 30.0 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
}

/// One stated goal of a plan, with the clause it was stated in.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub code: String,
    pub section: String,
    pub name: String,
    pub name_en: String,
    pub kind: Kind,
    /// `Some` only for count and amount targets.
    pub measure: Option<Measure>,
    pub cmp: Cmp,
    /// The bar the status is decided on (for a change in points, baseline + change).
    pub value: f64,
    /// The higher bar (力争, or a range's upper end), beyond `value` in the direction
    /// of `cmp`; `strive_met` in the status says whether it is reached.
    pub strive: Option<f64>,
    pub unit: String,
    /// As written in the plan file; see [`Target::tolerance`] for the effective value.
    pub tolerance: Option<f64>,
    pub baseline: Option<f64>,
    /// Rates and shares: the goal as a change in points from `baseline` (提高1个百分点).
    pub change: Option<f64>,
    /// For `relative` targets: the code of the target it must keep in step with.
    pub related: Option<String>,
    pub commitment: Commitment,
    pub frequency: Frequency,
    pub due: Option<Period>,
    pub lead_unit: Option<String>,
    /// Expected share of the target by the end of each period (分季度目标).
    pub planned: BTreeMap<PeriodKey, f64>,
    pub quote: String,
}

/// A period used as a map key: periods that end in the same month are the same key
/// (the same window), ordered by that month.
#[derive(Debug, Clone, Copy)]
pub struct PeriodKey(pub Period);

impl PartialEq for PeriodKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.end_key() == other.0.end_key()
    }
}

impl Eq for PeriodKey {}

impl Ord for PeriodKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.end_key().cmp(&other.0.end_key())
    }
}

impl PartialOrd for PeriodKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Target {
    /// The effective tolerance: as written, else 0.5 points for percentage kinds, else 0.
    pub fn tolerance(&self) -> f64 {
        self.tolerance.unwrap_or(if self.kind.is_percent() { DEFAULT_TOLERANCE_POINTS } else { 0.0 })
    }

    /// The effective measure: counts and amounts default to year-to-date.
    pub fn measure(&self) -> Measure {
        match self.kind {
            Kind::Count | Kind::Amount => self.measure.unwrap_or(Measure::Ytd),
            Kind::Rate | Kind::Share | Kind::Milestone => Measure::Level,
            Kind::Growth | Kind::Relative => Measure::Ytd,
        }
    }

    /// Whether figures are cumulative since 1 January (so `H2` is no window for them).
    pub fn is_year_to_date(&self) -> bool {
        self.measure() == Measure::Ytd
    }

    /// The due period: as written, else the plan's year.
    pub fn due_period(&self, plan_year: i32) -> Period {
        self.due.unwrap_or(Period::full_year(plan_year))
    }

    pub fn baseline(&self) -> f64 {
        self.baseline.unwrap_or(0.0)
    }

    /// A ceiling on something that grows from its baseline (an accumulation kind,
    /// `at_most`, value at or above the baseline): 安全生产事故控制在5起以内. Its progress
    /// is the share of the allowance used, and it is only kept when the due period closes.
    /// A stock without a baseline is measured from its first figure, so an `at_most`
    /// one is a stock brought down, not a ceiling.
    pub fn is_cap(&self) -> bool {
        let grows_to_value = match (self.measure, self.baseline) {
            (Some(Measure::Level), None) => false,
            _ => self.value >= self.baseline(),
        };
        !self.kind.is_threshold() && self.cmp == Cmp::AtMost && grows_to_value
    }
}

/// One organisation's targets for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: String,
    pub org: String,
    pub org_en: Option<String>,
    pub year: i32,
    pub source: Option<String>,
    pub sections: Vec<Section>,
    pub thresholds: StatusThresholds,
    /// `[deadlines] days_after_period`: a figure logged later than this many days after
    /// its period ends is late (`deadline::is_late`).
    pub days_after_period: u32,
    /// The zone the plan's office works in: a typed date means the end of that day
    /// there, and times are shown there (docs/plan-format.md, `timezone`).
    pub timezone: PlanZone,
    /// `[plan] parent`: the id of the plan above this one (a district's city plan of
    /// the same year), whose family this plan belongs to (docs/compare.md).
    pub parent: Option<String>,
    /// Private, so the code index always describes them: they change only through
    /// [`Plan::set_targets`] and [`Plan::edit_targets`], which drop the index.
    targets: Vec<Target>,
    /// Finds a target by code without a scan: a city's plan has thousands.
    code_index: CodeIndex,
}

/// A lookup from code to position (the first target with that code), built on first
/// use from the plan's targets and dropped whenever they change, so it is exact. It
/// keeps positions only, and compares with the targets' own codes: a province's plan
/// has 100,000 targets, and a copy of every code would cost some 7 MiB of an import's
/// 64 MiB (BENCHMARKS.md).
#[derive(Default, Clone)]
struct CodeIndex(std::sync::OnceLock<CodePositions>);

#[derive(Clone)]
struct CodePositions {
    hasher: foldhash::fast::RandomState,
    positions: hashbrown::HashTable<u32>,
}

impl CodeIndex {
    /// Where the target with `code` is in `targets`, the list this index was made for.
    fn position(&self, targets: &[Target], code: &str) -> Option<usize> {
        let index = self.0.get_or_init(|| {
            let hasher = foldhash::fast::RandomState::default();
            let mut positions = hashbrown::HashTable::with_capacity(targets.len());
            let code_at = |position: &u32| targets[*position as usize].code.as_str();
            for (position, target) in targets.iter().enumerate() {
                let hash = hasher.hash_one(target.code.as_str());
                if positions.find(hash, |known| code_at(known) == target.code).is_none() {
                    let position = u32::try_from(position).expect("fewer than 4 billion targets");
                    positions.insert_unique(hash, position, |known| hasher.hash_one(code_at(known)));
                }
            }
            CodePositions { hasher, positions }
        });
        let hash = index.hasher.hash_one(code);
        index.positions.find(hash, |&known| targets[known as usize].code == code).map(|&known| known as usize)
    }
}

/// The index is a function of the targets, which two plans compare themselves.
impl PartialEq for CodeIndex {
    fn eq(&self, _: &CodeIndex) -> bool {
        true
    }
}

impl fmt::Debug for CodeIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeIndex")
    }
}

/// A period outside the plan's year: the one check `record`, `import`, `template` and
/// `--as-of` share (`Plan::check_period_in_year`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub struct OutsideYear {
    pub period: Period,
    pub plan: String,
    pub year: i32,
}

impl Localize for OutsideYear {
    fn localize(&self, lang: Lang) -> String {
        let OutsideYear { period, plan, year } = self;
        lang.choose(
            format!("{period} 不在计划年度内：计划 {plan} 的年度为 {year}"),
            format!("{period} is outside the plan's year: plan {plan} is for {year}"),
        )
    }
}

impl Plan {
    /// Refuses a period of another year than the plan's.
    pub fn check_period_in_year(&self, period: Period) -> Result<(), OutsideYear> {
        if period.year() == self.year {
            return Ok(());
        }
        Err(OutsideYear { period, plan: self.id.clone(), year: self.year })
    }

    /// A plan of `org` for `year` with these targets, no sections and the default
    /// thresholds (set the other fields after).
    pub fn new(id: String, org: String, year: i32, targets: Vec<Target>) -> Plan {
        Plan {
            id,
            org,
            org_en: None,
            year,
            source: None,
            sections: Vec::new(),
            thresholds: StatusThresholds::default(),
            days_after_period: DEFAULT_DAYS_AFTER_PERIOD,
            timezone: PlanZone::default(),
            parent: None,
            targets,
            code_index: CodeIndex::default(),
        }
    }

    /// The targets, in plan-file order.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The targets, taken out of the plan.
    pub fn into_targets(self) -> Vec<Target> {
        self.targets
    }

    /// Replaces the targets.
    pub fn set_targets(&mut self, targets: Vec<Target>) {
        self.targets = targets;
        self.code_index = CodeIndex::default();
    }

    /// Changes the targets in place; the code index is made again on next use.
    pub fn edit_targets<R>(&mut self, edit: impl FnOnce(&mut Vec<Target>) -> R) -> R {
        self.code_index = CodeIndex::default();
        edit(&mut self.targets)
    }

    pub fn target(&self, code: &str) -> Option<&Target> {
        self.target_position(code).map(|position| &self.targets[position])
    }

    /// Where the target `code` is in [`Plan::targets`].
    pub fn target_position(&self, code: &str) -> Option<usize> {
        self.code_index.position(&self.targets, code)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The target code nearest to a mistyped one, for "did you mean" hints: within
    /// half the candidate's length in edits, or a part of it.
    ///
    /// Bounded: the edit distance is at least the difference in length, so a candidate
    /// too short or too long to qualify is passed over without computing it, and a text
    /// far longer than any code (a 30 MB cell) is compared with nothing at all.
    pub fn nearest_code(&self, code: &str) -> Option<&str> {
        if code.len() > 4 * MAX_CODE_LEN {
            return None;
        }
        let length = code.chars().count();
        self.targets
            .iter()
            .filter(|t| {
                let candidate = t.code.len(); // codes are ASCII
                let allowed = candidate.max(3) / 2;
                length <= candidate + allowed && (length + allowed >= candidate || length <= candidate)
            })
            .map(|t| (strsim::damerau_levenshtein(code, &t.code), t.code.as_str()))
            .filter(|(distance, candidate)| *distance <= candidate.len().max(3) / 2 || candidate.contains(code))
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}

/// The longest plan or target code.
pub const MAX_CODE_LEN: usize = 64;

/// The code no target may have: `ontrack chart` names each target's chart `CODE.svg`
/// and the plan's overview `overview.svg`, so a target coded `overview` would lose its
/// chart to the overview (and the HTML report would show one for the other).
pub const OVERVIEW_CODE: &str = "overview";

/// Whether a string is a plan or target code: a lowercase ASCII slug.
pub fn is_slug(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE_LEN
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
        && !code.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::file::parse_plan;
    use super::BUILTIN_PLAN_TOML;

    #[test]
    fn the_code_index_follows_every_change_of_the_targets() {
        let mut plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        assert_eq!(plan.target_position("gdp-growth"), Some(0));
        let copy = plan.clone();
        plan.edit_targets(|targets| {
            targets.swap(0, 1);
            targets[1].code = "gdp".to_string();
        });
        assert_eq!(plan.target_position("gdp-growth"), None);
        assert_eq!(plan.target_position("gdp"), Some(1));
        assert_eq!(copy.target_position("gdp-growth"), Some(0), "a copy keeps its own targets and index");
        let first = plan.targets()[0].code.clone();
        plan.set_targets(Vec::new());
        assert!(plan.target(&first).is_none());
        assert_ne!(plan, copy);
    }
}
