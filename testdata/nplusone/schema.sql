-- schema.sql is the database of the N+1 application simulation (sim/):
-- a small blog. The data is deterministic so that the acceptance tests can
-- load the same rows into a test database and replay the logged loops.
CREATE TABLE users (
    id   int PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE blogs (
    id    int PRIMARY KEY,
    title text NOT NULL
);
CREATE TABLE posts (
    id        int PRIMARY KEY,
    blog_id   int NOT NULL REFERENCES blogs,
    author_id int NOT NULL REFERENCES users,
    title     text NOT NULL
);
CREATE TABLE comments (
    id      int PRIMARY KEY,
    post_id int NOT NULL REFERENCES posts,
    body    text NOT NULL
);
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE counters (
    id   int PRIMARY KEY,
    hits bigint NOT NULL DEFAULT 0
);
CREATE TABLE events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    counter_id int NOT NULL,
    note       text NOT NULL
);
CREATE TABLE items (
    id    int PRIMARY KEY,
    stock int NOT NULL
);
CREATE TABLE orders (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id int NOT NULL
);
CREATE INDEX ON posts (blog_id);
CREATE INDEX ON posts (author_id);
CREATE INDEX ON comments (post_id);

INSERT INTO users SELECT i, 'user ' || i FROM generate_series(1, 20) i;
INSERT INTO blogs SELECT i, 'blog ' || i FROM generate_series(1, 5) i;
-- Posts 1..100: blog 1 + id % 5, author 1 + id % 7 (authors repeat on a page).
INSERT INTO posts SELECT i, 1 + i % 5, 1 + i % 7, 'post ' || i FROM generate_series(1, 100) i;
-- Comments: post 1 + i % 90, so posts 91..100 have none (count 0).
INSERT INTO comments SELECT i, 1 + i % 90, 'comment ' || i FROM generate_series(1, 600) i;
INSERT INTO settings VALUES ('currency', 'EUR'), ('site_name', 'blog');
INSERT INTO counters SELECT i, 0 FROM generate_series(1, 50) i;
INSERT INTO items SELECT i, 1000 FROM generate_series(1, 50) i;
