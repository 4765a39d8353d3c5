//! One integration-test binary (STYLE.md 13): each test drives the real `ontrack`
//! binary on its own temporary database, with a fixed clock and no network.

mod support;

mod charts;
mod logging;
mod plans;
mod reports;
mod status;
