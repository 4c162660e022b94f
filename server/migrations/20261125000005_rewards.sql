-- The rewards catalog and redemptions. A redemption's id is chosen by the client (so a retried
-- redeem is applied once); its code is signed and single-use; an issued code that expires
-- unused gives its points back.
ALTER TABLE users ADD COLUMN store_id TEXT NULL;

CREATE TABLE rewards (
    id              TEXT PRIMARY KEY NOT NULL,
    position        BIGINT NOT NULL,
    points          BIGINT NOT NULL CHECK (points > 0),
    title_en        TEXT NOT NULL,
    title_zh_cn     TEXT NOT NULL,
    description_en  TEXT NOT NULL,
    description_zh_cn TEXT NOT NULL,
    active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE redemptions (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id),
    reward_id       TEXT NOT NULL REFERENCES rewards (id),
    points          BIGINT NOT NULL CHECK (points > 0),
    status          TEXT NOT NULL CHECK (status IN ('issued', 'consumed', 'refunded')),
    issued_at_ms    BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL,
    consumed_at_ms  BIGINT NULL,
    consumed_by     TEXT NULL REFERENCES users (id)
);

CREATE INDEX redemptions_user ON redemptions (user_id, status, expires_at_ms);

-- Server-wide secrets generated on first start and shared by every instance (the key that
-- signs reward codes).
CREATE TABLE server_secrets (
    name            TEXT PRIMARY KEY NOT NULL,
    value           TEXT NOT NULL
);
