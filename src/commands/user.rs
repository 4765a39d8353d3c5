//! `ontrack user …`: the web desk's accounts. There is no default account: the first
//! administrator is added here, with a one-time password printed once (or one read
//! from standard input for scripts, held to the same rules).

use std::io::Read as _;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::record::os_user;
use super::Context;
use crate::accounts::{self, AccountError, Role};
use crate::cli::{UserAddArgs, UserCommand, UserResetArgs};
use crate::error::StoreError;
use crate::lang::Lang;
use crate::output::{csv_bytes, json_bytes, table, write_output, ListFormat};
use crate::present::commands::{self as words, UserChange};
use crate::store::{AuditEntry, NewUser, Outcome, Store};

pub fn run(context: &Context, command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add(args) => add(context, args),
        UserCommand::List(format) => list(context, format.format),
        UserCommand::Disable(args) => set_disabled(context, &args.name, true),
        UserCommand::Enable(args) => set_disabled(context, &args.name, false),
        UserCommand::Reset(args) => reset(context, args),
    }
}

/// The password to set: read from standard input (one line, its newline dropped), or a
/// new one-time password.
fn new_password(name: &str, from_stdin: bool, lang: Lang) -> Result<(String, bool)> {
    if !from_stdin {
        return Ok((accounts::one_time_password(), true));
    }
    let mut text = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut text)
        .with_context(|| lang.pick("无法从标准输入读取密码", "cannot read the password from standard input"))?;
    let password = text.strip_suffix('\n').unwrap_or(&text);
    let password = password.strip_suffix('\r').unwrap_or(password).to_string();
    accounts::check_password(&password, name)
        .map_err(|problem| StoreError::Account(AccountError::Password(problem)))?;
    Ok((password, false))
}

fn add(context: &Context, args: UserAddArgs) -> Result<()> {
    let lang = context.lang;
    let role = Role::from_key(&args.role).expect("clap allows only the four roles");
    // The name and unit are judged before a password is read or made.
    accounts::check_name(&args.name).map_err(StoreError::Account)?;
    let unit = args.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    accounts::check_unit(role, unit).map_err(StoreError::Account)?;
    let (password, one_time) = new_password(&args.name, args.password_stdin, lang)?;
    let mut store = context.open()?;
    let account =
        NewAccount { name: &args.name, role, unit, password_hash: accounts::hash_password(&password), one_time };
    add_account(&mut store, &account, &By::cli(context))?;
    if one_time {
        println!("{}", words::one_time_password(&args.name, &password, lang));
    } else {
        println!("{}", words::user_added(&args.name, role.name(lang), lang));
    }
    Ok(())
}

/// Who changes an account, when and from where: the audit line's first fields.
pub(crate) struct By {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: Option<String>,
    /// The client's address; `cli` at the command line.
    pub address: String,
}

impl By {
    /// The person at this command line.
    pub(crate) fn cli(context: &Context) -> By {
        By { at: context.now, actor: Some(os_user()), address: "cli".to_string() }
    }

    fn entry(&self, action: &str, detail: String) -> AuditEntry {
        AuditEntry {
            at: self.at,
            actor: self.actor.clone(),
            address: self.address.clone(),
            action: action.to_string(),
            outcome: Outcome::Ok,
            detail,
        }
    }
}

/// An account to add, its password already hashed (hashing is slow: callers do it
/// before they take the write lock).
pub(crate) struct NewAccount<'a> {
    pub name: &'a str,
    pub role: Role,
    pub unit: Option<&'a str>,
    pub password_hash: String,
    /// A one-time password, to be changed at the first sign-in.
    pub one_time: bool,
}

/// Adds an account after the name and unit rules, with its audit line in the same
/// transaction: what `user add`, the desk's accounts page and `demo --serve` call.
pub(crate) fn add_account(store: &mut Store, account: &NewAccount<'_>, by: &By) -> Result<(), StoreError> {
    accounts::check_name(account.name).map_err(StoreError::Account)?;
    let unit = account.unit.map(str::trim).filter(|u| !u.is_empty());
    accounts::check_unit(account.role, unit).map_err(StoreError::Account)?;
    let detail = match unit {
        Some(unit) => format!("{} {} ({unit})", account.name, account.role.key()),
        None => format!("{} {}", account.name, account.role.key()),
    };
    store.add_user(
        &NewUser {
            name: account.name,
            role: account.role,
            lead_unit: unit,
            password_hash: account.password_hash.clone(),
            must_change_password: account.one_time,
        },
        &by.entry("user add", detail),
    )?;
    Ok(())
}

/// Disables (ending its sessions at once) or enables an account, audited: what `user
/// disable`/`enable` and the desk's accounts page call.
pub(crate) fn set_account_disabled(store: &mut Store, name: &str, disabled: bool, by: &By) -> Result<(), StoreError> {
    let action = if disabled { "user disable" } else { "user enable" };
    store.set_disabled(name, disabled, &by.entry(action, name.to_string()))
}

/// Sets a new password (ending the account's sessions), audited: what `user reset` and
/// the desk's accounts page call. An unknown account is refused by name (`Store::set_password`).
pub(crate) fn reset_account(
    store: &mut Store,
    name: &str,
    password_hash: &str,
    one_time: bool,
    by: &By,
) -> Result<(), StoreError> {
    store.set_password(name, password_hash, one_time, &by.entry("user reset", name.to_string()))
}

#[derive(Serialize)]
struct AccountRow {
    name: String,
    role: &'static str,
    lead_unit: Option<String>,
    must_change_password: bool,
    disabled_at: Option<String>,
    sessions: i64,
    created_at: String,
    password_changed_at: String,
}

fn list(context: &Context, format: ListFormat) -> Result<()> {
    let lang = context.lang;
    let store = context.open_read()?;
    let accounts = store.accounts()?;
    let rows: Vec<AccountRow> = accounts
        .iter()
        .map(|a| AccountRow {
            name: a.user.name.clone(),
            role: a.user.role.key(),
            lead_unit: a.user.lead_unit.clone(),
            must_change_password: a.user.must_change_password,
            disabled_at: a.disabled_at.clone(),
            sessions: a.sessions,
            created_at: a.created_at.clone(),
            password_changed_at: a.password_changed_at.clone(),
        })
        .collect();
    let bytes = match format {
        ListFormat::Json => json_bytes(&rows),
        ListFormat::Csv => csv_bytes(&rows),
        ListFormat::Table => {
            let cells = accounts.iter().map(|a| {
                vec![
                    a.user.name.clone(),
                    a.user.role.name(lang).to_string(),
                    a.user.lead_unit.clone().unwrap_or_default(),
                    words::account_state(a.disabled_at.as_deref(), a.user.must_change_password, lang),
                    a.sessions.to_string(),
                    a.created_at.clone(),
                    a.password_changed_at.clone(),
                ]
            });
            format!("{}\n", table(&words::users_headers(lang), cells)).into_bytes()
        }
    };
    write_output(&bytes, None)
}

fn set_disabled(context: &Context, name: &str, disabled: bool) -> Result<()> {
    let mut store = context.open()?;
    set_account_disabled(&mut store, name, disabled, &By::cli(context))?;
    let change = if disabled { UserChange::Disabled } else { UserChange::Enabled };
    println!("{}", words::user_changed(name, change, context.lang));
    Ok(())
}

fn reset(context: &Context, args: UserResetArgs) -> Result<()> {
    let lang = context.lang;
    let mut store = context.open()?;
    if store.user_for_login(&args.name)?.is_none() {
        return Err(StoreError::Account(AccountError::UnknownUser { name: args.name }).into());
    }
    let (password, one_time) = new_password(&args.name, args.password_stdin, lang)?;
    reset_account(&mut store, &args.name, &accounts::hash_password(&password), one_time, &By::cli(context))?;
    if one_time {
        println!("{}", words::one_time_password(&args.name, &password, lang));
    } else {
        println!("{}", words::user_changed(&args.name, UserChange::PasswordSet, lang));
    }
    Ok(())
}
