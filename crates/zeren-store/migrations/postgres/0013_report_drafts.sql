-- The annual report's narrative as a user edited it, per org and year. Figures are
-- tokens in the text (〔党委会次数〕) filled from records whenever the report is shown
-- or written out, so nothing here goes stale; problems and next steps are drawn from
-- the ledger and never stored.
CREATE TABLE report_drafts (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    -- JSON: [{level, heading, paragraphs: [text]}]
    body TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);
