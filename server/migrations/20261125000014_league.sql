-- The weekly league, opt-in. league_members holds who takes part and their tier; each week a
-- member plays in one group of their tier (league_entries, one row per member and week, kept so
-- a past week can be settled and ranked again). Points are read from the ledger: awards made
-- during the week.
CREATE TABLE league_members (
    user_id         TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    tier            TEXT NOT NULL CHECK (tier IN ('bronze', 'silver', 'gold', 'diamond')),
    joined_at_ms    BIGINT NOT NULL,
    seen_at_ms      BIGINT NOT NULL
);

CREATE TABLE league_groups (
    id              TEXT PRIMARY KEY NOT NULL,
    week            TEXT NOT NULL,
    tier            TEXT NOT NULL,
    size            BIGINT NOT NULL,
    created_at_ms   BIGINT NOT NULL
);

CREATE INDEX league_groups_open ON league_groups (week, tier, size);

CREATE TABLE league_entries (
    user_id         TEXT NOT NULL REFERENCES users (id),
    week            TEXT NOT NULL,
    group_id        TEXT NOT NULL REFERENCES league_groups (id),
    tier            TEXT NOT NULL,
    joined_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (user_id, week)
);

CREATE INDEX league_entries_group ON league_entries (group_id);
CREATE INDEX ledger_transfers_awards ON ledger_transfers (user_id, kind, created_at_ms);
