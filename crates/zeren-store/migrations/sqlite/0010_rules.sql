-- Rules (制度规定): local rules a commission or unit adds with its own citation, and
-- settings that adjust the library's uncertain or local figures. The library itself
-- ships in the binary (library/rules); only what users change lives here.

-- A local rule applies to the orgs of its org's subtree (of the kinds it names).
-- `spec` is the rule as JSON in the library's own shape (zeren-core `rule::RuleSpec`).
CREATE TABLE local_rules (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    citation TEXT NOT NULL,
    check_kind TEXT NOT NULL,
    spec TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    retired_by INTEGER REFERENCES users(id),
    retired_at INTEGER
);
CREATE INDEX local_rules_path ON local_rules(org_path);

-- A setting replaces a library rule's figure (times, threshold, months) and, for a
-- frequency rule, its period, for the orgs of `org_path`'s subtree; the deepest
-- setting above an org wins.
CREATE TABLE rule_settings (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    rule_key TEXT NOT NULL,
    figure INTEGER,
    period TEXT,
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, rule_key)
);

-- Compliance counts a year of held activities per org and kind (months as columns)
-- for a whole subtree in one pass: this partial index covers that query and yields
-- its groups in order, so no sort is needed.
CREATE INDEX activities_held_compliance
    ON activities(org_path, kind, held_on, expected_count, present_count)
    WHERE state = 'held';
-- and the roster figures per org (members, full members, lost contact, pocket)
CREATE INDEX people_compliance
    ON people(org_path, party_status, contact_state, last_contact_on, pocket);
