-- Inspection tours (巡察, issue 9): yearly plans, rounds with target units and a team
-- (with conflict-of-interest declarations), interview outlines and talks, anonymous
-- surveys, findings, and the systems (制度) rectification established. A finding
-- becomes one problem of the target unit's ledger at feedback (UNIQUE problem_id).

CREATE TABLE inspection_plans (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, year)
);

-- A round (第N轮) run by the inspecting org over target units below it.
CREATE TABLE inspection_rounds (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER REFERENCES inspection_plans(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    onsite_from TEXT,
    onsite_to TEXT,
    -- months from feedback to the rectification report (default 2)
    report_months INTEGER NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, year, number)
);
CREATE INDEX inspection_rounds_org ON inspection_rounds(org_path, year);

-- A target unit of a round: its feedback day, the report's due day and when it was
-- submitted, and what the unit writes itself (how it organised the work, next steps).
CREATE TABLE inspection_targets (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    feedback_on TEXT,
    report_due TEXT,
    report_submitted_on TEXT,
    organisation TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (round_id, org_id)
);
CREATE INDEX inspection_targets_org ON inspection_targets(org_path);
CREATE INDEX inspection_targets_due ON inspection_targets(report_due)
    WHERE report_submitted_on IS NULL AND report_due IS NOT NULL;

-- The team: leader, deputy, members; each declares conflicts of interest (回避).
CREATE TABLE inspection_team (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    person_id INTEGER REFERENCES people(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    declaration TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX inspection_team_round ON inspection_team(round_id);

CREATE TABLE inspection_outlines (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE inspection_questions (
    id INTEGER PRIMARY KEY,
    outline_id INTEGER NOT NULL REFERENCES inspection_outlines(id),
    pos INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (outline_id, pos)
);

-- A talk (谈话) with a person of a target unit, along an outline.
CREATE TABLE inspection_talks (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    target_id INTEGER NOT NULL REFERENCES inspection_targets(id),
    org_path TEXT NOT NULL,
    outline_id INTEGER NOT NULL REFERENCES inspection_outlines(id),
    person_id INTEGER REFERENCES people(id),
    person_name TEXT NOT NULL,
    post TEXT NOT NULL DEFAULT '',
    talker TEXT NOT NULL DEFAULT '',
    scheduled_on TEXT NOT NULL,
    held_on TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX inspection_talks_round ON inspection_talks(round_id, target_id);
CREATE INDEX inspection_talks_person ON inspection_talks(person_id);

CREATE TABLE inspection_answers (
    id INTEGER PRIMARY KEY,
    talk_id INTEGER NOT NULL REFERENCES inspection_talks(id),
    question_id INTEGER NOT NULL REFERENCES inspection_questions(id),
    answer TEXT NOT NULL,
    -- 1: marked by the team as containing a problem (to become a finding)
    marked INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    UNIQUE (talk_id, question_id)
);

-- A finding (发现问题). problem_id is set at feedback: one problem per finding, ever.
CREATE TABLE inspection_findings (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    target_id INTEGER NOT NULL REFERENCES inspection_targets(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    answer_id INTEGER REFERENCES inspection_answers(id),
    problem_id INTEGER UNIQUE REFERENCES problems(id),
    -- 长期坚持, set by the unit
    long_term INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX inspection_findings_target ON inspection_findings(target_id);
CREATE INDEX inspection_findings_round ON inspection_findings(round_id);

-- 建立完善制度: a system (制度) a rectification measure established or revised, with
-- the day it was issued. The notice counts these rows.
CREATE TABLE rectification_systems (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    problem_id INTEGER NOT NULL REFERENCES problems(id),
    org_path TEXT NOT NULL,
    name TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (measure_id, name)
);
CREATE INDEX rectification_systems_problem ON rectification_systems(problem_id);

-- Anonymous surveys (问卷调查, 民主测评).
CREATE TABLE inspection_surveys (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    target_id INTEGER NOT NULL REFERENCES inspection_targets(id),
    org_path TEXT NOT NULL,
    purpose TEXT NOT NULL,
    title TEXT NOT NULL,
    min_respondents INTEGER NOT NULL,
    codes_issued INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX inspection_surveys_round ON inspection_surveys(round_id);

CREATE TABLE inspection_survey_questions (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES inspection_surveys(id),
    pos INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    -- choice: the options, one per line; scale: the top score
    options TEXT NOT NULL DEFAULT '',
    scale_max INTEGER NOT NULL DEFAULT 0,
    UNIQUE (survey_id, pos)
);

-- Unused one-time codes, as SHA-256 hashes. A code is DELETED when used: no row says
-- that, when or by whom a code was used. No rowid, no id, no time, no person.
CREATE TABLE inspection_survey_codes (
    survey_id INTEGER NOT NULL REFERENCES inspection_surveys(id),
    code_hash TEXT NOT NULL,
    PRIMARY KEY (survey_id, code_hash)
) WITHOUT ROWID;

-- A response: a random 128-bit id (so neither order nor number tells when it came),
-- no time, no code, no person. WITHOUT ROWID: rows are kept in random-key order, not
-- in the order they arrived.
CREATE TABLE inspection_survey_responses (
    id TEXT NOT NULL PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES inspection_surveys(id)
) WITHOUT ROWID;
CREATE INDEX inspection_survey_responses_survey ON inspection_survey_responses(survey_id);

CREATE TABLE inspection_survey_answers (
    response_id TEXT NOT NULL REFERENCES inspection_survey_responses(id),
    question_id INTEGER NOT NULL REFERENCES inspection_survey_questions(id),
    choice INTEGER,
    score INTEGER,
    text TEXT,
    PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;
CREATE INDEX inspection_survey_answers_question ON inspection_survey_answers(question_id);
