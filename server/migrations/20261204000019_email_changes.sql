-- Moving an account to another address: one row per request, holding the address asked for and
-- the code mailed there (HMAC-SHA-256 under a key derived from the server's signing key, as
-- password-reset codes are). The account's address changes only when the code comes back.
CREATE TABLE email_changes (
    id              TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email       TEXT NOT NULL,
    code_hash       TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    used_at_ms      BIGINT
);

CREATE INDEX email_changes_user ON email_changes (user_id, created_at_ms);
