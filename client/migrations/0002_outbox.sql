-- Offline-first sync. Every row that belongs to a user says whose it is, and every read filters
-- by the signed-in user, so accounts sharing a device never see each other's data.

-- Local changes waiting for the server, in the order they were made. An op leaves only when
-- the server has answered for it: applied (deleted) or rejected (kept, with the reason, until
-- the user discards it).
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL,
    op_id         TEXT NOT NULL UNIQUE,
    body          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
    code          TEXT NULL,
    reason        TEXT NULL
);

CREATE INDEX outbox_user ON outbox (user_id, status, seq);

-- The server's confirmed state of the user's data, as pulled: one JSON document per entity
-- (`participation` by challenge id, `profile`, ...).
CREATE TABLE entities (
    user_id TEXT NOT NULL,
    entity  TEXT NOT NULL,
    id      TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (user_id, entity, id)
);

-- Per-user sync bookkeeping: the pull cursor, the server clock's offset.
CREATE TABLE user_sync (
    user_id     TEXT PRIMARY KEY NOT NULL,
    cursor      INTEGER NOT NULL DEFAULT 0,
    skew_ms     INTEGER NOT NULL DEFAULT 0,
    pushed_at_ms INTEGER NULL,
    pulled_at_ms INTEGER NULL
);
