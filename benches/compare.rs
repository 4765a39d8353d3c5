//! `cargo bench --bench compare`: `ontrack compare` on a city of 300 districts × 50
//! indicators (issue 19; goal: under 1 s), measured on the release binary as a whole
//! process (start-up, reading 300 plans and their figures, ranking, JSON out). The
//! median of several runs, with the min–max beside it. Options (after `--`):
//! `--districts N`, `--indicators N`, `--repeat N`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const ONTRACK: &str = env!("CARGO_BIN_EXE_ontrack");
const NOW: &str = "2021-01-15T08:00:00Z";

/// A district's plan: `indicators` targets in three shapes (growth at least a bar,
/// an amount accumulated over the year, a ceiling on a count), all quarterly.
fn plan(id: &str, parent: Option<&str>, indicators: usize, seed: usize) -> String {
    let mut out = format!("[plan]\nid = \"{id}\"\norg = \"区{seed}\"\nyear = 2020\n");
    if let Some(parent) = parent {
        let _ = writeln!(out, "parent = \"{parent}\"");
    }
    out.push_str("\n[sections]\nmain = \"主要预期目标\"\n");
    for i in 0..indicators {
        let (kind, extra, cmp, value, unit) = match i % 3 {
            0 => ("growth", "", "at_least", 5.0 + (seed % 4) as f64 * 0.5, "%"),
            1 => ("amount", "measure = \"ytd\"\n", "at_least", 100.0 + (seed % 7) as f64 * 10.0, "亿元"),
            _ => ("count", "measure = \"ytd\"\n", "at_most", 5.0 + (seed % 3) as f64, "起"),
        };
        let _ = write!(
            out,
            "\n[[targets]]\ncode = \"i{i:03}\"\nsection = \"main\"\nname = \"指标{i}\"\nkind = \"{kind}\"\n{extra}\
             cmp = \"{cmp}\"\nvalue = {value}\nunit = \"{unit}\"\nfrequency = \"quarter\"\nquote = \"指标{i}\"\n"
        );
    }
    out
}

/// Three quarters of figures for every indicator, varied by district.
fn figures(indicators: usize, seed: usize) -> String {
    let mut out = String::from("target,period,value,source,note,by\n");
    for i in 0..indicators {
        for q in 1..=3 {
            let wobble = ((seed * 31 + i * 7 + q * 3) % 17) as f64 / 4.0;
            let value = match i % 3 {
                0 => 3.0 + wobble,
                1 => 20.0 * q as f64 + wobble * 3.0,
                _ => ((seed + i + q) % 4) as f64,
            };
            let _ = writeln!(out, "i{i:03},2020Q{q},{value},bench,,bench");
        }
    }
    out
}

fn run(db: &Path, args: &[&str]) -> f64 {
    let start = Instant::now();
    let output = Command::new(ONTRACK)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ONTRACK_NOW", NOW)
        .env_remove("ONTRACK_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("the release binary runs");
    let secs = start.elapsed().as_secs_f64();
    assert!(output.status.success(), "ontrack {} failed:\n{}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    secs
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (mut districts, mut indicators, mut repeat) = (300usize, 50usize, 5usize);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut number = || iter.next().and_then(|n| n.parse().ok()).expect("a number");
        match arg.as_str() {
            "--districts" => districts = number(),
            "--indicators" => indicators = number(),
            "--repeat" => repeat = number(),
            other if other.starts_with('-') => {}
            other => panic!("unknown argument {other:?}; see the comment at the top of benches/compare.rs"),
        }
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compare");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("city.db");
    run(&db, &["init", "--empty"]);
    let city = dir.join("city.toml");
    std::fs::write(&city, plan("city-2020", None, indicators, 0)).unwrap();
    run(&db, &["plan", "import", city.to_str().unwrap()]);
    for d in 0..districts {
        let id = format!("d{d:03}-2020");
        let file = dir.join(format!("{id}.toml"));
        std::fs::write(&file, plan(&id, Some("city-2020"), indicators, d)).unwrap();
        run(&db, &["plan", "import", file.to_str().unwrap()]);
        let sheet = dir.join(format!("{id}.csv"));
        std::fs::write(&sheet, figures(indicators, d)).unwrap();
        run(&db, &["import", sheet.to_str().unwrap(), "--plan", &id]);
    }
    let mut times: Vec<f64> =
        (0..repeat.max(1)).map(|_| run(&db, &["compare", "--parent", "city-2020", "--format", "json"])).collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "compare --parent, {districts} districts × {indicators} indicators ({} figures), whole process: \
         median {:.0} ms ({:.0}–{:.0} ms), {} runs; goal < 1 s: {}",
        districts * indicators * 3,
        median * 1000.0,
        times[0] * 1000.0,
        times[times.len() - 1] * 1000.0,
        times.len(),
        if median < 1.0 { "met" } else { "NOT met" }
    );
}
