-- Senior mode (per user; the user or a linked family member switches it) and help requests:
-- one per tap, delivered to each of the senior's family contacts, each delivery marked when
-- that contact's device has shown it.
ALTER TABLE users ADD COLUMN senior_mode BIGINT NOT NULL DEFAULT 0 CHECK (senior_mode IN (0, 1));

CREATE TABLE help_requests (
    id TEXT PRIMARY KEY,
    senior_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX help_requests_by_senior ON help_requests (senior_id, created_at_ms);

CREATE TABLE help_deliveries (
    request_id TEXT NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reached_at_ms BIGINT,
    PRIMARY KEY (request_id, contact_id)
);
CREATE INDEX help_deliveries_by_contact ON help_deliveries (contact_id, request_id);
