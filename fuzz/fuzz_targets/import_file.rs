//! Any bytes, as a .csv or an .xlsx file, either import as figures that passed every
//! check or are refused with an error; the import path never panics.
#![no_main]

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use ontrack::import::read_figures;
use ontrack::plan::file::parse_plan;
use ontrack::plan::{Plan, BUILTIN_PLAN_TOML};

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| parse_plan(BUILTIN_PLAN_TOML, "builtin").expect("the built-in plan parses"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else { return };
    let extension = if kind % 2 == 0 { "csv" } else { "xlsx" };
    let path = std::env::temp_dir().join(format!("ontrack-fuzz-{}.{extension}", std::process::id()));
    std::fs::write(&path, bytes).expect("write the fuzz input");
    let now = Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap();
    if let Ok(imported) = read_figures(&path, plan(), now, "fuzzer") {
        for figure in &imported.figures {
            assert!(figure.value.is_finite());
            assert_eq!(figure.period.year(), 2020);
            assert!(plan().target(&figure.target).is_some());
        }
    }
});
