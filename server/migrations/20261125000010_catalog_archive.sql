-- Operators retire challenges instead of deleting them: people who joined keep their progress
-- and history, nobody new can join, and the catalog no longer lists it.
ALTER TABLE challenges ADD COLUMN archived BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
