-- PostgreSQL only (path columns get COLLATE "C"); SQLite's default BINARY collation
-- already compares byte by byte. Kept so both backends share migration numbers.
SELECT 1;
