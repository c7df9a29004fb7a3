-- Finds: foreign keys nothing indexes on the referencing side.
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    referrer_id bigint REFERENCES users (id) -- want `^foreign key users_referrer_id_fkey \(referrer_id\) references users \(id\), but no index of users starts with referrer_id$` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS users_referrer_id_idx ON users \(referrer_id\);$`
);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id), -- want `orders_user_id_fkey \(user_id\) references users \(id\)` help:`every DELETE from users \(and UPDATE of its key\) scans orders`
    status text NOT NULL
);
CREATE INDEX orders_status_user_idx ON orders (status, user_id);

CREATE TABLE order_items (
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    line int NOT NULL,
    PRIMARY KEY (product_id, line),
    CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders ON DELETE CASCADE -- want `order_items_order_fk \(order_id\) references orders \(id\), but` help:`ON DELETE CASCADE deletes them with the same scans`
);

-- A table-level constraint over two columns, added later.
CREATE TABLE shipments (
    order_id bigint NOT NULL,
    line int NOT NULL,
    shipped_at timestamptz
);
ALTER TABLE shipments
    ADD CONSTRAINT shipments_item_fkey FOREIGN KEY (order_id, line) REFERENCES order_items (product_id, line); -- want `shipments_item_fkey \(order_id, line\)` fix:`ON shipments \(order_id, line\);$`
-- Only the first column is indexed: not enough.
CREATE INDEX shipments_order_idx ON shipments (order_id);

-- A partial index does not serve the checks of every row.
CREATE TABLE payments (
    id bigint PRIMARY KEY,
    order_id bigint REFERENCES orders -- want `payments_order_id_fkey`
);
CREATE INDEX payments_order_open_idx ON payments (order_id) WHERE id > 0;

-- The proposed name avoids one already taken.
CREATE TABLE refunds (
    id bigint PRIMARY KEY,
    payment_id bigint REFERENCES payments -- want `refunds_payment_id_fkey` fix:`refunds_payment_id_idx1 ON refunds`
);
CREATE INDEX refunds_payment_id_idx ON refunds (id);

-- Other schemas are qualified; quoted names stay quoted.
CREATE SCHEMA billing;
CREATE TABLE billing."Invoice" (
    id bigint PRIMARY KEY,
    "orderId" bigint REFERENCES public.orders (id) -- want `Invoice_orderId_fkey` fix:`"Invoice_orderId_idx" ON billing."Invoice" \("orderId"\)`
);

-- A partitioned table: reported once, at the parent's constraint, not
-- for each partition.
CREATE TABLE events (
    at date NOT NULL,
    user_id bigint,
    CONSTRAINT events_user_fk FOREIGN KEY (user_id) REFERENCES users (id) -- want `^foreign key events_user_fk \(user_id\) references users \(id\), but no index of events starts with user_id$` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2024_user_id_idx ON events_2024 \(user_id\);\nCREATE INDEX IF NOT EXISTS events_user_id_idx ON ONLY events \(user_id\);\nALTER INDEX events_user_id_idx ATTACH PARTITION events_2024_user_id_idx;$` help:`cannot build an index CONCURRENTLY on a partitioned table`
) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

-- An expression index on the column does not serve the lookups.
CREATE TABLE notes (
    id bigint PRIMARY KEY,
    user_id bigint REFERENCES users -- want `notes_user_id_fkey`
);
CREATE INDEX notes_user_expr_idx ON notes ((user_id + 0));
-- Nor does a BRIN index.
CREATE TABLE visits (user_id bigint REFERENCES users); -- want `visits_user_id_fkey`
CREATE INDEX visits_user_brin ON visits USING brin (user_id);

-- Foreign keys declared on the partitions, not on their parent: one
-- finding, the index on the parent in the partition form.
CREATE TABLE clicks (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    at date NOT NULL
) PARTITION BY RANGE (at);
CREATE TABLE clicks_2023 PARTITION OF clicks (
    CONSTRAINT clicks_2023_user_fk FOREIGN KEY (user_id) REFERENCES users (id) -- want `^foreign key clicks_2023_user_fk \(user_id\) of partitions clicks_2023, clicks_2024 of clicks references users \(id\), but no index of theirs starts with user_id$` fix:`^CREATE INDEX CONCURRENTLY IF NOT EXISTS clicks_2023_user_id_idx ON clicks_2023 \(user_id\);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS clicks_2024_user_id_idx ON clicks_2024 \(user_id\);\nCREATE INDEX IF NOT EXISTS clicks_user_id_idx ON ONLY clicks \(user_id\);\nALTER INDEX clicks_user_id_idx ATTACH PARTITION clicks_2023_user_id_idx;\nALTER INDEX clicks_user_id_idx ATTACH PARTITION clicks_2024_user_id_idx;$`
) FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE clicks_2024 PARTITION OF clicks FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE clicks_2024 ADD CONSTRAINT clicks_2024_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
-- A partition's own index serves its foreign key.
CREATE TABLE logins (id bigint NOT NULL, user_id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE logins_2024 PARTITION OF logins FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE logins_2024 ADD CONSTRAINT logins_2024_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
CREATE INDEX logins_2024_user_idx ON logins_2024 (user_id);
