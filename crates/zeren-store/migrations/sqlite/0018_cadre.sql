-- Cadre supervision (issue 6): personal-matters reports (个人有关事项报告) with their
-- verification batches, integrity risk points (廉政风险点) with controls, and the
-- four checks before a promotion (凡提四必). Sealed columns hold `sm4gcm$key$hex`
-- values written by `zeren_app::crypto` and are listed in `crypto::CONFIDENTIAL`.

-- The year's filers: one row per year and reporting official.
CREATE TABLE pm_filers (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    -- why this person files (处级以上领导干部 …)
    basis TEXT NOT NULL,
    submitted_on TEXT,
    -- 1 when submitted after 31 January of the year
    late INTEGER NOT NULL DEFAULT 0,
    -- sealed: what the report declares, in brief (房产、投资、配偶子女从业 …)
    declared TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (year, person_id)
);
CREATE INDEX pm_filers_org ON pm_filers(org_path, year);

-- A verification batch: a random draw (seed and ratio recorded, so that anyone can
-- draw again and compare) or a targeted check of named people.
CREATE TABLE pm_batches (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    reason TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    -- random draws: 64 hex digits (the ChaCha20 key), percent and population size
    seed TEXT,
    percent INTEGER,
    population INTEGER NOT NULL DEFAULT 0,
    drawn_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX pm_batches_org ON pm_batches(org_path, year);

CREATE TABLE pm_checks (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES pm_batches(id),
    filer_id INTEGER NOT NULL REFERENCES pm_filers(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_path TEXT NOT NULL,
    -- position in the draw (1…n)
    pos INTEGER NOT NULL,
    outcome TEXT,
    checked_on TEXT,
    -- sealed: the differences found (核查发现)
    finding TEXT,
    -- 处理: 批评教育, 诫勉, 取消提拔资格 …
    handling TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    UNIQUE (batch_id, filer_id)
);
CREATE INDEX pm_checks_person ON pm_checks(person_id);
CREATE INDEX pm_checks_org ON pm_checks(org_path);

CREATE TABLE risk_points (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    department TEXT NOT NULL,
    post TEXT NOT NULL,
    category TEXT NOT NULL,
    level TEXT NOT NULL,
    description TEXT NOT NULL,
    review_months INTEGER NOT NULL,
    last_reviewed_on TEXT,
    next_review_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX risk_points_org ON risk_points(org_path, category, level);
CREATE INDEX risk_points_review ON risk_points(next_review_on);

CREATE TABLE risk_controls (
    id INTEGER PRIMARY KEY,
    risk_point_id INTEGER NOT NULL REFERENCES risk_points(id),
    measure TEXT NOT NULL,
    owner_person_id INTEGER REFERENCES people(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX risk_controls_point ON risk_controls(risk_point_id);

-- 凡提四必: one record per promotion candidate and proposed post, with the four
-- conclusions (verdict, note, who, when).
CREATE TABLE promotion_checks (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    proposed_post TEXT NOT NULL,
    file_verdict TEXT,
    file_note TEXT NOT NULL DEFAULT '',
    file_by TEXT,
    file_on TEXT,
    pm_verdict TEXT,
    pm_note TEXT NOT NULL DEFAULT '',
    pm_by TEXT,
    pm_on TEXT,
    discipline_verdict TEXT,
    discipline_note TEXT NOT NULL DEFAULT '',
    discipline_by TEXT,
    discipline_on TEXT,
    petitions_verdict TEXT,
    petitions_note TEXT NOT NULL DEFAULT '',
    petitions_by TEXT,
    petitions_on TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX promotion_checks_org ON promotion_checks(org_path);
CREATE INDEX promotion_checks_person ON promotion_checks(person_id);
