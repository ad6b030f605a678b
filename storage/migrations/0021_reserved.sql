-- Placeholder on the camera branch only: number 21 belongs to another branch's migration.
-- Delete this file when that branch is merged (the camera's own is 0024).
SELECT 1;
