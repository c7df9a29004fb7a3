CREATE TABLE users (id bigint PRIMARY KEY, referrer_id bigint, email text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, coupon_user_id bigint);
