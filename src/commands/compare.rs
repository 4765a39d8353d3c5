//! `ontrack compare --parent ID`: a family's plans (a city's districts) indicator by
//! indicator (docs/compare.md). Loads each child plan and the figures that count for
//! it (`plan_and_actuals_in`, `review::counting_figures`), calls the pure
//! `compare::compute`, prints a ranking table per indicator, or rows as JSON/CSV.
//! `Family` is also what `report --parent` and `chart --parent` load.

use anyhow::{bail, Result};

use super::Context;
use crate::actual::Actual;
use crate::cli::{CompareArgs, WhenArgs};
use crate::compare::{compare_rows, compute, default_as_of, By, CompareRow, Comparison, Member};
use crate::escape;
use crate::lang::{Lang, Localize};
use crate::output::{csv_bytes, csv_from_records, json_rows_bytes, table, write_output, ListFormat};
use crate::period::Period;
use crate::plan::Plan;
use crate::present;
use crate::review::{counting_figures, FigureStates};
use crate::store::Store;

/// A family as loaded: the parent plan (when loaded) and each child, in plan-id order,
/// with every figure, the review states and which figures count.
pub struct Family {
    pub parent_id: String,
    pub parent: Option<Plan>,
    pub children: Vec<Child>,
}

pub struct Child {
    pub plan: Plan,
    pub actuals: Vec<Actual>,
    pub states: FigureStates,
    pub which: super::WhichFigures,
}

impl Family {
    /// The children and the figures that count for each (`review::counting_figures`).
    pub fn members(&self) -> Vec<Member<'_>> {
        self.children
            .iter()
            .map(|child| Member {
                plan: &child.plan,
                figures: counting_figures(&child.actuals, &child.states, child.which.as_recorded, child.which.counting),
            })
            .collect()
    }

    pub fn plans(&self) -> Vec<&Plan> {
        self.children.iter().map(|child| &child.plan).collect()
    }

    /// The parent's organisation, when the parent is loaded.
    pub fn parent_org(&self, lang: Lang) -> Option<&str> {
        self.parent.as_ref().map(|plan| lang.name(&plan.org, plan.org_en.as_deref()))
    }
}

/// Loads the family of `parent`: every plan naming it (archived ones left out).
/// Refuses a parent that is neither loaded nor named, and a parent without children.
pub fn load_family(context: &Context, parent: &str, when: &WhenArgs) -> Result<Family> {
    let store = context.open_read()?;
    let lang = context.lang;
    let plans = store.plans()?;
    let parent_loaded = plans.iter().any(|p| p.id == parent);
    let mut ids: Vec<String> = plans
        .iter()
        .filter(|p| p.parent.as_deref() == Some(parent) && p.archived_at.is_none())
        .map(|p| p.id.clone())
        .collect();
    ids.sort();
    if ids.is_empty() {
        let named: Vec<&str> = {
            let mut named: Vec<&str> = plans.iter().filter_map(|p| p.parent.as_deref()).collect();
            named.sort_unstable();
            named.dedup();
            named
        };
        let named = if named.is_empty() { lang.pick("无", "none").to_string() } else { named.join(", ") };
        let parent = escape::terminal(parent);
        if parent_loaded {
            bail!(lang.choose(
                format!(
                    "计划 {parent} 没有下级计划：没有任何已载入的计划以它为 parent（已有的上级计划：{named}）。\
                     请在各区计划文件的 [plan] 中写 parent = \"{parent}\" 后载入"
                ),
                format!(
                    "plan {parent} has no children: no loaded plan names it as `parent` (parents named: {named}). \
                     Write parent = \"{parent}\" in each district's plan file, under [plan], and load it"
                )
            ));
        }
        bail!(lang.choose(
            format!(
                "没有上级计划 {parent}：它既未载入，也没有计划以它为 parent（已有的上级计划：{named}；已载入的计划见 \
                 `ontrack plan list`）"
            ),
            format!(
                "no parent plan {parent}: it is not loaded and no plan names it as `parent` (parents named: {named}; \
                 `ontrack plan list` lists the loaded plans)"
            )
        ));
    }
    let parent_plan = if parent_loaded { Some(store.load_plan(parent)?) } else { None };
    let children = ids.iter().map(|id| load_child(&store, id, when, context)).collect::<Result<Vec<_>>>()?;
    Ok(Family { parent_id: parent.to_string(), parent: parent_plan, children })
}

fn load_child(store: &Store, id: &str, when: &WhenArgs, context: &Context) -> Result<Child> {
    let (plan, actuals, states, which) = super::plan_and_actuals_in(store, id, when, context.now)?;
    Ok(Child { plan, actuals, states, which })
}

/// The as-of period of a family: as given (in every child's year), else the latest with
/// a figure in any child.
pub fn family_as_of(family: &Family, members: &[Member<'_>], requested: Option<Period>, lang: Lang) -> Result<Period> {
    if let Some(period) = requested {
        for child in &family.children {
            if let Err(error) = child.plan.check_period_in_year(period) {
                let year = child.plan.year;
                bail!(lang.choose(
                    format!("截至期别 {}；请使用 {year} 年的期别（如 --as-of {year}Q3）", error.localize(lang)),
                    format!(
                        "the as-of period {}; use a period of {year} (e.g. --as-of {year}Q3)",
                        error.localize(lang)
                    )
                ));
            }
        }
        return Ok(period);
    }
    match default_as_of(members) {
        Some(period) => Ok(period),
        None => {
            let parent = escape::terminal(&family.parent_id);
            let year = family.children[0].plan.year;
            bail!(lang.choose(
                format!(
                    "{parent} 的下级计划尚无数据，无从确定可比较的最近期别：请先录入数据，或加 --as-of P（如 --as-of {year}Q1）"
                ),
                format!(
                    "the plans under {parent} have no figures yet, so there is no latest period to compare: log \
                     figures first, or add --as-of P (e.g. --as-of {year}Q1)"
                )
            ))
        }
    }
}

/// Keeps the indicators of `codes` (all when empty), refusing a code no child has.
pub fn keep_codes(comparison: &mut Comparison, family: &Family, codes: &[String], lang: Lang) -> Result<()> {
    if codes.is_empty() {
        return Ok(());
    }
    let codes: Vec<String> = codes.iter().map(|c| c.trim().to_ascii_lowercase()).collect();
    for code in &codes {
        if comparison.indicators.iter().any(|i| &i.code == code) {
            continue;
        }
        let hint = family.children.iter().find_map(|child| child.plan.nearest_code(code));
        let (code, parent) = (escape::terminal(code), escape::terminal(&family.parent_id));
        let hint_zh = hint.map(|h| format!("（是否要找 {h}？）")).unwrap_or_default();
        let hint_en = hint.map(|h| format!(" (did you mean {h}?)")).unwrap_or_default();
        let first = &family.children[0].plan.id;
        bail!(lang.choose(
            format!(
                "{parent} 的下级计划都没有指标 {code}{hint_zh}：指标按代码比较，各计划的代码可用 \
                 `ontrack targets --plan {first}` 查看"
            ),
            format!(
                "no plan under {parent} has a target {code}{hint_en}: indicators are matched by code; \
                 `ontrack targets --plan {first}` lists a plan's codes"
            )
        ));
    }
    comparison.indicators.retain(|indicator| codes.contains(&indicator.code));
    Ok(())
}

/// Loads, computes and filters: the comparison every `--parent` view shows.
pub fn comparison(
    context: &Context,
    parent: &str,
    when: &WhenArgs,
    codes: &[String],
    by: By,
) -> Result<(Family, Comparison)> {
    let family = load_family(context, parent, when)?;
    let mut comparison = {
        let members = family.members();
        let as_of = family_as_of(&family, &members, when.as_of, context.lang)?;
        compute(&members, as_of, by)
    };
    keep_codes(&mut comparison, &family, codes, context.lang)?;
    if codes.is_empty() {
        if let Some(parent) = &family.parent {
            keep_parents_indicators(&mut comparison, parent);
        }
    }
    Ok((family, comparison))
}

/// Without `--code`, a loaded parent's own targets are the indicators a city follows:
/// only those are compared, in the parent plan's order (all of them when the parent
/// shares no code with its children).
fn keep_parents_indicators(comparison: &mut Comparison, parent: &Plan) {
    if !comparison.indicators.iter().any(|i| parent.target(&i.code).is_some()) {
        return;
    }
    comparison.indicators.retain(|indicator| parent.target(&indicator.code).is_some());
    comparison.indicators.sort_by_key(|indicator| parent.target_position(&indicator.code));
}

pub fn run(context: &Context, args: CompareArgs) -> Result<()> {
    let (family, comparison) = comparison(context, &args.parent, &args.when, &args.codes, args.by.into())?;
    let plans = family.plans();
    let lang = context.lang;
    let bytes = match args.format.format {
        ListFormat::Json => json_rows_bytes(&compare_rows(&plans, &comparison)),
        ListFormat::Csv => match compare_rows(&plans, &comparison) {
            rows if rows.is_empty() => {
                let headers: Vec<String> = CompareRow::FIELDS.iter().map(|f| f.to_string()).collect();
                csv_from_records(&headers, [])
            }
            rows => csv_bytes(&rows),
        },
        ListFormat::Table => tables(&family, &plans, &comparison, lang).into_bytes(),
    };
    write_output(&bytes, None)
}

/// The terminal view: a title, then per indicator its heading, ranking table and the
/// period the change in rank is measured from.
fn tables(family: &Family, plans: &[&Plan], comparison: &Comparison, lang: Lang) -> String {
    let mut out = escape::terminal(&present::compare::title(
        &family.parent_id,
        family.parent_org(lang),
        comparison.as_of,
        comparison.by,
        lang,
    ));
    out.push('\n');
    out.push_str(&present::compare::family_size(plans.len(), comparison, lang));
    out.push('\n');
    for indicator in &comparison.indicators {
        out.push('\n');
        if let Some(target) = present::compare::indicator_target(plans, indicator) {
            out.push_str(&escape::terminal(&present::compare::indicator_heading(target, lang)));
            out.push('\n');
        }
        let headers = present::compare::headers(lang);
        let cells = indicator.rows.iter().map(|row| present::compare::cells(plans[row.member], indicator, row, lang));
        out.push_str(&table(&headers, cells).to_string());
        out.push('\n');
        out.push_str(&present::compare::change_since(indicator.previous, lang));
        out.push('\n');
    }
    out
}
