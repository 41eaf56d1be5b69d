-- Assessment (考核, issue 8): indicator systems kept as versions, rounds of a year over
-- a set of orgs in scoring groups, the assessed orgs' receipts (签收), scorers' entries,
-- appeals with answers, and the results frozen at publication (inputs and scores), so a
-- published round recomputes to the same numbers whatever happens to the records later.
-- Points are hundredths (INTEGER).

-- A commission's copy of an indicator system: every edit is a new version (the TOML
-- text as submitted, checked by zeren_core::assessment::System::parse).
CREATE TABLE assessment_systems (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    -- the shipped system it was copied from (library key and version)
    copied_from TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, key, version)
);

-- A round: one per commission and year.
CREATE TABLE assessment_rounds (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    system_id INTEGER NOT NULL REFERENCES assessment_systems(id),
    -- the day records are judged as of (overdue problems, compliance)
    as_of TEXT NOT NULL,
    -- last day an assessed org may appeal
    appeal_until TEXT NOT NULL,
    -- scoring, published
    state TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    published_by INTEGER REFERENCES users(id),
    published_at INTEGER,
    UNIQUE (org_id, year)
);
CREATE INDEX assessment_rounds_path ON assessment_rounds(org_path, year);

-- The assessed orgs of a round, with their scoring group and receipt.
CREATE TABLE assessment_targets (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES assessment_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    grp TEXT NOT NULL,
    signed_at INTEGER,
    signed_by INTEGER REFERENCES users(id),
    UNIQUE (round_id, org_id)
);
CREATE INDEX assessment_targets_path ON assessment_targets(org_path);

-- What scorers entered: manual indicators, manual deductions and bonuses (hundredths),
-- manual vetoes (1 applies, 0 does not), each with evidence and a comment.
CREATE TABLE assessment_entries (
    round_id INTEGER NOT NULL REFERENCES assessment_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    item_key TEXT NOT NULL,
    value INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    comment TEXT NOT NULL,
    scored_by INTEGER REFERENCES users(id),
    scored_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, org_id, item_key)
);

CREATE TABLE assessment_appeals (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES assessment_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    item_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    filed_by INTEGER REFERENCES users(id),
    filed_at INTEGER NOT NULL,
    -- upheld (采纳), rejected (维持); the answer says why
    outcome TEXT,
    answer TEXT,
    answered_by INTEGER REFERENCES users(id),
    answered_at INTEGER
);
CREATE INDEX assessment_appeals_round ON assessment_appeals(round_id, org_id);

-- Frozen at publication: the record counts read (JSON object metric → count), the
-- entries used (JSON) and the card (JSON), with total, grade and rank.
CREATE TABLE assessment_results (
    round_id INTEGER NOT NULL REFERENCES assessment_rounds(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    grp TEXT NOT NULL,
    total INTEGER NOT NULL,
    grade TEXT NOT NULL,
    vetoed INTEGER NOT NULL,
    group_rank INTEGER NOT NULL,
    round_rank INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    manual TEXT NOT NULL,
    card TEXT NOT NULL,
    PRIMARY KEY (round_id, org_id)
);
