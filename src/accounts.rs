//! Accounts of the web desk, without IO: roles, the password rules, argon2id hashes,
//! random tokens and one-time passwords. `store/accounts.rs` keeps them;
//! `access.rs` decides what each role may do.

use std::fmt;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::lang::{Lang, Localize};

/// What a person does at the desk (PRODUCT's roles; docs/SECURITY.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 填报员: logs and revises the figures of their lead unit's targets.
    Filer,
    /// 审核员: approves, returns, reopens and voids figures.
    Reviewer,
    /// 领导: reads everything, writes nothing.
    Leader,
    /// 管理员: accounts, plans, target adjustments.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Filer, Role::Reviewer, Role::Leader, Role::Admin];

    /// The word stored and typed (`--role filer`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Filer => "filer",
            Role::Reviewer => "reviewer",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    /// The role's name for people.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Role::Filer => lang.pick("填报员", "filer"),
            Role::Reviewer => lang.pick("审核员", "reviewer"),
            Role::Leader => lang.pick("领导", "leader"),
            Role::Admin => lang.pick("管理员", "administrator"),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An account as the desk sees it once signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// A filer's lead unit (牵头单位); `None` for every other role.
    pub lead_unit: Option<String>,
    /// Signed in with a one-time password: only the password change is allowed.
    pub must_change_password: bool,
    pub disabled: bool,
}

#[cfg(test)]
impl User {
    /// A live account of `role` (and lead unit), for the tests of who may do what.
    pub fn of_role(role: Role, unit: Option<&str>) -> User {
        User {
            id: 1,
            name: "u".into(),
            role,
            lead_unit: unit.map(str::to_string),
            must_change_password: false,
            disabled: false,
        }
    }
}

/// The shortest password allowed, in characters (ASVS 2.1.1; no composition rules).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest, so hashing stays bounded (ASVS allows 64 at least).
pub const MAX_PASSWORD_CHARS: usize = 128;

const COMMON_PASSWORDS: &str = include_str!("accounts/common-passwords.txt");

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort {
        chars: usize,
    },
    TooLong {
        chars: usize,
    },
    /// On the list of passwords people choose most, or one character repeated, or a
    /// run of consecutive digits or letters: the first a guesser tries.
    Common,
    /// The account's own name in it.
    ContainsName,
    /// The same as the one it replaces.
    Unchanged,
}

impl Localize for PasswordProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            PasswordProblem::TooShort { chars } => lang.choose(
                format!("密码只有 {chars} 个字符，至少要 {MIN_PASSWORD_CHARS} 个；可以用一句好记的话"),
                format!(
                    "the password has {chars} characters; it needs at least {MIN_PASSWORD_CHARS} (a phrase you remember works well)"
                ),
            ),
            PasswordProblem::TooLong { chars } => lang.choose(
                format!("密码有 {chars} 个字符，最多 {MAX_PASSWORD_CHARS} 个"),
                format!("the password has {chars} characters; at most {MAX_PASSWORD_CHARS} are allowed"),
            ),
            PasswordProblem::Common => lang.choose(
                "这个密码太常见（常用密码表中有，或是重复、连续的字符），容易被猜中；请换一个".to_string(),
                "this password is too common (on the list of most-used passwords, or repeated or consecutive characters) and easy to guess; choose another".to_string(),
            ),
            PasswordProblem::ContainsName => lang.choose(
                "密码不能包含用户名；请换一个".to_string(),
                "the password must not contain the user name; choose another".to_string(),
            ),
            PasswordProblem::Unchanged => lang.choose(
                "新密码与原密码相同；请换一个".to_string(),
                "the new password is the same as the old one; choose another".to_string(),
            ),
        }
    }
}

impl fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for PasswordProblem {}

/// Checks a new password for the account `name`.
pub fn check_password(password: &str, name: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort { chars });
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong { chars });
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Err(PasswordProblem::Common);
    }
    if name.chars().count() >= 3 && lower.contains(&name.to_lowercase()) {
        return Err(PasswordProblem::ContainsName);
    }
    Ok(())
}

fn is_common(lower: &str) -> bool {
    let listed = COMMON_PASSWORDS.lines().any(|line| !line.starts_with('#') && line.trim() == lower);
    let chars: Vec<char> = lower.chars().collect();
    let repeated = chars.iter().all(|c| *c == chars[0]);
    // 12345678, 87654321, abcdefgh: each character one step from the last.
    let step = |a: char, b: char| b as i64 - a as i64;
    let consecutive =
        chars.windows(2).all(|w| step(w[0], w[1]) == 1) || chars.windows(2).all(|w| step(w[0], w[1]) == -1);
    listed || repeated || consecutive
}

/// The argon2id hash of `password` with a fresh salt, in PHC string form. The
/// parameters are argon2's defaults (19 MiB, 2 passes, 1 lane), OWASP's first choice.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
}

/// Whether `password` matches `hash` (the comparison inside argon2 is constant-time).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to verify against when the account does not exist, so a sign-in with an
/// unknown name takes as long as one with a wrong password (no user enumeration by
/// timing).
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a password anyone has"))
}

/// An account change the rules refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountError {
    NameTaken {
        name: String,
    },
    UnknownUser {
        name: String,
    },
    /// A name with characters other than letters, digits, `.`, `_`, `-`, or too long.
    BadName {
        name: String,
    },
    /// A filer without a lead unit, or another role with one.
    UnitForFilersOnly {
        role: Role,
        unit: Option<String>,
    },
    Password(PasswordProblem),
    /// The last enabled administrator cannot be disabled or lose the role: nobody
    /// could manage accounts afterwards.
    LastAdmin {
        name: String,
    },
    /// The account is disabled (it was disabled while signing in).
    Disabled {
        name: String,
    },
}

impl Localize for AccountError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            AccountError::NameTaken { name } => lang.choose(
                format!("用户名 {name} 已被使用；请换一个名字，或用 `ontrack user list` 查看已有账户"),
                format!("the user name {name} is taken; choose another, or see `ontrack user list`"),
            ),
            AccountError::UnknownUser { name } => lang.choose(
                format!("没有名为 {name} 的账户；`ontrack user list` 列出全部账户"),
                format!("there is no account named {name}; `ontrack user list` lists them"),
            ),
            AccountError::BadName { name } => lang.choose(
                format!("用户名 {name} 不可用：只能用 1–64 个英文字母、数字和 . _ -（如 zhang.wei）"),
                format!("the user name {name} cannot be used: 1–64 letters, digits and . _ - only (such as zhang.wei)"),
            ),
            AccountError::UnitForFilersOnly { role: Role::Filer, .. } => lang.choose(
                "填报员必须指定牵头单位：加上 --unit 单位名称（与计划文件中 lead_unit 的写法一致）".to_string(),
                "a filer needs a lead unit: add --unit NAME (as the plan file's lead_unit writes it)".to_string(),
            ),
            AccountError::UnitForFilersOnly { role, .. } => lang.choose(
                format!("只有填报员有牵头单位；{} 不需要 --unit", role.name(lang)),
                format!("only filers have a lead unit; a {} takes no --unit", role.name(lang)),
            ),
            AccountError::Password(problem) => problem.localize(lang),
            AccountError::Disabled { name } => lang.choose(
                format!("账户 {name} 已停用；如需恢复，请管理员运行 `ontrack user enable {name}`"),
                format!("the account {name} is disabled; an administrator can run `ontrack user enable {name}`"),
            ),
            AccountError::LastAdmin { name } => lang.choose(
                format!("{name} 是最后一个可用的管理员账户，不能停用或改变角色；请先新建另一个管理员"),
                format!("{name} is the last enabled administrator and cannot be disabled or change role; add another administrator first"),
            ),
        }
    }
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for AccountError {}

/// Checks an account name: what the schema allows, said before it refuses.
pub fn check_name(name: &str) -> Result<(), AccountError> {
    let fine = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if fine {
        Ok(())
    } else {
        Err(AccountError::BadName { name: crate::escape::terminal(&name.chars().take(80).collect::<String>()) })
    }
}

/// Checks that a lead unit goes with a filer and only with a filer.
pub fn check_unit(role: Role, unit: Option<&str>) -> Result<(), AccountError> {
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    if (role == Role::Filer) == unit.is_some() {
        Ok(())
    } else {
        Err(AccountError::UnitForFilersOnly { role, unit: unit.map(str::to_string) })
    }
}

/// `N` bytes from the operating system's random generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random generator");
    bytes
}

/// A random token of 32 bytes in hex (a session id, a CSRF token).
pub fn random_token() -> String {
    hex(&random_bytes::<32>())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a session id, in hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A one-time password to read out or hand over: four groups of four from letters and
/// digits that cannot be mistaken for one another (no 0/O, 1/l/I), about 79 bits.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let bytes = random_bytes::<32>();
    let mut out = String::new();
    // Rejection sampling keeps every character equally likely.
    let mut chosen = bytes
        .iter()
        .filter(|b| (**b as usize) < 256 - 256 % ALPHABET.len())
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char);
    for group in 0..4 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..4 {
            out.push(
                chosen.next().unwrap_or_else(|| ALPHABET[random_bytes::<1>()[0] as usize % ALPHABET.len()] as char),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        let cases: &[(&str, &str, Result<(), PasswordProblem>)] = &[
            ("short", "alice", Err(PasswordProblem::TooShort { chars: 5 })),
            ("七个汉字的密码", "alice", Err(PasswordProblem::TooShort { chars: 7 })),
            ("八个汉字的好密码", "alice", Ok(())),
            ("password", "alice", Err(PasswordProblem::Common)),
            ("PassWord123", "alice", Err(PasswordProblem::Common)),
            ("woaini1314", "alice", Err(PasswordProblem::Common)),
            ("aaaaaaaaaa", "alice", Err(PasswordProblem::Common)),
            ("23456789", "alice", Err(PasswordProblem::Common)),
            ("hgfedcba", "alice", Err(PasswordProblem::Common)),
            ("alice-in-town", "alice", Err(PasswordProblem::ContainsName)),
            ("correct horse battery", "alice", Ok(())),
        ];
        for (password, name, expected) in cases {
            assert_eq!(&check_password(password, name), expected, "{password}");
        }
        assert_eq!(
            check_password(&"x".repeat(129).replace("xx", "xy"), "bob"),
            Err(PasswordProblem::TooLong { chars: 129 })
        );
    }

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let first = hash_password("correct horse battery");
        let second = hash_password("correct horse battery");
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
        assert_ne!(first, second, "a fresh salt each time");
        assert!(verify_password(&first, "correct horse battery"));
        assert!(!verify_password(&first, "correct horse batterz"));
        assert!(!verify_password("not a hash", "correct horse battery"));
    }

    #[test]
    fn tokens_and_one_time_passwords_are_random_and_well_formed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_hash("x").len(), 64);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &random_token()));
        let otp = one_time_password();
        assert_eq!(otp.len(), 19, "{otp}");
        assert!(check_password(&otp, "alice").is_ok());
        assert_ne!(otp, one_time_password());
    }
}
