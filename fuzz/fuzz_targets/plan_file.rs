//! Any text either is refused as a plan file with problems listed, or parses to a
//! plan whose export parses back to the same plan and exports to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ontrack::plan::file::{export_plan, parse_plan};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_plan(text, "fuzz.toml") {
        Ok(plan) => {
            let exported = export_plan(&plan);
            let again = parse_plan(&exported, "exported.toml").expect("an exported plan parses");
            assert_eq!(plan, again);
            assert_eq!(exported, export_plan(&again));
        }
        Err(error) => assert!(!error.problems.is_empty()),
    }
});
