-- ontrack schema, migration 7: an adjustment may also move a target's strive bar
-- (力争, `plan adjust --strive S`). Applied by src/store/mod.rs after the migrations
-- before it, in the same IMMEDIATE transaction. Both columns are the strive bar in
-- force before and after the adjustment; NULL in an adjustment recorded before this
-- migration (which left the strive bar as it was) or for a target without one.
ALTER TABLE target_adjustments ADD COLUMN strive_before REAL;
ALTER TABLE target_adjustments ADD COLUMN strive_after REAL;
