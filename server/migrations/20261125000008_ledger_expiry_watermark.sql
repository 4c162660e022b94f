-- Each wallet remembers up to when its lots' expiry has been settled, so a transfer checks for
-- newly due lots with one indexed query instead of re-reading the wallet's whole history.
ALTER TABLE ledger_accounts ADD COLUMN expired_through_ms BIGINT NOT NULL DEFAULT 0;

CREATE INDEX ledger_transfers_expiry ON ledger_transfers (user_id, expires_at_ms);
