-- +goose Up
CREATE INDEX CONCURRENTLY users_email ON users (email); -- want "cannot run inside a transaction block"
-- +goose Down
DROP INDEX CONCURRENTLY users_email;
