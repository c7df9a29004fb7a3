BEGIN;
SET LOCAL lock_timeout TO '2s';
ALTER TABLE users ADD COLUMN name text;
COMMIT;
