CREATE INDEX CONCURRENTLY users_email_name ON users (email) INCLUDE (name);
DROP INDEX CONCURRENTLY users_email;
ALTER TABLE users ADD COLUMN note text;
