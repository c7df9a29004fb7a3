-- Nothing to report: valid PostgreSQL 17 syntax, including forms other
-- databases lack.
SELECT id FROM users WHERE email ILIKE $1 LIMIT 10;
MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v);
SELECT $$a;b$$ AS body;
SELECT jsonb_path_query(data, '$.a ? (@ > 1)') FROM t;
CREATE INDEX CONCURRENTLY IF NOT EXISTS t_v_idx ON t (v) INCLUDE (id) WHERE v IS NOT NULL;
