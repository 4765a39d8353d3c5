//! `ontrack user` and `ontrack audit` at the command line: refusals that say why and
//! write nothing, the password rules for `--password-stdin`, the last administrator,
//! the audit log's formats and its append-only table, and a version-7 database
//! upgraded to accounts (docs/SECURITY.md names each test here).

use crate::support::Ontrack;

/// `user add` with a password on standard input.
fn add_with(ontrack: &Ontrack, args: &[&str], password: &str, en: bool) -> crate::support::Output {
    let mut full = vec!["user", "add"];
    full.extend_from_slice(args);
    full.push("--password-stdin");
    let mut run = if en { ontrack.run_en(full) } else { ontrack.run(full) };
    run.stdin(format!("{password}\n"));
    run.output()
}

#[test]
fn user_add_refusals_say_why_in_both_languages_and_write_nothing() {
    let ontrack = Ontrack::init();
    ontrack.run(["user", "add", "boss", "--role", "admin"]).success();
    let before = ontrack.dump();
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["张 三", "--role", "admin"],
            "用户名 张 三 不可用：只能用 1–64 个英文字母、数字和 . _ -",
            "the user name 张 三 cannot be used: 1–64 letters, digits and . _ - only",
        ),
        (
            &["fa", "--role", "filer"],
            "填报员必须指定牵头单位：加上 --unit",
            "a filer needs a lead unit: add --unit NAME",
        ),
        (&["fa", "--role", "filer", "--unit", "  "], "填报员必须指定牵头单位", "a filer needs a lead unit"),
        (
            &["rv", "--role", "reviewer", "--unit", "区发改委"],
            "只有填报员有牵头单位；审核员 不需要 --unit",
            "only filers have a lead unit; a reviewer takes no --unit",
        ),
        (
            &["boss", "--role", "leader"],
            "用户名 boss 已被使用；请换一个名字，或用 `ontrack user list` 查看已有账户",
            "the user name boss is taken; choose another, or see `ontrack user list`",
        ),
    ];
    for (args, zh, en) in cases {
        for (en_run, message) in [(false, zh), (true, en)] {
            let out = add_with(&ontrack, args, "a long enough phrase", en_run);
            assert_eq!(out.code, 1, "{args:?}\n{}", out.stderr);
            assert!(out.stderr.contains(message), "{args:?}: {message:?} in\n{}", out.stderr);
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        }
    }
    assert_eq!(ontrack.dump(), before, "nothing written, not even an audit line");
}

#[test]
fn a_password_from_standard_input_is_held_to_the_same_rules() {
    let ontrack = Ontrack::init();
    let before = ontrack.dump();
    let cases = [
        ("short", "密码只有 5 个字符，至少要 8 个", "the password has 5 characters; it needs at least 8"),
        ("password", "这个密码太常见", "this password is too common"),
        ("12345678", "这个密码太常见", "this password is too common"),
        ("zhang.wei's days", "密码不能包含用户名", "the password must not contain the user name"),
    ];
    for (password, zh, en) in cases {
        for (en_run, message) in [(false, zh), (true, en)] {
            let out = add_with(&ontrack, &["zhang.wei", "--role", "leader"], password, en_run);
            assert_eq!(out.code, 1, "{password}: {}", out.stderr);
            assert!(out.stderr.contains(message), "{password}: {message:?} in\n{}", out.stderr);
        }
    }
    assert_eq!(ontrack.dump(), before, "no account added");
    // `user reset` reads its password the same way.
    assert_eq!(add_with(&ontrack, &["zhang.wei", "--role", "leader"], "a fine long phrase", false).code, 0);
    let before = ontrack.dump();
    let mut reset = ontrack.run_en(["user", "reset", "zhang.wei", "--password-stdin"]);
    reset.stdin("password\n");
    reset.fails(1, "this password is too common");
    assert_eq!(ontrack.dump(), before, "the password stands");
}

#[test]
fn the_last_enabled_administrator_cannot_be_disabled() {
    let ontrack = Ontrack::init();
    ontrack.run(["user", "add", "boss", "--role", "admin"]).success();
    let before = ontrack.dump();
    ontrack
        .run_en(["user", "disable", "boss"])
        .fails(1, "boss is the last enabled administrator and cannot be disabled or change role");
    ontrack.run(["user", "disable", "boss"]).fails(1, "boss 是最后一个可用的管理员账户，不能停用或改变角色");
    assert_eq!(ontrack.dump(), before);
    ontrack.run(["user", "add", "deputy", "--role", "admin"]).success();
    ontrack.run(["user", "disable", "boss"]).success();
    // A disabled administrator is no administrator: deputy is now the last.
    ontrack.run_en(["user", "disable", "deputy"]).fails(1, "deputy is the last enabled administrator");
    ontrack.run(["user", "enable", "boss"]).success();
    ontrack.run(["user", "disable", "deputy"]).success();
    ontrack.run_en(["user", "disable", "nobody"]).fails(1, "there is no account named nobody");
}

/// Three account changes at three moments.
fn some_history() -> Ontrack {
    let ontrack = Ontrack::init();
    ontrack.run(["user", "add", "boss", "--role", "admin"]).env("ONTRACK_NOW", "2021-03-29T01:00:00Z").success();
    let mut add = ontrack.run(["user", "add", "fa", "--role", "filer", "--unit", "区发改委", "--password-stdin"]);
    add.stdin("a fine long phrase\n");
    add.env("ONTRACK_NOW", "2021-03-30T02:00:00Z").success();
    ontrack.run(["user", "disable", "fa"]).env("ONTRACK_NOW", "2021-03-31T03:00:00Z").success();
    ontrack
}

#[test]
fn audit_prints_the_log_as_a_table_json_and_csv_from_a_moment_or_the_last_lines() {
    let ontrack = some_history();
    insta::assert_snapshot!("audit_table_zh", ontrack.run(["audit"]).success().stdout);
    insta::assert_snapshot!("audit_table_en", ontrack.run_en(["audit"]).success().stdout);
    insta::assert_snapshot!("audit_csv", ontrack.run(["audit", "--format", "csv"]).success().stdout);
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut full = vec!["audit", "--format", "json"];
        full.extend_from_slice(args);
        let out = ontrack.run(full).success();
        serde_json::from_str::<serde_json::Value>(&out.stdout).expect("JSON").as_array().expect("a list").clone()
    };
    let all = json(&[]);
    assert_eq!(all.len(), 3);
    assert_eq!(
        all[1],
        serde_json::json!({"id": 2, "at": "2021-03-30T02:00:00.000000Z", "actor": "tester", "address": "cli",
                           "action": "user add", "outcome": "ok", "detail": "fa filer (区发改委)"})
    );
    let actions = |rows: Vec<serde_json::Value>| rows.iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(actions(json(&["--since", "2021-03-30"])), [2, 3], "a date is its start, UTC");
    assert_eq!(actions(json(&["--since", "2021-03-30T02:00:01Z"])), [3]);
    assert_eq!(actions(json(&["--since", "2021-04-01"])), Vec::<i64>::new());
    assert_eq!(actions(json(&["--last", "2"])), [2, 3], "the last lines, oldest first");
    assert_eq!(actions(json(&["--since", "2021-03-29", "--last", "1"])), [3]);
    ontrack.run_en(["audit", "--since", "yesterday"]).fails(1, "--since \"yesterday\" is not a date or time");
    ontrack.run(["audit", "--since", "yesterday"]).fails(1, "不是日期或时间；请写成 2020-10-15");
}

#[test]
fn the_audit_log_refuses_update_and_delete_whoever_writes() {
    let ontrack = some_history();
    let conn = rusqlite::Connection::open(&ontrack.db).expect("open");
    for sql in [
        "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 1",
        "UPDATE audit_log SET outcome = 'refused'",
        "DELETE FROM audit_log WHERE id = 3",
        "DELETE FROM audit_log",
    ] {
        let error = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(error.contains("the audit log is append-only"), "{sql}: {error}");
    }
    let count: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).expect("count");
    assert_eq!(count, 3);
    drop(conn);
    let out = ontrack.run(["audit", "--format", "json"]).success();
    assert!(!out.stdout.contains("nothing happened"));
}

/// A database the previous release (schema version 7, `tests/fixtures/schema-v7.sql`)
/// wrote, holding a plan, figures and a review, is upgraded to accounts: every row
/// kept, the new tables empty, `check` content, and accounts work on it.
#[test]
fn a_version_7_database_with_figures_upgrades_to_accounts_keeping_everything() {
    // The rows: made by today's commands on a database of their own, then copied into
    // a file built from the frozen version-7 schema, as a district's file would be.
    let source = Ontrack::init();
    source.run(["record", "new-roads", "2020Q1", "10", "--source", "区住建局"]).success();
    source.run(["record", "new-roads", "2020Q1", "11", "--revise", "--reason", "核实"]).success();
    source.run(["record", "new-roads", "2020Q2", "46"]).success();
    source.run(["review", "approve", "--period", "2020Q1", "--lead-unit", "区住房城乡建设局"]).success();
    let old = Ontrack::new();
    let (tables, copied): (Vec<String>, Vec<(String, String)>) = {
        let conn = rusqlite::Connection::open(&old.db).expect("create");
        conn.execute_batch(include_str!("../fixtures/schema-v7.sql")).expect("the version-7 schema");
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 7;",
            ontrack::store::APPLICATION_ID
        ))
        .expect("pragmas");
        conn.execute("ATTACH DATABASE ?1 AS src", [source.db.to_str().expect("path")]).expect("attach");
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
            )
            .expect("tables")
            .query_map([], |r| r.get(0))
            .expect("tables")
            .collect::<rusqlite::Result<_>>()
            .expect("tables");
        let mut copied: Vec<(String, String)> = Vec::new();
        for table in &tables {
            // The version-7 table's own columns: today's tables have more (plans.parent).
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}', 'main')"))
                .expect("columns")
                .query_map([], |r| r.get(0))
                .expect("columns")
                .collect::<rusqlite::Result<_>>()
                .expect("columns");
            let columns = columns.join(", ");
            conn.execute(&format!("INSERT INTO main.{table} ({columns}) SELECT {columns} FROM src.{table}"), [])
                .expect(table);
            copied.push((table.clone(), columns));
        }
        (tables, copied)
    };
    assert!(tables.contains(&"figure_events".to_string()) && !tables.contains(&"users".to_string()));
    let figures = |ontrack: &Ontrack| ontrack.run(["figures", "--format", "json"]).success().stdout;
    let history = |ontrack: &Ontrack| ontrack.run(["history", "new-roads", "--format", "json"]).success().stdout;
    let expected = (figures(&source), history(&source));
    // The first command opens and upgrades it.
    assert_eq!((figures(&old), history(&old)), expected);
    assert!(expected.0.contains("\"approved\""), "{}", expected.0);
    let conn = rusqlite::Connection::open(&old.db).expect("open");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, ontrack::store::SCHEMA_VERSION);
    conn.execute("ATTACH DATABASE ?1 AS src", [source.db.to_str().expect("path")]).expect("attach");
    for (table, columns) in &copied {
        let differ: i64 = conn
            .query_row(
                &format!(
                    "SELECT (SELECT count(*) FROM (SELECT {columns} FROM main.{table} EXCEPT SELECT {columns} FROM src.{table}))
                          + (SELECT count(*) FROM (SELECT {columns} FROM src.{table} EXCEPT SELECT {columns} FROM main.{table}))"
                ),
                [],
                |r| r.get(0),
            )
            .expect(table);
        assert_eq!(differ, 0, "{table} kept row for row");
    }
    for table in ["users", "sessions", "audit_log"] {
        let rows: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect(table);
        assert_eq!(rows, 0, "{table} starts empty: there is no default account");
    }
    drop(conn);
    old.run(["check"]).success();
    old.run(["user", "add", "boss", "--role", "admin"]).success();
    assert_eq!(old.run(["audit", "--format", "json"]).success().stdout.matches("\"user add\"").count(), 1);
    old.run(["check"]).success();
}

#[test]
fn check_finds_a_session_of_a_disabled_account() {
    let ontrack = some_history();
    ontrack.run(["check"]).success();
    // Written past the commands, which end a disabled account's sessions themselves.
    let conn = rusqlite::Connection::open(&ontrack.db).expect("open");
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at)
         SELECT printf('%064d', 1), id, printf('%064d', 2), '2021-03-31T04:00:00.000000Z', '2021-03-31T04:00:00.000000Z'
         FROM users WHERE name = 'fa'",
        [],
    )
    .expect("a planted session");
    drop(conn);
    let out = ontrack.run_en(["check"]).fails(1, "sessions-of-enabled-accounts");
    assert!(out.stdout.contains("account fa is disabled but has a session"), "{}", out.stdout);
    let out = ontrack.run(["check"]).fails(1, "sessions-of-enabled-accounts");
    assert!(out.stdout.contains("账户 fa 已停用，但仍有会话"), "{}", out.stdout);
}
