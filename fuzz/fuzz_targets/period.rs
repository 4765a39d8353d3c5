//! Any text either parses to a period whose canonical label parses back to the
//! same period, or is refused with an error; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ontrack::period::Period;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(period) = text.parse::<Period>() {
        let again: Period = period.label().parse().expect("a canonical label parses");
        assert_eq!(period, again, "{text:?} -> {} did not round-trip", period.label());
        assert!((1..=12).contains(&period.end_month()));
    }
});
