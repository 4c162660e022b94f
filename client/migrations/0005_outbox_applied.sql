-- An op the server applied stays, marked 'applied', until the pull that brings its effect has
-- been written: deleting it at the push left a gap in which the change was neither waiting nor
-- confirmed, and a joined challenge vanished from the screen until the pull. SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt with the same rows.
CREATE TABLE outbox_next (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL,
    op_id         TEXT NOT NULL UNIQUE,
    body          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
    code          TEXT NULL,
    reason        TEXT NULL
);

INSERT INTO outbox_next (seq, user_id, op_id, body, created_at_ms, status, code, reason)
    SELECT seq, user_id, op_id, body, created_at_ms, status, code, reason FROM outbox;

DROP TABLE outbox;

ALTER TABLE outbox_next RENAME TO outbox;

CREATE INDEX outbox_user ON outbox (user_id, status, seq);
