-- Placeholder on the store branch only: number 20 belongs to the risk branch (risk pictures).
-- Delete this file when merging that branch.
SELECT 1;
