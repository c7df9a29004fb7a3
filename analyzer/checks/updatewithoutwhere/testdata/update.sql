-- Finds: UPDATE of every row.
UPDATE users SET deleted_at = now(); -- want `^UPDATE users has no WHERE clause: it changes every row of the table$`
update app.accounts set balance = 0; -- want `UPDATE app.accounts has no WHERE`
UPDATE users SET name = lower(name) WHERE true; -- want `^UPDATE users has no real WHERE clause \(WHERE true is always true\): it changes every row of the table$`
UPDATE users SET name = 'x' WHERE 1 = 1 AND 2 > 1; -- want `UPDATE users has no real WHERE clause \(WHERE 1 = 1 AND 2 > 1 is always true\)`
UPDATE users SET name = 'x' RETURNING id; -- want `UPDATE users has no WHERE`

-- Across lines: reported at the UPDATE keyword.
-- A comment before the statement does not move the finding.
UPDATE users -- want `UPDATE users has no WHERE`
   SET country = 'FR';

-- FROM without a condition updates every row (with a random match).
UPDATE users SET country = c.code FROM countries c; -- want `UPDATE users has no WHERE`

-- A data-modifying CTE.
WITH touched AS (
  UPDATE users SET updated_at = now() RETURNING id -- want `UPDATE users has no WHERE`
)
SELECT count(*) FROM touched;

-- Stays silent.
UPDATE users SET name = $2 WHERE id = $1;
UPDATE users u SET country = c.code FROM countries c WHERE c.name = u.country_name;
UPDATE users SET name = 'x' WHERE id IN (SELECT user_id FROM orders);
UPDATE users SET name = 'x' WHERE $1 = 'all';
UPDATE users SET name = 'x' WHERE CURRENT OF c;
UPDATE users SET name = 'x' WHERE false;
UPDATE users SET name = 'x' WHERE 2 < 1;
UPDATE users SET name = 'x' WHERE true AND id = 7;
WITH touched AS (UPDATE users SET updated_at = now() WHERE id = $1 RETURNING id) SELECT count(*) FROM touched;
UPDATE users SET name = 'x' WHERE false OR id = 3;
DELETE FROM users;
SELECT * FROM users;
INSERT INTO users (name) VALUES ('x') ON CONFLICT (name) DO UPDATE SET name = excluded.name;
