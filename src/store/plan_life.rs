//! A plan's life: target adjustments (append-only, `target_adjustments`), the plan as
//! it stood at a moment, archiving a plan with figures and removing one without.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::actuals::write_moment;
use super::plans::refuse_archived;
use super::{Clock, Result, Store};
use crate::actual::Actual;
use crate::adjust::{Adjustment, NewAdjustment};
use crate::error::StoreError;
use crate::plan::Plan;
use crate::time::{parse_timestamp, timestamp};

impl Store {
    /// Every adjustment of the plan's targets, in the order they were recorded.
    pub fn adjustments(&self, plan_id: &str) -> Result<Vec<Adjustment>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT a.id, t.code, a.value_before, a.value_after, a.reason, a.document, a.effective_at,
                    a.recorded_at, a.recorded_by, a.strive_before, a.strive_after
             FROM target_adjustments a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 ORDER BY a.id",
        )?;
        let moment = |row: &rusqlite::Row<'_>, index: usize| -> rusqlite::Result<DateTime<Utc>> {
            let text: String = row.get(index)?;
            parse_timestamp(&text).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    index,
                    rusqlite::types::Type::Text,
                    format!("unexpected moment {text:?} in the database").into(),
                )
            })
        };
        let rows = statement.query_map([plan_id], |r| {
            Ok(Adjustment {
                id: r.get(0)?,
                code: r.get(1)?,
                value_before: r.get(2)?,
                value_after: r.get(3)?,
                reason: r.get(4)?,
                document: r.get(5)?,
                effective_at: moment(r, 6)?,
                recorded_at: moment(r, 7)?,
                recorded_by: r.get(8)?,
                strive_before: r.get(9)?,
                strive_after: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The plan as it stood at `moment` (its targets' values with the adjustments
    /// standing then, `adjust::apply`): what status, charts and reports read.
    pub fn load_plan_at(&self, plan_id: &str, moment: DateTime<Utc>) -> Result<Plan> {
        let mut plan = self.load_plan(plan_id)?;
        crate::adjust::apply(&mut plan, &self.adjustments(plan_id)?, moment);
        Ok(plan)
    }

    /// [`Store::plan_and_actuals`] with the plan as it stood at `moment`.
    pub fn plan_and_actuals_at(&self, plan_id: &str, moment: DateTime<Utc>) -> Result<(Plan, Vec<Actual>)> {
        let (mut plan, actuals) = self.plan_and_actuals(plan_id)?;
        crate::adjust::apply(&mut plan, &self.adjustments(plan_id)?, moment);
        Ok((plan, actuals))
    }

    /// Records an adjustment in one IMMEDIATE transaction, which re-reads the target's
    /// latest adjustment: the value before is the value then in force, and an
    /// adjustment cannot take effect before the one before it or after the moment it
    /// is recorded.
    pub fn record_adjustment(&mut self, plan_id: &str, new: &NewAdjustment, clock: Clock) -> Result<Adjustment> {
        self.write(|tx| {
            refuse_archived(tx, plan_id)?;
            super::plans::refuse_bundled(tx, plan_id)?;
            let recorded_at = write_moment(tx, clock)?;
            let (target_id, loaded_value, loaded_strive): (i64, f64, Option<f64>) = tx
                .query_row(
                    "SELECT id, value, strive FROM targets WHERE plan_id = ?1 AND code = ?2",
                    [plan_id, &new.code],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or_else(|| StoreError::UnknownTarget { plan: plan_id.to_string(), code: new.code.clone() })?;
            let latest: Option<(f64, String, Option<f64>)> = tx
                .query_row(
                    "SELECT value_after, effective_at, strive_after FROM target_adjustments WHERE target_id = ?1
                     ORDER BY id DESC LIMIT 1",
                    [target_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            // An adjustment recorded before strive bars could move left the loaded one.
            let strive_before = latest.as_ref().and_then(|(_, _, strive)| *strive).or(loaded_strive);
            let strive_after = new.strive.or(strive_before);
            let effective_at = new.effective_at.map_or_else(|| recorded_at.clone(), timestamp);
            if effective_at > recorded_at {
                return Err(StoreError::AdjustmentInFuture {
                    code: new.code.clone(),
                    effective: effective_at,
                    now: recorded_at,
                });
            }
            if let Some((_, latest_effective, _)) = latest.as_ref().filter(|(_, at, _)| *at > effective_at) {
                return Err(StoreError::AdjustmentBeforeLatest {
                    code: new.code.clone(),
                    effective: effective_at,
                    latest: latest_effective.clone(),
                });
            }
            let value_before = latest.map_or(loaded_value, |(value, _, _)| value);
            tx.execute(
                "INSERT INTO target_adjustments (target_id, value_before, value_after, reason, document,
                                                 effective_at, recorded_at, recorded_by, strive_before, strive_after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    target_id,
                    value_before,
                    new.value,
                    new.reason,
                    new.document,
                    effective_at,
                    recorded_at,
                    new.recorded_by,
                    strive_before,
                    strive_after
                ],
            )?;
            let parse = |text: &str| parse_timestamp(text).expect("the moments just written");
            Ok(Adjustment {
                id: tx.last_insert_rowid(),
                code: new.code.clone(),
                value_before,
                value_after: new.value,
                strive_before,
                strive_after,
                reason: new.reason.clone(),
                document: new.document.clone(),
                effective_at: parse(&effective_at),
                recorded_at: parse(&recorded_at),
                recorded_by: new.recorded_by.clone(),
            })
        })
    }

    /// When the plan was archived, if it was.
    pub fn archived_at(&self, plan_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT archived_at FROM plans WHERE id = ?1", [plan_id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Archives a plan: kept whole, with its figures and adjustments, hidden from the
    /// default plan choice, taking no new figures. Archiving an archived plan is refused.
    pub fn archive_plan(&mut self, plan_id: &str, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            refuse_archived(tx, plan_id)?;
            tx.execute("UPDATE plans SET archived_at = ?2 WHERE id = ?1", params![plan_id, timestamp(now)])?;
            Ok(())
        })
    }

    /// Removes a plan that holds no figures and no adjustments, in one transaction
    /// (counted again inside it); a plan with either is refused, pointing at archiving.
    pub fn remove_plan(&mut self, plan_id: &str) -> Result<()> {
        self.write(|tx| {
            super::plans::refuse_bundled(tx, plan_id)?;
            let (figures, adjustments): (i64, i64) = tx.query_row(
                "SELECT (SELECT count(*) FROM actuals a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = ?1),
                        (SELECT count(*) FROM target_adjustments a JOIN targets t ON t.id = a.target_id
                         WHERE t.plan_id = ?1)",
                [plan_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if figures > 0 || adjustments > 0 {
                return Err(StoreError::PlanInUse { id: plan_id.to_string(), figures, adjustments });
            }
            tx.execute(
                "DELETE FROM planned_points WHERE target_id IN (SELECT id FROM targets WHERE plan_id = ?1)",
                [plan_id],
            )?;
            // Relative targets name others of the same plan (a deferred key): all go at once.
            tx.execute("DELETE FROM targets WHERE plan_id = ?1", [plan_id])?;
            tx.execute("DELETE FROM sections WHERE plan_id = ?1", [plan_id])?;
            tx.execute("DELETE FROM plans WHERE id = ?1", [plan_id])?;
            Ok(())
        })
    }
}
