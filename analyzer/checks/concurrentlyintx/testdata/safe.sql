CREATE INDEX CONCURRENTLY users_email ON users (email);
DROP INDEX CONCURRENTLY users_name;
