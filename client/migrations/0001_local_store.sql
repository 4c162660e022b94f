-- The device's local store. The catalog as the server last sent it, one JSON document per
-- challenge (hearth_core::catalog::Challenge) in display order.
CREATE TABLE challenges (
    id       TEXT PRIMARY KEY NOT NULL,
    position INTEGER NOT NULL,
    body     TEXT NOT NULL
);

-- Sync bookkeeping (last successful sync, later the pull cursor).
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- The user's settings on this device (language, ...).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
