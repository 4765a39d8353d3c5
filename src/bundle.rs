//! The exchange between a district and its city (docs/bundle.md), pure: a bundle's
//! content (the plan file, its figures with their review events, imports and target
//! adjustments, the district database's identity and the export moment), the bytes of
//! a bundle file (one JSON document with a format name, a version and a SHA-256 of the
//! content's exact bytes), and reading one back: every check a bundle passes before the
//! store sees it. No IO: `commands/bundle.rs` reads and writes files, `store/bundles.rs`
//! reads and loads rows.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::lang::{Lang, Localize};
use crate::period::Period;
use crate::plan::file::parse_plan;
use crate::plan::Plan;
use crate::review::FigureState;
use crate::time::{parse_timestamp, timestamp};

/// What a bundle file says it is, first thing.
pub const FORMAT: &str = "ontrack-bundle";

/// The version of the bundle format this release writes and reads.
pub const VERSION: u64 = 1;

/// Everything a bundle carries; the checksum covers its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Content {
    pub plan_id: String,
    /// The identity of the district database it was exported from.
    pub source_database: String,
    /// When it was exported (RFC 3339, UTC): a later bundle of a plan supersedes an earlier.
    pub exported_at: String,
    /// Whether only approved figures were exported (`--approved-only`).
    pub approved_only: bool,
    /// The plan as a plan file (`plan::file::export_plan`), its targets' values as loaded
    /// (adjustments come in `adjustments`), line by line so a person can read it here.
    pub plan_file: Vec<String>,
    pub adjustments: Vec<AdjustmentRow>,
    pub imports: Vec<ImportRow>,
    /// In the order they were logged (by `id`, the district's numbering).
    pub figures: Vec<FigureRow>,
    /// In the order they happened (by `id`).
    pub events: Vec<EventRow>,
}

impl Content {
    /// The plan file's lines as `plan_file` for a bundle.
    pub fn plan_lines(plan_file: &str) -> Vec<String> {
        plan_file.split('\n').map(str::to_string).collect()
    }

    /// The plan file, whole again.
    pub fn plan_text(&self) -> String {
        self.plan_file.join("\n")
    }
}

/// A target adjustment as the district recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentRow {
    pub target: String,
    pub value_before: f64,
    pub value_after: f64,
    pub strive_before: Option<f64>,
    pub strive_after: Option<f64>,
    pub reason: String,
    pub document: Option<String>,
    pub effective_at: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// An import of a sheet at the district, with its form's head and foot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRow {
    pub id: i64,
    pub file_name: String,
    pub imported_by: String,
    pub imported_at: String,
    pub rows: i64,
    pub reporting_unit: Option<String>,
    pub unit_head: Option<String>,
    pub statistics_head: Option<String>,
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub reported_on: Option<String>,
}

/// A figure as logged at the district; `revises` and `import` name rows of this bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRow {
    pub id: i64,
    pub target: String,
    pub period: String,
    pub value: f64,
    pub source: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub note: Option<String>,
    pub revises: Option<i64>,
    pub reason: Option<String>,
    pub clock_set: bool,
    pub import: Option<i64>,
}

/// A review event of a figure of this bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRow {
    pub id: i64,
    pub figure: i64,
    pub from: String,
    pub to: String,
    pub by: String,
    pub at: String,
    pub reason: Option<String>,
    pub clock_set: bool,
}

/// A bundle read and checked: its content, its plan parsed, and its checksum.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub content: Content,
    pub plan: Plan,
    /// SHA-256 of the content's bytes, lower-case hex.
    pub checksum: String,
}

/// The bytes of a bundle file for `content`: deterministic for the same content.
pub fn bundle_bytes(content: &Content) -> Vec<u8> {
    let content_text = serde_json::to_string_pretty(content).expect("a bundle's content always serializes");
    // Indented under the outer object; JSON strings hold no raw line break, so this
    // only moves whole lines. The checksum is over these bytes, as they stand in the file.
    let content_text = content_text.replace('\n', "\n  ");
    let checksum = sha256_hex(content_text.as_bytes());
    format!(
        "{{\n  \"format\": \"{FORMAT}\",\n  \"version\": {VERSION},\n  \"checksum\": \"sha256:{checksum}\",\n  \
         \"content\": {content_text}\n}}\n"
    )
    .into_bytes()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The outer object, read loosely so a foreign JSON file is told apart from a damaged bundle.
#[derive(Deserialize)]
struct Outer<'a> {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
    checksum: Option<String>,
    #[serde(borrow)]
    content: Option<&'a serde_json::value::RawValue>,
}

/// Reads and checks a bundle file's bytes; `file` names it in messages.
pub fn read_bundle(bytes: &[u8], file: &str) -> Result<Bundle, BundleError> {
    let error = |why: Why| BundleError { file: file.to_string(), why };
    let text = std::str::from_utf8(bytes).map_err(|_| error(Why::Foreign))?;
    if !text.trim_start().starts_with('{') {
        return Err(error(Why::Foreign));
    }
    let outer: Outer<'_> = serde_json::from_str(text).map_err(|e| error(Why::Damaged(e.to_string())))?;
    if outer.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(error(Why::Foreign));
    }
    match outer.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(VERSION) => {}
        _ => {
            let found = outer.version.map_or_else(|| "none".to_string(), |v| v.to_string());
            return Err(error(Why::Version(found)));
        }
    }
    let (Some(checksum), Some(content)) = (outer.checksum, outer.content) else {
        return Err(error(Why::Damaged("no checksum or no content".into())));
    };
    let computed = sha256_hex(content.get().as_bytes());
    if checksum.strip_prefix("sha256:") != Some(computed.as_str()) {
        return Err(error(Why::Tampered));
    }
    let content: Content = serde_json::from_str(content.get()).map_err(|e| error(Why::Inconsistent(e.to_string())))?;
    let plan = check_content(&content).map_err(|why| error(Why::Inconsistent(why)))?;
    Ok(Bundle { content, plan, checksum: computed })
}

/// The checks a content passes before it is loaded: a plan file that loads, rows that
/// name this plan's targets and each other, periods, states and moments that parse.
fn check_content(content: &Content) -> Result<Plan, String> {
    let plan = parse_plan(&content.plan_text(), "plan_file").map_err(|e| e.to_string())?;
    if plan.id != content.plan_id {
        return Err(format!("its plan file is plan {}, not {}", plan.id, content.plan_id));
    }
    if content.source_database.len() != 32 || !content.source_database.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("source_database {:?} is not a database identity", content.source_database));
    }
    let exported_at = parse_timestamp(&content.exported_at)
        .ok_or_else(|| format!("{:?} is not an RFC 3339 moment", content.exported_at))?;
    // Every row was written before the export: a moment after it is not the district's.
    let moment = |text: &str| match parse_timestamp(text) {
        None => Err(format!("{text:?} is not an RFC 3339 moment")),
        Some(at) if at > exported_at => Err(format!("{text} is after the export ({})", content.exported_at)),
        Some(_) => Ok(()),
    };
    let codes: BTreeSet<&str> = plan.targets().iter().map(|t| t.code.as_str()).collect();
    let code = |code: &str| {
        if codes.contains(code) {
            Ok(())
        } else {
            Err(format!("target {code:?} is not in the plan"))
        }
    };
    for adjustment in &content.adjustments {
        code(&adjustment.target)?;
        // In force from a moment that may be later than the export; it is never after
        // its recording, which `check` verifies once loaded.
        parse_timestamp(&adjustment.effective_at)
            .ok_or_else(|| format!("{:?} is not an RFC 3339 moment", adjustment.effective_at))?;
        moment(&adjustment.recorded_at)?;
    }
    let imports: BTreeSet<i64> = content.imports.iter().map(|i| i.id).collect();
    for import in &content.imports {
        moment(&import.imported_at)?;
    }
    let mut figures: BTreeMap<i64, (&str, i64)> = BTreeMap::new();
    for figure in &content.figures {
        code(&figure.target)?;
        moment(&figure.recorded_at)?;
        let period: Period = figure.period.parse().map_err(|_| format!("{:?} is not a period", figure.period))?;
        if figures.last_key_value().is_some_and(|(last, _)| *last >= figure.id) {
            return Err(format!("figure {} is out of order", figure.id));
        }
        if let Some(revised) = figure.revises {
            if figures.get(&revised) != Some(&(figure.target.as_str(), period.end_key())) {
                return Err(format!("figure {} revises {revised}, not an earlier figure of its window", figure.id));
            }
        }
        if figure.import.is_some_and(|id| !imports.contains(&id)) {
            return Err(format!("figure {} names an import the bundle does not have", figure.id));
        }
        figures.insert(figure.id, (figure.target.as_str(), period.end_key()));
    }
    let mut last_event = None;
    for event in &content.events {
        if !figures.contains_key(&event.figure) {
            return Err(format!("event {} names figure {}, which the bundle does not have", event.id, event.figure));
        }
        if last_event.is_some_and(|last| last >= event.id) {
            return Err(format!("event {} is out of order", event.id));
        }
        last_event = Some(event.id);
        for state in [&event.from, &event.to] {
            FigureState::parse(state).ok_or_else(|| format!("{state:?} is not a figure's state"))?;
        }
        moment(&event.at)?;
    }
    Ok(plan)
}

/// A moment as every bundle row stores it (the store's own text form).
pub fn moment_text(text: &str) -> String {
    parse_timestamp(text).map_or_else(|| text.to_string(), timestamp)
}

/// A bundle file refused before anything is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleError {
    pub file: String,
    pub why: Why,
}

/// Why a bundle file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// Not an ontrack bundle at all (another kind of file, or JSON without our format name).
    Foreign,
    /// A bundle of a format version this release does not read.
    Version(String),
    /// Not readable as a whole (cut short, broken JSON).
    Damaged(String),
    /// The content's bytes do not match its checksum: changed after export.
    Tampered,
    /// The checksum matches, but the content does not hold together.
    Inconsistent(String),
}

impl Localize for BundleError {
    fn localize(&self, lang: Lang) -> String {
        let file = crate::escape::terminal(&self.file);
        let nothing = lang.pick("未作任何更改", "nothing was changed");
        match &self.why {
            Why::Foreign => lang.choose(
                format!(
                    "{file} 不是 ontrack 数据包（应为 `ontrack bundle` 导出的文件）；{nothing}。请向区里索取 `ontrack \
                     bundle --plan ID --out FILE` 生成的文件"
                ),
                format!(
                    "{file} is not an ontrack bundle (a file written by `ontrack bundle`); {nothing}. Ask the \
                     district for the file `ontrack bundle --plan ID --out FILE` writes"
                ),
            ),
            Why::Version(found) => lang.choose(
                format!(
                    "{file} 是第 {found} 版格式的数据包，本版本的 ontrack 只能读取第 {VERSION} 版；{nothing}。请升级 \
                     ontrack，或请区里用与本市相同版本的 ontrack 重新导出"
                ),
                format!(
                    "{file} is a bundle of format version {found}; this ontrack reads version {VERSION}; {nothing}. \
                     Upgrade ontrack, or ask the district to export it again with the city's release"
                ),
            ),
            Why::Damaged(detail) => lang.choose(
                format!(
                    "{file} 已损坏，无法完整读取（{}）；{nothing}。请区里重新导出并发送该数据包",
                    crate::escape::terminal(detail)
                ),
                format!(
                    "{file} is damaged and cannot be read whole ({}); {nothing}. Ask the district to export and send \
                     the bundle again",
                    crate::escape::terminal(detail)
                ),
            ),
            Why::Tampered => lang.choose(
                format!(
                    "{file} 的内容与其校验和（SHA-256）不符：导出后被修改或传输中受损；{nothing}。数据只能在区里更改，\
                     请区里重新导出并发送该数据包"
                ),
                format!(
                    "{file}'s content does not match its checksum (SHA-256): it was changed after export or damaged \
                     on the way; {nothing}. Figures change only at the district: ask it to export and send the \
                     bundle again"
                ),
            ),
            Why::Inconsistent(detail) => lang.choose(
                format!(
                    "{file} 的内容前后不一致（{}），不是 ontrack 写出的数据包；{nothing}。请区里重新导出",
                    crate::escape::terminal(detail)
                ),
                format!(
                    "{file}'s content does not hold together ({}), so ontrack did not write it; {nothing}. Ask the \
                     district to export it again",
                    crate::escape::terminal(detail)
                ),
            ),
        }
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for BundleError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::file::export_plan;
    use crate::plan::BUILTIN_PLAN_TOML;

    fn content() -> Content {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let code = plan.targets()[0].code.clone();
        Content {
            plan_id: plan.id.clone(),
            source_database: "0123456789abcdef0123456789abcdef".into(),
            exported_at: "2021-01-15T08:00:00.000000Z".into(),
            approved_only: false,
            plan_file: Content::plan_lines(&export_plan(&plan)),
            adjustments: vec![],
            imports: vec![],
            figures: vec![FigureRow {
                id: 3,
                target: code,
                period: "2020Q1".into(),
                value: 0.1 + 0.2,
                source: Some("区统计局".into()),
                recorded_by: "张三".into(),
                recorded_at: "2020-04-20T08:00:00.000000Z".into(),
                note: None,
                revises: None,
                reason: None,
                clock_set: true,
                import: None,
            }],
            events: vec![EventRow {
                id: 1,
                figure: 3,
                from: "submitted".into(),
                to: "approved".into(),
                by: "李四".into(),
                at: "2020-04-21T08:00:00.000000Z".into(),
                reason: None,
                clock_set: true,
            }],
        }
    }

    #[test]
    fn a_bundle_reads_back_as_written_to_the_last_bit() {
        let content = content();
        let bytes = bundle_bytes(&content);
        assert_eq!(bytes, bundle_bytes(&content), "the same content gives the same bytes");
        let bundle = read_bundle(&bytes, "b.json").unwrap();
        assert_eq!(bundle.content, content);
        assert_eq!(bundle.content.figures[0].value.to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(bundle.plan.id, content.plan_id);
    }

    fn why(bytes: &[u8]) -> Why {
        read_bundle(bytes, "b.json").unwrap_err().why
    }

    #[test]
    fn damaged_foreign_and_tampered_bundles_are_told_apart() {
        let bytes = bundle_bytes(&content());
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(matches!(why(&bytes[..bytes.len() / 2]), Why::Damaged(_)));
        assert_eq!(why(b"target,period,value\n"), Why::Foreign);
        assert_eq!(why(b"\xff\xfe\x00"), Why::Foreign);
        assert_eq!(why(b"{\"name\": \"something else\"}"), Why::Foreign);
        assert_eq!(why(text.replace("\"version\": 1", "\"version\": 2").as_bytes()), Why::Version("2".into()));
        assert_eq!(why(text.replace("0.30000000000000004", "0.4").as_bytes()), Why::Tampered);
        assert_eq!(why(text.replace("\"approved\"", "\"returned\"").as_bytes()), Why::Tampered);
    }

    #[test]
    fn a_content_that_does_not_hold_together_is_refused_even_with_its_checksum() {
        let mut bad = content();
        bad.figures[0].target = "no-such-target".into();
        assert!(matches!(why(&bundle_bytes(&bad)), Why::Inconsistent(m) if m.contains("no-such-target")));
        let mut bad = content();
        bad.events[0].figure = 4;
        assert!(matches!(why(&bundle_bytes(&bad)), Why::Inconsistent(_)));
        let mut bad = content();
        bad.figures[0].revises = Some(1);
        bad.figures[0].reason = Some("x".into());
        assert!(matches!(why(&bundle_bytes(&bad)), Why::Inconsistent(_)));
        let mut bad = content();
        bad.plan_id = "another".into();
        assert!(matches!(why(&bundle_bytes(&bad)), Why::Inconsistent(_)));
        let mut bad = content();
        bad.events[0].at = "2021-01-15T08:00:01Z".into();
        assert!(matches!(why(&bundle_bytes(&bad)), Why::Inconsistent(m) if m.contains("after the export")));
    }

    #[test]
    fn every_refusal_names_the_file_in_both_languages() {
        for why in [
            Why::Foreign,
            Why::Version("2".into()),
            Why::Damaged("eof".into()),
            Why::Tampered,
            Why::Inconsistent("x".into()),
        ] {
            let error = BundleError { file: "jinshui.bundle".into(), why };
            for lang in [Lang::Zh, Lang::En] {
                let text = error.localize(lang);
                assert!(text.contains("jinshui.bundle"), "{text}");
            }
            assert!(error.localize(Lang::Zh).contains("未作任何更改"));
            assert!(error.localize(Lang::En).contains("nothing was changed"));
        }
    }
}
