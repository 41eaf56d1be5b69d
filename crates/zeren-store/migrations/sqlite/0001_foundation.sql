-- Foundation schema. Instants are unix seconds (UTC); calendar dates are TEXT YYYY-MM-DD.
-- Every business row carries the materialised path of its org (org_path) so that
-- subtree scoping is an index range, never a list of ids.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES orgs(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT,
    path TEXT NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    term_start TEXT,
    term_end TEXT,
    closed_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, sort_order);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    gender TEXT,
    party_status TEXT NOT NULL,
    joined_on TEXT,
    cadre_rank TEXT,
    title TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX people_path ON people(org_path, name);

CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    portfolio TEXT
);
CREATE INDEX positions_person ON positions(person_id);
CREATE INDEX positions_org ON positions(org_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    UNIQUE (user_id, role, org_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at INTEGER NOT NULL,
    success INTEGER NOT NULL,
    source TEXT
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    template_key TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER REFERENCES plans(id),
    parent_id INTEGER REFERENCES tasks(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    issuing_org_id INTEGER NOT NULL REFERENCES orgs(id),
    category TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT 'committee',
    title TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    leader_id INTEGER REFERENCES people(id),
    person_id INTEGER REFERENCES people(id),
    deadline TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX tasks_state_deadline ON tasks(state, deadline, id, org_path);
CREATE INDEX tasks_state_path_deadline ON tasks(state, org_path, deadline, id);
CREATE INDEX tasks_path_deadline ON tasks(org_path, deadline, id);
CREATE INDEX tasks_deadline ON tasks(deadline, id, org_path);
CREATE INDEX tasks_parent ON tasks(parent_id);
CREATE INDEX tasks_person ON tasks(person_id, state);
CREATE INDEX tasks_plan ON tasks(plan_id);

CREATE TABLE task_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    author_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX task_reports_task ON task_reports(task_id);

CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    issuing_org_id INTEGER NOT NULL REFERENCES orgs(id),
    source TEXT NOT NULL,
    source_ref TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    leader_id INTEGER REFERENCES people(id),
    department TEXT,
    person_id INTEGER REFERENCES people(id),
    found_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    state TEXT NOT NULL,
    recurrence_of INTEGER REFERENCES problems(id),
    closed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX problems_state_deadline ON problems(state, deadline, id, org_path);
CREATE INDEX problems_state_path_deadline ON problems(state, org_path, deadline, id);
CREATE INDEX problems_path_deadline ON problems(org_path, deadline, id);
CREATE INDEX problems_deadline ON problems(deadline, id, org_path);
CREATE INDEX problems_person ON problems(person_id, state);

CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id),
    org_path TEXT NOT NULL,
    content TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id),
    deadline TEXT NOT NULL,
    state TEXT NOT NULL,
    done_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX measures_problem ON measures(problem_id);
CREATE INDEX measures_owner ON measures(owner_id, state);

-- Per org and state counters, kept in the same transaction as the rows they count,
-- so list totals and dashboards never count hundreds of thousands of rows.
CREATE TABLE counters (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, org_path, state)
);

CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    org_path TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    filename TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX evidence_object ON evidence(object_kind, object_id);

-- The per-record history shown as 时间线. Rows are only ever inserted.
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_object ON history(object_kind, object_id, id);

-- Append-only, hash-chained audit log.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL DEFAULT '',
    object_id TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
