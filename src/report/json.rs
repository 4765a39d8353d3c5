//! The report as JSON for other programs: the stable status field names (listed in
//! the README) for every target, with the report's own facts around them. serde escapes
//! every string, so user text cannot break the document.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{rfc3339, AdjustmentLine, Report, ReviewCount, ReviewLine, Revision, Row, SerializedRow};
use crate::completeness::UnitCompleteness;
use crate::review::Counting;

#[derive(Serialize)]
struct Document<'a> {
    plan: PlanInfo<'a>,
    as_of: String,
    made_at: String,
    /// `null` when the report uses every figure recorded when it was made.
    as_recorded: Option<String>,
    revisions_since: String,
    lang: &'static str,
    /// A notice about the data (the demo marks its figures as illustrative).
    notice: Option<&'a str>,
    counts: Map<String, Value>,
    targets: Vec<SerializedRow<'a>>,
    behind: Vec<Behind<'a>>,
    overdue: Vec<Overdue<'a>>,
    revisions: &'a [Revision],
    /// Which figures count: `all_current` or `approved_only`.
    counting: &'static str,
    /// Per lead unit, standing figures awaiting review, approved and returned.
    review_counts: &'a [ReviewCount],
    /// Standing figures that were returned, with the reason.
    returned: &'a [ReviewLine],
    adjustments: &'a [AdjustmentLine],
    /// Completeness of the as-of period per lead unit, and the total.
    completeness: CompletenessJson<'a>,
}

#[derive(Serialize)]
struct CompletenessJson<'a> {
    period: String,
    units: &'a [UnitCompleteness],
    total: &'a UnitCompleteness,
}

#[derive(Serialize)]
struct PlanInfo<'a> {
    id: &'a str,
    org: &'a str,
    org_en: Option<&'a str>,
    year: i32,
    source: Option<&'a str>,
}

#[derive(Serialize)]
struct Behind<'a> {
    code: &'a str,
    name: &'a str,
    status: crate::status::Status,
    gap: Option<f64>,
    behind: Option<f64>,
    needed_per_period: Option<f64>,
    unit: &'a str,
    lead_unit: Option<&'a str>,
}

#[derive(Serialize)]
struct Overdue<'a> {
    code: &'a str,
    name: &'a str,
    due_for: Option<&'a str>,
    period: Option<&'a str>,
    lead_unit: Option<&'a str>,
}

/// The report as pretty JSON.
pub fn render(report: &Report) -> Vec<u8> {
    let mut bytes = Vec::new();
    write(report, &mut bytes).expect("writing to memory");
    bytes
}

/// Writes the report as pretty JSON to `sink`, serialized straight into it (the same
/// bytes as [`crate::output::json_bytes`]).
pub fn write(report: &Report, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut counts = Map::new();
    for (status, n) in &report.counts {
        counts.insert(status.as_str().to_string(), Value::from(*n));
    }
    counts.insert("overdue".to_string(), Value::from(report.overdue_count));
    counts.insert("total".to_string(), Value::from(report.rows().len()));
    let document = Document {
        plan: PlanInfo {
            id: &report.plan_id,
            org: &report.org,
            org_en: report.org_en.as_deref(),
            year: report.year,
            source: report.plan_source.as_deref(),
        },
        as_of: report.as_of.label(),
        made_at: rfc3339(report.made_at),
        as_recorded: report.as_recorded.map(rfc3339),
        revisions_since: rfc3339(report.revisions_since),
        lang: report.t("zh", "en"),
        notice: report.notice.as_deref(),
        counts,
        targets: report.rows().iter().map(Row::serialized).collect(),
        behind: report
            .behind
            .iter()
            .map(|&i| {
                let row = report.row(i);
                Behind {
                    code: &row.code,
                    name: &row.name,
                    status: row.status,
                    gap: row.gap,
                    behind: row.behind,
                    needed_per_period: row.needed_per_period,
                    unit: &row.unit,
                    lead_unit: row.lead_unit.as_deref(),
                }
            })
            .collect(),
        overdue: report
            .overdue
            .iter()
            .map(|&i| {
                let row = report.row(i);
                Overdue {
                    code: &row.code,
                    name: &row.name,
                    due_for: row.due_for.as_deref(),
                    period: row.period.as_deref(),
                    lead_unit: row.lead_unit.as_deref(),
                }
            })
            .collect(),
        revisions: &report.revisions,
        counting: match report.counting {
            Counting::AllCurrent => "all_current",
            Counting::ApprovedOnly => "approved_only",
        },
        review_counts: &report.review_counts,
        returned: &report.review,
        adjustments: &report.adjustments,
        completeness: CompletenessJson {
            period: report.completeness.period.label(),
            units: &report.completeness.units,
            total: &report.completeness.total,
        },
    };
    serde_json::to_writer_pretty(&mut *sink, &document)?;
    sink.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::report::fixture;

    #[test]
    fn json_snapshot() {
        insta::assert_snapshot!(String::from_utf8(render(&fixture::report(Lang::Zh))).unwrap());
    }

    #[test]
    fn json_parses_back_with_the_stable_field_names_first() {
        let value: Value = serde_json::from_slice(&render(&fixture::report(Lang::En))).unwrap();
        let first = value["targets"][0].as_object().unwrap();
        let names: Vec<&str> = first.keys().map(String::as_str).take(14).collect();
        assert_eq!(
            names,
            [
                "code",
                "name",
                "status",
                "overdue",
                "actual",
                "period",
                "target",
                "gap",
                "margin",
                "progress",
                "pace",
                "behind",
                "projected",
                "needed_per_period"
            ]
        );
        assert_eq!(first["source"], fixture::HOSTILE_SOURCE);
        assert_eq!(first["note"], fixture::HOSTILE_NOTE);
        assert_eq!(value["counts"]["total"], 5);
        assert_eq!(value["overdue"][0]["lead_unit"], "区人力资源社会保障局");
    }
}
