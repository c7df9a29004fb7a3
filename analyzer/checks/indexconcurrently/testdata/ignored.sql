-- pgadvisor:ignore index-without-concurrently users is tiny and the window is a maintenance one
CREATE INDEX users_email ON users (email);
