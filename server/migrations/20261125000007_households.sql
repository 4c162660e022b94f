-- Households: members (each account in at most one household), single-use invitations (kept as
-- the hash of their code), and the family contacts a senior's help request reaches.
CREATE TABLE households (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL,
    owner_id        TEXT NOT NULL REFERENCES users (id),
    created_at_ms   BIGINT NOT NULL
);

CREATE TABLE household_members (
    household_id    TEXT NOT NULL REFERENCES households (id),
    user_id         TEXT NOT NULL UNIQUE REFERENCES users (id),
    role            TEXT NOT NULL CHECK (role IN ('owner', 'member', 'senior')),
    joined_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (household_id, user_id)
);

CREATE TABLE household_invites (
    code_hash       TEXT PRIMARY KEY NOT NULL,
    household_id    TEXT NOT NULL REFERENCES households (id),
    role            TEXT NOT NULL CHECK (role IN ('member', 'senior')),
    created_by      TEXT NOT NULL REFERENCES users (id),
    expires_at_ms   BIGINT NOT NULL,
    used_by         TEXT NULL REFERENCES users (id),
    used_at_ms      BIGINT NULL
);

CREATE TABLE family_contacts (
    household_id    TEXT NOT NULL REFERENCES households (id),
    senior_id       TEXT NOT NULL REFERENCES users (id),
    contact_id      TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (senior_id, contact_id)
);
