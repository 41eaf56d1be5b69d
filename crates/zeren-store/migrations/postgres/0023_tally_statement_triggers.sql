-- The problem tallies on PostgreSQL, kept per statement instead of per row.
--
-- The per-row plpgsql triggers of 0016 ran one upsert per problem and per measure:
-- importing 100,000 problems with 200,000 measures spent 27 of its 37 s in them, most
-- of it updating the same few tally rows again and again inside one transaction (each
-- update leaves a row version the next one steps over). Statement triggers see the
-- statement's rows as transition tables and upsert each tally row once per statement,
-- the counts grouped in SQL; a form's one-row write costs what it did. The rules are
-- 0016's: a problem counts in the year it was found, with its measures as they stand;
-- a measure counts with its problem; an update moves a record's counts only when a
-- counted field changed (rows are paired by id, which no use case changes).
--
-- SQLite has no statement triggers; its per-row triggers cost 0.3 s of that import.

DROP TRIGGER problem_tally_keep ON problems;
DROP TRIGGER measure_tally_keep ON measures;
DROP FUNCTION problem_tally_keep();
DROP FUNCTION measure_tally_keep();

CREATE FUNCTION problem_tally_stmt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO problem_tally AS t (year, org_path, source, problems, closed, measures, measures_done)
        SELECT y, org_path, source, SUM(dp), SUM(dc), SUM(dn), SUM(dd) FROM (
            SELECT CAST(substr(n.found_on, 1, 4) AS INTEGER) AS y, n.org_path AS org_path, n.source AS source,
                   1 AS dp, (CASE WHEN n.state = 'closed' THEN 1 ELSE 0 END) AS dc,
                   COALESCE(mc.n, 0) AS dn,
                   COALESCE(mc.done, 0) AS dd
              FROM new_rows n LEFT JOIN (SELECT m.problem_id, COUNT(*) AS n, SUM(CASE WHEN m.state = 'done' THEN 1 ELSE 0 END) AS done FROM measures m WHERE m.problem_id IN (SELECT id FROM new_rows) GROUP BY m.problem_id) mc ON mc.problem_id = n.id WHERE n.found_on IS NOT NULL
        ) x
        GROUP BY y, org_path, source
        ON CONFLICT (year, org_path, source) DO UPDATE SET
            problems = t.problems + excluded.problems, closed = t.closed + excluded.closed,
            measures = t.measures + excluded.measures, measures_done = t.measures_done + excluded.measures_done;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO problem_tally AS t (year, org_path, source, problems, closed, measures, measures_done)
        SELECT y, org_path, source, SUM(dp), SUM(dc), SUM(dn), SUM(dd) FROM (
            SELECT CAST(substr(o.found_on, 1, 4) AS INTEGER) AS y, o.org_path AS org_path, o.source AS source,
                   -1 AS dp, -(CASE WHEN o.state = 'closed' THEN 1 ELSE 0 END) AS dc,
                   -COALESCE(mc.n, 0) AS dn,
                   -COALESCE(mc.done, 0) AS dd
              FROM old_rows o LEFT JOIN (SELECT m.problem_id, COUNT(*) AS n, SUM(CASE WHEN m.state = 'done' THEN 1 ELSE 0 END) AS done FROM measures m WHERE m.problem_id IN (SELECT id FROM old_rows) GROUP BY m.problem_id) mc ON mc.problem_id = o.id WHERE o.found_on IS NOT NULL
        ) x
        GROUP BY y, org_path, source
        ON CONFLICT (year, org_path, source) DO UPDATE SET
            problems = t.problems + excluded.problems, closed = t.closed + excluded.closed,
            measures = t.measures + excluded.measures, measures_done = t.measures_done + excluded.measures_done;
    ELSE
        INSERT INTO problem_tally AS t (year, org_path, source, problems, closed, measures, measures_done)
        SELECT y, org_path, source, SUM(dp), SUM(dc), SUM(dn), SUM(dd) FROM (
            SELECT CAST(substr(o.found_on, 1, 4) AS INTEGER) AS y, o.org_path AS org_path, o.source AS source,
                   -1 AS dp, -(CASE WHEN o.state = 'closed' THEN 1 ELSE 0 END) AS dc,
                   -COALESCE(mc.n, 0) AS dn,
                   -COALESCE(mc.done, 0) AS dd
              FROM old_rows o JOIN new_rows n ON n.id = o.id LEFT JOIN (SELECT m.problem_id, COUNT(*) AS n, SUM(CASE WHEN m.state = 'done' THEN 1 ELSE 0 END) AS done FROM measures m WHERE m.problem_id IN (SELECT id FROM old_rows) GROUP BY m.problem_id) mc ON mc.problem_id = o.id
             WHERE o.found_on IS NOT NULL AND (o.org_path IS DISTINCT FROM n.org_path OR o.found_on IS DISTINCT FROM n.found_on OR o.source IS DISTINCT FROM n.source OR (o.state = 'closed') IS DISTINCT FROM (n.state = 'closed'))
            UNION ALL
            SELECT CAST(substr(n.found_on, 1, 4) AS INTEGER) AS y, n.org_path AS org_path, n.source AS source,
                   1 AS dp, (CASE WHEN n.state = 'closed' THEN 1 ELSE 0 END) AS dc,
                   COALESCE(mc.n, 0) AS dn,
                   COALESCE(mc.done, 0) AS dd
              FROM new_rows n JOIN old_rows o ON o.id = n.id LEFT JOIN (SELECT m.problem_id, COUNT(*) AS n, SUM(CASE WHEN m.state = 'done' THEN 1 ELSE 0 END) AS done FROM measures m WHERE m.problem_id IN (SELECT id FROM new_rows) GROUP BY m.problem_id) mc ON mc.problem_id = n.id
             WHERE n.found_on IS NOT NULL AND (o.org_path IS DISTINCT FROM n.org_path OR o.found_on IS DISTINCT FROM n.found_on OR o.source IS DISTINCT FROM n.source OR (o.state = 'closed') IS DISTINCT FROM (n.state = 'closed'))
        ) x
        GROUP BY y, org_path, source
        ON CONFLICT (year, org_path, source) DO UPDATE SET
            problems = t.problems + excluded.problems, closed = t.closed + excluded.closed,
            measures = t.measures + excluded.measures, measures_done = t.measures_done + excluded.measures_done;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER problem_tally_insert AFTER INSERT ON problems
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION problem_tally_stmt();
CREATE TRIGGER problem_tally_update AFTER UPDATE ON problems
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION problem_tally_stmt();
CREATE TRIGGER problem_tally_delete AFTER DELETE ON problems
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION problem_tally_stmt();

CREATE FUNCTION measure_tally_stmt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO problem_tally AS t (year, org_path, source, problems, closed, measures, measures_done)
        SELECT y, org_path, source, 0, 0, SUM(dn), SUM(dd) FROM (
            SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER) AS y, p.org_path AS org_path, p.source AS source,
                   1 AS dn, (CASE WHEN n.state = 'done' THEN 1 ELSE 0 END) AS dd
              FROM new_rows n JOIN problems p ON p.id = n.problem_id
        ) x
        GROUP BY y, org_path, source
        ON CONFLICT (year, org_path, source) DO UPDATE SET
            measures = t.measures + excluded.measures, measures_done = t.measures_done + excluded.measures_done;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO problem_tally AS t (year, org_path, source, problems, closed, measures, measures_done)
        SELECT y, org_path, source, 0, 0, SUM(dn), SUM(dd) FROM (
            SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER) AS y, p.org_path AS org_path, p.source AS source,
                   -1 AS dn, -(CASE WHEN o.state = 'done' THEN 1 ELSE 0 END) AS dd
              FROM old_rows o JOIN problems p ON p.id = o.problem_id
        ) x
        GROUP BY y, org_path, source
        ON CONFLICT (year, org_path, source) DO UPDATE SET
            measures = t.measures + excluded.measures, measures_done = t.measures_done + excluded.measures_done;
    ELSE
        INSERT INTO problem_tally AS t (year, org_path, source, problems, closed, measures, measures_done)
        SELECT y, org_path, source, 0, 0, SUM(dn), SUM(dd) FROM (
            SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER) AS y, p.org_path AS org_path, p.source AS source,
                   -1 AS dn, -(CASE WHEN o.state = 'done' THEN 1 ELSE 0 END) AS dd
              FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN problems p ON p.id = o.problem_id
             WHERE (o.problem_id IS DISTINCT FROM n.problem_id OR (o.state = 'done') IS DISTINCT FROM (n.state = 'done'))
            UNION ALL
            SELECT CAST(substr(p.found_on, 1, 4) AS INTEGER) AS y, p.org_path AS org_path, p.source AS source,
                   1 AS dn, (CASE WHEN n.state = 'done' THEN 1 ELSE 0 END) AS dd
              FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN problems p ON p.id = n.problem_id
             WHERE (o.problem_id IS DISTINCT FROM n.problem_id OR (o.state = 'done') IS DISTINCT FROM (n.state = 'done'))
        ) x
        GROUP BY y, org_path, source
        ON CONFLICT (year, org_path, source) DO UPDATE SET
            measures = t.measures + excluded.measures, measures_done = t.measures_done + excluded.measures_done;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER measure_tally_insert AFTER INSERT ON measures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_tally_stmt();
CREATE TRIGGER measure_tally_update AFTER UPDATE ON measures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_tally_stmt();
CREATE TRIGGER measure_tally_delete AFTER DELETE ON measures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION measure_tally_stmt();
