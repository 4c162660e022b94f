-- The challenge catalog. Titles and descriptions in both shipped locales; the rule as JSON
-- (hearth_core::catalog::Rule), since it is read and evaluated whole, never queried into.
CREATE TABLE challenges (
    id              TEXT PRIMARY KEY NOT NULL,
    position        BIGINT NOT NULL,
    scene           TEXT NOT NULL CHECK (scene IN ('morning', 'leaving', 'coming-home', 'sleep')),
    difficulty      TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    points          BIGINT NOT NULL CHECK (points > 0),
    title_en        TEXT NOT NULL,
    title_zh_cn     TEXT NOT NULL,
    description_en  TEXT NOT NULL,
    description_zh_cn TEXT NOT NULL,
    rule            TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    updated_at_ms   BIGINT NOT NULL
);

CREATE INDEX challenges_position ON challenges (position, id);

-- One row per piece of seed content applied, so a restart never re-seeds what operators changed
-- or removed.
CREATE TABLE seeds_applied (
    name            TEXT PRIMARY KEY NOT NULL,
    applied_at_ms   BIGINT NOT NULL
);
