-- Security hardening (issue 6): password age and history, the TOTP second factor,
-- session stages (a login waiting for its second factor, enrolment or a password
-- change is a session that opens nothing), and 三员分立 held by the schema too.
--
-- The audit chain moves from SHA-256 to SM3 without a schema change: events written
-- before keep their SHA-256 links and still verify; the first SM3 event links to the
-- last of them (zeren-app/src/audit.rs).
ALTER TABLE users ADD COLUMN password_changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET password_changed_at = created_at;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE password_history (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);

ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'ok';
ALTER TABLE sessions ADD COLUMN totp_pending TEXT;

-- An administrator (system, security, audit) holds exactly one role: whatever path
-- adds a role — the security administrator's page, an import, the demo, a script
-- on the database — cannot give one account two administrators' work or an
-- administrator a business role.
CREATE TRIGGER user_roles_three_admins BEFORE INSERT ON user_roles
WHEN EXISTS (
    SELECT 1 FROM user_roles r WHERE r.user_id = NEW.user_id
    AND (r.role IN ('sysadmin', 'secadmin', 'auditor')
         OR NEW.role IN ('sysadmin', 'secadmin', 'auditor'))
)
BEGIN SELECT RAISE(ABORT, 'three administrators apart: an administrator holds exactly one role'); END;
