-- Proof photos of self-reported tasks, kept on the device until the sync uploads them: the
-- task's event is queued at once (offline too) naming `device:{id}`, and the sync, before it
-- pushes, uploads the photo under `id` as its idempotency key and rewrites the event with the
-- server's photo id, in one transaction that also deletes the row here. Per user, like
-- everything user-owned in this store.
CREATE TABLE pending_photos (
    user_id       TEXT NOT NULL,
    id            TEXT NOT NULL PRIMARY KEY,
    jpeg          BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE INDEX pending_photos_user ON pending_photos (user_id, created_at_ms);
