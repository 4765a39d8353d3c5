-- Migration 8: the web desk's accounts, sessions and audit log (`ontrack serve`,
-- `ontrack user`, `ontrack audit`; docs/SECURITY.md).

-- A person who may sign in to the web desk. Never deleted (the audit log and figures
-- name them): `user disable` sets disabled_at and ends their sessions.
CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE
                          CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),
    role                  TEXT NOT NULL CHECK (role IN ('filer', 'reviewer', 'leader', 'admin')),
    -- A filer's lead unit (牵头单位): the targets whose figures they log.
    lead_unit             TEXT CHECK (lead_unit IS NULL OR length(lead_unit) BETWEEN 1 AND 200),
    -- argon2id in the PHC string form ($argon2id$v=19$m=…).
    password_hash         TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),
    -- A one-time password must be changed before anything else is allowed.
    must_change_password  INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
    created_at            TEXT NOT NULL,
    password_changed_at   TEXT NOT NULL,
    disabled_at           TEXT,
    CHECK ((role = 'filer') = (lead_unit IS NOT NULL))
) STRICT;

-- A signed-in browser or program. The cookie holds a random id; only its SHA-256 is
-- kept, so a copy of the database holds no usable session.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    csrf          TEXT NOT NULL CHECK (length(csrf) = 64),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Who did what, when, from where: sign-ins (both outcomes), sign-outs, refusals and
-- every write. Append-only, as figures are.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    -- The account acting, or the name tried at a failed sign-in; NULL when none.
    actor    TEXT,
    -- The client's address for the web desk; 'cli' for a command.
    address  TEXT NOT NULL,
    action   TEXT NOT NULL CHECK (action <> ''),
    outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'denied')),
    detail   TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
