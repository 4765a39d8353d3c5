-- ontrack schema, migration 3: a plan's time zone.
-- Applied by src/store/mod.rs after the migrations before it, in the same IMMEDIATE
-- transaction.

-- The IANA name of the zone the plan's office works in (docs/plan-format.md): a date
-- typed for a moment (`--as-recorded 2020-10-31`) is the end of that day there, and
-- history and reports show times there. Plans loaded before this migration were all
-- Beijing's, as the reports then assumed.
ALTER TABLE plans ADD COLUMN timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
