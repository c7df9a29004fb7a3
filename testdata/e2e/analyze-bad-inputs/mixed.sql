SELECT id FROM users WHERE id = 1;
SELECT id FROM users WHERE;
DELETE FROM users;
SELECT 'ñandú' AS x FROM tablé WHERE ;
SELECT * FROM users ORDER BY random() LIMIT 1;
