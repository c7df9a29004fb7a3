-- No schema given: tables and indexes the migration did not create exist.
CREATE INDEX users_email ON users (email); -- want "CREATE INDEX on existing table users without CONCURRENTLY"
DROP INDEX users_name; -- want "DROP INDEX users_name without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table"
