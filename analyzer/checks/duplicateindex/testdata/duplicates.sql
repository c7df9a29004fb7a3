-- Finds: the same index twice.
CREATE TABLE events (
    id bigint PRIMARY KEY,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamptz NOT NULL,
    payload jsonb
);
CREATE INDEX events_created_at_idx ON events (created_at);
CREATE INDEX events_created_at_idx2 ON events (created_at); -- want `^index events_created_at_idx2 duplicates events_created_at_idx on events \(created_at\)$` fix:`^DROP INDEX CONCURRENTLY IF EXISTS events_created_at_idx2;$`
CREATE INDEX events_created_at_idx3 ON events USING btree (created_at ASC NULLS LAST); -- want `events_created_at_idx3 duplicates events_created_at_idx`

-- A plain index on the primary key's column: the primary key serves it.
CREATE INDEX events_id_idx ON events (id); -- want `^index events_id_idx duplicates events_pkey on events \(id\)$`

-- A unique index kept over a plain one defined before it.
CREATE INDEX events_kind_user_idx ON events (kind, user_id); -- want `events_kind_user_idx duplicates events_kind_user_key`
CREATE UNIQUE INDEX events_kind_user_key ON events (kind, user_id);

-- Expressions, INCLUDE in another order, same predicate.
CREATE INDEX events_lower_kind_idx ON events (lower(kind));
CREATE INDEX events_lower_kind_idx1 ON events (lower(kind)); -- want `duplicates events_lower_kind_idx`
CREATE INDEX events_user_cover_idx ON events (user_id) INCLUDE (kind, created_at);
CREATE INDEX events_user_cover_idx2 ON events (user_id) INCLUDE (created_at, kind); -- want `duplicates events_user_cover_idx`
CREATE INDEX events_recent_idx ON events (created_at) WHERE user_id IS NOT NULL;
CREATE INDEX "Events Recent" ON events (created_at) WHERE user_id IS NOT NULL; -- want `index Events Recent duplicates events_recent_idx` fix:`DROP INDEX CONCURRENTLY IF EXISTS "Events Recent";`

-- A UNIQUE constraint on the primary key's column: drop the constraint.
CREATE TABLE accounts (id bigint PRIMARY KEY, CONSTRAINT accounts_id_key UNIQUE (id)); -- want `constraint accounts_id_key \(index accounts_id_key\) duplicates accounts_pkey` fix:`ALTER TABLE accounts DROP CONSTRAINT accounts_id_key;`

-- Other schemas are qualified.
CREATE SCHEMA app;
CREATE TABLE app.t (a int);
CREATE INDEX t_a ON app.t (a);
CREATE INDEX t_a_again ON app.t (a); -- want `index app.t_a_again duplicates app.t_a on app.t \(a\)` fix:`DROP INDEX CONCURRENTLY IF EXISTS app.t_a_again;`
