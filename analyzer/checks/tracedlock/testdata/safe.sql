CREATE INDEX CONCURRENTLY users_email ON users (email);
ALTER TABLE empty ADD COLUMN note text;
SELECT count(*) FROM users;
