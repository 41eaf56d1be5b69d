-- Year tallies (年度汇总): per org, year and kind, the counts the compliance check and
-- the annual report need, kept by triggers in the same statement as every write to
-- the records, so no write path (forms, import, demo loader, org moves) can forget
-- them. A province's year is 870,000 activities, 1M problems with 3M measures and
-- 1M tasks; a subtree's year is then a range of tally rows, not a scan of records.
-- Rows are per org (not per subtree): a subtree sums its range of org paths.
-- A year is the year of the day that places a record: held_on, found_on, deadline.

CREATE TABLE activity_tally (
    year INTEGER NOT NULL,
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    first_topic INTEGER NOT NULL DEFAULT 0,
    present INTEGER NOT NULL DEFAULT 0,
    -- lines of 调研's opinions and outcomes, of 办实事's matters (one item per line)
    opinions INTEGER NOT NULL DEFAULT 0,
    outcomes INTEGER NOT NULL DEFAULT 0,
    matters INTEGER NOT NULL DEFAULT 0,
    m1 INTEGER NOT NULL DEFAULT 0, m2 INTEGER NOT NULL DEFAULT 0, m3 INTEGER NOT NULL DEFAULT 0, m4 INTEGER NOT NULL DEFAULT 0, m5 INTEGER NOT NULL DEFAULT 0, m6 INTEGER NOT NULL DEFAULT 0, m7 INTEGER NOT NULL DEFAULT 0, m8 INTEGER NOT NULL DEFAULT 0, m9 INTEGER NOT NULL DEFAULT 0, m10 INTEGER NOT NULL DEFAULT 0, m11 INTEGER NOT NULL DEFAULT 0, m12 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, org_path, kind)
) WITHOUT ROWID;

CREATE TABLE problem_tally (
    year INTEGER NOT NULL,
    org_path TEXT NOT NULL,
    source TEXT NOT NULL,
    problems INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    measures INTEGER NOT NULL DEFAULT 0,
    measures_done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, org_path, source)
) WITHOUT ROWID;

CREATE TABLE task_tally (
    year INTEGER NOT NULL,
    org_path TEXT NOT NULL,
    tasks INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, org_path)
) WITHOUT ROWID;

-- 组织生活: held records count in the year and month they were held
CREATE TRIGGER activity_tally_insert AFTER INSERT ON activities
WHEN NEW.state = 'held' AND NEW.held_on IS NOT NULL
BEGIN
    INSERT INTO activity_tally (year, org_path, kind, held, first_topic, present, opinions, outcomes, matters, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12)
    VALUES (CAST(substr(NEW.held_on, 1, 4) AS INTEGER), NEW.org_path, NEW.kind, 1,
            1 * NEW.first_topic, 1 * NEW.present_count,
            1 * (CASE WHEN NEW.opinions IS NULL OR NEW.opinions = '' THEN 0 ELSE length(NEW.opinions) - length(replace(NEW.opinions, char(10), '')) + 1 END), 1 * (CASE WHEN NEW.outcomes IS NULL OR NEW.outcomes = '' THEN 0 ELSE length(NEW.outcomes) - length(replace(NEW.outcomes, char(10), '')) + 1 END), 1 * (CASE WHEN NEW.matters IS NULL OR NEW.matters = '' THEN 0 ELSE length(NEW.matters) - length(replace(NEW.matters, char(10), '')) + 1 END),
            CASE WHEN substr(NEW.held_on, 6, 2) = '01' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '02' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '03' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '04' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '05' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '06' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '07' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '08' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '09' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '10' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '11' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '12' THEN 1 ELSE 0 END)
    ON CONFLICT (year, org_path, kind) DO UPDATE SET
        held = activity_tally.held + excluded.held,
        first_topic = activity_tally.first_topic + excluded.first_topic,
        present = activity_tally.present + excluded.present,
        opinions = activity_tally.opinions + excluded.opinions,
        outcomes = activity_tally.outcomes + excluded.outcomes,
        matters = activity_tally.matters + excluded.matters,
        m1 = activity_tally.m1 + excluded.m1,
        m2 = activity_tally.m2 + excluded.m2,
        m3 = activity_tally.m3 + excluded.m3,
        m4 = activity_tally.m4 + excluded.m4,
        m5 = activity_tally.m5 + excluded.m5,
        m6 = activity_tally.m6 + excluded.m6,
        m7 = activity_tally.m7 + excluded.m7,
        m8 = activity_tally.m8 + excluded.m8,
        m9 = activity_tally.m9 + excluded.m9,
        m10 = activity_tally.m10 + excluded.m10,
        m11 = activity_tally.m11 + excluded.m11,
        m12 = activity_tally.m12 + excluded.m12;
END;

CREATE TRIGGER activity_tally_update_old AFTER UPDATE ON activities
WHEN OLD.state = 'held' AND OLD.held_on IS NOT NULL AND (OLD.state IS NOT NEW.state OR OLD.held_on IS NOT NEW.held_on OR OLD.kind IS NOT NEW.kind OR OLD.org_path IS NOT NEW.org_path OR OLD.first_topic IS NOT NEW.first_topic OR OLD.present_count IS NOT NEW.present_count OR OLD.opinions IS NOT NEW.opinions OR OLD.outcomes IS NOT NEW.outcomes OR OLD.matters IS NOT NEW.matters)
BEGIN
    INSERT INTO activity_tally (year, org_path, kind, held, first_topic, present, opinions, outcomes, matters, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12)
    VALUES (CAST(substr(OLD.held_on, 1, 4) AS INTEGER), OLD.org_path, OLD.kind, -1,
            -1 * OLD.first_topic, -1 * OLD.present_count,
            -1 * (CASE WHEN OLD.opinions IS NULL OR OLD.opinions = '' THEN 0 ELSE length(OLD.opinions) - length(replace(OLD.opinions, char(10), '')) + 1 END), -1 * (CASE WHEN OLD.outcomes IS NULL OR OLD.outcomes = '' THEN 0 ELSE length(OLD.outcomes) - length(replace(OLD.outcomes, char(10), '')) + 1 END), -1 * (CASE WHEN OLD.matters IS NULL OR OLD.matters = '' THEN 0 ELSE length(OLD.matters) - length(replace(OLD.matters, char(10), '')) + 1 END),
            CASE WHEN substr(OLD.held_on, 6, 2) = '01' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '02' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '03' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '04' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '05' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '06' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '07' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '08' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '09' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '10' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '11' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '12' THEN -1 ELSE 0 END)
    ON CONFLICT (year, org_path, kind) DO UPDATE SET
        held = activity_tally.held + excluded.held,
        first_topic = activity_tally.first_topic + excluded.first_topic,
        present = activity_tally.present + excluded.present,
        opinions = activity_tally.opinions + excluded.opinions,
        outcomes = activity_tally.outcomes + excluded.outcomes,
        matters = activity_tally.matters + excluded.matters,
        m1 = activity_tally.m1 + excluded.m1,
        m2 = activity_tally.m2 + excluded.m2,
        m3 = activity_tally.m3 + excluded.m3,
        m4 = activity_tally.m4 + excluded.m4,
        m5 = activity_tally.m5 + excluded.m5,
        m6 = activity_tally.m6 + excluded.m6,
        m7 = activity_tally.m7 + excluded.m7,
        m8 = activity_tally.m8 + excluded.m8,
        m9 = activity_tally.m9 + excluded.m9,
        m10 = activity_tally.m10 + excluded.m10,
        m11 = activity_tally.m11 + excluded.m11,
        m12 = activity_tally.m12 + excluded.m12;
END;

CREATE TRIGGER activity_tally_update_new AFTER UPDATE ON activities
WHEN NEW.state = 'held' AND NEW.held_on IS NOT NULL AND (OLD.state IS NOT NEW.state OR OLD.held_on IS NOT NEW.held_on OR OLD.kind IS NOT NEW.kind OR OLD.org_path IS NOT NEW.org_path OR OLD.first_topic IS NOT NEW.first_topic OR OLD.present_count IS NOT NEW.present_count OR OLD.opinions IS NOT NEW.opinions OR OLD.outcomes IS NOT NEW.outcomes OR OLD.matters IS NOT NEW.matters)
BEGIN
    INSERT INTO activity_tally (year, org_path, kind, held, first_topic, present, opinions, outcomes, matters, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12)
    VALUES (CAST(substr(NEW.held_on, 1, 4) AS INTEGER), NEW.org_path, NEW.kind, 1,
            1 * NEW.first_topic, 1 * NEW.present_count,
            1 * (CASE WHEN NEW.opinions IS NULL OR NEW.opinions = '' THEN 0 ELSE length(NEW.opinions) - length(replace(NEW.opinions, char(10), '')) + 1 END), 1 * (CASE WHEN NEW.outcomes IS NULL OR NEW.outcomes = '' THEN 0 ELSE length(NEW.outcomes) - length(replace(NEW.outcomes, char(10), '')) + 1 END), 1 * (CASE WHEN NEW.matters IS NULL OR NEW.matters = '' THEN 0 ELSE length(NEW.matters) - length(replace(NEW.matters, char(10), '')) + 1 END),
            CASE WHEN substr(NEW.held_on, 6, 2) = '01' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '02' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '03' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '04' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '05' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '06' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '07' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '08' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '09' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '10' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '11' THEN 1 ELSE 0 END,
            CASE WHEN substr(NEW.held_on, 6, 2) = '12' THEN 1 ELSE 0 END)
    ON CONFLICT (year, org_path, kind) DO UPDATE SET
        held = activity_tally.held + excluded.held,
        first_topic = activity_tally.first_topic + excluded.first_topic,
        present = activity_tally.present + excluded.present,
        opinions = activity_tally.opinions + excluded.opinions,
        outcomes = activity_tally.outcomes + excluded.outcomes,
        matters = activity_tally.matters + excluded.matters,
        m1 = activity_tally.m1 + excluded.m1,
        m2 = activity_tally.m2 + excluded.m2,
        m3 = activity_tally.m3 + excluded.m3,
        m4 = activity_tally.m4 + excluded.m4,
        m5 = activity_tally.m5 + excluded.m5,
        m6 = activity_tally.m6 + excluded.m6,
        m7 = activity_tally.m7 + excluded.m7,
        m8 = activity_tally.m8 + excluded.m8,
        m9 = activity_tally.m9 + excluded.m9,
        m10 = activity_tally.m10 + excluded.m10,
        m11 = activity_tally.m11 + excluded.m11,
        m12 = activity_tally.m12 + excluded.m12;
END;

CREATE TRIGGER activity_tally_delete AFTER DELETE ON activities
WHEN OLD.state = 'held' AND OLD.held_on IS NOT NULL
BEGIN
    INSERT INTO activity_tally (year, org_path, kind, held, first_topic, present, opinions, outcomes, matters, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12)
    VALUES (CAST(substr(OLD.held_on, 1, 4) AS INTEGER), OLD.org_path, OLD.kind, -1,
            -1 * OLD.first_topic, -1 * OLD.present_count,
            -1 * (CASE WHEN OLD.opinions IS NULL OR OLD.opinions = '' THEN 0 ELSE length(OLD.opinions) - length(replace(OLD.opinions, char(10), '')) + 1 END), -1 * (CASE WHEN OLD.outcomes IS NULL OR OLD.outcomes = '' THEN 0 ELSE length(OLD.outcomes) - length(replace(OLD.outcomes, char(10), '')) + 1 END), -1 * (CASE WHEN OLD.matters IS NULL OR OLD.matters = '' THEN 0 ELSE length(OLD.matters) - length(replace(OLD.matters, char(10), '')) + 1 END),
            CASE WHEN substr(OLD.held_on, 6, 2) = '01' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '02' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '03' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '04' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '05' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '06' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '07' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '08' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '09' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '10' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '11' THEN -1 ELSE 0 END,
            CASE WHEN substr(OLD.held_on, 6, 2) = '12' THEN -1 ELSE 0 END)
    ON CONFLICT (year, org_path, kind) DO UPDATE SET
        held = activity_tally.held + excluded.held,
        first_topic = activity_tally.first_topic + excluded.first_topic,
        present = activity_tally.present + excluded.present,
        opinions = activity_tally.opinions + excluded.opinions,
        outcomes = activity_tally.outcomes + excluded.outcomes,
        matters = activity_tally.matters + excluded.matters,
        m1 = activity_tally.m1 + excluded.m1,
        m2 = activity_tally.m2 + excluded.m2,
        m3 = activity_tally.m3 + excluded.m3,
        m4 = activity_tally.m4 + excluded.m4,
        m5 = activity_tally.m5 + excluded.m5,
        m6 = activity_tally.m6 + excluded.m6,
        m7 = activity_tally.m7 + excluded.m7,
        m8 = activity_tally.m8 + excluded.m8,
        m9 = activity_tally.m9 + excluded.m9,
        m10 = activity_tally.m10 + excluded.m10,
        m11 = activity_tally.m11 + excluded.m11,
        m12 = activity_tally.m12 + excluded.m12;
END;

-- 问题: a problem counts in the year it was found; its measures count with it
CREATE TRIGGER problem_tally_insert AFTER INSERT ON problems
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(NEW.found_on, 1, 4) AS INTEGER), NEW.org_path, NEW.source, 1,
        CASE WHEN NEW.state = 'closed' THEN 1 ELSE 0 END,
        1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = NEW.id),
        1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = NEW.id AND m.state = 'done')
    WHERE NEW.found_on IS NOT NULL
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        problems = problem_tally.problems + excluded.problems, closed = problem_tally.closed + excluded.closed,
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER problem_tally_update_old AFTER UPDATE ON problems
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.found_on IS NOT NEW.found_on OR OLD.source IS NOT NEW.source OR (OLD.state = 'closed') IS NOT (NEW.state = 'closed')
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(OLD.found_on, 1, 4) AS INTEGER), OLD.org_path, OLD.source, -1,
        CASE WHEN OLD.state = 'closed' THEN -1 ELSE 0 END,
        -1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = OLD.id),
        -1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = OLD.id AND m.state = 'done')
    WHERE OLD.found_on IS NOT NULL
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        problems = problem_tally.problems + excluded.problems, closed = problem_tally.closed + excluded.closed,
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER problem_tally_update_new AFTER UPDATE ON problems
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.found_on IS NOT NEW.found_on OR OLD.source IS NOT NEW.source OR (OLD.state = 'closed') IS NOT (NEW.state = 'closed')
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(NEW.found_on, 1, 4) AS INTEGER), NEW.org_path, NEW.source, 1,
        CASE WHEN NEW.state = 'closed' THEN 1 ELSE 0 END,
        1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = NEW.id),
        1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = NEW.id AND m.state = 'done')
    WHERE NEW.found_on IS NOT NULL
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        problems = problem_tally.problems + excluded.problems, closed = problem_tally.closed + excluded.closed,
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER problem_tally_delete AFTER DELETE ON problems
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(OLD.found_on, 1, 4) AS INTEGER), OLD.org_path, OLD.source, -1,
        CASE WHEN OLD.state = 'closed' THEN -1 ELSE 0 END,
        -1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = OLD.id),
        -1 * (SELECT COUNT(*) FROM measures m WHERE m.problem_id = OLD.id AND m.state = 'done')
    WHERE OLD.found_on IS NOT NULL
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        problems = problem_tally.problems + excluded.problems, closed = problem_tally.closed + excluded.closed,
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER measure_tally_insert AFTER INSERT ON measures
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER), p.org_path, p.source, 0, 0, 1,
        CASE WHEN NEW.state = 'done' THEN 1 ELSE 0 END
    FROM problems p WHERE p.id = NEW.problem_id
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER measure_tally_update_old AFTER UPDATE ON measures
WHEN OLD.problem_id IS NOT NEW.problem_id OR (OLD.state = 'done') IS NOT (NEW.state = 'done')
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER), p.org_path, p.source, 0, 0, -1,
        CASE WHEN OLD.state = 'done' THEN -1 ELSE 0 END
    FROM problems p WHERE p.id = OLD.problem_id
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER measure_tally_update_new AFTER UPDATE ON measures
WHEN OLD.problem_id IS NOT NEW.problem_id OR (OLD.state = 'done') IS NOT (NEW.state = 'done')
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER), p.org_path, p.source, 0, 0, 1,
        CASE WHEN NEW.state = 'done' THEN 1 ELSE 0 END
    FROM problems p WHERE p.id = NEW.problem_id
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

CREATE TRIGGER measure_tally_delete AFTER DELETE ON measures
BEGIN
    INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
    SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER), p.org_path, p.source, 0, 0, -1,
        CASE WHEN OLD.state = 'done' THEN -1 ELSE 0 END
    FROM problems p WHERE p.id = OLD.problem_id
    ON CONFLICT (year, org_path, source) DO UPDATE SET
        measures = problem_tally.measures + excluded.measures, measures_done = problem_tally.measures_done + excluded.measures_done;
END;

-- 任务: a task counts in the year of its deadline
CREATE TRIGGER task_tally_insert AFTER INSERT ON tasks
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done)
    VALUES (CAST(substr(NEW.deadline, 1, 4) AS INTEGER), NEW.org_path, 1,
        CASE WHEN NEW.state = 'done' THEN 1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done;
END;

CREATE TRIGGER task_tally_update_old AFTER UPDATE ON tasks
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.deadline IS NOT NEW.deadline OR (OLD.state = 'done') IS NOT (NEW.state = 'done')
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done)
    VALUES (CAST(substr(OLD.deadline, 1, 4) AS INTEGER), OLD.org_path, -1,
        CASE WHEN OLD.state = 'done' THEN -1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done;
END;

CREATE TRIGGER task_tally_update_new AFTER UPDATE ON tasks
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.deadline IS NOT NEW.deadline OR (OLD.state = 'done') IS NOT (NEW.state = 'done')
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done)
    VALUES (CAST(substr(NEW.deadline, 1, 4) AS INTEGER), NEW.org_path, 1,
        CASE WHEN NEW.state = 'done' THEN 1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done;
END;

CREATE TRIGGER task_tally_delete AFTER DELETE ON tasks
BEGIN
    INSERT INTO task_tally (year, org_path, tasks, done)
    VALUES (CAST(substr(OLD.deadline, 1, 4) AS INTEGER), OLD.org_path, -1,
        CASE WHEN OLD.state = 'done' THEN -1 ELSE 0 END)
    ON CONFLICT (year, org_path) DO UPDATE SET
        tasks = task_tally.tasks + excluded.tasks, done = task_tally.done + excluded.done;
END;

-- the records already there
INSERT INTO activity_tally (year, org_path, kind, held, first_topic, present, opinions, outcomes, matters, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12)
SELECT CAST(substr(held_on, 1, 4) AS INTEGER), org_path, kind, COUNT(*), SUM(first_topic), SUM(present_count),
    SUM((CASE WHEN opinions IS NULL OR opinions = '' THEN 0 ELSE length(opinions) - length(replace(opinions, char(10), '')) + 1 END)), SUM((CASE WHEN outcomes IS NULL OR outcomes = '' THEN 0 ELSE length(outcomes) - length(replace(outcomes, char(10), '')) + 1 END)), SUM((CASE WHEN matters IS NULL OR matters = '' THEN 0 ELSE length(matters) - length(replace(matters, char(10), '')) + 1 END)),
    SUM(CASE WHEN substr(held_on, 6, 2) = '01' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '02' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '03' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '04' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '05' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '06' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '07' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '08' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '09' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '10' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '11' THEN 1 ELSE 0 END),
    SUM(CASE WHEN substr(held_on, 6, 2) = '12' THEN 1 ELSE 0 END)
FROM activities WHERE state = 'held' AND held_on IS NOT NULL
GROUP BY CAST(substr(held_on, 1, 4) AS INTEGER), org_path, kind;

INSERT INTO problem_tally (year, org_path, source, problems, closed, measures, measures_done)
SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER), p.org_path, p.source, COUNT(*),
    SUM(CASE WHEN p.state = 'closed' THEN 1 ELSE 0 END), SUM(COALESCE(m.n, 0)), SUM(COALESCE(m.done, 0))
FROM problems p LEFT JOIN (
    SELECT problem_id, COUNT(*) AS n, SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done
    FROM measures GROUP BY problem_id
) m ON m.problem_id = p.id
WHERE p.found_on IS NOT NULL
GROUP BY CAST(substr(p.found_on, 1, 4) AS INTEGER), p.org_path, p.source;

INSERT INTO task_tally (year, org_path, tasks, done)
SELECT CAST(substr(deadline, 1, 4) AS INTEGER), org_path, COUNT(*), SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END)
FROM tasks GROUP BY CAST(substr(deadline, 1, 4) AS INTEGER), org_path;
