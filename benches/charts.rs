//! How long drawing the charts takes: every chart of the built-in plan (50 targets and
//! the overview) and of a synthetic plan ten times its size. Prints medians; run with
//! `cargo bench --bench charts`. No timing is asserted anywhere: this is a measurement.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use ontrack::actual::Actual;
use ontrack::chart::render_all;
use ontrack::lang::Lang;
use ontrack::period::Period;
use ontrack::plan::file::parse_plan;
use ontrack::plan::{Plan, BUILTIN_PLAN_NAME, BUILTIN_PLAN_TOML};

/// Three quarterly figures for every target (monthly ones get nine), values
/// spread around each goal so every status and chart shape occurs.
fn figures(plan: &Plan) -> Vec<Actual> {
    let mut out = Vec::new();
    for (i, target) in plan.targets().iter().enumerate() {
        let months: Vec<u8> = match target.frequency {
            ontrack::period::Frequency::Month => (1..=9).collect(),
            _ => vec![3, 6, 9],
        };
        for month in months {
            let share = f64::from(month) / 12.0 * (0.6 + 0.1 * (i % 7) as f64);
            let value = if target.kind.is_threshold() {
                target.value - 3.0 + share * 4.0
            } else {
                target.baseline() + share * (target.value - target.baseline())
            };
            out.push(Actual {
                id: out.len() as i64 + 1,
                target: target.code.as_str().into(),
                period: Period::month(plan.year, month),
                value,
                source: Some("区统计局 统计月报".into()),
                recorded_by: "bench".into(),
                recorded_at: Utc.with_ymd_and_hms(2020, 10, 20, 9, 0, 0).unwrap(),
                note: None,
                revises: None,
                reason: None,
            });
        }
    }
    out
}

/// The built-in plan with its targets copied `times` times under new codes.
fn enlarged(plan: &Plan, times: usize) -> Plan {
    let mut bigger = plan.clone();
    let targets = (0..times)
        .flat_map(|copy| {
            plan.targets().iter().map(move |t| {
                let mut t = t.clone();
                t.code = format!("{}-{copy}", t.code);
                t.related = t.related.map(|r| format!("{r}-{copy}"));
                t
            })
        })
        .collect();
    bigger.set_targets(targets);
    bigger
}

fn median_of(runs: usize, mut work: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        bytes = work();
        times.push(start.elapsed());
    }
    times.sort();
    (times[runs / 2], bytes)
}

fn measure(name: &str, plan: &Plan, runs: usize) {
    let actuals = figures(plan);
    let figures: Vec<&Actual> = actuals.iter().collect();
    let as_of: Period = format!("{}Q3", plan.year).parse().unwrap();
    let (median, bytes) =
        median_of(runs, || render_all(plan, &figures, as_of, Lang::Zh).iter().map(|f| f.svg.len()).sum());
    let charts = plan.targets().len() + 1;
    println!(
        "{name}: {charts} charts, {} KiB of SVG — median {:.1} ms for all ({:.0} µs per chart), {runs} runs",
        bytes / 1024,
        median.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / charts as f64
    );
}

fn main() {
    let plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME).expect("the built-in plan parses");
    measure("built-in plan (jinshui-2020)", &plan, 31);
    measure("synthetic plan, 500 targets", &enlarged(&plan, 10), 11);
}
