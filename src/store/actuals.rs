//! Actual figures in the database: append-only inserts (a revision links to the
//! figure it replaces) and reads of every figure of a plan.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use super::{parse_timestamp, timestamp, Result, Store};
use crate::actual::{Actual, NewActual};
use crate::error::StoreError;
use crate::period::Period;
use crate::plan::Plan;

/// The figure currently standing for a target and window.
#[derive(Debug, Clone, PartialEq)]
pub struct StandingFigure {
    pub id: i64,
    pub period: String,
    pub value: f64,
    pub source: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl Store {
    /// Logs figures in one transaction: all are written or none. A figure for a
    /// window that already has one must carry a revision reason; it then revises the
    /// standing figure, which stays in the database.
    pub fn insert_actuals(&mut self, plan_id: &str, figures: &[NewActual], now: DateTime<Utc>) -> Result<Vec<i64>> {
        self.write(|tx| {
            let mut writer = FigureWriter::new(tx, plan_id, now, figures.len())?;
            figures.iter().map(|figure| writer.insert(figure)).collect()
        })
    }

    /// Every figure of a plan, revisions included, in the order they were logged.
    pub fn actuals(&self, plan_id: &str) -> Result<Vec<Actual>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT a.id, t.code, a.period, a.value, a.source, a.recorded_by, a.recorded_at, a.note, a.revises, a.reason
             FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1",
        )?;
        let rows = statement.query_map([plan_id], |r| {
            let period: String = r.get(2)?;
            let recorded_at: String = r.get(6)?;
            let corrupt = |index: usize, text: &str| {
                rusqlite::Error::FromSqlConversionFailure(
                    index,
                    rusqlite::types::Type::Text,
                    format!("unexpected value {text:?} in the database").into(),
                )
            };
            Ok(Actual {
                id: r.get(0)?,
                target: r.get(1)?,
                period: period.parse::<Period>().map_err(|_| corrupt(2, &period))?,
                value: r.get(3)?,
                source: r.get(4)?,
                recorded_by: r.get(5)?,
                recorded_at: parse_timestamp(&recorded_at).ok_or_else(|| corrupt(6, &recorded_at))?,
                note: r.get(7)?,
                revises: r.get(8)?,
                reason: r.get(9)?,
            })
        })?;
        // Sorted here rather than by SQLite: the rows come target by target from the
        // indexes, and an ORDER BY would sort them again in a temporary B-tree.
        let mut actuals: Vec<Actual> = rows.collect::<rusqlite::Result<_>>()?;
        actuals.sort_unstable_by_key(|a| a.id);
        Ok(actuals)
    }
}

/// The standing figure (the head of the revision chain) for a target and window.
pub fn standing_figure(tx: &Transaction<'_>, target_id: i64, period: Period) -> Result<Option<StandingFigure>> {
    let mut statement = tx.prepare_cached(
        "SELECT a.id, a.period, a.value, a.source, a.recorded_by, a.recorded_at FROM actuals a
         WHERE a.target_id = ?1 AND a.period_end = ?2
           AND NOT EXISTS (SELECT 1 FROM actuals later WHERE later.revises = a.id)",
    )?;
    Ok(statement
        .query_row(params![target_id, period.end_key()], |r| {
            Ok(StandingFigure {
                id: r.get(0)?,
                period: r.get(1)?,
                value: r.get(2)?,
                source: r.get(3)?,
                recorded_by: r.get(4)?,
                recorded_at: r.get(5)?,
            })
        })
        .optional()?)
}

/// Writes figures inside a write transaction, as fast as SQLite allows: the plan's
/// target ids are read once (for more than a few figures), statements are prepared
/// once, and a first figure for a window costs one INSERT: the unique index
/// `actuals_one_original` refuses a second original, and only then is the standing
/// figure read, for the message. A revision reads the standing figure it revises.
pub struct FigureWriter<'t> {
    tx: &'t Transaction<'t>,
    plan_id: String,
    recorded_at: String,
    /// Every target id of the plan by code, when many figures are written.
    ids: Option<HashMap<String, i64>>,
    /// Or: the plan, and its target ids in the plan's order (no second map of codes).
    plan_ids: Option<(&'t Plan, Vec<i64>)>,
    /// The INSERT, prepared once (looking it up in rusqlite's statement cache hashes
    /// its text on every row).
    insert: rusqlite::Statement<'t>,
}

/// Below this many figures, target ids are looked up one by one (`record`).
const LOOKUP_ALL_FROM: usize = 64;

impl<'t> FigureWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>, plan_id: &str, now: DateTime<Utc>, expected: usize) -> Result<Self> {
        let ids = if expected >= LOOKUP_ALL_FROM {
            let mut statement = tx.prepare_cached("SELECT code, id FROM targets WHERE plan_id = ?1")?;
            let rows = statement.query_map([plan_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Some(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
        } else {
            None
        };
        let insert = tx.prepare(
            "INSERT INTO actuals (target_id, period_end, period, value, source, recorded_by, recorded_at, note, \
             revises, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        Ok(FigureWriter { tx, plan_id: plan_id.to_string(), recorded_at: timestamp(now), ids, plan_ids: None, insert })
    }

    /// A writer for many figures of `plan` (an import): target ids are read once, in
    /// the plan's order, and found through the plan's own code index.
    pub fn for_plan(tx: &'t Transaction<'t>, plan: &'t Plan, now: DateTime<Utc>) -> Result<Self> {
        let mut writer = FigureWriter::new(tx, &plan.id, now, 0)?;
        let mut statement = tx.prepare_cached("SELECT code, id FROM targets WHERE plan_id = ?1 ORDER BY position")?;
        let mut ids = Vec::with_capacity(plan.targets.len());
        let mut rows = statement.query([&plan.id])?;
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            // The plan read from this database has the same targets in the same order.
            if plan.targets.get(ids.len()).is_none_or(|t| t.code != code) {
                return Err(StoreError::UnknownTarget { plan: plan.id.clone(), code });
            }
            ids.push(row.get(1)?);
        }
        drop(rows);
        drop(statement);
        writer.plan_ids = Some((plan, ids));
        Ok(writer)
    }

    fn target_id(&self, code: &str) -> Result<i64> {
        let found = match (&self.ids, &self.plan_ids) {
            (_, Some((plan, ids))) => plan.target_position(code).and_then(|position| ids.get(position).copied()),
            (Some(ids), None) => ids.get(code).copied(),
            (None, None) => self
                .tx
                .prepare_cached("SELECT id FROM targets WHERE plan_id = ?1 AND code = ?2")?
                .query_row(params![self.plan_id, code], |r| r.get(0))
                .optional()?,
        };
        found.ok_or_else(|| StoreError::UnknownTarget { plan: self.plan_id.clone(), code: code.to_string() })
    }

    /// Writes one figure and returns its id; refuses a second figure for a window
    /// without a reason, and a reason for a window with no figure.
    pub fn insert(&mut self, figure: &NewActual) -> Result<i64> {
        let target_id = self.target_id(&figure.target)?;
        let revises = match &figure.revision_reason {
            None => None,
            Some(_) => match standing_figure(self.tx, target_id, figure.period)? {
                Some(standing) => Some(standing.id),
                None => {
                    return Err(StoreError::NothingToRevise {
                        target: figure.target.clone(),
                        period: figure.period.label(),
                    })
                }
            },
        };
        let inserted = self.insert.execute(params![
            target_id,
            figure.period.end_key(),
            figure.period.label(),
            figure.value,
            figure.source,
            figure.recorded_by,
            self.recorded_at,
            figure.note,
            revises,
            figure.revision_reason,
        ]);
        match inserted {
            Ok(_) => Ok(self.tx.last_insert_rowid()),
            // The window has an original figure already (actuals_one_original).
            Err(rusqlite::Error::SqliteFailure(error, _))
                if revises.is_none() && error.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                match standing_figure(self.tx, target_id, figure.period)? {
                    Some(standing) => Err(StoreError::WindowTaken {
                        target: figure.target.clone(),
                        period: figure.period.label(),
                        standing: Box::new(standing),
                    }),
                    None => Err(rusqlite::Error::SqliteFailure(error, None).into()),
                }
            }
            Err(other) => Err(other.into()),
        }
    }
}
