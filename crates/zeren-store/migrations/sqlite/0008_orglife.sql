-- Organisational life (组织生活), the member roster and the rules they are checked
-- against. The shared core; later migrations add what each part needs.

-- One record per meeting or activity, entered once and counted everywhere (the
-- branch's compliance grid, the dashboard, the annual report).
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    -- ActivityKind key (zeren-core `activity`), e.g. branch_committee, theme_day
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- planned | held | cancelled
    state TEXT NOT NULL,
    planned_on TEXT,
    -- the day it took place (YYYY-MM-DD); NULL while only planned
    held_on TEXT,
    start_time TEXT,
    end_time TEXT,
    place TEXT,
    host_id INTEGER REFERENCES people(id),
    recorder_id INTEGER REFERENCES people(id),
    expected_count INTEGER NOT NULL DEFAULT 0,
    present_count INTEGER NOT NULL DEFAULT 0,
    leave_count INTEGER NOT NULL DEFAULT 0,
    observers TEXT,
    topic TEXT,
    content TEXT,
    decisions TEXT,
    -- the agenda holds a 第一议题 (central-instruction study) item
    first_topic INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX activities_path_kind_day ON activities(org_path, kind, held_on);
CREATE INDEX activities_kind_day ON activities(kind, held_on, org_path);

-- Who was due, present, on leave or absent; a grade for 民主评议; minutes for training.
CREATE TABLE activity_people (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    -- present | leave | absent
    attendance TEXT NOT NULL,
    grade TEXT,
    minutes INTEGER,
    note TEXT,
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_people_person ON activity_people(person_id);

-- Roster state on the person.
-- applicant | activist | candidate | probationary | full (party_status keeps its values;
-- activist and candidate are new ones)
ALTER TABLE people ADD COLUMN contact_state TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE people ADD COLUMN last_contact_on TEXT;
-- 口袋党员: membership relation held elsewhere, not transferred in
ALTER TABLE people ADD COLUMN pocket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX people_path_status ON people(org_path, party_status);
