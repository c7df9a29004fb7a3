-- pgadvisor:ignore index-without-concurrently users has 40 rows, built in a maintenance window
CREATE INDEX users_email ON users (email);
CREATE INDEX CONCURRENTLY users_name ON users (name); -- pgadvisor:ignore index-without-concurrently stale -- want "pgadvisor:ignore index-without-concurrently suppresses no finding"
CREATE INDEX users_both ON users (email, name); -- want "CREATE INDEX on existing table users without CONCURRENTLY"
