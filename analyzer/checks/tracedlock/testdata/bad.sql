ALTER TABLE users ADD COLUMN note text; -- want `ALTER TABLE held an ACCESS EXCLUSIVE lock on users \(5000 rows\) for [0-9.]+ ms`
ALTER TABLE users ADD CONSTRAINT positive CHECK (n > 0); -- want "ACCESS EXCLUSIVE lock on users"
