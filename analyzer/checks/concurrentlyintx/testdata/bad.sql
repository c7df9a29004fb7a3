BEGIN;
CREATE INDEX CONCURRENTLY users_email ON users (email); -- want "CREATE INDEX ... CONCURRENTLY cannot run inside a transaction block"
DROP INDEX CONCURRENTLY users_name; -- want "DROP INDEX ... CONCURRENTLY cannot run"
COMMIT;
