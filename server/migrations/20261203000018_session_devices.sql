-- Sessions as their owner sees them: an id to name one by (never the token or its hash), and
-- what the client called itself when it signed in (its User-Agent, trimmed), so that a list of
-- one's signed-in devices can say which is which and end one.
ALTER TABLE sessions ADD COLUMN id TEXT NULL;
ALTER TABLE sessions ADD COLUMN device TEXT NULL;
UPDATE sessions SET id = substr(token_hash, 1, 32) WHERE id IS NULL;
CREATE UNIQUE INDEX sessions_id ON sessions (id);
