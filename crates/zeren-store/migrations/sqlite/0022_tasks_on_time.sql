-- On-time task completion (按期完成): a task counts when it is done and was completed on
-- or before its deadline day, China Standard Time — the rule of the pressure view
-- (`pressure::by_org`): a done task with no completion time (imported as done) is
-- on time. The assessment's "任务按期完成率" reads it from the tally, so a province
-- round stays a range read of tally rows.

ALTER TABLE task_tally ADD COLUMN done_on_time INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER task_tally_insert;
DROP TRIGGER task_tally_update_old;
DROP TRIGGER task_tally_update_new;
DROP TRIGGER task_tally_delete;

CREATE TRIGGER task_tally_insert AFTER INSERT ON tasks
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done, done_on_time)
    VALUES (CAST(substr(NEW.deadline, 1, 4) AS INTEGER), NEW.org_path, 1,
        CASE WHEN NEW.state = 'done' THEN 1 ELSE 0 END,
        CASE WHEN NEW.state = 'done' AND (NEW.completed_at IS NULL OR (NEW.completed_at + 28800) / 86400 <= CAST(julianday(NEW.deadline) - 2440587.5 AS INTEGER)) THEN 1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done,
        done_on_time = task_tally.done_on_time + excluded.done_on_time;
END;

CREATE TRIGGER task_tally_update_old AFTER UPDATE ON tasks
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.deadline IS NOT NEW.deadline OR (OLD.state = 'done') IS NOT (NEW.state = 'done') OR OLD.completed_at IS NOT NEW.completed_at
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done, done_on_time)
    VALUES (CAST(substr(OLD.deadline, 1, 4) AS INTEGER), OLD.org_path, -1,
        CASE WHEN OLD.state = 'done' THEN -1 ELSE 0 END,
        CASE WHEN OLD.state = 'done' AND (OLD.completed_at IS NULL OR (OLD.completed_at + 28800) / 86400 <= CAST(julianday(OLD.deadline) - 2440587.5 AS INTEGER)) THEN -1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done,
        done_on_time = task_tally.done_on_time + excluded.done_on_time;
END;

CREATE TRIGGER task_tally_update_new AFTER UPDATE ON tasks
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.deadline IS NOT NEW.deadline OR (OLD.state = 'done') IS NOT (NEW.state = 'done') OR OLD.completed_at IS NOT NEW.completed_at
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done, done_on_time)
    VALUES (CAST(substr(NEW.deadline, 1, 4) AS INTEGER), NEW.org_path, 1,
        CASE WHEN NEW.state = 'done' THEN 1 ELSE 0 END,
        CASE WHEN NEW.state = 'done' AND (NEW.completed_at IS NULL OR (NEW.completed_at + 28800) / 86400 <= CAST(julianday(NEW.deadline) - 2440587.5 AS INTEGER)) THEN 1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done,
        done_on_time = task_tally.done_on_time + excluded.done_on_time;
END;

CREATE TRIGGER task_tally_delete AFTER DELETE ON tasks
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done, done_on_time)
    VALUES (CAST(substr(OLD.deadline, 1, 4) AS INTEGER), OLD.org_path, -1,
        CASE WHEN OLD.state = 'done' THEN -1 ELSE 0 END,
        CASE WHEN OLD.state = 'done' AND (OLD.completed_at IS NULL OR (OLD.completed_at + 28800) / 86400 <= CAST(julianday(OLD.deadline) - 2440587.5 AS INTEGER)) THEN -1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done,
        done_on_time = task_tally.done_on_time + excluded.done_on_time;
END;

-- the records already there
UPDATE task_tally SET done_on_time = (
    SELECT COUNT(*) FROM tasks t
    WHERE CAST(substr(t.deadline, 1, 4) AS INTEGER) = task_tally.year AND t.org_path = task_tally.org_path
      AND t.state = 'done' AND (t.completed_at IS NULL OR (t.completed_at + 28800) / 86400 <= CAST(julianday(t.deadline) - 2440587.5 AS INTEGER))
);
