-- Schema of the advisor demo (make demo): a shop with customers and
-- orders. Only primary keys are indexed: the workload in workload.log
-- calls for a composite, a partial and an expression index.

CREATE TABLE customers (
    id          bigint PRIMARY KEY,
    email       text NOT NULL,
    name        text NOT NULL,
    country     char(2) NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status      text NOT NULL,
    total       numeric(12,2) NOT NULL,
    created_at  timestamptz NOT NULL
);
