//! Plans in the database: load a validated `Plan` in one transaction, read it back.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{Result, Store};
use crate::error::StoreError;
use crate::period::Period;
use crate::plan::{PeriodKey, Plan, Section, StatusThresholds, Target};
use crate::time::timestamp;

/// A line of `plan list`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSummary {
    pub id: String,
    pub org: String,
    pub org_en: Option<String>,
    pub year: i32,
    pub targets: i64,
    pub actuals: i64,
    pub loaded_at: String,
    /// When `plan archive` archived it.
    pub archived_at: Option<String>,
    /// `[plan] parent`: the plan above it, loaded or not.
    pub parent: Option<String>,
}

/// See [`Store::data_stamp`]: equal stamps, the same figures, states and plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataStamp([Option<i64>; 6]);

/// See [`Store::plan_stamp`]: equal stamps, the same plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStamp {
    data_version: i64,
    load_seq: i64,
    loaded_at: String,
    archived_at: Option<String>,
    adjustment: Option<i64>,
}

impl Store {
    /// Loads a validated plan. Refuses a plan id that is already present.
    pub fn insert_plan(&mut self, plan: &Plan, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| insert_plan(tx, plan, now))
    }

    /// What changes whenever plan `id` or what checking a figure against it reads
    /// changes: its load (sequence and moment: a re-load or a bundle's), its archiving,
    /// the latest target adjustment (of any plan: adjustments are rare, and finding
    /// this plan's latest went through every one of its targets, 100,000 lookups per
    /// entry for a province), and SQLite's `data_version`, which moves whenever
    /// another connection commits anything (a plan removed and loaded again under a
    /// fixed clock gets back the same sequence and moment). Cheap (an index lookup
    /// each), so the web desk reads it per request on its one writing connection to
    /// know whether the plan it keeps is still the plan. Stamps of one connection
    /// compare.
    pub fn plan_stamp(&self, id: &str) -> Result<PlanStamp> {
        let data_version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let stamp = self
            .conn
            .prepare_cached(
                "SELECT p.load_seq, p.loaded_at, p.archived_at, (SELECT max(id) FROM target_adjustments)
                 FROM plans p WHERE p.id = ?1",
            )?
            .query_row([id], |r| {
                Ok(PlanStamp {
                    data_version,
                    load_seq: r.get(0)?,
                    loaded_at: r.get(1)?,
                    archived_at: r.get(2)?,
                    adjustment: r.get(3)?,
                })
            })
            .optional()?;
        stamp.ok_or_else(|| StoreError::UnknownPlan { id: id.to_string(), loaded: self.plan_ids_text() })
    }

    /// What moves whenever anything a plan's status shows changes, in any plan: the
    /// latest figure, review event, adjustment and plan load (each an index's last
    /// entry), and how many plans there are and are archived (the default plan). The
    /// web desk's dashboard is computed again only when it moved (`web/fresh.rs`).
    pub fn data_stamp(&self) -> Result<DataStamp> {
        let stamp = self
            .conn
            .prepare_cached(
                "SELECT (SELECT max(id) FROM actuals), (SELECT max(id) FROM figure_events),
                    (SELECT max(id) FROM target_adjustments), (SELECT max(load_seq) FROM plans),
                    (SELECT count(*) FROM plans), (SELECT count(archived_at) FROM plans)",
            )?
            .query_row([], |r| Ok(DataStamp([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?])))?;
        Ok(stamp)
    }

    /// The plans in the database, most recently loaded first.
    pub fn plans(&self) -> Result<Vec<PlanSummary>> {
        let mut statement = self.conn.prepare(
            "SELECT p.id, p.org, p.org_en, p.year, p.loaded_at, p.archived_at,
                    (SELECT count(*) FROM targets t WHERE t.plan_id = p.id),
                    (SELECT count(*) FROM actuals a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = p.id),
                    p.parent
             FROM plans p ORDER BY p.load_seq DESC",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(PlanSummary {
                id: row.get(0)?,
                org: row.get(1)?,
                org_en: row.get(2)?,
                year: row.get(3)?,
                loaded_at: row.get(4)?,
                archived_at: row.get(5)?,
                targets: row.get(6)?,
                actuals: row.get(7)?,
                parent: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The plan named by `id` (archived or not), or the most recently loaded one that is
    /// not archived.
    pub fn resolve_plan_id(&self, id: Option<&str>) -> Result<String> {
        match id {
            Some(id) => {
                let found: Option<String> =
                    self.conn.query_row("SELECT id FROM plans WHERE id = ?1", [id], |r| r.get(0)).optional()?;
                found.ok_or_else(|| StoreError::UnknownPlan { id: id.to_string(), loaded: self.plan_ids_text() })
            }
            None => self
                .conn
                .query_row("SELECT id FROM plans WHERE archived_at IS NULL ORDER BY load_seq DESC LIMIT 1", [], |r| {
                    r.get(0)
                })
                .optional()?
                .map_or_else(|| Err(self.no_default_plan()), Ok),
        }
    }

    /// Why there is no default plan: none loaded, or every one archived.
    fn no_default_plan(&self) -> StoreError {
        match self.plans() {
            Ok(plans) if !plans.is_empty() => {
                StoreError::OnlyArchived { archived: plans.into_iter().map(|p| p.id).collect::<Vec<_>>().join(", ") }
            }
            _ => StoreError::NoPlan,
        }
    }

    pub(super) fn plan_ids_text(&self) -> String {
        let ids: Vec<String> = self.plans().map(|plans| plans.into_iter().map(|p| p.id).collect()).unwrap_or_default();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    }

    /// Reads a whole plan back into domain types.
    /// The zone plan `id` works in (`timezone`), read alone: `--as-recorded` needs it
    /// before the plan as it stood then can be loaded.
    pub fn plan_timezone(&self, id: &str) -> Result<crate::time::PlanZone> {
        let zone: Option<String> =
            self.conn.query_row("SELECT timezone FROM plans WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        match zone {
            // Written from a known zone by this store; an unknown name is a newer
            // release's zone database: read as the default, as `load_plan` does.
            Some(zone) => Ok(zone.parse().unwrap_or_default()),
            None => Err(StoreError::UnknownPlan { id: id.to_string(), loaded: self.plan_ids_text() }),
        }
    }

    pub fn load_plan(&self, id: &str) -> Result<Plan> {
        load_plan(&self.conn, id, None)?
            .ok_or_else(|| StoreError::UnknownPlan { id: id.to_string(), loaded: self.plan_ids_text() })
    }

    /// The plan with what checking a figure needs: every target with its code, kind,
    /// unit, measure, frequency, due period, planned path and lead unit (a form's
    /// reporting unit is checked against it), but without the texts (section, name,
    /// name_en and quote are left empty), for `import`.
    pub fn load_plan_for_checking(&self, id: &str) -> Result<Plan> {
        load_plan_with(&self.conn, id, None, Detail::ForChecking)?
            .ok_or_else(|| StoreError::UnknownPlan { id: id.to_string(), loaded: self.plan_ids_text() })
    }

    /// The plan with only the target `code` and the target it keeps in step with (if
    /// any), for commands about one target (`record`): a province's plan has tens of
    /// thousands. When the plan has no such target, the whole plan is read, so that
    /// "did you mean" can look at every code.
    pub fn load_plan_for_target(&self, id: &str, code: &str) -> Result<Plan> {
        let code = code.trim().to_ascii_lowercase();
        let mut plan = load_plan(&self.conn, id, Some(&code))?
            .ok_or_else(|| StoreError::UnknownPlan { id: id.to_string(), loaded: self.plan_ids_text() })?;
        if plan.targets().is_empty() {
            return self.load_plan(id);
        }
        if let Some(related) = plan.targets()[0].related.clone() {
            if let Some(other) = load_plan(&self.conn, id, Some(&related))? {
                plan.edit_targets(|targets| targets.extend(other.into_targets()));
            }
        }
        Ok(plan)
    }

    /// Database row ids of a plan's targets, by code.
    pub fn target_ids(&self, plan_id: &str) -> Result<BTreeMap<String, i64>> {
        let mut statement = self.conn.prepare_cached("SELECT code, id FROM targets WHERE plan_id = ?1")?;
        let rows = statement.query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(super) fn insert_plan(tx: &Connection, plan: &Plan, now: DateTime<Utc>) -> Result<()> {
    let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1)", [&plan.id], |r| r.get(0))?;
    if exists {
        return Err(StoreError::PlanExists { id: plan.id.clone() });
    }
    refuse_other_year_family(tx, plan)?;
    tx.execute(
        "INSERT INTO plans (id, org, org_en, year, source, at_risk_behind, off_track_behind, loaded_at, load_seq,
                            days_after_period, timezone, parent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, (SELECT coalesce(max(load_seq), 0) + 1 FROM plans), ?9, ?10, ?11)",
        params![
            plan.id,
            plan.org,
            plan.org_en,
            plan.year,
            plan.source,
            plan.thresholds.at_risk_behind,
            plan.thresholds.off_track_behind,
            timestamp(now),
            plan.days_after_period,
            plan.timezone.name(),
            plan.parent,
        ],
    )?;
    let mut section_insert =
        tx.prepare("INSERT INTO sections (plan_id, id, position, title, title_en) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (position, section) in plan.sections.iter().enumerate() {
        section_insert.execute(params![plan.id, section.id, position as i64, section.title, section.title_en])?;
    }
    let mut target_insert = tx.prepare(
        "INSERT INTO targets (plan_id, code, position, section_id, name, name_en, kind, measure, cmp, value, unit,
                              tolerance, baseline, related, commitment, frequency, due, lead_unit, quote,
                              strive, change)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?;
    let mut point_insert =
        tx.prepare("INSERT INTO planned_points (target_id, period_end, period, share) VALUES (?1, ?2, ?3, ?4)")?;
    for (position, target) in plan.targets().iter().enumerate() {
        target_insert.execute(params![
            plan.id,
            target.code,
            position as i64,
            target.section,
            target.name,
            target.name_en,
            target.kind.as_str(),
            target.measure.map(|m| m.as_str()),
            target.cmp.as_str(),
            target.value,
            target.unit,
            target.tolerance,
            target.baseline,
            target.related,
            target.commitment.as_str(),
            target.frequency.as_str(),
            target.due.map(|d| d.label()),
            target.lead_unit,
            target.quote,
            target.strive,
            target.change,
        ])?;
        let target_id = tx.last_insert_rowid();
        for (period, share) in &target.planned {
            point_insert.execute(params![target_id, period.0.end_key(), period.0.label(), share])?;
        }
    }
    Ok(())
}

/// Refuses a plan whose loaded parent, or a loaded plan naming it as parent, is of
/// another year. A parent not loaded yet is allowed: a city may load its districts
/// first (`plan list` and `check` say which parent is missing).
fn refuse_other_year_family(tx: &Connection, plan: &Plan) -> Result<()> {
    if let Some(parent) = &plan.parent {
        let year: Option<i32> =
            tx.query_row("SELECT year FROM plans WHERE id = ?1", [parent], |r| r.get(0)).optional()?;
        if let Some(parent_year) = year.filter(|&year| year != plan.year) {
            return Err(StoreError::ParentYear {
                plan: plan.id.clone(),
                year: plan.year,
                parent: parent.clone(),
                parent_year,
            });
        }
    }
    let child: Option<(String, i32)> = tx
        .query_row(
            "SELECT id, year FROM plans WHERE parent = ?1 AND year <> ?2 ORDER BY load_seq LIMIT 1",
            params![plan.id, plan.year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match child {
        Some((child, year)) => {
            Err(StoreError::ParentYear { plan: child, year, parent: plan.id.clone(), parent_year: plan.year })
        }
        None => Ok(()),
    }
}

/// Reads a value stored as text back into its enum, reporting a corrupt value as a
/// conversion error rather than panicking.
fn parse_column<T: std::str::FromStr>(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text = row
        .get_ref(index)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into()))?;
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unexpected value {text:?} in the database").into(),
        )
    })
}

fn parse_optional_column<T: std::str::FromStr>(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<T>> {
    match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => parse_column(row, index).map(Some),
    }
}

/// How much of each target to read.
#[derive(Clone, Copy, PartialEq)]
enum Detail {
    Full,
    /// Without section, name, name_en and quote (3 MiB of a province's 100,000
    /// targets, against issue 8's 64 MiB for a million-row import).
    ForChecking,
}

/// Reads a plan; with `only`, just the target of that code (the plan's other parts whole).
pub(super) fn load_plan(conn: &Connection, id: &str, only: Option<&str>) -> Result<Option<Plan>> {
    load_plan_with(conn, id, only, Detail::Full)
}

fn load_plan_with(conn: &Connection, id: &str, only: Option<&str>, detail: Detail) -> Result<Option<Plan>> {
    let head = conn
        .query_row(
            "SELECT id, org, org_en, year, source, at_risk_behind, off_track_behind, days_after_period, timezone,
                    parent
             FROM plans WHERE id = ?1",
            [id],
            |r| {
                let mut plan = Plan::new(r.get(0)?, r.get(1)?, r.get(3)?, Vec::new());
                plan.org_en = r.get(2)?;
                plan.source = r.get(4)?;
                plan.thresholds = StatusThresholds { at_risk_behind: r.get(5)?, off_track_behind: r.get(6)? };
                plan.days_after_period = r.get(7)?;
                // Written from a `Tz` by this store, so a name it does not know is a
                // newer release's zone database: read as the default, never refused.
                let zone: String = r.get(8)?;
                plan.timezone = zone.parse().unwrap_or_default();
                plan.parent = r.get(9)?;
                Ok(plan)
            },
        )
        .optional()?;
    let Some(mut plan) = head else { return Ok(None) };

    let mut statement =
        conn.prepare("SELECT id, title, title_en FROM sections WHERE plan_id = ?1 ORDER BY position")?;
    plan.sections = statement
        .query_map([id], |r| Ok(Section { id: r.get(0)?, title: r.get(1)?, title_en: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;

    let mut planned: BTreeMap<i64, BTreeMap<PeriodKey, f64>> = BTreeMap::new();
    // Two statements rather than `?2 IS NULL OR code = ?2`, which no index serves.
    let mut statement = conn.prepare(match only {
        None => {
            "SELECT p.target_id, p.period, p.share FROM planned_points p JOIN targets t ON t.id = p.target_id
             WHERE t.plan_id = ?1 AND ?2 IS NULL"
        }
        Some(_) => {
            "SELECT p.target_id, p.period, p.share FROM planned_points p JOIN targets t ON t.id = p.target_id
             WHERE t.plan_id = ?1 AND t.code = ?2"
        }
    })?;
    let mut rows = statement.query(params![id, only])?;
    while let Some(row) = rows.next()? {
        let period: Period = parse_column(row, 1)?;
        planned.entry(row.get(0)?).or_default().insert(PeriodKey(period), row.get(2)?);
    }

    let mut statement = conn.prepare(match (only, detail) {
        (None, Detail::ForChecking) => {
            "SELECT id, code, '', '', '', kind, measure, cmp, value, unit, tolerance, baseline,
                    related, commitment, frequency, due, lead_unit, '', strive, change
             FROM targets WHERE plan_id = ?1 AND ?2 IS NULL ORDER BY position"
        }
        (None, Detail::Full) => {
            "SELECT id, code, section_id, name, name_en, kind, measure, cmp, value, unit, tolerance, baseline,
                    related, commitment, frequency, due, lead_unit, quote, strive, change
             FROM targets WHERE plan_id = ?1 AND ?2 IS NULL ORDER BY position"
        }
        (Some(_), _) => {
            "SELECT id, code, section_id, name, name_en, kind, measure, cmp, value, unit, tolerance, baseline,
                    related, commitment, frequency, due, lead_unit, quote, strive, change
             FROM targets WHERE plan_id = ?1 AND code = ?2"
        }
    })?;
    // Sized up front: a province's plan has 100,000 targets of some 300 bytes each, and
    // a growing vector would hold its old and new buffers at once while it doubles.
    let count: i64 = match only {
        None => conn.query_row("SELECT count(*) FROM targets WHERE plan_id = ?1", [id], |r| r.get(0))?,
        Some(_) => 1,
    };
    let mut targets = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let rows = statement.query_map(params![id, only], |r| {
        let row_id: i64 = r.get(0)?;
        Ok(Target {
            code: r.get(1)?,
            section: r.get(2)?,
            name: r.get(3)?,
            name_en: r.get(4)?,
            kind: parse_column(r, 5)?,
            measure: parse_optional_column(r, 6)?,
            cmp: parse_column(r, 7)?,
            value: r.get(8)?,
            strive: r.get(18)?,
            unit: r.get(9)?,
            tolerance: r.get(10)?,
            baseline: r.get(11)?,
            change: r.get(19)?,
            related: r.get(12)?,
            commitment: parse_column(r, 13)?,
            frequency: parse_column(r, 14)?,
            due: parse_optional_column(r, 15)?,
            lead_unit: r.get(16)?,
            planned: planned.remove(&row_id).unwrap_or_default(),
            quote: r.get(17)?,
        })
    })?;
    for target in rows {
        targets.push(target?);
    }
    plan.set_targets(targets);
    Ok(Some(plan))
}

/// Refuses a write to an archived plan, saying when it was archived: every write of
/// figures (`FigureWriter`) and adjustments (`plan_life`) calls it.
pub(super) fn refuse_archived(tx: &Connection, plan_id: &str) -> Result<()> {
    let archived: Option<String> = tx
        .prepare_cached("SELECT archived_at FROM plans WHERE id = ?1")?
        .query_row([plan_id], |r| r.get(0))
        .optional()?
        .flatten();
    match archived {
        Some(at) => Err(StoreError::PlanArchived { id: plan_id.to_string(), at }),
        None => Ok(()),
    }
}

/// Refuses a write (figures, reviews, adjustments, removal) to a plan a bundle brought:
/// its district owns it.
pub(super) fn refuse_bundled(tx: &Connection, plan_id: &str) -> Result<()> {
    let source: Option<String> = tx
        .prepare_cached("SELECT source_database FROM bundled_plans WHERE plan_id = ?1")?
        .query_row([plan_id], |r| r.get(0))
        .optional()?;
    match source {
        Some(source_database) => Err(StoreError::Bundle(crate::error::BundleRefusal::ReadOnly {
            plan: plan_id.to_string(),
            source_database,
        })),
        None => Ok(()),
    }
}
