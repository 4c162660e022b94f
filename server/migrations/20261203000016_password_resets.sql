-- One-time codes for setting a new password, one row per request. Rows are keyed by the address
-- asked about (its SHA-256), not by an account, so an address without an account takes the same
-- path as one with an account: the same writes, the same answer, the same limits.
CREATE TABLE password_resets (
    id              TEXT PRIMARY KEY NOT NULL,
    email_hash      TEXT NOT NULL,
    -- HMAC-SHA-256 of the code under a key derived from the server's signing key: six digits
    -- are too few for a plain hash to keep them from someone who reads the table.
    code_hash       TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    used_at_ms      BIGINT
);

CREATE INDEX password_resets_email ON password_resets (email_hash, created_at_ms);
