-- Finds: DELETE of every row.
DELETE FROM events; -- want `^DELETE FROM events has no WHERE clause: it deletes every row of the table$`
delete from app.audit_log; -- want `DELETE FROM app.audit_log has no WHERE`
DELETE FROM events WHERE true; -- want `^DELETE FROM events has no real WHERE clause \(WHERE true is always true\): it deletes every row of the table$`
DELETE FROM events WHERE 1 = 1; -- want `DELETE FROM events has no real WHERE clause \(WHERE 1 = 1 is always true\)`
DELETE FROM events WHERE NOT false AND 'a' = 'a'; -- want `no real WHERE clause`
DELETE FROM events WHERE true OR id = 1; -- want `no real WHERE clause`
DELETE FROM events RETURNING id; -- want `DELETE FROM events has no WHERE`

-- The position is the DELETE keyword, after leading comments.
/* purge */ DELETE -- want `DELETE FROM sessions has no WHERE`
FROM sessions;

-- A data-modifying CTE is reported at its DELETE.
WITH gone AS (
  DELETE FROM queue RETURNING * -- want `DELETE FROM queue has no WHERE`
)
INSERT INTO archive SELECT * FROM gone;

-- USING without a condition deletes every row too.
DELETE FROM events USING users; -- want `DELETE FROM events has no WHERE`

-- Stays silent.
DELETE FROM events WHERE created_at < now() - interval '90 days';
DELETE FROM events WHERE id = $1;
DELETE FROM events e USING users u WHERE e.user_id = u.id AND u.deleted_at IS NOT NULL;
DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT 1000);
DELETE FROM events WHERE $1;
DELETE FROM events WHERE random() < 0.1;
DELETE FROM events WHERE CURRENT OF events_cursor;
-- Constant but false, or not known before run time.
DELETE FROM events WHERE false;
DELETE FROM events WHERE 1 = 2;
DELETE FROM events WHERE 1 = 1 AND id = $1;
DELETE FROM events WHERE now() > '2020-01-01';
DELETE FROM events WHERE '1' = '01'::text;
TRUNCATE events;
SELECT * FROM events;
UPDATE events SET kind = 'x';
WITH old AS (DELETE FROM queue WHERE done RETURNING *) SELECT count(*) FROM old;
