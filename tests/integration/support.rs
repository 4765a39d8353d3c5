//! The test builder: `Ontrack::init().run(["targets"]).success()`.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The clock every test runs at unless it says otherwise: after the 2020 year's end,
/// so every 2020 period is in the past.
pub const FIXED_NOW: &str = "2021-03-31T08:00:00Z";

/// A temporary directory with a database path in it.
pub struct Ontrack {
    pub dir: TempDir,
    pub db: PathBuf,
    pub now: String,
}

impl Ontrack {
    /// A temporary directory without a database yet.
    pub fn new() -> Ontrack {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ontrack.db");
        Ontrack { dir, db, now: FIXED_NOW.to_string() }
    }

    /// A database with the built-in plan loaded.
    pub fn init() -> Ontrack {
        let ontrack = Ontrack::new();
        ontrack.run(["init"]).success();
        ontrack
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file in the temporary directory and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// A command against this database, in English (`--lang en`): for tests that check
    /// the English wording of a message.
    pub fn run_en<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_os_string()).collect();
        // A test that names its language keeps it.
        if !args.iter().any(|a| a == "--lang") {
            args.splice(0..0, ["--lang".into(), "en".into()]);
        }
        self.run(args)
    }

    /// A command against this database.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ontrack"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("ONTRACK_DB", &self.db)
            .env("ONTRACK_NOW", &self.now)
            .env_remove("ONTRACK_BUSY_TIMEOUT_MS")
            .env("LANG", "C")
            .env("USER", "tester")
            .stdin(Stdio::null());
        Run { command, input: None }
    }

    /// A logical dump of the whole database (schema and every row), for "nothing
    /// changed" checks. Reads without writing.
    pub fn dump(&self) -> String {
        dump(&self.db)
    }
}

/// A database as an earlier release left it: `schema` (a frozen `tests/fixtures/schema-vN.sql`)
/// at schema version `version`, with plan `old-2020` (one section, the target `roads`)
/// and its Q2 figure of 40 logged by 老版本; then `more` (SQL) for what a test adds.
/// The next write through ontrack upgrades it.
pub fn old_database(schema: &str, version: i64, more: &str) -> Ontrack {
    let ontrack = Ontrack::new();
    let conn = rusqlite::Connection::open(&ontrack.db).expect("create");
    conn.execute_batch(schema).expect("the old schema");
    conn.execute_batch(&format!(
        "PRAGMA application_id = 1330533458; PRAGMA user_version = {version};
         INSERT INTO plans (id, org, year, loaded_at, load_seq)
             VALUES ('old-2020', '旧区', 2020, '2020-01-05T00:00:00.000000Z', 1);
         INSERT INTO sections (plan_id, id, position, title) VALUES ('old-2020', 'main', 0, '主要预期目标');
         INSERT INTO targets (plan_id, code, position, section_id, name, kind, measure, cmp, value, unit,
                              frequency, lead_unit, quote)
             VALUES ('old-2020', 'roads', 0, 'main', '新建道路', 'count', 'ytd', 'reach', 92, '条', 'quarter',
                     '区住房城乡建设局', '新建道路92条');
         INSERT INTO actuals (target_id, period_end, period, value, recorded_by, recorded_at)
             VALUES (1, 202006, '2020Q2', 40, '老版本', '2020-07-10T02:00:00.000000Z');"
    ))
    .expect("the old rows");
    conn.execute_batch(more).expect("the test's own rows");
    drop(conn);
    ontrack
}

/// Dumps a database read-only: schema then every row of every table, in order.
pub fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut out = String::new();
    let mut tables = Vec::new();
    {
        let mut statement = conn.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name").unwrap();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let (kind, name, sql): (String, String, Option<String>) =
                (row.get(0).unwrap(), row.get(1).unwrap(), row.get(2).unwrap());
            out.push_str(&format!("{kind} {name}: {}\n", sql.unwrap_or_default()));
            if kind == "table" {
                tables.push(name);
            }
        }
    }
    for pragma in ["user_version", "application_id"] {
        let value: i64 = conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0)).unwrap();
        out.push_str(&format!("{pragma} = {value}\n"));
    }
    for table in tables {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid")).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..columns).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect();
            out.push_str(&format!("{table}: {}\n", cells.join(" | ")));
        }
    }
    out
}

pub struct Run {
    pub command: Command,
    /// What standard input gives (none: it is closed).
    pub input: Option<Vec<u8>>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub bytes: Vec<u8>,
}

impl Run {
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Run {
        self.command.env(key, value);
        self
    }

    /// Gives `text` on standard input (`--password-stdin`).
    pub fn stdin(&mut self, text: impl AsRef<[u8]>) -> &mut Run {
        self.input = Some(text.as_ref().to_vec());
        self
    }

    pub fn output(mut self) -> Output {
        let output = match self.input.take() {
            None => self.command.output().expect("run ontrack"),
            Some(input) => {
                use std::io::Write as _;
                let mut child = self
                    .command
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("run ontrack");
                // A refusal may come before the input is read: the pipe is then closed.
                match child.stdin.take().expect("stdin").write_all(&input) {
                    Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
                    written => written.expect("write stdin"),
                }
                child.wait_with_output().expect("run ontrack")
            }
        };
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            bytes: output.stdout,
        }
    }

    /// Runs and asserts exit code 0.
    pub fn success(self) -> Output {
        let output = self.output();
        assert_eq!(output.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", output.stdout, output.stderr);
        output
    }

    /// Runs and asserts the exit code and that stderr contains `message`; no panic.
    pub fn fails(self, code: i32, message: &str) -> Output {
        let output = self.output();
        assert_eq!(output.code, code, "exit code\nstdout:\n{}\nstderr:\n{}", output.stdout, output.stderr);
        assert!(output.stderr.contains(message), "stderr should contain {message:?}\nstderr:\n{}", output.stderr);
        assert!(!output.stderr.contains("panicked"), "panic:\n{}", output.stderr);
        output
    }
}

/// The bad-input corpus: `tests/bad-inputs/cases.toml` over the files beside it.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad-inputs");

/// One case of the bad-input corpus.
#[derive(serde::Deserialize)]
pub struct CorpusCase {
    pub name: String,
    pub file: Option<String>,
    /// `directory`, `newer`, or a file of the corpus to pass as --db.
    pub db: Option<String>,
    /// Environment variables for this case (an empty value: set but empty).
    #[serde(default)]
    pub env: std::collections::BTreeMap<String, String>,
    /// Commands run before the case (each must succeed), e.g. a figure logged and
    /// approved before the refused transition; the database is compared after them.
    #[serde(default)]
    pub setup: Vec<Vec<String>>,
    pub args: Vec<String>,
    pub code: i32,
    pub message: String,
}

/// Every case of the bad-input corpus, in file order.
pub fn corpus_cases() -> Vec<CorpusCase> {
    #[derive(serde::Deserialize)]
    struct Corpus {
        cases: Vec<CorpusCase>,
    }
    let text = std::fs::read_to_string(Path::new(CORPUS).join("cases.toml")).unwrap();
    toml::from_str::<Corpus>(&text).unwrap().cases
}
