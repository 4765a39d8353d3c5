//! Bundles in the database (docs/bundle.md): this database's identity, the rows a
//! bundle carries read out of a plan, and loading a checked bundle at the city in one
//! IMMEDIATE transaction: kept whole in `bundles`, and, when it is the plan's newest,
//! its snapshot replacing the plan's rows (`bundled_plans` says which plans are such
//! snapshots; they take no writes here, `refuse_bundled`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::actuals::write_moment;
use super::{Clock, Result, Store};
use crate::bundle::{moment_text, AdjustmentRow, Bundle, Content, EventRow, FigureRow, ImportRow};
use crate::error::{BundleRefusal as Refusal, StoreError};
use crate::period::Period;
use crate::plan::file::export_plan;
use crate::review::FigureState;
use crate::time::timestamp;

/// What loading a bundle did.
#[derive(Debug, Clone, PartialEq)]
pub enum BundleLoad {
    /// The plan's snapshot is now this bundle's; `superseded` is the export moment of
    /// the bundle it replaced (none for the plan's first).
    Loaded { superseded: Option<String> },
    /// Kept, but a bundle of the plan exported at `standing` (later, or the same
    /// moment) still stands.
    KeptOlder { standing: String },
    /// This very bundle (same checksum) was loaded at `loaded_at`: nothing changed.
    AlreadyLoaded { loaded_at: String },
}

/// A line of `bundle list`.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleSummary {
    pub id: i64,
    pub plan_id: String,
    pub source_database: String,
    pub exported_at: String,
    pub approved_only: bool,
    pub figures: i64,
    pub checksum: String,
    pub file_name: String,
    pub loaded_at: String,
    /// Whether its snapshot is the plan's rows now.
    pub standing: bool,
}

impl Store {
    /// This database's identity (made once by migration 0009).
    pub fn database_id(&self) -> Result<String> {
        Ok(self.conn.query_row("SELECT id FROM database_identity", [], |r| r.get(0))?)
    }

    /// What a bundle of plan `plan_id` carries, exported now by `clock`: the plan file
    /// as loaded, its adjustments, and every figure with its events and imports, or with
    /// `approved_only` the approved ones alone (their revision links dropped: the
    /// figures they revised stay at the district). A clock behind the latest of those
    /// rows is refused (`ClockBehind`): a bundle holds nothing after its export.
    pub fn bundle_content(&self, plan_id: &str, approved_only: bool, clock: Clock) -> Result<Content> {
        let exported_at = match clock {
            Clock::System => Utc::now(),
            Clock::Set(moment) => moment,
        };
        let plan = self.load_plan(plan_id)?;
        let adjustments: Vec<AdjustmentRow> = self
            .adjustments(plan_id)?
            .into_iter()
            .map(|a| AdjustmentRow {
                target: a.code,
                value_before: a.value_before,
                value_after: a.value_after,
                strive_before: a.strive_before,
                strive_after: a.strive_after,
                reason: a.reason,
                document: a.document,
                effective_at: timestamp(a.effective_at),
                recorded_at: timestamp(a.recorded_at),
                recorded_by: a.recorded_by,
            })
            .collect();
        let mut statement = self.conn.prepare(
            "SELECT a.id, t.code, a.period, a.value, a.source, a.recorded_by, a.recorded_at, a.note, a.revises,
                    a.reason, a.clock_set, a.import_id,
                    (SELECT e.to_state FROM figure_events e WHERE e.actual_id = a.id ORDER BY e.id DESC LIMIT 1)
             FROM actuals a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = ?1 ORDER BY a.id",
        )?;
        let mut figures = Vec::new();
        let mut rows = statement.query([plan_id])?;
        while let Some(r) = rows.next()? {
            let state: Option<String> = r.get(12)?;
            let approved = state.as_deref() == Some(FigureState::Approved.as_str());
            if approved_only && !approved {
                continue;
            }
            let mut figure = FigureRow {
                id: r.get(0)?,
                target: r.get(1)?,
                period: r.get(2)?,
                value: r.get(3)?,
                source: r.get(4)?,
                recorded_by: r.get(5)?,
                recorded_at: r.get(6)?,
                note: r.get(7)?,
                revises: r.get(8)?,
                reason: r.get(9)?,
                clock_set: r.get(10)?,
                import: r.get(11)?,
            };
            if approved_only {
                figure.revises = None;
                figure.reason = None;
            }
            figures.push(figure);
        }
        drop(rows);
        let carried: std::collections::HashSet<i64> = figures.iter().map(|f| f.id).collect();
        let used_imports: std::collections::HashSet<i64> = figures.iter().filter_map(|f| f.import).collect();
        let mut statement = self.conn.prepare(
            "SELECT e.id, e.actual_id, e.from_state, e.to_state, e.changed_by, e.changed_at, e.reason, e.clock_set
             FROM figure_events e JOIN actuals a ON a.id = e.actual_id JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 ORDER BY e.id",
        )?;
        let events = statement
            .query_map([plan_id], |r| {
                Ok(EventRow {
                    id: r.get(0)?,
                    figure: r.get(1)?,
                    from: r.get(2)?,
                    to: r.get(3)?,
                    by: r.get(4)?,
                    at: r.get(5)?,
                    reason: r.get(6)?,
                    clock_set: r.get(7)?,
                })
            })?
            .filter(|e| e.as_ref().map_or(true, |e| carried.contains(&e.figure)))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut statement = self.conn.prepare(
            "SELECT id, file_name, imported_by, imported_at, rows, reporting_unit, unit_head, statistics_head,
                    filled_by, phone, reported_on
             FROM imports WHERE plan_id = ?1 ORDER BY id",
        )?;
        let imports = statement
            .query_map([plan_id], |r| {
                Ok(ImportRow {
                    id: r.get(0)?,
                    file_name: r.get(1)?,
                    imported_by: r.get(2)?,
                    imported_at: r.get(3)?,
                    rows: r.get(4)?,
                    reporting_unit: r.get(5)?,
                    unit_head: r.get(6)?,
                    statistics_head: r.get(7)?,
                    filled_by: r.get(8)?,
                    phone: r.get(9)?,
                    reported_on: r.get(10)?,
                })
            })?
            .filter(|i| i.as_ref().map_or(true, |i| !approved_only || used_imports.contains(&i.id)))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let latest = (figures.iter().map(|f| &f.recorded_at))
            .chain(events.iter().map(|e| &e.at))
            .chain(imports.iter().map(|i| &i.imported_at))
            .chain(adjustments.iter().map(|a: &AdjustmentRow| &a.recorded_at))
            .max();
        let exported = timestamp(exported_at);
        if let Some(latest) = latest.filter(|latest| **latest > exported) {
            return Err(StoreError::ClockBehind {
                set: matches!(clock, Clock::Set(_)),
                clock: exported,
                latest: latest.clone(),
            });
        }
        Ok(Content {
            plan_id: plan.id.clone(),
            source_database: self.database_id()?,
            exported_at: exported,
            approved_only,
            plan_file: Content::plan_lines(&export_plan(&plan)),
            adjustments,
            imports,
            figures,
            events,
        })
    }

    /// Loads a checked bundle in one IMMEDIATE transaction: the same bundle again
    /// changes nothing; a plan this database keeps itself, or one loaded before from
    /// another district database (unless `new_database`: the district's database was
    /// made anew), is refused; any other bundle is kept (`bundles`), and if it is the
    /// plan's newest (export moment) its snapshot replaces the plan's rows.
    pub fn load_bundle(
        &mut self,
        bundle: &Bundle,
        bytes: &[u8],
        file_name: &str,
        new_database: bool,
        clock: Clock,
    ) -> Result<BundleLoad> {
        self.write(|tx| {
            let content = &bundle.content;
            let loaded_at: Option<String> = tx
                .query_row("SELECT loaded_at FROM bundles WHERE checksum = ?1", [&bundle.checksum], |r| r.get(0))
                .optional()?;
            if let Some(loaded_at) = loaded_at {
                return Ok(BundleLoad::AlreadyLoaded { loaded_at });
            }
            let plan_exists: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1)", [&content.plan_id], |r| r.get(0))?;
            let standing: Option<(String, String)> = tx
                .query_row(
                    "SELECT p.source_database, b.exported_at FROM bundled_plans p JOIN bundles b ON b.id = p.bundle_id
                     WHERE p.plan_id = ?1",
                    [&content.plan_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match &standing {
                None if plan_exists => {
                    return Err(StoreError::Bundle(Refusal::CityOwnsPlan { plan: content.plan_id.clone() }))
                }
                Some((loaded_from, _)) if *loaded_from != content.source_database && !new_database => {
                    return Err(StoreError::Bundle(Refusal::OtherDistrict {
                        plan: content.plan_id.clone(),
                        loaded_from: loaded_from.clone(),
                        bundle_from: content.source_database.clone(),
                    }))
                }
                _ => {}
            }
            let now = write_moment(tx, clock)?;
            let exported_at = moment_text(&content.exported_at);
            // Its rows are all from before its export (`bundle::read_bundle`): loaded at
            // or after it, none is later than this database's clock, which a later
            // write here could not be stamped before.
            if exported_at > now {
                return Err(StoreError::Bundle(Refusal::ExportedLater {
                    plan: content.plan_id.clone(),
                    exported_at,
                    now,
                }));
            }
            tx.execute(
                "INSERT INTO bundles (plan_id, source_database, exported_at, approved_only, figures, checksum,
                                      file_name, loaded_at, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    content.plan_id,
                    content.source_database,
                    exported_at,
                    content.approved_only,
                    content.figures.len() as i64,
                    bundle.checksum,
                    file_name,
                    now,
                    bytes,
                ],
            )?;
            let bundle_id = tx.last_insert_rowid();
            if let Some((_, standing_at)) = &standing {
                if *standing_at >= exported_at {
                    return Ok(BundleLoad::KeptOlder { standing: standing_at.clone() });
                }
            }
            let loaded_at = crate::time::parse_timestamp(&now).unwrap_or_else(Utc::now);
            replace_snapshot(tx, bundle, bundle_id, loaded_at)?;
            Ok(BundleLoad::Loaded { superseded: standing.map(|(_, at)| at) })
        })
    }

    /// Every bundle loaded, by plan, then newest first.
    pub fn bundles(&self) -> Result<Vec<BundleSummary>> {
        let mut statement = self.conn.prepare(
            "SELECT b.id, b.plan_id, b.source_database, b.exported_at, b.approved_only, b.figures, b.checksum,
                    b.file_name, b.loaded_at, EXISTS (SELECT 1 FROM bundled_plans p WHERE p.bundle_id = b.id)
             FROM bundles b ORDER BY b.plan_id, b.exported_at DESC, b.id DESC",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(BundleSummary {
                id: r.get(0)?,
                plan_id: r.get(1)?,
                source_database: r.get(2)?,
                exported_at: r.get(3)?,
                approved_only: r.get(4)?,
                figures: r.get(5)?,
                checksum: r.get(6)?,
                file_name: r.get(7)?,
                loaded_at: r.get(8)?,
                standing: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Replaces plan `bundle`'s rows by the bundle's snapshot: the previous snapshot's
/// rows (allowed to go by migration 0009's guards, for bundled plans only) are
/// deleted, then the plan, adjustments, imports, figures and events are written with
/// new row ids, each link following its row. An archived plan stays archived.
fn replace_snapshot(tx: &Connection, bundle: &Bundle, bundle_id: i64, loaded_at: DateTime<Utc>) -> Result<()> {
    let content = &bundle.content;
    let plan_id = content.plan_id.as_str();
    let archived_at: Option<String> =
        tx.query_row("SELECT archived_at FROM plans WHERE id = ?1", [plan_id], |r| r.get(0)).optional()?.flatten();
    for statement in [
        "DELETE FROM figure_events WHERE actual_id IN
             (SELECT a.id FROM actuals a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = ?1)",
        "DELETE FROM actuals WHERE target_id IN (SELECT id FROM targets WHERE plan_id = ?1)",
        "DELETE FROM imports WHERE plan_id = ?1",
        "DELETE FROM target_adjustments WHERE target_id IN (SELECT id FROM targets WHERE plan_id = ?1)",
        "DELETE FROM planned_points WHERE target_id IN (SELECT id FROM targets WHERE plan_id = ?1)",
        "DELETE FROM targets WHERE plan_id = ?1",
        "DELETE FROM sections WHERE plan_id = ?1",
        "DELETE FROM bundled_plans WHERE plan_id = ?1",
        "DELETE FROM plans WHERE id = ?1",
    ] {
        tx.execute(statement, [plan_id])?;
    }
    super::plans::insert_plan(tx, &bundle.plan, loaded_at)?;
    tx.execute(
        "INSERT INTO bundled_plans (plan_id, source_database, bundle_id) VALUES (?1, ?2, ?3)",
        params![plan_id, content.source_database, bundle_id],
    )?;
    let target_ids: HashMap<String, i64> = {
        let mut statement = tx.prepare("SELECT code, id FROM targets WHERE plan_id = ?1")?;
        let rows = statement.query_map([plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Every code was checked against the plan (`bundle::read_bundle`).
    let target = |code: &str| target_ids.get(code).copied().ok_or_else(|| unknown(plan_id, code));
    let mut insert = tx.prepare(
        "INSERT INTO target_adjustments (target_id, value_before, value_after, strive_before, strive_after, reason,
                                         document, effective_at, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for a in &content.adjustments {
        insert.execute(params![
            target(&a.target)?,
            a.value_before,
            a.value_after,
            a.strive_before,
            a.strive_after,
            a.reason,
            a.document,
            moment_text(&a.effective_at),
            moment_text(&a.recorded_at),
            a.recorded_by,
        ])?;
    }
    let mut imports = HashMap::new();
    let mut insert = tx.prepare(
        "INSERT INTO imports (plan_id, file_name, imported_by, imported_at, rows, reporting_unit, unit_head,
                              statistics_head, filled_by, phone, reported_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for i in &content.imports {
        insert.execute(params![
            plan_id,
            i.file_name,
            i.imported_by,
            moment_text(&i.imported_at),
            i.rows,
            i.reporting_unit,
            i.unit_head,
            i.statistics_head,
            i.filled_by,
            i.phone,
            i.reported_on,
        ])?;
        imports.insert(i.id, tx.last_insert_rowid());
    }
    let mut figures = HashMap::new();
    let mut insert = tx.prepare(
        "INSERT INTO actuals (target_id, period_end, period, value, source, recorded_by, recorded_at, note, revises,
                              reason, clock_set, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for f in &content.figures {
        let period: Period = f.period.parse().map_err(|_| StoreError::UnknownTarget {
            plan: plan_id.to_string(),
            code: format!("{} {}", f.target, f.period),
        })?;
        insert.execute(params![
            target(&f.target)?,
            period.end_key(),
            period.label(),
            f.value,
            f.source,
            f.recorded_by,
            moment_text(&f.recorded_at),
            f.note,
            f.revises.and_then(|id| figures.get(&id).copied()),
            f.reason,
            f.clock_set,
            f.import.and_then(|id| imports.get(&id).copied()),
        ])?;
        figures.insert(f.id, tx.last_insert_rowid());
    }
    let mut insert = tx.prepare(
        "INSERT INTO figure_events (actual_id, from_state, to_state, changed_by, changed_at, reason, clock_set)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for e in &content.events {
        let figure = figures.get(&e.figure).copied().ok_or_else(|| unknown(plan_id, &e.figure.to_string()))?;
        insert.execute(params![figure, e.from, e.to, e.by, moment_text(&e.at), e.reason, e.clock_set])?;
    }
    if let Some(at) = archived_at {
        tx.execute("UPDATE plans SET archived_at = ?2 WHERE id = ?1", params![plan_id, at])?;
    }
    Ok(())
}

fn unknown(plan: &str, code: &str) -> StoreError {
    StoreError::UnknownTarget { plan: plan.to_string(), code: code.to_string() }
}
