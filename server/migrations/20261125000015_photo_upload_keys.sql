-- An upload may carry the client's idempotency key: a device that lost the answer (the
-- connection dropped, the server restarted mid-request) sends the photo again under the same
-- key and gets the photo it already made, never a second copy. Keys are per owner.
ALTER TABLE photos ADD COLUMN client_key TEXT NULL;
CREATE UNIQUE INDEX photos_owner_client_key ON photos (owner_id, client_key);
