-- PostgreSQL keeps the problem tallies with statement triggers from this version on
-- (see migrations/postgres/0023). SQLite has no statement triggers: its per-row
-- triggers of 0016 stay, and this migration only keeps the two histories in step.
SELECT 1;
