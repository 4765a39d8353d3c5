//! Every message a person reads follows `--lang`: for each command, a confirmation and
//! an error in Chinese (the default) and in English.

use crate::support::Ontrack;

/// One message to check: how to set up, what to run, whether it succeeds, and a phrase
/// each language's message must hold.
struct Case {
    name: &'static str,
    setup: fn(&Ontrack),
    args: &'static [&'static str],
    success: bool,
    zh: &'static str,
    en: &'static str,
}

fn nothing(_: &Ontrack) {}

fn init(ontrack: &Ontrack) {
    ontrack.run(["init"]).success();
}

fn init_with_figure(ontrack: &Ontrack) {
    init(ontrack);
    ontrack.run(["record", "gdp-growth", "2020Q1", "-6.8"]).success();
}

/// A city's database holding a district's plan from a bundle (the district's database
/// beside it), and the bundle file `district.bundle`.
fn city_with_bundle(ontrack: &Ontrack) {
    let district = ontrack.path("district.db");
    let district = district.to_str().unwrap();
    ontrack.run(["--db", district, "init"]).success();
    ontrack.run(["--db", district, "record", "gdp-growth", "2020Q1", "-6.8"]).success();
    ontrack.run(["--db", district, "bundle", "--plan", "jinshui-2020", "--out", "district.bundle"]).success();
    ontrack.run(["init", "--empty"]).success();
    ontrack.run(["bundle", "import", "district.bundle"]).success();
}

fn init_with_approved_figure(ontrack: &Ontrack) {
    init_with_figure(ontrack);
    ontrack.run(["review", "approve", "1", "--by", "统计科"]).success();
}

fn init_empty_with_files(ontrack: &Ontrack) {
    ontrack.run(["init", "--empty"]).success();
    files(ontrack);
}

fn init_with_files(ontrack: &Ontrack) {
    init(ontrack);
    files(ontrack);
}

fn files(ontrack: &Ontrack) {
    let plan = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/jinshui-2020.toml")).unwrap();
    ontrack.file("plan.toml", plan);
    ontrack.file("bad-plan.toml", "[plan]\nid = \"x\"\n");
    ontrack.file("good.csv", "target,period,value\ngdp-growth,2020Q1,-6.8\n");
    ontrack.file("bad.csv", "target,period,value\ngdp-growth,2020Q1,abc\n");
    ontrack.file("taken.db", "");
}

const CASES: &[Case] = &[
    Case {
        name: "figures",
        setup: init_with_approved_figure,
        args: &["figures"],
        success: true,
        zh: "已审核",
        en: "approved",
    },
    Case {
        name: "review approve",
        setup: init_with_figure,
        args: &["review", "approve", "1"],
        success: true,
        zh: "已审核 1 条数据",
        en: "1 figure approved",
    },
    Case {
        name: "review return without a reason",
        setup: init_with_figure,
        args: &["review", "return", "1"],
        success: false,
        zh: "退回 需要说明原因，未作任何更改：请加 --reason",
        en: "return needs a reason; nothing was changed",
    },
    Case {
        name: "approve an approved figure",
        setup: init_with_approved_figure,
        args: &["review", "approve", "1"],
        success: false,
        zh: "不能审核 gdp-growth 在 2020Q1 的数据 #1：它已审核（统计科 于",
        en: "cannot approve gdp-growth's figure #1 for 2020Q1: it is approved (by 统计科 at",
    },
    Case {
        name: "record in a locked window",
        setup: init_with_approved_figure,
        args: &["record", "gdp-growth", "2020Q1", "-6.5", "--revise", "--reason", "核实"],
        success: false,
        zh: "该期已锁定",
        en: "the window is locked",
    },
    Case {
        name: "void",
        setup: init_with_figure,
        args: &["void", "1", "--reason", "错报"],
        success: true,
        zh: "已作废 1 条数据",
        en: "1 figure voided",
    },
    Case {
        name: "void an unknown import",
        setup: init,
        args: &["void", "--import", "9", "--reason", "错报"],
        success: false,
        zh: "没有编号为 9 的导入",
        en: "has no import 9",
    },
    Case { name: "init", setup: nothing, args: &["init"], success: true, zh: "已创建数据库", en: "created" },
    Case {
        name: "init again",
        setup: init,
        args: &["init"],
        success: false,
        zh: "未作任何更改",
        en: "already exists; nothing was changed",
    },
    Case {
        name: "record",
        setup: init,
        args: &["record", "gdp-growth", "2020Q1", "-6.8"],
        success: true,
        zh: "已记录数据",
        en: "recorded figure",
    },
    Case {
        name: "record twice",
        setup: init_with_figure,
        args: &["record", "gdp-growth", "2020Q1", "-6.5"],
        success: false,
        zh: "已有数据",
        en: "already has a figure",
    },
    Case {
        name: "record a bad period",
        setup: init,
        args: &["record", "gdp-growth", "2020Q5", "1"],
        success: false,
        zh: "不是有效的期别",
        en: "is not a period",
    },
    Case {
        name: "import",
        setup: init_with_files,
        args: &["import", "good.csv"],
        success: true,
        zh: "已导入 1 条数据",
        en: "imported 1 figure",
    },
    Case {
        name: "import a bad row",
        setup: init_with_files,
        args: &["import", "bad.csv"],
        success: false,
        zh: "不是数字",
        en: "is not a number",
    },
    Case {
        name: "plan import",
        setup: init_empty_with_files,
        args: &["plan", "import", "plan.toml"],
        success: true,
        zh: "已载入计划",
        en: "loaded plan",
    },
    Case {
        name: "plan import twice",
        setup: init_with_files,
        args: &["plan", "import", "plan.toml"],
        success: false,
        zh: "已载入",
        en: "is already loaded",
    },
    Case {
        name: "plan import a bad file",
        setup: init_empty_with_files,
        args: &["plan", "import", "bad-plan.toml"],
        success: false,
        zh: "未载入任何内容",
        en: "Nothing was loaded",
    },
    Case { name: "backup", setup: init, args: &["backup", "copy.db"], success: true, zh: "已备份", en: "backed up" },
    Case {
        name: "backup over a file",
        setup: init_with_files,
        args: &["backup", "taken.db"],
        success: false,
        zh: "已存在",
        en: "already exists; nothing was written",
    },
    Case {
        name: "report",
        setup: init_with_figure,
        args: &["report", "--out", "r.md"],
        success: true,
        zh: "报告已写入",
        en: "wrote",
    },
    Case {
        name: "report of unknown format",
        setup: init_with_figure,
        args: &["report", "--out", "r.txt"],
        success: false,
        zh: "无法从",
        en: "cannot tell the format",
    },
    Case {
        name: "report without figures",
        setup: init,
        args: &["report", "--format", "md"],
        success: false,
        zh: "尚无数据",
        en: "has no figures yet",
    },
    Case {
        name: "check",
        setup: init,
        args: &["check"],
        success: true,
        zh: "每个修订都修订同一指标、同一期间的数据",
        en: "every revision revises a figure",
    },
    Case {
        name: "template with a bad --out",
        setup: init,
        args: &["template", "--period", "2020Q3", "--out", "t.txt"],
        success: false,
        zh: "扩展名须为 .xlsx 或 .csv",
        en: "must end in .xlsx or .csv",
    },
    Case {
        name: "chart of an unknown target",
        setup: init_with_figure,
        args: &["chart", "gdp-grwth"],
        success: false,
        zh: "是否要写 gdp-growth",
        en: "did you mean gdp-growth",
    },
    Case {
        name: "plan adjust",
        setup: init,
        args: &[
            "plan",
            "adjust",
            "gdp-growth",
            "--value",
            "3",
            "--reason",
            "疫情影响",
            "--document",
            "金政〔2020〕8号",
        ],
        success: true,
        zh: "已调整 gdp-growth：原目标 6.5 % → 调整后 3 %（理由：疫情影响；文号：金政〔2020〕8号",
        en: "adjusted gdp-growth: originally 6.5 % → adjusted to 3 % (reason: 疫情影响; document: 金政〔2020〕8号",
    },
    Case {
        name: "plan adjust to a value the plan file refuses",
        setup: init,
        args: &["plan", "adjust", "unemployment-rate", "--value", "120", "--reason", "疫情影响"],
        success: false,
        zh: "不能调整为 120，与计划文件的规则不符",
        en: "cannot be adjusted to 120; the plan file's rules refuse it",
    },
    Case {
        name: "plan next",
        setup: init,
        args: &["plan", "next", "jinshui-2020", "--year", "2021", "--out", "next.toml"],
        success: true,
        zh: "已将计划 jinshui-2021（2021 年）草稿写入 next.toml",
        en: "wrote the draft of plan jinshui-2021 (2021) to next.toml",
    },
    Case {
        name: "plan next for the same year",
        setup: init,
        args: &["plan", "next", "jinshui-2020", "--year", "2020"],
        success: false,
        zh: "不晚于计划 jinshui-2020 的年度 2020",
        en: "is not after plan jinshui-2020's year 2020",
    },
    Case {
        name: "plan archive",
        setup: init_with_figure,
        args: &["plan", "archive", "jinshui-2020"],
        success: true,
        zh: "已归档计划 jinshui-2020",
        en: "archived plan jinshui-2020",
    },
    Case {
        name: "plan remove with figures",
        setup: init_with_figure,
        args: &["plan", "remove", "jinshui-2020"],
        success: false,
        zh: "有数据的计划只能归档：`ontrack plan archive jinshui-2020`",
        en: "A plan with figures is archived instead: `ontrack plan archive jinshui-2020`",
    },
    Case {
        name: "bundle",
        setup: init_with_figure,
        args: &["bundle", "--plan", "jinshui-2020", "--out", "j.bundle"],
        success: true,
        zh: "已将计划 jinshui-2020 及其 1 条数据（含各状态与修订）写入数据包 j.bundle",
        en: "wrote plan jinshui-2020 and its 1 figure (every state and revision) to the bundle j.bundle",
    },
    Case {
        name: "bundle import of a sheet",
        setup: init_with_files,
        args: &["bundle", "import", "good.csv"],
        success: false,
        zh: "good.csv 不是 ontrack 数据包",
        en: "good.csv is not an ontrack bundle",
    },
    Case {
        name: "bundle import again",
        setup: city_with_bundle,
        args: &["bundle", "import", "district.bundle"],
        success: true,
        zh: "计划 jinshui-2020 的此数据包已于 2021-03-31 16:00:00（北京时间）载入，未作任何更改",
        en: "this bundle of plan jinshui-2020 was already loaded at 2021-03-31 16:00:00 (Asia/Shanghai, UTC+8)",
    },
    Case {
        name: "bundle list",
        setup: city_with_bundle,
        args: &["bundle", "list"],
        success: true,
        zh: "仅已审核",
        en: "approved only",
    },
    Case {
        name: "record into a bundled plan",
        setup: city_with_bundle,
        args: &["record", "gdp-growth", "2020Q2", "1.0"],
        success: false,
        zh: "数据归区里管理，此处只读；未作任何更改",
        en: "which owns its figures; here it is read-only and nothing was changed",
    },
    Case {
        name: "bundle of a plan the database keeps",
        setup: city_with_bundle,
        args: &["--db", "district.db", "bundle", "import", "district.bundle"],
        success: false,
        zh: "本数据库自己管理计划 jinshui-2020",
        en: "this database keeps plan jinshui-2020 itself",
    },
    Case {
        name: "check without a database",
        setup: nothing,
        args: &["check"],
        success: false,
        zh: "没有数据库",
        en: "no database at",
    },
];

/// English words that only an English sentence has (codes, commands and flags are
/// kept as they are in both languages, so they are not in this list).
const ENGLISH_WORDS: &[&str] = &[
    "the", "nothing", "was", "is", "are", "has", "have", "cannot", "already", "written", "changed", "error", "figures",
    "created", "recorded", "imported", "loaded", "wrote", "backed", "every", "database",
];

#[test]
fn every_command_speaks_the_language_asked_for() {
    let mut failures = Vec::new();
    for case in CASES {
        for lang in ["zh", "en"] {
            let ontrack = Ontrack::new();
            (case.setup)(&ontrack);
            let mut args = vec!["--lang", lang];
            args.extend(case.args);
            let out = ontrack.run(&args).output();
            let dir = ontrack.dir.path().display().to_string();
            let text = format!("{}{}", out.stdout, out.stderr).replace(&dir, "DIR");
            let mut problems = Vec::new();
            if (out.code == 0) != case.success {
                problems.push(format!("exit code {}", out.code));
            }
            let (phrase, other) = if lang == "zh" { (case.zh, case.en) } else { (case.en, case.zh) };
            if !text.contains(phrase) {
                problems.push(format!("lacks {phrase:?}"));
            }
            if text.contains(other) {
                problems.push(format!("holds the other language's {other:?}"));
            }
            if lang == "zh" {
                let english: Vec<&str> = text
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|word| ENGLISH_WORDS.contains(&word.to_ascii_lowercase().as_str()))
                    .collect();
                if !english.is_empty() {
                    problems.push(format!("English words {english:?}"));
                }
            }
            if !problems.is_empty() {
                failures.push(format!("{} --lang {lang}: {}\n{}", case.name, problems.join("; "), text.trim_end()));
            }
        }
    }
    assert!(failures.is_empty(), "{} messages in the wrong language:\n\n{}", failures.len(), failures.join("\n\n"));
}
