//! The benchmark workload: a city- or province-sized plan in the real plan-file format
//! (TOML, docs/plan-format.md) and its figures in the real import format (CSV with the
//! columns `target,period,value,source,note,by`, and the same rows as .xlsx).
//!
//! Deterministic: the same size gives the same bytes. Target `i` cycles through every
//! kind of target (growth, rate, share, ytd count, level count, amount, milestone,
//! relative), so status, charts and reports exercise every rule; each target gets
//! twelve monthly figures (2020-01 … 2020-12).

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

pub const PLAN_ID: &str = "bench-city";
pub const YEAR: i32 = 2020;
pub const MONTHS: u8 = 12;

const SECTIONS: [(&str, &str, &str); 6] = [
    ("A", "经济平稳健康", "Steady growth"),
    ("B", "产业转型升级", "Industrial upgrading"),
    ("C", "城市建设管理", "Urban construction"),
    ("D", "创新驱动发展", "Innovation"),
    ("E", "生态环境保护", "Environment"),
    ("F", "民生福祉改善", "Public welfare"),
];

const SOURCES: [&str; 4] = ["区统计局 统计月报", "区发展改革委 月度调度", "区财政局 预算执行月报", "部门报送"];
const REPORTERS: [&str; 5] = ["张三", "李四", "王五", "赵六", "统计科"];

/// One of the eight shapes a generated target takes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Growth,
    Rate,
    Share,
    CountYtd,
    CountLevel,
    Amount,
    Milestone,
    Relative,
}

fn shape(index: usize) -> Shape {
    [
        Shape::Growth,
        Shape::Rate,
        Shape::Share,
        Shape::CountYtd,
        Shape::CountLevel,
        Shape::Amount,
        Shape::Milestone,
        Shape::Relative,
    ][index % 8]
}

/// The target code of target `index` (slugs, unique in the plan).
pub fn code(index: usize) -> String {
    let name = match shape(index) {
        Shape::Growth => "growth",
        Shape::Rate => "rate",
        Shape::Share => "share",
        Shape::CountYtd => "new-count",
        Shape::CountLevel => "stock",
        Shape::Amount => "amount",
        Shape::Milestone => "project",
        Shape::Relative => "income-growth",
    };
    format!("t{index:06}-{name}")
}

/// A small deterministic hash (splitmix64), so figures vary without a random crate.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A share in [0, 1) that depends only on (target, month, salt).
fn noise(index: usize, month: u8, salt: u64) -> f64 {
    (mix((index as u64) << 8 | u64::from(month) | salt << 40) >> 11) as f64 / (1u64 << 53) as f64
}

/// The plan file for `targets` targets.
pub fn plan_toml(targets: usize) -> String {
    let mut out = String::with_capacity(targets * 400 + 1000);
    out.push_str(&format!(
        "# Synthetic plan for ontrack's benchmarks: {targets} targets.\n\n[plan]\nid = \"{PLAN_ID}\"\norg = \
         \"基准市\"\norg_en = \"Bench City (synthetic)\"\nyear = {YEAR}\nsource = \"ontrack benchmark workload\"\n\n\
         [sections]\n"
    ));
    for (id, title, _) in SECTIONS {
        let _ = writeln!(out, "{id} = \"{title}\"");
    }
    out.push_str("\n[sections_en]\n");
    for (id, _, title_en) in SECTIONS {
        let _ = writeln!(out, "{id} = \"{title_en}\"");
    }
    for index in 0..targets {
        let section = SECTIONS[(index / 8) % SECTIONS.len()].0;
        let code = code(index);
        let n = index + 1;
        let (name, name_en, body) = match shape(index) {
            Shape::Growth => (
                format!("第{n}项 增加值增速"),
                format!("Value added growth #{n}"),
                "kind = \"growth\"\ncmp = \"about\"\nvalue = 6.5\nunit = \"%\"\ntolerance = 0.5".to_string(),
            ),
            Shape::Rate => (
                format!("第{n}项 失业率"),
                format!("Unemployment rate #{n}"),
                "kind = \"rate\"\ncmp = \"at_most\"\nvalue = 4\nunit = \"%\"".to_string(),
            ),
            Shape::Share => (
                format!("第{n}项 覆盖率"),
                format!("Coverage #{n}"),
                "kind = \"share\"\ncmp = \"at_least\"\nvalue = 95\nunit = \"%\"".to_string(),
            ),
            Shape::CountYtd => (
                format!("第{n}项 新建道路"),
                format!("New roads #{n}"),
                "kind = \"count\"\nmeasure = \"ytd\"\ncmp = \"reach\"\nvalue = 92\nunit = \"条\"\nplanned = { \
                 \"2020Q1\" = 0.1, \"2020Q2\" = 0.35, \"2020Q3\" = 0.65 }"
                    .to_string(),
            ),
            Shape::CountLevel => (
                format!("第{n}项 高新技术企业"),
                format!("High-tech enterprises #{n}"),
                "kind = \"count\"\nmeasure = \"level\"\ncmp = \"at_least\"\nvalue = 400\nunit = \"家\"\nbaseline = 300"
                    .to_string(),
            ),
            Shape::Amount => (
                format!("第{n}项 固定资产投资"),
                format!("Fixed-asset investment #{n}"),
                "kind = \"amount\"\ncmp = \"at_least\"\nvalue = 65.8\nunit = \"亿元\"".to_string(),
            ),
            Shape::Milestone => (
                format!("第{n}项 重点工程"),
                format!("Key project #{n}"),
                "kind = \"milestone\"\ncmp = \"reach\"\nvalue = 100\nunit = \"%\"".to_string(),
            ),
            Shape::Relative => (
                format!("第{n}项 居民收入增速"),
                format!("Income growth #{n} (in step)"),
                format!(
                    "kind = \"relative\"\ncmp = \"about\"\nvalue = 0\nunit = \"%\"\ntolerance = 0.5\nrelated = \"{}\"",
                    code_of_block_growth(index)
                ),
            ),
        };
        let _ = write!(
            out,
            "\n[[targets]]\ncode = \"{code}\"\nsection = \"{section}\"\nname = \"{name}\"\nname_en = \"{name_en}\"\n\
             {body}\nfrequency = \"month\"\ncommitment = \"plain\"\nlead_unit = \"第{}局\"\nquote = \"{name}目标\"\n",
            index % 40 + 1
        );
    }
    out
}

/// A relative target keeps in step with the growth target of its block of eight.
fn code_of_block_growth(index: usize) -> String {
    code(index - index % 8)
}

/// One figure row of the import file.
pub struct Row {
    pub target: String,
    pub period: String,
    pub value: f64,
    pub source: &'static str,
    pub note: String,
    pub by: &'static str,
}

/// The figure of target `index` for `month` (year to date, or the level at month end).
fn value(index: usize, month: u8) -> f64 {
    let f = f64::from(month) / 12.0;
    let wobble = noise(index, month, 1);
    let round1 = |v: f64| (v * 10.0).round() / 10.0;
    match shape(index) {
        Shape::Growth | Shape::Relative => round1(3.0 + 5.0 * wobble),
        Shape::Rate => round1(3.0 + 1.5 * wobble),
        Shape::Share => round1(88.0 + 10.0 * wobble),
        Shape::CountYtd => (92.0 * f * (0.7 + 0.5 * wobble)).round(),
        Shape::CountLevel => (300.0 + 100.0 * f * (0.6 + 0.6 * wobble)).round(),
        Shape::Amount => round1(65.8 * f * (0.7 + 0.5 * wobble)),
        Shape::Milestone => (100.0 * f * (0.6 + 0.5 * wobble)).round().min(100.0),
    }
}

/// Every row of the import file, in file order: month by month, every target each
/// month, as offices report (so the database holds a month's figures together, not
/// a target's: the order in which `status` must regroup them).
pub fn rows(targets: usize) -> impl Iterator<Item = Row> {
    (1..=MONTHS).flat_map(move |month| {
        (0..targets).map(move |index| Row {
            target: code(index),
            period: format!("{YEAR}-{month:02}"),
            value: value(index, month),
            source: SOURCES[(index + usize::from(month)) % SOURCES.len()],
            note: if month % 3 == 0 { format!("{month}月快报") } else { String::new() },
            by: REPORTERS[index % REPORTERS.len()],
        })
    })
}

pub const HEADER: [&str; 6] = ["target", "period", "value", "source", "note", "by"];

/// Writes the figures as CSV (UTF-8, the import format).
pub fn write_csv(path: &Path, targets: usize) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 16, std::fs::File::create(path)?);
    writeln!(out, "{}", HEADER.join(","))?;
    let mut count = 0;
    for row in rows(targets) {
        writeln!(out, "{},{},{},{},{},{}", row.target, row.period, row.value, row.source, row.note, row.by)?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}

/// The most targets whose figures fit one worksheet: Excel stops at 1,048,576 rows,
/// so a sheet holds 87,381 targets' twelve months (the header takes a row).
pub const XLSX_MAX_TARGETS: usize = (1_048_576 - 1) / MONTHS as usize;

/// Writes the same figures as an .xlsx workbook (one sheet, header in row 1), for
/// the first `targets` targets, at most [`XLSX_MAX_TARGETS`].
pub fn write_xlsx(path: &Path, targets: usize) -> Result<u64, rust_xlsxwriter::XlsxError> {
    let targets = targets.min(XLSX_MAX_TARGETS);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("填报")?;
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *name)?;
    }
    let mut count = 0u64;
    for (i, row) in rows(targets).enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &row.target)?;
        sheet.write_string(r, 1, &row.period)?;
        sheet.write_number(r, 2, row.value)?;
        sheet.write_string(r, 3, row.source)?;
        if !row.note.is_empty() {
            sheet.write_string(r, 4, &row.note)?;
        }
        sheet.write_string(r, 5, row.by)?;
        count += 1;
    }
    workbook.save(path)?;
    Ok(count)
}
