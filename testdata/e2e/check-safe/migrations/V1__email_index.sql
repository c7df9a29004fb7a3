-- Flyway runs this file outside a transaction (no other statements).
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);
