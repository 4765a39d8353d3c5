-- ontrack schema, migration 3: the life of a figure (states, review, void) and imports.
-- Applied by src/store/mod.rs after migration 2, in the same IMMEDIATE transaction as
-- any migration before it. Old figures get no event: a figure without events is
-- `submitted` (已报送), so nothing is rewritten.

-- One import of a sheet: every figure it wrote names it (actuals.import_id). The
-- statistical form's head and foot (填报单位, 单位负责人, 统计负责人, 填表人, 联系电话,
-- 报出日期) are kept when the sheet has them; NULL otherwise.
CREATE TABLE imports (
    id               INTEGER PRIMARY KEY,
    plan_id          TEXT NOT NULL REFERENCES plans (id),
    file_name        TEXT NOT NULL,
    imported_by      TEXT NOT NULL,
    imported_at      TEXT NOT NULL,        -- RFC 3339 UTC with microseconds
    rows             INTEGER NOT NULL CHECK (rows >= 0),  -- figures written
    reporting_unit   TEXT,                 -- 填报单位
    unit_head        TEXT,                 -- 单位负责人
    statistics_head  TEXT,                 -- 统计负责人
    filled_by        TEXT,                 -- 填表人
    phone            TEXT,                 -- 联系电话
    reported_on      TEXT                  -- 报出日期
) STRICT;

-- An import is never removed, and what it was (plan, file, who, when) never changes;
-- the row count and the form's head and foot are filled in by the import's own
-- transaction.
CREATE TRIGGER imports_are_kept BEFORE DELETE ON imports
BEGIN
    SELECT RAISE(ABORT, 'imports are kept: void its figures instead');
END;

CREATE TRIGGER imports_keep_their_origin BEFORE UPDATE OF id, plan_id, file_name, imported_by, imported_at ON imports
BEGIN
    SELECT RAISE(ABORT, 'an import''s plan, file, person and moment never change');
END;

-- The import that wrote a figure; NULL for `record` and for figures logged before
-- this migration.
ALTER TABLE actuals ADD COLUMN import_id INTEGER REFERENCES imports (id);

CREATE INDEX actuals_by_import ON actuals (import_id) WHERE import_id IS NOT NULL;

-- A figure's states: submitted 已报送 (no event yet), returned 已退回, approved 已审核,
-- void 已作废. Changed only by appending an event; the latest event of a figure is its
-- state. Append-only, as actuals are.
CREATE TABLE figure_events (
    id          INTEGER PRIMARY KEY,      -- the order events happened in
    actual_id   INTEGER NOT NULL REFERENCES actuals (id),
    from_state  TEXT NOT NULL CHECK (from_state IN ('submitted', 'returned', 'approved', 'void')),
    to_state    TEXT NOT NULL CHECK (to_state IN ('submitted', 'returned', 'approved', 'void')),
    changed_by  TEXT NOT NULL CHECK (changed_by <> ''),
    changed_at  TEXT NOT NULL,            -- RFC 3339 UTC with microseconds
    reason      TEXT CHECK (reason IS NULL OR reason <> ''),
    clock_set   INTEGER NOT NULL DEFAULT 0 CHECK (clock_set IN (0, 1)),
    CHECK (from_state <> to_state),
    -- Returning, reopening and voiding always say why.
    CHECK (reason IS NOT NULL OR to_state = 'approved')
) STRICT;

CREATE INDEX figure_events_by_figure ON figure_events (actual_id, id);
CREATE INDEX figure_events_by_time ON figure_events (changed_at);

CREATE TRIGGER figure_events_are_append_only_update BEFORE UPDATE ON figure_events
BEGIN
    SELECT RAISE(ABORT, 'figure events are append-only: append a new event instead');
END;

CREATE TRIGGER figure_events_are_append_only_delete BEFORE DELETE ON figure_events
BEGIN
    SELECT RAISE(ABORT, 'figure events are append-only: events are never deleted');
END;
