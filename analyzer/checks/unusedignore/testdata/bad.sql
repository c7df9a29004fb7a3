/* pgadvisor:ignore */ -- want "names no check"
CREATE TABLE a (id bigint);
CREATE TABLE b (id bigint); /* pgadvisor:ignore unused-ignore */ -- want "pgadvisor:ignore unused-ignore gives no reason" "suppresses no finding"
