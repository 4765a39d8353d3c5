//! Any finite figures, for any target of the built-in plan, draw its gap chart and the
//! overview without a panic and within libFuzzer's `-timeout` (`.ci/fuzz` sets 10 s):
//! an absurd figure stored by an older release once made plotters loop for ever.
#![no_main]

use std::sync::{Arc, OnceLock};

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use ontrack::actual::{current_figures, Actual};
use ontrack::chart::render_charts;
use ontrack::lang::Lang;
use ontrack::period::Period;
use ontrack::plan::file::parse_plan;
use ontrack::plan::{Plan, BUILTIN_PLAN_TOML};

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| parse_plan(BUILTIN_PLAN_TOML, "builtin").expect("the built-in plan parses"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the target; then 9 bytes a figure: the month, then the value.
    let Some((&pick, rest)) = data.split_first() else { return };
    let plan = plan();
    let target = &plan.targets()[usize::from(pick) % plan.targets().len()];
    let related = target.related.as_deref().unwrap_or("gdp-growth");
    let moment = Utc.with_ymd_and_hms(2020, 12, 31, 0, 0, 0).unwrap();
    let figures: Vec<Actual> = rest
        .chunks_exact(9)
        .enumerate()
        .filter_map(|(index, chunk)| {
            let value = f64::from_le_bytes(chunk[1..].try_into().expect("8 bytes"));
            value.is_finite().then(|| Actual {
                id: index as i64 + 1,
                // Odd months' figures go to the related target, so relative charts get both.
                target: Arc::from(if chunk[0] & 0x80 == 0 { target.code.as_str() } else { related }),
                period: Period::month(2020, chunk[0] % 12 + 1),
                value,
                source: None,
                recorded_by: Arc::from("fuzzer"),
                recorded_at: moment,
                note: None,
                revises: None,
                reason: None,
            })
        })
        .collect();
    let current = current_figures(&figures, None);
    let files = render_charts(plan, &current, Period::month(2020, 12), &[target], true, Lang::Zh);
    assert_eq!(files.len(), 2);
    for file in files {
        assert!(file.svg.ends_with("</svg>\n") || file.svg.trim_end().ends_with("</svg>"), "{}", file.name);
    }
});
