//! Actual figures in the database: append-only inserts (a revision links to the
//! figure it replaces) and reads of every figure of a plan.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::types::{Type, ValueRef};
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
        let mut statement = self.conn.prepare_cached("SELECT id, code FROM targets WHERE plan_id = ?1 ORDER BY id")?;
        let codes: Vec<(i64, Arc<str>)> = statement
            .query_map([plan_id], |r| Ok((r.get(0)?, r.get::<_, String>(1)?.into())))?
            .collect::<rusqlite::Result<_>>()?;
        let all_targets: i64 = self.conn.query_row("SELECT count(*) FROM targets", [], |r| r.get(0))?;
        // When the plan holds most of the file (a district's, a city's), one pass over
        // the table in id order reads each page once and needs no sort; in a province's
        // file of hundreds of plans, a search per target reads only this plan's rows.
        let scan_table = i64::try_from(codes.len()).unwrap_or(i64::MAX).saturating_mul(2) >= all_targets;
        let mut decoder = FigureDecoder::new(codes);
        let mut actuals = Vec::new();
        if scan_table {
            let mut statement = self.conn.prepare_cached(&format!("SELECT {FIGURE_COLUMNS} FROM actuals a"))?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                // Figures of the file's other plans are skipped.
                if let Some(figure) = decoder.decode(row)? {
                    actuals.push(figure);
                }
            }
        } else {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT {FIGURE_COLUMNS} FROM actuals a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = ?1"
            ))?;
            let mut rows = statement.query([plan_id])?;
            while let Some(row) = rows.next()? {
                actuals.extend(decoder.decode(row)?);
            }
            // Sorted here rather than by SQLite: the rows come target by target from the
            // indexes, and an ORDER BY would sort them again in a temporary B-tree.
            actuals.sort_unstable_by_key(|a| a.id);
        }
        Ok(actuals)
    }
}

/// The columns [`FigureDecoder::decode`] reads, in its order.
const FIGURE_COLUMNS: &str =
    "a.target_id, a.id, a.period, a.value, a.source, a.recorded_by, a.recorded_at, a.note, a.revises, a.reason";

/// Turns rows of [`FIGURE_COLUMNS`] into figures without a copy of the text that
/// figures share: the target code comes from the plan's codes, and sources and names
/// are kept once each (a city's million figures come from a few hundred sources and
/// people).
struct FigureDecoder {
    /// The plan's target ids and codes, by id.
    codes: Vec<(i64, Arc<str>)>,
    last_target: Option<(i64, Arc<str>)>,
    texts: SharedTexts,
}

impl FigureDecoder {
    fn new(codes: Vec<(i64, Arc<str>)>) -> FigureDecoder {
        FigureDecoder { codes, last_target: None, texts: SharedTexts::default() }
    }

    /// The figure in `row`, or `None` when it belongs to another plan's target.
    fn decode(&mut self, row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Actual>> {
        let target_id: i64 = row.get(0)?;
        let target = match &self.last_target {
            Some((id, code)) if *id == target_id => code.clone(),
            _ => match self.codes.binary_search_by_key(&target_id, |(id, _)| *id) {
                Ok(found) => {
                    let code = self.codes[found].1.clone();
                    self.last_target = Some((target_id, code.clone()));
                    code
                }
                Err(_) => return Ok(None),
            },
        };
        let period = text(row, 2)?;
        let recorded_at = text(row, 6)?;
        Ok(Some(Actual {
            id: row.get(1)?,
            target,
            period: Period::parse_canonical(period).ok_or_else(|| corrupt(2, period))?,
            value: row.get(3)?,
            source: match row.get_ref(4)? {
                ValueRef::Null => None,
                _ => Some(self.texts.get(row, 4)?),
            },
            recorded_by: self.texts.get(row, 5)?,
            recorded_at: parse_timestamp(recorded_at).ok_or_else(|| corrupt(6, recorded_at))?,
            note: text_or_null(row, 7)?.map(str::to_string),
            revises: row.get(8)?,
            reason: text_or_null(row, 9)?.map(str::to_string),
        }))
    }
}

/// Texts read so far, each kept once.
#[derive(Default)]
struct SharedTexts(foldhash::HashMap<Box<[u8]>, Arc<str>>);

impl SharedTexts {
    /// Past this many distinct texts (a plan whose every figure has its own source)
    /// new ones are no longer kept: the table would only grow.
    const MAX: usize = 4096;

    /// A text column as shared text: one seen before is found by its bytes (no copy,
    /// no UTF-8 check).
    fn get(&mut self, row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Arc<str>> {
        if let ValueRef::Text(bytes) = row.get_ref(index)? {
            if let Some(seen) = self.0.get(bytes) {
                return Ok(seen.clone());
            }
        }
        let new: Arc<str> = Arc::from(text(row, index)?);
        if self.0.len() < Self::MAX {
            self.0.insert(new.as_bytes().into(), new.clone());
        }
        Ok(new)
    }
}

/// A text column, borrowed from SQLite's row buffer.
fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    text_or_null(row, index)?.ok_or(rusqlite::Error::InvalidColumnType(index, String::new(), Type::Null))
}

fn text_or_null<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(index)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, e.into()))
}

fn corrupt(index: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        Type::Text,
        format!("unexpected value {text:?} in the database").into(),
    )
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
