ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want "SET NOT NULL on users.email scans existing table users under an ACCESS EXCLUSIVE lock"
-- A constraint added NOT VALID and never validated proves nothing.
ALTER TABLE users ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE users ALTER COLUMN name SET NOT NULL; -- want "users.name"
