-- The schema of autoexplain.log's shop (autoexplain.sh loads it).
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers,
  state text NOT NULL,
  total numeric NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, created_at timestamptz NOT NULL, payload text);
