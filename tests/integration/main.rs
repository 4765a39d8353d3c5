//! One integration-test binary: each test drives the real `ontrack`
//! binary on its own temporary database, with a fixed clock and no network.

mod support;

mod charts;
mod dry_run;
mod extract;
mod files;
mod forms;
mod lang;
mod logging;
mod maintenance;
mod plans;
mod reliability;
mod reports;
mod status;
mod vocabulary;
