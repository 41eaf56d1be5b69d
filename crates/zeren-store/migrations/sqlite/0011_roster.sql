-- The member roster (党员名册): development dates, transfers, dues.

-- Key dates of member development; joined_on stays the admission day (接收为预备党员).
ALTER TABLE people ADD COLUMN born_on TEXT;
ALTER TABLE people ADD COLUMN applied_on TEXT;
ALTER TABLE people ADD COLUMN activist_on TEXT;
ALTER TABLE people ADD COLUMN candidate_on TEXT;
ALTER TABLE people ADD COLUMN full_on TEXT;
-- Set when the membership relation is transferred out; such people leave the roster
-- counts but keep their records.
ALTER TABLE people ADD COLUMN left_on TEXT;
-- DuesKind key (zeren-core `dues`): salaried | retired | farmer | student | unemployed | subsistence
ALTER TABLE people ADD COLUMN dues_kind TEXT NOT NULL DEFAULT 'salaried';
-- Monthly pay after tax in cents, the base of the dues; shown to the org's office only.
ALTER TABLE people ADD COLUMN dues_base_cents INTEGER;

-- 组织关系转接: the other side is free text (it is usually outside the system).
CREATE TABLE member_transfers (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    -- in | out
    direction TEXT NOT NULL,
    other_org TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX member_transfers_person ON member_transfers(person_id, on_date);
CREATE INDEX member_transfers_path ON member_transfers(org_path, on_date);

-- One row per member and month paid.
CREATE TABLE dues_payments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_path TEXT NOT NULL,
    -- YYYY-MM
    month TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    paid_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (person_id, month)
);
CREATE INDEX dues_payments_path_month ON dues_payments(org_path, month);
