//! `import --dry-run` and `import` are one path: for every import of the bad-input
//! corpus, for good files and for files that clash with figures logged already, both
//! report the same problems with the same exit code; the dry run changes nothing, and
//! a clean import writes exactly the figures the dry run announced.

use std::path::{Path, PathBuf};

use crate::support::{dump, Ontrack, Output, CORPUS};

/// One file to import both ways, after `seed` (commands run first).
struct Case {
    name: String,
    file: PathBuf,
    /// Arguments before `import` (`--lang en`).
    lang: Vec<String>,
    seed: Vec<Vec<&'static str>>,
}

/// The imports of the corpus (with or without --dry-run there: each runs both ways
/// here), for a file, on the corpus's database and clock.
fn corpus_cases() -> Vec<Case> {
    let corpus = crate::support::corpus_cases();
    let mut cases = Vec::new();
    for case in corpus {
        let Some(file) = case.file else { continue };
        if case.db.is_some() || !case.env.is_empty() {
            continue;
        }
        let at = case.args.iter().position(|a| a == "import");
        // `plan import` and `bundle import` load other things than figures.
        let Some(at) = at.filter(|&at| at == 0 || !["plan", "bundle"].contains(&case.args[at - 1].as_str())) else {
            continue;
        };
        cases.push(Case {
            name: case.name,
            file: Path::new(CORPUS).join("files").join(file),
            lang: case.args[..at].to_vec(),
            seed: Vec::new(),
        });
    }
    assert!(cases.len() >= 30, "the corpus has {} imports", cases.len());
    cases
}

/// Good files, and files that clash with figures logged already (`seed`).
fn own_cases(dir: &Path) -> Vec<Case> {
    let file = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let logged = vec![
        vec!["record", "gdp-growth", "2020Q1", "-6.8", "--source", "区统计局"],
        vec!["record", "new-roads", "2020Q2", "40", "--source", "区住建局"],
    ];
    let case = |name: &str, path: PathBuf, seed: &Vec<Vec<&'static str>>| Case {
        name: name.to_string(),
        file: path,
        lang: Vec::new(),
        seed: seed.clone(),
    };
    vec![
        case(
            "a clean file with a blank row and a column not imported",
            file(
                "clean.csv",
                "target,period,value,source,remark\ngdp-growth,2020Q1,-6.8,区统计局,x\nnew-roads,2020Q2,,,\n\
                 new-roads,2020Q3,45,区住建局,\nunemployment-rate,2020Q3,3.1,,\n",
            ),
            &Vec::new(),
        ),
        case(
            "a clean file in Chinese headers with a revision of a logged figure",
            file("revise.csv", "指标代码,期间,数值,修订原因\ngdp-growth,2020Q1,-6.1,最终核实\nnew-roads,2020Q3,45,\n"),
            &logged,
        ),
        case(
            "a revision of a row earlier in the file",
            file("revise-row.csv", "target,period,value,reason\nnew-roads,2020Q3,45,\nnew-roads,2020-09,46,核实\n"),
            &Vec::new(),
        ),
        case(
            "a file imported again",
            file("again.csv", "target,period,value,source\ngdp-growth,2020Q1,-6.8,区统计局\nnew-roads,2020Q2,41,\n"),
            &logged,
        ),
        case(
            "a revision that changes nothing, and one of nothing",
            file(
                "unchanged.csv",
                "target,period,value,source,reason\nnew-roads,2020Q2,40,区住建局,核实\ngdp-growth,2020Q2,3.1,,核实\n",
            ),
            &logged,
        ),
        case(
            "a bad row, a logged window, and a window twice",
            file(
                "mixed.csv",
                "target,period,value\nnew-roads,2020Q3,x\ngdp-growth,2020Q1,-6.8\ngdp-growth,2020-03,-6.9\n\
                 new-roads,2020Q3,45\nnew-roads,2020-09,46\n",
            ),
            &logged,
        ),
        case(
            "the same logged window twice",
            file("twice.csv", "target,period,value\nnew-roads,2020Q2,41\nnew-roads,2020年上半年,42\n"),
            &logged,
        ),
    ]
}

fn import(ontrack: &Ontrack, case: &Case, dry_run: bool) -> Output {
    let mut args: Vec<String> = case.lang.clone();
    args.push("import".to_string());
    if dry_run {
        args.push("--dry-run".to_string());
    }
    args.push(case.file.display().to_string());
    ontrack.run_en(&args).output()
}

/// The figures written after id `after`: (target, period, value, reason), in order.
fn figures_after(db: &Path, after: i64) -> Vec<(String, String, f64, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT t.code, a.period, a.value, coalesce(a.reason, '') FROM actuals a JOIN targets t ON t.id = \
             a.target_id WHERE a.id > ?1 ORDER BY a.id",
        )
        .unwrap();
    statement
        .query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn last_id(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT coalesce(max(id), 0) FROM actuals", [], |r| r.get(0)).unwrap()
}

/// The dry run's listing (`│ line 4 ┆ gdp-growth ┆ 2020Q1 ┆ -6.8 ┆ reason │`): the
/// figures it announced, in order.
fn announced(stdout: &str) -> Vec<(String, String, f64, String)> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix('│')?.strip_suffix('│'))
        .map(|row| row.split('┆').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| cells.len() == 5 && cells[0].starts_with("line "))
        .map(|cells| {
            let value: f64 = cells[3].replace(',', "").parse().unwrap_or_else(|_| panic!("{cells:?}"));
            (cells[1].to_string(), cells[2].to_string(), value, cells[4].to_string())
        })
        .collect()
}

#[test]
fn dry_run_and_import_report_the_same_and_the_dry_run_writes_nothing() {
    let template = Ontrack::init();
    let own_dir = tempfile::tempdir().unwrap();
    let corpus = corpus_cases();
    let corpus_count = corpus.len();
    let mut failures = Vec::new();
    let mut clean = 0;
    for case in corpus.into_iter().chain(own_cases(own_dir.path())) {
        let mut ontrack = Ontrack::new();
        ontrack.now = "2020-10-15T09:00:00Z".to_string();
        std::fs::copy(&template.db, &ontrack.db).unwrap();
        for seed in &case.seed {
            ontrack.run(seed).success();
        }
        let before = dump(&ontrack.db);
        let first_new = last_id(&ontrack.db);
        let dry = import(&ontrack, &case, true);
        let mut problems = Vec::new();
        if dump(&ontrack.db) != before {
            problems.push("the dry run changed the database".to_string());
        }
        let real = import(&ontrack, &case, false);
        if dry.code != real.code {
            problems.push(format!("exit code {} dry, {} real", dry.code, real.code));
        }
        if real.code != 0 {
            if dry.stderr != real.stderr {
                problems.push(format!("different messages:\n  dry:  {}\n  real: {}", dry.stderr, real.stderr));
            }
            if dump(&ontrack.db) != before {
                problems.push("a refused import changed the database".to_string());
            }
        } else {
            clean += 1;
            // The same notes, then each run's own summary line.
            let notes = |out: &Output| out.stderr.lines().rev().skip(1).map(str::to_string).collect::<Vec<_>>();
            if notes(&dry) != notes(&real) {
                problems.push(format!("different notes:\n  dry:  {}\n  real: {}", dry.stderr, real.stderr));
            }
            let written = figures_after(&ontrack.db, first_new);
            if announced(&dry.stdout) != written {
                problems.push(format!("announced {:?}, wrote {written:?}", announced(&dry.stdout)));
            }
            let count = |out: &Output, word: &str| {
                out.stderr.split(word).nth(1).and_then(|rest| rest.split_whitespace().next()?.parse::<usize>().ok())
            };
            if count(&dry, "would write ") != Some(written.len()) || count(&real, "imported ") != Some(written.len()) {
                problems.push(format!("counts differ from {}:\n  {}\n  {}", written.len(), dry.stderr, real.stderr));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.name, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} cases differ:\n{}", failures.len(), failures.join("\n"));
    assert!(clean >= 3, "only {clean} clean imports: the comparison of what is written proves little");
    eprintln!("{corpus_count} corpus imports and the own cases: dry run and import agree");
}
