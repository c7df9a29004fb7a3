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

-- A constraint is reported at its own clause, not at its CREATE TABLE.
CREATE TABLE members (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    CONSTRAINT members_id_key UNIQUE (id) -- want `constraint members_id_key \(index members_id_key\) duplicates members_pkey on members \(id\)`
);
-- A constraint added later is kept over the indexes it duplicates.
CREATE INDEX members_email_idx ON members (email); -- want `index members_email_idx duplicates members_email_key`
ALTER TABLE ONLY members
    ADD CONSTRAINT members_email_key UNIQUE (email);
CREATE INDEX members_email_idx2 ON members (email); -- want `index members_email_idx2 duplicates members_email_key`
-- Two constraints: the one added second is reported at its clause.
ALTER TABLE members
    ADD COLUMN nickname text,
    ADD CONSTRAINT members_pkey_again UNIQUE (id); -- want `constraint members_pkey_again .* duplicates members_pkey`

-- UNIQUE NULLS NOT DISTINCT enforces more than UNIQUE: it is kept.
CREATE TABLE codes (code text);
CREATE UNIQUE INDEX codes_code_key ON codes (code); -- want `index codes_code_key duplicates codes_code_nnd_key`
CREATE UNIQUE INDEX codes_code_nnd_key ON codes (code) NULLS NOT DISTINCT;

-- A foreign key may depend on the duplicate constraint's index.
CREATE TABLE plans (
    id bigint PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    CONSTRAINT plans_slug_uq UNIQUE (slug) -- want `constraint plans_slug_uq \(index plans_slug_uq\) duplicates plans_slug_key` help:`foreign key subscriptions.subscriptions_plan_slug_fkey references these columns`
);
CREATE TABLE subscriptions (plan_slug text REFERENCES plans (slug));

-- A partitioned table's duplicate is reported once, at the parent.
CREATE TABLE log (id bigint, at date) PARTITION BY RANGE (at);
CREATE INDEX log_at_idx ON log (at);
CREATE INDEX log_at_idx2 ON log (at); -- want `index log_at_idx2 duplicates log_at_idx on log \(at\)`
CREATE TABLE log_2024 PARTITION OF log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- A partition's own index duplicating an attached one is reported.
CREATE INDEX log_2024_at ON log_2024 (at); -- want `index log_2024_at duplicates log_2024_at_idx`
