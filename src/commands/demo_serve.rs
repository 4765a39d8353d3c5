//! `ontrack demo --serve`: after the demo is built, one account per role (named
//! `demo-…`, so nobody mistakes them for real ones), their random passwords printed
//! this once, and the web desk on the demo database, on a loopback address only:
//! the passwords are on the screen, so the desk must not be reachable from the network.

use std::net::SocketAddr;

use anyhow::{bail, Context as _, Result};

use super::user::{add_account, By, NewAccount};
use super::Context;
use crate::accounts::{self, Role};
use crate::lang::Lang;
use crate::plan::Plan;
use crate::present::web as words;
use crate::web::{self, Desk, DeskConfig, SessionTimeouts};

/// The demo's accounts, one per role: (name, role).
pub const DEMO_ACCOUNTS: [(&str, Role); 4] = [
    ("demo-filer", Role::Filer),
    ("demo-reviewer", Role::Reviewer),
    ("demo-leader", Role::Leader),
    ("demo-admin", Role::Admin),
];

/// Whether `name` is one of the accounts `demo --serve` adds.
pub fn is_demo_account(name: &str) -> bool {
    DEMO_ACCOUNTS.iter().any(|(demo, _)| *demo == name)
}

/// Refuses an address other machines could reach.
pub fn refuse_non_loopback(bind: SocketAddr, lang: Lang) -> Result<()> {
    if !bind.ip().is_loopback() {
        bail!(words::demo_bind_refused(&bind.to_string(), lang));
    }
    Ok(())
}

/// Adds the demo accounts to the demo database, prints them with their passwords, and
/// serves the desk until interrupted. `demo` is the demo's context (its database and
/// fixed clock); `plan` the built-in plan, whose first lead unit the demo filer files for.
pub fn run(demo: &Context, plan: &Plan, bind: SocketAddr) -> Result<()> {
    let lang = demo.lang;
    refuse_non_loopback(bind, lang)?;
    let unit = plan
        .targets()
        .iter()
        .find_map(|t| t.lead_unit.clone())
        .context(lang.pick("内置计划没有牵头单位", "the built-in plan names no lead unit"))?;
    let mut store = demo.open()?;
    let by = By::cli(demo);
    let mut shown = Vec::new();
    for (name, role) in DEMO_ACCOUNTS {
        let password = accounts::one_time_password();
        let account = NewAccount {
            name,
            role,
            unit: (role == Role::Filer).then_some(unit.as_str()),
            password_hash: accounts::hash_password(&password),
            // A demo is for looking around at once: no password change first.
            one_time: false,
        };
        add_account(&mut store, &account, &by)?;
        shown.push((name, role, account.unit.map(str::to_string), password));
    }
    drop(store);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("tokio runtime")?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(bind)).with_context(|| {
        lang.choose(
            format!("无法在 {bind} 上提供服务（端口可能已被占用；可用 --bind 127.0.0.1:8081 换一个端口）"),
            format!("cannot serve on {bind} (the port may be taken; choose another with --bind 127.0.0.1:8081)"),
        )
    })?;
    let address = listener.local_addr().context("the bound address")?;
    println!();
    println!("{}", words::demo_accounts_heading(lang));
    for (name, role, unit, password) in &shown {
        println!("{}", words::demo_account_line(name, role.name(lang), unit.as_deref(), password, lang));
    }
    println!("{}", words::serving(&format!("http://{address}"), &demo.db.display().to_string(), lang));
    let desk = Desk::new(DeskConfig {
        db: demo.db.clone(),
        lang,
        // The demo's clock, as its reports have it: the figures' windows and the
        // moments on the pages agree with the demo year.
        fixed_now: Some(demo.now),
        busy_timeout: demo.busy_timeout,
        tls: false,
        timeouts: SessionTimeouts::default(),
    });
    runtime
        .block_on(web::serve_on(desk, listener, None))
        .with_context(|| lang.choose(format!("无法在 {bind} 上提供服务"), format!("cannot serve on {bind}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_loopback_address_is_served() {
        for ok in ["127.0.0.1:8080", "127.0.0.1:0", "[::1]:8080"] {
            assert!(refuse_non_loopback(ok.parse().unwrap(), Lang::En).is_ok(), "{ok}");
        }
        for refused in ["0.0.0.0:8080", "192.168.1.10:8080", "[::]:8080"] {
            let error = refuse_non_loopback(refused.parse().unwrap(), Lang::En).unwrap_err().to_string();
            assert!(error.contains(refused) && error.contains("loopback"), "{error}");
        }
    }

    #[test]
    fn the_demo_accounts_are_named_as_demo_and_one_per_role() {
        assert!(DEMO_ACCOUNTS.iter().all(|(name, _)| name.starts_with("demo-") && is_demo_account(name)));
        assert_eq!(DEMO_ACCOUNTS.map(|(_, role)| role), Role::ALL);
        assert!(!is_demo_account("admin"));
    }
}
