-- Recurring duties and year roll-over (issue 3, items 6 and 7).

-- The engine reads the recurring duties every cycle: only the few tasks with a cadence.
CREATE INDEX tasks_cadence ON tasks(id) WHERE cadence IS NOT NULL;
-- "下年度" link from last year's task to its copy.
CREATE INDEX tasks_previous ON tasks(previous_task_id) WHERE previous_task_id IS NOT NULL;
-- A plan is rolled into a given year once, even when two requests race.
CREATE UNIQUE INDEX plans_rolled ON plans(previous_plan_id, year);
