-- A partitioned table whose partitions declare the foreign key (their
-- parent does not), and a sub-partitioned one queried on an unindexed
-- column.
CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE clicks (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    at date NOT NULL
) PARTITION BY RANGE (at);
CREATE TABLE clicks_2023 PARTITION OF clicks (
    CONSTRAINT clicks_2023_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE clicks_2024 PARTITION OF clicks FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    PARTITION BY LIST (id);
CREATE TABLE clicks_2024_a PARTITION OF clicks_2024 FOR VALUES IN (1, 2, 3);
CREATE TABLE clicks_2024_b PARTITION OF clicks_2024 DEFAULT;
ALTER TABLE clicks_2024 ADD CONSTRAINT clicks_2024_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
