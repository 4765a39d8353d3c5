-- ontrack schema, migration 3: the target forms of docs/plan-format.md that a work
-- report states beyond one bar. Applied by src/store/mod.rs after the migrations
-- before it, in the same IMMEDIATE transaction.

-- The higher bar (力争, or a range's upper end); the status is still decided on value.
ALTER TABLE targets ADD COLUMN strive REAL;
-- A rate or share stated as a change in points from its baseline (提高1个百分点):
-- value holds baseline + change, so a target written before this migration reads the same.
ALTER TABLE targets ADD COLUMN change REAL;
