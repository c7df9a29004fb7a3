-- Finds: an index serves the equality filters but not the ORDER BY ...
-- LIMIT, and an index on the same equality keys then the ORDER BY would
-- read only the first rows instead of every match. Reported at ORDER BY.
SELECT id FROM tickets WHERE status = $1 ORDER BY priority DESC LIMIT 20; -- want `^index tickets_status_idx serves status = \$1 but not ORDER BY priority DESC LIMIT: every matching row is read and sorted to return the first ones$` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS tickets_status_priority_idx ON tickets \(status, priority DESC\);$` help:`^create the index \(it serves status = \$1; ORDER BY priority DESC\)$`
SELECT id, code
FROM tickets
WHERE status = 'open' AND priority > 3
ORDER BY priority -- want `index tickets_status_idx serves status = 'open' but not ORDER BY priority LIMIT` fix:`ON tickets \(status, priority\);$`
LIMIT 10;
-- Two equality filters: the index on one of them is named, and the
-- proposal fixes both before the order.
SELECT id FROM tickets WHERE status = $1 AND assignee_id = $2 ORDER BY opened_at LIMIT 10; -- want `index tickets_assignee_priority_idx serves assignee_id = \$2 but not ORDER BY opened_at LIMIT` fix:`ON tickets \(status, assignee_id, opened_at\);$`

-- Stays silent.
-- An index fixes the equality and then returns the order.
SELECT id FROM tickets WHERE assignee_id = $1 ORDER BY priority LIMIT 10;
SELECT id FROM tickets WHERE assignee_id = $1 AND status = 'open' ORDER BY priority DESC LIMIT 10;
-- An index bounds a range: whether the proposal beats it depends on the
-- data.
SELECT id FROM tickets WHERE status = $1 AND opened_at > $2 ORDER BY priority LIMIT 10;
-- The range is on the ORDER BY column, which an index returns in order.
SELECT id FROM tickets WHERE status = $1 AND opened_at > $2 ORDER BY opened_at LIMIT 10;
-- No ORDER BY ... LIMIT: an index on one of two equality columns is not
-- clearly beaten by one on both.
SELECT id FROM tickets WHERE status = $1 AND assignee_id = $2;
SELECT id FROM tickets WHERE status = $1 ORDER BY priority;
-- A unique key fixed by equality: one row at most.
SELECT id FROM tickets WHERE code = $1 ORDER BY priority LIMIT 1;
SELECT id FROM tickets WHERE id = $1 AND status = 'open' ORDER BY opened_at LIMIT 5;
-- The ORDER BY is fixed by the equality itself.
SELECT id FROM tickets WHERE status = $1 ORDER BY status LIMIT 10;
