-- Discipline-inspection records (issue 6): petitions (信访举报) with the informant's
-- identity sealed by the application (SM4-GCM, `zeren_app::crypto`), the four forms
-- (四种形态), the working-day calendar and explicit clearances.

-- Public holidays and adjusted working days (调休); other days are working days
-- Monday to Friday.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);

-- Clearances granted to an account beyond its roles: 'informant' lets a discipline
-- account read informant identity. Granted by the security administrator, audited.
CREATE TABLE clearances (
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    granted_by INTEGER REFERENCES users(id),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE petitions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    -- the org concerned: the reported org, or the reported person's org
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    reported_person_id INTEGER REFERENCES people(id),
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    -- 1: real name (署名), 0: anonymous
    signed INTEGER NOT NULL,
    -- sealed values (sm4gcm$key$hex), never plain text
    informant_name TEXT,
    informant_contact TEXT,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    level TEXT NOT NULL,
    category TEXT NOT NULL,
    -- 重件: an earlier petition about the same matter
    repeat_of INTEGER REFERENCES petitions(id),
    state TEXT NOT NULL,
    disposal TEXT,
    disposed_on TEXT,
    outcome TEXT,
    cleared INTEGER NOT NULL DEFAULT 0,
    conclusion TEXT NOT NULL DEFAULT '',
    concluded_on TEXT,
    accept_notice_due TEXT,
    accept_notified_on TEXT,
    result_notice_due TEXT,
    result_notified_on TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX petitions_org ON petitions(org_path, received_on);
CREATE INDEX petitions_reported ON petitions(reported_person_id);
CREATE INDEX petitions_repeat ON petitions(repeat_of);

-- 四种形态: one action against one person.
CREATE TABLE four_forms_actions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    form INTEGER NOT NULL CHECK (form BETWEEN 1 AND 4),
    action TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    petition_id INTEGER REFERENCES petitions(id),
    problem_id INTEGER REFERENCES problems(id),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX four_forms_org ON four_forms_actions(org_path, decided_on);
CREATE INDEX four_forms_person ON four_forms_actions(person_id);
