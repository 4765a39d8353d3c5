//! The web desk's accounts, sessions and audit log in the database (migration 8).
//! Every change is one IMMEDIATE transaction that writes its audit row with it, so a
//! change is never without its record, nor a record without its change.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Result, Store};
use crate::accounts::{AccountError, Role, User};
use crate::error::StoreError;
use crate::time::timestamp;

/// An account to add.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub role: Role,
    pub lead_unit: Option<&'a str>,
    pub password_hash: String,
    pub must_change_password: bool,
}

/// An account as `user list` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub user: User,
    pub created_at: String,
    pub password_changed_at: String,
    pub disabled_at: Option<String>,
    /// Sessions not yet ended (some may have timed out unseen).
    pub sessions: i64,
}

/// A session as the database keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub user: User,
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// How an audited request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Refused by the rules (a bad password, bad data, a locked window).
    Refused,
    /// Refused for want of permission (role, unit, token).
    Denied,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Denied => "denied",
        }
    }
}

/// One line of the audit log to write.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The account acting, or the name tried at a failed sign-in.
    pub actor: Option<String>,
    /// The client's address; `cli` for a command.
    pub address: String,
    /// What was asked: `login`, `logout`, `figures`, `review approve`, `user add` …
    pub action: String,
    pub outcome: Outcome,
    /// What it was about, in a few words (never a password or a token).
    pub detail: String,
}

/// One line of the audit log as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub actor: Option<String>,
    pub address: String,
    pub action: String,
    pub outcome: String,
    pub detail: String,
}

const USER_COLUMNS: &str = "id, name, role, lead_unit, must_change_password, disabled_at IS NOT NULL";

fn user_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = row.get(2)?;
    Ok(User {
        id: row.get(0)?,
        name: row.get(1)?,
        // The schema CHECKs the role, so an unknown one is a newer release's.
        role: Role::from_key(&role).unwrap_or(Role::Leader),
        lead_unit: row.get(3)?,
        must_change_password: row.get(4)?,
        disabled: row.get(5)?,
    })
}

pub(super) fn append_audit(tx: &Connection, entry: &AuditEntry) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, actor, address, action, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        timestamp(entry.at),
        entry.actor,
        entry.address,
        entry.action,
        entry.outcome.key(),
        entry.detail
    ])?;
    Ok(())
}

fn user_in(tx: &Connection, name: &str) -> Result<User> {
    tx.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"), [name], user_row)
        .optional()?
        .ok_or_else(|| StoreError::Account(AccountError::UnknownUser { name: name.to_string() }))
}

/// Refuses to leave the database without an enabled administrator.
fn refuse_last_admin(tx: &Connection, user: &User) -> Result<()> {
    if user.role != Role::Admin || user.disabled {
        return Ok(());
    }
    let others: i64 = tx.query_row(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?1",
        [user.id],
        |r| r.get(0),
    )?;
    if others == 0 {
        return Err(StoreError::Account(AccountError::LastAdmin { name: user.name.clone() }));
    }
    Ok(())
}

impl Store {
    /// Adds an account; refused when the name is taken.
    pub fn add_user(&mut self, new: &NewUser<'_>, audit: &AuditEntry) -> Result<i64> {
        self.write(|tx| {
            let taken: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [new.name], |r| r.get(0))?;
            if taken {
                return Err(StoreError::Account(AccountError::NameTaken { name: new.name.to_string() }));
            }
            let at = timestamp(audit.at);
            tx.execute(
                "INSERT INTO users (name, role, lead_unit, password_hash, must_change_password, created_at, password_changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![new.name, new.role.key(), new.lead_unit, new.password_hash, new.must_change_password, at],
            )?;
            let id = tx.last_insert_rowid();
            append_audit(tx, audit)?;
            Ok(id)
        })
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {USER_COLUMNS}, created_at, password_changed_at, disabled_at,
                    (SELECT count(*) FROM sessions WHERE user_id = users.id)
             FROM users ORDER BY name"
        ))?;
        let rows = statement.query_map([], |row| {
            Ok(Account {
                user: user_row(row)?,
                created_at: row.get(6)?,
                password_changed_at: row.get(7)?,
                disabled_at: row.get(8)?,
                sessions: row.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An account and its password hash, for a sign-in.
    pub fn user_for_login(&self, name: &str) -> Result<Option<(User, String)>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE name = ?1"), [name], |row| {
                Ok((user_row(row)?, row.get(6)?))
            })
            .optional()?)
    }

    /// Sets an account's password hash; every session of the account ends, so a
    /// stolen session does not outlive the change (the desk then starts a new one for
    /// the person who changed it).
    pub fn set_password(&mut self, name: &str, hash: &str, must_change: bool, audit: &AuditEntry) -> Result<()> {
        self.write(|tx| {
            let user = user_in(tx, name)?;
            tx.execute(
                "UPDATE users SET password_hash = ?1, must_change_password = ?2, password_changed_at = ?3 WHERE id = ?4",
                params![hash, must_change, timestamp(audit.at), user.id],
            )?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
            append_audit(tx, audit)
        })
    }

    /// Disables or enables an account. Disabling ends its sessions at once.
    pub fn set_disabled(&mut self, name: &str, disabled: bool, audit: &AuditEntry) -> Result<()> {
        self.write(|tx| {
            let user = user_in(tx, name)?;
            if disabled {
                refuse_last_admin(tx, &user)?;
                tx.execute(
                    "UPDATE users SET disabled_at = coalesce(disabled_at, ?1) WHERE id = ?2",
                    params![timestamp(audit.at), user.id],
                )?;
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user.id])?;
            } else {
                tx.execute("UPDATE users SET disabled_at = NULL WHERE id = ?1", [user.id])?;
            }
            append_audit(tx, audit)
        })
    }

    /// Starts a session for `user_id` (its id's hash and CSRF token made by the caller).
    /// Refused when the account was disabled after its password was checked (a
    /// `user disable` between the two): the session is started only for an account
    /// enabled inside this transaction, so a disabled account never gets one.
    pub fn start_session(&mut self, user_id: i64, id_hash: &str, csrf: &str, audit: &AuditEntry) -> Result<()> {
        self.write(|tx| {
            let at = timestamp(audit.at);
            let started = tx.execute(
                "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at)
                 SELECT ?1, id, ?3, ?4, ?4 FROM users WHERE id = ?2 AND disabled_at IS NULL",
                params![id_hash, user_id, csrf, at],
            )?;
            if started == 0 {
                let name = audit.actor.clone().unwrap_or_default();
                return Err(StoreError::Account(AccountError::Disabled { name }));
            }
            append_audit(tx, audit)
        })
    }

    /// The session whose id hashes to `id_hash`, with its account.
    pub fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {}, s.csrf, s.created_at, s.last_seen_at
                     FROM sessions s JOIN users ON users.id = s.user_id WHERE s.id_hash = ?1",
                    USER_COLUMNS.split(", ").map(|c| format!("users.{c}")).collect::<Vec<_>>().join(", ")
                ),
                [id_hash],
                |row| {
                    Ok((user_row(row)?, row.get::<_, String>(6)?, row.get::<_, String>(7)?, row.get::<_, String>(8)?))
                },
            )
            .optional()?;
        Ok(found.and_then(|(user, csrf, created, seen)| {
            Some(SessionRecord {
                user,
                csrf,
                created_at: crate::time::parse_timestamp(&created)?,
                last_seen_at: crate::time::parse_timestamp(&seen)?,
            })
        }))
    }

    /// Notes that a session was used at `at` (the idle timeout counts from here).
    pub fn touch_session(&mut self, id_hash: &str, at: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE sessions SET last_seen_at = ?1 WHERE id_hash = ?2", params![timestamp(at), id_hash])?;
            Ok(())
        })
    }

    /// Ends a session (sign-out, or timed out); `audit` is written when given.
    pub fn end_session(&mut self, id_hash: &str, audit: Option<&AuditEntry>) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
            if let Some(entry) = audit {
                append_audit(tx, entry)?;
            }
            Ok(())
        })
    }

    /// Appends one line to the audit log, in a transaction of its own.
    pub fn audit(&mut self, entry: &AuditEntry) -> Result<()> {
        self.write(|tx| append_audit(tx, entry))
    }

    /// The audit log, oldest first, from `since` (RFC 3339, inclusive) when given;
    /// only the last `limit` lines when given.
    pub fn audit_log(&self, since: Option<&str>, limit: Option<usize>) -> Result<Vec<AuditRecord>> {
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut statement = self.conn.prepare(
            "SELECT * FROM (SELECT id, at, actor, address, action, outcome, detail FROM audit_log
             WHERE ?1 IS NULL OR at >= ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id",
        )?;
        let rows = statement.query_map(params![since, limit], |row| {
            Ok(AuditRecord {
                id: row.get(0)?,
                at: row.get(1)?,
                actor: row.get(2)?,
                address: row.get(3)?,
                action: row.get(4)?,
                outcome: row.get(5)?,
                detail: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> AuditEntry {
        AuditEntry {
            at: DateTime::from_timestamp(1_600_000_000, 0).expect("a moment"),
            actor: Some("fa".into()),
            address: "cli".into(),
            action: action.into(),
            outcome: Outcome::Ok,
            detail: String::new(),
        }
    }

    #[test]
    fn a_session_is_never_started_for_an_account_disabled_after_its_password_was_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::create(&dir.path().join("t.db"), false, std::time::Duration::from_secs(5)).expect("db");
        let new = NewUser {
            name: "fa",
            role: Role::Filer,
            lead_unit: Some("区发改委"),
            password_hash: crate::accounts::hash_password("a fine long phrase"),
            must_change_password: false,
        };
        let id = store.add_user(&new, &entry("user add")).expect("added");
        let (user, _) = store.user_for_login("fa").expect("read").expect("found");
        assert!(!user.disabled, "the password check sees an enabled account");
        store.set_disabled("fa", true, &entry("user disable")).expect("disabled");
        let refused = store.start_session(id, &"1".repeat(64), &"2".repeat(64), &entry("login"));
        assert!(matches!(refused, Err(StoreError::Account(AccountError::Disabled { .. }))), "{refused:?}");
        assert_eq!(store.accounts().expect("accounts")[0].sessions, 0);
        let logins = store.audit_log(None, None).expect("log").iter().filter(|r| r.action == "login").count();
        assert_eq!(logins, 0, "no sign-in recorded as done");
        store.set_disabled("fa", false, &entry("user enable")).expect("enabled");
        store.start_session(id, &"1".repeat(64), &"2".repeat(64), &entry("login")).expect("started");
    }
}
