-- Accounts and their sessions. Passwords are Argon2id PHC strings; sessions are stored as the
-- SHA-256 of the token the client holds, never the token itself.
CREATE TABLE users (
    id              TEXT PRIMARY KEY NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('consumer', 'staff', 'operator')),
    locale          TEXT NOT NULL CHECK (locale IN ('en', 'zh-CN')),
    created_at_ms   BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms   BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);
