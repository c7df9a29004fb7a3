-- Flyway runs this file outside a transaction (no other statements).
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY users_email ON users (email);
