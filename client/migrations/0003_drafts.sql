-- Posts and stories the user is still writing, kept on the device (offline too) until they
-- publish or delete them. Per user, like everything user-owned in this store.
CREATE TABLE drafts (
    user_id       TEXT NOT NULL,
    id            TEXT NOT NULL,
    body          TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, id)
);
