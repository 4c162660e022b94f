-- The sync protocol. Each user's changes are numbered by a counter on the user row (bumping it
-- locks the row, so concurrent writers for one user take turns and numbers are never reused).
-- Pushed ops are remembered per (user, device, op id) with their outcome, so a retried push
-- applies each op at most once and answers the same.
ALTER TABLE users ADD COLUMN sync_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE sync_ops (
    user_id         TEXT NOT NULL REFERENCES users (id),
    client_id       TEXT NOT NULL,
    op_id           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
    code            TEXT NULL,
    reason          TEXT NULL,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id, op_id)
);

CREATE TABLE changes (
    user_id         TEXT NOT NULL REFERENCES users (id),
    seq             BIGINT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (user_id, seq)
);
