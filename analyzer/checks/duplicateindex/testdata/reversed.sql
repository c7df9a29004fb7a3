-- Finds: B-trees whose keys are all reversed serve the same lookups and
-- orderings (PostgreSQL reads a B-tree in both directions).
CREATE TABLE events (
    id bigint PRIMARY KEY,
    user_id bigint,
    kind text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX events_created_at_idx ON events (created_at);
CREATE INDEX events_created_at_desc_idx ON events (created_at DESC); -- want `^index events_created_at_desc_idx on events \(created_at DESC\) duplicates events_created_at_idx \(created_at\) read backwards$` fix:`^DROP INDEX CONCURRENTLY IF EXISTS events_created_at_desc_idx;$`
CREATE INDEX events_user_kind_idx ON events (user_id DESC, kind);
CREATE INDEX events_user_kind_idx2 ON events (user_id, kind DESC); -- want `index events_user_kind_idx2 on events \(user_id, kind DESC\) duplicates events_user_kind_idx \(user_id DESC, kind\) read backwards`
-- With the NULLS order reversed too.
CREATE INDEX events_kind_nf_idx ON events (kind NULLS FIRST);
CREATE INDEX events_kind_desc_nl_idx ON events (kind DESC NULLS LAST); -- want `events_kind_desc_nl_idx on events \(kind DESC NULLS LAST\) duplicates events_kind_nf_idx \(kind NULLS FIRST\) read backwards`
-- A unique index reversed is kept over a plain one.
CREATE INDEX events_id_user_idx ON events (id DESC, user_id DESC); -- want `events_id_user_idx .* duplicates events_id_user_key \(id, user_id\) read backwards`
CREATE UNIQUE INDEX events_id_user_key ON events (id, user_id);
