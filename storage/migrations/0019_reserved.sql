-- Placeholder on the risk branch only: number 19 belongs to the trust branch (handled updates).
-- Delete this file when merging that branch.
SELECT 1;
