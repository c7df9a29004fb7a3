CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id int NOT NULL,
    status text NOT NULL,
    amount numeric(10,2) NOT NULL,
    created_at timestamptz NOT NULL,
    note text NOT NULL
);
-- The index the plan's filter needs exists: the planner did not use it.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
