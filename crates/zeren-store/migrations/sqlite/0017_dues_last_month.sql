-- Each member's last paid dues month (YYYY-MM), kept by triggers with every payment
-- written or removed, so arrears (连续六个月不交纳党费) need no MAX over the payments per
-- member: the compliance check reads 327,000 members of a province at once.
ALTER TABLE people ADD COLUMN dues_last_month TEXT;

CREATE TRIGGER dues_last_month_insert AFTER INSERT ON dues_payments
BEGIN
    UPDATE people SET dues_last_month = NEW.month
    WHERE id = NEW.person_id AND (dues_last_month IS NULL OR dues_last_month < NEW.month);
END;

CREATE TRIGGER dues_last_month_update AFTER UPDATE OF person_id, month ON dues_payments
BEGIN
    UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments WHERE person_id = OLD.person_id)
    WHERE id = OLD.person_id;
    UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments WHERE person_id = NEW.person_id)
    WHERE id = NEW.person_id;
END;

CREATE TRIGGER dues_last_month_delete AFTER DELETE ON dues_payments
BEGIN
    UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments WHERE person_id = OLD.person_id)
    WHERE id = OLD.person_id;
END;

UPDATE people SET dues_last_month = (SELECT MAX(month) FROM dues_payments d WHERE d.person_id = people.id);
