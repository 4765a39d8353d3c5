//! The menu, the reports page (downloads are `ontrack report`'s own bytes), the
//! accounts page (administrators only, through `ontrack user`'s functions, audited),
//! and `ontrack demo --serve` (demo accounts, loopback only).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use calamine::Reader as _;

use super::{Client, Desk, PASSWORD};
use crate::support::Ontrack;

/// The demo year's database (figures of the whole year) with a desk over it and a
/// leader signed in.
async fn demo_desk() -> (Desk, Client) {
    let mut ontrack = Ontrack::new();
    ontrack.run(["demo", "--dir", "demo"]).success();
    ontrack.db = ontrack.path("demo/ontrack.db");
    let desk = Desk::over(ontrack);
    desk.user("lin", "leader", None);
    let client = desk.signed_in("lin").await;
    (desk, client)
}

/// The text of the element with `id` (up to its next `<`).
fn element_text(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[start..];
    let open = rest.find('>')? + 1;
    let close = rest[open..].find('<')?;
    Some(rest[open..open + close].trim().to_string())
}

fn audit_json(desk: &Desk) -> serde_json::Value {
    let out = desk.ontrack.run_en(["audit", "--format", "json"]).success();
    serde_json::from_str(&out.stdout).expect("audit JSON")
}

/// The audit lines of `action`, as (actor, outcome, detail).
fn audit_lines(desk: &Desk, action: &str) -> Vec<(String, String, String)> {
    audit_json(desk)
        .as_array()
        .expect("an array")
        .iter()
        .filter(|line| line["action"] == action)
        .map(|line| {
            let text = |key: &str| line[key].as_str().unwrap_or_default().to_string();
            (text("actor"), text("outcome"), text("detail"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_download_is_exactly_what_ontrack_report_writes() {
    let (desk, mut client) = demo_desk().await;
    for (format, approved, query) in [
        ("md", false, "as_of=2020Q3"),
        ("csv", false, "as_of=2020Q3"),
        ("json", true, "as_of=2020-08&approved_only=1"),
        ("html", false, "as_of="),
    ] {
        let answer = client.get(&format!("/reports/download?format={format}&{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{format}: {}", answer.text());
        let mut args = vec!["report", "--format", format];
        match query {
            "as_of=2020Q3" => args.extend(["--as-of", "2020Q3"]),
            "as_of=2020-08&approved_only=1" => args.extend(["--as-of", "2020-08", "--approved-only"]),
            _ => {}
        }
        let cli = desk.ontrack.run(args).success();
        assert!(!cli.bytes.is_empty());
        assert!(answer.body == cli.bytes, "{format}: the download differs from `ontrack report`");
        let disposition = answer.header("content-disposition").expect("an attachment");
        let as_of = match query {
            "as_of=2020Q3" => "-2020Q3",
            "as_of=2020-08&approved_only=1" => "-2020-08",
            _ => "",
        };
        let approved = if approved { "-approved" } else { "" };
        assert_eq!(disposition, format!("attachment; filename=\"jinshui-2020-report{as_of}{approved}.{format}\""));
    }
    let types = [("md", "text/markdown"), ("csv", "text/csv"), ("json", "application/json"), ("html", "text/html")];
    for (format, kind) in types {
        let answer = client.get(&format!("/reports/download?format={format}")).await;
        assert!(answer.header("content-type").unwrap_or_default().starts_with(kind), "{format}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_workbook_download_has_the_sheets_of_ontrack_report() {
    let (desk, mut client) = demo_desk().await;
    let answer = client.get("/reports/download?format=xlsx&as_of=2020Q3").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(answer.header("content-disposition"), Some("attachment; filename=\"jinshui-2020-report-2020Q3.xlsx\""));
    desk.ontrack.run(["report", "--format", "xlsx", "--as-of", "2020Q3", "--out", "cli.xlsx"]).success();
    let cli = std::fs::read(desk.ontrack.path("cli.xlsx")).expect("the command's workbook");
    let sheets = |bytes: Vec<u8>| {
        let book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
        book.sheet_names().to_vec()
    };
    let size = answer.body.len();
    assert!(size.abs_diff(cli.len()) < 64, "sizes {size} and {}", cli.len());
    let names = sheets(answer.body);
    assert!(names.len() > 2, "{names:?}");
    assert_eq!(names, sheets(cli));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reports_page_offers_every_format_and_says_what_is_wrong_with_a_choice() {
    let (_desk, mut client) = demo_desk().await;
    let page = client.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for id in
        ["download-html", "download-xlsx", "download-md", "download-csv", "download-json", "as_of", "approved_only"]
    {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(html.contains("value=\"2020Q3\""), "the year's quarters are offered");
    let bad = client.get("/reports/download?format=md&as_of=2020Q9").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(element_text(&bad.text(), "problem-report").is_some_and(|m| m.contains("2020Q9")), "{}", bad.text());
    let unknown = client.get("/reports/download?format=pdf").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    client.lang = Some("en");
    let english = client.get("/reports/download?format=pdf").await;
    assert!(element_text(&english.text(), "problem-report").is_some_and(|m| m.contains("choose a report format")));
    let anonymous = Desk::new().client().get("/reports").await;
    assert_ne!(anonymous.status, StatusCode::OK, "signed-in people only");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_menu_offers_each_role_its_pages() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区统计局")).user("rev", "reviewer", None).user("boss", "admin", None);
    let menu = |html: &str| -> Vec<&str> {
        ["nav-dashboard", "nav-entry", "nav-review", "nav-completeness", "nav-reports", "nav-accounts"]
            .into_iter()
            .filter(|id| html.contains(&format!("id=\"{id}\"")))
            .collect()
    };
    let page = desk.signed_in("fa").await.get("/reports").await.text();
    assert_eq!(menu(&page), ["nav-dashboard", "nav-entry", "nav-reports"]);
    assert!(page.contains("id=\"nav-entry\" href=\"/entry\""), "{page}");
    let page = desk.signed_in("rev").await.get("/reports").await.text();
    assert_eq!(menu(&page), ["nav-dashboard", "nav-review", "nav-completeness", "nav-reports"]);
    let page = desk.signed_in("boss").await.get("/reports").await.text();
    assert_eq!(menu(&page), ["nav-dashboard", "nav-completeness", "nav-reports", "nav-accounts"]);
    assert!(page.contains("id=\"nav-accounts\" href=\"/accounts\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn only_an_administrator_may_see_or_change_accounts_and_a_refusal_is_audited() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区统计局")).user("lin", "leader", None).user("boss", "admin", None);
    for name in ["fa", "lin"] {
        let mut client = desk.signed_in(name).await;
        assert_eq!(client.get("/accounts").await.status, StatusCode::FORBIDDEN, "{name}");
        let add = client.post_form("/accounts", &[("name", "sneaky"), ("role", "admin"), ("unit", "")]).await;
        assert_eq!(add.status, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(client.post_form("/accounts/boss/disable", &[]).await.status, StatusCode::FORBIDDEN);
    }
    let listed = desk.ontrack.run(["user", "list", "--format", "json"]).success().stdout;
    let listed: serde_json::Value = serde_json::from_str(&listed).expect("JSON");
    let names: Vec<&str> = listed.as_array().unwrap().iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, ["boss", "fa", "lin"]);
    assert!(listed.as_array().unwrap().iter().all(|a| a["disabled_at"].is_null()), "{listed}");
    let denied = audit_lines(&desk, "accounts");
    assert_eq!(denied.len(), 6, "{denied:?}");
    assert!(denied.iter().all(|(_, outcome, _)| outcome == "denied"));
    let page = desk.signed_in("boss").await.get("/accounts").await;
    assert_eq!(page.status, StatusCode::OK);
    for name in ["fa", "lin", "boss"] {
        assert!(page.text().contains(&format!("id=\"account-{name}\"")), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_added_on_the_page_signs_in_with_the_one_time_password_shown_once() {
    let desk = Desk::new();
    desk.user("boss", "admin", None);
    let mut admin = desk.signed_in("boss").await;
    let added = admin.post_form("/accounts", &[("name", "zhang.wei"), ("role", "filer"), ("unit", "区统计局")]).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    let password = element_text(&added.text(), "one-time-password").expect("the password shown");
    assert_eq!(password.len(), 19, "{password}");
    assert_eq!(added.header("cache-control"), Some("no-store"));
    let list = admin.get("/accounts").await.text();
    assert!(list.contains("zhang.wei") && !list.contains(&password), "shown once only");
    let mut newcomer = desk.client();
    let signed = newcomer.login("zhang.wei", &password).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    assert_eq!(signed.json()["must_change_password"], true);
    assert_eq!(signed.json()["unit"], "区统计局");
    let first = newcomer.get("/reports").await;
    assert_eq!(first.header("location"), Some("/password"), "the password first: {:?}", first.status);
    let lines = audit_lines(&desk, "user add");
    let last = lines.last().expect("an audit line");
    assert_eq!(last, &("boss".to_string(), "ok".to_string(), "zhang.wei filer (区统计局)".to_string()));
    assert!(!audit_json(&desk).to_string().contains(&password), "never a password in the log");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_account_keeps_the_form_and_says_why_under_the_field() {
    let desk = Desk::new();
    desk.user("boss", "admin", None);
    let before = desk.ontrack.dump();
    let mut admin = desk.signed_in("boss").await;
    let after_login = desk.ontrack.dump();
    let unit = admin.post_form("/accounts", &[("name", "li.na"), ("role", "leader"), ("unit", "区统计局")]).await;
    assert_eq!(unit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(element_text(&unit.text(), "problem-unit").is_some_and(|m| m.contains("只有填报员")), "{}", unit.text());
    assert!(unit.text().contains("value=\"li.na\""), "the typed name is kept");
    let taken = admin.post_form("/accounts", &[("name", "boss"), ("role", "leader"), ("unit", "")]).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(element_text(&taken.text(), "problem-name").is_some_and(|m| m.contains("boss")));
    let filer = admin.post_form("/accounts", &[("name", "fa"), ("role", "filer"), ("unit", "")]).await;
    assert!(element_text(&filer.text(), "problem-unit").is_some());
    let role = admin.post_form("/accounts", &[("name", "x1"), ("role", "root"), ("unit", "")]).await;
    assert!(element_text(&role.text(), "problem-role").is_some());
    assert_ne!(before, after_login, "the sign-in itself is recorded");
    assert_eq!(after_login, desk.ontrack.dump(), "nothing saved by a refusal");
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_on_the_page_ends_the_account_s_session_and_a_reset_shows_a_new_one_time_password() {
    let desk = Desk::new();
    desk.user("fa", "filer", Some("区统计局")).user("boss", "admin", None);
    let mut filer = desk.signed_in("fa").await;
    assert_eq!(filer.get("/reports").await.status, StatusCode::OK);
    let mut admin = desk.signed_in("boss").await;
    let disabled = admin.post_form("/accounts/fa/disable", &[]).await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert_eq!(disabled.header("location"), Some("/accounts?disabled=fa"));
    assert_eq!(filer.get("/api/v1/status").await.status, StatusCode::UNAUTHORIZED, "the session ended");
    assert_eq!(desk.client().login("fa", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let notice = admin.get("/accounts?disabled=fa").await.text();
    assert!(element_text(&notice, "done").is_some_and(|m| m.contains("fa")), "{notice}");
    assert!(notice.contains("id=\"enable-fa\""), "{notice}");
    // A link cannot make the page claim a change that did not happen.
    let spoofed = admin.get("/accounts?disabled=boss").await.text();
    assert!(element_text(&spoofed, "done").is_none(), "boss is not disabled");
    let enabled = admin.post_form("/accounts/fa/enable", &[]).await;
    assert_eq!(enabled.header("location"), Some("/accounts?enabled=fa"));
    let reset = admin.post_form("/accounts/fa/reset", &[]).await;
    assert_eq!(reset.status, StatusCode::OK);
    let password = element_text(&reset.text(), "one-time-password").expect("a new password");
    assert_eq!(desk.client().login("fa", PASSWORD).await.status, StatusCode::UNAUTHORIZED, "the old one is gone");
    let signed = desk.client().login("fa", &password).await;
    assert_eq!(signed.json()["must_change_password"], true);
    assert_eq!(admin.post_form("/accounts/nobody/disable", &[]).await.status, StatusCode::NOT_FOUND);
    let last = admin.post_form("/accounts/boss/disable", &[]).await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY, "the last administrator stays");
    assert!(element_text(&last.text(), "problem-accounts").is_some_and(|m| m.contains("boss")));
    for action in ["user disable", "user enable", "user reset"] {
        let lines = audit_lines(&desk, action);
        assert_eq!(lines, [("boss".to_string(), "ok".to_string(), "fa".to_string())], "{action}");
    }
}

#[test]
fn only_demo_serve_makes_demo_accounts_and_only_on_loopback() {
    let ontrack = Ontrack::new();
    ontrack.run(["demo", "--dir", "demo"]).success();
    let listed = ontrack.run(["user", "list", "--format", "json"]).env("ONTRACK_DB", ontrack.path("demo/ontrack.db"));
    assert_eq!(listed.success().stdout.trim(), "[]", "no account without --serve");
    let refused = ontrack.run_en(["demo", "--dir", "open", "--serve", "--bind", "0.0.0.0:8080"]);
    let output = refused.fails(1, "the demo serves on a loopback address only");
    assert!(output.stderr.contains("0.0.0.0:8080"), "{}", output.stderr);
    assert!(!ontrack.path("open").exists(), "nothing made");
    let without = ontrack.run_en(["demo", "--dir", "other", "--bind", "127.0.0.1:9"]).output();
    assert_eq!(without.code, 2, "--bind needs --serve: {}", without.stderr);
    // Someone's own account in a demo database: a rerun does not replace it.
    let add =
        ontrack.run(["user", "add", "boss", "--role", "admin"]).env("ONTRACK_DB", ontrack.path("demo/ontrack.db"));
    add.success();
    ontrack.run_en(["demo", "--dir", "demo"]).fails(1, "accounts the demo did not add: boss");
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_serve_prints_one_account_per_role_and_serves_them_on_loopback() {
    let mut ontrack = Ontrack::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ontrack"))
        .args(["demo", "--dir", "demo", "--serve", "--bind", "127.0.0.1:0"])
        .current_dir(ontrack.dir.path())
        .env("ONTRACK_NOW", &ontrack.now)
        .env("LANG", "C")
        .env("USER", "tester")
        .env_remove("ONTRACK_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run ontrack demo --serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut accounts = Vec::new();
    let mut url = None;
    let mut in_accounts = false;
    while let Some(Ok(line)) = lines.next() {
        if line.starts_with("演示账户") {
            in_accounts = true;
        } else if in_accounts && line.starts_with("  demo-") {
            let words: Vec<&str> = line.split_whitespace().collect();
            accounts.push((words[0].to_string(), words[words.len() - 1].to_string(), line.clone()));
        } else if let Some(start) = line.find("http://") {
            url = line[start + 7..].split(|c: char| c == '（' || c.is_whitespace()).next().map(str::to_string);
            break;
        }
    }
    let url = url.expect("the address served");
    assert!(url.starts_with("127.0.0.1:") && !url.ends_with(":0"), "{url}");
    let names: Vec<&str> = accounts.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(names, ["demo-filer", "demo-reviewer", "demo-leader", "demo-admin"]);
    assert!(accounts[0].2.contains("区统计局"), "the filer files for a real lead unit: {}", accounts[0].2);
    // The desk answers on the printed address.
    let mut stream = std::net::TcpStream::connect(&url).expect("the desk listens");
    write!(stream, "GET /login HTTP/1.1\r\nHost: {url}\r\nConnection: close\r\n\r\n").expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Each printed password signs its account in, with nothing to change first.
    ontrack.db = ontrack.path("demo/ontrack.db");
    let desk = Desk::over(ontrack);
    for (name, password, _) in &accounts {
        let signed = desk.client().login(name, password).await;
        assert_eq!(signed.status, StatusCode::OK, "{name}");
        assert_eq!(signed.json()["must_change_password"], false, "{name}");
    }
    child.kill().expect("stop the demo desk");
    child.wait().expect("the demo desk stopped");
    // A rerun replaces a demo database holding the demo's own accounts.
    desk.ontrack.run(["demo", "--dir", "demo"]).success();
}
