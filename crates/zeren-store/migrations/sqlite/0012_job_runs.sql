-- Jobs that run once a day per deployment (the compliance check that turns rule flags
-- into notifications): the row is written in the same transaction as the job's output,
-- so two servers, or a crash and a restart, never run a day's job twice.
CREATE TABLE job_runs (
    name TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (name, day)
);
