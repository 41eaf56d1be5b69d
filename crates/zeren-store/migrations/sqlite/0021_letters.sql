-- Responsibility letters signed level by level (责任书), duty reports with their
-- appraisal (述职述廉 / 述职评议), and the cadre records the annual report counts
-- (issue 10). Every business row carries its org's path like everything else.

-- A letter template per issuing org, year and kind: which categories of the year's
-- responsibility list its duties are drawn from, and the standing clauses.
CREATE TABLE letter_templates (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- category names of the responsibility list, one per line
    categories TEXT NOT NULL,
    clauses TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, year, kind)
);

-- One letter: issued by a person of one level (甲方) to a person of the next (乙方).
-- org_path is the signer's org; issuer_org_id the issuer's.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES letter_templates(id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    issuer_org_id INTEGER NOT NULL REFERENCES orgs(id),
    issuer_person_id INTEGER NOT NULL REFERENCES people(id),
    signer_person_id INTEGER NOT NULL REFERENCES people(id),
    signer_post TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL,
    sign_by TEXT NOT NULL,
    -- 1 once both parties have signed (kept with the signatures, for lists and reminders)
    signed INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (year, kind, level, signer_person_id)
);
CREATE INDEX letters_org ON letters(org_path, year);
CREATE INDEX letters_open ON letters(signed, sign_by);

-- The letter's duties: links to tasks of the responsibility list, never copies.
CREATE TABLE letter_duties (
    letter_id INTEGER NOT NULL REFERENCES letters(id),
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    pos INTEGER NOT NULL,
    PRIMARY KEY (letter_id, task_id)
);
CREATE INDEX letter_duties_task ON letter_duties(task_id);

-- A party's signature: in-app confirmation by the signer's own account, or a scanned
-- signed page (evidence attached to the letter) recorded by the office.
CREATE TABLE letter_signatures (
    id INTEGER PRIMARY KEY,
    letter_id INTEGER NOT NULL REFERENCES letters(id),
    party TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    method TEXT NOT NULL,
    evidence_id INTEGER REFERENCES evidence(id),
    user_id INTEGER REFERENCES users(id),
    signed_on TEXT NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (letter_id, party)
);

-- A written duty report (述职报告) of one person for a year; its figures are tokens
-- filled from the records each time it is shown.
CREATE TABLE duty_reports (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    body TEXT NOT NULL,
    submitted_on TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (year, kind, person_id)
);
CREATE INDEX duty_reports_org ON duty_reports(org_path, year);

-- An appraisal meeting (述职评议会) held by an org over several reports.
CREATE TABLE appraisals (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    -- 'grade' (好/较好/一般/差) or 'points' (0–100)
    scoring TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX appraisals_org ON appraisals(org_path, year);

CREATE TABLE appraisal_reports (
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    report_id INTEGER NOT NULL REFERENCES duty_reports(id),
    org_path TEXT NOT NULL,
    PRIMARY KEY (appraisal_id, report_id)
);

-- One participant's score of one report.
CREATE TABLE appraisal_scores (
    id INTEGER PRIMARY KEY,
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    report_id INTEGER NOT NULL REFERENCES duty_reports(id),
    rater TEXT NOT NULL,
    grade TEXT,
    points INTEGER,
    at INTEGER NOT NULL,
    UNIQUE (appraisal_id, report_id, rater)
);

CREATE TABLE appraisal_questions (
    id INTEGER PRIMARY KEY,
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    report_id INTEGER NOT NULL REFERENCES duty_reports(id),
    asker TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX appraisal_questions_of ON appraisal_questions(appraisal_id, report_id);

-- The 整改清单 of an appraisal: each item is a problem of the ledger.
CREATE TABLE appraisal_items (
    appraisal_id INTEGER NOT NULL REFERENCES appraisals(id),
    report_id INTEGER NOT NULL REFERENCES duty_reports(id),
    problem_id INTEGER NOT NULL REFERENCES problems(id),
    PRIMARY KEY (appraisal_id, problem_id)
);

-- Cadre records: appointments (提拔 / 进一步使用 / 职级晋升), part-time posts in social
-- organisations (社会团体兼职) with their approval, training, 容错纠错.
CREATE TABLE cadre_appointments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    post TEXT NOT NULL,
    from_rank TEXT NOT NULL DEFAULT '',
    to_rank TEXT NOT NULL,
    appointed_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX cadre_appointments_org ON cadre_appointments(org_path, appointed_on);

CREATE TABLE cadre_part_time (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    society TEXT NOT NULL,
    post TEXT NOT NULL,
    applied_on TEXT NOT NULL,
    -- NULL until decided: 'approved' or 'refused'
    decision TEXT,
    decided_on TEXT,
    paid INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX cadre_part_time_org ON cadre_part_time(org_path, decided_on);

CREATE TABLE cadre_trainings (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    class_name TEXT NOT NULL,
    organizer TEXT NOT NULL DEFAULT '',
    started_on TEXT NOT NULL,
    hours INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX cadre_trainings_org ON cadre_trainings(org_path, started_on);

CREATE TABLE cadre_tolerance (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    -- 'exempt' (容错免责) or 'reuse' (重新使用)
    kind TEXT NOT NULL,
    matter TEXT NOT NULL,
    post TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX cadre_tolerance_org ON cadre_tolerance(org_path, decided_on);
