//! One integration-test binary: each test drives the real `ontrack`
//! binary on its own temporary database, with a fixed clock and no network.

mod support;

mod bundle;
mod charts;
mod city_bundles;
mod compare;
mod dry_run;
mod extract;
mod family;
mod files;
mod forms;
mod lang;
mod logging;
mod maintenance;
mod plan_life;
mod plans;
mod print;
mod quarter_of_life;
mod reliability;
mod reports;
mod review;
mod status;
mod users;
mod vocabulary;
mod web;
