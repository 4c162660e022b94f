-- Joining challenges and the events that count for them. Event ids are chosen by the client,
-- unique per user, so a resent event is stored once.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
-- 0 or 1 rather than BOOLEAN: sqlx's Any driver cannot decode SQLite's BOOLEAN.
ALTER TABLE users ADD COLUMN device_usage_consent BIGINT NOT NULL DEFAULT 0 CHECK (device_usage_consent IN (0, 1));

CREATE TABLE participations (
    user_id         TEXT NOT NULL REFERENCES users (id),
    challenge_id    TEXT NOT NULL REFERENCES challenges (id),
    joined_at_ms    BIGINT NOT NULL,
    left_at_ms      BIGINT NULL,
    completed_at_ms BIGINT NULL,
    PRIMARY KEY (user_id, challenge_id)
);

CREATE TABLE events (
    user_id         TEXT NOT NULL REFERENCES users (id),
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    occurred_at_ms  BIGINT NOT NULL,
    duration_minutes BIGINT NULL,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (user_id, id)
);

CREATE INDEX events_user_kind ON events (user_id, kind, occurred_at_ms);
