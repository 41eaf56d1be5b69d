-- Counters now hold subtree totals (see zeren-store/src/counters.rs); they are
-- rebuilt from the rows at start when empty.
DELETE FROM counters;
-- Wide-scope lists scan in deadline order and filter path and state from the index.
DROP INDEX tasks_deadline;
CREATE INDEX tasks_deadline ON tasks(deadline, id, org_path, state);
DROP INDEX problems_deadline;
CREATE INDEX problems_deadline ON problems(deadline, id, org_path, state);
