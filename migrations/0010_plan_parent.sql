-- ontrack schema, migration 9: a plan may name its parent (`[plan] parent`), the city's
-- plan of the same year above a district's (docs/compare.md). Applied by src/store/mod.rs
-- after the migrations before it, in the same IMMEDIATE transaction. NULL for a plan
-- without one, and for every plan loaded before this migration. Not a foreign key: a
-- city may load its districts' plans before its own (`plan list` and `check` say so).
ALTER TABLE plans ADD COLUMN parent TEXT CHECK (parent IS NULL OR (parent <> id AND parent <> '' AND parent NOT GLOB '*[^a-z0-9-]*'));
CREATE INDEX plans_parent ON plans (parent) WHERE parent IS NOT NULL;
