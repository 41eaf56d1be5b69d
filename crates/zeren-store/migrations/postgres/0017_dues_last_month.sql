-- Each member's last paid dues month (YYYY-MM), kept by a trigger with every payment
-- written or removed, so arrears (连续六个月不交纳党费) need no MAX over the payments per
-- member: the compliance check reads 327,000 members of a province at once.
ALTER TABLE people ADD COLUMN dues_last_month TEXT;

CREATE FUNCTION dues_last_month_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE people SET dues_last_month = NEW.month
        WHERE id = NEW.person_id AND (dues_last_month IS NULL OR dues_last_month < NEW.month);
        RETURN NULL;
    END IF;
    UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments WHERE person_id = OLD.person_id)
    WHERE id = OLD.person_id;
    IF TG_OP = 'UPDATE' THEN
        UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments WHERE person_id = NEW.person_id)
        WHERE id = NEW.person_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER dues_last_month_keep AFTER INSERT OR UPDATE OR DELETE ON dues_payments
    FOR EACH ROW EXECUTE FUNCTION dues_last_month_keep();

UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments d WHERE d.person_id = people.id);
