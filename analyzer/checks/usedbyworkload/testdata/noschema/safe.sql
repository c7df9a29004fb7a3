ALTER TABLE users DROP COLUMN legacy_flag;
DROP TABLE old_stuff;
