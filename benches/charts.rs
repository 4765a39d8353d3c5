//! How long drawing the charts takes: every chart of the built-in plan (50 targets and
//! the overview) and of a synthetic plan ten times its size. Prints medians; run with
//! `cargo bench --bench charts`. No timing is asserted anywhere: this is a measurement.
//! The last part (issue 18) draws every kind of target over a generated set of extreme
//! but finite ranges (tiny, huge, negative, all equal, 1e12 in 1e-6 steps …) and
//! prints the slowest chart: every finite figure must draw in bounded time.

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

/// Extreme but finite series: (name, goal, nine monthly figures).
fn extreme_ranges() -> Vec<(String, f64, Vec<f64>)> {
    let mut out = Vec::new();
    let mut series = |name: &str, goal: f64, values: Vec<f64>| out.push((name.to_string(), goal, values));
    let steps = |start: f64, step: f64| (0..9).map(|i| start + step * f64::from(i)).collect::<Vec<f64>>();
    series("all equal", 5.0, vec![5.0; 9]);
    series("all zero", 0.0, vec![0.0; 9]);
    series("tiny (1e-300 steps)", 9e-300, steps(1e-300, 1e-300));
    series("subnormal", 5e-320, steps(5e-324, 5e-324));
    series("huge (1e300)", 9e300, steps(1e300, 1e300));
    series("near f64::MAX", f64::MAX, steps(f64::MAX / 2.0, f64::MAX / 32.0));
    series("negative huge", -1e300, steps(-9e300, 1e300));
    series("1e12 in 1e-6 steps", 1e12, steps(1e12, 1e-6));
    series("1e15 in one ulp steps", 1e15, steps(1e15, 0.125));
    series("-1e12 in 1e-6 steps", -1e12, steps(-1e12, 1e-6));
    series("both signs, 1e300", 1e300, (0..9).map(|i| if i % 2 == 0 { 1e300 } else { -1e300 }).collect());
    series("f64::MIN to f64::MAX", 0.0, (0..9).map(|i| if i % 2 == 0 { f64::MIN } else { f64::MAX }).collect());
    series("one outlier", 1.0, vec![1.0, 1.0, 1.0, 1e200, 1.0, 1.0, 1.0, 1.0, 1.0]);
    series("tiny around 1e12 goal", 1e12, steps(1e-9, 1e-9));
    out
}

/// Draws each extreme series on a one-target plan of every kind of target the
/// built-in plan has, each chart on its own thread so one that never ends is
/// reported, not waited for; prints the slowest.
fn measure_extremes(plan: &Plan) {
    let mut kinds: Vec<&ontrack::plan::Target> = Vec::new();
    for target in plan.targets() {
        if !kinds.iter().any(|k| std::mem::discriminant(&k.kind) == std::mem::discriminant(&target.kind)) {
            kinds.push(target);
        }
    }
    let as_of: Period = format!("{}Q3", plan.year).parse().unwrap();
    let mut worst: Option<(Duration, String)> = None;
    let mut unfinished = Vec::new();
    let mut charts = 0;
    let mut files = 0;
    for (name, goal, values) in extreme_ranges() {
        for target in &kinds {
            let mut target = (*target).clone();
            target.value = goal;
            target.baseline = target.baseline.map(|_| values[0]);
            target.related = None;
            let mut one = plan.clone();
            one.set_targets(vec![target.clone()]);
            let figures: Vec<Actual> = values
                .iter()
                .enumerate()
                .map(|(i, &value)| Actual {
                    id: i as i64 + 1,
                    target: target.code.as_str().into(),
                    period: Period::month(plan.year, i as u8 + 1),
                    value,
                    source: None,
                    recorded_by: "bench".into(),
                    recorded_at: Utc.with_ymd_and_hms(2020, 10, 20, 9, 0, 0).unwrap(),
                    note: None,
                    revises: None,
                    reason: None,
                })
                .collect();
            let label = format!("{name}, {:?}", target.kind);
            let (done, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let figures: Vec<&Actual> = figures.iter().collect();
                let start = Instant::now();
                let drawn = render_all(&one, &figures, as_of, Lang::Zh).len();
                let _ = done.send((start.elapsed(), drawn));
            });
            match receive.recv_timeout(Duration::from_secs(10)) {
                Ok((took, drawn)) => {
                    charts += 1;
                    files += drawn;
                    if worst.as_ref().is_none_or(|(slowest, _)| took > *slowest) {
                        worst = Some((took, label));
                    }
                }
                Err(_) => unfinished.push(label),
            }
        }
    }
    if let Some((took, label)) = worst {
        println!(
            "extreme ranges: {charts} one-target plans, {files} charts drawn; slowest plan {:.2} ms ({label})",
            took.as_secs_f64() * 1e3
        );
    }
    for label in &unfinished {
        println!("extreme ranges: NOT FINISHED within 10 s: {label}");
    }
    if !unfinished.is_empty() {
        // The unfinished threads cannot be stopped; leave them to the operating system.
        std::process::exit(1);
    }
}

fn main() {
    let plan = parse_plan(BUILTIN_PLAN_TOML, BUILTIN_PLAN_NAME).expect("the built-in plan parses");
    measure("built-in plan (jinshui-2020)", &plan, 31);
    measure("synthetic plan, 500 targets", &enlarged(&plan, 10), 11);
    measure_extremes(&plan);
}
