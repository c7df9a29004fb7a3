ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want "SET NOT NULL on users.email scans existing table users"
