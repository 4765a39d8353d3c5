//! Any bytes, as a .csv or an .xlsx file, either import as figures that passed every
//! check or are refused with an error; the import path never panics. The input runs
//! through the one import path (`import::import_figures`) as a dry run against a
//! database holding the built-in plan and a figure logged already, so the store's
//! checks (one figure per window, revisions) are fuzzed too, and the dry run must
//! leave that database as it was.
#![no_main]

use std::cell::RefCell;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use ontrack::actual::NewActual;
use ontrack::import::{import_figures, ImportInput, ImportRequest};
use ontrack::plan::file::parse_plan;
use ontrack::plan::{Plan, BUILTIN_PLAN_TOML};
use ontrack::store::{Clock, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 3, 31, 8, 0, 0).unwrap()
}

/// The database and the plan as read back from it, made once per process.
fn fresh() -> (Store, Plan) {
    let path = std::env::temp_dir().join(format!("ontrack-fuzz-{}.db", std::process::id()));
    let mut store = Store::create(&path, true, Duration::from_secs(5)).expect("create the fuzz database");
    let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").expect("the built-in plan parses");
    store.insert_plan(&plan, now()).expect("load the built-in plan");
    let logged = NewActual {
        target: "gdp-growth".to_string(),
        period: "2020Q1".parse().expect("a period"),
        value: -6.8,
        source: Some("区统计局".to_string()),
        recorded_by: "fuzzer".to_string(),
        note: None,
        revision_reason: None,
    };
    store.insert_actuals_by(&plan.id, &[logged], Clock::Set(now())).expect("log a figure");
    let plan = store.load_plan_for_checking(&plan.id).expect("read the plan back");
    (store, plan)
}

thread_local! {
    static DATABASE: RefCell<(Store, Plan)> = RefCell::new(fresh());
}

fn figure_count(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM actuals", [], |r| r.get(0)).expect("count the figures")
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else { return };
    let extension = if kind % 2 == 0 { "csv" } else { "xlsx" };
    let path = std::env::temp_dir().join(format!("ontrack-fuzz-{}.{extension}", std::process::id()));
    std::fs::write(&path, bytes).expect("write the fuzz input");
    DATABASE.with_borrow_mut(|(store, plan)| {
        let before = figure_count(store);
        let request = ImportRequest {
            input: ImportInput::File(&path),
            plan,
            default_by: "fuzzer",
            now: now(),
            clock: Clock::Set(now()),
            dry_run: true,
            audit: None,
        };
        if let Ok(outcome) = import_figures(store, &request, |_| {}, |_| {}) {
            assert_eq!(outcome.figures.len(), outcome.written);
            for (_, figure) in &outcome.figures {
                assert!(figure.value.is_finite());
                assert_eq!(figure.period.year(), 2020);
                assert!(plan.target(&figure.target).is_some());
            }
        }
        assert_eq!(figure_count(store), before, "a dry run wrote");
    });
});
