//! Actual figures in the database: append-only inserts (a revision links to the
//! figure it replaces) and reads of every figure of a plan.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use super::{parse_timestamp, timestamp, Result, Store};
use crate::actual::{Actual, NewActual};
use crate::error::StoreError;
use crate::period::Period;

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
            let mut ids = Vec::with_capacity(figures.len());
            for figure in figures {
                ids.push(insert_actual(tx, plan_id, figure, now)?);
            }
            Ok(ids)
        })
    }

    /// Every figure of a plan, revisions included, in the order they were logged.
    pub fn actuals(&self, plan_id: &str) -> Result<Vec<Actual>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT a.id, t.code, a.period, a.value, a.source, a.recorded_by, a.recorded_at, a.note, a.revises, a.reason
             FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 ORDER BY a.id",
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
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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

fn insert_actual(tx: &Transaction<'_>, plan_id: &str, figure: &NewActual, now: DateTime<Utc>) -> Result<i64> {
    let target_id: i64 = tx
        .prepare_cached("SELECT id FROM targets WHERE plan_id = ?1 AND code = ?2")?
        .query_row(params![plan_id, figure.target], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::UnknownTarget { plan: plan_id.to_string(), code: figure.target.clone() })?;
    let standing = standing_figure(tx, target_id, figure.period)?;
    let revises = match (&figure.revision_reason, standing) {
        (None, None) => None,
        (Some(_), Some(standing)) => Some(standing.id),
        (None, Some(standing)) => {
            return Err(StoreError::WindowTaken {
                target: figure.target.clone(),
                period: figure.period.label(),
                standing: Box::new(standing),
            })
        }
        (Some(_), None) => {
            return Err(StoreError::NothingToRevise { target: figure.target.clone(), period: figure.period.label() })
        }
    };
    tx.prepare_cached(
        "INSERT INTO actuals (target_id, period_end, period, value, source, recorded_by, recorded_at, note, revises, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        target_id,
        figure.period.end_key(),
        figure.period.label(),
        figure.value,
        figure.source,
        figure.recorded_by,
        timestamp(now),
        figure.note,
        revises,
        figure.revision_reason,
    ])?;
    Ok(tx.last_insert_rowid())
}
