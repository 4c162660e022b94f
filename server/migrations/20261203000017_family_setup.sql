-- Accounts a household set up for a parent ("Set up Hearth for Mum"): the household that made
-- them, so its owner and the parent's family contacts may sign the parent's devices in.
ALTER TABLE users ADD COLUMN set_up_by TEXT NULL REFERENCES households (id);

-- One-time codes that sign a device in to such an account, one row per code. The code is kept
-- as an HMAC under a key derived from the server's signing key (forty bits are too few for a
-- plain hash to keep them from someone who reads the table).
CREATE TABLE device_sign_ins (
    code_hash       TEXT PRIMARY KEY NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms   BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL,
    used_at_ms      BIGINT NULL
);

CREATE INDEX device_sign_ins_user ON device_sign_ins (user_id);
