//! `cargo bench --bench desk`: the web desk under load (BENCHMARKS.md, "The web desk").
//!
//! The release binary serves a city-sized plan (`ontrack serve` on loopback, as a
//! district runs it); 50 writing clients, each a filer of its own lead unit, submit
//! a month's figures for ten of their targets per request through
//! `POST /api/v1/figures` (first every month's figures, then revisions of them with a
//! reason), and 50 reading clients load the dashboard, for 60 s
//! (`ONTRACK_BENCH_SECONDS` to change; `ONTRACK_BENCH_READERS=0` for the writers
//! alone). Readers ask for gzip, as browsers do. Then: every accepted figure must be in
//! the database exactly once, and no answer may be a 5xx. Beside it, in the same run, the
//! rate at which bare SQLite commits the same rows (same schema, same pragmas, ten rows
//! per transaction, one connection): the limit a desk that must commit every request
//! can approach.
//!
//! Clients speak HTTP/1.1 with keep-alive over plain TCP (a few lines below), so what
//! is measured is the desk, not a client library.

#[path = "scale/workload.rs"]
#[allow(dead_code)]
mod workload;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

const ONTRACK: &str = env!("CARGO_BIN_EXE_ontrack");
const NOW: &str = "2021-03-31T08:00:00Z";
const WRITERS: usize = 50;
const READERS: usize = 50;
/// Targets in the plan (a city's): each writer's unit leads TARGETS / WRITERS of them.
/// Once a writer has logged all twelve months of its targets it goes on with
/// revisions (a corrected value with a reason), as a unit correcting its figures does.
const TARGETS: usize = 1_000;
/// Figures per request: ten targets' figures for one month, as an entry form sends them.
const BATCH: usize = 10;
const PASSWORD: &str = "bench password 2020";
/// The write p99 is also given for each such stretch of the run: it grows as the
/// database does (BENCHMARKS.md).
const WINDOW_SECONDS: usize = 10;

/// Reading clients: `ONTRACK_BENCH_READERS` (0 to measure the writers alone), else 50.
fn readers_wanted() -> usize {
    std::env::var("ONTRACK_BENCH_READERS").ok().and_then(|n| n.parse().ok()).unwrap_or(READERS)
}

fn kib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

fn main() {
    let seconds: u64 = std::env::var("ONTRACK_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("desk.db");
    println!(
        "# the web desk under load: {WRITERS} writers, {} readers, {seconds} s, plan of {TARGETS} targets",
        readers_wanted()
    );
    println!("commit {}", git_commit());
    println!("load average before: {}", load_average());

    prepare(&db);
    let bare = bare_sqlite_rate(dir.path(), Duration::from_secs(5));

    let port = free_port();
    let mut server = Server(
        Command::new(ONTRACK)
            .args(["--db", db.to_str().unwrap(), "serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("ONTRACK_NOW", NOW)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ontrack serve starts"),
    );
    let address = format!("127.0.0.1:{port}");
    wait_for(&address);

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let outcome = runtime.block_on(run_load(&address, Duration::from_secs(seconds)));
    server.stop();
    let after_load = load_average();

    let mut stored = stored_figures(&db);
    let mut accepted = outcome.accepted.lock().unwrap().clone();
    let accepted_count = accepted.len();
    stored.sort();
    accepted.sort();
    let (lost, unexpected) = multiset_difference(&accepted, &stored);
    let secs = outcome.elapsed.as_secs_f64();
    let rate = accepted_count as f64 / secs;
    let mut writes: Vec<f64> = outcome.write_ms.lock().unwrap().iter().map(|(_, ms)| *ms).collect();
    let mut reads = outcome.read_ms.lock().unwrap().clone();
    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!("| figures accepted | {accepted_count} in {secs:.1} s = **{rate:.0} figures/s** |");
    println!(
        // p99.9 and the slowest too: the writer's own checkpoints, rarer than one
        // entry in a hundred, show only there.
        "| write requests ({BATCH} figures each) | {} · p50 {:.1} ms · p99 {:.1} ms · p99.9 {:.1} ms · slowest {:.1} ms |",
        writes.len(),
        pct(&mut writes, 0.50),
        pct(&mut writes, 0.99),
        pct(&mut writes, 0.999),
        pct(&mut writes, 1.0)
    );
    println!(
        "| dashboard reads | {} = {:.0}/s · p50 {:.1} ms · p99 {:.1} ms |",
        reads.len(),
        reads.len() as f64 / secs,
        pct(&mut reads, 0.50),
        pct(&mut reads, 0.99)
    );
    let page = outcome.dashboard.lock().unwrap().clone();
    if !page.is_empty() {
        let html = gunzip(&page);
        assert!(html.contains("</svg>") && html.ends_with("</html>"), "the last dashboard read is a whole page");
        println!(
            "| dashboard page as sent (gzip) · unzipped | {:.1} KiB · {:.1} KiB |",
            kib(page.len()),
            kib(html.len())
        );
    }
    let by_window: Vec<String> = outcome
        .write_windows()
        .into_iter()
        // The requests still out when the run stopped make a last stretch of their own.
        .filter(|(from, _)| (*from as u64) < seconds)
        .map(|(from, mut ms)| format!("{from}–{} s {:.0}", from + WINDOW_SECONDS, pct(&mut ms, 0.99)))
        .collect();
    println!("| write p99 (ms) by {WINDOW_SECONDS} s of the run | {} |", by_window.join(" · "));
    println!("| bare SQLite commits of the same rows, same run | {bare:.0} figures/s ({BATCH} per transaction) |");
    println!("| desk / bare SQLite | {:.2} |", rate / bare);
    println!("| 5xx answers | {} |", outcome.server_errors.load(Ordering::Relaxed));
    println!("| other refusals (4xx) | {} |", outcome.refusals.load(Ordering::Relaxed));
    println!("| accepted but not stored (lost) | {lost} |");
    println!("| stored but not accepted | {unexpected} |");
    println!("| load average after | {after_load} |");
    let ok = lost == 0 && unexpected == 0 && outcome.server_errors.load(Ordering::Relaxed) == 0;
    println!("\nnothing lost, no 5xx: {}", if ok { "yes" } else { "NO" });
    if !ok {
        std::process::exit(1);
    }
}

/// The database: the plan with one lead unit per writer, and the accounts.
fn prepare(db: &Path) {
    let plan = db.with_file_name("plan.toml");
    std::fs::write(&plan, plan_with_units(TARGETS, WRITERS)).unwrap();
    run(db, &["init", "--empty"], None);
    run(db, &["plan", "import", plan.to_str().unwrap()], None);
    for writer in 0..WRITERS {
        let unit = unit(writer);
        run(
            db,
            &["user", "add", &format!("filer{writer}"), "--role", "filer", "--unit", &unit, "--password-stdin"],
            Some(PASSWORD),
        );
    }
    for reader in 0..READERS {
        run(db, &["user", "add", &format!("leader{reader}"), "--role", "leader", "--password-stdin"], Some(PASSWORD));
    }
}

fn unit(writer: usize) -> String {
    format!("第{}局", writer + 1)
}

/// The workload's plan with `units` lead units, target `i` led by unit `i % units`.
fn plan_with_units(targets: usize, units: usize) -> String {
    let mut index = 0usize;
    let mut out = String::new();
    for line in workload::plan_toml(targets).lines() {
        if line.starts_with("lead_unit = ") {
            out.push_str(&format!("lead_unit = \"{}\"\n", unit(index % units)));
            index += 1;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn run(db: &Path, args: &[&str], stdin: Option<&str>) {
    use std::io::Write as _;
    let mut child = Command::new(ONTRACK)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ONTRACK_NOW", NOW)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(format!("{text}\n").as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "ontrack {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

struct Server(Child);

impl Server {
    fn stop(&mut self) {
        // SIGTERM: the desk finishes what it is doing and stops.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for(address: &str) {
    let start = Instant::now();
    while std::net::TcpStream::connect(address).is_err() {
        assert!(start.elapsed() < Duration::from_secs(30), "the desk did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Outcome {
    /// (target, period, value) of every figure the desk accepted.
    accepted: Mutex<Vec<(String, String, String)>>,
    /// (seconds into the run when it was sent, ms it took) of every write request.
    write_ms: Mutex<Vec<(f64, f64)>>,
    read_ms: Mutex<Vec<f64>>,
    server_errors: AtomicU64,
    refusals: AtomicU64,
    /// The last dashboard page read, as sent (gzip, as a browser asks for it).
    dashboard: Mutex<Vec<u8>>,
    elapsed: Duration,
}

async fn run_load(address: &str, duration: Duration) -> Outcome {
    let shared = Arc::new(Outcome {
        accepted: Mutex::new(Vec::new()),
        write_ms: Mutex::new(Vec::new()),
        read_ms: Mutex::new(Vec::new()),
        server_errors: AtomicU64::new(0),
        refusals: AtomicU64::new(0),
        dashboard: Mutex::new(Vec::new()),
        elapsed: Duration::ZERO,
    });
    let stop = Arc::new(AtomicBool::new(false));
    // Sign everyone in first: sign-in is argon2id, meant to be slow, and not what this measures.
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        writers.push(Client::login(address, &format!("filer{writer}")).await);
    }
    let mut readers = Vec::new();
    for reader in 0..readers_wanted() {
        readers.push(Client::login(address, &format!("leader{reader}")).await);
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (writer, mut client) in writers.into_iter().enumerate() {
        let (shared, stop) = (shared.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            // This writer's targets, ten at a time, month by month.
            let mine: Vec<String> = (0..TARGETS).filter(|i| i % WRITERS == writer).map(workload::code).collect();
            'rounds: for round in 0usize.. {
                for month in 1..=12u8 {
                    for chunk in mine.chunks(BATCH) {
                        if stop.load(Ordering::Relaxed) {
                            break 'rounds;
                        }
                        let period = format!("2020-{month:02}");
                        let figures: Vec<(String, String, String)> = chunk
                            .iter()
                            .enumerate()
                            // Between 50 and 89 whatever the round (a share above 100 % is refused),
                            // and never the window's last value (a revision must change it).
                            .map(|(i, code)| (code.clone(), period.clone(), format!("{}", 50 + (i + usize::from(month) + round) % 40)))
                            .collect();
                        let rows: Vec<serde_json::Value> = figures
                            .iter()
                            .map(|(code, period, value)| {
                                let mut row = serde_json::json!({"target": code, "period": period, "value": value, "source": "bench"});
                                if round > 0 {
                                    row["reason"] = serde_json::json!(format!("correction {round}"));
                                }
                                row
                            })
                            .collect();
                        let began = Instant::now();
                        let status = client.post("/api/v1/figures", &serde_json::Value::Array(rows).to_string()).await;
                        let ms = began.elapsed().as_secs_f64() * 1e3;
                        shared.write_ms.lock().unwrap().push(((began - start).as_secs_f64(), ms));
                        match status {
                            200..=299 => shared.accepted.lock().unwrap().extend(figures),
                            500.. => {
                                shared.server_errors.fetch_add(1, Ordering::Relaxed);
                            }
                            _ => {
                                shared.refusals.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                }
            }
        }));
    }
    for mut client in readers {
        let (shared, stop) = (shared.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let began = Instant::now();
                let (status, _, body) = client.request("GET", "/", None).await;
                shared.read_ms.lock().unwrap().push(began.elapsed().as_secs_f64() * 1e3);
                *shared.dashboard.lock().unwrap() = body;
                if status >= 500 {
                    shared.server_errors.fetch_add(1, Ordering::Relaxed);
                } else if status >= 400 {
                    shared.refusals.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    let shared = Arc::try_unwrap(shared).ok().expect("every task is done");
    Outcome { elapsed, ..shared }
}

impl Outcome {
    /// The write times of each `WINDOW_SECONDS` of the run, by when they were sent.
    fn write_windows(&self) -> Vec<(usize, Vec<f64>)> {
        let mut windows: Vec<(usize, Vec<f64>)> = Vec::new();
        for (at, ms) in self.write_ms.lock().unwrap().iter() {
            let from = (*at as usize) / WINDOW_SECONDS * WINDOW_SECONDS;
            match windows.iter_mut().find(|(start, _)| *start == from) {
                Some((_, times)) => times.push(*ms),
                None => windows.push((from, vec![*ms])),
            }
        }
        windows.sort_by_key(|(from, _)| *from);
        windows
    }
}

/// An HTTP/1.1 client on one kept-alive connection, with the session cookie and token.
struct Client {
    stream: BufReader<TcpStream>,
    address: String,
    cookie: String,
    csrf: String,
}

impl Client {
    async fn login(address: &str, name: &str) -> Client {
        let tcp = TcpStream::connect(address).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let stream = BufReader::new(tcp);
        let mut client = Client { stream, address: address.to_string(), cookie: String::new(), csrf: String::new() };
        let body = serde_json::json!({"username": name, "password": PASSWORD}).to_string();
        let (status, headers, body) = client.request("POST", "/api/v1/login", Some(&body)).await;
        assert_eq!(status, 200, "sign-in of {name}: {}", String::from_utf8_lossy(&body));
        let cookie = headers
            .iter()
            .find_map(|(k, v)| (k == "set-cookie").then(|| v.split(';').next().unwrap().to_string()))
            .expect("a session cookie");
        client.cookie = cookie;
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
        client.csrf = answer["csrf"].as_str().unwrap().to_string();
        client
    }

    async fn post(&mut self, path: &str, body: &str) -> u16 {
        self.request("POST", path, Some(body)).await.0
    }

    async fn request(&mut self, method: &str, path: &str, body: Option<&str>) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n", self.address);
        if method == "GET" {
            // What Chromium sends; the clients here keep what they read as it came.
            head.push_str("Accept-Encoding: gzip, deflate, br, zstd\r\n");
        }
        if !self.cookie.is_empty() {
            head.push_str(&format!("Cookie: {}\r\nX-CSRF-Token: {}\r\n", self.cookie, self.csrf));
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let stream = self.stream.get_mut();
        stream.write_all(head.as_bytes()).await.unwrap();
        if let Some(body) = body {
            stream.write_all(body.as_bytes()).await.unwrap();
        }
        let mut line = String::new();
        self.stream.read_line(&mut line).await.unwrap();
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status line");
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.unwrap();
            let text = line.trim_end();
            if text.is_empty() {
                break;
            }
            if let Some((key, value)) = text.split_once(':') {
                let key = key.trim().to_ascii_lowercase();
                if key == "content-length" {
                    length = value.trim().parse().unwrap();
                }
                headers.push((key, value.trim().to_string()));
            }
        }
        let mut body = vec![0u8; length];
        self.stream.read_exact(&mut body).await.unwrap();
        (status, headers, body)
    }
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read as _;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("the dashboard comes as one gzip stream");
    text
}

/// (target, period, value) of every figure row in the database, revisions included.
fn stored_figures(db: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(db).unwrap();
    let mut statement =
        conn.prepare("SELECT t.code, a.period, a.value FROM actuals a JOIN targets t ON t.id = a.target_id").unwrap();
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, format!("{}", r.get::<_, f64>(2)?)))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

/// How many of `a` are missing from `b`, and of `b` from `a` (both sorted; duplicates count).
fn multiset_difference<T: Ord>(a: &[T], b: &[T]) -> (usize, usize) {
    let (mut i, mut j, mut only_a, mut only_b) = (0, 0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                only_a += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_b += 1;
                j += 1;
            }
        }
    }
    (only_a + a.len() - i, only_b + b.len() - j)
}

/// Figures per second that bare SQLite commits into the same schema with the same
/// pragmas (WAL, synchronous NORMAL, foreign keys), BATCH rows per IMMEDIATE
/// transaction, a prepared statement reused: the ceiling for a desk that commits each
/// request before it answers.
fn bare_sqlite_rate(dir: &Path, duration: Duration) -> f64 {
    let db = dir.join("bare.db");
    let plan = dir.join("plan.toml");
    run(&db, &["init", "--empty"], None);
    run(&db, &["plan", "import", plan.to_str().unwrap()], None);
    let mut conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;").unwrap();
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM targets ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let start = Instant::now();
    let mut written = 0usize;
    'outer: for month in 1..=12i64 {
        for chunk in ids.chunks(BATCH) {
            if start.elapsed() >= duration {
                break 'outer;
            }
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO actuals (target_id, period_end, period, value, source, recorded_by, recorded_at)
                         VALUES (?1, ?2, ?3, ?4, 'bench', 'bench', '2021-03-31T08:00:00.000000Z')",
                    )
                    .unwrap();
                for id in chunk {
                    insert.execute(params![id, 202000 + month, format!("2020-{month:02}"), 50.0]).unwrap();
                }
            }
            tx.commit().unwrap();
            written += chunk.len();
        }
    }
    written as f64 / start.elapsed().as_secs_f64()
}

fn pct(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    values[((values.len() as f64 - 1.0) * q).round() as usize]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn git_commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
