CREATE INDEX users_email ON users (email); -- want "CREATE INDEX on existing table users without CONCURRENTLY" fix:"CREATE INDEX CONCURRENTLY users_email"
DROP INDEX users_name; -- want "DROP INDEX users_name without CONCURRENTLY" fix:"DROP INDEX CONCURRENTLY users_name"
CREATE INDEX events_at ON events (at); -- want "CREATE INDEX on existing table events" help:"ON ONLY"
