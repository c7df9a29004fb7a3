SET lock_timeout = 0;
ALTER TABLE users ADD COLUMN name text; -- want "no lock_timeout set"
