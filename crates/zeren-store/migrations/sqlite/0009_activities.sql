-- Activity records (组织生活记录): what the shared core (0008) leaves to the record
-- itself — a committee meeting's agenda, the problems a 调研 found, and the few
-- fields some kinds carry. The core columns stay as they are: the rules, the
-- dashboard and the annual report count from them.

-- A 党委会's agenda, in order; a 第一议题 item is central-instruction study and sets
-- activities.first_topic.
CREATE TABLE activity_agenda (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    first_topic INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (activity_id, seq)
);

-- Problems a 调研 found, kept in the problem ledger and linked here.
CREATE TABLE activity_problems (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    problem_id INTEGER NOT NULL REFERENCES problems(id),
    PRIMARY KEY (activity_id, problem_id)
);
CREATE INDEX activity_problems_problem ON activity_problems(problem_id);

-- 调研: opinions and suggestions collected, and what they were turned into
ALTER TABLE activities ADD COLUMN opinions TEXT;
ALTER TABLE activities ADD COLUMN outcomes TEXT;
-- 志愿服务 / 办实事: the matters done for people
ALTER TABLE activities ADD COLUMN matters TEXT;
-- why a planned or recorded activity was cancelled
ALTER TABLE activities ADD COLUMN cancel_reason TEXT;

-- The ledger lists newest first over a whole subtree; reading this index backwards
-- yields rows in that order without sorting every match.
CREATE INDEX activities_day ON activities(held_on, org_path);
