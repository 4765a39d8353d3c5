-- ontrack schema, migration 2: figures logged under a set clock are marked.
-- Applied by src/store/mod.rs after migration 1 (schema.sql), in the same IMMEDIATE
-- transaction as any migration before it.

-- 1 when the figure's recorded_at came from ONTRACK_NOW (a test, a reproducible demo
-- or replay), not from the computer's clock; history shows it. Figures logged before
-- this migration are 0: nothing then said which clock stamped them.
ALTER TABLE actuals ADD COLUMN clock_set INTEGER NOT NULL DEFAULT 0 CHECK (clock_set IN (0, 1));
