//! The web desk walked in a real browser (docs/web-desk.md, "Tested in a real browser"):
//! Debian's Chromium, headless, driven through chromedriver (WebDriver, `fantoccini`)
//! against the real binary `ontrack serve` on a loopback port, as the people who use it
//! would: a filer enters a quarter's figures, a reviewer returns one and approves the
//! rest, the filer corrects it and sees the window locked, a leader reads the dashboard
//! on a phone-sized window, and the desk switches to English. Each step leaves a
//! screenshot in `target/screenshots/NN-name.png` to look at.
//!
//! Without chromedriver or Chromium the walk is skipped with a note, except under
//! `CI=true`, where it fails: `.ci/run` installs both.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use super::PASSWORD;
use crate::support::Ontrack;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A lead unit of the built-in plan with two quarterly targets: a rate and a count.
const UNIT: &str = "区人力资源社会保障局";
const RATE: &str = "unemployment-rate";
const TALENTS: &str = "high-level-talents";
const QUARTER: &str = "2020Q3";

/// How long one page may take to show what the walk waits for.
const PATIENCE: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn a_quarter_walked_in_chromium_filer_reviewer_leader() {
    let Some(driver_binary) = browser_installed() else { return };
    let started = Instant::now();

    let ontrack = Ontrack::init();
    add_user(&ontrack, "hr.clerk", "filer", Some(UNIT));
    add_user(&ontrack, "stats.reviewer", "reviewer", None);
    // The leader gets a one-time password, as `user add` gives one, and must change it.
    let leader_once = one_time_password(&ontrack, "district.leader", "leader");

    let desk = Desk::start(&ontrack);
    let browser = Browser::start(&driver_binary, &desk.base).await;
    let walk = Walk { client: &browser.client, base: &desk.base, ontrack: &ontrack, shots: Screenshots::new() };

    walk.filer_enters_the_quarter().await;
    let returned_reason = walk.reviewer_returns_one_figure().await;
    walk.filer_sees_the_reason_and_corrects(&returned_reason).await;
    walk.reviewer_approves_the_rest().await;
    walk.filer_finds_the_window_locked().await;
    walk.leader_reads_the_dashboard_on_a_phone(&leader_once).await;
    walk.the_desk_speaks_english().await;

    browser.close().await;
    drop(desk);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "the walk took {took:?}; it should stay under a minute");
}

struct Walk<'a> {
    client: &'a Client,
    base: &'a str,
    ontrack: &'a Ontrack,
    shots: Screenshots,
}

impl Walk<'_> {
    /// The filer signs in, opens the quarter's entry form, submits it with one count
    /// written with decimals (refused, next to that field, nothing saved), fixes it and
    /// submits again (saved).
    async fn filer_enters_the_quarter(&self) {
        self.goto("/login").await;
        self.shot("sign-in").await;
        self.sign_in("hr.clerk", PASSWORD).await;
        self.shot("filer-dashboard").await;

        self.goto(&format!("/entry?period={QUARTER}")).await;
        let form = self.find("form#entry").await;
        assert_eq!(form.attr("method").await.unwrap().as_deref().map(str::to_lowercase).as_deref(), Some("post"));
        assert_eq!(form.attr("action").await.unwrap().as_deref(), Some("/entry"));
        let period = self.find("form#entry input[type=hidden][name=period]").await;
        assert_eq!(period.prop("value").await.unwrap().as_deref(), Some(QUARTER));
        for code in [RATE, TALENTS] {
            for field in ["value", "source", "note"] {
                let input = self.find(&format!("input#{field}-{code}")).await;
                assert_eq!(input.attr("name").await.unwrap(), Some(format!("{field}.{code}")), "{field}-{code}");
            }
            // Nothing logged yet: no revision, so no reason asked.
            assert!(self.all(&format!("input#reason-{code}")).await.is_empty(), "reason-{code} before any figure");
        }

        self.type_into(&format!("input#value-{RATE}"), "3.2").await;
        self.type_into(&format!("input#source-{RATE}"), "劳动力调查").await;
        self.type_into(&format!("input#value-{TALENTS}"), "12.5").await;
        self.type_into(&format!("input#source-{TALENTS}"), "人才台账").await;
        self.shot("entry-typed").await;
        self.click("button#submit-entry").await;

        let problem = self.wait_for(&format!("p.problem#problem-{TALENTS}")).await;
        let said = problem.text().await.unwrap();
        assert!(said.contains("12.5"), "the problem names the value: {said}");
        assert_eq!(self.all("p.problem").await.len(), 1, "only the count is wrong");
        assert_eq!(self.status().await, 422);
        // The typed values are kept, so nothing has to be typed twice.
        assert_eq!(self.value_of(&format!("input#value-{RATE}")).await, "3.2");
        assert_eq!(self.value_of(&format!("input#value-{TALENTS}")).await, "12.5");
        assert_eq!(self.value_of(&format!("input#source-{RATE}")).await, "劳动力调查");
        self.shot_at(&format!("#problem-{TALENTS}"), "entry-refused").await;
        assert!(self.figures().is_empty(), "all or nothing: a refused form saves nothing");

        self.type_into(&format!("input#value-{TALENTS}"), "12").await;
        self.click("button#submit-entry").await;
        self.wait_for("p#saved").await;
        let url = self.client.current_url().await.unwrap();
        assert_eq!(url.path(), "/entry");
        assert!(url.query().is_some_and(|q| q.contains("saved=2")), "{url}");
        self.shot("entry-saved").await;

        let figures = self.figures();
        assert_eq!(
            states(&figures),
            vec![(TALENTS.into(), 12.0, "submitted".into()), (RATE.into(), 3.2, "submitted".into())]
        );
        self.sign_out().await;
    }

    /// The reviewer opens the queue, tries to return a figure without a reason (refused),
    /// then returns it with one.
    async fn reviewer_returns_one_figure(&self) -> String {
        self.sign_in("stats.reviewer", PASSWORD).await;
        self.open_review_queue().await;
        let talents = self.standing_id(TALENTS);
        let rate = self.standing_id(RATE);
        self.find(&format!("input[type=checkbox]#pick-{rate}[name=figure]")).await;
        let pick = self.find(&format!("input[type=checkbox]#pick-{talents}[name=figure]")).await;
        assert_eq!(pick.attr("value").await.unwrap(), Some(talents.to_string()));
        self.shot("review-queue").await;

        self.check(&format!("input#pick-{talents}")).await;
        self.click("button#return").await;
        let problem = self.wait_for("p.problem#problem-reason").await;
        assert!(!problem.text().await.unwrap().trim().is_empty());
        assert_eq!(self.status().await, 422);
        self.shot_at("#problem-reason", "return-without-reason").await;
        assert_eq!(self.state_of(TALENTS), "submitted", "a refused return changes nothing");

        let reason = "人才数与人社局台账不一致，请核对后重报".to_string();
        self.check(&format!("input#pick-{talents}")).await;
        self.type_into("textarea#reason", &reason).await;
        self.click("button#return").await;
        self.wait_for("p#reviewed").await;
        self.shot("returned").await;
        let figures = self.figures();
        let returned = figures.iter().find(|f| f["target"] == TALENTS).expect("talents figure");
        assert_eq!(returned["state"], "returned");
        assert_eq!(returned["state_reason"], reason.as_str());
        assert_eq!(self.state_of(RATE), "submitted");
        self.sign_out().await;
        reason
    }

    /// The filer sees why the figure came back and enters it again with a reason.
    async fn filer_sees_the_reason_and_corrects(&self, reason: &str) {
        self.sign_in("hr.clerk", PASSWORD).await;
        self.goto(&format!("/entry?period={QUARTER}")).await;
        let returned = self.find(&format!("p.returned#returned-{TALENTS}")).await;
        let said = returned.text().await.unwrap();
        assert!(said.contains(reason), "the reviewer's reason is shown: {said}");
        let state = self.find(&format!("span#state-{TALENTS}")).await.text().await.unwrap();
        assert!(state.contains("已退回"), "{state}");
        let state = self.find(&format!("span#state-{RATE}")).await.text().await.unwrap();
        assert!(state.contains("已报送"), "{state}");
        self.shot_at(&format!("#returned-{TALENTS}"), "filer-sees-return").await;

        self.type_into(&format!("input#value-{TALENTS}"), "13").await;
        self.type_into(&format!("input#reason-{TALENTS}"), "按人社局台账核对后更正").await;
        self.click("button#submit-entry").await;
        self.wait_for("p#saved").await;
        self.shot("corrected").await;
        assert_eq!(
            states(&self.figures()),
            vec![(TALENTS.into(), 13.0, "submitted".into()), (RATE.into(), 3.2, "submitted".into())]
        );
        self.sign_out().await;
    }

    /// The reviewer approves both standing figures at once.
    async fn reviewer_approves_the_rest(&self) {
        self.sign_in("stats.reviewer", PASSWORD).await;
        self.open_review_queue().await;
        for code in [RATE, TALENTS] {
            self.check(&format!("input#pick-{}", self.standing_id(code))).await;
        }
        self.click("button#approve").await;
        self.wait_for("p#reviewed").await;
        self.shot_at("button#reopen", "approved").await;
        assert_eq!(
            states(&self.figures()),
            vec![(TALENTS.into(), 13.0, "approved".into()), (RATE.into(), 3.2, "approved".into())]
        );
        // Approved figures move to the second list, where they can be reopened or voided.
        self.find("button#reopen").await;
        self.find("button#void").await;
        self.sign_out().await;
    }

    /// Approved windows are locked on the filer's form.
    async fn filer_finds_the_window_locked(&self) {
        self.sign_in("hr.clerk", PASSWORD).await;
        self.goto(&format!("/entry?period={QUARTER}")).await;
        for code in [RATE, TALENTS] {
            let input = self.find(&format!("input#value-{code}")).await;
            assert!(!input.is_enabled().await.unwrap(), "{code}: an approved window is locked");
            let state = self.find(&format!("span#state-{code}")).await.text().await.unwrap();
            assert!(state.contains("已审核"), "{code}: {state}");
        }
        assert!(self.all(&format!("p.returned#returned-{TALENTS}")).await.is_empty(), "no longer returned");
        self.shot_at(&format!("#value-{TALENTS}"), "locked").await;
        self.sign_out().await;
    }

    /// A leader, on a phone-sized window, signs in with the one-time password, changes
    /// it, and reads the dashboard and a target's page: the charts show, nothing
    /// overflows the 390 px width.
    async fn leader_reads_the_dashboard_on_a_phone(&self, once: &str) {
        self.client.set_window_size(390, 844).await.unwrap();
        let width = self.script("return window.innerWidth").await;
        assert_eq!(width, json!(390), "the window is a phone's width");

        self.goto("/login").await;
        self.type_into("input#username", "district.leader").await;
        self.type_into("input#password", once).await;
        self.click("form[action='/login'] button[type=submit]").await;
        self.wait_for("input#new").await;
        assert_eq!(self.client.current_url().await.unwrap().path(), "/password");
        self.shot("phone-must-change-password").await;
        self.type_into("input#old", once).await;
        self.type_into("input#new", "a leader's own long passphrase").await;
        self.click("form[action='/password'] button[type=submit]").await;
        let chart = self.wait_for("div.chart svg").await;
        assert_eq!(self.client.current_url().await.unwrap().path(), "/");
        assert!(chart.is_displayed().await.unwrap(), "the overview chart is visible");
        let (_, _, chart_width, chart_height) = chart.rectangle().await.unwrap();
        assert!(chart_width > 300.0 && chart_height > 100.0, "a readable chart: {chart_width}×{chart_height}");
        self.assert_no_sideways_scroll("dashboard").await;
        self.shot("phone-dashboard").await;
        self.script("window.scrollTo(0, document.querySelector('div.chart').offsetTop)").await;
        self.shot("phone-dashboard-chart").await;
        self.find("a#nav-dashboard").await;
        self.find("a#nav-reports").await;
        assert!(self.all("a#nav-entry").await.is_empty(), "a leader enters no figures");

        self.goto(&format!("/targets/{TALENTS}")).await;
        let chart = self.find("div.chart svg").await;
        assert!(chart.is_displayed().await.unwrap());
        let figures = self.find("table#figures").await.text().await.unwrap();
        assert!(figures.contains("13"), "{figures}");
        self.find("#history").await;
        self.assert_no_sideways_scroll("target page").await;
        self.shot("phone-target").await;
    }

    /// `?lang=en` switches to English and sticks for the next page.
    async fn the_desk_speaks_english(&self) {
        self.client.set_window_size(1280, 900).await.unwrap();
        self.goto("/?lang=en").await;
        assert_eq!(self.find("html").await.attr("lang").await.unwrap().as_deref(), Some("en"));
        assert_eq!(self.find("a#nav-dashboard").await.text().await.unwrap().trim(), "Dashboard");
        self.goto("/").await;
        assert_eq!(self.find("html").await.attr("lang").await.unwrap().as_deref(), Some("en"), "the choice sticks");
        let sign_out = self.find("form[action='/logout'] button[type=submit]").await.text().await.unwrap();
        assert_eq!(sign_out.trim(), "Sign out");
        self.find("div.chart svg").await;
        // Every word the desk says in English: no Chinese character but the switch back.
        // Table cells are left out: a lead unit's name (区统计局) is data, and has no
        // English name in the plan.
        let said = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('header, h1, h2, th, p, label, button, option'))\
                 .map(e => e.innerText).join('\\n')",
                vec![],
            )
            .await
            .unwrap();
        let text = said.as_str().unwrap_or_default().replace("中文", "");
        let chinese: String = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).collect();
        assert!(chinese.is_empty(), "Chinese left on the English dashboard: {chinese}\n{text}");
        self.shot("english-dashboard").await;
        self.goto("/?lang=zh").await;
        assert_eq!(self.find("html").await.attr("lang").await.unwrap().as_deref(), Some("zh-CN"));
    }

    // What a person does.

    async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    async fn sign_in(&self, name: &str, password: &str) {
        self.goto("/login").await;
        self.type_into("input#username", name).await;
        self.type_into("input#password", password).await;
        self.click("form[action='/login'] button[type=submit]").await;
        self.wait_for("form[action='/logout']").await;
        assert_eq!(self.client.current_url().await.unwrap().path(), "/", "{name} lands on the dashboard");
    }

    async fn sign_out(&self) {
        self.click("form[action='/logout'] button[type=submit]").await;
        self.wait_for("input#username").await;
    }

    async fn open_review_queue(&self) {
        let unit: String = url_encode(UNIT);
        self.goto(&format!("/review?period={QUARTER}&lead_unit={unit}")).await;
    }

    /// Clears a field and types into it, as a person does.
    async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
        input.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Ticks a checkbox (left as it is when already ticked).
    async fn check(&self, css: &str) {
        let checkbox = self.find(css).await;
        if !checkbox.is_selected().await.unwrap() {
            checkbox.click().await.unwrap_or_else(|e| panic!("tick {css}: {e}"));
        }
    }

    // What the walk looks at.

    async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("{css} is not on {}: {e}\n{}", self.here().await, self.page_text().await),
        }
    }

    async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap()
    }

    /// Waits for an element of the next page (after a form is sent).
    async fn wait_for(&self, css: &str) -> Element {
        match self.client.wait().at_most(PATIENCE).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("{css} did not appear on {}: {e}\n{}", self.here().await, self.page_text().await),
        }
    }

    async fn value_of(&self, css: &str) -> String {
        self.find(css).await.prop("value").await.unwrap().unwrap_or_default()
    }

    async fn script(&self, code: &str) -> Value {
        self.client.execute(code, Vec::new()).await.unwrap_or_else(|e| panic!("{code}: {e}"))
    }

    /// The HTTP status of the page shown (the browser's own record of its navigation).
    async fn status(&self) -> u64 {
        let status = self.script("return performance.getEntriesByType('navigation')[0].responseStatus").await;
        status.as_u64().unwrap_or_else(|| panic!("no status: {status}"))
    }

    async fn assert_no_sideways_scroll(&self, page: &str) {
        let widths = self.script("return [document.documentElement.scrollWidth, window.innerWidth]").await;
        let (scroll, inner) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert!(scroll <= inner, "the {page} is {scroll} px wide in a {inner} px window: it scrolls sideways");
    }

    async fn here(&self) -> String {
        self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
    }

    async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// A screenshot with the element `css` scrolled to the middle of the window.
    async fn shot_at(&self, css: &str, name: &str) {
        self.client
            .execute("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", vec![json!(css)])
            .await
            .unwrap_or_else(|e| panic!("scroll to {css}: {e}"));
        self.shot(name).await;
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        self.shots.save(name, &png);
    }

    // What the database says, through the command line.

    /// The standing figures of the lead unit's quarter (`figures --format json`).
    fn figures(&self) -> Vec<Value> {
        let output =
            self.ontrack.run(["figures", "--period", QUARTER, "--lead-unit", UNIT, "--format", "json"]).success();
        match serde_json::from_str(&output.stdout) {
            Ok(Value::Array(figures)) => figures,
            other => panic!("figures --format json: {other:?}\n{}", output.stdout),
        }
    }

    fn standing_id(&self, code: &str) -> i64 {
        let figures = self.figures();
        let figure = figures.iter().find(|f| f["target"] == code).unwrap_or_else(|| panic!("no {code} figure"));
        figure["id"].as_i64().expect("id")
    }

    fn state_of(&self, code: &str) -> String {
        let figures = self.figures();
        let figure = figures.iter().find(|f| f["target"] == code).unwrap_or_else(|| panic!("no {code} figure"));
        figure["state"].as_str().expect("state").to_string()
    }
}

/// (target, value, state) of each figure, in the order of the target codes.
fn states(figures: &[Value]) -> Vec<(String, f64, String)> {
    let mut rows: Vec<(String, f64, String)> = figures
        .iter()
        .map(|f| {
            (
                f["target"].as_str().unwrap_or_default().to_string(),
                f["value"].as_f64().unwrap_or(f64::NAN),
                f["state"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

fn add_user(ontrack: &Ontrack, name: &str, role: &str, unit: Option<&str>) {
    let mut args = vec!["user", "add", name, "--role", role, "--password-stdin"];
    if let Some(unit) = unit {
        args.extend(["--unit", unit]);
    }
    let mut run = ontrack.run(args);
    run.stdin(format!("{PASSWORD}\n"));
    run.success();
}

/// Adds an account as an administrator does by default, and reads the one-time password
/// `user add` prints once.
fn one_time_password(ontrack: &Ontrack, name: &str, role: &str) -> String {
    let output = ontrack.run_en(["user", "add", name, "--role", role]).success();
    let prefix = format!("one-time password for {name}: ");
    output
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no one-time password in {}", output.stdout))
        .trim()
        .to_string()
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// chromedriver and Chromium, or `None` (with a note) when they are missing outside CI.
fn browser_installed() -> Option<PathBuf> {
    let missing: Vec<&str> = [CHROMEDRIVER, CHROMIUM].into_iter().filter(|p| !Path::new(p).exists()).collect();
    if missing.is_empty() {
        return Some(PathBuf::from(CHROMEDRIVER));
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} missing: .ci/run installs chromium and chromium-driver",
        missing.join(" and ")
    );
    eprintln!(
        "SKIPPED: the web desk's browser walk: {} missing (apt-get install chromium chromium-driver to run it; \
         under CI=true this fails)",
        missing.join(" and ")
    );
    None
}

/// A child process ended, with every process it started, when dropped: also when the
/// walk panics half-way, so no server or browser outlives the test.
struct Process {
    child: Child,
    what: &'static str,
}

impl Process {
    fn spawn(mut command: Command, what: &'static str) -> Process {
        use std::os::unix::process::CommandExt as _;
        // A process group of its own: chromedriver's browser and its helpers go with it.
        command.process_group(0).stdin(Stdio::null());
        let child = command.spawn().unwrap_or_else(|e| panic!("start {what}: {e}"));
        Process { child, what }
    }

    /// Waits until the process accepts connections on `port`.
    fn wait_listening(&mut self, port: u16) {
        let deadline = Instant::now() + PATIENCE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} ended before listening on port {port}: {status}", self.what);
            }
            assert!(Instant::now() < deadline, "{} is not listening on port {port} after {PATIENCE:?}", self.what);
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on loopback now (the child binds it a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port").port()
}

/// `ontrack serve` on this database, at the tests' fixed clock: what a person runs.
struct Desk {
    base: String,
    _process: Process,
}

impl Desk {
    fn start(ontrack: &Ontrack) -> Desk {
        let port = free_port();
        let mut command = ontrack.run(["serve", "--bind", &format!("127.0.0.1:{port}")]).command;
        command.stdout(Stdio::null());
        let mut process = Process::spawn(command, "ontrack serve");
        process.wait_listening(port);
        Desk { base: format!("http://127.0.0.1:{port}"), _process: process }
    }
}

/// chromedriver and the headless Chromium it drives.
struct Browser {
    client: Client,
    _profile: tempfile::TempDir,
    _driver: Process,
}

impl Browser {
    async fn start(driver: &Path, desk: &str) -> Browser {
        let port = free_port();
        let mut command = Command::new(driver);
        command.arg(format!("--port={port}")).arg("--log-level=WARNING").stdout(Stdio::null()).stderr(Stdio::null());
        let mut process = Process::spawn(command, "chromedriver");
        process.wait_listening(port);
        let profile = tempfile::tempdir().expect("browser profile");
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("chromedriver does not start Chromium ({desk}): {e}"));
        Browser { client, _profile: profile, _driver: process }
    }

    /// Ends the browser session (Chromium quits); chromedriver ends when dropped.
    async fn close(self) {
        let Browser { client, _profile, _driver } = self;
        client.close().await.expect("close the browser");
    }
}

/// `target/screenshots/NN-name.png`, numbered in the order taken; old ones removed first.
struct Screenshots {
    dir: PathBuf,
    taken: std::sync::atomic::AtomicU32,
}

impl Screenshots {
    fn new() -> Screenshots {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                if entry.path().extension().is_some_and(|e| e == "png") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        std::fs::create_dir_all(&dir).expect("target/screenshots");
        Screenshots { dir, taken: Default::default() }
    }

    fn save(&self, name: &str, png: &[u8]) {
        let n = self.taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let path = self.dir.join(format!("{n:02}-{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
