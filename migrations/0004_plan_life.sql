-- ontrack schema, migration 3: a plan's life over the year and across years.
-- Applied by src/store/mod.rs after the migrations before it, in the same IMMEDIATE
-- transaction.

-- [deadlines] days_after_period of the plan file: a figure logged later than this many
-- days after its period ends (Beijing time) is late. Plans loaded before this
-- migration get the default, 10.
ALTER TABLE plans ADD COLUMN days_after_period INTEGER NOT NULL DEFAULT 10
    CHECK (days_after_period BETWEEN 0 AND 365);

-- Set by `plan archive`: the plan is kept with its figures, hidden from the default
-- choice and from lists unless asked, and takes no new figure.
ALTER TABLE plans ADD COLUMN archived_at TEXT;

-- Target adjustments (调整目标): append-only, like figures. The target's row keeps the
-- value the plan was loaded with; the value in force at a moment is the value_after of
-- the last adjustment recorded and effective by then.
CREATE TABLE target_adjustments (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES targets (id),
    value_before  REAL NOT NULL,
    value_after   REAL NOT NULL,
    reason        TEXT NOT NULL CHECK (trim(reason) <> ''),
    document      TEXT CHECK (document IS NULL OR trim(document) <> ''),
    effective_at  TEXT NOT NULL,          -- RFC 3339 UTC with microseconds
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
) STRICT;

CREATE INDEX target_adjustments_by_target ON target_adjustments (target_id, effective_at);

CREATE TRIGGER target_adjustments_are_append_only_update BEFORE UPDATE ON target_adjustments
BEGIN
    SELECT RAISE(ABORT, 'target adjustments are append-only: record a new adjustment instead');
END;

CREATE TRIGGER target_adjustments_are_append_only_delete BEFORE DELETE ON target_adjustments
BEGIN
    SELECT RAISE(ABORT, 'target adjustments are append-only: they are never deleted');
END;

-- An archived plan takes no new figure, whatever program writes to the file.
CREATE TRIGGER actuals_not_into_archived_plan BEFORE INSERT ON actuals
WHEN EXISTS (
    SELECT 1 FROM targets t JOIN plans p ON p.id = t.plan_id
    WHERE t.id = NEW.target_id AND p.archived_at IS NOT NULL
)
BEGIN
    SELECT RAISE(ABORT, 'the plan is archived: it takes no new figures');
END;
