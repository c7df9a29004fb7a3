CREATE TABLE tiny (id int PRIMARY KEY, code text);
CREATE TABLE big (id int PRIMARY KEY, code text);
CREATE TABLE unanalyzed (id int PRIMARY KEY, code text);
