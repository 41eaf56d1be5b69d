-- 清单+提示+督导+问责: reminders, escalation, supervision notices, accountability,
-- recurring duties and year roll-over.

-- The day the reminder engine must next look at an open item. New and changed items
-- get '0000-00-00' (look at once); the engine moves it to the next stage's day, or to
-- '9999-12-31' when the ladder is done. Partial indexes hold open items only, so a
-- cycle with nothing due reads nothing.
ALTER TABLE tasks ADD COLUMN remind_on TEXT NOT NULL DEFAULT '0000-00-00';
ALTER TABLE measures ADD COLUMN remind_on TEXT NOT NULL DEFAULT '0000-00-00';
CREATE INDEX tasks_remind ON tasks(remind_on) WHERE state IN ('not_started', 'in_progress', 'returned');
CREATE INDEX measures_remind ON measures(remind_on) WHERE state = 'todo';

-- A plan's own lead days ("7,3,1"); NULL: the deployment's default.
ALTER TABLE plans ADD COLUMN remind_days TEXT;
-- Year roll-over keeps the link to last year's plan and task.
ALTER TABLE plans ADD COLUMN previous_plan_id INTEGER REFERENCES plans(id);
ALTER TABLE tasks ADD COLUMN previous_task_id INTEGER REFERENCES tasks(id);
-- Recurring duties: the cadence on the duty, the period on each occurrence.
ALTER TABLE tasks ADD COLUMN cadence TEXT;
ALTER TABLE tasks ADD COLUMN occurrence_of INTEGER REFERENCES tasks(id);
ALTER TABLE tasks ADD COLUMN period TEXT;
CREATE UNIQUE INDEX tasks_occurrence ON tasks(occurrence_of, org_id, period);

-- Per-user channels.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN notify_webhook INTEGER NOT NULL DEFAULT 1;

-- One row per (item, deadline, stage, recipient): the unique key is what makes every
-- reminder and escalation happen exactly once, across restarts and instances.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    item_type TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    stage TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    recipient_person_id INTEGER REFERENCES people(id),
    recipient_org_id INTEGER REFERENCES orgs(id),
    recipient_org_path TEXT,
    title TEXT NOT NULL,
    deadline TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_person ON notifications(recipient_person_id, id);
CREATE INDEX notifications_org ON notifications(recipient_org_id, id);
CREATE INDEX notifications_item ON notifications(item_type, item_id);
CREATE INDEX notifications_supervise ON notifications(recipient_org_path, id) WHERE stage = 'supervise';

-- Email and webhook deliveries of a notification, retried with backoff.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notifications(id),
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT,
    sent_at INTEGER,
    UNIQUE (notification_id, channel, target)
);
CREATE INDEX deliveries_due ON deliveries(next_at) WHERE state = 'pending';

-- 督办单: an upper org presses a lower one on late items.
CREATE TABLE supervision_notices (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    issuing_org_id INTEGER NOT NULL REFERENCES orgs(id),
    issuing_org_path TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    answer_due TEXT NOT NULL,
    state TEXT NOT NULL,
    issued_by INTEGER REFERENCES users(id),
    issued_at INTEGER NOT NULL,
    answer TEXT,
    answered_by INTEGER REFERENCES users(id),
    answered_at INTEGER,
    remind_on TEXT NOT NULL DEFAULT '0000-00-00'
);
CREATE INDEX supervision_notices_org ON supervision_notices(org_path, id);
CREATE INDEX supervision_notices_issuing ON supervision_notices(issuing_org_path, id);
CREATE INDEX supervision_notices_remind ON supervision_notices(remind_on) WHERE state = 'open';

CREATE TABLE supervision_notice_items (
    notice_id INTEGER NOT NULL REFERENCES supervision_notices(id),
    item_type TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    PRIMARY KEY (notice_id, item_type, item_id)
);
CREATE INDEX supervision_notice_items_item ON supervision_notice_items(item_type, item_id);

-- 问责 records.
CREATE TABLE accountability (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id),
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    notice_id INTEGER REFERENCES supervision_notices(id),
    item_type TEXT,
    item_id INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX accountability_org ON accountability(org_path, decided_on);
CREATE INDEX accountability_person ON accountability(person_id);
