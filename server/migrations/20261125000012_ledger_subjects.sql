-- What a transfer was for, so the wallet's history can name it in the user's language: the
-- challenge whose completion earned the points, or the reward they were spent on (or given back
-- from). Filled in for earlier transfers from the ids and memos the server wrote for them.
ALTER TABLE ledger_transfers ADD COLUMN challenge_id TEXT NULL;
ALTER TABLE ledger_transfers ADD COLUMN reward_id TEXT NULL;

UPDATE ledger_transfers SET challenge_id = substr(memo, 22)
    WHERE kind = 'award' AND memo LIKE 'challenge completed: %';
UPDATE ledger_transfers SET reward_id = substr(memo, 9)
    WHERE kind = 'redeem' AND memo LIKE 'reward: %';
UPDATE ledger_transfers SET reward_id = (SELECT r.reward_id FROM redemptions r WHERE 'refund:' || r.id = ledger_transfers.id)
    WHERE kind = 'refund';
