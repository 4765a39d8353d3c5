//! Sign-in attempts limited per address and per account (ASVS 2.2.1): failures within
//! a window are counted in memory, and past the limit a sign-in is answered 429 without
//! checking the password. A success clears its account's count. The counts are lost at
//! a restart, which only an administrator can cause; the audit log keeps every attempt.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins allowed per account within [`WINDOW`].
pub const PER_ACCOUNT: usize = 5;
/// Failed sign-ins allowed per client address within [`WINDOW`] (an office behind one
/// address has many people, so more than per account).
pub const PER_ADDRESS: usize = 20;
/// How long a failure counts.
pub const WINDOW_MINUTES: i64 = 15;

#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl Limiter {
    /// Whether a sign-in for `account` from `address` may be tried now.
    pub fn allows(&self, address: &str, account: &str, now: DateTime<Utc>) -> bool {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut recent = |key: String| {
            let list = failures.entry(key).or_default();
            while list.front().is_some_and(|at| *at <= now - Duration::minutes(WINDOW_MINUTES)) {
                list.pop_front();
            }
            list.len()
        };
        recent(address_key(address)) < PER_ADDRESS && recent(account_key(account)) < PER_ACCOUNT
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, address: &str, account: &str, now: DateTime<Utc>) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for key in [address_key(address), account_key(account)] {
            let list = failures.entry(key).or_default();
            list.push_back(now);
            // Bounded memory: only what the limit needs.
            while list.len() > PER_ADDRESS {
                list.pop_front();
            }
        }
        // Forget keys with nothing recent, so a stream of made-up names cannot grow
        // the map without end.
        if failures.len() > 10_000 {
            failures.retain(|_, list| list.back().is_some_and(|at| *at > now - Duration::minutes(WINDOW_MINUTES)));
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeeded(&self, account: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(&account_key(account));
    }
}

fn address_key(address: &str) -> String {
    format!("address {address}")
}

fn account_key(account: &str) -> String {
    format!("account {}", account.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_600_000_000, 0).unwrap() + Duration::minutes(minute)
    }

    #[test]
    fn an_account_is_held_after_five_failures_for_fifteen_minutes() {
        let limiter = Limiter::default();
        for _ in 0..PER_ACCOUNT {
            assert!(limiter.allows("10.0.0.1", "alice", at(0)));
            limiter.failed("10.0.0.1", "alice", at(0));
        }
        assert!(!limiter.allows("10.0.0.2", "alice", at(1)), "from another address too");
        assert!(limiter.allows("10.0.0.1", "bob", at(1)), "another account from the same address");
        assert!(limiter.allows("10.0.0.1", "alice", at(WINDOW_MINUTES)));
    }

    #[test]
    fn an_address_is_held_after_twenty_failures_across_accounts() {
        let limiter = Limiter::default();
        for i in 0..PER_ADDRESS {
            limiter.failed("10.0.0.1", &format!("user{i}"), at(0));
        }
        assert!(!limiter.allows("10.0.0.1", "someone", at(1)));
        assert!(limiter.allows("10.0.0.2", "someone", at(1)));
    }

    #[test]
    fn success_clears_the_account() {
        let limiter = Limiter::default();
        for _ in 0..PER_ACCOUNT {
            limiter.failed("10.0.0.1", "Alice", at(0));
        }
        assert!(!limiter.allows("10.0.0.1", "alice", at(0)), "names compared without case");
        limiter.succeeded("alice");
        assert!(limiter.allows("10.0.0.1", "alice", at(0)));
    }
}
