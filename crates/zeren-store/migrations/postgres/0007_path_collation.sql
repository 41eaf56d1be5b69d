-- Org paths compare byte by byte everywhere (a subtree is the range [path, path || '0')),
-- as the foundation's path columns do; the mechanism tables' paths get the same
-- collation, so subtree filters stay right on a database created with a language
-- collation such as zh_CN.UTF-8 or en_US.UTF-8.
ALTER TABLE notifications ALTER COLUMN org_path TYPE TEXT COLLATE "C";
ALTER TABLE notifications ALTER COLUMN recipient_org_path TYPE TEXT COLLATE "C";
ALTER TABLE supervision_notices ALTER COLUMN org_path TYPE TEXT COLLATE "C";
ALTER TABLE supervision_notices ALTER COLUMN issuing_org_path TYPE TEXT COLLATE "C";
ALTER TABLE accountability ALTER COLUMN org_path TYPE TEXT COLLATE "C";
