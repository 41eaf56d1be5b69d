-- Pressure transmission (压力传导): per-org figures of the tasks due in a period read
-- this index alone, in org_path order (no sort, no table lookups): a subtree's range,
-- then the deadline, state and completion instant each figure needs.
CREATE INDEX tasks_pressure ON tasks(org_path, deadline, state, completed_at);
