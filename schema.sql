-- ontrack schema, migration 1. Applied by src/store/mod.rs inside one IMMEDIATE
-- transaction; the version lives in PRAGMA user_version, the file type in
-- PRAGMA application_id. Every table is STRICT; enumerations are CHECKed here so a
-- bad value can never be stored, whatever program writes to the file.

-- One organisation's targets for one year.
CREATE TABLE plans (
    id                TEXT PRIMARY KEY CHECK (id <> '' AND id NOT GLOB '*[^a-z0-9-]*'),
    org               TEXT NOT NULL,
    org_en            TEXT,
    year              INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    source            TEXT,
    at_risk_behind    REAL NOT NULL DEFAULT 10 CHECK (at_risk_behind >= 0),
    off_track_behind  REAL NOT NULL DEFAULT 30 CHECK (off_track_behind >= at_risk_behind),
    loaded_at         TEXT NOT NULL,       -- RFC 3339, UTC
    load_seq          INTEGER NOT NULL UNIQUE  -- the most recently loaded plan is the default
) STRICT;

CREATE TABLE sections (
    plan_id   TEXT NOT NULL REFERENCES plans (id),
    id        TEXT NOT NULL,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    title_en  TEXT,
    PRIMARY KEY (plan_id, id)
) STRICT;

-- One stated goal, with every field of a plan file (docs/plan-format.md).
CREATE TABLE targets (
    id          INTEGER PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES plans (id),
    code        TEXT NOT NULL CHECK (code <> '' AND code NOT GLOB '*[^a-z0-9-]*'),
    position    INTEGER NOT NULL,
    section_id  TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('growth', 'rate', 'share', 'count', 'amount', 'relative', 'milestone')),
    measure     TEXT CHECK (measure IN ('ytd', 'level')),
    cmp         TEXT NOT NULL CHECK (cmp IN ('about', 'at_most', 'at_least', 'more_than', 'reach')),
    value       REAL NOT NULL,
    unit        TEXT NOT NULL,
    tolerance   REAL CHECK (tolerance >= 0),
    baseline    REAL,
    related     TEXT,                     -- code of the target a relative target keeps in step with
    commitment  TEXT NOT NULL DEFAULT 'plain' CHECK (commitment IN ('ensure', 'strive', 'plain')),
    frequency   TEXT NOT NULL CHECK (frequency IN ('month', 'quarter', 'year')),
    due         TEXT,                     -- period label, e.g. 2020 or 2020H1
    lead_unit   TEXT,
    quote       TEXT NOT NULL,
    UNIQUE (plan_id, code),
    UNIQUE (plan_id, position),
    FOREIGN KEY (plan_id, section_id) REFERENCES sections (plan_id, id),
    FOREIGN KEY (plan_id, related) REFERENCES targets (plan_id, code) DEFERRABLE INITIALLY DEFERRED,
    CHECK (measure IS NULL OR kind IN ('count', 'amount')),
    CHECK ((related IS NOT NULL) = (kind = 'relative'))
) STRICT;

CREATE INDEX targets_by_section ON targets (plan_id, section_id, position);
CREATE INDEX targets_by_lead_unit ON targets (plan_id, lead_unit);

-- Planned path (分季度目标): expected share of the target by the end of a period.
CREATE TABLE planned_points (
    target_id   INTEGER NOT NULL REFERENCES targets (id),
    period_end  INTEGER NOT NULL,          -- year * 100 + month the period ends in
    period      TEXT NOT NULL,             -- its label as written
    share       REAL NOT NULL CHECK (share BETWEEN 0 AND 1),
    PRIMARY KEY (target_id, period_end)
) STRICT;

-- Actual figures: append-only. A revision is a new row that names the row it
-- revises; the earlier figure stays. Triggers below refuse UPDATE and DELETE.
CREATE TABLE actuals (
    id           INTEGER PRIMARY KEY,
    target_id    INTEGER NOT NULL REFERENCES targets (id),
    period_end   INTEGER NOT NULL CHECK (period_end % 100 BETWEEN 1 AND 12),  -- window key, e.g. 202009
    period       TEXT NOT NULL,           -- the period as logged, canonical label (2020Q3, 2020-09 …)
    value        REAL NOT NULL,
    source       TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,           -- RFC 3339 UTC with microseconds, so text order is time order
    note         TEXT,
    revises      INTEGER UNIQUE REFERENCES actuals (id),  -- each figure is revised at most once: a chain
    reason       TEXT,
    CHECK ((revises IS NULL) = (reason IS NULL)),
    CHECK (reason IS NULL OR reason <> '')
) STRICT;

-- One original figure per target and window; later figures are revisions.
CREATE UNIQUE INDEX actuals_one_original ON actuals (target_id, period_end) WHERE revises IS NULL;
-- Latest figure per target and window, as known at a moment.
CREATE INDEX actuals_by_window ON actuals (target_id, period_end, recorded_at);
CREATE INDEX actuals_by_time ON actuals (recorded_at);

CREATE TRIGGER actuals_are_append_only_update BEFORE UPDATE ON actuals
BEGIN
    SELECT RAISE(ABORT, 'actuals are append-only: log a revision instead of changing a figure');
END;

CREATE TRIGGER actuals_are_append_only_delete BEFORE DELETE ON actuals
BEGIN
    SELECT RAISE(ABORT, 'actuals are append-only: figures are never deleted');
END;

CREATE TRIGGER actuals_revision_same_window BEFORE INSERT ON actuals
WHEN NEW.revises IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM actuals WHERE id = NEW.revises AND target_id = NEW.target_id AND period_end = NEW.period_end
)
BEGIN
    SELECT RAISE(ABORT, 'a revision must revise a figure of the same target and window');
END;
