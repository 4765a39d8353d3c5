-- ontrack schema, migration 0010: the exchange between a district and its city
-- (`ontrack bundle`, `ontrack bundle import`; docs/bundle.md). Applied by
-- src/store/mod.rs after the migrations before it, in the same IMMEDIATE transaction.

-- This database's identity: a random id made once, when the database is created or
-- upgraded, and never changed. A bundle names the database it came from, so a city
-- can tell one district's file from another's.
CREATE TABLE database_identity (
    only_row  INTEGER PRIMARY KEY CHECK (only_row = 1),
    id        TEXT NOT NULL CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*')
) STRICT;

INSERT INTO database_identity (only_row, id) VALUES (1, lower(hex(randomblob(16))));

CREATE TRIGGER database_identity_never_changes BEFORE UPDATE ON database_identity
BEGIN
    SELECT RAISE(ABORT, 'a database''s identity never changes');
END;

CREATE TRIGGER database_identity_is_kept BEFORE DELETE ON database_identity
BEGIN
    SELECT RAISE(ABORT, 'a database''s identity is kept');
END;

-- Every bundle this database has loaded, whole (its bytes) with what its manifest
-- says: the newest of a plan supersedes the others, which stay here. Append-only.
CREATE TABLE bundles (
    id               INTEGER PRIMARY KEY,
    plan_id          TEXT NOT NULL,
    source_database  TEXT NOT NULL,        -- the district database's identity
    exported_at      TEXT NOT NULL,        -- RFC 3339 UTC with microseconds
    approved_only    INTEGER NOT NULL CHECK (approved_only IN (0, 1)),
    figures          INTEGER NOT NULL CHECK (figures >= 0),
    checksum         TEXT NOT NULL UNIQUE, -- SHA-256 of the content, hex
    file_name        TEXT NOT NULL,
    loaded_at        TEXT NOT NULL,        -- RFC 3339 UTC with microseconds
    bytes            BLOB NOT NULL
) STRICT;

CREATE INDEX bundles_by_plan ON bundles (plan_id, exported_at);

CREATE TRIGGER bundles_are_append_only_update BEFORE UPDATE ON bundles
BEGIN
    SELECT RAISE(ABORT, 'bundles are kept as they were loaded');
END;

CREATE TRIGGER bundles_are_append_only_delete BEFORE DELETE ON bundles
BEGIN
    SELECT RAISE(ABORT, 'bundles are kept: a newer bundle supersedes an older one');
END;

-- The plans loaded from bundles: their rows are a snapshot of the district's plan as
-- the standing bundle carried it, read-only here, replaced whole by a newer bundle.
CREATE TABLE bundled_plans (
    plan_id          TEXT PRIMARY KEY REFERENCES plans (id),
    source_database  TEXT NOT NULL,
    bundle_id        INTEGER NOT NULL REFERENCES bundles (id)
) STRICT;

-- Figures, review events, imports and adjustments are append-only; those of a
-- bundled plan may be deleted, and only then, when a newer bundle replaces the
-- snapshot (the older bundle's bytes stay in `bundles`). The guards are re-made with
-- that one exception.
DROP TRIGGER actuals_are_append_only_delete;
CREATE TRIGGER actuals_are_append_only_delete BEFORE DELETE ON actuals
WHEN NOT EXISTS (
    SELECT 1 FROM targets t JOIN bundled_plans b ON b.plan_id = t.plan_id WHERE t.id = OLD.target_id
)
BEGIN
    SELECT RAISE(ABORT, 'actuals are append-only: figures are never deleted');
END;

DROP TRIGGER figure_events_are_append_only_delete;
CREATE TRIGGER figure_events_are_append_only_delete BEFORE DELETE ON figure_events
WHEN NOT EXISTS (
    SELECT 1 FROM actuals a JOIN targets t ON t.id = a.target_id JOIN bundled_plans b ON b.plan_id = t.plan_id
    WHERE a.id = OLD.actual_id
)
BEGIN
    SELECT RAISE(ABORT, 'figure events are append-only: events are never deleted');
END;

DROP TRIGGER imports_are_kept;
CREATE TRIGGER imports_are_kept BEFORE DELETE ON imports
WHEN NOT EXISTS (SELECT 1 FROM bundled_plans b WHERE b.plan_id = OLD.plan_id)
BEGIN
    SELECT RAISE(ABORT, 'imports are kept: void its figures instead');
END;

DROP TRIGGER target_adjustments_are_append_only_delete;
CREATE TRIGGER target_adjustments_are_append_only_delete BEFORE DELETE ON target_adjustments
WHEN NOT EXISTS (
    SELECT 1 FROM targets t JOIN bundled_plans b ON b.plan_id = t.plan_id WHERE t.id = OLD.target_id
)
BEGIN
    SELECT RAISE(ABORT, 'target adjustments are append-only: they are never deleted');
END;
