ALTER TABLE users DROP COLUMN legacy_flag;
DROP TABLE old_stuff;
CREATE TABLE scratch (id bigint);
DROP TABLE scratch;
