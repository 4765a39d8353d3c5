//! Actual figures in the database: append-only inserts (a revision links to the
//! figure it replaces) and reads of every figure of a plan.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{Result, Store};
use crate::actual::{revision_changes_nothing, Actual, NewActual, StandingFigure};
use crate::error::StoreError;
use crate::period::Period;
use crate::plan::Plan;
use crate::review::{FigureState, FigureStates};
use crate::time::{parse_timestamp, timestamp};

impl Store {
    /// The standing figures (revised by none) that import `import_id` wrote into plan
    /// `plan_id`, with their events: what `figures --import ID` shows, read through the
    /// import's index rather than every figure of the plan (the web desk answers each
    /// entry with it).
    pub fn import_standing_figures(
        &self,
        plan_id: &str,
        import_id: i64,
    ) -> Result<(Vec<crate::actual::Actual>, FigureStates)> {
        let mut statement = self.conn.prepare_cached(
            "SELECT DISTINCT t.id, t.code FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE a.import_id = ?1 AND t.plan_id = ?2 ORDER BY t.id",
        )?;
        let codes: Vec<(i64, std::sync::Arc<str>)> = statement
            .query_map(params![import_id, plan_id], |r| Ok((r.get(0)?, r.get::<_, String>(1)?.into())))?
            .collect::<rusqlite::Result<_>>()?;
        let actuals = import_figures(&self.conn, &codes, import_id)?;
        let mut statement = self.conn.prepare_cached(
            "SELECT e.id, e.actual_id, e.from_state, e.to_state, e.changed_by, e.changed_at, e.reason, e.clock_set
             FROM figure_events e JOIN actuals a ON a.id = e.actual_id WHERE a.import_id = ?1",
        )?;
        let events =
            statement.query_map([import_id], super::review::event_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((actuals, FigureStates::new(events)))
    }

    /// Logs figures in one transaction: all are written or none. A figure for a
    /// window that already has one must carry a revision reason; it then revises the
    /// standing figure, which stays in the database.
    pub fn insert_actuals(&mut self, plan_id: &str, figures: &[NewActual], now: DateTime<Utc>) -> Result<Vec<i64>> {
        self.insert_actuals_by(plan_id, figures, Clock::Set(now))
    }

    /// [`Store::insert_actuals`] stamped by `clock`.
    pub fn insert_actuals_by(&mut self, plan_id: &str, figures: &[NewActual], clock: Clock) -> Result<Vec<i64>> {
        self.write(|tx| {
            let mut writer = FigureWriter::new(tx, plan_id, clock, figures.len())?;
            figures.chunks(FIGURES_AT_ONCE).flat_map(|some| writer.insert_all(some)).collect()
        })
    }

    /// A plan and every figure of it, read side by side: the plan on a second,
    /// read-only connection in another thread while this one reads the figures. At
    /// city scale each read takes a good part of `status`, and there are two cores.
    pub fn plan_and_actuals(&self, plan_id: &str) -> Result<(Plan, Vec<Actual>)> {
        let (path, busy_timeout, immutable) = (self.path.clone(), self.busy_timeout, self.immutable);
        let (plan, actuals) = std::thread::scope(|scope| {
            let plan = scope.spawn(move || -> Result<Option<Plan>> {
                super::plans::load_plan(&open_reader(&path, busy_timeout, immutable)?, plan_id, None)
            });
            let actuals = self.actuals(plan_id);
            (plan.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), actuals)
        });
        let plan =
            plan?.ok_or_else(|| StoreError::UnknownPlan { id: plan_id.to_string(), loaded: self.plan_ids_text() })?;
        Ok((plan, actuals?))
    }

    /// Every figure of a plan, revisions included, in the order they were logged.
    pub fn actuals(&self, plan_id: &str) -> Result<Vec<Actual>> {
        self.actuals_in_two_from(plan_id, SCAN_IN_TWO_FROM)
    }

    fn actuals_in_two_from(&self, plan_id: &str, in_two_from: i64) -> Result<Vec<Actual>> {
        let mut statement = self.conn.prepare_cached("SELECT id, code FROM targets WHERE plan_id = ?1")?;
        let mut codes: Vec<(i64, Arc<str>)> = statement
            .query_map([plan_id], |r| Ok((r.get(0)?, r.get::<_, String>(1)?.into())))?
            .collect::<rusqlite::Result<_>>()?;
        // By id, for the decoder's binary search (sorted here, not in a temporary B-tree).
        codes.sort_unstable_by_key(|(id, _)| *id);
        let all_targets: i64 = self.conn.query_row("SELECT count(*) FROM targets", [], |r| r.get(0))?;
        // When the plan holds most of the file (a district's, a city's), one pass over
        // the table in id order reads each page once and needs no sort; in a province's
        // file of hundreds of plans, a search per target reads only this plan's rows.
        let scan_table = i64::try_from(codes.len()).unwrap_or(i64::MAX).saturating_mul(2) >= all_targets;
        if !scan_table {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT {FIGURE_COLUMNS} FROM actuals a JOIN targets t ON t.id = a.target_id WHERE t.plan_id = ?1"
            ))?;
            let mut decoder = FigureDecoder::new(&codes);
            let mut actuals = Vec::new();
            let mut rows = statement.query([plan_id])?;
            while let Some(row) = rows.next()? {
                actuals.extend(decoder.decode(row)?);
            }
            // Sorted here rather than by SQLite: the rows come target by target from the
            // indexes, and an ORDER BY would sort them again in a temporary B-tree.
            actuals.sort_unstable_by_key(|a| a.id);
            return Ok(actuals);
        }
        // Figures are never changed or deleted and a new one always takes a higher id,
        // so the figures up to this id are one consistent set, however many
        // connections read them and whenever.
        let last_id: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM actuals", [], |r| r.get(0))?;
        if last_id < in_two_from {
            return scan_figures(&self.conn, &codes, 0, last_id);
        }
        // Decoding costs more than SQLite's reading: the later half is read on a
        // second connection, on the other core.
        let middle = last_id / 2;
        let (path, busy_timeout, immutable) = (self.path.clone(), self.busy_timeout, self.immutable);
        std::thread::scope(|scope| {
            let later =
                scope.spawn(|| scan_figures(&open_reader(&path, busy_timeout, immutable)?, &codes, middle, last_id));
            let earlier = scan_figures(&self.conn, &codes, 0, middle);
            let later = later.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            let mut actuals = earlier?;
            // Grown by exactly the later half: a province's figures take 150 MiB.
            actuals.reserve_exact(later.len());
            actuals.extend(later);
            Ok(actuals)
        })
    }
}

impl Store {
    /// Plan `plan_id`'s figures to be read a block of targets at a time, from one
    /// snapshot of the file: what this store reads of the plan until the blocks are
    /// dropped (the plan, its states) belongs to the same snapshot. `status` of a
    /// province's plan then holds one block's figures, not 1.2 million.
    pub fn figure_blocks(&self, plan_id: &str) -> Result<FigureBlocks<'_>> {
        // Deferred: the snapshot is taken by the first read, the codes just below.
        let snapshot = self.conn.unchecked_transaction()?;
        let mut statement = self.conn.prepare_cached("SELECT id, code FROM targets WHERE plan_id = ?1")?;
        let mut codes: Vec<(i64, Arc<str>)> = statement
            .query_map([plan_id], |r| Ok((r.get(0)?, r.get::<_, String>(1)?.into())))?
            .collect::<rusqlite::Result<_>>()?;
        codes.sort_unstable_by_key(|(id, _)| *id);
        let ids = codes.iter().map(|(id, code)| (code.clone(), *id)).collect();
        let last_id: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM actuals", [], |r| r.get(0))?;
        Ok(FigureBlocks {
            store: self,
            plan_id: plan_id.to_string(),
            codes,
            ids,
            last_id,
            second: std::sync::Mutex::new(None),
            _snapshot: snapshot,
        })
    }
}

/// See [`Store::figure_blocks`].
pub struct FigureBlocks<'s> {
    store: &'s Store,
    plan_id: String,
    /// The plan's target ids and codes, by id (for [`FigureDecoder`]).
    codes: Vec<(i64, Arc<str>)>,
    ids: HashMap<Arc<str>, i64>,
    /// The last figure in the snapshot. Figures are never changed or deleted and a new
    /// one takes a higher id, so the figures up to it are the snapshot's on any
    /// connection opened since: half of a block is read on a second one, on the other core.
    last_id: i64,
    second: std::sync::Mutex<Option<Connection>>,
    /// A read transaction, ended (rolled back: nothing was written) on drop.
    _snapshot: Transaction<'s>,
}

/// From this many targets, a block's figures are read in two halves at once.
const TARGETS_IN_TWO_FROM: usize = 512;

impl FigureBlocks<'_> {
    /// Every figure of the targets `codes` (revisions included; unknown codes have
    /// none), in the order they were logged.
    pub fn of_targets(&self, codes: &[&str]) -> Result<Vec<Actual>> {
        let ids: Vec<i64> = codes.iter().filter_map(|code| self.ids.get(*code).copied()).collect();
        let (codes, last_id, second) = (&self.codes, self.last_id, &self.second);
        let mut actuals = if ids.len() < TARGETS_IN_TWO_FROM {
            read_targets(&self.store.conn, codes, &ids, last_id)?
        } else {
            let (earlier, later) = ids.split_at(ids.len() / 2);
            let (path, busy_timeout, immutable) = (&self.store.path, self.store.busy_timeout, self.store.immutable);
            std::thread::scope(|scope| {
                let later = scope.spawn(move || -> Result<Vec<Actual>> {
                    let mut second = second.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if second.is_none() {
                        *second = Some(open_reader(path, busy_timeout, immutable)?);
                    }
                    read_targets(second.as_ref().expect("opened just above"), codes, later, last_id)
                });
                let mut actuals = read_targets(&self.store.conn, codes, earlier, last_id)?;
                actuals.extend(later.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
                Ok::<_, StoreError>(actuals)
            })?
        };
        actuals.sort_unstable_by_key(|a| a.id);
        Ok(actuals)
    }

    /// The window keys (`202009`) the plan's figures have, latest first.
    pub fn window_ends(&self) -> Result<Vec<i64>> {
        let mut statement = self.store.conn.prepare_cached(
            "SELECT DISTINCT a.period_end FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 ORDER BY 1 DESC",
        )?;
        let ends = statement.query_map([&self.plan_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ends)
    }

    /// Every figure of the plan (revisions included) whose window ends at `end_key`,
    /// in the order they were logged.
    pub fn ending_at(&self, end_key: i64) -> Result<Vec<Actual>> {
        let mut statement = self.store.conn.prepare_cached(&format!(
            "SELECT {FIGURE_COLUMNS} FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 AND a.period_end = ?2"
        ))?;
        let mut decoder = FigureDecoder::new(&self.codes);
        let mut actuals = Vec::new();
        let mut rows = statement.query(params![self.plan_id, end_key])?;
        while let Some(row) = rows.next()? {
            actuals.extend(decoder.decode(row)?);
        }
        actuals.sort_unstable_by_key(|a| a.id);
        Ok(actuals)
    }
}

impl Store {
    /// The ids of `code`'s figures in plan `plan_id` that were recorded under a set
    /// clock (`ONTRACK_NOW`), for `history`.
    pub fn set_clock_figures(&self, plan_id: &str, code: &str) -> Result<std::collections::BTreeSet<i64>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT a.id FROM actuals a JOIN targets t ON t.id = a.target_id
             WHERE t.plan_id = ?1 AND t.code = ?2 AND a.clock_set = 1",
        )?;
        let ids = statement.query_map(params![plan_id, code], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

/// The figures of the targets `target_ids` (of `codes`) up to figure `last_id`, target by target.
fn read_targets(conn: &Connection, codes: &[(i64, Arc<str>)], target_ids: &[i64], last_id: i64) -> Result<Vec<Actual>> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {FIGURE_COLUMNS} FROM actuals a WHERE a.target_id = ?1 AND a.id <= ?2"))?;
    let mut decoder = FigureDecoder::new(codes);
    let mut actuals = Vec::new();
    for id in target_ids {
        let mut rows = statement.query([id, &last_id])?;
        while let Some(row) = rows.next()? {
            actuals.extend(decoder.decode(row)?);
        }
    }
    Ok(actuals)
}

/// From this many figures in the file, a plan's figures are read in two halves at once.
const SCAN_IN_TWO_FROM: i64 = 20_000;

/// A read-only connection to the same file, for a read on another thread.
fn open_reader(path: &std::path::Path, busy_timeout: std::time::Duration, immutable: bool) -> Result<Connection> {
    let reader = super::open_connection(path, immutable)?;
    reader.busy_timeout(busy_timeout)?;
    Ok(reader)
}

/// The figures of `codes`' targets with ids in `after + 1 ..= up_to`, in id order.
fn scan_figures(conn: &Connection, codes: &[(i64, Arc<str>)], after: i64, up_to: i64) -> Result<Vec<Actual>> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {FIGURE_COLUMNS} FROM actuals a WHERE a.id > ?1 AND a.id <= ?2"))?;
    let mut decoder = FigureDecoder::new(codes);
    // Every id in the range is a figure (none is ever deleted), most of them this
    // plan's when the table is scanned: sized once rather than doubled as it fills.
    let mut actuals = Vec::with_capacity(usize::try_from(up_to - after).unwrap_or(0));
    let mut rows = statement.query([after, up_to])?;
    while let Some(row) = rows.next()? {
        // Figures of the file's other plans are skipped.
        actuals.extend(decoder.decode(row)?);
    }
    Ok(actuals)
}

/// The figures import `import_id` wrote for `codes`' targets that no later figure
/// revises, in id order.
pub(super) fn import_figures(conn: &Connection, codes: &[(i64, Arc<str>)], import_id: i64) -> Result<Vec<Actual>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {FIGURE_COLUMNS} FROM actuals a WHERE a.import_id = ?1
         AND NOT EXISTS (SELECT 1 FROM actuals r WHERE r.revises = a.id) ORDER BY a.id"
    ))?;
    let mut decoder = FigureDecoder::new(codes);
    let mut actuals = Vec::new();
    let mut rows = statement.query([import_id])?;
    while let Some(row) = rows.next()? {
        actuals.extend(decoder.decode(row)?);
    }
    Ok(actuals)
}

/// The columns [`FigureDecoder::decode`] reads, in its order. Most figures have no
/// note and revise nothing: one flag says so, and only then are those three read.
const FIGURE_COLUMNS: &str = "a.target_id, a.id, a.period, a.value, a.source, a.recorded_by, a.recorded_at, \
     a.note IS NOT NULL OR a.revises IS NOT NULL, a.note, a.revises, a.reason";

/// Turns rows of [`FIGURE_COLUMNS`] into figures without a copy of the text that
/// figures share: the target code comes from the plan's codes, and sources and names
/// are kept once each (a city's million figures come from a few hundred sources and
/// people). A figure logged in the same batch as the previous row reuses its time.
struct FigureDecoder<'c> {
    /// The plan's target ids and codes, by id.
    codes: &'c [(i64, Arc<str>)],
    last_target: Option<(i64, Arc<str>)>,
    last_recorded_at: Option<(Vec<u8>, DateTime<Utc>)>,
    texts: SharedTexts,
}

impl<'c> FigureDecoder<'c> {
    fn new(codes: &'c [(i64, Arc<str>)]) -> FigureDecoder<'c> {
        FigureDecoder { codes, last_target: None, last_recorded_at: None, texts: SharedTexts::default() }
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
        let annotated: bool = row.get(7)?;
        Ok(Some(Actual {
            id: row.get(1)?,
            target,
            period: Period::parse_canonical(period).ok_or_else(|| corrupt(2, period))?,
            value: row.get(3)?,
            source: match row.get_ref(4)? {
                ValueRef::Null => None,
                value => Some(self.texts.get(value, 4)?),
            },
            recorded_by: self.texts.get(row.get_ref(5)?, 5)?,
            recorded_at: self.recorded_at(row)?,
            note: if annotated { text_or_null(row, 8)?.map(Box::from) } else { None },
            revises: if annotated { row.get(9)? } else { None },
            reason: if annotated { text_or_null(row, 10)?.map(Box::from) } else { None },
        }))
    }

    fn recorded_at(&mut self, row: &rusqlite::Row<'_>) -> rusqlite::Result<DateTime<Utc>> {
        if let (Some((bytes, moment)), ValueRef::Text(text)) = (&self.last_recorded_at, row.get_ref(6)?) {
            if bytes.as_slice() == text {
                return Ok(*moment);
            }
        }
        let text = text(row, 6)?;
        let moment = parse_timestamp(text).ok_or_else(|| corrupt(6, text))?;
        self.last_recorded_at = Some((text.as_bytes().to_vec(), moment));
        Ok(moment)
    }
}

/// Texts read so far, each kept once.
#[derive(Default)]
struct SharedTexts(foldhash::HashMap<Box<[u8]>, Arc<str>>);

impl SharedTexts {
    /// Past this many distinct texts (a plan whose every figure has its own source)
    /// new ones are no longer kept: the table would only grow.
    const MAX: usize = 4096;

    /// Column `index`'s `value` as shared text: one seen before is found by its bytes
    /// (no copy, no UTF-8 check).
    fn get(&mut self, value: ValueRef<'_>, index: usize) -> rusqlite::Result<Arc<str>> {
        let ValueRef::Text(bytes) = value else {
            return Err(rusqlite::Error::InvalidColumnType(index, String::new(), value.data_type()));
        };
        if let Some(seen) = self.0.get(bytes) {
            return Ok(seen.clone());
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, e.into()))?;
        let new: Arc<str> = Arc::from(text);
        if self.0.len() < Self::MAX {
            self.0.insert(bytes.into(), new.clone());
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
/// A window's figures form one chain (one original, each revised at most once), so
/// one of them is unrevised; it is looked for from the latest recorded back, where
/// it is found first, rather than through every revision of a window much corrected.
pub fn standing_figure(tx: &Connection, target_id: i64, period: Period) -> Result<Option<StandingFigure>> {
    let mut statement = tx.prepare_cached(
        "SELECT a.id, a.period, a.value, a.source, a.recorded_by, a.recorded_at FROM actuals a
         WHERE a.target_id = ?1 AND a.period_end = ?2
           AND NOT EXISTS (SELECT 1 FROM actuals later WHERE later.revises = a.id)
         ORDER BY a.recorded_at DESC, a.id DESC LIMIT 1",
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

/// The clock a write is stamped by: the system's, read inside the write transaction
/// (once the write lock is held, so a writer that waited is stamped after the one it
/// waited for), or a set moment (`ONTRACK_NOW`, the demo's figures, tests).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    System,
    Set(DateTime<Utc>),
}

impl From<DateTime<Utc>> for Clock {
    fn from(moment: DateTime<Utc>) -> Clock {
        Clock::Set(moment)
    }
}

/// The moment a write inside `tx` is recorded at: `clock`'s, never before the latest
/// figure or review event already stored. Figures are recorded in the order they are written, so a
/// revision is never recorded before the figure it revises and a set clock cannot
/// backdate the audit trail.
pub(super) fn write_moment(tx: &Connection, clock: Clock) -> Result<String> {
    let moment = match clock {
        Clock::System => Utc::now(),
        Clock::Set(moment) => moment,
    };
    let recorded_at = timestamp(moment);
    // Through the index actuals_by_time: one step.
    // Review events too (through figure_events_by_time): the trail of figures and
    // their states moves forward as one.
    let latest: Option<String> = tx
        .prepare_cached(
            "SELECT max(latest) FROM (SELECT max(recorded_at) AS latest FROM actuals
             UNION ALL SELECT max(changed_at) FROM figure_events)",
        )?
        .query_row([], |r| r.get(0))?;
    match latest {
        Some(latest) if latest > recorded_at => {
            Err(StoreError::ClockBehind { set: matches!(clock, Clock::Set(_)), clock: recorded_at, latest })
        }
        _ => Ok(recorded_at),
    }
}

/// Writes figures inside a write transaction, as fast as SQLite allows: the plan's
/// target ids are read once (for more than a few figures), statements are prepared
/// once, and a first figure for a window costs one INSERT: the unique index
/// `actuals_one_original` refuses a second original, and only then is the standing
/// figure read, for the message. A revision reads the standing figure it revises.
/// A statistical form's head and foot as an import read them, kept with the import
/// (`imports`): who answers for the figures it brought.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormProvenance {
    pub reporting_unit: Option<String>,
    pub unit_head: Option<String>,
    pub statistics_head: Option<String>,
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub reported_on: Option<String>,
}

pub struct FigureWriter<'t> {
    tx: &'t Connection,
    plan_id: String,
    recorded_at: String,
    /// Whether `recorded_at` is a set clock's (`actuals.clock_set`).
    clock_set: bool,
    /// Every target id of the plan by code, when many figures are written.
    ids: Option<HashMap<String, i64>>,
    /// Or: the plan, and its target ids in the plan's order (no second map of codes).
    plan_ids: Option<(&'t Plan, Vec<i64>)>,
    /// The INSERT, prepared once (looking it up in rusqlite's statement cache hashes
    /// its text on every row).
    /// Cached on the connection: the web desk writes ten figures per request.
    insert: rusqlite::CachedStatement<'t>,
    /// The import the figures come from (`imports.id`), none for `record`.
    import_id: Option<i64>,
}

/// The reason stored with a figure logged for a window whose standing figure was
/// returned or voided: it is written as that figure's revision.
pub const RELOGGED: &str = "重新报送（原数据已退回或作废）/ re-logged after return or void";

/// How many figures [`FigureWriter::insert_all`] is given at a time by the import:
/// enough that the statement journal's copies are a small part of each row's cost,
/// few enough that the 12 values a row binds stay far below SQLite's limit.
pub const FIGURES_AT_ONCE: usize = 64;

/// Below this many figures, target ids are looked up one by one (`record`).
const LOOKUP_ALL_FROM: usize = 64;

impl<'t> FigureWriter<'t> {
    pub fn new(tx: &'t Connection, plan_id: &str, clock: impl Into<Clock>, expected: usize) -> Result<Self> {
        let clock = clock.into();
        super::plans::refuse_archived(tx, plan_id)?;
        super::plans::refuse_bundled(tx, plan_id)?;
        let recorded_at = write_moment(tx, clock)?;
        let clock_set = matches!(clock, Clock::Set(_));
        let ids = if expected >= LOOKUP_ALL_FROM {
            let mut statement = tx.prepare_cached("SELECT code, id FROM targets WHERE plan_id = ?1")?;
            let rows = statement.query_map([plan_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            Some(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
        } else {
            None
        };
        let insert = tx.prepare_cached(
            "INSERT INTO actuals (target_id, period_end, period, value, source, recorded_by, recorded_at, note, \
             revises, reason, clock_set, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        Ok(FigureWriter {
            tx,
            plan_id: plan_id.to_string(),
            recorded_at,
            clock_set,
            ids,
            plan_ids: None,
            insert,
            import_id: None,
        })
    }

    /// Records an import of `file_name` by `by`, at this writer's moment, and marks every
    /// figure written from now on as its own. Returns the import's id.
    pub fn start_import(&mut self, file_name: &str, by: &str) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO imports (plan_id, file_name, imported_by, imported_at, rows) VALUES (?1, ?2, ?3, ?4, 0)",
            )?
            .execute(params![self.plan_id, file_name, by, self.recorded_at])?;
        let id = self.tx.last_insert_rowid();
        self.import_id = Some(id);
        Ok(id)
    }

    /// Appends a line to the audit log in the writer's own transaction, so a write
    /// from the web desk and its audit line are kept or dropped together.
    pub fn audit(&mut self, entry: &super::AuditEntry) -> Result<()> {
        super::accounts::append_audit(self.tx, entry)
    }

    /// Stores how many figures the import wrote, and the statistical form's head and
    /// foot as the sheet had them filled in.
    pub fn finish_import(&mut self, rows: usize, form: &FormProvenance) -> Result<()> {
        if let Some(id) = self.import_id {
            self.tx
                .prepare_cached(
                    "UPDATE imports SET rows = ?2, reporting_unit = ?3, unit_head = ?4, statistics_head = ?5,
                 filled_by = ?6, phone = ?7, reported_on = ?8 WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    rows as i64,
                    form.reporting_unit,
                    form.unit_head,
                    form.statistics_head,
                    form.filled_by,
                    form.phone,
                    form.reported_on
                ])?;
        }
        Ok(())
    }

    /// A writer for many figures of `plan` (an import): target ids are read once, in
    /// the plan's order, and found through the plan's own code index.
    pub fn for_plan(tx: &'t Connection, plan: &'t Plan, clock: impl Into<Clock>) -> Result<Self> {
        let mut writer = FigureWriter::new(tx, &plan.id, clock, 0)?;
        let mut statement = tx.prepare_cached("SELECT code, id FROM targets WHERE plan_id = ?1 ORDER BY position")?;
        let mut ids = Vec::with_capacity(plan.targets().len());
        let mut rows = statement.query([&plan.id])?;
        while let Some(row) = rows.next()? {
            let code: String = row.get(0)?;
            // The plan read from this database has the same targets in the same order.
            if plan.targets().get(ids.len()).is_none_or(|t| t.code != code) {
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
    /// without a reason, a reason for a window with no figure, and any figure for a
    /// window whose standing figure is approved (locked until reopened). A figure for a
    /// window whose standing figure was returned or voided replaces it: it is written
    /// as its revision ([`RELOGGED`]), `submitted`.
    pub fn insert(&mut self, figure: &NewActual) -> Result<i64> {
        let target_id = self.target_id(&figure.target)?;
        let revises = match &figure.revision_reason {
            None => None,
            Some(_) => {
                let Some(standing) = standing_figure(self.tx, target_id, figure.period)? else {
                    return Err(StoreError::NothingToRevise {
                        target: figure.target.clone(),
                        period: figure.period.label(),
                    });
                };
                super::review::refuse_if_locked(self.tx, standing.id, &figure.target, figure.period)?;
                if revision_changes_nothing(standing.value, standing.source.as_deref(), figure) {
                    return Err(StoreError::RevisionChangesNothing {
                        target: figure.target.clone(),
                        period: figure.period.label(),
                        standing: Box::new(standing),
                    });
                }
                Some(standing.id)
            }
        };
        match self.execute(target_id, figure, revises, figure.revision_reason.as_deref()) {
            Ok(id) => Ok(id),
            // The window has an original figure already (actuals_one_original).
            Err(rusqlite::Error::SqliteFailure(error, _))
                if revises.is_none() && error.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                let Some(standing) = standing_figure(self.tx, target_id, figure.period)? else {
                    return Err(rusqlite::Error::SqliteFailure(error, None).into());
                };
                // Only here, where the window is taken, is its state read: a first
                // figure for a window costs one INSERT still.
                match super::review::refuse_if_locked(self.tx, standing.id, &figure.target, figure.period)? {
                    FigureState::Returned | FigureState::Void => {
                        Ok(self.execute(target_id, figure, Some(standing.id), Some(RELOGGED))?)
                    }
                    FigureState::Submitted | FigureState::Approved => Err(StoreError::WindowTaken {
                        target: figure.target.clone(),
                        period: figure.period.label(),
                        standing: Box::new(standing),
                    }),
                }
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Writes `figures` in order and answers for each as [`FigureWriter::insert`] would
    /// one by one. First figures (no revision reason) go in one INSERT of many rows:
    /// the triggers on `actuals` may abort an INSERT, so SQLite gives every statement a
    /// statement journal and copies into it each page the statement changes (a leaf of
    /// the table and of each index, some 24 KiB a row) — once per statement, not per
    /// figure, when the figures share a statement. If that statement is refused (a
    /// window already taken, by an earlier row or in the database), SQLite undoes all
    /// of it and the figures are written one by one, each with its own answer.
    pub fn insert_all(&mut self, figures: &[NewActual]) -> Vec<Result<i64>> {
        if figures.len() > 1 && figures.iter().all(|figure| figure.revision_reason.is_none()) {
            if let Ok(Some(last)) = self.execute_many(figures) {
                let first = last - figures.len() as i64 + 1;
                return (first..=last).map(Ok).collect();
            }
        }
        figures.iter().map(|figure| self.insert(figure)).collect()
    }

    /// One INSERT of `figures`, all first figures; the id of the last one, or `None`
    /// when a target is not the plan's (the caller writes them one by one and names it).
    fn execute_many(&self, figures: &[NewActual]) -> Result<Option<i64>> {
        let mut target_ids = Vec::with_capacity(figures.len());
        for figure in figures {
            match self.target_id(&figure.target) {
                Ok(id) => target_ids.push(id),
                Err(_) => return Ok(None),
            }
        }
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)"; figures.len()].join(", ");
        let mut insert = self.tx.prepare_cached(&format!(
            "INSERT INTO actuals (target_id, period_end, period, value, source, recorded_by, recorded_at, note, \
             revises, reason, clock_set, import_id) VALUES {rows}"
        ))?;
        let mut index = 0;
        let mut bind = |value: &dyn rusqlite::ToSql| {
            index += 1;
            insert.raw_bind_parameter(index, value)
        };
        // Figures come month by month: one label for a run of the same period.
        let mut label: Option<(Period, String)> = None;
        for (figure, target_id) in figures.iter().zip(target_ids) {
            if label.as_ref().is_none_or(|(period, _)| *period != figure.period) {
                label = Some((figure.period, figure.period.label()));
            }
            bind(&target_id)?;
            bind(&figure.period.end_key())?;
            bind(&label.as_ref().map(|(_, label)| label))?;
            bind(&figure.value)?;
            bind(&figure.source)?;
            bind(&figure.recorded_by)?;
            bind(&self.recorded_at)?;
            bind(&figure.note)?;
            bind(&self.clock_set)?;
            bind(&self.import_id)?;
        }
        insert.raw_execute()?;
        Ok(Some(self.tx.last_insert_rowid()))
    }

    fn execute(
        &mut self,
        target_id: i64,
        figure: &NewActual,
        revises: Option<i64>,
        reason: Option<&str>,
    ) -> rusqlite::Result<i64> {
        self.insert.execute(params![
            target_id,
            figure.period.end_key(),
            figure.period.label(),
            figure.value,
            figure.source,
            figure.recorded_by,
            self.recorded_at,
            figure.note,
            revises,
            reason,
            self.clock_set,
            self.import_id,
        ])?;
        Ok(self.tx.last_insert_rowid())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::plan::file::parse_plan;
    use crate::plan::BUILTIN_PLAN_TOML;

    #[test]
    fn figures_read_in_two_halves_are_the_figures_read_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("t.db"), false, std::time::Duration::from_secs(5)).unwrap();
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let now = Utc.with_ymd_and_hms(2021, 1, 15, 8, 0, 0).unwrap();
        store.insert_plan(&plan, now).unwrap();
        let figures: Vec<NewActual> = plan
            .targets()
            .iter()
            .take(7)
            .flat_map(|target| {
                (1..=3).map(|month| NewActual {
                    target: target.code.clone(),
                    period: Period::month(2020, month),
                    value: f64::from(month),
                    source: Some(format!("来源 {month}")),
                    recorded_by: "甲".to_string(),
                    note: None,
                    revision_reason: None,
                })
            })
            .collect();
        store.insert_actuals(&plan.id, &figures, now).unwrap();
        let whole = store.actuals_in_two_from(&plan.id, i64::MAX).unwrap();
        assert_eq!(whole.len(), 21);
        for from in [0, 1, 20, 21, 22] {
            assert_eq!(store.actuals_in_two_from(&plan.id, from).unwrap(), whole, "in two from {from}");
        }
        assert!(whole.windows(2).all(|pair| pair[0].id < pair[1].id));
    }

    /// Read in two halves on two connections while another connection logs figures
    /// one by one: every read is one moment's figures, never a half from before a
    /// write and a half from after it.
    #[test]
    fn figures_read_in_two_halves_while_others_log_are_one_moments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let timeout = std::time::Duration::from_secs(10);
        let mut store = Store::create(&path, false, timeout).unwrap();
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let now = Utc.with_ymd_and_hms(2021, 1, 15, 8, 0, 0).unwrap();
        store.insert_plan(&plan, now).unwrap();
        let codes: Vec<String> = plan.targets().iter().map(|t| t.code.clone()).collect();
        std::thread::scope(|scope| {
            let writer = scope.spawn(|| {
                let mut store = Store::open(&path, timeout).unwrap();
                for month in 1..=12 {
                    for code in &codes {
                        let figure = NewActual {
                            target: code.clone(),
                            period: Period::month(2020, month),
                            value: 1.0,
                            source: None,
                            recorded_by: "乙".to_string(),
                            note: None,
                            revision_reason: None,
                        };
                        store.insert_actuals("jinshui-2020", &[figure], now).unwrap();
                    }
                }
            });
            let mut seen = 0;
            let mut reads = 0;
            loop {
                // Known before the read: the last read starts after the writer ended,
                // and a writer that dies early ends the loop (and fails the join below).
                let finished = writer.is_finished();
                let figures = store.actuals_in_two_from("jinshui-2020", 1).unwrap();
                let ids: Vec<i64> = figures.iter().map(|f| f.id).collect();
                let expected: Vec<i64> = (1..=ids.len() as i64).collect();
                assert_eq!(ids, expected, "one moment's figures, no gap");
                assert!(ids.len() >= seen, "never fewer than before");
                seen = ids.len();
                reads += 1;
                if finished {
                    break;
                }
            }
            writer.join().expect("the writer logged every figure");
            assert_eq!(seen, codes.len() * 12, "the last read, after the writer ended, has every figure");
            assert!(reads > 2, "the reads ran while the writer logged");
        });
    }

    /// The write syscalls this thread has made (Linux: /proc/thread-self/io), or
    /// None where the kernel does not say.
    fn write_calls_of_this_thread() -> Option<u64> {
        let io = std::fs::read_to_string("/proc/thread-self/io").ok()?;
        io.lines().find_map(|line| line.strip_prefix("syscw:")).and_then(|n| n.trim().parse().ok())
    }

    /// Issue 18: an import made about ten `pwrite`s per figure, nearly all into a
    /// temporary file: SQLite's statement journal, which every INSERT into
    /// `actuals` keeps (the foreign key and the revision trigger may abort it). A
    /// bulk write keeps that journal in memory, so a figure costs a fraction of one
    /// write: the pages the WAL takes.
    /// SQLite writes from the calling thread, so this thread's count is the write's.
    #[test]
    fn a_bulk_write_of_figures_makes_fewer_write_calls_than_figures() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("t.db"), false, std::time::Duration::from_secs(5)).unwrap();
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let now = Utc.with_ymd_and_hms(2021, 1, 15, 8, 0, 0).unwrap();
        store.insert_plan(&plan, now).unwrap();
        // Month by month, every target each month, as offices report; sixty years,
        // so the indexes outgrow SQLite's page cache.
        let figures: Vec<NewActual> = (1961..=2020)
            .flat_map(|year| (1..=12).map(move |month| Period::month(year, month)))
            .flat_map(|period| {
                plan.targets().iter().map(move |target| NewActual {
                    target: target.code.clone(),
                    period,
                    value: 1.5,
                    source: Some("区统计局 统计月报".to_string()),
                    recorded_by: "甲".to_string(),
                    note: None,
                    revision_reason: None,
                })
            })
            .collect();
        let Some(before) = write_calls_of_this_thread() else { return };
        let cache_before: i64 = store.conn().query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
        store
            .bulk_write_if(plan.targets().len(), |tx| {
                let mut writer = FigureWriter::for_plan(tx, &plan, Clock::Set(now))?;
                for figure in &figures {
                    writer.insert(figure)?;
                }
                Ok(((), true))
            })
            .unwrap();
        let calls = write_calls_of_this_thread().unwrap() - before;
        assert!(calls < figures.len() as u64 / 2, "{calls} write calls for {} figures", figures.len());
        assert_eq!(store.actuals_in_two_from(&plan.id, i64::MAX).unwrap().len(), figures.len());
        // The connection's own settings again afterwards.
        let cache_after: i64 = store.conn().query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
        let temp_store: i64 = store.conn().query_row("PRAGMA temp_store", [], |r| r.get(0)).unwrap();
        assert_eq!((cache_after, temp_store), (cache_before, 0));
    }

    /// Figures written together answer exactly as written one by one, whatever a
    /// statement of many rows meets: a window taken by an earlier figure of the same
    /// statement or already in the database, a target not in the plan, a revision.
    #[test]
    fn figures_written_together_answer_as_figures_written_one_by_one() {
        let plan = parse_plan(BUILTIN_PLAN_TOML, "builtin").unwrap();
        let now = Utc.with_ymd_and_hms(2021, 1, 15, 8, 0, 0).unwrap();
        let figure = |target: &str, month: u8, value: f64, reason: Option<&str>| NewActual {
            target: target.to_string(),
            period: Period::month(2020, month),
            value,
            source: Some("区统计局".to_string()),
            recorded_by: "甲".to_string(),
            note: None,
            revision_reason: reason.map(str::to_string),
        };
        let codes: Vec<&str> = plan.targets().iter().map(|target| target.code.as_str()).collect();
        let clean: Vec<NewActual> =
            (1..=6).flat_map(|month| codes.iter().map(move |code| figure(code, month, 1.0, None))).collect();
        assert!(clean.len() > FIGURES_AT_ONCE, "more than one statement's worth");
        let mut clashing = clean.clone();
        clashing[40] = figure(codes[0], 1, 2.0, None); // the window of row 0, in the same statement
        clashing[FIGURES_AT_ONCE + 3] = figure(codes[1], 12, 2.0, None); // logged before
        clashing[FIGURES_AT_ONCE + 9] = figure("no-such-target", 1, 2.0, None);
        clashing[2 * FIGURES_AT_ONCE + 1] = figure(codes[2], 12, 3.0, Some("更正")); // a revision
        let write = |together: bool, figures: &[NewActual]| {
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::create(&dir.path().join("t.db"), false, std::time::Duration::from_secs(5)).unwrap();
            store.insert_plan(&plan, now).unwrap();
            let before: Vec<NewActual> = codes.iter().map(|code| figure(code, 12, 9.0, None)).collect();
            store.insert_actuals(&plan.id, &before, now).unwrap();
            let answers: Vec<String> = store
                .write_if(|tx| {
                    let mut writer = FigureWriter::for_plan(tx, &plan, Clock::Set(now))?;
                    let answers: Vec<Result<i64>> = if together {
                        figures.chunks(FIGURES_AT_ONCE).flat_map(|some| writer.insert_all(some)).collect()
                    } else {
                        figures.iter().map(|figure| writer.insert(figure)).collect()
                    };
                    Ok((answers.iter().map(|answer| format!("{answer:?}")).collect(), true))
                })
                .unwrap();
            let stored: Vec<(i64, String, String, f64, Option<i64>)> = store
                .conn()
                .prepare("SELECT a.id, t.code, a.period, a.value, a.revises FROM actuals a JOIN targets t ON t.id = a.target_id ORDER BY a.id")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (answers, stored)
        };
        for figures in [&clean, &clashing] {
            let (one_by_one, stored_one_by_one) = write(false, figures);
            let (together, stored_together) = write(true, figures);
            assert_eq!(together, one_by_one);
            assert_eq!(stored_together, stored_one_by_one);
        }
        let (answers, _) = write(true, &clashing);
        assert_eq!(answers.iter().filter(|answer| answer.starts_with("Err")).count(), 3, "{answers:?}");
    }
}
