//! `ontrack review approve|return|reopen ID… | --period P --lead-unit U` and
//! `ontrack void ID… | --import ID`: one review in one transaction (the store's
//! `Store::review`), then each figure's change printed.

use anyhow::Result;

use super::record::{non_empty, os_user};
use super::Context;
use crate::cli::{ReviewArgs, ReviewCommand, VoidArgs};
use crate::error::StoreError;
use crate::lang::Lang;
use crate::present::figure_state;
use crate::review::{Action, Refusal};
use crate::store::{ReviewRequest, Selection, Transition};

pub fn run(context: &Context, command: ReviewCommand) -> Result<()> {
    let (action, args) = match command {
        ReviewCommand::Approve(args) => (Action::Approve, args),
        ReviewCommand::Return(args) => (Action::Return, args),
        ReviewCommand::Reopen(args) => (Action::Reopen, args),
    };
    let ReviewArgs { ids, period, lead_unit, reason, by, plan } = args;
    let selection = match (period, lead_unit) {
        (Some(period), Some(lead_unit)) => Selection::Window { period, lead_unit: lead_unit.trim().to_string() },
        _ => Selection::Figures(ids),
    };
    act(context, action, selection, reason, by, plan.plan.as_deref())
}

pub fn run_void(context: &Context, args: VoidArgs) -> Result<()> {
    let selection = match args.import {
        Some(import) => Selection::Import(import),
        None => Selection::Figures(args.ids),
    };
    act(context, Action::Void, selection, args.reason, args.by, args.plan.plan.as_deref())
}

fn act(
    context: &Context,
    action: Action,
    selection: Selection,
    reason: Option<String>,
    by: Option<String>,
    plan: Option<&str>,
) -> Result<()> {
    let mut store = context.open()?;
    let plan_id = store.resolve_plan_id(plan)?;
    let request = ReviewRequest {
        plan_id,
        action,
        selection,
        by: non_empty(by).unwrap_or_else(os_user),
        reason: non_empty(reason),
        clock: context.clock(),
    };
    let done = store.review(&request)?;
    let lang = context.lang;
    for transition in &done {
        eprintln!("{}", transition_line(transition, lang));
    }
    let changed = done.iter().filter(|t| t.to.is_some()).count();
    let (verb_zh, _) = action.words();
    eprintln!(
        "{}",
        lang.choose(
            format!("已{verb_zh} {changed} 条数据（{}）", request.by),
            format!(
                "{changed} {} {} (by {})",
                if changed == 1 { "figure" } else { "figures" },
                past(action),
                request.by
            ),
        )
    );
    Ok(())
}

/// The English past participle of an action.
fn past(action: Action) -> &'static str {
    match action {
        Action::Approve => "approved",
        Action::Return => "returned",
        Action::Reopen => "reopened",
        Action::Void => "voided",
    }
}

/// `#12 gdp 2020Q3: submitted → approved`, or `… approved (unchanged)`.
fn transition_line(transition: &Transition, lang: Lang) -> String {
    let Transition { figure, target, period, from, to } = transition;
    let from_text = figure_state(*from, lang);
    match to {
        Some(to) => {
            format!("#{figure} {target} {period}{} {from_text} → {}", lang.pick("：", ":"), figure_state(*to, lang))
        }
        None => format!(
            "#{figure} {target} {period}{} {from_text}{}",
            lang.pick("：", ":"),
            lang.pick("（未变）", " (unchanged)")
        ),
    }
}

/// The command line's advice for a refused review or a locked window: the command that
/// gets past it.
pub fn advice(error: &StoreError, lang: Lang) -> Option<String> {
    let reopen = |figure: i64| {
        lang.choose(
            format!("：\n  ontrack review reopen {figure} --reason \"…\""),
            format!(":\n  ontrack review reopen {figure} --reason \"…\""),
        )
    };
    match error {
        StoreError::WindowLocked(locked) => Some(reopen(locked.figure)),
        StoreError::TransitionRefused(refused) => match refused.refusal {
            Refusal::AlreadyApproved | Refusal::ApprovedNeedsReopen => Some(reopen(refused.id)),
            Refusal::IsReturned | Refusal::AlreadyReturned => {
                let (target, period) = (&refused.target, &refused.period);
                Some(lang.choose(
                    format!("。填报单位可直接重新录入：\n  ontrack record {target} {period} 数值"),
                    format!(". The unit logs it again with:\n  ontrack record {target} {period} VALUE"),
                ))
            }
            Refusal::IsVoid | Refusal::NotApproved => None,
        },
        StoreError::ReasonMissing { .. } => {
            Some(lang.pick("：请加 --reason \"…\"", ": add --reason \"…\"").to_string())
        }
        StoreError::UnknownFigure { .. } => Some(
            lang.pick(
                "。`ontrack figures` 列出现行数据及其编号",
                ". `ontrack figures` lists the figures and their ids",
            )
            .to_string(),
        ),
        _ => None,
    }
}
