-- Finds: deep constant OFFSET, and OFFSET from a parameter.
SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET 10000; -- want `^OFFSET 10000: PostgreSQL reads and discards 10000 rows before returning the page$` help:`WHERE created_at < \$1 ORDER BY created_at DESC LIMIT n`
SELECT id FROM orders ORDER BY id LIMIT $1 OFFSET $2; -- want `^OFFSET \$2 takes the page position from a parameter: PostgreSQL reads and discards every row before the page, so deep pages get slower and slower$`
SELECT id FROM orders ORDER BY id LIMIT 20 OFFSET ($1 - 1) * 20; -- want `^OFFSET \(\$1 - 1\) \* 20 takes the page position from a parameter` help:`WHERE id > \$1 ORDER BY id LIMIT n`
SELECT id FROM orders ORDER BY id LIMIT 20 OFFSET $1::bigint; -- want `OFFSET \$1::bigint takes the page position` help:`WHERE id > \$1 ORDER BY id LIMIT n`
SELECT id FROM orders ORDER BY user_id, id OFFSET 1001 ROWS FETCH NEXT 10 ROWS ONLY; -- want `OFFSET 1001` help:`WHERE \(user_id, id\) > \(\$1, \$2\) ORDER BY user_id, id LIMIT n`
SELECT id FROM orders OFFSET 5000; -- want `OFFSET 5000` help:`ORDER BY a unique key`
SELECT id, total
FROM orders
WHERE status = 'paid'
ORDER BY id
LIMIT 20
OFFSET 2000; -- want `OFFSET 2000`
SELECT * FROM (SELECT id FROM orders ORDER BY id OFFSET 100000) o; -- want `OFFSET 100000`

-- Stays silent: small constant offsets, no offset, keyset pagination.
SELECT * FROM orders ORDER BY created_at DESC LIMIT 50 OFFSET 1000;
SELECT * FROM orders ORDER BY id LIMIT 50 OFFSET 0;
SELECT * FROM orders ORDER BY id LIMIT 50;
SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT 50;
SELECT "offset" FROM settings WHERE name = 'offset 99999';
SELECT id FROM orders ORDER BY id OFFSET 1000 ROWS;
SELECT id FROM orders WHERE user_id = $1 ORDER BY id LIMIT 10 OFFSET length('$1');
